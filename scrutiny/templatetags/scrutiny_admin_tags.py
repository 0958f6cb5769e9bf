"""Template helpers for the plugin's changes to Wagtail's own admin screens."""

from django import template

from .. import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def user_may_use_pages(context) -> bool:
    """Whether the signed-in user works with pages (the dashboard's page search is theirs)."""
    return permissions.may_use_pages(context["request"].user)
