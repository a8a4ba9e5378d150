"""Model answers on request: ``q.<task>.solution()`` after the last hint, once the learner has tried.

The answer is read from the lab's nbgrader source notebook (the answer cells between the task's
header cell and its test cell, without nbgrader's solution markers), so it is always the reference
the checks were proven against. It is refused in a class course (``TRAINERLAB_MODE=class``), while
nbgrader grades, before the learner's own attempt has been checked and before the last hint.
"""

from __future__ import annotations

import json
from pathlib import Path

from graders.checking import Lab, Msg, Task, autograding, current_mode

LAST_HINT = ("   这是最后一条提示。自己试过（运行过检查单元）之后，`q.<任务>.solution()` 显示参考答案。/ "
             "This was the last hint. Once you have tried (run the check cell), `q.<task>.solution()` "
             "shows the model answer.")

REFUSED_CLASS = Msg("班级课程中不提供参考答案，请向老师求助",
                    "model answers are not shown in a class course: ask your teacher")
NOT_TRIED = Msg("请先自己作答，并运行本题的检查单元", "try the task first: answer it and run its check cell")
_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def _lab_of(task: Task) -> Lab:
    from graders.labs import LABS

    for lab in LABS.values():
        if any(t is task for t in lab.tasks):
            return lab
    raise LookupError(f"no lab has the task {task.grade_id}")


def model_answer(task: Task, source: Path | None = None) -> str:
    """The source of the task's answer cells in the lab's source notebook, markers removed."""
    if source is None:
        from trainerlab.course import course_root

        lab = _lab_of(task)
        source = course_root() / "labs" / lab.assignment / lab.notebook
    cells = json.loads(Path(source).read_text(encoding="utf-8"))["cells"]
    start = next(i for i, c in enumerate(cells) if c.get("metadata", {}).get("trainerlab", {}).get("task")
                 == task.grade_id)
    end = next(i for i, c in enumerate(cells) if i > start
               and c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == task.grade_id)
    answers = []
    for cell in cells[start + 1:end]:
        if cell["cell_type"] == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            text = "".join(cell["source"])
            answers.append("\n".join(line for line in text.splitlines() if line.strip() not in _MARKERS))
    return "\n\n".join(answers)


def refusal(task: Task) -> Msg | None:
    """Why the model answer cannot be shown now, or ``None`` when it can."""
    if current_mode() == "class":
        return REFUSED_CLASS
    if not task._tried:
        return NOT_TRIED
    left = len(task.hints) - task._hints_shown
    if left > 0:
        return Msg(f"还有 {left} 条提示：先运行本题的 .hint()",
                   f"{left} more hint(s) first: run the task's .hint()")
    return None


def show_solution(task: Task) -> None:
    """Print the model answer, or why it is not shown yet (nothing at all while nbgrader grades)."""
    if autograding():
        return
    why = refusal(task)
    if why is not None:
        print(f"✗ {why}")
        return
    try:
        answer = model_answer(task)
    except (OSError, ValueError, LookupError, StopIteration):
        print("找不到本题的源笔记本，无法显示参考答案 / the lab's source notebook is not here, so the model "
              "answer cannot be shown")
        return
    print(f"参考答案（{task.title.zh}）/ Model answer ({task.title.en}) — 其他写法同样可以得满分 / other "
          f"correct routes score full too:\n")
    print(answer)
