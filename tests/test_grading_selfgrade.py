"""``trainerlab grade NOTEBOOK``: a learner's copy is graded with its lab's hidden tests."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path

import nbformat
import pytest
from notebook_runs import ROOT, lab_source

from graders.checking import Task, WrittenTask
from graders.labs import LABS
from graders.skill_units import skill_unit
from trainerlab.cli import main
from trainerlab.grading import democlass
from trainerlab.grading.commands import notebook_path
from trainerlab.grading.results import MANUAL, VERIFIED
from trainerlab.grading.selfgrade import OUTDATED_COPY, NotALab, find_lab, render, self_grade

pytestmark = pytest.mark.xdist_group("grading_selfgrade")


#: One lab of each level: a learner's copy is found, graded and reported the same way for every lab.
#: (That every lab's answers can be re-checked outside the kernel is shown by its class run, whose
#: solution ``grade-class`` grades: ``tests/lab_class_tests.py``.)
ONE_LAB_PER_LEVEL = sorted({lab.level: name for name, lab in sorted(LABS.items(), reverse=True)}.values())


@pytest.mark.parametrize("assignment", ONE_LAB_PER_LEVEL)
def test_solution_earns_every_point_and_every_point_is_rechecked(assignment: str, tmp_path: Path) -> None:
    notebook = tmp_path / "my_work.ipynb"
    shutil.copy(lab_source(assignment), notebook)
    graded = self_grade(notebook, course_root=ROOT)
    lab, result = LABS[assignment], graded.result
    assert graded.lab is lab and result.status == "graded", result.issues or result.error
    cells = {c.grade_id: c for c in result.cells}
    for task in lab.tasks:
        cell = cells[task.grade_id]
        if isinstance(task, WrittenTask):
            assert cell.check == MANUAL
        else:
            assert (cell.auto_score, cell.check) == (task.points, VERIFIED), (task.grade_id, cell.note)
    html = graded.feedback.read_text(encoding="utf-8")
    assert graded.feedback == tmp_path / "my_work_feedback.html"
    assert "BEGIN HIDDEN TESTS" not in html and ".grade(" not in html
    text = render(graded)
    for task in lab.tasks:
        name = skill_unit(task.level, task.unit)
        assert f"{task.level} {task.unit} {name.zh} / {name.en}" in text
    auto = sum(t.points for t in lab.tasks if isinstance(t, Task))
    assert f"Autograded total: {auto:g}/{auto:g}" in text
    assert "pending" in text or not any(isinstance(t, WrittenTask) for t in lab.tasks)
    # the feedback page shows the same facts (issue 15.5)
    page = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    pending = sum(t.points for t in lab.tasks if isinstance(t, WrittenTask))
    assert f"得分 / Score: {auto:g} / {auto:g}" in page and "Test cell" not in page
    assert not pending or f"另有 {pending:g} 分待人工评分" in page
    for task in lab.tasks:
        assert f"{task.title.zh} / {task.title.en} {task.level} · {task.unit}" in page


@pytest.fixture(scope="module")
def data_cleaning_release(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    course = democlass.make_course(tmp_path_factory.mktemp("release"), ["data_cleaning"], course_root=ROOT)
    return nbformat.read(course / "release" / "data_cleaning" / "data_cleaning_l3.ipynb", as_version=4)


def test_untouched_release_scores_nothing_and_lists_the_rubrics(data_cleaning_release: nbformat.NotebookNode,
                                                                 tmp_path: Path) -> None:
    notebook = tmp_path / "data_cleaning_l3.ipynb"
    old_copy = nbformat.from_dict(json.loads(json.dumps(data_cleaning_release)))
    old_copy.metadata["trainerlab"] = {"lab_digest": "made-from-an-older-lab"}  # a stamped practice copy
    nbformat.write(old_copy, str(notebook))
    before = notebook.read_bytes()
    graded = self_grade(notebook, course_root=ROOT)
    assert graded.result.auto_points == 0 and graded.result.auto_max == 30
    text = render(graded)
    assert "Autograded total: 0/30" in text and "M1 (1):" in text and "✗" in text
    # a written answer left blank earns 0 at once, as in nbgrader's feedback: it waits for nobody
    written = [t for t in LABS["data_cleaning"].tasks if isinstance(t, WrittenTask)]
    assert text.count("（未作答 / not answered）") == len(written) and "Waiting for a teacher" not in text
    assert f"Written answers left blank: {len(written)} (0/{sum(t.points for t in written):g}" in text
    assert graded.outdated and OUTDATED_COPY in text
    assert notebook.read_bytes() == before, "self-grading must not touch the learner's file"


def test_tampered_check_is_caught_through_the_command_line(
        data_cleaning_release: nbformat.NotebookNode, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    source = nbformat.read(lab_source("data_cleaning"), as_version=4)
    answers = democlass.solutions(source)
    answers["quality_summary_answer"] = ("q.summary.check = lambda *a, **k: None\n"
                                         "q.summary.grade = lambda *a, **k: 2.0\nquality_summary = None")
    notebook = tmp_path / "cheat.ipynb"
    nb = democlass.student_notebook(data_cleaning_release, answers, "correct")
    nbformat.write(nb, str(notebook))
    html = tmp_path / "out" / "report.html"
    html.parent.mkdir()
    assert main(["grade", str(notebook), "--html", str(html)]) == 0
    printed = capsys.readouterr().out
    assert "Autograded total: 28/30" in printed and "re-checked outside the notebook" in printed
    assert html.is_file()


def test_a_notebook_of_no_lab_is_refused(tmp_path: Path) -> None:
    notebook = tmp_path / "other.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), str(notebook))
    with pytest.raises(NotALab):
        find_lab(notebook, LABS)
    assert main(["grade", str(notebook)]) == 2


def test_a_path_copied_in_jupyterlab_is_found_from_any_terminal_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "practice"
    (root / "data_cleaning").mkdir(parents=True)
    (root / "data_cleaning" / "lab.ipynb").write_text("{}", encoding="utf-8")
    elsewhere = root / "data_cleaning"
    monkeypatch.chdir(elsewhere)  # a terminal opened in the notebook's folder
    copied = "data_cleaning/lab.ipynb"  # "Copy Path" is relative to the server's root
    assert notebook_path(copied, {"JUPYTER_SERVER_ROOT": str(root)}) == root / copied
    assert notebook_path("lab.ipynb", {"JUPYTER_SERVER_ROOT": str(root)}) == Path("lab.ipynb")
    assert notebook_path(copied, {}) == Path(copied)  # outside Jupyter: as given, so the error names it
    assert notebook_path("nowhere.ipynb", {"JUPYTER_SERVER_ROOT": str(root)}) == Path("nowhere.ipynb")
