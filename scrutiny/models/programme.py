"""The annual programme of scrutiny as public pages: an index, a page per year, its reviews."""

from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .pages import TEXT_FEATURES
from .scoring import financial_year_label


class ReviewStatus(models.TextChoices):
    """Where a review in the programme is; the review steps come with the next issue."""

    SCHEDULED = "scheduled", "Scheduled"
    IN_REVIEW = "in_review", "In review"
    COMPLETED = "completed", "Completed"


class ProgrammeIndexPage(Page):
    """The programme of scrutiny: lists each financial year's programme, newest first."""

    introduction = RichTextField(features=TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    max_count = 1
    subpage_types = ["scrutiny.ProgrammeYearPage"]

    class Meta:
        verbose_name = "programme of scrutiny"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["years"] = (
            ProgrammeYearPage.objects.child_of(self).live().order_by("-financial_year")
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
    """A review in the programme. Created in draft when scheduled; never published by the code."""

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

    content_panels = [
        *Page.content_panels,
        FieldPanel("business_area"),
        FieldPanel("status"),
        FieldPanel("summary"),
    ]

    parent_page_types = ["scrutiny.ProgrammeYearPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "scrutiny review"
