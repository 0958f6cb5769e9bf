"""The panel's decision workflow for calls, its task, and the default reasons for not accepting."""

from django.db import migrations

from scrutiny.roles import PANEL, sync_roles

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


class Migration(migrations.Migration):
    dependencies = [("scrutiny", "0005_decisions_meetings_petitions")]

    operations = [
        migrations.RunPython(create_panel_workflow, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
