"""The cells of a bank notebook, with the nbgrader metadata of each role (the lab format's cells)."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = 0  # written by `lab sync` from the task
    return {"nbgrader": meta}


def text(grade_id: str, source: str, *, task: str | None = None) -> nbformat.NotebookNode:
    """A locked markdown cell; ``task`` makes it the header cell of that item."""
    meta = _meta(grade_id, grade=False, solution=False, locked=True)
    if task:
        meta["trainerlab"] = {"task": task}
    return new_markdown_cell(source, metadata=meta)


def code(grade_id: str, source: str) -> nbformat.NotebookNode:
    """A locked code cell (the given imports, data loading)."""
    return new_code_cell(source, metadata=_meta(grade_id, grade=False, solution=False, locked=True))


def answer(grade_id: str, variable: str, solution: str) -> nbformat.NotebookNode:
    """A code answer cell: ``variable = None`` then the model answer between nbgrader's delimiters."""
    source = f"{variable} = None\n### BEGIN SOLUTION\n{solution.strip()}\n### END SOLUTION"
    return new_code_cell(source, metadata=_meta(grade_id, grade=False, solution=True, locked=False))


def test(grade_id: str, arguments: str) -> nbformat.NotebookNode:
    """The item's test cell: the visible self-check and the hidden grading, on the same arguments."""
    source = (f"q.{grade_id.split('_', 1)[1]}.check({arguments})\n### BEGIN HIDDEN TESTS\n"
              f"q.{grade_id.split('_', 1)[1]}.grade({arguments})\n### END HIDDEN TESTS")
    return new_code_cell(source, metadata=_meta(grade_id, grade=True, solution=False, locked=True))


def written(grade_id: str, model_answer: str) -> nbformat.NotebookNode:
    """A written item's answer cell (graded by hand), holding the model answer for graders."""
    source = f"**参考答案（供评分参考）/ Model answer (for graders)**\n\n{model_answer.strip()}"
    return new_markdown_cell(source, metadata=_meta(grade_id, grade=True, solution=True, locked=False))


def notebook(cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    """A notebook of ``cells`` with a Python kernel and cell ids derived from the grade ids."""
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.id = cell.metadata["nbgrader"]["grade_id"].replace("_", "-")
    return nb
