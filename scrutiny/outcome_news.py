"""Everyone who asked is told how it ended.

The resident who raised a call, and the signers of its petition who asked at signing to be told,
hear what became of it: the panel's decision (signers: the resident who raised the call has a
letter of their own), the publication of the review's report, with a link, and the completion
of the review's action plan. Each is queued through django-q2 and sent once to each person
(`send_email_once`), in HTML and text; a resident or a paper signer who gave no email has a
letter instead (`send_letter_once`), waiting in the outbox to be posted.
"""

import hashlib

from .models import (
    CallForScrutiny,
    PanelDecision,
    PetitionSignature,
    ScrutinyReviewPage,
)
from .notifications import (
    absolute_url,
    resident_postal_address,
    send_email_once,
    send_letter_once,
    send_to_resident_once,
)


def outcome_recipients(call: CallForScrutiny, *, signers_only: bool = False) -> list[dict]:
    """{"name", "email", "raised_it"} for each person to tell about a call, once per address:
    the resident who raised it (with or without an email address), then each counted signer of
    its petition who asked to be told. Anonymised people are nobody's to tell."""
    people: dict[str, dict] = {}
    if not signers_only and call.anonymised_at is None:
        # A resident who gave no email is written to (`send_to_resident_once`).
        key = call.email.lower() or f"call:{call.pk}"
        people[key] = {"name": call.name, "email": call.email, "raised_it": True}
    signers = (
        PetitionSignature.objects.counted()
        .filter(petition__call=call, tell_outcome=True, anonymised_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "name", "email", "address", "postcode")
    )
    for pk, name, email, address, postcode in signers:
        person = {"name": name, "email": email, "raised_it": False}
        if email:
            people.setdefault(email.lower(), person)
        elif address:
            # A paper signer with no email is written to at the address on the sheet.
            key = f"letter:{person_key_of(name, postcode)}"
            people.setdefault(key, person | {"address": address, "postcode": postcode, "pk": pk})
    return list(people.values())


def person_key_of(name: str, postcode: str) -> str:
    return " ".join(f"{name} {postcode}".lower().split())


def _who(person: dict, call: CallForScrutiny) -> str:
    """Who a person is for their messages: their email, else the call they raised or the
    paper signature they gave."""
    if person["email"]:
        return person["email"].lower()
    return f"call:{call.pk}" if person["raised_it"] else f"signature:{person['pk']}"


def _key(event: str, pk: int, who: str) -> str:
    digest = hashlib.sha256(who.encode()).hexdigest()[:16]
    return f"news:{event}:{pk}:{digest}"


def send_decision_news(decision_pk: int) -> int:
    """Tell the signers who asked what the panel decided; returns how many were emailed now."""
    decision = (
        PanelDecision.objects.select_related("call__business_area", "call__petition", "meeting")
        .filter(pk=decision_pk)
        .first()
    )
    if decision is None:
        return 0
    call = decision.call
    sent = 0
    for person in outcome_recipients(call, signers_only=True):
        sent += _tell(
            person,
            key=_key("decision", decision.pk, _who(person, call)),
            template="news_decision",
            context={"person": person, "call": call, "decision": decision},
        )
    return sent


def _tell(person: dict, *, key: str, template: str, context: dict) -> bool:
    """One message to one person: the resident who raised the call by email or letter, a
    signer by email or (a paper signer without one) by letter; all are listed in the outbox
    under the call's reference."""
    call = context["call"]
    if person["raised_it"]:
        return send_to_resident_once(
            key=key, resident=call, template=template, context=context, reference=call.reference
        )
    if not person["email"]:
        return send_letter_once(
            key=key,
            name=person["name"],
            address=resident_postal_address(person["address"], person["postcode"]),
            template=template,
            context=context,
            reference=call.reference,
        )
    return send_email_once(
        key=key,
        to=[person["email"]],
        template=template,
        context=context,
        reference=call.reference,
        resident_name=person["name"],
    )


def send_review_news(review_pk: int, event: str) -> int:
    """Tell everyone who asked about the calls a review answers that its report is published
    (`event` "report") or that its action plan is complete ("complete"). A person asked about
    two of the review's calls hears once."""
    review = ScrutinyReviewPage.objects.filter(pk=review_pk).first()
    if review is None or event not in ("report", "complete"):
        return 0
    report_url = absolute_url(review.url) if review.live and review.url else ""
    people: dict[str, dict] = {}
    for call in review.calls.select_related("business_area").order_by("pk"):
        for person in outcome_recipients(call):
            people.setdefault(_who(person, call), {**person, "call": call})
    sent = 0
    for who, person in people.items():
        sent += _tell(
            person,
            key=_key(event, review.pk, who),
            template=f"news_{event}",
            context={
                "person": person,
                "call": person["call"],
                "review": review,
                "report_url": report_url,
            },
        )
    return sent


def send_report_news(review_pk: int) -> int:
    """The review's report is published (queued by the review's `publish_report` move)."""
    return send_review_news(review_pk, "report")


def send_completion_news(review_pk: int) -> int:
    """Every action of the review's plan is done (queued by the review's `complete` move)."""
    return send_review_news(review_pk, "complete")
