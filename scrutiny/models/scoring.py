"""The scoring matrix: measures per business area and period, criteria with bands, and scores.

Band rule: a value falls in a band when lower <= value < upper (lower bound inclusive, upper
bound exclusive); an empty lower or upper bound means no limit on that side. A yes/no measure
(business critical) counts as 1 for yes and 0 for no. A criterion's points are the band's points
times the criterion's weight; a score's total is the sum of its criteria's points plus, for an
accepted Community Call for Scrutiny, the bonus in Scrutiny settings.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, RevisionMixin

from ..financial_years import financial_year_label
from .calls import CallForScrutiny
from .config import BusinessArea


class Period(models.TextChoices):
    """The part of a financial year a measure covers; the full year is preferred when scoring."""

    Q1 = "q1", _("Quarter 1")
    Q2 = "q2", _("Quarter 2")
    Q3 = "q3", _("Quarter 3")
    Q4 = "q4", _("Quarter 4")
    YEAR = "year", _("Full year")


# Later periods rank higher: the full year, then the latest quarter.
PERIOD_RANK = {Period.Q1: 1, Period.Q2: 2, Period.Q3: 3, Period.Q4: 4, Period.YEAR: 5}


class MeasureField(models.TextChoices):
    """The values of a measure a criterion can read."""

    PERFORMANCE = "performance_percent", _("Performance against target (%)")
    SATISFACTION = "satisfaction_percent", _("Customer satisfaction (%)")
    COMPLAINTS = "complaints_count", _("Complaints (count)")
    COMPLAINTS_PER_1000 = "complaints_per_1000_homes", _("Complaints per 1,000 homes")
    BUSINESS_CRITICAL = "business_critical", _("Business critical (yes = 1, no = 0)")


percent_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))]


class Measure(models.Model):
    """A business area's figures for one period of a financial year, entered or imported."""

    business_area = models.ForeignKey(
        BusinessArea,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("business area"),
    )
    financial_year = models.PositiveSmallIntegerField(
        help_text=_("The calendar year in which the financial year starts: 2026 for 2026/27."),
        verbose_name=_("financial year"),
    )
    period = models.CharField(
        max_length=4, choices=Period.choices, default=Period.YEAR, verbose_name=_("period")
    )
    tsm_code = models.CharField(
        _("Tenant Satisfaction Measure code"),
        max_length=10,
        blank=True,
        help_text=_(
            "For figures taken as they are from the regulator's measures, e.g. TP01, CH01."
        ),
    )
    performance_percent = models.DecimalField(
        _("performance against target (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=percent_validators,
        help_text=_("How much of its target the service met: 100 means on target."),
    )
    satisfaction_percent = models.DecimalField(
        _("customer satisfaction (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    complaints_count = models.PositiveIntegerField(_("complaints"), null=True, blank=True)
    complaints_per_1000_homes = models.DecimalField(
        _("complaints per 1,000 homes"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    business_critical = models.BooleanField(default=False, verbose_name=_("business critical"))
    notes = models.TextField(blank=True, verbose_name=_("notes"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("entered by"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    panels = [
        FieldPanel("business_area"),
        FieldRowPanel([FieldPanel("financial_year"), FieldPanel("period")]),
        FieldPanel("tsm_code"),
        FieldPanel("performance_percent"),
        FieldPanel("satisfaction_percent"),
        FieldRowPanel([FieldPanel("complaints_count"), FieldPanel("complaints_per_1000_homes")]),
        FieldPanel("business_critical"),
        FieldPanel("notes"),
    ]

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["-financial_year", "business_area__name", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_area", "financial_year", "period"],
                name="scrutiny_measure_one_per_period",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.business_area}, {financial_year_label(self.financial_year)} "
            f"{self.get_period_display().lower()}"
        )

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    def value_of(self, field: str):
        """The value a criterion reads, with yes/no as 1/0 and blanks as None."""
        value = getattr(self, field)
        if isinstance(value, bool):
            return Decimal(int(value))
        return None if value is None else Decimal(value)


class ScoringCriterion(RevisionMixin, ClusterableModel):
    """One column of the scoring matrix: which measure it reads, its bands and its weight.

    Each save in the admin keeps a Wagtail revision of the criterion with its bands, so the
    history shows how the matrix stood at any time and who changed it.
    """

    name = models.CharField(max_length=120, unique=True, verbose_name=_("name"))
    measure_field = models.CharField(
        _("measure"),
        max_length=40,
        choices=MeasureField.choices,
        help_text=_("The figure it reads."),
    )
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The band's points are multiplied by this."),
        verbose_name=_("weight"),
    )
    explanation = models.TextField(
        blank=True,
        help_text=_("Why this matters, in words a panel member can say to a resident."),
        verbose_name=_("explanation"),
    )
    active = models.BooleanField(default=True, verbose_name=_("active"))
    sort_order = models.PositiveSmallIntegerField(default=0, verbose_name=_("sort order"))

    panels = [
        FieldPanel("name"),
        FieldPanel("measure_field"),
        FieldPanel("weight"),
        FieldPanel("explanation"),
        FieldPanel("active"),
        MultiFieldPanel(
            [InlinePanel("bands", label=_("Band"))],
            heading=_(
                "Bands: from (inclusive) up to (not including); leave a bound empty for none"
            ),
        ),
    ]

    history = HistoricalRecords(excluded_fields=["latest_revision"])

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")

    def __str__(self) -> str:
        return self.name

    def band_for(self, value):
        """The first band the value falls in (lower <= value < upper), or None."""
        if value is None:
            return None
        for band in self.bands.all():
            if band.contains(value):
                return band
        return None


class ChildHistoricalRecords(HistoricalRecords):
    """simple-history for an inline child: its history keeps a plain foreign key to the parent.

    simple-history copies the field's class, and modelcluster refuses a ParentalKey that has
    no reverse name, as history fields have.
    """

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, copied in fields.items():
            if isinstance(copied, ParentalKey):
                copied.swappable = False
                _name, _path, args, kwargs = copied.deconstruct()
                fields[name] = models.ForeignKey(*args, **kwargs)
                fields[name].name = copied.name
        return fields


class ScoringBand(Orderable):
    """A range of a criterion's measure and the points it earns."""

    criterion = ParentalKey(
        ScoringCriterion,
        on_delete=models.CASCADE,
        related_name="bands",
        verbose_name=_("criterion"),
    )
    lower = models.DecimalField(
        _("from (inclusive)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    upper = models.DecimalField(
        _("up to (not including)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    points = models.IntegerField(verbose_name=_("points"))

    panels = [FieldRowPanel([FieldPanel("lower"), FieldPanel("upper"), FieldPanel("points")])]

    history = ChildHistoricalRecords()

    class Meta(Orderable.Meta):
        verbose_name_plural = _("bands")
        verbose_name = _("band")

    def __str__(self) -> str:
        return ngettext(
            "%(band)s: %(points)d point", "%(band)s: %(points)d points", self.points
        ) % {"band": self.describe(), "points": self.points}

    def clean(self) -> None:
        super().clean()
        if self.lower is not None and self.upper is not None and self.lower >= self.upper:
            raise ValidationError(
                {"upper": gettext("The upper bound must be above the lower bound.")}
            )

    def contains(self, value) -> bool:
        """Whether lower <= value < upper, an empty bound being no limit."""
        value = Decimal(value)
        if self.lower is not None and value < self.lower:
            return False
        return not (self.upper is not None and value >= self.upper)

    def describe(self) -> str:
        """The band in words, e.g. "from 70 up to 80"."""
        if self.lower is None and self.upper is None:
            return gettext("any value")
        if self.lower is None:
            return gettext("below %(upper)s") % {"upper": f"{self.upper.normalize():f}"}
        if self.upper is None:
            return gettext("%(lower)s or more") % {"lower": f"{self.lower.normalize():f}"}
        return gettext("from %(lower)s up to %(upper)s") % {
            "lower": f"{self.lower.normalize():f}",
            "upper": f"{self.upper.normalize():f}",
        }


class Score(models.Model):
    """A score for a financial year, with its breakdown: of a business area, an accepted call or
    a referred topic.

    Unscheduled scores are recalculated when the matrix or the measures change; a scheduled
    score keeps the breakdown it was chosen on.
    """

    financial_year = models.PositiveSmallIntegerField(
        db_index=True, verbose_name=_("financial year")
    )
    business_area = models.ForeignKey(
        BusinessArea,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("business area"),
    )
    call = models.ForeignKey(
        CallForScrutiny,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("call"),
    )
    referral = models.ForeignKey(
        "scrutiny.ReferredTopic",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("referral"),
    )
    total = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("0"), verbose_name=_("total")
    )
    breakdown = models.JSONField(default=dict, verbose_name=_("breakdown"))
    scored_at = models.DateTimeField(default=timezone.now, verbose_name=_("scored at"))
    scheduled = models.BooleanField(default=False, db_index=True, verbose_name=_("scheduled"))
    scheduled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("scheduled at"))
    review = models.ForeignKey(
        "scrutiny.ScrutinyReviewPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("review"),
    )

    history = HistoricalRecords(excluded_fields=["breakdown"])

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["-total", "business_area__name"]
        permissions = [
            ("schedule_review", "Can score business areas and schedule reviews"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "business_area"],
                condition=Q(call__isnull=True, referral__isnull=True),
                name="scrutiny_score_one_per_area_year",
            ),
            models.UniqueConstraint(
                fields=["financial_year", "call"],
                condition=Q(call__isnull=False),
                name="scrutiny_score_one_per_call_year",
            ),
            models.UniqueConstraint(
                fields=["financial_year", "referral"],
                condition=Q(referral__isnull=False),
                name="scrutiny_score_one_per_referral_year",
            ),
            models.CheckConstraint(
                condition=Q(call__isnull=True) | Q(referral__isnull=True),
                name="scrutiny_score_call_or_referral",
            ),
        ]

    def __str__(self) -> str:
        if self.call_id:
            subject = self.call.reference
        elif self.referral_id:
            subject = str(self.referral)
        else:
            subject = str(self.business_area)
        return f"{subject}, {financial_year_label(self.financial_year)}: {self.total.normalize():f}"

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)
