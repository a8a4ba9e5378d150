"""Bank task b31a (L3 · 3.1, 20 minutes, 15 points): a bike-sharing app's usage log.

The most used features, the mean response time per feature and the slowest feature (judged on the
candidate's own means, error carried forward), and three written optimisations.
"""

from __future__ import annotations

from typing import Any

from graders.answers import unpack
from graders.bank import BankTask
from graders.bank.common import close, data, names, numbers_by_key, same_keys
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first

UNIT, LEVEL = "3.1", "L3"
TOP = 3
MEAN_TOLERANCE = 0.05 + 1e-9


def _counts() -> dict[str, int]:
    return data("bike_app_usage")["feature"].value_counts().to_dict()


def _top_list(answer: Any) -> list[str]:
    top = [n.lower() for n in names(answer)]
    if len(top) != TOP:
        raise Problem(f"应列出 {TOP} 个功能", f"name {TOP} features")
    return top


def _top_right(top: list[str]) -> bool:
    counts = _counts()
    ranked = sorted(counts, key=counts.get, reverse=True)
    return set(top) == set(ranked[:TOP])


def _top_ordered(top: list[str]) -> bool:
    counts = _counts()
    if not _top_right(top):
        raise Problem("先找对使用最多的三个功能", "find the three most used features first")
    return [counts[t] for t in top] == sorted((counts[t] for t in top), reverse=True)


top = Task(
    grade_id="b31a_top",
    unit=UNIT,
    level=LEVEL,
    title=Msg("使用次数最多的三个功能", "The three most used features"),
    prepare=_top_list,
    criteria=[
        criterion("三个功能都对", "the right three features", 3, visible=True,
                  fail=("不是使用次数最多的三个功能", "not the three most used features"))(_top_right),
        criterion("按使用次数从多到少排列", "ordered from most to least used", 2,
                  fail=("顺序不对", "wrong order"))(_top_ordered),
    ],
    hints=[Msg("df['feature'].value_counts().head(3).index", "df['feature'].value_counts().head(3).index")],
)


def _truth_means() -> dict[str, float]:
    return data("bike_app_usage").groupby("feature")["response_ms"].mean().to_dict()


def _slow_answer(answer: Any) -> tuple[dict[str, float], str]:
    means, slowest = unpack(answer, ["mean_ms", "slowest"])
    return numbers_by_key(means, ("平均响应时间", "mean response time")), str(slowest).strip().lower()


def _slowest_by_own_means(answer: tuple[dict[str, float], str]) -> bool:
    means, slowest = answer
    if set(means) != set(_truth_means()):
        raise fix_first("本题的 mean_ms", "this task's mean_ms")
    return slowest == max(means, key=means.get)


slow = Task(
    grade_id="b31a_slow",
    unit=UNIT,
    level=LEVEL,
    title=Msg("各功能的平均响应时间与最慢的功能", "Mean response time per feature and the slowest one"),
    prepare=_slow_answer,
    criteria=[
        criterion("每个功能一项", "one entry per feature", 1, visible=True,
                  fail=("功能不对", "wrong features"))(lambda a: same_keys(a[0], _truth_means())),
        criterion("平均响应时间正确（毫秒，一位小数）", "each mean is right (ms, to one decimal)", 2,
                  fail=("平均值不对：按功能分组求 response_ms 的均值", "wrong means: group by feature, mean of "
                        "response_ms"))(lambda a: close(a[0], _truth_means(), MEAN_TOLERANCE)),
        criterion("按你的结果，最慢的功能正确", "the slowest feature by your means", 2,
                  fail=("不是平均响应时间最长的功能", "not the feature with the longest mean"))(_slowest_by_own_means),
    ],
    hints=[Msg("groupby('feature')['response_ms'].mean()，再 idxmax()。",
               "groupby('feature')['response_ms'].mean(), then idxmax().")],
)

proposals = WrittenTask(
    grade_id="b31a_plan",
    unit=UNIT,
    level=LEVEL,
    title=Msg("三条优化建议", "Three optimisation proposals"),
    rubric=[
        RubricPoint(Msg("每条建议都基于上面的数据", "each proposal rests on the data above"), 2),
        RubricPoint(Msg("针对最慢功能的具体技术或流程措施", "a concrete fix for the slowest feature"), 2),
        RubricPoint(Msg("说明如何衡量优化效果", "how the effect will be measured"), 1),
    ],
)

LAB = Lab(
    assignment="b31a",
    notebook="b31a_bike_app_usage.ipynb",
    level=LEVEL,
    tasks=[top, slow, proposals],
    summary=Msg("共享单车 App 使用日志：热门功能、响应时间瓶颈、优化建议", "bike-sharing app usage log: top "
                "features, response-time bottleneck, proposals"),
)
TASK = BankTask(LAB, UNIT, 20, Msg("共享单车 App 的使用日志", "a bike-sharing app's usage log"))
