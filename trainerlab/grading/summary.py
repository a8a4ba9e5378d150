"""A lab's result in the terms the learner knows: tasks, points, pending written answers, skill units.

One computation for both places that show it, the terminal report of ``trainerlab grade`` and the
feedback HTML of ``nbgrader generate_feedback``. A task's score is ``None`` while it waits for a
teacher (a written answer not graded yet).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graders.checking import Lab, Task, WrittenTask


@dataclass(frozen=True)
class UnitTotal:
    """The points of one skill unit of one level."""

    level: str
    unit: str
    earned: float    # points given so far
    graded: float    # the maximum of the tasks graded so far
    pending: float   # the points of the tasks still waiting for a teacher


@dataclass(frozen=True)
class Totals:
    """The points of a whole lab."""

    earned: float
    graded: float
    pending: float
    pending_tasks: tuple[WrittenTask | Task, ...]


def unit_totals(lab: Lab, scores: Mapping[str, float | None]) -> list[UnitTotal]:
    """Per (level, unit), sorted: points earned, points graded and points pending (``None`` scores).

    A task missing from ``scores`` earned nothing.
    """
    rows: dict[tuple[str, str], list[float]] = {}
    for task in lab.tasks:
        row = rows.setdefault((task.level, task.unit), [0.0, 0.0, 0.0])
        score = scores.get(task.grade_id, 0.0)
        if score is None:
            row[2] += task.points
        else:
            row[0] += score
            row[1] += task.points
    return [UnitTotal(level, unit, *values) for (level, unit), values in sorted(rows.items())]


def totals(lab: Lab, scores: Mapping[str, float | None]) -> Totals:
    """The lab's points earned and graded so far, and the points (and tasks) still pending."""
    pending = tuple(t for t in lab.tasks if t.grade_id in scores and scores[t.grade_id] is None)
    units = unit_totals(lab, scores)
    return Totals(sum(u.earned for u in units), sum(u.graded for u in units),
                  sum(u.pending for u in units), pending)
