"""A course on JupyterHub, end to end: nbgrader's exchange, ``grade-class`` and formgrader on PostgreSQL.

A real PostgreSQL and a real JupyterHub (``deploy/hub/jupyterhub_config.py``: simple local spawner,
test-only DummyAuthenticator) on loopback. Through the hub's REST API an instructor and three
students are created and their servers started; everything else happens in those servers, through
their REST APIs (contents, kernels) and formgrader's HTTP API, as the people would do it:

the instructor generates and releases ``guidance``; each student fetches it, answers (a whole
corpus alternative, a corpus answer with real mistakes, nothing) and submits; the instructor
collects, runs ``trainerlab grade-class`` against the PostgreSQL gradebook, grades the written
answers in formgrader, writes the skill-unit report, generates and releases feedback; each student
fetches the feedback. Every score in the gradebook and each student's feedback page is checked.
"""

from __future__ import annotations

import html
import os
import re
import resource
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from class_runs import corpus, with_answers
from hub_services import ROOT, Hub, jupyterhub, missing_services, postgres

from graders.checking import Task, WrittenTask
from graders.labs import LABS
from trainerlab.grading.democlass import solutions

MISSING = missing_services()
if MISSING and os.environ.get("CI"):  # .ci/run installs them all: missing there is a failure
    raise RuntimeError(f"the hub course cannot be tested: {MISSING}")
pytestmark = pytest.mark.skipif(MISSING is not None,
                                reason=f"the hub course cannot be tested here: {MISSING}")

LAB = "guidance"
COURSE_ID = "trainerlab-l3"  # deploy/hub's default
#: where a student's fetched lab lands (nbgrader's Exchange.path_includes_course)
FOLDER = f"{COURSE_ID}/{LAB}"
INSTRUCTOR = "teacher"
NOTEBOOK = LABS[LAB].notebook
CASES = {case.name: case for case in corpus(LAB)}
FULL = next(c for c in CASES.values() if c.kind == "alternative")
PARTIAL = next(c for c in CASES.values() if c.kind == "wrong")
STUDENTS = {"alice": FULL, "bob": PARTIAL, "carol": None}  # carol submits the notebook as released


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def answered(release: dict, case_answers: dict[str, str] | None) -> dict:
    """The released notebook with every answer cell filled from the source and ``case_answers``.

    ``None`` leaves it as released. Written answers get the source's model answer.
    """
    if case_answers is None:
        return release
    source = nbformat.read(ROOT / "labs" / LAB / NOTEBOOK, as_version=4)
    filled = {**solutions(source), **case_answers}
    model = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
             if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution")}
    return with_answers(nbformat.from_dict(release), {**filled, **model})


def shell(hub: Hub, user: str, *command: str) -> str:
    """Run ``command`` in ``user``'s server; its output (a failure fails the test with it)."""
    done = hub.shell(user, *command)
    assert done.returncode == 0, f"{user}: {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def student_turn(hub: Hub, student: str) -> None:
    """Fetch the lab, answer it through the contents API, submit."""
    shell(hub, student, "nbgrader", "fetch_assignment", LAB)
    path = f"/api/contents/{FOLDER}/{NOTEBOOK}"
    release = hub.server(student, "GET", path).json()["content"]
    case = STUDENTS[student]
    notebook = answered(release, None if case is None else dict(case.answers))
    hub.server(student, "PUT", path, json={"type": "notebook", "format": "json", "content": notebook})
    shell(hub, student, "nbgrader", "submit", LAB)


def fetch_feedback(hub: Hub, student: str) -> str:
    """Fetch the released feedback; the text of its HTML page, read through the contents API."""
    shell(hub, student, "nbgrader", "fetch_feedback", LAB)
    folders = hub.server(student, "GET", f"/api/contents/{FOLDER}/feedback").json()["content"]
    assert len(folders) == 1, folders
    page = NOTEBOOK.replace(".ipynb", ".html")
    text = hub.server(student, "GET", f"/api/contents/{folders[0]['path']}/{page}",
                      params={"type": "file", "format": "text"}).json()["content"]
    return _text(text)


def formgrade(hub: Hub, manual: dict[str, dict[str, float]]) -> None:
    """Give the written answers their points in formgrader (its HTTP API, as its page does)."""
    api = "/formgrader/api"
    submissions = hub.server(INSTRUCTOR, "GET", f"{api}/submitted_notebooks/{LAB}/{NOTEBOOK[:-6]}").json()
    assert sorted(s["student"] for s in submissions) == sorted(STUDENTS), submissions
    for submission in submissions:
        points = manual.get(submission["student"], {})
        grades = hub.server(INSTRUCTOR, "GET", f"{api}/grades",
                            params={"submission_id": submission["id"]}).json()
        for grade in grades:
            if grade["name"] in points:
                saved = hub.server(INSTRUCTOR, "PUT", f"{api}/grade/{grade['id']}",
                                   json={"manual_score": points[grade["name"]], "extra_credit": None}).json()
                assert saved["manual_score"] == points[grade["name"]], saved


def gradebook_scores(url: str) -> dict[str, dict[str, float]]:
    """Per student, per graded cell: the score the PostgreSQL gradebook holds."""
    from nbgrader.api import Gradebook

    with Gradebook(url, course_id=COURSE_ID) as gb:
        return {student: {g.name: float(g.score) for g in gb.find_submission_notebook(
                    NOTEBOOK[:-6], LAB, student).grades} for student in STUDENTS}


def test_a_hub_course_releases_collects_grades_on_postgres_and_returns_feedback(tmp_path: Path) -> None:
    started = time.monotonic()
    own = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = own.ru_utime + own.ru_stime
    lab = LABS[LAB]
    auto = {t.grade_id: t.points for t in lab.tasks if isinstance(t, Task)}
    written = {t.grade_id: t.points for t in lab.tasks if isinstance(t, WrittenTask)}
    # alice's written answers earn full marks; bob's first earns 1 point, the others wait; carol wrote none
    manual = {"alice": dict(written), "bob": {next(iter(written)): 1.0}}
    with postgres() as url, jupyterhub(tmp_path / "hub", gradebook_url=url) as hub:
        hub.api("POST", "/users", json={"usernames": [INSTRUCTOR, *STUDENTS]})
        hub.api("POST", "/groups/instructors", json={"users": [INSTRUCTOR]})
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(hub.start_server, [INSTRUCTOR, *STUDENTS]))
        shell(hub, INSTRUCTOR, "nbgrader", "generate_assignment", LAB)
        shell(hub, INSTRUCTOR, "nbgrader", "release_assignment", LAB)
        with ThreadPoolExecutor(3) as pool:
            list(pool.map(lambda s: student_turn(hub, s), STUDENTS))
        collected = shell(hub, INSTRUCTOR, "nbgrader", "collect", LAB)
        assert "cheating" not in collected, collected
        graded = shell(hub, INSTRUCTOR, "trainerlab", "grade-class", LAB)
        assert "3 份已评分 / graded" in graded, graded
        formgrade(hub, manual)
        shell(hub, INSTRUCTOR, "trainerlab", "report", "--no-charts")  # per skill unit, from PostgreSQL
        report = hub.server(INSTRUCTOR, "GET", "/api/contents/reports/skill_units.csv",
                            params={"type": "file", "format": "text"}).json()["content"]
        shell(hub, INSTRUCTOR, "nbgrader", "generate_feedback", LAB)
        shell(hub, INSTRUCTOR, "nbgrader", "release_feedback", LAB)
        with ThreadPoolExecutor(3) as pool:
            pages = dict(zip(STUDENTS, pool.map(lambda s: fetch_feedback(hub, s), STUDENTS), strict=True))
        scores = gradebook_scores(url)
        hub_cpu = hub.cpu_seconds()

    assert scores["alice"] == {**auto, **written}, "another correct route scores full, written graded full"
    assert scores["carol"] == dict.fromkeys({**auto, **written}, 0.0), "a blank notebook scores nothing"
    bob = scores["bob"]
    for cell, mistake in PARTIAL.loses.items():
        assert bob[cell] < auto[cell], f"bob's mistake ({mistake}) must cost points on {cell}"
    untouched = set(auto) - set(PARTIAL.loses) - set(PARTIAL.carried)
    assert {c: bob[c] for c in untouched} == {c: auto[c] for c in untouched}
    assert {c: bob[c] for c in written} == {c: manual["bob"].get(c, 0.0) for c in written}
    assert sorted({line.split(",")[0] for line in report.splitlines()[1:]}) == sorted(STUDENTS), report
    total = sum({**auto, **written}.values())
    for student, page in pages.items():
        # written answers the instructor has not graded yet are pending (carol's blank ones score 0)
        pending = 0 if student == "carol" else sum(p for c, p in written.items() if c not in manual[student])
        expected = f"得分 / Score: {sum(scores[student].values()):g} / {total - pending:g}"
        if pending:
            expected += f" ，另有 {pending:g} 分待人工评分"
        assert expected in page, f"{student}'s feedback: {expected!r} not in {page[:600]!r}"
        assert "BEGIN HIDDEN TESTS" not in page
    own = resource.getrusage(resource.RUSAGE_SELF)
    cpu = own.ru_utime + own.ru_stime - cpu_before + hub_cpu
    print(f"\nhub course, {len(STUDENTS)} students, end to end: {time.monotonic() - started:.1f} s wall, "
          f"{cpu:.0f} CPU s (this test, the hub, the servers, their kernels and commands; not PostgreSQL)")


def test_grade_class_reads_a_postgres_gradebook_for_its_workers(tmp_path: Path) -> None:
    """Before: grade-class refused any gradebook but SQLite ("only SQLite gradebooks are supported")."""
    from nbgrader.api import Gradebook

    from trainerlab.grading.courseconfig import tools_on_path
    from trainerlab.grading.gradebook import worker_copy

    tools_on_path()
    with postgres() as url:
        with Gradebook(url) as gb:
            gb.add_assignment("a1")
            gb.add_student("alice", first_name="爱丽丝")
            gb.update_or_create_submission("a1", "alice")
        copy = worker_copy(url, tmp_path / "copy.db")
    with Gradebook(f"sqlite:///{copy}") as gb:
        assert [s.id for s in gb.students] == ["alice"] and gb.find_student("alice").first_name == "爱丽丝"
        assert [s.student.id for s in gb.find_assignment("a1").submissions] == ["alice"]


def test_grade_class_names_a_gradebook_it_cannot_reach_without_its_password(tmp_path: Path) -> None:
    from hub_services import free_port

    from trainerlab.grading.classgrade import GradingError, grade_class

    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.db_url = 'postgresql+psycopg://grader:s3cret@127.0.0.1:{free_port()}/gradebook'\n",
        encoding="utf-8")
    with pytest.raises(GradingError, match="cannot open the gradebook") as raised:
        grade_class(tmp_path, LAB, progress=False)
    assert "s3cret" not in str(raised.value) and "127.0.0.1" in str(raised.value)
