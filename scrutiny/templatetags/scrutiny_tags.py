"""Template helpers for the scrutiny plugin's pages and emails."""

from django import template

from ..selectors import decision_in_plain_english

register = template.Library()


@register.simple_tag
def decision_sentence(decision) -> str:
    """The panel's decision told to the resident in one plain sentence."""
    return decision_in_plain_english(decision)
