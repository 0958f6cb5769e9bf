"""The Wagtail task through which the panel takes its decision on a call."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask

from .calls import CallForScrutiny
from .decisions import DecisionOutcome, NotAcceptedReason
from .meetings import MeetingKind, MeetingStatus, PanelMeeting


class DecisionForm(forms.Form):
    """What the panel records with every decision; cleaned values stay JSON-serialisable."""

    meeting = forms.ChoiceField(label="Meeting at which the panel decided")
    reasons = forms.CharField(
        label="The panel's reasons",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the panel's reasons."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        recent = (
            PanelMeeting.objects.filter(kind=MeetingKind.FORMAL)
            .exclude(status=MeetingStatus.CANCELLED)
            .filter(starts_at__gte=timezone.now() - timezone.timedelta(days=120))
            .order_by("starts_at")
        )
        self.fields["meeting"].choices = [("", "Choose the meeting")] + [
            (str(meeting.pk), str(meeting)) for meeting in recent
        ]
        self.fields["meeting"].error_messages["required"] = "Choose the meeting."


class NotAcceptedForm(DecisionForm):
    reason = forms.ChoiceField(label="Reason", error_messages={"required": "Choose a reason."})
    avenues = forms.CharField(
        label="What the resident can do first",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say which avenues remain open to the resident."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "Choose a reason")] + [
            (reason.code, reason.label) for reason in NotAcceptedReason.objects.filter(active=True)
        ]


class SeriousFailureForm(DecisionForm):
    immediate_recommendations = forms.CharField(
        label="Immediate recommendations",
        help_text="Sent at once to the head of operations for the service.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write the panel's immediate recommendations."},
    )


DECISION_FORMS = {
    DecisionOutcome.NOT_ACCEPTED: NotAcceptedForm,
    DecisionOutcome.MONITORING: DecisionForm,
    DecisionOutcome.ACCEPTED: DecisionForm,
    DecisionOutcome.SERIOUS_FAILURE: SeriousFailureForm,
}


class PanelDecisionTask(AbstractGroupApprovalTask):
    """The panel's decision as moderation: each decision option is one of the task's actions."""

    def get_actions(self, obj, user):
        if not isinstance(obj, CallForScrutiny):
            return []
        if not (user.is_superuser or self._user_in_groups(user)):
            return []
        return [(outcome.value, outcome.label, True) for outcome in DecisionOutcome]

    def get_form_for_action(self, action):
        return DECISION_FORMS.get(action, DecisionForm)

    def on_action(self, task_state, user, action_name, **kwargs):
        """Record the decision through the pipeline, which also completes this task."""
        from scrutiny import pipeline

        call = CallForScrutiny.objects.get(pk=task_state.workflow_state.object_id)
        pipeline.call_decide(call=call, outcome=action_name, user=user, **kwargs)
        return reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[call.pk])

    def locked_for_user(self, obj, user):
        """Nobody edits a call while the panel considers it."""
        return True

    def user_can_access_editor(self, obj, user):
        return False

    @classmethod
    def get_description(cls):
        return (
            "Members of the chosen groups take the panel's decision: not accepted yet, "
            "refer for monitoring, accept, or serious failure."
        )

    class Meta:
        verbose_name = "Panel decision task"
        verbose_name_plural = "Panel decision tasks"
