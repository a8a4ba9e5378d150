"""README's instructor commands, run as written with plain nbgrader on a fresh course (issue 15).

A toy course (the course's own ``nbgrader_config.py`` and the toy lab of ``grading_helpers``) is
driven through the ``nbgrader`` command of this virtual environment with the environment *not*
activated (its ``bin`` folder is not on ``PATH``), as a learner or instructor types it after install.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from html import unescape
from importlib import import_module
from pathlib import Path

import nbformat
import pytest
from grading_helpers import TOY, TOY_MODULE, install_toy_module, submit, toy_answered, write_toy_lab
from notebook_runs import ROOT

from graders.skill_units import skill_unit
from trainerlab.grading.results import REPORT_FILE

pytestmark = pytest.mark.xdist_group("instructor_course")

NBGRADER = Path(sys.executable).parent / "nbgrader"
ANSWERED = "alice"   # every task answered, the written one too
BLANK = "bob"        # the release handed in untouched
EDITED = "carol"     # a locked test cell edited


def _bare_path() -> str:
    """``PATH`` without this virtual environment's ``bin`` (never activated)."""
    scripts = str(Path(sys.executable).parent)
    return os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != scripts)


def nbgrader_cmd(course: Path, *args: str) -> subprocess.CompletedProcess:
    """``.venv/bin/nbgrader ARGS`` run in ``course``, as README writes it."""
    env = dict(os.environ, PATH=_bare_path())
    return subprocess.run([str(NBGRADER), *args], cwd=course, capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh toy course: the course's config and the toy lab, no gradebook yet."""
    base = tmp_path_factory.mktemp("instructor")
    install_toy_module(base / "modules")
    course = base / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(f"\nc.TaskFeedback.labs_module = {TOY_MODULE!r}\n")
    write_toy_lab(course)
    return course


@pytest.fixture(scope="module")
def first_command(course: Path) -> subprocess.CompletedProcess:
    """README's first instructor command on the fresh course."""
    assert not (course / "gradebook.db").exists()
    return nbgrader_cmd(course, "db", "student", "add", ANSWERED)


@pytest.fixture(scope="module")
def autograded(course: Path, first_command: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    """generate_assignment, three submissions, autograde: the autograde run."""
    for student in (BLANK, EDITED):
        assert nbgrader_cmd(course, "db", "student", "add", student).returncode == 0
    generated = nbgrader_cmd(course, "generate_assignment", TOY)
    assert generated.returncode == 0, generated.stderr
    release = nbformat.read(course / "release" / TOY / "toy.ipynb", as_version=4)
    answered = toy_answered(release)
    for cell in answered.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "explain":
            cell.source = "翻倍后求和 / doubled, then summed."
    submit(course, ANSWERED, TOY, "toy.ipynb", answered)
    submit(course, BLANK, TOY, "toy.ipynb", release)
    edited = toy_answered(release)
    for cell in edited.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "total":
            cell.source = "pass  # the check removed"
    submit(course, EDITED, TOY, "toy.ipynb", edited)
    result = nbgrader_cmd(course, "autograde", TOY)
    assert result.returncode == 0, result.stderr
    return result


def test_first_command_on_a_fresh_course_adds_the_student(course: Path,
                                                          first_command: subprocess.CompletedProcess) -> None:
    """Issue 15.2: it crashed with FileNotFoundError 'alembic' and left a gradebook without a version."""
    assert first_command.returncode == 0 and "Traceback" not in first_command.stderr, first_command.stderr
    listed = nbgrader_cmd(course, "db", "student", "list")
    assert re.search(rf"^{ANSWERED} ", listed.stdout, re.MULTILINE), listed.stdout
    with sqlite3.connect(course / "gradebook.db") as db:
        versions = db.execute("SELECT version_num FROM alembic_version").fetchall()
    assert len(versions) == 1 and versions[0][0]


def test_no_relative_root_warning(first_command: subprocess.CompletedProcess,
                                  autograded: subprocess.CompletedProcess) -> None:
    """Issue 15.7: every nbgrader command printed "root '.' is not absolute" two or three times."""
    for run in (first_command, autograded):
        assert "is not absolute" not in run.stderr, run.stderr


def test_checksum_warnings_only_for_a_really_edited_cell(autograded: subprocess.CompletedProcess) -> None:
    """Issue 15.7: every test cell with hidden tests warned "checksum ... has changed!" each time."""
    changed = re.findall(r"Attribute 'checksum' for cell (\S+) has changed", autograded.stderr)
    assert changed == ["total"], autograded.stderr  # carol's edit, nothing of alice's or bob's


def test_grading_runs_the_hidden_tests_and_restores_the_edited_cell(
        course: Path, autograded: subprocess.CompletedProcess) -> None:
    exported = nbgrader_cmd(course, "export", "--to", str(course / "grades.csv"))
    assert exported.returncode == 0, exported.stderr
    header, *rows = (course / "grades.csv").read_text(encoding="utf-8").splitlines()
    records = [dict(zip(header.split(","), row.split(","), strict=True)) for row in rows]
    scores = {r["student_id"]: float(r["score"]) for r in records}
    assert scores == {ANSWERED: 6.0, BLANK: 0.0, EDITED: 6.0}
    for student in scores:
        nb = nbformat.read(course / "autograded" / student / TOY / "toy.ipynb", as_version=4)
        sources = {c.metadata.nbgrader["grade_id"]: c.source for c in nb.cells if "nbgrader" in c.metadata}
        assert all(f"q.{task}.grade(" in sources[task] for task in ("double", "frame", "total")), student


@pytest.fixture(scope="module")
def feedback(course: Path, autograded: subprocess.CompletedProcess) -> dict[str, str]:
    """``nbgrader generate_feedback``: each student's feedback page.

    alice's autograded folder also holds the report ``trainerlab grade-class`` writes beside a notebook.
    """
    (course / "autograded" / ANSWERED / TOY / REPORT_FILE).write_text('{"sandbox": "internal"}',
                                                                      encoding="utf-8")
    result = nbgrader_cmd(course, "generate_feedback", TOY)
    assert result.returncode == 0, result.stderr
    return {s: (course / "feedback" / s / TOY / "toy.html").read_text(encoding="utf-8")
            for s in (ANSWERED, BLANK, EDITED)}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace(" ，", "，")


def test_feedback_names_tasks_and_lists_a_written_answer_as_pending_with_its_rubric(
        feedback: dict[str, str]) -> None:
    """Issue 15.5: items were "Test cell", a written answer read "Score: 0.0 / 2.0", no units."""
    html, text = feedback[ANSWERED], _text(feedback[ANSWERED])
    for task in import_module(TOY_MODULE).LAB.tasks:
        assert f"{task.title.zh} / {task.title.en}" in text
    assert "Test cell" not in html and "Score: 0.0 / 2.0" not in text
    assert "得分 / Score: 6 / 6，另有 2 分待人工评分 / plus 2 points waiting for a teacher" in text
    assert "解释 / Explain L3 · 1.1 待人工评分 / pending · 2 分 / points" in text
    assert "M1 (2): 说清楚 / clear" in text
    for level, code, line in (("L3", "1.1", "2 / 2 2"), ("L3", "2.1", "2 / 2 –"), ("L3", "2.2", "2 / 2 –")):
        name = skill_unit(level, code)
        assert f"{level} {code} {name.zh} / {name.en} {line}" in text


def test_feedback_totals_follow_the_gradebook(feedback: dict[str, str]) -> None:
    assert "得分 / Score: 0 / 8" in _text(feedback[BLANK])  # an unanswered written answer scores 0
    assert "得分 / Score: 6 / 8 #" in _text(feedback[EDITED])  # no written answer: nothing pending


def test_feedback_holds_nothing_internal_and_renders_tables(course: Path, feedback: dict[str, str]) -> None:
    """Issue 15.5: trainerlab_grading.json was copied into feedback; the intro table had no cell borders."""
    folder = course / "feedback" / ANSWERED / TOY
    assert sorted(p.name for p in folder.iterdir()) == ["timestamp.txt", "toy.html"]
    html = feedback[ANSWERED]
    assert "BEGIN HIDDEN TESTS" not in html and ".grade(" not in html
    assert re.search(r"\.rendered_html td\s*\{[^}]*border", html.replace(", .rendered_html th", ""))
