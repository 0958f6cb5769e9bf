"""Template tags for the admin listings: a status as a tag coloured by its tone."""

from django import template
from django.utils.html import format_html

from ..admin_views.listings import status_tone
from ..models import ActionStatus, AppealStatus, CallStatus, PetitionStatus, ReviewStatus

register = template.Library()

KINDS = {
    "action": ActionStatus,
    "appeal": AppealStatus,
    "call": CallStatus,
    "petition": PetitionStatus,
    "review": ReviewStatus,
}


@register.simple_tag
def status_tag(kind: str, value: str) -> str:
    """A status of a kind of record (call, petition, appeal, review, action) as a tag with its
    label; the colour only repeats what the label says."""
    choices = KINDS[kind]
    label = choices(value).label if value in choices.values else value
    return format_html(
        '<span class="w-status scrutiny-tag scrutiny-tag--{}">{}</span>',
        status_tone(choices, value),
        label,
    )
