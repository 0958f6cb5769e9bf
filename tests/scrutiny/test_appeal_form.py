"""The public appeal form: each bad input gets a message and saves nothing; tracking shows it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from scrutiny import pipeline
from scrutiny.models import Appeal, AppealEvidence, ScrutinySettings
from tests.scrutiny.appeal_builders import decided_call, eligible_members
from tests.scrutiny.test_call_form import make_call_page

pytestmark = pytest.mark.django_db

APPEAL_URL = "/call-for-scrutiny/appeal/"
TRACK_URL = "/call-for-scrutiny/track/"
NOT_FOUND = "We could not find a call with that reference and access code."


@pytest.fixture
def call_page(db):
    return make_call_page()


@pytest.fixture
def decided(staff, call_page):
    return decided_call(staff)


def answers(call, **overrides):
    return {
        "reference": call.reference,
        "access_code": call.access_code,
        "grounds": "The panel did not see my letters from the Ombudsman.",
        "website": "",
    } | overrides


def test_the_form_is_shown(client, call_page):
    page = client.get(APPEAL_URL).content.decode()
    assert "Appeal against the panel" in page
    assert "within 28 days" in page


def test_a_good_appeal_is_saved_confirmed_and_emailed(
    client, decided, django_capture_on_commit_callbacks
):
    call, decision = decided
    mail.outbox.clear()
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPEAL_URL, answers(call) | {"evidence": [pdf]})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.decision == decision
    assert AppealEvidence.objects.get().original_name == "letter.pdf"
    confirmation = client.get(response["Location"]).content.decode()
    assert appeal.reference in confirmation
    assert {message.subject for message in mail.outbox} == {
        f"We have received your appeal {appeal.reference}",
        f"New appeal {appeal.reference} on {call.reference}",
    }


def test_the_confirmation_is_only_for_the_browser_that_sent_it(client, decided):
    response = client.get(APPEAL_URL + "sent/")
    assert response.status_code == 302 and response["Location"].endswith(APPEAL_URL)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reference": ""}, "Enter your call reference"),
        ({"access_code": ""}, "Enter your access code"),
        ({"grounds": ""}, "Tell us why you are appealing"),
        ({"grounds": "x" * 10_001}, "must be 10,000 characters or fewer"),
        ({"access_code": "ABCDE-FGHJK"}, NOT_FOUND),
        ({"access_code": "PC1 1AA"}, NOT_FOUND),
        ({"reference": "CCS-1999-0001"}, NOT_FOUND),
    ],
)
def test_bad_inputs_each_give_a_message_and_save_nothing(client, decided, change, message):
    call, _ = decided
    response = client.post(APPEAL_URL, answers(call, **change))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert not Appeal.objects.exists()


def test_a_file_that_is_not_what_it_says_is_refused(client, decided):
    call, _ = decided
    fake = SimpleUploadedFile("letter.pdf", b"MZ not a pdf", content_type="application/pdf")
    page = client.post(APPEAL_URL, answers(call) | {"evidence": [fake]}).content.decode()
    assert "is not a real PDF" in page
    assert "You need to choose your files again" in page
    assert not Appeal.objects.exists() and not AppealEvidence.objects.exists()


def test_too_many_files_are_refused(client, decided):
    call, _ = decided
    files = [
        SimpleUploadedFile(f"note{n}.txt", b"hello", content_type="text/plain") for n in range(6)
    ]
    page = client.post(APPEAL_URL, answers(call) | {"evidence": files}).content.decode()
    assert "Choose 5 files or fewer" in page
    assert not Appeal.objects.exists()


def test_a_late_appeal_gives_the_last_date_and_whom_to_contact(client, decided):
    call, decision = decided
    decision.sent_on = timezone.localdate() - timedelta(days=29)
    decision.appeal_deadline = decision.sent_on + timedelta(days=28)
    decision.save()
    page = client.post(APPEAL_URL, answers(call)).content.decode()
    assert decision.appeal_deadline.strftime("%A %-d %B %Y") in page
    assert "Customer Empowerment Manager" in page
    assert not Appeal.objects.exists()


def test_an_accepted_call_and_a_second_appeal_are_refused_on_the_form(client, staff, call_page):
    accepted, _ = decided_call(staff, outcome_details={"outcome": "accepted"})
    page = client.post(APPEAL_URL, answers(accepted)).content.decode()
    assert "there is no decision to appeal" in page
    call, _ = decided_call(staff, email="lee@example.org")
    assert client.post(APPEAL_URL, answers(call)).status_code == 302
    page = client.post(APPEAL_URL, answers(call)).content.decode()
    assert "already been appealed" in page
    assert Appeal.objects.count() == 1


def test_the_honeypot_refuses_and_saves_nothing(client, decided):
    call, _ = decided
    response = client.post(APPEAL_URL, answers(call, website="http://spam.example"))
    assert response.status_code == 400
    assert not Appeal.objects.exists()


def test_too_many_attempts_are_rate_limited(client, decided):
    call, _ = decided
    limit = ScrutinySettings.load().form_submissions_per_hour
    for _ in range(limit):
        client.post(APPEAL_URL, answers(call, grounds=""))
    response = client.post(APPEAL_URL, answers(call))
    assert response.status_code == 429
    assert not Appeal.objects.exists()


def test_tracking_shows_the_appeal_and_its_final_decision(client, staff, decided):
    call, _ = decided
    lookup = {"reference": call.reference, "access_code": call.access_code}
    page = client.post(TRACK_URL, lookup).content.decode()
    assert "appeal in writing" in page and APPEAL_URL in page
    appeal = pipeline.appeal_submit(
        reference=call.reference, access_code=call.access_code, grounds="Please look again."
    )
    page = client.post(TRACK_URL, lookup).content.decode()
    assert appeal.reference in page
    assert "arranging an independent appeal panel" in page
    assert "appeal in writing" not in page
    pipeline.appeal_convene(appeal=appeal, members=eligible_members(4), user=staff["officer"])
    pipeline.appeal_decide(
        appeal=appeal, outcome="dismissed", reasons="The panel was right.", user=staff["officer"]
    )
    page = client.post(TRACK_URL, lookup).content.decode()
    assert "Your appeal is dismissed" in page
    assert "The panel was right." in page
    assert "final" in page


def test_the_evidence_is_stored_privately(client, decided):
    from django.core.files.storage import storages

    call, _ = decided
    upload = SimpleUploadedFile("note.txt", b"my note", content_type="text/plain")
    client.post(APPEAL_URL, answers(call) | {"evidence": [upload]})
    evidence = AppealEvidence.objects.get()
    assert evidence.file.storage is storages["scrutiny_private"]
    assert evidence.file.read() == b"my note"
