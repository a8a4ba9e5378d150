"""Bank task b12b (L3 · 1.2, 30 minutes, 25 points): judge an A/B test of a gas company's service bot.

The billing module's resolution rate per group and the uplift in percentage points, the hand-over
guardrail and the launch decision by the stated rule (each judged on the candidate's own numbers,
error carried forward), and a written evaluation and rollout plan.
"""

from __future__ import annotations

from typing import Any

from graders.answers import as_number, require_answer, unpack
from graders.bank import BankTask
from graders.bank.common import close, data, numbers_by_key, same_keys
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "1.2", "L3"
#: The statement asks for percentages to one decimal; a difference of two percentages rounded to one
#: decimal each may be off the exact difference by up to 0.1.
PP_TOLERANCE = 0.05 + 1e-9
DIFFERENCE_TOLERANCE = 0.1 + 1e-9


def _truth(column: str) -> dict[str, float]:
    return bc.ab_rates(data("gas_bot_ab"), column).to_dict()


def _rates_answer(answer: Any) -> tuple[dict[str, float], float]:
    rates, uplift = unpack(answer, ["billing_rates", "uplift_pp"])
    return numbers_by_key(rates, ("解决率", "rate")), as_number(require_answer(uplift))


def _uplift_right(answer: tuple[dict[str, float], float]) -> bool:
    rates, uplift = answer
    if not {"control", "treatment"} <= set(rates):
        raise fix_first("M1（两组的名称）", "M1 (the groups' names)")
    return abs(uplift - (rates["treatment"] - rates["control"])) <= DIFFERENCE_TOLERANCE


rates = Task(
    grade_id="b12b_rates",
    unit=UNIT,
    level=LEVEL,
    title=Msg("账单模块两组的解决率与提升", "The billing module's resolution rate per group and the uplift"),
    prepare=_rates_answer,
    criteria=[
        criterion("恰好两组：control、treatment", "exactly the two groups control and treatment", 2, visible=True,
                  fail=("组名不对", "wrong groups"))(lambda answer: same_keys(answer[0], _truth("resolved"))),
        criterion("只看账单模块，两组解决率正确（百分数，一位小数）", "each group's rate in the billing module only "
                  "(percent, to one decimal)", 5, fail=("解决率不对：只用 module 为 billing 的会话，按组求 resolved 的"
                                                      "百分比", "wrong rates: only the billing sessions, the percent "
                                                      "resolved per group"))(
            lambda answer: close(answer[0], _truth("resolved"), PP_TOLERANCE)),
        criterion("uplift_pp = 实验组 − 对照组（百分点，按你的解决率）", "uplift_pp = treatment minus control "
                  "(percentage points, from your rates)", 3, fail=("提升不对：是两个百分数之差（百分点），不是相对"
                                                                  "变化", "wrong uplift: the difference of the two "
                                                                  "percentages (points), not a relative change"))(
            _uplift_right),
    ],
    hints=[Msg("billing = df[df['module'] == 'billing']；billing.groupby('group')['resolved'].mean() * 100",
               "billing = df[df['module'] == 'billing']; billing.groupby('group')['resolved'].mean() * 100")],
)


def _guardrail_answer(answer: Any) -> tuple[float, Any, float]:
    change, launch, uplift = unpack(answer, ["handover_change_pp", "launch", "uplift_pp"])
    try:
        own_uplift = as_number(uplift)
    except Problem:
        raise fix_first("任务 1（uplift_pp）", "task 1 (uplift_pp)") from None
    return as_number(change), require_answer(launch), own_uplift


def _change_right(answer: tuple) -> bool:
    want = _truth("handed_to_agent")
    return abs(answer[0] - (want["treatment"] - want["control"])) <= DIFFERENCE_TOLERANCE


def _decision_right(answer: tuple) -> bool:
    change, launch, uplift = answer
    if not isinstance(launch, bool) and launch not in (0, 1):
        raise Problem("launch 应是 True 或 False", "launch must be True or False")
    return bool(launch) == (uplift >= bc.LAUNCH_UPLIFT_PP and change <= 0)


guardrail = Task(
    grade_id="b12b_guardrail",
    unit=UNIT,
    level=LEVEL,
    title=Msg("转人工护栏指标与上线决定", "The hand-over guardrail and the launch decision"),
    prepare=_guardrail_answer,
    criteria=[
        criterion("账单模块转人工率的变化（实验组 − 对照组，百分点）正确", "the change of the billing module's "
                  "hand-over rate (treatment minus control, points)", 3, visible=True,
                  fail=("转人工率变化不对：只看账单模块，实验组减对照组", "wrong change: billing only, treatment "
                        "minus control"))(_change_right),
        criterion("按你的数字和上线规则，launch 正确", "launch follows the rule from your numbers", 2,
                  fail=("决定不对：提升至少 5 个百分点且转人工率没有上升才上线", "wrong decision: launch only with "
                        "an uplift of at least 5 points and no rise in hand-overs"))(_decision_right),
    ],
    hints=[Msg("handover = billing.groupby('group')['handed_to_agent'].mean() * 100；两个条件都满足才上线。",
               "handover = billing.groupby('group')['handed_to_agent'].mean() * 100; launch only if both hold.")],
)

plan = WrittenTask(
    grade_id="b12b_plan",
    unit=UNIT,
    level=LEVEL,
    title=Msg("实验结论、问题原因与下一轮测试计划", "The test's conclusion, the likely cause and the next test plan"),
    rubric=[
        RubricPoint(Msg("用两组数字说明结论（解决率提升、转人工变化）", "states the result with both groups' numbers"), 2),
        RubricPoint(Msg("说明为什么只能比较账单模块、全部模块合计会误导", "why only billing is compared and pooled "
                        "rates mislead"), 2),
        RubricPoint(Msg("分析转人工变化的可能原因并提出 AI 改进", "likely cause of the hand-over change and an AI fix"),
                    3),
        RubricPoint(Msg("下一轮测试：样本量或时长、指标、上线与回滚标准", "the next test: size or length, metrics, "
                        "launch and rollback bars"), 3),
    ],
)

LAB = Lab(
    assignment="b12b",
    notebook="b12b_gas_bot_ab.ipynb",
    level=LEVEL,
    tasks=[rates, guardrail, plan],
    summary=Msg("燃气客服机器人 A/B 测试：模块内提升、护栏指标、上线决定、测试计划", "a gas bot's A/B test: the uplift "
                "within the module, a guardrail, the launch decision, a test plan"),
)
TASK = BankTask(LAB, UNIT, 30, Msg("燃气公司客服机器人新意图模型的 A/B 测试", "an A/B test of a gas company's "
                                    "service bot's new intent model"))
