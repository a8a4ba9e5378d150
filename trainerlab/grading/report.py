"""``trainerlab report``: results per skill unit of the national standard, from the gradebook.

Every graded cell is mapped to its skill unit and level through :data:`graders.labs.LABS`
(the one place that maps grade ids to units); a graded cell the mapping does not know is
reported, never silently dropped. Written:

* ``skill_units.csv`` — one row per student × (level, unit): points, maximum, percent, points
  still waiting for a human (``pending_points``);
* ``skill_units_heatmap.png`` — the class at a glance (students × units, percent);
* ``students/<student>.png`` — each student's units against the class average;
* ``item_statistics.csv`` — per graded cell: mean score, share of full marks and discrimination
  (the correlation of the item with the rest of the assignment, corrected item–total).

A missing submission counts as zero (as in ``nbgrader export``); a score is the manual score when
a human gave one, otherwise the autograded one.
"""

from __future__ import annotations

import csv
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from graders.checking import Lab, Task, WrittenTask
from graders.skill_units import UNITS, skill_unit

_LEVEL_ORDER = {"L3": 0, "L2": 1, "L1": 2}


@dataclass(frozen=True)
class ItemScore:
    """One student's result on one graded cell."""

    student: str
    assignment: str
    notebook: str
    grade_id: str
    score: float
    max_score: float
    pending: bool
    submitted: bool


@dataclass(frozen=True)
class UnmappedCell:
    """A graded cell of the gradebook that no lab task maps to a skill unit."""

    assignment: str
    notebook: str
    grade_id: str


@dataclass
class SkillReport:
    """What :func:`skill_report` wrote and found."""

    students: list[str]
    units: list[tuple[str, str]]
    rows: list[dict[str, object]]
    items: list[dict[str, object]]
    files: list[Path] = field(default_factory=list)
    unmapped: list[UnmappedCell] = field(default_factory=list)


def unit_of(labs: dict[str, Lab], assignment: str, grade_id: str) -> tuple[str, str] | None:
    """(level, unit) of a graded cell, or ``None`` if the mapping does not know it."""
    task = find_task(labs, assignment, grade_id)
    return (task.level, task.unit) if task is not None and (task.level, task.unit) in UNITS else None


def unmapped_cells(labs: dict[str, Lab], cells: Iterable[tuple[str, str, str]]) -> list[UnmappedCell]:
    """Graded cells ``(assignment, notebook, grade_id)`` that have no skill unit."""
    return [UnmappedCell(a, n, g) for a, n, g in cells if unit_of(labs, a, g) is None]


def read_scores(db_url: str, assignments: Sequence[str] | None = None
                ) -> tuple[list[str], list[tuple[str, str, str, float]], list[ItemScore]]:
    """Students, graded cells ``(assignment, notebook, grade_id, max)`` and every score."""
    with warnings.catch_warnings(), Gradebook(db_url) as gb:
        warnings.simplefilter("ignore", SAWarning)
        students = sorted(s.id for s in gb.students)
        wanted = [a for a in gb.assignments if assignments is None or a.name in assignments]
        cells, scores = [], []
        for assignment in sorted(wanted, key=lambda a: a.name):
            graded = [(nb.name, c.name, float(c.max_score))
                      for nb in assignment.notebooks for c in nb.grade_cells]
            cells += [(assignment.name, nb, gid, mx) for nb, gid, mx in graded]
            for student in students:
                try:
                    submission = gb.find_submission(assignment.name, student)
                except MissingEntry:
                    scores += [ItemScore(student, assignment.name, nb, gid, 0.0, mx, False, False)
                               for nb, gid, mx in graded]
                    continue
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        if grade.cell_type is None or grade.name not in {g for _, g, _ in graded}:
                            continue
                        scores.append(ItemScore(student, assignment.name, notebook.name, grade.name,
                                                float(grade.score or 0.0), float(grade.max_score),
                                                bool(grade.needs_manual_grade), True))
    return students, cells, scores


def _pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    if n < 3:
        return math.nan
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return math.nan
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / math.sqrt(sxx * syy)


def item_statistics(labs: dict[str, Lab], scores: list[ItemScore]) -> list[dict[str, object]]:
    """Per graded cell: mean, share of full marks and corrected item–total discrimination."""
    submitted = [s for s in scores if s.submitted]
    totals: dict[tuple[str, str], float] = {}
    for s in submitted:
        totals[(s.assignment, s.student)] = totals.get((s.assignment, s.student), 0.0) + s.score
    def in_lab_order(key: tuple[str, str, str]) -> tuple:
        lab = labs.get(key[0])
        ids = [t.grade_id for t in lab.tasks] if lab else []
        return (key[0], key[1], ids.index(key[2]) if key[2] in ids else len(ids), key[2])

    keys = sorted({(s.assignment, s.notebook, s.grade_id) for s in scores}, key=in_lab_order)
    rows = []
    for key in keys:
        assignment, notebook, grade_id = key
        mine = [s for s in submitted if (s.assignment, s.notebook, s.grade_id) == key]
        max_score = next((s.max_score for s in scores if (s.assignment, s.notebook, s.grade_id) == key), 0.0)
        unit = unit_of(labs, assignment, grade_id)
        task = find_task(labs, assignment, grade_id)
        n = len(mine)
        mean = sum(s.score for s in mine) / n if n else math.nan
        full = sum(1 for s in mine if max_score and s.score >= max_score - 1e-9) / n if n else math.nan
        rest = [totals[(assignment, s.student)] - s.score for s in mine]
        rows.append({
            "assignment": assignment, "notebook": notebook, "grade_id": grade_id,
            "title_zh": task.title.zh if task else "", "title_en": task.title.en if task else "",
            "level": unit[0] if unit else "", "unit": unit[1] if unit else "UNMAPPED",
            "max_points": max_score, "n": n, "mean_score": _round(mean),
            "mean_percent": _round(100 * mean / max_score if max_score and n else math.nan),
            "full_marks_share": _round(full),
            "discrimination": _round(_pearson([s.score for s in mine], rest)),
            "pending": sum(1 for s in mine if s.pending),
        })
    return rows


def find_task(labs: dict[str, Lab], assignment: str, grade_id: str) -> Task | WrittenTask | None:
    """The task of a graded cell, or ``None`` if no lab in ``labs`` has it."""
    lab = labs.get(assignment)
    return lab.find(grade_id) if lab is not None else None


def _round(value: float) -> float:
    return value if math.isnan(value) else round(value, 4)


def unit_rows(labs: dict[str, Lab], students: list[str], scores: list[ItemScore]
              ) -> tuple[list[tuple[str, str]], list[dict[str, object]]]:
    """One row per student × (level, unit): points, max, percent, pending points."""
    sums: dict[tuple[str, str, str], list[float]] = {}
    for s in scores:
        unit = unit_of(labs, s.assignment, s.grade_id)
        if unit is None:
            continue
        row = sums.setdefault((s.student, *unit), [0.0, 0.0, 0.0])
        row[0] += s.score
        row[1] += s.max_score
        row[2] += s.max_score if s.pending else 0.0
    units = sorted({(lvl, u) for _, lvl, u in sums}, key=lambda k: (_LEVEL_ORDER.get(k[0], 9), k[1]))
    rows = []
    for student in students:
        for level, code in units:
            got, possible, pending = sums.get((student, level, code), [0.0, 0.0, 0.0])
            if possible == 0:
                continue
            name = skill_unit(level, code)
            rows.append({"student_id": student, "level": level, "unit": code, "unit_zh": name.zh,
                         "unit_en": name.en, "function_zh": name.function_zh, "function_en": name.function_en,
                         "points": round(got, 4), "max_points": round(possible, 4),
                         "percent": round(100 * got / possible, 2), "pending_points": round(pending, 4)})
    return units, rows


def _write_csv(path: Path, rows: list[dict[str, object]], fields: list[str]) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:  # BOM: opens right in Excel
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def skill_report(db_url: str, out: Path, *, labs: dict[str, Lab] | None = None,
                 assignments: Sequence[str] | None = None, charts: bool = True) -> SkillReport:
    """Write the skill-unit CSV, heatmap, per-student charts and item statistics into ``out``."""
    if labs is None:
        from graders.labs import LABS as labs
    out.mkdir(parents=True, exist_ok=True)
    students, cells, scores = read_scores(db_url, assignments)
    units, rows = unit_rows(labs, students, scores)
    items = item_statistics(labs, scores)
    report = SkillReport(students, units, rows, items,
                         unmapped=unmapped_cells(labs, [(a, n, g) for a, n, g, _ in cells]))
    report.files.append(_write_csv(out / "skill_units.csv", rows, [
        "student_id", "level", "unit", "unit_zh", "unit_en", "function_zh", "function_en", "points",
        "max_points", "percent", "pending_points"]))
    report.files.append(_write_csv(out / "item_statistics.csv", items, [
        "assignment", "notebook", "grade_id", "title_zh", "title_en", "level", "unit", "max_points", "n",
        "mean_score", "mean_percent", "full_marks_share", "discrimination", "pending"]))
    if charts and rows:
        from trainerlab.grading import charts as charts_mod

        report.files.append(charts_mod.heatmap(rows, students, units, out / "skill_units_heatmap.png"))
        report.files += charts_mod.student_charts(rows, units, out / "students")
    return report
