"""Bank task b12a (L3 · 1.2, 30 minutes, 25 points): an appliance shop's after-sales bot.

Resolution rate per module, the worst module judged on the candidate's own rates (error carried
forward), and a written AI optimisation with its test plan.
"""

from __future__ import annotations

from typing import Any

from graders.answers import require_answer, unpack
from graders.bank import BankTask
from graders.bank.common import close, data, numbers_by_key, same_keys
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first

UNIT, LEVEL = "1.2", "L3"
RATE_TOLERANCE = 0.05 + 1e-9


def _truth_rates() -> dict[str, float]:
    return (data("after_sales").groupby("module")["resolved"].mean() * 100).to_dict()


rates = Task(
    grade_id="b12a_rates",
    unit=UNIT,
    level=LEVEL,
    title=Msg("各模块的解决率", "Resolution rate per module"),
    prepare=lambda answer: numbers_by_key(answer, ("解决率", "rate")),
    criteria=[
        criterion("每个模块一项", "one entry per module", 2, visible=True,
                  fail=("模块不对", "wrong modules"))(lambda got: same_keys(got, _truth_rates())),
        criterion("解决率正确（百分数，精确到一位小数）", "each rate is right (percent, to one decimal)", 8,
                  fail=("解决率不对：resolved 为 1 的会话占该模块会话的百分比", "wrong rates: the percent of "
                        "the module's sessions with resolved = 1"))(
            lambda got: close(got, _truth_rates(), RATE_TOLERANCE)),
    ],
    hints=[Msg("df.groupby('module')['resolved'].mean() * 100", "df.groupby('module')['resolved'].mean() * 100")],
)


def _worst_answer(answer: Any) -> tuple[str, dict[str, float]]:
    worst, own = unpack(answer, ["worst_module", "module_rates"])
    require_answer(worst)
    if not isinstance(worst, str):
        raise Problem("worst_module 应是模块名（字符串）", "worst_module must be a module name (a string)")
    return worst.strip().lower(), numbers_by_key(own, ("解决率", "rate"))


def _worst_is_lowest(answer: tuple[str, dict[str, float]]) -> bool:
    worst, own = answer
    if set(own) != set(_truth_rates()):
        raise fix_first("M1（各模块的解决率）", "M1 (the rates)")
    return worst == min(own, key=own.get)


worst = Task(
    grade_id="b12a_worst",
    unit=UNIT,
    level=LEVEL,
    title=Msg("找出效果最差的模块", "The module that works worst"),
    prepare=_worst_answer,
    criteria=[
        criterion("按你自己的解决率，最差模块正确", "the worst module by your own rates", 5,
                  fail=("不是解决率最低的模块", "not the module with the lowest rate"))(_worst_is_lowest),
    ],
    hints=[Msg("min(rates, key=rates.get) 或 Series.idxmin()", "min(rates, key=rates.get) or Series.idxmin()")],
)

plan = WrittenTask(
    grade_id="b12a_plan",
    unit=UNIT,
    level=LEVEL,
    title=Msg("最差模块的 AI 优化方案与测试计划", "AI optimisation of the worst module and its test plan"),
    rubric=[
        RubricPoint(Msg("用数据说明问题（解决率、转人工）", "states the problem with the data (rates, hand-overs)"), 2),
        RubricPoint(Msg("分析可能原因（意图覆盖、知识库、流程）", "likely causes (intent coverage, knowledge base, flow)"), 3),
        RubricPoint(Msg("具体的 AI 优化措施", "concrete AI improvements"), 3),
        RubricPoint(Msg("测试与评估：指标、对照、上线标准", "test and evaluation: metrics, control, launch bar"), 2),
    ],
)

LAB = Lab(
    assignment="b12a",
    notebook="b12a_after_sales.ipynb",
    level=LEVEL,
    tasks=[rates, worst, plan],
    summary=Msg("家电售后机器人：模块解决率、最差模块、优化方案", "after-sales bot: module rates, the worst "
                "module, an optimisation plan"),
)
TASK = BankTask(LAB, UNIT, 30, Msg("家电商城的售后机器人", "an appliance shop's after-sales bot"))
