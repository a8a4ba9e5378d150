"""Bank task b42a (L3 · 4.2, 10 minutes, 5 points): review a junior's sentiment labels.

The records labelled against the star rule (as a set, any container) and written feedback.
"""

from __future__ import annotations

from typing import Any

from graders.bank import BankTask
from graders.bank.common import data, names
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "4.2", "L3"


def _truth() -> set[str]:
    reviews = data("review_labels")
    wrong = reviews["label"] != reviews["stars"].map(bc.sentiment_of)
    return set(reviews.loc[wrong, "review_id"])


def _ids(answer: Any) -> set[str]:
    ids = {i.upper() for i in names(answer)}
    unknown = ids - set(data("review_labels")["review_id"])
    if unknown:
        raise Problem(f"这些编号不在这批数据中：{sorted(unknown)[:3]}", f"ids not in the batch: {sorted(unknown)[:3]}")
    return ids


def _all_found(ids: set[str]) -> bool:
    missed = len(_truth() - ids)
    if missed:
        raise Problem(f"还有 {missed} 条标错的记录没有找出", f"{missed} mislabelled records are not found yet")
    return True


def _none_right_named(ids: set[str]) -> bool:
    extra = len(ids - _truth())
    if extra:
        raise Problem(f"有 {extra} 条标对的记录被当成了错误", f"{extra} records named are labelled right")
    return True


errors = Task(
    grade_id="b42a_errors",
    unit=UNIT,
    level=LEVEL,
    title=Msg("找出标错的评论", "Find the mislabelled reviews"),
    prepare=_ids,
    criteria=[
        criterion("找出了所有标错的记录", "every mislabelled record is found", 2,
                  fail=("漏掉了标错的记录", "a mislabelled record is missed"))(_all_found),
        criterion("没有把标对的记录当成错误", "no correctly labelled record is named", 1,
                  fail=("把标对的记录当成了错误", "a right record is named"))(_none_right_named),
    ],
    hints=[Msg("按规则由 stars 得到应有的标签，再与 label 比较。", "Derive the label the rule gives from stars and "
               "compare it with label.")],
)

feedback = WrittenTask(
    grade_id="b42a_feedback",
    unit=UNIT,
    level=LEVEL,
    title=Msg("给标注员的反馈", "Feedback to the labeller"),
    rubric=[
        RubricPoint(Msg("归纳错误并举例说明正确标法", "groups the errors with an example of the right label"), 1),
        RubricPoint(Msg("防止再犯的具体做法", "a concrete way to prevent repeats"), 1),
    ],
)

LAB = Lab(
    assignment="b42a",
    notebook="b42a_review_labels.ipynb",
    level=LEVEL,
    tasks=[errors, feedback],
    summary=Msg("评论情感标注审核：标错的记录、给标注员的反馈", "sentiment-label review: mislabelled records, "
                "feedback to the labeller"),
)
TASK = BankTask(LAB, UNIT, 10, Msg("商品评论的情感标注批次", "a batch of product-review sentiment labels"))
