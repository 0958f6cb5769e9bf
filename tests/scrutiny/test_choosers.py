"""Wagtail's snippet choosers list every record, so each opens only for those who see them all."""

import pytest
from django.urls import reverse
from wagtail.snippets.views.snippets import SnippetViewSet

from scrutiny.admin_hooks.menus import SETTINGS_VIEWSETS, PanelGroup, WorkGroup
from tests.conftest import PASSWORD
from tests.scrutiny.membership_builders import make_application

pytestmark = pytest.mark.django_db

SNIPPET_VIEWSETS = [
    viewset
    for viewset in [*WorkGroup.items, *PanelGroup.items, *SETTINGS_VIEWSETS]
    if issubclass(viewset, SnippetViewSet)
]


def refused(response) -> bool:
    """Wagtail's "no permission" answer: back to the dashboard with a message."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def chooser_url(viewset) -> str:
    meta = viewset.model._meta
    return reverse(f"wagtailsnippetchoosers_{meta.app_label}_{meta.model_name}:choose")


@pytest.mark.parametrize("viewset", SNIPPET_VIEWSETS, ids=lambda v: v.model._meta.model_name)
def test_every_scrutiny_chooser_names_the_permission_that_opens_it(viewset):
    assert getattr(viewset.chooser_viewset_class, "permission", None), (
        f"{viewset.__name__} needs chooser_viewset_class = chooser_for('<permission>')"
    )


@pytest.mark.parametrize("viewset", SNIPPET_VIEWSETS, ids=lambda v: v.model._meta.model_name)
@pytest.mark.parametrize("role", ["comms", "officer", "panel", "appeal", "manager", "admin"])
def test_a_chooser_opens_only_with_its_permission(client, staff, viewset, role):
    user = staff[role]
    client.login(username=user.username, password=PASSWORD)
    response = client.get(chooser_url(viewset))
    allowed = user.has_perm(viewset.chooser_viewset_class.permission)
    assert response.status_code == 200 if allowed else refused(response)


def test_applicants_names_are_not_listed_to_the_panel_or_communications(client, staff):
    make_application(name="Sam Okafor")
    url = reverse("wagtailsnippetchoosers_scrutiny_panelapplication:choose")
    for role in ["comms", "panel", "appeal", "manager"]:
        client.login(username=role, password=PASSWORD)
        response = client.get(url, follow=True)
        assert response.redirect_chain and refused(client.get(url))
        assert "Sam Okafor" not in response.content.decode()
    client.login(username="officer", password=PASSWORD)
    assert "Sam Okafor" in client.get(url).content.decode()
