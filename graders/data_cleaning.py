"""Checks for the L3 data-cleaning lab (skill units 1.1 and 2.1).

Task 1 is judged against the raw file of the learner's data variant
(:func:`trainerlab.datagen.loan_applications.variant`); every later step is judged on the learner's
own result of the step before it (error carried forward), by properties and tolerances, so any
correct way of cleaning scores full marks, a slip costs points once, on the task where it is made,
and rows may come in any order with any index.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graders.answers import as_number, require_file, require_frame, require_mapping, unpack
from graders.checking import (
    Lab,
    Msg,
    Problem,
    RubricPoint,
    Task,
    WrittenTask,
    criterion,
    fix_first,
)
from graders.frames import is_in
from trainerlab.datagen import loan_applications as la
from trainerlab.variants import current_seed

LEVEL = "L3"
ID = "application_id"


def seed() -> int:
    """The seed of this notebook's data variant (``TRAINERLAB_SEED``, else the default)."""
    return current_seed()


def truth() -> la.LoanVariant:
    """The variant this notebook works on."""
    return la.variant(seed())


def raw_path() -> Path:
    """The raw file of this notebook's variant (the bundled file, or one written for the seed)."""
    return la.raw_file(seed())


# --- shared helpers ------------------------------------------------------------------------------

def _keys(df: pd.DataFrame) -> pd.MultiIndex:
    """Each row as (application_id, n-th copy of that id): a row key that survives any reordering."""
    ids = df[ID].astype(str).reset_index(drop=True)
    return pd.MultiIndex.from_arrays([ids, ids.groupby(ids).cumcount()])


def _positions(out: pd.DataFrame, given: pd.DataFrame, out_name: str, given_name: str) -> np.ndarray:
    """The position in ``given`` of each row of ``out`` (a step's result and its input).

    Rows are matched by index label where ``out`` kept ``given``'s index, else by application id
    (and copy number, where an id repeats), so neither row order nor a reset index matters.
    """
    if given.index.is_unique and is_in(out.index, given.index).all():
        pos = given.index.get_indexer(out.index)
        if (given[ID].to_numpy()[pos].astype(str) == out[ID].to_numpy().astype(str)).all():
            return pos
    given_keys, out_keys = _keys(given), _keys(out)
    pos = given_keys.get_indexer(out_keys)
    if (pos < 0).any():
        raise Problem(f"{out_name} 中有 {int((pos < 0).sum())} 行不是 {given_name} 里的记录",
                      f"{int((pos < 0).sum())} rows of {out_name} are not records of {given_name}")
    return pos


def _aligned(out: pd.DataFrame, given: pd.DataFrame, out_name: str, given_name: str
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``out`` and the rows of ``given`` it comes from, row by row, both with a fresh index."""
    pos = _positions(out, given, out_name, given_name)
    return out.reset_index(drop=True), given.iloc[pos].reset_index(drop=True)


def _numbers(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64")


def _same_numbers(a: Any, b: Any, rel: float = 1e-6, atol: float = 1e-9) -> np.ndarray:
    """Element-wise: both missing, or both numbers within a tolerance."""
    a, b = np.asarray(a, dtype="float64"), np.asarray(b, dtype="float64")
    return (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=rel, atol=atol)


def _texts(series: pd.Series) -> np.ndarray:
    """Values as text, missing as None (any string or object dtype)."""
    return np.array([None if pd.isna(v) else str(v) for v in series], dtype=object)


def _frames(names: list[str], columns: dict[str, list[str]], may_be_empty: tuple[str, ...] = ()
            ) -> Callable[[Any], tuple[pd.DataFrame, ...]]:
    """A prepare function: unpack a tuple answer and require each part to be a DataFrame."""

    def prepare(answer: Any) -> tuple[pd.DataFrame, ...]:
        parts = unpack(answer, names)
        return tuple(require_frame(part, columns=columns.get(name, [ID]), min_rows=0 if name in may_be_empty else 1)
                     for name, part in zip(names, parts, strict=True))

    return prepare


# --- Task 1: load with every missing-value marker recognised --------------------------------

def _raw_missing_counts() -> pd.Series:
    raw = truth().raw
    return raw.isin(la.MISSING_MARKERS).sum()


load = Task(
    grade_id="load_raw",
    unit="2.1",
    level=LEVEL,
    title=Msg("读入原始数据并识别缺失标记", "Load the raw data with every missing marker recognised"),
    prepare=partial(require_frame, columns=la.COLUMNS),
    criteria=[
        criterion("行数与列数与原始文件一致", "same rows and columns as the raw file", 1, visible=True,
                  fail=("形状与原始文件不一致（读入时不要删除或合并任何行列）",
                        "shape differs from the raw file (do not drop or merge rows or columns while loading)"))(
            lambda df: df.shape == truth().raw.shape),
        criterion("数据字典列出的所有缺失标记都读成了缺失值", "every missing marker of the data dictionary is read as missing", 2,
                  fail=("有些列的缺失值个数不对：还有缺失标记被当成了普通值，或者有普通值被当成了缺失",
                        "some columns have the wrong number of missing values: a marker was kept as a value, "
                        "or a real value was read as missing"))(
            lambda df: df[la.COLUMNS].isna().sum().equals(_raw_missing_counts()[la.COLUMNS])),
    ],
    hints=[
        Msg("看看 pd.read_csv 的 na_values 和 keep_default_na 参数。",
            "Look at the na_values and keep_default_na parameters of pd.read_csv."),
        Msg("数据字典里的缺失标记包括空白、NA、null、?、-、未知，以及收入里的 99999999。",
            "The dictionary's markers are blank, NA, null, ?, -, 未知 and 99999999 in income."),
    ],
)


# --- Task 2: coerce types (judged on the learner's raw) ------------------------------------------

def _expected_typed(typed: pd.DataFrame) -> pd.DataFrame:
    """The right typed values for each row of ``typed`` (every copy of an application parses alike)."""
    per_id = truth().typed.drop_duplicates(ID).set_index(ID)
    ids = typed[ID].astype(str)
    unknown = ~is_in(ids, per_id.index)
    if unknown.any():
        raise Problem(f"typed 中有 {int(unknown.sum())} 行的申请编号不在原始文件里",
                      f"{int(unknown.sum())} rows of typed have an application_id the raw file does not have")
    return per_id.loc[ids.to_numpy()].reset_index()


def _typed_rows(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    typed, raw = answer
    return Counter(typed[ID].astype(str)) == Counter(raw[ID].astype(str))


def _numeric_dtypes(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    df = answer[0]
    bad = [c for c in la.NUMERIC if not pd.api.types.is_numeric_dtype(df[c])]
    if bad:
        raise Problem(f"这些列还不是数值类型：{bad}", f"these columns are not numeric yet: {bad}")
    if not pd.api.types.is_datetime64_any_dtype(df["apply_date"]):
        raise Problem("apply_date 还不是日期时间类型", "apply_date is not a datetime type yet")
    return True


def _kept_sentinel(raw: pd.DataFrame) -> bool:
    """Whether the learner's raw still holds the income sentinel as a value (a Task 1 slip)."""
    return bool((raw["income"].astype(str).str.strip().isin([la.INCOME_SENTINEL, f"{la.INCOME_SENTINEL}.0"])).any())


def _numbers_right(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    typed, raw = answer
    expected = _expected_typed(typed)
    wrong = []
    for col in la.NUMERIC:
        got, want = _numbers(typed[col]), expected[col].to_numpy(dtype="float64")
        ok = _same_numbers(got, want)
        if col == "income" and _kept_sentinel(raw):  # Task 1 kept the sentinel: judged there, not here
            ok |= np.isnan(want) & (got == float(la.INCOME_SENTINEL))
        if not ok.all():
            wrong.append(col)
    if wrong:
        raise Problem(f"这些列有数值转换错误（全角数字、万元、千位分隔符、“岁”等）：{wrong}",
                      f"these columns have values parsed wrongly (full-width digits, 万, thousands "
                      f"separators, 岁 …): {wrong}")
    return True


def _dates_right(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    typed = answer[0]
    if not pd.api.types.is_datetime64_any_dtype(typed["apply_date"]):
        return False
    got = typed["apply_date"].dt.normalize().to_numpy()
    expected = _expected_typed(typed)["apply_date"].dt.normalize().to_numpy()
    return bool((got == expected).all())


coerce = Task(
    grade_id="coerce_types",
    unit="2.1",
    level=LEVEL,
    title=Msg("统一数据类型", "Coerce every column to its type"),
    prepare=_frames(["typed", "raw"], {"typed": la.COLUMNS}),
    criteria=[
        criterion("行与 raw 相同", "the same rows as raw", 0.5, visible=True,
                  fail=("类型转换不应增删行", "type coercion must not add or remove rows"))(_typed_rows),
        criterion("数值列为数值类型，日期列为日期类型", "numeric columns are numeric, the date is a datetime", 1,
                  visible=True, fail=("类型不对", "wrong types"))(_numeric_dtypes),
        criterion("所有数值都转换正确", "every number is parsed correctly", 1.5,
                  fail=("有数值转换错误", "some numbers are parsed wrongly"))(_numbers_right),
        criterion("三种日期格式都解析正确", "all three date formats are parsed correctly", 1,
                  fail=("有日期解析错误（注意 2023/5/1 和 2023年5月1日 这样的写法）",
                        "some dates are parsed wrongly (mind forms like 2023/5/1 and 2023年5月1日)"))(_dates_right),
    ],
    hints=[
        Msg("先用 .str.strip() 和 .str.translate() 或 unicodedata.normalize('NFKC', …) 处理全角数字。",
            "Normalise full-width digits first: unicodedata.normalize('NFKC', …) or str.translate."),
        Msg("“0.12万”要乘以 10000；“1,658”要去掉逗号；“30岁”要去掉“岁”；日期可先把 年/月 换成 -、去掉 日。",
            "'0.12万' means × 10000; drop the comma in '1,658' and '岁' in '30岁'; for dates replace 年/月 "
            "with - and drop 日."),
    ],
)


# --- Task 3: duplicates (judged on the learner's typed) ------------------------------------------

def _no_application_lost(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    deduped, typed = answer
    _positions(deduped, typed, "deduped", "typed")
    lost = set(typed[ID].astype(str)) - set(deduped[ID].astype(str))
    if lost:
        raise Problem(f"有 {len(lost)} 份申请被整份删掉了：去重只应删除重复的行",
                      f"{len(lost)} applications are gone entirely: de-duplication must only drop repeats")
    return True


dedupe = Task(
    grade_id="remove_duplicates",
    unit="2.1",
    level=LEVEL,
    title=Msg("删除重复记录", "Remove duplicate records"),
    prepare=_frames(["deduped", "typed"], {}),
    criteria=[
        criterion("每个申请编号只出现一次", "each application_id appears once", 1, visible=True,
                  fail=("仍有重复的申请编号：同一申请被重复录入时格式可能不同",
                        "some application_id values still repeat: a re-entered application may be "
                        "formatted differently"))(
            lambda a: not a[0][ID].duplicated().any()),
        criterion("没有误删任何一份申请", "no application is lost", 1,
                  fail=("有申请被整份删掉了：去重只应删除重复的行",
                        "some applications are gone entirely: de-duplication must only drop repeats"))(
            _no_application_lost),
    ],
    hints=[
        Msg("完全相同的行可以用 drop_duplicates()，但重复录入的格式可能不同。",
            "drop_duplicates() finds identical rows, but re-entered rows may be formatted differently."),
        Msg("按业务主键 application_id 去重：drop_duplicates(subset='application_id')。",
            "De-duplicate on the business key: drop_duplicates(subset='application_id')."),
    ],
)


# --- Task 4: validity rules (judged on the learner's deduped) -------------------------------------

RULE_COLUMNS = ["age", "amount", "price", "seniority"]


def _rule_results(deduped: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per rule, for each row of ``deduped``: 1.0 met, 0.0 broken, NaN undecidable (a gap upstream)."""
    age, amount, price, seniority = (_numbers(deduped[c]) for c in RULE_COLUMNS)
    with np.errstate(invalid="ignore"):
        met = {"age": (age >= 18) & (age <= 70), "amount": amount <= price, "seniority": seniority <= age - 14}
        known = {"age": ~np.isnan(age), "amount": ~np.isnan(amount) & ~np.isnan(price),
                 "seniority": ~np.isnan(seniority) & ~np.isnan(age)}
    return {r: np.where(known[r], met[r].astype(float), np.nan) for r in la.RULES}


def _kept_positions(answer: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> np.ndarray:
    valid, _, deduped = answer
    return _positions(valid, deduped, "valid", "deduped")


def _removed(answer: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], rule: str) -> bool:
    kept = _kept_positions(answer)
    broken = _rule_results(answer[2])[rule][kept] == 0
    if broken.any():
        raise Problem(f"valid 中还有 {int(broken.sum())} 份申请违反规则 {la.RULES[rule]}",
                      f"{int(broken.sum())} applications in valid still break the rule {la.RULES[rule]}")
    return True


def _kept_valid(answer: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> bool:
    valid, violations, deduped = answer
    kept = np.zeros(len(deduped), dtype=bool)
    kept[_kept_positions(answer)] = True
    results = np.vstack(list(_rule_results(deduped).values()))
    meets_all = (results == 1).all(axis=0)
    lost = meets_all & ~kept
    if lost.any():
        raise Problem(f"有 {int(lost.sum())} 份符合所有规则的申请被删掉了",
                      f"{int(lost.sum())} applications that meet every rule were removed")
    flagged = np.zeros(len(deduped), dtype=int)
    np.add.at(flagged, _positions(violations, deduped, "violations", "deduped"), 1)
    if not ((flagged == 1) == ~kept).all() or (flagged > 1).any():
        raise Problem("violations 应恰好是 deduped 中没有放进 valid 的那些记录",
                      "violations should hold exactly the records of deduped that are not in valid")
    return True


rules = Task(
    grade_id="validity_rules",
    unit="2.1",
    level=LEVEL,
    title=Msg("按业务规则标记并删除无效记录", "Flag and remove records that break the business rules"),
    prepare=_frames(["valid", "violations", "deduped"], {"valid": [ID, *RULE_COLUMNS], "deduped": [ID, *RULE_COLUMNS]},
                    may_be_empty=("violations",)),
    criteria=[
        *[criterion(f"已删除违反 {la.RULES[r]} 的记录", f"records breaking {la.RULES[r]} are removed", 1,
                    fail=("规则检查不完整", "a rule is not applied"))(partial(_removed, rule=r))
          for r in la.RULES],
        criterion("符合规则的记录都保留了，其余都在 violations 中", "every valid record is kept, the others are in violations", 1,
                  fail=("误删了有效记录", "valid records were removed"))(_kept_valid),
    ],
    hints=[
        Msg("为每条规则建一个布尔列，再用 ~(…|…|…) 选出有效行。",
            "Build one boolean column per rule, then keep rows with ~(a | b | c)."),
        Msg("注意边界：年龄 18 和 70 都是有效的；贷款金额等于商品价格是允许的；工龄上限是 年龄 − 14（含）。",
            "Mind the bounds: ages 18 and 70 are valid, a loan equal to the price is allowed, and seniority "
            "may be at most age − 14 (inclusive)."),
    ],
)


# --- Task 5: outliers (incomes entered in the wrong unit; judged on the learner's valid) ---------

def _income_truth(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(true income, unit-error mask) for each row of ``frame``."""
    records = truth().records
    ids = frame[ID].astype(str)
    known = is_in(ids, records.index)
    true_income = np.full(len(ids), np.nan)
    true_income[known] = records.loc[ids[known], "income"].to_numpy(dtype="float64")
    return true_income, is_in(ids, truth().unit_errors)


def _judged(answer: tuple[pd.DataFrame, pd.DataFrame]) -> tuple[np.ndarray, ...]:
    """Per row of treated: its income, the income in valid, the true one, and which rows are judged.

    Judged are mistyped incomes as the export has them and normal incomes as they really are; rows
    an earlier slip changed (a sentinel kept, a number misparsed) are left to the task that made it.
    """
    treated, valid = answer
    true_all, error_all = _income_truth(valid)
    if not (error_all & _same_numbers(_numbers(valid["income"]), true_all * la.UNIT_ERROR_FACTOR)).any():
        raise fix_first("任务 4", "Task 4")
    out, given = _aligned(treated, valid, "treated", "valid")
    got, before = _numbers(out["income"]), _numbers(given["income"])
    true_income, unit_error = _income_truth(given)
    mistyped = unit_error & _same_numbers(before, true_income * la.UNIT_ERROR_FACTOR)
    normal = ~unit_error & _same_numbers(before, true_income)
    return got, before, true_income, mistyped, normal


def _unit_errors_treated(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    got, before, true_income, mistyped, normal = _judged(answer)
    valid = answer[1]
    true_all, error_all = _income_truth(valid)
    income = _numbers(valid["income"])
    normal_income = income[~error_all & _same_numbers(income, true_all) & ~np.isnan(income)]
    highest_normal = normal_income.max() if len(normal_income) else -np.inf
    lowest_mistyped = np.nanmin(np.where(error_all, income, np.nan))  # _judged made sure there is one
    corrected = _same_numbers(got, true_income, rel=1e-6, atol=0.005)
    # capped: set to one threshold that lies between the normal incomes and the mistyped ones
    in_gap = mistyped & ~corrected & (got >= highest_normal) & (got < lowest_mistyped)
    capped = in_gap & (np.unique(got[in_gap]).size == 1)
    ok = np.isnan(got) | corrected | capped
    left = mistyped & ~ok
    if left.any():
        raise Problem(f"还有 {int(left.sum())} 个误按“元”录入的收入没有修正、截断到阈值或置为缺失",
                      f"{int(left.sum())} incomes typed in yuan are not corrected, capped at the threshold "
                      f"or blanked")
    return True


def _genuine_kept(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    got, before, _, _, normal = _judged(answer)
    changed = normal & ~_same_numbers(got, before, rel=1e-9)
    if changed.any():
        raise Problem(f"有 {int(changed.sum())} 个正常收入被改动了：高收入不一定是错误，阈值要放在正常值和误录值之间",
                      f"{int(changed.sum())} normal incomes were changed: a high income is not an error; put "
                      f"the threshold between the normal incomes and the mistyped ones")
    return True


def _no_record_dropped(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    treated, valid = answer
    pos = _positions(treated, valid, "treated", "valid")
    return len(treated) == len(valid) and len(set(pos)) == len(valid)


outliers = Task(
    grade_id="treat_outliers",
    unit="2.1",
    level=LEVEL,
    title=Msg("识别并处理收入异常值", "Find and treat income outliers"),
    prepare=_frames(["treated", "valid"], {"treated": [ID, "income"], "valid": [ID, "income"]}),
    criteria=[
        criterion("误录的收入已修正、截断或置为缺失", "mistyped incomes are corrected, capped or set missing", 1.5,
                  fail=("异常收入没有处理", "abnormal incomes are untreated"))(_unit_errors_treated),
        criterion("正常收入一个都没改", "no normal income is changed", 1,
                  fail=("正常收入被改动了", "normal incomes were changed"))(_genuine_kept),
        criterion("没有因异常值删除记录", "no record is dropped for an outlier", 0.5, visible=True,
                  fail=("处理异常值时不要删除整条记录（应修正、截断或置为缺失）",
                        "do not drop records for an outlier here (correct, cap or blank it)"))(_no_record_dropped),
    ],
    hints=[
        Msg("用对数刻度画收入的箱线图或直方图：误录的收入是远离正常值的一簇（约 100 倍）。",
            "Plot income on a log scale: the mistyped incomes form a separate cluster about 100 times the usual size."),
        Msg("阈值要放在最大的正常收入和最小的误录收入之间；对原始收入用 IQR 规则会把真实的高收入也算进去，"
            "可以对 log10(收入) 用 Q3 + 3×IQR。",
            "Put the threshold between the largest normal income and the smallest mistyped one; an IQR rule on "
            "raw incomes also catches genuine high incomes, Q3 + 3×IQR on log10(income) does not."),
    ],
)


# --- Task 6: categories (judged on the learner's treated) ----------------------------------------

def _lookup(column: str) -> dict[str, str]:
    """Every spelling of the export (stripped, lower case) -> its code."""
    table = {code: code for code in la.CANONICAL[column]}
    for code, spellings in la.SPELLINGS[column].items():
        table.update({s.strip().lower(): code for s in spellings})
    return table


def _category_right(answer: tuple[pd.DataFrame, pd.DataFrame], column: str) -> bool:
    unified, treated = answer
    out, given = _aligned(unified, treated, "unified", "treated")
    if len(out) != len(treated):
        raise Problem("unified 应与 treated 行相同", "unified should have the same rows as treated")
    got, before = _texts(out[column]), _texts(given[column])
    lookup = _lookup(column)
    gaps = np.array([b is None for b in before])
    if any(g is not None for g in got[gaps]):
        raise Problem(f"{column} 的缺失值应保持缺失（任务 7 再填补）",
                      f"gaps in {column} should stay missing (Task 7 fills them)")
    wrong = stray = 0
    for g, b in zip(got[~gaps], before[~gaps], strict=True):
        key = b.strip().lower()
        if key in lookup:
            if g != lookup[key]:
                wrong += 1
                stray += g not in la.CANONICAL[column]
        elif b.strip() in la.MISSING_MARKERS:  # a marker Task 1 kept: blank it or leave it
            wrong += g is not None and g != b
    if stray:
        raise Problem(f"{column} 里还有 {stray} 个值不是数据字典中的代码",
                      f"{column} still holds {stray} values that are not the dictionary's codes")
    if wrong:
        raise Problem(f"{column} 有 {wrong} 个值被映射错了", f"{wrong} values of {column} are mapped to the wrong code")
    return True


categories = Task(
    grade_id="unify_categories",
    unit="2.1",
    level=LEVEL,
    title=Msg("统一类别写法", "Unify category spellings"),
    prepare=_frames(["unified", "treated"], {"unified": [ID, *la.CATEGORICAL], "treated": [ID, *la.CATEGORICAL]}),
    criteria=[
        criterion(f"{c} 只含数据字典中的代码", f"{c} holds only the dictionary's codes", 0.75,
                  fail=("类别不统一", "categories not unified"))(partial(_category_right, column=c))
        for c in la.CATEGORICAL
    ],
    hints=[
        Msg("先 .str.strip().str.lower()，再用一个字典把中文和缩写映射到代码。",
            "First .str.strip().str.lower(), then map Chinese words and abbreviations with a dict."),
        Msg("缺失值保持缺失，下一题再填补；映射后用 value_counts() 核对。",
            "Leave missing values missing (filled in the next task); check with value_counts()."),
    ],
)


# --- Task 7: missing values per dtype (judged on the learner's unified) -------------------------

FILLED_COLUMNS = [*la.NUMERIC, *la.CATEGORICAL]


def _no_missing(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    filled, unified = answer
    pos = _positions(filled, unified, "filled", "unified")
    if len(filled) != len(unified) or len(set(pos)) != len(unified):
        raise Problem("filled 应保留 unified 的每一行：填补缺失值，不要删除行",
                      "filled should keep every row of unified: fill the gaps, do not drop rows")
    left = filled[FILLED_COLUMNS].isna().sum()
    left = left[left > 0]
    if len(left):
        raise Problem(f"这些列还有缺失值：{list(left.index)}", f"these columns still have missing values: {list(left.index)}")
    return True


def _number_statistics(values: np.ndarray) -> list[float]:
    values = values[~np.isnan(values)]
    modes = pd.Series(values).mode()
    return [float(np.median(values)), float(np.mean(values)), *map(float, modes)]


def _numeric_filled_well(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    out, given = _aligned(*answer, "filled", "unified")
    for col in la.NUMERIC:
        got, before = _numbers(out[col]), _numbers(given[col])
        gaps = np.isnan(before)
        if not _same_numbers(got[~gaps], before[~gaps], rel=1e-9).all():
            raise Problem(f"{col} 中原本有的值被改动了", f"observed values of {col} were changed")
        fills = got[gaps]
        if not len(fills):
            continue
        if gaps.all():  # nothing observed to take a statistic of: the column was lost upstream
            raise fix_first("任务 2", "Task 2")
        # one value per column, a statistic of the column (rounding to a whole number is fine)
        if np.isnan(fills).any() or np.ptp(fills) > 0 or not any(
                abs(fills[0] - s) <= 0.5 for s in _number_statistics(before)):
            raise Problem(f"{col} 的缺失值应统一填成该列的一个统计量（中位数、均值或众数），不要用前后行的值",
                          f"gaps in {col} should all get one statistic of the column (median, mean or mode), "
                          f"not neighbouring values")
    return True


def _categorical_filled_well(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    out, given = _aligned(*answer, "filled", "unified")
    for col in la.CATEGORICAL:
        got, before = _texts(out[col]), _texts(given[col])
        gaps = np.array([b is None for b in before])
        if not (got[~gaps] == before[~gaps]).all():
            raise Problem(f"{col} 中原本有的值被改动了", f"observed values of {col} were changed")
        fills = set(got[gaps])
        if not fills:
            continue
        counts = pd.Series(before[~gaps]).value_counts()
        modes = set(counts.index[counts == counts.max()])
        if len(fills) != 1 or not fills <= modes | {"unknown"}:
            raise Problem(f"{col} 的缺失值应统一填成该列的众数或 'unknown'",
                          f"gaps in {col} should all get the column's mode or 'unknown'")
    return True


missing = Task(
    grade_id="fill_missing",
    unit="2.1",
    level=LEVEL,
    title=Msg("按数据类型填补缺失值", "Fill missing values according to each column's type"),
    prepare=_frames(["filled", "unified"], {"filled": [ID, *FILLED_COLUMNS], "unified": [ID, *FILLED_COLUMNS]}),
    criteria=[
        criterion("不再有缺失值，行都保留", "no missing values remain, every row kept", 1, visible=True,
                  fail=("还有缺失值", "missing values remain"))(_no_missing),
        criterion("数值列用该列的一个统计量填补，原值不变", "numeric gaps get one statistic of the column, other values unchanged",
                  1, fail=("数值列填补不当", "numeric gaps filled badly"))(_numeric_filled_well),
        criterion("类别列用众数或 'unknown' 填补，原值不变", "categorical gaps get the mode or 'unknown', other values unchanged",
                  1, fail=("类别列填补不当", "categorical gaps filled badly"))(_categorical_filled_well),
    ],
    hints=[
        Msg("用 select_dtypes('number') 分出数值列，用中位数填补；类别列用众数或 'unknown'。",
            "Split columns with select_dtypes('number'); fill numbers with the median, categories with the mode or 'unknown'."),
        Msg("pandas 3 里不要对字符串列 fillna(0)，要按列的类型分别填补。",
            "In pandas 3 do not fillna(0) on text columns: fill each dtype its own way."),
    ],
)


# --- Task 8: the cleaned file (judged against the learner's filled) ------------------------------

def _read_clean(answer: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    path, filled = unpack(answer, ["CLEAN_PATH", "filled"])
    path = require_file(path, suffix=".csv")
    filled = require_frame(filled, columns=la.COLUMNS)
    try:
        return pd.read_csv(path, encoding="utf-8-sig"), filled  # UTF-8, with or without a BOM
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise Problem(f"文件无法按 UTF-8 CSV 读取：{type(exc).__name__}",
                      f"the file does not read as UTF-8 CSV: {type(exc).__name__}") from None


def _file_columns(df: pd.DataFrame) -> None:
    missing_columns = [c for c in la.COLUMNS if c not in df.columns]
    if missing_columns:
        raise Problem(f"文件缺少这些列（是否写出了表头？）：{missing_columns}",
                      f"the file lacks these columns (was the header written?): {missing_columns}")


def _same_rows_as_filled(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    df, filled = answer
    _file_columns(df)
    return Counter(df[ID].astype(str)) == Counter(filled[ID].astype(str))


def _values_of_filled(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    df, filled = answer
    _file_columns(df)
    out, given = _aligned(df, filled, "the file", "filled")
    wrong = [c for c in la.NUMERIC if not _same_numbers(_numbers(out[c]), _numbers(given[c]), rel=1e-9).all()]
    wrong += [c for c in [*la.CATEGORICAL, "status"] if not (_texts(out[c]) == _texts(given[c])).all()]
    if pd.api.types.is_datetime64_any_dtype(given["apply_date"]):
        dates = pd.to_datetime(out["apply_date"], format="ISO8601", errors="coerce").dt.normalize()
        expected = given["apply_date"].dt.normalize()
        same_dates = bool(((dates.to_numpy() == expected.to_numpy()) | (dates.isna() & expected.isna())).all())
    else:  # Task 2 left the dates as text: the file should hold the same text
        same_dates = bool((_texts(out["apply_date"]) == _texts(given["apply_date"])).all())
    if not same_dates:
        wrong.append("apply_date")
    if wrong:
        raise Problem(f"文件中这些列与 filled 不一致（有缺失或被改动）：{wrong}",
                      f"these columns of the file differ from filled (gaps or changed values): {wrong}")
    return True


saved = Task(
    grade_id="save_clean_csv",
    unit="2.1",
    level=LEVEL,
    title=Msg("保存清洗后的数据", "Save the cleaned data"),
    prepare=_read_clean,
    criteria=[
        criterion("包含全部列且没有多余的索引列", "holds every column and no stray index column", 0.5, visible=True,
                  fail=("列不对：保存时用 index=False", "wrong columns: save with index=False"))(
            lambda a: set(a[0].columns) == set(la.COLUMNS)),
        criterion("行与 filled 相同", "the rows of filled", 1,
                  fail=("文件的行与 filled 不一致", "the file's rows differ from filled"))(_same_rows_as_filled),
        criterion("保存的是 filled 的值，没有缺失值", "the values of filled, with no gaps", 0.5,
                  fail=("文件里的值与 filled 不一致", "the file's values differ from filled"))(_values_of_filled),
    ],
    hints=[
        Msg("用 df.to_csv(路径, index=False, encoding='utf-8')。", "Use df.to_csv(path, index=False, encoding='utf-8')."),
    ],
)


# --- Task 9: rule-based labels, bins and shares (business process, 1.1) -------------------------

def _labels_right(df: pd.DataFrame) -> bool:
    expected = la.high_risk(df["records"], pd.to_numeric(df["amount"]), pd.to_numeric(df["price"]))
    got = df["risk_label"].astype(str)
    if not set(got) <= {"high", "low"}:
        raise Problem("risk_label 只能是 'high' 或 'low'", "risk_label must be 'high' or 'low'")
    return bool(((got == "high") == expected).all())


def _groups_right(df: pd.DataFrame) -> bool:
    expected = pd.cut(pd.to_numeric(df["age"]), bins=la.AGE_BINS, labels=la.AGE_LABELS).astype(str)
    return bool((df["age_group"].astype(str) == expected).all())


labels = Task(
    grade_id="risk_labels",
    unit="1.1",
    level=LEVEL,
    title=Msg("按规则标注风险并分箱", "Label risk by rule and bin ages"),
    prepare=partial(require_frame, columns=["records", "amount", "price", "age", "risk_label", "age_group"]),
    criteria=[
        criterion("风险标签符合规则", "risk labels follow the rule", 1.5,
                  fail=("有风险标签与规则不符（两个条件是“或”的关系，比例用严格大于）",
                        "some labels break the rule (the two conditions are joined by OR; the ratio is strictly greater)"))(
            _labels_right),
        criterion("年龄分组正确（右闭区间）", "age groups are right (right-closed bins)", 1,
                  fail=("年龄分组不对：检查区间边界和组名", "wrong age groups: check the bin edges and labels"))(
            _groups_right),
    ],
    hints=[
        Msg("np.where(条件, 'high', 'low') 可以直接得到标签；pd.cut 默认就是右闭区间。",
            "np.where(condition, 'high', 'low') gives the labels; pd.cut bins are right-closed by default."),
        Msg("分箱边界是 [17, 25, 35, 45, 55, 70]。", "The bin edges are [17, 25, 35, 45, 55, 70]."),
    ],
)

#: The statement asks for shares to at least three decimals.
SHARE_TOLERANCE = 5e-4 + 1e-9


def _share_answer(answer: Any) -> tuple[dict[str, float], pd.DataFrame]:
    share, df = unpack(answer, ["high_risk_share", "labelled"])
    if isinstance(share, pd.DataFrame) and share.shape[1] == 1:
        share = share.iloc[:, 0]
    share = require_mapping(share, keys=la.AGE_LABELS)
    require_frame(df, columns=["age_group", "risk_label"])
    return {str(k): as_number(v) for k, v in share.items()}, df


def _shares_right(answer: tuple[dict[str, float], pd.DataFrame]) -> bool:
    share, df = answer
    expected = (df["risk_label"].astype(str) == "high").groupby(df["age_group"].astype(str)).mean()
    return all(abs(share[g] - expected.get(g, np.nan)) <= SHARE_TOLERANCE for g in la.AGE_LABELS)


shares = Task(
    grade_id="group_shares",
    unit="1.1",
    level=LEVEL,
    title=Msg("统计各年龄组的高风险占比", "High-risk share per age group"),
    prepare=_share_answer,
    criteria=[
        criterion("每个年龄组都有占比，且在 0 到 1 之间", "every age group has a share between 0 and 1", 0.5,
                  visible=True, fail=("占比应是 0–1 的小数，每组一个", "shares must be fractions in 0–1, one per group"))(
            lambda a: all(0 <= v <= 1 for v in a[0].values())),
        criterion("占比计算正确", "the shares are right", 1,
                  fail=("占比不对：分子是该组的高风险申请数，分母是该组的申请数",
                        "wrong shares: the group's high-risk applications divided by the group's size"))(_shares_right),
    ],
    hints=[
        Msg("groupby('age_group')['risk_label'] 后对 (== 'high') 求 mean()。",
            "groupby('age_group') and take the mean of (risk_label == 'high')."),
    ],
)


# --- Task 10: data-quality summary (judged on the learner's own steps) --------------------------

SUMMARY_KEYS = ["rows_raw", "duplicate_rows_removed", "invalid_rows_removed", "outliers_treated", "rows_clean"]
SUMMARY_PARTS = ["quality_summary", "raw", "typed", "deduped", "valid", "treated", "filled"]


def _summary_answer(answer: Any) -> tuple[Any, ...]:
    parts = unpack(answer, SUMMARY_PARTS)
    summary = require_mapping(parts[0], keys=SUMMARY_KEYS)
    frames = [require_frame(p, columns=[ID, "income"] if n in ("valid", "treated") else [ID])
              for n, p in zip(SUMMARY_PARTS[1:], parts[1:], strict=True)]
    return (summary, *frames)


def _incomes_treated(valid: pd.DataFrame, treated: pd.DataFrame) -> int:
    """Incomes Task 5 changed: rows of valid whose income differs in treated (or that are gone)."""
    pos = _positions(treated, valid, "treated", "valid")
    before = _numbers(valid["income"])[pos]
    changed = int((~_same_numbers(_numbers(treated["income"]), before, rel=1e-9)).sum())
    return changed + len(valid) - len(set(pos))


def _summary_right(answer: tuple[Any, ...]) -> bool:
    summary, raw, typed, deduped, valid, treated, filled = answer
    expected = {
        "rows_raw": len(raw),
        "duplicate_rows_removed": len(typed) - len(deduped),
        "invalid_rows_removed": len(deduped) - len(valid),
        "outliers_treated": _incomes_treated(valid, treated),
        "rows_clean": len(filled),
    }
    wrong = [k for k, v in expected.items() if as_number(summary[k]) != v]
    if wrong:
        raise Problem(f"这些数字与你的清洗步骤不符：{wrong}", f"these figures do not match your cleaning steps: {wrong}")
    return True


summary = Task(
    grade_id="quality_summary",
    unit="2.1",
    level=LEVEL,
    title=Msg("数据质量汇总", "Data-quality summary"),
    prepare=_summary_answer,
    criteria=[
        criterion("各项都是非负数", "every figure is a non-negative number", 0.5, visible=True,
                  fail=("汇总里的值都应是非负数", "every value must be a non-negative number"))(
            lambda a: all(as_number(a[0][k]) >= 0 for k in SUMMARY_KEYS)),
        criterion("各项数字与清洗过程一致", "the figures match the cleaning", 1.5,
                  fail=("数字不对", "wrong figures"))(_summary_right),
    ],
    hints=[
        Msg("每一步前后都用 len() 记下行数，差值就是删除的行数；outliers_treated 是任务 5 改动的收入个数。",
            "Record len() before and after each step; the difference is what was removed. outliers_treated is "
            "the number of incomes Task 5 changed."),
    ],
)
# --- Written answers, graded by hand ----------------------------------------------------------------

spec = WrittenTask(
    grade_id="cleaning_spec",
    unit="2.1",
    level=LEVEL,
    title=Msg("数据清洗与标注规范", "Data cleaning and labelling specification"),
    rubric=[
        RubricPoint(Msg("逐项列出清洗步骤及其顺序，并说明顺序的理由", "lists the cleaning steps in order and why that order"), 1),
        RubricPoint(Msg("每类问题给出可执行的判定规则（缺失标记、类型、重复键、业务规则、异常值阈值）",
                        "gives a decidable rule for each fault class (markers, types, duplicate key, business rules, outlier threshold)"), 1),
        RubricPoint(Msg("说明每类问题的处理方式（删除、修正、填补）及原因", "states the treatment of each fault (drop, fix, fill) and why"), 1),
        RubricPoint(Msg("写清标注规则、标签取值和边界情况", "defines the labelling rule, label values and edge cases"), 1),
        RubricPoint(Msg("给出质量验收标准（如无缺失、无重复、规则通过率）和留痕要求", "sets acceptance criteria (no gaps, no repeats, rule pass rate) and record keeping"), 1),
    ],
)

audit_flow = WrittenTask(
    grade_id="audit_flow",
    unit="1.1",
    level=LEVEL,
    title=Msg("新进申请数据的采集与审核流程", "Collection and audit flow for incoming applications"),
    rubric=[
        RubricPoint(Msg("在采集环节防止问题（录入校验、统一格式、下拉选项）", "prevents faults at collection (entry validation, fixed formats, pick lists)"), 1),
        RubricPoint(Msg("自动审核与人工复核的分工和触发条件", "splits automatic checks and human review, with triggers"), 1),
        RubricPoint(Msg("问题数据的回退与反馈机制，及质量指标的监控", "routes bad records back with feedback and monitors quality indicators"), 1),
    ],
)

LAB = Lab(
    assignment="data_cleaning",
    notebook="data_cleaning_l3.ipynb",
    level=LEVEL,
    summary=Msg(
        "缺失标记、类型转换、去重、业务规则校验、异常值、类别统一、按类型填补、保存清洗结果、规则标注与分箱、质量汇总、清洗与标注规范、审核流程",
        "missing markers, types, duplicates, business rules, outliers, categories, per-type filling, the cleaned file, rule labels and bins, a quality summary, a written spec and audit flow"),
    tasks=[load, coerce, dedupe, rules, outliers, categories, missing, saved, labels, shares, summary,
           spec, audit_flow],
)
