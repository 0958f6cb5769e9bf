"""Petitions: representative targets, confirmed signatures counted once, milestones, closing."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.utils import timezone

from scrutiny import pipeline
from scrutiny.models import BusinessArea, CallStatus, Petition, PetitionSignature, ScrutinySettings
from tests.conftest import make_business_area
from tests.scrutiny.builders import make_call


def open_petition(staff, *, households=90, **kwargs) -> Petition:
    area = BusinessArea.objects.first() or make_business_area()
    call = make_call(business_area=area, households_affected=households, others_affected=True)
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    return pipeline.petition_open(
        call=call, user=staff["officer"], title="Fix our doors", summary="Doors broken.", **kwargs
    )


def sign_and_confirm(petition, n: int, **overrides):
    signature = pipeline.petition_sign(
        petition=petition,
        name=overrides.get("name", f"Signer {n}"),
        email=overrides.get("email", f"signer{n}@example.org"),
        postcode=overrides.get("postcode", "L20 3AB"),
    )
    return pipeline.signature_confirm(token=signature.token)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("households", "expected"), [(None, 10), (50, 10), (90, 10), (240, 24), (5000, 100)]
)
def test_the_target_is_a_share_of_households_between_the_limits(households, expected):
    assert pipeline.petition_target_for(households=households)[0] == expected


@pytest.mark.django_db
def test_opening_moves_the_call_to_gathering_evidence_and_logs(staff):
    petition = open_petition(staff, households=240)
    assert petition.target == 24 and petition.is_open and petition.published
    petition.call.refresh_from_db()
    assert petition.call.status == CallStatus.GATHERING_EVIDENCE
    assert petition.history.first().history_user == staff["officer"]


@pytest.mark.django_db
def test_a_different_target_needs_a_reason_which_is_recorded(staff):
    with pytest.raises(pipeline.TransitionNotAllowed, match="give a reason"):
        open_petition(staff, target=5)
    assert not Petition.objects.exists()
    petition = open_petition(staff, target=5, target_change_reason="Only five homes use it.")
    assert petition.target == 5
    petition = pipeline.petition_change_target(
        petition=petition, target=8, reason="Three more homes.", user=staff["officer"]
    )
    assert petition.history.first().target_change_reason == "Three more homes."


@pytest.mark.django_db
def test_only_officers_open_petitions(staff):
    call = make_call()
    with pytest.raises(PermissionDenied):
        pipeline.petition_open(call=call, user=staff["panel"], title="x", summary="y")


@pytest.mark.django_db
def test_an_unconfirmed_signature_does_not_count(staff):
    petition = open_petition(staff)
    pipeline.petition_sign(petition=petition, name="A", email="a@example.org", postcode="L1 1AA")
    assert pipeline.petition_count(petition) == 0


@pytest.mark.django_db
def test_one_signature_per_email_per_petition(staff):
    petition = open_petition(staff)
    first = sign_and_confirm(petition, 1, email="same@example.org")
    again = sign_and_confirm(petition, 2, email="SAME@example.org")
    assert again.pk == first.pk and again.name == "Signer 1"
    assert PetitionSignature.objects.count() == 1
    assert pipeline.petition_count(petition) == 1


@pytest.mark.django_db
def test_paper_and_online_from_the_same_person_count_once(staff):
    petition = open_petition(staff)
    sign_and_confirm(petition, 1, name="Jo Bloggs", postcode="L20 3AB")
    pipeline.signature_add_paper(
        petition=petition, name="jo  bloggs", postcode="l203ab", user=staff["officer"]
    )
    pipeline.signature_add_paper(
        petition=petition, name="Sam Other", postcode="L20 3AB", user=staff["officer"]
    )
    assert pipeline.petition_count(petition) == 2


@pytest.mark.django_db
def test_withdrawal_and_bulk_invalidation_lower_the_count_and_are_recorded(staff):
    petition = open_petition(staff, target=20, target_change_reason="Whole street.")
    first = sign_and_confirm(petition, 1)
    for n in range(2, 5):
        sign_and_confirm(petition, n, email=f"bot{n}@spam.example")
    assert pipeline.petition_count(petition) == 4
    pipeline.signature_withdraw(token=first.token)
    assert pipeline.petition_count(petition) == 3
    invalidated = pipeline.signatures_invalidate(
        petition=petition,
        user=staff["officer"],
        reason="Throwaway domain",
        email_domain="spam.example",
    )
    assert invalidated == 3
    assert pipeline.petition_count(petition) == 0
    row = PetitionSignature.objects.get(email="bot2@spam.example").history.first()
    assert row.history_user == staff["officer"] and row.invalidation_reason == "Throwaway domain"


@pytest.mark.django_db
def test_milestones_and_the_target_tell_people_once_and_send_the_call_to_the_panel(
    staff, django_capture_on_commit_callbacks
):
    petition = open_petition(staff, target=3, target_change_reason="Small close.")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(1, 5):
            sign_and_confirm(petition, n)
    # Each message once to the resident who started the petition, once to the officer.
    for address in (petition.call.email, staff["officer"].email):
        subjects = [m.subject for m in mail.outbox if m.to == [address]]
        assert sum("passed a third" in s for s in subjects) == 1
        assert sum("passed two thirds" in s for s in subjects) == 1
        assert sum(s.startswith("Target reached") for s in subjects) == 1
    petition.call.refresh_from_db()
    assert petition.call.status == CallStatus.AWAITING_PANEL
    assert petition.call.workflow_in_progress


@pytest.mark.django_db
def test_a_closed_petition_refuses_signatures(staff):
    petition = open_petition(staff)
    pipeline.petition_close(petition=petition, user=staff["officer"])
    with pytest.raises(pipeline.SignatureRefused, match="closed"):
        sign_and_confirm(petition, 1)


@pytest.mark.django_db
def test_expired_petitions_close_each_day(staff):
    from scrutiny.tasks import close_expired_petitions

    petition = open_petition(staff)
    Petition.objects.filter(pk=petition.pk).update(closes_on=timezone.localdate() - timedelta(1))
    assert close_expired_petitions() == 1
    assert close_expired_petitions() == 0


@pytest.mark.django_db
def test_a_paper_sheet_with_a_bad_row_saves_nothing(staff):
    petition = open_petition(staff)
    sheet = b"name,postcode,email\nAna,L1 1AA,\n,L1 1AB,\nBo,L1 1AC,not-an-email\n"
    report = pipeline.signatures_import_csv(petition=petition, data=sheet, user=staff["officer"])
    assert report.errors == [
        "Row 3: the name is missing.",
        "Row 4: 'not-an-email' is not an email address.",
    ]
    assert not petition.signatures.exists()
    good = b"name,postcode\nAna,L1 1AA\nBo,L1 1AC\n"
    assert (
        pipeline.signatures_import_csv(petition=petition, data=good, user=staff["officer"]).added
        == 2
    )


def confirm_at_once(tokens: list[str]) -> list[Exception]:
    """Confirm every token from sixteen threads at once; the errors any of them raised."""
    lock = threading.Lock()
    errors = []

    def confirm(token):
        try:
            pipeline.signature_confirm(token=token)
        except Exception as error:  # noqa: BLE001 - collected for the caller to assert on
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(confirm, tokens))
    return errors


@pytest.mark.django_db(transaction=True)
def test_500_concurrent_confirmations_count_exactly_500(migrated_data, staff):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is tested on PostgreSQL; SQLite serialises writers.")
    settings = ScrutinySettings.load()
    settings.petition_maximum = 1000
    settings.save()
    petition = open_petition(staff, target=1000, target_change_reason="Everyone.")
    tokens = [
        pipeline.petition_sign(
            petition=petition, name=f"P {n}", email=f"p{n}@example.org", postcode="L1 1AA"
        ).token
        for n in range(500)
    ]
    assert confirm_at_once(tokens + tokens[:50]) == []
    assert pipeline.petition_count(petition) == 500
    assert Petition.objects.get(pk=petition.pk).people_counted == 500


@pytest.mark.django_db
def test_closing_expired_petitions_is_scheduled_daily():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func="scrutiny.tasks.close_expired_petitions")
    assert schedule.schedule_type == Schedule.DAILY
