"""Admin for petitions and their signatures: only officers see signers' details or act on them."""

import csv
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.utils import pretty_name
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied as file_refused
from django.views.generic import FormView
from wagtail.admin.auth import permission_denied
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    Column,
    TitleColumn,
)
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from .. import permissions, pipeline, selectors
from ..models import (
    CallForScrutiny,
    Petition,
    PetitionSignature,
    PetitionStatus,
    ScrutinySettings,
)
from . import history as history_views
from . import listings
from .calls import _csv_safe
from .choosers import chooser_for

SIGNATURES_SHOWN = 200
BURST_SIZE = 3
BURST_WINDOW = timedelta(minutes=10)
CSV_MAX_BYTES = 2 * 1024 * 1024
EXPORT_HEADINGS = [
    gettext_lazy("Name"),
    gettext_lazy("Email"),
    gettext_lazy("Postcode"),
    gettext_lazy("Address"),
    gettext_lazy("Method"),
    gettext_lazy("Created"),
    gettext_lazy("Confirmed"),
    gettext_lazy("Withdrawn"),
    gettext_lazy("Invalidated"),
    gettext_lazy("Reason"),
]


def url_for(name: str, *args) -> str:
    """The address of one of the petition viewset's views."""
    return reverse(Petition.snippet_viewset.get_url_name(name), args=args)


def call_url(call_pk: int) -> str:
    """The address of a call's full record."""
    return reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[call_pk])


def signing_bursts(petition: Petition) -> list[dict]:
    """Network addresses that signed BURST_SIZE or more times within any BURST_WINDOW.

    For each address, its signatures' times are walked in order with a sliding window: the
    busiest window is the largest number that fall within ten minutes of the first of them.
    Every signature from the address counts, invalidated or withdrawn ones too, since a burst
    is a pattern to look at, not a count. Addresses are listed busiest first.
    """
    rows = (
        petition.signatures.exclude(ip_address__isnull=True)
        .order_by("ip_address", "created_at")
        .values_list("ip_address", "created_at")
    )
    times: dict[str, list] = {}
    for address, created_at in rows:
        times.setdefault(address, []).append(created_at)
    bursts = []
    for address, moments in times.items():
        busiest, busiest_start, start = 0, None, 0
        for end, moment in enumerate(moments):
            while moment - moments[start] > BURST_WINDOW:
                start += 1
            if end - start + 1 > busiest:
                busiest, busiest_start = end - start + 1, moments[start]
        if busiest >= BURST_SIZE:
            bursts.append(
                {
                    "ip_address": address,
                    "total": len(moments),
                    "first": moments[0],
                    "last": moments[-1],
                    "busiest": busiest,
                    "busiest_from": busiest_start,
                    "busiest_until": busiest_start + BURST_WINDOW,
                }
            )
    return sorted(bursts, key=lambda burst: (-burst["busiest"], burst["ip_address"]))


# Forms: each parses one action's input; the pipeline decides whether it is allowed.


class PetitionOpenForm(forms.Form):
    """What an officer writes when opening a petition for a call."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Shown on the public petition page. Describe the problem; never give the resident's "
            "name, address or contact details."
        ),
    )
    closes_on = forms.DateField(label=gettext_lazy("Closing date"), widget=AdminDateInput)
    target = forms.IntegerField(label=gettext_lazy("Target (signatures)"), min_value=1)
    target_change_reason = forms.CharField(
        label=gettext_lazy("Reason for a different target"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Needed only if the target is not the one the rule suggests."),
    )


class TargetForm(forms.Form):
    """A new target for a petition, with the reason recorded."""

    target = forms.IntegerField(label=gettext_lazy("New target"), min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )


class PaperSignatureForm(forms.Form):
    """One signature from a paper sheet."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    postcode = forms.CharField(label=gettext_lazy("Postcode"), max_length=10)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=255, required=False)
    email = forms.EmailField(
        label=gettext_lazy("Email"), required=False, help_text=gettext_lazy("Optional.")
    )
    tell_outcome = forms.BooleanField(
        label=gettext_lazy("Asked to be told the outcome"),
        required=False,
        help_text=gettext_lazy(
            "By email, or by letter to the address above when no email is given."
        ),
    )


class SheetUploadForm(forms.Form):
    """A CSV sheet of paper signatures."""

    sheet = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Columns: name, postcode, and optionally address and email. "
            "If any row has a mistake, nothing is added."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class InvalidateForm(forms.Form):
    """Which signatures to invalidate, and why."""

    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255)
    email_domain = forms.CharField(
        label=gettext_lazy("Email domain"),
        required=False,
        help_text=gettext_lazy("For example example.com."),
    )
    address = forms.CharField(label=gettext_lazy("Address contains"), required=False)
    ip_address = forms.GenericIPAddressField(
        label=gettext_lazy("Network address"),
        required=False,
        help_text=gettext_lazy("For example one from the bursts table."),
    )
    since = forms.DateTimeField(
        label=gettext_lazy("Signed from"), required=False, widget=AdminDateTimeInput
    )
    until = forms.DateTimeField(
        label=gettext_lazy("Signed until"), required=False, widget=AdminDateTimeInput
    )


def _form_errors(request, form: forms.Form) -> None:
    """Each of a form's errors as an error message, with the field's label."""
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = (field.label or pretty_name(name)) if field is not None else ""
        for error in errors:
            messages.error(
                request,
                _("%(label)s: %(error)s") % {"label": label, "error": error} if label else error,
            )


# The views of the viewset.


class PetitionIndexView(snippet_views.IndexView):
    """The petitions listing, each with its signatures counted in the same query."""

    def get_add_url(self):
        # Petitions are opened from a call, never added here.
        return None

    @cached_property
    def columns(self):
        # Petitions have no bulk actions: they are kept, not deleted.
        return [
            column
            for column in super().columns
            if not isinstance(column, BulkActionsCheckboxColumn)
        ]

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        column_class = self._get_title_column_class(column_class)
        return self._get_custom_column(
            field_name, column_class, get_url=self.get_inspect_url, **kwargs
        )


def signatures_progress(petition: Petition) -> str:
    """Signatures counted against the target, for a listing."""
    return f"{petition.signature_count} / {petition.target}"


class PetitionInspectView(snippet_views.InspectView):
    """A petition's progress; for officers also its signatures, bursts and actions."""

    def get_object(self, queryset=None):
        return get_object_or_404(
            selectors.petitions_with_counts().select_related("call__business_area", "opened_by"),
            pk=self.pk,
        )

    def get_fields(self):
        # The template lays the petition out itself.
        return []

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if permissions.may_see_signers(self.request.user):
            buttons.append(
                Button(
                    _("Export signatures"),
                    url=url_for("signatures_csv", self.object.pk),
                    icon_name="download",
                    priority=30,
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        petition = self.object
        user = self.request.user
        show_signers = permissions.may_see_signers(user)
        is_closed = petition.status == PetitionStatus.CLOSED
        context.update(
            {
                "petition": petition,
                "progress": selectors.progress_of(petition.signature_count, petition.target),
                "call": petition.call,
                "call_url": call_url(petition.call_id),
                "show_call_link": permissions.may_view_calls(user),
                "show_signers": show_signers,
                "can_change": not is_closed and permissions.may_change_petitions(user),
                "can_add": not is_closed and permissions.may_add_paper_signatures(user),
                "can_invalidate": permissions.may_invalidate_signatures(user),
                "target_url": url_for("target", petition.pk),
                "paper_url": url_for("paper", petition.pk),
                "import_url": url_for("import", petition.pk),
                "invalidate_url": url_for("invalidate", petition.pk),
                "close_url": url_for("close", petition.pk),
                "export_url": url_for("signatures_csv", petition.pk),
            }
        )
        if show_signers:
            signatures = petition.signatures.order_by("-created_at", "-pk")
            target_form = TargetForm(initial={"target": petition.target}, auto_id="id_target_%s")
            invalidate_form = InvalidateForm(auto_id="id_invalidate_%s")
            context.update(
                {
                    "signatures": signatures[:SIGNATURES_SHOWN],
                    "signature_total": signatures.count(),
                    "signatures_shown": SIGNATURES_SHOWN,
                    "bursts": signing_bursts(petition),
                    "burst_size": BURST_SIZE,
                    "burst_minutes": int(BURST_WINDOW.total_seconds() // 60),
                    "target_form": target_form,
                    "paper_form": PaperSignatureForm(auto_id="id_paper_%s"),
                    "sheet_form": SheetUploadForm(auto_id="id_sheet_%s"),
                    "invalidate_form": invalidate_form,
                    "media": context.get("media", forms.Media()) + invalidate_form.media,
                }
            )
        return context


class PetitionOpenView(WagtailAdminTemplateMixin, FormView):
    """An officer opens the petition for a call in triage or gathering evidence."""

    template_name = "scrutiny/admin/petition_open.html"
    form_class = PetitionOpenForm
    header_icon = "group"

    def dispatch(self, request, call_pk: int):
        if not permissions.may_open_petitions(request.user):
            return permission_denied(request)
        self.call = get_object_or_404(
            CallForScrutiny.objects.select_related("business_area"), pk=call_pk
        )
        existing = Petition.objects.filter(call=self.call).first()
        if existing is not None:
            messages.error(
                request,
                _("%(reference)s already has a petition.") % {"reference": self.call.reference},
            )
            return redirect(url_for("inspect", existing.pk))
        self.suggested, self.rule = pipeline.petition_target_for(
            households=self.call.households_affected
        )
        return super().dispatch(request, call_pk=call_pk)

    def get_page_title(self):
        return _("Open a petition for %(reference)s") % {"reference": self.call.reference}

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": url_for("list"), "label": _("Petitions")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_initial(self):
        days = ScrutinySettings.load().petition_days_open
        return {
            "closes_on": timezone.localdate() + timedelta(days=days),
            "target": self.suggested,
        }

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["target"].help_text = _("Suggested: %(target)s. %(rule)s") % {
            "target": self.suggested,
            "rule": self.rule,
        }
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(
            {
                "call": self.call,
                "call_url": call_url(self.call.pk),
                "suggested": self.suggested,
                "rule": self.rule,
                "action_url": self.request.path,
                "submit_button_label": _("Open the petition"),
                "submit_button_active_label": _("Opening…"),
                "media": form.media,
            }
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            petition = pipeline.petition_open(
                call=self.call,
                user=self.request.user,
                title=data["title"],
                summary=data["summary"],
                closes_on=data["closes_on"],
                target=data["target"],
                target_change_reason=data["target_change_reason"],
            )
        except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "The petition for %(reference)s is open, with a target of %(target)s signature.",
                "The petition for %(reference)s is open, with a target of %(target)s signatures.",
                petition.target,
            )
            % {"reference": self.call.reference, "target": petition.target},
        )
        return redirect(url_for("inspect", petition.pk))


def _viewable_petition(request, pk: int) -> Petition:
    """The petition, if this user may see petitions at all (Wagtail turns others away)."""
    if not permissions.may_view_petitions(request.user):
        raise PermissionDenied
    return get_object_or_404(Petition, pk=pk)


def _back(petition: Petition):
    return redirect(url_for("inspect", petition.pk))


@require_POST
def petition_change_target(request, pk: int):
    """Change a petition's target, with the reason."""
    petition = _viewable_petition(request, pk)
    form = TargetForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(petition)
    try:
        petition = pipeline.petition_change_target(
            petition=petition,
            target=form.cleaned_data["target"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "The target is now %(target)s signature.",
                "The target is now %(target)s signatures.",
                petition.target,
            )
            % {"target": petition.target},
        )
    return _back(petition)


@require_POST
def petition_add_paper(request, pk: int):
    """Enter one signature collected on paper."""
    petition = _viewable_petition(request, pk)
    form = PaperSignatureForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(petition)
    try:
        signature = pipeline.signature_add_paper(
            petition=petition, user=request.user, **form.cleaned_data
        )
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The paper signature of %(name)s is added.") % {"name": signature.name}
        )
    return _back(petition)


@require_POST
def petition_import_sheet(request, pk: int):
    """Add the paper signatures in a CSV sheet; a sheet with any mistake adds nothing."""
    petition = _viewable_petition(request, pk)
    form = SheetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(petition)
    sheet = form.cleaned_data["sheet"]
    if sheet.size > CSV_MAX_BYTES:
        messages.error(request, _("The file is too large: split the sheet into files under 2 MB."))
        return _back(petition)
    try:
        report = pipeline.signatures_import_csv(
            petition=petition, data=sheet.read(), user=request.user
        )
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
        return _back(petition)
    if report.errors:
        messages.error(
            request, _("Nothing was added. Correct these rows and upload the file again.")
        )
        for error in report.errors:
            messages.error(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s paper signature added from %(file)s.",
                "%(count)s paper signatures added from %(file)s.",
                report.added,
            )
            % {"count": report.added, "file": sheet.name},
        )
    return _back(petition)


@require_POST
def petition_invalidate(request, pk: int):
    """Invalidate the signatures that match an email domain, an address or a time window."""
    petition = _viewable_petition(request, pk)
    form = InvalidateForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(petition)
    try:
        count = pipeline.signatures_invalidate(
            petition=petition, user=request.user, **form.cleaned_data
        )
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext("%(count)s signature invalidated.", "%(count)s signatures invalidated.", count)
            % {"count": count},
        )
    return _back(petition)


@require_POST
def petition_close(request, pk: int):
    """Close a petition before its closing date."""
    petition = _viewable_petition(request, pk)
    try:
        pipeline.petition_close(petition=petition, user=request.user)
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The petition “%(petition)s” is closed.") % {"petition": petition}
        )
    return _back(petition)


class _Echo:
    """A file-like object that hands back what is written, for streaming a CSV."""

    def write(self, value):
        return value


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def petition_signatures_csv(request, pk: int):
    """Every signature on a petition as a CSV file, for officers only."""
    if not permissions.may_see_signers(request.user):
        # A plain 403 rather than Wagtail's redirect to the dashboard: this is a file address.
        return file_refused(request, PermissionDenied())
    petition = get_object_or_404(Petition, pk=pk)
    signatures = PetitionSignature.objects.filter(petition=petition).order_by("created_at", "pk")
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow([str(heading) for heading in EXPORT_HEADINGS])
        for signature in signatures.iterator():
            yield writer.writerow(
                [
                    _csv_safe(signature.name),
                    _csv_safe(signature.email),
                    _csv_safe(signature.postcode),
                    _csv_safe(signature.address),
                    signature.get_method_display(),
                    _moment(signature.created_at),
                    _moment(signature.confirmed_at),
                    _moment(signature.withdrawn_at),
                    _moment(signature.invalidated_at),
                    _csv_safe(signature.invalidation_reason),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="petition-{petition.slug}-signatures.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


class PetitionHistoryView(history_views.TimelineHistoryMixin, snippet_views.HistoryView):
    """The petition's one timeline, in place of Wagtail's raw log."""


class PetitionViewSet(SnippetViewSet):
    """Petitions backing calls: opened from a call, edited only in their wording and dates."""

    model = Petition
    history_view_class = PetitionHistoryView
    icon = "group"
    menu_label = gettext_lazy("Petitions")
    chooser_viewset_class = chooser_for(permissions.VIEW_PETITIONS)
    index_view_class = PetitionIndexView
    inspect_view_class = PetitionInspectView
    inspect_view_enabled = True
    inspect_template_name = "scrutiny/admin/petition_inspect.html"
    copy_view_enabled = False
    # The target changes only through its action, so that the reason is recorded.
    panels = [
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldPanel("published"),
        FieldPanel("closes_on"),
    ]
    ordering = "-opened_at"
    index_template_name = "scrutiny/admin/listing_index.html"
    list_display = [
        "title",
        Column(
            "call",
            label=gettext_lazy("Call"),
            accessor="call.reference",
            sort_key="call__reference",
        ),
        listings.StatusTagColumn(choices=PetitionStatus),
        listings.YesNoColumn("published", label=gettext_lazy("Published")),
        Column(
            "signature_count",
            label=gettext_lazy("Signatures / target"),
            accessor=signatures_progress,
            sort_key="signature_count",
        ),
        listings.DayColumn("closes_on", label=gettext_lazy("Closes on")),
    ]
    list_filter = ["status", "published"]
    search_fields = ["title", "call__reference"]
    # Plain lookups, so that part of a call's reference finds its petition.
    search_backend_name = None

    def get_queryset(self, request):
        return selectors.petitions_with_counts().select_related("call")

    def get_urlpatterns(self):
        urlpatterns = [pattern for pattern in super().get_urlpatterns() if pattern.name != "add"]
        return urlpatterns + [
            path("open/<int:call_pk>/", PetitionOpenView.as_view(), name="open"),
            path("target/<int:pk>/", petition_change_target, name="target"),
            path("paper/<int:pk>/", petition_add_paper, name="paper"),
            path("import/<int:pk>/", petition_import_sheet, name="import"),
            path("invalidate/<int:pk>/", petition_invalidate, name="invalidate"),
            path("close/<int:pk>/", petition_close, name="close"),
            path("signatures/<int:pk>/csv/", petition_signatures_csv, name="signatures_csv"),
        ]
