"""``trainerlab progress``: a learner's practice added up per skill unit, beside the L3 exam blueprint."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from notebook_runs import ROOT, lab_source

from graders.checking import Task, WrittenTask
from graders.labs import LABS
from graders.skill_units import CODES, L3_EXAM, LEVELS, skill_unit
from trainerlab.cli import main
from trainerlab.grading import selfgrade
from trainerlab.grading.progress import offered_units, practice_progress, read_record, render_progress


def _by_unit(assignment: str, kind: type) -> Counter:
    points: Counter = Counter()
    for task in LABS[assignment].tasks:
        if isinstance(task, kind):
            points[task.unit] += task.points
    return points


def test_the_l3_blueprint_is_the_real_exam() -> None:
    assert sum(t.points for t in L3_EXAM) == 100 and sum(t.minutes for t in L3_EXAM) == 120
    assert sorted(u for t in L3_EXAM for u in t.units) == sorted(CODES)  # every unit, once


def _exam_tasks(practised: set[str]) -> tuple[int, int]:
    """How many L3 exam tasks are offered by some lab but not practised, and how many by no lab."""
    offered = {unit for level, unit in offered_units() if level == "L3"}
    not_practised = sum(1 for t in L3_EXAM if set(t.units) & offered and not set(t.units) & practised)
    no_lab = sum(1 for t in L3_EXAM if not set(t.units) & offered)
    return not_practised, no_lab


def test_progress_adds_up_each_unit_over_the_labs_practised(student_versions: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "practice"
    solved = folder / "data_cleaning" / LABS["data_cleaning"].notebook
    solved.parent.mkdir(parents=True)
    shutil.copy(lab_source("data_cleaning"), solved)  # every answer in place
    shutil.copytree(student_versions / "evaluation", folder / "evaluation")  # untouched
    progress = practice_progress(folder, course_root=ROOT)

    assert progress.missing == sorted(set(LABS) - {"data_cleaning", "evaluation"})
    assert [g.lab.assignment for g in progress.graded] == ["data_cleaning", "evaluation"]
    auto = _by_unit("data_cleaning", Task) + _by_unit("evaluation", Task)
    answered, blank = _by_unit("data_cleaning", WrittenTask), _by_unit("evaluation", WrittenTask)
    assert {unit for _, unit in progress.units} == set(auto) | set(answered) | set(blank)
    for (level, unit), points in progress.units.items():
        assert level == "L3"
        assert points.earned == pytest.approx(_by_unit("data_cleaning", Task)[unit])  # evaluation earns 0
        # written answers: the solution's wait for a teacher, the untouched notebook's blank ones earn 0
        assert points.possible == pytest.approx(auto[unit] + blank[unit])
        assert points.pending == pytest.approx(answered[unit])

    text = render_progress(progress)
    cleaning = _by_unit("data_cleaning", Task)["2.1"]
    assert f"your practice: {cleaning:g}/{cleaning:g} (100%)" in text
    # a unit no lab offers is "no lab yet", never "not practised" (3.1/3.2: the deployment lab, not here)
    practised = {unit for _, unit in progress.units}
    not_practised, no_lab = _exam_tasks(practised)
    exam, _, higher = text.partition(f"{LEVELS['L2']} 技能单元 / skill units:")
    assert exam.count("not practised yet") == not_practised
    assert exam.count("no lab yet") == no_lab
    # the L2 labs' units follow, under their L2 names: offered by a lab, none practised here
    offered_l2 = sorted(code for level, code in offered_units() if level == "L2")
    assert higher.count("not practised yet") == len(offered_l2)
    for code in offered_l2:
        assert f"L2 · {code} {skill_unit('L2', code).zh} " in higher
    assert "deployment: 练习文件夹中没有 / not in the practice folder" in text

    # the grades are recorded: unchanged notebooks are read back, not graded again
    def no_grading(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged notebook was graded again")

    monkeypatch.setattr(selfgrade, "self_grade", no_grading)
    again = practice_progress(folder, course_root=ROOT)
    assert again.units == progress.units and not again.stale
    assert render_progress(again) == text

    # a notebook changed after its grade is graded again (here: said to be out of date)
    evaluation = folder / "evaluation" / LABS["evaluation"].notebook
    evaluation.write_text(evaluation.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert read_record(evaluation, LABS["evaluation"]).current is False
    with pytest.raises(AssertionError, match="graded again"):
        practice_progress(folder, course_root=ROOT)
    recorded = practice_progress(folder, regrade="none")
    assert recorded.stale == ["evaluation"] and recorded.units == progress.units
    assert "notebook changed since graded" in render_progress(recorded)


def test_progress_without_a_practice_folder_says_how_to_make_one(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture) -> None:
    assert main(["progress", "--folder", str(tmp_path / "nowhere")]) == 2
    assert "trainerlab practice" in capsys.readouterr().err
