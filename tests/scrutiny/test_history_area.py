"""The History area: every change with who made it, filters, CSV, record histories, access."""

import csv
import io
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from scrutiny import pipeline, roles, tasks
from scrutiny.models import BusinessArea, CallForScrutiny, Petition
from tests.conftest import (
    PASSWORD,
    admin_refusal,
    make_business_area,
    make_head_of_operations,
    make_user,
)
from tests.scrutiny.builders import decide, make_call

pytestmark = pytest.mark.django_db

INDEX = "scrutiny_history:index"


def call_inspect(call) -> str:
    return reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=(call.pk,))


def history_page(client, username, **params):
    client.login(username=username, password=PASSWORD)
    return client.get(reverse(INDEX), params)


def entries(response):
    """(who, record, action, changes) for each entry shown."""
    return [
        (
            entry.who,
            entry.record_title,
            entry.action,
            [(c.label, c.old, c.new) for c in entry.changes],
        )
        for entry in response.context["entries"]
    ]


def export_rows(client, **params):
    response = client.get(reverse(INDEX), {**params, "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def open_petition(staff) -> Petition:
    call = make_call(households_affected=90, others_affected=True)
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    return pipeline.petition_open(
        call=call, user=staff["officer"], title="Fix our doors", summary="Doors broken."
    )


def test_a_change_made_in_the_admin_shows_who_made_it_field_by_field(client, staff):
    area = make_business_area()
    client.login(username="officer", password=PASSWORD)
    response = client.post(
        reverse("wagtailsnippets_scrutiny_businessarea:edit", args=(area.pk,)),
        {
            "name": "Repairs and maintenance",
            "slug": area.slug,
            "description": "",
            "head_of_operations": make_head_of_operations("grace.lee", "Grace", "Lee").pk,
            "head_of_operations_title": "",
            "active": "on",
        },
    )
    assert response.status_code == 302

    response = history_page(client, "manager", kind="business-area")
    assert response.status_code == 200
    shown = entries(response)
    assert shown[0] == (
        "officer",
        "Repairs and maintenance",
        "Changed",
        [("Head of operations", "Dana Price", "Grace Lee")],
    )
    # The second row written by Wagtail's save_revision changed nothing shown: left out.
    assert [entry[2] for entry in shown] == ["Changed", "Created"]
    assert shown[1][0] == "The system"


def test_a_change_made_by_a_task_is_shown_as_the_system(client, staff):
    petition = open_petition(staff)
    Petition.objects.filter(pk=petition.pk).update(closes_on=timezone.localdate() - timedelta(1))
    assert tasks.close_expired_petitions() == 1

    response = history_page(client, "manager", kind="petition")
    newest = entries(response)[0]
    assert newest[0] == "The system"
    assert newest[1] == "Fix our doors"
    assert ("Status", "Open", "Closed") in newest[3]
    system = entries(history_page(client, "manager", person="system", kind="petition"))
    assert [entry[2] for entry in system] == ["Changed"]


def test_a_pipeline_transition_is_shown_with_the_user_who_made_it(client, staff):
    call = make_call()
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])

    response = history_page(client, "manager", kind="call")
    who, record, action, changes = entries(response)[0]
    assert (who, record, action) == ("officer", call.reference, "Changed")
    assert ("Status", "Submitted", "Triage") in changes
    assert entries(response)[-1][:3] == (
        "The resident, on the public form",
        call.reference,
        "Created",
    )


def test_foreign_keys_and_choices_are_shown_as_people_read_them(client, staff):
    call = make_call()
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    estates = make_business_area("Estate services")
    pipeline.call_correct(
        call=call, business_area=estates, households_affected=12, user=staff["officer"]
    )
    pipeline.call_assign(call=call, officer=staff["officer"], user=staff["officer"])

    shown = entries(history_page(client, "manager", kind="call"))
    changes = [change for entry in shown for change in entry[3]]
    assert ("Service", "Repairs and maintenance", "Estate services") in changes
    assert ("Households affected", "—", "12") in changes
    assert ("Assigned officer", "—", "officer") in changes


def test_filters_by_kind_person_dates_and_record(client, staff):
    first = make_call()
    second = make_call(name="Ben Ode")
    pipeline.call_move(call=first, transition="start_triage", user=staff["officer"])
    make_business_area("Estate services")

    client.login(username="manager", password=PASSWORD)
    everything = entries(client.get(reverse(INDEX)))
    kinds = {entry[1] for entry in everything}
    assert {first.reference, second.reference, "Estate services"} <= kinds

    by_officer = entries(client.get(reverse(INDEX), {"person": staff["officer"].pk}))
    assert [entry[1] for entry in by_officer] == [first.reference]

    record = entries(client.get(reverse("scrutiny_history:record", args=("call", second.pk))))
    assert {entry[1] for entry in record} == {second.reference}

    tomorrow = timezone.localdate() + timedelta(days=1)
    later = entries(client.get(reverse(INDEX), {"date_from": tomorrow.isoformat()}))
    assert later == []
    today = entries(
        client.get(
            reverse(INDEX),
            {"date_from": timezone.localdate().isoformat(), "date_to": timezone.localdate()},
        )
    )
    assert len(today) == len(everything)


def test_bad_filters_are_explained_not_a_server_error(client, staff):
    make_call()
    client.login(username="manager", password=PASSWORD)
    response = client.get(
        reverse(INDEX), {"record": "abc", "date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["record"][0].startswith("No record has the reference “abc”.")
    assert "The end date cannot be before the start date." in form.errors["date_to"]
    assert "No record has the reference “abc”." in response.content.decode()
    response = client.get(reverse(INDEX), {"record": "12"})
    assert "Choose the kind of record as well as its number." in response.content.decode()
    assert client.get(reverse(INDEX), {"p": "999"}).status_code == 200
    assert client.get(reverse("scrutiny_history:record", args=("nothing", 1))).status_code == 404


def test_the_csv_export_has_the_same_filters_and_one_line_a_field(client, staff):
    call = make_call()
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    make_business_area("Estate services")
    client.login(username="manager", password=PASSWORD)

    rows = export_rows(client, kind="call")
    assert {row["Kind"] for row in rows} == {"Call for scrutiny"}
    status = next(row for row in rows if row["Field"] == "Status")
    assert status["Who"] == "officer"
    assert status["Record"] == call.reference
    assert status["Record number"] == str(call.pk)
    assert (status["Action"], status["Old"], status["New"]) == ("Changed", "Submitted", "Triage")
    created = [row for row in rows if row["Action"] == "Created"]
    assert created[0]["Who"] == "The resident, on the public form"

    everything = export_rows(client)
    assert {"Call for scrutiny", "Business area"} <= {row["Kind"] for row in everything}
    assert export_rows(client, person="system", kind="call")[0]["Action"] == "Created"


def test_contact_details_are_hidden_from_whoever_may_not_see_them(client, staff):
    call = make_call()
    call.name = "Aisha Rahman"
    call.email = "aisha.rahman@example.org"
    call._history_user = staff["officer"]
    call.save()
    reader = make_user("auditor")
    reader.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_history"),
    )

    client.login(username="auditor", password=PASSWORD)
    response = client.get(reverse("scrutiny_history:record", args=("call", call.pk)))
    assert response.status_code == 200
    html = response.content.decode()
    assert ("Name", "hidden", "hidden") in entries(response)[0][3]
    assert "Aisha" not in html and "aisha" not in html
    csv_text = str(export_rows(client, kind="call"))
    assert "Aisha" not in csv_text and "aisha" not in csv_text

    client.login(username="manager", password=PASSWORD)
    response = client.get(reverse("scrutiny_history:record", args=("call", call.pk)))
    assert ("Name", "Aisha Khan", "Aisha Rahman") in entries(response)[0][3]


def test_signers_details_are_hidden_from_managers(client, staff):
    petition = open_petition(staff)
    signature = pipeline.petition_sign(
        petition=petition, name="Cara Doyle", email="cara@example.org", postcode="L20 3AB"
    )
    pipeline.signature_confirm(token=signature.token)
    client.login(username="manager", password=PASSWORD)
    response = client.get(reverse("scrutiny_history:record", args=("signature", signature.pk)))
    html = response.content.decode()
    assert "Cara" not in html and "cara@" not in html
    client.login(username="officer", password=PASSWORD)
    rows = export_rows(client, kind="signature")
    assert {row["Who"] for row in rows} == {"The signer, on the public form", "The system"}


@pytest.mark.parametrize("username", ["panel", "appeal", "comms"])
def test_the_panels_and_communications_cannot_open_the_history(client, staff, username):
    call = make_call()
    client.login(username=username, password=PASSWORD)
    assert admin_refusal(client.get(reverse(INDEX)))
    assert admin_refusal(client.get(reverse(INDEX), {"export": "csv"}))
    record = reverse("scrutiny_history:record", args=("call", call.pk))
    assert admin_refusal(client.get(record))
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(INDEX) not in menu


@pytest.mark.parametrize("username", ["manager", "officer", "admin"])
def test_managers_officers_and_superusers_see_the_history_in_the_menu(client, staff, username):
    client.login(username=username, password=PASSWORD)
    assert client.get(reverse(INDEX)).status_code == 200
    assert reverse(INDEX) in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_history_permission_is_granted_only_to_officers_and_managers():
    granted = {
        group
        for group, names in roles.MODEL_PERMISSIONS.items()
        if "scrutiny.view_history" in names
    }
    assert granted == {roles.OFFICERS, roles.MANAGERS}
    holders = Permission.objects.get(codename="view_history").group_set.values_list(
        "name", flat=True
    )
    assert set(holders) == {roles.OFFICERS, roles.MANAGERS}


def test_record_views_link_to_their_own_history(client, staff):
    area = make_business_area()
    call = make_call()
    client.login(username="manager", password=PASSWORD)
    area_history = reverse("scrutiny_history:record", args=("business-area", area.pk))
    inspect = client.get(reverse("wagtailsnippets_scrutiny_businessarea:inspect", args=(area.pk,)))
    assert area_history in inspect.content.decode()
    listing = client.get(reverse("wagtailsnippets_scrutiny_businessarea:list"))
    assert area_history in listing.content.decode()
    call_history = reverse("scrutiny_history:record", args=("call", call.pk))
    call_page = client.get(call_inspect(call))
    # In the header's menu and in the call's "History of changes" panel.
    assert call_page.content.decode().count(call_history) >= 2

    response = client.get(area_history)
    links = dict(response.context["record_links"])
    assert links["Open the record"] == reverse(
        "wagtailsnippets_scrutiny_businessarea:inspect", args=(area.pk,)
    )
    # The panel reads a call's own history on its page, but has no link to the History area.
    client.login(username="panel", password=PASSWORD)
    call_page = client.get(call_inspect(call))
    assert call_page.status_code == 200
    assert call_history not in call_page.content.decode()


def test_the_call_page_history_uses_the_same_diff_with_contact_details_hidden(client, staff):
    call = make_call()
    call.email = "new.address@example.org"
    call._history_user = staff["officer"]
    call.save()
    client.login(username="panel", password=PASSWORD)
    response = client.get(call_inspect(call))
    rows = response.context["timeline"]
    assert rows[0].who == "officer"
    assert [(c.label, c.old, c.new) for c in rows[0].changes] == [("Email", "hidden", "hidden")]
    assert rows[-1].action == "Submitted by the resident"
    assert "new.address" not in response.content.decode()


def test_history_cannot_be_edited_and_only_a_superuser_deletes_a_record(client, staff):
    # Taking a member off a review removes their participation; the removal is in the history.
    allowed = {"scrutiny.delete_reviewparticipant"}
    for group, names in roles.MODEL_PERMISSIONS.items():
        assert not [name for name in names if ".delete_" in name and name not in allowed], group
    area = make_business_area("Estate services")
    delete_url = reverse("wagtailsnippets_scrutiny_businessarea:delete", args=(area.pk,))

    client.login(username="officer", password=PASSWORD)
    refused = client.post(delete_url)
    assert refused.status_code in {302, 403}
    assert BusinessArea.objects.filter(pk=area.pk).exists()
    # The History area has no way to change or delete what it shows.
    assert client.post(reverse(INDEX)).status_code == 405

    client.login(username="admin", password=PASSWORD)
    assert client.post(delete_url).status_code == 302
    assert not BusinessArea.objects.filter(pk=area.pk).exists()

    client.login(username="manager", password=PASSWORD)
    newest = entries(client.get(reverse(INDEX), {"kind": "business-area"}))[0]
    assert newest[:3] == ("admin", "Estate services", "Deleted")
    record = entries(
        client.get(reverse("scrutiny_history:record", args=("business-area", area.pk)))
    )
    assert [entry[2] for entry in record][0] == "Deleted"


def test_page_revisions_link_to_the_history_areas_compare_view(client, staff, home_page):
    from scrutiny.models import ProgrammeIndexPage

    programme = home_page.add_child(instance=ProgrammeIndexPage(title="Programme"))
    programme.save_revision(user=staff["admin"])
    programme.title = "Our programme"
    revision = programme.save_revision(user=staff["admin"])

    client.login(username="manager", password=PASSWORD)
    response = client.get(reverse(INDEX), {"kind": "page"})
    newest = response.context["entries"][0]
    assert (newest.who, newest.record_title) == ("admin", "Our programme")
    previous = programme.revisions.order_by("pk").first()
    assert newest.compare_url == reverse(
        "scrutiny_history:compare_page_revisions", args=(programme.pk, previous.pk, revision.pk)
    )
    assert newest.compare_url in response.content.decode()


def _queries_for_history_page(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(INDEX))
    assert response.status_code == 200
    return len(queries)


def _add_history(count: int, start: int) -> None:
    head = make_head_of_operations()
    areas = [
        BusinessArea(
            name=f"Service {start + n}",
            slug=f"service-{start + n}",
            head_of_operations=head,
        )
        for n in range(count)
    ]
    bulk_create_with_history(areas, BusinessArea)
    calls = list(CallForScrutiny.objects.all())
    for call in calls:
        call.concerns = f"{call.concerns} ({start})"
        call._history_user = None
        call.save()


def test_a_page_of_history_costs_the_same_queries_for_ten_or_a_thousand_rows(client, staff):
    make_call()
    make_call()
    _add_history(10, 0)
    client.login(username="manager", password=PASSWORD)
    few = _queries_for_history_page(client)
    _add_history(1000, 100)
    many = _queries_for_history_page(client)
    # A few queries per kind of record on the page: the first page may hold more kinds (the
    # configuration's first history rows) than one of a thousand new rows, never fewer.
    assert many <= few


def test_many_to_many_changes_name_the_people_added_and_removed(client, staff):
    from tests.scrutiny.membership_builders import at, make_meeting

    meeting = make_meeting(at(2026, 5, 6), attendees=[staff["panel"]])
    meeting.attendees.set([staff["officer"]])

    client.login(username="manager", password=PASSWORD)
    response = client.get(reverse("scrutiny_history:record", args=("meeting", meeting.pk)))
    # simple-history keeps one version per change of the set: set() removes, then adds.
    assert [entry[3] for entry in entries(response)] == [
        [("Attendees", "—", "officer")],
        [("Attendees", "panel", "—")],
        [("Attendees", "—", "panel")],
        [],
    ]


def test_publishing_a_calls_revision_shows_no_change_nobody_made(client, staff):
    """Revisions hold datetimes to the millisecond; writing one back is not a change."""
    sent = timezone.now().replace(microsecond=123456)
    with mock.patch("scrutiny.pipeline.calls.timezone.now", return_value=sent):
        call = make_call()
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    pipeline.call_move(call=call, transition="send_to_panel", user=staff["officer"])
    decide(call, outcome="monitoring", user=staff["panel"], reasons="Watch it.")

    response = history_page(client, "manager", kind="call")
    labels = {change[0] for entry in entries(response) for change in entry[3]}
    assert "Status" in labels
    assert not any(label.startswith("Privacy agreed") for label in labels)


def test_a_petitions_wagtail_history_page_shows_its_one_timeline(client, staff):
    from scrutiny.history import acting_as

    petition = open_petition(staff)
    with acting_as(staff["officer"]):
        petition.title = "Mend our doors"
        petition.save()
    client.login(username="officer", password=PASSWORD)
    response = client.get(reverse("wagtailsnippets_scrutiny_petition:history", args=(petition.pk,)))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="scrutiny-timeline"' in page
    assert 'Fix our doors</span> → <span class="w-sr-only">now </span>Mend our doors' in page
    link = reverse("scrutiny_history:record", args=("petition", petition.pk))
    assert f'href="{link}"' in page


def test_a_meetings_wagtail_history_page_shows_its_one_timeline(client, staff):
    from datetime import datetime

    from scrutiny.history import acting_as
    from scrutiny.models import MeetingKind, PanelMeeting

    starts_at = timezone.make_aware(datetime(2030, 3, 5, 18, 30))
    with acting_as(staff["officer"]):
        meeting = PanelMeeting.objects.create(starts_at=starts_at, kind=MeetingKind.FORMAL)
        meeting.starts_at = starts_at + timedelta(days=7)
        meeting.save()
    client.login(username="officer", password=PASSWORD)
    response = client.get(
        reverse("wagtailsnippets_scrutiny_panelmeeting:history", args=(meeting.pk,))
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="scrutiny-timeline"' in page
    assert [entry.action for entry in response.context["timeline"]][-1] == "Created"
    changed = [c for entry in response.context["timeline"] for c in entry.changes]
    assert any("5 March 2030" in c.old and "12 March 2030" in c.new for c in changed)
