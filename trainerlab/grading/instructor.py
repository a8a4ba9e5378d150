"""``trainerlab instructor``: the instructor's JupyterLab on the course, with nbgrader's formgrader.

Formgrader opens from JupyterLab's Nbgrader menu (Nbgrader → Formgrader), or at ``/formgrader``
of the same server.

The course here lives on one machine (``submitted/`` is filled by hand or by ``trainerlab``), so
the instructor's JupyterLab loads :data:`INSTRUCTOR_JUPYTER_CONFIG` first: without nbgrader's
student-side exchange panels and their server handlers, with :class:`NoExchange` as formgrader's
exchange (nbgrader's file exchange logs "Unwritable directory, please contact your instructor" on
every formgrader page when ``/usr/local/share/nbgrader/exchange`` does not exist), and without
JupyterLab's news question. As root, JupyterLab refuses to start without ``--allow-root``; it is
added only then. JupyterLab runs in the course folder, where nbgrader finds ``nbgrader_config.py``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from nbgrader.exchange import ExchangeError
from nbgrader.exchange.abc import ExchangeList

from trainerlab.runtime import first_on_path, with_scripts_on_path

INSTRUCTOR_JUPYTER_CONFIG = Path(__file__).resolve().parent.parent / "instructor_jupyter"
FORMGRADER_URL = "/formgrader"


def is_root() -> bool:
    """Whether this process runs as the superuser (never on Windows, which has no ``geteuid``)."""
    return getattr(os, "geteuid", lambda: 1)() == 0


def instructor_command(course: Path, extra: Sequence[str] = (), *, as_root: bool | None = None) -> list[str]:
    """The JupyterLab command line for the course at ``course`` (``extra``: more JupyterLab options)."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={course}"]
    if is_root() if as_root is None else as_root:
        command.append("--allow-root")
    return command + list(extra)


def instructor_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` with the instructor's Jupyter config first and this Python's scripts on ``PATH``."""
    return first_on_path(with_scripts_on_path(environ), "JUPYTER_CONFIG_PATH", INSTRUCTOR_JUPYTER_CONFIG)


class NoExchange(ExchangeList):
    """The exchange of a single-machine course: there is none (``submitted/`` is filled directly)."""

    def start(self) -> None:
        """Tell nbgrader, quietly, that no exchange is set up (formgrader then hides its exchange parts)."""
        raise ExchangeError("this course has no exchange")
