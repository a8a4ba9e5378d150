"""Bank task b42c (L3 · 4.2, 10 minutes, 5 points): a junior's train/test split that leaks.

The customers in both splits (ids compared without case and spaces, any container), the share of test
rows they make up, saved to ``output/leaked_customers.csv``, and written guidance on splitting by customer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from graders.answers import as_number, require_file, unpack
from graders.bank import BankTask
from graders.bank.common import data, names
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "4.2", "L3"
LEAK_FILE = Path("output") / "leaked_customers.csv"
SHARE_TOLERANCE = 0.005 + 1e-9


def _ids(values: Any) -> set[str]:
    return {n.strip().upper() for n in names(values)}


def _leak_answer(answer: Any) -> tuple[set[str], float]:
    leaked, share = unpack(answer, ["leaked", "test_share"])
    ids = _ids(leaked)
    unknown = ids - set(data("churn_split")["customer_id"].str.strip().str.upper())
    if unknown:
        raise Problem(f"这些客户不在数据中：{sorted(unknown)[:3]}", f"customers not in the data: {sorted(unknown)[:3]}")
    return ids, as_number(share)


def _truth() -> set[str]:
    return bc.leaked_customers(data("churn_split"))


def _all_found(answer: tuple[set[str], float]) -> bool:
    missed = len(_truth() - answer[0])
    if missed:
        raise Problem(f"还有 {missed} 位泄漏的客户没有找出（编号大小写、空格不同也是同一客户）", f"{missed} leaked "
                      "customers are not found yet (an id in another case or with a space is the same customer)")
    return True


def _none_extra(answer: tuple[set[str], float]) -> bool:
    extra = len(answer[0] - _truth())
    if extra:
        raise Problem(f"有 {extra} 位客户只在一个划分中（多行不等于泄漏）", f"{extra} customers named are in one "
                      "split only (several rows are no leak)")
    return True


def _share_right(answer: tuple[set[str], float]) -> bool:
    split = data("churn_split")
    test_ids = split.loc[split["split"] == "test", "customer_id"].str.strip().str.upper()
    return abs(answer[1] - float(test_ids.isin(_truth()).mean())) <= SHARE_TOLERANCE


def _file_matches(answer: tuple[set[str], float]) -> bool:
    saved = pd.read_csv(require_file(LEAK_FILE, suffix=".csv"), encoding="utf-8-sig")
    if "customer_id" not in saved.columns:
        raise Problem(f"{LEAK_FILE} 应有 customer_id 列", f"{LEAK_FILE} needs the column customer_id")
    return _ids(saved["customer_id"].astype(str)) == answer[0]


leak = Task(
    grade_id="b42c_leak",
    unit=UNIT,
    level=LEVEL,
    title=Msg("找出同时出现在训练集和测试集的客户", "The customers in both the train and the test split"),
    prepare=_leak_answer,
    criteria=[
        criterion("找出了所有泄漏的客户", "every leaked customer is found", 1,
                  fail=("漏掉了泄漏的客户", "a leaked customer is missed"))(_all_found),
        criterion("没有列出只在一个划分中的客户", "no customer of one split only is named", 0.5,
                  fail=("列出了没有泄漏的客户", "a customer that does not leak is named"))(_none_extra),
        criterion("泄漏客户的行占测试集的比例", "the share of test rows from leaked customers", 1,
                  fail=("比例不对：测试集中属于泄漏客户的行数 ÷ 测试集行数", "wrong share: test rows of leaked "
                        "customers ÷ all test rows"))(_share_right),
        criterion("保存为 output/leaked_customers.csv（customer_id 列）", "saved as output/leaked_customers.csv "
                  "(column customer_id)", 0.5,
                  fail=("文件缺失或与 leaked 不一致", "the file is missing or differs from leaked"))(_file_matches),
    ],
    hints=[Msg("ids = split['customer_id'].str.strip().str.upper()；set(ids[split['split'] == 'train']) & "
               "set(ids[split['split'] == 'test'])", "ids = split['customer_id'].str.strip().str.upper(); "
               "set(ids[split['split'] == 'train']) & set(ids[split['split'] == 'test'])")],
)

guidance = WrittenTask(
    grade_id="b42c_guidance",
    unit=UNIT,
    level=LEVEL,
    title=Msg("给初级人员的指导", "Guidance to the junior"),
    rubric=[
        RubricPoint(Msg("说明泄漏为什么会让测试结果虚高", "why the leak makes the test result look too good"), 1),
        RubricPoint(Msg("正确做法：先统一编号，再按客户分组划分（如 GroupShuffleSplit）", "the right way: normalise "
                        "the ids, then split by customer (e.g. GroupShuffleSplit)"), 1),
    ],
)

LAB = Lab(
    assignment="b42c",
    notebook="b42c_churn_split.ipynb",
    level=LEVEL,
    tasks=[leak, guidance],
    summary=Msg("客户流失数据的划分审核：泄漏的客户和比例、按客户划分的指导", "a churn table's split review: the "
                "leaked customers and their share, guidance on splitting by customer"),
)
TASK = BankTask(LAB, UNIT, 10, Msg("电信客户流失数据的训练/测试划分", "the train/test split of a telecom churn table"))
