"""Wagtail's snippet choosers for the scrutiny registers, closed to staff who may not see them.

A chooser lists every record of its model to any admin user unless told otherwise, so each
viewset in the Scrutiny menu names the permission that opens its chooser.
"""

from django.core.exceptions import PermissionDenied
from wagtail.snippets.views.chooser import SnippetChooserViewSet

from .. import permissions

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
            if not permissions.holds(request.user, permission):
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


def close_page_chooser_to_hidden_pages() -> None:
    """Wagtail's page chooser names a page to a user only if they may choose it.

    Its listing and search go through `construct_page_chooser_queryset`, but two of its views
    take page ids from the address and do not: browsing under a page shows that page's title
    (`/admin/choose-page/<id>/`), and `chosen-multiple/?id=...` answers with the title of every
    id asked for. Both are served by Wagtail's own URLs, so their methods are wrapped here (at
    start-up, from ScrutinyConfig.ready): browsing under a page the user may not choose is a
    404, and ids of such pages are dropped from `chosen-multiple`.
    """
    from django.http import Http404
    from wagtail.admin.views import chooser
    from wagtail.models import Page

    from ..permissions import pages_to_choose

    if getattr(chooser.BrowseView, "scrutiny_guarded", False):
        return
    browse, chosen = chooser.BrowseView.get, chooser.ChosenMultipleView.get

    def choosable(request, ids) -> list[str]:
        pks = [pk for pk in ids if str(pk).isdigit()]
        pages = pages_to_choose(request.user, Page.objects.filter(pk__in=pks))
        return [str(pk) for pk in pages.values_list("pk", flat=True)]

    def guarded_browse(self, request, parent_page_id=None):
        if parent_page_id is not None and not choosable(request, [parent_page_id]):
            raise Http404
        return browse(self, request, parent_page_id)

    def guarded_chosen(self, request):
        query = request.GET.copy()
        query.setlist("id", choosable(request, query.getlist("id")))
        request.GET = query
        return chosen(self, request)

    chooser.BrowseView.get = guarded_browse
    chooser.ChosenMultipleView.get = guarded_chosen
    chooser.BrowseView.scrutiny_guarded = True
