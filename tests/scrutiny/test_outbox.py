"""The outbox: every message to a resident, and letters for residents without email (issues
19 and 20)."""

from io import BytesIO

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from scrutiny import pipeline
from scrutiny.models import (
    MessageChannel,
    MessageState,
    PrivacyAction,
    PrivacyActionKind,
    ScrutinySettings,
    SentEmail,
)
from tests.scrutiny.builders import make_call

pytestmark = pytest.mark.django_db

OUTBOX = "/admin/scrutiny/sentemail/"
PRIVACY_LOG = "/admin/scrutiny/privacyaction/"
BY_PHONE = {
    "email": "",
    "phone": "07700 900321",
    "address": "12 Larch Court\nLeeds",
    "postcode": "LS1 4AP",
    "name": "Pat Post",
}


@pytest.fixture
def contact(db):
    config = ScrutinySettings.load()
    config.contact_address = "1 Pine Road\nLeeds LS2 9ZZ"
    config.contact_phone = "0113 496 0000"
    config.save()
    return config


@pytest.fixture
def letter_call(contact, django_capture_on_commit_callbacks):
    """A call raised with a phone number and a postal address, no email, acknowledged."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call = make_call(**BY_PHONE)
    return call


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_an_email_to_a_resident_is_in_the_outbox_with_its_reference(
    staff, contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call = make_call()

    row = SentEmail.objects.get(key=f"call:{call.pk}:acknowledgement")
    assert (row.to_resident, row.channel, row.state) == (True, MessageChannel.EMAIL, "sent")
    assert (row.recipient_name, row.to, row.reference) == (
        "Aisha Khan",
        "aisha.khan@example.org",
        call.reference,
    )
    # The officers' notification of the same call is not a message to a resident.
    assert not SentEmail.objects.get(key=f"call:{call.pk}:officer-notification").to_resident

    page = client_for(staff["officer"]).get(OUTBOX, {"q": call.reference})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Aisha Khan" in body and "aisha.khan@example.org" in body
    assert "We have received your Community Call for Scrutiny" in body
    assert "New call" not in body


def test_a_call_without_email_gets_a_letter_to_post_and_no_email(staff, letter_call):
    call = letter_call
    assert [m for m in mail.outbox if not m.to or call.name in m.body] == []
    assert all("officer@example.org" in m.to for m in mail.outbox)

    letter = SentEmail.objects.get(key=f"call:{call.pk}:acknowledgement")
    assert letter.channel == MessageChannel.LETTER
    assert letter.state == MessageState.TO_POST
    assert letter.recipient_name == "Pat Post"
    assert letter.postal_address == "12 Larch Court\nLeeds\nLS1 4AP"
    assert call.reference in letter.body

    officer = client_for(staff["officer"])
    queue = officer.get(OUTBOX, {"state__exact": "to_post"}).content.decode()
    assert "Pat Post" in queue and call.reference in queue

    pdf = officer.get(reverse("scrutiny_outbox_letter_pdf", args=[letter.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert call.reference in text
    assert "1 Pine Road" in text and "Leeds LS2 9ZZ" in text
    assert "Pat Post" in text and "12 Larch Court" in text
    assert "Dear Pat Post," in text
    assert f"{timezone.localdate():%-d %B %Y}" in text


def test_marking_a_letter_posted_records_the_date_and_who(staff, letter_call):
    letter = SentEmail.objects.get(key=f"call:{letter_call.pk}:acknowledgement")
    officer = client_for(staff["officer"])
    url = reverse("scrutiny_outbox_letter_posted", args=[letter.pk])

    assert "Yes, it is posted" in officer.get(url).content.decode()
    response = officer.post(url)
    assert response.status_code == 302

    letter.refresh_from_db()
    assert letter.state == MessageState.POSTED
    assert timezone.localtime(letter.posted_at).date() == timezone.localdate()
    assert letter.posted_by == staff["officer"]
    entry = ModelLogEntry.objects.get(action="scrutiny.letter.posted", object_id=str(letter.pk))
    assert entry.user == staff["officer"]
    assert entry.data["posted_on"] == timezone.localdate().isoformat()
    said = officer.get(OUTBOX, {"state__exact": "to_post"}).content.decode()
    assert f"about {letter_call.reference} is marked posted" in said
    queue = officer.get(OUTBOX, {"state__exact": "to_post"}).content.decode()
    assert letter_call.reference not in queue


def test_a_letter_is_posted_once(staff, letter_call):
    letter = SentEmail.objects.get(key=f"call:{letter_call.pk}:acknowledgement")
    pipeline.letter_mark_posted(letter=letter, user=staff["officer"])
    with pytest.raises(pipeline.TransitionNotAllowed, match="already marked posted"):
        pipeline.letter_mark_posted(letter=letter, user=staff["officer"])


def test_only_officers_mark_letters_posted(staff, letter_call):
    letter = SentEmail.objects.get(key=f"call:{letter_call.pk}:acknowledgement")
    url = reverse("scrutiny_outbox_letter_posted", args=[letter.pk])
    for role in ("manager", "panel", "comms"):
        client_for(staff[role]).post(url)
    letter.refresh_from_db()
    assert letter.state == MessageState.TO_POST and letter.posted_at is None


def test_the_outbox_is_read_only(staff, letter_call):
    letter = SentEmail.objects.get(key=f"call:{letter_call.pk}:acknowledgement")
    for role in ("officer", "admin"):
        client = client_for(staff[role])
        for url in (
            OUTBOX + "create/",
            f"{OUTBOX}edit/{letter.pk}/",
            f"{OUTBOX}delete/{letter.pk}/",
        ):
            response = client.post(url, {"subject": "Changed"})
            assert response.status_code in {302, 403, 404}, url
    letter.refresh_from_db()
    assert letter.subject != "Changed"
    assert SentEmail.objects.filter(pk=letter.pk).exists()


def test_a_decision_for_a_resident_without_email_is_a_letter(
    staff, contact, django_capture_on_commit_callbacks
):
    from tests.scrutiny.appeal_builders import decided_call

    with django_capture_on_commit_callbacks(execute=True):
        resident = {key: value for key, value in BY_PHONE.items() if key != "postcode"}
        call, decision = decided_call(staff, **resident)
    letter = SentEmail.objects.get(key=f"decision:{decision.pk}:resident")
    assert letter.channel == MessageChannel.LETTER and letter.state == MessageState.TO_POST
    assert "1 Pine Road" in letter.body  # where to write to appeal
    assert not [m for m in mail.outbox if "decision on your call" in m.subject]


def test_anonymising_a_call_takes_the_name_address_and_words_out_of_its_letters(staff, letter_call):
    from scrutiny.pipeline.privacy import RETENTION_REASON, _anonymise_call, _Run

    run = _Run(user=None, reason=RETENTION_REASON)
    _anonymise_call(run, letter_call)
    letter = SentEmail.objects.get(key=f"call:{letter_call.pk}:acknowledgement")
    assert (letter.recipient_name, letter.postal_address, letter.body) == ("Anonymised", "", "")
    assert letter.reference == letter_call.reference  # what was sent, and when, is kept


def test_the_anonymisation_log_lists_runs_without_personal_data(staff):
    PrivacyAction.objects.create(
        kind=PrivacyActionKind.RETENTION, counts={"calls": 2, "history_rows": 14}
    )
    body = client_for(staff["manager"]).get(PRIVACY_LOG).content.decode()
    assert "The retention task" in body
    assert "2 calls, 14 history rows" in body


def test_the_access_code_is_read_only_by_those_who_post_the_letter(staff, letter_call):
    """A letter waiting to be posted carries the resident's access code: a manager reading the
    outbox cannot download it, and once posted the kept copy no longer shows the code."""
    from scrutiny.access_codes import format_access_code

    letter = SentEmail.objects.get(key=f"call:{letter_call.pk}:acknowledgement")
    code = format_access_code(letter_call.access_code)
    assert code in letter.body
    url = reverse("scrutiny_outbox_letter_pdf", args=[letter.pk])
    assert client_for(staff["manager"]).get(url)["Content-Type"] != "application/pdf"
    assert code in pdf_text(client_for(staff["officer"]).get(url).content)

    pipeline.letter_mark_posted(letter=letter, user=staff["officer"])
    letter.refresh_from_db()
    assert code not in letter.body
    assert "the access code printed on the letter that was posted" in letter.body
    assert code not in pdf_text(client_for(staff["manager"]).get(url).content)
