"""The ten review steps of the Pine Court profile, and the groups' permissions on reviews.

The panel changes the steps in the admin; reviews scheduled afterwards follow the new list.
"""

from django.db import migrations

from scrutiny.roles import sync_roles

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


class Migration(migrations.Migration):
    dependencies = [("scrutiny", "0016_reviews")]

    operations = [
        migrations.RunPython(create_steps, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
