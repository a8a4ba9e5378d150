"""Cell constructors for writing lab notebooks with correct nbgrader metadata.

Lab authors build a notebook in a short script with these helpers and commit the resulting
``.ipynb`` (stored without outputs). The helpers keep nbgrader's cell metadata (schema version 3)
and our skill-unit tag (``metadata.trainerlab``) consistent across labs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from textwrap import dedent

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from graders.checking import Lab, Task, WrittenTask

SCHEMA_VERSION = 3


def _meta(
    grade_id: str, *, solution: bool, grade: bool, locked: bool, points: float | None = None
) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def text(grade_id: str, source: str) -> nbformat.NotebookNode:
    """A read-only markdown cell (instructions)."""
    meta = _meta(grade_id, solution=False, grade=False, locked=True)
    return new_markdown_cell(dedent(source).strip(), metadata=meta)


def code(grade_id: str, source: str) -> nbformat.NotebookNode:
    """A read-only code cell (set-up code the learner runs but does not edit)."""
    meta = _meta(grade_id, solution=False, grade=False, locked=True)
    return new_code_cell(dedent(source).strip(), metadata=meta)


def example(source: str) -> nbformat.NotebookNode:
    """An ordinary editable code cell (a scratch cell for exploring; not graded)."""
    return new_code_cell(dedent(source).strip())


def answer(grade_id: str, source: str) -> nbformat.NotebookNode:
    """An editable solution cell; mark the solution with ``### BEGIN SOLUTION`` / ``### END SOLUTION``."""
    meta = _meta(grade_id, solution=True, grade=False, locked=False)
    return new_code_cell(dedent(source).strip(), metadata=meta)


def _tag(cell: nbformat.NotebookNode, task: Task | WrittenTask) -> nbformat.NotebookNode:
    cell.metadata["trainerlab"] = {"level": task.level, "unit": task.unit}
    return cell


def test(task: Task, source: str) -> nbformat.NotebookNode:
    """A locked autograded test cell for ``task`` (its grade_id and points come from the task)."""
    meta = _meta(task.grade_id, solution=False, grade=True, locked=True, points=task.points)
    cell = new_code_cell(dedent(source).strip(), metadata=meta)
    return _tag(cell, task)


def written(task: WrittenTask, model_answer: str) -> nbformat.NotebookNode:
    """A manually graded markdown answer cell for ``task`` holding the model answer for graders.

    nbgrader replaces it with the bilingual "YOUR ANSWER HERE" stub in the student version.
    """
    meta = _meta(task.grade_id, solution=True, grade=True, locked=False, points=task.points)
    cell = new_markdown_cell(dedent(model_answer).strip(), metadata=meta)
    return _tag(cell, task)


def rubric_markdown(task: WrittenTask) -> str:
    """The rubric of a written task as a bilingual markdown list (shown above the answer cell)."""
    lines = [f"**评分要点 / Rubric** ({task.points:g} 分 / points)", ""]
    lines += [f"- M{i} ({p.points:g}): {p.text.zh} / {p.text.en}"
              for i, p in enumerate(task.rubric, 1)]
    return "\n".join(lines)


def points_table(lab: Lab) -> str:
    """A markdown table of the lab's graded items, units and points."""
    rows = ["| # | 任务 / Task | 单元 / Unit | 分值 / Points | 评分 / Grading |", "|---|---|---|---|---|"]
    for i, task in enumerate(lab.tasks, 1):
        how = "自动 / auto" if isinstance(task, Task) else "人工 / by hand"
        rows.append(f"| {i} | {task.title.zh} / {task.title.en} | {task.level} · {task.unit} | "
                    f"{task.points:g} | {how} |")
    rows.append(f"| | **合计 / Total** | | **{lab.points:g}** | |")
    return "\n".join(rows)


def save(cells: Sequence[nbformat.NotebookNode], path: str | Path) -> None:
    """Write the notebook (no outputs, Python 3 kernel) to ``path``."""
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell.id = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell-{i}").replace(".", "-")
    nbformat.validate(nb)
    nbformat.write(nb, str(path))
