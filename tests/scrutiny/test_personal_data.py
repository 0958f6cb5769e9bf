"""The registry of residents' personal fields (scrutiny/personal_data.py), read by the admin,
the History area and the privacy code."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from scrutiny import personal_data

CONTACT = {"name", "email", "address", "postcode"}


def model_of(label):
    return get_user_model() if label == "account" else apps.get_model(label)


@pytest.mark.parametrize("label", sorted(personal_data.REGISTRY))
def test_every_field_it_names_is_a_field_of_the_model(label):
    entry = personal_data.REGISTRY[label]
    fields = {field.name for field in model_of(label)._meta.get_fields()}
    named = set(entry.private) | set(entry.anonymised) | set(entry.exported)
    assert named <= fields, sorted(named - fields)


@pytest.mark.parametrize("label", sorted(personal_data.REGISTRY))
def test_whatever_is_private_is_also_anonymised(label):
    entry = personal_data.REGISTRY[label]
    # A signature's email and person key are replaced row by row, each with its own value.
    per_row = {"email", "person_key"} if label == "scrutiny.PetitionSignature" else set()
    assert set(entry.private) - per_row <= set(entry.anonymised)


@pytest.mark.parametrize(
    "label", ["scrutiny.CallForScrutiny", "scrutiny.PetitionSignature", "scrutiny.PanelApplication"]
)
def test_a_residents_name_and_contact_details_are_private_and_exported(label):
    entry = personal_data.of(label)
    assert set(entry.private) >= CONTACT
    assert set(entry.exported) >= CONTACT


def test_a_model_with_nothing_personal_has_an_empty_entry():
    entry = personal_data.of("scrutiny.BusinessArea")
    assert entry.private == () and entry.anonymised == {} and entry.exported == ()


def test_the_history_area_and_the_calls_admin_hide_what_the_registry_calls_private():
    from scrutiny.admin_views import calls
    from scrutiny.history import HISTORY_KINDS

    kinds = {kind.model_label: kind for kind in HISTORY_KINDS}
    for label, entry in personal_data.REGISTRY.items():
        if label in kinds:
            assert kinds[label].private_fields == frozenset(entry.private)
    assert set(calls.RESIDENT_FIELDS) == set(calls.PRIVATE_FIELDS) >= CONTACT
