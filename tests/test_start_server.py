"""``trainerlab start`` serves JupyterLab on the practice notebooks, in the learner's view (end to end)."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graders.labs import LABS

STARTUP_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def lab_server(student_versions: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A running ``trainerlab start`` on a practice folder; yields its base URL and token."""
    home = tmp_path_factory.mktemp("learner")
    shutil.copytree(student_versions, home / "practice")  # every lab in place: start serves it at once
    port, token = _free_port(), secrets.token_hex(8)
    env = {**os.environ, "HOME": str(home), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    command = [str(Path(sys.executable).with_name("trainerlab")), "start", "--folder", str(home / "practice"),
               "--", "--no-browser", f"--port={port}", "--ServerApp.port_retries=0",  # this port or fail
               "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}"]
    log = (home / "server.log").open("w")
    server = subprocess.Popen(command, cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                _get(f"{base}/api/status?token={token}")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert server.poll() is None, (home / "server.log").read_text(encoding="utf-8")
                assert time.monotonic() < deadline, "JupyterLab did not start"
                time.sleep(0.5)
        yield base, token
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_jupyterlab_opens_on_every_practice_notebook(lab_server: tuple[str, str]) -> None:
    base, token = lab_server
    listing = json.loads(_get(f"{base}/api/contents?token={token}"))
    assert {item["name"] for item in listing["content"]} >= set(LABS)
    for assignment, lab in LABS.items():
        notebook = json.loads(_get(f"{base}/api/contents/{assignment}/{lab.notebook}?token={token}"))
        assert notebook["type"] == "notebook"
        assert "BEGIN SOLUTION" not in json.dumps(notebook["content"])


def test_the_learner_view_hides_instructor_panels(lab_server: tuple[str, str]) -> None:
    base, token = lab_server
    page = _get(f"{base}/lab?token={token}")
    config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    disabled = set(config["disabledExtensions"])
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
            "@jupyterlab/apputils-extension:announcements"} <= disabled
    assert "@jupyter/nbgrader:validate-assignment" not in disabled
