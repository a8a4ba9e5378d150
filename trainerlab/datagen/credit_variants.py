"""Per-student variants of the real credit-scoring table, for the model-tuning lab.

The default seed is the bundled table itself (``datasets/credit_scoring/credit_data.csv``). Any
other seed keeps a seeded, stratified 90 % of its rows, so the bad rate and the real missing
values stay as they are while a split, model or score copied from another student's variant no
longer fits. Nothing is altered inside a row: every variant is real data.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from trainerlab.paths import dataset_file
from trainerlab.variants import DEFAULT_SEED, random_state, variant_csv

SHARE_KEPT = 0.9


def build(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The credit table of ``seed``: the whole table for the default seed, else 90 % of its rows."""
    full = pd.read_csv(dataset_file("credit_scoring", "credit_data.csv"))
    if seed == DEFAULT_SEED:
        return full
    kept, _ = train_test_split(full.index.to_numpy(), train_size=SHARE_KEPT,
                               stratify=full["status"], random_state=random_state(seed))
    return full.loc[sorted(kept)].reset_index(drop=True)


def credit_file(seed: int = DEFAULT_SEED) -> Path:
    """Path of the CSV for ``seed``: the bundled file, or a cached copy written for other seeds."""
    if seed == DEFAULT_SEED:
        return dataset_file("credit_scoring", "credit_data.csv")
    return variant_csv("credit_data", seed, build)
