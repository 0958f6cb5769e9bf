"""The staff groups and their permissions, applied by data migrations."""

import sys

from django.contrib.auth.management import create_permissions

COMMUNICATIONS = "Communications"
OFFICERS = "Scrutiny officers"
PANEL = "Panel members"
APPEAL_PANEL = "Appeal panel"
MANAGERS = "Managers"

ROLES = [COMMUNICATIONS, OFFICERS, PANEL, APPEAL_PANEL, MANAGERS]

# Model permissions, as "app_label.codename", for each group. Page, image and document
# permissions are granted on the tree root and the root collection below.
MODEL_PERMISSIONS: dict[str, list[str]] = {
    COMMUNICATIONS: [
        "wagtailadmin.access_admin",
    ],
    OFFICERS: [
        "wagtailadmin.access_admin",
        "scrutiny.add_businessarea",
        "scrutiny.change_businessarea",
        "scrutiny.view_businessarea",
        "scrutiny.view_callforscrutiny",
        "scrutiny.add_callforscrutiny",
        "scrutiny.change_callforscrutiny",
        "scrutiny.view_contact_details",
        "scrutiny.move_call",
        "scrutiny.view_callevidence",
        "scrutiny.view_callnote",
        "scrutiny.add_callnote",
        "scrutiny.view_panelmeeting",
        "scrutiny.add_panelmeeting",
        "scrutiny.change_panelmeeting",
        "scrutiny.view_paneldecision",
        "scrutiny.view_monitoring",
        "scrutiny.change_monitoring",
        "scrutiny.view_notacceptedreason",
        "scrutiny.add_notacceptedreason",
        "scrutiny.change_notacceptedreason",
        "scrutiny.view_petition",
        "scrutiny.add_petition",
        "scrutiny.change_petition",
        "scrutiny.view_petitionsignature",
        "scrutiny.add_petitionsignature",
        "scrutiny.change_petitionsignature",
        "scrutiny.view_appeal",
        "scrutiny.change_appeal",
        "scrutiny.view_all_appeals",
        "scrutiny.view_appealevidence",
        "scrutiny.view_involvementgroup",
        "scrutiny.add_involvementgroup",
        "scrutiny.change_involvementgroup",
        "scrutiny.view_measure",
        "scrutiny.add_measure",
        "scrutiny.change_measure",
        "scrutiny.view_scoringcriterion",
        "scrutiny.add_scoringcriterion",
        "scrutiny.change_scoringcriterion",
        "scrutiny.view_score",
        "scrutiny.schedule_review",
        "scrutiny.view_panelapplication",
        "scrutiny.change_panelapplication",
        "scrutiny.view_panelmember",
        "scrutiny.change_panelmember",
        "scrutiny.view_expenseclaim",
        "scrutiny.change_expenseclaim",
        "scrutiny.view_trainingsession",
        "scrutiny.add_trainingsession",
        "scrutiny.change_trainingsession",
        "scrutiny.view_trainingplace",
        "scrutiny.add_trainingplace",
        "scrutiny.change_trainingplace",
        "scrutiny.view_timeentry",
        "scrutiny.add_timeentry",
        "scrutiny.change_timeentry",
        "scrutiny.view_referredtopic",
        "scrutiny.add_referredtopic",
        "scrutiny.change_referredtopic",
        "scrutiny.view_effectivenessreview",
        "scrutiny.add_effectivenessreview",
        "scrutiny.change_effectivenessreview",
        "scrutiny.agree_effectivenessreview",
        "scrutiny.acknowledge_effectivenessreview",
        "scrutiny.view_reviewstep",
        "scrutiny.add_reviewstep",
        "scrutiny.change_reviewstep",
        "scrutiny.view_reviewstepprogress",
        "scrutiny.change_reviewstepprogress",
        "scrutiny.draft_review",
        "scrutiny.view_reviewparticipant",
        "scrutiny.add_reviewparticipant",
        "scrutiny.change_reviewparticipant",
        "scrutiny.delete_reviewparticipant",
        "scrutiny.view_recommendation",
        "scrutiny.view_recommendationresponse",
        "scrutiny.view_actionitem",
        "scrutiny.add_actionitem",
        "scrutiny.change_actionitem",
        "scrutiny.view_history",
        "scrutiny.export_personal_data",
        "scrutiny.view_outcomes",
        "scrutiny.refresh_outcomes",
        "scrutiny.view_sentemail",
        "scrutiny.post_letters",
        "scrutiny.view_privacyaction",
    ],
    PANEL: [
        "wagtailadmin.access_admin",
        "scrutiny.view_businessarea",
        "scrutiny.view_callforscrutiny",
        "scrutiny.view_callevidence",
        "scrutiny.decide_call",
        "scrutiny.publish_callforscrutiny",
        "scrutiny.view_panelmeeting",
        "scrutiny.view_paneldecision",
        "scrutiny.view_monitoring",
        "scrutiny.view_petition",
        "scrutiny.view_measure",
        "scrutiny.view_scoringcriterion",
        "scrutiny.view_score",
        "scrutiny.schedule_review",
        # Their own claims only: the expense views show a member nothing else.
        "scrutiny.add_expenseclaim",
        "scrutiny.view_expenseclaim",
        # Sessions, their own places on them and their own time.
        "scrutiny.view_trainingsession",
        "scrutiny.view_trainingplace",
        "scrutiny.add_timeentry",
        "scrutiny.view_timeentry",
        # The panel writes and agrees its own effectiveness review.
        "scrutiny.view_referredtopic",
        "scrutiny.view_effectivenessreview",
        "scrutiny.change_effectivenessreview",
        "scrutiny.agree_effectivenessreview",
        "scrutiny.view_reviewstep",
        "scrutiny.view_reviewstepprogress",
        "scrutiny.change_reviewstepprogress",
        "scrutiny.draft_review",
        "scrutiny.view_reviewparticipant",
        "scrutiny.add_reviewparticipant",
        "scrutiny.change_reviewparticipant",
        "scrutiny.delete_reviewparticipant",
        "scrutiny.view_recommendation",
        "scrutiny.view_recommendationresponse",
        "scrutiny.agree_action_plan",
        "scrutiny.view_actionitem",
        "scrutiny.view_outcomes",
    ],
    APPEAL_PANEL: [
        "wagtailadmin.access_admin",
        "scrutiny.view_appeal",
    ],
    MANAGERS: [
        "wagtailadmin.access_admin",
        "scrutiny.view_businessarea",
        "scrutiny.view_callforscrutiny",
        "scrutiny.view_contact_details",
        "scrutiny.view_callevidence",
        "scrutiny.view_callnote",
        "scrutiny.view_panelmeeting",
        "scrutiny.view_paneldecision",
        "scrutiny.view_monitoring",
        "scrutiny.view_petition",
        "scrutiny.view_appeal",
        "scrutiny.view_all_appeals",
        "scrutiny.view_appealevidence",
        "scrutiny.view_involvementgroup",
        "scrutiny.view_measure",
        "scrutiny.view_scoringcriterion",
        "scrutiny.view_score",
        "scrutiny.view_reviewstep",
        "scrutiny.view_reviewstepprogress",
        "scrutiny.view_reviewparticipant",
        "scrutiny.view_recommendation",
        "scrutiny.view_recommendationresponse",
        "scrutiny.add_recommendationresponse",
        "scrutiny.change_recommendationresponse",
        "scrutiny.view_actionitem",
        "scrutiny.add_actionitem",
        "scrutiny.change_actionitem",
        "scrutiny.view_history",
        "scrutiny.view_outcomes",
        "scrutiny.view_sentemail",
        "scrutiny.view_privacyaction",
        # The oversight body sits with the managers: they acknowledge the panel's review.
        "scrutiny.view_referredtopic",
        "scrutiny.view_effectivenessreview",
        "scrutiny.acknowledge_effectivenessreview",
    ],
}

PAGE_PERMISSIONS: dict[str, list[str]] = {
    COMMUNICATIONS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
# Officers and panel members hold no page permission in the tree: they edit review pages (and
# no other page) through "scrutiny.draft_review", which ReviewPagePermissionTester reads.

COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    COMMUNICATIONS: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
}

# What the product once granted and has since withdrawn, removed by sync_roles: nothing else is
# ever taken from a group, so what an administrator grants survives every migration.
# Page permissions are (page type as "app_label.model", codename) on every page of that type.
WITHDRAWN_PAGE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    # Until migration 0030_visibility (squashed into 0001 and 0002 before the first release)
    # officers and panel members drafted reviews through add and change on the programme page,
    # which let them edit every page under it (years, outcomes reports).
    OFFICERS: [
        ("scrutiny.programmeindexpage", "add_page"),
        ("scrutiny.programmeindexpage", "change_page"),
    ],
    PANEL: [
        ("scrutiny.programmeindexpage", "add_page"),
        ("scrutiny.programmeindexpage", "change_page"),
    ],
}
WITHDRAWN_MODEL_PERMISSIONS: dict[str, list[str]] = {}


def _permissions(apps, dotted_names: list[str]) -> list:
    """The permissions named that exist in this migration state.

    A name whose model a later migration creates is skipped here; that migration runs
    sync_roles again. tests/scrutiny/test_roles.py checks that every name exists in the end.
    """
    Permission = apps.get_model("auth", "Permission")
    found = []
    for dotted in dotted_names:
        app_label, codename = dotted.split(".")
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            found.append(permission)
    return found


def _dotted(permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def sync_roles(apps, schema_editor=None, *, out=None) -> dict[str, list[str]]:
    """Create the groups and add what the tables above grant that a group lacks.

    Nothing an administrator granted is taken away: the only permissions removed are those in
    the WITHDRAWN_ tables. Says what changed, a line per group, on `out` (stdout by default,
    which a migration and the sync_roles command print), and returns the same as a dict.
    """
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Permission = apps.get_model("auth", "Permission")

    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    changes: dict[str, list[str]] = {}
    for name in ROLES:
        group, created = Group.objects.get_or_create(name=name)
        said = ["created"] if created else []
        held = set(group.permissions.all())
        for permission in _permissions(apps, MODEL_PERMISSIONS.get(name, [])):
            if permission not in held:
                group.permissions.add(permission)
                said.append(f"added {_dotted(permission)}")
        for permission in _permissions(apps, WITHDRAWN_MODEL_PERMISSIONS.get(name, [])):
            if permission in held:
                group.permissions.remove(permission)
                said.append(f"removed {_dotted(permission)} (withdrawn)")
        if root_page is not None:
            for codename in PAGE_PERMISSIONS.get(name, []):
                _, added = GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=root_page,
                    permission=Permission.objects.get(
                        content_type__app_label="wagtailcore", codename=codename
                    ),
                )
                if added:
                    said.append(f"added {codename} on the whole page tree")
            said += _withdraw_page_permissions(apps, group)
        if root_collection is not None:
            for permission in _permissions(apps, COLLECTION_PERMISSIONS.get(name, [])):
                _, added = GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
                if added:
                    said.append(f"added {_dotted(permission)} on every collection")
        if said:
            changes[name] = said
    _say(changes, out)
    return changes


def _withdraw_page_permissions(apps, group) -> list[str]:
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    said = []
    for model_label, codename in WITHDRAWN_PAGE_PERMISSIONS.get(group.name, []):
        try:
            model = apps.get_model(model_label)
        except LookupError:
            continue
        withdrawn = GroupPagePermission.objects.filter(
            group=group,
            page__in=model.objects.values("pk"),
            permission__content_type__app_label="wagtailcore",
            permission__codename=codename,
        )
        count, _ = withdrawn.delete()
        if count:
            said.append(f"removed {codename} on {model._meta.verbose_name} pages (withdrawn)")
    return said


def _say(changes: dict[str, list[str]], out) -> None:
    out = out or sys.stdout
    for name, said in changes.items():
        out.write(f"Scrutiny roles: {name}: {'; '.join(said)}.\n")


REPORT_WORKFLOW_NAME = "Report approval"
PANEL_SIGN_OFF_TASK = "Panel sign-off"


def ensure_report_workflow(apps=None) -> None:
    """Create the report approval workflow (panel sign-off, then the oversight body) if missing.

    Two group approval tasks: Panel members, then Managers under the oversight body's name
    from Scrutiny settings. The workflow is named in Scrutiny settings, which is how review
    pages find it; it stays editable under Settings › Workflows.
    """
    from django.apps import apps as global_apps

    apps = apps or global_apps
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ScrutinySettings = apps.get_model("scrutiny", "ScrutinySettings")

    config = ScrutinySettings.objects.first()
    if config is None:
        config = ScrutinySettings.objects.create()
    if config.report_workflow_id is not None:
        return
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    workflow = Workflow.objects.create(name=REPORT_WORKFLOW_NAME, active=True)
    steps = [(PANEL_SIGN_OFF_TASK, PANEL), (config.oversight_body or "Oversight body", MANAGERS)]
    for order, (name, group_name) in enumerate(steps):
        task = GroupApprovalTask.objects.create(name=name, content_type=task_type, active=True)
        task.groups.set(Group.objects.filter(name=group_name))
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    config.report_workflow = workflow
    config.save(update_fields=["report_workflow"])


def name_oversight_task(name: str) -> None:
    """Call the report workflow's last task by the oversight body's name from the settings."""
    from wagtail.models import GroupApprovalTask

    from .models import ScrutinySettings

    workflow = ScrutinySettings.load().report_workflow
    if workflow is None or not name:
        return
    last = workflow.workflow_tasks.order_by("-sort_order").select_related("task").first()
    if last is None:
        return
    task = last.task.specific
    if (
        isinstance(task, GroupApprovalTask)
        and task.name != name
        and task.groups.filter(name=MANAGERS).exists()
    ):
        task.name = name
        task.save(update_fields=["name"])
