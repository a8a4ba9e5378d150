"""Bad submissions never stop the class, never lose work and never inflate a score.

One ``grade_class`` run over a toy lab grades a class in which almost every student does
something wrong: broken files, renamed or missing notebooks, edited and deleted cells, endless
loops, a dying kernel, a memory bomb, floods of output and several ways of rigging the checks.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from grading_helpers import (
    HUNG_SLEEP_SECONDS,
    TOY,
    TOY_MODULE,
    grade_or_hang,
    install_toy_module,
    start_warm_server,
    submit,
    toy_answered,
    tree_hash,
    write_toy_lab,
)
from notebook_runs import ROOT

from trainerlab.grading import democlass
from trainerlab.grading.classgrade import _run_pool, grade_class
from trainerlab.grading.limits import Limits
from trainerlab.grading.results import LOWERED, REPORT_FILE, VERIFIED, WITHHELD
from trainerlab.grading.sandbox import landlock_abi
from trainerlab.grading.worker import Job

pytestmark = pytest.mark.xdist_group("grading_toy_class")

# Filling memory is slow on a small VM (about 1.5 GB/s, 3 s for the memory test on a loaded
# machine): the cell time limit leaves the helper processes of that test room to fill it.
LIMITS = Limits(cell_timeout=10, submission_timeout=40, memory_mb=2048, output_mb=1)
ORPHAN_SECONDS = 317  # a recognisable ``sleep`` left behind by a submission

WRITE_OUTSIDE = """
targets = {targets!r}
for target in targets:
    try:
        with open(target, "a") as handle:
            handle.write("# rigged\\n")
        print("WROTE", target)
    except OSError as exc:
        print("blocked", type(exc).__name__)
"""


def _cases(course: Path, release: nbformat.NotebookNode, module: Path) -> dict[str, tuple[str, object]]:
    good = toy_answered(release)
    good_json = json.dumps(good).encode()
    cases: dict[str, tuple[str, object]] = {
        "good": ("toy.ipynb", good),
        "bad_json": ("toy.ipynb", good_json[: len(good_json) // 2]),
        "trailing": ("toy.ipynb", good_json + b"\n{\"cells\": ["),
        "wrong_nbformat": ("toy.ipynb", json.dumps({**json.loads(good_json), "nbformat": 5}).encode()),
        "renamed": ("toy (1).ipynb", good),
        "missing": ("notes.txt", b"I forgot the notebook"),
        "loop": ("toy.ipynb", toy_answered(release, extra={"double_answer": "while True:\n    pass"})),
        "stubborn": ("toy.ipynb", toy_answered(release, extra={"frame_answer": """
            import time
            while True:
                try:
                    time.sleep(0.2)
                except KeyboardInterrupt:
                    pass"""})),
        "dies": ("toy.ipynb", toy_answered(release, extra={"frame_answer": "import os\nos._exit(1)"})),
        "memory": ("toy.ipynb", toy_answered(release, extra={
            "frame_answer": "big = np.ones(3 * 1024 ** 3 // 8)  # 3 GB"})),
        "memory_children": ("toy.ipynb", toy_answered(release, extra={"frame_answer": """
            import subprocess, sys, time
            # the hogs ignore the interrupt that a cell timeout sends to the kernel's process group
            hog = ("import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); "
                   "x = b'1' * (750 * 1024 ** 2); print('ready', flush=True); time.sleep(60)")
            hogs = [subprocess.Popen([sys.executable, "-S", "-c", hog], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE) for _ in range(3)]  # 2.25 GB together
            for process in hogs:
                if process.stdout.readline() != b"ready\\n":  # say why, should a hog fail
                    print("hog failed:", process.wait(), process.stderr.read()[-300:], flush=True)
            time.sleep(30)""",
            # on a busy machine the hogs may still be filling memory when the cell times out
            "total_answer": "import time\ntime.sleep(9)"})),
        "fork_bomb": ("toy.ipynb", toy_answered(release, extra={"frame_answer": f"""
            import os, subprocess
            if os.fork() == 0:  # a daemon that leaves the kernel's process tree
                os.setsid()
                if os.fork() == 0:
                    os.execvp("sleep", ["sleep", "{ORPHAN_SECONDS}"])
                os._exit(0)
            children = [subprocess.Popen(["sleep", "{ORPHAN_SECONDS + 1}"]) for _ in range(100)]
            import time
            time.sleep(30)"""})),
        "output": ("toy.ipynb", toy_answered(release, extra={
            "double_answer": "for i in range(6000):\n    print('x' * 1000)"})),
        "tamper_checks": ("toy.ipynb", toy_answered(release, answers={
            "double_answer": "q.double.check = lambda *a, **k: None\nq.double.grade = lambda *a, **k: 2.0\n"
                             "doubled = None",
            "frame_answer": "class Fake:\n    check = staticmethod(lambda *a: None)\n"
                            "    grade = staticmethod(lambda *a: 2.0)\nq.frame = Fake()\ntable = None",
            "total_answer": "total = 20.0"})),
        "tamper_testing": ("toy.ipynb", toy_answered(release, answers={
            "double_answer": "np.testing.assert_allclose = lambda *a, **k: None\n"
                             "import numpy.testing\nnumpy.testing.assert_allclose = lambda *a, **k: None\n"
                             "doubled = np.zeros(5)",
            "frame_answer": "pd.testing.assert_frame_equal = lambda *a, **k: None\n"
                            "table = pd.DataFrame({'x': [1, 2, 3], 'y': [0, 0, 0]})",
            "total_answer": "total = 20.0"})),
        "tamper_engine": ("toy.ipynb", toy_answered(release, answers={
            "double_answer": "import graders.checking as gc\n"
                             "gc.Criterion.run = lambda self, a: (True, None)\n"
                             "doubled = [0, 0, 0, 0, 0]",
            "frame_answer": "table = pd.DataFrame({'x': [7], 'y': [7]})",
            "total_answer": "total = 1.0"})),
        "tamper_hooks": ("toy.ipynb", toy_answered(release, answers={
            "double_answer": "doubled = None\n"
                             "get_ipython().input_transformers_post.append(lambda lines: ['2.0\\n'])"})),
        "tamper_builtins": ("toy.ipynb", toy_answered(release, answers={
            "total_answer": "import builtins\nbuiltins.abs = lambda x: 0\ntotal = 99.0"})),
        "writes_outside": ("toy.ipynb", toy_answered(release, extra={"double_answer": WRITE_OUTSIDE.format(
            targets=[str(course / "nbgrader_config.py"), str(course / "gradebook.db"), str(module),
                     str(course / "submitted" / "good" / TOY / "toy.ipynb"),
                     str(course / "labs" / TOY / "toy.ipynb")])})),
    }
    edited = toy_answered(release)
    edited.cells = [c for c in edited.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "setup"]
    for cell in edited.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "double":
            cell.source = "print('this test is skipped')"
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "total_answer":
            cell.metadata["nbgrader"].update(grade=True, points=50)  # plain nbgrader fails on this
    copied = [c for c in edited.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "frame"][0]
    edited.cells.append(nbformat.from_dict(json.loads(json.dumps(copied))))
    edited.cells[1].id = edited.cells[0].id
    # raw JSON: nbformat.write would quietly renumber the duplicate cell id
    cases["locked_edits"] = ("toy.ipynb", json.dumps(edited).encode())
    return cases


@pytest.fixture(scope="module")
def toy_class(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    base = tmp_path_factory.mktemp("toy_class")
    module = install_toy_module(base / "modules")
    course = base / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    write_toy_lab(course)
    democlass.generate(course, TOY)
    release = nbformat.read(course / "release" / TOY / "toy.ipynb", as_version=4)
    for student, (name, content) in _cases(course, release, module).items():
        submit(course, student, TOY, name, content)
    protected = {p: p.read_bytes() for p in (course / "nbgrader_config.py", module,
                                             course / "labs" / TOY / "toy.ipynb")}
    before = tree_hash(course / "submitted")
    run = grade_class(course, TOY, jobs=2, limits=LIMITS, labs_module=TOY_MODULE, progress=False)
    after = tree_hash(course / "submitted")
    results = {r.student: r for r in run.results}
    return course, results, {"before": before, "after": after, "protected": protected}


def _scores(results: dict, student: str) -> dict[str, float | None]:
    return {c.grade_id: c.auto_score for c in results[student].cells if c.grade_id != "explain"}


def _codes(results: dict, student: str) -> set[str]:
    return {i.code for i in results[student].issues}


def test_every_submission_is_graded_and_none_is_lost(toy_class: tuple) -> None:
    course, results, files = toy_class
    assert set(results) == {p.name for p in (course / "submitted").iterdir()}
    assert not [s for s, r in results.items() if r.status == "error"], "\n\n".join(
        f"{s}: {r.error}" for s, r in results.items() if r.status == "error")
    for student, result in results.items():
        folder = course / "autograded" / student / TOY
        report = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
        assert report["student"] == student and report["files_hash"] == result.files_hash
    assert files["before"] == files["after"], "submitted files were modified"


def test_good_submission_is_verified_full_marks(toy_class: tuple) -> None:
    _, results, _ = toy_class
    good = results["good"]
    assert good.status == "graded" and good.issues == []
    assert _scores(results, "good") == {"double": 2.0, "frame": 2.0, "total": 2.0}
    assert {c.check for c in good.cells if c.grade_id != "explain"} == {VERIFIED}


@pytest.mark.parametrize(("student", "code"), [("bad_json", "bad-json"), ("missing", "missing-notebook")])
def test_unreadable_or_missing_notebook_scores_zero_for_review(toy_class: tuple, student: str,
                                                               code: str) -> None:
    course, results, _ = toy_class
    result = results[student]
    assert code in _codes(results, student) and result.status == "problems"
    assert _scores(results, student) == {"double": 0.0, "frame": 0.0, "total": 0.0}
    assert all(c.needs_manual_grade for c in result.cells)
    assert not (course / "autograded" / student / TOY / "toy.ipynb").exists()


@pytest.mark.parametrize(("student", "code"), [
    ("trailing", "trailing-data"), ("wrong_nbformat", "bad-nbformat"), ("renamed", "renamed-notebook")])
def test_repairable_notebooks_are_repaired_and_graded(toy_class: tuple, student: str, code: str) -> None:
    course, results, _ = toy_class
    assert code in _codes(results, student)
    assert _scores(results, student) == {"double": 2.0, "frame": 2.0, "total": 2.0}
    assert (course / "autograded" / student / TOY / "toy.ipynb").is_file()


def test_edited_deleted_and_duplicated_cells(toy_class: tuple) -> None:
    _, results, _ = toy_class
    codes = _codes(results, "locked_edits")
    expected = {"restored-locked-cells", "edited-locked-cell", "duplicate-cell-ids", "duplicate-grade-ids",
                "changed-metadata"}
    assert expected <= codes
    # the setup cell came back, the edited test ran as written by the teacher
    assert _scores(results, "locked_edits") == {"double": 2.0, "frame": 2.0, "total": 2.0}


def test_endless_loop_is_interrupted_and_the_rest_still_runs(toy_class: tuple) -> None:
    _, results, _ = toy_class
    # the loop cell times out (doubled never set): double and total fail, frame still earns
    assert _scores(results, "loop") == {"double": 0.0, "frame": 2.0, "total": 0.0}


def test_loop_that_ignores_interrupts_stops_the_kernel_not_the_class(toy_class: tuple) -> None:
    _, results, _ = toy_class
    assert "kernel-unresponsive" in _codes(results, "stubborn")
    assert _scores(results, "stubborn") == {"double": 2.0, "frame": 0.0, "total": 0.0}


def test_dying_kernel_keeps_the_points_earned_before(toy_class: tuple) -> None:
    _, results, _ = toy_class
    assert "kernel-died" in _codes(results, "dies")
    assert _scores(results, "dies") == {"double": 2.0, "frame": 0.0, "total": 0.0}


def test_memory_bomb_fails_only_its_own_cell(toy_class: tuple) -> None:
    _, results, _ = toy_class
    assert _scores(results, "memory") == {"double": 2.0, "frame": 0.0, "total": 2.0}


def test_processes_using_too_much_memory_together_are_stopped(toy_class: tuple) -> None:
    course, results, _ = toy_class
    notebook = course / "autograded" / "memory_children" / TOY / "toy.ipynb"
    outputs = [c.get("outputs") for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
               if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "frame_answer"]
    assert "kernel-memory" in _codes(results, "memory_children"), outputs
    assert _scores(results, "memory_children") == {"double": 2.0, "frame": 0.0, "total": 0.0}


def test_fork_bomb_is_stopped_and_no_process_outlives_its_submission(toy_class: tuple) -> None:
    _, results, _ = toy_class
    assert "kernel-processes" in _codes(results, "fork_bomb")
    assert _scores(results, "fork_bomb") == {"double": 2.0, "frame": 0.0, "total": 0.0}
    ours = (["sleep", str(ORPHAN_SECONDS)], ["sleep", str(ORPHAN_SECONDS + 1)])
    left = [p.pid for p in psutil.process_iter(["cmdline"]) if (p.info["cmdline"] or [])[:2] in ours]
    assert left == [], "a submission's processes survived its grading"


def test_flood_of_output_is_capped(toy_class: tuple) -> None:
    course, results, _ = toy_class
    assert _scores(results, "output") == {"double": 2.0, "frame": 2.0, "total": 2.0}
    notebook = course / "autograded" / "output" / TOY / "toy.ipynb"
    assert notebook.stat().st_size < 2_000_000
    assert "too much output" in notebook.read_text(encoding="utf-8")


@pytest.mark.parametrize(("student", "expected", "how"), [
    ("tamper_checks", {"double": 0.0, "frame": 0.0, "total": 2.0}, LOWERED),
    ("tamper_testing", {"double": 1.0, "frame": 1.0, "total": 2.0}, LOWERED),
    ("tamper_engine", {"double": 1.0, "frame": 1.0, "total": 1.0}, LOWERED),
    ("tamper_hooks", {"double": 0.0, "frame": 0.0, "total": 0.0}, WITHHELD),
    ("tamper_builtins", {"double": 2.0, "frame": 2.0, "total": 1.0}, LOWERED),
])
def test_tampering_never_inflates_a_score(toy_class: tuple, student: str, expected: dict, how: str) -> None:
    _, results, _ = toy_class
    result = results[student]
    assert _scores(results, student) == expected
    inflated = [c for c in result.cells if c.nbgrader_score and c.auto_score < c.nbgrader_score]
    assert inflated, "the attack should have made nbgrader report more points"
    assert all(c.check in (LOWERED, WITHHELD) and c.needs_manual_grade for c in inflated)
    assert how in {c.check for c in inflated}
    assert result.status == "problems"


def test_writing_outside_the_folder_changes_nothing(toy_class: tuple) -> None:
    course, results, files = toy_class
    for path, content in files["protected"].items():
        assert path.read_bytes() == content, f"{path} was changed by a submission"
    nb = nbformat.read(course / "autograded" / "writes_outside" / TOY / "toy.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    if landlock_abi():
        assert "WROTE" not in printed and printed.count("blocked PermissionError") == 5
        assert _scores(results, "writes_outside") == {"double": 2.0, "frame": 2.0, "total": 2.0}
    else:  # pragma: no cover - without Landlock the change is detected and the points held
        assert "wrote-outside" in _codes(results, "writes_outside")


def test_per_submission_time_limit(tmp_path: Path) -> None:
    install_toy_module(tmp_path / "modules")
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    write_toy_lab(course)
    democlass.generate(course, TOY)
    release = nbformat.read(course / "release" / TOY / "toy.ipynb", as_version=4)
    slow = {f"{t}_answer": "import time\ntime.sleep(3)" for t in ("double", "frame", "total")}
    submit(course, "slow", TOY, "toy.ipynb", toy_answered(release, extra=slow))
    run = grade_class(course, TOY, jobs=1, limits=Limits(cell_timeout=5, submission_timeout=5),
                      labs_module=TOY_MODULE, progress=False)
    (result,) = run.results
    assert "kernel-time" in {i.code for i in result.issues}
    assert result.auto_points < 6


def test_a_hung_grading_process_is_killed_and_the_class_goes_on(tmp_path: Path) -> None:
    jobs = [Job(str(tmp_path), TOY, student, "", str(tmp_path)) for student in ("a", "hung", "b", "c")]
    results = []
    started = time.monotonic()
    # the clock starts when a job is queued to a worker: 10 s leave room for start-up (about 1 s here)
    _run_pool(jobs, 2, results.append, hard_seconds=10, grade=grade_or_hang)
    seconds = time.monotonic() - started
    by_student = {r.student: r for r in results}
    assert sorted(by_student) == ["a", "b", "c", "hung"]
    assert {by_student[s].status for s in "abc"} == {"graded"}
    assert by_student["hung"].status == "error"
    assert "did not finish within 10 s" in by_student["hung"].error
    assert seconds < 90, "the hung worker held up the class"
    time.sleep(0.5)
    left = [p.pid for p in psutil.process_iter(["cmdline"])
            if (p.info["cmdline"] or [])[:2] == ["sleep", str(HUNG_SLEEP_SECONDS)]]
    assert left == [], "a process of the hung worker survived"


def test_the_warm_kernel_servers_of_a_worker_end_with_it(tmp_path: Path) -> None:
    # a pool's process ends with os._exit, which runs no atexit handler: the servers a worker started
    # were left to notice on their own, and nobody waited for them (nor counted their CPU)
    jobs = [Job(str(tmp_path), TOY, student, "", str(tmp_path)) for student in ("a", "b", "c")]
    results = []
    _run_pool(jobs, 2, results.append, hard_seconds=60, grade=start_warm_server)
    servers = {int(r.error) for r in results}
    assert servers, results
    assert [pid for pid in servers if psutil.pid_exists(pid)] == [], "a worker's server outlived it"


def test_grade_class_starts_its_workers_server_before_it_imports_nbgrader(tmp_path: Path) -> None:
    # the fork server imports the grader and the checks (2-3 s) while the command imports nbgrader
    # (1-2 s), instead of after it: for a small class that was most of the time to the first grade
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    script = textwrap.dedent(f"""
        import json, sys
        from trainerlab.grading import workerstart
        calls = []
        workerstart.start_early = lambda *args: calls.append(["nbgrader" in sys.modules, *args])
        from trainerlab.cli import main
        code = main(["grade-class", "business_analysis", "--course", {str(tmp_path)!r}])
        print(json.dumps([code, calls]))
        """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    code, calls = json.loads(done.stdout.splitlines()[-1])
    assert calls == [[False, "business_analysis", "graders.labs"]], calls
    assert code == 2 and "nbgrader generate_assignment business_analysis" in done.stderr  # no gradebook


def test_workers_start_with_the_checks_imported_and_the_runs_own_environment(tmp_path: Path) -> None:
    # Workers fork from a server that imported the grader and the lab's checks once (a spawned
    # worker imports them anew, 3-6 CPU-s each); the server lives on between runs, so each pool must
    # hand its workers the environment of its own run, not the one the server started with. The
    # server is started by a process's first pool, so this runs in a fresh process.
    script = textwrap.dedent(f"""
        import json, os, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from grading_helpers import report_worker_state
        from trainerlab.grading.classgrade import _run_pool
        from trainerlab.grading.worker import Job
        jobs = [Job({str(tmp_path)!r}, "business_analysis", s, "", {str(tmp_path)!r}) for s in "abc"]
        for value in ("first run", "second run"):
            os.environ["TRAINERLAB_TEST_RUN"] = value
            results = []
            _run_pool(jobs, 2, results.append, hard_seconds=60, grade=report_worker_state)
            print(json.dumps([json.loads(r.error) for r in results]))
        """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    first, second = (json.loads(line) for line in done.stdout.splitlines()[-2:])
    assert {s["variable"] for s in first} == {"first run"}
    assert {s["variable"] for s in second} == {"second run"}
    if sys.platform.startswith("linux"):
        assert all(s["preloaded"] for s in first + second), "a worker imported the checks itself"
