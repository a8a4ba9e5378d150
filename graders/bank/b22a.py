"""Bank task b22a (L3 · 2.2, 20 minutes, 20 points): test an e-commerce review classifier.

A stratified 80/20 split, a classifier trained with the imbalance handled, its predictions and
classification report saved as ``.txt`` files in ``output/``, and a written test report. The model
is judged on the candidate's own split (error carried forward).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import recall_score

from graders.answers import require_file, require_frame, unpack
from graders.bank import BankTask
from graders.bank.common import data, saved_predictions
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion

UNIT, LEVEL = "2.2", "L3"
TARGET = "useful"
PREDICTIONS = Path("output") / "predictions.txt"
REPORT = Path("output") / "report.txt"
#: The statement's bar for the minority class: on this data unweighted models recall about 0.3-0.45 of
#: the useful reviews, weighted or resampled ones 0.55-0.8 (checked over many splits and seeds).
MIN_RECALL = 0.5


def _split(answer: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, pd.Series]:
    x_train, x_test, y_train, y_test = unpack(answer, ["X_train", "X_test", "y_train", "y_test"])
    x_train, x_test = require_frame(x_train), require_frame(x_test)
    y_train, y_test = pd.Series(y_train), pd.Series(y_test)
    if len(x_train) != len(y_train) or len(x_test) != len(y_test):
        raise Problem("X 与 y 的行数不一致", "X and y have different numbers of rows")
    return x_train, x_test, y_train, y_test


def _sizes(split: tuple) -> bool:
    n = len(data("review_features"))
    return abs(len(split[1]) - 0.2 * n) <= 1 and len(split[0]) + len(split[1]) == n


def _stratified(split: tuple) -> bool:
    overall = data("review_features")[TARGET].mean()
    y_test = split[3]
    return abs(float(np.mean(y_test)) - overall) <= 1 / len(y_test) + 1e-9


def _disjoint_without_target(split: tuple) -> bool:
    x_train, x_test = split[0], split[1]
    if TARGET in x_train.columns or TARGET in x_test.columns:
        raise Problem("特征中不能含目标列 useful", "the features must not include the target useful")
    rows = list(x_train.index) + list(x_test.index)
    return len(set(rows)) == len(rows) == len(data("review_features"))


split = Task(
    grade_id="b22a_split",
    unit=UNIT,
    level=LEVEL,
    title=Msg("分层划分训练集与测试集（80/20）", "A stratified 80/20 train/test split"),
    prepare=_split,
    criteria=[
        criterion("测试集占 20 %", "the test set is 20 % of the rows", 2, visible=True,
                  fail=("划分比例不对", "wrong split size"))(_sizes),
        criterion("按 useful 分层", "stratified on useful", 2,
                  fail=("测试集中 useful 的比例与全体不同：用 stratify=y", "the share of useful in the test set "
                        "differs from the whole: use stratify=y"))(_stratified),
        criterion("两部分不重叠、覆盖全部行，特征不含目标", "the parts do not overlap, cover every row, and the "
                  "features exclude the target", 2, fail=("划分有重叠或遗漏", "the split overlaps or loses rows"))(
            _disjoint_without_target),
    ],
    hints=[Msg("train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)",
               "train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)")],
)


def _model_answer(answer: Any) -> tuple[Any, pd.DataFrame, pd.Series]:
    model, x_test, y_test = unpack(answer, ["model", "X_test", "y_test"])
    if not hasattr(model, "predict"):
        raise Problem("model 应是训练好的分类器", "model must be a trained classifier")
    return model, require_frame(x_test), pd.Series(y_test)


def _predicts(answer: tuple) -> bool:
    model, x_test, _ = answer
    return len(model.predict(x_test)) == len(x_test)


def _predictions_match(answer: tuple) -> bool:
    model, x_test, _ = answer
    want = [str(int(p)) for p in model.predict(x_test)]
    got = [str(int(float(v))) for v in saved_predictions(PREDICTIONS, len(x_test))]
    return got == want


def _report_saved(answer: tuple) -> bool:
    text = require_file(REPORT, suffix=".txt").read_text(encoding="utf-8")
    return all(word in text for word in ("precision", "recall", "f1-score", "support"))


def _minority_recall(answer: tuple) -> bool:
    model, x_test, y_test = answer
    return recall_score(y_test.astype(int), np.asarray(model.predict(x_test)).astype(int)) >= MIN_RECALL


model = Task(
    grade_id="b22a_model",
    unit=UNIT,
    level=LEVEL,
    title=Msg("训练分类器，保存预测结果和分类报告", "Train a classifier, save its predictions and report"),
    prepare=_model_answer,
    criteria=[
        criterion("模型已训练，能对测试集预测", "the model is trained and predicts the test set", 1, visible=True,
                  fail=("模型无法预测", "the model cannot predict"))(_predicts),
        criterion("output/predictions.txt：测试集每行一个预测，与模型一致", "output/predictions.txt holds one "
                  "prediction per test row, the model's", 3, fail=("预测文件缺失或与模型的预测不同",
                                                                  "the file is missing or differs from the "
                                                                  "model's predictions"))(_predictions_match),
        criterion("output/report.txt 是分类报告", "output/report.txt is a classification report", 2,
                  fail=("报告文件缺失或不是 classification_report 的输出", "the report is missing or not "
                        "classification_report's output"))(_report_saved),
        criterion("处理了类别不平衡：useful 类的召回率至少 0.5", "imbalance handled: recall of useful is at "
                  "least 0.5", 2, fail=("少数类召回率太低：试试 class_weight='balanced'", "the minority recall is too "
                                  "low: try class_weight='balanced'"))(_minority_recall),
    ],
    hints=[Msg("LogisticRegression(class_weight='balanced', max_iter=1000)；np.savetxt(..., fmt='%d')；"
               "classification_report(y_test, pred)。", "LogisticRegression(class_weight='balanced', "
               "max_iter=1000); np.savetxt(..., fmt='%d'); classification_report(y_test, pred).")],
)

report = WrittenTask(
    grade_id="b22a_report",
    unit=UNIT,
    level=LEVEL,
    title=Msg("测试报告：结果、错误原因与改进", "Test report: results, causes of errors, fixes"),
    rubric=[
        RubricPoint(Msg("报告指标并解释（精确率、召回率、F1）", "reports and reads the metrics (P, R, F1)"), 2),
        RubricPoint(Msg("分析错误原因（不平衡、特征）", "causes of the errors (imbalance, features)"), 2),
        RubricPoint(Msg("提出改进并说明如何复测", "fixes and how to re-test them"), 2),
    ],
)

LAB = Lab(
    assignment="b22a",
    notebook="b22a_review_classifier.ipynb",
    level=LEVEL,
    tasks=[split, model, report],
    summary=Msg("电商评论分类器：分层划分、训练、预测与报告文件、测试报告", "review classifier: stratified "
                "split, training, prediction and report files, a test report"),
)
TASK = BankTask(LAB, UNIT, 20, Msg("电商评论是否有用的分类器", "an e-commerce review-usefulness classifier"))
