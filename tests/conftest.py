"""Shared fixtures: the labs of the course and their nbgrader student versions."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from filelock import FileLock
from notebook_runs import ROOT

from trainerlab import course, practice
from trainerlab.course import generate_student_versions, lab_digest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary folder every xdist worker of this test run sees (the run's own one without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _student_version(assignment: str, cache: Path) -> Path:
    """nbgrader's student version of a lab, generated once per test run and lab source digest.

    nbgrader's ``generate_assignment`` (about 4 s a lab) writes the same student version for the same
    source, so the first worker that needs a lab generates it under a lock and the others wait and copy;
    a lab whose source changed has another digest and is generated again.
    """
    kept = cache / lab_digest(assignment)
    with FileLock(f"{kept}.lock"):
        if not (kept / assignment).is_dir():
            generate_student_versions(kept, root=ROOT, assignments=[assignment])
    return kept / assignment


@pytest.fixture(scope="session")
def student_version_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where :func:`_student_version` keeps the student versions of this test run."""
    return _shared_folder(tmp_path_factory) / "student_versions_cache"


@pytest.fixture(scope="session")
def student_versions(tmp_path_factory: pytest.TempPathFactory, student_version_cache: Path) -> Path:
    """nbgrader's student version of every lab (solutions and hidden tests stripped by nbgrader)."""
    release = tmp_path_factory.mktemp("release")
    for assignment in course.source_assignments(ROOT):
        shutil.copytree(_student_version(assignment, student_version_cache), release / assignment)
    return release


@pytest.fixture(autouse=True)
def generated_once(student_version_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``practice.prepare`` gets each lab's student version from the test run's cache.

    Tests of their own course, and tests that replace the generator, still generate.
    """
    def generate(release: Path, *, root: Path | None = None,
                 assignments: list[str] | None = None) -> list[Path]:
        if Path(root or course.course_root()).resolve() != ROOT:  # a test's own course
            return generate_student_versions(release, root=root, assignments=assignments)
        for assignment in assignments if assignments is not None else course.source_assignments(ROOT):
            shutil.copytree(_student_version(assignment, student_version_cache), release / assignment,
                            dirs_exist_ok=True)
        return sorted(release.glob("*/*.ipynb"))

    monkeypatch.setattr(practice, "generate_student_versions", generate)
