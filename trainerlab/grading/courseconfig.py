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


def db_url(config: Config, root: Path) -> str:
    """The course's gradebook URL (``CourseDirectory.db_url``), a relative SQLite file taken from ``root``.

    SQLite is the default (one instructor, one machine); a hub course may name any database
    SQLAlchemy reaches, e.g. ``postgresql+psycopg://user@host/gradebook`` (``pip install -e ".[hub]"``).
    """
    url = str(config.CourseDirectory.get("db_url", "sqlite:///gradebook.db"))
    if not url.startswith("sqlite:///"):
        return url
    path = Path(url[len("sqlite:///"):])
    return f"sqlite:///{path if path.is_absolute() else root / path}"


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///`` gradebook URL, or None for a database server."""
    return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None


def db_path(config: Config, root: Path) -> Path:
    """The file of the course's SQLite gradebook (a database server has none: ValueError)."""
    url = db_url(config, root)
    path = sqlite_file(url)
    if path is None:
        raise ValueError(f"成绩库不是 SQLite 文件 / the gradebook is not an SQLite file: {url}")
    return path


def course_timeout(config: Config) -> int | None:
    """The per-cell timeout nbgrader would use for this course (``Execute.timeout``)."""
    value = config.Execute.get("timeout", 30)
    return None if value is None else int(value)
