"""The dashboard's panels: each role's work, overdue calls, the programme's shortfall, members'
commitments and the actions that need attention."""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from .. import permissions, selectors
from ..admin_views import dashboard as dashboard_views
from ..admin_views import scoring as scoring_views
from ..financial_years import current_financial_year, financial_year_label
from ..models import (
    CallForScrutiny,
    PanelMember,
    ScrutinySettings,
)


@hooks.register("construct_homepage_panels", order=-10)
def add_your_work_panel(request, panels):
    """ "Your work" first on the dashboard; the page panels only for those who use pages."""
    if not permissions.may_use_pages(request.user):
        panels[:] = [panel for panel in panels if panel.name not in PAGE_PANELS]
    panel = dashboard_views.your_work_panel(request)
    if panel is not None:
        panels.append(panel)


# Wagtail's dashboard panels that list pages: a user without page permissions has none there.
PAGE_PANELS = {"recent_edits", "locked_pages"}


@hooks.register("construct_homepage_summary_items")
def page_summary_only_for_page_users(request, summary_items):
    """The count of pages, images and documents is for those who use pages."""
    if not permissions.may_use_pages(request.user):
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
    if permissions.may_view_calls(request.user):
        calls = list(selectors.calls_overdue()[:20])
        if calls:
            panels.append(OverdueCallsPanel(calls))


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
    if permissions.may_view_scores(request.user):
        year = current_financial_year()
        count = selectors.programme_reviews(year).count()
        minimum = ScrutinySettings.load().minimum_reviews_per_year
        if count < minimum:
            panels.append(ProgrammeShortfallPanel(year=year, count=count, minimum=minimum))


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
    if permissions.may_view_members(request.user):
        rows = selectors.members_below_target()
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
    if permissions.may_view_members(request.user):
        flags = selectors.members_far_from_days()
        if flags:
            panels.append(MembersDaysPanel(flags))


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
            "heading": _("Actions due soon")
            if self.overdue_in_your_work
            else _("Actions overdue or due soon"),
            "days": ScrutinySettings.load().action_reminder_days,
            "index_url": reverse("scrutiny_actions:index"),
        }


@hooks.register("construct_homepage_panels")
def add_actions_attention_panel(request, panels):
    """Show officers, managers and the panel the actions overdue or due soon."""
    from ..permissions import can_view_action_plans

    if can_view_action_plans(request.user):
        groups = selectors.actions_needing_attention()
        # An officer's "Your work" already lists the overdue actions: here only those due soon.
        overdue_in_your_work = permissions.can_manage_calls(request.user)
        if overdue_in_your_work:
            groups = [group for group in groups if group.due_soon]
        if groups:
            panels.append(ActionsAttentionPanel(groups, overdue_in_your_work=overdue_in_your_work))
