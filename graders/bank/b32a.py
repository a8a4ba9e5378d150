"""Bank task b32a (L3 · 3.2, 20 minutes, 20 points): a hotel front desk's voice assistant.

Softmax of the intent model's logits, each utterance routed by the confidence rule (judged on the
candidate's own probabilities, error carried forward), and a written human–AI interaction flow.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from graders.answers import require_frame, unpack
from graders.bank import BankTask
from graders.bank.common import data, names
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "3.2", "L3"
PROB_TOLERANCE = 1e-4


def _probs(answer: Any) -> pd.DataFrame:
    df = require_frame(answer, columns=list(bc.INTENTS))
    n = len(data("front_desk_logits"))
    if len(df) != n:
        raise Problem(f"应每条话语一行，共 {n} 行", f"one row per utterance ({n} rows)")
    return df[list(bc.INTENTS)].astype(float).reset_index(drop=True)


def _rows_sum_to_one(df: pd.DataFrame) -> bool:
    return bool(np.allclose(df.sum(axis=1), 1, atol=1e-6) and (df.to_numpy() >= 0).all())


def _softmax_right(df: pd.DataFrame) -> bool:
    want = bc.softmax(data("front_desk_logits")).to_numpy()
    return bool(np.abs(df.to_numpy() - want).max() <= PROB_TOLERANCE)


probs = Task(
    grade_id="b32a_probs",
    unit=UNIT,
    level=LEVEL,
    title=Msg("把模型输出的 logits 转为概率（softmax）", "Turn the model's logits into probabilities (softmax)"),
    prepare=_probs,
    criteria=[
        criterion("每行概率非负且和为 1", "each row is non-negative and sums to 1", 2, visible=True,
                  fail=("不是概率分布", "not a probability distribution"))(_rows_sum_to_one),
        criterion("概率等于每行 logits 的 softmax", "the probabilities are each row's softmax", 4,
                  fail=("不是 softmax：exp(x - max) / sum(exp(x - max))，按行计算", "not the softmax: "
                        "exp(x - max) / sum(exp(x - max)), row by row"))(_softmax_right),
    ],
    hints=[Msg("z = logits[intents].to_numpy(); e = np.exp(z - z.max(axis=1, keepdims=True))",
               "z = logits[intents].to_numpy(); e = np.exp(z - z.max(axis=1, keepdims=True))")],
)


def _routes(answer: Any) -> tuple[list[str], pd.DataFrame]:
    routes, probs = unpack(answer, ["routes", "probs"])
    return [r.lower() for r in names(routes)], probs


def _route_labels(answer: tuple[list[str], Any]) -> bool:
    routes = answer[0]
    if len(routes) != len(data("front_desk_logits")):
        raise Problem("应每条话语一个去向", "one route per utterance")
    return set(routes) <= set(bc.ROUTES)


def _routes_right(answer: tuple[list[str], Any]) -> bool:
    routes, probs = answer
    try:
        own = _probs(probs)
    except Problem:
        raise fix_first("M1（概率）", "M1 (the probabilities)") from None
    if not _rows_sum_to_one(own):
        raise fix_first("M1（概率）", "M1 (the probabilities)")
    want = [bc.route(p) for p in own.max(axis=1)]
    return routes == want


route = Task(
    grade_id="b32a_route",
    unit=UNIT,
    level=LEVEL,
    title=Msg("按置信度决定每条话语的处理方式", "Route each utterance by confidence"),
    prepare=_routes,
    criteria=[
        criterion("每条话语一个去向，取自 auto/confirm/human", "one route per utterance, from auto/confirm/human",
                  2, visible=True, fail=("去向不对", "wrong routes"))(_route_labels),
        criterion("按规则（≥0.85 自动，0.60–0.85 确认，其余转人工）判断正确", "routed by the rule (>= 0.85 auto, "
                  "0.60-0.85 confirm, else human)", 6,
                  fail=("去向不对：看每行最大的概率，边界值属于较高一档", "wrong routes: use each row's top "
                        "probability; a value on a threshold takes the higher route"))(_routes_right),
    ],
    hints=[Msg("top = probs.max(axis=1)；np.select([top >= 0.85, top >= 0.6], ['auto', 'confirm'], 'human')",
               "top = probs.max(axis=1); np.select([top >= 0.85, top >= 0.6], ['auto', 'confirm'], 'human')")],
)

flow = WrittenTask(
    grade_id="b32a_flow",
    unit=UNIT,
    level=LEVEL,
    title=Msg("前台语音助手的人机交互流程", "The front desk's human-AI interaction flow"),
    rubric=[
        RubricPoint(Msg("三种去向各自的交互（自动执行、复述确认、转人工）", "the interaction of each route"), 2),
        RubricPoint(Msg("阈值的依据和调整方法（按数据）", "why these thresholds and how to tune them from data"), 2),
        RubricPoint(Msg("转人工时的信息交接与用户体验", "the hand-over to staff and the guest's experience"), 2),
    ],
)

LAB = Lab(
    assignment="b32a",
    notebook="b32a_front_desk.ipynb",
    level=LEVEL,
    tasks=[probs, route, flow],
    summary=Msg("酒店前台语音助手：softmax、按置信度分流、人机交互流程", "hotel front-desk assistant: softmax, "
                "confidence routing, the human-AI flow"),
)
TASK = BankTask(LAB, UNIT, 20, Msg("酒店前台的语音助手", "a hotel front desk's voice assistant"))
