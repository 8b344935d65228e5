"""The code's layout rules, checked over the source (no imports are executed).

- An app never imports "upwards": core imports no app, agreements imports neither housing_stock
  nor cycle, housing_stock does not import cycle (kerkrade_pa, the project package, may import
  everything).
- cycle/ and agreements/ hold no ``<subdomain>_<layer>.py`` modules at their top level: a
  sub-domain is a sub-package (cycle/bids/, cycle/jaarschijf/, agreements/signing/, ...).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each layer may import only the layers before it.
LAYERS = ["core", "agreements", "housing_stock", "cycle"]


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
