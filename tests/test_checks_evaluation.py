"""Unit tests of the evaluation lab's checks: correct answers of several kinds earn full points,
partly correct ones partial points, wrong ones lose the right points, odd input never crashes."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import (
    accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    mean_absolute_error,
    mean_squared_error,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)

from graders import evaluation as q
from graders.checking import CheckFailed, Task, WrittenTask

matplotlib.use("Agg")
import matplotlib.pyplot as plt


@pytest.fixture(scope="module")
def case():
    return q.credit()


@pytest.fixture(scope="module")
def preds(case):
    """A correct solution of task 1, as numpy arrays."""
    y_pred = case.model.predict(case.X_test)
    y_score = case.model.predict_proba(case.X_test)[:, list(case.model.classes_).index("bad")]
    return y_pred, y_score


@pytest.fixture(scope="module")
def cars():
    return q.mpg()


def _full(task: Task, answer) -> bool:
    return task.grade(answer) == pytest.approx(task.points)


def _not_attempted(task: Task, answer) -> None:
    with pytest.raises(CheckFailed):
        task.check(answer)
    assert task.grade(answer) == 0


# --- Task 1 -------------------------------------------------------------------------------------

def test_predictions_accept_arrays_series_and_lists(case, preds):
    y_pred, y_score = preds
    assert _full(q.predictions, (y_pred, y_score))
    q.predictions.check((y_pred, y_score))
    as_series = (pd.Series(y_pred, index=case.X_test.index), pd.Series(y_score))
    assert _full(q.predictions, as_series)
    assert _full(q.predictions, (list(y_pred), list(y_score)))


def test_predictions_score_of_good_loses_its_point(preds, capsys):
    y_pred, y_score = preds
    assert q.predictions.grade((y_pred, 1 - y_score)) == pytest.approx(1.25)
    assert "model.classes_" in capsys.readouterr().out


def test_predictions_on_other_rows_or_labels_lose_points(preds):
    y_pred, y_score = preds
    shuffled = np.random.default_rng(0).permutation(len(y_pred))
    assert q.predictions.grade((y_pred[shuffled], y_score[shuffled])) == pytest.approx(0.5)
    always_good = np.full(len(y_pred), "good")
    assert q.predictions.grade((always_good, y_score)) == pytest.approx(1.25)


@pytest.mark.parametrize("answer", [None, (None, None), "bad", 3])
def test_predictions_not_attempted(answer):
    _not_attempted(q.predictions, answer)


def test_predictions_malformed_never_crash(case, preds):
    y_pred, _ = preds
    proba = case.model.predict_proba(case.X_test)
    for answer in [(y_pred, proba), (y_pred[:10], proba[:10, 0]), (y_pred, None),
                   (np.where(y_pred == "bad", 1, 0), proba[:, 0]), (y_pred, proba[:, 0] * 100)]:
        with pytest.raises(CheckFailed):
            q.predictions.check(answer)
        assert q.predictions.grade(answer) == 0


# --- Task 2 -------------------------------------------------------------------------------------

def test_confusion_accepts_array_and_labelled_frame(case, preds):
    y_pred, _ = preds
    cm = confusion_matrix(case.y_test, y_pred, labels=["good", "bad"])
    assert _full(q.confusion, (cm, case.y_test, y_pred))
    # a labelled table in another order is read by its labels
    frame = pd.crosstab(pd.Series(np.asarray(case.y_test)), pd.Series(y_pred)).loc[["bad", "good"],
                                                                                    ["bad", "good"]]
    assert _full(q.confusion, (frame, case.y_test, y_pred))
    # recomputed from the learner's own predictions, not from the reference ones
    own = np.where(y_pred == "bad", "good", y_pred)
    assert _full(q.confusion, (confusion_matrix(case.y_test, own, labels=["good", "bad"]),
                               case.y_test, own))


def test_confusion_orientation_errors_are_named(case, preds, capsys):
    y_pred, _ = preds
    cm = confusion_matrix(case.y_test, y_pred, labels=["good", "bad"])
    assert q.confusion.grade((cm.T, case.y_test, y_pred)) == pytest.approx(0.5)
    assert "transposed" in capsys.readouterr().out
    flipped = confusion_matrix(case.y_test, y_pred, labels=["bad", "good"])
    assert q.confusion.grade((flipped, case.y_test, y_pred)) == pytest.approx(0.5)
    assert "reversed" in capsys.readouterr().out


def test_confusion_shares_and_bad_shapes_fail(case, preds):
    y_pred, _ = preds
    cm = confusion_matrix(case.y_test, y_pred, labels=["good", "bad"])
    with pytest.raises(CheckFailed):
        q.confusion.check((cm / cm.sum(), case.y_test, y_pred))
    for bad in [cm.ravel(), np.ones((3, 3)), "matrix", {"tp": 1}]:
        assert q.confusion.grade((bad, case.y_test, y_pred)) == 0
    assert q.confusion.grade((cm, case.y_test, None)) == 0


def test_confusion_not_attempted(case):
    _not_attempted(q.confusion, (None, case.y_test, None))


# --- Task 3 -------------------------------------------------------------------------------------

def _metrics(y_true, y_pred, y_score) -> dict[str, float]:
    return {"accuracy": accuracy_score(y_true, y_pred),
            "precision": precision_score(y_true, y_pred, pos_label="bad"),
            "recall": recall_score(y_true, y_pred, pos_label="bad"),
            "f1": f1_score(y_true, y_pred, pos_label="bad"),
            "roc_auc": roc_auc_score(y_true == "bad", y_score)}


def test_metrics_sklearn_counts_and_rounded_all_pass(case, preds):
    y_pred, y_score = preds
    args = (case.y_test, y_pred, y_score)
    assert _full(q.classification_metrics, (_metrics(*args), *args))
    tn, fp, fn, tp = confusion_matrix(case.y_test, y_pred, labels=["good", "bad"]).ravel()
    by_hand = {"accuracy": (tp + tn) / (tn + fp + fn + tp), "precision": tp / (tp + fp),
               "recall": tp / (tp + fn), "f1": 2 * tp / (2 * tp + fp + fn),
               "roc_auc": roc_auc_score(case.y_test, 1 - y_score)}  # 'good' scored as positive: same AUC
    assert _full(q.classification_metrics, (by_hand, *args))
    rounded = {k: round(v, 2) for k, v in _metrics(*args).items()}
    assert _full(q.classification_metrics, (pd.Series(rounded), *args))


def test_metrics_of_the_wrong_class_or_from_labels_lose_points(case, preds, capsys):
    y_pred, y_score = preds
    args = (case.y_test, y_pred, y_score)
    good = dict(_metrics(*args))
    good.update(precision=precision_score(case.y_test, y_pred, pos_label="good"),
                recall=recall_score(case.y_test, y_pred, pos_label="good"),
                f1=f1_score(case.y_test, y_pred, pos_label="good"))
    assert q.classification_metrics.grade((good, *args)) == pytest.approx(2)
    assert "pos_label='bad'" in capsys.readouterr().out
    from_labels = dict(_metrics(*args), roc_auc=roc_auc_score(case.y_test == "bad", y_pred == "bad"))
    assert q.classification_metrics.grade((from_labels, *args)) == pytest.approx(2)


def test_metrics_malformed(case, preds):
    y_pred, y_score = preds
    args = (case.y_test, y_pred, y_score)
    percent = {k: 100 * v for k, v in _metrics(*args).items()}
    with pytest.raises(CheckFailed):
        q.classification_metrics.check((percent, *args))
    missing = {"precision": 0.7}
    assert q.classification_metrics.grade((missing, *args)) == 0
    assert q.classification_metrics.grade(({**_metrics(*args), "f1": "high"}, *args)) == 0
    _not_attempted(q.classification_metrics, (None, case.y_test, None, None))


# --- Task 4 -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def png(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("eval") / "roc.png"
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4))
    left.plot([0, 0.3, 1], [0, 0.8, 1])
    left.plot([0, 1], [0, 1], "--", color="grey")
    right.plot([0, 0.5, 1], [1, 0.7, 0.3])
    right.axhline(0.28, ls="--", color="grey")
    fig.savefig(path)
    plt.close(fig)
    return path


def test_roc_curve_from_sklearn_and_by_hand(case, preds, png):
    _, y_score = preds
    fpr, tpr, _ = roc_curve(case.y_test, y_score, pos_label="bad")
    assert _full(q.roc, (fpr, tpr, png, case.y_test, y_score))
    is_bad = np.asarray(case.y_test) == "bad"
    cuts = np.r_[np.inf, np.sort(np.unique(y_score))[::-1]]
    hand_tpr = [np.mean(y_score[is_bad] >= t) for t in cuts]
    hand_fpr = [np.mean(y_score[~is_bad] >= t) for t in cuts]
    assert _full(q.roc, (hand_fpr, hand_tpr, str(png), case.y_test, y_score))


def test_roc_wrong_class_and_missing_figure(case, preds, png, tmp_path):
    _, y_score = preds
    fpr, tpr, _ = roc_curve(case.y_test, y_score, pos_label="good")
    assert q.roc.grade((fpr, tpr, png, case.y_test, y_score)) == pytest.approx(1)
    fpr, tpr, _ = roc_curve(case.y_test, y_score, pos_label="bad")
    assert q.roc.grade((fpr, tpr, tmp_path / "none.png", case.y_test, y_score)) == pytest.approx(1.5)
    fake = tmp_path / "fake.png"
    fake.write_text("not an image" * 500)
    assert q.roc.grade((fpr, tpr, fake, case.y_test, y_score)) == pytest.approx(1.5)


def test_roc_malformed(case, preds, png):
    _, y_score = preds
    fpr, tpr, _ = roc_curve(case.y_test, y_score, pos_label="bad")
    with pytest.raises(CheckFailed):
        q.roc.check((fpr[::-1], tpr[::-1], png, case.y_test, y_score))
    assert q.roc.grade((fpr, tpr[:-1], png, case.y_test, y_score)) == 0
    _not_attempted(q.roc, (None, None, None, case.y_test, y_score))


# --- Task 5 -------------------------------------------------------------------------------------

def test_report_file_any_digits(case, preds, tmp_path):
    y_pred, _ = preds
    for digits in (2, 4):
        path = tmp_path / f"report{digits}.txt"
        path.write_text(classification_report(case.y_test, y_pred, digits=digits), encoding="utf-8")
        assert _full(q.report_file, (path, case.y_test, y_pred))
    path = tmp_path / "with_title.txt"
    path.write_text("信用模型测试报告 / test report\n\n"
                    + classification_report(case.y_test, y_pred), encoding="utf-8")
    assert _full(q.report_file, (str(path), case.y_test, y_pred))


def test_report_file_wrong_numbers_and_encoding(case, preds, tmp_path):
    y_pred, _ = preds
    other = np.where(np.arange(len(y_pred)) % 7 == 0, "bad", y_pred)
    path = tmp_path / "other.txt"
    path.write_text(classification_report(case.y_test, other), encoding="utf-8")
    assert q.report_file.grade((path, case.y_test, y_pred)) == pytest.approx(0.5)
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(("分类报告\n" + classification_report(case.y_test, y_pred)).encode("gbk"))
    assert q.report_file.grade((gbk, case.y_test, y_pred)) == 0
    no_rows = tmp_path / "empty.txt"
    no_rows.write_text("accuracy 0.8\n", encoding="utf-8")
    with pytest.raises(CheckFailed):
        q.report_file.check((no_rows, case.y_test, y_pred))
    assert q.report_file.grade((tmp_path / "missing.txt", case.y_test, y_pred)) == 0
    assert q.report_file.grade((tmp_path / "report.csv", case.y_test, y_pred)) == 0
    _not_attempted(q.report_file, (None, case.y_test, y_pred))


# --- Task 6 -------------------------------------------------------------------------------------

def test_regression_sklearn_and_numpy(cars):
    pred = cars.model.predict(cars.X_test)
    y = cars.y_test
    sk = {"mae": mean_absolute_error(y, pred), "rmse": np.sqrt(mean_squared_error(y, pred)),
          "r2": r2_score(y, pred)}
    assert _full(q.regression, (sk, y, pred))
    err = np.asarray(y) - pred
    by_hand = {"mae": np.abs(err).mean(), "rmse": np.sqrt((err ** 2).mean()),
               "r2": 1 - (err ** 2).sum() / ((y - y.mean()) ** 2).sum()}
    assert _full(q.regression, (by_hand, list(y), pd.Series(pred)))


def test_regression_common_mistakes(cars, capsys):
    pred = cars.model.predict(cars.X_test)
    y = cars.y_test
    good = {"mae": mean_absolute_error(y, pred), "rmse": np.sqrt(mean_squared_error(y, pred)),
            "r2": r2_score(y, pred)}
    mse = dict(good, rmse=mean_squared_error(y, pred))
    assert q.regression.grade((mse, y, pred)) == pytest.approx(2)
    assert "MSE" in capsys.readouterr().out
    swapped = dict(good, r2=r2_score(pred, y))
    assert q.regression.grade((swapped, y, pred)) == pytest.approx(2.5)
    shifted = pred + 1.0  # not the model's predictions; metrics consistent with them still count
    own = {"mae": mean_absolute_error(y, shifted), "rmse": np.sqrt(mean_squared_error(y, shifted)),
           "r2": r2_score(y, shifted)}
    assert q.regression.grade((own, y, shifted)) == pytest.approx(2.5)
    with pytest.raises(CheckFailed):
        q.regression.check((dict(good, rmse=good["mae"] / 2), y, pred))


def test_regression_malformed(cars):
    pred = cars.model.predict(cars.X_test)
    assert q.regression.grade(({"mae": 1}, cars.y_test, pred)) == 0
    assert q.regression.grade(({"mae": 1, "rmse": 2, "r2": 0.5}, cars.y_test, pred[:5])) == 0
    _not_attempted(q.regression, (None, cars.y_test, None))


# --- Task 7 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("choice", ["recall", " Recall ", "召回率", "sensitivity"])
def test_metric_choice_right(choice):
    assert _full(q.cost_metric, choice)


@pytest.mark.parametrize("choice", ["precision", "accuracy", "specificity"])
def test_metric_choice_wrong(choice):
    assert q.cost_metric.grade(choice) == 0


def test_metric_choice_malformed():
    for odd in ["auc", 5, ["recall"]]:
        with pytest.raises(CheckFailed):
            q.cost_metric.check(odd)
        assert q.cost_metric.grade(odd) == 0
    _not_attempted(q.cost_metric, None)


# --- Task 8 -------------------------------------------------------------------------------------

def _threshold_choice(case, threshold: float, *, strict: bool = False, test_score=None) -> dict:
    val_score = case.bad_score(case.X_val)
    test_score = case.bad_score(case.X_test) if test_score is None else test_score
    return {"threshold": threshold,
            "val_cost": q.expected_cost(case.y_val, val_score, threshold, strict=strict),
            "test_cost_default": q.expected_cost(case.y_test, test_score, 0.5, strict=strict),
            "test_cost_chosen": q.expected_cost(case.y_test, test_score, threshold, strict=strict)}


def _threshold_answer(case, threshold: float, *, strict: bool = False) -> tuple:
    """The test cell's answer: the learner's dict, y_test and Task 1's y_score."""
    return (_threshold_choice(case, threshold, strict=strict), case.y_test,
            case.bad_score(case.X_test))


def _grid_best(case) -> float:
    score = case.bad_score(case.X_val)
    grid = np.round(np.arange(0.01, 1, 0.01), 2)
    return float(grid[np.argmin([q.expected_cost(case.y_val, score, t) for t in grid])])


def test_threshold_grid_and_exact_search_both_pass(case):
    assert _full(q.cost_threshold, _threshold_answer(case, _grid_best(case)))
    score = case.bad_score(case.X_val)
    cuts = np.unique(score)
    exact = float(cuts[np.argmin([q.expected_cost(case.y_val, score, t) for t in cuts])])
    # an exact cut placed just below a score, with the '>' convention
    assert _full(q.cost_threshold, _threshold_answer(case, exact - 1e-9, strict=True))
    choice, y_test, y_score = _threshold_answer(case, exact)
    assert _full(q.cost_threshold, (pd.Series(choice), y_test, list(y_score)))


def test_threshold_invariants():
    case = q.credit()
    score = case.bad_score(case.X_val)
    grid_costs = [q.expected_cost(case.y_val, score, t) for t in np.arange(0.01, 1, 0.01)]
    assert q.grid_minimum_cost(case.y_val, score) == min(grid_costs)
    assert min(grid_costs) < q.expected_cost(case.y_val, score, 0.5)
    # everybody rejected: only false positives; nobody rejected: only false negatives
    is_bad = (case.y_val == "bad").to_numpy()
    assert q.expected_cost(case.y_val, score, 0.0) == q.COST_FP * (~is_bad).sum()
    assert q.expected_cost(case.y_val, score, 1.01) == q.COST_FN * is_bad.sum()


def test_threshold_partial_and_wrong(case):
    at_default = _threshold_answer(case, 0.5)
    with pytest.raises(CheckFailed):  # no search at all: not "passed"
        q.cost_threshold.check(at_default)
    # keeping 0.5 is no cheaper than 0.5: both threshold points lost
    assert q.cost_threshold.grade(at_default) == pytest.approx(1)
    too_high = _threshold_answer(case, 0.9)
    with pytest.raises(CheckFailed):
        q.cost_threshold.check(too_high)
    assert q.cost_threshold.grade(too_high) == pytest.approx(1)
    choice, y_test, y_score = _threshold_answer(case, _grid_best(case))
    wrong_costs = dict(choice, val_cost=0, test_cost_chosen=1)
    assert q.cost_threshold.grade((wrong_costs, y_test, y_score)) == pytest.approx(2)


def test_threshold_chosen_on_the_test_set_loses_the_search_points(case):
    """Old check: a threshold picked on the test set passed within its 2 % + 5 tolerance."""
    test_score = case.bad_score(case.X_test)
    grid = np.round(np.arange(0.01, 1, 0.01), 2)
    on_test = float(grid[np.argmin([q.expected_cost(case.y_test, test_score, t) for t in grid])])
    assert on_test != _grid_best(case)
    assert q.cost_threshold.grade(_threshold_answer(case, on_test)) == pytest.approx(1.5)
    # a runner-up of the validation grid is not the cheapest either
    score = case.bad_score(case.X_val)
    second = float(grid[np.argsort([q.expected_cost(case.y_val, score, t) for t in grid])[1]])
    assert q.cost_threshold.grade(_threshold_answer(case, second)) == pytest.approx(1.5)


def test_threshold_test_costs_judged_on_the_learners_own_scores(case):
    """Error carried forward: a Task 1 y_score of 'good' does not cost Task 8's test-cost point."""
    own_score = 1 - case.bad_score(case.X_test)
    best = _grid_best(case)
    answer = (_threshold_choice(case, best, test_score=own_score), case.y_test, own_score)
    assert _full(q.cost_threshold, answer)
    right = (_threshold_choice(case, best), case.y_test, own_score)
    assert q.cost_threshold.grade(right) == pytest.approx(2.5)
    broken = (_threshold_choice(case, best), case.y_test, np.zeros(3))
    result = q.cost_threshold.evaluate(broken)  # the validation points do not need Task 1
    assert result.earned == pytest.approx(2.5) and "Task 1" in " ".join(result.lines)


def test_threshold_malformed(case):
    for odd in [{"threshold": 0.2}, {"threshold": 1.5, "val_cost": 1, "test_cost_default": 1,
                                     "test_cost_chosen": 1}, 0.2, "0.2"]:
        with pytest.raises(CheckFailed):
            q.cost_threshold.check((odd, case.y_test, case.bad_score(case.X_test)))
        assert q.cost_threshold.grade((odd, case.y_test, case.bad_score(case.X_test))) == 0
    assert q.cost_threshold.grade(_threshold_choice(case, 0.2)) == 0  # not the test cell's tuple
    _not_attempted(q.cost_threshold, (None, case.y_test, None))


# --- Task 9 -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def slices(case, preds):
    y_pred, _ = preds
    table = q.slice_table(case.X_test, case.y_test, y_pred)
    return table[table["size"] >= q.MIN_SLICE_ROWS].sort_values("error_rate", ascending=False)


def _slice_answer(row, value=None) -> dict:
    return {"column": row["column"], "value": row["value"] if value is None else value,
            "size": int(row["size"]), "error_rate": float(row["error_rate"]),
            "bad_rate": float(row["bad_rate"])}


def test_slice_table_is_consistent(case, preds):
    y_pred, _ = preds
    table = q.slice_table(case.X_test, case.y_test, y_pred)
    overall = np.mean(np.asarray(case.y_test) != y_pred)
    for column, part in table.groupby("column"):
        present = q.slice_frame(case.X_test)[column].notna().sum()
        assert part["size"].sum() == present, column
        if column in ("income_missing", "age_group", "records"):  # no gaps: weighted mean = overall
            assert np.average(part["error_rate"], weights=part["size"]) == pytest.approx(overall)


def test_worst_and_near_worst_slices_pass(slices, preds):
    y_pred, _ = preds
    worst = slices.iloc[0]
    assert _full(q.error_analysis, (_slice_answer(worst), y_pred))
    assert _full(q.error_analysis, (_slice_answer(worst), list(y_pred)))
    rounded = dict(_slice_answer(worst), error_rate=round(worst["error_rate"], 2),
                   bad_rate=round(worst["bad_rate"], 2))
    assert _full(q.error_analysis, (rounded, y_pred))


def test_runner_up_slice_is_not_the_worst(slices, preds):
    """Old check: any slice within 0.03 of the worst passed, a tolerance the data never needs."""
    y_pred, _ = preds
    runner_up = slices.iloc[1]
    assert runner_up["error_rate"] < slices.iloc[0]["error_rate"]
    assert q.error_analysis.grade((_slice_answer(runner_up), y_pred)) == pytest.approx(1.5)


def test_slice_counting_errors_or_skipping_the_size_filter_loses(case, preds):
    """On the default data, counting errors or skipping the 30-row filter picks another slice."""
    y_pred, _ = preds
    table = q.slice_table(case.X_test, case.y_test, y_pred)
    by_count = table.assign(errors=table["size"] * table["error_rate"]).sort_values("errors").iloc[-1]
    assert q.error_analysis.grade((_slice_answer(by_count), y_pred)) == pytest.approx(1.5)
    unfiltered = table.sort_values("error_rate").iloc[-1]
    assert unfiltered["size"] < q.MIN_SLICE_ROWS
    assert q.error_analysis.grade((_slice_answer(unfiltered), y_pred)) == pytest.approx(1)


def test_slices_judged_on_the_learners_own_predictions(case, preds):
    y_pred, _ = preds
    own = np.where(np.arange(len(y_pred)) % 5 == 0, "bad", y_pred)
    table = q.slice_table(case.X_test, case.y_test, own)
    worst = table[table["size"] >= q.MIN_SLICE_ROWS].sort_values("error_rate").iloc[-1]
    assert _full(q.error_analysis, (_slice_answer(worst), own))
    shuffled = pd.Series(own, index=case.X_test.index).sample(frac=1, random_state=0)
    assert _full(q.error_analysis, (_slice_answer(worst), shuffled))
    result = q.error_analysis.evaluate((_slice_answer(worst), (own == "bad").astype(int)))
    assert result.earned == 0 and "Task 1" in " ".join(result.lines)


def test_slice_values_in_other_spellings(case, preds):
    y_pred, _ = preds
    table = q.slice_table(case.X_test, case.y_test, y_pred)
    missing = table[(table["column"] == "income_missing") & (table["value"].astype(bool))].iloc[0]
    young = table[(table["column"] == "age_group") & (table["value"] == "18-25")].iloc[0]
    for row, spellings in [(missing, [True, "True", 1, np.True_]), (young, ["18-25", "(17, 25]"])]:
        for value in spellings:
            result = q.error_analysis.evaluate((_slice_answer(row, value), y_pred))
            assert result.status != "malformed", value
            assert result.earned >= 1.5, value  # big enough and figures right, whatever the rank


def test_slices_that_are_small_not_worst_or_miscounted(case, slices, preds):
    y_pred, _ = preds
    best = slices.iloc[0]
    easy = slices.iloc[-1]
    assert q.error_analysis.grade((_slice_answer(easy), y_pred)) == pytest.approx(1.5)
    wrong_figures = dict(_slice_answer(best), error_rate=0.99, size=1)
    assert q.error_analysis.grade((wrong_figures, y_pred)) == pytest.approx(2)
    table = q.slice_table(case.X_test, case.y_test, y_pred)
    small = table[table["size"] < q.MIN_SLICE_ROWS].iloc[0]
    with pytest.raises(CheckFailed):
        q.error_analysis.check((_slice_answer(small), y_pred))


def test_slices_malformed(slices, preds):
    y_pred, _ = preds
    answer = _slice_answer(slices.iloc[0])
    for odd in [dict(answer, column="income"), dict(answer, value="astronaut"),
                {"column": "job"}, "job=partime"]:
        with pytest.raises(CheckFailed):
            q.error_analysis.check((odd, y_pred))
        assert q.error_analysis.grade((odd, y_pred)) == 0
    assert q.error_analysis.grade((answer, y_pred[:3])) == 0
    _not_attempted(q.error_analysis, (None, y_pred))


# --- The whole lab ------------------------------------------------------------------------------

def test_lab_registry():
    lab = q.LAB
    ids = [t.grade_id for t in lab.tasks]
    assert len(ids) == len(set(ids)) and len(ids) >= 6
    assert {t.unit for t in lab.tasks} == {"2.2", "1.2"}
    written = [t for t in lab.tasks if isinstance(t, WrittenTask)]
    assert {t.grade_id for t in written} == {"test_report", "retest_plan"}
    assert all(p.points > 0 for t in written for p in t.rubric)
    assert lab.points == pytest.approx(sum(t.points for t in lab.tasks))


def test_another_variant_is_graded_against_its_own_data(monkeypatch):
    """No check holds a number: a different seed's correct answers earn full points too."""
    monkeypatch.setenv("TRAINERLAB_SEED", "7")
    case = q.credit()
    assert q.seed() == 7 and not case.X_test.index.equals(q.ec.cached_credit_case().X_test.index)
    y_pred = case.model.predict(case.X_test)
    y_score = case.bad_score(case.X_test)
    assert _full(q.predictions, (y_pred, y_score))
    assert _full(q.cost_threshold, _threshold_answer(case, _grid_best(case)))
    table = q.slice_table(case.X_test, case.y_test, y_pred)
    worst = table[table["size"] >= q.MIN_SLICE_ROWS].sort_values("error_rate").iloc[-1]
    assert _full(q.error_analysis, (_slice_answer(worst), y_pred))


# --- Misjudgments of the old checks (issue 9): each test fails on them ----------------------------

def _save(path: Path, draw, **savefig) -> Path:
    fig = draw()
    fig.savefig(path, **savefig)
    plt.close(fig)
    return path


def _both_curves(case, preds, style="default"):
    from sklearn.metrics import precision_recall_curve
    _, y_score = preds
    fpr, tpr, _ = roc_curve(case.y_test, y_score, pos_label="bad")
    precision, recall, _ = precision_recall_curve(case.y_test, y_score, pos_label="bad")

    def draw():
        with plt.style.context(style):
            fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4))
            left.plot(fpr, tpr)
            left.plot([0, 1], [0, 1], "--", color="grey")
            right.plot(recall, precision)
            right.axhline(0.28, ls="--", color="grey")
        return fig
    return draw


@pytest.mark.parametrize("style", ["default", "ggplot", "seaborn-v0_8-whitegrid", "dark_background"])
def test_figure_of_both_curves_passes_in_any_style(case, preds, tmp_path, style):
    _, y_score = preds
    fpr, tpr, _ = roc_curve(case.y_test, y_score, pos_label="bad")
    for name, options in [("plain", {}), ("tight", {"dpi": 150, "bbox_inches": "tight"}),
                          ("small", {"dpi": 50})]:
        path = _save(tmp_path / f"{name}.png", _both_curves(case, preds, style), **options)
        assert _full(q.roc, (fpr, tpr, path, case.y_test, y_score)), (style, name)


def test_figure_that_shows_nothing_or_one_plot_loses_its_point(case, preds, tmp_path):
    """Old check: any PNG above 2000 bytes passed, a blank one too (plt.savefig after plt.show)."""
    _, y_score = preds
    fpr, tpr, _ = roc_curve(case.y_test, y_score, pos_label="bad")
    blank = _save(tmp_path / "blank.png", plt.figure)
    assert blank.stat().st_size > 2000

    def one_plot():
        fig, ax = plt.subplots()
        ax.plot(fpr, tpr)
        return fig

    def empty_axes():
        return plt.subplots(1, 2, figsize=(9, 4))[0]

    def roc_only():
        fig, (left, _) = plt.subplots(1, 2, figsize=(9, 4))
        left.plot(fpr, tpr)
        return fig

    for draw in (plt.figure, one_plot, empty_axes, roc_only):
        path = _save(tmp_path / "figure.png", draw)
        assert q.roc.grade((fpr, tpr, path, case.y_test, y_score)) == pytest.approx(1.5), draw


def test_rows_in_another_order_are_matched_by_their_labels(case, preds, cars):
    """Old checks compared Series by position: a frame sorted for a plot lost every point."""
    y_pred, y_score = preds
    order = np.random.default_rng(1).permutation(len(y_pred))
    index = case.X_test.index
    pred_s = pd.Series(y_pred, index=index).iloc[order]
    score_s = pd.Series(y_score, index=index).iloc[order]
    assert _full(q.predictions, (pred_s, score_s))
    cm = confusion_matrix(case.y_test, y_pred, labels=["good", "bad"])
    assert _full(q.confusion, (cm, case.y_test, pred_s))
    args = (case.y_test, y_pred, y_score)
    assert _full(q.classification_metrics, (_metrics(*args), case.y_test, pred_s, score_s))
    results = pd.DataFrame({"actual": cars.y_test, "pred": cars.model.predict(cars.X_test)},
                           index=cars.y_test.index).sort_values("actual")
    err = results["actual"] - results["pred"]
    metrics = {"mae": err.abs().mean(), "rmse": np.sqrt((err ** 2).mean()),
               "r2": r2_score(results["actual"], results["pred"])}
    assert _full(q.regression, (metrics, cars.y_test, results["pred"]))
    # a plain array in another order is still not the model's prediction per row
    assert q.regression.grade((metrics, cars.y_test, results["pred"].to_numpy())) < 3


def test_auc_is_judged_on_the_learners_own_scores(case, preds):
    """Old check: a Task 1 y_score of 'good' cost Task 3's AUC point a second time."""
    y_pred, y_score = preds
    own = 1 - y_score
    metrics = _metrics(case.y_test, y_pred, own)  # roc_auc_score(y_test == 'bad', own): below 0.5
    assert metrics["roc_auc"] < 0.5
    assert _full(q.classification_metrics, (metrics, case.y_test, y_pred, own))
    # right scores, but the AUC of 'good' is still wrong
    flipped = dict(_metrics(case.y_test, y_pred, y_score),
                   roc_auc=roc_auc_score(case.y_test == "good", y_score))
    assert q.classification_metrics.grade((flipped, case.y_test, y_pred, y_score)) == pytest.approx(2)


def test_metrics_are_compared_to_the_two_decimals_asked(case, preds, cars):
    """Old checks allowed 0.01 (a whole unit of the second decimal) on every metric."""
    y_pred, y_score = preds
    args = (case.y_test, y_pred, y_score)
    right = _metrics(*args)
    assert _full(q.classification_metrics, ({k: round(v, 2) for k, v in right.items()}, *args))
    off = dict(right, accuracy=right["accuracy"] + 0.008)
    assert q.classification_metrics.grade((off, *args)) == pytest.approx(2.5)
    pred = cars.model.predict(cars.X_test)
    good = {"mae": mean_absolute_error(cars.y_test, pred),
            "rmse": np.sqrt(mean_squared_error(cars.y_test, pred)), "r2": r2_score(cars.y_test, pred)}
    assert _full(q.regression, ({k: round(v, 2) for k, v in good.items()}, cars.y_test, pred))
    assert q.regression.grade((dict(good, mae=good["mae"] + 0.009), cars.y_test, pred)) == 2.5


@pytest.mark.parametrize("task, answer", [
    ("confusion", lambda c, p, s: (confusion_matrix(c.y_test, p, labels=["good", "bad"]), c.y_test,
                                   (p == "bad").astype(int))),
    ("classification_metrics", lambda c, p, s: (_metrics(c.y_test, p, s), c.y_test, p, s * 100)),
    ("report_file", lambda c, p, s: ("missing.txt", c.y_test, p[:5])),
    ("roc", lambda c, p, s: (np.array([0, 1]), np.array([0, 1]), "x.png", c.y_test, s[:5])),
])
def test_a_malformed_task_1_result_names_task_1(case, preds, task, answer, tmp_path, monkeypatch):
    """Error carried forward: the points that cannot be judged say which task to fix; the points
    that do not need Task 1's result are still judged."""
    y_pred, y_score = preds
    monkeypatch.chdir(tmp_path)
    (tmp_path / "missing.txt").write_text(classification_report(case.y_test, y_pred))
    check = getattr(q, task)
    result = check.evaluate(answer(case, y_pred, y_score))
    assert result.status == "incorrect" and 0 < result.earned < check.points, result.lines
    assert "Task 1" in " ".join(result.lines), result.lines


def test_figure_saved_transparent_or_greyscale_passes(case, preds, tmp_path):
    from PIL import Image
    _, y_score = preds
    fpr, tpr, _ = roc_curve(case.y_test, y_score, pos_label="bad")
    clear = _save(tmp_path / "clear.png", _both_curves(case, preds), transparent=True)
    assert _full(q.roc, (fpr, tpr, clear, case.y_test, y_score))
    grey = tmp_path / "grey.png"
    opaque = _save(tmp_path / "opaque.png", _both_curves(case, preds))
    Image.open(opaque).convert("L").save(grey)
    assert _full(q.roc, (fpr, tpr, grey, case.y_test, y_score))


@pytest.mark.parametrize("seed", [2, 7])
def test_every_variant_tells_a_wrong_slice_analysis_apart(seed):
    """Variant splits are drawn so that counting errors or skipping the 30-row filter picks
    another slice (before, seed 2's unfiltered worst slice was the right one)."""
    case = q.ec.credit_case(seed)
    y_pred = case.model.predict(case.X_test)
    assert q.ec.tells_slices_apart(case.X_test, case.y_test, y_pred)
    table = q.slice_table(case.X_test, case.y_test, y_pred)
    big = table[table["size"] >= q.MIN_SLICE_ROWS]
    by_count = big.loc[(big["size"] * big["error_rate"]).idxmax()]
    unfiltered = table.loc[table["error_rate"].idxmax()]
    assert by_count["error_rate"] < big["error_rate"].max()
    assert unfiltered["size"] < q.MIN_SLICE_ROWS
