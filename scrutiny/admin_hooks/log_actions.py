"""Every log action the plugin writes, with its label and message, and how the log is read:
each role sees only the entries the permission matrix gives it.

Labels and messages are registered once, at start-up, so they are lazy: each is translated when
it is shown, into the language of the person reading the log.
"""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.models import ModelLogEntry

from .. import lockouts
from ..models import (
    ReceivedVia,
    RecordLogEntry,
)


@hooks.register("register_log_actions", order=100)
def read_the_log_as_each_user_may(actions):
    """Wagtail's log of model changes is written and read through RecordLogEntry.

    It runs after Wagtail's own registration (order), replacing ModelLogEntry for every model:
    the site history report, its filters and its exports then list only the entries about
    records the user may open (scrutiny.permissions.log_entries_visible_to). Same table, so
    nothing is moved.
    """
    actions.register_model(models.Model, RecordLogEntry)
    actions.log_entry_models.discard(ModelLogEntry)


def received_for_resident(label, message):
    """A log formatter for something a resident gave by post, phone or in person, which an
    officer recorded for them; how it came is in the entry's data, and `message` says it where
    it has %(via)s."""

    class Formatter(LogFormatter):
        def format_message(self, log_entry):
            via = dict(ReceivedVia.choices).get(
                (log_entry.data or {}).get("received_by", ""), ReceivedVia.POST.label
            )
            return message % {"via": str(via).lower()}

    Formatter.label = label
    return Formatter


def _received_via(stored: str) -> str | None:
    """The ReceivedVia value a log entry's "received" names: its value, or its label as it
    was written (in English, or in the language of the person who wrote it)."""
    if stored in ReceivedVia.values:
        return stored
    for value, label in ReceivedVia.choices:
        if stored == str(label):
            return value
    with translation.override(None):
        for value, label in ReceivedVia.choices:
            if stored == str(label):
                return value
    return None


class CallSubmitted(LogFormatter):
    """A call arriving: from the online form, or entered by an officer from a letter or call."""

    label = _("Call submitted")

    def format_message(self, log_entry):
        received = (log_entry.data or {}).get("received", "")
        via = _received_via(received) if received else None
        if received and via != ReceivedVia.WEB:
            label = ReceivedVia(via).label if via is not None else received
            return gettext("Received %(via)s, entered by an officer for the resident") % {
                "via": str(label).lower()
            }
        return gettext("Submitted by the resident")


class SignInUnlocked(LogFormatter):
    """A superuser unlocking an account or a network address on the lock-outs list."""

    label = _("Sign-in unlocked")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        if data.get("username"):
            return gettext("The account “%(name)s” unlocked after failed sign-ins") % {
                "name": data["username"]
            }
        return gettext("The network address %(address)s unlocked after failed sign-ins") % {
            "address": data.get("ip_address", "")
        }


@hooks.register("register_log_actions")
def register_scrutiny_log_actions(actions):
    """Name every change the plugin writes to Wagtail's log."""
    actions.register_action(lockouts.UNLOCKED_ACTION)(SignInUnlocked)
    actions.register_action("scrutiny.call.submit")(CallSubmitted)
    actions.register_action("scrutiny.call.move", _("Call moved"), _("Moved to a new stage"))
    actions.register_action("scrutiny.call.assign", _("Call assigned"), _("Assigned to an officer"))
    actions.register_action("scrutiny.call.note", _("Note added"), _("Internal note added"))
    actions.register_action(
        "scrutiny.call.access_code",
        _("Access code issued"),
        _("A new access code issued to the resident (the old one no longer works)"),
    )
    actions.register_action(
        "scrutiny.call.support_given", _("Support given"), _("Support to the resident recorded")
    )
    actions.register_action(
        "scrutiny.call.withdraw", _("Call withdrawn"), _("Withdrawn by the resident")
    )
    actions.register_action(
        "scrutiny.call.duplicate",
        _("Closed as a duplicate"),
        _("Closed as a duplicate of another call"),
    )
    actions.register_action(
        "scrutiny.call.out_of_scope",
        _("Closed as out of scope"),
        _("Outside what the panel looks at"),
    )
    actions.register_action(
        "scrutiny.call.monitoring",
        _("Monitoring outcome"),
        _("Moved as the panel's monitoring found"),
    )
    actions.register_action(
        "scrutiny.monitoring", _("Referred for monitoring"), _("Monitoring began")
    )
    actions.register_action(
        "scrutiny.monitoring.extend", _("Monitoring extended"), _("The review date was put back")
    )
    actions.register_action(
        "scrutiny.monitoring.conclude", _("Monitoring concluded"), _("What the panel found")
    )


@hooks.register("register_log_actions")
def register_panel_log_actions(actions):
    """Name the changes made by panel decisions, meetings and petitions."""
    actions.register_action(
        "scrutiny.call.decide", _("Panel decision"), _("Panel decision recorded")
    )
    actions.register_action(
        "scrutiny.call.correct", _("Call corrected"), _("Service or households corrected")
    )
    actions.register_action("scrutiny.call.agenda", _("Agenda"), _("Put on a meeting's agenda"))
    actions.register_action(
        "scrutiny.meeting.cancel", _("Meeting cancelled"), _("Meeting cancelled")
    )
    actions.register_action("scrutiny.meeting.held", _("Meeting held"), _("Meeting held"))
    actions.register_action("scrutiny.petition.open", _("Petition opened"), _("Petition opened"))
    actions.register_action(
        "scrutiny.petition.target", _("Target changed"), _("Petition target changed")
    )
    actions.register_action(
        "scrutiny.petition.withdraw", _("Signature withdrawn"), _("A signature was withdrawn")
    )
    actions.register_action(
        "scrutiny.petition.invalidate", _("Signatures invalidated"), _("Signatures invalidated")
    )
    actions.register_action(
        "scrutiny.petition.target_reached", _("Target reached"), _("Petition reached its target")
    )
    actions.register_action("scrutiny.petition.close", _("Petition closed"), _("Petition closed"))


@hooks.register("register_log_actions")
def register_appeal_log_actions(actions):
    """Name the changes made by appeals."""
    actions.register_action("scrutiny.appeal.submit", _("Appeal received"), _("Appeal received"))
    actions.register_action("scrutiny.appeal.for_resident")(
        received_for_resident(
            _("Appeal recorded for the resident"),
            _("Appeal given %(via)s, recorded by an officer for the resident"),
        )
    )
    actions.register_action(
        "scrutiny.appeal.convene", _("Appeal panel convened"), _("Appeal panel convened")
    )
    actions.register_action("scrutiny.appeal.decide", _("Appeal decided"), _("Appeal decided"))
    # Distinct names on the call, since Wagtail's history keeps one entry per action and request.
    actions.register_action("scrutiny.call.appealed", _("Appealed"), _("The resident appealed"))
    actions.register_action("scrutiny.call.appealed_for_resident")(
        received_for_resident(
            _("The resident's appeal recorded for the resident"),
            _("The resident's appeal given %(via)s, recorded by an officer for the resident"),
        )
    )
    actions.register_action(
        "scrutiny.call.appeal_decided", _("Appeal upheld"), _("Moved as the upheld appeal directed")
    )


@hooks.register("register_log_actions")
def register_scoring_log_actions(actions):
    """Name the changes made by scoring and the programme."""
    actions.register_action(
        "scrutiny.matrix.rescore",
        _("Re-scored"),
        _("Unscheduled scores recalculated after a change"),
    )
    actions.register_action(
        "scrutiny.measure.import", _("Measures imported"), _("Measures imported")
    )
    actions.register_action(
        "scrutiny.programme.schedule", _("Scheduled"), _("Scheduled into the programme")
    )
    actions.register_action(
        "scrutiny.call.schedule", _("Call scheduled"), _("Scheduled for review")
    )


@hooks.register("register_log_actions")
def register_membership_log_actions(actions):
    """Name the changes made to applications to join the panel and expense claims."""
    actions.register_action(
        "scrutiny.application.submit", _("Application received"), _("Applied to join the panel")
    )
    actions.register_action(
        "scrutiny.application.move", _("Application moved"), _("Moved to a stage")
    )
    actions.register_action("scrutiny.application.note", _("Note added"), _("Note added"))
    actions.register_action(
        "scrutiny.application.appoint", _("Appointed"), _("Appointed to the panel")
    )
    actions.register_action("scrutiny.expense.submit", _("Expenses claimed"), _("Expenses claimed"))
    actions.register_action("scrutiny.expense.approve", _("Claim approved"), _("Claim approved"))
    actions.register_action("scrutiny.expense.reject", _("Claim rejected"), _("Claim rejected"))
    actions.register_action(
        "scrutiny.training.offer", _("Place offered"), _("Training place offered")
    )
    actions.register_action("scrutiny.training.book", _("Place booked"), _("Training place booked"))
    actions.register_action("scrutiny.training.decline", _("Place declined"), _("Place declined"))
    actions.register_action("scrutiny.training.attend", _("Attended"), _("Attended training"))
    actions.register_action("scrutiny.training.miss", _("Did not attend"), _("Missed training"))
    actions.register_action("scrutiny.time.log", _("Time logged"), _("Time logged"))
    actions.register_action("scrutiny.time.withdraw", _("Time withdrawn"), _("Time withdrawn"))
    actions.register_action(
        "scrutiny.referral.refer", _("Topic referred"), _("Referred to the panel")
    )
    actions.register_action("scrutiny.referral.schedule", _("Topic scheduled"), _("Scheduled"))
    actions.register_action("scrutiny.referral.report", _("Topic reported on"), _("Reported on"))
    actions.register_action("scrutiny.referral.withdraw", _("Topic withdrawn"), _("Withdrawn"))
    actions.register_action(
        "scrutiny.effectiveness.prepare", _("Effectiveness review prepared"), _("Prepared")
    )
    actions.register_action(
        "scrutiny.effectiveness.agree", _("Review agreed"), _("Agreed by the panel")
    )
    actions.register_action("scrutiny.effectiveness.reopen", _("Review reopened"), _("Reopened"))
    actions.register_action(
        "scrutiny.effectiveness.acknowledge",
        _("Review acknowledged"),
        _("Acknowledged by the oversight body"),
    )


@hooks.register("register_log_actions")
def register_action_plan_log_actions(actions):
    """Name the changes made to responses, action plans and reviews' completion."""
    actions.register_action(
        "scrutiny.recommendation.respond", _("Response recorded"), _("Response to a recommendation")
    )
    actions.register_action("scrutiny.action.add", _("Action added"), _("Action added to a plan"))
    actions.register_action("scrutiny.action.change", _("Action changed"), _("Action changed"))
    actions.register_action(
        "scrutiny.action.progress", _("Progress recorded"), _("Action progress")
    )
    actions.register_action("scrutiny.action.agree", _("Plan agreed"), _("The panel agreed a plan"))
    actions.register_action(
        "scrutiny.review.complete",
        _("Action plan complete"),
        _("Every action done: review completed"),
    )
    actions.register_action(
        "scrutiny.review.reopen", _("Action plan reopened"), _("An action reopened or added")
    )
    actions.register_action("scrutiny.call.close", _("Call closed"), _("Closed with its review"))


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    """Name the anonymisations and erasures of personal data."""
    actions.register_action(
        "scrutiny.privacy.retention", _("Personal data anonymised"), _("Retention period ended")
    )
    actions.register_action(
        "scrutiny.privacy.erasure", _("Personal data erased"), _("Erased on request")
    )
    actions.register_action(
        "scrutiny.privacy.export", _("Personal data exported"), _("Subject access export")
    )


@hooks.register("register_log_actions")
def register_outcomes_log_actions(actions):
    """Name the changes made to the yearly outcomes report."""
    actions.register_action(
        "scrutiny.outcomes.draft",
        _("Outcomes report drafted"),
        _("Drafted with the year's figures"),
    )
    actions.register_action(
        "scrutiny.outcomes.refresh",
        _("Figures taken again"),
        _("The report's figures were taken again"),
    )


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    """Name the changes made while running a review and approving its report."""
    actions.register_action("scrutiny.review.status", _("Review status"), _("The review moved on"))
    actions.register_action(
        "scrutiny.review.step", _("Step updated"), _("A review step was updated")
    )
    actions.register_action(
        "scrutiny.review.participant_add", _("Member added"), _("A panel member joined the review")
    )
    actions.register_action(
        "scrutiny.review.participant_remove",
        _("Member removed"),
        _("A panel member left the review"),
    )
    actions.register_action(
        "scrutiny.call.review",
        _("Moved with its review"),
        _("Moved with the review that answers it"),
    )


@hooks.register("register_log_actions")
def register_letter_log_actions(actions):
    """Name the posting of a letter to a resident."""
    actions.register_action(
        "scrutiny.letter.posted", _("Letter posted"), _("Marked posted by an officer")
    )
