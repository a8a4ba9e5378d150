"""Seeded claims of a car-insurance risk service: training batches, a golden holdout and 8 weeks of traffic.

``build(seed)`` simulates the claims that 安行保险 (AnXing Insurance) scores for suspected fraud before a
claim is paid. Six features come with each claim (:data:`FEATURES`); ``suspicious`` is the label the
investigators gave. The tables and the faults planted in them, all drawn from the seed:

* ``train_v1``: the batch model v1 was trained on (clean);
* ``train_v2``: next month's batch, on which model v2 was retrained — a join failure in the new
  data pipeline wrote ``prior_claims`` as 0 on every row, so v2 learns nothing from the strongest
  feature and ranks the golden holdout far worse than v1 (the release gate must fail it);
* ``holdout``: the golden holdout the release gate scores both versions on;
* ``traffic``: eight weeks of unlabelled production requests (``timestamp``, Monday-based weeks from
  :data:`FIRST_MONDAY`). From week ``drift_week`` on, one monitored feature drifts, a little more
  every week (so its largest PSI is not its first alert); a second monitored feature shifts by a
  small amount that stays below the PSI alert level but that a KS test at 5 % flags (the decoy).

:func:`fit_version` is the one recipe that trains a version (the lab's set-up cell and the grader
both use it). ``python -m trainerlab.datagen.claims_service`` rewrites ``datasets/claims_service/``
for the default seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from trainerlab.variants import DEFAULT_SEED, variant_csv

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

DATASET = "claims_service"
CLAIMS_NAME = "claims.csv"
TRAFFIC_NAME = "traffic/traffic.csv"
FEATURES = ["customer_age", "policy_years", "prior_claims", "claim_amount", "report_delay_h", "vehicle_value"]
TARGET = "suspicious"
#: The service's data contract: the inclusive range of every field (claim_amount must be above 0).
CONTRACT: dict[str, tuple[float, float]] = {
    "customer_age": (18, 100),
    "policy_years": (0, 60),
    "prior_claims": (0, 20),
    "claim_amount": (0, 1_000_000),
    "report_delay_h": (0, 720),
    "vehicle_value": (0.5, 500),
}
#: The features the drift monitor watches (the continuous ones).
MONITORED = ["claim_amount", "report_delay_h", "vehicle_value"]
N_TRAIN, N_HOLDOUT = 1200, 600
N_WEEKS, WEEKLY = 8, 400
FIRST_MONDAY = pd.Timestamp("2026-09-07")
#: The drifting feature moves by this many of its standard deviations in its first week of drift ...
DRIFT_START_SD = 0.7
#: ... and by this many more every following week.
DRIFT_STEP_SD = 0.25
#: The decoy feature's shift (standard deviations): PSI stays near 0.05, a KS test at 5 % flags it.
DECOY_SD = 0.22
#: PSI at or above this raises an alert (the lab's rule).
PSI_ALERT = 0.2
#: The traffic is drawn again until every PSI off the drift stays below this and the drift's
#: first week reaches :data:`CLEAR_DRIFT`: the alert table never hangs on sampling noise.
QUIET_PSI, CLEAR_DRIFT = 0.15, 0.3
#: Shares of a bin are floored at this before the logarithm (an empty bin has no logarithm).
PSI_FLOOR = 1e-4
#: The hand-off rule of the end-to-end flow: approve below, investigate from, and never
#: approve automatically above this claim amount.
AUTO_APPROVE_BELOW, INVESTIGATE_FROM, HIGH_AMOUNT = 0.1, 0.3, 50_000


@dataclass(frozen=True)
class ClaimsData:
    """One variant: the labelled claims (``split``: train_v1, train_v2, holdout), the traffic, the truth."""

    seed: int
    claims: pd.DataFrame
    traffic: pd.DataFrame
    drift_feature: str
    decoy_feature: str
    drift_week: int  # 1-based: the first week whose traffic has drifted

    def split(self, name: str) -> pd.DataFrame:
        """The labelled rows of one split, indexed from 0."""
        return self.claims[self.claims["split"] == name].drop(columns="split").reset_index(drop=True)


def _claims(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """``n`` claims with the five features (no label)."""
    return pd.DataFrame({
        "customer_age": np.clip(np.round(rng.normal(42, 12, n)), 18, 90).astype(int),
        "policy_years": np.clip(np.round(rng.exponential(5, n)), 0, 40).astype(int),
        "prior_claims": np.minimum(rng.poisson(0.7, n), 12).astype(int),
        "claim_amount": np.round(np.exp(rng.normal(np.log(8000), 0.8, n)), 2),
        "report_delay_h": np.round(np.exp(rng.normal(np.log(30), 0.9, n)), 1).clip(0, 700),
        "vehicle_value": np.round(np.exp(rng.normal(np.log(14), 0.5, n)), 2).clip(1, 400),
    })


def _labels(rng: np.random.Generator, df: pd.DataFrame) -> np.ndarray:
    logit = (-2.6 + 1.1 * df["prior_claims"] + 0.6 * np.log(df["claim_amount"] / 8000)
             + 0.35 * np.log(df["report_delay_h"] / 30 + 0.05) - 0.06 * df["policy_years"]
             - 0.01 * (df["customer_age"] - 42))
    return (rng.random(len(df)) < 1 / (1 + np.exp(-logit))).astype(int)


#: Spread (standard deviation of the logarithm) and decimals of each monitored feature.
_LOG_SPREAD = {"claim_amount": (0.8, 2), "report_delay_h": (0.9, 1), "vehicle_value": (0.5, 2)}


def _shift(values: pd.Series, feature: str, sd: float) -> pd.Series:
    """``values`` moved up by ``sd`` standard deviations of their logarithm (all three are skewed)."""
    spread, decimals = _LOG_SPREAD[feature]
    return np.round(values * np.exp(sd * spread), decimals)


def psi(reference: pd.Series | np.ndarray, current: pd.Series | np.ndarray) -> float:
    """Population stability index of ``current`` against ``reference``.

    Ten bins at the reference's deciles (the outer two open-ended), each bin's share floored at
    :data:`PSI_FLOOR`, PSI = sum over bins of (current - reference) * ln(current / reference).
    """
    reference, current = np.asarray(reference, dtype=float), np.asarray(current, dtype=float)
    edges = np.quantile(reference, np.linspace(0.1, 0.9, 9))
    expected, actual = (np.maximum(np.bincount(np.searchsorted(edges, values, side="right"),
                                               minlength=10) / len(values), PSI_FLOOR)
                        for values in (reference, current))
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def week_number(timestamps: pd.Series) -> pd.Series:
    """The 0-based week of each timestamp, counted in Monday-based weeks from :data:`FIRST_MONDAY`."""
    return (timestamps - FIRST_MONDAY).dt.days // 7


def weekly_psi(traffic: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """PSI of every monitored feature (columns) in every week (rows, by the week's Monday)."""
    weeks = week_number(traffic["timestamp"])
    return pd.DataFrame({feature: [psi(reference[feature], traffic.loc[weeks == w, feature])
                                   for w in range(N_WEEKS)] for feature in MONITORED},
                        index=pd.DatetimeIndex(week_starts(), name="week"))


def _clear(table: pd.DataFrame, drift: str, drift_week: int) -> bool:
    quiet = table.drop(columns=drift).to_numpy().max() < QUIET_PSI
    before = table[drift].iloc[:drift_week - 1].max() < QUIET_PSI if drift_week > 1 else True
    return bool(quiet and before and table[drift].iloc[drift_week - 1] >= CLEAR_DRIFT)


def _traffic(rng: np.random.Generator, drift: str, decoy: str, drift_week: int) -> pd.DataFrame:
    weeks = []
    for week in range(1, N_WEEKS + 1):
        df = _claims(rng, WEEKLY)
        if week >= drift_week:
            df[drift] = _shift(df[drift], drift, DRIFT_START_SD + DRIFT_STEP_SD * (week - drift_week))
        if week >= 2:
            df[decoy] = _shift(df[decoy], decoy, DECOY_SD)
        seconds = np.sort(rng.integers(0, 7 * 24 * 3600, WEEKLY))
        start = FIRST_MONDAY + pd.Timedelta(weeks=week - 1)
        df.insert(0, "timestamp", start + pd.to_timedelta(seconds, unit="s"))
        weeks.append(df)
    traffic = pd.concat(weeks, ignore_index=True)
    first = int(rng.integers(100_000, 800_000))
    traffic.insert(0, "request_id", [f"Q{first + i}" for i in range(len(traffic))])
    return traffic


def build(seed: int = DEFAULT_SEED) -> ClaimsData:
    """The variant of ``seed`` (see the module docstring for what is planted)."""
    rng = np.random.default_rng(seed)
    parts = []
    for name, n in (("train_v1", N_TRAIN), ("train_v2", N_TRAIN), ("holdout", N_HOLDOUT)):
        df = _claims(rng, n)
        df[TARGET] = _labels(rng, df)
        if name == "train_v2":
            df["prior_claims"] = 0  # the join failure of the new data pipeline
        parts.append(df.assign(split=name))
    claims = pd.concat(parts, ignore_index=True)
    first = int(rng.integers(100_000, 800_000))
    claims.insert(0, "claim_id", [f"C{first + i}" for i in range(len(claims))])
    drift, decoy = (str(f) for f in rng.choice(MONITORED, size=2, replace=False))
    drift_week = int(rng.integers(3, 6))
    reference = claims[claims["split"] == "train_v1"]
    traffic = _traffic(rng, drift, decoy, drift_week)
    while not _clear(weekly_psi(traffic, reference), drift, drift_week):
        traffic = _traffic(rng, drift, decoy, drift_week)
    return ClaimsData(seed, claims, traffic, drift, decoy, drift_week)


@lru_cache(maxsize=4)
def variant(seed: int = DEFAULT_SEED) -> ClaimsData:
    """Cached :func:`build` for checks that grade many answers against one variant."""
    return build(seed)


def fit_version(frame: pd.DataFrame) -> Pipeline:
    """Train one model version on ``frame``: standardise the six features, then logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(frame[FEATURES],
                                                                                   frame[TARGET])


def payload(row: pd.Series) -> dict[str, int | float]:
    """A claim as the JSON body a client sends (plain Python numbers)."""
    return {f: (int(row[f]) if f in ("customer_age", "policy_years", "prior_claims") else float(row[f]))
            for f in FEATURES}


def load_payloads(seed: int = DEFAULT_SEED, n: int = 48) -> list[dict]:
    """The bodies of a load test: ``n`` claims, one in ten broken (a field missing or out of range)."""
    rng = np.random.default_rng([seed, 1])
    payloads = [payload(row) for _, row in _claims(rng, n).iterrows()]
    for i in rng.choice(n, size=n // 10, replace=False):
        if i % 2:
            payloads[i].pop(str(rng.choice(FEATURES)))
        else:
            payloads[i]["customer_age"] = int(rng.integers(101, 130))
    return payloads


def incoming_requests(seed: int = DEFAULT_SEED) -> list[dict]:
    """Today's requests to the end-to-end flow: ``{"request_id", "claim"}``, ordinary and broken claims.

    Among them a large claim from a long-standing customer with no earlier claims (low risk, above
    :data:`HIGH_AMOUNT`) and three broken ones (a field missing, an age out of range, an amount as text).
    """
    rng = np.random.default_rng([seed, 2])
    claims = [payload(row) for _, row in _claims(rng, 9).iterrows()]
    claims.append({"customer_age": 58, "policy_years": 34, "prior_claims": 0,
                   "claim_amount": float(round(HIGH_AMOUNT * rng.uniform(1.1, 1.4), 2)),
                   "report_delay_h": 2.0, "vehicle_value": 38.0})
    missing = dict(claims[0])
    missing.pop("report_delay_h")
    too_old = dict(claims[1], customer_age=int(rng.integers(120, 140)))
    as_text = dict(claims[2], claim_amount="八千元")
    claims += [missing, too_old, as_text]
    order = rng.permutation(len(claims))
    first = int(rng.integers(1000, 9000))
    return [{"request_id": f"R{first + k}", "claim": claims[i]} for k, i in enumerate(order)]


def week_starts() -> list[pd.Timestamp]:
    """The Monday that starts each of the traffic's weeks."""
    return [FIRST_MONDAY + pd.Timedelta(weeks=w) for w in range(N_WEEKS)]


def claims_file(seed: int = DEFAULT_SEED) -> Path:
    """The labelled claims for ``seed``: the bundled file, or a cached copy for other seeds."""
    if seed == DEFAULT_SEED:
        from trainerlab.paths import dataset_file

        return dataset_file(DATASET, CLAIMS_NAME)
    return variant_csv("claims", seed, lambda s: variant(s).claims)


def traffic_file(seed: int = DEFAULT_SEED) -> Path:
    """The eight weeks of traffic for ``seed``: the bundled file, or a cached copy for other seeds."""
    if seed == DEFAULT_SEED:
        from trainerlab.paths import dataset_file

        return dataset_file(DATASET, TRAFFIC_NAME)
    return variant_csv("claims_traffic", seed, lambda s: variant(s).traffic)


def write_files(folder: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the claims and the traffic of ``seed`` as UTF-8 CSV into ``folder``."""
    data = variant(seed)
    paths = [folder / CLAIMS_NAME, folder / TRAFFIC_NAME]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
    data.claims.to_csv(paths[0], index=False, encoding="utf-8")
    data.traffic.to_csv(paths[1], index=False, encoding="utf-8")
    return paths


def main() -> None:
    """Rewrite ``datasets/claims_service/`` for the default seed."""
    from trainerlab.paths import datasets_root

    for path in write_files(datasets_root() / DATASET):
        print(path)


if __name__ == "__main__":
    main()
