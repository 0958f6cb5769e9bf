"""Scheduling scored items into a year's programme, each as a draft review page."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import permissions
from ..financial_years import financial_year_label
from ..history import acting_as
from ..models import (
    CallForScrutiny,
    ProgrammeIndexPage,
    ProgrammeYearPage,
    Score,
    ScrutinyReviewPage,
)
from . import machine, rules
from .machine import TransitionNotAllowed
from .reviews import review_steps_create


def programme_year_page(*, year: int, user) -> ProgrammeYearPage:
    """The page of a year's programme, created in draft under the programme page if missing."""
    page = ProgrammeYearPage.objects.filter(financial_year=year).first()
    if page is not None:
        return page
    index = ProgrammeIndexPage.objects.first()
    if index is None:
        raise TransitionNotAllowed(
            _("There is no programme page on the site yet: ask Communications to add one.")
        )
    label = financial_year_label(year)
    page = ProgrammeYearPage(
        title=_("Programme of scrutiny %(year)s") % {"year": label},
        slug=slugify(label.replace("/", "-")),
        financial_year=year,
        live=False,
        owner=user,
    )
    with acting_as(user):
        index.add_child(instance=page)
        page.save_revision(user=user, log_action=True)
    return page


@transaction.atomic
def call_schedule(*, call: CallForScrutiny, review: ScrutinyReviewPage, user) -> CallForScrutiny:
    """Move an accepted call to scheduled, answered by a review not yet at its report."""
    return machine.apply(
        call,
        "schedule",
        user=user,
        review=review,
        data={"review": review.pk if review is not None else None},
    )


@transaction.atomic
def programme_schedule(*, score: Score, user, title: str = "") -> ScrutinyReviewPage:
    """Put a scored area, accepted call or referred topic into its year's programme as a draft
    review page.

    A call or topic about an area that already has a review in that year joins that review.
    The review page is never published here: Communications publish it when it is ready.
    """
    if not permissions.may_schedule(user):
        raise PermissionDenied(_("Only scrutiny officers and panel members may schedule reviews."))
    # Lock the score alone: PostgreSQL cannot lock the nullable side of the join to its call.
    score = (
        Score.objects.select_for_update(of=("self",))
        .select_related("business_area", "call", "referral")
        .get(pk=score.pk)
    )
    if score.scheduled:
        raise TransitionNotAllowed(
            _("%(area)s is already in the programme.") % {"area": score.business_area}
        )
    year_page = programme_year_page(year=score.financial_year, user=user)
    # A call joins a review of its area only while that review has not reached its report.
    review = (
        ScrutinyReviewPage.objects.child_of(year_page)
        .filter(business_area=score.business_area, status__in=rules.REVIEW_RUNNING)
        .order_by("pk")
        .first()
    )
    with acting_as(user):
        if review is None:
            title = title.strip() or _("Review of %(area)s") % {"area": score.business_area.name}
            review = ScrutinyReviewPage(
                title=title,
                slug=slugify(title)[:80] or f"review-{score.pk}",
                business_area=score.business_area,
                live=False,
                owner=user,
            )
            if ScrutinyReviewPage.objects.child_of(year_page).filter(slug=review.slug).exists():
                review.slug = f"{review.slug}-{score.pk}"
                review.title = _("%(title)s (%(month)s)") % {
                    "title": title,
                    "month": date_format(timezone.localdate(), "F Y"),
                }
            year_page.add_child(instance=review)
            review_steps_create(review=review)
        if score.call is not None:
            # The calls are a parental relation: they are written when the page is saved.
            review.calls.add(score.call)
            review.save()
        review.save_revision(user=user, log_action=False)
    if score.call is not None:
        call_schedule(call=score.call, review=review, user=user)
    if score.referral is not None:
        machine.apply(
            score.referral,
            "schedule",
            user=user,
            review=review,
            changes={"review": review},
            data={"review": review.pk},
        )
    score.scheduled = True
    score.scheduled_at = timezone.now()
    score.review = review
    score._history_user = user
    score.save(update_fields=["scheduled", "scheduled_at", "review"])
    log(
        instance=review,
        action="scrutiny.programme.schedule",
        user=user,
        data={
            "year": score.financial_year_label,
            "score": score.pk,
            "total": score.breakdown.get("total"),
            "call": score.call.reference if score.call else None,
            "referral": score.referral.source if score.referral else None,
        },
    )
    return review
