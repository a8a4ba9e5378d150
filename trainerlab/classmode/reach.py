"""Grading time in a class course: answers that reach into the grader are held for review, not scored.

nbgrader runs a submission's code in the same kernel as the checks, where the full ``graders`` and
the data generators are installed and the student's seed is set: an answer cell that calls them
would take its answer from the truth. :class:`HoldReachingAnswers` runs after ``Execute`` and before
``SaveAutoGrades`` in a class course (one with a course secret): when an answer cell names what a
lab answer never needs — the project's packages, ``q``'s members beyond its tasks and handed-out
names, the import machinery, a dunder other than the context-manager protocol's ``__enter__`` and
``__exit__`` (which a service's test client is opened with), the environment, the course secret,
dynamic code or attribute access —
every autograded cell from that task on gets an error output saying so (nbgrader scores it 0), and
the instructor is told to review it. It reads the source only: code that hides the names better is
beyond it (docs/class-mode.md says what stays open).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import import_module
from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from graders.checking import Task
from trainerlab.classmode.handout import HANDOUTS

_REACHING = re.compile(
    r"\b(graders|trainerlab|importlib|builtins|TRAINERLAB\w*|course_secret)\b"
    r"|__(?!(?:enter|exit)__)\w+__|\bsys\s*\.\s*modules\b|\bos\s*\.\s*environ\b|\bgetenv\b"
    r"|(?<![\w.])(exec|eval|compile|getattr|vars|globals|locals|breakpoint)\s*\(")
_Q_MEMBER = re.compile(r"\bq\s*\.\s*(\w+)(?:\s*\.\s*(\w+))?")
_TASK_MEMBERS = {None, "check", "hint", "solution", "points", "title"}
HELD = ("这个答案单元调用了评分程序本身（{what}），本题及之后各题的自动评分留待教师复核",
        "this answer cell reaches into the grader itself ({what}); this task and the ones after it are "
        "held for your teacher to review")


def allowed_members(assignment: str) -> tuple[set[str], set[str]]:
    """The lab's task attributes and the other names of ``q`` its notebook may use (the handout)."""
    module = import_module(f"graders.{assignment}")
    tasks = {name for name, value in vars(module).items() if isinstance(value, Task)}
    return tasks, HANDOUTS[assignment].names


def reaching(source: str, tasks: set[str], handed_out: set[str]) -> str | None:
    """What in ``source`` reaches into the grader (the first such name), or ``None``."""
    found = _REACHING.search(source)
    if found:
        return found.group(0).strip()
    for member in _Q_MEMBER.finditer(source):
        name, attribute = member.groups()
        if name in tasks and attribute in _TASK_MEMBERS or name in handed_out and attribute is None:
            continue
        return member.group(0)
    return None


def _held_output(what: str) -> NotebookNode:
    zh, en = (text.format(what=what) for text in HELD)
    return new_output("error", ename="HeldForReview", evalue=f"{zh} / {en}", traceback=[f"⚠ {zh} / {en}"])


def hold(cells: Iterable[NotebookNode], tasks: set[str], handed_out: set[str]) -> list[str]:
    """Put an error first in every autograded cell from the first reaching answer cell on; their grade ids."""
    held: list[str] = []
    what = None
    for cell in cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code":
            continue
        if what is None and meta.get("solution"):
            what = reaching(cell.source, tasks, handed_out)
        elif what is not None and meta.get("grade"):
            cell.outputs.insert(0, _held_output(what))  # nbgrader scores by the first error or result
            held.append(meta["grade_id"])
    return held


class HoldReachingAnswers(NbGraderPreprocessor):
    """In a class course, hold for review the tasks whose answers reach into the grader."""

    secret_file = Unicode("", help="the course secret's file: only a class course has one").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        """Mark the held cells of a class course's handed-out lab; anything else passes unchanged."""
        info = resources["nbgrader"]
        if not (self.secret_file and Path(self.secret_file).is_file() and info["assignment"] in HANDOUTS):
            return nb, resources
        held = hold(nb.cells, *allowed_members(info["assignment"]))
        if held:
            self.log.warning("%s/%s: answers reach into the grader; held for review (scored 0): %s",
                             info["student"], info["assignment"], ", ".join(held))
        return nb, resources
