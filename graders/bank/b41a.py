"""Bank task b41a (L3 · 4.1, 10 minutes, 5 points): a beginners' data-safety quiz.

Each item's difficulty (share correct, blanks wrong) and a written adjustment of the course.
"""

from __future__ import annotations

from typing import Any

from graders.bank import BankTask
from graders.bank.common import close, data, numbers_by_key, same_keys
from graders.checking import Lab, Msg, RubricPoint, Task, WrittenTask, criterion
from trainerlab.datagen import bank_cases as bc
from trainerlab.variants import current_seed

UNIT, LEVEL = "4.1", "L3"
TOLERANCE = 0.005 + 1e-9


def key() -> dict[str, str]:
    """The quiz's answer key as handed out (item -> letter)."""
    return bc.quiz_key(current_seed())


def _truth() -> dict[str, float]:
    answers = data("safety_quiz")
    return {item.lower(): float((answers[item].fillna("") == letter).mean()) for item, letter in key().items()}


def _difficulty(answer: Any) -> dict[str, float]:
    return numbers_by_key(answer, ("难度", "difficulty"))


difficulty = Task(
    grade_id="b41a_difficulty",
    unit=UNIT,
    level=LEVEL,
    title=Msg("每道题的难度（答对比例）", "Each item's difficulty (share correct)"),
    prepare=_difficulty,
    criteria=[
        criterion("每道题一项", "one entry per item", 1, visible=True,
                  fail=("题号不对", "wrong items"))(lambda got: same_keys(got, _truth())),
        criterion("难度正确（两位小数，未作答算答错）", "each difficulty is right (two decimals, a blank is wrong)",
                  2, fail=("难度不对：分母是全部学员，空白算答错", "wrong difficulty: divide by all trainees, "
                           "a blank is wrong"))(lambda got: close(got, _truth(), TOLERANCE)),
    ],
    hints=[Msg("answers[items].eq(pd.Series(key)).mean()", "answers[items].eq(pd.Series(key)).mean()")],
)

adjust = WrittenTask(
    grade_id="b41a_adjust",
    unit=UNIT,
    level=LEVEL,
    title=Msg("根据难度调整培训", "Adjust the course from the difficulties"),
    rubric=[
        RubricPoint(Msg("指出最难的知识点并安排补讲或练习", "names the hardest topics and how to re-teach them"), 1),
        RubricPoint(Msg("说明如何检验调整的效果", "how the adjustment's effect is checked"), 1),
    ],
)

LAB = Lab(
    assignment="b41a",
    notebook="b41a_safety_quiz.ipynb",
    level=LEVEL,
    tasks=[difficulty, adjust],
    summary=Msg("数据安全入门测验：题目难度、调整培训", "data-safety quiz: item difficulty, adjusting the course"),
)
TASK = BankTask(LAB, UNIT, 10, Msg("数据安全入门培训的测验", "a beginners' data-safety quiz"))
