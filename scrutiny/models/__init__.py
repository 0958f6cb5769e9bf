"""Models of the scrutiny plugin, split by concept."""

from .appeals import (
    Appeal,
    AppealDirection,
    AppealEvidence,
    AppealOutcome,
    AppealStatus,
    InvolvementGroup,
)
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
from .privacy import PrivacyAction, PrivacyActionKind
from .programme import ProgrammeIndexPage, ProgrammeYearPage, ReviewStatus, ScrutinyReviewPage
from .scoring import (
    PERIOD_RANK,
    Measure,
    MeasureField,
    Period,
    Score,
    ScoringBand,
    ScoringCriterion,
    financial_year_label,
)
from .system import ReferenceCounter, SentEmail
from .workflows import PanelDecisionTask

__all__ = [
    "Appeal",
    "AppealDirection",
    "AppealEvidence",
    "AppealOutcome",
    "AppealStatus",
    "InvolvementGroup",
    "PERIOD_RANK",
    "Measure",
    "MeasureField",
    "Period",
    "ProgrammeIndexPage",
    "ProgrammeYearPage",
    "ReviewStatus",
    "Score",
    "ScoringBand",
    "ScoringCriterion",
    "ScrutinyReviewPage",
    "financial_year_label",
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
    "PrivacyAction",
    "PrivacyActionKind",
    "SignatureMethod",
    "QuestionType",
    "ReferenceCounter",
    "ScrutinySettings",
    "SentEmail",
    "Tenure",
]
