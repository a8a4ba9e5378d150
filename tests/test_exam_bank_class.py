"""The bank as one nbgrader class (``bank_runs``): every task proven both ways and judged on its corpus."""

from __future__ import annotations

import pytest
from bank_runs import BankRun, bank_corpus, bank_run
from class_runs import Case

from graders.bank.registry import BANK
from graders.checking import Task

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
