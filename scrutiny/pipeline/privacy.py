"""Residents' personal data: anonymising it after the retention period, exporting and erasing it.

Anonymising keeps what the statistics need (service, tenure, dates, statuses, stages, outcomes,
counts, the panel's own reasons) and overwrites what identifies a person: names, contact
details, addresses, the resident's own words, officers' notes about them, uploaded files. The
same is done to the record's django-simple-history rows, to the Wagtail revisions of a call
and to the labels of Wagtail log entries that carried a name, since those hold copies.
"""

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Revision

from .. import permissions, personal_data
from ..models import (
    Appeal,
    AppealEvidence,
    ApplicationStage,
    CallEvidence,
    CallForScrutiny,
    CallNote,
    CallStatus,
    ExpenseClaim,
    PanelApplication,
    PanelDecision,
    PanelMember,
    Petition,
    PetitionSignature,
    PetitionStatus,
    PrivacyAction,
    PrivacyActionKind,
    ScrutinySettings,
    SentEmail,
)
from .petitions import petition_recount

ANONYMISED = personal_data.ANONYMISED
ANONYMISED_EMAIL_DOMAIN = "anonymised.invalid"
# The reasons kept in the records' history rows: stored, so not translated.
RETENTION_REASON = "Anonymised: retention period ended"
ERASURE_REASON = "Erased on request"

# What replaces each personal field (scrutiny.personal_data); every other field is kept for
# the statistics.
CALL_FIELDS = personal_data.of("scrutiny.CallForScrutiny").anonymised
NOTE_FIELDS = personal_data.of("scrutiny.CallNote").anonymised
UPLOAD_FIELDS = personal_data.of("scrutiny.CallEvidence").anonymised
APPEAL_FIELDS = personal_data.of("scrutiny.Appeal").anonymised
APPLICATION_FIELDS = personal_data.of("scrutiny.PanelApplication").anonymised
# The email, person key and network address of a signature are set per row (see below).
SIGNATURE_FIELDS = personal_data.of("scrutiny.PetitionSignature").anonymised

# Calls whose process has ended: every call ends closed (withdrawn, a duplicate, out of scope,
# not accepted once the time to appeal is over, improved while monitored, a serious failure put
# right, or answered by a review), and nothing closes while an appeal waits.
FINISHED_CALL_STATUSES = {CallStatus.CLOSED}

COUNT_KEYS = [
    "calls",
    "call_notes",
    "appeals",
    "files_deleted",
    "applications",
    "petitions",
    "signatures",
    "history_rows",
    "revisions",
    "log_entries",
    "emails_sent",
]


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment a number of calendar months earlier (31 March less 1 month: 28/29 Feb)."""
    years, month_index = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + years, month_index + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def retention_cutoff(*, now: datetime | None = None) -> datetime:
    """Records finished before this moment have passed the configured retention period."""
    months = ScrutinySettings.load().data_retention_months
    return months_before(now or timezone.now(), months)


# --- When a record finished -------------------------------------------------------------


def application_declined_at(application: PanelApplication) -> datetime | None:
    """When an application was declined: the first history row of its final declined stage."""
    if application.stage != ApplicationStage.DECLINED:
        return None
    declined_at = None
    for stage, moment in application.history.order_by("-history_id").values_list(
        "stage", "history_date"
    ):
        if stage != ApplicationStage.DECLINED:
            break
        declined_at = moment
    return declined_at or application.submitted_at


def calls_due(cutoff: datetime) -> list[CallForScrutiny]:
    """Calls finished before the cutoff and not yet anonymised."""
    return list(
        CallForScrutiny.objects.filter(
            anonymised_at__isnull=True,
            status__in=FINISHED_CALL_STATUSES,
            status_changed_at__lt=cutoff,
        ).order_by("pk")
    )


def applications_due(cutoff: datetime) -> list[PanelApplication]:
    """Applications declined before the cutoff and not yet anonymised."""
    candidates = PanelApplication.objects.filter(
        anonymised_at__isnull=True, stage=ApplicationStage.DECLINED
    )
    return [
        application
        for application in candidates
        if (declined := application_declined_at(application)) and declined < cutoff
    ]


def petitions_due(cutoff: datetime) -> list[Petition]:
    """Petitions closed before the cutoff whose signers are not yet anonymised."""
    return list(
        Petition.objects.filter(
            status=PetitionStatus.CLOSED,
            closed_at__lt=cutoff,
            signatures_anonymised_at__isnull=True,
        )
    )


# --- Anonymising --------------------------------------------------------------------------


@dataclass
class _Run:
    """What one retention run or erasure changed, and in whose name."""

    user: object
    reason: str
    now: datetime = field(default_factory=timezone.now)
    counts: Counter = field(default_factory=Counter)

    def save(self, instance, fields: dict) -> None:
        for name, value in fields.items():
            setattr(instance, name, value)
        instance._history_user = self.user
        instance._change_reason = self.reason
        instance.save()

    def scrub_history(self, model, fields: dict, **lookup) -> None:
        self.counts["history_rows"] += model.history.filter(**lookup).update(**fields)

    def report(self) -> dict[str, int]:
        return {key: self.counts.get(key, 0) for key in COUNT_KEYS}


def _delete_upload(run: _Run, upload) -> None:
    if upload.file:
        storage, name = upload.file.storage, upload.file.name
        # Only once the anonymisation is saved: a rolled-back run must not lose the files.
        transaction.on_commit(lambda: storage.delete(name))
        run.counts["files_deleted"] += 1
    upload.file = ""
    run.save(upload, {"original_name": UPLOAD_FIELDS["original_name"]})


def _scrub_sent_emails(run: _Run, *, addresses: set[str], key_prefixes: list[str]) -> None:
    """Take these addresses, and the resident's name, postal address and letters' words, out
    of the record of messages sent about these records (the outbox keeps when and what)."""
    addresses = {address.lower() for address in addresses if address}
    if not key_prefixes:
        return
    query = models.Q()
    for prefix in key_prefixes:
        query |= models.Q(key__startswith=prefix)
    for row in SentEmail.objects.filter(query):
        changed = []
        recipients = [address.strip() for address in row.to.split(",")] if row.to else []
        kept = [ANONYMISED if r.lower() in addresses else r for r in recipients]
        if kept != recipients:
            row.to = ", ".join(kept)
            changed.append("to")
        if row.to_resident:
            scrubbed = {
                "recipient_name": ANONYMISED if row.recipient_name else "",
                "postal_address": "",
                "body": "",
            }
            for name, value in scrubbed.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
                    changed.append(name)
        if changed:
            row.save(update_fields=changed)
            run.counts["emails_sent"] += 1


def _anonymise_call(run: _Run, call: CallForScrutiny) -> None:
    """Anonymise a call with its notes, files, appeals, revisions and history."""
    address = call.email
    decision_ids = list(call.decisions.values_list("pk", flat=True))
    appeals = list(call.appeals.all())
    # The access code goes too, so the tracking page and its links open nothing any more.
    run.save(call, {**CALL_FIELDS, "access_code": "", "anonymised_at": run.now})
    run.counts["calls"] += 1
    run.scrub_history(CallForScrutiny, CALL_FIELDS, id=call.pk)

    for note in call.notes.all():
        run.save(note, NOTE_FIELDS)
        run.counts["call_notes"] += 1
    run.scrub_history(CallNote, NOTE_FIELDS, call_id=call.pk)

    for evidence in call.evidence.all():
        _delete_upload(run, evidence)
    run.scrub_history(CallEvidence, UPLOAD_FIELDS, call_id=call.pk)

    for revision in Revision.objects.for_instance(call):
        revision.content = {**revision.content, **CALL_FIELDS}
        revision.content.pop("access_code", None)
        revision.save(update_fields=["content"])
        run.counts["revisions"] += 1

    for appeal in appeals:
        run.save(appeal, {**APPEAL_FIELDS, "anonymised_at": run.now})
        run.counts["appeals"] += 1
        run.scrub_history(Appeal, APPEAL_FIELDS, id=appeal.pk)
        for evidence in appeal.evidence.all():
            _delete_upload(run, evidence)
        run.scrub_history(AppealEvidence, UPLOAD_FIELDS, appeal_id=appeal.pk)

    _scrub_sent_emails(
        run,
        addresses={address},
        key_prefixes=[
            f"call:{call.pk}:",
            *[f"decision:{pk}:" for pk in decision_ids],
            *[f"appeal:{appeal.pk}:" for appeal in appeals],
            *[
                f"petition:{pk}:"
                for pk in Petition.objects.filter(call=call).values_list("pk", flat=True)
            ],
            *[f"monitoring:{pk}:" for pk in call.monitorings.values_list("pk", flat=True)],
        ],
    )


def _anonymise_application(run: _Run, application: PanelApplication) -> None:
    address = application.email
    run.save(application, {**APPLICATION_FIELDS, "anonymised_at": run.now})
    run.counts["applications"] += 1
    run.scrub_history(PanelApplication, APPLICATION_FIELDS, id=application.pk)
    # Wagtail's log labels entries with the record's name at the time.
    run.counts["log_entries"] += ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PanelApplication),
        object_id=str(application.pk),
    ).update(label=str(application))
    _scrub_sent_emails(run, addresses={address}, key_prefixes=[f"application:{application.pk}:"])


def _anonymise_signatures(run: _Run, signatures: list[PetitionSignature]) -> None:
    """Anonymise signatures, keeping one person key per person so the counts do not change."""
    new_keys: dict[tuple[int, str], str] = {}
    for signature in signatures:
        address = signature.email
        person = new_keys.setdefault(
            (signature.petition_id, signature.person_key), f"anonymised-{signature.pk}"
        )
        fields = {
            **SIGNATURE_FIELDS,
            # The one-online-signature-per-email rule needs a distinct value per row.
            "email": f"anonymised-{signature.pk}@{ANONYMISED_EMAIL_DOMAIN}",
            "person_key": person,
            "invalidation_reason": ANONYMISED if signature.invalidation_reason else "",
        }
        run.save(signature, {**fields, "anonymised_at": run.now})
        run.counts["signatures"] += 1
        run.scrub_history(PetitionSignature, fields, id=signature.pk)
        _scrub_sent_emails(run, addresses={address}, key_prefixes=[f"signature:{signature.pk}:"])
    # A person whose signatures were not all anonymised now has two keys: count them again.
    for petition in Petition.objects.filter(pk__in={s.petition_id for s in signatures}):
        petition_recount(petition)


def _record(run: _Run, kind: str) -> PrivacyAction | None:
    """Keep a record of what was done, with a Wagtail log entry, if anything was done."""
    report = run.report()
    if not any(report.values()):
        return None
    action = PrivacyAction.objects.create(
        kind=kind, happened_at=run.now, user=run.user, counts=report
    )
    log(instance=action, action=f"scrutiny.privacy.{kind}", user=run.user, data=report)
    return action


@transaction.atomic
def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Anonymise everything past the retention period; returns the counts (all 0 on a re-run)."""
    run = _Run(user=None, reason=RETENTION_REASON, now=now or timezone.now())
    cutoff = retention_cutoff(now=run.now)
    for call in calls_due(cutoff):
        _anonymise_call(run, CallForScrutiny.objects.select_for_update().get(pk=call.pk))
    for application in applications_due(cutoff):
        _anonymise_application(run, application)
    for petition in petitions_due(cutoff):
        _anonymise_signatures(
            run, list(petition.signatures.filter(anonymised_at__isnull=True).order_by("pk"))
        )
        petition._history_user = None
        petition._change_reason = RETENTION_REASON
        petition.signatures_anonymised_at = run.now
        petition.save(update_fields=["signatures_anonymised_at"])
        run.counts["petitions"] += 1
        run.counts["log_entries"] += _scrub_invalidation_log(petition)
    _record(run, PrivacyActionKind.RETENTION)
    return run.report()


def _scrub_invalidation_log(petition: Petition) -> int:
    """Officers' reasons for invalidating signatures can name who signed."""
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Petition),
        object_id=str(petition.pk),
        action="scrutiny.petition.invalidate",
    )
    count = 0
    for entry in entries:
        if entry.data.get("reason"):
            entry.data = {**entry.data, "reason": ANONYMISED}
            entry.save(update_fields=["data"])
            count += 1
    return count


# --- One person: what is held, the export, the erasure ---------------------------------


def _require_export_permission(user) -> None:
    if not permissions.may_handle_personal_data(user):
        raise PermissionDenied(_("Only scrutiny officers may export or erase a person's data."))


def _addressed_to(email: str) -> list[SentEmail]:
    rows = SentEmail.objects.filter(to__icontains=email).order_by("sent_at", "pk")
    return [
        row
        for row in rows
        if email.lower() in {address.strip().lower() for address in row.to.split(",")}
    ]


@dataclass
class SubjectRecords:
    """Everything held about one email address, found case-insensitively."""

    email: str
    calls: list[CallForScrutiny]
    appeals: list[Appeal]
    signatures: list[PetitionSignature]
    applications: list[PanelApplication]
    member: PanelMember | None
    expense_claims: list[ExpenseClaim]
    emails_sent: list[SentEmail]

    @property
    def erasable(self) -> bool:
        return bool(self.calls or self.signatures or self.applications or self.emails_sent)

    @property
    def empty(self) -> bool:
        return not (self.erasable or self.member)


def subject_records(*, email: str, user) -> SubjectRecords:
    """Find what is held about an email address (for the officer's screen and the export)."""
    _require_export_permission(user)
    email = email.strip()
    # A blank address would match every call given without one.
    validate_email(email)
    calls = list(
        CallForScrutiny.objects.filter(email__iexact=email)
        .select_related("business_area")
        .order_by("submitted_at", "pk")
    )
    member = PanelMember.objects.filter(user__email__iexact=email).select_related("user").first()
    return SubjectRecords(
        email=email,
        calls=calls,
        appeals=list(Appeal.objects.filter(call__in=calls).order_by("received_at", "pk")),
        signatures=_signatures_of(email),
        applications=list(
            PanelApplication.objects.filter(email__iexact=email).order_by("submitted_at", "pk")
        ),
        member=member,
        expense_claims=list(member.expense_claims.order_by("spent_on", "pk")) if member else [],
        emails_sent=_addressed_to(email),
    )


def _signatures_of(email: str) -> list[PetitionSignature]:
    """Signatures given with this address, and the same person's others on those petitions.

    A petition counts people by name and postcode, so a paper signature (usually without an
    email) with the same name and postcode is the same person's. Erasing only the online one
    would leave the person counted twice; finding both keeps them counted once.
    """
    same_person = models.Q(email__iexact=email)
    for petition_id, key in PetitionSignature.objects.filter(email__iexact=email).values_list(
        "petition_id", "person_key"
    ):
        same_person |= models.Q(petition_id=petition_id, person_key=key)
    return list(
        PetitionSignature.objects.filter(same_person)
        .select_related("petition")
        .order_by("created_at", "pk")
    )


def _plain(value):
    """A value as JSON can hold it."""
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return str(value)
    return value


def _row(instance, names: list[str]) -> dict:
    row = {}
    for name in names:
        value = getattr(instance, name)
        display = getattr(instance, f"get_{name}_display", None)
        row[name] = _plain(display() if display and value else value)
    return row


def _history(instance, names: list[str]) -> list[dict]:
    kinds = {
        "+": pgettext("a change in a record's history", "created"),
        "~": pgettext("a change in a record's history", "changed"),
        "-": pgettext("a change in a record's history", "deleted"),
    }
    return [
        {
            "when": _plain(row.history_date),
            "change": kinds.get(row.history_type, row.history_type),
            "reason": row.history_change_reason or "",
            **_row(row, names),
        }
        for row in instance.history.order_by("history_date", "history_id")
    ]


# What a subject access export gives of each record (scrutiny.personal_data).
CALL_EXPORT = personal_data.of("scrutiny.CallForScrutiny").exported
UPLOAD_EXPORT = personal_data.of("scrutiny.CallEvidence").exported
NOTE_EXPORT = personal_data.of("scrutiny.CallNote").exported
DECISION_EXPORT = personal_data.of("scrutiny.PanelDecision").exported
APPEAL_EXPORT = personal_data.of("scrutiny.Appeal").exported
SIGNATURE_EXPORT = personal_data.of("scrutiny.PetitionSignature").exported
APPLICATION_EXPORT = personal_data.of("scrutiny.PanelApplication").exported
MEMBER_EXPORT = personal_data.of("scrutiny.PanelMember").exported
CLAIM_EXPORT = personal_data.of("scrutiny.ExpenseClaim").exported
ACCOUNT_EXPORT = personal_data.of("account").exported


def _with_history(instance, names: list[str], **extra) -> dict:
    return {**_row(instance, names), **extra, "history": _history(instance, names)}


@transaction.atomic
def subject_export(*, email: str, user) -> dict:
    """Everything held about an email address, with its history, as one JSON-ready document.

    Only this person's records: a petition they signed appears as its title, never as the
    call behind it, and an appeal without the names of those who heard it. The export itself
    is recorded, without the address.
    """
    records = subject_records(email=email, user=user)
    config = ScrutinySettings.load()
    _record_export(records, user)
    appeals_by_call: dict[int, list[Appeal]] = {}
    for appeal in records.appeals:
        appeals_by_call.setdefault(appeal.call_id, []).append(appeal)

    def call_document(call: CallForScrutiny) -> dict:
        return _with_history(
            call,
            CALL_EXPORT,
            evidence=[_with_history(e, UPLOAD_EXPORT) for e in call.evidence.all()],
            notes=[_with_history(n, NOTE_EXPORT) for n in call.notes.order_by("created_at")],
            decisions=[
                _with_history(d, DECISION_EXPORT)
                for d in PanelDecision.objects.filter(call=call).order_by("decided_at", "pk")
            ],
            appeals=[
                _with_history(
                    appeal,
                    APPEAL_EXPORT,
                    evidence=[_with_history(e, UPLOAD_EXPORT) for e in appeal.evidence.all()],
                )
                for appeal in appeals_by_call.get(call.pk, [])
            ],
        )

    member = records.member
    return {
        "about": {
            "email": records.email,
            "organisation": config.organisation_name,
            "exported_at": _plain(timezone.now()),
            "matching": _("Records whose email address is this one, in any mix of capitals."),
            "files": _("Uploaded files are listed by name; officers can send copies on request."),
        },
        "calls": [call_document(call) for call in records.calls],
        "petition_signatures": [
            _with_history(
                signature,
                SIGNATURE_EXPORT,
                petition={"title": signature.petition.title, "slug": signature.petition.slug},
            )
            for signature in records.signatures
        ],
        "panel_applications": [_with_history(a, APPLICATION_EXPORT) for a in records.applications],
        "panel_member": (
            _with_history(
                member,
                MEMBER_EXPORT,
                account=_row(member.user, ACCOUNT_EXPORT),
                expense_claims=[_with_history(c, CLAIM_EXPORT) for c in records.expense_claims],
            )
            if member
            else None
        ),
        "emails_sent": [_row(row, ["subject", "sent_at"]) for row in records.emails_sent],
    }


def _record_export(records: SubjectRecords, user) -> None:
    """An export discloses personal data: keep who and when, and how much, not whose."""
    counts = {
        "calls": len(records.calls),
        "appeals": len(records.appeals),
        "signatures": len(records.signatures),
        "applications": len(records.applications),
        "members": 1 if records.member else 0,
        "expense_claims": len(records.expense_claims),
        "emails_sent": len(records.emails_sent),
    }
    action = PrivacyAction.objects.create(kind=PrivacyActionKind.EXPORT, user=user, counts=counts)
    log(instance=action, action="scrutiny.privacy.export", user=user, data=counts)


@transaction.atomic
def subject_erase(*, email: str, user) -> PrivacyAction | None:
    """Anonymise now, on request, everything held about an email address; recorded without it.

    A panel member's account and expense claims are kept: payments must be kept for the tax
    years the law requires. Ending the membership is done on the member's record.
    """
    records = subject_records(email=email, user=user)
    run = _Run(user=user, reason=ERASURE_REASON)
    for call in records.calls:
        _anonymise_call(run, CallForScrutiny.objects.select_for_update().get(pk=call.pk))
    _anonymise_signatures(run, records.signatures)
    for application in records.applications:
        _anonymise_application(run, application)
    # Anything else addressed to this person, e.g. emails about records already anonymised.
    _scrub_everywhere(run, records.email)
    return _record(run, PrivacyActionKind.ERASURE)


def _scrub_everywhere(run: _Run, email: str) -> None:
    for row in _addressed_to(email):
        recipients = [address.strip() for address in row.to.split(",")]
        row.to = ", ".join(ANONYMISED if r.lower() == email.lower() else r for r in recipients)
        row.save(update_fields=["to"])
        run.counts["emails_sent"] += 1
