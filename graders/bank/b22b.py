"""Bank task b22b (L3 · 2.2, 20 minutes, 20 points): test a water utility's daily demand forecast.

A split in time (the latest 20 % of days as the test set), a regression model with its test
predictions saved to ``output/predictions.txt`` and its MAE on the candidate's own test set (error
carried forward), and a written test report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error

from graders.answers import as_number, require_frame, unpack
from graders.bank import BankTask
from graders.bank.common import data, saved_predictions
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "2.2", "L3"
TARGET = "demand"
PREDICTIONS = Path("output") / "predictions.txt"
#: The statement asks for the MAE to one decimal.
MAE_TOLERANCE = 0.05 + 1e-9
#: A model worth testing beats the training mean by far: with the weather and calendar a linear model
#: errs 0.16-0.30 of the mean's MAE on the latest days, on the rain alone about 1.0 (checked over seeds).
BASELINE_SHARE = 0.6


def _dates(index: pd.Index) -> pd.Series:
    return pd.to_datetime(data("water_demand")["date"]).reindex(index)


def _split(answer: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, pd.Series]:
    x_train, x_test, y_train, y_test = unpack(answer, ["X_train", "X_test", "y_train", "y_test"])
    x_train, x_test = require_frame(x_train), require_frame(x_test)
    y_train, y_test = pd.Series(y_train), pd.Series(y_test)
    if len(x_train) != len(y_train) or len(x_test) != len(y_test):
        raise Problem("X 与 y 的行数不一致", "X and y have different numbers of rows")
    n = len(data("water_demand"))
    rows = [*x_train.index, *x_test.index]
    if not set(rows) <= set(range(n)):
        raise Problem("请保留原表的行索引（不要 reset_index）", "keep the table's row index (no reset_index)")
    return x_train, x_test, y_train, y_test


def _sizes(split: tuple) -> bool:
    n = len(data("water_demand"))
    return abs(len(split[1]) - bc.TEST_SHARE * n) <= 1 and len(split[0]) + len(split[1]) == n


def _test_is_latest(split: tuple) -> bool:
    train_dates, test_dates = _dates(split[0].index), _dates(split[1].index)
    if test_dates.min() <= train_dates.max():
        raise Problem("测试集里有早于训练集的日期：按日期排序后取最后 20 %，不要随机划分", "the test set has days "
                      "before training days: sort by date and take the last 20 %, do not split at random")
    return True


def _clean_features(split: tuple) -> bool:
    x_train, x_test = split[0], split[1]
    bad = [c for c in (TARGET, "date") if c in x_train.columns or c in x_test.columns]
    if bad:
        raise Problem(f"特征中不能含 {bad}", f"the features must not include {bad}")
    rows = [*x_train.index, *x_test.index]
    return len(set(rows)) == len(rows)


split = Task(
    grade_id="b22b_split",
    unit=UNIT,
    level=LEVEL,
    title=Msg("按时间划分训练集与测试集（最后 20 % 的日期）", "A split in time: the latest 20 % of days as the test set"),
    prepare=_split,
    criteria=[
        criterion("测试集占 20 %，覆盖全部行", "the test set is 20 % of the rows, all rows used", 2, visible=True,
                  fail=("划分比例不对", "wrong split size"))(_sizes),
        criterion("测试集的日期都晚于训练集", "every test day is later than every training day", 2,
                  fail=("不是按时间划分", "not a split in time"))(_test_is_latest),
        criterion("两部分不重叠，特征不含 demand 和 date", "the parts do not overlap; the features exclude demand "
                  "and date", 2, fail=("划分有重叠", "the parts overlap"))(_clean_features),
    ],
    hints=[Msg("按 date 排序（导出的表不是按日期排列的），前 80 % 行训练、后 20 % 测试；不要 reset_index。",
               "Sort by date (the export is not in date order): the first 80 % of rows train, the last 20 % test; "
               "no reset_index.")],
)


def _model_answer(answer: Any) -> tuple[Any, float, pd.DataFrame, pd.DataFrame, pd.Series, pd.Series]:
    model, mae, x_train, x_test, y_train, y_test = unpack(
        answer, ["model", "mae", "X_train", "X_test", "y_train", "y_test"])
    if not hasattr(model, "predict"):
        raise Problem("model 应是训练好的回归模型", "model must be a trained regressor")
    return model, as_number(mae), require_frame(x_train), require_frame(x_test), pd.Series(y_train), \
        pd.Series(y_test)


def _predictions(answer: tuple) -> np.ndarray:
    model, _, _, x_test, _, _ = answer
    return np.asarray(model.predict(x_test), dtype=float).ravel()


def _saved_match(answer: tuple) -> bool:
    want = _predictions(answer)
    text = saved_predictions(PREDICTIONS, len(want))
    try:
        got = np.array([float(v) for v in text])
    except ValueError:
        raise Problem("predictions.txt 每行应是一个数字", "each line of predictions.txt must be a number") from None
    return bool(np.allclose(got, want, atol=0.05 + 1e-9))


def _mae_right(answer: tuple) -> bool:
    y_test = answer[5]
    return abs(answer[1] - mean_absolute_error(y_test, _predictions(answer))) <= MAE_TOLERANCE


def _beats_baseline(answer: tuple) -> bool:
    y_train, y_test = answer[4], answer[5]
    baseline = mean_absolute_error(y_test, np.full(len(y_test), float(np.mean(y_train))))
    return mean_absolute_error(y_test, _predictions(answer)) <= BASELINE_SHARE * baseline


model = Task(
    grade_id="b22b_model",
    unit=UNIT,
    level=LEVEL,
    title=Msg("训练回归模型，保存预测并计算 MAE", "Train a regressor, save its predictions, compute the MAE"),
    prepare=_model_answer,
    criteria=[
        criterion("模型能对测试集预测", "the model predicts the test set", 1, visible=True,
                  fail=("模型无法预测", "the model cannot predict"))(lambda answer: len(_predictions(answer)) > 0),
        criterion("output/predictions.txt：测试集每行一个预测，与模型一致", "output/predictions.txt holds one "
                  "prediction per test row, the model's", 3, fail=("预测文件缺失或与模型的预测不同", "the file is "
                                                                  "missing or differs from the model's "
                                                                  "predictions"))(_saved_match),
        criterion("mae 是模型在你的测试集上的平均绝对误差（一位小数）", "mae is the model's mean absolute error on "
                  "your test set (to one decimal)", 2, fail=("MAE 不对：用测试集的真实值和预测值计算", "wrong MAE: "
                                                            "use the test set's actual and predicted values"))(
            _mae_right),
        criterion("模型明显优于用训练集均值预测（MAE 不超过其 60 %）", "the model clearly beats predicting the "
                  "training mean (at most 60 % of its MAE)", 2, fail=("模型几乎没有学到东西：用上天气和日历特征",
                                                                     "the model learnt little: use the weather "
                                                                     "and calendar features"))(_beats_baseline),
    ],
    hints=[Msg("LinearRegression().fit(X_train, y_train)；np.savetxt('output/predictions.txt', pred, fmt='%.1f')；"
               "mean_absolute_error(y_test, pred)", "LinearRegression().fit(X_train, y_train); "
               "np.savetxt('output/predictions.txt', pred, fmt='%.1f'); mean_absolute_error(y_test, pred)")],
)

report = WrittenTask(
    grade_id="b22b_report",
    unit=UNIT,
    level=LEVEL,
    title=Msg("测试报告：误差、原因与改进", "Test report: the error, its causes, fixes"),
    rubric=[
        RubricPoint(Msg("报告 MAE 并用业务单位解释，与基线比较", "reports the MAE in business units against the "
                        "baseline"), 2),
        RubricPoint(Msg("说明为什么按时间划分、随机划分会高估效果", "why a split in time, and how a random split "
                        "flatters the model"), 2),
        RubricPoint(Msg("分析误差来源（趋势、节假日、极端天气）并提出改进和复测方法", "causes of error (trend, "
                        "holidays, extreme weather), fixes and how to re-test"), 2),
    ],
)

LAB = Lab(
    assignment="b22b",
    notebook="b22b_water_demand.ipynb",
    level=LEVEL,
    tasks=[split, model, report],
    summary=Msg("自来水日需水量预测：按时间划分、回归、预测文件与 MAE、测试报告", "daily water demand: a split in "
                "time, a regressor, the predictions file and MAE, a test report"),
)
TASK = BankTask(LAB, UNIT, 20, Msg("自来水公司的日需水量预测模型", "a water utility's daily demand forecast"))
