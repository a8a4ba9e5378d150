"""Bank task b32b (L3 · 3.2, 20 minutes, 20 points): when a power company's voicebot hands a call to a person.

The cost of each candidate threshold saved to ``output/threshold_costs.csv``, the cheapest threshold and
its saving against answering every call by a person (judged on the candidate's own table, error carried
forward), and a written human–AI hand-off flow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graders.answers import as_number, require_file, require_frame, unpack
from graders.bank import BankTask
from graders.bank.common import data
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "3.2", "L3"
COSTS_FILE = Path("output") / "threshold_costs.csv"
COLUMNS = ["threshold", "automation_rate", "wrong_answers", "total_cost"]
RATE_TOLERANCE = 0.0005 + 1e-9


def thresholds() -> list[float]:
    """The thresholds the team considers (the bot answers when its confidence is at least one)."""
    return list(bc.HANDOFF_THRESHOLDS)


def _table(answer: Any) -> pd.DataFrame:
    frame = require_frame(answer, columns=COLUMNS)
    try:
        frame = frame[COLUMNS].astype(float)
    except (TypeError, ValueError):
        raise Problem(f"{COLUMNS} 应都是数字", f"{COLUMNS} should all be numbers") from None
    frame["threshold"] = frame["threshold"].round(2)
    if sorted(frame["threshold"]) != thresholds():
        raise Problem(f"应每个阈值一行：{thresholds()}", f"one row per threshold: {thresholds()}")
    return frame.set_index("threshold").sort_index()


def _truth() -> pd.DataFrame:
    return bc.handoff_costs(data("voicebot_calls")).set_index("threshold")


def _column_right(column: str, tolerance: float) -> Any:
    def test(frame: pd.DataFrame) -> bool:
        return bool(np.abs(frame[column].to_numpy() - _truth()[column].to_numpy()).max() <= tolerance)
    return test


def _file_matches(frame: pd.DataFrame) -> bool:
    saved = pd.read_csv(require_file(COSTS_FILE, suffix=".csv"), encoding="utf-8-sig")
    try:
        saved = _table(saved)
    except Problem as problem:
        raise Problem(f"{COSTS_FILE}：{problem.msg.zh}", f"{COSTS_FILE}: {problem.msg.en}") from None
    return bool(np.allclose(saved.to_numpy(), frame.to_numpy(), atol=RATE_TOLERANCE))


costs = Task(
    grade_id="b32b_costs",
    unit=UNIT,
    level=LEVEL,
    title=Msg("每个阈值的自动化率、错答数和总成本", "Automation, wrong answers and total cost per threshold"),
    prepare=_table,
    criteria=[
        criterion("自动化率正确（置信度 ≥ 阈值的通话占比）", "the automation rate is right (the share of calls "
                  "with confidence >= the threshold)", 2, visible=True,
                  fail=("自动化率不对：置信度大于或等于阈值时由机器人回答", "wrong automation rates: the bot answers "
                        "when the confidence is at least the threshold"))(_column_right("automation_rate",
                                                                                       RATE_TOLERANCE)),
        criterion("错答数正确（机器人回答且答错）", "the wrong answers are right (answered by the bot and wrong)", 2,
                  fail=("错答数不对：只数机器人回答的通话中 bot_correct 为 0 的", "wrong counts: only the calls the bot "
                        "answers with bot_correct = 0"))(_column_right("wrong_answers", 0)),
        criterion("总成本正确（错答 × 40 元 + 转人工 × 6 元）", "the total cost is right (wrong answers × 40 + calls "
                  "to a person × 6 yuan)", 2,
                  fail=("总成本不对：错答每通 40 元，转人工每通 6 元，答对不花钱", "wrong costs: 40 yuan per wrong "
                        "answer, 6 per call to a person, nothing for a right answer"))(_column_right("total_cost", 0)),
        criterion("保存为 output/threshold_costs.csv（四列）", "saved as output/threshold_costs.csv (the four "
                  "columns)", 2, fail=("文件缺失或与 costs 不一致", "the file is missing or differs from costs"))(
            _file_matches),
    ],
    hints=[Msg("对每个 t：bot = calls['confidence'] >= t；wrong = (bot & (calls['bot_correct'] == 0)).sum()",
               "for each t: bot = calls['confidence'] >= t; wrong = (bot & (calls['bot_correct'] == 0)).sum()")],
)


def _choice_answer(answer: Any) -> tuple[float, float, Any]:
    best, saving, own = unpack(answer, ["best_threshold", "saving", "costs"])
    return round(as_number(best), 2), as_number(saving), own


def _own_costs(own: Any) -> pd.Series:
    try:
        return _table(own)["total_cost"]
    except Problem:
        raise fix_first("任务 1 的 costs", "task 1's costs") from None


def _cheapest(answer: tuple[float, float, Any]) -> bool:
    best, _, own = answer
    cost = _own_costs(own)
    return best in set(cost.index[np.isclose(cost, cost.min())])


def _saving_right(answer: tuple[float, float, Any]) -> bool:
    _, saving, own = answer
    everyone_to_a_person = len(data("voicebot_calls")) * bc.PERSON_COST
    return abs(saving - (everyone_to_a_person - _own_costs(own).min())) <= 0.5


choice = Task(
    grade_id="b32b_choice",
    unit=UNIT,
    level=LEVEL,
    title=Msg("成本最低的阈值和节省的金额", "The cheapest threshold and what it saves"),
    prepare=_choice_answer,
    criteria=[
        criterion("按你的成本表，成本最低的阈值", "the cheapest threshold by your cost table", 3,
                  fail=("不是总成本最低的阈值（不是自动化率最高或错答最少的）", "not the threshold of the lowest "
                        "total cost (not the most automated or the fewest wrong answers)"))(_cheapest),
        criterion("比全部转人工节省的金额（元）", "the saving against sending every call to a person (yuan)", 3,
                  fail=("节省金额不对：全部转人工的成本（通话数 × 6）减去最低总成本", "wrong saving: the cost of "
                        "every call to a person (calls × 6) minus the lowest total cost"))(_saving_right),
    ],
    hints=[Msg("best_threshold = costs.loc[costs['total_cost'].idxmin(), 'threshold']",
               "best_threshold = costs.loc[costs['total_cost'].idxmin(), 'threshold']")],
)

flow = WrittenTask(
    grade_id="b32b_flow",
    unit=UNIT,
    level=LEVEL,
    title=Msg("语音客服的人机交接流程", "The voicebot's human hand-off flow"),
    rubric=[
        RubricPoint(Msg("按所选阈值说明机器人回答和转人工两条路径", "the bot's path and the person's path at the "
                        "chosen threshold"), 2),
        RubricPoint(Msg("转人工时交接什么信息、用户听到什么", "what is handed over and what the caller hears"), 2),
        RubricPoint(Msg("成本比或数据变化时如何重新选阈值", "how to re-choose the threshold when costs or data "
                        "change"), 2),
    ],
)

LAB = Lab(
    assignment="b32b",
    notebook="b32b_voicebot_handoff.ipynb",
    level=LEVEL,
    tasks=[costs, choice, flow],
    summary=Msg("电力公司语音客服：各阈值的成本、成本最低的阈值、人机交接流程", "a power company's voicebot: "
                "the cost per threshold, the cheapest threshold, the hand-off flow"),
)
TASK = BankTask(LAB, UNIT, 20, Msg("电力公司的语音客服机器人", "a power company's customer-service voicebot"))
