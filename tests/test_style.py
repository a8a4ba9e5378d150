"""The code base stays ruff-clean (pyproject.toml holds the rules), notebooks included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]


def test_every_package_is_in_the_distribution() -> None:
    """A package left out of ``[tool.setuptools] packages`` imports from a checkout and not from a wheel."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for top in ("trainerlab", "graders") for init in (ROOT / top).rglob("__init__.py")}
    assert found - listed == set(), "add these to pyproject.toml's [tool.setuptools] packages"


def test_the_longest_test_files_are_handed_out_first(pytestconfig: pytest.Config) -> None:
    # conftest.py orders the files longest first; xdist's default for --dist loadfile re-sorts them by
    # their number of tests, which left the hub course and the browser test (one or two tests, minutes
    # each) to the end of the run on one worker
    assert pytestconfig.getoption("loadscopereorder") is False
