"""The models are the bottom layer: they import nothing from the layers above them.

Issue #20 asks for a module import graph with no cycle between the models and the layers above
(forms, pipeline, selectors, permissions, reports, views): models import none of those, not
even inside a function. Where a model must hand work upward it asks, by name, for a function
the layer above registered (scrutiny.models.handlers); the public pages' routes are answered
by scrutiny.page_views, every public form behind one guard.
"""

import ast
from pathlib import Path

import scrutiny
from scrutiny.models import handlers

PACKAGE = Path(scrutiny.__file__).parent
# Modules that belong to the bottom layer with the models: they import only the models and
# each other.
MODEL_LAYER = {"scrutiny", "scrutiny.blocks", "scrutiny.financial_years"}


def module_name(path: Path) -> str:
    parts = ["scrutiny", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def scrutiny_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.relative_to(PACKAGE).parts
    }


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every scrutiny module `name` imports, at the top or inside any function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from scrutiny import forms` imports the module scrutiny.forms.
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target:
                found.add(target)
    return found - {name}


def import_graph() -> dict[str, set[str]]:
    modules = scrutiny_modules()
    return {name: imports_of(name, path, set(modules)) for name, path in modules.items()}


def in_model_layer(name: str) -> bool:
    return name == "scrutiny.models" or name.startswith("scrutiny.models.") or name in MODEL_LAYER


def test_the_graph_reader_sees_imports_inside_functions():
    graph = import_graph()
    assert "scrutiny.models" in graph["scrutiny.forms"]
    assert "scrutiny.models.handlers" in graph["scrutiny.models.pages"]
    # scrutiny.financial_years reads the settings model inside a function.
    assert "scrutiny.models.config" in graph["scrutiny.financial_years"]


def test_models_reach_nothing_above_them():
    graph = import_graph()
    reached, waiting = set(), [name for name in graph if in_model_layer(name)]
    while waiting:
        name = waiting.pop()
        if name not in reached:
            reached.add(name)
            waiting.extend(graph[name])
    above = sorted(name for name in reached if not in_model_layer(name))
    assert above == [], f"the model layer imports {above}"


def test_every_name_a_model_asks_for_is_provided_once_the_app_is_ready():
    asked = set()
    for path in (PACKAGE / "models").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "ask"
                and isinstance(node.args[0], ast.Constant)
            ):
                asked.add(node.args[0].value)
    assert "CallForScrutinyPage.form" in asked and "call_decide" in asked
    assert asked == handlers.provided()


def test_only_the_guard_counts_attempts_and_looks_for_robots():
    """Every public form's rate limit, honeypot, 429 and 400 pages come from one guard."""
    callers = set()
    for name, path in scrutiny_modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            called = getattr(node, "attr", None) or getattr(node, "id", None)
            if called in {"attempt_allowed", "accept_within_limit", "honeypot_filled"}:
                callers.add(name)
            if isinstance(node, ast.Constant) and node.value == "scrutiny/rate_limited.html":
                callers.add(name)
    assert callers - {"scrutiny.ratelimit"} == {"scrutiny.page_views.guard"}
