"""Bookkeeping shared by every feature: readable references, sent emails, form attempts, and
the log of changes as each user may read it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry
from wagtail.models.audit_log import ModelLogEntryManager

from .handlers import ask


class ReferenceCounter(models.Model):
    """The last number issued for a prefix and year, so references are unique and readable."""

    prefix = models.CharField(max_length=10, verbose_name=_("prefix"))
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    last_number = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_reference_counter")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class MessageChannel(models.TextChoices):
    """How a message reached its recipient."""

    EMAIL = "email", pgettext_lazy("message channel", "Email")
    LETTER = "letter", pgettext_lazy("message channel", "Letter")


class MessageState(models.TextChoices):
    """Where a message is: an email sent or failed, a letter waiting to be posted or posted."""

    SENT = "sent", pgettext_lazy("message state", "Sent")
    FAILED = "failed", pgettext_lazy("message state", "Failed (tried again)")
    TO_POST = "to_post", pgettext_lazy("message state", "To post")
    POSTED = "posted", pgettext_lazy("message state", "Posted")


class SentEmail(models.Model):
    """One row per message the system has sent, keyed so a task that runs twice sends once.

    Messages to residents are the outbox (who was told what, and when, and how): an email, or
    a letter for a resident who gave no email address, which an officer prints and posts.
    """

    key = models.CharField(max_length=200, unique=True, verbose_name=_("key"))
    to = models.TextField(_("email to"), blank=True)
    subject = models.CharField(max_length=255, verbose_name=_("subject"))
    sent_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    to_resident = models.BooleanField(
        default=False,
        db_index=True,
        help_text=_("A message to a resident: listed in the outbox."),
        verbose_name=_("to resident"),
    )
    recipient_name = models.CharField(
        pgettext_lazy("a message's recipient", "to"), max_length=200, blank=True
    )
    postal_address = models.TextField(
        blank=True, help_text=_("Where a letter is posted."), verbose_name=_("postal address")
    )
    reference = models.CharField(
        max_length=40,
        blank=True,
        db_index=True,
        help_text=_("The record the message is about."),
        verbose_name=_("reference"),
    )
    channel = models.CharField(
        max_length=10,
        choices=MessageChannel.choices,
        default=MessageChannel.EMAIL,
        verbose_name=_("channel"),
    )
    state = models.CharField(
        max_length=10,
        choices=MessageState.choices,
        default=MessageState.SENT,
        db_index=True,
        verbose_name=_("state"),
    )
    failed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("failed at"))
    body = models.TextField(
        blank=True, help_text=_("A letter's words, as printed."), verbose_name=_("body")
    )
    sender = models.TextField(
        blank=True, help_text=_("A letter's address block, as printed."), verbose_name=_("sender")
    )
    posted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("posted at"))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("posted by"),
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("message to a resident")
        verbose_name_plural = _("outbox")
        permissions = [("post_letters", "Can print letters to residents and mark them posted")]

    def __str__(self) -> str:
        return f"{self.subject} ({self.reference or self.key})"

    @property
    def is_letter(self) -> bool:
        return self.channel == MessageChannel.LETTER


class FormAttempts(models.Model):
    """How often one network address used one public form in one clock hour (scrutiny.ratelimit).

    The address is kept only inside a hashed key; rows of past hours are deleted as new hours
    begin.
    """

    key = models.CharField(
        max_length=100, help_text=_("The form and the hashed address."), verbose_name=_("key")
    )
    hour = models.PositiveIntegerField(
        db_index=True, help_text=_("Hours since 1970 (UTC)."), verbose_name=_("hour")
    )
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))

    class Meta:
        verbose_name = _("form attempts")
        verbose_name_plural = _("form attempts")
        constraints = [
            models.UniqueConstraint(fields=["key", "hour"], name="one_count_per_form_address_hour")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.attempts}"


class ChangeHistory(models.Model):
    """The permission to read the history of every change; it has no table of its own.

    The history itself is in simple-history's tables (see scrutiny.history).
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_history", "Can see and export the history of every change")]
        verbose_name = _("change history")
        verbose_name_plural = _("change history")

    def __str__(self) -> str:
        return gettext("Change history")


class RecordLogEntryManager(ModelLogEntryManager):
    """Wagtail's log of changes to models, each entry shown only to those who may open its record.

    Wagtail's own manager shows every entry of a model to anyone holding any permission on the
    model: a panel member would read every member's expense claims in the site history.
    """

    def viewable_by_user(self, user):
        # scrutiny.permissions.log_entries_visible_to
        return ask("log_entries_visible_to", user, super().viewable_by_user(user))


class RecordLogEntry(ModelLogEntry):
    """Wagtail's log entries of models (its own table), read through RecordLogEntryManager.

    Registered for every model in place of ModelLogEntry (scrutiny/admin_hooks/log_actions.py),
    so Wagtail's site history report, its filters and its CSV and XLSX exports list only entries
    the user may see.
    """

    objects = RecordLogEntryManager()

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
