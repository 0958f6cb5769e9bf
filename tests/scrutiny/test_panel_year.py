"""The panel's year, from the Citizen FAQ (seeds/000_140bd629c6e9f028.txt).

"Scrutiny Panel members review topics that have been identified by the Customer Assurance
Committee (CAC)" and "every year the panel will meet to review the progress and effectiveness of
scrutiny reports and activities. It will report, on an annual basis, the outcomes scrutiny has
achieved."
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from scrutiny import pipeline
from scrutiny.financial_years import current_financial_year, financial_year_bounds
from scrutiny.models import (
    EffectivenessReview,
    EffectivenessStatus,
    MeetingKind,
    MeetingStatus,
    OutcomesReportPage,
    PanelMeeting,
    ProgrammeIndexPage,
    ReferralStatus,
    ReferredTopic,
    Score,
    ScrutinySettings,
)
from scrutiny.selectors import programme_ranking
from tests.conftest import PASSWORD, make_business_area
from tests.scrutiny.builders import make_accepted_call, make_measure
from tests.scrutiny.test_scoring import only_criterion

pytestmark = pytest.mark.django_db

CAC = "Customer Assurance Committee"
BONUS = 10


@pytest.fixture
def citizen():
    """The Citizen profile's names and numbers: the CAC, a ten-point call bonus."""
    config = ScrutinySettings.load()
    config.oversight_body = CAC
    config.community_call_bonus = BONUS
    config.save()
    only_criterion("satisfaction_percent", [(None, 70, 5), (70, 85, 3), (85, None, 1)])
    return config


def refer(staff, area, *, title="Satisfaction with repairs is falling", days_ago=7):
    return pipeline.referral_record(
        user=staff["officer"],
        title=title,
        business_area=area,
        evidence="Satisfaction with repairs fell from 78% to 64% over two quarters.",
        body_meeting="Quarterly meeting",
        referred_on=timezone.localdate() - timedelta(days=days_ago),
    )


def formal_meeting(days_ago=1, **fields) -> PanelMeeting:
    return PanelMeeting.objects.create(
        kind=fields.pop("kind", MeetingKind.FORMAL),
        status=fields.pop("status", MeetingStatus.HELD),
        starts_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


# Referred topics.


def test_a_cac_referred_topic_is_scored_without_the_call_bonus_and_ranks_beside_calls(
    staff, citizen
):
    year = current_financial_year()
    repairs, complaints = make_business_area("Repairs"), make_business_area("Complaints")
    make_measure(repairs, financial_year=year, satisfaction_percent=Decimal("64"))
    make_measure(complaints, financial_year=year, satisfaction_percent=Decimal("80"))
    topic = refer(staff, repairs)
    call = make_accepted_call(staff, business_area=complaints)

    pipeline.scores_refresh(year=year, user=staff["panel"])

    referred = Score.objects.get(financial_year=year, referral=topic)
    called = Score.objects.get(financial_year=year, call=call)
    # 64% falls in the band below 70: five points, and no bonus for a referral.
    assert referred.total == 5
    assert referred.breakdown["bonus"] == "0"
    assert CAC in referred.breakdown["referral"]
    # 80% gives three points, and the accepted call adds its bonus.
    assert called.total == 3 + BONUS
    # Ranked together, highest first: the call's 13 above the topic's 5.
    ranking = list(programme_ranking(year))
    assert ranking.index(called) < ranking.index(referred)


def test_the_ranking_shows_where_each_item_came_from(staff, citizen, client):
    year = current_financial_year()
    area = make_business_area("Repairs")
    topic = refer(staff, area)
    pipeline.scores_refresh(year=year, user=staff["panel"])
    assert client.login(username="manager", password=PASSWORD)

    page = client.get(reverse("scrutiny_programme:year", args=[year])).content.decode()

    assert topic.title in page
    assert f"Referred by {CAC}, Quarterly meeting" in page
    assert "From the area's performance and satisfaction" in page


def test_the_body_is_named_as_it_was_when_the_topic_was_referred(staff, citizen):
    topic = refer(staff, make_business_area())
    config = ScrutinySettings.load()
    config.oversight_body = "Board"
    config.save()
    topic.refresh_from_db()
    assert topic.referred_by == CAC


def test_a_referral_from_a_meeting_that_has_not_happened_is_refused(staff, citizen):
    with pytest.raises(pipeline.TransitionNotAllowed, match="has not taken place yet"):
        refer(staff, make_business_area(), days_ago=-3)
    assert not ReferredTopic.objects.exists()


def test_only_officers_record_a_referral(staff, citizen):
    with pytest.raises(PermissionDenied):
        pipeline.referral_record(
            user=staff["panel"],
            title="A topic",
            business_area=make_business_area(),
            evidence="Figures.",
            body_meeting="Quarterly meeting",
            referred_on=timezone.localdate(),
        )


def test_a_withdrawn_topic_leaves_the_ranking_and_cannot_be_scheduled(staff, citizen, home_page):
    home_page.add_child(
        instance=ProgrammeIndexPage(title="Programme of scrutiny", slug="scrutiny-programme")
    )
    year = current_financial_year()
    topic = refer(staff, make_business_area())
    pipeline.scores_refresh(year=year, user=staff["panel"])
    score = Score.objects.get(referral=topic)

    with pytest.raises(pipeline.TransitionNotAllowed, match="Say why"):
        pipeline.referral_withdraw(topic=topic, reason=" ", user=staff["officer"])
    pipeline.referral_withdraw(topic=topic, reason="Fixed already.", user=staff["officer"])

    topic.refresh_from_db()
    assert topic.status == ReferralStatus.WITHDRAWN
    assert topic.withdrawn_reason == "Fixed already."
    assert not Score.objects.filter(pk=score.pk).exists()
    pipeline.scores_refresh(year=year, user=staff["panel"])
    assert not Score.objects.filter(referral=topic).exists()


def test_scheduling_a_topic_puts_it_into_a_review_that_names_its_source(
    staff, citizen, home_page, client
):
    home_page.add_child(
        instance=ProgrammeIndexPage(title="Programme of scrutiny", slug="scrutiny-programme")
    )
    year = current_financial_year()
    area = make_business_area("Repairs")
    topic = refer(staff, area)
    pipeline.scores_refresh(year=year, user=staff["panel"])

    review = pipeline.programme_schedule(
        score=Score.objects.get(referral=topic), user=staff["panel"]
    )

    topic.refresh_from_db()
    assert topic.status == ReferralStatus.SCHEDULED
    assert topic.review_id == review.pk
    assert list(review.referrals.all()) == [topic]
    assert topic.history.first().history_user == staff["panel"]
    # The public programme says the review was referred, not asked for by residents.
    year_page = review.get_parent().specific
    year_page.save_revision().publish()
    text = client.get(year_page.url).content.decode()
    assert "Referred to the panel" in text
    assert f"Referred by {CAC}, Quarterly meeting" in text
    assert "chosen by the panel from performance" not in text
    # Scheduled again from the ranking: refused, it is already in the programme.
    with pytest.raises(pipeline.TransitionNotAllowed):
        pipeline.programme_schedule(score=Score.objects.get(referral=topic), user=staff["panel"])


def test_recording_a_referral_in_the_admin_with_bad_input_saves_nothing(staff, citizen, client):
    assert client.login(username="officer", password=PASSWORD)
    url = reverse("wagtailsnippets_scrutiny_referredtopic:add")
    response = client.post(url, {"title": "", "referred_on": "31/02/2026"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the topic the body referred" in page
    assert "Enter a real date" in page
    assert not ReferredTopic.objects.exists()


# The effectiveness review.


def prepared(staff, year=None) -> EffectivenessReview:
    return pipeline.effectiveness_prepare(
        year=year or current_financial_year(), user=staff["officer"]
    )


def written(staff, review) -> EffectivenessReview:
    return pipeline.effectiveness_write(
        review=review,
        user=staff["panel"],
        what_worked="Calls reached the panel within a month.",
        what_did_not="Two action plans slipped past their dates.",
        changes="The panel checks every action plan each quarter.",
    )


def test_the_review_is_prepared_from_the_years_figures(staff):
    review = prepared(staff)
    assert review.status == EffectivenessStatus.DRAFT
    assert review.figures["outcomes"]["year"] == current_financial_year()
    assert review.figures["reviews"] == []
    with pytest.raises(pipeline.TransitionNotAllowed, match="already prepared"):
        prepared(staff)


def test_a_year_that_has_not_begun_cannot_be_reviewed(staff):
    with pytest.raises(pipeline.TransitionNotAllowed, match="has not begun"):
        prepared(staff, year=current_financial_year() + 1)


def test_the_review_cannot_be_agreed_without_a_meeting(staff):
    review = written(staff, prepared(staff))
    with pytest.raises(pipeline.TransitionNotAllowed, match="Choose the meeting"):
        pipeline.effectiveness_agree(review=review, meeting=None, user=staff["panel"])
    review.refresh_from_db()
    assert review.status == EffectivenessStatus.DRAFT


@pytest.mark.parametrize(
    ("meeting", "refusal"),
    [
        (lambda: formal_meeting(days_ago=-7), "has not taken place yet"),
        (lambda: formal_meeting(kind=MeetingKind.AWAY_DAY), "is not a formal meeting"),
        (lambda: formal_meeting(status=MeetingStatus.CANCELLED), "was cancelled"),
    ],
)
def test_the_review_is_agreed_only_at_a_formal_meeting_that_took_place(staff, meeting, refusal):
    review = written(staff, prepared(staff))
    with pytest.raises(pipeline.TransitionNotAllowed, match=refusal):
        pipeline.effectiveness_agree(review=review, meeting=meeting(), user=staff["panel"])


def test_a_meeting_before_the_year_began_cannot_have_agreed_its_review(staff):
    year = current_financial_year()
    first_day, _ = financial_year_bounds(year)
    days = (timezone.localdate() - first_day).days + 2
    review = written(staff, prepared(staff))
    with pytest.raises(pipeline.TransitionNotAllowed, match="before"):
        pipeline.effectiveness_agree(
            review=review, meeting=formal_meeting(days_ago=days), user=staff["panel"]
        )


def test_the_panel_agrees_only_a_written_assessment(staff):
    review = prepared(staff)
    with pytest.raises(pipeline.TransitionNotAllowed) as refused:
        pipeline.effectiveness_agree(review=review, meeting=formal_meeting(), user=staff["panel"])
    assert refused.value.reasons == [
        "Write what worked before the panel agrees the review.",
        "Write what did not work before the panel agrees the review.",
        "Write what changes next year before the panel agrees the review.",
    ]


def test_agreed_it_is_published_with_the_outcomes_report_and_no_longer_changes(
    staff, home_page, client
):
    meeting = formal_meeting(title="Formal panel meeting")
    review = pipeline.effectiveness_agree(
        review=written(staff, prepared(staff)), meeting=meeting, user=staff["panel"]
    )
    assert review.status == EffectivenessStatus.AGREED
    assert review.meeting == meeting
    assert review.history.first().history_user == staff["panel"]
    with pytest.raises(pipeline.TransitionNotAllowed, match="reopen it"):
        pipeline.effectiveness_write(
            review=review, user=staff["panel"], what_worked="x", what_did_not="y", changes="z"
        )

    index = home_page.add_child(
        instance=ProgrammeIndexPage(title="Programme of scrutiny", slug="scrutiny-programme")
    )
    report = index.add_child(
        instance=OutcomesReportPage(
            title="Outcomes", slug="outcomes", financial_year=review.financial_year
        )
    )
    text = client.get(report.url).content.decode()
    assert "The panel's review of its effectiveness" in text
    assert "Two action plans slipped past their dates." in text
    assert "The panel checks every action plan each quarter." in text


def test_a_draft_review_is_not_published(staff, home_page, client):
    written(staff, prepared(staff))
    index = home_page.add_child(
        instance=ProgrammeIndexPage(title="Programme of scrutiny", slug="scrutiny-programme")
    )
    report = index.add_child(
        instance=OutcomesReportPage(
            title="Outcomes", slug="outcomes", financial_year=current_financial_year()
        )
    )
    assert "review of its effectiveness" not in client.get(report.url).content.decode()


def test_the_oversight_body_acknowledges_it_after_the_panel_agreed_it(staff):
    meeting = formal_meeting(days_ago=1)
    review = pipeline.effectiveness_agree(
        review=written(staff, prepared(staff)), meeting=meeting, user=staff["panel"]
    )
    today = timezone.localdate()
    with pytest.raises(pipeline.TransitionNotAllowed, match="before then"):
        pipeline.effectiveness_acknowledge(
            review=review, acknowledged_on=today - timedelta(days=3), user=staff["manager"]
        )
    with pytest.raises(pipeline.TransitionNotAllowed, match="in the future"):
        pipeline.effectiveness_acknowledge(
            review=review, acknowledged_on=today + timedelta(days=1), user=staff["manager"]
        )
    with pytest.raises(PermissionDenied):
        pipeline.effectiveness_acknowledge(
            review=review, acknowledged_on=today, user=staff["panel"]
        )
    review = pipeline.effectiveness_acknowledge(
        review=review, acknowledged_on=today, note="Noted with thanks.", user=staff["manager"]
    )
    assert review.status == EffectivenessStatus.ACKNOWLEDGED
    assert review.acknowledgement == "Noted with thanks."
    with pytest.raises(pipeline.TransitionNotAllowed):
        pipeline.effectiveness_reopen(review=review, reason="Second thoughts", user=staff["panel"])


def test_reopening_an_agreed_review_clears_its_meeting(staff):
    review = pipeline.effectiveness_agree(
        review=written(staff, prepared(staff)), meeting=formal_meeting(), user=staff["panel"]
    )
    with pytest.raises(pipeline.TransitionNotAllowed, match="Say why"):
        pipeline.effectiveness_reopen(review=review, reason="", user=staff["panel"])
    review = pipeline.effectiveness_reopen(
        review=review, reason="The wrong meeting was chosen.", user=staff["panel"]
    )
    assert review.status == EffectivenessStatus.DRAFT
    assert review.meeting is None


def test_agreeing_in_the_admin_without_a_meeting_says_so_on_the_page(staff, client):
    review = written(staff, prepared(staff))
    assert client.login(username="panel", password=PASSWORD)
    response = client.post(
        reverse("wagtailsnippets_scrutiny_effectivenessreview:agree", args=[review.pk]),
        {"meeting": ""},
        follow=True,
    )
    assert "Choose the meeting at which the panel agreed the review" in response.content.decode()
    review.refresh_from_db()
    assert review.status == EffectivenessStatus.DRAFT
