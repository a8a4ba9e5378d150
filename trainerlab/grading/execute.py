"""nbgrader's ``Execute`` step, hardened: sandboxed kernel, limits, capped output, answer re-checks.

:class:`GuardedExecute` replaces ``Execute`` in the autograde pipeline and otherwise behaves
like it (same config, same outputs), so scores of ordinary submissions stay exactly nbgrader's.
What it adds:

* the kernel starts through :mod:`trainerlab.grading.sandbox` (memory/file limits, Landlock), and
  counts as ready once it has answered (:mod:`trainerlab.warmkernel.client`), not 0.2 s later;
* a watchdog stops the kernel when the submission's wall-clock limit is reached, when its
  processes together use more memory than allowed, or when it starts too many processes;
* a kernel that dies or stops answering no longer fails the whole submission: the cell that
  was running gets an error saying why, every later cell is marked as not run (zero points),
  and the cells already graded keep their scores;
* output beyond a per-cell budget is dropped (errors, results and one stderr message are kept,
  so dropping never changes a score);
* after each autograded cell the answer is fetched from the kernel and re-graded in this process
  (:mod:`trainerlab.grading.integrity`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import secrets
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from jupyter_client.kernelspec import KernelSpecManager
from nbclient.client import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from nbgrader.utils import is_grade

from trainerlab.grading import answerdata, integrity
from trainerlab.grading.limits import Limits
from trainerlab.grading.results import Issue
from trainerlab.grading.sandbox import KERNEL_NAME
from trainerlab.warmkernel.client import PromptKernelClient

_MB = 1024 * 1024
_STDERR_KEEP = 2000

STOP_MESSAGES = {
    "memory": ("内核因超出内存上限被停止（{memory} MB）",
               "the kernel was stopped: memory limit of {memory} MB exceeded"),
    "time": ("内核因超出整本笔记本的时间上限被停止（{seconds:g} 秒）",
             "the kernel was stopped: time limit of {seconds:g} s for the whole notebook reached"),
    "processes": ("内核因启动了过多进程被停止（上限 {processes} 个）",
                  "the kernel was stopped: it started more than {processes} processes"),
    "died": ("内核意外退出（崩溃、被杀死或调用了 exit）",
             "the kernel died (crashed, was killed or called exit)"),
    "unresponsive": ("单元超时后内核没有响应中断，已被停止",
                     "the kernel ignored the interrupt after a cell timed out and was stopped"),
}


@dataclass
class KernelRun:
    """Per-submission settings and findings shared between the worker and :class:`GuardedExecute`."""

    kernels_dir: Path
    runtime_dir: Path
    capture_dir: Path
    limits: Limits
    assignment: str
    labs_module: str = "graders.labs"
    verify: bool = True
    checks: dict[str, integrity.Verification] = field(default_factory=dict)
    unverifiable: set[str] = field(default_factory=set)
    issues: list[Issue] = field(default_factory=list)
    stop_reason: str | None = None
    not_run: list[str] = field(default_factory=list)
    timed_out: list[str] = field(default_factory=list)
    out_of_memory: list[str] = field(default_factory=list)
    deadline: float = 0.0
    cell_timeout: int | None = None

    def stop_text(self, reason: str) -> tuple[str, str]:
        """The bilingual explanation of why the kernel was stopped."""
        zh, en = STOP_MESSAGES[reason]
        values = {"memory": self.limits.memory_mb, "seconds": self.limits.submission_timeout,
                  "processes": self.limits.max_processes}
        return zh.format(**values), en.format(**values)


class Watchdog(threading.Thread):
    """Stops the kernel's process group on the submission's time, memory or process limit."""

    def __init__(self, kernel: psutil.Process, run: KernelRun) -> None:
        super().__init__(daemon=True, name=f"trainerlab-watchdog-{kernel.pid}")
        self.kernel = kernel
        self.run_ctx = run
        self.reason: str | None = None
        self._stop_event = threading.Event()

    def stop(self) -> None:
        """End the watch (the kernel is shutting down normally)."""
        self._stop_event.set()

    def run(self) -> None:
        """Poll the kernel's process tree four times a second."""
        limits = self.run_ctx.limits
        root = self.kernel
        while not self._stop_event.wait(0.25):
            if time.monotonic() > self.run_ctx.deadline:
                self.kill("time")
                return
            if not root.is_running():  # gone (and its pid perhaps taken by another process)
                return
            try:
                procs = [root, *root.children(recursive=True)]
            except (psutil.Error, OSError):  # a process vanished while the tree was read: look again
                continue
            if limits.max_processes and len(procs) > limits.max_processes:
                self.kill("processes", procs)
                return
            if limits.memory_mb:
                rss = 0
                for proc in procs:
                    with contextlib.suppress(psutil.Error, OSError):
                        rss += proc.memory_info().rss
                if rss > limits.memory_mb * _MB:
                    self.kill("memory", procs)
                    return

    def kill(self, reason: str, procs: list[psutil.Process] | None = None) -> None:
        """Kill the kernel, its process group and every process it started."""
        self.reason = self.reason or reason
        kill_tree(self.kernel, procs)


def kill_tree(kernel: psutil.Process, procs: list[psutil.Process] | None = None) -> None:
    """SIGKILL the kernel's process group and the listed (or found) descendants.

    The group and the descendants are looked up only while the kernel is still the same process
    (psutil compares start times): pids are reused quickly on a busy machine, and a kernel that is
    already gone must not take a newer process's group with it. Its orphans are reaped by the
    grading process, a subreaper.
    """
    alive = kernel.is_running()
    if procs is None:
        procs = []
        if alive:
            with contextlib.suppress(psutil.Error, OSError):
                procs = [kernel, *kernel.children(recursive=True)]
    if alive and hasattr(os, "killpg"):  # POSIX process groups; on Windows the tree is killed below
        with contextlib.suppress(OSError):
            os.killpg(kernel.pid, signal.SIGKILL)
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.kill()


def _error_output(ename: str, zh: str, en: str) -> NotebookNode:
    text = f"{zh} / {en}"
    return NotebookNode(output_type="error", ename=ename, evalue=text, traceback=[f"{ename}: {text}"])


def _stream(text: str) -> NotebookNode:
    return NotebookNode(output_type="stream", name="stdout", text=text)


def _size(content: dict[str, Any]) -> int:
    if "text" in content:
        return len(content["text"])
    data = content.get("data") or {}
    return sum(len(v) if isinstance(v, str) else len(str(v)) for v in data.values())


class GuardedExecute(Execute):
    """nbgrader's ``Execute`` with the sandbox, limits, output cap and answer re-checks.

    Create it with the course config, then set :attr:`run` before each notebook.
    """

    run: KernelRun | None = None

    # --- kernel --------------------------------------------------------------------------------

    def create_kernel_manager(self) -> Any:
        """A kernel manager for the sandbox kernel spec written for this submission."""
        assert self.run is not None
        specs = KernelSpecManager(kernel_dirs=[str(self.run.kernels_dir)])
        self.kernel_name = KERNEL_NAME
        self.km = self.kernel_manager_class(kernel_name=KERNEL_NAME, kernel_spec_manager=specs,
                                            client_factory=PromptKernelClient, config=self.config)
        self.km.connection_file = str(self.run.runtime_dir / f"kernel-{secrets.token_hex(6)}.json")
        return self.km

    def _kernel_process(self) -> psutil.Process | None:
        """The kernel's process, identified while it runs (so a later reuse of its pid is told apart)."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        pid = getattr(process, "pid", None)
        if not pid:
            return None
        try:
            return psutil.Process(pid)
        except psutil.Error:
            return None

    # --- the notebook ---------------------------------------------------------------------------

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> Any:
        """Run every cell like ``ExecutePreprocessor.preprocess``, surviving a lost kernel."""
        assert self.run is not None
        run = self.run
        NotebookClient.__init__(self, nb, km)  # as nbconvert's ExecutePreprocessor.preprocess does
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        self.shutdown_kernel = "immediate"
        run.deadline = time.monotonic() + run.limits.submission_timeout
        self._registry = f"_trainerlab_remote_{secrets.token_hex(6)}"
        self._cwd = (resources or {}).get("metadata", {}).get("path") or os.getcwd()
        watchdog: Watchdog | None = None
        with self.setup_kernel():
            kernel = self._kernel_process()
            if kernel is not None:
                watchdog = Watchdog(kernel, run)
                watchdog.start()
            try:
                info = self.wait_for_reply(self.kc.kernel_info())
                if info is not None:
                    self.nb.metadata["language_info"] = info["content"]["language_info"]
                for index, cell in enumerate(self.nb.cells):
                    self._run_one(cell, resources, index, watchdog)
            finally:
                if watchdog is not None:
                    watchdog.stop()
                if run.stop_reason and kernel is not None:
                    kill_tree(kernel)
        self.set_widgets_metadata()
        return self.nb, self.resources

    def _run_one(self, cell: NotebookNode, resources: Any, index: int, watchdog: Watchdog | None) -> None:
        run = self.run
        assert run is not None
        if cell.cell_type != "code":
            return
        if run.stop_reason is None and time.monotonic() > run.deadline:
            run.stop_reason = "time"
        if run.stop_reason is not None:
            if cell.source.strip():
                cell.outputs = [_error_output("NotRun", "此单元未运行：内核已被停止",
                                              "not run: the kernel was stopped")]
                run.not_run.append(cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {index}"))
            return
        self._budget = int(run.limits.output_mb * _MB) if run.limits.output_mb else None
        self._used = 0
        self._dropped = 0
        self._kept_stderr = False
        try:
            self.preprocess_cell(cell, resources, index)
        except DeadKernelError:
            run.stop_reason = (watchdog.reason if watchdog and watchdog.reason else "died")
            cell.outputs.append(_error_output("KernelStopped", *run.stop_text(run.stop_reason)))
            return
        except CellTimeoutError:
            run.stop_reason = "unresponsive"
            cell.outputs.append(_error_output("KernelStopped", *run.stop_text(run.stop_reason)))
            return
        name = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {index + 1}")
        errors = {o.get("ename") for o in cell.outputs if o.get("output_type") == "error"}
        if "CellTimeoutError" in errors:
            run.timed_out.append(name)
        if "MemoryError" in errors:
            run.out_of_memory.append(name)
        if self._dropped:
            mb = self._dropped / _MB
            # first, so that nbgrader's LimitOutput (which cuts long streams) keeps it
            cell.outputs.insert(0, _stream(
                f"[trainerlab] 输出过多，已截去 {mb:.1f} MB / too much output: {mb:.1f} MB dropped\n"))
        if is_grade(cell) and run.verify:
            self._recheck(cell)

    # --- output cap -----------------------------------------------------------------------------

    def output(self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None,
               cell_index: int) -> NotebookNode | None:
        """Keep errors, results and the first stderr message; drop other output over the budget."""
        budget = getattr(self, "_budget", None)
        kind = msg["msg_type"]
        content = msg["content"]
        if budget is None or kind == "error":
            return super().output(outs, msg, display_id, cell_index)
        size = _size(content)
        is_stderr = kind == "stream" and content.get("name") == "stderr"
        if kind == "execute_result" or self._used + size <= budget:
            self._used += size
            if kind == "execute_result" and size > budget:
                data = content.get("data", {})
                content["data"] = {"text/plain": str(data.get("text/plain", ""))[:_STDERR_KEEP]}
            self._kept_stderr |= is_stderr
            return super().output(outs, msg, display_id, cell_index)
        self._dropped += size
        if is_stderr and not self._kept_stderr:
            self._kept_stderr = True
            content["text"] = content["text"][:_STDERR_KEEP]
            return super().output(outs, msg, display_id, cell_index)
        return None

    # --- re-check -------------------------------------------------------------------------------

    def _recheck(self, cell: NotebookNode) -> None:
        run = self.run
        assert run is not None
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        if any(o.get("output_type") == "error" for o in cell.outputs):
            return  # scores zero: nothing to protect
        call = integrity.find_grade_call(cell.source)
        task = integrity.resolve_task(run.labs_module, run.assignment, grade_id)
        if call is None or task is None:
            run.unverifiable.add(grade_id)
            return
        token = secrets.token_hex(8)
        path = run.capture_dir / f"{token}.answer"
        try:
            self._in_kernel(integrity.capture_code(call, str(path), token, self._registry))
            data = self._take(path)
        except _KernelSaid as exc:
            run.checks[grade_id] = integrity.Verification(
                None, f"the kernel did not return the answer ({exc})")
            return
        timeout = 3.0 * float(self.timeout or 60)
        run.checks[grade_id] = integrity.verify(task, data, cwd=self._cwd, timeout=timeout,
                                                remote=self._remote, max_bytes=run.limits.answer_mb * _MB)

    def _in_kernel(self, code: str) -> None:
        """Run grader code silently in the kernel; raise :class:`_KernelSaid` unless it succeeds."""
        try:
            msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False,
                                     stop_on_error=False)
            reply = self.wait_for_reply(msg_id)
        except (DeadKernelError, CellTimeoutError, RuntimeError) as exc:
            raise _KernelSaid("KernelLost", str(exc)) from None
        content = (reply or {}).get("content", {})
        if content.get("status") != "ok":
            raise _KernelSaid(content.get("ename", "NoReply"), content.get("evalue", "no reply in time"))

    def _take(self, path: Path) -> bytes:
        """Read and delete a file the kernel wrote (refusing oversized ones)."""
        assert self.run is not None
        try:
            if not path.is_file():
                raise _KernelSaid("NoAnswer", "nothing was written")
            if path.stat().st_size > self.run.limits.answer_mb * _MB:
                raise _KernelSaid("TooLarge", f"larger than {self.run.limits.answer_mb} MB")
            return path.read_bytes()
        finally:
            path.unlink(missing_ok=True)

    def _remote(self, key: str) -> integrity.RemoteFunction:
        return integrity.RemoteFunction(key, self._call_remote)

    def _call_remote(self, key: str, args: tuple, kwargs: dict) -> Any:
        """Call the learner's function ``key`` in the kernel on ``args``; return its checked result."""
        assert self.run is not None
        token = secrets.token_hex(8)
        arguments = self.run.capture_dir / f"{token}.in.pkl"
        result = self.run.capture_dir / f"{token}.out.answer"
        arguments.write_bytes(pickle.dumps((args, kwargs), protocol=4))
        try:
            self._in_kernel(integrity.call_code(self._registry, key, str(arguments), str(result), token))
        except _KernelSaid as exc:
            raise integrity.remote_error(exc.ename, exc.evalue) from None
        finally:
            arguments.unlink(missing_ok=True)
        try:
            data = self._take(result)
        except _KernelSaid as exc:
            raise integrity.remote_error(exc.ename, exc.evalue) from None
        try:
            return answerdata.loads(data, self._remote, max_bytes=self.run.limits.answer_mb * _MB)
        except answerdata.RefusedAnswer as exc:
            raise integrity.remote_error("RefusedAnswer", str(exc)) from None


class _KernelSaid(Exception):
    """Grader code run in the kernel failed (the learner's code raised, or the kernel was lost)."""

    def __init__(self, ename: str, evalue: str) -> None:
        super().__init__(f"{ename}: {evalue}")
        self.ename, self.evalue = ename, evalue
