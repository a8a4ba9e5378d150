"""Bank task b22c (L3 · 2.2, 20 minutes, 20 points): find and fix a kiln-defect model that overfits.

An unconstrained decision tree's training and test accuracy and the overfitting verdict (judged on
the candidate's own tree), a model of limited complexity that tests better with a small gap, its
test predictions saved to ``output/predictions.txt``, and a written analysis of the cause and the fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score

from graders.answers import as_number, require_answer, require_frame, unpack
from graders.bank import BankTask
from graders.bank.common import saved_predictions
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first

UNIT, LEVEL = "2.2", "L3"
PREDICTIONS = Path("output") / "predictions.txt"
#: The statement asks for accuracies to three decimals.
ACCURACY_TOLERANCE = 0.0005 + 1e-9
#: The statement's verdict: a tree overfits when its training accuracy exceeds its test accuracy by more.
OVERFIT_GAP = 0.1
#: The fix must test at least this much better than the tree, with at most this gap: on this data a tree
#: grown to the end tests at 0.70-0.82, trees limited in depth, leaf size or by pruning at 0.83-0.89 with
#: gaps under 0.05, an unlimited random forest at 0.82-0.87 with gaps of 0.13-0.16 (checked over seeds).
MIN_GAIN, MAX_GAP = 0.03, 0.08


def _accuracy(model: Any, x: pd.DataFrame, y: pd.Series) -> float:
    return float(accuracy_score(np.asarray(y).astype(int), np.asarray(model.predict(x)).astype(int)))


def _fitted(model: Any, name: str) -> Any:
    require_answer(model)
    if not hasattr(model, "predict"):
        raise Problem(f"{name} 应是训练好的分类器", f"{name} must be a trained classifier")
    return model


def _diagnosis_answer(answer: Any) -> tuple:
    tree, train_acc, test_acc, overfit, x_train, x_test, y_train, y_test = unpack(
        answer, ["tree", "train_acc", "test_acc", "overfit", "X_train", "X_test", "y_train", "y_test"])
    return (_fitted(tree, "tree"), as_number(train_acc), as_number(test_acc), require_answer(overfit),
            require_frame(x_train), require_frame(x_test), pd.Series(y_train), pd.Series(y_test))


def _grown_to_the_end(answer: tuple) -> bool:
    tree, x_train, y_train = answer[0], answer[4], answer[6]
    if type(tree).__name__ != "DecisionTreeClassifier":
        raise Problem("tree 应是 DecisionTreeClassifier", "tree must be a DecisionTreeClassifier")
    return tree.get_params()["max_depth"] is None and _accuracy(tree, x_train, y_train) >= 0.99


def _train_right(answer: tuple) -> bool:
    return abs(answer[1] - _accuracy(answer[0], answer[4], answer[6])) <= ACCURACY_TOLERANCE


def _test_right(answer: tuple) -> bool:
    return abs(answer[2] - _accuracy(answer[0], answer[5], answer[7])) <= ACCURACY_TOLERANCE


def _verdict_right(answer: tuple) -> bool:
    overfit = answer[3]
    if not isinstance(overfit, (bool, np.bool_)):
        raise Problem("overfit 应是 True 或 False", "overfit must be True or False")
    return bool(overfit) == (answer[1] - answer[2] > OVERFIT_GAP)


diagnosis = Task(
    grade_id="b22c_diagnosis",
    unit=UNIT,
    level=LEVEL,
    title=Msg("诊断：不限深度的决策树的训练与测试准确率", "Diagnosis: an unlimited tree's training and test accuracy"),
    prepare=_diagnosis_answer,
    criteria=[
        criterion("tree 是在训练集上训练、不限深度的决策树", "tree is a decision tree without a depth limit, "
                  "trained on the training set", 1, visible=True,
                  fail=("tree 不是默认参数训练的决策树", "tree is not a default decision tree"))(_grown_to_the_end),
        criterion("train_acc 是 tree 在训练集上的准确率（三位小数）", "train_acc is tree's accuracy on the training "
                  "set (three decimals)", 2, fail=("训练准确率不对", "wrong training accuracy"))(_train_right),
        criterion("test_acc 是 tree 在测试集上的准确率（三位小数）", "test_acc is tree's accuracy on the test set "
                  "(three decimals)", 2, fail=("测试准确率不对：用 X_test、y_test，准确率是 0–1 的小数", "wrong test "
                                              "accuracy: use X_test and y_test, as a fraction 0-1"))(_test_right),
        criterion("按你的两个准确率，overfit 判断正确（差距超过 0.1 即过拟合）", "overfit follows your accuracies "
                  "(a gap over 0.1 is overfitting)", 2, fail=("过拟合判断不对", "wrong verdict"))(_verdict_right),
    ],
    hints=[Msg("DecisionTreeClassifier(random_state=0).fit(X_train, y_train)；tree.score(X_test, y_test)",
               "DecisionTreeClassifier(random_state=0).fit(X_train, y_train); tree.score(X_test, y_test)")],
)


def _fix_answer(answer: Any) -> tuple:
    better, tree, x_train, x_test, y_train, y_test = unpack(
        answer, ["better", "tree", "X_train", "X_test", "y_train", "y_test"])
    x_train, x_test = require_frame(x_train), require_frame(x_test)
    y_train, y_test = pd.Series(y_train), pd.Series(y_test)
    better = _fitted(better, "better")
    try:
        tree_test = _accuracy(_fitted(tree, "tree"), x_test, y_test)
    except Exception:
        raise fix_first("任务 1（tree）", "task 1 (tree)") from None
    return better, tree_test, x_train, x_test, y_train, y_test


def _tests_better(answer: tuple) -> bool:
    better, tree_test, _, x_test, _, y_test = answer
    return _accuracy(better, x_test, y_test) >= tree_test + MIN_GAIN


def _small_gap(answer: tuple) -> bool:
    better, _, x_train, x_test, y_train, y_test = answer
    return _accuracy(better, x_train, y_train) - _accuracy(better, x_test, y_test) <= MAX_GAP


def _saved(answer: tuple) -> bool:
    better, x_test = answer[0], answer[3]
    lines = saved_predictions(PREDICTIONS, len(x_test))
    try:
        got = [int(float(v)) for v in lines]
    except ValueError:
        raise Problem("predictions.txt 每行应是 0 或 1", "each line of predictions.txt must be 0 or 1") from None
    return got == [int(p) for p in better.predict(x_test)]


fixed = Task(
    grade_id="b22c_fixed",
    unit=UNIT,
    level=LEVEL,
    title=Msg("修正过拟合并保存预测", "Fix the overfitting and save the predictions"),
    prepare=_fix_answer,
    criteria=[
        criterion("better 的测试准确率比 tree 至少高 0.03", "better tests at least 0.03 more accurate than tree", 3,
                  visible=True, fail=("测试准确率没有明显提高：限制模型复杂度（如 max_depth、min_samples_leaf）",
                                      "no clear gain on the test set: limit the model's complexity (max_depth, "
                                      "min_samples_leaf, ...)"))(_tests_better),
        criterion("better 的训练与测试准确率之差不超过 0.08", "better's training and test accuracy differ by at "
                  "most 0.08", 2, fail=("仍然过拟合：训练准确率远高于测试准确率", "still overfitting: training "
                                        "accuracy far above test accuracy"))(_small_gap),
        criterion("output/predictions.txt：better 对测试集每行一个 0/1 预测", "output/predictions.txt holds "
                  "better's 0/1 prediction per test row", 2, fail=("预测文件缺失或与 better 的预测不同",
                                                                  "the file is missing or differs from better's "
                                                                  "predictions"))(_saved),
    ],
    hints=[Msg("DecisionTreeClassifier(max_depth=3, random_state=0)；np.savetxt('output/predictions.txt', pred, "
               "fmt='%d')", "DecisionTreeClassifier(max_depth=3, random_state=0); "
               "np.savetxt('output/predictions.txt', pred, fmt='%d')")],
)

analysis = WrittenTask(
    grade_id="b22c_analysis",
    unit=UNIT,
    level=LEVEL,
    title=Msg("错误原因分析与改进说明", "The cause of the errors and the fix"),
    rubric=[
        RubricPoint(Msg("用两个模型的训练/测试准确率说明过拟合", "shows overfitting with both models' training and "
                        "test accuracy"), 2),
        RubricPoint(Msg("解释原因：标签噪声、无关传感器、模型太复杂", "explains the cause: label noise, irrelevant "
                        "sensors, too complex a model"), 2),
        RubricPoint(Msg("改进与复测：参数怎么选（交叉验证）、数据怎么改进", "the fix and re-test: choosing the "
                        "parameter by cross-validation, better data"), 2),
    ],
)

LAB = Lab(
    assignment="b22c",
    notebook="b22c_kiln_defects.ipynb",
    level=LEVEL,
    tasks=[diagnosis, fixed, analysis],
    summary=Msg("窑炉缺陷模型：诊断过拟合、限制复杂度修正、保存预测、原因分析", "kiln defect model: diagnose "
                "overfitting, fix it by limiting complexity, save predictions, explain the cause"),
)
TASK = BankTask(LAB, UNIT, 20, Msg("瓷砖厂窑炉批次的缺陷预测模型", "a tile factory's kiln-batch defect model"))
