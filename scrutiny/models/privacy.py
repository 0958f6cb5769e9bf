"""What was done with residents' personal data: retention runs and erasures on request."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PrivacyActionKind(models.TextChoices):
    RETENTION = "retention", "Retention (scheduled anonymisation)"
    ERASURE = "erasure", "Erasure on request"
    EXPORT = "export", "Subject access export"


class PrivacyAction(models.Model):
    """One anonymisation run, erasure or export: who, when and how many records, never whose.

    The email address an erasure or export was asked for is not kept, not even hashed: a record that
    could confirm the address would itself be personal data about the person who asked.
    """

    kind = models.CharField(max_length=20, choices=PrivacyActionKind.choices)
    happened_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The officer who asked for it; empty for the scheduled task.",
    )
    counts = models.JSONField(default=dict, help_text="Records changed, by kind.")

    class Meta:
        ordering = ["-happened_at", "-pk"]
        verbose_name = "personal data action"
        permissions = [
            ("export_personal_data", "Can export and erase the personal data held about someone"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {timezone.localtime(self.happened_at):%-d %B %Y %H:%M}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())
