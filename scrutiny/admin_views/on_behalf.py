"""Officers enter a call that a resident gave by post, by phone or in person.

The form is the public pro-forma with the same questions, the same checks and the same
acknowledgement, plus how and when the call reached us. A resident may be reached by letter, so
an address is enough contact. No hourly limit applies: the officer is signed in.
"""

import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput

from .. import pipeline, selectors
from ..access_codes import format_access_code
from ..forms import HONEYPOT_FIELD, CallForScrutinyForm
from ..models import CallForScrutinyPage, MessageState, ReceivedVia
from ..notifications import absolute_url
from ..permissions import can_enter_for_resident


def live_call_form_page() -> CallForScrutinyPage | None:
    """The call form residents use, whose extra questions and privacy notice apply here too."""
    return CallForScrutinyPage.objects.live().order_by("path").first()


class CallForResidentForm(CallForScrutinyForm):
    """The pro-forma as an officer fills it in with or for a resident."""

    contact_needed = ("email", "phone", "address", "postcode")
    contact_message = (
        "Enter how to reach the resident: an email address, a phone number or their address"
    )

    received_via = forms.ChoiceField(
        label="How did the call reach us?",
        choices=[choice for choice in ReceivedVia.choices if choice[0] != ReceivedVia.WEB],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how the call reached us",
            "invalid_choice": "Choose how the call reached us",
        },
    )
    received_on = forms.DateField(
        label="The day it reached us",
        widget=AdminDateInput,
        help_text="The date on the letter's postmark or the day of the call or visit.",
        error_messages={
            "required": "Enter the day the call reached us",
            "invalid": "Enter the day the call reached us as a date, like 2026-12-03",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields[HONEYPOT_FIELD]
        self.fields["name"].label = "The resident's name"
        self.fields[
            "privacy_agreed"
        ].label = (
            "The resident has been told how their details are used (the privacy notice) and agrees"
        )
        self.fields["privacy_agreed"].error_messages["required"] = (
            "Confirm that the resident has been told about the privacy notice and agrees"
        )
        # How and when first, as on the paper the officer holds.
        self.order_fields(["received_via", "received_on"])

    def clean_received_on(self) -> datetime.date:
        day = self.cleaned_data["received_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError("The day it reached us cannot be in the future")
        if day < today - datetime.timedelta(days=366):
            raise forms.ValidationError(
                "The day it reached us must be within the last year; older letters are a new call"
            )
        return day

    def received_at(self) -> datetime.datetime:
        """Noon on the day it reached us, or now when that is today."""
        day = self.cleaned_data["received_on"]
        if day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class CallForResidentView(WagtailAdminTemplateMixin, FormView):
    """Enter a call for a resident; afterwards, its reference and access code, shown once."""

    template_name = "scrutiny/admin/call_for_resident.html"
    form_class = CallForResidentForm
    header_icon = "mail"
    page_title = "Enter a call for a resident"

    def dispatch(self, request, *args, **kwargs):
        if not can_enter_for_resident(request.user):
            return permission_denied(request)
        self.call_page = live_call_form_page()
        if self.call_page is None:
            messages.error(
                request,
                "There is no published call form on the site, so its questions are not known: "
                "ask Communications to publish the call form page first.",
            )
            return redirect(calls_listing_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "page": self.call_page}

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": calls_listing_url(), "label": "Calls for scrutiny"},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "action_url": self.request.path,
                "submit_button_label": "Enter the call",
                "submit_button_active_label": "Entering…",
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

        response = TemplateResponse(
            self.request,
            "scrutiny/admin/call_for_resident_done.html",
            {
                "page_title": f"{call.reference} is entered",
                "header_title": f"{call.reference} is entered",
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
