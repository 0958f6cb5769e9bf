"""Business areas: officers add them in the admin, and each change is recorded."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from scrutiny.models import BusinessArea
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_officer_adds_a_business_area_and_it_is_logged(client, staff):
    client.login(username="officer", password=PASSWORD)
    response = client.post(
        reverse("wagtailsnippets_scrutiny_businessarea:add"),
        {
            "name": "Estate services",
            "slug": "",
            "description": "Cleaning and grounds.",
            "head_of_operations_name": "Grace Lee",
            "head_of_operations_title": "Head of Neighbourhoods",
            "head_of_operations_email": "grace.lee@example.org",
            "active": "on",
        },
    )
    assert response.status_code == 302
    area = BusinessArea.objects.get()
    assert area.slug == "estate-services"
    assert {row.history_user for row in area.history.all()} == {staff["officer"]}
    entry = ModelLogEntry.objects.get(object_id=str(area.pk))
    assert entry.action == "wagtail.create"
    assert entry.user == staff["officer"]


def test_a_business_area_without_a_head_of_operations_is_refused(client, staff):
    client.login(username="officer", password=PASSWORD)
    response = client.post(
        reverse("wagtailsnippets_scrutiny_businessarea:add"),
        {"name": "Lettings", "head_of_operations_name": "", "head_of_operations_email": "x"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not BusinessArea.objects.exists()
