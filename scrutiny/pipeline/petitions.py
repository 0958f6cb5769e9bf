"""Petitions: opening, signing online and on paper, counting people once, closing."""

import csv
import io
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from .. import permissions
from ..models import (
    CallForScrutiny,
    CallStatus,
    Petition,
    PetitionSignature,
    PetitionStatus,
    ScrutinySettings,
    SignatureMethod,
)
from ..notifications import queue_task
from ..postcodes import postcode_key
from . import machine
from .calls import call_enter_panel, call_move
from .machine import TransitionNotAllowed

MILESTONES = (("third_reached_at", 1, 3), ("two_thirds_reached_at", 2, 3))


# The engine's one refusal, named for what is refused here.
SignatureRefused = TransitionNotAllowed


# What confirming, withdrawing and milestones read of a petition, so locking it reads no more.
COUNTING_FIELDS = (
    "call_id",
    "status",
    "closes_on",
    "target",
    "people_counted",
    "third_reached_at",
    "two_thirds_reached_at",
    "target_reached_at",
)


def person_key(*, name: str, postcode: str) -> str:
    """One person, whichever way they signed: their name and postcode, normalised."""
    return f"{' '.join(name.lower().split())}|{postcode_key(postcode)}"


def petition_target_for(*, households: int | None) -> tuple[int, str]:
    """Signatures needed for the households affected, and how that number was worked out."""
    config = ScrutinySettings.load()
    minimum, maximum = config.petition_minimum, config.petition_maximum
    if not households:
        return minimum, _(
            "No number of households was given, so the minimum of %(minimum)s applies."
        ) % {"minimum": minimum}
    share = math.ceil(households * config.petition_percentage / 100)
    target = min(max(share, minimum), maximum)
    return target, ngettext(
        "%(percentage)s%% of %(households)s household is %(share)s; the target is kept between "
        "%(minimum)s and %(maximum)s.",
        "%(percentage)s%% of %(households)s households is %(share)s; the target is kept "
        "between %(minimum)s and %(maximum)s.",
        households,
    ) % {
        "percentage": format(config.petition_percentage.normalize(), "f"),
        "households": households,
        "share": share,
        "minimum": minimum,
        "maximum": maximum,
    }


def petition_count(petition: Petition) -> int:
    """How many people have signed: confirmed or paper, not withdrawn or invalidated.

    This counts the signatures; pages read `Petition.people_counted`, the running count that the
    functions here keep equal to it.
    """
    return petition.signatures.counted().values("person_key").distinct().count()


def _count_person(petition: Petition, signature: PetitionSignature, change: int) -> None:
    """Add (+1) or take away (-1) a signature's person from its locked petition's running count.

    Only when no other counted signature on the petition is the same person.
    """
    others = (
        petition.signatures.counted()
        .filter(person_key=signature.person_key)
        .exclude(pk=signature.pk)
        .exists()
    )
    if not others:
        Petition.objects.filter(pk=petition.pk).update(
            people_counted=Greatest(F("people_counted") + change, 0)
        )
        petition.people_counted = max(0, petition.people_counted + change)


def _lock_petition(petition_id: int) -> Petition:
    """A petition's counting fields, its row locked until the transaction ends.

    FOR NO KEY UPDATE, so people signing (whose new rows only share-lock the petition's key) are
    not held up, while changes to one petition's count take turns: each sees the others'
    signatures once they are committed. Rows are always locked signatures first, then the
    petition, so these never deadlock.
    """
    return (
        Petition.objects.select_for_update(no_key=True).only(*COUNTING_FIELDS).get(pk=petition_id)
    )


def _confirm(token: str, when) -> tuple[PetitionSignature, Petition] | None:
    """Mark the signature with this token confirmed at `when`, if it is waiting to be, and lock
    its petition; None when there is no such signature, or it was already confirmed, taken back
    or found invalid. The signature's row stays locked until the transaction ends, so a second
    press of the same button waits and then finds it confirmed."""
    signature = (
        PetitionSignature.objects.select_for_update()
        .filter(
            token=token,
            confirmed_at__isnull=True,
            withdrawn_at__isnull=True,
            invalidated_at__isnull=True,
        )
        .first()
    )
    if signature is None:
        return None
    signature.confirmed_at = when
    signature._history_date = when  # its history row is dated as the confirmation
    signature.save(update_fields=["confirmed_at"])
    return signature, _lock_petition(signature.petition_id)


def petition_recount(petition: Petition) -> int:
    """Count a petition's people afresh into its running count, after changes in bulk."""
    petition = _lock_petition(petition.pk)
    people = petition_count(petition)
    Petition.objects.filter(pk=petition.pk).update(people_counted=people)
    return people


@transaction.atomic
def petition_open(
    *,
    call: CallForScrutiny,
    user,
    title: str,
    summary: str,
    closes_on=None,
    target: int | None = None,
    target_change_reason: str = "",
) -> Petition:
    """Open a petition for a call in triage or gathering evidence, with a representative target."""
    if not permissions.may_open_petitions(user):
        raise PermissionDenied(_("Only scrutiny officers may open petitions."))
    call = CallForScrutiny.objects.select_for_update().get(pk=call.pk)
    if call.status not in {CallStatus.TRIAGE, CallStatus.GATHERING_EVIDENCE}:
        raise TransitionNotAllowed(
            _(
                "%(reference)s is %(status)s; a petition can be opened during triage or while "
                "gathering evidence."
            )
            % {"reference": call.reference, "status": call.get_status_display().lower()}
        )
    if Petition.objects.filter(call=call).exists():
        raise TransitionNotAllowed(
            _("%(reference)s already has a petition.") % {"reference": call.reference}
        )
    suggested, rule = petition_target_for(households=call.households_affected)
    if target is not None and target != suggested:
        if target < 1:
            raise TransitionNotAllowed(_("The target must be at least one signature."))
        if not target_change_reason.strip():
            raise TransitionNotAllowed(
                ngettext(
                    "The rule suggests %(suggested)s signature; give a reason for %(target)s.",
                    "The rule suggests %(suggested)s signatures; give a reason for %(target)s.",
                    suggested,
                )
                % {"suggested": suggested, "target": target}
            )
    else:
        target, target_change_reason = suggested, ""
    today = timezone.localdate()
    closes_on = closes_on or today + timedelta(days=ScrutinySettings.load().petition_days_open)
    if closes_on < today:
        raise TransitionNotAllowed(_("The closing date cannot be in the past."))
    petition = Petition(
        call=call,
        slug=slugify(call.reference),
        title=title.strip(),
        summary=summary.strip(),
        target=target,
        target_rule=rule,
        target_change_reason=target_change_reason.strip(),
        published=True,
        opened_at=timezone.now(),
        closes_on=closes_on,
        opened_by=user,
    )
    petition.full_clean()
    petition = machine.apply(petition, "open", user=user, data={"target": target})
    if call.status == CallStatus.TRIAGE:
        call_move(call=call, transition="gather_evidence", user=user)
    return petition


@transaction.atomic
def petition_change_target(*, petition: Petition, target: int, reason: str, user) -> Petition:
    """Change a petition's target, recording why."""
    if not permissions.may_change_petitions(user):
        raise PermissionDenied(_("Only scrutiny officers may change a petition's target."))
    if target < 1:
        raise TransitionNotAllowed(_("The target must be at least one signature."))
    if not reason.strip():
        raise TransitionNotAllowed(_("Give a reason for changing the target."))
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.status == PetitionStatus.CLOSED:
        raise TransitionNotAllowed(_("The petition has closed; its target can no longer change."))
    previous = petition.target
    petition.target = target
    petition.target_change_reason = reason.strip()
    petition._history_user = user
    petition.save(update_fields=["target", "target_change_reason"])  # keeps people_counted
    log(
        instance=petition,
        action="scrutiny.petition.target",
        user=user,
        data={"from": previous, "to": target, "reason": reason.strip()},
    )
    _after_count_change(petition)
    return petition


def _require_open(petition: Petition) -> None:
    if not petition.is_open:
        raise SignatureRefused(_("This petition has closed, so it cannot take new signatures."))


def _online_signature(petition: Petition, email: str) -> PetitionSignature | None:
    return PetitionSignature.objects.filter(
        petition=petition, email=email, method=SignatureMethod.ONLINE
    ).first()


@transaction.atomic
def petition_sign(
    *,
    petition: Petition,
    name: str,
    email: str,
    postcode: str,
    address: str = "",
    ip_address=None,
    tell_outcome: bool = False,
) -> PetitionSignature:
    """Take an online signature; it counts once the signer follows the emailed link.

    An email address signs a petition once, and signing again with it changes nothing: the
    signature already given keeps its name, postcode, address and link, and the owner of the
    address is emailed that someone tried to sign with it (with the link to confirm, if it is
    still waiting). Whoever signs sees the same "check your email" either way, so the form tells
    nobody whether an address has signed. Returns the address's signature, new or as it was.
    """
    _require_open(petition)
    email = email.strip().lower()
    signature = PetitionSignature(
        petition=petition,
        method=SignatureMethod.ONLINE,
        name=name.strip(),
        email=email,
        postcode=postcode.strip().upper(),
        address=address.strip(),
        person_key=person_key(name=name, postcode=postcode),
        ip_address=ip_address,
        tell_outcome=tell_outcome,
    )
    try:
        # Most signers are new: insert, and look for the address's signature only if one exists.
        with transaction.atomic():
            signature.save()
    except IntegrityError:
        existing = _online_signature(petition, email)
        if existing is None:
            raise
    else:
        queue_task("scrutiny.tasks.send_signature_confirmation", signature.pk, signature.token)
        return signature
    # One email an hour at most, however often the address is tried.
    hour = int(timezone.now().timestamp() // 3600)
    queue_task("scrutiny.tasks.send_signature_tried_again", existing.pk, hour)
    return existing


@transaction.atomic
def signature_confirm(*, token: str) -> PetitionSignature | None:
    """Count a signature whose signer followed the link; safe to follow twice.

    Many residents may do this at the same moment: the signature's row is locked and marked
    confirmed (its history row by django-simple-history), then the petition's row, and the
    person is counted under that lock.
    """
    confirmed = _confirm(token, timezone.now())
    if confirmed is None:  # no such link, or nothing to do: already confirmed, or taken back
        signature = PetitionSignature.objects.filter(token=token).first()
        if signature is None or signature.withdrawn_at or signature.invalidated_at:
            return None
        return signature
    signature, petition = confirmed
    if not petition.is_open:  # undoes the confirmation with the rest of the transaction
        raise SignatureRefused(_("This petition closed before the signature was confirmed."))
    _count_person(petition, signature, +1)
    _after_count_change(petition)
    return signature


@transaction.atomic
def signature_withdraw(*, token: str) -> PetitionSignature | None:
    """Take back a signature from the link in its confirmation email."""
    signature = (
        PetitionSignature.objects.select_for_update()
        .select_related("petition")
        .filter(token=token)
        .first()
    )
    if signature is None:
        return None
    if signature.withdrawn_at is None:
        counted = signature.confirmed_at is not None and signature.invalidated_at is None
        signature.withdrawn_at = timezone.now()
        signature.save(update_fields=["withdrawn_at"])
        if counted:
            _count_person(_lock_petition(signature.petition_id), signature, -1)
        log(instance=signature.petition, action="scrutiny.petition.withdraw", data={})
    return signature


@transaction.atomic
def signature_add_paper(
    *,
    petition: Petition,
    name: str,
    postcode: str,
    user,
    address: str = "",
    email: str = "",
    tell_outcome: bool = False,
) -> PetitionSignature:
    """Enter a signature collected on paper; it counts at once. A signer who asked to be told
    the outcome is emailed, or written to at their address when they gave no email."""
    if not permissions.may_add_paper_signatures(user):
        raise PermissionDenied(_("Only scrutiny officers may enter paper signatures."))
    if not name.strip() or not postcode.strip():
        raise SignatureRefused(_("A paper signature needs a name and a postcode."))
    if tell_outcome and not email.strip() and not address.strip():
        raise SignatureRefused(
            _("To tell the signer the outcome, give their email or their address for a letter.")
        )
    if petition.status == PetitionStatus.CLOSED:
        raise SignatureRefused(_("The petition has closed, so it cannot take new signatures."))
    now = timezone.now()
    signature = PetitionSignature(
        petition=petition,
        method=SignatureMethod.PAPER,
        name=name.strip(),
        email=email.strip().lower(),
        postcode=postcode.strip().upper(),
        address=address.strip(),
        person_key=person_key(name=name, postcode=postcode),
        confirmed_at=now,
        created_at=now,
        entered_by=user,
        tell_outcome=tell_outcome,
    )
    signature._history_user = user
    signature.save()
    locked = _lock_petition(petition.pk)
    _count_person(locked, signature, +1)
    _after_count_change(locked)
    return signature


@dataclass
class ImportReport:
    """What an import of paper signatures did, or the rows that stopped it."""

    added: int = 0
    errors: list[str] = field(default_factory=list)


def signatures_import_csv(*, petition: Petition, data: bytes, user) -> ImportReport:
    """Add paper signatures from a CSV sheet (name, postcode, address, email); all or nothing."""
    if not permissions.may_add_paper_signatures(user):
        raise PermissionDenied(_("Only scrutiny officers may enter paper signatures."))
    report = ImportReport()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append(_("The file is not a UTF-8 CSV file."))
        return report
    reader = csv.DictReader(io.StringIO(text))
    columns = {(name or "").strip().lower() for name in (reader.fieldnames or [])}
    if not {"name", "postcode"} <= columns:
        # Translators: name, postcode, address and email are the columns' names in the file.
        refusal = _("The first row must name the columns: name, postcode (address, email).")
        report.errors.append(refusal)
        return report
    rows = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not row.get("name"):
            report.errors.append(_("Row %(row)s: the name is missing.") % {"row": number})
        if not row.get("postcode"):
            report.errors.append(_("Row %(row)s: the postcode is missing.") % {"row": number})
        if row.get("email"):
            try:
                validate_email(row["email"])
            except ValidationError:
                report.errors.append(
                    _("Row %(row)s: '%(email)s' is not an email address.")
                    % {"row": number, "email": row["email"]}
                )
        rows.append(row)
    if not rows:
        report.errors.append(_("The file has no signatures in it."))
    if report.errors:
        return report
    with transaction.atomic():
        for row in rows:
            signature_add_paper(
                petition=petition,
                name=row["name"],
                postcode=row["postcode"],
                address=row.get("address", ""),
                email=row.get("email", ""),
                user=user,
            )
            report.added += 1
    return report


@transaction.atomic
def signatures_invalidate(
    *,
    petition: Petition,
    user,
    reason: str,
    email_domain: str = "",
    address: str = "",
    ip_address: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """Invalidate signatures in bulk by email domain, address or time window, with a reason."""
    if not permissions.may_invalidate_signatures(user):
        raise PermissionDenied(_("Only scrutiny officers may invalidate signatures."))
    if not reason.strip():
        raise TransitionNotAllowed(_("Give a reason for invalidating the signatures."))
    if not (email_domain.strip() or address.strip() or ip_address.strip() or since or until):
        raise TransitionNotAllowed(
            _("Choose an email domain, an address, a network address or a time window.")
        )
    signatures = petition.signatures.filter(invalidated_at__isnull=True)
    if email_domain.strip():
        signatures = signatures.filter(email__iendswith="@" + email_domain.strip().lstrip("@"))
    if address.strip():
        signatures = signatures.filter(address__icontains=address.strip())
    if ip_address.strip():
        signatures = signatures.filter(ip_address=ip_address.strip())
    if since:
        signatures = signatures.filter(created_at__gte=since)
    if until:
        signatures = signatures.filter(created_at__lte=until)
    now = timezone.now()
    count = 0
    for signature in signatures.select_for_update():
        signature.invalidated_at = now
        signature.invalidation_reason = reason.strip()[:255]
        signature._history_user = user
        signature.save(update_fields=["invalidated_at", "invalidation_reason"])
        count += 1
    if count:
        petition_recount(petition)
    log(
        instance=petition,
        action="scrutiny.petition.invalidate",
        user=user,
        data={"count": count, "reason": reason.strip()},
    )
    return count


@transaction.atomic
def petition_close(*, petition: Petition, user=None) -> Petition:
    """Close a petition: by an officer, or by the system (no user) on its closing date."""
    move = "close" if user is not None else "expire"
    return machine.apply(petition, move, user=user, changes={"closed_at": timezone.now()})


def _claim(petition: Petition, field_name: str) -> bool:
    """Mark a milestone reached; True for exactly one caller, however many race for it."""
    return bool(
        Petition.objects.filter(pk=petition.pk, **{f"{field_name}__isnull": True}).update(
            **{field_name: timezone.now()}
        )
    )


def _after_count_change(petition: Petition) -> None:
    """Tell people about milestones, and send the call to the panel when the target is met.

    `petition` is a copy read under its row lock, so its running count is current.
    """
    claimed = [name for name, _, _ in MILESTONES] + ["target_reached_at"]
    if all(getattr(petition, name) is not None for name in claimed):
        return  # every milestone has been told once already; no need to count
    count = petition.people_counted
    # A milestone this copy of the petition already shows as reached is not claimed again (a
    # stale copy only costs an update that changes nothing).
    for field_name, numerator, denominator in MILESTONES:
        reached = count * denominator >= petition.target * numerator
        if reached and getattr(petition, field_name) is None and _claim(petition, field_name):
            queue_task(
                "scrutiny.tasks.send_petition_milestone", petition.pk, f"{numerator}/{denominator}"
            )
    if (
        count < petition.target
        or petition.target_reached_at is not None
        or not _claim(petition, "target_reached_at")
    ):
        return
    log(instance=petition, action="scrutiny.petition.target_reached", data={"count": count})
    queue_task("scrutiny.tasks.send_petition_target_reached", petition.pk)
    call = CallForScrutiny.objects.get(pk=petition.call_id)
    if call.status == CallStatus.GATHERING_EVIDENCE:
        call = machine.apply(call, "target_reached", data={"petition": petition.pk})
        call_enter_panel(call=call, user=None)
