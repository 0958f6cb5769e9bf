"""The record of every change: who a change is recorded against, and reading it back.

`HISTORY_KINDS` is the one list of models whose simple-history rows managers read in the
History area. A model of this app with `HistoricalRecords` that is not listed joins on its own
(named by its verbose name); list it to name its records or hide residents' details in it.
"""

import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import Truncator, capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_reverse_field_name
from wagtail.admin.utils import get_user_display_name
from wagtail.models import Revision

from . import permissions, personal_data

_MISSING = object()

EMPTY = "—"
HIDDEN = gettext_lazy("hidden")
SYSTEM = gettext_lazy("The system")
# What a version did, by simple-history's type of row ("+" created, "~" changed, "-" deleted).
ACTIONS = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}
# The change type of a page revision after the first (the first is "+", created).
REVISION = "revision"
ON_PUBLIC_FORM = gettext_lazy("The resident, on the public form")
PAGE_KIND = "page"

# Page models whose Wagtail revisions are listed beside the simple-history rows.
HISTORY_PAGE_MODELS = [
    "scrutiny.ScrutinyReviewPage",
    "scrutiny.ProgrammeYearPage",
    "scrutiny.ProgrammeIndexPage",
]


@contextmanager
def acting_as(user):
    """Record every history row written inside the block as made by this user.

    simple-history reads the user from the request the middleware stores; outside a request,
    or for objects Wagtail loads and saves itself (publishing a revision), this supplies one.
    """
    if user is None:
        yield
        return
    context = HistoricalRecords.context
    previous = getattr(context, "request", _MISSING)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is _MISSING:
            del context.request
        else:
            context.request = previous


def _related(row, name: str):
    """A related object of a history row, or None where it has gone."""
    try:
        return getattr(row, name)
    except models.ObjectDoesNotExist:
        return None


def _reference_of(row, name: str) -> str:
    related = _related(row, name)
    return related.reference if related is not None else f"#{getattr(row, name + '_id')}"


def _score_title(row) -> str:
    if row.call_id:
        subject = _reference_of(row, "call")
    elif (area := _related(row, "business_area")) is not None:
        subject = str(area)
    else:
        return _("Score of a service, %(year)s") % {"year": row.financial_year}
    return _("Score of %(subject)s, %(year)s") % {"subject": subject, "year": row.financial_year}


def _signature_title(row) -> str:
    petition = _related(row, "petition")
    if petition is None:
        return _("Signature #%(id)s on a petition") % {"id": row.id}
    return _("Signature #%(id)s on %(petition)s") % {"id": row.id, "petition": petition}


def _measure_title(row) -> str:
    said = {
        "area": _related(row, "business_area"),
        "year": row.financial_year,
        "period": row.get_period_display().lower(),
    }
    if said["area"] is None:
        return _("A service, %(year)s %(period)s") % said
    return _("%(area)s, %(year)s %(period)s") % said


def _band_title(row) -> str:
    criterion = _related(row, "criterion")
    if criterion is None:
        return _("Band of a criterion")
    return _("Band of %(criterion)s") % {"criterion": criterion}


def _member_title(row) -> str:
    return get_user_display_name(row.user) if _related(row, "user") else _("A member")


def _claim_title(row) -> str:
    member = _related(row, "member")
    if member is None:
        return _("£%(amount)s claimed by a member") % {"amount": row.amount}
    return _("£%(amount)s claimed by %(member)s") % {"amount": row.amount, "member": member}


def _step_title(row) -> str:
    step = _related(row, "step")
    if step is None:
        return _("%(position)s. a step") % {"position": row.position}
    return _("%(position)s. %(step)s") % {"position": row.position, "step": step}


def _participant_title(row) -> str:
    member = _related(row, "member")
    if member is None:
        return _("A member on a review")
    return _("%(member)s on a review") % {"member": member}


def _skills(value) -> str:
    from .models import SKILLS

    labels = dict(SKILLS)
    return "; ".join(labels.get(code, code) for code in value or [])


def _extra_answers(value) -> str:
    return "; ".join(f"{item.get('label')}: {item.get('answer')}" for item in value or [])


@dataclass(frozen=True)
class HistoryKind:
    """One model in the history: how its records are named and which fields are private."""

    slug: str
    model_label: str
    label: str = ""
    # How one record is named in a listing, from its history row (own fields and `related`).
    title: Callable | None = None
    related: tuple = ()
    # The model's private fields (scrutiny.personal_data) are shown as "hidden" to anyone
    # without every one of `private_permissions`.
    private_permissions: tuple = (permissions.SEE_CONTACT_DETAILS,)
    # Who wrote a first version that has no user: residents using a public form.
    created_without_user: str = SYSTEM
    # The record whose admin page shows this one (a note is shown on its call).
    parent: str = ""
    formatters: dict = field(default_factory=dict)
    # Bookkeeping fields that are never shown as a change.
    ignored_fields: frozenset = frozenset()

    @cached_property
    def model(self):
        return apps.get_model(self.model_label)

    @cached_property
    def private_fields(self) -> frozenset:
        return frozenset(personal_data.of(self.model_label).private)

    @cached_property
    def history_model(self):
        return self.model.history.model

    @property
    def name(self) -> str:
        return self.label or capfirst(self.model._meta.verbose_name)

    def record_title(self, row) -> str:
        if self.title is not None:
            return self.title(row)
        return _("%(kind)s #%(id)s") % {
            "kind": capfirst(self.model._meta.verbose_name),
            "id": row.id,
        }

    def may_see_private(self, user) -> bool:
        return permissions.holds(user, *self.private_permissions)

    @cached_property
    def m2m_fields(self) -> list:
        return list(getattr(self.history_model, "_history_m2m_fields", []))

    @cached_property
    def diff_fields(self) -> list:
        """The tracked fields compared between versions, in the model's order."""
        names = {f.name for f in self.history_model.tracked_fields if f.editable}
        return [
            f
            for f in self.model._meta.concrete_fields
            if f.name in names and f.name not in self.ignored_fields
        ]


# The models of the History area, in the order their kinds are offered in its filter.
HISTORY_KINDS: list[HistoryKind] = [
    HistoryKind(
        "call",
        "scrutiny.CallForScrutiny",
        gettext_lazy("Call for scrutiny"),
        title=lambda row: row.reference,
        created_without_user=ON_PUBLIC_FORM,
        formatters={"extra_answers": _extra_answers},
    ),
    HistoryKind(
        "call-note",
        "scrutiny.CallNote",
        gettext_lazy("Note on a call"),
        title=lambda row: _("Note on %(call)s") % {"call": _reference_of(row, "call")},
        related=("call",),
        private_permissions=(permissions.READ_CALL_NOTES,),
        parent="call",
    ),
    HistoryKind(
        "call-evidence",
        "scrutiny.CallEvidence",
        gettext_lazy("Evidence on a call"),
        title=lambda row: _("Evidence on %(call)s") % {"call": _reference_of(row, "call")},
        related=("call",),
        created_without_user=ON_PUBLIC_FORM,
        parent="call",
    ),
    HistoryKind(
        "petition",
        "scrutiny.Petition",
        gettext_lazy("Petition"),
        title=lambda row: row.title,
    ),
    HistoryKind(
        "signature",
        "scrutiny.PetitionSignature",
        gettext_lazy("Petition signature"),
        title=_signature_title,
        related=("petition",),
        private_permissions=(permissions.SEE_CONTACT_DETAILS, permissions.SEE_SIGNERS),
        created_without_user=gettext_lazy("The signer, on the public form"),
        parent="petition",
    ),
    HistoryKind(
        "meeting",
        "scrutiny.PanelMeeting",
        gettext_lazy("Panel meeting"),
        title=lambda row: str(row.instance),
    ),
    HistoryKind(
        "decision",
        "scrutiny.PanelDecision",
        gettext_lazy("Panel decision"),
        title=lambda row: (
            _("%(outcome)s on %(call)s")
            % {"outcome": row.get_outcome_display(), "call": _reference_of(row, "call")}
        ),
        related=("call",),
        parent="call",
    ),
    HistoryKind(
        "not-accepted-reason",
        "scrutiny.NotAcceptedReason",
        gettext_lazy("Reason for not accepting"),
        title=lambda row: row.label,
    ),
    HistoryKind(
        "appeal",
        "scrutiny.Appeal",
        gettext_lazy("Appeal"),
        title=lambda row: row.reference,
        created_without_user=ON_PUBLIC_FORM,
    ),
    HistoryKind(
        "appeal-evidence",
        "scrutiny.AppealEvidence",
        gettext_lazy("Evidence on an appeal"),
        title=lambda row: _("Evidence on %(appeal)s") % {"appeal": _reference_of(row, "appeal")},
        related=("appeal",),
        created_without_user=ON_PUBLIC_FORM,
        parent="appeal",
    ),
    HistoryKind(
        "involvement-group",
        "scrutiny.InvolvementGroup",
        gettext_lazy("Involvement group"),
        title=lambda row: row.name,
    ),
    HistoryKind(
        "business-area",
        "scrutiny.BusinessArea",
        gettext_lazy("Business area"),
        title=lambda row: row.name,
    ),
    HistoryKind(
        "measure",
        "scrutiny.Measure",
        gettext_lazy("Measure"),
        title=_measure_title,
        related=("business_area",),
        ignored_fields=frozenset({"updated_at"}),
    ),
    HistoryKind(
        "criterion",
        "scrutiny.ScoringCriterion",
        gettext_lazy("Scoring criterion"),
        title=lambda row: row.name,
    ),
    HistoryKind(
        "band",
        "scrutiny.ScoringBand",
        gettext_lazy("Scoring band"),
        title=_band_title,
        related=("criterion",),
        parent="criterion",
    ),
    HistoryKind(
        "score",
        "scrutiny.Score",
        gettext_lazy("Score"),
        title=_score_title,
        related=("call", "business_area"),
    ),
    HistoryKind(
        "application",
        "scrutiny.PanelApplication",
        gettext_lazy("Application to join the panel"),
        title=lambda row: _("Application #%(id)s") % {"id": row.id},
        private_permissions=(permissions.SEE_CONTACT_DETAILS, permissions.VIEW_APPLICATIONS),
        created_without_user=gettext_lazy("The applicant, on the public form"),
        formatters={"skills": _skills},
    ),
    HistoryKind(
        "member",
        "scrutiny.PanelMember",
        gettext_lazy("Panel member"),
        title=_member_title,
        related=("user",),
    ),
    HistoryKind(
        "expense-claim",
        "scrutiny.ExpenseClaim",
        gettext_lazy("Expense claim"),
        title=_claim_title,
        related=("member__user",),
    ),
    # Reviews (issue 6): listed here so they are named well; skipped until the models exist.
    HistoryKind(
        "review-step",
        "scrutiny.ReviewStep",
        gettext_lazy("Review step"),
        title=lambda row: row.name,
    ),
    HistoryKind(
        "review-step-progress",
        "scrutiny.ReviewStepProgress",
        gettext_lazy("Step of a review"),
        title=_step_title,
        related=("step",),
    ),
    HistoryKind(
        "review-participant",
        "scrutiny.ReviewParticipant",
        gettext_lazy("Review participant"),
        title=_participant_title,
        related=("member__user",),
    ),
    HistoryKind(
        "recommendation",
        "scrutiny.Recommendation",
        gettext_lazy("Recommendation"),
        title=lambda row: Truncator(row.recommendation).chars(60),
    ),
    HistoryKind(
        "recommendation-response",
        "scrutiny.RecommendationResponse",
        gettext_lazy("Response to a recommendation"),
        title=lambda row: (
            _("%(decision)s (response #%(id)s)")
            % {"decision": row.get_decision_display(), "id": row.id}
        ),
    ),
    HistoryKind(
        "action-item",
        "scrutiny.ActionItem",
        gettext_lazy("Action-plan item"),
        title=lambda row: Truncator(row.action).chars(60),
    ),
    HistoryKind(
        "settings",
        "scrutiny.ScrutinySettings",
        gettext_lazy("Scrutiny settings"),
        title=lambda row: _("Scrutiny settings"),
    ),
]


def history_kinds() -> dict[str, HistoryKind]:
    """Every kind in the history by its slug: those listed above, then any other model of
    this app that keeps simple-history, named by its verbose name."""
    kinds = {kind.slug: kind for kind in HISTORY_KINDS if _installed(kind.model_label)}
    listed = {kind.model_label.lower() for kind in kinds.values()}
    for model in apps.get_app_config("scrutiny").get_models():
        if not getattr(model._meta, "simple_history_manager_attribute", None):
            continue
        if model._meta.label_lower in listed:
            continue
        slug = model._meta.model_name
        kinds[slug] = HistoryKind(slug, model._meta.label)
    return kinds


def _installed(label: str) -> bool:
    try:
        model = apps.get_model(label)
    except LookupError:
        return False
    return bool(getattr(model._meta, "simple_history_manager_attribute", None))


def kind_for_model(model) -> HistoryKind | None:
    """The history kind of a model (or of an instance's class), if it keeps history."""
    label = model._meta.label_lower
    for kind in history_kinds().values():
        if kind.model_label.lower() == label:
            return kind
    return None


def page_content_types() -> list[ContentType]:
    """The content types of the pages whose revisions are in the history."""
    found = []
    for label in HISTORY_PAGE_MODELS:
        try:
            found.append(ContentType.objects.get_for_model(apps.get_model(label)))
        except LookupError:
            continue
    return found


# Reading the history --------------------------------------------------------------------


@dataclass
class HistoryFilters:
    """What a listing of the history is narrowed to; empty means everything."""

    kinds: list[str] = field(default_factory=list)
    person: int | str | None = None  # a user's id, or "system" for rows with no user
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    record: str | None = None  # an object's id, with exactly one kind


def _narrow(queryset, filters: HistoryFilters, *, date="history_date", user="history_user"):
    if filters.person == "system":
        queryset = queryset.filter(**{f"{user}__isnull": True})
    elif filters.person:
        queryset = queryset.filter(**{f"{user}_id": filters.person})
    if filters.date_from:
        queryset = queryset.filter(**{f"{date}__date__gte": filters.date_from})
    if filters.date_to:
        queryset = queryset.filter(**{f"{date}__date__lte": filters.date_to})
    return queryset


def history_queryset(filters: HistoryFilters):
    """A UNION of every history table's (id, date, user, kind), newest first.

    Only these four columns are read, so a page of it costs one query however many rows
    there are; `history_entries` then loads the rows on the page.
    """
    kinds = history_kinds()
    wanted = [slug for slug in filters.kinds if slug in kinds or slug == PAGE_KIND]
    slugs = wanted or [*kinds, PAGE_KIND]
    parts = []
    for slug in slugs:
        if slug == PAGE_KIND:
            queryset = Revision.objects.filter(content_type__in=page_content_types())
            if filters.record:
                queryset = queryset.filter(object_id=str(filters.record))
            queryset = _narrow(queryset, filters, date="created_at", user="user")
            parts.append(
                queryset.annotate(
                    entry_id=F("pk"),
                    entry_date=F("created_at"),
                    entry_user=F("user_id"),
                    entry_kind=Value(slug, output_field=CharField()),
                )
                .order_by()
                .values("entry_id", "entry_date", "entry_user", "entry_kind")
            )
            continue
        queryset = kinds[slug].history_model.objects.all()
        if filters.record:
            queryset = queryset.filter(id=filters.record)
        queryset = _narrow(queryset, filters)
        parts.append(
            queryset.annotate(
                entry_id=F("history_id"),
                entry_date=F("history_date"),
                entry_user=F("history_user_id"),
                entry_kind=Value(slug, output_field=CharField()),
            )
            .order_by()
            .values("entry_id", "entry_date", "entry_user", "entry_kind")
        )
    first, *rest = parts
    union = first.union(*rest, all=True) if rest else first
    return union.order_by("-entry_date", "-entry_id", "entry_kind")


def history_people() -> list:
    """Everyone who appears in the history, by name."""
    kinds = history_kinds().values()
    parts = [
        kind.history_model.objects.filter(history_user__isnull=False)
        .order_by()
        .values("history_user_id")
        .distinct()
        for kind in kinds
    ]
    first, *rest = parts
    ids = {row["history_user_id"] for row in first.union(*rest)}
    people = list(get_user_model().objects.filter(pk__in=ids))
    return sorted(people, key=lambda user: get_user_display_name(user).lower())


@dataclass
class Change:
    """One field's change between two versions, as text a person reads."""

    field: str
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    """One version of one record: who made it, when, and what it changed."""

    kind: HistoryKind | None
    kind_slug: str
    kind_name: str
    record_id: str
    record_title: str
    when: datetime.datetime
    who: str
    action: str
    changes: list[Change]
    compare_url: str = ""
    revisions_url: str = ""
    user_id: int | None = None
    # What kind of version this is, whatever the language `action` is said in: "+" created,
    # "~" changed, "-" deleted (as simple-history's rows), "revision" for a page's later
    # revisions, "" for an entry of Wagtail's log.
    change_type: str = ""

    @property
    def shows_something(self) -> bool:
        """A save that changed none of the fields shown is bookkeeping (a new revision)."""
        return self.change_type != "~" or bool(self.changes) or bool(self.compare_url)


def _previous_subquery(history_model):
    """The id of the version before each history row of the same record."""
    earlier = history_model.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    return Subquery(earlier.order_by("-history_date", "-history_id").values("history_id")[:1])


def _load_rows(kind: HistoryKind, ids: Iterable[int]) -> dict[int, object]:
    """The history rows with these ids, each with its previous version as `.previous_row`."""
    queryset = (
        kind.history_model.objects.filter(history_id__in=list(ids))
        .select_related("history_user", *kind.related)
        .annotate(previous_history_id=_previous_subquery(kind.history_model))
    )
    rows = {row.history_id: row for row in queryset}
    previous_ids = {row.previous_history_id for row in rows.values() if row.previous_history_id}
    previous = kind.history_model.objects.in_bulk(previous_ids) if previous_ids else {}
    for row in rows.values():
        row.previous_row = previous.get(row.previous_history_id)
    _attach_m2m(kind, [*rows.values(), *previous.values()])
    return rows


def _attach_m2m(kind: HistoryKind, rows: list) -> None:
    """Each row's many-to-many targets as a sorted tuple of ids, read in one query a field."""
    for m2m in kind.m2m_fields:
        through = kind.history_model._meta.get_field(
            f"historical{kind.model._meta.model_name}_{m2m.name}"
        ).related_model
        target = get_m2m_reverse_field_name(m2m)
        found: dict[int, list] = {}
        pairs = through.objects.filter(history_id__in=[row.history_id for row in rows])
        for history_id, target_id in pairs.values_list("history_id", f"{target}_id"):
            found.setdefault(history_id, []).append(target_id)
        for row in rows:
            row.__dict__.setdefault("m2m_values", {})[m2m.name] = tuple(
                sorted(found.get(row.history_id, []))
            )


def _same_instant(old, new) -> bool:
    """Whether two datetimes differ only below a millisecond.

    Wagtail keeps revisions as JSON, which holds datetimes to the millisecond; publishing a
    revision writes the shorter value back, and that is not a change anyone made.
    """
    if not (isinstance(old, datetime.datetime) and isinstance(new, datetime.datetime)):
        return False
    return abs(old - new) < datetime.timedelta(milliseconds=1)


def _raw_changes(kind: HistoryKind, row) -> list[tuple]:
    """(field, old, new) with raw values for each field this version changed."""
    previous = row.previous_row
    if previous is None or row.history_type != "~":
        return []
    changes = []
    for model_field in kind.diff_fields:
        old = getattr(previous, model_field.attname)
        new = getattr(row, model_field.attname)
        if old != new and not _same_instant(old, new):
            changes.append((model_field, old, new))
    for m2m in kind.m2m_fields:
        old = previous.m2m_values.get(m2m.name, ())
        new = row.m2m_values.get(m2m.name, ())
        if old != new:
            changes.append((m2m, old, new))
    return changes


class _Display:
    """Turns raw field values into text, fetching related objects once per model."""

    def __init__(self, wanted: dict[type, set]):
        self.objects = {
            model: model._default_manager.in_bulk(ids) for model, ids in wanted.items() if ids
        }

    @staticmethod
    def related_ids(changes: Iterable[tuple]) -> dict[type, set]:
        wanted: dict[type, set] = {}
        for model_field, old, new in changes:
            if model_field.is_relation:
                ids = wanted.setdefault(model_field.related_model, set())
                for value in (old, new):
                    if isinstance(value, tuple):
                        ids.update(value)
                    elif value is not None:
                        ids.add(value)
        return wanted

    def related(self, model, pk) -> str:
        obj = self.objects.get(model, {}).get(pk)
        if obj is None:
            return _("%(kind)s #%(pk)s (deleted)") % {
                "kind": capfirst(model._meta.verbose_name),
                "pk": pk,
            }
        if isinstance(obj, get_user_model()):
            return get_user_display_name(obj)
        return str(obj)

    def value(self, kind: HistoryKind, model_field, value) -> str:
        if model_field.name in kind.formatters:
            return kind.formatters[model_field.name](value) or EMPTY
        if value is None or value == "" or value == [] or value == ():
            return EMPTY
        if model_field.many_to_many:
            return "; ".join(self.related(model_field.related_model, pk) for pk in value)
        if model_field.is_relation:
            return self.related(model_field.related_model, value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, datetime.datetime):
            return date_format(localtime(value), "j F Y, H:i")
        if isinstance(value, datetime.date):
            return date_format(value, "j F Y")
        if isinstance(value, Decimal):
            return f"{value.normalize():f}"
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return str(value)


def _who(kind: HistoryKind | None, row_user, change_type: str) -> str:
    if row_user is not None:
        return get_user_display_name(row_user)
    if kind is not None and change_type == "+":
        return str(kind.created_without_user)
    return str(SYSTEM)


def _entries_for_rows(
    kind: HistoryKind, rows: list, *, user, display: _Display | None = None
) -> list[HistoryEntry]:
    """History entries for loaded rows of one kind, as this user may see them."""
    show_private = kind.may_see_private(user)
    raw = {row.history_id: _raw_changes(kind, row) for row in rows}
    if display is None:
        display = _Display(_Display.related_ids(c for changes in raw.values() for c in changes))
    entries = []
    for row in rows:
        changes = []
        for model_field, old, new in raw[row.history_id]:
            label = capfirst(model_field.verbose_name)
            if model_field.name in kind.private_fields and not show_private:
                changes.append(Change(model_field.name, label, str(HIDDEN), str(HIDDEN)))
            else:
                changes.append(
                    Change(
                        model_field.name,
                        label,
                        display.value(kind, model_field, old),
                        display.value(kind, model_field, new),
                    )
                )
        entries.append(
            HistoryEntry(
                kind=kind,
                kind_slug=kind.slug,
                kind_name=str(kind.name),
                record_id=str(row.id),
                record_title=kind.record_title(row),
                when=row.history_date,
                who=_who(kind, row.history_user, row.history_type),
                action=str(ACTIONS[row.history_type]),
                changes=changes,
                user_id=row.history_user_id,
                change_type=row.history_type,
            )
        )
    return entries


def _page_revision_entries(ids: Iterable[int]) -> dict[int, HistoryEntry]:
    from django.urls import reverse

    earlier = Revision.objects.filter(
        content_type_id=OuterRef("content_type_id"),
        object_id=OuterRef("object_id"),
        pk__lt=OuterRef("pk"),
    ).order_by("-pk")
    revisions = (
        Revision.objects.filter(pk__in=list(ids))
        .select_related("user", "content_type")
        .annotate(previous_id=Subquery(earlier.values("pk")[:1]))
    )
    entries = {}
    for revision in revisions:
        page_id = int(revision.object_id)
        compare = (
            reverse(
                "scrutiny_history:compare_page_revisions",
                args=(page_id, revision.previous_id, revision.pk),
            )
            if revision.previous_id
            else ""
        )
        entries[revision.pk] = HistoryEntry(
            kind=None,
            kind_slug=PAGE_KIND,
            kind_name=capfirst(revision.content_type.name),
            record_id=revision.object_id,
            record_title=revision.object_str,
            when=revision.created_at,
            who=get_user_display_name(revision.user) if revision.user else str(SYSTEM),
            action=_("Revision saved") if revision.previous_id else str(ACTIONS["+"]),
            changes=[],
            compare_url=compare,
            revisions_url=reverse("wagtailadmin_pages:history", args=(page_id,)),
            change_type=REVISION if revision.previous_id else "+",
        )
    return entries


def history_entries(page_rows: Iterable[dict], *, user) -> list[HistoryEntry]:
    """The entries for one page of `history_queryset`, in its order.

    Each kind on the page costs a few queries (its rows with their previous versions, their
    many-to-many targets, the related objects named), however many rows it has.
    """
    page_rows = list(page_rows)
    by_kind: dict[str, list[int]] = {}
    for row in page_rows:
        by_kind.setdefault(row["entry_kind"], []).append(row["entry_id"])
    kinds = history_kinds()
    loaded: dict[tuple[str, int], HistoryEntry] = {}
    for slug, ids in by_kind.items():
        if slug == PAGE_KIND:
            for pk, entry in _page_revision_entries(ids).items():
                loaded[(slug, pk)] = entry
            continue
        kind = kinds[slug]
        rows = _load_rows(kind, ids)
        for row, entry in zip(
            rows.values(), _entries_for_rows(kind, list(rows.values()), user=user), strict=True
        ):
            loaded[(slug, row.history_id)] = entry
    return [
        loaded[(row["entry_kind"], row["entry_id"])]
        for row in page_rows
        if (row["entry_kind"], row["entry_id"]) in loaded
    ]


def iter_history(filters: HistoryFilters, *, user, chunk: int = 500) -> Iterator[HistoryEntry]:
    """Every entry matching the filters, newest first, read a chunk at a time (for export)."""
    queryset = history_queryset(filters)
    start = 0
    while True:
        rows = list(queryset[start : start + chunk])
        if not rows:
            return
        yield from history_entries(rows, user=user)
        start += chunk


def record_history(instance, *, user) -> list[HistoryEntry]:
    """Every version of one record, newest first, with what each changed."""
    kind = kind_for_model(type(instance))
    if kind is None:
        return []
    ids = instance.history.values_list("history_id", flat=True)
    rows = sorted(
        _load_rows(kind, ids).values(),
        key=lambda row: (row.history_date, row.history_id),
        reverse=True,
    )
    return _entries_for_rows(kind, rows, user=user)


def find_by_reference(reference: str, *, kind: str | None = None) -> tuple[str, str] | None:
    """(kind slug, record number) of the record with this reference (a call's CCS-...,
    an appeal's APL-...), found in its history so a deleted record is found too; or None."""
    for slug, candidate in history_kinds().items():
        if kind and slug != kind:
            continue
        names = {f.name for f in candidate.history_model._meta.fields}
        if "reference" not in names:
            continue
        found = (
            candidate.history_model.objects.filter(reference__iexact=reference.strip())
            .values_list("id", flat=True)
            .first()
        )
        if found is not None:
            return slug, str(found)
    return None


def record_object(kind: HistoryKind, pk):
    """The live record a kind and id name, or None if it has been deleted."""
    return kind.model._default_manager.filter(pk=pk).first()


def parent_object(kind: HistoryKind, obj):
    """The record whose admin page shows this one: itself, or its parent (a note's call)."""
    if obj is None or not kind.parent:
        return obj
    return getattr(obj, kind.parent, None)
