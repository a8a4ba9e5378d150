"""Checks for the L3 training-and-guidance lab (skill units 4.1 and 4.2).

Every expected value comes from the learner's data variant (:mod:`trainerlab.datagen.guidance_cases`,
seeded by ``TRAINERLAB_SEED``), never from a number written here. Answers that name things (steps,
records, items) are judged as sets, in any order and container; the item statistics to the statement's
two decimals; the items to revise on the learner's own statistics (error carried forward).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graders.answers import require_answer, require_frame, unpack
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from trainerlab.datagen import guidance_cases as gc
from trainerlab.variants import current_seed

LEVEL = "L3"
#: The labels of the annotation guideline, highest priority first.
INTENT_LABELS = tuple(gc.LABELS)
#: The statement asks for the item statistics to two decimals.
STAT_TOLERANCE = 0.005 + 1e-9


# --- what the notebook shows (from the generator's one source) ---------------------------------------

def batch_path() -> Path:
    """The junior's labelling batch of this notebook's variant (CSV)."""
    return gc.batch_file(current_seed())


def quiz_path() -> Path:
    """The quiz answers of this notebook's variant (CSV)."""
    return gc.quiz_file(current_seed())


def answer_key() -> dict[str, str]:
    """The quiz's answer key as handed out (item -> option letter)."""
    return dict(gc.quiz(current_seed()).key)


def _table(rows: Iterable[tuple[str, ...]], header: str) -> str:
    return "\n".join([header, *("  " + " | ".join(row) for row in rows)])


def show_guideline() -> None:
    """Print the annotation guideline: the intents by priority and the error types to name."""
    print("意图（按优先级从高到低）/ Intents, highest priority first:")
    for rank, (label, en, zh_def, en_def) in enumerate(gc.INTENTS, start=1):
        print(f"  {rank}. {label} ({en}): {zh_def} / {en_def}")
    print("规则 / Rules: 每条话语只标一个上面列出的标签，原样书写；含两个意图时标优先级高的那个；不得留空。\n"
          "  Each utterance gets exactly one label from the list, written as listed; an utterance with two "
          "intents gets the higher-priority one; no blank labels.")
    print(_table(((k, zh, en) for k, (zh, en) in gc.LABEL_ERRORS.items()), "错误类型 / Error types:"))


def show_cleaning_spec() -> None:
    """Print the cleaning spec the junior was given and the error types to name."""
    print("清洗规范 / Cleaning spec:")
    for number, (zh, en) in enumerate(gc.CLEANING_SPEC, start=1):
        print(f"  S{number}. {zh} / {en}")
    print(_table(((k, zh, en) for k, (zh, en) in gc.STEP_ERRORS.items()), "错误类型 / Error types:"))


def junior_script() -> str:
    """The junior's cleaning script of this notebook's variant, as code text (read it, do not run it)."""
    return gc.script(current_seed()).listing()


# --- answers that name things: {thing: error type} in any container ----------------------------------

def _pairs(answer: Any, value_name: str) -> list[tuple[Any, Any]]:
    """(key, value) pairs from a dict, a Series, a two-column DataFrame or a list of pairs."""
    require_answer(answer)
    if isinstance(answer, pd.DataFrame):
        if answer.shape[1] != 2:
            raise Problem(f"DataFrame 应只有两列：编号和{value_name}",
                          f"the DataFrame should have two columns: the id and the {value_name}")
        return list(answer.itertuples(index=False, name=None))
    if isinstance(answer, pd.Series):
        return list(answer.items())
    if isinstance(answer, Mapping):
        return list(answer.items())
    if isinstance(answer, (list, tuple)) and all(isinstance(p, (list, tuple)) and len(p) == 2 for p in answer):
        return [tuple(p) for p in answer]
    raise Problem(f"需要一个 dict（编号 -> {value_name}），实际得到 {type(answer).__name__}",
                  f"expected a dict (id -> {value_name}), got {type(answer).__name__}")


def _named(answer: Any, key: Callable[[Any], Any]) -> dict[Any, str]:
    """The answer as {normalised key: error type}; a clear problem for an empty or contradictory one."""
    named: dict[Any, str] = {}
    for raw_key, value in _pairs(answer, "错误类型 / error type"):
        k, v = key(raw_key), str(value).strip().lower()
        if k in named and named[k] != v:
            raise Problem(f"{raw_key} 出现了两次且错误类型不同", f"{raw_key} appears twice with different error types")
        named[k] = v
    if not named:
        raise Problem("至少要指出一项", "name at least one")
    return named


def _step_number(value: Any) -> Any:
    """3, 3.0, "3", "步骤 3" and "Step 3" all name step 3; anything else is kept as given (and fails M1)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    match = re.fullmatch(r"\D*?(\d+)\D*", str(value).strip())
    return int(match.group(1)) if match else str(value)


def _record_id(value: Any) -> str:
    return str(value).strip().upper()


def _types_right(named: Mapping[Any, str], truth: Mapping[Any, str], found_task: tuple[str, str]) -> bool:
    found = [k for k in named if k in truth]
    if not found:
        raise Problem(f"还没有找到任何一个真正的错误，{found_task[0]}", f"no real fault found yet: {found_task[1]}")
    wrong = [k for k in found if named[k] != truth[k]]
    if wrong:
        raise Problem(f"有 {len(wrong)} 项的错误类型不对", f"{len(wrong)} of the faults found have the wrong error type")
    return True


# --- Task 1 (4.2): the junior's cleaning script ------------------------------------------------------

def _faults() -> dict[int, str]:
    return gc.script(current_seed()).faults


def _steps_well_formed(named: dict[Any, str]) -> bool:
    steps = range(1, len(gc.CLEANING_SPEC) + 1)
    bad_steps = [k for k in named if k not in steps]
    bad_types = sorted({v for v in named.values() if v not in gc.STEP_ERRORS})
    if bad_steps or bad_types:
        raise Problem(f"步骤应是 1–{len(steps)} 的编号，错误类型应取自列表；不对的：{bad_steps + bad_types}",
                      f"steps must be numbers 1-{len(steps)} and types from the list; not so: {bad_steps + bad_types}")
    return True


def _all_faulty_steps_named(named: dict[Any, str]) -> bool:
    missed = len(set(_faults()) - set(named))
    if missed:
        raise Problem(f"还有 {missed} 个有错误的步骤没有指出", f"{missed} faulty steps are not named yet")
    return True


def _no_right_step_named(named: dict[Any, str]) -> bool:
    extra = len(set(named) - set(_faults()))
    if extra:
        raise Problem(f"有 {extra} 个你指出的步骤其实符合规范（换一种写法也可能是对的）",
                      f"{extra} of the steps you named meet the spec (a different way of writing can be right)")
    return True


junior_steps = Task(
    grade_id="junior_steps",
    unit="4.2",
    level=LEVEL,
    title=Msg("找出初级学员清洗脚本中的错误步骤", "Find the faulty steps of a junior's cleaning script"),
    prepare=lambda answer: _named(answer, _step_number),
    criteria=[
        criterion("步骤编号有效，错误类型取自列表", "step numbers are valid, error types come from the list", 0.5,
                  visible=True, fail=("格式不对", "wrong form"))(_steps_well_formed),
        criterion("指出了每一个有错误的步骤", "every faulty step is named", 1.5,
                  fail=("漏掉了有错误的步骤", "a faulty step is missed"))(_all_faulty_steps_named),
        criterion("没有把正确的步骤当成错误", "no correct step is named as faulty", 1,
                  fail=("把正确的步骤当成了错误", "a correct step is named as faulty"))(_no_right_step_named),
        criterion("每个指出的错误步骤，错误类型都正确", "each faulty step named has the right error type", 1,
                  fail=("错误类型不对", "wrong error types"))(
            lambda named: _types_right(named, _faults(), ("先找出错误步骤", "find the faulty steps first"))),
    ],
    hints=[
        Msg("逐条对照清洗规范 S1–S8 检查每个步骤：代码做的事和规范要求的是否完全一样？",
            "Hold each step against the spec S1-S8: does the code do exactly what the spec asks?"),
        Msg("注意边界（含不含 1 和 50）、去重保留哪一条、dropna() 删掉了什么、标准化在哪些数据上 fit。",
            "Mind the boundaries (are 1 and 50 kept?), which copy dedup keeps, what dropna() removes and which "
            "data the scaler is fitted on."),
    ],
)


# --- Task 3 (4.1): item statistics -------------------------------------------------------------------

def _truth_stats() -> pd.DataFrame:
    return gc.item_statistics(gc.scored(gc.quiz(current_seed())))


def _stats_frame(answer: Any) -> pd.DataFrame:
    """The learner's statistics indexed by item (an ``item`` column or the index), as floats."""
    df = require_frame(answer, columns=["difficulty", "discrimination"])
    if "item" in df.columns:
        df = df.set_index("item")
    df = df[["difficulty", "discrimination"]].apply(pd.to_numeric, errors="coerce")
    df.index = [str(i).strip().upper() for i in df.index]
    return df


def _one_row_per_item(df: pd.DataFrame) -> bool:
    items = gc.quiz(current_seed()).items
    if sorted(df.index) != sorted(items):
        raise Problem(f"应每道题一行，共 {len(items)} 行，行标签是题号（如 {items[0]}）",
                      f"one row per item ({len(items)} rows), labelled by item (e.g. {items[0]})")
    in_range = df["difficulty"].between(0, 1).all() and df["discrimination"].between(-1, 1).all()
    if not in_range:
        raise Problem("难度应在 0–1，区分度应在 -1–1", "difficulty must be in 0-1, discrimination in -1-1")
    return True


def _close(df: pd.DataFrame, column: str) -> bool:
    want = _truth_stats()[column]
    got = df[column].reindex(want.index).to_numpy(dtype="float64")
    return bool((np.abs(got - want.to_numpy()) <= STAT_TOLERANCE).all())


item_stats = Task(
    grade_id="item_stats",
    unit="4.1",
    level=LEVEL,
    title=Msg("计算测验题目的难度和区分度", "Difficulty and discrimination of the quiz items"),
    prepare=_stats_frame,
    criteria=[
        criterion("每道题一行，数值在合理范围内", "one row per item, values in range", 0.5, visible=True,
                  fail=("形状或取值范围不对", "wrong shape or range"))(_one_row_per_item),
        criterion("难度（答对比例）正确，精确到两位小数", "difficulty (share correct) is right to two decimals", 1,
                  fail=("难度不对：按答案表判分，未作答算答错，分母是全体学员",
                        "wrong difficulty: score against the key, a blank counts as wrong, divide by all trainees"))(
            lambda df: _close(df, "difficulty")),
        criterion("区分度（高低分组 27 % 法）正确，精确到两位小数",
                  "discrimination (upper-lower 27 % groups) is right to two decimals", 1.5,
                  fail=("区分度不对：按总分排序，取最高和最低各 27 %（四舍五入到整数人）两组，"
                        "用两组答对比例之差，不是点二列相关",
                        "wrong discrimination: rank by total score, take the top and bottom 27 % (rounded to "
                        "whole trainees) and subtract the groups' shares correct; not the point-biserial"))(
            lambda df: _close(df, "discrimination")),
    ],
    hints=[
        Msg("先把作答和答案表比较得到 0/1 矩阵（responses[items].eq(pd.Series(key))），未作答自然是 0。",
            "First compare the answers with the key to get a 0/1 matrix (responses[items].eq(pd.Series(key))); "
            "a blank becomes 0."),
        Msg("每组人数 k = round(0.27 × 80) = 22；按总分降序取前 k 人和后 k 人，区分度 = 高分组答对率 − 低分组答对率。",
            "Each group has k = round(0.27 × 80) = 22 trainees; sort by total score, take the first and last k, "
            "discrimination = share correct in the upper group − in the lower group."),
    ],
)


# --- Task 4 (4.1): which items to revise (judged on the learner's own statistics) ---------------------

def _revise_answer(answer: Any) -> tuple[list[str], pd.DataFrame]:
    chosen, stats = unpack(answer, ["to_revise", "item_stats"])
    if isinstance(chosen, (str, bytes, Mapping)) or not isinstance(chosen, Iterable):
        raise Problem("to_revise 应是题号的列表或集合", "to_revise should be a list or set of item ids")
    try:
        stats = _stats_frame(stats)
        _one_row_per_item(stats)
    except Problem:
        raise fix_first("任务 3", "Task 3") from None
    return [str(i).strip().upper() for i in chosen], stats


def _items_valid(answer: tuple[list[str], pd.DataFrame]) -> bool:
    chosen = answer[0]
    return len(chosen) == len(set(chosen)) and set(chosen) <= set(gc.quiz(current_seed()).items)


def _flagged(answer: tuple[list[str], pd.DataFrame]) -> set[str]:
    return gc.items_to_revise(answer[1])


items_to_revise = Task(
    grade_id="items_to_revise",
    unit="4.1",
    level=LEVEL,
    title=Msg("按规则选出需要修改的题目", "Choose the items to revise by the rule"),
    prepare=_revise_answer,
    criteria=[
        criterion("列出的都是测验中的题号，没有重复", "every id named is a quiz item, none twice", 0.5, visible=True,
                  fail=("有不存在或重复的题号", "an id is not a quiz item or appears twice"))(_items_valid),
        criterion("规则选中的题目都列出了", "every item the rule flags is named", 0.5,
                  fail=("漏掉了按规则应修改的题目（三个条件满足任一即修改）",
                        "an item the rule flags is missing (any one of the three conditions is enough)"))(
            lambda a: _flagged(a) <= set(a[0])),
        criterion("没有列出规则不要求修改的题目", "no item the rule keeps is named", 0.5,
                  fail=("列出了不需要修改的题目（注意边界：恰好等于阈值的不修改）",
                        "an item the rule keeps is named (mind the bounds: a value equal to a threshold is kept)"))(
            lambda a: set(a[0]) <= _flagged(a)),
    ],
    hints=[
        Msg("在你的 item_stats 上写出三个条件，用 | 组合。", "Write the three conditions on your item_stats and combine them with |."),
        Msg("难度 > 0.90 或 < 0.20，或区分度 < 0.20；等于阈值不算。",
            "difficulty > 0.90 or < 0.20, or discrimination < 0.20; a value equal to a threshold does not count."),
    ],
)


# --- Task 6 (4.2, timed): the junior's labelling batch ------------------------------------------------

def _label_truth() -> dict[str, str]:
    return gc.batch(current_seed()).errors


def _labels_well_formed(named: dict[str, str]) -> bool:
    ids = set(gc.batch(current_seed()).batch["record_id"])
    bad = [k for k in named if k not in ids] + sorted({v for v in named.values() if v not in gc.LABEL_ERRORS})
    if bad:
        raise Problem(f"编号应来自这批数据，错误类型应取自列表；不对的：{bad}",
                      f"ids must come from the batch and types from the list; not so: {bad}")
    return True


def _found(named: dict[str, str], kinds: set[str]) -> bool:
    missed = len({k for k, v in _label_truth().items() if v in kinds} - set(named))
    if missed:
        raise Problem(f"还有 {missed} 条这类问题记录没有找出", f"{missed} such records are not found yet")
    return True


def _no_right_record(named: dict[str, str]) -> bool:
    extra = len(set(named) - set(_label_truth()))
    if extra:
        raise Problem(f"有 {extra} 条你指出的记录其实标对了（含两个意图时看优先级，不看先说哪个）",
                      f"{extra} records you named are labelled right (two intents: priority decides, not what "
                      "is said first)")
    return True


label_errors = Task(
    grade_id="label_errors",
    unit="4.2",
    level=LEVEL,
    title=Msg("审核初级学员的标注批次", "Review a junior's labelling batch"),
    prepare=lambda answer: _named(answer, _record_id),
    criteria=[
        criterion("编号来自这批数据，错误类型取自列表", "ids come from the batch, error types from the list", 0.5,
                  visible=True, fail=("格式不对", "wrong form"))(_labels_well_formed),
        criterion("找出了所有标签不规范和漏标的记录", "every invalid or blank label is found", 0.5,
                  fail=("漏掉了标签不规范或为空的记录", "an invalid or blank label is missed"))(
            lambda named: _found(named, {"invalid_label", "missing_label"})),
        criterion("找出了所有意图标错的记录（含未按优先级）", "every wrong intent is found (priority included)", 1,
                  fail=("漏掉了意图标错的记录", "a wrongly labelled intent is missed"))(
            lambda named: _found(named, {"wrong_intent", "priority_ignored"})),
        criterion("没有把标对的记录当成错误", "no correctly labelled record is named", 0.5,
                  fail=("把标对的记录当成了错误", "a correctly labelled record is named"))(_no_right_record),
        criterion("找出的每条记录，错误类型都正确", "each record found has the right error type", 0.5,
                  fail=("错误类型不对", "wrong error types"))(
            lambda named: _types_right(named, _label_truth(), ("先找出错误记录", "find the mislabelled records first"))),
    ],
    hints=[
        Msg("先用代码找出标签为空或不在规范列表里的记录，再逐条读其余话语。",
            "Let code find the blank labels and those not in the list, then read the other utterances one by one."),
        Msg("一句话里有两个诉求时，按规范的优先级标注，而不是按先说的那个。",
            "When an utterance asks for two things, the guideline's priority decides, not what is said first."),
    ],
)


# --- Written answers, graded by hand -------------------------------------------------------------------

guidance_plan = WrittenTask(
    grade_id="guidance_plan",
    unit="4.2",
    level=LEVEL,
    title=Msg("给初级学员的清洗指导意见", "Guidance for the junior on the cleaning script"),
    rubric=[
        RubricPoint(Msg("每个错误：指出后果（哪些数据会错、错多少）和对应的规范条款",
                        "for each fault: its consequence (which data go wrong) and the spec clause it breaks"), 1),
        RubricPoint(Msg("给出可操作的改法，并说明如何自查（前后行数、缺失数、抽样核对）",
                        "a concrete fix and how to check it oneself (row counts before/after, gaps, spot checks)"), 1),
        RubricPoint(Msg("语气建设性：先肯定做对的步骤，按影响排序，并安排复查或跟进",
                        "constructive: acknowledges the right steps, orders faults by impact, plans a follow-up review"), 1),
    ],
)

training_outline = WrittenTask(
    grade_id="training_outline",
    unit="4.1",
    level=LEVEL,
    title=Msg("给五级/四级学员的入门培训大纲", "A beginners' training outline for L5/L4 trainees"),
    rubric=[
        RubricPoint(Msg("培训目标具体、可检验（学完能做什么）", "objectives that are specific and checkable (what trainees can do)"), 1),
        RubricPoint(Msg("内容顺序由浅入深，时长合理", "a sequence from simple to hard, with sensible timings"), 1),
        RubricPoint(Msg("每段都有动手练习，使用真实或模拟的业务数据", "hands-on practice in every part, on real or simulated business data"), 1),
        RubricPoint(Msg("说明如何检验学习效果（测验、实操考核）以及如何根据结果调整（如修改题目、补讲）",
                        "how learning is checked (quiz, practical test) and adjusted from the results (revise items, "
                        "re-teach)"), 1),
    ],
)

labeller_feedback = WrittenTask(
    grade_id="labeller_feedback",
    unit="4.2",
    level=LEVEL,
    title=Msg("给标注员的反馈", "Feedback to the labeller"),
    rubric=[
        RubricPoint(Msg("按错误类型归纳问题，并各举一例说明正确标法", "groups the faults by type, with one example of the right label each"), 1),
        RubricPoint(Msg("提出防止再犯的具体措施（如下拉选项、优先级速查表、双人抽检）",
                        "a concrete way to prevent repeats (pick lists, a priority cheat sheet, second-person spot checks)"), 1),
    ],
)

LAB = Lab(
    assignment="guidance",
    notebook="guidance_l3.ipynb",
    level=LEVEL,
    summary=Msg(
        "审核初级学员的清洗脚本（错误步骤与类型）并写指导意见、测验题目难度与区分度（27 % 高低分组）、按规则选出待修改题目、"
        "入门培训大纲、限时练习：审核标注批次（错误记录与类型）并给标注员反馈",
        "review a junior's cleaning script (faulty steps and error types) and write the guidance, quiz item "
        "difficulty and discrimination (upper-lower 27 %), items to revise by a rule, a beginners' training outline, "
        "timed practice: review a labelling batch (mislabelled records and error types) and feed back to the labeller"),
    tasks=[junior_steps, guidance_plan, item_stats, items_to_revise, training_outline, label_errors, labeller_feedback],
)
