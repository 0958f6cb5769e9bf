"""The scrutiny plugin must install into any Wagtail site, so it imports nothing of the host's."""

import ast
import re
from pathlib import Path

import scrutiny

HOST_PACKAGES = {"home", "cms"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_scrutiny_imports_nothing_from_the_host_site():
    package_dir = Path(scrutiny.__file__).parent
    offenders = {}
    files = list(package_dir.rglob("*.py"))
    assert len(files) > 5
    for path in files:
        host_imports = {
            name for name in imported_modules(path) if name.split(".")[0] in HOST_PACKAGES
        }
        if host_imports:
            offenders[str(path.relative_to(package_dir))] = sorted(host_imports)
    assert offenders == {}


def test_scrutiny_templates_do_not_name_host_templates():
    package_dir = Path(scrutiny.__file__).parent
    for path in package_dir.rglob("*.html"):
        text = path.read_text()
        # Wagtail's own admin templates live under "wagtailadmin/home/"; the host's under "home/".
        assert not re.search(r"(?<![\w/])home/", text), path
