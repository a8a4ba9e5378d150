"""The ``trainerlab`` command: practise the labs, and the tools instructors add to nbgrader."""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from trainerlab import home, practice
from trainerlab.classmode.commands import add_course_commands
from trainerlab.exam.commands import add_exam_commands
from trainerlab.grading.commands import add_grading_commands
from trainerlab.labcommands import add_lab_commands


def _say(line: str) -> None:
    print(line, flush=True)  # shown at once, and before ``start`` hands over to JupyterLab


def _start(args: argparse.Namespace) -> int:
    folder = practice.prepare(args.folder, force=args.force, update=args.update, progress=_say)
    _say(f"练习笔记本 / practice notebooks: {folder}")
    _tell_outdated(folder)
    if args.prepare_only:
        return 0
    # the learner's home page opens first: JupyterLab's own default_url ("/lab") wins over ServerApp's
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}",
               f"--LabApp.default_url={home.default_url()}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # POSIX root (Windows has no geteuid)
        command.append("--allow-root")
    extra = list(args.jupyter_args)
    command += extra[1:] if extra[:1] == ["--"] else extra
    os.chdir(folder)  # JupyterLab's terminal opens in the server's working folder
    env = practice.learner_environment(os.environ)
    if sys.platform == "win32":  # exec on Windows starts a new process and returns to the shell at once
        return subprocess.call(command, env=env)
    os.execve(command[0], command, env)
    return 0  # not reached


def _practice(args: argparse.Namespace) -> int:
    folder = practice.prepare(args.folder, force=args.force, update=args.update, progress=_say)
    _say(f"练习笔记本已就绪 / practice notebooks ready: {folder}")
    _tell_outdated(folder)
    return 0


def _tell_outdated(folder: Path) -> None:
    outdated = practice.outdated_labs(folder)
    if outdated:
        _say(practice.outdated_notice(outdated))


def _data(args: argparse.Namespace) -> int:
    from trainerlab.datagen import loan_applications

    raw = loan_applications.write_raw(args.seed)
    print(f"loan_applications_raw.csv: {raw.shape[0]} rows (seed {args.seed})")
    return 0


def _prepare_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--folder", default="practice", help="where the practice notebooks go")
    parser.add_argument("--update", action="store_true",
                        help="只替换有新版本的实训（旧副本保存为 .bak-N）/ "
                             "replace only the labs updated since your copy (kept as .bak-N)")
    parser.add_argument("--force", action="store_true",
                        help="替换全部实训（旧副本保存为 .bak-N）/ "
                             "replace every lab (your copies kept as .bak-N)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``trainerlab`` command (subcommands register here)."""
    parser = argparse.ArgumentParser(
        prog="trainerlab",
        description="人工智能训练师实训平台：练习实训、自评，以及教师在 nbgrader 之外的评分工具 / "
                    "AI Trainer Lab: practise the labs, grade yourself, and the grading tools "
                    "instructors add to nbgrader.")
    sub = parser.add_subparsers(dest="command", required=True)

    start = sub.add_parser("start", help="准备练习笔记本并打开 JupyterLab / "
                                         "prepare the student versions and open JupyterLab")
    _prepare_options(start)
    start.add_argument("--prepare-only", action="store_true",
                       help="only prepare the notebooks, do not start JupyterLab")
    start.add_argument("jupyter_args", nargs=argparse.REMAINDER,
                       help="after --, options passed on to jupyter lab (e.g. -- --port 9000)")
    start.set_defaults(run=_start)

    prep = sub.add_parser("practice", help="在文件夹中准备全部实训的学生版 / "
                                           "prepare the student versions of every lab in a folder")
    _prepare_options(prep)
    prep.set_defaults(run=_practice)

    data = sub.add_parser("data", help="重新生成随附的贷款申请数据 / "
                                       "regenerate the bundled loan-applications file")
    data.add_argument("--seed", type=int, default=None)
    data.set_defaults(run=_data)
    add_grading_commands(sub)
    add_lab_commands(sub)
    add_exam_commands(sub)
    add_course_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``trainerlab`` console script."""
    args = build_parser().parse_args(argv)
    if getattr(args, "seed", 0) is None:
        from trainerlab.datagen.loan_applications import DEFAULT_SEED

        args.seed = DEFAULT_SEED
    return int(args.run(args) or 0)


def run() -> None:
    """The ``trainerlab`` console script: :func:`main`, then exit with its status.

    At exit the interpreter tears down every module the command imported (some 1,500 after
    grading) and its garbage collector walks all of them on the way: about half a second, a
    quarter of a small ``grade-class`` run. ``gc.freeze`` leaves those objects out of its walks;
    they are released at exit as before.
    """
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
