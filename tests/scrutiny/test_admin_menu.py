"""The admin menu, grouped by work: each role sees only what the permission matrix lets it open.

The expectations are written out from the permission matrix in docs/permissions.md (a "list"
row that says yes, redacted or own for the group), not built from scrutiny.roles.
"""

import pytest
from django.test import RequestFactory
from wagtail.admin.menu import SubmenuMenuItem, admin_menu

pytestmark = pytest.mark.django_db

HELP = ("Help", ["What's new in Wagtail 8.0", "Editor Guide", "Shortcuts"])

EXPECTED = {
    "comms": [
        "Pages",
        "Images",
        "Documents",
        (
            "Reports",
            [
                "Locked pages",
                "Workflows",
                "Workflow tasks",
                "Site history",
                "Aging pages",
                "Page types usage",
            ],
        ),
        HELP,
    ],
    "officer": [
        (
            "Work",
            [
                "Calls for scrutiny",
                "Petitions",
                "Panel meetings",
                "Appeals",
                "Applications to join",
                "Action plans",
                "Personal data",
            ],
        ),
        (
            "The panel",
            [
                "Ranking and programme",
                "Reviews",
                "Measures",
                "Panel members",
                "Expense claims",
                "Training",
                "Time given",
                "Referred topics",
                "Effectiveness reviews",
            ],
        ),
        ("Reports", ["Outcomes report", "History", "Outbox", "Anonymisation log"]),
        (
            "Settings",
            [
                "Business areas",
                "Involvement groups",
                "Reasons for not accepting",
                "Scoring matrix",
                "Review steps",
            ],
        ),
        HELP,
    ],
    "panel": [
        ("Work", ["Calls for scrutiny", "Petitions", "Panel meetings", "Action plans"]),
        (
            "The panel",
            [
                "Ranking and programme",
                "Reviews",
                "Measures",
                "Expense claims",
                "Training",
                "Time given",
                "Referred topics",
                "Effectiveness reviews",
            ],
        ),
        ("Reports", ["Outcomes report"]),
        ("Settings", ["Business areas", "Scoring matrix", "Review steps"]),
        HELP,
    ],
    "appeal": [("Work", ["Appeals"]), HELP],
    "manager": [
        ("Work", ["Calls for scrutiny", "Petitions", "Panel meetings", "Appeals", "Action plans"]),
        (
            "The panel",
            [
                "Ranking and programme",
                "Reviews",
                "Measures",
                "Referred topics",
                "Effectiveness reviews",
            ],
        ),
        ("Reports", ["Outcomes report", "History", "Outbox", "Anonymisation log"]),
        ("Settings", ["Business areas", "Involvement groups", "Scoring matrix", "Review steps"]),
        HELP,
    ],
}


def menu_for(user, menu=admin_menu) -> list:
    request = RequestFactory().get("/admin/")
    request.user = user
    tree = []
    for item in sorted(menu.menu_items_for_request(request), key=lambda item: item.order):
        if isinstance(item, SubmenuMenuItem):
            tree.append((item.label, menu_for(user, item.menu)))
        else:
            tree.append(item.label)
    return tree


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_only_the_items_it_can_open(staff, role):
    assert menu_for(staff[role]) == EXPECTED[role]


def test_no_group_is_shown_empty(staff):
    for user in staff.values():
        for entry in menu_for(user):
            if isinstance(entry, tuple):
                assert entry[1], f"{entry[0]} is empty for {user}"


def test_a_superuser_has_work_the_panel_reports_and_settings(staff):
    labels = [entry[0] if isinstance(entry, tuple) else entry for entry in menu_for(staff["admin"])]
    for group in ["Work", "The panel", "Reports", "Settings"]:
        assert group in labels
    assert "Scrutiny" not in labels
