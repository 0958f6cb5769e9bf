"""Personal data: retention anonymises what has passed its time, the export and the erasure."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule
from wagtail.models import ModelLogEntry, Revision

from scrutiny import pipeline, tasks
from scrutiny.models import (
    Appeal,
    AppealEvidence,
    CallEvidence,
    CallForScrutiny,
    CallNote,
    CallStatus,
    ExpenseClaim,
    PanelApplication,
    PanelDecision,
    Petition,
    PetitionSignature,
    PrivacyAction,
    SentEmail,
)
from scrutiny.pipeline.privacy import months_before
from scrutiny.tasks import apply_retention
from tests.conftest import PASSWORD, admin_refusal, make_user
from tests.scrutiny.appeal_builders import decided_call, submit_appeal
from tests.scrutiny.builders import make_call
from tests.scrutiny.membership_builders import make_application, make_member, receipt

LONG_AGO = timedelta(days=31 * 30)  # more than the default 24 months
RECENTLY = timedelta(days=60)


def pdf(name="letter.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 a letter", content_type="application/pdf")


def closed_call(ago, **fields):
    call = make_call(evidence=[pdf()], **fields)
    CallForScrutiny.objects.filter(pk=call.pk).update(
        status=CallStatus.CLOSED, status_changed_at=timezone.now() - ago
    )
    call.refresh_from_db()
    return call


def backdate_decision(call, ago):
    """The call was decided, and its appeal window passed, `ago`; the daily task closed it then
    (unless an appeal waits)."""
    PanelDecision.objects.filter(call=call).update(
        decided_at=timezone.now() - ago, appeal_deadline=timezone.localdate() - ago
    )
    tasks.close_finished_calls()
    CallForScrutiny.objects.filter(pk=call.pk).update(status_changed_at=timezone.now() - ago)


def declined_application(ago, officer, **fields):
    application = pipeline.application_move(
        application=make_application(**fields), stage="declined", user=officer
    )
    PanelApplication.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - ago - timedelta(days=20)
    )
    application.history.exclude(stage="declined").update(
        history_date=timezone.now() - ago - timedelta(days=20)
    )
    application.history.filter(stage="declined").update(history_date=timezone.now() - ago)
    return application


def closed_petition(staff, ago, signers):
    call = make_call(name="Petition Starter", email=f"starter{ago.days}@example.org")
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    petition = pipeline.petition_open(
        call=call, user=staff["officer"], title=f"Petition {ago.days}", summary="Fix it."
    )
    for name, email in signers:
        signature = pipeline.petition_sign(
            petition=petition, name=name, email=email, postcode="L20 3AB", ip_address="10.0.0.9"
        )
        pipeline.signature_confirm(token=signature.token)
    pipeline.signature_add_paper(
        petition=petition, name=signers[0][0], postcode="L20 3AB", user=staff["officer"]
    )
    if len(signers) > 2:
        pipeline.signatures_invalidate(
            petition=petition,
            user=staff["officer"],
            reason=f"{signers[-1][0]} signed twice",
            email_domain=signers[-1][1].split("@")[1],
        )
    pipeline.petition_close(petition=petition, user=staff["officer"])
    Petition.objects.filter(pk=petition.pk).update(closed_at=timezone.now() - ago)
    petition.refresh_from_db()
    return petition


def statistics():
    """What the reports count: statuses, services, tenures, dates, stages, petition totals."""
    return (
        sorted(
            CallForScrutiny.objects.values_list(
                "status", "business_area_id", "tenure", "submitted_at", "households_affected"
            )
        ),
        sorted(PanelApplication.objects.values_list("stage", "tenure", "submitted_at")),
        sorted((p.pk, pipeline.petition_count(p)) for p in Petition.objects.all()),
        sorted(PanelDecision.objects.values_list("outcome", "decided_at")),
        sorted(Appeal.objects.values_list("status", "outcome")),
        CallEvidence.objects.count(),
    )


def history_names(model, pk):
    return set(model.history.filter(id=pk).values_list("name", flat=True))


@pytest.fixture
def data_set(staff):
    """A known mix of records, old and recent, finished and open."""
    old_closed = closed_call(
        LONG_AGO,
        name="Olive Closed",
        email="olive@example.org",
        phone="0151 000 0001",
        address="1 Old Road",
        postcode="L1 1AA",
    )
    pipeline.call_add_note(call=old_closed, text="Olive rang about her son.", user=staff["officer"])
    SentEmail.objects.create(
        key=f"call:{old_closed.pk}:acknowledgement",
        to="olive@example.org",
        subject="We have received your call",
    )
    recent_closed = closed_call(RECENTLY, name="Rita Recent", email="rita@example.org")
    open_old = make_call(name="Owen Open", email="owen@example.org")
    CallForScrutiny.objects.filter(pk=open_old.pk).update(
        submitted_at=timezone.now() - LONG_AGO, status_changed_at=timezone.now() - LONG_AGO
    )

    appealed, _ = decided_call(staff, name="Ada Appealed", email="ada@example.org")
    appeal = submit_appeal(appealed, evidence=[pdf("ombudsman.pdf")])
    Appeal.objects.filter(pk=appeal.pk).update(
        status="decided",
        outcome="dismissed",
        decision_reasons="Out of time.",
        decided_at=timezone.now() - LONG_AGO,
    )
    backdate_decision(appealed, LONG_AGO)
    window_recent, _ = decided_call(staff, name="Wendy Window", email="wendy@example.org")
    backdate_decision(window_recent, RECENTLY)
    appeal_pending, _ = decided_call(staff, name="Pat Pending", email="pat@example.org")
    submit_appeal(appeal_pending)
    backdate_decision(appeal_pending, LONG_AGO)

    old_declined = declined_application(
        LONG_AGO,
        staff["officer"],
        name="Dan Declined",
        email="dan@example.org",
        phone="0151 000 0002",
        postcode="L2 2BB",
    )
    recent_declined = declined_application(
        RECENTLY, staff["officer"], name="Rae Declined", email="rae@example.org"
    )
    old_received = make_application(name="Ria Received", email="ria@example.org")
    PanelApplication.objects.filter(pk=old_received.pk).update(
        submitted_at=timezone.now() - LONG_AGO
    )

    old_petition = closed_petition(
        staff,
        LONG_AGO,
        [
            ("Sid Signer", "sid@example.org"),
            ("Sue Signer", "sue@example.org"),
            ("Sly Signer", "sly@spam.example"),
        ],
    )
    recent_petition = closed_petition(staff, RECENTLY, [("Ray Signer", "ray@example.org")])
    return locals()


@pytest.mark.django_db
def test_months_before_keeps_the_day_or_takes_the_last_of_a_short_month():
    moment = timezone.make_aware(timezone.datetime(2026, 3, 31, 12))
    assert months_before(moment, 1).date().isoformat() == "2026-02-28"
    assert months_before(moment, 24).date().isoformat() == "2024-03-31"
    assert months_before(moment, 3).date().isoformat() == "2025-12-31"


@pytest.mark.django_db
def test_retention_anonymises_exactly_the_records_past_their_time(
    data_set, django_capture_on_commit_callbacks
):
    d = data_set
    before = statistics()
    evidence_file = d["old_closed"].evidence.get().file.name
    appeal_file = AppealEvidence.objects.get(appeal=d["appeal"]).file.name
    private = storages["scrutiny_private"]
    assert private.exists(evidence_file) and private.exists(appeal_file)

    with django_capture_on_commit_callbacks(execute=True):
        report = pipeline.retention_apply()

    assert report["calls"] == 2  # the old closed call and the old, finished appeal
    assert report["appeals"] == 1
    assert report["applications"] == 1
    assert report["petitions"] == 1
    assert report["signatures"] == 4  # three online, one on paper
    assert report["files_deleted"] == 2
    assert report["call_notes"] == 1
    assert report["history_rows"] > 10

    for key in ["old_closed", "appealed"]:
        call = CallForScrutiny.objects.get(pk=d[key].pk)
        assert call.anonymised_at is not None
        assert (call.name, call.email, call.phone, call.address, call.postcode) == (
            "Anonymised",
            "",
            "",
            "",
            "",
        )
        assert call.concerns == "Anonymised"
        rows = call.history.all()
        assert rows.count() >= 2
        assert set(rows.values_list("name", flat=True)) == {"Anonymised"}
        assert set(rows.values_list("email", flat=True)) == {""}
        assert set(rows.values_list("concerns", flat=True)) == {"Anonymised"}
    assert set(
        CallNote.history.filter(call_id=d["old_closed"].pk).values_list("text", flat=True)
    ) == {"Anonymised"}
    assert CallNote.objects.get(call=d["old_closed"]).text == "Anonymised"
    assert not private.exists(evidence_file) and not private.exists(appeal_file)
    assert set(
        CallEvidence.history.filter(call_id=d["old_closed"].pk).values_list("file", flat=True)
    ) == {""}
    appeal = Appeal.objects.get(pk=d["appeal"].pk)
    assert appeal.grounds == "Anonymised" and appeal.decision_reasons == "Out of time."
    assert set(appeal.history.values_list("grounds", flat=True)) == {"Anonymised"}
    for revision in Revision.objects.for_instance(d["appealed"]):
        assert revision.content["name"] == "Anonymised" and revision.content["email"] == ""
    assert not SentEmail.objects.filter(to__icontains="ada@example.org").exists()
    assert not SentEmail.objects.filter(to__icontains="olive@example.org").exists()
    assert (
        SentEmail.objects.get(key=f"call:{d['old_closed'].pk}:acknowledgement").to == "Anonymised"
    )

    application = PanelApplication.objects.get(pk=d["old_declined"].pk)
    assert (application.name, application.email, application.phone, application.postcode) == (
        "Anonymised",
        "",
        "",
        "",
    )
    assert application.why_join == "Anonymised" and application.stage == "declined"
    assert history_names(PanelApplication, application.pk) == {"Anonymised"}
    assert not ModelLogEntry.objects.filter(label__contains="Dan Declined").exists()

    signatures = PetitionSignature.objects.filter(petition=d["old_petition"])
    assert set(signatures.values_list("name", flat=True)) == {"Anonymised"}
    assert set(signatures.values_list("postcode", flat=True)) == {""}
    assert set(signatures.values_list("ip_address", flat=True)) == {None}
    assert all(
        e.endswith("@anonymised.invalid") for e in signatures.values_list("email", flat=True)
    )
    assert set(
        PetitionSignature.history.filter(petition_id=d["old_petition"].pk).values_list(
            "name", flat=True
        )
    ) == {"Anonymised"}
    invalidation = ModelLogEntry.objects.get(
        object_id=str(d["old_petition"].pk), action="scrutiny.petition.invalidate"
    )
    assert "Sly" not in json.dumps(invalidation.data)

    # Nothing recent, open or still appealable is touched, nor its history.
    untouched = {
        "recent_closed": "Rita Recent",
        "open_old": "Owen Open",
        "window_recent": "Wendy Window",
        "appeal_pending": "Pat Pending",
    }
    for key, name in untouched.items():
        call = CallForScrutiny.objects.get(pk=d[key].pk)
        assert call.name == name and call.anonymised_at is None
        assert history_names(CallForScrutiny, call.pk) == {name}
    for key, name in {"recent_declined": "Rae Declined", "old_received": "Ria Received"}.items():
        assert PanelApplication.objects.get(pk=d[key].pk).name == name
        assert history_names(PanelApplication, d[key].pk) == {name}
    assert set(
        PetitionSignature.objects.filter(petition=d["recent_petition"]).values_list(
            "name", flat=True
        )
    ) == {"Ray Signer"}
    # The petition's starter is a call still in gathering evidence: kept.
    assert CallForScrutiny.objects.get(pk=d["old_petition"].call_id).name == "Petition Starter"

    assert statistics() == before
    action = PrivacyAction.objects.get()
    assert action.kind == "retention" and action.user is None and action.counts == report
    assert ModelLogEntry.objects.filter(action="scrutiny.privacy.retention").count() == 1


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_reports_nothing(data_set):
    pipeline.retention_apply()
    history_rows = CallForScrutiny.history.count() + PetitionSignature.history.count()
    report = apply_retention()
    assert set(report.values()) == {0}
    assert CallForScrutiny.history.count() + PetitionSignature.history.count() == history_rows
    assert PrivacyAction.objects.count() == 1


@pytest.mark.django_db
def test_the_retention_period_comes_from_the_settings(data_set):
    from scrutiny.models import ScrutinySettings

    settings = ScrutinySettings.load()
    settings.data_retention_months = 120
    settings.save()
    assert set(pipeline.retention_apply().values()) == {0}
    assert CallForScrutiny.objects.get(pk=data_set["old_closed"].pk).name == "Olive Closed"


@pytest.mark.django_db
def test_the_command_prints_the_report_and_the_task_is_scheduled_daily(data_set, capsys):
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "calls: 2" in out and "Nothing was changed" in out
    assert CallForScrutiny.objects.get(pk=data_set["old_closed"].pk).anonymised_at is None
    call_command("apply_retention")
    out = capsys.readouterr().out
    assert "calls: 2" in out and "signatures: 4" in out and "Anonymised." in out
    call_command("apply_retention")
    assert "Nothing was due; nothing changed." in capsys.readouterr().out
    schedule = Schedule.objects.get(func="scrutiny.tasks.apply_retention")
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1


# --- Subject export and erasure -------------------------------------------------------


@pytest.fixture
def two_people(staff):
    """Aisha and Ben, whose records overlap: each signed the other's petition."""
    aisha_call = make_call(
        name="Aisha Khan",
        email="Aisha.Khan@Example.org",
        phone="0151 111 1111",
        address="7 Elm Court",
        postcode="L7 7AA",
        evidence=[pdf("aisha-letter.pdf")],
    )
    pipeline.call_add_note(
        call=aisha_call, text="Aisha prefers phone calls.", user=staff["officer"]
    )
    ben_call = make_call(
        name="Ben Jones",
        email="ben.jones@example.org",
        phone="0151 222 2222",
        address="9 Oak Court",
        postcode="L9 9BB",
        households_affected=30,
        others_affected=True,
    )
    pipeline.call_add_note(call=ben_call, text="Ben is hard of hearing.", user=staff["officer"])
    for call in [aisha_call, ben_call]:
        pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    ben_petition = pipeline.petition_open(
        call=ben_call, user=staff["officer"], title="Mend the lifts", summary="Lifts broken."
    )
    aisha_petition = pipeline.petition_open(
        call=aisha_call, user=staff["officer"], title="Stop the damp", summary="Damp."
    )
    aisha_signs = pipeline.petition_sign(
        petition=ben_petition, name="Aisha Khan", email="aisha.khan@example.org", postcode="L7 7AA"
    )
    pipeline.signature_confirm(token=aisha_signs.token)
    ben_signs = pipeline.petition_sign(
        petition=aisha_petition, name="Ben Jones", email="ben.jones@example.org", postcode="L9 9BB"
    )
    pipeline.signature_confirm(token=ben_signs.token)
    for call in [aisha_call, ben_call]:
        SentEmail.objects.create(
            key=f"call:{call.pk}:acknowledgement",
            to=call.email,
            subject=f"We have received your Community Call for Scrutiny {call.reference}",
        )
    SentEmail.objects.create(key="other", to="ben.jones@example.org, x@example.org", subject="Ben")
    aisha_application = make_application(
        name="Aisha Khan", email="AISHA.KHAN@example.org", phone="0151 111 1111"
    )
    make_application(name="Ben Jones", email="ben.jones@example.org")
    aisha_user = make_user("aisha.khan", group="Panel members", first_name="Aisha")
    aisha_user.email = "aisha.khan@example.org"
    aisha_user.save()
    member = make_member(user=aisha_user)
    claim = pipeline.expense_submit(
        user=aisha_user,
        spent_on=timezone.localdate(),
        description="Bus fare",
        amount=Decimal("4.50"),
        receipt=receipt(),
    )
    return locals()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


URL = "/admin/scrutiny/personal-data/"


@pytest.mark.django_db
def test_the_export_holds_every_record_of_that_person_and_nobody_elses(client, staff, two_people):
    login(client, staff["officer"])
    response = client.post(URL + "export/", {"email": " aisha.khan@EXAMPLE.org "})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "aisha" not in response["Content-Disposition"].lower()
    text = response.content.decode()
    document = json.loads(text)

    [call] = document["calls"]
    assert call["reference"] == two_people["aisha_call"].reference
    assert call["phone"] == "0151 111 1111" and call["address"] == "7 Elm Court"
    assert [n["text"] for n in call["notes"]] == ["Aisha prefers phone calls."]
    assert [e["original_name"] for e in call["evidence"]] == ["aisha-letter.pdf"]
    assert call["history"] and call["history"][0]["change"] == "created"
    assert call["history"][-1]["status"] == "Gathering evidence"
    [signature] = document["petition_signatures"]
    assert signature["petition"]["title"] == "Mend the lifts"
    assert signature["history"]
    [application] = document["panel_applications"]
    assert application["phone"] == "0151 111 1111" and application["history"]
    member = document["panel_member"]
    assert member["account"]["username"] == "aisha.khan" and member["history"]
    assert [c["description"] for c in member["expense_claims"]] == ["Bus fare"]
    assert member["expense_claims"][0]["history"]
    assert any("received your Community Call" in e["subject"] for e in document["emails_sent"])

    for of_ben in ["Ben", "ben.jones", "0151 222 2222", "9 Oak Court", "L9 9BB", "hard of hearing"]:
        assert of_ben not in text
    assert two_people["ben_call"].reference not in text

    action = PrivacyAction.objects.get()
    assert action.kind == "export" and action.user == staff["officer"]
    assert action.counts["calls"] == 1 and action.counts["signatures"] == 1
    entry = ModelLogEntry.objects.get(action="scrutiny.privacy.export")
    assert "aisha" not in json.dumps([action.counts, entry.data, entry.label]).lower()


@pytest.mark.django_db
def test_finding_shows_what_is_held_and_offers_export_and_erasure(client, staff, two_people):
    login(client, staff["officer"])
    response = client.post(URL, {"email": "aisha.khan@example.org"})
    assert response.status_code == 200
    content = response.content.decode()
    assert two_people["aisha_call"].reference in content
    assert "Mend the lifts" in content and "Download everything (JSON)" in content
    assert two_people["ben_call"].reference not in content
    response = client.post(URL, {"email": "nobody@example.org"})
    content = response.content.decode()
    assert "Nothing is held about" in content and "nobody@example.org" in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email, message",
    [
        ("", "Enter the email address the person gave us."),
        ("   ", "Enter the email address the person gave us."),
        ("not-an-address", "Enter an email address in the right form"),
    ],
)
def test_a_bad_address_is_explained_on_the_page(client, staff, two_people, email, message):
    login(client, staff["officer"])
    for url in [URL, URL + "export/", URL + "erase/"]:
        response = client.post(url, {"email": email, "confirm": "yes"})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert CallForScrutiny.objects.filter(anonymised_at__isnull=False).count() == 0
    assert not PrivacyAction.objects.exists()


@pytest.mark.django_db
def test_erasure_asks_first_then_erases_that_person_only_and_is_recorded(
    client, staff, two_people, django_capture_on_commit_callbacks
):
    p = two_people
    login(client, staff["officer"])
    response = client.post(URL + "erase/", {"email": "aisha.khan@example.org"})
    content = response.content.decode()
    assert "This cannot be undone" in content and p["aisha_call"].reference in content
    assert "Yes, erase permanently" in content and "expense claims" in content
    assert CallForScrutiny.objects.get(pk=p["aisha_call"].pk).name == "Aisha Khan"

    evidence_file = CallEvidence.objects.get(call=p["aisha_call"]).file.name
    assert storages["scrutiny_private"].exists(evidence_file)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL + "erase/", {"email": "aisha.khan@example.org", "confirm": "yes"}
        )
    assert response.status_code == 302
    assert not storages["scrutiny_private"].exists(evidence_file)
    call = CallForScrutiny.objects.get(pk=p["aisha_call"].pk)
    assert (call.name, call.email, call.phone, call.address) == ("Anonymised", "", "", "")
    assert call.status == CallStatus.GATHERING_EVIDENCE  # the process carries on
    assert history_names(CallForScrutiny, call.pk) == {"Anonymised"}
    last = call.history.first()
    assert (
        last.history_user == staff["officer"] and last.history_change_reason == "Erased on request"
    )
    assert CallNote.objects.get(call=call).text == "Anonymised"
    assert PetitionSignature.objects.get(pk=p["aisha_signs"].pk).name == "Anonymised"
    assert history_names(PetitionSignature, p["aisha_signs"].pk) == {"Anonymised"}
    assert PanelApplication.objects.get(pk=p["aisha_application"].pk).name == "Anonymised"
    assert not SentEmail.objects.filter(to__icontains="aisha.khan@").exists()
    # Kept: the member and their claims; and everything of Ben's.
    assert ExpenseClaim.objects.get(pk=p["claim"].pk).description == "Bus fare"
    assert CallForScrutiny.objects.get(pk=p["ben_call"].pk).name == "Ben Jones"
    assert PetitionSignature.objects.get(pk=p["ben_signs"].pk).name == "Ben Jones"
    assert PanelApplication.objects.get(email="ben.jones@example.org").name == "Ben Jones"
    assert pipeline.petition_count(p["ben_petition"]) == 1

    action = PrivacyAction.objects.get()
    assert action.kind == "erasure" and action.user == staff["officer"]
    assert action.counts["calls"] == 1 and action.counts["signatures"] == 1
    entry = ModelLogEntry.objects.get(action="scrutiny.privacy.erasure")
    assert entry.user == staff["officer"]
    recorded = json.dumps([action.counts, entry.data, entry.label, str(action)]).lower()
    assert "aisha" not in recorded

    opened = client.get(reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[call.pk]))
    on = timezone.localtime(call.anonymised_at)
    assert f"personal details anonymised on {on:%-d %B %Y}" in opened.content.decode()

    page = client.get(URL).content.decode()
    assert "Erasure on request" in page
    response = client.post(URL, {"email": "aisha.khan@example.org"})
    content = response.content.decode()
    assert p["aisha_call"].reference not in content and "aisha.khan" in content  # the member


@pytest.mark.django_db
def test_only_officers_reach_the_screen_and_nothing_changes_by_get(client, staff, two_people):
    for role in ["panel", "appeal", "manager", "comms"]:
        login(client, staff[role])
        assert admin_refusal(client.get(URL))
        assert admin_refusal(client.post(URL + "export/", {"email": "aisha.khan@example.org"}))
        response = client.post(
            URL + "erase/", {"email": "aisha.khan@example.org", "confirm": "yes"}
        )
        assert admin_refusal(response)
        client.logout()
    login(client, staff["officer"])
    assert client.get(URL).status_code == 200
    assert (
        client.get(
            URL + "erase/", {"email": "aisha.khan@example.org", "confirm": "yes"}
        ).status_code
        == 405
    )
    assert client.get(URL + "export/", {"email": "aisha.khan@example.org"}).status_code == 405
    assert CallForScrutiny.objects.get(pk=two_people["aisha_call"].pk).name == "Aisha Khan"
    assert not PrivacyAction.objects.exists()
    client.logout()
    assert client.post(URL + "erase/", {"email": "a@example.org"}).status_code == 302


@pytest.mark.django_db
def test_the_csrf_token_is_required_to_erase(staff, two_people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, staff["officer"])
    response = client.post(URL + "erase/", {"email": "aisha.khan@example.org", "confirm": "yes"})
    assert response.status_code == 403
    assert CallForScrutiny.objects.get(pk=two_people["aisha_call"].pk).name == "Aisha Khan"


@pytest.mark.django_db
def test_the_menu_item_is_shown_to_officers_only(client, staff):
    login(client, staff["officer"])
    assert "Personal data" in client.get("/admin/").content.decode()
    client.logout()
    login(client, staff["manager"])
    assert URL not in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_the_pipeline_refuses_those_without_the_permission(staff, two_people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        pipeline.subject_erase(email="aisha.khan@example.org", user=staff["manager"])
    with pytest.raises(PermissionDenied):
        pipeline.subject_export(email="aisha.khan@example.org", user=staff["panel"])


@pytest.mark.django_db
def test_erasure_takes_the_same_persons_paper_signature_too_and_keeps_the_count(staff, two_people):
    p = two_people
    petition = p["ben_petition"]
    paper = pipeline.signature_add_paper(
        petition=petition, name="aisha KHAN", postcode="l77aa", user=staff["officer"]
    )
    stranger = pipeline.signature_add_paper(
        petition=petition, name="Aisha Khan", postcode="L8 8AA", user=staff["officer"]
    )
    assert pipeline.petition_count(petition) == 2  # Aisha online and on paper, and a stranger

    found = pipeline.subject_records(email="aisha.khan@example.org", user=staff["officer"])
    assert {s.pk for s in found.signatures} == {p["aisha_signs"].pk, paper.pk}
    pipeline.subject_erase(email="aisha.khan@example.org", user=staff["officer"])

    paper.refresh_from_db()
    assert paper.name == "Anonymised" and paper.anonymised_at is not None
    assert PetitionSignature.objects.get(pk=stranger.pk).name == "Aisha Khan"
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.people_counted == pipeline.petition_count(petition) == 2
