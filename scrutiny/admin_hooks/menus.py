"""The admin's menus: "Work" and "The panel" (snippet viewset groups), the registers under
Settings and Reports, the permission policies and the lock-outs screen."""

from django.apps import apps
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .. import permissions
from ..admin_views import action_plans as action_plan_views
from ..admin_views import appeals as appeal_views
from ..admin_views import calls as call_views
from ..admin_views import history as history_views
from ..admin_views import listings
from ..admin_views import meetings as meeting_views
from ..admin_views import membership as membership_views
from ..admin_views import on_behalf as on_behalf_views
from ..admin_views import outcomes as outcome_views
from ..admin_views import panel_year as panel_year_views
from ..admin_views import petitions as petition_views
from ..admin_views import privacy as privacy_views
from ..admin_views import reviews as review_views
from ..admin_views import scoring as scoring_views
from ..admin_views import time_given as time_views
from ..admin_views.choosers import chooser_for
from ..models import (
    Appeal,
    BusinessArea,
    CallForScrutiny,
    CallStatus,
    ReviewStep,
)


class BusinessAreaViewSet(SnippetViewSet):
    """Business areas, each with its responsible head of operations."""

    model = BusinessArea
    icon = "table"
    menu_label = _("Business areas")
    # The services are public (the call form lists them), and Communications choose one on a
    # review page: any admin user may open this chooser.
    chooser_viewset_class = chooser_for(permissions.ACCESS_ADMIN)
    list_display = [
        "name",
        Column("head_of_operations_name", label=_("Head of operations")),
        "active",
    ]
    list_filter = ["active"]
    search_fields = ["name", "description"]
    inspect_view_enabled = True


class CallForScrutinyViewSet(SnippetViewSet):
    """Calls from residents: officers triage them here; they are added only by the public form."""

    model = CallForScrutiny
    icon = "mail"
    menu_label = _("Calls for scrutiny")
    index_view_class = call_views.CallIndexView
    chooser_viewset_class = call_views.CallChooserViewSet
    inspect_view_class = call_views.CallInspectView
    inspect_view_enabled = True
    inspect_template_name = "scrutiny/admin/call_inspect.html"
    workflow_action_view_class = call_views.DecisionActionView
    url_finder_class = call_views.CallAdminURLFinder
    workflow_history_view_class = call_views.CallWorkflowHistoryView
    workflow_history_detail_view_class = call_views.CallWorkflowHistoryDetailView
    copy_view_enabled = False
    ordering = "-submitted_at"
    index_template_name = "scrutiny/admin/listing_index.html"
    list_display = [
        "reference",
        Column(
            "business_area",
            label=_("Service"),
            sort_key="business_area__name",
            classname="scrutiny-col-wide",
        ),
        listings.StatusTagColumn(choices=CallStatus),
        listings.DayColumn("submitted_at", label=_("Received")),
        listings.DayColumn("status_changed_at", label=_("Waiting since")),
        listings.PersonColumn("assigned_officer", label=_("Officer")),
        listings.YesNoColumn(
            "is_overdue", label=_("Overdue"), sort_key="is_overdue", blank_when_false=True
        ),
    ]
    filterset_class = call_views.CallFilterSet
    search_fields = ["reference", "concerns", "service_failures"]
    # The SQLite full-text index cannot search single fields; plain lookups also match
    # part of a reference such as "2025-0012".
    search_backend_name = None
    list_export = [
        "reference",
        "submitted_at",
        "get_status_display",
        "status_changed_at",
        "is_overdue",
        "business_area",
        "name",
        "email",
        "phone",
        "address",
        "postcode",
        "get_tenure_display",
        "households_affected",
        "concerns",
        "actions_taken",
        "service_failures",
        "get_complaint_stage_display",
        "complaint_reference",
        "complaint_finished",
        "others_affected",
        "support_requested",
        "support_contact",
        "support_given_at",
        "assigned_officer",
    ]
    export_headings = {
        "reference": _("Reference"),
        "submitted_at": _("Received"),
        "get_status_display": _("Status"),
        "status_changed_at": _("Waiting since"),
        "is_overdue": _("Overdue for a panel decision"),
        "business_area": _("Service"),
        "get_tenure_display": _("Tenure"),
        "get_complaint_stage_display": _("Complaint stage"),
        "actions_taken": _("What the resident has already done"),
        "support_contact": _("How to reach the resident for support"),
        "assigned_officer": _("Assigned officer"),
    }
    export_filename = "calls-for-scrutiny"

    @property
    def edit_view(self):
        return call_views.call_edit_redirect

    def get_urlpatterns(self):
        urlpatterns = [pattern for pattern in super().get_urlpatterns() if pattern.name != "add"]
        return urlpatterns + [
            path("enter/", on_behalf_views.CallForResidentView.as_view(), name="enter"),
            path("move/<int:pk>/", call_views.call_move, name="move"),
            path("close/<int:pk>/", call_views.call_close, name="close"),
            path("monitoring/<int:pk>/", call_views.call_monitoring, name="monitoring"),
            path("assign/<int:pk>/", call_views.call_assign, name="assign"),
            path("note/<int:pk>/", call_views.call_add_note, name="note"),
            path("access-code/<int:pk>/", call_views.call_issue_access_code, name="access_code"),
            path("correct/<int:pk>/", call_views.call_correct, name="correct"),
            path("decide/<int:pk>/", call_views.call_decide_choice, name="decide_choice"),
            path(
                "decide/<int:pk>/<str:outcome>/",
                call_views.CallDecisionView.as_view(),
                name="decide",
            ),
            path(
                "support-given/<int:pk>/",
                call_views.call_mark_support_given,
                name="support_given",
            ),
            path(
                "evidence/<int:pk>/",
                call_views.call_evidence_download,
                name="evidence",
            ),
        ]


class ReviewStepViewSet(SnippetViewSet):
    """The steps every review walks through; reviews scheduled afterwards follow the list."""

    model = ReviewStep
    icon = "list-ol"
    menu_label = _("Review steps")
    list_display = ["sort_order", "name", "active"]
    list_filter = ["active"]
    ordering = ["sort_order", "pk"]
    copy_view_enabled = False
    chooser_viewset_class = chooser_for(permissions.VIEW_REVIEW_STEPS)


class WorkGroup(SnippetViewSetGroup):
    """ "Work" in the admin menu: the registers that hold the day's work."""

    menu_label = _("Work")
    menu_name = "scrutiny-work"
    menu_icon = "clipboard-list"
    menu_order = 150
    items = [
        CallForScrutinyViewSet,
        petition_views.PetitionViewSet,
        meeting_views.PanelMeetingViewSet,
        appeal_views.AppealViewSet,
        membership_views.PanelApplicationViewSet,
        action_plan_views.ActionPlanViewSet,
        privacy_views.PersonalDataViewSet,
    ]

    def __init__(self):
        super().__init__()
        _add_change_history_buttons(self.registerables)


class PanelGroup(SnippetViewSetGroup):
    """ "The panel" in the admin menu: its programme, reviews, scoring, members and expenses."""

    menu_label = _("The panel")
    menu_name = "scrutiny-panel"
    menu_icon = "group"
    menu_order = 160
    items = [
        scoring_views.ProgrammeViewSet,
        review_views.ReviewViewSet,
        scoring_views.MeasureViewSet,
        membership_views.PanelMemberViewSet,
        membership_views.ExpenseClaimViewSet,
        time_views.TrainingSessionViewSet,
        time_views.TimeEntryViewSet,
        panel_year_views.ReferredTopicViewSet,
        panel_year_views.EffectivenessReviewViewSet,
    ]

    def __init__(self):
        super().__init__()
        _add_change_history_buttons(self.registerables)


def _add_change_history_buttons(viewsets) -> None:
    for viewset in viewsets:
        if isinstance(viewset, SnippetViewSet):
            history_views.with_change_history_button(viewset)


def _in_menu(viewset_class, *, hook: str, order: int):
    """A viewset whose menu item goes into one of Wagtail's own menus (Reports, Settings)."""

    class InMenu(viewset_class):
        menu_hook = hook
        menu_order = order

    InMenu.__name__ = InMenu.__qualname__ = viewset_class.__name__
    return InMenu


# Configuration lives in Wagtail's Settings menu, next to the Scrutiny settings and lock-outs.
SETTINGS_VIEWSETS = [
    _in_menu(viewset, hook="register_settings_menu_item", order=100 + index)
    for index, viewset in enumerate(
        [
            BusinessAreaViewSet,
            appeal_views.InvolvementGroupViewSet,
            meeting_views.NotAcceptedReasonViewSet,
            scoring_views.ScoringCriterionViewSet,
            ReviewStepViewSet,
        ]
    )
]
# The outcomes report and the History area lead Wagtail's Reports menu.
REPORT_VIEWSETS = [
    _in_menu(outcome_views.OutcomesViewSet, hook="register_reports_menu_item", order=100),
    _in_menu(history_views.HistoryViewSet, hook="register_reports_menu_item", order=110),
]


register_permission_policy(CallForScrutiny, call_views.CallPermissionPolicy(CallForScrutiny))
register_permission_policy(Appeal, appeal_views.AppealPermissionPolicy(Appeal))
register_snippet(WorkGroup)
register_snippet(PanelGroup)
for _viewset_class in SETTINGS_VIEWSETS:
    _viewset = _viewset_class()
    _add_change_history_buttons([_viewset])
    register_snippet(_viewset)


@hooks.register("register_admin_viewset")
def register_report_viewsets():
    """The outcomes report and the History area, under Reports."""
    return [viewset() for viewset in REPORT_VIEWSETS]


if apps.is_installed("axes"):
    from ..admin_views.lockouts import LockoutViewSet

    @hooks.register("register_admin_viewset")
    def register_lockout_viewset():
        """Sign-in lock-outs under Settings, where the site throttles sign-ins with django-axes."""
        return LockoutViewSet()


@hooks.register("register_snippet_listing_buttons")
def add_change_history_listing_button(snippet, user, next_url=None):
    """ "Change history" in the row menu of every register whose records keep history."""
    return history_views.listing_button(snippet, user)
