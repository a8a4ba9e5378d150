"""Process settings shared by everything that runs lab kernels (nbgrader, tests, benchmarks, Binder).

This is the one place that caps math-library threads: the labs fit small models, and on a shared
2-core machine one BLAS thread is several times faster than two that fight for the cores, so
parallel graders never oversubscribe. ``python -m trainerlab.runtime`` prints the same caps as shell
``export`` lines (``binder/start`` uses them).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

#: Environment variables that cap the threads of the math libraries kernels load, one thread each.
THREAD_LIMITS = {variable: "1" for variable in
                 ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")}


def cap_threads() -> None:
    """Apply :data:`THREAD_LIMITS` to kernels started from this process (unless already set)."""
    for variable, value in THREAD_LIMITS.items():
        os.environ.setdefault(variable, value)


@contextmanager
def single_threaded() -> Iterator[None]:
    """One math-library thread inside this process (deterministic, fast fits of small models)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield


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


if __name__ == "__main__":
    print("export " + " ".join(f"{k}={v}" for k, v in THREAD_LIMITS.items()))
