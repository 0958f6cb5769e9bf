"""One record's timeline: its field history and Wagtail's log merged into one list in plain words.

A move made by the process engine writes a simple-history row and a log entry a moment apart;
here they become one entry, said in the log's words with the row's field changes. Wagtail's own
bookkeeping (publishing a call's revision after the panel's decision, starting and approving
the decision workflow, an edit that only saved a revision) is left out.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from wagtail.admin.utils import get_user_display_name
from wagtail.log_actions import registry as log_registry

from . import history

# Wagtail's entries that say nothing a person did beyond what another entry says.
HIDDEN_LOG_ACTIONS = frozenset(
    {
        "wagtail.publish",
        "wagtail.unpublish.scheduled",
        "wagtail.workflow.start",
        "wagtail.workflow.approve",
        "wagtail.workflow.resume",
        "wagtail.lock",
        "wagtail.unlock",
        "wagtail.rename",
        "wagtail.reorder",
        "wagtail.view_restriction.create",
    }
)
# Wagtail's entries whose history row says it better ("Created", field by field); without a
# row (an edit that changed nothing shown) they are left out too.
ROW_LOG_ACTIONS = frozenset({"wagtail.create", "wagtail.edit", "wagtail.revert"})
# How long after its history row an engine's log entry may be written and still be its pair.
PAIR_WINDOW = datetime.timedelta(seconds=5)


def _is_move_of(entry: history.HistoryEntry, model, data: dict) -> bool:
    """Whether a history entry holds the change of state a log entry's data describes."""
    source, target = data.get("from"), data.get("to")
    if source is None:
        return entry.change_type == "+"
    for change in entry.changes:
        model_field = model._meta.get_field(change.field)
        labels = dict(model_field.flatchoices) if model_field.choices else {}
        if labels.get(source) == change.old and labels.get(target) == change.new:
            return True
    return False


def _is_move(model, data: dict) -> bool:
    """Whether a log entry's from/to are states of this model (not of a record logged on it)."""
    if "to" not in data or "from" not in data:
        return False
    for model_field in model._meta.concrete_fields:
        if model_field.choices and data["to"] in dict(model_field.flatchoices):
            return True
    return False


def _pair(log_entry, rows: list, taken: set, model):
    """The index of the history row this log entry was written with, or None."""
    data = log_entry.data or {}
    move = _is_move(model, data)
    for index in range(len(rows) - 1, -1, -1):
        row = rows[index]
        if index in taken or row.when > log_entry.timestamp:
            continue
        if log_entry.timestamp - row.when > PAIR_WINDOW:
            return None
        if row.user_id != log_entry.user_id:
            continue
        if move and not _is_move_of(row, model, data):
            continue
        return index
    return None


def _words(log_entry, officers: dict) -> str:
    """What a log entry says, in plain words and with people by name (`officers` by username)."""
    data = log_entry.data or {}
    if log_entry.action == "scrutiny.call.assign":
        username = data.get("officer")
        if not username:
            return _("Unassigned: no officer now")
        officer = officers.get(username)
        name = get_user_display_name(officer) if officer else username
        return _("Assigned to %(name)s") % {"name": name}
    return str(log_entry.message)


def _officers_named(logs) -> dict:
    """The accounts the assignments in these log entries name, in one query."""
    usernames = {
        (entry.data or {}).get("officer")
        for entry in logs
        if entry.action == "scrutiny.call.assign"
    } - {None, ""}
    if not usernames:
        return {}
    return {user.username: user for user in get_user_model().objects.filter(username__in=usernames)}


def _who(log_entry, row) -> str:
    if log_entry.user_id:
        user = log_entry.user
        if user:
            return get_user_display_name(user)
        return _("User #%(id)s (deleted)") % {"id": log_entry.user_id}
    return row.who if row is not None else str(history.SYSTEM)


def record_timeline(instance, *, user) -> list[history.HistoryEntry]:
    """Every change of one record, newest first, each said once, as this user may see it."""
    model = type(instance)
    rows = sorted(
        (entry for entry in history.record_history(instance, user=user) if entry.shows_something),
        key=lambda entry: entry.when,
    )
    logs = list(
        log_registry.get_logs_for_instance(instance)
        .select_related("user")
        .order_by("timestamp", "pk")
    )
    officers = _officers_named(logs)
    taken: set[int] = set()
    entries = []
    for log_entry in logs:
        if log_entry.action in HIDDEN_LOG_ACTIONS:
            continue
        index = _pair(log_entry, rows, taken, model)
        row = rows[index] if index is not None else None
        if index is not None:
            taken.add(index)
        if log_entry.action in ROW_LOG_ACTIONS:
            if row is not None:
                entries.append(row)
            continue
        kind = row.kind if row is not None else history.kind_for_model(model)
        entries.append(
            history.HistoryEntry(
                kind=kind,
                kind_slug=kind.slug if kind else "",
                kind_name=str(kind.name) if kind else str(model._meta.verbose_name),
                record_id=str(instance.pk),
                record_title=row.record_title if row is not None else str(instance),
                when=log_entry.timestamp,
                who=_who(log_entry, row),
                action=_words(log_entry, officers),
                changes=row.changes if row is not None else [],
                user_id=log_entry.user_id,
            )
        )
    entries.extend(row for index, row in enumerate(rows) if index not in taken)
    return sorted(entries, key=lambda entry: entry.when, reverse=True)
