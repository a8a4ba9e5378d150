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
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graders.labs import LABS
from trainerlab.home import HOME_NOTEBOOK

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


def test_the_server_address_opens_the_home_page(lab_server: tuple[str, str]) -> None:
    """The address ``trainerlab start`` opens leads to the learner's home page, not a bare launcher."""
    base, token = lab_server
    with urllib.request.urlopen(f"{base}/?token={token}", timeout=10) as response:
        landed = urllib.parse.unquote(response.url)
    assert urllib.parse.urlsplit(landed).path == f"/lab/tree/{HOME_NOTEBOOK}", landed


def _terminal_says(base: str, token: str, body: dict[str, str], command: str) -> str:
    """Open a terminal as JupyterLab does (REST, then the websocket), type ``command``, return its output."""
    import asyncio
    import uuid

    from tornado.websocket import websocket_connect

    request = urllib.request.Request(f"{base}/api/terminals?token={token}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        name = json.loads(response.read())["name"]
    marker = uuid.uuid4().hex

    async def talk() -> str:
        url = f"{base.replace('http', 'ws')}/terminals/websocket/{name}?token={token}"
        socket = await websocket_connect(url)
        await socket.write_message(json.dumps(["stdin", f"{command}; echo {marker[:8]}''{marker[8:]}\r"]))
        seen = ""
        while marker not in seen:
            message = await asyncio.wait_for(socket.read_message(), timeout=20)
            assert message is not None, f"the terminal closed: {seen}"
            kind, *data = json.loads(message)
            seen += data[0] if kind == "stdout" else ""
        socket.close()
        return seen

    try:
        return asyncio.run(talk())
    finally:
        urllib.request.urlopen(urllib.request.Request(f"{base}/api/terminals/{name}?token={token}",
                                                      method="DELETE"), timeout=10).close()


@pytest.mark.parametrize("body", [{}, {"cwd": ""}], ids=["new-terminal", "from-the-file-browser"])
def test_the_terminal_finds_trainerlab_and_opens_in_practice(lab_server: tuple[str, str], body: dict) -> None:
    """A login shell's ``/etc/profile`` resets PATH: ``trainerlab grade`` still works in the terminal."""
    base, token = lab_server
    said = _terminal_says(base, token, body, 'echo "where=$(pwd)"; echo "found=$(command -v trainerlab)"')
    where, found = re.search(r"where=(/\S+)", said), re.search(r"found=(/\S+)", said)
    assert where and Path(where.group(1)).name == "practice", said
    assert found and Path(found.group(1)).parent == Path(sys.executable).parent, said


def test_the_learner_view_hides_instructor_panels(lab_server: tuple[str, str]) -> None:
    base, token = lab_server
    page = _get(f"{base}/lab?token={token}")
    config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    disabled = set(config["disabledExtensions"])
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
            "@jupyterlab/apputils-extension:announcements"} <= disabled
    # nbgrader's Validate button and dialog have no translation: Run All runs every check instead
    assert "@jupyter/nbgrader:validate-assignment" in disabled


def test_the_learner_interface_is_in_simplified_chinese_by_default(lab_server: tuple[str, str]) -> None:
    base, token = lab_server
    plugin = "@jupyterlab/translation-extension:plugin"
    setting = json.loads(_get(f"{base}/lab/api/settings/{plugin}?token={token}"))
    # the default; a learner's own choice (设置 → 语言 → English) is a user setting that overrides it
    assert setting["schema"]["properties"]["locale"]["default"] == "zh_CN"
    assert "locale" not in setting["settings"]
    menu = json.loads(_get(f"{base}/lab/api/translations/zh_CN?token={token}"))["data"]["jupyterlab"]
    assert menu["menu\x04File"] == ["文件"] and menu["Terminal"] == ["终端"]
