"""Checks for the L3 model-tuning lab (skill unit 2.2 算法测试 / algorithm testing).

Model scores move with seeds and library versions, so no check compares a score with one
reference number. Every check recomputes what it needs from the learner's own split, models and
folds (the majority share of *their* test set, cross-validation of *their* pipeline on *their*
folds of *their* training rows, the recall of *their* models on *their* test rows) and judges it
with invariants: a test share, equal bad rates, a model beating the baseline, a recall that rises.

Tolerances come from the recomputation and the statement, not from loose bounds: a re-run of a
seeded computation must be matched to the two decimals the lab asks for (and a number that is
exactly what a wrong method gives, such as the training score for the test score, is refused);
an unseeded one sets its tolerance from how far two re-runs differ. Rows a model was fitted on
are read from the fitted objects (row counts inside scalers and trees) or found by refitting.

Error carried forward: every later task receives the learner's own split, so a slip in task 1
costs points in task 1 only; a target later tasks cannot work with names task 1 to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.base import clone
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, recall_score
from sklearn.model_selection import check_cv, cross_val_score, train_test_split, validation_curve
from sklearn.tree import DecisionTreeClassifier

from graders import estimators as est
from graders.answers import as_number, require_answer, require_frame, require_mapping, unpack
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from graders.trusted import foreign_types
from trainerlab.datagen import credit_variants as cv
from trainerlab.paths import dataset_file
from trainerlab.variants import current_seed

LEVEL = "L3"
UNIT = "2.2"
TARGET = "status"
POSITIVE = "bad"
TEST_SHARE = 0.2
#: Reported numbers need two decimals (the intro says so): see :data:`graders.estimators.REPORT_TOL`.
REPORT_TOL = est.REPORT_TOL


# --- The data, read from the learner's variant (never a hard-coded number) ----------------------

def seed() -> int:
    """The seed of this notebook's data variant (``TRAINERLAB_SEED``, else the default)."""
    return current_seed()


def data_path() -> Path:
    """The credit CSV of this notebook's variant (the bundled file for the default seed)."""
    return cv.credit_file(seed())


@cache
def _credit_of(variant: int) -> pd.DataFrame:
    return pd.read_csv(cv.credit_file(variant))


def credit() -> pd.DataFrame:
    """The credit-scoring table of this notebook's variant (checks read it, never change it)."""
    return _credit_of(seed())


def credit_target() -> pd.Series:
    """The target as the lab codes it: 1 = ``bad`` (the minority class), 0 = ``good``."""
    return (credit()[TARGET] == POSITIVE).astype(int)


def mpg_path() -> Path:
    """The auto-mpg CSV of the regression task: real data, the same for every learner."""
    return dataset_file("auto_mpg", "auto_mpg.csv")


@cache
def auto_mpg() -> pd.DataFrame:
    """The auto-mpg table of the regression task."""
    return pd.read_csv(mpg_path())


# --- What a model is made of (the inspection itself: graders.estimators) ------------------------

def _require_pipeline(model: Any) -> Any:
    """Fail unless ``model`` is a Pipeline whose preprocessing precedes the model."""
    if not est.preprocessing_steps(model):
        raise Problem("应是一个 Pipeline：预处理（填补、编码、标准化）在前，模型在最后",
                      "expected a Pipeline: preprocessing (imputing, encoding, scaling) first, "
                      "the model last")
    return model


# Parameters that do not change what a model learns: setting them is not tuning.
_NOT_HYPERPARAMETERS = {"random_state", "n_jobs", "verbose", "warm_start", "copy_X", "max_iter"}


def _hand_set(estimator: Any) -> set[str]:
    """Hyperparameters of ``estimator`` set away from their defaults."""
    defaults = type(estimator)().get_params(deep=False)
    return {name for name, value in estimator.get_params(deep=False).items()
            if name not in _NOT_HYPERPARAMETERS and repr(value) != repr(defaults.get(name))}


def _tree_limited(tree: Any) -> bool:
    """Whether a tree's growth is limited by any complexity parameter."""
    p = tree.get_params()
    return (p.get("max_depth") is not None or p.get("max_leaf_nodes") is not None
            or p.get("min_samples_leaf", 1) != 1 or p.get("min_samples_split", 2) != 2
            or p.get("ccp_alpha", 0) > 0 or p.get("min_impurity_decrease", 0) > 0)


def _weights_minority(estimator: Any) -> bool:
    """Whether ``class_weight`` gives the bad class (1) more weight than the good class (0)."""
    weight = getattr(estimator, "class_weight", None)
    if isinstance(weight, str):
        return weight in ("balanced", "balanced_subsample")
    if isinstance(weight, Mapping):
        as_float = {str(k): float(v) for k, v in weight.items()}
        return as_float.get("1", 1.0) > as_float.get("0", 1.0)
    return False


# --- The learner's data, shared by every classification task -----------------------------------


def _part(X: Any, y: Any) -> est.Part:
    """Task 1's output as later tasks receive it (task 1 checks it in full; later tasks build on it).

    Rows, order and share are the learner's own (error carried forward); only a target a later
    task cannot be judged with (not 0/1, or 1 for the majority) sends the learner back to task 1.
    """
    X = require_frame(X)
    values = pd.to_numeric(pd.Series(np.asarray(y).ravel()), errors="coerce")
    if len(values) != len(X) or values.isna().any() or not values.isin([0, 1]).all() \
            or values.mean() >= 0.5:
        raise fix_first("任务 1（X 与 y 对应，y 为 1 = bad）", "Task 1 (X and y aligned, y = 1 for bad)")
    return est.Part(X, values.to_numpy(dtype=int))


# --- Task 1: a reproducible, stratified split ---------------------------------------------------

@dataclass(frozen=True)
class SplitAnswer:
    """Task 1's answer: the four parts (with their row labels) and the seed."""

    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series
    seed: Any


def _prepare_split(answer: Any) -> SplitAnswer:
    X_train, X_test, y_train, y_test, seed = unpack(
        answer, ["X_train", "X_test", "y_train", "y_test", "SEED"])
    X_train, X_test = require_frame(X_train), require_frame(X_test)
    for name, y in (("y_train", y_train), ("y_test", y_test)):
        if not isinstance(y, pd.Series):
            raise Problem(f"{name} 应是 pandas Series（保留行号才能核对划分）",
                          f"{name} must be a pandas Series (its row labels identify the rows)")
    return SplitAnswer(X_train, X_test, y_train, y_test, seed)


def _target_coded(a: SplitAnswer) -> bool:
    if TARGET in a.X_train.columns or TARGET in a.X_test.columns:
        raise Problem("特征 X 里还有目标列 status（标签泄漏）",
                      "the features X still hold the target status (label leakage)")
    truth = credit_target()
    for y in (a.y_train, a.y_test):
        if not y.index.isin(truth.index).all():
            raise Problem("y 的行号不是原始数据的行号：不要重置索引",
                          "y's row labels are not the table's: do not reset the index")
        values = pd.to_numeric(y, errors="coerce")
        if values.isna().any() or not (values == truth.loc[y.index]).all():
            raise Problem("y 应为 1 = bad（违约，少数类）、0 = good",
                          "y must be 1 = bad (default, the minority class) and 0 = good")
    return True


def _rows_partitioned(a: SplitAnswer) -> bool:
    if not (a.X_train.index.equals(a.y_train.index) and a.X_test.index.equals(a.y_test.index)):
        raise Problem("X 和 y 的行没有一一对应", "the rows of X and y do not correspond")
    train, test = set(a.X_train.index), set(a.X_test.index)
    if train & test:
        raise Problem("有行同时出现在训练集和测试集中",
                      "some rows are in both the training and the test set")
    if len(train) != len(a.X_train) or len(test) != len(a.X_test):
        raise Problem("同一行出现了不止一次", "a row appears more than once")
    if train | test != set(credit().index):
        raise Problem("训练集加测试集不等于全部数据：不要删行，缺失值在流水线里填补",
                      "train + test is not the whole table: drop no rows, impute inside the pipeline")
    return True


def _rows(a: SplitAnswer) -> pd.Index:
    """The rows the learner split, in file order (all of them, unless some were dropped)."""
    return a.y_train.index.append(a.y_test.index).sort_values()


def _test_share(a: SplitAnswer) -> bool:
    return abs(len(a.X_test) - TEST_SHARE * len(_rows(a))) <= 1


def _stratified(a: SplitAnswer) -> bool:
    """Each part's bad count is the overall rate times its size, to the nearest row."""
    truth = credit_target()
    overall = float(truth.loc[_rows(a)].mean())  # the learner's rows
    return all(abs(float(truth.loc[y.index].sum()) - overall * len(y)) <= 1 + 1e-9
               for y in (a.y_train, a.y_test))


def _reproducible(a: SplitAnswer) -> bool:
    if isinstance(a.seed, bool) or not isinstance(a.seed, (int, np.integer)):
        raise Problem("SEED 应是一个整数", "SEED must be an integer")
    rows = _rows(a)  # a slip that dropped rows costs its own point, not this one too
    # stratifying on y or on the label strings is the same split up to the order of the classes
    agains = (train_test_split(rows.to_numpy(), test_size=len(a.X_test), random_state=int(a.seed),
                               stratify=labels.loc[rows])[1]
              for labels in (credit_target(), credit()[TARGET]))
    if not any(set(again) == set(a.X_test.index) for again in agains):
        raise Problem("用 SEED 重新分层划分得不到同样的测试集："
                      "划分时传入 random_state=SEED 和 stratify=y",
                      "re-splitting with SEED gives another test set: "
                      "pass random_state=SEED and stratify=y")
    return True


split = Task(
    grade_id="split",
    unit=UNIT,
    level=LEVEL,
    title=Msg("可复现的分层划分", "A reproducible stratified train/test split"),
    prepare=_prepare_split,
    criteria=[
        criterion(
            "目标列不在特征中，y 为 1 = bad", "the target is kept out of X and y is 1 = bad", 0.5,
            visible=True, fail=("目标编码不对", "the target is coded wrongly"),
        )(_target_coded),
        criterion(
            "每行恰好属于训练集或测试集之一", "every row is in exactly one of the two parts", 0.5,
            visible=True, fail=("划分不完整", "the split is incomplete"),
        )(_rows_partitioned),
        criterion(
            "测试集占 20%", "the test set holds 20 % of the rows", 0.5, visible=True,
            fail=("测试集大小不是 20%（test_size=0.2）", "the test set is not 20 % (test_size=0.2)"),
        )(_test_share),
        criterion(
            "两部分的违约率与全体一致（分层）", "both parts keep the overall bad rate (stratified)",
            0.75,
            fail=("训练集或测试集的违约率与全体相差太大：划分时没有分层",
                  "a part's bad rate differs from the whole table's: the split is not stratified"),
        )(_stratified),
        criterion(
            "用同一个 SEED 可以重现同样的划分", "the same SEED reproduces the same split", 0.75,
            fail=("划分不可复现", "the split cannot be reproduced"),
        )(_reproducible),
    ],
    hints=[
        Msg("X = credit.drop(columns='status')；y = (credit['status'] == 'bad').astype(int)。",
            "X = credit.drop(columns='status'); y = (credit['status'] == 'bad').astype(int)."),
        Msg("train_test_split(X, y, test_size=0.2, random_state=SEED, stratify=y)。",
            "train_test_split(X, y, test_size=0.2, random_state=SEED, stratify=y)."),
    ],
)


# --- Task 2: the baseline to beat ---------------------------------------------------------------

@dataclass(frozen=True)
class BaselineAnswer:
    """Task 2's answer: the fitted dummy, its reported accuracy and the test rows."""

    dummy: Any
    accuracy: float
    train: est.Part
    test: est.Part


def _prepare_baseline(answer: Any) -> BaselineAnswer:
    dummy, accuracy, X_train, X_test, y_train, y_test = unpack(
        answer, ["dummy", "baseline_accuracy", "X_train", "X_test", "y_train", "y_test"])
    return BaselineAnswer(dummy, as_number(accuracy), _part(X_train, y_train),
                          _part(X_test, y_test))


def _baseline_test_score(a: BaselineAnswer) -> bool:
    """The dummy's accuracy on the test rows (its training score, if different, is a slip)."""
    return est.reported(a.accuracy, a.test.accuracy(a.dummy), a.train.accuracy(a.dummy))


def _dummy_fitted(a: BaselineAnswer) -> bool:
    if not isinstance(est.final_estimator(a.dummy), DummyClassifier) or not est.is_fitted(a.dummy):
        raise Problem("dummy 应是已训练的 DummyClassifier", "dummy must be a fitted DummyClassifier")
    if not 0 <= a.accuracy <= 1:
        raise Problem("准确率应是 0–1 之间的小数", "the accuracy must be a fraction between 0 and 1")
    return True


baseline = Task(
    grade_id="baseline",
    unit=UNIT,
    level=LEVEL,
    title=Msg("基线模型", "A baseline to beat"),
    prepare=_prepare_baseline,
    criteria=[
        criterion(
            "已训练 DummyClassifier", "a fitted DummyClassifier", 0.5, visible=True,
            fail=("基线模型不对", "wrong baseline model"),
        )(_dummy_fitted),
        criterion(
            "报告的准确率是基线在测试集上的得分", "the reported accuracy is the baseline's test score",
            0.75,
            fail=("报告的准确率与基线在测试集上的实际得分不符（要在测试集上评估）",
                  "the reported accuracy differs from the baseline's score on the test set "
                  "(evaluate it on the test set)"),
        )(_baseline_test_score),
        criterion(
            "基线总是猜多数类", "the baseline always guesses the majority class", 0.75,
            fail=("基线准确率应等于测试集中多数类的占比：用 strategy='most_frequent'",
                  "the baseline accuracy should equal the majority share of the test set: "
                  "use strategy='most_frequent'"),
        )(lambda a: est.reported(a.accuracy, a.test.majority_share)),
    ],
    hints=[
        Msg("DummyClassifier(strategy='most_frequent').fit(X_train, y_train)，"
            "再用 .score(X_test, y_test)。",
            "DummyClassifier(strategy='most_frequent').fit(X_train, y_train), "
            "then .score(X_test, y_test)."),
    ],
)


# --- Task 3: three models with hand-set hyperparameters -------------------------------------------

MODEL_KINDS: dict[str, type] = {
    "logistic": LogisticRegression,
    "tree": DecisionTreeClassifier,
    "forest": RandomForestClassifier,
}


@dataclass(frozen=True)
class ModelsAnswer:
    """Task 3's answer: the dict of fitted models, the training row count and the test rows."""

    models: Mapping[str, Any]
    train: est.Part
    test: est.Part


def _prepare_models(answer: Any) -> ModelsAnswer:
    models, X_train, X_test, y_train, y_test = unpack(
        answer, ["models", "X_train", "X_test", "y_train", "y_test"])
    models = require_mapping(models, keys=MODEL_KINDS)
    return ModelsAnswer(models, _part(X_train, y_train), _part(X_test, y_test))


def _right_kinds(a: ModelsAnswer) -> bool:
    for name, kind in MODEL_KINDS.items():
        model = a.models[name]
        if not isinstance(est.final_estimator(model), kind):
            raise Problem(f"models['{name}'] 的最后一步应是 {kind.__name__}",
                          f"the last step of models['{name}'] must be a {kind.__name__}")
        if not est.is_fitted(model):
            raise Problem(f"models['{name}'] 还没有训练（先 .fit(X_train, y_train)）",
                          f"models['{name}'] is not fitted yet (call .fit(X_train, y_train))")
    return True


def _predicts_raw_rows(a: ModelsAnswer) -> bool:
    for name in MODEL_KINDS:
        try:
            est.predict(a.models[name], a.test.X)
        except Exception:
            raise Problem(f"models['{name}'] 不能直接对原始的 X_test 预测："
                          "把填补和编码放进 Pipeline",
                          f"models['{name}'] cannot predict the raw X_test: "
                          "put imputing and encoding in its Pipeline") from None
    return True


def _hand_tuned(a: ModelsAnswer) -> bool:
    untouched = [name for name in MODEL_KINDS if not _hand_set(est.final_estimator(a.models[name]))]
    if untouched:
        raise Problem(f"这些模型全部使用默认超参数：{untouched}",
                      f"these models keep every default: {untouched}")
    if not _tree_limited(est.final_estimator(a.models["tree"])):
        raise Problem("决策树没有限制复杂度（如 max_depth、min_samples_leaf），会过拟合",
                      "the tree's growth is not limited (max_depth, min_samples_leaf …): it overfits")
    return True


def _beat_baseline(a: ModelsAnswer) -> bool:
    behind = [name for name in MODEL_KINDS
              if not a.test.accuracy(a.models[name]) > a.test.majority_share]
    if behind:
        raise Problem(f"这些模型在测试集上没有超过基线：{behind}",
                      f"these models do not beat the baseline on the test set: {behind}")
    return True


def _all_fitted_on_train(a: ModelsAnswer) -> bool:
    for name in MODEL_KINDS:
        est.require_fitted_on(a.models[name], a.train, a.test, f"models['{name}']")
    return True


hand_models = Task(
    grade_id="hand_models",
    unit=UNIT,
    level=LEVEL,
    title=Msg("手动设置超参数的三个模型", "Three models with hand-set hyperparameters"),
    prepare=_prepare_models,
    criteria=[
        criterion(
            "逻辑回归、决策树、随机森林都已训练",
            "logistic regression, a tree and a forest are fitted", 1, visible=True,
            fail=("模型不全或未训练", "a model is missing or not fitted"),
        )(_right_kinds),
        criterion(
            "模型能直接处理原始数据（预处理在 Pipeline 内）",
            "each model handles raw rows (preprocessing in its pipeline)", 0.5, visible=True,
            fail=("不能对原始数据预测", "cannot predict raw rows"),
        )(_predicts_raw_rows),
        criterion(
            "每个模型都手动设置了超参数，决策树限制了复杂度",
            "each model has hand-set hyperparameters; the tree's growth is limited", 1,
            fail=("超参数没有手动设置", "hyperparameters are not set by hand"),
        )(_hand_tuned),
        criterion(
            "每个模型在测试集上都超过基线", "every model beats the baseline on the test set", 1,
            fail=("有模型没有超过基线", "a model does not beat the baseline"),
        )(_beat_baseline),
        criterion(
            "模型只在训练集上训练", "the models are fitted on the training set only", 0.5,
            fail=("有模型不是在训练集上训练的", "a model was not fitted on the training set"),
        )(_all_fitted_on_train),
    ],
    hints=[
        Msg("Pipeline([('prep', 预处理), ('model', LogisticRegression(C=0.5, max_iter=1000))])。",
            "Pipeline([('prep', preprocessor), "
            "('model', LogisticRegression(C=0.5, max_iter=1000))])."),
        Msg("数值列：SimpleImputer(strategy='median') + StandardScaler；"
            "类别列：SimpleImputer(strategy='most_frequent') + OneHotEncoder(handle_unknown='ignore')。",
            "Numbers: SimpleImputer(strategy='median') + StandardScaler; categories: "
            "SimpleImputer(strategy='most_frequent') + OneHotEncoder(handle_unknown='ignore')."),
    ],
)


# --- Task 4: under- and over-fitting on a complexity curve --------------------------------------

CURVE_COLUMNS = ["max_depth", "train_score", "valid_score"]


@dataclass(frozen=True)
class CurveAnswer:
    """Task 4's answer: the curve (sorted by depth), the tree pipeline and folds, the training rows."""

    curve: pd.DataFrame
    pipeline: Any
    folds: Any
    train: est.Part


def _prepare_curve(answer: Any) -> CurveAnswer:
    frame, pipeline, folds, X_train, y_train = unpack(
        answer, ["depth_curve", "curve_pipeline", "curve_folds", "X_train", "y_train"])
    return CurveAnswer(_curve_frame(frame), pipeline, folds, _part(X_train, y_train))


def _curve_frame(answer: Any) -> pd.DataFrame:
    frame = require_frame(answer, columns=CURVE_COLUMNS, min_rows=5)
    curve = frame[CURVE_COLUMNS].apply(pd.to_numeric, errors="coerce")
    if curve.isna().any().any():
        raise Problem("max_depth 和两列得分都应是数字（不要含 None）",
                      "max_depth and both score columns must be numbers (no None)")
    curve = curve.sort_values("max_depth").reset_index(drop=True)
    if curve["max_depth"].duplicated().any():
        raise Problem("每个 max_depth 只应出现一次", "each max_depth must appear once")
    return curve


def _curve_range(curve: pd.DataFrame) -> bool:
    if curve["max_depth"].min() > 2 or curve["max_depth"].max() < 10:
        raise Problem("深度应从很浅（≤ 2）到很深（≥ 10），才能同时看到欠拟合和过拟合",
                      "depths must run from very shallow (≤ 2) to very deep (≥ 10) to show both "
                      "under- and over-fitting")
    scores = curve[["train_score", "valid_score"]]
    if not ((scores >= 0) & (scores <= 1)).all().all():
        raise Problem("得分应在 0–1 之间", "scores must lie between 0 and 1")
    return True


def _depth_parameter(pipeline: Any) -> str:
    """The name of the tree's ``max_depth`` in ``pipeline`` (e.g. ``model__max_depth``)."""
    params = pipeline.get_params(deep=True) if hasattr(pipeline, "get_params") else {}
    if isinstance(pipeline, DecisionTreeClassifier):
        return "max_depth"
    for name in params:
        owner = name.removesuffix("__max_depth")
        if owner != name and isinstance(params.get(owner), DecisionTreeClassifier):
            return name
    raise Problem("curve_pipeline 应是以 DecisionTreeClassifier 结尾的流水线",
                  "curve_pipeline must be the pipeline ending in the DecisionTreeClassifier")


def _curve_reproduced(a: CurveAnswer) -> bool:
    """3-fold cross-validation of the learner's pipeline on their training rows gives their curve."""
    name = _depth_parameter(a.pipeline)
    if check_cv(a.folds, a.train.y, classifier=True).get_n_splits(a.train.X, a.train.y) != 3:
        raise Problem("curve_folds 应是 3 折（3 或 3 折的划分器）",
                      "curve_folds must give 3 folds (3 or a 3-fold splitter)")
    # the shallowest, the best, a middle and the deepest depth tell a re-run from another curve
    curve = a.curve
    rows = sorted({0, len(curve) // 2, int(curve["valid_score"].to_numpy().argmax()), len(curve) - 1})
    depths = [int(d) if float(d).is_integer() else d for d in curve["max_depth"].iloc[rows]]
    reported = curve[["train_score", "valid_score"]].iloc[rows].to_numpy(dtype=float)
    for scoring in (None, "roc_auc"):
        def compute(scoring: str | None = scoring) -> np.ndarray:
            train, valid = validation_curve(clone(a.pipeline), a.train.X, a.train.y,
                                            param_name=name, param_range=depths, cv=a.folds,
                                            scoring=scoring, error_score="raise")
            return np.column_stack([train.mean(axis=1), valid.mean(axis=1)])
        first = est.rerun(compute, ("curve", a.pipeline, a.train.X, a.train.y, name, depths, a.folds,
                                 scoring))
        if est.agrees(compute, lambda again, tol: np.max(np.abs(again - reported))
                   <= max(tol, REPORT_TOL), first=first):
            return True
    raise Problem("用 curve_pipeline 和 curve_folds 在训练集上重新做 3 折交叉验证，得分与曲线不符："
                  "两列得分都要来自训练集上的交叉验证（准确率或 roc_auc），不能用测试集",
                  "3-fold cross-validation of curve_pipeline with curve_folds on the training rows "
                  "gives other scores: both columns must come from cross-validation on the training "
                  "set (accuracy or roc_auc), not from the test set")


def _gap(curve: pd.DataFrame) -> pd.Series:
    return curve["train_score"] - curve["valid_score"]


def _overfitting_shown(curve: pd.DataFrame) -> bool:
    train = curve["train_score"]
    rho = spearmanr(curve["max_depth"], train).statistic
    if not (rho >= 0.9 and train.iloc[-1] - train.iloc[0] >= 0.1):
        raise Problem("训练得分应随深度上升：train_score 是在训练数据上算的吗？",
                      "the training score should rise with depth: "
                      "is train_score measured on the training data?")
    if _gap(curve).iloc[-1] - _gap(curve).iloc[0] < 0.05:
        raise Problem("最深的树的训练-验证差距应明显大于最浅的树：valid_score 要来自交叉验证",
                      "the deepest tree's train–validation gap should clearly exceed the "
                      "shallowest one's: valid_score must come from cross-validation")
    return True


def _validation_peaks(curve: pd.DataFrame) -> bool:
    valid = curve["valid_score"]
    return bool(valid.idxmax() < len(curve) - 1 and valid.max() - valid.iloc[-1] >= 0.01
                and _gap(curve).mean() > 0.01)


depth_curve = Task(
    grade_id="depth_curve",
    unit=UNIT,
    level=LEVEL,
    title=Msg("复杂度曲线：欠拟合与过拟合", "Complexity curve: under- and over-fitting"),
    prepare=_prepare_curve,
    criteria=[
        criterion(
            "深度从浅到深，得分在 0–1 之间", "depths run from shallow to deep, scores lie in 0–1", 0.5,
            visible=True, fail=("曲线的范围不对", "the curve's range is wrong"),
        )(lambda a: _curve_range(a.curve)),
        criterion(
            "得分来自训练集上的 3 折交叉验证（可重现）",
            "the scores are 3-fold cross-validation on the training set (reproduced)", 1,
            fail=("曲线无法重现", "the curve cannot be reproduced"),
        )(_curve_reproduced),
        criterion(
            "训练得分随深度上升，训练-验证差距变大",
            "the training score rises and the gap widens with depth", 0.75,
            fail=("曲线没有显示过拟合", "the curve does not show over-fitting"),
        )(lambda a: _overfitting_shown(a.curve)),
        criterion(
            "验证得分在中间深度达到最高", "the validation score peaks at a middle depth", 0.75,
            fail=("验证得分应先升后降，且低于训练得分：它是用交叉验证在训练集上算的吗？",
                  "the validation score should rise then fall and stay below the training score: "
                  "is it cross-validated on the training set?"),
        )(lambda a: _validation_peaks(a.curve)),
    ],
    hints=[
        Msg("curve_folds = 3；validation_curve(curve_pipeline, X_train, y_train, "
            "param_name='model__max_depth', param_range=[1, 2, 3, 4, 5, 6, 8, 10, 12, 15], "
            "cv=curve_folds)，再对每一行取平均。",
            "curve_folds = 3; validation_curve(curve_pipeline, X_train, y_train, "
            "param_name='model__max_depth', param_range=[1, 2, 3, 4, 5, 6, 8, 10, 12, 15], "
            "cv=curve_folds), then average each row."),
    ],
)


# --- Task 5: k-fold cross-validation, mean ± std -------------------------------------------------

CV_KEYS = ["pipeline", "folds", "scoring", "scores", "mean", "std"]


@dataclass(frozen=True)
class CVAnswer:
    """Task 5's answer: the learner's report and training rows, with the check's own re-run."""

    report: Mapping[str, Any]
    train: est.Part

    @cached_property
    def scores(self) -> np.ndarray:
        """The fold scores the learner reported, as floats."""
        scores = np.asarray(self.report["scores"], dtype=float).ravel()
        if len(scores) < 3:
            raise Problem("至少需要 3 折的得分", "at least 3 fold scores are needed")
        return scores

    def rerun(self) -> np.ndarray:
        """Cross-validation of the learner's pipeline on their folds and training rows (a fresh run)."""
        pipeline = _require_pipeline(self.report["pipeline"])
        return est.rerun(lambda: cross_val_score(clone(pipeline), self.train.X, self.train.y,
                                              cv=self.report["folds"],
                                              scoring=self.report["scoring"],
                                              error_score="raise"))

    @cached_property
    def again(self) -> np.ndarray:
        """The check's first re-run of the learner's cross-validation."""
        pipeline = _require_pipeline(self.report["pipeline"])
        return est.rerun(self.rerun, ("cv", pipeline, self.train.X, self.train.y, self.report["folds"],
                                   self.report["scoring"]))


def _prepare_cv(answer: Any) -> CVAnswer:
    report, X_train, y_train = unpack(answer, ["cv_report", "X_train", "y_train"])
    report = require_mapping(report, keys=CV_KEYS)
    return CVAnswer(report, _part(X_train, y_train))


def _reported_as_mean_std(a: CVAnswer) -> bool:
    if not ((a.scores >= 0) & (a.scores <= 1)).all():
        raise Problem("每折得分应在 0–1 之间（用 accuracy、roc_auc 等越大越好的指标）",
                      "each fold score must lie in 0–1 "
                      "(use a greater-is-better metric such as accuracy or roc_auc)")
    mean, std = as_number(a.report["mean"]), as_number(a.report["std"])
    # rounded fold scores and a rounded mean may each be half a unit of the second decimal off
    if not est.reported(mean, float(a.scores.mean()), tol=2 * REPORT_TOL):
        raise Problem("mean 不是各折得分的平均值", "mean is not the average of the fold scores")
    variances = [float(a.scores.var(ddof=d)) for d in (0, 1)]
    if not any(est.reported(std, float(a.scores.std(ddof=d)), *variances, tol=2 * REPORT_TOL)
               for d in (0, 1)):
        raise Problem("std 不是各折得分的标准差", "std is not the standard deviation of the fold scores")
    return True


def _no_leakage(a: CVAnswer) -> bool:
    pipeline = _require_pipeline(a.report["pipeline"])
    if not any(hasattr(step, "transform") for step in est.preprocessing_steps(pipeline)):
        raise Problem("Pipeline 的前几步应是预处理（填补、编码、标准化）",
                      "the Pipeline's first steps must be preprocessing (imputing, encoding, scaling)")
    try:
        _ = a.again  # the re-run must succeed on the raw training rows
    except Problem:
        raise
    except Exception:
        raise Problem("在原始训练数据上重新交叉验证时出错："
                      "填补和编码都要放在 Pipeline 里，folds 用整数或 KFold 对象",
                      "re-running the cross-validation on the raw training rows fails: impute and "
                      "encode inside the Pipeline, and give folds as an int or a KFold object") from None
    return True


def _cv_reproduced(a: CVAnswer) -> bool:
    """Fold by fold, the learner's scores are their pipeline's on their folds of the training rows."""
    if len(a.again) != len(a.scores):
        raise Problem("报告的折数与 folds 不一致", "the number of reported folds differs from folds")

    def matches(again: np.ndarray, tol: float) -> bool:
        if tol == 0:  # seeded folds and model: the same folds, fold by fold
            return bool(np.max(np.abs(again - a.scores)) <= REPORT_TOL)
        return est.close(float(again.mean()), float(a.scores.mean()), tol)  # unseeded: the mean moves

    return est.agrees(a.rerun, matches, first=a.again)


cross_validation = Task(
    grade_id="cross_validation",
    unit=UNIT,
    level=LEVEL,
    title=Msg("k 折交叉验证（均值 ± 标准差）", "k-fold cross-validation as mean ± std"),
    prepare=_prepare_cv,
    criteria=[
        criterion(
            "报告了各折得分的均值和标准差", "the fold scores are reported as mean ± std", 1,
            visible=True, fail=("交叉验证结果的汇总不对", "the cross-validation summary is wrong"),
        )(_reported_as_mean_std),
        criterion(
            "预处理在 Pipeline 内、在每一折中训练（无泄漏）",
            "preprocessing is a step of the pipeline, fitted inside each fold (no leakage)", 1,
            fail=("存在数据泄漏的风险", "there is a risk of leakage"),
        )(_no_leakage),
        criterion(
            "重新运行交叉验证得到一致的结果", "re-running the cross-validation agrees with the report",
            1,
            fail=("用你的 pipeline、folds 和 scoring 在训练集上重新交叉验证，各折得分与报告不符"
                  "（要在训练集上交叉验证，不能用全部数据或测试集）",
                  "cross-validating your pipeline with your folds and scoring on the training set "
                  "gives other fold scores than reported (cross-validate the training set, not all "
                  "rows or the test set)"),
        )(_cv_reproduced),
    ],
    hints=[
        Msg("scores = cross_val_score(pipeline, X_train, y_train, cv=folds, scoring='accuracy')；"
            "报告 scores.mean() 和 scores.std()。",
            "scores = cross_val_score(pipeline, X_train, y_train, cv=folds, scoring='accuracy'); "
            "report scores.mean() and scores.std()."),
    ],
)


# --- Task 6: grid search inside a pipeline -------------------------------------------------------

GRID_KEYS = ["best_params", "cv_score", "test_score"]


@dataclass(frozen=True)
class GridAnswer:
    """Task 6's answer: the fitted search, the learner's summary of it and the split."""

    grid: Any
    report: Mapping[str, Any]
    train: est.Part
    test: est.Part


def _prepare_grid(answer: Any) -> GridAnswer:
    grid, report, X_train, X_test, y_train, y_test = unpack(
        answer, ["grid", "grid_report", "X_train", "X_test", "y_train", "y_test"])
    report = require_mapping(report, keys=GRID_KEYS)
    if not hasattr(grid, "cv_results_") or not hasattr(grid, "best_estimator_"):
        raise Problem("grid 应是已经 fit 过的 GridSearchCV（refit=True）",
                      "grid must be a fitted GridSearchCV (with refit=True)")
    return GridAnswer(grid, report, _part(X_train, y_train), _part(X_test, y_test))


def _grid_shape(a: GridAnswer) -> bool:
    _require_pipeline(a.grid.estimator)
    candidates = list(a.grid.cv_results_["params"])
    names = {name for candidate in candidates for name in candidate}
    varied = [name for name in names if len({repr(c.get(name)) for c in candidates}) >= 2]
    if len(varied) < 2 or len(candidates) < 4:
        raise Problem("网格至少要有 2 个参数、共 4 组以上候选",
                      "the grid needs at least 2 parameters and at least 4 candidates")
    return True


def _best_consistent(a: GridAnswer) -> bool:
    grid = a.grid
    key = "mean_test_score" if isinstance(grid.refit, bool) else f"mean_test_{grid.refit}"
    means = np.asarray(grid.cv_results_[key], dtype=float)
    best = float(means[grid.best_index_])
    if not (est.close(float(grid.best_score_), best, 1e-9) and best >= np.nanmax(means) - 1e-12):
        raise Problem("best_score_ 与 cv_results_ 不一致", "best_score_ does not match cv_results_")
    reported = dict(a.report["best_params"])
    if repr(sorted(reported.items())) != repr(sorted(grid.best_params_.items())):
        raise Problem("报告的 best_params 不是搜索得到的最佳参数",
                      "the reported best_params are not the search's")
    with est.quiet():
        test_score = float(grid.score(a.test.X, a.test.y))
    return est.reported(a.report["cv_score"], float(grid.best_score_), test_score)


def _test_score_reported(a: GridAnswer) -> bool:
    with est.quiet():
        score = float(a.grid.score(a.test.X, a.test.y))
        train_score = float(a.grid.score(a.train.X, a.train.y))
    return est.reported(a.report["test_score"], score, train_score, float(a.grid.best_score_))


def _tuned_beats_baseline(a: GridAnswer) -> bool:
    est.require_fitted_on(a.grid.best_estimator_, a.train, a.test, "best_estimator_")
    return a.test.accuracy(a.grid) > a.test.majority_share


grid_search = Task(
    grade_id="grid_search",
    unit=UNIT,
    level=LEVEL,
    title=Msg("在流水线中做网格搜索", "Grid search over a pipeline"),
    prepare=_prepare_grid,
    criteria=[
        criterion(
            "对 Pipeline 搜索了 ≥ 2 个参数、≥ 4 组候选",
            "a Pipeline searched over ≥ 2 parameters and ≥ 4 candidates", 1, visible=True,
            fail=("网格不对", "wrong grid"),
        )(_grid_shape),
        criterion(
            "报告的最佳参数和交叉验证得分与搜索结果一致",
            "the reported best parameters and CV score match the search", 1,
            fail=("最佳参数或最佳交叉验证得分报告错了（用 grid.best_params_ 和 grid.best_score_）",
                  "the best parameters or the best CV score are misreported "
                  "(use grid.best_params_ and grid.best_score_)"),
        )(_best_consistent),
        criterion(
            "报告了最佳模型在测试集上的得分", "the best model's test score is reported", 1,
            fail=("test_score 应是 grid.score(X_test, y_test)",
                  "test_score must be grid.score(X_test, y_test)"),
        )(_test_score_reported),
        criterion(
            "只在训练集上搜索，调优后的模型超过基线",
            "searched on the training set; the tuned model beats the baseline", 1,
            fail=("调优后的模型在测试集上没有超过基线",
                  "the tuned model does not beat the baseline on the test set"),
        )(_tuned_beats_baseline),
    ],
    hints=[
        Msg("参数名要带步骤前缀，如 {'model__max_depth': [4, 8], 'model__min_samples_leaf': [1, 10]}。",
            "Parameter names carry the step prefix, e.g. "
            "{'model__max_depth': [4, 8], 'model__min_samples_leaf': [1, 10]}."),
    ],
)


# --- Task 7: class imbalance, fixed two ways -----------------------------------------------------

IMBALANCE_KEYS = ["minority_share", "plain", "weighted", "resampled", "recall"]
APPROACHES = ["plain", "weighted", "resampled"]


@dataclass(frozen=True)
class ImbalanceAnswer:
    """Task 7's answer: the share, the three models and their recall, with the test rows."""

    report: Mapping[str, Any]
    train: est.Part
    test: est.Part

    def _recall(self, rows: est.Part) -> dict[str, float]:
        out = {}
        for name in APPROACHES:
            predicted = est.predict(self.report[name], rows.X)
            with est.quiet():
                out[name] = float(recall_score(rows.y, predicted, pos_label=1))
        return out

    @cached_property
    def recall(self) -> dict[str, float]:
        """Minority-class recall of each model on the learner's test rows, computed here."""
        return self._recall(self.test)

    @cached_property
    def train_recall(self) -> dict[str, float]:
        """The same on the training rows (reporting these is a slip)."""
        return self._recall(self.train)


def _prepare_imbalance(answer: Any) -> ImbalanceAnswer:
    report, X_train, X_test, y_train, y_test = unpack(
        answer, ["imbalance", "X_train", "X_test", "y_train", "y_test"])
    report = require_mapping(report, keys=IMBALANCE_KEYS)
    require_mapping(report["recall"], keys=APPROACHES)
    for name in APPROACHES:
        if not est.is_fitted(report[name]):
            raise Problem(f"imbalance['{name}'] 还没有训练", f"imbalance['{name}'] is not fitted yet")
    return ImbalanceAnswer(report, _part(X_train, y_train), _part(X_test, y_test))


def _imbalance_detected(a: ImbalanceAnswer) -> bool:
    """The bad share of the learner's training rows, test rows or whole table (their own split)."""
    share = as_number(a.report["minority_share"])
    if not 0 < share < 0.5:
        raise Problem("minority_share 应是少数类（bad）的占比，0–0.5 之间的小数",
                      "minority_share must be the minority (bad) class's share, a fraction below 0.5")
    shares = (a.train.y.mean(), a.test.y.mean(), np.concatenate([a.train.y, a.test.y]).mean())
    return any(est.reported(share, float(s)) for s in shares)


def _settings(estimator: Any) -> dict[str, str]:
    """The hyperparameters the statement fixes across the three models (all but class_weight)."""
    return {name: repr(value) for name, value in estimator.get_params(deep=False).items()
            if name not in _NOT_HYPERPARAMETERS | {"class_weight"}}


def _same_kind(a: ImbalanceAnswer, name: str) -> None:
    """The fix ``name`` uses plain's classifier with plain's hyperparameters (a slip costs its point)."""
    plain, fixed = est.final_estimator(a.report["plain"]), est.final_estimator(a.report[name])
    if type(plain) is not type(fixed):
        raise Problem(f"{name} 应与 plain 是同一种分类器，比较才公平",
                      f"{name} must be the same kind of classifier as plain for a fair comparison")
    reference = _settings(plain)
    differ = sorted(k for k, v in _settings(fixed).items() if reference.get(k) != v)
    if differ:
        raise Problem(f"{name} 的超参数应与 plain 相同（只有 class_weight 可以不同），这些不同：{differ}",
                      f"{name} must keep plain's hyperparameters (only class_weight may differ); "
                      f"these differ: {differ}")


def _weighted_right(a: ImbalanceAnswer) -> bool:
    _same_kind(a, "weighted")
    plain, weighted = a.report["plain"], a.report["weighted"]
    if _weights_minority(est.final_estimator(plain)) or any(est.is_sampler(p) for p in est.walk(plain)):
        raise Problem("plain 应是不做任何处理的模型", "plain must be the model without any fix")
    if any(est.is_sampler(p) for p in est.walk(weighted)):
        raise Problem("weighted 只用类别权重，不要重采样", "weighted uses class weights only, no resampling")
    if not _weights_minority(est.final_estimator(weighted)):
        raise Problem("weighted 的分类器应设置 class_weight='balanced'（或给 bad 更大的权重）",
                      "the classifier of weighted needs class_weight='balanced' "
                      "(or a larger weight for bad)")
    est.require_fitted_on(plain, a.train, a.test, "plain")
    est.require_fitted_on(weighted, a.train, a.test, "weighted")
    return True


def _resampled_right(a: ImbalanceAnswer) -> bool:
    _same_kind(a, "resampled")
    steps = est.preprocessing_steps(a.report["resampled"])
    if not any(est.is_sampler(p) for step in steps for p in est.walk(step)):
        raise Problem("resampled 应是 imblearn 的 Pipeline，模型之前有采样步骤"
                      "（如 SMOTE、RandomOverSampler）",
                      "resampled must be an imblearn Pipeline with a sampler step "
                      "(SMOTE, RandomOverSampler …) before the model")
    est.require_fitted_on(a.report["resampled"], a.train, a.test, "resampled")
    return True


def _recall_reported(a: ImbalanceAnswer) -> bool:
    reported = {name: as_number(a.report["recall"][name]) for name in APPROACHES}
    wrong = [name for name in APPROACHES
             if not est.reported(reported[name], a.recall[name], a.train_recall[name])]
    if wrong:
        raise Problem(f"这些召回率与模型在测试集上的实际结果不符：{wrong}",
                      f"these recalls differ from the models' results on the test set: {wrong}")
    return True


def _recall_improved(a: ImbalanceAnswer) -> bool:
    worse = [name for name in ("weighted", "resampled") if not a.recall[name] > a.recall["plain"]]
    if worse:
        raise Problem(f"这些处理没有提高少数类召回率：{worse}",
                      f"these fixes do not raise the minority recall: {worse}")
    return True


imbalance = Task(
    grade_id="imbalance",
    unit=UNIT,
    level=LEVEL,
    title=Msg("类别不平衡：发现并用两种方法处理", "Class imbalance: detect it, fix it two ways"),
    prepare=_prepare_imbalance,
    criteria=[
        criterion(
            "算出了少数类占比", "the minority share is measured", 1, visible=True,
            fail=("少数类占比与数据不符", "the minority share does not match the data"),
        )(_imbalance_detected),
        criterion(
            "类别权重：同一模型加 class_weight", "class weights: the same model with class_weight", 1,
            fail=("类别权重的做法不对", "the class-weight fix is wrong"),
        )(_weighted_right),
        criterion(
            "重采样：imblearn Pipeline 中的采样步骤", "resampling: a sampler inside an imblearn Pipeline",
            1, fail=("重采样的做法不对", "the resampling fix is wrong"),
        )(_resampled_right),
        criterion(
            "报告的少数类召回率与测试集上的结果一致", "the reported minority recalls match the test set",
            1, fail=("召回率报告错了", "the recalls are misreported"),
        )(_recall_reported),
        criterion(
            "两种处理都提高了少数类召回率", "both fixes raise the minority recall", 1,
            fail=("召回率没有提高", "the recall did not rise"),
        )(_recall_improved),
    ],
    hints=[
        Msg("y_train.value_counts(normalize=True) 看类别占比；"
            "LogisticRegression(class_weight='balanced')。",
            "y_train.value_counts(normalize=True) shows the shares; "
            "LogisticRegression(class_weight='balanced')."),
        Msg("from imblearn.pipeline import Pipeline；步骤为 预处理 → SMOTE(random_state=SEED) → 模型，"
            "采样只在 fit 时作用于训练数据。",
            "from imblearn.pipeline import Pipeline; steps: preprocess → SMOTE(random_state=SEED) "
            "→ model; the sampler acts on training data during fit only."),
    ],
)


# --- Task 8: save the chosen model safely and prove the reload ----------------------------------

@dataclass(frozen=True)
class SavedAnswer:
    """Task 8's answer: the model file, the model in memory and the test rows."""

    path: Path
    model: Any
    test: est.Part

    @cached_property
    def reloaded(self) -> Any:
        """The model loaded back with skops, trusting the types of ``graders/trusted.py`` only."""
        import skops.io as sio

        try:
            untrusted = sio.get_untrusted_types(file=self.path)
        except Exception:
            raise Problem("文件不是 skops 格式：用 skops.io.dump 保存",
                          "the file is not in skops format: save it with skops.io.dump") from None
        foreign = foreign_types(untrusted)
        if foreign:
            raise Problem(f"文件中含有不在可信类型清单上的类型，不能信任：{foreign}",
                          f"the file holds types that are not on the trusted list: {foreign}")
        with est.quiet():
            return sio.load(self.path, trusted=untrusted)


def _prepare_saved(answer: Any) -> SavedAnswer:
    path, model, X_test, y_test = unpack(answer, ["MODEL_PATH", "chosen_model", "X_test", "y_test"])
    if not isinstance(path, (str, Path)):
        raise Problem(f"MODEL_PATH 应是路径，实际得到 {type(path).__name__}",
                      f"MODEL_PATH must be a path, got {type(path).__name__}")
    return SavedAnswer(Path(path), model, _part(X_test, y_test))


def _file_in_output(a: SavedAnswer) -> bool:
    if a.path.suffix != ".skops":
        raise Problem("模型文件应以 .skops 结尾", "the model file must end in .skops")
    if a.path.resolve().parent.name != "output" or not a.path.is_file():
        raise Problem("在 output/ 文件夹中找不到模型文件", "the model file is not in the output/ folder")
    return True


def _same_predictions(a: SavedAnswer) -> bool:
    X = a.test.X
    if not np.array_equal(est.predict(a.reloaded, X), est.predict(a.model, X)):
        return False
    if hasattr(a.model, "predict_proba"):
        with est.quiet():
            return bool(np.array_equal(a.reloaded.predict_proba(X), a.model.predict_proba(X)))
    return True


def _chosen_is_useful(a: SavedAnswer) -> bool:
    if not est.is_fitted(a.model):
        raise Problem("chosen_model 还没有训练", "chosen_model is not fitted")
    with est.quiet():
        score = balanced_accuracy_score(a.test.y, est.predict(a.model, a.test.X))
    return score > 0.55


saved_model = Task(
    grade_id="saved_model",
    unit=UNIT,
    level=LEVEL,
    title=Msg("安全地保存模型并验证重新加载", "Save the model safely and prove the reload"),
    prepare=_prepare_saved,
    criteria=[
        criterion(
            "output/ 中有 .skops 模型文件", "a .skops model file is in output/", 0.5, visible=True,
            fail=("模型文件不对", "wrong model file"),
        )(_file_in_output),
        criterion(
            "只信任库中的类型即可用 skops 加载", "it loads with skops trusting library types only", 1,
            fail=("文件无法安全加载", "the file cannot be loaded safely"),
        )(lambda a: a.reloaded is not None),
        criterion(
            "重新加载的模型预测完全相同", "the reloaded model predicts exactly the same", 1,
            fail=("重新加载的模型与内存中的 chosen_model 预测不同：保存的是同一个模型吗？",
                  "the reloaded model predicts differently from chosen_model: "
                  "is it the same model?"),
        )(_same_predictions),
        criterion(
            "保存的是有用的已训练模型", "the saved model is a useful fitted model", 0.5,
            fail=("所选模型的平衡准确率不比瞎猜好",
                  "the chosen model's balanced accuracy is no better than guessing"),
        )(_chosen_is_useful),
    ],
    hints=[
        Msg("skops.io.dump(模型, 路径)；加载前先看 skops.io.get_untrusted_types(file=路径) 列出的类型。",
            "skops.io.dump(model, path); before loading, read the types listed by "
            "skops.io.get_untrusted_types(file=path)."),
    ],
)


# --- Task 9: regression on auto-mpg ---------------------------------------------------------------

REGRESSION_KEYS = ["X", "y", "pipeline", "folds", "rmse_mean", "baseline_rmse"]


@dataclass(frozen=True)
class RegressionAnswer:
    """Task 9's answer, with the check's own re-run of both cross-validations."""

    report: Mapping[str, Any]
    X: pd.DataFrame
    y: pd.Series

    def rmse_of(self, model: Any) -> Callable[[], np.ndarray]:
        """A re-run of the cross-validated RMSE of ``model`` on the learner's folds."""
        return lambda: -cross_val_score(clone(model), self.X, self.y, cv=self.report["folds"],
                                        scoring="neg_root_mean_squared_error",
                                        error_score="raise").mean()

    @cached_property
    def rmse(self) -> np.ndarray:
        """Cross-validated RMSE of the learner's pipeline on their folds (the check's re-run)."""
        pipeline = _require_pipeline(self.report["pipeline"])
        return est.rerun(self.rmse_of(pipeline), ("rmse", pipeline, self.X, self.y, self.report["folds"]))

    @cached_property
    def baseline(self) -> np.ndarray:
        """Cross-validated RMSE of predicting the training mean, on the same folds."""
        return est.rerun(self.rmse_of(DummyRegressor(strategy="mean")),
                      ("rmse", DummyRegressor(strategy="mean"), self.X, self.y, self.report["folds"]))


def _prepare_regression(answer: Any) -> RegressionAnswer:
    report = require_mapping(answer, keys=REGRESSION_KEYS)
    X = require_frame(require_answer(report["X"]))
    y = require_answer(report["y"])
    if not isinstance(y, pd.Series) or len(y) != len(X):
        raise Problem("y 应是与 X 行数相同的 pandas Series", "y must be a pandas Series as long as X")
    return RegressionAnswer(report, X, y)


def _regression_data(a: RegressionAnswer) -> bool:
    auto = auto_mpg()
    if "mpg" in a.X.columns:
        raise Problem("X 中还有目标列 mpg", "X still holds the target mpg")
    y = pd.to_numeric(a.y, errors="coerce")
    if y.isna().any():
        raise Problem("y 中不能有缺失值：删掉没有 mpg 的车", "y must have no gaps: drop the cars without mpg")
    known = auto.index[auto["mpg"].notna()]
    if not a.y.index.equals(a.X.index) or set(a.y.index) != set(known):
        raise Problem("应保留所有有 mpg 的车，只删没有 mpg 的（不要重置索引）",
                      "keep every car with an mpg, drop only those without (do not reset the index)")
    if not np.allclose(y.to_numpy(dtype=float), auto.loc[a.y.index, "mpg"].to_numpy(dtype=float)):
        raise Problem("y 应是 mpg 列", "y must be the mpg column")
    if not all(as_number(a.report[k]) > 0 for k in ("rmse_mean", "baseline_rmse")):
        raise Problem("RMSE 应为正数：neg_root_mean_squared_error 的得分要取相反数",
                      "RMSE must be positive: negate the neg_root_mean_squared_error scores")
    return True


def _folds_shuffled(a: RegressionAnswer) -> bool:
    folds = a.report["folds"]
    if folds is None or isinstance(folds, (int, np.integer)):
        raise Problem("数据按年份排好了序，cv=整数 时各折不打乱："
                      "用 KFold(n_splits=5, shuffle=True, random_state=SEED)",
                      "the file is sorted by model year and cv=<int> does not shuffle: "
                      "use KFold(n_splits=5, shuffle=True, random_state=SEED)")
    name = type(folds).__name__
    if not (getattr(folds, "shuffle", False) or "Shuffle" in name or "Repeated" in name):
        raise Problem("各折没有打乱顺序，而数据是按年份排序的",
                      "the folds are not shuffled, but the file is sorted by year")
    if check_cv(folds).get_n_splits(a.X, a.y) < 3:
        raise Problem("至少用 3 折", "use at least 3 folds")
    return True


def _regression_reproduced(a: RegressionAnswer) -> bool:
    """Both RMSEs re-run on the learner's folds, to two decimals (or the re-run's own spread)."""
    def near(reported: Any) -> Callable[[np.ndarray, float], bool]:
        return lambda again, tol: est.close(float(again), as_number(reported), max(tol, REPORT_TOL))

    pipeline = _require_pipeline(a.report["pipeline"])
    if not est.agrees(a.rmse_of(pipeline), near(a.report["rmse_mean"]), first=a.rmse):
        raise Problem("用你的 pipeline 和 folds 重新交叉验证，RMSE 与 rmse_mean 不符",
                      "cross-validating your pipeline on your folds gives another RMSE than rmse_mean")
    if not est.agrees(a.rmse_of(DummyRegressor(strategy="mean")), near(a.report["baseline_rmse"]),
                   first=a.baseline):
        raise Problem("baseline_rmse 应是 DummyRegressor（预测均值）在同样各折上的 RMSE",
                      "baseline_rmse must be the RMSE of DummyRegressor (predicting the mean) "
                      "on the same folds")
    return True


regression = Task(
    grade_id="regression",
    unit=UNIT,
    level=LEVEL,
    title=Msg("回归：汽车油耗", "Regression: fuel economy (auto-mpg)"),
    prepare=_prepare_regression,
    criteria=[
        criterion(
            "只删除缺目标的行，X 不含 mpg，RMSE 为正",
            "only rows without a target dropped, no mpg in X, RMSE positive", 1, visible=True,
            fail=("回归数据或误差的准备不对", "the regression data or errors are set up wrongly"),
        )(_regression_data),
        criterion(
            "各折打乱（数据按年份排序）", "the folds are shuffled (the file is sorted by year)", 1,
            fail=("各折没有打乱", "the folds are not shuffled"),
        )(_folds_shuffled),
        criterion(
            "重新运行交叉验证得到一致的 RMSE", "re-running the cross-validation agrees with both RMSEs",
            1, fail=("RMSE 与重新计算的不符", "the RMSEs differ from a re-run"),
        )(_regression_reproduced),
        criterion(
            "模型明显优于预测均值的基线", "the model clearly beats the predict-the-mean baseline", 1,
            fail=("模型的 RMSE 没有明显低于基线（应低于基线的 70%）",
                  "the model's RMSE is not clearly below the baseline's (under 70 % of it)"),
        )(lambda a: float(a.rmse) < 0.7 * float(a.baseline)),
    ],
    hints=[
        Msg("scoring='neg_root_mean_squared_error' 给出的是负数（越大越好），取相反数得到 RMSE。",
            "scoring='neg_root_mean_squared_error' gives negative numbers (greater is better): "
            "negate them."),
        Msg("auto['model_year'].is_monotonic_increasing 为 True：cv=5 会让每一折是不同的年份。",
            "auto['model_year'].is_monotonic_increasing is True: with cv=5 each fold is a different "
            "set of years."),
    ],
)


# --- Written answers, graded by hand --------------------------------------------------------------

param_explanation = WrittenTask(
    grade_id="param_explanation",
    unit=UNIT,
    level=LEVEL,
    title=Msg("各超参数的作用", "What each hyperparameter changes"),
    rubric=[
        RubricPoint(Msg("逻辑回归的 C：C 越小正则化越强、模型越简单（易欠拟合），"
                        "C 越大越贴合训练数据（易过拟合）",
                        "logistic C: a smaller C regularises more, a simpler model (risk of "
                        "under-fitting); a larger C follows the training data closely (over-fitting)"),
                    1),
        RubricPoint(Msg("树与森林：max_depth、min_samples_leaf 控制复杂度；"
                        "n_estimators 越多越稳定、越慢，本身不会导致过拟合",
                        "trees and forests: max_depth and min_samples_leaf set the complexity; "
                        "more n_estimators is steadier and slower and does not by itself over-fit"),
                    1),
        RubricPoint(Msg("读懂曲线：指出欠拟合区（两条线都低）、过拟合区（训练高、验证下降、差距变大），"
                        "并按验证得分选深度",
                        "reads the curve: the under-fitting zone (both low), the over-fitting zone "
                        "(training high, validation falling, gap widening); picks the depth by the "
                        "validation score"),
                    1),
    ],
)

tuning_record = WrittenTask(
    grade_id="tuning_record",
    unit=UNIT,
    level=LEVEL,
    title=Msg("调参记录", "Tuning record"),
    rubric=[
        RubricPoint(Msg("尝试了什么：模型、参数取值、交叉验证方式和指标，附均值 ± 标准差",
                        "what was tried: models, parameter values, CV scheme and metric, "
                        "with mean ± std"), 1),
        RubricPoint(Msg("保留了什么、为什么：依据交叉验证而不是测试集，兼顾稳定性与简单性",
                        "what was kept and why: chosen by cross-validation, not the test set, "
                        "weighing stability and simplicity"), 1),
        RubricPoint(Msg("不平衡处理：两种方法的召回率对比、对精确率/准确率的代价，以及按业务成本的取舍",
                        "imbalance: both fixes' recall compared, the cost in precision or accuracy, "
                        "and the choice by business cost"), 1),
        RubricPoint(Msg("无泄漏与可复现：预处理在流水线/各折内拟合，固定随机种子，分层划分，"
                        "测试集只用于最终评估",
                        "no leakage, reproducible: preprocessing fitted inside the pipeline and "
                        "folds, fixed seeds, a stratified split, the test set kept for the end"), 1),
        RubricPoint(Msg("模型文件：格式与重新加载的验证；说明加载不可信的 pickle/joblib 文件会执行任意代码，"
                        "而 skops 只加载受信任的类型",
                        "model file: format and proof of the reload; explains that unpickling an "
                        "untrusted pickle/joblib file can run arbitrary code, while skops loads "
                        "trusted types only"), 1),
        RubricPoint(Msg("局限与下一步（如调整判定阈值、更多特征、记录库版本）",
                        "limits and next steps (decision threshold, more features, "
                        "recording library versions)"), 1),
    ],
)


LAB = Lab(
    assignment="model_tuning",
    notebook="model_tuning_l3.ipynb",
    level=LEVEL,
    summary=Msg(
        "分层划分、基线、手动调参、复杂度曲线、交叉验证（均值 ± 标准差）、流水线内网格搜索、类别不平衡（类权重与重采样）、用 skops 安全保存、汽车油耗回归、调参记录",
        "stratified split, baseline, hand-set hyperparameters, complexity curve, CV as mean ± std, grid search inside a pipeline, class imbalance (weights and resampling), safe saving with skops, auto-mpg regression, a tuning record"),
    tasks=[split, baseline, hand_models, depth_curve, param_explanation, cross_validation,
           grid_search, imbalance, saved_model, regression, tuning_record],
)
