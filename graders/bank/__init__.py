"""The exam-style task bank: short labs in the shape of the L3 practical exam.

A bank task **is a lab**: a module ``graders.bank.<task id>`` defines ``LAB`` (a
:class:`graders.checking.Lab` whose tasks are the items M1…Mn, each a ``Task`` or ``WrittenTask``
with its unit, level and points declared once) and ``TASK`` (a :class:`BankTask`: the lab plus the
bank facts, its unit and minutes). Its source notebook is ``bank/<task id>/<notebook>``, in the lab
format (:mod:`trainerlab.labformat`), so ``trainerlab lab sync``-style derivation, feedback, the skill
report and progress read it as they read a lab. The bank is its own nbgrader source directory
(``bank/``), never the learner's practice folder or README's labs table.

Rules of the bank format, tested for every task (``tests/test_exam_bank_format.py``):

* the task id is ``b<unit digits><letter>`` (``b21a`` = the first task of unit 2.1); every graded
  item has that unit; its points add up to the blueprint's points for the unit and its minutes
  are the blueprint's minutes (:data:`graders.skill_units.L3_EXAM`);
* every nbgrader ``grade_id`` of its notebook starts with ``<task id>_`` except the overview cell,
  so six tasks compose into one paper notebook without clashes;
* data come from a seeded generator (``TRAINERLAB_SEED``) and deliverables go to ``output/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graders.checking import Lab, Msg
from graders.skill_units import L3_EXAM, ExamTask

#: A bank task's id: ``b`` + the unit's digits + a letter, e.g. ``b32a`` for the first task of unit 3.2.
TASK_ID = re.compile(r"^b([1-4])([12])([a-z])$")


@dataclass(frozen=True)
class BankTask:
    """One task of the bank: its lab (the items M1…Mn) and the exam facts it is tagged with."""

    lab: Lab
    unit: str
    minutes: int
    scenario: Msg

    @property
    def task_id(self) -> str:
        """The bank id, which is also the task's nbgrader assignment name."""
        return self.lab.assignment

    @property
    def points(self) -> float:
        """The task's points: the sum of its items' points."""
        return self.lab.points

    @property
    def exam_task(self) -> ExamTask:
        """The task of the L3 exam blueprint this bank task is drawn for."""
        return blueprint_task(self.unit)


def blueprint_task(unit: str) -> ExamTask:
    """The L3 exam task whose units include ``unit`` (``KeyError`` if none)."""
    for task in L3_EXAM:
        if unit in task.units:
            return task
    raise KeyError(unit)


def format_problems(task: BankTask) -> list[str]:
    """Every bank fact of ``task`` that breaks the bank format (empty when it keeps it)."""
    found = []
    match = TASK_ID.match(task.task_id)
    if match is None or f"{match.group(1)}.{match.group(2)}" != task.unit:
        found.append(f"{task.task_id}: the id must be b<unit digits><letter> for unit {task.unit}")
    try:
        exam = blueprint_task(task.unit)
    except KeyError:
        return [*found, f"{task.task_id}: unit {task.unit} is not in the L3 exam blueprint"]
    if abs(task.points - exam.points) > 1e-9:
        found.append(f"{task.task_id}: {task.points:g} points, the blueprint gives unit {task.unit} "
                     f"{exam.points}")
    if task.minutes != exam.minutes:
        found.append(f"{task.task_id}: {task.minutes} minutes, the blueprint gives {exam.minutes}")
    for item in task.lab.tasks:
        if item.unit != task.unit or item.level != "L3":
            found.append(f"{item.grade_id}: item of unit {item.level} · {item.unit}, the task is L3 · {task.unit}")
        if not item.grade_id.startswith(f"{task.task_id}_"):
            found.append(f"{item.grade_id}: an item's grade id must start with {task.task_id}_")
    if task.lab.level != "L3":
        found.append(f"{task.task_id}: the bank is L3")
    return found
