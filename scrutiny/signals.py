"""Wagtail's workflow and publishing signals, passed to the pipeline for review pages only.

Wagtail's own moderation views move a report through its workflow; these receivers are the
one place where the review's status follows, and each does nothing but call the pipeline.
"""

from django.dispatch import receiver
from wagtail.models import Page, WorkflowState
from wagtail.signals import (
    page_published,
    workflow_cancelled,
    workflow_rejected,
    workflow_submitted,
)

from .history import acting_as
from .models import ScrutinyReviewPage


def _review_of(state: WorkflowState) -> ScrutinyReviewPage | None:
    content = state.content_object
    if isinstance(content, Page):
        content = content.specific
    return content if isinstance(content, ScrutinyReviewPage) else None


@receiver(workflow_submitted)
def report_submitted(sender, instance, user=None, **kwargs):
    """A review's report went into the approval workflow."""
    from . import pipeline

    if (review := _review_of(instance)) is not None:
        pipeline.review_report_submitted(review=review, user=user)


@receiver(workflow_rejected)
@receiver(workflow_cancelled)
def report_returned(sender, instance, user=None, **kwargs):
    """A review's report came back for changes or left the workflow."""
    from . import pipeline

    if (review := _review_of(instance)) is not None:
        pipeline.review_report_returned(review=review, user=user)


@receiver(page_published, sender=ScrutinyReviewPage)
def report_published(sender, instance, revision=None, **kwargs):
    """A signed-off report went live: recorded against whoever gave the last approval."""
    from . import pipeline

    state = (
        WorkflowState.objects.for_instance(instance)
        .filter(status=WorkflowState.STATUS_APPROVED)
        .select_related("current_task_state__finished_by")
        .order_by("-created_at", "-pk")
        .first()
    )
    user = state.current_task_state.finished_by if state and state.current_task_state else None
    with acting_as(user):
        pipeline.review_report_published(review=instance, user=user)
