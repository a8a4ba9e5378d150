"""Class mode, student side: a lab's ``q`` built from what the instructor handed out.

This module is copied into the student environment as ``graders/_handed_out.py``; it imports nothing
of the project (objects are read by ``graders/_handed_out_objects.py``, copied beside it). The student
holds data files, plain values, texts and objects as data in ``data/`` beside the notebook, never a
seed, a generator, a solution or a hidden criterion. The self-check therefore scores nothing here: it
says whether a task has an answer and that all its points are checked when the teacher grades.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_VARIABLE = "TRAINERLAB_DATA"
HANDOUT_FILE = "handout.json"
NOT_ATTEMPTED = ("尚未作答：请先完成上面的代码单元并运行它 / Not attempted yet: complete and run "
                 "the cell above first")
REFUSED_CLASS = ("✗ 班级课程中不提供参考答案，请向老师求助 / model answers are not shown in a class course: "
                 "ask your teacher")


class CheckFailed(AssertionError):
    """Raised by a check when the task has no answer yet (shown as one line, not a traceback)."""

    def _render_traceback_(self) -> list[str]:
        return [f"○ {self}"]


def _fmt(points: float) -> str:
    return f"{points:g}"


def _missing(answer: Any) -> bool:
    main = answer[0] if isinstance(answer, tuple) and answer else answer
    return main is None or main is Ellipsis


@dataclass
class HandedOutTask:
    """A task of a class course as the student sees it: its facts and hints, no criteria."""

    grade_id: str
    title: tuple[str, str]
    level: str
    unit: str
    points: float
    hints: list[tuple[str, str]] = field(default_factory=list)
    _hints_shown: int = field(default=0, repr=False)

    def _head(self) -> str:
        return f"[{self.level} · {self.unit}] {self.title[0]} / {self.title[1]}"

    def check(self, answer: Any) -> None:
        """Say whether there is an answer; all the task's points are checked when the teacher grades."""
        if _missing(answer):
            raise CheckFailed(f"{self._head()}: {NOT_ATTEMPTED}")
        points = _fmt(self.points)
        print(f"{self._head()}: 已作答。班级课程中本地只检查是否作答，本题 {points} 分全部在教师评分时检查 / "
              f"answered. In a class course this check only sees that there is an answer: all {points} "
              f"points are checked when your teacher grades")

    def grade(self, answer: Any) -> None:
        """Grading happens on the teacher's side only."""
        print("班级课程由教师评分 / in a class course your teacher grades the notebook")

    def hint(self) -> None:
        """Print the next hint (each call reveals one more, the last one repeats)."""
        if not self.hints:
            print("本题没有提示 / No hints for this task")
            return
        index = min(self._hints_shown, len(self.hints) - 1)
        self._hints_shown += 1
        zh, en = self.hints[index]
        print(f"☞ 提示 {index + 1}/{len(self.hints)} / Hint {index + 1}/{len(self.hints)}: {zh} / {en}")

    def solution(self) -> None:
        """Model answers are not part of a class course."""
        print(REFUSED_CLASS)


def data_folder() -> Path:
    """The student's handed-out data: ``TRAINERLAB_DATA``, else ``data/`` beside the notebook."""
    return Path(os.environ.get(DATA_VARIABLE) or Path.cwd() / "data")


def _index() -> dict[str, Any]:
    path = data_folder() / HANDOUT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"找不到本实训的数据 / this lab's data is not here: {path} "
                                "(open the notebook in the folder your teacher handed out)")
    return json.loads(path.read_text(encoding="utf-8"))


def _file(name: str) -> Any:
    def path() -> Path:
        return data_folder() / _index()["files"][name]
    path.__name__ = name
    path.__doc__ = "The handed-out data file of this notebook."
    return path


def _read(section: str, name: str) -> Any:
    def read() -> Any:
        from graders._handed_out_objects import load

        return load(_index()[section][name], data_folder())
    read.__name__ = name
    read.__doc__ = "This notebook's handed-out value, read from its data (each call a fresh copy)."
    return read


def _printed(name: str) -> Any:
    def show() -> None:
        print(_index()["printed"][name], end="")
    show.__name__ = name
    return show


def handed_out_lab(tasks: list[dict[str, Any]], files: list[str], values: dict[str, bool],
                   printed: list[str], objects: list[str]) -> dict[str, Any]:
    """The names of a lab's ``q``: its tasks (by ``attr``), and what reads the handed-out data.

    ``values`` maps each handed-out value to whether the grader module's member is called (a function)
    or read (a constant, read here from the data folder when the module is imported); ``objects`` are
    functions returning models, tables or arrays read back from data files.
    """
    names: dict[str, Any] = {t["attr"]: HandedOutTask(t["grade_id"], tuple(t["title"]), t["level"], t["unit"],
                                                          t["points"], [tuple(h) for h in t["hints"]])
                             for t in tasks}
    names.update({name: _file(name) for name in files})
    names.update({name: _printed(name) for name in printed})
    names.update({name: _read("objects", name) for name in objects})
    for name, called in values.items():
        names[name] = _read("values", name) if called else _read("values", name)()
    return names
