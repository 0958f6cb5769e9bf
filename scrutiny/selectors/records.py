"""Why something on the record cannot be deleted, in words that name what depends on it."""

from collections import Counter

from django.apps import apps
from django.db import router
from django.db.models import Count
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from wagtail.models import Page

from ..models import (
    ActionItem,
    OutcomesReportPage,
    Recommendation,
    RecommendationResponse,
    ScrutinyReviewPage,
)
from ..models.record import RecordPageMixin

# How the record's pages are counted, in this order: '1 review', '3 reviews'.
PAGE_COUNT_LABELS = {
    "scrutiny.programmeindexpage": lambda count: (
        ngettext("%(count)s programme of scrutiny", "%(count)s programmes of scrutiny", count)
        % {"count": count}
    ),
    "scrutiny.programmeyearpage": lambda count: (
        ngettext("%(count)s year's programme", "%(count)s years' programmes", count)
        % {"count": count}
    ),
    "scrutiny.scrutinyreviewpage": lambda count: (
        ngettext("%(count)s review", "%(count)s reviews", count) % {"count": count}
    ),
    "scrutiny.outcomesreportpage": lambda count: (
        ngettext("%(count)s outcomes report", "%(count)s outcomes reports", count)
        % {"count": count}
    ),
}


def counted(count: int, one: str, many: str) -> str:
    """'1 panel decision', '3 panel decisions', from a model's verbose names."""
    # Translators: a number of records, and what they are (a record's name, one or many).
    return pgettext("a number of records", "%(count)s %(things)s") % {
        "count": count,
        "things": one if count == 1 else many,
    }


def in_a_list(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return str(get_text_list(parts, pgettext("the last of a list", "and")))


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
    advice = _("Unpublish it instead.") if page.live else _("As a draft, it is not on the website.")
    title = {"title": page.title}
    if isinstance(page, ScrutinyReviewPage):
        reason = _what_a_review_holds(page)
    elif isinstance(page, OutcomesReportPage):
        reason = _("“%(title)s” cannot be deleted: it is the outcomes report for %(year)s.") % {
            **title,
            "year": page.financial_year_label,
        }
    elif below := _record_pages_below(page):
        if isinstance(page, RecordPageMixin):
            reason = _("“%(title)s” cannot be deleted: it holds %(pages)s.") % {
                **title,
                "pages": below,
            }
        else:
            reason = _(
                "“%(title)s” cannot be deleted: it holds pages of the scrutiny record: %(pages)s."
            ) % {**title, "pages": below}
            advice = _("Move those pages elsewhere first, or unpublish it instead.")
    elif isinstance(page, RecordPageMixin):
        reason = _("“%(title)s” cannot be deleted: it is part of the scrutiny record.") % title
    elif blocking := records_in_the_way(Page.objects.descendant_of(page, inclusive=True)):
        reason = _(
            "“%(title)s” cannot be deleted: it, or a page below it, is referred to by %(records)s."
        ) % {**title, "records": blocking}
    else:
        return None
    return f"{reason} {advice}"


def _what_a_review_holds(review: ScrutinyReviewPage) -> str:
    """Why a review cannot be deleted: "... it holds 3 recommendations and 1 response, and
    answers CCS-2026-0004"."""
    recommendations = Recommendation.objects.filter(page=review)
    responses = RecommendationResponse.objects.filter(recommendation__in=recommendations)
    actions = ActionItem.objects.filter(recommendation__in=recommendations)
    held = []
    if count := recommendations.count():
        held.append(
            ngettext("%(count)s recommendation", "%(count)s recommendations", count)
            % {"count": count}
        )
    if count := responses.count():
        held.append(ngettext("%(count)s response", "%(count)s responses", count) % {"count": count})
    if count := actions.count():
        held.append(
            ngettext("%(count)s action-plan item", "%(count)s action-plan items", count)
            % {"count": count}
        )
    references = list(review.calls.order_by("reference").values_list("reference", flat=True))
    values = {"title": review.title, "held": in_a_list(held), "calls": in_a_list(references)}
    if held and references:
        return (
            _("“%(title)s” cannot be deleted: it holds %(held)s, and answers %(calls)s.") % values
        )
    if held:
        return _("“%(title)s” cannot be deleted: it holds %(held)s.") % values
    if references:
        return _("“%(title)s” cannot be deleted: it answers %(calls)s.") % values
    return _("“%(title)s” cannot be deleted: it is a review in the programme of scrutiny.") % values


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
        counting(counts.pop(label))
        for label, counting in PAGE_COUNT_LABELS.items()
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
    "active": gettext_lazy("Untick “Active” to retire it instead."),
    "is_active": gettext_lazy("Make the account inactive instead."),
}


def deletion_refusal(obj) -> str | None:
    """Why a record (a snippet, an account) cannot be deleted, naming what refers to it."""
    blocking = records_in_the_way([obj])
    if not blocking:
        return None
    fields = {field.name for field in obj._meta.get_fields()}
    refusal = _(
        "“%(record)s” cannot be deleted: it is referred to by %(records)s on the record."
    ) % {
        "record": obj,
        "records": blocking,
    }
    advice = next((advice for name, advice in RETIRED_BY.items() if name in fields), None)
    return f"{refusal} {advice}" if advice else refusal
