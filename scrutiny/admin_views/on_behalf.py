"""Officers enter a call or an application to join the panel that a resident gave by post, by
phone or in person.

Each form is the public one with the same questions, the same checks and the same
acknowledgement, plus how and when it reached us. A resident may be reached by letter, so an
address is enough contact. No hourly limit applies: the officer is signed in. (Appeals given
these ways are recorded from the appeals screens: `appeals.AppealForResidentView`.)
"""

import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput

from .. import permissions, pipeline, selectors
from ..access_codes import format_access_code
from ..forms import HONEYPOT_FIELD, CallForScrutinyForm
from ..membership_forms import JoinThePanelForm
from ..models import CallForScrutinyPage, JoinThePanelPage, MessageState, ReceivedVia
from ..notifications import absolute_url
from ..permissions import can_enter_for_resident


def live_call_form_page() -> CallForScrutinyPage | None:
    """The call form residents use, whose extra questions and privacy notice apply here too."""
    return CallForScrutinyPage.objects.live().order_by("path").first()


class ForResidentMixin:
    """What an officer adds to a resident's form: how and on which day it reached us (first, as
    on the paper the officer holds), the resident named in the third person, no honeypot."""

    # What the officer is told and asked, said of a call (an application says its own).
    received_via_label = gettext_lazy("How did the call reach us?")
    received_via_missing = gettext_lazy("Choose how the call reached us")
    received_on_missing = gettext_lazy("Enter the day the call reached us")
    received_on_invalid = gettext_lazy(
        "Enter the day the call reached us as a date, like 2026-12-03"
    )
    received_on_too_old = gettext_lazy(
        "The day it reached us must be within the last year; ask the resident to give the call "
        "again"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields[HONEYPOT_FIELD]
        self.fields["received_via"] = forms.ChoiceField(
            label=self.received_via_label,
            choices=[choice for choice in ReceivedVia.choices if choice[0] != ReceivedVia.WEB],
            widget=forms.RadioSelect,
            error_messages={
                "required": self.received_via_missing,
                "invalid_choice": self.received_via_missing,
            },
        )
        self.fields["received_on"] = forms.DateField(
            label=_("The day it reached us"),
            widget=AdminDateInput,
            help_text=_("The date on the letter's postmark or the day of the call or visit."),
            error_messages={
                "required": self.received_on_missing,
                "invalid": self.received_on_invalid,
            },
        )
        self.fields["name"].label = _("The resident's name")
        self.fields["privacy_agreed"].label = _(
            "The resident has been told how their details are used (the privacy notice) and agrees"
        )
        self.fields["privacy_agreed"].error_messages["required"] = _(
            "Confirm that the resident has been told about the privacy notice and agrees"
        )
        self.order_fields(["received_via", "received_on"])

    def clean_received_on(self) -> datetime.date:
        day = self.cleaned_data["received_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(_("The day it reached us cannot be in the future"))
        if day < today - datetime.timedelta(days=366):
            raise forms.ValidationError(self.received_on_too_old)
        return day

    def received_at(self) -> datetime.datetime:
        """Noon on the day it reached us, or now when that is today."""
        day = self.cleaned_data["received_on"]
        if day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class CallForResidentForm(ForResidentMixin, CallForScrutinyForm):
    """The pro-forma as an officer fills it in with or for a resident."""

    contact_needed = ("email", "phone", "address", "postcode")
    contact_message = gettext_lazy(
        "Enter how to reach the resident: an email address, a phone number or their address"
    )


class ApplicationForResidentForm(ForResidentMixin, JoinThePanelForm):
    """The application to join the panel as an officer fills it in for a resident, who may have
    no email: a phone number or an address will do."""

    received_via_label = gettext_lazy("How did the application reach us?")
    received_via_missing = gettext_lazy("Choose how the application reached us")
    received_on_missing = gettext_lazy("Enter the day the application reached us")
    received_on_invalid = gettext_lazy(
        "Enter the day the application reached us as a date, like 2026-12-03"
    )
    received_on_too_old = gettext_lazy(
        "The day it reached us must be within the last year; ask the resident to give the "
        "application again"
    )

    address = forms.CharField(
        label=gettext_lazy("Address (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Where to write to a resident with no email address."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = False
        self.fields["email"].label = _("Email address (optional)")
        self.order_fields([*self.fields][: [*self.fields].index("postcode") + 1] + ["address"])

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("email", "phone", "address")) and not any(
            self.has_error(name) for name in ("email", "phone", "address")
        ):
            self.add_error(
                "email",
                _(
                    "Enter how to reach the resident: an email address, a phone number or their "
                    "address"
                ),
            )
        return data

    def application_fields(self) -> dict:
        return super().application_fields() | {"address": self.cleaned_data["address"]}


class CallForResidentView(WagtailAdminTemplateMixin, FormView):
    """Enter a call for a resident; afterwards, its reference and access code, shown once."""

    template_name = "scrutiny/admin/call_for_resident.html"
    form_class = CallForResidentForm
    header_icon = "mail"
    page_title = gettext_lazy("Enter a call for a resident")

    def dispatch(self, request, *args, **kwargs):
        if not can_enter_for_resident(request.user):
            return permission_denied(request)
        self.call_page = live_call_form_page()
        if self.call_page is None:
            messages.error(
                request,
                _(
                    "There is no published call form on the site, so its questions are not "
                    "known: ask Communications to publish the call form page first."
                ),
            )
            return redirect(calls_listing_url())
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"received_on": timezone.localdate()}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "page": self.call_page}

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": calls_listing_url(), "label": _("Calls for scrutiny")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "action_url": self.request.path,
                "submit_button_label": _("Enter the call"),
                "submit_button_active_label": _("Entering…"),
                "privacy_notice": self.call_page.privacy_notice,
            }
        )
        return context

    def form_valid(self, form):
        call = pipeline.call_submit(
            fields=form.call_fields(),
            evidence=form.evidence_files(),
            extra_answers=form.extra_answers(),
            received_via=form.cleaned_data["received_via"],
            received_at=form.received_at(),
            recorded_by=self.request.user,
        )
        from .calls import action_url

        title = _("%(reference)s is entered") % {"reference": call.reference}
        response = TemplateResponse(
            self.request,
            "scrutiny/admin/call_for_resident_done.html",
            {
                "page_title": title,
                "header_title": title,
                "header_icon": "mail",
                "breadcrumbs_items": self.get_breadcrumbs_items()[:-1]
                + [{"url": "", "label": call.reference}],
                "call": call,
                "call_url": action_url("inspect", call.pk),
                "access_code": format_access_code(call.access_code),
                "tracking_url": absolute_url(selectors.call_tracking_url()),
                "letters_url": reverse("scrutiny_sentemail_modeladmin_index")
                + f"?state__exact={MessageState.TO_POST}",
            },
        )
        # The access code is shown here once: no cache may keep it.
        response["Cache-Control"] = "private, no-store"
        return response


def calls_listing_url() -> str:
    """The calls listing (the viewset is imported late: it imports this module's view)."""
    from .calls import action_url

    return action_url("list")


class ApplicationForResidentView(WagtailAdminTemplateMixin, FormView):
    """Enter an application to join the panel for a resident: the same questions and
    eligibility rules as the website; an ineligible answer is explained and nothing is kept."""

    template_name = "scrutiny/admin/application_for_resident.html"
    form_class = ApplicationForResidentForm
    header_icon = "mail"
    page_title = gettext_lazy("Enter an application for a resident")

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_manage_applications(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"received_on": timezone.localdate()}

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": applications_listing_url(), "label": _("Applications to join")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = JoinThePanelPage.objects.live().order_by("path").first()
        context.update(
            {
                "action_url": self.request.path,
                "submit_button_label": _("Enter the application"),
                "submit_button_active_label": _("Entering…"),
                "privacy_notice": getattr(page, "privacy_notice", ""),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        ruled_out = form.ineligible_answers()
        if ruled_out:
            # As on the website: counted, never kept, and the answers that rule it out shown.
            pipeline.application_record_ineligible()
            for name in ruled_out:
                form.add_error(name, _("With this answer the resident cannot apply"))
            form.add_error(None, _("The resident cannot apply, so nothing is kept."))
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        application = pipeline.application_submit(
            fields=form.application_fields(),
            equality=form.equality_answers(),
            received_via=form.cleaned_data["received_via"],
            received_at=form.received_at(),
            recorded_by=self.request.user,
        )
        messages.success(
            self.request,
            _("%(name)s's application is entered, received %(via)s on %(day)s.")
            % {
                "name": application.name,
                "via": application.get_received_via_display().lower(),
                "day": date_format(timezone.localtime(application.submitted_at), "j F Y"),
            },
        )
        return redirect(applications_listing_url("inspect", application.pk))


def applications_listing_url(name: str = "list", *args) -> str:
    from .membership import application_url

    return application_url(name, *args)
