"""Checks for the L3 evaluation lab: testing a trained model (skill units 2.2 and 1.2).

The lab hands the learner two trained models (:mod:`trainerlab.datagen.evaluation_cases`): a
credit-default classifier (positive class ``bad``) and a fuel-economy regressor. Every metric the
learner reports is recomputed from the learner's own labels, predictions and scores (error carried
forward: a slip in Task 1 costs points in Task 1 only; a later task that cannot use a malformed
Task 1 result says to fix Task 1) and compared to the two decimals the statements ask for. A
Series is matched to the rows by its labels, so any row order is accepted. The threshold and the
worst slice are judged against the best the statement's own method reaches on the data, and the
saved figure by what its pixels show, so any correct way of testing scores full marks and no
check holds a reference number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import image as plt_image
from sklearn.metrics import (
    classification_report,
    confusion_matrix,
    mean_absolute_error,
    mean_squared_error,
    precision_recall_fscore_support,
    r2_score,
    roc_auc_score,
)

from graders.answers import as_number, require_answer, require_file, require_mapping, unpack
from graders.checking import (
    Lab,
    Msg,
    Problem,
    RubricPoint,
    Task,
    WrittenTask,
    criterion,
    fix_first,
)
from trainerlab.datagen import evaluation_cases as ec
from trainerlab.variants import current_seed

LEVEL = "L3"
POSITIVE, NEGATIVE, LABELS = ec.POSITIVE, ec.NEGATIVE, ec.LABELS

#: The statements ask for metrics to at least two decimals: a value rounded to two decimals is off
#: by at most half a unit of the second decimal (plus float noise), any finer one by less.
METRIC_TOL = 0.005 + 1e-9
COST_FN = 5  # cost of missing a defaulter (a false negative)
COST_FP = 1  # cost of rejecting a good customer (a false positive)
THRESHOLD_GRID = np.round(np.arange(0.01, 1.0, 0.01), 2)  # the thresholds the statement has tried
MIN_SLICE_ROWS = ec.MIN_SLICE_ROWS  # slices smaller than this are too noisy to call the worst
SLICE_COLUMNS, AGE_BINS, AGE_LABELS = ec.SLICE_COLUMNS, ec.AGE_BINS, ec.AGE_LABELS
METRIC_CHOICES = ("accuracy", "precision", "recall", "specificity")


def seed() -> int:
    """The seed of this notebook's data variant (``TRAINERLAB_SEED``, else the default)."""
    return current_seed()


def credit_case() -> ec.CreditCase:
    """The learner's own credit model under test and its train / validation / test sets (set-up cell)."""
    return ec.credit_case(seed())


def mpg_case() -> ec.MpgCase:
    """The learner's own fuel-economy regressor under test and its train / test sets (set-up cell)."""
    return ec.mpg_case(seed())


def credit() -> ec.CreditCase:
    """The credit case the checks grade against (same seed as the learner's setup cell)."""
    return ec.cached_credit_case(seed())


def mpg() -> ec.MpgCase:
    """The regression case the checks grade against."""
    return ec.cached_mpg_case(seed())


# --- Shared preconditions ----------------------------------------------------------------------


def _in_row_order(value: Any, index: pd.Index | None) -> Any:
    """``value`` in the row order of ``index`` when it is a Series labelled by the same rows.

    The statements leave the order of a learner's Series open (a frame sorted for a plot keeps
    its row labels), so a Series is matched to the rows by its labels, not by position.
    """
    if (
        index is not None
        and isinstance(value, pd.Series)
        and value.index.is_unique
        and len(value) == len(index)
        and not value.index.equals(index)
        and value.index.isin(index).all()
    ):
        return value.reindex(index)
    return value


def _rows_of(value: Any) -> pd.Index | None:
    return value.index if isinstance(value, pd.Series) and value.index.is_unique else None


def _vector(value: Any, name: str) -> np.ndarray:
    """A one-dimensional array from a list, Series or array, or a clear message."""
    if isinstance(value, (str, bytes, Mapping)):
        raise Problem(
            f"{name} 应是一列值（数组、列表或 Series）",
            f"{name} must be a column of values (array, list or Series)",
        )
    try:
        array = np.asarray(value)
    except Exception:  # odd objects get a message, not a crash
        raise Problem(f"{name} 无法转换成数组", f"{name} cannot be turned into an array") from None
    if array.ndim != 1:
        raise Problem(
            f"{name} 应是一维的（每行一个值），实际形状是 {array.shape}",
            f"{name} must be one-dimensional (one value per row), got shape {array.shape}",
        )
    return array


def _labels(value: Any, name: str, n: int | None = None) -> np.ndarray:
    """Class labels as strings, all of them ``good`` or ``bad``."""
    array = _vector(value, name).astype(str)
    if n is not None and len(array) != n:
        raise Problem(
            f"{name} 的长度应等于测试集行数（{n}），实际是 {len(array)}",
            f"{name} must have one value per test row ({n}), got {len(array)}",
        )
    stray = sorted(set(array) - set(LABELS))[:3]
    if stray:
        raise Problem(
            f"{name} 只能含 'good' 和 'bad'，发现了 {stray}",
            f"{name} may only hold 'good' and 'bad', found {stray}",
        )
    return array


def _scores(value: Any, name: str, n: int | None = None) -> np.ndarray:
    """Scores as floats in [0, 1]."""
    array = _vector(value, name)
    try:
        array = array.astype(float)
    except (TypeError, ValueError):
        raise Problem(
            f"{name} 应是数值（概率）", f"{name} must hold numbers (probabilities)"
        ) from None
    if n is not None and len(array) != n:
        raise Problem(
            f"{name} 的长度应等于测试集行数（{n}），实际是 {len(array)}",
            f"{name} must have one value per test row ({n}), got {len(array)}",
        )
    if not np.isfinite(array).all() or array.min() < 0 or array.max() > 1:
        raise Problem(
            f"{name} 应是 0 到 1 之间的概率", f"{name} must be probabilities between 0 and 1"
        )
    return array


class _Parts(dict):
    """A prepared answer. A part that could not be read (a malformed Task 1 result) is kept as the
    :class:`Problem` naming Task 1 and raised by the criteria that read it, so only the points
    that need it are lost (error carried forward) and the others are still judged."""

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        if isinstance(value, Problem):
            raise value
        return value


def _upstream(check: Any, *args: Any) -> np.ndarray | Problem:
    """The learner's result of Task 1 passed to a later task, or the problem naming Task 1 to fix."""
    try:
        return check(*args)
    except Problem:
        return fix_first("任务 1", "Task 1")


def _pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray | Problem]:
    """The learner's own true labels and predictions (Task 1), row by row."""
    truth = _labels(y_true, "y_test")
    pred = _upstream(_labels, _in_row_order(y_pred, _rows_of(y_true)), "y_pred", len(truth))
    return truth, pred


def _metric_close(got: Any, expected: float) -> bool:
    return math.isclose(as_number(got), expected, abs_tol=METRIC_TOL)


# --- Task 1: predictions on the test set -------------------------------------------------------


def _prepare_predictions(answer: Any) -> dict[str, np.ndarray]:
    y_pred, y_score = unpack(answer, ("y_pred", "y_score"))
    rows = credit().X_test.index
    return {
        "y_pred": _labels(_in_row_order(y_pred, rows), "y_pred", len(rows)),
        "y_score": _scores(_in_row_order(y_score, rows), "y_score", len(rows)),
    }


def _same_predictions(a: dict[str, np.ndarray]) -> bool:
    case = credit()
    return bool(np.array_equal(a["y_pred"], case.model.predict(case.X_test).astype(str)))


def _bad_scores(a: dict[str, np.ndarray]) -> bool:
    case = credit()
    expected = case.bad_score(case.X_test)
    if np.allclose(a["y_score"], expected, atol=1e-6):
        return True
    if np.allclose(a["y_score"], 1 - expected, atol=1e-6):
        raise Problem(
            "y_score 是 'good' 的概率：请查看 model.classes_，取 'bad' 那一列",
            "y_score is the probability of 'good': look "
            "at model.classes_ and take the 'bad' column",
        )
    raise Problem(
        "y_score 不是模型对测试集每一行给出的 'bad' 概率",
        "y_score is not the model's probability of 'bad' for each test row",
    )


predictions = Task(
    grade_id="test_predictions",
    unit="2.2",
    level=LEVEL,
    title=Msg(
        "在测试集上得到预测标签和违约概率", "Predict labels and default scores on the test set"
    ),
    prepare=_prepare_predictions,
    criteria=[
        criterion(
            "每个测试样本一个标签和一个 0–1 的分数",
            "one label and one 0–1 score per test row",
            0.5,
            visible=True,
            fail=("形状不对", "wrong shape"),
        )(lambda a: True),  # the shape is enforced by _prepare_predictions, with precise messages
        criterion(
            "y_pred 是被测模型在测试集上的预测",
            "y_pred is the model's prediction on the test set",
            0.75,
            fail=(
                "y_pred 与模型在 X_test 上的预测不一致（是否用了别的数据或改了模型？）",
                "y_pred differs from the model's predictions on X_test (other data, or a changed "
                "model?)",
            ),
        )(_same_predictions),
        criterion(
            "y_score 是正类 'bad' 的预测概率",
            "y_score is the predicted probability of 'bad'",
            0.75,
            fail=("y_score 不对", "wrong y_score"),
        )(_bad_scores),
    ],
    hints=[
        Msg(
            "用 model.predict(X_test) 和 model.predict_proba(X_test)；只用测试集，不要重新训练。",
            "Use model.predict(X_test) and model.predict_proba(X_test); test only, never refit.",
        ),
        Msg(
            "predict_proba 的列顺序是 model.classes_："
            "list(model.classes_).index('bad') 给出 'bad' 那一列。",
            "predict_proba's columns follow model.classes_: "
            "list(model.classes_).index('bad') is the 'bad' column.",
        ),
    ],
)


# --- Task 2: confusion matrix ------------------------------------------------------------------


def _matrix(value: Any) -> np.ndarray:
    """A 2×2 matrix; a labelled DataFrame is put into the lab's orientation by its labels."""
    if isinstance(value, pd.DataFrame):
        rows, cols = [str(i) for i in value.index], [str(c) for c in value.columns]
        if set(rows) == set(LABELS) and set(cols) == set(LABELS):
            value = value.set_axis(rows, axis=0).set_axis(cols, axis=1).loc[LABELS, LABELS]
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Problem(
            "混淆矩阵应是 2×2 的数字表", "the confusion matrix must be a 2×2 table of numbers"
        ) from None
    if array.shape != (2, 2):
        raise Problem(
            f"混淆矩阵应是 2×2，实际形状是 {array.shape}",
            f"the confusion matrix must be 2×2, got shape {array.shape}",
        )
    return array


def _prepare_confusion(answer: Any) -> dict[str, Any]:
    cm, y_true, y_pred = unpack(answer, ("cm", "y_test", "y_pred"))
    truth, pred = _pair(y_true, y_pred)
    return _Parts(cm=_matrix(cm), y_true=truth, y_pred=pred)


def _counts_valid(a: dict[str, Any]) -> bool:
    cm = a["cm"]
    if (cm < 0).any() or not np.allclose(cm, np.round(cm)):
        raise Problem(
            "混淆矩阵里应是非负整数（个数，不是比例）",
            "the confusion matrix holds non-negative whole counts (not shares)",
        )
    if round(cm.sum()) != len(a["y_true"]):
        raise Problem(
            "混淆矩阵的总数应等于测试集行数", "the counts must add up to the number of test rows"
        )
    return True


def _confusion_right(a: dict[str, Any]) -> bool:
    expected = confusion_matrix(a["y_true"], a["y_pred"], labels=LABELS)
    cm = a["cm"]
    if np.array_equal(cm, expected):
        return True
    if np.array_equal(cm, expected.T):
        raise Problem(
            "矩阵转置了：行应是真实标签，列是预测标签",
            "the matrix is transposed: rows are the true labels, columns the predicted ones",
        )
    if np.array_equal(cm, expected[::-1, ::-1]):
        raise Problem(
            "类别顺序反了：行和列都应按 good、bad 的顺序（labels=['good', 'bad']）",
            "the class order is reversed: rows and columns go good, bad (labels=['good', 'bad'])",
        )
    raise Problem("混淆矩阵与 y_test、y_pred 不一致", "the matrix does not match y_test and y_pred")


confusion = Task(
    grade_id="confusion_matrix",
    unit="2.2",
    level=LEVEL,
    title=Msg("混淆矩阵", "Confusion matrix"),
    prepare=_prepare_confusion,
    criteria=[
        criterion(
            "2×2 的非负整数，总数等于测试集行数",
            "2×2 whole counts adding up to the test rows",
            0.5,
            visible=True,
            fail=("计数不对", "wrong counts"),
        )(_counts_valid),
        criterion(
            "行为真实标签、列为预测标签，按 good、bad 排列，计数正确",
            "rows true, columns predicted, ordered good, bad, with the right counts",
            1.5,
            fail=("混淆矩阵不对", "wrong confusion matrix"),
        )(_confusion_right),
    ],
    hints=[
        Msg(
            "confusion_matrix(y_test, y_pred, labels=['good', 'bad'])。",
            "confusion_matrix(y_test, y_pred, labels=['good', 'bad']).",
        ),
        Msg(
            "sklearn 的约定：第 i 行第 j 列 = 真实为第 i 类、预测为第 j 类的个数。",
            "sklearn's convention: row i, column j counts rows "
            "whose truth is class i and prediction class j.",
        ),
    ],
)


# --- Task 3: classification metrics --------------------------------------------------------------

CLASSIFICATION_KEYS = ["accuracy", "precision", "recall", "f1", "roc_auc"]


def _prepare_metrics(answer: Any) -> dict[str, Any]:
    metrics, y_true, y_pred, y_score = unpack(answer, ("metrics", "y_test", "y_pred", "y_score"))
    metrics = require_mapping(metrics, keys=CLASSIFICATION_KEYS)
    truth, pred = _pair(y_true, y_pred)
    score = _upstream(_scores, _in_row_order(y_score, _rows_of(y_true)), "y_score", len(truth))
    return _Parts(metrics={k: as_number(metrics[k]) for k in CLASSIFICATION_KEYS},
                  y_true=truth, y_pred=pred, y_score=score)


def _in_unit_range(a: dict[str, Any]) -> bool:
    bad = [k for k, v in a["metrics"].items() if not 0 <= v <= 1]
    if bad:
        raise Problem(
            f"这些指标应在 0 到 1 之间（用小数，不用百分数）：{bad}",
            f"these metrics must lie between 0 and 1 (fractions, not percentages): {bad}",
        )
    return True


def _class_scores(y_true: np.ndarray, y_pred: np.ndarray, label: str) -> dict[str, float]:
    p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, labels=[label], zero_division=0)
    return {"precision": float(p[0]), "recall": float(r[0]), "f1": float(f[0])}


def _prf_right(a: dict[str, Any]) -> bool:
    got = a["metrics"]
    names = ["precision", "recall", "f1"]
    expected = _class_scores(a["y_true"], a["y_pred"], POSITIVE)
    wrong = [k for k in names if not _metric_close(got[k], expected[k])]
    if not wrong:
        return True
    other = _class_scores(a["y_true"], a["y_pred"], NEGATIVE)
    if all(_metric_close(got[k], other[k]) for k in names):
        raise Problem(
            "这是 'good' 类的指标：正类是 'bad'（pos_label='bad'）",
            "these are the scores of 'good': the positive class is 'bad' (pos_label='bad')",
        )
    raise Problem(
        f"这些指标与 y_test、y_pred 不一致（正类为 'bad'）：{wrong}",
        f"these metrics do not match y_test and y_pred (positive class 'bad'): {wrong}",
    )


def _auc_right(a: dict[str, Any]) -> bool:
    auc = float(roc_auc_score(a["y_true"] == POSITIVE, a["y_score"]))
    # error carried forward: the AUC of the learner's own y_score with 'bad' as positive; where
    # Task 1's y_score ranks the classes the wrong way round, the model's own AUC is right too
    accepted = [auc] if auc >= 0.5 else [auc, 1 - auc]
    return any(_metric_close(a["metrics"]["roc_auc"], x) for x in accepted)


classification_metrics = Task(
    grade_id="classification_metrics",
    unit="2.2",
    level=LEVEL,
    title=Msg(
        "准确率、精确率、召回率、F1 和 ROC-AUC", "Accuracy, precision, recall, F1 and ROC-AUC"
    ),
    prepare=_prepare_metrics,
    criteria=[
        criterion(
            "五个指标都是 0–1 的小数",
            "all five metrics are fractions in 0–1",
            0.5,
            visible=True,
            fail=("指标范围不对", "metrics out of range"),
        )(_in_unit_range),
        criterion(
            "准确率正确",
            "accuracy is right",
            0.5,
            fail=("准确率与 y_test、y_pred 不一致", "accuracy does not match y_test and y_pred"),
        )(
            lambda a: _metric_close(
                a["metrics"]["accuracy"], float(np.mean(a["y_true"] == a["y_pred"]))
            )
        ),
        criterion(
            "正类 'bad' 的精确率、召回率、F1 正确",
            "precision, recall and F1 of 'bad' are right",
            1,
            fail=("精确率/召回率/F1 不对", "wrong precision/recall/F1"),
        )(_prf_right),
        criterion(
            "ROC-AUC 与 y_score 一致",
            "ROC-AUC matches y_score",
            1,
            fail=(
                "ROC-AUC 不对：要用概率分数 y_score，而不是预测标签",
                "wrong ROC-AUC: compute it from the scores y_score, not from the labels",
            ),
        )(_auc_right),
    ],
    hints=[
        Msg(
            "precision_score(y_test, y_pred, pos_label='bad')，recall_score 和 f1_score 同理。",
            "precision_score(y_test, y_pred, pos_label='bad'); likewise recall_score and f1_score.",
        ),
        Msg(
            "roc_auc_score 需要分数：roc_auc_score(y_test == 'bad', y_score)。",
            "roc_auc_score needs scores: roc_auc_score(y_test == 'bad', y_score).",
        ),
    ],
)


# --- Task 4: ROC curve and the figure -------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PANEL_SPAN = 0.15  # an axes frame spans at least this share of the image's width (or height)
CURVE_ROWS = 0.2  # a drawn curve crosses at least this share of its panel's rows


def _prepare_curve(answer: Any) -> dict[str, Any]:
    fpr, tpr, path, y_true, y_score = unpack(
        answer, ("fpr", "tpr", "CURVES_PATH", "y_test", "y_score")
    )
    fpr = _scores(fpr, "fpr")
    tpr = _scores(tpr, "tpr", n=len(fpr))
    truth = _labels(y_true, "y_test")
    score = _upstream(_scores, _in_row_order(y_score, _rows_of(y_true)), "y_score", len(truth))
    return _Parts(fpr=fpr, tpr=tpr, path=path, y_true=truth, y_score=score)


def _curve_shape(a: dict[str, Any]) -> bool:
    fpr, tpr = a["fpr"], a["tpr"]
    if len(fpr) < 2 or (np.diff(fpr) < 0).any() or (np.diff(tpr) < 0).any():
        raise Problem(
            "fpr 和 tpr 应是从小到大的曲线点（直接用 roc_curve 的输出）",
            "fpr and tpr must be increasing curve points (use roc_curve's output as is)",
        )
    if (fpr[0], tpr[0]) != (0, 0) or (fpr[-1], tpr[-1]) != (1, 1):
        raise Problem("ROC 曲线应从 (0, 0) 走到 (1, 1)", "an ROC curve runs from (0, 0) to (1, 1)")
    return True


def _curve_area(a: dict[str, Any]) -> bool:
    area = float(np.sum(np.diff(a["fpr"]) * (a["tpr"][1:] + a["tpr"][:-1]) / 2))
    return math.isclose(
        area, float(roc_auc_score(a["y_true"] == POSITIVE, a["y_score"])), abs_tol=METRIC_TOL
    )


def _ink(pixels: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Where an RGB image differs visibly from its background colour."""
    return np.abs(pixels - background).max(axis=-1) > 0.1


def _common_colour(pixels: np.ndarray) -> np.ndarray:
    """The most frequent colour among ``pixels`` (any shape ending in RGB)."""
    codes = np.round(pixels.reshape(-1, 3) * 255).astype(np.int64) @ np.array([65536, 256, 1])
    values, counts = np.unique(codes, return_counts=True)
    code = int(values[counts.argmax()])
    return np.array([code // 65536, code // 256 % 256, code % 256]) / 255


def _long_runs(line: np.ndarray, length: int) -> list[tuple[int, int]]:
    """Runs of ink along one pixel row (gaps of a few pixels bridged) spanning an axes frame."""
    edges = np.flatnonzero(np.diff(np.r_[0, line.astype(np.int8), 0]))
    merged: list[tuple[int, int]] = []
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        if merged and start - merged[-1][1] <= max(3, 0.01 * length):
            merged[-1] = (merged[-1][0], int(stop))
        else:
            merged.append((int(start), int(stop)))
    return [(a, b) for a, b in merged if b - a >= PANEL_SPAN * length]


def _opaque_rgb(image: np.ndarray) -> np.ndarray:
    """An image as RGB floats in 0–1, greyscale spread to three channels, transparency on white."""
    image = np.asarray(image, dtype=float)
    if image.max(initial=0) > 1:
        image = image / 255
    if image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=-1)
    if image.shape[-1] == 4:
        alpha = image[..., 3:]
        return image[..., :3] * alpha + (1 - alpha)
    return image[..., :3]


def figure_panels(rgb: np.ndarray) -> list[np.ndarray]:
    """The panels (pixel blocks) of a figure with at least two axes side by side (or stacked).

    An axes frame is a long line (spine, grid line or coloured background) through the image;
    a pixel row crossing two frames side by side shows two such runs, a column two stacked ones.
    """
    corners = np.stack([rgb[0, 0], rgb[0, -1], rgb[-1, 0], rgb[-1, -1]])
    ink = _ink(rgb, _common_colour(corners))
    for image, mask in ((rgb, ink), (rgb.transpose(1, 0, 2), ink.T)):
        best: list[tuple[int, int]] = []
        for line in mask:
            runs = _long_runs(line, mask.shape[1])
            best = runs if len(runs) > len(best) else best
        if len(best) >= 2:
            return [image[:, a:b] for a, b in best]
    return []


def _drawn(panel: np.ndarray) -> bool:
    """A curve crosses the panel: many of its rows hold ink that is not a frame or grid line."""
    cut = max(1, panel.shape[1] // 10)
    inner = panel[:, cut:-cut]
    share = _ink(inner, _common_colour(inner)).mean(axis=1)
    return bool(np.mean((share > 0) & (share < 0.5)) >= CURVE_ROWS)


def _figure_shows_curves(a: dict[str, Any]) -> bool:
    path = require_file(a["path"], suffix=".png")
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head != PNG_SIGNATURE:
        raise Problem(
            "文件不是有效的 PNG 图片（用 fig.savefig(路径) 保存）",
            "the file is not a valid PNG image (save it with fig.savefig(path))",
        )
    panels = figure_panels(_opaque_rgb(plt_image.imread(path)))
    if not panels:
        raise Problem(
            "图片里看不到并排的两张图（空白图？在 plt.show() 之前用 fig.savefig 保存）",
            "the image does not show two plots side by side (blank? save with fig.savefig "
            "before plt.show())",
        )
    if not all(_drawn(panel) for panel in panels[:2]):
        raise Problem(
            "有一张图里没有曲线：ROC 和 PR 曲线都要画出来",
            "a plot shows no curve: draw both the ROC and the PR curve",
        )
    return True


roc = Task(
    grade_id="roc_pr_curves",
    unit="2.2",
    level=LEVEL,
    title=Msg("ROC 曲线与 PR 曲线", "ROC and precision–recall curves"),
    prepare=_prepare_curve,
    criteria=[
        criterion(
            "fpr、tpr 构成一条从 (0,0) 到 (1,1) 的曲线",
            "fpr, tpr form a curve from (0,0) to (1,1)",
            0.5,
            visible=True,
            fail=("曲线点不对", "wrong curve points"),
        )(_curve_shape),
        criterion(
            "曲线下面积等于正类 'bad' 的 ROC-AUC",
            "the area under the curve is the ROC-AUC of 'bad'",
            1,
            fail=(
                "曲线下面积与 y_score 的 AUC 不符：是否把 'good' 当成了正类（pos_label='bad'）？",
                "the area differs from the AUC of y_score: was 'good' taken as positive "
                "(pos_label='bad')?",
            ),
        )(_curve_area),
        criterion(
            "保存的 PNG 并排显示两张带曲线的图",
            "the saved PNG shows two plots with their curves",
            0.5,
            fail=("没有找到图片文件", "the image file is missing"),
        )(_figure_shows_curves),
    ],
    hints=[
        Msg(
            "fpr, tpr, _ = roc_curve(y_test, y_score, "
            "pos_label='bad')；PR 曲线用 precision_recall_curve。",
            "fpr, tpr, _ = roc_curve(y_test, y_score, pos_label='bad'); the PR curve comes from "
            "precision_recall_curve.",
        ),
        Msg(
            "fig, axes = plt.subplots(1, 2) 画两张图，画完后、plt.show() 之前 "
            "fig.savefig(OUTPUT / 'roc_pr_curves.png')（show 之后再保存会得到空白图）。",
            "Draw both with fig, axes = plt.subplots(1, 2), then, once drawn and before "
            "plt.show(), fig.savefig(OUTPUT / 'roc_pr_curves.png') (saved after show, the image is "
            "blank).",
        ),
    ],
)


# --- Task 5: the classification report file -------------------------------------------------------

_NUMBER = r"([0-9]*\.?[0-9]+)"


def _report_rows(path: Path) -> dict[str, list[float]]:
    """Per-class rows ``label precision recall f1 support`` found in a report text file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise Problem("文件不是 UTF-8 编码的文本", "the file is not UTF-8 text") from None
    rows = {}
    for label in LABELS:
        pattern = rf"^\s*{label}\s+{_NUMBER}\s+{_NUMBER}\s+{_NUMBER}\s+{_NUMBER}\s*$"
        match = re.search(pattern, text, flags=re.MULTILINE)
        if match:
            rows[label] = [float(x) for x in match.groups()]
    missing = [label for label in LABELS if label not in rows]
    if missing:
        raise Problem(
            f"报告里找不到这些类别的行（类别名 精确率 召回率 F1 样本数）：{missing}",
            f"the report has no row for these classes (label precision recall f1 support): "
            f"{missing}",
        )
    return rows


def _prepare_report(answer: Any) -> dict[str, Any]:
    path, y_true, y_pred = unpack(answer, ("REPORT_PATH", "y_test", "y_pred"))
    path = require_file(path, suffix=".txt")
    truth, pred = _pair(y_true, y_pred)
    return _Parts(path=path, y_true=truth, y_pred=pred)


def _report_numbers_right(a: dict[str, Any]) -> bool:
    rows = _report_rows(a["path"])
    expected = classification_report(
        a["y_true"], a["y_pred"], labels=LABELS, output_dict=True, zero_division=0
    )
    wrong = []
    for label in LABELS:
        p, r, f, support = rows[label]
        e = expected[label]
        same = (
            all(
                math.isclose(x, e[k], abs_tol=METRIC_TOL)
                for x, k in ((p, "precision"), (r, "recall"), (f, "f1-score"))
            )
            and support == e["support"]
        )
        if not same:
            wrong.append(label)
    if wrong:
        raise Problem(
            f"这些类别行的数字与 y_test、y_pred 不一致：{wrong}",
            f"the numbers in these rows do not match y_test and y_pred: {wrong}",
        )
    return True


report_file = Task(
    grade_id="classification_report_file",
    unit="2.2",
    level=LEVEL,
    title=Msg("把分类报告写入文本文件", "Write the classification report to a text file"),
    prepare=_prepare_report,
    criteria=[
        criterion(
            "UTF-8 文本文件，含 bad 和 good 两行",
            "a UTF-8 text file with a bad row and a good row",
            0.5,
            visible=True,
            fail=("报告文件格式不对", "the report file has the wrong form"),
        )(lambda a: bool(_report_rows(a["path"]))),
        criterion(
            "每个类别的精确率、召回率、F1 和样本数正确",
            "each class's precision, recall, F1 and support are right",
            1.5,
            fail=("报告里的数字不对", "wrong numbers in the report"),
        )(_report_numbers_right),
    ],
    hints=[
        Msg(
            "text = classification_report(y_test, y_pred, "
            "digits=4)，再用 open(路径, 'w', encoding='utf-8') 写入。",
            "text = classification_report(y_test, y_pred, digits=4), then write it with "
            "open(path, 'w', encoding='utf-8').",
        ),
    ],
)


# --- Task 6: regression errors --------------------------------------------------------------------

REGRESSION_KEYS = ["mae", "rmse", "r2"]


def _prepare_regression(answer: Any) -> dict[str, Any]:
    metrics, y_true, y_pred = unpack(answer, ("reg_metrics", "y_test_mpg", "mpg_pred"))
    metrics = require_mapping(metrics, keys=REGRESSION_KEYS)
    rows = _rows_of(y_true)
    truth = _vector(y_true, "y_test_mpg")
    pred = _vector(_in_row_order(y_pred, rows), "mpg_pred")
    try:
        truth, pred = truth.astype(float), pred.astype(float)
    except (TypeError, ValueError):
        raise Problem(
            "y_test_mpg 和 mpg_pred 应是数值", "y_test_mpg and mpg_pred must be numbers"
        ) from None
    if len(truth) != len(pred) or not np.isfinite(truth).all() or not np.isfinite(pred).all():
        raise Problem(
            "mpg_pred 应与 y_test_mpg 一样长，且没有缺失值",
            "mpg_pred must be as long as y_test_mpg, with no missing values",
        )
    return {
        "metrics": {k: as_number(metrics[k]) for k in REGRESSION_KEYS},
        "y_true": truth,
        "y_pred": pred,
        "rows": rows,
    }


def _regression_ranges(a: dict[str, Any]) -> bool:
    m = a["metrics"]
    if m["mae"] < 0 or m["rmse"] < 0 or m["r2"] > 1:
        raise Problem(
            "MAE、RMSE 不能为负，R² 不能大于 1", "MAE and RMSE are never negative; R² is at most 1"
        )
    if m["rmse"] < m["mae"] - 1e-9:
        raise Problem(
            "RMSE 不可能小于 MAE：检查是否算错了", "RMSE can never be below MAE: check your sums"
        )
    return True


def _model_predictions(a: dict[str, Any]) -> bool:
    case = mpg()
    expected = pd.Series(case.model.predict(case.X_test), index=case.X_test.index)
    expected = _in_row_order(expected, a["rows"]).to_numpy()
    return len(a["y_pred"]) == len(expected) and bool(np.allclose(a["y_pred"], expected, rtol=1e-6))


def _close_error(got: float, expected: float) -> bool:
    return math.isclose(got, expected, abs_tol=METRIC_TOL)


def _rmse_right(a: dict[str, Any]) -> bool:
    mse = float(mean_squared_error(a["y_true"], a["y_pred"]))
    if _close_error(a["metrics"]["rmse"], math.sqrt(mse)):
        return True
    if _close_error(a["metrics"]["rmse"], mse):
        raise Problem("这是 MSE：RMSE 要再开平方根", "that is the MSE: RMSE is its square root")
    raise Problem(
        "RMSE 与 y_test_mpg、mpg_pred 不一致", "RMSE does not match y_test_mpg and mpg_pred"
    )


regression = Task(
    grade_id="regression_errors",
    unit="2.2",
    level=LEVEL,
    title=Msg("回归模型的 MAE、RMSE 和 R²", "MAE, RMSE and R² of the regression model"),
    prepare=_prepare_regression,
    criteria=[
        criterion(
            "取值范围合理（RMSE ≥ MAE ≥ 0，R² ≤ 1）",
            "plausible values (RMSE ≥ MAE ≥ 0, R² ≤ 1)",
            0.5,
            visible=True,
            fail=("取值不合理", "implausible values"),
        )(_regression_ranges),
        criterion(
            "mpg_pred 是回归模型在测试集上的预测",
            "mpg_pred is the regressor's prediction on the test set",
            0.5,
            fail=(
                "mpg_pred 与 reg_model 在 X_test_mpg 上的预测不一致",
                "mpg_pred differs from reg_model's predictions on X_test_mpg",
            ),
        )(_model_predictions),
        criterion(
            "MAE 正确",
            "MAE is right",
            0.5,
            fail=(
                "MAE 与 y_test_mpg、mpg_pred 不一致",
                "MAE does not match y_test_mpg and mpg_pred",
            ),
        )(
            lambda a: _close_error(
                a["metrics"]["mae"], float(mean_absolute_error(a["y_true"], a["y_pred"]))
            )
        ),
        criterion(
            "RMSE 正确（MSE 的平方根）",
            "RMSE is right (the square root of the MSE)",
            1,
            fail=("RMSE 不对", "wrong RMSE"),
        )(_rmse_right),
        criterion(
            "R² 正确",
            "R² is right",
            0.5,
            fail=(
                "R² 与 y_test_mpg、mpg_pred 不一致（注意参数顺序：r2_score(真实值, 预测值)）",
                "R² does not match y_test_mpg and mpg_pred (mind the order: r2_score(y_true, "
                "y_pred))",
            ),
        )(
            lambda a: math.isclose(
                a["metrics"]["r2"], float(r2_score(a["y_true"], a["y_pred"])), abs_tol=METRIC_TOL
            )
        ),
    ],
    hints=[
        Msg(
            "mean_absolute_error、mean_squared_error、r2_score "
            "都在 sklearn.metrics 里；RMSE = np.sqrt(MSE)。",
            "mean_absolute_error, mean_squared_error and r2_score "
            "are in sklearn.metrics; RMSE = np.sqrt(MSE).",
        ),
    ],
)


# --- Task 7: the metric that fits the business cost (1.2) -----------------------------------------

_METRIC_SPELLINGS = {
    "accuracy": ["accuracy", "acc", "准确率"],
    "precision": ["precision", "精确率", "精准率", "查准率"],
    "recall": ["recall", "sensitivity", "tpr", "true positive rate", "召回率", "查全率", "灵敏度"],
    "specificity": ["specificity", "tnr", "true negative rate", "特异度"],
}


def _prepare_choice(answer: Any) -> str:
    require_answer(answer)
    if not isinstance(answer, str):
        raise Problem(
            f"需要一个字符串，实际得到 {type(answer).__name__}",
            f"expected a string, got {type(answer).__name__}",
        )
    key = answer.strip().lower()
    for canonical, spellings in _METRIC_SPELLINGS.items():
        if key in spellings:
            return canonical
    raise Problem(f"请从 {list(METRIC_CHOICES)} 中选一个", f"choose one of {list(METRIC_CHOICES)}")


cost_metric = Task(
    grade_id="cost_metric",
    unit="1.2",
    level=LEVEL,
    title=Msg("选择符合业务代价的指标", "Choose the metric that fits the business cost"),
    prepare=_prepare_choice,
    criteria=[
        criterion(
            "漏掉违约者代价最高时，首先盯住 'bad' 类的召回率",
            "when a missed defaulter costs most, watch the recall of 'bad' first",
            1,
            fail=(
                "这个指标不能直接反映“漏掉了多少违约者”",
                "that metric does not tell how many defaulters were missed",
            ),
        )(lambda choice: choice == "recall"),
    ],
    hints=[
        Msg(
            "漏掉一个违约者 = 一个假阴性（FN）。哪个指标的分母里有 FN？",
            "A missed defaulter is a false negative (FN). Which metric has FN in its denominator?",
        ),
    ],
)


# --- Task 8: the threshold that follows from the cost ratio (1.2) ---------------------------------

THRESHOLD_KEYS = ["threshold", "val_cost", "test_cost_default", "test_cost_chosen"]


def expected_cost(y_true: Any, y_score: Any, threshold: float, *, strict: bool = False) -> float:
    """Total cost ``COST_FN * FN + COST_FP * FP`` when rows scoring ≥ threshold are called 'bad'.

    ``strict=True`` calls 'bad' only above the threshold (the ``>`` convention).
    """
    is_bad = np.asarray(y_true).astype(str) == POSITIVE
    score = np.asarray(y_score, dtype=float)
    flagged = score > threshold if strict else score >= threshold
    return float(COST_FN * np.sum(is_bad & ~flagged) + COST_FP * np.sum(~is_bad & flagged))


def _costs_at(y_true: Any, y_score: Any, threshold: float) -> set[float]:
    """The cost under both conventions (they differ only when a score equals the threshold)."""
    return {expected_cost(y_true, y_score, threshold, strict=s) for s in (False, True)}


def grid_minimum_cost(y_true: Any, y_score: Any) -> float:
    """The lowest cost among the thresholds 0.01, 0.02, …, 0.99 the statement asks to try."""
    return min(expected_cost(y_true, y_score, t) for t in THRESHOLD_GRID)


def _validation() -> tuple[pd.Series, np.ndarray]:
    case = credit()
    return case.y_val, case.bad_score(case.X_val)


def _prepare_threshold(answer: Any) -> dict[str, Any]:
    choice, y_true, y_score = unpack(answer, ("threshold_choice", "y_test", "y_score"))
    choice = require_mapping(choice, keys=THRESHOLD_KEYS)
    values = {k: as_number(choice[k]) for k in THRESHOLD_KEYS}
    if not 0 < values["threshold"] < 1:
        raise Problem("阈值应在 0 和 1 之间", "the threshold must lie between 0 and 1")
    truth = _labels(y_true, "y_test")
    # error carried forward: the test costs are judged on the learner's own y_score (Task 1)
    score = _upstream(_scores, _in_row_order(y_score, _rows_of(y_true)), "y_score", len(truth))
    return _Parts(values, y_true=truth, y_score=score)


def _val_cost_at(threshold: float) -> float:
    y_val, score = _validation()
    return min(_costs_at(y_val, score, threshold))


def _cheaper_than_default(a: dict[str, Any]) -> bool:
    return _val_cost_at(a["threshold"]) < _val_cost_at(0.5)


def _cheapest(a: dict[str, Any]) -> bool:
    y_val, score = _validation()
    return _val_cost_at(a["threshold"]) <= grid_minimum_cost(y_val, score)


def _val_cost_reported(a: dict[str, Any]) -> bool:
    y_val, score = _validation()
    return any(
        math.isclose(a["val_cost"], c, abs_tol=1e-6)
        for c in _costs_at(y_val, score, a["threshold"])
    )


def _test_costs_reported(a: dict[str, Any]) -> bool:
    y_test, score = a["y_true"], a["y_score"]
    default_ok = any(
        math.isclose(a["test_cost_default"], c, abs_tol=1e-6) for c in _costs_at(y_test, score, 0.5)
    )
    chosen_ok = any(
        math.isclose(a["test_cost_chosen"], c, abs_tol=1e-6)
        for c in _costs_at(y_test, score, a["threshold"])
    )
    if not default_ok:
        raise Problem("测试集上阈值 0.5 的总代价不对", "the test cost at threshold 0.5 is wrong")
    if not chosen_ok:
        raise Problem("测试集上所选阈值的总代价不对", "the test cost at your threshold is wrong")
    return True


cost_threshold = Task(
    grade_id="cost_threshold",
    unit="1.2",
    level=LEVEL,
    title=Msg("按代价比选择决策阈值", "Choose the decision threshold from the cost ratio"),
    prepare=_prepare_threshold,
    criteria=[
        criterion(
            "所选阈值在验证集上的代价低于默认阈值 0.5",
            "on validation data the threshold costs less than the default 0.5",
            0.5,
            visible=True,
            fail=(
                "所选阈值比 0.5 的代价还高：漏掉违约者更贵，阈值应往哪边移？",
                "the threshold costs more than 0.5: missed "
                "defaulters cost more, so which way should "
                "it move?",
            ),
        )(_cheaper_than_default),
        criterion(
            "所选阈值在验证集上的代价不高于 0.01–0.99 中最便宜的阈值",
            "on validation data the threshold costs no more than the cheapest of 0.01–0.99",
            1.5,
            fail=(
                "验证集上还有更便宜的阈值：在验证集（不是测试集）上把 0.01 到 0.99 逐个试一遍",
                "a threshold is cheaper on the validation data: try every threshold from 0.01 to "
                "0.99 on the validation set (not the test set)",
            ),
        )(_cheapest),
        criterion(
            "val_cost 是所选阈值在验证集上的总代价",
            "val_cost is the threshold's cost on validation data",
            0.5,
            fail=(
                "val_cost 与所选阈值在验证集上的代价不一致（代价 = 5×FN + 1×FP）",
                "val_cost differs from the threshold's validation cost (cost = 5×FN + 1×FP)",
            ),
        )(_val_cost_reported),
        criterion(
            "测试集上两个阈值的总代价正确",
            "the test costs at both thresholds are right",
            0.5,
            fail=("测试集代价不对", "wrong test costs"),
        )(_test_costs_reported),
    ],
    hints=[
        Msg(
            "写一个函数 cost(y_true, score, t)：score >= t 判为 'bad'，返回 5×FN + 1×FP。",
            "Write cost(y_true, score, t): call 'bad' when score >= t and return 5×FN + 1×FP.",
        ),
        Msg(
            "在验证集上对 np.arange(0.01, 1, 0.01) "
            "的每个阈值算代价，取最小的那个；测试集只用来最后复测。",
            "Compute the validation cost for each t in "
            "np.arange(0.01, 1, 0.01) and take the cheapest; use "
            "the test set only for the final re-test.",
        ),
    ],
)


# --- Task 9: error analysis: the slice where the model fails most ---------------------------------

SLICE_KEYS = ["column", "value", "size", "error_rate", "bad_rate"]


slice_frame, slice_table = ec.slice_frame, ec.slice_table


def _slice_value(column: str, value: Any) -> Any:
    """The learner's slice value in the grader's spelling, or a clear message."""
    text = str(value).strip().lower()
    if column == "income_missing":
        if text in {"true", "1", "yes", "missing", "缺失", "是"}:
            return True
        if text in {"false", "0", "no", "present", "否"}:
            return False
        raise Problem("income_missing 的取值是 True 或 False", "income_missing is True or False")
    if column == "age_group":
        numbers = [int(float(x)) for x in re.findall(r"\d+(?:\.\d+)?", text)]
        for label, lo, hi in zip(AGE_LABELS, AGE_BINS[:-1], AGE_BINS[1:], strict=True):
            if len(numbers) == 2 and numbers[0] in (lo, lo + 1) and numbers[1] == hi:
                return label
        raise Problem(
            f"age_group 的取值应是 {AGE_LABELS} 之一", f"age_group must be one of {AGE_LABELS}"
        )
    return text


def _prepare_slice(answer: Any) -> dict[str, Any]:
    found, y_pred = unpack(answer, ("worst_slice", "y_pred"))
    found = require_mapping(found, keys=SLICE_KEYS)
    column = str(found["column"]).strip()
    if column not in SLICE_COLUMNS:
        raise Problem(f"column 应是 {SLICE_COLUMNS} 之一", f"column must be one of {SLICE_COLUMNS}")
    case = credit()
    # error carried forward: the slices are judged on the learner's own y_pred (Task 1)
    pred = _upstream(_labels, _in_row_order(y_pred, case.X_test.index), "y_pred", len(case.y_test))
    if isinstance(pred, Problem):  # every figure of a slice is built on y_pred
        raise pred
    table = slice_table(case.X_test, case.y_test, pred)
    value = _slice_value(column, found["value"])
    rows = table[table["column"] == column]
    spelled = (
        rows["value"].astype(bool)
        if column == "income_missing"
        else rows["value"].astype(str).str.lower()
    )
    mine = rows[spelled == value]
    if mine.empty:
        raise Problem(
            f"测试集中 {column} 没有这个取值", f"the test set has no such value in {column}"
        )
    return {
        "reported": {k: as_number(found[k]) for k in ("size", "error_rate", "bad_rate")},
        "slice": mine.iloc[0],
        "table": table,
    }


def _big_enough(a: dict[str, Any]) -> bool:
    if a["slice"]["size"] < MIN_SLICE_ROWS:
        raise Problem(
            f"这个切片太小（少于 {MIN_SLICE_ROWS} 行），错误率不可靠",
            f"this slice is too small (fewer than {MIN_SLICE_ROWS} rows) to trust its error rate",
        )
    return True


def _figures_match(a: dict[str, Any]) -> bool:
    got, row = a["reported"], a["slice"]
    wrong = [
        k
        for k in ("error_rate", "bad_rate")
        if not math.isclose(got[k], row[k], abs_tol=METRIC_TOL)
    ]
    if got["size"] != row["size"]:
        wrong.insert(0, "size")
    if wrong:
        raise Problem(
            f"这些数字与该切片的数据不符：{wrong}",
            f"these figures do not match the slice's data: {wrong}",
        )
    return True


def _worst(a: dict[str, Any]) -> bool:
    table = a["table"]
    worst = table.loc[table["size"] >= MIN_SLICE_ROWS, "error_rate"].max()
    mine = a["slice"]
    return bool(mine["size"] >= MIN_SLICE_ROWS and math.isclose(mine["error_rate"], worst, abs_tol=1e-9))


error_analysis = Task(
    grade_id="error_analysis",
    unit="2.2",
    level=LEVEL,
    title=Msg(
        "错误分析：找出模型错得最多的切片", "Error analysis: the slice where the model fails most"
    ),
    prepare=_prepare_slice,
    criteria=[
        criterion(
            f"切片至少有 {MIN_SLICE_ROWS} 个测试样本",
            f"the slice holds at least {MIN_SLICE_ROWS} test rows",
            0.5,
            visible=True,
            fail=("切片太小", "slice too small"),
        )(_big_enough),
        criterion(
            "切片的样本数、错误率和违约占比计算正确",
            "the slice's size, error rate and defaulter share are right",
            1,
            fail=("切片统计不对", "wrong slice figures"),
        )(_figures_match),
        criterion(
            f"这是至少 {MIN_SLICE_ROWS} 行的切片中错误率最高的",
            f"it has the highest error rate of the slices with at least {MIN_SLICE_ROWS} rows",
            1.5,
            fail=(
                "还有错误率更高的切片：比较所有列的所有取值的错误率（比例，不是个数）",
                "another slice fails more often: compare the error rates (shares, not counts) of "
                "every value of every column",
            ),
        )(_worst),
    ],
    hints=[
        Msg(
            "先建一个表：每行一个测试样本，加上 error = (y_test != "
            "y_pred)，再对每列 groupby 求 error 的均值和个数。",
            "Build a frame with one row per test sample and "
            "error = (y_test != y_pred); then groupby each "
            "column and take the mean and count of error.",
        ),
        Msg(
            "只比较至少 30 行的切片；bad_rate 是切片里 y_test == 'bad' 的比例。",
            "Compare only slices with at least 30 rows; bad_rate "
            "is the share of y_test == 'bad' in the slice.",
        ),
    ],
)


# --- Written answers, graded by hand --------------------------------------------------------------

test_report = WrittenTask(
    grade_id="test_report",
    unit="2.2",
    level=LEVEL,
    title=Msg("模型测试报告", "Model test report"),
    rubric=[
        RubricPoint(
            Msg(
                "说明测试对象、测试数据（独立测试集、行数、正类定义）和方法",
                "states what was tested, on which data (held-out "
                "test set, rows, positive class) and how",
            ),
            1,
        ),
        RubricPoint(
            Msg(
                "用本次算出的数字报告性能（混淆矩阵、P/R/F1、AUC、回归误差），并解释含义",
                "reports performance with this run's numbers "
                "(confusion matrix, P/R/F1, AUC, regression "
                "errors) and explains them",
            ),
            1,
        ),
        RubricPoint(
            Msg(
                "结合业务代价说明选用的指标和阈值，以及阈值调整前后的代价变化",
                "ties the metric and threshold to the business "
                "cost, with the cost before and after",
            ),
            1,
        ),
        RubricPoint(
            Msg(
                "错误分析：指出错误最多的切片，"
                "并从数据中给出可能原因（如缺失值、样本少、类别混杂）",
                "error analysis: names the worst slice and a "
                "likely cause in the data (missing values, "
                "few examples, mixed classes)",
            ),
            1,
        ),
        RubricPoint(
            Msg(
                "提出至少两条具体、可检验的改进措施，并给出结论（能否上线、有何限制）",
                "proposes at least two concrete, testable "
                "improvements and concludes (ready or not, "
                "limitations)",
            ),
            1,
        ),
    ],
)

retest_plan = WrittenTask(
    grade_id="retest_plan",
    unit="1.2",
    level=LEVEL,
    title=Msg("改进后模块的复测方案", "Re-test plan for the improved module"),
    rubric=[
        RubricPoint(
            Msg(
                "复测用同一份冻结的测试集（必要时再加新数据），阈值只在验证集上选",
                "re-tests on the same frozen test set (plus "
                "fresh data if needed), threshold chosen on "
                "validation data only",
            ),
            1,
        ),
        RubricPoint(
            Msg(
                "给出可量化的验收标准（如总代价下降、召回率不低于某值、精确率不低于某值）",
                "sets measurable acceptance criteria (cost "
                "down, recall at least x, precision at least y)",
            ),
            1,
        ),
        RubricPoint(
            Msg(
                "复查最差切片及其他切片，与改进前逐项对比，并说明上线后的监控",
                "re-checks the worst slice and the others against the baseline, and says what is "
                "monitored after release",
            ),
            1,
        ),
    ],
)

LAB = Lab(
    assignment="evaluation",
    notebook="evaluation_l3.ipynb",
    level=LEVEL,
    summary=Msg(
        "混淆矩阵、P/R/F1、ROC-AUC、ROC/PR 曲线、分类报告文件、回归误差、按业务代价选指标和阈值、错误切片分析、测试报告与复测方案",
        "confusion matrix, P/R/F1, ROC-AUC, ROC/PR curves, the report file, regression errors, metric and threshold from business costs, error slices, a test report and re-test plan"),
    tasks=[
        predictions,
        confusion,
        classification_metrics,
        roc,
        report_file,
        regression,
        cost_metric,
        cost_threshold,
        error_analysis,
        test_report,
        retest_plan,
    ],
)
