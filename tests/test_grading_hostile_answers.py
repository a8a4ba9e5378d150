"""Hostile answers: bytes a learner's kernel hands the grader are refused as data, and nothing runs.

The kernel controls the bytes of every captured answer (it can replace the encoder), so each test
hands the grader's loader bytes crafted to reduce to a library function that writes a file,
imports modules, runs code or fills memory. Each must be refused (the cell flagged for a human,
``score`` None), and the sentinel file it aims at must not exist afterwards. The first test wrote
its file with the pickle-based loader this format replaced.
"""

from __future__ import annotations

import builtins
import copyreg
import functools
import io
import json
import operator
import os
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import skops.io as sio
from notebook_runs import ROOT, lab_source
from sklearn.preprocessing import FunctionTransformer
from sklearn.tree import DecisionTreeClassifier, export_graphviz
from sklearn.utils.discovery import all_estimators

from graders.answers import require_answer
from graders.checking import Msg, Task, criterion
from trainerlab.cli import main
from trainerlab.grading import answerdata, democlass, integrity

pytestmark = pytest.mark.xdist_group("grading_units")

ANY = Task("any", "2.1", "L3", Msg("任意", "Anything"), prepare=require_answer, criteria=[
    criterion("有答案", "an answer", 1, fail=("无", "none"))(lambda a: a is not None)])


class _Reduces:
    """Pickles as ``func(*args)``: what a crafted pickle makes the loader call."""

    def __init__(self, func: Any, *args: Any) -> None:
        self.func, self.args = func, args

    def __reduce__(self) -> tuple:
        return self.func, self.args


def _pickled(value: Any) -> bytes:
    """``((value,), {})`` pickled; ``value`` may be raw protocol-0 opcodes building the answer."""
    if isinstance(value, bytes):
        return b"((" + value + b"t}t."
    return pickle.dumps(((value,), {}), protocol=4)


def _text(value: str) -> bytes:
    return b"S'" + value.encode() + b"'\n"


_IMPORT_OS = b"cbuiltins\n__import__\n(" + _text("os") + b"tR"


def _getattr_call(obj: bytes, name: str, argument: str) -> bytes:
    """Opcodes of ``getattr(obj, name)(argument)`` (a pickler cannot write this itself)."""
    return b"cbuiltins\ngetattr\n(" + obj + _text(name) + b"tR(" + _text(argument) + b"tR"


def _tree() -> DecisionTreeClassifier:
    return DecisionTreeClassifier().fit([[0], [1]], [0, 1])


def _refused(data: bytes, tmp_path: Path, because: str = "") -> integrity.Verification:
    verdict = integrity.verify(ANY, data, cwd=str(tmp_path), timeout=30)
    assert verdict.score is None, "a hostile answer was graded"
    assert verdict.reason and "could not be loaded safely" in verdict.reason
    assert "left for a human to review" in verdict.reason and because in verdict.reason, verdict.reason
    return verdict


def _pickles(sentinel: Path) -> dict[str, Any]:
    target = str(sentinel)
    return {
        "sklearn export_graphviz writes a file": _Reduces(export_graphviz, _tree(), target),
        "functools.partial around export_graphviz": _Reduces(functools.partial(export_graphviz, _tree()),
                                                             target),
        "os.system": _Reduces(os.system, f"touch {target}"),
        "eval": _Reduces(eval, f"open({target!r}, 'w')"),
        "exec": _Reduces(exec, f"open({target!r}, 'w').write('x')"),
        "getattr chain to os.system": _getattr_call(_IMPORT_OS, "system", f"touch {target}"),
        "operator.attrgetter": b"coperator\nattrgetter\n(" + _text("system") + b"tR(" + _IMPORT_OS + b"tR("
                               + _text(f"touch {target}") + b"tR",
        "numpy memmap creates a file": _Reduces(np.memmap, target, np.uint8, "w+", 0, (16,)),
        "numpy savetxt": _Reduces(np.savetxt, target, np.arange(3)),
        "numpy load": _Reduces(np.load, target),
        "pandas read_csv": _Reduces(pd.read_csv, target),
        "pandas to_csv through getattr": _getattr_call(
            b"cpandas\nDataFrame\n((d" + _text("a") + b"(lI1\nastR", "to_csv", target),
        "copyreg reconstructor": _Reduces(copyreg._reconstructor, pd.DataFrame, object, None),
        "builtins open": _Reduces(builtins.open, target, "w"),
    }


def test_an_answer_reducing_to_a_library_function_that_writes_a_file_writes_nothing(tmp_path: Path) -> None:
    """Failed before the fix: the old loader admitted sklearn.tree.export_graphviz and wrote the file."""
    sentinel = tmp_path / "sentinel.dot"
    _refused(_pickled(_Reduces(export_graphviz, _tree(), str(sentinel))), tmp_path)
    assert not sentinel.exists()


WRITERS = ["sklearn export_graphviz writes a file", "functools.partial around export_graphviz", "os.system",
           "eval", "exec", "getattr chain to os.system", "operator.attrgetter", "numpy memmap creates a file",
           "numpy savetxt", "pandas to_csv through getattr", "builtins open"]


def test_the_hostile_pickles_are_real(tmp_path: Path) -> None:
    """Loaded with plain ``pickle.loads`` (in a separate process), each writing case writes its file."""
    for i, case in enumerate(WRITERS):
        (tmp_path / f"{i}.pkl").write_bytes(_pickled(_pickles(tmp_path / f"sentinel{i}")[case]))
    script = ("import glob, pickle, sys\n"
              "for path in sorted(glob.glob(sys.argv[1] + '/*.pkl')):\n"
              "    pickle.loads(open(path, 'rb').read())\n")
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, capture_output=True,
                   timeout=120)
    missing = [case for i, case in enumerate(WRITERS) if not (tmp_path / f"sentinel{i}").exists()]
    assert not missing


@pytest.mark.parametrize("case", list(_pickles(Path("x"))))
def test_hostile_pickles_are_refused_and_write_nothing(case: str, tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinel"
    _refused(_pickled(_pickles(sentinel)[case]), tmp_path, "not in the data format")
    assert not sentinel.exists()


def test_an_answer_reducing_to_a_module_import_imports_nothing(tmp_path: Path) -> None:
    before = set(sys.modules)
    _refused(_pickled(_Reduces(all_estimators)), tmp_path)
    assert set(sys.modules) == before


def _raw_manifest(text: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(answerdata.MANIFEST, text)
    return buffer.getvalue()


def _archive(manifest: Any, members: dict[str, bytes] | None = None, *,
             compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        archive.writestr(answerdata.MANIFEST, json.dumps(manifest))
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _answer(node: dict[str, Any], members: dict[str, bytes] | None = None) -> bytes:
    return _archive({"t": "tuple", "v": [{"t": "tuple", "v": [node]}, {"t": "dict", "v": []}]}, members)


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def _npy_of_objects(sentinel: Path) -> bytes:
    buffer = io.BytesIO()
    array = np.array([_Reduces(export_graphviz, _tree(), str(sentinel))], dtype=object)
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def _member(tag: str, data: bytes) -> bytes:
    """An answer whose one node of kind ``tag`` refers to the member ``data``."""
    return _answer({"t": tag, "m": "0", "name": {"t": "none"}}, {"0": data})


class LearnerClass:
    """A class of the learner's own, which no model file may name."""


def _arrow(table: pa.Table, **options: Any) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(**options)) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _hostile_archives(sentinel: Path) -> dict[str, bytes]:
    target = str(sentinel)
    zeros = pa.table({"x": pa.array(np.zeros(2_000_000, dtype=np.int64))})
    huge_header = io.BytesIO()
    np.lib.format.write_array_header_1_0(huge_header, {"descr": "<f8", "fortran_order": False,
                                                       "shape": (10**6, 10**6)})
    return {
        "a .npy of pickled objects": _member("ndarray", _npy_of_objects(sentinel)),
        "a .npy header larger than its data (memory bomb)": _member("ndarray",
                                                                    huge_header.getvalue() + b"\0" * 64),
        "a skops model holding export_graphviz": _member(
            "skops", sio.dumps(FunctionTransformer(export_graphviz, kw_args={"out_file": target}))),
        "a skops model holding eval": _member("skops", sio.dumps(FunctionTransformer(eval))),
        "a skops file naming the learner's class": _member(
            "skops", sio.dumps(FunctionTransformer(kw_args={"x": LearnerClass()}))),
        "a compressed skops file": _member("skops", sio.dumps(_tree(), compression=zipfile.ZIP_DEFLATED)),
        "a compressed Arrow table (memory bomb)": _member("frame", _arrow(zeros, compression="zstd")),
        "an Arrow extension type": _member("frame",
                                           _arrow(pa.table({"u": pa.array([b"0" * 16], pa.uuid())}))),
        "a deflated member (zip bomb)": _archive({"t": "str", "v": "x" * 1_000_000},
                                                 compression=zipfile.ZIP_DEFLATED),
        "a manifest nested past any limit": _raw_manifest(b"[" * 100_000 + b"]" * 100_000),
        "a manifest of millions of nodes (memory bomb)": _raw_manifest(
            b'{"t": "list", "v": [' + b'{"t": "none"}, ' * 1_500_000 + b'{"t": "none"}]}'),
        "a deeply nested list": _answer(functools.reduce(lambda n, _: {"t": "list", "v": [n]}, range(200),
                                                         {"t": "none"})),
        "an unknown node": _answer({"t": "pickle", "v": "gASVAAAAAAAAAAAu"}),
        "a member that is missing": _answer({"t": "ndarray", "m": "../../etc/passwd"}),
        "a member used many times (memory bomb)": _archive(
            {"t": "list", "v": [{"t": "ndarray", "m": "0"}] * 1000}, {"0": _npy(np.zeros(1000))}),
        "a notebook function with no kernel to run it": _answer({"t": "function", "key": "0"}),
        "pickle bytes": _pickled(_Reduces(export_graphviz, _tree(), target)),
    }


#: Why each hostile archive is refused (a part of the reason the cell is flagged with).
WHY = {
    "a .npy of pickled objects": "an array of Python objects",
    "a .npy header larger than its data (memory bomb)": "the header does not match the data",
    "a skops model holding export_graphviz": "sklearn.tree._export.export_graphviz",
    "a skops model holding eval": "builtins.eval",
    "a skops file naming the learner's class": "LearnerClass",
    "a compressed skops file": "not a plain skops file",
    "a compressed Arrow table (memory bomb)": "a compressed message",
    "an Arrow extension type": "not plain data",
    "a deflated member (zip bomb)": "compressed",
    "a manifest nested past any limit": "no readable manifest",
    "a manifest of millions of nodes (memory bomb)": "larger than 16 MB",
    "a deeply nested list": "nested too deeply",
    "an unknown node": "unknown kind of node",
    "a member that is missing": "missing",
    "a member used many times (memory bomb)": "used twice",
    "a notebook function with no kernel to run it": "holds a function",
    "pickle bytes": "not in the data format",
}


@pytest.mark.parametrize("case", list(_hostile_archives(Path("x"))))
def test_hostile_archives_are_refused_and_write_nothing(case: str, tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinel"
    data = _hostile_archives(sentinel)[case]
    _refused(data, tmp_path, WHY[case])
    assert not sentinel.exists()


def test_pickled_bytes_inside_a_table_stay_bytes(tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinel"
    pickled = _npy_of_objects(sentinel)
    data = _member("frame", _arrow(pa.table({"p": [pickled]})))
    (frame,), _ = integrity.load_answer(data)
    assert frame["p"].tolist() == [pickled] and not sentinel.exists()


def test_an_oversized_answer_is_refused_unread(tmp_path: Path) -> None:
    data = answerdata.dumps(((np.zeros(1000),), {}))
    verdict = integrity.verify(ANY, data, cwd=str(tmp_path), max_bytes=len(data) - 1)
    assert verdict.score is None and "larger than" in (verdict.reason or "")


@pytest.mark.parametrize("value", [
    np.load, pd.read_csv, eval, os.system, export_graphviz, functools.partial(print),
    operator.attrgetter("x"), LearnerClass(), np.ma.masked_array([1]), pd.Categorical(["a"]),
    io.StringIO("x"), pd.Interval(0, 1),
])
def test_the_kernel_side_refuses_what_is_not_data(value: Any) -> None:
    with pytest.raises(answerdata.RefusedAnswer) as refused:
        answerdata.dumps(((value,), {}), {})
    assert refused.value.zh and refused.value.en and "human" in refused.value.en


HOSTILE_CELL = """
import pickle
from sklearn.tree import DecisionTreeClassifier, export_graphviz

class Hostile:
    def __reduce__(self):
        return export_graphviz, (DecisionTreeClassifier().fit([[0], [1]], [0, 1]), {sentinel!r})

try:  # the kernel hands the grader a pickle instead of the data format, once
    import trainerlab.grading.answerdata as encoder
    real_dumps = encoder.dumps
    def dumps_once(value, functions=None):
        encoder.dumps = real_dumps
        return pickle.dumps(value, protocol=4)
    encoder.dumps = dumps_once
except ImportError:  # before the data format the kernel pickled every answer itself
    pass
q.summary.check = lambda *a, **k: None
q.summary.grade = lambda *a, **k: 2.0
quality_summary = Hostile()
"""


def test_a_hostile_answer_through_trainerlab_grade_writes_nothing_and_the_rest_is_graded(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Failed before the fix: the grading process wrote the sentinel file (outside the sandbox)."""
    source = nbformat.read(lab_source("data_cleaning"), as_version=4)
    course = democlass.make_course(tmp_path / "release", ["data_cleaning"], course_root=ROOT)
    release = nbformat.read(course / "release" / "data_cleaning" / "data_cleaning_l3.ipynb", as_version=4)
    sentinel = tmp_path / "written_by_the_grader.dot"
    answers = democlass.solutions(source)
    answers["quality_summary_answer"] = HOSTILE_CELL.format(sentinel=str(sentinel))
    notebook = tmp_path / "hostile.ipynb"
    nbformat.write(democlass.student_notebook(release, answers, "correct"), str(notebook))
    assert main(["grade", str(notebook)]) == 0
    printed = capsys.readouterr().out
    assert not sentinel.exists(), "the grader ran the answer's code"
    assert "Autograded total: 28/30" in printed, printed
    assert "not in the data format" in printed, printed
