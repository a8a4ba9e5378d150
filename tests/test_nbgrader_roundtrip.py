"""Plain nbgrader commands assign, autograde, give feedback and export every lab correctly."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import nbformat
import pytest
from notebook_runs import ROOT

from graders.checking import Task
from graders.labs import LABS
from trainerlab.course import nbgrader


def _partly_solved(source: Path, release: Path, target: Path) -> None:
    """The solution with the answers of the second half of the tasks reset to the student version."""
    solved = nbformat.read(source, as_version=4)
    blank = {c.metadata["nbgrader"]["grade_id"]: c for c in nbformat.read(release, as_version=4).cells
             if c.metadata.get("nbgrader", {}).get("solution")}
    answers = [i for i, c in enumerate(solved.cells) if c.metadata.get("nbgrader", {}).get("solution")]
    for i in answers[len(answers) // 2:]:
        gid = solved.cells[i].metadata["nbgrader"]["grade_id"]
        solved.cells[i] = blank[gid]
    target.mkdir(parents=True, exist_ok=True)
    nbformat.write(solved, target / source.name)


@pytest.mark.parametrize("assignment", sorted(LABS))
def test_round_trip(assignment: str, tmp_path: Path) -> None:
    lab = LABS[assignment]
    shutil.copytree(ROOT / "labs" / assignment, tmp_path / "labs" / assignment,
                    ignore=shutil.ignore_patterns("output", ".ipynb_checkpoints"))
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    for student in ("solved", "untouched", "partial"):
        nbgrader("db", "student", "add", student, root=tmp_path)
    nbgrader("generate_assignment", assignment, root=tmp_path)
    release = tmp_path / "release" / assignment / lab.notebook
    source = tmp_path / "labs" / assignment / lab.notebook

    release_text = release.read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", ".grade("):
        assert marker not in release_text, f"{marker!r} leaked into the release"

    submitted = tmp_path / "submitted"
    (submitted / "solved" / assignment).mkdir(parents=True)
    shutil.copy(source, submitted / "solved" / assignment)
    (submitted / "untouched" / assignment).mkdir(parents=True)
    shutil.copy(release, submitted / "untouched" / assignment)
    _partly_solved(source, release, submitted / "partial" / assignment)

    nbgrader("autograde", assignment, root=tmp_path)
    nbgrader("generate_feedback", assignment, root=tmp_path)
    nbgrader("export", root=tmp_path)

    auto_max = sum(t.points for t in lab.tasks if isinstance(t, Task))
    with open(tmp_path / "grades.csv", encoding="utf-8") as handle:
        rows = {r["student_id"]: r for r in csv.DictReader(handle)}
    assert float(rows["solved"]["max_score"]) == pytest.approx(lab.points)
    # written answers wait for a human; the solution earns every autograded point
    assert float(rows["solved"]["raw_score"]) == pytest.approx(auto_max)
    assert float(rows["untouched"]["raw_score"]) == 0
    assert 0 < float(rows["partial"]["raw_score"]) < auto_max

    for student in rows:
        html = (tmp_path / "feedback" / student / assignment / lab.notebook.replace(".ipynb", ".html"))
        text = html.read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" not in text and ".grade(" not in text, student
        if student == "untouched":  # the others submitted solution code of their own
            assert "BEGIN SOLUTION" not in text
