"""``trainerlab instructor``: the instructor's JupyterLab with formgrader, as root and as a normal user.

Issue 15.3: README gave ``nbgrader formgrader`` (not a command: it lists nbgrader's subcommands and
exits 0) and ``jupyter lab`` without ``--allow-root`` (refused as root). Issue 15.7: that JupyterLab
asked the online-news question and logged "Unwritable directory, please contact your instructor".
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from notebook_runs import ROOT

from trainerlab.grading.instructor import (
    INSTRUCTOR_JUPYTER_CONFIG,
    instructor_command,
    instructor_environment,
)

pytestmark = pytest.mark.xdist_group("instructor_jupyter")
TOKEN = "instructor-test"


def test_allow_root_only_as_root(tmp_path: Path) -> None:
    assert "--allow-root" in instructor_command(tmp_path, as_root=True)
    assert "--allow-root" not in instructor_command(tmp_path, as_root=False)
    assert f"--ServerApp.root_dir={tmp_path}" in instructor_command(tmp_path, ["--port", "9000"])


def test_instructor_config_comes_first_without_news_or_exchange_panels() -> None:
    env = instructor_environment({"JUPYTER_CONFIG_PATH": "/elsewhere", "PATH": "/usr/bin"})
    assert env["JUPYTER_CONFIG_PATH"].split(":")[0] == str(INSTRUCTOR_JUPYTER_CONFIG)
    page = json.loads((INSTRUCTOR_JUPYTER_CONFIG / "labconfig" / "page_config.json").read_text())
    off = {name for name, disabled in page["disabledExtensions"].items() if disabled}
    assert "@jupyterlab/apputils-extension:announcements" in off
    assert "@jupyter/nbgrader:formgrader" not in off and "@jupyter/nbgrader:create-assignment" not in off


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get(url: str) -> tuple[int, str]:
    """HTTP status and text of ``url`` (status 0 while nothing listens)."""
    try:
        with _DIRECT.open(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError):
        return 0, ""  # nothing listens yet, or (a free port being taken in between) not HTTP


def _started(course: Path, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    """The instructor's JupyterLab, answering; on another free port if a process took the first one."""
    for _attempt in range(3):
        port = _free_port()
        options = ["--no-browser", f"--port={port}", "--ServerApp.port_retries=0",  # this port or exit
                   "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}"]
        command = instructor_command(course, options)
        with log.open("w") as out:
            server = subprocess.Popen(command, cwd=course, env=env, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            if _get(f"{base}/api/status?token={TOKEN}")[0] == 200:
                return server, base
            if server.poll() is not None:
                break
            time.sleep(0.5)
        if server.poll() is None or "already in use" not in log.read_text():
            break
    server.terminate()
    raise AssertionError(f"JupyterLab did not start:\n{log.read_text()[-3000:]}")


def test_jupyterlab_serves_formgrader_and_no_exchange(tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / "labs").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    env = instructor_environment({**os.environ, "HOME": str(tmp_path)})
    log = tmp_path / "server.log"
    server, base = _started(course, env, log)
    try:
        status, page = _get(f"{base}/formgrader/manage_assignments?token={TOKEN}")
        assert status == 200 and "Manage Assignments" in page
        assert _get(f"{base}/assignments?course_id=&token={TOKEN}")[0] == 404  # no exchange handler
        status, lab = _get(f"{base}/lab?token={TOKEN}")
        assert status == 200 and "apputils-extension:announcements" in lab  # disabled in the page config
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert "Unwritable directory" not in text, text


def test_readme_instructor_commands_exist() -> None:
    """Issue 15.3: README's ``nbgrader formgrader`` is no nbgrader subcommand."""
    from nbgrader.apps.nbgraderapp import NbGraderApp

    from trainerlab.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## 教师"):readme.index("## 数据")]
    trainerlab = next(a for a in build_parser()._actions if a.dest == "command").choices
    used = re.findall(r"^\.venv/bin/(nbgrader|trainerlab) ([\w-]+)", section, re.MULTILINE)
    assert ("trainerlab", "instructor") in used
    for tool, sub in used:
        assert sub in (NbGraderApp.subcommands if tool == "nbgrader" else trainerlab), (tool, sub)
