"""Why something on the record cannot be deleted, in words that name what depends on it."""

from collections import Counter

from django.apps import apps
from django.db import router
from django.db.models import Count
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from wagtail.models import Page

from ..models import (
    ActionItem,
    OutcomesReportPage,
    Recommendation,
    RecommendationResponse,
    ScrutinyReviewPage,
)
from ..models.record import RecordPageMixin

# How the record's pages are counted, in this order, as (one, many).
PAGE_COUNT_LABELS = {
    "scrutiny.programmeindexpage": ("programme of scrutiny", "programmes of scrutiny"),
    "scrutiny.programmeyearpage": ("year's programme", "years' programmes"),
    "scrutiny.scrutinyreviewpage": ("review", "reviews"),
    "scrutiny.outcomesreportpage": ("outcomes report", "outcomes reports"),
}


def counted(count: int, one: str, many: str) -> str:
    """'1 review', '3 reviews'."""
    return f"{count} {one if count == 1 else many}"


def in_a_list(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def record_page_models() -> list[type[Page]]:
    """The page types that are part of the record: those built on RecordPageMixin."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, RecordPageMixin) and issubclass(model, Page)
    ]


def page_deletion_refusal(page: Page) -> str | None:
    """Why this page (with the pages below it) cannot be deleted, or None when it can be."""
    page = page.specific
    advice = "Unpublish it instead." if page.live else "As a draft, it is not on the website."
    if isinstance(page, ScrutinyReviewPage):
        reason = _what_a_review_holds(page)
    elif isinstance(page, OutcomesReportPage):
        reason = f"it is the outcomes report for {page.financial_year_label}"
    elif below := _record_pages_below(page):
        if isinstance(page, RecordPageMixin):
            reason = f"it holds {below}"
        else:
            reason = f"it holds pages of the scrutiny record: {below}"
            advice = "Move those pages elsewhere first, or unpublish it instead."
    elif isinstance(page, RecordPageMixin):
        reason = "it is part of the scrutiny record"
    elif blocking := records_in_the_way(Page.objects.descendant_of(page, inclusive=True)):
        reason = f"it, or a page below it, is referred to by {blocking}"
    else:
        return None
    return f"“{page.title}” cannot be deleted: {reason}. {advice}"


def _what_a_review_holds(review: ScrutinyReviewPage) -> str:
    """'it holds 3 recommendations and 1 response, and answers CCS-2026-0004'."""
    recommendations = Recommendation.objects.filter(page=review)
    responses = RecommendationResponse.objects.filter(recommendation__in=recommendations)
    actions = ActionItem.objects.filter(recommendation__in=recommendations)
    rows = [
        (recommendations.count(), "recommendation", "recommendations"),
        (responses.count(), "response", "responses"),
        (actions.count(), "action-plan item", "action-plan items"),
    ]
    held = in_a_list([counted(*row) for row in rows if row[0]])
    references = review.calls.order_by("reference").values_list("reference", flat=True)
    answers = in_a_list(list(references))
    if held and answers:
        return f"it holds {held}, and answers {answers}"
    if held:
        return f"it holds {held}"
    if answers:
        return f"it answers {answers}"
    return "it is a review in the programme of scrutiny"


def _record_pages_below(page: Page) -> str:
    """The record's pages below this one, counted by type: '2 years' programmes and 5 reviews'."""
    models = record_page_models()
    if not models:
        return ""
    rows = (
        Page.objects.descendant_of(page)
        .type(*models)
        .values("content_type__app_label", "content_type__model")
        .annotate(pages=Count("pk"))
    )
    counts = {
        f"{row['content_type__app_label']}.{row['content_type__model']}": row["pages"]
        for row in rows
    }
    parts = [
        counted(counts.pop(label), one, many)
        for label, (one, many) in PAGE_COUNT_LABELS.items()
        if label in counts
    ]
    for label, count in counts.items():
        model = apps.get_model(label)
        parts.append(
            counted(count, str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
        )
    return in_a_list(parts)


def records_in_the_way(objects) -> str:
    """What a delete of these objects would be stopped by, e.g. '2 panel decisions'; or ''."""
    objects = list(objects)
    if not objects:
        return ""
    collector = Collector(using=router.db_for_write(type(objects[0])))
    try:
        collector.collect(objects)
    except ProtectedError as error:
        blocking = error.protected_objects
    except RestrictedError as error:
        blocking = error.restricted_objects
    else:
        return ""
    kinds = Counter(type(obj)._meta for obj in blocking)
    return in_a_list(
        [
            counted(count, str(opts.verbose_name), str(opts.verbose_name_plural))
            for opts, count in sorted(kinds.items(), key=lambda item: str(item[0].verbose_name))
        ]
    )


# How a record that cannot be deleted is retired, by the field that retires it.
RETIRED_BY = {
    "active": "Untick “Active” to retire it instead.",
    "is_active": "Make the account inactive instead.",
}


def deletion_refusal(obj) -> str | None:
    """Why a record (a snippet, an account) cannot be deleted, naming what refers to it."""
    blocking = records_in_the_way([obj])
    if not blocking:
        return None
    fields = {field.name for field in obj._meta.get_fields()}
    retire = next((f" {advice}" for name, advice in RETIRED_BY.items() if name in fields), "")
    return f"“{obj}” cannot be deleted: it is referred to by {blocking} on the record.{retire}"
