"""Reads for the dashboard's "Your work": what waits for each person, and since when.

Each date is when the record reached the state it waits in (a call's arrival at the panel, a
claim's submission, an action's due date), never its last save.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.models import GroupApprovalTask, Page, TaskState, WorkflowState

from .. import permissions
from ..models import (
    ActionItem,
    Appeal,
    AppealStatus,
    ApplicationStage,
    CallForScrutiny,
    CallStatus,
    ExpenseClaim,
    ExpenseStatus,
    Monitoring,
    MonitoringStatus,
    OutcomesReportPage,
    PanelApplication,
    PanelMeeting,
    Petition,
    PetitionStatus,
    Recommendation,
    ReviewStatus,
    ReviewStepProgress,
    ScrutinyReviewPage,
)
from .reviews import review_progress

# How many records a section lists; its link opens the rest.
LIMIT = 10
# A petition closing within this many days, or a monitoring review due within them, is listed.
SOON = timedelta(days=7)


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting: a link to it, and the date that says how long it has waited."""

    label: str
    url: str
    day: date | None
    # How the date reads, with %(date)s for it: "waiting since %(date)s".
    when: str = gettext_lazy("waiting since %(date)s")
    detail: str = ""

    @property
    def dated(self) -> str:
        """ "waiting since 3 September 2026", or "" without a date."""
        return self.when % {"date": date_format(self.day, "j F Y")} if self.day else ""


@dataclass
class WorkSection:
    """One kind of work: its items, what to say when there are none, and where all of it is."""

    key: str
    title: str
    empty: str
    items: list[WorkItem] = field(default_factory=list)
    all_url: str = ""
    all_label: str = ""


def _day(moment) -> date | None:
    if moment is None:
        return None
    return timezone.localdate(moment) if hasattr(moment, "tzinfo") else moment


def _call_url(call_pk: int) -> str:
    return reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[call_pk])


def _short(text: str, length: int = 90) -> str:
    return Truncator(" ".join(text.split())).chars(length)


# Officers.


def calls_to_triage() -> WorkSection:
    """Calls not yet past triage, oldest first, dated from their arrival in that state."""
    calls = (
        CallForScrutiny.objects.filter(status__in=[CallStatus.SUBMITTED, CallStatus.TRIAGE])
        .select_related("business_area")
        .only("pk", "reference", "status", "status_changed_at", "business_area__name")
        .order_by("status_changed_at", "pk")[:LIMIT]
    )
    return WorkSection(
        key="triage",
        title=_("New calls to triage"),
        empty=_("No new calls to triage."),
        items=[
            WorkItem(
                label=_("%(reference)s: %(service)s")
                % {"reference": call.reference, "service": call.business_area.name},
                url=_call_url(call.pk),
                day=_day(call.status_changed_at),
                when=_("new since %(date)s")
                if call.status == CallStatus.SUBMITTED
                else _("in triage since %(date)s"),
            )
            for call in calls
        ],
        all_url=reverse("wagtailsnippets_scrutiny_callforscrutiny:list"),
        all_label=_("All calls for scrutiny"),
    )


def support_requests() -> WorkSection:
    """Open calls whose resident asked for help that nobody has recorded giving yet."""
    calls = (
        CallForScrutiny.objects.filter(support_requested=True, support_given_at__isnull=True)
        .exclude(status=CallStatus.CLOSED)
        .select_related("business_area")
        .only("pk", "reference", "submitted_at", "business_area__name")
        .order_by("submitted_at", "pk")[:LIMIT]
    )
    return WorkSection(
        key="support",
        title=_("Residents who asked for help"),
        empty=_("No resident is waiting for help."),
        items=[
            WorkItem(
                label=_("%(reference)s: %(service)s")
                % {"reference": call.reference, "service": call.business_area.name},
                url=_call_url(call.pk),
                day=_day(call.submitted_at),
                when=_("asked on %(date)s"),
            )
            for call in calls
        ],
    )


def petitions_to_watch(*, today: date) -> WorkSection:
    """Open petitions that have reached their target or close within a week."""
    petitions = (
        Petition.objects.filter(status=PetitionStatus.OPEN)
        .filter(Q(target_reached_at__isnull=False) | Q(closes_on__lte=today + SOON))
        .only("pk", "title", "closes_on", "target_reached_at", "people_counted", "target")
        .order_by("closes_on", "pk")[:LIMIT]
    )
    items = []
    for petition in petitions:
        reached = petition.target_reached_at is not None
        items.append(
            WorkItem(
                label=petition.title,
                url=reverse("wagtailsnippets_scrutiny_petition:inspect", args=[petition.pk]),
                day=_day(petition.target_reached_at) if reached else petition.closes_on,
                when=_("reached its target on %(date)s") if reached else _("closes on %(date)s"),
                detail=ngettext(
                    "%(count)s of %(target)s signature",
                    "%(count)s of %(target)s signatures",
                    petition.target,
                )
                % {"count": petition.people_counted, "target": petition.target},
            )
        )
    return WorkSection(
        key="petitions",
        title=_("Petitions at their target or closing soon"),
        empty=_("No petition is at its target or closing within a week."),
        items=items,
    )


def appeals_to_convene() -> WorkSection:
    """Appeals received and waiting for an appeal panel."""
    appeals = (
        Appeal.objects.filter(status=AppealStatus.RECEIVED)
        .select_related("call")
        .only("pk", "reference", "received_at", "call__reference")
        .order_by("received_at", "pk")[:LIMIT]
    )
    return WorkSection(
        key="appeals_to_convene",
        title=_("Appeals to convene"),
        empty=_("No appeal is waiting for a panel."),
        items=[
            WorkItem(
                label=_("%(reference)s: appeal on %(call)s")
                % {"reference": appeal.reference, "call": appeal.call.reference},
                url=reverse("wagtailsnippets_scrutiny_appeal:inspect", args=[appeal.pk]),
                day=_day(appeal.received_at),
                when=_("received %(date)s"),
            )
            for appeal in appeals
        ],
    )


def applications_to_read() -> WorkSection:
    """Applications to join the panel not yet shortlisted or declined."""
    applications = (
        PanelApplication.objects.filter(stage=ApplicationStage.RECEIVED)
        .only("pk", "name", "submitted_at")
        .order_by("submitted_at", "pk")[:LIMIT]
    )
    return WorkSection(
        key="applications",
        title=_("Applications to join the panel"),
        empty=_("No new applications to join the panel."),
        items=[
            WorkItem(
                label=application.name,
                url=reverse(
                    "wagtailsnippets_scrutiny_panelapplication:inspect", args=[application.pk]
                ),
                day=_day(application.submitted_at),
                when=_("received %(date)s"),
            )
            for application in applications
        ],
    )


def claims_to_check() -> WorkSection:
    """Expense claims waiting for approval."""
    claims = (
        ExpenseClaim.objects.filter(status=ExpenseStatus.SUBMITTED)
        .select_related("member__user")
        .order_by("submitted_at", "pk")[:LIMIT]
    )
    return WorkSection(
        key="claims",
        title=_("Expense claims to check"),
        empty=_("No expense claims to check."),
        items=[
            WorkItem(
                label=_("%(member)s: £%(amount)s")
                % {"member": claim.member, "amount": claim.amount},
                url=reverse("wagtailsnippets_scrutiny_expenseclaim:inspect", args=[claim.pk]),
                day=_day(claim.submitted_at),
                when=_("claimed %(date)s"),
            )
            for claim in claims
        ],
    )


def _action_item(item: ActionItem, *, today: date) -> WorkItem:
    if item.recommendation_id:
        where = item.recommendation.page.title
        url = reverse("scrutiny_actions:review", args=[item.recommendation.page_id])
    else:
        where = _("Serious failure: %(reference)s") % {"reference": item.decision.call.reference}
        url = reverse("scrutiny_actions:decision", args=[item.decision_id])
    return WorkItem(
        label=_short(item.action),
        url=url,
        day=item.due_on,
        when=_("overdue since %(date)s") if item.due_on < today else _("due %(date)s"),
        detail=where,
    )


def _actions():
    return ActionItem.objects.select_related("recommendation__page", "decision__call").order_by(
        "due_on", "pk"
    )


def overdue_actions(*, today: date) -> WorkSection:
    """Open actions past their due date, most overdue first."""
    items = _actions().overdue(today)[:LIMIT]
    return WorkSection(
        key="overdue_actions",
        title=_("Overdue actions"),
        empty=_("No action is overdue."),
        items=[_action_item(item, today=today) for item in items],
        all_url=reverse("scrutiny_actions:index"),
        all_label=_("All action plans"),
    )


def monitoring_due(*, today: date) -> WorkSection:
    """Services the panel monitors whose review date has come, or comes within a week."""
    watches = (
        Monitoring.objects.filter(status=MonitoringStatus.WATCHING, review_on__lte=today + SOON)
        .select_related("call__business_area")
        .order_by("review_on", "pk")[:LIMIT]
    )
    return WorkSection(
        key="monitoring",
        title=_("Monitoring reviews due"),
        empty=_("No monitoring review is due."),
        items=[
            WorkItem(
                label=_("%(reference)s: %(service)s")
                % {"reference": watch.call.reference, "service": watch.call.business_area.name},
                url=_call_url(watch.call_id),
                day=watch.review_on,
                when=_("review due %(date)s"),
                detail=_short(watch.watching, 60),
            )
            for watch in watches
        ],
    )


# The panel.


def calls_for_next_meeting() -> WorkSection:
    """The calls awaiting the panel on the next formal meeting's agenda, in agenda order."""
    meeting = PanelMeeting.objects.upcoming_formal().first()
    if meeting is None:
        return WorkSection(
            key="next_meeting",
            title=_("Calls for the next meeting"),
            empty=_("No formal meeting is scheduled."),
        )
    calls = (
        meeting.agenda_calls.filter(status=CallStatus.AWAITING_PANEL)
        .select_related("business_area")
        .only("pk", "reference", "awaiting_panel_since", "business_area__name")
        .order_by("awaiting_panel_since", "submitted_at", "pk")[:LIMIT]
    )
    when = date_format(timezone.localtime(meeting.starts_at), "j F Y")
    return WorkSection(
        key="next_meeting",
        title=_("Calls for the next meeting, %(date)s") % {"date": when},
        empty=_("No calls are on the next meeting's agenda."),
        items=[
            WorkItem(
                label=_("%(reference)s: %(service)s")
                % {"reference": call.reference, "service": call.business_area.name},
                url=_call_url(call.pk),
                day=_day(call.awaiting_panel_since),
                when=_("with the panel since %(date)s"),
            )
            for call in calls
        ],
        all_url=reverse("wagtailsnippets_scrutiny_panelmeeting:inspect", args=[meeting.pk]),
        all_label=_("The meeting's agenda"),
    )


def reviews_in_progress() -> WorkSection:
    """Reviews under way, each with its next step."""
    reviews = (
        ScrutinyReviewPage.objects.filter(status=ReviewStatus.IN_REVIEW)
        .only("pk", "title", "starts_on", "status")
        .prefetch_related(
            Prefetch("steps", queryset=ReviewStepProgress.objects.select_related("step"))
        )
        .order_by("starts_on", "pk")[:LIMIT]
    )
    items = []
    for review in reviews:
        progress = review_progress(review)
        current = next(
            (step for step in review.steps.all() if step.position == progress.position), None
        )
        started = current.started_on if current and current.started_on else review.starts_on
        next_step = (
            _("Next step: %(step)s (%(progress)s)")
            % {"step": progress.current, "progress": progress.label}
            if progress.position
            else _("Steps: %(progress)s") % {"progress": progress.label}
        )
        items.append(
            WorkItem(
                label=review.title,
                url=reverse("scrutiny_reviews:run", args=[review.pk]),
                day=started,
                when=_("since %(date)s"),
                detail=next_step,
            )
        )
    return WorkSection(
        key="reviews",
        title=_("Reviews in progress"),
        empty=_("No review is in progress."),
        items=items,
        all_url=reverse("scrutiny_reviews:index"),
        all_label=_("All reviews"),
    )


def _pages_awaiting(user, *, key: str, title: str, empty: str) -> WorkSection:
    """Pages waiting at a workflow task this user's groups approve (a report to sign off)."""
    tasks = GroupApprovalTask.objects.filter(active=True)
    if not user.is_superuser:
        tasks = tasks.filter(groups__in=user.groups.all())
    states = (
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            task__in=tasks.values("pk"),
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
        )
        .select_related("workflow_state", "task")
        .order_by("started_at", "pk")[:LIMIT]
    )
    states = list(states)
    titles = dict(
        Page.objects.filter(
            pk__in=[int(state.workflow_state.object_id) for state in states]
        ).values_list("pk", "title")
    )
    return WorkSection(
        key=key,
        title=title,
        empty=empty,
        items=[
            WorkItem(
                label=titles.get(int(state.workflow_state.object_id), _("A page")),
                url=reverse("wagtailadmin_pages:edit", args=[state.workflow_state.object_id]),
                day=_day(state.started_at),
                when=_("waiting since %(date)s"),
                detail=state.task.name,
            )
            for state in states
        ],
    )


# Appeal panel members.


def appeals_sat_on(user) -> WorkSection:
    """The undecided appeals whose panel includes this user."""
    appeals = (
        Appeal.objects.filter(panel=user)
        .exclude(status=AppealStatus.DECIDED)
        .select_related("call")
        .only("pk", "reference", "received_at", "convened_at", "call__reference")
        .order_by("convened_at", "pk")[:LIMIT]
    )
    return WorkSection(
        key="my_appeals",
        title=_("Your appeals"),
        empty=_("No appeal is waiting for you."),
        items=[
            WorkItem(
                label=_("%(reference)s: appeal on %(call)s")
                % {"reference": appeal.reference, "call": appeal.call.reference},
                url=reverse("wagtailsnippets_scrutiny_appeal:inspect", args=[appeal.pk]),
                day=_day(appeal.convened_at or appeal.received_at),
                when=_("panel convened %(date)s") if appeal.convened_at else _("received %(date)s"),
            )
            for appeal in appeals
        ],
    )


# Managers and the people named on the record.


def recommendations_to_answer(user, *, everyone: bool) -> WorkSection:
    """Published recommendations without a response: all of them, or those the user answers."""
    recommendations = Recommendation.objects.filter(
        response__isnull=True, page__status=ReviewStatus.REPORTED
    )
    if not everyone:
        recommendations = recommendations.filter(
            Q(responsible=user)
            | Q(responsible__isnull=True, page__business_area__head_of_operations=user)
        )
    recommendations = recommendations.select_related("page").order_by(
        "page__first_published_at", "page_id", "sort_order", "pk"
    )[:LIMIT]
    return WorkSection(
        key="recommendations",
        title=_("Recommendations to answer"),
        empty=_("No recommendation is waiting for an answer."),
        items=[
            WorkItem(
                label=_short(recommendation.recommendation),
                url=reverse("scrutiny_actions:review", args=[recommendation.page_id]),
                day=_day(recommendation.page.first_published_at),
                when=_("published %(date)s"),
                detail=recommendation.page.title,
            )
            for recommendation in recommendations
        ],
    )


def actions_owned(user, *, today: date) -> WorkSection:
    """The open actions this user owns, soonest due first."""
    items = _actions().open().filter(owner=user)
    return WorkSection(
        key="my_actions",
        title=_("Actions you own"),
        empty=_("You own no open actions."),
        items=[_action_item(item, today=today) for item in items[:LIMIT]],
    )


# Communications.


def pages_waiting(user) -> WorkSection:
    """Outcomes reports drafted and not yet published, and pages in moderation."""
    drafts = list(
        OutcomesReportPage.objects.filter(Q(live=False) | Q(has_unpublished_changes=True))
        .only("pk", "title", "latest_revision_created_at")
        .order_by("latest_revision_created_at", "pk")[:LIMIT]
    )
    moderated = list(
        WorkflowState.objects.active()
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .select_related("current_task_state__task")
        .order_by("created_at", "pk")[:LIMIT]
    )
    titles = dict(
        Page.objects.filter(pk__in=[int(state.object_id) for state in moderated]).values_list(
            "pk", "title"
        )
    )
    items = [
        WorkItem(
            label=page.title,
            url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
            day=_day(page.latest_revision_created_at),
            when=_("drafted %(date)s"),
            detail=_("Outcomes report to publish"),
        )
        for page in drafts
    ]
    for state in moderated:
        task = state.current_task_state.task if state.current_task_state else None
        items.append(
            WorkItem(
                label=titles.get(int(state.object_id), _("A page")),
                url=reverse("wagtailadmin_pages:edit", args=[state.object_id]),
                day=_day(state.created_at),
                when=_("in moderation since %(date)s"),
                detail=_("With %(task)s") % {"task": task.name} if task else _("In moderation"),
            )
        )
    return WorkSection(
        key="pages",
        title=_("Pages waiting for you"),
        empty=_("No page is waiting for you."),
        items=items[:LIMIT],
    )


@dataclass
class RoleWork:
    """The sections of work for one of the person's roles."""

    role: str
    sections: list[WorkSection]


def work_for(user, *, today: date | None = None) -> list[RoleWork]:
    """Everything waiting for this user, by role; each role's sections in the order of the work."""
    today = today or timezone.localdate()
    if not user.is_active:
        return []
    work = []
    if permissions.can_manage_calls(user):
        work.append(
            RoleWork(
                _("Scrutiny officer"),
                [
                    calls_to_triage(),
                    support_requests(),
                    petitions_to_watch(today=today),
                    appeals_to_convene(),
                    applications_to_read(),
                    claims_to_check(),
                    overdue_actions(today=today),
                    monitoring_due(today=today),
                ],
            )
        )
    if permissions.may_decide_calls(user):
        work.append(
            RoleWork(
                _("Panel member"),
                [
                    calls_for_next_meeting(),
                    reviews_in_progress(),
                    _pages_awaiting(
                        user,
                        key="sign_off",
                        title=_("Reports to sign off"),
                        empty=_("No report is waiting for your sign-off."),
                    ),
                ],
            )
        )
    if permissions.may_view_appeals(user) and not permissions.may_view_all_appeals(user):
        work.append(RoleWork(_("Appeal panel member"), [appeals_sat_on(user)]))
    if permissions.may_answer_recommendations(user):
        work.append(
            RoleWork(
                _("Manager"),
                [
                    recommendations_to_answer(user, everyone=True),
                    actions_owned(user, today=today),
                    _pages_awaiting(
                        user,
                        key="approvals",
                        title=_("Approvals waiting for you"),
                        empty=_("No report is waiting for your approval."),
                    ),
                ],
            )
        )
    else:
        # A head of operations in no manager group answers their own recommendations.
        named = [
            section
            for section in (
                recommendations_to_answer(user, everyone=False),
                actions_owned(user, today=today),
            )
            if section.items
        ]
        if named:
            work.append(RoleWork(_("Named on the record"), named))
    if user_has_any_page_permission(user):
        work.append(RoleWork(_("Communications"), [pages_waiting(user)]))
    return work
