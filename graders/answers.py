"""Preconditions shared by all labs: turn a learner's answer into a checkable value or say why not.

Each function raises :class:`~graders.checking.NotAttempted` for a missing answer (``None`` or
``...``) and :class:`~graders.checking.Problem` with a bilingual message naming what was expected
for a malformed one.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from graders.checking import NotAttempted, Problem


def require_answer(answer: Any) -> Any:
    """Fail as 'not attempted' when the answer is still ``None`` or ``...``."""
    if answer is None or answer is Ellipsis:
        raise NotAttempted
    return answer


def unpack(answer: Any, names: Sequence[str]) -> tuple[Any, ...]:
    """Split a test cell's tuple answer into its named parts, the learner's main answer first.

    Not attempted when the whole answer or its first part is still missing; a clear problem for a
    value that is not a tuple or list of ``len(names)`` parts, or for later parts (usually the
    learner's results of earlier tasks) that are still missing.
    """
    require_answer(answer)
    if not isinstance(answer, (tuple, list)) or len(answer) != len(names):
        raise Problem(f"答案应由 {len(names)} 部分组成：{list(names)}",
                      f"the answer should have {len(names)} parts: {list(names)}")
    require_answer(answer[0])
    missing = [n for n, part in zip(names, answer, strict=True) if part is None or part is Ellipsis]
    if missing:
        raise Problem(f"这些变量还没有结果（先完成前面的任务）：{missing}",
                      f"these variables have no value yet (finish the earlier tasks first): {missing}")
    return tuple(answer)


def require_frame(
    answer: Any, *, columns: Iterable[str] = (), min_rows: int = 1
) -> pd.DataFrame:
    """Return ``answer`` if it is a DataFrame with the given columns and at least ``min_rows``."""
    require_answer(answer)
    if not isinstance(answer, pd.DataFrame):
        raise Problem(
            f"需要一个 pandas DataFrame，实际得到 {type(answer).__name__}",
            f"expected a pandas DataFrame, got {type(answer).__name__}",
        )
    missing = [c for c in columns if c not in answer.columns]
    if missing:
        raise Problem(f"缺少列：{missing}", f"missing columns: {missing}")
    if answer.columns.duplicated().any():
        dup = sorted(set(answer.columns[answer.columns.duplicated()]))
        raise Problem(f"列名重复：{dup}", f"duplicated column names: {dup}")
    if len(answer) < min_rows:
        raise Problem(
            f"至少需要 {min_rows} 行，实际只有 {len(answer)} 行",
            f"expected at least {min_rows} rows, got {len(answer)}",
        )
    return answer


def require_mapping(answer: Any, *, keys: Iterable[str]) -> Mapping[str, Any]:
    """Return ``answer`` if it is a dict-like object holding every key in ``keys``."""
    require_answer(answer)
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, Mapping):
        raise Problem(
            f"需要一个 dict，实际得到 {type(answer).__name__}",
            f"expected a dict, got {type(answer).__name__}",
        )
    missing = [k for k in keys if k not in answer]
    if missing:
        raise Problem(f"缺少键：{missing}", f"missing keys: {missing}")
    return answer


def require_file(path: Any, *, suffix: str) -> Path:
    """Return ``path`` as a :class:`Path` if it names an existing file with the given suffix."""
    require_answer(path)
    if not isinstance(path, (str, Path)):
        raise Problem(
            f"需要文件路径（str 或 Path），实际得到 {type(path).__name__}",
            f"expected a file path (str or Path), got {type(path).__name__}",
        )
    path = Path(path)
    if path.suffix.lower() != suffix:
        raise Problem(f"文件应以 {suffix} 结尾：{path.name}", f"the file should end in {suffix}: {path.name}")
    if not path.is_file():
        raise Problem(f"找不到文件：{path}", f"file not found: {path}")
    return path


def as_number(value: Any) -> float:
    """Return ``value`` as a float, failing with a clear message for non-numbers."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Problem(f"需要一个数字，实际得到 {value!r}", f"expected a number, got {value!r}") from None
    return number


def require_callable(fn: Any) -> Callable[..., Any]:
    """Return ``fn`` if it is a function (not attempted while ``None``)."""
    require_answer(fn)
    if not callable(fn):
        raise Problem(f"需要一个函数，实际得到 {type(fn).__name__}",
                      f"expected a function, got {type(fn).__name__}")
    return fn


def call_quietly(fn: Callable[..., Any], *args: Any) -> Any:
    """Call a learner's function with its warnings and prints kept out of the test cell."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return fn(*args)


def call_learner(fn: Callable[..., Any], *args: Any) -> Any:
    """:func:`call_quietly`, turning a crash into a :class:`Problem` that names the error."""
    try:
        return call_quietly(fn, *args)
    except Exception as exc:
        text = f"{type(exc).__name__}: {exc}"[:160]
        raise Problem(f"你的函数运行出错：{text}", f"your function raised {text}") from None
