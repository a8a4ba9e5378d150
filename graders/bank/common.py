"""What every bank task's checks share: the candidate's data variant and answers named per key.

Not a bank task itself (its name is not a task id): the engine's part of ``graders/bank/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graders.answers import require_answer, require_file
from graders.checking import Problem
from trainerlab.datagen import bank_cases
from trainerlab.variants import current_seed


def data_path(name: str) -> Path:
    """The CSV file of the bank table ``name`` for this notebook's variant (``TRAINERLAB_SEED``)."""
    return bank_cases.data_file(name, current_seed())


def data(name: str) -> pd.DataFrame:
    """The bank table ``name`` of this notebook's variant, as the candidate reads it."""
    return bank_cases.table(name, current_seed()).copy()


def numbers_by_key(answer: Any, what: tuple[str, str]) -> dict[str, float]:
    """A dict, Series or two-column DataFrame of numbers as {stripped lower-case key: float}."""
    require_answer(answer)
    if isinstance(answer, pd.DataFrame):
        if answer.shape[1] != 2:
            raise Problem(f"DataFrame 应只有两列：名称和{what[0]}", f"the DataFrame should have two columns: "
                                                              f"the name and the {what[1]}")
        answer = dict(answer.itertuples(index=False, name=None))
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, Mapping):
        raise Problem(f"需要一个 dict（名称 -> {what[0]}），实际得到 {type(answer).__name__}",
                      f"expected a dict (name -> {what[1]}), got {type(answer).__name__}")
    out: dict[str, float] = {}
    for key, value in answer.items():
        try:
            out[str(key).strip().lower()] = float(value)
        except (TypeError, ValueError):
            raise Problem(f"{key} 的值不是数字：{value!r}", f"the value of {key} is not a number: {value!r}") \
                from None
    return out


def same_keys(got: Mapping[str, float], want: Mapping[str, float]) -> bool:
    """Fail with the missing and extra names unless ``got`` names exactly the keys of ``want``."""
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    if missing or extra:
        raise Problem(f"名称不对：缺少 {missing}，多出 {extra}", f"wrong names: missing {missing}, extra {extra}")
    return True


def close(got: Mapping[str, float], want: Mapping[str, float], tolerance: float) -> bool:
    """Whether every value of ``want`` is matched within ``tolerance`` (keys checked elsewhere)."""
    return all(k in got and abs(got[k] - float(v)) <= tolerance for k, v in want.items())


def names(answer: Any) -> list[str]:
    """A list, tuple, set, array or Series of names as stripped strings (order kept)."""
    require_answer(answer)
    if isinstance(answer, (pd.Series, pd.Index, np.ndarray)):
        answer = list(answer)
    if isinstance(answer, str) or not isinstance(answer, (list, tuple, set, frozenset)):
        raise Problem(f"需要一个列表，实际得到 {type(answer).__name__}", f"expected a list, got {type(answer).__name__}")
    return [str(a).strip() for a in answer]


def numbers_in_file(path: Path, columns: tuple[str, str], what: tuple[str, str]) -> dict[str, float]:
    """A deliverable CSV of two named columns (name, number) as {stripped lower-case name: float}.

    Fails with a clear message when the file is missing, is not a CSV, or lacks one of ``columns``.
    """
    saved = pd.read_csv(require_file(path, suffix=".csv"), encoding="utf-8-sig")
    missing = [c for c in columns if c not in saved.columns]
    if missing:
        raise Problem(f"{path} 缺少列 {missing}（写文件时用 index=False）",
                      f"{path} lacks the columns {missing} (write it with index=False)")
    return numbers_by_key(saved[list(columns)], what)


def saved_predictions(path: Path, rows: int) -> list[str]:
    """The values of a deliverable text file of one prediction per test row (``rows`` of them), as text.

    Fails with a clear message when the file is missing, is not a ``.txt`` file, or has another count.
    """
    values = require_file(path, suffix=".txt").read_text(encoding="utf-8").split()
    if len(values) != rows:
        raise Problem(f"{path.name} 应有 {rows} 行（测试集每行一个）",
                      f"{path.name} needs {rows} lines (one per test row)")
    return values
