"""The daily django-q2 schedules, each created by the migration that adds its task.

Schedules stay editable in the admin like any other; a migration only makes the first one.
"""

from django.db.migrations import RunPython


def daily_schedules(schedules: list[tuple[str, str]]) -> RunPython:
    """A migration operation that creates these (name, task path) daily schedules, and undoes it."""

    def create(apps, schema_editor):
        Schedule = apps.get_model("django_q", "Schedule")
        for name, func in schedules:
            Schedule.objects.get_or_create(
                func=func, defaults={"name": name, "schedule_type": "D", "repeats": -1}
            )

    def remove(apps, schema_editor):
        Schedule = apps.get_model("django_q", "Schedule")
        Schedule.objects.filter(func__in=[func for _, func in schedules]).delete()

    return RunPython(create, remove)
