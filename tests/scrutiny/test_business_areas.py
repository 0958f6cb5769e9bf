"""Business areas: officers add them in the admin, choose the head of operations from the staff
who can sign in, and each change is recorded."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from scrutiny.models import BusinessArea
from tests.conftest import PASSWORD, make_business_area, make_head_of_operations, make_user

pytestmark = pytest.mark.django_db

REFUSED = (
    "Choose someone from the list: only active staff who can sign in to the admin can be named "
    "on the record."
)


def area_post(head, **fields) -> dict:
    return {
        "name": "Estate services",
        "slug": "",
        "description": "Cleaning and grounds.",
        "head_of_operations": head.pk if hasattr(head, "pk") else head,
        "head_of_operations_title": "Head of Neighbourhoods",
        "active": "on",
    } | fields


def test_an_officer_adds_a_business_area_and_it_is_logged(client, staff):
    grace = make_head_of_operations("grace.lee", "Grace", "Lee")
    client.login(username="officer", password=PASSWORD)
    response = client.post(reverse("wagtailsnippets_scrutiny_businessarea:add"), area_post(grace))
    assert response.status_code == 302
    area = BusinessArea.objects.get()
    assert area.slug == "estate-services"
    assert area.head_of_operations == grace
    assert (area.head_of_operations_name, area.head_of_operations_email) == (
        "Grace Lee",
        "grace.lee@example.org",
    )
    assert {row.history_user for row in area.history.all()} == {staff["officer"]}
    entry = ModelLogEntry.objects.get(object_id=str(area.pk))
    assert entry.action == "wagtail.create"
    assert entry.user == staff["officer"]


def test_the_head_of_operations_is_chosen_from_staff_who_can_sign_in(client, staff):
    make_head_of_operations("grace.lee", "Grace", "Lee")
    make_user("resident", first_name="Rita", last_name="Resident")  # no admin access
    client.login(username="officer", password=PASSWORD)
    page = client.get(reverse("wagtailsnippets_scrutiny_businessarea:add")).content.decode()
    assert "Grace Lee (grace.lee@example.org)" in page
    assert "Rita Resident" not in page


@pytest.mark.parametrize("who", ["no admin access", "inactive", "unknown"])
def test_a_head_who_may_not_be_named_is_refused_and_nothing_is_saved(client, staff, who):
    head = {
        "no admin access": lambda: make_user("rita"),
        "inactive": lambda: make_user("gone", group="Managers", is_active=False),
        "unknown": lambda: 99999,
    }[who]()
    client.login(username="officer", password=PASSWORD)
    response = client.post(reverse("wagtailsnippets_scrutiny_businessarea:add"), area_post(head))
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not BusinessArea.objects.exists()


def test_a_head_who_has_since_lost_admin_access_stays_until_someone_else_is_chosen(client, staff):
    area = make_business_area()
    dana = area.head_of_operations
    dana.user_permissions.clear()  # no longer able to sign in to the admin
    client.login(username="officer", password=PASSWORD)
    url = reverse("wagtailsnippets_scrutiny_businessarea:edit", args=[area.pk])
    page = client.get(url).content.decode()
    assert "Dana Price (dana.price@example.org): cannot sign in to the admin" in page

    response = client.post(url, area_post(dana, name=area.name, slug=area.slug))
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.head_of_operations == dana
    # Chosen anew (here on another area), she is refused.
    response = client.post(reverse("wagtailsnippets_scrutiny_businessarea:add"), area_post(dana))
    assert REFUSED in response.content.decode()


def test_the_inspect_view_names_the_head_of_operations(client, staff):
    area = make_business_area()
    client.login(username="manager", password=PASSWORD)
    page = client.get(reverse("wagtailsnippets_scrutiny_businessarea:inspect", args=[area.pk]))
    assert "Dana Price" in page.content.decode()
