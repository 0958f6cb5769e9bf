"""The report approval workflow: its order and who acts, no publishing without sign-off, what
publishing changes, revisions, the PDF, the public page and the print stylesheet."""

import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.actions.publish_revision import PublishPermissionError
from wagtail.models import PageLogEntry, TaskState, WorkflowState
from wagtail.rich_text import RichText

from scrutiny import pipeline, roles
from scrutiny.models import (
    CallStatus,
    Recommendation,
    ReferralStatus,
    ReviewStatus,
    ScrutinyReviewPage,
    ScrutinySettings,
)
from scrutiny.models.programme import report_workflow
from tests.conftest import PASSWORD, make_business_area
from tests.scrutiny.builders import make_accepted_call
from tests.scrutiny.pdfs import pdf_structure
from tests.scrutiny.review_builders import (
    edit_post,
    finish_steps,
    make_programme,
    make_review,
    make_year,
)

pytestmark = pytest.mark.django_db

RECOMMENDATIONS = [
    ("Book every repair at the first call, with a time slot.", "12 of 20 calls were called back."),
    ("Tell residents when a repair is delayed, and why.", "Survey: 61% were not told."),
    ("Publish repair times by estate each quarter.", "No figures are published now."),
]


@pytest.fixture
def review(staff, home_page):
    """A drafted report with three recommendations, answering a call now in review."""
    year_page = make_year(make_programme(home_page), 2026)
    area = make_business_area()
    review = make_review(
        year_page,
        business_area=area,
        status=ReviewStatus.IN_REVIEW,
        starts_on=timezone.localdate() - timedelta(days=90),
        ends_on=timezone.localdate() - timedelta(days=5),
        summary=RichText("<p>Repairs are slow & residents are not kept informed.</p>"),
        scope=RichText("<p>Responsive repairs from report to completion.</p>"),
        terms_of_reference=RichText("<p>How quickly, and how well, are repairs done?</p>"),
        working_well=RichText("<p>Operatives are polite and <b>tidy</b>.</p>"),
        below_standard=RichText("<ul><li>First-time fixes</li><li>Updates on delays</li></ul>"),
    )
    call = make_accepted_call(staff, business_area=area)
    pipeline.call_schedule(call=call, review=review, user=staff["officer"])
    review.calls.add(call)
    finish_steps(review, staff["officer"])
    for order, (text, evidence) in enumerate(RECOMMENDATIONS):
        review.recommendations.add(
            Recommendation(recommendation=text, evidence=evidence, sort_order=order)
        )
    review.save()
    review.save_revision(user=staff["panel"])
    review.call = call
    return review


def submit(review, user):
    """Send the latest revision into the report approval workflow, as the editor does."""
    report_workflow().start(review, user)
    return ScrutinyReviewPage.objects.get(pk=review.pk)


def current_task(review):
    return ScrutinyReviewPage.objects.get(pk=review.pk).current_workflow_task


def approve_as(client, review, username):
    """Approve the current task through Wagtail's own workflow action view."""
    client.login(username=username, password=PASSWORD)
    state = ScrutinyReviewPage.objects.get(pk=review.pk).current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[review.pk, "approve", state.pk]),
        {"comment": "Agreed."},
    )


def test_the_workflow_is_panel_sign_off_then_the_oversight_body():
    workflow = report_workflow()
    assert workflow.name == "Report approval"
    tasks = [task.specific for task in workflow.tasks.order_by("workflow_tasks__sort_order")]
    assert [task.name for task in tasks] == ["Panel sign-off", "EMT and Board"]
    assert [list(task.groups.values_list("name", flat=True)) for task in tasks] == [
        [roles.PANEL],
        [roles.MANAGERS],
    ]
    assert ScrutinySettings.load().report_workflow == workflow


def test_review_pages_use_the_report_workflow_and_year_pages_none(review):
    assert review.get_workflow() == report_workflow()
    assert review.get_parent().specific.get_workflow() is None


@pytest.mark.parametrize("username", ["comms", "officer", "panel"])
def test_the_editor_submits_the_report_to_report_approval(review, staff, client, username):
    client.login(username=username, password=PASSWORD)
    url = reverse("wagtailadmin_pages:edit", args=[review.pk])
    assert 'name="action-submit"' in client.get(url).content.decode()
    response = client.post(url, edit_post(review, **{"action-submit": "action-submit"}))
    assert response.status_code == 302
    review = ScrutinyReviewPage.objects.get(pk=review.pk)
    assert review.status == ReviewStatus.REPORTING
    assert current_task(review).name == "Panel sign-off"
    assert not review.live


def test_sign_off_goes_in_order_each_by_its_own_group(review, staff, client):
    review = submit(review, staff["panel"])
    assert review.status == ReviewStatus.REPORTING
    task = current_task(review)
    assert task.name == "Panel sign-off"
    # The oversight body cannot sign off for the panel.
    assert task.specific.get_actions(review, staff["manager"]) == []
    response = approve_as(client, review, "manager")
    assert response.status_code in (302, 403)
    assert current_task(review).name == "Panel sign-off"

    response = approve_as(client, review, "panel")
    assert response.status_code == 302
    task = current_task(review)
    assert task.name == "EMT and Board"
    assert not ScrutinyReviewPage.objects.get(pk=review.pk).live
    # And the panel cannot approve for the oversight body.
    assert task.specific.get_actions(review, staff["panel"]) == []
    response = approve_as(client, review, "panel")
    assert response.status_code in (302, 403)
    assert current_task(review).name == "EMT and Board"
    assert not ScrutinyReviewPage.objects.get(pk=review.pk).live

    response = approve_as(client, review, "manager")
    assert response.status_code == 302
    published = ScrutinyReviewPage.objects.get(pk=review.pk)
    assert published.live
    state = WorkflowState.objects.for_instance(published).get()
    assert state.status == WorkflowState.STATUS_APPROVED
    approvers = list(
        TaskState.objects.filter(workflow_state=state)
        .order_by("started_at")
        .values_list("task__name", "finished_by__username")
    )
    assert approvers == [("Panel sign-off", "panel"), ("EMT and Board", "manager")]


def test_publishing_moves_a_referred_topic_it_answers_to_reported(review, staff, client):
    topic = pipeline.referral_record(
        user=staff["officer"],
        title="Repairs satisfaction is falling",
        business_area=review.business_area,
        evidence="Satisfaction fell to 64%.",
        body_meeting="Quarterly meeting",
        referred_on=timezone.localdate() - timedelta(days=30),
    )
    pipeline.machine.apply(
        topic, "schedule", user=staff["officer"], review=review, changes={"review": review}
    )
    review = submit(review, staff["panel"])
    approve_as(client, review, "panel")
    approve_as(client, review, "manager")
    topic.refresh_from_db()
    assert topic.status == ReferralStatus.REPORTED
    assert topic.history.first().history_user == staff["manager"]
    page = client.get(ScrutinyReviewPage.objects.get(pk=review.pk).url).content.decode()
    assert "Referred to the panel" in page
    assert "Repairs satisfaction is falling" in page


def test_publishing_moves_the_review_and_its_calls_to_reported(review, staff, client):
    call = review.call
    review = submit(review, staff["panel"])
    approve_as(client, review, "panel")
    approve_as(client, review, "manager")
    review = ScrutinyReviewPage.objects.get(pk=review.pk)
    assert review.status == ReviewStatus.REPORTED
    call.refresh_from_db()
    assert call.status == CallStatus.REPORTED
    assert call.history.first().history_user == staff["manager"]
    moves = [
        entry.data["to"]
        for entry in PageLogEntry.objects.filter(
            page=review, action="scrutiny.review.status"
        ).order_by("pk")
    ]
    assert moves == [ReviewStatus.REPORTING, ReviewStatus.REPORTED]
    # The programme's year page now links to the live report.
    year = client.get(review.get_parent().url)
    assert review.url in year.content.decode()


def test_changes_requested_returns_the_review_to_in_review(review, staff, client):
    review = submit(review, staff["panel"])
    client.login(username="panel", password=PASSWORD)
    state = review.current_workflow_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[review.pk, "reject", state.pk]),
        {"comment": "Recommendation 2 needs its evidence."},
    )
    assert response.status_code == 302
    review = ScrutinyReviewPage.objects.get(pk=review.pk)
    assert review.status == ReviewStatus.IN_REVIEW
    assert not review.live


@pytest.mark.parametrize("username", ["comms", "officer", "panel", "admin"])
def test_nobody_publishes_a_report_with_the_publish_button(review, staff, client, username):
    client.login(username=username, password=PASSWORD)
    url = reverse("wagtailadmin_pages:edit", args=[review.pk])
    editor = client.get(url)
    assert editor.status_code == 200
    assert 'name="action-publish"' not in editor.content.decode()
    response = client.post(url, edit_post(review, **{"action-publish": "action-publish"}))
    assert response.status_code in (200, 302)
    review = ScrutinyReviewPage.objects.get(pk=review.pk)
    assert not review.live
    assert review.live_revision is None
    assert review.status == ReviewStatus.IN_REVIEW


def test_a_crafted_publish_says_the_report_was_saved_as_a_draft(review, staff, client):
    client.login(username="officer", password=PASSWORD)
    url = reverse("wagtailadmin_pages:edit", args=[review.pk])
    response = client.post(
        url, edit_post(review, **{"action-publish": "action-publish"}), follow=True
    )
    shown = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert (
        "error",
        "“Review of repairs” was saved as a draft, not published: a report is published only "
        "when the panel and the oversight body sign it off. Use “Submit to Report approval” "
        "to send it for sign-off.",
    ) in shown
    assert not ScrutinyReviewPage.objects.get(pk=review.pk).live
    # Saving without asking to publish says nothing of the kind.
    response = client.post(url, edit_post(review), follow=True)
    assert not [m for m in response.context["messages"] if m.level_tag == "error"]


def test_a_publish_that_went_live_is_not_called_a_draft(review, staff, client, rf):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from scrutiny.admin_hooks.record_rules import explain_unpublished_report

    review = publish_through_workflow(review, staff, client)
    request = rf.post("/", {"action-publish": "1"})
    request.user = staff["manager"]
    request.session = {}
    request._messages = FallbackStorage(request)
    assert explain_unpublished_report(request, review) is None
    assert list(get_messages(request)) == []


def test_scheduled_publishing_is_refused_too(review, staff, client):
    client.login(username="comms", password=PASSWORD)
    tomorrow = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    client.post(
        reverse("wagtailadmin_pages:edit", args=[review.pk]),
        edit_post(review, go_live_at=tomorrow, **{"action-publish": "action-publish"}),
    )
    review = ScrutinyReviewPage.objects.get(pk=review.pk)
    assert not review.live
    assert not review.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_publishing_in_code_or_in_bulk_as_a_user_is_refused(review, staff, client):
    for username in ("comms", "admin", "manager"):
        assert not review.permissions_for_user(staff[username]).can_publish()
        with pytest.raises(PublishPermissionError):
            review.get_latest_revision().publish(user=staff[username])
    client.login(username="comms", password=PASSWORD)
    client.post(
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        + f"?id={review.pk}",
        {},
    )
    assert not ScrutinyReviewPage.objects.get(pk=review.pk).live


def test_the_before_publish_hook_refuses_a_publish_that_gets_past_the_button(review, staff, rf):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from scrutiny.admin_hooks.record_rules import refuse_unsigned_report

    request = rf.post("/")
    request.user = staff["comms"]
    request.session = {}
    request._messages = FallbackStorage(request)
    response = refuse_unsigned_report(request, review)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[review.pk])


def test_an_edit_after_sign_off_needs_the_workflow_again(review, staff, client):
    review = submit(review, staff["panel"])
    approve_as(client, review, "panel")
    approve_as(client, review, "manager")
    review = ScrutinyReviewPage.objects.get(pk=review.pk)
    assert review.live
    client.login(username="comms", password=PASSWORD)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[review.pk]),
        edit_post(review, title="Changed without sign-off", **{"action-publish": "1"}),
    )
    review = ScrutinyReviewPage.objects.get(pk=review.pk)
    assert review.title != "Changed without sign-off"
    assert review.has_unpublished_changes


def test_the_compare_view_shows_a_changed_recommendation(review, staff, client):
    first = review.get_latest_revision()
    client.login(username="panel", password=PASSWORD)
    data = edit_post(review)
    data["recommendations-1-recommendation"] = "Text every resident when a repair is delayed."
    response = client.post(reverse("wagtailadmin_pages:edit", args=[review.pk]), data)
    assert response.status_code == 302
    second = ScrutinyReviewPage.objects.get(pk=review.pk).get_latest_revision()
    assert second.pk != first.pk
    # Wagtail opens its compare view only to holders of a page permission in the tree.
    client.login(username="comms", password=PASSWORD)
    response = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=[review.pk, first.pk, second.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert '<span class="deletion">Tell residents</span>' in page
    assert '<span class="addition">Text every resident</span> when a repair is delayed' in page


# The public report, its PDF and print.

PDF_SECTIONS = [
    "Summary",
    "Repairs are slow & residents are not kept informed.",
    "Scope",
    "Responsive repairs from report to completion.",
    "Terms of reference",
    "How quickly, and how well, are repairs done?",
    "What is working well",
    "Operatives are polite and",
    "Standards that fall below the expected level",
    "First-time fixes",
    "Recommendations",
    "Evidence",
    "12 of 20 calls were called back.",
    "Response awaited",
    "Progress",
    "Report approved",
]


def publish_through_workflow(review, staff, client):
    review = submit(review, staff["panel"])
    approve_as(client, review, "panel")
    approve_as(client, review, "manager")
    client.logout()
    return ScrutinyReviewPage.objects.get(pk=review.pk)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    assert content.startswith(b"%PDF")
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_the_public_pdf_has_the_organisation_and_every_recommendation(review, staff, client):
    review = publish_through_workflow(review, staff, client)
    response = client.get(review.url + review.reverse_subpage("report_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert ScrutinySettings.load().organisation_name in text
    for recommendation, _ in RECOMMENDATIONS:
        assert recommendation in text
    assert "Repairs are slow & residents are not kept informed." in text
    assert "First-time fixes" in text
    assert "Dana Price" in text


def test_a_draft_has_no_public_pdf_but_staff_download_it(review, staff, client):
    year_url = review.get_parent().url
    assert review.reverse_subpage("report_pdf") == "pdf/"
    assert client.get(year_url + review.slug + "/pdf/").status_code == 404
    client.login(username="officer", password=PASSWORD)
    response = client.get(reverse("scrutiny_reviews:pdf", args=[review.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "DRAFT" in text
    assert RECOMMENDATIONS[0][0] in text
    client.login(username="appeal", password=PASSWORD)
    response = client.get(reverse("scrutiny_reviews:pdf", args=[review.pk]))
    assert response.status_code in (302, 403)


def test_rich_text_markup_cannot_break_the_pdf(review, staff):
    from scrutiny.reports import report_pdf

    review.working_well = '<p>Fine <para>& "<b>bold</b>"</p><p><script>x</script>< &lt;</p>'
    review.recommendations.add(
        Recommendation(recommendation="<font size=40>Big</font> & <b>small", evidence="-")
    )
    text = pdf_text(report_pdf(review))
    assert 'Fine & "bold"' in text
    assert "<font size=40>Big</font> & <b>small" in text


def test_the_public_report_shows_every_section(review, staff, client):
    review = publish_through_workflow(review, staff, client)
    response = client.get(review.url)
    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        review.title,
        "Repairs and maintenance",
        "Report published",
        "ll 10 steps done",
        "Responsive repairs from report to completion.",
        "How quickly, and how well, are repairs done?",
        "What is working well",
        "Operatives are polite",
        "Standards that fall below the expected level",
        "First-time fixes",
        "Recommendations",
        "12 of 20 calls were called back.",
        "Dana Price",
        "Medium",
        "Response awaited",
        f"{review.url}pdf/",
    ]:
        assert text in page, text
    for recommendation, _ in RECOMMENDATIONS:
        assert recommendation in page
    assert '<th scope="col">Priority</th>' in page


def test_the_print_stylesheet_hides_the_frame_and_rules_the_tables():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_text()
    assert "@media print" in css
    for rule in (".site-header", ".site-nav", ".site-footer", ".skip-link", ".button"):
        assert rule in css
    assert "attr(href)" in css
    assert "border: 1px solid #000" in css
    assert "break-inside: avoid" in css
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
    assert "css/print.css" in base


def test_the_oversight_task_takes_the_oversight_body_s_name():
    from scrutiny.roles import name_oversight_task

    name_oversight_task("Customer Assurance Committee")
    tasks = report_workflow().tasks.order_by("workflow_tasks__sort_order")
    assert [task.name for task in tasks] == ["Panel sign-off", "Customer Assurance Committee"]


def test_a_recommendation_with_a_response_cannot_be_removed_from_the_report(review, staff, client):
    from scrutiny.models import RecommendationResponse, ResponseDecision

    answered = review.recommendations.first()
    RecommendationResponse.objects.create(
        recommendation=answered, decision=ResponseDecision.ACCEPTED, reasons="We agree."
    )
    client.login(username="panel", password=PASSWORD)
    url = reverse("wagtailadmin_pages:edit", args=[review.pk])
    before = review.get_latest_revision().pk
    response = client.post(url, edit_post(review, **{"recommendations-0-DELETE": "1"}))

    assert response.status_code == 200
    assert "cannot be removed from the report" in response.content.decode()
    assert review.get_latest_revision().pk == before
    assert Recommendation.objects.filter(pk=answered.pk).exists()

    # One without a response or actions can be taken out of the draft.
    response = client.post(url, edit_post(review, **{"recommendations-1-DELETE": "1"}))
    assert response.status_code == 302


def test_each_sign_off_group_gets_the_products_email_not_wagtails(
    review, staff, client, django_capture_on_commit_callbacks
):
    from django.core import mail

    from scrutiny.models import SentEmail
    from tests.conftest import make_user

    make_user("ruth", group=roles.PANEL, first_name="Ruth")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review = submit(review, staff["panel"])

    link = f"http://testserver/admin/pages/{review.pk}/edit/"
    sign_off = [m for m in mail.outbox if m.subject.startswith("Report for")]
    assert [m.to for m in sign_off] == [["ruth@example.org"]], "the panel, not the submitter"
    assert review.title in sign_off[0].subject and "panel sign-off" in sign_off[0].subject
    assert link in sign_off[0].body
    [(html, mimetype)] = sign_off[0].alternatives
    assert mimetype == "text/html" and f'href="{link}"' in html
    assert not [m for m in mail.outbox if "moderation stage" in m.subject + m.body]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve_as(client, review, "ruth")
    oversight = [m for m in mail.outbox if m.subject.startswith("Report for")]
    assert [m.to for m in oversight] == [["manager@example.org"]]
    assert "emt and board" in oversight[0].subject
    assert not [m for m in mail.outbox if "moderation stage" in m.subject + m.body]
    assert SentEmail.objects.filter(key__startswith="workflow-task:").count() == 2


# The report as a tagged, accessible PDF (issue 19).


def test_the_report_pdf_is_tagged_with_its_language_title_and_headings(review, staff, client):
    review = publish_through_workflow(review, staff, client)
    response = client.get(review.url + "pdf/")
    assert response.status_code == 200
    catalog, metadata, types = pdf_structure(response.content)
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert metadata.title == "Review of repairs"
    assert types.count("/H1") == 1
    assert types.count("/H2") >= 6
    assert "/Table" in types and "/TH" in types
    # PDF/UA-1 says so in the XMP metadata.
    assert b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()


def test_the_report_pdf_carries_every_section_of_the_page(review, staff, client):
    review = publish_through_workflow(review, staff, client)
    page = client.get(review.url).content.decode()
    text = pdf_text(client.get(review.url + "pdf/").content)
    approved = review.last_published_at.strftime("%-d %B %Y")
    assert f"<dt>Report approved</dt><dd>{approved}</dd>" in page
    assert f"Report approved {approved}" in text
    for section in PDF_SECTIONS:
        assert section in text, section
        assert section in page, section
    assert f"Report to {ScrutinySettings.load().oversight_body}" in text
    assert "Download the report" not in text


def test_the_pdf_shows_responses_and_progress_as_they_change(review, staff, client):
    from scrutiny.models import RecommendationResponse

    review = publish_through_workflow(review, staff, client)
    assert "Response awaited" in pdf_text(client.get(review.url + "pdf/").content)
    first = review.recommendations.first()
    RecommendationResponse.objects.create(
        recommendation=first, decision="accepted", reasons="We will book a slot at first call."
    )
    text = pdf_text(client.get(review.url + "pdf/").content)
    assert "Accepted" in text


def test_the_download_link_gives_the_file_size(review, staff, client):
    from scrutiny.reports import file_size_label

    review = publish_through_workflow(review, staff, client)
    size = len(client.get(review.url + "pdf/").content)
    page = client.get(review.url).content.decode()
    assert re.search(r"\(PDF, \d+ KB\)", page)
    assert f"(PDF, {file_size_label(size)})" in page
    assert file_size_label(900) == "900 bytes"
    assert file_size_label(126_000) == "123 KB"
    assert file_size_label(1_468_006) == "1.4 MB"


def test_a_private_report_pdf_is_not_downloadable_by_the_public(review, staff, client):
    from wagtail.models import PageViewRestriction

    review = publish_through_workflow(review, staff, client)
    PageViewRestriction.objects.create(page=review, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(review.url + "pdf/")
    assert response.status_code == 302
    assert "%PDF" not in response.content.decode(errors="ignore")
    client.login(username="officer", password=PASSWORD)
    assert client.get(review.url + "pdf/").content.startswith(b"%PDF")


def test_the_pdf_fetches_nothing_from_the_network():
    from scrutiny.reports import LocalFileRefused, local_url_fetcher

    fetcher = local_url_fetcher()
    for url in (
        "https://example.com/logo.png",
        "file:///etc/passwd",
        "http://localhost/media/../../etc/passwd",
    ):
        with pytest.raises(LocalFileRefused):
            fetcher.fetch(url)
    css = fetcher.fetch("http://localhost/static/scrutiny/css/report-print.css")
    assert b"@page" in css.read()


def test_a_pdf_is_made_once_for_the_same_report(review, staff, client, monkeypatch):
    from scrutiny import reports

    review = publish_through_workflow(review, staff, client)
    made = []
    real = reports.html_to_pdf
    monkeypatch.setattr(reports, "html_to_pdf", lambda *a: made.append(1) or real(*a))
    reports.cache.clear()
    client.get(review.url)
    client.get(review.url + "pdf/")
    client.get(review.url + "pdf/")
    assert len(made) == 1


def test_a_pdf_that_cannot_be_made_leaves_the_page_without_the_link(
    review, staff, client, monkeypatch
):
    from scrutiny import reports

    review = publish_through_workflow(review, staff, client)

    def broken(*args):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(reports, "html_to_pdf", broken)
    reports.cache.clear()
    response = client.get(review.url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "First-time fixes" in page
    assert "Download the report" not in page


def test_the_drafter_is_told_when_the_report_is_signed_off(
    review, staff, client, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.conftest import make_user

    drafter = make_user("ruth", group=roles.PANEL, first_name="Ruth")
    with django_capture_on_commit_callbacks(execute=True):
        review = submit(review, drafter)
        approve_as(client, review, "panel")
    assert not [m for m in mail.outbox if drafter.email in m.to and "signed off" in m.subject]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve_as(client, review, "manager")

    [told] = [m for m in mail.outbox if m.to == [drafter.email]]
    assert told.subject == f"Report signed off: {review.title}"
    link = f"http://testserver/admin/pages/{review.pk}/edit/"
    assert "Dear Ruth," in told.body and link in told.body
    assert "signed off by" in told.body and "at emt and board" in told.body
    [(html, mimetype)] = told.alternatives
    assert mimetype == "text/html" and f'href="{link}"' in html
    assert not [m for m in mail.outbox if "moderation stage" in m.subject + m.body]


def test_the_drafter_is_told_when_the_report_is_sent_back_with_the_comment(
    review, staff, client, django_capture_on_commit_callbacks
):
    from django.core import mail

    from scrutiny.tasks import send_workflow_finished
    from tests.conftest import make_user

    drafter = make_user("ruth", group=roles.PANEL, first_name="Ruth")
    review = submit(review, drafter)
    state = review.current_workflow_task_state
    client.login(username="panel", password=PASSWORD)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[review.pk, "reject", state.pk]),
            {"comment": "Recommendation 2 needs its evidence & a date."},
        )

    [told] = [m for m in mail.outbox if m.to == [drafter.email]]
    assert told.subject == f"Report sent back for changes: {review.title}"
    assert "Recommendation 2 needs its evidence & a date." in told.body
    assert f"http://testserver/admin/pages/{review.pk}/edit/" in told.body
    [(html, _)] = told.alternatives
    assert "Recommendation 2 needs its evidence &amp; a date." in html
    assert not [m for m in mail.outbox if "moderation stage" in m.subject + m.body]
    # The worker runs the same job again, as after a restart: nothing more is sent.
    workflow_state = WorkflowState.objects.for_instance(review).order_by("-pk").first()
    mail.outbox.clear()
    assert send_workflow_finished(workflow_state.pk, "rejected", staff["panel"].pk) is False
    assert mail.outbox == []


def test_a_drafter_who_turned_rejection_emails_off_is_not_told(
    review, staff, client, django_capture_on_commit_callbacks
):
    from django.core import mail
    from wagtail.users.models import UserProfile

    from tests.conftest import make_user

    drafter = make_user("ruth", group=roles.PANEL, first_name="Ruth")
    profile = UserProfile.get_for_user(drafter)
    profile.rejected_notifications = False
    profile.save()
    review = submit(review, drafter)
    state = review.current_workflow_task_state
    client.login(username="panel", password=PASSWORD)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[review.pk, "reject", state.pk]),
            {"comment": "Not yet."},
        )
    assert [m for m in mail.outbox if drafter.email in m.to] == []


def test_a_manager_compares_two_revisions_of_the_report_from_its_history(review, staff, client):
    first = review.get_latest_revision()
    client.login(username="panel", password=PASSWORD)
    data = edit_post(review)
    data["recommendations-1-recommendation"] = "Text every resident when a repair is delayed."
    assert (
        client.post(reverse("wagtailadmin_pages:edit", args=[review.pk]), data).status_code == 302
    )
    second = ScrutinyReviewPage.objects.get(pk=review.pk).get_latest_revision()
    data["recommendations-2-recommendation"] = "Publish repair times by estate each month."
    assert (
        client.post(reverse("wagtailadmin_pages:edit", args=[review.pk]), data).status_code == 302
    )
    third = ScrutinyReviewPage.objects.get(pk=review.pk).get_latest_revision()

    client.login(username="manager", password=PASSWORD)
    history_page = client.get(reverse("scrutiny_history:record", args=["page", review.pk]))
    assert history_page.status_code == 200
    assert "Compare with the previous revision" in history_page.content.decode()
    # Wagtail's own compare view is not the manager's: they hold no page permission.
    wagtails = reverse("wagtailadmin_pages:revisions_compare", args=[review.pk, first.pk, third.pk])
    assert client.get(wagtails).status_code == 302

    step = reverse("scrutiny_history:compare_page_revisions", args=[review.pk, second.pk, third.pk])
    assert f'href="{step}"' in history_page.content.decode()
    # Any two revisions, not only one and the next.
    url = reverse("scrutiny_history:compare_page_revisions", args=[review.pk, first.pk, third.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<span class="deletion">Tell residents</span>' in page
    assert '<span class="addition">Text every resident</span> when a repair is delayed' in page
    assert '<span class="deletion">quarter' in page
    assert '<span class="addition">month' in page
    assert ", by panel" in page
    saved = timezone.localtime(third.created_at).strftime("%-d %B %Y at %H:%M")
    assert saved in page


@pytest.mark.parametrize("username", ["panel", "comms", "appeal"])
def test_those_who_do_not_read_the_history_cannot_compare_through_it(
    review, staff, client, username
):
    first = review.get_latest_revision()
    review.save_revision(user=staff["officer"])
    second = ScrutinyReviewPage.objects.get(pk=review.pk).get_latest_revision()
    client.login(username=username, password=PASSWORD)
    url = reverse("scrutiny_history:compare_page_revisions", args=[review.pk, first.pk, second.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert "Tell residents" not in client.get(url, follow=True).content.decode()
