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
2. Right after the cell runs, the grader asks the kernel for the value of that expression in the
   data-only format of :mod:`trainerlab.grading.answerdata` (:func:`capture_code`). The bytes are
   untrusted: :func:`load_answer` rebuilds plain Python data, ``.npy`` arrays, Arrow tables and
   skops models; it never unpickles them, and the only types it builds by name are those
   ``graders/trusted.py`` and skops trust. Functions the learner defined in the notebook cross as
   keys, and the re-check calls them back in the learner's kernel (the sandbox) through
   :class:`RemoteFunction`, whose results cross the same way. Anything else is refused and the
   cell flagged for a human.
3. The grader runs the pristine ``task.grade`` on that value (:func:`verify`), with the kernel's
   working folder and environment, while the kernel waits — files the answer names are seen as
   they were when the test cell ran.
4. The cell keeps the lower of nbgrader's score and the re-derived one. A cell whose answer
   cannot be fetched or loaded keeps no points and is flagged for a human to review.

Limits (documented honestly): the re-check judges the *answer value*, so it cannot tell whether
the learner computed it honestly (e.g. copied it from the data generator) — per-student data
variants address that. A check must depend only on its answer, files and environment variables;
one that inspects kernel state (open figures, globals) cannot be re-derived and would be flagged.
Answers of other types (figures, open files, library functions, the learner's own classes) cannot
be moved out as data and are flagged for review as well (no lab passes them to ``.grade``).
The grader's own process is not sandboxed: what keeps it safe is that answers reach it as data.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import signal
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from trainerlab.grading import answerdata


def load_answer(data: bytes, remote: Callable[[str], Any] | None = None, *,
                max_bytes: int = answerdata.MAX_BYTES) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Rebuild ``(args, kwargs)`` captured by :func:`capture_code`; raise ``RefusedAnswer`` otherwise."""
    value = answerdata.loads(data, remote, max_bytes=max_bytes)
    if (not isinstance(value, tuple) or len(value) != 2 or not isinstance(value[0], tuple)
            or not isinstance(value[1], dict) or not all(isinstance(k, str) for k in value[1])):
        raise answerdata.RefusedAnswer("复核收到的答案结构不对，留待人工复核",
                                       "the captured answer has the wrong shape; left for a human to review")
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


def _kernel_function(name: str, registry: str, body: str) -> str:
    """Kernel code defining and running ``name`` once; ``registry`` keeps the notebook's functions."""
    return (
        f"def {name}():\n"
        f"    from trainerlab.grading import answerdata\n"
        f"    registry = globals().setdefault({registry!r}, {{}})\n"
        + body
        + f"try:\n"
        f"    {name}()\n"
        f"finally:\n"
        f"    del {name}\n"
    )


def capture_code(call: GradeCall, path: str, token: str, registry: str) -> str:
    """Kernel code that writes the call's arguments to ``path`` in the data-only format.

    Functions defined in the notebook are not written: they stay in the kernel under a key in the
    ``registry`` dict and travel as that key (see :mod:`trainerlab.grading.answerdata`).
    """
    args = "".join(f"({a}), " for a in call.args)
    kwargs = ", ".join(f"{k!r}: ({v})" for k, v in call.kwargs)
    return _kernel_function(f"_trainerlab_capture_{token}", registry, (
        f"    value = (({args}), {{{kwargs}}})\n"
        f"    data = answerdata.dumps(value, registry)\n"
        f"    with open({path!r}, 'wb') as handle:\n"
        f"        handle.write(data)\n"))


def call_code(registry: str, key: str, arguments: str, result: str, token: str) -> str:
    """Kernel code that calls the registered notebook function ``key`` on the grader's arguments.

    The arguments come from the grader (trusted, pickled); the result goes back as data only.
    """
    return _kernel_function(f"_trainerlab_call_{token}", registry, (
        f"    import pickle\n"
        f"    with open({arguments!r}, 'rb') as handle:\n"
        f"        args, kwargs = pickle.load(handle)\n"
        f"    data = answerdata.dumps(registry[{key!r}](*args, **kwargs), registry)\n"
        f"    with open({result!r}, 'wb') as handle:\n"
        f"        handle.write(data)\n"))


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
           remote: Callable[[str], Any] | None = None, max_bytes: int = answerdata.MAX_BYTES
           ) -> Verification:
    """Re-grade ``task`` on the captured answer ``data`` in this (trusted) process."""
    try:
        args, kwargs = load_answer(data, remote, max_bytes=max_bytes)
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
