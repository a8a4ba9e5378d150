"""The bank's format: every task is a lab in the lab format plus the blueprint's facts, and stays apart.

No nbgrader run here: the rules are read from the task objects and source notebooks (quick).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from notebook_runs import ROOT

from graders.bank import format_problems
from graders.bank.registry import BANK, LABS, by_unit, paper_lab, paper_name, paper_task_ids
from graders.checking import Task, WrittenTask
from graders.labs import LABS as COURSE_LABS
from graders.skill_units import L3_EXAM
from trainerlab.course import source_assignments
from trainerlab.datagen import bank_cases
from trainerlab.exam.newtask import load_task, new_task
from trainerlab.exam.paper import bank_source, compose
from trainerlab.labformat import problems

#: Tasks the bank holds per L3 unit at least (the issue's goal: 3, then 5).
MIN_PER_UNIT = 3
TASKS = sorted(BANK)


@pytest.mark.parametrize("task_id", TASKS)
def test_task_keeps_the_lab_format_and_the_blueprint(task_id: str) -> None:
    task = BANK[task_id]
    nb = nbformat.read(bank_source(task_id, ROOT), as_version=4)
    assert not format_problems(task) + problems(task.lab, nb)


@pytest.mark.parametrize("task_id", TASKS)
def test_every_grade_id_is_the_tasks_own_and_every_check_names_its_item(task_id: str) -> None:
    nb = nbformat.read(bank_source(task_id, ROOT), as_version=4)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert [i for i in ids if i != "overview" and not i.startswith(f"{task_id}_")] == []
    module = __import__(f"graders.bank.{task_id}", fromlist=["LAB"])
    for item in BANK[task_id].lab.tasks:
        if isinstance(item, WrittenTask):
            assert item.rubric, f"{item.grade_id} has no rubric"
        else:
            assert getattr(module, item.grade_id.split("_", 1)[1]) is item, "q.<item> is the item"
            assert item.hints and all(c.points > 0 for c in item.criteria)


def test_the_bank_covers_every_unit_of_the_blueprint() -> None:
    units = by_unit()
    wanted = [u for task in L3_EXAM for u in task.units]
    assert {u: len(units.get(u, [])) for u in wanted if len(units.get(u, [])) < MIN_PER_UNIT} == {}


def test_the_bank_stays_out_of_the_labs() -> None:
    assert not set(BANK) & set(COURSE_LABS)
    assert not set(BANK) & set(source_assignments(ROOT))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert not [t for t in BANK if f"`{t}`" in readme], "README's labs table lists only the labs"


@pytest.mark.parametrize("name", sorted(bank_cases.BUILDERS))
def test_every_table_has_seeded_variants(name: str) -> None:
    build = bank_cases.BUILDERS[name]
    assert build(7).equals(build(7))
    assert not build(7).equals(build(8))


def test_the_data_card_names_every_table() -> None:
    card = (ROOT / "datasets" / "exam_bank" / "README.md").read_text(encoding="utf-8")
    assert [n for n in bank_cases.BUILDERS if f"`{n}`" not in card] == []


def test_a_paper_is_a_lab_of_its_tasks_items() -> None:
    ids = ["b11a", "b21a", "b22a", "b31a", "b32a", "b42a"]
    name = paper_name(ids)
    assert paper_task_ids(name) == ids and name in LABS and "exam_b99z" not in LABS
    lab = paper_lab(name)
    assert lab.points == 100
    assert [t.grade_id for t in lab.tasks] == [t.grade_id for i in ids for t in BANK[i].lab.tasks]
    assert not problems(lab, compose(ids, ROOT))


def test_new_task_scaffold_passes_the_format(tmp_path: Path) -> None:
    grader, notebook = new_task(tmp_path, "b32b")
    task = load_task(grader)
    assert task.unit == "3.2" and task.points == 20 and task.minutes == 20
    assert not format_problems(task) + problems(task.lab, nbformat.read(notebook, as_version=4))
    assert any(isinstance(t, Task) for t in task.lab.tasks)
    with pytest.raises(ValueError):
        new_task(tmp_path, "b33a")
    with pytest.raises(FileExistsError):
        new_task(tmp_path, "b32b")


def test_format_problems_catch_wrong_bank_facts() -> None:
    from dataclasses import replace

    task = BANK["b41a"]
    assert format_problems(replace(task, minutes=20))
    assert format_problems(replace(task, unit="4.2"))
    assert format_problems(replace(task, lab=replace(task.lab, tasks=task.lab.tasks[:1])))


def test_bank_notebooks_are_stored_without_outputs() -> None:
    for task_id in TASKS:
        nb = json.loads(bank_source(task_id, ROOT).read_text(encoding="utf-8"))
        assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


def test_bundled_tables_are_the_generators_output(tmp_path: Path) -> None:
    for path in bank_cases.write_defaults(tmp_path):
        bundled = ROOT / "datasets" / bank_cases.DATASET / path.relative_to(tmp_path)
        assert bundled.read_bytes() == path.read_bytes(), \
            f"{bundled} is stale: python -m trainerlab.datagen.bank_cases"


def test_exam_sync_finds_every_derived_place_in_sync(capsys: pytest.CaptureFixture) -> None:
    from trainerlab.cli import main

    assert main(["exam", "sync", "--check"]) == 0
    assert "in sync" in capsys.readouterr().out
    assert main(["exam", "sync", "b99z"]) == 2
