"""The wheel installs into a new `wagtail start` site exactly as docs/install.md says, offline.

The wheel is built from this repository, installed into a folder of its own (so the new site
imports `scrutiny` from the wheel, not from the repository), and the settings and URL lines are
taken from docs/install.md itself, so the document and this test cannot drift apart.
"""

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INSTALL_DOC = REPO / "docs" / "install.md"
BIN = Path(sys.executable).parent

# Run inside the new site by `manage.py shell`: the host's own steps from docs/install.md (a call
# form page under the home page, a superuser), then the pages a resident and an officer open.
VISIT = """
import scrutiny
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Page
from scrutiny.models import CallForScrutinyPage

print("SCRUTINY_FROM", scrutiny.__file__)
print("GROUPS", sorted(Group.objects.values_list("name", flat=True)))
home = Page.objects.get(depth=2).specific
home.add_child(instance=CallForScrutinyPage(
    title="Call for scrutiny", slug="call-for-scrutiny",
    privacy_notice="<p>We keep your details for two years.</p>",
))
get_user_model().objects.create_superuser("host-admin", "admin@example.org", "a-long-password-1")
client = Client()
form = client.get("/call-for-scrutiny/")
print("FORM", form.status_code)
print(form.content.decode())
client.login(username="host-admin", password="a-long-password-1")
calls = client.get("/admin/snippets/scrutiny/callforscrutiny/")
print("CALLS", calls.status_code)
print(calls.content.decode())
"""


def doc_blocks() -> dict[str, str]:
    """docs/install.md's Python blocks, by the file their first comment line names."""
    blocks = re.findall(r"```python\n(.*?)```", INSTALL_DOC.read_text(), flags=re.DOTALL)
    named = {}
    for block in blocks:
        first_line = block.splitlines()[0]
        match = re.match(r"# (mysite/[^:\s]+)", first_line)
        if match:
            named[match.group(1)] = block
    return named


def run(args, *, cwd, env=None):
    result = subprocess.run(  # noqa: S603  (our own interpreter and arguments)
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def build_wheel(tmp: Path) -> Path:
    """Build the wheel from a copy of the sources, offline, leaving the repository untouched."""
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(
        REPO / "scrutiny", source / "scrutiny", ignore=shutil.ignore_patterns("__pycache__")
    )
    out = tmp / "dist"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--quiet",
            "-w",
            str(out),
            str(source),
        ],
        cwd=tmp,
    )
    (wheel,) = out.glob("scrutiny-*.whl")
    return wheel


def test_the_wheel_ships_scrutiny_alone_with_its_templates_and_migrations(tmp_path):
    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names if not name.startswith("scrutiny-")}
    assert top_level == {"scrutiny"}
    assert "scrutiny/templates/scrutiny/call_for_scrutiny_page.html" in names
    assert "scrutiny/templates/scrutiny/email/member_welcome.txt" in names
    assert "scrutiny/migrations/0001_initial.py" in names
    assert "scrutiny/checks.py" in names
    metadata = (
        zipfile.ZipFile(wheel)
        .read(next(name for name in names if name.endswith(".dist-info/METADATA")))
        .decode()
    )
    required = {
        re.split(r"[\[<>=;! ]", line.removeprefix("Requires-Dist: "))[0].lower()
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist: ") and "extra ==" not in line
    }
    assert required == {
        "wagtail",
        "django",
        "wagtail-modeladmin",
        "django-simple-history",
        "django-q2",
        "openpyxl",
        "weasyprint",
        "django-axes",
    }


def test_a_new_wagtail_site_serves_the_call_form_and_the_calls_list(tmp_path):
    wheel = build_wheel(tmp_path)
    lib = tmp_path / "lib"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            "--target",
            str(lib),
            str(wheel),
        ],
        cwd=tmp_path,
    )
    run([str(BIN / "wagtail"), "start", "mysite"], cwd=tmp_path)
    site = tmp_path / "mysite"

    blocks = doc_blocks()
    assert set(blocks) == {"mysite/settings/base.py", "mysite/urls.py"}
    settings_file = site / "mysite" / "settings" / "base.py"
    settings_file.write_text(settings_file.read_text() + "\n" + blocks["mysite/settings/base.py"])
    urls_file = site / "mysite" / "urls.py"
    urls = urls_file.read_text()
    generated_list = re.search(r"^urlpatterns = \[\n.*?^\]\n", urls, flags=re.M | re.S).group(0)
    doc_list = blocks["mysite/urls.py"].split("\n", 1)[1]
    plugin_line = '    path("", include("scrutiny.urls")),\n'
    assert doc_list.replace(plugin_line, "") == generated_list  # the doc adds one line
    urls_file.write_text(urls.replace(generated_list, doc_list))

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH"}
    }
    env["PYTHONPATH"] = str(lib)
    manage = [sys.executable, "manage.py"]
    checked = run([*manage, "check", "--fail-level", "WARNING"], cwd=site, env=env)
    assert "no issues" in checked.stdout
    run([*manage, "migrate", "--noinput"], cwd=site, env=env)
    visited = run([*manage, "shell", "--no-imports", "-c", VISIT], cwd=site, env=env).stdout

    assert f"SCRUTINY_FROM {lib / 'scrutiny' / '__init__.py'}" in visited
    # the plugin's five groups beside the host's own, which it leaves alone
    assert (
        "GROUPS ['Appeal panel', 'Communications', 'Editors', 'Managers', 'Moderators', "
        "'Panel members', 'Scrutiny officers']" in visited
    )
    form_page, calls_page = visited.split("\nCALLS ")
    assert "FORM 200" in form_page
    assert "We keep your details for two years." in form_page
    assert 'name="name"' in form_page  # the form's first question, the resident's name
    assert calls_page.startswith("200")
    assert "Calls for scrutiny" in calls_page or "calls for scrutiny" in calls_page.lower()
