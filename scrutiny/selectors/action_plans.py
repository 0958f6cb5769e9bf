"""Reads about action plans, shared by the admin screens, the dashboard and the public page."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import (
    ActionItem,
    ActionStatus,
    DecisionOutcome,
    PanelDecision,
    Recommendation,
    ResponseDecision,
    ReviewStatus,
    ScrutinyReviewPage,
    ScrutinySettings,
    person_name,
)

PUBLISHED_REPORT_STATUSES = [ReviewStatus.REPORTED, ReviewStatus.COMPLETED]


def action_plan_url(item: ActionItem) -> str:
    """The admin screen where an action's plan is kept."""
    if item.recommendation_id:
        return reverse("scrutiny_actions:review", args=[item.recommendation.page_id])
    return reverse("scrutiny_actions:decision", args=[item.decision_id])


def review_plan_url(review) -> str:
    return reverse("scrutiny_actions:review", args=[review.pk])


def decision_plan_url(decision) -> str:
    return reverse("scrutiny_actions:decision", args=[decision.pk])


def reviews_with_plans():
    """Reviews whose report is published, newest first: the ones with action plans."""
    return (
        ScrutinyReviewPage.objects.filter(status__in=PUBLISHED_REPORT_STATUSES, live=True)
        .select_related("business_area__head_of_operations")
        .order_by("-first_published_at", "-pk")
    )


def serious_failure_decisions():
    """The panel's serious-failure decisions, newest first: each has actions of its own."""
    return PanelDecision.objects.filter(outcome=DecisionOutcome.SERIOUS_FAILURE).select_related(
        "call__business_area__head_of_operations"
    )


def _recommendations_prefetch(actions=None) -> Prefetch:
    actions = actions if actions is not None else ActionItem.objects.select_related("owner")
    return Prefetch(
        "recommendations",
        queryset=Recommendation.objects.select_related(
            "responsible", "response__responded_by", "response__plan_agreed_by"
        ).prefetch_related(Prefetch("actions", queryset=actions.order_by("due_on", "pk"))),
    )


def _actions_by_due_date():
    return ActionItem.objects.select_related("owner").order_by("due_on", "pk")


def review_plan(review_pk: int):
    """One review with its recommendations, their responses and actions, in few queries."""
    return (
        ScrutinyReviewPage.objects.select_related("business_area__head_of_operations")
        .prefetch_related(_recommendations_prefetch(), "calls")
        .filter(pk=review_pk)
        .first()
    )


def decision_plan(decision_pk: int):
    """One serious-failure decision with its actions."""
    return (
        serious_failure_decisions()
        .prefetch_related(Prefetch("actions", queryset=_actions_by_due_date()))
        .filter(pk=decision_pk)
        .first()
    )


@dataclass
class PlanFilters:
    """The filters of the action plans listing."""

    review: int | None = None
    owner: int | None = None
    status: str = ""
    overdue: bool = False

    @property
    def active(self) -> bool:
        return bool(self.review or self.owner or self.status or self.overdue)


def filtered_actions(filters: PlanFilters, *, today: datetime.date | None = None):
    """The actions that pass the listing's filters (all actions when none is set)."""
    actions = ActionItem.objects.select_related("owner")
    if filters.owner:
        actions = actions.filter(owner_id=filters.owner)
    if filters.status == "open":
        actions = actions.open()
    elif filters.status:
        actions = actions.filter(status=filters.status)
    if filters.overdue:
        actions = actions.overdue(today)
    return actions


def action_plans(filters: PlanFilters) -> dict:
    """Reviews with published reports and serious-failure decisions, with their plans.

    With a filter set, only actions that pass it are shown, and plans with none are left out;
    a review filter leaves out the serious-failure decisions.
    """
    actions = filtered_actions(filters)
    reviews = reviews_with_plans().prefetch_related(_recommendations_prefetch(actions))
    if filters.review:
        reviews = reviews.filter(pk=filters.review)
    decisions = serious_failure_decisions().prefetch_related(
        Prefetch("actions", queryset=actions.order_by("due_on", "pk"))
    )
    reviews, decisions = list(reviews), [] if filters.review else list(decisions)
    if filters.owner or filters.status or filters.overdue:
        reviews = [
            review
            for review in reviews
            if any(rec.actions.all() for rec in review.recommendations.all())
        ]
        decisions = [decision for decision in decisions if decision.actions.all()]
    return {"reviews": reviews, "decisions": decisions}


def action_owners() -> list:
    """The accounts of everyone who owns an action, by name, for the owner filter."""
    return sorted(
        get_user_model().objects.filter(actions_owned__isnull=False).distinct(),
        key=lambda person: person_name(person).lower(),
    )


@dataclass
class Progress:
    """How far a recommendation's action plan has gone, for a one-line summary."""

    decision: str = ""
    decision_label: str = ""
    total: int = 0
    done: int = 0
    cancelled: int = 0
    overdue: int = 0
    statuses: list = field(default_factory=list)

    @property
    def awaiting_response(self) -> bool:
        return not self.decision

    @property
    def counted(self) -> int:
        """Actions that count towards the plan: those not cancelled."""
        return self.total - self.cancelled

    @property
    def summary(self) -> str:
        """One line such as "Response awaited" or "2 of 3 actions done, 1 overdue"."""
        if self.awaiting_response:
            return _("Response awaited")
        if self.decision == ResponseDecision.NOT_ACCEPTED:
            return _("No actions: not accepted")
        if not self.counted:
            return _("No actions yet")
        counts = {"done": self.done, "total": self.counted, "overdue": self.overdue}
        if self.done == self.counted:
            return (
                ngettext("All %(total)s action done", "All %(total)s actions done", self.counted)
                % counts
            )
        if self.overdue:
            return (
                ngettext(
                    "%(done)s of %(total)s action done, %(overdue)s overdue",
                    "%(done)s of %(total)s actions done, %(overdue)s overdue",
                    self.counted,
                )
                % counts
            )
        return (
            ngettext(
                "%(done)s of %(total)s action done",
                "%(done)s of %(total)s actions done",
                self.counted,
            )
            % counts
        )


def progress_from(response, actions, *, today: datetime.date) -> Progress:
    """A recommendation's progress from its response (or None) and its actions."""
    progress = Progress()
    if response is not None:
        progress.decision = response.decision
        progress.decision_label = response.get_decision_display()
    for action in actions:
        progress.total += 1
        if action.status == ActionStatus.DONE:
            progress.done += 1
        elif action.status == ActionStatus.CANCELLED:
            progress.cancelled += 1
        elif action.due_on < today:
            progress.overdue += 1
    return progress


def _page_progress(page) -> dict:
    """Every recommendation's progress on a page, in two queries, cached on the page."""
    cached = page.__dict__.get("_scrutiny_progress")
    if cached is not None:
        return cached
    from ..models import RecommendationResponse

    today = timezone.localdate()
    responses = {
        response.recommendation_id: response
        for response in RecommendationResponse.objects.filter(recommendation__page_id=page.pk)
    }
    actions: dict[int, list] = {}
    for action in ActionItem.objects.filter(recommendation__page_id=page.pk).only(
        "recommendation_id", "status", "due_on"
    ):
        actions.setdefault(action.recommendation_id, []).append(action)
    cached = {
        pk: progress_from(responses.get(pk), actions.get(pk, []), today=today)
        for pk in set(responses) | set(actions)
    }
    page.__dict__["_scrutiny_progress"] = cached
    return cached


def recommendation_progress(recommendation) -> Progress:
    """One recommendation's progress, with a constant number of queries for a whole page.

    Uses the response and actions already fetched with the recommendation (see
    recommendations_for_public); otherwise fetches the whole page's progress once.
    """
    if recommendation.pk is None:
        return Progress()
    prefetched = getattr(recommendation, "_prefetched_objects_cache", {})
    if "actions" in prefetched and "response" in recommendation._state.fields_cache:
        return progress_from(
            recommendation._state.fields_cache["response"],
            prefetched["actions"],
            today=timezone.localdate(),
        )
    page = recommendation.page
    return _page_progress(page).get(recommendation.pk, Progress())


def recommendations_for_public(page):
    """A published review's recommendations with their responses and actions, in two queries."""
    return (
        Recommendation.objects.filter(page=page)
        .select_related("response")
        .prefetch_related("actions")
        .order_by("sort_order", "pk")
    )


@dataclass
class AttentionGroup:
    """The overdue and due-soon actions of one review or one serious-failure decision."""

    title: str
    url: str
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)


def actions_needing_attention(*, today: datetime.date | None = None) -> list[AttentionGroup]:
    """Overdue and due-soon actions grouped by review or decision, most overdue first."""
    today = today or timezone.localdate()
    days = ScrutinySettings.load().action_reminder_days
    items = (
        ActionItem.objects.open()
        .filter(due_on__lte=today + datetime.timedelta(days=days))
        .select_related("owner", "recommendation__page", "decision__call")
        .order_by("due_on", "pk")
    )
    groups: dict[tuple, AttentionGroup] = {}
    for item in items:
        if item.recommendation_id:
            review = item.recommendation.page
            key = ("review", review.pk)
            if key not in groups:
                groups[key] = AttentionGroup(title=review.title, url=review_plan_url(review))
        else:
            decision = item.decision
            key = ("decision", decision.pk)
            if key not in groups:
                groups[key] = AttentionGroup(
                    title=_("Serious failure: %(reference)s")
                    % {"reference": decision.call.reference},
                    url=decision_plan_url(decision),
                )
        if item.due_on < today:
            groups[key].overdue.append(item)
        else:
            groups[key].due_soon.append(item)
    return list(groups.values())
