"""Builders for the programme's pages, reviews with their steps, participants and reports."""

from wagtail.models import Page

from scrutiny import pipeline
from scrutiny.models import (
    ProgrammeIndexPage,
    ProgrammeYearPage,
    ReviewParticipant,
    ScrutinyReviewPage,
)
from scrutiny.roles import grant_page_type_permissions
from tests.conftest import make_business_area


def make_programme(parent: Page) -> ProgrammeIndexPage:
    """The live programme page under a parent, with the drafting rights the admin would grant."""
    index = parent.add_child(
        instance=ProgrammeIndexPage(title="Programme of scrutiny", slug="scrutiny-programme")
    )
    grant_page_type_permissions(None, page=index)
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


def take_part(review: ScrutinyReviewPage, *members, role: str = "member") -> None:
    """Put members on a review directly (the pipeline is tested on its own)."""
    for member in members:
        ReviewParticipant.objects.create(review=review, member=member, role=role)
