"""``trainerlab grade NOTEBOOK``: a learner grades their own working copy, no instructor needed.

The notebook's lab is recognised by its graded cells. A temporary nbgrader course is made from
that lab's source (with the hidden tests), the assignment is generated into a fresh gradebook,
the learner's copy is autograded by the same worker ``grade-class`` uses (sandbox, limits,
re-checks) and nbgrader's feedback HTML is written beside the notebook. The learner's file is
only read.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from nbgrader.converters import GenerateAssignment, GenerateFeedback
from nbgrader.coursedir import CourseDirectory

from graders.checking import Lab, Task, WrittenTask
from graders.skill_units import LEVELS, skill_unit
from trainerlab.grading import gradebook
from trainerlab.grading.classgrade import install
from trainerlab.grading.courseconfig import load_course_config
from trainerlab.grading.limits import Limits
from trainerlab.grading.matching import best_match, grade_ids
from trainerlab.grading.progress import unit_breakdown
from trainerlab.grading.results import MANUAL, CellResult, SubmissionResult
from trainerlab.grading.worker import Job, collecting_logger, grade_submission, init_worker
from trainerlab.practice import is_outdated

STUDENT = "me"
OUTDATED_COPY = ("你的副本由旧版实训生成，评分按当前版本的只读单元和检查进行；"
                 "运行 `trainerlab start --update` 获取新版 / "
                 "your copy was made from an older version of this lab and was graded with the current "
                 "version's read-only cells and checks; `trainerlab start --update` gets the new version")


class NotALab(ValueError):
    """The notebook matches none of the course's labs."""


@dataclass
class SelfGrade:
    """The self-graded result of one notebook."""

    notebook: Path
    lab: Lab
    result: SubmissionResult
    feedback: Path | None
    outdated: bool = False  # the copy was made from an older version of the lab


def find_lab(notebook: Path, labs: dict[str, Lab]) -> str:
    """The assignment whose graded tasks best match the notebook's graded cells."""
    ids = grade_ids(notebook)
    best = best_match({a: ids for a in labs}, {a: {t.grade_id for t in lab.tasks} for a, lab in labs.items()})
    if best is None:
        raise NotALab(f"{notebook.name} 不是本课程的实训笔记本（找不到对应的评分单元）/ "
                      f"{notebook.name} is not one of this course's labs (its graded cells match no lab); "
                      "use --assignment")
    return best


def self_grade(notebook: Path, *, course_root: Path, assignment: str | None = None,
               feedback: Path | None = None, limits: Limits | None = None, verify: bool = True,
               labs_module: str = "graders.labs") -> SelfGrade:
    """Grade ``notebook`` against its lab's hidden tests in a temporary course.

    ``labs_module`` names the module whose ``LABS`` maps assignments to labs (``graders.bank.registry``
    for the exam bank's papers).
    """
    labs = import_module(labs_module).LABS
    notebook = Path(notebook).resolve()
    if not notebook.is_file():
        raise FileNotFoundError(f"找不到笔记本 / notebook not found: {notebook}")
    assignment = assignment or find_lab(notebook, labs)
    lab = labs[assignment]
    init_worker()
    log, collected = collecting_logger("trainerlab.grading.selfgrade")
    with tempfile.TemporaryDirectory(prefix="trainerlab-grade-") as tmp:
        course = Path(tmp) / "course"
        _make_course(Path(course_root), course, assignment)
        config = load_course_config(course)
        config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
        config.CourseDirectory.assignment_id = assignment
        try:
            generate = GenerateAssignment(coursedir=CourseDirectory(config=config, log=log), config=config,
                                          log=log)
            generate.start()
        except (Exception, SystemExit) as exc:
            errors = "\n".join(m for level, m in collected.records if level >= logging.ERROR)
            raise RuntimeError(f"nbgrader generate_assignment {assignment} failed: {exc}\n{errors}") from exc
        coursedir = CourseDirectory(config=config, log=log)
        submitted = Path(coursedir.format_path(coursedir.submitted_directory, STUDENT, assignment))
        submitted.mkdir(parents=True)
        shutil.copy(notebook, submitted / lab.notebook)
        snapshot = gradebook.snapshot(course / "gradebook.db", Path(tmp) / "snapshot.db")
        work = Path(tmp) / "work"
        work.mkdir()
        result = grade_submission(Job(str(course), assignment, STUDENT, str(snapshot), str(work),
                                      limits or Limits(), verify, labs_module))
        html = None
        if result.status != "error":
            install(coursedir, f"sqlite:///{course / 'gradebook.db'}", result)
            html = _feedback(config, log, coursedir, assignment, lab, notebook, feedback)
        return SelfGrade(notebook, lab, result, html, is_outdated(notebook, assignment, Path(course_root)))


def _make_course(course_root: Path, course: Path, assignment: str) -> None:
    config = load_course_config(course_root)
    real = CourseDirectory(config=config)
    source = Path(real.format_path(real.source_directory, ".", assignment))
    course.mkdir(parents=True)
    shutil.copy(course_root / "nbgrader_config.py", course / "nbgrader_config.py")
    target = course / Path(source).relative_to(course_root)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*real.ignore))


def _feedback(config: object, log: logging.Logger, coursedir: CourseDirectory, assignment: str, lab: Lab,
              notebook: Path, target: Path | None) -> Path | None:
    config.CourseDirectory.student_id = STUDENT
    GenerateFeedback(coursedir=CourseDirectory(config=config, log=log), config=config, log=log).start()
    html = Path(coursedir.format_path(coursedir.feedback_directory, STUDENT, assignment))
    html = html / (Path(lab.notebook).stem + ".html")
    if not html.is_file():
        return None
    target = Path(target) if target else notebook.with_name(f"{notebook.stem}_feedback.html")
    shutil.copy(html, target)
    return target


def _status_mark(cell: CellResult | None, task: Task | WrittenTask) -> str:
    if cell is None:
        return "?"
    if isinstance(task, WrittenTask) or cell.check == MANUAL:
        return "○" if cell.waits_for_teacher else "✗"  # waiting for a teacher, or left blank
    if cell.auto_score is None:
        return "?"
    if abs(cell.auto_score - cell.max_score) < 1e-9:
        return "✓"
    return "◐" if cell.auto_score > 0 else "✗"


def _pending(task: Task | WrittenTask, cell: CellResult | None) -> bool:
    """A written answer (or a cell left to a human) that waits for a teacher; a blank one scores 0."""
    if cell is None:
        return isinstance(task, WrittenTask)
    return (isinstance(task, WrittenTask) or cell.check == MANUAL) and cell.waits_for_teacher


def render(graded: SelfGrade) -> str:
    """The learner-facing report: tasks, total, skill units, pending written answers, problems."""
    lab, result = graded.lab, graded.result
    lines = [f"{graded.notebook.name} · {lab.assignment} · {LEVELS.get(lab.level, lab.level)}"]
    if result.status == "error":
        lines.append("评分失败 / grading failed:")
        lines.append(result.error or "")
        return "\n".join(lines)
    cells = {c.grade_id: c for c in result.cells}
    lines.append("")
    lines.append("   得分 Points  单元 Unit   任务 / Task")
    for task in lab.tasks:
        cell = cells.get(task.grade_id)
        mark = _status_mark(cell, task)
        if _pending(task, cell):
            points = f"–/{task.points:g}"
            title = f"{task.title.zh} / {task.title.en}（待人工评分 / waiting for a teacher）"
        elif isinstance(task, WrittenTask) or cell.check == MANUAL:
            points = f"{cell.auto_score or 0:g}/{task.points:g}"
            title = f"{task.title.zh} / {task.title.en}（未作答 / not answered）"
        else:
            earned = 0.0 if cell is None or cell.auto_score is None else cell.auto_score
            points = f"{earned:g}/{task.points:g}"
            title = f"{task.title.zh} / {task.title.en}"
        lines.append(f"{mark} {points:>9}   {task.level} · {task.unit}   {title}")
        if cell is not None and cell.note:
            lines.append(f"   ⚠ 复核 / re-check: {cell.note}")
    auto = [t for t in lab.tasks if isinstance(t, Task)]
    written = [t for t in lab.tasks if isinstance(t, WrittenTask)]
    waiting = [t for t in written if _pending(t, cells.get(t.grade_id))]
    blank = [t for t in written if t not in waiting]
    earned = sum((cells[t.grade_id].auto_score or 0.0) for t in auto if t.grade_id in cells)
    lines.append("")
    lines.append(f"自动评分合计 / Autograded total: {earned:g}/{sum(t.points for t in auto):g}")
    if waiting:
        lines.append(f"待人工评分 / Waiting for a teacher: {sum(t.points for t in waiting):g} 分 / points "
                     f"({len(waiting)} 道书面题 / written answers)")
    if blank:
        lines.append(f"未作答的书面题 / Written answers left blank: {len(blank)} "
                     f"(0/{sum(t.points for t in blank):g} 分 / points)")
    lines.append("")
    lines.append("按技能单元 / By skill unit:")
    for level, code, got, possible, pending in unit_breakdown(lab, cells):
        name = skill_unit(level, code)
        extra = f"  (+{pending:g} 待评 / pending)" if pending else ""
        lines.append(f"  {level} {code} {name.zh} / {name.en}: {got:g}/{possible:g}{extra}")
    if written:
        lines.append("")
        lines.append("书面题评分要点 / Rubrics of the written answers:")
        for task in written:
            lines.append(f"  ○ {task.title.zh} / {task.title.en} ({task.points:g})")
            for i, point in enumerate(task.rubric, 1):
                lines.append(f"     M{i} ({point.points:g}): {point.text.zh} / {point.text.en}")
    problems = [f"⚠ {i}" for i in result.issues if i.severity != "info"]
    if graded.outdated:
        problems.append(f"ℹ {OUTDATED_COPY}")
    if problems:
        lines.append("")
        lines.append("注意 / Please note:")
        lines += [f"  {problem}" for problem in problems]
    if graded.feedback:
        lines.append("")
        lines.append(f"反馈 / Feedback: {graded.feedback}")
    return "\n".join(lines)
