"""The public application to join the panel, and a member's expense claim in the admin."""

import copy
from decimal import Decimal
from pathlib import PurePath

from django import forms
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from .forms import (
    EVIDENCE_TYPES,
    POSTCODE,
    GovukForm,
    email_field,
    text_field,
    yes_no_field,
)
from .models import SKILLS, PaymentChoice, Tenure
from .postcodes import postcode_formatted

LONG_TEXT = 5_000
RECEIPT_MAX_BYTES = 10 * 1024 * 1024
RECEIPT_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}

ELIGIBLE_TENURES = [
    (Tenure.TENANT, _("Tenant")),
    (Tenure.LEASEHOLDER, _("Leaseholder")),
    (Tenure.SHARED_OWNER, _("Shared owner")),
    (Tenure.OTHER, _("None of these")),
]

# Each exclusion question, and what we say kindly when the answer is yes.
EXCLUSIONS = {
    "legal_action": (
        _("We have started legal action against you or someone in your household."),
        _(
            "You told us we have started legal action against you or someone in your household, "
            "such as a Notice of Seeking Possession, a possession order or a court order about "
            "your tenancy."
        ),
    ),
    "money_order": (
        _("We have a court order to recover money from you."),
        _("You told us we have a court order to recover money from you."),
    ),
    "legal_dispute": (
        _("You are in a legal dispute with us."),
        _("You told us you are in a legal dispute with us."),
    ),
}

# The equality answers are kept as their English value, whatever language the applicant used,
# so that they can be counted together; only what the applicant reads is translated.
AGE_BANDS = [
    ("Under 25", _("Under 25")),
    ("25 to 34", _("25 to 34")),
    ("35 to 44", _("35 to 44")),
    ("45 to 54", _("45 to 54")),
    ("55 to 64", _("55 to 64")),
    ("65 or over", _("65 or over")),
]
YES_NO_ANSWERS = [("Yes", _("Yes")), ("No", _("No"))]
PREFER_NOT = ("Prefer not to say", _("Prefer not to say"))


def optional_choice(label: str, options: list[tuple[str, str]], *, message: str):
    """An optional equality question as radios, with 'Prefer not to say'."""
    return forms.ChoiceField(
        label=label,
        choices=[*options, PREFER_NOT],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": message},
    )


class JoinThePanelForm(GovukForm):
    """Who the applicant is, whether they can apply, what they bring, and optional monitoring."""

    tenure = forms.ChoiceField(
        label=_("Are you a tenant, leaseholder or shared owner with us?"),
        choices=ELIGIBLE_TENURES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether you are a tenant, leaseholder or shared owner"),
            "invalid_choice": _("Select whether you are a tenant, leaseholder or shared owner"),
        },
    )
    legal_action = yes_no_field(
        _("Have we started legal action against you or anyone in your household?"),
        message=_("Select yes if we have started legal action against you or your household"),
        help_text=_(
            "For example a Notice of Seeking Possession, a possession order or a broken "
            "suspended possession order, an anti-social behaviour order or injunction, "
            "a demoted tenancy or a closure order."
        ),
    )
    money_order = yes_no_field(
        _("Do we have a court order to recover money from you?"),
        message=_("Select yes if we have a court order to recover money from you"),
    )
    legal_dispute = yes_no_field(
        _("Are you in a legal dispute with us?"),
        message=_("Select yes if you are in a legal dispute with us"),
    )

    name = text_field(
        _("Full name"),
        message=_("Enter your full name"),
        max_length=200,
        too_long=ngettext_lazy(
            "Your full name must be %(max_length)s character or fewer",
            "Your full name must be %(max_length)s characters or fewer",
            "max_length",
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = email_field()
    phone = text_field(
        _("Phone number (optional)"),
        max_length=40,
        too_long=ngettext_lazy(
            "Phone number must be %(max_length)s character or fewer",
            "Phone number must be %(max_length)s characters or fewer",
            "max_length",
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    postcode = text_field(
        _("Postcode"),
        message=_("Enter your postcode"),
        max_length=10,
        too_long=ngettext_lazy(
            "Postcode must be %(max_length)s character or fewer",
            "Postcode must be %(max_length)s characters or fewer",
            "max_length",
        ),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "input--postcode"}),
    )

    why_join = text_field(
        _("Why do you want to join the panel?"),
        message=_("Tell us why you want to join the panel"),
        max_length=LONG_TEXT,
        too_long=ngettext_lazy(
            "Why you want to join must be %(max_length)s character or fewer",
            "Why you want to join must be %(max_length)s characters or fewer",
            "max_length",
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    skills = forms.MultipleChoiceField(
        label=_("Which of these would you bring? (optional)"),
        choices=SKILLS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply. You do not need all of them: training is offered."),
        error_messages={"invalid_choice": _("Select skills from the list")},
    )
    skills_more = text_field(
        _("What else would you bring? (optional)"),
        max_length=LONG_TEXT,
        too_long=ngettext_lazy(
            "What else you would bring must be %(max_length)s character or fewer",
            "What else you would bring must be %(max_length)s characters or fewer",
            "max_length",
        ),
        help_text=_("For example, experience from work, volunteering or your community."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    availability = text_field(
        _("When are you usually available?"),
        message=_("Tell us when you are usually available"),
        max_length=1000,
        too_long=ngettext_lazy(
            "Your availability must be %(max_length)s character or fewer",
            "Your availability must be %(max_length)s characters or fewer",
            "max_length",
        ),
        help_text=_("For example, weekday evenings, or not on Mondays."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    payment_choice = forms.ChoiceField(
        label=_("Would you like to be paid, or to volunteer?"),
        choices=[
            (PaymentChoice.PAID, _("I would like to be paid")),
            (PaymentChoice.VOLUNTARY, _("I would like to volunteer without payment")),
        ],
        widget=forms.RadioSelect,
        help_text=_("You can volunteer if the payment would affect your benefits."),
        error_messages={
            "required": _("Select whether you would like to be paid or to volunteer"),
            "invalid_choice": _("Select whether you would like to be paid or to volunteer"),
        },
    )
    adjustments = text_field(
        _("Do you need any adjustments to take part? (optional)"),
        max_length=LONG_TEXT,
        too_long=ngettext_lazy(
            "Adjustments must be %(max_length)s character or fewer",
            "Adjustments must be %(max_length)s characters or fewer",
            "max_length",
        ),
        help_text=_(
            "For example, large print, an interpreter, step-free access or a hearing loop."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    age_band = optional_choice(
        _("Age (optional)"),
        AGE_BANDS,
        message=_("Select an answer for “Age (optional)”, or leave it blank"),
    )
    gender = text_field(
        _("Gender (optional)"),
        max_length=60,
        too_long=ngettext_lazy(
            "Gender must be %(max_length)s character or fewer",
            "Gender must be %(max_length)s characters or fewer",
            "max_length",
        ),
    )
    ethnicity = text_field(
        _("Ethnic group (optional)"),
        max_length=100,
        too_long=ngettext_lazy(
            "Ethnic group must be %(max_length)s character or fewer",
            "Ethnic group must be %(max_length)s characters or fewer",
            "max_length",
        ),
    )
    disability = optional_choice(
        _("Do you consider yourself disabled? (optional)"),
        YES_NO_ANSWERS,
        message=_(
            "Select an answer for “Do you consider yourself disabled? (optional)”, "
            "or leave it blank"
        ),
    )

    privacy_agreed = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree to my details being used as it describes"
        ),
        error_messages={"required": _("Confirm that you agree to the privacy notice")},
        widget=forms.CheckboxInput(attrs={"aria-describedby": "privacy-notice"}),
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def ineligibility_reasons(self) -> list[str]:
        """Why the applicant cannot apply, read from the eligibility answers alone; [] if they can.

        Only answers that are present and valid count, so an unanswered question is an error
        on the form, never a reason to turn someone away.
        """
        reasons = []
        if self.data.get("tenure") == Tenure.OTHER:
            reasons.append(
                gettext(
                    "You told us you are not a tenant, leaseholder or shared owner with us. "
                    "The panel is for our tenants, leaseholders and shared owners."
                )
            )
        for name, (_question, reason) in EXCLUSIONS.items():
            if self.data.get(name) == "yes":
                reasons.append(str(reason))
        return reasons

    def ineligible_answers(self) -> list[str]:
        """The names of the eligibility questions whose answer rules the applicant out."""
        names = ["tenure"] if self.data.get("tenure") == Tenure.OTHER else []
        return names + [name for name in EXCLUSIONS if self.data.get(name) == "yes"]

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"]
        if postcode and not POSTCODE.match("".join(postcode.split()).upper()):
            raise forms.ValidationError(
                gettext("Enter a real postcode, like SW1A 1AA"), code="invalid"
            )
        return postcode_formatted(postcode)

    def application_fields(self) -> dict:
        """The answers kept on the application: never the eligibility or equality answers."""
        data = self.cleaned_data
        names = ["tenure", "name", "email", "phone", "postcode", "why_join", "skills_more"]
        names += ["availability", "payment_choice", "adjustments"]
        return {name: data[name] for name in names} | {"skills": list(data["skills"])}

    def equality_answers(self) -> dict | None:
        """The optional monitoring answers, or None when none was given."""
        data = self.cleaned_data
        answers = {name: data[name] for name in ["age_band", "gender", "ethnicity", "disability"]}
        return answers if any(answers.values()) else None


ELIGIBILITY_QUESTIONS = ["tenure", "legal_action", "money_order", "legal_dispute"]


class EligibilityForm(GovukForm):
    """'Check if you can apply': the application's four eligibility questions on their own, so
    that nobody fills in the whole form to be told at the end that they cannot apply."""

    step = forms.CharField(widget=forms.HiddenInput, required=False, initial="check")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = JoinThePanelForm.base_fields
        for name in ELIGIBILITY_QUESTIONS:
            self.fields[name] = copy.deepcopy(questions[name])

    ineligibility_reasons = JoinThePanelForm.ineligibility_reasons

    def answers(self) -> dict:
        """The answers as they were sent ("tenant", "no"), for the application to carry."""
        return {name: self.data.get(name) for name in ELIGIBILITY_QUESTIONS}


class ExpenseClaimForm(forms.Form):
    """A member's claim: when, what for, how much, and the receipt."""

    spent_on = forms.DateField(
        label=_("Date"),
        error_messages={
            "required": _("Enter the date you spent the money"),
            "invalid": _("Enter a real date"),
        },
    )
    description = forms.CharField(
        label=_("What it was for"),
        max_length=255,
        error_messages={"required": _("Say what the money was spent on")},
    )
    amount = forms.DecimalField(
        label=_("Amount in pounds"),
        max_digits=8,
        decimal_places=2,
        error_messages={
            "required": _("Enter the amount"),
            "invalid": _("Enter the amount in pounds, like 12.50"),
        },
    )
    receipt = forms.FileField(
        label=_("Receipt"),
        help_text=_("A PDF, JPG or PNG smaller than 10 MB."),
        error_messages={"required": _("Attach the receipt")},
    )

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(gettext("The amount must be more than £0"))
        return amount

    def clean_receipt(self):
        receipt = self.cleaned_data["receipt"]
        if PurePath(receipt.name).suffix.lower() not in RECEIPT_TYPES:
            raise forms.ValidationError(gettext("The receipt must be a PDF, JPG or PNG"))
        if receipt.size > RECEIPT_MAX_BYTES:
            raise forms.ValidationError(gettext("The receipt must be smaller than 10 MB"))
        signatures = EVIDENCE_TYPES[PurePath(receipt.name).suffix.lower()][2]
        head = receipt.read(8)
        receipt.seek(0)
        if not any(head.startswith(signature) for signature in signatures):
            raise forms.ValidationError(gettext("The receipt must be a PDF, JPG or PNG"))
        return receipt
