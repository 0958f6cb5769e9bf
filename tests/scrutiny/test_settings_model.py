"""The configuration's defaults are the seeds' numbers, and inconsistent values are refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from scrutiny.models import ScrutinySettings

pytestmark = pytest.mark.django_db


def test_defaults_are_the_pine_court_and_citizen_numbers():
    settings = ScrutinySettings.load()
    assert settings.organisation_name == "Pine Court Housing"
    assert settings.panel_name == "Customer Empowerment Panel"
    assert settings.oversight_body == "EMT and Board"
    assert settings.financial_year_start_month == 4
    assert settings.minimum_reviews_per_year == 3
    assert settings.appeal_window_days == 28
    assert (settings.appeal_panel_minimum, settings.appeal_panel_maximum) == (4, 6)
    assert settings.minimum_formal_meetings == 3
    assert settings.minimum_member_reviews == 3
    assert (settings.away_days, settings.board_away_days) == (2, 1)
    assert settings.commitment_days_per_year == 24
    assert settings.member_payment == Decimal("2500.00")
    assert settings.voluntary_option is True
    assert settings.expenses_covered is True
    assert settings.data_retention_months > 0


def test_appeal_panel_minimum_above_maximum_is_refused():
    settings = ScrutinySettings.load()
    settings.appeal_panel_minimum = 7
    with pytest.raises(ValidationError) as error:
        settings.full_clean()
    assert "appeal_panel_maximum" in error.value.message_dict


def test_a_change_is_in_the_history():
    settings = ScrutinySettings.load()
    settings.appeal_window_days = 14
    settings.save()
    assert settings.history.first().appeal_window_days == 14
