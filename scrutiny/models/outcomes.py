"""The yearly outcomes report as a public page, its figures frozen when they were taken."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.routable_page.models import path as route_path
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..financial_years import financial_year_label
from .handlers import ask
from .pages import TEXT_FEATURES
from .record import RecordPageMixin


class OutcomesReportPage(RecordPageMixin, RoutablePageMixin, Page):
    """One financial year's outcomes, published under the programme of scrutiny.

    Drafted by the yearly task (or from the outcomes screen) with a snapshot of the figures, so
    the published report does not change as the data does. Staff refresh the snapshot from the
    outcomes screen while the page is not live; Communications publish it.
    """

    financial_year = models.PositiveSmallIntegerField(
        unique=True,
        help_text=_("The calendar year in which it starts: 2025 for 2025/26."),
        verbose_name=_("financial year"),
    )
    introduction = RichTextField(features=TEXT_FEATURES, blank=True, verbose_name=_("introduction"))
    figures = models.JSONField(default=dict, blank=True, editable=False, verbose_name=_("figures"))
    figures_taken_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("figures taken at")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("financial_year", read_only=True),
        FieldPanel("introduction"),
    ]

    parent_page_types = ["scrutiny.ProgrammeIndexPage"]
    subpage_types: list[str] = []
    # Made by the task or the outcomes screen, which take the figures; never added by hand.
    is_creatable = False

    class Meta:
        verbose_name_plural = _("outcomes reports")
        verbose_name = _("outcomes report")
        permissions = [
            ("view_outcomes", "Can see the yearly outcome figures"),
            ("refresh_outcomes", "Can draft an outcomes report and refresh its figures"),
        ]

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def effectiveness_review(self):
        """The panel's review of its effectiveness in the year, once agreed: published with
        the figures. Read as it stands, not frozen: an agreed review changes only by reopening."""
        return ask("effectiveness_review_published", self.financial_year)

    @property
    def outcomes(self):
        """The figures as taken (scrutiny.outcomes.Outcomes), or None before they are."""
        return ask("outcomes_from_figures", self.figures)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        return context | ask("OutcomesReportPage.context", self, request)

    @route_path("pdf/", name="report_pdf")
    def report_pdf(self, request):
        """The published report as a tagged PDF, made from the same template as the page
        (scrutiny.page_views.outcomes)."""
        return ask("OutcomesReportPage.report_pdf", self, request)
