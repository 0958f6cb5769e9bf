"""Every public form completed with the keyboard alone, with JavaScript on and with it off.

The resident starts at the top of the page and only presses keys: Tab and Shift+Tab to move,
typing into text boxes, arrow keys to choose a radio button or an option in a list, Space to
tick a box, Enter on the send button. No clicks, and nothing is filled in behind the browser's
back. On the way we check that focus follows the form's reading order, reaches every question
and then the send button, and that every element that takes focus shows it (an outline or a
box shadow). Each form runs once with JavaScript enabled and once in a browser context with
JavaScript disabled: the native controls and the server do all the work.
"""

import pytest

from scrutiny.models import Appeal, CallForScrutiny, PanelApplication, PetitionSignature
from tests.browser.conftest import screenshots_at_both_widths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 120

FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        tag: element.tagName,
        type: (element.getAttribute("type") || "").toLowerCase(),
        name: element.getAttribute("name") || "",
        value: element.value === undefined ? "" : String(element.value),
        id: element.id,
        text: (element.innerText || "").trim().slice(0, 60),
        checked: Boolean(element.checked),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
        shadow: style.boxShadow !== "none",
        inMain: Boolean(element.closest("main")),
    };
}"""

FIELD_ORDER = """(submit) => {
    const form = [...document.querySelectorAll("main form[method=post]")].find(
        (f) => [...f.querySelectorAll("button")].some((b) => b.innerText.trim() === submit)
    );
    const names = [];
    for (const element of form.elements) {
        if (element.name && !names.includes(element.name)) names.push(element.name);
    }
    return names;
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def choose_radio(page, name: str, value: str) -> None:
    """Arrow keys move within a radio group and choose as they go; Space chooses the first."""
    values = page.evaluate(
        "(name) => [...document.getElementsByName(name)].map((radio) => radio.value)", name
    )
    here = values.index(focused(page)["value"])
    there = values.index(value)
    if here == there:
        page.keyboard.press("Space")
    for _ in range(abs(there - here)):
        page.keyboard.press("ArrowDown" if there > here else "ArrowUp")
    now = focused(page)
    assert now["value"] == value and now["checked"], f"{name}: could not choose {value!r}"


def choose_option(page, label: str) -> None:
    """Arrow down a closed list until the wanted option is selected."""
    for _ in range(40):
        selected = page.evaluate("document.activeElement.selectedOptions[0].text.trim()")
        if selected == label:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"could not reach the option {label!r} with the arrow keys")


def complete_by_keyboard(page, answers: dict, submit: str, *, label: str) -> list[str]:
    """Tab from the top of the page through the form, answering as focus arrives; send it.

    `answers` maps a field's name to what to type (text), the value to choose (radio), the
    option's label (list), True (a single tick box) or a list of values (tick boxes).
    """
    pending = dict(answers)
    order: list[str] = []
    page.keyboard.press("Tab")
    for _ in range(MAX_TABS):
        element = focused(page)
        where = element["id"] or element["name"] or element["text"] or element["tag"]
        assert element["tag"] != "BODY", f"{label}: focus fell out of the page"
        assert element["outline"] or element["shadow"], f"{label}: no visible focus on {where}"
        if element["tag"] == "BUTTON" and element["text"] == submit:
            assert not pending, f"{label}: focus reached the button before {sorted(pending)}"
            if order:
                # Shift+Tab goes back to the last question, Tab returns to the button.
                page.keyboard.press("Shift+Tab")
                assert focused(page)["name"] == order[-1], f"{label}: Shift+Tab did not go back"
                page.keyboard.press("Tab")
                assert focused(page)["text"] == submit
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return order
        name = element["name"]
        if name and element["inMain"] and name not in order:
            order.append(name)
        if name in pending:
            wanted = pending[name]
            if element["type"] == "radio":
                choose_radio(page, name, wanted)
                pending.pop(name)
            elif element["type"] == "checkbox":
                if wanted is True or element["value"] in wanted:
                    page.keyboard.press("Space")
                    assert focused(page)["checked"], f"{label}: Space did not tick {where}"
                if wanted is True:
                    pending.pop(name)
                else:
                    if element["value"] in wanted:
                        wanted.remove(element["value"])
                    if not wanted:
                        pending.pop(name)
            elif element["tag"] == "SELECT":
                choose_option(page, wanted)
                pending.pop(name)
            else:
                page.keyboard.type(wanted)
                assert page.evaluate("document.activeElement.value") == wanted, where
                pending.pop(name)
        page.keyboard.press("Tab")
    pytest.fail(f"{label}: {MAX_TABS} presses of Tab never reached the {submit!r} button")


def in_reading_order(page, order: list[str], submit: str) -> None:
    """Focus met the questions in the order the form sets them out."""
    fields = [name for name in page.evaluate(FIELD_ORDER, submit) if name in order]
    assert order == fields


CALL_ANSWERS = {
    "name": "Jo Bloggs",
    "email": "jo.bloggs@example.org",
    "address": "1 Larch Row\nPinetown",
    "postcode": "PC1 1AA",
    "tenure": "tenant",
    "business_area": "Repairs and maintenance",
    "concerns": "Repairs take months to be done.",
    "actions_taken": "I phoned the repairs line three times.",
    "complaint_stage": "stage_2",
    "complaint_finished": "no",
    "service_failures": "Missed appointments and no reply to letters.",
    "others_affected": "yes",
    "others_affected_why": "Everyone in the block has the same boiler.",
    "households_affected": "24",
    "support_requested": "no",
    "privacy_agreed": True,
}


def the_call_form(page, live_server, whole_site):
    url = live_server.url + "/call-for-scrutiny/"
    page.goto(url)
    order = complete_by_keyboard(page, CALL_ANSWERS, "Send your call", label="call form")
    assert page.url == url + "confirmation/"
    call = CallForScrutiny.objects.get(name="Jo Bloggs")
    assert page.locator(".panel-confirmation__reference").inner_text() == call.reference
    assert call.address.splitlines() == ["1 Larch Row", "Pinetown"]
    assert call.complaint_stage == "stage_2" and call.others_affected
    page.go_back()
    in_reading_order(page, order, "Send your call")


def the_tracking_look_up(page, live_server, whole_site):
    call = whole_site["tracked"]
    page.goto(live_server.url + "/call-for-scrutiny/track/")
    answers = {"reference": call.reference, "access_code": call.access_code.lower()}
    order = complete_by_keyboard(page, answers, "Find your call", label="tracking")
    assert order == ["reference", "access_code", "email_or_postcode"]
    assert call.reference in page.locator(".summary-list").inner_text()
    assert "Sam" not in page.content()


def signing_and_confirming_a_petition(page, live_server, whole_site):
    petition = whole_site["petition"]
    url = f"{live_server.url}/petitions/{petition.slug}/"
    page.goto(url)
    answers = {
        "name": "Sam Jones",
        "email": "sam.jones@example.org",
        "postcode": "PC1 1AA",
        "address": "4 Larch Court",
        "privacy_agreed": True,
    }
    order = complete_by_keyboard(page, answers, "Sign this petition", label="petition")
    assert page.url == url + "signed/"
    assert page.get_by_role("heading", name="Check your email").is_visible()
    signature = PetitionSignature.objects.get()
    assert signature.confirmed_at is None

    from django.core import mail

    link = next(
        line.strip() for line in mail.outbox[-1].body.splitlines() if "/petitions/confirm/" in line
    )
    page.goto(live_server.url + link[link.index("/petitions/") :])
    complete_by_keyboard(page, {}, "Confirm my signature", label="confirm signature")
    assert page.get_by_text("Your signature is confirmed and counted.").is_visible()
    signature.refresh_from_db()
    assert signature.confirmed_at is not None
    page.goto(url)
    in_reading_order(page, order, "Sign this petition")


def the_appeal_form(page, live_server, whole_site):
    call = whole_site["appealable"]
    url = live_server.url + "/call-for-scrutiny/appeal/"
    page.goto(url)
    answers = {
        "reference": call.reference,
        "access_code": call.access_code,
        "grounds": "The panel did not see the Ombudsman's letter.",
    }
    order = complete_by_keyboard(page, answers, "Send your appeal", label="appeal")
    assert page.url == url + "sent/"
    reference = page.locator(".panel-confirmation__reference").inner_text()
    assert reference == Appeal.objects.get().reference
    page.goto(url)
    in_reading_order(page, order, "Send your appeal")


JOIN_ANSWERS = {
    "tenure": "tenant",
    "legal_action": "no",
    "money_order": "no",
    "legal_dispute": "no",
    "name": "Sam Okafor",
    "email": "sam.okafor@example.org",
    "postcode": "PC1 1AA",
    "why_join": "I want repairs to be done right first time.",
    "skills": ["analysis", "it"],
    "availability": "Weekday evenings",
    "payment_choice": "voluntary",
    "privacy_agreed": True,
}


ELIGIBILITY = ["tenure", "legal_action", "money_order", "legal_dispute"]


def applying_to_join_the_panel(page, live_server, whole_site):
    """'Check if you can apply', then the application: both by keys alone."""
    url = live_server.url + "/join-the-panel/"
    page.goto(url)
    answers = {
        key: value.copy() if isinstance(value, list) else value
        for key, value in JOIN_ANSWERS.items()
    }
    check = {name: answers.pop(name) for name in ELIGIBILITY}
    check_order = complete_by_keyboard(page, check, "Check if you can apply", label="check")
    assert page.get_by_text("You can apply").is_visible()
    complete_by_keyboard(page, answers, "Send your application", label="join")
    assert page.url == url + "confirmation/"
    application = PanelApplication.objects.get()
    assert application.name == "Sam Okafor"
    assert sorted(application.skills) == ["analysis", "it"]
    screenshots_at_both_widths(page, "join-confirmation")
    page.goto(url)
    in_reading_order(page, check_order, "Check if you can apply")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_every_public_form_with_the_keyboard_alone(browser, live_server, whole_site, javascript):
    """The five public forms, each sent and confirmed by keys alone."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", java_script_enabled=javascript
    )
    page = context.new_page()
    try:
        if not javascript:
            page.set_content("<p id=p>before</p><script>p.textContent='after'</script>")
            assert page.locator("#p").inner_text() == "before", "the page's scripts still run"
        the_call_form(page, live_server, whole_site)
        the_tracking_look_up(page, live_server, whole_site)
        signing_and_confirming_a_petition(page, live_server, whole_site)
        the_appeal_form(page, live_server, whole_site)
        applying_to_join_the_panel(page, live_server, whole_site)
    finally:
        context.close()
