"""A manager finds a call's history by its reference and reads one timeline, in a real browser."""

import pytest
from django.urls import reverse

from scrutiny import pipeline, roles
from tests.browser.conftest import screenshot
from tests.browser.test_admin_journey import sign_in
from tests.conftest import make_user
from tests.scrutiny.builders import decide, make_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_finds_a_calls_history_by_its_reference(browser, live_server):
    officer = make_user("olu", group=roles.OFFICERS, first_name="Olu", last_name="Ade")
    panel = make_user("priya", group=roles.PANEL, first_name="Priya", last_name="Shah")
    make_user("mo", group=roles.MANAGERS, first_name="Mo", last_name="Reed")
    make_call()  # another call, not found
    call = make_call()
    pipeline.call_move(call=call, transition="start_triage", user=officer)
    pipeline.call_assign(call=call, officer=officer, user=officer)
    call = pipeline.call_move(call=call, transition="send_to_panel", user=officer)
    decide(call, outcome="accepted", user=panel)

    page = sign_in(browser, live_server, "mo")
    page.goto(live_server.url + reverse("scrutiny_history:index"))
    page.get_by_label("Record number or reference").fill(call.reference)
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    assert page.get_by_text(f"The history of {call.reference}").is_visible()
    table = page.locator("table.scrutiny-history")
    text = table.inner_text()
    for words in (
        "Panel decision recorded",
        "Priya Shah",
        "Assigned to Olu Ade",
        "Submitted by the resident",
    ):
        assert words in text
    assert text.count("Moved to a new stage") == 2
    assert "Published" not in text
    assert "olu\n" not in text
    screenshot(page, "history-timeline-by-reference")
    page.context.close()
