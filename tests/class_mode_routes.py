"""Every route a student with a terminal tries to take answers from a class-mode student environment.

Run by ``tests/test_class_mode.py`` with the student environment's Python, in the student's lab
folder (it imports nothing of the project but the student package). It prints, as JSON, what each
route gave; the test then asserts that none gave anything an answer could be made of.
Usage: ``python class_mode_routes.py <lab> <search root> ...``.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import json
import os
import sys
import tempfile
from pathlib import Path

#: what only the grader's side holds (a generator draws from the seed; a hint may name a fixed
#: ``default_rng(2026)``, as one of the evaluation_l2 lab's does)
LEAKS = ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", ".grade(", "default_rng(seed", "default_rng([seed",
         "criterion(", "current_seed", "TRAINERLAB_SEED")
#: answers of every kind; the numbers are ones no message holds (an echo of the answer is cut out of
#: what a check says: a probe of 1.5 would also cut a task's "1.5 points")
PROBES = (None, 271828, 3.14159, "x", [1, 2], {"a": 1}, ("x", None))


def _said(call) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            value = call()
        except Exception as exc:  # a route that raises gave nothing
            return f"raised {type(exc).__name__}: {exc}"
    return out.getvalue() + ("" if value is None else f"returned {value!r}")


def checks(lab: str) -> dict:
    """The checks' functions: what check/grade/solution/hint say for any answer, and what q holds."""
    q = importlib.import_module(f"graders.{lab}")
    tasks = {name: t for name, t in vars(q).items() if hasattr(t, "check") and hasattr(t, "points")}
    said = {}
    for name, task in tasks.items():
        answered = {_said(lambda p=p, t=task: t.check(p)).replace(repr(p), "") for p in PROBES[1:]}
        said[name] = {"answered": sorted(answered), "grade": _said(lambda t=task: t.grade(1)),
                      "solution": _said(task.solution),
                      "attributes": sorted(a for a in vars(task) if not a.startswith("__"))}
    return {"tasks": said, "q": sorted(n for n in vars(q) if not n.startswith("__"))}


def generators() -> dict:
    """The project's generators, truth and grading code: can any be imported or found?"""
    names = ("trainerlab.datagen", "trainerlab.datagen.service_bot", "trainerlab.variants",
             "graders.checking", "graders.labs", "trainerlab.grading", "trainerlab.solutions",
             "trainerlab.classmode")
    found = {}
    for name in names:
        try:
            found[name] = importlib.util.find_spec(name) is not None
        except ImportError:
            found[name] = False
    return found


def files(roots: list[str]) -> dict:
    """Installed notebooks and files: any that hold a solution, a hidden test, a criterion or a seed?"""
    hits = []
    for root in roots:
        for path in Path(root).rglob("*"):
            if path.is_file() and path.stat().st_size < 20_000_000:
                text = path.read_bytes().decode("utf-8", "replace")
                hits += [f"{path}: {leak}" for leak in LEAKS if leak in text]
    return {"hits": hits}


def cache() -> dict:
    """The data cache the generators write in the temp folder (``trainerlab/``), and the environment."""
    folder = Path(tempfile.gettempdir()) / "trainerlab"
    return {"cache": sorted(p.name for p in folder.glob("*")) if folder.is_dir() else [],
            "environment": sorted(k for k in os.environ
                                  if k.startswith("TRAINERLAB") and k != "TRAINERLAB_DATA")}


if __name__ == "__main__":
    lab, roots = sys.argv[1], sys.argv[2:]
    print(json.dumps({"checks": checks(lab), "generators": generators(), "files": files(roots), **cache()}))
