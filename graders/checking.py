"""The checking engine every lab uses: tasks made of point-weighted criteria.

A lab's test cells call two things per task:

* ``task.check(answer)`` — the self-check a learner runs while working. In practice mode (a learner
  alone, the default) it runs *every* criterion, lists each marking point met or missed and raises
  :class:`CheckFailed` unless grading would give full points, so it never says "passed" where
  grading takes points away. In a class course (``TRAINERLAB_MODE=class``) it runs the *visible*
  criteria only and says how many of the task's points it checked and how many remain for grading.
  While nbgrader autogrades (``NBGRADER_EXECUTION=autograde``) it does nothing: the hidden
  ``grade`` call after it scores the cell, so a missed point costs that point, not the whole cell.
* ``task.grade(answer)`` — the hidden, strict grading. It runs *every* criterion, prints one
  line per criterion and returns the points earned as a plain ``float``. nbgrader reads that
  number from the cell's output as partial credit (``nbgrader.utils.determine_grade``).

Neither ever lets an exception from a criterion escape: a criterion that crashes on an odd
answer counts as failed, with a message naming what was expected. Feedback says *what* is
wrong, never the expected value.

Error carried forward: a task that builds on an earlier one receives the learner's own upstream
result (as part of its answer) and judges the step against it, so one slip costs points once.
Where a task cannot be judged without a right upstream value, its criteria raise
:func:`fix_first`, which names the earlier task to fix.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["not_attempted", "malformed", "incorrect", "correct"]
Mode = Literal["practice", "class"]


def current_mode() -> Mode:
    """``"class"`` in a class course (``TRAINERLAB_MODE=class``: hidden criteria kept back), else practice."""
    return "class" if os.environ.get("TRAINERLAB_MODE", "").strip().lower() == "class" else "practice"


def autograding() -> bool:
    """True while nbgrader autogrades the notebook (it sets ``NBGRADER_EXECUTION=autograde``)."""
    return os.environ.get("NBGRADER_EXECUTION") == "autograde"


class CheckFailed(AssertionError):
    """Raised by :meth:`Task.check` when an answer is missing or loses points.

    The check has already printed what is wrong; in Jupyter the error shows as that one bilingual
    line instead of a traceback into the grader's code (IPython's ``_render_traceback_`` hook): a
    red ✗ for an answer that loses points, a plain ○ for a task not attempted yet (``pending``).
    Test cells carry the ``raises-exception`` tag, so Run All goes on to the next task either way.
    """

    def __init__(self, message: str, *, pending: bool = False) -> None:
        super().__init__(message)
        self.pending = pending

    def _render_traceback_(self) -> list[str]:
        if self.pending:
            return [f"○ {self}"]
        return [f"\x1b[31m✗ {self}\x1b[0m"]


class NotAttempted(Exception):
    """Raised by a precondition when the learner has not produced an answer yet."""


@dataclass(frozen=True)
class Msg:
    """A bilingual message: Simplified Chinese first, English beside it."""

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


class Problem(Exception):
    """Raised inside a criterion to fail it with a specific bilingual message."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.msg = Msg(zh, en)


def fix_first(task_zh: str, task_en: str) -> Problem:
    """A :class:`Problem` saying this point cannot be judged until an earlier task is right.

    ``task_zh``/``task_en`` name the earlier task, e.g. ``("任务 3", "Task 3")``.
    """
    return Problem(f"此项要在{task_zh}正确后才能判断，请先修改{task_zh}",
                   f"this point can only be judged once {task_en} is right: fix {task_en} first")


@dataclass(frozen=True)
class Criterion:
    """One marking point (M1, M2, …) of a task.

    ``test`` receives the (normalised) answer and returns ``True``/``False`` or raises
    :class:`Problem` with a precise message. ``visible`` criteria also run in the self-check.
    """

    name: Msg
    points: float
    test: Callable[[Any], bool]
    fail: Msg
    visible: bool = False

    def run(self, answer: Any) -> tuple[bool, Msg | None]:
        """Run the criterion; never raises. Returns (passed, failure message or None).

        Warnings the libraries raise while checking are silenced: nbgrader zeroes a test cell that
        writes anything to stderr.
        """
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ok = bool(self.test(answer))
        except Problem as problem:
            return False, problem.msg
        except Exception as exc:  # a malformed answer must fail the point, not crash the check
            return False, Msg(
                f"{self.fail.zh}（检查无法完成：{type(exc).__name__}）",
                f"{self.fail.en} (the check could not run: {type(exc).__name__})",
            )
        return ok, (None if ok else self.fail)


@dataclass(frozen=True)
class Result:
    """Outcome of running a task's criteria on an answer."""

    status: Status
    earned: float
    possible: float
    lines: tuple[str, ...]


@dataclass
class Task:
    """A graded task: an id matching the nbgrader ``grade_id``, its skill unit, and criteria.

    ``prepare`` turns the raw answer into what the criteria inspect; it raises
    :class:`NotAttempted` for a missing answer and :class:`Problem` for a malformed one.
    """

    grade_id: str
    unit: str
    level: str
    title: Msg
    criteria: Sequence[Criterion]
    hints: Sequence[Msg] = ()
    prepare: Callable[[Any], Any] = lambda answer: answer
    _hints_shown: int = field(default=0, repr=False)
    _tried: bool = field(default=False, repr=False)  # a check ran on an answer (opens solution())

    @property
    def points(self) -> float:
        """Maximum points of the task (sum of its criteria)."""
        return float(sum(c.points for c in self.criteria))

    def evaluate(self, answer: Any, *, hidden: bool = True) -> Result:
        """Run the criteria (all of them, or only the visible ones) without printing or raising."""
        criteria = [c for c in self.criteria if hidden or c.visible]
        possible = float(sum(c.points for c in criteria))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                prepared = self.prepare(answer)
        except NotAttempted:
            line = "○ 尚未作答：请先完成上面的代码单元并运行它 / Not attempted yet: complete and run the cell above first"
            return Result("not_attempted", 0.0, possible, (line,))
        except Problem as problem:
            return Result("malformed", 0.0, possible, (f"✗ {problem.msg}",))
        except Exception as exc:
            line = f"✗ 答案无法检查 / The answer could not be checked: {type(exc).__name__}"
            return Result("malformed", 0.0, possible, (line,))
        earned = 0.0
        lines = []
        all_ok = True
        for criterion in criteria:
            ok, why = criterion.run(prepared)
            all_ok &= ok
            if ok:
                earned += criterion.points
                lines.append(f"✓ {criterion.name} (+{_fmt(criterion.points)})")
            else:
                lines.append(f"✗ {criterion.name} (0/{_fmt(criterion.points)}): {why}")
        status = "correct" if all_ok else "incorrect"
        return Result(status, round(earned, 2), possible, tuple(lines))

    def check(self, answer: Any) -> None:
        """Self-check: print feedback, raise :class:`CheckFailed` unless every checked point is met.

        Practice mode checks every criterion, so "passed" means grading gives full points; class
        mode checks the visible ones and says how many points remain for grading. Under nbgrader's
        autograding it does nothing (the hidden :meth:`grade` scores the cell).
        """
        if autograding():
            return
        class_course = current_mode() == "class"
        result = self.evaluate(answer, hidden=not class_course)
        self._tried |= result.status != "not_attempted"
        if result.status == "not_attempted":
            raise CheckFailed(f"[{self.level} · {self.unit}] {self.title}: {_summary(result.status)}",
                              pending=True)
        print(f"[{self.level} · {self.unit}] {self.title}: {_fmt(result.earned)}/{_fmt(result.possible)}")
        for line in result.lines:
            print("  " + line)
        if result.status != "correct":
            raise CheckFailed(_summary(result.status))
        if class_course and result.possible < self.points:
            print(f"  ★ 自检通过：已检查 {_fmt(result.possible)}/{_fmt(self.points)} 分，其余 "
                  f"{_fmt(self.points - result.possible)} 分在评分时检查 / Self-check passed: it checked "
                  f"{_fmt(result.possible)} of {_fmt(self.points)} points; the other "
                  f"{_fmt(self.points - result.possible)} are checked when graded")
        else:
            print("  ★ 自检通过：评分时本题可得满分 / Self-check passed: grading gives this task full points")

    def grade(self, answer: Any) -> float:
        """Hidden grading: print one line per criterion and return the points earned."""
        result = self.evaluate(answer, hidden=True)
        print(f"[{self.level} · {self.unit}] {self.title}: "
              f"{_fmt(result.earned)}/{_fmt(result.possible)}")
        for line in result.lines:
            print("  " + line)
        return float(min(max(result.earned, 0.0), self.points))

    def hint(self) -> None:
        """Print the next hint (each call reveals one more, the last one repeats)."""
        if not self.hints:
            print("本题没有提示 / No hints for this task")
            return
        index = min(self._hints_shown, len(self.hints) - 1)
        self._hints_shown += 1
        print(f"☞ 提示 {index + 1}/{len(self.hints)} / Hint {index + 1}/{len(self.hints)}: "
              f"{self.hints[index]}")
        if index == len(self.hints) - 1:
            from trainerlab.solutions import LAST_HINT

            print(LAST_HINT)

    def solution(self) -> None:
        """Show the model answer: after the last hint, once tried, in practice mode only."""
        from trainerlab.solutions import show_solution

        show_solution(self)


def _fmt(points: float) -> str:
    return f"{points:g}"


def _summary(status: Status) -> str:
    return {
        "not_attempted": "尚未作答：请先完成上面的代码单元并运行它 / Not attempted yet: complete and run "
                         "the cell above first",
        "malformed": "答案格式不对，见上面的说明 / The answer has the wrong form, see above",
        "incorrect": "还有未通过的要点，见上面的说明 / Some points are not met yet, see above",
    }[status]


def criterion(
    zh: str, en: str, points: float, *, fail: tuple[str, str], visible: bool = False
) -> Callable[[Callable[[Any], bool]], Criterion]:
    """Decorator turning a predicate into a :class:`Criterion`."""

    def wrap(test: Callable[[Any], bool]) -> Criterion:
        return Criterion(Msg(zh, en), points, test, Msg(*fail), visible)

    return wrap


@dataclass(frozen=True)
class RubricPoint:
    """One marking point of a hand-graded written answer."""

    text: Msg
    points: float


@dataclass(frozen=True)
class WrittenTask:
    """A written answer graded by hand in nbgrader's formgrader against a rubric of points."""

    grade_id: str
    unit: str
    level: str
    title: Msg
    rubric: Sequence[RubricPoint]

    @property
    def points(self) -> float:
        """Maximum points of the task (sum of its rubric points)."""
        return float(sum(p.points for p in self.rubric))


def assignment_name(area: str, level: str) -> str:
    """An area's nbgrader assignment at a level: ``data_cleaning`` at L3, ``data_cleaning_l2`` at L2.

    One assignment (and folder of ``labs/``) per area and level, so an instructor assigns one level's
    labs alone with plain nbgrader commands.
    """
    return area if level == "L3" else f"{area}_{level.lower()}"


@dataclass(frozen=True)
class Lab:
    """One lab notebook: the nbgrader assignment, the notebook's file name and its graded items.

    ``summary`` says what the lab practises (README's labs table is derived from it).
    """

    assignment: str
    notebook: str
    level: str
    tasks: Sequence[Task | WrittenTask]
    summary: Msg

    def find(self, grade_id: str) -> Task | WrittenTask | None:
        """The task graded in the cell whose nbgrader ``grade_id`` is ``grade_id``, or ``None``."""
        return next((task for task in self.tasks if task.grade_id == grade_id), None)

    def task(self, grade_id: str) -> Task | WrittenTask:
        """Return the task graded in the cell ``grade_id``; raise ``KeyError`` if the lab has none."""
        task = self.find(grade_id)
        if task is None:
            raise KeyError(grade_id)
        return task

    @property
    def area(self) -> str:
        """The lab's area (``data_cleaning`` for ``data_cleaning_l2``): :func:`assignment_name` reversed."""
        suffix = assignment_name("", self.level)
        return self.assignment.removesuffix(suffix) if suffix else self.assignment

    @property
    def points(self) -> float:
        """Maximum points of the lab."""
        return float(sum(t.points for t in self.tasks))
