"""The programme's pages: a year's reviews, and a review with its report and PDF."""

from django.http import Http404

from scrutiny import selectors
from scrutiny.models.handlers import provides
from scrutiny.reports import report_pdf_response, review_report, safely


@provides("ProgrammeYearPage.context")
def programme_year_context(page, request) -> dict:
    """The year's reviews as the public sees them."""
    return {"reviews": selectors.programme_reviews_for_public(page)}


@provides("ScrutinyReviewPage.context")
def review_context(page, request) -> dict:
    """How far the review has gone and, once its report is live, the report's PDF."""
    context = {"progress": selectors.review_progress(page)}
    if page.live and not getattr(request, "is_preview", False):
        context["report_pdf"] = safely(review_report, page)
    return context


@provides("ScrutinyReviewPage.report_pdf")
def review_report_pdf(page, request):
    """The published report as a PDF made on the server."""
    if not page.live or getattr(request, "is_preview", False):
        raise Http404
    return report_pdf_response(page)
