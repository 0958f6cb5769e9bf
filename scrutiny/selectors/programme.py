"""Reads about the programme of scrutiny: a year's ranking and the reviews scheduled in it."""

from ..models import ScrutinySettings


def programme_ranking(year: int):
    """The scores for a year, highest first: business areas, accepted calls and referred topics
    alike."""
    from ..models import Score

    return (
        Score.objects.filter(financial_year=year)
        .select_related("business_area", "call", "referral", "review")
        .order_by("-total", "business_area__name", "call__reference", "referral__title")
    )


def programme_reviews(year: int):
    """The reviews scheduled in a year's programme, whatever their page's state."""
    from ..models import ScrutinyReviewPage

    return (
        ScrutinyReviewPage.objects.filter(
            pk__in=ScrutinyReviewPage.objects.filter(scores__financial_year=year).values("pk")
        )
        .select_related("business_area")
        .prefetch_related("calls", "referrals")
        .order_by("path")
    )


def programme_reviews_for_public(year_page) -> list[dict]:
    """The reviews under a year's page, with whether each came from a residents' call or a
    topic the oversight body referred.

    Reviews are listed even while their page is a draft: the programme says what is coming.
    Only the review's title, service, status, the calls' references and where referred topics
    came from are shown.
    """
    from ..models import ScrutinyReviewPage

    reviews = (
        ScrutinyReviewPage.objects.child_of(year_page)
        .select_related("business_area")
        .prefetch_related("calls", "referrals")
        .order_by("path")
    )
    return [
        {
            "review": review,
            "calls": [call.reference for call in review.calls.all()],
            "referrals": [topic.source for topic in review.referrals.all()],
            "url": review.url if review.live else "",
        }
        for review in reviews
    ]


def programme_shortfall(year: int) -> int:
    """How many more reviews a year's programme needs to reach the configured minimum."""
    minimum = ScrutinySettings.load().minimum_reviews_per_year
    return max(0, minimum - programme_reviews(year).count())
