"""What every register's listing shares: status tags by tone, dates as dates, yes or no, names.

A status tag carries its label as text; its colour only repeats what the text says. The tones
and their colours (each at least 4.5:1 against its background) are in _listing_css.html.
"""

import datetime

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_user_display_name

from ..models import (
    ActionStatus,
    AppealStatus,
    CallStatus,
    PetitionStatus,
    ReviewStatus,
)

# Tones, by what a status means for the work: new, in progress, with the panel, accepted or
# done, serious failure, closed.
NEW, PROGRESS, PANEL, ACCEPTED, CRITICAL, CLOSED = (
    "new",
    "progress",
    "panel",
    "accepted",
    "critical",
    "closed",
)

TONES = {
    CallStatus: {
        CallStatus.SUBMITTED: NEW,
        CallStatus.TRIAGE: PROGRESS,
        CallStatus.GATHERING_EVIDENCE: PROGRESS,
        CallStatus.AWAITING_PANEL: PANEL,
        CallStatus.MONITORING: PANEL,
        CallStatus.ACCEPTED: ACCEPTED,
        CallStatus.SCHEDULED: ACCEPTED,
        CallStatus.IN_REVIEW: ACCEPTED,
        CallStatus.REPORTED: ACCEPTED,
        CallStatus.SERIOUS_FAILURE: CRITICAL,
        CallStatus.NOT_ACCEPTED: CLOSED,
        CallStatus.CLOSED: CLOSED,
    },
    PetitionStatus: {
        PetitionStatus.DRAFT: NEW,
        PetitionStatus.OPEN: PROGRESS,
        PetitionStatus.CLOSED: CLOSED,
    },
    AppealStatus: {
        AppealStatus.RECEIVED: NEW,
        AppealStatus.PANEL_CONVENED: PANEL,
        AppealStatus.DECIDED: CLOSED,
    },
    ReviewStatus: {
        ReviewStatus.SCHEDULED: NEW,
        ReviewStatus.IN_REVIEW: PROGRESS,
        ReviewStatus.REPORTING: PANEL,
        ReviewStatus.REPORTED: ACCEPTED,
        ReviewStatus.COMPLETED: CLOSED,
    },
    ActionStatus: {
        ActionStatus.NOT_STARTED: NEW,
        ActionStatus.IN_PROGRESS: PROGRESS,
        ActionStatus.DONE: ACCEPTED,
        ActionStatus.CANCELLED: CLOSED,
    },
}


def status_tone(choices, value: str) -> str:
    """The tone of a status of one kind of record (a TextChoices class)."""
    return TONES[choices].get(value, CLOSED)


def yes_no(value) -> str:
    """Yes or No, in words."""
    return _("Yes") if value else _("No")


def yes_or_blank(value) -> str:
    """Yes, or nothing: for a column that marks the few rows that need attention."""
    return _("Yes") if value else ""


def day(value) -> str:
    """A date or a moment as the day it fell on, such as 3 Mar 2026; empty for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = localtime(value).date()
    return date_format(value, "j M Y")


def person(user) -> str:
    """A person's name (never their username); empty for nobody."""
    return get_user_display_name(user) if user is not None else ""


class StatusTagColumn(Column):
    """A record's status as a tag with its label, coloured by the status's tone."""

    cell_template_name = "scrutiny/admin/tables/status_tag_cell.html"

    def __init__(self, name="status", *, choices, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Status"))
        kwargs.setdefault("sort_key", name)
        kwargs.setdefault("classname", "w-whitespace-nowrap")
        super().__init__(name, **kwargs)
        self.choices = choices

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["raw_value"]
        context["value"] = self.choices(value).label if value in self.choices.values else value
        context["tone"] = status_tone(self.choices, value)
        return context


class DayColumn(Column):
    """A date or moment shown as the day, not as a time relative to now."""

    cell_template_name = "scrutiny/admin/tables/day_cell.html"

    def __init__(self, name, **kwargs):
        kwargs.setdefault("sort_key", name)
        kwargs.setdefault("classname", "w-whitespace-nowrap")
        super().__init__(name, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        raw = context["raw_value"]
        context["value"] = day(raw)
        if isinstance(raw, datetime.datetime):
            context["iso"] = localtime(raw).isoformat()
        elif isinstance(raw, datetime.date):
            context["iso"] = raw.isoformat()
        return context


class YesNoColumn(Column):
    """A true or false field as Yes or No in words (never an icon alone)."""

    def __init__(self, name, *, blank_when_false=False, **kwargs):
        super().__init__(name, **kwargs)
        self.blank_when_false = blank_when_false

    def get_value(self, instance):
        value = super().get_value(instance)
        return yes_or_blank(value) if self.blank_when_false else yes_no(value)


class PersonColumn(Column):
    """A user as their name."""

    def __init__(self, name, **kwargs):
        kwargs.setdefault("classname", "scrutiny-col-name")
        super().__init__(name, **kwargs)

    def get_value(self, instance):
        return person(super().get_value(instance))
