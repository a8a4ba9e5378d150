"""The grading subcommands of ``trainerlab``: grade, progress, grade-class, report and instructor."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from importlib import import_module
from pathlib import Path

from trainerlab.grading.limits import Limits


def _course(args: argparse.Namespace) -> Path:
    if args.course:
        return Path(args.course).resolve()
    if (Path.cwd() / "nbgrader_config.py").is_file():
        return Path.cwd()
    from trainerlab.course import course_root

    return course_root()


def labs_module(course: Path) -> str:
    """The module whose ``LABS`` maps the course's assignments to labs (its ``TaskFeedback.labs_module``).

    The repository's course uses ``graders.labs``; a mock-exam course (``trainerlab exam class``)
    names the task bank's registry.
    """
    from trainerlab.grading.courseconfig import load_course_config

    return str(load_course_config(course).TaskFeedback.get("labs_module", "graders.labs"))


def _limits(args: argparse.Namespace) -> Limits:
    return Limits(cell_timeout=args.cell_timeout, submission_timeout=args.timeout, memory_mb=args.memory_mb)


def notebook_path(given: str, environ: Mapping[str, str]) -> Path:
    """The notebook a learner named: as given, or else relative to the Jupyter server's root.

    JupyterLab's "Copy Path" gives a path relative to the server's root, while its terminal may
    open in another folder; the terminal tells the root in ``JUPYTER_SERVER_ROOT``.
    """
    path = Path(given).expanduser()
    root = environ.get("JUPYTER_SERVER_ROOT")
    if not path.exists() and not path.is_absolute() and root and (Path(root) / path).exists():
        return Path(root) / path
    return path


def _grade(args: argparse.Namespace) -> int:
    from trainerlab.grading.progress import record_grade
    from trainerlab.grading.sandbox import missing_notice
    from trainerlab.grading.selfgrade import NotALab, render, self_grade

    try:
        graded = self_grade(notebook_path(args.notebook, os.environ), course_root=_course(args),
                            assignment=args.assignment, feedback=Path(args.html) if args.html else None,
                            limits=_limits(args), verify=not args.no_recheck)
    except (NotALab, FileNotFoundError) as exc:
        print(exc, file=sys.stderr)
        return 2
    record_grade(graded)  # read by `progress` and the home page instead of grading again
    print(render(graded))
    notice = missing_notice()  # Windows, macOS, old Linux: name the protections the grader lacks
    if notice:
        print(notice)
    return 1 if graded.result.status == "error" else 0


def _progress(args: argparse.Namespace) -> int:
    from trainerlab.grading.progress import practice_progress, render_progress

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"找不到练习文件夹 / practice folder not found: {folder} (trainerlab practice makes it)",
              file=sys.stderr)
        return 2
    progress = practice_progress(folder, course_root=_course(args), limits=_limits(args),
                                 verify=not args.no_recheck, regrade="all" if args.all else "changed")
    print(render_progress(progress))
    return 1 if any(g.status == "error" for g in progress.graded) else 0


def _grade_class(args: argparse.Namespace) -> int:
    from trainerlab.grading.workerstart import start_early

    try:
        course = _course(args)
        registry = labs_module(course)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    start_early(args.assignment, registry)  # the workers' server imports while this process does
    from trainerlab.grading.classgrade import GradingError, grade_class, render_class

    try:
        run = grade_class(course, args.assignment, jobs=args.jobs, force=args.force,
                          students=args.student or None, limits=_limits(args), verify=not args.no_recheck,
                          progress=not args.no_progress, labs_module=registry)
    except (GradingError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    print(render_class(run))
    return 1 if run.errors else 0


def _report(args: argparse.Namespace) -> int:
    from trainerlab.grading.courseconfig import db_url, load_course_config, sqlite_file
    from trainerlab.grading.report import skill_report

    course = _course(args)
    url = db_url(load_course_config(course), course)
    db = sqlite_file(url)
    if db is not None and not db.is_file():
        print(f"找不到成绩库 / gradebook not found: {db}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else course / "reports"
    report = skill_report(url, out, labs=import_module(labs_module(course)).LABS,
                          assignments=args.assignment or None, charts=not args.no_charts)
    print(f"{len(report.students)} 名学员 / students × {len(report.units)} 个技能单元 / skill units")
    for path in report.files[:4]:
        print(f"  {path}")
    if len(report.files) > 4:
        print(f"  … {len(report.files) - 4} 个学员图表 / more student charts in {out / 'students'}")
    if report.unmapped:
        print("未映射到技能单元的评分单元 / graded cells with no skill unit (add them to graders/labs.py):",
              file=sys.stderr)
        for cell in report.unmapped:
            print(f"  {cell.assignment}/{cell.notebook}: {cell.grade_id}", file=sys.stderr)
        return 1
    return 0


def _instructor(args: argparse.Namespace) -> int:
    from trainerlab.grading.instructor import FORMGRADER_URL, instructor_command, instructor_environment

    course = _course(args)
    extra = list(args.jupyter_args)
    command = instructor_command(course, extra[1:] if extra[:1] == ["--"] else extra)
    print(f"课程 / course: {course}\n"
          f"评分：菜单 Nbgrader → Formgrader，或本服务器的 {FORMGRADER_URL} / "
          f"grading: menu Nbgrader → Formgrader, or {FORMGRADER_URL} on this server", flush=True)
    os.chdir(course)  # nbgrader's server extensions read nbgrader_config.py from the current folder
    os.execve(command[0], command, instructor_environment(os.environ))
    return 0  # not reached


def _limit_options(parser: argparse.ArgumentParser) -> None:
    defaults = Limits()
    parser.add_argument("--course", help="the nbgrader course folder (default: here, or this checkout)")
    parser.add_argument("--cell-timeout", type=int, default=None,
                        help="seconds per cell (default: Execute.timeout of nbgrader_config.py)")
    parser.add_argument("--timeout", type=float, default=defaults.submission_timeout,
                        help=f"seconds for a whole notebook (default {defaults.submission_timeout:g})")
    parser.add_argument("--memory-mb", type=int, default=defaults.memory_mb,
                        help=f"memory limit of the grading kernel in MB, 0 for none "
                             f"(default {defaults.memory_mb})")
    parser.add_argument("--no-recheck", action="store_true",
                        help="do not re-check answers outside the notebook (tampering is then not caught)")


def add_grading_commands(sub: argparse._SubParsersAction) -> None:
    """Register the grading subcommands on the ``trainerlab`` parser."""
    grade = sub.add_parser("grade", help="为自己的实训笔记本评分（无需教师）/ "
                                         "grade your own copy of a lab notebook (no teacher needed)")
    grade.add_argument("notebook", help="你作答的 .ipynb / the .ipynb you worked in")
    grade.add_argument("--assignment", help="the lab (found from the notebook's graded cells if omitted)")
    grade.add_argument("--html", help="where to write the feedback (default: <notebook>_feedback.html)")
    _limit_options(grade)
    grade.set_defaults(run=_grade)

    progress = sub.add_parser("progress", help="给每个练习笔记本评分，按三级考试的技能单元汇总 / "
                                               "self-grade every practice notebook and see your standing "
                                               "on each task of the L3 exam")
    progress.add_argument("--folder", default="practice", help="the practice folder (default: practice)")
    progress.add_argument("--all", action="store_true",
                          help="全部重新评分（默认只评改动过的笔记本）/ grade every notebook again "
                               "(default: only those changed since their recorded grade)")
    _limit_options(progress)
    progress.set_defaults(run=_progress)

    klass = sub.add_parser("grade-class",
                           help="并行自动评分全班提交，写入成绩库 / "
                                "autograde submitted/*/ASSIGNMENT in parallel into the gradebook")
    klass.add_argument("assignment")
    klass.add_argument("--jobs", "-j", type=int, default=None,
                       help="worker processes (default: one per core)")
    klass.add_argument("--force", "-f", action="store_true", help="grade again submissions already graded")
    klass.add_argument("--student", action="append", help="only this student (repeatable)")
    klass.add_argument("--no-progress", action="store_true", help="no progress bar")
    _limit_options(klass)
    klass.set_defaults(run=_grade_class)

    report = sub.add_parser("report", help="按技能单元的成绩报告 / "
                                           "skill-unit report (CSV, heatmap, charts, item statistics)")
    report.add_argument("assignment", nargs="*", help="assignments to include (default: all)")
    report.add_argument("--course", help="the nbgrader course folder (default: here, or this checkout)")
    report.add_argument("--out", help="output folder (default: <course>/reports)")
    report.add_argument("--no-charts", action="store_true", help="only the CSV files")
    report.set_defaults(run=_report)

    instructor = sub.add_parser("instructor", help="打开教师的 JupyterLab（含 Formgrader）/ "
                                                   "the instructor's JupyterLab on the course (formgrader)")
    instructor.add_argument("--course", help="the nbgrader course folder (default: here, or this checkout)")
    instructor.add_argument("jupyter_args", nargs=argparse.REMAINDER,
                            help="after --, options passed on to jupyter lab (e.g. -- --port 9000)")
    instructor.set_defaults(run=_instructor)
