"""Who may do what: every permission the product checks, by name, and its predicates.

The groups' permissions are granted in scrutiny.roles, the process engine's moves name theirs in
its tables (pipeline.machine), and everything else asks here: views, admin hooks, forms and the
pipeline call these predicates and never `has_perm` with a name of their own.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from .models import PanelMeeting
from .models.handlers import provides
from .models.people import eligible_people
from .roles import OFFICERS

# --- Permission names the product checks (beyond the engine's moves) ------------------------

ACCESS_ADMIN = "wagtailadmin.access_admin"
VIEW_CALLS = "scrutiny.view_callforscrutiny"
MANAGE_CALLS = "scrutiny.change_callforscrutiny"
ENTER_CALLS = "scrutiny.add_callforscrutiny"
DECIDE_CALLS = "scrutiny.decide_call"
READ_CALL_NOTES = "scrutiny.view_callnote"
DOWNLOAD_EVIDENCE = "scrutiny.view_callevidence"
FOLLOW_UP_MONITORING = "scrutiny.change_monitoring"
SEE_CONTACT_DETAILS = "scrutiny.view_contact_details"
VIEW_PETITIONS = "scrutiny.view_petition"
OPEN_PETITIONS = "scrutiny.add_petition"
CHANGE_PETITIONS = "scrutiny.change_petition"
SEE_SIGNERS = "scrutiny.view_petitionsignature"
ADD_PAPER_SIGNATURES = "scrutiny.add_petitionsignature"
INVALIDATE_SIGNATURES = "scrutiny.change_petitionsignature"
MANAGE_APPEALS = "scrutiny.change_appeal"
VIEW_APPEALS = "scrutiny.view_appeal"
VIEW_ALL_APPEALS = "scrutiny.view_all_appeals"
CHANGE_MEETINGS = "scrutiny.change_panelmeeting"
VIEW_SCORES = "scrutiny.view_score"
IMPORT_MEASURES = "scrutiny.add_measure"
SCHEDULE_REVIEWS = "scrutiny.schedule_review"  # scores the areas and schedules the programme
VIEW_REVIEWS = "scrutiny.view_reviewstepprogress"
RUN_REVIEWS = "scrutiny.change_reviewstepprogress"
DRAFT_REVIEWS = "scrutiny.draft_review"
ADD_PARTICIPANTS = "scrutiny.add_reviewparticipant"
REMOVE_PARTICIPANTS = "scrutiny.delete_reviewparticipant"
VIEW_ACTION_PLANS = "scrutiny.view_actionitem"
ADD_ACTIONS = "scrutiny.add_actionitem"
CHANGE_ACTIONS = "scrutiny.change_actionitem"
AGREE_ACTION_PLANS = "scrutiny.agree_action_plan"
ADD_RESPONSES = "scrutiny.add_recommendationresponse"
CHANGE_RESPONSES = "scrutiny.change_recommendationresponse"
VIEW_OUTCOMES = "scrutiny.view_outcomes"
REFRESH_OUTCOMES = "scrutiny.refresh_outcomes"
VIEW_MEMBERS = "scrutiny.view_panelmember"
VIEW_APPLICATIONS = "scrutiny.view_panelapplication"
MANAGE_APPLICATIONS = "scrutiny.change_panelapplication"
CLAIM_EXPENSES = "scrutiny.add_expenseclaim"
DECIDE_EXPENSES = "scrutiny.change_expenseclaim"
ADD_TRAINING = "scrutiny.add_trainingsession"
OFFER_TRAINING = "scrutiny.add_trainingplace"
MANAGE_PLACES = "scrutiny.change_trainingplace"
LOG_TIME = "scrutiny.add_timeentry"
LOG_TIME_FOR_OTHERS = "scrutiny.change_timeentry"
RECORD_REFERRALS = "scrutiny.add_referredtopic"
VIEW_EFFECTIVENESS = "scrutiny.view_effectivenessreview"
PREPARE_EFFECTIVENESS = "scrutiny.add_effectivenessreview"
WRITE_EFFECTIVENESS = "scrutiny.change_effectivenessreview"
VIEW_HISTORY = "scrutiny.view_history"
HANDLE_PERSONAL_DATA = "scrutiny.export_personal_data"
VIEW_OUTBOX = "scrutiny.view_sentemail"
POST_LETTERS = "scrutiny.post_letters"
VIEW_PRIVACY_LOG = "scrutiny.view_privacyaction"
VIEW_MEETINGS = "scrutiny.view_panelmeeting"
VIEW_NOT_ACCEPTED_REASONS = "scrutiny.view_notacceptedreason"
VIEW_MEASURES = "scrutiny.view_measure"
VIEW_CRITERIA = "scrutiny.view_scoringcriterion"
VIEW_INVOLVEMENT_GROUPS = "scrutiny.view_involvementgroup"
VIEW_TRAINING = "scrutiny.view_trainingsession"
VIEW_REFERRALS = "scrutiny.view_referredtopic"
VIEW_REVIEW_STEPS = "scrutiny.view_reviewstep"


def holds(user, *names: str) -> bool:
    """Whether an active user holds every one of these permissions (a superuser holds all)."""
    return bool(user is not None and user.is_active and all(user.has_perm(name) for name in names))


def _holding(*names: str, doc: str):
    def predicate(user) -> bool:
        return holds(user, *names)

    predicate.__doc__ = doc
    return predicate


# --- Predicates: who may ... -----------------------------------------------------------------

is_signed_in_staff = _holding(ACCESS_ADMIN, doc="Staff who sign in to the admin.")
may_view_calls = _holding(VIEW_CALLS, doc="Staff who consider calls open their pages.")
may_decide_calls = _holding(DECIDE_CALLS, doc="The panel decides calls at its meetings.")
may_read_call_notes = _holding(READ_CALL_NOTES, doc="Officers and managers read call notes.")
may_follow_up_monitoring = _holding(
    FOLLOW_UP_MONITORING, doc="Officers record what became of a monitored area."
)
may_view_petitions = _holding(VIEW_PETITIONS, doc="Staff who follow petitions list them.")
may_open_petitions = _holding(OPEN_PETITIONS, doc="Officers open a petition for a call.")
may_change_petitions = _holding(CHANGE_PETITIONS, doc="Officers extend or close a petition.")
may_see_signers = _holding(SEE_SIGNERS, doc="Officers see who signed a petition.")
may_add_paper_signatures = _holding(
    ADD_PAPER_SIGNATURES, doc="Officers add the signatures collected on paper."
)
may_invalidate_signatures = _holding(
    INVALIDATE_SIGNATURES, doc="Officers strike out a signature that does not count."
)
can_manage_appeals = _holding(MANAGE_APPEALS, doc="Officers convene appeal panels.")
may_view_appeals = _holding(VIEW_APPEALS, doc="Staff and appeal panel members see appeals.")
may_view_all_appeals = _holding(
    VIEW_ALL_APPEALS, doc="Officers and managers see every appeal, not only those they sit on."
)
may_answer_recommendations = _holding(
    ADD_RESPONSES, doc="Managers answer the recommendations of every review."
)
may_change_meetings = _holding(CHANGE_MEETINGS, doc="Officers arrange and hold meetings.")
may_view_scores = _holding(VIEW_SCORES, doc="Staff who plan the programme see the scores.")
may_import_measures = _holding(IMPORT_MEASURES, doc="Officers import performance measures.")
may_schedule = _holding(
    SCHEDULE_REVIEWS, doc="Officers score the areas and schedule reviews into the programme."
)
may_view_reviews = _holding(VIEW_REVIEWS, doc="Staff and the panel follow each review's steps.")
may_run_reviews = _holding(RUN_REVIEWS, doc="Officers and the panel mark a review's steps.")
may_draft_reviews = provides("may_draft_reviews")(  # asked by a review page's permission tester
    _holding(DRAFT_REVIEWS, doc="Officers and the panel draft review pages.")
)
may_add_participants = _holding(ADD_PARTICIPANTS, doc="Officers add a review's participants.")
may_remove_participants = _holding(
    REMOVE_PARTICIPANTS, doc="Officers remove a review's participants."
)
may_view_outcomes = _holding(VIEW_OUTCOMES, doc="Managers and officers read the yearly outcomes.")
may_refresh_outcomes = _holding(REFRESH_OUTCOMES, doc="Officers refresh the yearly figures.")
may_view_members = _holding(VIEW_MEMBERS, doc="Staff who support the panel see its members.")
may_manage_applications = _holding(
    MANAGE_APPLICATIONS, doc="Officers take applications to join the panel through."
)
may_claim_expenses = _holding(CLAIM_EXPENSES, doc="Panel members claim expenses.")
may_decide_expenses = _holding(DECIDE_EXPENSES, doc="Officers approve or reject claims.")
may_add_training = _holding(ADD_TRAINING, doc="Officers add training sessions.")
may_offer_training = _holding(OFFER_TRAINING, doc="Officers offer members training places.")
may_manage_places = _holding(MANAGE_PLACES, doc="Officers record a training place for any member.")
may_log_time = _holding(LOG_TIME, doc="Panel members log the time they give.")
may_log_time_for_others = _holding(
    LOG_TIME_FOR_OTHERS, doc="Officers log time for a member and withdraw it."
)
may_record_referrals = _holding(
    RECORD_REFERRALS, doc="Officers record the topics the oversight body refers."
)
may_view_effectiveness = _holding(
    VIEW_EFFECTIVENESS, doc="Staff and the panel read the annual effectiveness review."
)
may_prepare_effectiveness = _holding(
    PREPARE_EFFECTIVENESS, doc="Officers prepare the annual effectiveness review."
)
may_write_effectiveness = _holding(
    WRITE_EFFECTIVENESS, doc="The panel writes its annual effectiveness review."
)
may_view_history = _holding(VIEW_HISTORY, doc="Managers and officers read the History area.")
may_handle_personal_data = _holding(
    HANDLE_PERSONAL_DATA, doc="Officers export, erase and anonymise residents' personal data."
)


MEETING_POLICY = ModelPermissionPolicy(PanelMeeting)


def may_view_meetings(user) -> bool:
    """Staff who may see meetings in the admin (any permission on them)."""
    return user.is_active and MEETING_POLICY.user_has_any_permission(
        user, {"view", "add", "change", "delete"}
    )


def may_use_pages(user) -> bool:
    """Whether the user works with pages in the explorer (Wagtail's page permissions)."""
    return user_has_any_page_permission(user)


def may_unlock(user) -> bool:
    """Only superusers see lock-outs and unlock them."""
    return user.is_active and user.is_superuser


def is_officer(user) -> bool:
    """Whether a user is an active member of the Scrutiny officers group."""
    return user.is_active and user.groups.filter(name=OFFICERS).exists()


def can_manage_calls(user) -> bool:
    """Officers (and superusers) assign calls, add notes and record support."""
    return holds(user, MANAGE_CALLS)


def can_view_outbox(user) -> bool:
    """Officers and managers read the outbox: who was told what, when, and how."""
    return holds(user, VIEW_OUTBOX)


def can_post_letters(user) -> bool:
    """Officers print the letters to residents and mark them posted."""
    return holds(user, POST_LETTERS)


def can_view_privacy_log(user) -> bool:
    """Officers and managers read the log of anonymisations, erasures and exports."""
    return holds(user, VIEW_PRIVACY_LOG)


def can_enter_for_resident(user) -> bool:
    """Officers enter a call that a resident gave by post, phone or in person."""
    return holds(user, ENTER_CALLS)


def can_see_contact_details(user) -> bool:
    """Officers and managers see residents' names and contact details; the panel does not."""
    return holds(user, SEE_CONTACT_DETAILS)


def can_download_evidence(user) -> bool:
    """Staff who consider calls may open the evidence residents sent."""
    return holds(user, DOWNLOAD_EVIDENCE)


def may_be_named(user) -> bool:
    """Whether an account may be named on the record: active, and able to sign in to the admin."""
    return (
        user is not None and user.pk is not None and eligible_people().filter(pk=user.pk).exists()
    )


def _answers_for(user, recommendations) -> bool:
    """Whether this account is the one that answers for one of these recommendations.

    The record names an account, never an email address: changing one's own email grants
    nothing.
    """
    named = {recommendation.responsible_person_id for recommendation in recommendations}
    return user.pk is not None and user.pk in named and may_be_named(user)


def can_view_action_plans(user) -> bool:
    """Officers, managers and the panel follow action plans; nobody else sees them."""
    return holds(user, VIEW_ACTION_PLANS)


def can_follow_plan(user, recommendations=()) -> bool:
    """Who may open an action plan: those who follow every plan, and the person who answers for
    one of these recommendations (a head of operations need be in no staff group)."""
    return can_view_action_plans(user) or _answers_for(user, recommendations)


def can_respond(user, recommendation) -> bool:
    """Managers, and the head of operations responsible for it, answer a recommendation."""
    if not user.is_active:
        return False
    if holds(user, ADD_RESPONSES, CHANGE_RESPONSES):
        return True
    return _answers_for(user, [recommendation])


def can_plan_actions(user, recommendation=None) -> bool:
    """Officers, managers and the responsible head of operations add and change actions."""
    if not user.is_active:
        return False
    if holds(user, ADD_ACTIONS, CHANGE_ACTIONS):
        return True
    return recommendation is not None and _answers_for(user, [recommendation])


def can_agree_action_plan(user) -> bool:
    """The panel agrees each recommendation's action plan."""
    return holds(user, AGREE_ACTION_PLANS)


def records_seen_one_by_one() -> dict:
    """Records that a group may see only some of, each with the selector of those a user may
    open. Wagtail shows a model's log entries to anyone holding any permission on the model;
    these narrow the entries to the records the user may open."""
    from .models import Appeal, ExpenseClaim, TimeEntry, TrainingPlace
    from .selectors import appeals_visible_to
    from .selectors.membership import claims_visible_to, places_visible_to, time_visible_to

    return {
        ExpenseClaim: claims_visible_to,
        Appeal: appeals_visible_to,
        TimeEntry: time_visible_to,
        TrainingPlace: places_visible_to,
    }


@provides("log_entries_visible_to")  # asked by RecordLogEntryManager
def log_entries_visible_to(user, entries):
    """Wagtail log entries about records, less those about records this user may not open.

    A panel member sees the entries of their own expense claims only, an appeal panel member
    those of the appeals they sit on; every other model's entries are left as Wagtail leaves
    them (shown to holders of a permission on the model).
    """
    if user.is_superuser:
        return entries
    for model, visible_to in records_seen_one_by_one().items():
        content_type = ContentType.objects.get_for_model(model)
        # object_id is text: compare it with the primary keys as text.
        visible = visible_to(user).values_list(Cast("pk", output_field=CharField()), flat=True)
        entries = entries.filter(~Q(content_type=content_type) | Q(object_id__in=visible))
    return entries


def may_explore(user, page) -> bool:
    """Whether the page explorer opens this page for the user (Wagtail's page permissions)."""
    policy = policy_registry.get_by_type(Page)
    return policy.explorable_instances(user).filter(pk=page.pk).exists()


def pages_to_choose(user, pages):
    """Pages a chooser offers: those the user may explore, and any page that is live.

    A live page is public already; a draft (a review not yet reported, an outcomes report in
    preparation) is named only to those who may open it in the explorer.
    """
    if user.is_superuser:
        return pages
    explorable = policy_registry.get_by_type(Page).explorable_instances(user)
    return pages.filter(Q(live=True) | Q(pk__in=explorable.values("pk")))
