"""The five groups exist with their permissions, checked through real admin requests."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from scrutiny import roles
from tests.conftest import PASSWORD, make_business_area

pytestmark = pytest.mark.django_db


def test_the_data_migration_creates_exactly_the_five_groups():
    assert set(Group.objects.values_list("name", flat=True)) == set(roles.ROLES)


def reaches(client, user, url: str) -> bool:
    """Whether the user ends on the screen asked for, rather than being turned away."""
    client.login(username=user.username, password=PASSWORD)
    response = client.get(url, follow=True)
    client.logout()
    return response.status_code == 200 and response.request["PATH_INFO"].startswith(url)


# (role, business area list, add business area, settings, page explorer)
EXPECTED = {
    "comms": (False, False, False, True),
    "officer": (True, True, False, False),
    "panel": (True, False, False, False),
    "appeal": (False, False, False, False),
    "manager": (True, False, False, False),
    "admin": (True, True, True, True),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_admin_screens_per_role(client, staff, home_page, role):
    make_business_area()
    urls = [
        reverse("wagtailsnippets_scrutiny_businessarea:list"),
        reverse("wagtailsnippets_scrutiny_businessarea:add"),
        reverse("wagtailsettings:edit", args=["scrutiny", "scrutinysettings"]),
        reverse("wagtailadmin_explore", args=[home_page.pk]),
    ]
    seen = tuple(reaches(client, staff[role], url) for url in urls)
    assert seen == EXPECTED[role]


@pytest.mark.parametrize("role", ["comms", "officer", "panel", "appeal", "manager"])
def test_every_group_reaches_the_admin_dashboard(client, staff, role):
    assert reaches(client, staff[role], reverse("wagtailadmin_home"))


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("wagtailsnippets_scrutiny_businessarea:list"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_communications_can_publish_pages(client, staff, home_page):
    client.login(username="comms", password=PASSWORD)
    response = client.get(
        reverse("wagtailadmin_pages:add", args=["home", "standardpage", home_page.pk])
    )
    assert response.status_code == 200


def test_every_permission_named_in_the_role_tables_exists_and_is_granted():
    for name, dotted_names in roles.MODEL_PERMISSIONS.items():
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=name).permissions.select_related("content_type")
        }
        assert granted == set(dotted_names), name
