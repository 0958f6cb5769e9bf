"""The public forms: the call for scrutiny pro-forma and the tracking look-up."""

import hashlib
import re
from pathlib import PurePath

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms.boundfield import BoundField
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from .financial_years import financial_year_label
from .models import BusinessArea, ComplaintStage, DecisionOutcome, QuestionType, Tenure
from .postcodes import postcode_formatted
from .uploads import DOCX_CONTENT_TYPE, docx_problem

HONEYPOT_FIELD = "website"

MAX_EVIDENCE_FILES = 5
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

# What we say when a file is not what its name says, by what its name says it is; each message
# names the file as %(name)s and lists the kinds we accept.
NOT_A_REAL_PDF = _(
    "“%(name)s” is not a real PDF. Choose a PDF, JPG, PNG, GIF, Word document (.docx) or text file"
)
NOT_A_REAL_JPG = _(
    "“%(name)s” is not a real JPG. Choose a PDF, JPG, PNG, GIF, Word document (.docx) or text file"
)
NOT_A_REAL_PNG = _(
    "“%(name)s” is not a real PNG. Choose a PDF, JPG, PNG, GIF, Word document (.docx) or text file"
)
NOT_A_REAL_GIF = _(
    "“%(name)s” is not a real GIF. Choose a PDF, JPG, PNG, GIF, Word document (.docx) or text file"
)
NOT_A_REAL_DOCX = _(
    "“%(name)s” is not a real Word document. "
    "Choose a PDF, JPG, PNG, GIF, Word document (.docx) or text file"
)
NOT_A_REAL_TEXT_FILE = _(
    "“%(name)s” is not a real text file. "
    "Choose a PDF, JPG, PNG, GIF, Word document (.docx) or text file"
)

# Extension -> (what we say if the file is not one, the content type we record, the bytes such a
# file starts with). A text file has no signature: it must decode as UTF-8 and contain no NUL
# bytes. A Word document is also opened as the zip it is, to be sure it is a document and not a
# macro-enabled one.
EVIDENCE_TYPES: dict[str, tuple[str, str, tuple[bytes, ...]]] = {
    ".pdf": (NOT_A_REAL_PDF, "application/pdf", (b"%PDF",)),
    ".jpg": (NOT_A_REAL_JPG, "image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": (NOT_A_REAL_JPG, "image/jpeg", (b"\xff\xd8\xff",)),
    ".png": (NOT_A_REAL_PNG, "image/png", (b"\x89PNG",)),
    ".gif": (NOT_A_REAL_GIF, "image/gif", (b"GIF8",)),
    ".docx": (NOT_A_REAL_DOCX, DOCX_CONTENT_TYPE, (b"PK\x03\x04",)),
    ".txt": (NOT_A_REAL_TEXT_FILE, "text/plain", ()),
}

# Office files that are, or can carry, macros: the old binary formats and the macro-enabled ones.
# Staff open what residents send, so these are refused with a way to send the same content.
MACRO_OFFICE_EXTENSIONS = frozenset(
    {
        *(".doc", ".dot", ".docm", ".dotm"),
        *(".xls", ".xlt", ".xla", ".xlsm", ".xltm", ".xlsb", ".xlam"),
        *(".ppt", ".pot", ".pps", ".ppa", ".pptm", ".potm", ".ppsm", ".ppam", ".sldm"),
    }
)

YES_NO = [("yes", _("Yes")), ("no", _("No"))]

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
PHONE = re.compile(r"^\+?[0-9 ()\-]+$")

LONG_TEXT = 10_000


class _Number(int):
    """A whole number that prints as the active language writes numbers ("10,000" in en-GB), and
    still counts as itself when a plural message picks its form."""

    def __str__(self) -> str:
        return number_format(int(self), force_grouping=True)


def _with_numbers(message, numbers: dict[str, int]) -> str:
    return message % {name: _Number(value) for name, value in numbers.items()}


_with_numbers_lazy = lazy(_with_numbers, str)


def with_numbers(message, **numbers: int):
    """A lazy `message` with its %(name)s numbers filled in when it is shown, in the language then
    active. A plural message (`ngettext_lazy(..., "name")`) picks its form by that number."""
    return _with_numbers_lazy(message, numbers)


class GovukBoundField(BoundField):
    """A field that points at its hint and error as `id_x-hint` and `id_x-error`."""

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def aria_describedby(self) -> str:
        ids = [self.field.widget.attrs.get("aria-describedby", "")]
        if self.help_text:
            ids.append(self.hint_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(filter(None, ids))

    @property
    def anchor(self) -> str:
        """The id the error summary links to: the first radio of a group, else the input."""
        if self.use_fieldset:
            return f"{self.auto_id}_0"
        return self.auto_id

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors and not self.use_fieldset:
            attrs["class"] = " ".join(filter(None, [attrs.get("class"), "input--error"]))
        return attrs


class GovukForm(forms.Form):
    """A form whose errors are listed in a summary that links to each field."""

    bound_field_class = GovukBoundField
    use_required_attribute = False

    def fingerprint(self) -> str:
        """A digest of everything this form's questions render from, while it is unbound.

        Two unbound forms with the same fingerprint render the same HTML, so a page may keep its
        rendered questions under it (`scrutiny/includes/questions.html`): a new business area, a
        changed question, a changed label or another language gives a new fingerprint, so nothing
        stale is shown.
        """
        parts: list = [get_language(), self.prefix, self.auto_id, self.label_suffix]
        for bound in self:
            field, widget = bound.field, bound.field.widget
            widget_state = {
                name: value
                for name, value in vars(widget).items()
                if name not in {"choices", "_choices"}
            }
            parts.append(
                (
                    bound.html_name,
                    bound.auto_id,
                    str(bound.label),
                    str(bound.help_text),
                    field.required,
                    field.disabled,
                    repr(bound.value()),
                    type(field).__qualname__,
                    type(widget).__qualname__,
                    repr(sorted(widget_state.items(), key=lambda item: item[0])),
                    [(str(value), str(label)) for value, label in getattr(widget, "choices", ())],
                )
            )
        return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor id, message) for every error, in the order the questions are asked."""
        items = [("", str(message)) for message in self.non_field_errors()]
        for name in self.fields:
            bound = self[name]
            items.extend((bound.anchor, str(message)) for message in bound.errors)
        return items


def yes_no_field(label: str, *, message: str, required: bool = True, **kwargs):
    """A yes/no question as two radios, cleaned to True, False or None when unanswered."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


def text_field(label: str, *, message: str = "", max_length: int, too_long: str, **kwargs):
    """A text question, required when it has a message for a missing answer, and never too long.

    `too_long` is a plural message keyed on "max_length", which it shows as %(max_length)s."""
    return forms.CharField(
        label=label,
        required=bool(message),
        max_length=max_length,
        error_messages={
            "required": message,
            "max_length": with_numbers(too_long, max_length=max_length),
        },
        **kwargs,
    )


def email_field(*, required: bool = True, help_text: str = "") -> forms.EmailField:
    """A resident's email address, with the messages every public form gives."""
    return forms.EmailField(
        label=_("Email address"),
        required=required,
        max_length=254,
        help_text=help_text,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": with_numbers(
                ngettext_lazy(
                    "Email address must be %(max_length)s character or fewer",
                    "Email address must be %(max_length)s characters or fewer",
                    "max_length",
                ),
                max_length=254,
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class MultipleFileInput(forms.FileInput):
    """A file input that lets the resident choose several files at once."""

    allow_multiple_selected = True


class EvidenceField(forms.Field):
    """Up to five files of the kinds the panel can open, each checked by its name and its bytes."""

    widget = MultipleFileInput

    def to_python(self, data) -> list[UploadedFile]:
        if not data:
            return []
        if not isinstance(data, list | tuple):
            data = [data]
        return [upload for upload in data if upload]

    def validate(self, value: list[UploadedFile]) -> None:
        if len(value) > MAX_EVIDENCE_FILES:
            raise forms.ValidationError(
                ngettext(
                    "You chose %(count)s file. Choose %(max_files)s files or fewer",
                    "You chose %(count)s files. Choose %(max_files)s files or fewer",
                    len(value),
                )
                % {"count": len(value), "max_files": MAX_EVIDENCE_FILES},
                code="too_many",
            )
        problems = [problem for upload in value if (problem := evidence_problem(upload))]
        if problems:
            raise forms.ValidationError(problems)


def evidence_problem(upload: UploadedFile) -> str | None:
    """What is wrong with one uploaded file, or None; records its checked content type."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    kind = EVIDENCE_TYPES.get(extension)
    if extension in MACRO_OFFICE_EXTENSIONS:
        return gettext(
            "“%(name)s” is an Office file that can carry macros, which we do not accept. "
            "Save it as a Word document (.docx) or a PDF and choose it again"
        ) % {"name": name}
    if kind is None:
        return gettext(
            "“%(name)s” must be a PDF, JPG, PNG, GIF, Word document (.docx) or text file"
        ) % {"name": name}
    if upload.size == 0:
        return gettext("“%(name)s” is empty. Choose a file with something in it") % {"name": name}
    if upload.size > MAX_EVIDENCE_BYTES:
        return gettext("“%(name)s” must be smaller than 10 MB") % {"name": name}
    not_real, content_type, signatures = kind
    upload.seek(0)
    content = upload.read() if not signatures else upload.read(8)
    upload.seek(0)
    if signatures:
        ok = any(content.startswith(signature) for signature in signatures)
    else:
        ok = b"\x00" not in content and _decodes_as_utf8(content)
    if not ok:
        return not_real % {"name": name}
    if extension == ".docx" and (problem := docx_problem(upload)):
        return problem % {"name": name}
    upload.content_type = content_type
    return None


def _decodes_as_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def honeypot_filled(data) -> bool:
    """Whether the field people never see was filled in, as only a robot would."""
    return bool(data.get(HONEYPOT_FIELD, "").strip())


class CallForScrutinyForm(GovukForm):
    """The pro-forma's fixed questions, plus the extra questions editors added to the page."""

    name = text_field(
        _("Your name"),
        message=_("Enter your name"),
        max_length=200,
        too_long=ngettext_lazy(
            "Your name must be %(max_length)s character or fewer",
            "Your name must be %(max_length)s characters or fewer",
            "max_length",
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = email_field(
        required=False,
        help_text=_(
            "We will send your reference here. Give an email address, a phone number or both."
        ),
    )
    phone = text_field(
        _("Phone number"),
        max_length=40,
        too_long=ngettext_lazy(
            "Phone number must be %(max_length)s character or fewer",
            "Phone number must be %(max_length)s characters or fewer",
            "max_length",
        ),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    address = text_field(
        _("Address"),
        max_length=1000,
        too_long=ngettext_lazy(
            "Address must be %(max_length)s character or fewer",
            "Address must be %(max_length)s characters or fewer",
            "max_length",
        ),
        help_text=_("Give your address, your postcode or both."),
        widget=forms.Textarea(attrs={"autocomplete": "street-address", "rows": 3}),
    )
    postcode = text_field(
        _("Postcode"),
        max_length=10,
        too_long=ngettext_lazy(
            "Postcode must be %(max_length)s character or fewer",
            "Postcode must be %(max_length)s characters or fewer",
            "max_length",
        ),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "input--postcode"}),
    )
    tenure = forms.ChoiceField(
        label=_("Do you rent or own your home?"),
        choices=[
            (Tenure.TENANT, _("I rent it from you (tenant)")),
            (Tenure.LEASEHOLDER, _("I own it on a lease (leaseholder)")),
            (Tenure.SHARED_OWNER, _("I part-own and part-rent it (shared owner)")),
            (Tenure.OTHER, _("None of these")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether you rent or own your home"),
            "invalid_choice": _("Select whether you rent or own your home"),
        },
    )

    business_area = forms.ModelChoiceField(
        label=_("Which service is your call about?"),
        queryset=BusinessArea.objects.none(),
        empty_label=_("Choose a service"),
        error_messages={
            "required": _("Select the service your call is about"),
            "invalid_choice": _("Select the service your call is about"),
        },
    )
    concerns = text_field(
        _("What are your concerns about this service?"),
        message=_("Tell us your concerns"),
        max_length=LONG_TEXT,
        too_long=ngettext_lazy(
            "Your concerns must be %(max_length)s character or fewer",
            "Your concerns must be %(max_length)s characters or fewer",
            "max_length",
        ),
        widget=forms.Textarea,
    )
    actions_taken = text_field(
        _("What have you already done to sort this out?"),
        message=_("Tell us what you have already done"),
        max_length=LONG_TEXT,
        too_long=ngettext_lazy(
            "What you have already done must be %(max_length)s character or fewer",
            "What you have already done must be %(max_length)s characters or fewer",
            "max_length",
        ),
        help_text=_("For example, who you contacted, when, and what they said."),
        widget=forms.Textarea,
    )
    complaint_stage = forms.ChoiceField(
        label=_("How far has your complaint gone?"),
        choices=ComplaintStage.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how far your complaint has gone"),
            "invalid_choice": _("Select how far your complaint has gone"),
        },
    )
    complaint_reference = text_field(
        _("Complaint reference (optional)"),
        max_length=60,
        too_long=ngettext_lazy(
            "Complaint reference must be %(max_length)s character or fewer",
            "Complaint reference must be %(max_length)s characters or fewer",
            "max_length",
        ),
        help_text=_("If you made a complaint, the reference we gave you."),
    )
    complaint_finished = yes_no_field(
        _("If you made a complaint, has it finished at that stage?"),
        message=_("Select yes if your complaint has finished at that stage"),
        required=False,
        help_text=_("Select yes if you have had our final response at that stage."),
    )
    service_failures = text_field(
        _("What service failures have you experienced?"),
        message=_("Tell us about the service failures"),
        max_length=LONG_TEXT,
        too_long=ngettext_lazy(
            "Service failures must be %(max_length)s character or fewer",
            "Service failures must be %(max_length)s characters or fewer",
            "max_length",
        ),
        help_text=_("For example, missed appointments, repairs not done, or letters not answered."),
        widget=forms.Textarea,
    )
    others_affected = yes_no_field(
        _("Are other residents affected?"),
        message=_("Select yes if other residents are affected"),
    )
    others_affected_why = text_field(
        _("If yes, why do you think other residents are affected?"),
        max_length=LONG_TEXT,
        too_long=ngettext_lazy(
            "Why others are affected must be %(max_length)s character or fewer",
            "Why others are affected must be %(max_length)s characters or fewer",
            "max_length",
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    households_affected = forms.IntegerField(
        label=_("If yes, roughly how many households are affected? (optional)"),
        required=False,
        min_value=1,
        max_value=100_000,
        error_messages={
            "invalid": _("Enter the number of households as a whole number, like 12"),
            "min_value": _("Enter the number of households as a whole number, like 12"),
            "max_value": with_numbers(
                ngettext_lazy(
                    "Enter a number of households of %(max_value)s or fewer",
                    "Enter a number of households of %(max_value)s or fewer",
                    "max_value",
                ),
                max_value=100_000,
            ),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input--short"}),
    )

    support_requested = yes_no_field(
        _("Would you like an officer to help you with your call?"),
        message=_("Select yes if you would like an officer to help you"),
        help_text=_("An officer can help you gather evidence, fill in forms or come to meetings."),
    )
    support_contact = text_field(
        _("If yes, how should the officer contact you?"),
        max_length=1000,
        too_long=ngettext_lazy(
            "How to contact you must be %(max_length)s character or fewer",
            "How to contact you must be %(max_length)s characters or fewer",
            "max_length",
        ),
        help_text=_(
            "For example, the best time to phone, or if you need an interpreter or large print."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    may_be_listed = yes_no_field(
        _("May we list your call in the public register of calls?"),
        message=_("Select yes if we may list your call in the register"),
        required=False,
        help_text=_(
            "The register shows the service, the date we received the call, the panel's "
            "decision and its reasons, so that other residents can see what has been raised. "
            "It never shows your name, address or contact details. If you do not answer, we "
            "will not list it."
        ),
    )

    evidence = EvidenceField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=with_numbers(
            ngettext_lazy(
                "Up to %(count)s file, each smaller than 10 MB: PDF, JPG, PNG, GIF, Word document "
                "(.docx) or text file. For example, letters, emails or photos.",
                "Up to %(count)s files, each smaller than 10 MB: PDF, JPG, PNG, GIF, Word document "
                "(.docx) or text file. For example, letters, emails or photos.",
                "count",
            ),
            count=MAX_EVIDENCE_FILES,
        ),
        widget=MultipleFileInput(attrs={"accept": ",".join(EVIDENCE_TYPES)}),
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

    # The answers of which at least one must be given, so that we can reach the resident.
    contact_needed = ("email", "phone")
    contact_message = _("Enter an email address or a phone number, so we can contact you")

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_area"].queryset = BusinessArea.objects.filter(active=True)
        self.extra_questions = [
            question
            for question in page.extra_questions.all()
            if question.question_type != QuestionType.CHOICE or question.choice_list()
        ]
        for index, question in enumerate(self.extra_questions):
            self.fields[self.extra_field_name(index)] = extra_question_field(question)
        # The extra questions come before the evidence and the privacy notice, as on the page.
        for name in ["evidence", "may_be_listed", "privacy_agreed", HONEYPOT_FIELD]:
            self.fields[name] = self.fields.pop(name)

    @staticmethod
    def extra_field_name(index: int) -> str:
        return f"extra_{index}"

    def extra_fields(self) -> list[GovukBoundField]:
        return [self[self.extra_field_name(index)] for index in range(len(self.extra_questions))]

    def files_chosen(self) -> int:
        """How many files came with this submission (they are never kept if it had errors)."""
        if not self.is_bound:
            return 0
        return len([upload for upload in self.files.getlist("evidence") if upload])

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        digits = re.sub(r"\D", "", phone)
        if phone and (not PHONE.match(phone) or not 10 <= len(digits) <= 15):
            raise forms.ValidationError(
                gettext("Enter a phone number, like 01632 960 001 or 07700 900 982"), code="invalid"
            )
        return phone

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"]
        if postcode and not POSTCODE.match("".join(postcode.split()).upper()):
            raise forms.ValidationError(
                gettext("Enter a real postcode, like SW1A 1AA"), code="invalid"
            )
        return postcode_formatted(postcode) if postcode else ""

    def clean(self):
        data = super().clean()
        if self.contact_needed and not self._answered_either(*self.contact_needed):
            self.add_error("email", self.contact_message)
        if not self._answered_either("address", "postcode"):
            self.add_error("address", gettext("Enter your address or postcode"))
        stage = data.get("complaint_stage")
        if stage and stage != ComplaintStage.NOT_MADE and data.get("complaint_finished") is None:
            self.add_error(
                "complaint_finished",
                gettext("Select yes if your complaint has finished at that stage"),
            )
        if data.get("others_affected") and not self._answered_either("others_affected_why"):
            self.add_error(
                "others_affected_why",
                gettext("Tell us why you think other residents are affected"),
            )
        if data.get("support_requested") and not self._answered_either("support_contact"):
            self.add_error("support_contact", gettext("Tell us how the officer should contact you"))
        return data

    def _answered_either(self, *names: str) -> bool:
        """Whether one of these questions has an answer (or already an error of its own)."""
        return any(self.cleaned_data.get(name) or self.has_error(name) for name in names)

    def call_fields(self) -> dict:
        """The answers as CallForScrutiny fields, for pipeline.call_submit."""
        data = self.cleaned_data
        made_complaint = data["complaint_stage"] != ComplaintStage.NOT_MADE
        others = bool(data["others_affected"])
        support = bool(data["support_requested"])
        return {
            "name": data["name"],
            "email": data["email"],
            "phone": data["phone"],
            "address": data["address"],
            "postcode": data["postcode"],
            "tenure": data["tenure"],
            "business_area": data["business_area"],
            "concerns": data["concerns"],
            "actions_taken": data["actions_taken"],
            "complaint_stage": data["complaint_stage"],
            "complaint_reference": data["complaint_reference"] if made_complaint else "",
            "complaint_finished": bool(made_complaint and data["complaint_finished"]),
            "service_failures": data["service_failures"],
            "others_affected": others,
            "others_affected_why": data["others_affected_why"] if others else "",
            "households_affected": data["households_affected"] if others else None,
            "support_requested": support,
            "support_contact": data["support_contact"] if support else "",
            "may_be_listed": bool(data.get("may_be_listed")),
        }

    def evidence_files(self) -> list[UploadedFile]:
        return self.cleaned_data["evidence"]

    def extra_answers(self) -> list[dict]:
        """Each extra question's label with its answer as text ("" when not answered)."""
        answers = []
        for index, question in enumerate(self.extra_questions):
            value = self.cleaned_data.get(self.extra_field_name(index))
            if value is None:
                answer = ""
            elif question.question_type == QuestionType.YES_NO:
                answer = "Yes" if value else "No"  # kept in the call's record, in one language
            else:
                answer = str(value)
            answers.append({"label": question.label, "answer": answer})
        return answers


def extra_question_field(question) -> forms.Field:
    """A form field for a question an editor added, with messages that name the question."""
    label = question.label
    common = {
        "label": label if question.required else gettext("%(label)s (optional)") % {"label": label},
        "required": question.required,
        "help_text": question.help_text,
    }
    kind = question.question_type
    if kind == QuestionType.YES_NO:
        message = gettext("Select yes or no for “%(label)s”") % {"label": label}
        return yes_no_field(message=message, **common)
    if kind == QuestionType.CHOICE:
        message = gettext("Select an answer for “%(label)s”") % {"label": label}
        return forms.ChoiceField(
            choices=[(choice, choice) for choice in question.choice_list()],
            widget=forms.RadioSelect,
            error_messages={"required": message, "invalid_choice": message},
            **common,
        )
    if kind == QuestionType.NUMBER:
        message = gettext("Enter a whole number for “%(label)s”, like 3") % {"label": label}
        return forms.IntegerField(
            widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input--short"}),
            error_messages={"required": message, "invalid": message},
            **common,
        )
    multi_line = kind == QuestionType.MULTI_LINE
    max_length = LONG_TEXT if multi_line else 1000
    return forms.CharField(
        max_length=max_length,
        widget=forms.Textarea if multi_line else forms.TextInput,
        error_messages={
            "required": gettext("Answer the question “%(label)s”") % {"label": label},
            "max_length": ngettext(
                "Your answer to “%(label)s” must be %(max_length)s character or fewer",
                "Your answer to “%(label)s” must be %(max_length)s characters or fewer",
                max_length,
            )
            % {"label": label, "max_length": number_format(max_length, force_grouping=True)},
        },
        **common,
    )


ACCESS_CODE_FIELD = forms.CharField(
    label=_("Access code"),
    max_length=40,
    help_text=_(
        "The 10 letters and numbers in the email or letter we sent you, for example "
        "K7QXM-PR9TA. Capitals and dashes do not matter."
    ),
    error_messages={
        "required": _("Enter your access code"),
        "max_length": _("Enter your access code, like K7QXM-PR9TA"),
    },
    widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
)


class RegisterFilterForm(GovukForm):
    """The public register's filters, sent with GET; every one may be left at "all"."""

    year = forms.TypedChoiceField(
        label=_("Year received"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a year from the list")},
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=BusinessArea.objects.none(),
        required=False,
        empty_label=_("All services"),
        error_messages={"invalid_choice": _("Choose a service from the list")},
    )
    outcome = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", _("All decisions")), *DecisionOutcome.choices],
        error_messages={"invalid_choice": _("Choose a decision from the list")},
    )

    def __init__(self, *args, years: list[int], outcomes: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", gettext("All decisions")), *outcomes.items()]
        self.fields["year"].choices = [("", gettext("All years"))] + [
            (str(year), financial_year_label(year)) for year in years
        ]
        self.fields["service"].queryset = BusinessArea.objects.order_by("name")


class CallTrackingForm(GovukForm):
    """A reference with the resident's access code (everything), or with the email address or
    postcode they gave (only the stage the call has reached)."""

    reference = forms.CharField(
        label=_("Your call reference"),
        max_length=20,
        help_text=_("For example, CCS-2026-0012. It is in the email or letter we sent you."),
        error_messages={
            "required": _("Enter your call reference"),
            "max_length": _("Enter your call reference, like CCS-2026-0012"),
        },
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    access_code = forms.CharField(
        label=ACCESS_CODE_FIELD.label,
        max_length=ACCESS_CODE_FIELD.max_length,
        required=False,
        help_text=ACCESS_CODE_FIELD.help_text,
        error_messages=ACCESS_CODE_FIELD.error_messages,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    email_or_postcode = forms.CharField(
        label=_("No access code? The email address or postcode you gave us"),
        max_length=254,
        required=False,
        help_text=_(
            "This shows only the stage your call has reached, not the panel's decision or its "
            "reasons, and you cannot appeal with it."
        ),
        error_messages={"max_length": _("Enter the email address or postcode you gave us")},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            "access_code" not in self.errors
            and "email_or_postcode" not in self.errors
            and not cleaned.get("access_code", "").strip()
            and not cleaned.get("email_or_postcode", "").strip()
        ):
            self.add_error(
                "access_code",
                gettext("Enter your access code, or the email address or postcode you gave us"),
            )
        return cleaned


class PetitionSignatureForm(GovukForm):
    """One person's online signature: who they are, where they live, and that they agree."""

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
    email = email_field(
        help_text=_("We will email you a link. Your signature counts only once you follow it.")
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
        help_text=_("With your name, this makes sure each person is counted once."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "input--postcode"}),
    )
    address = text_field(
        _("Address (optional)"),
        max_length=255,
        too_long=ngettext_lazy(
            "Address must be %(max_length)s character or fewer",
            "Address must be %(max_length)s characters or fewer",
            "max_length",
        ),
        widget=forms.Textarea(attrs={"autocomplete": "street-address", "rows": 3}),
    )
    tell_outcome = forms.BooleanField(
        label=_("Email me what the panel decides, and what its review finds"),
        required=False,
        help_text=_(
            "We will email you at most three times: the panel's decision, its report, and "
            "when the changes it asked for are done. We delete your address with your signature."
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

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"]
        if postcode and not POSTCODE.match("".join(postcode.split()).upper()):
            raise forms.ValidationError(
                gettext("Enter a real postcode, like SW1A 1AA"), code="invalid"
            )
        return postcode_formatted(postcode)

    def signature_fields(self) -> dict:
        """The answers as arguments for pipeline.petition_sign."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "postcode": data["postcode"],
            "address": data["address"],
            "tell_outcome": bool(data.get("tell_outcome")),
        }


class AppealForm(GovukForm):
    """A resident's written appeal: which call, its access code (the proof it is theirs), their
    grounds and files."""

    reference = CallTrackingForm.base_fields["reference"]
    access_code = ACCESS_CODE_FIELD
    grounds = text_field(
        _("Why are you appealing against the panel's decision?"),
        message=_("Tell us why you are appealing"),
        max_length=LONG_TEXT,
        too_long=ngettext_lazy(
            "Your grounds for appeal must be %(max_length)s character or fewer",
            "Your grounds for appeal must be %(max_length)s characters or fewer",
            "max_length",
        ),
        help_text=_("Explain what you think the panel got wrong, and anything it did not know."),
        widget=forms.Textarea,
    )
    evidence = EvidenceField(
        label=_("Files to support your appeal (optional)"),
        required=False,
        help_text=with_numbers(
            ngettext_lazy(
                "Up to %(count)s file, each smaller than 10 MB: PDF, JPG, PNG, GIF, Word document "
                "(.docx) or text file.",
                "Up to %(count)s files, each smaller than 10 MB: PDF, JPG, PNG, GIF, Word document "
                "(.docx) or text file.",
                "count",
            ),
            count=MAX_EVIDENCE_FILES,
        ),
        widget=MultipleFileInput(attrs={"accept": ",".join(EVIDENCE_TYPES)}),
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def files_chosen(self) -> int:
        """How many files came with this submission (they are never kept if it had errors)."""
        if not self.is_bound:
            return 0
        return len([upload for upload in self.files.getlist("evidence") if upload])
