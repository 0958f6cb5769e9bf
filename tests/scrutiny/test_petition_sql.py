"""Confirming a signature through the statements written out in `pipeline.petition_sql`.

They stand in for the ORM and django-simple-history on the busiest step, so these check that
what they leave behind is what those would have left: the same history row, the same values,
and nothing at all when the confirmation is refused.
"""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from scrutiny import pipeline
from scrutiny.models import Petition, PetitionSignature
from scrutiny.pipeline import petition_sql
from tests.scrutiny.test_petitions import open_petition

HISTORY_OWN = {"history_id", *petition_sql.HISTORY_COLUMNS}


def sign(petition, email="ann@example.org"):
    return pipeline.petition_sign(
        petition=petition, name="Ann Lee", email=email, postcode="L20 3AB", ip_address="10.0.0.1"
    )


def history_of(signature):
    return PetitionSignature.history.filter(id=signature.pk).order_by("history_id")


def copied_values(record) -> dict:
    return {
        field.attname: getattr(record, field.attname)
        for field in record._meta.concrete_fields
        if field.attname not in HISTORY_OWN
    }


@pytest.mark.django_db
def test_confirming_records_the_history_row_simple_history_would(staff):
    signature = sign(open_petition(staff))
    assert history_of(signature).count() == 1  # signing: simple_history's own "+" row

    confirmed = pipeline.signature_confirm(token=signature.token)

    records = list(history_of(signature))
    assert [record.history_type for record in records] == ["+", "~"]
    ours = records[-1]
    stored = PetitionSignature.objects.get(pk=signature.pk)
    assert ours.history_date == stored.confirmed_at == confirmed.confirmed_at
    assert ours.history_user_id is None and ours.history_change_reason is None
    # Saving through the ORM now makes simple_history write the same state itself.
    stored.save()
    theirs = history_of(signature).last()
    assert copied_values(ours) == copied_values(theirs)
    assert copied_values(ours)["confirmed_at"] is not None


@pytest.mark.django_db
def test_the_confirmed_signature_and_its_petition_come_back_as_the_orm_gives_them(staff):
    petition = open_petition(staff)
    signature = sign(petition)
    when = timezone.now()
    with transaction.atomic():
        confirmed, locked = petition_sql.confirm_signature(signature.token, when)
    assert isinstance(confirmed.confirmed_at, datetime) and confirmed.confirmed_at == when
    assert confirmed.created_at == PetitionSignature.objects.get(pk=signature.pk).created_at
    assert str(confirmed.ip_address) == "10.0.0.1"
    assert isinstance(locked.closes_on, date) and locked.closes_on == petition.closes_on
    assert (locked.pk, locked.status, locked.target) == (
        petition.pk,
        petition.status,
        petition.target,
    )
    assert locked.is_open


@pytest.mark.django_db
def test_a_petition_closed_before_confirming_keeps_nothing_of_it(staff):
    petition = open_petition(staff)
    signature = sign(petition)
    yesterday = timezone.localdate() - timedelta(days=1)
    Petition.objects.filter(pk=petition.pk).update(closes_on=yesterday)

    with pytest.raises(pipeline.SignatureRefused, match="closed before"):
        pipeline.signature_confirm(token=signature.token)

    assert PetitionSignature.objects.get(pk=signature.pk).confirmed_at is None
    assert history_of(signature).count() == 1
    assert Petition.objects.get(pk=petition.pk).people_counted == 0


@pytest.mark.django_db
def test_a_link_followed_twice_or_after_taking_back_changes_nothing_more(staff):
    petition = open_petition(staff)
    signature = sign(petition)
    first = pipeline.signature_confirm(token=signature.token)
    again = pipeline.signature_confirm(token=signature.token)
    assert again.pk == first.pk and again.confirmed_at == first.confirmed_at
    assert history_of(signature).count() == 2
    assert Petition.objects.get(pk=petition.pk).people_counted == 1

    pipeline.signature_withdraw(token=signature.token)
    assert pipeline.signature_confirm(token=signature.token) is None
    assert pipeline.signature_confirm(token="no-such-token") is None
    assert Petition.objects.get(pk=petition.pk).people_counted == 0


@pytest.mark.django_db
def test_a_history_column_the_statements_do_not_fill_stops_them(monkeypatch):
    # As if the history model gained a column of its own that the INSERT would not fill.
    monkeypatch.setattr(petition_sql, "HISTORY_COLUMNS", petition_sql.HISTORY_COLUMNS[:-1])
    petition_sql._statements.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="history_user_id"):
            petition_sql._statements("sqlite")
    finally:
        monkeypatch.undo()
        petition_sql._statements.cache_clear()
