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
import matplotlib.pyplot as plt  # noqa: E402


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
    fig, ax = plt.subplots()
    ax.plot([0, 0.3, 1], [0, 0.8, 1])
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

def _threshold_answer(case, threshold: float, *, strict: bool = False) -> dict[str, float]:
    val_score = case.bad_score(case.X_val)
    test_score = case.bad_score(case.X_test)
    return {"threshold": threshold,
            "val_cost": q.expected_cost(case.y_val, val_score, threshold, strict=strict),
            "test_cost_default": q.expected_cost(case.y_test, test_score, 0.5, strict=strict),
            "test_cost_chosen": q.expected_cost(case.y_test, test_score, threshold, strict=strict)}


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
    assert _full(q.cost_threshold, pd.Series(_threshold_answer(case, exact)))


def test_threshold_invariants():
    case = q.credit()
    score = case.bad_score(case.X_val)
    best = q.minimum_cost(case.y_val, score)
    grid_costs = [q.expected_cost(case.y_val, score, t) for t in np.arange(0.01, 1, 0.01)]
    assert best <= min(grid_costs) <= best * (1 + q.COST_REL_TOL) + q.COST_FN
    assert best < q.expected_cost(case.y_val, score, 0.5)
    # everybody rejected: only false positives; nobody rejected: only false negatives
    is_bad = (case.y_val == "bad").to_numpy()
    assert q.expected_cost(case.y_val, score, 0.0) == q.COST_FP * (~is_bad).sum()
    assert q.expected_cost(case.y_val, score, 1.01) == q.COST_FN * is_bad.sum()


def test_minimum_cost_matches_brute_force_with_ties():
    rng = np.random.default_rng(3)
    for _ in range(100):
        n = int(rng.integers(0, 25))
        y = np.where(rng.random(n) < 0.3, "bad", "good")
        score = np.round(rng.random(n), 1)  # coarse scores: many ties
        brute = min(q.expected_cost(y, score, t) for t in np.r_[np.unique(score), np.inf])
        assert q.minimum_cost(y, score) == brute


def test_threshold_partial_and_wrong(case):
    at_default = _threshold_answer(case, 0.5)
    with pytest.raises(CheckFailed):  # no worse than 0.5, but far from the best: not "passed"
        q.cost_threshold.check(at_default)
    assert q.cost_threshold.grade(at_default) == pytest.approx(1.5)
    too_high = _threshold_answer(case, 0.9)
    with pytest.raises(CheckFailed):
        q.cost_threshold.check(too_high)
    assert q.cost_threshold.grade(too_high) == pytest.approx(1)
    wrong_costs = dict(_threshold_answer(case, _grid_best(case)), val_cost=0, test_cost_chosen=1)
    assert q.cost_threshold.grade(wrong_costs) == pytest.approx(2)


def test_threshold_malformed():
    for odd in [{"threshold": 0.2}, {"threshold": 1.5, "val_cost": 1, "test_cost_default": 1,
                                     "test_cost_chosen": 1}, 0.2, "0.2"]:
        with pytest.raises(CheckFailed):
            q.cost_threshold.check(odd)
        assert q.cost_threshold.grade(odd) == 0
    _not_attempted(q.cost_threshold, None)


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
    near = slices[slices["error_rate"] >= worst["error_rate"] - q.SLICE_TOL]
    for _, row in near.iterrows():
        assert _full(q.error_analysis, (_slice_answer(row), list(y_pred)))


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
