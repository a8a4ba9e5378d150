"""Real services for the hub course's tests: a private PostgreSQL, a JupyterHub, and clients for them.

Everything listens on loopback only and is stopped on exit, also when a test fails. PostgreSQL is
Debian's (``postgresql``, installed by ``.ci/run``): a throw-away cluster is made with ``initdb`` in a
temporary folder and started with ``pg_ctl`` on a free port; as root it runs as the ``postgres``
system user (PostgreSQL refuses to run as root). JupyterHub runs ``deploy/hub/jupyterhub_config.py``
with the proxy ``.ci/run`` installs from npm (``.ci/node``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
HUB_CONFIG = ROOT / "deploy" / "hub" / "jupyterhub_config.py"
PROXY = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path | None:
    """The folder of Debian's PostgreSQL server programs (the newest version), if installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    return found[-1].parent if found else None


def missing_services() -> str | None:
    """Why the hub course cannot be tested here, or None when everything it needs is installed."""
    if postgres_bin() is None:
        return "PostgreSQL is not installed (Debian's postgresql; .ci/run installs it as root or with sudo)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "as root PostgreSQL must run as the postgres user, and runuser is missing"
    if not PROXY.is_file():
        return (f"configurable-http-proxy is not installed in {PROXY.parent} "
                "(.ci/run: npm install --prefix .ci/node)")
    for module in ("jupyterhub", "psycopg", "websocket"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (pip install -e '.[hub]')"
    return None


@contextlib.contextmanager
def postgres(database: str = "gradebook") -> Iterator[str]:
    """A new PostgreSQL cluster on a free loopback port; yields the SQLAlchemy URL of ``database``."""
    bin_dir = postgres_bin()
    assert bin_dir is not None, missing_services()
    folder = Path(tempfile.mkdtemp(prefix="trainerlab-pg-"))
    data, port = folder / "data", free_port()
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]

    def run(*command: str) -> None:
        subprocess.run([*as_postgres, *command], check=True, capture_output=True, text=True, cwd=folder)

    started = False
    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "trainerlab", "-E", "UTF8",
            "--no-sync")
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-s", "-l", str(folder / "server.log"), "start",
            "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off")
        started = True
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "trainerlab", database)
        yield f"postgresql+psycopg://trainerlab@127.0.0.1:{port}/{database}"
    finally:
        if started:
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-s", "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Hub:
    """A running JupyterHub: its public URL, an admin service token and the shared folders."""

    url: str
    token: str
    root: Path
    pid: int
    #: each user's notebook session whose kernel runs the commands (:meth:`execute`)
    kernels: dict[str, dict] = field(default_factory=dict)

    def cpu_seconds(self) -> float:
        """CPU seconds used so far by the hub and everything under it (the proxy, servers, kernels, the
        commands run there), counting processes that have ended and were waited for."""
        total = 0.0
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(self.pid)
            for proc in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    times = proc.cpu_times()
                    total += times.user + times.system + times.children_user + times.children_system
        return total

    def api(self, method: str, path: str, **kwargs: object) -> requests.Response:
        """Call the hub's REST API (``/hub/api`` + ``path``) with the service token."""
        response = requests.request(method, f"{self.url}/hub/api{path}", timeout=60,
                                    headers={"Authorization": f"token {self.token}"}, **kwargs)
        assert response.ok, f"{method} {path}: {response.status_code} {response.text[:500]}"
        return response

    def server(self, user: str, method: str, path: str, **kwargs: object) -> requests.Response:
        """Call ``user``'s single-user server (``/user/<user>`` + ``path``) through the proxy."""
        response = requests.request(method, f"{self.url}/user/{user}{path}", timeout=120,
                                    headers={"Authorization": f"token {self.token}"}, **kwargs)
        assert response.ok, f"{user} {method} {path}: {response.status_code} {response.text[:500]}"
        return response

    def start_server(self, user: str, *, seconds: float = 180) -> None:
        """Start ``user``'s server and wait until it answers."""
        self.api("POST", f"/users/{user}/server")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            model = self.api("GET", f"/users/{user}").json()
            if model.get("servers", {}).get("", {}).get("ready"):
                return
            time.sleep(0.3)
        raise TimeoutError(f"{user}'s server did not start within {seconds:g} s")

    def shell(self, user: str, *command: str) -> subprocess.CompletedProcess:
        """Run ``command`` in ``user``'s server, from a kernel there (as the user would in a terminal)."""
        code = ("import json, subprocess\n"
                f"r = subprocess.run({list(command)!r}, capture_output=True, text=True)\n"
                "print(json.dumps([r.returncode, r.stdout, r.stderr]))\n")
        returncode, out, err = json.loads(self.execute(user, code))
        return subprocess.CompletedProcess(list(command), returncode, out, err)

    def execute(self, user: str, code: str, *, fresh: bool = False) -> str:
        """Run ``code`` in ``user``'s kernel (``fresh``: a new one, shut down after); its standard output.

        The kernel belongs to a notebook session at the top of the server's folder, so it runs there, as
        a notebook's kernel in JupyterLab would. An error in ``code`` fails with its message.
        """
        import websocket

        if fresh or user not in self.kernels:
            session = self.server(user, "POST", "/api/sessions", json={
                "path": f"hub-shell-{uuid.uuid4().hex[:8]}.ipynb", "type": "notebook",
                "kernel": {"name": "python3"}}).json()
            if not fresh:
                self.kernels[user] = session
        else:
            session = self.kernels[user]
        kernel = session["kernel"]["id"]
        ws_url = f"{self.url.replace('http', 'ws', 1)}/user/{user}/api/kernels/{kernel}/channels"
        ws = websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"], timeout=900)
        try:
            msg_id = uuid.uuid4().hex
            ws.send(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": user,
                           "session": uuid.uuid4().hex, "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": False,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
            out, error, idle, replied = [], None, False, False
            while not (idle and replied):
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["msg_type"]
                if kind == "stream" and msg["content"]["name"] == "stdout":
                    out.append(msg["content"]["text"])
                elif kind == "error":
                    error = f"{msg['content']['ename']}: {msg['content']['evalue']}"
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    idle = True
                elif kind == "execute_reply":
                    replied = True
        finally:
            ws.close()
            if fresh:
                self.server(user, "DELETE", f"/api/sessions/{session['id']}")
        assert error is None, f"{user}: {error}"
        return "".join(out)


@contextlib.contextmanager
def jupyterhub(root: Path, *, gradebook_url: str,
               seconds: float = 120) -> Iterator[Hub]:
    """JupyterHub on a free loopback port with ``deploy/hub``'s configuration, homes under ``root``."""
    token = uuid.uuid4().hex
    port = free_port()
    env = {**os.environ,
           "TRAINERLAB_HUB_ROOT": str(root), "TRAINERLAB_HUB_PORT": str(port),
           "TRAINERLAB_HUB_API_PORT": str(free_port()), "TRAINERLAB_PROXY_API_PORT": str(free_port()),
           "TRAINERLAB_HUB_PROXY": str(PROXY), "TRAINERLAB_HUB_TEST_AUTH": "1",
           "TRAINERLAB_HUB_SERVICE_TOKEN": token,
           "TRAINERLAB_GRADEBOOK_URL": gradebook_url,
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    root.mkdir(parents=True, exist_ok=True)
    log = (root / "jupyterhub.log").open("w")
    hub = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(HUB_CONFIG)], cwd=root, env=env,
                           stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + seconds
        while True:
            assert hub.poll() is None, f"JupyterHub exited:\n{(root / 'jupyterhub.log').read_text()[-3000:]}"
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{url}/hub/api", timeout=2).ok:
                    break
            if time.monotonic() > deadline:
                raise TimeoutError(f"JupyterHub did not answer within {seconds:g} s")
            time.sleep(0.3)
        yield Hub(url, token, root, hub.pid)
    finally:
        _stop(hub)
        log.close()


def _stop(hub: subprocess.Popen) -> None:
    """Stop the hub (it stops the servers it spawned and the proxy), then anything left under it."""
    left: list[psutil.Process] = []
    with contextlib.suppress(psutil.Error):
        left = psutil.Process(hub.pid).children(recursive=True)
    hub.send_signal(signal.SIGTERM)
    try:
        hub.wait(30)
    except subprocess.TimeoutExpired:
        hub.kill()
        hub.wait()
    for proc in left:
        with contextlib.suppress(psutil.Error):
            proc.kill()
