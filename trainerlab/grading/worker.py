"""Grade one submission with nbgrader's own ``Autograde`` converter, inside a throw-away course.

A worker never writes to the real course. For each submission it builds a temporary course with
a copy of the gradebook (so nbgrader sees exactly the state it would see in the real one), the
lab's source folder and a repaired copy of the submitted folder (:mod:`~trainerlab.grading.intake`),
runs ``Autograde`` with :class:`~trainerlab.grading.execute.GuardedExecute` in place of
``Execute``, and reads back what nbgrader recorded. The caller merges that into the real
gradebook (:mod:`~trainerlab.grading.gradebook`) and copies the autograded folder.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import logging
import multiprocessing.util
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import psutil
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearHiddenTests, Execute
from sqlalchemy import Engine, create_engine
from traitlets.config import Config

from trainerlab.grading import intake as intake_mod
from trainerlab.grading.courseconfig import course_timeout, load_course_config, tools_on_path
from trainerlab.grading.execute import GuardedExecute, KernelRun
from trainerlab.grading.guard import FileGuard
from trainerlab.grading.limits import Limits
from trainerlab.grading.results import (
    LOWERED,
    MANUAL,
    UNCHECKED,
    VERIFIED,
    WITHHELD,
    ZERO,
    CellResult,
    Issue,
    SubmissionResult,
)
from trainerlab.grading.sandbox import (
    kernel_environment,
    landlock_abi,
    sandbox_kind,
    write_kernel_spec,
    write_policy,
)
from trainerlab.warmkernel import pool
from trainerlab.warmkernel.imports import notebook_imports

_PR_SET_CHILD_SUBREAPER = 36
_DEVICES = (Path(os.devnull), Path("/dev/shm")) if os.name == "posix" else ()  # also writable under Landlock


@dataclass(frozen=True)
class Job:
    """One submission to grade.

    ``course_root`` is the real course (only read). ``snapshot_db`` is a copy of its gradebook
    taken when the run started. ``work_root`` is where the temporary course is made.
    """

    course_root: str
    assignment: str
    student: str
    snapshot_db: str
    work_root: str
    limits: Limits = Limits()
    verify: bool = True
    labs_module: str = "graders.labs"
    #: fork the kernel from a server that has imported what the lab's notebook imports
    #: (:mod:`trainerlab.warmkernel`), started before nbgrader prepares the notebook
    warm_kernels: bool = True


def init_worker(environ: dict[str, str] | None = None) -> None:
    """Prepare a grading process: tools on PATH, orphan processes adopted, slow imports done.

    ``environ`` is the environment of the run that started the pool: a worker forked from a
    long-lived fork server would otherwise keep the environment the server started with. The
    warm-kernel servers the worker starts are stopped, and waited for, when it ends (a pool's
    process ends with ``os._exit``, which runs no ``atexit`` handler, only multiprocessing's
    finalizers).
    """
    if environ is not None:
        os.environ.clear()
        os.environ.update(environ)
    tools_on_path()
    os.environ.setdefault("MPLBACKEND", "Agg")
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    _font_cache()
    speed_up_nbgrader()
    multiprocessing.util.Finalize(None, pool.shutdown, exitpriority=0)


def _font_cache() -> None:
    """Build matplotlib's font cache here if it is missing (a sandboxed kernel may not write it)."""
    import matplotlib

    if not list(Path(matplotlib.get_cachedir()).glob("fontlist-*.json")):
        import matplotlib.font_manager


def alembic_head() -> str:
    """The schema version nbgrader stamps on a new gradebook, read in-process.

    nbgrader asks a separate ``alembic heads`` process for it (several seconds, and it fails
    when the environment's ``bin`` is not on ``PATH``); the answer is the same.
    """
    import nbgrader
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    config = AlembicConfig()
    config.set_main_option("script_location", str(Path(nbgrader.__file__).parent / "alembic"))
    return str(ScriptDirectory.from_config(config).get_current_head())


@lru_cache(maxsize=8)
def shared_engine(url: str, **options: Any) -> Engine:
    """``sqlalchemy.create_engine(url, **options)``, made once per process for each URL and options.

    Closing a ``Gradebook`` disposes of its engine's connection pool; the engine stays usable (it
    opens a new pool on the next connection) and keeps its cache of compiled statements.
    """
    return create_engine(url, **options)


def speed_up_nbgrader() -> None:
    """Remove two slow steps of nbgrader in this process without changing any result.

    * ``CheckCellMetadata`` calls ``jsonschema.validate`` for every cell, which checks the schema
      itself again each time (about a second per notebook); here the checked validator is reused.
    * Creating a gradebook runs ``alembic heads`` in a subprocess; :func:`alembic_head` reads
      the same version in-process.
    * Each ``Gradebook`` (nbgrader opens one per step of a notebook) made its own SQLAlchemy
      engine, and so compiled every statement anew; gradebooks of one database now share an
      engine (:func:`shared_engine`), whose compiled statements SQLAlchemy keeps.
    """
    import json
    import warnings

    import jsonschema
    import nbgrader.api
    from nbgrader.nbgraderformat import common
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's harmless autoflush warnings
    nbgrader.api.get_alembic_version = cache(alembic_head)
    nbgrader.api.create_engine = shared_engine

    validators: dict[str, jsonschema.protocols.Validator] = {}

    class _Compiled:
        ValidationError = jsonschema.ValidationError

        @staticmethod
        def validate(instance: object, schema: dict) -> None:
            """``jsonschema.validate`` with the schema checked once."""
            key = json.dumps(schema, sort_keys=True)
            validator = validators.get(key)
            if validator is None:
                cls = jsonschema.validators.validator_for(schema)
                cls.check_schema(schema)
                validator = validators[key] = cls(schema)
            error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
            if error is not None:
                raise error

    common.jsonschema = _Compiled


@cache
def _layouts(snapshot_db: str, assignment: str, source_dir: str,
             delimiters: tuple[str, str]) -> dict[str, intake_mod.NotebookLayout]:
    """The assignment's layout, read once per worker (``delimiters``: the course's hidden-test markers)."""
    return intake_mod.assignment_layout(f"sqlite:///{snapshot_db}", assignment, Path(source_dir), delimiters)


@cache
def _lab_imports(source_dir: str) -> str:
    """What the lab's source notebooks import, for the warm server to preload (read once per worker)."""
    return ",".join(notebook_imports(sorted(Path(source_dir).glob("*.ipynb"))))


@cache
def _guard(course_root: str, source_dir: str) -> FileGuard | None:
    """Watch the grading files, unless Landlock already keeps kernels out of them."""
    if landlock_abi():
        return None
    import graders
    import trainerlab
    from trainerlab.paths import datasets_root

    roots = [Path(graders.__file__).parent, Path(trainerlab.__file__).parent, Path(source_dir),
             datasets_root()]
    return FileGuard(roots, extra=[Path(course_root) / "nbgrader_config.py"])


class LogCollector(logging.Handler):
    """Keeps nbgrader's log lines, formatted at once (their arguments are database objects)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the formatted line and its level."""
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        self.records.append((record.levelno, message))


def collecting_logger(name: str) -> tuple[logging.Logger, LogCollector]:
    """A logger for nbgrader's converters that keeps its lines instead of printing them."""
    log = logging.getLogger(name)
    log.handlers.clear()
    handler = LogCollector()
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    return log, handler


# nbgrader's warnings about a submission, in words a teacher can act on.
_LOG_ISSUES = [
    (re.compile(r"Attribute '(locked|points|cell_type)' for cell (\S+) has changed"), "changed-metadata",
     "单元 {1} 的评分设置（{0}）被改动过，已恢复",
     "the grading settings ({0}) of cell {1} were changed; restored"),
    (re.compile(r"Missing grade cell (\S+) encountered"), "restored-test-cell",
     "被删除的评分单元 {0} 已恢复", "deleted graded cell {0} was put back"),
]


def _log_issues(records: list[tuple[int, str]]) -> list[Issue]:
    issues, seen = [], set()
    for _level, message in records:
        for pattern, code, zh, en in _LOG_ISSUES:
            match = pattern.search(message)
            if match and (code, match.groups()) not in seen:
                seen.add((code, match.groups()))
                issues.append(Issue(code, zh.format(*[g.strip("'") for g in match.groups()]),
                                    en.format(*[g.strip("'") for g in match.groups()])))
    return issues


def _children() -> set[int]:
    try:
        return {p.pid for p in psutil.Process().children(recursive=True)}
    except psutil.Error:
        return set()


def _kill_new_children(before: set[int]) -> None:
    """Kill processes a kernel left behind (they were adopted by this subreaper) and reap them."""
    for pid in _children() - before:
        with contextlib.suppress(psutil.Error):
            psutil.Process(pid).kill()
    while hasattr(os, "WNOHANG"):  # POSIX: reap the adopted orphans (Windows keeps no zombies)
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break


def _run_config(job: Job, course: Path, db: Path) -> Config:
    config = copy.deepcopy(load_course_config(Path(job.course_root)))
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = f"sqlite:///{db}"
    config.CourseDirectory.assignment_id = job.assignment
    config.CourseDirectory.student_id = job.student
    config.CourseDirectory.notebook_id = "*"
    config.BaseConverter.force = True
    timeout = job.limits.cell_timeout_or(course_timeout(config))
    config.Execute.timeout = timeout
    return config


def grade_submission(job: Job) -> SubmissionResult:
    """Autograde ``job``'s submission in a temporary course; never raises."""
    started = time.monotonic()
    before = _children()
    try:
        result = _grade(job)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        result = SubmissionResult(job.student, job.assignment, "error",
                                  error="".join(traceback.format_exception(exc))[-4000:])
    finally:
        _kill_new_children(before | pool.server_pids())
    result.seconds = round(time.monotonic() - started, 2)
    return result


def _grade(job: Job) -> SubmissionResult:
    root = Path(job.course_root)
    real = CourseDirectory(config=load_course_config(root))
    source_dir = Path(real.format_path(real.source_directory, ".", job.assignment))
    submitted = Path(real.format_path(real.submitted_directory, job.student, job.assignment))
    temp = Path(tempfile.mkdtemp(prefix=f"{_safe(job.student)}-", dir=job.work_root))
    try:
        result = _grade_in(job, real, source_dir, submitted, temp)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    if result.status == "error":
        shutil.rmtree(temp, ignore_errors=True)
    else:
        result.work_dir = str(temp)
    return result


def _grade_in(job: Job, real: CourseDirectory, source_dir: Path, submitted: Path,
              temp: Path) -> SubmissionResult:
    course = temp / "course"
    course.mkdir()
    db = course / "gradebook.db"
    shutil.copy(job.snapshot_db, db)
    config = _run_config(job, course, db)
    temp_dir = CourseDirectory(config=config)
    lab_copy = Path(temp_dir.format_path(temp_dir.source_directory, ".", job.assignment))
    shutil.copytree(source_dir, lab_copy, ignore=shutil.ignore_patterns(*real.ignore, "*.ipynb"))
    hidden = ClearHiddenTests(config=config)
    layouts = _layouts(job.snapshot_db, job.assignment, str(source_dir),
                       (hidden.begin_test_delimeter, hidden.end_test_delimeter))
    sub_copy = Path(temp_dir.format_path(temp_dir.submitted_directory, job.student, job.assignment))
    restore = bool(config.OverwriteCells.get("add_missing_cells", False))
    taken = intake_mod.prepare(submitted, sub_copy, layouts, limits=job.limits, restore_locked=restore)
    autograded = Path(temp_dir.format_path(temp_dir.autograded_directory, job.student, job.assignment))
    sandbox = temp / "sandbox"
    run = _kernel_run(job, sandbox, autograded, source_dir)
    run.cell_timeout = config.Execute.timeout

    guard = _guard(job.course_root, str(source_dir))
    if guard is not None:
        guard.changed()  # start from the current state
    log, collected = collecting_logger(f"trainerlab.grading.nbgrader.{os.getpid()}")
    failure = None
    if any(taken.prepared.values()):
        converter = Autograde(coursedir=CourseDirectory(config=config, log=log), config=config, log=log)
        guarded = GuardedExecute(config=config, log=log)
        guarded.run = run
        converter.autograde_preprocessors = [
            guarded if isinstance(p, type) and issubclass(p, Execute) else p
            for p in converter.autograde_preprocessors]
        try:
            converter.start()
        except (Exception, SystemExit) as exc:
            failure = exc
    changed = guard.changed() if guard is not None else []
    issues = list(taken.issues) + _log_issues(collected.records)
    result = SubmissionResult(job.student, job.assignment, "graded", files_hash=taken.files_hash,
                              sandbox=sandbox_kind())
    notebook_written = any(autograded.glob("*.ipynb"))
    if failure is not None and not notebook_written:
        tail = [m for level, m in collected.records if level >= logging.ERROR][-8:]
        result.status = "error"
        result.error = f"{type(failure).__name__}: {failure}\n" + "\n".join(tail)
        result.issues = issues
        return result
    _read_gradebook(result, db, job, layouts, taken.prepared, run)
    _kernel_issues(run, issues, sandbox / "kernel.log")
    if changed:
        names = sorted(str(p) for p in changed)
        issues.append(Issue("wrote-outside", f"评分期间评分用的文件被改动，本次得分待人工复核：{names}",
                            f"files used for grading changed while this submission ran; scores held for "
                            f"review: {names}", "error"))
        for cell in result.cells:
            if cell.check != MANUAL and (cell.auto_score or 0) > 0:
                cell.auto_score, cell.needs_manual_grade, cell.check = 0.0, True, WITHHELD
    held = [c.grade_id for c in result.flagged]
    if held:
        issues.append(Issue(
            "held-for-review",
            f"这些题报告的得分在笔记本之外复核时不成立，已按复核结果计分并待人工复核：{held}",
            f"the points these cells reported did not hold up when their answers were re-checked outside "
            f"the notebook; the re-checked score is kept and flagged for review: {held}", "error"))
    result.issues = issues
    result.autograded_dir = str(autograded) if autograded.is_dir() else None
    if any(i.severity != "info" for i in issues) or result.flagged or run.stop_reason:
        result.status = "problems"
    return result


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:40] or "student"


def _kernel_run(job: Job, sandbox: Path, autograded: Path, source_dir: Path) -> KernelRun:
    dirs = {name: sandbox / name for name in ("tmp", "ipython", "jupyter", "cache", "capture", "runtime")}
    for folder in dirs.values():
        folder.mkdir(parents=True, exist_ok=True)
    limits = job.limits
    policy = write_policy(
        sandbox / "policy.json",
        writable=[autograded, dirs["tmp"], dirs["ipython"], dirs["jupyter"], dirs["cache"], dirs["capture"],
                  *_DEVICES],
        memory_mb=limits.memory_mb, file_mb=limits.file_mb,
        cpu_seconds=int(limits.submission_timeout * 2 + 60) if limits.submission_timeout else 0,
        log=sandbox / "kernel.log")
    env = {"TMPDIR": str(dirs["tmp"]), "IPYTHONDIR": str(dirs["ipython"]),
           "JUPYTER_DATA_DIR": str(dirs["jupyter"]), "HF_DATASETS_CACHE": str(dirs["cache"] / "hf"),
           "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    if job.warm_kernels:
        env["TRAINERLAB_WARM_PRELOAD"] = _lab_imports(str(source_dir))
        pool.prestart({**os.environ, **kernel_environment(env)})  # imports while nbgrader prepares
    write_kernel_spec(sandbox / "kernels", policy, env, warm=job.warm_kernels)
    return KernelRun(kernels_dir=sandbox / "kernels", runtime_dir=dirs["runtime"],
                     capture_dir=dirs["capture"], limits=limits, assignment=job.assignment,
                     labs_module=job.labs_module, verify=job.verify)


def _kernel_issues(run: KernelRun, issues: list[Issue], log: Path) -> None:
    if run.timed_out:
        limit = f"{run.cell_timeout} s" if run.cell_timeout else "the cell time limit"
        issues.append(Issue("cell-timeout", f"这些单元超时被中断（{limit}），记 0 分：{run.timed_out}",
                            f"these cells ran longer than {limit} and were interrupted: {run.timed_out}"))
    if run.out_of_memory:
        memory = run.limits.memory_mb
        issues.append(Issue("memory-error", f"这些单元超出内存上限（{memory} MB）：{run.out_of_memory}",
                            f"these cells hit the memory limit ({memory} MB): {run.out_of_memory}"))
    if run.stop_reason:
        zh, en = run.stop_text(run.stop_reason)
        tail = _log_tail(log) if run.stop_reason == "died" else ""
        count = len(run.not_run)
        issues.append(Issue(f"kernel-{run.stop_reason}", f"{zh}；之后的 {count} 个单元未运行，记 0 分{tail}",
                            f"{en}; the {count} cells after it did not run and score zero{tail}", "error"))


def _log_tail(log: Path) -> str:
    """The kernel's last own words (a crash message), without start-up chatter."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    lines = [line for line in lines if line.strip() and "without encryption" not in line]
    return f" ({' | '.join(lines[-3:])[:300]})" if lines else ""


def _read_gradebook(result: SubmissionResult, db: Path, job: Job,
                    layouts: dict[str, intake_mod.NotebookLayout], prepared: dict[str, bool],
                    run: KernelRun) -> None:
    """Fill ``result`` from the temporary gradebook, then apply the re-checks."""
    with Gradebook(f"sqlite:///{db}") as gb:
        try:
            submission = gb.find_submission(job.assignment, job.student)
        except MissingEntry:
            submission = None
        if submission is None:  # nothing could be graded: every cell scores zero, for review
            for name, layout in layouts.items():
                for cell in layout.cells:
                    if cell.grade:
                        max_score = gb.find_graded_cell(cell.grade_id, name, job.assignment).max_score
                        result.cells.append(CellResult(name, cell.grade_id, float(max_score), 0.0, True,
                                                       check=ZERO, note="no gradable notebook"))
            return
        for notebook in submission.notebooks:
            result.late_penalties[notebook.name] = notebook.late_submission_penalty
            for comment in notebook.comments:
                result.comments.append((notebook.name, comment.name, comment.auto_comment))
            for grade in notebook.grades:
                result.cells.append(_cell(notebook.name, grade, prepared.get(notebook.name, False), run))


def _cell(notebook: str, grade: object, prepared: bool, run: KernelRun) -> CellResult:
    score = grade.auto_score
    cell = CellResult(notebook, grade.name, float(grade.max_score), score, bool(grade.needs_manual_grade),
                      nbgrader_score=score)
    if grade.cell_type == "markdown" or (score is None and grade.needs_manual_grade):
        cell.check = MANUAL
        return cell
    if not prepared:
        cell.auto_score, cell.needs_manual_grade, cell.check = 0.0, True, ZERO
        cell.note = "notebook missing or unreadable"
        return cell
    verification = run.checks.get(grade.name)
    if grade.name in run.not_run:
        cell.check, cell.note = ZERO, "not run: the kernel was stopped"
    elif verification is not None:
        cell.verified_score = verification.score
        if verification.score is None:
            if (score or 0) > 0:
                cell.auto_score, cell.needs_manual_grade, cell.check = 0.0, True, WITHHELD
                cell.note = verification.reason
            else:
                cell.check = ZERO
        elif verification.score + 1e-6 < (score or 0):
            cell.auto_score, cell.needs_manual_grade, cell.check = verification.score, True, LOWERED
            cell.note = (f"the cell reported {score:g} but its answer earns {verification.score:g} "
                         "when re-checked outside the notebook")
        else:
            cell.check = VERIFIED
    elif (score or 0) == 0:
        cell.check = ZERO
    else:
        cell.check = UNCHECKED
    return cell
