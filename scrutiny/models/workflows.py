"""The Wagtail task through which the panel takes its decision on a call."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask

from .calls import CallForScrutiny
from .config import ScrutinySettings
from .decisions import DecisionOutcome, NotAcceptedReason
from .handlers import ask
from .meetings import PanelMeeting


def meeting_label(meeting: PanelMeeting) -> str:
    """A meeting as the decision form lists it: its name, day and time."""
    when = timezone.localtime(meeting.starts_at)
    return gettext("%(meeting)s, %(day)s at %(time)s") % {
        "meeting": meeting.title or meeting.get_kind_display(),
        "day": date_format(when, "l j F Y"),
        "time": date_format(when, "H:i"),
    }


class DecisionForm(forms.Form):
    """What the panel records with every decision; cleaned values stay JSON-serialisable.

    The meetings offered are those at which the panel can have decided this call: formal
    meetings that have taken place since it reached the panel. The most recent of them at which
    the call was on the agenda is chosen to begin with.
    """

    meeting = forms.ChoiceField(label=_("Meeting at which the panel decided"))
    reasons = forms.CharField(
        label=_("Reasons the resident will read"),
        help_text=_(
            "Sent to the resident word for word, in the decision email and on their tracking "
            "page. Write to them in plain English."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the panel's reasons.")},
    )

    def __init__(self, *args, call: CallForScrutiny | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        field.error_messages["required"] = gettext("Choose the meeting.")
        field.error_messages["invalid_choice"] = gettext(
            "Choose one of the meetings listed: the panel decides at a formal meeting that "
            "has taken place since the call reached it."
        )
        since = call.awaiting_panel_since if call is not None else None
        meetings = list(PanelMeeting.objects.held_since(since)[:12]) if call is not None else []
        field.choices = [("", gettext("Choose the meeting"))] + [
            (str(meeting.pk), meeting_label(meeting)) for meeting in meetings
        ]
        if call is not None and not meetings and since:
            field.help_text = gettext(
                "No formal meeting has taken place since this call reached the panel on "
                "%(date)s: record the decision after the meeting at which the panel takes it."
            ) % {"date": date_format(timezone.localtime(since), "j F Y")}
        elif call is not None and not meetings:
            field.help_text = gettext(
                "No formal meeting has taken place since this call reached the panel: record "
                "the decision after the meeting at which the panel takes it."
            )
        elif call is not None and not self.is_bound:
            agenda = {call.agenda_meeting_id} | set(
                call.history.exclude(agenda_meeting_id=None).values_list(
                    "agenda_meeting_id", flat=True
                )
            )
            chosen = next((meeting for meeting in meetings if meeting.pk in agenda), None)
            if chosen is not None:
                self.initial.setdefault("meeting", str(chosen.pk))


class NotAcceptedForm(DecisionForm):
    reason = forms.ChoiceField(
        label=_("Category for reporting"),
        help_text=_(
            "A coded reason, kept with the decision so that officers can count why calls are "
            "not accepted. The resident is not shown it: they read your reasons."
        ),
        error_messages={"required": _("Choose a category.")},
    )
    avenues = forms.CharField(
        label=_("What the resident can do first"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say which avenues remain open to the resident.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", gettext("Choose a category"))] + [
            (reason.code, reason.label) for reason in NotAcceptedReason.objects.filter(active=True)
        ]


class MonitoringForm(DecisionForm):
    watching = forms.CharField(
        label=_("What the panel will watch"),
        help_text=_(
            "For example the measures or complaints it will look at. Told to the resident."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what the panel will watch.")},
    )
    review_on = forms.DateField(
        label=_("Review date"),
        help_text=_("When the panel looks again; officers are reminded on the day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Give the review date."),
            "invalid": _("Give the review date as a date, such as 3 March 2027."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = ScrutinySettings.load().monitoring_review_days
        self.initial.setdefault("review_on", timezone.localdate() + timezone.timedelta(days))

    def clean_review_on(self):
        review_on = self.cleaned_data["review_on"]
        if review_on <= timezone.localdate():
            raise forms.ValidationError(gettext("The review date must be after today."))
        return review_on.isoformat()


class SeriousFailureForm(DecisionForm):
    immediate_recommendations = forms.CharField(
        label=_("Immediate recommendations"),
        help_text=_("Sent at once to the head of operations for the service."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the panel's immediate recommendations.")},
    )


DECISION_FORMS = {
    DecisionOutcome.NOT_ACCEPTED: NotAcceptedForm,
    DecisionOutcome.MONITORING: MonitoringForm,
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

    def get_template_for_action(self, action):
        """Wagtail's action dialog, headed with the call it decides on."""
        return "scrutiny/admin/decision_action_modal.html"

    def on_action(self, task_state, user, action_name, **kwargs):
        """Record the decision through the pipeline, which also completes this task
        (scrutiny.pipeline.decisions.call_decide)."""
        call = CallForScrutiny.objects.get(pk=task_state.workflow_state.object_id)
        ask("call_decide", call=call, outcome=action_name, user=user, **kwargs)
        return reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[call.pk])

    def locked_for_user(self, obj, user):
        """Nobody edits a call while the panel considers it."""
        return True

    def user_can_access_editor(self, obj, user):
        return False

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups take the panel's decision: not accepted yet, "
            "refer for monitoring, accept, or serious failure."
        )

    class Meta:
        verbose_name = _("Panel decision task")
        verbose_name_plural = _("Panel decision tasks")
