"""The seeds' rules that a move must pass, as guards the process engine checks.

Each guard takes the locked record, the acting user and what the operation was given, and
returns why the move cannot be made, in plain English (translated), or None when it can. A guard
only reads.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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


# Why the panel cannot have done something at a meeting, for each thing it does there: what
# is missing ("none"), a meeting that is not formal, one cancelled, and one still to come.
DECISION_MEETING = {
    "none": gettext_lazy("Choose the meeting at which the panel decided."),
    "not_formal": gettext_lazy(
        "%(meeting)s is not a formal meeting: the panel decides at its formal meetings."
    ),
    "cancelled": gettext_lazy("%(meeting)s was cancelled, so the panel cannot have decided there."),
    "to_come": gettext_lazy(
        "%(meeting)s has not taken place yet: record what the panel decided after it."
    ),
}
AGREEMENT_MEETING = {
    "none": gettext_lazy("Choose the meeting at which the panel agreed the review."),
    "not_formal": gettext_lazy(
        "%(meeting)s is not a formal meeting: the panel agrees its review at its formal meetings."
    ),
    "cancelled": gettext_lazy(
        "%(meeting)s was cancelled, so the panel cannot have agreed the review there."
    ),
    "to_come": gettext_lazy(
        "%(meeting)s has not taken place yet: record that the panel agreed the review after it."
    ),
}


def _formal_meeting_held(meeting: PanelMeeting | None, *, refusals: dict) -> str | None:
    """Whether the panel can have done something at this meeting: a formal one, not cancelled,
    that has taken place. `refusals` say why not (DECISION_MEETING, AGREEMENT_MEETING)."""
    if meeting is None:
        return str(refusals["none"])
    if meeting.kind != MeetingKind.FORMAL:
        return refusals["not_formal"] % {"meeting": meeting}
    if meeting.status == MeetingStatus.CANCELLED:
        return refusals["cancelled"] % {"meeting": meeting}
    if meeting.starts_at > timezone.now():
        return refusals["to_come"] % {"meeting": meeting}
    return None


def meeting_held(
    call: CallForScrutiny, *, meeting: PanelMeeting | None = None, **context
) -> str | None:
    """A decision names a formal meeting that took place after the call reached the panel."""
    reason = _formal_meeting_held(meeting, refusals=DECISION_MEETING)
    if reason:
        return reason
    if call.awaiting_panel_since and meeting.starts_at < call.awaiting_panel_since:
        return _(
            "%(meeting)s took place before %(reference)s reached the panel on %(date)s, so it "
            "cannot have been decided there."
        ) % {
            "meeting": meeting,
            "reference": call.reference,
            "date": _day(call.awaiting_panel_since),
        }
    return None


def text_given(what: str):
    """A guard that refuses a move unless the named text was written (`what` says which, lazily
    translated)."""

    def guard(record, *, reason: str = "", **context) -> str | None:
        return None if (reason or "").strip() else str(what)

    guard.__doc__ = "Refuses unless the text is given."
    return guard


def duplicate_of_another(
    call: CallForScrutiny, *, duplicate_of: CallForScrutiny | None = None, **context
) -> str | None:
    """A duplicate names another call that is not itself closed as a duplicate."""
    if duplicate_of is None:
        return _("Give the reference of the call this one repeats.")
    if duplicate_of.pk == call.pk:
        return _("A call cannot be a duplicate of itself.")
    carried_by = (
        CallForScrutiny.objects.filter(pk=duplicate_of.pk)
        .values_list("duplicate_of__reference", flat=True)
        .first()
    )
    if carried_by:
        return _(
            "%(reference)s is itself a duplicate: name the call that carries it on, %(carrier)s."
        ) % {"reference": duplicate_of.reference, "carrier": carried_by}
    return None


def _undecided_appeal(call: CallForScrutiny) -> Appeal | None:
    return call.appeals.exclude(status=AppealStatus.DECIDED).first()


def no_appeal_pending(call: CallForScrutiny, **context) -> str | None:
    """Nothing ends a decision's consequences while an appeal against it is undecided."""
    appeal = _undecided_appeal(call)
    if appeal is not None:
        return _("%(reference)s has an appeal waiting for its decision (%(appeal)s).") % {
            "reference": call.reference,
            "appeal": appeal.reference,
        }
    return None


def appeal_time_over(call: CallForScrutiny, *, today: date | None = None, **context) -> str | None:
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
        return _("%(reference)s can be appealed until %(date)s.") % {
            "reference": call.reference,
            "date": date_format(decision.appeal_deadline, "j F Y"),
        }
    return None


def serious_failure_put_right(call: CallForScrutiny, **context) -> str | None:
    """A serious-failure call closes when its immediate recommendations' actions are done."""
    decision = (
        call.decisions.filter(outcome=DecisionOutcome.SERIOUS_FAILURE)
        .order_by("-decided_at", "-pk")
        .first()
    )
    if decision is None:
        return _("%(reference)s has no serious-failure decision.") % {"reference": call.reference}
    statuses = set(decision.actions.values_list("status", flat=True))
    if ActionStatus.DONE not in statuses or statuses - {ActionStatus.DONE, ActionStatus.CANCELLED}:
        return _(
            "The actions answering the panel's immediate recommendations on %(reference)s are "
            "not all done."
        ) % {"reference": call.reference}
    return None


def review_not_reported(
    record, *, review: ScrutinyReviewPage | None = None, **context
) -> str | None:
    """An accepted call or a referred topic joins a review only while that review has not
    reached its report."""
    if review is None:
        return _("Choose the review that will answer it.")
    status = ScrutinyReviewPage.objects.filter(pk=review.pk).values_list("status", flat=True)
    if status.first() not in REVIEW_RUNNING:
        reference = getattr(record, "reference", None)
        if reference:
            return _(
                "“%(review)s” has already reached its report, so %(reference)s cannot join it: "
                "schedule it into a new review."
            ) % {"review": review.title, "reference": reference}
        return _(
            "“%(review)s” has already reached its report, so “%(topic)s” cannot join it: "
            "schedule it into a new review."
        ) % {"review": review.title, "topic": record}
    return None


# --- Reviews and their steps ----------------------------------------------------------------


def steps_finished(review: ScrutinyReviewPage, **context) -> str | None:
    """A report goes for sign-off only when every step is done or marked not needed."""
    waiting = list(
        review.steps.exclude(status__in=[StepStatus.DONE, StepStatus.SKIPPED])
        .select_related("step")
        .order_by("position")
    )
    if not waiting:
        return None
    # Translators: a list separator between the steps still to finish.
    separator = _("; ")
    names = separator.join(
        _("%(position)s. %(name)s") % {"position": step.position, "name": step.step.name}
        for step in waiting
    )
    return _(
        "The report of “%(review)s” can go for sign-off once every step of the review is done or "
        "marked not needed with a reason. Still to finish: %(steps)s."
    ) % {"review": review.title, "steps": names}


def review_running(step, **context) -> str | None:
    """A review's steps change only until its report goes for sign-off."""
    review = step.review
    if review.status not in REVIEW_RUNNING:
        return _("The report of “%(review)s” is %(status)s, so its steps can no longer change.") % {
            "review": review.title,
            "status": review.get_status_display().lower(),
        }
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
            reasons[user.pk] = _("%(name)s sits on the scrutiny panel.") % {"name": name}
        elif user.pk == decision.decided_by_id:
            reasons[user.pk] = _("%(name)s recorded the panel's decision under appeal.") % {
                "name": name
            }
        elif user.pk in attendee_ids:
            reasons[user.pk] = _(
                "%(name)s attended the meeting at which the panel decided this call."
            ) % {"name": name}
        elif user.pk in serving:
            reasons[user.pk] = _("%(name)s is in %(group)s, which serves %(area)s.") % {
                "name": name,
                "group": serving[user.pk],
                "area": area.name,
            }
        elif user.pk not in offered_ids:
            reasons[user.pk] = _("%(name)s is in no involvement group offered for appeals.") % {
                "name": name
            }
    return reasons


def appeal_panel_problems(*, appeal: Appeal, members) -> list[str]:
    """Every reason this choice of members cannot be the appeal's panel; empty if it can."""
    members = list({user.pk: user for user in members}.values())
    config = ScrutinySettings.load()
    reasons = []
    chosen = len(members)
    sizes = {
        "minimum": config.appeal_panel_minimum,
        "maximum": config.appeal_panel_maximum,
        "chosen": chosen,
    }
    if chosen < config.appeal_panel_minimum:
        reasons.append(
            ngettext(
                # Translators: the count is of the members chosen; the minimum is always several.
                "An appeal panel needs at least %(minimum)s members; %(chosen)s was chosen.",
                "An appeal panel needs at least %(minimum)s members; %(chosen)s were chosen.",
                chosen,
            )
            % sizes
        )
    if chosen > config.appeal_panel_maximum:
        reasons.append(
            ngettext(
                "An appeal panel has at most %(maximum)s members; %(chosen)s was chosen.",
                "An appeal panel has at most %(maximum)s members; %(chosen)s were chosen.",
                chosen,
            )
            % sizes
        )
    excluded = appeal_exclusions(appeal=appeal, users=members)
    reasons.extend(excluded[user.pk] for user in members if user.pk in excluded)
    reasons.extend(
        _("%(name)s is not an active user.") % {"name": person_name(user)}
        for user in members
        if not user.is_active
    )
    return reasons


def appeal_panel_independent(appeal: Appeal, *, members=(), **context) -> list[str] | None:
    """An appeal panel has the configured size and is independent of the decision."""
    return appeal_panel_problems(appeal=appeal, members=members) or None


def call_still_as_decided(appeal: Appeal, **context) -> str | None:
    """An upheld appeal moves the call only while it is still where the decision put it."""
    call = appeal.call
    if call.status != CALL_STATUS_FOR_OUTCOME[appeal.decision.outcome]:
        return _(
            "%(reference)s is %(status)s now, so the appeal can no longer change the panel's "
            "decision."
        ) % {"reference": call.reference, "status": call.get_status_display().lower()}
    return None


# --- Meetings, members' claims ---------------------------------------------------------------


def meeting_begun(meeting: PanelMeeting, **context) -> str | None:
    """A meeting is recorded as held once it has started."""
    if meeting.starts_at > timezone.now():
        return _("A meeting can be recorded as held once it has started.")
    return None


def no_decisions_taken_at(meeting: PanelMeeting, **context) -> str | None:
    """A meeting at which the panel decided calls took place: it cannot be cancelled."""
    if meeting.decisions.exists():
        return _(
            "The panel took decisions at %(meeting)s, so it took place: record it as held "
            "instead of cancelling it."
        ) % {"meeting": meeting}
    return None


def not_own_claim(claim, *, user=None, **context) -> str | None:
    """Nobody decides their own expense claim."""
    if user is not None and claim.member.user_id == user.pk:
        return _("You cannot decide your own claim.")
    return None


def session_to_come(place, **context) -> str | None:
    """A place is booked or given up only before the session."""
    if place.session.held_on < timezone.localdate():
        return _("%(session)s has already taken place.") % {"session": place.session.title}
    return None


def session_held(place, **context) -> str | None:
    """Attendance is recorded only once the session has taken place."""
    if place.session.held_on > timezone.localdate():
        return _("%(session)s is on %(date)s; record who attended once it has taken place.") % {
            "session": place.session.title,
            "date": date_format(place.session.held_on, "j F Y"),
        }
    return None


def time_not_in_future(entry, **context) -> str | None:
    """Time is logged for work done, not work planned."""
    if entry.worked_on > timezone.localdate():
        return _("Log time once the work is done: the date is in the future.")
    return None


# --- The panel's year: referred topics and the effectiveness review --------------------------


def referred_at_a_past_meeting(topic, **context) -> str | None:
    """A topic is recorded as referred by a meeting of the body that has taken place."""
    if topic.referred_on is None:
        return _("Give the date of the meeting that referred the topic.")
    if topic.referred_on > timezone.localdate():
        return _(
            "The meeting on %(date)s has not taken place yet: record the referral once the body "
            "has made it."
        ) % {"date": date_format(topic.referred_on, "j F Y")}
    return None


# What is missing from the panel's assessment, by field.
ASSESSMENT_MISSING = {
    "what_worked": gettext_lazy("Write what worked before the panel agrees the review."),
    "what_did_not": gettext_lazy("Write what did not work before the panel agrees the review."),
    "changes_next_year": gettext_lazy(
        "Write what changes next year before the panel agrees the review."
    ),
}


def assessment_written(review, **context) -> str | list[str] | None:
    """The panel agrees its own assessment: what worked, what did not and what changes."""
    missing = [
        str(message)
        for field, message in ASSESSMENT_MISSING.items()
        if not getattr(review, field).strip()
    ]
    return missing or None


def agreed_at_a_held_meeting(
    review, *, meeting: PanelMeeting | None = None, **context
) -> str | None:
    """The effectiveness review is agreed at a formal meeting that has taken place, during or
    after the year it looks back on."""
    reason = _formal_meeting_held(meeting, refusals=AGREEMENT_MEETING)
    if reason:
        return reason
    first_day, _last = financial_year_bounds(review.financial_year)
    if timezone.localdate(meeting.starts_at) < first_day:
        return _(
            "%(meeting)s took place before %(year)s began, so the panel cannot have reviewed "
            "that year there."
        ) % {"meeting": meeting, "year": review.financial_year_label}
    return None


def acknowledged_after_agreement(review, *, acknowledged_on: date | None = None, **context):
    """The body acknowledges a review the panel has agreed, on a day that has come."""
    if acknowledged_on is None:
        return _("Give the date on which the oversight body acknowledged the review.")
    if acknowledged_on > timezone.localdate():
        return _("That date is in the future: record the acknowledgement once it is given.")
    agreed_on = timezone.localdate(review.meeting.starts_at) if review.meeting_id else None
    if agreed_on and acknowledged_on < agreed_on:
        return _(
            "The panel agreed the review on %(date)s; the body cannot have acknowledged it "
            "before then."
        ) % {"date": date_format(agreed_on, "j F Y")}
    return None
