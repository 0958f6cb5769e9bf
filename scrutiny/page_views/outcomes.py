"""The outcomes report page: a year's figures with their charts, and the report's PDF."""

from django.http import Http404

from scrutiny.models import ScrutinySettings
from scrutiny.models.handlers import provides
from scrutiny.outcomes import outcome_charts
from scrutiny.reports import outcomes_report, pdf_response, safely


@provides("OutcomesReportPage.context")
def outcomes_context(page, request) -> dict:
    """The figures as taken, their charts and, once the page is live, the report's PDF."""
    outcomes = page.outcomes
    context = {
        "outcomes": outcomes,
        "config": ScrutinySettings.load(request_or_site=request),
        "charts": outcome_charts(outcomes) if outcomes else [],
    }
    if outcomes and page.live and not getattr(request, "is_preview", False):
        context["report_pdf"] = safely(outcomes_report, page)
    return context


@provides("OutcomesReportPage.report_pdf")
def outcomes_report_pdf(page, request):
    """The published report as a tagged PDF, made from the same template as the page."""
    if not page.live or not page.figures or getattr(request, "is_preview", False):
        raise Http404
    return pdf_response(outcomes_report(page))
