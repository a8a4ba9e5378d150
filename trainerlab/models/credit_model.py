"""The credit-risk pipeline the deployment lab exports, serves and scores batches with.

A deliberately small scikit-learn pipeline on the nine numeric columns of the real credit table
(``datasets/credit_scoring``): median imputation (income, assets and debt have real gaps),
standardisation and logistic regression. Numeric-only features keep the ONNX export to one
``float`` input. :func:`train_credit_model` is deterministic, so the lab and its checks hold the
same model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from trainerlab.paths import dataset_file
from trainerlab.runtime import single_threaded

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

FEATURES = ["seniority", "time", "age", "expenses", "income", "assets", "debt", "amount", "price"]
TARGET = "status"
POSITIVE = "bad"
SPLIT_SEED = 20261123


@dataclass(frozen=True)
class CreditSplit:
    """The real credit table cut into a training part, a validation part and a pool of new rows."""

    train: pd.DataFrame
    valid: pd.DataFrame
    pool: pd.DataFrame


@cache
def credit_split() -> CreditSplit:
    """70 % train, 15 % valid, 15 % pool (rows never seen in training), stratified by status."""
    from sklearn.model_selection import train_test_split

    data = pd.read_csv(dataset_file("credit_scoring", "credit_data.csv"))
    train, rest = train_test_split(data, test_size=0.3, stratify=data[TARGET],
                                   random_state=SPLIT_SEED)
    valid, pool = train_test_split(rest, test_size=0.5, stratify=rest[TARGET],
                                   random_state=SPLIT_SEED)
    return CreditSplit(train.reset_index(drop=True), valid.reset_index(drop=True),
                       pool.reset_index(drop=True))


@cache
def train_credit_model() -> Pipeline:
    """Fit the pipeline on the training part (about 0.1 s; one BLAS thread for determinism)."""
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    train = credit_split().train
    pipeline = Pipeline([
        ("impute", SimpleImputer(strategy="median")),
        ("scale", StandardScaler()),
        ("classify", LogisticRegression(max_iter=1000)),
    ])
    with single_threaded():
        pipeline.fit(train[FEATURES], train[TARGET])
    return pipeline


def prob_bad(model: Pipeline, features: pd.DataFrame) -> np.ndarray:
    """Probability of ``bad`` for each row of ``features`` (the nine ``FEATURES`` columns)."""
    column = list(model.classes_).index(POSITIVE)
    return model.predict_proba(features[FEATURES])[:, column]
