"""A resident's Community Call for Scrutiny, its evidence and the officers' notes on it."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.models import DraftStateMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

from .config import BusinessArea
from .state import StateOutsideRevisions


def private_storage():
    """Residents' uploads: never under MEDIA_ROOT, served only through a permission check."""
    return storages["scrutiny_private"]


class Tenure(models.TextChoices):
    TENANT = "tenant", pgettext_lazy("tenure", "Tenant")
    LEASEHOLDER = "leaseholder", pgettext_lazy("tenure", "Leaseholder")
    SHARED_OWNER = "shared_owner", pgettext_lazy("tenure", "Shared owner")
    OTHER = "other", pgettext_lazy("tenure", "Other")


class ComplaintStage(models.TextChoices):
    NOT_MADE = "not_made", _("I have not made a complaint")
    STAGE_1 = "stage_1", _("Stage 1 of the complaints procedure")
    STAGE_2 = "stage_2", _("Stage 2 of the complaints procedure")
    OMBUDSMAN = "ombudsman", _("The Housing Ombudsman")


class CallStatus(models.TextChoices):
    """Where a call is in the process; its moves are in scrutiny.pipeline.machine.CALL."""

    SUBMITTED = "submitted", pgettext_lazy("call status", "Submitted")
    TRIAGE = "triage", pgettext_lazy("call status", "Triage")
    GATHERING_EVIDENCE = "gathering_evidence", pgettext_lazy("call status", "Gathering evidence")
    AWAITING_PANEL = "awaiting_panel", pgettext_lazy("call status", "Awaiting panel")
    NOT_ACCEPTED = "not_accepted", pgettext_lazy("call status", "Not accepted yet")
    MONITORING = "monitoring", pgettext_lazy("call status", "Referred for monitoring")
    ACCEPTED = "accepted", pgettext_lazy("call status", "Accepted")
    SERIOUS_FAILURE = "serious_failure", pgettext_lazy("call status", "Serious failure")
    SCHEDULED = "scheduled", pgettext_lazy("call status", "Scheduled")
    IN_REVIEW = "in_review", pgettext_lazy("call status", "In review")
    REPORTED = "reported", pgettext_lazy("call status", "Reported")
    CLOSED = "closed", pgettext_lazy("call status", "Closed")


class CallClosure(models.TextChoices):
    """Why a closed call ended; a closed call never moves again."""

    WITHDRAWN = "withdrawn", _("Withdrawn by the resident")
    DUPLICATE = "duplicate", _("A duplicate of another call")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope for the panel")
    NOT_ACCEPTED = "not_accepted", _("Not accepted, and the time to appeal has passed")
    IMPROVED = "improved", _("The service improved while the panel monitored it")
    RESOLVED = "resolved", _("The serious failure was put right")
    REVIEWED = "reviewed", _("Answered by a review whose action plan is complete")


class ReceivedVia(models.TextChoices):
    """How a resident's call, appeal, application or signature reached us."""

    WEB = "web", _("Online form")
    POST = "post", _("By post")
    PHONE = "phone", _("By phone")
    IN_PERSON = "in_person", _("In person")
    EMAIL = "email", _("By email")


class CallForScrutiny(
    StateOutsideRevisions,
    WorkflowMixin,
    DraftStateMixin,
    RevisionMixin,
    index.Indexed,
    models.Model,
):
    """A request from a resident that the panel scrutinise a service, made on the pro-forma.

    The panel's decision is Wagtail moderation: a call awaiting the panel is in a workflow whose
    task offers the decision options (scrutiny.workflows.PanelDecisionTask).
    """

    # The resident's name and contact details are private (scrutiny.personal_data): only
    # officers and managers see them.

    # Taken from its year's counter in the transaction that makes the call (pipeline.call_submit).
    reference = models.CharField(
        max_length=20, unique=True, editable=False, verbose_name=_("reference")
    )
    status = models.CharField(
        max_length=24,
        choices=CallStatus.choices,
        default=CallStatus.SUBMITTED,
        db_index=True,
        verbose_name=_("status"),
    )
    submitted_at = models.DateTimeField(
        default=timezone.now, db_index=True, editable=False, verbose_name=_("submitted at")
    )
    status_changed_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("status changed at")
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
        help_text=_(
            "The officer who entered a call the resident gave by post, phone or in person."
        ),
        verbose_name=_("recorded by"),
    )

    # The resident: seen by officers and managers only.
    name = models.CharField(max_length=200, verbose_name=_("name"))
    email = models.EmailField(blank=True, db_index=True, verbose_name=_("email"))
    phone = models.CharField(max_length=40, blank=True, verbose_name=_("phone"))
    address = models.TextField(blank=True, verbose_name=_("address"))
    postcode = models.CharField(
        max_length=10, blank=True, db_index=True, verbose_name=_("postcode")
    )
    tenure = models.CharField(max_length=20, choices=Tenure.choices, verbose_name=_("tenure"))

    # What the call is about.
    business_area = models.ForeignKey(
        BusinessArea,
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("service"),
    )
    concerns = models.TextField(_("concerns"))
    actions_taken = models.TextField(_("what the resident has already done"))
    complaint_stage = models.CharField(
        max_length=20,
        choices=ComplaintStage.choices,
        default=ComplaintStage.NOT_MADE,
        verbose_name=_("complaint stage"),
    )
    complaint_reference = models.CharField(
        max_length=60, blank=True, verbose_name=_("complaint reference")
    )
    complaint_finished = models.BooleanField(
        default=False,
        help_text=_("The resident has had the final response at that stage."),
        verbose_name=_("complaint finished"),
    )
    service_failures = models.TextField(_("service failures"))
    others_affected = models.BooleanField(default=False, verbose_name=_("others affected"))
    others_affected_why = models.TextField(_("why others are affected"), blank=True)
    households_affected = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("households affected")
    )

    support_requested = models.BooleanField(
        default=False, db_index=True, verbose_name=_("support requested")
    )
    support_contact = models.TextField(_("how to reach the resident for support"), blank=True)
    # The resident's answer: the public register shows the call (never who sent it) only if yes.
    may_be_listed = models.BooleanField(_("may be listed in the public register"), default=False)
    support_given_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("support given at")
    )

    extra_answers = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Answers to the questions editors added to the form: [{label, answer}]."),
        verbose_name=_("extra answers"),
    )
    privacy_agreed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("privacy agreed at")
    )

    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_calls",
        verbose_name=_("assigned officer"),
    )
    agenda_meeting = models.ForeignKey(
        "scrutiny.PanelMeeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_calls",
        help_text=_("The formal meeting at which the panel will consider the call."),
        verbose_name=_("agenda meeting"),
    )
    awaiting_panel_since = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("awaiting panel since")
    )
    closure = models.CharField(
        max_length=20,
        choices=CallClosure.choices,
        blank=True,
        editable=False,
        verbose_name=_("closure"),
    )
    closure_reason = models.TextField(
        _("why it was closed"),
        blank=True,
        editable=False,
        help_text=_("As told to the resident."),
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        editable=False,
        help_text=_("The call this one repeats, which carries it on."),
        verbose_name=_("duplicate of"),
    )
    anonymised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When its personal data was anonymised."),
        verbose_name=_("anonymised at"),
    )
    # The resident's secret (scrutiny.access_codes says why it is kept readable): never in the
    # history, the log, exports or the admin's pages.
    access_code = models.CharField(
        max_length=16, blank=True, editable=False, verbose_name=_("access code")
    )
    access_code_issued_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the resident was last given an access code; empty if never."),
        verbose_name=_("access code issued at"),
    )

    search_fields = [
        index.SearchField("reference"),
        index.SearchField("concerns"),
        index.SearchField("service_failures"),
        index.SearchField("actions_taken"),
        index.AutocompleteField("reference"),
        index.FilterField("status"),
        index.FilterField("business_area_id"),
        index.FilterField("submitted_at"),
    ]

    history = HistoricalRecords(
        excluded_fields=[
            "access_code",
            "latest_revision",
            "live",
            "expired",
            "has_unpublished_changes",
            "first_published_at",
            "last_published_at",
            "live_revision",
            "go_live_at",
            "expire_at",
        ]
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("call for scrutiny")
        verbose_name_plural = _("calls for scrutiny")
        permissions = [
            ("view_contact_details", "Can see residents' names and contact details"),
            ("move_call", "Can move a call through the first stages"),
            ("decide_call", "Can take the panel's decision on a call"),
            ("publish_callforscrutiny", "Can publish call for scrutiny"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.business_area}"

    # The resident's secret is not content: revisions neither carry nor restore it.
    OUTSIDE_REVISIONS = ("access_code", "access_code_issued_at")

    def serializable_data(self):
        data = super().serializable_data()
        for name in self.OUTSIDE_REVISIONS:
            data.pop(name, None)
        return data

    def with_content_json(self, content):
        restored = super().with_content_json(content)
        for name in self.OUTSIDE_REVISIONS:
            setattr(restored, name, getattr(self, name))
        return restored

    @property
    def complaints_procedure_open(self) -> bool:
        """Whether the complaints procedure still has a stage the resident could use first."""
        if self.complaint_stage in {ComplaintStage.NOT_MADE, ComplaintStage.STAGE_1}:
            return True
        if self.complaint_stage == ComplaintStage.STAGE_2:
            return not self.complaint_finished
        return False


class PrivateUpload(models.Model):
    """What is kept about a file a resident sent: its name, type and size as checked."""

    original_name = models.CharField(max_length=255, verbose_name=_("original name"))
    content_type = models.CharField(max_length=100, verbose_name=_("content type"))
    size = models.PositiveIntegerField(verbose_name=_("size"))
    uploaded_at = models.DateTimeField(default=timezone.now, verbose_name=_("uploaded at"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class CallEvidence(PrivateUpload):
    """A file a resident sent with their call, kept privately."""

    call = models.ForeignKey(
        CallForScrutiny, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("call")
    )
    file = models.FileField(
        upload_to="call-evidence/%Y/%m/", storage=private_storage, verbose_name=_("file")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")


class CallNote(models.Model):
    """An officer's internal note on a call; never shown to the resident."""

    call = models.ForeignKey(
        CallForScrutiny, on_delete=models.PROTECT, related_name="notes", verbose_name=_("call")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(verbose_name=_("text"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("call note")
        verbose_name_plural = _("call notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return gettext("Note on %(reference)s") % {"reference": self.call.reference}
