"""Reads about the panel's decisions on calls."""

from django.utils.translation import gettext_lazy as _

from ..models import CallForScrutiny

DECISION_SENTENCES = {
    "not_accepted": _(
        "The panel has not accepted your call yet: it asks that other ways of putting things "
        "right are tried first."
    ),
    "monitoring": _(
        "The panel will monitor how this service is delivered and look for improvements."
    ),
    "accepted": _(
        "The panel has accepted your call. It will score the service and schedule a review "
        "in its programme."
    ),
    "serious_failure": _(
        "The panel found a serious failure of service and has made recommendations to put it "
        "right straight away, before any review."
    ),
}


def decision_in_plain_english(decision) -> str:
    """One sentence a resident understands for a panel decision."""
    return str(DECISION_SENTENCES[decision.outcome])


def call_latest_decision(call: CallForScrutiny):
    """The panel's most recent decision on a call, if any."""
    return call.decisions.select_related("meeting", "reason").order_by("-decided_at", "-pk").first()
