"""The bank as one nbgrader class (``bank_runs``): every task proven both ways and judged on its corpus.

The class's course is the one ``trainerlab exam class`` writes for a class paper, so it also shows
``trainerlab grade-class``, nbgrader's feedback and ``trainerlab report`` working on it unchanged.
"""

from __future__ import annotations

import csv

import pytest
from bank_runs import BankRun, bank_corpus, bank_run
from class_runs import Case
from nbgrader.api import Gradebook

from graders.bank.registry import BANK, paper_lab
from graders.checking import Task
from trainerlab.cli import main
from trainerlab.course import nbgrader

#: Alternative routes and wrong answers each autograded item needs in the corpus, at least.
MIN_CASES = 3
CORPUS = [case for task_id in BANK for case in bank_corpus(task_id)]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> BankRun:
    return bank_run(tmp_path_factory.mktemp("bank"))


def test_solution_earns_every_autograded_point(run: BankRun) -> None:
    assert set(run.scores["solved"]) == set(run.maximum), "a graded cell has no score"
    lost = {g: run.outputs["solved"][g][-300:] for g, s in run.scores["solved"].items() if s < run.maximum[g]}
    assert not lost, f"the bank's solutions lose points: {lost}"


def test_student_version_earns_nothing_and_says_not_attempted(run: BankRun) -> None:
    release = (run.root / "release" / run.assignment / f"{run.assignment}.ipynb").read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", ".grade("):
        assert marker not in release, f"{marker!r} leaked into the release"
    assert set(run.scores["untouched"]) == set(run.maximum)
    earning = {g: s for g, s in run.scores["untouched"].items() if s > 0}
    assert not earning, f"these cells give points without any answer (vacuous): {earning}"
    unclear = [g for g, text in run.outputs["untouched"].items() if "Not attempted" not in text]
    assert not unclear, f"these cells do not say 'not attempted': {unclear}"


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.name)
def test_corpus_answer_is_judged_right(run: BankRun, case: Case) -> None:
    student = run.student_of(case)
    scores, outputs = run.scores[student], run.outputs[student]
    task_id = case.name.split("-")[0]
    mine = {t.grade_id for t in BANK[task_id].lab.tasks if isinstance(t, Task)}
    if case.kind == "wrong":
        kept = {g: why for g, why in case.loses.items() if scores[g] >= run.maximum[g]}
        assert not kept, f"mistakes that cost nothing: {kept}"
    for gid in sorted(mine):
        if gid in case.loses or scores[gid] >= run.maximum[gid]:
            continue
        if gid in case.carried:
            assert case.carried[gid] in outputs[gid], \
                f"{gid} does not name the item to fix: {outputs[gid][-400:]}"
            continue
        pytest.fail(f"{gid} loses {run.maximum[gid] - scores[gid]:g} points it should not: "
                    f"{outputs[gid][-600:]}")


def test_corpus_covers_every_autograded_item() -> None:
    thin = {}
    for task in BANK.values():
        cases = bank_corpus(task.task_id)
        assert all(c.name.startswith(f"{task.task_id}-") for c in cases), "a case is named after its task"
        for item in (t for t in task.lab.tasks if isinstance(t, Task)):
            answer = f"{item.grade_id}_answer"
            routes = sum(1 for c in cases if c.kind == "alternative" and answer in c.answers)
            mistakes = sum(1 for c in cases if c.kind == "wrong" and item.grade_id in c.loses)
            if routes < MIN_CASES or mistakes < MIN_CASES:
                thin[item.grade_id] = (routes, mistakes)
    assert not thin, f"items with fewer than {MIN_CASES} alternatives or wrong answers: {thin}"


def test_the_course_takes_grade_class_feedback_and_the_skill_report(run: BankRun) -> None:
    """The course ``trainerlab exam class`` writes: grade-class scores as autograde did, feedback, report.

    grade-class grades the untouched paper again (cheap: every answer cell stops at once); its worker,
    on a solved paper and with the bank's labs module, is what ``trainerlab exam submit`` runs
    (``tests/test_exam_session.py``).
    """
    course, paper = run.root, run.assignment
    assert main(["grade-class", paper, "--course", str(course), "--no-progress", "--force",
                 "--student", "untouched"]) == 0
    lab = paper_lab(paper)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for gid, score in run.scores["untouched"].items():
            assert gb.find_grade(gid, paper, paper, "untouched").score == score == 0, gid
        assert gb.find_submission(paper, "solved").score == sum(run.maximum.values())

    nbgrader("generate_feedback", paper, "--student", "solved", root=course)
    text = (course / "feedback" / "solved" / paper / f"{paper}.html").read_text(encoding="utf-8")
    assert all(t.title.en in text for t in lab.tasks) and "BEGIN HIDDEN TESTS" not in text

    assert main(["report", "--course", str(course), "--no-charts"]) == 0
    with open(course / "reports" / "skill_units.csv", encoding="utf-8-sig") as handle:
        rows = {(r["student_id"], r["unit"]): r for r in csv.DictReader(handle)}
    assert {u for s, u in rows if s == "solved"} == {t.unit for t in BANK.values()}
    assert all(float(rows[("untouched", t.unit)]["points"]) == 0 for t in BANK.values())
