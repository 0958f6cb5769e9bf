"""Busy screens cost the same number of queries with 10 records as with many.

The counts are recorded in benchmarks/RESULTS.md; a screen that starts querying once per
record fails here.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.rich_text import RichText

from scrutiny import pipeline
from scrutiny.models import (
    CallForScrutiny,
    CallStatus,
    PetitionIndexPage,
    PetitionSignature,
    SignatureMethod,
)
from tests.conftest import PASSWORD, make_business_area, make_home_page
from tests.scrutiny.builders import make_call
from tests.scrutiny.review_builders import make_programme, make_review, make_year

pytestmark = pytest.mark.django_db

FEW, MANY = 10, 10_000


def add_calls(template: CallForScrutiny, count: int, officer, *, start: int = 0) -> None:
    """Copies of a call, made in bulk, spread across statuses and officers."""
    statuses = [CallStatus.SUBMITTED, CallStatus.TRIAGE, CallStatus.AWAITING_PANEL]
    CallForScrutiny.objects.bulk_create(
        CallForScrutiny(
            reference=f"CCS-2000-{start + n:05d}",
            status=statuses[n % 3],
            name=template.name,
            email=template.email,
            tenure=template.tenure,
            business_area=template.business_area,
            concerns=template.concerns,
            actions_taken=template.actions_taken,
            service_failures=template.service_failures,
            assigned_officer=officer if n % 2 else None,
            awaiting_panel_since=timezone.now() if n % 3 == 2 else None,
        )
        for n in range(count)
    )


def sign_petition(petition, start: int, count: int) -> None:
    """Confirmed online signatures, made in bulk."""
    PetitionSignature.objects.bulk_create(
        PetitionSignature(
            petition=petition,
            method=SignatureMethod.ONLINE,
            name=f"Signer {n}",
            email=f"signer{n}@example.org",
            postcode="L1 1AA",
            person_key=f"signer {n}|L11AA",
            token=f"token-{n}",
            confirmed_at=timezone.now(),
        )
        for n in range(start, start + count)
    )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_admin_call_listing(client, staff):
    first = make_call()
    add_calls(first, FEW, staff["officer"])
    client.login(username="officer", password=PASSWORD)
    url = reverse("wagtailsnippets_scrutiny_callforscrutiny:list")
    client.get(url)
    few = queries(client, url)
    add_calls(first, MANY, staff["officer"], start=FEW)
    assert queries(client, url) == few


def test_the_admin_call_listing_costs_the_same_with_one_call_as_with_twenty(client, staff):
    """Tags, dates, the officer's name, overdue and the row menu with its history link."""
    first = make_call()
    client.login(username="officer", password=PASSWORD)
    url = reverse("wagtailsnippets_scrutiny_callforscrutiny:list")
    client.get(url)
    one = queries(client, url)
    add_calls(first, 19, staff["officer"])
    assert CallForScrutiny.objects.count() == 20
    assert queries(client, url) == one


def test_the_dashboard_of_each_role(client, staff):
    """ "Your work" costs the same with 1 record of each kind as with 20."""
    first = make_call(support_requested=True)

    def counts() -> dict[str, int]:
        found = {}
        for role in ["officer", "panel", "manager", "admin"]:
            client.login(username=role, password=PASSWORD)
            url = reverse("wagtailadmin_home")
            client.get(url)
            found[role] = queries(client, url)
        return found

    one = counts()
    add_calls(first, 20, staff["officer"], start=FEW)
    assert counts() == one


def test_a_calls_record_with_a_long_history(client, staff):
    call = make_call(support_requested=True, support_contact="Phone me.")
    client.login(username="officer", password=PASSWORD)
    url = reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[call.pk])

    def churn(times: int) -> None:
        for n in range(times):
            pipeline.call_assign(
                call=call, officer=staff["officer"] if n % 2 else None, user=staff["officer"]
            )
            pipeline.call_add_note(call=call, text=f"Note {n}", user=staff["officer"])

    churn(FEW)
    client.get(url)
    few = queries(client, url)
    churn(60)
    assert queries(client, url) == few


def test_the_public_petition_pages(client, staff):
    home = make_home_page()
    home.add_child(
        instance=PetitionIndexPage(
            title="Petitions", slug="petitions", privacy_notice=RichText("<p>Privacy.</p>")
        )
    )
    call = make_call(households_affected=100)
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    petition = pipeline.petition_open(call=call, user=staff["officer"], title="T", summary="S")

    sign_petition(petition, 0, FEW)
    detail = f"/petitions/{petition.slug}/"
    client.get(detail)
    few_detail, few_list = queries(client, detail), queries(client, "/petitions/")
    sign_petition(petition, FEW, MANY)
    assert queries(client, detail) == few_detail
    assert queries(client, "/petitions/") == few_list


def test_the_public_programme_pages(client, staff):
    """The programme and a year's page with its reviews cost the same with many calls on file."""
    year_page = make_year(make_programme(make_home_page()), 2026)
    first = make_call()
    for n in range(3):
        review = make_review(
            year_page,
            title=f"Review {n}",
            slug=f"review-{n}",
            business_area=make_business_area(f"Service {n}"),
        )
        review.calls.add(first)
        review.save()
    add_calls(first, FEW, staff["officer"])
    urls = ["/scrutiny-programme/", "/scrutiny-programme/2026-27/"]
    for url in urls:
        client.get(url)
    few = [queries(client, url) for url in urls]
    add_calls(first, MANY, staff["officer"], start=FEW)
    assert [queries(client, url) for url in urls] == few
