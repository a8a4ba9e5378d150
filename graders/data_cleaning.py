"""Checks for the L3 data-cleaning lab (skill units 1.1 and 2.1).

Every check compares the learner's answer with the truth of the data variant it was given
(:func:`trainerlab.datagen.loan_applications.variant`), by properties and tolerances, so any
correct way of cleaning scores full marks.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graders.answers import (
    as_number,
    require_answer,
    require_file,
    require_frame,
    require_mapping,
)
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion
from trainerlab.datagen import loan_applications as la
from trainerlab.variants import current_seed

LEVEL = "L3"


def seed() -> int:
    """The seed of this notebook's data variant (``TRAINERLAB_SEED``, else the default)."""
    return current_seed()


def truth() -> la.LoanVariant:
    """The variant this notebook works on."""
    return la.variant(seed())


def raw_path() -> Path:
    """The raw file of this notebook's variant (the bundled file, or one written for the seed)."""
    return la.raw_file(seed())


def _by_id(df: pd.DataFrame) -> pd.DataFrame:
    """Index a one-row-per-application answer by ``application_id``."""
    if df["application_id"].duplicated().any():
        raise Problem("application_id 仍有重复", "application_id still has duplicates")
    return df.set_index("application_id")


def _numeric_equal(answer: pd.Series, expected: pd.Series, rel: float = 1e-6) -> pd.Series:
    """Element-wise: both missing, or both numbers within a relative tolerance."""
    a = pd.to_numeric(answer, errors="coerce").to_numpy(dtype="float64")
    e = expected.to_numpy(dtype="float64")
    both_nan = np.isnan(a) & np.isnan(e)
    return pd.Series(both_nan | np.isclose(a, e, rtol=rel, atol=1e-9), index=expected.index)


def _is_missing(series: pd.Series) -> pd.Series:
    return series.isna()


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


# --- Task 2: coerce types ----------------------------------------------------------------------

def _typed_truth() -> pd.DataFrame:
    return truth().typed


def _numeric_dtypes(df: pd.DataFrame) -> bool:
    bad = [c for c in la.NUMERIC if not pd.api.types.is_numeric_dtype(df[c])]
    if bad:
        raise Problem(f"这些列还不是数值类型：{bad}", f"these columns are not numeric yet: {bad}")
    if not pd.api.types.is_datetime64_any_dtype(df["apply_date"]):
        raise Problem("apply_date 还不是日期时间类型", "apply_date is not a datetime type yet")
    return True


def _numbers_right(df: pd.DataFrame) -> bool:
    expected = _typed_truth()
    wrong = [c for c in la.NUMERIC
             if not _numeric_equal(df[c].reset_index(drop=True), expected[c]).all()]
    if wrong:
        raise Problem(f"这些列有数值转换错误（全角数字、万元、千位分隔符、“岁”等）：{wrong}",
                      f"these columns have values parsed wrongly (full-width digits, 万, thousands "
                      f"separators, 岁 …): {wrong}")
    return True


def _dates_right(df: pd.DataFrame) -> bool:
    got = pd.to_datetime(df["apply_date"]).reset_index(drop=True).dt.normalize()
    expected = _typed_truth()["apply_date"].dt.normalize()
    return bool((got.to_numpy() == expected.to_numpy()).all())


coerce = Task(
    grade_id="coerce_types",
    unit="2.1",
    level=LEVEL,
    title=Msg("统一数据类型", "Coerce every column to its type"),
    prepare=partial(require_frame, columns=la.COLUMNS),
    criteria=[
        criterion("行数未变", "no rows added or removed", 0.5, visible=True,
                  fail=("类型转换不应增删行", "type coercion must not add or remove rows"))(
            lambda df: len(df) == len(truth().raw)),
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


# --- Task 3: duplicates ------------------------------------------------------------------------

dedupe = Task(
    grade_id="remove_duplicates",
    unit="2.1",
    level=LEVEL,
    title=Msg("删除重复记录", "Remove duplicate records"),
    prepare=partial(require_frame, columns=["application_id"]),
    criteria=[
        criterion("每个申请编号只出现一次", "each application_id appears once", 1, visible=True,
                  fail=("仍有重复的申请编号：同一申请被重复录入时格式可能不同",
                        "some application_id values still repeat: a re-entered application may be "
                        "formatted differently"))(
            lambda df: not df["application_id"].duplicated().any()),
        criterion("没有误删任何一份申请", "no application is lost", 1,
                  fail=("有申请被整份删掉了：去重只应删除重复的行",
                        "some applications are gone entirely: de-duplication must only drop repeats"))(
            lambda df: set(df["application_id"]) == set(truth().records.index)),
    ],
    hints=[
        Msg("完全相同的行可以用 drop_duplicates()，但重复录入的格式可能不同。",
            "drop_duplicates() finds identical rows, but re-entered rows may be formatted differently."),
        Msg("按业务主键 application_id 去重：drop_duplicates(subset='application_id')。",
            "De-duplicate on the business key: drop_duplicates(subset='application_id')."),
    ],
)


# --- Task 4: validity rules ----------------------------------------------------------------------

def _removed(df: pd.DataFrame, rule: str) -> bool:
    kept = set(df["application_id"])
    left = [a for a, r in truth().invalid.items() if r == rule and a in kept]
    if left:
        raise Problem(f"还有 {len(left)} 份申请违反规则 {la.RULES[rule]}",
                      f"{len(left)} applications still break the rule {la.RULES[rule]}")
    return True


def _kept_valid(df: pd.DataFrame) -> bool:
    lost = truth().valid_ids - set(df["application_id"])
    if lost:
        raise Problem(f"有 {len(lost)} 份符合所有规则的申请被删掉了",
                      f"{len(lost)} applications that meet every rule were removed")
    return True


rules = Task(
    grade_id="validity_rules",
    unit="2.1",
    level=LEVEL,
    title=Msg("按业务规则标记并删除无效记录", "Flag and remove records that break the business rules"),
    prepare=partial(require_frame, columns=["application_id", "age", "amount", "price", "seniority"]),
    criteria=[
        *[criterion(f"已删除违反 {la.RULES[r]} 的记录", f"records breaking {la.RULES[r]} are removed", 1,
                    fail=("规则检查不完整", "a rule is not applied"))(partial(_removed, rule=r))
          for r in la.RULES],
        criterion("符合规则的记录都保留了", "every valid record is kept", 1,
                  fail=("误删了有效记录", "valid records were removed"))(_kept_valid),
    ],
    hints=[
        Msg("为每条规则建一个布尔列，再用 ~(…|…|…) 选出有效行。",
            "Build one boolean column per rule, then keep rows with ~(a | b | c)."),
        Msg("注意边界：年龄 18 和 70 都是有效的；工龄上限是 年龄 − 14。",
            "Mind the bounds: ages 18 and 70 are valid; seniority may be at most age − 14."),
    ],
)


# --- Task 5: outliers (incomes entered in the wrong unit) ---------------------------------------

def _genuine_income() -> pd.Series:
    t = truth()
    income = t.records.loc[sorted(t.valid_ids), "income"]
    return income.drop(index=list(t.unit_errors), errors="ignore")


def _unit_errors_treated(df: pd.DataFrame) -> bool:
    t = truth()
    by_id = _by_id(df)
    ids = [a for a in t.unit_errors if a in by_id.index]
    income = pd.to_numeric(by_id.loc[ids, "income"], errors="coerce")
    genuine = _genuine_income()
    ok = income.isna() | ((income >= genuine.min()) & (income <= genuine.max()))
    if not ok.all():
        raise Problem(f"还有 {int((~ok).sum())} 个明显异常的收入没有处理",
                      f"{int((~ok).sum())} clearly abnormal incomes are still untreated")
    return True


def _genuine_kept(df: pd.DataFrame) -> bool:
    by_id = _by_id(df)
    genuine = _genuine_income().dropna()
    genuine = genuine[genuine.index.isin(by_id.index)]
    same = _numeric_equal(by_id.loc[genuine.index, "income"], genuine)
    if same.mean() < 0.9:
        raise Problem(f"只有 {same.mean():.0%} 的正常收入保持不变：处理范围太大了",
                      f"only {same.mean():.0%} of normal incomes are unchanged: the treatment is too broad")
    return True


outliers = Task(
    grade_id="treat_outliers",
    unit="2.1",
    level=LEVEL,
    title=Msg("识别并处理收入异常值", "Find and treat income outliers"),
    prepare=partial(require_frame, columns=["application_id", "income"]),
    criteria=[
        criterion("异常收入已修正、截断或置为缺失", "abnormal incomes are corrected, capped or set missing", 1.5,
                  fail=("异常收入没有处理", "abnormal incomes are untreated"))(_unit_errors_treated),
        criterion("正常收入基本保持不变", "normal incomes are left (almost) unchanged", 1,
                  fail=("正常收入被改动太多", "too many normal incomes were changed"))(_genuine_kept),
        criterion("没有因异常值删除记录", "no record is dropped for an outlier", 0.5, visible=True,
                  fail=("处理异常值时不要删除整条记录（应修正或置为缺失）",
                        "do not drop records for an outlier here (correct it or set it missing)"))(
            lambda df: set(df["application_id"]) == truth().valid_ids),
    ],
    hints=[
        Msg("画收入的箱线图或看 describe()：有一小撮收入大约是正常值的 100 倍。",
            "Box-plot income or read describe(): a small group is about 100 times the usual size."),
        Msg("可以用 IQR 规则（Q3 + 3×IQR）找出它们，再除以 100 或置为 NaN。",
            "Find them with an IQR rule (Q3 + 3×IQR), then divide by 100 or set them to NaN."),
    ],
)


# --- Task 6: categories ------------------------------------------------------------------------

def _category_right(df: pd.DataFrame, column: str) -> bool:
    by_id = _by_id(df)
    expected = truth().records[column].reindex(by_id.index)
    got = by_id[column]
    allowed = set(la.CANONICAL[column])
    stray = set(got.dropna().astype(str)) - allowed - {"unknown"}
    if stray:
        raise Problem(f"{column} 里还有不规范的写法（共 {len(stray)} 种）",
                      f"{column} still holds {len(stray)} non-canonical spellings")
    present = expected.notna()
    if not (got[present].astype(str) == expected[present]).all():
        raise Problem(f"{column} 有值被映射错了", f"some {column} values are mapped to the wrong code")
    return True


categories = Task(
    grade_id="unify_categories",
    unit="2.1",
    level=LEVEL,
    title=Msg("统一类别写法", "Unify category spellings"),
    prepare=partial(require_frame, columns=["application_id", *la.CATEGORICAL]),
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


# --- Task 7: missing values per dtype ------------------------------------------------------------

def _no_missing(df: pd.DataFrame) -> bool:
    left = df.isna().sum()
    left = left[left > 0]
    if len(left):
        raise Problem(f"这些列还有缺失值：{list(left.index)}", f"these columns still have missing values: {list(left.index)}")
    return True


def _observed(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    by_id = _by_id(df)
    t = truth()
    expected = t.records.reindex(by_id.index).drop(index=list(t.unit_errors), errors="ignore")
    return by_id.loc[expected.index], expected


def _numeric_filled_well(df: pd.DataFrame) -> bool:
    got, expected = _observed(df)
    for col in la.NUMERIC:
        present = expected[col].notna()
        # incomes may have been treated as outliers in task 5: only their fills are judged here
        if col != "income" and not _numeric_equal(got.loc[present, col], expected.loc[present, col]).all():
            raise Problem(f"{col} 中原本有的值被改动了", f"observed values of {col} were changed")
        filled = pd.to_numeric(got.loc[~present, col], errors="coerce")
        if filled.isna().any() or not filled.between(expected[col].min(), expected[col].max()).all():
            raise Problem(f"{col} 的填补值不在该列的取值范围内",
                          f"fill values of {col} lie outside the column's observed range")
    return True


def _categorical_filled_well(df: pd.DataFrame) -> bool:
    got, expected = _observed(df)
    for col in la.CATEGORICAL:
        present = expected[col].notna()
        if not (got.loc[present, col].astype(str) == expected.loc[present, col]).all():
            raise Problem(f"{col} 中原本有的值被改动了", f"observed values of {col} were changed")
        fills = set(got.loc[~present, col].astype(str))
        if not fills <= set(la.CANONICAL[col]) | {"unknown"}:
            raise Problem(f"{col} 的填补值应是已有类别（如众数）或 'unknown'",
                          f"fill values of {col} must be an existing code (e.g. the mode) or 'unknown'")
    return True


missing = Task(
    grade_id="fill_missing",
    unit="2.1",
    level=LEVEL,
    title=Msg("按数据类型填补缺失值", "Fill missing values according to each column's type"),
    prepare=partial(require_frame, columns=la.COLUMNS),
    criteria=[
        criterion("不再有缺失值", "no missing values remain", 1, visible=True,
                  fail=("还有缺失值", "missing values remain"))(_no_missing),
        criterion("数值列用合理的统计量填补，原值不变", "numeric gaps get a sensible statistic, other values unchanged",
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


# --- Task 8: the cleaned file ----------------------------------------------------------------------

def _read_clean(path: Any) -> pd.DataFrame:
    path = require_file(path, suffix=".csv")
    try:
        return pd.read_csv(path, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise Problem(f"文件无法按 UTF-8 CSV 读取：{type(exc).__name__}",
                      f"the file does not read as UTF-8 CSV: {type(exc).__name__}") from None


saved = Task(
    grade_id="save_clean_csv",
    unit="2.1",
    level=LEVEL,
    title=Msg("保存清洗后的数据", "Save the cleaned data"),
    prepare=_read_clean,
    criteria=[
        criterion("包含全部列且没有多余的索引列", "holds every column and no stray index column", 0.5, visible=True,
                  fail=("列不对：保存时用 index=False", "wrong columns: save with index=False"))(
            lambda df: set(df.columns) == set(la.COLUMNS)),
        criterion("只含有效申请，每份一行", "one row per valid application", 1,
                  fail=("行与有效申请不一致", "rows differ from the valid applications"))(
            lambda df: len(df) == len(truth().valid_ids) and set(df["application_id"]) == truth().valid_ids),
        criterion("文件中没有缺失值", "no missing values in the file", 0.5,
                  fail=("文件里还有缺失值", "the file still has missing values"))(
            lambda df: not df.isna().any().any()),
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


def _share_answer(answer: Any) -> tuple[Mapping[str, float], pd.DataFrame]:
    require_answer(answer)
    if not (isinstance(answer, tuple) and len(answer) == 2):
        raise Problem("需要 (high_risk_share, labelled) 两项", "expected the pair (high_risk_share, labelled)")
    share, df = answer
    if isinstance(share, pd.DataFrame) and share.shape[1] == 1:
        share = share.iloc[:, 0]
    share = require_mapping(share, keys=la.AGE_LABELS)
    require_frame(df, columns=["age_group", "risk_label"])
    return {str(k): as_number(v) for k, v in share.items()}, df


def _shares_right(answer: tuple[Mapping[str, float], pd.DataFrame]) -> bool:
    share, df = answer
    expected = (df["risk_label"].astype(str) == "high").groupby(df["age_group"].astype(str)).mean()
    return all(np.isclose(share[g], expected.get(g, np.nan), atol=1e-3) for g in la.AGE_LABELS)


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
                  fail=("占比不对：分母应是该组的人数", "wrong shares: divide by the group's size"))(_shares_right),
    ],
    hints=[
        Msg("groupby('age_group')['risk_label'] 后对 (== 'high') 求 mean()。",
            "groupby('age_group') and take the mean of (risk_label == 'high')."),
    ],
)


# --- Task 10: data-quality summary ----------------------------------------------------------------

SUMMARY_KEYS = ["rows_raw", "duplicate_rows_removed", "invalid_rows_removed", "outliers_treated", "rows_clean"]


def _summary_right(summary: Mapping[str, Any]) -> bool:
    t = truth()
    expected = {
        "rows_raw": len(t.raw),
        "duplicate_rows_removed": t.duplicate_rows,
        "invalid_rows_removed": len(t.invalid),
        "rows_clean": len(t.valid_ids),
    }
    wrong = [k for k, v in expected.items() if as_number(summary[k]) != v]
    treated = as_number(summary["outliers_treated"])
    if not len(t.unit_errors) <= treated <= 0.1 * len(t.valid_ids):
        wrong.append("outliers_treated")
    if wrong:
        raise Problem(f"这些数字与数据不符：{wrong}", f"these figures do not match the data: {wrong}")
    return True


summary = Task(
    grade_id="quality_summary",
    unit="2.1",
    level=LEVEL,
    title=Msg("数据质量汇总", "Data-quality summary"),
    prepare=partial(require_mapping, keys=SUMMARY_KEYS),
    criteria=[
        criterion("各项都是非负数", "every figure is a non-negative number", 0.5, visible=True,
                  fail=("汇总里的值都应是非负数", "every value must be a non-negative number"))(
            lambda s: all(as_number(s[k]) >= 0 for k in SUMMARY_KEYS)),
        criterion("各项数字与清洗过程一致", "the figures match the cleaning", 1.5,
                  fail=("数字不对", "wrong figures"))(_summary_right),
    ],
    hints=[
        Msg("每一步前后都用 len() 记下行数，差值就是删除的行数。",
            "Record len() before and after each step; the difference is what was removed."),
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
