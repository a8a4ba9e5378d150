"""Figures of the skill report: the class heatmap and one chart per student."""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from graders.skill_units import skill_unit
from trainerlab.plotting import use_cjk_font


def _label(level: str, code: str) -> str:
    name = skill_unit(level, code)
    return f"{level} · {code}\n{name.zh}\n{name.en}"


def _matrix(rows: list[dict[str, object]], students: list[str], units: list[tuple[str, str]]) -> np.ndarray:
    grid = np.full((len(students), len(units)), np.nan)
    where_s = {s: i for i, s in enumerate(students)}
    where_u = {u: j for j, u in enumerate(units)}
    for row in rows:
        grid[where_s[row["student_id"]], where_u[(row["level"], row["unit"])]] = float(row["percent"])
    return grid


def heatmap(rows: list[dict[str, object]], students: list[str], units: list[tuple[str, str]],
            path: Path) -> Path:
    """Students × skill units, coloured by percent of the unit's points."""
    use_cjk_font()
    grid = _matrix(rows, students, units)
    height = max(2.5, 0.32 * len(students) + 1.6)
    width = max(5.0, 1.5 * len(units) + 2.5)
    fig, ax = plt.subplots(figsize=(width, height))
    cmap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#dddddd")
    image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=0, vmax=100, aspect="auto")
    ax.set_xticks(range(len(units)), [_label(*u) for u in units], fontsize=7)
    ax.set_yticks(range(len(students)), students, fontsize=8)
    if len(students) <= 80:
        for i in range(len(students)):
            for j in range(len(units)):
                if not math.isnan(grid[i, j]):
                    ax.text(j, i, f"{grid[i, j]:.0f}", ha="center", va="center", fontsize=7)
    ax.set_title("各技能单元得分率（%）/ Percent of points per skill unit")
    fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02, label="%")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def student_charts(rows: list[dict[str, object]], units: list[tuple[str, str]], folder: Path) -> list[Path]:
    """One bar chart per student: their percent per unit beside the class mean."""
    use_cjk_font()
    folder.mkdir(parents=True, exist_ok=True)
    students = sorted({str(r["student_id"]) for r in rows})
    grid = _matrix(rows, students, units)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a unit nobody has points in: mean is NaN
        mean = np.nanmean(grid, axis=0) if len(students) else np.zeros(len(units))
    labels = [_label(*u).replace("\n", " ", 1) for u in units]
    paths = []
    for i, student in enumerate(students):
        fig, ax = plt.subplots(figsize=(8.5, 0.65 * len(units) + 1.4))
        y = np.arange(len(units))
        ax.barh(y, np.nan_to_num(grid[i]), color="#4c72b0", label="本人 / student")
        ax.scatter(mean, y, color="#dd8452", marker="|", s=300, zorder=3, label="班级平均 / class mean")
        ax.set_yticks(y, labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("得分率 % / percent of points")
        ax.set_title(f"{student}：各技能单元 / by skill unit")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
        fig.tight_layout()
        path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', student)}.png"
        fig.savefig(path, dpi=100)
        plt.close(fig)
        paths.append(path)
    return paths


def progress_chart(units: list[tuple[str, str, float | None, bool]],
                   exam: list[tuple[str, int, float | None, bool]]) -> bytes:
    """A learner's practice as a PNG: percent per L3 skill unit, and the L3 exam's tasks weighted.

    ``units``: (code, label, percent or ``None``, offered by a lab); ``exam``: (label, exam points,
    share earned 0–1 or ``None``, offered). A unit or task no lab offers is drawn as "no lab yet".
    """
    import io

    from matplotlib.figure import Figure

    use_cjk_font()
    fig = Figure(figsize=(10.5, 0.42 * max(len(units), len(exam)) + 1.8))
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1]})
    for ax, rows, full, title in (
            (left, [(label, 100.0, pct, offered) for _, label, pct, offered in units], 100.0,
             "各技能单元得分率 / Percent per skill unit"),
            (right, [(label, float(points), None if share is None else share * points, offered)
                     for label, points, share, offered in exam], None,
             "三级考试各题（按分值）/ L3 exam tasks, by points")):
        y = np.arange(len(rows))
        ax.barh(y, [r[1] for r in rows], color="#e6e6e6", edgecolor="#bbbbbb")
        ax.barh(y, [r[2] or 0.0 for r in rows], color="#4c72b0")
        for i, (_label, size, value, offered) in enumerate(rows):
            if value is None:
                note = "尚未练习 / not practised" if offered else "还没有实训 / no lab yet"
            else:
                note = f"{value:.0f}%" if full else f"{value:.1f}/{size:g}"
            ax.text((size if full is None else 100.0) * 0.02, i, note, va="center", fontsize=7,
                    color="#222222")
        ax.set_yticks(y, [r[0] for r in rows], fontsize=7)
        ax.invert_yaxis()
        ax.set_title(title, fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
    left.set_xlim(0, 100)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()
