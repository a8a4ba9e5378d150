"""Process settings shared by everything that runs lab kernels (nbgrader, tests, benchmarks)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def cap_threads(threads: int = 1) -> None:
    """Limit math-library threads for kernels started from this process (unless already set).

    The labs fit small models: on a shared 2-core machine one BLAS thread is several times faster
    than two that fight for the cores, and parallel graders never oversubscribe.
    """
    for variable in THREAD_VARIABLES:
        os.environ.setdefault(variable, str(threads))


def first_on_path(environ: Mapping[str, str], name: str, entry: str | os.PathLike[str]) -> dict[str, str]:
    """A copy of ``environ`` with ``entry`` first on the search-path variable ``name`` (once)."""
    env = dict(environ)
    rest = [p for p in env.get(name, "").split(os.pathsep) if p and p != str(entry)]
    env[name] = os.pathsep.join([str(entry), *rest])
    return env


def with_scripts_on_path(environ: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``environ`` with this Python's scripts folder first on ``PATH``.

    nbgrader calls ``alembic`` and ``jupyter`` by name, and learners type ``trainerlab`` in
    JupyterLab's terminal: all of them live beside this interpreter, in a virtual environment
    that may never have been activated.
    """
    return first_on_path(environ, "PATH", Path(sys.executable).parent)
