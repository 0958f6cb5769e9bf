"""The annual programme of scrutiny as public pages: an index, a page per year, its reviews."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.routable_page.models import path as route_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, WorkflowState

from ..blocks import MethodsBlock
from ..financial_years import financial_year_label
from .handlers import ask
from .outcomes import OutcomesReportPage
from .pages import TEXT_FEATURES
from .record import RecordPageMixin, RecordPagePermissionTester
from .reviews import StepStatus
from .state import StateOutsideRevisions


class ReviewStatus(models.TextChoices):
    """Where a review in the programme is, from scheduling to its action plan being done."""

    SCHEDULED = "scheduled", pgettext_lazy("review status", "Scheduled")
    IN_REVIEW = "in_review", pgettext_lazy("review status", "In review")
    REPORTING = "reporting", pgettext_lazy("review status", "Report in approval")
    REPORTED = "reported", pgettext_lazy("review status", "Report published")
    COMPLETED = "completed", pgettext_lazy("review status", "Action plan complete")


class ProgrammeIndexPage(RecordPageMixin, Page):
    """The programme of scrutiny: lists each financial year's programme, newest first."""

    introduction = RichTextField(features=TEXT_FEATURES, blank=True, verbose_name=_("introduction"))

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    max_count = 1
    subpage_types = ["scrutiny.ProgrammeYearPage", "scrutiny.OutcomesReportPage"]

    class Meta:
        verbose_name_plural = _("programmes of scrutiny")
        verbose_name = _("programme of scrutiny")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["years"] = (
            ProgrammeYearPage.objects.child_of(self).live().order_by("-financial_year")
        )
        context["outcomes_reports"] = (
            OutcomesReportPage.objects.child_of(self).live().order_by("-financial_year")
        )
        return context


class ProgrammeYearPage(RecordPageMixin, Page):
    """One financial year's programme: the reviews scheduled, running and completed."""

    financial_year = models.PositiveSmallIntegerField(
        unique=True,
        help_text=_("The calendar year in which it starts: 2026 for 2026/27."),
        verbose_name=_("financial year"),
    )
    introduction = RichTextField(features=TEXT_FEATURES, blank=True, verbose_name=_("introduction"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("financial_year"),
        FieldPanel("introduction"),
    ]

    parent_page_types = ["scrutiny.ProgrammeIndexPage"]
    subpage_types = ["scrutiny.ScrutinyReviewPage"]

    class Meta:
        verbose_name_plural = _("programme years")
        verbose_name = _("programme year")

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    def get_workflow(self):
        """None: Communications publish a year's page directly, whatever its ancestors say."""
        return None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        return context | ask("ProgrammeYearPage.context", self, request)


def report_workflow():
    """The active workflow that signs off every review's report (Scrutiny settings)."""
    from .config import ScrutinySettings

    if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        return None
    workflow = ScrutinySettings.load().report_workflow
    return workflow if workflow is not None and workflow.active else None


def report_signed_off(page) -> bool:
    """Whether the page's latest revision was approved by a finished report workflow.

    True only while that revision is not yet live: the moment the last task approves it,
    and until it is published (now or at its scheduled time). A revision saved after the
    approval, by anyone, needs the workflow again.
    """
    state = (
        WorkflowState.objects.for_instance(page)
        .select_related("current_task_state")
        .order_by("-created_at", "-pk")
        .first()
    )
    if state is None or state.status != WorkflowState.STATUS_APPROVED:
        return False
    approved_at = state.current_task_state and state.current_task_state.finished_at
    fresh = Page.objects.filter(pk=page.pk).values("latest_revision", "live_revision").first()
    if approved_at is None or fresh is None or fresh["latest_revision"] is None:
        return False
    if fresh["latest_revision"] == fresh["live_revision"]:
        return False
    latest = page.revisions.filter(pk=fresh["latest_revision"]).values("created_at").first()
    return latest is not None and latest["created_at"] <= approved_at


class ReviewPagePermissionTester(RecordPagePermissionTester):
    """A report is published only by its approval workflow, never by a Publish button.

    Nobody, superusers included, may publish a review page directly: the only publish that
    passes is the one the workflow makes when its last task approves the latest revision.
    As a page of the record, it is not offered for deletion either. Those who may draft
    reviews (officers and panel members) edit every review page, and no other page: they
    hold no page permission in the tree, so the explorer is not theirs.
    """

    def can_edit(self):
        return super().can_edit() or ask("may_draft_reviews", self.user)

    def can_copy(self):
        # Drafting a review is not a right to copy it elsewhere in the tree.
        return RecordPagePermissionTester.can_edit(self)

    def can_publish(self):
        if not self.user.is_active:
            return False
        return report_signed_off(self.page)

    def can_publish_subpage(self):
        return False

    def can_submit_for_moderation(self):
        """The report goes for sign-off once every step is done or marked not needed."""
        return (
            super().can_submit_for_moderation()
            and not self.page.specific_deferred.steps.exclude(
                status__in=[StepStatus.DONE, StepStatus.SKIPPED]
            ).exists()
        )


class ReviewPageForm(WagtailAdminPageForm):
    """The review page's editor form: a recommendation already answered cannot be removed.

    Publishing a report without a recommendation deletes its row, and with it the response and
    the action plan that people have worked on since; the editor says so instead.
    """

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("recommendations")
        if formset is None:
            return cleaned_data
        # The formsets are checked after this form, so read the tick box as it was sent.
        removed = [
            form.instance.pk
            for form in formset.forms
            if form.instance.pk and "DELETE" in form.fields and form["DELETE"].data
        ]
        if removed:
            from .reviews import ActionItem, RecommendationResponse

            answered = set(
                RecommendationResponse.objects.filter(recommendation__in=removed).values_list(
                    "recommendation", flat=True
                )
            ) | set(
                ActionItem.objects.filter(recommendation__in=removed).values_list(
                    "recommendation", flat=True
                )
            )
            if answered:
                self.add_error(
                    None,
                    gettext(
                        "A recommendation that has a response or actions cannot be removed from "
                        "the report. Change its wording instead, or ask an officer to close its "
                        "actions."
                    ),
                )
        return cleaned_data


class ScrutinyReviewPage(StateOutsideRevisions, RecordPageMixin, RoutablePageMixin, Page):
    """A review in the programme, and in the end its report.

    Created in draft when scheduled. The page's content (scope, methods, report and
    recommendations) goes through the report approval workflow; publishing it publishes the
    report. The running of the review (steps, participants) and what follows the report
    (responses, action plans) are records of their own in models/reviews.py, so that they
    change without a new revision of the report.
    """

    business_area = models.ForeignKey(
        "scrutiny.BusinessArea",
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("business area"),
    )
    calls = ParentalManyToManyField(
        "scrutiny.CallForScrutiny",
        blank=True,
        related_name="reviews",
        help_text=_("The residents' calls this review answers."),
        verbose_name=_("calls"),
    )
    status = models.CharField(
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.SCHEDULED,
        verbose_name=_("status"),
    )
    summary = RichTextField(features=TEXT_FEATURES, blank=True, verbose_name=_("summary"))
    starts_on = models.DateField(_("review starts"), null=True, blank=True)
    ends_on = models.DateField(_("review ends"), null=True, blank=True)
    scope = RichTextField(features=TEXT_FEATURES, blank=True, verbose_name=_("scope"))
    terms_of_reference = RichTextField(
        features=TEXT_FEATURES, blank=True, verbose_name=_("terms of reference")
    )
    methods = StreamField(
        MethodsBlock(), blank=True, use_json_field=True, verbose_name=_("methods")
    )
    working_well = RichTextField(_("what is working well"), features=TEXT_FEATURES, blank=True)
    below_standard = RichTextField(
        _("standards that fall below the expected level"), features=TEXT_FEATURES, blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("business_area"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading=_("Dates")),
        FieldPanel("scope"),
        FieldPanel("terms_of_reference"),
    ]
    methods_panels = [FieldPanel("methods")]
    report_panels = [
        FieldPanel("summary"),
        FieldPanel("working_well"),
        FieldPanel("below_standard"),
        InlinePanel("recommendations", heading=_("Recommendations"), label=_("Recommendation")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=pgettext_lazy("review editor tab", "Review")),
            ObjectList(methods_panels, heading=_("Methods")),
            ObjectList(report_panels, heading=pgettext_lazy("review editor tab", "Report")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ]
    )

    parent_page_types = ["scrutiny.ProgrammeYearPage"]
    subpage_types: list[str] = []
    base_form_class = ReviewPageForm

    class Meta:
        verbose_name_plural = _("scrutiny reviews")
        verbose_name = _("scrutiny review")
        permissions = [
            ("draft_review", "Can edit every review page and send its report for sign-off"),
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        return context | ask("ScrutinyReviewPage.context", self, request)

    def get_workflow(self):
        """The report approval workflow from Scrutiny settings, wherever the page sits."""
        return report_workflow()

    @property
    def has_workflow(self):
        """Whether the editor offers "Submit to Report approval".

        Wagtail's own answer looks for a workflow assigned to the page or an ancestor in the
        page tree; the report workflow is named in Scrutiny settings instead.
        """
        return self.get_workflow() is not None

    def permissions_for_user(self, user):
        return ReviewPagePermissionTester(user, self)

    @route_path("pdf/", name="report_pdf")
    def report_pdf(self, request):
        """The published report as a PDF made on the server (scrutiny.page_views.programme)."""
        return ask("ScrutinyReviewPage.report_pdf", self, request)
