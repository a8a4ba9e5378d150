"""The skill-unit report: every graded cell is mapped, and the numbers add up."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbgrader.api import Gradebook
from notebook_runs import ROOT, lab_source

from graders.checking import Task, WrittenTask
from graders.labs import LABS
from graders.skill_units import LEVELS, UNITS, skill_unit
from trainerlab.cli import main
from trainerlab.grading import democlass
from trainerlab.grading.report import skill_report, unmapped_cells

pytestmark = pytest.mark.xdist_group("grading_report")

LAB = "data_cleaning"
STUDENTS = [f"s{i}" for i in range(5)]


@pytest.mark.parametrize("assignment", sorted(LABS))
def test_every_graded_cell_is_mapped_to_a_skill_unit(assignment: str) -> None:
    lab = LABS[assignment]
    nb = nbformat.read(lab_source(assignment), as_version=4)
    graded = {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"])
              for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}
    assert unmapped_cells(LABS, [(assignment, lab.notebook, gid) for gid in graded]) == []
    assert graded == {t.grade_id: t.points for t in lab.tasks}, "tasks and graded cells differ"
    for task in lab.tasks:
        assert (task.level, task.unit) in UNITS and task.level in LEVELS


def test_an_unmapped_cell_is_reported() -> None:
    lab = LABS[LAB]
    short = dataclasses.replace(lab, tasks=[t for t in lab.tasks if t.grade_id != "risk_labels"])
    missing = unmapped_cells({LAB: short}, [(LAB, lab.notebook, t.grade_id) for t in lab.tasks])
    assert [c.grade_id for c in missing] == ["risk_labels"]


def _earned(i: int) -> set[str]:
    """Student ``s<i>`` solved the first ``2 * i`` autograded tasks."""
    auto = [t.grade_id for t in LABS[LAB].tasks if isinstance(t, Task)]
    return set(auto[: 2 * i])


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = democlass.make_course(tmp_path_factory.mktemp("report"), [LAB], course_root=ROOT)
    lab = LABS[LAB]
    notebook = Path(lab.notebook).stem
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_student("absent")
        for i, student in enumerate(STUDENTS):
            gb.update_or_create_student(student)
            gb.update_or_create_submission(LAB, student)
            for task in lab.tasks:
                grade = gb.find_grade(task.grade_id, notebook, LAB, student)
                if isinstance(task, WrittenTask):
                    grade.auto_score = None
                    if task.grade_id == "cleaning_spec" and i >= 2:
                        grade.manual_score, grade.needs_manual_grade = task.points, False
                    else:
                        grade.needs_manual_grade = True
                else:
                    grade.auto_score = task.points if task.grade_id in _earned(i) else 0.0
                    grade.needs_manual_grade = False
        gb.db.commit()
    return course


def _expected(student: str, unit: str) -> tuple[float, float, float]:
    lab = LABS[LAB]
    tasks = [t for t in lab.tasks if t.unit == unit]
    if student == "absent":
        return 0.0, sum(t.points for t in tasks), 0.0
    i = STUDENTS.index(student)
    got = sum(t.points for t in tasks if t.grade_id in _earned(i))
    got += sum(t.points for t in tasks if t.grade_id == "cleaning_spec" and i >= 2)
    pending = sum(t.points for t in tasks if isinstance(t, WrittenTask)
                  and not (t.grade_id == "cleaning_spec" and i >= 2))
    return got, sum(t.points for t in tasks), pending


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_student_by_unit_csv(graded_course: Path, tmp_path: Path) -> None:
    report = skill_report(f"sqlite:///{graded_course / 'gradebook.db'}", tmp_path, charts=False)
    rows = _read(tmp_path / "skill_units.csv")
    units = sorted({t.unit for t in LABS[LAB].tasks})
    assert len(rows) == 6 * len(units) and report.unmapped == []
    for row in rows:
        got, possible, pending = _expected(row["student_id"], row["unit"])
        assert (float(row["points"]), float(row["max_points"]), float(row["pending_points"])) == (
            pytest.approx(got), pytest.approx(possible), pytest.approx(pending)), row
        assert float(row["percent"]) == pytest.approx(100 * got / possible, abs=0.01)
        assert row["level"] == "L3" and row["unit_zh"] == skill_unit("L3", row["unit"]).zh
        assert row["unit_en"] == skill_unit("L3", row["unit"]).en


def test_item_statistics(graded_course: Path, tmp_path: Path) -> None:
    skill_report(f"sqlite:///{graded_course / 'gradebook.db'}", tmp_path, charts=False)
    items = {r["grade_id"]: r for r in _read(tmp_path / "item_statistics.csv")}
    assert set(items) == {t.grade_id for t in LABS[LAB].tasks}
    totals = np.array([sum(t.points for t in LABS[LAB].tasks if t.grade_id in _earned(i))
                       + (5.0 if i >= 2 else 0.0) for i in range(5)])
    for task in LABS[LAB].tasks:
        if isinstance(task, WrittenTask):
            continue
        scores = np.array([task.points if task.grade_id in _earned(i) else 0.0 for i in range(5)])
        row = items[task.grade_id]
        assert int(row["n"]) == 5 and row["unit"] == task.unit
        assert float(row["mean_score"]) == pytest.approx(scores.mean(), abs=1e-4)
        assert float(row["full_marks_share"]) == pytest.approx((scores == task.points).mean(), abs=1e-4)
        rest = totals - scores
        if scores.std() and rest.std():
            assert float(row["discrimination"]) == pytest.approx(np.corrcoef(scores, rest)[0, 1], abs=1e-3)
        else:
            assert row["discrimination"] == "nan"
    assert int(items["audit_flow"]["pending"]) == 5


def test_charts_and_command_line(graded_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "report"
    assert main(["report", "--course", str(graded_course), "--out", str(out)]) == 0
    heatmap = out / "skill_units_heatmap.png"
    assert heatmap.read_bytes()[:4] == b"\x89PNG" and heatmap.stat().st_size > 5000
    charts = sorted(p.name for p in (out / "students").glob("*.png"))
    assert charts == sorted(f"{s}.png" for s in [*STUDENTS, "absent"])
    assert "6 名学员 / students" in capsys.readouterr().out
