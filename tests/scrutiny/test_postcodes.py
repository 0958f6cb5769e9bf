"""Postcodes: written the usual way for keeping, compared without spaces or case."""

import pytest

from scrutiny.postcodes import postcode_formatted, postcode_key


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("pc11aa", "PC1 1AA"), (" PC1  1aa ", "PC1 1AA"), ("sw1a1aa", "SW1A 1AA"), ("M1", "M1")],
)
def test_a_postcode_is_kept_written_the_usual_way(typed, kept):
    assert postcode_formatted(typed) == kept


def test_two_ways_of_typing_one_postcode_compare_equal():
    assert postcode_key("pc1 1aa") == postcode_key("PC11AA") == "PC11AA"
    assert postcode_key("PC1 1AA") != postcode_key("PC1 1AB")
