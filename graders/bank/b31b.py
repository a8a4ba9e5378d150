"""Bank task b31b (L3 · 3.1, 20 minutes, 15 points): monitor a canteen's AI checkout.

The daily error rate (cashier corrections per tray) saved to ``output/daily_error_rate.csv``, the
alert days and the camera behind them (judged on the candidate's own daily rates and alert days,
error carried forward), and a written monitoring and optimisation plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from graders.answers import unpack
from graders.bank import BankTask
from graders.bank.common import close, data, names, numbers_by_key, numbers_in_file, same_keys
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "3.1", "L3"
DAILY_FILE = Path("output") / "daily_error_rate.csv"
RATE_TOLERANCE = 0.0005 + 1e-9
RATE_WHAT = ("错误率", "error rate")


def _day(value: Any) -> str:
    """A date as ``YYYY-MM-DD`` whether given as text or as a timestamp."""
    try:
        return pd.Timestamp(str(value).strip()).date().isoformat()
    except ValueError:
        raise Problem(f"不是日期：{value!r}", f"not a date: {value!r}") from None


def _by_day(numbers: dict[str, float]) -> dict[str, float]:
    return {_day(k): v for k, v in numbers.items()}


def _truth_daily() -> dict[str, float]:
    trays = data("canteen_checkout")
    return trays.groupby("date")["corrected"].mean().to_dict()


def _daily(answer: Any) -> dict[str, float]:
    return _by_day(numbers_by_key(answer, RATE_WHAT))


def _file_matches(daily: dict[str, float]) -> bool:
    saved = _by_day(numbers_in_file(DAILY_FILE, ("date", "error_rate"), RATE_WHAT))
    return same_keys(saved, daily) and close(saved, daily, RATE_TOLERANCE)


daily = Task(
    grade_id="b31b_daily",
    unit=UNIT,
    level=LEVEL,
    title=Msg("每天的识别错误率并保存", "The daily error rate, saved"),
    prepare=_daily,
    criteria=[
        criterion("每天一项", "one entry per day", 1, visible=True,
                  fail=("日期不对", "wrong days"))(lambda got: same_keys(got, _truth_daily())),
        criterion("错误率正确（被收银员更正的餐盘占当天全部餐盘的比例）", "each rate is right (trays corrected "
                  "by the cashier over all the day's trays)", 2,
                  fail=("错误率不对：按 date 分组求 corrected 的均值（两台摄像头合在一起）", "wrong rates: group by "
                        "date, the mean of corrected (both cameras together)"))(
            lambda got: close(got, _truth_daily(), RATE_TOLERANCE)),
        criterion("保存为 output/daily_error_rate.csv（date、error_rate 两列）", "saved as "
                  "output/daily_error_rate.csv (columns date, error_rate)", 2,
                  fail=("文件缺失或与 daily 不一致", "the file is missing or differs from daily"))(_file_matches),
    ],
    hints=[Msg("trays.groupby('date')['corrected'].mean()；to_frame('error_rate').reset_index().to_csv(..., "
               "index=False)", "trays.groupby('date')['corrected'].mean(); to_frame('error_rate').reset_index()"
               ".to_csv(..., index=False)")],
)


def _alert_answer(answer: Any) -> tuple[set[str], str, Any]:
    days, camera, own_daily = unpack(answer, ["alert_days", "camera", "daily"])
    return {_day(d) for d in names(days)}, str(camera).strip().upper(), own_daily


def _own_daily(own: Any) -> dict[str, float]:
    try:
        got = _daily(own)
        same_keys(got, _truth_daily())
    except Problem:
        raise fix_first("任务 1 的 daily", "task 1's daily") from None
    return got


def _alert_days_right(answer: tuple[set[str], str, Any]) -> bool:
    days, _, own = answer
    rates = _own_daily(own)
    return days == {d for d, r in rates.items() if r > bc.CANTEEN_ALERT + 1e-9}


def _camera_right(answer: tuple[set[str], str, Any]) -> bool:
    days, camera, _ = answer
    trays = data("canteen_checkout")
    on_alert = trays[trays["date"].isin(days)]
    if on_alert.empty:
        raise fix_first("alert_days（没有一天在数据中）", "alert_days (none of its days is in the data)")
    rates = on_alert.groupby("camera")["corrected"].mean()
    return camera == rates.idxmax()


alert = Task(
    grade_id="b31b_alert",
    unit=UNIT,
    level=LEVEL,
    title=Msg("告警日期和出问题的摄像头", "The alert days and the camera behind them"),
    prepare=_alert_answer,
    criteria=[
        criterion("按你的日错误率，告警日期（高于 7.5%）正确", "the alert days (above 7.5 %) by your daily rates",
                  3, fail=("告警日期不对：错误率高于 0.075 的日子，正好等于 0.075 不告警", "wrong alert days: rates "
                           "above 0.075; a day at exactly 0.075 raises no alert"))(_alert_days_right),
        criterion("告警日里错误率最高的摄像头", "the camera with the highest error rate on the alert days", 2,
                  fail=("不是告警日错误率最高的摄像头（比较比例，不是次数）", "not the camera with the highest rate on "
                        "the alert days (compare rates, not counts)"))(_camera_right),
    ],
    hints=[Msg("alert_days = [d for d, r in daily.items() if r > 0.075]；再在这些天里按 camera 求 corrected 的均值。",
               "alert_days = [d for d, r in daily.items() if r > 0.075]; then, on those days, the mean of corrected "
               "per camera.")],
)

plan = WrittenTask(
    grade_id="b31b_plan",
    unit=UNIT,
    level=LEVEL,
    title=Msg("监控与优化方案", "A monitoring and optimisation plan"),
    rubric=[
        RubricPoint(Msg("根据数据说明问题（哪天起、哪台摄像头、多严重）", "states the problem from the data (since "
                        "when, which camera, how bad)"), 2),
        RubricPoint(Msg("具体的处理和预防措施（如清洁、校准、自动告警）", "concrete fixes and prevention (e.g. "
                        "cleaning, calibration, automatic alerts)"), 2),
        RubricPoint(Msg("以后按摄像头分别监控的指标和阈值", "the metric and threshold to monitor per camera from "
                        "now on"), 1),
    ],
)

LAB = Lab(
    assignment="b31b",
    notebook="b31b_canteen_checkout.ipynb",
    level=LEVEL,
    tasks=[daily, alert, plan],
    summary=Msg("食堂 AI 结算台：日错误率、告警日期与摄像头、监控方案", "a canteen's AI checkout: daily error "
                "rate, alert days and camera, a monitoring plan"),
)
TASK = BankTask(LAB, UNIT, 20, Msg("食堂的 AI 自助结算台", "a canteen's AI self-checkout"))
