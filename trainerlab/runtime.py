"""Process settings shared by everything that runs lab kernels (nbgrader, tests, benchmarks)."""

from __future__ import annotations

import os

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def cap_threads(threads: int = 1) -> None:
    """Limit math-library threads for kernels started from this process (unless already set).

    The labs fit small models: on a shared 2-core machine one BLAS thread is several times faster
    than two that fight for the cores, and parallel graders never oversubscribe.
    """
    for variable in THREAD_VARIABLES:
        os.environ.setdefault(variable, str(threads))
