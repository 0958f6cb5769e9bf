"""Translatable throughout: every public page and every email in a generated pseudo-language.

Issue #20 asks for every user-facing string in Python, templates and emails to be marked for
translation, `makemessages` to give a complete catalogue, and a test that renders every public
page and every email under a pseudo-locale and finds no untranslated text. This is that test.

The pseudo-language turns every letter of every message into its full-width twin ("Track" is
"Ｔｒａｃｋ"), keeping placeholders and HTML. Its catalogue is made afresh from the code by
`makemessages`, with Django's and Wagtail's own English messages besides (a form's "This field
is required.", a date's month). Text with an ASCII letter left is either data from the database
(a page's title, a resident's name, a reference), which is found in the database, or a string
that never went through gettext, which fails the test.

The demo (the "citizen" profile) gives the records: the crawl starts at the home page and
follows every public link, posts every form empty, opens the pages behind emailed links and
the confirmations; then every kind of email is sent from the demo's records.
"""

import html
import json
import re
import shutil
import subprocess
import sys
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from unittest import mock
from urllib.parse import urljoin, urlsplit

import django
import polib
import pytest
from bs4 import BeautifulSoup, Comment, Declaration, Doctype
from django.apps import apps
from django.conf import settings
from django.core import mail, signing
from django.core.management import call_command
from django.db import models
from django.test import Client, override_settings
from django.utils import translation

import scrutiny
from scrutiny import notifications
from scrutiny.access_codes import format_access_code
from scrutiny.models import CallForScrutiny, MessageChannel, SentEmail

PSEUDO = "en-xa"
PSEUDO_LANG = "en-XA"  # as <html lang> writes it
ROOT = Path(settings.BASE_DIR)
EMAIL_TEMPLATES = Path(scrutiny.__file__).parent / "templates" / "scrutiny" / "email"
CATALOGUE = Path(scrutiny.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
# Kept as they are: placeholders of both formats, HTML tags and entities.
KEEP = re.compile(r"%\([^)]*\)[a-z]|%[sdif%]|\{[^{}]*\}|<[^>]*>|&[#a-zA-Z0-9]+;")
ASCII_LETTER = re.compile(r"[A-Za-z]")
PSEUDO_RUN = re.compile(r"[\uff21-\uff3a\uff41-\uff5a]+")
ADDRESSES = re.compile(r"\S+@\S+\.\w+|https?://\S+|\b[\w.-]+\.(?:org|com|uk|net)\b\S*")
# Data inside a sentence is set off by these.
SEPARATORS = re.compile(r"[,;:()\[\]|·•–—→/\"“”‘’!?…]+|\s-\s|\.\s")
VISIBLE_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "aria-description")

pytestmark = pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="GNU gettext is not installed (apt-get install gettext; .ci/run installs it)",
)


def pseudo(text: str) -> str:
    """Every ASCII letter outside a placeholder or tag as its full-width twin."""
    pieces, end = [], 0
    for kept in KEEP.finditer(text):
        pieces.append(_widen(text[end : kept.start()]))
        pieces.append(kept.group())
        end = kept.end()
    pieces.append(_widen(text[end:]))
    return "".join(pieces)


def _widen(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in text)


def extract_messages(into: Path, folders=("scrutiny", "home", "templates")) -> Path:
    """The catalogue `makemessages` makes from the code in `folders`, in a copy under `into`."""
    sources = into / "sources"
    for folder in folders:
        shutil.copytree(
            ROOT / folder,
            sources / folder,
            ignore=shutil.ignore_patterns("locale", "migrations", "static", "__pycache__"),
        )
    (sources / "locale").mkdir()
    subprocess.run(  # noqa: S603 (our own manage.py, with fixed arguments)
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "--locale", "en_XA"],
        cwd=sources,
        check=True,
        capture_output=True,
    )
    return sources / "locale" / "en_XA" / "LC_MESSAGES" / "django.po"


def messages_of(catalogue: polib.POFile) -> set[tuple]:
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural)
        for entry in catalogue
        if not entry.obsolete
    }


def test_the_plugins_catalogue_is_complete(tmp_path):
    """scrutiny/locale/en holds every message of the plugin, as `make messages` writes it."""
    fresh = messages_of(polib.pofile(str(extract_messages(tmp_path, folders=("scrutiny",)))))
    committed = messages_of(polib.pofile(str(CATALOGUE)))
    assert len(fresh) > 500
    missing = sorted(str(message) for message in fresh - committed)
    assert not missing, f"not in {CATALOGUE.relative_to(ROOT)}; run make messages: {missing[:20]}"
    stale = sorted(str(message) for message in committed - fresh)
    assert not stale, f"no longer in the code; run make messages: {stale[:20]}"


def framework_catalogues() -> list[Path]:
    """Django's and every installed app's own English messages."""
    found = [Path(django.__file__).parent / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po"]
    for config in apps.get_app_configs():
        po = Path(config.path) / "locale" / "en" / "LC_MESSAGES" / "django.po"
        if po.exists() and not po.is_relative_to(ROOT / "scrutiny"):
            found.append(po)
    return found


def build_pseudo_locale(folder: Path) -> int:
    """Write the pseudo-language's compiled catalogue under `folder`; how many messages."""
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    seen = set()
    ours = polib.pofile(str(extract_messages(folder)))
    for source in [ours, *(polib.pofile(str(path)) for path in framework_catalogues())]:
        for entry in source:
            key = (entry.msgctxt, entry.msgid)
            if not entry.msgid or key in seen or entry.obsolete:
                continue
            seen.add(key)
            translated = polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt)
            if entry.msgid_plural:
                translated.msgid_plural = entry.msgid_plural
                translated.msgstr_plural = {0: pseudo(entry.msgid), 1: pseudo(entry.msgid_plural)}
            else:
                translated.msgstr = pseudo(entry.msgid)
            catalogue.append(translated)
    target = folder / "locale" / "en_XA" / "LC_MESSAGES"
    target.mkdir(parents=True)
    catalogue.save_as_mofile(str(target / "django.mo"))
    return len(ours)


def database_text() -> str:
    """Every piece of text the database holds, whitespace collapsed, tags stripped as well."""
    texts = []
    for model in apps.get_models():
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField, models.JSONField))
            or field.get_internal_type() in {"StreamField", "RichTextField"}
        ]
        if not names:
            continue
        for row in model._base_manager.values_list(*names):
            for value in row:
                if value in (None, ""):
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                texts.append(text)
                if "<" in text:
                    texts.append(html.unescape(re.sub(r"<[^>]+>", " ", text)))
    from django.contrib.auth import get_user_model

    for first, last in get_user_model().objects.values_list("first_name", "last_name"):
        texts.append(f"{first} {last}")
    # Access codes are kept bare and shown in groups.
    for code in CallForScrutiny.objects.exclude(access_code="").values_list(
        "access_code", flat=True
    ):
        texts.append(format_access_code(code))
    # Lower-cased once: a template may lower a business area's name inside a sentence.
    return "\n".join(" ".join(text.split()) for text in texts).lower()


def untranslated(text: str, known: str) -> list[str]:
    """The pieces of `text` with an ASCII letter that are neither translated nor data (in any
    case: a template may lower a business area's name inside a sentence)."""
    text = ADDRESSES.sub(" ", " ".join(text.split()))
    if not ASCII_LETTER.search(text) or text.lower() in known:
        return []
    left = []
    for run in PSEUDO_RUN.split(text):
        for piece in SEPARATORS.split(run):
            piece = piece.strip(" .-'")
            if ASCII_LETTER.search(piece) and piece.lower() not in known:
                left.append(piece)
    return left


def visible_texts(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    # Wagtail's side panel counter holds "None" until its script counts (hidden meanwhile).
    not_text = soup.select("[data-side-panel-toggle-counter]")
    for hidden in [*soup(["script", "style", "template"]), *not_text]:
        hidden.decompose()
    texts = [
        str(string)
        for string in soup.find_all(string=True)
        if not isinstance(string, (Comment, Declaration, Doctype))
    ]
    for element in soup.find_all(True):
        texts.extend(str(element[name]) for name in VISIBLE_ATTRIBUTES if element.get(name))
        if element.name == "input" and element.get("type") in {"submit", "button", "reset"}:
            texts.append(str(element.get("value", "")))
    return texts


class Crawl:
    """The public site from its home page: every link followed, every form posted empty."""

    SKIP = ("/admin/", "/django-admin/", "/documents/", "/media/", "/static/", "/_util/")

    def __init__(self, client: Client):
        self.client = client
        self.pages: dict[str, str] = {}
        self.posted: set[str] = set()

    def run(self, starts: list[str], limit: int = 400) -> None:
        waiting = deque(starts)
        while waiting and len(self.pages) < limit:
            path = waiting.popleft()
            if path in self.pages:
                continue
            body = self.open(path)
            if body is None:
                continue
            soup = BeautifulSoup(body, "html.parser")
            for link in soup.find_all("a", href=True):
                target = self.local(path, link["href"])
                if target and target not in self.pages:
                    waiting.append(target)
            for form in soup.find_all("form"):
                if (form.get("method") or "get").lower() == "post":
                    self.post(self.local(path, form.get("action") or path) or path)

    def local(self, base: str, href: str) -> str | None:
        parts = urlsplit(urljoin("http://testserver" + base, href))
        if parts.netloc != "testserver" or parts.path.startswith(self.SKIP):
            return None
        if parts.path.endswith((".pdf", "/pdf/", ".csv", ".ics")):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def open(self, path: str) -> str | None:
        response = self.client.get(path, follow=True)
        if "text/html" not in response.get("Content-Type", ""):
            return None
        self.pages[path] = response.content.decode()
        return self.pages[path]

    def post(self, path: str, data: dict | None = None) -> None:
        key = f"{path} {sorted((data or {}).items())}"
        if key in self.posted:
            return
        self.posted.add(key)
        response = self.client.post(path, data or {}, follow=True)
        if "text/html" in response.get("Content-Type", ""):
            self.pages[f"POST {response.status_code} {key}"] = response.content.decode()


class AdminCrawl(Crawl):
    """The admin: every link under /admin/, one page of each shape, no form posted."""

    # Wagtail's own screens that the plugin leaves alone, where some words are not for
    # translation: the account's languages (each in its own name) and time zones (IANA's names),
    # the images' file formats, the sites.
    SKIP = (
        "/admin/logout/",
        "/admin/login/",
        "/admin/account/",
        "/admin/images/",
        "/admin/sites/",
    )

    def __init__(self, client: Client):
        super().__init__(client)
        self.shapes: set[str] = set()

    def local(self, base: str, href: str) -> str | None:
        parts = urlsplit(urljoin("http://testserver" + base, href))
        if parts.netloc != "testserver" or not parts.path.startswith("/admin/"):
            return None
        if parts.path.startswith(self.SKIP) or parts.path.endswith((".pdf", "/pdf/")):
            return None
        shape = re.sub(r"\d+", "N", parts.path)
        if shape in self.shapes:
            return None
        self.shapes.add(shape)
        return parts.path

    def post(self, path: str, data: dict | None = None) -> None:
        """Nothing is posted in the admin."""


def send_every_email(rendered: set[str]) -> None:
    """Send each kind of email once from the demo's records, trying records until one sends."""
    from django.contrib.auth import get_user_model
    from wagtail.models import TaskState, WorkflowState

    from scrutiny import outcome_news, tasks
    from scrutiny.models import (
        ActionItem,
        Appeal,
        CallForScrutiny,
        Monitoring,
        OutcomesReportPage,
        PanelApplication,
        PanelDecision,
        PanelMember,
        Petition,
        PetitionSignature,
        ScrutinyReviewPage,
    )

    def pks(model):
        return list(model._base_manager.order_by("pk").values_list("pk", flat=True))

    calls, decisions, signatures = pks(CallForScrutiny), pks(PanelDecision), pks(PetitionSignature)
    petitions, appeals, reviews = pks(Petition), pks(Appeal), pks(ScrutinyReviewPage)
    # What the demo's records lack for some kinds: fill it in, as the process would have.
    from django.utils import timezone

    from scrutiny.models import AppealOutcome, MonitoringStatus, StepStatus
    from scrutiny.models.programme import report_workflow

    get_user_model().objects.filter(email="").update(email="someone@example.org")
    officer = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
    PetitionSignature.objects.update(tell_outcome=True)
    PetitionSignature.objects.filter(pk__in=signatures[:1]).update(confirmed_at=None)
    Appeal.objects.filter(pk__in=appeals[:1]).update(
        decided_at=timezone.now(), outcome=AppealOutcome.values[0]
    )
    Monitoring.objects.update(status=MonitoringStatus.WATCHING, review_on=timezone.localdate())
    for member in PanelMember.objects.select_related("user")[:1]:
        member.user.set_unusable_password()
        member.user.save()
    review = ScrutinyReviewPage.objects.order_by("pk").first()
    review.steps.update(status=StepStatus.DONE)
    review.save_revision(user=officer)
    report_workflow().start(review, officer)
    WorkflowState.objects.update(requested_by=officer)
    # Signers who asked to hear the panel's decision, on a call it decided.
    signed = PetitionSignature.objects.counted().order_by("pk").first()
    decided = PanelDecision.objects.exclude(call__petition__isnull=False).order_by("pk").first()
    Petition.objects.filter(pk=signed.petition_id).update(call=decided.call)
    tokens = dict(PetitionSignature.objects.values_list("pk", "token"))
    drivers = {
        "call_acknowledgement": [(tasks.send_call_acknowledgement, pk) for pk in calls],
        "call_officer_notification": [(tasks.send_call_officer_notification, pk) for pk in calls],
        "access_code": [(tasks.send_access_code, pk, "2026-01-01T00:00:00") for pk in calls],
        "call_closed": [(tasks.send_call_closed, pk) for pk in calls],
        "decision_to_resident": [(tasks.send_decision_to_resident, pk) for pk in decisions],
        "serious_failure": [(tasks.send_serious_failure_recommendations, pk) for pk in decisions],
        "news_decision": [(outcome_news.send_decision_news, pk) for pk in decisions],
        "signature_confirmation": [
            (tasks.send_signature_confirmation, pk, tokens[pk]) for pk in signatures[:1]
        ],
        "signature_tried_again": [(tasks.send_signature_tried_again, pk, 1) for pk in signatures],
        "petition_milestone": [(tasks.send_petition_milestone, pk, "1/3") for pk in petitions],
        "petition_target_reached": [(tasks.send_petition_target_reached, pk) for pk in petitions],
        "petition_closed": [(tasks.send_petition_closed, pk) for pk in petitions],
        "appeal_acknowledgement": [(tasks.send_appeal_acknowledgement, pk) for pk in appeals],
        "appeal_officer_notification": [
            (tasks.send_appeal_officer_notification, pk) for pk in appeals
        ],
        "appeal_decision_to_resident": [
            (tasks.send_appeal_decision_to_resident, pk) for pk in appeals
        ],
        "application_acknowledgement": [
            (tasks.send_application_acknowledgement, pk) for pk in pks(PanelApplication)
        ],
        "application_officer_notification": [
            (tasks.send_application_officer_notification, pk) for pk in pks(PanelApplication)
        ],
        "member_welcome": [(tasks.send_member_welcome, pk) for pk in pks(PanelMember)],
        "action_reminder": [
            (tasks.send_action_reminder, pk, stage)
            for pk in pks(ActionItem)
            for stage in ("due_soon", "overdue")
        ],
        "outcomes_report_drafted": [
            (tasks.send_outcomes_report_drafted, pk) for pk in pks(OutcomesReportPage)
        ],
        "monitoring_outcome": [
            (tasks.send_monitoring_outcome, pk, outcome, "2026-01-01")
            for pk in pks(Monitoring)
            for outcome in ("improved", "escalated")
        ],
        "monitoring_due": [(tasks.send_monitoring_due, pk) for pk in pks(Monitoring)],
        "news_report": [(outcome_news.send_report_news, pk) for pk in reviews],
        "news_complete": [(outcome_news.send_completion_news, pk) for pk in reviews],
        "call_awaiting_decision": [
            (tasks.send_workflow_task_submitted, pk) for pk in pks(TaskState)
        ],
        "report_awaiting_sign_off": [
            (tasks.send_workflow_task_submitted, pk) for pk in pks(TaskState)
        ],
    }
    for outcome in ("approved", "rejected"):
        for kind in ("call", "report"):
            drivers[f"{kind}_workflow_{outcome}"] = [
                (tasks.send_workflow_finished, pk, outcome) for pk in pks(WorkflowState)
            ]
    for template, attempts in drivers.items():
        for function, *args in attempts:
            if template in rendered:
                break
            function(*args)


@contextmanager
def in_pseudo_language(folder: Path):
    """The pseudo-language made under `folder`, active."""
    messages = build_pseudo_locale(folder)
    assert messages > 500, "makemessages found almost nothing marked"
    with (
        override_settings(
            LOCALE_PATHS=[str(folder / "locale")],
            LANGUAGE_CODE=PSEUDO,
            LANGUAGES=[(PSEUDO, "Pseudo-English")],
        ),
        translation.override(PSEUDO),
    ):
        assert translation.gettext("This field is required.") != "This field is required."
        yield


def problems_in(pages: dict[str, str], known: str) -> list[str]:
    return [
        f"{where}: {piece!r}"
        for where, body in pages.items()
        for text in visible_texts(body)
        for piece in untranslated(text, known)
    ]


@pytest.mark.django_db(transaction=True)
def test_every_admin_screen_is_translated(tmp_path):
    """The admin as a superuser sees it, one page of each shape (every call's page is one
    shape), from the dashboard by every link. Wagtail's own words come from its catalogue."""
    from django.contrib.auth import get_user_model

    with in_pseudo_language(tmp_path):
        call_command("load_demo", profile="citizen", verbosity=0)
        client = Client()
        client.force_login(
            get_user_model().objects.create_superuser("translator", "t@example.org", "x")
        )
        crawl = AdminCrawl(client)
        crawl.run(["/admin/"], limit=600)
        known = database_text()
        problems = sorted(set(problems_in(crawl.pages, known)))
    assert len(crawl.pages) > 100, sorted(crawl.pages)
    assert not problems, f"{len(problems)} untranslated:\n" + "\n".join(problems)


@pytest.mark.django_db(transaction=True)
def test_every_public_page_and_email_is_translated(tmp_path):
    rendered: set[str] = set()

    real_render = notifications.render_to_string

    def render(name, context=None, *args, **kwargs):
        if name.startswith("scrutiny/email/"):
            rendered.add(Path(name).name.split(".")[0].removesuffix("_subject"))
        return real_render(name, context, *args, **kwargs)

    with (
        in_pseudo_language(tmp_path),
        mock.patch.object(notifications, "render_to_string", render),
    ):
        call_command("load_demo", profile="citizen", verbosity=0)
        client = Client()
        crawl = Crawl(client)
        crawl.run(["/", "/a-page-that-is-not-here/", *resident_only_pages(client)])
        answer_forms(crawl)
        SentEmail.objects.all().delete()  # the demo's, so that each kind is sent again
        mail.outbox.clear()
        send_every_email(rendered)
        known = database_text()

        problems = problems_in(crawl.pages, known)
        for message in mail.outbox:
            where = f"email {message.subject[:40]!r}"
            texts = [message.subject, message.body]
            texts += [
                visible for part, _ in message.alternatives for visible in visible_texts(part)
            ]
            for text in texts:
                for line in text.splitlines():
                    problems.extend(f"{where}: {piece!r}" for piece in untranslated(line, known))
        for subject, body in SentEmail.objects.filter(channel=MessageChannel.LETTER).values_list(
            "subject", "body"
        ):
            for line in [subject, *body.splitlines()]:
                problems.extend(
                    f"letter {subject[:40]!r}: {piece!r}" for piece in untranslated(line, known)
                )

    kinds = {
        path.name.split(".")[0].removesuffix("_subject")
        for path in EMAIL_TEMPLATES.glob("*_subject.txt")
    }
    unlabelled = sorted(
        where for where, body in crawl.pages.items() if f'<html lang="{PSEUDO_LANG}"' not in body
    )
    assert not unlabelled, f"pages not saying they are in the active language: {unlabelled}"
    missing = sorted(kinds - rendered)
    assert not missing, f"kinds of email the test did not send: {missing}"
    assert len(crawl.pages) > 40, sorted(crawl.pages)
    problems = sorted(set(problems))
    assert not problems, f"{len(problems)} untranslated:\n" + "\n".join(problems)


def answer_forms(crawl: Crawl) -> None:
    """The forms' other answers: a call found by its access code and by its postcode, an
    ineligible answer to joining the panel, and the page for too many attempts."""
    from scrutiny.models import CallForScrutiny, CallForScrutinyPage, JoinThePanelPage, Tenure

    call = CallForScrutiny.objects.exclude(access_code="").order_by("pk").first()
    track = CallForScrutinyPage.objects.live().first().url + "track/"
    crawl.post(track, {"reference": call.reference, "access_code": call.access_code})
    crawl.post(track, {"reference": call.reference, "email_or_postcode": call.postcode})
    join = JoinThePanelPage.objects.live().first().url
    crawl.post(join, {"step": "check", "tenure": Tenure.OTHER, "legal_action": "yes"})
    crawl.post(join, {"step": "check", "tenure": Tenure.values[0], "legal_action": "no"})
    for attempt in range(30):
        crawl.post(track, {"reference": f"CCS-2000-{attempt:04}", "email_or_postcode": "X1 1XX"})
    assert any(key.startswith("POST 429 ") for key in crawl.pages), sorted(crawl.pages)


def resident_only_pages(client: Client) -> list[str]:
    """Pages no link leads to: those behind emailed links, and the confirmations that only the
    browser that sent a form sees."""
    from scrutiny import selectors
    from scrutiny.models import (
        Appeal,
        CallForScrutiny,
        CallForScrutinyPage,
        JoinThePanelPage,
        OutcomesReportPage,
        PanelApplication,
        Petition,
        PetitionIndexPage,
        PetitionSignature,
    )
    from scrutiny.page_views import calls, membership

    paths = []
    call = CallForScrutiny.objects.exclude(access_code="").order_by("pk").first()
    page = CallForScrutinyPage.objects.live().first()
    if call is not None and page is not None:
        token = selectors.call_tracking_token(call)
        paths += [
            page.url + page.reverse_subpage("track_link", args=[token]),
            page.url + page.reverse_subpage("appeal_link", args=[token]),
        ]
        client.cookies[calls.SUBMITTED_CALL_COOKIE] = signing.get_cookie_signer(
            salt=calls.SUBMITTED_CALL_COOKIE
        ).sign(str(call.pk))
        paths.append(page.url + "confirmation/")
    session = client.session
    appeal = Appeal.objects.order_by("pk").first()
    application = PanelApplication.objects.order_by("pk").first()
    if appeal is not None:
        session[calls.SUBMITTED_APPEAL_SESSION_KEY] = appeal.pk
        paths.append(page.url + "appeal/sent/")
    if application is not None:
        session[membership.SUBMITTED_SESSION_KEY] = application.pk
        paths.append(JoinThePanelPage.objects.live().first().url + "confirmation/")
    session.save()
    petitions = PetitionIndexPage.objects.live().first()
    paths += [
        petitions.url + f"{slug}/signed/"
        for slug in Petition.objects.values_list("slug", flat=True)
    ]
    # The outcomes reports, published, so that the programme links to them.
    for report in OutcomesReportPage.objects.all():
        report.save_revision().publish()
    for signature in PetitionSignature.objects.exclude(token="").order_by("pk")[:3]:
        paths += [
            petitions.url + f"confirm/{signature.token}/",
            petitions.url + f"withdraw/{signature.token}/",
        ]
    return paths
