"""Residents' personal data, field by field: the one registry the admin, the history and the
privacy code read.

For each model that holds something about a resident (or a member), it says

- `private`: the fields shown only to staff who may see residents' details. The admin's call
  page and its listing and export leave them out, and the History area shows them as "hidden";
- `anonymised`: what replaces each field when the record is anonymised at the end of its
  retention period, or erased on request (every private field is among them);
- `exported`: the fields a subject access export gives, in order.

Models are named by their label, so that this module imports nothing and anything may read it.
"""

from dataclasses import dataclass, field

ANONYMISED = "Anonymised"


@dataclass(frozen=True)
class PersonalFields:
    private: tuple = ()
    anonymised: dict = field(default_factory=dict)
    exported: tuple = ()


_CONTACT = ("name", "email", "phone", "address", "postcode")
# An anonymised resident: no name, and no way to reach them.
_CONTACT_GONE = {"name": ANONYMISED, "email": "", "phone": "", "address": "", "postcode": ""}
_UPLOAD = PersonalFields(
    private=("original_name", "file"),
    anonymised={"file": "", "original_name": "Deleted"},
    exported=("original_name", "content_type", "size", "uploaded_at"),
)

REGISTRY: dict[str, PersonalFields] = {
    "scrutiny.CallForScrutiny": PersonalFields(
        private=(*_CONTACT, "support_contact"),
        anonymised={
            **_CONTACT_GONE,
            "concerns": ANONYMISED,
            "actions_taken": ANONYMISED,
            "service_failures": ANONYMISED,
            "others_affected_why": "",
            "complaint_reference": "",
            "support_contact": "",
            "extra_answers": [],
        },
        exported=(
            "reference",
            "status",
            "submitted_at",
            "status_changed_at",
            *_CONTACT,
            "tenure",
            "business_area",
            "concerns",
            "actions_taken",
            "complaint_stage",
            "complaint_reference",
            "complaint_finished",
            "service_failures",
            "others_affected",
            "others_affected_why",
            "households_affected",
            "support_requested",
            "support_contact",
            "support_given_at",
            "extra_answers",
            "privacy_agreed_at",
            "anonymised_at",
        ),
    ),
    "scrutiny.CallNote": PersonalFields(
        private=("text",),
        anonymised={"text": ANONYMISED},
        exported=("text", "created_at"),
    ),
    "scrutiny.CallEvidence": _UPLOAD,
    "scrutiny.PanelDecision": PersonalFields(
        exported=(
            "outcome",
            "reasons",
            "avenues",
            "immediate_recommendations",
            "decided_at",
            "sent_on",
            "appeal_deadline",
        ),
    ),
    # Who sat on an appeal panel is about them, not the appellant: left out of the export.
    "scrutiny.Appeal": PersonalFields(
        anonymised={"grounds": ANONYMISED},
        exported=(
            "reference",
            "status",
            "received_at",
            "grounds",
            "outcome",
            "direction",
            "decision_reasons",
            "decided_at",
            "anonymised_at",
        ),
    ),
    "scrutiny.AppealEvidence": _UPLOAD,
    # A signature's email and person key are replaced row by row (pipeline.privacy).
    "scrutiny.PetitionSignature": PersonalFields(
        private=("name", "email", "address", "postcode", "ip_address", "person_key"),
        anonymised={
            "name": ANONYMISED,
            "postcode": "",
            "address": "",
            "ip_address": None,
            "tell_outcome": False,
        },
        exported=(
            "method",
            "name",
            "email",
            "postcode",
            "address",
            "created_at",
            "confirmed_at",
            "withdrawn_at",
            "invalidated_at",
            "invalidation_reason",
            "ip_address",
            "anonymised_at",
        ),
    ),
    "scrutiny.PanelApplication": PersonalFields(
        private=(*_CONTACT, "adjustments"),
        anonymised={
            **_CONTACT_GONE,
            "why_join": ANONYMISED,
            "skills_more": "",
            "availability": "",
            "adjustments": "",
            "notes": "",
        },
        exported=(
            *_CONTACT,
            "tenure",
            "why_join",
            "skills",
            "skills_more",
            "availability",
            "payment_choice",
            "adjustments",
            "stage",
            "notes",
            "submitted_at",
            "anonymised_at",
        ),
    ),
    "scrutiny.PanelMember": PersonalFields(
        exported=("started_on", "ended_on", "role", "payment_choice"),
    ),
    "scrutiny.ExpenseClaim": PersonalFields(
        exported=(
            "spent_on",
            "description",
            "amount",
            "receipt_name",
            "status",
            "decided_at",
            "rejection_reason",
            "submitted_at",
        ),
    ),
    # A member's own account, whatever the site's user model.
    "account": PersonalFields(
        exported=("username", "first_name", "last_name", "email", "date_joined", "last_login"),
    ),
}

NONE = PersonalFields()


def of(model_or_label) -> PersonalFields:
    """The personal fields of a model (or its label); none for a model that holds none."""
    label = model_or_label if isinstance(model_or_label, str) else model_or_label._meta.label
    return REGISTRY.get(label, NONE)
