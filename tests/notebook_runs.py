"""Where the lab notebooks are, for the tests."""

from __future__ import annotations

from pathlib import Path

from graders.labs import LABS

ROOT = Path(__file__).resolve().parents[1]


def lab_source(assignment: str) -> Path:
    """The source notebook of a lab (solutions and hidden tests in place)."""
    return ROOT / "labs" / assignment / LABS[assignment].notebook
