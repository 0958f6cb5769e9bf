"""Builders for reviews with published reports and their action plans."""

import datetime

from django.utils import timezone

from scrutiny import pipeline
from scrutiny.models import (
    BusinessArea,
    ProgrammeIndexPage,
    ProgrammeYearPage,
    Recommendation,
    ReviewStatus,
    ScrutinyReviewPage,
)
from tests.conftest import make_business_area


def make_reported_review(home_page, *, recommendations: int = 2, calls=(), **overrides):
    """A live review whose report is published, with recommendations saved as rows."""
    index = ProgrammeIndexPage.objects.first() or home_page.add_child(
        instance=ProgrammeIndexPage(title="Programme of scrutiny", slug="scrutiny-programme")
    )
    year_page = ProgrammeYearPage.objects.first() or index.add_child(
        instance=ProgrammeYearPage(title="Programme 2026/27", slug="2026-27", financial_year=2026)
    )
    area = (
        overrides.pop("business_area", None)
        or BusinessArea.objects.filter(name="Repairs and maintenance").first()
        or make_business_area()
    )
    number = ScrutinyReviewPage.objects.count() + 1
    fields = {
        "title": f"Review of repairs {number}",
        "slug": f"review-of-repairs-{number}",
        "business_area": area,
        "status": ReviewStatus.REPORTED,
    } | overrides
    review = ScrutinyReviewPage(
        **fields,
        recommendations=[
            Recommendation(
                recommendation=f"Recommendation {n}: fix the ventilation first.",
                evidence="Three residents' homes visited.",
            )
            for n in range(1, recommendations + 1)
        ],
    )
    year_page.add_child(instance=review)
    for call in calls:
        review.calls.add(call)
    review.save()
    return ScrutinyReviewPage.objects.get(pk=review.pk)


def respond_and_plan(recommendation, user, *, decision="accepted", due_in: int = 30, actions=1):
    """A response and some actions for one recommendation."""
    pipeline.recommendation_respond(
        recommendation=recommendation, decision=decision, reasons="We agree.", user=user
    )
    return [
        pipeline.action_add(
            recommendation=recommendation,
            action=f"Action {n}",
            due_on=timezone.localdate() + datetime.timedelta(days=due_in),
            user=user,
        )
        for n in range(1, actions + 1)
    ]
