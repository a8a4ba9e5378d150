"""Bank task b21c (L3 · 2.1, 20 minutes, 15 points): clean a kitchen voice assistant's training utterances.

Texts in the spec's normal form (NFKC, one space, stripped, lower case), empty and one-character
texts removed, one row per normalised text with every distinct text kept, the result saved to
``output/utterances_clean.csv``, and a written optimisation of the collection-and-cleaning flow.
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
CLEAN_FILE = Path("output") / "utterances_clean.csv"


def _normal_by_id() -> pd.Series:
    raw = data("kitchen_utterances")
    return bc.normal_text(raw["text"]).set_axis(raw["utt_id"])


def _valid_texts() -> set[str]:
    normal = _normal_by_id()
    return set(normal[normal.str.len() >= bc.MIN_UTTERANCE_CHARS])


def _cleaned(answer: Any) -> pd.DataFrame:
    df = require_frame(answer, columns=["utt_id", "text", "intent"])
    try:
        ids = df["utt_id"].astype(int)
    except (TypeError, ValueError):
        raise Problem("utt_id 应保留原表的编号", "utt_id must keep the table's ids") from None
    if ids.duplicated().any() or not set(ids) <= set(_normal_by_id().index):
        raise Problem("utt_id 应是原表的编号，每个最多一行", "utt_id must be the table's ids, each at most once")
    return df.set_axis(ids)


def _texts_normal(df: pd.DataFrame) -> bool:
    want = _normal_by_id().reindex(df.index)
    off = int((df["text"].fillna("").astype(str) != want).sum())
    if off:
        raise Problem(f"{off} 条文本不是规范形式（全角转半角、连续空白合一、去首尾空格、小写）", f"{off} texts are not "
                      "in the normal form (NFKC, one space, stripped, lower case)")
    return True


def _short_removed(df: pd.DataFrame) -> bool:
    left = int((_normal_by_id().reindex(df.index).str.len() < bc.MIN_UTTERANCE_CHARS).sum())
    if left:
        raise Problem(f"还有 {left} 条空文本或单字文本", f"{left} empty or one-character texts are left")
    return True


def _one_per_text(df: pd.DataFrame) -> bool:
    copies = int(_normal_by_id().reindex(df.index).duplicated().sum())
    if copies:
        raise Problem(f"规范化后还有 {copies} 条重复文本", f"{copies} texts are copies once normalised")
    return True


def _every_text_kept(df: pd.DataFrame) -> bool:
    lost = len(_valid_texts() - set(_normal_by_id().reindex(df.index)))
    if lost:
        raise Problem(f"丢掉了 {lost} 条不同的有效文本（两个字的文本有效）", f"{lost} distinct valid texts were lost "
                      "(two-character texts are valid)")
    return True


def _file_matches(df: pd.DataFrame) -> bool:
    saved = pd.read_csv(require_file(CLEAN_FILE, suffix=".csv"), keep_default_na=False)
    if not {"utt_id", "text", "intent"} <= set(saved.columns):
        raise Problem("文件应含 utt_id、text、intent 列", "the file needs the utt_id, text and intent columns")
    saved = saved.set_axis(saved["utt_id"].astype(int))
    return sorted(saved.index) == sorted(df.index) and \
        bool((saved["text"].astype(str).reindex(df.index) == df["text"].astype(str)).all())


clean = Task(
    grade_id="b21c_clean",
    unit=UNIT,
    level=LEVEL,
    title=Msg("按规范清洗语音训练语料并保存", "Clean the training utterances to the spec and save them"),
    prepare=_cleaned,
    criteria=[
        criterion("文本为规范形式", "every text is in the normal form", 2, visible=True,
                  fail=("文本没有规范化", "texts are not normalised"))(_texts_normal),
        criterion("空文本和单字文本已删除", "empty and one-character texts are removed", 2,
                  fail=("还有空文本或单字文本", "empty or one-character texts remain"))(_short_removed),
        criterion("规范化后每条文本只留一行", "one row per text once normalised", 2,
                  fail=("还有重复文本：先规范化再去重", "copies remain: normalise first, then drop duplicates"))(
            _one_per_text),
        criterion("每条不同的有效文本都保留", "every distinct valid text is kept", 2,
                  fail=("删掉了有效文本", "valid texts were dropped"))(_every_text_kept),
        criterion("结果保存为 output/utterances_clean.csv", "the result is saved as output/utterances_clean.csv", 1,
                  fail=("文件缺失或与清洗结果不一致", "the file is missing or differs from the cleaned table"))(
            _file_matches),
    ],
    hints=[Msg("text.str.normalize('NFKC').str.replace(r'\\s+', ' ', regex=True).str.strip().str.lower()；"
               "再按 str.len() >= 2 筛选，drop_duplicates('text')。", "text.str.normalize('NFKC')"
               ".str.replace(r'\\s+', ' ', regex=True).str.strip().str.lower(); then keep str.len() >= 2 and "
               "drop_duplicates('text').")],
)

flow = WrittenTask(
    grade_id="b21c_flow",
    unit=UNIT,
    level=LEVEL,
    title=Msg("语料采集与清洗流程的优化", "Optimising the utterances' collection and cleaning flow"),
    rubric=[
        RubricPoint(Msg("用清洗前后的数字说明问题（删除多少、为什么）", "states the problems with before/after "
                        "numbers"), 2),
        RubricPoint(Msg("在采集端预防：输入规范、去重、最短长度", "prevention at collection: input rules, dedup, "
                        "minimum length"), 2),
        RubricPoint(Msg("清洗步骤的顺序和自动化检查", "the order of cleaning steps and automated checks"), 2),
    ],
)

LAB = Lab(
    assignment="b21c",
    notebook="b21c_kitchen_utterances.ipynb",
    level=LEVEL,
    tasks=[clean, flow],
    summary=Msg("厨房语音助手语料：文本规范化、去空与去重、清洗流程优化", "kitchen voice utterances: text "
                "normalisation, empty and duplicate texts, a better cleaning flow"),
)
TASK = BankTask(LAB, UNIT, 20, Msg("厨房语音助手的训练语料", "a kitchen voice assistant's training utterances"))
