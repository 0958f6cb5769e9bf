"""Small predicates for who may do what; the groups' permissions are set in scrutiny.roles."""

from .roles import OFFICERS


def is_officer(user) -> bool:
    """Whether a user is an active member of the Scrutiny officers group."""
    return user.is_active and user.groups.filter(name=OFFICERS).exists()


def can_manage_calls(user) -> bool:
    """Officers (and superusers) assign calls, add notes and record support."""
    return user.is_active and user.has_perm("scrutiny.change_callforscrutiny")


def can_see_contact_details(user) -> bool:
    """Officers and managers see residents' names and contact details; the panel does not."""
    return user.is_active and user.has_perm("scrutiny.view_contact_details")


def can_download_evidence(user) -> bool:
    """Staff who consider calls may open the evidence residents sent."""
    return user.is_active and user.has_perm("scrutiny.view_callevidence")
