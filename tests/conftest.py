"""Shared fixtures: the labs of the course and their nbgrader student versions."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from notebook_runs import ROOT

from trainerlab import course, practice
from trainerlab.course import generate_student_versions, lab_digest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def student_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """nbgrader's student version of every lab (solutions and hidden tests stripped by nbgrader)."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "labs", course / "labs")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    release = course / "release"
    generate_student_versions(release, root=course)
    return release



@pytest.fixture(autouse=True)
def generated_once(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """``practice.prepare`` gets each lab's student version from one nbgrader run per test process.

    nbgrader's ``generate_assignment`` (about 4 s a lab) writes the same student version for the same
    source, so its result is kept per lab and source digest and copied into each release folder asked
    for; a lab whose source changed is generated again. Tests that replace the generator still can.
    """
    cache = tmp_path_factory.getbasetemp() / "student_versions_cache"

    def generate(release: Path, *, root: Path | None = None,
                 assignments: list[str] | None = None) -> list[Path]:
        if Path(root or course.course_root()).resolve() != ROOT:  # a test's own course
            return generate_student_versions(release, root=root, assignments=assignments)
        for assignment in assignments if assignments is not None else course.source_assignments(ROOT):
            kept = cache / lab_digest(assignment)
            if not (kept / assignment).is_dir():
                generate_student_versions(kept, root=ROOT, assignments=[assignment])
            shutil.copytree(kept / assignment, release / assignment, dirs_exist_ok=True)
        return sorted(release.glob("*/*.ipynb"))

    monkeypatch.setattr(practice, "generate_student_versions", generate)
