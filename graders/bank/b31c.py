"""Bank task b31c (L3 · 3.1, 20 minutes, 15 points): a delivery platform's route API against its objectives.

Each endpoint's p95 latency saved to ``output/p95_latency.csv``, the endpoints breaking their
objective (judged on the candidate's own p95, error carried forward), and a written optimisation plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from graders.answers import unpack
from graders.bank import BankTask
from graders.bank.common import data, names, numbers_by_key, numbers_in_file, same_keys
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "3.1", "L3"
P95_FILE = Path("output") / "p95_latency.csv"
P95_WHAT = ("p95 毫秒数", "p95 in ms")
#: How far an answer may sit outside the order statistics around the 95th percentile (ms, rounding).
MS_TOLERANCE = 0.5


def slo() -> dict[str, int]:
    """Each endpoint's objective: the p95 latency (ms) it must not exceed."""
    return dict(bc.ROUTE_SLO_MS)


def _p95_band() -> dict[str, tuple[float, float]]:
    """Per endpoint, the values any usual definition of the 95th percentile gives (neighbouring order stats)."""
    calls = data("route_api_latency")
    bands = {}
    for endpoint, values in calls.groupby("endpoint")["latency_ms"]:
        ordered = np.sort(values.to_numpy(dtype=float))
        at = 0.95 * (len(ordered) - 1)
        low, high = max(int(np.floor(at)) - 1, 0), min(int(np.ceil(at)) + 1, len(ordered) - 1)
        bands[str(endpoint)] = (ordered[low] - MS_TOLERANCE, ordered[high] + MS_TOLERANCE)
    return bands


def _p95(answer: Any) -> dict[str, float]:
    return numbers_by_key(answer, P95_WHAT)


def _p95_right(got: dict[str, float]) -> bool:
    return all(k in got and low <= got[k] <= high for k, (low, high) in _p95_band().items())


def _file_matches(got: dict[str, float]) -> bool:
    saved = numbers_in_file(P95_FILE, ("endpoint", "p95_ms"), P95_WHAT)
    return same_keys(saved, got) and all(abs(saved[k] - got[k]) <= MS_TOLERANCE + 1e-9 for k in got)


p95 = Task(
    grade_id="b31c_p95",
    unit=UNIT,
    level=LEVEL,
    title=Msg("各接口的 p95 响应时间并保存", "Each endpoint's p95 latency, saved"),
    prepare=_p95,
    criteria=[
        criterion("每个接口一项", "one entry per endpoint", 1, visible=True,
                  fail=("接口不对", "wrong endpoints"))(lambda got: same_keys(got, _p95_band())),
        criterion("p95 正确（毫秒，第 95 百分位数）", "each p95 is right (ms, the 95th percentile)", 3,
                  fail=("p95 不对：按 endpoint 分组求 latency_ms 的 quantile(0.95)，不是均值、中位数或最大值",
                        "wrong p95: group by endpoint, quantile(0.95) of latency_ms, not the mean, median or "
                        "maximum"))(_p95_right),
        criterion("保存为 output/p95_latency.csv（endpoint、p95_ms 两列）", "saved as output/p95_latency.csv "
                  "(columns endpoint, p95_ms)", 2,
                  fail=("文件缺失或与 p95 不一致", "the file is missing or differs from p95"))(_file_matches),
    ],
    hints=[Msg("calls.groupby('endpoint')['latency_ms'].quantile(0.95)", "calls.groupby('endpoint')['latency_ms']"
               ".quantile(0.95)")],
)


def _breach_answer(answer: Any) -> tuple[set[str], dict[str, float]]:
    named, own = unpack(answer, ["breaching", "p95"])
    endpoints = {n.lower() for n in names(named)}
    unknown = endpoints - set(slo())
    if unknown:
        raise Problem(f"没有这些接口：{sorted(unknown)}", f"no such endpoints: {sorted(unknown)}")
    try:
        own_p95 = _p95(own)
        same_keys(own_p95, slo())
    except Problem:
        raise fix_first("任务 1 的 p95", "task 1's p95") from None
    return endpoints, own_p95


def _own_breaching(own: dict[str, float]) -> set[str]:
    return {k for k, limit in slo().items() if own[k] > limit}


def _all_breaching_named(answer: tuple[set[str], dict[str, float]]) -> bool:
    named, own = answer
    return _own_breaching(own) <= named


def _no_compliant_named(answer: tuple[set[str], dict[str, float]]) -> bool:
    named, own = answer
    return named <= _own_breaching(own)


breach = Task(
    grade_id="b31c_breach",
    unit=UNIT,
    level=LEVEL,
    title=Msg("未达到目标的接口", "The endpoints that break their objective"),
    prepare=_breach_answer,
    criteria=[
        criterion("按你的 p95，超标的接口都已列出", "every endpoint over its objective by your p95 is named", 2,
                  fail=("漏掉了 p95 超过目标的接口", "an endpoint whose p95 is over its objective is missed"))(
            _all_breaching_named),
        criterion("没有列出达标的接口", "no endpoint within its objective is named", 2,
                  fail=("列出了 p95 未超过目标的接口（看 p95，不看均值或最大值）", "an endpoint whose p95 is within "
                        "its objective is named (judge the p95, not the mean or the maximum)"))(_no_compliant_named),
    ],
    hints=[Msg("breaching = [e for e, limit in slo.items() if p95[e] > limit]",
               "breaching = [e for e, limit in slo.items() if p95[e] > limit]")],
)

plan = WrittenTask(
    grade_id="b31c_plan",
    unit=UNIT,
    level=LEVEL,
    title=Msg("接口性能优化方案", "An optimisation plan for the endpoints"),
    rubric=[
        RubricPoint(Msg("区分整体偏慢与长尾偏慢的接口，并说明依据", "tells an endpoint slow throughout from one "
                        "with a slow tail, with the evidence"), 2),
        RubricPoint(Msg("针对每类问题的具体措施（缓存、扩容、超时与重试等）", "a concrete fix for each kind "
                        "(caching, scaling, time-outs and retries...)"), 2),
        RubricPoint(Msg("上线后的监控指标与告警", "the metric and alert to watch after the change"), 1),
    ],
)

LAB = Lab(
    assignment="b31c",
    notebook="b31c_route_api.ipynb",
    level=LEVEL,
    tasks=[p95, breach, plan],
    summary=Msg("配送平台路线接口：p95 响应时间、超标接口、优化方案", "a delivery platform's route API: p95 "
                "latency, endpoints over their objective, an optimisation plan"),
)
TASK = BankTask(LAB, UNIT, 20, Msg("配送平台的路线规划接口", "a delivery platform's route-planning API"))
