"""The grading kernel's sandbox: resource limits and a write-only-here file-system rule.

The grader starts every learner kernel through this module (``python -m
trainerlab.grading.sandbox --policy FILE -f CONNECTION_FILE ...``). Before it replaces itself with
``ipykernel`` it

* sets resource limits that the kernel and every process it starts inherit: virtual memory
  (``RLIMIT_AS``), the size of any file written (``RLIMIT_FSIZE``), CPU seconds and no core dumps;
* on Linux 5.13 and later, applies a Landlock rule set: the kernel may read everything but may
  create, change or delete files only inside the submission's own folder and its private temporary
  folder. Landlock needs no privileges and cannot be lifted by the process it applies to.

Without Landlock (another OS, an old kernel) writes outside the folder are not prevented; the
grader then detects changed course files instead (see :mod:`trainerlab.grading.guard`). Without
``resource`` (Windows) no resource limit is set: the kernel is still a separate process stopped by
the grader's watchdog on the time, memory and process limits. :func:`protections` says which
protections this system gives. The kernel becomes ipykernel in this same process (not ``exec``:
on Windows that starts a new process and the grader would see its kernel exit). This module
imports only the standard library so the kernel starts quickly.
"""

from __future__ import annotations

import ctypes
import json
import os
import runpy
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

try:
    import resource
except ImportError:  # Windows: no resource limits (the watchdog still applies)
    resource = None

from trainerlab.runtime import THREAD_LIMITS

KERNEL_NAME = "trainerlab-sandbox"

# Landlock system calls (the same numbers on every Linux architecture) and flags.
_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

_WRITE_FILE = 1 << 1
_REMOVE_DIR, _REMOVE_FILE = 1 << 4, 1 << 5
_MAKE_CHAR, _MAKE_DIR, _MAKE_REG, _MAKE_SOCK = 1 << 6, 1 << 7, 1 << 8, 1 << 9
_MAKE_FIFO, _MAKE_BLOCK, _MAKE_SYM = 1 << 10, 1 << 11, 1 << 12
_REFER, _TRUNCATE = 1 << 13, 1 << 14  # Landlock ABI 2 and 3
_FILE_RIGHTS = _WRITE_FILE | _TRUNCATE

# Environment of the grading kernel: one thread per numeric library (kernels run side by side) and
# allocators that do not reserve gigabytes of address space, so a virtual-memory limit is meaningful.
KERNEL_ENV = {
    **THREAD_LIMITS,
    "MALLOC_ARENA_MAX": "2",
    "ARROW_DEFAULT_MEMORY_POOL": "system",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_OFFLINE": "1",
    "MPLBACKEND": "Agg",
    "PYTHONDONTWRITEBYTECODE": "1",
}


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The Landlock ABI version this system offers (0 when Landlock is unavailable)."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        version = _libc().syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0),
                                  ctypes.c_uint32(_CREATE_RULESET_VERSION))
    except (OSError, AttributeError):
        return 0
    return max(int(version), 0)


def _dir_rights(abi: int) -> int:
    rights = (_WRITE_FILE | _REMOVE_DIR | _REMOVE_FILE | _MAKE_CHAR | _MAKE_DIR | _MAKE_REG
              | _MAKE_SOCK | _MAKE_FIFO | _MAKE_BLOCK | _MAKE_SYM)
    if abi >= 2:
        rights |= _REFER
    if abi >= 3:
        rights |= _TRUNCATE
    return rights


def restrict_writes(writable: Sequence[str | os.PathLike[str]]) -> int:
    """Allow this process (and its children) to write only beneath ``writable``; return the ABI.

    Returns 0 and changes nothing when Landlock is unavailable. Raises :class:`OSError` when
    Landlock is available but the rule set cannot be applied.
    """
    abi = landlock_abi()
    if abi <= 0:
        return 0
    libc = _libc()
    handled = _dir_rights(abi)
    attr = _RulesetAttr(handled)
    ruleset = libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)),
                           ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    try:
        for path in writable:
            if not os.path.exists(path):
                continue
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            try:
                is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)
                rule = _PathBeneathAttr(handled if is_dir else handled & _FILE_RIGHTS, fd)
                if libc.syscall(_SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH),
                                ctypes.byref(rule), ctypes.c_uint32(0)) < 0:
                    raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
            finally:
                os.close(fd)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
        if libc.syscall(_SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) < 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)
    return abi


def apply_rlimits(*, memory_mb: int, file_mb: int, cpu_seconds: int) -> list[str]:
    """Set the resource limits of this process (inherited by every process it starts).

    Returns the names of the limits set: none without ``resource`` (Windows); a limit the system
    refuses (macOS rejects some address-space limits) is left out rather than failing the kernel.
    """
    if resource is None:
        return []
    limits = [(resource.RLIMIT_CORE, 0)]
    if memory_mb > 0:
        limits.append((resource.RLIMIT_AS, memory_mb * 1024 * 1024))
    if file_mb > 0:
        limits.append((resource.RLIMIT_FSIZE, file_mb * 1024 * 1024))
    if cpu_seconds > 0:
        limits.append((resource.RLIMIT_CPU, cpu_seconds))
    names = {resource.RLIMIT_CORE: "core", resource.RLIMIT_AS: "memory", resource.RLIMIT_FSIZE: "file size",
             resource.RLIMIT_CPU: "cpu time"}
    applied = []
    for which, value in limits:
        try:
            _soft, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, value if hard == resource.RLIM_INFINITY else hard))
        except (ValueError, OSError):
            continue
        applied.append(names[which])
    return applied


def sandbox_kind(abi: int | None = None, limits: bool | None = None) -> str:
    """``landlock-N`` (limits and write confinement), ``limits-only`` or ``watchdog-only`` (Windows)."""
    abi = landlock_abi() if abi is None else abi
    limits = resource is not None if limits is None else limits
    if not limits:
        return "watchdog-only"
    return f"landlock-{abi}" if abi else "limits-only"


@dataclass(frozen=True)
class Protection:
    """One protection of the grading kernel and whether this system gives it."""

    zh: str
    en: str
    present: bool


def protections() -> list[Protection]:
    """What keeps a graded notebook in bounds here (Linux, macOS or Windows)."""
    hard_memory = resource is not None and sys.platform != "darwin"  # macOS does not enforce RLIMIT_AS
    return [
        Protection("独立进程与时间上限", "a separate process with time limits", True),
        Protection("内存监控（超限即停止）", "memory watchdog (stopped when over the limit)", True),
        Protection("内存硬上限", "hard memory cap", hard_memory),
        Protection("文件大小与 CPU 时间上限", "file-size and CPU-time limits", resource is not None),
        Protection("文件系统隔离（只能写自己的文件夹）",
                   "file-system confinement (writes only in its own folder)", landlock_abi() > 0),
        Protection("断网", "no network", False),
    ]


def missing_notice() -> str | None:
    """A plain bilingual sentence naming the protections missing here (``None`` on a Linux with Landlock).

    The network is blocked on no system (the labs never need it), so it is named only beside another gap.
    """
    found = protections()
    missing = [p for p in found if not p.present]
    if all(p.en == "no network" for p in missing):
        return None
    return ("ℹ 本系统评分时缺少这些保护：" + "、".join(p.zh for p in missing)
            + "（评分用的文件被改动会被发现并待复核）/ This system grades without: "
            + ", ".join(p.en for p in missing)
            + " (changes to the grading files are detected and held for review).")


def write_policy(path: Path, *, writable: Sequence[Path], memory_mb: int, file_mb: int,
                 cpu_seconds: int, log: Path | None = None) -> Path:
    """Write the sandbox policy file the kernel launcher reads.

    ``log`` receives the kernel process's own stdout and stderr (not the notebook's output, which
    travels over the kernel protocol): start-up warnings, crash messages.
    """
    policy = {"writable": [str(p) for p in writable], "memory_mb": memory_mb, "file_mb": file_mb,
              "cpu_seconds": cpu_seconds, "log": str(log) if log else None}
    path.write_text(json.dumps(policy, indent=1), encoding="utf-8")
    return path


def kernel_environment(env: dict[str, str]) -> dict[str, str]:
    """The variables the grading kernel spec sets: :data:`KERNEL_ENV` with ``env`` on top."""
    return {**KERNEL_ENV, **env}


def write_kernel_spec(kernels_dir: Path, policy: Path, env: dict[str, str], *, warm: bool = False) -> str:
    """Write a kernel spec that starts ipykernel through this sandbox; return its name.

    ``warm``: the kernel is forked from a server that has imported the libraries already
    (:mod:`trainerlab.warmkernel`); the sandbox is applied in the forked process all the same.
    """
    spec_dir = kernels_dir / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "trainerlab.grading.sandbox", "--policy", str(policy),
                 "-f", "{connection_file}"],
        "display_name": "Python 3 (trainerlab grading sandbox)",
        "language": "python",
        "env": kernel_environment(env),
        "interrupt_mode": "signal",
    }
    if warm:
        from trainerlab.warmkernel import kernel_spec_metadata

        spec["metadata"] = kernel_spec_metadata()
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return KERNEL_NAME


def main(argv: Sequence[str] | None = None) -> None:
    """Kernel launcher: apply the policy given by ``--policy FILE``, then become ipykernel."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or args[0] != "--policy":
        raise SystemExit("usage: python -m trainerlab.grading.sandbox --policy FILE -f CONNECTION ...")
    policy = json.loads(Path(args[1]).read_text(encoding="utf-8"))
    rest = args[2:]
    if policy.get("log"):
        fd = os.open(policy["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
    applied = apply_rlimits(memory_mb=int(policy.get("memory_mb", 0)), file_mb=int(policy.get("file_mb", 0)),
                            cpu_seconds=int(policy.get("cpu_seconds", 0)))
    abi = restrict_writes(policy.get("writable", []))
    os.environ["TRAINERLAB_SANDBOX"] = sandbox_kind(abi, bool(applied))
    sys.argv = [sys.executable, *rest]
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
