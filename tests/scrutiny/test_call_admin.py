"""Calls in the admin: the listing, the full record, the officers' actions and who sees what."""

import csv
import datetime
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from wagtail.models import ModelLogEntry

from scrutiny import pipeline, roles, selectors
from scrutiny.models import CallForScrutiny, CallStatus
from tests.conftest import PASSWORD, make_business_area, make_user
from tests.scrutiny.builders import backdate_arrival, make_awaiting_call, make_call

pytestmark = pytest.mark.django_db

NAMESPACE = "wagtailsnippets_scrutiny_callforscrutiny"


def url(name: str, *args) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def call(staff) -> CallForScrutiny:
    """A call with everything the inspect view shows: evidence, extra answers, a note, history."""
    call = make_call(
        name="Aisha Khan",
        email="aisha.khan@example.org",
        phone="07700 900123",
        postcode="LS1 1AA",
        support_requested=True,
        support_contact="Phone after 5pm.",
        evidence=[SimpleUploadedFile("mould photo.txt", b"evidence bytes", "text/plain")],
        extra_answers=[{"label": "How long has this gone on?", "answer": "Two winters"}],
    )
    pipeline.call_add_note(call=call, text="Phoned the resident on Monday.", user=staff["officer"])
    return call


# The listing


LIST_HEADINGS = [
    "Reference",
    "Service",
    "Status",
    "Received",
    "Waiting since",
    "Officer",
    "Overdue",
]


def headings(page: str) -> list[str]:
    """The column headings of the listing's table, as read aloud."""
    table = page[page.index('<table class="listing') :]
    head = table[table.index("<thead") : table.index("</thead>")]
    cells = re.findall(r"<th[^>]*>(.*?)</th>", head, flags=re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in cells]


def row_of(page: str, reference: str) -> str:
    """The HTML of the listing row that holds a call's reference."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S)
    return next(row for row in rows if reference in row)


def test_the_list_has_the_columns_of_the_work_and_no_concerns(client, staff, call):
    login(client, staff["officer"])
    response = client.get(url("list"))
    page = text(response)

    assert response.status_code == 200
    assert headings(page)[: len(LIST_HEADINGS)] == LIST_HEADINGS
    assert "Concerns" not in headings(page)
    assert "Damp and mould" not in page
    row = row_of(page, call.reference)
    assert f'href="{url("inspect", call.pk)}"' in row
    assert "Repairs and maintenance" in row
    received = call.submitted_at.astimezone(ZoneInfo(settings.TIME_ZONE))
    assert f"{received.day} {received:%b %Y}" in row
    assert " ago" not in row


def test_a_panel_member_sees_the_list_without_names(client, staff, call):
    login(client, staff["panel"])
    response = client.get(url("list"))
    assert response.status_code == 200
    assert call.reference in text(response)
    assert "Aisha Khan" not in text(response)


def test_the_status_is_a_tag_with_its_words_coloured_by_its_group(client, staff, call):
    failure = make_call()
    CallForScrutiny.objects.filter(pk=failure.pk).update(status=CallStatus.SERIOUS_FAILURE)
    login(client, staff["officer"])
    page = text(client.get(url("list")))

    assert re.search(r'scrutiny-tag--new">\s*Submitted\s*<', row_of(page, call.reference))
    assert re.search(
        r'scrutiny-tag--critical">\s*Serious failure\s*<', row_of(page, failure.reference)
    )


def test_the_officer_is_named_and_overdue_is_said_in_words(client, staff, call):
    officer = make_user("olu", group=roles.OFFICERS, first_name="Olu", last_name="Adeyemi")
    late = make_awaiting_call(staff)
    backdate_arrival(late, days=400)
    pipeline.call_assign(call=late, officer=officer, user=staff["officer"])
    login(client, staff["officer"])
    page = text(client.get(url("list")))

    late_row, fresh_row = row_of(page, late.reference), row_of(page, call.reference)
    assert "Olu Adeyemi" in late_row and ">olu<" not in late_row
    assert re.search(r">\s*Yes\s*<", late_row)
    assert not re.search(r">\s*(Yes|No|True|False)\s*<", fresh_row)
    assert "icon-cross" not in late_row + fresh_row
    assert "icon-success" not in late_row + fresh_row


def test_the_change_history_is_in_the_rows_menu_not_under_the_reference(client, staff, call):
    login(client, staff["officer"])
    row = row_of(text(client.get(url("list"))), call.reference)
    history = reverse("scrutiny_history:record", args=("call", call.pk))

    assert history in row
    menu = row.index('data-controller="w-dropdown"')
    assert row.index(history) > menu
    assert "Change history" not in row[:menu]


def refused(response) -> bool:
    """Whether Wagtail turned the user away to the dashboard, as it does in the admin."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("role", ["comms", "appeal"])
def test_staff_outside_the_process_do_not_see_calls(client, staff, call, role):
    login(client, staff[role])
    assert refused(client.get(url("list")))
    assert refused(client.get(url("inspect", call.pk)))
    assert refused(client.get(url("list"), {"export": "csv"}))


@pytest.mark.parametrize(("role", "allowed"), [("comms", False), ("panel", True)])
def test_the_call_chooser_is_open_only_to_those_who_see_calls(client, staff, call, role, allowed):
    login(client, staff[role])
    response = client.get(reverse("wagtailsnippetchoosers_scrutiny_callforscrutiny:choose"))
    assert (call.reference in text(response)) is allowed
    assert refused(response) is not allowed


def test_the_status_filter_narrows_the_list(client, staff, call):
    triaged = make_call(name="Tom Price")
    pipeline.call_move(call=triaged, transition="start_triage", user=staff["officer"])
    login(client, staff["officer"])

    response = client.get(url("list"), {"status": CallStatus.TRIAGE})

    assert triaged.reference in text(response)
    assert call.reference not in text(response)


def test_the_filters_for_service_officer_support_and_dates_narrow_the_list(client, staff, call):
    other_area = make_business_area("Lettings")
    other = make_call(business_area=other_area, support_requested=False)
    pipeline.call_assign(call=other, officer=staff["officer"], user=staff["officer"])
    login(client, staff["officer"])

    by_area = text(client.get(url("list"), {"business_area": other_area.pk}))
    by_officer = text(client.get(url("list"), {"assigned_officer": staff["officer"].pk}))
    by_support = text(client.get(url("list"), {"support_requested": "true"}))
    today = call.submitted_at.date().isoformat()
    by_date = text(client.get(url("list"), {"submitted_at_from": today, "submitted_at_to": today}))
    before = text(
        client.get(
            url("list"), {"submitted_at_from": "2000-01-01", "submitted_at_to": "2000-12-31"}
        )
    )

    assert other.reference in by_area and call.reference not in by_area
    assert other.reference in by_officer and call.reference not in by_officer
    assert call.reference in by_support and other.reference not in by_support
    assert call.reference in by_date and other.reference in by_date
    assert call.reference not in before


def test_the_officer_filter_offers_only_officers(client, staff, call):
    login(client, staff["officer"])
    response = client.get(url("list"))
    choices = response.context["filters"].form.fields["assigned_officer"].queryset
    assert list(choices) == [staff["officer"]]


def test_search_finds_a_call_by_its_reference(client, staff, call):
    other = make_call(concerns="Rent statements are hard to read.")
    login(client, staff["officer"])

    response = client.get(url("list"), {"q": other.reference})

    assert other.reference in text(response)
    assert call.reference not in text(response)


def test_search_finds_a_call_by_its_wording(client, staff, call):
    other = make_call(concerns="Rent statements are hard to read.", service_failures="Overcharged.")
    login(client, staff["officer"])

    by_concerns = text(client.get(url("list"), {"q": "statements"}))
    by_failures = text(client.get(url("list"), {"q": "overcharged"}))

    assert other.reference in by_concerns and call.reference not in by_concerns
    assert other.reference in by_failures and call.reference not in by_failures


# Exports


def test_an_officers_csv_export_has_the_contact_details(client, staff, call):
    login(client, staff["officer"])
    response = client.get(url("list"), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    exported = text(response)
    assert call.reference in exported
    assert "aisha.khan@example.org" in exported
    assert "Aisha Khan" in exported


def test_a_panel_members_csv_export_has_no_contact_details(client, staff, call):
    login(client, staff["panel"])
    exported = text(client.get(url("list"), {"export": "csv"}))
    assert call.reference in exported
    assert "aisha.khan@example.org" not in exported
    assert "Aisha Khan" not in exported
    assert "07700 900123" not in exported
    assert "Phone after 5pm." not in exported


def test_a_csv_export_does_not_turn_residents_text_into_formulas(client, staff):
    make_call(concerns='=HYPERLINK("http://example.com")')
    login(client, staff["officer"])
    exported = text(client.get(url("list"), {"export": "csv"}))
    assert "'=HYPERLINK" in exported


def test_the_xlsx_export_is_a_workbook(client, staff, call):
    login(client, staff["panel"])
    response = client.get(url("list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.values)
    assert rows[0][0] == "Reference"
    assert "Email" not in rows[0]
    assert rows[1][0] == call.reference


def exported_rows(client, fmt: str) -> list[dict]:
    """The rows of the calls export, as dicts by heading."""
    response = client.get(url("list"), {"export": fmt})
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(text(response))))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = workbook.active.values
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_say_yes_or_no_never_true_or_false(client, staff, call, fmt):
    login(client, staff["officer"])
    rows = exported_rows(client, fmt)

    values = [value for row in rows for value in row.values()]
    assert "True" not in values and "False" not in values
    assert True not in values and False not in values
    row = rows[0]
    assert row["Support requested"] == "Yes"
    assert row["Others affected"] == "No"
    assert row["Overdue for a panel decision"] == "No"


def test_the_csv_export_writes_dates_and_the_officers_name(client, staff, call):
    officer = make_user("olu", group=roles.OFFICERS, first_name="Olu", last_name="Adeyemi")
    pipeline.call_assign(call=call, officer=officer, user=staff["officer"])
    login(client, staff["officer"])
    row = exported_rows(client, "csv")[0]

    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", row["Received"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", row["Waiting since"])
    assert row["Assigned officer"] == "Olu Adeyemi"


def test_the_xlsx_export_writes_dates_as_dates(client, staff, call):
    login(client, staff["panel"])
    row = exported_rows(client, "xlsx")[0]
    assert isinstance(row["Received"], datetime.datetime)
    assert (
        row["Received"].date() == call.submitted_at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_have_a_column_for_each_extra_question(client, staff, call, fmt):
    other = make_call(extra_answers=[{"label": "Which block?", "answer": "Larch Court"}])
    login(client, staff["panel"])
    rows = {row["Reference"]: row for row in exported_rows(client, fmt)}

    assert rows[call.reference]["How long has this gone on?"] == "Two winters"
    assert rows[other.reference]["Which block?"] == "Larch Court"
    assert rows[other.reference]["How long has this gone on?"] in ("", None)


# The full record


def test_an_officer_sees_everything_on_the_inspect_view(client, staff, call):
    login(client, staff["officer"])
    response = client.get(url("inspect", call.pk))
    assert response.status_code == 200
    page = text(response)
    evidence = call.evidence.get()
    assert url("evidence", evidence.pk) in page
    assert "mould photo.txt" in page
    assert "How long has this gone on?" in page and "Two winters" in page
    assert "Phoned the resident on Monday." in page
    assert "aisha.khan@example.org" in page and "Aisha Khan" in page
    assert "The resident, on the public form" in page
    assert "Submitted by the resident" in page
    assert "Start triage" in page
    assert "Assign to me" in page
    assert "Support given" in page


def test_the_inspect_view_shows_each_change_with_who_made_it(client, staff, call):
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    login(client, staff["manager"])

    response = client.get(url("inspect", call.pk))

    # One entry for the move: the log's words, the history row's change, who made it.
    newest = response.context["timeline"][0]
    assert (newest.who, newest.action) == ("officer", "Moved to a new stage")
    assert [(c.label, c.old, c.new) for c in newest.changes] == [("Status", "Submitted", "Triage")]
    page = text(response)
    assert page.count("Moved to a new stage") == 1
    assert "<strong>Moved to a new stage</strong> · officer" in page


def test_a_panel_member_sees_no_contact_details_and_no_actions(client, staff, call):
    login(client, staff["panel"])
    response = client.get(url("inspect", call.pk))
    assert response.status_code == 200
    page = text(response)
    assert call.reference in page
    assert "aisha.khan@example.org" not in page
    assert "Aisha Khan" not in page
    assert "07700 900123" not in page
    assert "LS1 1AA" not in page
    assert "Phone after 5pm." not in page
    assert "Start triage" not in page
    assert "Assign to me" not in page
    assert "Phoned the resident on Monday." not in page
    assert url("evidence", call.evidence.get().pk) in page


def test_a_panel_member_sees_changes_to_contact_details_as_hidden(client, staff, call):
    call.email = "aisha.new@example.org"
    call._history_user = staff["officer"]
    call.save()

    login(client, staff["panel"])
    panel_page = text(client.get(url("inspect", call.pk)))
    client.logout()
    login(client, staff["officer"])
    officer_page = text(client.get(url("inspect", call.pk)))

    def changes(page):
        plain = re.sub(r'<span class="w-sr-only">[^<]*</span>', "", page)
        return re.sub(r"<[^>]+>", "", plain)

    assert "Email: hidden → hidden" in changes(panel_page)
    assert "aisha.new@example.org" not in panel_page
    assert "Email: aisha.khan@example.org → aisha.new@example.org" in changes(officer_page)


def test_a_manager_sees_contact_details_but_no_actions(client, staff, call):
    login(client, staff["manager"])
    page = text(client.get(url("inspect", call.pk)))
    assert "aisha.khan@example.org" in page
    assert "Phoned the resident on Monday." in page
    assert "Start triage" not in page
    assert "Assign to me" not in page


def test_earlier_and_similar_calls_are_listed(client, staff, call):
    earlier = make_call(
        concerns="Broken boiler left us cold.",
        actions_taken="Emailed the landlord.",
        service_failures="No visit.",
    )
    similar = make_call(
        business_area=make_business_area("Estate services"),
        concerns="Mould in the bathroom came back; the contractor painted over it.",
        service_failures="Ventilation was never fixed.",
    )
    unrelated = make_call(
        business_area=make_business_area("Lettings"),
        concerns="Keys were late.",
        actions_taken="Wrote a letter.",
        service_failures="Nobody phoned back.",
    )
    CallForScrutiny.objects.filter(pk=earlier.pk).update(submitted_at=call.submitted_at)
    login(client, staff["officer"])

    response = client.get(url("inspect", call.pk))

    assert [c.pk for c in response.context["earlier_calls"]] == [earlier.pk]
    similar_found = [c.pk for c in response.context["similar_calls"]]
    assert similar.pk in similar_found
    assert call.pk not in similar_found
    assert unrelated.pk not in similar_found


def test_a_call_sharing_one_common_word_is_not_similar(client, staff, call):
    one_word = make_call(
        business_area=make_business_area("Lettings"),
        concerns="The bathroom in the empty flat was not cleaned before we moved in.",
        actions_taken="Asked the lettings team.",
        service_failures="Nobody came to clean.",
    )
    related = make_call(
        concerns="Black mould is back in the bathroom; contractors painted over it again.",
        service_failures="The ventilation fan was never fixed.",
    )

    found = selectors.call_similar(call)

    assert related in found
    assert one_word not in found


def test_the_similar_calls_threshold_is_configurable(staff, call):
    related = make_call(
        concerns="Black mould is back in the bathroom; contractors painted over it again.",
        service_failures="The ventilation fan was never fixed.",
    )
    with override_settings(SCRUTINY_SIMILAR_CALLS={"min_shared_words": 20}):
        assert selectors.call_similar(call) == []
    with override_settings(SCRUTINY_SIMILAR_CALLS={"min_shared_words": 1, "min_share": 0}):
        assert related in selectors.call_similar(call)


# Actions


def test_a_button_moves_the_call_and_says_so(client, staff, call):
    login(client, staff["officer"])

    response = client.post(url("move", call.pk), {"transition": "start_triage"}, follow=True)

    call.refresh_from_db()
    assert call.status == CallStatus.TRIAGE
    assert response.redirect_chain[-1][0] == url("inspect", call.pk)
    assert f"{call.reference} is now triage." in text(response)
    assert ModelLogEntry.objects.filter(action="scrutiny.call.move", user=staff["officer"]).exists()


def test_an_illegal_move_is_refused_with_a_message(client, staff, call):
    login(client, staff["officer"])

    response = client.post(url("move", call.pk), {"transition": "send_to_panel"}, follow=True)

    assert response.status_code == 200
    assert "so it cannot be moved with" in text(response)
    call.refresh_from_db()
    assert call.status == CallStatus.SUBMITTED


def test_an_unknown_move_is_refused_with_a_message(client, staff, call):
    login(client, staff["officer"])
    response = client.post(url("move", call.pk), {"transition": "close"}, follow=True)
    assert "There is no step called" in text(response)
    call.refresh_from_db()
    assert call.status == CallStatus.SUBMITTED


@pytest.mark.parametrize("action", ["move", "assign", "note", "support_given"])
def test_actions_refuse_get(client, staff, call, action):
    login(client, staff["officer"])
    assert client.get(url(action, call.pk)).status_code == 405


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("move", {"transition": "start_triage"}, "You may not start triage."),
        ("assign", {"assign_to_me": "1"}, "Only scrutiny officers may assign calls."),
        ("note", {"text": "The panel's view."}, "Only scrutiny officers may add notes."),
        ("support_given", {}, "Only scrutiny officers may record support."),
    ],
)
def test_a_panel_member_cannot_act(client, staff, call, action, data, message):
    login(client, staff["panel"])

    response = client.post(url(action, call.pk), data, follow=True)

    assert response.status_code == 200
    assert message in text(response)
    call.refresh_from_db()
    assert call.status == CallStatus.SUBMITTED
    assert call.assigned_officer is None
    assert call.support_given_at is None
    assert call.notes.count() == 1


def test_communications_staff_are_refused_actions(client, staff, call):
    login(client, staff["comms"])
    response = client.post(url("move", call.pk), {"transition": "start_triage"})
    assert refused(response)
    call.refresh_from_db()
    assert call.status == CallStatus.SUBMITTED


def test_actions_need_a_signed_in_user(client, call):
    response = client.post(url("move", call.pk), {"transition": "start_triage"})
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]
    call.refresh_from_db()
    assert call.status == CallStatus.SUBMITTED


def test_an_officer_assigns_themselves(client, staff, call):
    login(client, staff["officer"])
    response = client.post(url("assign", call.pk), {"assign_to_me": "1"}, follow=True)
    call.refresh_from_db()
    assert call.assigned_officer == staff["officer"]
    assert "is assigned to officer." in text(response)


def test_an_officer_assigns_a_colleague_and_then_nobody(client, staff, call):
    colleague = make_user("grace", group=roles.OFFICERS, first_name="Grace", last_name="Lee")
    login(client, staff["officer"])

    client.post(url("assign", call.pk), {"officer": colleague.pk})
    call.refresh_from_db()
    assert call.assigned_officer == colleague
    assert "Grace Lee" in text(client.get(url("inspect", call.pk)))

    client.post(url("assign", call.pk), {"officer": ""})
    call.refresh_from_db()
    assert call.assigned_officer is None


@pytest.mark.parametrize(
    ("officer", "message"),
    [
        ("panel", "panel is not a scrutiny officer."),
        ("not-a-number", "Choose an officer from the list."),
        ("99999", "Choose an officer from the list."),
    ],
)
def test_assigning_to_someone_who_is_not_an_officer_is_refused(
    client, staff, call, officer, message
):
    login(client, staff["officer"])
    chosen = staff["panel"].pk if officer == "panel" else officer

    response = client.post(url("assign", call.pk), {"officer": chosen}, follow=True)

    assert response.status_code == 200
    assert message in text(response)
    call.refresh_from_db()
    assert call.assigned_officer is None


def test_an_officer_adds_a_note(client, staff, call):
    login(client, staff["officer"])
    response = client.post(url("note", call.pk), {"text": "Sent a leaflet."}, follow=True)
    assert "Sent a leaflet." in text(response)
    assert call.notes.count() == 2


def test_a_blank_note_is_refused_with_a_message(client, staff, call):
    login(client, staff["officer"])
    response = client.post(url("note", call.pk), {"text": "  "}, follow=True)
    assert "Write the note before saving it." in text(response)
    assert call.notes.count() == 1


def test_an_officer_records_support_once(client, staff, call):
    login(client, staff["officer"])

    client.post(url("support_given", call.pk))
    call.refresh_from_db()
    given_at = call.support_given_at
    assert given_at is not None
    assert "Support given</button>" not in text(client.get(url("inspect", call.pk)))

    response = client.post(url("support_given", call.pk), follow=True)
    assert "already recorded" in text(response)
    call.refresh_from_db()
    assert call.support_given_at == given_at


def test_officers_correct_the_service_and_households_by_an_action(client, staff, call):
    lettings = make_business_area("Lettings")
    login(client, staff["officer"])

    response = client.post(
        url("correct", call.pk),
        {
            "business_area": lettings.pk,
            "households_affected": "12",
            "status": CallStatus.CLOSED,
            "email": "someone.else@example.org",
        },
    )

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.business_area == lettings
    assert call.households_affected == 12
    assert call.status == CallStatus.SUBMITTED
    assert call.email == "aisha.khan@example.org"
    assert call.history.order_by("-history_id").first().history_user == staff["officer"]


@pytest.mark.parametrize("households", ["-3", "many"])
def test_a_bad_correction_is_refused_with_a_message(client, staff, call, households):
    login(client, staff["officer"])
    response = client.post(
        url("correct", call.pk),
        {"business_area": call.business_area_id, "households_affected": households},
        follow=True,
    )
    assert "households" in text(response).lower()
    call.refresh_from_db()
    assert call.households_affected is None


@pytest.mark.parametrize("role", ["admin", "officer", "panel", "manager"])
def test_the_generic_editor_opens_the_calls_record_instead(client, staff, call, role):
    login(client, staff[role])
    response = client.get(url("edit", call.pk))
    assert response.status_code == 302
    assert response["Location"] == url("inspect", call.pk)
    assert client.post(url("edit", call.pk), {"email": "x@example.org"}).status_code == 302
    call.refresh_from_db()
    assert call.email == "aisha.khan@example.org"


def test_calls_are_not_added_or_deleted_in_the_admin(client, staff, call):
    with pytest.raises(NoReverseMatch):
        url("add")
    login(client, staff["admin"])
    assert client.get(url("list") + "add/").status_code == 404
    assert refused(client.get(url("delete", call.pk)))
    assert "Add call for scrutiny" not in text(client.get(url("list")))


# Evidence


def test_an_officer_downloads_evidence(client, staff, call):
    evidence = call.evidence.get()
    login(client, staff["officer"])

    response = client.get(url("evidence", evidence.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"evidence bytes"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "mould photo.txt" in response["Content-Disposition"]


def test_communications_staff_cannot_download_evidence(client, staff, call):
    login(client, staff["comms"])
    assert client.get(url("evidence", call.evidence.get().pk)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_for_evidence(client, call):
    response = client.get(url("evidence", call.evidence.get().pk))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_evidence_is_linked_only_through_the_checked_download(client, staff, call):
    evidence = call.evidence.get()
    login(client, staff["officer"])
    page = text(client.get(url("inspect", call.pk)))
    assert evidence.file.name not in page
    assert settings.MEDIA_URL not in page
    private_root = Path(settings.SCRUTINY_PRIVATE_ROOT).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() not in [private_root, *private_root.parents]


# What residents type


def test_residents_script_is_shown_escaped(client, staff):
    script = "<script>alert(1)</script>"
    call = make_call(name=f"{script} Resident", concerns=f"{script} Mould again.")
    login(client, staff["officer"])

    # The listing shows neither the name nor the concerns; the record shows both, escaped.
    assert script not in text(client.get(url("list")))
    page = text(client.get(url("inspect", call.pk)))
    assert script not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
