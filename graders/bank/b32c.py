"""Bank task b32c (L3 · 3.2, 20 minutes, 20 points): where a permit chatbot loses its users.

Each step's drop-off rate (of the sessions reaching it) saved to ``output/step_dropoff.csv``, the step
that loses the largest share (judged on the candidate's own rates, error carried forward) and the
completion rate, and a written redesign of the human–AI flow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graders.answers import as_number, unpack
from graders.bank import BankTask
from graders.bank.common import close, data, numbers_by_key, numbers_in_file, same_keys
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "3.2", "L3"
DROPOFF_FILE = Path("output") / "step_dropoff.csv"
RATE_TOLERANCE = 0.0005 + 1e-9
RATE_WHAT = ("流失率", "drop-off rate")


def steps() -> list[str]:
    """The chatbot's steps in the order a session goes through them."""
    return list(bc.PERMIT_STEPS)


def _truth() -> dict[str, float]:
    return bc.step_dropoff(data("permit_bot_sessions")).to_dict()


def _rates(answer: Any) -> dict[str, float]:
    return numbers_by_key(answer, RATE_WHAT)


def _file_matches(got: dict[str, float]) -> bool:
    saved = numbers_in_file(DROPOFF_FILE, ("step", "dropoff_rate"), RATE_WHAT)
    return same_keys(saved, got) and close(saved, got, RATE_TOLERANCE)


dropoff = Task(
    grade_id="b32c_dropoff",
    unit=UNIT,
    level=LEVEL,
    title=Msg("每一步的流失率并保存", "Each step's drop-off rate, saved"),
    prepare=_rates,
    criteria=[
        criterion("每一步一项", "one entry per step", 2, visible=True,
                  fail=("步骤不对", "wrong steps"))(lambda got: same_keys(got, _truth())),
        criterion("流失率正确（停在这一步且未完成 ÷ 到达这一步的会话）", "each rate is right (sessions that stop "
                  "there unfinished ÷ sessions reaching the step)", 3,
                  fail=("流失率不对：分母是到达这一步的会话（最后一步在它或它之后），不是全部会话", "wrong rates: divide "
                        "by the sessions reaching the step (last step at it or later), not by all sessions"))(
            lambda got: close(got, _truth(), RATE_TOLERANCE)),
        criterion("保存为 output/step_dropoff.csv（step、dropoff_rate 两列）", "saved as output/step_dropoff.csv "
                  "(columns step, dropoff_rate)", 3,
                  fail=("文件缺失或与 dropoff 不一致", "the file is missing or differs from dropoff"))(_file_matches),
    ],
    hints=[Msg("order = sessions['last_step'].map({s: i for i, s in enumerate(steps)})；到达第 i 步：order >= i",
               "order = sessions['last_step'].map({s: i for i, s in enumerate(steps)}); reaching step i: order >= i")],
)


def _worst_answer(answer: Any) -> tuple[str, float, dict[str, float]]:
    worst, completion, own = unpack(answer, ["worst_step", "completion_rate", "dropoff"])
    try:
        rates = _rates(own)
        same_keys(rates, _truth())
    except Problem:
        raise fix_first("任务 1 的 dropoff", "task 1's dropoff") from None
    return str(worst).strip().lower(), as_number(completion), rates


def _worst_by_own_rates(answer: tuple[str, float, dict[str, float]]) -> bool:
    worst, _, rates = answer
    return worst == max(rates, key=rates.get)


def _completion_right(answer: tuple[str, float, dict[str, float]]) -> bool:
    sessions = data("permit_bot_sessions")
    return abs(answer[1] - float(sessions["completed"].mean())) <= RATE_TOLERANCE


worst = Task(
    grade_id="b32c_worst",
    unit=UNIT,
    level=LEVEL,
    title=Msg("流失最严重的一步和完成率", "The step that loses most and the completion rate"),
    prepare=_worst_answer,
    criteria=[
        criterion("按你的流失率，流失最严重的一步", "the step with the highest drop-off rate by your rates", 3,
                  fail=("不是流失率最高的一步（比较比例，不是人数）", "not the step of the highest rate (compare "
                        "rates, not numbers of sessions)"))(_worst_by_own_rates),
        criterion("完成率正确（完成的会话 ÷ 全部会话）", "the completion rate is right (completed ÷ all sessions)", 3,
                  fail=("完成率不对：completed 为 1 的会话占全部会话的比例", "wrong completion rate: the share of all "
                        "sessions with completed = 1"))(_completion_right),
    ],
    hints=[Msg("worst_step = max(dropoff, key=dropoff.get)；completion_rate = sessions['completed'].mean()",
               "worst_step = max(dropoff, key=dropoff.get); completion_rate = sessions['completed'].mean()")],
)

redesign = WrittenTask(
    grade_id="b32c_redesign",
    unit=UNIT,
    level=LEVEL,
    title=Msg("重新设计人机交互流程", "Redesign the human–AI flow"),
    rubric=[
        RubricPoint(Msg("指出流失最严重的一步并用数据说明", "names the worst step with the data"), 2),
        RubricPoint(Msg("这一步的具体改进（简化、引导、示例）", "a concrete change of that step (simpler, guided, "
                        "with examples)"), 2),
        RubricPoint(Msg("何时、如何转人工（触发条件和交接内容）", "when and how a person takes over (the trigger and "
                        "what is handed over)"), 2),
    ],
)

LAB = Lab(
    assignment="b32c",
    notebook="b32c_permit_bot.ipynb",
    level=LEVEL,
    tasks=[dropoff, worst, redesign],
    summary=Msg("营业执照办理机器人：每步流失率、流失最严重的一步、重新设计流程", "a permit chatbot: drop-off per "
                "step, the worst step, a redesigned flow"),
)
TASK = BankTask(LAB, UNIT, 20, Msg("营业执照在线办理机器人", "a business-permit application chatbot"))
