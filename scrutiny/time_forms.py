"""Admin forms for members' time: logging scrutiny work and offering training places."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import Activity, PanelMember, ScrutinyReviewPage


class TimeEntryForm(forms.Form):
    """Time a member gave to scrutiny work outside meetings; officers choose the member."""

    member = forms.ModelChoiceField(
        queryset=PanelMember.objects.none(),
        label=_("Member"),
        error_messages={"required": _("Choose the member whose time this is")},
    )
    activity = forms.ChoiceField(
        label=_("What kind of work"),
        choices=Activity.choices,
        error_messages={"required": _("Choose what kind of work it was")},
    )
    worked_on = forms.DateField(
        label=_("Date"),
        error_messages={
            "required": _("Enter the date of the work"),
            "invalid": _("Enter a real date"),
        },
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.5"),
        max_value=Decimal("12"),
        max_digits=4,
        decimal_places=1,
        help_text=_("In hours and tenths, like 2.5 for two and a half hours."),
        error_messages={
            "required": _("Enter the hours"),
            "invalid": _("Enter the hours as a number, like 2.5"),
            "min_value": _("Enter at least half an hour (0.5)"),
            "max_value": _("Enter at most 12 hours for one day"),
            "max_decimal_places": _("Enter the hours to one decimal place, like 2.5"),
            "max_digits": _("Enter at most 12 hours for one day"),
        },
    )
    review = forms.ModelChoiceField(
        queryset=ScrutinyReviewPage.objects.none(),
        required=False,
        label=_("Review"),
        empty_label=_("The panel as a whole"),
    )
    note = forms.CharField(label=_("What you did"), max_length=255, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors.membership import members_serving

        if permissions.may_log_time_for_others(user):
            self.fields["member"].queryset = members_serving()
        else:
            del self.fields["member"]
        self.fields["review"].queryset = ScrutinyReviewPage.objects.order_by(
            "-first_published_at", "title"
        )

    def clean_worked_on(self):
        worked_on = self.cleaned_data["worked_on"]
        if worked_on > timezone.localdate():
            raise forms.ValidationError(
                gettext("Log time once the work is done: the date is in the future")
            )
        return worked_on


class TrainingOfferForm(forms.Form):
    """The members an officer offers a training session to."""

    members = forms.ModelMultipleChoiceField(
        queryset=PanelMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Offer a place to"),
        error_messages={"required": _("Choose at least one member")},
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors.membership import members_serving

        self.fields["members"].queryset = members_serving().exclude(
            pk__in=session.places.values_list("member_id", flat=True)
        )
