"""Builders for applications, members, meetings attended and expense claims."""

from datetime import date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from scrutiny import pipeline, roles
from scrutiny.models import MeetingKind, MeetingStatus, PanelApplication, PanelMeeting, PanelMember
from tests.conftest import make_user


def make_application(**overrides) -> PanelApplication:
    """An eligible application made through the pipeline, as the public form would."""
    fields = {
        "name": "Sam Okafor",
        "email": "sam.okafor@example.org",
        "tenure": "tenant",
        "why_join": "I want repairs done right first time.",
        "availability": "Evenings",
        "payment_choice": "paid",
    } | overrides
    return pipeline.application_submit(fields=fields)


def make_interviewed(officer, **overrides) -> PanelApplication:
    """An application moved on to interviewed."""
    application = make_application(**overrides)
    for stage in ["shortlisted", "interviewed"]:
        application = pipeline.application_move(application=application, stage=stage, user=officer)
    return application


def make_member(username: str = "member", **overrides) -> PanelMember:
    """A member with an account in the Panel members group."""
    user = overrides.pop("user", None) or make_user(username, group=roles.PANEL)
    fields = {"started_on": date(2020, 1, 1)} | overrides
    return PanelMember.objects.create(user=user, **fields)


def make_meeting(when: datetime, kind=MeetingKind.FORMAL, attendees=(), **overrides):
    """A held meeting at a moment, with these users attending."""
    fields = {"kind": kind, "status": MeetingStatus.HELD, "starts_at": when} | overrides
    meeting = PanelMeeting.objects.create(**fields)
    meeting.attendees.set(attendees)
    return meeting


def at(year: int, month: int, day: int, hour: int = 18) -> datetime:
    """A local moment."""
    return timezone.make_aware(datetime(year, month, day, hour))


def receipt(name: str = "receipt.pdf") -> SimpleUploadedFile:
    """A small PDF receipt."""
    return SimpleUploadedFile(name, b"%PDF-1.4 receipt", content_type="application/pdf")
