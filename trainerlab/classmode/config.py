"""What a course's ``nbgrader_config.py`` adds for class mode (both steps do nothing without a secret)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbgrader.converters import Autograde
from nbgrader.preprocessors import SaveAutoGrades

from trainerlab.classmode.reach import HoldReachingAnswers
from trainerlab.classmode.secret import secret_path
from trainerlab.classmode.seeding import StudentSeed


def configure_class_mode(c: Any, course: Path) -> None:
    """Add class mode's steps to nbgrader's autograding of the course at ``course``.

    :class:`StudentSeed` before the kernel starts (each student's own seed from the course secret),
    :class:`HoldReachingAnswers` before the scores are saved (answers reaching into the grader held).
    """
    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    save = steps.index(SaveAutoGrades)
    c.Autograde.autograde_preprocessors = [StudentSeed, *steps[:save], HoldReachingAnswers, *steps[save:]]
    c.StudentSeed.secret_file = c.HoldReachingAnswers.secret_file = str(secret_path(course))
