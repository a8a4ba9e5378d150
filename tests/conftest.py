"""Shared fixtures: the labs of the course and their nbgrader student versions."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from notebook_runs import ROOT

from trainerlab.course import generate_student_versions

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

