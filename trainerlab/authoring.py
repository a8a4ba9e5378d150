"""One source for every lab's facts: the places that show them are written from the task objects.

A task's points, unit, level, title and marking points are declared once, in its
:class:`~graders.checking.Task` or :class:`~graders.checking.WrittenTask` in ``graders/<lab>.py``; a
lab's summary in its :class:`~graders.checking.Lab`. These places show them and are derived, never
edited by hand (``trainerlab lab sync`` rewrites them, and a test fails on any drift):

* the overview cell (nbgrader ``grade_id`` ``overview``) after the introduction: level, skill units
  and the table of tasks with their points;
* each task's header cell (a markdown cell whose ``metadata.trainerlab.task`` is the task's grade id):
  its first line, the heading (number, title, level · unit, points), and its marking block, from the
  line that starts with ``**评分要点 / `` to the end of the cell (the criteria or the rubric);
* the graded cell's nbgrader ``points`` and its ``metadata.trainerlab`` level and unit;
* the ``raises-exception`` tag (:data:`RUN_ALL_TAG`) of every code answer cell and test cell, so that
  Run All in JupyterLab goes past an unanswered task (its stub raises, its check reports "not
  attempted") and runs every check; nbgrader scores the cells as before, and the source notebooks
  still run without any error under nbval (``conftest.py`` ignores the tag there);
* the paragraph on grading the whole notebook in a lab's introduction (the cell whose ``grade_id`` is
  ``intro``), from :data:`GRADE_PREFIX` to the next blank line, added at its end when missing: the same
  in every lab;
* README.md's labs table, between ``<!-- labs:begin -->`` and ``<!-- labs:end -->``.

Authors write everything else — the statements between heading and marking block, the code, the
model answers — in the notebook, which stays nbgrader's source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat

from graders.checking import Lab, Task, WrittenTask
from graders.skill_units import LEVELS, skill_unit

SYNC_COMMAND = "trainerlab lab sync"
OVERVIEW_ID = "overview"
MARKING_PREFIX = "**评分要点 / "
README_BEGIN = "<!-- labs:begin -->"
README_END = "<!-- labs:end -->"
INTRO_ID = "intro"
GRADE_PREFIX = "**整本评分 / Grade the whole notebook.**"
#: How a learner grades a whole lab: the same command and menus in every lab (the names are the
#: menus' own in the Chinese interface, which ``tests/test_practice.py`` checks).
GRADE_PARAGRAPH = (
    f"{GRADE_PREFIX} 保存笔记本，在左侧文件浏览器中右键它选择“复制路径”，"
    "再打开终端（文件 → 新建 → 终端）运行 `trainerlab grade <粘贴的路径>`："
    "隐藏检查给出每题得分、总分和各技能单元得分，并在笔记本旁生成 HTML 反馈。\n"
    "Save the notebook, right-click it in the file browser and choose \"Copy Path\", then open a terminal\n"
    "(File → New → Terminal) and run `trainerlab grade <the path>`: the hidden checks give per-task points, "
    "the\ntotal, points per skill unit and an HTML feedback file beside the notebook.")
#: The cell tag JupyterLab and nbclient honour to go on after a cell that raises (Run All, nbval).
RUN_ALL_TAG = "raises-exception"


def _points(value: float) -> str:
    return f"{value:g}"


def _point_word(value: float) -> str:
    return "point" if value == 1 else "points"


def task_number(lab: Lab, task: Task | WrittenTask) -> int:
    """The task's number in the lab (its place in ``lab.tasks``, from 1)."""
    return list(lab.tasks).index(task) + 1


def heading(lab: Lab, task: Task | WrittenTask) -> str:
    """The first line of a task's header cell."""
    n = task_number(lab, task)
    return (f"## 任务 {n} · {task.title.zh} / Task {n} · {task.title.en}  `{task.level} · {task.unit}` · "
            f"{_points(task.points)} 分 / {_point_word(task.points)}")


def marking_block(task: Task | WrittenTask) -> str:
    """The marking points of a task: its criteria (autograded) or its rubric (marked by hand)."""
    if isinstance(task, Task):
        title = (f"{MARKING_PREFIX}Marking** ({_points(task.points)} 分 / {_point_word(task.points)} · "
                 "自动评分，可得部分分 / autograded, with partial credit)")
        items = [(c.points, c.name.zh, c.name.en) for c in task.criteria]
    else:
        title = (f"{MARKING_PREFIX}Rubric** ({_points(task.points)} 分 / {_point_word(task.points)} · "
                 "教师按要点评分 / marked by hand)")
        items = [(p.points, p.text.zh, p.text.en) for p in task.rubric]
    lines = [title, ""]
    lines += [f"- M{i} ({_points(pts)}): {zh} / {en}" for i, (pts, zh, en) in enumerate(items, 1)]
    return "\n".join(lines)


def overview(lab: Lab) -> str:
    """The overview cell: the lab's level, skill units and table of tasks with their points."""
    codes = sorted({t.unit for t in lab.tasks})
    units = "; ".join(f"{c} {skill_unit(lab.level, c).zh} / {skill_unit(lab.level, c).en}" for c in codes)
    auto = sum(t.points for t in lab.tasks if isinstance(t, Task))
    manual = lab.points - auto
    rows = [f"**技能等级 / Level:** {LEVELS[lab.level]} · **技能单元 / Skill units:** {units}", "",
            "| # | 任务 / Task | 单元 / Unit | 分值 / Points | 评分 / Marking |", "|---|---|---|---|---|"]
    for task in lab.tasks:
        how = "自动 / autograded" if isinstance(task, Task) else "人工 / by hand"
        rows.append(f"| {task_number(lab, task)} | {task.title.zh} / {task.title.en} | "
                    f"{task.level} · {task.unit} | {_points(task.points)} | {how} |")
    rows.append(f"| | **合计 / Total** | | **{_points(lab.points)}** | 自动 {_points(auto)} + 人工 "
                f"{_points(manual)} / {_points(auto)} autograded + {_points(manual)} by hand |")
    return "\n".join(rows)


def header_source(lab: Lab, task: Task | WrittenTask, source: str) -> str:
    """``source`` of a task's header cell with its heading and marking block derived from ``task``."""
    lines = source.splitlines()
    body = lines[1:] if lines and lines[0].startswith("## ") else lines
    cut = next((i for i, line in enumerate(body) if line.startswith(MARKING_PREFIX)), len(body))
    statement = "\n".join(body[:cut]).strip("\n")
    parts = [heading(lab, task), statement, marking_block(task)]
    return "\n\n".join(p for p in parts if p)


def intro_source(source: str) -> str:
    """``source`` of a lab's introduction with its paragraph on grading the whole notebook derived."""
    start = source.find(GRADE_PREFIX)
    if start < 0:
        return f"{source.rstrip()}\n\n{GRADE_PARAGRAPH}"
    end = source.find("\n\n", start)
    return source[:start] + GRADE_PARAGRAPH + (source[end:] if end >= 0 else "")


@dataclass(frozen=True)
class Drift:
    """One derived place that differs from what the task objects say."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def _derived_metadata(task: Task | WrittenTask) -> tuple[float, dict[str, str]]:
    return task.points, {"level": task.level, "unit": task.unit}


def _runs_on_after_an_error(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell is a code answer cell or a test cell (they raise while a task is unanswered)."""
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("solution") or meta.get("grade"))


def sync_notebook(nb: nbformat.NotebookNode, lab: Lab) -> list[Drift]:
    """Rewrite the derived places of a lab's notebook in place; return what was out of date."""
    drift: list[Drift] = []
    name = lab.notebook
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    headers = {c.metadata["trainerlab"]["task"]: c for c in nb.cells
               if "task" in c.metadata.get("trainerlab", {})}

    def put(cell: nbformat.NotebookNode, source: str, where: str, what: str) -> None:
        if cell.source != source:
            cell.source = source
            drift.append(Drift(f"{name} · {where}", what))

    if INTRO_ID in cells:  # a lab's (an exam task or paper is graded by the exam's own commands)
        put(cells[INTRO_ID], intro_source(cells[INTRO_ID].source), "introduction",
            "the paragraph on grading the whole notebook")
    if OVERVIEW_ID in cells:
        put(cells[OVERVIEW_ID], overview(lab), "overview cell", "level, units or table of tasks")
    else:
        drift.append(Drift(name, f"no overview cell (grade_id {OVERVIEW_ID!r})"))
    for task in lab.tasks:
        header = headers.get(task.grade_id)
        if header is None:
            drift.append(Drift(name, f"no header cell with metadata.trainerlab.task = {task.grade_id!r}"))
        else:
            put(header, header_source(lab, task, header.source), f"header of {task.grade_id}",
                "heading (number, title, unit, points) or marking block")
        graded = cells.get(task.grade_id)
        if graded is None:
            drift.append(Drift(name, f"no graded cell {task.grade_id!r}"))
            continue
        points, tag = _derived_metadata(task)
        meta = graded.metadata.setdefault("nbgrader", {})
        if meta.get("points") != points or graded.metadata.get("trainerlab") != tag:
            meta["points"] = points
            graded.metadata["trainerlab"] = tag
            drift.append(Drift(f"{name} · cell {task.grade_id}", "points or skill-unit metadata"))
    for cell in nb.cells:
        if _runs_on_after_an_error(cell) and RUN_ALL_TAG not in cell.metadata.get("tags", []):
            cell.metadata["tags"] = [*cell.metadata.get("tags", []), RUN_ALL_TAG]
            drift.append(Drift(f"{name} · cell {cell.metadata['nbgrader'].get('grade_id')}",
                               f"the {RUN_ALL_TAG!r} tag (Run All goes past an unanswered task)"))
    stray = set(headers) - {t.grade_id for t in lab.tasks}
    if stray:
        drift.append(Drift(name, f"header cells name tasks the lab does not have: {sorted(stray)}"))
    return drift


def labs_table(labs: Mapping[str, Lab]) -> str:
    """README's table of labs: assignment, level, units, points (auto + by hand) and what is practised."""
    rows = ["| 作业 / assignment | 级别 / level | 技能单元 / skill units | 分值 / points (auto + by hand) | "
            "内容 / what you practise |", "|---|---|---|---|---|"]
    for assignment, lab in labs.items():
        auto = sum(t.points for t in lab.tasks if isinstance(t, Task))
        units = ", ".join(sorted({t.unit for t in lab.tasks}))
        points = f"{_points(auto)} + {_points(lab.points - auto)}"
        summary = f"{lab.summary.zh} / {lab.summary.en}"
        rows.append(f"| `{assignment}` | {lab.level} | {units} | {points} | {summary} |")
    return "\n".join(rows)


def sync_readme(text: str, labs: Mapping[str, Lab]) -> tuple[str, list[Drift]]:
    """README text with its labs table derived from ``labs``, and whether it was out of date."""
    pattern = re.compile(re.escape(README_BEGIN) + r".*?" + re.escape(README_END), re.S)
    if not pattern.search(text):
        return text, [Drift("README.md", f"no labs table between {README_BEGIN} and {README_END}")]
    new = pattern.sub(lambda _: f"{README_BEGIN}\n{labs_table(labs)}\n{README_END}", text)
    return new, ([] if new == text else [Drift("README.md", "labs table")])


def ordered(labs: Mapping[str, Lab]) -> dict[str, Lab]:
    """The labs level by level (L3, L2, L1), by name within a level: the order README lists them in."""
    order = {level: i for i, level in enumerate(LEVELS)}
    return dict(sorted(labs.items(), key=lambda item: (order.get(item[1].level, 9), item[0])))


def sync(root: Path, labs: Mapping[str, Lab], *, write: bool, only: Iterable[str] = ()) -> list[Drift]:
    """Bring every derived place under ``root`` in line with ``labs``; with ``write=False`` only report."""
    drift: list[Drift] = []
    chosen = set(only) or set(labs)
    for assignment in sorted(chosen):
        lab = labs[assignment]
        path = root / "labs" / assignment / lab.notebook
        nb = nbformat.read(path, as_version=4)
        found = sync_notebook(nb, lab)
        drift += found
        if write and found:
            nbformat.write(nb, path)
    readme = root / "README.md"
    if readme.is_file() and not only:
        text, found = sync_readme(readme.read_text(encoding="utf-8"), ordered(labs))
        drift += found
        if write and found:
            readme.write_text(text, encoding="utf-8")
    return drift
