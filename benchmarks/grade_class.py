"""Benchmark: plain sequential ``nbgrader autograde`` against ``trainerlab grade-class``.

Builds a class of submissions of one lab (correct, partial, blank and broken, in turn), copies
the course, grades one copy with ``nbgrader autograde ASSIGNMENT`` and another with
:func:`trainerlab.grading.classgrade.grade_class` (warm kernels; with ``--fresh-too`` a third with
every kernel started fresh), checks that the gradebooks hold exactly the same grades and prints the
wall and CPU seconds of each (kernels included) and the speed-up.

    python benchmarks/grade_class.py                 # 40 submissions of data_cleaning
    python benchmarks/grade_class.py --students 2 --fresh-too --lab business_analysis
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from trainerlab.grading import democlass
from trainerlab.grading.classgrade import default_jobs
from trainerlab.grading.courseconfig import tools_on_path

ROOT = Path(__file__).resolve().parents[1]


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--lab", default="data_cleaning")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--keep", help="keep the graded courses in this folder")
    parser.add_argument("--fresh-too", action="store_true",
                        help="also grade-class with every kernel started fresh (TRAINERLAB_WARM_KERNELS=0)")
    return parser.parse_args(argv)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ``trainerlab grade-class`` as the instructor runs it, in a process of its own (its console script's
# entry point, exit included); it then prints the CPU seconds of the processes it left running (the
# fork server its workers came from): their time is not counted when it exits
_GRADE_CLASS = """
import sys, psutil
from trainerlab.cli import run
sys.argv = ["trainerlab", "grade-class", {lab!r}, "--course", {course!r}, "--jobs", "{jobs}", "--no-progress"]
try:
    run()
except SystemExit as done:
    left = [p.cpu_times() for p in psutil.Process().children()]
    print(done.code)
    print(sum(t.user + t.system + t.children_user + t.children_system for t in left))
    raise
"""


def _timed(command: list[str], cwd: Path, env: dict[str, str] | None = None
           ) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run ``command`` to its exit: wall and CPU seconds (of it and the processes it waited for).

    Its output goes to files, not pipes: the wall time ends when the command does, as at a terminal,
    not when the last process that inherited its output (a fork server that outlives it briefly) does.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        cpu, started = _children_cpu(), time.perf_counter()
        code = subprocess.run(command, cwd=cwd, env=env, stdout=out, stderr=err).returncode
        wall, used = time.perf_counter() - started, _children_cpu() - cpu
        out.seek(0)
        err.seek(0)
        return wall, used, subprocess.CompletedProcess(command, code, out.read(), err.read())


def _grade_class_in_a_process(course: Path, lab: str, jobs: int, warm: bool) -> tuple[float, float, str]:
    """Wall and CPU seconds of ``trainerlab grade-class`` (its workers' and kernels' CPU included)."""
    code = _GRADE_CLASS.format(course=str(course), lab=lab, jobs=jobs)
    env = {**os.environ, "TRAINERLAB_WARM_KERNELS": "1" if warm else "0"}
    wall, used, done = _timed([sys.executable, "-c", code], course, env)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or len(lines) < 2:
        return wall, used, done.stderr[-300:]
    graded = re.search(r"(\d+) 份已评分 / graded", done.stdout)
    return wall, used + float(lines[-1]), f"{graded.group(1) if graded else '?'} graded, exit {lines[-2]}"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit status 1 if the gradebooks differ."""
    args = _parse(argv)
    tools_on_path()
    jobs = args.jobs or default_jobs()
    with tempfile.TemporaryDirectory(prefix="trainerlab-bench-") as tmp:
        base = Path(args.keep).resolve() if args.keep else Path(tmp)
        template = democlass.make_course(base / "template", [args.lab], course_root=ROOT)
        kinds = democlass.make_class(template, args.lab, args.students)
        ways = {"nbgrader": base / "nbgrader", "warm": base / "trainerlab"}
        if args.fresh_too:
            ways["fresh"] = base / "trainerlab-fresh"
        for target in ways.values():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(template, target)
        print(f"{args.students} submissions of {args.lab}: {dict(Counter(kinds.values()))}; "
              f"{os.cpu_count()} CPUs, {jobs} workers", flush=True)

        sequential, sequential_cpu, done = _timed([sys.executable, "-m", "nbgrader", "autograde", args.lab],
                                                  ways["nbgrader"])
        print(f"nbgrader autograde (sequential):          {sequential:8.1f} s  {sequential_cpu:8.1f} CPU-s  "
              f"(exit {done.returncode})", flush=True)
        failed = done.returncode != 0
        for way in [w for w in ("fresh", "warm") if w in ways]:
            wall, used, counts = _grade_class_in_a_process(ways[way], args.lab, jobs, warm=way == "warm")
            print(f"trainerlab grade-class (-j {jobs}, {way} kernels): {wall:8.1f} s  {used:8.1f} CPU-s  "
                  f"({counts}); speed-up {sequential / wall:.2f}x", flush=True)
            plain_db, our_db = ways["nbgrader"] / "gradebook.db", ways[way] / "gradebook.db"
            diffs = democlass.differences(plain_db, our_db, args.lab)
            print("  gradebook identical to nbgrader's (scores, auto scores, review flags, comments, times): "
                  f"{'yes' if not diffs else 'NO'}")
            for line in diffs[:20]:
                print("    ", line)
            failed |= bool(diffs) or not counts.endswith("exit 0")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
