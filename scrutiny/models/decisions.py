"""The panel's decisions on calls, and the coded reasons for not accepting one yet."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel

from .calls import CallForScrutiny, CallStatus
from .meetings import PanelMeeting


class DecisionOutcome(models.TextChoices):
    NOT_ACCEPTED = "not_accepted", pgettext_lazy("panel decision", "Not accepted yet")
    MONITORING = "monitoring", pgettext_lazy("panel decision", "Refer for monitoring")
    ACCEPTED = "accepted", pgettext_lazy("panel decision", "Accept")
    SERIOUS_FAILURE = "serious_failure", pgettext_lazy("panel decision", "Serious failure")


# Where each decision puts the call.
CALL_STATUS_FOR_OUTCOME = {
    DecisionOutcome.NOT_ACCEPTED: CallStatus.NOT_ACCEPTED,
    DecisionOutcome.MONITORING: CallStatus.MONITORING,
    DecisionOutcome.ACCEPTED: CallStatus.ACCEPTED,
    DecisionOutcome.SERIOUS_FAILURE: CallStatus.SERIOUS_FAILURE,
}


class NotAcceptedReason(models.Model):
    """A coded reason the panel gives when it does not accept a call yet (configuration)."""

    code = models.SlugField(max_length=40, unique=True, verbose_name=_("code"))
    label = models.CharField(max_length=200, verbose_name=_("label"))
    avenues = models.TextField(
        _("what the resident can do first"),
        blank=True,
        help_text=_("Suggested wording for the avenues that remain; the panel can change it."),
    )
    active = models.BooleanField(default=True, verbose_name=_("active"))
    sort_order = models.PositiveSmallIntegerField(default=0, verbose_name=_("sort order"))

    panels = [
        FieldPanel("code"),
        FieldPanel("label"),
        FieldPanel("avenues"),
        FieldPanel("active"),
        FieldPanel("sort_order"),
    ]

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "label"]
        verbose_name = _("reason for not accepting")
        verbose_name_plural = _("reasons for not accepting")

    def __str__(self) -> str:
        return self.label


class PanelDecision(models.Model):
    """What the panel decided on a call, why, where, and until when it may be appealed."""

    call = models.ForeignKey(
        CallForScrutiny, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("call")
    )
    outcome = models.CharField(
        max_length=20, choices=DecisionOutcome.choices, verbose_name=_("outcome")
    )
    reason = models.ForeignKey(
        NotAcceptedReason,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reason"),
    )
    reasons = models.TextField(_("the panel's reasons"))
    avenues = models.TextField(_("avenues that remain"), blank=True)
    immediate_recommendations = models.TextField(
        blank=True, verbose_name=_("immediate recommendations")
    )
    meeting = models.ForeignKey(
        PanelMeeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(default=timezone.now, verbose_name=_("decided at"))
    sent_on = models.DateField(
        help_text=_("The day the decision was sent to the resident."), verbose_name=_("sent on")
    )
    appeal_deadline = models.DateField(
        null=True,
        blank=True,
        help_text=_("The last day an appeal is accepted; none for acceptance."),
        verbose_name=_("appeal deadline"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("panel decision")
        verbose_name_plural = _("panel decisions")
        ordering = ["-decided_at", "-pk"]
        get_latest_by = "decided_at"

    def __str__(self) -> str:
        return gettext("%(outcome)s on %(reference)s") % {
            "outcome": self.get_outcome_display(),
            "reference": self.call.reference,
        }

    @property
    def appealable(self) -> bool:
        return self.outcome != DecisionOutcome.ACCEPTED
