"""The code's layout rules, checked over the source (no imports are executed).

- An app never imports "upwards": core imports no app, agreements imports neither housing_stock
  nor cycle, housing_stock does not import cycle (kerkrade_pa, the project package, may import
  everything).
- cycle/ and agreements/ hold no ``<subdomain>_<layer>.py`` modules at their top level: a
  sub-domain is a sub-package (cycle/bids/, cycle/jaarschijf/, agreements/signing/, ...).
- No two modules of the project import each other, directly or round a circle, counting the
  imports inside functions too. Two places may import late on purpose and are not counted:
  a Celery task imports its service inside the task body (``tasks.py``), and an app's
  ``ready()`` imports the modules that register signals and signables (``apps.py``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each layer may import only the layers before it.
LAYERS = ["core", "agreements", "housing_stock", "cycle"]
PACKAGES = [*LAYERS, "kerkrade_pa"]
LATE_IMPORTS_ALLOWED = {"tasks.py", "apps.py"}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def upward_imports(layers: list[str], root: Path) -> list[str]:
    found = []
    for index, layer in enumerate(layers):
        above = set(layers[index + 1 :])
        for path in sorted((root / layer).rglob("*.py")):
            for package in sorted(imported_packages(path) & above):
                found.append(f"{path.relative_to(root)} imports {package}")
    return found


def test_no_app_imports_upwards():
    assert upward_imports(LAYERS, ROOT) == []


def test_the_upward_check_finds_an_upward_import(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "cycle").mkdir()
    (tmp_path / "core" / "helper.py").write_text("from cycle.models import Bid\n")
    (tmp_path / "cycle" / "models.py").write_text("from core import helper\n")
    assert upward_imports(["core", "cycle"], tmp_path) == ["core/helper.py imports cycle"]


@pytest.mark.parametrize("app", ["cycle", "agreements"])
def test_sub_domains_are_sub_packages(app):
    subdomains = {
        p.name for p in (ROOT / app).iterdir() if p.is_dir() and (p / "__init__.py").exists()
    }
    flat = [
        p.name
        for p in (ROOT / app).glob("*.py")
        if any(p.stem.startswith(f"{sub}_") for sub in subdomains | {"bid", "signing", "addenda"})
    ]
    assert flat == []


def _modules(root: Path, packages: list[str]) -> dict[str, Path]:
    modules = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _imports_of(path: Path, package: str, modules: dict[str, Path]) -> set[str]:
    def owner(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    late_ok = path.name in LATE_IMPORTS_ALLOWED
    targets: set[str] = set()
    pending: list[tuple[ast.AST, bool]] = [(ast.parse(path.read_text(encoding="utf-8")), False)]
    while pending:
        node, in_function = pending.pop()
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if inner and late_ok:
                continue
            if isinstance(child, ast.Import):
                targets.update(filter(None, (owner(alias.name) for alias in child.names)))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = package.split(".")
                    parts = parts[: len(parts) - child.level + 1]
                    base = ".".join(parts + ([child.module] if child.module else []))
                for alias in child.names:
                    full = f"{base}.{alias.name}"
                    target = full if full in modules else owner(base)
                    if target:
                        targets.add(target)
            pending.append((child, inner))
    return targets


def import_graph(root: Path, packages: list[str]) -> dict[str, set[str]]:
    """Module -> the project modules it imports (``from a import b`` counts a.b if a module)."""
    modules = _modules(root, packages)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        graph[name] = _imports_of(path, package, modules) - {name}
    return graph


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(circles)


def test_no_import_circles_between_modules():
    assert import_circles(import_graph(ROOT, PACKAGES)) == []


def test_the_circle_check_finds_a_circle_through_an_import_inside_a_function(tmp_path):
    app = tmp_path / "app"
    (app / "sub").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "sub" / "__init__.py").write_text("")
    (app / "services.py").write_text("from app.sub import parser\n")
    (app / "sub" / "parser.py").write_text("def parse():\n    from ..services import x\n")
    (app / "tasks.py").write_text("def run():\n    from app.services import go\n")
    (app / "selectors.py").write_text("import app.tasks\n")
    assert import_circles(import_graph(tmp_path, ["app"])) == [["app.services", "app.sub.parser"]]
