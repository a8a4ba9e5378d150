"""The models under test of the evaluation lab, trained on real data with a fixed random state.

``credit_case(seed)`` splits the real credit-scoring table (``datasets/credit_scoring``) into
train / validation / test sets (60 / 20 / 20, stratified) and fits a logistic-regression
pipeline that imputes the real missing values; ``mpg_case(seed)`` drops the cars without ``mpg``
from ``datasets/auto_mpg``, splits 80 / 20 and fits a linear regression. The seed only moves the
split, so every seed is a fair variant of the same test; the checks rebuild the same case from
the same seed and grade against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from trainerlab.paths import dataset_file
from trainerlab.variants import DEFAULT_SEED

#: The credit target: ``bad`` (a defaulter) is the positive class.
TARGET = "status"
POSITIVE = "bad"
NEGATIVE = "good"
LABELS = [NEGATIVE, POSITIVE]  # the order of confusion-matrix rows and columns in the lab
CREDIT_CATEGORICAL = ["home", "marital", "records", "job"]
CREDIT_NUMERIC = ["seniority", "time", "age", "expenses", "income", "assets", "debt", "amount",
                  "price"]

MPG_TARGET = "mpg"
MPG_NUMERIC = ["cylinders", "displacement", "horsepower", "weight", "acceleration", "model_year"]
MPG_CATEGORICAL = ["origin"]


@dataclass(frozen=True)
class CreditCase:
    """The credit classifier under test and the three sets it was built from."""

    model: Pipeline
    X_train: pd.DataFrame
    y_train: pd.Series
    X_val: pd.DataFrame
    y_val: pd.Series
    X_test: pd.DataFrame
    y_test: pd.Series

    def bad_score(self, X: pd.DataFrame) -> np.ndarray:
        """The model's probability of the positive class ``bad`` for each row of ``X``."""
        column = list(self.model.classes_).index(POSITIVE)
        return self.model.predict_proba(X)[:, column]


@dataclass(frozen=True)
class MpgCase:
    """The fuel-economy regressor under test and its train / test sets."""

    model: Pipeline
    X_train: pd.DataFrame
    y_train: pd.Series
    X_test: pd.DataFrame
    y_test: pd.Series


def load_credit() -> pd.DataFrame:
    """The real credit-scoring table, missing values kept."""
    return pd.read_csv(dataset_file("credit_scoring", "credit_data.csv"))


def load_mpg() -> pd.DataFrame:
    """The auto-mpg table without the cars whose ``mpg`` is unknown."""
    df = pd.read_csv(dataset_file("auto_mpg", "auto_mpg.csv"))
    return df.dropna(subset=[MPG_TARGET]).reset_index(drop=True)


def _credit_model() -> Pipeline:
    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    categorical = make_pipeline(SimpleImputer(strategy="most_frequent"),
                                OneHotEncoder(handle_unknown="ignore"))
    prepare = make_column_transformer((numeric, CREDIT_NUMERIC), (categorical, CREDIT_CATEGORICAL))
    return make_pipeline(prepare, LogisticRegression(max_iter=1000))


def _mpg_model() -> Pipeline:
    numeric = SimpleImputer(strategy="median")
    categorical = OneHotEncoder(handle_unknown="ignore")
    prepare = make_column_transformer((numeric, MPG_NUMERIC), (categorical, MPG_CATEGORICAL))
    return make_pipeline(prepare, LinearRegression())


def credit_case(seed: int = DEFAULT_SEED) -> CreditCase:
    """Split the credit data 60/20/20 (stratified, ``random_state=seed``) and fit the classifier."""
    df = load_credit()
    X, y = df.drop(columns=TARGET), df[TARGET]
    X_train, X_rest, y_train, y_rest = train_test_split(
        X, y, test_size=0.4, stratify=y, random_state=seed)
    X_val, X_test, y_val, y_test = train_test_split(
        X_rest, y_rest, test_size=0.5, stratify=y_rest, random_state=seed)
    model = _credit_model().fit(X_train, y_train)
    return CreditCase(model, X_train, y_train, X_val, y_val, X_test, y_test)


def mpg_case(seed: int = DEFAULT_SEED) -> MpgCase:
    """Split the cars with a known ``mpg`` 80/20 (``random_state=seed``) and fit the regressor."""
    df = load_mpg()
    X, y = df[MPG_NUMERIC + MPG_CATEGORICAL], df[MPG_TARGET]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=seed)
    model = _mpg_model().fit(X_train, y_train)
    return MpgCase(model, X_train, y_train, X_test, y_test)


@lru_cache(maxsize=4)
def cached_credit_case(seed: int = DEFAULT_SEED) -> CreditCase:
    """Cached :func:`credit_case` for checks (never hand this shared object to a learner)."""
    return credit_case(seed)


@lru_cache(maxsize=4)
def cached_mpg_case(seed: int = DEFAULT_SEED) -> MpgCase:
    """Cached :func:`mpg_case` for checks (never hand this shared object to a learner)."""
    return mpg_case(seed)
