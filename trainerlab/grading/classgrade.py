"""``trainerlab grade-class``: autograde a whole class in parallel, into the course's gradebook.

Each submission in ``submitted/<student>/<assignment>/`` is graded by a worker process
(:func:`trainerlab.grading.worker.grade_submission`) in its own temporary course with an SQLite copy
of the gradebook (:func:`~trainerlab.grading.gradebook.worker_copy`, also of a PostgreSQL one), so
workers never contend for the course's database. This process then writes each result
into the real gradebook, one at a time, and puts the autograded folder where nbgrader would
(``autograded/<student>/<assignment>/``, with ``trainerlab_grading.json`` beside the notebook).
formgrader, ``nbgrader generate_feedback`` and ``nbgrader export`` work on the result as usual.

The run is resumable: a submission whose autograded folder records the same submitted files is
skipped unless ``force`` is given. A submission whose grading failed is not written and is graded
again next time. A worker process that dies takes only its current submission with it: the pool
is restarted and that submission retried once. A worker that hangs beyond the hard limit
(:func:`hard_limit_seconds`, well past the kernel's own limits) is killed with every process under
it; its submission is reported as not graded and the rest of the class goes on.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from tqdm import tqdm

from trainerlab.grading import gradebook
from trainerlab.grading.courseconfig import db_url, load_course_config, sqlite_file, tools_on_path
from trainerlab.grading.intake import files_hash
from trainerlab.grading.limits import Limits
from trainerlab.grading.results import REPORT_FILE, SubmissionResult
from trainerlab.grading.worker import Job, grade_submission, init_worker, speed_up_nbgrader
from trainerlab.grading.workerstart import checks_module, worker_context


class GradingError(RuntimeError):
    """The class cannot be graded at all (no gradebook, assignment not generated, ...)."""


@dataclass
class ClassRun:
    """The outcome of one ``grade-class`` run."""

    assignment: str
    results: list[SubmissionResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> list[SubmissionResult]:
        """Submissions that could not be graded (nothing was written for them)."""
        return [r for r in self.results if r.status == "error"]


def default_jobs() -> int:
    """One worker per CPU core this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return max(os.cpu_count() or 1, 1)


def hard_limit_seconds(limits: Limits) -> float:
    """Wall-clock seconds after which a worker still busy with one submission is killed.

    The kernel is stopped at ``submission_timeout`` inside the worker; this bound only catches a
    worker that hangs outside the kernel. It allows for one submission queued ahead on the same
    worker and for start-up and the answer re-checks.
    """
    return 2 * limits.submission_timeout + 120


def submitted_students(coursedir: CourseDirectory, assignment: str) -> list[str]:
    """Students with a submitted folder for ``assignment``."""
    pattern = Path(coursedir.format_path(coursedir.submitted_directory, "*", assignment))
    base = pattern.parent.parent
    return sorted(p.parent.name for p in base.glob(f"*/{pattern.name}") if p.is_dir())


def _already_graded(coursedir: CourseDirectory, in_gradebook: set[str], assignment: str,
                    student: str) -> bool:
    dest = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    if not dest.is_dir() or student not in in_gradebook:
        return False
    src = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
    report = dest / REPORT_FILE
    if report.is_file():
        try:
            return json.loads(report.read_text(encoding="utf-8")).get("files_hash") == files_hash(src)
        except (ValueError, OSError):
            return False
    # graded by plain nbgrader: its own rule (the submission is not newer than the autograded copy)
    new, old = coursedir.get_existing_timestamp(str(src)), coursedir.get_existing_timestamp(str(dest))
    return not (new is not None and old is not None and new > old)


def install(coursedir: CourseDirectory, db_url: str, result: SubmissionResult) -> None:
    """Put a graded submission into the course: autograded folder and gradebook rows."""
    dest = Path(coursedir.format_path(coursedir.autograded_directory, result.student, result.assignment))
    staging = dest.parent / f".{dest.name}.trainerlab-new"
    shutil.rmtree(staging, ignore_errors=True)
    if result.autograded_dir and Path(result.autograded_dir).is_dir():
        shutil.copytree(result.autograded_dir, staging)
    else:
        staging.mkdir(parents=True)
    result.write(staging / REPORT_FILE)
    src = Path(coursedir.format_path(coursedir.submitted_directory, result.student, result.assignment))
    timestamp = coursedir.get_existing_timestamp(str(src)) if _timestamp_ok(result) else None
    gradebook.merge(db_url, result, timestamp)
    if dest.exists():
        shutil.rmtree(dest)
    staging.rename(dest)


def _timestamp_ok(result: SubmissionResult) -> bool:
    return not any(issue.code == "bad-timestamp" for issue in result.issues)


def grade_class(
    course_root: Path,
    assignment: str,
    *,
    jobs: int | None = None,
    force: bool = False,
    students: Iterable[str] | None = None,
    limits: Limits | None = None,
    verify: bool = True,
    labs_module: str = "graders.labs",
    progress: bool = True,
    on_result: Callable[[SubmissionResult], None] | None = None,
) -> ClassRun:
    """Autograde every (or the named) submission of ``assignment`` in parallel worker processes."""
    started = time.monotonic()
    limits = limits or Limits()
    tools_on_path()
    speed_up_nbgrader()  # this process writes each result into the gradebook
    course_root = Path(course_root).resolve()
    config = load_course_config(course_root)
    coursedir = CourseDirectory(config=config)
    url = db_url(config, course_root)
    file = sqlite_file(url)
    if (file is not None and not file.is_file()) or not _has_assignment(url, assignment):
        raise GradingError(f"成绩库中没有作业 {assignment}，请先运行 / the gradebook has no assignment "
                           f"{assignment}; run first: nbgrader generate_assignment {assignment}")
    found = submitted_students(coursedir, assignment)
    wanted = found if students is None else [s for s in found if s in set(students)]
    run = ClassRun(assignment)
    todo = []
    in_gradebook = gradebook.submitters(url, assignment)
    for student in wanted:
        if not force and _already_graded(coursedir, in_gradebook, assignment, student):
            run.skipped.append(student)
        else:
            todo.append(student)
    if not todo:
        run.seconds = round(time.monotonic() - started, 2)
        return run
    work = Path(tempfile.mkdtemp(prefix="trainerlab-grade-class-"))
    try:
        snap = gradebook.worker_copy(url, work / "gradebook.snapshot.db")
        make = [Job(str(course_root), assignment, s, str(snap), str(work), limits, verify, labs_module)
                for s in todo]
        # disable=None: no bar when stderr is not a terminal (logs, cron), problems are still written
        bar = tqdm(total=len(make), desc=f"grade-class {assignment}", unit="nb",
                   disable=None if progress else True,
                   file=sys.stderr, dynamic_ncols=True)
        counts = {"graded": 0, "problems": 0, "error": 0}

        def finished(result: SubmissionResult) -> None:
            """Write one result into the course (this process only) and report progress."""
            if result.status != "error":
                try:
                    install(coursedir, url, result)
                except Exception as exc:
                    result.status, result.error = "error", f"writing the result failed: {exc!r}"
            if result.work_dir:
                shutil.rmtree(result.work_dir, ignore_errors=True)
            run.results.append(result)
            counts[result.status] = counts.get(result.status, 0) + 1
            bar.set_postfix(counts, refresh=False)
            bar.update(1)
            if result.status != "graded":
                bar.write(_one_line(result))
            if result.status == "error":  # the whole account, for the teacher (and a bug report)
                bar.write(textwrap.indent((result.error or "").strip()[-4000:], "    | "))
            if on_result is not None:
                on_result(result)

        _run_pool(make, jobs or default_jobs(), finished,
                  hard_seconds=hard_limit_seconds(limits))
        bar.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    run.results.sort(key=lambda r: r.student)
    run.seconds = round(time.monotonic() - started, 2)
    return run


def _has_assignment(url: str, assignment: str) -> bool:
    try:
        return gradebook.has_assignment(url, assignment)
    except SQLAlchemyError as exc:
        raise GradingError(f"无法打开成绩库 / cannot open the gradebook {_without_password(url)}: "
                           f"{str(exc).splitlines()[0]}") from exc


def _without_password(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _one_line(result: SubmissionResult) -> str:
    if result.status == "error":
        return f"  {result.student}: 未能评分 / not graded — {result.cause[:160]}"
    notes = "; ".join(i.en for i in result.issues if i.severity != "info")[:200]
    return f"  {result.student}: {result.auto_points:g}/{result.auto_max:g} — {notes}"


def _run_pool(jobs: list[Job], workers: int,
              finished: Callable[[SubmissionResult], None], *, hard_seconds: float,
              grade: Callable[[Job], SubmissionResult] = grade_submission) -> None:
    """Run ``grade`` on ``jobs`` in a process pool.

    Survives a worker process that dies (its submission is retried once) and one that hangs for
    more than ``hard_seconds`` on a submission (it is killed with its processes and the submission
    reported as not graded); the other submissions in flight are graded again in a new pool.
    """
    attempts = {job.student: 0 for job in jobs}
    pending = list(jobs)
    context = worker_context(checks_module(job.assignment, job.labs_module) for job in jobs)
    while pending:
        with ProcessPoolExecutor(max_workers=min(workers, len(pending)), mp_context=context,
                                 initializer=init_worker, initargs=(dict(os.environ),)) as pool:
            futures: dict[Future, Job] = {pool.submit(grade, job): job for job in pending}
            pending = []
            running_since: dict[Future, float] = {}
            broken = False
            while futures and not broken:
                done, _ = wait(futures, timeout=1.0, return_when=FIRST_COMPLETED)
                for future in done:
                    job = futures.pop(future)
                    try:
                        finished(future.result())
                    except BrokenProcessPool:
                        broken = True
                        attempts[job.student] += 1
                        if attempts[job.student] >= 2:
                            finished(SubmissionResult(
                                job.student, job.assignment, "error",
                                error="the grading process died twice on this submission"))
                        else:
                            pending.append(job)
                now = time.monotonic()
                hung = []
                for future in futures:
                    if future.running() and not future.done():
                        since = running_since.setdefault(future, now)
                        if now - since > hard_seconds:
                            hung.append(future)
                if hung:  # the workers are killed below, with the pool
                    broken = True
                    for future in hung:
                        job = futures.pop(future)
                        finished(SubmissionResult(
                            job.student, job.assignment, "error",
                            error=f"grading did not finish within {hard_seconds:g} s; "
                                  "its processes were stopped"))
            for future, job in futures.items():
                future.cancel()
                pending.append(job)
            if broken:
                _kill_workers(pool)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """SIGKILL the pool's worker processes and every process under them (kernels included)."""
    workers = getattr(pool, "_processes", None) or {}
    for pid in list(workers):
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(pid)
            for proc in [*root.children(recursive=True), root]:
                with contextlib.suppress(psutil.Error):
                    proc.kill()


def render_class(run: ClassRun) -> str:
    """A summary table of a ``grade-class`` run."""
    lines = [f"{run.assignment}: {len(run.results)} 份已评分 / graded, {len(run.skipped)} 份已跳过 / skipped "
             f"(already graded; --force to grade again), {run.seconds:g} s"]
    if run.results:
        lines.append(f"{'student':<16} {'auto':>10}  {'status':<9} notes")
    for result in run.results:
        if result.status == "error":
            lines.append(f"{result.student:<16} {'—':>10}  {'error':<9} 未能评分，未写入成绩库 / not graded, "
                         f"nothing written: {result.cause[:120]}")
            continue
        score = f"{result.auto_points:g}/{result.auto_max:g}"
        notes = "; ".join(f"{i.en}" for i in result.issues if i.severity != "info")
        flagged = [c.grade_id for c in result.flagged]
        if flagged:
            notes = f"held for review: {flagged}; " + notes
        lines.append(f"{result.student:<16} {score:>10}  {result.status:<9} {notes[:300]}")
    return "\n".join(lines)
