"""Windows and macOS learners: the grading path without Linux's modules and calls.

The machine here is Linux, so the other systems' code paths are run by taking away what Windows
lacks: the ``resource`` module (in this process and in the grading kernel, through a
``sitecustomize`` on the kernel's ``PYTHONPATH``), ``os.execv`` in the kernel (``exec`` on Windows
starts a new process, so the launcher must become ipykernel in place), POSIX process groups and
``waitpid`` flags in the grader, and Landlock. The kernel process itself still runs on Linux, so its
Landlock rule still applies; that is the one difference from a real Windows run.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from pathlib import Path

import pytest
from notebook_runs import ROOT, lab_source

from graders.checking import Task
from graders.labs import LABS
from trainerlab.grading import sandbox, worker
from trainerlab.grading.progress import read_record, record_grade
from trainerlab.grading.results import VERIFIED
from trainerlab.grading.selfgrade import self_grade

pytestmark = pytest.mark.xdist_group("grading_selfgrade")

_SHIM = '''"""Test shim: this process has no ``resource`` module and no ``os.execv``, as on Windows."""
import os
import sys
from pathlib import Path

import psutil  # noqa: F401  (psutil's own Linux module keeps its import)

sys.modules["resource"] = None
os.__dict__.pop("execv", None)
with open(Path(__file__).with_name("kernels.txt"), "a", encoding="utf-8") as log:
    log.write(f"{os.getpid()}\\n")
'''


@pytest.fixture
def without_resource(monkeypatch: pytest.MonkeyPatch):
    """``trainerlab.grading.sandbox`` imported where ``resource`` does not exist."""
    monkeypatch.setitem(sys.modules, "resource", None)
    module = importlib.reload(sandbox)
    yield module
    monkeypatch.undo()
    importlib.reload(sandbox)


def test_the_sandbox_imports_and_sets_no_limit_without_resource(without_resource) -> None:
    assert without_resource.resource is None
    assert without_resource.apply_rlimits(memory_mb=512, file_mb=10, cpu_seconds=60) == []
    assert without_resource.sandbox_kind(0) == "watchdog-only"
    present = {p.en: p.present for p in without_resource.protections()}
    assert present["a separate process with time limits"]
    assert present["memory watchdog (stopped when over the limit)"]
    assert not present["hard memory cap"] and not present["file-size and CPU-time limits"]


def test_the_missing_protections_are_named_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "landlock_abi", lambda: 0)
    monkeypatch.setattr(sandbox, "resource", None)
    notice = sandbox.missing_notice()
    for missing in ("hard memory cap", "file-size and CPU-time limits", "file-system confinement",
                    "no network"):
        assert missing in notice
    assert "内存硬上限" in notice and notice.index("内存") < notice.index("hard memory")  # Chinese first
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(sandbox, "resource", object())
    assert "hard memory cap" in sandbox.missing_notice()  # macOS does not enforce RLIMIT_AS


def test_on_linux_with_landlock_nothing_but_the_network_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "landlock_abi", lambda: 3)
    if sandbox.resource is None or not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    assert sandbox.missing_notice() is None


def test_a_real_self_grade_runs_without_the_linux_only_modules_and_calls(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, without_resource) -> None:
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(_SHIM, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(shim), os.environ.get("PYTHONPATH", "")]))
    for name in ("killpg", "WNOHANG"):
        monkeypatch.delattr(os, name)
    monkeypatch.setattr(worker, "landlock_abi", lambda: 0)  # the grader watches the files instead
    monkeypatch.setattr(worker, "sandbox_kind", without_resource.sandbox_kind)
    worker._guard.cache_clear()
    notebook = tmp_path / "practice" / "data_cleaning" / LABS["data_cleaning"].notebook
    notebook.parent.mkdir(parents=True)
    shutil.copy(lab_source("data_cleaning"), notebook)

    graded = self_grade(notebook, course_root=ROOT)
    worker._guard.cache_clear()

    assert (shim / "kernels.txt").is_file()  # the kernel started with the shim in force
    result = graded.result
    assert result.status == "graded", result.error or result.issues
    assert result.sandbox == "watchdog-only"
    tasks = [t for t in LABS["data_cleaning"].tasks if isinstance(t, Task)]
    cells = {c.grade_id: c for c in result.cells}
    for task in tasks:
        assert (cells[task.grade_id].auto_score, cells[task.grade_id].check) == (task.points, VERIFIED)
    assert graded.feedback is not None and graded.feedback.is_file()
    assert record_grade(graded) is not None  # progress and the home page read it back
    assert read_record(notebook, LABS["data_cleaning"]).auto_points == sum(t.points for t in tasks)


def test_no_path_is_joined_with_a_slash_and_no_shell_is_called() -> None:
    """Paths go through pathlib and commands are argument lists (Windows has no /bin/sh)."""
    offenders = []
    for path in [*(ROOT / "trainerlab").rglob("*.py"), *(ROOT / "graders").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for needle in ("shell=True", "os.system(", '+ "/"', "+ '/'"):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert not offenders


def test_start_on_windows_runs_jupyterlab_as_a_child_and_never_asks_for_root(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trainerlab import cli, practice

    calls = []
    monkeypatch.delattr(os, "geteuid")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(practice, "prepare", lambda *a, **k: tmp_path)
    monkeypatch.setattr(practice, "outdated_labs", lambda folder: [])
    monkeypatch.setattr(os, "execve", lambda *a: pytest.fail("exec on Windows"))
    monkeypatch.setattr(cli.subprocess, "call", lambda command, env: calls.append(command) or 0)
    assert cli.main(["start", "--folder", str(tmp_path)]) == 0
    assert calls and "--allow-root" not in calls[0] and calls[0][1:3] == ["-m", "jupyterlab"]
