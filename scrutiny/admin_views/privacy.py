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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from .. import permissions, pipeline
from ..models import PrivacyAction

# How many of each kind of record an anonymisation, erasure or export touched; "count" is the
# number that chooses the plural.
COUNT_LABELS = {
    "calls": ngettext_lazy("%(count)s call", "%(count)s calls", "count"),
    "call_notes": ngettext_lazy(
        "%(count)s officer's note on a call", "%(count)s officers' notes on calls", "count"
    ),
    "appeals": ngettext_lazy("%(count)s appeal", "%(count)s appeals", "count"),
    "files_deleted": ngettext_lazy(
        "%(count)s uploaded file deleted", "%(count)s uploaded files deleted", "count"
    ),
    "applications": ngettext_lazy(
        "%(count)s application to join the panel",
        "%(count)s applications to join the panel",
        "count",
    ),
    "petitions": ngettext_lazy("%(count)s closed petition", "%(count)s closed petitions", "count"),
    "signatures": ngettext_lazy(
        "%(count)s petition signature", "%(count)s petition signatures", "count"
    ),
    "history_rows": ngettext_lazy("%(count)s history row", "%(count)s history rows", "count"),
    "revisions": ngettext_lazy(
        "%(count)s revision of a call", "%(count)s revisions of calls", "count"
    ),
    "log_entries": ngettext_lazy("%(count)s log entry", "%(count)s log entries", "count"),
    "emails_sent": ngettext_lazy(
        "%(count)s message in the outbox", "%(count)s messages in the outbox", "count"
    ),
    "members": ngettext_lazy("%(count)s panel membership", "%(count)s panel memberships", "count"),
    "expense_claims": ngettext_lazy("%(count)s expense claim", "%(count)s expense claims", "count"),
}


def describe_counts(counts: dict[str, int]) -> str:
    """'2 calls, 14 history rows' for the counts that are not zero."""
    parts = []
    for kind, count in counts.items():
        if count:
            label = COUNT_LABELS.get(kind)
            parts.append(label % {"count": count} if label is not None else f"{count} {kind}")
    return ", ".join(parts) or _("nothing")


class SubjectForm(forms.Form):
    """The email address a person gave us."""

    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        max_length=254,
        help_text=gettext_lazy("Every record with this address is found, whatever its capitals."),
        error_messages={
            "required": gettext_lazy("Enter the email address the person gave us."),
            "invalid": gettext_lazy(
                "Enter an email address in the right form, like name@example.org."
            ),
        },
    )


class PersonalDataView(WagtailAdminTemplateMixin, TemplateView):
    """Look up an email address; shows what is held and offers the export and the erasure."""

    template_name = "scrutiny/admin/privacy_index.html"
    header_icon = "user"
    page_title = gettext_lazy("Personal data")

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
        view.page_title = _("Erase personal data")
        records = pipeline.subject_records(email=email, user=request.user)
        return view.render_to_response(view.get_context_data(form=form, records=records))
    action = pipeline.subject_erase(email=email, user=request.user)
    if action is None:
        messages.info(request, _("Nothing was held about that address; nothing was erased."))
    else:
        messages.success(
            request,
            _("Erased: %(counts)s. The erasure is recorded without the address.")
            % {"counts": describe_counts(action.counts)},
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
    menu_label = gettext_lazy("Personal data")
    menu_item_class = PersonalDataMenuItem

    def get_urlpatterns(self):
        return [
            path("", PersonalDataView.as_view(), name="index"),
            path("export/", personal_data_export, name="export"),
            path("erase/", personal_data_erase, name="erase"),
        ]
