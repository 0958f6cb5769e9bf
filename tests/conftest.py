"""Builders shared by the whole suite. Tests never load the demo data; they build what they need."""

import json

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from pytest_django.plugin import blocking_manager_key
from wagtail.models import Page, Site

from home.models import HomePage, StandardPage
from scrutiny import roles
from scrutiny.models import BusinessArea

PASSWORD = "a-test-password"

# What the migrations wrote, kept by `django_db_setup` below.
MIGRATED: dict[str, str] = {}


def make_user(username: str = "someone", *, group: str | None = None, **fields) -> User:
    """A user with a known password, optionally in one of the staff groups."""
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **fields
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def make_head_of_operations(
    username: str = "dana.price", first_name: str = "Dana", last_name: str = "Price"
) -> User:
    """A head of operations' account (username@example.org): in no group, with the admin access
    permission of its own, so that it gets no group's emails."""
    head = User.objects.filter(username=username).first()
    if head is None:
        head = make_user(username, first_name=first_name, last_name=last_name)
        head.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    return head


def make_business_area(name: str = "Repairs and maintenance", **overrides) -> BusinessArea:
    """A business area whose head of operations is Dana Price's account, unless another is given."""
    fields = {"name": name} | overrides
    if "head_of_operations" not in fields:
        fields["head_of_operations"] = make_head_of_operations()
    return BusinessArea.objects.create(**fields)


def make_home_page(**overrides) -> HomePage:
    """A live home page set as the default site's root, replacing Wagtail's welcome page."""
    Site.objects.all().delete()
    for welcome in Page.objects.filter(depth=2):
        welcome.delete()
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Resident scrutiny", slug="home", **overrides))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


def make_standard_page(parent: Page, **overrides) -> StandardPage:
    """A live content page under a parent."""
    fields = {"title": "How scrutiny works", "slug": "how-scrutiny-works"} | overrides
    return parent.add_child(instance=StandardPage(**fields))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep what the migrations wrote, to put it back after each transactional test."""
    with django_db_blocker.unblock():
        rows = json.loads(connection.creation.serialize_db_to_string())
    # Content types first: Wagtail's tasks look theirs up as they are built.
    rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
    MIGRATED["rows"] = json.dumps(rows)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying the database; the next test, whatever its kind
    and wherever pytest-xdist sends it, starts from what the migrations wrote."""
    yield
    if nextitem is None or not _is_transactional(item) or "rows" not in MIGRATED:
        return
    # The test's own flush made content types afresh under other ids: forget those, and all
    # that was cached from the emptied database.
    ContentType.objects.clear_cache()
    for alias in caches:
        caches[alias].clear()
    with item.config.stash[blocking_manager_key].unblock():
        call_command(
            "flush",
            interactive=False,
            inhibit_post_migrate=True,
            reset_sequences=False,
            verbosity=0,
        )
        connection.creation.deserialize_db_from_string(MIGRATED["rows"])
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_rendered_questions():
    """Each test starts with no public form's questions kept rendered (see questions.html)."""
    from django.core.cache import caches

    caches["fragments"].clear()


@pytest.fixture(autouse=True, scope="session")
def _statuses_change_only_through_the_engine():
    """Fail any test in which a record's status is saved changed outside the process engine.

    Tests may arrange records with queryset updates; the product may not write a status but
    through `scrutiny.pipeline.machine.apply` (tests/scrutiny/test_machine.py reads the source
    for queryset updates).
    """
    from django.db.models.signals import pre_save

    from scrutiny.pipeline import machine

    def refuse(sender, instance, raw=False, **kwargs):
        if raw or instance.pk is None or machine.applying():
            return
        state = machine.MACHINES[sender._meta.concrete_model]
        stored = (
            sender._base_manager.filter(pk=instance.pk).values_list(state.field, flat=True).first()
        )
        current = getattr(instance, state.field)
        if stored is not None and stored != current:
            raise AssertionError(
                f"{sender.__name__} {instance.pk}: {state.field} saved as {current!r} (was "
                f"{stored!r}) outside the process engine"
            )

    receivers = []
    for model in machine.MACHINES:
        for each in [model, *model.__subclasses__()]:
            pre_save.connect(refuse, sender=each, weak=False, dispatch_uid=f"engine-{each}")
            receivers.append(each)
    yield
    for each in receivers:
        pre_save.disconnect(sender=each, dispatch_uid=f"engine-{each}")


@pytest.fixture
def home_page(db) -> HomePage:
    return make_home_page()


@pytest.fixture
def staff(db) -> dict[str, User]:
    """One user per staff group, plus a superuser, keyed by a short role name."""
    users = {
        "comms": make_user("comms", group=roles.COMMUNICATIONS),
        "officer": make_user("officer", group=roles.OFFICERS),
        "panel": make_user("panel", group=roles.PANEL),
        "appeal": make_user("appeal", group=roles.APPEAL_PANEL),
        "manager": make_user("manager", group=roles.MANAGERS),
        "admin": make_user("admin", is_superuser=True, is_staff=True),
    }
    return users


@pytest.fixture
def migrated_data(transactional_db):
    """Put back what the data migrations made (root page, collection, groups, workflow).

    Transactional tests (and live_server) flush the database after each test; the flush
    recreates content types and permissions but not the rows the data migrations wrote.
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Workflow, WorkflowContentType, WorkflowTask

    from scrutiny.models import CallForScrutiny, NotAcceptedReason, PanelDecisionTask, ReviewStep
    from scrutiny.roles import ensure_report_workflow, sync_roles

    locale, _ = Locale.objects.get_or_create(language_code="en")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale, live=True))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    sync_roles(apps)
    if not PanelDecisionTask.objects.exists():
        task = PanelDecisionTask.objects.create(name="Panel decision")
        task.groups.set(Group.objects.filter(name=roles.PANEL))
        workflow = Workflow.objects.create(name="Panel decision on a call")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowContentType.objects.create(
            workflow=workflow, content_type=ContentType.objects.get_for_model(CallForScrutiny)
        )
    ensure_report_workflow()
    if not ReviewStep.objects.exists():
        import importlib

        steps = importlib.import_module(
            "scrutiny.migrations.0002_roles_workflows_and_defaults"
        ).DEFAULT_STEPS
        for order, (name, description) in enumerate(steps, start=1):
            ReviewStep.objects.create(name=name, description=description, sort_order=order)
    if not NotAcceptedReason.objects.exists():
        NotAcceptedReason.objects.create(
            code="complaints-not-completed", label="The complaints procedure has not been completed"
        )


def admin_refusal(response) -> bool:
    """Whether a response is the admin's own refusal: back to the dashboard with a message,
    as Wagtail's snippet screens refuse (never the public site's 403 page)."""
    from django.urls import reverse

    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
