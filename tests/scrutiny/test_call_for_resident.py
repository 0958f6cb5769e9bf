"""Issue 19, assisted digital: "officers enter a call ... on a resident's behalf in the admin,
recording how and when it was received and who entered it; the same validation and the same
acknowledgement (by email or letter); no public rate limit for signed-in staff"."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from scrutiny.models import CallForScrutiny, ReceivedVia, SentEmail
from tests.conftest import PASSWORD, admin_refusal, make_business_area
from tests.scrutiny.test_call_form import make_call_page, valid_answers

pytestmark = pytest.mark.django_db

URL = "wagtailsnippets_scrutiny_callforscrutiny:enter"


@pytest.fixture
def area(db):
    make_call_page()
    return make_business_area("Repairs and maintenance")


def letter(area, **overrides) -> dict:
    """A call that came by post three days ago from a resident with no email or phone."""
    received = timezone.localdate() - datetime.timedelta(days=3)
    answers = valid_answers(area, **({"email": "", "phone": ""} | overrides))
    answers.pop("website")
    return {"received_via": "post", "received_on": received.isoformat()} | answers


def sign_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_an_officer_enters_a_postal_call_dated_the_day_it_arrived(
    client, staff, area, django_capture_on_commit_callbacks
):
    sign_in(client, staff["officer"])
    form = client.get(reverse(URL))
    assert form.status_code == 200
    html = form.content.decode()
    # The resident's questions, with how and when it reached us first.
    assert html.index("How did the call reach us?") < html.index("What are your concerns")
    assert "We keep your details for 24 months." in html  # the call form's privacy notice

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(URL), letter(area))

    assert response.status_code == 200
    call = CallForScrutiny.objects.get()
    assert call.received_via == ReceivedVia.POST
    assert call.recorded_by == staff["officer"]
    assert timezone.localdate(call.submitted_at) == timezone.localdate() - datetime.timedelta(3)
    assert call.name == "Jo Bloggs" and call.postcode == "PC1 1AA"
    page = response.content.decode()
    assert f"{call.reference}</a> is entered, received by post" in page
    assert f"{call.access_code[:5]}-{call.access_code[5:]}" in page
    assert "gave no email address: the acknowledgement, with the reference and the code" in page
    assert "letters to post</a>" in page
    assert "no-store" in response["Cache-Control"]
    # The record names the officer who entered it; the resident had no email to be sent.
    entry = ModelLogEntry.objects.get(action="scrutiny.call.submit")
    assert entry.user == staff["officer"]
    assert not [message for message in mail.outbox if "jo.bloggs" in " ".join(message.to)]
    # The acknowledgement is a letter waiting to be posted (issue 19).
    waiting = SentEmail.objects.get(key=f"call:{call.pk}:acknowledgement")
    assert (waiting.channel, waiting.state) == ("letter", "to_post")
    assert call.reference in waiting.body and waiting.recipient_name == "Jo Bloggs"
    inspect = client.get(
        reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[call.pk])
    ).content.decode()
    assert "By post" in inspect


def test_a_resident_with_email_gets_the_same_acknowledgement(
    client, staff, area, django_capture_on_commit_callbacks
):
    sign_in(client, staff["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(URL), letter(area, email="jo.bloggs@example.org") | {"received_via": "phone"}
        )
    call = CallForScrutiny.objects.get()
    assert call.received_via == ReceivedVia.PHONE
    acknowledgement = [m for m in mail.outbox if m.to == ["jo.bloggs@example.org"]]
    assert len(acknowledgement) == 1
    assert call.reference in acknowledgement[0].body


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"received_on": "2099-01-01"}, "The day it reached us cannot be in the future"),
        ({"received_on": "yesterday"}, "Enter the day the call reached us as a date"),
        ({"received_via": "web"}, "Choose how the call reached us"),
        ({"address": "", "postcode": ""}, "Enter how to reach the resident"),
        ({"concerns": ""}, "Tell us your concerns"),
        ({"privacy_agreed": ""}, "Confirm that the resident has been told about the privacy"),
    ],
)
def test_bad_answers_are_explained_and_nothing_is_saved(client, staff, area, change, message):
    sign_in(client, staff["officer"])
    response = client.post(reverse(URL), letter(area) | change)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CallForScrutiny.objects.exists()


@pytest.mark.parametrize("role", ["comms", "panel", "appeal", "manager"])
def test_only_officers_enter_calls(client, staff, area, role):
    sign_in(client, staff[role])
    assert admin_refusal(client.get(reverse(URL)))
    assert admin_refusal(client.post(reverse(URL), letter(area)))
    assert not CallForScrutiny.objects.exists()


def test_no_hourly_limit_stops_an_officer(client, staff, area, settings):
    """The public form takes five calls an hour from one address; an officer entering a pile
    of letters is not stopped."""
    sign_in(client, staff["officer"])
    for _ in range(8):
        assert client.post(reverse(URL), letter(area)).status_code == 200
    assert CallForScrutiny.objects.count() == 8


def test_the_listing_offers_entering_a_call_to_officers_only(client, staff, area):
    listing = reverse("wagtailsnippets_scrutiny_callforscrutiny:list")
    sign_in(client, staff["officer"])
    assert "Enter a call for a resident" in client.get(listing).content.decode()
    client.logout()
    sign_in(client, staff["manager"])
    assert "Enter a call for a resident" not in client.get(listing).content.decode()
