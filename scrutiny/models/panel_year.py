"""The panel's year beyond residents' calls: topics the oversight body refers to the panel, and
the panel's yearly review of its own effectiveness."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..financial_years import financial_year_label
from .config import BusinessArea
from .meetings import PanelMeeting
from .programme import ScrutinyReviewPage


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred, waiting for the programme")
    SCHEDULED = "scheduled", _("Scheduled into a review")
    REPORTED = "reported", _("Reported on")
    WITHDRAWN = "withdrawn", _("Withdrawn by the body")


class ReferredTopic(models.Model):
    """A topic the oversight body (the CAC, EMT and Board, ...) asks the panel to review.

    An officer records it on the body's behalf, with the meeting that referred it and what
    prompted it. It is scored with the matrix like an accepted call, without the call's bonus,
    and ranked beside calls; scheduled, it joins a review of its area.
    """

    title = models.CharField(
        max_length=200, help_text=_("The topic, as the body put it."), verbose_name=_("title")
    )
    business_area = models.ForeignKey(
        BusinessArea,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("business area"),
    )
    evidence = models.TextField(
        help_text=_(
            "What prompted it: the satisfaction measures, complaints or other influences on the "
            "service the body looked at."
        ),
        verbose_name=_("evidence"),
    )
    referred_by = models.CharField(
        max_length=200,
        editable=False,
        help_text=_("The body that referred it, as named in Scrutiny settings at the time."),
        verbose_name=_("referred by"),
    )
    body_meeting = models.CharField(
        pgettext_lazy("the referring body's meeting", "meeting"),
        max_length=200,
        help_text=_("The body's meeting that referred it, e.g. 'Quarterly meeting'."),
    )
    referred_on = models.DateField(_("date of the meeting"))
    status = models.CharField(
        max_length=20,
        choices=ReferralStatus.choices,
        default=ReferralStatus.REFERRED,
        editable=False,
        db_index=True,
        verbose_name=_("status"),
    )
    status_changed_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("status changed at")
    )
    review = models.ForeignKey(
        ScrutinyReviewPage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        editable=False,
        verbose_name=_("review"),
    )
    withdrawn_reason = models.TextField(
        blank=True, editable=False, verbose_name=_("withdrawn reason")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("recorded at")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("referred topics")
        ordering = ["-referred_on", "title"]
        verbose_name = _("referred topic")

    def __str__(self) -> str:
        return self.title

    @property
    def source(self) -> str:
        """Where the topic came from, as the ranking, the programme and the report say it."""
        return gettext("Referred by %(body)s, %(meeting)s, %(date)s") % {
            "body": self.referred_by,
            "meeting": self.body_meeting,
            "date": date_format(self.referred_on, "j F Y"),
        }


class EffectivenessStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("effectiveness review status", "Draft")
    AGREED = "agreed", pgettext_lazy("effectiveness review status", "Agreed by the panel")
    ACKNOWLEDGED = (
        "acknowledged",
        pgettext_lazy("effectiveness review status", "Acknowledged by the oversight body"),
    )


class EffectivenessReview(models.Model):
    """The panel's yearly review of the progress and effectiveness of its scrutiny.

    Prepared from the year's outcome figures and each review's action plan progress (a snapshot
    taken when it is prepared, refreshed while it is a draft); the panel writes what worked, what
    did not and what changes next year, agrees it at a formal meeting that has taken place, and
    the oversight body's acknowledgement is recorded. Agreed, it is published with the year's
    outcomes report.
    """

    financial_year = models.PositiveSmallIntegerField(
        unique=True,
        help_text=_("The calendar year in which it starts: 2025 for 2025/26."),
        verbose_name=_("financial year"),
    )
    figures = models.JSONField(default=dict, editable=False, verbose_name=_("figures"))
    figures_taken_at = models.DateTimeField(
        null=True, editable=False, verbose_name=_("figures taken at")
    )
    what_worked = models.TextField(blank=True, verbose_name=_("what worked"))
    what_did_not = models.TextField(_("what did not work"), blank=True)
    changes_next_year = models.TextField(_("what changes next year"), blank=True)
    status = models.CharField(
        max_length=20,
        choices=EffectivenessStatus.choices,
        default=EffectivenessStatus.DRAFT,
        editable=False,
        verbose_name=_("status"),
    )
    status_changed_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("status changed at")
    )
    meeting = models.ForeignKey(
        PanelMeeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="effectiveness_reviews",
        editable=False,
        verbose_name=_("meeting"),
    )
    acknowledged_on = models.DateField(
        null=True, blank=True, editable=False, verbose_name=_("acknowledged on")
    )
    acknowledgement = models.TextField(
        blank=True,
        editable=False,
        help_text=_("What the oversight body said, if anything."),
        verbose_name=_("acknowledgement"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("effectiveness reviews")
        ordering = ["-financial_year"]
        verbose_name = _("effectiveness review")
        permissions = [
            ("agree_effectivenessreview", "Can agree the panel's effectiveness review"),
            (
                "acknowledge_effectivenessreview",
                "Can record the oversight body's acknowledgement of an effectiveness review",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Effectiveness review %(year)s") % {"year": self.financial_year_label}

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def published(self) -> bool:
        """Agreed by the panel, so part of the year's public outcomes report."""
        return self.status != EffectivenessStatus.DRAFT
