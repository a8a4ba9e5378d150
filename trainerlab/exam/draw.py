"""Drawing a paper on the L3 blueprint: one bank task per exam task, seeded per candidate and attempt."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence

from graders.bank import BankTask
from graders.skill_units import L3_EXAM, ExamTask


def attempt_seed(candidate: str, attempt: int) -> int:
    """The seed of a candidate's attempt: the same pair always gives the same paper and data."""
    digest = hashlib.sha256(f"{candidate.strip()}\0{attempt}".encode()).hexdigest()
    return int(digest[:8], 16)


def draw(seed: int, bank: Mapping[str, BankTask], blueprint: Sequence[ExamTask] = L3_EXAM) -> list[str]:
    """The bank task ids of the paper of ``seed``, in the blueprint's order.

    For each exam task one of its units is drawn (among those the bank has tasks for), then one task
    of that unit; a blueprint task the bank cannot fill is an error naming it.
    """
    rng = random.Random(seed)
    paper = []
    for exam_task in blueprint:
        units = [u for u in exam_task.units if any(t.unit == u for t in bank.values())]
        if not units:
            raise LookupError(f"the bank has no task for unit(s) {', '.join(exam_task.units)}")
        unit = rng.choice(units)
        paper.append(rng.choice(sorted(t.task_id for t in bank.values() if t.unit == unit)))
    return paper
