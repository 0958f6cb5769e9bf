"""Every log action the plugin writes, with its label and message, and how the log is read:
each role sees only the entries the permission matrix gives it."""

from django.db import models
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


def received_for_resident(what: str):
    """A log formatter for something a resident gave by post, phone or in person, which an
    officer recorded for them; how it came is in the entry's data."""

    class Formatter(LogFormatter):
        label = f"{what} recorded for the resident"

        def format_message(self, log_entry):
            via = dict(ReceivedVia.choices).get(
                (log_entry.data or {}).get("received_by", ""), "by post"
            )
            return f"{what} given {via.lower()}, recorded by an officer for the resident"

    return Formatter


class CallSubmitted(LogFormatter):
    """A call arriving: from the online form, or entered by an officer from a letter or call."""

    label = "Call submitted"

    def format_message(self, log_entry):
        received = (log_entry.data or {}).get("received", "")
        if received and received != ReceivedVia.WEB.label:
            return f"Received {received.lower()}, entered by an officer for the resident"
        return "Submitted by the resident"


class SignInUnlocked(LogFormatter):
    """A superuser unlocking an account or a network address on the lock-outs list."""

    label = "Sign-in unlocked"

    def format_message(self, log_entry):
        data = log_entry.data or {}
        if data.get("username"):
            return f"The account “{data['username']}” unlocked after failed sign-ins"
        return f"The network address {data.get('ip_address', '')} unlocked after failed sign-ins"


@hooks.register("register_log_actions")
def register_scrutiny_log_actions(actions):
    """Name every change the plugin writes to Wagtail's log."""
    actions.register_action(lockouts.UNLOCKED_ACTION)(SignInUnlocked)
    actions.register_action("scrutiny.call.submit")(CallSubmitted)
    actions.register_action("scrutiny.call.move", "Call moved", "Moved to a new stage")
    actions.register_action("scrutiny.call.assign", "Call assigned", "Assigned to an officer")
    actions.register_action("scrutiny.call.note", "Note added", "Internal note added")
    actions.register_action(
        "scrutiny.call.access_code",
        "Access code issued",
        "A new access code issued to the resident (the old one no longer works)",
    )
    actions.register_action(
        "scrutiny.call.support_given", "Support given", "Support to the resident recorded"
    )
    actions.register_action("scrutiny.call.withdraw", "Call withdrawn", "Withdrawn by the resident")
    actions.register_action(
        "scrutiny.call.duplicate", "Closed as a duplicate", "Closed as a duplicate of another call"
    )
    actions.register_action(
        "scrutiny.call.out_of_scope", "Closed as out of scope", "Outside what the panel looks at"
    )
    actions.register_action(
        "scrutiny.call.monitoring", "Monitoring outcome", "Moved as the panel's monitoring found"
    )
    actions.register_action("scrutiny.monitoring", "Referred for monitoring", "Monitoring began")
    actions.register_action(
        "scrutiny.monitoring.extend", "Monitoring extended", "The review date was put back"
    )
    actions.register_action(
        "scrutiny.monitoring.conclude", "Monitoring concluded", "What the panel found"
    )


@hooks.register("register_log_actions")
def register_panel_log_actions(actions):
    """Name the changes made by panel decisions, meetings and petitions."""
    actions.register_action("scrutiny.call.decide", "Panel decision", "Panel decision recorded")
    actions.register_action(
        "scrutiny.call.correct", "Call corrected", "Service or households corrected"
    )
    actions.register_action("scrutiny.call.agenda", "Agenda", "Put on a meeting's agenda")
    actions.register_action("scrutiny.meeting.cancel", "Meeting cancelled", "Meeting cancelled")
    actions.register_action("scrutiny.meeting.held", "Meeting held", "Meeting held")
    actions.register_action("scrutiny.petition.open", "Petition opened", "Petition opened")
    actions.register_action("scrutiny.petition.target", "Target changed", "Petition target changed")
    actions.register_action(
        "scrutiny.petition.withdraw", "Signature withdrawn", "A signature was withdrawn"
    )
    actions.register_action(
        "scrutiny.petition.invalidate", "Signatures invalidated", "Signatures invalidated"
    )
    actions.register_action(
        "scrutiny.petition.target_reached", "Target reached", "Petition reached its target"
    )
    actions.register_action("scrutiny.petition.close", "Petition closed", "Petition closed")


@hooks.register("register_log_actions")
def register_appeal_log_actions(actions):
    """Name the changes made by appeals."""
    actions.register_action("scrutiny.appeal.submit", "Appeal received", "Appeal received")
    actions.register_action("scrutiny.appeal.for_resident")(received_for_resident("Appeal"))
    actions.register_action(
        "scrutiny.appeal.convene", "Appeal panel convened", "Appeal panel convened"
    )
    actions.register_action("scrutiny.appeal.decide", "Appeal decided", "Appeal decided")
    # Distinct names on the call, since Wagtail's history keeps one entry per action and request.
    actions.register_action("scrutiny.call.appealed", "Appealed", "The resident appealed")
    actions.register_action("scrutiny.call.appealed_for_resident")(
        received_for_resident("The resident's appeal")
    )
    actions.register_action(
        "scrutiny.call.appeal_decided", "Appeal upheld", "Moved as the upheld appeal directed"
    )


@hooks.register("register_log_actions")
def register_scoring_log_actions(actions):
    """Name the changes made by scoring and the programme."""
    actions.register_action(
        "scrutiny.matrix.rescore", "Re-scored", "Unscheduled scores recalculated after a change"
    )
    actions.register_action("scrutiny.measure.import", "Measures imported", "Measures imported")
    actions.register_action(
        "scrutiny.programme.schedule", "Scheduled", "Scheduled into the programme"
    )
    actions.register_action("scrutiny.call.schedule", "Call scheduled", "Scheduled for review")


@hooks.register("register_log_actions")
def register_membership_log_actions(actions):
    """Name the changes made to applications to join the panel and expense claims."""
    actions.register_action(
        "scrutiny.application.submit", "Application received", "Applied to join the panel"
    )
    actions.register_action("scrutiny.application.move", "Application moved", "Moved to a stage")
    actions.register_action("scrutiny.application.note", "Note added", "Note added")
    actions.register_action("scrutiny.application.appoint", "Appointed", "Appointed to the panel")
    actions.register_action("scrutiny.expense.submit", "Expenses claimed", "Expenses claimed")
    actions.register_action("scrutiny.expense.approve", "Claim approved", "Claim approved")
    actions.register_action("scrutiny.expense.reject", "Claim rejected", "Claim rejected")
    actions.register_action("scrutiny.training.offer", "Place offered", "Training place offered")
    actions.register_action("scrutiny.training.book", "Place booked", "Training place booked")
    actions.register_action("scrutiny.training.decline", "Place declined", "Place declined")
    actions.register_action("scrutiny.training.attend", "Attended", "Attended training")
    actions.register_action("scrutiny.training.miss", "Did not attend", "Missed training")
    actions.register_action("scrutiny.time.log", "Time logged", "Time logged")
    actions.register_action("scrutiny.time.withdraw", "Time withdrawn", "Time withdrawn")
    actions.register_action("scrutiny.referral.refer", "Topic referred", "Referred to the panel")
    actions.register_action("scrutiny.referral.schedule", "Topic scheduled", "Scheduled")
    actions.register_action("scrutiny.referral.report", "Topic reported on", "Reported on")
    actions.register_action("scrutiny.referral.withdraw", "Topic withdrawn", "Withdrawn")
    actions.register_action(
        "scrutiny.effectiveness.prepare", "Effectiveness review prepared", "Prepared"
    )
    actions.register_action("scrutiny.effectiveness.agree", "Review agreed", "Agreed by the panel")
    actions.register_action("scrutiny.effectiveness.reopen", "Review reopened", "Reopened")
    actions.register_action(
        "scrutiny.effectiveness.acknowledge",
        "Review acknowledged",
        "Acknowledged by the oversight body",
    )


@hooks.register("register_log_actions")
def register_action_plan_log_actions(actions):
    """Name the changes made to responses, action plans and reviews' completion."""
    actions.register_action(
        "scrutiny.recommendation.respond", "Response recorded", "Response to a recommendation"
    )
    actions.register_action("scrutiny.action.add", "Action added", "Action added to a plan")
    actions.register_action("scrutiny.action.change", "Action changed", "Action changed")
    actions.register_action("scrutiny.action.progress", "Progress recorded", "Action progress")
    actions.register_action("scrutiny.action.agree", "Plan agreed", "The panel agreed a plan")
    actions.register_action(
        "scrutiny.review.complete", "Action plan complete", "Every action done: review completed"
    )
    actions.register_action(
        "scrutiny.review.reopen", "Action plan reopened", "An action reopened or added"
    )
    actions.register_action("scrutiny.call.close", "Call closed", "Closed with its review")


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    """Name the anonymisations and erasures of personal data."""
    actions.register_action(
        "scrutiny.privacy.retention", "Personal data anonymised", "Retention period ended"
    )
    actions.register_action("scrutiny.privacy.erasure", "Personal data erased", "Erased on request")
    actions.register_action(
        "scrutiny.privacy.export", "Personal data exported", "Subject access export"
    )


@hooks.register("register_log_actions")
def register_outcomes_log_actions(actions):
    """Name the changes made to the yearly outcomes report."""
    actions.register_action(
        "scrutiny.outcomes.draft", "Outcomes report drafted", "Drafted with the year's figures"
    )
    actions.register_action(
        "scrutiny.outcomes.refresh", "Figures taken again", "The report's figures were taken again"
    )


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    """Name the changes made while running a review and approving its report."""
    actions.register_action("scrutiny.review.status", "Review status", "The review moved on")
    actions.register_action("scrutiny.review.step", "Step updated", "A review step was updated")
    actions.register_action(
        "scrutiny.review.participant_add", "Member added", "A panel member joined the review"
    )
    actions.register_action(
        "scrutiny.review.participant_remove", "Member removed", "A panel member left the review"
    )
    actions.register_action(
        "scrutiny.call.review", "Moved with its review", "Moved with the review that answers it"
    )


@hooks.register("register_log_actions")
def register_letter_log_actions(actions):
    """Name the posting of a letter to a resident."""
    actions.register_action(
        "scrutiny.letter.posted", "Letter posted", "Marked posted by an officer"
    )
