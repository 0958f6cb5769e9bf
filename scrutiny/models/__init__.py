"""Models of the scrutiny plugin, split by concept."""

from .calls import (
    CallEvidence,
    CallForScrutiny,
    CallNote,
    CallStatus,
    ComplaintStage,
    Tenure,
)
from .config import BusinessArea, ScrutinySettings
from .decisions import DecisionOutcome, NotAcceptedReason, PanelDecision
from .meetings import MeetingKind, MeetingStatus, PanelMeeting
from .membership import (
    SKILLS,
    ApplicationStage,
    EqualityMonitoring,
    ExpenseClaim,
    ExpenseStatus,
    IneligibleApplicationCount,
    MemberRole,
    PanelApplication,
    PanelMember,
    PaymentChoice,
)
from .pages import (
    CallFormQuestion,
    CallForScrutinyPage,
    JoinThePanelPage,
    PetitionIndexPage,
    QuestionType,
)
from .petitions import Petition, PetitionSignature, PetitionStatus, SignatureMethod
from .system import ReferenceCounter, SentEmail
from .workflows import PanelDecisionTask

__all__ = [
    "SKILLS",
    "ApplicationStage",
    "EqualityMonitoring",
    "ExpenseClaim",
    "ExpenseStatus",
    "IneligibleApplicationCount",
    "JoinThePanelPage",
    "MemberRole",
    "PanelApplication",
    "PanelMember",
    "PaymentChoice",
    "BusinessArea",
    "CallEvidence",
    "CallForScrutiny",
    "CallForScrutinyPage",
    "CallFormQuestion",
    "CallNote",
    "CallStatus",
    "ComplaintStage",
    "DecisionOutcome",
    "MeetingKind",
    "MeetingStatus",
    "NotAcceptedReason",
    "PanelDecision",
    "PanelDecisionTask",
    "PanelMeeting",
    "Petition",
    "PetitionIndexPage",
    "PetitionSignature",
    "PetitionStatus",
    "SignatureMethod",
    "QuestionType",
    "ReferenceCounter",
    "ScrutinySettings",
    "SentEmail",
    "Tenure",
]
