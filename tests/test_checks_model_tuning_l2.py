"""The L2 model-tuning checks accept correct answers, reject each mistake on its own point, never crash.

Every answer here is built on the lab's split (``q.split()``) as the notebook builds it; a bad answer
changes one thing of a good one, so the point it must lose is named.
"""

from __future__ import annotations

import copy
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import (
    HalvingRandomSearchCV,
    RandomizedSearchCV,
    StratifiedKFold,
    cross_val_predict,
    cross_val_score,
    learning_curve,
    validation_curve,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler, TargetEncoder
from sklearn.tree import DecisionTreeClassifier

from graders import model_tuning_l2 as q
from graders.checking import CheckFailed, Task
from trainerlab.datagen import order_returns as orr
from trainerlab.grading import answerdata
from trainerlab.paths import dataset_file
from trainerlab.runtime import single_threaded
from trainerlab.variants import DEFAULT_SEED

ROOT = Path(__file__).resolve().parents[1]
SEED = q.SPLIT_SEED
FOLDS = StratifiedKFold(n_splits=3, shuffle=True, random_state=SEED)
SPACE = {"model__max_depth": [2, 3, 4, 5, 6, 8, 10, None],
         "model__min_samples_leaf": [1, 5, 10, 20, 40, 80], "model__max_features": [0.5, 0.75, 1.0]}


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    """Small data: one math-library thread is faster and deterministic."""
    with single_threaded():
        yield


def full(task: Task, answer: Any) -> None:
    """The answer earns every point of ``task`` and its self-check passes."""
    task.check(answer)
    assert task.grade(answer) == pytest.approx(task.points)


def loses(task: Task, answer: Any, point: str) -> str:
    """Grading withholds the criterion named ``point`` (by its English name), with a bilingual reason.

    One evaluation serves both ways of marking: the engine's own tests prove that ``check()`` fails
    exactly when ``grade()`` is below the task's points, and ``grade()`` prints these lines.
    """
    result = task.evaluate(answer)
    missed = [line for line in result.lines if line.startswith("✗")]
    assert any(point in line for line in missed), result.lines
    assert result.earned < task.points
    for line in missed:  # bilingual: Chinese, then English after " / "
        assert " / " in line and any("\u4e00" <= ch <= "\u9fff" for ch in line), line
    return "\n".join(result.lines)


@pytest.fixture(scope="module")
def train() -> tuple[pd.DataFrame, pd.Series]:
    part = q.split().train
    return part.X, pd.Series(part.y, index=part.X.index)


def prep(seller: bool) -> ColumnTransformer:
    parts = [("cat", OneHotEncoder(handle_unknown="ignore"), orr.CATEGORICAL),
             ("num", StandardScaler(), orr.NUMERIC)]
    if seller:
        parts.insert(0, ("seller", TargetEncoder(cv=FOLDS), ["seller_id"]))
    return ColumnTransformer(parts)


def logistic(seller: bool = False) -> Pipeline:
    return Pipeline([("prep", prep(seller)), ("model", LogisticRegression(solver="newton-cholesky"))])


def tree() -> Pipeline:
    return Pipeline([("prep", ColumnTransformer([("cat", OrdinalEncoder(), orr.CATEGORICAL),
                                                 ("num", "passthrough", orr.NUMERIC)])),
                     ("model", DecisionTreeClassifier(random_state=SEED))])


# --- The data ------------------------------------------------------------------------------------

def test_committed_file_is_the_generators_output_byte_for_byte() -> None:
    committed = dataset_file("order_returns", "order_returns.csv").read_bytes()
    assert orr.build(DEFAULT_SEED).to_csv(index=False).encode("utf-8") == committed


def test_variants_are_reproducible_and_differ_by_seed() -> None:
    pd.testing.assert_frame_equal(orr.build(5), orr.build(5))
    assert not orr.build(5).equals(orr.build(6))


@pytest.mark.parametrize("seed", [DEFAULT_SEED, 11])
def test_the_data_decide_the_lab_on_every_variant(seed: int) -> None:
    """On other seeds too, the leak is large and the logistic curve has met (a gap well below the rule)."""
    train = q._split_of(seed).train
    X, y = train.X, train.y
    honest = cross_val_score(logistic(seller=True), X, y, cv=FOLDS, scoring="roc_auc").mean()
    encoded = logistic(seller=True)[:-1].fit(X, y).transform(X)
    leaky = cross_val_score(LogisticRegression(solver="newton-cholesky"), encoded, y, cv=FOLDS,
                            scoring="roc_auc").mean()
    assert leaky - honest > 0.1
    _, tr, va = learning_curve(logistic(), X, y, train_sizes=[1.0], cv=FOLDS, scoring="roc_auc")
    assert tr.mean() - va.mean() < 0.8 * q.GAP_RULE
    assert 0.2 < y.mean() < 0.32


def test_lab_registry() -> None:
    lab = q.LAB
    assert lab.assignment == "model_tuning_l2" and lab.level == "L2"
    assert all(t.unit == "2.2" and t.level == "L2" for t in lab.tasks)
    assert sum(t.points for t in lab.tasks if isinstance(t, Task)) >= 30


# --- Task 1: leakage -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def leak(train: tuple) -> dict[str, Any]:
    X, y = train
    pipeline = logistic(seller=True)
    honest = cross_val_score(pipeline, X, y, cv=FOLDS, scoring="roc_auc")
    encoded = pipeline[:-1].fit(X, y).transform(X)
    leaky = cross_val_score(pipeline[-1], encoded, y, cv=FOLDS, scoring="roc_auc")
    return {"pipeline": pipeline, "folds": FOLDS, "honest_scores": honest, "leaky_scores": leaky}


def test_leakage_accepts_the_route_of_the_statement_and_rounded_lists(leak: dict) -> None:
    full(q.leakage, leak)
    full(q.leakage, {**leak, "honest_scores": [round(s, 3) for s in leak["honest_scores"]],
                     "leaky_scores": tuple(np.round(leak["leaky_scores"], 2))})


def test_leakage_refuses_a_pipeline_without_the_encoder(leak: dict) -> None:
    loses(q.leakage, {**leak, "pipeline": logistic()}, "target encoding")


def test_leakage_refuses_cross_fitted_leaky_scores(leak: dict, train: tuple) -> None:
    X, y = train
    encoded = clone(leak["pipeline"])[:-1].fit_transform(X, y)
    cross_fitted = cross_val_score(LogisticRegression(solver="newton-cholesky"), encoded, y, cv=FOLDS,
                                   scoring="roc_auc")
    text = loses(q.leakage, {**leak, "leaky_scores": cross_fitted}, "leaky_scores come")
    assert "fit_transform" in text
    assert f"{leak['leaky_scores'].mean():.3f}" not in text  # never the expected value


def test_leakage_refuses_honest_scores_of_another_metric(leak: dict, train: tuple) -> None:
    X, y = train
    accuracy = cross_val_score(leak["pipeline"], X, y, cv=FOLDS)
    loses(q.leakage, {**leak, "honest_scores": accuracy}, "honest_scores are")


def test_leakage_refuses_a_comparison_that_hides_the_leak(leak: dict) -> None:
    loses(q.leakage, {**leak, "leaky_scores": leak["honest_scores"]}, "exposes the leak")


@pytest.mark.parametrize("answer", [None, {}, {"pipeline": None, "folds": 3, "honest_scores": [1],
                                               "leaky_scores": [1]}, "leak"])
def test_leakage_handles_missing_and_malformed_answers(answer: Any) -> None:
    with pytest.raises(CheckFailed):
        q.leakage.check(answer)
    assert q.leakage.grade(answer) == 0


# --- Task 2: searches ----------------------------------------------------------------------------

def timed(search: Any, X: pd.DataFrame, y: pd.Series) -> dict[str, Any]:
    start = time.perf_counter()
    search.fit(X, y)
    return {"best_score": search.best_score_, "seconds": time.perf_counter() - start,
            "n_fits": len(search.cv_results_["params"]) * search.n_splits_}


@pytest.fixture(scope="module")
def searched(train: tuple) -> tuple[Any, Any, dict[str, Any]]:
    X, y = train
    random_search = RandomizedSearchCV(tree(), SPACE, n_iter=6, cv=FOLDS, scoring="roc_auc",
                                       random_state=SEED)
    halving = HalvingRandomSearchCV(tree(), SPACE, n_candidates=4, min_resources="exhaust", cv=FOLDS,
                                    scoring="roc_auc", random_state=SEED)
    report = {"baseline_score": cross_val_score(tree(), X, y, cv=FOLDS, scoring="roc_auc").mean(),
              "random": timed(random_search, X, y), "halving": timed(halving, X, y)}
    return random_search, halving, report


def with_entry(report: dict, name: str, **changes: Any) -> dict:
    changed = copy.deepcopy(report)
    changed[name].update(changes)
    return changed


def test_search_accepts_the_two_searches(searched: tuple) -> None:
    full(q.search, searched)


def test_search_refuses_two_spaces(searched: tuple, train: tuple) -> None:
    random_search, _, report = searched
    X, y = train
    narrow = HalvingRandomSearchCV(tree(), {"model__max_depth": [2, 4, 6, 8]}, n_candidates=4,
                                   min_resources="exhaust", cv=FOLDS, scoring="roc_auc", random_state=SEED)
    narrow_report = {**report, "halving": timed(narrow, X, y)}
    loses(q.search, (random_search, narrow, narrow_report), "one space")


def test_search_counts_fits_not_candidates(searched: tuple) -> None:
    random_search, halving, report = searched
    wrong = with_entry(report, "random", n_fits=len(random_search.cv_results_["params"]))
    loses(q.search, (random_search, halving, wrong), "n_fits counted right")


def test_search_refuses_a_blown_budget(searched: tuple, train: tuple) -> None:
    _, halving, report = searched
    X, y = train
    big = RandomizedSearchCV(tree(), SPACE, n_iter=7, cv=FOLDS, scoring="roc_auc", random_state=SEED)
    text = loses(q.search, (big, halving, {**report, "random": timed(big, X, y)}), "within 18 fits")
    assert "21" in text  # the learner's own count is named, not an expected value


def test_search_refuses_the_test_score_as_best(searched: tuple) -> None:
    random_search, halving, report = searched
    split = q.split()
    test_score = random_search.score(split.test.X, split.test.y)
    loses(q.search, (random_search, halving, with_entry(report, "random", best_score=test_score)),
          "best CV score")


def test_search_refuses_the_seconds_of_one_fit(searched: tuple) -> None:
    random_search, halving, report = searched
    one_fit = float(random_search.cv_results_["mean_fit_time"][random_search.best_index_])
    loses(q.search, (random_search, halving, with_entry(report, "halving", seconds=one_fit / 10)),
          "seconds are reported")


def test_search_refuses_a_baseline_from_another_model(searched: tuple) -> None:
    random_search, halving, report = searched
    loses(q.search, (random_search, halving, {**report, "baseline_score": 0.5}), "untuned pipeline")


@pytest.mark.filterwarnings("ignore::UserWarning")  # 36 rows: some folds miss a category
def test_search_refuses_halving_that_ends_on_a_few_rows(searched: tuple, train: tuple) -> None:
    random_search, _, report = searched
    X, y = train
    smallest = HalvingRandomSearchCV(tree(), SPACE, n_candidates=4, cv=FOLDS, scoring="roc_auc",
                                     random_state=SEED)
    text = loses(q.search, (random_search, smallest, {**report, "halving": timed(smallest, X, y)}),
                 "last round")
    assert "exhaust" in text


# --- Task 3: curves ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def curve_answer(train: tuple) -> dict[str, Any]:
    X, y = train
    sizes, tr, va = learning_curve(logistic(), X, y, train_sizes=np.linspace(0.1, 1.0, 4), cv=FOLDS,
                                   scoring="roc_auc")
    learning = pd.DataFrame({"train_size": sizes, "train_score": tr.mean(1), "valid_score": va.mean(1)})
    values = [1, 5, 20, 40, 80, 160]
    tr, va = validation_curve(tree(), X, y, param_name="model__min_samples_leaf", param_range=values,
                              cv=FOLDS, scoring="roc_auc")
    validation = pd.DataFrame({"value": values, "train_score": tr.mean(1), "valid_score": va.mean(1)})
    return {"learning": learning, "learning_model": logistic(), "folds": FOLDS,
            "decision": "more capacity", "validation": validation, "validation_model": tree(),
            "param": "model__min_samples_leaf",
            "best_value": values[int(validation["valid_score"].idxmax())]}


def test_curves_accept_the_answer_and_spellings_of_the_decision(curve_answer: dict) -> None:
    full(q.curves, curve_answer)
    full(q.curves, {**curve_answer, "decision": " More_Capacity ",
                    "learning": curve_answer["learning"].iloc[::-1]})


def test_curves_refuse_the_wrong_decision(curve_answer: dict) -> None:
    loses(q.curves, {**curve_answer, "decision": "more data"}, "decision follows")


def test_curves_judge_the_decision_on_the_learners_own_curve(curve_answer: dict) -> None:
    """Error carried forward: a curve with a wide gap makes "more data" the right reading of it."""
    wide = curve_answer["learning"].assign(train_score=lambda t: t["valid_score"] + 0.2)
    answer = {**curve_answer, "learning": wide, "decision": "more data"}
    result = q.curves.evaluate(answer)
    lines = "\n".join(result.lines)
    assert "✓ 结论" in lines and "reproduced" in lines and result.earned == q.curves.points - 1.5


def test_curves_refuse_invented_scores(curve_answer: dict) -> None:
    shifted = curve_answer["validation"].assign(valid_score=lambda t: t["valid_score"] - 0.05)
    loses(q.curves, {**curve_answer, "validation": shifted}, "validation curve is")


def test_curves_refuse_best_value_off_the_peak_or_at_an_end(curve_answer: dict) -> None:
    loses(q.curves, {**curve_answer, "best_value": 1}, "best_value")
    rising = curve_answer["validation"].assign(valid_score=lambda t: np.sort(t["valid_score"].to_numpy()))
    last = float(rising["value"].iloc[-1])
    text = loses(q.curves, {**curve_answer, "validation": rising, "best_value": last}, "best_value")
    assert "widen" in text


def test_curves_refuse_a_learning_curve_of_another_model(curve_answer: dict) -> None:
    loses(q.curves, {**curve_answer, "learning_model": tree()}, "logistic model")


# --- Task 4: early stopping ----------------------------------------------------------------------

def booster(**settings: Any) -> Pipeline:
    params = {"max_iter": 300, "early_stopping": True, "validation_fraction": 0.2, "n_iter_no_change": 5,
              "random_state": SEED, **settings}
    return Pipeline([("prep", ColumnTransformer([("cat", OrdinalEncoder(), orr.CATEGORICAL),
                                                 ("num", "passthrough", orr.NUMERIC)])),
                     ("model", HistGradientBoostingClassifier(**params))])


def early_report(model: Pipeline) -> dict[str, Any]:
    test = q.split().test
    return {"n_iter": model[-1].n_iter_, "max_iter": model[-1].max_iter,
            "test_auc": roc_auc_score(test.y, model.predict_proba(test.X)[:, 1])}


@pytest.fixture(scope="module")
def stopped(train: tuple) -> Pipeline:
    return booster().fit(*train)


def test_early_stopping_accepts_the_model(stopped: Pipeline) -> None:
    report = early_report(stopped)
    full(q.early_stopping, (stopped, report))
    full(q.early_stopping, (stopped, {"n_iter": int(report["n_iter"]), "max_iter": 300.0,
                                      "test_auc": round(report["test_auc"], 2)}))


def test_early_stopping_names_the_auto_default(train: tuple) -> None:
    model = booster(early_stopping="auto", max_iter=20).fit(*train)
    text = loses(q.early_stopping, (model, early_report(model)), "stops before the cap")
    assert "10 000" in text


def test_early_stopping_refuses_the_cap_as_rounds_and_the_training_auc(
    stopped: Pipeline, train: tuple
) -> None:
    report = early_report(stopped)
    loses(q.early_stopping, (stopped, {**report, "n_iter": report["max_iter"]}), "rounds used")
    X, y = train
    train_auc = roc_auc_score(y, stopped.predict_proba(X)[:, 1])
    loses(q.early_stopping, (stopped, {**report, "test_auc": train_auc}), "test ROC-AUC")


def test_early_stopping_refuses_a_model_fitted_on_every_row() -> None:
    split = q.split()
    model = booster().fit(pd.concat([split.train.X, split.test.X]),
                          np.concatenate([split.train.y, split.test.y]))
    loses(q.early_stopping, (model, early_report(model)), "training rows only")


# --- Task 5: threshold ---------------------------------------------------------------------------

def order_cost(y_true: Any, proba: Any, threshold: float) -> float:
    y_true, flagged = np.asarray(y_true), np.asarray(proba) >= threshold
    return (5 * np.sum((y_true == 1) & ~flagged) + np.sum((y_true == 0) & flagged)) / len(y_true)


def best_threshold(y_true: Any, proba: Any) -> float:
    candidates = np.unique(proba)
    return float(candidates[int(np.argmin([order_cost(y_true, proba, t) for t in candidates]))])


@pytest.fixture(scope="module")
def costed(train: tuple) -> dict[str, Any]:
    X, y = train
    oof = cross_val_predict(logistic(), X, y, cv=FOLDS, method="predict_proba")[:, 1]
    model = logistic().fit(X, y)
    proba = model.predict_proba(q.split().test.X)[:, 1]
    chosen = best_threshold(y, oof)
    test_y = q.split().test.y
    return {"model": model, "folds": FOLDS, "oof_proba": oof, "threshold": chosen,
            "test_cost": order_cost(test_y, proba, chosen), "default_cost": order_cost(test_y, proba, 0.5)}


def test_threshold_accepts_the_answer(costed: dict) -> None:
    full(q.threshold, (order_cost, best_threshold, costed))


def test_threshold_refuses_swapped_costs_and_a_strict_comparison(costed: dict) -> None:
    def swapped(y_true: Any, proba: Any, threshold: float) -> float:
        y_true, flagged = np.asarray(y_true), np.asarray(proba) >= threshold
        return (np.sum((y_true == 1) & ~flagged) + 5 * np.sum((y_true == 0) & flagged)) / len(y_true)

    def strict(y_true: Any, proba: Any, threshold: float) -> float:
        return order_cost(y_true, np.asarray(proba) - 1e-12, threshold)

    loses(q.threshold, (swapped, best_threshold, costed), "mean cost per order")
    loses(q.threshold, (strict, best_threshold, costed), "mean cost per order")


def test_threshold_refuses_a_threshold_chosen_for_accuracy(costed: dict) -> None:
    def accurate(y_true: Any, proba: Any) -> float:
        candidates = np.unique(proba)
        hits = [np.mean((np.asarray(proba) >= t) == np.asarray(y_true)) for t in candidates]
        return float(candidates[int(np.argmax(hits))])

    loses(q.threshold, (order_cost, accurate, costed), "lowest cost")


def test_threshold_refuses_in_sample_probabilities(costed: dict, train: tuple) -> None:
    X, y = train
    inside = costed["model"].predict_proba(X)[:, 1]
    answer = {**costed, "oof_proba": inside, "threshold": best_threshold(y, inside)}
    loses(q.threshold, (order_cost, best_threshold, answer), "out-of-fold predictions on")


def test_threshold_refuses_a_threshold_tuned_on_the_test_set(costed: dict) -> None:
    test = q.split().test
    proba = costed["model"].predict_proba(test.X)[:, 1]
    on_test = best_threshold(test.y, proba)
    answer = {**costed, "threshold": on_test, "test_cost": order_cost(test.y, proba, on_test)}
    loses(q.threshold, (order_cost, best_threshold, answer), "never the test set")


def test_threshold_refuses_misreported_costs(costed: dict) -> None:
    answer = {**costed, "test_cost": costed["test_cost"] * len(q.split().test.y)}  # a total, not a mean
    loses(q.threshold, (order_cost, best_threshold, answer), "test costs")


def test_threshold_refuses_values_that_are_not_functions(costed: dict) -> None:
    assert q.threshold.grade((1.0, "best", costed)) == 0


def test_threshold_names_the_error_of_a_crashing_function(costed: dict) -> None:
    def broken(y_true: Any, proba: Any, threshold: float) -> float:
        raise ZeroDivisionError("no orders")

    text = loses(q.threshold, (broken, best_threshold, costed), "mean cost per order")
    assert "ZeroDivisionError" in text


# --- Crossing to the class grader ----------------------------------------------------------------

def test_answers_cross_as_data_and_grade_full_in_a_fresh_grader(
    leak: dict, searched: tuple, curve_answer: dict, stopped: Pipeline, tmp_path: Path
) -> None:
    """The fitted objects cross in the data-only format (skops, trusted types) and the re-check, in a
    process that imported nothing but the grader, gives every point (it needs no import of the notebook's)."""
    answers = {"leakage": leak, "search": searched, "curves": curve_answer,
               "early_stopping": (stopped, early_report(stopped))}
    for name, answer in answers.items():
        (tmp_path / f"{name}.answer").write_bytes(answerdata.dumps(((answer,), {}), {}))
    code = ("import sys, pathlib\nfrom trainerlab.grading import integrity\n"
            "from graders import model_tuning_l2 as q\n"
            "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.answer')):\n"
            "    v = integrity.verify(getattr(q, path.stem), path.read_bytes(), cwd=None)\n"
            "    print(path.stem, v.score, v.reason)\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    scores = {line.split()[0]: line.split()[1] for line in out.splitlines()}
    assert scores == {name: str(getattr(q, name).points) for name in answers}, out
