"""``trainerlab exam new-task``: a new bank task's grader module and notebook, already in the bank format.

The skeleton has one autograded item (a number computed from a bank table) and one written item, with
the points and minutes the blueprint gives the unit, so it passes the bank's format tests from the
start; the author then writes the scenario, data and items (CONTRIBUTING.md, "Add an exam task").
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat

from graders.bank import TASK_ID, BankTask, blueprint_task
from trainerlab.authoring import OVERVIEW_ID, sync_notebook
from trainerlab.exam import cells

_GRADER = '''"""Bank task {tid} (L3 · {unit}, {minutes} minutes, {points} points): (the scenario in one line).

Written by ``trainerlab exam new-task``: replace the example items (CONTRIBUTING.md, "Add an exam task").
"""

from __future__ import annotations

from graders.answers import as_number
from graders.bank import BankTask
from graders.bank.common import data
from graders.checking import Lab, Msg, RubricPoint, Task, WrittenTask, criterion

UNIT, LEVEL = "{unit}", "L3"


def _booked() -> int:
    return int(data("hotel_bot")["booked"].sum())


count = Task(
    grade_id="{tid}_count",
    unit=UNIT,
    level=LEVEL,
    title=Msg("统计预订成功的会话数", "Count the sessions that booked"),
    prepare=as_number,
    criteria=[
        criterion("预订成功的会话数正确", "the number of sessions that booked is right", {auto},
                  fail=("个数不对：booked 为 1 的行", "wrong count: rows with booked = 1"))(
            lambda value: value == _booked()),
    ],
    hints=[Msg("df['booked'].sum()", "df['booked'].sum()")],
)

note = WrittenTask(
    grade_id="{tid}_note",
    unit=UNIT,
    level=LEVEL,
    title=Msg("说明你的做法", "Explain your method"),
    rubric=[RubricPoint(Msg("说明统计口径", "states what was counted"), 1)],
)

LAB = Lab(
    assignment="{tid}",
    notebook="{tid}_new.ipynb",
    level=LEVEL,
    tasks=[count, note],
    summary=Msg("（一句话说明本题练习什么）", "(one line on what the task practises)"),
)
TASK = BankTask(LAB, UNIT, {minutes}, Msg("（情境）", "(the scenario)"))
'''


def _cells(tid: str, minutes: int) -> list[nbformat.NotebookNode]:
    return [
        cells.text(f"{tid}_intro", f"# （题目）/ (title)\n\n**用时 / Time:** {minutes} 分钟 / minutes\n\n"
                   "**情境 / Scenario.** （情境）/ (the scenario)"),
        cells.text(OVERVIEW_ID, ""),
        cells.code(f"{tid}_setup", f"import pandas as pd\n\nfrom graders.bank import {tid} as q\n"
                   "from graders.bank.common import data_path\n\n"
                   "sessions = pd.read_csv(data_path(\"hotel_bot\"))"),
        cells.text(f"{tid}_task_count", "## \n\n统计预订成功（`booked` 为 1）的会话数，存为 `booked`。\n"
                   "Count the sessions with `booked` = 1 as `booked`.", task=f"{tid}_count"),
        cells.answer(f"{tid}_count_answer", "booked", 'booked = int(sessions["booked"].sum())'),
        cells.test(f"{tid}_count", "booked"),
        cells.text(f"{tid}_task_note", "## \n\n用一两句话说明统计口径。\n"
                   "Say in a sentence or two what you counted.", task=f"{tid}_note"),
        cells.written(f"{tid}_note", "`booked` 为 1 的会话。/ Sessions with `booked` = 1."),
    ]


def load_task(grader: Path) -> BankTask:
    """The ``TASK`` of a bank grader module file, imported from its path (a task not yet registered)."""
    spec = importlib.util.spec_from_file_location(f"_trainerlab_new_{grader.stem}", grader)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.TASK


def new_task(root: Path, task_id: str) -> list[Path]:
    """Write ``graders/bank/<task_id>.py`` and ``bank/<task_id>/<task_id>_new.ipynb`` under ``root``."""
    match = TASK_ID.match(task_id)
    if match is None:
        raise ValueError(f"题号应为 b<单元数字><字母>，如 b21b / "
                         f"a task id is b<unit digits><letter>, e.g. b21b: {task_id!r}")
    unit = f"{match.group(1)}.{match.group(2)}"
    exam = blueprint_task(unit)
    grader = root / "graders" / "bank" / f"{task_id}.py"
    folder = root / "bank" / task_id
    existing = [p for p in (grader, folder) if p.exists()]
    if existing:
        raise FileExistsError(f"已存在 / already there: {', '.join(map(str, existing))}")
    grader.parent.mkdir(parents=True, exist_ok=True)
    grader.write_text(_GRADER.format(tid=task_id, unit=unit, minutes=exam.minutes, points=exam.points,
                                     auto=exam.points - 1), encoding="utf-8")
    task = load_task(grader)
    nb = cells.notebook(_cells(task_id, exam.minutes))
    sync_notebook(nb, task.lab)
    folder.mkdir(parents=True)
    notebook = folder / task.lab.notebook
    nbformat.write(nb, notebook)
    return [grader, notebook]
