"""Confirming a signature: what it leaves on the record, and nothing at all when refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from scrutiny import pipeline
from scrutiny.models import Petition, PetitionSignature
from tests.scrutiny.test_petitions import open_petition

HISTORY_OWN = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
}


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
def test_confirming_leaves_one_history_row_by_no_user_with_the_confirmed_state(staff):
    signature = sign(open_petition(staff))
    assert history_of(signature).count() == 1  # signing: simple_history's own "+" row

    confirmed = pipeline.signature_confirm(token=signature.token)

    records = list(history_of(signature))
    assert [record.history_type for record in records] == ["+", "~"]
    ours = records[-1]
    stored = PetitionSignature.objects.get(pk=signature.pk)
    assert ours.history_date == stored.confirmed_at == confirmed.confirmed_at
    assert ours.history_user_id is None and ours.history_change_reason is None
    # The history copies every field it keeps (not the link's token) as the signature now is.
    kept = copied_values(ours)
    assert kept == {name: value for name, value in copied_values(stored).items() if name in kept}
    assert kept["confirmed_at"] is not None and "token" not in kept


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
