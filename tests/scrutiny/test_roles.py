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


def run_the_roles_migration() -> str:
    """Run the roles step of migration 0002 again, as the next roles migration would; its words."""
    import importlib
    import io
    from contextlib import redirect_stdout

    from django.apps import apps
    from django.db.migrations import RunPython

    migration = importlib.import_module(
        "scrutiny.migrations.0002_roles_workflows_and_defaults"
    ).Migration
    [step] = [
        op
        for op in migration.operations
        if isinstance(op, RunPython) and op.code is roles.sync_roles
    ]
    said = io.StringIO()
    with redirect_stdout(said):
        step.code(apps, None)
    return said.getvalue()


def test_an_administrators_grant_survives_the_roles_migration(home_page):
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    panel = Group.objects.get(name=roles.PANEL)
    managers = Group.objects.get(name=roles.MANAGERS)
    # An administrator lets the panel read applications, and managers edit the home page.
    applications = Permission.objects.get(codename="view_panelapplication")
    panel.permissions.add(applications)
    change_page = Permission.objects.get(
        content_type__app_label="wagtailcore", codename="change_page"
    )
    GroupPagePermission.objects.create(group=managers, page=home_page, permission=change_page)

    said = run_the_roles_migration()

    assert panel.permissions.filter(pk=applications.pk).exists()
    assert GroupPagePermission.objects.filter(group=managers, page=home_page).exists()
    assert "removed" not in said


def test_the_roles_migration_puts_back_what_the_product_grants_and_says_so():
    from django.contrib.auth.models import Permission

    panel = Group.objects.get(name=roles.PANEL)
    panel.permissions.remove(Permission.objects.get(codename="draft_review"))

    said = run_the_roles_migration()

    assert panel.permissions.filter(codename="draft_review").exists()
    assert said == "Scrutiny roles: Panel members: added scrutiny.draft_review.\n"
    assert run_the_roles_migration() == ""  # nothing more to add


def test_the_roles_migration_takes_back_only_the_withdrawn_programme_rights(home_page):
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    from tests.scrutiny.review_builders import make_programme

    programme = make_programme(home_page)
    officers = Group.objects.get(name=roles.OFFICERS)
    for codename in ("add_page", "change_page", "lock_page"):
        GroupPagePermission.objects.create(
            group=officers,
            page=programme,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )

    said = run_the_roles_migration()

    kept = GroupPagePermission.objects.filter(group=officers, page=programme)
    assert list(kept.values_list("permission__codename", flat=True)) == ["lock_page"]
    assert "Scrutiny officers: removed add_page on programme of scrutiny pages (withdrawn)" in said


def test_the_sync_roles_command_says_what_it_added():
    from io import StringIO

    from django.contrib.auth.models import Permission
    from django.core.management import call_command

    Group.objects.get(name=roles.OFFICERS).permissions.remove(
        Permission.objects.get(codename="view_history")
    )
    out = StringIO()
    call_command("sync_roles", stdout=out)
    assert out.getvalue() == "Scrutiny roles: Scrutiny officers: added scrutiny.view_history.\n"
    out = StringIO()
    call_command("sync_roles", stdout=out)
    assert "already has" in out.getvalue()
