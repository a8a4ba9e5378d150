"""Bank task b11a (L3 · 1.1, 30 minutes, 25 points): a hotel-booking chatbot's sessions.

Rule labels and bands on the candidate's data variant, shares per channel after unifying the
channel's spellings, and a written collection–processing–audit flow.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from graders.answers import require_frame
from graders.bank import BankTask
from graders.bank.common import close, data, numbers_by_key, same_keys
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "1.1", "L3"
#: The statement asks for percentages to one decimal.
SHARE_TOLERANCE = 0.05 + 1e-9


def _labelled(answer: Any) -> pd.DataFrame:
    df = require_frame(answer, columns=["session_id", "long_stay", "turn_band"])
    truth = data("hotel_bot")
    if sorted(df["session_id"].astype(str)) != sorted(truth["session_id"]):
        raise Problem("行数或 session_id 与原表不一致：每个会话一行，不要删行", "rows or session_id differ "
                      "from the table: keep one row per session, drop none")
    return df.set_index(df["session_id"].astype(str)).reindex(truth["session_id"])


def _long_stay_right(df: pd.DataFrame) -> bool:
    want = data("hotel_bot").set_index("session_id")["nights"] > bc.LONG_STAY_NIGHTS
    got = df["long_stay"]
    if not set(pd.unique(got.astype(object))) <= {True, False}:
        raise Problem("long_stay 应是 True/False（或 1/0）", "long_stay must be True/False (or 1/0)")
    return bool((got.astype(bool).to_numpy() == want.to_numpy()).all())


def _bands_right(df: pd.DataFrame) -> bool:
    turns = data("hotel_bot").set_index("session_id")["turns"]
    want = pd.cut(turns, bins=list(bc.TURN_BINS), labels=list(bc.TURN_BANDS)).astype(str)
    got = df["turn_band"].astype(str).str.strip().str.lower()
    return bool((got.to_numpy() == want.to_numpy()).all())


labels = Task(
    grade_id="b11a_labels",
    unit=UNIT,
    level=LEVEL,
    title=Msg("长住标签与对话轮次分段", "Long-stay label and turn bands"),
    prepare=_labelled,
    criteria=[
        criterion("每个会话一行，含要求的三列", "one row per session with the three columns", 1, visible=True,
                  fail=("表的形状不对", "wrong table"))(lambda df: True),
        criterion("long_stay：入住超过 5 晚为 True（5 晚不算）", "long_stay is True for more than 5 nights "
                  "(5 is not)", 3, fail=("long_stay 不对：边界是“超过 5 晚”", "long_stay is off: the rule "
                                        "is more than 5 nights"))(_long_stay_right),
        criterion("turn_band 按 (0,3]、(3,8]、(8,∞) 分为 short/medium/long", "turn_band bins (0,3], (3,8], "
                  "(8,inf) into short/medium/long", 4, fail=("分段不对：区间左开右闭，3 属于 short，8 属于 medium",
                                                             "wrong bands: bins are right-closed, 3 is short, "
                                                             "8 is medium"))(_bands_right),
    ],
    hints=[Msg("pd.cut(df['turns'], bins=[0, 3, 8, np.inf], labels=[...]) 默认区间右闭。",
               "pd.cut(df['turns'], bins=[0, 3, 8, np.inf], labels=[...]) closes bins on the right.")],
)


def _shares(answer: Any) -> dict[str, float]:
    return numbers_by_key(answer, ("占比", "share"))


def _truth_shares() -> dict[str, float]:
    return bc.channel_shares(data("hotel_bot")).to_dict()


shares = Task(
    grade_id="b11a_shares",
    unit=UNIT,
    level=LEVEL,
    title=Msg("统一渠道写法后各渠道的会话占比", "Share of sessions per channel after unifying spellings"),
    prepare=_shares,
    criteria=[
        criterion("恰好三个渠道：app、web、wechat", "exactly the three channels app, web, wechat", 2, visible=True,
                  fail=("渠道名不对：先去空格、转小写，“微信”即 wechat", "wrong channel names: strip, lower-case, "
                        "微信 is wechat"))(lambda got: same_keys(got, _truth_shares())),
        criterion("各渠道占比正确（百分数，精确到一位小数）", "each share is right (percent, to one decimal)", 5,
                  fail=("占比不对：分母是全部会话，用百分数", "wrong shares: divide by all sessions, in percent"))(
            lambda got: close(got, _truth_shares(), SHARE_TOLERANCE)),
        criterion("占比合计为 100", "the shares add up to 100", 2,
                  fail=("合计不是 100", "the shares do not add up to 100"))(
            lambda got: bool(np.isclose(sum(got.values()), 100, atol=0.2))),
    ],
    hints=[Msg("df['channel'].str.strip().str.lower()，再把“微信”替换为 wechat，然后 value_counts(normalize=True)。",
               "df['channel'].str.strip().str.lower(), replace 微信 by wechat, then value_counts(normalize=True).")],
)

flow = WrittenTask(
    grade_id="b11a_flow",
    unit=UNIT,
    level=LEVEL,
    title=Msg("会话数据的采集—处理—审核流程", "The collection-processing-audit flow of the session data"),
    rubric=[
        RubricPoint(Msg("采集：数据来源、字段和频率", "collection: sources, fields, frequency"), 2),
        RubricPoint(Msg("处理：统一渠道写法、标签与分段规则", "processing: unified channels, label and band rules"), 2),
        RubricPoint(Msg("审核：抽检比例、校验规则和责任人", "audit: sample share, checks and who signs off"), 2),
        RubricPoint(Msg("问题数据的回退与记录", "how bad records are sent back and logged"), 2),
    ],
)

LAB = Lab(
    assignment="b11a",
    notebook="b11a_hotel_bot.ipynb",
    level=LEVEL,
    tasks=[labels, shares, flow],
    summary=Msg("酒店预订机器人：规则标签、分段、渠道占比、数据流程", "hotel-booking bot: rule labels, bands, "
                "channel shares, the data flow"),
)
TASK = BankTask(LAB, UNIT, 30, Msg("酒店预订聊天机器人的会话数据", "a hotel-booking chatbot's sessions"))
