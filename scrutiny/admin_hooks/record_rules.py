"""Hooks that keep the record true in Wagtail's own screens: nothing on the record is deleted,
a report is published only when signed off, the matrix re-scores when it changes, and the
review pages get their steps and buttons."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail_modeladmin.options import modeladmin_register

from .. import permissions, selectors
from ..admin_views import outbox as outbox_views
from ..admin_views import outcomes as outcome_views
from ..models import (
    Measure,
    OutcomesReportPage,
    ScoringCriterion,
    ScrutinyReviewPage,
    ScrutinySettings,
)
from ..models.programme import report_signed_off, report_workflow
from ..pipeline import rules


@hooks.register("construct_page_chooser_queryset")
def choose_only_pages_one_may_see(pages, request):
    """Page choosers offer live pages, and drafts only to those who may explore them."""
    return permissions.pages_to_choose(request.user, pages)


def _rescore_after(request, instance, change: str) -> None:
    from .. import pipeline

    pipeline.matrix_rescore(instance=instance, user=request.user, change=change)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def rescore_after_matrix_or_measure_saved(request, instance):
    """A changed criterion or measure re-scores everything not yet scheduled."""
    if isinstance(instance, ScoringCriterion):
        _rescore_after(request, instance, f"criterion '{instance.name}' saved")
    elif isinstance(instance, Measure):
        _rescore_after(request, instance, f"measure '{instance}' saved")


@hooks.register("after_delete_snippet")
def rescore_after_matrix_or_measure_deleted(request, instances):
    """A deleted criterion or measure re-scores everything not yet scheduled."""
    if any(isinstance(instance, ScoringCriterion | Measure) for instance in instances):
        _rescore_after(request, None, "criterion or measure deleted")


@hooks.register("after_edit_setting")
def rescore_after_settings_saved(request, instance):
    """The community call bonus is part of the matrix: re-score when the settings change."""
    if isinstance(instance, ScrutinySettings):
        _rescore_after(request, instance, "settings saved")


@hooks.register("after_edit_setting")
def rename_oversight_task(request, instance):
    """The report workflow's last task carries the oversight body's name from the settings."""
    if isinstance(instance, ScrutinySettings):
        from ..roles import name_oversight_task

        name_oversight_task(instance.oversight_body)


@hooks.register("register_page_header_buttons")
def outcomes_figures_button(page, user, view_name, next_url=None):
    """From an outcomes report page, a way to the figures and to take them again."""
    if isinstance(page.specific_deferred, OutcomesReportPage) and permissions.may_view_outcomes(
        user
    ):
        yield Button(
            _("Outcome figures"),
            outcome_views.outcomes_url(page.specific_deferred.financial_year),
            icon_name="doc-full",
            priority=75,
        )


@hooks.register("before_publish_page")
def refuse_unsigned_report(request, page):
    """A review's report is published only by its approval workflow, never by a button.

    The editor's Publish button is hidden (ReviewPagePermissionTester); this refuses a
    publish that arrives anyway, from the edit or create view, after its revision is saved.
    """
    if isinstance(page.specific, ScrutinyReviewPage) and not report_signed_off(page):
        _say_report_not_published(request, page)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_delete_page")
def refuse_deleting_the_record(request, page):
    """Nobody deletes a page of the record, or a page above one: say what depends on it.

    Only superusers are offered Delete on such a page (RecordPagePermissionTester); a page
    that a protected record points at is refused too, so a delete never ends in an error.
    """
    refusal = selectors.page_deletion_refusal(page)
    if refusal is None:
        return None
    messages.error(request, refusal)
    editor = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return redirect(get_valid_next_url_from_request(request) or editor)


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_the_record(request, action_type, objects, action_class_instance):
    """A bulk delete refuses, in the words of a single delete, when one of them is on the record."""
    if action_type != "delete":
        return None
    if issubclass(action_class_instance.model, Page):
        refusals = [selectors.page_deletion_refusal(page) for page in objects]
    else:
        refusals = [selectors.deletion_refusal(instance) for instance in objects]
    if not any(refusals):
        return None
    for refusal in filter(None, refusals):
        messages.error(request, refusal)
    return redirect(action_class_instance.next_url)


@hooks.register("before_delete_snippet")
def refuse_deleting_what_the_record_needs(request, instances):
    """A record that others on the record point at is not deleted: name them, never fail."""
    refusals = [selectors.deletion_refusal(instance) for instance in instances]
    if not any(refusals):
        return None
    for refusal in filter(None, refusals):
        messages.error(request, refusal)
    viewset = instances[0].snippet_viewset
    return redirect(
        get_valid_next_url_from_request(request) or reverse(viewset.get_url_name("list"))
    )


@hooks.register("before_delete_user")
def refuse_deleting_a_person_on_the_record(request, user):
    """An account the record names (a panel member) is made inactive, never deleted."""
    refusal = selectors.deletion_refusal(user)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect(get_valid_next_url_from_request(request) or reverse("wagtailusers_users:index"))


@hooks.register("after_edit_page")
def explain_unpublished_report(request, page):
    """A Publish that reaches a review's editor without sign-off is saved as a draft: say so.

    Wagtail saves the draft quietly ("Page updated") when the user may not publish, which is
    everyone for a report not yet signed off; the editor must not think it went live.
    """
    if request.method != "POST" or not request.POST.get("action-publish"):
        return None
    if not isinstance(page.specific, ScrutinyReviewPage):
        return None
    revisions = Page.objects.filter(pk=page.pk).values("latest_revision", "live_revision").first()
    latest = page.revisions.filter(pk=revisions["latest_revision"]).first() if revisions else None
    if latest is None or latest.pk == revisions["live_revision"] or latest.approved_go_live_at:
        return None  # published now, or scheduled by the workflow's approval
    _say_report_not_published(request, page)
    return None


@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def explain_unsubmitted_report(request, page):
    """A report sent for sign-off before every step is finished is saved as a draft: say why."""
    if request.method != "POST" or not request.POST.get("action-submit"):
        return None
    specific = page.specific
    if not isinstance(specific, ScrutinyReviewPage) or specific.workflow_in_progress:
        return None
    reason = rules.steps_finished(specific)
    if reason:
        messages.error(
            request,
            _("“%(title)s” was saved as a draft, not sent. %(reason)s")
            % {"title": page.title, "reason": reason},
        )
    return None


@hooks.register("after_edit_page")
def back_to_the_review(request, page):
    """A drafter who sends a report on, or acts on its task, returns to "Run the review".

    Wagtail sends the editor back to the page explorer, which officers and panel members may
    not open: they would land on "Sorry, you do not have permission".
    """
    if request.method != "POST" or not isinstance(page.specific, ScrutinyReviewPage):
        return None
    sent_on = (
        request.POST.get("action-submit") or request.POST.get("action-restart-workflow")
    ) and page.specific.workflow_in_progress
    if not (sent_on or request.POST.get("action-workflow-action")):
        return None
    if get_valid_next_url_from_request(request) or permissions.may_explore(
        request.user, page.get_parent()
    ):
        return None
    if not permissions.may_view_reviews(request.user):
        return redirect("wagtailadmin_home")
    return redirect("scrutiny_reviews:run", page.pk)


def _say_report_not_published(request, page) -> None:
    if report_workflow() is None:
        said = _(
            "“%(title)s” was saved as a draft, not published: no report approval workflow is set "
            "in Scrutiny settings. Use “Submit to Report approval” to send it for sign-off."
        )
    else:
        said = _(
            "“%(title)s” was saved as a draft, not published: a report is published only when "
            "the panel and the oversight body sign it off. Use “Submit to Report approval” to "
            "send it for sign-off."
        )
    messages.error(request, said % {"title": page.title})


@hooks.register("after_create_page")
def set_up_review_steps(request, page):
    """A review added in the page tree gets its steps, as a scheduled one does."""
    from .. import pipeline

    specific = page.specific
    if isinstance(specific, ScrutinyReviewPage):
        pipeline.review_steps_create(review=specific)


def _run_review_button(page, user, priority: int):
    specific_class = page.specific_class
    if (
        specific_class is not None
        and issubclass(specific_class, ScrutinyReviewPage)
        and permissions.may_view_reviews(user)
    ):
        return Button(
            _("Run the review"),
            url=reverse("scrutiny_reviews:run", args=[page.pk]),
            icon_name="clipboard-list",
            priority=priority,
        )
    return None


@hooks.register("register_page_listing_more_buttons")
def run_review_listing_button(page, user, next_url=None):
    """Offer "Run the review" in a review page's "More" menu in the page listing."""
    button = _run_review_button(page, user, priority=5)
    if button is not None:
        yield button


@hooks.register("register_page_header_buttons")
def run_review_header_button(page, user, view_name=None, next_url=None):
    """Offer "Run the review" in the review page's header menu in the editor."""
    button = _run_review_button(page, user, priority=12)
    if button is not None:
        yield button


modeladmin_register(outbox_views.OutboxAdmin)
modeladmin_register(outbox_views.PrivacyLogAdmin)
