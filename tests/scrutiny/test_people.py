"""People on the record are accounts, not addresses they can edit.

The issue: an appeal panel member set their own email to a head of operations' and could then
answer recommendations and add actions in their name. Heads of operations, responsible people
and action owners are now user accounts chosen by staff with the right to do so, from the
active staff who can sign in to the admin; changing one's own email grants nothing (and the
account page no longer offers it).
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from scrutiny import permissions, pipeline, tasks
from scrutiny.models import (
    ActionItem,
    BusinessArea,
    Recommendation,
    RecommendationResponse,
    ScrutinyReviewPage,
    eligible_people,
)
from tests.conftest import PASSWORD, make_head_of_operations, make_user
from tests.scrutiny.action_plan_builders import make_reported_review
from tests.scrutiny.review_builders import edit_post, make_programme, make_review, make_year

pytestmark = pytest.mark.django_db

REFUSED = "only active staff who can sign in to the admin can be named on the record"


def due(days: int = 30) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def refused(response) -> bool:
    """Wagtail answers a refusal in the admin by sending the user to the dashboard."""
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.fixture
def plan(home_page):
    """A published report with one recommendation, answered for by Dana Price's account."""
    review = make_reported_review(home_page, recommendations=1)
    return review, Recommendation.objects.get(page=review)


# Who may be named.


def test_the_people_who_may_be_named_are_active_staff_who_can_sign_in(staff):
    dana = make_head_of_operations()  # no group, the admin access permission of her own
    both = make_user("both", group="Managers")
    both.groups.add(*staff["officer"].groups.all())
    resident = make_user("resident")
    gone = make_user("gone", group="Managers", is_active=False)

    people = list(eligible_people())
    assert len(people) == len(set(people))  # once each, whatever their groups
    assert {*staff.values(), dana, both} == set(people)
    assert resident not in people and gone not in people
    for user in [*staff.values(), dana, both, resident, gone]:
        assert permissions.may_be_named(user) == user.has_perm("wagtailadmin.access_admin")


# The forged email of the issue.


def test_an_admin_user_with_the_heads_email_can_neither_open_nor_answer_the_plan(
    client, staff, plan
):
    review, rec = plan
    forger = staff["appeal"]
    forger.email = "Dana.Price@example.org"  # the head of operations' address
    forger.save()
    login(client, forger)

    assert refused(client.get(reverse("scrutiny_actions:review", args=[review.pk])))
    response = client.post(
        reverse("scrutiny_actions:respond", args=[rec.pk]),
        {"decision": "accepted", "reasons": "Forged."},
    )
    assert refused(response)
    assert not RecommendationResponse.objects.exists()
    with pytest.raises(PermissionDenied):
        pipeline.recommendation_respond(
            recommendation=rec, decision="accepted", reasons="Forged.", user=forger
        )

    pipeline.recommendation_respond(
        recommendation=rec, decision="accepted", reasons="We agree.", user=staff["manager"]
    )
    response = client.post(
        reverse("scrutiny_actions:add", args=[rec.pk]), {"action": "Forged", "due_on": due()}
    )
    assert refused(response)
    with pytest.raises(PermissionDenied):
        pipeline.action_add(
            recommendation=rec, action="Forged", due_on=timezone.localdate(), user=forger
        )
    assert not ActionItem.objects.exists()


def test_the_real_head_in_no_scrutiny_group_still_opens_answers_and_plans(client, staff, plan):
    review, rec = plan
    dana = review.business_area.head_of_operations
    assert not dana.groups.exists()
    login(client, dana)

    assert client.get(reverse("scrutiny_actions:review", args=[review.pk])).status_code == 200
    response = client.post(
        reverse("scrutiny_actions:respond", args=[rec.pk]),
        {"decision": "accepted", "reasons": "We will fit fans."},
    )
    assert response.status_code == 302
    assert RecommendationResponse.objects.get().responded_by == dana
    response = client.post(
        reverse("scrutiny_actions:add", args=[rec.pk]), {"action": "Fit fans", "due_on": due()}
    )
    assert response.status_code == 302
    assert ActionItem.objects.get().owner == dana


def test_a_head_who_changes_their_own_email_still_answers(client, staff, plan):
    review, rec = plan
    dana = review.business_area.head_of_operations
    User.objects.filter(pk=dana.pk).update(email="someone.else@example.org")
    pipeline.recommendation_respond(
        recommendation=rec, decision="accepted", reasons="Still me.", user=dana
    )
    assert RecommendationResponse.objects.get().responded_by == dana


@pytest.mark.parametrize("who", ["officer", "admin"])
def test_staff_reassign_the_head_and_only_the_new_head_may_act(client, staff, plan, who):
    review, rec = plan
    area = review.business_area
    dana = area.head_of_operations
    grace = make_head_of_operations("grace.lee", "Grace", "Lee")
    login(client, staff[who])
    response = client.post(
        reverse("wagtailsnippets_scrutiny_businessarea:edit", args=[area.pk]),
        {
            "name": area.name,
            "slug": area.slug,
            "description": "",
            "head_of_operations": grace.pk,
            "head_of_operations_title": "Head of Property Services",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert BusinessArea.objects.get(pk=area.pk).head_of_operations == grace

    rec = Recommendation.objects.get(pk=rec.pk)
    assert permissions.can_respond(grace, rec) and not permissions.can_respond(dana, rec)
    with pytest.raises(PermissionDenied):
        pipeline.recommendation_respond(
            recommendation=rec, decision="accepted", reasons="Was mine.", user=dana
        )
    pipeline.recommendation_respond(
        recommendation=rec, decision="accepted", reasons="Now mine.", user=grace
    )
    item = pipeline.action_add(
        recommendation=rec, action="Fit fans", due_on=timezone.localdate(), user=grace
    )
    assert item.owner == grace
    client.logout()
    login(client, dana)
    assert refused(client.get(reverse("scrutiny_actions:review", args=[review.pk])))


def test_a_head_with_no_admin_access_cannot_answer(plan):
    review, rec = plan
    dana = review.business_area.head_of_operations
    dana.user_permissions.clear()
    dana = User.objects.get(pk=dana.pk)
    assert not permissions.can_respond(dana, rec)
    assert not permissions.can_follow_plan(dana, [rec])


# The forms that name people.


def test_the_recommendation_names_its_responsible_person_in_the_page_editor(
    client, staff, home_page
):
    year_page = make_year(make_programme(home_page), 2026)
    review = make_review(year_page)
    review.recommendations.add(Recommendation(recommendation="Fix it.", evidence="Seen."))
    review.save()
    review.save_revision(user=staff["panel"])
    url = reverse("wagtailadmin_pages:edit", args=[review.pk])
    grace = make_head_of_operations("grace.lee", "Grace", "Lee")
    rita = make_user("rita", first_name="Rita", last_name="Resident")
    login(client, staff["officer"])
    assert "Grace Lee (grace.lee@example.org)" in client.get(url).content.decode()

    revisions = review.revisions.count()
    for bad in [rita.pk, 99999]:
        response = client.post(url, edit_post(review, **{"recommendations-0-responsible": bad}))
        assert response.status_code == 200
        assert REFUSED in response.content.decode()
    assert review.revisions.count() == revisions

    response = client.post(url, edit_post(review, **{"recommendations-0-responsible": grace.pk}))
    assert response.status_code == 302
    draft = ScrutinyReviewPage.objects.get(pk=review.pk).get_latest_revision_as_object()
    [recommendation] = draft.recommendations.all()
    assert recommendation.responsible == grace
    assert recommendation.responsible_name == "Grace Lee"


def test_the_action_forms_choose_the_owner_from_staff_who_can_sign_in(client, staff, plan):
    _review, rec = plan
    pipeline.recommendation_respond(
        recommendation=rec, decision="accepted", reasons="Yes.", user=staff["manager"]
    )
    dana = rec.page.business_area.head_of_operations
    rita = make_user("rita", first_name="Rita", last_name="Resident")
    login(client, staff["manager"])
    add = reverse("scrutiny_actions:add", args=[rec.pk])

    page = client.get(add).content.decode()
    assert f'<option value="{dana.pk}" selected>Dana Price (dana.price@example.org)' in page
    assert "Rita Resident" not in page
    for bad in [rita.pk, 99999, "x"]:
        response = client.post(add, {"action": "Fit fans", "owner": bad, "due_on": due()})
        assert response.status_code == 200
        assert REFUSED in response.content.decode()
    assert not ActionItem.objects.exists()

    client.post(add, {"action": "Fit fans", "owner": staff["officer"].pk, "due_on": due()})
    item = ActionItem.objects.get()
    assert item.owner == staff["officer"]

    change = reverse("scrutiny_actions:change", args=[item.pk])
    response = client.post(change, {"action": "Fit fans", "owner": rita.pk, "due_on": due()})
    assert REFUSED in response.content.decode()
    item.refresh_from_db()
    assert item.owner == staff["officer"]
    client.post(change, {"action": "Fit fans", "owner": "", "due_on": due()})
    item.refresh_from_db()
    assert item.owner == dana  # nobody chosen: the recommendation's responsible person


def test_an_owner_who_lost_access_may_stay_on_a_changed_action(client, staff, plan):
    _review, rec = plan
    pipeline.recommendation_respond(
        recommendation=rec, decision="accepted", reasons="Yes.", user=staff["manager"]
    )
    lee = make_head_of_operations("lee", "Lee", "Hart")
    item = pipeline.action_add(
        recommendation=rec,
        action="Survey",
        due_on=timezone.localdate(),
        owner=lee,
        user=staff["manager"],
    )
    lee.user_permissions.clear()
    login(client, staff["manager"])
    change = reverse("scrutiny_actions:change", args=[item.pk])
    assert (
        "Lee Hart (lee@example.org): cannot sign in to the admin"
        in client.get(change).content.decode()
    )
    response = client.post(change, {"action": "Survey the flats", "owner": lee.pk, "due_on": due()})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.action, item.owner) == ("Survey the flats", lee)


# Emails go to the account.


def test_action_reminders_go_to_the_owners_account_email(staff, plan):
    _review, rec = plan
    pipeline.recommendation_respond(
        recommendation=rec, decision="accepted", reasons="Yes.", user=staff["manager"]
    )
    item = pipeline.action_add(
        recommendation=rec,
        action="Fit fans",
        due_on=timezone.localdate() + datetime.timedelta(days=3),
        user=staff["manager"],
    )
    dana = item.owner
    dana.email = "d.price@example.org"  # changed by a superuser in Users
    dana.save()
    staff["appeal"].email = "dana.price@example.org"  # the address the owner had
    staff["appeal"].save()
    mail.outbox.clear()
    assert tasks.send_action_reminders() == 1
    assert mail.outbox[0].to == ["d.price@example.org"]
    assert "Dear Dana Price" in mail.outbox[0].body


# Nobody changes their own email.


def test_the_account_page_offers_no_email_change_and_ignores_one_posted(client, staff):
    user = staff["appeal"]
    login(client, user)
    page = client.get(reverse("wagtailadmin_account")).content.decode()
    assert "name_email-email" not in page
    response = client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": "Alex",
            "name_email-last_name": "Appeal",
            "name_email-email": "dana.price@example.org",
            "locale-preferred_language": "en",
            "locale-current_time_zone": "Europe/London",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "true",
        },
    )
    assert response.status_code in (200, 302)
    user.refresh_from_db()
    assert user.email == "appeal@example.org"
    assert user.first_name == "Alex"  # the form was taken; only the email was not offered
