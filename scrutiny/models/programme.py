"""The annual programme of scrutiny as public pages: an index, a page per year, its reviews."""

from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from ..blocks import MethodsBlock
from .outcomes import OutcomesReportPage
from .pages import TEXT_FEATURES
from .scoring import financial_year_label


class ReviewStatus(models.TextChoices):
    """Where a review in the programme is, from scheduling to its action plan being done."""

    SCHEDULED = "scheduled", "Scheduled"
    IN_REVIEW = "in_review", "In review"
    REPORTING = "reporting", "Report in approval"
    REPORTED = "reported", "Report published"
    COMPLETED = "completed", "Action plan complete"


class ProgrammeIndexPage(Page):
    """The programme of scrutiny: lists each financial year's programme, newest first."""

    introduction = RichTextField(features=TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    max_count = 1
    subpage_types = ["scrutiny.ProgrammeYearPage", "scrutiny.OutcomesReportPage"]

    class Meta:
        verbose_name = "programme of scrutiny"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["years"] = (
            ProgrammeYearPage.objects.child_of(self).live().order_by("-financial_year")
        )
        context["outcomes_reports"] = (
            OutcomesReportPage.objects.child_of(self).live().order_by("-financial_year")
        )
        return context


class ProgrammeYearPage(Page):
    """One financial year's programme: the reviews scheduled, running and completed."""

    financial_year = models.PositiveSmallIntegerField(
        unique=True, help_text="The calendar year in which it starts: 2026 for 2026/27."
    )
    introduction = RichTextField(features=TEXT_FEATURES, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("financial_year"),
        FieldPanel("introduction"),
    ]

    parent_page_types = ["scrutiny.ProgrammeIndexPage"]
    subpage_types = ["scrutiny.ScrutinyReviewPage"]

    class Meta:
        verbose_name = "programme year"

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    def get_context(self, request, *args, **kwargs):
        from scrutiny import selectors

        context = super().get_context(request, *args, **kwargs)
        context["reviews"] = selectors.programme_reviews_for_public(self)
        return context


class ScrutinyReviewPage(Page):
    """A review in the programme, and in the end its report.

    Created in draft when scheduled. The page's content (scope, methods, report and
    recommendations) goes through the report approval workflow; publishing it publishes the
    report. The running of the review (steps, participants) and what follows the report
    (responses, action plans) are records of their own in models/reviews.py, so that they
    change without a new revision of the report.
    """

    business_area = models.ForeignKey(
        "scrutiny.BusinessArea", on_delete=models.PROTECT, related_name="reviews"
    )
    calls = ParentalManyToManyField(
        "scrutiny.CallForScrutiny",
        blank=True,
        related_name="reviews",
        help_text="The residents' calls this review answers.",
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.SCHEDULED
    )
    summary = RichTextField(features=TEXT_FEATURES, blank=True)
    starts_on = models.DateField("review starts", null=True, blank=True)
    ends_on = models.DateField("review ends", null=True, blank=True)
    scope = RichTextField(features=TEXT_FEATURES, blank=True)
    terms_of_reference = RichTextField(features=TEXT_FEATURES, blank=True)
    methods = StreamField(MethodsBlock(), blank=True, use_json_field=True)
    working_well = RichTextField("what is working well", features=TEXT_FEATURES, blank=True)
    below_standard = RichTextField(
        "standards that fall below the expected level", features=TEXT_FEATURES, blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("business_area"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading="Dates"),
        FieldPanel("scope"),
        FieldPanel("terms_of_reference"),
    ]
    methods_panels = [FieldPanel("methods")]
    report_panels = [
        FieldPanel("summary"),
        FieldPanel("working_well"),
        FieldPanel("below_standard"),
        InlinePanel("recommendations", heading="Recommendations", label="Recommendation"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Review"),
            ObjectList(methods_panels, heading="Methods"),
            ObjectList(report_panels, heading="Report"),
            ObjectList(Page.promote_panels, heading="Promote"),
        ]
    )

    parent_page_types = ["scrutiny.ProgrammeYearPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "scrutiny review"
