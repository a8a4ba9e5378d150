"""Bank task b42b (L3 · 4.2, 10 minutes, 5 points): review a junior's shelf-photo collection.

The photos that break the collection spec, each with the rule it breaks (any container, any order),
saved to ``output/photo_issues.csv``, and written guidance to the collector.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from graders.answers import require_file, require_mapping
from graders.bank import BankTask
from graders.bank.common import data
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "4.2", "L3"
ISSUES_FILE = Path("output") / "photo_issues.csv"


def _truth() -> dict[str, str]:
    photos = data("shelf_photos")
    faults = photos.apply(bc.photo_fault, axis=1)
    return dict(zip(photos.loc[faults.notna(), "file_name"], faults.dropna(), strict=True))


def _as_issues(answer: Any) -> dict[str, str]:
    if isinstance(answer, pd.DataFrame):
        if answer.shape[1] != 2:
            raise Problem("DataFrame 应只有两列：file_name 和 rule", "the DataFrame should have two columns: "
                          "file_name and rule")
        answer = dict(answer.itertuples(index=False, name=None))
    issues = {str(k).strip(): str(v).strip().lower() for k, v in require_mapping(answer, keys=[]).items()}
    unknown = set(issues) - set(data("shelf_photos")["file_name"])
    if unknown:
        raise Problem(f"这些文件不在这批照片中：{sorted(unknown)[:3]}", f"files not in the batch: {sorted(unknown)[:3]}")
    return issues


def _all_found(issues: dict[str, str]) -> bool:
    missed = len(set(_truth()) - set(issues))
    if missed:
        raise Problem(f"还有 {missed} 张不合规的照片没有找出", f"{missed} photos breaking the spec are not found yet")
    return True


def _none_good_named(issues: dict[str, str]) -> bool:
    extra = len(set(issues) - set(_truth()))
    if extra:
        raise Problem(f"有 {extra} 张合规的照片被列出（1280 × 720 和 JPG、Png 都合规）", f"{extra} photos keeping the "
                      "spec are named (1280 × 720, JPG and Png are valid)")
    return True


def _rules_right(issues: dict[str, str]) -> bool:
    truth = _truth()
    return all(issues.get(name) == rule for name, rule in truth.items())


def _file_matches(issues: dict[str, str]) -> bool:
    saved = pd.read_csv(require_file(ISSUES_FILE, suffix=".csv"), encoding="utf-8-sig")
    if not {"file_name", "rule"} <= set(saved.columns):
        raise Problem(f"{ISSUES_FILE} 应有 file_name、rule 两列", f"{ISSUES_FILE} needs the columns file_name, rule")
    return _as_issues(saved[["file_name", "rule"]]) == issues


issues = Task(
    grade_id="b42b_issues",
    unit=UNIT,
    level=LEVEL,
    title=Msg("找出不合规的照片和违反的规则", "The photos breaking the spec and the rule each breaks"),
    prepare=_as_issues,
    criteria=[
        criterion("找出了所有不合规的照片", "every photo breaking the spec is found", 1,
                  fail=("漏掉了不合规的照片", "a photo breaking the spec is missed"))(_all_found),
        criterion("没有列出合规的照片", "no photo keeping the spec is named", 1,
                  fail=("列出了合规的照片", "a photo keeping the spec is named"))(_none_good_named),
        criterion("每张照片违反的规则正确（resolution / format / consent）", "each photo's rule is right "
                  "(resolution / format / consent)", 0.5,
                  fail=("违反的规则写错了", "a rule is wrong"))(_rules_right),
        criterion("保存为 output/photo_issues.csv（file_name、rule 两列）", "saved as output/photo_issues.csv "
                  "(columns file_name, rule)", 0.5,
                  fail=("文件缺失或与 issues 不一致", "the file is missing or differs from issues"))(_file_matches),
    ],
    hints=[Msg("逐条检查：宽 < 1280 或高 < 720 → resolution；format.lower() 不是 jpg/png → format；store_consent 不是 1 → "
               "consent", "row by row: width < 1280 or height < 720 → resolution; format.lower() not jpg/png → "
               "format; store_consent not 1 → consent")],
)

guidance = WrittenTask(
    grade_id="b42b_guidance",
    unit=UNIT,
    level=LEVEL,
    title=Msg("给采集员的指导", "Guidance to the collector"),
    rubric=[
        RubricPoint(Msg("按问题类型说明原因和正确做法", "each kind of problem with its cause and the right way"), 1),
        RubricPoint(Msg("采集时的自查方法（设备设置、同意书）", "a self-check while collecting (camera settings, "
                        "consent forms)"), 1),
    ],
)

LAB = Lab(
    assignment="b42b",
    notebook="b42b_shelf_photos.ipynb",
    level=LEVEL,
    tasks=[issues, guidance],
    summary=Msg("货架照片采集审核：不合规的照片及原因、给采集员的指导", "shelf-photo collection review: the photos "
                "breaking the spec and why, guidance to the collector"),
)
TASK = BankTask(LAB, UNIT, 10, Msg("商品识别项目的货架照片采集", "shelf photos collected for product recognition"))
