"""``trainerlab exam class``: a mock exam for a class, as nbgrader assignments in a course of its own.

The course folder takes plain nbgrader commands (``generate_assignment``, ``autograde``, formgrader,
``generate_feedback``, ``export``), ``trainerlab grade-class --course`` and ``trainerlab report
--course``: its ``nbgrader_config.py`` is the repository's with the bank's labs module
(:data:`trainerlab.exam.paper.LABS_MODULE`). One paper for the whole class, or one per student
(students whose draws coincide share an assignment); ``papers.csv`` says who sits which paper.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from graders.bank.registry import BANK, paper_name
from trainerlab.exam.draw import attempt_seed, draw
from trainerlab.exam.paper import write_course

PAPERS_FILE = "papers.csv"


def class_papers(course: Path, *, root: Path, seed: int, students: Sequence[str] = ()) -> dict[str, str]:
    """Write the class's paper(s) into the course at ``course``; return student -> paper (``*`` for all).

    Without ``students`` one paper (drawn from ``seed``) is written for everyone; with them each
    student gets the paper drawn from (``seed``, student).
    """
    if students:
        assigned = {s: draw(attempt_seed(f"{seed}:{s}", 1), BANK) for s in students}
    else:
        assigned = {"*": draw(seed, BANK)}
    for tasks in {paper_name(t): t for t in assigned.values()}.values():
        write_course(course, tasks, root)
    with open(course / PAPERS_FILE, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "assignment", "tasks"])
        writer.writerows([s, paper_name(t), " ".join(t)] for s, t in assigned.items())
    if students:
        with open(course / "students.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id"])
            writer.writerows([s] for s in students)
    return {s: paper_name(t) for s, t in assigned.items()}
