"""Issue 19: "signers choose at signing to be told the outcome (stored with their consent and
erased with their signature); the caller and those signers are told the decision, the report's
publication (with a link) and the action plan's completion. Queued through django-q2, sent once
each, HTML and text." Proof: "a signer who asked to be told receives the decision and the
report's link, one who did not receives nothing"."""

import pytest
from django.core import mail

from scrutiny import outcome_news, pipeline
from scrutiny.models import PetitionSignature, ScrutinyReviewPage
from scrutiny.pipeline import machine
from tests.scrutiny.builders import decide, make_call

pytestmark = pytest.mark.django_db

CALLER = "aisha.khan@example.org"
ASKED = "sam.asked@example.org"
SILENT = "kim.silent@example.org"


def sign(petition, name, email, *, tell_outcome):
    signature = pipeline.petition_sign(
        petition=petition, name=name, email=email, postcode="L20 3AB", tell_outcome=tell_outcome
    )
    return pipeline.signature_confirm(token=signature.token)


@pytest.fixture
def petitioned_call(staff):
    """A call with a petition signed by one person who asked to be told and one who did not,
    then accepted by the panel."""
    call = make_call(others_affected=True, households_affected=90)
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    petition = pipeline.petition_open(
        call=call, user=staff["officer"], title="Fix our doors", summary="Doors broken."
    )
    sign(petition, "Sam Asked", ASKED, tell_outcome=True)
    sign(petition, "Kim Silent", SILENT, tell_outcome=False)
    call.refresh_from_db()
    pipeline.call_move(call=call, transition="send_to_panel", user=staff["officer"])
    return call


def to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_the_signer_who_asked_hears_the_decision_and_the_one_who_did_not_hears_nothing(
    staff, petitioned_call, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(petitioned_call, outcome="accepted", user=staff["panel"])
    (news,) = to(ASKED)
    assert petitioned_call.reference in news.subject
    assert "Dear Sam Asked" in news.body
    assert "A pattern of failure." in news.body  # the panel's reasons
    html = news.alternatives[0][0]
    assert "Dear Sam Asked" in html and "A pattern of failure." in html
    assert not to(SILENT)
    # The resident who raised it has their own decision letter, and no second message.
    assert len(to(CALLER)) == 1
    # Sent once: running the task again sends nothing.
    assert outcome_news.send_decision_news(petitioned_call.decisions.get().pk) == 0


def test_the_report_and_the_completed_plan_reach_the_caller_and_the_signer_who_asked(
    staff, petitioned_call, home_page, django_capture_on_commit_callbacks
):
    decide(petitioned_call, outcome="accepted", user=staff["panel"])
    review = ScrutinyReviewPage.objects.get(pk=_review_for(staff, home_page, petitioned_call).pk)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        review = machine.apply(review, "publish_report", user=staff["manager"])
    assert outcome_news.send_report_news(review.pk) == 0  # the move queued it; sent already
    for address in (CALLER, ASKED):
        (news,) = to(address)
        assert review.title in news.subject
        assert review.url in news.body
    assert "You raised" in to(CALLER)[0].body
    assert "You signed the petition" in to(ASKED)[0].body
    assert not to(SILENT)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        machine.apply(review, "complete", user=staff["officer"])
    for address in (CALLER, ASKED):
        (news,) = to(address)
        assert "Every action" in news.subject
    assert not to(SILENT)
    # Reopened and completed again: nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        machine.apply(review, "reopen", user=staff["officer"])
        machine.apply(review, "complete", user=staff["officer"])
    assert len(to(CALLER)) == 1 and len(to(ASKED)) == 1


def _review_for(staff, home_page, call):
    from tests.scrutiny.action_plan_builders import make_reported_review

    review = make_reported_review(
        home_page, calls=[call], status="reporting", business_area=call.business_area
    )
    return review


def test_a_signer_chooses_on_the_petition_page(client, staff):
    from tests.scrutiny.test_petition_pages import (
        make_petition_page,
        open_petition,
        petition_url,
        valid_signature,
    )

    make_petition_page()
    petition = open_petition(staff)
    form = client.get(petition_url(petition)).content.decode()
    assert "Email me what the panel decides, and what its review finds" in form
    client.post(petition_url(petition), valid_signature(email=ASKED, tell_outcome="on"))
    client.post(petition_url(petition), valid_signature(email=SILENT, name="Kim Silent"))
    assert PetitionSignature.objects.get(email=ASKED).tell_outcome is True
    assert PetitionSignature.objects.get(email=SILENT).tell_outcome is False


def test_the_choice_is_erased_with_the_signature(staff, petitioned_call):
    signature = PetitionSignature.objects.get(email=ASKED)
    pipeline.subject_erase(email=ASKED, user=staff["officer"])
    signature.refresh_from_db()
    assert signature.tell_outcome is False
    assert signature.anonymised_at is not None
    assert outcome_news.outcome_recipients(petitioned_call, signers_only=True) == []


def test_each_address_is_told_once_however_it_signed(staff, petitioned_call):
    """The resident who raised the call and also signed, in other capitals, is one person."""
    sign(petitioned_call.petition, "Aisha Khan", CALLER.upper(), tell_outcome=True)
    people = outcome_news.outcome_recipients(petitioned_call)
    emails = [person["email"].lower() for person in people]
    assert emails == [CALLER, ASKED]
    assert people[0]["raised_it"] is True


def test_a_paper_signer_with_no_email_who_asked_is_written_to(
    staff, petitioned_call, home_page, django_capture_on_commit_callbacks
):
    """Issue 19: "every message a resident would be emailed can be produced as a letter"."""
    from scrutiny.models import MessageChannel, SentEmail

    petition = petitioned_call.petition
    pipeline.signature_add_paper(
        petition=petition,
        name="Pat Paper",
        postcode="L20 3AB",
        address="4 Harbour View, Bootle",
        tell_outcome=True,
        user=staff["officer"],
    )
    pipeline.signature_add_paper(
        petition=petition,
        name="Nell Nopost",
        postcode="L20 3AB",
        address="5 Harbour View, Bootle",
        user=staff["officer"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        decide(petitioned_call, outcome="accepted", user=staff["panel"])
    (letter,) = SentEmail.objects.filter(recipient_name="Pat Paper")
    assert letter.channel == MessageChannel.LETTER
    assert "4 Harbour View" in letter.postal_address and "L20 3AB" in letter.postal_address
    assert "A pattern of failure." in letter.body
    assert not SentEmail.objects.filter(recipient_name="Nell Nopost").exists()

    review = ScrutinyReviewPage.objects.get(pk=_review_for(staff, home_page, petitioned_call).pk)
    with django_capture_on_commit_callbacks(execute=True):
        machine.apply(review, "publish_report", user=staff["manager"])
    letters = SentEmail.objects.filter(recipient_name="Pat Paper").order_by("pk")
    assert len(letters) == 2
    assert review.title in letters[1].subject


def test_a_paper_signer_who_asked_needs_an_email_or_an_address(staff, petitioned_call):
    with pytest.raises(pipeline.SignatureRefused, match="email or their address"):
        pipeline.signature_add_paper(
            petition=petitioned_call.petition,
            name="Pat Paper",
            postcode="L20 3AB",
            tell_outcome=True,
            user=staff["officer"],
        )
