"""Warm kernels (``trainerlab.warmkernel``): a forked kernel is the process a fresh one would be.

The servers here preload numpy only (``TRAINERLAB_WARM_PRELOAD``), so each costs little to start.
That grading with warm kernels gives the gradebook fresh kernels give is shown on a real class in
``test_grading_class.py`` (``grade_class`` against plain ``nbgrader autograde``).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from trainerlab.grading.sandbox import kernel_environment, landlock_abi, write_kernel_spec, write_policy
from trainerlab.warmkernel import pool, warm_python_environment
from trainerlab.warmkernel.imports import KERNEL_MODULES, notebook_imports

pytestmark = pytest.mark.skipif(not pool.SUPPORTED, reason="warm kernels are for Linux")

WARM_PRELOAD = "numpy,ipykernel.kernelapp"
PROBE = """
import sys
PRELOADED = "numpy" in sys.modules
import json, os, tempfile, numpy
print(json.dumps({"cwd": os.getcwd(), "path0": sys.path[0], "argv": sys.argv[1:],
                  "own_group": os.getpgid(0) == os.getpid(), "flavour": os.environ.get("FLAVOUR"),
                  "tmp": tempfile.gettempdir(), "draw": numpy.random.rand(),
                  "preloaded": PRELOADED}), flush=True)
sys.exit(int(os.environ.get("EXIT_WITH", "0")))
"""


@pytest.fixture
def probe_env(tmp_path: Path) -> dict[str, str]:
    """An environment with a probe module importable and numpy as the only preload."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "trainerlab_probe.py").write_text(PROBE, encoding="utf-8")
    (tmp_path / "tmp").mkdir()
    return {**os.environ, "PYTHONPATH": str(tmp_path / "lib"), "TRAINERLAB_WARM_PRELOAD": "numpy",
            "TMPDIR": str(tmp_path / "tmp")}


def _probe_output(out: Path) -> dict:
    return json.loads(out.read_text(encoding="utf-8").strip().splitlines()[-1])


def test_a_forked_process_is_what_python_dash_m_would_start(tmp_path: Path, probe_env: dict) -> None:
    cmd = [sys.executable, "-m", "trainerlab_probe", "--one", "two"]
    work = tmp_path / "work"
    work.mkdir()
    results = []
    for flavour in ("fresh", "warm", "warm"):
        out = tmp_path / f"{flavour}-{len(results)}.txt"
        env = {**probe_env, "FLAVOUR": flavour, "EXIT_WITH": "3"}
        with open(out, "w", encoding="utf-8") as handle:
            if flavour == "fresh":
                code = subprocess.run(cmd, env=env, cwd=work, stdout=handle,
                                      start_new_session=True).returncode
            else:
                kernel = pool.launch(cmd, env=env, cwd=str(work), stdout=handle)
                assert kernel is not None
                code = kernel.wait(timeout=60)
        assert code == 3
        results.append(_probe_output(out))
    fresh, warm, again = results
    assert warm["preloaded"] and not fresh["preloaded"] and warm["flavour"] == "warm"
    for key in ("cwd", "path0", "argv", "own_group", "tmp"):
        assert warm[key] == fresh[key], key
    assert warm["tmp"] == probe_env["TMPDIR"]
    assert warm["draw"] != again["draw"], "each forked process draws its own random numbers"


def test_a_changed_import_environment_gets_its_own_server(probe_env: dict) -> None:
    cmd = [sys.executable, "-m", "trainerlab_probe"]
    before = pool.server_pids()
    kernels = [pool.launch(cmd, env=env, stdout=subprocess.DEVNULL) for env in (
        probe_env,
        {**probe_env, "TMPDIR": "/"},  # read at run time: the same server
        {**probe_env, "OMP_NUM_THREADS": "3"},  # read when numpy is imported: another server
    )]
    assert all(k is not None and k.wait(timeout=60) == 0 for k in kernels)
    assert len(pool.server_pids() - before) == 2


def test_an_idle_server_exits_and_the_next_request_starts_another(probe_env: dict) -> None:
    env = {**probe_env, "TRAINERLAB_WARM_IDLE": "1"}
    cmd = [sys.executable, "-m", "trainerlab_probe"]
    before = pool.server_pids()
    first = pool.launch(cmd, env=env, stdout=subprocess.DEVNULL)
    assert first is not None and first.wait(timeout=60) == 0
    (server,) = pool.server_pids() - before
    deadline = time.monotonic() + 30
    while server in pool.server_pids() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert server not in pool.server_pids(), "an idle server kept running"
    again = pool.launch(cmd, env=env, stdout=subprocess.DEVNULL)
    assert again is not None and again.wait(timeout=60) == 0
    assert len(pool.server_pids() - before) == 1


def test_commands_it_cannot_fork_are_left_to_a_new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    python = [sys.executable, "-m", "ipykernel_launcher", "-f", "x.json"]
    assert pool.eligible(python, {"env": {}, "cwd": "/"})
    assert not pool.eligible(["/bin/sh", "-m", "x"], {})
    assert not pool.eligible([sys.executable, "-X", "dev", "-m", "x"], {})
    assert not pool.eligible(python, {"independent": True})
    assert not pool.eligible(python, {"preexec_fn": print})
    monkeypatch.setenv("TRAINERLAB_WARM_KERNELS", "0")
    assert not pool.eligible(python, {})
    assert pool.launch(python) is None


def _manager(spec_root: Path, env: dict[str, str]) -> KernelManager:
    specs = KernelSpecManager(kernel_dirs=[str(spec_root / "kernels")])
    km = KernelManager(kernel_name="python3", kernel_spec_manager=specs)
    km.start_kernel(env=env)
    return km


def _run(km: KernelManager, code: str, timeout: float = 60) -> tuple[str, str]:
    client = km.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        outputs: list[str] = []
        reply = client.execute_interactive(code, timeout=timeout, output_hook=lambda m: outputs.append(
            m["content"].get("text", "") if m["msg_type"] == "stream" else ""))
        return reply["content"]["status"], "".join(outputs)
    finally:
        client.stop_channels()


def test_jupyter_client_runs_interrupts_and_stops_a_warm_kernel(tmp_path: Path) -> None:
    env = {**os.environ, "TRAINERLAB_WARM_PRELOAD": WARM_PRELOAD}
    warm_python_environment(tmp_path)
    km = _manager(tmp_path, env)
    try:
        assert type(km.provisioner).__name__ == "WarmProvisioner"
        assert isinstance(km.provisioner.process, pool.ForkedKernel)
        status, out = _run(km, "import os, sys; print(os.getppid() != os.getpgid(0), 'numpy' in sys.modules)")
        assert (status, out.split()) == ("ok", ["True", "True"])
        client = km.blocking_client()
        client.start_channels()
        started = time.monotonic()
        msg_id = client.execute("import time; time.sleep(60)")
        time.sleep(1.0)
        km.interrupt_kernel()
        reply = client.get_shell_msg(timeout=30)
        client.stop_channels()
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
        assert time.monotonic() - started < 30
        assert _run(km, "print(6 * 7)") == ("ok", "42\n")
    finally:
        pid = km.provisioner.pid
        km.shutdown_kernel(now=True)
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_a_kernel_that_dies_is_reported_and_the_next_one_starts(tmp_path: Path) -> None:
    env = {**os.environ, "TRAINERLAB_WARM_PRELOAD": WARM_PRELOAD}
    warm_python_environment(tmp_path)
    km = _manager(tmp_path, env)
    client = km.blocking_client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    client.execute("import os; os._exit(7)")
    process = km.provisioner.process
    deadline = time.monotonic() + 30
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    client.stop_channels()
    assert process.poll() == 7 and not km.is_alive()
    km.shutdown_kernel(now=True)
    again = _manager(tmp_path, env)
    try:
        assert _run(again, "print('back')") == ("ok", "back\n")
    finally:
        again.shutdown_kernel(now=True)


def test_the_server_and_its_kernels_end_with_the_process_that_started_them(tmp_path: Path,
                                                                          probe_env: dict) -> None:
    sleeper = tmp_path / "lib" / "trainerlab_sleeper.py"
    sleeper.write_text("import time\nprint('up', flush=True)\ntime.sleep(120)\n", encoding="utf-8")
    script = textwrap.dedent("""
        import os, sys
        from trainerlab.warmkernel import pool
        kernel = pool.launch([sys.executable, "-m", "trainerlab_sleeper"], env=dict(os.environ))
        print(kernel.pid, next(iter(pool.server_pids())), flush=True)
        os._exit(0)  # no clean-up: the server must notice on its own
        """)
    done = subprocess.run([sys.executable, "-c", script], env=probe_env, capture_output=True, text=True,
                          timeout=120)
    kernel_pid, server_pid = (int(x) for x in done.stdout.split()[-2:])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (_running(kernel_pid) or _running(server_pid)):
        time.sleep(0.2)
    assert not _running(kernel_pid) and not _running(server_pid)


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.skipif(not landlock_abi(), reason="needs Landlock to confine writes")
def test_a_warm_grading_kernel_is_confined_by_the_sandbox(tmp_path: Path) -> None:
    mine, elsewhere, ipython = tmp_path / "mine", tmp_path / "elsewhere", tmp_path / "ipython"
    for folder in (mine, elsewhere, ipython):
        folder.mkdir()
    # as the grading worker sets it up: IPython's own folder is the kernel's (its history database)
    policy = write_policy(tmp_path / "policy.json", writable=[mine, ipython], memory_mb=2048, file_mb=16,
                          cpu_seconds=120)
    env = {"TRAINERLAB_WARM_PRELOAD": WARM_PRELOAD, "TMPDIR": str(mine), "IPYTHONDIR": str(ipython)}
    name = write_kernel_spec(tmp_path / "kernels", policy, env, warm=True)
    before = pool.server_pids()
    pool.prestart({**os.environ, **kernel_environment(env)})  # as the grading worker does
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    km = KernelManager(kernel_name=name, kernel_spec_manager=specs)
    km.start_kernel(cwd=str(mine))
    try:
        assert isinstance(km.provisioner.process, pool.ForkedKernel)
        assert len(pool.server_pids() - before) == 1, "the kernel came from the prestarted server"
        code = textwrap.dedent(f"""
            import os
            open({str(mine / 'ok.txt')!r}, 'w').write('ok')
            try:
                open({str(elsewhere / 'no.txt')!r}, 'w').write('no')
                print('written')
            except PermissionError:
                print('refused', os.environ['TRAINERLAB_SANDBOX'])
            """)
        status, out = _run(km, code)
    finally:
        km.shutdown_kernel(now=True)
    assert status == "ok" and out.startswith("refused landlock-")
    assert (mine / "ok.txt").is_file() and not (elsewhere / "no.txt").exists()


def test_the_server_preloads_what_the_notebook_imports(tmp_path: Path) -> None:
    notebook = tmp_path / "lab.ipynb"
    cells = [{"cell_type": "code", "source": "import pandas as pd\nfrom sklearn.tree import Tree"},
             {"cell_type": "code", "source": ["%matplotlib inline\n", "import numpy"]},  # a magic: skipped
             {"cell_type": "code", "source": "from graders import guidance\nfrom . import mine\nimport json"},
             {"cell_type": "markdown", "source": "import os"}]
    notebook.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert notebook_imports([notebook, tmp_path / "missing.ipynb"]) == [
        "pandas", "sklearn.tree", "json", *KERNEL_MODULES]
    env = warm_python_environment(tmp_path / "spec", [notebook])
    assert env["TRAINERLAB_WARM_PRELOAD"] == ",".join(["pandas", "sklearn.tree", "json", *KERNEL_MODULES])
    spec = json.loads((tmp_path / "spec" / "kernels" / "python3" / "kernel.json").read_text(encoding="utf-8"))
    assert spec["metadata"]["kernel_provisioner"]["provisioner_name"] == "trainerlab-warm"


def test_a_command_run_warm_gives_what_a_new_process_gives(tmp_path: Path, probe_env: dict) -> None:
    cmd = [sys.executable, "-m", "trainerlab_probe", "three"]
    work = tmp_path / "work"
    work.mkdir()
    env = {**probe_env, "FLAVOUR": "run", "EXIT_WITH": "3", "TRAINERLAB_WARM_PRELOAD": "for the children"}
    fresh = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
    warm = pool.run(cmd, cwd=str(work), env=env, preload=["numpy"])
    assert warm is not None and warm.returncode == fresh.returncode == 3
    got, want = json.loads(warm.stdout), json.loads(fresh.stdout)
    # the server imported what ``preload`` names, not the modules the command's environment names
    assert got["preloaded"] and not want["preloaded"]
    assert {k: got[k] for k in ("cwd", "path0", "argv", "flavour")} == \
        {k: want[k] for k in ("cwd", "path0", "argv", "flavour")}
    assert warm.stderr == fresh.stderr == ""
    errors = pool.run([sys.executable, "-m", "trainerlab_probe_missing"], cwd=str(work), env=env,
                      preload=["numpy"])
    assert errors is not None and errors.returncode == 1 and "No module named" in errors.stderr


def test_nbgrader_commands_are_forked_warm_and_answer_as_a_new_process(tmp_path: Path) -> None:
    fresh = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", "nope"], cwd=tmp_path,
                           capture_output=True, text=True)
    # in a process of its own, to see which servers ``course.nbgrader`` started
    script = textwrap.dedent(f"""
        import json, pytest
        from pathlib import Path
        from trainerlab import course
        from trainerlab.warmkernel import pool
        warm = course.nbgrader("autograde", "nope", root=Path({str(tmp_path)!r}), check=False)
        with pytest.raises(RuntimeError, match="No notebooks were matched"):
            course.nbgrader("autograde", "nope", root=Path({str(tmp_path)!r}))
        print(json.dumps({{"servers": len(pool.server_pids()), "code": warm.returncode, "err": warm.stderr}}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    warm = json.loads(done.stdout.strip().splitlines()[-1])
    assert warm["servers"] == 1, "both commands were forked from one warm server"
    assert warm["code"] == fresh.returncode == 1
    assert "No notebooks were matched" in warm["err"] and "No notebooks were matched" in fresh.stderr


def test_a_server_ends_without_tearing_its_libraries_down(tmp_path: Path, probe_env: dict) -> None:
    # tearing down the preloaded libraries at exit (their atexit handlers, the modules' clean-up) costs
    # about half a second of CPU for every server a grading run leaves behind, for nothing
    marker = tmp_path / "torn-down"
    (tmp_path / "lib" / "trainerlab_teardown.py").write_text(
        f"import atexit, pathlib\natexit.register(pathlib.Path({str(marker)!r}).touch)\n", encoding="utf-8")
    env = {**probe_env, "TRAINERLAB_WARM_PRELOAD": "trainerlab_teardown"}
    server = pool.Server(env)
    server._await_ready()
    server.close()
    assert server.process.returncode == 0
    assert not marker.exists(), "the server ran its libraries' exit handlers"


def test_a_killed_warm_kernel_has_ended_when_kill_returns(tmp_path: Path) -> None:
    """The provisioner's kill waits for the server's word: jupyter_client need not poll 0.1 s later."""
    env = {**os.environ, "TRAINERLAB_WARM_PRELOAD": WARM_PRELOAD}
    warm_python_environment(tmp_path)
    km = _manager(tmp_path, env)
    process = km.provisioner.process
    try:
        assert _run(km, "print('up')") == ("ok", "up\n")
        asyncio.run(km.provisioner.kill())
        assert process.poll() == -signal.SIGKILL
    finally:
        km.shutdown_kernel(now=True)


def test_the_server_module_is_not_imported_before_it_runs() -> None:
    """``python -m trainerlab.warmkernel.zygote`` imports the package first; had the package imported
    the server module, runpy would warn on every server's start that it may run twice."""
    code = "import sys, trainerlab.warmkernel; print('trainerlab.warmkernel.zygote' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          timeout=60)
    assert done.stdout.split() == ["False"]
