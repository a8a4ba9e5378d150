"""``trainerlab exam``: sit a timed mock exam (start, status, submit, history) and the authors' tools."""

from __future__ import annotations

import argparse
import getpass
import os
import subprocess
import sys
import time
from pathlib import Path


def _root() -> Path:
    from trainerlab.course import course_root

    return course_root()


def _candidate(args: argparse.Namespace) -> str:
    return args.candidate or getpass.getuser()


def _start(args: argparse.Namespace) -> int:
    from trainerlab.exam import session
    from trainerlab.exam.paper import LATE_POLICY
    from trainerlab.practice import learner_environment

    practice = Path(args.folder).resolve()
    print("正在抽题并准备试卷（约 10 秒）/ drawing and preparing the paper (about 10 s) …", flush=True)
    folder, attempt = session.start(practice, _candidate(args), root=_root(), clock=time.time)
    notebook = folder / f"{attempt.paper}.ipynb"
    minutes = round((attempt.deadline - attempt.started_at) / 60)
    print(f"试卷 / paper: {notebook}\n时间 / time: {minutes} 分钟 / minutes, 截止 / ends "
          f"{time.strftime('%H:%M', time.localtime(attempt.deadline))}\n{LATE_POLICY}", flush=True)
    if args.prepare_only:
        return 0
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}",
               f"--ServerApp.default_url=/lab/tree/{notebook.name}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    extra = list(args.jupyter_args)
    command += extra[1:] if extra[:1] == ["--"] else extra
    env = {**learner_environment(os.environ), "TRAINERLAB_SEED": str(attempt.seed)}
    server = subprocess.Popen(command, cwd=folder, env=env)
    try:
        graded = session.supervise(folder, server, root=_root(), clock=time.time, sleep=time.sleep)
    except KeyboardInterrupt:
        server.terminate()
        graded = session.submit(folder, root=_root(), clock=time.time)
    print(session.render(graded))
    return 0


def _pick(args: argparse.Namespace) -> tuple[Path, object] | None:
    from trainerlab.exam import session
    from trainerlab.exam.timer import ATTEMPT_FILE

    practice = Path(args.folder)
    here = Path.cwd()
    if not args.attempt and (here / ATTEMPT_FILE).is_file():  # JupyterLab's terminal opens in the attempt
        return here, session.read_attempt(here)
    if args.attempt:
        folder = session.attempt_folder(practice, args.attempt)
        return (folder, session.read_attempt(folder)) if folder.is_dir() else None
    return session.latest(practice)


def _status(args: argparse.Namespace) -> int:
    from trainerlab.exam.timer import left_text

    picked = _pick(args)
    if picked is None:
        print("没有考试记录 / no attempt yet: trainerlab exam start", file=sys.stderr)
        return 2
    _, attempt = picked
    state = "已交卷 / handed in" if attempt.verdict else left_text(attempt.deadline)
    print(f"#{attempt.number} {attempt.paper}: {state}")
    return 0


def _submit(args: argparse.Namespace) -> int:
    from trainerlab.exam import session

    picked = _pick(args)
    if picked is None:
        print("没有考试记录 / no attempt yet: trainerlab exam start", file=sys.stderr)
        return 2
    folder, _ = picked
    print(session.render(session.submit(folder, root=_root(), clock=time.time)))
    return 0


def _history(args: argparse.Namespace) -> int:
    from trainerlab.exam import session

    for attempt in session.history(Path(args.folder)):
        result = session.VERDICTS.get(attempt.verdict or "", "未交卷 / not handed in")
        late = " · 迟交 / late" if attempt.late else ""
        print(f"#{attempt.number} {attempt.candidate} {attempt.paper}: {attempt.auto_points:g} 自动 / auto "
              f"· {result}{late}")
    return 0


def _class(args: argparse.Namespace) -> int:
    from trainerlab.exam.classpaper import class_papers

    course = Path(args.course).resolve()
    students = [s for s in (args.students or "").split(",") if s]
    papers = class_papers(course, root=_root(), seed=args.seed, students=students)
    for student, paper in papers.items():
        print(f"{'全班 / everyone' if student == '*' else student}: {paper}")
    print(f"课程 / course: {course}\n下一步 / next: cd {course} && nbgrader generate_assignment <paper>; "
          "收卷后 / after collecting: trainerlab grade-class <paper> --course . ; "
          "trainerlab report --course .")
    return 0


def _sync(args: argparse.Namespace) -> int:
    import nbformat

    from graders.bank.registry import BANK
    from trainerlab.authoring import sync_notebook
    from trainerlab.exam.paper import bank_source

    unknown = sorted(set(args.tasks) - set(BANK))
    if unknown:
        print(f"题库中没有这些题 / no such bank tasks: {unknown}", file=sys.stderr)
        return 2
    drift = []
    for task_id in args.tasks or sorted(BANK):
        path = bank_source(task_id, _root())
        nb = nbformat.read(path, as_version=4)
        found = sync_notebook(nb, BANK[task_id].lab)
        if found and not args.check:
            nbformat.write(nb, path)
        drift += found
    for item in drift:
        print(f"{'过期 / out of date' if args.check else '已更新 / updated'}: {item}")
    if not drift:
        print("派生内容均已同步 / every derived place is in sync")
    return 1 if args.check and drift else 0


def _new_task(args: argparse.Namespace) -> int:
    from trainerlab.exam.newtask import new_task

    for path in new_task(_root(), args.task_id):
        print(f"已创建 / created: {path}")
    return 0


def add_exam_commands(sub: argparse._SubParsersAction) -> None:
    """Register ``trainerlab exam`` and its subcommands."""
    exam = sub.add_parser("exam", help="限时模拟考试（三级考试大纲）/ "
                                       "a timed mock exam on the L3 blueprint")
    commands = exam.add_subparsers(dest="exam_command", required=True)
    folder = argparse.ArgumentParser(add_help=False)
    folder.add_argument("--folder", default="practice", help="the practice folder (attempts go to exam/)")
    pick = argparse.ArgumentParser(add_help=False, parents=[folder])
    pick.add_argument("--attempt", type=int, help="this attempt (default: the latest)")

    start = commands.add_parser("start", parents=[folder],
                                help="抽题、计时并打开 JupyterLab / "
                                     "draw a paper, start the clock and open it in JupyterLab")
    start.add_argument("--candidate", help="your name (default: the login name); seeds the draw")
    start.add_argument("--prepare-only", action="store_true",
                       help="prepare the paper, do not open JupyterLab")
    start.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="after --, options for jupyter lab")
    start.set_defaults(run=_start)
    commands.add_parser("status", parents=[pick], help="剩余时间 / time left").set_defaults(run=_status)
    commands.add_parser("submit", parents=[pick],
                        help="交卷并评分 / hand in and grade").set_defaults(run=_submit)
    commands.add_parser("history", parents=[folder],
                        help="历次考试 / past attempts").set_defaults(run=_history)

    klass = commands.add_parser("class", help="为班级出卷（nbgrader 作业）/ "
                                              "a paper for a class as nbgrader assignments")
    klass.add_argument("course", help="the course folder to write (plain nbgrader and grade-class run in it)")
    klass.add_argument("--seed", type=int, default=1, help="seed of the draw")
    klass.add_argument("--students", help="comma-separated ids: one paper per student (default: one for all)")
    klass.set_defaults(run=_class)

    sync = commands.add_parser("sync", help="按题目定义重写题库笔记本的派生内容 / "
                                            "rewrite the bank notebooks' derived places from their items")
    sync.add_argument("tasks", nargs="*", help="only these bank tasks (default: all)")
    sync.add_argument("--check", action="store_true", help="only report what is out of date (exit 1 if any)")
    sync.set_defaults(run=_sync)

    new = commands.add_parser("new-task", help="新建题库题目骨架 / scaffold a bank task")
    new.add_argument("task_id", help="b<unit digits><letter>, e.g. b21b")
    new.set_defaults(run=_new_task)
