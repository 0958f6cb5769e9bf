"""Issue 19, assisted digital: officers enter "an application on a resident's behalf in the
admin, recording how and when it was received and who entered it; the same validation and the
same acknowledgement"."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from scrutiny.models import (
    IneligibleApplicationCount,
    MessageChannel,
    MessageState,
    PanelApplication,
    ReceivedVia,
    SentEmail,
)
from tests.conftest import PASSWORD, admin_refusal
from tests.scrutiny.test_membership_form import valid_answers

pytestmark = pytest.mark.django_db

URL = reverse("wagtailsnippets_scrutiny_panelapplication:enter")


def letter(**overrides) -> dict:
    """An application that came by post four days ago from a resident with no email."""
    received = timezone.localdate() - datetime.timedelta(days=4)
    answers = valid_answers(**({"email": "", "address": "2 Larch Court, Pinetown"} | overrides))
    answers.pop("website")
    return {"received_via": "post", "received_on": received.isoformat()} | answers


def sign_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_an_officer_enters_a_posted_application_dated_the_day_it_came(
    client, staff, django_capture_on_commit_callbacks
):
    sign_in(client, staff["officer"])
    form = client.get(URL).content.decode()
    assert form.index("How did the application reach us?") < form.index("Are you a tenant")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, letter())
    application = PanelApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailsnippets_scrutiny_panelapplication:inspect", args=[application.pk]
    )
    assert application.received_via == ReceivedVia.POST
    assert application.recorded_by == staff["officer"]
    assert application.address == "2 Larch Court, Pinetown" and application.email == ""
    assert timezone.localdate(application.submitted_at) == (
        timezone.localdate() - datetime.timedelta(days=4)
    )
    page = client.get(response["Location"]).content.decode()
    assert "by post, entered by officer" in page
    # The officers are told as for an online application; the resident had no email, so
    # the same acknowledgement waits in the outbox as a letter to their address.
    assert not [m for m in mail.outbox if "sam.okafor" in " ".join(m.to)]
    (acknowledgement,) = SentEmail.objects.filter(
        key=f"application:{application.pk}:acknowledgement"
    )
    assert acknowledgement.channel == MessageChannel.LETTER
    assert acknowledgement.state == MessageState.TO_POST
    assert "2 Larch Court, Pinetown" in acknowledgement.postal_address
    assert acknowledgement.recipient_name == application.name


def test_a_resident_with_email_gets_the_same_acknowledgement(
    client, staff, django_capture_on_commit_callbacks
):
    sign_in(client, staff["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, letter(email="sam.okafor@example.org", received_via="in_person"))
    assert PanelApplication.objects.get().received_via == ReceivedVia.IN_PERSON
    assert [m for m in mail.outbox if m.to == ["sam.okafor@example.org"]]


def test_an_ineligible_answer_is_shown_counted_and_nothing_kept(client, staff):
    sign_in(client, staff["officer"])
    response = client.post(URL, letter(legal_dispute="yes"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The resident cannot apply, so nothing is kept." in page
    assert "With this answer the resident cannot apply" in page
    assert not PanelApplication.objects.exists()
    assert IneligibleApplicationCount.objects.get().count == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"address": "", "phone": ""}, "Enter how to reach the resident"),
        ({"received_on": "2099-01-01"}, "The day it reached us cannot be in the future"),
        ({"received_via": ""}, "Choose how the application reached us"),
        ({"why_join": ""}, "Tell us why you want to join the panel"),
    ],
)
def test_bad_answers_are_explained_and_nothing_is_saved(client, staff, change, message):
    sign_in(client, staff["officer"])
    response = client.post(URL, letter(**change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PanelApplication.objects.exists()


@pytest.mark.parametrize("role", ["comms", "panel", "appeal", "manager"])
def test_only_officers_enter_applications(client, staff, role):
    sign_in(client, staff[role])
    assert admin_refusal(client.get(URL))
    assert admin_refusal(client.post(URL, letter()))
    assert not PanelApplication.objects.exists()
