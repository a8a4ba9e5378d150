"""``trainerlab progress``: a learner's practice added up per skill unit, beside the L3 exam blueprint."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from notebook_runs import ROOT, lab_source

from graders.checking import Task, WrittenTask
from graders.labs import LABS
from graders.skill_units import CODES, L3_EXAM
from trainerlab.cli import main
from trainerlab.grading.progress import practice_progress, render_progress


def _by_unit(assignment: str, kind: type) -> Counter:
    points: Counter = Counter()
    for task in LABS[assignment].tasks:
        if isinstance(task, kind):
            points[task.unit] += task.points
    return points


def test_the_l3_blueprint_is_the_real_exam() -> None:
    assert sum(t.points for t in L3_EXAM) == 100 and sum(t.minutes for t in L3_EXAM) == 120
    assert sorted(u for t in L3_EXAM for u in t.units) == sorted(CODES)  # every unit, once


def test_progress_adds_up_each_unit_over_the_labs_practised(student_versions: Path, tmp_path: Path) -> None:
    folder = tmp_path / "practice"
    solved = folder / "data_cleaning" / LABS["data_cleaning"].notebook
    solved.parent.mkdir(parents=True)
    shutil.copy(lab_source("data_cleaning"), solved)  # every answer in place
    shutil.copytree(student_versions / "evaluation", folder / "evaluation")  # untouched
    progress = practice_progress(folder, course_root=ROOT)

    assert progress.missing == sorted(set(LABS) - {"data_cleaning", "evaluation"})
    assert [g.lab.assignment for g in progress.graded] == ["data_cleaning", "evaluation"]
    auto = _by_unit("data_cleaning", Task) + _by_unit("evaluation", Task)
    written = _by_unit("data_cleaning", WrittenTask) + _by_unit("evaluation", WrittenTask)
    assert {unit for _, unit in progress.units} == set(auto) | set(written)
    for (level, unit), points in progress.units.items():
        assert level == "L3"
        assert points.earned == pytest.approx(_by_unit("data_cleaning", Task)[unit])  # evaluation earns 0
        assert points.possible == pytest.approx(auto[unit])
        assert points.pending == pytest.approx(written[unit])

    text = render_progress(progress)
    cleaning = _by_unit("data_cleaning", Task)["2.1"]
    assert f"your practice: {cleaning:g}/{cleaning:g} (100%)" in text
    # 3.1, 3.2 and one of 4.1/4.2 are exam tasks of labs not in this folder
    assert text.count("not practised yet") == 3
    assert "deployment: 练习文件夹中没有 / not in the practice folder" in text


def test_progress_without_a_practice_folder_says_how_to_make_one(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture) -> None:
    assert main(["progress", "--folder", str(tmp_path / "nowhere")]) == 2
    assert "trainerlab practice" in capsys.readouterr().err
