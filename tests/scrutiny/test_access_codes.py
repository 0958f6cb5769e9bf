"""Residents' secrets, tried as the attack: a neighbour who knows a call's reference (they are
sequential) and its postcode (shared by about 15 households) must learn no more than the bare
stage and must not be able to use up the resident's only appeal. The resident's access code (or
the link that carries it) opens everything."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from scrutiny import pipeline
from scrutiny.models import Appeal, CallForScrutiny
from tests.conftest import PASSWORD
from tests.scrutiny.appeal_builders import decided_call
from tests.scrutiny.test_call_form import make_call_page

pytestmark = pytest.mark.django_db

TRACK_URL = "/call-for-scrutiny/track/"
APPEAL_URL = "/call-for-scrutiny/appeal/"
REASONS = "The complaints procedure can still put this right."
UNKNOWN = "We could not find a call with those details."
APPEAL_UNKNOWN = "We could not find a call with that reference and access code."
# Ten characters, none of them look-alikes (0/O, 1/I/L).
CODE = re.compile(r"^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{10}$")


@pytest.fixture
def call_page(db):
    return make_call_page()


@pytest.fixture
def decided(staff, call_page, django_capture_on_commit_callbacks):
    """A call the panel did not accept, with the resident's emails sent."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call, decision = decided_call(staff, email="aisha.khan@example.org")
    return call, decision


def without_csrf_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def grouped(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def site_path(url: str) -> str:
    return url.removeprefix(settings.WAGTAILADMIN_BASE_URL.rstrip("/"))


def email_to(subject_part: str):
    messages = [m for m in mail.outbox if subject_part in m.subject]
    assert len(messages) == 1, [m.subject for m in mail.outbox]
    return messages[0]


# The code itself.


def test_every_call_gets_a_random_code_of_ten_unambiguous_characters(staff, call_page):
    first, _ = decided_call(staff)
    second, _ = decided_call(staff, email="lee@example.org")
    assert CODE.match(first.access_code) and CODE.match(second.access_code)
    assert first.access_code != second.access_code
    assert first.access_code_issued_at is not None


# The neighbour: reference and postcode.


def main(html: str) -> str:
    """The page's own content: every page's navigation links to the appeal form for anyone."""
    return html[html.index("<main") : html.index("</main>")]


def test_reference_and_postcode_show_only_the_bare_stage(client, decided):
    call, decision = decided
    page = client.post(TRACK_URL, {"reference": call.reference, "email_or_postcode": "PC1 1AA"})
    html = main(page.content.decode())
    assert page.status_code == 200
    assert call.reference in html and "Decided" in html
    for secret in [
        REASONS,
        "Finish the complaints procedure.",  # the avenues
        "The panel has not accepted",  # the decision in words
        "not accepted",
        "panel did not accept",
        "Repairs and maintenance",  # the service
        "Aisha Khan",
        "last day",
        APPEAL_URL,
        "appeal in writing",
        decision.appeal_deadline.strftime("%-d %B %Y"),
        call.access_code,
    ]:
        assert secret.lower() not in html.lower(), secret


def test_reference_and_email_address_show_only_the_bare_stage_too(client, decided):
    call, _ = decided
    html = main(
        client.post(
            TRACK_URL, {"reference": call.reference, "email_or_postcode": "aisha.khan@example.org"}
        ).content.decode()
    )
    assert "Decided" in html
    assert REASONS not in html and APPEAL_URL not in html


def test_the_bare_stage_before_the_decision_says_only_where_the_call_is(client, staff, call_page):
    from tests.scrutiny.builders import make_awaiting_call

    call = make_awaiting_call(staff, postcode="PC1 1AA")
    html = client.post(
        TRACK_URL, {"reference": call.reference, "email_or_postcode": "pc1 1aa"}
    ).content.decode()
    assert "With the panel" in html
    assert "agenda" not in html.lower()


def test_the_neighbour_cannot_appeal_with_the_postcode(client, decided):
    call, _ = decided
    for not_a_secret in ["PC1 1AA", "aisha.khan@example.org", ""]:
        response = client.post(
            APPEAL_URL,
            {
                "reference": call.reference,
                "access_code": not_a_secret,
                "email_or_postcode": "PC1 1AA",
                "grounds": "Someone else's grounds.",
                "website": "",
            },
        )
        assert response.status_code == 200
    assert not Appeal.objects.exists()


def test_a_neighbour_guessing_codes_is_told_nothing_and_uses_up_nothing(client, decided):
    call, _ = decided
    guesses = ["ABCDEFGHJK", "22222-22222", call.access_code[:9] + "Z"]
    pages = [
        client.post(
            APPEAL_URL,
            {
                "reference": call.reference,
                "access_code": guess,
                "grounds": "Mine now.",
                "website": "",
            },
        ).content.decode()
        for guess in guesses
        if guess != call.access_code
    ]
    unknown = client.post(
        APPEAL_URL,
        {
            "reference": "CCS-1999-0001",
            "access_code": call.access_code,
            "grounds": "Mine now.",
            "website": "",
        },
    ).content.decode()
    assert all(APPEAL_UNKNOWN in page for page in [*pages, unknown])
    assert "already been appealed" not in unknown
    assert not Appeal.objects.exists()


def test_a_wrong_code_reads_exactly_as_an_unknown_reference(client, decided):
    call, _ = decided
    wrong = client.post(TRACK_URL, {"reference": call.reference, "access_code": "ABCDE-FGHJK"})
    unknown = client.post(
        TRACK_URL, {"reference": "CCS-1999-0001", "access_code": call.access_code}
    )
    wrong_postcode = client.post(
        TRACK_URL, {"reference": call.reference, "email_or_postcode": "ZZ9 9ZZ"}
    )
    assert wrong.status_code == unknown.status_code == 200
    assert UNKNOWN in wrong.content.decode()
    html = without_csrf_token(wrong.content.decode())
    assert html == without_csrf_token(unknown.content.decode())
    assert html == without_csrf_token(wrong_postcode.content.decode())


# The resident: reference and code, or the link.


def test_the_right_code_shows_the_reasons_and_the_resident_appeals(client, decided):
    call, decision = decided
    html = client.post(
        TRACK_URL, {"reference": call.reference, "access_code": grouped(call.access_code).lower()}
    ).content.decode()
    assert REASONS in html
    assert "Finish the complaints procedure." in html
    assert decision.appeal_deadline.strftime("%-d %B %Y") in html
    appeal_link = re.search(r'href="(/call-for-scrutiny/appeal/[^"]+/)">appeal in writing', html)
    assert appeal_link, html
    form = client.get(appeal_link.group(1)).content.decode()
    assert f'value="{call.reference}"' in form
    assert f'value="{grouped(call.access_code)}"' in form
    response = client.post(
        APPEAL_URL,
        {
            "reference": call.reference,
            "access_code": grouped(call.access_code),
            "grounds": "The panel did not see my letters.",
            "website": "",
        },
    )
    assert response.status_code == 302
    assert Appeal.objects.get().call == call


def test_the_acknowledgement_on_screen_and_by_email_gives_the_code_and_a_link(
    client, call_page, django_capture_on_commit_callbacks
):
    from tests.conftest import make_business_area
    from tests.scrutiny.test_call_form import valid_answers

    area = make_business_area()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/call-for-scrutiny/", valid_answers(area))
    assert response.status_code == 302, response.content.decode()[:2000]
    call = CallForScrutiny.objects.get()
    confirmation = client.get(response["Location"])
    assert grouped(call.access_code) in confirmation.content.decode()
    assert "no-store" in confirmation["Cache-Control"]

    email = email_to(call.reference)
    assert grouped(call.access_code) in email.body
    html = email.alternatives[0][0]
    assert grouped(call.access_code) in html
    link = re.search(r"Open your call directly: (\S+)", email.body).group(1)
    assert call.access_code not in link  # the link is opaque
    opened = client.get(site_path(link))
    assert opened.status_code == 200
    assert call.reference in opened.content.decode()
    assert "Repairs take months" not in opened.content.decode()  # their words are not shown
    assert "We have received your call" in opened.content.decode()


def test_the_decision_email_gives_the_code_and_its_link_opens_the_reasons(client, decided):
    call, _ = decided
    email = email_to(f"The panel's decision on your call {call.reference}")
    assert grouped(call.access_code) in email.body
    assert grouped(call.access_code) in email.alternatives[0][0]
    link = re.search(r"Open your call directly: (\S+)", email.body).group(1)
    html = client.get(site_path(link)).content.decode()
    assert REASONS in html
    appeal_link = re.search(r"You can appeal online at (\S+),", email.body).group(1)
    form = client.get(site_path(appeal_link)).content.decode()
    assert f'value="{grouped(call.access_code)}"' in form


def test_every_later_letter_to_the_resident_carries_the_code(
    client, staff, decided, django_capture_on_commit_callbacks
):
    call, _ = decided
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.appeal_submit(
            reference=call.reference, access_code=call.access_code, grounds="Please look again."
        )
    email = email_to("We have received your appeal")
    assert grouped(call.access_code) in email.body


def test_a_forged_or_altered_link_opens_nothing(client, decided):
    call, _ = decided
    genuine = re.search(
        r"Open your call directly: (\S+)", email_to("The panel's decision").body
    ).group(1)
    number, _, signature = genuine.rstrip("/").rsplit("/", 1)[1].partition("-")
    altered = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    for token in [
        "nonsense",
        f"{call.pk}-{'0' * 32}",
        f"{number}-{altered}",
        f"{int(number) + 1}-{signature}",
    ]:
        response = client.get(f"{TRACK_URL}{token}/")
        assert response.status_code == 404
        assert REASONS not in response.content.decode()
        assert "This link does not work" in response.content.decode()


# The officer: a new code.


def officer_client(client, username="officer"):
    assert client.login(username=username, password=PASSWORD)
    return client


def access_code_url(call):
    return reverse("wagtailsnippets_scrutiny_callforscrutiny:access_code", args=[call.pk])


def inspect_url(call):
    return reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[call.pk])


def test_a_new_code_voids_the_old_code_and_links_and_is_on_the_record(
    client, staff, decided, django_capture_on_commit_callbacks
):
    call, _ = decided
    old_code = call.access_code
    old_link = re.search(
        r"Open your call directly: (\S+)", email_to("The panel's decision").body
    ).group(1)
    mail.outbox.clear()
    officer_client(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(access_code_url(call))
    call.refresh_from_db()
    assert call.access_code != old_code
    page = response.content.decode()
    assert response.status_code == 200
    assert grouped(call.access_code) in page
    assert "no-store" in response["Cache-Control"]

    # Emailed to the resident, with a link that works.
    email = email_to(f"Your new access code for {call.reference}")
    assert email.to == ["aisha.khan@example.org"]
    assert grouped(call.access_code) in email.body

    # On the record, naming the officer, never with the code.
    entry = ModelLogEntry.objects.filter(action="scrutiny.call.access_code").get()
    assert entry.user == staff["officer"]
    assert entry.object_id == str(call.pk)
    assert call.access_code not in str(entry.data) and old_code not in str(entry.data)
    inspect = client.get(inspect_url(call)).content.decode()
    assert "Access code issued" in inspect or "new access code issued" in inspect.lower()
    assert call.access_code not in inspect  # shown once, not on the call's page

    client.logout()
    refused = client.post(TRACK_URL, {"reference": call.reference, "access_code": old_code})
    assert UNKNOWN in refused.content.decode()
    assert client.get(site_path(old_link)).status_code == 404
    accepted = client.post(
        TRACK_URL, {"reference": call.reference, "access_code": call.access_code}
    )
    assert REASONS in accepted.content.decode()
    new_link = re.search(r"Open your call directly: (\S+)", email.body).group(1)
    assert REASONS in client.get(site_path(new_link)).content.decode()
    # The old code cannot appeal either.
    with pytest.raises(pipeline.AppealNotFound):
        pipeline.appeal_submit(reference=call.reference, access_code=old_code, grounds="x")


def test_a_resident_without_email_gets_the_code_on_a_letter(
    client, staff, call_page, django_capture_on_commit_callbacks
):
    call, _ = decided_call(staff, email="", phone="07700 900123")
    mail.outbox.clear()
    officer_client(client)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(access_code_url(call)).content.decode()
    call.refresh_from_db()
    assert grouped(call.access_code) in page
    assert "print the code in a letter" in page
    assert mail.outbox == []
    entry = ModelLogEntry.objects.get(action="scrutiny.call.access_code")
    assert entry.data == {"emailed": False}


@pytest.mark.parametrize("role", ["panel", "manager", "appeal", "comms"])
def test_only_officers_issue_codes(client, staff, decided, role):
    call, _ = decided
    old_code = call.access_code
    officer_client(client, role)
    client.post(access_code_url(call))
    call.refresh_from_db()
    assert call.access_code == old_code
    assert not ModelLogEntry.objects.filter(action="scrutiny.call.access_code").exists()


def test_the_code_is_kept_out_of_history_revisions_and_the_admin(client, staff, decided):
    call, _ = decided
    assert not any(f.name == "access_code" for f in CallForScrutiny.history.model._meta.fields)
    for revision in call.revisions.all():
        assert "access_code" not in revision.content
    officer_client(client, "manager")
    export = client.get(reverse("wagtailsnippets_scrutiny_callforscrutiny:list") + "?export=csv")
    pages = [
        client.get(inspect_url(call)).content.decode(),
        b"".join(export.streaming_content).decode(),
    ]
    for page in pages:
        assert call.access_code not in page
        assert grouped(call.access_code) not in page


def test_the_call_page_asks_for_a_code_for_a_call_made_before_codes(client, staff, call_page):
    call, _ = decided_call(staff)
    CallForScrutiny.objects.filter(pk=call.pk).update(access_code_issued_at=None)
    officer_client(client)
    page = client.get(inspect_url(call)).content.decode()
    assert "never been given an access code" in page
    assert "Issue a new access code" in page


def test_a_late_resident_with_the_code_is_told_the_window_has_passed(client, decided):
    call, decision = decided
    decision.sent_on = timezone.localdate() - timedelta(days=29)
    decision.appeal_deadline = decision.sent_on + timedelta(days=28)
    decision.save()
    page = client.post(
        APPEAL_URL,
        {
            "reference": call.reference,
            "access_code": call.access_code,
            "grounds": "Late.",
            "website": "",
        },
    ).content.decode()
    assert "we cannot accept this appeal" in page
    assert not Appeal.objects.exists()
