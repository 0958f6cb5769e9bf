"""A petition's running count of people stays equal to counting its signatures, however they change.

Pages read `Petition.people_counted`; `pipeline.petition_count` counts the signatures. Every way
a signature can change (online and confirmed, on paper, the same person again under another
email, withdrawn, invalidated, anonymised) must leave the two equal.
"""

from contextlib import suppress

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrutiny import pipeline
from scrutiny.models import Petition, PetitionSignature, ScrutinySettings
from tests.scrutiny.test_petitions import confirm_at_once, open_petition

PEOPLE = [("Ann Lee", "L20 3AB"), ("Bo Diaz", "L20 3AB"), ("Cy Wood", "L21 1AA")]


def running_count(petition: Petition) -> int:
    return Petition.objects.get(pk=petition.pk).people_counted


def assert_counts_agree(petition: Petition) -> None:
    assert running_count(petition) == pipeline.petition_count(petition)


@pytest.fixture
def petition(staff):
    config = ScrutinySettings.load()
    config.petition_maximum = 1000
    config.save()
    return open_petition(staff, target=1000, target_change_reason="Everyone on the estate.")


def sign(petition, person: int, email: str):
    name, postcode = PEOPLE[person]
    return pipeline.petition_sign(petition=petition, name=name, email=email, postcode=postcode)


@pytest.mark.django_db
def test_one_person_counts_once_however_often_and_however_they_sign(petition, staff):
    first = sign(petition, 0, "ann@example.org")
    pipeline.signature_confirm(token=first.token)
    assert running_count(petition) == 1
    # The same person under another email, and on paper: still one person.
    second = sign(petition, 0, "ann.lee@example.org")
    pipeline.signature_confirm(token=second.token)
    pipeline.signature_add_paper(
        petition=petition, name="ann  LEE", postcode="l203ab", user=staff["officer"]
    )
    assert running_count(petition) == 1
    # Taking one signature back leaves the others counting for her.
    pipeline.signature_withdraw(token=first.token)
    assert running_count(petition) == 1
    other = sign(petition, 1, "bo@example.org")
    pipeline.signature_confirm(token=other.token)
    pipeline.signature_confirm(token=other.token)  # the link followed twice
    assert running_count(petition) == 2
    # Withdrawing a signature that never counted changes nothing.
    unconfirmed = sign(petition, 2, "cy@example.org")
    pipeline.signature_withdraw(token=unconfirmed.token)
    assert running_count(petition) == 2
    assert_counts_agree(petition)


@pytest.mark.django_db
def test_invalidating_and_anonymising_recount(petition, staff):
    for person, email in [(0, "ann@bulk.example"), (1, "bo@bulk.example"), (2, "cy@example.org")]:
        pipeline.signature_confirm(token=sign(petition, person, email).token)
    assert running_count(petition) == 3
    pipeline.signatures_invalidate(
        petition=petition,
        user=staff["officer"],
        reason="A burst from one domain.",
        email_domain="bulk.example",
    )
    assert running_count(petition) == 1
    # Cy also signed on paper; erasing the online signature gives it a key of its own, so the
    # count follows the signatures (two keys now) rather than keeping an old number.
    pipeline.signature_add_paper(
        petition=petition, name=PEOPLE[2][0], postcode=PEOPLE[2][1], user=staff["officer"]
    )
    pipeline.subject_erase(email="cy@example.org", user=staff["officer"])
    assert_counts_agree(petition)


@pytest.mark.django_db
def test_saving_an_old_copy_of_a_petition_keeps_the_running_count(petition):
    stale = Petition.objects.get(pk=petition.pk)
    pipeline.signature_confirm(token=sign(petition, 0, "ann@example.org").token)
    stale.title = "Fix our doors and windows"
    stale.save()
    fresh = Petition.objects.get(pk=petition.pk)
    assert (fresh.title, fresh.people_counted) == ("Fix our doors and windows", 1)


@pytest.mark.django_db
def test_the_public_pages_show_the_running_count(petition, client):
    from tests.scrutiny.test_petition_pages import make_petition_page

    make_petition_page()
    pipeline.signature_confirm(token=sign(petition, 0, "ann@example.org").token)
    # Were the pages to count signatures, this row would make them say two.
    Petition.objects.filter(pk=petition.pk).update(people_counted=7)
    for url in ["/petitions/", f"/petitions/{petition.slug}/"]:
        assert "7 of 1000 signatures" in client.get(url).content.decode()


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["sign", "confirm", "withdraw", "paper", "invalidate"]),
        st.integers(0, len(PEOPLE) - 1),
        st.integers(0, 3),
    ),
    max_size=25,
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=ACTIONS)
def test_any_sequence_of_changes_keeps_the_counts_equal(petition, staff, actions):
    PetitionSignature.objects.filter(petition=petition).delete()
    pipeline.petition_recount(petition)
    tokens: list[str] = []
    for action, person, n in actions:
        email = f"person{person}.{n}@example.org"
        if action == "sign":
            # Refused when this email has already signed and confirmed.
            with suppress(pipeline.SignatureRefused):
                tokens.append(sign(petition, person, email).token)
        elif action in {"confirm", "withdraw"} and tokens:
            token = tokens[n % len(tokens)]
            if action == "confirm":
                pipeline.signature_confirm(token=token)
            else:
                pipeline.signature_withdraw(token=token)
        elif action == "paper":
            pipeline.signature_add_paper(
                petition=petition,
                name=PEOPLE[person][0],
                postcode=PEOPLE[person][1],
                user=staff["officer"],
            )
        elif action == "invalidate":
            pipeline.signatures_invalidate(
                petition=petition,
                user=staff["officer"],
                reason="Test.",
                email_domain=email.split("@")[1] if n == 0 else f"n{n}.example",
            )
        assert_counts_agree(petition)


@pytest.mark.django_db(transaction=True)
def test_the_same_people_confirming_at_once_are_counted_once_each(migrated_data, staff):
    """Forty people, each signing under two emails and confirming both at once, count forty."""
    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is tested on PostgreSQL; SQLite serialises writers.")
    config = ScrutinySettings.load()
    config.petition_maximum = 1000
    config.save()
    petition = open_petition(staff, target=1000, target_change_reason="Everyone.")
    tokens = [
        pipeline.petition_sign(
            petition=petition,
            name=f"Person {n}",
            email=f"p{n}.{copy}@example.org",
            postcode="L1 1AA",
        ).token
        for n in range(40)
        for copy in range(2)
    ]
    assert confirm_at_once(tokens) == []
    assert pipeline.petition_count(petition) == 40
    assert running_count(petition) == 40
