"""The panel's year beyond residents' calls: topics the oversight body refers to the panel, and
the panel's yearly review of its own effectiveness."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..financial_years import financial_year_label
from .config import BusinessArea
from .meetings import PanelMeeting
from .programme import ScrutinyReviewPage


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", "Referred, waiting for the programme"
    SCHEDULED = "scheduled", "Scheduled into a review"
    REPORTED = "reported", "Reported on"
    WITHDRAWN = "withdrawn", "Withdrawn by the body"


class ReferredTopic(models.Model):
    """A topic the oversight body (the CAC, EMT and Board, ...) asks the panel to review.

    An officer records it on the body's behalf, with the meeting that referred it and what
    prompted it. It is scored with the matrix like an accepted call, without the call's bonus,
    and ranked beside calls; scheduled, it joins a review of its area.
    """

    title = models.CharField(max_length=200, help_text="The topic, as the body put it.")
    business_area = models.ForeignKey(
        BusinessArea, on_delete=models.PROTECT, related_name="referrals"
    )
    evidence = models.TextField(
        help_text=(
            "What prompted it: the satisfaction measures, complaints or other influences on the "
            "service the body looked at."
        )
    )
    referred_by = models.CharField(
        max_length=200,
        editable=False,
        help_text="The body that referred it, as named in Scrutiny settings at the time.",
    )
    body_meeting = models.CharField(
        "meeting",
        max_length=200,
        help_text="The body's meeting that referred it, e.g. 'Quarterly meeting'.",
    )
    referred_on = models.DateField("date of the meeting")
    status = models.CharField(
        max_length=20,
        choices=ReferralStatus.choices,
        default=ReferralStatus.REFERRED,
        editable=False,
        db_index=True,
    )
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    review = models.ForeignKey(
        ScrutinyReviewPage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        editable=False,
    )
    withdrawn_reason = models.TextField(blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_on", "title"]
        verbose_name = "referred topic"

    def __str__(self) -> str:
        return self.title

    @property
    def source(self) -> str:
        """Where the topic came from, as the ranking, the programme and the report say it."""
        return f"Referred by {self.referred_by}, {self.body_meeting}, {self.referred_on:%-d %B %Y}"


class EffectivenessStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed by the panel"
    ACKNOWLEDGED = "acknowledged", "Acknowledged by the oversight body"


class EffectivenessReview(models.Model):
    """The panel's yearly review of the progress and effectiveness of its scrutiny.

    Prepared from the year's outcome figures and each review's action plan progress (a snapshot
    taken when it is prepared, refreshed while it is a draft); the panel writes what worked, what
    did not and what changes next year, agrees it at a formal meeting that has taken place, and
    the oversight body's acknowledgement is recorded. Agreed, it is published with the year's
    outcomes report.
    """

    financial_year = models.PositiveSmallIntegerField(
        unique=True, help_text="The calendar year in which it starts: 2025 for 2025/26."
    )
    figures = models.JSONField(default=dict, editable=False)
    figures_taken_at = models.DateTimeField(null=True, editable=False)
    what_worked = models.TextField(blank=True)
    what_did_not = models.TextField("what did not work", blank=True)
    changes_next_year = models.TextField("what changes next year", blank=True)
    status = models.CharField(
        max_length=20,
        choices=EffectivenessStatus.choices,
        default=EffectivenessStatus.DRAFT,
        editable=False,
    )
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    meeting = models.ForeignKey(
        PanelMeeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="effectiveness_reviews",
        editable=False,
    )
    acknowledged_on = models.DateField(null=True, blank=True, editable=False)
    acknowledgement = models.TextField(
        blank=True, editable=False, help_text="What the oversight body said, if anything."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-financial_year"]
        verbose_name = "effectiveness review"
        permissions = [
            ("agree_effectivenessreview", "Can agree the panel's effectiveness review"),
            (
                "acknowledge_effectivenessreview",
                "Can record the oversight body's acknowledgement of an effectiveness review",
            ),
        ]

    def __str__(self) -> str:
        return f"Effectiveness review {self.financial_year_label}"

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def published(self) -> bool:
        """Agreed by the panel, so part of the year's public outcomes report."""
        return self.status != EffectivenessStatus.DRAFT
