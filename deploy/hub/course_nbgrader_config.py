"""nbgrader configuration of an AI Trainer Lab course on JupyterHub (the instructor's ``course/``).

The hub copies this file into a new instructor's course folder. It takes every setting of the
repository's course (``nbgrader_config.py`` of the installed checkout: time limits, hidden-test
safety, feedback), then makes this folder the course, with the hub's course id and gradebook.
"""

import os
from pathlib import Path

import trainerlab

c = get_config()  # noqa: F821 - provided by nbgrader/traitlets

load_subconfig(str(Path(trainerlab.__file__).resolve().parent.parent / "nbgrader_config.py"))  # noqa: F821

COURSE = Path(__file__).resolve().parent
c.CourseDirectory.root = str(COURSE)
c.CourseDirectory.course_id = os.environ.get("TRAINERLAB_COURSE_ID", "trainerlab-l3")
# PostgreSQL on a hub (several instructors, formgrader and grade-class at once); SQLite otherwise
c.CourseDirectory.db_url = (os.environ.get("TRAINERLAB_GRADEBOOK_URL")
                            or f"sqlite:///{COURSE / 'gradebook.db'}")
