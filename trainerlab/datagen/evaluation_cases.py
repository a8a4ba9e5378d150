"""The models under test of the evaluation lab, trained on real data with a fixed random state.

``credit_case(seed)`` splits the real credit-scoring table (``datasets/credit_scoring``) into
train / validation / test sets (60 / 20 / 20, stratified) and fits a logistic-regression
pipeline that imputes the real missing values; ``mpg_case(seed)`` drops the cars without ``mpg``
from ``datasets/auto_mpg``, splits 80 / 20 and fits a linear regression. The seed only moves the
split, so every seed is a fair variant of the same test; the checks rebuild the same case from
the same seed and grade against it.

The validation / test split is drawn so that the test set tells a right error analysis from the
usual wrong ones (:func:`tells_slices_apart`): ranking slices by their error *count* and skipping
the minimum slice size must both pick another slice than the right method does. The default
seed's first split already does; a variant whose first split does not takes the next one.
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
from trainerlab.variants import DEFAULT_SEED, random_state

#: The credit target: ``bad`` (a defaulter) is the positive class.
TARGET = "status"
POSITIVE = "bad"
NEGATIVE = "good"
LABELS = [NEGATIVE, POSITIVE]  # the order of confusion-matrix rows and columns in the lab
CREDIT_CATEGORICAL = ["home", "marital", "records", "job"]
CREDIT_NUMERIC = ["seniority", "time", "age", "expenses", "income", "assets", "debt", "amount",
                  "price"]

#: The slices of the error analysis (Task 9): one value of one of these columns.
SLICE_COLUMNS = ["home", "marital", "records", "job", "income_missing", "age_group"]
AGE_BINS = [17, 25, 35, 45, 55, 70]
AGE_LABELS = ["18-25", "26-35", "36-45", "46-55", "56-70"]
MIN_SLICE_ROWS = 30  # slices smaller than this are too noisy to call the worst
SPLIT_ATTEMPTS = 50  # validation / test splits tried for a test set that tells slices apart

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


def slice_frame(X: pd.DataFrame) -> pd.DataFrame:
    """The slicing columns of the lab: the categories, ``income_missing`` and ``age_group``."""
    frame = X[["home", "marital", "records", "job"]].copy()
    frame["income_missing"] = X["income"].isna()
    frame["age_group"] = pd.cut(X["age"], bins=AGE_BINS, labels=AGE_LABELS).astype(str)
    return frame


def slice_table(X: pd.DataFrame, y_true: object, y_pred: object) -> pd.DataFrame:
    """Size, error rate and defaulter share of every slice (column = value) of ``X``."""
    frame = slice_frame(X).reset_index(drop=True)
    error = pd.Series(np.asarray(y_true).astype(str) != np.asarray(y_pred).astype(str))
    bad = pd.Series(np.asarray(y_true).astype(str) == POSITIVE)
    rows = []
    for column in SLICE_COLUMNS:
        keys = frame[column]
        stats = pd.DataFrame({"size": error.groupby(keys).size(),
                              "error_rate": error.groupby(keys).mean(),
                              "bad_rate": bad.groupby(keys).mean()})
        rows += [{"column": column, "value": value, **row} for value, row in stats.iterrows()]
    return pd.DataFrame(rows)


def tells_slices_apart(X: pd.DataFrame, y_true: object, y_pred: object) -> bool:
    """Whether counting errors, or skipping the size filter, picks another slice than the right way."""
    table = slice_table(X, y_true, y_pred)
    big = table[table["size"] >= MIN_SLICE_ROWS]
    worst = big["error_rate"].max()
    by_count = big.loc[(big["size"] * big["error_rate"]).idxmax(), "error_rate"]
    small_worst = table.loc[table["size"] < MIN_SLICE_ROWS, "error_rate"].max()
    return bool(by_count < worst - 1e-9 and small_worst > worst + 1e-9)


def credit_case(seed: int = DEFAULT_SEED) -> CreditCase:
    """Split the credit data 60/20/20 (stratified, ``random_state=seed``) and fit the classifier.

    The validation / test split takes ``random_state=seed``, else ``seed + 1``, … until the test
    set :func:`tells_slices_apart` (the training rows and the model never change with it).
    """
    df = load_credit()
    X, y = df.drop(columns=TARGET), df[TARGET]
    X_train, X_rest, y_train, y_rest = train_test_split(
        X, y, test_size=0.4, stratify=y, random_state=random_state(seed))
    model = _credit_model().fit(X_train, y_train)
    predicted = pd.Series(model.predict(X_rest), index=X_rest.index)
    for attempt in range(SPLIT_ATTEMPTS):
        X_val, X_test, y_val, y_test = train_test_split(
            X_rest, y_rest, test_size=0.5, stratify=y_rest, random_state=random_state(seed + attempt))
        if tells_slices_apart(X_test, y_test, predicted.loc[X_test.index]):
            break
    return CreditCase(model, X_train, y_train, X_val, y_val, X_test, y_test)


def mpg_case(seed: int = DEFAULT_SEED) -> MpgCase:
    """Split the cars with a known ``mpg`` 80/20 (``random_state=seed``) and fit the regressor."""
    df = load_mpg()
    X, y = df[MPG_NUMERIC + MPG_CATEGORICAL], df[MPG_TARGET]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=random_state(seed))
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
