"""The warm-kernel server: imports the libraries once, then forks a kernel process per request.

Started by :mod:`trainerlab.warmkernel.pool` as ``python -m trainerlab.warmkernel.zygote FD``, where
``FD`` is its end of a ``SOCK_SEQPACKET`` socket pair. Each request on it is one JSON message
``{"argv": [python, "-m", module, ...], "env": {...}, "cwd": "..."}`` carrying the kernel's stdin,
stdout and stderr as file descriptors. The server forks; the child becomes the process a fresh
``python -m module ...`` would have been (its own session, the request's environment, folder,
``sys.path[0]``, ``sys.argv``, fresh random seeds, no cached temporary folder) and runs ``module``
as ``__main__``. The server answers ``{"pid": N}`` with one end of a new socket pair, on which it
later sends ``{"returncode": R}`` (``R`` as :attr:`subprocess.Popen.returncode`) when the child ends.

When the control socket closes (the process that started the server has gone), the server kills
the process groups of the kernels it still runs and exits. A server with nothing running that has
had no request for ``TRAINERLAB_WARM_IDLE`` seconds (default :data:`IDLE_SECONDS`) exits too, so a
long-running process keeps no idle copy of the libraries; its client starts a new one when needed.
It exits at once, without tearing the libraries down. It runs one thread and imports only the
standard library (and :mod:`~trainerlab.warmkernel.imports`, which imports no more) before the
preloads.
"""

from __future__ import annotations

import array
import atexit
import contextlib
import importlib
import json
import os
import runpy
import selectors
import signal
import socket
import sys
import tempfile
import time
import traceback
import warnings

from trainerlab.warmkernel.imports import KERNEL_MODULES

#: What the server imports before forking, unless ``TRAINERLAB_WARM_PRELOAD`` (comma-separated) names
#: the modules (for a lab: what its notebook imports, :func:`trainerlab.warmkernel.imports.notebook_imports`).
DEFAULT_PRELOAD = ("numpy", "pandas", "scipy.stats", "sklearn", *KERNEL_MODULES)
MAX_MESSAGE = 1 << 20
IDLE_SECONDS = 120.0


def preload(environ: dict[str, str] | os._Environ) -> list[str]:
    """Import the preloaded modules; return those that could not be imported (they are skipped).

    matplotlib is left out unless ``MPLBACKEND`` is set: it fixes its backend when imported, and
    without the variable ipykernel chooses the backend only when the kernel starts.
    """
    names = [n.strip() for n in environ.get("TRAINERLAB_WARM_PRELOAD", ",".join(DEFAULT_PRELOAD)).split(",")]
    if not environ.get("MPLBACKEND"):
        names = [n for n in names if n.split(".")[0] != "matplotlib"]
    missing = []
    # debugpy warns on import that frozen standard modules may hide breakpoints: true of every kernel,
    # and nobody debugs in a kernel this server forks while grading.
    environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in filter(None, names):
            try:
                importlib.import_module(name)
            except Exception:
                missing.append(name)
    return missing


def _become(request: dict, fds: list[int], started: int, keep_closed: list) -> None:
    """In the forked child: turn into ``python -m module ...`` as the request describes; never returns."""
    code = 1
    try:
        os.setsid()
        os.write(started, b"1")
        os.close(started)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a new Python process
        signal.set_wakeup_fd(-1)
        for sock in keep_closed:
            sock.close()
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        env = dict(request["env"])
        env["JPY_PARENT_PID"] = str(os.getppid())  # ipykernel exits if this server goes
        os.environ.clear()
        os.environ.update(env)
        os.chdir(request["cwd"])
        sys.path[0] = os.getcwd()  # as ``python -m`` puts the start folder first
        tempfile.tempdir = None
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()  # the legacy global generator, fresh as in a new process
        argv = _kernel_arguments(request["argv"])
        sys.argv = [argv[0], *argv[3:]]
        runpy.run_module(argv[2], run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(BaseException):
            atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        os._exit(code)


def _kernel_arguments(argv: list[str]) -> list[str]:
    """ipykernel's arguments, with the parent it reads from ``JPY_PARENT_PID`` when imported given again.

    The preloaded ``IPKernelApp`` took that default in this server; on the command line it is the
    child's own (the kernel exits when its parent goes, and prints no stand-alone banner).
    """
    if "ipykernel.kernelapp" in sys.modules and "-f" in argv:
        return [*argv, f"--IPKernelApp.parent_handle={os.environ['JPY_PARENT_PID']}"]
    return argv


def _receive(control: socket.socket) -> tuple[dict | None, list[int]]:
    """One request and its file descriptors; ``(None, [])`` when the control socket is closed."""
    fds = array.array("i")
    message, ancillary, _flags, _addr = control.recvmsg(MAX_MESSAGE, socket.CMSG_LEN(16 * fds.itemsize))
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    if not message:
        return None, list(fds)
    return json.loads(message), list(fds)


def serve(control: socket.socket, idle_seconds: float = IDLE_SECONDS) -> None:
    """Answer launch requests on ``control`` until it closes, then stop every kernel still running.

    Returns as well once nothing runs and no request has come for ``idle_seconds``.
    """
    wake_reader, wake_writer = socket.socketpair()
    wake_reader.setblocking(False)
    wake_writer.setblocking(False)
    signal.set_wakeup_fd(wake_writer.fileno())
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C for the grader is not for this server
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ)
    selector.register(wake_reader, selectors.EVENT_READ)
    running: dict[int, socket.socket] = {}
    open_ = True
    last_busy = time.monotonic()
    while open_ or running:
        if running:
            last_busy = time.monotonic()
        elif time.monotonic() - last_busy > idle_seconds:
            return
        if not open_:
            for pid in running:
                with contextlib.suppress(OSError):
                    os.killpg(pid, signal.SIGKILL)
        for key, _ in selector.select(timeout=1.0):
            if key.fileobj is wake_reader:
                with contextlib.suppress(BlockingIOError):
                    wake_reader.recv(4096)
                continue
            request, fds = _receive(control)
            if request is None:
                open_ = False
                selector.unregister(control)
                continue
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            started_reader, started_writer = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(started_reader)
                _become(request, fds, started_writer,
                        [selector, control, wake_reader, wake_writer, ours, theirs, *running.values()])
            os.close(started_writer)
            os.read(started_reader, 1)  # the child leads its own process group before its pid is given out
            os.close(started_reader)
            for fd in fds:
                os.close(fd)
            running[pid] = ours
            socket.send_fds(control, [json.dumps({"pid": pid}).encode()], [theirs.fileno()])
            theirs.close()
        _reap(running)


def _reap(running: dict[int, socket.socket]) -> None:
    """Report each ended child's return code on its status socket."""
    while running:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        status_socket = running.pop(pid, None)
        if status_socket is not None:
            with contextlib.suppress(OSError):
                status_socket.send(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}).encode())
            status_socket.close()


def main(argv: list[str] | None = None) -> None:
    """Entry point: ``python -m trainerlab.warmkernel.zygote CONTROL_FD``."""
    args = sys.argv[1:] if argv is None else argv
    control = socket.socket(fileno=int(args[0]))
    missing = preload(os.environ)
    socket.send_fds(control, [json.dumps({"ready": True, "missing": missing}).encode()], [])
    serve(control, float(os.environ.get("TRAINERLAB_WARM_IDLE", IDLE_SECONDS)))
    # nothing to flush or close: skip tearing down the preloaded libraries (half a second of CPU)
    os._exit(0)


if __name__ == "__main__":
    main()
