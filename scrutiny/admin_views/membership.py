"""Admin for applications to join the panel, members and their expense claims.

Applications and members are for scrutiny officers. A panel member sees and adds only their own
expense claims; officers see every claim and approve or reject them.
"""

import csv

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied as file_refused
from wagtail.admin.auth import permission_denied
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.widgets import AdminDateInput, HeaderButton
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from .. import permissions, pipeline, selectors, timeline
from ..financial_years import financial_year_of
from ..membership_forms import ExpenseClaimForm
from ..models import (
    ApplicationStage,
    ExpenseClaim,
    ExpenseStatus,
    MemberRole,
    PanelApplication,
    PanelMember,
    ScrutinySettings,
    TimeEntry,
    TrainingSession,
)
from ..private_files import private_file_response
from . import history as history_views
from .calls import _csv_safe
from .choosers import chooser_for
from .forms import AdminFormView
from .on_behalf import ApplicationForResidentView


def application_url(name: str, *args) -> str:
    """The address of one of the application viewset's views."""
    return reverse(PanelApplication.snippet_viewset.get_url_name(name), args=args)


def member_url(name: str, *args) -> str:
    """The address of one of the member viewset's views."""
    return reverse(PanelMember.snippet_viewset.get_url_name(name), args=args)


def claim_url(name: str, *args) -> str:
    """The address of one of the expense claim viewset's views."""
    return reverse(ExpenseClaim.snippet_viewset.get_url_name(name), args=args)


class InspectTitleIndexMixin:
    """A listing whose titles open the record's page, with no bulk actions."""

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        column_class = self._get_title_column_class(column_class)
        return self._get_custom_column(
            field_name, column_class, get_url=self.get_inspect_url, **kwargs
        )

    @cached_property
    def columns(self):
        from wagtail.admin.ui.tables import BulkActionsCheckboxColumn

        return [c for c in super().columns if not isinstance(c, BulkActionsCheckboxColumn)]

    def get_add_url(self):
        return None


# Applications.


MOVE_LABELS = {
    ApplicationStage.SHORTLISTED: gettext_lazy("Shortlist"),
    ApplicationStage.INTERVIEWED: gettext_lazy("Mark as interviewed"),
    ApplicationStage.DECLINED: gettext_lazy("Decline"),
}


class ApplicationMoveForm(forms.Form):
    """Move an application on, with an optional note."""

    stage = forms.ChoiceField(choices=ApplicationStage.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AppointForm(forms.Form):
    """Appoint an interviewed applicant."""

    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER
    )
    started_on = forms.DateField(label=gettext_lazy("Start date"), widget=AdminDateInput)


class ApplicationIndexView(InspectTitleIndexMixin, snippet_views.IndexView):
    """Applications, newest first: from the public form, or entered by an officer."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if permissions.may_manage_applications(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Enter an application for a resident"),
                    url=application_url("enter"),
                    icon_name="mail",
                )
            )
        return buttons


class ApplicationInspectView(snippet_views.InspectView):
    """An application, its stage and history, and the officer's actions."""

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        can_manage = permissions.may_manage_applications(self.request.user)
        moves = [
            (stage, MOVE_LABELS[stage])
            for stage in pipeline.application_moves_available(application)
            if stage != ApplicationStage.APPOINTED
        ]
        context.update(
            {
                "application": application,
                "can_manage": can_manage,
                "moves": moves,
                "can_appoint": can_manage
                and application.stage == ApplicationStage.INTERVIEWED
                and not application.member_id,
                "appoint_form": AppointForm(
                    initial={"started_on": timezone.localdate()}, auto_id="id_appoint_%s"
                ),
                "move_url": application_url("move", application.pk),
                "note_url": application_url("note", application.pk),
                "appoint_url": application_url("appoint", application.pk),
                "member_url": member_url("inspect", application.member_id)
                if application.member_id
                else "",
                "changes": timeline.record_timeline(application, user=self.request.user),
                "history_url": history_views.history_url_for(application, self.request.user),
            }
        )
        return context


def _managed_application(request, pk: int) -> PanelApplication:
    if not permissions.may_manage_applications(request.user):
        raise PermissionDenied
    return get_object_or_404(PanelApplication, pk=pk)


@require_POST
def application_move(request, pk: int):
    """Move an application to its next stage."""
    application = _managed_application(request, pk)
    form = ApplicationMoveForm(request.POST)
    if form.is_valid():
        try:
            application = pipeline.application_move(
                application=application,
                stage=form.cleaned_data["stage"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(name)s's application is now %(stage)s.")
                % {"name": application.name, "stage": application.get_stage_display().lower()},
            )
    else:
        messages.error(request, _("Choose a stage."))
    return redirect(application_url("inspect", application.pk))


@require_POST
def application_note(request, pk: int):
    """Add a note to an application."""
    application = _managed_application(request, pk)
    try:
        pipeline.application_add_note(
            application=application, user=request.user, note=request.POST.get("note", "")
        )
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Note added."))
    return redirect(application_url("inspect", application.pk))


@require_POST
def application_appoint(request, pk: int):
    """Appoint the applicant: their account, their member record, the set-password email."""
    application = _managed_application(request, pk)
    form = AppointForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role and a start date."))
        return redirect(application_url("inspect", application.pk))
    try:
        member = pipeline.application_appoint(
            application=application,
            user=request.user,
            role=form.cleaned_data["role"],
            started_on=form.cleaned_data["started_on"],
        )
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
        return redirect(application_url("inspect", application.pk))
    messages.success(
        request,
        _(
            "%(name)s is appointed. Their username is %(username)s; they have been emailed a "
            "link to set their password."
        )
        % {"name": application.name, "username": member.user.get_username()},
    )
    return redirect(member_url("inspect", member.pk))


class PanelApplicationViewSet(SnippetViewSet):
    """Applications to join the panel, moved through their stages by officers."""

    model = PanelApplication
    icon = "user"
    menu_label = gettext_lazy("Applications to join")
    chooser_viewset_class = chooser_for(permissions.VIEW_APPLICATIONS)
    index_view_class = ApplicationIndexView
    inspect_view_class = ApplicationInspectView
    inspect_view_enabled = True
    inspect_template_name = "scrutiny/admin/application_inspect.html"
    copy_view_enabled = False
    ordering = "-submitted_at"
    list_display = [
        "name",
        StatusTagColumn(
            "get_stage_display",
            label=gettext_lazy("Stage"),
            sort_key="stage",
            primary=lambda application: application.stage == ApplicationStage.RECEIVED,
        ),
        Column("tenure", label=gettext_lazy("Tenure"), accessor="get_tenure_display"),
        Column(
            "payment_choice", label=gettext_lazy("Payment"), accessor="get_payment_choice_display"
        ),
        DateColumn("submitted_at", label=gettext_lazy("Received"), sort_key="submitted_at"),
    ]
    list_filter = ["stage"]
    search_fields = ["name", "email"]
    search_backend_name = None

    @property
    def edit_view(self):
        return lambda request, pk: redirect(application_url("inspect", pk))

    def get_urlpatterns(self):
        urlpatterns = [pattern for pattern in super().get_urlpatterns() if pattern.name != "add"]
        return urlpatterns + [
            path("enter/", ApplicationForResidentView.as_view(), name="enter"),
            path("move/<int:pk>/", application_move, name="move"),
            path("note/<int:pk>/", application_note, name="note"),
            path("appoint/<int:pk>/", application_appoint, name="appoint"),
        ]


# Members.


class MemberInspectView(snippet_views.InspectView):
    """A member's record and their commitments in a financial year."""

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = self.object
        current = financial_year_of(timezone.localdate())
        try:
            year = int(self.request.GET.get("year", current))
        except ValueError:
            year = current
        context.update(
            {
                "member": member,
                "commitments": selectors.member_commitments(member, year=year),
                "year": year,
                "previous_year": year - 1,
                "next_year": year + 1 if year < current else None,
                "claims": member.expense_claims.order_by("-spent_on")[:20],
                "claim_inspect_name": ExpenseClaim.snippet_viewset.get_url_name("inspect"),
                "places": member.training.select_related("session")[:20],
                "session_inspect_name": TrainingSession.snippet_viewset.get_url_name("inspect"),
                "time_entries": member.time_entries.select_related("review")[:20],
                "time_inspect_name": TimeEntry.snippet_viewset.get_url_name("inspect"),
                "hours_per_day": ScrutinySettings.load().hours_per_day,
            }
        )
        return context


class MemberIndexView(InspectTitleIndexMixin, snippet_views.IndexView):
    """Members, each opening their commitments."""


class PanelMemberViewSet(SnippetViewSet):
    """Panel members: made by appointing an applicant; officers edit role, dates and payment."""

    model = PanelMember
    icon = "group"
    menu_label = gettext_lazy("Panel members")
    chooser_viewset_class = chooser_for(permissions.VIEW_MEMBERS)
    index_view_class = MemberIndexView
    inspect_view_class = MemberInspectView
    inspect_view_enabled = True
    inspect_template_name = "scrutiny/admin/member_inspect.html"
    copy_view_enabled = False
    panels = [
        FieldPanel("role"),
        FieldPanel("payment_choice"),
        FieldPanel("started_on"),
        FieldPanel("ended_on"),
    ]
    list_display = [
        "__str__",
        Column("role", label=gettext_lazy("Role"), accessor="get_role_display"),
        Column(
            "payment_choice", label=gettext_lazy("Payment"), accessor="get_payment_choice_display"
        ),
        Column("started_on", label=gettext_lazy("Started"), sort_key="started_on"),
        Column("ended_on", label=gettext_lazy("Ended")),
    ]
    list_filter = ["role", "payment_choice"]

    def get_queryset(self, request):
        return PanelMember.objects.select_related("user")

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "add"]


# Expense claims.


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class OwnClaimsMixin:
    """Only claims this user may see: any view of one claim answers 404 for another's."""

    def get_base_object_queryset(self):
        return selectors.claims_visible_to(self.request.user)

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.claims_visible_to(self.request.user), pk=self.pk)


class ClaimIndexView(InspectTitleIndexMixin, snippet_views.IndexView):
    """Claims: all for officers, one's own for a member."""

    def get_base_queryset(self):
        return selectors.claims_visible_to(self.request.user)

    def get_add_url(self):
        return claim_url("add") if permissions.may_claim_expenses(self.request.user) else None

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if permissions.may_decide_expenses(self.request.user):
            year = financial_year_of(timezone.localdate())
            buttons.append(
                Button(
                    _("Payments and expenses %(year)s (CSV)")
                    % {"year": f"{year}/{str(year + 1)[-2:]}"},
                    url=claim_url("payments_csv", year),
                    icon_name="download",
                    priority=30,
                )
            )
        return buttons


class ClaimInspectView(OwnClaimsMixin, snippet_views.InspectView):
    """One claim with its receipt; officers approve or reject a waiting one."""

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claim = self.object
        context.update(
            {
                "claim": claim,
                "can_decide": permissions.may_decide_expenses(self.request.user)
                and claim.status == ExpenseStatus.SUBMITTED
                and claim.member.user_id != self.request.user.pk,
                "decide_url": claim_url("decide", claim.pk),
                "receipt_url": claim_url("receipt", claim.pk),
                "reject_form": RejectForm(auto_id="id_reject_%s"),
            }
        )
        return context


class ClaimHistoryView(OwnClaimsMixin, snippet_views.HistoryView):
    pass


class ClaimUsageView(OwnClaimsMixin, snippet_views.UsageView):
    pass


class ClaimCreateView(AdminFormView):
    """A member claims expenses: date, what for, amount and receipt."""

    form_class = ExpenseClaimForm
    header_icon = "form"
    page_title = gettext_lazy("Claim expenses")
    submit_button_label = gettext_lazy("Send the claim")
    invalid_message = gettext_lazy("The claim could not be sent. Check the messages below.")
    date_fields = ("spent_on",)

    def may_open(self, user) -> bool:
        return permissions.may_claim_expenses(user) and hasattr(user, "panel_member")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"list_url": claim_url("list")}

    def submit(self, data):
        claim = pipeline.expense_submit(user=self.request.user, **data)
        messages.success(
            self.request,
            _("Your claim for £%(amount)s is sent for approval.") % {"amount": claim.amount},
        )
        return redirect(claim_url("inspect", claim.pk))


@require_POST
def claim_decide(request, pk: int):
    """Approve a claim, or reject it with a reason."""
    if not permissions.may_decide_expenses(request.user):
        return permission_denied(request)
    claim = get_object_or_404(ExpenseClaim, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        pipeline.expense_decide(
            claim=claim, user=request.user, approve=approve, reason=request.POST.get("reason", "")
        )
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Claim approved.") if approve else _("Claim rejected."))
    return redirect(claim_url("inspect", claim.pk))


def claim_receipt(request, pk: int):
    """The receipt, to the claimant and to officers only; never from a public address."""
    claim = selectors.claims_visible_to(request.user).filter(pk=pk).first()
    if claim is None:
        return file_refused(request, PermissionDenied())
    try:
        return private_file_response(claim.receipt, filename=claim.receipt_name or "receipt")
    except Http404:
        messages.error(request, _("The receipt file is missing from the private store."))
        return redirect(claim_url("inspect", claim.pk))


def payments_csv(request, year: int):
    """Each member's payment and approved expenses in a financial year, as CSV."""
    if not permissions.may_decide_expenses(request.user):
        return file_refused(request, PermissionDenied())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="panel-payments-{year}-{str(year + 1)[-2:]}.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(
        [_("Member"), _("Username"), _("Payment choice"), _("Payment"), _("Expenses"), _("Total")]
    )
    for row in selectors.payments_and_expenses(year):
        writer.writerow(
            [
                _csv_safe(row["member"]),
                _csv_safe(row["username"]),
                row["payment_choice"],
                f"{row['payment']:.2f}",
                f"{row['expenses']:.2f}",
                f"{row['total']:.2f}",
            ]
        )
    return response


def claim_member_name(claim: ExpenseClaim) -> str:
    return str(claim.member)


class ExpenseClaimViewSet(SnippetViewSet):
    """Expense claims: members add their own, officers approve or reject them."""

    model = ExpenseClaim
    icon = "tasks"
    menu_label = gettext_lazy("Expense claims")
    # Members see only their own claims; the chooser would list everyone's.
    chooser_viewset_class = chooser_for(permissions.DECIDE_EXPENSES)
    index_view_class = ClaimIndexView
    inspect_view_class = ClaimInspectView
    history_view_class = ClaimHistoryView
    usage_view_class = ClaimUsageView
    inspect_view_enabled = True
    inspect_template_name = "scrutiny/admin/expense_claim_inspect.html"
    copy_view_enabled = False
    list_display = [
        "description",
        Column("member", label=gettext_lazy("Member"), accessor=claim_member_name),
        Column("spent_on", label=gettext_lazy("Date"), sort_key="spent_on"),
        Column("amount", label=gettext_lazy("Amount (£)"), sort_key="amount"),
        StatusTagColumn(
            "get_status_display",
            label=gettext_lazy("Status"),
            sort_key="status",
            primary=lambda claim: claim.status == ExpenseStatus.SUBMITTED,
        ),
    ]
    list_filter = ["status"]

    @property
    def edit_view(self):
        return lambda request, pk: redirect(claim_url("inspect", pk))

    @property
    def add_view(self):
        return ClaimCreateView.as_view()

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("decide/<int:pk>/", claim_decide, name="decide"),
            path("receipt/<int:pk>/", claim_receipt, name="receipt"),
            path("payments/<int:year>/csv/", payments_csv, name="payments_csv"),
        ]
