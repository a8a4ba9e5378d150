"""Load a course's nbgrader configuration the way the ``nbgrader`` command does, in-process."""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_core.paths import jupyter_config_path
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from trainerlab.runtime import with_scripts_on_path

CONFIG_FILE = "nbgrader_config.py"


def tools_on_path() -> None:
    """Put this interpreter's ``bin`` folder on ``PATH``.

    nbgrader runs the ``alembic`` command when it creates a gradebook; without the virtual
    environment's ``bin`` on ``PATH`` that fails and leaves a gradebook without a schema version.
    """
    os.environ["PATH"] = with_scripts_on_path(os.environ)["PATH"]


def load_course_config(root: Path) -> Config:
    """The merged nbgrader configuration of the course at ``root``.

    Like nbgrader: the system and user Jupyter config folders first, the course's own
    ``nbgrader_config.py`` last (it wins). ``CourseDirectory.root`` is set to ``root``.
    """
    config = Config()
    folders = [str(root), *jupyter_config_path()]
    for folder in reversed(folders):
        if (Path(folder) / CONFIG_FILE).is_file():
            config.merge(PyFileConfigLoader(CONFIG_FILE, path=folder).load_config())
    config.CourseDirectory.root = str(root)
    return config


def db_path(config: Config, root: Path) -> Path:
    """The file of the course's SQLite gradebook (other databases are not supported here)."""
    url = str(config.CourseDirectory.get("db_url", "sqlite:///gradebook.db"))
    if not url.startswith("sqlite:///"):
        raise ValueError(
            f"只支持 SQLite 成绩库 / only SQLite gradebooks are supported by trainerlab grade-class: {url}"
        )
    path = Path(url[len("sqlite:///"):])
    return path if path.is_absolute() else (root / path)


def course_timeout(config: Config) -> int | None:
    """The per-cell timeout nbgrader would use for this course (``Execute.timeout``)."""
    value = config.Execute.get("timeout", 30)
    return None if value is None else int(value)
