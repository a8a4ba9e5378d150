"""Feedback a learner understands: ``nbgrader generate_feedback`` with task names, pending answers, units.

nbgrader's own feedback page labels items "Test cell", scores an ungraded written answer 0 and has
no skill units. ``nbgrader_config.py`` runs :class:`TaskFeedback` after nbgrader's ``GetGrades`` and
renders with the ``trainerlab_feedback`` template (:data:`TEMPLATES`), so ``generate_feedback``,
formgrader's feedback and ``trainerlab grade`` all show the facts ``trainerlab grade`` prints:
every task with its points, written answers not graded yet as pending with their rubric, the
total so far and the points per skill unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from graders.checking import Lab, WrittenTask
from graders.skill_units import skill_unit
from trainerlab.grading.integrity import course_lab
from trainerlab.grading.summary import totals, unit_totals

#: The folder of the feedback template (``HTMLExporter.extra_template_basedirs``).
TEMPLATES = Path(__file__).resolve().parent.parent / "feedback_templates"
TEMPLATE = "trainerlab_feedback"


class TaskFeedback(NbGraderPreprocessor):
    """Put the lab's tasks, their scores (``None`` = pending) and unit totals into ``resources``."""

    labs_module = Unicode("graders.labs",
                          help="The module whose LABS maps assignments to labs.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        """Read every task's grade from the gradebook into ``resources['trainerlab']``."""
        resources["trainerlab_css"] = (TEMPLATES / TEMPLATE / "feedback.css").read_text(encoding="utf-8")
        info = resources["nbgrader"]
        lab = course_lab(self.labs_module, info["assignment"])
        if lab is None or Path(lab.notebook).stem != info["notebook"]:
            resources["trainerlab"] = None
            return nb, resources
        scores: dict[str, float | None] = {}
        where = (info["notebook"], info["assignment"], info["student"])
        with Gradebook(info["db_url"]) as gb:
            for task in lab.tasks:
                try:
                    grade = gb.find_grade(task.grade_id, *where)
                except MissingEntry:
                    continue
                waiting = grade.auto_score is None and grade.manual_score is None
                scores[task.grade_id] = None if waiting else float(grade.score)
        resources["trainerlab"] = feedback_facts(lab, scores)
        return nb, resources


def feedback_facts(lab: Lab, scores: Mapping[str, float | None]) -> dict[str, Any]:
    """What the feedback template shows: tasks in order, totals and per-unit points."""
    tasks = []
    for number, task in enumerate(lab.tasks, 1):
        rubric = task.rubric if isinstance(task, WrittenTask) else ()
        tasks.append({
            "grade_id": task.grade_id, "number": number, "level": task.level, "unit": task.unit,
            "title": {"zh": task.title.zh, "en": task.title.en}, "points": task.points,
            "score": scores.get(task.grade_id, 0.0),
            "rubric": [{"zh": p.text.zh, "en": p.text.en, "points": p.points} for p in rubric],
        })
    units = []
    for unit in unit_totals(lab, scores):
        name = skill_unit(unit.level, unit.unit)
        units.append({"level": unit.level, "unit": unit.unit, "zh": name.zh, "en": name.en,
                      "earned": unit.earned, "graded": unit.graded, "pending": unit.pending})
    total = totals(lab, scores)
    return {"assignment": lab.assignment, "summary": {"zh": lab.summary.zh, "en": lab.summary.en},
            "tasks": tasks, "by_id": {t["grade_id"]: t for t in tasks}, "units": units,
            "total": {"earned": total.earned, "graded": total.graded, "pending": total.pending}}
