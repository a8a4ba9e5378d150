"""The model-tuning checks accept every correct approach, reject wrong ones and never crash."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline as ImbPipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import clone
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor, make_column_transformer
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    ShuffleSplit,
    StratifiedKFold,
    StratifiedShuffleSplit,
    cross_val_score,
    cross_validate,
    train_test_split,
    validation_curve,
)
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from graders import model_tuning as q
from graders.checking import CheckFailed, Task
from trainerlab.datagen import credit_variants as cv
from trainerlab.runtime import single_threaded

NUMERIC = ["seniority", "time", "age", "expenses", "income", "assets", "debt", "amount", "price"]
CATEGORICAL = ["home", "marital", "records", "job"]
RMSE = "neg_root_mean_squared_error"


def full(task: Task, answer: Any) -> bool:
    """The answer earns every point of ``task`` (and passes its self-check)."""
    task.check(answer)
    return task.grade(answer) == pytest.approx(task.points)


def partial(task: Task, answer: Any) -> float:
    """Points of an answer that loses some points; the self-check says so (it never says "passed")."""
    with pytest.raises(CheckFailed):
        task.check(answer)
    points = task.grade(answer)
    assert 0 < points < task.points
    return points


def rejected(task: Task, answer: Any, *, zero: bool = False) -> None:
    """The self-check fails and grading withholds points (all of them when ``zero``)."""
    with pytest.raises(CheckFailed):
        task.check(answer)
    points = task.grade(answer)
    assert points == 0 if zero else points < task.points


def preprocessor(scale: bool = True, ordinal: bool = False) -> ColumnTransformer:
    numeric = [SimpleImputer(strategy="median")] + ([StandardScaler()] if scale else [])
    encoder = (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1) if ordinal
               else OneHotEncoder(handle_unknown="ignore"))
    return make_column_transformer(
        (make_pipeline(*numeric), NUMERIC),
        (make_pipeline(SimpleImputer(strategy="most_frequent"), encoder), CATEGORICAL))


def logistic(**extra: Any) -> Pipeline:
    return Pipeline([("prep", preprocessor()),
                     ("model", LogisticRegression(C=0.5, max_iter=1000, **extra))])


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread() -> Iterator[None]:
    """Small matrices: two BLAS threads spin on a busy 2-core machine and cost ten times the CPU."""
    with single_threaded():
        yield


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    credit = pd.read_csv(q.data_path())
    X = credit.drop(columns="status")
    y = (credit["status"] == "bad").astype(int)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42,
                                                        stratify=y)
    return {"X": X, "y": y, "X_train": X_train, "X_test": X_test, "y_train": y_train,
            "y_test": y_test}


@pytest.fixture(scope="module")
def small(data: dict) -> dict[str, Any]:
    """A stratified 1500-row sample split 80/20: the later checks work on any rows, and fast."""
    X, _, y, _ = train_test_split(data["X"], data["y"], train_size=1500, random_state=0,
                                  stratify=data["y"])
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0,
                                                        stratify=y)
    return {"X": X, "y": y, "X_train": X_train, "X_test": X_test, "y_train": y_train,
            "y_test": y_test}


def parts(d: dict[str, Any]) -> tuple[Any, ...]:
    return d["X_train"], d["X_test"], d["y_train"], d["y_test"]


def test_lab_registry() -> None:
    lab = q.LAB
    assert lab.assignment == "model_tuning" and lab.notebook == "model_tuning_l3.ipynb"
    assert len({t.grade_id for t in lab.tasks}) == len(lab.tasks) >= 6
    assert all(t.unit == "2.2" and t.level == "L3" for t in lab.tasks)
    assert lab.points == 40


# --- Task 1: split ---------------------------------------------------------------------------

def test_split_accepts_train_test_split_and_stratified_shuffle_split(data: dict) -> None:
    assert full(q.split, (*parts(data), 42))
    X, y = data["X"], data["y"]
    train, test = next(StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=7).split(X, y))
    answer = (X.iloc[train], X.iloc[test], y.iloc[train], y.iloc[test], np.int64(7))
    assert full(q.split, answer)


def test_split_stratified_on_the_label_strings_scores_full(data: dict) -> None:
    credit = pd.read_csv(q.data_path())
    split = train_test_split(data["X"], data["y"], test_size=0.2, random_state=42,
                             stratify=credit["status"])
    assert full(q.split, (*split, 42))


def test_split_without_stratification_loses_points(data: dict) -> None:
    X, y = data["X"], data["y"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    points = partial(q.split, (X_train, X_test, y_train, y_test, 0))
    assert points <= q.split.points - 0.75  # not reproducible with stratify=y


def test_split_with_a_wrong_seed_is_not_reproducible(data: dict) -> None:
    assert partial(q.split, (*parts(data), 43)) == pytest.approx(q.split.points - 0.75)


@pytest.mark.parametrize("fault", ["good_is_1", "status_in_X", "dropped_rows", "30_percent",
                                   "overlap", "reset_index"])
def test_split_rejects_wrong_splits(data: dict, fault: str) -> None:
    X, y = data["X"], data["y"]
    credit = pd.read_csv(q.data_path())
    test_size = 0.2
    if fault == "good_is_1":
        y = 1 - y
    elif fault == "status_in_X":
        X = credit
    elif fault == "dropped_rows":
        keep = X.notna().all(axis=1)
        X, y = X[keep], y[keep]
    elif fault == "30_percent":
        test_size = 0.3
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size,
                                                        random_state=1, stratify=y)
    if fault == "overlap":
        X_train, y_train = pd.concat([X_train, X_test.iloc[:5]]), pd.concat([y_train, y_test.iloc[:5]])
    if fault == "reset_index":
        X_test, y_test = X_test.reset_index(drop=True), y_test.reset_index(drop=True)
    rejected(q.split, (X_train, X_test, y_train, y_test, 1))


@pytest.mark.parametrize("answer", [None, (None,) * 5, (1, 2, 3), "X_train", 42])
def test_split_handles_missing_and_malformed_answers(answer: Any) -> None:
    rejected(q.split, answer, zero=True)


def test_split_numpy_targets_are_refused_clearly(data: dict) -> None:
    X_train, X_test, y_train, y_test = parts(data)
    rejected(q.split, (X_train, X_test, y_train.to_numpy(), y_test.to_numpy(), 42), zero=True)


def test_a_per_student_variant_is_graded_against_its_own_rows(
    data: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAINERLAB_SEED", "5")
    path = q.data_path()
    variant = pd.read_csv(path)
    assert path != cv.credit_file() and len(variant) < len(data["X"])
    assert abs((variant["status"] == "bad").mean() - data["y"].mean()) < 0.005
    X, y = variant.drop(columns="status"), (variant["status"] == "bad").astype(int)
    split = train_test_split(X, y, test_size=0.2, random_state=3, stratify=y)
    assert full(q.split, (*split, 3))
    # the default variant's split does not fit this student's rows
    assert q.split.grade((*parts(data), 42)) < q.split.points


# --- Task 2: baseline ----------------------------------------------------------------------------

@pytest.mark.parametrize("strategy", ["most_frequent", "prior"])
def test_baseline_majority_guess_scores_full(small: dict, strategy: str) -> None:
    dummy = DummyClassifier(strategy=strategy).fit(small["X_train"], small["y_train"])
    accuracy = dummy.score(small["X_test"], small["y_test"])
    assert full(q.baseline, (dummy, accuracy, *parts(small)))
    assert full(q.baseline, (dummy, round(accuracy, 3), *parts(small)))
    assert full(q.baseline, (dummy, round(accuracy, 2), *parts(small)))  # no precision was asked


def test_baseline_scored_on_the_training_rows_loses_points(data: dict) -> None:
    # stratified parts share the majority rate to 3 decimals: only the exact value tells them apart
    dummy = DummyClassifier(strategy="most_frequent").fit(data["X_train"], data["y_train"])
    on_train = dummy.score(data["X_train"], data["y_train"])
    assert abs(on_train - dummy.score(data["X_test"], data["y_test"])) < 1e-3
    assert partial(q.baseline, (dummy, on_train, *parts(data))) == 1.25


def test_baseline_partly_right(small: dict) -> None:
    dummy = DummyClassifier(strategy="most_frequent").fit(small["X_train"], small["y_train"])
    error_rate = 1 - dummy.score(small["X_test"], small["y_test"])
    assert partial(q.baseline, (dummy, error_rate, *parts(small))) == 0.5
    stratified = DummyClassifier(strategy="uniform", random_state=0).fit(small["X_train"],
                                                                        small["y_train"])
    accuracy = stratified.score(small["X_test"], small["y_test"])
    assert partial(q.baseline, (stratified, accuracy, *parts(small))) == 1.25


def test_baseline_rejects_wrong_and_missing(small: dict) -> None:
    model = logistic().fit(small["X_train"], small["y_train"])
    rejected(q.baseline, (model, 0.8, *parts(small)))
    rejected(q.baseline, (DummyClassifier(), 0.7, *parts(small)))
    dummy = DummyClassifier(strategy="most_frequent").fit(small["X_train"], small["y_train"])
    rejected(q.baseline, (dummy, dummy.score(small["X_test"], small["y_test"]) * 100, *parts(small)))
    rejected(q.baseline, (None,) * 6, zero=True)
    rejected(q.baseline, (DummyClassifier(), "high", *parts(small)), zero=True)
    rejected(q.baseline, None, zero=True)


# --- Task 3: hand-set models ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def models(small: dict) -> dict[str, Any]:
    X_train, y_train = small["X_train"], small["y_train"]
    built = {
        "logistic": logistic(),
        "tree": Pipeline([("prep", preprocessor(scale=False)),
                          ("model", DecisionTreeClassifier(max_depth=5, random_state=0))]),
        "forest": Pipeline([("prep", preprocessor(scale=False)),
                            ("model", RandomForestClassifier(n_estimators=30, max_depth=8,
                                                             random_state=0))]),
    }
    return {name: model.fit(X_train, y_train) for name, model in built.items()}


def test_hand_models_reference_and_another_design_score_full(small: dict, models: dict) -> None:
    assert full(q.hand_models, (models, *parts(small)))
    other = {  # different encoders, imputers, step names and hyperparameters
        "logistic": make_pipeline(preprocessor(), LogisticRegression(C=2.0, max_iter=2000)),
        "tree": make_pipeline(preprocessor(scale=False, ordinal=True),
                              DecisionTreeClassifier(min_samples_leaf=40, random_state=1)),
        "forest": make_pipeline(preprocessor(scale=False, ordinal=True),
                                RandomForestClassifier(n_estimators=20, max_features=0.5,
                                                       min_samples_leaf=3, random_state=1)),
    }
    for model in other.values():
        model.fit(small["X_train"], small["y_train"])
    assert full(q.hand_models, (other, *parts(small)))


def test_hand_models_unlimited_tree_and_defaults_lose_points(small: dict, models: dict) -> None:
    loose = Pipeline([("prep", preprocessor(scale=False)),
                      ("model", DecisionTreeClassifier(random_state=0))])
    answer = dict(models, tree=loose.fit(small["X_train"], small["y_train"]))
    assert partial(q.hand_models, (answer, *parts(small))) <= 3


def test_hand_models_fitted_on_all_rows_lose_points(small: dict, models: dict) -> None:
    everything = {"logistic": logistic().fit(small["X"], small["y"]),
                  "tree": models["tree"], "forest": models["forest"]}
    assert partial(q.hand_models, (everything, *parts(small))) == pytest.approx(3.5)


@pytest.mark.parametrize("seeded", [True, False])
def test_hand_models_forest_fitted_on_all_rows_loses_points(small: dict, models: dict,
                                                            seeded: bool) -> None:
    # no scaler records the rows: the forest's trees do (their bootstrap draws add up to them)
    forest = Pipeline([("prep", preprocessor(scale=False)),
                       ("model", RandomForestClassifier(n_estimators=30, max_depth=8,
                                                        random_state=0 if seeded else None))])
    everything = dict(models, forest=forest.fit(small["X"], small["y"]))
    assert partial(q.hand_models, (everything, *parts(small))) == pytest.approx(3.5)


def test_hand_models_fitted_on_all_rows_are_found_by_a_refit(small: dict, models: dict) -> None:
    # a forest without bootstrap nor anything recording a row count: a refit on all rows matches
    forest = Pipeline([("prep", preprocessor(scale=False)),
                       ("model", RandomForestClassifier(n_estimators=10, max_depth=6,
                                                        bootstrap=False, max_features=0.5,
                                                        class_weight="balanced",
                                                        random_state=0))])
    on_train = dict(models, forest=clone(forest).fit(small["X_train"], small["y_train"]))
    assert full(q.hand_models, (on_train, *parts(small)))
    on_all = dict(models, forest=clone(forest).fit(small["X"], small["y"]))
    assert partial(q.hand_models, (on_all, *parts(small))) == pytest.approx(3.5)


def test_hand_models_max_iter_alone_is_not_tuning(small: dict, models: dict) -> None:
    untuned = make_pipeline(preprocessor(), LogisticRegression(max_iter=1000))
    answer = dict(models, logistic=untuned.fit(small["X_train"], small["y_train"]))
    assert partial(q.hand_models, (answer, *parts(small))) == 3


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_hand_models_rejects_wrong_answers(small: dict, models: dict) -> None:
    rejected(q.hand_models, ({"logistic": models["logistic"], "tree": models["tree"]}, *parts(small)))
    swapped = dict(models, tree=models["forest"], forest=models["tree"])
    rejected(q.hand_models, (swapped, *parts(small)))
    unfitted = dict(models, logistic=logistic())
    rejected(q.hand_models, (unfitted, *parts(small)))
    bare = LogisticRegression().fit(small["X_train"][NUMERIC].fillna(0), small["y_train"])
    rejected(q.hand_models, (dict(models, logistic=bare), *parts(small)))
    rejected(q.hand_models, (None, *parts(small)), zero=True)
    rejected(q.hand_models, (models, None, None, None, None), zero=True)
    rejected(q.hand_models, ["models"], zero=True)


# --- Task 4: complexity curve ----------------------------------------------------------------------

DEPTHS = [1, 2, 4, 6, 10, 15]


def tree_pipeline() -> Pipeline:
    return Pipeline([("prep", preprocessor(scale=False)),
                     ("model", DecisionTreeClassifier(random_state=0))])


@pytest.fixture(scope="module")
def curve(small: dict) -> pd.DataFrame:
    train, valid = validation_curve(tree_pipeline(), small["X_train"], small["y_train"],
                                    param_name="model__max_depth", param_range=DEPTHS, cv=3)
    return pd.DataFrame({"max_depth": DEPTHS, "train_score": train.mean(axis=1),
                         "valid_score": valid.mean(axis=1)})


def on_curve(small: dict, frame: Any, folds: Any = 3, pipeline: Any = None) -> tuple[Any, ...]:
    """Task 4's answer: the curve, the pipeline and folds it came from, the training rows."""
    return (frame, tree_pipeline() if pipeline is None else pipeline, folds,
            small["X_train"], small["y_train"])


def test_curve_from_validation_curve_scores_full(small: dict, curve: pd.DataFrame) -> None:
    assert full(q.depth_curve, on_curve(small, curve))
    shuffled = curve.sample(frac=1, random_state=0).assign(note="any extra column")
    assert full(q.depth_curve, on_curve(small, shuffled))
    assert full(q.depth_curve, on_curve(small, curve.round(2)))  # no precision was asked


def test_curve_scored_on_the_test_set_loses_points(small: dict) -> None:
    rows = []
    for depth in DEPTHS:
        tree = tree_pipeline().set_params(model__max_depth=depth).fit(small["X_train"],
                                                                       small["y_train"])
        rows.append({"max_depth": depth,
                     "train_score": tree.score(small["X_train"], small["y_train"]),
                     "valid_score": tree.score(small["X_test"], small["y_test"])})
    assert partial(q.depth_curve, on_curve(small, pd.DataFrame(rows))) == 2


def test_curve_cross_validated_on_all_rows_loses_points(small: dict) -> None:
    train, valid = validation_curve(tree_pipeline(), small["X"], small["y"],
                                    param_name="model__max_depth", param_range=DEPTHS, cv=3)
    everything = pd.DataFrame({"max_depth": DEPTHS, "train_score": train.mean(axis=1),
                               "valid_score": valid.mean(axis=1)})
    assert partial(q.depth_curve, on_curve(small, everything)) == 2


def test_curve_from_a_manual_loop_with_auc_scores_full(small: dict) -> None:
    rows = []
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    for depth in [1, 3, 5, 8, 12]:
        tree = make_pipeline(preprocessor(scale=False, ordinal=True),
                             DecisionTreeClassifier(max_depth=depth, random_state=0))
        result = cross_validate(tree, small["X_train"], small["y_train"], cv=folds,
                                scoring="roc_auc", return_train_score=True)
        rows.append({"max_depth": depth, "train_score": result["train_score"].mean(),
                     "valid_score": result["test_score"].mean()})
    assert full(q.depth_curve, on_curve(small, pd.DataFrame(rows), folds, tree))


def test_curve_without_a_validation_score_loses_points(small: dict, curve: pd.DataFrame) -> None:
    training_twice = curve.assign(valid_score=curve["train_score"])
    assert partial(q.depth_curve, on_curve(small, training_twice)) == 0.5


def test_curve_rejects_wrong_shapes(small: dict, curve: pd.DataFrame) -> None:
    narrow = curve.assign(max_depth=[3, 4, 5, 6, 7, 8])
    rejected(q.depth_curve, on_curve(small, narrow))
    rejected(q.depth_curve, on_curve(small, curve.assign(train_score=curve["train_score"] * 100)))
    rejected(q.depth_curve, on_curve(small, curve, folds=5))
    rejected(q.depth_curve, on_curve(small, curve, pipeline=logistic()))
    rejected(q.depth_curve, on_curve(small, curve.iloc[:4]), zero=True)
    rejected(q.depth_curve, on_curve(small, curve.drop(columns="valid_score")), zero=True)
    with_none = curve.astype({"max_depth": object}).assign(max_depth=[None, *DEPTHS[1:]])
    rejected(q.depth_curve, on_curve(small, with_none), zero=True)
    rejected(q.depth_curve, on_curve(small, pd.concat([curve, curve.iloc[[0]]])), zero=True)
    rejected(q.depth_curve, on_curve(small, None), zero=True)
    rejected(q.depth_curve, on_curve(small, {"max_depth": DEPTHS}), zero=True)
    rejected(q.depth_curve, curve, zero=True)


# --- Task 5: cross-validation ------------------------------------------------------------------

def cv_report(pipeline: Any, folds: Any, scoring: Any, X: pd.DataFrame, y: pd.Series,
              ddof: int = 0) -> dict[str, Any]:
    scores = cross_val_score(pipeline, X, y, cv=folds, scoring=scoring)
    return {"pipeline": pipeline, "folds": folds, "scoring": scoring, "scores": scores,
            "mean": scores.mean(), "std": scores.std(ddof=ddof)}


def test_cv_reference_and_alternatives_score_full(small: dict) -> None:
    X, y = small["X_train"], small["y_train"]
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)
    assert full(q.cross_validation, (cv_report(logistic(), folds, "accuracy", X, y), X, y))
    tree = make_pipeline(preprocessor(scale=False, ordinal=True),
                         DecisionTreeClassifier(max_depth=4, random_state=0))
    report = cv_report(tree, 4, "roc_auc", X, y, ddof=1)
    report["scores"] = list(report["scores"])
    assert full(q.cross_validation, (report, X, y))
    unseeded = StratifiedKFold(n_splits=3, shuffle=True)  # a re-run differs a little, within tolerance
    assert full(q.cross_validation, (cv_report(logistic(), unseeded, None, X, y), X, y))
    rounded = cv_report(logistic(), folds, "accuracy", X, y)
    rounded = dict(rounded, scores=rounded["scores"].round(2), mean=round(rounded["mean"], 2),
                   std=round(rounded["std"], 2))
    assert full(q.cross_validation, (rounded, X, y))  # no precision was asked


@pytest.mark.parametrize("rows", ["all", "test"])
def test_cv_on_other_rows_than_the_training_set_loses_points(small: dict, rows: str) -> None:
    X, y = (small["X"], small["y"]) if rows == "all" else (small["X_test"], small["y_test"])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)
    report = cv_report(logistic(), folds, "accuracy", X, y)
    assert partial(q.cross_validation, (report, small["X_train"], small["y_train"])) == 2


def test_cv_preprocessed_outside_the_folds_loses_points(small: dict) -> None:
    X, y = small["X_train"], small["y_train"]
    leaked = preprocessor().fit_transform(X)  # fitted on every training row before CV
    model = LogisticRegression(C=0.5, max_iter=1000)
    scores = cross_val_score(model, leaked, y, cv=5)
    report = {"pipeline": model, "folds": 5, "scoring": "accuracy", "scores": scores,
              "mean": scores.mean(), "std": scores.std()}
    assert partial(q.cross_validation, (report, X, y)) == 1


def test_cv_misreported_numbers(small: dict) -> None:
    X, y = small["X_train"], small["y_train"]
    report = cv_report(logistic(), 3, "accuracy", X, y)
    rejected(q.cross_validation, (dict(report, mean=report["scores"].sum()), X, y))
    rejected(q.cross_validation, (dict(report, std=report["scores"].std() + 0.02), X, y))
    rejected(q.cross_validation, (dict(report, std=report["scores"].var()), X, y))
    other_folds = dict(report, folds=5)
    assert partial(q.cross_validation, (other_folds, X, y)) == 2
    made_up = dict(report, scores=report["scores"] - 0.1, mean=report["mean"] - 0.1)
    assert partial(q.cross_validation, (made_up, X, y)) == 2


def test_cv_handles_missing_and_malformed(small: dict) -> None:
    X, y = small["X_train"], small["y_train"]
    report = cv_report(logistic(), 3, "accuracy", X, y)
    rejected(q.cross_validation, (None, X, y), zero=True)
    rejected(q.cross_validation, ({k: v for k, v in report.items() if k != "std"}, X, y), zero=True)
    rejected(q.cross_validation, (dict(report, scores=[0.8, 0.7]), X, y))
    rejected(q.cross_validation, (dict(report, scores="high"), X, y))
    rejected(q.cross_validation, (dict(report, scores=-report["scores"], mean=-report["mean"]), X, y))
    rejected(q.cross_validation, (report, None, y), zero=True)


# --- Task 6: grid search ---------------------------------------------------------------------

def fitted_grid(small: dict, pipeline: Any, grid: dict, **options: Any) -> tuple[Any, dict]:
    search = GridSearchCV(pipeline, grid, cv=3, **options).fit(small["X_train"], small["y_train"])
    report = {"best_params": search.best_params_, "cv_score": search.best_score_,
              "test_score": search.score(small["X_test"], small["y_test"])}
    return search, report


@pytest.fixture(scope="module")
def tree_grid(small: dict) -> tuple[Any, dict]:
    tree = Pipeline([("prep", preprocessor(scale=False)),
                     ("model", DecisionTreeClassifier(random_state=0))])
    return fitted_grid(small, tree, {"model__max_depth": [3, 5], "model__min_samples_leaf": [1, 20]})


def test_grid_reference_and_another_search_score_full(small: dict, tree_grid: tuple) -> None:
    assert full(q.grid_search, (*tree_grid, *parts(small)))
    search, report = fitted_grid(
        small, logistic(), [{"model__C": [0.1, 1.0], "model__class_weight": [None, "balanced"]}],
        scoring="roc_auc")
    report["best_params"] = dict(report["best_params"])
    assert full(q.grid_search, (search, report, *parts(small)))


def test_grid_misreported_results_lose_points(small: dict, tree_grid: tuple) -> None:
    search, report = tree_grid
    on_train = search.score(small["X_train"], small["y_train"])
    assert partial(q.grid_search, (search, dict(report, test_score=on_train), *parts(small))) == 3
    worst = dict(report, best_params=search.cv_results_["params"][int(np.argmax(
        search.cv_results_["rank_test_score"]))])
    assert partial(q.grid_search, (search, worst, *parts(small))) == 3


def test_grid_searched_on_all_rows_loses_points(small: dict) -> None:
    forest = Pipeline([("prep", preprocessor(scale=False)),
                       ("model", RandomForestClassifier(n_estimators=10, random_state=0))])
    search = GridSearchCV(forest, {"model__max_depth": [4, 8], "model__min_samples_leaf": [1, 10]},
                          cv=3).fit(small["X"], small["y"])
    report = {"best_params": search.best_params_, "cv_score": search.best_score_,
              "test_score": search.score(small["X_test"], small["y_test"])}
    assert partial(q.grid_search, (search, report, *parts(small))) == 3


def test_grid_test_score_reported_as_the_cv_score_loses_points(data: dict) -> None:
    tree = Pipeline([("prep", preprocessor(scale=False)),
                     ("model", DecisionTreeClassifier(random_state=0))])
    search, report = fitted_grid(data, tree, {"model__max_depth": [3, 6],
                                              "model__min_samples_leaf": [1, 20]})
    assert abs(report["test_score"] - report["cv_score"]) < 0.02  # close, but not the same number
    swapped = dict(report, cv_score=report["test_score"])
    assert partial(q.grid_search, (search, swapped, *parts(data))) == 3
    rounded = {k: round(float(v), 2) if k != "best_params" else v for k, v in report.items()}
    assert full(q.grid_search, (search, rounded, *parts(data)))


def test_grid_rejects_small_grids_and_unfitted_searches(small: dict) -> None:
    tree = Pipeline([("prep", preprocessor(scale=False)),
                     ("model", DecisionTreeClassifier(random_state=0))])
    search, report = fitted_grid(small, tree, {"model__max_depth": [2, 3, 4, 5]})
    rejected(q.grid_search, (search, report, *parts(small)))
    unfitted = GridSearchCV(tree, {"model__max_depth": [2, 3], "model__min_samples_leaf": [1, 5]})
    rejected(q.grid_search, (unfitted, report, *parts(small)), zero=True)
    rejected(q.grid_search, (None, None, *parts(small)), zero=True)
    rejected(q.grid_search, ("grid", report, *parts(small)), zero=True)


# --- Task 7: imbalance -----------------------------------------------------------------------

def imbalance_answer(small: dict, make: Any, sampler: Any) -> dict[str, Any]:
    X_train, X_test, y_train, y_test = parts(small)
    models = {
        "plain": Pipeline([("prep", preprocessor()), ("model", make())]),
        "weighted": Pipeline([("prep", preprocessor()), ("model", make(class_weight="balanced"))]),
        "resampled": ImbPipeline([("prep", preprocessor()), ("sampler", sampler),
                                  ("model", make())]),
    }
    recall = {}
    for name, model in models.items():
        predicted = model.fit(X_train, y_train).predict(X_test)
        recall[name] = float(((predicted == 1) & (y_test == 1)).sum() / (y_test == 1).sum())
    return {"minority_share": float(y_train.mean()), **models, "recall": recall}


@pytest.fixture(scope="module")
def imbalanced(small: dict) -> dict[str, Any]:
    return imbalance_answer(small, lambda **kw: LogisticRegression(C=0.5, max_iter=1000, **kw),
                            SMOTE(random_state=0))


def test_imbalance_reference_and_a_tree_with_undersampling_score_full(
    small: dict, imbalanced: dict
) -> None:
    assert full(q.imbalance, (imbalanced, *parts(small)))
    tree = imbalance_answer(small, lambda **kw: DecisionTreeClassifier(max_depth=5, random_state=0,
                                                                      **kw),
                            RandomUnderSampler(random_state=0))
    tree["minority_share"] = round(float(small["y"].mean()), 3)
    tree["recall"] = {k: round(v, 2) for k, v in tree["recall"].items()}  # no precision was asked
    assert full(q.imbalance, (tree, *parts(small)))


def test_imbalance_fixes_with_other_hyperparameters_lose_points(small: dict, imbalanced: dict) -> None:
    other_c = Pipeline([("prep", preprocessor()),
                        ("model", LogisticRegression(C=1.0, max_iter=1000, class_weight="balanced"))])
    other_c.fit(small["X_train"], small["y_train"])
    answer = dict(imbalanced, weighted=other_c,
                  recall=dict(imbalanced["recall"], weighted=float(
                      (other_c.predict(small["X_test"])[small["y_test"] == 1] == 1).mean())))
    assert partial(q.imbalance, (answer, *parts(small))) == 4


def test_imbalance_models_fitted_on_all_rows_lose_points(small: dict, imbalanced: dict) -> None:
    everything = logistic(class_weight="balanced").fit(small["X"], small["y"])
    answer = dict(imbalanced, weighted=everything,
                  recall=dict(imbalanced["recall"], weighted=float(
                      (everything.predict(small["X_test"])[small["y_test"] == 1] == 1).mean())))
    assert partial(q.imbalance, (answer, *parts(small))) == 4


def test_imbalance_recall_on_the_training_rows_loses_points(small: dict, imbalanced: dict) -> None:
    on_train = {k: float((imbalanced[k].predict(small["X_train"])[small["y_train"] == 1] == 1).mean())
                for k in ("plain", "weighted", "resampled")}
    assert partial(q.imbalance, (dict(imbalanced, recall=on_train), *parts(small))) == 4


def test_imbalance_partly_right(small: dict, imbalanced: dict) -> None:
    no_sampler = dict(imbalanced, resampled=imbalanced["plain"],
                      recall=dict(imbalanced["recall"], resampled=imbalanced["recall"]["plain"]))
    assert partial(q.imbalance, (no_sampler, *parts(small))) == 3
    on_train = dict(imbalanced, recall={k: v - 0.05 for k, v in imbalanced["recall"].items()})
    assert partial(q.imbalance, (on_train, *parts(small))) == 4
    mixed_kinds = dict(imbalanced, weighted=Pipeline([
        ("prep", preprocessor()),
        ("model", DecisionTreeClassifier(max_depth=4, class_weight="balanced"))]).fit(
            small["X_train"], small["y_train"]))
    assert partial(q.imbalance, (mixed_kinds, *parts(small))) <= 3


def test_imbalance_rejects_wrong_and_malformed(small: dict, imbalanced: dict) -> None:
    rejected(q.imbalance, (dict(imbalanced, minority_share=28.2), *parts(small)))
    rejected(q.imbalance, (dict(imbalanced, minority_share=0.72), *parts(small)))
    unfitted = dict(imbalanced, weighted=logistic(class_weight="balanced"))
    rejected(q.imbalance, (unfitted, *parts(small)), zero=True)
    no_recall = {k: v for k, v in imbalanced.items() if k != "recall"}
    rejected(q.imbalance, (no_recall, *parts(small)), zero=True)
    rejected(q.imbalance, (dict(imbalanced, recall={"plain": 0.5}), *parts(small)), zero=True)
    rejected(q.imbalance, (None, *parts(small)), zero=True)
    rejected(q.imbalance, (imbalanced, None, None), zero=True)
    rejected(q.imbalance, (imbalanced, None, None, None, None), zero=True)


# --- Task 8: saved model ---------------------------------------------------------------------

def _unchanged(X: Any) -> Any:
    """A learner's own function: skops cannot know whether it is safe to load."""
    return X


def test_saved_model_in_skops_scores_full(small: dict, imbalanced: dict, tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    for name in ("weighted", "resampled"):  # sklearn and imblearn pipelines
        path = out / f"{name}.skops"
        sio.dump(imbalanced[name], path)
        assert full(q.saved_model, (path, imbalanced[name], small["X_test"], small["y_test"]))
        assert full(q.saved_model, (str(path), imbalanced[name], small["X_test"], small["y_test"]))


def test_saved_model_partly_right(small: dict, imbalanced: dict, tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    X_test, y_test = small["X_test"], small["y_test"]
    other = out / "other.skops"
    sio.dump(imbalanced["plain"], other)
    assert partial(q.saved_model, (other, imbalanced["weighted"], X_test, y_test)) == 2
    pickled = out / "pickled.skops"
    pickled.write_bytes(pickle.dumps(imbalanced["weighted"]))
    assert partial(q.saved_model, (pickled, imbalanced["weighted"], X_test, y_test)) == 1
    custom = make_pipeline(FunctionTransformer(_unchanged), logistic(class_weight="balanced"))
    custom.fit(small["X_train"], small["y_train"])
    foreign = out / "foreign.skops"
    sio.dump(custom, foreign)
    assert partial(q.saved_model, (foreign, custom, X_test, y_test)) == 1
    useless = DummyClassifier().fit(small["X_train"], small["y_train"])
    dummy_path = out / "dummy.skops"
    sio.dump(useless, dummy_path)
    assert partial(q.saved_model, (dummy_path, useless, X_test, y_test)) == 2.5


def test_saved_model_rejects_wrong_places_and_missing(small: dict, imbalanced: dict,
                                                     tmp_path: Path) -> None:
    X_test, y_test, model = small["X_test"], small["y_test"], imbalanced["weighted"]
    outside = tmp_path / "model.skops"
    sio.dump(model, outside)
    rejected(q.saved_model, (outside, model, X_test, y_test))
    (tmp_path / "output").mkdir()
    rejected(q.saved_model, (tmp_path / "output" / "missing.skops", model, X_test, y_test))
    joblib_name = tmp_path / "output" / "model.pkl"
    joblib_name.write_bytes(pickle.dumps(model))
    rejected(q.saved_model, (joblib_name, model, X_test, y_test))
    rejected(q.saved_model, (None, None, X_test, y_test), zero=True)
    rejected(q.saved_model, (3.14, model, X_test, y_test), zero=True)
    rejected(q.saved_model, None, zero=True)


# --- Task 9: regression ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def auto() -> dict[str, Any]:
    table = q.auto_mpg()
    known = table.dropna(subset=["mpg"])
    return {"X": known.drop(columns=["mpg", "name"]), "y": known["mpg"]}


def regression_answer(auto: dict, model: Any, folds: Any) -> dict[str, Any]:
    numeric = ["cylinders", "displacement", "horsepower", "weight", "acceleration", "model_year"]
    prep = make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        (OneHotEncoder(handle_unknown="ignore"), ["origin"]))
    pipeline = make_pipeline(prep, model)
    rmse = -cross_val_score(pipeline, auto["X"], auto["y"], cv=folds, scoring=RMSE)
    baseline = -cross_val_score(DummyRegressor(), auto["X"], auto["y"],
                                cv=folds, scoring=RMSE)
    return {"X": auto["X"], "y": auto["y"], "pipeline": pipeline, "folds": folds,
            "rmse_mean": rmse.mean(), "baseline_rmse": baseline.mean()}


@pytest.fixture(scope="module")
def ridge(auto: dict) -> dict[str, Any]:
    return regression_answer(auto, Ridge(alpha=1.0), KFold(n_splits=5, shuffle=True, random_state=0))


def test_regression_reference_and_a_forest_score_full(auto: dict, ridge: dict) -> None:
    assert full(q.regression, ridge)
    forest = RandomForestRegressor(n_estimators=10, random_state=0)
    assert full(q.regression, regression_answer(auto, forest, ShuffleSplit(n_splits=4, random_state=1)))
    unseeded = dict(ridge, folds=KFold(n_splits=5, shuffle=True))  # re-run differs a little
    assert full(q.regression, unseeded)
    log_target = TransformedTargetRegressor(ridge["pipeline"], func=np.log, inverse_func=np.exp)
    rmse = -cross_val_score(log_target, auto["X"], auto["y"], cv=ridge["folds"], scoring=RMSE)
    assert full(q.regression, dict(ridge, pipeline=log_target, rmse_mean=rmse.mean()))


def test_an_unseeded_answer_gets_the_same_mark_every_time(auto: dict) -> None:
    # unseeded folds: the learner's numbers and every re-run of the check are different draws, and
    # grading must not turn that chance into lost points (before, it often did)
    from sklearn.linear_model import Ridge

    marks = [q.regression.grade(regression_answer(auto, Ridge(), KFold(n_splits=5, shuffle=True)))
             for _ in range(8)]
    assert marks == [q.regression.points] * 8


def test_regression_median_baseline_loses_points(auto: dict, ridge: dict) -> None:
    median = -cross_val_score(DummyRegressor(strategy="median"), auto["X"], auto["y"],
                              cv=ridge["folds"], scoring=RMSE)
    assert partial(q.regression, dict(ridge, baseline_rmse=median.mean())) == 3
    assert full(q.regression, dict(ridge, rmse_mean=round(ridge["rmse_mean"], 2),
                                   baseline_rmse=round(ridge["baseline_rmse"], 2)))


def test_regression_unshuffled_folds_lose_points(auto: dict) -> None:
    assert partial(q.regression, regression_answer(auto, Ridge(), 5)) == 3
    assert partial(q.regression, regression_answer(auto, Ridge(), KFold(5))) == 3


def test_regression_misreported_or_weak_models_lose_points(auto: dict, ridge: dict) -> None:
    assert partial(q.regression, dict(ridge, baseline_rmse=float(auto["y"].std()) * 2)) == 3
    weak = regression_answer(auto, DummyRegressor(), ridge["folds"])
    assert partial(q.regression, weak) == 3


def test_regression_rejects_wrong_data_and_signs(auto: dict, ridge: dict) -> None:
    rejected(q.regression, dict(ridge, rmse_mean=-ridge["rmse_mean"]))
    rejected(q.regression, dict(ridge, y=auto["y"].reset_index(drop=True),
                                X=auto["X"].reset_index(drop=True)))
    table = q.auto_mpg()
    rejected(q.regression, dict(ridge, X=table.drop(columns="name"), y=table["mpg"]))
    with_target = auto["X"].assign(mpg=auto["y"])
    rejected(q.regression, dict(ridge, X=with_target))
    rejected(q.regression, dict(ridge, y=auto["y"].to_numpy()), zero=True)
    rejected(q.regression, {k: v for k, v in ridge.items() if k != "folds"}, zero=True)
    rejected(q.regression, dict.fromkeys(ridge), zero=True)
    rejected(q.regression, None, zero=True)


# --- Error carried forward ----------------------------------------------------------------------

def test_later_tasks_are_graded_on_the_learners_own_split(data: dict) -> None:
    # a split that dropped the rows with gaps costs points in task 1 only
    keep = data["X"].notna().all(axis=1)
    X, y = data["X"][keep], data["y"][keep]
    split = train_test_split(X, y, test_size=0.2, random_state=1, stratify=y)
    assert q.split.grade((*split, 1)) < q.split.points
    dummy = DummyClassifier(strategy="most_frequent").fit(split[0], split[2])
    assert full(q.baseline, (dummy, dummy.score(split[1], split[3]), *split))


def test_a_target_coded_backwards_sends_later_tasks_back_to_task_1(
    data: dict, capsys: pytest.CaptureFixture
) -> None:
    X_train, X_test, y_train, y_test = parts(data)
    dummy = DummyClassifier(strategy="most_frequent").fit(X_train, 1 - y_train)
    answer = (dummy, dummy.score(X_test, 1 - y_test), X_train, X_test, 1 - y_train, 1 - y_test)
    assert q.baseline.grade(answer) == 0
    assert "Task 1" in capsys.readouterr().out


# --- Every task: never crashes, student version fails -------------------------------------------

ODD = [None, ..., 0, "answer", [], {}, pd.DataFrame(), (None, None)]


@pytest.mark.parametrize("task", [t for t in q.LAB.tasks if isinstance(t, Task)],
                         ids=lambda t: t.grade_id)
def test_no_task_crashes_or_passes_on_odd_input(task: Task) -> None:
    for answer in ODD:
        rejected(task, answer, zero=True)


def test_check_then_grade_re_runs_the_learners_cross_validation_once(
        small: dict, curve: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    # a test cell calls check() then grade() on the same answer: the second re-uses the first re-run
    # (a changed answer is a new computation; an unseeded one still gets fresh further re-runs)
    calls = []
    real = q.validation_curve

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs["param_range"])
        return real(*args, **kwargs)

    monkeypatch.setattr(q, "validation_curve", counting)
    assert full(q.depth_curve, on_curve(small, curve))
    assert len(calls) == 1
    assert full(q.depth_curve, on_curve(small, curve.round(3)))
    assert len(calls) == 1  # the same rows, pipeline and depths: nothing new to compute
