"""Reads about calls for scrutiny: finding a call for its resident, its stage and timeline,
tracking links, calls like it, overdue calls and what happens next."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from wagtail.search.backends import get_search_backend

from ..access_codes import (
    access_code_matches,
    new_access_code,
    tracking_token,
    tracking_token_call_pk,
)
from ..models import (
    CallFormQuestion,
    CallForScrutiny,
    CallForScrutinyPage,
    CallStatus,
    ScrutinySettings,
)
from ..postcodes import postcode_key
from ..roles import OFFICERS
from .decisions import call_latest_decision


def call_form_page() -> CallForScrutinyPage | None:
    """The live public pro-forma page, if the site has one."""
    return CallForScrutinyPage.objects.live().first()


def call_tracking_url() -> str:
    """The path of the public tracking page (or of the site's root if there is no form)."""
    page = call_form_page()
    if page is None:
        return "/"
    return page.url + page.reverse_subpage("track")


def call_appeal_url() -> str:
    """The path of the public appeal form, or empty if the site has no call form page."""
    page = call_form_page()
    if page is None:
        return ""
    return page.url + page.reverse_subpage("appeal")


def _call_by_reference(reference: str) -> CallForScrutiny | None:
    reference = (reference or "").strip().upper()
    if not reference:
        return None
    return (
        CallForScrutiny.objects.select_related("business_area", "agenda_meeting")
        .filter(reference=reference)
        .first()
    )


def call_find_for_resident(*, reference: str, access_code: str) -> CallForScrutiny | None:
    """The call with this reference, only if the access code given is its code.

    This opens the full tracking page and the appeal: a wrong code and an unknown reference
    both give None, so neither can be told apart.
    """
    call = _call_by_reference(reference)
    if call is None:
        # Compare anyway, so that an unknown reference takes as long as a wrong code.
        access_code_matches(new_access_code(), access_code)
        return None
    return call if access_code_matches(call.access_code, access_code) else None


def call_find_by_contact(*, reference: str, email_or_postcode: str) -> CallForScrutiny | None:
    """The call with this reference, if the email or postcode given matches it.

    Neither is a secret (a postcode is shared by a street), so this shows only the bare stage
    (`call_bare_stage`), never the panel's reasons, nor the appeal form.
    """
    given = (email_or_postcode or "").strip()
    call = _call_by_reference(reference)
    if call is None or not given:
        return None
    if "@" in given:
        matches = bool(call.email) and call.email.lower() == given.lower()
    else:
        matches = bool(call.postcode) and postcode_key(call.postcode) == postcode_key(given)
    return call if matches else None


def call_tracking_token(call: CallForScrutiny) -> str:
    """The opaque token of the call's tracking link; empty if the call has no access code."""
    if not call.access_code:
        return ""
    return tracking_token(call_pk=call.pk, code=call.access_code)


def call_from_tracking_token(token: str) -> CallForScrutiny | None:
    """The call a tracking link opens, if the link is genuine and its code still current."""

    def code_of(pk: int) -> str:
        return (
            CallForScrutiny.objects.filter(pk=pk).values_list("access_code", flat=True).first()
            or ""
        )

    pk = tracking_token_call_pk(token, code_of=code_of)
    if pk is None:
        return None
    return CallForScrutiny.objects.select_related("business_area", "agenda_meeting").get(pk=pk)


def call_tracking_link(call: CallForScrutiny) -> str:
    """The path of the link that opens this call's full tracking page; empty without a code."""
    page = call_form_page()
    token = call_tracking_token(call)
    if page is None or not token:
        return ""
    return page.url + page.reverse_subpage("track_link", args=[token])


RESIDENT_STAGES = {
    CallStatus.SUBMITTED: gettext_lazy(
        "We have received your call and an officer will look at it soon."
    ),
    CallStatus.TRIAGE: gettext_lazy("An officer is looking at your call and may contact you."),
    CallStatus.GATHERING_EVIDENCE: gettext_lazy(
        "We are gathering evidence for your call, for example through a petition."
    ),
    CallStatus.AWAITING_PANEL: gettext_lazy("Your call is waiting to be considered by the panel."),
    CallStatus.NOT_ACCEPTED: gettext_lazy("The panel has not accepted your call yet."),
    CallStatus.MONITORING: gettext_lazy("The panel has referred your call for monitoring."),
    CallStatus.ACCEPTED: gettext_lazy(
        "The panel has accepted your call and will score it for review."
    ),
    CallStatus.SERIOUS_FAILURE: gettext_lazy(
        "The panel found a serious failure of service and made recommendations straight away."
    ),
    CallStatus.SCHEDULED: gettext_lazy("A review of this service is scheduled in the programme."),
    CallStatus.IN_REVIEW: gettext_lazy("The panel is reviewing this service now."),
    CallStatus.REPORTED: gettext_lazy("The panel has reported on its review."),
    CallStatus.CLOSED: gettext_lazy("This call is closed."),
}


CLOSED_FOR_RESIDENT = {
    "withdrawn": gettext_lazy("This call is closed: you withdrew it."),
    "duplicate": gettext_lazy(
        "This call is closed: another call about the same concerns carries it on."
    ),
    "out_of_scope": gettext_lazy(
        "This call is closed: it is about something the panel cannot look at."
    ),
    "not_accepted": gettext_lazy(
        "This call is closed: the panel did not accept it, and the time to appeal has passed."
    ),
    "improved": gettext_lazy(
        "This call is closed: the service improved while the panel monitored it."
    ),
    "resolved": gettext_lazy(
        "This call is closed: the serious failure the panel found has been put right."
    ),
    "reviewed": gettext_lazy(
        "This call is closed: the panel's review is done and its action plan complete."
    ),
}


def call_stage_for_resident(call: CallForScrutiny) -> str:
    """The call's stage in plain English, as the resident sees it."""
    if call.status == CallStatus.CLOSED and call.closure in CLOSED_FOR_RESIDENT:
        return str(CLOSED_FOR_RESIDENT[call.closure])
    return str(RESIDENT_STAGES[CallStatus(call.status)])


# What reference and postcode (or email) show: where the call is, in a word or two. Not the
# decision, nor its reasons: those need the access code.
_RECEIVED = pgettext_lazy("stage of a call", "Received")
_WITH_AN_OFFICER = pgettext_lazy("stage of a call", "With an officer")
_DECIDED = pgettext_lazy("stage of a call", "Decided")
BARE_STAGES = {
    CallStatus.SUBMITTED: _RECEIVED,
    CallStatus.TRIAGE: _WITH_AN_OFFICER,
    CallStatus.GATHERING_EVIDENCE: _WITH_AN_OFFICER,
    CallStatus.AWAITING_PANEL: pgettext_lazy("stage of a call", "With the panel"),
    CallStatus.NOT_ACCEPTED: _DECIDED,
    CallStatus.MONITORING: _DECIDED,
    CallStatus.ACCEPTED: _DECIDED,
    CallStatus.SERIOUS_FAILURE: _DECIDED,
    CallStatus.SCHEDULED: _DECIDED,
    CallStatus.IN_REVIEW: _DECIDED,
    CallStatus.REPORTED: _DECIDED,
    CallStatus.CLOSED: pgettext_lazy("stage of a call", "Closed"),
}


def call_bare_stage(call: CallForScrutiny) -> str:
    """The call's stage in a word or two, for someone who gave a postcode, not the code."""
    return str(BARE_STAGES[CallStatus(call.status)])


def call_timeline(call: CallForScrutiny) -> list[tuple]:
    """(when, what) for each stage the call has reached, oldest first, from its history."""
    events = [(call.submitted_at, pgettext("stage of a call", "Received"))]
    previous = None
    for row in call.history.order_by("history_date", "history_id").only("status", "history_date"):
        if previous is not None and row.status != previous:
            events.append((row.history_date, CallStatus(row.status).label))
        previous = row.status
    return events


def officer_list():
    """Active scrutiny officers, by name: the people a call may be assigned to."""
    return (
        get_user_model()
        .objects.filter(groups__name=OFFICERS, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def call_earlier_in_area(call: CallForScrutiny, *, limit: int = 10) -> list[CallForScrutiny]:
    """Calls about the same service received before this one, newest first."""
    return list(
        CallForScrutiny.objects.filter(
            business_area_id=call.business_area_id, submitted_at__lte=call.submitted_at
        )
        .exclude(pk=call.pk)
        .select_related("business_area")
        .order_by("-submitted_at", "-pk")[:limit]
    )


# Words too common to say what a call is about (in any call to a landlord, too); shorter words
# are dropped anyway.
STOP_WORDS = frozenset(
    """
    about above after again against almost also always among another anything around asked
    back because been before being below between both came cannot come could does doing done
    down during each even ever every from further have having here into just keep kept know
    last like made make many more most much must never nothing once only other over please
    really said same should since some something still such than thank thanks that their
    them then there these they thing things this those though through told under until very
    want wanted were what when where which while will with within without would year years
    your
    association housing issue issues landlord problem problems resident residents service
    services tenant tenants
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def call_distinctive_words(call: CallForScrutiny, *, limit: int = 12) -> list[str]:
    """The words of a call's concerns and service failures worth searching on, first seen first."""
    words: list[str] = []
    for word in re.findall(r"[^\W\d_]+", f"{call.concerns} {call.service_failures}".lower()):
        if len(word) >= 4 and word not in STOP_WORDS and word not in words:
            words.append(word)
            if len(words) == limit:
                break
    return words


# How alike two calls must be to be listed as "worded like this one", unless the site's
# SCRUTINY_SIMILAR_CALLS setting says otherwise: at least this many meaningful words in common,
# and at least this share of the shorter call's meaningful words.
SIMILAR_CALLS_DEFAULTS = {"min_shared_words": 2, "min_share": 0.25}
SIMILAR_CALLS_CANDIDATES = 50


def similar_calls_threshold() -> dict:
    """The relevance threshold for similar calls: the defaults with the site's setting over them."""
    return {**SIMILAR_CALLS_DEFAULTS, **getattr(settings, "SCRUTINY_SIMILAR_CALLS", {})}


def call_similar(call: CallForScrutiny, *, limit: int = 5) -> list[CallForScrutiny]:
    """Other calls worded like this one, closest first: those sharing enough meaningful words.

    Wagtail search finds the calls that share any word; each is then kept only if it shares at
    least `min_shared_words` of its distinctive words with this call, making at least
    `min_share` of the shorter list (see similar_calls_threshold).
    """
    words = call_distinctive_words(call, limit=40)
    if not words:
        return []
    threshold = similar_calls_threshold()
    # The search index cannot filter on the primary key, so this call is dropped afterwards.
    query = " ".join(words[:12])
    results = get_search_backend().search(query, CallForScrutiny, operator="or")
    mine = set(words)
    scored = []
    for rank, found in enumerate(results[: SIMILAR_CALLS_CANDIDATES + 1]):
        if found.pk == call.pk:
            continue
        theirs = set(call_distinctive_words(found, limit=40))
        shared = len(mine & theirs)
        shorter = min(len(mine), len(theirs)) or 1
        if shared >= threshold["min_shared_words"] and shared / shorter >= threshold["min_share"]:
            scored.append((-shared, rank, found))
    return [found for _shared, _rank, found in sorted(scored, key=lambda row: row[:2])][:limit]


def call_extra_question_labels(*, calls) -> list[str]:
    """The labels of the call form's extra questions, in the form's order, then any other label
    answered in these calls (a question since removed), first seen first."""
    labels = list(
        dict.fromkeys(
            CallFormQuestion.objects.order_by("page_id", "sort_order", "pk").values_list(
                "label", flat=True
            )
        )
    )
    for answers in calls.order_by().values_list("extra_answers", flat=True):
        for entry in answers or []:
            label = entry.get("label") if isinstance(entry, dict) else None
            if label and label not in labels:
                labels.append(label)
    return labels


def call_is_overdue(call: CallForScrutiny) -> bool:
    """Whether a call has waited for the panel's decision longer than configured."""
    if call.status != CallStatus.AWAITING_PANEL or call.awaiting_panel_since is None:
        return False
    limit = ScrutinySettings.load().decision_overdue_days
    return timezone.now() - call.awaiting_panel_since > timedelta(days=limit)


def overdue_threshold():
    """Calls awaiting the panel since before this moment are overdue."""
    return timezone.now() - timedelta(days=ScrutinySettings.load().decision_overdue_days)


def calls_overdue():
    """Calls awaiting the panel for longer than the configured number of days, oldest first."""
    return (
        CallForScrutiny.objects.filter(
            status=CallStatus.AWAITING_PANEL, awaiting_panel_since__lt=overdue_threshold()
        )
        .select_related("business_area", "agenda_meeting")
        .order_by("awaiting_panel_since")
    )


def call_next_step(call: CallForScrutiny) -> str:
    """What happens next to a call, in a sentence for the staff who look at it."""
    status = CallStatus(call.status)
    if status == CallStatus.SUBMITTED:
        return _("An officer starts triage, or closes the call if it cannot go further.")
    if status == CallStatus.TRIAGE:
        return _(
            "Gather evidence (for example with a petition), send the call to the panel, or close "
            "it."
        )
    if status == CallStatus.GATHERING_EVIDENCE:
        return _(
            "The call goes to the panel by itself when its petition reaches the target; an "
            "officer can also send it, or close it."
        )
    if status == CallStatus.AWAITING_PANEL:
        if call.agenda_meeting_id:
            return _("The panel decides on it at a formal meeting: next, %(meeting)s.") % {
                "meeting": call.agenda_meeting
            }
        return _("The panel decides on it at its next formal meeting; none is arranged yet.")
    if status == CallStatus.ACCEPTED:
        return _("Score it with the matrix and schedule it into a review in the programme.")
    if status in {CallStatus.SCHEDULED, CallStatus.IN_REVIEW, CallStatus.REPORTED}:
        titles = [
            pgettext("a title in quotes", "“%(title)s”") % {"title": review.title}
            for review in call.reviews.all()
        ]
        if not titles:
            return _("Answered by a review; it closes when the review's action plan is complete.")
        return _(
            # Translators: the reviews are their titles in quotes, joined by ", ".
            "Answered by %(reviews)s; it closes when the review's action plan is complete."
        ) % {"reviews": ", ".join(titles)}
    if status == CallStatus.SERIOUS_FAILURE:
        return _(
            "It closes when the actions answering the panel's immediate recommendations are done."
        )
    if status in {CallStatus.NOT_ACCEPTED, CallStatus.MONITORING}:
        appeal = call.appeals.exclude(status="decided").first()
        if appeal is not None:
            return _("An appeal is waiting for its decision: %(reference)s.") % {
                "reference": appeal.reference
            }
    if status == CallStatus.NOT_ACCEPTED:
        decision = call_latest_decision(call)
        if decision and decision.appeal_deadline:
            last = date_format(decision.appeal_deadline, "j F Y")
            return _("It can be appealed until %(date)s; it closes by itself after that.") % {
                "date": last
            }
        return _("It closes by itself once it can no longer be appealed.")
    if status == CallStatus.MONITORING:
        return _("The panel watches the service; record what it found when it looks again.")
    if not call.closure:
        return _("Closed.")
    closure = str(call.get_closure_display())
    # Translators: the closure is why the call closed, as the call's page names it.
    return _("Closed: %(closure)s.") % {"closure": closure[0].lower() + closure[1:]}
