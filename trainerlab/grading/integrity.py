"""Re-check autograded answers outside the learner's kernel, so tampering cannot inflate a score.

nbgrader scores a test cell by its output alone: no error means full points, a number means
partial credit. The checks run in the same Python process as the learner's code, so that code can
replace them (``q.load.grade = lambda a: 3.0``), patch ``numpy.testing`` / ``pandas.testing`` or
``graders.checking``, hide errors with IPython hooks, or rewrite later cells with input
transformers. No defence *inside* that process is sound.

The grader therefore re-derives each score in its own process, which never runs learner code:

1. The hidden test of every autograded cell ends with ``q.<task>.grade(<answer>)``. The cell's
   source comes from the gradebook (nbgrader restores locked cells), so :func:`find_grade_call`
   reads the answer expression from trusted text.
2. Right after the cell runs, the grader asks the kernel for the value of that expression, pickled
   (:func:`capture_code`). The bytes are untrusted data: :class:`AnswerUnpickler` rebuilds only
   plain data types, NumPy/pandas/pyarrow containers and scikit-learn-style estimators, and never
   calls anything else, so loading them cannot run learner code.
3. The grader runs the pristine ``task.grade`` on that value (:func:`verify`), with the kernel's
   working folder and environment, while the kernel waits — files the answer names are seen as
   they were when the test cell ran.
4. The cell keeps the lower of nbgrader's score and the re-derived one. A cell whose answer
   cannot be fetched or loaded keeps no points and is flagged for a human to review.

Limits (documented honestly): the re-check judges the *answer value*, so it cannot tell whether
the learner computed it honestly (e.g. copied it from the data generator) — per-student data
variants address that. A check must depend only on its answer, files and environment variables;
one that inspects kernel state (open figures, globals) cannot be re-derived and would be flagged.
Answers of other types (functions, figures, open files) cannot be moved out safely and are flagged
for review as well.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import pickle
import signal
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any

# Globals a pickle may name outright (module, name): data types and reconstruction helpers.
_ALLOWED_GLOBALS = {
    ("builtins", name) for name in
    ("bytearray", "bytes", "complex", "dict", "float", "frozenset", "int", "list", "set", "slice",
     "str", "tuple", "bool", "object")
} | {
    ("copyreg", "_reconstructor"),
    ("collections", "OrderedDict"), ("collections", "defaultdict"), ("collections", "Counter"),
    ("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"),
    ("datetime", "timedelta"), ("datetime", "timezone"),
    ("decimal", "Decimal"), ("fractions", "Fraction"), ("zoneinfo", "ZoneInfo"),
    ("pathlib", "Path"), ("pathlib", "PosixPath"), ("pathlib", "WindowsPath"),
    ("pathlib", "PurePath"), ("pathlib", "PurePosixPath"), ("pathlib", "PureWindowsPath"),
    ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"), ("numpy.core.multiarray", "scalar"),
    ("numpy.random._pickle", "__randomstate_ctor"), ("numpy.random._pickle", "__generator_ctor"),
    ("numpy.random._pickle", "__bit_generator_ctor"), ("numpy.ma.core", "_mareconstruct"),
    ("pyarrow.lib", "_restore_array"), ("pyarrow.lib", "py_buffer"),
    ("pyarrow.lib", "type_for_alias"),
    ("pandas", "NA"), ("pandas._libs.missing", "NA"), ("functools", "partial"),
    ("pandas._libs.internals", "_unpickle_block"),
    ("pandas._libs.tslibs.nattype", "_nat_unpickle"),
    ("pandas._libs.tslibs.timestamps", "_unpickle_timestamp"),
    ("pandas._libs.tslibs.timedeltas", "_timedelta_unpickle"),
    ("pandas.core.indexes.base", "_new_Index"),
    ("pandas.core.indexes.datetimes", "_new_DatetimeIndex"),
    ("pandas.core.indexes.interval", "_new_IntervalIndex"),
    ("pandas.core.indexes.period", "_new_PeriodIndex"),
    ("pandas.core.indexes.multi", "_new_MultiIndex"),
}

# Classes defined in these packages may be rebuilt (their constructors only store data); of
# scikit-learn and imbalanced-learn, functions too (estimators keep score functions).
_CLASS_PACKAGES = (
    "numpy", "pandas", "scipy.sparse", "sklearn", "imblearn",
)
_FUNCTION_PACKAGES = ("sklearn", "imblearn")
# Nothing that reads or writes files, evaluates expressions or runs tests.
_BLOCKED_PARTS = {"io", "npyio", "testing", "_testing", "datasets", "externals", "computation",
                  "plotting", "ctypeslib", "f2py", "distutils", "estimator_checks", "_joblib"}
_BLOCKED_NAMES = {"memmap", "DataSource", "NpzFile", "load", "loads", "save", "fromfile", "tofile",
                  "ExcelFile", "ExcelWriter", "HDFStore", "NamedFunc"}
# Attribute look-ups pickles legitimately make with getattr(obj, name).
_ALLOWED_GETATTR = {("zoneinfo", "ZoneInfo", "_unpickle")}


class UnsafeAnswer(pickle.UnpicklingError):
    """The pickled answer names something the grader will not rebuild."""


def _in_packages(module: str, packages: tuple[str, ...]) -> bool:
    if _BLOCKED_PARTS.intersection(module.split(".")):
        return False
    return any(module == p or module.startswith(p + ".") for p in packages)


def _safe_getattr(obj: Any, name: str) -> Any:
    key = (getattr(obj, "__module__", ""), getattr(obj, "__qualname__", ""), name)
    if key not in _ALLOWED_GETATTR:
        raise UnsafeAnswer(f"getattr({key[1]}, {name!r}) is not allowed")
    return getattr(obj, name)


class AnswerUnpickler(pickle.Unpickler):
    """Unpickle an answer captured from a learner's kernel without running any learner code.

    Functions the learner defined in the notebook arrive as references (see :func:`capture_code`);
    ``remote`` turns each into a callable that runs it back in the learner's kernel.
    """

    def __init__(self, file: io.BytesIO, remote: Callable[[str], Any] | None = None) -> None:
        super().__init__(file)
        self._remote = remote

    def persistent_load(self, pid: Any) -> Any:
        """A function defined in the notebook: a proxy that calls it in the kernel."""
        if self._remote is None or not isinstance(pid, str):
            raise UnsafeAnswer("the answer holds a function, which cannot be re-checked here")
        return self._remote(pid)

    def find_class(self, module: str, name: str) -> Any:
        """Return only data classes and the reconstruction helpers allowed by this module."""
        if (module, name) == ("builtins", "getattr"):
            return _safe_getattr
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        if "." in name or name in _BLOCKED_NAMES or not _in_packages(module, _CLASS_PACKAGES):
            raise UnsafeAnswer(f"{module}.{name} is not allowed")
        obj = super().find_class(module, name)
        home = getattr(obj, "__module__", None) or ""
        if isinstance(obj, type) and _in_packages(home, _CLASS_PACKAGES):
            return obj
        if name.startswith("__pyx_unpickle_") and _in_packages(home or module, _CLASS_PACKAGES):
            return obj
        if callable(obj) and _in_packages(home, _FUNCTION_PACKAGES):
            return obj
        raise UnsafeAnswer(f"{module}.{name} is not allowed")


def load_answer(data: bytes, remote: Callable[[str], Any] | None = None
                ) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Rebuild ``(args, kwargs)`` captured by :func:`capture_code`; raise on anything unsafe."""
    value = AnswerUnpickler(io.BytesIO(data), remote).load()
    if (not isinstance(value, tuple) or len(value) != 2 or not isinstance(value[0], tuple)
            or not isinstance(value[1], dict)):
        raise UnsafeAnswer("the captured answer has the wrong shape")
    return value[0], value[1]


@dataclass(frozen=True)
class GradeCall:
    """The ``<task>.grade(<args>)`` call of a hidden test, as source text."""

    args: tuple[str, ...]
    kwargs: tuple[tuple[str, str], ...]


def find_grade_call(source: str) -> GradeCall | None:
    """The single ``X.grade(...)`` call of a test cell's source, or ``None`` if there is not one."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    calls = [node for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and node.func.attr == "grade"]
    if len(calls) != 1:
        return None
    call = calls[0]
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    args = tuple(ast.get_source_segment(source, a) or "" for a in call.args)
    kwargs = tuple((k.arg, ast.get_source_segment(source, k.value) or "") for k in call.keywords)
    if not all(args) or not all(v for _, v in kwargs):
        return None
    return GradeCall(args, kwargs)


_KERNEL_PICKLER = """
    import pickle, types
    registry = globals().setdefault({registry!r}, {{}})

    class _Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            func = obj.__func__ if isinstance(obj, types.MethodType) else obj
            if isinstance(func, types.FunctionType) and getattr(func, "__module__", None) == "__main__":
                key = str(len(registry))
                registry[key] = obj
                return key
            return None
"""


def capture_code(call: GradeCall, path: str, token: str, registry: str) -> str:
    """Kernel code that pickles the call's arguments to ``path``.

    Functions defined in the notebook are not pickled: they stay in the kernel under a key in the
    ``registry`` dict and travel as that key (see :meth:`AnswerUnpickler.persistent_load`).
    """
    args = "".join(f"({a}), " for a in call.args)
    kwargs = ", ".join(f"{k!r}: ({v})" for k, v in call.kwargs)
    fn = f"_trainerlab_capture_{token}"
    return (
        f"def {fn}():\n"
        + _KERNEL_PICKLER.format(registry=registry)
        + f"    value = (({args}), {{{kwargs}}})\n"
        f"    with open({path!r}, 'wb') as handle:\n"
        f"        _Pickler(handle, protocol=4).dump(value)\n"
        f"try:\n"
        f"    {fn}()\n"
        f"finally:\n"
        f"    del {fn}\n"
    )


def call_code(registry: str, key: str, arguments: str, result: str, token: str) -> str:
    """Kernel code that calls the registered notebook function ``key`` on pickled arguments."""
    fn = f"_trainerlab_call_{token}"
    return (
        f"def {fn}():\n"
        + _KERNEL_PICKLER.format(registry=registry)
        + f"    with open({arguments!r}, 'rb') as handle:\n"
        f"        args, kwargs = pickle.load(handle)\n"
        f"    value = registry[{key!r}](*args, **kwargs)\n"
        f"    with open({result!r}, 'wb') as handle:\n"
        f"        _Pickler(handle, protocol=4).dump(value)\n"
        f"try:\n"
        f"    {fn}()\n"
        f"finally:\n"
        f"    del {fn}\n"
    )


class RemoteFunction:
    """Stands in, during a re-check, for a function the learner wrote: calls it in their kernel."""

    def __init__(self, key: str, call: Callable[[str, tuple, dict], Any]) -> None:
        self._key = key
        self._call = call

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run the learner's function in the kernel; its result comes back as checked data."""
        return self._call(self._key, args, kwargs)

    def __repr__(self) -> str:
        return f"<learner function #{self._key} (runs in the learner's kernel)>"


def remote_error(ename: str, evalue: str) -> Exception:
    """The exception a learner's function raised in the kernel, re-raised here under its own name."""
    name = ename if ename.isidentifier() else "RemoteError"
    return type(name, (Exception,), {})(evalue)


@dataclass(frozen=True)
class Verification:
    """The re-derived score of one autograded cell (``score`` is None when it could not be derived)."""

    score: float | None
    reason: str | None = None
    lines: tuple[str, ...] = ()


class _VerifyTimeout(BaseException):
    """Raised by the alarm when a re-check runs too long (not an Exception: checks cannot catch it)."""


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def _raise(_signum: int, _frame: Any) -> None:
        raise _VerifyTimeout

    usable = seconds > 0 and hasattr(signal, "setitimer")
    try:
        old = signal.signal(signal.SIGALRM, _raise) if usable else None
    except ValueError:  # not the main thread: no alarm
        usable, old = False, None
    if usable:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if usable:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


@contextlib.contextmanager
def _in_folder(folder: str | None) -> Iterator[None]:
    before = os.getcwd()
    if folder:
        os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def verify(task: Any, data: bytes, *, cwd: str | None, timeout: float = 120.0,
           remote: Callable[[str], Any] | None = None) -> Verification:
    """Re-grade ``task`` on the pickled answer ``data`` in this (trusted) process."""
    try:
        args, kwargs = load_answer(data, remote)
    except Exception as exc:
        return Verification(None, f"answer could not be loaded safely: {type(exc).__name__}: {exc}"[:300])
    out = io.StringIO()
    try:
        with _in_folder(cwd), _alarm(timeout), contextlib.redirect_stdout(out), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            score = float(task.grade(*args, **kwargs))
    except _VerifyTimeout:
        return Verification(None, f"re-check took longer than {timeout:g} s")
    except Exception as exc:
        return Verification(None, f"re-check failed: {type(exc).__name__}: {exc}"[:300])
    return Verification(score, None, tuple(out.getvalue().splitlines()))


def course_lab(labs_module: str, assignment: str) -> Any | None:
    """The ``Lab`` of ``assignment`` in ``labs_module``'s ``LABS`` (``None`` if it has none).

    ``graders/<assignment>.py`` usually defines the lab: only it is imported, not every lab's libraries.
    """
    if labs_module == "graders.labs":
        with contextlib.suppress(ImportError):
            lab = getattr(import_module(f"graders.{assignment}"), "LAB", None)
            if getattr(lab, "assignment", None) == assignment:
                return lab
    return getattr(import_module(labs_module), "LABS", {}).get(assignment)


def resolve_task(labs_module: str, assignment: str, grade_id: str) -> Any | None:
    """The task graded in cell ``grade_id`` of ``assignment`` (``None`` if it has no ``grade``).

    ``labs_module`` names the module whose ``LABS`` maps assignments to labs (``graders.labs``).
    """
    lab = course_lab(labs_module, assignment)
    task = lab.find(grade_id) if lab is not None else None
    return task if callable(getattr(task, "grade", None)) else None
