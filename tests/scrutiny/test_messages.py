"""What residents are told: the contact details from the settings, replies to the scrutiny
contact, and one message per recipient (issue 19)."""

import pytest
from django.core import mail

from scrutiny import pipeline
from scrutiny.models import ScrutinySettings
from tests.scrutiny.appeal_builders import decided_call
from tests.scrutiny.builders import make_call
from tests.scrutiny.test_petitions import open_petition, sign_and_confirm

pytestmark = pytest.mark.django_db

ADDRESS = "Pine Court Housing\n1 Larch Road\nLeeds LS1 4AP"
PHONE = "0113 496 0000"


@pytest.fixture
def contact(db):
    config = ScrutinySettings.load()
    config.contact_role = "Customer Empowerment Manager"
    config.contact_email = "scrutiny@pinecourt.example"
    config.contact_phone = PHONE
    config.contact_address = ADDRESS
    config.save()
    return config


def to(address: str):
    return [message for message in mail.outbox if message.to == [address]]


def test_the_decision_email_gives_the_address_to_write_to_and_the_phone(
    staff, contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call, _ = decided_call(staff)

    (message,) = [m for m in to(call.email) if "decision" in m.subject]
    assert "1 Larch Road\nLeeds LS1 4AP" in message.body
    assert PHONE in message.body
    assert "Customer Empowerment Manager" in message.body
    assert "address below" not in message.body
    html = message.alternatives[0][0]
    assert "1 Larch Road<br>Leeds LS1 4AP" in html
    assert PHONE in html


def test_every_email_to_a_resident_replies_to_the_scrutiny_contact(
    staff, contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call = make_call()
    (acknowledgement,) = to(call.email)
    assert acknowledgement.reply_to == ["scrutiny@pinecourt.example"]
    assert "1 Larch Road" in acknowledgement.body
    assert PHONE in acknowledgement.body


def test_target_reached_greets_the_resident_with_the_petitions_link_apart_from_the_officers(
    staff, contact, django_capture_on_commit_callbacks
):
    petition = open_petition(staff, target=1, target_change_reason="One home.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign_and_confirm(petition, 1)

    reached = [m for m in mail.outbox if m.subject.startswith("Target reached")]
    assert all(len(message.to) == 1 for message in reached)
    (resident,) = [m for m in reached if m.to == [petition.call.email]]
    assert resident.body.startswith(f"Dear {petition.call.name},")
    assert "The petition: http://testserver/" in resident.body
    assert resident.reply_to == ["scrutiny@pinecourt.example"]
    (officer,) = [m for m in reached if m.to == [staff["officer"].email]]
    assert "Dear" not in officer.body
    assert petition.call.reference in officer.body


def test_a_petition_closing_is_one_message_each_to_the_resident_and_the_officer(
    staff, contact, django_capture_on_commit_callbacks
):
    petition = open_petition(staff, target=5, target_change_reason="Five homes.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.petition_close(petition=petition, user=staff["officer"])

    closed = [m for m in mail.outbox if "has closed" in m.subject]
    assert sorted(m.to[0] for m in closed) == sorted([petition.call.email, "officer@example.org"])
    assert all(len(message.to) == 1 for message in closed)
    (resident,) = to(petition.call.email)
    assert resident.body.startswith(f"Dear {petition.call.name},")
