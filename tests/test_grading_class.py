"""``grade_class`` on a real lab gives exactly what sequential nbgrader gives.

The same class (correct, partial, blank and broken submissions) is graded twice: by plain
``nbgrader autograde`` and by ``grade_class`` with two worker processes. Every gradebook row
autograding writes must be identical, and nbgrader's own tools must work on the result.
"""

from __future__ import annotations

import csv
import shutil

import nbformat
import pytest
from grading_helpers import tree_hash
from notebook_runs import ROOT

from graders.checking import Task
from graders.labs import LABS
from trainerlab.course import nbgrader
from trainerlab.grading import democlass
from trainerlab.grading.classgrade import ClassRun, grade_class, render_class
from trainerlab.grading.results import REPORT_FILE, VERIFIED, SubmissionResult

pytestmark = pytest.mark.xdist_group("grading_real_class")

# the quickest real lab to execute with all kinds of graded cell: tables, dicts, files and written answers
LAB = "business_analysis"
NOTEBOOK = LABS[LAB].notebook
GRADED_CELLS = len(LABS[LAB].tasks)  # one graded cell per task, autograded or written
AUTO_POINTS = sum(t.points for t in LABS[LAB].tasks if isinstance(t, Task))


@pytest.fixture(scope="module")
def two_gradings(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("real_class")
    template = democlass.make_course(base / "template", [LAB], course_root=ROOT)
    kinds = democlass.make_class(template, LAB, 4)
    plain, ours = base / "plain", base / "ours"
    shutil.copytree(template, plain)
    shutil.copytree(template, ours)
    before = tree_hash(ours / "submitted")
    nbgrader("autograde", LAB, root=plain)
    run = grade_class(ours, LAB, jobs=2, progress=False)
    return {"plain": plain, "ours": ours, "kinds": kinds, "run": run, "before": before}


def test_every_kind_of_submission_is_in_the_class(two_gradings: dict) -> None:
    assert sorted(two_gradings["kinds"].values()) == sorted(democlass.KINDS)
    run = two_gradings["run"]
    # the whole error (nbgrader's traceback included), not a shortened repr of the result
    assert not run.errors, "\n\n".join(f"{r.student}: {r.error}" for r in run.errors)
    assert len(run.results) == 4 and not run.skipped


def test_gradebook_identical_to_sequential_nbgrader(two_gradings: dict) -> None:
    plain, ours = two_gradings["plain"] / "gradebook.db", two_gradings["ours"] / "gradebook.db"
    rows = democlass.gradebook_rows(plain, LAB)
    assert len([k for k in rows if k[0] == "grade"]) == 4 * GRADED_CELLS
    assert democlass.differences(plain, ours, LAB) == []
    scores = {k[1]: 0.0 for k in rows if k[0] == "grade"}
    for key, value in rows.items():
        if key[0] == "grade":
            scores[key[1]] += value[0]
    by_kind = {two_gradings["kinds"][s]: v for s, v in scores.items()}
    assert by_kind["correct"] == AUTO_POINTS and by_kind["blank"] == 0
    assert 0 < by_kind["partial"] < AUTO_POINTS and 0 < by_kind["broken"] < AUTO_POINTS


def test_autograded_notebooks_have_the_same_test_outputs(two_gradings: dict) -> None:
    for student in two_gradings["kinds"]:
        left, right = (nbformat.read(two_gradings[side] / "autograded" / student / LAB / NOTEBOOK,
                                     as_version=4) for side in ("plain", "ours"))
        for a, b in zip(left.cells, right.cells, strict=True):
            if a.cell_type == "code" and a.metadata.get("nbgrader", {}).get("grade"):
                assert _outputs(a) == _outputs(b), (student, a.metadata["nbgrader"]["grade_id"])


def _outputs(cell: nbformat.NotebookNode) -> tuple:
    """Printed text per stream (how the kernel split it into chunks is timing), results and errors."""
    streams = {name: "".join(o.text for o in cell.outputs if o.get("name") == name)
               for name in ("stdout", "stderr")}
    others = [(o.output_type, o.get("data", {}).get("text/plain") or o.get("ename"))
              for o in cell.outputs if o.output_type != "stream"]
    return streams, others


def test_every_autograded_point_was_rechecked(two_gradings: dict) -> None:
    for result in two_gradings["run"].results:
        earned = [c for c in result.cells if (c.auto_score or 0) > 0]
        assert all(c.check == VERIFIED for c in earned), result.student
        report = two_gradings["ours"] / "autograded" / result.student / LAB / REPORT_FILE
        assert result.files_hash and report.is_file()


def test_submitted_files_are_never_modified(two_gradings: dict) -> None:
    assert tree_hash(two_gradings["ours"] / "submitted") == two_gradings["before"]


def test_feedback_and_export_work_on_the_result(two_gradings: dict) -> None:
    ours, plain = two_gradings["ours"], two_gradings["plain"]
    nbgrader("generate_feedback", LAB, root=ours)
    for student in two_gradings["kinds"]:
        page = ours / "feedback" / student / LAB / NOTEBOOK.replace(".ipynb", ".html")
        html = page.read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" not in html and ".grade(" not in html
    exports = []
    for course in (plain, ours):
        nbgrader("export", root=course)
        with open(course / "grades.csv", encoding="utf-8") as handle:
            exports.append({r["student_id"]: (r["raw_score"], r["score"], r["max_score"])
                            for r in csv.DictReader(handle)})
    assert exports[0] == exports[1]


def test_second_run_resumes_and_regrades_only_changed_work(two_gradings: dict) -> None:
    ours = two_gradings["ours"]
    again = grade_class(ours, LAB, jobs=2, progress=False)
    assert again.results == [] and sorted(again.skipped) == sorted(two_gradings["kinds"])
    blank = next(s for s, k in two_gradings["kinds"].items() if k == "blank")
    notebook = ours / "submitted" / blank / LAB / NOTEBOOK
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("resubmitted"))
    nbformat.write(nb, str(notebook))
    changed = grade_class(ours, LAB, jobs=2, progress=False)
    assert [r.student for r in changed.results] == [blank]
    assert len(changed.skipped) == 3


def test_a_submission_the_grader_could_not_grade_is_reported_with_its_cause() -> None:
    # What the worker keeps when nbgrader's Autograde fails: the exception it ended with, then the
    # tail of nbgrader's error log (the traceback of the failed conversion, then its generic lines).
    error = ("NbGraderException: Please see the the above traceback for details on the specific errors on "
             "the above failures.\n"
             "There was an error processing assignment: /tmp/course/submitted/alice/guidance\n"
             "Traceback (most recent call last):\n"
             '  File "nbgrader/converters/base.py", line 390, in convert_notebooks\n'
             "    self.convert_single_notebook(notebook_filename)\n"
             "RuntimeError: Kernel didn't respond in 60 seconds\n"
             "There was an error processing assignment 'guidance' for student 'alice'\n"
             "Please see the the above traceback for details on the specific errors on the above failures.")
    failed = SubmissionResult("alice", "guidance", "error", error=error)
    assert failed.cause == "RuntimeError: Kernel didn't respond in 60 seconds"
    run = ClassRun("guidance", results=[failed])
    assert "RuntimeError: Kernel didn't respond in 60 seconds" in render_class(run)
    # without a traceback, the first line says what went wrong
    plain = SubmissionResult("bob", "guidance", "error", error="writing the result failed: OSError(28)\nmore")
    assert plain.cause == "writing the result failed: OSError(28)"
