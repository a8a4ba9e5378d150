"""The tests every lab's class run must pass (see ``class_runs``); ``tests/test_class_<lab>.py`` holds them.

* Both ways: the solution earns every autograded point, the student version none, on every cell;
  Run All on the student version goes past every unanswered task to the last check.
* Round trip: nbgrader's feedback and export work and never show solutions or hidden tests.
* Answer corpus: other correct routes score full on every cell; a wrong answer loses points on the
  cell where the mistake is made and nowhere else, except a later cell whose feedback names the
  earlier task to fix (error carried forward).

One module per lab keeps each lab's class on one xdist worker (``--dist loadfile``), so the labs'
classes grade in parallel.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from class_runs import Case, ClassRun, answer_cells_of, class_run, corpus

from graders.checking import Task
from graders.labs import LABS
from trainerlab.grading.results import VERIFIED

#: Alternative routes and wrong answers each autograded task needs in the corpus, at least.
MIN_CASES = 3


def class_tests(assignment: str) -> dict[str, Callable[..., None]]:
    """The class-run tests of one lab, to be placed in its test module's namespace."""

    @pytest.fixture(scope="module")
    def run(tmp_path_factory: pytest.TempPathFactory, course_templates: Path) -> ClassRun:
        return class_run(assignment, tmp_path_factory.mktemp("class"), course_templates)

    def test_solution_earns_every_autograded_point(run: ClassRun) -> None:
        assert set(run.scores["solved"]) == set(run.maximum), "a graded cell has no score"
        lost = {g: (s, run.outputs["solved"][g][-300:]) for g, s in run.scores["solved"].items()
                if s < run.maximum[g]}
        assert not lost, f"the solution of {assignment} loses points: {lost}"
        # grade-class re-checked every point outside the kernel: the answers crossed as data
        assert run.rechecked == dict.fromkeys(run.maximum, VERIFIED), run.rechecked

    def test_student_version_earns_nothing_on_any_graded_cell(run: ClassRun) -> None:
        release = (run.root / "release" / assignment / LABS[assignment].notebook).read_text(encoding="utf-8")
        for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", ".grade("):
            assert marker not in release, f"{marker!r} leaked into the release"
        assert set(run.scores["untouched"]) == set(run.maximum)
        earning = {g: s for g, s in run.scores["untouched"].items() if s > 0}
        assert not earning, f"these cells give points without any answer (vacuous): {earning}"
        # the learner is told each task is not attempted yet, not shown an error from the grader
        unclear = [g for g, text in run.outputs["untouched"].items() if "Not attempted" not in text]
        assert not unclear, f"these cells do not say 'not attempted': {unclear}"

    def test_run_all_on_the_student_version_goes_past_every_unanswered_task(run: ClassRun) -> None:
        # Run All (JupyterLab's, nbclient's) stops at a cell that raises unless it is tagged
        # ``raises-exception``. Autograded, the untouched notebook shows every cell that raises on a fresh
        # notebook, but its checks: under nbgrader they score instead of raising "not attempted", so they
        # must carry the tag too (``tests/test_practice.py`` runs a real Run All on one lab).
        path = run.root / "autograded" / "untouched" / assignment / LABS[assignment].notebook
        code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        stopping = [c.source.splitlines()[:1] for c in code
                    if (any(o.output_type == "error" for o in c.outputs)
                        or c.metadata.get("nbgrader", {}).get("grade"))
                    and "raises-exception" not in c.metadata.get("tags", [])]
        assert not stopping, f"Run All stops at these cells of a fresh notebook: {stopping}"

    def test_feedback_and_export_round_trip(run: ClassRun) -> None:
        lab = LABS[assignment]
        auto_max = sum(t.points for t in lab.tasks if isinstance(t, Task))
        rows = run.grades_csv
        assert float(rows["solved"]["max_score"]) == pytest.approx(lab.points)
        # written answers wait for a human; the solution earns every autograded point
        assert float(rows["solved"]["raw_score"]) == pytest.approx(auto_max)
        assert float(rows["untouched"]["raw_score"]) == 0
        assert 0 < float(rows[run.partial]["raw_score"]) < auto_max
        for student in ("solved", "untouched", run.partial):
            text = run.feedback(student)
            assert "BEGIN HIDDEN TESTS" not in text and ".grade(" not in text, student
        assert "BEGIN SOLUTION" not in run.feedback("untouched")

    @pytest.mark.parametrize("case", corpus(assignment), ids=lambda c: c.student)
    def test_corpus_answer_is_judged_right(run: ClassRun, case: Case) -> None:
        scores, outputs = run.scores[case.student], run.outputs[case.student]
        assert set(scores) == set(run.maximum), "a graded cell has no score"
        if case.kind == "wrong":
            assert case.loses, "a wrong case names the cells that must lose points"
            kept = {g: why for g, why in case.loses.items() if scores[g] >= run.maximum[g]}
            assert not kept, f"mistakes that cost nothing: {kept}"
        for gid, score in scores.items():
            if gid in case.loses or score >= run.maximum[gid]:
                continue
            if gid in case.carried:
                assert case.carried[gid] in outputs[gid], (
                    f"{gid} loses points for an earlier slip without naming the task to fix: "
                    f"{outputs[gid][-400:]}")
                continue
            pytest.fail(f"{gid} loses {run.maximum[gid] - score:g} points it should not: "
                        f"{outputs[gid][-600:]}")

    def test_corpus_covers_every_autograded_task() -> None:
        cases, owned = corpus(assignment), answer_cells_of(assignment)
        thin = {}
        for task in (t for t in LABS[assignment].tasks if isinstance(t, Task)):
            mine = set(owned[task.grade_id])
            routes = sum(1 for c in cases if c.kind == "alternative" and set(c.answers) & mine)
            mistakes = sum(1 for c in cases if c.kind == "wrong" and task.grade_id in c.loses)
            if routes < MIN_CASES or mistakes < MIN_CASES:
                thin[task.grade_id] = (routes, mistakes)
        assert not thin, f"tasks with fewer than {MIN_CASES} alternatives or wrong answers: {thin}"

    return {name: obj for name, obj in locals().items() if name == "run" or name.startswith("test_")}

