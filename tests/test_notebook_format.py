"""Lab notebooks keep the lab format (trainerlab.labformat) and every derived place is in sync."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import ROOT, lab_source

from graders.labs import LABS
from trainerlab import labformat
from trainerlab.scaffold import class_test_module


def test_every_lab_folder_is_registered() -> None:
    folders = {p.parent.name for p in (ROOT / "labs").glob("*/*.ipynb")}
    assert folders == set(LABS), "a lab folder has no grader module defining LAB, or vice versa"


@pytest.mark.parametrize("assignment", sorted(LABS))
def test_lab_keeps_the_format(assignment: str) -> None:
    nb = nbformat.read(lab_source(assignment), as_version=4)
    assert labformat.problems(LABS[assignment], nb) == []


def test_every_lab_has_its_class_test_module() -> None:
    for assignment in LABS:
        module = ROOT / "tests" / f"test_class_{assignment}.py"
        assert module.is_file() and module.read_text(encoding="utf-8") == class_test_module(assignment), (
            f"{module.name} is missing or changed: trainerlab lab new writes it")
