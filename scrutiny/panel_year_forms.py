"""Admin forms for the panel's year: referred topics and the effectiveness review."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .financial_years import current_financial_year, financial_year_label
from .models import BusinessArea, EffectivenessReview, MeetingKind, MeetingStatus, PanelMeeting

DATE_ERRORS = {"required": _("Enter the date"), "invalid": _("Enter a real date, like 12/11/2026")}


class ReferralForm(forms.Form):
    """A topic the oversight body referred, recorded by an officer on its behalf."""

    title = forms.CharField(
        label=_("Topic"),
        max_length=200,
        error_messages={"required": _("Enter the topic the body referred")},
    )
    business_area = forms.ModelChoiceField(
        queryset=BusinessArea.objects.filter(active=True).order_by("name"),
        label=_("Service"),
        error_messages={"required": _("Choose the service it is about")},
    )
    evidence = forms.CharField(
        label=_("What prompted it"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The satisfaction measures, complaints or other influences on the service the body "
            "looked at."
        ),
        error_messages={"required": _("Say what prompted the referral")},
    )
    body_meeting = forms.CharField(
        label=_("Meeting"),
        max_length=200,
        help_text=_("The body's meeting that referred it, e.g. 'Quarterly meeting'."),
        error_messages={"required": _("Name the meeting that referred it")},
    )
    referred_on = forms.DateField(label=_("Date of the meeting"), error_messages=DATE_ERRORS)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why")},
    )


class PrepareForm(forms.Form):
    """Which year to review: one that has begun and has no review yet."""

    financial_year = forms.TypedChoiceField(
        label=_("Financial year"), coerce=int, error_messages={"required": _("Choose the year")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = current_financial_year()
        taken = set(EffectivenessReview.objects.values_list("financial_year", flat=True))
        self.fields["financial_year"].choices = [
            (year, financial_year_label(year))
            for year in range(this_year, this_year - 5, -1)
            if year not in taken
        ]


class AssessmentForm(forms.ModelForm):
    """The panel's own assessment of its year."""

    class Meta:
        model = EffectivenessReview
        fields = ["what_worked", "what_did_not", "changes_next_year"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}


class AgreeForm(forms.Form):
    """The formal meeting, already held, at which the panel agreed the review."""

    meeting = forms.ModelChoiceField(
        queryset=PanelMeeting.objects.none(),
        label=_("Meeting"),
        error_messages={"required": _("Choose the meeting at which the panel agreed the review")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.now()
        self.fields["meeting"].queryset = (
            PanelMeeting.objects.filter(
                kind=MeetingKind.FORMAL,
                starts_at__lte=now,
                starts_at__gte=now - datetime.timedelta(days=550),
            )
            .exclude(status=MeetingStatus.CANCELLED)
            .order_by("-starts_at")
        )


class AcknowledgeForm(forms.Form):
    """When the oversight body acknowledged the review, and what it said."""

    acknowledged_on = forms.DateField(label=_("Date acknowledged"), error_messages=DATE_ERRORS)
    note = forms.CharField(
        label=_("What the body said"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
