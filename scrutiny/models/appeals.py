"""Appeals against the panel's decisions, and the involvement groups whose members hear them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from .calls import CallForScrutiny, PrivateUpload, ReceivedVia, private_storage
from .config import BusinessArea
from .decisions import PanelDecision


class InvolvementGroup(index.Indexed, models.Model):
    """A way residents are involved besides the panel, e.g. estate inspectors (configuration).

    Members of a group offered for appeals may sit on appeal panels, except on calls about a
    service the group serves.
    """

    name = models.CharField(max_length=120, unique=True, verbose_name=_("name"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="involvement_groups",
        verbose_name=_("members"),
    )
    hears_appeals = models.BooleanField(
        _("offered for appeals"),
        default=True,
        help_text=_("Its members may sit on independent appeal panels."),
    )
    business_areas = models.ManyToManyField(
        BusinessArea,
        blank=True,
        related_name="involvement_groups",
        verbose_name=_("services it serves"),
        help_text=_("Its members never hear an appeal about these services."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("members"),
        FieldPanel("hears_appeals"),
        FieldPanel("business_areas"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    history = HistoricalRecords(m2m_fields=[members, business_areas])

    class Meta:
        verbose_name_plural = _("involvement groups")
        ordering = ["name"]
        verbose_name = _("involvement group")

    def __str__(self) -> str:
        return self.name


class AppealStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("appeal status", "Received")
    PANEL_CONVENED = "panel_convened", pgettext_lazy("appeal status", "Appeal panel convened")
    DECIDED = "decided", pgettext_lazy("appeal status", "Decided")


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", pgettext_lazy("appeal outcome", "Upheld")
    DISMISSED = "dismissed", pgettext_lazy("appeal outcome", "Dismissed")


class AppealDirection(models.TextChoices):
    RETURN_TO_PANEL = "return_to_panel", _("Return the call to the panel")
    ACCEPT = "accept", _("Accept the call")


class Appeal(models.Model):
    """A resident's written appeal against one panel decision, heard by an independent panel."""

    reference = models.CharField(
        max_length=20, unique=True, editable=False, verbose_name=_("reference")
    )
    decision = models.OneToOneField(
        PanelDecision,
        on_delete=models.PROTECT,
        related_name="appeal",
        editable=False,
        verbose_name=_("decision"),
    )
    call = models.ForeignKey(
        CallForScrutiny,
        on_delete=models.PROTECT,
        related_name="appeals",
        editable=False,
        verbose_name=_("call"),
    )
    grounds = models.TextField(_("the resident's grounds"))
    status = models.CharField(
        max_length=20,
        choices=AppealStatus.choices,
        default=AppealStatus.RECEIVED,
        db_index=True,
        verbose_name=_("status"),
    )
    received_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("received at")
    )
    received_via = models.CharField(
        pgettext_lazy("how it reached us", "received"),
        max_length=12,
        choices=ReceivedVia.choices,
        default=ReceivedVia.WEB,
        editable=False,
        help_text=_("How the appeal reached us; an officer records any but the online form."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text=_("The officer who recorded an appeal given by post, by phone or in person."),
        verbose_name=_("recorded by"),
    )

    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="appeals_heard",
        verbose_name=pgettext_lazy("the appeal panel", "panel"),
    )
    convened_at = models.DateTimeField(null=True, blank=True, verbose_name=_("convened at"))
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("convened by"),
    )

    outcome = models.CharField(
        max_length=20, choices=AppealOutcome.choices, blank=True, verbose_name=_("outcome")
    )
    direction = models.CharField(
        max_length=20, choices=AppealDirection.choices, blank=True, verbose_name=_("direction")
    )
    decision_reasons = models.TextField(_("the appeal panel's reasons"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who recorded the decision on the appeal panel's behalf."),
        verbose_name=_("decided by"),
    )
    anonymised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When its personal data was anonymised."),
        verbose_name=_("anonymised at"),
    )

    history = HistoricalRecords(m2m_fields=[panel])

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-received_at", "-pk"]
        permissions = [
            ("view_all_appeals", "Can see every appeal, not only those sat on"),
        ]

    def __str__(self) -> str:
        return gettext("%(reference)s: appeal on %(call)s") % {
            "reference": self.reference,
            "call": self.call.reference,
        }


class AppealEvidence(PrivateUpload):
    """A file a resident sent with their appeal, kept privately."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("appeal")
    )
    file = models.FileField(
        upload_to="appeal-evidence/%Y/%m/", storage=private_storage, verbose_name=_("file")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("appeal evidence")
        verbose_name_plural = _("appeal evidence")
