"""The process engine: every status of every process record changes here, and only here.

Each model that moves through the process has one table of moves (`MACHINES`): from which
states, to which, who may make it, what must be true first (guards, in `rules`), the log action
it is recorded under and who is told. `apply` is the one path that makes a move: it locks the
row, checks the move and its guards, refuses in plain English, sets the status, saves with the
acting user in the history, logs, and queues notifications once the transaction commits.

The operations in `scrutiny.pipeline` call `apply`; views, admin buttons, Wagtail task actions,
tasks and commands call the operations. The same tables give the admin its buttons.

Records with no states of their own are changed by the moves of the record they belong to: a
panel decision is made by a call's decide move, an appeal panel by the appeal's convene move, a
report by its review's moves, a response to a recommendation by the action plan's operations.
"""

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry

from .. import permissions
from ..models import (
    ActionItem,
    ActionStatus,
    Appeal,
    AppealStatus,
    ApplicationStage,
    CallForScrutiny,
    CallStatus,
    EffectivenessReview,
    EffectivenessStatus,
    ExpenseClaim,
    ExpenseStatus,
    MeetingStatus,
    Monitoring,
    MonitoringStatus,
    PanelApplication,
    PanelMeeting,
    Petition,
    PetitionStatus,
    PlaceStatus,
    ReferralStatus,
    ReferredTopic,
    ReviewStatus,
    ReviewStepProgress,
    ScrutinyReviewPage,
    StepStatus,
    TimeEntry,
    TimeStatus,
    TrainingPlace,
)
from ..notifications import queue_task
from . import rules

# The state of a record that is being created.
BORN = None

# True while `apply` saves a move: a check in the test suite refuses any other status write.
_applying: ContextVar[bool] = ContextVar("scrutiny_applying", default=False)


def applying() -> bool:
    """Whether the engine is saving a move right now."""
    return _applying.get()


class TransitionNotAllowed(Exception):
    """The rules refuse this change; the message says why in plain English.

    `reasons` lists each problem when there is more than one (an appeal panel's members).
    """

    def __init__(self, message: str, *, reasons: list[str] | None = None):
        super().__init__(message)
        self.reasons = reasons or [message]


Guard = Callable[..., str | list[str] | None]


@dataclass(frozen=True)
class Move:
    """One allowed change of a record's state."""

    name: str
    label: str
    sources: frozenset
    # None: the record stays where it is (a panel changed, a review date put back).
    target: str | None
    action: str
    # A permission name, or a predicate (user, record) -> bool; None for the resident's own
    # moves and the system's, which their operations alone make.
    permission: str | Callable | None = None
    # Who may make it, for the refusal: "Only {who} may ...".
    who: str = ""
    guards: tuple[Guard, ...] = ()
    # Tasks queued with the record's primary key once the move commits.
    notify: tuple[str, ...] = ()
    # Offered as a button on the record's admin page.
    button: bool = False
    # Past tense shared by moves of one kind ("decided"), for "already decided by ... at ...".
    done: str = ""
    # The refusal when the record is not in a source state: {record}, {state} and {label}.
    refusal: str = ""


@dataclass(frozen=True)
class Machine:
    """A model's states and the moves between them."""

    model: type[models.Model]
    moves: tuple[Move, ...]
    # States the process ends in: a record there needs no way out.
    final: frozenset
    field: str = "status"
    # Set to the moment of every change of state, where the model keeps one.
    changed_at: str = ""
    # Pages change state without a new revision; Wagtail's log is their history.
    page: bool = False
    # How a record is named in a refusal, and which object its log entries are written on.
    name_of: Callable = str
    log_on: Callable = lambda record: record  # noqa: E731

    def move(self, name: str) -> Move:
        """The move with this name, or a refusal saying there is none."""
        for move in self.moves:
            if move.name == name:
                return move
        raise TransitionNotAllowed(f"There is no step called '{name}'.")

    def state_of(self, record) -> str:
        return getattr(record, self.field)

    def state_label(self, state) -> str:
        return str(dict(self.model._meta.get_field(self.field).choices).get(state, state))

    def moves_from(self, state) -> list[Move]:
        """Every move out of a state, in table order."""
        return [move for move in self.moves if state in move.sources]

    def available(self, record, user) -> list[Move]:
        """The buttons this user may press on this record now, in table order."""
        return [
            move
            for move in self.moves_from(self.state_of(record))
            if move.button and permits(move, user, record)
        ]

    def lock(self, record):
        """The record read again with its row locked until the transaction ends."""
        return self.model.objects.select_for_update(of=("self",)).get(pk=record.pk)


def permits(move: Move, user, record=None) -> bool:
    """Whether this user may make this move (the operation decides who makes the others)."""
    if move.permission is None:
        return True
    if user is None or not user.is_active:
        return False
    if callable(move.permission):
        return bool(move.permission(user, record))
    return permissions.holds(user, move.permission)


# --- The tables ------------------------------------------------------------------------------

C = CallStatus
BEFORE_PANEL = frozenset({C.SUBMITTED, C.TRIAGE, C.GATHERING_EVIDENCE})
DECIDED_NOT_ACCEPTED = frozenset({C.NOT_ACCEPTED, C.MONITORING, C.SERIOUS_FAILURE})
OFFICERS = "scrutiny officers"
NOT_AWAITING = "{record} is {state}, not awaiting the panel, so no decision can be taken on it."


def _decide(outcome: str, label: str) -> Move:
    return Move(
        f"decide_{outcome}",
        label,
        frozenset({C.AWAITING_PANEL}),
        outcome,
        "scrutiny.call.decide",
        permission="scrutiny.decide_call",
        who="panel members",
        guards=(rules.meeting_held,),
        done="decided",
        refusal=NOT_AWAITING,
    )


CALL = Machine(
    model=CallForScrutiny,
    changed_at="status_changed_at",
    name_of=lambda call: call.reference,
    final=frozenset({C.CLOSED}),
    moves=(
        Move("submit", "Submit", frozenset({BORN}), C.SUBMITTED, "scrutiny.call.submit"),
        Move(
            "start_triage",
            "Start triage",
            frozenset({C.SUBMITTED}),
            C.TRIAGE,
            "scrutiny.call.move",
            permission="scrutiny.move_call",
            button=True,
            done="moved",
        ),
        Move(
            "gather_evidence",
            "Gather evidence",
            frozenset({C.TRIAGE}),
            C.GATHERING_EVIDENCE,
            "scrutiny.call.move",
            permission="scrutiny.move_call",
            button=True,
            done="moved",
        ),
        Move(
            "send_to_panel",
            "Send to the panel",
            frozenset({C.TRIAGE, C.GATHERING_EVIDENCE}),
            C.AWAITING_PANEL,
            "scrutiny.call.move",
            permission="scrutiny.move_call",
            button=True,
            done="moved",
        ),
        Move(
            "return_to_triage",
            "Return to triage",
            frozenset({C.GATHERING_EVIDENCE, C.AWAITING_PANEL}),
            C.TRIAGE,
            "scrutiny.call.move",
            permission="scrutiny.move_call",
            button=True,
            done="moved",
        ),
        # The petition reached its target: the call goes to the panel by itself.
        Move(
            "target_reached",
            "Petition target reached",
            frozenset({C.GATHERING_EVIDENCE}),
            C.AWAITING_PANEL,
            "scrutiny.call.move",
        ),
        _decide(C.NOT_ACCEPTED, "Not accepted yet"),
        _decide(C.MONITORING, "Refer for monitoring"),
        _decide(C.ACCEPTED, "Accept"),
        _decide(C.SERIOUS_FAILURE, "Serious failure"),
        # Ends before the panel's decision, each with a reason told to the resident.
        Move(
            "withdraw",
            "Record that the resident withdrew it",
            BEFORE_PANEL | {C.AWAITING_PANEL},
            C.CLOSED,
            "scrutiny.call.withdraw",
            permission="scrutiny.move_call",
            who=OFFICERS,
            guards=(rules.text_given("Say why the resident withdrew the call."),),
            notify=("scrutiny.tasks.send_call_closed",),
            done="closed",
        ),
        Move(
            "close_duplicate",
            "Close it as a duplicate",
            BEFORE_PANEL | {C.AWAITING_PANEL},
            C.CLOSED,
            "scrutiny.call.duplicate",
            permission="scrutiny.move_call",
            who=OFFICERS,
            guards=(
                rules.duplicate_of_another,
                rules.text_given("Say why the call repeats the other one."),
            ),
            notify=("scrutiny.tasks.send_call_closed",),
            done="closed",
        ),
        Move(
            "close_out_of_scope",
            "Close it as out of scope",
            BEFORE_PANEL,
            C.CLOSED,
            "scrutiny.call.out_of_scope",
            permission="scrutiny.move_call",
            who=OFFICERS,
            guards=(rules.text_given("Say why the call is outside what the panel can look at."),),
            notify=("scrutiny.tasks.send_call_closed",),
            done="closed",
            refusal="{record} is {state}: only the panel can decide on it now.",
        ),
        # After the panel's decision.
        Move(
            "schedule",
            "Schedule into a review",
            frozenset({C.ACCEPTED}),
            C.SCHEDULED,
            "scrutiny.call.schedule",
            permission="scrutiny.schedule_review",
            who="scrutiny officers and panel members",
            guards=(rules.review_not_reported,),
            done="scheduled",
            refusal="{record} is {state}, not accepted, so it cannot be scheduled.",
        ),
        Move(
            "start_review",
            "The review started",
            frozenset({C.SCHEDULED}),
            C.IN_REVIEW,
            "scrutiny.call.review",
        ),
        Move(
            "report",
            "The review reported",
            frozenset({C.SCHEDULED, C.IN_REVIEW}),
            C.REPORTED,
            "scrutiny.call.review",
        ),
        Move(
            "close_reviewed",
            "The review's action plan is complete",
            frozenset({C.SCHEDULED, C.IN_REVIEW, C.REPORTED}),
            C.CLOSED,
            "scrutiny.call.close",
            notify=("scrutiny.tasks.send_call_closed",),
        ),
        Move(
            "appeal_return",
            "Returned to the panel on appeal",
            DECIDED_NOT_ACCEPTED,
            C.AWAITING_PANEL,
            "scrutiny.call.appeal_decided",
            permission="scrutiny.change_appeal",
            who=OFFICERS,
        ),
        Move(
            "appeal_accept",
            "Accepted on appeal",
            DECIDED_NOT_ACCEPTED,
            C.ACCEPTED,
            "scrutiny.call.appeal_decided",
            permission="scrutiny.change_appeal",
            who=OFFICERS,
        ),
        Move(
            "close_not_accepted",
            "The time to appeal has passed",
            frozenset({C.NOT_ACCEPTED}),
            C.CLOSED,
            "scrutiny.call.close",
            guards=(rules.appeal_time_over,),
        ),
        Move(
            "monitoring_improved",
            "Close it: the service improved",
            frozenset({C.MONITORING}),
            C.CLOSED,
            "scrutiny.call.monitoring",
            permission="scrutiny.change_monitoring",
            who=OFFICERS,
            guards=(rules.no_appeal_pending,),
            done="closed",
        ),
        Move(
            "monitoring_escalated",
            "Escalate to the panel",
            frozenset({C.MONITORING}),
            C.AWAITING_PANEL,
            "scrutiny.call.monitoring",
            permission="scrutiny.change_monitoring",
            who=OFFICERS,
            guards=(rules.no_appeal_pending,),
            done="escalated",
        ),
        Move(
            "serious_failure_resolved",
            "The serious failure was put right",
            frozenset({C.SERIOUS_FAILURE}),
            C.CLOSED,
            "scrutiny.call.close",
            guards=(rules.serious_failure_put_right, rules.no_appeal_pending),
            notify=("scrutiny.tasks.send_call_closed",),
        ),
    ),
)

M = MonitoringStatus
MONITORING = Machine(
    model=Monitoring,
    name_of=lambda monitoring: f"The monitoring of {monitoring.call.reference}",
    log_on=lambda monitoring: monitoring.call,
    final=frozenset({M.IMPROVED, M.ESCALATED, M.ENDED_BY_APPEAL}),
    moves=(
        Move("start", "Refer for monitoring", frozenset({BORN}), M.WATCHING, "scrutiny.monitoring"),
        Move(
            "extend",
            "Extend the monitoring",
            frozenset({M.WATCHING}),
            None,
            "scrutiny.monitoring.extend",
            permission="scrutiny.change_monitoring",
            who=OFFICERS,
            done="extended",
        ),
        Move(
            "improved",
            "Close it: the service improved",
            frozenset({M.WATCHING}),
            M.IMPROVED,
            "scrutiny.monitoring.conclude",
            permission="scrutiny.change_monitoring",
            who=OFFICERS,
            done="concluded",
        ),
        Move(
            "escalate",
            "Escalate to the panel",
            frozenset({M.WATCHING}),
            M.ESCALATED,
            "scrutiny.monitoring.conclude",
            permission="scrutiny.change_monitoring",
            who=OFFICERS,
            done="concluded",
        ),
        Move(
            "end_by_appeal",
            "Ended by an appeal",
            frozenset({M.WATCHING}),
            M.ENDED_BY_APPEAL,
            "scrutiny.monitoring.conclude",
        ),
    ),
)

P = PetitionStatus
PETITION = Machine(
    model=Petition,
    name_of=lambda petition: f"The petition “{petition.title}”",
    final=frozenset({P.CLOSED}),
    moves=(
        Move(
            "open",
            "Open a petition",
            frozenset({BORN, P.DRAFT}),
            P.OPEN,
            "scrutiny.petition.open",
            permission="scrutiny.add_petition",
            who=OFFICERS,
        ),
        Move(
            "close",
            "Close the petition",
            frozenset({P.OPEN, P.DRAFT}),
            P.CLOSED,
            "scrutiny.petition.close",
            permission="scrutiny.change_petition",
            who=OFFICERS,
            notify=("scrutiny.tasks.send_petition_closed",),
            done="closed",
        ),
        # On its closing date, or when its call ends: by the system.
        Move(
            "expire",
            "Closing date passed",
            frozenset({P.OPEN, P.DRAFT}),
            P.CLOSED,
            "scrutiny.petition.close",
            notify=("scrutiny.tasks.send_petition_closed",),
            done="closed",
        ),
    ),
)

MS = MeetingStatus
MEETING = Machine(
    model=PanelMeeting,
    final=frozenset({MS.HELD, MS.CANCELLED}),
    name_of=lambda meeting: f"The meeting “{meeting}”",
    moves=(
        Move(
            "hold",
            "Record as held",
            frozenset({MS.SCHEDULED}),
            MS.HELD,
            "scrutiny.meeting.held",
            permission="scrutiny.change_panelmeeting",
            who=OFFICERS,
            guards=(rules.meeting_begun,),
            done="recorded as held",
            refusal="{record} is {state}.",
        ),
        Move(
            "cancel",
            "Cancel the meeting",
            frozenset({MS.SCHEDULED}),
            MS.CANCELLED,
            "scrutiny.meeting.cancel",
            permission="scrutiny.change_panelmeeting",
            who=OFFICERS,
            guards=(rules.no_decisions_taken_at,),
            done="cancelled",
            refusal="{record} is {state}.",
        ),
    ),
)

A = AppealStatus
APPEAL = Machine(
    model=Appeal,
    name_of=lambda appeal: appeal.reference,
    final=frozenset({A.DECIDED}),
    moves=(
        Move("submit", "Appeal", frozenset({BORN}), A.RECEIVED, "scrutiny.appeal.submit"),
        # The resident wrote in, phoned or came in: an officer records it, under the same rules.
        Move(
            "record_for_resident",
            "Record an appeal for a resident",
            frozenset({BORN}),
            A.RECEIVED,
            "scrutiny.appeal.for_resident",
            permission="scrutiny.change_appeal",
            who=OFFICERS,
        ),
        Move(
            "convene",
            "Convene the appeal panel",
            frozenset({A.RECEIVED, A.PANEL_CONVENED}),
            A.PANEL_CONVENED,
            "scrutiny.appeal.convene",
            permission="scrutiny.change_appeal",
            who=OFFICERS,
            guards=(rules.appeal_panel_independent,),
            refusal="{record} is decided; its panel can no longer change.",
        ),
        Move(
            "decide",
            "Record the appeal panel's decision",
            frozenset({A.PANEL_CONVENED}),
            A.DECIDED,
            "scrutiny.appeal.decide",
            permission="scrutiny.change_appeal",
            who=OFFICERS,
            done="decided",
            refusal=(
                "{record} is {state}: a decision is recorded once its panel is convened, "
                "and only once."
            ),
        ),
    ),
)

R = ReviewStatus
REVIEW = Machine(
    model=ScrutinyReviewPage,
    page=True,
    final=frozenset({R.COMPLETED}),
    name_of=lambda review: f"“{review.title}”",
    moves=(
        Move(
            "start",
            "Start the review",
            frozenset({R.SCHEDULED}),
            R.IN_REVIEW,
            "scrutiny.review.status",
        ),
        Move(
            "submit_report",
            "Submit the report for sign-off",
            frozenset({R.SCHEDULED, R.IN_REVIEW}),
            R.REPORTING,
            "scrutiny.review.status",
            guards=(rules.steps_finished,),
        ),
        Move(
            "return_report",
            "The report came back",
            frozenset({R.REPORTING}),
            R.IN_REVIEW,
            "scrutiny.review.status",
        ),
        Move(
            "publish_report",
            "The report was published",
            frozenset({R.REPORTING}),
            R.REPORTED,
            "scrutiny.review.status",
            notify=("scrutiny.outcome_news.send_report_news",),
        ),
        Move(
            "complete",
            "Every action done",
            frozenset({R.REPORTED}),
            R.COMPLETED,
            "scrutiny.review.complete",
            notify=("scrutiny.outcome_news.send_completion_news",),
        ),
        Move(
            "reopen",
            "An action reopened or added",
            frozenset({R.COMPLETED}),
            R.REPORTED,
            "scrutiny.review.reopen",
        ),
    ),
)


def _step_move(target: str, label: str) -> Move:
    return Move(
        f"mark_{target}",
        label,
        frozenset(StepStatus.values) - {target},
        target,
        "scrutiny.review.step",
        permission="scrutiny.change_reviewstepprogress",
        who="scrutiny officers and panel members",
        guards=(rules.review_running,)
        + ((rules.text_given("Say why the step is not needed."),) if target == "skipped" else ()),
    )


S = StepStatus
STEP = Machine(
    model=ReviewStepProgress,
    final=frozenset(),
    name_of=lambda step: f"Step {step.position}, {step.step.name},",
    log_on=lambda step: step.review,
    moves=(
        _step_move(S.NOT_STARTED, "Not started"),
        _step_move(S.IN_PROGRESS, "In progress"),
        _step_move(S.DONE, "Done"),
        _step_move(S.SKIPPED, "Not needed"),
        # Dates and notes written down without a change of status.
        Move(
            "note",
            "Update",
            frozenset(StepStatus.values),
            None,
            "scrutiny.review.step",
            permission="scrutiny.change_reviewstepprogress",
            who="scrutiny officers and panel members",
            guards=(rules.review_running,),
        ),
    ),
)

AS = ActionStatus
ACTION_REFUSAL = "An action that is {state} cannot be marked {label}."


def _action_move(target: str, sources: set[str], label: str) -> Move:
    return Move(
        f"mark_{target}",
        label,
        frozenset(sources),
        target,
        "scrutiny.action.progress",
        permission=_may_plan,
        who="officers, managers and the responsible head of operations",
        refusal=ACTION_REFUSAL,
    )


def _may_plan(user, item) -> bool:
    return permissions.can_plan_actions(user, item.recommendation if item else None)


ACTION = Machine(
    model=ActionItem,
    final=frozenset(),
    name_of=lambda item: f"The action “{item}”",
    log_on=lambda item: item.recommendation.page if item.recommendation_id else item.decision.call,
    moves=(
        Move(
            "add",
            "Add an action",
            frozenset({BORN}),
            AS.NOT_STARTED,
            "scrutiny.action.add",
            permission=_may_plan,
            who="officers, managers and the responsible head of operations",
        ),
        _action_move(AS.NOT_STARTED, {AS.IN_PROGRESS, AS.CANCELLED}, "not started"),
        _action_move(AS.IN_PROGRESS, {AS.NOT_STARTED, AS.DONE}, "in progress"),
        _action_move(AS.DONE, {AS.NOT_STARTED, AS.IN_PROGRESS}, "done"),
        _action_move(AS.CANCELLED, {AS.NOT_STARTED, AS.IN_PROGRESS}, "cancelled"),
        # A dated progress note, or a change of what, who or when: not a change of status.
        Move(
            "note",
            "Write a progress note",
            frozenset(AS.values),
            None,
            "scrutiny.action.progress",
            permission=_may_plan,
            who="officers, managers and the responsible head of operations",
        ),
        Move(
            "change",
            "Change the action",
            frozenset(AS.values),
            None,
            "scrutiny.action.change",
            permission=_may_plan,
            who="officers, managers and the responsible head of operations",
        ),
    ),
)

AP = ApplicationStage
APPLICATION_REFUSAL = "An application that is {state} cannot be moved to {label}."


def _application_move(target: str, sources: set[str], label: str) -> Move:
    return Move(
        target,
        label,
        frozenset(sources),
        target,
        "scrutiny.application.move",
        permission="scrutiny.change_panelapplication",
        who=OFFICERS,
        refusal=APPLICATION_REFUSAL,
    )


APPLICATION = Machine(
    model=PanelApplication,
    field="stage",
    final=frozenset({AP.APPOINTED, AP.DECLINED}),
    name_of=lambda application: f"{application.name}'s application",
    moves=(
        Move("submit", "Apply", frozenset({BORN}), AP.RECEIVED, "scrutiny.application.submit"),
        _application_move(AP.SHORTLISTED, {AP.RECEIVED}, "shortlisted"),
        _application_move(AP.INTERVIEWED, {AP.SHORTLISTED}, "interviewed"),
        _application_move(AP.DECLINED, {AP.RECEIVED, AP.SHORTLISTED, AP.INTERVIEWED}, "declined"),
        Move(
            "appoint",
            "Appoint",
            frozenset({AP.INTERVIEWED}),
            AP.APPOINTED,
            "scrutiny.application.appoint",
            permission="scrutiny.change_panelapplication",
            who=OFFICERS,
            done="appointed",
            refusal=("{record} is {state}; only an interviewed applicant can be appointed, once."),
        ),
        Move(
            "note",
            "Add a note",
            frozenset(AP.values),
            None,
            "scrutiny.application.note",
            permission="scrutiny.change_panelapplication",
            who=OFFICERS,
        ),
    ),
)

E = ExpenseStatus
EXPENSE = Machine(
    model=ExpenseClaim,
    final=frozenset({E.APPROVED, E.REJECTED}),
    name_of=lambda claim: "This claim",
    moves=(
        Move("submit", "Claim", frozenset({BORN}), E.SUBMITTED, "scrutiny.expense.submit"),
        Move(
            "approve",
            "Approve",
            frozenset({E.SUBMITTED}),
            E.APPROVED,
            "scrutiny.expense.approve",
            permission="scrutiny.change_expenseclaim",
            who=OFFICERS,
            guards=(rules.not_own_claim,),
            done="decided",
            refusal="{record} is already {state}.",
        ),
        Move(
            "reject",
            "Reject",
            frozenset({E.SUBMITTED}),
            E.REJECTED,
            "scrutiny.expense.reject",
            permission="scrutiny.change_expenseclaim",
            who=OFFICERS,
            guards=(
                rules.not_own_claim,
                rules.text_given("Give the reason for rejecting the claim."),
            ),
            done="decided",
            refusal="{record} is already {state}.",
        ),
    ),
)

P = PlaceStatus


def _own_place_or_officer(user, place) -> bool:
    """The member whose place it is, or an officer (who books for a member who asks)."""
    if permissions.may_manage_places(user):
        return True
    return place is not None and place.member.user_id == user.pk


def _place_move(name: str, label: str, sources: set, target: str, past: str, *, member: bool):
    """A move of a place: the member's own before the session (book, decline), or an officer's
    record of attendance after it."""
    return Move(
        name,
        label,
        frozenset(sources),
        target,
        f"scrutiny.training.{name}",
        permission=_own_place_or_officer if member else "scrutiny.change_trainingplace",
        who="the member or scrutiny officers" if member else OFFICERS,
        guards=(rules.session_to_come,) if member else (rules.session_held,),
        button=True,
        done="" if member else "recorded",
        refusal=f"{{record}} is {{state}}, so it cannot be {past}.",
    )


TRAINING_PLACE = Machine(
    model=TrainingPlace,
    final=frozenset({P.ATTENDED, P.MISSED}),
    changed_at="status_changed_at",
    name_of=lambda place: f"{place.member}'s place on {place.session.title}",
    moves=(
        Move(
            "offer",
            "Offer a place",
            frozenset({BORN}),
            P.OFFERED,
            "scrutiny.training.offer",
            permission="scrutiny.add_trainingplace",
            who=OFFICERS,
        ),
        _place_move("book", "Book", {P.OFFERED, P.DECLINED}, P.BOOKED, "booked", member=True),
        _place_move(
            "decline", "Decline", {P.OFFERED, P.BOOKED}, P.DECLINED, "declined", member=True
        ),
        _place_move("attend", "Attended", {P.BOOKED}, P.ATTENDED, "marked attended", member=False),
        _place_move("miss", "Did not attend", {P.BOOKED}, P.MISSED, "marked missed", member=False),
    ),
)

T = TimeStatus
TIME = Machine(
    model=TimeEntry,
    final=frozenset({T.WITHDRAWN}),
    name_of=lambda entry: "This time",
    moves=(
        Move(
            "log",
            "Log time",
            frozenset({BORN}),
            T.LOGGED,
            "scrutiny.time.log",
            guards=(rules.time_not_in_future,),
        ),
        Move(
            "withdraw",
            "Withdraw",
            frozenset({T.LOGGED}),
            T.WITHDRAWN,
            "scrutiny.time.withdraw",
            permission=lambda user, entry: (
                permissions.may_log_time_for_others(user)
                or (entry is not None and entry.member.user_id == user.pk)
            ),
            who="the member or scrutiny officers",
            button=True,
            done="withdrawn",
            refusal="{record} is already {state}.",
        ),
    ),
)

RF = ReferralStatus
REFERRAL = Machine(
    model=ReferredTopic,
    final=frozenset({RF.REPORTED, RF.WITHDRAWN}),
    changed_at="status_changed_at",
    name_of=lambda topic: f"“{topic}”",
    moves=(
        Move(
            "refer",
            "Record a referral",
            frozenset({BORN}),
            RF.REFERRED,
            "scrutiny.referral.refer",
            permission="scrutiny.add_referredtopic",
            who=OFFICERS,
            guards=(rules.referred_at_a_past_meeting,),
        ),
        Move(
            "schedule",
            "Schedule into a review",
            frozenset({RF.REFERRED}),
            RF.SCHEDULED,
            "scrutiny.referral.schedule",
            permission="scrutiny.schedule_review",
            who="scrutiny officers and panel members",
            guards=(rules.review_not_reported,),
            done="scheduled",
            refusal="{record} is {state}, so it cannot be scheduled.",
        ),
        Move(
            "report",
            "The review reported",
            frozenset({RF.SCHEDULED}),
            RF.REPORTED,
            "scrutiny.referral.report",
        ),
        Move(
            "withdraw",
            "Withdraw",
            frozenset({RF.REFERRED}),
            RF.WITHDRAWN,
            "scrutiny.referral.withdraw",
            permission="scrutiny.change_referredtopic",
            who=OFFICERS,
            guards=(rules.text_given("Say why the body withdrew the topic."),),
            button=True,
            done="withdrawn",
            refusal="{record} is {state}: only a topic waiting for the programme is withdrawn.",
        ),
    ),
)

EF = EffectivenessStatus
EFFECTIVENESS = Machine(
    model=EffectivenessReview,
    final=frozenset({EF.ACKNOWLEDGED}),
    changed_at="status_changed_at",
    moves=(
        Move(
            "prepare",
            "Prepare the review",
            frozenset({BORN}),
            EF.DRAFT,
            "scrutiny.effectiveness.prepare",
            permission="scrutiny.add_effectivenessreview",
            who=OFFICERS,
        ),
        Move(
            "agree",
            "Agreed at a meeting",
            frozenset({EF.DRAFT}),
            EF.AGREED,
            "scrutiny.effectiveness.agree",
            permission="scrutiny.agree_effectivenessreview",
            who="panel members and scrutiny officers",
            guards=(rules.assessment_written, rules.agreed_at_a_held_meeting),
            done="agreed",
            refusal="{record} is {state}, so it cannot be agreed again.",
        ),
        Move(
            "reopen",
            "Reopen for changes",
            frozenset({EF.AGREED}),
            EF.DRAFT,
            "scrutiny.effectiveness.reopen",
            permission="scrutiny.agree_effectivenessreview",
            who="panel members and scrutiny officers",
            guards=(rules.text_given("Say why the panel reopens its agreed review."),),
            button=True,
            refusal="{record} is {state}: only an agreed review not yet acknowledged reopens.",
        ),
        Move(
            "acknowledge",
            "Acknowledged by the oversight body",
            frozenset({EF.AGREED}),
            EF.ACKNOWLEDGED,
            "scrutiny.effectiveness.acknowledge",
            permission="scrutiny.acknowledge_effectivenessreview",
            who="scrutiny officers and managers",
            guards=(rules.acknowledged_after_agreement,),
            done="acknowledged",
            refusal="{record} is {state}, so it cannot be acknowledged.",
        ),
    ),
)

MACHINES: dict[type[models.Model], Machine] = {
    machine.model: machine
    for machine in (
        CALL,
        MONITORING,
        PETITION,
        MEETING,
        APPEAL,
        REVIEW,
        STEP,
        ACTION,
        APPLICATION,
        EXPENSE,
        TRAINING_PLACE,
        TIME,
        REFERRAL,
        EFFECTIVENESS,
    )
}


def machine_for(record) -> Machine:
    """The table of moves of a record's model."""
    model = record._meta.concrete_model
    if model not in MACHINES:
        raise TypeError(f"{model.__name__} does not move through the process.")
    return MACHINES[model]


def available(record, user) -> list[Move]:
    """The moves this user may press a button for on this record now."""
    return machine_for(record).available(record, user)


# --- The one path ---------------------------------------------------------------------------


# Who made a change no person made (a scheduled task, the public form).
SYSTEM = "the system"


def _last_change(machine: Machine, record) -> tuple[str, object] | None:
    """Who moved the record to its current state, and when, from its history."""
    state = machine.state_of(record)
    if machine.page:
        entry = (
            log_registry.get_logs_for_instance(record)
            .filter(action__in={move.action for move in machine.moves})
            .select_related("user")
            .order_by("-timestamp", "-pk")
            .first()
        )
        return (entry.user_display_name, entry.timestamp) if entry else None
    reached = None
    rows = record.history.order_by("-history_date", "-history_id").select_related("history_user")
    for row in rows.iterator():
        if getattr(row, machine.field) != state:
            break
        reached = row
    if reached is None:
        return None
    who = rules.person_name(reached.history_user) if reached.history_user else SYSTEM
    return who, reached.history_date


def _refusal(machine: Machine, record, move: Move, state) -> str:
    """Why a move cannot be made from where the record is, and who put it there."""
    name = machine.name_of(record)
    last = _last_change(machine, record)
    when = since = ""
    if last is not None:
        who, moment = last
        moment = timezone.localtime(moment)
        at = f"{date_format(moment, 'H:i')} on {date_format(moment, 'j F Y')}"
        when = f"{who} at {at}"
        since = f" It has been {machine.state_label(state).lower()} since {at}."
        if who != SYSTEM:
            since = f" It was moved there by {when}."
    reached_by = {m.done for m in machine.moves if m.target == state and m.done}
    if move.done and move.done in reached_by and when:
        return f"{name} was already {move.done} by {when}."
    template = move.refusal or "{record} is {state}, so it cannot be moved with “{label}”."
    message = template.format(
        record=name, state=machine.state_label(state).lower(), label=move.label
    )
    if move.done:
        message += since
    return message


def _refuse_unless_guards_pass(move: Move, record, user, context: dict) -> None:
    for guard in move.guards:
        reason = guard(record, user=user, **context)
        if isinstance(reason, list) and reason:
            raise TransitionNotAllowed(" ".join(reason), reasons=reason)
        if reason:
            raise TransitionNotAllowed(reason)


def _forbidden(move: Move) -> PermissionDenied:
    if move.who:
        return PermissionDenied(f"Only {move.who} may {move.label[0].lower()}{move.label[1:]}.")
    return PermissionDenied(f"You may not {move.label.lower()}.")


def check(record, name: str, *, user=None, **context) -> None:
    """Refuse, as `apply` would, without moving: for forms that ask before they show."""
    machine = machine_for(record)
    move = machine.move(name)
    if not permits(move, user, record):
        raise _forbidden(move)
    state = BORN if record.pk is None else machine.state_of(record)
    if state not in move.sources:
        raise TransitionNotAllowed(_refusal(machine, record, move, state))
    _refuse_unless_guards_pass(move, record, user, context)


@transaction.atomic
def apply(
    record,
    name: str,
    *,
    user=None,
    changes: dict | None = None,
    data: dict | None = None,
    notify: Iterable[tuple[str, tuple]] = (),
    **context,
):
    """Make one move on a record, as its table allows; returns the record as saved.

    A record without a primary key is created by a move from BORN. Otherwise its row is locked
    and read again first, so that two people making a move at the same moment make it once:
    the second is refused with who made it and when. `changes` are other fields written with
    the move; `context` is what the move's guards read (a meeting, a reason, a panel); `data`
    joins the log entry; `notify` adds (task, arguments) to the move's own notifications.
    """
    machine = machine_for(record)
    move = machine.move(name)
    if not permits(move, user, record):
        raise _forbidden(move)
    born = record.pk is None
    if born and machine.page:
        raise TypeError("Pages are created in the page tree, in their first state.")
    if not born:
        record = machine.lock(record)
    state = BORN if born else machine.state_of(record)
    if state not in move.sources:
        raise TransitionNotAllowed(_refusal(machine, record, move, state))
    _refuse_unless_guards_pass(move, record, user, context)

    target = state if move.target is None else move.target
    written = {machine.field: target, **(changes or {})}
    if machine.changed_at and target != state:
        written[machine.changed_at] = timezone.now()
    for attname, value in written.items():
        setattr(record, attname, value)
    token = _applying.set(True)
    try:
        if machine.page:
            machine.model.objects.filter(pk=record.pk).update(**written)
        else:
            record._history_user = user
            if born:
                record.save()
            else:
                record.save(update_fields=list(written))
    finally:
        _applying.reset(token)
    log(
        instance=machine.log_on(record),
        action=move.action,
        user=user,
        data={
            "from": state,
            "to": target,
            "move": move.name,
            "record": record.pk,
            **(data or {}),
        },
    )
    for task in move.notify:
        queue_task(task, record.pk)
    for task, arguments in notify:
        queue_task(task, *arguments)
    return record
