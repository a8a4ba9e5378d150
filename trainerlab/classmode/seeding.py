"""Grading each student on their own variant: the seed comes from the course secret, per notebook.

:class:`StudentSeed` runs before nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``
(``nbgrader_config.py``). For each submission it derives the student's seed for the assignment from
the course secret and sets ``TRAINERLAB_SEED`` in the grading process's environment, which the
kernel about to start inherits and the checks outside the kernel (``trainerlab grade-class``'s
re-checks) read. Without a secret file it does nothing: a practice course keeps its seeds.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from trainerlab.classmode.secret import load_secret, student_seed
from trainerlab.variants import SEED_VARIABLE


class StudentSeed(NbGraderPreprocessor):
    """Set ``TRAINERLAB_SEED`` to the student's seed from the course secret before the kernel starts."""

    secret_file = Unicode("", help="the course secret's file; no file, no change").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        """Set the seed of ``resources``' student and assignment (nothing changes in the notebook)."""
        if self.secret_file and Path(self.secret_file).is_file():
            info = resources["nbgrader"]
            seed = student_seed(load_secret(Path(self.secret_file)), info["assignment"], info["student"])
            os.environ[SEED_VARIABLE] = str(seed)
        return nb, resources
