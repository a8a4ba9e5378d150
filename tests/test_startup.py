"""Start-up cost every command pays: nothing slow is imported on the way to nbformat.

Each nbgrader command, Jupyter server, grading worker and ``trainerlab`` command imports nbformat, which
imports jsonschema's format checkers. jsonschema 4.25 and later import ``rfc3987_syntax`` there, and it
builds an Earley parser of the IRI grammar at import time: about 2 s of CPU per process, paid dozens of
times by a class grading run and a course's tests (``pyproject.toml`` keeps jsonschema below 4.25).
"""

from __future__ import annotations

import subprocess
import sys

from notebook_runs import ROOT


def test_importing_nbformat_and_nbgrader_builds_no_grammar_parser() -> None:
    probe = ("import sys, nbformat, nbgrader.apps\n"
             "print(sorted(m for m in ('rfc3987_syntax', 'lark') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]", f"slow modules imported at start-up: {loaded.stdout}"


def test_loading_the_courses_nbgrader_config_imports_no_model_persistence_library() -> None:
    # nbgrader_config.py adds the class-mode steps; the handout's object writer (skops, which scans
    # scikit-learn for its trusted types: about 1.9 s) is only needed when a student environment is built
    probe = ("import sys, runpy\nrunpy.run_path('nbgrader_config.py', init_globals={'get_config': lambda: "
             "__import__('traitlets.config', fromlist=['Config']).Config()})\n"
             "print(sorted(m for m in ('skops', 'skops.io', 'sklearn') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            cwd=ROOT)
    assert loaded.stdout.strip() == "[]", f"slow modules imported with the course's config: {loaded.stdout}"
