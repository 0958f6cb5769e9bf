"""Wagtail's own reports, listings, exports and choosers, attacked by each group.

Wagtail shows a model's log entries to anyone holding any permission on the model, and its page
screens to anyone holding a page permission anywhere; these tests try to read through them what
the permission matrix in docs/permissions.md does not give.
"""

from datetime import date
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry, PageLogEntry

from scrutiny import pipeline
from scrutiny.models import OutcomesReportPage, RecordLogEntry
from scrutiny.roles import PANEL
from tests.conftest import make_user
from tests.scrutiny.membership_builders import make_member, receipt
from tests.scrutiny.test_permission_matrix import World

pytestmark = pytest.mark.django_db

SITE_HISTORY = reverse("wagtailadmin_reports:site_history")


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(response) -> str:
    """The page, or the export, as text: an XLSX workbook's cells joined up."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        sheet = openpyxl.load_workbook(BytesIO(body)).active
        return "\n".join(
            " | ".join(str(cell) for cell in row if cell is not None)
            for row in sheet.iter_rows(values_only=True)
        )
    return body.decode()


@pytest.fixture
def claims(staff):
    """A claim by the Panel members user, and one by Jordan Blake, another member."""
    make_member(user=staff["panel"])
    jordan = make_user("jordan", group=PANEL, first_name="Jordan", last_name="Blake")
    make_member(user=jordan)
    mine = pipeline.expense_submit(
        user=staff["panel"],
        spent_on=date(2026, 5, 1),
        description="Bus fare to the formal meeting",
        amount=Decimal("4.50"),
        receipt=receipt(),
    )
    theirs = pipeline.expense_submit(
        user=jordan,
        spent_on=date(2026, 5, 2),
        description="Childcare during the away day",
        amount=Decimal("30.00"),
        receipt=receipt(),
    )
    return mine, theirs


@pytest.mark.parametrize("export", ["", "csv", "xlsx"])
def test_a_panel_member_reading_site_history_sees_no_one_elses_expense_claim(staff, claims, export):
    url = SITE_HISTORY + (f"?export={export}" if export else "")
    response = as_user(staff["panel"]).get(url)
    assert response.status_code == 200
    shown = text_of(response)
    assert "Bus fare to the formal meeting" in shown  # their own claim stays
    for leak in ("Childcare during the away day", "£30.00", "Jordan Blake", "jordan"):
        assert leak not in shown, f"site history {export or 'page'} shows {leak!r}"


def test_the_site_history_filters_do_not_name_another_claimant(staff, claims):
    response = as_user(staff["panel"]).get(SITE_HISTORY + "?action=scrutiny.expense.submit")
    shown = text_of(response)
    assert "Bus fare to the formal meeting" in shown
    assert "Jordan Blake" not in shown and "Childcare" not in shown


@pytest.mark.parametrize("export", ["", "csv"])
def test_officers_see_every_claim_in_site_history(staff, claims, export):
    url = SITE_HISTORY + (f"?export={export}" if export else "")
    shown = text_of(as_user(staff["officer"]).get(url))
    assert "Bus fare to the formal meeting" in shown
    assert "Childcare during the away day" in shown


@pytest.mark.parametrize("role", ["comms", "appeal", "manager"])
def test_groups_without_claims_see_none_in_site_history(staff, claims, role):
    shown = text_of(as_user(staff[role]).get(SITE_HISTORY + "?export=csv"))
    assert "Bus fare" not in shown and "Childcare" not in shown


@pytest.mark.parametrize("export", ["", "csv"])
def test_an_appeal_panel_member_sees_only_the_appeals_they_sit_on(staff, export):
    mine, other = World(staff).appeals
    url = SITE_HISTORY + (f"?export={export}" if export else "")
    shown = text_of(as_user(staff["appeal"]).get(url))
    assert mine.reference in shown
    assert other.reference not in shown


def test_the_site_history_reads_the_log_through_record_log_entries(staff, claims):
    assert registry.get_log_entry_models() == {PageLogEntry, RecordLogEntry}
    # The same table as Wagtail's: entries written before and after read alike.
    assert ModelLogEntry.objects.filter(action="scrutiny.expense.submit").count() == 2
    assert (
        RecordLogEntry.objects.viewable_by_user(staff["panel"])
        .filter(action="scrutiny.expense.submit")
        .count()
        == 1
    )


# Pages: the editor, the explorer, search and choosers.


@pytest.mark.parametrize("role", ["officer", "panel", "appeal", "manager"])
def test_opening_the_outcomes_report_in_the_editor_is_refused(staff, role):
    page = World(staff).outcomes_draft
    client = as_user(staff[role])
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert client.get(edit).status_code == 302
    client.post(edit, {"title": "Taken over", "slug": page.slug, "action-publish": "1"})
    page = OutcomesReportPage.objects.get(pk=page.pk)
    assert page.title != "Taken over" and not page.live
    assert page.get_latest_revision().content["title"] != "Taken over"


def test_communications_open_the_outcomes_report_in_the_editor(staff):
    page = World(staff).outcomes_draft
    response = as_user(staff["comms"]).get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["officer", "panel", "appeal", "manager"])
def test_the_explorer_and_page_search_are_closed_to_all_but_communications(staff, role):
    world = World(staff)
    world.review  # noqa: B018 - a review they may edit is no key to the tree
    world.outcomes_draft  # noqa: B018
    client = as_user(staff[role])
    for url in (
        reverse("wagtailadmin_explore", args=[world.programme_page.pk]),
        reverse("wagtailadmin_explore", args=[world.year_page.pk]),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_pages:search") + "?q=outcomes",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("wagtailadmin_home"), url


def test_communications_explore_and_search_every_page(staff):
    world = World(staff)
    draft = world.outcomes_draft
    client = as_user(staff["comms"])
    listing = client.get(reverse("wagtailadmin_explore", args=[world.programme_page.pk]))
    assert draft.title in listing.content.decode()
    found = client.get(reverse("wagtailadmin_pages:search") + "?q=outcomes")
    assert draft.title in found.content.decode()


def chooser_text(client, *urls) -> str:
    return "".join(client.get(url).content.decode() for url in urls)


@pytest.mark.parametrize("role", ["officer", "panel", "appeal", "manager"])
def test_page_choosers_offer_drafts_only_to_those_who_may_explore_them(staff, role):
    world = World(staff)
    review, draft = world.review, world.outcomes_draft
    assert not review.live and not draft.live
    shown = chooser_text(
        as_user(staff[role]),
        reverse("wagtailadmin_choose_page_child", args=[world.programme_page.pk]),
        reverse("wagtailadmin_choose_page_child", args=[world.year_page.pk]),
        reverse("wagtailadmin_choose_page_search") + "?q=outcomes",
        reverse("wagtailadmin_choose_page_search") + "?q=repairs",
    )
    assert world.year_page.title in shown  # live pages are public anyway
    assert draft.title not in shown
    assert review.title not in shown


def test_communications_choose_drafts_too(staff):
    world = World(staff)
    draft = world.outcomes_draft
    shown = chooser_text(
        as_user(staff["comms"]),
        reverse("wagtailadmin_choose_page_child", args=[world.programme_page.pk]),
    )
    assert draft.title in shown


def test_a_panel_member_sends_a_report_on_and_lands_on_the_review(staff):
    from tests.scrutiny.review_builders import edit_post

    review = World(staff).review
    response = as_user(staff["panel"]).post(
        reverse("wagtailadmin_pages:edit", args=[review.pk]),
        edit_post(review, **{"action-submit": "action-submit"}),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("scrutiny_reviews:run", args=[review.pk])
    review.refresh_from_db()
    assert review.workflow_in_progress


@pytest.mark.parametrize("role", ["officer", "panel", "appeal", "manager"])
def test_the_page_choosers_own_addresses_name_no_hidden_page(staff, role):
    """The attack: asking the chooser by id for a draft review or outcomes report."""
    world = World(staff)
    review, draft = world.review, world.outcomes_draft
    client = as_user(staff[role])

    for hidden in (review, draft):
        browsed = client.get(reverse("wagtailadmin_choose_page_child", args=[hidden.pk]))
        assert browsed.status_code == 404
        assert hidden.title not in browsed.content.decode()
    chosen = client.get(
        reverse("wagtailadmin_choose_page_chosen_multiple"),
        {"id": [review.pk, draft.pk, world.year_page.pk]},
    )
    assert chosen.status_code == 200
    answer = chosen.json()["result"]
    assert [page["id"] for page in answer] == [world.year_page.pk]
    assert review.title not in chosen.content.decode()
    assert draft.title not in chosen.content.decode()


def test_communications_are_still_told_the_drafts_they_choose(staff):
    world = World(staff)
    draft = world.outcomes_draft
    client = as_user(staff["comms"])
    chosen = client.get(reverse("wagtailadmin_choose_page_chosen_multiple"), {"id": [draft.pk]})
    assert [page["adminTitle"] for page in chosen.json()["result"]] == [draft.title]
    browsed = client.get(reverse("wagtailadmin_choose_page_child", args=[draft.pk]))
    assert browsed.status_code == 200
