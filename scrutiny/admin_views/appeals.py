"""Admin for appeals and involvement groups.

Officers and managers see every appeal; an appeal panel member sees only the appeals they sit
on, with the call, its evidence and the panel's decision, and never the resident's contact
details. Officers convene the appeal panel and record its decision on the panel's behalf.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied as plain_permission_denied
from django.views.generic import FormView, TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from .. import permissions, pipeline, selectors
from ..models import (
    Appeal,
    AppealDirection,
    AppealEvidence,
    AppealOutcome,
    AppealStatus,
    CallEvidence,
    CallForScrutiny,
    InvolvementGroup,
    ReceivedVia,
    ScrutinySettings,
)
from ..permissions import can_see_contact_details
from ..private_files import private_file_response
from . import history as history_views
from . import listings
from .calls import CALL_FIELDS, RESIDENT_FIELDS, field_rows
from .choosers import chooser_for


def url_for(name: str, *args) -> str:
    """The address of one of the appeal viewset's views."""
    return reverse(Appeal.snippet_viewset.get_url_name(name), args=args)


def visible_appeal(request, pk: int) -> Appeal:
    """The appeal if this user may open it; PermissionDenied for anyone else, even if it exists."""
    appeal = selectors.appeals_visible_to(request.user).filter(pk=pk).first()
    if appeal is None:
        raise PermissionDenied
    return appeal


class AppealPermissionPolicy(ModelPermissionPolicy):
    """Appeals come only from the public form and change only through their actions."""

    refused = frozenset({"add", "delete", "change"})

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in self.refused]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


class PanelChoiceField(forms.ModelMultipleChoiceField):
    """People to sit on an appeal panel, by name."""

    def label_from_instance(self, obj):
        return pipeline.person_name(obj)


class ConveneForm(forms.Form):
    """The members an officer chooses for an appeal panel."""

    members = PanelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose the members of the appeal panel.")},
    )


class AppealDecisionForm(forms.Form):
    """The appeal panel's decision, recorded by an officer."""

    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=AppealOutcome.choices, widget=forms.RadioSelect
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("If upheld, the panel directs"),
        choices=AppealDirection.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reasons = forms.CharField(
        label=gettext_lazy("The appeal panel's reasons"), widget=forms.Textarea(attrs={"rows": 5})
    )


class AppealForResidentForm(forms.Form):
    """An appeal the resident gave by post, by phone or in person, as the officer types it in."""

    received_via = forms.ChoiceField(
        label=gettext_lazy("How did the appeal reach us?"),
        choices=[choice for choice in ReceivedVia.choices if choice[0] != ReceivedVia.WEB],
        initial=ReceivedVia.POST,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose how the appeal reached us."),
            "invalid_choice": gettext_lazy("Choose how the appeal reached us."),
        },
    )
    received_on = forms.DateField(
        label=gettext_lazy("The day it reached us"),
        widget=AdminDateInput,
        help_text=gettext_lazy(
            "The appeal window is counted to this day: a letter that arrived in time is "
            "in time, whenever it is typed in."
        ),
        error_messages={
            "required": gettext_lazy("Enter the day the appeal reached us."),
            "invalid": gettext_lazy(
                "Enter the day the appeal reached us as a date, like 2026-12-03."
            ),
        },
    )
    reference = forms.CharField(
        label=gettext_lazy("Call reference"),
        max_length=20,
        help_text=gettext_lazy("As the resident gives it, for example CCS-2026-0012."),
        error_messages={
            "required": gettext_lazy("Enter the reference of the call the resident appeals about.")
        },
    )
    grounds = forms.CharField(
        label=gettext_lazy("The resident's grounds for appeal"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "In the resident's words. Keep a letter itself with the call's papers."
        ),
        error_messages={"required": gettext_lazy("Write down the resident's grounds for appeal.")},
    )

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        self.call = CallForScrutiny.objects.filter(reference=reference).first()
        if self.call is None:
            raise forms.ValidationError(
                _("There is no call with the reference %(reference)s.") % {"reference": reference}
            )
        return reference


class AppealForResidentView(WagtailAdminTemplateMixin, FormView):
    """An officer records an appeal a resident gave by post, by phone or in person, under the
    public form's rules."""

    template_name = "scrutiny/admin/appeal_for_resident.html"
    form_class = AppealForResidentForm
    header_icon = "mail"
    page_title = gettext_lazy("Record an appeal for a resident")

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_manage_appeals(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": url_for("list"), "label": _("Appeals")},
            {"url": "", "label": self.page_title},
        ]

    def get_initial(self):
        return {
            "reference": self.request.GET.get("call", "")[:20],
            "received_on": timezone.localdate(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "action_url": self.request.path,
                "submit_button_label": _("Record the appeal"),
                "submit_button_active_label": _("Recording…"),
                "appeal_window": ScrutinySettings.load().appeal_window_days,
            }
        )
        return context

    def form_valid(self, form):
        try:
            appeal = pipeline.appeal_record_for_resident(
                call=form.call,
                grounds=form.cleaned_data["grounds"],
                user=self.request.user,
                received_via=form.cleaned_data["received_via"],
                received_on=form.cleaned_data["received_on"],
            )
        except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Appeal %(appeal)s on %(call)s is recorded as received %(via)s on %(day)s. "
                "The resident is told if they gave an email address."
            )
            % {
                "appeal": appeal.reference,
                "call": appeal.call.reference,
                "via": appeal.get_received_via_display().lower(),
                "day": date_format(appeal.received_at.date(), "j F Y"),
            },
        )
        return redirect(url_for("inspect", appeal.pk))


class AppealIndexView(snippet_views.IndexView):
    """The appeals an officer or manager may see, or those an appeal panel member sits on."""

    def get_base_queryset(self):
        return selectors.appeals_visible_to(self.request.user)

    def get_add_url(self):
        return None

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if permissions.can_manage_appeals(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Record an appeal for a resident"),
                    url=url_for("for_resident"),
                    icon_name="mail",
                )
            )
        return buttons

    @cached_property
    def columns(self):
        return [
            column
            for column in super().columns
            if not isinstance(column, BulkActionsCheckboxColumn)
        ]

    def get_edit_url(self, instance):
        return self.get_inspect_url(instance)


class AppealInspectView(snippet_views.InspectView):
    """One appeal: the grounds, the call, its evidence, the panel's decision, and the actions."""

    def get_object(self, queryset=None):
        return visible_appeal(self.request, self.pk)

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        appeal = self.object
        call = appeal.call
        decision = appeal.decision
        can_manage = permissions.can_manage_appeals(user)
        context.update(
            {
                "appeal": appeal,
                "call": call,
                "decision": decision,
                "call_rows": field_rows(call, CALL_FIELDS),
                "resident_rows": (
                    field_rows(call, RESIDENT_FIELDS) if can_see_contact_details(user) else None
                ),
                "panel": [pipeline.person_name(member) for member in appeal.panel.all()],
                "appeal_evidence": [
                    (item, url_for("evidence", appeal.pk, "appeal", item.pk))
                    for item in appeal.evidence.all()
                ],
                "call_evidence": [
                    (item, url_for("evidence", appeal.pk, "call", item.pk))
                    for item in call.evidence.all()
                ],
                "can_manage": can_manage,
                "decided": appeal.status == AppealStatus.DECIDED,
            }
        )
        if can_manage and appeal.status != AppealStatus.DECIDED:
            candidates = pipeline.appeal_panel_candidates(appeal=appeal)
            chosen = list(appeal.panel.all())
            # After a refusal, the people the officer ticked, not the panel as saved.
            ticked = self.request.session.pop(_ticked_key(appeal), None)
            form = ConveneForm(
                initial={"members": ticked if ticked is not None else [m.pk for m in chosen]}
            )
            offered = {user.pk: user for user in [*chosen, *candidates]}
            form.fields["members"].queryset = get_user_model().objects.filter(pk__in=offered)
            context.update(
                {
                    "convene_form": form,
                    "candidates": candidates,
                    "convene_url": url_for("convene", appeal.pk),
                    "decide_form": AppealDecisionForm(),
                    "decide_url": url_for("decide", appeal.pk),
                }
            )
        return context


class AppealHistoryView(history_views.TimelineHistoryMixin, snippet_views.HistoryView):
    """An appeal's log, for those who may open the appeal."""

    # Nobody adds, changes or deletes an appeal here, so seeing it is enough.
    any_permission_required = ["view"]

    def get_object(self):
        return visible_appeal(self.request, self.pk)

    def get_edit_url(self, instance):
        # Appeals have no editor; their record is the inspect page.
        return url_for("inspect", instance.pk)


def _back(appeal: Appeal):
    return redirect(url_for("inspect", appeal.pk))


def _ticked_key(appeal: Appeal) -> str:
    return f"scrutiny_appeal_panel_ticked_{appeal.pk}"


class AppealDecideConfirmView(WagtailAdminTemplateMixin, TemplateView):
    """Names the final decision before it is recorded: it cannot be undone or appealed."""

    template_name = "scrutiny/admin/appeal_decide_confirm.html"
    page_title = gettext_lazy("Confirm the appeal panel's decision")
    header_icon = "warning"


@require_POST
def appeal_convene(request, pk: int):
    """Convene (or change) an appeal panel; each refusal is shown with its reason."""
    appeal = visible_appeal(request, pk)
    ticked = [value for value in request.POST.getlist("members") if value.isdigit()]
    members = get_user_model().objects.filter(pk__in=ticked)
    try:
        pipeline.appeal_convene(appeal=appeal, members=members, user=request.user)
    except pipeline.TransitionNotAllowed as error:
        request.session[_ticked_key(appeal)] = [int(value) for value in ticked]
        messages.error(request, _("The appeal panel was not convened."))
        for reason in error.reasons:
            messages.error(request, reason)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not convene an appeal panel."))
    else:
        messages.success(
            request,
            _("The appeal panel for %(reference)s is convened.") % {"reference": appeal.reference},
        )
    return _back(appeal)


@require_POST
def appeal_decide(request, pk: int):
    """Record the appeal panel's final decision on its behalf."""
    appeal = visible_appeal(request, pk)
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(appeal)
    if request.POST.get("confirm") != "yes":
        data = form.cleaned_data
        view = AppealDecideConfirmView()
        view.setup(request)
        return view.render_to_response(
            view.get_context_data(
                appeal=appeal,
                outcome=dict(AppealOutcome.choices).get(data["outcome"], data["outcome"]),
                direction=dict(AppealDirection.choices).get(data["direction"], ""),
                data=data,
                decide_url=url_for("decide", appeal.pk),
                back_url=url_for("inspect", appeal.pk),
            )
        )
    try:
        appeal = pipeline.appeal_decide(
            appeal=appeal,
            outcome=form.cleaned_data["outcome"],
            direction=form.cleaned_data["direction"],
            reasons=form.cleaned_data["reasons"],
            user=request.user,
        )
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error) or _("You may not record an appeal decision."))
    else:
        messages.success(
            request,
            _("%(reference)s is %(outcome)s: final.")
            % {"reference": appeal.reference, "outcome": appeal.get_outcome_display().lower()},
        )
    return _back(appeal)


def appeal_evidence_download(request, pk: int, kind: str, evidence_pk: int):
    """A file sent with the appeal or with its call, to those who may open the appeal."""
    try:
        appeal = visible_appeal(request, pk)
    except PermissionDenied:
        # A plain 403 rather than Wagtail's redirect to the dashboard: this is a file address.
        return plain_permission_denied(request, PermissionDenied())
    if kind == "appeal":
        evidence = get_object_or_404(AppealEvidence, pk=evidence_pk, appeal=appeal)
    elif kind == "call":
        evidence = get_object_or_404(CallEvidence, pk=evidence_pk, call_id=appeal.call_id)
    else:
        raise Http404
    return private_file_response(
        evidence.file,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )


def panel_size(appeal: Appeal) -> str:
    """How many sit on an appeal's panel, for a listing."""
    count = appeal.panel.count()
    return str(count) if count else "—"


class AppealViewSet(SnippetViewSet):
    """Appeals against the panel's decisions: they come from the public form only."""

    model = Appeal
    icon = "resubmit"
    menu_label = gettext_lazy("Appeals")
    # Appeal panel members see only the appeals they sit on; the chooser would list them all.
    chooser_viewset_class = chooser_for(permissions.VIEW_ALL_APPEALS)
    index_view_class = AppealIndexView
    inspect_view_class = AppealInspectView
    history_view_class = AppealHistoryView
    inspect_view_enabled = True
    inspect_template_name = "scrutiny/admin/appeal_inspect.html"
    copy_view_enabled = False
    ordering = "-received_at"
    index_template_name = "scrutiny/admin/listing_index.html"
    list_display = [
        "reference",
        Column(
            "call",
            label=gettext_lazy("Call"),
            accessor="call.reference",
            sort_key="call__reference",
        ),
        listings.StatusTagColumn(choices=AppealStatus),
        Column("outcome", label=gettext_lazy("Outcome"), accessor="get_outcome_display"),
        Column("panel", label=gettext_lazy("Panel"), accessor=panel_size),
        listings.DayColumn("received_at", label=gettext_lazy("Received")),
    ]
    list_filter = ["status", "outcome"]
    search_fields = ["reference", "call__reference"]
    search_backend_name = None

    def get_queryset(self, request):
        return selectors.appeals_visible_to(request.user)

    def get_urlpatterns(self):
        kept = {"list", "list_results", "inspect", "history", "history_results"}
        urlpatterns = [p for p in super().get_urlpatterns() if p.name in kept]
        return urlpatterns + [
            path("for-resident/", AppealForResidentView.as_view(), name="for_resident"),
            path("convene/<int:pk>/", appeal_convene, name="convene"),
            path("decide/<int:pk>/", appeal_decide, name="decide"),
            path(
                "evidence/<int:pk>/<str:kind>/<int:evidence_pk>/",
                appeal_evidence_download,
                name="evidence",
            ),
        ]


class InvolvementGroupViewSet(SnippetViewSet):
    """Involvement groups beside the panel, whose members may hear appeals."""

    model = InvolvementGroup
    icon = "group"
    menu_label = gettext_lazy("Involvement groups")
    chooser_viewset_class = chooser_for(permissions.VIEW_INVOLVEMENT_GROUPS)
    list_display = [
        "name",
        Column("members", label=gettext_lazy("Members"), accessor=lambda g: g.members.count()),
    ]
    search_fields = ["name", "description"]
    search_backend_name = None
    copy_view_enabled = False
