"""The nbgrader course in this repository: where it is and how to run nbgrader on it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from trainerlab.runtime import with_scripts_on_path

_PACKAGE = Path(__file__).resolve().parent


def course_root() -> Path:
    """The folder holding ``nbgrader_config.py`` and ``labs/`` (the current folder or the checkout)."""
    for candidate in (Path.cwd(), _PACKAGE.parent):
        if (candidate / "nbgrader_config.py").is_file() and (candidate / "labs").is_dir():
            return candidate
    raise FileNotFoundError(
        "找不到课程目录（含 nbgrader_config.py 和 labs/）；请在仓库根目录运行 / "
        "course not found (nbgrader_config.py and labs/): run this from the repository root"
    )


#: What the warm server of nbgrader's commands imports: nbgrader's applications (2–3 CPU-seconds).
NBGRADER_PRELOAD = ("nbgrader.apps",)


def nbgrader(*args: str, root: Path | None = None, check: bool = True,
             env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run an ``nbgrader`` subcommand in the course at ``root`` and return the finished process.

    ``env``: variables to set for it on top of this process's environment. The command is forked
    from a warm server that has imported nbgrader (:func:`trainerlab.warmkernel.pool.run`) where
    warm kernels work, else started as a new process.
    """
    from trainerlab.warmkernel import pool

    root = root or course_root()
    command = [sys.executable, "-m", "nbgrader", *args]
    environment = with_scripts_on_path({**os.environ, **(env or {})})
    result = (pool.run(command, cwd=str(root), env=environment, preload=NBGRADER_PRELOAD)
              or subprocess.run(command, cwd=root, capture_output=True, text=True, env=environment))
    if check and result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def source_assignments(root: Path | None = None) -> list[str]:
    """The assignments of the course: the folders of ``labs/`` that hold a notebook."""
    labs = (root or course_root()) / "labs"
    return sorted(p.name for p in labs.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def lab_digest(assignment: str, root: Path | None = None) -> str:
    """A short fingerprint of a lab's source notebooks: it changes whenever the lab is edited."""
    digest = hashlib.sha256()
    for notebook in sorted(((root or course_root()) / "labs" / assignment).glob("*.ipynb")):
        digest.update(notebook.name.encode() + b"\0" + notebook.read_bytes())
    return digest.hexdigest()[:16]


def generate_student_versions(release: Path, *, root: Path | None = None,
                              assignments: Sequence[str] | None = None) -> list[Path]:
    """Write nbgrader's student version of each lab under ``release/<assignment>/`` (no gradebook).

    ``assignments`` defaults to every lab of the course.
    """
    root = root or course_root()
    for assignment in assignments if assignments is not None else source_assignments(root):
        nbgrader("generate_assignment", assignment, "--no-db", "--force",
                 f"--CourseDirectory.release_directory={release}", root=root)
    return sorted(release.glob("*/*.ipynb"))
