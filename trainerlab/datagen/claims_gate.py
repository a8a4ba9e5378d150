"""Seeded motor-insurance claims for the L2 release-gate lab: an old and a new fraud screen.

An insurer pays most claims at once and sends the ones its fraud screen flags (``P(fraud) >=
0.5``) to an investigator. ``claims(seed)`` simulates the claims of one year with their
investigated outcome ``is_fraud`` and splits them into three parts (column ``split``):

* ``train`` — the rows both models were fitted on;
* ``calibration`` — held back for recalibrating the new model (never for testing);
* ``golden`` — the frozen golden test set of the release gate.

Realistic effects the gate must find, each drawn from the seed:

* **mis-calibration**: the new model is fitted with ``class_weight="balanced"`` (to raise recall),
  which inflates its probabilities: the Brier score fails the gate until it is recalibrated;
* **a slice gap**: the ``west`` region is rare in training and its fraud follows another pattern
  (phone claims filed at night), so the new model misses far more fraud there;
* **a leaked attribute**: the historical investigations were biased by the customer's ``gender``
  (a share of one gender's claims was marked fraud more readily) and the new model was given the
  column, so it fails the invariance test on ``gender``;
* **paired models**: the old model (fewer features) and the new one judge the same claims and agree
  on most of them, so only a paired test (McNemar, on the claims just one model decides right) is
  valid; an unpaired test of the two accuracies gives another p-value, which the check tells apart.

``case(seed)`` gives the two models fitted on the ``train`` rows (fixed ``random_state``).
``python -m trainerlab.datagen.claims_gate`` rewrites ``datasets/claims_gate/claims.csv`` for the
default seed, byte for byte.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from trainerlab.paths import dataset_file
from trainerlab.variants import DEFAULT_SEED

DATASET = "claims_gate"
CSV_NAME = "claims.csv"
TARGET = "is_fraud"
SPLITS = {"train": 2400, "calibration": 800, "golden": 1200}
REGIONS = {"east": 0.5, "central": 0.4, "west": 0.1}
GOLDEN_REGIONS = {"east": 0.4, "central": 0.35, "west": 0.25}  # the golden set covers every slice
CHANNELS = {"app": 0.5, "agent": 0.3, "phone": 0.2}
AGE_BANDS = ["18-29", "30-44", "45-59", "60+"]
AGE_SHARES = [0.2, 0.35, 0.3, 0.15]
GENDER_BIAS = 0.12  # share of one gender's honest claims marked fraud in the biased history

OLD_FEATURES = ["claim_amount", "prior_claims", "policy_months"]
NUMERIC = ["claim_amount", "prior_claims", "policy_months", "report_delay_days"]
CATEGORICAL = ["night_incident", "channel", "region", "age_band", "gender"]
COLUMNS = ["claim_id", *NUMERIC, *CATEGORICAL, TARGET, "split"]


@dataclass(frozen=True)
class GateCase:
    """The two models under test and the three parts of the claims table."""

    old_model: Pipeline
    new_model: Pipeline
    X_train: pd.DataFrame
    y_train: pd.Series
    X_cal: pd.DataFrame
    y_cal: pd.Series
    X_golden: pd.DataFrame
    y_golden: pd.Series


def _part(rng: np.random.Generator, n: int, regions: dict[str, float], part: str) -> pd.DataFrame:
    region = rng.choice(list(regions), n, p=list(regions.values()))
    channel = rng.choice(list(CHANNELS), n, p=list(CHANNELS.values()))
    night = rng.random(n) < 0.2
    amount = np.round(np.exp(rng.normal(8.6, 0.7, n)), -1)
    prior = rng.poisson(0.6, n)
    months = rng.integers(1, 120, n)
    delay = rng.gamma(1.5, 3.0, n).round().astype(int)
    logit = (-1.6 + 2.2 * np.log(amount / 5400) + 1.1 * prior + 0.2 * delay
             + 1.6 * night - 0.025 * months)
    # fraud in the west follows another pattern: claims filed by phone, whatever the amount
    west = region == "west"
    logit = np.where(west, -2.2 + 3.0 * (channel == "phone") + 0.2 * prior, logit)
    fraud = rng.random(n) < 1 / (1 + np.exp(-logit))
    gender = rng.choice(["F", "M"], n)
    if part == "train":  # the biased history the models learnt from
        fraud |= (gender == "M") & (rng.random(n) < GENDER_BIAS)
    return pd.DataFrame({
        "claim_amount": amount.astype(int), "prior_claims": prior, "policy_months": months,
        "report_delay_days": delay, "night_incident": np.where(night, "yes", "no"),
        "channel": channel, "region": region,
        "age_band": rng.choice(AGE_BANDS, n, p=AGE_SHARES), "gender": gender,
        TARGET: fraud.astype(int), "split": part,
    })


def claims(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The whole claims table of one seed: train, calibration and golden rows (column ``split``)."""
    rng = np.random.default_rng(seed)
    parts = [_part(rng, n, GOLDEN_REGIONS if part == "golden" else REGIONS, part)
             for part, n in SPLITS.items()]
    table = pd.concat(parts, ignore_index=True)
    table.insert(0, "claim_id", [f"C{seed % 1000:03d}-{i:05d}" for i in range(len(table))])
    return table[COLUMNS]


def _old_model() -> Pipeline:
    prepare = make_column_transformer((StandardScaler(), OLD_FEATURES))
    return make_pipeline(prepare, LogisticRegression())


def _new_model() -> Pipeline:
    prepare = make_column_transformer(
        (StandardScaler(), NUMERIC), (OneHotEncoder(handle_unknown="ignore"), CATEGORICAL))
    return make_pipeline(prepare, LogisticRegression(class_weight="balanced", max_iter=1000))


def obvious_cases() -> pd.DataFrame:
    """Minimum-functionality cases any fraud screen must decide right, with the ``expected`` decision.

    Three blatant frauds (a huge claim on a two-month-old policy, reported a month late, at night,
    by a repeat claimant) and three plainly honest claims (small, long-standing policy, reported at
    once); none is from the ``west`` region, whose pattern the lab's slice task is about.
    """
    fraud = {"claim_amount": [90000, 120000, 75000], "prior_claims": [4, 5, 3],
             "policy_months": [2, 1, 3], "report_delay_days": [30, 45, 25],
             "night_incident": ["yes", "yes", "yes"], "channel": ["phone", "agent", "app"],
             "region": ["east", "central", "east"], "age_band": ["30-44", "18-29", "45-59"],
             "gender": ["F", "M", "F"], "expected": [1, 1, 1]}
    honest = {"claim_amount": [1200, 800, 1500], "prior_claims": [0, 0, 0],
              "policy_months": [110, 96, 118], "report_delay_days": [0, 1, 0],
              "night_incident": ["no", "no", "no"], "channel": ["app", "agent", "phone"],
              "region": ["central", "east", "central"], "age_band": ["45-59", "60+", "30-44"],
              "gender": ["M", "F", "M"], "expected": [0, 0, 0]}
    return pd.concat([pd.DataFrame(fraud), pd.DataFrame(honest)], ignore_index=True)


def load(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The claims table of ``seed``: the bundled file for the default seed, else generated."""
    if seed == DEFAULT_SEED:
        return pd.read_csv(dataset_file(DATASET, CSV_NAME))
    return claims(seed)


@lru_cache(maxsize=4)
def cached_case(seed: int = DEFAULT_SEED) -> GateCase:
    """Split the claims of ``seed`` by ``split`` and fit the old and the new model on ``train``.

    Cached for the checks: never hand this shared object to a learner (:func:`case` copies it).
    """
    table = load(seed).set_index("claim_id")
    parts = {}
    for part in SPLITS:
        rows = table[table["split"] == part]
        parts[part] = (rows.drop(columns=[TARGET, "split"]), rows[TARGET])
    X_train, y_train = parts["train"]
    return GateCase(_old_model().fit(X_train, y_train), _new_model().fit(X_train, y_train),
                    X_train, y_train, *parts["calibration"], *parts["golden"])


def case(seed: int = DEFAULT_SEED) -> GateCase:
    """The learner's own copy of the case of ``seed`` (models fitted once per process, then copied)."""
    return copy.deepcopy(cached_case(seed))


def write_csv(folder: str | Path, seed: int = DEFAULT_SEED) -> Path:
    """Write the claims table of ``seed`` as ``claims.csv`` in ``folder`` (UTF-8, no index)."""
    path = Path(folder) / CSV_NAME
    claims(seed).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def main() -> None:
    """Rewrite the bundled default file ``datasets/claims_gate/claims.csv``."""
    folder = Path(__file__).resolve().parents[2] / "datasets" / DATASET
    folder.mkdir(parents=True, exist_ok=True)
    print(write_csv(folder), f"({sum(SPLITS.values())} claims, seed {DEFAULT_SEED})")


if __name__ == "__main__":
    main()
