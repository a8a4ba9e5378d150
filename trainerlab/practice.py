"""Practice folder for learners: nbgrader's student versions of every lab, ready to open."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from trainerlab.course import generate_student_versions


def prepare(folder: str | Path = "practice", *, force: bool = False) -> Path:
    """Fill ``folder`` with the student version of each lab; keep a learner's existing work.

    A lab already in ``folder`` is left as it is (it may hold the learner's answers) unless
    ``force`` is given, in which case the old copy is kept beside it as ``<lab>.bak-N``.
    """
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        release = Path(tmp) / "release"
        generate_student_versions(release)
        for lab in sorted(p for p in release.iterdir() if p.is_dir()):
            target = folder / lab.name
            if target.exists():
                if not force:
                    continue
                n = 1
                while target.with_name(f"{lab.name}.bak-{n}").exists():
                    n += 1
                target.rename(target.with_name(f"{lab.name}.bak-{n}"))
            shutil.copytree(lab, target)
    return folder
