"""The ``trainerlab course`` subcommands: a class course's secret and its student environment."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _course(args: argparse.Namespace) -> Path:
    from trainerlab.grading.commands import _course as course_folder

    return course_folder(args)


def _secret(args: argparse.Namespace) -> int:
    from trainerlab.classmode.secret import make_secret, secret_path

    course = _course(args)
    try:
        path = make_secret(course)
    except FileExistsError:
        print(f"课程密钥已存在，未改动 / the course secret exists and is kept: {secret_path(course)}",
              file=sys.stderr)
        return 1
    print(f"课程密钥 / course secret: {path} (0600; 不要发布、不要提交 / never release or commit it)")
    return 0


def _student_env(args: argparse.Namespace) -> int:
    from trainerlab.classmode.secret import NoSecret
    from trainerlab.classmode.studentenv import build_student_env

    students = [s for s in args.students.split(",") if s]
    try:
        env = build_student_env(_course(args), Path(args.out), students, args.assignment)
    except (NoSecret, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"学生环境 / student environment: {env.wheel}")
    for student, folder in env.folders.items():
        print(f"  {student}: {folder}")
    return 0


def add_course_commands(sub: argparse._SubParsersAction) -> None:
    """Register ``trainerlab course secret`` and ``trainerlab course student-env``."""
    course = sub.add_parser("course", help="班级课程：密钥与学生环境 / class courses: the secret and the "
                                           "student environment (docs/class-mode.md)")
    commands = course.add_subparsers(dest="course_command", required=True)
    secret = commands.add_parser("secret", help="生成课程密钥（每人一份数据）/ make the course secret "
                                                "(each student's seeds come from it)")
    secret.add_argument("--course", help="the nbgrader course folder (default: here, or this checkout)")
    secret.set_defaults(run=_secret)
    env = commands.add_parser("student-env", help="生成学生环境（学生版、每人的数据、不含答案）/ build the "
                                                  "student environment: student versions and each student's "
                                                  "data, no answer key")
    env.add_argument("out", help="the folder to write (dist/ and students/<student>/)")
    env.add_argument("assignment", nargs="+", help="the labs to hand out")
    env.add_argument("--students", required=True, help="comma-separated student ids")
    env.add_argument("--course", help="the nbgrader course folder (default: here, or this checkout)")
    env.set_defaults(run=_student_env)
