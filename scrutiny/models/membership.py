"""Joining the panel: applications, anonymous monitoring, members and their expense claims."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .calls import ReceivedVia, Tenure, private_storage

SKILLS = [
    ("outlook", "A positive and neutral outlook"),
    ("viewpoints", "Looking at things from a different point of view"),
    ("group_work", "Confidence working in a group and putting ideas forward"),
    ("analysis", "Understanding reports: performance, finance, survey data"),
    ("it", "Basic IT: email and online meetings"),
    ("equality", "Understanding of, and commitment to, equality and diversity"),
]


class ApplicationStage(models.TextChoices):
    RECEIVED = "received", "Received"
    SHORTLISTED = "shortlisted", "Shortlisted"
    INTERVIEWED = "interviewed", "Interviewed"
    APPOINTED = "appointed", "Appointed"
    DECLINED = "declined", "Declined"


class PaymentChoice(models.TextChoices):
    PAID = "paid", "Paid"
    VOLUNTARY = "voluntary", "Voluntary"


class PanelApplication(models.Model):
    """An eligible resident's application to join the panel; ineligible ones are never kept."""

    name = models.CharField(max_length=200)
    email = models.EmailField(
        blank=True, help_text="Online applicants give one; an officer may enter one without."
    )
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    tenure = models.CharField(max_length=20, choices=Tenure.choices)
    why_join = models.TextField("why they want to join")
    skills = models.JSONField(default=list, blank=True, help_text="Codes from SKILLS.")
    skills_more = models.TextField("what else they bring", blank=True)
    availability = models.TextField(blank=True)
    payment_choice = models.CharField(
        max_length=20, choices=PaymentChoice.choices, default=PaymentChoice.PAID
    )
    adjustments = models.TextField("reasonable adjustments", blank=True)
    stage = models.CharField(
        max_length=20,
        choices=ApplicationStage.choices,
        default=ApplicationStage.RECEIVED,
        db_index=True,
    )
    notes = models.TextField(blank=True, help_text="Officers' notes; never shown to the applicant.")
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    received_via = models.CharField(
        "received",
        max_length=12,
        choices=ReceivedVia.choices,
        default=ReceivedVia.WEB,
        editable=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="The officer who entered an application given by post, by phone or in person.",
    )
    member = models.OneToOneField(
        "PanelMember",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )
    anonymised_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When its personal data was anonymised."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "panel application"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_stage_display().lower()})"

    def skill_labels(self) -> list[str]:
        labels = dict(SKILLS)
        return [labels[code] for code in self.skills if code in labels]


class IneligibleApplicationCount(models.Model):
    """How many applications were turned away in a financial year; nothing about who."""

    financial_year = models.PositiveSmallIntegerField(unique=True, help_text="Year it starts in.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "ineligible application count"

    def __str__(self) -> str:
        return f"{self.financial_year}: {self.count}"


class EqualityMonitoring(models.Model):
    """Optional equality answers, kept with the financial year only and no link to anyone.

    A random key and no timestamp, so not even the order of rows can tie one to an application.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    financial_year = models.PositiveSmallIntegerField(db_index=True)
    age_band = models.CharField(max_length=40, blank=True)
    gender = models.CharField(max_length=60, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    disability = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = "equality monitoring answer"

    def __str__(self) -> str:
        return f"Equality monitoring, {self.financial_year}"


class MemberRole(models.TextChoices):
    MEMBER = "member", "Member"
    CHAIR = "chair", "Chair"


class PanelMember(models.Model):
    """A serving panel member: their admin account, start date, role and payment choice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_member"
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    payment_choice = models.CharField(
        max_length=20, choices=PaymentChoice.choices, default=PaymentChoice.PAID
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]
        verbose_name = "panel member"

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def is_paid(self) -> bool:
        return self.payment_choice == PaymentChoice.PAID


class ExpenseStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ExpenseClaim(models.Model):
    """A member's claim for money spent on panel work, with its receipt kept privately."""

    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="expense_claims")
    spent_on = models.DateField("date")
    description = models.CharField("what it was for", max_length=255)
    amount = models.DecimalField(max_digits=8, decimal_places=2, validators=[MinValueValidator(0)])
    receipt = models.FileField(upload_to="expense-receipts/%Y/%m/", storage=private_storage)
    receipt_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=20,
        choices=ExpenseStatus.choices,
        default=ExpenseStatus.SUBMITTED,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-spent_on", "-pk"]
        verbose_name = "expense claim"

    def __str__(self) -> str:
        return f"£{self.amount} on {self.spent_on:%-d %B %Y}: {self.description}"
