"""Checks for the L2 evaluation lab: a release gate for a new fraud screen (skill units 2.1 and 2.2).

The lab hands the learner an old and a new claims-fraud model and a frozen golden test set
(:mod:`trainerlab.datagen.claims_gate`). Every figure the learner reports is recomputed from the
learner's own scores of Task 1 (error carried forward: a wrong score costs points in Task 1; later
tasks are judged on it); what a statistic must be is derived from the data, never written here.
Reusable artefacts (the recalibration, the behaviour tests, the latency probe) are functions
defined in the notebook: the checks call them on their own probes — stand-in models and a
predictor whose delays are known — so a test that cannot fail, or a timer in the wrong unit, is
caught whatever the machine's speed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import binomtest
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, roc_auc_score

from graders.answers import as_number, require_answer, require_frame, require_mapping, unpack
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from trainerlab.datagen import claims_gate as cg
from trainerlab.variants import current_seed

LEVEL = "L2"
THRESHOLD = 0.5  # a claim with P(fraud) >= THRESHOLD goes to an investigator
#: The release gate on the golden test set: metric -> (direction, limit).
GATE: dict[str, tuple[str, float]] = {
    "recall": (">=", 0.70),
    "precision": (">=", 0.50),
    "fpr": ("<=", 0.25),
    "roc_auc": (">=", 0.80),
    "brier": ("<=", 0.17),
}
SLICE_COLUMNS = ["region", "channel", "age_band"]
ALPHA = 0.05  # significance level of the paired comparison
BOOT_RESAMPLES = 1000
BOOT_SEED = 2026
BOOT_LEVEL = 0.95
RELIABILITY_BINS = 10
INVARIANCE_TOL = 0.05  # the largest change of P(fraud) a gender swap may cause
#: The statements ask for figures to at least three decimals.
TOL = 0.0005 + 1e-9
#: Monte-Carlo band: a bootstrap of BOOT_RESAMPLES draws lies this many standard errors from the truth
#: at most (a fresh correct answer falls outside about 6 times in 100,000).
MC_Z = 4.0
REFERENCE_DRAWS = 200_000


def seed() -> int:
    """The seed of this notebook's data variant (``TRAINERLAB_SEED``, else the default)."""
    return current_seed()


def case() -> cg.GateCase:
    """The learner's own copy of this notebook's models under test and claims splits (set-up cell)."""
    return cg.case(seed())


def gate_case() -> cg.GateCase:
    """The case the checks grade against (same seed as the learner's set-up cell)."""
    return cg.cached_case(seed())


def obvious_cases() -> pd.DataFrame:
    """The minimum-functionality cases of the statement (their ``expected`` decision included)."""
    return cg.obvious_cases()


# --- Shared preconditions ----------------------------------------------------------------------


def _probabilities(value: Any, name: str, rows: pd.Index) -> np.ndarray:
    """One probability per golden row, in the golden set's row order (a Series by its labels)."""
    require_answer(value)
    if isinstance(value, pd.Series) and value.index.is_unique and value.index.isin(rows).all() \
            and len(value) == len(rows):
        value = value.reindex(rows)
    if isinstance(value, (str, bytes, Mapping)):
        raise Problem(f"{name} 应是一列概率（数组、列表或 Series）",
                      f"{name} must be a column of probabilities (array, list or Series)")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Problem(f"{name} 应是数值（概率）", f"{name} must hold numbers (probabilities)") from None
    if array.ndim != 1 or len(array) != len(rows):
        raise Problem(f"{name} 应是一维的，每个黄金测试样本一个值（{len(rows)} 个）",
                      f"{name} must be one-dimensional, one value per golden row ({len(rows)})")
    if not np.isfinite(array).all() or array.min() < 0 or array.max() > 1:
        raise Problem(f"{name} 应是 0 到 1 之间的概率", f"{name} must be probabilities between 0 and 1")
    return array


def _golden_scores(value: Any, name: str = "score_new") -> np.ndarray | Problem:
    """The learner's Task 1 scores for a later task, or the problem naming Task 1 to fix."""
    try:
        return _probabilities(value, name, gate_case().X_golden.index)
    except Problem:
        return fix_first("任务 1", "Task 1")


class _Parts(dict):
    """A prepared answer whose unreadable upstream part is kept as the :class:`Problem` naming the
    task to fix: only the criteria that read it lose their points (error carried forward)."""

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        if isinstance(value, Problem):
            raise value
        return value


def _truth() -> np.ndarray:
    return gate_case().y_golden.to_numpy().astype(int)


def _close(got: Any, expected: float, tol: float = TOL) -> bool:
    return math.isclose(as_number(got), expected, abs_tol=tol)


def _call(fn: Callable[..., Any], *args: Any) -> Any:
    """Call a learner's function; its own error becomes a clear problem, never a crash."""
    try:
        return fn(*args)
    except Exception as exc:  # the learner's code may raise anything
        raise Problem(f"调用你的函数时出错：{type(exc).__name__}: {str(exc)[:120]}",
                      f"calling your function raised {type(exc).__name__}: {str(exc)[:120]}") from None


def _require_function(value: Any, name: str) -> Callable[..., Any]:
    require_answer(value)
    if not callable(value):
        raise Problem(f"{name} 应是在笔记本中定义的函数", f"{name} must be a function defined in the notebook")
    return value


# --- Reference statistics (the grader's own, from the learner's scores) ---------------------------


def decisions(score: np.ndarray) -> np.ndarray:
    """1 where a claim goes to an investigator (``score >= THRESHOLD``)."""
    return (np.asarray(score, dtype=float) >= THRESHOLD).astype(int)


def gate_metrics(y: np.ndarray, score: np.ndarray) -> dict[str, float]:
    """The five gate metrics of ``score`` on labels ``y`` (recall, precision, FPR at THRESHOLD)."""
    flagged = decisions(score).astype(bool)
    fraud = np.asarray(y).astype(bool)
    return {
        "recall": float((flagged & fraud).sum() / fraud.sum()),
        "precision": float((flagged & fraud).sum() / max(flagged.sum(), 1)),
        "fpr": float((flagged & ~fraud).sum() / (~fraud).sum()),
        "roc_auc": float(roc_auc_score(fraud, score)),
        "brier": float(brier_score_loss(fraud, score)),
    }


def passes(metric: str, value: float) -> bool:
    """Whether ``value`` of ``metric`` meets the gate (``>=`` or ``<=`` its limit)."""
    direction, limit = GATE[metric]
    return value >= limit if direction == ">=" else value <= limit


# --- Task 1: the gate on the golden test set --------------------------------------------------------

GATE_COLUMNS = ["value", "limit", "passed"]


def _prepare_gate(answer: Any) -> dict[str, Any]:
    table, release_ok, score = unpack(answer, ("gate_table", "release_ok", "score_new"))
    table = require_frame(table, columns=GATE_COLUMNS)
    table = table.set_axis([str(i).strip().lower() for i in table.index], axis=0)
    missing = [m for m in GATE if m not in table.index]
    if missing:
        raise Problem(f"gate_table 缺少这些指标的行：{missing}", f"gate_table has no row for: {missing}")
    if not isinstance(release_ok, (bool, np.bool_)):
        raise Problem("release_ok 应是 True 或 False", "release_ok must be True or False")
    values = {m: as_number(table.loc[m, "value"]) for m in GATE}
    passed = {}
    for m in GATE:
        flag = table.loc[m, "passed"]
        if not isinstance(flag, (bool, np.bool_)):
            raise Problem("passed 列应是 True/False", "the passed column must hold True/False")
        passed[m] = bool(flag)
    score = _probabilities(score, "score_new", gate_case().X_golden.index)
    limits = {m: as_number(table.loc[m, "limit"]) for m in GATE}
    return {"values": values, "limits": limits, "passed": passed, "release_ok": bool(release_ok),
            "score": score}


def _scores_are_the_new_models(a: dict[str, Any]) -> bool:
    case = gate_case()
    expected = case.new_model.predict_proba(case.X_golden)[:, 1]
    if np.allclose(a["score"], expected, atol=1e-6):
        return True
    if np.allclose(a["score"], 1 - expected, atol=1e-6):
        raise Problem("score_new 是“不是欺诈”的概率：取 predict_proba 中类别 1 那一列",
                      "score_new is the probability of 'not fraud': take predict_proba's column of class 1")
    raise Problem("score_new 不是新模型在黄金测试集每一行上的欺诈概率",
                  "score_new is not the new model's fraud probability for each golden row")


def _gate_values_right(a: dict[str, Any]) -> bool:
    expected = gate_metrics(_truth(), a["score"])
    wrong = [m for m in GATE if not _close(a["values"][m], expected[m])]
    if wrong:
        raise Problem(f"这些指标的值与 score_new 不一致（阈值 {THRESHOLD}，正类 1）：{wrong}",
                      f"these values do not match score_new (threshold {THRESHOLD}, positive class 1): "
                      f"{wrong}")
    return True


def _verdicts_right(a: dict[str, Any]) -> bool:
    wrong_limits = [m for m in GATE if not _close(a["limits"][m], GATE[m][1], 1e-9)]
    if wrong_limits:
        raise Problem(f"limit 列应是 GATE 中的门槛：{wrong_limits}",
                      f"the limit column must hold GATE's limits: {wrong_limits}")
    wrong = [m for m in GATE if a["passed"][m] != passes(m, a["values"][m])]
    if wrong:
        raise Problem(f"这些指标的通过判断与它的值和门槛方向（>= 或 <=）不符：{wrong}",
                      f"these verdicts do not follow from the value and the limit's direction (>= or "
                      f"<=): {wrong}")
    return True


gate = Task(
    grade_id="gate_table",
    unit="2.1",
    level=LEVEL,
    title=Msg("黄金测试集上的验收门槛", "Acceptance thresholds on the golden test set"),
    prepare=_prepare_gate,
    criteria=[
        criterion("score_new 是新模型在黄金测试集上的欺诈概率",
                  "score_new is the new model's fraud probability on the golden set", 1, visible=True,
                  fail=("score_new 不对", "wrong score_new"))(_scores_are_the_new_models),
        criterion("五个指标的值正确", "the five metric values are right", 2,
                  fail=("指标值不对", "wrong metric values"))(_gate_values_right),
        criterion("每个指标的门槛和是否通过正确（注意方向）",
                  "each metric's limit and verdict are right (mind the direction)", 1.5,
                  fail=("通过判断不对", "wrong verdicts"))(_verdicts_right),
        criterion("release_ok 仅当所有指标都通过时为 True",
                  "release_ok is True only when every metric passes", 0.5,
                  fail=("release_ok 与各指标的判断不一致", "release_ok does not follow from the verdicts"))(
            lambda a: a["release_ok"] == all(a["passed"].values())),
    ],
    hints=[
        Msg("score_new = new_model.predict_proba(X_golden)[:, 1]；召回率、精确率和 FPR 用 score_new >= THRESHOLD 的判定。",
            "score_new = new_model.predict_proba(X_golden)[:, 1]; recall, precision and FPR use the "
            "decisions score_new >= THRESHOLD."),
        Msg("Brier 和 FPR 越低越好（<=），其余越高越好（>=）：GATE[指标] = (方向, 门槛)。",
            "Brier and FPR are better when lower (<=), the others when higher (>=): GATE[metric] = "
            "(direction, limit)."),
    ],
)


# --- Task 2: slices and fairness gaps ---------------------------------------------------------------

SLICE_TABLE_COLUMNS = ["column", "value", "n", "recall", "fpr"]


def reference_slices(score: np.ndarray) -> pd.DataFrame:
    """n, recall and FPR of every slice (one value of one slicing column) at THRESHOLD."""
    X, y = gate_case().X_golden, _truth().astype(bool)
    flagged = decisions(score).astype(bool)
    rows = []
    for column in SLICE_COLUMNS:
        for value in sorted(X[column].astype(str).unique()):
            mask = (X[column].astype(str) == value).to_numpy()
            rows.append({"column": column, "value": value, "n": int(mask.sum()),
                         "recall": (flagged & y & mask).sum() / (y & mask).sum(),
                         "fpr": (flagged & ~y & mask).sum() / (~y & mask).sum()})
    return pd.DataFrame(rows)


def _slice_key(column: Any, value: Any) -> tuple[str, str]:
    return str(column).strip(), str(value).strip()


def _prepare_slices(answer: Any) -> dict[str, Any]:
    table, largest, failing, score = unpack(
        answer, ("slice_table", "largest_gap", "failing_slices", "score_new"))
    table = require_frame(table, columns=SLICE_TABLE_COLUMNS)
    largest = require_mapping(largest, keys=["column", "gap"])
    if isinstance(failing, (str, bytes, Mapping)) or not hasattr(failing, "__iter__"):
        raise Problem("failing_slices 应是 (列, 取值) 对的列表", "failing_slices must be a list of (column, value) pairs")
    pairs = set()
    for item in failing:
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise Problem("failing_slices 的每一项应是 (列, 取值)", "each item of failing_slices must be (column, value)")
        pairs.add(_slice_key(*item))
    mine = {_slice_key(r["column"], r["value"]): r for r in table.to_dict("records")}
    return _Parts(table=mine, largest=(str(largest["column"]).strip(), as_number(largest["gap"])),
                  failing=pairs, score=_golden_scores(score))


def _slice_figures_right(a: dict[str, Any]) -> bool:
    expected = reference_slices(a["score"])
    keys = {_slice_key(c, v) for c, v in zip(expected["column"], expected["value"], strict=True)}
    if set(a["table"]) != keys:
        raise Problem("slice_table 应恰好有 region、channel、age_band 每个取值一行",
                      "slice_table must hold exactly one row per value of region, channel and age_band")
    wrong = []
    for row in expected.to_dict("records"):
        got = a["table"][_slice_key(row["column"], row["value"])]
        if as_number(got["n"]) != row["n"] or not _close(got["recall"], row["recall"]) \
                or not _close(got["fpr"], row["fpr"]):
            wrong.append(f"{row['column']}={row['value']}")
    if wrong:
        raise Problem(f"这些切片的 n、召回率或 FPR 不对（分母是切片内的欺诈/正常样本）：{wrong[:4]}",
                      f"these slices have a wrong n, recall or FPR (the denominators are the slice's own "
                      f"fraud / honest claims): {wrong[:4]}")
    return True


def _gaps(table: dict[tuple[str, str], Mapping[str, Any]]) -> dict[str, float]:
    recalls: dict[str, list[float]] = {}
    for (column, _), row in table.items():
        recalls.setdefault(column, []).append(as_number(row["recall"]))
    return {column: max(r) - min(r) for column, r in recalls.items()}


def _largest_gap_right(a: dict[str, Any]) -> bool:
    gaps = _gaps(a["table"])  # judged on the learner's own slice figures
    column, gap = a["largest"]
    if column not in gaps or not _close(gap, gaps[column]):
        raise Problem("gap 应是该列各取值召回率的最大值减最小值",
                      "the gap is the largest minus the smallest recall over the column's values")
    return gaps[column] >= max(gaps.values()) - 1e-12


def _failing_right(a: dict[str, Any]) -> bool:
    expected = {key for key, row in a["table"].items()
                if not passes("recall", as_number(row["recall"])) or not passes("fpr", as_number(row["fpr"]))}
    if a["failing"] == expected:
        return True
    raise Problem("failing_slices 应是召回率低于门槛或 FPR 高于门槛的所有切片",
                  "failing_slices holds every slice whose recall is below its limit or whose FPR is above it")


slices = Task(
    grade_id="slice_gaps",
    unit="2.1",
    level=LEVEL,
    title=Msg("切片与公平性差距", "Slice and fairness gaps"),
    prepare=_prepare_slices,
    criteria=[
        criterion("每个切片的样本数、召回率和 FPR 正确", "each slice's n, recall and FPR are right", 2,
                  visible=True, fail=("切片统计不对", "wrong slice figures"))(_slice_figures_right),
        criterion("找出召回率差距最大的列及其差距", "the column with the largest recall gap, and the gap", 1.5,
                  fail=("还有召回率差距更大的列：比较各列召回率的最大值减最小值",
                        "another column has a larger recall gap: compare max minus min recall per column"))(
            _largest_gap_right),
        criterion("未通过门槛的切片（召回率或 FPR）正确", "the slices failing the gate (recall or FPR) are right",
                  1.5, fail=("未通过的切片不对", "wrong failing slices"))(_failing_right),
    ],
    hints=[
        Msg("对每个切片：recall = 切片中被判为欺诈的欺诈样本 / 切片中的欺诈样本；FPR 的分母是切片中的正常样本。",
            "Per slice: recall = flagged fraud in the slice / fraud in the slice; the FPR's denominator is the "
            "slice's honest claims."),
        Msg("一个切片只要召回率 < GATE['recall'] 或 FPR > GATE['fpr'] 就未通过。",
            "A slice fails when its recall < GATE['recall'] or its FPR > GATE['fpr']."),
    ],
)


# --- Task 3: calibration ----------------------------------------------------------------------------


def _prepare_calibration(answer: Any) -> dict[str, Any]:
    brier_before, reliability, recalibrate, score_recal, brier_after, score = unpack(
        answer, ("brier_before", "reliability", "recalibrate", "score_recal", "brier_after", "score_new"))
    reliability = require_frame(reliability, columns=["mean_predicted", "fraction_positive"])
    rows = gate_case().X_golden.index
    return _Parts(brier_before=as_number(brier_before), reliability=reliability,
                  recalibrate=_require_function(recalibrate, "recalibrate"),
                  score_recal=_probabilities(score_recal, "score_recal", rows),
                  brier_after=as_number(brier_after), score=_golden_scores(score))


def _brier_before_right(a: dict[str, Any]) -> bool:
    return _close(a["brier_before"], float(brier_score_loss(_truth(), a["score"])))


def _reliability_right(a: dict[str, Any]) -> bool:
    true, pred = calibration_curve(_truth(), a["score"], n_bins=RELIABILITY_BINS)
    table = a["reliability"][["mean_predicted", "fraction_positive"]].astype(float)
    if len(table) != len(true):
        raise Problem(f"应有 {RELIABILITY_BINS} 个等宽区间中非空的那些行",
                      f"expected one row per non-empty bin of {RELIABILITY_BINS} equal-width bins")
    flipped = table.sort_values("fraction_positive")
    if np.allclose(flipped["fraction_positive"], pred, atol=TOL) and np.allclose(flipped["mean_predicted"], true, atol=TOL):
        raise Problem("两列对调了：mean_predicted 是区间内的平均预测概率",
                      "the columns are swapped: mean_predicted is the mean predicted probability in a bin")
    got = table.sort_values("mean_predicted")
    return bool(np.allclose(got["mean_predicted"], pred, atol=TOL)
                and np.allclose(got["fraction_positive"], true, atol=TOL))


@lru_cache(maxsize=4)
def _calibration_scores(seed_: int) -> tuple[np.ndarray, np.ndarray]:
    case = cg.cached_case(seed_)
    return case.new_model.predict_proba(case.X_cal)[:, 1], case.y_cal.to_numpy().astype(int)


def overconfident_probe(n: int = 2000) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scores pushed away from the truth (``p**0.4``) with labels drawn from the true ``p``:
    (fit scores, fit labels, new scores, new labels); a recalibration must lower their Brier."""
    rng = np.random.default_rng(seed())
    p = rng.beta(1, 3, 2 * n)
    y = (rng.random(2 * n) < p).astype(int)
    s = p ** 0.4
    return s[:n], y[:n], s[n:], y[n:]


def _recalibrated(fn: Callable[..., Any], fit_s: np.ndarray, fit_y: np.ndarray, new_s: np.ndarray) -> np.ndarray:
    out = _call(fn, fit_s.copy(), fit_y.copy(), new_s.copy())
    try:
        out = np.asarray(out, dtype=float).ravel()
    except (TypeError, ValueError):
        raise Problem("recalibrate 应返回一列概率", "recalibrate must return a column of probabilities") from None
    if len(out) != len(new_s) or not np.isfinite(out).all() or out.min() < 0 or out.max() > 1:
        raise Problem("recalibrate 应为每个新分数返回一个 0–1 的概率",
                      "recalibrate must return one probability in 0–1 per new score")
    return out


def _recalibrates(a: dict[str, Any]) -> bool:
    fit_s, fit_y, new_s, new_y = overconfident_probe()
    out = _recalibrated(a["recalibrate"], fit_s, fit_y, new_s)
    if brier_score_loss(new_y, out) >= brier_score_loss(new_y, new_s) - 1e-4:
        raise Problem("在检查用的过度自信分数上，recalibrate 没有降低 Brier 分数（它真的用标签拟合了吗？）",
                      "on the check's over-confident scores recalibrate does not lower the Brier score "
                      "(does it fit on the labels?)")
    order = np.argsort(new_s, kind="stable")
    if (np.diff(out[order]) < -1e-9).any():
        raise Problem("重新校准应保持分数的排序（分数越高，校准后的概率不应越低）",
                      "recalibration must keep the scores' order (a higher score never gets a lower probability)")
    return True


def _fitted_on_calibration_split(a: dict[str, Any]) -> bool:
    cal_s, cal_y = _calibration_scores(seed())
    expected = _recalibrated(a["recalibrate"], cal_s, cal_y, a["score"])
    if not np.allclose(a["score_recal"], expected, atol=1e-6):
        raise Problem("score_recal 不是用校准集（X_cal、y_cal）拟合、再用于黄金测试集分数的结果",
                      "score_recal is not recalibrate fitted on the calibration split (X_cal, y_cal) and "
                      "applied to the golden scores")
    if not _close(a["brier_after"], float(brier_score_loss(_truth(), a["score_recal"]))):
        raise Problem("brier_after 不是 score_recal 在黄金测试集上的 Brier 分数",
                      "brier_after is not the Brier score of score_recal on the golden set")
    return True


calibration = Task(
    grade_id="calibration",
    unit="2.2",
    level=LEVEL,
    title=Msg("校准：Brier 分数、可靠性曲线与重新校准", "Calibration: Brier score, reliability curve, recalibration"),
    prepare=_prepare_calibration,
    criteria=[
        criterion("校准前的 Brier 分数正确", "the Brier score before is right", 1, visible=True,
                  fail=("brier_before 与 score_new 不一致（用概率，不用标签）",
                        "brier_before does not match score_new (use probabilities, not labels)"))(
            _brier_before_right),
        criterion("可靠性曲线的区间正确（10 个等宽区间）", "the reliability bins are right (10 equal-width bins)",
                  1.5, fail=("可靠性区间不对：用 10 个等宽区间（calibration_curve(..., n_bins=10)，strategy='uniform'）",
                             "wrong reliability bins: use 10 equal-width bins (calibration_curve(..., n_bins=10), "
                             "strategy='uniform')"))(_reliability_right),
        criterion("recalibrate 是一个真正的重新校准函数", "recalibrate really recalibrates", 1.5,
                  fail=("recalibrate 不对", "recalibrate is wrong"))(_recalibrates),
        criterion("只在校准集上拟合，brier_after 是黄金测试集上的结果",
                  "fitted on the calibration split only; brier_after is the golden-set result", 1,
                  fail=("score_recal 或 brier_after 不对", "wrong score_recal or brier_after"))(
            _fitted_on_calibration_split),
    ],
    hints=[
        Msg("recalibrate(cal_scores, cal_labels, scores)：例如用 LogisticRegression 在 cal_scores 上拟合（Platt 缩放）"
            "或 IsotonicRegression(out_of_bounds='clip')，再返回 scores 的校准概率。",
            "recalibrate(cal_scores, cal_labels, scores): fit e.g. a LogisticRegression on cal_scores (Platt "
            "scaling) or IsotonicRegression(out_of_bounds='clip'), then return calibrated probabilities of "
            "scores."),
        Msg("校准集分数是 new_model.predict_proba(X_cal)[:, 1]；黄金测试集只用来评估，绝不能用来拟合校准器。",
            "The calibration scores are new_model.predict_proba(X_cal)[:, 1]; the golden set only evaluates, "
            "it never fits the calibrator."),
    ],
)


# --- Task 4: bootstrap confidence interval ----------------------------------------------------------


@lru_cache(maxsize=8)
def _reference_boot(tp: int, fn: int, n: int) -> np.ndarray:
    """Recall over resamples of ``n`` rows with replacement, drawn as counts of (TP, FN, other)."""
    rng = np.random.default_rng(0)
    counts = rng.multinomial(n, [tp / n, fn / n, (n - tp - fn) / n], size=REFERENCE_DRAWS)
    positives = counts[:, 0] + counts[:, 1]
    return np.sort(counts[:, 0][positives > 0] / positives[positives > 0])


def reference_bootstrap(score: np.ndarray) -> np.ndarray:
    """The sorted bootstrap distribution of the recall of ``score`` (many draws, for the checks)."""
    y, flagged = _truth().astype(bool), decisions(score).astype(bool)
    return _reference_boot(int((y & flagged).sum()), int((y & ~flagged).sum()), len(y))


def _prepare_bootstrap(answer: Any) -> dict[str, Any]:
    boot, ci, score = unpack(answer, ("boot_recalls", "recall_ci", "score_new"))
    try:
        boot = np.asarray(boot, dtype=float).ravel()
    except (TypeError, ValueError):
        raise Problem("boot_recalls 应是一列数字", "boot_recalls must be a column of numbers") from None
    if isinstance(ci, Mapping) or not hasattr(ci, "__len__") or len(ci) != 2:
        raise Problem("recall_ci 应是 (下限, 上限)", "recall_ci must be (low, high)")
    low, high = (as_number(x) for x in ci)
    return _Parts(boot=boot, low=low, high=high, score=_golden_scores(score))


def _boot_shape(a: dict[str, Any]) -> bool:
    boot = a["boot"]
    if len(boot) != BOOT_RESAMPLES or not np.isfinite(boot).all() or boot.min() < 0 or boot.max() > 1:
        raise Problem(f"boot_recalls 应是 {BOOT_RESAMPLES} 个 0–1 的召回率",
                      f"boot_recalls must hold {BOOT_RESAMPLES} recalls in 0–1")
    if np.ptp(boot) == 0:
        raise Problem("所有重抽样的召回率都一样：是否忘了有放回抽样（replace=True）？",
                      "every resample gives the same recall: was it drawn with replacement (replace=True)?")
    return True


def _boot_distribution(a: dict[str, Any]) -> bool:
    ref, boot = reference_bootstrap(a["score"]), a["boot"]
    sd = float(ref.std())
    mean_ok = abs(boot.mean() - ref.mean()) <= MC_Z * sd / math.sqrt(BOOT_RESAMPLES)
    sd_ok = abs(boot.std() - sd) <= MC_Z * sd / math.sqrt(2 * (BOOT_RESAMPLES - 1))
    if mean_ok and sd_ok:
        return True
    raise Problem("重抽样分布不像对黄金测试集整行有放回抽样得到的：标签和分数要用同一组行号一起抽",
                  "the resamples do not look like whole golden rows drawn with replacement: draw the labels and "
                  "the scores with the same row numbers")


def _ci_from_own_boot(a: dict[str, Any]) -> bool:
    tail = (1 - BOOT_LEVEL) / 2
    boot = np.sort(a["boot"])
    ok = True
    for value, q in ((a["low"], tail), (a["high"], 1 - tail)):
        rank = q * (len(boot) - 1)
        lo, hi = boot[max(math.floor(rank) - 1, 0)], boot[min(math.ceil(rank) + 1, len(boot) - 1)]
        ok &= lo - TOL <= value <= hi + TOL
    if not ok:
        raise Problem(f"recall_ci 不是 boot_recalls 的 {tail:.1%} 和 {1 - tail:.1%} 分位数（np.percentile 的参数是百分数）",
                      f"recall_ci is not the {tail:.1%} and {1 - tail:.1%} percentiles of boot_recalls "
                      f"(np.percentile takes percents)")
    return True


def _ci_within_monte_carlo(a: dict[str, Any]) -> bool:
    ref, tail = reference_bootstrap(a["score"]), (1 - BOOT_LEVEL) / 2
    for value, q in ((a["low"], tail), (a["high"], 1 - tail)):
        band = MC_Z * math.sqrt(q * (1 - q) / BOOT_RESAMPLES)
        below = np.searchsorted(ref, value - TOL, side="left") / len(ref)
        upto = np.searchsorted(ref, value + TOL, side="right") / len(ref)
        if upto < q - band or below > q + band:
            return False
    return True


bootstrap = Task(
    grade_id="bootstrap_ci",
    unit="2.2",
    level=LEVEL,
    title=Msg("召回率的自助法置信区间", "Bootstrap confidence interval of the recall"),
    prepare=_prepare_bootstrap,
    criteria=[
        criterion(f"{BOOT_RESAMPLES} 个随重抽样变化的召回率", f"{BOOT_RESAMPLES} recalls that vary with the resample",
                  1, visible=True, fail=("boot_recalls 不对", "wrong boot_recalls"))(_boot_shape),
        criterion("重抽样的是黄金测试集的整行（有放回）", "whole golden rows are resampled with replacement", 1.5,
                  fail=("重抽样方法不对", "wrong resampling"))(_boot_distribution),
        criterion("区间是自己重抽样结果的百分位数", "the interval is the percentiles of your own resamples", 1,
                  fail=("区间不是百分位数", "the interval is not the percentiles"))(_ci_from_own_boot),
        criterion("区间在蒙特卡罗误差内与正确的百分位自助区间一致",
                  "the interval agrees with the right percentile bootstrap within Monte-Carlo error", 1.5,
                  fail=("区间与正确的自助区间不符：检查抽样（整行、有放回、样本量 = 黄金测试集行数）和分位数",
                        "the interval differs from the right bootstrap interval: check the resampling (whole "
                        "rows, with replacement, as many as the golden set) and the percentiles"))(
            _ci_within_monte_carlo),
    ],
    hints=[
        Msg("rng = np.random.default_rng(2026)；每次 idx = rng.integers(0, n, n)，用 y[idx] 和 flagged[idx] 算召回率。",
            "rng = np.random.default_rng(2026); each time idx = rng.integers(0, n, n), and the recall of y[idx] "
            "and flagged[idx]."),
        Msg("95% 区间 = np.percentile(boot_recalls, [2.5, 97.5])。",
            "The 95 % interval is np.percentile(boot_recalls, [2.5, 97.5])."),
    ],
)


# --- Task 5: paired comparison (McNemar) --------------------------------------------------------------

COMPARISON_KEYS = ["old_only", "new_only", "p_value", "better"]
VERDICTS = ("new", "old", "none")


def _prepare_comparison(answer: Any) -> dict[str, Any]:
    comparison, score_old, score_new = unpack(answer, ("comparison", "score_old", "score_new"))
    comparison = require_mapping(comparison, keys=COMPARISON_KEYS)
    better = str(comparison["better"]).strip().lower()
    if better not in VERDICTS:
        raise Problem(f"better 应是 {list(VERDICTS)} 之一", f"better must be one of {list(VERDICTS)}")
    rows = gate_case().X_golden.index
    return _Parts(old_only=as_number(comparison["old_only"]), new_only=as_number(comparison["new_only"]),
                  p_value=as_number(comparison["p_value"]), better=better,
                  score_old=_probabilities(score_old, "score_old", rows), score_new=_golden_scores(score_new))


def discordant(score_old: np.ndarray, score_new: np.ndarray) -> tuple[int, int]:
    """(claims only the old model decides right, claims only the new model decides right)."""
    y = _truth()
    old_right, new_right = decisions(score_old) == y, decisions(score_new) == y
    return int((old_right & ~new_right).sum()), int((~old_right & new_right).sum())


def exact_mcnemar(b: float, c: float) -> float:
    """The exact McNemar p-value: a two-sided binomial test of ``b`` among ``b + c`` at 1/2."""
    b, c = int(round(b)), int(round(c))
    return 1.0 if b + c == 0 else float(binomtest(b, b + c, 0.5).pvalue)


def _old_scores_right(a: dict[str, Any]) -> bool:
    case = gate_case()
    return bool(np.allclose(a["score_old"], case.old_model.predict_proba(case.X_golden)[:, 1], atol=1e-6))


def _counts_right(a: dict[str, Any]) -> bool:
    b, c = discordant(a["score_old"], a["score_new"])
    if (a["old_only"], a["new_only"]) == (b, c):
        return True
    if (a["old_only"], a["new_only"]) == (c, b):
        raise Problem("old_only 和 new_only 对调了", "old_only and new_only are swapped")
    raise Problem("不一致的计数不对：按“判对/判错”配对，而不是按预测标签配对",
                  "wrong discordant counts: pair the claims by right/wrong, not by the predicted labels")


def _p_value_right(a: dict[str, Any]) -> bool:
    return _close(a["p_value"], exact_mcnemar(a["old_only"], a["new_only"]), 1e-6 + 1e-6 * a["p_value"])


def _decision_right(a: dict[str, Any]) -> bool:
    if a["p_value"] >= ALPHA:
        return a["better"] == "none"
    return a["better"] == ("new" if a["new_only"] > a["old_only"] else "old")


comparison = Task(
    grade_id="paired_comparison",
    unit="2.2",
    level=LEVEL,
    title=Msg("新旧模型的配对比较（McNemar）", "Paired comparison of the old and new model (McNemar)"),
    prepare=_prepare_comparison,
    criteria=[
        criterion("score_old 是旧模型在黄金测试集上的欺诈概率",
                  "score_old is the old model's fraud probability on the golden set", 1, visible=True,
                  fail=("score_old 不对", "wrong score_old"))(_old_scores_right),
        criterion("两个不一致计数正确", "the two discordant counts are right", 1.5,
                  fail=("不一致计数不对", "wrong discordant counts"))(_counts_right),
        criterion("p 值是这两个计数的精确 McNemar 检验", "the p-value is the exact McNemar test of the counts", 1.5,
                  fail=("p 值不对：用配对的 McNemar 精确检验（mcnemar(table, exact=True)），不要用两样本比例检验",
                        "wrong p-value: use the paired exact McNemar test (mcnemar(table, exact=True)), not a "
                        "two-sample test of proportions"))(_p_value_right),
        criterion(f"结论与 p 值（α = {ALPHA}）和计数一致", f"the decision follows from the p-value (α = {ALPHA}) "
                  "and the counts", 1, fail=("结论不对：p ≥ α 时没有显著差异；显著时看哪边判对的多",
                                             "wrong decision: no significant difference when p ≥ α; when "
                                             "significant, the model right more often wins"))(_decision_right),
    ],
    hints=[
        Msg("old_right = (score_old >= THRESHOLD) == y_golden，new_right 同理；table = [[都对, 只有旧的对], [只有新的对, 都错]]。",
            "old_right = (score_old >= THRESHOLD) == y_golden, likewise new_right; table = [[both right, old only], "
            "[new only, both wrong]]."),
        Msg("mcnemar(table, exact=True).pvalue 只用到两个不一致的格子。",
            "mcnemar(table, exact=True).pvalue uses only the two discordant cells."),
    ],
)


# --- Task 6: behaviour tests --------------------------------------------------------------------------


class ProbeModel:
    """A stand-in model with a known rule: ``P(fraud) = sigmoid(base + Σ weight × feature)``.

    Features: the numeric columns, ``male`` (``gender == "M"``) and ``dip`` (``prior_claims == 2``,
    a rule that is not monotone). The checks hand these to a learner's behaviour test, whose right
    verdict the reference tests below give.
    """

    classes_ = np.array([0, 1])

    def __init__(self, base: float, **weights: float) -> None:
        self.base, self.weights = base, weights

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Columns: P(not fraud), P(fraud)."""
        X = pd.DataFrame(X)
        prior = X["prior_claims"].to_numpy(dtype=float)
        features = {"male": X["gender"].to_numpy(dtype=object) == "M", "dip": prior == 2, "prior_claims": prior,
                    "log_amount": np.log(X["claim_amount"].to_numpy(dtype=float)),
                    "report_delay_days": X["report_delay_days"].to_numpy(dtype=float)}
        z = np.full(len(X), self.base, dtype=float)
        for name, weight in self.weights.items():
            z += weight * features[name].astype(float)
        p = 1 / (1 + np.exp(-z))
        return np.column_stack([1 - p, p])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """1 where P(fraud) >= 0.5."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


def _fraud(model: Any, X: pd.DataFrame) -> np.ndarray:
    return np.asarray(model.predict_proba(X))[:, 1]


def reference_invariance(model: Any, rows: pd.DataFrame) -> bool:
    """Swapping F and M never moves P(fraud) by more than INVARIANCE_TOL."""
    swapped = rows.assign(gender=rows["gender"].map({"F": "M", "M": "F"}))
    return bool(np.abs(_fraud(model, swapped) - _fraud(model, rows)).max() <= INVARIANCE_TOL)


def reference_directional(model: Any, rows: pd.DataFrame) -> bool:
    """One more prior claim never lowers P(fraud)."""
    more = rows.assign(prior_claims=rows["prior_claims"] + 1)
    return bool((_fraud(model, more) >= _fraud(model, rows) - 1e-12).all())


def reference_mft(model: Any, cases: pd.DataFrame) -> bool:
    """Every obvious case gets its expected decision at THRESHOLD."""
    return bool((decisions(_fraud(model, cases.drop(columns="expected"))) == cases["expected"].to_numpy()).all())


BEHAVIOURS = {
    "invariance": ("invariance_test", reference_invariance),
    "directional": ("directional_test", reference_directional),
    "mft": ("mft_test", reference_mft),
}


def probes(kind: str) -> list[ProbeModel]:
    """The stand-in models a behaviour test of ``kind`` is tried on: some pass it, some do not."""
    steady = dict(log_amount=1.2, prior_claims=0.8, report_delay_days=0.15)
    if kind == "invariance":
        return [ProbeModel(-11.0, **steady), ProbeModel(-11.0, male=0.6, **steady),
                ProbeModel(-11.0, male=0.05, **steady)]
    if kind == "directional":
        return [ProbeModel(-11.0, **steady), ProbeModel(-11.0, **{**steady, "prior_claims": -0.8}),
                ProbeModel(-11.0, dip=-3.0, **steady)]
    return [ProbeModel(-11.0, **steady), ProbeModel(-5.0), ProbeModel(5.0)]


def _probe_rows(kind: str) -> pd.DataFrame:
    if kind == "mft":
        return obvious_cases()
    return gate_case().X_golden.iloc[:200]


def _prepare_behaviour(answer: Any) -> dict[str, Any]:
    invariance, directional, mft, verdicts = unpack(
        answer, ("invariance_test", "directional_test", "mft_test", "behaviour"))
    verdicts = require_mapping(verdicts, keys=list(BEHAVIOURS))
    for key in BEHAVIOURS:
        if not isinstance(verdicts[key], (bool, np.bool_)):
            raise Problem("behaviour 的值应是 True 或 False", "the values of behaviour must be True or False")
    return {"invariance": _require_function(invariance, "invariance_test"),
            "directional": _require_function(directional, "directional_test"),
            "mft": _require_function(mft, "mft_test"), "verdicts": {k: bool(verdicts[k]) for k in BEHAVIOURS}}


def _behaviour_test_works(kind: str) -> Callable[[dict[str, Any]], bool]:
    name, reference = BEHAVIOURS[kind]

    def works(a: dict[str, Any]) -> bool:
        rows = _probe_rows(kind)
        for model in probes(kind):
            verdict = _call(a[kind], model, rows.copy())
            if not isinstance(verdict, (bool, np.bool_)):
                raise Problem(f"{name} 应返回 True 或 False", f"{name} must return True or False")
            if bool(verdict) != reference(model, rows.copy()):
                raise Problem(f"检查用的替身模型中，{name} 对其中一个判断错了（一个永远通过的测试也会被发现）",
                              f"{name} misjudges one of the check's stand-in models (a test that can never fail "
                              "is caught too)")
        return True

    return works


def _verdicts_on_new_model(a: dict[str, Any]) -> bool:
    case = gate_case()
    expected = {"invariance": reference_invariance(case.new_model, case.X_golden.copy()),
                "directional": reference_directional(case.new_model, case.X_golden.copy()),
                "mft": reference_mft(case.new_model, obvious_cases())}
    wrong = [k for k in BEHAVIOURS if a["verdicts"][k] != expected[k]]
    if wrong:
        raise Problem(f"新模型的这些行为测试结论不对：{wrong}", f"these verdicts on the new model are wrong: {wrong}")
    return True


behaviour = Task(
    grade_id="behaviour_tests",
    unit="2.2",
    level=LEVEL,
    title=Msg("行为测试：不变性、方向性与最低功能", "Behaviour tests: invariance, directional, minimum functionality"),
    prepare=_prepare_behaviour,
    criteria=[
        criterion("invariance_test 对检查用的模型判断正确", "invariance_test judges the check's models right", 1.5,
                  fail=("invariance_test 不对", "invariance_test is wrong"))(_behaviour_test_works("invariance")),
        criterion("directional_test 对检查用的模型判断正确", "directional_test judges the check's models right", 1.5,
                  fail=("directional_test 不对", "directional_test is wrong"))(_behaviour_test_works("directional")),
        criterion("mft_test 对检查用的模型判断正确", "mft_test judges the check's models right", 1.5,
                  visible=True, fail=("mft_test 不对", "mft_test is wrong"))(_behaviour_test_works("mft")),
        criterion("三个测试在新模型上的结论正确", "the three verdicts on the new model are right", 1.5,
                  fail=("新模型的结论不对", "wrong verdicts on the new model"))(_verdicts_on_new_model),
    ],
    hints=[
        Msg("先复制：changed = rows.copy()，只改 changed 的一列，再比较两次 predict_proba 的第 1 列；"
            "changed = rows 不是复制，两次预测会完全一样。",
            "Copy first: changed = rows.copy(), change one column of changed only, then compare the two "
            "predict_proba columns 1; changed = rows is no copy, and both predictions come out the same."),
        Msg("方向性要求每一行都不降低（不是平均值）；最低功能要求每个用例都判对（all，不是 any）。",
            "Directional: no row may go down (not the mean); minimum functionality: every case right (all, not "
            "any)."),
    ],
)


# --- Task 7: latency and throughput -------------------------------------------------------------------

LATENCY_KEYS = ["p50_ms", "p95_ms", "rows_per_s"]
PROBE_FAST_S = 0.002  # the probe predictor's usual delay per call
PROBE_SLOW_S = 0.040  # its delay on every PROBE_SLOW_EVERY-th call
PROBE_SLOW_EVERY = 5
PROBE_REQUESTS = 40
PROBE_ROWS = 200
#: A batch call of the probe takes at least PROBE_FAST_S; on a loaded machine it may take this many
#: times PROBE_SLOW_S at most before the measurement is taken for a per-request figure.
BATCH_SLACK = 10


class SlowPredictor:
    """A predictor whose delays are known: PROBE_FAST_S per call, PROBE_SLOW_S every 5th call.

    Its p50 lies in [PROBE_FAST_S, PROBE_SLOW_S) and its p95 at PROBE_SLOW_S or above on any machine
    (a sleep lasts at least as long as asked), and a batch call costs one call, whatever its rows.
    """

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, rows: Any) -> np.ndarray:
        """Wait this call's known delay, then return one zero score per row."""
        self.calls += 1
        time.sleep(PROBE_SLOW_S if self.calls % PROBE_SLOW_EVERY == 0 else PROBE_FAST_S)
        return np.zeros(len(rows))


def _latency_dict(value: Any, name: str) -> dict[str, float]:
    value = require_mapping(value, keys=LATENCY_KEYS)
    numbers = {k: as_number(value[k]) for k in LATENCY_KEYS}
    if not all(math.isfinite(v) and v > 0 for v in numbers.values()):
        raise Problem(f"{name} 的三个数都应是正数", f"the three figures of {name} must be positive")
    return numbers


def _prepare_latency(answer: Any) -> dict[str, Any]:
    measure, report = unpack(answer, ("measure_latency", "latency"))
    return {"measure": _require_function(measure, "measure_latency"), "report": _latency_dict(report, "latency")}


@lru_cache(maxsize=1)
def _probe_measurement(measure: Callable[..., Any]) -> dict[str, float]:
    rows = gate_case().X_golden.iloc[:PROBE_ROWS].copy()
    return _latency_dict(_call(measure, SlowPredictor(), rows, PROBE_REQUESTS), "measure_latency 的结果 / the result")


def _percentiles_in_ms(a: dict[str, Any]) -> bool:
    got = _probe_measurement(a["measure"])
    fast, slow = PROBE_FAST_S * 1000, PROBE_SLOW_S * 1000
    if got["p50_ms"] < fast / 10 or got["p95_ms"] < slow / 10:
        raise Problem("延迟太小了：单位应是毫秒（秒 × 1000）", "the latencies are too small: the unit is ms (s × 1000)")
    if not fast <= got["p50_ms"] < slow:
        raise Problem("在检查用的预测器上 p50 不对：逐个请求计时，取中位数",
                      "p50 is wrong on the check's predictor: time each request on its own and take the median")
    if got["p95_ms"] < slow:
        raise Problem("在检查用的预测器上 p95 太小：取逐个请求耗时的第 95 百分位数（不是平均值加标准差）",
                      "p95 is too small on the check's predictor: take the 95th percentile of the per-request "
                      "times (not the mean plus a standard deviation)")
    return True


def _throughput_of_a_batch(a: dict[str, Any]) -> bool:
    got = _probe_measurement(a["measure"])
    ceiling = PROBE_ROWS / PROBE_FAST_S
    floor = PROBE_ROWS / (BATCH_SLACK * PROBE_SLOW_S)
    if got["rows_per_s"] > ceiling * (1 + 1e-6):
        raise Problem("吞吐量比可能的还高：rows_per_s = 批量行数 / 批量耗时（秒）",
                      "the throughput is higher than possible: rows_per_s = rows in the batch / the batch's seconds")
    if got["rows_per_s"] < floor:
        raise Problem("吞吐量应由一次批量调用测得（行数 / 秒），而不是逐个请求",
                      "the throughput comes from one batch call (rows / seconds), not from single requests")
    return True


def _report_consistent(a: dict[str, Any]) -> bool:
    r = a["report"]
    if r["p50_ms"] > r["p95_ms"]:
        raise Problem("p50 不可能大于 p95", "p50 cannot exceed p95")
    if r["rows_per_s"] < 1000 / r["p50_ms"]:
        raise Problem("批量吞吐量低于逐个请求的速度：检查单位（毫秒、每秒行数）",
                      "the batch throughput is below the single-request rate: check the units (ms, rows per second)")
    return True


latency = Task(
    grade_id="latency",
    unit="2.2",
    level=LEVEL,
    title=Msg("新模型的延迟与吞吐量", "Latency and throughput of the new model"),
    prepare=_prepare_latency,
    criteria=[
        criterion("measure_latency 给出的 p50、p95（毫秒）在检查用的预测器上正确",
                  "measure_latency's p50 and p95 (ms) are right on the check's predictor", 1.5,
                  fail=("延迟不对", "wrong latencies"))(_percentiles_in_ms),
        criterion("rows_per_s 由一次批量调用测得", "rows_per_s is measured on one batch call", 1,
                  fail=("吞吐量不对", "wrong throughput"))(_throughput_of_a_batch),
        criterion("新模型的延迟报告结构完整、前后一致", "the new model's latency report is complete and consistent", 1.5,
                  visible=True, fail=("延迟报告不一致", "the latency report is inconsistent"))(_report_consistent),
    ],
    hints=[
        Msg("用 time.perf_counter() 逐个计时 predict(rows.iloc[[i]])，np.percentile(耗时, [50, 95])，乘 1000 换成毫秒。",
            "Time each predict(rows.iloc[[i]]) with time.perf_counter(), take np.percentile(times, [50, 95]) and "
            "multiply by 1000 for ms."),
        Msg("吞吐量：对整个 rows 调用一次 predict，rows_per_s = len(rows) / 耗时秒数。",
            "Throughput: call predict once on all of rows; rows_per_s = len(rows) / the seconds it took."),
    ],
)


# --- Written answer, graded by hand -----------------------------------------------------------------

test_plan = WrittenTask(
    grade_id="test_plan",
    unit="2.1",
    level=LEVEL,
    title=Msg("上线前的测试方案", "The pre-release test plan"),
    rubric=[
        RubricPoint(Msg("说明黄金测试集的来源、冻结方式、覆盖的切片和更新规则，校准集与之分开",
                        "says how the golden set is built, frozen, which slices it covers and when it is renewed, "
                        "with the calibration split kept apart"), 1),
        RubricPoint(Msg("列出每个门槛（指标、方向、数值）及其业务理由，含切片与公平性门槛",
                        "lists every threshold (metric, direction, value) with its business reason, slice and "
                        "fairness limits included"), 1),
        RubricPoint(Msg("用统计支撑结论：置信区间、配对检验，以及样本量不足时怎么办",
                        "backs the decision with statistics: confidence intervals, the paired test, and what to "
                        "do when a slice is too small"), 1),
        RubricPoint(Msg("行为测试与延迟/吞吐量测试作为自动化回归测试，每次发布都运行",
                        "behaviour and latency/throughput tests run as automated regression tests on every release"), 1),
        RubricPoint(Msg("用本次的数字给出上线结论：哪些是阻断项，按什么顺序修复、修复后如何复测",
                        "gives the release decision with this run's numbers: the blockers, the order of the fixes "
                        "and how each fix is re-tested"), 1),
    ],
)

LAB = Lab(
    assignment="evaluation_l2",
    notebook="evaluation_l2.ipynb",
    level=LEVEL,
    summary=Msg(
        "上线闸门：黄金测试集上的验收门槛、切片与公平性差距、校准（Brier、可靠性曲线、重新校准）、自助法置信区间、"
        "新旧模型的 McNemar 配对比较、行为测试（不变性、方向性、最低功能）、延迟与吞吐量、测试方案",
        "a release gate: acceptance thresholds on a golden test set, slice and fairness gaps, calibration (Brier, "
        "reliability curve, recalibration), bootstrap confidence intervals, McNemar comparison of the old and new "
        "model, behaviour tests (invariance, directional, minimum functionality), latency and throughput, a test "
        "plan"),
    tasks=[gate, slices, calibration, bootstrap, comparison, behaviour, latency, test_plan],
)
