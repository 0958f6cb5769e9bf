"""Admin for the panel's year: topics the oversight body refers, and the effectiveness review.

Officers record referrals on the body's behalf and prepare the yearly review; the panel writes
its assessment and agrees it at a meeting; the body's acknowledgement is recorded by an officer
or a manager. Each change of state is a move of the process engine.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.widgets import AdminDateInput
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from .. import permissions, pipeline
from ..models import (
    EffectivenessReview,
    EffectivenessStatus,
    ReferralStatus,
    ReferredTopic,
    ScrutinySettings,
)
from ..outcomes import Outcomes
from ..panel_year_forms import (
    AcknowledgeForm,
    AgreeForm,
    AssessmentForm,
    PrepareForm,
    ReasonForm,
    ReferralForm,
)
from .choosers import chooser_for
from .forms import AdminFormView
from .membership import InspectTitleIndexMixin


def topic_url(name: str, *args) -> str:
    return reverse(ReferredTopic.snippet_viewset.get_url_name(name), args=args)


def review_url(name: str, *args) -> str:
    return reverse(EffectivenessReview.snippet_viewset.get_url_name(name), args=args)


def _may(record, move_name: str, user) -> bool:
    """Whether the engine would offer this move to this user on this record now."""
    return any(move.name == move_name for move in _moves(record, user))


def _moves(record, user) -> list:
    machine = pipeline.machine.machine_for(record)
    return [
        move
        for move in machine.moves_from(machine.state_of(record))
        if move.permission is not None and pipeline.machine.permits(move, user, record)
    ]


# Referred topics.


class TopicIndexView(InspectTitleIndexMixin, snippet_views.IndexView):
    def get_add_url(self):
        if permissions.may_record_referrals(self.request.user):
            return topic_url("add")
        return None


class TopicInspectView(snippet_views.InspectView):
    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topic = self.object
        score = topic.scores.order_by("-financial_year").first()
        context.update(
            {
                "topic": topic,
                "score": score,
                "withdraw_form": (
                    ReasonForm() if _may(topic, "withdraw", self.request.user) else None
                ),
                "withdraw_url": topic_url("withdraw", topic.pk),
                "programme_url": reverse("scrutiny_programme:index"),
            }
        )
        return context


class TopicCreateView(AdminFormView):
    """An officer records a topic the oversight body referred, on the body's behalf."""

    form_class = ReferralForm
    header_icon = "doc-full-inverse"
    submit_button_label = gettext_lazy("Record the referral")
    invalid_message = gettext_lazy("The referral could not be recorded. Check the messages below.")
    date_fields = ("referred_on",)

    @property
    def page_title(self):
        return _("Record a topic referred by %(body)s") % {
            "body": ScrutinySettings.load().oversight_body
        }

    def may_open(self, user) -> bool:
        return permissions.may_record_referrals(user)

    def submit(self, data):
        topic = pipeline.referral_record(user=self.request.user, **data)
        messages.success(
            self.request,
            _(
                "“%(topic)s” is recorded. Score the year's items on the ranking to rank it beside "
                "the accepted calls."
            )
            % {"topic": topic},
        )
        return redirect(topic_url("inspect", topic.pk))


@require_POST
def topic_withdraw(request, pk: int):
    topic = get_object_or_404(ReferredTopic, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the body withdrew the topic."))
        return redirect(topic_url("inspect", topic.pk))
    try:
        pipeline.referral_withdraw(
            topic=topic, reason=form.cleaned_data["reason"], user=request.user
        )
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("“%(topic)s” is withdrawn; it has left the ranking.") % {"topic": topic}
        )
    return redirect(topic_url("inspect", topic.pk))


def topic_area(topic: ReferredTopic) -> str:
    return str(topic.business_area)


class ReferredTopicViewSet(SnippetViewSet):
    """Topics the oversight body referred to the panel, ranked beside residents' calls."""

    model = ReferredTopic
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Referred topics")
    chooser_viewset_class = chooser_for(permissions.VIEW_REFERRALS)
    index_view_class = TopicIndexView
    inspect_view_class = TopicInspectView
    inspect_view_enabled = True
    inspect_template_name = "scrutiny/admin/referred_topic_inspect.html"
    copy_view_enabled = False
    list_display = [
        "title",
        Column("business_area", label=gettext_lazy("Service"), accessor=topic_area),
        Column("referred_on", label=gettext_lazy("Referred on"), sort_key="referred_on"),
        StatusTagColumn(
            "get_status_display",
            label=gettext_lazy("Status"),
            sort_key="status",
            primary=lambda topic: topic.status == ReferralStatus.REFERRED,
        ),
    ]
    list_filter = ["status", "business_area"]

    @property
    def edit_view(self):
        return lambda request, pk: redirect(topic_url("inspect", pk))

    @property
    def add_view(self):
        return TopicCreateView.as_view()

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("withdraw/<int:pk>/", topic_withdraw, name="withdraw"),
        ]


# The effectiveness review.


class ReviewIndexView(InspectTitleIndexMixin, snippet_views.IndexView):
    def get_add_url(self):
        if permissions.may_prepare_effectiveness(self.request.user):
            return review_url("add")
        return None


class ReviewInspectView(snippet_views.InspectView):
    """The figures, each review's action plan, the panel's assessment, and the moves now open."""

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.object
        user = self.request.user
        draft = review.status == EffectivenessStatus.DRAFT
        may_write = draft and permissions.may_write_effectiveness(user)
        context.update(
            {
                "review": review,
                "outcomes": Outcomes.from_json(review.figures.get("outcomes") or {}),
                "action_plans": review.figures.get("reviews", []),
                "assessment_form": AssessmentForm(instance=review) if may_write else None,
                "write_url": review_url("write", review.pk),
                "refresh_url": review_url("refresh", review.pk) if may_write else "",
                "agree_form": AgreeForm() if _may(review, "agree", user) else None,
                "agree_url": review_url("agree", review.pk),
                "reopen_form": ReasonForm() if _may(review, "reopen", user) else None,
                "reopen_url": review_url("reopen", review.pk),
                "acknowledge_form": (
                    AcknowledgeForm() if _may(review, "acknowledge", user) else None
                ),
                "acknowledge_url": review_url("acknowledge", review.pk),
                "oversight_body": ScrutinySettings.load().oversight_body,
            }
        )
        if context["acknowledge_form"] is not None:
            context["acknowledge_form"].fields["acknowledged_on"].widget = AdminDateInput()
        return context


class ReviewCreateView(AdminFormView):
    """Prepare a year's review from its outcome figures and action plans."""

    form_class = PrepareForm
    header_icon = "tasks"
    page_title = gettext_lazy("Prepare an effectiveness review")
    submit_button_label = gettext_lazy("Prepare the review")
    invalid_message = gettext_lazy("The review could not be prepared. Check the messages below.")

    def may_open(self, user) -> bool:
        return permissions.may_prepare_effectiveness(user)

    def submit(self, data):
        review = pipeline.effectiveness_prepare(year=data["financial_year"], user=self.request.user)
        messages.success(
            self.request,
            _("%(review)s is prepared: the panel writes its assessment.") % {"review": review},
        )
        return redirect(review_url("inspect", review.pk))


def _review_post(handler):
    """A POST on one review: refusals and bad input become a message on its page."""

    @require_POST
    def view(request, pk: int):
        review = get_object_or_404(EffectivenessReview, pk=pk)
        if not permissions.may_view_effectiveness(request.user):
            return permission_denied(request)
        try:
            done = handler(request, review)
        except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
            messages.error(request, str(error))
        else:
            if done:
                messages.success(request, done)
        return redirect(review_url("inspect", review.pk))

    view.__name__ = handler.__name__
    view.__doc__ = handler.__doc__
    return view


def _form_refused(form) -> str:
    errors = [error for field_errors in form.errors.values() for error in field_errors]
    return " ".join(errors) or _("Check the form and try again.")


@_review_post
def review_write(request, review):
    """Save the panel's assessment while the review is a draft."""
    form = AssessmentForm(request.POST, instance=EffectivenessReview(pk=review.pk))
    if not form.is_valid():
        raise pipeline.TransitionNotAllowed(_form_refused(form))
    pipeline.effectiveness_write(
        review=review,
        user=request.user,
        what_worked=form.cleaned_data["what_worked"],
        what_did_not=form.cleaned_data["what_did_not"],
        changes=form.cleaned_data["changes_next_year"],
    )
    return _("The panel's assessment is saved.")


@_review_post
def review_refresh(request, review):
    """Take the year's figures and action plans again."""
    pipeline.effectiveness_refresh(review=review, user=request.user)
    return _("The figures and action plans are taken again as they stand today.")


@_review_post
def review_agree(request, review):
    """Record the meeting at which the panel agreed the review."""
    form = AgreeForm(request.POST)
    if not form.is_valid():
        raise pipeline.TransitionNotAllowed(_form_refused(form))
    review = pipeline.effectiveness_agree(
        review=review, meeting=form.cleaned_data["meeting"], user=request.user
    )
    return _("%(review)s is agreed at %(meeting)s; it is part of the year's outcomes report.") % {
        "review": review,
        "meeting": review.meeting,
    }


@_review_post
def review_reopen(request, review):
    """Back to a draft, before the body has acknowledged it."""
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise pipeline.TransitionNotAllowed(_("Say why the panel reopens its agreed review."))
    pipeline.effectiveness_reopen(
        review=review, reason=form.cleaned_data["reason"], user=request.user
    )
    return _("%(review)s is a draft again.") % {"review": review}


@_review_post
def review_acknowledge(request, review):
    """Record the oversight body's acknowledgement."""
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        raise pipeline.TransitionNotAllowed(_form_refused(form))
    review = pipeline.effectiveness_acknowledge(
        review=review,
        acknowledged_on=form.cleaned_data["acknowledged_on"],
        note=form.cleaned_data["note"],
        user=request.user,
    )
    return _("The acknowledgement of %(review)s is recorded.") % {"review": review}


class EffectivenessReviewViewSet(SnippetViewSet):
    """The panel's yearly review of its effectiveness, one per financial year."""

    model = EffectivenessReview
    icon = "tasks"
    menu_label = gettext_lazy("Effectiveness reviews")
    chooser_viewset_class = chooser_for(permissions.VIEW_EFFECTIVENESS)
    index_view_class = ReviewIndexView
    inspect_view_class = ReviewInspectView
    inspect_view_enabled = True
    inspect_template_name = "scrutiny/admin/effectiveness_review_inspect.html"
    copy_view_enabled = False
    list_display = [
        "__str__",
        StatusTagColumn(
            "get_status_display",
            label=gettext_lazy("Status"),
            sort_key="status",
            primary=lambda review: review.status != EffectivenessStatus.ACKNOWLEDGED,
        ),
    ]

    @property
    def edit_view(self):
        return lambda request, pk: redirect(review_url("inspect", pk))

    @property
    def add_view(self):
        return ReviewCreateView.as_view()

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("write/<int:pk>/", review_write, name="write"),
            path("refresh/<int:pk>/", review_refresh, name="refresh"),
            path("agree/<int:pk>/", review_agree, name="agree"),
            path("reopen/<int:pk>/", review_reopen, name="reopen"),
            path("acknowledge/<int:pk>/", review_acknowledge, name="acknowledge"),
        ]
