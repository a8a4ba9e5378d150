"""Build a throw-away nbgrader course with a class of made-up submissions of a lab.

Used by the benchmark (``benchmarks/grade_class.py``) and the tests, and handy for trying
``trainerlab grade-class`` without real students. Submissions are made from the lab's own release
and solution: ``correct`` (every answer), ``partial`` (the first half), ``blank`` (the release as
given) and ``broken`` (every answer, but the one in the middle raises, so it and the tasks that
build on it fail).
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.converters import GenerateAssignment
from nbgrader.coursedir import CourseDirectory

from trainerlab.grading.courseconfig import load_course_config
from trainerlab.grading.worker import collecting_logger, speed_up_nbgrader

KINDS = ("correct", "partial", "blank", "broken")


def make_course(target: Path, assignments: Iterable[str], *, course_root: Path) -> Path:
    """A new course at ``target`` with the config and the given labs of ``course_root``, generated."""
    speed_up_nbgrader()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(course_root / "nbgrader_config.py", target / "nbgrader_config.py")
    config = load_course_config(course_root)
    real = CourseDirectory(config=config)
    for assignment in assignments:
        source = Path(real.format_path(real.source_directory, ".", assignment))
        shutil.copytree(source, target / source.relative_to(course_root),
                        ignore=shutil.ignore_patterns(*real.ignore))
        generate(target, assignment)
    return target


def generate(course: Path, assignment: str) -> None:
    """``nbgrader generate_assignment ASSIGNMENT`` for ``course``, in this process."""
    speed_up_nbgrader()
    config = load_course_config(course)
    config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    config.CourseDirectory.assignment_id = assignment
    config.BaseConverter.force = True
    log, collected = collecting_logger("trainerlab.grading.democlass")
    try:
        GenerateAssignment(coursedir=CourseDirectory(config=config, log=log), config=config, log=log).start()
    except (Exception, SystemExit) as exc:
        log = "\n".join(m for _, m in collected.records)
        raise RuntimeError(f"generate_assignment failed:\n{log}") from exc


def _strip_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines()
                     if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


def solutions(source: nbformat.NotebookNode) -> dict[str, str]:
    """The solution code of every answer cell of a source notebook, by grade id."""
    return {c.metadata["nbgrader"]["grade_id"]: _strip_markers(c.source) for c in source.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}


def student_notebook(release: nbformat.NotebookNode, answers: dict[str, str],
                     kind: str) -> nbformat.NotebookNode:
    """A learner's notebook of the given ``kind`` (see the module docstring)."""
    nb = copy.deepcopy(release)
    cells = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
    if kind == "blank":
        return nb
    keep = cells[: max(len(cells) // 2, 1)] if kind == "partial" else cells
    for i, cell in enumerate(keep):
        cell.source = answers[cell.metadata["nbgrader"]["grade_id"]]
        if kind == "broken" and i == len(keep) // 2:
            cell.source = "raise RuntimeError('学员代码出错 / the learner broke this cell')\n" + cell.source
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    return nb


def make_class(course: Path, assignment: str, students: int, *, kinds: Sequence[str] = KINDS,
               timestamp: str = "2026-11-20 10:00:00.000000 UTC") -> dict[str, str]:
    """Write ``students`` submissions (cycling through ``kinds``) into ``submitted/``; name -> kind."""
    config = load_course_config(course)
    coursedir = CourseDirectory(config=config)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        names = [nb.name for nb in gb.find_assignment(assignment).notebooks]
    made = {}
    for name in names:
        release = nbformat.read(Path(coursedir.format_path(coursedir.release_directory, ".", assignment))
                                / f"{name}.ipynb", as_version=4)
        source = nbformat.read(Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
                               / f"{name}.ipynb", as_version=4)
        answers = solutions(source)
        for i in range(students):
            student, kind = f"student{i + 1:03d}", kinds[i % len(kinds)]
            folder = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(student_notebook(release, answers, kind), str(folder / f"{name}.ipynb"))
            (folder / "timestamp.txt").write_text(timestamp, encoding="utf-8")
            made[student] = kind
    return made


def gradebook_rows(db: Path, assignment: str) -> dict[tuple[str, ...], tuple]:
    """What autograding wrote for ``assignment``: grades, automatic comments, submission times."""
    rows: dict[tuple[str, ...], tuple] = {}
    with Gradebook(f"sqlite:///{db}") as gb:
        for submission in gb.find_assignment(assignment).submissions:
            student = submission.student.id
            rows[("submission", student)] = (submission.timestamp, submission.late_submission_penalty)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    rows[("grade", student, notebook.name, grade.name)] = (
                        grade.score, grade.auto_score, grade.manual_score, grade.needs_manual_grade)
                for comment in notebook.comments:
                    rows[("comment", student, notebook.name, comment.name)] = (comment.auto_comment,)
    return rows


def differences(db_a: Path, db_b: Path, assignment: str, *, scores_only: bool = False) -> list[str]:
    """Rows that differ between two gradebooks (``scores_only``: compare only each cell's score)."""
    a, b = gradebook_rows(db_a, assignment), gradebook_rows(db_b, assignment)
    if scores_only:
        a = {k: v[:1] for k, v in a.items() if k[0] == "grade"}
        b = {k: v[:1] for k, v in b.items() if k[0] == "grade"}
    diffs = [f"{key}: only in one gradebook" for key in sorted(set(a) ^ set(b))]
    diffs += [f"{key}: {a[key]} != {b[key]}" for key in sorted(set(a) & set(b)) if a[key] != b[key]]
    return diffs
