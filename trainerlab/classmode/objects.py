"""Objects a notebook takes from ``q`` that are no file: written as data only, never as pickles.

A class-mode student gets the models under test, the tables and the arrays a lab's set-up cell used
to build with the generators, captured on the instructor's side for the student's seed. Each crosses
in a typed data format that cannot run code when it is read: a table as Parquet, an array as
``.npy`` without pickles, an estimator as a ``skops`` file whose every type skops does not trust by
itself is in the project's one list of trusted types (:mod:`graders.trusted`), a plain value as JSON;
a dataclass or namespace as a namespace of its attributes and a mapping of such objects item by item.
The student side reads them back with :mod:`trainerlab.classmode.student.objects`.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields, is_dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import skops.io as sio
from sklearn.base import BaseEstimator

from graders.trusted import foreign_types
from trainerlab.classmode.student.objects import SERIES_COLUMN

_NAME = re.compile(r"\w[\w.-]*")


def plain(value: Any) -> dict[str, Any]:
    """A JSON value with a note whether it was a tuple; a value that is not plain JSON fails here."""
    if isinstance(value, tuple):
        return {"tuple": True, "value": list(value)}
    json.dumps(value)
    return {"tuple": False, "value": value}


def dump(value: Any, folder: Path, stem: str) -> dict[str, Any]:
    """Write ``value`` into ``folder`` as ``<stem>.<format>`` (a plain value stays in the entry); its entry.

    A model holding a type outside skops' own list and :data:`graders.trusted.TRUSTED_TYPES` is
    refused here, before any student could be handed a file they cannot load safely.
    """
    if not _NAME.fullmatch(stem):
        raise ValueError(f"not a plain file name: {stem!r}")
    if isinstance(value, pd.DataFrame):
        value.to_parquet(folder / f"{stem}.parquet")
        return {"kind": "frame", "file": f"{stem}.parquet"}
    if isinstance(value, pd.Series):
        value.to_frame(SERIES_COLUMN).to_parquet(folder / f"{stem}.parquet")
        return {"kind": "series", "file": f"{stem}.parquet", **plain(value.name)}
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise ValueError(f"{stem}: an array of Python objects needs pickles (allow_pickle=False)")
        np.save(folder / f"{stem}.npy", value, allow_pickle=False)
        return {"kind": "array", "file": f"{stem}.npy"}
    if isinstance(value, BaseEstimator):
        path = folder / f"{stem}.skops"
        sio.dump(value, path)
        foreign = foreign_types(sio.get_untrusted_types(file=path))
        if foreign:
            path.unlink()
            raise TypeError(f"{stem}: the model holds types no trusted list names: {foreign}")
        return {"kind": "model", "file": path.name}
    if isinstance(value, SimpleNamespace):
        return dump_attributes(value, tuple(vars(value)), folder, stem)
    if is_dataclass(value) and not isinstance(value, type):
        return dump_attributes(value, tuple(f.name for f in fields(value)), folder, stem)
    if isinstance(value, dict) and all(isinstance(k, str) for k in value) and not _json_keeps(value):
        return {"kind": "mapping", "items": {k: dump(v, folder, f"{stem}.{k}") for k, v in value.items()}}
    return {"kind": "json", **plain(value)}


def dump_attributes(value: Any, attributes: tuple[str, ...], folder: Path, stem: str) -> dict[str, Any]:
    """Write only ``attributes`` of ``value``, each as :func:`dump` does; the entry of their namespace."""
    return {"kind": "namespace",
            "attributes": {a: dump(getattr(value, a), folder, f"{stem}.{a}") for a in attributes}}


def _json_keeps(value: Any) -> bool:
    """Whether ``value`` comes back from JSON as it is (a tuple inside it would come back a list)."""
    try:
        return json.loads(json.dumps(value)) == value
    except (TypeError, ValueError):
        return False
