"""Seeded online-shop orders with their returns, for the L2 model-tuning lab (skill unit 2.2).

Each row is one order; ``returned`` (1 = the parcel came back) is drawn from a known risk. The
risk is deliberately non-linear, so the data decide the lab's questions without ambiguity:

* **a leaky set-up looks good.** ``seller_id`` has many sellers with a few orders each and no
  effect at all on returns; target-encoding it on all training rows before cross-validation
  lets every fold see its own labels, and the score jumps, while the same encoder fitted per
  fold (inside the pipeline) shows the column is worth nothing;
* **more capacity, not more data.** Returns rise steeply when clothing or shoes are heavily
  discounted, when delivery takes a week or more, and for very cheap and very expensive goods
  (a U-shape in price): a logistic regression on the raw columns cannot bend that way, so its
  learning curve converges low (a small train–validation gap), while trees do better;
* **a threshold worth tuning.** About a quarter of the orders come back, so with a missed return
  costing five times an unneeded fit-check call the best threshold lies far below 0.5.

Run ``python -m trainerlab.datagen.order_returns`` to rewrite the bundled default file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from trainerlab.paths import dataset_file, datasets_root
from trainerlab.variants import DEFAULT_SEED, variant_csv

DATASET = "order_returns"
FILE_NAME = "order_returns.csv"
N_ORDERS = 1500
N_SELLERS = 500
TARGET = "returned"
CATEGORIES = {"服装": 0.26, "鞋靴": 0.14, "数码": 0.18, "家居": 0.17, "美妆": 0.13, "食品": 0.12}
FASHION = ("服装", "鞋靴")
CHANNELS = {"App": 0.55, "小程序": 0.30, "网页": 0.15}
NUMERIC = ["price", "discount", "items", "delivery_days", "tenure_months", "past_returns"]
CATEGORICAL = ["category", "channel"]
COLUMNS = ["order_id", "seller_id", *CATEGORICAL, *NUMERIC, TARGET]
#: The risk's pieces (log-odds): the base, a heavily discounted fashion order, a slow delivery,
#: each past return, the U-shape in log price, each month as a customer.
BASE, FASHION_SALE, SLOW, PER_RETURN, PRICE_U, PER_MONTH = -2.2, 2.6, 1.6, 0.35, 0.9, -0.015
SALE_DISCOUNT, SLOW_DAYS = 0.4, 7


def _risk(frame: pd.DataFrame) -> np.ndarray:
    """The log-odds of a return for each order (the generator's truth)."""
    sale = frame["category"].isin(FASHION) & (frame["discount"] >= SALE_DISCOUNT)
    price_z = (np.log(frame["price"]) - np.log(200)) / 0.8
    return (BASE + FASHION_SALE * sale + SLOW * (frame["delivery_days"] >= SLOW_DAYS)
            + PER_RETURN * frame["past_returns"] + PRICE_U * (price_z ** 2 - 1)
            + PER_MONTH * frame["tenure_months"]).to_numpy(dtype=float)


def build(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The orders of ``seed``: features, a seller id without any effect, and the drawn returns."""
    rng = np.random.default_rng(seed)
    n = N_ORDERS
    frame = pd.DataFrame({
        "order_id": [f"O{i:05d}" for i in rng.choice(90000, n, replace=False) + 10000],
        "seller_id": [f"S{i:04d}" for i in rng.integers(1, N_SELLERS + 1, n)],
        "category": rng.choice(list(CATEGORIES), n, p=list(CATEGORIES.values())),
        "channel": rng.choice(list(CHANNELS), n, p=list(CHANNELS.values())),
        "price": np.round(np.exp(rng.normal(np.log(200), 0.8, n)), 1),
        "discount": np.round(rng.beta(1.5, 3.5, n), 2),
        "items": rng.integers(1, 6, n),
        "delivery_days": rng.integers(1, 11, n),
        "tenure_months": rng.integers(0, 61, n),
        "past_returns": rng.poisson(1.0, n),
    })
    chance = 1 / (1 + np.exp(-_risk(frame)))
    frame[TARGET] = (rng.random(n) < chance).astype(int)
    return frame[COLUMNS]


def orders_file(seed: int = DEFAULT_SEED) -> Path:
    """The CSV of ``seed``: the bundled file for the default seed, else a cached copy."""
    if seed == DEFAULT_SEED:
        return dataset_file(DATASET, FILE_NAME)
    return variant_csv(DATASET, seed, build)


def main() -> None:
    """Rewrite the bundled default file from the generator."""
    path = datasets_root() / DATASET / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    build(DEFAULT_SEED).to_csv(path, index=False, encoding="utf-8")
    print(path)


if __name__ == "__main__":
    main()
