"""Template helpers for action plans: a recommendation's progress on the public page."""

from django import template

from ..selectors.action_plans import recommendation_progress

register = template.Library()


@register.simple_tag
def action_progress(recommendation):
    """The response to a recommendation and how far its actions have gone."""
    return recommendation_progress(recommendation)
