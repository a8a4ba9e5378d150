"""Practice folder for learners: nbgrader's student versions of every lab, ready to open."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from trainerlab.course import generate_student_versions, source_assignments

# Jupyter config for the learner's JupyterLab (``labconfig/page_config.json``): hides nbgrader's
# instructor and exchange panels, which mean nothing in a practice folder, and the news feed, which
# asks to fetch from the web. binder/start points Binder's JupyterLab at the same folder.
LEARNER_JUPYTER_CONFIG = Path(__file__).resolve().parent / "learner_jupyter"


def learner_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` for the learner's JupyterLab.

    :data:`LEARNER_JUPYTER_CONFIG` comes first on ``JUPYTER_CONFIG_PATH``, and the folder of this
    Python's scripts first on ``PATH``, so that ``trainerlab grade`` works in JupyterLab's terminal
    even when the virtual environment was never activated.
    """
    env = dict(environ)
    first_entries = {"JUPYTER_CONFIG_PATH": LEARNER_JUPYTER_CONFIG, "PATH": Path(sys.executable).parent}
    for name, first in first_entries.items():
        env[name] = os.pathsep.join([str(first), *([env[name]] if env.get(name) else [])])
    return env


def prepare(folder: str | Path = "practice", *, force: bool = False) -> Path:
    """Fill ``folder`` with the student version of each lab; keep a learner's existing work.

    A lab already in ``folder`` is left as it is (it may hold the learner's answers) unless
    ``force`` is given, in which case the old copy is kept beside it as ``<lab>.bak-N``. Only the
    labs to be (re)written are generated, so starting again with every lab in place is quick.
    """
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    wanted = [a for a in source_assignments() if force or not (folder / a).exists()]
    if not wanted:
        return folder
    with tempfile.TemporaryDirectory() as tmp:
        release = Path(tmp) / "release"
        generate_student_versions(release, assignments=wanted)
        for lab in sorted(p for p in release.iterdir() if p.is_dir()):
            target = folder / lab.name
            if target.exists():
                n = 1
                while target.with_name(f"{lab.name}.bak-{n}").exists():
                    n += 1
                target.rename(target.with_name(f"{lab.name}.bak-{n}"))
            shutil.copytree(lab, target)
    return folder
