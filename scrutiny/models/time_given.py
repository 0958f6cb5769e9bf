"""Members' time beyond meetings: training sessions with their places, and time logged on
scrutiny work (interviews, reading evidence, site visits), counted towards the yearly days."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .membership import PanelMember


class TrainingSession(models.Model):
    """A course or session offered to members: what, when, by whom, how long and its cost."""

    title = models.CharField(max_length=200, verbose_name=_("title"))
    held_on = models.DateField(_("date"))
    provider = models.CharField(
        max_length=200, help_text=_("Who runs it, e.g. 'TPAS'."), verbose_name=_("provider")
    )
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("40"))],
        help_text=_("How long it lasts; attended hours count towards a member's days."),
        verbose_name=_("hours"),
    )
    cost = models.DecimalField(
        _("cost (£)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
        help_text=_("What the organisation pays for it, for the yearly outcomes."),
    )
    description = models.TextField(blank=True, verbose_name=_("description"))

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "title"]
        verbose_name = _("training session")

    def __str__(self) -> str:
        return f"{self.title} ({date_format(self.held_on, 'j F Y')})"


class PlaceStatus(models.TextChoices):
    OFFERED = "offered", pgettext_lazy("training place", "Offered")
    BOOKED = "booked", pgettext_lazy("training place", "Booked")
    ATTENDED = "attended", pgettext_lazy("training place", "Attended")
    MISSED = "missed", pgettext_lazy("training place", "Did not attend")
    DECLINED = "declined", pgettext_lazy("training place", "Declined or cancelled")


class TrainingPlace(models.Model):
    """One member's place on a session: offered by an officer, booked, then attended or not."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="places", verbose_name=_("session")
    )
    member = models.ForeignKey(
        PanelMember, on_delete=models.PROTECT, related_name="training", verbose_name=_("member")
    )
    status = models.CharField(
        max_length=12,
        choices=PlaceStatus.choices,
        default=PlaceStatus.OFFERED,
        db_index=True,
        verbose_name=_("status"),
    )
    status_changed_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("status changed at")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("training places")
        ordering = ["-session__held_on", "member__user__last_name"]
        verbose_name = _("training place")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_place_per_member")
        ]

    def __str__(self) -> str:
        return gettext("%(member)s on %(session)s") % {
            "member": self.member,
            "session": self.session,
        }


class Activity(models.TextChoices):
    INTERVIEWS = "interviews", _("Customer or staff interviews")
    EVIDENCE = "evidence", _("Reading evidence or performance information")
    SITE_VISIT = "site_visit", _("Site visit or mystery shopping")
    TRAINING = "training", _("Training not booked here (reading, e-learning)")
    OTHER = "other", _("Other scrutiny work")


class TimeStatus(models.TextChoices):
    LOGGED = "logged", pgettext_lazy("time given status", "Counted")
    WITHDRAWN = "withdrawn", pgettext_lazy("time given status", "Withdrawn")


class TimeEntry(models.Model):
    """Time a member gave to scrutiny work outside meetings, for a review or the panel."""

    member = models.ForeignKey(
        PanelMember, on_delete=models.PROTECT, related_name="time_entries", verbose_name=_("member")
    )
    activity = models.CharField(max_length=20, choices=Activity.choices, verbose_name=_("activity"))
    worked_on = models.DateField(_("date"))
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("12"))],
        verbose_name=_("hours"),
    )
    review = models.ForeignKey(
        "scrutiny.ScrutinyReviewPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for work for the panel as a whole."),
        verbose_name=_("review"),
    )
    note = models.CharField(_("what you did"), max_length=255, blank=True)
    status = models.CharField(
        max_length=12,
        choices=TimeStatus.choices,
        default=TimeStatus.LOGGED,
        db_index=True,
        verbose_name=_("status"),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logged by"),
    )
    logged_at = models.DateTimeField(default=timezone.now, verbose_name=_("logged at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-worked_on", "-pk"]
        verbose_name = _("time given")
        verbose_name_plural = _("time given")

    def __str__(self) -> str:
        return gettext("%(hours)s hours on %(date)s: %(activity)s") % {
            "hours": self.hours,
            "date": date_format(self.worked_on, "j F Y"),
            "activity": self.get_activity_display(),
        }
