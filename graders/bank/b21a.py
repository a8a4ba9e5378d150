"""Bank task b21a (L3 · 2.1, 20 minutes, 15 points): clean a bike-sharing ride export.

One row per ride, the spec's rules applied (rows breaking them removed, valid rows kept), the
cleaned file saved to ``output/rides_clean.csv``, and a written cleaning specification.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from graders.answers import require_file, require_frame
from graders.bank import BankTask
from graders.bank.common import data
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "2.1", "L3"
CLEAN_FILE = Path("output") / "rides_clean.csv"


def _cleaned(answer: Any) -> pd.DataFrame:
    return require_frame(answer, columns=["ride_id", "duration_min", "distance_km"])


def _valid_ids() -> set[str]:
    rides = data("bike_rides")
    return set(rides.loc[bc.valid_ride(rides), "ride_id"])


def _one_row_per_ride(df: pd.DataFrame) -> bool:
    return not df["ride_id"].duplicated().any()


def _breaking_removed(df: pd.DataFrame) -> bool:
    rides = data("bike_rides")
    bad = set(rides.loc[~bc.valid_ride(rides), "ride_id"]) - _valid_ids()
    left = len(bad & set(df["ride_id"].astype(str)))
    if left:
        raise Problem(f"还有 {left} 条违反规则的骑行", f"{left} rides breaking the rules are left")
    return True


def _valid_kept(df: pd.DataFrame) -> bool:
    lost = len(_valid_ids() - set(df["ride_id"].astype(str)))
    if lost:
        raise Problem(f"删掉了 {lost} 条有效骑行（1 和 240 分钟本身有效）", f"{lost} valid rides were dropped "
                      "(1 and 240 minutes are valid)")
    return True


def _file_matches(df: pd.DataFrame) -> bool:
    path = require_file(CLEAN_FILE, suffix=".csv")
    saved = pd.read_csv(path)
    if "ride_id" not in saved.columns or "Unnamed: 0" in saved.columns:
        raise Problem("文件应含 ride_id 列且不写行索引（index=False）", "the file needs the ride_id column and "
                      "no index column (index=False)")
    return sorted(saved["ride_id"].astype(str)) == sorted(df["ride_id"].astype(str))


clean = Task(
    grade_id="b21a_clean",
    unit=UNIT,
    level=LEVEL,
    title=Msg("按规范清洗骑行记录并保存", "Clean the rides to the spec and save them"),
    prepare=_cleaned,
    criteria=[
        criterion("每个 ride_id 只有一行", "one row per ride_id", 2, visible=True,
                  fail=("还有重复上传的骑行", "rides uploaded twice remain"))(_one_row_per_ride),
        criterion("违反规则的骑行已删除", "rides breaking the rules are removed", 2,
                  fail=("还有违反规则的骑行", "rides breaking the rules remain"))(_breaking_removed),
        criterion("有效骑行全部保留", "every valid ride is kept", 2,
                  fail=("删掉了有效骑行", "valid rides were dropped"))(_valid_kept),
        criterion("清洗结果保存为 output/rides_clean.csv", "the result is saved as output/rides_clean.csv", 3,
                  fail=("文件缺失或与清洗结果不一致", "the file is missing or differs from the cleaned table"))(
            _file_matches),
    ],
    hints=[Msg("drop_duplicates('ride_id')，再用 between(1, 240) 和 distance_km >= 0 筛选；to_csv(..., index=False)。",
               "drop_duplicates('ride_id'), then filter with between(1, 240) and distance_km >= 0; "
               "to_csv(..., index=False).")],
)

spec = WrittenTask(
    grade_id="b21a_spec",
    unit=UNIT,
    level=LEVEL,
    title=Msg("骑行数据的清洗与标注规范", "The cleaning and labelling spec of the ride data"),
    rubric=[
        RubricPoint(Msg("每条规则写明字段、条件和处理方式", "each rule names field, condition and action"), 2),
        RubricPoint(Msg("处理顺序（先去重再校验）及理由", "the order of steps (dedup first) and why"), 2),
        RubricPoint(Msg("清洗后的质量检查与记录", "quality checks and a log after cleaning"), 2),
    ],
)

LAB = Lab(
    assignment="b21a",
    notebook="b21a_bike_rides.ipynb",
    level=LEVEL,
    tasks=[clean, spec],
    summary=Msg("共享单车骑行记录：去重、规则校验、保存、清洗规范", "bike-sharing rides: dedup, rules, the "
                "cleaned file, a cleaning spec"),
)
TASK = BankTask(LAB, UNIT, 20, Msg("共享单车的骑行导出数据", "a bike-sharing ride export"))
