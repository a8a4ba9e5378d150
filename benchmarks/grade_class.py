"""Benchmark: plain sequential ``nbgrader autograde`` against ``trainerlab grade-class``.

Builds a class of submissions of one lab (correct, partial, blank and broken, in turn), copies
the course twice, grades one copy with ``nbgrader autograde ASSIGNMENT`` and the other with
:func:`trainerlab.grading.classgrade.grade_class`, checks that both gradebooks hold exactly the
same grades and prints both times and their ratio.

    python benchmarks/grade_class.py                 # 40 submissions of data_cleaning
    python benchmarks/grade_class.py --students 8 --jobs 2 --lab data_cleaning
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from trainerlab.grading import democlass
from trainerlab.grading.classgrade import default_jobs, grade_class
from trainerlab.grading.courseconfig import tools_on_path

ROOT = Path(__file__).resolve().parents[1]


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--lab", default="data_cleaning")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--keep", help="keep the two graded courses in this folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit status 1 if the two gradebooks differ."""
    args = _parse(argv)
    tools_on_path()
    jobs = args.jobs or default_jobs()
    with tempfile.TemporaryDirectory(prefix="trainerlab-bench-") as tmp:
        base = Path(args.keep).resolve() if args.keep else Path(tmp)
        template = democlass.make_course(base / "template", [args.lab], course_root=ROOT)
        kinds = democlass.make_class(template, args.lab, args.students)
        plain, ours = base / "nbgrader", base / "trainerlab"
        for target in (plain, ours):
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(template, target)
        print(f"{args.students} submissions of {args.lab}: {dict(Counter(kinds.values()))}; "
              f"{os.cpu_count()} CPUs, {jobs} workers", flush=True)

        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", args.lab], cwd=plain,
                              capture_output=True, text=True)
        sequential = time.perf_counter() - started
        print(f"nbgrader autograde (sequential): {sequential:8.1f} s  (exit {done.returncode})", flush=True)

        started = time.perf_counter()
        run = grade_class(ours, args.lab, jobs=jobs)
        parallel = time.perf_counter() - started
        print(f"trainerlab grade-class (-j {jobs}):  {parallel:8.1f} s  "
              f"({len(run.results)} graded, {len(run.errors)} errors)")

        diffs = democlass.differences(plain / "gradebook.db", ours / "gradebook.db", args.lab)
        print(f"speed-up: {sequential / parallel:.2f}x")
        print("gradebooks identical (every score, auto score, review flag, comment, time): "
              f"{'yes' if not diffs else 'NO'}")
        for line in diffs[:20]:
            print("  ", line)
        return 1 if diffs or run.errors else 0


if __name__ == "__main__":
    sys.exit(main())
