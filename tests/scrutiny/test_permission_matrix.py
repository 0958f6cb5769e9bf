"""The permission matrix in docs/permissions.md, walked cell by cell through real requests.

The table under "Permission matrix" in docs/permissions.md is the specification: this file reads
it, and for each row makes the row's request as an anonymous visitor and as a user of each group,
then compares what happened with the cell. A row without a recipe here, a recipe without a row,
or any cell that differs fails, naming the cells.

To add a row: add a line to the table in docs/permissions.md, then a recipe to RECIPES below
under the same first cell. A recipe takes the World (which builds records on first use) and
returns a Req.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from pathlib import Path

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.rich_text import RichText

from home.models import StandardPage
from scrutiny import pipeline, selectors, tasks
from scrutiny.financial_years import current_financial_year
from scrutiny.models import (
    CallForScrutinyPage,
    JoinThePanelPage,
    MeetingKind,
    MeetingStatus,
    PanelMeeting,
    PetitionIndexPage,
    PrivacyAction,
    PrivacyActionKind,
    ProgrammeIndexPage,
    ProgrammeYearPage,
    Recommendation,
    ReviewStatus,
    ReviewStep,
    Score,
    ScoringCriterion,
    ScrutinyReviewPage,
    SentEmail,
    TrainingSession,
)
from scrutiny.models.programme import report_workflow
from scrutiny.outcomes import last_closed_financial_year
from tests.conftest import make_business_area, make_home_page
from tests.scrutiny.action_plan_builders import make_reported_review, respond_and_plan
from tests.scrutiny.appeal_builders import (
    decided_call,
    eligible_members,
    make_meeting,
    submit_appeal,
)
from tests.scrutiny.builders import decide, held_meeting_for, make_call, make_measure
from tests.scrutiny.membership_builders import make_interviewed, make_member, receipt
from tests.scrutiny.review_builders import edit_post, finish_steps, make_review, take_part

pytestmark = pytest.mark.django_db

PERMISSIONS_DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
# The staff fixture's user for each column of the table; None is an anonymous visitor.
USERS = {
    "Anonymous": None,
    "Communications": "comms",
    "Scrutiny officers": "officer",
    "Panel members": "panel",
    "Appeal panel": "appeal",
    "Managers": "manager",
}
GROUPS = list(USERS)
VOCABULARY = {"yes", "no", "redacted", "own"}
HEADER = ["thing", "where", *GROUPS]

# The resident behind the calls the world builds; "redacted" means none of these is shown.
RESIDENT = {
    "name": "Aisha Khan",
    "email": "aisha.khan@example.org",
    "phone": "07700 900123",
    "postcode": "LS1 1AA",
}


def matrix() -> dict[str, dict]:
    """The permission matrix in docs/permissions.md: first cell -> {"where": ..., group: cell}."""
    lines = PERMISSIONS_DOC.read_text(encoding="utf-8").splitlines()
    start = next(
        (i for i, line in enumerate(lines) if _cells(line) == HEADER),
        None,
    )
    assert start is not None, f"docs/permissions.md has no table headed {' | '.join(HEADER)}"
    rows = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = _cells(line)
        assert len(cells) == len(HEADER), f"matrix row has {len(cells)} cells: {line}"
        thing, where, *values = cells
        assert thing not in rows, f"the matrix has two rows named {thing!r}"
        unknown = set(values) - VOCABULARY
        assert not unknown, f"matrix row {thing!r} uses {unknown}; use {VOCABULARY}"
        rows[thing] = {"where": where, **dict(zip(GROUPS, values, strict=True))}
    return rows


def _cells(line: str) -> list[str]:
    return [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]


@dataclass
class Req:
    """One request of a recipe, and what tells its outcome beyond the status code.

    private: text that a "redacted" viewer must not see (and a "yes" viewer sees);
    others: text from records that are not the viewer's own (absent means "own");
    shows: text the page must show for "yes": a page drawn without it (a dashboard panel left
    out) is "no";
    success: text the page shows when the request did what it asked (guards the recipe itself).
    """

    url: str
    method: str = "get"
    data: dict | Callable[[], dict] = field(default_factory=dict)  # a callable for files
    private: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    shows: tuple[str, ...] = ()
    success: str = ""
    needs: object = None  # records built for the page to show; only evaluated


def get(url: str, **kwargs) -> Req:
    return Req(url, **kwargs)


def post(url: str, data: dict | None = None, **kwargs) -> Req:
    return Req(url, method="post", data=data or {}, **kwargs)


def snippet(model: str, name: str, *args) -> str:
    return reverse(f"wagtailsnippets_scrutiny_{model}:{name}", args=args)


class World:
    """The records the recipes need, each built on first use (once per row)."""

    def __init__(self, staff):
        self.staff = staff

    @property
    def officer(self):
        return self.staff["officer"]

    # Public pages.

    @cached_property
    def home(self):
        return make_home_page()

    @cached_property
    def content_page(self):
        return self.home.add_child(
            instance=StandardPage(title="How scrutiny works", slug="how-scrutiny-works")
        )

    @cached_property
    def call_page(self):
        return self.home.add_child(
            instance=CallForScrutinyPage(
                title="Raise a Community Call for Scrutiny",
                slug="call-for-scrutiny",
                privacy_notice=RichText("<p>We keep your details for 24 months.</p>"),
            )
        )

    @cached_property
    def petition_page(self):
        return self.home.add_child(
            instance=PetitionIndexPage(
                title="Petitions",
                slug="petitions",
                privacy_notice=RichText("<p>We use your details only for this petition.</p>"),
            )
        )

    @cached_property
    def join_page(self):
        return self.home.add_child(
            instance=JoinThePanelPage(
                title="Join the panel",
                slug="join-the-panel",
                privacy_notice=RichText("<p>We keep applications for 12 months.</p>"),
            )
        )

    @cached_property
    def programme_page(self):
        return self.home.add_child(
            instance=ProgrammeIndexPage(title="Programme of scrutiny", slug="scrutiny-programme")
        )

    # Calls.

    @cached_property
    def area(self):
        return make_business_area()

    def new_call(self, **overrides):
        fields = RESIDENT | {"business_area": self.area, "support_requested": True}
        fields["support_contact"] = "Phone after 5pm."
        evidence = [SimpleUploadedFile("photo.pdf", b"%PDF-1.4 x", "application/pdf")]
        return make_call(evidence=evidence, **(fields | overrides))

    @cached_property
    def call(self):
        """A call in triage, with evidence, support asked for, and a note."""
        call = self.new_call()
        pipeline.call_move(call=call, transition="start_triage", user=self.officer)
        pipeline.call_add_note(call=call, text="Rang the resident.", user=self.officer)
        call.refresh_from_db()
        return call

    @cached_property
    def call_with_new_phone(self):
        """The call after its phone number was corrected: the old number is in its history."""
        call = self.call
        call.phone = "07700 900999"
        call._history_user = self.officer
        call.save()
        return call

    @cached_property
    def meeting(self):
        return make_meeting()

    @cached_property
    def waiting_call(self):
        """A call awaiting the panel, on the agenda of the next formal meeting."""
        self.meeting  # noqa: B018 - the call goes on this meeting's agenda
        call = self.call
        pipeline.call_move(call=call, transition="send_to_panel", user=self.officer)
        call.refresh_from_db()
        return call

    @cached_property
    def held_meeting(self):
        """A formal meeting held since the waiting call reached the panel."""
        return held_meeting_for(self.waiting_call)

    # Petitions.

    @cached_property
    def petition(self):
        self.petition_page  # noqa: B018 - its public page lives under this index
        petition = pipeline.petition_open(
            call=self.call,
            user=self.officer,
            title="Fix the lifts at Larch Court",
            summary="The lifts have been broken for months.",
        )
        return petition

    @cached_property
    def signature(self):
        return pipeline.petition_sign(
            petition=self.petition,
            name="Sam Jones",
            email="sam.jones@example.org",
            postcode="PC1 1AA",
        )

    @cached_property
    def signature_with_new_name(self):
        """A signature whose name was corrected: the old name is in its history."""
        signature = self.signature
        signature.name = "Samuel Jones"
        signature._history_user = self.officer
        signature.save()
        return signature

    # Appeals.

    @cached_property
    def postal_call(self):
        """A call the panel did not accept, whose resident writes in to appeal."""
        call, _ = decided_call(self.staff, email="", name="Pat Post")
        return call

    @cached_property
    def appeals(self):
        """An appeal the Appeal panel user sits on (with a file), and one they do not."""
        self.call_page  # noqa: B018 - appeals are made on the call page
        resident = {key: value for key, value in RESIDENT.items() if key != "postcode"}
        call, _ = decided_call(self.staff, **resident)
        pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 x", content_type="application/pdf")
        mine = submit_appeal(call, grounds="They did not read my letters.", evidence=[pdf])
        readers = eligible_members(3)
        readers[0].involvement_groups.get().members.add(self.staff["appeal"])
        pipeline.appeal_convene(
            appeal=mine, members=[self.staff["appeal"], *readers], user=self.officer
        )
        other_call, _ = decided_call(self.staff, email="lee@example.org", name="Lee Grant")
        other = submit_appeal(other_call, grounds="The meeting was not quorate.")
        return mine, other

    # Scoring and the programme.

    @cached_property
    def year(self):
        return current_financial_year()

    @cached_property
    def score(self):
        self.programme_page  # noqa: B018 - scheduling puts the review under it
        make_measure(self.area, financial_year=self.year, performance_percent=Decimal("70"))
        pipeline.scores_refresh(year=self.year, user=self.officer)
        return Score.objects.get(financial_year=self.year, business_area=self.area)

    @cached_property
    def year_page(self):
        page = self.programme_page.add_child(
            instance=ProgrammeYearPage(title="2026/27", slug="2026-27", financial_year=self.year)
        )
        return page

    @cached_property
    def outcomes_page(self):
        self.programme_page  # noqa: B018 - the report is drafted under it
        page, _ = pipeline.outcomes_report_draft(year=last_closed_financial_year(), user=None)
        page.get_latest_revision().publish()
        page.refresh_from_db()
        return page

    @cached_property
    def outcomes_draft(self):
        """The last closed year's public report, drafted and not yet published."""
        self.programme_page  # noqa: B018 - the report is drafted under it
        page, _ = pipeline.outcomes_report_draft(year=last_closed_financial_year(), user=None)
        return page

    # Action plans.

    @cached_property
    def reported_review(self):
        """A review with a published report: the first recommendation accepted with an action
        overdue, the second awaiting its response."""
        review = make_reported_review(self.home, business_area=self.area)
        first, second = review.recommendations.order_by("sort_order", "pk")
        [item] = respond_and_plan(first, self.staff["manager"], due_in=-3)
        return review, first, second, item

    @cached_property
    def serious_failure(self):
        """The panel's serious-failure decision on a call, with no actions yet."""
        call = self.new_call()
        pipeline.call_move(call=call, transition="start_triage", user=self.officer)
        pipeline.call_move(call=call, transition="send_to_panel", user=self.officer)
        return decide(
            call,
            outcome="serious_failure",
            user=self.staff["panel"],
            reasons="Residents left without heating.",
            immediate_recommendations="Restore heating within 48 hours.",
        )

    # Reviews and reports.

    @cached_property
    def review(self):
        """A review in progress this year, its report drafted, with a member taking part."""
        review = make_review(
            self.year_page,
            business_area=self.area,
            status=ReviewStatus.IN_REVIEW,
            summary=RichText("<p>Repairs are slow and residents are not told why.</p>"),
        )
        review.recommendations.add(
            Recommendation(
                recommendation="Book every repair at the first call.",
                evidence="12 of 20 calls were called back.",
                sort_order=0,
            )
        )
        review.save()
        review.save_revision(user=self.staff["panel"])
        take_part(review, make_member("reviewer"), role="lead")
        finish_steps(review, self.officer)
        return review

    @cached_property
    def review_revisions(self):
        """Two revisions of the review's report, its summary reworded in the second."""
        review = self.review
        first = review.get_latest_revision()
        review.summary = RichText("<p>Repairs take a fortnight and residents are not told why.</p>")
        review.save_revision(user=self.officer)
        return first.pk, ScrutinyReviewPage.objects.get(pk=review.pk).get_latest_revision().pk

    @cached_property
    def review_in_approval(self):
        """The review's report submitted to Report approval, at "Panel sign-off"."""
        report_workflow().start(self.review, self.staff["panel"])
        return ScrutinyReviewPage.objects.get(pk=self.review.pk)

    @cached_property
    def review_signed_by_panel(self):
        """The report signed off by the panel, waiting for the oversight body."""
        task_state = self.review_in_approval.current_workflow_task_state
        task_state.approve(user=self.staff["panel"])
        return ScrutinyReviewPage.objects.get(pk=self.review.pk)

    @cached_property
    def live_review(self):
        """The report approved by the oversight body, so published by the workflow."""
        task_state = self.review_signed_by_panel.current_workflow_task_state
        task_state.approve(user=self.staff["manager"])
        review = ScrutinyReviewPage.objects.get(pk=self.review.pk)
        assert review.live, "the workflow did not publish the report"
        return review

    # The outbox.

    @cached_property
    def letter(self):
        """The letter acknowledging a call given with a phone number and address, no email."""
        call = self.new_call(email="", name="Pat Post", address="12 Larch Court")
        tasks.send_call_acknowledgement(call.pk)
        return SentEmail.objects.get(key=f"call:{call.pk}:acknowledgement")

    @cached_property
    def retention_run(self):
        return PrivacyAction.objects.create(kind=PrivacyActionKind.RETENTION, counts={"calls": 1})

    # Members.

    @cached_property
    def application(self):
        return make_interviewed(self.officer)

    @cached_property
    def claims(self):
        """A claim by the Panel members user, and one by another member."""
        make_member(user=self.staff["panel"])
        other = make_member("member2")
        mine = pipeline.expense_submit(
            user=self.staff["panel"],
            spent_on=date(2026, 5, 1),
            description="Bus fare to the formal meeting",
            amount=Decimal("4.50"),
            receipt=receipt(),
        )
        theirs = pipeline.expense_submit(
            user=other.user,
            spent_on=date(2026, 5, 2),
            description="Childcare during the away day",
            amount=Decimal("30.00"),
            receipt=receipt(),
        )
        return mine, theirs

    @cached_property
    def members(self):
        """The Panel members user's member record, and another member's."""
        return make_member(user=self.staff["panel"]), make_member("member3")

    @cached_property
    def training(self):
        """A session next month with a place offered to each of the two members."""
        session = TrainingSession.objects.create(
            title="Understanding repairs data",
            held_on=timezone.localdate() + timedelta(days=30),
            provider="TPAS",
            hours=Decimal("3"),
        )
        mine, theirs = pipeline.training_offer(
            session=session, members=self.members, user=self.officer
        )
        return session, mine, theirs

    @cached_property
    def held_training(self):
        """A session held yesterday, where the other member had booked a place."""
        session = TrainingSession.objects.create(
            title="Reading performance reports",
            held_on=timezone.localdate() + timedelta(days=1),
            provider="In house",
            hours=Decimal("2"),
        )
        (place,) = pipeline.training_offer(
            session=session, members=self.members[1:], user=self.officer
        )
        place = pipeline.training_place_move(place=place, move="book", user=self.officer)
        TrainingSession.objects.filter(pk=session.pk).update(
            held_on=timezone.localdate() - timedelta(days=1)
        )
        return session, place

    @cached_property
    def time_entries(self):
        """Time logged by the Panel members user, and by another member."""
        mine, theirs = self.members
        return (
            pipeline.time_log(
                user=mine.user, activity="interviews", worked_on=date(2026, 5, 1), hours=3
            ),
            pipeline.time_log(
                user=theirs.user,
                activity="site_visit",
                worked_on=date(2026, 5, 2),
                hours=Decimal("1.5"),
                note="Walked the estate with the caretaker",
            ),
        )

    # The panel's year.

    @cached_property
    def referral(self):
        """A topic the oversight body referred last week."""
        return pipeline.referral_record(
            user=self.officer,
            title="Satisfaction with repairs is falling",
            business_area=self.area,
            evidence="Satisfaction with repairs fell from 78% to 64% in two quarters.",
            body_meeting="Quarterly meeting",
            referred_on=timezone.localdate() - timedelta(days=7),
        )

    @cached_property
    def effectiveness(self):
        """This year's effectiveness review, prepared and written, ready to agree."""
        review = pipeline.effectiveness_prepare(year=current_financial_year(), user=self.officer)
        return pipeline.effectiveness_write(
            review=review,
            user=self.officer,
            what_worked="Residents' calls reached the panel quickly.",
            what_did_not="Action plans slipped.",
            changes="Quarterly action plan checks.",
        )

    @cached_property
    def formal_meeting_held(self):
        return PanelMeeting.objects.create(
            kind=MeetingKind.FORMAL,
            status=MeetingStatus.HELD,
            starts_at=timezone.now() - timedelta(days=1),
        )

    @cached_property
    def agreed_effectiveness(self):
        """Last year's review, agreed by the panel yesterday."""
        review = pipeline.effectiveness_prepare(
            year=current_financial_year() - 1, user=self.officer
        )
        review = pipeline.effectiveness_write(
            review=review,
            user=self.officer,
            what_worked="Reviews finished on time.",
            what_did_not="Few residents knew about calls.",
            changes="Publicise the call form.",
        )
        return pipeline.effectiveness_agree(
            review=review, meeting=self.formal_meeting_held, user=self.officer
        )


def _call_export(w):
    w.call  # noqa: B018
    return get(snippet("callforscrutiny", "list") + "?export=csv", private=(RESIDENT["email"],))


def _petition_open(w):
    call = w.new_call()
    pipeline.call_move(call=call, transition="start_triage", user=w.officer)
    w.petition_page  # noqa: B018
    return post(
        reverse("wagtailsnippets_scrutiny_petition:open", args=[call.pk]),
        {
            "title": "Mend the lifts",
            "summary": "Residents ask the panel to look at lift repairs.",
            "closes_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "target": "10",
            "target_change_reason": "",
        },
    )


def _appeal_convene(w):
    _, other = w.appeals
    members = eligible_members(4, "clerk")
    return post(snippet("appeal", "convene", other.pk), {"members": [m.pk for m in members]})


def _appeal_file(w):
    mine, _ = w.appeals
    evidence = mine.evidence.get()
    return get(snippet("appeal", "evidence", mine.pk, "appeal", evidence.pk))


def _call_form(w):
    return post(
        w.call_page.url,
        {
            "name": "Jo Bloggs",
            "email": "jo.bloggs@example.org",
            "phone": "",
            "address": "1 Pine Court",
            "postcode": "pc1 1aa",
            "tenure": "tenant",
            "business_area": str(w.area.pk),
            "concerns": "Repairs take months.",
            "actions_taken": "I phoned the repairs line three times.",
            "complaint_stage": "ombudsman",
            "complaint_reference": "",
            "complaint_finished": "yes",
            "service_failures": "Missed appointments.",
            "others_affected": "no",
            "others_affected_why": "",
            "households_affected": "",
            "support_requested": "no",
            "support_contact": "",
            "privacy_agreed": "on",
            "website": "",
        },
        success="CCS-",
    )


def _call_for_resident(w):
    w.call_page  # noqa: B018 - its questions and privacy notice apply
    answers = _call_form(w).data | {
        "received_via": "post",
        "received_on": timezone.localdate().isoformat(),
    }
    return post(snippet("callforscrutiny", "enter"), answers, success="is entered")


def _appeal_form(w):
    w.call_page  # noqa: B018
    call, _ = decided_call(w.staff)
    return post(
        w.call_page.url + "appeal/",
        {
            "reference": call.reference,
            "access_code": call.access_code,
            "grounds": "The panel did not see my letters.",
            "website": "",
        },
        success="APL-",
    )


def _join_form(w):
    return post(
        w.join_page.url,
        {
            "tenure": "tenant",
            "legal_action": "no",
            "money_order": "no",
            "legal_dispute": "no",
            "name": "Sam Okafor",
            "email": "sam.okafor@example.org",
            "phone": "",
            "postcode": "pc1 1aa",
            "why_join": "I want repairs to be done right first time.",
            "skills": ["analysis"],
            "skills_more": "",
            "availability": "Weekday evenings",
            "payment_choice": "voluntary",
            "adjustments": "",
            "age_band": "",
            "gender": "",
            "ethnicity": "",
            "disability": "",
            "privacy_agreed": "on",
            "website": "",
        },
        success="Sam Okafor",
    )


def _meeting_form():
    starts = timezone.localtime(timezone.now() + timedelta(days=10))
    return {
        "title": "Summer meeting",
        "kind": "formal",
        "starts_at": starts.strftime("%Y-%m-%d %H:%M"),
        "place": "Town hall",
        "online_link": "",
        "agenda_notes": "",
        "minutes": "",
    }


def _review_step_update(w):
    step = w.review.steps.order_by("position").first()
    prefix = f"step-{step.pk}"
    return post(
        reverse("scrutiny_reviews:run", args=[w.review.pk]),
        {
            "action": "step",
            "step": step.pk,
            f"{prefix}-status": "in_progress",
            f"{prefix}-started_on": timezone.localdate().isoformat(),
            f"{prefix}-completed_on": "",
            f"{prefix}-notes": "Met the repairs manager.",
        },
    )


def _delete_page(page) -> str:
    return reverse("wagtailadmin_pages:delete", args=[page.pk])


def _workflow_approve(review):
    state = review.current_workflow_task_state
    return post(
        reverse("wagtailadmin_pages:workflow_action", args=[review.pk, "approve", state.pk]),
        {"comment": "Agreed."},
    )


RECIPES = {
    # The admin in general and the pages.
    "admin: dashboard": lambda w: get(reverse("wagtailadmin_home")),
    "admin: site history report": lambda w: get(
        reverse("wagtailadmin_reports:site_history"), private=(RESIDENT["name"],), needs=w.call
    ),
    "pages: explorer": lambda w: get(reverse("wagtailadmin_explore", args=[w.home.pk])),
    "pages: search": lambda w: get(
        reverse("wagtailadmin_pages:search") + "?q=scrutiny", needs=w.programme_page
    ),
    "pages: lock a page": lambda w: post(
        reverse("wagtailadmin_pages:lock", args=[w.content_page.pk])
    ),
    "pages: edit a year's programme": lambda w: get(
        reverse("wagtailadmin_pages:edit", args=[w.year_page.pk])
    ),
    "admin: site history export (CSV)": lambda w: get(
        reverse("wagtailadmin_reports:site_history") + "?export=csv",
        private=(RESIDENT["name"],),
        needs=w.call,
    ),
    "reports: workflows": lambda w: get(reverse("wagtailadmin_reports:workflow")),
    "reports: workflow tasks": lambda w: get(reverse("wagtailadmin_reports:workflow_tasks")),
    "reports: aging pages": lambda w: get(reverse("wagtailadmin_reports:aging_pages")),
    "reports: locked pages": lambda w: get(reverse("wagtailadmin_reports:locked_pages")),
    "reports: page types usage": lambda w: get(reverse("wagtailadmin_reports:page_types_usage")),
    "pages: add a page": lambda w: get(
        reverse("wagtailadmin_pages:add", args=["home", "standardpage", w.home.pk])
    ),
    "pages: edit a page": lambda w: get(reverse("wagtailadmin_pages:edit", args=[w.home.pk])),
    "pages: unpublish a page": lambda w: post(
        reverse("wagtailadmin_pages:unpublish", args=[w.content_page.pk])
    ),
    "pages: delete a content page": lambda w: get(_delete_page(w.content_page)),
    "pages: delete the home page": lambda w: get(_delete_page(w.home), needs=w.programme_page),
    "pages: delete the programme": lambda w: get(_delete_page(w.programme_page)),
    "pages: delete a year's programme": lambda w: get(_delete_page(w.year_page)),
    "pages: delete a review": lambda w: get(_delete_page(w.review)),
    "pages: confirm deleting a review": lambda w: post(_delete_page(w.review)),
    "pages: delete an outcomes report": lambda w: get(_delete_page(w.outcomes_page)),
    "images": lambda w: get(reverse("wagtailimages:index")),
    "documents": lambda w: get(reverse("wagtaildocs:index")),
    "Scrutiny settings": lambda w: get(
        reverse("wagtailsettings:edit", args=["scrutiny", "scrutinysettings"])
    ),
    "users and groups": lambda w: get(reverse("wagtailusers_users:index")),
    "workflows": lambda w: get(reverse("wagtailadmin_workflows:index")),
    "sign-in lock-outs": lambda w: get(
        reverse("scrutiny_lockouts:index"), success="Sign-in lock-outs"
    ),
    "sign-in lock-outs: unlock an account": lambda w: post(
        reverse("scrutiny_lockouts:unlock"), {"username": "officer"}
    ),
    # Calls.
    # The list names no resident to anyone (their details are on the call's page and export).
    "calls: list": lambda w: get(snippet("callforscrutiny", "list"), needs=w.call),
    "calls: export (CSV)": _call_export,
    "calls: inspect": lambda w: get(
        snippet("callforscrutiny", "inspect", w.call.pk),
        private=(RESIDENT["email"], RESIDENT["phone"], RESIDENT["postcode"]),
    ),
    "calls: internal notes on the record": lambda w: get(
        snippet("callforscrutiny", "inspect", w.call.pk), private=("Rang the resident.",)
    ),
    "calls: separate history page": lambda w: get(snippet("callforscrutiny", "history", w.call.pk)),
    "calls: chooser": lambda w: get(
        reverse("wagtailsnippetchoosers_scrutiny_callforscrutiny:choose"),
        private=(RESIDENT["name"],),
        needs=w.call,
    ),
    "calls: download evidence": lambda w: get(
        snippet("callforscrutiny", "evidence", w.call.evidence.get().pk)
    ),
    "calls: delete": lambda w: get(snippet("callforscrutiny", "delete", w.call.pk)),
    "calls: move to another stage": lambda w: post(
        snippet("callforscrutiny", "move", w.call.pk), {"transition": "send_to_panel"}
    ),
    "calls: issue a new access code": lambda w: post(
        snippet("callforscrutiny", "access_code", w.call.pk), success="The new access code"
    ),
    "calls: assign an officer": lambda w: post(
        snippet("callforscrutiny", "assign", w.call.pk), {"officer": w.officer.pk}
    ),
    "calls: enter a call for a resident": _call_for_resident,
    "calls: add an internal note": lambda w: post(
        snippet("callforscrutiny", "note", w.call.pk), {"text": "Sent a leaflet."}
    ),
    "calls: correct service or households": lambda w: post(
        snippet("callforscrutiny", "correct", w.call.pk),
        {"business_area": w.area.pk, "households_affected": "12"},
    ),
    "calls: record support given": lambda w: post(
        snippet("callforscrutiny", "support_given", w.call.pk)
    ),
    "calls: take the panel's decision": lambda w: post(
        snippet("callforscrutiny", "decide", w.waiting_call.pk, "accepted"),
        {"meeting": str(w.held_meeting.pk), "reasons": "A pattern of failure."},
    ),
    # Petitions.
    "petitions: list": lambda w: get(snippet("petition", "list"), needs=w.petition),
    "petitions: inspect": lambda w: get(snippet("petition", "inspect", w.petition.pk)),
    "petitions: history": lambda w: get(snippet("petition", "history", w.petition.pk)),
    "petitions: edit wording and dates": lambda w: get(snippet("petition", "edit", w.petition.pk)),
    "petitions: open for a call": _petition_open,
    "petitions: change the target": lambda w: post(
        snippet("petition", "target", w.petition.pk), {"target": "30", "reason": "More flats."}
    ),
    "petitions: enter a paper signature": lambda w: post(
        snippet("petition", "paper", w.petition.pk), {"name": "Pat Paper", "postcode": "L1 1AA"}
    ),
    "petitions: import a sheet of signatures": lambda w: post(
        snippet("petition", "import", w.petition.pk),
        lambda: {"sheet": SimpleUploadedFile("s.csv", b"name,postcode\nPat,L1 1AA\n", "text/csv")},
    ),
    "petitions: invalidate signatures": lambda w: post(
        snippet("petition", "invalidate", w.petition.pk),
        {"reason": "Spam", "email_domain": "example.org"},
    ),
    "petitions: close": lambda w: post(snippet("petition", "close", w.petition.pk)),
    "petitions: export signatures (CSV)": lambda w: get(
        snippet("petition", "signatures_csv", w.petition.pk)
    ),
    # Meetings and reasons.
    "meetings: list": lambda w: get(snippet("panelmeeting", "list"), needs=w.meeting),
    "meetings: inspect": lambda w: get(snippet("panelmeeting", "inspect", w.meeting.pk)),
    "meetings: history": lambda w: get(snippet("panelmeeting", "history", w.meeting.pk)),
    "meetings: print the agenda": lambda w: get(
        snippet("panelmeeting", "agenda", w.waiting_call.agenda_meeting_id),
        private=(RESIDENT["name"], RESIDENT["email"]),
    ),
    "meetings: schedule a meeting": lambda w: post(snippet("panelmeeting", "add"), _meeting_form()),
    "meetings: edit": lambda w: get(snippet("panelmeeting", "edit", w.meeting.pk)),
    "meetings: cancel": lambda w: post(snippet("panelmeeting", "cancel", w.meeting.pk)),
    "meetings: mark held": lambda w: post(snippet("panelmeeting", "held", make_meeting(-1).pk)),
    "reasons for not accepting: list": lambda w: get(snippet("notacceptedreason", "list")),
    "reasons for not accepting: add": lambda w: post(
        snippet("notacceptedreason", "add"),
        {
            "code": "ombudsman-open",
            "label": "The Ombudsman is looking at it",
            "active": "on",
            "sort_order": "1",
        },
    ),
    # Appeals and involvement groups.
    "appeals: list": lambda w: get(snippet("appeal", "list"), others=(w.appeals[1].reference,)),
    "appeals: inspect one they sit on": lambda w: get(
        snippet("appeal", "inspect", w.appeals[0].pk), private=(RESIDENT["email"],)
    ),
    "appeals: inspect one they do not sit on": lambda w: get(
        snippet("appeal", "inspect", w.appeals[1].pk)
    ),
    "appeals: history": lambda w: get(snippet("appeal", "history", w.appeals[0].pk)),
    "appeals: chooser": lambda w: get(
        reverse("wagtailsnippetchoosers_scrutiny_appeal:choose"), needs=w.appeals
    ),
    "appeals: download a file": _appeal_file,
    "appeals: convene the appeal panel": _appeal_convene,
    "appeals: record an appeal for a resident": lambda w: post(
        snippet("appeal", "for_resident"),
        {
            "reference": w.postal_call.reference,
            "grounds": "My letter of 3 June.",
            "received_via": "post",
            "received_on": timezone.localdate().isoformat(),
        },
    ),
    "appeals: record the appeal panel's decision": lambda w: post(
        snippet("appeal", "decide", w.appeals[0].pk),
        {
            "outcome": "dismissed",
            "direction": "",
            "reasons": "The avenues remain open.",
            "confirm": "yes",
        },
    ),
    "involvement groups: list": lambda w: get(snippet("involvementgroup", "list")),
    "involvement groups: add": lambda w: post(
        snippet("involvementgroup", "add"),
        {"name": "Estate inspectors", "description": "Walk the estates.", "members": []},
    ),
    # Business areas.
    "business areas: list": lambda w: get(snippet("businessarea", "list"), needs=w.area),
    "business areas: inspect": lambda w: get(snippet("businessarea", "inspect", w.area.pk)),
    "business areas: history": lambda w: get(snippet("businessarea", "history", w.area.pk)),
    "business areas: chooser": lambda w: get(
        reverse("wagtailsnippetchoosers_scrutiny_businessarea:choose"), needs=w.area
    ),
    "business areas: add": lambda w: get(snippet("businessarea", "add")),
    "business areas: edit": lambda w: get(snippet("businessarea", "edit", w.area.pk)),
    # Scoring and the programme.
    "measures: list": lambda w: get(snippet("measure", "list")),
    "measures: add": lambda w: get(snippet("measure", "add")),
    "measures: import": lambda w: get(snippet("measure", "import")),
    "scoring matrix: list": lambda w: get(snippet("scoringcriterion", "list")),
    "scoring matrix: edit a criterion": lambda w: get(
        snippet("scoringcriterion", "edit", ScoringCriterion.objects.first().pk)
    ),
    "ranking and programme": lambda w: get(reverse("scrutiny_programme:index")),
    "programme: score everything not yet scheduled": lambda w: post(
        reverse("scrutiny_programme:rescore", args=[w.year])
    ),
    "programme: schedule a review": lambda w: post(
        reverse("scrutiny_programme:schedule", args=[w.score.pk])
    ),
    # The yearly outcomes report.
    "outcomes report": lambda w: get(reverse("scrutiny_outcomes:index")),
    "outcomes report: CSV": lambda w: get(
        reverse("scrutiny_outcomes:csv", args=[last_closed_financial_year()])
    ),
    "outcomes report: draft the public report": lambda w: post(
        reverse("scrutiny_outcomes:report", args=[last_closed_financial_year()]),
        needs=w.programme_page,
    ),
    "outcomes report: take the figures again for the draft": lambda w: post(
        reverse("scrutiny_outcomes:report", args=[w.outcomes_draft.financial_year])
    ),
    "outcomes report: edit the public report page": lambda w: get(
        reverse("wagtailadmin_pages:edit", args=[w.outcomes_page.pk])
    ),
    # Action plans.
    "action plans: list": lambda w: get(
        reverse("scrutiny_actions:index"),
        success=w.reported_review[0].title,
        needs=w.serious_failure,
    ),
    "action plans: a review's plan": lambda w: get(
        reverse("scrutiny_actions:review", args=[w.reported_review[0].pk]),
        success=w.reported_review[3].action,
    ),
    "action plans: a serious failure's plan": lambda w: get(
        reverse("scrutiny_actions:decision", args=[w.serious_failure.pk]),
        success="Restore heating within 48 hours.",
    ),
    "action plans: record a response": lambda w: post(
        reverse("scrutiny_actions:respond", args=[w.reported_review[2].pk]),
        {"decision": "accepted", "reasons": "We will fit extractor fans."},
    ),
    "action plans: add an action": lambda w: post(
        reverse("scrutiny_actions:add", args=[w.reported_review[1].pk]),
        {"action": "Survey the flats", "owner": "", "due_on": "2027-03-31"},
    ),
    "action plans: add an action to a serious failure": lambda w: post(
        reverse("scrutiny_actions:add_to_decision", args=[w.serious_failure.pk]),
        {"action": "Restore heating", "owner": "", "due_on": "2027-03-31"},
    ),
    "action plans: change an action": lambda w: post(
        reverse("scrutiny_actions:change", args=[w.reported_review[3].pk]),
        {"action": "Fit fans", "owner": "", "due_on": "2027-03-31"},
    ),
    "action plans: record progress": lambda w: post(
        reverse("scrutiny_actions:progress", args=[w.reported_review[3].pk]),
        {"status": "in_progress", "note": "Surveys booked.", "completed_on": ""},
    ),
    "action plans: the panel agrees a plan": lambda w: post(
        reverse("scrutiny_actions:agree", args=[w.reported_review[1].pk])
    ),
    "action plans: overdue actions on the dashboard": lambda w: get(
        reverse("wagtailadmin_home"), shows=(w.reported_review[3].action,)
    ),
    # The History area.
    "history: every change": lambda w: get(
        reverse("scrutiny_history:index"),
        private=(RESIDENT["phone"],),
        needs=w.call_with_new_phone,
    ),
    "history: export (CSV)": lambda w: get(
        reverse("scrutiny_history:index") + "?export=csv",
        private=(RESIDENT["phone"],),
        needs=w.call_with_new_phone,
    ),
    "history: a record's own history": lambda w: get(
        reverse("scrutiny_history:record", args=["call", w.call_with_new_phone.pk]),
        private=(RESIDENT["phone"],),
    ),
    "history: a signature's own history": lambda w: get(
        reverse("scrutiny_history:record", args=["signature", w.signature_with_new_name.pk]),
        private=("Sam Jones",),
    ),
    "history: compare two revisions of a review's report": lambda w: get(
        reverse("scrutiny_history:compare_page_revisions", args=[w.review.pk, *w.review_revisions]),
        shows=("fortnight",),
    ),
    # Personal data.
    "personal data: the screen": lambda w: get(reverse("scrutiny_personal_data:index")),
    "personal data: look up an address": lambda w: post(
        reverse("scrutiny_personal_data:index"),
        {"email": RESIDENT["email"].upper()},
        success=w.call.reference,
    ),
    "personal data: export (JSON)": lambda w: post(
        reverse("scrutiny_personal_data:export"),
        {"email": RESIDENT["email"]},
        success=w.call.reference,
    ),
    "personal data: confirm an erasure": lambda w: post(
        reverse("scrutiny_personal_data:erase"),
        {"email": RESIDENT["email"]},
        success=w.call.reference,
    ),
    "personal data: erase": lambda w: post(
        reverse("scrutiny_personal_data:erase"),
        {"email": RESIDENT["email"], "confirm": "yes"},
        needs=w.call,
    ),
    # The outbox and the anonymisation log.
    "outbox: list": lambda w: get(
        "/admin/scrutiny/sentemail/", private=("Pat Post",), needs=w.letter
    ),
    "outbox: letters to post": lambda w: get(
        "/admin/scrutiny/sentemail/?state__exact=to_post",
        private=("Pat Post",),
        needs=w.letter,
    ),
    "outbox: download a letter (PDF)": lambda w: get(
        reverse("scrutiny_outbox_letter_pdf", args=[w.letter.pk]), success="%PDF"
    ),
    "outbox: mark a letter posted": lambda w: post(
        reverse("scrutiny_outbox_letter_posted", args=[w.letter.pk])
    ),
    "outbox: add a message": lambda w: get("/admin/scrutiny/sentemail/create/"),
    "outbox: edit a message": lambda w: get(f"/admin/scrutiny/sentemail/edit/{w.letter.pk}/"),
    "outbox: delete a message": lambda w: get(f"/admin/scrutiny/sentemail/delete/{w.letter.pk}/"),
    "anonymisation log: list": lambda w: get(
        "/admin/scrutiny/privacyaction/", shows=("The retention task",), needs=w.retention_run
    ),
    "anonymisation log: delete an entry": lambda w: get(
        f"/admin/scrutiny/privacyaction/delete/{w.retention_run.pk}/"
    ),
    # Applications, members and expense claims.
    "applications: list": lambda w: get(snippet("panelapplication", "list"), needs=w.application),
    "applications: inspect": lambda w: get(
        snippet("panelapplication", "inspect", w.application.pk)
    ),
    "applications: chooser": lambda w: get(
        reverse("wagtailsnippetchoosers_scrutiny_panelapplication:choose"), needs=w.application
    ),
    "applications: enter an application for a resident": lambda w: post(
        snippet("panelapplication", "enter"),
        {
            "received_via": "phone",
            "received_on": timezone.localdate().isoformat(),
            "tenure": "tenant",
            "legal_action": "no",
            "money_order": "no",
            "legal_dispute": "no",
            "name": "Sam Okafor",
            "phone": "07700 900982",
            "postcode": "pc1 1aa",
            "why_join": "I want repairs done right first time.",
            "availability": "Weekday evenings",
            "payment_choice": "voluntary",
            "privacy_agreed": "on",
        },
        success="application is entered",
    ),
    "applications: move to a stage": lambda w: post(
        snippet("panelapplication", "move", w.application.pk), {"stage": "declined", "note": ""}
    ),
    "applications: add a note": lambda w: post(
        snippet("panelapplication", "note", w.application.pk), {"note": "Good interview."}
    ),
    "applications: appoint": lambda w: post(
        snippet("panelapplication", "appoint", w.application.pk),
        {"role": "member", "started_on": "2026-06-01"},
    ),
    "members: list": lambda w: get(snippet("panelmember", "list"), needs=w.claims),
    "members: inspect": lambda w: get(snippet("panelmember", "inspect", w.claims[1].member.pk)),
    "members: edit role, dates, payment": lambda w: get(
        snippet("panelmember", "edit", w.claims[1].member.pk)
    ),
    "expense claims: list": lambda w: get(
        snippet("expenseclaim", "list"), others=(w.claims[1].description,)
    ),
    "expense claims: chooser": lambda w: get(
        reverse("wagtailsnippetchoosers_scrutiny_expenseclaim:choose"), needs=w.claims
    ),
    "expense claims: claim expenses": lambda w: post(
        snippet("expenseclaim", "add"),
        lambda: {
            "spent_on": "2026-05-01",
            "description": "Taxi home",
            "amount": "12.00",
            "receipt": receipt(),
        },
        needs=w.claims,
    ),
    "expense claims: inspect their own": lambda w: get(
        snippet("expenseclaim", "inspect", w.claims[0].pk)
    ),
    "expense claims: inspect another member's": lambda w: get(
        snippet("expenseclaim", "inspect", w.claims[1].pk)
    ),
    "expense claims: download their own receipt": lambda w: get(
        snippet("expenseclaim", "receipt", w.claims[0].pk)
    ),
    "expense claims: download another member's receipt": lambda w: get(
        snippet("expenseclaim", "receipt", w.claims[1].pk)
    ),
    "expense claims: approve or reject": lambda w: post(
        snippet("expenseclaim", "decide", w.claims[1].pk), {"decision": "approve"}
    ),
    "expense claims: yearly payments (CSV)": lambda w: get(
        snippet("expenseclaim", "payments_csv", w.year)
    ),
    "training: list": lambda w: get(snippet("trainingsession", "list"), needs=w.training),
    "training: add a session": lambda w: post(
        snippet("trainingsession", "add"),
        {
            "title": "Chairing skills",
            "held_on": "2027-02-01",
            "provider": "TPAS",
            "hours": "3",
            "cost": "90",
            "description": "",
        },
    ),
    "training: offer places": lambda w: post(
        snippet("trainingsession", "offer", w.training[0].pk),
        {"members": [make_member("member4").pk]},
    ),
    "training: inspect a session": lambda w: get(
        snippet("trainingsession", "inspect", w.training[0].pk)
    ),
    "training: book their own place": lambda w: post(
        snippet("trainingsession", "place", w.training[1].pk), {"move": "book"}
    ),
    "training: book another member's place": lambda w: post(
        snippet("trainingsession", "place", w.training[2].pk), {"move": "book"}
    ),
    "training: record attendance": lambda w: post(
        snippet("trainingsession", "place", w.held_training[1].pk), {"move": "attend"}
    ),
    "time given: list": lambda w: get(
        snippet("timeentry", "list"), others=("member3",), needs=w.time_entries
    ),
    "time given: log time": lambda w: post(
        snippet("timeentry", "add"),
        lambda: {
            "member": w.members[1].pk,
            "activity": "evidence",
            "worked_on": "2026-05-03",
            "hours": "2",
            "note": "",
        },
        needs=w.members,
    ),
    "time given: inspect their own": lambda w: get(
        snippet("timeentry", "inspect", w.time_entries[0].pk)
    ),
    "time given: inspect another member's": lambda w: get(
        snippet("timeentry", "inspect", w.time_entries[1].pk)
    ),
    "time given: withdraw another member's": lambda w: post(
        snippet("timeentry", "withdraw", w.time_entries[1].pk)
    ),
    "referred topics: list": lambda w: get(snippet("referredtopic", "list"), needs=w.referral),
    "referred topics: record a referral": lambda w: post(
        snippet("referredtopic", "add"),
        {
            "title": "Complaints take too long",
            "business_area": w.area.pk,
            "evidence": "Stage 1 complaints answered in time fell to 61%.",
            "body_meeting": "Quarterly meeting",
            "referred_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        },
    ),
    "referred topics: inspect": lambda w: get(snippet("referredtopic", "inspect", w.referral.pk)),
    "referred topics: withdraw": lambda w: post(
        snippet("referredtopic", "withdraw", w.referral.pk),
        {"reason": "The body found the cause itself."},
    ),
    "effectiveness reviews: list": lambda w: get(
        snippet("effectivenessreview", "list"), needs=w.effectiveness
    ),
    "effectiveness reviews: prepare": lambda w: post(
        snippet("effectivenessreview", "add"), {"financial_year": current_financial_year()}
    ),
    "effectiveness reviews: inspect": lambda w: get(
        snippet("effectivenessreview", "inspect", w.effectiveness.pk)
    ),
    "effectiveness reviews: write the assessment": lambda w: post(
        snippet("effectivenessreview", "write", w.effectiveness.pk),
        {
            "what_worked": "Calls were quick.",
            "what_did_not": "Plans slipped.",
            "changes_next_year": "Check plans quarterly.",
        },
    ),
    "effectiveness reviews: agree at a meeting": lambda w: post(
        snippet("effectivenessreview", "agree", w.effectiveness.pk),
        {"meeting": w.formal_meeting_held.pk},
    ),
    "effectiveness reviews: record the body's acknowledgement": lambda w: post(
        snippet("effectivenessreview", "acknowledge", w.agreed_effectiveness.pk),
        {"acknowledged_on": timezone.localdate().isoformat(), "note": "Noted with thanks."},
    ),
    # The public site.
    "public: home page": lambda w: get(w.home.url),
    "public: content page": lambda w: get(w.content_page.url),
    "public: call form": lambda w: get(w.call_page.url),
    "public: send a call": _call_form,
    "public: track a call": lambda w: post(
        w.call_page.url + "track/",
        {"reference": w.call.reference, "access_code": w.call.access_code},
        success=w.call.reference,
    ),
    "public: track a call by its emailed link": lambda w: get(
        w.call_page.url + f"track/{selectors.call_tracking_token(w.call)}/",
        success=w.call.reference,
    ),
    "public: appeal form": lambda w: get(w.call_page.url + "appeal/"),
    "public: send an appeal": _appeal_form,
    "public: petitions": lambda w: get(w.petition_page.url),
    "public: a petition": lambda w: get(w.petition_page.url + w.petition.slug + "/"),
    "public: sign a petition": lambda w: post(
        w.petition_page.url + w.petition.slug + "/",
        {
            "name": "Sam Jones",
            "email": "sam.jones@example.org",
            "postcode": "pc1 1aa",
            "address": "",
            "privacy_agreed": "on",
            "website": "",
        },
    ),
    "public: confirm a signature": lambda w: post(
        w.petition_page.url + f"confirm/{w.signature.token}/"
    ),
    'public: press "Confirm my signature"': lambda w: post(
        f"/petition-signatures/{w.signature.token}/confirm/",
        {"next": w.petition_page.url + f"confirm/{w.signature.token}/"},
        success="Your signature is confirmed and counted.",
    ),
    'public: press "Take my signature back"': lambda w: post(
        f"/petition-signatures/{w.signature.token}/withdraw/",
        {"next": w.petition_page.url + f"withdraw/{w.signature.token}/"},
        success="Your signature has been taken back.",
    ),
    "public: join the panel": lambda w: get(w.join_page.url),
    "public: apply to join the panel": _join_form,
    "public: programme": lambda w: get(w.programme_page.url),
    "public: a year's programme": lambda w: get(w.year_page.url),
    "public: a year's outcomes report": lambda w: get(w.outcomes_page.url),
    "public: a year's outcomes report (PDF)": lambda w: get(
        w.outcomes_page.url + "pdf/", success="%PDF"
    ),
    # Reviews and reports
    "reviews: list": lambda w: get(reverse("scrutiny_reviews:index"), success=w.review.title),
    "reviews: run the review": lambda w: get(
        reverse("scrutiny_reviews:run", args=[w.review.pk]), success="Run the review"
    ),
    "reviews: update a step": _review_step_update,
    "reviews: add a participant": lambda w: post(
        reverse("scrutiny_reviews:run", args=[w.review.pk]),
        {
            "action": "add_participant",
            "participant-member": make_member("joiner").pk,
            "participant-role": "member",
        },
    ),
    "reviews: remove a participant": lambda w: post(
        reverse("scrutiny_reviews:run", args=[w.review.pk]),
        {"action": "remove_participant", "participant": w.review.participants.get().pk},
    ),
    "reviews: download the draft report (PDF)": lambda w: get(
        reverse("scrutiny_reviews:pdf", args=[w.review.pk]), success="%PDF"
    ),
    "review steps: list": lambda w: get(snippet("reviewstep", "list")),
    "review steps: add": lambda w: get(snippet("reviewstep", "add")),
    "review steps: edit": lambda w: get(
        snippet("reviewstep", "edit", ReviewStep.objects.first().pk)
    ),
    "reviews: edit the review page": lambda w: get(
        reverse("wagtailadmin_pages:edit", args=[w.review.pk])
    ),
    "reviews: submit the report for approval": lambda w: post(
        reverse("wagtailadmin_pages:edit", args=[w.review.pk]),
        edit_post(w.review, **{"action-submit": "action-submit"}),
        success="has been submitted for moderation",  # not merely saved as a draft
    ),
    "reviews: approve Panel sign-off": lambda w: _workflow_approve(w.review_in_approval),
    "reviews: approve the oversight body's task": lambda w: _workflow_approve(
        w.review_signed_by_panel
    ),
    "reviews: publish with the Publish button": lambda w: post(
        reverse("wagtailadmin_pages:edit", args=[w.review.pk]),
        edit_post(w.review, **{"action-publish": "action-publish"}),
    ),
    "public: a review's report": lambda w: get(
        w.live_review.url, success="Book every repair at the first call."
    ),
    "public: a review's report (PDF)": lambda w: get(w.live_review.url + "pdf/", success="%PDF"),
}


class RecipeError(AssertionError):
    """The recipe's request was not a valid one: fix the recipe, not the matrix."""


def outcome(client: Client, req: Req) -> str:
    """What happened to one request: "yes", "no", "redacted", "own", or what went wrong.

    Refused: the login page, a 403 or 404, or an error message (Wagtail's "no permission"
    redirect, or the pipeline refusing the action). After a POST, a redirect without an error is
    success, unless the recipe needs to read the page it leads to.
    """
    send = client.post if req.method == "post" else client.get
    response = send(req.url, req.data() if callable(req.data) else req.data)
    login_url = reverse("wagtailadmin_login")
    while response.status_code in {301, 302, 303}:
        location = response["Location"]
        if location.startswith(login_url) or _error_messages(client):
            return "no"
        if req.method == "post" and not (req.success or req.private or req.others or req.shows):
            return "yes"  # the action was done; the page it returns to need not be drawn
        response = client.get(location)
    if response.status_code in {403, 404}:
        return "no"
    if response.status_code != 200:
        return f"status {response.status_code}"
    context = response.context
    form = context.get("form") if context is not None else None
    if form is not None and getattr(form, "is_bound", False) and form.errors:
        raise RecipeError(f"{req.method.upper()} {req.url} has form errors: {form.errors}")
    if any(m.level >= messages.ERROR for m in get_messages(response.wsgi_request)):
        return "no"
    body = _body(response)
    if req.success and req.success not in body:
        raise RecipeError(f"{req.method.upper()} {req.url} did not show {req.success!r}")
    if req.shows and not all(text in body for text in req.shows):
        return "no"
    if req.others and not any(text in body for text in req.others):
        return "own"
    if req.private:
        shown = [text for text in req.private if text in body]
        if not shown:
            return "redacted"
        if len(shown) < len(req.private):
            return f"leaks {shown}"
    return "yes"


def _error_messages(client: Client) -> list[str]:
    """Error messages waiting in the messages cookie for the next page."""
    cookie = client.cookies.get("messages")
    if cookie is None or not cookie.value:
        return []
    stored = CookieStorage(HttpRequest())._decode(cookie.value) or []
    return [str(m) for m in stored if m.level >= messages.ERROR]


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def attempt(staff, user_key: str | None, req: Req, number: int) -> str:
    """The outcome of one request by one user, undone afterwards so the next starts afresh."""
    cache.clear()
    client = Client(REMOTE_ADDR=f"192.0.2.{number}")
    with transaction.atomic():
        if user_key:
            client.force_login(staff[user_key])
        result = outcome(client, req)
        transaction.set_rollback(True)
    return result


MATRIX = matrix()
# Rows a superuser is refused too: nobody deletes a call or opens its separate history page, only
# a panel member (who has a member record) claims expenses, nobody publishes a report directly,
# and nobody deletes a page of the record or a page above one.
SUPERUSER_REFUSED = {
    "calls: delete",
    "calls: separate history page",
    "expense claims: claim expenses",
    "reviews: publish with the Publish button",
    "pages: delete the home page",
    "pages: delete the programme",
    "pages: delete a year's programme",
    "pages: delete a review",
    "pages: confirm deleting a review",
    "pages: delete an outcomes report",
    "outbox: add a message",
    "outbox: edit a message",
    "outbox: delete a message",
    "anonymisation log: delete an entry",
}


def test_every_row_has_a_recipe_and_every_recipe_a_row():
    assert sorted(set(MATRIX) - set(RECIPES)) == [], "rows in docs/permissions.md without a recipe"
    assert sorted(set(RECIPES) - set(MATRIX)) == [], "recipes without a row in docs/permissions.md"


@pytest.mark.parametrize("thing", list(MATRIX))
def test_the_matrix_row(staff, thing):
    assert thing in RECIPES, f"matrix row {thing!r} has no recipe in {__name__}.RECIPES"
    req = RECIPES[thing](World(staff))
    # A superuser may do everything anyone may: a recipe refused to them is a broken recipe.
    if thing not in SUPERUSER_REFUSED:
        assert attempt(staff, "admin", req, 100) != "no", (
            f"the recipe of {thing!r} is refused to a superuser"
        )
    expected = {group: MATRIX[thing][group] for group in GROUPS}
    actual = {
        group: attempt(staff, USERS[group], req, number)
        for number, group in enumerate(GROUPS, start=1)
    }
    differing = [
        f"{group}: docs/permissions.md says {expected[group]!r}, the site gives {actual[group]!r}"
        for group in GROUPS
        if actual[group] != expected[group]
    ]
    as_row = " | ".join([thing, f"`{req.method.upper()} {req.url}`", *actual.values()])
    assert not differing, "\n".join([f"{thing}:", *differing, f"actual row: | {as_row} |"])


# The "Page permissions" table in docs/permissions.md, written out again here: that page is the
# specification, this copy pins it (a change to either alone fails), and every cell is checked
# through the explorer, the editor and Wagtail's PagePermissionTester.
STAFF = GROUPS[1:]
PAGE_HEADER = ["page type", *STAFF]
PAGE_ACTIONS = ("explore", "add", "edit", "publish", "delete", "lock")
PAGE_PERMISSIONS = {
    # page type: Communications, Scrutiny officers, Panel members, Appeal panel, Managers
    "home page": ("explore, add, edit, publish, lock", "none", "none", "none", "none"),
    "standard page": ("explore, add, edit, publish, delete, lock", "none", "none", "none", "none"),
    "call form page": ("explore, edit, publish, delete, lock", "none", "none", "none", "none"),
    "petitions page": ("explore, edit, publish, delete, lock", "none", "none", "none", "none"),
    "join-the-panel page": ("explore, edit, publish, delete, lock", "none", "none", "none", "none"),
    "programme": ("explore, add, edit, publish, lock", "none", "none", "none", "none"),
    "a year's programme": ("explore, add, edit, publish, lock", "none", "none", "none", "none"),
    "review": ("explore, edit, lock", "edit", "edit", "none", "none"),
    "outcomes report": ("explore, edit, publish, lock", "none", "none", "none", "none"),
}
PAGES = {
    "home page": lambda w: w.home,
    "standard page": lambda w: w.content_page,
    "call form page": lambda w: w.call_page,
    "petitions page": lambda w: w.petition_page,
    "join-the-panel page": lambda w: w.join_page,
    "programme": lambda w: w.programme_page,
    "a year's programme": lambda w: w.year_page,
    "review": lambda w: w.review,
    "outcomes report": lambda w: w.outcomes_page,
}


def page_permissions_table() -> dict[str, tuple[str, ...]]:
    """The page permissions table in docs/permissions.md: page type -> a cell per staff group."""
    lines = PERMISSIONS_DOC.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if _cells(line) == PAGE_HEADER), None)
    assert start is not None, f"docs/permissions.md has no table headed {' | '.join(PAGE_HEADER)}"
    rows = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        page_type, *cells = _cells(line)
        rows[page_type] = tuple(cells)
    return rows


def _rights(cell: str) -> set[str]:
    return set() if cell == "none" else {word.strip() for word in cell.split(",")}


def test_the_page_permissions_here_are_the_readmes():
    assert page_permissions_table() == PAGE_PERMISSIONS
    for cells in PAGE_PERMISSIONS.values():
        for cell in cells:
            assert _rights(cell) <= set(PAGE_ACTIONS), cell


def page_rights(staff, user_key: str, page) -> set[str]:
    """What one user may do with one page: the explorer and the editor asked for real."""
    from scrutiny.selectors.records import page_deletion_refusal

    user = staff[user_key]
    client = Client()
    client.force_login(user)
    tester = page.specific.permissions_for_user(user)
    explores = client.get(reverse("wagtailadmin_explore", args=[page.pk])).status_code == 200
    edits = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    assert edits == tester.can_edit(), f"the editor and the tester disagree for {user_key}"
    rights = {
        "explore": explores,
        "add": tester.can_add_subpage(),
        "edit": edits,
        "publish": tester.can_publish(),
        "delete": tester.can_delete() and page_deletion_refusal(page) is None,
        "lock": tester.can_lock(),
    }
    return {action for action, allowed in rights.items() if allowed}


@pytest.mark.parametrize("page_type", list(PAGE_PERMISSIONS))
def test_the_page_permissions_row(staff, page_type):
    world = World(staff)
    for build in PAGES.values():  # the whole tree, so that each page has its neighbours
        build(world)
    page = PAGES[page_type](world)
    page.refresh_from_db()
    expected = {
        group: _rights(cell) for group, cell in zip(STAFF, PAGE_PERMISSIONS[page_type], strict=True)
    }
    actual = {group: page_rights(staff, USERS[group], page) for group in STAFF}
    differing = [
        f"{group}: the doc says {sorted(expected[group])}, the site gives {sorted(actual[group])}"
        for group in STAFF
        if actual[group] != expected[group]
    ]
    assert not differing, "\n".join([f"{page_type}:", *differing])
