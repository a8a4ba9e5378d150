"""``trainerlab progress``: a self-learner's standing on every skill unit, level by level.

Every lab notebook in the practice folder is self-graded (:mod:`trainerlab.grading.selfgrade`)
and the points are added up per (level, skill unit). L3's are set beside the L3 practical exam's
blueprint (:data:`graders.skill_units.L3_EXAM`), so a learner sees which exam tasks their practice
covers, how well, which they have not practised yet, and which no lab offers yet; a higher level,
which has no public exam blueprint, is shown unit by unit under that level's names.

Grading a lab runs its whole notebook in a fresh sandboxed kernel (about 10 s a lab, most of it the
learner's own cells, plus nbgrader's assignment and feedback steps), so every grade is recorded
beside the notebook (:func:`record_grade`, in ``.trainerlab/``). A notebook unchanged since its
recorded grade is not graded again: the record is read instead (milliseconds), and the home page
(:mod:`trainerlab.home`) shows progress from the records alone.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from graders.checking import Lab, WrittenTask
from graders.skill_units import CODES, L3_EXAM, L3_PASS_MARK, LEVELS, ExamTask, skill_unit
from trainerlab.grading.limits import Limits
from trainerlab.grading.results import MANUAL, CellResult
from trainerlab.grading.summary import unit_totals

if TYPE_CHECKING:  # grading imports nbgrader (seconds); reading records must not
    from trainerlab.grading.selfgrade import SelfGrade

RECORD_DIR = ".trainerlab"
RECORD_VERSION = 1


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
class LabGrade:
    """One lab's graded result as progress needs it: fresh from grading or read from its record."""

    lab: Lab
    notebook: Path
    status: str
    cells: dict[str, CellResult]
    feedback: Path | None
    graded_at: float
    error: str | None = None
    current: bool = True  # False: the notebook changed after this grade was recorded

    @property
    def auto_points(self) -> float:
        """Autograded points earned."""
        return sum(c.auto_score or 0.0 for c in self.cells.values() if c.check != "manual")

    @property
    def auto_max(self) -> float:
        """Autograded points possible."""
        return sum(c.max_score for c in self.cells.values() if c.check != "manual")


@dataclass(frozen=True)
class ExamAttempt:
    """One mock exam as its record (``<practice>/exam/<n>/exam.json``) says."""

    number: int
    paper: str
    auto_points: float
    written_points: float
    verdict: str | None  # None: not handed in yet
    late: bool


def exam_history(folder: Path) -> list[ExamAttempt]:
    """The mock exams recorded in the practice folder, in attempt order (unreadable records skipped).

    Only the records are read (``trainerlab.exam.session`` writes them); nothing is graded here.
    """
    attempts = []
    for record in Path(folder).glob("exam/*/exam.json"):
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            items = data.get("items", [])
            attempts.append(ExamAttempt(
                int(data["number"]), str(data["paper"]),
                sum(float(i["earned"]) for i in items if i["earned"] is not None),
                sum(float(i["points"]) for i in items if i["earned"] is None),
                data.get("verdict"), bool(data.get("late"))))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return sorted(attempts, key=lambda a: a.number)


@dataclass
class Progress:
    """The graded labs of a practice folder and their points per (level, unit)."""

    folder: Path
    graded: list[LabGrade] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    ungraded: list[str] = field(default_factory=list)  # in the folder, never graded (records only)
    units: dict[tuple[str, str], UnitPoints] = field(default_factory=dict)
    offered: set[tuple[str, str]] = field(default_factory=set)  # units some lab of the course trains
    exams: list[ExamAttempt] = field(default_factory=list)  # mock exams sat (``trainerlab exam``)

    @property
    def stale(self) -> list[str]:
        """Labs whose notebook changed after their recorded grade."""
        return [g.lab.assignment for g in self.graded if not g.current]


def cell_scores(lab: Lab, cells: dict[str, CellResult]) -> dict[str, float | None]:
    """Each graded task's points, ``None`` for a written answer (or a cell) left to a teacher.

    A written answer left blank has its 0 points, as nbgrader's feedback shows it.
    """
    scores: dict[str, float | None] = {}
    for task in lab.tasks:
        cell = cells.get(task.grade_id)
        if cell is None:
            if isinstance(task, WrittenTask):
                scores[task.grade_id] = None
        elif isinstance(task, WrittenTask) or cell.check == MANUAL:
            scores[task.grade_id] = None if cell.waits_for_teacher else cell.auto_score or 0.0
        else:
            scores[task.grade_id] = cell.auto_score or 0.0
    return scores


def unit_breakdown(lab: Lab, cells: dict[str, CellResult]) -> list[tuple[str, str, float, float, float]]:
    """Per (level, unit): autograded points earned, autograded points possible, written points pending."""
    units = unit_totals(lab, cell_scores(lab, cells))
    return [(u.level, u.unit, u.earned, u.graded, u.pending) for u in units]


def offered_units() -> set[tuple[str, str]]:
    """Every (level, unit) that some lab of the course trains (from :data:`graders.labs.LABS`)."""
    from graders.labs import LABS

    return {(task.level, task.unit) for lab in LABS.values() for task in lab.tasks}


def record_path(notebook: Path) -> Path:
    """Where the grade of ``notebook`` is recorded (a hidden folder beside it)."""
    notebook = Path(notebook)
    return notebook.parent / RECORD_DIR / f"{notebook.stem}.grade.json"


def _digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def record_grade(graded: SelfGrade) -> Path | None:
    """Record a self-grade beside its notebook; ``None`` when grading failed or the folder is read-only."""
    result = graded.result
    if result.status == "error":
        return None
    data = {
        "version": RECORD_VERSION,
        "assignment": graded.lab.assignment,
        "notebook_sha256": _digest(graded.notebook),
        "graded_at": time.time(),
        "status": result.status,
        "feedback": str(graded.feedback) if graded.feedback else None,
        "cells": [{"grade_id": c.grade_id, "max_score": c.max_score, "auto_score": c.auto_score,
                   "check": c.check} for c in result.cells],
    }
    path = record_path(graded.notebook)
    try:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError:
        return None
    return path


def read_record(notebook: Path, lab: Lab) -> LabGrade | None:
    """The recorded grade of ``notebook`` (``current`` tells whether it still matches), or ``None``."""
    try:
        data = json.loads(record_path(notebook).read_text(encoding="utf-8"))
        if data.get("version") != RECORD_VERSION or data.get("assignment") != lab.assignment:
            return None
        cells = {c["grade_id"]: CellResult(lab.notebook, c["grade_id"], float(c["max_score"]),
                                           c["auto_score"], False, check=c["check"])
                 for c in data["cells"]}
        current = data["notebook_sha256"] == _digest(notebook)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    feedback = Path(data["feedback"]) if data.get("feedback") else None
    return LabGrade(lab, Path(notebook), str(data.get("status", "graded")), cells, feedback,
                    float(data.get("graded_at", 0.0)), current=current)


def _from_self_grade(graded: SelfGrade) -> LabGrade:
    result = graded.result
    return LabGrade(graded.lab, graded.notebook, result.status, {c.grade_id: c for c in result.cells},
                    graded.feedback, time.time(), error=result.error)


def practice_progress(folder: Path, *, course_root: Path | None = None, limits: Limits | None = None,
                      verify: bool = True, regrade: str = "changed") -> Progress:
    """Add up the skill units of every lab notebook in ``folder/<assignment>/``.

    ``regrade``: ``"changed"`` grades the notebooks changed since (or never) recorded and reads the
    others' records; ``"all"`` grades every notebook; ``"none"`` only reads records (nothing runs;
    ``course_root`` is then not needed).
    """
    from graders.labs import LABS

    progress = Progress(Path(folder), offered=offered_units(), exams=exam_history(Path(folder)))
    for assignment, lab in sorted(LABS.items()):
        notebook = Path(folder) / assignment / lab.notebook
        if not notebook.is_file():
            progress.missing.append(assignment)
            continue
        grade = None if regrade == "all" else read_record(notebook, lab)
        if regrade != "none" and (grade is None or not grade.current):
            if course_root is None:
                raise ValueError("course_root is needed to grade")
            from trainerlab.grading.selfgrade import self_grade

            graded = self_grade(notebook, course_root=course_root, assignment=assignment, limits=limits,
                                verify=verify)
            record_grade(graded)
            grade = _from_self_grade(graded)
        if grade is None:
            progress.ungraded.append(assignment)
            continue
        progress.graded.append(grade)
        if grade.status == "error":
            continue
        for level, unit, *points in unit_breakdown(lab, grade.cells):
            progress.units.setdefault((level, unit), UnitPoints()).add(*points)
    return progress


@dataclass(frozen=True)
class Standing:
    """The learner's points behind one thing they are measured on (an exam task, a skill unit)."""

    points: UnitPoints
    offered: bool  # some lab trains it

    @property
    def practised(self) -> bool:
        """Whether any graded practice counts towards it."""
        return bool(self.points.possible or self.points.pending)

    @property
    def share(self) -> float | None:
        """Autograded share earned (0–1), ``None`` without autograded practice."""
        return self.points.earned / self.points.possible if self.points.possible else None


@dataclass(frozen=True)
class ExamStanding(Standing):
    """One task of the L3 exam beside the practice behind it."""

    task: ExamTask


@dataclass(frozen=True)
class UnitStanding(Standing):
    """One skill unit of a level beside the practice in it."""

    level: str
    code: str


def exam_standing(progress: Progress) -> list[ExamStanding]:
    """Each task of :data:`~graders.skill_units.L3_EXAM` with the learner's points in its units."""
    rows = []
    for task in L3_EXAM:
        points = UnitPoints()
        for (level, unit), unit_points in progress.units.items():
            if level == "L3" and unit in task.units:
                points.add(unit_points.earned, unit_points.possible, unit_points.pending)
        offered = any(("L3", unit) in progress.offered for unit in task.units)
        rows.append(ExamStanding(points, offered, task))
    return rows


def levels_above_l3(progress: Progress) -> dict[str, list[UnitStanding]]:
    """The skill units of every level above L3 that some lab trains, with the learner's points in each.

    L3 is shown against its practical exam (:func:`exam_standing`); the higher levels have no public
    exam blueprint, so their practice is shown unit by unit, each under that level's name for it.
    """
    standings: dict[str, list[UnitStanding]] = {}
    for level in [lv for lv in LEVELS if lv != "L3"]:
        codes = [code for code in CODES if (level, code) in progress.offered]
        if codes:
            standings[level] = [UnitStanding(progress.units.get((level, code), UnitPoints()), True,
                                             level, code) for code in codes]
    return standings


NO_LAB_YET = "还没有实训 / no lab yet"
NOT_PRACTISED = "尚未练习 / not practised yet"


def practice_text(row: Standing) -> str:
    """What the learner's practice says about one exam task or skill unit, in both languages."""
    if not row.practised:
        return NOT_PRACTISED if row.offered else NO_LAB_YET
    share = f" ({100 * row.share:.0f}%)" if row.share is not None else ""
    text = f"{row.points.earned:g}/{row.points.possible:g}{share}"
    if row.points.pending:
        text += f", +{row.points.pending:g} 待人工评分 / waiting for a teacher"
    return text


def render_progress(progress: Progress) -> str:
    """The learner-facing overview: each lab's total, the L3 exam tasks and the practice behind them, then
    the skill units of every higher level a lab trains."""
    lines = [f"练习进度 / Practice progress: {progress.folder}", ""]
    for graded in progress.graded:
        if graded.status == "error":
            lines.append(f"  ✗ {graded.lab.assignment}: 评分失败 / grading failed ({graded.error})")
            continue
        line = (f"  {graded.lab.assignment}: {graded.auto_points:g}/{graded.auto_max:g} "
                f"自动评分 / autograded · 反馈 / feedback: {graded.feedback}")
        if not graded.current:
            line += " · 评分后笔记本已修改 / notebook changed since graded"
        lines.append(line)
    for assignment in progress.ungraded:
        lines.append(f"  – {assignment}: 尚未评分 / not graded yet")
    for assignment in progress.missing:
        lines.append(f"  – {assignment}: 练习文件夹中没有 / not in the practice folder")
    total = sum(task.points for task in L3_EXAM)
    lines += ["", f"三级实操考试 / L3 practical exam ({total} 分 / points, {L3_PASS_MARK} 分及格 / to pass):"]
    for row in exam_standing(progress):
        names = [skill_unit("L3", u) for u in row.task.units]
        lines.append("  " + " | ".join(f"{n.code} {n.zh} {n.en}" for n in names))
        lines.append(f"      考试 / exam: {row.task.points} 分 / points, {row.task.minutes} 分钟 / minutes · "
                     f"你的练习 / your practice: {practice_text(row)}")
    for level, units in levels_above_l3(progress).items():
        lines += ["", f"{LEVELS[level]} 技能单元 / skill units:"]
        for row in units:
            name = skill_unit(level, row.code)
            lines.append(f"  {level} · {row.code} {name.zh} {name.en}: {practice_text(row)}")
    if progress.exams:
        lines += ["", "模拟考试 / Mock exams (trainerlab exam):"]
        lines += [f"  #{a.number} {exam_text(a)}" for a in progress.exams]
    return "\n".join(lines)


EXAM_VERDICTS = {"pass": "通过 / pass", "fail": "不通过 / fail",
                 "depends_on_written": "待定：文字题决定 / open: the written items decide"}


def exam_text(attempt: ExamAttempt) -> str:
    """One mock exam in a line: autograded points, written points to assess, verdict, late."""
    if attempt.verdict is None:
        return "未交卷 / not handed in yet"
    text = (f"{attempt.auto_points:g} 自动 / auto + {attempt.written_points:g} 文字待评 / "
            f"written to assess · {EXAM_VERDICTS.get(attempt.verdict, attempt.verdict)}")
    return text + (" · 迟交 / late" if attempt.late else "")
