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

    call = models.OneToOneField(
        CallForScrutiny, on_delete=models.PROTECT, related_name="petition", verbose_name=_("call")
    )
    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    title = models.CharField(max_length=200, verbose_name=_("title"))
    summary = models.TextField(
        help_text=_("Written by the officer for the public page; never the resident's details."),
        verbose_name=_("summary"),
    )
    target = models.PositiveIntegerField(verbose_name=_("target"))
    target_rule = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("How the target was worked out."),
        verbose_name=_("target rule"),
    )
    target_change_reason = models.TextField(blank=True, verbose_name=_("target change reason"))
    status = models.CharField(
        max_length=10,
        choices=PetitionStatus.choices,
        default=PetitionStatus.DRAFT,
        db_index=True,
        verbose_name=_("status"),
    )
    published = models.BooleanField(default=False, db_index=True, verbose_name=_("published"))
    opened_at = models.DateTimeField(null=True, blank=True, verbose_name=_("opened at"))
    closes_on = models.DateField(verbose_name=_("closes on"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    third_reached_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("third reached at")
    )
    two_thirds_reached_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("two thirds reached at")
    )
    target_reached_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("target reached at")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    signatures_anonymised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When its signers were anonymised."),
        verbose_name=_("signatures anonymised at"),
    )
    people_counted = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_(
            "How many people have signed (confirmed or on paper, not withdrawn or invalidated), "
            "kept by the pipeline as signatures change, so pages need not count them."
        ),
        verbose_name=_("people counted"),
    )

    search_fields = [index.SearchField("title"), index.SearchField("summary")]

    # The running count changes with every signature, which has its own history.
    history = HistoricalRecords(excluded_fields=["people_counted"])

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
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

    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("petition")
    )
    method = models.CharField(
        max_length=10,
        choices=SignatureMethod.choices,
        default=SignatureMethod.ONLINE,
        verbose_name=_("method"),
    )
    name = models.CharField(max_length=200, verbose_name=_("name"))
    email = models.EmailField(blank=True, verbose_name=_("email"))
    postcode = models.CharField(max_length=10, blank=True, verbose_name=_("postcode"))
    address = models.CharField(max_length=255, blank=True, verbose_name=_("address"))
    person_key = models.CharField(
        max_length=255,
        db_index=True,
        help_text=_("Name and postcode, normalised: one person."),
        verbose_name=_("person key"),
    )
    token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False, verbose_name=_("token")
    )
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmed at"))
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("withdrawn at"))
    invalidated_at = models.DateTimeField(null=True, blank=True, verbose_name=_("invalidated at"))
    invalidation_reason = models.CharField(
        max_length=255, blank=True, verbose_name=_("invalidation reason")
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("ip address"))
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
        verbose_name=_("entered by"),
    )
    anonymised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When its personal data was anonymised."),
        verbose_name=_("anonymised at"),
    )

    history = HistoricalRecords(excluded_fields=["token"])
    objects = PetitionSignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("petition signature")
        verbose_name_plural = _("petition signatures")
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
