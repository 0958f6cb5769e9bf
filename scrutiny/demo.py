"""Loading and dumping the curated demo data in fixtures/, one file per seed organisation."""

import datetime
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page, Site

PROFILES = ["pine-court", "citizen"]

DEMO_ACCOUNTS = [
    ("admin", "Superuser: everything, including the configuration"),
    ("comms", "Communications: edits and publishes the public pages"),
    ("officer", "Scrutiny officer: runs the calls, petitions and meetings"),
    ("panel", "Panel member: considers calls and takes decisions"),
    ("appeal", "Appeal panel member: sees only the appeals they sit on"),
    ("manager", "Manager: responds to recommendations and reads the history"),
]

# The models a demo is made of, in an order loaddata can follow. Later features add theirs.
# Configuration made by data migrations (reasons for not accepting, the scoring matrix) is not.
DEMO_MODELS = [
    "auth.user",
    "wagtailcore.page",
    "home.homepage",
    "home.standardpage",
    "wagtailcore.site",
    "scrutiny.scrutinysettings",
    "scrutiny.historicalscrutinysettings",
    "scrutiny.businessarea",
    "scrutiny.historicalbusinessarea",
    "scrutiny.callforscrutinypage",
    "scrutiny.callformquestion",
    "scrutiny.referencecounter",
    "scrutiny.callforscrutiny",
    "scrutiny.historicalcallforscrutiny",
    "scrutiny.callnote",
    "scrutiny.historicalcallnote",
    "scrutiny.panelmeeting",
    "scrutiny.historicalpanelmeeting",
    "scrutiny.historicalpanelmeeting_attendees",
    "scrutiny.paneldecision",
    "scrutiny.historicalpaneldecision",
    "scrutiny.monitoring",
    "scrutiny.historicalmonitoring",
    "scrutiny.petitionindexpage",
    "scrutiny.petition",
    "scrutiny.historicalpetition",
    "scrutiny.petitionsignature",
    "scrutiny.historicalpetitionsignature",
    "scrutiny.involvementgroup",
    "scrutiny.historicalinvolvementgroup",
    "scrutiny.historicalinvolvementgroup_members",
    "scrutiny.historicalinvolvementgroup_business_areas",
    "scrutiny.appeal",
    "scrutiny.historicalappeal",
    "scrutiny.historicalappeal_panel",
    "scrutiny.programmeindexpage",
    "scrutiny.programmeyearpage",
    "scrutiny.outcomesreportpage",
    "scrutiny.scrutinyreviewpage",
    "scrutiny.measure",
    "scrutiny.historicalmeasure",
    "scrutiny.referredtopic",
    "scrutiny.historicalreferredtopic",
    "scrutiny.score",
    "scrutiny.historicalscore",
    "scrutiny.jointhepanelpage",
    "scrutiny.panelmember",
    "scrutiny.historicalpanelmember",
    "scrutiny.panelapplication",
    "scrutiny.historicalpanelapplication",
    "scrutiny.expenseclaim",
    "scrutiny.historicalexpenseclaim",
    "scrutiny.trainingsession",
    "scrutiny.historicaltrainingsession",
    "scrutiny.trainingplace",
    "scrutiny.historicaltrainingplace",
    "scrutiny.reviewstepprogress",
    "scrutiny.historicalreviewstepprogress",
    "scrutiny.reviewparticipant",
    "scrutiny.historicalreviewparticipant",
    "scrutiny.recommendation",
    "scrutiny.historicalrecommendation",
    "scrutiny.recommendationresponse",
    "scrutiny.historicalrecommendationresponse",
    "scrutiny.actionitem",
    "scrutiny.historicalactionitem",
    "scrutiny.timeentry",
    "scrutiny.historicaltimeentry",
    "scrutiny.ineligibleapplicationcount",
    "scrutiny.equalitymonitoring",
    "scrutiny.effectivenessreview",
    "scrutiny.historicaleffectivenessreview",
    "wagtailcore.modellogentry",
]


class DemoError(Exception):
    """The demo cannot be loaded as asked; the message says why."""


@dataclass
class ExistingContent:
    """What a database holds that loading the demo would overwrite."""

    pages: int
    business_areas: int
    calls: int
    users: int

    def __bool__(self) -> bool:
        return bool(self.pages or self.business_areas or self.calls or self.users)

    def __str__(self) -> str:
        return (
            f"{self.pages} page(s), {self.business_areas} business area(s), "
            f"{self.calls} call(s), {self.users} user(s)"
        )


@dataclass(frozen=True)
class DemoFixture:
    """A profile's demo records and the day they were written."""

    written_on: datetime.date
    records: list[dict]


def fixture_path(profile: str) -> Path:
    """Where the fixture for a profile lives."""
    return Path(settings.BASE_DIR) / "fixtures" / f"demo-{profile}.json"


def fixture_read(profile: str) -> DemoFixture:
    """A profile's fixture: its records and the day they were written.

    A bare list of records, as fixtures were before they said when they were written, reads
    as written today, so it loads with its dates as they are.
    """
    content = json.loads(fixture_path(profile).read_text())
    if isinstance(content, list):
        return DemoFixture(written_on=timezone.localdate(), records=content)
    return DemoFixture(
        written_on=datetime.date.fromisoformat(content["written_on"]), records=content["records"]
    )


def fixture_write(path: Path, *, written_on: datetime.date, records: list[dict]) -> None:
    """Write records under the day they were written, one record per block as dumpdata does."""
    listed = json.dumps(records, indent=1, ensure_ascii=False)
    path.write_text(f'{{"written_on": "{written_on.isoformat()}", "records": {listed}}}\n')


def existing_content() -> ExistingContent:
    """Count what is already there, ignoring the tree root and Wagtail's welcome page."""
    from .models import BusinessArea, CallForScrutiny

    pages = Page.objects.filter(depth__gt=1).exclude(
        depth=2, content_type__app_label="wagtailcore", content_type__model="page"
    )
    return ExistingContent(
        pages=pages.count(),
        business_areas=BusinessArea.objects.count(),
        calls=CallForScrutiny.objects.count(),
        users=get_user_model().objects.count(),
    )


def clear_content() -> None:
    """Delete the site's pages, sites, users, the log and every scrutiny record."""
    from .models import (
        ActionItem,
        Appeal,
        AppealEvidence,
        BusinessArea,
        CallEvidence,
        CallForScrutiny,
        CallNote,
        EffectivenessReview,
        EqualityMonitoring,
        ExpenseClaim,
        IneligibleApplicationCount,
        InvolvementGroup,
        Measure,
        Monitoring,
        PanelApplication,
        PanelDecision,
        PanelMeeting,
        PanelMember,
        Petition,
        PetitionSignature,
        Recommendation,
        RecommendationResponse,
        ReferenceCounter,
        ReferredTopic,
        ReviewParticipant,
        ReviewStepProgress,
        Score,
        SentEmail,
        TimeEntry,
        TrainingPlace,
        TrainingSession,
    )

    # The record protects what it points at (on_delete=PROTECT): its rows go first, each
    # before the rows and pages it points at.
    for model in [
        TimeEntry,
        TrainingPlace,
        TrainingSession,
        ActionItem,
        RecommendationResponse,
        Recommendation,
        ReviewStepProgress,
        ReviewParticipant,
        Score,
        ReferredTopic,
        EffectivenessReview,
        AppealEvidence,
        Appeal,
        Monitoring,
        PanelDecision,
        PetitionSignature,
        Petition,
        CallEvidence,
        CallNote,
    ]:
        model.objects.all().delete()
    # A duplicate points at the call that carries it on: it goes first.
    CallForScrutiny.objects.exclude(duplicate_of=None).delete()
    CallForScrutiny.objects.all().delete()
    Measure.objects.all().delete()
    Site.objects.all().delete()
    for page in Page.objects.filter(depth=2):
        page.delete()
    InvolvementGroup.objects.all().delete()
    PanelMeeting.objects.all().delete()
    ExpenseClaim.objects.all().delete()
    PanelApplication.objects.all().delete()
    PanelMember.objects.all().delete()
    EqualityMonitoring.objects.all().delete()
    IneligibleApplicationCount.objects.all().delete()
    BusinessArea.objects.all().delete()
    ReferenceCounter.objects.all().delete()
    SentEmail.objects.all().delete()
    ModelLogEntry.objects.all().delete()
    for model in apps.get_app_config("scrutiny").get_models():
        if model._meta.label_lower.startswith("scrutiny.historical"):
            model.objects.all().delete()
    get_user_model().objects.all().delete()


@transaction.atomic
def demo_load(*, profile: str, reset: bool = False, today: datetime.date | None = None) -> None:
    """Load a profile's demo as of today, refusing to overwrite content unless asked to reset.

    The demo's dates move by the days since its fixture was written, its financial years by
    the whole financial years since then (see scrutiny.demo_dates), so it keeps its shape.
    """
    from .demo_dates import demo_records_move

    if profile not in PROFILES:
        raise DemoError(f"Unknown profile '{profile}'. Choose one of: {', '.join(PROFILES)}.")
    password = getattr(settings, "SCRUTINY_DEMO_PASSWORD", None)
    if not password:
        raise DemoError(
            "The demo sets a shared password and is for development only; "
            "these settings do not define SCRUTINY_DEMO_PASSWORD."
        )
    content = existing_content()
    if content and not reset:
        raise DemoError(
            f"The database already has content ({content}). Nothing was changed; "
            "run load_demo with --reset to replace it with the demo."
        )
    fixture = fixture_read(profile)
    clear_content()
    records = demo_records_move(
        records=fixture.records,
        written_on=fixture.written_on,
        today=today or timezone.localdate(),
    )
    with tempfile.TemporaryDirectory() as folder:
        moved = Path(folder) / fixture_path(profile).name
        moved.write_text(json.dumps(records, ensure_ascii=False))
        call_command("loaddata", str(moved), verbosity=0)
    Page.fix_tree(fix_paths=True)
    for user in get_user_model().objects.all():
        user.set_password(password)
        user.save(update_fields=["password"])
    _start_panel_moderation()
    _set_up_reviews()
    _count_signatures()
    _give_access_codes()
    call_command("update_index", verbosity=0)


# The access code of the demo call the README names, so a tester can open its tracking page
# and appeal (scrutiny.access_codes' alphabet; shown as PCHA7-TRACK).
DEMO_ACCESS_CODE = "PCHA7TRACK"


def _give_access_codes() -> None:
    """Give every demo call an access code (fixtures written before codes carry none), and the
    call that can still be appealed the code the README names."""
    from .access_codes import new_access_code
    from .models import CallForScrutiny

    for call in CallForScrutiny.objects.filter(access_code="", anonymised_at__isnull=True):
        CallForScrutiny.objects.filter(pk=call.pk).update(
            access_code=new_access_code(), access_code_issued_at=call.submitted_at
        )
    call = demo_call_to_appeal()
    if call is not None:
        CallForScrutiny.objects.filter(pk=call.pk).update(access_code=DEMO_ACCESS_CODE)


def demo_call_to_appeal():
    """The demo call whose latest decision can still be appealed, or None."""
    from .models import CallForScrutiny
    from .pipeline import appeal_refusal

    for call in CallForScrutiny.objects.filter(decisions__isnull=False).distinct().order_by("pk"):
        decision = call.decisions.order_by("-decided_at", "-pk").first()
        if appeal_refusal(decision=decision) is None:
            return call
    return None


def _count_signatures() -> None:
    """Give each petition its running count, which fixtures leave at nought."""
    from .models import Petition
    from .pipeline import petition_recount

    for petition in Petition.objects.all():
        petition_recount(petition)


def _start_panel_moderation() -> None:
    """Put the demo's calls that await the panel into its moderation workflow.

    Fixtures carry no revisions or workflow states, so these are made afresh on loading.
    """
    from .models import CallForScrutiny, CallStatus

    # Wagtail emails the panel when a call enters its workflow; loading a demo should not.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for call in CallForScrutiny.objects.filter(status=CallStatus.AWAITING_PANEL):
            workflow = call.get_workflow()
            if workflow is not None and not call.workflow_in_progress:
                call.save_revision(log_action=False)
                workflow.start(call, None)


def _set_up_reviews() -> None:
    """Name the oversight task after the loaded settings' oversight body.

    Workflow tasks are not in the fixtures: they are configuration made by a migration.
    """
    from .models import ScrutinySettings
    from .roles import name_oversight_task

    name_oversight_task(ScrutinySettings.load().oversight_body)


def demo_dump(*, profile: str) -> Path:
    """Write the database's demo content to the profile's fixture, dated today, no passwords."""
    if profile not in PROFILES:
        raise DemoError(f"Unknown profile '{profile}'. Choose one of: {', '.join(PROFILES)}.")
    path = fixture_path(profile)
    call_command(
        "dumpdata",
        *DEMO_MODELS,
        natural_foreign=True,
        indent=1,
        output=str(path),
        verbosity=0,
    )
    records = json.loads(path.read_text())
    for record in records:
        if record["model"] == "auth.user":
            record["fields"]["password"] = UNUSABLE_PASSWORD_PREFIX
            record["fields"]["last_login"] = None
        for name in ("latest_revision", "live_revision"):
            if name in record["fields"]:
                record["fields"][name] = None
    fixture_write(path, written_on=timezone.localdate(), records=records)
    return path
