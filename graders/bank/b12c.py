"""Bank task b12c (L3 · 1.2, 30 minutes, 25 points): find where a hospital booking flow loses patients.

Distinct sessions per step and each step's conversion from the step before, the weakest step and
the sessions it loses (judged on the candidate's own funnel, error carried forward), and a written
AI optimisation of that step with its evaluation.
"""

from __future__ import annotations

from typing import Any

from graders.answers import as_number, require_answer, unpack
from graders.bank import BankTask
from graders.bank.common import close, data, numbers_by_key, same_keys
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "1.2", "L3"
RATE_TOLERANCE = 0.05 + 1e-9
FIRST, LATER = bc.BOOKING_STEPS[0], bc.BOOKING_STEPS[1:]


def _reached() -> dict[str, float]:
    return {k: float(v) for k, v in bc.funnel_reached(data("clinic_funnel")).items()}


def _conversion_from(reached: dict[str, float]) -> dict[str, float]:
    steps = bc.BOOKING_STEPS
    return {b: 100 * reached[b] / reached[a] for a, b in zip(steps, steps[1:], strict=False) if reached.get(a)}


def _later_steps(conversion: dict[str, float]) -> dict[str, float]:
    """The conversion of the steps after the first (the first may be given as 100 %)."""
    if FIRST in conversion and abs(conversion[FIRST] - 100) > RATE_TOLERANCE:
        raise Problem("第一步没有上一步，不需要转化率（如写出应为 100）", "the first step has no step before it: "
                      "leave it out (or give it 100)")
    return {k: v for k, v in conversion.items() if k != FIRST}


def _funnel_answer(answer: Any) -> tuple[dict[str, float], dict[str, float]]:
    reached, conversion = unpack(answer, ["reached", "conversion"])
    return numbers_by_key(reached, ("会话数", "sessions")), \
        _later_steps(numbers_by_key(conversion, ("转化率", "conversion")))


def _conversion_right(answer: tuple[dict[str, float], dict[str, float]]) -> bool:
    reached, conversion = answer
    if set(reached) != set(bc.BOOKING_STEPS):
        raise fix_first("M1（各步骤的名称）", "M1 (the steps' names)")
    same_keys(conversion, dict.fromkeys(LATER, 0.0))
    return close(conversion, _conversion_from(reached), RATE_TOLERANCE)


funnel = Task(
    grade_id="b12c_funnel",
    unit=UNIT,
    level=LEVEL,
    title=Msg("各步骤的会话数与逐步转化率", "Sessions per step and the conversion from each step to the next"),
    prepare=_funnel_answer,
    criteria=[
        criterion("五个步骤各一项", "one entry per step, all five", 1, visible=True,
                  fail=("步骤名不对", "wrong steps"))(lambda answer: same_keys(answer[0], _reached())),
        criterion("每步的会话数按不同的 session_id 计（重复打开只算一次）", "sessions per step count distinct "
                  "session_id (a step opened twice counts once)", 4,
                  fail=("会话数不对：同一会话重复打开某一步只算一次", "wrong counts: a session that opens a step "
                        "twice counts once"))(lambda answer: close(answer[0], _reached(), 1e-9)),
        criterion("转化率 = 本步会话数 ÷ 上一步会话数（百分数，按你的会话数）", "conversion = this step's sessions / "
                  "the previous step's (percent, from your counts)", 5,
                  fail=("转化率不对：分母是上一步（不是第一步）的会话数，用百分数", "wrong conversion: divide by the "
                        "previous step's sessions (not the first step's), in percent"))(_conversion_right),
    ],
    hints=[Msg("events.groupby('step')['session_id'].nunique()，按流程顺序 reindex；reached / reached.shift() * 100",
               "events.groupby('step')['session_id'].nunique(), reindexed in the flow's order; "
               "reached / reached.shift() * 100")],
)


def _weakest_answer(answer: Any) -> tuple[str, float, dict[str, float], dict[str, float]]:
    weakest, lost, reached, conversion = unpack(answer, ["weakest_step", "lost_sessions", "reached", "conversion"])
    require_answer(weakest)
    if not isinstance(weakest, str):
        raise Problem("weakest_step 应是步骤名（字符串）", "weakest_step must be a step's name (a string)")
    try:
        own_reached, own_conversion = _funnel_answer((reached, conversion))
    except Problem:
        raise fix_first("任务 1（漏斗）", "task 1 (the funnel)") from None
    if set(own_reached) != set(bc.BOOKING_STEPS) or set(own_conversion) != set(LATER):
        raise fix_first("任务 1（漏斗）", "task 1 (the funnel)")
    return weakest.strip().lower(), as_number(lost), own_reached, own_conversion


def _weakest_right(answer: tuple) -> bool:
    weakest, _, _, conversion = answer
    return weakest == min(conversion, key=conversion.get)


def _lost_right(answer: tuple) -> bool:
    weakest, lost, reached, _ = answer
    if weakest not in LATER:
        raise Problem("先选出正确的步骤", "name the right step first")
    before = bc.BOOKING_STEPS[bc.BOOKING_STEPS.index(weakest) - 1]
    return abs(lost - (reached[before] - reached[weakest])) <= 1e-9


weakest = Task(
    grade_id="b12c_weakest",
    unit=UNIT,
    level=LEVEL,
    title=Msg("流失最严重的步骤及其流失的会话数", "The step that loses most and the sessions it loses"),
    prepare=_weakest_answer,
    criteria=[
        criterion("按你的转化率，weakest_step 是转化率最低的步骤", "weakest_step has the lowest conversion by "
                  "your funnel", 3, fail=("不是转化率最低的步骤（注意不是会话数最少的步骤）", "not the step with the "
                                          "lowest conversion (not the step with the fewest sessions)"))(
            _weakest_right),
        criterion("lost_sessions = 上一步会话数 − 该步会话数", "lost_sessions = the previous step's sessions "
                  "minus this step's", 2, fail=("流失会话数不对", "wrong number of lost sessions"))(_lost_right),
    ],
    hints=[Msg("conversion.idxmin()；reached[上一步] - reached[该步]", "conversion.idxmin(); "
               "reached[step before] - reached[step]")],
)

plan = WrittenTask(
    grade_id="b12c_plan",
    unit=UNIT,
    level=LEVEL,
    title=Msg("流失步骤的 AI 优化方案与评估计划", "AI optimisation of the weakest step and its evaluation plan"),
    rubric=[
        RubricPoint(Msg("用漏斗数据说明问题（转化率、流失人数）", "states the problem with the funnel's numbers"), 2),
        RubricPoint(Msg("分析用户在该步流失的可能原因", "likely reasons why users leave at that step"), 3),
        RubricPoint(Msg("具体的 AI 优化措施（如智能推荐、导诊问答）", "concrete AI improvements (e.g. recommendation, "
                        "triage Q&A)"), 3),
        RubricPoint(Msg("评估：指标、对照实验、上线标准", "evaluation: metrics, a controlled test, a launch bar"), 2),
    ],
)

LAB = Lab(
    assignment="b12c",
    notebook="b12c_clinic_booking.ipynb",
    level=LEVEL,
    tasks=[funnel, weakest, plan],
    summary=Msg("医院预约小程序：去重的漏斗、逐步转化率、流失最严重的步骤、优化方案", "a hospital booking flow: a "
                "de-duplicated funnel, step conversion, the weakest step, an optimisation plan"),
)
TASK = BankTask(LAB, UNIT, 30, Msg("医院预约挂号小程序的预约漏斗", "a hospital booking mini-program's funnel"))
