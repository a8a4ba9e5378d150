"""Per-student data variants: the seed a notebook works on and the files written for it.

An instructor gives each student a seed through ``TRAINERLAB_SEED``; the lab reads the data of that
seed and the checks grade it against the same seed's truth. The default seed is the bundled data.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pandas as pd

DEFAULT_SEED = 20261123
SEED_VARIABLE = "TRAINERLAB_SEED"


def current_seed() -> int:
    """The seed of this notebook's variant (``TRAINERLAB_SEED``, else the default)."""
    return int(os.environ.get(SEED_VARIABLE, DEFAULT_SEED))


def random_state(seed: int) -> int:
    """``seed`` as scikit-learn and pandas take a ``random_state`` (below 2**32).

    A seed that fits is kept as it is; a class course's seeds (62 bits, from its secret) are folded in,
    where passing them whole fails.
    """
    return seed % (1 << 32)


def code_digest(folder: Path) -> str:
    """A short digest of the Python files in ``folder`` (names and contents)."""
    digest = hashlib.sha256()
    for source in sorted(folder.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


@cache
def generator_version() -> str:
    """The digest of the data generators' code (``trainerlab/datagen``): it changes with any generator."""
    return code_digest(Path(__file__).with_name("datagen"))


def variant_csv(name: str, seed: int, build: Callable[[int], pd.DataFrame]) -> Path:
    """A CSV of ``build(seed)`` cached in the temp folder as ``<name>_<seed>_<generator version>.csv``.

    Keyed by the generators' code as well as the seed, so a changed generator never serves the
    learner stale data while grading rebuilds the new truth. Written atomically, so parallel
    graders never read a half-written file.
    """
    path = Path(tempfile.gettempdir()) / "trainerlab" / f"{name}_{seed}_{generator_version()}.csv"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        build(seed).to_csv(partial, index=False, encoding="utf-8")
        partial.replace(path)
    return path
