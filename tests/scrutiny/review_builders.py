"""Builders for the programme's pages, reviews with their steps, participants and reports."""

from wagtail.models import Page
from wagtail.test.utils.form_data import rich_text

from scrutiny import pipeline
from scrutiny.models import (
    ProgrammeIndexPage,
    ProgrammeYearPage,
    ReviewParticipant,
    ScrutinyReviewPage,
)
from tests.conftest import make_business_area


def make_programme(parent: Page) -> ProgrammeIndexPage:
    """The live programme page under a parent."""
    index = parent.add_child(
        instance=ProgrammeIndexPage(title="Programme of scrutiny", slug="scrutiny-programme")
    )
    return index


def make_year(index: ProgrammeIndexPage, year: int) -> ProgrammeYearPage:
    """A live programme page for a financial year."""
    label = f"{year}-{(year + 1) % 100:02d}"
    return index.add_child(
        instance=ProgrammeYearPage(
            title=f"Programme of scrutiny {label}", slug=label, financial_year=year
        )
    )


def make_review(year_page: ProgrammeYearPage, **overrides) -> ScrutinyReviewPage:
    """A draft review under a year's page, with its steps made as scheduling makes them."""
    fields = {"title": "Review of repairs", "slug": "review-of-repairs", "live": False} | overrides
    if "business_area" not in fields:
        fields["business_area"] = make_business_area(f"Area for {fields['slug']}")
    review = year_page.add_child(instance=ScrutinyReviewPage(**fields))
    review.save_revision()
    pipeline.review_steps_create(review=review)
    return review


def finish_steps(review: ScrutinyReviewPage, user) -> None:
    """Mark every step of a review done, so that its report can go for sign-off."""
    for step in review.steps.order_by("position"):
        pipeline.review_step_update(step=step, user=user, status="done")


def take_part(review: ScrutinyReviewPage, *members, role: str = "member") -> None:
    """Put members on a review directly (the pipeline is tested on its own)."""
    for member in members:
        ReviewParticipant.objects.create(review=review, member=member, role=role)


def edit_post(review, **extra):
    """The edit form's data for the review as it stands, recommendations included."""
    recs = list(review.recommendations.all())
    data = {
        "title": review.title,
        "slug": review.slug,
        "business_area": review.business_area_id,
        "starts_on": review.starts_on.isoformat() if review.starts_on else "",
        "ends_on": review.ends_on.isoformat() if review.ends_on else "",
        "scope": rich_text(review.scope),
        "terms_of_reference": rich_text(review.terms_of_reference),
        "summary": rich_text(review.summary),
        "working_well": rich_text(review.working_well),
        "below_standard": rich_text(review.below_standard),
        "methods-count": "0",
        "recommendations-TOTAL_FORMS": str(len(recs)),
        "recommendations-INITIAL_FORMS": str(len(recs)),
        "recommendations-MIN_NUM_FORMS": "0",
        "recommendations-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "go_live_at": "",
        "expire_at": "",
    }
    for i, rec in enumerate(recs):
        data |= {
            f"recommendations-{i}-id": rec.pk,
            f"recommendations-{i}-ORDER": str(i + 1),
            f"recommendations-{i}-DELETE": "",
            f"recommendations-{i}-recommendation": rec.recommendation,
            f"recommendations-{i}-evidence": rec.evidence,
            f"recommendations-{i}-priority": rec.priority,
            f"recommendations-{i}-responsible": rec.responsible_id or "",
        }
    return data | extra
