"""The layering is enforced: import-linter keeps the tree and fails a tree that breaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}  # the copy's dei_geo, not the installed one
    return subprocess.run([str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def copy(tmp_path) -> Path:
    shutil.copytree(ROOT / "dei_geo", tmp_path / "dei_geo",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract():
    run = _lint(ROOT)
    assert run.returncode == 0, run.stdout[-2000:]
    assert "0 broken" in run.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("core/places.py", "from dei_geo.maps import web", "Layers:"),
    ("analysis/regions.py", "from dei_geo.core.i18n import t", "Analysis returns facts"),
    ("maps/classify.py", "import streamlit", "Only the app imports Streamlit"),
    ("app/state.py", "from dei_geo import cli", "Layers:"),
])
def test_an_import_that_points_up_fails(copy, module, line, contract):
    path = copy / "dei_geo" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    run = _lint(copy)
    assert run.returncode == 1
    broken = [ln for ln in run.stdout.splitlines() if ln.endswith(" BROKEN")]
    assert [ln for ln in broken if ln.startswith(contract)], run.stdout[-2000:]
