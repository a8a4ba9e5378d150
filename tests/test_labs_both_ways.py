"""Every graded cell of every lab is proven both ways: the solution passes, the student version fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from notebook_runs import grade_cells, lab_source, run_notebook

from graders.labs import LABS


@pytest.mark.parametrize("assignment", sorted(LABS))
def test_solution_earns_every_autograded_point(assignment: str, tmp_path: Path) -> None:
    nb = run_notebook(lab_source(assignment), tmp_path)
    cells = grade_cells(nb)
    auto = [t for t in LABS[assignment].tasks if hasattr(t, "grade")]
    assert {c.grade_id for c in cells} == {t.grade_id for t in auto}
    failing = {c.grade_id: (c.error, c.stderr[:200], c.score_output) for c in cells if not c.passed}
    assert not failing, f"solution loses points in {assignment}: {failing}"
    # every cell that ran before the grade cells ran cleanly too (no error anywhere)
    errors = [c.id for c in nb.cells if c.cell_type == "code"
              and any(o.output_type == "error" for o in c.get("outputs", []))]
    assert not errors, f"cells raised in the solution of {assignment}: {errors}"


@pytest.mark.parametrize("assignment", sorted(LABS))
def test_student_version_fails_every_graded_cell(
    assignment: str, student_versions: Path, tmp_path: Path
) -> None:
    notebook = student_versions / assignment / LABS[assignment].notebook
    text = notebook.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
    cells = grade_cells(run_notebook(notebook, tmp_path))
    assert cells, "the student version has no graded cells"
    passing = [c.grade_id for c in cells if c.error is None]
    assert not passing, f"these test cells pass without any answer (vacuous): {passing}"
    # the learner is told the task is not attempted yet, not shown a bare NameError
    unclear = [c.grade_id for c in cells if "CheckFailed" not in (c.error or "")]
    assert not unclear, f"these cells fail without the check's own message: {unclear}"
