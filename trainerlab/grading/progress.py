"""``trainerlab progress``: a self-learner's standing on every skill unit of the L3 exam.

Every lab notebook in the practice folder is self-graded (:mod:`trainerlab.grading.selfgrade`)
and the points are added up per skill unit, then set beside the L3 practical exam's blueprint
(:data:`graders.skill_units.L3_EXAM`), so a learner sees which exam tasks their practice covers,
how well, and which they have not practised yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graders.skill_units import L3_EXAM, L3_PASS_MARK, skill_unit
from trainerlab.grading.limits import Limits
from trainerlab.grading.selfgrade import SelfGrade, self_grade, unit_breakdown


@dataclass
class UnitPoints:
    """Autograded points earned and possible, and written points waiting for a teacher."""

    earned: float = 0.0
    possible: float = 0.0
    pending: float = 0.0

    def add(self, earned: float, possible: float, pending: float) -> None:
        """Count more points in."""
        self.earned += earned
        self.possible += possible
        self.pending += pending


@dataclass
class Progress:
    """The self-graded labs of a practice folder and their points per (level, unit)."""

    folder: Path
    graded: list[SelfGrade] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    units: dict[tuple[str, str], UnitPoints] = field(default_factory=dict)


def practice_progress(folder: Path, *, course_root: Path, limits: Limits | None = None,
                      verify: bool = True) -> Progress:
    """Self-grade each lab notebook found in ``folder/<assignment>/`` and add up its skill units."""
    from graders.labs import LABS

    progress = Progress(Path(folder))
    for assignment, lab in sorted(LABS.items()):
        notebook = Path(folder) / assignment / lab.notebook
        if not notebook.is_file():
            progress.missing.append(assignment)
            continue
        graded = self_grade(notebook, course_root=course_root, assignment=assignment, limits=limits,
                            verify=verify)
        progress.graded.append(graded)
        if graded.result.status == "error":
            continue
        cells = {c.grade_id: c for c in graded.result.cells}
        for level, unit, *points in unit_breakdown(lab, cells):
            progress.units.setdefault((level, unit), UnitPoints()).add(*points)
    return progress


def render_progress(progress: Progress) -> str:
    """The learner-facing overview: each lab's total, then the L3 exam tasks and the practice behind them."""
    lines = [f"练习进度 / Practice progress: {progress.folder}", ""]
    for graded in progress.graded:
        result = graded.result
        if result.status == "error":
            lines.append(f"  ✗ {graded.lab.assignment}: 评分失败 / grading failed ({result.error})")
        else:
            lines.append(f"  {graded.lab.assignment}: {result.auto_points:g}/{result.auto_max:g} "
                         f"自动评分 / autograded · 反馈 / feedback: {graded.feedback}")
    for assignment in progress.missing:
        lines.append(f"  – {assignment}: 练习文件夹中没有 / not in the practice folder")
    total = sum(task.points for task in L3_EXAM)
    lines += ["", f"三级实操考试 / L3 practical exam ({total} 分 / points, {L3_PASS_MARK} 分及格 / to pass):"]
    for task in L3_EXAM:
        points = UnitPoints()
        for (level, unit), unit_points in progress.units.items():
            if level == "L3" and unit in task.units:
                points.add(unit_points.earned, unit_points.possible, unit_points.pending)
        if points.possible == 0 and points.pending == 0:
            practice = "尚未练习 / not practised yet"
        else:
            share = f" ({100 * points.earned / points.possible:.0f}%)" if points.possible else ""
            practice = f"{points.earned:g}/{points.possible:g}{share}"
            if points.pending:
                practice += f", +{points.pending:g} 待人工评分 / waiting for a teacher"
        names = [skill_unit("L3", u) for u in task.units]
        lines.append("  " + " | ".join(f"{n.code} {n.zh} {n.en}" for n in names))
        lines.append(f"      考试 / exam: {task.points} 分 / points, {task.minutes} 分钟 / minutes · "
                     f"你的练习 / your practice: {practice}")
    return "\n".join(lines)
