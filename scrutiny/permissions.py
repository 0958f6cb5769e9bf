"""Small predicates for who may do what; the groups' permissions are set in scrutiny.roles."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.models import Page
from wagtail.permissions import policy_registry

from .models import Appeal, ExpenseClaim, TimeEntry, TrainingPlace
from .models.people import eligible_people
from .roles import OFFICERS
from .selectors import appeals_visible_to
from .selectors.membership import claims_visible_to, places_visible_to, time_visible_to

# Records that a group may see only some of, each with the selector of those a user may open.
# Wagtail shows a model's log entries to anyone holding any permission on the model; these
# narrow the entries to the records the user may open.
RECORDS_SEEN_ONE_BY_ONE = {
    ExpenseClaim: claims_visible_to,
    Appeal: appeals_visible_to,
    TimeEntry: time_visible_to,
    TrainingPlace: places_visible_to,
}


def is_officer(user) -> bool:
    """Whether a user is an active member of the Scrutiny officers group."""
    return user.is_active and user.groups.filter(name=OFFICERS).exists()


def can_manage_calls(user) -> bool:
    """Officers (and superusers) assign calls, add notes and record support."""
    return user.is_active and user.has_perm("scrutiny.change_callforscrutiny")


def can_view_outbox(user) -> bool:
    """Officers and managers read the outbox: who was told what, when, and how."""
    return user.is_active and user.has_perm("scrutiny.view_sentemail")


def can_post_letters(user) -> bool:
    """Officers print the letters to residents and mark them posted."""
    return user.is_active and user.has_perm("scrutiny.post_letters")


def can_view_privacy_log(user) -> bool:
    """Officers and managers read the log of anonymisations, erasures and exports."""
    return user.is_active and user.has_perm("scrutiny.view_privacyaction")


def can_enter_for_resident(user) -> bool:
    """Officers enter a call that a resident gave by post, phone or in person."""
    return user.is_active and user.has_perm("scrutiny.add_callforscrutiny")


def can_see_contact_details(user) -> bool:
    """Officers and managers see residents' names and contact details; the panel does not."""
    return user.is_active and user.has_perm("scrutiny.view_contact_details")


def can_download_evidence(user) -> bool:
    """Staff who consider calls may open the evidence residents sent."""
    return user.is_active and user.has_perm("scrutiny.view_callevidence")


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
    return user.is_active and user.has_perm("scrutiny.view_actionitem")


def can_follow_plan(user, recommendations=()) -> bool:
    """Who may open an action plan: those who follow every plan, and the person who answers for
    one of these recommendations (a head of operations need be in no staff group)."""
    return can_view_action_plans(user) or _answers_for(user, recommendations)


def can_respond(user, recommendation) -> bool:
    """Managers, and the head of operations responsible for it, answer a recommendation."""
    if not user.is_active:
        return False
    if user.has_perm("scrutiny.add_recommendationresponse") and user.has_perm(
        "scrutiny.change_recommendationresponse"
    ):
        return True
    return _answers_for(user, [recommendation])


def can_plan_actions(user, recommendation=None) -> bool:
    """Officers, managers and the responsible head of operations add and change actions."""
    if not user.is_active:
        return False
    if user.has_perm("scrutiny.add_actionitem") and user.has_perm("scrutiny.change_actionitem"):
        return True
    return recommendation is not None and _answers_for(user, [recommendation])


def can_agree_action_plan(user) -> bool:
    """The panel agrees each recommendation's action plan."""
    return user.is_active and user.has_perm("scrutiny.agree_action_plan")


def log_entries_visible_to(user, entries):
    """Wagtail log entries about records, less those about records this user may not open.

    A panel member sees the entries of their own expense claims only, an appeal panel member
    those of the appeals they sit on; every other model's entries are left as Wagtail leaves
    them (shown to holders of a permission on the model).
    """
    if user.is_superuser:
        return entries
    for model, visible_to in RECORDS_SEEN_ONE_BY_ONE.items():
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
