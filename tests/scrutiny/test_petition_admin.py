"""Petitions in the admin: opening one from a call, the listing, signatures and who sees them."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from scrutiny import pipeline
from scrutiny.admin_views.petitions import signing_bursts
from scrutiny.models import CallStatus, Petition, PetitionSignature, PetitionStatus
from tests.conftest import PASSWORD, admin_refusal
from tests.scrutiny.builders import make_call

pytestmark = pytest.mark.django_db

NAMESPACE = "wagtailsnippets_scrutiny_petition"


def url(name: str, *args) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def in_triage(staff, **overrides):
    call = make_call(**({"households_affected": 240, "others_affected": True} | overrides))
    return pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])


@pytest.fixture
def petition(staff) -> Petition:
    """An open petition with a confirmed online signature and an unconfirmed one."""
    petition = pipeline.petition_open(
        call=in_triage(staff),
        user=staff["officer"],
        title="Fix the lifts at Pine Court",
        summary="The lifts have been broken for months.",
    )
    signature = pipeline.petition_sign(
        petition=petition,
        name="Sam Signer",
        email="sam.signer@example.org",
        postcode="L20 3AB",
        ip_address="203.0.113.7",
    )
    pipeline.signature_confirm(token=signature.token)
    pipeline.petition_sign(
        petition=petition, name="Una Confirmed", email="una@example.org", postcode="L20 3AC"
    )
    return petition


def count(petition) -> int:
    return pipeline.petition_count(petition)


# Opening


def test_an_officer_opens_a_petition_from_a_call_in_triage(client, staff):
    call = in_triage(staff)
    login(client, staff["officer"])
    response = client.get(url("open", call.pk))
    assert response.status_code == 200
    body = text(response)
    assert call.reference in body
    assert "of 240 households is 24" in body
    assert response.context["form"].initial["target"] == 24
    response = client.post(
        url("open", call.pk),
        {
            "title": "Mend the lifts",
            "summary": "Residents ask the panel to look at lift repairs.",
            "closes_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "target": "24",
            "target_change_reason": "",
        },
    )
    petition = Petition.objects.get(call=call)
    assert response.status_code == 302
    assert response["Location"] == url("inspect", petition.pk)
    call.refresh_from_db()
    assert call.status == CallStatus.GATHERING_EVIDENCE
    assert petition.status == PetitionStatus.OPEN and petition.target == 24


def test_a_different_target_without_a_reason_is_refused_on_the_form(client, staff):
    call = in_triage(staff)
    login(client, staff["officer"])
    response = client.post(
        url("open", call.pk),
        {
            "title": "Mend the lifts",
            "summary": "Residents ask the panel to look at lift repairs.",
            "closes_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "target": "5",
            "target_change_reason": "",
        },
    )
    assert response.status_code == 200
    assert "The rule suggests 24 signatures; give a reason for 5." in text(response)
    assert not Petition.objects.exists()
    call.refresh_from_db()
    assert call.status == CallStatus.TRIAGE


@pytest.mark.parametrize("role", ["panel", "manager", "comms"])
def test_only_officers_may_open_a_petition(client, staff, role):
    call = in_triage(staff)
    login(client, staff[role])
    assert admin_refusal(client.get(url("open", call.pk)))
    assert admin_refusal(client.post(url("open", call.pk), {"title": "x"}))
    assert not Petition.objects.exists()


def test_there_is_no_plain_add_view(client, staff):
    with pytest.raises(NoReverseMatch):
        url("add")
    login(client, staff["officer"])
    response = client.get(url("list"))
    assert response.status_code == 200


# The listing and the record


def test_the_list_shows_counted_signatures_against_the_target(client, staff, petition):
    login(client, staff["officer"])
    response = client.get(url("list"))
    assert response.status_code == 200
    body = text(response)
    assert "Fix the lifts at Pine Court" in body
    assert petition.call.reference in body
    assert "1 / 24" in body


def test_the_list_says_status_published_and_closing_date_in_words(client, staff, petition):
    login(client, staff["officer"])
    body = text(client.get(url("list")))
    row = next(r for r in re.findall(r"<tr[^>]*>.*?</tr>", body, flags=re.S) if "Pine Court" in r)

    assert re.search(r'scrutiny-tag--progress">\s*Open\s*<', row)
    assert re.search(r">\s*(Yes|No)\s*<", row)
    assert "icon-success" not in row and "icon-cross" not in row
    closes = petition.closes_on
    assert f"{closes.day} {closes:%b %Y}" in row
    assert " ago" not in row
    assert "Change history" in row[row.index('data-controller="w-dropdown"') :]


def test_the_list_counts_in_one_query_however_many_petitions(client, staff, petition):
    login(client, staff["officer"])
    client.get(url("list"))  # warm the caches of the session and settings

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("list")).status_code == 200
        return len(captured)

    with_one = queries()
    for n in range(3):
        pipeline.petition_open(
            call=in_triage(staff), user=staff["officer"], title=f"Petition {n}", summary="S."
        )
    assert queries() == with_one


def test_an_officer_sees_the_signatures(client, staff, petition):
    login(client, staff["officer"])
    response = client.get(url("inspect", petition.pk))
    assert response.status_code == 200
    body = text(response)
    assert "sam.signer@example.org" in body
    assert "Not confirmed" in body
    assert "203.0.113.7" in body
    assert (
        reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[petition.call.pk]) in body
    )
    assert "of 240 households is 24" in body


@pytest.mark.parametrize("role", ["panel", "manager"])
def test_the_panel_and_managers_see_the_count_but_not_the_signers(client, staff, petition, role):
    login(client, staff[role])
    response = client.get(url("inspect", petition.pk))
    assert response.status_code == 200
    body = text(response)
    assert "<strong>1</strong> of 24 signatures" in body
    assert "sam.signer@example.org" not in body
    assert "Sam Signer" not in body
    assert "Add signature" not in body and "Close petition" not in body


def test_the_panel_cannot_act_on_a_petition(client, staff, petition):
    login(client, staff["panel"])
    client.post(url("paper", petition.pk), {"name": "Pat", "postcode": "L1 1AA"})
    client.post(url("close", petition.pk))
    client.post(url("target", petition.pk), {"target": "3", "reason": "Because"})
    petition.refresh_from_db()
    assert count(petition) == 1
    assert petition.status == PetitionStatus.OPEN and petition.target == 24


# Signatures


def test_an_officer_adds_a_paper_signature(client, staff, petition):
    login(client, staff["officer"])
    response = client.post(
        url("paper", petition.pk),
        {"name": "Pat Paper", "postcode": "l1 1aa", "address": "1 High Street", "email": ""},
        follow=True,
    )
    assert "The paper signature of Pat Paper is added." in text(response)
    assert count(petition) == 2
    signature = PetitionSignature.objects.get(name="Pat Paper")
    assert signature.method == "paper" and signature.entered_by == staff["officer"]


def test_a_paper_signature_needs_a_postcode(client, staff, petition):
    login(client, staff["officer"])
    response = client.post(url("paper", petition.pk), {"name": "Pat Paper"}, follow=True)
    assert "Postcode: This field is required." in text(response)
    assert count(petition) == 1


def sheet(content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("sheet.csv", content.encode(), content_type="text/csv")


def test_a_sheet_with_a_bad_row_shows_the_error_and_adds_nothing(client, staff, petition):
    login(client, staff["officer"])
    content = (
        "name,postcode,address,email\nAnn Row,L1 1AA,,\nBob Row,,,\nCat Row,L1 1AB,,not-an-email\n"
    )
    response = client.post(url("import", petition.pk), {"sheet": sheet(content)}, follow=True)
    body = text(response)
    assert "Row 3: the postcode is missing." in body
    assert "Row 4: &#x27;not-an-email&#x27; is not an email address." in body
    assert "Nothing was added" in body
    assert not PetitionSignature.objects.filter(method="paper").exists()
    assert count(petition) == 1


def test_a_good_sheet_adds_its_rows(client, staff, petition):
    login(client, staff["officer"])
    content = (
        "name,postcode,address,email\nAnn Row,L1 1AA,1 High St,\nBob Row,L1 1AB,,bob@example.org\n"
    )
    response = client.post(url("import", petition.pk), {"sheet": sheet(content)}, follow=True)
    assert "2 paper signatures added from sheet.csv." in text(response)
    assert count(petition) == 3


def test_bulk_invalidation_lowers_the_count(client, staff, petition):
    pipeline.signature_add_paper(
        petition=petition, name="Pat Paper", postcode="L1 1AA", user=staff["officer"]
    )
    assert count(petition) == 2
    login(client, staff["officer"])
    response = client.post(
        url("invalidate", petition.pk),
        {"reason": "Signed from a known spam domain", "email_domain": "example.org"},
        follow=True,
    )
    assert "2 signatures invalidated." in text(response)
    assert count(petition) == 1
    signature = PetitionSignature.objects.get(email="sam.signer@example.org")
    assert signature.invalidation_reason == "Signed from a known spam domain"


def test_bulk_invalidation_needs_a_criterion(client, staff, petition):
    login(client, staff["officer"])
    response = client.post(url("invalidate", petition.pk), {"reason": "Spam"}, follow=True)
    assert "Choose an email domain, an address, a network address or a time window." in text(
        response
    )
    assert count(petition) == 1


def test_bulk_invalidation_by_time_window(client, staff, petition):
    login(client, staff["officer"])
    now = timezone.localtime()
    client.post(
        url("invalidate", petition.pk),
        {
            "reason": "A burst of signatures",
            "since": (now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "until": (now + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert count(petition) == 0


def test_an_officer_changes_the_target_with_a_reason(client, staff, petition):
    login(client, staff["officer"])
    response = client.post(url("target", petition.pk), {"target": "30", "reason": ""}, follow=True)
    assert "Reason for the change: This field is required." in text(response)
    response = client.post(
        url("target", petition.pk),
        {"target": "30", "reason": "More homes use the lifts."},
        follow=True,
    )
    assert "The target is now 30 signatures." in text(response)
    petition.refresh_from_db()
    assert petition.target == 30 and petition.target_change_reason == "More homes use the lifts."


def test_an_officer_closes_a_petition(client, staff, petition):
    login(client, staff["officer"])
    assert client.get(url("close", petition.pk)).status_code == 405
    response = client.post(url("close", petition.pk), follow=True)
    assert "is closed." in text(response)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.CLOSED and petition.closed_at is not None
    assert "Close petition" not in text(response)


# Export


def test_the_export_has_the_signers_for_an_officer(client, staff, petition):
    PetitionSignature.objects.filter(name="Sam Signer").update(name="=HYPERLINK(1)")
    login(client, staff["officer"])
    response = client.get(url("signatures_csv", petition.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = text(response)
    assert body.splitlines()[0] == (
        "Name,Email,Postcode,Address,Method,Created,Confirmed,Withdrawn,Invalidated,Reason"
    )
    assert "sam.signer@example.org" in body
    assert "'=HYPERLINK(1)" in body


@pytest.mark.parametrize("role", ["panel", "manager", "comms"])
def test_the_export_is_refused_to_everyone_else(client, staff, petition, role):
    login(client, staff[role])
    assert client.get(url("signatures_csv", petition.pk)).status_code == 403


# Bursts


def test_three_signatures_from_one_address_in_ten_minutes_are_a_burst(staff, petition):
    start = timezone.now() - timedelta(hours=2)
    for n, minutes in enumerate([0, 4, 9, 30]):
        PetitionSignature.objects.create(
            petition=petition,
            name=f"Burst {n}",
            email=f"burst{n}@example.org",
            person_key=f"burst {n}|L11AA",
            ip_address="198.51.100.1",
            created_at=start + timedelta(minutes=minutes),
        )
    for n, minutes in enumerate([0, 11, 22]):
        PetitionSignature.objects.create(
            petition=petition,
            name=f"Slow {n}",
            email=f"slow{n}@example.org",
            person_key=f"slow {n}|L11AA",
            ip_address="198.51.100.2",
            created_at=start + timedelta(minutes=minutes),
        )
    bursts = signing_bursts(petition)
    assert [b["ip_address"] for b in bursts] == ["198.51.100.1"]
    assert bursts[0]["busiest"] == 3 and bursts[0]["total"] == 4
    assert bursts[0]["busiest_from"] == start


# Editing


def test_the_edit_form_changes_the_wording_but_not_the_target(client, staff, petition):
    login(client, staff["officer"])
    response = client.get(url("edit", petition.pk))
    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"title", "summary", "published", "closes_on"}
    closes_on = petition.closes_on.isoformat()
    response = client.post(
        url("edit", petition.pk),
        {"title": "Mend the lifts now", "summary": "Lifts.", "closes_on": closes_on, "target": "1"},
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.title == "Mend the lifts now"
    assert petition.published is False
    assert petition.target == 24


def test_bulk_invalidation_by_network_address(client, staff, petition):
    login(client, staff["officer"])
    address = petition.signatures.first().ip_address or "203.0.113.7"
    petition.signatures.update(ip_address=address)
    client.post(
        url("invalidate", petition.pk), {"reason": "Burst", "ip_address": address}, follow=True
    )
    assert count(petition) == 0
