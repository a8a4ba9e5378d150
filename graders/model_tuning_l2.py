"""Checks for the L2 model-tuning lab (skill unit 2.2 训练工具优化与训练调优 / training tuning).

The lab tunes the training *process* of an online shop's return model: cross-validation with the
preprocessing fitted per fold against a leaky set-up, two searches under one budget with their
cost, learning and validation curves that decide what to change, early stopping, and a decision
threshold chosen for a stated business cost on out-of-fold predictions.

As in the L3 lab (whose estimator helpers this module imports), no check compares a score with one
reference number: each re-runs the learner's own estimator on the learner's own folds of the
lab's split (given in the set-up cell, rebuilt here from the variant's data), reads fitted objects
(``cv_results_``, ``n_iter_``) or calls the learner's own functions on data it derives from the
variant. Reported numbers need two decimals. Error carried forward: a later step is judged on the
learner's own earlier result (their curve for the decision, their out-of-fold probabilities for
the threshold).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401 - HalvingRandomSearchCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import (
    HalvingRandomSearchCV,
    RandomizedSearchCV,
    check_cv,
    cross_val_predict,
    cross_val_score,
    learning_curve,
    train_test_split,
    validation_curve,
)
from sklearn.preprocessing import TargetEncoder

from graders import estimators as est
from graders.answers import (
    as_number,
    call_learner,
    require_answer,
    require_callable,
    require_frame,
    require_mapping,
    unpack,
)
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion
from trainerlab.datagen import order_returns as orr
from trainerlab.variants import current_seed

LEVEL = "L2"
UNIT = "2.2"
TARGET = orr.TARGET
#: The split of the set-up cell: a quarter of the orders held out, stratified, with this seed.
SPLIT_SEED = 2026
TEST_SHARE = 0.25
SCORING = "roc_auc"
N_FOLDS = 3
#: Task 2: the most fits (candidates × folds, the final refit aside) each search may spend.
FIT_BUDGET = 18
#: A search's wall time may fall this far below the fit and score times it recorded (clock noise).
TIMING_SLACK = 0.5
#: Task 3's rule: a train–validation gap at the full size below this means high bias.
GAP_RULE = 0.05
DECISIONS = ("more data", "more capacity")
#: Task 5's costs per order (yuan): a return not foreseen, an unneeded fit-check call.
COST_MISSED, COST_CALL = 5.0, 1.0


# --- The data of the learner's variant and the lab's split ---------------------------------------

def data_path() -> Path:
    """The orders CSV of this notebook's variant (the bundled file for the default seed)."""
    return orr.orders_file(current_seed())


@cache
def _orders_of(seed: int) -> pd.DataFrame:
    return pd.read_csv(orr.orders_file(seed))


def orders() -> pd.DataFrame:
    """The orders of this notebook's variant (checks read them, never change them)."""
    return _orders_of(current_seed())


@dataclass(frozen=True)
class Split:
    """The set-up cell's split, rebuilt from the variant: features with ``seller_id``, 0/1 target."""

    train: est.Part
    test: est.Part


@cache
def _split_of(seed: int) -> Split:
    frame = _orders_of(seed)
    X, y = frame.drop(columns=["order_id", TARGET]), frame[TARGET]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SHARE, stratify=y, random_state=SPLIT_SEED)
    return Split(est.Part(X_train, y_train.to_numpy()), est.Part(X_test, y_test.to_numpy()))


def split() -> Split:
    """The lab's split of this variant (what the set-up cell's ``train_test_split`` gives)."""
    return _split_of(current_seed())


def _scores(value: Any, name: str) -> np.ndarray:
    """Fold scores as floats in 0–1 (at least the lab's number of folds)."""
    try:
        scores = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        raise Problem(f"{name} 应是各折得分组成的列表或数组", f"{name} must be a list or array of fold scores") from None
    if len(scores) < N_FOLDS or not np.isfinite(scores).all() or ((scores < 0) | (scores > 1)).any():
        raise Problem(f"{name} 应是至少 {N_FOLDS} 个 0–1 之间的得分（ROC-AUC）",
                      f"{name} must hold at least {N_FOLDS} scores between 0 and 1 (ROC-AUC)")
    return scores


def _n_splits(folds: Any, part: est.Part) -> int:
    return check_cv(folds, part.y, classifier=True).get_n_splits(part.X, part.y)


def _same_fold_by_fold(reported: np.ndarray) -> Callable[[np.ndarray, float], bool]:
    """Seeded: fold by fold to two decimals; unseeded: the mean within the re-runs' spread."""
    def matches(again: np.ndarray, tol: float) -> bool:
        if again.shape != reported.shape:
            return False
        if tol == 0:
            return bool(np.max(np.abs(again - reported)) <= est.REPORT_TOL)
        return est.close(float(again.mean()), float(reported.mean()), tol)
    return matches


# --- Task 1: preprocessing inside cross-validation, against a leaky set-up ----------------------

LEAK_KEYS = ["pipeline", "folds", "honest_scores", "leaky_scores"]


@dataclass(frozen=True)
class LeakAnswer:
    """Task 1's answer: the pipeline, the folds, the two sets of fold scores."""

    pipeline: Any
    folds: Any
    honest: np.ndarray
    leaky: np.ndarray

    @property
    def train(self) -> est.Part:
        """The lab's training rows."""
        return split().train

    def honest_run(self) -> np.ndarray:
        """Cross-validation of the pipeline (preprocessing fitted in each fold), re-run."""
        return cross_val_score(clone(self.pipeline), self.train.X, self.train.y, cv=self.folds,
                               scoring=SCORING, error_score="raise")

    def leaky_run(self) -> np.ndarray:
        """The statement's leaky set-up: the preprocessing fitted once on all training rows."""
        steps = self.pipeline.steps
        prep = clone(self.pipeline[:-1]).fit(self.train.X, self.train.y)
        encoded = prep.transform(self.train.X)
        return cross_val_score(clone(steps[-1][1]), encoded, self.train.y, cv=self.folds,
                               scoring=SCORING, error_score="raise")


def _prepare_leak(answer: Any) -> LeakAnswer:
    report = require_mapping(answer, keys=LEAK_KEYS)
    pipeline = require_answer(report["pipeline"])
    if not est.preprocessing_steps(pipeline):
        raise Problem("pipeline 应是 Pipeline：预处理（编码、标准化）在前，模型在最后",
                      "pipeline must be a Pipeline: preprocessing (encoding, scaling) first, the model last")
    return LeakAnswer(pipeline, require_answer(report["folds"]),
                      _scores(report["honest_scores"], "honest_scores"),
                      _scores(report["leaky_scores"], "leaky_scores"))


def _encodes_inside(a: LeakAnswer) -> bool:
    if not any(isinstance(part, TargetEncoder) for step in est.preprocessing_steps(a.pipeline)
               for part in est.walk(step)):
        raise Problem("流水线里没有对 seller_id 做目标编码的 TargetEncoder",
                      "the pipeline holds no TargetEncoder for seller_id")
    if _n_splits(a.folds, a.train) != N_FOLDS:
        raise Problem(f"folds 应给出 {N_FOLDS} 折", f"folds must give {N_FOLDS} folds")
    return True


def _honest_reproduced(a: LeakAnswer) -> bool:
    first = est.rerun(a.honest_run, ("honest", a.pipeline, a.folds))
    if not est.agrees(a.honest_run, _same_fold_by_fold(a.honest), first=first):
        raise Problem("用你的 pipeline 和 folds 在训练集上重新交叉验证（ROC-AUC），各折得分与 honest_scores 不符",
                      "cross-validating your pipeline with your folds on the training rows (ROC-AUC) "
                      "gives other fold scores than honest_scores")
    return True


def _leaky_reproduced(a: LeakAnswer) -> bool:
    first = est.rerun(a.leaky_run, ("leaky", a.pipeline, a.folds))
    if not est.agrees(a.leaky_run, _same_fold_by_fold(a.leaky), first=first):
        raise Problem("leaky_scores 不是题目描述的泄漏做法：预处理先用 fit(X_train, y_train) 在全部训练行上拟合、"
                      "再 transform，然后只对模型交叉验证（fit_transform 会在内部交叉拟合，并不泄漏）",
                      "leaky_scores are not the statement's leaky set-up: fit the preprocessing on all "
                      "training rows with fit(X_train, y_train), then transform, then cross-validate the "
                      "model alone (fit_transform cross-fits internally and does not leak)")
    return True


def _leak_exposed(a: LeakAnswer) -> bool:
    return float(a.leaky.mean() - a.honest.mean()) > float(np.std(a.honest))


leakage = Task(
    grade_id="leakage",
    unit=UNIT,
    level=LEVEL,
    title=Msg("交叉验证内的流水线与泄漏对照", "A pipeline inside cross-validation against a leaky set-up"),
    prepare=_prepare_leak,
    criteria=[
        criterion(
            "目标编码在流水线内，3 折", "the target encoding is a step of the pipeline, 3 folds", 1,
            visible=True, fail=("流水线或折数不对", "the pipeline or the folds are wrong"),
        )(_encodes_inside),
        criterion(
            "honest_scores 是流水线在训练集上的交叉验证（可重现）",
            "honest_scores are the pipeline cross-validated on the training rows (reproduced)", 2,
            fail=("honest_scores 无法重现", "honest_scores cannot be reproduced"),
        )(_honest_reproduced),
        criterion(
            "leaky_scores 是先在全部训练行上拟合预处理的泄漏做法",
            "leaky_scores come from the preprocessing fitted once on all training rows", 1.5,
            fail=("leaky_scores 不是泄漏做法的结果", "leaky_scores are not the leaky set-up's"),
        )(_leaky_reproduced),
        criterion(
            "对照揭示了泄漏：泄漏得分明显更高", "the comparison exposes the leak: the leaky score is clearly higher",
            0.5, fail=("泄漏做法的平均得分没有比诚实做法高出一个标准差以上",
                       "the leaky mean does not exceed the honest mean by more than one standard deviation"),
        )(_leak_exposed),
    ],
    hints=[
        Msg("ColumnTransformer([('seller', TargetEncoder(cv=FOLDS), ['seller_id']), ...])，"
            "再 cross_val_score(pipeline, X_train, y_train, cv=FOLDS, scoring='roc_auc')。",
            "ColumnTransformer([('seller', TargetEncoder(cv=FOLDS), ['seller_id']), ...]), then "
            "cross_val_score(pipeline, X_train, y_train, cv=FOLDS, scoring='roc_auc')."),
        Msg("泄漏做法：Z = pipeline[:-1].fit(X_train, y_train).transform(X_train)，"
            "再 cross_val_score(模型, Z, y_train, cv=FOLDS, scoring='roc_auc')。",
            "The leaky set-up: Z = pipeline[:-1].fit(X_train, y_train).transform(X_train), then "
            "cross_val_score(model, Z, y_train, cv=FOLDS, scoring='roc_auc')."),
    ],
)


# --- Task 2: randomised search and successive halving under one budget --------------------------

SEARCHES = ("random", "halving")
SEARCH_FIELDS = ["best_score", "n_fits", "seconds"]


@dataclass(frozen=True)
class SearchAnswer:
    """Task 2's answer: the two fitted searches and the learner's report of them."""

    searches: Mapping[str, Any]
    report: Mapping[str, Any]

    def fits(self, name: str) -> int:
        """Fits the search spent: candidates evaluated (every iteration) times folds."""
        search = self.searches[name]
        return len(search.cv_results_["params"]) * int(search.n_splits_)

    def recorded_seconds(self, name: str) -> float:
        """Fitting and scoring seconds the search recorded over all its fits."""
        results, splits = self.searches[name].cv_results_, int(self.searches[name].n_splits_)
        return float(np.sum(results["mean_fit_time"] + results["mean_score_time"]) * splits)

    def baseline_run(self) -> np.ndarray:
        """The searched pipeline with its own settings, cross-validated on the search's folds."""
        search = self.searches["random"]
        train = split().train
        return cross_val_score(clone(search.estimator), train.X, train.y, cv=search.cv,
                               scoring=SCORING, error_score="raise")


def _prepare_search(answer: Any) -> SearchAnswer:
    random_search, halving_search, report = unpack(
        answer, ["random_search", "halving_search", "search_report"])
    report = require_mapping(report, keys=["baseline_score", *SEARCHES])
    searches = {"random": random_search, "halving": halving_search}
    for name in SEARCHES:
        require_mapping(report[name], keys=SEARCH_FIELDS)
        if not hasattr(searches[name], "cv_results_") or not hasattr(searches[name], "best_estimator_"):
            raise Problem(f"{name} 的搜索应已 fit（refit=True）", f"the {name} search must be fitted (refit=True)")
    return SearchAnswer(searches, report)


def _same_space(a: SearchAnswer) -> bool:
    random_search, halving = a.searches["random"], a.searches["halving"]
    if type(random_search) is not RandomizedSearchCV or type(halving) is not HalvingRandomSearchCV:
        raise Problem("random_search 应是 RandomizedSearchCV，halving_search 应是 HalvingRandomSearchCV",
                      "random_search must be a RandomizedSearchCV and halving_search a HalvingRandomSearchCV")
    if repr(random_search.estimator) != repr(halving.estimator) or \
            repr(random_search.param_distributions) != repr(halving.param_distributions):
        raise Problem("两个搜索应搜索同一个流水线、同一个参数空间",
                      "both searches must search the same pipeline over the same space")
    for search in (random_search, halving):
        if search.scoring != SCORING or int(search.n_splits_) != N_FOLDS:
            raise Problem(f"两个搜索都用 scoring='{SCORING}' 和 {N_FOLDS} 折",
                          f"both searches use scoring='{SCORING}' and {N_FOLDS} folds")
    return True


def _within_budget(a: SearchAnswer) -> bool:
    for name in SEARCHES:
        if a.fits(name) > FIT_BUDGET:
            raise Problem(f"{name} 搜索用了 {a.fits(name)} 次拟合，超过预算 {FIT_BUDGET}",
                          f"the {name} search spent {a.fits(name)} fits, over the budget of {FIT_BUDGET}")
        if as_number(a.report[name]["n_fits"]) != a.fits(name):
            raise Problem(f"{name} 的 n_fits 不对：拟合次数 = 所有轮次评估的候选数 × 折数",
                          f"the {name} n_fits is wrong: fits = candidates evaluated in every round × folds")
    return True


def _best_reported(a: SearchAnswer) -> bool:
    wrong = [name for name in SEARCHES
             if not est.close(as_number(a.report[name]["best_score"]),
                           float(a.searches[name].best_score_), est.REPORT_TOL)]
    if wrong:
        raise Problem(f"这些 best_score 不是搜索的最佳交叉验证得分（best_score_）：{wrong}",
                      f"these best_score values are not the search's best CV score (best_score_): {wrong}")
    return True


def _seconds_reported(a: SearchAnswer) -> bool:
    for name in SEARCHES:
        seconds = as_number(a.report[name]["seconds"])
        cpus, jobs = os.cpu_count() or 1, a.searches[name].n_jobs or 1
        workers = cpus if jobs < 0 else min(jobs, cpus)
        # the wall time of fit() spans every fit the search recorded, shared among its workers
        if not (seconds > 0 and seconds >= a.recorded_seconds(name) / workers * TIMING_SLACK):
            raise Problem(f"{name} 的 seconds 应是整个 search.fit 的用时（秒），不是单次拟合的用时",
                          f"the {name} seconds must be the wall time of the whole search.fit, "
                          "not of one fit")
    return True


def _gain_over_baseline(a: SearchAnswer) -> bool:
    baseline = as_number(a.report["baseline_score"])
    first = est.rerun(a.baseline_run, ("baseline", a.searches["random"].estimator, a.searches["random"].cv))
    if not est.agrees(a.baseline_run, lambda again, tol: est.close(float(np.mean(again)), baseline,
                                                            max(tol, est.REPORT_TOL)), first=first):
        raise Problem("baseline_score 应是未调参的同一流水线在同样各折上的平均 ROC-AUC",
                      "baseline_score must be the mean ROC-AUC of the same pipeline untuned, on the same folds")
    behind = [name for name in SEARCHES if not float(a.searches[name].best_score_) > baseline]
    if behind:
        raise Problem(f"这些搜索没有超过基线：{behind}", f"these searches do not beat the baseline: {behind}")
    return True


def _searched_training_rows(a: SearchAnswer) -> bool:
    rows = len(split().train.X)
    for name in SEARCHES:
        seen = est.rows_seen(a.searches[name].best_estimator_)
        if seen is not None and seen != rows:
            raise Problem(f"{name} 搜索不是在训练集上做的（最终模型的行数与训练集不同）",
                          f"the {name} search was not run on the training rows (its final model saw "
                          "another number of rows)")
    halving = a.searches["halving"]
    if int(halving.max_resources_) != rows or int(halving.n_resources_[-1]) * halving.factor <= rows:
        raise Problem("逐次减半的最后一轮应使用（几乎）全部训练行：设 min_resources='exhaust'",
                      "the last round of the halving search must use (nearly) every training row: "
                      "set min_resources='exhaust'")
    return True


search = Task(
    grade_id="search",
    unit=UNIT,
    level=LEVEL,
    title=Msg("同一预算下的随机搜索与逐次减半", "Randomised search and successive halving under one budget"),
    prepare=_prepare_search,
    criteria=[
        criterion(
            "两个搜索：同一流水线、同一空间、ROC-AUC、3 折",
            "two searches: one pipeline, one space, ROC-AUC, 3 folds", 1.5, visible=True,
            fail=("搜索的设置不对", "the searches are set up wrongly"),
        )(_same_space),
        criterion(
            f"每个搜索不超过 {FIT_BUDGET} 次拟合，n_fits 数对了",
            f"each search within {FIT_BUDGET} fits, n_fits counted right", 1.5,
            fail=("预算或拟合次数不对", "the budget or the fit count is wrong"),
        )(_within_budget),
        criterion(
            "报告了两个搜索的最佳交叉验证得分", "each search's best CV score is reported", 1.5,
            fail=("best_score 报告错了", "a best_score is misreported"),
        )(_best_reported),
        criterion(
            "报告了每个搜索的用时", "each search's seconds are reported", 1,
            fail=("用时报告错了", "the seconds are misreported"),
        )(_seconds_reported),
        criterion(
            "基线是未调参的流水线，两个搜索都超过它",
            "the baseline is the untuned pipeline and both searches beat it", 1.5,
            fail=("基线或增益不对", "the baseline or the gain is wrong"),
        )(_gain_over_baseline),
        criterion(
            "只在训练集上搜索，逐次减半最后一轮用全部训练行",
            "searched on the training rows, halving's last round on all of them", 1,
            fail=("搜索用了训练集以外的行", "the search used rows beyond the training set"),
        )(_searched_training_rows),
    ],
    hints=[
        Msg("RandomizedSearchCV(pipe, SPACE, n_iter=6, cv=FOLDS, scoring='roc_auc', random_state=SEED)："
            "6 个候选 × 3 折 = 18 次拟合。",
            "RandomizedSearchCV(pipe, SPACE, n_iter=6, cv=FOLDS, scoring='roc_auc', random_state=SEED): "
            "6 candidates × 3 folds = 18 fits."),
        Msg("HalvingRandomSearchCV(pipe, SPACE, n_candidates=4, factor=3, min_resources='exhaust', ...)："
            "第一轮 4 个、第二轮 2 个候选，最后一轮用全部训练行；len(search.cv_results_['params']) × search.n_splits_ 就是拟合次数。",
            "HalvingRandomSearchCV(pipe, SPACE, n_candidates=4, factor=3, min_resources='exhaust', ...): "
            "4 candidates, then 2, the last round on every training row; "
            "len(search.cv_results_['params']) × search.n_splits_ is the number of fits."),
    ],
)


# --- Task 3: learning curve and validation curve -------------------------------------------------

CURVE_KEYS = ["learning", "learning_model", "folds", "decision", "validation", "validation_model",
              "param", "best_value"]
LEARNING_COLUMNS = ["train_size", "train_score", "valid_score"]
VALIDATION_COLUMNS = ["value", "train_score", "valid_score"]


def _curve_frame(frame: Any, columns: list[str], key: str, name: str) -> pd.DataFrame:
    frame = require_frame(frame, columns=columns, min_rows=4)
    curve = frame[columns].apply(pd.to_numeric, errors="coerce")
    if curve.isna().any().any():
        raise Problem(f"{name} 的各列都应是数字", f"every column of {name} must be numeric")
    curve = curve.sort_values(key).reset_index(drop=True)
    if curve[key].duplicated().any():
        raise Problem(f"{name} 中每个 {key} 只应出现一次", f"each {key} must appear once in {name}")
    scores = curve[["train_score", "valid_score"]]
    if not ((scores >= 0) & (scores <= 1)).all().all():
        raise Problem(f"{name} 的得分应在 0–1 之间", f"the scores of {name} must lie in 0–1")
    return curve


@dataclass(frozen=True)
class CurvesAnswer:
    """Task 3's answer: both curves (sorted), their models and folds, the decision, the best value."""

    report: Mapping[str, Any]
    learning: pd.DataFrame
    validation: pd.DataFrame

    @property
    def train(self) -> est.Part:
        """The lab's training rows."""
        return split().train

    @cached_property
    def gap(self) -> float:
        """The learner's train–validation gap at the largest training size."""
        last = self.learning.iloc[-1]
        return float(last["train_score"] - last["valid_score"])


def _prepare_curves(answer: Any) -> CurvesAnswer:
    report = require_mapping(answer, keys=CURVE_KEYS)
    return CurvesAnswer(report, _curve_frame(report["learning"], LEARNING_COLUMNS, "train_size", "learning"),
                        _curve_frame(report["validation"], VALIDATION_COLUMNS, "value", "validation"))


def _fold_rows(a: CurvesAnswer) -> int:
    """The training rows of one fold of the learner's folds (the largest size a curve can use)."""
    folds = _n_splits(a.report["folds"], a.train)
    return len(a.train.X) - -(-len(a.train.X) // folds)


def _learning_shape(a: CurvesAnswer) -> bool:
    if not isinstance(est.final_estimator(a.report["learning_model"]), LogisticRegression):
        raise Problem("学习曲线要用题目给出的逻辑回归流水线", "the learning curve uses the statement's logistic pipeline")
    full = _fold_rows(a)
    if a.learning["train_size"].max() < 0.9 * full or a.learning["train_size"].min() > 0.5 * full:
        raise Problem("训练规模应从一半以下一直到每折的全部训练行",
                      "the training sizes must run from below half to every training row of a fold")
    return True


def _learning_reproduced(a: CurvesAnswer) -> bool:
    rows = [len(a.learning) - 1]  # the full size decides; re-running it alone keeps the check cheap
    sizes = [int(s) for s in a.learning["train_size"].iloc[rows]]
    reported = a.learning[["train_score", "valid_score"]].iloc[rows].to_numpy(dtype=float)
    model, folds = a.report["learning_model"], a.report["folds"]
    if max(sizes) > _fold_rows(a):
        raise Problem("训练规模超过了各折的训练行数：学习曲线只能在 X_train 上画",
                      "the sizes exceed the folds' training rows: draw the learning curve on X_train only")

    def compute() -> np.ndarray:
        _, train, valid = learning_curve(clone(model), a.train.X, a.train.y, train_sizes=sizes, cv=folds,
                                         scoring=SCORING, error_score="raise")
        return np.column_stack([train.mean(axis=1), valid.mean(axis=1)])

    first = est.rerun(compute, ("learning", model, folds, sizes))
    if not est.agrees(compute, lambda again, tol: bool(np.max(np.abs(again - reported)) <= max(tol, est.REPORT_TOL)),
                   first=first):
        raise Problem("用 learning_model 和 folds 在训练集上重新计算学习曲线（ROC-AUC），得分与 learning 不符",
                      "re-running the learning curve of learning_model with folds on the training rows "
                      "(ROC-AUC) gives other scores than learning")
    return True


def _decision_follows(a: CurvesAnswer) -> bool:
    decision = str(a.report["decision"]).strip().lower().replace("_", " ")
    if decision not in DECISIONS:
        raise Problem(f"decision 应是 {list(DECISIONS)} 之一", f"decision must be one of {list(DECISIONS)}")
    return decision == (DECISIONS[1] if a.gap < GAP_RULE else DECISIONS[0])


def _validation_reproduced(a: CurvesAnswer) -> bool:
    model, param, folds = a.report["validation_model"], str(a.report["param"]), a.report["folds"]
    if param not in model.get_params(deep=True):
        raise Problem(f"validation_model 没有参数 {param}", f"validation_model has no parameter {param}")
    curve = a.validation
    rows = sorted({int(curve["valid_score"].to_numpy().argmax()), len(curve) - 1})
    values = [int(v) if float(v).is_integer() else float(v) for v in curve["value"].iloc[rows]]
    reported = curve[["train_score", "valid_score"]].iloc[rows].to_numpy(dtype=float)

    def compute() -> np.ndarray:
        train, valid = validation_curve(clone(model), a.train.X, a.train.y, param_name=param,
                                        param_range=values, cv=folds, scoring=SCORING, error_score="raise")
        return np.column_stack([train.mean(axis=1), valid.mean(axis=1)])

    first = est.rerun(compute, ("validation", model, param, folds, values))
    if not est.agrees(compute, lambda again, tol: bool(np.max(np.abs(again - reported)) <= max(tol, est.REPORT_TOL)),
                   first=first):
        raise Problem("用 validation_model、param 和 folds 在训练集上重新计算验证曲线（ROC-AUC），得分与 validation 不符",
                      "re-running the validation curve of validation_model over param with folds on the "
                      "training rows (ROC-AUC) gives other scores than validation")
    return True


def _best_value_read(a: CurvesAnswer) -> bool:
    curve = a.validation
    best = int(curve["valid_score"].to_numpy().argmax())
    if best in (0, len(curve) - 1):
        raise Problem("验证得分的最高点在取值范围的一端：扩大范围，直到两侧都下降",
                      "the validation score peaks at an end of the range: widen it until it falls on both sides")
    return est.close(as_number(a.report["best_value"]), float(curve["value"].iloc[best]), 1e-9)


curves = Task(
    grade_id="curves",
    unit=UNIT,
    level=LEVEL,
    title=Msg("学习曲线与验证曲线：该加数据还是加容量", "Learning and validation curves: more data or more capacity"),
    prepare=_prepare_curves,
    criteria=[
        criterion(
            "学习曲线用逻辑回归，训练规模从小到满", "the learning curve uses the logistic model, sizes from small to full",
            1, visible=True, fail=("学习曲线的范围或模型不对", "the learning curve's range or model is wrong"),
        )(_learning_shape),
        criterion(
            "学习曲线的得分来自训练集上的交叉验证（可重现）",
            "the learning curve is cross-validation on the training rows (reproduced)", 1.5,
            fail=("学习曲线无法重现", "the learning curve cannot be reproduced"),
        )(_learning_reproduced),
        criterion(
            "结论按规则读自你的学习曲线", "the decision follows the rule on your learning curve", 1.5,
            fail=(f"结论与你的曲线不符：满规模时训练-验证差距 < {GAP_RULE} 说明偏差大（more capacity），否则 more data",
                  f"the decision does not follow your curve: a train–validation gap below {GAP_RULE} at the "
                  "full size means high bias (more capacity), otherwise more data"),
        )(_decision_follows),
        criterion(
            "验证曲线的得分来自训练集上的交叉验证（可重现）",
            "the validation curve is cross-validation on the training rows (reproduced)", 1,
            fail=("验证曲线无法重现", "the validation curve cannot be reproduced"),
        )(_validation_reproduced),
        criterion(
            "best_value 是验证得分最高处，且在范围中间", "best_value is where the validation score peaks, inside the range",
            1, fail=("best_value 不是验证得分最高的取值", "best_value is not the value with the best validation score"),
        )(_best_value_read),
    ],
    hints=[
        Msg("learning_curve(model, X_train, y_train, train_sizes=np.linspace(0.1, 1.0, 5), cv=FOLDS, "
            "scoring='roc_auc')，对每一行取平均。",
            "learning_curve(model, X_train, y_train, train_sizes=np.linspace(0.1, 1.0, 5), cv=FOLDS, "
            "scoring='roc_auc'), then average each row."),
        Msg("两条线在满规模时几乎重合而且都不高：模型太简单，再多数据也没用。",
            "Both lines nearly meet at the full size and neither is high: the model is too simple, more "
            "data will not help."),
    ],
)


# --- Task 4: early stopping ---------------------------------------------------------------------

EARLY_KEYS = ["n_iter", "max_iter", "test_auc"]


@dataclass(frozen=True)
class EarlyAnswer:
    """Task 4's answer: the fitted boosting model (or its pipeline) and the report."""

    model: Any
    report: Mapping[str, Any]

    @property
    def booster(self) -> HistGradientBoostingClassifier:
        """The boosting step that stopped early."""
        return est.final_estimator(self.model)

    def auc(self, part: est.Part) -> float:
        """ROC-AUC of the model on ``part``."""
        with est.quiet():
            return float(roc_auc_score(part.y, self.model.predict_proba(part.X)[:, 1]))


def _prepare_early(answer: Any) -> EarlyAnswer:
    model, report = unpack(answer, ["es_model", "es_report"])
    report = require_mapping(report, keys=EARLY_KEYS)
    if not isinstance(est.final_estimator(model), HistGradientBoostingClassifier) or not est.is_fitted(model):
        raise Problem("es_model 应是已训练的 HistGradientBoostingClassifier（或以它结尾的流水线）",
                      "es_model must be a fitted HistGradientBoostingClassifier (or a pipeline ending in one)")
    return EarlyAnswer(model, report)


def _stopped_early(a: EarlyAnswer) -> bool:
    booster = a.booster
    if booster.early_stopping is not True:
        raise Problem("early_stopping='auto' 只在超过 10000 行时才启用：要写 early_stopping=True",
                      "early_stopping='auto' switches on above 10 000 rows only: set early_stopping=True")
    if not booster.n_iter_ < booster.max_iter:
        raise Problem("模型用满了 max_iter 轮，没有提前停止：把上限设高一些",
                      "the model used every one of max_iter rounds and did not stop early: raise the cap")
    return True


def _iterations_reported(a: EarlyAnswer) -> bool:
    booster = a.booster
    return (as_number(a.report["n_iter"]) == booster.n_iter_
            and as_number(a.report["max_iter"]) == booster.max_iter)


def _test_auc_reported(a: EarlyAnswer) -> bool:
    reported = as_number(a.report["test_auc"])
    if est.close(reported, a.auc(split().train), 1e-9):
        return False
    return est.close(reported, a.auc(split().test), est.REPORT_TOL)


def _early_on_training_rows(a: EarlyAnswer) -> bool:
    parts = split()
    est.require_fitted_on(a.model, parts.train, parts.test, "es_model")
    return True


early_stopping = Task(
    grade_id="early_stopping",
    unit=UNIT,
    level=LEVEL,
    title=Msg("提前停止", "Early stopping"),
    prepare=_prepare_early,
    criteria=[
        criterion(
            "提前停止确实启用，并在上限之前停下", "early stopping is on and stops before the cap", 1.5,
            visible=True, fail=("没有提前停止", "it did not stop early"),
        )(_stopped_early),
        criterion(
            "报告了实际轮数与上限", "the rounds used and the cap are reported", 1,
            fail=("n_iter 应是模型的 n_iter_，max_iter 是上限",
                  "n_iter must be the model's n_iter_ and max_iter the cap"),
        )(_iterations_reported),
        criterion(
            "报告了测试集上的 ROC-AUC", "the test ROC-AUC is reported", 1.5,
            fail=("test_auc 应是模型在测试集上的 ROC-AUC（不是训练集或内部验证集）",
                  "test_auc must be the model's ROC-AUC on the test set (not the training or inner "
                  "validation set)"),
        )(_test_auc_reported),
        criterion(
            "只在训练集上训练", "fitted on the training rows only", 1,
            fail=("模型不是在训练集上训练的", "the model was not fitted on the training rows"),
        )(_early_on_training_rows),
    ],
    hints=[
        Msg("HistGradientBoostingClassifier(max_iter=300, early_stopping=True, validation_fraction=0.2, "
            "n_iter_no_change=5, random_state=SEED)；训练后看 n_iter_。",
            "HistGradientBoostingClassifier(max_iter=300, early_stopping=True, validation_fraction=0.2, "
            "n_iter_no_change=5, random_state=SEED); after fitting read n_iter_."),
    ],
)


# --- Task 5: a decision threshold for the business cost -----------------------------------------

THRESHOLD_KEYS = ["model", "folds", "oof_proba", "threshold", "test_cost", "default_cost"]


def expected_cost(y_true: Any, proba: Any, threshold: float) -> float:
    """The statement's mean cost per order when a return is predicted at ``proba >= threshold``."""
    y, flagged = np.asarray(y_true).astype(int), np.asarray(proba, dtype=float) >= threshold
    return float((COST_MISSED * np.sum((y == 1) & ~flagged) + COST_CALL * np.sum((y == 0) & flagged)) / len(y))


def _lowest_cost(y: np.ndarray, proba: np.ndarray) -> float:
    """The lowest cost any threshold reaches on ``(y, proba)`` (every cut point tried)."""
    cuts = np.concatenate([np.unique(proba), [np.inf]])
    return min(expected_cost(y, proba, t) for t in cuts)


@cache
def _probe(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels and probabilities to call the learner's functions with: the test labels of the variant,
    with noisy scores that rank returns higher (as a real model does)."""
    y = _split_of(seed).test.y
    rng = np.random.default_rng(seed)
    proba = np.clip(np.round(0.25 + 0.3 * (y - 0.5) + rng.normal(0, 0.2, len(y)), 3), 0.001, 0.999)
    return y, proba


@dataclass(frozen=True)
class ThresholdAnswer:
    """Task 5's answer: the learner's two functions and their report."""

    cost: Callable[..., Any]
    best: Callable[..., Any]
    report: Mapping[str, Any]

    @cached_property
    def oof(self) -> np.ndarray:
        """The learner's out-of-fold probabilities, as floats, one per training row."""
        oof = np.asarray(self.report["oof_proba"], dtype=float).ravel()
        if len(oof) != len(split().train.X):
            raise Problem("oof_proba 应为每个训练行一个概率", "oof_proba must hold one probability per training row")
        return oof

    def oof_run(self) -> np.ndarray:
        """Out-of-fold probabilities of the learner's model on their folds, re-run."""
        train = split().train
        return cross_val_predict(clone(self.report["model"]), train.X, train.y, cv=self.report["folds"],
                                 method="predict_proba")[:, 1]

    def test_proba(self) -> np.ndarray:
        """The fitted model's probabilities of a return on the test rows."""
        with est.quiet():
            return self.report["model"].predict_proba(split().test.X)[:, 1]


def _prepare_threshold(answer: Any) -> ThresholdAnswer:
    cost, best, report = unpack(answer, ["order_cost", "best_threshold", "threshold_report"])
    return ThresholdAnswer(require_callable(cost), require_callable(best),
                           require_mapping(report, keys=THRESHOLD_KEYS))


def _cost_function_right(a: ThresholdAnswer) -> bool:
    y, proba = _probe(current_seed())
    thresholds = [float(np.quantile(proba, q)) for q in (0.2, 0.5, 0.8)] + [float(proba[0])]
    return all(est.close(as_number(call_learner(a.cost, y, proba, t)), expected_cost(y, proba, t), 1e-9)
               for t in thresholds)


def _best_threshold_right(a: ThresholdAnswer) -> bool:
    y, proba = _probe(current_seed())
    chosen = as_number(call_learner(a.best, y, proba))
    return expected_cost(y, proba, chosen) <= _lowest_cost(y, proba) + 1e-9


def _oof_reproduced(a: ThresholdAnswer) -> bool:
    if not est.is_fitted(a.report["model"]):
        raise Problem("threshold_report['model'] 应是已训练的模型", "threshold_report['model'] must be fitted")
    oof = a.oof
    first = est.rerun(a.oof_run, ("oof", a.report["model"], a.report["folds"]))
    if not est.agrees(a.oof_run, lambda again, tol: bool(np.max(np.abs(again - oof)) <= max(tol, 1e-6)), first=first):
        raise Problem("oof_proba 不是模型在各折上的袋外预测（cross_val_predict，method='predict_proba'）",
                      "oof_proba are not the model's out-of-fold predictions "
                      "(cross_val_predict with method='predict_proba')")
    return True


def _threshold_from_oof(a: ThresholdAnswer) -> bool:
    y = split().train.y
    threshold = as_number(a.report["threshold"])
    return expected_cost(y, a.oof, threshold) <= _lowest_cost(y, a.oof) + 1e-9


def _test_costs_reported(a: ThresholdAnswer) -> bool:
    y, proba = split().test.y, a.test_proba()
    cost = expected_cost(y, proba, as_number(a.report["threshold"]))
    default = expected_cost(y, proba, 0.5)
    if not (est.close(as_number(a.report["test_cost"]), cost, est.REPORT_TOL)
            and est.close(as_number(a.report["default_cost"]), default, est.REPORT_TOL)):
        raise Problem("test_cost 或 default_cost 与模型在测试集上按阈值（和 0.5）算出的每单平均成本不符",
                      "test_cost or default_cost differ from the model's mean cost per order on the test "
                      "set at the threshold (and at 0.5)")
    return cost < default


threshold = Task(
    grade_id="threshold",
    unit=UNIT,
    level=LEVEL,
    title=Msg("按业务成本调整判定阈值", "A decision threshold for the business cost"),
    prepare=_prepare_threshold,
    criteria=[
        criterion(
            "order_cost 按题目的成本算出每单平均成本", "order_cost gives the statement's mean cost per order", 1,
            visible=True, fail=("order_cost 算得不对（漏判退货 5 元、多余回访 1 元，概率 ≥ 阈值判为退货，按单数平均）",
                                "order_cost is wrong (a missed return 5 yuan, an unneeded call 1 yuan, a return "
                                "predicted when proba >= threshold, averaged over orders)"),
        )(_cost_function_right),
        criterion(
            "best_threshold 找到成本最低的阈值", "best_threshold finds the threshold of lowest cost", 1.5,
            fail=("best_threshold 返回的阈值不是成本最低的（要按成本选，不是按准确率或 F1）",
                  "best_threshold does not return a threshold of lowest cost (choose by cost, not by "
                  "accuracy or F1)"),
        )(_best_threshold_right),
        criterion(
            "oof_proba 是训练集上的袋外预测", "oof_proba are out-of-fold predictions on the training rows", 1.5,
            fail=("袋外预测不对", "the out-of-fold predictions are wrong"),
        )(_oof_reproduced),
        criterion(
            "阈值在袋外预测上选出（不用测试集）", "the threshold is chosen on the out-of-fold predictions (never the test set)",
            1, fail=("这个阈值在你的袋外预测上不是成本最低的：要用 best_threshold(y_train, oof_proba)，不能用测试集",
                     "this threshold is not of lowest cost on your out-of-fold predictions: use "
                     "best_threshold(y_train, oof_proba), never the test set"),
        )(_threshold_from_oof),
        criterion(
            "报告了测试集上的成本，低于默认阈值 0.5", "the test costs are reported and beat the default 0.5", 1,
            fail=("调整后的阈值在测试集上没有比 0.5 更省钱", "the tuned threshold costs no less than 0.5 on the test set"),
        )(_test_costs_reported),
    ],
    hints=[
        Msg("order_cost：5 × 漏判的退货数 + 1 × 多余的回访数，再除以订单数。",
            "order_cost: 5 × missed returns + 1 × unneeded calls, divided by the number of orders."),
        Msg("best_threshold：把每个不同的概率都当作候选阈值，算 order_cost，取最小的。",
            "best_threshold: try every distinct probability as the threshold, compute order_cost, keep the "
            "cheapest."),
    ],
)


# --- Written: an optimisation requirement for the training tooling -------------------------------

tool_requirement = WrittenTask(
    grade_id="tool_requirement",
    unit=UNIT,
    level=LEVEL,
    title=Msg("训练工具的优化需求", "An optimisation requirement for the training tooling"),
    rubric=[
        RubricPoint(Msg("问题有数据支撑：引用本实训测得的搜索用时、拟合次数、泄漏得分差距或提前停止节省的轮数",
                        "the problem is backed by numbers measured here: search seconds, fits, the leak's "
                        "score gap, the rounds early stopping saved"), 1),
        RubricPoint(Msg("需求写成工具必须做到的行为（如：预处理只能在折内拟合、按预算的逐次减半、默认开启提前停止、"
                        "按成本矩阵选阈值），而不是“更快更好”",
                        "the requirement states what the tool must do (preprocessing fitted inside folds "
                        "only, halving under a budget, early stopping on by default, threshold from a cost "
                        "matrix), not \"faster and better\""), 1.5),
        RubricPoint(Msg("每条需求都有验收指标和测量方法（如：同等得分下拟合次数减少 ≥ 50%、泄漏检查在 CI 中自动失败）",
                        "each requirement has an acceptance metric and how it is measured (e.g. ≥ 50 % fewer "
                        "fits at an equal score, a leak check failing in CI)"), 1.5),
        RubricPoint(Msg("优先级与代价：哪条先做、为什么，对精度、用时和可复现性的影响",
                        "priority and trade-offs: which first and why, the effect on accuracy, time and "
                        "reproducibility"), 1),
        RubricPoint(Msg("可复现与记录：随机种子、库版本、搜索空间和每次试验的用时都被记录",
                        "reproducible and logged: seeds, library versions, the search space and each "
                        "trial's time are recorded"), 1),
    ],
)


LAB = Lab(
    assignment="model_tuning_l2",
    notebook="model_tuning_l2.ipynb",
    level=LEVEL,
    summary=Msg(
        "电商退货预测的训练过程调优：折内拟合的流水线与泄漏对照、同一预算下的随机搜索与逐次减半（得分、拟合次数、用时）、"
        "学习曲线与验证曲线（加数据还是加容量）、提前停止、按业务成本在袋外预测上选阈值、训练工具的优化需求",
        "tuning the training process of an online shop's return model: a pipeline fitted inside the folds "
        "against a leaky set-up, randomised search and successive halving under one budget (score, fits, "
        "seconds), learning and validation curves (more data or more capacity), early stopping, a threshold "
        "for the business cost on out-of-fold predictions, an optimisation requirement for the training tooling"),
    tasks=[leakage, search, curves, early_stopping, threshold, tool_requirement],
)
