"""One generated nbgrader course per lab and test run, copied wherever a test needs the lab's student version.

``nbgrader generate_assignment`` (a few seconds a lab) writes the same student version and gradebook for
the same source, so each lab's course is generated once per test run and lab source digest, under a
lock, in a folder every xdist worker sees; the other workers wait and copy it. A lab whose source
changed has another digest and is generated again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from filelock import FileLock
from notebook_runs import ROOT

from trainerlab.course import lab_digest, nbgrader


def course_template(assignment: str, cache: Path) -> Path:
    """A course folder holding the lab's source, nbgrader's configuration, gradebook and student version.

    Copy it before changing anything in it (``shutil.copytree``): it is shared by every test of the run.
    """
    course = cache / lab_digest(assignment) / assignment
    with FileLock(f"{course}.lock"):
        if not (course / "release" / assignment).is_dir():
            shutil.rmtree(course, ignore_errors=True)  # a generation that broke off half-way
            shutil.copytree(ROOT / "labs" / assignment, course / "labs" / assignment,
                            ignore=shutil.ignore_patterns("output", ".ipynb_checkpoints"))
            shutil.copy(ROOT / "nbgrader_config.py", course)
            nbgrader("generate_assignment", assignment, root=course)
    return course


def student_version(assignment: str, cache: Path) -> Path:
    """The folder of the lab's student version (nbgrader's release) in its course template."""
    return course_template(assignment, cache) / "release" / assignment
