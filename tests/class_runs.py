"""One nbgrader class per lab: the solution, the student version and every answer of the lab's corpus
(or, for a lab without one yet, a half-done notebook), autograded together by plain ``nbgrader autograde``
(its kernels started warm: :mod:`trainerlab.warmkernel`) — all but the solution, which ``trainerlab
grade-class`` grades into the same gradebook, re-checking every point outside the kernel (the proof
that each lab's answers cross to the grader as data; its gradebook rows are plain nbgrader's, as
``tests/test_grading_class.py`` shows).

The class is the lab's one grading run in the test suite: the both-ways proof (solution full,
student version zero on every graded cell), the round trip (feedback, export) and the answer
corpus (``tests/corpus/<assignment>.py``) all read its gradebook and autograded notebooks.

A corpus case is the solution notebook with named answer cells replaced:

* an ``alternative`` reaches the right answers by another route and must score full everywhere;
* a ``wrong`` case makes real mistakes, each named by the test cell that must lose points for it
  (``loses``); every other cell must score full, except a later cell that cannot be judged
  without the right upstream value, listed in ``carried`` with the text its feedback must show
  (the earlier task to fix).
"""

from __future__ import annotations

import csv
import importlib
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import nbformat
from course_templates import course_template
from nbgrader.api import Gradebook, MissingEntry
from notebook_runs import ROOT

from graders.checking import Lab, Task
from graders.labs import LABS
from trainerlab.course import nbgrader
from trainerlab.grading.classgrade import grade_class
from trainerlab.grading.results import MANUAL
from trainerlab.warmkernel import warm_python_environment

CORPUS = Path(__file__).with_name("corpus")


@dataclass(frozen=True)
class Case:
    """One whole answer of the corpus: the solution with ``answers`` (answer cell id -> source) replaced."""

    name: str
    kind: Literal["alternative", "wrong"]
    answers: Mapping[str, str]
    #: wrong cases: test cell grade_id -> the mistake that must cost points there
    loses: Mapping[str, str] = field(default_factory=dict)
    #: later test cells that may lose points too, with the text their feedback must show
    carried: Mapping[str, str] = field(default_factory=dict)

    @property
    def student(self) -> str:
        """The case's student id in the class run."""
        return f"{self.kind[:3]}-{self.name}"


def corpus(assignment: str) -> list[Case]:
    """The answer corpus of a lab (``tests/corpus/<assignment>.py``, ``CASES``), or none yet."""
    if not (CORPUS / f"{assignment}.py").is_file():
        return []
    return list(importlib.import_module(f"corpus.{assignment}").CASES)


def solution_sources(assignment: str) -> dict[str, str]:
    """The code answer cells of the lab's source notebook by grade id: what corpus cases edit."""
    source = nbformat.read(ROOT / "labs" / assignment / LABS[assignment].notebook, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
            if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}


def edit_source(source: str, changes: Iterable[tuple[str, str]], *, count: int = -1, where: str = "") -> str:
    """``source`` with each ``(old, new)`` text replaced (``count`` times; all by default).

    Every old text must be there (``where`` names the cell in the message): an edit that no longer
    applies to a changed solution fails instead of leaving the case silently right.
    """
    for old, new in changes:
        assert old in source, f"{where}: {old!r} is not in the solution"
        source = source.replace(old, new, count)
    return source


def wrong_case(name: str, mistakes: Mapping[str, tuple[str, str, str, str]], *chosen: str) -> Case:
    """A wrong notebook making the ``chosen`` mistakes, at most one per answer cell and test cell.

    ``mistakes`` maps a mistake's name to (answer cell, its wrong source, the test cell that must
    lose points for it, what is wrong).
    """
    answers: dict[str, str] = {}
    loses: dict[str, str] = {}
    for mistake in chosen:
        cell, source, test_cell, why = mistakes[mistake]
        assert cell not in answers and test_cell not in loses, f"{name}: two mistakes in {cell}"
        answers[cell] = source
        loses[test_cell] = why
    return Case(name, "wrong", answers, loses=loses)


def answer_cells_of(assignment: str) -> dict[str, list[str]]:
    """Each autograded task's answer cells: the solution cells since the previous graded cell."""
    nb = nbformat.read(ROOT / "labs" / assignment / LABS[assignment].notebook, as_version=4)
    owned: dict[str, list[str]] = {}
    pending: list[str] = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            pending.append(meta["grade_id"])
        elif meta.get("grade") and cell.cell_type == "code":
            owned[meta["grade_id"]], pending = pending, []
    return owned


@dataclass
class ClassRun:
    """What autograding the lab's class gave: per student, per graded cell, the score and the output text."""

    assignment: str
    root: Path
    scores: dict[str, dict[str, float]]
    outputs: dict[str, dict[str, str]]
    maximum: dict[str, float]
    grades_csv: dict[str, dict[str, str]]
    #: the student whose notebook earns some points and not all (see :func:`class_run`)
    partial: str
    #: the solution's autograded cells, graded by ``grade-class``: grade_id -> how its re-check went
    rechecked: dict[str, str] = field(default_factory=dict)

    def feedback(self, student: str) -> str:
        """The feedback HTML nbgrader generated for ``student``."""
        name = LABS[self.assignment].notebook.replace(".ipynb", ".html")
        return (self.root / "feedback" / student / self.assignment / name).read_text(encoding="utf-8")


def with_answers(solution: nbformat.NotebookNode, answers: Mapping[str, str]) -> nbformat.NotebookNode:
    """A copy of ``solution`` with the named answer cells' sources replaced (each must exist)."""
    nb = nbformat.from_dict(solution)
    found = set()
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
            found.add(gid)
    unknown = set(answers) - found
    assert not unknown, f"the corpus names answer cells the lab does not have: {sorted(unknown)}"
    return nb


def _partly_solved(solution: nbformat.NotebookNode, release: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The solution with the answers of the second half of the tasks reset to the student version."""
    blank = {c.metadata["nbgrader"]["grade_id"]: c.source for c in release.cells
             if c.metadata.get("nbgrader", {}).get("solution")}
    ids = [c.metadata["nbgrader"]["grade_id"] for c in solution.cells
           if c.metadata.get("nbgrader", {}).get("solution")]
    return with_answers(solution, {gid: blank[gid] for gid in ids[len(ids) // 2:]})


def _cell_text(cell: nbformat.NotebookNode) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
        elif "data" in out:
            parts.append(str(out.data.get("text/plain", "")))
    return "".join(parts)


def graded_results(root: Path, assignment: str, lab: Lab, students: list[str]
                   ) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, str]]]:
    """Per student, per autograded cell of ``lab``: the gradebook's score and the autograded output text."""
    graded = {t.grade_id for t in lab.tasks if isinstance(t, Task)}
    notebook_name = lab.notebook.removesuffix(".ipynb")
    scores: dict[str, dict[str, float]] = {}
    outputs: dict[str, dict[str, str]] = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in students:
            scores[student] = {}
            for gid in sorted(graded):
                try:
                    grade = gb.find_grade(gid, notebook_name, assignment, student)
                except MissingEntry:
                    continue
                scores[student][gid] = float(grade.score)
    for student in students:
        path = root / "autograded" / student / assignment / lab.notebook
        nb = nbformat.read(path, as_version=4) if path.is_file() else nbformat.v4.new_notebook()
        outputs[student] = {c.metadata["nbgrader"]["grade_id"]: _cell_text(c) for c in nb.cells
                            if c.metadata.get("nbgrader", {}).get("grade_id") in graded}
    return scores, outputs


@cache
def class_run(assignment: str, base: Path, templates: Path) -> ClassRun:
    """Build and autograde the lab's class under ``base`` (once per test process).

    The course starts as a copy of the lab's generated course in ``templates`` (``course_templates``):
    source, gradebook and student version as ``nbgrader generate_assignment`` left them.
    """
    lab = LABS[assignment]
    root = base / assignment
    shutil.copytree(course_template(assignment, templates), root)
    cases = corpus(assignment)
    # a notebook that earns some points and not all: a wrong answer of the corpus, or else half the
    # tasks solved (a lab without a corpus yet)
    partial = next((c.student for c in cases if c.kind == "wrong"), "partial")
    students = ["solved", "untouched", *(["partial"] if partial == "partial" else []),
                *(c.student for c in cases)]
    assert len(set(students)) == len(students), "two corpus cases share a name"
    # no student list: ``nbgrader autograde`` adds each student it finds a submission of

    source = nbformat.read(root / "labs" / assignment / lab.notebook, as_version=4)
    release = nbformat.read(root / "release" / assignment / lab.notebook, as_version=4)
    notebooks = {"solved": source, "untouched": release}
    if partial == "partial":
        notebooks["partial"] = _partly_solved(source, release)
    notebooks.update({c.student: with_answers(source, c.answers) for c in cases})
    for student, nb in notebooks.items():
        folder = root / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / lab.notebook)

    # plain nbgrader, its kernels forked warm (trainerlab.warmkernel; test_grading_class shows that
    # grading warm and grading in fresh kernels give the same gradebook)
    warm = warm_python_environment(base / "warm-kernels", [root / "labs" / assignment / lab.notebook])
    solved = grade_class(root, assignment, students=["solved"], progress=False)
    assert [r.status for r in solved.results] == ["graded"], [(r.issues, r.error) for r in solved.results]
    rechecked = {c.grade_id: c.check for r in solved.results for c in r.cells if c.check != MANUAL}
    nbgrader("autograde", assignment, "--CourseDirectory.student_id_exclude=solved", root=root, env=warm)
    # feedback is read for the solved, untouched and partial notebooks only: the rest is not generated
    unread = [c.student for c in cases if c.student != partial]
    nbgrader("generate_feedback", assignment,
             *([f"--CourseDirectory.student_id_exclude={','.join(unread)}"] if unread else []), root=root)
    nbgrader("export", root=root)

    scores, outputs = graded_results(root, assignment, lab, students)
    with open(root / "grades.csv", encoding="utf-8") as handle:
        rows = {r["student_id"]: r for r in csv.DictReader(handle)}
    maximum = {t.grade_id: t.points for t in lab.tasks if isinstance(t, Task)}
    return ClassRun(assignment, root, scores, outputs, maximum, rows, partial, rechecked)
