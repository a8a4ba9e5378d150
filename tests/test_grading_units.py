"""Fast unit tests of the grading building blocks (no notebook runs)."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from notebook_runs import ROOT

from trainerlab.grading import answerdata, intake, integrity
from trainerlab.grading.guard import FileGuard
from trainerlab.grading.limits import Limits
from trainerlab.grading.sandbox import landlock_abi
from trainerlab.grading.worker import alembic_head

pytestmark = pytest.mark.xdist_group("grading_units")


def test_answers_of_data_types_load() -> None:
    args, kwargs = integrity.load_answer(answerdata.dumps(((pd.Series([1.5, np.nan], name="x"),), {"k": 1})))
    assert kwargs == {"k": 1} and args[0].equals(pd.Series([1.5, np.nan], name="x"))


def test_a_pickled_answer_is_never_loaded() -> None:
    with pytest.raises(answerdata.RefusedAnswer):
        integrity.load_answer(pickle.dumps(((1,), {}), protocol=4))


def test_a_notebook_function_needs_the_kernel() -> None:
    def learner_function() -> None:
        """Stands in for a function defined in the notebook."""

    learner_function.__module__ = "__main__"
    registry: dict[str, object] = {}
    data = answerdata.dumps(((learner_function,), {}), registry)
    assert registry == {"0": learner_function}
    with pytest.raises(answerdata.RefusedAnswer):
        integrity.load_answer(data)
    calls = []
    (proxy,), _ = integrity.load_answer(data, remote=lambda key: integrity.RemoteFunction(
        key, lambda k, a, kw: calls.append((k, a)) or 42))
    assert proxy("abc") == 42 and calls == [("0", ("abc",))]
    assert type(integrity.remote_error("ValueError", "bad")).__name__ == "ValueError"


@pytest.mark.parametrize(("source", "args"), [
    ("q.load.check(raw)\n### BEGIN HIDDEN TESTS\nq.load.grade(raw)\n### END HIDDEN TESTS", ("raw",)),
    ("q.shares.grade((high_risk_share, labelled))", ("(high_risk_share, labelled)",)),
    ("q.x.grade(a, b=c[0])", ("a",)),
])
def test_grade_call_is_found(source: str, args: tuple) -> None:
    call = integrity.find_grade_call(source)
    assert call is not None and call.args == args


@pytest.mark.parametrize("source", [
    "assert x == 1", "q.a.grade(x)\nq.b.grade(y)", "q.a.grade(*xs)", "%time q.a.grade(x)"])
def test_cells_without_one_plain_grade_call_are_not_rechecked(source: str) -> None:
    assert integrity.find_grade_call(source) is None


def test_capture_code_is_valid_python() -> None:
    call = integrity.find_grade_call("q.x.grade(a, b=c)")
    assert call is not None
    compile(integrity.capture_code(call, "/tmp/x.pkl", "abc", "_reg"), "<capture>", "exec")
    compile(integrity.call_code("_reg", "0", "/tmp/in", "/tmp/out", "abc"), "<call>", "exec")


def _good_notebook() -> dict:
    cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_markdown_cell("hi")]
    nb = nbformat.v4.new_notebook(cells=cells)
    return json.loads(nbformat.writes(nb))


def _read(tmp_path: Path, content: bytes) -> tuple[nbformat.NotebookNode | None, set[str]]:
    path = tmp_path / "nb.ipynb"
    path.write_bytes(content)
    taken = intake.Intake()
    nb = intake.read_notebook(path, taken, Limits())
    return nb, {i.code for i in taken.issues}


def test_intake_rejects_broken_json_with_its_position(tmp_path: Path) -> None:
    nb, codes = _read(tmp_path, json.dumps(_good_notebook()).encode()[:-40])
    assert nb is None and codes == {"bad-json"}


def test_intake_repairs_what_it_can(tmp_path: Path) -> None:
    data = _good_notebook()
    data["nbformat"] = "4"
    data["cells"].append({"cell_type": "mystery"})
    data["cells"][1]["id"] = data["cells"][0]["id"]
    data["cells"][0]["source"] = ["x = ", "1"]
    nb, codes = _read(tmp_path, json.dumps(data).encode() + b" trailing garbage")
    assert nb is not None
    nbformat.validate(nb)
    assert codes == {"trailing-data", "bad-nbformat", "bad-cells", "duplicate-cell-ids"}
    assert nb.cells[0].source == "x = 1" and len({c.id for c in nb.cells}) == 2


def test_intake_converts_nbformat_3(tmp_path: Path) -> None:
    nb3 = nbformat.convert(nbformat.reads(json.dumps(_good_notebook()), as_version=4), 3)
    nb, codes = _read(tmp_path, nbformat.writes(nb3, version=3).encode())
    assert nb is not None and codes == {"old-nbformat"} and nb.cells[0].source == "x = 1"


def test_intake_refuses_files_that_are_not_notebooks(tmp_path: Path) -> None:
    assert _read(tmp_path, b"[1, 2, 3]") == (None, {"not-a-notebook"})


def test_intake_reads_a_notebook_with_stray_bytes(tmp_path: Path) -> None:
    data = _good_notebook()
    data["cells"][1]["source"] = "caf\u00e9"
    nb, codes = _read(tmp_path, json.dumps(data, ensure_ascii=False).encode("latin-1"))
    assert nb is not None and codes == {"not-utf8"} and nb.cells[1].source == "caf\ufffd"


def test_locked_cells_are_compared_by_nbgrader_checksum_of_the_release() -> None:
    from nbgrader.utils import compute_checksum

    source = "q.a.check(x)\n### BEGIN HIDDEN TESTS\nq.a.grade(x)\n### END HIDDEN TESTS"
    cell = intake.SourceCell("a", "code", source, locked=True, grade=True, solution=False, points=2.0)
    released = intake.SourceCell("a", "code", "q.a.check(x)", locked=True, grade=True, solution=False,
                                 points=2.0)
    assert intake.release_checksum(cell.node()) == compute_checksum(released.node())
    # the course's own delimiters count, not a hard-coded "BEGIN HIDDEN TESTS"
    custom = intake.SourceCell("a", "code", source.replace("HIDDEN TESTS", "SECRET"), locked=True,
                               grade=True, solution=False, points=2.0)
    assert intake.release_checksum(custom.node(), ("BEGIN SECRET", "END SECRET")) == compute_checksum(
        released.node())
    assert intake.release_checksum(custom.node()) != compute_checksum(released.node())
    edited = intake.SourceCell("a", "code", "q.a.check(y)", locked=True, grade=True, solution=False,
                               points=2.0)
    assert intake.release_checksum(edited.node()) != intake.release_checksum(cell.node())


def test_alembic_head_matches_nbgrader() -> None:
    """The in-process schema version equals what ``alembic heads`` (run by nbgrader) prints."""
    import io

    from alembic import command
    from alembic.config import Config
    from nbgrader.dbutil import _temp_alembic_ini

    # alembic binds sys.stdout when first imported, so capsys misses it after another test imported it
    printed = io.StringIO()
    with _temp_alembic_ini("sqlite:////tmp/gradebook.db") as ini:
        command.heads(Config(ini, stdout=printed))  # the function behind the ``alembic heads`` command line
    assert printed.getvalue().split()[0] == alembic_head()


def _run_sandboxed(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    script = textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                          timeout=60)


@pytest.mark.skipif(not landlock_abi(), reason="Landlock is not available on this system")
def test_sandbox_allows_writes_only_in_its_folders(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("original")
    out = _run_sandboxed(f"""
        from trainerlab.grading.sandbox import restrict_writes
        restrict_writes([{str(tmp_path / 'mine')!r}])
        open({str(tmp_path / 'mine' / 'ok.txt')!r}, "w").write("fine")
        try:
            open({str(victim)!r}, "w").write("rigged")
        except PermissionError:
            print("blocked")
    """, tmp_path)
    assert out.stdout.strip() == "blocked", out.stderr
    assert victim.read_text() == "original" and (tmp_path / "mine" / "ok.txt").read_text() == "fine"


def test_memory_limit_turns_a_3_gb_allocation_into_memory_error(tmp_path: Path) -> None:
    out = _run_sandboxed("""
        from trainerlab.grading.sandbox import apply_rlimits
        apply_rlimits(memory_mb=1024, file_mb=1, cpu_seconds=60)
        try:
            bytearray(3 * 1024 ** 3)
        except MemoryError:
            print("memory limited")
        try:
            open("big.bin", "wb").write(b"x" * 2 * 1024 * 1024)
        except OSError:
            print("file limited")
    """, tmp_path)
    assert out.stdout.split("\n")[:2] == ["memory limited", "file limited"], out.stderr


def test_guard_notices_changed_added_and_deleted_files(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("a")
    (tmp_path / "b.py").write_text("b")
    guard = FileGuard([tmp_path])
    assert guard.changed() == []
    (tmp_path / "a.py").write_text("rigged!")
    (tmp_path / "b.py").unlink()
    (tmp_path / "c.py").write_text("new")
    assert [p.name for p in guard.changed()] == ["a.py", "b.py", "c.py"]
    assert guard.changed() == []


def test_config_is_the_course_config() -> None:
    from trainerlab.grading.courseconfig import course_timeout, db_path, load_course_config

    config = load_course_config(ROOT)
    assert course_timeout(config) == 60 and db_path(config, ROOT) == ROOT / "gradebook.db"
    assert config.OverwriteCells.add_missing_cells is True


def test_a_unit_code_names_the_work_content_of_its_level() -> None:
    from graders.skill_units import CODES, LEVELS, UNITS, skill_unit

    assert {(level, code) for level in LEVELS for code in CODES} == set(UNITS)  # every level, every unit
    assert skill_unit("L3", "2.1").en == "Data-processing specification"
    assert "golden test set" in skill_unit("L2", "2.1").en
    assert {skill_unit(level, "2.1").function_en for level in LEVELS} == {"Intelligent training"}
    assert len({skill_unit(level, "2.1").zh for level in LEVELS}) == 3


def test_gradebooks_of_one_database_share_an_engine_and_their_data(tmp_path: Path) -> None:
    """After ``speed_up_nbgrader`` every Gradebook of a URL uses one SQLAlchemy engine (and so one
    cache of compiled statements); what one gradebook wrote, the next one reads."""
    script = textwrap.dedent("""
        import sys
        from nbgrader.api import Gradebook
        from trainerlab.grading.worker import speed_up_nbgrader
        speed_up_nbgrader()
        first, other = (f"sqlite:///{sys.argv[1]}/{name}.db" for name in ("one", "two"))
        with Gradebook(first) as gb:
            engine = gb.engine
            gb.add_student("s1", first_name="Lan")
        with Gradebook(first) as gb:
            print(gb.engine is engine, [s.first_name for s in gb.students])
            gb.add_student("s2")
        with Gradebook(first) as gb, Gradebook(other) as elsewhere:
            print(gb.engine is engine, elsewhere.engine is not engine,
                  sorted(s.id for s in gb.students), elsewhere.students)
    """)
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                         check=True, timeout=120).stdout.split("\n")
    assert out[:2] == ["True ['Lan']", "True True ['s1', 's2'] []"]
