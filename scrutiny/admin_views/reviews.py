"""Admin for running reviews: the list of reviews, and "Run the review" for each one.

Officers and panel members update the steps and the members taking part; managers see them.
These are records beside the page, so changing them makes no new revision of the report.
"""

from itertools import chain

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from .. import permissions, pipeline, selectors
from ..financial_years import financial_year_label
from ..models import (
    ParticipantRole,
    ReviewParticipant,
    ReviewStepProgress,
    ScrutinyReviewPage,
    StepStatus,
)
from ..reports import report_pdf_response


def review_run_url(review) -> str:
    return reverse("scrutiny_reviews:run", args=[review.pk])


class DateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            error_messages={"invalid": gettext_lazy("Enter a real date, for example 14 3 2026.")},
            **kwargs,
        )


class StepForm(forms.Form):
    """Where the review is with one step."""

    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=StepStatus.choices,
        error_messages={"required": gettext_lazy("Choose the step's status.")},
    )
    started_on = DateField(label=gettext_lazy("Date started"))
    completed_on = DateField(label=gettext_lazy("Date finished"))
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ParticipantForm(forms.Form):
    """A serving panel member to add to the review."""

    member = forms.ModelChoiceField(
        queryset=None,
        label=gettext_lazy("Panel member"),
        empty_label=gettext_lazy("Choose a member"),
        error_messages={
            "required": gettext_lazy("Choose the panel member who is taking part."),
            "invalid_choice": gettext_lazy(
                "Choose a member who is serving on the panel and not yet taking part."
            ),
        },
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=ParticipantRole.choices,
        initial=ParticipantRole.MEMBER,
    )

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            pipeline.serving_members()
            .exclude(review_participations__review=review)
            .order_by("user__first_name", "user__last_name")
        )
        self.fields["member"].label_from_instance = str


class ReviewIndexView(WagtailAdminTemplateMixin, TemplateView):
    """Every review with its year, service, status, progress and who takes part."""

    template_name = "scrutiny/admin/review_index.html"
    page_title = gettext_lazy("Reviews")
    header_icon = "clipboard-list"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_view_reviews(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("Reviews")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = selectors.reviews_for_admin()
        for row in rows:
            row["year_label"] = financial_year_label(row["year"]) if row["year"] else ""
            row["run_url"] = review_run_url(row["review"])
        context["rows"] = rows
        return context


class ReviewRunView(WagtailAdminTemplateMixin, TemplateView):
    """Run the review: update its steps and the members taking part, and see the history."""

    template_name = "scrutiny/admin/review_run.html"
    header_icon = "clipboard-list"

    def dispatch(self, request, pk: int):
        if not permissions.may_view_reviews(request.user):
            return permission_denied(request)
        self.review = get_object_or_404(
            ScrutinyReviewPage.objects.select_related("business_area"), pk=pk
        )
        self.can_run = permissions.may_run_reviews(request.user)
        self.step_forms: dict[int, StepForm] = {}
        self.participant_form = None
        return super().dispatch(request)

    def get_page_title(self):
        return _("Run the review: %(title)s") % {"title": self.review.title}

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("scrutiny_reviews:index"), "label": _("Reviews")},
            {"url": "", "label": self.review.title},
        ]

    def post(self, request):
        if not self.can_run:
            return permission_denied(request)
        action = request.POST.get("action")
        if action == "step":
            return self.update_step(request)
        if action == "add_participant":
            return self.add_participant(request)
        if action == "remove_participant":
            return self.remove_participant(request)
        messages.error(request, _("That action is not one this page offers."))
        return redirect(review_run_url(self.review))

    def update_step(self, request):
        step = get_object_or_404(
            ReviewStepProgress, pk=request.POST.get("step") or 0, review=self.review
        )
        form = StepForm(request.POST, prefix=f"step-{step.pk}")
        if form.is_valid():
            try:
                pipeline.review_step_update(step=step, user=request.user, **form.cleaned_data)
            except pipeline.ReviewRefused as error:
                form.add_error(None, str(error))
            except PermissionDenied as error:
                messages.error(request, str(error))
                return redirect(review_run_url(self.review))
            else:
                messages.success(
                    request,
                    _("Step %(position)s, %(name)s, updated.")
                    % {"position": step.position, "name": step.step.name},
                )
                return redirect(review_run_url(self.review) + f"#step-{step.pk}")
        self.step_forms[step.pk] = form
        messages.error(
            request,
            _("Step %(position)s was not updated: see the message below.")
            % {"position": step.position},
        )
        return self.render_to_response(self.get_context_data())

    def add_participant(self, request):
        form = ParticipantForm(request.POST, review=self.review, prefix="participant")
        if form.is_valid():
            try:
                participant = pipeline.review_participant_add(
                    review=self.review,
                    member=form.cleaned_data["member"],
                    role=form.cleaned_data["role"],
                    user=request.user,
                )
            except pipeline.ReviewRefused as error:
                form.add_error("member", str(error))
            except PermissionDenied as error:
                messages.error(request, str(error))
                return redirect(review_run_url(self.review))
            else:
                messages.success(
                    request, _("%(member)s is taking part.") % {"member": participant.member}
                )
                return redirect(review_run_url(self.review) + "#participants")
        self.participant_form = form
        messages.error(request, _("Nobody was added: see the message below."))
        return self.render_to_response(self.get_context_data())

    def remove_participant(self, request):
        participant = get_object_or_404(
            ReviewParticipant, pk=request.POST.get("participant") or 0, review=self.review
        )
        try:
            pipeline.review_participant_remove(participant=participant, user=request.user)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("%(member)s no longer takes part.") % {"member": participant.member}
            )
        return redirect(review_run_url(self.review) + "#participants")

    def history(self):
        """The steps' and participants' history rows for this review, newest first."""
        steps = (
            ReviewStepProgress.history.filter(review_id=self.review.pk)
            .select_related("history_user", "step")
            .order_by("-history_date")[:50]
        )
        people = (
            ReviewParticipant.history.filter(review_id=self.review.pk)
            .select_related("history_user", "member__user")
            .order_by("-history_date")[:50]
        )
        rows = []
        participant_changes = {
            "+": _("%(member)s added (%(role)s)"),
            "-": _("%(member)s removed (%(role)s)"),
            "~": _("%(member)s changed (%(role)s)"),
        }
        for record in chain(steps, people):
            if isinstance(record, ReviewStepProgress.history.model):
                if record.history_type == "+":
                    continue  # the steps made on scheduling, all "not started"
                said = {
                    "position": record.position,
                    "name": record.step.name,
                    "status": record.get_status_display(),
                    "notes": record.notes,
                }
                if record.notes:
                    what = _("Step %(position)s, %(name)s: %(status)s. Notes: %(notes)s") % said
                else:
                    what = _("Step %(position)s, %(name)s: %(status)s") % said
            else:
                what = participant_changes[record.history_type] % {
                    "member": record.member,
                    "role": record.get_role_display().lower(),
                }
            rows.append({"when": record.history_date, "who": record.history_user, "what": what})
        return sorted(rows, key=lambda row: row["when"], reverse=True)[:50]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        steps = list(self.review.steps.select_related("step").order_by("position"))
        for step in steps:
            step.form = self.step_forms.get(step.pk) or StepForm(
                prefix=f"step-{step.pk}",
                initial={
                    "status": step.status,
                    "started_on": step.started_on,
                    "completed_on": step.completed_on,
                    "notes": step.notes,
                },
            )
        page_perms = self.review.permissions_for_user(self.request.user)
        context.update(
            {
                "review": self.review,
                "year": self.review.get_parent().specific,
                "steps": steps,
                "progress": selectors.review_progress(self.review),
                "participants": self.review.participants.select_related("member__user"),
                "participant_form": self.participant_form
                or ParticipantForm(review=self.review, prefix="participant"),
                "can_run": self.can_run,
                "can_edit_page": page_perms.can_edit(),
                "edit_url": reverse("wagtailadmin_pages:edit", args=[self.review.pk]),
                "pdf_url": reverse("scrutiny_reviews:pdf", args=[self.review.pk]),
                "history": self.history(),
            }
        )
        return context


def review_pdf(request, pk: int):
    """The report as it stands in its latest revision, draft or not, as a PDF for staff."""
    review = get_object_or_404(ScrutinyReviewPage, pk=pk)
    if not (
        permissions.may_view_reviews(request.user)
        or review.permissions_for_user(request.user).can_edit()
    ):
        return permission_denied(request)
    return report_pdf_response(review.get_latest_revision_as_object(), draft=not review.live)


class ReviewMenuItem(MenuItem):
    """Shown to those who see reviews."""

    def is_shown(self, request):
        return permissions.may_view_reviews(request.user)


class ReviewViewSet(ViewSet):
    """The reviews in the programme, and running each one."""

    name = "scrutiny_reviews"
    url_prefix = "scrutiny/reviews"
    icon = "clipboard-list"
    menu_label = gettext_lazy("Reviews")
    menu_item_class = ReviewMenuItem

    def get_urlpatterns(self):
        return [
            path("", ReviewIndexView.as_view(), name="index"),
            path("<int:pk>/", ReviewRunView.as_view(), name="run"),
            path("<int:pk>/report.pdf", review_pdf, name="pdf"),
        ]
