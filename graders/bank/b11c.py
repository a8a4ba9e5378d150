"""Bank task b11c (L3 · 1.1, 30 minutes, 25 points): one table from a car park's two gate systems.

Both exports mapped onto one schema (ids, plates in one spelling, local times, fees in yuan) and
saved, entries per hour and the peak hour judged on the candidate's own table (error carried
forward), and a written collection–processing–audit flow for the merged data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from graders.answers import require_answer, require_file, require_frame, unpack
from graders.bank import BankTask
from graders.bank.common import data, numbers_by_key
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "1.1", "L3"
UNIFIED_FILE = Path("output") / "parking_entries.csv"
COLUMNS = ["entry_id", "plate", "entered_at", "fee_yuan"]
#: Times are compared to the second, fees to the fen.
TIME_TOLERANCE, FEE_TOLERANCE = pd.Timedelta(seconds=1), 0.005


def _truth() -> pd.DataFrame:
    return bc.unified_entries(data("parking_gate_a"), data("parking_gate_b")).set_index("entry_id")


def _local_times(values: pd.Series) -> pd.Series:
    """Times as naive local datetimes (aware ones converted to the car park's zone); Problem if unparsable."""
    try:
        times = pd.to_datetime(values)
    except (TypeError, ValueError):
        raise Problem("entered_at 无法解析为时间", "entered_at cannot be read as times") from None
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_convert(bc.PARK_TZ).dt.tz_localize(None)
    return times


def _unified(answer: Any) -> pd.DataFrame:
    df = require_frame(answer, columns=COLUMNS)
    ids = df["entry_id"].astype(str)
    if ids.duplicated().any() or set(ids) != set(_truth().index):
        raise Problem("应包含两个闸口的全部记录，每条一行（entry_id 取 A 表的 entry_id 和 B 表的 id）",
                      "every entry of both gates, one row each (entry_id is gate A's entry_id and gate B's id)")
    return df.set_index(ids)[COLUMNS[1:]].reindex(_truth().index)


def _plates_right(df: pd.DataFrame) -> bool:
    return bool((df["plate"].astype(str) == _truth()["plate"]).all())


def _times_right(df: pd.DataFrame) -> bool:
    off = (_local_times(df["entered_at"]) - _truth()["entered_at"]).abs() > TIME_TOLERANCE
    if off.any():
        raise Problem(f"{int(off.sum())} 条时间不对：B 表的 ts_ms 是 UTC 毫秒时间戳，要换成北京时间",
                      f"{int(off.sum())} times are off: gate B's ts_ms is UTC milliseconds, convert to Beijing time")
    return True


def _fees_right(df: pd.DataFrame) -> bool:
    fees = pd.to_numeric(df["fee_yuan"], errors="coerce")
    return bool(((fees - _truth()["fee_yuan"]).abs() <= FEE_TOLERANCE).all())


def _file_matches(df: pd.DataFrame) -> bool:
    saved = pd.read_csv(require_file(UNIFIED_FILE, suffix=".csv"))
    if not set(COLUMNS) <= set(saved.columns):
        raise Problem(f"文件应含列 {COLUMNS}", f"the file needs the columns {COLUMNS}")
    saved = saved.set_index(saved["entry_id"].astype(str))
    return sorted(saved.index) == sorted(df.index) and \
        bool((saved["plate"].reindex(df.index).astype(str) == df["plate"].astype(str)).all())


unified = Task(
    grade_id="b11c_unified",
    unit=UNIT,
    level=LEVEL,
    title=Msg("把两个闸口系统的记录合成一张表并保存", "Merge both gate systems' entries into one table and save it"),
    prepare=_unified,
    criteria=[
        criterion("两个闸口的每条记录各一行，四列齐全", "one row per entry of both gates, with the four columns", 1,
                  visible=True, fail=("表的形状不对", "wrong table"))(lambda df: True),
        criterion("车牌统一为大写、无空格", "plates in one spelling: upper case, no spaces", 2,
                  fail=("车牌写法不统一：转大写并去掉空格", "plates still spelled two ways: upper-case them and "
                        "drop the spaces"))(_plates_right),
        criterion("入场时间都是北京时间（B 表从 UTC 毫秒换算）", "every entry time is Beijing time (gate B's "
                  "converted from UTC milliseconds)", 3, fail=("时间不对", "wrong times"))(_times_right),
        criterion("费用都以元计（B 表的分除以 100）", "every fee in yuan (gate B's fen divided by 100)", 2,
                  fail=("费用单位不统一：B 表的 fee_fen 是分", "fees in two units: gate B's fee_fen is in fen"))(
            _fees_right),
        criterion("合并结果保存为 output/parking_entries.csv", "the table is saved as output/parking_entries.csv",
                  2, fail=("文件缺失或与合并结果不一致", "the file is missing or differs from the table"))(
            _file_matches),
    ],
    hints=[Msg("B 表：rename 列名；pd.to_datetime(ts_ms, unit='ms', utc=True).dt.tz_convert('Asia/Shanghai')"
               ".dt.tz_localize(None)；fee_fen / 100；再 pd.concat。", "Gate B: rename the columns; "
               "pd.to_datetime(ts_ms, unit='ms', utc=True).dt.tz_convert('Asia/Shanghai').dt.tz_localize(None); "
               "fee_fen / 100; then pd.concat.")],
)


def _hourly_answer(answer: Any) -> tuple[dict[int, float], Any, dict[int, int]]:
    hourly, peak, table = unpack(answer, ["hourly", "peak_hour", "entries"])
    counts = {}
    for key, value in numbers_by_key(hourly, ("记录数", "count")).items():
        try:
            counts[int(float(key))] = value
        except ValueError:
            raise Problem(f"小时应是 0–23 的整数：{key!r}", f"an hour must be a whole number 0-23: {key!r}") from None
    try:
        own = _local_times(_unified(table)["entered_at"])
    except Problem:
        raise fix_first("任务 1（合并的表）", "task 1 (the merged table)") from None
    return counts, require_answer(peak), own.dt.hour.value_counts().to_dict()


def _counts_right(answer: tuple) -> bool:
    counts, _, own = answer
    got = {h: v for h, v in counts.items() if v != 0}
    return got == {h: float(v) for h, v in own.items()}


def _peak_right(answer: tuple) -> bool:
    counts, peak, _ = answer
    try:
        hour = int(peak)
    except (TypeError, ValueError):
        raise Problem("peak_hour 应是一个小时数（0–23 的整数）", "peak_hour must be an hour (a whole number "
                      "0-23)") from None
    return bool(counts) and counts.get(hour) == max(counts.values())


hourly = Task(
    grade_id="b11c_hourly",
    unit=UNIT,
    level=LEVEL,
    title=Msg("每小时的入场车次与高峰时段", "Entries per hour of the day and the peak hour"),
    prepare=_hourly_answer,
    criteria=[
        criterion("按你自己的合并表，每个小时（0–23）的入场车次正确", "entries per hour (0-23) by your own merged "
                  "table", 5, visible=True, fail=("车次不对：按 entered_at 的小时计数每条记录",
                                                  "wrong counts: count every entry by the hour of entered_at"))(
            _counts_right),
        criterion("peak_hour 是车次最多的小时", "peak_hour is the hour with the most entries", 2,
                  fail=("不是车次最多的小时", "not the hour with the most entries"))(_peak_right),
    ],
    hints=[Msg("entries['entered_at'].dt.hour.value_counts()；idxmax()", "entries['entered_at'].dt.hour.value_counts(); "
               "idxmax()")],
)

flow = WrittenTask(
    grade_id="b11c_flow",
    unit=UNIT,
    level=LEVEL,
    title=Msg("两个闸口系统数据的采集—处理—审核流程", "The collection-processing-audit flow of the two gate systems"),
    rubric=[
        RubricPoint(Msg("采集：两个来源的字段对照、频率和交接方式", "collection: the field mapping of both sources, "
                        "frequency, hand-over"), 2),
        RubricPoint(Msg("处理：统一车牌、时区和金额单位的规则", "processing: rules for plates, time zone, money unit"), 2),
        RubricPoint(Msg("审核：对账（各闸口条数、金额合计）和范围校验", "audit: reconcile counts and totals per gate, "
                        "range checks"), 2),
        RubricPoint(Msg("用高峰时段说明数据的业务用途", "uses the peak hour to show what the data are for"), 2),
    ],
)

LAB = Lab(
    assignment="b11c",
    notebook="b11c_car_park.ipynb",
    level=LEVEL,
    tasks=[unified, hourly, flow],
    summary=Msg("停车场两个闸口系统：统一字段、时区与单位，每小时车次，数据流程", "a car park's two gate systems: "
                "one schema, time zone and units, entries per hour, the data flow"),
)
TASK = BankTask(LAB, UNIT, 30, Msg("商场停车场两个厂商的闸口系统数据", "a mall car park's gate systems from two vendors"))
