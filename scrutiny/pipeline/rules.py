"""The seeds' rules that a move must pass, as guards the process engine checks.

Each guard takes the locked record, the acting user and what the operation was given, and
returns why the move cannot be made, in plain English, or None when it can. A guard only reads.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from ..financial_years import financial_year_bounds
from ..models import (
    CALL_STATUS_FOR_OUTCOME,
    ActionStatus,
    Appeal,
    AppealStatus,
    CallForScrutiny,
    DecisionOutcome,
    InvolvementGroup,
    MeetingKind,
    MeetingStatus,
    PanelMeeting,
    ReviewStatus,
    ScrutinyReviewPage,
    ScrutinySettings,
    StepStatus,
)
from ..roles import PANEL

# A review that has not yet reached its report: calls may still join it, steps still change.
REVIEW_RUNNING = frozenset({ReviewStatus.SCHEDULED, ReviewStatus.IN_REVIEW})


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def person_name(user) -> str:
    """A person's full name, or their username if they have none."""
    return user.get_full_name().strip() or user.get_username()


# --- Calls and the panel's decisions -------------------------------------------------------


def decision_meetings(call: CallForScrutiny) -> QuerySet[PanelMeeting]:
    """The meetings a decision on this call may name, the latest first.

    Formal meetings that were not cancelled, have begun, and began no earlier than the call
    reached the panel: the panel decides at a meeting that has taken place.
    """
    return PanelMeeting.objects.held_since(call.awaiting_panel_since)


def default_decision_meeting(call: CallForScrutiny) -> PanelMeeting | None:
    """The most recent meeting a decision may name at which the call was on the agenda."""
    on_agenda = {call.agenda_meeting_id} | set(
        call.history.exclude(agenda_meeting_id=None).values_list("agenda_meeting_id", flat=True)
    )
    return decision_meetings(call).filter(pk__in=on_agenda - {None}).first()


def _formal_meeting_held(meeting: PanelMeeting | None, *, does: str, did: str) -> str | None:
    """Whether the panel can have done something at this meeting: a formal one, not cancelled,
    that has taken place. `does` and `did` say what ("decides", "decided")."""
    if meeting is None:
        return f"Choose the meeting at which the panel {did}."
    if meeting.kind != MeetingKind.FORMAL:
        return f"{meeting} is not a formal meeting: the panel {does} at its formal meetings."
    if meeting.status == MeetingStatus.CANCELLED:
        return f"{meeting} was cancelled, so the panel cannot have {did} there."
    if meeting.starts_at > timezone.now():
        return f"{meeting} has not taken place yet: record what the panel {did} after it."
    return None


def meeting_held(call: CallForScrutiny, *, meeting: PanelMeeting | None = None, **_) -> str | None:
    """A decision names a formal meeting that took place after the call reached the panel."""
    reason = _formal_meeting_held(meeting, does="decides", did="decided")
    if reason:
        return reason
    if call.awaiting_panel_since and meeting.starts_at < call.awaiting_panel_since:
        return (
            f"{meeting} took place before {call.reference} reached the panel on "
            f"{_day(call.awaiting_panel_since)}, so it cannot have been decided there."
        )
    return None


def text_given(what: str):
    """A guard that refuses a move unless the named text was written."""

    def guard(record, *, reason: str = "", **_) -> str | None:
        return None if (reason or "").strip() else what

    guard.__doc__ = f"Refuses unless given: {what}"
    return guard


def duplicate_of_another(
    call: CallForScrutiny, *, duplicate_of: CallForScrutiny | None = None, **_
) -> str | None:
    """A duplicate names another call that is not itself closed as a duplicate."""
    if duplicate_of is None:
        return "Give the reference of the call this one repeats."
    if duplicate_of.pk == call.pk:
        return "A call cannot be a duplicate of itself."
    carried_by = (
        CallForScrutiny.objects.filter(pk=duplicate_of.pk)
        .values_list("duplicate_of__reference", flat=True)
        .first()
    )
    if carried_by:
        return (
            f"{duplicate_of.reference} is itself a duplicate: name the call that carries it on, "
            f"{carried_by}."
        )
    return None


def _undecided_appeal(call: CallForScrutiny) -> Appeal | None:
    return call.appeals.exclude(status=AppealStatus.DECIDED).first()


def no_appeal_pending(call: CallForScrutiny, **_) -> str | None:
    """Nothing ends a decision's consequences while an appeal against it is undecided."""
    appeal = _undecided_appeal(call)
    if appeal is not None:
        return f"{call.reference} has an appeal waiting for its decision ({appeal.reference})."
    return None


def appeal_time_over(call: CallForScrutiny, *, today: date | None = None, **_) -> str | None:
    """A call not accepted closes once it can no longer be appealed, or its appeal is decided."""
    if pending := no_appeal_pending(call):
        return pending
    decision = call.decisions.order_by("-decided_at", "-pk").first()
    if decision is None or decision.appeal_deadline is None:
        return None
    if call.appeals.filter(decision=decision).exists():
        return None  # decided: the appeal panel's decision is final
    today = today or timezone.localdate()
    if today <= decision.appeal_deadline:
        return (
            f"{call.reference} can be appealed until "
            f"{date_format(decision.appeal_deadline, 'j F Y')}."
        )
    return None


def serious_failure_put_right(call: CallForScrutiny, **_) -> str | None:
    """A serious-failure call closes when its immediate recommendations' actions are done."""
    decision = (
        call.decisions.filter(outcome=DecisionOutcome.SERIOUS_FAILURE)
        .order_by("-decided_at", "-pk")
        .first()
    )
    if decision is None:
        return f"{call.reference} has no serious-failure decision."
    statuses = set(decision.actions.values_list("status", flat=True))
    if ActionStatus.DONE not in statuses or statuses - {ActionStatus.DONE, ActionStatus.CANCELLED}:
        return (
            f"The actions answering the panel's immediate recommendations on {call.reference} "
            "are not all done."
        )
    return None


def review_not_reported(record, *, review: ScrutinyReviewPage | None = None, **_) -> str | None:
    """An accepted call or a referred topic joins a review only while that review has not
    reached its report."""
    if review is None:
        return "Choose the review that will answer it."
    status = ScrutinyReviewPage.objects.filter(pk=review.pk).values_list("status", flat=True)
    if status.first() not in REVIEW_RUNNING:
        name = getattr(record, "reference", None) or f"“{record}”"
        return (
            f"“{review.title}” has already reached its report, so {name} cannot join "
            "it: schedule it into a new review."
        )
    return None


# --- Reviews and their steps ----------------------------------------------------------------


def steps_finished(review: ScrutinyReviewPage, **_) -> str | None:
    """A report goes for sign-off only when every step is done or marked not needed."""
    waiting = list(
        review.steps.exclude(status__in=[StepStatus.DONE, StepStatus.SKIPPED])
        .select_related("step")
        .order_by("position")
    )
    if not waiting:
        return None
    names = "; ".join(f"{step.position}. {step.step.name}" for step in waiting)
    return (
        f"The report of “{review.title}” can go for sign-off once every step of the review is "
        f"done or marked not needed with a reason. Still to finish: {names}."
    )


def review_running(step, **_) -> str | None:
    """A review's steps change only until its report goes for sign-off."""
    review = step.review
    if review.status not in REVIEW_RUNNING:
        return (
            f"The report of “{review.title}” is {review.get_status_display().lower()}, so its "
            "steps can no longer change."
        )
    return None


# --- Appeals ----------------------------------------------------------------------------------


def appeal_exclusions(*, appeal: Appeal, users) -> dict[int, str]:
    """For each of these users who may not sit on this appeal's panel, the reason why."""
    users = list(users)
    decision = appeal.decision
    area = appeal.call.business_area
    ids = [user.pk for user in users]
    panel_ids = set(
        get_user_model().objects.filter(pk__in=ids, groups__name=PANEL).values_list("pk", flat=True)
    )
    offered_ids = set(
        InvolvementGroup.objects.filter(hears_appeals=True, members__in=ids).values_list(
            "members", flat=True
        )
    )
    serving: dict[int, str] = {}
    for group in InvolvementGroup.objects.filter(business_areas=area, members__in=ids).distinct():
        for member_pk in group.members.filter(pk__in=ids).values_list("pk", flat=True):
            serving.setdefault(member_pk, group.name)
    attendee_ids = (
        set(decision.meeting.attendees.filter(pk__in=ids).values_list("pk", flat=True))
        if decision.meeting_id
        else set()
    )
    reasons = {}
    for user in users:
        name = person_name(user)
        if user.pk in panel_ids:
            reasons[user.pk] = f"{name} sits on the scrutiny panel."
        elif user.pk == decision.decided_by_id:
            reasons[user.pk] = f"{name} recorded the panel's decision under appeal."
        elif user.pk in attendee_ids:
            reasons[user.pk] = f"{name} attended the meeting at which the panel decided this call."
        elif user.pk in serving:
            reasons[user.pk] = f"{name} is in {serving[user.pk]}, which serves {area.name}."
        elif user.pk not in offered_ids:
            reasons[user.pk] = f"{name} is in no involvement group offered for appeals."
    return reasons


def appeal_panel_problems(*, appeal: Appeal, members) -> list[str]:
    """Every reason this choice of members cannot be the appeal's panel; empty if it can."""
    members = list({user.pk: user for user in members}.values())
    config = ScrutinySettings.load()
    reasons = []
    if len(members) < config.appeal_panel_minimum:
        reasons.append(
            f"An appeal panel needs at least {config.appeal_panel_minimum} members; "
            f"{len(members)} {'was' if len(members) == 1 else 'were'} chosen."
        )
    if len(members) > config.appeal_panel_maximum:
        reasons.append(
            f"An appeal panel has at most {config.appeal_panel_maximum} members; "
            f"{len(members)} were chosen."
        )
    excluded = appeal_exclusions(appeal=appeal, users=members)
    reasons.extend(excluded[user.pk] for user in members if user.pk in excluded)
    reasons.extend(
        f"{person_name(user)} is not an active user." for user in members if not user.is_active
    )
    return reasons


def appeal_panel_independent(appeal: Appeal, *, members=(), **_) -> list[str] | None:
    """An appeal panel has the configured size and is independent of the decision."""
    return appeal_panel_problems(appeal=appeal, members=members) or None


def call_still_as_decided(appeal: Appeal, **_) -> str | None:
    """An upheld appeal moves the call only while it is still where the decision put it."""
    call = appeal.call
    if call.status != CALL_STATUS_FOR_OUTCOME[appeal.decision.outcome]:
        return (
            f"{call.reference} is {call.get_status_display().lower()} now, so the appeal can no "
            "longer change the panel's decision."
        )
    return None


# --- Meetings, members' claims ---------------------------------------------------------------


def meeting_begun(meeting: PanelMeeting, **_) -> str | None:
    """A meeting is recorded as held once it has started."""
    if meeting.starts_at > timezone.now():
        return "A meeting can be recorded as held once it has started."
    return None


def no_decisions_taken_at(meeting: PanelMeeting, **_) -> str | None:
    """A meeting at which the panel decided calls took place: it cannot be cancelled."""
    if meeting.decisions.exists():
        return (
            f"The panel took decisions at {meeting}, so it took place: record it as held "
            "instead of cancelling it."
        )
    return None


def not_own_claim(claim, *, user=None, **_) -> str | None:
    """Nobody decides their own expense claim."""
    if user is not None and claim.member.user_id == user.pk:
        return "You cannot decide your own claim."
    return None


def session_to_come(place, **_) -> str | None:
    """A place is booked or given up only before the session."""
    if place.session.held_on < timezone.localdate():
        return f"{place.session.title} has already taken place."
    return None


def session_held(place, **_) -> str | None:
    """Attendance is recorded only once the session has taken place."""
    if place.session.held_on > timezone.localdate():
        return (
            f"{place.session.title} is on {place.session.held_on:%-d %B %Y}; record who "
            "attended once it has taken place."
        )
    return None


def time_not_in_future(entry, **_) -> str | None:
    """Time is logged for work done, not work planned."""
    if entry.worked_on > timezone.localdate():
        return "Log time once the work is done: the date is in the future."
    return None


# --- The panel's year: referred topics and the effectiveness review --------------------------


def referred_at_a_past_meeting(topic, **_) -> str | None:
    """A topic is recorded as referred by a meeting of the body that has taken place."""
    if topic.referred_on is None:
        return "Give the date of the meeting that referred the topic."
    if topic.referred_on > timezone.localdate():
        return (
            f"The meeting on {topic.referred_on:%-d %B %Y} has not taken place yet: record the "
            "referral once the body has made it."
        )
    return None


def assessment_written(review, **_) -> str | list[str] | None:
    """The panel agrees its own assessment: what worked, what did not and what changes."""
    missing = [
        f"Write {label} before the panel agrees the review."
        for field, label in (
            ("what_worked", "what worked"),
            ("what_did_not", "what did not work"),
            ("changes_next_year", "what changes next year"),
        )
        if not getattr(review, field).strip()
    ]
    return missing or None


def agreed_at_a_held_meeting(review, *, meeting: PanelMeeting | None = None, **_) -> str | None:
    """The effectiveness review is agreed at a formal meeting that has taken place, during or
    after the year it looks back on."""
    reason = _formal_meeting_held(meeting, does="agrees its review", did="agreed the review")
    if reason:
        return reason
    first_day, _last = financial_year_bounds(review.financial_year)
    if timezone.localdate(meeting.starts_at) < first_day:
        return (
            f"{meeting} took place before {review.financial_year_label} began, so the panel "
            "cannot have reviewed that year there."
        )
    return None


def acknowledged_after_agreement(review, *, acknowledged_on: date | None = None, **_):
    """The body acknowledges a review the panel has agreed, on a day that has come."""
    if acknowledged_on is None:
        return "Give the date on which the oversight body acknowledged the review."
    if acknowledged_on > timezone.localdate():
        return "That date is in the future: record the acknowledgement once it is given."
    agreed_on = timezone.localdate(review.meeting.starts_at) if review.meeting_id else None
    if agreed_on and acknowledged_on < agreed_on:
        return (
            f"The panel agreed the review on {agreed_on:%-d %B %Y}; the body cannot have "
            "acknowledged it before then."
        )
    return None
