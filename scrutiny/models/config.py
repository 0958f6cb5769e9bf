"""What an administrator configures: the organisation's settings and its business areas."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import RevisionMixin
from wagtail.search import index

from .people import PersonField, person_name

MONTHS = [
    (1, pgettext_lazy("month name", "January")),
    (2, pgettext_lazy("month name", "February")),
    (3, pgettext_lazy("month name", "March")),
    (4, pgettext_lazy("month name", "April")),
    (5, pgettext_lazy("month name", "May")),
    (6, pgettext_lazy("month name", "June")),
    (7, pgettext_lazy("month name", "July")),
    (8, pgettext_lazy("month name", "August")),
    (9, pgettext_lazy("month name", "September")),
    (10, pgettext_lazy("month name", "October")),
    (11, pgettext_lazy("month name", "November")),
    (12, pgettext_lazy("month name", "December")),
]


@register_setting(icon="cog", order=900)
class ScrutinySettings(BaseGenericSetting):
    """The names and numbers that make one landlord's scrutiny process, with the seeds' defaults."""

    organisation_name = models.CharField(
        max_length=200, default="Pine Court Housing", verbose_name=_("organisation name")
    )
    panel_name = models.CharField(
        max_length=200,
        default="Customer Empowerment Panel",
        help_text=_("What residents call the scrutiny panel."),
        verbose_name=_("panel name"),
    )
    oversight_body = models.CharField(
        max_length=200,
        default="EMT and Board",
        help_text=_(
            "Who receives the panel's reports, for example the Customer Assurance Committee."
        ),
        verbose_name=_("oversight body"),
    )
    report_workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The workflow every review's report goes through before it is published (panel "
            "sign-off, then the oversight body). With none, no report can be published."
        ),
        verbose_name=_("report workflow"),
    )
    contact_role = models.CharField(
        max_length=200,
        default="Customer Empowerment Manager",
        help_text=_("Who residents write to about scrutiny and appeals."),
        verbose_name=_("contact role"),
    )
    contact_email = models.EmailField(
        default="scrutiny@example.org", verbose_name=_("contact email")
    )
    contact_phone = models.CharField(max_length=40, blank=True, verbose_name=_("contact phone"))
    contact_address = models.TextField(blank=True, verbose_name=_("contact address"))

    financial_year_start_month = models.PositiveSmallIntegerField(
        choices=MONTHS,
        default=4,
        help_text=_("The month in which the scrutiny year begins."),
        verbose_name=_("financial year start month"),
    )
    minimum_reviews_per_year = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1)], verbose_name=_("minimum reviews per year")
    )
    community_call_bonus = models.PositiveSmallIntegerField(
        default=10,
        help_text=_(
            "Points added to the score of an area that residents asked about in an "
            "accepted Community Call for Scrutiny."
        ),
        verbose_name=_("community call bonus"),
    )
    appeal_window_days = models.PositiveSmallIntegerField(
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "Days, counted from the day a decision is sent, in which a resident may appeal."
        ),
        verbose_name=_("appeal window days"),
    )
    appeal_panel_minimum = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1)], verbose_name=_("appeal panel minimum")
    )
    appeal_panel_maximum = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1)], verbose_name=_("appeal panel maximum")
    )

    minimum_formal_meetings = models.PositiveSmallIntegerField(
        default=3,
        help_text=_("Formal meetings each member attends in a year, at least."),
        verbose_name=_("minimum formal meetings"),
    )
    minimum_member_reviews = models.PositiveSmallIntegerField(
        default=3,
        help_text=_("Scrutiny reviews each member takes part in during a year, at least."),
        verbose_name=_("minimum member reviews"),
    )
    away_days = models.PositiveSmallIntegerField(default=2, verbose_name=_("away days"))
    board_away_days = models.PositiveSmallIntegerField(default=1, verbose_name=_("board away days"))
    commitment_days_per_year = models.PositiveSmallIntegerField(
        default=24,
        help_text=_("The estimated time a member gives in a year, in days."),
        verbose_name=_("commitment days per year"),
    )
    hours_per_day = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        default=Decimal("7.0"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("12"))],
        help_text=_("Hours of training or logged scrutiny work that count as one day."),
        verbose_name=_("hours per day"),
    )
    commitment_flag_percent = models.PositiveSmallIntegerField(
        default=50,
        validators=[MinValueValidator(10), MaxValueValidator(100)],
        help_text=_(
            "The dashboard flags a member whose days so far are this many per cent below "
            "or above their share of the year's days to date."
        ),
        verbose_name=_("commitment flag percent"),
    )
    member_payment = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("2500.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Yearly payment to each member, in pounds. Zero if members are volunteers."),
        verbose_name=_("member payment"),
    )
    voluntary_option = models.BooleanField(
        default=True,
        help_text=_(
            "Members may serve without payment, for example where it would affect benefits."
        ),
        verbose_name=_("voluntary option"),
    )
    expenses_covered = models.BooleanField(default=True, verbose_name=_("expenses covered"))

    data_retention_months = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_("Months after closure before residents' personal data is anonymised."),
        verbose_name=_("data retention months"),
    )

    petition_percentage = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=_("Signatures needed, as a percentage of the households affected."),
        verbose_name=_("petition percentage"),
    )
    petition_minimum = models.PositiveIntegerField(
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("Never fewer signatures than this."),
        verbose_name=_("petition minimum"),
    )
    petition_maximum = models.PositiveIntegerField(
        default=100,
        validators=[MinValueValidator(1)],
        help_text=_("Never more signatures than this."),
        verbose_name=_("petition maximum"),
    )
    petition_days_open = models.PositiveSmallIntegerField(
        default=42,
        validators=[MinValueValidator(1)],
        help_text=_("How long a petition stays open."),
        verbose_name=_("petition days open"),
    )
    decision_overdue_days = models.PositiveSmallIntegerField(
        default=56,
        validators=[MinValueValidator(1)],
        help_text=_("Days a call may wait for the panel's decision before it is flagged overdue."),
        verbose_name=_("decision overdue days"),
    )
    monitoring_review_days = models.PositiveSmallIntegerField(
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_(
            "When the panel refers a call for monitoring, the days until it reviews what "
            "it watched (the panel can choose another date)."
        ),
        verbose_name=_("monitoring review days"),
    )
    action_reminder_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Days before an action-plan item is due that its owner is reminded."),
        verbose_name=_("action reminder days"),
    )
    action_overdue_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "Days after the due date of an unfinished action that its owner, and the "
            "officers, are told it is overdue; a first notice goes the day after it is due."
        ),
        verbose_name=_("action overdue days"),
    )
    form_submissions_per_hour = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("Forms one network address may send in an hour before being asked to wait."),
        verbose_name=_("form submissions per hour"),
    )
    tracking_attempts_per_hour = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("Look-ups of a call's progress one network address may make in an hour."),
        verbose_name=_("tracking attempts per hour"),
    )

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("organisation_name"),
                    FieldPanel("panel_name"),
                    FieldPanel("oversight_body"),
                    FieldPanel("report_workflow"),
                    MultiFieldPanel(
                        [
                            FieldPanel("contact_role"),
                            FieldPanel("contact_email"),
                            FieldPanel("contact_phone"),
                            FieldPanel("contact_address"),
                        ],
                        heading=_("Contact for residents"),
                    ),
                ],
                heading=_("Organisation"),
            ),
            ObjectList(
                [
                    FieldPanel("financial_year_start_month"),
                    FieldPanel("minimum_reviews_per_year"),
                    FieldPanel("community_call_bonus"),
                    FieldPanel("decision_overdue_days"),
                    FieldPanel("monitoring_review_days"),
                    FieldRowPanel(
                        [FieldPanel("action_reminder_days"), FieldPanel("action_overdue_days")],
                        heading=_("Action-plan reminders"),
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("petition_percentage"),
                            FieldPanel("petition_minimum"),
                            FieldPanel("petition_maximum"),
                        ],
                        heading=_("Petition signatures needed"),
                    ),
                    FieldPanel("petition_days_open"),
                    FieldPanel("appeal_window_days"),
                    FieldRowPanel(
                        [FieldPanel("appeal_panel_minimum"), FieldPanel("appeal_panel_maximum")],
                        heading=_("Appeal panel size"),
                    ),
                ],
                heading=_("Process"),
            ),
            ObjectList(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("minimum_formal_meetings"),
                            FieldPanel("minimum_member_reviews"),
                        ]
                    ),
                    FieldRowPanel([FieldPanel("away_days"), FieldPanel("board_away_days")]),
                    FieldRowPanel(
                        [
                            FieldPanel("commitment_days_per_year"),
                            FieldPanel("hours_per_day"),
                            FieldPanel("commitment_flag_percent"),
                        ]
                    ),
                    FieldPanel("member_payment"),
                    FieldPanel("voluntary_option"),
                    FieldPanel("expenses_covered"),
                ],
                heading=_("Members"),
            ),
            ObjectList(
                [
                    FieldPanel("data_retention_months"),
                    FieldPanel("form_submissions_per_hour"),
                    FieldPanel("tracking_attempts_per_hour"),
                ],
                heading=_("Personal data and public forms"),
            ),
        ]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("Scrutiny settings")
        verbose_name = _("Scrutiny settings")

    def __str__(self) -> str:
        return gettext("Scrutiny settings for %(organisation)s") % {
            "organisation": self.organisation_name
        }

    def clean(self) -> None:
        """Refuse an appeal panel whose smallest size is larger than its largest."""
        super().clean()
        if (
            self.appeal_panel_minimum
            and self.appeal_panel_maximum
            and self.appeal_panel_minimum > self.appeal_panel_maximum
        ):
            raise ValidationError(
                {
                    "appeal_panel_maximum": gettext(
                        "The largest panel cannot be smaller than the smallest."
                    )
                }
            )
        if (
            self.petition_minimum
            and self.petition_maximum
            and self.petition_minimum > self.petition_maximum
        ):
            raise ValidationError(
                {
                    "petition_maximum": gettext(
                        "The most signatures cannot be fewer than the fewest."
                    )
                }
            )


class BusinessArea(RevisionMixin, index.Indexed, models.Model):
    """A service the landlord runs that residents may ask the panel to scrutinise."""

    name = models.CharField(max_length=120, unique=True, verbose_name=_("name"))
    slug = models.SlugField(max_length=120, unique=True, blank=True, verbose_name=_("slug"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    head_of_operations = PersonField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="business_areas_headed",
        verbose_name=_("head of operations"),
        help_text=_(
            "Who answers for this service: a member of staff who can sign in to the admin."
        ),
    )
    head_of_operations_title = models.CharField(_("job title"), max_length=120, blank=True)
    active = models.BooleanField(
        default=True,
        help_text=_("Only active areas are offered to residents on the public forms."),
        verbose_name=_("active"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("head_of_operations"),
                FieldPanel("head_of_operations_title"),
            ],
            heading=_("Responsible head of operations"),
        ),
        FieldPanel("active"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("description"),
        index.AutocompleteField("name"),
        index.FilterField("active"),
    ]

    history = HistoricalRecords(excluded_fields=["latest_revision"])

    class Meta:
        verbose_name_plural = _("business areas")
        ordering = ["name"]
        verbose_name = _("business area")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)

    @property
    def head_of_operations_name(self) -> str:
        """The head of operations' name, read from their account."""
        return person_name(self.head_of_operations)

    @property
    def head_of_operations_email(self) -> str:
        """Where the head of operations' emails go, read from their account."""
        return self.head_of_operations.email if self.head_of_operations else ""

    def get_head_of_operations_display(self) -> str:
        """The head of operations by name, as the admin's inspect view shows them."""
        return self.head_of_operations_name or gettext("Nobody named")
