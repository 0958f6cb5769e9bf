"""Admin screens of the scrutiny plugin: menus "Work" and "The panel", Reports and Settings."""

from django.apps import apps
from django.contrib import messages
from django.db import models
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.models import ModelLogEntry, Page
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail_modeladmin.options import modeladmin_register

from . import action_selectors, lockouts, member_selectors, permissions, record_selectors, selectors
from .admin_views import actions as action_views
from .admin_views import appeals as appeal_views
from .admin_views import calls as call_views
from .admin_views import dashboard as dashboard_views
from .admin_views import history as history_views
from .admin_views import listings
from .admin_views import meetings as meeting_views
from .admin_views import membership as membership_views
from .admin_views import on_behalf as on_behalf_views
from .admin_views import outbox as outbox_views
from .admin_views import outcomes as outcome_views
from .admin_views import panel_year as panel_year_views
from .admin_views import petitions as petition_views
from .admin_views import privacy as privacy_views
from .admin_views import reviews as review_views
from .admin_views import scoring as scoring_views
from .admin_views import time_given as time_views
from .admin_views.choosers import chooser_for
from .financial_years import current_financial_year, financial_year_label
from .models import (
    Appeal,
    BusinessArea,
    CallForScrutiny,
    CallStatus,
    Measure,
    OutcomesReportPage,
    PanelMember,
    ReceivedVia,
    RecordLogEntry,
    ReviewStep,
    ScoringCriterion,
    ScrutinyReviewPage,
    ScrutinySettings,
)
from .models.programme import report_signed_off, report_workflow
from .pipeline import rules


class BusinessAreaViewSet(SnippetViewSet):
    """Business areas, each with its responsible head of operations."""

    model = BusinessArea
    icon = "table"
    menu_label = "Business areas"
    # The services are public (the call form lists them), and Communications choose one on a
    # review page: any admin user may open this chooser.
    chooser_viewset_class = chooser_for("wagtailadmin.access_admin")
    list_display = ["name", Column("head_of_operations_name", label="Head of operations"), "active"]
    list_filter = ["active"]
    search_fields = ["name", "description"]
    inspect_view_enabled = True


class CallForScrutinyViewSet(SnippetViewSet):
    """Calls from residents: officers triage them here; they are added only by the public form."""

    model = CallForScrutiny
    icon = "mail"
    menu_label = "Calls for scrutiny"
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
            label="Service",
            sort_key="business_area__name",
            classname="scrutiny-col-wide",
        ),
        listings.StatusTagColumn(choices=CallStatus),
        listings.DayColumn("submitted_at", label="Received"),
        listings.DayColumn("status_changed_at", label="Waiting since"),
        listings.PersonColumn("assigned_officer", label="Officer"),
        listings.YesNoColumn(
            "is_overdue", label="Overdue", sort_key="is_overdue", blank_when_false=True
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
        "reference": "Reference",
        "submitted_at": "Received",
        "get_status_display": "Status",
        "status_changed_at": "Waiting since",
        "is_overdue": "Overdue for a panel decision",
        "business_area": "Service",
        "get_tenure_display": "Tenure",
        "get_complaint_stage_display": "Complaint stage",
        "actions_taken": "What the resident has already done",
        "support_contact": "How to reach the resident for support",
        "assigned_officer": "Assigned officer",
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
    menu_label = "Review steps"
    list_display = ["sort_order", "name", "active"]
    list_filter = ["active"]
    ordering = ["sort_order", "pk"]
    copy_view_enabled = False
    chooser_viewset_class = chooser_for("scrutiny.view_reviewstep")


class WorkGroup(SnippetViewSetGroup):
    """ "Work" in the admin menu: the registers that hold the day's work."""

    menu_label = "Work"
    menu_name = "scrutiny-work"
    menu_icon = "clipboard-list"
    menu_order = 150
    items = [
        CallForScrutinyViewSet,
        petition_views.PetitionViewSet,
        meeting_views.PanelMeetingViewSet,
        appeal_views.AppealViewSet,
        membership_views.PanelApplicationViewSet,
        action_views.ActionPlanViewSet,
        privacy_views.PersonalDataViewSet,
    ]

    def __init__(self):
        super().__init__()
        _add_change_history_buttons(self.registerables)


class PanelGroup(SnippetViewSetGroup):
    """ "The panel" in the admin menu: its programme, reviews, scoring, members and expenses."""

    menu_label = "The panel"
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
    from .admin_views.lockouts import LockoutViewSet

    @hooks.register("register_admin_viewset")
    def register_lockout_viewset():
        """Sign-in lock-outs under Settings, where the site throttles sign-ins with django-axes."""
        return LockoutViewSet()


@hooks.register("register_snippet_listing_buttons")
def add_change_history_listing_button(snippet, user, next_url=None):
    """ "Change history" in the row menu of every register whose records keep history."""
    return history_views.listing_button(snippet, user)


@hooks.register("register_log_actions", order=100)
def read_the_log_as_each_user_may(actions):
    """Wagtail's log of model changes is written and read through RecordLogEntry.

    It runs after Wagtail's own registration (order), replacing ModelLogEntry for every model:
    the site history report, its filters and its exports then list only the entries about
    records the user may open (scrutiny.permissions.log_entries_visible_to). Same table, so
    nothing is moved.
    """
    actions.register_model(models.Model, RecordLogEntry)
    actions.log_entry_models.discard(ModelLogEntry)


@hooks.register("construct_page_chooser_queryset")
def choose_only_pages_one_may_see(pages, request):
    """Page choosers offer live pages, and drafts only to those who may explore them."""
    return permissions.pages_to_choose(request.user, pages)


def received_for_resident(what: str):
    """A log formatter for something a resident gave by post, phone or in person, which an
    officer recorded for them; how it came is in the entry's data."""

    class Formatter(LogFormatter):
        label = f"{what} recorded for the resident"

        def format_message(self, log_entry):
            via = dict(ReceivedVia.choices).get(
                (log_entry.data or {}).get("received_by", ""), "by post"
            )
            return f"{what} given {via.lower()}, recorded by an officer for the resident"

    return Formatter


class CallSubmitted(LogFormatter):
    """A call arriving: from the online form, or entered by an officer from a letter or call."""

    label = "Call submitted"

    def format_message(self, log_entry):
        received = (log_entry.data or {}).get("received", "")
        if received and received != ReceivedVia.WEB.label:
            return f"Received {received.lower()}, entered by an officer for the resident"
        return "Submitted by the resident"


class SignInUnlocked(LogFormatter):
    """A superuser unlocking an account or a network address on the lock-outs list."""

    label = "Sign-in unlocked"

    def format_message(self, log_entry):
        data = log_entry.data or {}
        if data.get("username"):
            return f"The account “{data['username']}” unlocked after failed sign-ins"
        return f"The network address {data.get('ip_address', '')} unlocked after failed sign-ins"


@hooks.register("register_log_actions")
def register_scrutiny_log_actions(actions):
    """Name every change the plugin writes to Wagtail's log."""
    actions.register_action(lockouts.UNLOCKED_ACTION)(SignInUnlocked)
    actions.register_action("scrutiny.call.submit")(CallSubmitted)
    actions.register_action("scrutiny.call.move", "Call moved", "Moved to a new stage")
    actions.register_action("scrutiny.call.assign", "Call assigned", "Assigned to an officer")
    actions.register_action("scrutiny.call.note", "Note added", "Internal note added")
    actions.register_action(
        "scrutiny.call.access_code",
        "Access code issued",
        "A new access code issued to the resident (the old one no longer works)",
    )
    actions.register_action(
        "scrutiny.call.support_given", "Support given", "Support to the resident recorded"
    )
    actions.register_action("scrutiny.call.withdraw", "Call withdrawn", "Withdrawn by the resident")
    actions.register_action(
        "scrutiny.call.duplicate", "Closed as a duplicate", "Closed as a duplicate of another call"
    )
    actions.register_action(
        "scrutiny.call.out_of_scope", "Closed as out of scope", "Outside what the panel looks at"
    )
    actions.register_action(
        "scrutiny.call.monitoring", "Monitoring outcome", "Moved as the panel's monitoring found"
    )
    actions.register_action("scrutiny.monitoring", "Referred for monitoring", "Monitoring began")
    actions.register_action(
        "scrutiny.monitoring.extend", "Monitoring extended", "The review date was put back"
    )
    actions.register_action(
        "scrutiny.monitoring.conclude", "Monitoring concluded", "What the panel found"
    )


@hooks.register("register_log_actions")
def register_panel_log_actions(actions):
    """Name the changes made by panel decisions, meetings and petitions."""
    actions.register_action("scrutiny.call.decide", "Panel decision", "Panel decision recorded")
    actions.register_action(
        "scrutiny.call.correct", "Call corrected", "Service or households corrected"
    )
    actions.register_action("scrutiny.call.agenda", "Agenda", "Put on a meeting's agenda")
    actions.register_action("scrutiny.meeting.cancel", "Meeting cancelled", "Meeting cancelled")
    actions.register_action("scrutiny.meeting.held", "Meeting held", "Meeting held")
    actions.register_action("scrutiny.petition.open", "Petition opened", "Petition opened")
    actions.register_action("scrutiny.petition.target", "Target changed", "Petition target changed")
    actions.register_action(
        "scrutiny.petition.withdraw", "Signature withdrawn", "A signature was withdrawn"
    )
    actions.register_action(
        "scrutiny.petition.invalidate", "Signatures invalidated", "Signatures invalidated"
    )
    actions.register_action(
        "scrutiny.petition.target_reached", "Target reached", "Petition reached its target"
    )
    actions.register_action("scrutiny.petition.close", "Petition closed", "Petition closed")


@hooks.register("register_log_actions")
def register_appeal_log_actions(actions):
    """Name the changes made by appeals."""
    actions.register_action("scrutiny.appeal.submit", "Appeal received", "Appeal received")
    actions.register_action("scrutiny.appeal.for_resident")(received_for_resident("Appeal"))
    actions.register_action(
        "scrutiny.appeal.convene", "Appeal panel convened", "Appeal panel convened"
    )
    actions.register_action("scrutiny.appeal.decide", "Appeal decided", "Appeal decided")
    # Distinct names on the call, since Wagtail's history keeps one entry per action and request.
    actions.register_action("scrutiny.call.appealed", "Appealed", "The resident appealed")
    actions.register_action("scrutiny.call.appealed_for_resident")(
        received_for_resident("The resident's appeal")
    )
    actions.register_action(
        "scrutiny.call.appeal_decided", "Appeal upheld", "Moved as the upheld appeal directed"
    )


@hooks.register("construct_homepage_panels", order=-10)
def add_your_work_panel(request, panels):
    """ "Your work" first on the dashboard; the page panels only for those who use pages."""
    if not dashboard_views.may_use_pages(request.user):
        panels[:] = [panel for panel in panels if panel.name not in PAGE_PANELS]
    panel = dashboard_views.your_work_panel(request)
    if panel is not None:
        panels.append(panel)


# Wagtail's dashboard panels that list pages: a user without page permissions has none there.
PAGE_PANELS = {"recent_edits", "locked_pages"}


@hooks.register("construct_homepage_summary_items")
def page_summary_only_for_page_users(request, summary_items):
    """The count of pages, images and documents is for those who use pages."""
    if not dashboard_views.may_use_pages(request.user):
        summary_items.clear()


class OverdueCallsPanel(Component):
    """Dashboard panel: calls that have waited too long for the panel's decision."""

    name = "scrutiny_overdue_calls"
    order = 50
    template_name = "scrutiny/admin/overdue_panel.html"

    def __init__(self, calls):
        self.calls = calls

    def get_context_data(self, parent_context=None):
        return {
            "calls": self.calls,
            "days": ScrutinySettings.load().decision_overdue_days,
            "inspect_url_name": CallForScrutiny.snippet_viewset.get_url_name("inspect"),
        }


@hooks.register("construct_homepage_panels")
def add_overdue_calls_panel(request, panels):
    """Show overdue calls to those who see calls."""
    if request.user.has_perm("scrutiny.view_callforscrutiny"):
        calls = list(selectors.calls_overdue()[:20])
        if calls:
            panels.append(OverdueCallsPanel(calls))


@hooks.register("register_log_actions")
def register_scoring_log_actions(actions):
    """Name the changes made by scoring and the programme."""
    actions.register_action(
        "scrutiny.matrix.rescore", "Re-scored", "Unscheduled scores recalculated after a change"
    )
    actions.register_action("scrutiny.measure.import", "Measures imported", "Measures imported")
    actions.register_action(
        "scrutiny.programme.schedule", "Scheduled", "Scheduled into the programme"
    )
    actions.register_action("scrutiny.call.schedule", "Call scheduled", "Scheduled for review")


def _rescore_after(request, instance, change: str) -> None:
    from . import pipeline

    pipeline.matrix_rescore(instance=instance, user=request.user, change=change)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def rescore_after_matrix_or_measure_saved(request, instance):
    """A changed criterion or measure re-scores everything not yet scheduled."""
    if isinstance(instance, ScoringCriterion):
        _rescore_after(request, instance, f"criterion '{instance.name}' saved")
    elif isinstance(instance, Measure):
        _rescore_after(request, instance, f"measure '{instance}' saved")


@hooks.register("after_delete_snippet")
def rescore_after_matrix_or_measure_deleted(request, instances):
    """A deleted criterion or measure re-scores everything not yet scheduled."""
    if any(isinstance(instance, ScoringCriterion | Measure) for instance in instances):
        _rescore_after(request, None, "criterion or measure deleted")


@hooks.register("after_edit_setting")
def rescore_after_settings_saved(request, instance):
    """The community call bonus is part of the matrix: re-score when the settings change."""
    if isinstance(instance, ScrutinySettings):
        _rescore_after(request, instance, "settings saved")


@hooks.register("after_edit_setting")
def rename_oversight_task(request, instance):
    """The report workflow's last task carries the oversight body's name from the settings."""
    if isinstance(instance, ScrutinySettings):
        from .roles import name_oversight_task

        name_oversight_task(instance.oversight_body)


class ProgrammeShortfallPanel(Component):
    """Dashboard panel: this year's programme has fewer reviews than the configured minimum."""

    name = "scrutiny_programme_shortfall"
    order = 60
    template_name = "scrutiny/admin/programme_shortfall_panel.html"

    def __init__(self, *, year: int, count: int, minimum: int):
        self.year, self.count, self.minimum = year, count, minimum

    def get_context_data(self, parent_context=None):
        return {
            "year_label": financial_year_label(self.year),
            "count": self.count,
            "minimum": self.minimum,
            "url": scoring_views.programme_url(self.year),
        }


@hooks.register("construct_homepage_panels")
def add_programme_shortfall_panel(request, panels):
    """Warn those who see the ranking when this year's programme is short of reviews."""
    if scoring_views.may_view_scores(request.user):
        year = current_financial_year()
        count = selectors.programme_reviews(year).count()
        minimum = ScrutinySettings.load().minimum_reviews_per_year
        if count < minimum:
            panels.append(ProgrammeShortfallPanel(year=year, count=count, minimum=minimum))


@hooks.register("register_log_actions")
def register_membership_log_actions(actions):
    """Name the changes made to applications to join the panel and expense claims."""
    actions.register_action(
        "scrutiny.application.submit", "Application received", "Applied to join the panel"
    )
    actions.register_action("scrutiny.application.move", "Application moved", "Moved to a stage")
    actions.register_action("scrutiny.application.note", "Note added", "Note added")
    actions.register_action("scrutiny.application.appoint", "Appointed", "Appointed to the panel")
    actions.register_action("scrutiny.expense.submit", "Expenses claimed", "Expenses claimed")
    actions.register_action("scrutiny.expense.approve", "Claim approved", "Claim approved")
    actions.register_action("scrutiny.expense.reject", "Claim rejected", "Claim rejected")
    actions.register_action("scrutiny.training.offer", "Place offered", "Training place offered")
    actions.register_action("scrutiny.training.book", "Place booked", "Training place booked")
    actions.register_action("scrutiny.training.decline", "Place declined", "Place declined")
    actions.register_action("scrutiny.training.attend", "Attended", "Attended training")
    actions.register_action("scrutiny.training.miss", "Did not attend", "Missed training")
    actions.register_action("scrutiny.time.log", "Time logged", "Time logged")
    actions.register_action("scrutiny.time.withdraw", "Time withdrawn", "Time withdrawn")
    actions.register_action("scrutiny.referral.refer", "Topic referred", "Referred to the panel")
    actions.register_action("scrutiny.referral.schedule", "Topic scheduled", "Scheduled")
    actions.register_action("scrutiny.referral.report", "Topic reported on", "Reported on")
    actions.register_action("scrutiny.referral.withdraw", "Topic withdrawn", "Withdrawn")
    actions.register_action(
        "scrutiny.effectiveness.prepare", "Effectiveness review prepared", "Prepared"
    )
    actions.register_action("scrutiny.effectiveness.agree", "Review agreed", "Agreed by the panel")
    actions.register_action("scrutiny.effectiveness.reopen", "Review reopened", "Reopened")
    actions.register_action(
        "scrutiny.effectiveness.acknowledge",
        "Review acknowledged",
        "Acknowledged by the oversight body",
    )


class MembersBelowTargetPanel(Component):
    """Dashboard panel: members below a commitment, with the months left in the year."""

    name = "scrutiny_members_below_target"
    order = 60
    template_name = "scrutiny/admin/members_below_target_panel.html"

    def __init__(self, rows):
        self.rows = rows

    def get_context_data(self, parent_context=None):
        first = self.rows[0]
        return {
            "rows": self.rows,
            "year_label": first.year_label,
            "months_left": first.months_left,
            "inspect_url_name": PanelMember.snippet_viewset.get_url_name("inspect"),
        }


@hooks.register("construct_homepage_panels")
def add_members_below_target_panel(request, panels):
    """Show officers the members who are below their commitments this year."""
    if request.user.has_perm("scrutiny.view_panelmember"):
        rows = member_selectors.members_below_target()
        if rows:
            panels.append(MembersBelowTargetPanel(rows))


class MembersDaysPanel(Component):
    """Dashboard panel: members whose days so far are far below or above their share."""

    name = "scrutiny_members_days"
    order = 61
    template_name = "scrutiny/admin/members_days_panel.html"

    def __init__(self, flags):
        self.flags = flags

    def get_context_data(self, parent_context=None):
        config = ScrutinySettings.load()
        return {
            "flags": self.flags,
            "percent": config.commitment_flag_percent,
            "days": config.commitment_days_per_year,
            "inspect_url_name": PanelMember.snippet_viewset.get_url_name("inspect"),
        }


@hooks.register("construct_homepage_panels")
def add_members_days_panel(request, panels):
    """Show officers the members giving far less or far more time than the yearly days."""
    if request.user.has_perm("scrutiny.view_panelmember"):
        flags = member_selectors.members_far_from_days()
        if flags:
            panels.append(MembersDaysPanel(flags))


@hooks.register("register_log_actions")
def register_action_plan_log_actions(actions):
    """Name the changes made to responses, action plans and reviews' completion."""
    actions.register_action(
        "scrutiny.recommendation.respond", "Response recorded", "Response to a recommendation"
    )
    actions.register_action("scrutiny.action.add", "Action added", "Action added to a plan")
    actions.register_action("scrutiny.action.change", "Action changed", "Action changed")
    actions.register_action("scrutiny.action.progress", "Progress recorded", "Action progress")
    actions.register_action("scrutiny.action.agree", "Plan agreed", "The panel agreed a plan")
    actions.register_action(
        "scrutiny.review.complete", "Action plan complete", "Every action done: review completed"
    )
    actions.register_action(
        "scrutiny.review.reopen", "Action plan reopened", "An action reopened or added"
    )
    actions.register_action("scrutiny.call.close", "Call closed", "Closed with its review")


class ActionsAttentionPanel(Component):
    """Dashboard panel: overdue and due-soon actions, by review or serious-failure decision."""

    name = "scrutiny_actions_attention"
    order = 55
    template_name = "scrutiny/admin/action_attention_panel.html"

    def __init__(self, groups, *, overdue_in_your_work=False):
        self.groups = groups
        self.overdue_in_your_work = overdue_in_your_work

    def get_context_data(self, parent_context=None):
        return {
            "groups": self.groups,
            "overdue_in_your_work": self.overdue_in_your_work,
            "heading": "Actions due soon"
            if self.overdue_in_your_work
            else "Actions overdue or due soon",
            "days": ScrutinySettings.load().action_reminder_days,
            "index_url": reverse("scrutiny_actions:index"),
        }


@hooks.register("construct_homepage_panels")
def add_actions_attention_panel(request, panels):
    """Show officers, managers and the panel the actions overdue or due soon."""
    from .permissions import can_view_action_plans

    if can_view_action_plans(request.user):
        groups = action_selectors.actions_needing_attention()
        # An officer's "Your work" already lists the overdue actions: here only those due soon.
        overdue_in_your_work = request.user.has_perm("scrutiny.change_callforscrutiny")
        if overdue_in_your_work:
            groups = [group for group in groups if group.due_soon]
        if groups:
            panels.append(ActionsAttentionPanel(groups, overdue_in_your_work=overdue_in_your_work))


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    """Name the anonymisations and erasures of personal data."""
    actions.register_action(
        "scrutiny.privacy.retention", "Personal data anonymised", "Retention period ended"
    )
    actions.register_action("scrutiny.privacy.erasure", "Personal data erased", "Erased on request")
    actions.register_action(
        "scrutiny.privacy.export", "Personal data exported", "Subject access export"
    )


@hooks.register("register_log_actions")
def register_outcomes_log_actions(actions):
    """Name the changes made to the yearly outcomes report."""
    actions.register_action(
        "scrutiny.outcomes.draft", "Outcomes report drafted", "Drafted with the year's figures"
    )
    actions.register_action(
        "scrutiny.outcomes.refresh", "Figures taken again", "The report's figures were taken again"
    )


@hooks.register("register_page_header_buttons")
def outcomes_figures_button(page, user, view_name, next_url=None):
    """From an outcomes report page, a way to the figures and to take them again."""
    if isinstance(page.specific_deferred, OutcomesReportPage) and outcome_views.may_view_outcomes(
        user
    ):
        yield Button(
            "Outcome figures",
            outcome_views.outcomes_url(page.specific_deferred.financial_year),
            icon_name="doc-full",
            priority=75,
        )


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    """Name the changes made while running a review and approving its report."""
    actions.register_action("scrutiny.review.status", "Review status", "The review moved on")
    actions.register_action("scrutiny.review.step", "Step updated", "A review step was updated")
    actions.register_action(
        "scrutiny.review.participant_add", "Member added", "A panel member joined the review"
    )
    actions.register_action(
        "scrutiny.review.participant_remove", "Member removed", "A panel member left the review"
    )
    actions.register_action(
        "scrutiny.call.review", "Moved with its review", "Moved with the review that answers it"
    )


@hooks.register("before_publish_page")
def refuse_unsigned_report(request, page):
    """A review's report is published only by its approval workflow, never by a button.

    The editor's Publish button is hidden (ReviewPagePermissionTester); this refuses a
    publish that arrives anyway, from the edit or create view, after its revision is saved.
    """
    if isinstance(page.specific, ScrutinyReviewPage) and not report_signed_off(page):
        _say_report_not_published(request, page)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_delete_page")
def refuse_deleting_the_record(request, page):
    """Nobody deletes a page of the record, or a page above one: say what depends on it.

    Only superusers are offered Delete on such a page (RecordPagePermissionTester); a page
    that a protected record points at is refused too, so a delete never ends in an error.
    """
    refusal = record_selectors.page_deletion_refusal(page)
    if refusal is None:
        return None
    messages.error(request, refusal)
    editor = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return redirect(get_valid_next_url_from_request(request) or editor)


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_the_record(request, action_type, objects, action_class_instance):
    """A bulk delete refuses, in the words of a single delete, when one of them is on the record."""
    if action_type != "delete":
        return None
    if issubclass(action_class_instance.model, Page):
        refusals = [record_selectors.page_deletion_refusal(page) for page in objects]
    else:
        refusals = [record_selectors.deletion_refusal(instance) for instance in objects]
    if not any(refusals):
        return None
    for refusal in filter(None, refusals):
        messages.error(request, refusal)
    return redirect(action_class_instance.next_url)


@hooks.register("before_delete_snippet")
def refuse_deleting_what_the_record_needs(request, instances):
    """A record that others on the record point at is not deleted: name them, never fail."""
    refusals = [record_selectors.deletion_refusal(instance) for instance in instances]
    if not any(refusals):
        return None
    for refusal in filter(None, refusals):
        messages.error(request, refusal)
    viewset = instances[0].snippet_viewset
    return redirect(
        get_valid_next_url_from_request(request) or reverse(viewset.get_url_name("list"))
    )


@hooks.register("before_delete_user")
def refuse_deleting_a_person_on_the_record(request, user):
    """An account the record names (a panel member) is made inactive, never deleted."""
    refusal = record_selectors.deletion_refusal(user)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect(get_valid_next_url_from_request(request) or reverse("wagtailusers_users:index"))


@hooks.register("after_edit_page")
def explain_unpublished_report(request, page):
    """A Publish that reaches a review's editor without sign-off is saved as a draft: say so.

    Wagtail saves the draft quietly ("Page updated") when the user may not publish, which is
    everyone for a report not yet signed off; the editor must not think it went live.
    """
    if request.method != "POST" or not request.POST.get("action-publish"):
        return None
    if not isinstance(page.specific, ScrutinyReviewPage):
        return None
    revisions = Page.objects.filter(pk=page.pk).values("latest_revision", "live_revision").first()
    latest = page.revisions.filter(pk=revisions["latest_revision"]).first() if revisions else None
    if latest is None or latest.pk == revisions["live_revision"] or latest.approved_go_live_at:
        return None  # published now, or scheduled by the workflow's approval
    _say_report_not_published(request, page)
    return None


@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def explain_unsubmitted_report(request, page):
    """A report sent for sign-off before every step is finished is saved as a draft: say why."""
    if request.method != "POST" or not request.POST.get("action-submit"):
        return None
    specific = page.specific
    if not isinstance(specific, ScrutinyReviewPage) or specific.workflow_in_progress:
        return None
    reason = rules.steps_finished(specific)
    if reason:
        messages.error(request, f"“{page.title}” was saved as a draft, not sent. {reason}")
    return None


@hooks.register("after_edit_page")
def back_to_the_review(request, page):
    """A drafter who sends a report on, or acts on its task, returns to "Run the review".

    Wagtail sends the editor back to the page explorer, which officers and panel members may
    not open: they would land on "Sorry, you do not have permission".
    """
    if request.method != "POST" or not isinstance(page.specific, ScrutinyReviewPage):
        return None
    sent_on = (
        request.POST.get("action-submit") or request.POST.get("action-restart-workflow")
    ) and page.specific.workflow_in_progress
    if not (sent_on or request.POST.get("action-workflow-action")):
        return None
    if get_valid_next_url_from_request(request) or permissions.may_explore(
        request.user, page.get_parent()
    ):
        return None
    if not review_views.may_view_reviews(request.user):
        return redirect("wagtailadmin_home")
    return redirect("scrutiny_reviews:run", page.pk)


def _say_report_not_published(request, page) -> None:
    if report_workflow() is None:
        reason = "no report approval workflow is set in Scrutiny settings"
    else:
        reason = "a report is published only when the panel and the oversight body sign it off"
    messages.error(
        request,
        f"“{page.title}” was saved as a draft, not published: {reason}. "
        "Use “Submit to Report approval” to send it for sign-off.",
    )


@hooks.register("after_create_page")
def set_up_review_steps(request, page):
    """A review added in the page tree gets its steps, as a scheduled one does."""
    from . import pipeline

    specific = page.specific
    if isinstance(specific, ScrutinyReviewPage):
        pipeline.review_steps_create(review=specific)


def _run_review_button(page, user, priority: int):
    specific_class = page.specific_class
    if (
        specific_class is not None
        and issubclass(specific_class, ScrutinyReviewPage)
        and review_views.may_view_reviews(user)
    ):
        return Button(
            "Run the review",
            url=reverse("scrutiny_reviews:run", args=[page.pk]),
            icon_name="clipboard-list",
            priority=priority,
        )
    return None


@hooks.register("register_page_listing_more_buttons")
def run_review_listing_button(page, user, next_url=None):
    """Offer "Run the review" in a review page's "More" menu in the page listing."""
    button = _run_review_button(page, user, priority=5)
    if button is not None:
        yield button


@hooks.register("register_page_header_buttons")
def run_review_header_button(page, user, view_name=None, next_url=None):
    """Offer "Run the review" in the review page's header menu in the editor."""
    button = _run_review_button(page, user, priority=12)
    if button is not None:
        yield button


modeladmin_register(outbox_views.OutboxAdmin)
modeladmin_register(outbox_views.PrivacyLogAdmin)


@hooks.register("register_log_actions")
def register_letter_log_actions(actions):
    """Name the posting of a letter to a resident."""
    actions.register_action(
        "scrutiny.letter.posted", "Letter posted", "Marked posted by an officer"
    )
