"""The lab format every notebook keeps (``../shared/CURRICULUM.md`` §3), as checks that name what is wrong.

``problems(lab, nb)`` lists every rule a lab's source notebook breaks: stored without outputs, valid
nbgrader metadata (schema 3, solution and hidden-test delimiters, locked test cells), graded cells
that match the lab's tasks, bilingual learner-facing text, and derived places in sync with the task
objects (``trainerlab lab sync``). The test suite runs it on every lab and on a freshly scaffolded one.
"""

from __future__ import annotations

import re

import nbformat
from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

from graders.checking import Lab, Task, WrittenTask
from graders.skill_units import LEVELS, UNITS
from trainerlab.authoring import SYNC_COMMAND, sync_notebook

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3,}")


def _delimiters() -> tuple[str, str, str]:
    """nbgrader's own solution and hidden-test markers (its configurable defaults)."""
    solution = ClearSolutions()
    return solution.begin_solution_delimeter, solution.end_solution_delimeter, \
        ClearHiddenTests().begin_test_delimeter


def _format(nb: nbformat.NotebookNode) -> list[str]:
    found = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as error:
        found.append(f"not a valid notebook: {error.message}")
    if len({c.get("id") for c in nb.cells}) != len(nb.cells):
        found.append("duplicate cell ids")
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            found.append(f"cell {cell.get('id')} is stored with outputs")
    return found


def _nbgrader(nb: nbformat.NotebookNode) -> list[str]:
    begin_solution, end_solution, begin_tests = _delimiters()
    found = []
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    if len(ids) != len(set(ids)):
        found.append("duplicate nbgrader grade_id")
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        gid = meta.get("grade_id")
        if meta.get("schema_version") != 3:
            found.append(f"{gid}: nbgrader schema_version is not 3")
        if meta.get("grade") and not float(meta.get("points", 0)) > 0:
            found.append(f"{gid}: a graded cell without points")
        if meta.get("solution") and cell.cell_type == "code" and not (
                f"### {begin_solution}" in cell.source and f"### {end_solution}" in cell.source):
            found.append(f"{gid}: an answer cell without ### {begin_solution} / ### {end_solution}")
        if meta.get("grade") and cell.cell_type == "code" and not (
                meta.get("locked") and f"### {begin_tests}" in cell.source):
            found.append(f"{gid}: a test cell that is not locked or has no hidden tests")
    return found


def _registry(lab: Lab, nb: nbformat.NotebookNode) -> list[str]:
    graded = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
              if c.metadata.get("nbgrader", {}).get("grade")}
    found = []
    if set(graded) != {t.grade_id for t in lab.tasks}:
        found.append(f"graded cells {sorted(graded)} differ from the lab's tasks "
                     f"{sorted(t.grade_id for t in lab.tasks)}")
    order = [gid for gid in (c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells)
             if gid in graded]
    if order != [t.grade_id for t in lab.tasks if t.grade_id in graded]:
        found.append("the lab's tasks are not listed in the notebook's order")
    for task in lab.tasks:
        if (task.level, task.unit) not in UNITS or task.level not in LEVELS:
            found.append(f"{task.grade_id}: unknown skill unit {task.level} · {task.unit}")
        if not (CJK.search(task.title.zh) and LATIN.search(task.title.en)):
            found.append(f"{task.grade_id}: the title is not bilingual")
        cell = graded.get(task.grade_id)
        if cell is None:
            continue
        if isinstance(task, Task) and cell.cell_type != "code":
            found.append(f"{task.grade_id}: an autograded task needs a code test cell")
        if isinstance(task, WrittenTask) and cell.cell_type != "markdown":
            found.append(f"{task.grade_id}: a written task needs a markdown answer cell")
    return found


def _bilingual(nb: nbformat.NotebookNode) -> list[str]:
    return [f"markdown cell {c.get('id')} is not bilingual (中文 and English)" for c in nb.cells
            if c.cell_type == "markdown" and not c.metadata.get("nbgrader", {}).get("solution")
            and not (CJK.search(c.source) and LATIN.search(c.source))]


def problems(lab: Lab, nb: nbformat.NotebookNode) -> list[str]:
    """Every rule of the lab format that ``nb``, the source notebook of ``lab``, breaks."""
    found = _format(nb) + _nbgrader(nb) + _registry(lab, nb) + _bilingual(nb)
    drift = sync_notebook(nbformat.from_dict(nb), lab)
    found += [f"{d} is out of date: run `{SYNC_COMMAND}`" for d in drift]
    return found
