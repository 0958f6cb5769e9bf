"""Admin for action plans: the listing, a plan per review or serious-failure decision, and the
forms through which responses, actions and progress are recorded and the panel agrees a plan.

Managers and officers edit; the panel reads and agrees; nobody else sees action plans.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import AdminDateInput

from .. import pipeline, selectors
from ..models import (
    ActionItem,
    ActionStatus,
    PersonChoiceField,
    Recommendation,
    RecommendationResponse,
    ResponseDecision,
    person_name,
)
from ..permissions import (
    can_agree_action_plan,
    can_follow_plan,
    can_plan_actions,
    can_respond,
    can_view_action_plans,
    may_be_named,
)
from .calls import display_value

# Bookkeeping fields that say nothing a reader of the history needs.
HIDDEN_HISTORY_FIELDS = frozenset({"created_at", "created_by", "recommendation", "decision"})


def _plans_crumb(user) -> list[dict]:
    """The list of every plan, for those who may open it (not a head of operations alone)."""
    if not can_view_action_plans(user):
        return []
    return [{"url": reverse("scrutiny_actions:index"), "label": _("Action plans")}]


def _followed(user, found, answering=()):
    """What the address names, for someone who may follow its plan (see can_follow_plan).

    Refused before saying whether it exists, so nobody learns which plans there are.
    """
    if not can_follow_plan(user, answering):
        raise PermissionDenied
    if found is None:
        raise Http404
    return found


def decision_plan_title(decision) -> str:
    """The title of a serious-failure decision's plan, naming its call."""
    return _("Serious failure: %(reference)s") % {"reference": decision.call.reference}


def _check_viewer(user) -> None:
    if not can_view_action_plans(user):
        raise PermissionDenied


def version_rows(model, versions: list[dict]) -> list[dict]:
    """History versions as rows for the screen: when, who, what, and each field's change."""
    rows = []
    whats = {"+": _("Added"), "~": _("Changed"), "-": _("Deleted")}
    for version in versions:
        changes = [
            (
                capfirst(model._meta.get_field(name).verbose_name),
                display_value(name, old, model),
                display_value(name, new, model),
            )
            for name, old, new in version["changes"]
            if name not in HIDDEN_HISTORY_FIELDS
        ]
        if version["type"] == "~" and not changes:
            continue
        rows.append(
            {
                "when": version["when"],
                "who": get_user_display_name(version["user"]) if version["user"] else _("System"),
                "what": whats[version["type"]],
                "added": version["type"] == "+",
                "changes": changes,
            }
        )
    return rows


def histories(model, ids) -> dict[int, list[dict]]:
    """The history rows of several records of a model, by record id, in one query."""
    ids = list(ids)
    if not ids:
        return {}
    history_rows = (
        model.history.filter(id__in=ids)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    grouped: dict[int, list[dict]] = {}
    for version in selectors.history_versions(model, history_rows):
        grouped.setdefault(version["id"], []).append(version)
    return {pk: version_rows(model, versions) for pk, versions in grouped.items()}


# The listing.


class ActionPlanFilterForm(forms.Form):
    """The filters of the action plans listing."""

    review = forms.TypedChoiceField(
        label=gettext_lazy("Review"), required=False, coerce=int, empty_value=None
    )
    owner = forms.TypedChoiceField(
        label=gettext_lazy("Owner"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            ("", gettext_lazy("Any status")),
            ("open", gettext_lazy("Open (not started or in progress)")),
        ]
        + list(ActionStatus.choices),
    )
    overdue = forms.BooleanField(label=gettext_lazy("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].choices = [("", _("All reviews"))] + [
            (review.pk, review.title) for review in selectors.reviews_with_plans()
        ]
        self.fields["owner"].choices = [("", _("Anyone"))] + [
            (person.pk, person_name(person)) for person in selectors.action_owners()
        ]

    def filters(self) -> selectors.PlanFilters:
        if not self.is_valid():
            return selectors.PlanFilters()
        data = self.cleaned_data
        return selectors.PlanFilters(
            review=data.get("review"),
            owner=data.get("owner"),
            status=data.get("status") or "",
            overdue=bool(data.get("overdue")),
        )


class ActionPlanIndexView(WagtailAdminTemplateMixin, TemplateView):
    """Every published report's recommendations and every serious-failure decision, with
    responses and actions; filtered by review, owner, status and overdue."""

    template_name = "scrutiny/admin/action_plans.html"
    page_title = gettext_lazy("Action plans")
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        _check_viewer(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ActionPlanFilterForm(self.request.GET or None)
        filters = form.filters() if self.request.GET else selectors.PlanFilters()
        plans = selectors.action_plans(filters)
        context.update(
            {
                "filter_form": form,
                "filters": filters,
                "reviews": plans["reviews"],
                "decisions": plans["decisions"],
                "today": timezone.localdate(),
            }
        )
        return context


# One plan.


class PlanMixin(WagtailAdminTemplateMixin):
    """Shared by the screen of a review's plan and of a decision's."""

    header_icon = "list-ul"

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            *_plans_crumb(self.request.user),
            {"url": "", "label": self.get_page_title()},
        ]


class ReviewPlanView(PlanMixin, TemplateView):
    """A review's recommendations, their responses, actions and history, with the actions."""

    template_name = "scrutiny/admin/action_plan_review.html"

    def dispatch(self, request, pk: int):
        review = selectors.review_plan(pk)
        answering = review.recommendations.all() if review else ()
        self.review = _followed(request.user, review, answering)
        return super().dispatch(request, pk=pk)

    def get_page_title(self):
        return self.review.title

    def get_page_subtitle(self):
        return _("Action plan")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        review = self.review
        recommendations = list(review.recommendations.all())
        responses = [rec.response for rec in recommendations if hasattr(rec, "response")]
        items = [item for rec in recommendations for item in rec.actions.all()]
        item_history = histories(ActionItem, [item.pk for item in items])
        response_history = histories(RecommendationResponse, [r.pk for r in responses])
        published = pipeline.report_published(review)
        today = timezone.localdate()
        rows = []
        for number, rec in enumerate(recommendations, start=1):
            response = getattr(rec, "response", None)
            actions = list(rec.actions.all())
            may_plan = published and can_plan_actions(user, rec)
            rows.append(
                {
                    "number": number,
                    "panel_id": f"recommendation-{number}",
                    "heading": _("Recommendation %(number)s") % {"number": number},
                    "recommendation": rec,
                    "responsible_name": rec.responsible_name,
                    "responsible_email": rec.responsible_email,
                    "response": response,
                    "response_history": response_history.get(response.pk, []) if response else [],
                    "progress": selectors.progress_from(response, actions, today=today),
                    "actions": [
                        {
                            "item": item,
                            "overdue": item.is_open and item.due_on < today,
                            "history": item_history.get(item.pk, []),
                        }
                        for item in actions
                    ],
                    "can_respond": published and can_respond(user, rec),
                    "can_plan": may_plan and response is not None and response.needs_plan,
                    "can_update": may_plan,
                    "can_agree": published
                    and can_agree_action_plan(user)
                    and response is not None
                    and response.needs_plan
                    and any(item.status != ActionStatus.CANCELLED for item in actions)
                    and (response.plan_agreed_at is None or response.changed_since_agreed),
                }
            )
        context.update(
            {
                "review": review,
                "published": published,
                "rows": rows,
                "calls": list(review.calls.all()),
                "index_url": reverse("scrutiny_actions:index"),
            }
        )
        return context


class DecisionPlanView(PlanMixin, TemplateView):
    """A serious-failure decision's immediate recommendations and the actions answering them."""

    template_name = "scrutiny/admin/action_plan_decision.html"

    def dispatch(self, request, pk: int):
        _check_viewer(request.user)
        self.decision = selectors.decision_plan(pk)
        if self.decision is None:
            raise Http404
        return super().dispatch(request, pk=pk)

    def get_page_title(self):
        return decision_plan_title(self.decision)

    def get_page_subtitle(self):
        return _("Action plan")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision = self.decision
        actions = list(decision.actions.all())
        item_history = histories(ActionItem, [item.pk for item in actions])
        today = timezone.localdate()
        context.update(
            {
                "decision": decision,
                "call": decision.call,
                "actions": [
                    {
                        "item": item,
                        "overdue": item.is_open and item.due_on < today,
                        "history": item_history.get(item.pk, []),
                    }
                    for item in actions
                ],
                "can_plan": can_plan_actions(self.request.user),
                "call_url": reverse(
                    "wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[decision.call_id]
                ),
            }
        )
        return context


# The forms.


class ResponseForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Response"),
        choices=ResponseDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose whether the recommendation is accepted.")},
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Why it is accepted, partly accepted or not accepted."),
        error_messages={"required": gettext_lazy("Give the reasons for the response.")},
    )


class ActionForm(forms.Form):
    action = forms.CharField(
        label=gettext_lazy("Action"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say what the action is.")},
    )
    owner = PersonChoiceField(label=gettext_lazy("Owner"), required=False)
    due_on = forms.DateField(
        label=gettext_lazy("Due date"),
        widget=AdminDateInput,
        error_messages={
            "required": gettext_lazy("Give the date the action is due."),
            "invalid": gettext_lazy("Give the due date as a real date, for example 2027-03-31."),
        },
    )

    def __init__(self, *args, default_owner=None, **kwargs):
        """A new action's form starts with the plan's default owner chosen, if they may own it."""
        may_own = default_owner is not None and may_be_named(default_owner)
        if may_own:
            kwargs["initial"] = {"owner": default_owner.pk, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        name = person_name(default_owner)
        if may_own:
            self.fields["owner"].help_text = _(
                "Left blank, %(name)s, who answers for this plan."
            ) % {"name": name}
        elif default_owner is not None:
            self.fields["owner"].help_text = _(
                "%(name)s answers for this plan but cannot sign in to the admin: choose the owner."
            ) % {"name": name}


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"))
    note = forms.CharField(
        label=gettext_lazy("Progress note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Added to the action's notes with today's date and your name. Needed when cancelling."
        ),
    )
    completed_on = forms.DateField(
        label=gettext_lazy("Done on"),
        required=False,
        widget=AdminDateInput,
        help_text=gettext_lazy("Only when marking it done; today if left blank."),
        error_messages={"invalid": gettext_lazy("Give the day it was done as a real date.")},
    )

    def __init__(self, *args, item: ActionItem, **kwargs):
        super().__init__(*args, **kwargs)
        current = ActionStatus(item.status)
        choices = [(current.value, _("%(status)s (no change)") % {"status": current.label})]
        choices += [
            (status, ActionStatus(status).label) for status in pipeline.action_moves_available(item)
        ]
        self.fields["status"].choices = choices


class PlanFormView(WagtailAdminTemplateMixin, TemplateView):
    """A form on its own page that calls one pipeline operation; refusals show on the form."""

    template_name = "scrutiny/admin/action_plan_form.html"
    header_icon = "list-ul"
    submit_label = gettext_lazy("Save")

    def get_form(self):
        raise NotImplementedError

    def perform(self, form):
        raise NotImplementedError

    def back_url(self) -> str:
        raise NotImplementedError

    def about(self) -> dict:
        """What the form is about, shown above it."""
        return {}

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            *_plans_crumb(self.request.user),
            {"url": self.back_url(), "label": self.plan_title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "form": kwargs.get("form") or self.get_form(),
                "back_url": self.back_url(),
                "submit_label": self.submit_label,
                **self.about(),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                message = self.perform(form)
            except pipeline.ActionRefused as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, message)
                return redirect(self.back_url())
        return self.render_to_response(self.get_context_data(form=form))


class RecommendationFormMixin:
    """Loads the recommendation named in the address, with its review."""

    def load(self, request, pk: int):
        recommendation = (
            Recommendation.objects.select_related(
                "responsible", "page__business_area__head_of_operations", "response"
            )
            .filter(pk=pk)
            .first()
        )
        answering = [recommendation] if recommendation else []
        self.recommendation = _followed(request.user, recommendation, answering)
        self.review = self.recommendation.page
        self.plan_title = self.review.title
        if not pipeline.report_published(self.review):
            messages.error(
                request, _("The report is not published, so nothing can be recorded yet.")
            )
            return redirect(self.back_url())
        return None

    def back_url(self) -> str:
        return selectors.review_plan_url(self.review)

    def about(self) -> dict:
        return {"recommendation": self.recommendation, "review": self.review}


class RespondView(RecommendationFormMixin, PlanFormView):
    """The responsible head of operations or a manager records or changes the response."""

    submit_label = gettext_lazy("Save the response")

    def dispatch(self, request, pk: int):
        refused = self.load(request, pk)
        if refused:
            return refused
        if not can_respond(request.user, self.recommendation):
            raise PermissionDenied
        self.response = getattr(self.recommendation, "response", None)
        return super().dispatch(request, pk=pk)

    def get_page_title(self):
        return _("Change the response") if self.response else _("Record the response")

    def get_form(self):
        if self.request.method == "POST":
            return ResponseForm(self.request.POST)
        initial = (
            {"decision": self.response.decision, "reasons": self.response.reasons}
            if self.response
            else {}
        )
        return ResponseForm(initial=initial)

    def about(self) -> dict:
        return {
            **super().about(),
            "agreed_warning": bool(self.response and self.response.plan_agreed_at),
        }

    def perform(self, form):
        response = pipeline.recommendation_respond(
            recommendation=self.recommendation, user=self.request.user, **form.cleaned_data
        )
        return _("Response recorded: %(decision)s.") % {
            "decision": response.get_decision_display().lower()
        }


class AddActionView(RecommendationFormMixin, PlanFormView):
    """Add an action to a recommendation's plan."""

    submit_label = gettext_lazy("Add the action")
    page_title = gettext_lazy("Add an action")

    def dispatch(self, request, pk: int):
        refused = self.load(request, pk)
        if refused:
            return refused
        if not can_plan_actions(request.user, self.recommendation):
            raise PermissionDenied
        return super().dispatch(request, pk=pk)

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return ActionForm(data, default_owner=self.recommendation.responsible_person)

    def about(self) -> dict:
        response = getattr(self.recommendation, "response", None)
        return {**super().about(), "agreed_warning": bool(response and response.plan_agreed_at)}

    def perform(self, form):
        pipeline.action_add(
            recommendation=self.recommendation, user=self.request.user, **form.cleaned_data
        )
        return _("Action added to the plan.")


class DecisionFormMixin:
    def load(self, request, pk: int):
        _check_viewer(request.user)
        self.decision = get_object_or_404(selectors.serious_failure_decisions(), pk=int(pk))
        self.plan_title = decision_plan_title(self.decision)

    def back_url(self) -> str:
        return selectors.decision_plan_url(self.decision)

    def about(self) -> dict:
        return {"decision": self.decision}


class AddDecisionActionView(DecisionFormMixin, PlanFormView):
    """Add an action answering a serious-failure decision's immediate recommendations."""

    submit_label = gettext_lazy("Add the action")
    page_title = gettext_lazy("Add an action")

    def dispatch(self, request, pk: int):
        self.load(request, pk)
        if not can_plan_actions(request.user):
            raise PermissionDenied
        return super().dispatch(request, pk=pk)

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return ActionForm(data, default_owner=self.decision.call.business_area.head_of_operations)

    def perform(self, form):
        pipeline.action_add(decision=self.decision, user=self.request.user, **form.cleaned_data)
        return _("Action added.")


class ItemFormMixin:
    """Loads the action named in the address, and the plan it belongs to."""

    def load(self, request, pk: int):
        item = (
            ActionItem.objects.select_related(
                "owner",
                "recommendation__responsible",
                "recommendation__page__business_area__head_of_operations",
                "decision__call__business_area__head_of_operations",
            )
            .filter(pk=pk)
            .first()
        )
        answering = [item.recommendation] if item and item.recommendation_id else []
        self.item = _followed(request.user, item, answering)
        if self.item.recommendation_id:
            self.review = self.item.recommendation.page
            self.plan_title = self.review.title
        else:
            self.plan_title = decision_plan_title(self.item.decision)
        if not can_plan_actions(request.user, self.item.recommendation):
            raise PermissionDenied

    def back_url(self) -> str:
        return selectors.action_plan_url(self.item)

    def about(self) -> dict:
        context = {"item": self.item}
        if self.item.recommendation_id:
            context.update({"recommendation": self.item.recommendation, "review": self.review})
            response = getattr(self.item.recommendation, "response", None)
            context["agreed_warning"] = bool(response and response.plan_agreed_at)
        else:
            context["decision"] = self.item.decision
        return context


class ChangeActionView(ItemFormMixin, PlanFormView):
    """Change an action's wording, owner or due date."""

    submit_label = gettext_lazy("Save the changes")
    page_title = gettext_lazy("Change the action")

    def dispatch(self, request, pk: int):
        self.load(request, pk)
        return super().dispatch(request, pk=pk)

    def get_form(self):
        item = self.item
        data = self.request.POST if self.request.method == "POST" else None
        # The owner as it stands is offered even if they could not be chosen anew.
        return ActionForm(
            data, initial={"action": item.action, "owner": item.owner_id, "due_on": item.due_on}
        )

    def perform(self, form):
        pipeline.action_change(item=self.item, user=self.request.user, **form.cleaned_data)
        return _("Action changed.")


class ProgressView(ItemFormMixin, PlanFormView):
    """Record progress: a new status, a dated note, the day it was done."""

    submit_label = gettext_lazy("Record progress")
    page_title = gettext_lazy("Update progress")

    def dispatch(self, request, pk: int):
        self.load(request, pk)
        return super().dispatch(request, pk=pk)

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return ProgressForm(data, item=self.item, initial={"status": self.item.status})

    def perform(self, form):
        item = pipeline.action_progress(item=self.item, user=self.request.user, **form.cleaned_data)
        return _("Progress recorded: the action is %(status)s.") % {
            "status": item.get_status_display().lower()
        }


@require_POST
def agree_plan(request, pk: int):
    """The panel agrees a recommendation's action plan."""
    _check_viewer(request.user)
    recommendation = get_object_or_404(Recommendation.objects.select_related("page"), pk=pk)
    try:
        pipeline.action_plan_agree(recommendation=recommendation, user=request.user)
    except (pipeline.ActionRefused, PermissionDenied) as error:
        messages.error(request, str(error) or _("You may not agree action plans."))
    else:
        messages.success(request, _("The panel has agreed the action plan."))
    return redirect(selectors.review_plan_url(recommendation.page))


class ActionPlansMenuItem(MenuItem):
    """Shown to officers, managers and the panel."""

    def is_shown(self, request):
        return can_view_action_plans(request.user)


class ActionPlanViewSet(ViewSet):
    """Action plans: responses to recommendations, actions and their progress."""

    name = "scrutiny_actions"
    url_prefix = "scrutiny/action-plans"
    icon = "list-ul"
    menu_label = gettext_lazy("Action plans")
    menu_item_class = ActionPlansMenuItem

    def get_urlpatterns(self):
        return [
            path("", ActionPlanIndexView.as_view(), name="index"),
            path("review/<int:pk>/", ReviewPlanView.as_view(), name="review"),
            path("decision/<int:pk>/", DecisionPlanView.as_view(), name="decision"),
            path("respond/<int:pk>/", RespondView.as_view(), name="respond"),
            path("add/<int:pk>/", AddActionView.as_view(), name="add"),
            path("decision/<int:pk>/add/", AddDecisionActionView.as_view(), name="add_to_decision"),
            path("change/<int:pk>/", ChangeActionView.as_view(), name="change"),
            path("progress/<int:pk>/", ProgressView.as_view(), name="progress"),
            path("agree/<int:pk>/", agree_plan, name="agree"),
        ]
