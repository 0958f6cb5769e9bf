"""Wagtail's workflow and publishing signals, passed to the pipeline for review pages only,
and the moderation emails of the product's own workflows.

Wagtail's own moderation views move a report through its workflow; these receivers are the
one place where the review's status follows, and each does nothing but call the pipeline.

Wagtail emails every moderation step itself, in plain text and during the request. For the
panel's decision on a call and the sign-off of a review's report the product sends its own
emails instead (queued, HTML and text, with a link and the meeting date): Wagtail's notifiers
are wrapped so that they leave those two workflows alone and still serve every other one.
"""

from django.dispatch import receiver
from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
    WorkflowStateSubmissionEmailNotifier,
)
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.signals import (
    page_published,
    task_submitted,
    workflow_approved,
    workflow_cancelled,
    workflow_rejected,
    workflow_submitted,
)

from .history import acting_as
from .models import CallForScrutiny, ScrutinyReviewPage
from .notifications import queue_task


def is_scrutiny_workflow(state: TaskState | WorkflowState) -> bool:
    """Whether a workflow (or one of its task states) is the panel's decision on a call or the
    sign-off of a review's report, whose emails the product sends itself."""
    workflow_state = state.workflow_state if isinstance(state, TaskState) else state
    model = workflow_state.content_type.model_class()
    return model is not None and issubclass(model, (CallForScrutiny, ScrutinyReviewPage))


class _OtherWorkflowsOnly:
    """A Wagtail moderation notifier that leaves the scrutiny workflows to the product."""

    def can_handle(self, instance, **kwargs):
        return super().can_handle(instance, **kwargs) and not is_scrutiny_workflow(instance)


# Wagtail's receivers as wagtail.admin.signal_handlers connects them: signal, sender,
# dispatch_uid, notifier.
WAGTAIL_MODERATION_EMAILS = [
    (
        task_submitted,
        TaskState,
        "group_approval_task_submitted_email_notification",
        GroupApprovalTaskStateSubmissionEmailNotifier,
    ),
    (
        workflow_submitted,
        WorkflowState,
        "workflow_state_submitted_email_notification",
        WorkflowStateSubmissionEmailNotifier,
    ),
    (
        workflow_rejected,
        WorkflowState,
        "workflow_state_rejected_email_notification",
        WorkflowStateRejectionEmailNotifier,
    ),
    (
        workflow_approved,
        WorkflowState,
        "workflow_state_approved_email_notification",
        WorkflowStateApprovalEmailNotifier,
    ),
]


def leave_scrutiny_workflows_to_the_product() -> None:
    """Replace Wagtail's moderation email receivers by ones that skip the scrutiny workflows.

    Each is connected under Wagtail's own dispatch_uid: whichever app is ready first, Wagtail's
    receiver is disconnected here, or its later connect is ignored as a duplicate.
    """
    for signal, sender, dispatch_uid, notifier_class in WAGTAIL_MODERATION_EMAILS:
        notifier = type(notifier_class.__name__, (_OtherWorkflowsOnly, notifier_class), {})()
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
        signal.connect(notifier, sender=sender, dispatch_uid=dispatch_uid, weak=False)


@receiver(task_submitted)
def scrutiny_task_submitted(sender, instance, user=None, **kwargs):
    """A call reached the panel's decision task, or a report a sign-off task: tell the task's
    groups by email, once the step is committed."""
    if is_scrutiny_workflow(instance):
        queue_task(
            "scrutiny.tasks.send_workflow_task_submitted",
            instance.pk,
            user.pk if user is not None else None,
        )


@receiver(workflow_approved)
def scrutiny_workflow_approved(sender, instance, user=None, **kwargs):
    """A call was decided on by the panel, or a report signed off: tell whoever submitted it."""
    if is_scrutiny_workflow(instance):
        queue_task(
            "scrutiny.tasks.send_workflow_finished",
            instance.pk,
            "approved",
            user.pk if user is not None else None,
        )


@receiver(workflow_rejected)
def scrutiny_workflow_rejected(sender, instance, user=None, **kwargs):
    """A call or a report was sent back: tell whoever submitted it, with the comment."""
    if is_scrutiny_workflow(instance):
        queue_task(
            "scrutiny.tasks.send_workflow_finished",
            instance.pk,
            "rejected",
            user.pk if user is not None else None,
        )


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
