"""Class mode, student side: read back the objects the instructor handed out as data.

Copied into the student environment as ``graders/_handed_out_objects.py`` (beside the project's list
of trusted model types, ``graders/trusted.py``). Tables come as Parquet, arrays as ``.npy`` read
without pickles, models as ``skops`` files loaded only when every type they name that skops does not
trust by itself is in that list, plain values from the handout's JSON, dataclasses as namespaces of
their attributes. Nothing here runs code a file brings.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

#: the column a handed-out Series is stored under (its own name is kept in the handout's index)
SERIES_COLUMN = "values"


def _plain(entry: dict[str, Any]) -> Any:
    return tuple(entry["value"]) if entry["tuple"] else entry["value"]


def _model(path: Path) -> Any:
    import skops.io as sio

    from graders.trusted import foreign_types

    untrusted = sio.get_untrusted_types(file=path)
    foreign = foreign_types(untrusted)
    if foreign:
        raise TypeError(f"模型文件含有不受信任的类型，拒绝加载 / {path.name} names types no trusted list "
                        f"holds, not loaded: {foreign}")
    return sio.load(path, trusted=untrusted)


def load(entry: dict[str, Any], folder: Path) -> Any:
    """The object an entry of the handout's index describes, read from ``folder``."""
    kind = entry["kind"]
    if kind == "json":
        return _plain(entry)
    if kind == "namespace":
        return SimpleNamespace(**{a: load(e, folder) for a, e in entry["attributes"].items()})
    if kind == "mapping":
        return {k: load(e, folder) for k, e in entry["items"].items()}
    path = folder / entry["file"]
    if kind == "array":
        import numpy as np

        return np.load(path, allow_pickle=False)
    if kind == "model":
        return _model(path)
    if kind not in ("frame", "series"):
        raise ValueError(f"unknown kind of handed-out object: {kind}")
    import pandas as pd

    frame = pd.read_parquet(path)
    return frame[SERIES_COLUMN].rename(_plain(entry)) if kind == "series" else frame
