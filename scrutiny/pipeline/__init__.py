"""Every change of state in the scrutiny process, one operation each.

Each operation checks that the change is allowed, writes in one transaction, leaves history
and a Wagtail log entry, and queues notifications on commit. Views, admin buttons, workflow
actions and commands call these; nothing else assigns a status.
"""

from .calls import (
    CALL_REFERENCE_PREFIX,
    TRANSITIONS,
    Transition,
    TransitionNotAllowed,
    call_add_note,
    call_assign,
    call_correct,
    call_enter_panel,
    call_leave_panel,
    call_mark_support_given,
    call_move,
    call_submit,
    issue_reference,
    transitions_available,
)
from .decisions import DecisionIncomplete, appeal_deadline_for, call_decide
from .measures import ImportRefused, MeasureImport, measures_import, measures_parse
from .meetings import agenda_refresh, meeting_cancel, meeting_mark_held, next_formal_meeting
from .petitions import (
    ImportReport,
    SignatureRefused,
    person_key,
    petition_change_target,
    petition_close,
    petition_count,
    petition_open,
    petition_sign,
    petition_target_for,
    signature_add_paper,
    signature_confirm,
    signature_withdraw,
    signatures_import_csv,
    signatures_invalidate,
)
from .programme import call_schedule, programme_schedule, programme_year_page
from .scoring import (
    SCORE_PERMISSION,
    active_criteria,
    matrix_rescore,
    measure_for,
    score_breakdown,
    scores_refresh,
)

__all__ = [
    "SCORE_PERMISSION",
    "ImportRefused",
    "MeasureImport",
    "active_criteria",
    "call_schedule",
    "matrix_rescore",
    "measure_for",
    "measures_import",
    "measures_parse",
    "programme_schedule",
    "programme_year_page",
    "score_breakdown",
    "scores_refresh",
    "CALL_REFERENCE_PREFIX",
    "TRANSITIONS",
    "DecisionIncomplete",
    "ImportReport",
    "SignatureRefused",
    "Transition",
    "TransitionNotAllowed",
    "agenda_refresh",
    "appeal_deadline_for",
    "call_add_note",
    "call_assign",
    "call_correct",
    "call_decide",
    "call_enter_panel",
    "call_leave_panel",
    "call_mark_support_given",
    "call_move",
    "call_submit",
    "issue_reference",
    "meeting_cancel",
    "meeting_mark_held",
    "next_formal_meeting",
    "person_key",
    "petition_change_target",
    "petition_close",
    "petition_count",
    "petition_open",
    "petition_sign",
    "petition_target_for",
    "signature_add_paper",
    "signature_confirm",
    "signature_withdraw",
    "signatures_import_csv",
    "signatures_invalidate",
    "transitions_available",
]
