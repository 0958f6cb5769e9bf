"""The public application to join the panel, and a member's expense claim in the admin."""

import copy
from decimal import Decimal
from pathlib import PurePath

from django import forms

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
    (Tenure.TENANT, "Tenant"),
    (Tenure.LEASEHOLDER, "Leaseholder"),
    (Tenure.SHARED_OWNER, "Shared owner"),
    (Tenure.OTHER, "None of these"),
]

# Each exclusion question, and what we say kindly when the answer is yes.
EXCLUSIONS = {
    "legal_action": (
        "We have started legal action against you or someone in your household.",
        "You told us we have started legal action against you or someone in your household, "
        "such as a Notice of Seeking Possession, a possession order or a court order about your "
        "tenancy.",
    ),
    "money_order": (
        "We have a court order to recover money from you.",
        "You told us we have a court order to recover money from you.",
    ),
    "legal_dispute": (
        "You are in a legal dispute with us.",
        "You told us you are in a legal dispute with us.",
    ),
}

AGE_BANDS = ["Under 25", "25 to 34", "35 to 44", "45 to 54", "55 to 64", "65 or over"]
PREFER_NOT = "Prefer not to say"


def optional_choice(label: str, options: list[str]) -> forms.ChoiceField:
    """An optional equality question as radios, with 'Prefer not to say'."""
    choices = [(option, option) for option in [*options, PREFER_NOT]]
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": f"Select an answer for “{label}”, or leave it blank"},
    )


class JoinThePanelForm(GovukForm):
    """Who the applicant is, whether they can apply, what they bring, and optional monitoring."""

    tenure = forms.ChoiceField(
        label="Are you a tenant, leaseholder or shared owner with us?",
        choices=ELIGIBLE_TENURES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you are a tenant, leaseholder or shared owner",
            "invalid_choice": "Select whether you are a tenant, leaseholder or shared owner",
        },
    )
    legal_action = yes_no_field(
        "Have we started legal action against you or anyone in your household?",
        message="Select yes if we have started legal action against you or your household",
        help_text=(
            "For example a Notice of Seeking Possession, a possession order or a broken "
            "suspended possession order, an anti-social behaviour order or injunction, "
            "a demoted tenancy or a closure order."
        ),
    )
    money_order = yes_no_field(
        "Do we have a court order to recover money from you?",
        message="Select yes if we have a court order to recover money from you",
    )
    legal_dispute = yes_no_field(
        "Are you in a legal dispute with us?",
        message="Select yes if you are in a legal dispute with us",
    )

    name = text_field(
        "Full name",
        message="Enter your full name",
        max_length=200,
        noun="Your full name",
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = email_field()
    phone = text_field(
        "Phone number (optional)",
        max_length=40,
        noun="Phone number",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    postcode = text_field(
        "Postcode",
        message="Enter your postcode",
        max_length=10,
        noun="Postcode",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "input--postcode"}),
    )

    why_join = text_field(
        "Why do you want to join the panel?",
        message="Tell us why you want to join the panel",
        max_length=LONG_TEXT,
        noun="Why you want to join",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    skills = forms.MultipleChoiceField(
        label="Which of these would you bring? (optional)",
        choices=SKILLS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. You do not need all of them: training is offered.",
        error_messages={"invalid_choice": "Select skills from the list"},
    )
    skills_more = text_field(
        "What else would you bring? (optional)",
        max_length=LONG_TEXT,
        noun="What else you would bring",
        help_text="For example, experience from work, volunteering or your community.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    availability = text_field(
        "When are you usually available?",
        message="Tell us when you are usually available",
        max_length=1000,
        noun="Your availability",
        help_text="For example, weekday evenings, or not on Mondays.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    payment_choice = forms.ChoiceField(
        label="Would you like to be paid, or to volunteer?",
        choices=[
            (PaymentChoice.PAID, "I would like to be paid"),
            (PaymentChoice.VOLUNTARY, "I would like to volunteer without payment"),
        ],
        widget=forms.RadioSelect,
        help_text="You can volunteer if the payment would affect your benefits.",
        error_messages={
            "required": "Select whether you would like to be paid or to volunteer",
            "invalid_choice": "Select whether you would like to be paid or to volunteer",
        },
    )
    adjustments = text_field(
        "Do you need any adjustments to take part? (optional)",
        max_length=LONG_TEXT,
        noun="Adjustments",
        help_text="For example, large print, an interpreter, step-free access or a hearing loop.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    age_band = optional_choice("Age (optional)", AGE_BANDS)
    gender = text_field("Gender (optional)", max_length=60, noun="Gender")
    ethnicity = text_field("Ethnic group (optional)", max_length=100, noun="Ethnic group")
    disability = optional_choice("Do you consider yourself disabled? (optional)", ["Yes", "No"])

    privacy_agreed = forms.BooleanField(
        label="I have read the privacy notice and agree to my details being used as it describes",
        error_messages={"required": "Confirm that you agree to the privacy notice"},
        widget=forms.CheckboxInput(attrs={"aria-describedby": "privacy-notice"}),
    )
    website = forms.CharField(
        label="Leave this empty",
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
                "You told us you are not a tenant, leaseholder or shared owner with us. "
                "The panel is for our tenants, leaseholders and shared owners."
            )
        for name, (_, reason) in EXCLUSIONS.items():
            if self.data.get(name) == "yes":
                reasons.append(reason)
        return reasons

    def ineligible_answers(self) -> list[str]:
        """The names of the eligibility questions whose answer rules the applicant out."""
        names = ["tenure"] if self.data.get("tenure") == Tenure.OTHER else []
        return names + [name for name in EXCLUSIONS if self.data.get(name) == "yes"]

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"]
        if postcode and not POSTCODE.match("".join(postcode.split()).upper()):
            raise forms.ValidationError("Enter a real postcode, like SW1A 1AA", code="invalid")
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
        label="Date",
        error_messages={
            "required": "Enter the date you spent the money",
            "invalid": "Enter a real date",
        },
    )
    description = forms.CharField(
        label="What it was for",
        max_length=255,
        error_messages={"required": "Say what the money was spent on"},
    )
    amount = forms.DecimalField(
        label="Amount in pounds",
        max_digits=8,
        decimal_places=2,
        error_messages={
            "required": "Enter the amount",
            "invalid": "Enter the amount in pounds, like 12.50",
        },
    )
    receipt = forms.FileField(
        label="Receipt",
        help_text="A PDF, JPG or PNG smaller than 10 MB.",
        error_messages={"required": "Attach the receipt"},
    )

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError("The amount must be more than £0")
        return amount

    def clean_receipt(self):
        receipt = self.cleaned_data["receipt"]
        if PurePath(receipt.name).suffix.lower() not in RECEIPT_TYPES:
            raise forms.ValidationError("The receipt must be a PDF, JPG or PNG")
        if receipt.size > RECEIPT_MAX_BYTES:
            raise forms.ValidationError("The receipt must be smaller than 10 MB")
        signatures = EVIDENCE_TYPES[PurePath(receipt.name).suffix.lower()][2]
        head = receipt.read(8)
        receipt.seek(0)
        if not any(head.startswith(signature) for signature in signatures):
            raise forms.ValidationError("The receipt must be a PDF, JPG or PNG")
        return receipt
