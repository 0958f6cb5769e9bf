"""What the panel watches when it refers a call for monitoring, until when, and how it ended."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .calls import CallForScrutiny
from .decisions import PanelDecision


class MonitoringStatus(models.TextChoices):
    WATCHING = "watching", _("Being monitored")
    IMPROVED = "improved", _("Improved: closed")
    ESCALATED = "escalated", _("Escalated to the panel")
    ENDED_BY_APPEAL = "ended_by_appeal", _("Ended by an appeal")


class Monitoring(models.Model):
    """The panel's watch over a service after a monitoring decision, reviewed on a date.

    When it is due, officers are reminded; the outcome is improved (the call closes), escalated
    (the call returns to the panel for a new decision) or extended to a later date.
    """

    decision = models.OneToOneField(
        PanelDecision,
        on_delete=models.PROTECT,
        related_name="monitoring",
        editable=False,
        verbose_name=_("decision"),
    )
    call = models.ForeignKey(
        CallForScrutiny,
        on_delete=models.PROTECT,
        related_name="monitorings",
        editable=False,
        verbose_name=_("call"),
    )
    watching = models.TextField(_("what the panel will watch"))
    review_on = models.DateField(_("review date"))
    status = models.CharField(
        max_length=20,
        choices=MonitoringStatus.choices,
        default=MonitoringStatus.WATCHING,
        db_index=True,
        verbose_name=_("status"),
    )
    findings = models.TextField(
        _("what the panel found"),
        blank=True,
        help_text=_("Told to the resident with each outcome."),
    )
    concluded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("concluded at"))
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("concluded by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["review_on", "pk"]
        verbose_name = _("monitoring")
        verbose_name_plural = _("monitoring")

    def __str__(self) -> str:
        return gettext("Monitoring of %(reference)s") % {"reference": self.call.reference}

    @property
    def due(self) -> bool:
        return self.status == MonitoringStatus.WATCHING and self.review_on <= timezone.localdate()
