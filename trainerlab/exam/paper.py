"""A paper's notebook and nbgrader course, composed from the bank's source notebooks.

A paper is the items of its six bank tasks in one notebook (one kernel, one ``output/`` folder), so it
is a lab like any other (:func:`graders.bank.registry.paper_lab`): its derived places are written by
the same :func:`trainerlab.authoring.sync_notebook`, nbgrader generates its student version, and a
course folder made by :func:`write_course` takes plain nbgrader commands.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import nbformat

from graders.bank.registry import BANK, paper_lab, paper_name
from graders.skill_units import L3_PASS_MARK
from trainerlab.authoring import OVERVIEW_ID, sync_notebook
from trainerlab.exam import cells

#: The nbgrader source directory of the bank (beside ``labs/``).
BANK_DIR = "bank"
#: The module whose ``LABS`` knows the bank's tasks and papers (``TaskFeedback.labs_module``).
LABS_MODULE = "graders.bank.registry"
LATE_POLICY = ("**迟交 / Late work.** 截止时间之后提交的试卷仍会评分并给出反馈，但记为迟交，不能通过。"
               "截止时会对已保存的笔记本评分：请随时保存（Ctrl+S）。/ "
               "A paper submitted after the deadline is still graded with feedback, but recorded as late "
               "and cannot pass. At the deadline the saved notebook is graded: save often (Ctrl+S).")
TIMER_CODE = ("from trainerlab.exam.timer import countdown\n\n"
              "countdown()  # 剩余时间（右上角）/ the time left (top right)")


def bank_source(task_id: str, root: Path) -> Path:
    """The source notebook of bank task ``task_id`` in the course at ``root``."""
    return root / BANK_DIR / task_id / BANK[task_id].lab.notebook


def _intro(task_ids: Sequence[str]) -> str:
    tasks = [BANK[t] for t in task_ids]
    minutes = sum(t.minutes for t in tasks)
    rows = ["| 题 / Q | 单元 / Unit | 情境 / Scenario | 时间 / Minutes | 分值 / Points |",
            "|---|---|---|---|---|"]
    rows += [f"| {k} | L3 · {t.unit} | {t.scenario.zh} / {t.scenario.en} | {t.minutes} | {t.points:g} |"
             for k, t in enumerate(tasks, 1)]
    return "\n".join([
        "# 人工智能训练师（三级）模拟实操考试 / AI trainer (L3) mock practical exam", "",
        f"**时间 / Time:** {minutes} 分钟 / minutes · **满分 / Total:** "
        f"{sum(t.points for t in tasks):g} 分 / points · **及格 / Pass:** {L3_PASS_MARK} 分 / points", "",
        "六道题按考试大纲从题库抽取；导入已给出，在“在此作答”处作答，交付文件保存到 `output/`。"
        "文字题按评分要点自评（班级中由教师评分）。"
        "剩余时间显示在右上角（运行下面的单元）；在终端运行 `trainerlab exam submit` 提前交卷。",
        "Six tasks drawn from the bank on the exam blueprint; the imports are given, answer where it says "
        "so and save deliverables into `output/`. Written items are self-assessed against their rubric "
        "(marked by the teacher in a class). The time left shows at the top right (run the cell below); "
        "`trainerlab exam submit` in a terminal hands the paper in early.", "", *rows, "", LATE_POLICY])


def compose(task_ids: Sequence[str], root: Path) -> nbformat.NotebookNode:
    """The paper of ``task_ids`` (in paper order) as one source notebook, derived places synced."""
    name = paper_name(task_ids)
    parts = [cells.text("exam_intro", _intro(task_ids)), cells.code("exam_timer", TIMER_CODE),
             cells.text(OVERVIEW_ID, "")]
    for number, task_id in enumerate(task_ids, 1):
        task = BANK[task_id]
        parts.append(cells.text(f"{task_id}_part",
                                f"# 第 {number} 题 · L3 · {task.unit} · {task.minutes} 分钟 · "
                                f"{task.points:g} 分 / Question {number} · {task.minutes} minutes · "
                                f"{task.points:g} points"))
        source = nbformat.read(bank_source(task_id, root), as_version=4)
        parts += [c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") != OVERVIEW_ID]
    nb = cells.notebook(parts)
    sync_notebook(nb, paper_lab(name))
    return nb


def write_course(course: Path, task_ids: Sequence[str], root: Path) -> Path:
    """An nbgrader course at ``course`` whose ``labs/<paper>/`` holds the paper's source notebook.

    Its ``nbgrader_config.py`` is the repository's (the same limits, preprocessors and feedback) with
    :data:`LABS_MODULE` as the labs module, so plain nbgrader, ``trainerlab grade-class`` and
    ``trainerlab report`` run on it. Returns the source notebook.
    """
    name = paper_name(task_ids)
    course.mkdir(parents=True, exist_ok=True)
    config = (root / "nbgrader_config.py").read_text(encoding="utf-8")
    (course / "nbgrader_config.py").write_text(
        config + f"\n# A mock exam drawn from the task bank: its papers' labs are in {LABS_MODULE}.\n"
                 f"c.TaskFeedback.labs_module = {LABS_MODULE!r}\n", encoding="utf-8")
    folder = course / "labs" / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    notebook = folder / paper_lab(name).notebook
    nbformat.write(compose(task_ids, root), notebook)
    return notebook
