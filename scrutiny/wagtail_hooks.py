"""Admin screens of the scrutiny plugin: one "Scrutiny" menu with a viewset per register."""

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
