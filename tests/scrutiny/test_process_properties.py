"""Random sequences of the real operations, by each role, against the seeds' rules.

A Hypothesis state machine drives the pipeline as residents, officers, the panel, managers
and the appeal panel would, in any order and often where the rules must refuse, while a clock
of its own moves on. After every step it reads the database and checks what the seeds and the
issue promise: each status reached is allowed from the one before (the tables below are
written from the seeds, not read from the engine), decisions are taken at meetings that took
place after the call reached the panel, accepted calls join only reviews not at their report,
appeals keep their deadlines, size and independence, petition counts are true, every status
change has one history row and one log entry by the same person, a refused operation changes
nothing, and no record is left in a state it cannot leave.

PROPERTY_EXAMPLES (default 200) and PROPERTY_STEPS (default 40) set the size of the run. The
sequences are shared between PROPERTY_SHARDS tests (default 2), each with a fixed seed of its
own, so that pytest-xdist runs them side by side and every run tries the same sequences.
"""

import datetime
import json
import os
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    get_state_machine_test,
    invariant,
    precondition,
    rule,
)
from wagtail.models import ModelLogEntry, PageLogEntry, Revision, TaskState, WorkflowState

from scrutiny import pipeline, roles, tasks
from scrutiny.financial_years import current_financial_year, financial_year_bounds
from scrutiny.models import (
    ActionItem,
    Appeal,
    CallForScrutiny,
    EffectivenessReview,
    InvolvementGroup,
    MeetingKind,
    Monitoring,
    PanelApplication,
    PanelDecision,
    PanelMeeting,
    PanelMember,
    Petition,
    PetitionSignature,
    Recommendation,
    RecommendationResponse,
    ReferredTopic,
    ReviewStepProgress,
    Score,
    ScrutinyReviewPage,
    ScrutinySettings,
    TimeEntry,
    TrainingPlace,
    TrainingSession,
)
from scrutiny.models.programme import report_workflow
from scrutiny.pipeline import TransitionNotAllowed, machine
from tests.conftest import make_business_area, make_home_page, make_user
from tests.scrutiny.review_builders import make_programme

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "200"))
STEPS = int(os.environ.get("PROPERTY_STEPS", "40"))
SHARDS = max(1, int(os.environ.get("PROPERTY_SHARDS", "2")))

# --- The process as the seeds describe it ----------------------------------------------------
# (from, to) pairs a record may move between. Pine Court's Community Call for Scrutiny:
# "submitted -> triage -> gathering evidence -> awaiting panel -> one decision"; not accepted,
# monitoring and serious failure can be appealed (the appeal panel returns the call to the
# panel or accepts it); accepted calls are scheduled into a review, which reports; and the
# issue adds the endings: withdrawn, duplicate, out of scope, monitoring's outcomes, a serious
# failure put right, a call not accepted once it can no longer be appealed.

BEFORE = ["submitted", "triage", "gathering_evidence"]
DECIDED = ["not_accepted", "monitoring", "serious_failure"]
CALL_SPEC = {
    ("submitted", "triage"),
    ("triage", "gathering_evidence"),
    ("triage", "awaiting_panel"),
    ("gathering_evidence", "awaiting_panel"),
    ("gathering_evidence", "triage"),
    ("awaiting_panel", "triage"),
    *{("awaiting_panel", outcome) for outcome in [*DECIDED, "accepted"]},
    *{(state, "closed") for state in [*BEFORE, "awaiting_panel"]},
    ("accepted", "scheduled"),
    ("scheduled", "in_review"),
    ("scheduled", "reported"),
    ("in_review", "reported"),
    *{(state, "closed") for state in ["scheduled", "in_review", "reported"]},
    *{(state, "awaiting_panel") for state in DECIDED},
    *{(state, "accepted") for state in DECIDED},
    ("not_accepted", "closed"),
    ("monitoring", "closed"),
    ("serious_failure", "closed"),
}
APPEAL_SPEC = {("received", "panel_convened"), ("panel_convened", "decided")}
PETITION_SPEC = {("draft", "open"), ("open", "closed"), ("draft", "closed")}
MEETING_SPEC = {("scheduled", "held"), ("scheduled", "cancelled")}
MONITORING_SPEC = {("watching", end) for end in ["improved", "escalated", "ended_by_appeal"]}
REVIEW_SPEC = {
    ("scheduled", "in_review"),
    ("scheduled", "reporting"),
    ("in_review", "reporting"),
    ("reporting", "in_review"),
    ("reporting", "reported"),
    ("reported", "completed"),
    ("completed", "reported"),
}
ACTION_SPEC = {
    (a, b)
    for a in ["not_started", "in_progress", "done", "cancelled"]
    for b in ["not_started", "in_progress", "done", "cancelled"]
    if a != b
    and (a, b)
    not in {
        ("done", "not_started"),
        ("done", "cancelled"),
        ("cancelled", "in_progress"),
        ("cancelled", "done"),
    }
}
APPLICATION_SPEC = {
    ("received", "shortlisted"),
    ("shortlisted", "interviewed"),
    ("interviewed", "appointed"),
    *{(stage, "declined") for stage in ["received", "shortlisted", "interviewed"]},
}
EXPENSE_SPEC = {("submitted", "approved"), ("submitted", "rejected")}
# Training: a place is booked or declined before the session, attended or missed after it.
PLACE_SPEC = {
    ("offered", "booked"),
    ("offered", "declined"),
    ("booked", "declined"),
    ("declined", "booked"),
    ("booked", "attended"),
    ("booked", "missed"),
}
TIME_SPEC = {("logged", "withdrawn")}
# The Citizen FAQ: topics "identified by the Customer Assurance Committee" are scheduled into a
# review, which reports on them; the body may withdraw one before it is scheduled.
REFERRAL_SPEC = {("referred", "scheduled"), ("scheduled", "reported"), ("referred", "withdrawn")}
# "Every year the panel will meet to review the progress and effectiveness of scrutiny": agreed
# at a meeting, then acknowledged by the oversight body; reopened only before that.
EFFECTIVENESS_SPEC = {("draft", "agreed"), ("agreed", "draft"), ("agreed", "acknowledged")}
STEP_STATES = ["not_started", "in_progress", "done", "skipped"]
STEP_SPEC = {(a, b) for a in STEP_STATES for b in STEP_STATES if a != b}
REVIEW_RUNNING = {"scheduled", "in_review"}

# Which of its moves' log entries belong to each model (they may be written on another record:
# a step's on its review, a monitoring's on its call), to pair them with the history rows.
SPECS = {
    CallForScrutiny: ("status", CALL_SPEC),
    Appeal: ("status", APPEAL_SPEC),
    Petition: ("status", PETITION_SPEC),
    PanelMeeting: ("status", MEETING_SPEC),
    Monitoring: ("status", MONITORING_SPEC),
    ActionItem: ("status", ACTION_SPEC),
    PanelApplication: ("stage", APPLICATION_SPEC),
    ReviewStepProgress: ("status", STEP_SPEC),
    TrainingPlace: ("status", PLACE_SPEC),
    TimeEntry: ("status", TIME_SPEC),
    ReferredTopic: ("status", REFERRAL_SPEC),
    EffectivenessReview: ("status", EFFECTIVENESS_SPEC),
}
SPECS_EXPENSE = ("status", EXPENSE_SPEC)

ROLES = ["officer", "panel", "panel2", "manager", "comms", "appeal1", "resident"]
OUTCOMES = ["not_accepted", "monitoring", "accepted", "serious_failure"]
RESIDENTS = ["ann@example.org", "bo@example.org", "cy@example.org"]
SIGNERS = [f"signer{n}@example.net" for n in range(4)]
PICK = st.integers(min_value=0, max_value=10_000)


class Clock:
    """The time the process sees: it only moves forward, a microsecond each time it is read,
    so that everything written in one step is still in the order it happened."""

    def __init__(self):
        self.now = timezone.now().replace(microsecond=0)

    def __call__(self):
        self.now += datetime.timedelta(microseconds=1)
        return self.now


def build_world() -> dict:
    """The people, services and pages every sequence starts from (made once per test)."""
    home = make_home_page()
    make_programme(home)
    people = {
        "officer": make_user("olu", group=roles.OFFICERS, first_name="Olu", last_name="Ade"),
        "panel": make_user("pat", group=roles.PANEL, first_name="Pat", last_name="Lee"),
        "panel2": make_user("ruth", group=roles.PANEL, first_name="Ruth", last_name="Adeyemi"),
        "manager": make_user("mo", group=roles.MANAGERS, first_name="Mo", last_name="Khan"),
        "comms": make_user("cat", group=roles.COMMUNICATIONS),
    }
    for key in ["panel", "panel2"]:
        PanelMember.objects.create(user=people[key], started_on=datetime.date(2020, 1, 1))
    areas = [make_business_area("Repairs"), make_business_area("Lettings")]
    readers = InvolvementGroup.objects.create(name="Readers' panel")
    inspectors = InvolvementGroup.objects.create(name="Estate inspectors")
    inspectors.business_areas.set([areas[0]])
    offline = InvolvementGroup.objects.create(name="Newsletter", hears_appeals=False)
    appeal_group = Group.objects.get(name=roles.APPEAL_PANEL)
    hearers = []
    for number in range(1, 7):
        user = make_user(f"reader{number}", first_name="Reader", last_name=str(number))
        user.groups.add(appeal_group)
        readers.members.add(user)
        hearers.append(user)
    people["appeal1"] = hearers[0]
    inspector = make_user("inspector", first_name="Ines", last_name="Moreau")
    inspectors.members.add(inspector)
    outsider = make_user("outsider", first_name="Nell", last_name="Ward")
    offline.members.add(outsider)
    candidates = [*hearers, inspector, outsider, people["manager"], people["panel"]]
    config = ScrutinySettings.load()
    config.appeal_panel_minimum, config.appeal_panel_maximum = 4, 6
    config.save()
    return {"people": people, "areas": areas, "candidates": candidates}


WORLD: dict = {}
# Every (model, state) some sequence reached, so the test can show it went deep enough.
REACHED: set[tuple[str, str]] = set()


PRESENT = [
    CallForScrutiny,
    PanelMeeting,
    PanelDecision,
    Monitoring,
    Appeal,
    Petition,
    PetitionSignature,
    ScrutinyReviewPage,
    Recommendation,
    ActionItem,
    PanelApplication,
    Score,
    RecommendationResponse,
    TrainingPlace,
    TimeEntry,
    ReferredTopic,
    EffectivenessReview,
]
# Every table a step can write: the records, their history, the log, revisions and workflow.
TABLES = {
    **{model: model._meta.db_table for model in PRESENT},
    **{
        ("history", model): model.history.model._meta.db_table
        for model in [*SPECS, PetitionSignature, PanelDecision, Score, RecommendationResponse]
    },
    ModelLogEntry: ModelLogEntry._meta.db_table,
    PageLogEntry: PageLogEntry._meta.db_table,
    "appeal panel": Appeal.panel.through._meta.db_table,
    Revision: Revision._meta.db_table,
    WorkflowState: WorkflowState._meta.db_table,
    TaskState: TaskState._meta.db_table,
}


def counts() -> dict:
    """How many rows every table holds, read in one statement."""
    quote = connection.ops.quote_name
    # Only the models' own table names go into the statement.
    sql = " UNION ALL ".join(
        f"SELECT COUNT(*) FROM {quote(table)}"  # noqa: S608
        for table in TABLES.values()
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(TABLES, (row[0] for row in cursor.fetchall()), strict=True))


def snapshot() -> tuple:
    """What a refused operation must leave as it was: every table's rows, and the states that
    change without a new row (a review's status, a petition's running count)."""
    return (
        counts(),
        list(ScrutinyReviewPage.objects.order_by("pk").values_list("pk", "status", "live")),
        list(Petition.objects.order_by("pk").values_list("pk", "status", "people_counted")),
        list(TrainingPlace.objects.order_by("pk").values_list("pk", "status")),
        list(TimeEntry.objects.order_by("pk").values_list("pk", "status")),
        list(
            EffectivenessReview.objects.order_by("pk").values_list(
                "pk", "status", "what_worked", "what_did_not", "changes_next_year"
            )
        ),
    )


def having(*models):
    """A precondition: the rule needs a record of each of these kinds to act on."""
    return precondition(lambda process: all(process.present[model] for model in models))


def status_changes(model, field: str) -> dict[int, list[tuple]]:
    """For each record, (from, to, user id) of each change of state in its history rows."""
    changes: dict[int, list[tuple]] = {}
    previous: dict[int, str] = {}
    for pk, value, user in model.history.order_by("history_date", "history_id").values_list(
        "id", field, "history_user_id"
    ):
        if pk in previous and value != previous[pk]:
            changes.setdefault(pk, []).append((previous[pk], value, user))
        previous[pk] = value
    return changes


def logged_moves() -> dict[type, dict[int, list[tuple]]]:
    """For each model and record, (from, to, user id) of each logged move that changed its
    state (log entries may be written on another record: a step's on its review)."""
    model_of = {
        move.action: model for model, each in machine.MACHINES.items() for move in each.moves
    }
    found: dict[type, dict[int, list[tuple]]] = {model: {} for model in machine.MACHINES}
    for entries in [ModelLogEntry.objects, PageLogEntry.objects]:
        for action, data, user in (
            entries.filter(action__in=model_of)
            .order_by("timestamp", "pk")
            .values_list("action", "data", "user_id")
        ):
            if data.get("from") is not None and data.get("from") != data.get("to"):
                moves = found[model_of[action]].setdefault(data["record"], [])
                moves.append((data["from"], data["to"], user))
    return found


class ScrutinyProcess(RuleBasedStateMachine):
    """The pipeline, driven by every role, with the clock moving on."""

    def __init__(self):
        super().__init__()
        self.clock = Clock()
        self.patch = mock.patch("django.utils.timezone.now", self.clock)
        self.patch.start()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.people = WORLD["people"]
        self.areas = WORLD["areas"]
        self.refusals = 0
        self.present = self.checked = counts()

    def teardown(self):
        for model, each in machine.MACHINES.items():
            for state in model.objects.values_list(each.field, flat=True).distinct():
                REACHED.add((model.__name__, state))
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        self.patch.stop()

    # --- Helpers ---

    def user(self, role):
        return None if role == "resident" else self.people[role]

    def pick(self, model, index, **filters):
        records = list(model.objects.filter(**filters).order_by("pk"))
        return records[index % len(records)] if records else None

    def attempt(self, operation):
        """Run an operation; a refusal must leave every row as it was."""
        before = snapshot()
        try:
            return operation()
        except (TransitionNotAllowed, PermissionDenied):
            assert snapshot() == before, "a refused operation changed the record"
            self.refusals += 1
            return None

    # --- Time ---

    @rule(hours=st.integers(min_value=1, max_value=24 * 40))
    def time_passes(self, hours):
        self.clock.now += datetime.timedelta(hours=hours)

    @having(CallForScrutiny)
    @rule()
    def daily_tasks_run(self):
        tasks.close_expired_petitions()
        tasks.close_finished_calls()
        pipeline.retention_apply()

    @rule()
    def years_pass(self):
        self.clock.now += datetime.timedelta(days=800)

    # --- Calls ---

    @rule(email=st.sampled_from(RESIDENTS), area=st.integers(0, 1))
    def resident_raises_a_call(self, email, area):
        pipeline.call_submit(
            fields={
                "name": "A Resident",
                "email": email,
                "postcode": "L20 3AB",
                "tenure": "tenant",
                "business_area": self.areas[area],
                "concerns": "Repairs are late.",
                "actions_taken": "Complained.",
                "service_failures": "Missed appointments.",
                "households_affected": 30,
            }
        )

    @having(CallForScrutiny)
    @rule(
        index=PICK,
        move=st.sampled_from(
            ["start_triage", "gather_evidence", "send_to_panel", "return_to_triage"]
        ),
        role=st.sampled_from(ROLES[:-1]),
    )
    def officer_moves_a_call(self, index, move, role):
        call = self.pick(CallForScrutiny, index)
        if call is not None:
            self.attempt(
                lambda: pipeline.call_move(call=call, transition=move, user=self.user(role))
            )

    @having(CallForScrutiny)
    @rule(
        index=PICK,
        other=PICK,
        closure=st.sampled_from(["withdrawn", "duplicate", "out_of_scope", "forgotten"]),
        reason=st.sampled_from(["", "The resident asked us to."]),
        role=st.sampled_from(["officer", "officer", "panel", "manager"]),
    )
    def officer_closes_a_call(self, index, other, closure, reason, role):
        call = self.pick(CallForScrutiny, index)
        duplicate_of = self.pick(CallForScrutiny, other)
        if call is not None:
            self.attempt(
                lambda: pipeline.call_close(
                    call=call,
                    closure=closure,
                    reason=reason,
                    duplicate_of=duplicate_of,
                    user=self.user(role),
                )
            )

    # The journey is long: a few decided calls give every later rule enough to work on.
    @precondition(lambda process: process.present[PanelDecision] < 3)
    @rule(
        email=st.sampled_from(RESIDENTS),
        outcome=st.sampled_from(OUTCOMES),
        area=st.integers(0, 1),
        appeal=st.sampled_from([None, "upheld", "dismissed"]),
        direction=st.sampled_from(["return_to_panel", "accept"]),
    )
    def a_call_goes_all_the_way_to_the_panel_s_decision(
        self, email, outcome, area, appeal, direction
    ):
        """The usual journey in one step, each move one the rules allow; then, perhaps, an
        appeal heard by a panel of readers."""
        self.resident_raises_a_call(email=email, area=area)
        call = CallForScrutiny.objects.order_by("-pk").first()
        officer = self.people["officer"]
        pipeline.call_move(call=call, transition="start_triage", user=officer)
        pipeline.call_move(call=call, transition="send_to_panel", user=officer)
        meeting = PanelMeeting.objects.create(
            kind=MeetingKind.FORMAL, starts_at=self.clock.now + datetime.timedelta(hours=1)
        )
        self.clock.now += datetime.timedelta(hours=3)
        pipeline.meeting_mark_held(meeting=meeting, user=officer)
        self.present = counts()
        self.panel_decides(
            index=CallForScrutiny.objects.count() - 1,
            meeting=PanelMeeting.objects.count() - 1,
            outcome=outcome,
            role="panel",
            complete=True,
        )
        call.refresh_from_db()
        assert call.status == outcome
        if appeal is None or outcome == "accepted":
            return
        lodged = pipeline.appeal_submit(
            reference=call.reference, access_code=call.access_code, grounds="Unfair."
        )
        pipeline.appeal_convene(appeal=lodged, members=WORLD["candidates"][:4], user=officer)
        pipeline.appeal_decide(
            appeal=lodged, outcome=appeal, direction=direction, reasons="Heard.", user=officer
        )

    @having(ScrutinyReviewPage)
    @rule(index=PICK)
    def a_review_runs_to_its_published_report(self, index):
        """Every step done, the report drafted, sent and signed off, in one step."""
        self.every_step_is_done(index)
        self.the_report_is_drafted_and_sent_for_sign_off(index)
        self.the_report_is_signed_off(index)

    # --- Meetings ---

    @rule(
        days=st.integers(min_value=-5, max_value=30),
        kind=st.sampled_from(["formal", "formal", "away_day"]),
    )
    def officer_schedules_a_meeting(self, days, kind):
        PanelMeeting.objects.create(
            kind=kind, starts_at=self.clock.now + datetime.timedelta(days=days, hours=2)
        )
        pipeline.agenda_refresh(user=self.people["officer"])

    @having(PanelMeeting)
    @rule(index=PICK, held=st.booleans())
    def officer_records_a_meeting(self, index, held):
        meeting = self.pick(PanelMeeting, index)
        if meeting is None:
            return
        officer = self.people["officer"]
        if held:
            self.attempt(lambda: pipeline.meeting_mark_held(meeting=meeting, user=officer))
        else:
            self.attempt(lambda: pipeline.meeting_cancel(meeting=meeting, user=officer))

    # --- The panel's decision ---

    @having(CallForScrutiny, PanelMeeting)
    @rule(
        index=PICK,
        meeting=PICK,
        outcome=st.sampled_from(OUTCOMES),
        role=st.sampled_from(["panel", "panel", "panel2", "officer"]),
        complete=st.booleans(),
    )
    def panel_decides(self, index, meeting, outcome, role, complete):
        call = self.pick(CallForScrutiny, index)
        chosen = self.pick(PanelMeeting, meeting)
        if call is None:
            return
        details = {}
        if complete:
            details = {
                "not_accepted": {
                    "reason": "complaints-not-completed",
                    "avenues": "Finish the complaint.",
                },
                "monitoring": {"watching": "Repairs on time."},
                "serious_failure": {"immediate_recommendations": "Fix it now."},
                "accepted": {},
            }[outcome]
        self.attempt(
            lambda: pipeline.call_decide(
                call=call,
                outcome=outcome,
                user=self.user(role),
                reasons="The panel's reasons.",
                meeting=chosen,
                **details,
            )
        )

    @having(Monitoring)
    @rule(
        index=PICK,
        outcome=st.sampled_from(["improved", "escalate", "extend"]),
        days=st.integers(-5, 200),
    )
    def officer_records_what_monitoring_found(self, index, outcome, days):
        watch = self.pick(Monitoring, index)
        if watch is not None:
            self.attempt(
                lambda: pipeline.monitoring_conclude(
                    monitoring=watch,
                    outcome=outcome,
                    findings="What the panel found.",
                    review_on=timezone.localdate() + datetime.timedelta(days=days),
                    user=self.people["officer"],
                )
            )

    # --- Appeals ---

    @having(PanelDecision)
    @rule(index=PICK)
    def resident_appeals(self, index):
        call = self.pick(CallForScrutiny, index)
        if call is not None and call.access_code:
            self.attempt(
                lambda: pipeline.appeal_submit(
                    reference=call.reference, access_code=call.access_code, grounds="Unfair."
                )
            )

    @having(Appeal)
    @rule(index=PICK, chosen=st.sets(st.integers(0, 9), min_size=3, max_size=7))
    def officer_convenes_an_appeal_panel(self, index, chosen):
        appeal = self.pick(Appeal, index)
        if appeal is not None:
            members = [WORLD["candidates"][number] for number in sorted(chosen)]
            self.attempt(
                lambda: pipeline.appeal_convene(
                    appeal=appeal, members=members, user=self.people["officer"]
                )
            )

    @having(Appeal)
    @rule(
        index=PICK,
        outcome=st.sampled_from(["upheld", "dismissed"]),
        direction=st.sampled_from(["return_to_panel", "accept"]),
    )
    def appeal_panel_decides(self, index, outcome, direction):
        appeal = self.pick(Appeal, index)
        if appeal is not None:
            self.attempt(
                lambda: pipeline.appeal_decide(
                    appeal=appeal,
                    outcome=outcome,
                    direction=direction,
                    reasons="The appeal panel's reasons.",
                    user=self.people["officer"],
                )
            )

    # --- Petitions ---

    @having(CallForScrutiny)
    @rule(index=PICK)
    def officer_opens_a_petition(self, index):
        call = self.pick(CallForScrutiny, index)
        if call is not None:
            self.attempt(
                lambda: pipeline.petition_open(
                    call=call,
                    user=self.people["officer"],
                    title="Fix the repairs",
                    summary="Sign if your repair was late.",
                    target=2,
                    target_change_reason="A small estate.",
                )
            )

    @having(Petition)
    @rule(index=PICK, email=st.sampled_from(SIGNERS), confirm=st.booleans())
    def resident_signs(self, index, email, confirm):
        petition = self.pick(Petition, index)
        if petition is None:
            return
        signature = self.attempt(
            lambda: pipeline.petition_sign(
                petition=petition, name=email.split("@")[0], email=email, postcode="L20 3AB"
            )
        )
        if signature is not None and confirm:
            self.attempt(lambda: pipeline.signature_confirm(token=signature.token))

    @having(PetitionSignature)
    @rule(index=PICK)
    def signer_takes_it_back(self, index):
        signature = self.pick(PetitionSignature, index)
        if signature is not None:
            self.attempt(lambda: pipeline.signature_withdraw(token=signature.token))

    @having(Petition)
    @rule(index=PICK)
    def officer_closes_a_petition(self, index):
        petition = self.pick(Petition, index)
        if petition is not None:
            self.attempt(
                lambda: pipeline.petition_close(petition=petition, user=self.people["officer"])
            )

    # --- Scoring, the programme and reviews ---

    @having(PanelDecision)
    @rule(index=PICK, role=st.sampled_from(["officer", "panel", "manager"]), run=st.booleans())
    def an_accepted_call_is_scheduled(self, index, role, run):
        """Scored and scheduled; then, perhaps, its review run to a published report."""
        year = current_financial_year()
        user = self.user(role)
        self.attempt(lambda: pipeline.scores_refresh(year=year, user=user))
        score = self.pick(Score, index, scheduled=False, call__isnull=False)
        if score is None:
            return
        review = self.attempt(lambda: pipeline.programme_schedule(score=score, user=user))
        if review is not None and run:
            self.present = counts()
            position = list(ScrutinyReviewPage.objects.order_by("pk")).index(review)
            self.a_review_runs_to_its_published_report(index=position)

    @having(ScrutinyReviewPage)
    @rule(
        index=PICK,
        status=st.sampled_from(STEP_STATES),
        notes=st.sampled_from(["", "Not needed: covered last year."]),
        role=st.sampled_from(["officer", "panel", "comms"]),
    )
    def a_step_is_updated(self, index, status, notes, role):
        step = self.pick(ReviewStepProgress, index)
        if step is not None:
            self.attempt(
                lambda: pipeline.review_step_update(
                    step=step, status=status, notes=notes, user=self.user(role)
                )
            )

    @having(ScrutinyReviewPage)
    @rule(index=PICK)
    def every_step_is_done(self, index):
        review = self.pick(ScrutinyReviewPage, index)
        if review is None:
            return
        for step in review.steps.exclude(status__in=["done", "skipped"]):
            self.attempt(
                lambda step=step: pipeline.review_step_update(
                    step=step, status="done", user=self.people["officer"]
                )
            )

    @having(ScrutinyReviewPage)
    @rule(index=PICK)
    def the_report_is_drafted_and_sent_for_sign_off(self, index):
        review = self.pick(ScrutinyReviewPage, index)
        if review is None:
            return
        if not review.recommendations.exists():
            review.recommendations.add(
                Recommendation(recommendation="Book repairs at first call.", evidence="Survey.")
            )
            review.save()
        panel = self.people["panel"]
        review.save_revision(user=panel)
        # What the editor's "Submit to Report approval" does, where the page allows it.
        if review.permissions_for_user(panel).can_submit_for_moderation():
            report_workflow().start(review, panel)
        else:
            self.refusals += 1

    @having(ScrutinyReviewPage)
    @rule(index=PICK)
    def the_report_is_signed_off(self, index):
        review = self.pick(ScrutinyReviewPage, index)
        if review is None:
            return
        for approver in [self.people["panel"], self.people["manager"]]:
            review = ScrutinyReviewPage.objects.get(pk=review.pk)
            state = review.current_workflow_task_state
            if state is None:
                return
            state.approve(user=approver)

    @having(Recommendation)
    @rule(
        index=PICK,
        decision=st.sampled_from(["accepted", "partly_accepted", "not_accepted"]),
        role=st.sampled_from(["manager", "officer", "panel"]),
    )
    def a_recommendation_is_answered(self, index, decision, role):
        recommendation = self.pick(Recommendation, index)
        if recommendation is not None:
            self.attempt(
                lambda: pipeline.recommendation_respond(
                    recommendation=recommendation,
                    decision=decision,
                    reasons="Because.",
                    user=self.user(role),
                )
            )

    @having(PanelDecision)
    @rule(index=PICK, on_decision=st.booleans())
    def an_action_is_added(self, index, on_decision):
        officer = self.people["officer"]
        due = timezone.localdate() + datetime.timedelta(days=30)
        if on_decision:
            decision = self.pick(PanelDecision, index)
            if decision is not None:
                self.attempt(
                    lambda: pipeline.action_add(
                        decision=decision, action="Fix it.", due_on=due, user=officer
                    )
                )
        else:
            recommendation = self.pick(Recommendation, index)
            if recommendation is not None:
                self.attempt(
                    lambda: pipeline.action_add(
                        recommendation=recommendation, action="Fix it.", due_on=due, user=officer
                    )
                )

    @having(ActionItem)
    @rule(
        index=PICK,
        status=st.sampled_from(["not_started", "in_progress", "done", "cancelled"]),
        note=st.sampled_from(["", "Progress made."]),
    )
    def progress_on_an_action(self, index, status, note):
        item = self.pick(ActionItem, index)
        if item is not None:
            self.attempt(
                lambda: pipeline.action_progress(
                    item=item, status=status, note=note, user=self.people["officer"]
                )
            )

    # --- Joining the panel, and residents' data ---

    @rule(
        index=PICK, stage=st.sampled_from(["shortlisted", "interviewed", "declined", "appointed"])
    )
    def an_application_moves(self, index, stage):
        if not PanelApplication.objects.exists() or index % 3 == 0:
            pipeline.application_submit(
                fields={
                    "name": f"Applicant {index}",
                    "email": f"applicant{index}@example.org",
                    "tenure": "tenant",
                    "why_join": "To help.",
                }
            )
        application = self.pick(PanelApplication, index)
        officer = self.people["officer"]
        if stage == "appointed":
            self.attempt(
                lambda: pipeline.application_appoint(application=application, user=officer)
            )
        else:
            self.attempt(
                lambda: pipeline.application_move(
                    application=application, stage=stage, user=officer
                )
            )

    # --- Training and time given ---

    @rule(
        index=PICK,
        days=st.integers(-10, 10),
        move=st.sampled_from(["book", "decline", "attend", "miss"]),
        role=st.sampled_from(["officer", "panel", "panel2", "manager"]),
    )
    def a_training_place_moves(self, index, days, move, role):
        if not TrainingSession.objects.exists() or index % 4 == 0:
            session = TrainingSession.objects.create(
                title=f"Session {index}",
                held_on=timezone.localdate() + datetime.timedelta(days=days),
                provider="TPAS",
                hours=3,
            )
            members = PanelMember.objects.all()
            pipeline.training_offer(session=session, members=members, user=self.people["officer"])
        place = self.pick(TrainingPlace, index)
        self.attempt(
            lambda: pipeline.training_place_move(place=place, move=move, user=self.user(role))
        )

    @rule(
        index=PICK,
        days=st.integers(-5, 2),
        role=st.sampled_from(["officer", "panel", "panel2", "manager"]),
        withdraw=st.booleans(),
    )
    def time_is_logged_or_withdrawn(self, index, days, role, withdraw):
        if withdraw and TimeEntry.objects.exists():
            entry = self.pick(TimeEntry, index)
            self.attempt(lambda: pipeline.time_withdraw(entry=entry, user=self.user(role)))
            return
        member = self.pick(PanelMember, index)
        self.attempt(
            lambda: pipeline.time_log(
                user=self.user(role),
                member=member,
                activity="interviews",
                worked_on=timezone.localdate() + datetime.timedelta(days=days),
                hours=2,
            )
        )

    # --- The panel's year ---

    @rule(
        index=PICK,
        days=st.integers(-3, 30),
        role=st.sampled_from(["officer", "panel", "manager"]),
        then=st.sampled_from(["nothing", "schedule", "withdraw"]),
    )
    def the_oversight_body_refers_a_topic(self, index, days, role, then):
        """Recorded (by whoever tries), then perhaps scheduled beside the calls, or withdrawn."""
        if index % 3 == 0 or not ReferredTopic.objects.exists():
            self.attempt(
                lambda: pipeline.referral_record(
                    user=self.user(role),
                    title=f"Topic {index}",
                    business_area=self.areas[index % 2],
                    evidence="Satisfaction fell.",
                    body_meeting="Quarterly meeting",
                    referred_on=timezone.localdate() - datetime.timedelta(days=days),
                )
            )
        topic = self.pick(ReferredTopic, index)
        if topic is None or then == "nothing":
            return
        user = self.user(role)
        if then == "withdraw":
            self.attempt(
                lambda: pipeline.referral_withdraw(topic=topic, reason="Fixed.", user=user)
            )
            return
        year = current_financial_year()
        self.attempt(lambda: pipeline.scores_refresh(year=year, user=user))
        score = self.pick(Score, index, scheduled=False, referral__isnull=False)
        if score is not None:
            self.attempt(lambda: pipeline.programme_schedule(score=score, user=user))

    @rule(then=st.sampled_from(["acknowledge", "reopen", "nothing"]))
    def the_panel_agrees_its_review_at_a_meeting(self, then):
        """The whole way, as the seed tells it: prepared, written by the panel, agreed at the
        formal meeting just held; then acknowledged by the body, or reopened."""
        officer, panel = self.people["officer"], self.people["panel"]
        year = current_financial_year()
        review = EffectivenessReview.objects.filter(financial_year=year).first()
        if review is None:
            review = self.attempt(lambda: pipeline.effectiveness_prepare(year=year, user=officer))
        if review is None:
            return
        review.refresh_from_db()
        if review.status == "draft":
            self.attempt(
                lambda: pipeline.effectiveness_write(
                    review=review,
                    user=panel,
                    what_worked="Calls were answered quickly.",
                    what_did_not="Plans slipped.",
                    changes="Check plans every meeting.",
                )
            )
            meeting = PanelMeeting.objects.create(
                kind="formal", starts_at=self.clock.now - datetime.timedelta(hours=3)
            )
            self.attempt(lambda: pipeline.meeting_mark_held(meeting=meeting, user=officer))
            self.attempt(
                lambda: pipeline.effectiveness_agree(review=review, meeting=meeting, user=panel)
            )
        if then == "acknowledge":
            self.attempt(
                lambda: pipeline.effectiveness_acknowledge(
                    review=review,
                    acknowledged_on=timezone.localdate(),
                    user=self.people["manager"],
                )
            )
        elif then == "reopen":
            self.attempt(
                lambda: pipeline.effectiveness_reopen(review=review, reason="Redo.", user=panel)
            )

    @rule(
        index=PICK,
        move=st.sampled_from(["prepare", "write", "agree", "reopen", "acknowledge"]),
        role=st.sampled_from(["officer", "panel", "manager", "comms"]),
        days=st.integers(-3, 40),
        years_back=st.integers(0, 2),
    )
    def the_panel_reviews_its_year(self, index, move, role, days, years_back):
        user = self.user(role)
        if move == "prepare" or not EffectivenessReview.objects.exists():
            year = current_financial_year() - years_back
            self.attempt(lambda: pipeline.effectiveness_prepare(year=year, user=user))
            return
        review = self.pick(EffectivenessReview, index)
        if move == "write":
            text = "" if index % 5 == 0 else "Written."
            self.attempt(
                lambda: pipeline.effectiveness_write(
                    review=review, user=user, what_worked=text, what_did_not=text, changes=text
                )
            )
        elif move == "agree":
            if index % 2 and not review.what_worked:  # mostly written first, as the panel would
                self.attempt(
                    lambda: pipeline.effectiveness_write(
                        review=review,
                        user=self.people["panel"],
                        what_worked="Worked.",
                        what_did_not="Did not.",
                        changes="Changes.",
                    )
                )
                review.refresh_from_db()
            if index % 2:  # the panel's meeting this afternoon, recorded as held
                meeting = PanelMeeting.objects.create(
                    kind="formal", starts_at=self.clock.now - datetime.timedelta(hours=3)
                )
                officer = self.people["officer"]
                self.attempt(lambda: pipeline.meeting_mark_held(meeting=meeting, user=officer))
            # Mostly a meeting that was held; sometimes any meeting, or none.
            held = self.pick(PanelMeeting, index, status="held")
            meeting = (held or self.pick(PanelMeeting, index)) if index % 7 else None
            if index % 3 == 0:
                meeting = self.pick(PanelMeeting, index)
            self.attempt(
                lambda: pipeline.effectiveness_agree(review=review, meeting=meeting, user=user)
            )
        elif move == "reopen":
            self.attempt(
                lambda: pipeline.effectiveness_reopen(review=review, reason="Redo.", user=user)
            )
        else:
            # Mostly today (after the meeting); sometimes too early, or not yet come.
            day = timezone.localdate() - datetime.timedelta(days=0 if index % 2 else days)
            self.attempt(
                lambda: pipeline.effectiveness_acknowledge(
                    review=review, acknowledged_on=day, user=user
                )
            )

    @having(CallForScrutiny)
    @rule(email=st.sampled_from(RESIDENTS), now=st.integers(0, 4))
    def a_resident_asks_to_be_erased(self, email, now):
        if now == 0:  # rarely: it ends the resident's part in every sequence that follows
            self.attempt(lambda: pipeline.subject_erase(email=email, user=self.people["officer"]))

    # --- What must always be true ---

    @invariant()
    def the_record_tells_the_truth(self):
        """After every step, check what the step could have made untrue."""
        now = counts()
        changed = {table for table, count in now.items() if count != self.checked.get(table)}
        self.present = self.checked = now
        if not changed:
            return
        if changed & {("history", model) for model in SPECS}:
            self.each_status_reached_is_allowed_and_on_the_record_once(changed)
        if changed & {PageLogEntry, ("history", ReviewStepProgress)}:
            self.check_reviews()
        if changed & {("history", PanelDecision), ("history", CallForScrutiny)}:
            self.decisions_are_taken_at_meetings_that_took_place_after_the_call_arrived()
        if ModelLogEntry in changed:
            self.accepted_calls_join_only_reviews_not_yet_reported()
        if changed & {("history", Appeal), "appeal panel", ("history", PanelDecision)}:
            self.appeals_keep_their_deadline_size_and_independence()
        if changed & {("history", PetitionSignature), ("history", Petition)}:
            self.petition_counts_are_true()
        if changed & {("history", TrainingPlace), ("history", TimeEntry)}:
            self.training_and_time_keep_to_their_days()
        if changed & {("history", ReferredTopic), ("history", EffectivenessReview)}:
            self.the_panel_s_year_keeps_to_its_meetings()
        self.no_record_is_left_where_it_cannot_leave(changed)

    def each_status_reached_is_allowed_and_on_the_record_once(self, changed):
        logged = logged_moves()
        for model, (field, spec) in SPECS.items():
            if ("history", model) not in changed:
                continue
            history = status_changes(model, field)
            for pk, changes in history.items():
                for before, after, _ in changes:
                    assert (before, after) in spec, f"{model.__name__} {pk}: {before} -> {after}"
            assert history == logged[model], f"{model.__name__}: history and log disagree"

    def check_reviews(self):
        """Reviews move as the seeds say, and their status and steps agree."""
        moves = logged_moves()[ScrutinyReviewPage]
        for review in ScrutinyReviewPage.objects.all():
            state = "scheduled"
            for before, after, _ in moves.get(review.pk, []):
                assert before == state and (before, after) in REVIEW_SPEC, (before, after)
                state = after
            assert state == review.status
        unfinished = ReviewStepProgress.objects.exclude(status__in=["done", "skipped"])
        assert not unfinished.exclude(review__status__in=REVIEW_RUNNING).exists()
        assert not ReviewStepProgress.objects.filter(status="skipped", notes="").exists()

    def decisions_are_taken_at_meetings_that_took_place_after_the_call_arrived(self):
        arrivals: dict[int, list[tuple]] = {}
        for pk, when, arrived in (
            CallForScrutiny.history.filter(status="awaiting_panel")
            .order_by("history_date", "history_id")
            .values_list("id", "history_date", "awaiting_panel_since")
        ):
            arrivals.setdefault(pk, []).append((when, arrived))
        for decision in PanelDecision.objects.select_related("meeting"):
            meeting = decision.meeting
            assert meeting is not None and meeting.kind == MeetingKind.FORMAL
            assert meeting.status != "cancelled"
            assert meeting.starts_at <= decision.decided_at
            before = [a for when, a in arrivals[decision.call_id] if when <= decision.decided_at]
            assert before[-1] is not None and meeting.starts_at >= before[-1]

    def accepted_calls_join_only_reviews_not_yet_reported(self):
        review_actions = {move.action for move in machine.REVIEW.moves}
        states: dict[int, list[tuple]] = {}
        for data, when in (
            PageLogEntry.objects.filter(action__in=review_actions)
            .order_by("timestamp", "pk")
            .values_list("data", "timestamp")
        ):
            states.setdefault(data["record"], []).append((when, data["to"]))
        schedules = ModelLogEntry.objects.filter(
            action__in=["scrutiny.call.schedule", "scrutiny.referral.schedule"]
        )
        for data, when in schedules.values_list("data", "timestamp"):
            earlier = [to for moment, to in states.get(data["review"], []) if moment <= when]
            state_then = earlier[-1] if earlier else "scheduled"
            assert state_then in REVIEW_RUNNING, f"scheduled into a review {state_then}"
        joined = CallForScrutiny.reviews.through.objects.filter(
            callforscrutiny__status__in=["scheduled", "in_review"]
        ).exclude(scrutinyreviewpage__status__in=[*REVIEW_RUNNING, "reporting"])
        assert not joined.exists()

    def appeals_keep_their_deadline_size_and_independence(self):
        config = ScrutinySettings.load()
        for outcome, deadline in PanelDecision.objects.values_list("outcome", "appeal_deadline"):
            assert (deadline is None) == (outcome == "accepted")
        for appeal in Appeal.objects.exclude(status="received").select_related("decision", "call"):
            panel = list(appeal.panel.all())
            assert config.appeal_panel_minimum <= len(panel) <= config.appeal_panel_maximum
            for member in panel:
                assert not member.groups.filter(name=roles.PANEL).exists()
                assert member.pk != appeal.decision.decided_by_id
                assert member.involvement_groups.filter(hears_appeals=True).exists()
                assert not member.involvement_groups.filter(
                    business_areas=appeal.call.business_area_id
                ).exists()

    def training_and_time_keep_to_their_days(self):
        """A place is booked or declined only before its session, attended or missed only
        from its day; time is logged only for a day that has come, by the member or an officer."""
        for status, day, held_on in TrainingPlace.history.values_list(
            "status", "history_date", "session__held_on"
        ):
            if status in {"booked", "declined"}:
                assert timezone.localdate(day) <= held_on, (status, day, held_on)
            if status in {"attended", "missed"}:
                assert timezone.localdate(day) >= held_on, (status, day, held_on)
        officers = set(Group.objects.get(name=roles.OFFICERS).user_set.values_list("pk", flat=True))
        for entry in TimeEntry.objects.select_related("member"):
            assert entry.worked_on <= timezone.localdate(entry.logged_at)
            assert entry.logged_by_id == entry.member.user_id or entry.logged_by_id in officers

    def the_panel_s_year_keeps_to_its_meetings(self):
        """A topic comes from a meeting that took place, and only officers record one; the
        panel agrees its review at a formal meeting that took place in or after the year, with
        its assessment written, and the body acknowledges it after that, never ahead of time;
        the scored topics carry no call bonus."""
        officers = set(Group.objects.get(name=roles.OFFICERS).user_set.values_list("pk", flat=True))
        for topic in ReferredTopic.objects.all():
            assert topic.referred_on <= timezone.localdate(topic.recorded_at)
            assert topic.recorded_by_id in officers
            if topic.status == "scheduled":
                assert topic.review_id is not None
        for score in Score.objects.filter(referral__isnull=False):
            assert score.breakdown["bonus"] == "0"
        for row in EffectivenessReview.history.filter(status="agreed").select_related("meeting"):
            meeting = row.meeting
            assert meeting is not None and meeting.kind == MeetingKind.FORMAL
            assert meeting.status != "cancelled" and meeting.starts_at <= row.history_date
            first_day, _ = financial_year_bounds(row.financial_year)
            assert timezone.localdate(meeting.starts_at) >= first_day
            assert row.what_worked and row.what_did_not and row.changes_next_year
        for review in EffectivenessReview.objects.filter(status="acknowledged"):
            assert review.acknowledged_on >= timezone.localdate(review.meeting.starts_at)
            assert review.acknowledged_on <= timezone.localdate(review.status_changed_at)

    def petition_counts_are_true(self):
        for petition in Petition.objects.all():
            assert petition.people_counted == pipeline.petition_count(petition)

    def no_record_is_left_where_it_cannot_leave(self, changed):
        for model, each in machine.MACHINES.items():
            if model not in changed and ("history", model) not in changed:
                continue
            for state in set(model.objects.values_list(each.field, flat=True)):
                if state in each.final:
                    continue
                ways_out = [m for m in each.moves_from(state) if m.target not in (None, state)]
                assert ways_out, f"{model.__name__} stuck in {state}"


DEEP = {
    ("CallForScrutiny", state)
    for state in ["not_accepted", "monitoring", "accepted", "serious_failure", "closed"]
} | {
    ("Appeal", "decided"),
    ("Monitoring", "watching"),
    ("ScrutinyReviewPage", "reported"),
    ("ReferredTopic", "reported"),
    ("EffectivenessReview", "acknowledged"),
}


@pytest.fixture
def reached_by_every_shard(tmp_path_factory):
    """Adds a shard's states to those of the run's other shards; gives the union once every
    shard has written, else None. The shards may run in different pytest-xdist workers, which
    share the run's temporary directory."""
    run_dir = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_dir = run_dir.parent
    folder = run_dir / "process-properties"
    folder.mkdir(exist_ok=True)

    def add(shard: int, reached: set) -> set | None:
        written = folder / f"{shard}.json"
        written.with_suffix(".tmp").write_text(json.dumps(sorted(reached)))
        written.with_suffix(".tmp").replace(written)
        files = [folder / f"{each}.json" for each in range(SHARDS)]
        if not all(file.exists() for file in files):
            return None
        return {tuple(pair) for file in files for pair in json.loads(file.read_text())}

    return add


@pytest.mark.django_db
@pytest.mark.parametrize("shard", range(SHARDS))
def test_the_process_keeps_its_rules_whatever_is_done(shard, reached_by_every_shard):
    WORLD.clear()
    WORLD.update(build_world())
    REACHED.clear()
    run_sequences = get_state_machine_test(
        ScrutinyProcess,
        settings=settings(
            max_examples=-(-EXAMPLES // SHARDS),
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    # A seed per shard: the same sequences on every run, different ones in each shard.
    seed(20261204 + shard)(run_sequences)()
    # Together the shards went deep enough for the rules that matter to have been tried; the
    # last shard to finish checks.
    reached = reached_by_every_shard(shard, REACHED)
    if reached is not None and EXAMPLES >= 100:
        assert reached >= DEEP, sorted(DEEP - reached)
