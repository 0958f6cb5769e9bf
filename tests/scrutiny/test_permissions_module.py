"""Every permission the product checks is named and asked in scrutiny/permissions.py.

The groups' grants live in scrutiny/roles.py and the process engine's moves name their own
permission in its tables (scrutiny/pipeline/machine.py); every other module asks a predicate
of scrutiny.permissions, so who may do what is read in one place.
"""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission

import scrutiny

PACKAGE = Path(scrutiny.__file__).parent
WHERE_NAMES_BELONG = {"permissions.py", "roles.py", "pipeline/machine.py"}


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("migrations/") or relative in WHERE_NAMES_BELONG:
            continue
        yield relative, ast.parse(path.read_text(), filename=relative)


def test_no_module_but_permissions_asks_has_perm():
    asked = [
        f"{relative}:{node.lineno}"
        for relative, tree in modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"has_perm", "has_perms"}
    ]
    assert asked == []


@pytest.mark.django_db
def test_no_module_but_permissions_names_a_permission():
    known = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert "scrutiny.decide_call" in known and "wagtailadmin.access_admin" in known
    named = [
        f"{relative}:{node.lineno} {node.value}"
        for relative, tree in modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in known
    ]
    assert named == []


def test_the_misleading_name_is_gone():
    """The permission to score and schedule was once called SCORE_PERMISSION."""
    from scrutiny import permissions

    assert permissions.SCHEDULE_REVIEWS == "scrutiny.schedule_review"
    assert not hasattr(scrutiny.pipeline, "SCORE_PERMISSION")
