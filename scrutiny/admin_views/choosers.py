"""Wagtail's snippet choosers for the scrutiny registers, closed to staff who may not see them.

A chooser lists every record of its model to any admin user unless told otherwise, so each
viewset in the Scrutiny menu names the permission that opens its chooser.
"""

from django.core.exceptions import PermissionDenied
from wagtail.snippets.views.chooser import SnippetChooserViewSet

CHOOSER_VIEWS = [
    "choose_view_class",
    "choose_results_view_class",
    "chosen_view_class",
    "chosen_multiple_view_class",
    "create_view_class",
]


def _guarded(view_class, permission: str):
    """A chooser view that only users with `permission` can open."""

    class GuardedView(view_class):
        def dispatch(self, request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return super().dispatch(request, *args, **kwargs)

    GuardedView.__name__ = f"Guarded{view_class.__name__}"
    return GuardedView


def chooser_for(permission: str) -> type[SnippetChooserViewSet]:
    """A snippet chooser viewset whose views open only for users with `permission`."""
    views = {
        name: _guarded(getattr(SnippetChooserViewSet, name), permission) for name in CHOOSER_VIEWS
    }
    return type(
        "GuardedChooserViewSet", (SnippetChooserViewSet,), {"permission": permission, **views}
    )
