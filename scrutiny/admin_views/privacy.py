"""Personal data: an officer finds what is held about an email address, exports it, erases it.

The address travels only in POST bodies, never in a URL, so it stays out of server logs and
browser history; the export's file name does not contain it either.
"""

import json

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from .. import permissions, pipeline
from ..models import PrivacyAction

COUNT_LABELS = {
    "calls": ("call", "calls"),
    "call_notes": ("officer's note on a call", "officers' notes on calls"),
    "appeals": ("appeal", "appeals"),
    "files_deleted": ("uploaded file deleted", "uploaded files deleted"),
    "applications": ("application to join the panel", "applications to join the panel"),
    "petitions": ("closed petition", "closed petitions"),
    "signatures": ("petition signature", "petition signatures"),
    "history_rows": ("history row", "history rows"),
    "revisions": ("revision of a call", "revisions of calls"),
    "log_entries": ("log entry", "log entries"),
    "emails_sent": ("message in the outbox", "messages in the outbox"),
    "members": ("panel membership", "panel memberships"),
    "expense_claims": ("expense claim", "expense claims"),
}


def describe_counts(counts: dict[str, int]) -> str:
    """'2 calls, 14 history rows' for the counts that are not zero."""
    parts = []
    for kind, count in counts.items():
        if count:
            one, many = COUNT_LABELS.get(kind, (kind, kind))
            parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts) or "nothing"


class SubjectForm(forms.Form):
    """The email address a person gave us."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Every record with this address is found, whatever its capitals.",
        error_messages={
            "required": "Enter the email address the person gave us.",
            "invalid": "Enter an email address in the right form, like name@example.org.",
        },
    )


class PersonalDataView(WagtailAdminTemplateMixin, TemplateView):
    """Look up an email address; shows what is held and offers the export and the erasure."""

    template_name = "scrutiny/admin/privacy_index.html"
    header_icon = "user"
    page_title = "Personal data"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_handle_personal_data(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def post(self, request, *args, **kwargs):
        form = SubjectForm(request.POST)
        records = None
        if form.is_valid():
            records = pipeline.subject_records(email=form.cleaned_data["email"], user=request.user)
        return self.render_to_response(self.get_context_data(form=form, records=records))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", SubjectForm())
        context.setdefault("records", None)
        recent = list(PrivacyAction.objects.select_related("user")[:10])
        for action in recent:
            action.summary = describe_counts(action.counts)
        context.update(
            {
                "recent_actions": recent,
                "find_url": reverse("scrutiny_personal_data:index"),
                "export_url": reverse("scrutiny_personal_data:export"),
                "erase_url": reverse("scrutiny_personal_data:erase"),
            }
        )
        return context


def _refuse_bad_address(request, form) -> HttpResponse:
    view = PersonalDataView()
    view.setup(request)
    return view.render_to_response(view.get_context_data(form=form))


@require_POST
def personal_data_export(request):
    """Download everything held about the address as one JSON file."""
    if not permissions.may_handle_personal_data(request.user):
        return permission_denied(request)
    form = SubjectForm(request.POST)
    if not form.is_valid():
        return _refuse_bad_address(request, form)
    document = pipeline.subject_export(email=form.cleaned_data["email"], user=request.user)
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"personal-data-{timezone.localtime():%Y-%m-%d-%H%M}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def personal_data_erase(request):
    """First show what will be erased; erase only when the officer confirms."""
    if not permissions.may_handle_personal_data(request.user):
        return permission_denied(request)
    form = SubjectForm(request.POST)
    if not form.is_valid():
        return _refuse_bad_address(request, form)
    email = form.cleaned_data["email"]
    if request.POST.get("confirm") != "yes":
        view = PersonalDataView()
        view.setup(request)
        view.template_name = "scrutiny/admin/privacy_confirm_erase.html"
        view.page_title = "Erase personal data"
        records = pipeline.subject_records(email=email, user=request.user)
        return view.render_to_response(view.get_context_data(form=form, records=records))
    action = pipeline.subject_erase(email=email, user=request.user)
    if action is None:
        messages.info(request, "Nothing was held about that address; nothing was erased.")
    else:
        messages.success(
            request,
            f"Erased: {describe_counts(action.counts)}. The erasure is recorded without the "
            "address.",
        )
    return redirect("scrutiny_personal_data:index")


class PersonalDataMenuItem(MenuItem):
    """Shown to those who may export and erase."""

    def is_shown(self, request):
        return permissions.may_handle_personal_data(request.user)


class PersonalDataViewSet(ViewSet):
    """The subject access export and erasure screen."""

    name = "scrutiny_personal_data"
    url_prefix = "scrutiny/personal-data"
    icon = "user"
    menu_label = "Personal data"
    menu_item_class = PersonalDataMenuItem

    def get_urlpatterns(self):
        return [
            path("", PersonalDataView.as_view(), name="index"),
            path("export/", personal_data_export, name="export"),
            path("erase/", personal_data_erase, name="erase"),
        ]
