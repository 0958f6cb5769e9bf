"""What a new database needs besides its tables, as the migrations before the first release wrote it.

In order: the five staff groups and their permissions (scrutiny.roles.sync_roles, which only
adds, as every roles migration did); the panel's decision workflow and the default reasons for
not accepting a call; the daily django-q2 schedules (scrutiny.schedules.daily_schedules); the
default scoring matrix; the ten review steps of the Pine Court profile; the report approval
workflow (scrutiny.roles.ensure_report_workflow); and a first history row for each record made
here, which data migrations write without one.

A database that applied the old migrations these steps came from counts this one as applied.
"""

from decimal import Decimal

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils import timezone

from scrutiny.roles import PANEL, ensure_report_workflow, sync_roles
from scrutiny.schedules import daily_schedules

# The panel's decision workflow and the default reasons (from 0006_panel_workflow).

DEFAULT_REASONS = [
    (
        "complaints-not-completed",
        "The complaints procedure has not been completed",
        "Take your complaint through every stage of the complaints procedure first; "
        "the scrutiny officer can explain how.",
    ),
    (
        "individual-matter",
        "An individual matter with its own route of appeal",
        "Use the route of appeal that applies to your own case.",
    ),
    (
        "recently-scrutinised",
        "The service was scrutinised recently",
        "Read the panel's recent report and action plan for this service.",
    ),
    (
        "outside-remit",
        "Outside the panel's remit",
        "The scrutiny officer can tell you who can help with this.",
    ),
]


def create_panel_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    PanelDecisionTask = apps.get_model("scrutiny", "PanelDecisionTask")
    NotAcceptedReason = apps.get_model("scrutiny", "NotAcceptedReason")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="scrutiny", model="paneldecisiontask"
    )
    call_type, _ = ContentType.objects.get_or_create(app_label="scrutiny", model="callforscrutiny")
    task = PanelDecisionTask.objects.create(
        name="Panel decision", content_type=task_type, active=True
    )
    task.groups.set(Group.objects.filter(name=PANEL))
    workflow = Workflow.objects.create(name="Panel decision on a call", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.create(workflow=workflow, content_type=call_type)

    for order, (code, label, avenues) in enumerate(DEFAULT_REASONS):
        NotAcceptedReason.objects.create(code=code, label=label, avenues=avenues, sort_order=order)


# The daily schedules, each of which an old migration made with the task it added
# (0008_schedules, 0018_action_reminders, 0020_privacy, 0021_outcomes, 0026_process_engine).

SCHEDULES = [
    ("Close petitions past their closing date", "scrutiny.tasks.close_expired_petitions"),
    ("Remind owners of actions due soon or overdue", "scrutiny.tasks.send_action_reminders"),
    ("Anonymise personal data past its retention period", "scrutiny.tasks.apply_retention"),
    ("Draft the outcomes report of the year just closed", "scrutiny.tasks.draft_outcomes_report"),
    ("Close the calls whose process has ended", "scrutiny.tasks.close_finished_calls"),
    ("Remind officers of monitoring reviews due", "scrutiny.tasks.send_monitoring_reminders"),
]

# The default scoring matrix (from 0012_scoring_defaults, documented in docs/programme.md); the
# panel changes it in the admin. Points rise as a service does worse, so the areas most in need
# of scrutiny rank first. Bands run from their lower bound (inclusive) up to their upper bound
# (not including).

# (name, measure field, weight, explanation, [(lower, upper, points), ...])
DEFAULT_MATRIX = [
    (
        "Performance against target",
        "performance_percent",
        3,
        "Services that miss their targets need the panel's attention most.",
        [(None, 80, 3), (80, 95, 2), (95, 100, 1), (100, None, 0)],
    ),
    (
        "Customer satisfaction",
        "satisfaction_percent",
        3,
        "Residents' own view of the service, such as the TP01 satisfaction measure.",
        [(None, 60, 3), (60, 70, 2), (70, 80, 1), (80, None, 0)],
    ),
    (
        "Complaints per 1,000 homes",
        "complaints_per_1000_homes",
        2,
        "Complaints relative to the size of the landlord, as in the CH01 measure.",
        [(50, None, 3), (30, 50, 2), (10, 30, 1), (None, 10, 0)],
    ),
    (
        "Business critical",
        "business_critical",
        2,
        "A failure in a business-critical service affects residents' safety or homes.",
        [(1, None, 3), (None, 1, 0)],
    ),
]


def _decimal(value):
    return None if value is None else Decimal(value)


def create_matrix(apps, schema_editor):
    ScoringCriterion = apps.get_model("scrutiny", "ScoringCriterion")
    ScoringBand = apps.get_model("scrutiny", "ScoringBand")
    if ScoringCriterion.objects.exists():
        return
    for order, (name, field, weight, explanation, bands) in enumerate(DEFAULT_MATRIX):
        criterion = ScoringCriterion.objects.create(
            name=name,
            measure_field=field,
            weight=Decimal(weight),
            explanation=explanation,
            sort_order=order,
        )
        for band_order, (lower, upper, points) in enumerate(bands):
            ScoringBand.objects.create(
                criterion=criterion,
                sort_order=band_order,
                lower=_decimal(lower),
                upper=_decimal(upper),
                points=points,
            )


def remove_matrix(apps, schema_editor):
    ScoringCriterion = apps.get_model("scrutiny", "ScoringCriterion")
    ScoringCriterion.objects.filter(name__in=[row[0] for row in DEFAULT_MATRIX]).delete()


# The ten review steps of the Pine Court profile (from 0017_review_steps). The panel changes
# the steps in the admin; reviews scheduled afterwards follow the new list.

DEFAULT_STEPS = [
    ("Scope", "Agree what the review covers, and what it does not."),
    ("Terms of reference", "Write down the questions, the methods and the timetable."),
    (
        "Desk review of policies and performance data",
        "Read the service's policies, procedures and performance reports.",
    ),
    ("Staff interviews", "Talk to the staff who deliver the service and those who manage it."),
    (
        "Customer interviews and surveys",
        "Hear from residents who have used the service, by interview or survey.",
    ),
    ("Shadowing", "Go along with staff to see the service delivered."),
    ("Mystery shopping", "Use the service as a resident would and record what happens."),
    (
        "Benchmarking against other housing associations",
        "Compare the service with how other landlords run theirs.",
    ),
    ("Analysis", "Bring the evidence together and agree the findings."),
    ("Report and action plan", "Write the report and its recommendations; agree the plan."),
]


def create_steps(apps, schema_editor):
    ReviewStep = apps.get_model("scrutiny", "ReviewStep")
    if ReviewStep.objects.exists():
        return
    for order, (name, description) in enumerate(DEFAULT_STEPS, start=1):
        ReviewStep.objects.create(name=name, description=description, sort_order=order)


# The report approval workflow (from 0022_report_workflow).


def create_report_workflow(apps, schema_editor):
    ensure_report_workflow(apps)


# A first history row for every record that has none (from 0031_first_history_rows): the
# records made above (scoring criteria and bands, review steps, reasons for not accepting, the
# settings) get a "Created" row as they stand, by the system, as simple-history's
# `populate_history` command would write, so that their first change has something to compare.

REASON = "First history row, written by a migration for a record a data migration made"
BATCH = 500


def first_history_rows(apps, schema_editor):
    now = timezone.now()
    for historical in apps.get_app_config("scrutiny").get_models():
        name = historical.__name__
        if not name.startswith("Historical"):
            continue
        try:
            model = apps.get_model("scrutiny", name.removeprefix("Historical"))
        except LookupError:
            continue
        copied = [
            field.attname
            for field in historical._meta.concrete_fields
            if not field.name.startswith("history_") and hasattr(model, field.attname)
        ]
        has_rows = historical.objects.filter(id=OuterRef("pk"))
        missing = model._default_manager.filter(~Exists(has_rows)).order_by("pk")
        optional = (
            {"history_change_reason": REASON} if _has(historical, "history_change_reason") else {}
        )
        rows = [
            historical(
                **{attname: getattr(obj, attname) for attname in copied},
                history_date=now,
                history_type="+",
                history_user_id=None,
                **optional,
            )
            for obj in missing.iterator()
        ]
        historical.objects.bulk_create(rows, batch_size=BATCH)


def _has(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def remove_first_history_rows(apps, schema_editor):
    for historical in apps.get_app_config("scrutiny").get_models():
        if historical.__name__.startswith("Historical") and _has(
            historical, "history_change_reason"
        ):
            historical.objects.filter(history_change_reason=REASON).delete()


class Migration(migrations.Migration):
    # The old migrations whose data steps this one holds. Those that only moved rows from an
    # older schema (0024, 0028, 0029, and the backfills in 0035 and 0038) have no step here.
    replaces = [
        ("scrutiny", "0002_roles"),
        ("scrutiny", "0004_call_roles"),
        ("scrutiny", "0006_panel_workflow"),
        ("scrutiny", "0008_schedules"),
        ("scrutiny", "0010_appeal_roles"),
        ("scrutiny", "0012_scoring_defaults"),
        ("scrutiny", "0013_scoring_roles"),
        ("scrutiny", "0015_membership_roles"),
        ("scrutiny", "0017_review_steps"),
        ("scrutiny", "0018_action_reminders"),
        ("scrutiny", "0019_history"),
        ("scrutiny", "0020_privacy"),
        ("scrutiny", "0021_outcomes"),
        ("scrutiny", "0022_report_workflow"),
        ("scrutiny", "0026_process_engine"),
        ("scrutiny", "0030_visibility"),
        ("scrutiny", "0031_first_history_rows"),
        ("scrutiny", "0035_calls_received_on_behalf"),
        ("scrutiny", "0038_outbox"),
        ("scrutiny", "0040_training_and_time_given"),
        ("scrutiny", "0042_panel_year"),
    ]

    dependencies = [
        ("scrutiny", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
        migrations.RunPython(create_panel_workflow, migrations.RunPython.noop),
        daily_schedules(SCHEDULES),
        migrations.RunPython(create_matrix, remove_matrix),
        migrations.RunPython(create_steps, migrations.RunPython.noop),
        migrations.RunPython(create_report_workflow, migrations.RunPython.noop),
        migrations.RunPython(first_history_rows, remove_first_history_rows),
    ]
