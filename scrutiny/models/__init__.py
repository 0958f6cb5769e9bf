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
from .pages import CallFormQuestion, CallForScrutinyPage, QuestionType
from .system import ReferenceCounter, SentEmail

__all__ = [
    "BusinessArea",
    "CallEvidence",
    "CallForScrutiny",
    "CallForScrutinyPage",
    "CallFormQuestion",
    "CallNote",
    "CallStatus",
    "ComplaintStage",
    "QuestionType",
    "ReferenceCounter",
    "ScrutinySettings",
    "SentEmail",
    "Tenure",
]
