"""Bank task b41c (L3 · 4.1, 10 minutes, 5 points): L5 trainees' labelling practice.

Each trainee's accuracy against the gold labels (case and spaces aside), who retrains (judged on the
candidate's own accuracies, error carried forward), and a written retraining plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graders.answers import unpack
from graders.bank import BankTask
from graders.bank.common import close, data, names, numbers_by_key, numbers_in_file, same_keys
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "4.1", "L3"
ACCURACY_TOLERANCE = 0.005 + 1e-9
ACCURACY_FILE = Path("output") / "trainee_accuracy.csv"
ACCURACY_WHAT = ("准确率", "accuracy")


def _truth() -> dict[str, float]:
    practice = data("practice_labels")
    right = practice["label"].str.strip().str.lower() == practice["gold"]
    return {k.lower(): v for k, v in right.groupby(practice["trainee"]).mean().items()}


def _accuracy(answer: Any) -> dict[str, float]:
    return numbers_by_key(answer, ACCURACY_WHAT)


def _file_matches(got: dict[str, float]) -> bool:
    saved = numbers_in_file(ACCURACY_FILE, ("trainee", "accuracy"), ACCURACY_WHAT)
    return same_keys(saved, got) and close(saved, got, ACCURACY_TOLERANCE)


accuracy = Task(
    grade_id="b41c_accuracy",
    unit=UNIT,
    level=LEVEL,
    title=Msg("每名学员的标注准确率并保存", "Each trainee's accuracy, saved"),
    prepare=_accuracy,
    criteria=[
        criterion("准确率正确（忽略大小写和首尾空格，两位小数）", "each accuracy is right (case and spaces aside, two "
                  "decimals)", 1, visible=True,
                  fail=("准确率不对：先 strip() 和 lower() 再与 gold 比较，按学员求平均", "wrong accuracies: strip() "
                        "and lower() the label, compare with gold, mean per trainee"))(
            lambda got: same_keys(got, _truth()) and close(got, _truth(), ACCURACY_TOLERANCE)),
        criterion("保存为 output/trainee_accuracy.csv（trainee、accuracy 两列）", "saved as "
                  "output/trainee_accuracy.csv (columns trainee, accuracy)", 1,
                  fail=("文件缺失或与 accuracy 不一致", "the file is missing or differs from accuracy"))(_file_matches),
    ],
    hints=[Msg("right = practice['label'].str.strip().str.lower() == practice['gold']；right.groupby(practice['trainee'])"
               ".mean()", "right = practice['label'].str.strip().str.lower() == practice['gold']; "
               "right.groupby(practice['trainee']).mean()")],
)


def _retrain_answer(answer: Any) -> tuple[set[str], dict[str, float]]:
    named, own = unpack(answer, ["retrain", "accuracy"])
    try:
        own_accuracy = _accuracy(own)
        same_keys(own_accuracy, _truth())
    except Problem:
        raise fix_first("任务 1 的 accuracy", "task 1's accuracy") from None
    return {n.lower() for n in names(named)}, own_accuracy


def _retrain_by_own(answer: tuple[set[str], dict[str, float]]) -> bool:
    named, own = answer
    return named == {t for t, a in own.items() if a < bc.RETRAIN_BELOW - 1e-9}


retrain = Task(
    grade_id="b41c_retrain",
    unit=UNIT,
    level=LEVEL,
    title=Msg("需要重新培训的学员", "The trainees who retrain"),
    prepare=_retrain_answer,
    criteria=[
        criterion("按你的准确率，低于 0.8 的学员（正好 0.8 不用重训）", "by your accuracies, those below 0.8 "
                  "(exactly 0.8 does not retrain)", 1,
                  fail=("名单不对：准确率严格低于 0.8 的学员", "wrong list: the trainees strictly below 0.8"))(
            _retrain_by_own),
    ],
    hints=[Msg("retrain = [t for t, a in accuracy.items() if a < 0.8]", "retrain = [t for t, a in accuracy.items() "
               "if a < 0.8]")],
)

plan = WrittenTask(
    grade_id="b41c_plan",
    unit=UNIT,
    level=LEVEL,
    title=Msg("重训安排", "The retraining plan"),
    rubric=[
        RubricPoint(Msg("按错误类型安排重训内容（如中性与正面的区分、录入规范）", "retraining by kind of error (e.g. "
                        "neutral against positive, typing the label)"), 1),
        RubricPoint(Msg("重训后的考核标准和上岗条件", "the test after retraining and the bar to start work"), 1),
    ],
)

LAB = Lab(
    assignment="b41c",
    notebook="b41c_practice_labels.ipynb",
    level=LEVEL,
    tasks=[accuracy, retrain, plan],
    summary=Msg("五级学员的标注练习：准确率、重训名单、重训安排", "L5 trainees' labelling practice: accuracy, who "
                "retrains, the retraining plan"),
)
TASK = BankTask(LAB, UNIT, 10, Msg("五级标注学员的上岗前练习", "L5 trainee labellers' practice before work"))
