"""A batch of new loan applications to score, with rows that break the input schema.

``build(seed)`` samples real applications the credit model never saw (the ``pool`` part of
:func:`trainerlab.models.credit_model.credit_split`) and writes them as a scoring request file
would arrive: text fields, blank optional values, and a few seeded bad rows — a required value
missing, text in a number field, a value outside its range, a loan above the price. The truth
(which rows are good, which are bad and why) grades the lab's batch-scoring task.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from trainerlab.models.credit_model import FEATURES, credit_split
from trainerlab.variants import DEFAULT_SEED

N_RECORDS = 200
EXTRA_COLUMNS = ["home", "marital", "records", "job"]  # sent along, not used by the model
COLUMNS = ["record_id", *FEATURES, *EXTRA_COLUMNS]


@dataclass(frozen=True)
class Field:
    """One numeric field of the input schema: inclusive range and whether a blank is allowed."""

    low: float
    high: float
    required: bool


#: The input schema every scored row must meet (the lab states it to the learner).
SCHEMA: dict[str, Field] = {
    "seniority": Field(0, 60, True),
    "time": Field(6, 72, True),
    "age": Field(18, 100, True),
    "expenses": Field(0, 1000, True),
    "income": Field(0, 10_000, False),
    "assets": Field(0, 1_000_000, False),
    "debt": Field(0, 1_000_000, False),
    "amount": Field(1, 100_000, True),
    "price": Field(1, 100_000, True),
}
REQUIRED = [c for c, f in SCHEMA.items() if f.required]
OPTIONAL = [c for c, f in SCHEMA.items() if not f.required]
CROSS_RULE = "amount <= price"

#: How many bad rows of each kind a batch holds.
FAULT_COUNTS = {"missing": 8, "type": 8, "range": 10, "cross": 4}
TEXT_TOKENS = ["abc", "12k", "thirty", "#VALUE!", "1O0", "约3000", "5 years"]
OUT_OF_RANGE = {
    "seniority": [-1, -5, 61, 75], "time": [0, 3, 84, 120], "age": [12, 15, 17, 101, 130, 250],
    "expenses": [-20, 1500], "income": [-300, 12_000, 99_999], "assets": [-1000, 5_000_000],
    "debt": [-50, 2_000_000], "amount": [0, -500], "price": [0, -100, 250_000],
}
N_BLANK_OPTIONAL = 6  # good rows given an extra blank optional value (they must still be scored)


@dataclass(frozen=True)
class Fault:
    """Why a row must be rejected: the column at fault and the kind of fault."""

    column: str
    kind: str  # "missing" | "type" | "range" | "cross"


@dataclass(frozen=True)
class NewBatch:
    """A generated batch: the file's text table and the truth that grades the scoring."""

    seed: int
    raw: pd.DataFrame
    faults: dict[str, Fault]
    features: pd.DataFrame  # numeric features of the good rows, indexed by record_id

    @property
    def good_ids(self) -> list[str]:
        """Records that meet the schema (and must be scored), in file order."""
        return list(self.features.index)


def _text(value: float) -> str:
    if pd.isna(value):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def build(seed: int = DEFAULT_SEED) -> NewBatch:
    """Generate the batch for ``seed`` (deterministic, a few milliseconds)."""
    rng = np.random.default_rng(seed)
    pool = credit_split().pool
    rows = pool.sample(n=N_RECORDS, random_state=int(rng.integers(2**31))).reset_index(drop=True)
    first = int(rng.integers(100_000, 900_000))
    rows.insert(0, "record_id", [f"N{first + i:07d}" for i in range(len(rows))])
    raw = rows[FEATURES].map(_text)
    raw.insert(0, "record_id", rows["record_id"])
    for col in EXTRA_COLUMNS:
        raw[col] = rows[col].fillna("").astype(str)

    positions = rng.permutation(len(rows))
    n_bad = sum(FAULT_COUNTS.values())
    bad_pos, good_pos = positions[:n_bad], positions[n_bad:]
    faults: dict[str, Fault] = {}
    kinds = [k for k, n in FAULT_COUNTS.items() for _ in range(n)]
    for pos, kind in zip(bad_pos, kinds, strict=True):
        if kind == "missing":
            column = str(rng.choice(REQUIRED))
            raw.loc[pos, column] = ""
        elif kind == "type":
            column = str(rng.choice(FEATURES))
            raw.loc[pos, column] = str(rng.choice(TEXT_TOKENS))
        elif kind == "range":
            column = str(rng.choice(FEATURES))
            raw.loc[pos, column] = _text(rng.choice(OUT_OF_RANGE[column]))
        else:
            column = "amount"
            price = float(rows.loc[pos, "price"])
            raw.loc[pos, column] = _text(price + 50 * int(rng.integers(1, 40)))
        faults[str(rows.loc[pos, "record_id"])] = Fault(column, kind)

    features = rows[FEATURES].astype("float64").copy()
    for pos in rng.choice(good_pos, size=N_BLANK_OPTIONAL, replace=False):
        column = str(rng.choice(OPTIONAL))
        raw.loc[pos, column] = ""
        features.loc[pos, column] = np.nan
    good = np.sort(good_pos)
    features = features.loc[good].set_index(rows.loc[good, "record_id"].to_numpy())
    features.index.name = "record_id"
    return NewBatch(seed, raw[COLUMNS], faults, features)


@lru_cache(maxsize=4)
def variant(seed: int = DEFAULT_SEED) -> NewBatch:
    """Cached :func:`build` for checks that grade many answers against one batch."""
    return build(seed)


def write_batch(path: str | Path, seed: int = DEFAULT_SEED) -> Path:
    """Write the batch for ``seed`` to ``path`` as UTF-8 CSV and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    variant(seed).raw.to_csv(path, index=False, encoding="utf-8")
    return path
