"""``trainerlab lab new``: a new lab's grader module, notebook and class test, already in the lab format.

The skeleton holds two autograded tasks (numbers computed from a bundled data set) and one written
task, so it passes the format tests, the both-ways proof and the round trip from the first commit;
the author then replaces them with the lab's own tasks (CONTRIBUTING.md walks through it).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from graders.checking import Lab, assignment_name
from graders.skill_units import LEVELS, UNITS
from trainerlab.authoring import OVERVIEW_ID, ordered, sync_notebook, sync_readme

NAME = re.compile(r"^[a-z][a-z0-9_]*$")

_GRADER = '''"""Checks for the {level} {name} lab (skill unit {unit}).

Written by ``trainerlab lab new``: replace the example tasks with the lab's own (see CONTRIBUTING.md).
Every check derives what it expects from the data, never from a number written here.
"""

from __future__ import annotations

import pandas as pd

from graders.answers import as_number, require_answer
from graders.checking import Lab, Msg, RubricPoint, Task, WrittenTask, criterion
from trainerlab.paths import dataset_file

LEVEL = "{level}"


def cars() -> pd.DataFrame:
    """The data of this lab: the bundled auto-mpg table."""
    return pd.read_csv(dataset_file("auto_mpg", "auto_mpg.csv"))


def _mean_mpg() -> float:
    return float(cars()["mpg"].mean())


mean_mpg = Task(
    grade_id="mean_mpg",
    unit="{unit}",
    level=LEVEL,
    title=Msg("计算平均油耗", "Compute the mean fuel economy"),
    prepare=lambda answer: as_number(require_answer(answer)),
    criteria=[
        criterion("平均油耗正确（精确到一位小数）", "the mean mpg is right to the first decimal", 2,
                  fail=("平均值不对：缺失值不参与计算", "the mean is off: missing values do not count"))(
            lambda value: abs(value - _mean_mpg()) < 0.05),
    ],
    hints=[Msg("Series.mean() 会跳过缺失值。", "Series.mean() skips missing values.")],
)

missing_mpg = Task(
    grade_id="missing_mpg",
    unit="{unit}",
    level=LEVEL,
    title=Msg("统计缺失的油耗", "Count the missing fuel-economy values"),
    prepare=lambda answer: as_number(require_answer(answer)),
    criteria=[
        criterion("缺失个数正确", "the number of missing mpg values is right", 1,
                  fail=("个数不对：用 isna() 统计", "the count is off: count with isna()"))(
            lambda value: value == int(cars()["mpg"].isna().sum())),
    ],
    hints=[Msg("Series.isna().sum() 统计缺失值。", "Series.isna().sum() counts missing values.")],
)

method_note = WrittenTask(
    grade_id="method_note",
    unit="{unit}",
    level=LEVEL,
    title=Msg("说明你的做法", "Explain your method"),
    rubric=[
        RubricPoint(Msg("说明缺失值如何处理、为什么", "says how missing values were handled and why"), 1),
    ],
)

LAB = Lab(
    assignment="{name}",
    notebook="{notebook}",
    level=LEVEL,
    summary=Msg("（一句话说明本实训练习什么）", "(one line on what the lab practises)"),
    tasks=[mean_mpg, missing_mpg, method_note],
)
'''


def class_test_module(assignment: str) -> str:
    """The source of ``tests/test_class_<assignment>.py``: the lab's class run (tests/lab_class_tests.py)."""
    return (f'"""The {assignment} lab as one nbgrader class: both ways, round trip, answer corpus."""\n\n'
            "from lab_class_tests import class_tests\n\n"
            f'globals().update(class_tests("{assignment}"))\n')


def load_lab(grader: Path) -> Lab:
    """The ``LAB`` of a grader module file, imported from its path (a lab not yet registered)."""
    spec = importlib.util.spec_from_file_location(f"_trainerlab_new_{grader.stem}", grader)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LAB


def _locked(grade_id: str) -> dict:
    return {"nbgrader": {"grade": False, "grade_id": grade_id, "locked": True, "schema_version": 3,
                         "solution": False, "task": False}}


def _answer(grade_id: str) -> dict:
    return {"nbgrader": {"grade": False, "grade_id": grade_id, "locked": False, "schema_version": 3,
                         "solution": True, "task": False}}


def _test(grade_id: str) -> dict:
    return {"nbgrader": {"grade": True, "grade_id": grade_id, "locked": True, "points": 0,
                         "schema_version": 3, "solution": False, "task": False}}


def _cells(name: str) -> list[nbformat.NotebookNode]:
    answer_meta, test_meta = _answer("mean_mpg_answer"), _test("mean_mpg")
    written_meta = {"nbgrader": {"grade": True, "grade_id": "method_note", "locked": False, "points": 0,
                                 "schema_version": 3, "solution": True, "task": False}}
    header = {"trainerlab": {"task": "mean_mpg"}}
    written_header = {"trainerlab": {"task": "method_note"}}
    return [
        new_markdown_cell(f"# {name} 实训 / {name} lab\n\n"
                          "**建议用时 / Suggested time:** 20 分钟 / minutes\n\n"
                          "**目标 / Goal.** （一段话说明情境和要完成的工作）/ "
                          "(one paragraph: the scenario and the work to do)", metadata=_locked("intro")),
        new_markdown_cell("", metadata=_locked(OVERVIEW_ID)),
        new_code_cell(f"import pandas as pd\n\nfrom graders import {name} as q\n\ncars = q.cars()",
                      metadata=_locked("setup")),
        new_markdown_cell("## \n\n计算 `cars` 中 `mpg` 列的平均值，存为 `mean_mpg`。\n"
                          "Compute the mean of the `mpg` column of `cars` as `mean_mpg`.",
                          metadata={**_locked("task-mean"), **header}),
        new_code_cell("mean_mpg = None\n### BEGIN SOLUTION\nmean_mpg = cars[\"mpg\"].mean()\n"
                      "### END SOLUTION", metadata=answer_meta),
        new_code_cell("q.mean_mpg.check(mean_mpg)\n### BEGIN HIDDEN TESTS\nq.mean_mpg.grade(mean_mpg)\n"
                      "### END HIDDEN TESTS", metadata=test_meta),
        new_markdown_cell("## \n\n统计 `mpg` 列有多少个缺失值，存为 `missing_mpg`。\n"
                          "Count the missing values of the `mpg` column as `missing_mpg`.",
                          metadata={**_locked("task-missing"), "trainerlab": {"task": "missing_mpg"}}),
        new_code_cell("missing_mpg = None\n### BEGIN SOLUTION\nmissing_mpg = cars[\"mpg\"].isna().sum()\n"
                      "### END SOLUTION", metadata=_answer("missing_mpg_answer")),
        new_code_cell("q.missing_mpg.check(missing_mpg)\n### BEGIN HIDDEN TESTS\n"
                      "q.missing_mpg.grade(missing_mpg)\n### END HIDDEN TESTS",
                      metadata=_test("missing_mpg")),
        new_markdown_cell("## \n\n用两三句话说明你如何处理缺失值。\nIn two or three sentences, say how you "
                          "handled missing values.", metadata={**_locked("task-method"), **written_header}),
        new_markdown_cell("**参考答案（供评分参考）/ Model answer (for graders)**\n\n"
                          "`Series.mean()` 跳过缺失值。/ `Series.mean()` skips missing values.",
                          metadata=written_meta),
        new_markdown_cell("## 要点回顾 / Take-aways\n\n- （本实训的要点）/ (what to remember)",
                          metadata=_locked("takeaways")),
    ]


def new_lab(root: Path, area: str, *, level: str = "L3", unit: str = "2.2") -> list[Path]:
    """Write the grader module, notebook and class test of the lab of ``area`` at ``level`` under ``root``.

    The lab is named by :func:`assignment_name`; its notebook is ``<area>_<level>.ipynb``. Returns the
    files written (README.md too, whose labs table then lists the new lab).
    """
    if not NAME.match(area):
        raise ValueError(f"实训名只能含小写字母、数字和下划线 / a lab name is lower-case letters, "
                         f"digits and _: {area!r}")
    if level not in LEVELS or (level, unit) not in UNITS:
        raise ValueError(f"没有这个技能单元 / no such skill unit: {level} · {unit}")
    name = assignment_name(area, level)
    notebook = f"{area}_{level.lower()}.ipynb"
    grader = root / "graders" / f"{name}.py"
    lab_dir = root / "labs" / name
    test = root / "tests" / f"test_class_{name}.py"
    existing = [p for p in (grader, lab_dir, test) if p.exists()]
    if existing:
        raise FileExistsError(f"已存在 / already there: {', '.join(map(str, existing))}")

    for folder in (grader.parent, test.parent):
        folder.mkdir(parents=True, exist_ok=True)
    grader.write_text(_GRADER.format(name=name, level=level, unit=unit, notebook=notebook), encoding="utf-8")
    lab = load_lab(grader)
    nb = new_notebook(cells=_cells(name))
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.id = cell.metadata["nbgrader"]["grade_id"].replace("_", "-")
    sync_notebook(nb, lab)
    lab_dir.mkdir(parents=True)
    nbformat.write(nb, lab_dir / notebook)
    test.write_text(class_test_module(name), encoding="utf-8")
    written = [grader, lab_dir / notebook, test]
    readme = root / "README.md"
    if readme.is_file():  # the new lab joins README's labs table
        from graders.labs import LABS

        text, _ = sync_readme(readme.read_text(encoding="utf-8"), ordered({**LABS, name: lab}))
        readme.write_text(text, encoding="utf-8")
        written.append(readme)
    return written
