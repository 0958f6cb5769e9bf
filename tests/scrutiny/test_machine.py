"""The process engine: nothing but `apply` writes a status, and every move is on the record."""

import ast
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from wagtail.log_actions import LogContext, log
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from scrutiny import pipeline
from scrutiny.models import CallForScrutiny, CallStatus, TimeEntry
from scrutiny.pipeline import machine
from tests.scrutiny.builders import make_call
from tests.scrutiny.membership_builders import make_member

SOURCE = Path(__file__).resolve().parents[2] / "scrutiny"
# The engine itself, and migrations (which describe fields, not moves).
ALLOWED = {SOURCE / "pipeline" / "machine.py"}
STATE_FIELDS = {each.field for each in machine.MACHINES.values()}
MODEL_NAMES = {model.__name__ for model in machine.MACHINES}
WRITING_METHODS = {"update", "create", "get_or_create", "update_or_create", "bulk_update"}


def status_writes(path: Path) -> list[str]:
    """Each place in a module that writes a status field, as 'file:line: code'."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def note(node):
        found.append(f"{path.relative_to(SOURCE.parent)}:{node.lineno}: {ast.unparse(node)[:80]}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr in STATE_FIELDS for t in targets):
                note(node)
        elif isinstance(node, ast.Call):
            func = node.func
            keywords = {keyword.arg for keyword in node.keywords}
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if keywords & STATE_FIELDS and (called in WRITING_METHODS or called in MODEL_NAMES):
                note(node)
            if (
                called == "setattr"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value in STATE_FIELDS
            ):
                note(node)
    return found


def test_no_module_but_the_engine_writes_a_status():
    modules = [
        path
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.parts and path not in ALLOWED
    ]
    writes = [write for path in modules for write in status_writes(path)]
    assert writes == []


def test_the_scan_finds_each_way_of_writing_a_status(tmp_path):
    sample = SOURCE / "pipeline" / "_sample_for_the_scan.py"
    sample.write_text(
        "call.status = 'closed'\n"
        "CallForScrutiny.objects.filter(pk=1).update(status='closed')\n"
        "Petition(status='open')\n"
        "setattr(application, 'stage', 'declined')\n"
        "calls.filter(status='closed')\n"
    )
    try:
        assert len(status_writes(sample)) == 4
    finally:
        sample.unlink()


@pytest.mark.django_db
def test_a_status_saved_outside_the_engine_fails_the_suite():
    call = make_call()
    call.status = CallStatus.CLOSED
    with pytest.raises(AssertionError, match="outside the process engine"):
        call.save()
    assert CallForScrutiny.objects.get(pk=call.pk).status == CallStatus.SUBMITTED


def test_every_move_is_logged_under_a_registered_action():
    unregistered = {
        (each.model.__name__, move.name, move.action)
        for each in machine.MACHINES.values()
        for move in each.moves
        if not log_registry.action_exists(move.action)
    }
    assert unregistered == set()


@pytest.mark.parametrize("each", machine.MACHINES.values(), ids=lambda m: m.model.__name__)
def test_every_state_that_is_not_final_has_a_way_out(each):
    states = set(each.model._meta.get_field(each.field).get_choices(include_blank=False))
    stuck = {
        value
        for value, _ in states
        if value not in each.final
        and not [move for move in each.moves_from(value) if move.target not in (None, value)]
    }
    assert stuck == set()


@pytest.mark.parametrize("each", machine.MACHINES.values(), ids=lambda m: m.model.__name__)
def test_every_state_can_be_reached(each):
    states = {value for value, _ in each.model._meta.get_field(each.field).choices}
    default = each.model._meta.get_field(each.field).default
    reached = {default} | {move.target for move in each.moves if move.target}
    assert states - reached == set()


def test_one_refusal_for_every_rule():
    assert pipeline.DecisionIncomplete is machine.TransitionNotAllowed
    assert pipeline.ReviewRefused is machine.TransitionNotAllowed
    assert issubclass(pipeline.AppealNotFound, machine.TransitionNotAllowed)


@pytest.mark.django_db
def test_a_revision_restored_or_published_keeps_where_the_record_is(staff):
    from tests.scrutiny.builders import make_awaiting_call

    call = make_awaiting_call(staff)
    revision = call.latest_revision
    assert revision.content["status"] == CallStatus.AWAITING_PANEL
    pipeline.call_move(call=call, transition="return_to_triage", user=staff["officer"])
    call.refresh_from_db()
    assert revision.as_object().status == CallStatus.TRIAGE
    revision.publish(user=staff["panel"])
    call.refresh_from_db()
    assert call.status == CallStatus.TRIAGE


@pytest.mark.django_db
def test_a_new_record_refused_leaves_the_callers_transaction_as_it_was():
    # A caller may catch a refusal and go on: nothing was written, and no savepoint is needed.
    member = make_member()
    with transaction.atomic():
        with pytest.raises(machine.TransitionNotAllowed, match="in the future"):
            pipeline.time_log(
                user=member.user,
                activity="interviews",
                worked_on=timezone.localdate() + timedelta(days=1),
                hours=Decimal("2"),
            )
        assert TimeEntry.objects.filter(member=member).count() == 0
        pipeline.time_log(
            user=member.user, activity="interviews", worked_on=timezone.localdate(), hours=1
        )
    assert TimeEntry.objects.filter(member=member).count() == 1


@pytest.mark.django_db
def test_a_new_record_that_fails_once_written_undoes_the_whole_transaction(monkeypatch):
    # Half a move is never kept: the caller cannot carry on as if the call had been taken.
    def broken(*args, **kwargs):
        raise RuntimeError("the log could not be written")

    monkeypatch.setattr(machine, "log_move", broken)
    with transaction.atomic():
        with pytest.raises(RuntimeError):
            make_call(name="Half Written")
        with pytest.raises(TransactionManagementError):
            CallForScrutiny.objects.count()
    assert not CallForScrutiny.objects.filter(name="Half Written").exists()


@pytest.mark.django_db
def test_a_moves_log_entry_is_the_one_wagtails_log_would_write(staff):
    call = make_call()
    officer = staff["officer"]
    with LogContext(user=officer):
        ours = machine.log_move(call, "scrutiny.call.move", user=None, data={"to": "triage"})
        wagtails = log(call, "scrutiny.call.move", data={"to": "triage"})
    fields = ["content_type", "label", "action", "data", "user", "uuid", "object_id", "revision"]
    ours, wagtails = (ModelLogEntry.objects.get(pk=entry.pk) for entry in (ours, wagtails))
    assert {name: getattr(ours, name) for name in fields} == {
        name: getattr(wagtails, name) for name in fields
    }
    assert ours.user == officer and ours.label == str(call)
    with pytest.raises(ValueError, match="not been registered"):
        machine.log_move(call, "scrutiny.no_such_action", user=officer, data={})
