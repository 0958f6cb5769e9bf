"""The public call for scrutiny pro-forma: questions, errors, evidence, protection, confirmation."""

import io
import re
import zipfile

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.rich_text import RichText

from scrutiny import roles
from scrutiny.models import (
    CallEvidence,
    CallFormQuestion,
    CallForScrutiny,
    CallForScrutinyPage,
    QuestionType,
    ScrutinySettings,
)
from tests.conftest import make_business_area, make_home_page, make_user

pytestmark = pytest.mark.django_db

FORM_URL = "/call-for-scrutiny/"
CONFIRMATION_URL = "/call-for-scrutiny/confirmation/"
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
DEFAULT_COMPLAINTS_ADVICE = "The panel usually expects the complaints procedure to be completed"


def make_call_page(**overrides) -> CallForScrutinyPage:
    """A home page with the live call for scrutiny form at /call-for-scrutiny/ under it."""
    home = make_home_page()
    fields = {
        "title": "Raise a Community Call for Scrutiny",
        "slug": "call-for-scrutiny",
        "privacy_notice": RichText("<p>We keep your details for 24 months.</p>"),
    } | overrides
    return home.add_child(instance=CallForScrutinyPage(**fields))


def valid_answers(business_area, /, **overrides) -> dict:
    """A complete, valid POST of the pro-forma's fixed questions."""
    return {
        "name": "Jo Bloggs",
        "email": "jo.bloggs@example.org",
        "phone": "",
        "address": "1 Pine Court\nPinetown",
        "postcode": "pc1 1aa",
        "tenure": "tenant",
        "business_area": str(business_area.pk),
        "concerns": "Repairs take months.",
        "actions_taken": "I phoned the repairs line three times.",
        "complaint_stage": "ombudsman",
        "complaint_reference": "",
        "complaint_finished": "yes",
        "service_failures": "Missed appointments.",
        "others_affected": "no",
        "others_affected_why": "",
        "households_affected": "",
        "support_requested": "no",
        "support_contact": "",
        "privacy_agreed": "on",
        "website": "",
    } | overrides


@pytest.fixture
def call_page(db) -> CallForScrutinyPage:
    return make_call_page()


@pytest.fixture
def area(db):
    return make_business_area()


def post(client, data, **extra):
    return client.post(FORM_URL, data, **extra)


def test_form_shows_every_question_with_labels_and_autocomplete(client, call_page, area):
    html = client.get(FORM_URL).content.decode()
    assert "<title>Raise a Community Call for Scrutiny" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'enctype="multipart/form-data"' in html
    for name, autocomplete in [
        ("name", "name"),
        ("email", "email"),
        ("phone", "tel"),
        ("address", "street-address"),
        ("postcode", "postal-code"),
    ]:
        assert f'<label for="id_{name}">' in html
        assert re.search(
            rf'<(input|textarea)[^>]*autocomplete="{autocomplete}"[^>]*id="id_{name}"', html
        )
    assert "<legend>Do you rent or own your home?</legend>" in html
    assert 'id="id_tenure_0"' in html
    assert f'<option value="{area.pk}">Repairs and maintenance</option>' in html
    assert re.search(r'<input type="file" name="evidence"[^>]*multiple', html)
    assert "We keep your details for 24 months." in html
    assert 'aria-describedby="id_email-hint"' in html
    assert re.search(
        r'<div class="form-extra" aria-hidden="true">.*?name="website"[^>]*tabindex="-1"'
        r'[^>]*autocomplete="off"|<div class="form-extra" aria-hidden="true">.*?name="website"'
        r'[^>]*autocomplete="off"[^>]*tabindex="-1"',
        html,
        re.S,
    )
    # One script, the plugin's own, from its own static files, after the page is read: the
    # follow-up questions are revealed by their answers, and everything works without it.
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/scrutiny/js/reveal.js" defer>'
    ]
    assert " required" not in html


def test_the_questions_are_rendered_once_and_shown_afresh_when_they_change(client, call_page, area):
    from scrutiny.forms import CallForScrutinyForm

    first, second = CallForScrutinyForm(page=call_page), CallForScrutinyForm(page=call_page)
    assert first.fingerprint() == second.fingerprint()
    assert first.fingerprint() != CallForScrutinyForm({"name": "Jo"}, page=call_page).fingerprint()
    html = client.get(FORM_URL).content.decode()
    assert "Repairs and maintenance</option>" in html
    assert caches["fragments"]._cache, "the unbound form's questions are kept"
    assert without_csrf(client.get(FORM_URL).content.decode()) == without_csrf(html)

    # A renamed service, a new question and a new privacy notice all show at once.
    area.name = "Repairs"
    area.save()
    CallFormQuestion.objects.create(page=call_page, label="Which block?", sort_order=0)
    html = client.get(FORM_URL).content.decode()
    assert "Repairs</option>" in html and "Repairs and maintenance" not in html
    assert "Which block?" in html
    call_page.privacy_notice = RichText("<p>We keep your details for 12 months.</p>")
    call_page.save_revision().publish()
    assert "12 months" in client.get(FORM_URL).content.decode()

    # What someone typed, and the errors, are never kept for the next visitor.
    typed = client.post(FORM_URL, valid_answers(area, name="Jo Typed", concerns="")).content
    assert b"Jo Typed" in typed and b"Tell us your concerns" in typed
    fresh = client.get(FORM_URL).content.decode()
    assert "Jo Typed" not in fresh and "Tell us your concerns" not in fresh


def without_csrf(html: str) -> str:
    return re.sub(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>', "", html)


def test_inactive_services_are_not_offered(client, call_page, area):
    closed = make_business_area("Old service", active=False)
    html = client.get(FORM_URL).content.decode()
    assert f'value="{closed.pk}"' not in html
    response = post(client, valid_answers(area, business_area=str(closed.pk)))
    assert "Select the service your call is about" in response.content.decode()
    assert not CallForScrutiny.objects.exists()


def test_a_valid_call_is_created_confirmed_and_both_emails_sent(
    client, call_page, area, django_capture_on_commit_callbacks
):
    make_user("officer", group=roles.OFFICERS)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, valid_answers(area))

    assert response.status_code == 302
    assert response["Location"] == CONFIRMATION_URL
    call = CallForScrutiny.objects.get()
    assert re.fullmatch(r"CCS-\d{4}-\d{4}", call.reference)
    assert call.name == "Jo Bloggs"
    assert call.postcode == "PC1 1AA"
    assert call.business_area == area
    assert call.complaint_finished is True
    assert call.privacy_agreed_at is not None

    html = client.get(CONFIRMATION_URL).content.decode()
    assert f'<strong class="panel-confirmation__reference">{call.reference}</strong>' in html
    assert 'href="/call-for-scrutiny/track/"' in html

    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert len(mail.outbox) == 2
    acknowledgement = by_recipient[("jo.bloggs@example.org",)]
    notification = by_recipient[("officer@example.org",)]
    assert call.reference in acknowledgement.body
    assert call.reference in notification.body


def test_confirmation_without_a_call_in_the_session_goes_back_to_the_form(client, call_page):
    response = client.get(CONFIRMATION_URL)
    assert response.status_code == 302
    assert response["Location"] == FORM_URL


def test_the_confirmation_belongs_only_to_the_browser_that_sent_the_call(client, call_page, area):
    post(client, valid_answers(area))
    call = CallForScrutiny.objects.get()
    other_browser = Client()
    response = other_browser.get(CONFIRMATION_URL)
    assert response.status_code == 302
    assert call.reference not in response.content.decode()


def test_csrf_token_is_required(call_page, area):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(FORM_URL, valid_answers(area)).status_code == 403
    html = browser.get(FORM_URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = browser.post(FORM_URL, valid_answers(area, csrfmiddlewaretoken=token))
    assert response.status_code == 302
    assert CallForScrutiny.objects.count() == 1


REQUIRED = [
    # (what to change, the anchor the summary links to, the message)
    ({"name": ""}, "id_name", "Enter your name"),
    (
        {"email": "", "phone": ""},
        "id_email",
        "Enter an email address or a phone number, so we can contact you",
    ),
    ({"address": "", "postcode": ""}, "id_address", "Enter your address or postcode"),
    ({"tenure": None}, "id_tenure_0", "Select whether you rent or own your home"),
    ({"business_area": ""}, "id_business_area", "Select the service your call is about"),
    ({"concerns": ""}, "id_concerns", "Tell us your concerns"),
    ({"actions_taken": ""}, "id_actions_taken", "Tell us what you have already done"),
    ({"complaint_stage": None}, "id_complaint_stage_0", "Select how far your complaint has gone"),
    (
        {"complaint_stage": "stage_2", "complaint_finished": None},
        "id_complaint_finished_0",
        "Select yes if your complaint has finished at that stage",
    ),
    ({"service_failures": ""}, "id_service_failures", "Tell us about the service failures"),
    (
        {"others_affected": None},
        "id_others_affected_0",
        "Select yes if other residents are affected",
    ),
    (
        {"others_affected": "yes", "others_affected_why": ""},
        "id_others_affected_why",
        "Tell us why you think other residents are affected",
    ),
    (
        {"support_requested": None},
        "id_support_requested_0",
        "Select yes if you would like an officer to help you",
    ),
    (
        {"support_requested": "yes", "support_contact": ""},
        "id_support_contact",
        "Tell us how the officer should contact you",
    ),
    ({"privacy_agreed": None}, "id_privacy_agreed", "Confirm that you agree to the privacy notice"),
]


@pytest.mark.parametrize(("change", "anchor", "message"), REQUIRED, ids=[r[1] for r in REQUIRED])
def test_each_missing_answer_has_its_own_message(client, call_page, area, change, anchor, message):
    data = valid_answers(area, **change)
    data = {key: value for key, value in data.items() if value is not None}
    response = post(client, data)

    assert response.status_code == 200
    assert not CallForScrutiny.objects.exists()
    html = response.content.decode()
    assert "<title>Error: Raise a Community Call for Scrutiny" in html
    assert re.search(r'<div class="error-summary" role="alert" tabindex="-1"', html)
    assert "There is a problem" in html
    assert f'<a href="#{anchor}">{message}</a>' in html
    field_id = re.sub(r"_0$", "", anchor)
    assert (
        f'<p class="error-message" id="{field_id}-error">'
        f'<span class="visually-hidden">Error:</span> {message}</p>'
    ) in html
    assert f'id="{anchor}"' in html
    # Only this question is wrong, and what was typed is still there.
    assert html.count('<p class="error-message"') == 1
    if "concerns" not in change:
        assert "Repairs take months." in html


def test_an_input_with_an_error_is_marked_and_described(client, call_page, area):
    html = post(client, valid_answers(area, name="")).content.decode()
    tag = re.search(r'<input[^>]*id="id_name"[^>]*>', html).group(0)
    assert 'class="input--error"' in tag
    assert 'aria-describedby="id_name-error"' in tag
    assert 'aria-invalid="true"' in tag
    html = post(client, valid_answers(area, tenure="")).content.decode()
    assert '<fieldset aria-describedby="id_tenure-error">' in html


@pytest.mark.parametrize(
    ("change", "anchor", "message"),
    [
        ({"email": "not-an-email"}, "id_email", "Enter an email address in the correct format"),
        ({"phone": "call me"}, "id_phone", "Enter a phone number, like 01632 960 001"),
        ({"postcode": "PC1"}, "id_postcode", "Enter a real postcode, like SW1A 1AA"),
        ({"households_affected": "lots"}, "id_households_affected", "whole number, like 12"),
        ({"name": "x" * 201}, "id_name", "Your name must be 200 characters or fewer"),
    ],
)
def test_answers_in_the_wrong_form_are_explained(client, call_page, area, change, anchor, message):
    html = post(client, valid_answers(area, **change)).content.decode()
    assert re.search(rf'<a href="#{anchor}">[^<]*{re.escape(message)}', html)
    assert not CallForScrutiny.objects.exists()


def test_a_phone_number_alone_is_enough_contact(client, call_page, area):
    response = post(client, valid_answers(area, email="", phone="07700 900 982"))
    assert response.status_code == 302
    assert CallForScrutiny.objects.get().phone == "07700 900 982"


# Evidence


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


PDF = b"%PDF-1.7\n1 0 obj\n"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
# The first bytes of every file Word 97-2003 (.doc) writes: an OLE compound file.
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def docx(*, main: str = WORD_MAIN, vba: bool = False) -> bytes:
    """A Word document as Word writes one: a zip of parts named in [Content_Types].xml."""
    overrides = f'<Override PartName="/word/document.xml" ContentType="{main}"/>'
    if vba:
        overrides += '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{overrides}</Types>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>The repair was booked three times.</w:t></w:r></w:p>"
            "</w:body></w:document>",
        )
        if vba:
            archive.writestr("word/vbaProject.bin", OLE)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def test_good_evidence_is_kept_with_its_checked_type(client, call_page, area):
    files = [
        upload("letter.pdf", PDF),
        upload("photo.PNG", PNG),
        upload("notes.txt", "Visited on 3 March – nobody came.".encode()),
        upload("reply.docx", docx()),
    ]
    response = post(client, valid_answers(area, evidence=files))
    assert response.status_code == 302
    evidence = {item.original_name: item for item in CallEvidence.objects.all()}
    assert set(evidence) == {"letter.pdf", "photo.PNG", "notes.txt", "reply.docx"}
    assert evidence["letter.pdf"].content_type == "application/pdf"
    assert evidence["photo.PNG"].content_type == "image/png"
    assert evidence["notes.txt"].size == len("Visited on 3 March – nobody came.".encode())
    assert evidence["reply.docx"].content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


MACROS_REFUSED = (
    "is an Office file that can carry macros, which we do not accept. "
    "Save it as a Word document (.docx) or a PDF and choose it again"
)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # The attack: an old Word file, which can carry macros, that a member of staff will open.
        ("minutes.doc", OLE, MACROS_REFUSED),
        ("minutes.docm", docx(main=MACRO_MAIN, vba=True), MACROS_REFUSED),
        ("sheet.xlsm", docx(main=MACRO_MAIN), MACROS_REFUSED),
        # A macro-enabled document renamed to .docx: its content type gives it away.
        (
            "minutes.docx",
            docx(main=MACRO_MAIN),
            "is a Word document with macros, which we do not accept",
        ),
        # A document that says it is plain but carries a macro project all the same.
        ("minutes.docx", docx(vba=True), "is a Word document with macros"),
        ("minutes.docx", b"PK\x03\x04" + b"\x00" * 20, "is not a real Word document"),
        ("minutes.docx", OLE, "is not a real Word document"),
    ],
    ids=["doc", "docm", "xlsm", "docx-macro-content-type", "docx-vbaproject", "zip-junk", "ole"],
)
def test_word_files_that_can_carry_macros_are_refused_with_a_clear_message(
    client, call_page, area, name, content, message
):
    response = post(client, valid_answers(area, evidence=[upload(name, content)]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert re.search(rf'<a href="#id_evidence">“{re.escape(name)}” {re.escape(message)}', html)
    assert not CallForScrutiny.objects.exists()
    assert not CallEvidence.objects.exists()


def test_a_real_word_document_is_accepted(client, call_page, area):
    response = post(client, valid_answers(area, evidence=[upload("minutes.docx", docx())]))
    assert response.status_code == 302
    assert CallEvidence.objects.get().original_name == "minutes.docx"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            [upload("big.pdf", PDF + b"0" * (10 * 1024 * 1024))],
            "“big.pdf” must be smaller than 10 MB",
        ),
        (
            [upload("setup.exe", b"MZ\x90\x00\x03")],
            "“setup.exe” must be a PDF, JPG, PNG, GIF, Word document (.docx) or text file",
        ),
        ([upload("letter.pdf", b"MZ\x90\x00\x03")], "“letter.pdf” is not a real PDF"),
        ([upload("photo.jpg", PNG)], "“photo.jpg” is not a real JPG"),
        ([upload("notes.txt", b"abc\x00def")], "“notes.txt” is not a real text file"),
        ([upload("notes.txt", b"\xff\xfe\xfa")], "“notes.txt” is not a real text file"),
        ([upload("empty.pdf", b"")], "“empty.pdf” is empty"),
        (
            [upload(f"letter{n}.pdf", PDF) for n in range(6)],
            "You chose 6 files. Choose 5 files or fewer",
        ),
    ],
    ids=["too-big", "exe", "fake-pdf", "png-called-jpg", "nul-text", "not-utf8", "empty", "six"],
)
def test_unacceptable_evidence_is_refused(client, call_page, area, files, message):
    response = post(client, valid_answers(area, evidence=files))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'<a href="#id_evidence">{re.escape(message)}', html)
    assert "You need to choose your files again" in html
    assert not CallForScrutiny.objects.exists()
    assert not CallEvidence.objects.exists()


def test_five_files_are_accepted(client, call_page, area):
    files = [upload(f"letter{n}.pdf", PDF) for n in range(5)]
    assert post(client, valid_answers(area, evidence=files)).status_code == 302
    assert CallEvidence.objects.count() == 5


def test_files_must_be_chosen_again_after_any_error(client, call_page, area):
    html = post(client, valid_answers(area, name="", evidence=[upload("a.pdf", PDF)])).content
    html = html.decode()
    assert "You need to choose your files again" in html
    html = post(client, valid_answers(area, name="")).content.decode()
    assert "You need to choose your files again" not in html


# Protection


def test_the_honeypot_creates_nothing(client, call_page, area, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, valid_answers(area, website="http://spam.example"))
    assert response.status_code == 400
    assert "We could not accept this form" in response.content.decode()
    assert not CallForScrutiny.objects.exists()
    assert mail.outbox == []


def test_too_many_forms_from_one_address_are_refused(client, call_page, area):
    settings = ScrutinySettings.load()
    settings.form_submissions_per_hour = 2
    settings.save()
    address = {"REMOTE_ADDR": "203.0.113.7"}
    assert post(client, valid_answers(area), **address).status_code == 302
    assert post(client, valid_answers(area, name=""), **address).status_code == 200

    response = post(client, valid_answers(area), **address)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "<title>Try again later" in html
    assert "Please try again in an hour" in html
    assert CallForScrutiny.objects.count() == 1

    assert client.get(FORM_URL, **address).status_code == 200
    other_address = {"REMOTE_ADDR": "203.0.113.8"}
    assert post(client, valid_answers(area), **other_address).status_code == 302


# What residents typed is never shown raw


def test_script_typed_into_the_form_is_shown_escaped(client, call_page, area):
    CallFormQuestion.objects.create(page=call_page, label="Anything else?", sort_order=0)
    data = valid_answers(area, name=SCRIPT, concerns=SCRIPT, extra_0=SCRIPT)

    html = post(client, data | {"actions_taken": ""}).content.decode()
    assert SCRIPT not in html
    assert ESCAPED_SCRIPT in html

    assert post(client, data).status_code == 302
    html = client.get(CONFIRMATION_URL).content.decode()
    assert SCRIPT not in html
    assert f"Thank you, {ESCAPED_SCRIPT}." in html
    call = CallForScrutiny.objects.get()
    assert call.name == SCRIPT
    assert call.extra_answers == [{"label": "Anything else?", "answer": SCRIPT}]


# Complaints procedure


def test_an_open_complaints_procedure_is_mentioned(client, call_page, area):
    post(client, valid_answers(area, complaint_stage="stage_1", complaint_finished="no"))
    html = client.get(CONFIRMATION_URL).content.decode()
    assert "Your complaint could still go further" in html
    assert DEFAULT_COMPLAINTS_ADVICE in html


def test_the_pages_own_complaints_advice_is_used(client, area):
    make_call_page(complaints_advice=RichText("<p>Please finish stage 2 first.</p>"))
    post(client, valid_answers(area, complaint_stage="not_made", complaint_finished=""))
    html = client.get(CONFIRMATION_URL).content.decode()
    assert "Please finish stage 2 first." in html
    assert DEFAULT_COMPLAINTS_ADVICE not in html


@pytest.mark.parametrize(
    ("stage", "finished"), [("ombudsman", "yes"), ("ombudsman", "no"), ("stage_2", "yes")]
)
def test_a_finished_complaints_procedure_is_not_mentioned(client, call_page, area, stage, finished):
    post(client, valid_answers(area, complaint_stage=stage, complaint_finished=finished))
    html = client.get(CONFIRMATION_URL).content.decode()
    assert "panel-confirmation__reference" in html
    assert "Your complaint could still go further" not in html
    assert DEFAULT_COMPLAINTS_ADVICE not in html


# Extra questions


@pytest.fixture
def extra_questions(call_page):
    questions = [
        {"label": "How long have you lived here?", "question_type": QuestionType.NUMBER},
        {
            "label": "Which block do you live in?",
            "question_type": QuestionType.CHOICE,
            "choices": "North block\nSouth block\n",
            "required": True,
        },
        {"label": "Have you written to your councillor?", "question_type": QuestionType.YES_NO},
        {
            "label": "What would put it right?",
            "question_type": QuestionType.MULTI_LINE,
            "help_text": "In your own words.",
            "required": True,
        },
    ]
    for order, fields in enumerate(questions):
        CallFormQuestion.objects.create(page=call_page, sort_order=order, **fields)
    return questions


def test_extra_questions_appear_on_the_form(client, extra_questions, area):
    html = client.get(FORM_URL).content.decode()
    assert '<label for="id_extra_0">How long have you lived here? (optional)</label>' in html
    assert "<legend>Which block do you live in?</legend>" in html
    assert '<label for="id_extra_1_1">South block</label>' in html
    assert "<legend>Have you written to your councillor? (optional)</legend>" in html
    assert '<label for="id_extra_3">What would put it right?</label>' in html
    assert '<p class="hint" id="id_extra_3-hint">In your own words.</p>' in html


def test_required_extra_questions_are_enforced(client, extra_questions, area):
    html = post(client, valid_answers(area, extra_0="many")).content.decode()
    assert '<a href="#id_extra_0">Enter a whole number for “How long have you lived here?”' in html
    assert '<a href="#id_extra_1_0">Select an answer for “Which block do you live in?”</a>' in html
    assert '<a href="#id_extra_3">Answer the question “What would put it right?”</a>' in html
    assert "Have you written to your councillor?”</a>" not in html
    assert not CallForScrutiny.objects.exists()


def test_extra_answers_are_stored_as_text(client, extra_questions, area):
    data = valid_answers(
        area, extra_0="12", extra_1="South block", extra_2="yes", extra_3="Fix the lift."
    )
    assert post(client, data).status_code == 302
    assert CallForScrutiny.objects.get().extra_answers == [
        {"label": "How long have you lived here?", "answer": "12"},
        {"label": "Which block do you live in?", "answer": "South block"},
        {"label": "Have you written to your councillor?", "answer": "Yes"},
        {"label": "What would put it right?", "answer": "Fix the lift."},
    ]


def test_unanswered_optional_extra_questions_are_stored_empty(client, extra_questions, area):
    data = valid_answers(area, extra_1="North block", extra_3="Fix the lift.")
    assert post(client, data).status_code == 302
    answers = CallForScrutiny.objects.get().extra_answers
    assert answers[0] == {"label": "How long have you lived here?", "answer": ""}
    assert answers[2] == {"label": "Have you written to your councillor?", "answer": ""}
