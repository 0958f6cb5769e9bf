"""The public register of calls (issue 19): "reference, service, date received, decision and the
panel's public reasons, filterable by year, service and outcome, without residents' details;
the pro-forma asks whether the call may be listed, and the register respects the answer"."""

import pytest
from django.utils import timezone

from scrutiny.financial_years import financial_year_label, financial_year_of
from scrutiny.models import CallForScrutiny
from tests.conftest import make_business_area
from tests.scrutiny.appeal_builders import NOT_ACCEPTED
from tests.scrutiny.builders import decide, make_awaiting_call, make_call
from tests.scrutiny.test_call_form import FORM_URL, make_call_page, valid_answers

pytestmark = pytest.mark.django_db

REGISTER_URL = FORM_URL + "register/"
RESIDENT = {
    "name": "Marguerite Okonkwo-Ellis",
    "email": "marguerite.oe@example.org",
    "phone": "07700 900461",
    "address": "14 Larchwood Close",
    "postcode": "LW4 7QZ",
}


@pytest.fixture
def call_page(db):
    return make_call_page()


def decided(staff, outcome: str, *, listed: bool = True, reasons: str = "", **fields):
    call = make_awaiting_call(staff, may_be_listed=listed, **RESIDENT | fields)
    details = NOT_ACCEPTED | {"outcome": outcome} if outcome == "not_accepted" else {}
    details.setdefault("outcome", outcome)
    decide(call, user=staff["panel"], reasons=reasons or f"Reasons: {outcome}.", **details)
    call.refresh_from_db()
    return call


def page(client, query: str = "") -> str:
    response = client.get(REGISTER_URL + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_form_asks_whether_the_call_may_be_listed_and_keeps_the_answer(
    client, call_page, staff
):
    area = make_business_area()
    html = client.get(FORM_URL).content.decode()
    assert "May we list your call in the public register of calls?" in html
    assert client.post(FORM_URL, valid_answers(area, may_be_listed="yes")).status_code == 302
    assert client.post(FORM_URL, valid_answers(area, name="Sam")).status_code == 302
    listed = dict(CallForScrutiny.objects.values_list("name", "may_be_listed"))
    assert listed == {"Jo Bloggs": True, "Sam": False}


def test_the_register_lists_only_decided_calls_whose_residents_said_yes(client, call_page, staff):
    shown = decided(staff, "accepted", reasons="Repairs keep failing across the estate.")
    hidden = decided(staff, "not_accepted", listed=False, reasons="Not listed reasons.")
    waiting = make_awaiting_call(staff, may_be_listed=True)
    html = page(client)
    assert shown.reference in html
    assert "Repairs keep failing across the estate." in html
    assert "Accepted for review" in html
    assert shown.business_area.name in html
    assert f"{timezone.localdate(shown.submitted_at):%-d %B %Y}" in html
    assert hidden.reference not in html and "Not listed reasons." not in html
    assert waiting.reference not in html
    assert "1 call" in html


def test_the_register_never_shows_a_residents_details(client, call_page, staff):
    call = decided(staff, "not_accepted")
    html = page(client)
    assert call.reference in html
    for detail in [*RESIDENT.values(), call.access_code, call.concerns]:
        assert detail not in html


def test_a_call_not_accepted_is_listed_with_why(client, call_page, staff):
    call = decided(staff, "not_accepted", reasons="The complaint can still be put right.")
    html = page(client, "?outcome=not_accepted")
    assert call.reference in html
    assert "Not accepted yet" in html
    assert "The complaint can still be put right." in html


def test_the_register_filters_by_year_service_and_decision(client, call_page, staff):
    lifts = make_business_area("Lifts")
    repairs = decided(staff, "accepted")
    lift = decided(staff, "monitoring", business_area=lifts)
    old = decided(staff, "not_accepted")
    last_year = financial_year_of(timezone.localdate()) - 1
    CallForScrutiny.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now().replace(year=last_year, month=6, day=1)
    )
    by_service = page(client, f"?service={lifts.pk}")
    assert lift.reference in by_service and repairs.reference not in by_service
    by_outcome = page(client, "?outcome=accepted")
    assert repairs.reference in by_outcome and lift.reference not in by_outcome
    by_year = page(client, f"?year={last_year}")
    assert old.reference in by_year and repairs.reference not in by_year
    assert financial_year_label(last_year) in by_year
    assert "Clear the filters" in by_year


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?year=1999", "Choose a year from the list"),
        ("?service=99999", "Choose a service from the list"),
        ("?outcome=sideways", "Choose a decision from the list"),
        ("?year=abc&page=zz", "Choose a year from the list"),
    ],
)
def test_a_bad_filter_gets_a_message_and_the_whole_register(
    client, call_page, staff, query, message
):
    call = decided(staff, "accepted")
    html = page(client, query)
    assert "There is a problem" in html and message in html
    assert call.reference in html


def test_a_listed_call_that_has_not_reached_the_panel_is_not_shown(client, call_page, staff):
    call = make_call(may_be_listed=True)
    assert call.may_be_listed
    assert "No calls are listed yet" in page(client)


def test_the_register_is_in_the_navigation(client, call_page):
    assert 'href="/call-for-scrutiny/register/"' in page(client, "")
