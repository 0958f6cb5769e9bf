"""Panel meetings: when and where the panel meets, its agenda, minutes and attendance."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import RevisionMixin
from wagtail.search import index

from .state import StateOutsideRevisions


def _to_the_minute(moment):
    return moment.replace(second=0, microsecond=0)


class MeetingKind(models.TextChoices):
    FORMAL = "formal", _("Formal meeting")
    AWAY_DAY = "away_day", _("Away day")
    BOARD_AWAY_DAY = "board_away_day", _("Whole board away day")
    REVIEW_SESSION = "review_session", _("Review session")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("meeting status", "Scheduled")
    HELD = "held", pgettext_lazy("meeting status", "Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")


class PanelMeetingQuerySet(models.QuerySet):
    def upcoming_formal(self, *, after=None):
        """Scheduled formal meetings from a moment on, soonest first."""
        return self.filter(
            kind=MeetingKind.FORMAL,
            status=MeetingStatus.SCHEDULED,
            starts_at__gte=after or timezone.now(),
        ).order_by("starts_at", "pk")

    def held_since(self, since=None):
        """Formal meetings that took place (begun, not cancelled) from a moment on, latest first.

        The meetings at which the panel can have decided on a call that reached it `since`.
        """
        meetings = self.filter(kind=MeetingKind.FORMAL, starts_at__lte=timezone.now()).exclude(
            status=MeetingStatus.CANCELLED
        )
        if since is not None:
            meetings = meetings.filter(starts_at__gte=since)
        return meetings.order_by("-starts_at", "-pk")


class PanelMeeting(StateOutsideRevisions, RevisionMixin, index.Indexed, models.Model):
    """A meeting of the panel; calls awaiting a decision go on the next formal one's agenda."""

    title = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Optional, e.g. 'Spring away day'."),
        verbose_name=_("title"),
    )
    kind = models.CharField(
        max_length=20,
        choices=MeetingKind.choices,
        default=MeetingKind.FORMAL,
        verbose_name=_("kind"),
    )
    status = models.CharField(
        max_length=20,
        choices=MeetingStatus.choices,
        default=MeetingStatus.SCHEDULED,
        db_index=True,
        verbose_name=_("status"),
    )
    starts_at = models.DateTimeField(db_index=True, verbose_name=_("starts at"))
    place = models.CharField(max_length=255, blank=True, verbose_name=_("place"))
    online_link = models.URLField(blank=True, verbose_name=_("online link"))
    agenda_notes = models.TextField(
        _("other agenda items"), blank=True, help_text=_("Items beyond the calls, one per line.")
    )
    minutes = models.TextField(blank=True, verbose_name=_("minutes"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="panel_meetings_attended",
        help_text=_("Panel members who attended."),
        verbose_name=_("attendees"),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("starts_at"),
        MultiFieldPanel([FieldPanel("place"), FieldPanel("online_link")], heading=_("Where")),
        FieldPanel("agenda_notes"),
        FieldPanel("minutes"),
        FieldPanel("attendees"),
    ]
    search_fields = [index.SearchField("title"), index.SearchField("minutes")]

    history = HistoricalRecords(excluded_fields=["latest_revision"], m2m_fields=[attendees])

    objects = PanelMeetingQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("panel meetings")
        ordering = ["-starts_at"]
        verbose_name = _("panel meeting")

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.starts_at), "j F Y")
        return f"{self.title or self.get_kind_display()}, {when}"

    def clean(self):
        """A meeting at which the panel decided keeps its time and kind: the letters, the
        tracking page and the appeal deadlines all name it."""
        super().clean()
        if self.pk is None:
            return
        stored = PanelMeeting.objects.filter(pk=self.pk).values("starts_at", "kind").first()
        if stored is None or not self.decisions.exists():
            return
        count = self.decisions.count()
        errors = {}
        if self.starts_at and _to_the_minute(self.starts_at) == _to_the_minute(stored["starts_at"]):
            # The form shows minutes: an unchanged form keeps the stored seconds.
            self.starts_at = stored["starts_at"]
        if self.starts_at and self.starts_at != stored["starts_at"]:
            errors["starts_at"] = ngettext(
                "The panel took a decision at this meeting, so its date and time stay as they "
                "are on the record.",
                "The panel took %(count)d decisions at this meeting, so its date and time stay "
                "as they are on the record.",
                count,
            ) % {"count": count}
        if self.kind != stored["kind"]:
            errors["kind"] = ngettext(
                "The panel took a decision at this meeting, so it stays formal.",
                "The panel took %(count)d decisions at this meeting, so it stays formal.",
                count,
            ) % {"count": count}
        if errors:
            raise ValidationError(errors)
