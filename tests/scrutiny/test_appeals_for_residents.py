"""An officer records an appeal the resident gave by post, by phone or in person: the public
form's rules (28 days from the decision being sent, counted to the day the appeal reached us; one
appeal per decision, never against acceptance), through the appeal pipeline, on the record naming
the officer and how it came (issue 19: "recording how and when it was received and who entered
it")."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from scrutiny import pipeline
from scrutiny.models import Appeal, AppealStatus
from tests.conftest import PASSWORD
from tests.scrutiny.appeal_builders import decided_call, submit_appeal

pytestmark = pytest.mark.django_db

BY_POST = reverse("wagtailsnippets_scrutiny_appeal:for_resident")
GROUNDS = "I wrote to the Ombudsman in May and the panel did not see the reply."


def login(client, username="officer"):
    assert client.login(username=username, password=PASSWORD)


def record(client, call, grounds=GROUNDS, **answers):
    return client.post(
        BY_POST,
        {
            "reference": call.reference,
            "grounds": grounds,
            "received_via": "post",
            "received_on": timezone.localdate().isoformat(),
        }
        | answers,
    )


def test_the_officer_records_a_postal_appeal_and_it_is_on_the_record(
    client, staff, django_capture_on_commit_callbacks
):
    call, decision = decided_call(staff)
    login(client)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = record(client, call)
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailsnippets_scrutiny_appeal:inspect", args=[appeal.pk]
    )
    assert appeal.decision == decision and appeal.status == AppealStatus.RECEIVED
    assert appeal.received_via == "post" and appeal.recorded_by == staff["officer"]
    assert appeal.grounds == GROUNDS
    on_appeal = ModelLogEntry.objects.get(action="scrutiny.appeal.for_resident")
    assert on_appeal.user == staff["officer"]
    assert on_appeal.data["received_by"] == "post"
    on_call = ModelLogEntry.objects.get(action="scrutiny.call.appealed_for_resident")
    assert on_call.user == staff["officer"] and on_call.object_id == str(call.pk)
    assert "by post" in on_call.message
    client.get(response["Location"])  # the success message is used up
    page = client.get(response["Location"]).content.decode()
    assert "by post, recorded by officer" in page
    # The resident is told, with their access code.
    acknowledgement = next(m for m in mail.outbox if "received your appeal" in m.subject)
    assert acknowledgement.to == [call.email]
    assert f"{call.access_code[:5]}-{call.access_code[5:]}" in acknowledgement.body


def test_the_call_page_offers_it_while_an_appeal_can_be_made(client, staff):
    call, _ = decided_call(staff)
    login(client)
    inspect = reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[call.pk])
    page = client.get(inspect).content.decode()
    assert f"{BY_POST}?call={call.reference}" in page
    form = client.get(f"{BY_POST}?call={call.reference}").content.decode()
    assert f'value="{call.reference}"' in form
    record(client, call)
    page = client.get(inspect).content.decode()
    assert "already been appealed" in page
    assert f"{BY_POST}?call={call.reference}" not in page


def test_outside_the_window_it_is_refused_with_a_message_and_nothing_saved(client, staff):
    call, decision = decided_call(staff)
    decision.sent_on = timezone.localdate() - timedelta(days=29)
    decision.appeal_deadline = decision.sent_on + timedelta(days=28)
    decision.save()
    login(client)
    response = record(client, call)
    page = response.content.decode()
    assert response.status_code == 200
    assert decision.appeal_deadline.strftime("%A %-d %B %Y") in page
    assert "we cannot accept this appeal" in page
    assert GROUNDS in page  # the officer's typing is kept
    assert not Appeal.objects.exists()
    assert not ModelLogEntry.objects.filter(action__contains="for_resident").exists()


def test_the_last_day_of_the_window_is_still_in_it(client, staff):
    call, decision = decided_call(staff)
    decision.sent_on = timezone.localdate() - timedelta(days=28)
    decision.appeal_deadline = decision.sent_on + timedelta(days=28)
    decision.save()
    login(client)
    assert record(client, call).status_code == 302
    assert Appeal.objects.count() == 1


def test_a_decision_already_appealed_online_is_refused(client, staff):
    call, _ = decided_call(staff)
    submit_appeal(call)
    login(client)
    page = record(client, call).content.decode()
    assert "already been appealed" in page
    assert Appeal.objects.count() == 1
    assert not Appeal.objects.exclude(received_via="web").exists()


def test_an_accepted_call_cannot_be_appealed_for_the_resident(client, staff):
    call, _ = decided_call(staff, outcome_details={"outcome": "accepted"})
    login(client)
    page = record(client, call).content.decode()
    assert "there is no decision to appeal" in page
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"reference": "CCS-1999-0001", "grounds": GROUNDS}, "There is no call"),
        ({"reference": "", "grounds": GROUNDS}, "Enter the reference"),
        ({"grounds": ""}, "Write down the resident"),
        ({"received_via": "web"}, "Choose how the appeal reached us."),
        ({"received_on": "2099-01-01"}, "cannot be in the future"),
        ({"received_on": "soon"}, "Enter the day the appeal reached us as a date"),
    ],
)
def test_bad_input_gets_a_message_on_the_page(client, staff, answers, message):
    call, _ = decided_call(staff)
    login(client)
    response = record(client, call, **answers)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("role", ["panel", "manager", "appeal", "comms"])
def test_only_officers_record_appeals_for_residents(client, staff, role):
    call, _ = decided_call(staff)
    login(client, role)
    record(client, call)
    assert not Appeal.objects.exists()
    with pytest.raises(PermissionDenied):
        pipeline.appeal_record_for_resident(call=call, grounds=GROUNDS, user=staff[role])
    assert not Appeal.objects.exists()


def test_the_appeals_list_offers_it_to_officers(client, staff):
    login(client)
    page = client.get(reverse("wagtailsnippets_scrutiny_appeal:list")).content.decode()
    assert "Record an appeal for a resident" in page


def test_a_letter_that_arrived_in_time_is_in_time_whenever_it_is_typed_in(client, staff):
    """The window is counted to the day the appeal reached us, not the day it is recorded."""
    call, decision = decided_call(staff)
    decision.sent_on = timezone.localdate() - timedelta(days=35)
    decision.appeal_deadline = decision.sent_on + timedelta(days=28)
    decision.save()
    login(client)
    arrived = decision.appeal_deadline
    assert record(client, call, received_on=arrived.isoformat()).status_code == 302
    appeal = Appeal.objects.get()
    assert timezone.localdate(appeal.received_at) == arrived


def test_an_appeal_cannot_have_arrived_before_the_decision_was_sent(client, staff):
    call, decision = decided_call(staff)
    login(client)
    before = decision.sent_on - timedelta(days=1)
    page = record(client, call, received_on=before.isoformat()).content.decode()
    assert "cannot have reached us before that day" in page
    assert not Appeal.objects.exists()


def test_an_appeal_given_by_phone_says_so_on_the_record(client, staff):
    call, _ = decided_call(staff)
    login(client)
    response = record(client, call, received_via="phone")
    appeal = Appeal.objects.get()
    assert appeal.received_via == "phone"
    entry = ModelLogEntry.objects.get(action="scrutiny.call.appealed_for_resident")
    assert "given by phone" in entry.message
    client.get(response["Location"])
    assert "by phone, recorded by" in client.get(response["Location"]).content.decode()
