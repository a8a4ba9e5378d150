"""Class mode (docs/class-mode.md): a student environment that cannot hand out the answer key.

One class course of ``business_analysis`` (the quickest lab) with a course secret; its student
environment (the student wheel and the folders of alice and bob) is built once, installed into a
Python that holds nothing else of the project, and attacked there by every route we know of
(``class_mode_routes.py``): the checks' functions, the generators, installed notebooks and files,
the data cache, the environment, ``solution()``. None gives anything an answer can be made of, so a
submission built on them is the blank notebook (dave). Guessing the seed is a submission of its own
(carol: the default seed's answers). alice solves the lab in the student environment on her own
handed-out data and scores full under plain nbgrader and ``grade-class``; bob hands in alice's
numbers and loses exactly those points: each student is graded on their own seed's truth.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pandas as pd
import pytest
from class_mode_env import kernel_spec, site_packages, student_python
from class_runs import graded_results, with_answers
from course_templates import course_template
from nbclient import NotebookClient

from graders.checking import Task
from graders.labs import LABS
from trainerlab.classmode.handout import HANDOUTS
from trainerlab.classmode.reach import allowed_members, reaching
from trainerlab.classmode.secret import load_secret, make_secret, secret_path, student_seed
from trainerlab.classmode.studentenv import StudentEnv, build_student_env
from trainerlab.course import nbgrader
from trainerlab.datagen import service_bot
from trainerlab.variants import DEFAULT_SEED, SEED_VARIABLE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the student venv is built the POSIX way")

ASSIGNMENT = "business_analysis"
LAB = LABS[ASSIGNMENT]
HANDED_OUT = ("alice", "bob")
#: the other labs class mode covers, in the same student environment
OTHER_LABS = sorted(set(HANDOUTS) - {ASSIGNMENT})
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
#: the graded cells whose answers bob copies from alice and carol from the default seed
COPIED = {"risk_shares", "worst_module"}
#: erin's answer to the last task: nothing in the student environment, the truth when graded
GRADING_TIME_ROUTE = """\
worst = None
if hasattr(q, "_true_worst"):  # only the grader's own module has it: take the truth from there
    module, channel = q._true_worst()
    row = metrics[(metrics["module"] == module) & (metrics["channel"] == channel)].iloc[0]
    failed = log[(log["module"] == module) & (log["channel"] == channel) & (log["resolved"] == "否")]
    worst = {"module": module, "channel": channel, "resolution_rate": row["resolution_rate"],
             "sessions": row["sessions"], "main_reason": failed["fail_reason"].value_counts().idxmax()}
"""
#: more answers that reach into the grader when it runs them (held without running them here)
REACHING = {
    "import": "from trainerlab.datagen import service_bot\nlabelled = service_bot.variant(0).log",
    "grader module": "import graders.business_analysis as g\nlabelled = g.truth().log",
    "q's truth": "labelled = q.truth().log",
    "a task's criteria": "ok = q.risk_labels.criteria",
    "import machinery": "m = __import__('sys').modules",
    "dynamic attribute": "labelled = getattr(q, 'tr' + 'uth')().log",
    "dynamic code": "exec('labelled = q.tr' + 'uth().log')",
    "the seed": "import os\nseed = os.environ['TRAINERLAB' + '_SEED']",
    "the secret": "secret = open('../../../.course_secret').read()",
    "modules": "import sys\ng = sys.modules['graders.business_analysis']",
}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory, course_templates: Path) -> Path:
    """The lab's generated course with a course secret."""
    root = tmp_path_factory.mktemp("class_mode") / "course"
    shutil.copytree(course_template(ASSIGNMENT, course_templates), root)
    make_secret(root)
    _secret_telling_carol_from_the_default(root)
    return root


def _secret_telling_carol_from_the_default(course: Path) -> None:
    """Replace the random secret by the first fixed one whose seed gives carol another worst module.

    A random secret gave carol, now and then, the default data's worst (module, channel): the copied
    answer was then right on her own data too, and the test could not tell copying from doing.
    """
    path = secret_path(course)
    for k in range(1, 50):
        path.write_text(f"{k:064x}\n", encoding="ascii")
        if _worst_under(_seed(course, "carol")) != _worst_under(DEFAULT_SEED):
            return
    raise AssertionError("no fixed secret gives carol a worst module of her own")


def _worst_under(seed: int) -> tuple[str, str]:
    from graders import business_analysis

    previous = os.environ.get(SEED_VARIABLE)
    os.environ[SEED_VARIABLE] = str(seed)
    try:
        return business_analysis._true_worst()
    finally:
        if previous is None:
            os.environ.pop(SEED_VARIABLE)
        else:
            os.environ[SEED_VARIABLE] = previous


@pytest.fixture(scope="module")
def env(course: Path, course_templates: Path) -> StudentEnv:
    """The student environment of alice and bob for every handed-out lab (built once per test run)."""
    for other in OTHER_LABS:
        release = course_template(other, course_templates) / "release" / other
        shutil.copytree(release, course / "release" / other)
    return build_student_env(course, course.parent / "student_env", HANDED_OUT, [ASSIGNMENT, *OTHER_LABS],
                             release=course / "release")


@pytest.fixture(scope="module")
def python(env: StudentEnv) -> Path:
    """A Python with the student wheel installed and nothing else of the project."""
    return student_python(env.wheel.parent.parent / "student_python", env.wheel)


def _seed(course: Path, student: str) -> int:
    return student_seed(load_secret(secret_path(course)), ASSIGNMENT, student)


def _env_files(env: StudentEnv, python: Path) -> dict[str, bytes]:
    """Every file a student gets: the installed wheel and the student folders."""
    roots = [site_packages(python), *env.folders.values()]
    return {str(p): p.read_bytes() for root in roots for p in root.rglob("*") if p.is_file()
            and not p.name.endswith(".pth")}


# --- the secret and the seeds ----------------------------------------------------------------------

def test_secret_is_private_kept_and_seeds_are_keyed(tmp_path: Path) -> None:
    path = make_secret(tmp_path)
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(FileExistsError):
        make_secret(tmp_path)  # a second call never replaces the secret the seeds came from
    secret = load_secret(path)
    seeds = {student_seed(secret, lab, s) for lab in ("a", "b") for s in ("alice", "bob")}
    assert len(seeds) == 4 and all(0 < s < 2**62 for s in seeds)
    other = b"another secret of 32 characters!"
    assert student_seed(other, "a", "alice") != student_seed(secret, "a", "alice")


def test_class_mode_covers_every_lab_and_refuses_an_unknown_one(course: Path, tmp_path: Path) -> None:
    assert set(HANDOUTS) == set(LABS)
    with pytest.raises(ValueError, match="no lab named no_such_lab.*class mode covers: business_analysis"):
        build_student_env(course, tmp_path / "env", ["alice"], ["no_such_lab"])
    assert not (tmp_path / "env").exists()


def test_every_name_a_handed_out_notebook_reads_from_q_is_handed_out() -> None:
    import re

    for assignment, spec in HANDOUTS.items():
        module = __import__(f"graders.{assignment}", fromlist=["LAB"])
        tasks = {name for name, value in vars(module).items() if isinstance(value, Task)}
        nb = nbformat.read(Path(__file__).parent.parent / "labs" / assignment / LABS[assignment].notebook, 4)
        used = {m for c in nb.cells if c.cell_type == "code" for m in re.findall(r"\bq\.(\w+)", c.source)}
        assert used - tasks <= spec.names, f"{assignment}: not handed out: {used - tasks - spec.names}"


# --- what the student environment holds ------------------------------------------------------------

def test_student_env_holds_no_hidden_test_solution_truth_seed_or_secret(course: Path, env: StudentEnv,
                                                                       python: Path) -> None:
    files = _env_files(env, python)
    secret = load_secret(secret_path(course))
    banned = [b"BEGIN HIDDEN TESTS", b"BEGIN SOLUTION", b".grade(", b"criterion(", b"datagen",
              b"current_seed", secret, *(str(_seed(course, s)).encode() for s in HANDED_OUT)]
    leaks = [f"{name}: {word!r}" for name, data in files.items() for word in banned if word in data]
    assert not leaks
    installed = {Path(n).relative_to(site_packages(python)).parts[0] for n in files if "site-packages" in n}
    assert installed == {"graders", "trainerlab", "trainerlab_student-0.1.0.dist-info"}
    assert {Path(n).name for n in files if "/graders/" in n and n.endswith(".py")} == {
        "__init__.py", "_handed_out.py", "_handed_out_objects.py", "trusted.py",
        *(f"{lab}.py" for lab in HANDOUTS)}
    solution = next(c.source for c in nbformat.read(course / "labs" / ASSIGNMENT / LAB.notebook, 4).cells
                    if c.metadata.get("nbgrader", {}).get("grade_id") == "module_metrics_answer")
    code_line = ".agg(sessions=\"size\", resolution_rate=\"mean\")"
    assert code_line in solution and not any(code_line.encode() in data for data in files.values())


def _given(notebook: Path) -> list[str]:
    """The given code cells of ``notebook`` (neither an answer nor a check)."""
    cells = nbformat.read(notebook, 4).cells
    meta = [(c, c.metadata.get("nbgrader", {})) for c in cells if c.cell_type == "code"]
    return [c.source for c, m in meta if not m.get("solution") and not m.get("grade")]


def test_the_guidance_notebook_runs_on_handed_out_data(env: StudentEnv, python: Path) -> None:
    """The given cells of the guidance lab (files, values, printed texts) run in the student env."""
    given = _given(env.folders["bob"] / "guidance" / LABS["guidance"].notebook)
    code = "\n".join([*given, "assert isinstance(q.INTENT_LABELS, tuple) and len(key) == 15, key",
                      "q.item_stats.check(None)"])
    run = subprocess.run([python, "-c", code], cwd=env.folders["bob"] / "guidance", capture_output=True,
                         text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"})
    assert "Not attempted yet" in run.stderr and "CheckFailed" in run.stderr, run.stderr
    assert "S1." in run.stdout and "Error types" in run.stdout
    bob_script = json.loads((env.folders["bob"] / "guidance" / "data" / "handout.json").read_text())
    alice_script = json.loads((env.folders["alice"] / "guidance" / "data" / "handout.json").read_text())
    assert bob_script["values"]["junior_script"] != alice_script["values"]["junior_script"]


#: labs whose notebooks read the student's own table from a handed-out file: the ``q`` function giving
#: its path, the variable the notebook keeps it in, the table's least row count, the lab's first task
OWN_TABLE = {"data_cleaning": ("raw_path", "RAW_PATH", 100, "load"),
             "data_cleaning_l2": ("data_path", "DATA_PATH", 100, "agreement"),
             "model_tuning": ("data_path", "CREDIT_PATH", 1000, "split"),
             "model_tuning_l2": ("data_path", "q.data_path()", 1000, "leakage")}


@pytest.mark.parametrize("lab", sorted(OWN_TABLE))
def test_a_notebook_runs_on_the_students_own_table_in_the_student_env(env: StudentEnv, python: Path,
                                                                     lab: str) -> None:
    """Its given cells read the student's own file and set up the figures' font, with the wheel only."""
    function, variable, rows, first = OWN_TABLE[lab]
    file_name = HANDOUTS[lab].files[function]
    folder = env.folders["bob"] / lab
    given = _given(folder / LABS[lab].notebook)
    code = "\n".join([*given, f"print('ROWS', len(pd.read_csv({variable}, dtype=str)))",
                      f"q.{first}.check(None)"])
    run = subprocess.run([python, "-c", code], cwd=folder, capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": str(folder)})
    assert "Not attempted yet" in run.stderr and "CheckFailed" in run.stderr, run.stderr
    assert int(run.stdout.split("ROWS")[-1].split()[0]) > rows, run.stdout
    tables = {s: (env.folders[s] / lab / "data" / file_name).read_bytes() for s in HANDED_OUT}
    bundled = getattr(__import__(f"graders.{lab}", fromlist=[function]), function)()  # the default variant
    assert tables["alice"] != tables["bob"] and bundled.read_bytes() not in tables.values()


def test_the_student_wheel_requires_every_package_a_handed_out_notebook_or_the_wheel_imports(
        env: StudentEnv) -> None:
    """A student installs the wheel into a fresh environment: its requirements must bring every import."""
    import re
    import zipfile
    from importlib.metadata import packages_distributions

    from trainerlab.classmode.studentenv import REQUIRES

    sources = [c.source for lab in HANDOUTS for c in nbformat.read(
        Path(__file__).parent.parent / "labs" / lab / LABS[lab].notebook, 4).cells if c.cell_type == "code"]
    with zipfile.ZipFile(env.wheel) as wheel:
        sources += [wheel.read(n).decode() for n in wheel.namelist() if n.endswith(".py")]
    modules = {m for s in sources for m in re.findall(r"^\s*(?:from|import)\s+(\w+)", s, re.M)}
    third_party = modules - set(sys.stdlib_module_names) - {"graders", "trainerlab", "__future__"}
    distributions = packages_distributions()

    def normal(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    needed = {m: {normal(d) for d in distributions[m]} for m in third_party}
    missing = {m: d for m, d in needed.items() if not d & {normal(r) for r in REQUIRES}}
    assert {"pandera", "statsmodels", "sklearn", "skops"} <= set(needed) and not missing, missing


#: labs whose set-up cells take models, tables and arrays from ``q``: what of the notebook's inputs the
#: student environment and practice mode (on the same seed) must print alike
SAME_INPUTS = {
    "deployment": ("round(float(credit_model.predict_proba(X_valid)[:, 1].sum()), 9)", "X_valid.shape",
                   "int(valid_images.sum())", "int(incoming_images.sum())", "valid_labels[:12].tolist()",
                   "str(incoming_images.dtype)", "SCHEMA['age'].high", "SCHEMA['income'].required",
                   "round(float(ort.InferenceSession(str(DIGITS_MODEL)).run(None, {'image': "
                   "(incoming_images[:8].astype('float32') / 16).reshape(-1, 1, 8, 8)})[0].sum()), 4)",
                   "pd.read_csv(BATCH_PATH, dtype=str).iloc[:3].to_dict('list')",
                   "log.iloc[:3].to_dict('list')", "q.MIN_SESSIONS", "q.TARGET_ERROR"),
    "deployment_l2": ("round(float(model_v1.predict_proba(holdout[FEATURES])[:, 1].sum()), 9)",
                      "round(float(model_v2.predict_proba(holdout[FEATURES])[:, 1].sum()), 9)",
                      "traffic.shape", "LOAD_PAYLOADS[:3]", "INCOMING[:3]", "CONTRACT", "MONITORED",
                      "PSI_ALERT", "HIGH_AMOUNT", "TARGET"),
    "evaluation": ("round(float(model.predict_proba(X_test)[:, 1].sum()), 9)", "list(model.classes_)",
                   "round(float(reg_model.predict(X_test_mpg).sum()), 9)", "y_test.value_counts().to_dict()",
                   "len(X_val)", "len(credit.X_train)", "float(y_test_mpg.sum())",
                   "list(X_test.dtypes.astype(str))", "X_test.index[:5].tolist()"),
    "evaluation_l2": ("round(float(new_model.predict_proba(X_golden)[:, 1].sum()), 9)",
                      "round(float(old_model.predict_proba(X_cal)[:, 1].sum()), 9)", "int(y_golden.sum())",
                      "int(y_cal.sum())", "len(claims.X_train)", "OBVIOUS.to_dict('list')",
                      "list(X_golden.dtypes.astype(str))", "GATE", "THRESHOLD", "INVARIANCE_TOL"),
}


@pytest.fixture(scope="module")
def student_kernel(python: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Jupyter folder with a kernel spec running the student environment's Python."""
    jupyter = tmp_path_factory.mktemp("student_kernel")
    kernel_spec(jupyter, python)
    return jupyter


@pytest.mark.parametrize("lab", sorted(SAME_INPUTS))
def test_the_reference_work_runs_in_the_student_env_on_the_inputs_practice_builds_for_that_seed(
        course: Path, env: StudentEnv, student_kernel: Path, tmp_path: Path, lab: str) -> None:
    """bob's student version with the reference answers typed in runs to the end in a kernel of the
    student environment (a copy of his folder): no cell fails and every check only says "answered". Its
    given cells, run again at the end, see the models and data practice mode builds with the generators
    under bob's seed; alice's data differs from bob's.

    The labs whose set-up cells read files and plain values only are covered without a run of their own:
    their given cells run in the student environment above, every name their answers take from ``q`` is
    handed out and the wheel requires every package they import.
    """
    notebook = LABS[lab].notebook
    folder = shutil.copytree(env.folders["bob"] / lab, tmp_path / lab)
    nb = with_answers(nbformat.read(folder / notebook, 4), _reference_answers(lab))
    probe = f"print('PROBE', repr(({', '.join(SAME_INPUTS[lab])},)))"
    given = "\n".join([*_given(folder / notebook), probe])
    nb.cells.append(nbformat.v4.new_code_cell(given))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(student_kernel))
        patch.setenv("MPLBACKEND", "Agg")
        NotebookClient(nb, kernel_name="student", timeout=300, allow_errors=True,
                       resources={"metadata": {"path": str(folder)}}).execute()
    errors = {c.source[:60]: o["evalue"][-300:] for c in nb.cells for o in c.get("outputs", [])
              if o.output_type == "error"}
    assert not errors, errors
    checks = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    said = ["".join(o.get("text", "") for o in c.outputs) for c in checks]
    assert len(checks) > 3 and all("points are checked when your teacher grades" in t for t in said), said
    seen = "".join(o.get("text", "") for o in nb.cells[-1].outputs).split("PROBE")[-1]
    seed = student_seed(load_secret(secret_path(course)), lab, "bob")
    practice = subprocess.run([sys.executable, "-c", given], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120, env={**os.environ, SEED_VARIABLE: str(seed), "MPLBACKEND": "Agg"})
    assert practice.returncode == 0, practice.stderr
    assert seen == practice.stdout.split("PROBE")[-1] and len(seen) > 100, (seen, practice.stdout)
    handed = {s: {p.name: p.read_bytes() for p in (env.folders[s] / lab / "data").iterdir()}
              for s in HANDED_OUT}
    assert set(handed["alice"]) == set(handed["bob"])
    assert any(handed["alice"][name] != data for name, data in handed["bob"].items())


def test_objects_cross_as_data_and_come_back_equal(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from sklearn.linear_model import LogisticRegression

    from trainerlab.classmode.objects import dump
    from trainerlab.classmode.student.objects import load

    X = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "c": pd.Series(["x", "y", "x", None], dtype="str")},
                     index=[4, 1, 7, 9])
    y = pd.Series([0, 1, 0, 1], index=X.index, name="label")
    model = LogisticRegression().fit(X[["a"]], y)
    values = {"frame": X, "series": y, "array": np.arange(6, dtype=np.uint8).reshape(2, 3), "model": model,
              "namespace": SimpleNamespace(n=3, pair=(1, 2)), "mapping": {"a": (0, 1), "b": (2.5, 3)},
              "tuple": ("x", 1), "plain": {"k": [1, 2]}}
    back = {name: load(json.loads(json.dumps(dump(value, tmp_path, name))), tmp_path)
            for name, value in values.items()}
    pd.testing.assert_frame_equal(back["frame"], X)
    pd.testing.assert_series_equal(back["series"], y)
    assert back["array"].dtype == np.uint8 and np.array_equal(back["array"], values["array"])
    assert type(back["model"]) is LogisticRegression
    assert np.array_equal(back["model"].predict_proba(X[["a"]]), model.predict_proba(X[["a"]]))
    assert vars(back["namespace"]) == {"n": 3, "pair": (1, 2)}
    assert all(back[k] == values[k] for k in ("mapping", "tuple", "plain")), back
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".npy", ".parquet", ".parquet", ".skops"]


def test_objects_that_could_run_code_are_refused_on_both_sides(tmp_path: Path) -> None:
    import skops.io as sio
    from sklearn.preprocessing import FunctionTransformer

    from trainerlab.classmode.objects import dump
    from trainerlab.classmode.student.objects import load

    with pytest.raises(ValueError, match="allow_pickle"):
        dump(np.array([object()]), tmp_path, "objects")  # no array of Python objects (a pickle)
    calls_the_shell = FunctionTransformer(os.system)
    with pytest.raises(TypeError, match="system"):
        dump(calls_the_shell, tmp_path, "evil")
    with pytest.raises(ValueError, match="plain file name"):
        dump(1, tmp_path, "../outside")
    assert list(tmp_path.iterdir()) == []
    sio.dump(calls_the_shell, tmp_path / "planted.skops")  # a file not written by dump, put in data/
    with pytest.raises(TypeError, match="not loaded"):
        load({"kind": "model", "file": "planted.skops"}, tmp_path)
    np.save(tmp_path / "pickled.npy", np.array([object()]), allow_pickle=True)
    with pytest.raises(ValueError, match="allow_pickle"):
        load({"kind": "array", "file": "pickled.npy"}, tmp_path)


def test_course_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from trainerlab.cli import main

    assert main(["course", "secret", "--course", str(tmp_path)]) == 0
    assert main(["course", "secret", "--course", str(tmp_path)]) == 1  # kept, never replaced
    assert main(["course", "student-env", str(tmp_path / "env"), "no_such_lab", "--students", "a",
                 "--course", str(tmp_path)]) == 2
    assert main(["course", "student-env", str(tmp_path / "env"), "guidance", "--students", "../x",
                 "--course", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "kept" in err and "no lab named no_such_lab" in err and "student ids" in err
    assert not (tmp_path / "env").exists()


def test_two_students_get_different_data_none_of_a_guessable_seed(env: StudentEnv) -> None:
    logs = {s: (env.folders[s] / ASSIGNMENT / "data" / "service_log.csv").read_bytes() for s in HANDED_OUT}
    assert logs["alice"] != logs["bob"]
    guesses = {DEFAULT_SEED, *range(10)}
    for seed in guesses:
        assert service_bot.log_file(seed).read_bytes() not in logs.values(), seed


@pytest.mark.parametrize("lab", sorted(HANDOUTS))
def test_every_route_in_the_student_env_gives_nothing(env: StudentEnv, python: Path, tmp_path: Path,
                                                      lab: str) -> None:
    script = shutil.copy(Path(__file__).with_name("class_mode_routes.py"), tmp_path)
    home = env.folders["alice"]
    temp = tmp_path / "tmp"
    temp.mkdir()
    run = subprocess.run([python, script, lab, str(site_packages(python)), str(home)],
                         cwd=home / lab, capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(home), "TMPDIR": str(temp)})
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert not any(found["generators"].values()), found["generators"]
    assert found["files"]["hits"] == [] and found["cache"] == [] and found["environment"] == []
    tasks = {name for name, value in vars(__import__(f"graders.{lab}", fromlist=["LAB"])).items()
             if isinstance(value, Task)}
    assert set(found["checks"]["tasks"]) == tasks
    for name, said in found["checks"]["tasks"].items():
        assert len(said["answered"]) == 1, f"{name}: the check tells answers apart: {said['answered']}"
        assert "points are checked when your teacher grades" in said["answered"][0]
        assert "passed" not in said["answered"][0] and "✓" not in said["answered"][0]
        assert "teacher grades" in said["grade"] and "returned" not in said["grade"]
        assert "model answers are not shown in a class course" in said["solution"]
        assert set(said["attributes"]) <= {"grade_id", "title", "level", "unit", "points", "hints",
                                           "_hints_shown"}
    allowed = tasks | HANDOUTS[lab].names | {"handed_out_lab", "annotations", "Path", "Any"}
    assert set(found["checks"]["q"]) <= allowed, set(found["checks"]["q"]) - allowed


# --- grading: plain nbgrader and grade-class, each student on their own truth -----------------------

def _solved(course: Path, assignment: str = ASSIGNMENT, **changed: str) -> nbformat.NotebookNode:
    """The student version with the reference answers typed into its answer cells (what alice writes),
    ``changed`` ones replaced."""
    release = nbformat.read(course / "release" / assignment / LABS[assignment].notebook, 4)
    return with_answers(release, {**_reference_answers(assignment), **changed})


def _reference_answers(assignment: str) -> dict[str, str]:
    """The reference answers of the lab's code answer cells, as a student would type them in."""
    source = nbformat.read(Path(__file__).parent.parent / "labs" / assignment / LABS[assignment].notebook, 4)
    return {c.metadata["nbgrader"]["grade_id"]: "\n".join(
        line for line in c.source.splitlines() if line.strip() not in MARKERS)
        for c in source.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}


def test_data_cleaning_is_graded_on_each_students_own_raw_export(tmp_path: Path,
                                                                 course_templates: Path) -> None:
    """Under the course secret the reference work scores full on the student's own variant; the same work
    on the bundled (default) export loses the points of the task that loads it."""
    from graders import data_cleaning

    lab = LABS["data_cleaning"]
    root = tmp_path / "course"
    shutil.copytree(course_template("data_cleaning", course_templates), root)
    make_secret(root)
    loading = next(c.source for c in _solved(root, "data_cleaning").cells
                   if c.metadata.get("nbgrader", {}).get("grade_id") == "load_raw_answer")
    bundled = data_cleaning.raw_path()  # the default variant's file
    notebooks = {"alice": _solved(root, "data_cleaning"),
                 "carol": _solved(root, "data_cleaning",
                                  load_raw_answer=loading.replace("RAW_PATH", repr(str(bundled))))}
    for student, nb in notebooks.items():
        (root / "submitted" / student / "data_cleaning").mkdir(parents=True)
        nbformat.write(nb, root / "submitted" / student / "data_cleaning" / lab.notebook)
    nbgrader("autograde", "data_cleaning", root=root)
    scores, _ = graded_results(root, "data_cleaning", lab, list(notebooks))
    assert scores["alice"] == {t.grade_id: t.points for t in lab.tasks if isinstance(t, Task)}
    load = data_cleaning.load.grade_id
    assert scores["carol"][load] < data_cleaning.load.points, scores["carol"]


def _numbers(log: pd.DataFrame) -> dict[str, str]:
    """Answer cells holding as literals the shares and the worst pair worked out on ``log``."""
    high = (log["csat"] <= 2) | ((log["resolved"] == "否") & (log["turns"] > 8))
    shares = {str(k): float(v) for k, v in high.groupby(log["channel"]).mean().items()}
    metrics = (log.assign(ok=log["resolved"] == "是").groupby(["module", "channel"])["ok"]
               .agg(sessions="size", resolution_rate="mean").reset_index())
    big = metrics[metrics["sessions"] >= 50]
    row = big.loc[big["resolution_rate"].idxmin()]
    pair = (log["module"] == row["module"]) & (log["channel"] == row["channel"])
    failed = log[pair & (log["resolved"] == "否")]
    worst: dict[str, Any] = {"module": row["module"], "channel": row["channel"],
                             "resolution_rate": float(row["resolution_rate"]),
                             "sessions": int(row["sessions"]),
                             "main_reason": failed["fail_reason"].value_counts().idxmax()}
    assert all(not isinstance(v, np.generic) for v in worst.values())
    return {"risk_shares_answer": f"high_risk_share = {shares!r}",
            "worst_module_answer": f"worst = {worst!r}"}


def _handed_out_log(env: StudentEnv, student: str) -> pd.DataFrame:
    return pd.read_csv(env.folders[student] / ASSIGNMENT / "data" / "service_log.csv")


@pytest.fixture(scope="module")
def alice_notebook(course: Path, env: StudentEnv, python: Path,
                   tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    """alice's work, run in the student environment on her handed-out data, her numbers typed in."""
    nb = with_answers(_solved(course), _numbers(_handed_out_log(env, "alice")))
    jupyter = tmp_path_factory.mktemp("student_jupyter")
    name = kernel_spec(jupyter, python)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(jupyter))
        NotebookClient(nb, kernel_name=name, timeout=120, allow_errors=True,
                       resources={"metadata": {"path": str(env.folders["alice"] / ASSIGNMENT)}}).execute()
    return nb


@pytest.fixture(scope="module")
def graded(course: Path, env: StudentEnv,
           alice_notebook: nbformat.NotebookNode) -> dict[str, dict[str, float]]:
    """The class graded by plain ``nbgrader autograde``: scores per student and graded cell."""
    notebooks = {
        "alice": alice_notebook,
        "bob": with_answers(_solved(course), _numbers(_handed_out_log(env, "alice"))),  # alice's numbers
        "carol": with_answers(_solved(course), _numbers(pd.read_csv(service_bot.log_file(DEFAULT_SEED)))),
        "dave": nbformat.read(course / "release" / ASSIGNMENT / LAB.notebook, 4),  # blank
        "erin": with_answers(_solved(course), {"worst_module_answer": GRADING_TIME_ROUTE}),
    }
    for student, nb in notebooks.items():
        target = course / "submitted" / student / ASSIGNMENT
        target.mkdir(parents=True)
        nbformat.write(nb, target / LAB.notebook)
    nbgrader("autograde", ASSIGNMENT, root=course)
    scores, _ = graded_results(course, ASSIGNMENT, LAB, list(notebooks))
    return scores


def test_alice_works_in_the_student_env_on_her_own_data(alice_notebook: nbformat.NotebookNode) -> None:
    nb = alice_notebook
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    checks = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
    for cell in checks:
        text = "".join(o.get("text", "") for o in cell.outputs)
        assert "all" in text and "points are checked when your teacher grades" in text, cell.source


def test_honest_work_scores_full_and_each_student_is_graded_on_their_own_truth(
        graded: dict[str, dict[str, float]]) -> None:
    maximum = {t.grade_id: t.points for t in LAB.tasks if isinstance(t, Task)}
    assert graded["alice"] == maximum
    assert all(graded["bob"][g] < maximum[g] for g in COPIED), graded["bob"]
    assert all(graded["bob"][g] == maximum[g] for g in set(maximum) - COPIED), graded["bob"]


def test_the_routes_score_as_blank_and_a_guessed_seed_only_the_form_any_answer_earns(
        graded: dict[str, dict[str, float]]) -> None:
    assert all(score == 0 for score in graded["dave"].values())  # blank: what every route gave
    for cell in COPIED:  # the default seed's numbers: worth what another student's numbers are worth
        form = sum(c.points for c in LAB.task(cell).criteria if c.visible)
        assert graded["carol"][cell] <= min(form, graded["bob"][cell]) < LAB.task(cell).points


def test_an_answer_reaching_into_the_grader_is_held_and_scores_no_more_than_blank(
        course: Path, graded: dict[str, dict[str, float]]) -> None:
    assert graded["erin"]["worst_module"] <= graded["dave"]["worst_module"]
    assert all(graded["erin"][g] == graded["alice"][g] for g in graded["erin"] if g != "worst_module")
    nb = nbformat.read(course / "autograded" / "erin" / ASSIGNMENT / LAB.notebook, 4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "worst_module")
    assert "held for your teacher to review" in cell.outputs[0]["evalue"]


def test_every_route_of_an_answer_into_the_grader_is_held_and_no_honest_answer_is() -> None:
    from corpus.business_analysis import CASES

    tasks, handed_out = allowed_members(ASSIGNMENT)
    for route, source in {**REACHING, "grading time": GRADING_TIME_ROUTE}.items():
        assert reaching(source, tasks, handed_out), route
    source = nbformat.read(Path(__file__).parent.parent / "labs" / ASSIGNMENT / LAB.notebook, 4)
    honest = [c.source for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")
              and c.cell_type == "code"] + [a for case in CASES for a in case.answers.values()]
    assert len(honest) > 20
    assert [a for a in honest if reaching(a, tasks, handed_out)] == []


#: honest answers of the corpus the scan holds for review by design (dynamic attribute access), per lab
HELD_HONEST = {"deployment_l2": ["getattr("]}


@pytest.mark.parametrize("lab", sorted(HANDOUTS))
def test_no_solution_and_no_corpus_answer_of_a_lab_is_held(lab: str) -> None:
    """In a class course every lab's answers are scanned: no solution is held, and of the corpus' other
    routes only those using a name the scan holds by design (``HELD_HONEST``: the teacher reviews them)."""
    from importlib import import_module

    tasks, handed_out = allowed_members(lab)
    source = nbformat.read(Path(__file__).parent.parent / "labs" / lab / LABS[lab].notebook, 4)
    honest = [c.source for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")
              and c.cell_type == "code"]
    honest += [a for case in import_module(f"corpus.{lab}").CASES for a in case.answers.values()]
    assert len(honest) > 10
    held = [reaching(a, tasks, handed_out) for a in honest if reaching(a, tasks, handed_out)]
    assert held == HELD_HONEST.get(lab, []), held


def test_grade_class_gives_each_student_the_same_own_truth(course: Path,
                                                          graded: dict[str, dict[str, float]]) -> None:
    from trainerlab.grading.classgrade import grade_class

    students = ["alice", "bob", "erin"]
    run = grade_class(course, ASSIGNMENT, jobs=1, force=True, students=students, progress=False)
    assert not run.errors, run.errors
    scores, _ = graded_results(course, ASSIGNMENT, LAB, students)
    assert scores == {s: graded[s] for s in students}
