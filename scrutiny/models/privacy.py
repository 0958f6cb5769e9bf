"""What was done with residents' personal data: retention runs and erasures on request."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class PrivacyActionKind(models.TextChoices):
    RETENTION = "retention", _("Retention (scheduled anonymisation)")
    ERASURE = "erasure", _("Erasure on request")
    EXPORT = "export", _("Subject access export")


class PrivacyAction(models.Model):
    """One anonymisation run, erasure or export: who, when and how many records, never whose.

    The email address an erasure or export was asked for is not kept, not even hashed: a record that
    could confirm the address would itself be personal data about the person who asked.
    """

    kind = models.CharField(
        max_length=20, choices=PrivacyActionKind.choices, verbose_name=_("kind")
    )
    happened_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("happened at")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The officer who asked for it; empty for the scheduled task."),
        verbose_name=_("user"),
    )
    counts = models.JSONField(
        default=dict, help_text=_("Records changed, by kind."), verbose_name=_("counts")
    )

    class Meta:
        verbose_name_plural = _("personal data actions")
        ordering = ["-happened_at", "-pk"]
        verbose_name = _("personal data action")
        permissions = [
            ("export_personal_data", "Can export and erase the personal data held about someone"),
        ]

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.happened_at), "j F Y H:i")
        return f"{self.get_kind_display()}, {when}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())
