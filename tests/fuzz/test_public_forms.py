"""Fuzzed input on every public form: no server error, nothing half-saved, every refusal says why.

Hypothesis builds more than 10,000 submissions (see MAX_EXAMPLES) from a valid answer set by
dropping, replacing and adding fields: random and very long text, control characters (NUL
included), right-to-left and combining text and emoji, lists where one value is expected,
numbers, and files of the wrong kind, empty, over 10 MB, with a false extension or a broken
multipart body. Each example runs in a savepoint that is rolled back, so it starts from the same
rows; the pages and records are built once for the module.

The hourly rate limit is switched off for these tests (`ratelimit.attempt_allowed` is patched to
allow every attempt); the honeypot stays on and its refusal is checked like any other.

Run more or fewer examples with FUZZ_SCALE (a multiplier, default 1), or another Hypothesis
profile with HYPOTHESIS_PROFILE ("ci" is the default).
"""

import os
from contextlib import contextmanager
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.rich_text import RichText

from scrutiny import pipeline, ratelimit, roles
from scrutiny.models import (
    CallFormQuestion,
    CallForScrutinyPage,
    JoinThePanelPage,
    PetitionIndexPage,
    QuestionType,
)
from tests.conftest import make_business_area, make_home_page, make_user
from tests.scrutiny.appeal_builders import decided_call
from tests.scrutiny.test_call_form import MACRO_MAIN, docx
from tests.scrutiny.test_call_form import valid_answers as valid_call
from tests.scrutiny.test_membership_form import valid_answers as valid_application
from tests.scrutiny.test_petition_pages import open_petition, valid_signature

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SCALE = float(os.environ.get("FUZZ_SCALE", "1"))

# Examples per form; the total is at least 10,000 (checked by a test below).
MAX_EXAMPLES = {
    "call": 2500,
    "tracking": 1300,
    "petition": 1700,
    "signature_link": 1000,
    "appeal": 1500,
    "join": 1500,
    "raw_body": 280,
    "other_pages": 200,
    "oversized_file": 20,
}

CALL_URL = "/call-for-scrutiny/"
TRACK_URL = "/call-for-scrutiny/track/"
APPEAL_URL = "/call-for-scrutiny/appeal/"
JOIN_URL = "/join-the-panel/"
PETITIONS_URL = "/petitions/"

ERROR_SUMMARY = 'class="error-summary"'
HONEYPOT_REFUSAL = "We could not accept this form"
NOT_FOUND_NOTICE = "We could not find a call with those details"
BAD_REQUEST_MESSAGE = "We could not read what was sent"
LINK_NOT_WORKING = "This link does not work"


def examples(form: str):
    """Hypothesis settings for one form's share of the examples."""
    return settings(max_examples=max(1, int(MAX_EXAMPLES[form] * SCALE)))


# Values


SPECIAL_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\r\n",
    "\t\x0b\x0c\x1b[31m\x7f",
    "\u202eevil.pdf\u202c",
    "مرحبا، أريد تقديم شكوى",
    "שלום עולם",
    "\u200f\u200e\u200b\ufeff",
    "e\u0301\u0301\u0301" * 40,
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "👩\u200d👩\u200d👧\u200d👦" * 30,
    "🏠🔧💧",
    "\ud7ff\ue000\uffff",
    "<script>alert(1)</script>",
    "{{ 7*7 }} {% debug %}",
    "' OR '1'='1' --",
    "%s %n %x",
    "CCS-2026-0001",
    "ccs-2026-0001",
    "PC1 1AA",
    "pc11aa",
    "SW1A 1AA",
    "jo.bloggs@example.org",
    "a@b",
    "@",
    "yes",
    "no",
    "on",
    "tenant",
    "true",
    "None",
    "null",
    "0",
    "-1",
    "1e309",
    "NaN",
    "99999999999999999999999999",
    "٣",
]

text = st.one_of(
    # What a browser can send: any character UTF-8 can encode (no lone surrogates).
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=40),
    st.sampled_from(SPECIAL_TEXT),
    # Long text, around the 10,000-character limit of the longest answers.
    st.builds(
        lambda piece, n: ((piece or "x") * n)[:n],
        st.sampled_from(SPECIAL_TEXT),
        st.integers(200, 12_000),
    ),
    st.integers().map(str),
)
# What a field may be replaced with: text, several values, or a number.
field_value = st.one_of(
    text,
    st.lists(text, min_size=2, max_size=4),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
)
DROP = object()
field_change = st.one_of(st.just(DROP), field_value)
extra_fields = st.dictionaries(
    st.text(
        alphabet=st.characters(codec="utf-8", min_codepoint=0x20, exclude_characters='"\\'),
        min_size=1,
        max_size=20,
    ),
    field_value,
    max_size=4,
)

HUGE = 10 * 1024 * 1024 + 1
FILE_NAMES = [
    "letter.pdf",
    "photo.jpg",
    "photo.JPEG",
    "scan.png",
    "anim.gif",
    "notes.txt",
    "report.docx",
    "old.doc",
    "macro.docm",
    "virus.exe",
    "no-extension",
    "archive.pdf.zip",
    "script.pdf.js",
    ".pdf",
    "ünïcödé 📎.png",
    "\u202egpj.exe",
    "../../etc/passwd.txt",
    "a" * 300 + ".pdf",
]
FILE_CONTENTS = st.one_of(
    st.sampled_from(
        [
            b"%PDF-1.4 a letter",
            b"\xff\xd8\xff\xe0 jpeg",
            b"\x89PNG\r\n\x1a\n",
            b"GIF89a",
            b"PK\x03\x04 docx",
            b"\xd0\xcf\x11\xe0 doc",
            docx(),
            docx(main=MACRO_MAIN),
            docx(vba=True),
            b"plain words",
            b"text with a \x00 NUL",
            b"\xff\xfe not utf-8",
            b"",
            b"MZ\x90\x00 an executable",
        ]
    ),
    st.binary(max_size=64),
)
upload = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(FILE_NAMES),
    FILE_CONTENTS,
)
uploads = st.lists(upload, max_size=7)


@st.composite
def fuzzed(draw, valid: dict, *, files: bool = False) -> dict:
    """A valid answer set with some fields dropped or replaced, some added, maybe bad files."""
    data = dict(valid)
    if draw(st.integers(0, 9)) == 0:
        names = list(data)  # now and then, every field at once
    else:
        names = draw(st.lists(st.sampled_from(sorted(data)), max_size=len(data), unique=True))
    for name in names:
        change = draw(field_change)
        if change is DROP:
            data.pop(name, None)
        else:
            data[name] = change
    data |= draw(extra_fields)
    if files:
        chosen = draw(uploads)
        if chosen:
            data["evidence"] = chosen
    return data


def encode(data: dict) -> dict:
    """What the test client sends: numbers as text, several values as a list."""
    return {
        key: value if isinstance(value, list | SimpleUploadedFile) else str(value)
        for key, value in data.items()
    }


def post(client: Client, url: str, data: dict, *, urlencoded: bool):
    """POST as a browser would: multipart, or urlencoded (which drops files)."""
    data = encode(data)
    if urlencoded:
        plain = {k: v for k, v in data.items() if not isinstance(v, SimpleUploadedFile | list)}
        plain |= {
            k: [item for item in v if not isinstance(item, SimpleUploadedFile)]
            for k, v in data.items()
            if isinstance(v, list)
        }
        return client.post(
            url, urlencode(plain, doseq=True), content_type="application/x-www-form-urlencoded"
        )
    return client.post(url, data)


# Rows


def _tables() -> list[str]:
    names = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(names & set(connection.introspection.table_names()))


def row_counts(tables: list[str]) -> dict[str, int]:
    """Rows in every table of every installed model, in one query."""
    quote_name = connection.ops.quote_name
    # Table names come from the installed models, never from the request.
    columns = ", ".join(f"(SELECT COUNT(*) FROM {quote_name(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


# Search and reference indexes Wagtail keeps up to date when a record is saved.
INDEX_TABLES = {
    "wagtailsearch_indexentry",
    "wagtailsearch_indexentry_fts",
    "wagtailcore_referenceindex",
}


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        table: after[table] - before[table] for table in before if after[table] != before[table]
    }


def saved(rows: dict[str, int]) -> dict[str, int]:
    """The rows an accepted submission added, leaving out Wagtail's index bookkeeping."""
    return {table: count for table, count in rows.items() if table not in INDEX_TABLES}


@contextmanager
def rolled_back():
    """Run one example in a savepoint and undo it, so every example starts from the same rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_refusal_explained(response, *messages: str) -> None:
    """A refusal is the page again (200) or a bad request (400), and it says what was wrong."""
    html = response.content.decode()
    if response.status_code == 400:
        expected = (ERROR_SUMMARY, HONEYPOT_REFUSAL, BAD_REQUEST_MESSAGE)
    else:
        assert response.status_code == 200, response.status_code
        expected = (ERROR_SUMMARY, *messages)
    assert any(message in html for message in expected), html[:2000]


# The site, built once for the module


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """Every public form's page, a petition, a decided call to appeal, and signature links."""
    with django_db_blocker.unblock(), transaction.atomic():
        staff = {
            "officer": make_user("officer", group=roles.OFFICERS),
            "panel": make_user("panel", group=roles.PANEL),
        }
        home = make_home_page()
        area = make_business_area()
        call_page = home.add_child(
            instance=CallForScrutinyPage(
                title="Raise a Community Call for Scrutiny",
                slug="call-for-scrutiny",
                privacy_notice=RichText("<p>We keep your details for 24 months.</p>"),
            )
        )
        for order, (kind, required) in enumerate(
            [
                (QuestionType.SINGLE_LINE, True),
                (QuestionType.MULTI_LINE, False),
                (QuestionType.YES_NO, True),
                (QuestionType.CHOICE, False),
                (QuestionType.NUMBER, False),
            ]
        ):
            CallFormQuestion.objects.create(
                page=call_page,
                sort_order=order,
                label=f"Question {order}",
                question_type=kind,
                choices="Red\nGreen" if kind == QuestionType.CHOICE else "",
                required=required,
            )
        home.add_child(
            instance=PetitionIndexPage(
                title="Petitions",
                slug="petitions",
                privacy_notice=RichText("<p>We use your details only for this petition.</p>"),
            )
        )
        home.add_child(
            instance=JoinThePanelPage(
                title="Join the panel",
                slug="join-the-panel",
                privacy_notice=RichText("<p>We keep applications for 12 months.</p>"),
            )
        )
        petition = open_petition(staff, area=area, email="starter@example.org")
        signed = pipeline.petition_sign(
            petition=petition, name="Una Signer", email="una@example.org", postcode="PC1 1AA"
        )
        confirmed = pipeline.petition_sign(
            petition=petition, name="Con Firmed", email="con@example.org", postcode="PC1 1AB"
        )
        pipeline.signature_confirm(token=confirmed.token)
        appealable, _ = decided_call(staff, business_area=area, email="appellant@example.org")
        yield {
            "area": area,
            "petition_url": f"{PETITIONS_URL}{petition.slug}/",
            "tokens": [signed.token, confirmed.token],
            "appeal": {
                "reference": appealable.reference,
                "access_code": appealable.access_code,
                "grounds": "The panel did not see my letters.",
                "website": "",
            },
            # The code opens everything; without it the postcode shows the bare stage.
            "tracking": {
                "reference": appealable.reference,
                "access_code": appealable.access_code,
                "email_or_postcode": "PC1 1AA",
            },
        }
        transaction.set_rollback(True)


@pytest.fixture
def fuzz(site, db, monkeypatch):
    """The module's site in this test's transaction, with the hourly rate limit switched off."""
    monkeypatch.setattr(ratelimit, "attempt_allowed", lambda request, **kwargs: True)
    tables = _tables()

    def submit(send):
        """Send one request in a rolled-back savepoint; the response and the rows it changed."""
        with rolled_back():
            before = row_counts(tables)
            response = send(Client())
            after = row_counts(tables)
        assert response.status_code < 500, response.status_code
        return response, changed(before, after)

    return submit


def call_answers(site) -> dict:
    return valid_call(site["area"]) | {"extra_0": "An answer", "extra_2": "no"}


# Tests, one per form


def test_the_examples_add_up_to_at_least_ten_thousand():
    assert sum(MAX_EXAMPLES.values()) >= 10_000


CALL_ROWS = {
    "scrutiny_callforscrutiny": 1,
    "scrutiny_historicalcallforscrutiny": 1,
    "wagtailcore_modellogentry": 1,
}


@examples("call")
@given(data=st.data(), urlencoded=st.booleans())
def test_call_form(fuzz, site, data, urlencoded):
    answers = data.draw(fuzzed(call_answers(site), files=True))
    response, rows = fuzz(lambda client: post(client, CALL_URL, answers, urlencoded=urlencoded))
    if response.status_code == 302:
        rows = saved(rows)
        assert response["Location"].endswith(f"{CALL_URL}confirmation/")
        evidence = rows.pop("scrutiny_callevidence", 0)
        assert rows.pop("scrutiny_historicalcallevidence", 0) == evidence
        rows.pop("scrutiny_referencecounter", None)  # the first reference of a year adds one
        assert rows == CALL_ROWS
        assert 0 <= evidence <= 5
    else:
        assert rows == {}
        assert_refusal_explained(response)


def test_a_valid_call_is_accepted_with_the_expected_rows(fuzz, site):
    """The baseline the fuzzed examples start from is accepted, so acceptance is exercised too."""
    response, rows = fuzz(lambda client: client.post(CALL_URL, call_answers(site)))
    assert response.status_code == 302
    assert saved(rows) == CALL_ROWS


@examples("tracking")
@given(data=st.data(), urlencoded=st.booleans())
def test_tracking_look_up(fuzz, site, data, urlencoded):
    answers = data.draw(fuzzed(site["tracking"]))
    response, rows = fuzz(lambda client: post(client, TRACK_URL, answers, urlencoded=urlencoded))
    assert rows == {}
    html = response.content.decode()
    if response.status_code == 200 and site["tracking"]["reference"] in html:
        assert NOT_FOUND_NOTICE not in html
    else:
        assert_refusal_explained(response, NOT_FOUND_NOTICE)


PETITION_ROWS = {
    "scrutiny_petitionsignature": 1,
    "scrutiny_historicalpetitionsignature": 1,
}


@examples("petition")
@given(data=st.data(), urlencoded=st.booleans())
def test_petition_signing(fuzz, site, data, urlencoded):
    answers = data.draw(fuzzed(valid_signature()))
    url = site["petition_url"]
    response, rows = fuzz(lambda client: post(client, url, answers, urlencoded=urlencoded))
    if response.status_code == 302:
        assert response["Location"].endswith(f"{url}signed/")
        rows = saved(rows)
        # Signing again with an address that has signed changes nothing (its owner is told).
        assert rows in (PETITION_ROWS, {})
    else:
        assert rows == {}
        assert_refusal_explained(response)


@examples("signature_link")
@given(
    token=st.one_of(
        st.sampled_from(["signed", "confirmed"]),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=80),
        st.sampled_from(SPECIAL_TEXT).filter(bool),
        st.builds(lambda a, b: a + b, st.sampled_from(["signed", "confirmed"]), text),
    ),
    action=st.sampled_from(["confirm", "withdraw"]),
    method=st.sampled_from(["get", "post", "button"]),
    body=extra_fields,
    back=st.one_of(st.none(), field_value, st.sampled_from(["https://evil.example/", "//x.y/"])),
)
def test_signature_links(fuzz, site, token, action, method, body, back):
    known = dict(zip(["signed", "confirmed"], site["tokens"], strict=True))
    token = known.get(token, token)
    for name, real in known.items():
        if token.startswith(name):
            token = real + token[len(name) :]
    url = f"{PETITIONS_URL}{action}/{quote(token, safe='')}/"
    if method == "button":  # the page's button, which posts outside the page tree
        url = f"/petition-signatures/{quote(token, safe='')}/{action}/"
        if back is not None:
            body = body | {"next": back}

    def send(client):
        if method == "get":
            return client.get(url, encode(body))
        return client.post(url, encode(body))

    response, rows = fuzz(send)
    html = response.content.decode()
    if method == "button":
        assert set(saved(rows)) <= {
            "scrutiny_historicalpetitionsignature",
            "wagtailcore_modellogentry",
        }
        if response.status_code == 303:
            # Back to a page of this site, whatever "next" said.
            assert response["Location"].startswith("/")
            assert not response["Location"].startswith("//")
        else:
            assert response.status_code == 404, response.status_code
        return
    if token in site["tokens"]:
        assert response.status_code == 200
        if method == "get":
            assert rows == {}
        else:
            assert set(saved(rows)) <= {
                "scrutiny_historicalpetitionsignature",
                "wagtailcore_modellogentry",
            }
    elif response.status_code == 404:
        assert rows == {}
        assert LINK_NOT_WORKING in html or "Page not found" in html
    else:
        raise AssertionError(f"{response.status_code} for an unknown token {token!r}")


APPEAL_ROWS = {
    "scrutiny_appeal": 1,
    "scrutiny_historicalappeal": 1,
    "wagtailcore_modellogentry": 2,
    "django_session": 1,
}


@examples("appeal")
@given(data=st.data(), urlencoded=st.booleans())
def test_appeal_form(fuzz, site, data, urlencoded):
    answers = data.draw(fuzzed(site["appeal"], files=True))
    response, rows = fuzz(lambda client: post(client, APPEAL_URL, answers, urlencoded=urlencoded))
    if response.status_code == 302:
        assert response["Location"].endswith(f"{APPEAL_URL}sent/")
        rows = saved(rows)
        evidence = rows.pop("scrutiny_appealevidence", 0)
        assert rows.pop("scrutiny_historicalappealevidence", 0) == evidence
        rows.pop("scrutiny_referencecounter", None)
        assert rows == APPEAL_ROWS
        assert 0 <= evidence <= 5
    else:
        assert rows == {}
        assert_refusal_explained(response)


JOIN_ROWS = {
    "scrutiny_panelapplication": 1,
    "scrutiny_historicalpanelapplication": 1,
    "wagtailcore_modellogentry": 1,
    "django_session": 1,
}


@examples("join")
@given(data=st.data(), urlencoded=st.booleans())
def test_join_the_panel(fuzz, data, urlencoded):
    answers = data.draw(fuzzed(valid_application()))
    response, rows = fuzz(lambda client: post(client, JOIN_URL, answers, urlencoded=urlencoded))
    html = response.content.decode()
    if response.status_code == 302:
        assert response["Location"].endswith(f"{JOIN_URL}confirmation/")
        rows = saved(rows)
        monitoring = rows.pop("scrutiny_equalitymonitoring", 0)
        assert rows == JOIN_ROWS
        assert monitoring in (0, 1)
    elif "You cannot apply" in html or "we cannot accept your application" in html.lower():
        # Ineligible: said at once, and only the year's counter moves (created the first time).
        assert set(rows) <= {"scrutiny_ineligibleapplicationcount"}
        assert response.status_code == 200
    else:
        assert rows == {}
        assert_refusal_explained(response)


FORM_URLS = [CALL_URL, TRACK_URL, APPEAL_URL, JOIN_URL]

BROKEN_BODIES = [
    (
        "multipart/form-data; boundary=XYZ",
        b'--XYZ\r\nContent-Disposition: form-data; name="name"\r\n\r\nJo',
    ),
    (
        "multipart/form-data; boundary=XYZ",
        b"--XYZ\r\nContent-Disposition: form-data\r\n\r\nJo\r\n--XYZ--",
    ),
    ("multipart/form-data", b"no boundary at all"),
    ("multipart/form-data; boundary=", b"--\r\n\r\n"),
    (
        "multipart/form-data; boundary=XYZ",
        b'--XYZ\r\nContent-Disposition: form-data; name="evidence"; filename="a.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.4",
    ),
    ("application/json", b'{"name": ["Jo"], "email": 5}'),
    ("application/json", b"{not json"),
    ("text/plain", b"name=Jo&email=jo@example.org"),
    ("application/x-www-form-urlencoded", b"name=%ZZ&email=%00&&&=&website"),
    ("application/x-www-form-urlencoded", b"\xff\xfe\x00garbage"),
    ("application/x-www-form-urlencoded; charset=utf-16", b"n\x00a\x00m\x00e\x00"),
    ("application/x-www-form-urlencoded; charset=no-such-charset", b"name=Jo"),
    ("application/x-www-form-urlencoded", b"x=1&" * 10_001),
    ("application/x-www-form-urlencoded", b"concerns=" + b"a" * (3 * 1024 * 1024)),
]


@examples("raw_body")
@given(
    url=st.sampled_from([*FORM_URLS, "petition"]),
    body=st.one_of(
        st.sampled_from(BROKEN_BODIES),
        st.tuples(
            st.sampled_from(
                ["multipart/form-data; boundary=XYZ", "application/x-www-form-urlencoded"]
            ),
            st.binary(max_size=300),
        ),
    ),
)
def test_broken_bodies(fuzz, site, url, body):
    url = site["petition_url"] if url == "petition" else url
    content_type, payload = body
    response, rows = fuzz(
        lambda client: client.generic("POST", url, payload, content_type=content_type)
    )
    assert rows == {}
    if url == TRACK_URL and response.status_code == 200:
        html = response.content.decode()
        assert ERROR_SUMMARY in html or NOT_FOUND_NOTICE in html
    else:
        assert_refusal_explained(response)


@examples("other_pages")
@given(
    url=st.sampled_from(
        [
            "/",
            PETITIONS_URL,
            "petition-signed",
            f"{CALL_URL}confirmation/",
            f"{APPEAL_URL}sent/",
            f"{JOIN_URL}confirmation/",
            "/no-such-page/",
        ]
    ),
    body=extra_fields,
)
def test_other_public_pages_take_a_post_without_harm(fuzz, site, url, body):
    url = f"{site['petition_url']}signed/" if url == "petition-signed" else url
    response, rows = fuzz(lambda client: client.post(url, encode(body)))
    assert rows == {}
    assert response.status_code in (200, 302, 404, 405)


@examples("oversized_file")
@given(
    url=st.sampled_from([CALL_URL, APPEAL_URL]),
    name=st.sampled_from(FILE_NAMES),
    others=st.lists(upload, max_size=2),
)
def test_a_file_over_10_mb_is_refused_with_a_message(fuzz, site, url, name, others):
    """Files just over the limit (a real 10 MB body each time, so only a few examples)."""
    valid = call_answers(site) if url == CALL_URL else site["appeal"]
    answers = valid | {"evidence": [SimpleUploadedFile(name, b"%PDF" + b"x" * HUGE), *others]}
    response, rows = fuzz(lambda client: post(client, url, answers, urlencoded=False))
    assert rows == {}
    assert_refusal_explained(response)


def test_a_broken_body_is_a_bad_request_that_says_so(fuzz):
    response, rows = fuzz(
        lambda client: client.post(CALL_URL, b"no boundary", content_type="multipart/form-data")
    )
    assert response.status_code == 400
    assert BAD_REQUEST_MESSAGE in response.content.decode()
    assert rows == {}
