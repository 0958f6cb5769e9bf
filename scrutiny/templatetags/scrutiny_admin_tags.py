"""Template helpers for the plugin's changes to Wagtail's own admin screens."""

from django import template

from ..admin_views.dashboard import may_use_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def user_may_use_pages(context) -> bool:
    """Whether the signed-in user works with pages (the dashboard's page search is theirs)."""
    return may_use_pages(context["request"].user)
