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

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_registry
from wagtail.models import PageLogEntry

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
    # What people read: the button, the history. `name` is the move's identifier.
    label: str
    sources: frozenset
    # None: the record stays where it is (a panel changed, a review date put back).
    target: str | None
    action: str
    # A permission name, or a predicate (user, record) -> bool; None for the resident's own
    # moves and the system's, which their operations alone make.
    permission: str | Callable | None = None
    # The refusal, in one sentence, of a user who may not make it: "Only ... may ...".
    forbidden: str = ""
    guards: tuple[Guard, ...] = ()
    # Tasks queued with the record's primary key once the move commits.
    notify: tuple[str, ...] = ()
    # Offered as a button on the record's admin page.
    button: bool = False
    # The kind of move, shared by moves of one kind ("decided"): a key of ALREADY, which says
    # "already decided by ... at ...".
    done: str = ""
    # The refusal when the record is not in a source state: %(record)s, %(state)s, %(label)s.
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
        raise TransitionNotAllowed(_("There is no step called '%(name)s'.") % {"name": name})

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
NOT_AWAITING = gettext_lazy(
    "%(record)s is %(state)s, not awaiting the panel, so no decision can be taken on it."
)
SCHEDULE_FORBIDDEN = gettext_lazy(
    "Only scrutiny officers and panel members may schedule into a review."
)

# "Already ... by ... at ...", for each kind of move (`Move.done`): the refusal of a second
# person who makes the same kind of move on a record that the first has just made.
ALREADY = {
    "decided": gettext_lazy("%(record)s was already decided by %(who)s at %(time)s on %(date)s."),
    "moved": gettext_lazy("%(record)s was already moved by %(who)s at %(time)s on %(date)s."),
    "closed": gettext_lazy("%(record)s was already closed by %(who)s at %(time)s on %(date)s."),
    "scheduled": gettext_lazy(
        "%(record)s was already scheduled by %(who)s at %(time)s on %(date)s."
    ),
    "escalated": gettext_lazy(
        "%(record)s was already escalated by %(who)s at %(time)s on %(date)s."
    ),
    "extended": gettext_lazy("%(record)s was already extended by %(who)s at %(time)s on %(date)s."),
    "concluded": gettext_lazy(
        "%(record)s was already concluded by %(who)s at %(time)s on %(date)s."
    ),
    "recorded as held": gettext_lazy(
        "%(record)s was already recorded as held by %(who)s at %(time)s on %(date)s."
    ),
    "cancelled": gettext_lazy(
        "%(record)s was already cancelled by %(who)s at %(time)s on %(date)s."
    ),
    "appointed": gettext_lazy(
        "%(record)s was already appointed by %(who)s at %(time)s on %(date)s."
    ),
    "recorded": gettext_lazy("%(record)s was already recorded by %(who)s at %(time)s on %(date)s."),
    "withdrawn": gettext_lazy(
        "%(record)s was already withdrawn by %(who)s at %(time)s on %(date)s."
    ),
    "agreed": gettext_lazy("%(record)s was already agreed by %(who)s at %(time)s on %(date)s."),
    "acknowledged": gettext_lazy(
        "%(record)s was already acknowledged by %(who)s at %(time)s on %(date)s."
    ),
}


def _decide(outcome: str, label: str) -> Move:
    return Move(
        f"decide_{outcome}",
        label,
        frozenset({C.AWAITING_PANEL}),
        outcome,
        "scrutiny.call.decide",
        permission="scrutiny.decide_call",
        forbidden=gettext_lazy("Only panel members may take the panel's decision."),
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
        Move(
            "submit",
            pgettext_lazy("move of a call", "Submit"),
            frozenset({BORN}),
            C.SUBMITTED,
            "scrutiny.call.submit",
        ),
        Move(
            "start_triage",
            gettext_lazy("Start triage"),
            frozenset({C.SUBMITTED}),
            C.TRIAGE,
            "scrutiny.call.move",
            permission="scrutiny.move_call",
            forbidden=gettext_lazy("You may not start triage."),
            button=True,
            done="moved",
        ),
        Move(
            "gather_evidence",
            gettext_lazy("Gather evidence"),
            frozenset({C.TRIAGE}),
            C.GATHERING_EVIDENCE,
            "scrutiny.call.move",
            permission="scrutiny.move_call",
            forbidden=gettext_lazy("You may not gather evidence."),
            button=True,
            done="moved",
        ),
        Move(
            "send_to_panel",
            gettext_lazy("Send to the panel"),
            frozenset({C.TRIAGE, C.GATHERING_EVIDENCE}),
            C.AWAITING_PANEL,
            "scrutiny.call.move",
            permission="scrutiny.move_call",
            forbidden=gettext_lazy("You may not send to the panel."),
            button=True,
            done="moved",
        ),
        Move(
            "return_to_triage",
            gettext_lazy("Return to triage"),
            frozenset({C.GATHERING_EVIDENCE, C.AWAITING_PANEL}),
            C.TRIAGE,
            "scrutiny.call.move",
            permission="scrutiny.move_call",
            forbidden=gettext_lazy("You may not return to triage."),
            button=True,
            done="moved",
        ),
        # The petition reached its target: the call goes to the panel by itself.
        Move(
            "target_reached",
            gettext_lazy("Petition target reached"),
            frozenset({C.GATHERING_EVIDENCE}),
            C.AWAITING_PANEL,
            "scrutiny.call.move",
        ),
        _decide(C.NOT_ACCEPTED, pgettext_lazy("decision on a call", "Not accepted yet")),
        _decide(C.MONITORING, gettext_lazy("Refer for monitoring")),
        _decide(C.ACCEPTED, pgettext_lazy("decision on a call", "Accept")),
        _decide(C.SERIOUS_FAILURE, pgettext_lazy("decision on a call", "Serious failure")),
        # Ends before the panel's decision, each with a reason told to the resident.
        Move(
            "withdraw",
            gettext_lazy("Record that the resident withdrew it"),
            BEFORE_PANEL | {C.AWAITING_PANEL},
            C.CLOSED,
            "scrutiny.call.withdraw",
            permission="scrutiny.move_call",
            forbidden=gettext_lazy(
                "Only scrutiny officers may record that the resident withdrew it."
            ),
            guards=(rules.text_given(gettext_lazy("Say why the resident withdrew the call.")),),
            notify=("scrutiny.tasks.send_call_closed",),
            done="closed",
        ),
        Move(
            "close_duplicate",
            gettext_lazy("Close it as a duplicate"),
            BEFORE_PANEL | {C.AWAITING_PANEL},
            C.CLOSED,
            "scrutiny.call.duplicate",
            permission="scrutiny.move_call",
            forbidden=gettext_lazy("Only scrutiny officers may close it as a duplicate."),
            guards=(
                rules.duplicate_of_another,
                rules.text_given(gettext_lazy("Say why the call repeats the other one.")),
            ),
            notify=("scrutiny.tasks.send_call_closed",),
            done="closed",
        ),
        Move(
            "close_out_of_scope",
            gettext_lazy("Close it as out of scope"),
            BEFORE_PANEL,
            C.CLOSED,
            "scrutiny.call.out_of_scope",
            permission="scrutiny.move_call",
            forbidden=gettext_lazy("Only scrutiny officers may close it as out of scope."),
            guards=(
                rules.text_given(
                    gettext_lazy("Say why the call is outside what the panel can look at.")
                ),
            ),
            notify=("scrutiny.tasks.send_call_closed",),
            done="closed",
            refusal=gettext_lazy("%(record)s is %(state)s: only the panel can decide on it now."),
        ),
        # After the panel's decision.
        Move(
            "schedule",
            gettext_lazy("Schedule into a review"),
            frozenset({C.ACCEPTED}),
            C.SCHEDULED,
            "scrutiny.call.schedule",
            permission="scrutiny.schedule_review",
            forbidden=SCHEDULE_FORBIDDEN,
            guards=(rules.review_not_reported,),
            done="scheduled",
            refusal=gettext_lazy(
                "%(record)s is %(state)s, not accepted, so it cannot be scheduled."
            ),
        ),
        Move(
            "start_review",
            gettext_lazy("The review started"),
            frozenset({C.SCHEDULED}),
            C.IN_REVIEW,
            "scrutiny.call.review",
        ),
        Move(
            "report",
            gettext_lazy("The review reported"),
            frozenset({C.SCHEDULED, C.IN_REVIEW}),
            C.REPORTED,
            "scrutiny.call.review",
        ),
        Move(
            "close_reviewed",
            gettext_lazy("The review's action plan is complete"),
            frozenset({C.SCHEDULED, C.IN_REVIEW, C.REPORTED}),
            C.CLOSED,
            "scrutiny.call.close",
            notify=("scrutiny.tasks.send_call_closed",),
        ),
        Move(
            "appeal_return",
            gettext_lazy("Returned to the panel on appeal"),
            DECIDED_NOT_ACCEPTED,
            C.AWAITING_PANEL,
            "scrutiny.call.appeal_decided",
            permission="scrutiny.change_appeal",
            forbidden=gettext_lazy(
                "Only scrutiny officers may return a call to the panel on appeal."
            ),
        ),
        Move(
            "appeal_accept",
            gettext_lazy("Accepted on appeal"),
            DECIDED_NOT_ACCEPTED,
            C.ACCEPTED,
            "scrutiny.call.appeal_decided",
            permission="scrutiny.change_appeal",
            forbidden=gettext_lazy("Only scrutiny officers may accept a call on appeal."),
        ),
        Move(
            "close_not_accepted",
            gettext_lazy("The time to appeal has passed"),
            frozenset({C.NOT_ACCEPTED}),
            C.CLOSED,
            "scrutiny.call.close",
            guards=(rules.appeal_time_over,),
        ),
        Move(
            "monitoring_improved",
            gettext_lazy("Close it: the service improved"),
            frozenset({C.MONITORING}),
            C.CLOSED,
            "scrutiny.call.monitoring",
            permission="scrutiny.change_monitoring",
            forbidden=gettext_lazy("Only scrutiny officers may close it: the service improved."),
            guards=(rules.no_appeal_pending,),
            done="closed",
        ),
        Move(
            "monitoring_escalated",
            gettext_lazy("Escalate to the panel"),
            frozenset({C.MONITORING}),
            C.AWAITING_PANEL,
            "scrutiny.call.monitoring",
            permission="scrutiny.change_monitoring",
            forbidden=gettext_lazy("Only scrutiny officers may escalate to the panel."),
            guards=(rules.no_appeal_pending,),
            done="escalated",
        ),
        Move(
            "serious_failure_resolved",
            gettext_lazy("The serious failure was put right"),
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
    name_of=lambda monitoring: (
        _("The monitoring of %(reference)s") % {"reference": monitoring.call.reference}
    ),
    log_on=lambda monitoring: monitoring.call,
    final=frozenset({M.IMPROVED, M.ESCALATED, M.ENDED_BY_APPEAL}),
    moves=(
        Move(
            "start",
            gettext_lazy("Refer for monitoring"),
            frozenset({BORN}),
            M.WATCHING,
            "scrutiny.monitoring",
        ),
        Move(
            "extend",
            gettext_lazy("Extend the monitoring"),
            frozenset({M.WATCHING}),
            None,
            "scrutiny.monitoring.extend",
            permission="scrutiny.change_monitoring",
            forbidden=gettext_lazy("Only scrutiny officers may extend the monitoring."),
            done="extended",
        ),
        Move(
            "improved",
            gettext_lazy("Close it: the service improved"),
            frozenset({M.WATCHING}),
            M.IMPROVED,
            "scrutiny.monitoring.conclude",
            permission="scrutiny.change_monitoring",
            forbidden=gettext_lazy("Only scrutiny officers may close it: the service improved."),
            done="concluded",
        ),
        Move(
            "escalate",
            gettext_lazy("Escalate to the panel"),
            frozenset({M.WATCHING}),
            M.ESCALATED,
            "scrutiny.monitoring.conclude",
            permission="scrutiny.change_monitoring",
            forbidden=gettext_lazy("Only scrutiny officers may escalate to the panel."),
            done="concluded",
        ),
        Move(
            "end_by_appeal",
            gettext_lazy("Ended by an appeal"),
            frozenset({M.WATCHING}),
            M.ENDED_BY_APPEAL,
            "scrutiny.monitoring.conclude",
        ),
    ),
)

P = PetitionStatus
PETITION = Machine(
    model=Petition,
    name_of=lambda petition: _("The petition “%(title)s”") % {"title": petition.title},
    final=frozenset({P.CLOSED}),
    moves=(
        Move(
            "open",
            gettext_lazy("Open a petition"),
            frozenset({BORN, P.DRAFT}),
            P.OPEN,
            "scrutiny.petition.open",
            permission="scrutiny.add_petition",
            forbidden=gettext_lazy("Only scrutiny officers may open a petition."),
        ),
        Move(
            "close",
            gettext_lazy("Close the petition"),
            frozenset({P.OPEN, P.DRAFT}),
            P.CLOSED,
            "scrutiny.petition.close",
            permission="scrutiny.change_petition",
            forbidden=gettext_lazy("Only scrutiny officers may close the petition."),
            notify=("scrutiny.tasks.send_petition_closed",),
            done="closed",
        ),
        # On its closing date, or when its call ends: by the system.
        Move(
            "expire",
            gettext_lazy("Closing date passed"),
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
    name_of=lambda meeting: _("The meeting “%(meeting)s”") % {"meeting": meeting},
    moves=(
        Move(
            "hold",
            gettext_lazy("Record as held"),
            frozenset({MS.SCHEDULED}),
            MS.HELD,
            "scrutiny.meeting.held",
            permission="scrutiny.change_panelmeeting",
            forbidden=gettext_lazy("Only scrutiny officers may record a meeting as held."),
            guards=(rules.meeting_begun,),
            done="recorded as held",
            refusal=gettext_lazy("%(record)s is %(state)s."),
        ),
        Move(
            "cancel",
            gettext_lazy("Cancel the meeting"),
            frozenset({MS.SCHEDULED}),
            MS.CANCELLED,
            "scrutiny.meeting.cancel",
            permission="scrutiny.change_panelmeeting",
            forbidden=gettext_lazy("Only scrutiny officers may cancel the meeting."),
            guards=(rules.no_decisions_taken_at,),
            done="cancelled",
            refusal=gettext_lazy("%(record)s is %(state)s."),
        ),
    ),
)

A = AppealStatus
APPEAL = Machine(
    model=Appeal,
    name_of=lambda appeal: appeal.reference,
    final=frozenset({A.DECIDED}),
    moves=(
        Move(
            "submit",
            pgettext_lazy("move of an appeal", "Appeal"),
            frozenset({BORN}),
            A.RECEIVED,
            "scrutiny.appeal.submit",
        ),
        # The resident wrote in, phoned or came in: an officer records it, under the same rules.
        Move(
            "record_for_resident",
            gettext_lazy("Record an appeal for a resident"),
            frozenset({BORN}),
            A.RECEIVED,
            "scrutiny.appeal.for_resident",
            permission="scrutiny.change_appeal",
            forbidden=gettext_lazy("Only scrutiny officers may record an appeal for a resident."),
        ),
        Move(
            "convene",
            gettext_lazy("Convene the appeal panel"),
            frozenset({A.RECEIVED, A.PANEL_CONVENED}),
            A.PANEL_CONVENED,
            "scrutiny.appeal.convene",
            permission="scrutiny.change_appeal",
            forbidden=gettext_lazy("Only scrutiny officers may convene the appeal panel."),
            guards=(rules.appeal_panel_independent,),
            refusal=gettext_lazy("%(record)s is decided; its panel can no longer change."),
        ),
        Move(
            "decide",
            gettext_lazy("Record the appeal panel's decision"),
            frozenset({A.PANEL_CONVENED}),
            A.DECIDED,
            "scrutiny.appeal.decide",
            permission="scrutiny.change_appeal",
            forbidden=gettext_lazy(
                "Only scrutiny officers may record the appeal panel's decision."
            ),
            done="decided",
            refusal=gettext_lazy(
                "%(record)s is %(state)s: a decision is recorded once its panel is convened, "
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
    name_of=lambda review: pgettext("a title in quotes", "“%(title)s”") % {"title": review.title},
    moves=(
        Move(
            "start",
            gettext_lazy("Start the review"),
            frozenset({R.SCHEDULED}),
            R.IN_REVIEW,
            "scrutiny.review.status",
        ),
        Move(
            "submit_report",
            gettext_lazy("Submit the report for sign-off"),
            frozenset({R.SCHEDULED, R.IN_REVIEW}),
            R.REPORTING,
            "scrutiny.review.status",
            guards=(rules.steps_finished,),
        ),
        Move(
            "return_report",
            gettext_lazy("The report came back"),
            frozenset({R.REPORTING}),
            R.IN_REVIEW,
            "scrutiny.review.status",
        ),
        Move(
            "publish_report",
            gettext_lazy("The report was published"),
            frozenset({R.REPORTING}),
            R.REPORTED,
            "scrutiny.review.status",
            notify=("scrutiny.outcome_news.send_report_news",),
        ),
        Move(
            "complete",
            gettext_lazy("Every action done"),
            frozenset({R.REPORTED}),
            R.COMPLETED,
            "scrutiny.review.complete",
            notify=("scrutiny.outcome_news.send_completion_news",),
        ),
        Move(
            "reopen",
            gettext_lazy("An action reopened or added"),
            frozenset({R.COMPLETED}),
            R.REPORTED,
            "scrutiny.review.reopen",
        ),
    ),
)

STEP_FORBIDDEN = gettext_lazy("Only scrutiny officers and panel members may update review steps.")


def _step_move(target: str, label: str) -> Move:
    return Move(
        f"mark_{target}",
        label,
        frozenset(StepStatus.values) - {target},
        target,
        "scrutiny.review.step",
        permission="scrutiny.change_reviewstepprogress",
        forbidden=STEP_FORBIDDEN,
        guards=(rules.review_running,)
        + (
            (rules.text_given(gettext_lazy("Say why the step is not needed.")),)
            if target == "skipped"
            else ()
        ),
    )


S = StepStatus
STEP = Machine(
    model=ReviewStepProgress,
    final=frozenset(),
    name_of=lambda step: (
        _("Step %(position)s, %(name)s,") % {"position": step.position, "name": step.step.name}
    ),
    log_on=lambda step: step.review,
    moves=(
        _step_move(S.NOT_STARTED, pgettext_lazy("review step move", "Not started")),
        _step_move(S.IN_PROGRESS, pgettext_lazy("review step move", "In progress")),
        _step_move(S.DONE, pgettext_lazy("review step move", "Done")),
        _step_move(S.SKIPPED, pgettext_lazy("review step move", "Not needed")),
        # Dates and notes written down without a change of status.
        Move(
            "note",
            pgettext_lazy("review step move", "Update"),
            frozenset(StepStatus.values),
            None,
            "scrutiny.review.step",
            permission="scrutiny.change_reviewstepprogress",
            forbidden=STEP_FORBIDDEN,
            guards=(rules.review_running,),
        ),
    ),
)

AS = ActionStatus
ACTION_FORBIDDEN = gettext_lazy(
    "Only officers, managers and the responsible head of operations may change actions."
)


def _action_move(target: str, sources: set[str], label: str, refusal: str) -> Move:
    return Move(
        f"mark_{target}",
        label,
        frozenset(sources),
        target,
        "scrutiny.action.progress",
        permission=_may_plan,
        forbidden=ACTION_FORBIDDEN,
        refusal=refusal,
    )


def _may_plan(user, item) -> bool:
    return permissions.can_plan_actions(user, item.recommendation if item else None)


ACTION = Machine(
    model=ActionItem,
    final=frozenset(),
    name_of=lambda item: _("The action “%(action)s”") % {"action": item},
    log_on=lambda item: item.recommendation.page if item.recommendation_id else item.decision.call,
    moves=(
        Move(
            "add",
            gettext_lazy("Add an action"),
            frozenset({BORN}),
            AS.NOT_STARTED,
            "scrutiny.action.add",
            permission=_may_plan,
            forbidden=gettext_lazy(
                "Only officers, managers and the responsible head of operations may add an action."
            ),
        ),
        _action_move(
            AS.NOT_STARTED,
            {AS.IN_PROGRESS, AS.CANCELLED},
            pgettext_lazy("action move", "not started"),
            gettext_lazy("An action that is %(state)s cannot be marked not started."),
        ),
        _action_move(
            AS.IN_PROGRESS,
            {AS.NOT_STARTED, AS.DONE},
            pgettext_lazy("action move", "in progress"),
            gettext_lazy("An action that is %(state)s cannot be marked in progress."),
        ),
        _action_move(
            AS.DONE,
            {AS.NOT_STARTED, AS.IN_PROGRESS},
            pgettext_lazy("action move", "done"),
            gettext_lazy("An action that is %(state)s cannot be marked done."),
        ),
        _action_move(
            AS.CANCELLED,
            {AS.NOT_STARTED, AS.IN_PROGRESS},
            pgettext_lazy("action move", "cancelled"),
            gettext_lazy("An action that is %(state)s cannot be marked cancelled."),
        ),
        # A dated progress note, or a change of what, who or when: not a change of status.
        Move(
            "note",
            gettext_lazy("Write a progress note"),
            frozenset(AS.values),
            None,
            "scrutiny.action.progress",
            permission=_may_plan,
            forbidden=ACTION_FORBIDDEN,
        ),
        Move(
            "change",
            gettext_lazy("Change the action"),
            frozenset(AS.values),
            None,
            "scrutiny.action.change",
            permission=_may_plan,
            forbidden=ACTION_FORBIDDEN,
        ),
    ),
)

AP = ApplicationStage
APPLICATION_FORBIDDEN = gettext_lazy("Only scrutiny officers may manage applications.")


def _application_move(target: str, sources: set[str], label: str, refusal: str) -> Move:
    return Move(
        target,
        label,
        frozenset(sources),
        target,
        "scrutiny.application.move",
        permission="scrutiny.change_panelapplication",
        forbidden=APPLICATION_FORBIDDEN,
        refusal=refusal,
    )


APPLICATION = Machine(
    model=PanelApplication,
    field="stage",
    final=frozenset({AP.APPOINTED, AP.DECLINED}),
    name_of=lambda application: _("%(name)s's application") % {"name": application.name},
    moves=(
        Move(
            "submit",
            pgettext_lazy("move of an application", "Apply"),
            frozenset({BORN}),
            AP.RECEIVED,
            "scrutiny.application.submit",
        ),
        _application_move(
            AP.SHORTLISTED,
            {AP.RECEIVED},
            pgettext_lazy("application move", "shortlisted"),
            gettext_lazy("An application that is %(state)s cannot be moved to shortlisted."),
        ),
        _application_move(
            AP.INTERVIEWED,
            {AP.SHORTLISTED},
            pgettext_lazy("application move", "interviewed"),
            gettext_lazy("An application that is %(state)s cannot be moved to interviewed."),
        ),
        _application_move(
            AP.DECLINED,
            {AP.RECEIVED, AP.SHORTLISTED, AP.INTERVIEWED},
            pgettext_lazy("application move", "declined"),
            gettext_lazy("An application that is %(state)s cannot be moved to declined."),
        ),
        Move(
            "appoint",
            gettext_lazy("Appoint"),
            frozenset({AP.INTERVIEWED}),
            AP.APPOINTED,
            "scrutiny.application.appoint",
            permission="scrutiny.change_panelapplication",
            forbidden=gettext_lazy("Only scrutiny officers may appoint."),
            done="appointed",
            refusal=gettext_lazy(
                "%(record)s is %(state)s; only an interviewed applicant can be appointed, once."
            ),
        ),
        Move(
            "note",
            gettext_lazy("Add a note"),
            frozenset(AP.values),
            None,
            "scrutiny.application.note",
            permission="scrutiny.change_panelapplication",
            forbidden=gettext_lazy("Only scrutiny officers may add a note."),
        ),
    ),
)

E = ExpenseStatus
EXPENSE = Machine(
    model=ExpenseClaim,
    final=frozenset({E.APPROVED, E.REJECTED}),
    name_of=lambda claim: _("This claim"),
    moves=(
        Move(
            "submit",
            pgettext_lazy("move of an expense claim", "Claim"),
            frozenset({BORN}),
            E.SUBMITTED,
            "scrutiny.expense.submit",
        ),
        Move(
            "approve",
            pgettext_lazy("move of an expense claim", "Approve"),
            frozenset({E.SUBMITTED}),
            E.APPROVED,
            "scrutiny.expense.approve",
            permission="scrutiny.change_expenseclaim",
            forbidden=gettext_lazy("Only scrutiny officers may approve."),
            guards=(rules.not_own_claim,),
            done="decided",
            refusal=gettext_lazy("%(record)s is already %(state)s."),
        ),
        Move(
            "reject",
            pgettext_lazy("move of an expense claim", "Reject"),
            frozenset({E.SUBMITTED}),
            E.REJECTED,
            "scrutiny.expense.reject",
            permission="scrutiny.change_expenseclaim",
            forbidden=gettext_lazy("Only scrutiny officers may reject."),
            guards=(
                rules.not_own_claim,
                rules.text_given(gettext_lazy("Give the reason for rejecting the claim.")),
            ),
            done="decided",
            refusal=gettext_lazy("%(record)s is already %(state)s."),
        ),
    ),
)

P = PlaceStatus


def _own_place_or_officer(user, place) -> bool:
    """The member whose place it is, or an officer (who books for a member who asks)."""
    if permissions.may_manage_places(user):
        return True
    return place is not None and place.member.user_id == user.pk


def _place_move(
    name: str, label: str, sources: set, target: str, *, forbidden: str, refusal: str, member: bool
):
    """A move of a place: the member's own before the session (book, decline), or an officer's
    record of attendance after it."""
    return Move(
        name,
        label,
        frozenset(sources),
        target,
        f"scrutiny.training.{name}",
        permission=_own_place_or_officer if member else "scrutiny.change_trainingplace",
        forbidden=forbidden,
        guards=(rules.session_to_come,) if member else (rules.session_held,),
        button=True,
        done="" if member else "recorded",
        refusal=refusal,
    )


TRAINING_PLACE = Machine(
    model=TrainingPlace,
    final=frozenset({P.ATTENDED, P.MISSED}),
    changed_at="status_changed_at",
    name_of=lambda place: (
        _("%(member)s's place on %(session)s")
        % {"member": place.member, "session": place.session.title}
    ),
    moves=(
        Move(
            "offer",
            gettext_lazy("Offer a place"),
            frozenset({BORN}),
            P.OFFERED,
            "scrutiny.training.offer",
            permission="scrutiny.add_trainingplace",
            forbidden=gettext_lazy("Only scrutiny officers may offer a place."),
        ),
        _place_move(
            "book",
            pgettext_lazy("move of a training place", "Book"),
            {P.OFFERED, P.DECLINED},
            P.BOOKED,
            forbidden=gettext_lazy("Only the member or scrutiny officers may book."),
            refusal=gettext_lazy("%(record)s is %(state)s, so it cannot be booked."),
            member=True,
        ),
        _place_move(
            "decline",
            pgettext_lazy("move of a training place", "Decline"),
            {P.OFFERED, P.BOOKED},
            P.DECLINED,
            forbidden=gettext_lazy("Only the member or scrutiny officers may decline."),
            refusal=gettext_lazy("%(record)s is %(state)s, so it cannot be declined."),
            member=True,
        ),
        _place_move(
            "attend",
            pgettext_lazy("move of a training place", "Attended"),
            {P.BOOKED},
            P.ATTENDED,
            forbidden=gettext_lazy("Only scrutiny officers may record who attended."),
            refusal=gettext_lazy("%(record)s is %(state)s, so it cannot be marked attended."),
            member=False,
        ),
        _place_move(
            "miss",
            gettext_lazy("Did not attend"),
            {P.BOOKED},
            P.MISSED,
            forbidden=gettext_lazy("Only scrutiny officers may record who attended."),
            refusal=gettext_lazy("%(record)s is %(state)s, so it cannot be marked missed."),
            member=False,
        ),
    ),
)

T = TimeStatus
TIME = Machine(
    model=TimeEntry,
    final=frozenset({T.WITHDRAWN}),
    name_of=lambda entry: _("This time"),
    moves=(
        Move(
            "log",
            gettext_lazy("Log time"),
            frozenset({BORN}),
            T.LOGGED,
            "scrutiny.time.log",
            guards=(rules.time_not_in_future,),
        ),
        Move(
            "withdraw",
            pgettext_lazy("move of logged time", "Withdraw"),
            frozenset({T.LOGGED}),
            T.WITHDRAWN,
            "scrutiny.time.withdraw",
            permission=lambda user, entry: (
                permissions.may_log_time_for_others(user)
                or (entry is not None and entry.member.user_id == user.pk)
            ),
            forbidden=gettext_lazy("Only the member or scrutiny officers may withdraw."),
            button=True,
            done="withdrawn",
            refusal=gettext_lazy("%(record)s is already %(state)s."),
        ),
    ),
)

RF = ReferralStatus
REFERRAL = Machine(
    model=ReferredTopic,
    final=frozenset({RF.REPORTED, RF.WITHDRAWN}),
    changed_at="status_changed_at",
    name_of=lambda topic: pgettext("a title in quotes", "“%(title)s”") % {"title": topic},
    moves=(
        Move(
            "refer",
            gettext_lazy("Record a referral"),
            frozenset({BORN}),
            RF.REFERRED,
            "scrutiny.referral.refer",
            permission="scrutiny.add_referredtopic",
            forbidden=gettext_lazy("Only scrutiny officers may record a referral."),
            guards=(rules.referred_at_a_past_meeting,),
        ),
        Move(
            "schedule",
            gettext_lazy("Schedule into a review"),
            frozenset({RF.REFERRED}),
            RF.SCHEDULED,
            "scrutiny.referral.schedule",
            permission="scrutiny.schedule_review",
            forbidden=SCHEDULE_FORBIDDEN,
            guards=(rules.review_not_reported,),
            done="scheduled",
            refusal=gettext_lazy("%(record)s is %(state)s, so it cannot be scheduled."),
        ),
        Move(
            "report",
            gettext_lazy("The review reported"),
            frozenset({RF.SCHEDULED}),
            RF.REPORTED,
            "scrutiny.referral.report",
        ),
        Move(
            "withdraw",
            pgettext_lazy("move of a referred topic", "Withdraw"),
            frozenset({RF.REFERRED}),
            RF.WITHDRAWN,
            "scrutiny.referral.withdraw",
            permission="scrutiny.change_referredtopic",
            forbidden=gettext_lazy("Only scrutiny officers may withdraw."),
            guards=(rules.text_given(gettext_lazy("Say why the body withdrew the topic.")),),
            button=True,
            done="withdrawn",
            refusal=gettext_lazy(
                "%(record)s is %(state)s: only a topic waiting for the programme is withdrawn."
            ),
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
            gettext_lazy("Prepare the review"),
            frozenset({BORN}),
            EF.DRAFT,
            "scrutiny.effectiveness.prepare",
            permission="scrutiny.add_effectivenessreview",
            forbidden=gettext_lazy("Only scrutiny officers may prepare the review."),
        ),
        Move(
            "agree",
            gettext_lazy("Agreed at a meeting"),
            frozenset({EF.DRAFT}),
            EF.AGREED,
            "scrutiny.effectiveness.agree",
            permission="scrutiny.agree_effectivenessreview",
            forbidden=gettext_lazy(
                "Only panel members and scrutiny officers may record that the panel agreed the "
                "review."
            ),
            guards=(rules.assessment_written, rules.agreed_at_a_held_meeting),
            done="agreed",
            refusal=gettext_lazy("%(record)s is %(state)s, so it cannot be agreed again."),
        ),
        Move(
            "reopen",
            gettext_lazy("Reopen for changes"),
            frozenset({EF.AGREED}),
            EF.DRAFT,
            "scrutiny.effectiveness.reopen",
            permission="scrutiny.agree_effectivenessreview",
            forbidden=gettext_lazy(
                "Only panel members and scrutiny officers may reopen for changes."
            ),
            guards=(
                rules.text_given(gettext_lazy("Say why the panel reopens its agreed review.")),
            ),
            button=True,
            refusal=gettext_lazy(
                "%(record)s is %(state)s: only an agreed review not yet acknowledged reopens."
            ),
        ),
        Move(
            "acknowledge",
            gettext_lazy("Acknowledged by the oversight body"),
            frozenset({EF.AGREED}),
            EF.ACKNOWLEDGED,
            "scrutiny.effectiveness.acknowledge",
            permission="scrutiny.acknowledge_effectivenessreview",
            forbidden=gettext_lazy(
                "Only scrutiny officers and managers may record the oversight body's "
                "acknowledgement."
            ),
            guards=(rules.acknowledged_after_agreement,),
            done="acknowledged",
            refusal=gettext_lazy("%(record)s is %(state)s, so it cannot be acknowledged."),
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


def _last_change(machine: Machine, record) -> tuple[str | None, object] | None:
    """Who moved the record to its current state, and when, from its history; who is None
    for a change no person made (a scheduled task, the public form)."""
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
    who = rules.person_name(reached.history_user) if reached.history_user else None
    return who, reached.history_date


def _refusal(machine: Machine, record, move: Move, state) -> str:
    """Why a move cannot be made from where the record is, and who put it there."""
    name = machine.name_of(record)
    state_label = machine.state_label(state).lower()
    last = _last_change(machine, record)
    reached_by = {m.done for m in machine.moves if m.target == state and m.done}
    if last is not None:
        who, moment = last
        moment = timezone.localtime(moment)
        when = {"time": date_format(moment, "H:i"), "date": date_format(moment, "j F Y")}
        if move.done and move.done in reached_by:
            # Translators: in place of a person's name, for a change no person made.
            by = who or pgettext("who made a change", "the system")
            return ALREADY[move.done] % {"record": name, "who": by, **when}
    template = move.refusal or _("%(record)s is %(state)s, so it cannot be moved with “%(label)s”.")
    message = template % {"record": name, "state": state_label, "label": move.label}
    if move.done and last is not None:
        if who is None:
            since = _("It has been %(state)s since %(time)s on %(date)s.")
        else:
            since = _("It was moved there by %(who)s at %(time)s on %(date)s.")
        message += " " + since % {"state": state_label, "who": who, **when}
    return message


def _refuse_unless_guards_pass(move: Move, record, user, context: dict) -> None:
    for guard in move.guards:
        reason = guard(record, user=user, **context)
        if isinstance(reason, list) and reason:
            reasons = [str(each) for each in reason]
            raise TransitionNotAllowed(" ".join(reasons), reasons=reasons)
        if reason:
            raise TransitionNotAllowed(str(reason))


def _forbidden(move: Move) -> PermissionDenied:
    return PermissionDenied(str(move.forbidden or _("You may not make this change.")))


def check(record, name: str, *, user=None, **context) -> None:
    """Refuse, as `apply` would, without moving: for forms that ask before they show."""
    machine = machine_for(record)
    move = machine.move(name)
    if not permits(move, user, record):
        raise _forbidden(move)
    state = BORN if record.pk is None else machine.state_of(record)
    _refuse_unless_possible(machine, move, record, state, user, context)


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

    Every refusal comes before anything is written, so a caller may catch it and go on in its
    own transaction. What fails after the first write undoes the caller's whole transaction:
    half a move is never kept.
    """
    machine = machine_for(record)
    move = machine.move(name)
    if not permits(move, user, record):
        raise _forbidden(move)
    if record.pk is not None:
        with transaction.atomic():
            record = machine.lock(record)
            state = machine.state_of(record)
            _refuse_unless_possible(machine, move, record, state, user, context)
            return _make(machine, move, record, state, user, changes, data, notify)
    if machine.page:
        raise TypeError("Pages are created in the page tree, in their first state.")
    # A new record has no row to lock, so it is checked before the transaction, and its writes
    # need no savepoint of their own (two round trips on every call a resident sends).
    _refuse_unless_possible(machine, move, record, BORN, user, context)
    with transaction.atomic(savepoint=False):
        return _make(machine, move, record, BORN, user, changes, data, notify)


def _refuse_unless_possible(machine: Machine, move: Move, record, state, user, context) -> None:
    if state not in move.sources:
        raise TransitionNotAllowed(_refusal(machine, record, move, state))
    _refuse_unless_guards_pass(move, record, user, context)


def _make(machine: Machine, move: Move, record, state, user, changes, data, notify):
    """Write a move that has been checked: its fields, history, log entry and tasks."""
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
            if state is BORN:
                record.save()
            else:
                record.save(update_fields=list(written))
    finally:
        _applying.reset(token)
    log_move(
        machine.log_on(record),
        move.action,
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


def log_move(instance, action: str, *, user, data: dict):
    """Wagtail's log entry for a move, as `wagtail.log_actions.log` writes it, but without the
    entry's `full_clean`, which reads its content type and its user back from the database to
    check keys taken from them a moment before: a query or two on every move.

    The one check that clean makes beyond the fields, that the action is registered, is kept.
    """
    model = log_registry.get_log_model_for_instance(instance)
    if model is None:  # a model Wagtail keeps no log of, as log() would skip it
        return None
    if not log_registry.action_exists(action):
        raise ValueError(f"The log action {action!r} has not been registered.")
    context = get_active_log_context()
    if issubclass(model, PageLogEntry):
        where = {"page": instance}
    else:
        where = {"object_id": str(instance.pk)}
    entry = model(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        label=model.objects.get_instance_title(instance),
        action=action,
        timestamp=timezone.now(),
        data=data,
        user=user or context.user,
        uuid=context.uuid,
        **where,
    )
    model.objects.bulk_create([entry])
    return entry
