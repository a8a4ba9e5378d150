"""The learner's home page: labs in order, progress from recorded grades, model answers on request."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from notebook_runs import ROOT, lab_source

from graders.checking import CheckFailed, Lab, Task
from graders.labs import LABS
from graders.skill_units import L3_EXAM, skill_unit
from trainerlab import home, solutions
from trainerlab.grading.progress import offered_units, read_record, record_grade
from trainerlab.grading.results import MANUAL, VERIFIED, CellResult, SubmissionResult
from trainerlab.grading.selfgrade import SelfGrade


def test_the_home_page_lists_every_lab_level_by_level_in_the_recommended_order(tmp_path: Path) -> None:
    path = home.write_home(tmp_path)
    assert path.name == home.HOME_NOTEBOOK
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    ordered = [lab for _, labs in home.labs_in_order() for lab in labs]
    assert sorted(lab.assignment for lab in ordered) == sorted(LABS)  # every lab, once
    links = [f"]({lab.assignment}/{lab.notebook})" for lab in ordered]
    places = [text.index(link) for link in links]
    assert places == sorted(places)  # in the order labs_in_order gives
    known = [a for a in home.RECOMMENDED_ORDER if a in LABS]
    assert [lab.assignment for lab in ordered if lab.assignment in known] == known
    for lab in ordered:
        assert lab.summary.zh in text and f"{lab.points:g}" not in ("",)
    assert text.index("自检") < text.index("Check.")  # Chinese first
    assert "home.show_progress()" in nb.cells[5].source
    assert home.default_url() == "/lab/tree/%E9%A6%96%E9%A1%B5_home.ipynb"


def test_writing_the_home_page_again_keeps_its_outputs(tmp_path: Path) -> None:
    path = home.write_home(tmp_path)
    nb = nbformat.read(path, as_version=4)
    nb.cells[5].outputs = [nbformat.v4.new_output("stream", text="shown before")]
    nbformat.write(nb, path)
    home.write_home(tmp_path)
    assert nbformat.read(path, as_version=4).cells[5].outputs[0]["text"] == "shown before"


def _recorded(folder: Path, assignment: str, share: float) -> Path:
    """A practice copy of ``assignment`` with a recorded grade: ``share`` of each autograded task."""
    lab = LABS[assignment]
    notebook = folder / assignment / lab.notebook
    notebook.parent.mkdir(parents=True)
    notebook.write_bytes(lab_source(assignment).read_bytes())
    cells = [CellResult(lab.notebook, t.grade_id, t.points, share * t.points if isinstance(t, Task) else None,
                        not isinstance(t, Task), check=VERIFIED if isinstance(t, Task) else MANUAL)
             for t in lab.tasks]
    record_grade(SelfGrade(notebook, lab, SubmissionResult("me", assignment, "graded", cells=cells), None))
    return notebook


def test_progress_on_the_home_page_reads_recorded_grades_without_grading(tmp_path: Path) -> None:
    notebook = _recorded(tmp_path, "data_cleaning", 0.5)
    assert read_record(notebook, LABS["data_cleaning"]).current
    script = ("import sys, time; t = time.monotonic()\n"
              "from trainerlab import home\n"
              f"view = home.show_progress({str(tmp_path)!r}); page = view._repr_html_()\n"
              "untouched = not {'nbgrader', 'nbformat'} & set(sys.modules)\n"
              "print(round(time.monotonic() - t, 2), untouched, len(page))\n"
              "print(view)")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    seconds, imported, size = done.stdout.splitlines()[0].split()
    print(f"home page refresh: {seconds} s in-process, {time.monotonic() - started:.1f} s with start-up")
    assert imported == "True"  # neither nbgrader (grading) nor nbformat (seconds of JSON schema) imported
    text = done.stdout
    auto = sum(t.points for t in LABS["data_cleaning"].tasks if isinstance(t, Task))
    assert f"data_cleaning: {auto / 2:g}/{auto:g}" in text
    offered = {u for lv, u in offered_units() if lv == "L3"}
    assert text.count("no lab yet") == sum(1 for t in L3_EXAM if not set(t.units) & offered)
    assert int(size) > 10_000  # the chart is embedded


def test_the_progress_chart_is_drawn(tmp_path: Path) -> None:
    _recorded(tmp_path, "data_cleaning", 1.0)
    view = home.show_progress(tmp_path)
    png = view.chart_png()
    assert png.startswith(b"\x89PNG")
    assert 'src="data:image/png;base64,' in view._repr_html_()


# --- model answers on request -------------------------------------------------------------------

def _task(monkeypatch: pytest.MonkeyPatch) -> Task:
    task = LABS["data_cleaning"].task("load_raw")
    monkeypatch.setattr(task, "_tried", False)
    monkeypatch.setattr(task, "_hints_shown", 0)
    monkeypatch.delenv("TRAINERLAB_MODE", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    return task


def _reference_answer() -> str:
    cells = json.loads(lab_source("data_cleaning").read_text(encoding="utf-8"))["cells"]
    cell = next(c for c in cells if c["metadata"].get("nbgrader", {}).get("grade_id") == "load_raw_answer")
    return "".join(cell["source"]).split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0]


def test_the_model_answer_comes_after_a_try_and_the_last_hint(monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture) -> None:
    task = _task(monkeypatch)
    task.solution()
    assert "try the task first" in capsys.readouterr().out
    with pytest.raises(CheckFailed):
        task.check(None)  # not attempted is not a try
    task.solution()
    assert "try the task first" in capsys.readouterr().out
    with pytest.raises(CheckFailed):
        task.check(pd.DataFrame({"a": [1]}))  # a wrong answer is
    task.solution()
    assert f"{len(task.hints)} more hint(s) first" in capsys.readouterr().out
    for _ in task.hints:
        task.hint()
    assert "solution()" in capsys.readouterr().out  # the last hint says what comes next
    task.solution()
    shown = capsys.readouterr().out
    assert "Model answer" in shown and _reference_answer().strip() in shown
    assert "BEGIN SOLUTION" not in shown


def test_the_model_answer_is_refused_in_a_class_course_and_never_printed_while_grading(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    task = _task(monkeypatch)
    monkeypatch.setattr(task, "_tried", True)
    monkeypatch.setattr(task, "_hints_shown", len(task.hints))
    monkeypatch.setenv("TRAINERLAB_MODE", "class")
    task.solution()
    out = capsys.readouterr().out
    assert "not shown in a class course" in out and _reference_answer().strip() not in out
    monkeypatch.delenv("TRAINERLAB_MODE")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    task.solution()
    assert capsys.readouterr().out == ""


def test_every_autograded_task_has_a_model_answer() -> None:
    for lab in LABS.values():
        for task in lab.tasks:
            if isinstance(task, Task):
                assert solutions.model_answer(task).strip(), (lab.assignment, task.grade_id)


def test_a_higher_levels_labs_follow_the_same_recommended_order_under_their_level() -> None:
    def at_l2(area: str) -> Lab:
        return dataclasses.replace(LABS[area], assignment=f"{area}_l2", level="L2")

    labs = [LABS["guidance"], at_l2("guidance"), LABS["model_tuning"], at_l2("model_tuning")]
    assert [(level, [lab.assignment for lab in group]) for level, group in home.labs_in_order(labs)] == [
        ("L3", ["model_tuning", "guidance"]), ("L2", ["model_tuning_l2", "guidance_l2"])]



def test_progress_shows_each_higher_levels_units_under_that_levels_names(tmp_path: Path) -> None:
    l2 = sorted(a for a, lab in LABS.items() if lab.level == "L2")
    assert l2, "no L2 lab"
    _recorded(tmp_path, "data_cleaning", 1.0)
    _recorded(tmp_path, l2[0], 0.5)
    view = home.show_progress(tmp_path)
    text, page = str(view), view._repr_html_()
    lab = LABS[l2[0]]
    for task in lab.tasks:
        name = skill_unit("L2", task.unit)
        assert f"L2 · {task.unit} {name.zh} {name.en}: " in text
        assert f"L2 · {task.unit} {name.zh} / {name.en}" in page
    auto = {u: sum(t.points for t in lab.tasks if isinstance(t, Task) and t.unit == u) for u in
            {t.unit for t in lab.tasks}}
    for unit, points in auto.items():
        if points:
            assert f"{skill_unit('L2', unit).en}: {points / 2:g}/{points:g} (50%)" in text
    assert text.index("L3 practical exam") < text.index("二级 / Level 2")  # L2 beside L3, after it
    assert view.chart_png().startswith(b"\x89PNG")
