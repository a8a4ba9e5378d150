"""Lab notebooks are stored clean, with valid nbgrader metadata that matches the task registry."""

from __future__ import annotations

import re

import nbformat
import pytest
from lab_class_tests import class_test_module
from notebook_runs import ROOT, lab_source

from graders.checking import Task, WrittenTask
from graders.labs import LABS
from graders.skill_units import LEVELS, UNITS

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3,}")


def _notebook(assignment: str) -> nbformat.NotebookNode:
    nb = nbformat.read(lab_source(assignment), as_version=4)
    nbformat.validate(nb)
    return nb


def test_every_lab_folder_is_registered() -> None:
    folders = {p.parent.name for p in (ROOT / "labs").glob("*/*.ipynb")}
    assert folders == set(LABS), "a lab folder is missing from graders/labs.py, or vice versa"


@pytest.mark.parametrize("assignment", sorted(LABS))
def test_stored_without_outputs(assignment: str) -> None:
    for cell in _notebook(assignment).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.id


@pytest.mark.parametrize("assignment", sorted(LABS))
def test_nbgrader_metadata_is_valid_and_unique(assignment: str) -> None:
    nb = _notebook(assignment)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids)), "duplicate nbgrader grade_id"
    assert len({c.id for c in nb.cells}) == len(nb.cells), "duplicate cell id"
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        assert meta["schema_version"] == 3
        if meta["grade"]:
            assert float(meta["points"]) > 0
        if meta["solution"] and cell.cell_type == "code":
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
        if meta["grade"] and cell.cell_type == "code":
            assert meta["locked"] and "### BEGIN HIDDEN TESTS" in cell.source, meta["grade_id"]


@pytest.mark.parametrize("assignment", sorted(LABS))
def test_graded_cells_match_the_registry(assignment: str) -> None:
    lab = LABS[assignment]
    nb = _notebook(assignment)
    graded = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
              if c.metadata.get("nbgrader", {}).get("grade")}
    assert set(graded) == {t.grade_id for t in lab.tasks}, "graded cells and registry differ"
    for task in lab.tasks:
        cell = graded[task.grade_id]
        assert float(cell.metadata["nbgrader"]["points"]) == pytest.approx(task.points)
        assert cell.metadata["trainerlab"] == {"level": task.level, "unit": task.unit}
        assert (task.level, task.unit) in UNITS and task.level in LEVELS
        if isinstance(task, Task):
            assert cell.cell_type == "code"
        else:
            assert isinstance(task, WrittenTask) and cell.cell_type == "markdown"


@pytest.mark.parametrize("assignment", sorted(LABS))
def test_learner_facing_text_is_bilingual(assignment: str) -> None:
    for cell in _notebook(assignment).cells:
        if cell.cell_type == "markdown" and not cell.metadata.get("nbgrader", {}).get("solution"):
            assert CJK.search(cell.source) and LATIN.search(cell.source), cell.id
    for task in LABS[assignment].tasks:
        assert CJK.search(task.title.zh) and LATIN.search(task.title.en), task.grade_id



def test_every_lab_has_its_class_test_module() -> None:
    for assignment in LABS:
        module = ROOT / "tests" / f"test_class_{assignment}.py"
        assert module.is_file() and module.read_text(encoding="utf-8") == class_test_module(assignment), (
            f"{module.name} is missing or changed: trainerlab lab new writes it")
