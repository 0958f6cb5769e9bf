"""Joining the panel: applications, anonymous monitoring, members and their expense claims."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .calls import ReceivedVia, Tenure, private_storage

SKILLS = [
    ("outlook", _("A positive and neutral outlook")),
    ("viewpoints", _("Looking at things from a different point of view")),
    ("group_work", _("Confidence working in a group and putting ideas forward")),
    ("analysis", _("Understanding reports: performance, finance, survey data")),
    ("it", _("Basic IT: email and online meetings")),
    ("equality", _("Understanding of, and commitment to, equality and diversity")),
]


class ApplicationStage(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("application stage", "Received")
    SHORTLISTED = "shortlisted", pgettext_lazy("application stage", "Shortlisted")
    INTERVIEWED = "interviewed", pgettext_lazy("application stage", "Interviewed")
    APPOINTED = "appointed", pgettext_lazy("application stage", "Appointed")
    DECLINED = "declined", pgettext_lazy("application stage", "Declined")


class PaymentChoice(models.TextChoices):
    PAID = "paid", pgettext_lazy("member payment", "Paid")
    VOLUNTARY = "voluntary", pgettext_lazy("member payment", "Voluntary")


class PanelApplication(models.Model):
    """An eligible resident's application to join the panel; ineligible ones are never kept."""

    name = models.CharField(max_length=200, verbose_name=_("name"))
    email = models.EmailField(
        blank=True,
        help_text=_("Online applicants give one; an officer may enter one without."),
        verbose_name=_("email"),
    )
    phone = models.CharField(max_length=40, blank=True, verbose_name=_("phone"))
    address = models.TextField(blank=True, verbose_name=_("address"))
    postcode = models.CharField(max_length=10, blank=True, verbose_name=_("postcode"))
    tenure = models.CharField(max_length=20, choices=Tenure.choices, verbose_name=_("tenure"))
    why_join = models.TextField(_("why they want to join"))
    skills = models.JSONField(
        default=list, blank=True, help_text=_("Codes from SKILLS."), verbose_name=_("skills")
    )
    skills_more = models.TextField(_("what else they bring"), blank=True)
    availability = models.TextField(blank=True, verbose_name=_("availability"))
    payment_choice = models.CharField(
        max_length=20,
        choices=PaymentChoice.choices,
        default=PaymentChoice.PAID,
        verbose_name=_("payment choice"),
    )
    adjustments = models.TextField(_("reasonable adjustments"), blank=True)
    stage = models.CharField(
        max_length=20,
        choices=ApplicationStage.choices,
        default=ApplicationStage.RECEIVED,
        db_index=True,
        verbose_name=_("stage"),
    )
    notes = models.TextField(
        blank=True,
        help_text=_("Officers' notes; never shown to the applicant."),
        verbose_name=_("notes"),
    )
    submitted_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("submitted at")
    )
    received_via = models.CharField(
        pgettext_lazy("how it reached us", "received"),
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
        help_text=_("The officer who entered an application given by post, by phone or in person."),
        verbose_name=_("recorded by"),
    )
    member = models.OneToOneField(
        "PanelMember",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
        verbose_name=_("member"),
    )
    anonymised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When its personal data was anonymised."),
        verbose_name=_("anonymised at"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("panel applications")
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("panel application")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_stage_display().lower()})"

    def skill_labels(self) -> list[str]:
        labels = dict(SKILLS)
        return [labels[code] for code in self.skills if code in labels]


class IneligibleApplicationCount(models.Model):
    """How many applications were turned away in a financial year; nothing about who."""

    financial_year = models.PositiveSmallIntegerField(
        unique=True, help_text=_("Year it starts in."), verbose_name=_("financial year")
    )
    count = models.PositiveIntegerField(default=0, verbose_name=_("count"))

    class Meta:
        verbose_name_plural = _("ineligible application counts")
        verbose_name = _("ineligible application count")

    def __str__(self) -> str:
        return f"{self.financial_year}: {self.count}"


class EqualityMonitoring(models.Model):
    """Optional equality answers, kept with the financial year only and no link to anyone.

    A random key and no timestamp, so not even the order of rows can tie one to an application.
    """

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("id")
    )
    financial_year = models.PositiveSmallIntegerField(
        db_index=True, verbose_name=_("financial year")
    )
    age_band = models.CharField(max_length=40, blank=True, verbose_name=_("age band"))
    gender = models.CharField(max_length=60, blank=True, verbose_name=_("gender"))
    ethnicity = models.CharField(max_length=100, blank=True, verbose_name=_("ethnicity"))
    disability = models.CharField(max_length=40, blank=True, verbose_name=_("disability"))

    class Meta:
        verbose_name_plural = _("equality monitoring answers")
        verbose_name = _("equality monitoring answer")

    def __str__(self) -> str:
        return gettext("Equality monitoring, %(year)s") % {"year": self.financial_year}


class MemberRole(models.TextChoices):
    MEMBER = "member", pgettext_lazy("panel role", "Member")
    CHAIR = "chair", pgettext_lazy("panel role", "Chair")


class PanelMember(models.Model):
    """A serving panel member: their admin account, start date, role and payment choice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="panel_member",
        verbose_name=_("user"),
    )
    started_on = models.DateField(default=timezone.localdate, verbose_name=_("started on"))
    ended_on = models.DateField(null=True, blank=True, verbose_name=_("ended on"))
    role = models.CharField(
        max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER, verbose_name=_("role")
    )
    payment_choice = models.CharField(
        max_length=20,
        choices=PaymentChoice.choices,
        default=PaymentChoice.PAID,
        verbose_name=_("payment choice"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("panel members")
        ordering = ["user__last_name", "user__first_name", "user__username"]
        verbose_name = _("panel member")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def is_paid(self) -> bool:
        return self.payment_choice == PaymentChoice.PAID


class ExpenseStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("expense claim status", "Waiting for approval")
    APPROVED = "approved", pgettext_lazy("expense claim status", "Approved")
    REJECTED = "rejected", pgettext_lazy("expense claim status", "Rejected")


class ExpenseClaim(models.Model):
    """A member's claim for money spent on panel work, with its receipt kept privately."""

    member = models.ForeignKey(
        PanelMember,
        on_delete=models.PROTECT,
        related_name="expense_claims",
        verbose_name=_("member"),
    )
    spent_on = models.DateField(_("date"))
    description = models.CharField(_("what it was for"), max_length=255)
    amount = models.DecimalField(
        max_digits=8, decimal_places=2, validators=[MinValueValidator(0)], verbose_name=_("amount")
    )
    receipt = models.FileField(
        upload_to="expense-receipts/%Y/%m/", storage=private_storage, verbose_name=_("receipt")
    )
    receipt_name = models.CharField(max_length=255, blank=True, verbose_name=_("receipt name"))
    status = models.CharField(
        max_length=20,
        choices=ExpenseStatus.choices,
        default=ExpenseStatus.SUBMITTED,
        db_index=True,
        verbose_name=_("status"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    rejection_reason = models.TextField(blank=True, verbose_name=_("rejection reason"))
    submitted_at = models.DateTimeField(default=timezone.now, verbose_name=_("submitted at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("expense claims")
        ordering = ["-spent_on", "-pk"]
        verbose_name = _("expense claim")

    def __str__(self) -> str:
        return gettext("£%(amount)s on %(date)s: %(description)s") % {
            "amount": self.amount,
            "date": date_format(self.spent_on, "j F Y"),
            "description": self.description,
        }
