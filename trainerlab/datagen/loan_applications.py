"""Loan applications with realistic entry faults, built from the real credit-scoring table.

``build(seed)`` samples real applications from ``datasets/credit_scoring`` and writes them the way
a branch office's export would: mixed date formats, full-width digits, amounts in 万, thousands
separators, category spellings in Chinese and English, several missing-value markers, an income
sentinel, re-entered duplicates, rule-violating records and incomes entered in the wrong unit.
It returns the raw table and the truth the checks grade against, so every seed is a fair
variant (``datasets/loan_applications/README.md`` documents each fault).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from trainerlab.datagen import faults
from trainerlab.paths import dataset_file
from trainerlab.variants import DEFAULT_SEED, variant_csv

N_APPLICATIONS = 3000

NUMERIC = ["age", "seniority", "time", "expenses", "income", "assets", "debt", "amount", "price"]
CATEGORICAL = ["home", "marital", "records", "job"]
COLUMNS = ["application_id", "apply_date", "age", "marital", "home", "job", "seniority", "records",
           "income", "expenses", "assets", "debt", "time", "amount", "price", "status"]

#: Canonical category codes (from the source data) and the other spellings found in the export.
SPELLINGS: dict[str, dict[str, list[str]]] = {
    "home": {"owner": ["Owner", "OWNER", " owner", "自有住房"], "rent": ["Rent", "RENT ", "租房"],
             "parents": ["Parents", "与父母同住"], "priv": ["Priv", "PRIV"],
             "other": ["Other", "其他"], "ignore": ["Ignore"]},
    "marital": {"married": ["Married", "M", "已婚"], "single": ["Single", "S", "未婚"],
                "separated": ["Separated", "分居"], "widow": ["Widow", "丧偶"],
                "divorced": ["Divorced", "离异"]},
    "records": {"no": ["No", "N", "否"], "yes": ["Yes", "Y", "是"]},
    "job": {"fixed": ["Fixed", "固定"], "freelance": ["Freelance", "自由职业"],
            "partime": ["part-time", "Partime", "兼职"], "others": ["Others", "其他"]},
}
CANONICAL: dict[str, list[str]] = {col: list(codes) for col, codes in SPELLINGS.items()}

#: Rules every valid application meets (the lab states them; violators must be removed).
RULES = {
    "age": "18 <= age <= 70",
    "amount": "amount <= price",
    "seniority": "seniority <= age - 14",
}
INCOME_SENTINEL = "99999999"
MISSING_MARKERS = (*faults.MISSING_MARKERS, INCOME_SENTINEL)
#: Columns that get extra missing values (rule columns never do, so every rule is decidable).
MISSING_SHARE = {"income": 0.03, "assets": 0.02, "debt": 0.02, "expenses": 0.01,
                 "home": 0.02, "marital": 0.01, "job": 0.02}
UNIT_ERROR_FACTOR = 100  # incomes typed in yuan instead of hundreds of yuan
HIGH_RISK_RATIO = 0.9
AGE_BINS = [17, 25, 35, 45, 55, 70]
AGE_LABELS = ["18-25", "26-35", "36-45", "46-55", "56-70"]
BOUNDARY_AGES = 3  # valid applicants made exactly 18 and exactly 70 (the rule's inclusive bounds)
BOUNDARY_STREAM = 70  # the random stream they are drawn from (apart from the variant's own)


@dataclass(frozen=True)
class LoanVariant:
    """A generated variant: the raw export and the truth that grades it.

    ``records`` has one row per application (index ``application_id``) with correct types,
    canonical categories and true incomes; ``typed`` is the raw export (same rows, same order)
    with every value parsed but nothing else repaired (incomes still in the wrong unit).
    """

    seed: int
    raw: pd.DataFrame
    typed: pd.DataFrame
    records: pd.DataFrame
    invalid: dict[str, str]
    unit_errors: frozenset[str]

    @property
    def valid_ids(self) -> set[str]:
        """Applications that meet every rule."""
        return set(self.records.index) - set(self.invalid)

    @property
    def duplicate_rows(self) -> int:
        """Rows of the raw export that repeat an application already exported."""
        return len(self.raw) - self.raw["application_id"].nunique()


def load_source() -> pd.DataFrame:
    """The real credit-scoring table the variants are sampled from."""
    return pd.read_csv(dataset_file("credit_scoring", "credit_data.csv"))


def _records(rng: np.random.Generator, source: pd.DataFrame) -> pd.DataFrame:
    rows = source.sample(n=N_APPLICATIONS, random_state=rng.integers(2**31)).reset_index(drop=True)
    first = int(rng.integers(100_000, 800_000))
    rows.insert(0, "application_id", [f"A{first + i:07d}" for i in range(len(rows))])
    days = rng.integers(0, 547, size=len(rows))
    rows.insert(1, "apply_date", pd.Timestamp("2023-01-01") + pd.to_timedelta(days, unit="D"))
    for col in NUMERIC:
        rows[col] = rows[col].astype("float64")
    for col, share in MISSING_SHARE.items():
        idx = faults.pick(rng, len(rows), share, among=np.flatnonzero(rows[col].notna()))
        rows.loc[idx, col] = np.nan
    return rows.set_index("application_id")


def _break_rules(rng: np.random.Generator, records: pd.DataFrame) -> dict[str, str]:
    idx = faults.pick(rng, len(records), 0.025)
    invalid = {}
    for pos in idx:
        app = records.index[pos]
        rule = str(rng.choice(list(RULES)))
        if rule == "age":
            records.loc[app, "age"] = float(rng.choice([15, 16, 17, 71, 74, 78, 85]))
        elif rule == "amount":
            records.loc[app, "amount"] = records.loc[app, "price"] + float(rng.integers(1, 40) * 50)
        else:
            records.loc[app, "seniority"] = records.loc[app, "age"] - 14 + float(rng.integers(2, 12))
        invalid[app] = rule
    return invalid


def _boundary_ages(seed: int, records: pd.DataFrame, invalid: dict[str, str]) -> None:
    """Make a few valid applicants exactly 18 and 70, so a rule written with < instead of <= shows.

    Its own random stream (from ``seed``), so every other fault of the variant stays as it was.
    """
    rng = np.random.default_rng([seed, BOUNDARY_STREAM])
    ok = ~records.index.isin(list(invalid))
    for age, near, seniority_cap in ((18, (19, 22), 18 - 14), (70, (62, 69), 70 - 14)):
        pool = np.flatnonzero(ok & records["age"].between(*near) & (records["seniority"] <= seniority_cap))
        chosen = rng.choice(pool, size=min(len(pool), BOUNDARY_AGES), replace=False)
        records.iloc[chosen, records.columns.get_loc("age")] = float(age)


def _render(rng: np.random.Generator, app: str, row: dict, unit_error: bool) -> dict[str, str]:
    """Write application ``app`` (its fields in ``row``) as the export would, with random format faults."""
    out: dict[str, str] = {"application_id": app}
    r = rng.random()
    day = row["apply_date"]
    out["apply_date"] = (day.strftime("%Y-%m-%d") if r < 0.8
                         else faults.slash_date(day) if r < 0.9 else faults.chinese_date(day))
    for col in NUMERIC:
        value = row[col]
        if pd.isna(value):
            marker = (INCOME_SENTINEL if col == "income" and rng.random() < 0.3
                      else str(rng.choice(faults.MISSING_MARKERS)))
            out[col] = marker
            continue
        if col == "income" and unit_error:
            value = value * UNIT_ERROR_FACTOR
        text = f"{value:g}"
        u = rng.random()
        if col == "income" and u < 0.03:
            text = faults.fullwidth(text)
        elif col == "age" and u < 0.03:
            text = f"{text}岁"
        elif col == "amount" and value % 100 == 0 and u < 0.05:
            text = faults.wan(value)
        elif col == "price" and value >= 1000 and u < 0.05:
            text = faults.thousands(value)
        out[col] = text
    for col in CATEGORICAL:
        value = row[col]
        out[col] = (str(rng.choice(faults.MISSING_MARKERS[1:])) if pd.isna(value)
                    else faults.spell(rng, value, SPELLINGS[col], 0.15))
    out["status"] = row["status"]
    return out


def _typed(records: pd.DataFrame, raw: pd.DataFrame, unit_errors: frozenset[str]) -> pd.DataFrame:
    typed = records.loc[raw["application_id"]].reset_index()
    mask = typed["application_id"].isin(unit_errors)
    typed.loc[mask, "income"] = typed.loc[mask, "income"] * UNIT_ERROR_FACTOR
    typed[CATEGORICAL] = raw[CATEGORICAL].where(raw[CATEGORICAL].apply(lambda c: ~c.isin(MISSING_MARKERS)))
    return typed[COLUMNS]


def build(seed: int = DEFAULT_SEED) -> LoanVariant:
    """Generate the variant for ``seed`` (deterministic)."""
    rng = np.random.default_rng(seed)
    records = _records(rng, load_source())
    invalid = _break_rules(rng, records)
    _boundary_ages(seed, records, invalid)
    # a unit error only on incomes of 20+ so every mistyped value (>= 2000) is beyond any real one
    candidates = np.flatnonzero((records["income"] >= 20) & ~records.index.isin(list(invalid)))
    unit_errors = frozenset(records.index[faults.pick(rng, len(records), 0.012, among=candidates)])
    order = list(records.index)
    dup_pos = faults.pick(rng, len(order), 0.03)
    for pos in dup_pos[::-1]:  # a re-entered copy lands a little later in the export
        order.insert(min(len(order), pos + int(rng.integers(1, 40))), records.index[pos])
    fields = records.to_dict("index")  # plain dicts: far faster than a .loc lookup per row
    raw = pd.DataFrame([_render(rng, app, fields[app], app in unit_errors) for app in order])[COLUMNS]
    typed = _typed(records, raw, unit_errors)
    records = records.reset_index()[COLUMNS].set_index("application_id")
    return LoanVariant(seed, raw, typed, records, invalid, unit_errors)


@lru_cache(maxsize=4)
def variant(seed: int = DEFAULT_SEED) -> LoanVariant:
    """Cached :func:`build`, for checks that grade many answers against one variant."""
    return build(seed)


def high_risk(records: pd.Series, amount: pd.Series, price: pd.Series) -> pd.Series:
    """The labelling rule: high risk if there are arrears records or the loan is > 90 % of the price."""
    return (records == "yes") | (amount > HIGH_RISK_RATIO * price)


def raw_file(seed: int = DEFAULT_SEED) -> Path:
    """Path of the raw export for ``seed``: the bundled file, or a cached copy for other seeds."""
    if seed == DEFAULT_SEED:
        return dataset_file("loan_applications", "loan_applications_raw.csv")
    return variant_csv("loan_applications_raw", seed, lambda s: build(s).raw)


def write_raw(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Regenerate ``datasets/loan_applications/loan_applications_raw.csv`` for ``seed``."""
    raw = build(seed).raw
    path = dataset_file("loan_applications", "README.md").parent / "loan_applications_raw.csv"
    raw.to_csv(path, index=False, encoding="utf-8")
    return raw
