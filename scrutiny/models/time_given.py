"""Members' time beyond meetings: training sessions with their places, and time logged on
scrutiny work (interviews, reading evidence, site visits), counted towards the yearly days."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .membership import PanelMember


class TrainingSession(models.Model):
    """A course or session offered to members: what, when, by whom, how long and its cost."""

    title = models.CharField(max_length=200)
    held_on = models.DateField("date")
    provider = models.CharField(max_length=200, help_text="Who runs it, e.g. 'TPAS'.")
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("40"))],
        help_text="How long it lasts; attended hours count towards a member's days.",
    )
    cost = models.DecimalField(
        "cost (£)",
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
        help_text="What the organisation pays for it, for the yearly outcomes.",
    )
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "title"]
        verbose_name = "training session"

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%-d %B %Y})"


class PlaceStatus(models.TextChoices):
    OFFERED = "offered", "Offered"
    BOOKED = "booked", "Booked"
    ATTENDED = "attended", "Attended"
    MISSED = "missed", "Did not attend"
    DECLINED = "declined", "Declined or cancelled"


class TrainingPlace(models.Model):
    """One member's place on a session: offered by an officer, booked, then attended or not."""

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="places")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="training")
    status = models.CharField(
        max_length=12, choices=PlaceStatus.choices, default=PlaceStatus.OFFERED, db_index=True
    )
    status_changed_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-session__held_on", "member__user__last_name"]
        verbose_name = "training place"
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_place_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} on {self.session}"


class Activity(models.TextChoices):
    INTERVIEWS = "interviews", "Customer or staff interviews"
    EVIDENCE = "evidence", "Reading evidence or performance information"
    SITE_VISIT = "site_visit", "Site visit or mystery shopping"
    TRAINING = "training", "Training not booked here (reading, e-learning)"
    OTHER = "other", "Other scrutiny work"


class TimeStatus(models.TextChoices):
    LOGGED = "logged", "Counted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class TimeEntry(models.Model):
    """Time a member gave to scrutiny work outside meetings, for a review or the panel."""

    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="time_entries")
    activity = models.CharField(max_length=20, choices=Activity.choices)
    worked_on = models.DateField("date")
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("12"))],
    )
    review = models.ForeignKey(
        "scrutiny.ScrutinyReviewPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Leave empty for work for the panel as a whole.",
    )
    note = models.CharField("what you did", max_length=255, blank=True)
    status = models.CharField(
        max_length=12, choices=TimeStatus.choices, default=TimeStatus.LOGGED, db_index=True
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-worked_on", "-pk"]
        verbose_name = "time given"
        verbose_name_plural = "time given"

    def __str__(self) -> str:
        return f"{self.hours} hours on {self.worked_on:%-d %B %Y}: {self.get_activity_display()}"
