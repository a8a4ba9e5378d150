"""Shared fixtures: the labs of the course and their nbgrader student versions."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from course_templates import student_version
from notebook_runs import ROOT

from trainerlab import course, practice
from trainerlab.course import generate_student_versions

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary folder every xdist worker of this test run sees (the run's own one without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def course_templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this test run keeps each lab's generated course (``course_templates``)."""
    return _shared_folder(tmp_path_factory) / "course_templates"


@pytest.fixture(scope="session")
def student_versions(tmp_path_factory: pytest.TempPathFactory, course_templates: Path) -> Path:
    """nbgrader's student version of every lab (solutions and hidden tests stripped by nbgrader)."""
    release = tmp_path_factory.mktemp("release")
    for assignment in course.source_assignments(ROOT):
        shutil.copytree(student_version(assignment, course_templates), release / assignment)
    return release


@pytest.fixture(autouse=True)
def generated_once(course_templates: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``practice.prepare`` gets each lab's student version from the test run's cache.

    Tests of their own course, and tests that replace the generator, still generate.
    """
    def generate(release: Path, *, root: Path | None = None,
                 assignments: list[str] | None = None) -> list[Path]:
        if Path(root or course.course_root()).resolve() != ROOT:  # a test's own course
            return generate_student_versions(release, root=root, assignments=assignments)
        for assignment in assignments if assignments is not None else course.source_assignments(ROOT):
            shutil.copytree(student_version(assignment, course_templates), release / assignment,
                            dirs_exist_ok=True)
        return sorted(release.glob("*/*.ipynb"))

    monkeypatch.setattr(practice, "generate_student_versions", generate)
