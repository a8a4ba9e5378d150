"""How ``grade-class`` starts its grading processes: forked from a server that imported the grader once.

A spawned worker imports nbgrader, the grading code and the lab's checks anew (3–6 CPU-seconds
each); a fork server imports them once and forks each worker from that state. It is a
single-threaded process of its own, so forking it is safe where forking the grading command (with
its pool and progress threads) is not. Where there is no fork server (Windows, macOS's default),
workers are spawned.

This module imports nothing heavy, so that ``trainerlab grade-class`` can start the server
(:func:`start_early`) before it imports nbgrader itself: both import at the same time.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import sys
from collections.abc import Iterable

#: what every worker needs, besides the lab's checks
WORKER_MODULE = "trainerlab.grading.worker"


def checks_module(assignment: str, labs_module: str) -> str:
    """The module holding ``assignment``'s checks: what a worker grading it imports.

    The repository's course keeps each lab's checks in ``graders.<lab>`` (``integrity.course_lab``
    imports that module alone); another registry (a mock exam's task bank) is imported whole.
    """
    return f"graders.{assignment}" if labs_module == "graders.labs" else labs_module


def worker_context(checks: Iterable[str]) -> multiprocessing.context.BaseContext:
    """The start method of the grading processes, preloading ``checks`` where a fork server is used.

    The preload is read when the server starts, by this process's first pool (or
    :func:`start_early`): later pools fork from the same server and import what else they need.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods() or not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([WORKER_MODULE, *sorted(set(checks))])
    return context


def start_early(assignment: str, labs_module: str) -> None:
    """Start the fork server now, in the background, for grading ``assignment``.

    The server imports the grader and the lab's checks while the caller goes on (reading the
    course, importing nbgrader): the first worker then forks at once instead of after both.
    """
    context = worker_context([checks_module(assignment, labs_module)])
    if context.get_start_method() == "forkserver":
        multiprocessing.forkserver.ensure_running()
