"""The whole bank as one nbgrader class: every task's solution, student version and answer corpus.

Every bank task is composed into one notebook (the bank's "paper" of all its tasks,
:func:`trainerlab.exam.paper.write_course`), so the class costs one ``db import``, one
``generate_assignment`` and one ``autograde`` of a few notebooks however many tasks the bank holds:

* ``solved`` — the source with every solution; ``untouched`` — nbgrader's student version;
* ``alt-<k>`` — the k-th alternative of every task at once; ``wrong-<k>`` — the k-th wrong case of every
  task at once (each task's cells are its own, so the mistakes of one task never reach another's).

The corpus of task ``<id>`` is ``CASES`` in ``tests/bank_corpus/<id>.py`` (:class:`class_runs.Case`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat
from class_runs import Case, graded_results, with_answers
from notebook_runs import ROOT

from graders.bank.registry import BANK, paper_lab, paper_name
from graders.checking import Task
from trainerlab.course import nbgrader
from trainerlab.exam.paper import write_course
from trainerlab.warmkernel import warm_python_environment


def bank_corpus(task_id: str) -> list[Case]:
    """The answer corpus of a bank task (none yet if it has no corpus file)."""
    if not (ROOT / "tests" / "bank_corpus" / f"{task_id}.py").is_file():
        return []
    return list(importlib.import_module(f"bank_corpus.{task_id}").CASES)


def packed_students() -> dict[str, list[Case]]:
    """The corpus notebooks: ``alt-k`` / ``wrong-k`` holds the k-th case of that kind of every task."""
    students: dict[str, list[Case]] = {}
    for task_id in BANK:
        for kind, prefix in (("alternative", "alt"), ("wrong", "wrong")):
            for k, case in enumerate((c for c in bank_corpus(task_id) if c.kind == kind), 1):
                students.setdefault(f"{prefix}-{k}", []).append(case)
    return students


@dataclass
class BankRun:
    """Scores and output text per student and graded cell, the maximum of each cell, and where it ran."""

    root: Path
    assignment: str
    students: dict[str, list[Case]]
    scores: dict[str, dict[str, float]]
    outputs: dict[str, dict[str, str]]
    maximum: dict[str, float]

    def student_of(self, case: Case) -> str:
        """The corpus notebook a case was packed into."""
        return next(s for s, cases in self.students.items() if case in cases)


@cache
def bank_run(base: Path) -> BankRun:
    """Build and autograde the bank's class under ``base`` (once per test process)."""
    ids = list(BANK)
    assignment = paper_name(ids)
    lab = paper_lab(assignment)
    root = base / "bank_class"
    source_path = write_course(root, ids, ROOT)
    packed = packed_students()
    students = ["solved", "untouched", *packed]
    # no student list: ``nbgrader autograde`` adds each student it finds a submission of
    nbgrader("generate_assignment", assignment, root=root)
    source = nbformat.read(source_path, as_version=4)
    release = nbformat.read(root / "release" / assignment / lab.notebook, as_version=4)
    notebooks = {"solved": source, "untouched": release}
    notebooks |= {s: with_answers(source, {k: v for case in cases for k, v in case.answers.items()})
                  for s, cases in packed.items()}
    for student, nb in notebooks.items():
        folder = root / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / lab.notebook)
    nbgrader("autograde", assignment, root=root,
             env=warm_python_environment(base / "warm-kernels", [source_path]))

    scores, outputs = graded_results(root, assignment, lab, students)
    maximum = {t.grade_id: t.points for t in lab.tasks if isinstance(t, Task)}
    return BankRun(root, assignment, packed, scores, outputs, maximum)
