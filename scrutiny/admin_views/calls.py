"""Admin screens for calls: the listing, the full record and the officers' actions on it."""

import datetime
from functools import partial

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied as file_refused
from django.views.generic import TemplateView
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import BooleanRadioSelect, HeaderButton
from wagtail.coreutils import multigetattr
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets as snippet_views

from .. import permissions, personal_data, pipeline, selectors, timeline
from ..access_codes import format_access_code
from ..models import (
    Appeal,
    BusinessArea,
    CallClosure,
    CallEvidence,
    CallForScrutiny,
    CallStatus,
    DecisionOutcome,
    MonitoringStatus,
    ScrutinySettings,
)
from ..models.workflows import DECISION_FORMS
from ..notifications import absolute_url
from ..permissions import (
    can_download_evidence,
    can_enter_for_resident,
    can_manage_calls,
    can_see_contact_details,
    is_officer,
)
from ..private_files import private_file_response
from . import history as history_views
from . import listings
from .choosers import chooser_for

PRIVATE_FIELDS = frozenset(personal_data.of(CallForScrutiny).private)
EMPTY = "—"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CALL_FIELDS = [
    "reference",
    "status",
    "submitted_at",
    "received_via",
    "recorded_by",
    "status_changed_at",
    "business_area",
    "tenure",
    "households_affected",
    "concerns",
    "actions_taken",
    "service_failures",
    "complaint_stage",
    "complaint_reference",
    "complaint_finished",
    "others_affected",
    "others_affected_why",
    "support_requested",
    "support_given_at",
    "assigned_officer",
]
RESIDENT_FIELDS = personal_data.of(CallForScrutiny).private


class CallPermissionPolicy(ModelPermissionPolicy):
    """Calls come only from the public form and are kept: nobody adds or deletes one here.

    Nor does anyone edit one in the generic editor: a call carries Wagtail's draft state for
    moderation, and every change to it is an action that calls the pipeline instead.
    """

    refused = frozenset({"add", "delete", "change"})

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in self.refused]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


class CallAdminURLFinder(ModelAdminURLFinder):
    """Where Wagtail links a call (the dashboard's "Awaiting your review", reports): its record,
    for anyone who may see calls, since nobody edits one in the generic editor."""

    def construct_edit_url(self, instance):
        return action_url("inspect", instance.pk)

    def get_edit_url(self, instance):
        if self.user is not None and not permissions.may_view_calls(self.user):
            return None
        return self.construct_edit_url(instance)


class OfficerChoiceField(django_filters.fields.ModelChoiceField):
    """A choice of officers by their names."""

    def label_from_instance(self, obj):
        return get_user_display_name(obj)


class OfficerFilter(django_filters.ModelChoiceFilter):
    """Calls assigned to one officer."""

    field_class = OfficerChoiceField


class CallFilterSet(WagtailFilterSet):
    """The filters of the calls listing."""

    status = django_filters.MultipleChoiceFilter(
        choices=CallStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    business_area = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Service"), queryset=BusinessArea.objects.order_by("name")
    )
    submitted_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Received between"), widget=DateRangePickerWidget
    )
    assigned_officer = OfficerFilter(
        label=gettext_lazy("Assigned officer"), queryset=lambda request: selectors.officer_list()
    )
    support_requested = django_filters.BooleanFilter(
        label=gettext_lazy("Support requested"), widget=BooleanRadioSelect
    )
    overdue = django_filters.BooleanFilter(
        label=gettext_lazy("Overdue for a panel decision"),
        method="filter_overdue",
        widget=BooleanRadioSelect,
    )

    class Meta:
        model = CallForScrutiny
        fields = []

    def filter_overdue(self, queryset, name, value):
        overdue = selectors.calls_overdue().values("pk")
        if value is None:
            return queryset
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


def _csv_safe(value: str) -> str:
    """A resident's text that a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


EXTRA_ANSWER = "extra_answer:"


def _xlsx_moment(value: datetime.datetime) -> datetime.datetime:
    """A moment as the local date and time a spreadsheet shows (it has no time zones)."""
    return localtime(value).replace(tzinfo=None)


class CallIndexView(snippet_views.IndexView):
    """The calls listing: contact details are left out for those who may not see them.

    Its exports write Yes or No, dates as dates, and a column for each of the extra questions
    Communications added to the form, headed by the question's label.
    """

    custom_value_preprocess = {
        bool: {"csv": listings.yes_no, "xlsx": listings.yes_no},
        **snippet_views.IndexView.custom_value_preprocess,
        datetime.datetime: {
            "csv": lambda value: localtime(value).strftime("%Y-%m-%d %H:%M"),
            "xlsx": _xlsx_moment,
        },
        str: {"csv": _csv_safe},
    }
    custom_field_preprocess = {
        "assigned_officer": {"csv": listings.person, "xlsx": listings.person},
    }

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if can_enter_for_resident(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Enter a call for a resident"), url=action_url("enter"), icon_name="mail"
                )
            )
        return buttons

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not can_see_contact_details(request.user):
            self.list_export = [name for name in self.list_export if name not in PRIVATE_FIELDS]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.is_export:
            labels = selectors.call_extra_question_labels(calls=queryset)
            self.list_export = [*self.list_export, *(EXTRA_ANSWER + label for label in labels)]
        return queryset

    def get_heading(self, queryset, field):
        if field.startswith(EXTRA_ANSWER):
            return field.removeprefix(EXTRA_ANSWER)
        return super().get_heading(queryset, field)

    def to_row_dict(self, item):
        answers = {entry.get("label"): entry.get("answer") for entry in item.extra_answers or []}
        return {
            field: (
                answers.get(field.removeprefix(EXTRA_ANSWER)) or ""
                if field.startswith(EXTRA_ANSWER)
                else multigetattr(item, field)
            )
            for field in self.list_export
        }

    @cached_property
    def columns(self):
        # Calls have no bulk actions: they are neither deleted nor published.
        show_private = can_see_contact_details(self.request.user)
        return [
            column
            for column in super().columns
            if not isinstance(column, BulkActionsCheckboxColumn)
            and (show_private or column.name not in PRIVATE_FIELDS)
        ]

    def _get_title_column(self, *args, **kwargs):
        return super()._get_title_column(*args, classname="w-whitespace-nowrap", **kwargs)

    def get_edit_url(self, instance):
        # A call's reference opens its full record, where every change is an action.
        return None

    def get_base_queryset(self):
        overdue_since = selectors.overdue_threshold()
        return (
            super()
            .get_base_queryset()
            .select_related("business_area", "assigned_officer")
            .annotate(
                is_overdue=Case(
                    When(
                        status=CallStatus.AWAITING_PANEL,
                        awaiting_panel_since__lt=overdue_since,
                        then=Value(True),
                    ),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
        )


# Wagtail's chooser for calls, closed to staff outside the process (it lists references).
CallChooserViewSet = chooser_for(permissions.VIEW_CALLS)


def display_value(name: str, value, model=CallForScrutiny) -> str:
    """A field's value as the admin shows it: choice labels, yes or no, dates, names."""
    field = model._meta.get_field(name)
    if value is None or value == "" or value == []:
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return date_format(localtime(value), "j F Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, get_user_model()):
        return get_user_display_name(value)
    if name == "extra_answers":
        return "; ".join(f"{item.get('label')}: {item.get('answer')}" for item in value)
    return str(value)


def field_rows(call: CallForScrutiny, names: list[str]) -> list[tuple[str, str]]:
    """(label, value) for each named field of a call."""
    return [
        (
            capfirst(CallForScrutiny._meta.get_field(name).verbose_name),
            display_value(name, getattr(call, name)),
        )
        for name in names
    ]


def action_url(name: str, *args) -> str:
    """The address of one of the call viewset's views for an object."""
    return reverse(CallForScrutiny.snippet_viewset.get_url_name(name), args=args)


class CallInspectView(snippet_views.InspectView):
    """A call's full record with the officers' actions, related calls and its history."""

    def get_object(self, queryset=None):
        return get_object_or_404(
            CallForScrutiny.objects.select_related("business_area", "assigned_officer"),
            pk=self.pk,
        )

    def get_fields(self):
        # The template lays the call out in sections of its own.
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        call = self.object
        show_private = can_see_contact_details(user)
        can_manage = can_manage_calls(user)
        can_download = can_download_evidence(user)
        watching = call.monitorings.filter(status=MonitoringStatus.WATCHING).first()
        context.update(
            {
                "call": call,
                "call_rows": field_rows(call, CALL_FIELDS),
                "resident_rows": field_rows(call, RESIDENT_FIELDS) if show_private else None,
                "can_manage": can_manage,
                "transitions": pipeline.transitions_available(call=call, user=user),
                "next_step": selectors.call_next_step(call),
                "closing_moves": closing_moves(call, user),
                "close_url": action_url("close", call.pk),
                "monitoring": watching,
                "monitoring_outcomes": pipeline.monitoring.OUTCOMES.items(),
                "can_conclude_monitoring": watching is not None
                and permissions.may_follow_up_monitoring(user),
                "monitoring_url": action_url("monitoring", call.pk),
                "duplicate_of": call.duplicate_of,
                "officers": selectors.officer_list() if can_manage else [],
                "can_assign_self": can_manage and is_officer(user),
                "support_pending": can_manage
                and call.support_requested
                and not call.support_given_at,
                "evidence": [
                    (item, action_url("evidence", item.pk) if can_download else None)
                    for item in call.evidence.all()
                ],
                "show_notes": permissions.may_read_call_notes(user),
                "notes": call.notes.select_related("author"),
                "earlier_calls": selectors.call_earlier_in_area(call),
                "similar_calls": selectors.call_similar(call),
                "timeline": timeline.record_timeline(call, user=user),
                "history_url": history_views.history_url_for(call, user),
                "move_url": action_url("move", call.pk),
                "assign_url": action_url("assign", call.pk),
                "note_url": action_url("note", call.pk),
                "support_url": action_url("support_given", call.pk),
                "access_code_url": action_url("access_code", call.pk),
                "appeal_for_resident": appeal_for_resident(call, user),
                "correct_url": action_url("correct", call.pk),
                "business_areas": BusinessArea.objects.all() if can_manage else [],
                "decisions": call.decisions.select_related("meeting", "reason", "decided_by"),
                "overdue": selectors.call_is_overdue(call),
                "decision_choices": decision_choices()
                if call.status == CallStatus.AWAITING_PANEL and permissions.may_decide_calls(user)
                else [],
                "decide_url": action_url("decide_choice", call.pk),
                "petition": getattr(call, "petition", None),
                "petition_url": selectors.petition_admin_url(call),
                "can_open_petition": permissions.may_open_petitions(user)
                and call.status in {CallStatus.TRIAGE, CallStatus.GATHERING_EVIDENCE}
                and not hasattr(call, "petition"),
            }
        )
        return context


def closing_moves(call: CallForScrutiny, user) -> list[tuple[str, str]]:
    """(closure, label) for each way this user may close this call now."""
    choices = []
    for closure, name in pipeline.calls.CLOSING_MOVES.items():
        move = pipeline.machine.CALL.move(name)
        if call.status in move.sources and pipeline.machine.permits(move, user, call):
            choices.append((closure, CallClosure(closure).label))
    return choices


def _viewable_call(request, pk: int) -> CallForScrutiny:
    """The call, if this user may see calls at all (Wagtail turns others away)."""
    if not permissions.may_view_calls(request.user):
        raise PermissionDenied
    return get_object_or_404(CallForScrutiny, pk=pk)


def _back(call: CallForScrutiny):
    return redirect(action_url("inspect", call.pk))


@require_POST
def call_move(request, pk: int):
    """Move a call one stage along, as the button pressed asks."""
    call = _viewable_call(request, pk)
    try:
        call = pipeline.call_move(
            call=call, transition=request.POST.get("transition", ""), user=request.user
        )
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(reference)s is now %(status)s.")
            % {"reference": call.reference, "status": call.get_status_display().lower()},
        )
    return _back(call)


@require_POST
def call_close(request, pk: int):
    """Close a call before the panel's decision: withdrawn, a duplicate, or out of scope."""
    call = _viewable_call(request, pk)
    closure = request.POST.get("closure", "")
    duplicate_of = None
    if closure == CallClosure.DUPLICATE:
        reference = request.POST.get("duplicate_of", "").strip()
        duplicate_of = CallForScrutiny.objects.filter(reference__iexact=reference).first()
        if reference and duplicate_of is None:
            messages.error(
                request,
                _("There is no call with the reference “%(reference)s”.")
                % {"reference": reference},
            )
            return _back(call)
    try:
        call = pipeline.call_close(
            call=call,
            closure=closure,
            reason=request.POST.get("reason", ""),
            duplicate_of=duplicate_of,
            user=request.user,
        )
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(reference)s is closed (%(closure)s). The resident is told why.")
            % {"reference": call.reference, "closure": call.get_closure_display().lower()},
        )
    return _back(call)


@require_POST
def call_monitoring(request, pk: int):
    """Record what the panel found when it looked again at a call it referred for monitoring."""
    call = _viewable_call(request, pk)
    monitoring = call.monitorings.filter(status=MonitoringStatus.WATCHING).first()
    if monitoring is None:
        messages.error(
            request, _("%(reference)s is not being monitored.") % {"reference": call.reference}
        )
        return _back(call)
    outcome = request.POST.get("outcome", "")
    try:
        pipeline.monitoring_conclude(
            monitoring=monitoring,
            outcome=outcome,
            findings=request.POST.get("findings", ""),
            review_on=request.POST.get("review_on", ""),
            user=request.user,
        )
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        call.refresh_from_db()
        messages.success(
            request,
            _("Recorded. %(reference)s is %(status)s; the resident is told what the panel found.")
            % {"reference": call.reference, "status": call.get_status_display().lower()},
        )
    return _back(call)


@require_POST
def call_assign(request, pk: int):
    """Give a call to the officer chosen, to the user themselves, or to nobody."""
    call = _viewable_call(request, pk)
    if request.POST.get("assign_to_me"):
        officer = request.user
    elif chosen := request.POST.get("officer", ""):
        officer = get_user_model().objects.filter(pk=chosen).first() if chosen.isdigit() else None
        if officer is None:
            messages.error(request, _("Choose an officer from the list."))
            return _back(call)
    else:
        officer = None
    try:
        call = pipeline.call_assign(call=call, officer=officer, user=request.user)
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        if officer is None:
            messages.success(
                request,
                _("%(reference)s is not assigned to anyone now.") % {"reference": call.reference},
            )
        else:
            messages.success(
                request,
                _("%(reference)s is assigned to %(name)s.")
                % {"reference": call.reference, "name": get_user_display_name(officer)},
            )
    return _back(call)


@require_POST
def call_add_note(request, pk: int):
    """Add an officer's internal note to a call."""
    call = _viewable_call(request, pk)
    try:
        pipeline.call_add_note(call=call, text=request.POST.get("text", ""), user=request.user)
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Note added to %(reference)s.") % {"reference": call.reference})
    return _back(call)


@require_POST
def call_correct(request, pk: int):
    """Correct the service a call is about, or the number of households affected."""
    call = _viewable_call(request, pk)
    area_id = request.POST.get("business_area", "")
    area = BusinessArea.objects.filter(pk=area_id).first() if area_id.isdigit() else None
    households = request.POST.get("households_affected", "").strip()
    if area is None:
        messages.error(request, _("Choose the service the call is about."))
        return _back(call)
    if households and not households.isdigit():
        messages.error(
            request, _("Give the number of households as a whole number, or leave it empty.")
        )
        return _back(call)
    try:
        call = pipeline.call_correct(
            call=call,
            business_area=area,
            households_affected=int(households) if households else None,
            user=request.user,
        )
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(reference)s is corrected.") % {"reference": call.reference})
    return _back(call)


@require_POST
def call_issue_access_code(request, pk: int):
    """Give the resident a new access code: emailed if they gave an address, and shown here once
    for the officer to print on a letter."""
    call = _viewable_call(request, pk)
    try:
        code = pipeline.call_issue_access_code(call=call, user=request.user)
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
        return _back(call)
    title = _("New access code for %(reference)s") % {"reference": call.reference}
    response = TemplateResponse(
        request,
        "scrutiny/admin/call_access_code.html",
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "key",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": action_url("list"), "label": _("Calls for scrutiny")},
                {"url": action_url("inspect", call.pk), "label": call.reference},
                {"url": "", "label": _("New access code")},
            ],
            "call": call,
            "call_url": action_url("inspect", call.pk),
            "access_code": format_access_code(code),
            "emailed": bool(call.email),
            "tracking_url": absolute_url(selectors.call_tracking_url()),
        },
    )
    # The only place an officer sees a code: no cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


def appeal_for_resident(call: CallForScrutiny, user) -> dict | None:
    """For officers, whether an appeal given by post, phone or in person can be recorded on this
    call now, and where: {"url": ..., "refusal": why not, or ""}; None when there is nothing to
    appeal."""
    if not permissions.can_manage_appeals(user):
        return None
    decision = call.decisions.order_by("-decided_at", "-pk").first()
    if decision is None or not decision.appealable:
        return None
    url = reverse(Appeal.snippet_viewset.get_url_name("for_resident")) + f"?call={call.reference}"
    return {"url": url, "refusal": pipeline.appeal_refusal(decision=decision) or ""}


@require_POST
def call_mark_support_given(request, pk: int):
    """Record that the resident who asked for support has had it."""
    call = _viewable_call(request, pk)
    try:
        call = pipeline.call_mark_support_given(call=call, user=request.user)
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Support to the resident on %(reference)s is recorded.")
            % {"reference": call.reference},
        )
    return _back(call)


def call_evidence_download(request, pk: int):
    """Send one of a call's evidence files from private storage, as a download."""
    if not can_download_evidence(request.user):
        # A plain 403 rather than Wagtail's redirect to the dashboard: this is a file address.
        return file_refused(request, PermissionDenied())
    evidence = get_object_or_404(CallEvidence, pk=pk)
    return private_file_response(
        evidence.file,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )


def decision_choices() -> list[tuple[str, str, str]]:
    """(value, label, what follows) for each of the panel's four decisions, in the order of the
    process; none is put forward over another."""
    window = ScrutinySettings.load().appeal_window_days
    days = {"days": window}
    follows = {
        DecisionOutcome.NOT_ACCEPTED: ngettext(
            "The resident is told which avenues to use first, such as the complaints procedure. "
            "They may appeal within %(days)s day.",
            "The resident is told which avenues to use first, such as the complaints procedure. "
            "They may appeal within %(days)s days.",
            window,
        )
        % days,
        DecisionOutcome.MONITORING: ngettext(
            "The panel watches how the service is delivered and looks again on a review date. "
            "The resident may appeal within %(days)s day.",
            "The panel watches how the service is delivered and looks again on a review date. "
            "The resident may appeal within %(days)s days.",
            window,
        )
        % days,
        DecisionOutcome.ACCEPTED: _(
            "The call is scored and scheduled into the programme of reviews. Acceptance cannot "
            "be appealed."
        ),
        DecisionOutcome.SERIOUS_FAILURE: ngettext(
            "The panel's immediate recommendations go at once to the head of operations. The "
            "resident may appeal within %(days)s day.",
            "The panel's immediate recommendations go at once to the head of operations. The "
            "resident may appeal within %(days)s days.",
            window,
        )
        % days,
    }
    return [(outcome.value, outcome.label, follows[outcome]) for outcome in DecisionOutcome]


def call_decide_choice(request, pk: int):
    """The decision chosen on the call's page opens that decision's form."""
    call = _viewable_call(request, pk)
    outcome = request.GET.get("outcome", "")
    if outcome not in DecisionOutcome.values:
        messages.error(request, _("Choose one of the panel's four decisions, then Continue."))
        return redirect(action_url("inspect", call.pk) + "#call-decision")
    return redirect(action_url("decide", call.pk, outcome))


class CallDecisionView(WagtailAdminTemplateMixin, TemplateView):
    """The panel records one of its decisions on a call awaiting it, with the reasons."""

    template_name = "scrutiny/admin/call_decide.html"

    def dispatch(self, request, pk: int, outcome: str):
        self.call = _viewable_call(request, pk)
        if not permissions.may_decide_calls(request.user):
            raise PermissionDenied
        try:
            self.outcome = DecisionOutcome(outcome)
        except ValueError as error:
            raise Http404 from error
        if self.call.status != CallStatus.AWAITING_PANEL:
            messages.error(request, decision_refusal(self.call, self.outcome, request.user))
            return _back(self.call)
        return super().dispatch(request, pk=pk, outcome=outcome)

    def get_page_title(self):
        return self.outcome.label

    def get_page_subtitle(self):
        return str(self.call)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": action_url("list"), "label": _("Calls for scrutiny")},
            {"url": action_url("inspect", self.call.pk), "label": self.call.reference},
            {"url": "", "label": self.outcome.label},
        ]

    def get_form(self):
        form_class = DECISION_FORMS[self.outcome]
        if self.request.method == "POST":
            return form_class(self.request.POST, call=self.call)
        return form_class(call=self.call)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "call": self.call,
                "outcome": self.outcome,
                "form": kwargs.get("form") or self.get_form(),
                "appeal_window": ScrutinySettings.load().appeal_window_days,
                "back_url": action_url("inspect", self.call.pk),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            refusal = record_decision(request, self.call, self.outcome, form.cleaned_data)
            if refusal is None or not still_awaiting_panel(self.call):
                return _back(self.call)
            form.add_error(None, refusal)
        return self.render_to_response(self.get_context_data(form=form))


def decision_refusal(call: CallForScrutiny, outcome: str, user) -> str:
    """Why a decision cannot be taken on this call now: already decided by whom and when."""
    try:
        pipeline.machine.check(call, f"decide_{outcome}", user=user)
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        return str(error)
    return _("%(reference)s is not awaiting the panel.") % {"reference": call.reference}


def still_awaiting_panel(call: CallForScrutiny) -> bool:
    """Whether a call still waits for the panel's decision (another member may have decided)."""
    return CallForScrutiny.objects.filter(pk=call.pk, status=CallStatus.AWAITING_PANEL).exists()


def record_decision(request, call: CallForScrutiny, outcome: str, answers: dict) -> str | None:
    """Take the panel's decision and say so; the refusal, if any, also as a message when the
    call has moved on (decided by someone else meanwhile)."""
    try:
        decision = pipeline.call_decide(call=call, outcome=outcome, user=request.user, **answers)
    except pipeline.TransitionNotAllowed as error:
        if not still_awaiting_panel(call):
            messages.error(request, str(error))
        return str(error)
    messages.success(request, decision_confirmation(call, decision))
    return None


# What was decided, said in a sentence of its own for each outcome: (without a meeting, at one).
DECIDED = {
    DecisionOutcome.NOT_ACCEPTED: (
        gettext_lazy("Decision recorded on %(reference)s (%(area)s): not accepted yet."),
        gettext_lazy(
            "Decision recorded on %(reference)s (%(area)s): not accepted yet, at %(meeting)s."
        ),
    ),
    DecisionOutcome.MONITORING: (
        gettext_lazy("Decision recorded on %(reference)s (%(area)s): referred for monitoring."),
        gettext_lazy(
            "Decision recorded on %(reference)s (%(area)s): referred for monitoring, "
            "at %(meeting)s."
        ),
    ),
    DecisionOutcome.ACCEPTED: (
        gettext_lazy("Decision recorded on %(reference)s (%(area)s): accepted."),
        gettext_lazy("Decision recorded on %(reference)s (%(area)s): accepted, at %(meeting)s."),
    ),
    DecisionOutcome.SERIOUS_FAILURE: (
        gettext_lazy(
            "Decision recorded on %(reference)s (%(area)s): a serious failure of service."
        ),
        gettext_lazy(
            "Decision recorded on %(reference)s (%(area)s): a serious failure of service, "
            "at %(meeting)s."
        ),
    ),
}


def decision_confirmation(call: CallForScrutiny, decision) -> str:
    """The message after a decision: which call, what was decided, where, and who is told."""
    without_meeting, at_meeting = DECIDED[decision.outcome]
    decided = (at_meeting if decision.meeting else without_meeting) % {
        "reference": call.reference,
        "area": call.business_area,
        "meeting": decision.meeting,
    }
    told = (
        _("The resident is emailed the decision and the panel's reasons.")
        if call.email
        else _("The resident gave no email address: send them the decision by post.")
    )
    return f"{decided} {told}"


class CallWorkflowHistoryView(snippet_views.WorkflowHistoryView):
    """The panel's decision workflows on a call, for everyone who may see the call.

    Wagtail asks for "change", which the call's policy refuses everyone (calls are changed
    by actions, never in the editor), so nobody could open it.
    """

    permission_required = "view"


class CallWorkflowHistoryDetailView(snippet_views.WorkflowHistoryDetailView):
    """One decision workflow on a call, task by task, for everyone who may see the call."""

    permission_required = "view"


class DecisionActionView(snippet_views.WorkflowActionView):
    """The panel's decision from Wagtail's moderation dialog (the dashboard's "Awaiting your
    review"): the form offers the meetings of this call, and a decision taken meanwhile by
    another member is a message on the call's page, not an error."""

    def get_form_class(self):
        form_class = super().get_form_class()
        return partial(form_class, call=self.object) if form_class else form_class

    def dispatch(self, request, *args, **kwargs):
        if not self.object.workflow_in_progress:
            # Decided meanwhile (another member, or this one pressing twice): say by whom.
            messages.error(request, decision_refusal(self.object, self.action_name, request.user))
            url = action_url("inspect", self.object.pk)
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return self.render_modal_json(request, {"step": "success", "redirect": url})
            return redirect(url)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        xhr = request.headers.get("x-requested-with") == "XMLHttpRequest"
        form = self.form_class(request.POST)
        if form.is_valid():
            refusal = record_decision(request, self.object, self.action_name, form.cleaned_data)
            if refusal is None or not still_awaiting_panel(self.object):
                self.redirect_url = action_url("inspect", self.object.pk)
                if xhr:
                    return self.render_modal_json(
                        request, {"step": "success", "redirect": self.redirect_url}
                    )
                return redirect(self.redirect_url)
            form.add_error(None, refusal)
        if xhr:
            return self.render_modal_form(request, form)
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(action_url("decide", self.object.pk, self.action_name))


def call_edit_redirect(request, pk):
    """Nobody edits a call in the generic editor: links to it (such as the dashboard's
    "Awaiting your review") open the call's record, where its actions are."""
    call = _viewable_call(request, int(pk))
    return _back(call)
