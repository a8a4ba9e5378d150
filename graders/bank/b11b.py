"""Bank task b11b (L3 · 1.1, 30 minutes, 25 points): audit a parcel hotline's records on arrival.

Every record flagged by the audit rules (duration, blank intent, repeated call) and the audited
table saved, the pass rate per collection source judged on the candidate's own flags (error carried
forward), and a written audit step with the send-back loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from graders.answers import require_file, require_frame, unpack
from graders.bank import BankTask
from graders.bank.common import close, data, numbers_by_key, same_keys
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "1.1", "L3"
AUDITED_FILE = Path("output") / "calls_audited.csv"
RATE_TOLERANCE = 0.05 + 1e-9


def _truth() -> pd.DataFrame:
    calls = data("parcel_calls")
    return bc.call_checks(calls).set_index(calls["record_id"])


def _passed(values: pd.Series) -> pd.Series:
    if not set(pd.unique(values.astype(object))) <= {True, False}:
        raise Problem("passed 应是 True/False（或 1/0）", "passed must be True/False (or 1/0)")
    return values.astype(bool)


def _audited(answer: Any) -> pd.Series:
    """The candidate's ``passed`` per record id (every record once, in the table's order)."""
    df = require_frame(answer, columns=["record_id", "source", "passed"])
    want = data("parcel_calls")["record_id"]
    if sorted(df["record_id"].astype(int)) != sorted(want):
        raise Problem("每条记录应保留一行（不要删行，只加 passed 列）", "keep one row per record (drop none, "
                      "add the passed column)")
    return _passed(df.set_index(df["record_id"].astype(int))["passed"]).reindex(want)


def _breakers_failed(rule: str) -> Any:
    def test(passed: pd.Series) -> bool:
        truth = _truth()
        wrong = int(passed[truth[rule]].sum())
        if wrong:
            raise Problem(f"{wrong} 条违反该规则的记录被判为通过", f"{wrong} records breaking this rule passed")
        return True
    return test


def _valid_passed(passed: pd.Series) -> bool:
    truth = _truth()
    lost = int((~passed[truth["passed"]]).sum())
    if lost:
        raise Problem(f"{lost} 条合格记录被判为不通过（1 和 3600 秒本身合格，重复的第一条合格）",
                      f"{lost} valid records failed (1 and 3600 s are valid, a repeated call's first record is)")
    return True


def _file_matches(passed: pd.Series) -> bool:
    saved = pd.read_csv(require_file(AUDITED_FILE, suffix=".csv"))
    if not {"record_id", "passed"} <= set(saved.columns):
        raise Problem("文件应含 record_id 和 passed 列", "the file needs the record_id and passed columns")
    saved_passed = _passed(saved.set_index("record_id")["passed"])
    return sorted(saved_passed.index) == sorted(passed.index) and \
        bool((saved_passed.reindex(passed.index) == passed).all())


audit = Task(
    grade_id="b11b_audit",
    unit=UNIT,
    level=LEVEL,
    title=Msg("按审核规则标记每条记录并保存", "Flag every record by the audit rules and save the table"),
    prepare=_audited,
    criteria=[
        criterion("每条记录一行，含 passed 列", "one row per record with the passed column", 1, visible=True,
                  fail=("表的形状不对", "wrong table"))(lambda passed: True),
        criterion("时长不在 1–3600 秒的记录不通过", "records lasting outside 1–3600 s fail", 2,
                  fail=("时长规则没有用对", "the duration rule is off"))(_breakers_failed("bad_duration")),
        criterion("意图为空（含只有空格）的记录不通过", "records with a blank intent (spaces only too) fail", 2,
                  fail=("空意图没有全部找出：只有空格的也算空", "blank intents missed: spaces only are blank "
                        "too"))(_breakers_failed("blank_intent")),
        criterion("同一 call_id 的后续记录（重复上传）不通过", "a call's later records (uploaded again) fail", 2,
                  fail=("重复上传的记录被判为通过", "repeated records passed"))(_breakers_failed("repeat")),
        criterion("合格记录全部通过", "every valid record passes", 2,
                  fail=("合格记录被判为不通过", "valid records failed"))(_valid_passed),
        criterion("审核结果保存为 output/calls_audited.csv", "the audited table is saved as "
                  "output/calls_audited.csv", 1, fail=("文件缺失或与审核结果不一致", "the file is missing or "
                                                    "differs from the audited table"))(_file_matches),
    ],
    hints=[Msg("between(1, 3600)；intent.fillna('').str.strip() == ''；call_id.duplicated(keep='first')；"
               "三者都不违反才通过。", "between(1, 3600); intent.fillna('').str.strip() == ''; "
               "call_id.duplicated(keep='first'); a record passes when it breaks none.")],
)


def _rates_answer(answer: Any) -> tuple[dict[str, float], dict[str, float]]:
    rates, audited = unpack(answer, ["source_rates", "audited"])
    got = numbers_by_key(rates, ("通过率", "pass rate"))
    try:
        passed = _audited(audited)
    except Problem:
        raise fix_first("任务 1（审核标记）", "task 1 (the audit flags)") from None
    sources = data("parcel_calls").set_index("record_id")["source"].reindex(passed.index)
    own = (passed.groupby(sources).mean() * 100).to_dict()
    return got, own


source_rates = Task(
    grade_id="b11b_source_rates",
    unit=UNIT,
    level=LEVEL,
    title=Msg("各采集来源的审核通过率", "Audit pass rate per collection source"),
    prepare=_rates_answer,
    criteria=[
        criterion("恰好三个来源：ivr、app、agent", "exactly the three sources ivr, app, agent", 2, visible=True,
                  fail=("来源不对", "wrong sources"))(lambda pair: same_keys(*pair)),
        criterion("按你自己的审核结果，各来源通过率正确（百分数，一位小数）", "each source's pass rate by your own "
                  "audit (percent, to one decimal)", 5, fail=("通过率不对：该来源通过的记录占该来源全部记录的百分比",
                                                             "wrong rates: the percent of the source's records "
                                                             "that passed"))(
            lambda pair: close(pair[0], pair[1], RATE_TOLERANCE)),
    ],
    hints=[Msg("audited.groupby('source')['passed'].mean() * 100", "audited.groupby('source')['passed'].mean() * 100")],
)

flow = WrittenTask(
    grade_id="b11b_flow",
    unit=UNIT,
    level=LEVEL,
    title=Msg("记录入库前的审核环节与退回流程", "The audit step before records are stored, and the send-back loop"),
    rubric=[
        RubricPoint(Msg("审核规则：字段、条件、为什么这样定", "audit rules: field, condition, why"), 2),
        RubricPoint(Msg("用通过率指出问题来源并说明可能原因", "names the weak source by its rate and likely causes"), 2),
        RubricPoint(Msg("退回与整改：谁处理、时限、如何复核", "send-back and fix: who, by when, how re-checked"), 2),
        RubricPoint(Msg("持续监控：抽检比例、指标、告警线", "ongoing monitoring: sample share, metric, alert line"), 2),
    ],
)

LAB = Lab(
    assignment="b11b",
    notebook="b11b_parcel_hotline.ipynb",
    level=LEVEL,
    tasks=[audit, source_rates, flow],
    summary=Msg("快递热线记录：审核规则、各来源通过率、审核与退回流程", "parcel hotline records: audit rules, "
                "pass rate per source, the audit and send-back flow"),
)
TASK = BankTask(LAB, UNIT, 30, Msg("快递公司客服热线的通话记录入库审核", "auditing a parcel company's hotline "
                                    "records before they are stored"))
