"""Admin screens of the scrutiny plugin: one "Scrutiny" menu with a viewset per register."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import BusinessArea


class BusinessAreaViewSet(SnippetViewSet):
    """Business areas, each with its responsible head of operations."""

    model = BusinessArea
    icon = "table"
    menu_label = "Business areas"
    list_display = ["name", "head_of_operations_name", "active"]
    list_filter = ["active"]
    search_fields = ["name", "description"]
    inspect_view_enabled = True


class ScrutinyViewSetGroup(SnippetViewSetGroup):
    """The single "Scrutiny" area in the admin menu."""

    menu_label = "Scrutiny"
    menu_icon = "clipboard-list"
    menu_order = 150
    items = [BusinessAreaViewSet]


register_snippet(ScrutinyViewSetGroup)


@hooks.register("register_log_actions")
def register_scrutiny_log_actions(actions):
    """Name every change the plugin writes to Wagtail's log."""
    actions.register_action("scrutiny.call.submit", "Call submitted", "Submitted by the resident")
    actions.register_action("scrutiny.call.move", "Call moved", "Moved to a new stage")
    actions.register_action("scrutiny.call.assign", "Call assigned", "Assigned to an officer")
    actions.register_action("scrutiny.call.note", "Note added", "Internal note added")
    actions.register_action(
        "scrutiny.call.support_given", "Support given", "Support to the resident recorded"
    )


@hooks.register("register_log_actions")
def register_panel_log_actions(actions):
    """Name the changes made by panel decisions, meetings and petitions."""
    actions.register_action("scrutiny.call.decide", "Panel decision", "Panel decision recorded")
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
