"""An instructor's class paper (``trainerlab exam class``): the course it writes (no nbgrader run here).

The class run of the whole bank (``tests/test_exam_bank_class.py``) grades a course written by the same
:func:`trainerlab.exam.paper.write_course` with plain nbgrader, ``trainerlab grade-class``, feedback and
``trainerlab report``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from notebook_runs import ROOT

from graders.bank.registry import BANK, paper_task_ids
from graders.skill_units import L3_EXAM
from trainerlab.cli import main
from trainerlab.exam.classpaper import PAPERS_FILE, class_papers
from trainerlab.grading.commands import labs_module


def test_one_paper_for_the_class_is_an_nbgrader_course(tmp_path: Path, capsys) -> None:
    course = tmp_path / "mock"
    assert main(["exam", "class", str(course), "--seed", "11"]) == 0
    (paper,) = class_papers(course, root=ROOT, seed=11).values()
    assert paper in capsys.readouterr().out
    ids = paper_task_ids(paper)
    assert [BANK[i].points for i in ids] == [t.points for t in L3_EXAM]
    assert (course / "labs" / paper / f"{paper}.ipynb").is_file()
    assert labs_module(course) == "graders.bank.registry" and labs_module(ROOT) == "graders.labs"


def test_one_paper_per_student_is_written_for_the_class(tmp_path: Path) -> None:
    papers = class_papers(tmp_path, root=ROOT, seed=4, students=["s1", "s2", "s3", "s4"])
    assert set(papers) == {"s1", "s2", "s3", "s4"} and len(set(papers.values())) > 1
    for paper in set(papers.values()):
        assert paper_task_ids(paper) and (tmp_path / "labs" / paper / f"{paper}.ipynb").is_file()
    with open(tmp_path / PAPERS_FILE, encoding="utf-8") as handle:
        assert {r["student_id"]: r["assignment"] for r in csv.DictReader(handle)} == papers
    assert (tmp_path / "students.csv").read_text(encoding="utf-8").split() == ["id", "s1", "s2", "s3", "s4"]
