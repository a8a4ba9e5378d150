"""The limits every graded submission runs under (time, memory, files, output)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Resource limits for grading one submission.

    ``cell_timeout`` ``None`` keeps the course's ``Execute.timeout`` (nbgrader_config.py). A cell
    that runs longer is interrupted and scores zero; the notebook goes on with the next cell.
    ``submission_timeout`` bounds the whole notebook (wall clock): when it is reached the kernel is
    stopped and every cell not yet run scores zero. ``memory_mb`` is the virtual-memory limit
    (``RLIMIT_AS``) of the kernel and of each process it starts; the grader also stops the kernel
    when the resident memory of all its processes together goes over it. ``0`` disables a limit.
    """

    cell_timeout: int | None = None
    submission_timeout: float = 600.0
    memory_mb: int = 2048
    file_mb: int = 256
    output_mb: float = 2.0
    max_processes: int = 64
    notebook_mb: int = 100
    answer_mb: int = 256

    def cell_timeout_or(self, course_timeout: int | None) -> int | None:
        """The per-cell timeout to use, given the course's configured one."""
        return self.cell_timeout if self.cell_timeout is not None else course_timeout
