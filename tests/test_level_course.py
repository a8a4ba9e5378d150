"""One level's labs as a course of their own, with plain nbgrader commands only.

An instructor who teaches L2 assigns, grades and exports the L2 labs alone: one nbgrader assignment
per area and level (``data_cleaning_l2`` beside ``data_cleaning``) in nbgrader's source directory, so
``nbgrader generate_assignment "*_l2"``, ``autograde "*_l2"`` and ``export`` need nothing from the other
levels, and ``trainerlab report`` names every unit by its L2 work content.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from notebook_runs import ROOT

from graders.checking import Task
from graders.labs import LABS
from graders.skill_units import skill_unit
from trainerlab.cli import main
from trainerlab.course import nbgrader
from trainerlab.warmkernel import warm_python_environment

L2 = sorted(a for a, lab in LABS.items() if lab.level == "L2")
#: the lab ann hands in solved (the other labs' solutions are graded by their own class runs)
SOLVED = L2[0]


def test_every_area_has_its_l2_lab() -> None:
    assert {LABS[a].area for a in L2} >= {"data_cleaning", "model_tuning", "evaluation", "deployment"}
    for assignment in L2:
        assert assignment == f"{LABS[assignment].area}_l2"
        assert all(task.level == "L2" for task in LABS[assignment].tasks), assignment
        assert sum(t.points for t in LABS[assignment].tasks if isinstance(t, Task)) >= 30, assignment


@pytest.fixture(scope="module")
def l2_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course of the L2 labs only: ann hands in one lab solved and the others untouched, bob every lab
    untouched; graded and exported."""
    course = tmp_path_factory.mktemp("l2") / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for assignment in L2:
        shutil.copytree(ROOT / "labs" / assignment, course / "labs" / assignment,
                        ignore=shutil.ignore_patterns("output", ".ipynb_checkpoints"))
    # one command per step for the whole level: nbgrader takes the assignment as a pattern
    nbgrader("generate_assignment", "*_l2", root=course)
    for assignment in L2:
        notebook = LABS[assignment].notebook
        ann = course / ("labs" if assignment == SOLVED else "release")
        for student, given in (("ann", ann), ("bob", course / "release")):
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True)
            shutil.copy(given / assignment / notebook, folder / notebook)
    warm = warm_python_environment(course / "warm-kernels",
                                   [course / "labs" / a / LABS[a].notebook for a in L2])
    nbgrader("autograde", "*_l2", root=course, env=warm)
    nbgrader("export", root=course)
    return course


def test_an_l2_course_is_graded_and_exported_with_plain_nbgrader(l2_course: Path) -> None:
    with open(l2_course / "grades.csv", encoding="utf-8") as handle:
        rows = {(r["assignment"], r["student_id"]): r for r in csv.DictReader(handle)}
    assert {assignment for assignment, _ in rows} == set(L2)  # no other level's lab in the course
    for assignment in L2:
        lab = LABS[assignment]
        auto = sum(t.points for t in lab.tasks if isinstance(t, Task)) if assignment == SOLVED else 0
        assert float(rows[assignment, "ann"]["max_score"]) == pytest.approx(lab.points)
        assert float(rows[assignment, "ann"]["raw_score"]) == pytest.approx(auto), assignment
        assert float(rows[assignment, "bob"]["raw_score"]) == 0, assignment
        release = (l2_course / "release" / assignment / lab.notebook).read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in release and "BEGIN HIDDEN TESTS" not in release, assignment


def test_the_skill_report_names_each_unit_by_its_l2_work_content(l2_course: Path, tmp_path: Path) -> None:
    assert main(["report", "--course", str(l2_course), "--out", str(tmp_path)]) == 0
    with open(tmp_path / "skill_units.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {r["level"] for r in rows} == {"L2"}
    earned: dict[str, float] = {}
    for task in LABS[SOLVED].tasks:
        if isinstance(task, Task):
            earned[task.unit] = earned.get(task.unit, 0.0) + task.points
    ann = {r["unit"]: r for r in rows if r["student_id"] == "ann"}
    assert set(ann) == {task.unit for assignment in L2 for task in LABS[assignment].tasks}
    for unit, row in ann.items():
        name = skill_unit("L2", unit)
        assert (row["unit_zh"], row["unit_en"]) == (name.zh, name.en)
        assert float(row["points"]) == pytest.approx(earned.get(unit, 0.0)), unit
