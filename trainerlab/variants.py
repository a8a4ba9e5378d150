"""Per-student data variants: the seed a notebook works on and the files written for it.

An instructor gives each student a seed through ``TRAINERLAB_SEED``; the lab reads the data of that
seed and the checks grade it against the same seed's truth. The default seed is the bundled data.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

DEFAULT_SEED = 20261123
SEED_VARIABLE = "TRAINERLAB_SEED"


def current_seed() -> int:
    """The seed of this notebook's variant (``TRAINERLAB_SEED``, else the default)."""
    return int(os.environ.get(SEED_VARIABLE, DEFAULT_SEED))


def variant_csv(name: str, seed: int, build: Callable[[int], pd.DataFrame]) -> Path:
    """A CSV of ``build(seed)`` cached in the temp folder as ``<name>_<seed>.csv``.

    Written atomically, so parallel graders never read a half-written file.
    """
    path = Path(tempfile.gettempdir()) / "trainerlab" / f"{name}_{seed}.csv"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        build(seed).to_csv(partial, index=False, encoding="utf-8")
        partial.replace(path)
    return path
