"""Running a review and what follows its report: steps, participants, recommendations,
the responses to them, and the action-plan items the panel monitors."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from .people import PersonField, person_name


class ReviewStep(models.Model):
    """One step every review walks through (configuration: ten in the Pine Court profile)."""

    name = models.CharField(max_length=120, unique=True, verbose_name=_("name"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    sort_order = models.PositiveSmallIntegerField(default=0, verbose_name=_("sort order"))
    active = models.BooleanField(
        default=True,
        help_text=_("Only active steps are added to reviews scheduled from now on."),
        verbose_name=_("active"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
        FieldPanel("active"),
    ]

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("review steps")
        ordering = ["sort_order", "pk"]
        verbose_name = _("review step")

    def __str__(self) -> str:
        return self.name


class StepStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("review step status", "Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("review step status", "In progress")
    DONE = "done", pgettext_lazy("review step status", "Done")
    SKIPPED = "skipped", pgettext_lazy("review step status", "Not needed")


class ReviewStepProgress(models.Model):
    """Where one review is with one of its steps."""

    review = models.ForeignKey(
        "scrutiny.ScrutinyReviewPage",
        on_delete=models.PROTECT,
        related_name="steps",
        verbose_name=_("review"),
    )
    step = models.ForeignKey(
        ReviewStep, on_delete=models.PROTECT, related_name="+", verbose_name=_("step")
    )
    position = models.PositiveSmallIntegerField(verbose_name=_("position"))
    status = models.CharField(
        max_length=20,
        choices=StepStatus.choices,
        default=StepStatus.NOT_STARTED,
        verbose_name=_("status"),
    )
    started_on = models.DateField(null=True, blank=True, verbose_name=_("started on"))
    completed_on = models.DateField(null=True, blank=True, verbose_name=_("completed on"))
    notes = models.TextField(blank=True, verbose_name=_("notes"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "position"]
        verbose_name = _("review step progress")
        verbose_name_plural = _("review step progress")
        constraints = [
            models.UniqueConstraint(fields=["review", "step"], name="review_step_once"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.step.name}"

    @property
    def finished(self) -> bool:
        return self.status in (StepStatus.DONE, StepStatus.SKIPPED)


class ParticipantRole(models.TextChoices):
    LEAD = "lead", pgettext_lazy("review role", "Lead member")
    MEMBER = "member", pgettext_lazy("review role", "Member")


class ReviewParticipant(models.Model):
    """A panel member taking part in a review."""

    review = models.ForeignKey(
        "scrutiny.ScrutinyReviewPage",
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("review"),
    )
    member = models.ForeignKey(
        "scrutiny.PanelMember",
        on_delete=models.PROTECT,
        related_name="review_participations",
        verbose_name=_("member"),
    )
    role = models.CharField(
        max_length=20,
        choices=ParticipantRole.choices,
        default=ParticipantRole.MEMBER,
        verbose_name=_("role"),
    )
    joined_on = models.DateField(default=timezone.localdate, verbose_name=_("joined on"))

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("review participants")
        ordering = ["review", "role", "pk"]
        verbose_name = _("review participant")
        constraints = [
            models.UniqueConstraint(fields=["review", "member"], name="review_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.get_role_display().lower()})"


class Priority(models.TextChoices):
    HIGH = "high", pgettext_lazy("priority", "High")
    MEDIUM = "medium", pgettext_lazy("priority", "Medium")
    LOW = "low", pgettext_lazy("priority", "Low")


class Recommendation(Orderable):
    """An evidence-based recommendation in a review's report; part of the page's revisions."""

    page = ParentalKey(
        "scrutiny.ScrutinyReviewPage",
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("page"),
    )
    recommendation = models.TextField(verbose_name=_("recommendation"))
    evidence = models.TextField(
        help_text=_("What the panel found that supports it."), verbose_name=_("evidence")
    )
    priority = models.CharField(
        max_length=10, choices=Priority.choices, default=Priority.MEDIUM, verbose_name=_("priority")
    )
    responsible = PersonField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations_answered",
        verbose_name=_("responsible head of operations"),
        help_text=_("Left blank, the head of operations of the review's service."),
    )

    panels = [
        FieldPanel("recommendation"),
        FieldPanel("evidence"),
        FieldPanel("priority"),
        FieldPanel("responsible"),
    ]

    # The page's revisions are the report's history; these rows add a field-by-field record of
    # each published change. A parental key cannot be copied into a history table.
    history = HistoricalRecords(excluded_fields=["page"])

    class Meta(Orderable.Meta):
        verbose_name_plural = _("recommendations")
        verbose_name = _("recommendation")

    def __str__(self) -> str:
        return self.recommendation[:80]

    @property
    def responsible_person(self):
        """Whose account answers for it: the person named, or else the service's head."""
        return self.responsible or self.page.business_area.head_of_operations

    @property
    def responsible_person_id(self) -> int | None:
        """The id of the account that answers for it, without loading the account."""
        return self.responsible_id or self.page.business_area.head_of_operations_id

    @property
    def responsible_name(self) -> str:
        """The name of who answers for it, read from their account."""
        return person_name(self.responsible_person)

    @property
    def responsible_email(self) -> str:
        """Where emails to who answers for it go, read from their account."""
        person = self.responsible_person
        return person.email if person else ""


class ResponseDecision(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("response to a recommendation", "Accepted")
    PARTLY_ACCEPTED = (
        "partly_accepted",
        pgettext_lazy("response to a recommendation", "Partly accepted"),
    )
    NOT_ACCEPTED = "not_accepted", pgettext_lazy("response to a recommendation", "Not accepted")


class RecommendationResponse(models.Model):
    """The responsible director's or head of operations' answer to a recommendation."""

    recommendation = models.OneToOneField(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="response",
        verbose_name=_("recommendation"),
    )
    decision = models.CharField(
        max_length=20, choices=ResponseDecision.choices, verbose_name=_("decision")
    )
    reasons = models.TextField(verbose_name=_("reasons"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responded by"),
    )
    responded_at = models.DateTimeField(default=timezone.now, verbose_name=_("responded at"))
    plan_agreed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the panel agreed the action plan."),
        verbose_name=_("plan agreed at"),
    )
    plan_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("plan agreed by"),
    )
    plan_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "When the response or its actions last changed after the panel agreed the plan."
        ),
        verbose_name=_("plan changed at"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("responses to recommendations")
        verbose_name = _("response to a recommendation")
        permissions = [("agree_action_plan", "Can agree an action plan for the panel")]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.recommendation}"

    @property
    def needs_plan(self) -> bool:
        """Accepted and partly accepted recommendations have an action plan."""
        return self.decision != ResponseDecision.NOT_ACCEPTED

    @property
    def changed_since_agreed(self) -> bool:
        """The panel agreed the plan, and it has changed since."""
        return bool(
            self.plan_agreed_at
            and self.plan_changed_at
            and self.plan_changed_at > self.plan_agreed_at
        )


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("action status", "Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("action status", "In progress")
    DONE = "done", pgettext_lazy("action status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("action status", "Cancelled")


OPEN_ACTION_STATUSES = [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_ACTION_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def due_soon(self, days: int, today=None):
        today = today or timezone.localdate()
        return self.open().filter(due_on__gte=today, due_on__lte=today + timezone.timedelta(days))


class ActionItem(models.Model):
    """One action in the plan answering a recommendation, or a serious-failure decision."""

    recommendation = models.ForeignKey(
        Recommendation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("recommendation"),
    )
    decision = models.ForeignKey(
        "scrutiny.PanelDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        help_text=_("A serious-failure decision whose immediate recommendations this answers."),
        verbose_name=_("decision"),
    )
    action = models.TextField(verbose_name=_("action"))
    owner = PersonField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="actions_owned",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        max_length=20,
        choices=ActionStatus.choices,
        default=ActionStatus.NOT_STARTED,
        verbose_name=_("status"),
    )
    progress_notes = models.TextField(blank=True, verbose_name=_("progress notes"))
    completed_on = models.DateField(null=True, blank=True, verbose_name=_("completed on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    panels = [
        FieldPanel("action"),
        FieldPanel("owner"),
        FieldPanel("due_on"),
        FieldPanel("status"),
        FieldPanel("progress_notes"),
    ]

    objects = ActionItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("action-plan items")
        ordering = ["due_on", "pk"]
        verbose_name = _("action-plan item")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(recommendation__isnull=False, decision__isnull=True)
                    | Q(recommendation__isnull=True, decision__isnull=False)
                ),
                name="action_answers_one_thing",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="action_status_due")]

    def __str__(self) -> str:
        return self.action[:80]

    @property
    def owner_name(self) -> str:
        """The owner's name, read from their account."""
        return person_name(self.owner)

    @property
    def owner_email(self) -> str:
        """Where the owner's reminders go, read from their account."""
        return self.owner.email

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    @property
    def overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()
