"""Officers, the panel and a manager in the Wagtail admin, in a real browser.

An officer signs in and moves four calls to the panel with the buttons on each call's page;
a panel member opens the first from the dashboard's "Awaiting your review", reads the call and
chooses among the four decisions on its page, then takes the other three through Wagtail's
moderation action (the action's form in Wagtail's modal, which names the call); a manager reads
the field-by-field history, which the panel member sees without the resident's details.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from scrutiny import roles
from scrutiny.models import CallForScrutiny, CallStatus, PanelDecision, PanelMeeting
from tests.browser.conftest import SCREENSHOTS, screenshot
from tests.conftest import PASSWORD, make_business_area, make_head_of_operations, make_user
from tests.scrutiny.appeal_builders import make_meeting
from tests.scrutiny.builders import decide, make_awaiting_call, make_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALLS_URL = "/admin/snippets/scrutiny/callforscrutiny/"

RESIDENTS = ["Ada Lovell", "Ben Carter", "Cleo Dunn", "Dev Patel"]


@pytest.fixture
def people(db):
    return {
        "officer": make_user("olive", group=roles.OFFICERS, first_name="Olive", last_name="Osei"),
        "panel": make_user("pat", group=roles.PANEL, first_name="Pat", last_name="Nguyen"),
        "manager": make_user("morgan", group=roles.MANAGERS, first_name="Morgan", last_name="Reid"),
    }


@pytest.fixture
def calls(people):
    head = make_head_of_operations("hoo", "Hana", "Obi")  # hoo@example.org
    area = make_business_area("Repairs and maintenance", head_of_operations=head)
    meeting = make_meeting(days_ahead=3)
    made = [
        make_call(
            name=name,
            email=f"{name.split()[0].lower()}@example.org",
            business_area=area,
            households_affected=None,
        )
        for name in RESIDENTS
    ]
    return {"calls": made, "meeting": meeting}


def sign_in(browser, live_server, username: str):
    """A new browser session signed in through Wagtail's own login form."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/admin/")
    assert "/admin/login/" in page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")
    return page


def press(page, name: str) -> None:
    """Press one of the action buttons on a call's page and wait for the page to come back."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


LABELS = {
    "meeting": "Meeting at which the panel decided",
    "reasons": "Reasons the resident will read",
    "reason": "Category for reporting",
    "avenues": "What the resident can do first",
    "immediate_recommendations": "Immediate recommendations",
    "watching": "What the panel will watch",
}


def open_action(page, live_server, call, action: str):
    """From the dashboard: open the call's actions and choose one; Wagtail's modal opens."""
    page.goto(live_server.url + "/admin/")
    row = page.locator("#awaiting-review-content tr", has_text=call.reference)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name=action, exact=True).click()
    form = page.locator(".modal form")
    form.wait_for()
    heading = page.locator(".modal").get_by_role("heading", level=1)
    assert action in heading.inner_text()
    assert f"{call.reference}: Repairs and maintenance" in heading.inner_text(), "names the call"
    return form


def answer(form, answers: dict) -> None:
    """Fill the modal's fields, named as in the form, after checking each one's label."""
    for name, value in answers.items():
        field = form.locator(f"#id_{name}")
        assert form.locator(f"label[for=id_{name}]").inner_text().strip() == LABELS[name] + "*"
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)


def send(page, form, action: str) -> None:
    with page.expect_navigation():
        form.get_by_role("button", name=action, exact=True).click()


def plain(text: str) -> str:
    """Text as read aloud: runs of spaces and line breaks as one space."""
    return " ".join(text.split())


def test_officer_moves_calls_panel_decides_each_way_manager_reads_history(
    browser, live_server, people, calls
):
    meeting = calls["meeting"]
    first, second, third, fourth = calls["calls"]

    # The officer opens the listing, then each call, and moves it along.
    officer = sign_in(browser, live_server, "olive")
    officer.get_by_role("button", name="Work").click()
    officer.get_by_role("link", name="Calls for scrutiny", exact=True).click()
    officer.wait_for_url(live_server.url + CALLS_URL)
    for call in calls["calls"]:
        assert officer.get_by_role("link", name=call.reference).is_visible()
    screenshot(officer, "admin-call-listing")

    officer.get_by_role("link", name=first.reference).click()
    officer.wait_for_url(f"**/inspect/{first.pk}/")
    for number, call in enumerate(calls["calls"]):
        if number:
            officer.goto(live_server.url + CALLS_URL + f"inspect/{call.pk}/")
        press(officer, "Start triage")
        assert officer.get_by_text(f"{call.reference} is now triage.").is_visible()
        if number == 0:
            # A correction is a change of a field; the history shows it old and new.
            officer.get_by_label("Households affected").fill("40")
            press(officer, "Save correction")
            press(officer, "Gather evidence")
            assert officer.get_by_text(f"{call.reference} is now gathering evidence.").is_visible()
        press(officer, "Send to the panel")
        assert officer.get_by_text(f"{call.reference} is now awaiting panel.").is_visible()
        assert officer.get_by_text(f"On the agenda of {meeting}").is_visible()
        call.refresh_from_db()
        assert call.status == CallStatus.AWAITING_PANEL
        assert call.current_workflow_task_state is not None
    screenshot(officer, "admin-call-awaiting-panel")
    officer.context.close()

    # Three days on, the panel has met; a later meeting is arranged. Decisions are recorded
    # after the meeting at which they were taken, so only that meeting is offered.
    PanelMeeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    CallForScrutiny.objects.filter(pk__in=[call.pk for call in calls["calls"]]).update(
        awaiting_panel_since=timezone.now() - timedelta(hours=3)
    )
    meeting.refresh_from_db()
    later = make_meeting(days_ahead=30)

    # The panel member decides each call through Wagtail's moderation action.
    panel = sign_in(browser, live_server, "pat")
    dashboard = panel.locator("#awaiting-review-content")
    for call in calls["calls"]:
        assert dashboard.get_by_text(call.reference).is_visible()
    screenshot(panel, "admin-panel-dashboard")
    mail.outbox.clear()

    common = {}
    # From the dashboard to the call's page: the call's own words come before the decisions,
    # which are four equal choices and one button to go on.
    row = dashboard.locator("tr", has_text=first.reference)
    with panel.expect_navigation():
        row.get_by_role("link", name=first.reference).first.click()
    assert panel.url.endswith(f"/inspect/{first.pk}/")
    concerns = panel.locator("#call-details-content").get_by_text(first.concerns)
    choices = panel.get_by_role("group", name="The panel's decision")
    assert concerns.is_visible()
    assert concerns.bounding_box()["y"] < choices.bounding_box()["y"], "the call comes first"
    radios = choices.get_by_role("radio")
    assert radios.count() == 4
    assert [radios.nth(n).is_checked() for n in range(4)] == [False] * 4
    # The decision screen as a whole: the call, then the choices (Wagtail's admin scrolls
    # inside its own frame, so the window is made tall enough to hold both).
    panel.set_viewport_size({"width": 1280, "height": 2400})
    screenshot(panel, "admin-decision-screen")
    panel.set_viewport_size({"width": 1280, "height": 900})
    choices.get_by_label("Not accepted yet").check()
    with panel.expect_navigation():
        panel.get_by_role("button", name="Continue", exact=True).click()
    assert panel.url.endswith(f"/decide/{first.pk}/not_accepted/")
    # A missing answer shows the field's message; nothing is recorded.
    panel.get_by_label(LABELS["reasons"]).fill("The complaints procedure can put it right.")
    with panel.expect_navigation():
        panel.get_by_role("button", name="Record the decision: not accepted yet").click()
    assert panel.get_by_text("Choose a category.").is_visible()
    assert panel.get_by_text("Say which avenues remain open to the resident.").is_visible()
    assert not PanelDecision.objects.exists()
    offered = panel.locator("#id_meeting option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert offered == ["", str(meeting.pk)], "only the meeting that took place is offered"
    assert str(later.pk) not in offered
    assert panel.locator("#id_meeting").input_value() == str(meeting.pk)
    assert panel.get_by_text("word for word").first.is_visible()
    screenshot(panel, "admin-decision-form-errors")
    panel.get_by_label(LABELS["reason"]).select_option(
        label="The complaints procedure has not been completed"
    )
    panel.get_by_label(LABELS["avenues"]).fill("Ask for stage 2 of the complaints procedure.")
    with panel.expect_navigation():
        panel.get_by_role("button", name="Record the decision: not accepted yet").click()
    assert panel.url.endswith(f"/inspect/{first.pk}/")
    assert panel.get_by_text(
        f"Decision recorded on {first.reference} (Repairs and maintenance): not accepted yet, "
        f"at {meeting}."
    ).is_visible()
    first.refresh_from_db()
    assert first.status == CallStatus.NOT_ACCEPTED

    decisions = [
        (
            second,
            "Refer for monitoring",
            common
            | {
                "reasons": "One missed repair; we will watch the figures.",
                "watching": "Repairs done on time each month.",
            },
            CallStatus.MONITORING,
        ),
        (
            third,
            "Accept",
            common | {"reasons": "A pattern of failure across the estate."},
            CallStatus.ACCEPTED,
        ),
        (
            fourth,
            "Serious failure",
            common
            | {
                "reasons": "Residents without heating for weeks.",
                "immediate_recommendations": "Restore heating to Larch Court within 48 hours.",
            },
            CallStatus.SERIOUS_FAILURE,
        ),
    ]
    for call, action, answers, status in decisions:
        form = open_action(panel, live_server, call, action)
        answer(form, answers)
        if call == second:
            screenshot(panel, "admin-decision-modal")
        send(panel, form, action)
        assert panel.url.endswith(f"/inspect/{call.pk}/")
        assert panel.get_by_text(f"Decision recorded on {call.reference} (").is_visible()
        call.refresh_from_db()
        assert call.status == status, action
        assert call.current_workflow_task_state is None
    screenshot(panel, "admin-call-decided")

    to_residents = {
        message.to[0]: message
        for message in mail.outbox
        if message.subject.startswith("The panel's decision on your call")
    }
    assert set(to_residents) == {call.email for call in calls["calls"]}
    not_accepted = to_residents[first.email].body
    assert "The panel has not accepted your call yet" in not_accepted
    assert "Ask for stage 2 of the complaints procedure." in not_accepted
    assert "Your appeal must reach us by" in not_accepted
    assert "The panel will monitor how this service is delivered" in to_residents[second.email].body
    assert "One missed repair; we will watch the figures." in to_residents[second.email].body
    assert "The panel has accepted your call." in to_residents[third.email].body
    assert "found a serious failure of service" in to_residents[fourth.email].body
    assert "Restore heating to Larch Court within 48 hours." in to_residents[fourth.email].body
    assert any(
        "hoo@example.org" in message.to and "Restore heating" in message.body
        for message in mail.outbox
    )
    panel_view_of_first = live_server.url + CALLS_URL + f"inspect/{first.pk}/"
    panel.goto(panel_view_of_first)
    history = panel.locator("#call-history-content")
    assert "Households affected: was — → now 40" in plain(history.inner_text())
    assert "Pat Nguyen" in history.inner_text()
    page_text = panel.locator("main").inner_text()
    for private in [first.name, first.email, "PC1"]:
        assert private not in page_text, f"the panel member sees {private!r}"
    assert panel.get_by_text(
        "The resident's name and contact details are shown to officers and managers only."
    ).is_visible()
    screenshot(panel, "admin-call-panel-view")
    panel.context.close()

    # The manager reads who changed what, field by field, with the resident's details.
    manager = sign_in(browser, live_server, "morgan")
    manager.goto(panel_view_of_first)
    history = manager.locator("#call-history-content")
    # One timeline: each entry says when, what and who, then the fields it changed.
    entries = history.locator("li.scrutiny-timeline__entry")
    by_who = {}
    for index in range(entries.count()):
        entry = entries.nth(index)
        who = plain(entry.locator(".scrutiny-timeline__head").inner_text()).split(" · ")[-1]
        by_who.setdefault(who, []).append(plain(entry.inner_text()))
    officer_changes = "\n".join(by_who["Olive Osei"])
    assert "Status: was Submitted → now Triage" in officer_changes
    assert "Households affected: was — → now 40" in officer_changes
    assert "Status: was Triage → now Gathering evidence" in officer_changes
    assert "Status: was Gathering evidence → now Awaiting panel" in officer_changes
    assert "Status: was Awaiting panel → now Not accepted yet" in "\n".join(by_who["Pat Nguyen"])
    assert "Submitted by the resident" in "\n".join(by_who["The resident, on the public form"])
    assert manager.locator("#call-resident-content").get_by_text(first.email).is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    history.screenshot(path=str(SCREENSHOTS / "admin-call-history.png"))
    manager.context.close()


def test_a_decision_taken_meanwhile_is_a_message_not_an_error(browser, live_server, people):
    """Two panel members decide the same call: the second is told who decided, and when."""
    ruth = make_user("ruth", group=roles.PANEL, first_name="Ruth", last_name="Adeyemi")
    staff = {"officer": people["officer"], "panel": people["panel"]}
    call = make_awaiting_call(staff, name="Ada Lovell", email="ada@example.org")
    later_call = make_awaiting_call(staff, name="Ben Carter", email="ben@example.org")
    held = PanelMeeting.objects.create(
        kind="formal", status="held", starts_at=timezone.now() - timedelta(hours=1)
    )
    CallForScrutiny.objects.filter(pk__in=[call.pk, later_call.pk]).update(
        awaiting_panel_since=timezone.now() - timedelta(hours=3)
    )

    # From the dashboard: Pat opens the dialog; meanwhile Ruth records the decision.
    panel = sign_in(browser, live_server, "pat")
    form = open_action(panel, live_server, call, "Accept")
    answer(form, {"reasons": "A pattern of failure."})
    decide(call, outcome="accepted", user=ruth, meeting=held)
    send(panel, form, "Accept")
    assert panel.url.endswith(f"/inspect/{call.pk}/")
    assert panel.get_by_text(
        f"{call.reference} was already decided by Ruth Adeyemi at"
    ).is_visible()
    assert PanelDecision.objects.filter(call=call).count() == 1
    screenshot(panel, "admin-decision-taken-meanwhile")

    # On the call's own page: the same form sent twice (two tabs) records one decision.
    url = live_server.url + CALLS_URL + f"decide/{later_call.pk}/not_accepted/"
    second_tab = panel.context.new_page()
    for tab in (panel, second_tab):
        tab.goto(url)
        tab.locator("#id_reason").select_option(
            label="The complaints procedure has not been completed"
        )
        tab.locator("#id_meeting").select_option(str(held.pk))
        tab.locator("#id_avenues").fill("Ask for stage 2.")
        tab.locator("#id_reasons").fill("The complaint is still open.")
    for tab in (panel, second_tab):
        with tab.expect_navigation():
            tab.get_by_role("button", name="Record the decision: not accepted yet").click()
    assert panel.get_by_text(f"Decision recorded on {later_call.reference}").is_visible()
    assert second_tab.get_by_text(
        f"{later_call.reference} was already decided by Pat Nguyen at"
    ).is_visible()
    assert PanelDecision.objects.filter(call=later_call).count() == 1
    screenshot(second_tab, "admin-decision-sent-twice")
    panel.context.close()
