"""Every read of the scrutiny process that views, admin screens, dashboards and reports share.

Reads only: a selector queries records and says what they show. It never saves, never changes a
status, never sends a message; every change of state is an operation in `scrutiny.pipeline`. Modules
are named after the pipeline's where they read what it changes (appeals, calls, decisions,
petitions, programme, reviews); besides those, history reads records' past versions back.

Callers write `from scrutiny import selectors` and `selectors.call_similar(call)`, or import from a
module here. Models do not import this package at module level (it imports them): a model method
that needs a read imports it inside the method.
"""

from .appeals import appeals_visible_to, call_latest_appeal
from .calls import (
    BARE_STAGES,
    CLOSED_FOR_RESIDENT,
    RESIDENT_STAGES,
    SIMILAR_CALLS_CANDIDATES,
    SIMILAR_CALLS_DEFAULTS,
    STOP_WORDS,
    call_appeal_url,
    call_bare_stage,
    call_distinctive_words,
    call_earlier_in_area,
    call_extra_question_labels,
    call_find_by_contact,
    call_find_for_resident,
    call_form_page,
    call_from_tracking_token,
    call_is_overdue,
    call_next_step,
    call_similar,
    call_stage_for_resident,
    call_timeline,
    call_tracking_link,
    call_tracking_token,
    call_tracking_url,
    calls_overdue,
    officer_list,
    overdue_threshold,
    similar_calls_threshold,
)
from .decisions import DECISION_SENTENCES, call_latest_decision, decision_in_plain_english
from .history import history_versions
from .petitions import (
    petition_admin_url,
    petition_index_page,
    petition_urls,
    petitions_for_public_list,
    petitions_with_counts,
    progress_of,
    public_petition,
)
from .programme import (
    programme_ranking,
    programme_reviews,
    programme_reviews_for_public,
    programme_shortfall,
)
from .reviews import ReviewProgress, review_progress, reviews_for_admin

__all__ = [
    "appeals_visible_to",
    "call_latest_appeal",
    "BARE_STAGES",
    "CLOSED_FOR_RESIDENT",
    "RESIDENT_STAGES",
    "SIMILAR_CALLS_CANDIDATES",
    "SIMILAR_CALLS_DEFAULTS",
    "STOP_WORDS",
    "call_appeal_url",
    "call_bare_stage",
    "call_distinctive_words",
    "call_earlier_in_area",
    "call_extra_question_labels",
    "call_find_by_contact",
    "call_find_for_resident",
    "call_form_page",
    "call_from_tracking_token",
    "call_is_overdue",
    "call_next_step",
    "call_similar",
    "call_stage_for_resident",
    "call_timeline",
    "call_tracking_link",
    "call_tracking_token",
    "call_tracking_url",
    "calls_overdue",
    "officer_list",
    "overdue_threshold",
    "similar_calls_threshold",
    "DECISION_SENTENCES",
    "call_latest_decision",
    "decision_in_plain_english",
    "history_versions",
    "petition_admin_url",
    "petition_index_page",
    "petition_urls",
    "petitions_for_public_list",
    "petitions_with_counts",
    "progress_of",
    "public_petition",
    "programme_ranking",
    "programme_reviews",
    "programme_reviews_for_public",
    "programme_shortfall",
    "ReviewProgress",
    "review_progress",
    "reviews_for_admin",
]
