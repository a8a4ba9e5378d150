"""Fixtures for the grading tests: a tiny three-task lab and notebooks that misbehave.

The toy lab (``toy_grading_lab``) is written into a temporary folder that is put on
``PYTHONPATH`` so grading workers and kernels import it like a real ``graders`` module. Its
checks use ``numpy.testing`` and ``pandas.testing`` on purpose, so that patching those in a
notebook is a realistic attack.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from trainerlab.grading.results import SubmissionResult
from trainerlab.grading.worker import Job
from trainerlab.warmkernel import pool

TOY_MODULE = "toy_grading_lab"
TOY = "toy"

TOY_CHECKS = '''
"""Checks of the toy grading lab (tests only)."""
import numpy as np
import pandas as pd

from graders.answers import require_answer, require_frame
from graders.checking import Lab, Msg, RubricPoint, Task, WrittenTask, criterion


def _same_array(a):
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.arange(5) * 2.0)
    return True


def _same_frame(df):
    expected = pd.DataFrame({"x": [1, 2, 3], "y": [1, 4, 9]})
    pd.testing.assert_frame_equal(df.reset_index(drop=True)[["x", "y"]], expected, check_dtype=False)
    return True


double = Task("double", "2.1", "L3", Msg("翻倍", "Double"), prepare=require_answer, criteria=[
    criterion("长度为 5", "length 5", 1, visible=True, fail=("长度不对", "wrong length"))(
        lambda a: len(a) == 5),
    criterion("数值正确", "right values", 1, fail=("数值不对", "wrong values"))(_same_array),
])
frame = Task("frame", "2.2", "L3", Msg("平方表", "Square table"), prepare=require_frame, criteria=[
    criterion("有 x 和 y 列", "has x and y", 1, visible=True, fail=("缺列", "missing columns"))(
        lambda df: {"x", "y"} <= set(df.columns)),
    criterion("y 是 x 的平方", "y is x squared", 1, fail=("y 不对", "wrong y"))(_same_frame),
])
total = Task("total", "1.1", "L3", Msg("求和", "Sum"), prepare=require_answer, criteria=[
    criterion("是数字", "a number", 1, visible=True, fail=("不是数字", "not a number"))(
        lambda a: isinstance(a, (int, float, np.number))),
    criterion("等于 20", "equals 20", 1, fail=("不等于 20", "not 20"))(lambda a: abs(float(a) - 20) < 1e-9),
])
explain = WrittenTask("explain", "1.1", "L3", Msg("解释", "Explain"),
                      [RubricPoint(Msg("说清楚", "clear"), 2)])
LAB = Lab("toy", "toy.ipynb", "L3", [double, frame, total, explain], Msg("玩具实训", "a toy lab"))
LABS = {"toy": LAB}
'''

ANSWERS = {
    "double_answer": "doubled = np.arange(5) * 2",
    "frame_answer": "table = pd.DataFrame({'x': [1, 2, 3]})\ntable['y'] = table['x'] ** 2",
    "total_answer": "total = float(doubled.sum())",
}
VARIABLES = {"double": "doubled", "frame": "table", "total": "total"}




def install_toy_module(folder: Path) -> Path:
    """Write the toy checks module into ``folder`` and make it importable here and in workers."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{TOY_MODULE}.py").write_text(TOY_CHECKS, encoding="utf-8")
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    parts = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(folder) not in parts:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(folder), *parts])
    return folder / f"{TOY_MODULE}.py"


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def toy_source_notebook() -> nbformat.NotebookNode:
    """The toy lab's source notebook: setup, three answer + test pairs and one written answer."""
    cells = [
        new_markdown_cell("# 玩具实训 / Toy lab", metadata=_meta("intro", locked=True)),
        new_code_cell(f"import numpy as np\nimport pandas as pd\nimport {TOY_MODULE} as q",
                      metadata=_meta("setup", locked=True)),
    ]
    for task, variable in VARIABLES.items():
        answer = f"{variable} = None\n### BEGIN SOLUTION\n{ANSWERS[task + '_answer']}\n### END SOLUTION"
        cells.append(new_code_cell(answer, metadata=_meta(f"{task}_answer", solution=True)))
        test = (f"q.{task}.check({variable})\n### BEGIN HIDDEN TESTS\n"
                f"q.{task}.grade({variable})\n### END HIDDEN TESTS")
        cells.append(new_code_cell(test, metadata=_meta(task, grade=True, locked=True, points=2.0)))
    cells.append(new_markdown_cell("YOUR ANSWER HERE", metadata=_meta("explain", grade=True, solution=True,
                                                                     points=2.0)))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    for i, cell in enumerate(nb.cells):
        cell.id = cell.metadata["nbgrader"]["grade_id"].replace("_", "-") + f"-{i}"
    return nb


def write_toy_lab(course: Path) -> Path:
    """Put the toy lab's source into ``course/labs/toy/`` (the course config must exist)."""
    folder = course / "labs" / TOY
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(toy_source_notebook(), str(folder / "toy.ipynb"))
    return folder / "toy.ipynb"


def toy_answered(release: nbformat.NotebookNode, answers: dict[str, str] | None = None,
                 extra: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The release with answer cells filled (``answers`` overrides per answer id); ``extra`` code is
    prepended to the answer cell with that id."""
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    chosen = {**ANSWERS, **(answers or {})}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and gid in chosen:
            cell.source = chosen[gid]
            if extra and gid in extra:
                cell.source = textwrap.dedent(extra[gid]).strip() + "\n" + cell.source
    return nb


def submit(course: Path, student: str, assignment: str, name: str, content: nbformat.NotebookNode | bytes,
           *, timestamp: str | None = "2026-11-20 10:00:00.000000 UTC") -> Path:
    """Write a submission file into ``submitted/<student>/<assignment>/<name>``."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        nbformat.write(content, str(path))
    if timestamp is not None:
        (folder / "timestamp.txt").write_text(timestamp, encoding="utf-8")
    return path


def tree_hash(folder: Path) -> dict[str, str]:
    """sha256 of every file below ``folder`` (to prove nothing there was modified)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


HUNG_SLEEP_SECONDS = 293  # a recognisable ``sleep`` started by a grading process that hangs


def grade_or_hang(job: Job) -> SubmissionResult:
    """Stands in for ``grade_submission`` in a worker: hangs, with a child process, for student ``hung``."""
    if job.student == "hung":
        subprocess.Popen(["sleep", str(HUNG_SLEEP_SECONDS)])
        time.sleep(3600)
    return SubmissionResult(job.student, job.assignment, "graded")


def report_worker_state(job: Job) -> SubmissionResult:
    """Stands in for ``grade_submission``: reports the worker's environment and what it had imported."""
    state = {"variable": os.environ.get("TRAINERLAB_TEST_RUN", ""), "pid": os.getpid(),
             "preloaded": f"graders.{job.assignment}" in sys.modules}
    return SubmissionResult(job.student, job.assignment, "graded", error=json.dumps(state))


def start_warm_server(job: Job) -> SubmissionResult:
    """Stands in for ``grade_submission``: starts a warm-kernel server and reports its pid."""
    pool.prestart({**os.environ, pool.PRELOAD: "json"})
    (pid,) = pool.server_pids()
    return SubmissionResult(job.student, job.assignment, "graded", error=str(pid))
