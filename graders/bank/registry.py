"""Every task of the bank and every paper drawn from it: the bank's ``graders/labs.py``.

``BANK`` maps task ids to :class:`~graders.bank.BankTask` (each module ``graders.bank.<id>`` that
defines ``TASK`` is found without registration). ``LABS`` maps nbgrader assignment names to labs —
every bank task by its id, and every paper by its name (``exam_<id>_<id>…``, composed on demand by
:func:`paper_lab`) — so a course whose ``TaskFeedback.labs_module`` is ``graders.bank.registry``
gets feedback, re-checks and skill reports on bank tasks and papers unchanged.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from importlib import import_module

import graders.bank as bank_package
from graders.bank import TASK_ID, BankTask
from graders.checking import Lab, Msg

PAPER_PREFIX = "exam_"


def _discover() -> dict[str, BankTask]:
    found: dict[str, BankTask] = {}
    for name in sorted(m.name for m in pkgutil.iter_modules(bank_package.__path__)):
        if TASK_ID.match(name):
            task = getattr(import_module(f"graders.bank.{name}"), "TASK", None)
            if isinstance(task, BankTask):
                found[task.task_id] = task
    return found


BANK: dict[str, BankTask] = _discover()


def by_unit() -> dict[str, list[BankTask]]:
    """The bank's tasks per L3 unit code, in id order."""
    units: dict[str, list[BankTask]] = {}
    for task in BANK.values():
        units.setdefault(task.unit, []).append(task)
    return units


def paper_name(task_ids: Sequence[str]) -> str:
    """The nbgrader assignment name of the paper made of ``task_ids`` (in paper order)."""
    return PAPER_PREFIX + "_".join(task_ids)


def paper_task_ids(name: str) -> list[str] | None:
    """The bank task ids a paper name is made of, or ``None`` when ``name`` is not a paper of this bank."""
    if not name.startswith(PAPER_PREFIX):
        return None
    ids = name[len(PAPER_PREFIX):].split("_")
    return ids if ids and all(i in BANK for i in ids) else None


@cache
def paper_lab(name: str) -> Lab:
    """The lab of a paper: the items of its bank tasks, in paper order, as one notebook."""
    ids = paper_task_ids(name)
    if ids is None:
        raise KeyError(name)
    tasks = [item for task_id in ids for item in BANK[task_id].lab.tasks]
    units = ", ".join(BANK[i].unit for i in ids)
    return Lab(assignment=name, notebook=f"{name}.ipynb", level="L3", tasks=tasks,
               summary=Msg(f"三级模拟考试（{units}）", f"L3 mock exam ({units})"))


class _Labs(Mapping[str, Lab]):
    """Bank tasks by id, and papers by name (composed when asked for; not listed)."""

    def __getitem__(self, name: str) -> Lab:
        if name in BANK:
            return BANK[name].lab
        return paper_lab(name)

    def __iter__(self) -> Iterator[str]:
        return iter(BANK)

    def __len__(self) -> int:
        return len(BANK)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in BANK or paper_task_ids(name) is not None)


#: Assignment name -> lab, for ``labs_module = "graders.bank.registry"`` (feedback, re-checks, reports).
LABS: Mapping[str, Lab] = _Labs()
