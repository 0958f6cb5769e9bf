"""Responses, action plans, progress, the panel's agreement and completion: through the
pipeline and through the admin screens, with permissions per group and history."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from scrutiny import pipeline, selectors
from scrutiny.models import (
    ActionItem,
    ActionStatus,
    CallStatus,
    Recommendation,
    RecommendationResponse,
    ReviewStatus,
    ScrutinyReviewPage,
)
from tests.conftest import PASSWORD, make_head_of_operations, make_user
from tests.scrutiny.action_plan_builders import make_reported_review, respond_and_plan
from tests.scrutiny.builders import decide, make_accepted_call, make_call

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def recs(review):
    return list(Recommendation.objects.filter(page=review).order_by("sort_order", "pk"))


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def serious_failure(staff):
    call = make_call()
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    pipeline.call_move(call=call, transition="send_to_panel", user=staff["officer"])
    return decide(
        call,
        outcome="serious_failure",
        user=staff["panel"],
        reasons="Residents left without heating.",
        immediate_recommendations="Restore heating within 48 hours.",
    )


# Responses.


def test_a_manager_responds_and_the_history_and_log_name_them(staff, home_page):
    review = make_reported_review(home_page)
    rec = recs(review)[0]

    response = pipeline.recommendation_respond(
        recommendation=rec, decision="partly_accepted", reasons="Cost.", user=staff["manager"]
    )

    assert response.get_decision_display() == "Partly accepted"
    assert response.responded_by == staff["manager"]
    assert response.history.first().history_user == staff["manager"]
    assert PageLogEntry.objects.filter(
        page=review, action="scrutiny.recommendation.respond", user=staff["manager"]
    ).exists()


def test_the_responsible_head_of_operations_may_respond_without_being_a_manager(staff, home_page):
    review = make_reported_review(home_page)
    head = review.business_area.head_of_operations  # an account in no group
    rec = recs(review)[0]
    pipeline.recommendation_respond(
        recommendation=rec, decision="accepted", reasons="Yes.", user=head
    )
    assert rec.response.decision == "accepted"


@pytest.mark.parametrize("role", ["officer", "panel", "appeal", "comms"])
def test_others_may_not_respond(staff, home_page, role):
    rec = recs(make_reported_review(home_page))[0]
    with pytest.raises(PermissionDenied):
        pipeline.recommendation_respond(
            recommendation=rec, decision="accepted", reasons="Yes.", user=staff[role]
        )
    assert not RecommendationResponse.objects.exists()


def test_no_response_before_the_report_is_published(staff, home_page):
    review = make_reported_review(home_page, status=ReviewStatus.REPORTING)
    with pytest.raises(pipeline.ActionRefused, match="not published"):
        pipeline.recommendation_respond(
            recommendation=recs(review)[0], decision="accepted", reasons="Y", user=staff["manager"]
        )


def test_a_response_needs_reasons_and_a_change(staff, home_page):
    rec = recs(make_reported_review(home_page))[0]
    with pytest.raises(pipeline.ActionRefused, match="reasons"):
        pipeline.recommendation_respond(
            recommendation=rec, decision="accepted", reasons="  ", user=staff["manager"]
        )
    pipeline.recommendation_respond(
        recommendation=rec, decision="accepted", reasons="Yes", user=staff["manager"]
    )
    with pytest.raises(pipeline.ActionRefused, match="Nothing was changed"):
        pipeline.recommendation_respond(
            recommendation=rec, decision="accepted", reasons="Yes", user=staff["manager"]
        )


def test_not_accepted_is_refused_while_actions_are_open(staff, home_page):
    rec = recs(make_reported_review(home_page))[0]
    respond_and_plan(rec, staff["manager"])
    with pytest.raises(pipeline.ActionRefused, match="open actions"):
        pipeline.recommendation_respond(
            recommendation=rec, decision="not_accepted", reasons="No", user=staff["manager"]
        )


# Actions.


def test_an_action_defaults_its_owner_to_the_responsible_person(staff, home_page):
    review = make_reported_review(home_page)
    rec = recs(review)[0]
    [item] = respond_and_plan(rec, staff["manager"])
    assert item.owner == review.business_area.head_of_operations
    assert (item.owner_name, item.owner_email) == ("Dana Price", "dana.price@example.org")
    lee = make_head_of_operations("lee.hart", "Lee", "Hart")
    rec.responsible = lee
    rec.save()
    second = pipeline.action_add(
        recommendation=rec, action="Survey", due_on=TODAY(), user=staff["officer"]
    )
    assert second.owner == lee
    assert (second.owner_name, second.owner_email) == ("Lee Hart", "lee.hart@example.org")
    assert second.history.first().history_user == staff["officer"]
    assert PageLogEntry.objects.filter(
        page=review, action="scrutiny.action.add", user=staff["officer"]
    ).exists()


def test_actions_need_an_accepted_response(staff, home_page):
    rec = recs(make_reported_review(home_page))[0]
    with pytest.raises(pipeline.ActionRefused, match="Record the response first"):
        pipeline.action_add(recommendation=rec, action="X", due_on=TODAY(), user=staff["manager"])
    pipeline.recommendation_respond(
        recommendation=rec, decision="not_accepted", reasons="No", user=staff["manager"]
    )
    with pytest.raises(pipeline.ActionRefused):
        pipeline.action_add(recommendation=rec, action="X", due_on=TODAY(), user=staff["manager"])
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("role", ["panel", "appeal", "comms"])
def test_only_officers_and_managers_add_actions(staff, home_page, role):
    rec = recs(make_reported_review(home_page))[0]
    pipeline.recommendation_respond(
        recommendation=rec, decision="accepted", reasons="Y", user=staff["manager"]
    )
    with pytest.raises(PermissionDenied):
        pipeline.action_add(recommendation=rec, action="X", due_on=TODAY(), user=staff[role])


def test_an_owner_is_an_account_that_can_sign_in_to_the_admin(staff, home_page):
    rec = recs(make_reported_review(home_page))[0]
    pipeline.recommendation_respond(
        recommendation=rec, decision="accepted", reasons="Y", user=staff["manager"]
    )
    no_access = make_user("sam", first_name="Sam", last_name="Hill")  # in no group
    left = make_user("kim", group="Managers", first_name="Kim", last_name="Lo", is_active=False)
    for owner in [no_access, left]:
        with pytest.raises(pipeline.ActionRefused, match="cannot sign in to the admin"):
            pipeline.action_add(
                recommendation=rec, action="X", due_on=TODAY(), owner=owner, user=staff["manager"]
            )
    assert not ActionItem.objects.exists()
    item = pipeline.action_add(
        recommendation=rec, action="X", due_on=TODAY(), owner=staff["comms"], user=staff["manager"]
    )
    assert item.owner == staff["comms"]


def test_progress_done_sets_the_day_and_reopening_clears_it(staff, home_page):
    rec = recs(make_reported_review(home_page))[0]
    [item] = respond_and_plan(rec, staff["manager"])
    item = pipeline.action_progress(
        item=item, status="in_progress", note="Contractor booked.", user=staff["officer"]
    )
    assert item.completed_on is None
    assert "Contractor booked." in item.progress_notes
    item = pipeline.action_progress(item=item, status="done", user=staff["officer"])
    assert item.completed_on == timezone.localdate()
    with pytest.raises(pipeline.ActionRefused, match="done cannot be marked cancelled"):
        pipeline.action_progress(item=item, status="cancelled", note="x", user=staff["officer"])
    item = pipeline.action_progress(
        item=item, status="in_progress", note="Mould came back.", user=staff["manager"]
    )
    assert item.completed_on is None
    assert item.history.first().history_user == staff["manager"]


def test_cancelling_needs_a_reason(staff, home_page):
    rec = recs(make_reported_review(home_page))[0]
    [item] = respond_and_plan(rec, staff["manager"])
    with pytest.raises(pipeline.ActionRefused, match="why the action is cancelled"):
        pipeline.action_progress(item=item, status="cancelled", user=staff["manager"])
    item.refresh_from_db()
    assert item.status == ActionStatus.NOT_STARTED


# The panel's agreement.


def test_the_panel_agrees_and_a_later_change_is_flagged(staff, home_page):
    rec = recs(make_reported_review(home_page))[0]
    [item] = respond_and_plan(rec, staff["manager"])
    with pytest.raises(PermissionDenied):
        pipeline.action_plan_agree(recommendation=rec, user=staff["manager"])

    response = pipeline.action_plan_agree(recommendation=rec, user=staff["panel"])
    assert response.plan_agreed_by == staff["panel"]
    assert not response.changed_since_agreed
    with pytest.raises(pipeline.ActionRefused, match="already agreed"):
        pipeline.action_plan_agree(recommendation=rec, user=staff["panel"])

    # Progress is not a change to the plan.
    pipeline.action_progress(item=item, status="in_progress", user=staff["officer"])
    response.refresh_from_db()
    assert not response.changed_since_agreed

    pipeline.action_change(
        item=item,
        action=item.action,
        owner=item.owner,
        due_on=item.due_on + datetime.timedelta(days=14),
        user=staff["officer"],
    )
    response.refresh_from_db()
    assert response.changed_since_agreed
    changed = item.history.order_by("-history_date").first()
    assert changed.history_user == staff["officer"]
    assert changed.due_on == item.due_on + datetime.timedelta(days=14)

    response = pipeline.action_plan_agree(recommendation=rec, user=staff["panel"])
    assert not response.changed_since_agreed


def test_no_plan_to_agree_without_actions(staff, home_page):
    rec = recs(make_reported_review(home_page))[0]
    pipeline.recommendation_respond(
        recommendation=rec, decision="accepted", reasons="Y", user=staff["manager"]
    )
    with pytest.raises(pipeline.ActionRefused, match="no actions"):
        pipeline.action_plan_agree(recommendation=rec, user=staff["panel"])


# Completion.


def test_the_review_completes_and_its_calls_close_when_every_action_is_done(staff, home_page):
    call = make_accepted_call(staff)
    type(call).objects.filter(pk=call.pk).update(status=CallStatus.REPORTED)
    call.refresh_from_db()
    review = make_reported_review(home_page, recommendations=3, calls=[call])
    first, second, third = recs(review)
    [a1, a2] = respond_and_plan(first, staff["manager"], actions=2)
    [b1] = respond_and_plan(second, staff["manager"], decision="partly_accepted")
    pipeline.recommendation_respond(
        recommendation=third, decision="not_accepted", reasons="No", user=staff["manager"]
    )
    pipeline.action_progress(item=a1, status="done", user=staff["officer"])
    pipeline.action_progress(item=a2, status="cancelled", note="Merged.", user=staff["officer"])
    review.refresh_from_db()
    assert review.status == ReviewStatus.REPORTED

    pipeline.action_progress(item=b1, status="done", user=staff["officer"])

    review.refresh_from_db()
    assert review.status == ReviewStatus.COMPLETED
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED
    assert call.history.first().history_user == staff["officer"]
    assert PageLogEntry.objects.filter(page=review, action="scrutiny.review.complete").exists()

    # Reopening an action moves the review back; the call stays closed.
    pipeline.action_progress(
        item=b1, status="in_progress", note="Not fixed.", user=staff["officer"]
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.REPORTED
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED


def test_not_complete_while_a_recommendation_awaits_its_response(staff, home_page):
    review = make_reported_review(home_page, recommendations=2)
    first, _second = recs(review)
    [item] = respond_and_plan(first, staff["manager"])
    pipeline.action_progress(item=item, status="done", user=staff["officer"])
    review.refresh_from_db()
    assert review.status == ReviewStatus.REPORTED
    assert not pipeline.review_plan_complete(review)


# Serious failures.


def test_serious_failure_actions_default_to_the_head_of_operations(staff, home_page):
    decision = serious_failure(staff)
    item = pipeline.action_add(
        decision=decision, action="Fix the boilers", due_on=TODAY(), user=staff["officer"]
    )
    assert item.owner == decision.call.business_area.head_of_operations
    assert item.owner_email == "dana.price@example.org"
    assert item.recommendation is None
    with pytest.raises(PermissionDenied):
        pipeline.action_add(decision=decision, action="X", due_on=TODAY(), user=staff["panel"])


def test_only_serious_failures_have_their_own_actions(staff, home_page):
    call = make_accepted_call(staff)
    decision = call.decisions.get()
    with pytest.raises(pipeline.ActionRefused, match="serious-failure"):
        pipeline.action_add(decision=decision, action="X", due_on=TODAY(), user=staff["officer"])


# The admin screens.


def test_a_manager_records_a_response_and_an_action_through_the_admin(client, staff, home_page):
    review = make_reported_review(home_page, recommendations=1)
    rec = recs(review)[0]
    login(client, staff["manager"])

    url = reverse("scrutiny_actions:respond", args=[rec.pk])
    response = client.post(url, {"decision": "accepted", "reasons": ""})
    assert response.status_code == 200
    assert "Give the reasons for the response." in response.content.decode()
    assert not RecommendationResponse.objects.exists()

    response = client.post(url, {"decision": "accepted", "reasons": "We will."})
    assert response.status_code == 302
    assert rec.response.history.first().history_user == staff["manager"]

    add = reverse("scrutiny_actions:add", args=[rec.pk])
    response = client.post(add, {"action": "Fit extractor fans", "due_on": "not a date"})
    assert "Give the due date as a real date" in response.content.decode()
    assert not ActionItem.objects.exists()
    due = (TODAY() + datetime.timedelta(days=60)).isoformat()
    response = client.post(add, {"action": "Fit extractor fans", "due_on": due})
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.owner_name == "Dana Price"
    assert item.history.first().history_user == staff["manager"]

    page = client.get(reverse("scrutiny_actions:review", args=[review.pk])).content.decode()
    assert "Fit extractor fans" in page
    assert f'href="{reverse("scrutiny_actions:index")}"' in page  # the breadcrumb to every plan
    assert "Record the response" not in page and "Change the response" in page
    assert "Agree the plan" not in page


def test_the_responsible_head_of_operations_opens_and_answers_their_plan_in_no_staff_group(
    client, staff, home_page
):
    review = make_reported_review(home_page, recommendations=1)
    rec = recs(review)[0]
    head = make_user("dana", group="Communications")  # admin access, no scrutiny permissions
    review.business_area.head_of_operations = head
    review.business_area.save()
    login(client, head)

    page = client.get(reverse("scrutiny_actions:review", args=[review.pk]))
    assert page.status_code == 200 and "Record the response" in page.content.decode()
    index = reverse("scrutiny_actions:index")
    assert f'href="{index}"' not in page.content.decode()  # no link they could not follow
    response = client.post(
        reverse("scrutiny_actions:respond", args=[rec.pk]),
        {"decision": "accepted", "reasons": "We will fit fans."},
    )
    assert response.status_code == 302
    assert rec.response.responded_by == head
    due = (TODAY() + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("scrutiny_actions:add", args=[rec.pk]), {"action": "Fit fans", "due_on": due}
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert client.get(reverse("scrutiny_actions:progress", args=[item.pk])).status_code == 200

    # Only their own plan: not the list of every plan, nor a plan someone else answers for.
    def refused(name, pk=None):
        # Wagtail answers a refusal in the admin by sending the user to the dashboard.
        response = client.get(reverse(f"scrutiny_actions:{name}", args=[pk] if pk else []))
        return response.status_code == 302 and response["Location"] == "/admin/"

    assert refused("index")
    Recommendation.objects.filter(pk=rec.pk).update(
        responsible=make_head_of_operations("lee", "Lee", "Hart")
    )
    assert refused("review", review.pk)
    assert refused("respond", rec.pk)
    assert refused("progress", item.pk)
    assert refused("review", 99999)  # no telling which reviews exist


def test_an_officer_updates_progress_and_the_history_shows_it(client, staff, home_page):
    review = make_reported_review(home_page)
    rec = recs(review)[0]
    [item] = respond_and_plan(rec, staff["manager"])
    login(client, staff["officer"])
    url = reverse("scrutiny_actions:progress", args=[item.pk])

    response = client.post(url, {"status": "cancelled", "note": ""})
    assert "why the action is cancelled" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ActionStatus.NOT_STARTED

    response = client.post(url, {"status": "done", "note": "Fans fitted in 40 homes."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE
    page = client.get(reverse("scrutiny_actions:review", args=[review.pk])).content.decode()
    assert "Fans fitted in 40 homes." in page
    assert "Status: Not started → Done" in page
    assert "officer" in page


def test_the_panel_agrees_through_the_admin_and_sees_no_edit_buttons(client, staff, home_page):
    review = make_reported_review(home_page)
    rec = recs(review)[0]
    [item] = respond_and_plan(rec, staff["manager"])
    login(client, staff["panel"])
    page = client.get(reverse("scrutiny_actions:review", args=[review.pk])).content.decode()
    assert "Agree the plan" in page
    assert "Update progress" not in page and "Add an action" not in page

    response = client.post(reverse("scrutiny_actions:agree", args=[rec.pk]))
    assert response.status_code == 302
    rec.response.refresh_from_db()
    assert rec.response.plan_agreed_by == staff["panel"]

    response = client.post(reverse("scrutiny_actions:progress", args=[item.pk]), {"status": "done"})
    item.refresh_from_db()
    assert item.status == ActionStatus.NOT_STARTED


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("officer", True),
        ("manager", True),
        ("panel", True),
        ("admin", True),
        ("appeal", False),
        ("comms", False),
    ],
)
def test_who_sees_action_plans(client, staff, home_page, role, sees):
    review = make_reported_review(home_page)
    respond_and_plan(recs(review)[0], staff["manager"])
    login(client, staff[role])
    for url in [
        reverse("scrutiny_actions:index"),
        reverse("scrutiny_actions:review", args=[review.pk]),
    ]:
        response = client.get(url)
        if sees:
            assert response.status_code == 200
            assert review.title in response.content.decode()
        else:
            assert response.status_code == 302  # Wagtail's "no permission" redirect
            assert review.title not in client.get(response.url).content.decode()


@pytest.mark.parametrize("role", ["appeal", "comms", "panel"])
def test_the_edit_forms_are_closed_to_those_who_do_not_edit(client, staff, home_page, role):
    review = make_reported_review(home_page)
    rec = recs(review)[0]
    [item] = respond_and_plan(rec, staff["manager"])
    login(client, staff[role])
    for url in [
        reverse("scrutiny_actions:respond", args=[rec.pk]),
        reverse("scrutiny_actions:add", args=[rec.pk]),
        reverse("scrutiny_actions:progress", args=[item.pk]),
        reverse("scrutiny_actions:change", args=[item.pk]),
    ]:
        assert client.post(url, {"decision": "not_accepted", "reasons": "x"}).status_code == 302
    rec.response.refresh_from_db()
    assert rec.response.decision == "accepted"


def test_the_listing_filters_by_owner_status_and_overdue(client, staff, home_page):
    review = make_reported_review(home_page)
    rec = recs(review)[0]
    pipeline.recommendation_respond(
        recommendation=rec, decision="accepted", reasons="Y", user=staff["manager"]
    )
    pipeline.action_add(
        recommendation=rec,
        action="Late survey",
        due_on=TODAY() - datetime.timedelta(days=3),
        user=staff["manager"],
    )
    pipeline.action_add(
        recommendation=rec,
        action="Future training",
        due_on=TODAY() + datetime.timedelta(days=90),
        owner=make_head_of_operations("lee", "Lee", "Hart"),
        user=staff["manager"],
    )
    decision = serious_failure(staff)
    pipeline.action_add(
        decision=decision, action="Restore heating", due_on=TODAY(), user=staff["officer"]
    )
    login(client, staff["officer"])
    url = reverse("scrutiny_actions:index")

    page = client.get(url).content.decode()
    assert "Late survey" in page and "Future training" in page and "Restore heating" in page
    assert "Overdue" in page
    assert re.search(r'scrutiny-tag--new">\s*Not started\s*<', page)

    page = client.get(url, {"overdue": "on"}).content.decode()
    assert "Late survey" in page and "Future training" not in page
    assert "Restore heating" not in page

    lee = ActionItem.objects.get(action="Future training").owner
    page = client.get(url, {"owner": lee.pk}).content.decode()
    assert "Future training" in page and "Late survey" not in page

    page = client.get(url, {"review": review.pk}).content.decode()
    assert "Restore heating" not in page and "Late survey" in page

    page = client.get(url, {"status": "done"}).content.decode()
    assert "No actions match these filters." in page


def test_serious_failure_actions_through_the_admin(client, staff, home_page):
    decision = serious_failure(staff)
    login(client, staff["officer"])
    url = reverse("scrutiny_actions:add_to_decision", args=[decision.pk])
    response = client.post(url, {"action": "", "due_on": TODAY().isoformat()})
    assert "Say what the action is." in response.content.decode()
    response = client.post(url, {"action": "Restore heating", "due_on": TODAY().isoformat()})
    assert response.status_code == 302
    page = client.get(reverse("scrutiny_actions:decision", args=[decision.pk])).content.decode()
    assert "Restore heating" in page and "Dana Price" in page


# Dashboard and public progress.


def test_the_dashboard_lists_overdue_and_due_soon_actions_by_review(client, staff, home_page):
    review = make_reported_review(home_page)
    rec = recs(review)[0]
    pipeline.recommendation_respond(
        recommendation=rec, decision="accepted", reasons="Y", user=staff["manager"]
    )
    for action, days in [("Overdue survey", -2), ("Soon training", 5), ("Far away", 200)]:
        pipeline.action_add(
            recommendation=rec,
            action=action,
            due_on=TODAY() + datetime.timedelta(days=days),
            user=staff["manager"],
        )
    decision = serious_failure(staff)
    pipeline.action_add(
        decision=decision,
        action="Heating restored",
        due_on=TODAY() - datetime.timedelta(days=1),
        user=staff["officer"],
    )
    for role in ["manager", "panel"]:
        login(client, staff[role])
        page = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "Actions overdue or due soon" in page
        assert "Overdue survey" in page and "Soon training" in page and "Far away" not in page
        assert f"Serious failure: {decision.call.reference}" in page
        assert "Heating restored" in page
    # An officer's "Your work" lists the overdue actions; the panel shows the ones due soon, so
    # that each overdue action appears once on the dashboard.
    login(client, staff["officer"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Actions overdue or due soon" not in page and "Actions due soon" in page
    assert "Soon training" in page and "Far away" not in page
    assert page.count("Overdue survey") == 1
    assert page.count("Heating restored") == 1
    login(client, staff["comms"])
    assert (
        "Actions overdue or due soon"
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def render_progress(recommendations):
    template = Template(
        "{% for rec in recommendations %}<li>"
        '{% include "scrutiny/includes/recommendation_progress.html" with recommendation=rec %}'
        "</li>{% endfor %}"
    )
    return template.render(Context({"recommendations": recommendations}))


def test_public_progress_shows_the_response_and_counts_but_no_owner(staff, home_page):
    review = make_reported_review(home_page, recommendations=3)
    first, second, _third = recs(review)
    items = respond_and_plan(first, staff["manager"], actions=3)
    pipeline.action_progress(item=items[0], status="done", user=staff["officer"])
    pipeline.action_progress(item=items[1], status="done", user=staff["officer"])
    ActionItem.objects.filter(pk=items[2].pk).update(due_on=TODAY() - datetime.timedelta(days=1))
    pipeline.recommendation_respond(
        recommendation=second, decision="not_accepted", reasons="Cost.", user=staff["manager"]
    )

    html = render_progress(selectors.recommendations_for_public(review))

    assert "Accepted" in html and "2 of 3 actions done, 1 overdue" in html
    assert "Not accepted" in html
    assert "Response awaited" in html
    assert "dana.price@example.org" not in html and "Dana Price" not in html


def test_public_progress_queries_do_not_grow_with_recommendations(staff, home_page):
    def queries_for(review):
        for rec in recs(review):
            respond_and_plan(rec, staff["manager"], actions=2)
        page = ScrutinyReviewPage.objects.get(pk=review.pk)
        with CaptureQueriesContext(connection) as prefetched:
            render_progress(selectors.recommendations_for_public(page))
        page = ScrutinyReviewPage.objects.get(pk=review.pk)
        with CaptureQueriesContext(connection) as plain:
            render_progress(page.recommendations.all())
        return len(prefetched), len(plain)

    few = queries_for(make_reported_review(home_page, recommendations=1))
    many = queries_for(make_reported_review(home_page, recommendations=6))
    assert few == many
    assert few[0] <= 3


def test_bad_filter_values_and_unpublished_reports_give_no_error(client, staff, home_page):
    draft = make_reported_review(home_page, status=ReviewStatus.REPORTING)
    login(client, staff["manager"])
    for query in [{"review": "abc"}, {"review": "99999"}, {"owner": "Nobody"}, {"status": "x"}]:
        response = client.get(reverse("scrutiny_actions:index"), query)
        assert response.status_code == 200
    rec = recs(draft)[0]
    response = client.post(
        reverse("scrutiny_actions:respond", args=[rec.pk]),
        {"decision": "accepted", "reasons": "Yes"},
        follow=True,
    )
    assert "The report is not published" in response.content.decode()
    assert not RecommendationResponse.objects.exists()
    assert client.get(reverse("scrutiny_actions:review", args=[99999])).status_code == 404
