"""Read and write the course's nbgrader gradebook exactly where ``nbgrader autograde`` would."""

from __future__ import annotations

import sqlite3
import time
import warnings
from datetime import datetime
from pathlib import Path

from nbgrader.api import Base, Gradebook, MissingEntry
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError, SAWarning

from trainerlab.grading.courseconfig import sqlite_file
from trainerlab.grading.results import SubmissionResult


def snapshot(db: Path, target: Path) -> Path:
    """A consistent copy of the SQLite gradebook ``db`` at ``target`` (safe while it is in use)."""
    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return target


def worker_copy(db_url: str, target: Path) -> Path:
    """An SQLite gradebook at ``target`` holding what the gradebook at ``db_url`` holds now.

    Grading workers autograde into such a copy, never into the course's gradebook. An SQLite
    gradebook is copied with SQLite's backup; any other database (PostgreSQL on a hub) is read
    table by table into a new SQLite gradebook of nbgrader's schema, so the worker sees the same
    assignments, students, submissions and grades either way.
    """
    path = sqlite_file(db_url)
    if path is not None:
        return snapshot(path, target)
    with Gradebook(f"sqlite:///{target}"):  # nbgrader's tables and alembic stamp
        pass
    source, copy = create_engine(db_url), create_engine(f"sqlite:///{target}")
    try:
        with source.connect() as read, copy.begin() as write:
            for table in reversed(Base.metadata.sorted_tables):
                write.execute(table.delete())  # the course row Gradebook() adds
            for table in Base.metadata.sorted_tables:
                rows = [dict(row._mapping) for row in read.execute(table.select())]
                if rows:
                    write.execute(table.insert(), rows)
    finally:
        source.dispose()
        copy.dispose()
    return target


def has_assignment(db_url: str, assignment: str) -> bool:
    """Whether ``nbgrader generate_assignment`` has recorded ``assignment`` in the gradebook."""
    with Gradebook(db_url) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            return False
    return True


def submitters(db_url: str, assignment: str) -> set[str]:
    """Students whose submission of ``assignment`` the gradebook holds."""
    with Gradebook(db_url) as gb:
        try:
            return {s.student.id for s in gb.find_assignment(assignment).submissions}
        except MissingEntry:
            return set()


def merge(db_url: str, result: SubmissionResult, timestamp: datetime | None, *, attempts: int = 5) -> None:
    """Write one graded submission into the gradebook, as nbgrader's Autograde would.

    Only what autograding sets is written — the student and submission rows, the submission time,
    each cell's ``auto_score`` and ``needs_manual_grade``, automatic comments and late penalties —
    so manual grades and comments made in formgrader are kept. Retries while another program
    (formgrader) holds the SQLite lock.
    """
    for attempt in range(attempts):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SAWarning)  # nbgrader's harmless autoflush warnings
                _merge_once(db_url, result, timestamp)
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.5 * (attempt + 1))


def _merge_once(db_url: str, result: SubmissionResult, timestamp: datetime | None) -> None:
    assignment, student = result.assignment, result.student
    with Gradebook(db_url) as gb:
        gb.update_or_create_student(student)
        if timestamp is not None:
            gb.update_or_create_submission(assignment, student, timestamp=timestamp)
        else:
            gb.update_or_create_submission(assignment, student)
        for cell in result.cells:
            grade = gb.find_grade(cell.grade_id, cell.notebook, assignment, student)
            grade.auto_score = cell.auto_score
            grade.needs_manual_grade = cell.needs_manual_grade
        for notebook, name, text in result.comments:
            gb.find_comment(name, notebook, assignment, student).auto_comment = text
        for notebook, penalty in result.late_penalties.items():
            gb.find_submission_notebook(notebook, assignment, student).late_submission_penalty = penalty
        gb.db.commit()
