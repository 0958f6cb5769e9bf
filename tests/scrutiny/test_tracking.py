"""Residents follow their call by reference and access code; a postcode shows only the stage."""

import re

import pytest
from django.test import Client

from scrutiny import pipeline, roles
from scrutiny.models import ScrutinySettings
from scrutiny.selectors import RESIDENT_STAGES
from tests.conftest import make_business_area, make_user
from tests.scrutiny.test_call_form import ESCAPED_SCRIPT, SCRIPT, make_call_page

pytestmark = pytest.mark.django_db

TRACK_URL = "/call-for-scrutiny/track/"
NOT_FOUND = (
    "We could not find a call with those details. Check the reference, and the access code or "
    "the email address or postcode, against the email or letter we sent you."
)


@pytest.fixture
def call_page(db):
    return make_call_page(tracking_introduction="<p>Use the reference in your email.</p>")


def make_call(**overrides):
    """A call sent through the pipeline, as the public form sends it."""
    area = overrides.pop("business_area", None) or make_business_area()
    fields = {
        "name": "Jo Bloggs",
        "email": "jo.bloggs@example.org",
        "phone": "07700 900 982",
        "address": "1 Larch Row",
        "postcode": "PC1 1AA",
        "tenure": "tenant",
        "business_area": area,
        "concerns": "Repairs take months.",
        "actions_taken": "Phoned three times.",
        "complaint_stage": "ombudsman",
        "complaint_finished": True,
        "service_failures": "Missed appointments.",
    } | overrides
    return pipeline.call_submit(fields=fields)


def look_up(client, reference, email_or_postcode, **extra):
    """A look-up without the access code: the bare stage at most."""
    return client.post(
        TRACK_URL, {"reference": reference, "email_or_postcode": email_or_postcode}, **extra
    )


def look_up_with_code(client, reference, access_code, **extra):
    """A look-up with the access code: the full tracking page."""
    return client.post(TRACK_URL, {"reference": reference, "access_code": access_code}, **extra)


def without_csrf_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_the_tracking_form_asks_for_reference_and_access_code(client, call_page):
    html = client.get(TRACK_URL).content.decode()
    assert "<title>Track your call for scrutiny" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<form method="post" action="/call-for-scrutiny/track/" novalidate>' in html
    assert '<label for="id_reference">Your call reference</label>' in html
    assert '<label for="id_access_code">Access code</label>' in html
    assert (
        '<label for="id_email_or_postcode">No access code? '
        "The email address or postcode you gave us</label>"
    ) in html
    assert "Use the reference in your email." in html


def test_the_right_reference_and_code_show_the_stage_and_timeline(client, call_page):
    call = make_call()
    typed = call.access_code.lower()[:5] + " " + call.access_code.lower()[5:]
    html = look_up_with_code(client, call.reference.lower(), typed).content.decode()
    assert call.reference in html
    assert "Repairs and maintenance" in html
    assert str(RESIDENT_STAGES["submitted"]) in html
    assert re.search(r'<time datetime="[^"]+">\d{1,2} \w+ \d{4}</time>: Received', html)
    assert NOT_FOUND not in html


def test_a_postcode_in_another_case_and_spacing_shows_the_bare_stage(client, call_page):
    call = make_call()
    for typed in ["pc11aa", " Pc1   1AA ", "  Jo.Bloggs@Example.org "]:
        html = look_up(client, call.reference, typed).content.decode()
        assert "Received" in html and call.reference in html
        assert str(RESIDENT_STAGES["submitted"]) not in html
        assert "enter your access code" in html


def test_the_timeline_shows_each_stage_reached(client, call_page):
    call = make_call()
    officer = make_user("officer", group=roles.OFFICERS)
    pipeline.call_move(call=call, transition="start_triage", user=officer)
    html = look_up_with_code(client, call.reference, call.access_code).content.decode()
    assert str(RESIDENT_STAGES["triage"]) in html
    assert "</time>: Received" in html
    assert "</time>: Triage" in html


def test_contact_details_are_never_shown(client, call_page):
    call = make_call(name=SCRIPT, concerns=SCRIPT, address=SCRIPT)
    html = look_up_with_code(client, call.reference, call.access_code).content.decode()
    assert str(RESIDENT_STAGES["submitted"]) in html
    for private in [call.email, call.phone, "Jo Bloggs", "Larch Row", SCRIPT, ESCAPED_SCRIPT]:
        assert private not in html


def test_a_wrong_code_email_or_postcode_and_an_unknown_reference_look_the_same(client, call_page):
    call = make_call()
    wrong_email = look_up(client, call.reference, "someone.else@example.org")
    unknown_reference = look_up(client, "CCS-2001-9999", call.email)
    wrong_postcode = look_up(client, call.reference, "ZZ9 9ZZ")
    wrong_code = look_up_with_code(client, call.reference, "ABCDE-FGHJK")
    unknown_with_code = look_up_with_code(client, "CCS-2001-9999", call.access_code)
    pages = [wrong_email, unknown_reference, wrong_postcode, wrong_code, unknown_with_code]
    assert {page.status_code for page in pages} == {200}
    assert NOT_FOUND in wrong_email.content.decode()
    first = without_csrf_token(wrong_email.content.decode())
    for page in pages[1:]:
        assert without_csrf_token(page.content.decode()) == first
    assert call.reference not in first


def test_another_residents_call_is_never_shown(client, call_page):
    area = make_business_area()
    mine = make_call(business_area=area)
    theirs = make_call(
        business_area=area, email="sam@example.org", postcode="PC9 9ZZ", phone="01632 960 001"
    )
    html = look_up(client, theirs.reference, mine.email).content.decode()
    assert NOT_FOUND in html
    html = look_up(client, theirs.reference, mine.postcode).content.decode()
    assert NOT_FOUND in html
    html = look_up_with_code(client, theirs.reference, mine.access_code).content.decode()
    assert NOT_FOUND in html
    html = look_up_with_code(client, mine.reference, mine.access_code).content.decode()
    assert mine.reference in html
    assert theirs.reference not in html
    assert "sam@example.org" not in html


def test_an_empty_look_up_says_what_is_missing(client, call_page):
    html = look_up(client, "", "").content.decode()
    assert "<title>Error: Track your call for scrutiny" in html
    assert '<a href="#id_reference">Enter your call reference</a>' in html
    assert (
        '<a href="#id_access_code">'
        "Enter your access code, or the email address or postcode you gave us</a>"
    ) in html
    assert NOT_FOUND not in html


def test_a_call_without_an_email_cannot_be_found_by_a_blank_email(client, call_page):
    call = make_call(email="")
    assert NOT_FOUND in look_up(client, call.reference, "@").content.decode()


def test_the_look_up_needs_the_csrf_token(call_page):
    call = make_call()
    browser = Client(enforce_csrf_checks=True)
    assert look_up(browser, call.reference, call.email).status_code == 403


def test_repeated_guessing_is_refused(client, call_page):
    settings = ScrutinySettings.load()
    settings.tracking_attempts_per_hour = 3
    settings.save()
    call = make_call()
    address = {"REMOTE_ADDR": "198.51.100.4"}
    for guess in ["CCS-2026-0101", "CCS-2026-0102", "CCS-2026-0103"]:
        assert look_up(client, guess, call.email, **address).status_code == 200
    assert client.get(TRACK_URL, **address).status_code == 200

    refused = look_up_with_code(client, call.reference, call.access_code, **address)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "too many attempts to look up a call" in html
    assert call.reference not in html
    assert str(RESIDENT_STAGES["submitted"]) not in html

    elsewhere = look_up_with_code(
        client, call.reference, call.access_code, REMOTE_ADDR="198.51.100.5"
    )
    assert str(RESIDENT_STAGES["submitted"]) in elsewhere.content.decode()


def test_guessing_codes_is_refused_like_any_look_up(client, call_page):
    settings = ScrutinySettings.load()
    settings.tracking_attempts_per_hour = 3
    settings.save()
    call = make_call()
    address = {"REMOTE_ADDR": "198.51.100.6"}
    for guess in ["AAAAA-AAAAA", "BBBBB-BBBBB", "CCCCC-CCCCC"]:
        assert (
            NOT_FOUND
            in look_up_with_code(client, call.reference, guess, **address).content.decode()
        )
    refused = look_up_with_code(client, call.reference, call.access_code, **address)
    assert refused.status_code == 429
    assert str(RESIDENT_STAGES["submitted"]) not in refused.content.decode()


@pytest.mark.parametrize(
    "addresses",
    [
        # One IPv4 address, as before.
        ["198.51.100.4"] * 15,
        # The attack: a new address for every guess, all in the one /64 a home or phone is given.
        [f"2001:db8:1:2:{n:x}:{n * 7:x}:{n * 13:x}:{n + 1:x}" for n in range(15)],
    ],
    ids=["one IPv4 address", "fifteen IPv6 addresses in one /64"],
)
def test_fifteen_look_ups_from_one_visitor_are_stopped_after_the_hours_ten(
    client, call_page, addresses
):
    call = make_call()
    answers = [
        look_up(client, f"CCS-2026-{n:04d}", call.email, REMOTE_ADDR=address).status_code
        for n, address in enumerate(addresses, start=100)
    ]
    assert ScrutinySettings.load().tracking_attempts_per_hour == 10
    assert answers == [200] * 10 + [429] * 5
    # The next network along is another visitor.
    other = look_up_with_code(
        client, call.reference, call.access_code, REMOTE_ADDR="2001:db8:1:3::1"
    )
    assert str(RESIDENT_STAGES["submitted"]) in other.content.decode()
