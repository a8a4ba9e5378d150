"""The learner's home page in JupyterLab: the labs in order, how checking works, progress as a chart.

:func:`write_home` writes ``首页_home.ipynb`` into the practice folder; the learner's JupyterLab
opens it first (:func:`default_url`). Everything the page lists is derived: the labs, their
levels, units and points from :data:`graders.labs.LABS`, unit names and the exam blueprint from
:mod:`graders.skill_units`. Only the recommended order of the labs is declared here
(:data:`RECOMMENDED_ORDER`).

The page's code cells call :func:`show_progress` (reads the grades recorded by ``trainerlab grade``,
``trainerlab progress`` and :func:`grade`: no notebook runs, a second or two) and :func:`grade`
(grades the lab notebooks changed since their last grade, each in its own sandboxed process).
"""

from __future__ import annotations

import base64
import html
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from graders.checking import Lab, Task, WrittenTask
from graders.skill_units import L3_EXAM, L3_PASS_MARK, LEVELS, skill_unit
from trainerlab.grading.progress import (
    Progress,
    exam_standing,
    levels_above_l3,
    practice_progress,
    practice_text,
    render_progress,
)

if TYPE_CHECKING:  # nbformat takes seconds to import (its JSON-schema formats); progress needs none of it
    import nbformat

HOME_NOTEBOOK = "首页_home.ipynb"

#: The order to practise the labs in, within each level (by area): the data first, then training, testing and
#: deployment, then the business and guidance tasks that draw on all of them. A lab not named here
#: follows the named ones (by name), so a new lab is never left off the page.
RECOMMENDED_ORDER = ("data_cleaning", "model_tuning", "evaluation", "deployment", "business_analysis",
                     "guidance")


def default_url() -> str:
    """The JupyterLab URL of the home page, for ``--LabApp.default_url`` (relative to the root)."""
    return "/lab/tree/" + quote(HOME_NOTEBOOK)


def labs_in_order(labs: Iterable[Lab] | None = None) -> list[tuple[str, list[Lab]]]:
    """The labs level by level (L3, L2, L1), each level's in :data:`RECOMMENDED_ORDER`."""
    if labs is None:
        from graders.labs import LABS

        labs = LABS.values()
    rank = {name: i for i, name in enumerate(RECOMMENDED_ORDER)}
    labs = sorted(labs, key=lambda lab: (rank.get(lab.area, len(rank)), lab.assignment))
    levels = list(LEVELS) + sorted({lab.level for lab in labs} - set(LEVELS))
    return [(level, [lab for lab in labs if lab.level == level]) for level in levels
            if any(lab.level == level for lab in labs)]


def _lab_table(level: str, labs: list[Lab]) -> str:
    rows = [f"### {LEVELS.get(level, level)}", "",
            "| # | 实训 / Lab | 技能单元 / Skill units | 分值 / Points | 内容 / What you practise |",
            "|---|---|---|---|---|"]
    for i, lab in enumerate(labs, 1):
        units = sorted({t.unit for t in lab.tasks})
        names = "<br>".join(f"{u} {skill_unit(level, u).zh} / {skill_unit(level, u).en}" for u in units)
        auto = sum(t.points for t in lab.tasks if isinstance(t, Task))
        written = sum(t.points for t in lab.tasks if isinstance(t, WrittenTask))
        link = f"[{lab.assignment}]({quote(lab.assignment)}/{quote(lab.notebook)})"
        summary = f"{lab.summary.zh} / {lab.summary.en}"
        rows.append(f"| {i} | {link} | {names} | {auto:g} + {written:g} | {summary} |")
    return "\n".join(rows)


def _exam_table() -> str:
    rows = ["| 考题 / Exam task | 技能单元 / Skill units | 分值 / Points | 时间 / Minutes |",
            "|---|---|---|---|"]
    for i, task in enumerate(L3_EXAM, 1):
        units = [skill_unit("L3", u) for u in task.units]
        names = " 或 / or ".join(f"{u.code} {u.zh} / {u.en}" for u in units)
        rows.append(f"| {i} | {names} | {task.points} | {task.minutes} |")
    return "\n".join(rows)


_WELCOME = """# 人工智能训练师实训 · 首页 / AI Trainer Lab · Home

欢迎！这里是你的起点：按推荐顺序做下面的实训，每做完一部分就回到本页查看进度。点击实训名称即可打开。
Welcome! This is where you start: work through the labs below in the recommended order and come back here
to see your progress. Click a lab's name to open it."""

_HOW = """## 自检与评分 / How checking and grading work

1. **自检 / Check.** 每道题下面有一个检查单元，运行它会告诉你“尚未作答”、哪里不对（不泄露答案）
   或“自检通过”；只有评分时本题能得满分才显示“自检通过”。
   Each task has a check cell below it: it says "not attempted", what is wrong (without giving the
   answer away) or "passed" — and "passed" only when grading gives the task full points.
2. **提示与参考答案 / Hints and the model answer.** `q.<任务>.hint()` 给出提示，再运行一次得到更具体的提示；
   看完最后一条提示、并且自己试过之后，`q.<任务>.solution()` 显示参考答案（仅练习模式）。
   `q.<task>.hint()` gives a hint, a second call a stronger one; after the last hint, once you have tried the
   task, `q.<task>.solution()` shows its model answer (practice mode only).
3. **整本评分 / Grade a whole notebook.** 保存笔记本后运行下面的 `home.grade()`（或在终端运行
   `trainerlab grade <笔记本路径>`）：隐藏检查给出每题得分和各技能单元得分，并在笔记本旁生成 HTML 反馈；
   文字题列为“待人工评分”及其评分要点。
   Save the notebook, then run `home.grade()` below (or `trainerlab grade <notebook path>` in a
   terminal): the hidden checks give each task's points and the points per skill unit, and an HTML
   feedback file appears beside the notebook; written answers are listed as pending, with their rubric.
4. **进度 / Progress.** 下面的进度只读取已记录的评分，几秒内刷新；笔记本在评分后改动过会标出来，
   运行 `home.grade()` 更新。The progress below reads the recorded grades and refreshes in seconds; a
   notebook changed since its grade is marked — run `home.grade()` to update it."""


def home_notebook() -> nbformat.NotebookNode:
    """The home page as a notebook (no outputs)."""
    import nbformat

    levels = "\n\n".join(_lab_table(level, labs) for level, labs in labs_in_order())
    total = sum(t.points for t in L3_EXAM)
    exam = (f"## 三级实操考试 / The L3 practical exam\n\n"
            f"上机 120 分钟、六道题、{total} 分，{L3_PASS_MARK} 分及格；你的进度按这六道题汇总。"
            f"A computer-based exam of 120 minutes, six tasks and {total} points, {L3_PASS_MARK} to pass; "
            f"your progress is added up by these six tasks.\n\n" + _exam_table())
    cells = [
        nbformat.v4.new_markdown_cell(_WELCOME),
        nbformat.v4.new_markdown_cell("## 实训（推荐顺序）/ Labs, in the recommended order\n\n" + levels),
        nbformat.v4.new_markdown_cell(_HOW),
        nbformat.v4.new_markdown_cell(exam),
        nbformat.v4.new_markdown_cell("## 我的进度 / My progress\n\n运行下面的单元（Shift+Enter）刷新 / "
                                      "Run the cell below (Shift+Enter) to refresh."),
        nbformat.v4.new_code_cell("from trainerlab import home\n\nhome.show_progress()"),
        nbformat.v4.new_markdown_cell("## 为改动过的实训评分 / Grade the labs you changed\n\n"
                                      "每个实训约 10–20 秒；先保存要评分的笔记本。/ "
                                      "About 10–20 s a lab; save the notebooks first."),
        nbformat.v4.new_code_cell("home.grade()"),
    ]
    for i, cell in enumerate(cells):
        cell["id"] = f"home-{i}"
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata.update({"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                       "language": "python"},
                        "language_info": {"name": "python"}})
    return nb


def write_home(folder: str | Path = "practice") -> Path:
    """Write the home page into ``folder`` (only when its content changed: run outputs are kept)."""
    import nbformat

    path = Path(folder) / HOME_NOTEBOOK
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = home_notebook()
    try:
        old = nbformat.read(path, as_version=4)
        same = [(c.cell_type, c.source) for c in old.cells] == [(c.cell_type, c.source) for c in fresh.cells]
    except (OSError, ValueError, AttributeError, KeyError):
        same = False
    if not same:
        nbformat.write(fresh, path)
    return path


def _folder(folder: str | Path | None) -> Path:
    """The practice folder: given, or the one this page's kernel runs in."""
    return Path(folder) if folder is not None else Path.cwd()


@dataclass
class ProgressView:
    """The learner's progress, shown as HTML (tables and the chart) in a notebook, as text elsewhere."""

    progress: Progress

    def __str__(self) -> str:
        return render_progress(self.progress)

    def __repr__(self) -> str:
        return str(self)

    def chart_png(self) -> bytes:
        """The progress chart (skill units and the exam blueprint) as PNG bytes."""
        from trainerlab.grading.charts import progress_chart

        units = []
        for code in sorted({u for t in L3_EXAM for u in t.units}):
            points = self.progress.units.get(("L3", code))
            pct = 100 * points.earned / points.possible if points and points.possible else None
            name = skill_unit("L3", code)
            offered = ("L3", code) in self.progress.offered
            units.append((code, f"L3 {code} {name.zh}\n{name.en}", pct, offered))
        for level, standings in levels_above_l3(self.progress).items():
            for row in standings:
                name = skill_unit(level, row.code)
                pct = None if row.share is None else 100 * row.share
                units.append((row.code, f"{level} {row.code} {name.zh}\n{name.en}", pct, True))
        exam = [(" / ".join(row.task.units), row.task.points, row.share, row.offered)
                for row in exam_standing(self.progress)]
        return progress_chart(units, exam)

    def _repr_html_(self) -> str:
        p = self.progress
        e = html.escape
        labs = []
        for g in p.graded:
            if g.status == "error":
                labs.append(f"<li>✗ {e(g.lab.assignment)}: 评分失败 / grading failed</li>")
                continue
            link = (f' · <a href="{e(quote(g.lab.assignment))}/{e(quote(g.feedback.name))}" target="_blank">'
                    f"反馈 / feedback</a>" if g.feedback else "")
            stale = " · ⚠ 评分后已修改，运行 home.grade() / changed since graded, run home.grade()" \
                if not g.current else ""
            labs.append(f"<li><b>{e(g.lab.assignment)}</b>: {g.auto_points:g}/{g.auto_max:g} "
                        f"自动评分 / autograded{link}{e(stale)}</li>")
        labs += [f"<li>{e(a)}: 尚未评分 / not graded yet</li>" for a in p.ungraded]
        labs += [f"<li>{e(a)}: 练习文件夹中没有 / not in the practice folder</li>" for a in p.missing]
        rows = []
        for row in exam_standing(p):
            names = "<br>".join(f"{u} {e(skill_unit('L3', u).zh)} / {e(skill_unit('L3', u).en)}"
                                for u in row.task.units)
            rows.append(f"<tr><td>{names}</td><td>{row.task.points}</td><td>{row.task.minutes}</td>"
                        f"<td>{e(practice_text(row))}</td></tr>")
        higher = ""
        for level, units in levels_above_l3(p).items():
            cells = "".join(f"<tr><td>{level} · {u.code} {e(skill_unit(level, u.code).zh)} / "
                            f"{e(skill_unit(level, u.code).en)}</td><td>{e(practice_text(u))}</td></tr>"
                            for u in units)
            higher += (f"<h4>{e(LEVELS[level])}</h4><table><tr><th>技能单元 / Skill units</th>"
                       f"<th>你的练习 / Your practice</th></tr>{cells}</table>")
        chart = base64.b64encode(self.chart_png()).decode()
        return ("<div><h4>实训 / Labs</h4><ul>" + "".join(labs) + "</ul>"
                "<h4>对照三级考试 / Against the L3 exam</h4><table><tr><th>技能单元 / Skill units</th>"
                "<th>考试分值 / Exam points</th><th>分钟 / Minutes</th><th>你的练习 / Your practice</th></tr>"
                + "".join(rows) + "</table>" + higher
                + f'<img alt="progress chart" src="data:image/png;base64,{chart}"/></div>')


def show_progress(folder: str | Path | None = None) -> ProgressView:
    """The learner's progress from the recorded grades (nothing is graded; a notebook shows it as HTML)."""
    return ProgressView(practice_progress(_folder(folder), regrade="none"))


def grade(folder: str | Path | None = None, labs: Iterable[str] | None = None) -> ProgressView:
    """Grade the lab notebooks changed since (or never) graded, then show the progress.

    Each notebook is graded by ``trainerlab grade`` in a process of its own (the learner's kernel is
    left alone); ``labs`` limits it to those assignments.
    """
    from graders.labs import LABS
    from trainerlab.grading.progress import read_record
    from trainerlab.runtime import with_scripts_on_path

    folder = _folder(folder)
    wanted = set(labs) if labs is not None else set(LABS)
    for assignment in sorted(wanted & set(LABS)):
        notebook = folder / assignment / LABS[assignment].notebook
        if not notebook.is_file():
            continue
        record = read_record(notebook, LABS[assignment])
        if record is not None and record.current:
            continue
        print(f"评分中 / grading {assignment} …", flush=True)
        done = subprocess.run([sys.executable, "-m", "trainerlab.cli", "grade", str(notebook)],
                              capture_output=True, text=True, env=with_scripts_on_path(os.environ))
        if done.returncode != 0:
            print((done.stderr or done.stdout).strip()[-2000:])
    return show_progress(folder)


def _main() -> None:
    """``python -m trainerlab.home [FOLDER]``: write the home page (used by ``trainerlab start``)."""
    print(write_home(sys.argv[1] if len(sys.argv) > 1 else "practice"))


if __name__ == "__main__":
    _main()
