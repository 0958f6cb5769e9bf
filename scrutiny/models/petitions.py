"""Petitions backing a call, and the signatures collected online and on paper."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.search import index

from .calls import CallForScrutiny


class PetitionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("petition status", "Draft")
    OPEN = "open", pgettext_lazy("petition status", "Open")
    CLOSED = "closed", pgettext_lazy("petition status", "Closed")


class Petition(index.Indexed, models.Model):
    """A petition an officer opens for a call; its target reflects the area or those affected."""

    call = models.OneToOneField(CallForScrutiny, on_delete=models.PROTECT, related_name="petition")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(
        help_text=_("Written by the officer for the public page; never the resident's details.")
    )
    target = models.PositiveIntegerField()
    target_rule = models.CharField(
        max_length=255, blank=True, help_text=_("How the target was worked out.")
    )
    target_change_reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=PetitionStatus.choices, default=PetitionStatus.DRAFT, db_index=True
    )
    published = models.BooleanField(default=False, db_index=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    third_reached_at = models.DateTimeField(null=True, blank=True)
    two_thirds_reached_at = models.DateTimeField(null=True, blank=True)
    target_reached_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signatures_anonymised_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text=_("When its signers were anonymised.")
    )
    people_counted = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_(
            "How many people have signed (confirmed or on paper, not withdrawn or invalidated), "
            "kept by the pipeline as signatures change, so pages need not count them."
        ),
    )

    search_fields = [index.SearchField("title"), index.SearchField("summary")]

    # The running count changes with every signature, which has its own history.
    history = HistoricalRecords(excluded_fields=["people_counted"])

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # The running count is written only by the pipeline, with an UPDATE while it holds the
        # petition's row lock: saving a whole copy read earlier must not put an old number back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "people_counted"
            ]
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == PetitionStatus.OPEN and timezone.localdate() <= self.closes_on


class SignatureMethod(models.TextChoices):
    ONLINE = "online", pgettext_lazy("signature method", "Online")
    PAPER = "paper", pgettext_lazy("signature method", "Paper")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class PetitionSignatureQuerySet(models.QuerySet):
    def counted(self):
        """Signatures that count: confirmed (or on paper), not withdrawn, not invalidated."""
        return self.filter(
            confirmed_at__isnull=False, withdrawn_at__isnull=True, invalidated_at__isnull=True
        )


class PetitionSignature(models.Model):
    """One person's signature; a person who signs online and on paper counts once."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="signatures")
    method = models.CharField(
        max_length=10, choices=SignatureMethod.choices, default=SignatureMethod.ONLINE
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    address = models.CharField(max_length=255, blank=True)
    person_key = models.CharField(
        max_length=255, db_index=True, help_text=_("Name and postcode, normalised: one person.")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    invalidated_at = models.DateTimeField(null=True, blank=True)
    invalidation_reason = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    tell_outcome = models.BooleanField(
        _("told the outcome"),
        default=False,
        help_text=_(
            "The signer asked to be emailed what the panel decides and what its review "
            "finds; cleared with their other details."
        ),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The officer who entered a paper signature."),
    )
    anonymised_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text=_("When its personal data was anonymised.")
    )

    history = HistoricalRecords(excluded_fields=["token"])
    objects = PetitionSignatureQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "email"],
                condition=Q(method="online"),
                name="one_online_signature_per_email",
            )
        ]
        # Counting the people on a petition reads only this index, however many have signed.
        indexes = [
            models.Index(
                fields=["petition", "person_key"],
                condition=Q(
                    confirmed_at__isnull=False,
                    withdrawn_at__isnull=True,
                    invalidated_at__isnull=True,
                ),
                name="signature_counted",
            )
        ]

    def __str__(self) -> str:
        return gettext("Signature on %(petition)s") % {"petition": self.petition}
