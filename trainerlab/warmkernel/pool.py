"""The client side of warm kernels: one server per import environment, and the kernels it forks.

:func:`launch` starts a kernel command ``[python, "-m", module, ...]`` by asking a
:mod:`~trainerlab.warmkernel.zygote` server (started on first use, one per distinct environment
of the variables libraries read at import) to fork it, and returns a :class:`ForkedKernel` that
behaves as the :class:`subprocess.Popen` jupyter_client would have made. Anything else — another
interpreter, other Python options, an independent kernel, a system without ``fork`` and file
descriptor passing — returns ``None``, and the caller starts the command as usual.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import IO

#: Variables a kernel may set to its own value without needing another server: read at run time,
#: not when the preloaded libraries are imported (``tempfile`` forgets its folder in the child).
PER_KERNEL = ("JPY_", "KERNEL_", "NBGRADER_", "TRAINERLAB_SEED", "TRAINERLAB_MODE", "TRAINERLAB_SANDBOX",
              "TMPDIR", "TEMP", "TMP", "IPYTHONDIR", "JUPYTER_", "HF_", "PWD", "OLDPWD",
              "PYTHONEXECUTABLE")  # the last one jupyter_client removes from a kernel's environment
#: Linux only: macOS has fork and descriptor passing, but its system libraries (Accelerate, the
#: Objective-C runtime) are not safe to use in a child forked after they were loaded.
SUPPORTED = (sys.platform.startswith("linux") and hasattr(socket, "send_fds")
             and hasattr(socket, "SOCK_SEQPACKET"))
MAX_MESSAGE = 1 << 16
#: The variable naming the modules a server imports (read by :mod:`~trainerlab.warmkernel.zygote`).
PRELOAD = "TRAINERLAB_WARM_PRELOAD"


class Unavailable(RuntimeError):
    """The server could not start or answer: the kernel is started the usual way instead."""


def import_environment(env: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The part of ``env`` that decides which server may fork a kernel for it."""
    return tuple(sorted((k, v) for k, v in env.items() if not k.startswith(PER_KERNEL)))


class ForkedKernel:
    """A kernel process forked by a server, with the :class:`subprocess.Popen` methods jupyter_client uses."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, status: socket.socket) -> None:
        self.pid = pid
        self.args: list[str] = []
        self.returncode: int | None = None
        self._status = status

    def _read_status(self, timeout: float | None) -> None:
        self._status.settimeout(timeout)
        try:
            message = self._status.recv(MAX_MESSAGE)
        except (TimeoutError, BlockingIOError):
            return
        except OSError:
            message = b""
        if message:
            self.returncode = int(json.loads(message)["returncode"])
        elif not _alive(self.pid):  # the server went first: the exit code is lost
            self.returncode = -signal.SIGKILL
        else:
            return
        self._status.close()

    def poll(self) -> int | None:
        """The return code if the kernel has ended, else ``None``."""
        if self.returncode is None:
            self._read_status(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the kernel to end; :class:`subprocess.TimeoutExpired` after ``timeout`` seconds."""
        if self.returncode is None:
            self._read_status(timeout)
        if self.returncode is None:
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel (nothing once it has ended)."""
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        """SIGTERM."""
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL."""
        self.send_signal(signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Server:
    """One running zygote, its control socket and the environment it was started with."""

    def __init__(self, env: Mapping[str, str]) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._lock = threading.Lock()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "trainerlab.warmkernel.zygote", str(theirs.fileno())],
            pass_fds=[theirs.fileno()], env=dict(env), stdin=subprocess.DEVNULL)
        theirs.close()
        self.control = ours
        self._ready = False

    def _await_ready(self) -> None:
        if not self._ready:
            if not self.control.recv(MAX_MESSAGE):
                raise Unavailable("the warm-kernel server ended while importing")
            self._ready = True

    def fork(self, argv: list[str], env: Mapping[str, str], cwd: str, streams: list[int]) -> ForkedKernel:
        """Ask the server for a kernel; :class:`Unavailable` if it has gone."""
        request = json.dumps({"argv": argv, "env": dict(env), "cwd": cwd}).encode()
        with self._lock:
            try:
                self._await_ready()
                socket.send_fds(self.control, [request], streams)
                message, fds, _flags, _addr = socket.recv_fds(self.control, MAX_MESSAGE, 1)
            except OSError as exc:
                raise Unavailable(f"the warm-kernel server does not answer: {exc}") from exc
        if not message or not fds:
            raise Unavailable("the warm-kernel server ended")
        kernel = ForkedKernel(int(json.loads(message)["pid"]), socket.socket(fileno=fds[0]))
        kernel.args = list(argv)
        return kernel

    def close(self) -> None:
        """Close the control socket: the server stops its kernels and exits."""
        with contextlib.suppress(OSError):
            self.control.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)


_servers: dict[tuple[tuple[str, str], ...], Server] = {}
_servers_lock = threading.Lock()


def _server(env: Mapping[str, str]) -> Server:
    key = import_environment(env)
    with _servers_lock:
        server = _servers.get(key)
        if server is None or server.process.poll() is not None:
            if not _servers:
                atexit.register(shutdown)  # this process waits for its servers, as for any child
            server = _servers[key] = Server(env)
        return server


def eligible(cmd: list[str], kwargs: Mapping[str, object]) -> bool:
    """Whether ``cmd`` (with jupyter_client's Popen keywords) can be forked from a server."""
    if not SUPPORTED or os.environ.get("TRAINERLAB_WARM_KERNELS", "1") == "0":
        return False
    if kwargs.get("independent") or set(kwargs) - {"env", "cwd", "stdin", "stdout", "stderr", "independent"}:
        return False
    if len(cmd) < 3 or cmd[1] != "-m":
        return False
    with contextlib.suppress(OSError):
        return os.path.samefile(cmd[0], sys.executable)
    return False


def _fd(stream: int | IO | None, default: int, opened: list[int]) -> int:
    if stream is None or stream == subprocess.PIPE:
        return default
    if stream == subprocess.DEVNULL:
        opened.append(os.open(os.devnull, os.O_RDWR))
        return opened[-1]
    return stream if isinstance(stream, int) else stream.fileno()


def launch(cmd: list[str], preload: Sequence[str] | None = None, **kwargs: object) -> ForkedKernel | None:
    """Fork ``cmd`` from a warm server, or ``None`` when it must be started as a new process.

    ``preload``: the modules the server imports, in place of what ``TRAINERLAB_WARM_PRELOAD`` in
    ``env`` names (the command itself still gets ``env`` as it is).
    """
    if not eligible(cmd, kwargs):
        return None
    env = dict(kwargs.get("env") or os.environ)  # type: ignore[arg-type]
    server_env = env if preload is None else {**env, PRELOAD: ",".join(preload)}
    cwd = str(kwargs.get("cwd") or os.getcwd())
    opened = [os.open(os.devnull, os.O_RDONLY)]  # the kernel's stdin, as jupyter_client closes it
    try:
        streams = [opened[0], _fd(kwargs.get("stdout"), 1, opened),  # type: ignore[arg-type]
                   _fd(kwargs.get("stderr"), 2, opened)]  # type: ignore[arg-type]
        for _attempt in range(2):
            server = _server(server_env)
            try:
                return server.fork(list(cmd), env, cwd, streams)
            except Unavailable:
                server.close()
        return None
    finally:
        for fd in opened:
            os.close(fd)


def run(cmd: list[str], *, cwd: str, env: Mapping[str, str],
        preload: Sequence[str]) -> subprocess.CompletedProcess[str] | None:
    """Run ``cmd`` (``[python, "-m", module, ...]``) to its end, forked from a server that has
    imported ``preload``, with its output captured as text, as ``subprocess.run(cmd,
    capture_output=True, text=True)`` would; ``None`` when it must be started as a new process."""
    out_reader, out_writer = os.pipe()
    err_reader, err_writer = os.pipe()
    try:
        child = launch(cmd, preload, env=env, cwd=cwd, stdout=out_writer, stderr=err_writer)
    finally:
        os.close(out_writer)
        os.close(err_writer)
    if child is None:
        os.close(out_reader)
        os.close(err_reader)
        return None
    with open(out_reader, "rb") as out, open(err_reader, "rb") as err:
        errors: list[bytes] = []
        reader = threading.Thread(target=lambda: errors.append(err.read()), daemon=True)
        reader.start()
        output = out.read()
        reader.join()
    returncode = child.wait()
    return subprocess.CompletedProcess(cmd, returncode, output.decode(errors="replace"),
                                       errors[0].decode(errors="replace"))


def prestart(env: Mapping[str, str]) -> None:
    """Start the server for ``env`` now, so that it imports while the caller does other work."""
    if SUPPORTED and os.environ.get("TRAINERLAB_WARM_KERNELS", "1") != "0":
        _server(env)


def server_pids() -> set[int]:
    """The process ids of the servers this process runs (they outlive each kernel)."""
    with _servers_lock:
        return {server.process.pid for server in _servers.values() if server.process.poll() is None}


def shutdown() -> None:
    """Stop every server this process started (each stops its kernels)."""
    with _servers_lock:
        for server in _servers.values():
            server.close()
        _servers.clear()
