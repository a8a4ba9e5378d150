"""Whole answers of the data-cleaning lab, graded end to end through nbgrader (see ``class_runs``).

Alternatives reach every answer by another correct route (row order, index, containers, dtypes,
another statistic, another treatment the statement allows). Wrong answers each make real mistakes
that the statement rules out, on tasks that do not build on each other's mistake, so error carried
forward lets one notebook hold several: each mistake must cost points on its own task only.
"""

from __future__ import annotations

from textwrap import dedent

from class_runs import Case

NUMERIC = ('NUMERIC = ["age", "seniority", "time", "expenses", "income", "assets", "debt", "amount", '
           '"price"]\n')
CATEGORICAL = 'CATEGORICAL = ["home", "marital", "records", "job"]\n'
CODES = dedent('''\
    CODES = {
        "home": {"自有住房": "owner", "租房": "rent", "与父母同住": "parents", "其他": "other"},
        "marital": {"m": "married", "已婚": "married", "s": "single", "未婚": "single",
                    "分居": "separated", "丧偶": "widow", "离异": "divorced"},
        "records": {"y": "yes", "是": "yes", "n": "no", "否": "no"},
        "job": {"固定": "fixed", "自由职业": "freelance", "part-time": "partime", "兼职": "partime",
                "其他": "others"},
    }
    ''')


def coerce_robust(*, wan: bool = True, nfkc: bool = True, sui: bool = True, all_dates: bool = True) -> str:
    """A vectorised coercion that never crashes on a leftover marker; flags switch one step off."""
    normalise = '.str.normalize("NFKC")' if nfkc else ""
    strip_sui = '.str.replace("岁", "", regex=False)' if sui else ""
    if wan:
        number = ('is_wan = text.str.endswith("万").fillna(False).astype(bool)\n'
                  '    number = pd.to_numeric(text.str.removesuffix("万"), errors="coerce")\n'
                  '    number = number.where(~is_wan, number * 10000)\n')
    else:
        number = 'number = pd.to_numeric(text, errors="coerce")\n'
    if all_dates:
        dates = ('dates = typed["apply_date"].astype("string").str.replace(r"[年月/]", "-", regex=True)'
                 '.str.replace("日", "")\n'
                 'typed["apply_date"] = pd.to_datetime(dates, format="%Y-%m-%d")\n')
    else:
        dates = ('typed["apply_date"] = pd.to_datetime(typed["apply_date"], format="%Y-%m-%d", '
                 'errors="coerce")\n')
    return (NUMERIC + "typed = raw.copy()\n"
            "for col in NUMERIC:\n"
            f'    text = typed[col].astype("string"){normalise}.str.strip().str.replace(",", "", regex=False)'
            f"{strip_sui}\n"
            f"    {number}"
            '    typed[col] = number.astype("float64").round(2)\n' + dates)


def rules_with(age: str, loan: str, seniority: str) -> str:
    """Valid records by three rule expressions on ``d`` (the deduplicated frame)."""
    return dedent(f'''\
        d = deduped
        keep = ({age}) & ({loan}) & ({seniority})
        valid = d[keep].copy()
        violations = d[~keep]
        ''')


def treat_with(mask: str, new: str) -> str:
    """Treat incomes where ``mask`` holds (``wrong_unit``) by setting them to ``new``."""
    return dedent(f'''\
        income = valid["income"]
        wrong_unit = {mask}
        treated = valid.copy()
        treated.loc[wrong_unit, "income"] = {new}
        ''')


SOLUTION_UNIFY = CODES + dedent('''\
    unified = treated.copy()
    for col, mapping in CODES.items():
        unified[col] = unified[col].str.strip().str.lower().replace(mapping)
    ''')


def labels_with(rule: str, right: bool = True, names: str = '["18-25", "26-35", "36-45", "46-55", "56-70"]',
                high: str = '"high"', low: str = '"low"') -> str:
    return dedent(f'''\
        labelled = filled.copy()
        is_high = {rule}
        labelled["risk_label"] = np.where(is_high, {high}, {low})
        labelled["age_group"] = pd.cut(labelled["age"], bins=[17, 25, 35, 45, 55, 70], labels={names},
                                       right={right})
        ''')


OR_RULE = '(labelled["records"] == "yes") | (labelled["amount"] > 0.9 * labelled["price"])'
SOLUTION_SHARES = ('high_risk_share = (labelled["risk_label"] == "high").groupby(labelled["age_group"], '
                   'observed=False).mean()\n')


def summary_with(**changes: str) -> str:
    parts = {"rows_raw": "len(raw)", "duplicate_rows_removed": "len(typed) - len(deduped)",
             "invalid_rows_removed": "len(deduped) - len(valid)", "outliers_treated": "int(wrong_unit.sum())",
             "rows_clean": "len(filled)"} | changes
    body = "".join(f'    "{k}": {v},\n' for k, v in parts.items())
    return "quality_summary = {\n" + body + "}\n"


# --- alternative answers: every task by another correct route ------------------------------------

ALT_DEFAULTS = {
    # pandas' own NA list plus the lab's markers; numbers inferred where possible
    "load_raw_answer": 'raw = pd.read_csv(RAW_PATH, na_values=["?", "-", "未知", "99999999"])\n',
    # vectorised string clean-up; dates from their three numbers
    "coerce_types_answer": NUMERIC + dedent('''\
        typed = raw.copy()
        for col in NUMERIC:
            text = typed[col].astype("string").str.normalize("NFKC").str.replace(r"[,岁\\s]", "", regex=True)
            wan = text.str.endswith("万").fillna(False).astype(bool)
            number = pd.to_numeric(text.str.rstrip("万"), errors="coerce").astype("float64")
            number[wan] = number[wan] * 10000
            typed[col] = number.round(2)
        parts = typed["apply_date"].str.extract(r"(\\d{4})\\D(\\d{1,2})\\D(\\d{1,2})").astype(int)
        typed["apply_date"] = pd.to_datetime(dict(year=parts[0], month=parts[1], day=parts[2]))
        '''),
    # sorted by id, the last copy kept: another row order
    "remove_duplicates_answer": ('deduped = typed.sort_values("application_id").drop_duplicates('
                                 '"application_id", keep="last")\n'),
    "validity_rules_answer": dedent('''\
        valid = deduped.query("18 <= age <= 70 and amount <= price and seniority <= age - 14")
        violations = deduped.drop(index=valid.index)
        '''),
    # an IQR rule on the log scale, where incomes are roughly symmetric; blanked
    "treat_outliers_answer": dedent('''\
        log_income = np.log10(valid["income"])
        q1, q3 = log_income.quantile([0.25, 0.75])
        wrong_unit = log_income > q3 + 3 * (q3 - q1)
        treated = valid.copy()
        treated.loc[wrong_unit, "income"] = np.nan
        '''),
    "unify_categories_answer": CODES + dedent('''\
        unified = treated.copy()
        for col, mapping in CODES.items():
            unified[col] = unified[col].map(lambda v, m=mapping: m.get(v.strip().lower(), v.strip().lower())
                                            if isinstance(v, str) else v)
        '''),
    "fill_missing_answer": NUMERIC + CATEGORICAL + dedent('''\
        filled = unified.fillna({**{c: unified[c].mean() for c in NUMERIC},
                                 **{c: "unknown" for c in CATEGORICAL}})
        '''),
    "save_clean_csv_answer": ('CLEAN_PATH = str(OUTPUT / "loan_applications_clean.csv")\n'
                              "filled.to_csv(CLEAN_PATH, index=False)\n"),
    "risk_labels_answer": dedent('''\
        labelled = filled.copy()
        labelled["risk_label"] = labelled.apply(
            lambda r: "high" if r["records"] == "yes" or r["amount"] > 0.9 * r["price"] else "low", axis=1)
        labelled["age_group"] = pd.cut(labelled["age"], [17, 25, 35, 45, 55, 70],
                                       labels=["18-25", "26-35", "36-45", "46-55", "56-70"]).astype(str)
        '''),
    "group_shares_answer": ('high_risk_share = pd.crosstab(labelled["age_group"], labelled["risk_label"], '
                            'normalize="index")["high"].to_dict()\n'),
    "quality_summary_answer": summary_with(outliers_treated="int(treated['income'].isna().sum() - "
                                                            "valid['income'].isna().sum())"),
}

ALT_FUNCTIONS = {
    # markers replaced after reading everything as text
    "load_raw_answer": dedent('''\
        MARKERS = ["", "NA", "null", "?", "-", "未知", "99999999"]
        text = pd.read_csv(RAW_PATH, dtype=str, keep_default_na=False)
        raw = text.mask(text.isin(MARKERS))
        '''),
    "coerce_types_answer": NUMERIC + dedent('''\
        import re


        def to_number(value):
            if not isinstance(value, str):
                return value
            value = unicodedata.normalize("NFKC", value).replace(",", "").replace("岁", "").strip()
            return float(value[:-1]) * 10000 if value.endswith("万") else float(value)


        typed = raw.copy()
        typed[NUMERIC] = typed[NUMERIC].apply(lambda c: c.map(to_number)).astype("float64").round(2)
        typed["apply_date"] = typed["apply_date"].map(
            lambda s: pd.Timestamp(*map(int, re.findall(r"\\d+", s))))
        '''),
    # first copy per id, index reset
    "remove_duplicates_answer": ('deduped = typed.groupby("application_id", sort=False).head(1)'
                                 '.reset_index(drop=True)\n'),
    "validity_rules_answer": dedent('''\
        rule_ok = pd.DataFrame({
            "age": (deduped["age"] >= 18) & (deduped["age"] <= 70),
            "loan": deduped["amount"] <= deduped["price"],
            "seniority": deduped["seniority"] <= deduped["age"] - 14,
        })
        violations = deduped[~rule_ok.all(axis=1)].assign(
            rule=lambda d: (~rule_ok.loc[d.index]).idxmax(axis=1))
        valid = deduped[rule_ok.all(axis=1)].reset_index(drop=True)
        '''),
    # a threshold in the gap the log-scale plot shows, corrected by dividing by 100
    "treat_outliers_answer": dedent('''\
        wrong_unit = (valid["income"] > 2000).to_numpy()
        treated = valid.assign(income=np.where(wrong_unit, valid["income"] / 100, valid["income"]))
        '''),
    # one full table of spellings, then sorted by id
    "unify_categories_answer": dedent('''\
        SPELLINGS = {
            "home": {"owner": ["owner", "自有住房"], "rent": ["rent", "租房"],
                     "parents": ["parents", "与父母同住"], "priv": ["priv"], "other": ["other", "其他"],
                     "ignore": ["ignore"]},
            "marital": {"married": ["married", "m", "已婚"], "single": ["single", "s", "未婚"],
                        "separated": ["separated", "分居"], "widow": ["widow", "丧偶"],
                        "divorced": ["divorced", "离异"]},
            "records": {"no": ["no", "n", "否"], "yes": ["yes", "y", "是"]},
            "job": {"fixed": ["fixed", "固定"], "freelance": ["freelance", "自由职业"],
                    "partime": ["partime", "part-time", "兼职"], "others": ["others", "其他"]},
        }
        unified = treated.copy()
        for col, codes in SPELLINGS.items():
            lookup = {spelling: code for code, spellings in codes.items() for spelling in spellings}
            unified[col] = unified[col].str.strip().str.lower().map(lookup)
        unified = unified.sort_values("application_id")
        '''),
    "fill_missing_answer": dedent('''\
        filled = unified.copy()
        numbers = filled.select_dtypes("number").columns
        filled[numbers] = filled[numbers].fillna(filled[numbers].median())
        for col in ["home", "marital", "records", "job"]:
            filled[col] = filled[col].fillna(filled[col].value_counts().idxmax())
        '''),
    "save_clean_csv_answer": dedent('''\
        import os

        CLEAN_PATH = os.path.join(OUTPUT, "loan_applications_clean.csv")
        filled.to_csv(CLEAN_PATH, index=False, encoding="utf-8-sig")  # with a BOM, for Excel
        '''),
    "risk_labels_answer": dedent('''\
        labelled = filled.copy()
        labelled["risk_label"] = "low"
        labelled.loc[(labelled["records"] == "yes") | (labelled["amount"] / labelled["price"] > 0.9),
                     "risk_label"] = "high"
        labelled["age_group"] = pd.cut(labelled["age"], bins=[17, 25, 35, 45, 55, 70],
                                       labels=["18-25", "26-35", "36-45", "46-55", "56-70"])
        '''),
    # rounded to three decimals
    "group_shares_answer": ('high_risk_share = labelled.groupby("age_group", observed=True)["risk_label"]'
                            '.apply(lambda s: (s == "high").mean()).round(3)\n'),
    "quality_summary_answer": summary_with(
        rows_raw="raw.shape[0]", duplicate_rows_removed="int(typed['application_id'].duplicated().sum())",
        invalid_rows_removed="len(violations)", outliers_treated="int(np.sum(wrong_unit))",
        rows_clean="filled.shape[0]"),
}

ALT_TOOLS = {
    # the sentinel only where the dictionary puts it
    "load_raw_answer": dedent('''\
        raw = pd.read_csv(RAW_PATH, dtype=str, keep_default_na=False,
                          na_values={c: ["", "NA", "null", "?", "-", "未知"] for c in
                                     pd.read_csv(RAW_PATH, nrows=0).columns})
        raw["income"] = raw["income"].mask(raw["income"] == "99999999")
        '''),
    "coerce_types_answer": coerce_robust(),
    "remove_duplicates_answer": 'deduped = typed[~typed.duplicated("application_id")]\n',
    "validity_rules_answer": dedent('''\
        ok = np.logical_and.reduce([
            deduped["age"].between(18, 70).to_numpy(),
            (deduped["amount"] <= deduped["price"]).to_numpy(),
            (deduped["seniority"] <= deduped["age"] - 14).to_numpy(),
        ])
        valid, violations = deduped[ok], deduped[~ok]
        '''),
    # capped at the detection threshold
    "treat_outliers_answer": dedent('''\
        THRESHOLD = 1000
        wrong_unit = valid["income"] > THRESHOLD
        treated = valid.copy()
        treated["income"] = valid["income"].clip(upper=THRESHOLD)
        '''),
    "unify_categories_answer": CODES + dedent('''\
        unified = treated.copy()
        for col, mapping in CODES.items():
            clean = unified[col].str.strip().str.lower()
            unified[col] = clean.where(~clean.isin(list(mapping)), clean.map(mapping))
        '''),
    "fill_missing_answer": NUMERIC + dedent('''\
        filled = unified.copy()
        for col in NUMERIC:
            filled[col] = filled[col].fillna(round(filled[col].median()))
        for col in ["home", "marital", "records", "job"]:
            filled[col] = filled[col].fillna(filled[col].mode().iloc[0])
        '''),
    "save_clean_csv_answer": dedent('''\
        CLEAN_PATH = f"{OUTPUT}/loan_applications_clean.csv"
        with open(CLEAN_PATH, "w", encoding="utf-8", newline="") as handle:
            filled.to_csv(handle, index=False)
        '''),
    "risk_labels_answer": labels_with(
        '(labelled["records"] == "yes").to_numpy() | '
        '(labelled["amount"] > 0.9 * labelled["price"]).to_numpy()',
        names='["18-25", "26-35", "36-45", "46-55", "56-70"]').replace(
            'right=True)', 'right=True).astype(object)'),
    "group_shares_answer": dedent('''\
        table = labelled.assign(high=labelled["risk_label"].eq("high")).pivot_table(
            index="age_group", values="high", aggfunc="mean", observed=False)
        high_risk_share = table
        '''),
    "quality_summary_answer": summary_with(
        duplicate_rows_removed="typed['application_id'].size - typed['application_id'].nunique()",
        outliers_treated="int((treated['income'].fillna(-1) != valid['income'].fillna(-1)).sum())",
        rows_clean="int(filled['application_id'].nunique())"),
}

# --- wrong answers: each mistake costs points on its own task ---------------------------------------

WRONG_1 = {
    # pandas' defaults miss ?, -, 未知 and the income sentinel
    "load_raw_answer": "raw = pd.read_csv(RAW_PATH)\n",
    "coerce_types_answer": coerce_robust(),
    # identical rows only: re-entries formatted differently stay
    "remove_duplicates_answer": "deduped = typed.drop_duplicates()\n",
    # seniority <= age - 14 read as strictly less
    "validity_rules_answer": rules_with('d["age"].between(18, 70)', 'd["amount"] <= d["price"]',
                                        'd["seniority"] < d["age"] - 14'),
    # incomes divided by 10, not 100
    "treat_outliers_answer": treat_with('valid["income"] > 1000', 'valid.loc[wrong_unit, "income"] / 10'),
    # AND instead of OR
    "risk_labels_answer": labels_with(OR_RULE.replace(") | (", ") & (")),
}

WRONG_2 = {
    # the income sentinel is not in the list
    "load_raw_answer": ('raw = pd.read_csv(RAW_PATH, dtype=str, keep_default_na=False, '
                        'na_values=["", "NA", "null", "?", "-", "未知"])\n'),
    # amounts in 万 are not converted (read as missing)
    "coerce_types_answer": coerce_robust(wan=False),
    # only the age rule
    "validity_rules_answer": rules_with('d["age"].between(18, 70)', "True", "True"),
    # counts, not shares
    "group_shares_answer": SOLUTION_SHARES.replace(".mean()", ".sum()"),
}

WRONG_3 = {
    # blanks are kept as empty strings
    "load_raw_answer": ('raw = pd.read_csv(RAW_PATH, dtype=str, keep_default_na=False, '
                        'na_values=["NA", "null", "?", "-", "未知", "99999999"])\n'),
    # only ISO dates parse, the other two forms become NaT
    "coerce_types_answer": coerce_robust(all_dates=False),
    # every copy of a repeated application dropped
    "remove_duplicates_answer": 'deduped = typed.drop_duplicates(subset="application_id", keep=False)\n',
    # a plain 1.5 x IQR rule blanks many genuine high incomes
    "treat_outliers_answer": treat_with(
        'income > income.quantile(0.75) + 1.5 * (income.quantile(0.75) - income.quantile(0.25))', "np.nan"),
    # the row index written as an extra column
    "save_clean_csv_answer": ('CLEAN_PATH = OUTPUT / "loan_applications_clean.csv"\n'
                              'filled.to_csv(CLEAN_PATH, encoding="utf-8")\n'),
}

WRONG_4 = {
    # full-width digits are not normalised (read as missing)
    "coerce_types_answer": coerce_robust(nfkc=False),
    # rows with any gap dropped along with the repeats
    "remove_duplicates_answer": 'deduped = typed.drop_duplicates(subset="application_id").dropna()\n',
    # amount == price is valid, but dropped
    "validity_rules_answer": rules_with('d["age"].between(18, 70)', 'd["amount"] < d["price"]',
                                        'd["seniority"] <= d["age"] - 14'),
    # case and padding only: Chinese words and abbreviations stay
    "unify_categories_answer": dedent('''\
        unified = treated.copy()
        for col in ["home", "marital", "records", "job"]:
            unified[col] = unified[col].str.strip().str.lower()
        '''),
    # >= instead of >
    "risk_labels_answer": labels_with(OR_RULE.replace(" > 0.9", " >= 0.9")),
}

WRONG_5 = {
    # records with an outlier dropped
    "treat_outliers_answer": dedent('''\
        wrong_unit = valid["income"] > 1000
        treated = valid[~wrong_unit].copy()
        '''),
    # 其他 in job mapped to the home code
    "unify_categories_answer": SOLUTION_UNIFY.replace('"兼职": "partime",\n            "其他": "others"',
                                                      '"兼职": "partime",\n            "其他": "other"'),
    # gaps filled with 0, not a statistic
    "fill_missing_answer": dedent('''\
        filled = unified.copy()
        for col in filled.select_dtypes("number").columns:
            filled[col] = filled[col].fillna(0)
        for col in ["home", "marital", "records", "job"]:
            filled[col] = filled[col].fillna(filled[col].mode()[0])
        '''),
    # where the high-risk applications fall (column shares), not the share within each group
    "group_shares_answer": ('high_risk_share = pd.crosstab(labelled["age_group"], labelled["risk_label"], '
                            'normalize="columns")["high"]\n'),
    # counts incomes beyond a rule it did not apply
    "quality_summary_answer": summary_with(
        outliers_treated="int((valid['income'] > valid['income'].quantile(0.75) + 3 * "
                         "(valid['income'].quantile(0.75) - valid['income'].quantile(0.25))).sum())"),
}

WRONG_6 = {
    # age 18 is valid, but dropped
    "validity_rules_answer": rules_with('(d["age"] > 18) & (d["age"] <= 70)', 'd["amount"] <= d["price"]',
                                        'd["seniority"] <= d["age"] - 14'),
    # a 99th-percentile cap: some mistyped incomes stay abnormal, normal ones are cut
    "treat_outliers_answer": treat_with('income > income.quantile(0.99)', "income.quantile(0.99)"),
    # gaps dropped instead of filled
    "fill_missing_answer": "filled = unified.dropna()\n",
    # no header row: the first record is read as the column names
    "save_clean_csv_answer": ('CLEAN_PATH = OUTPUT / "loan_applications_clean.csv"\n'
                              'filled.to_csv(CLEAN_PATH, index=False, header=False, encoding="utf-8")\n'),
    # capitalised labels
    "risk_labels_answer": labels_with(OR_RULE, high='"High"', low='"Low"'),
    # repeats counted as invalid too
    "quality_summary_answer": summary_with(invalid_rows_removed="len(typed) - len(valid)"),
}

WRONG_7 = {
    # age 70 is valid, but dropped
    "validity_rules_answer": rules_with('(d["age"] >= 18) & (d["age"] < 70)', 'd["amount"] <= d["price"]',
                                        'd["seniority"] <= d["age"] - 14'),
    # capped at Q3 + 3 x IQR of the raw incomes: genuine high incomes are cut too
    "treat_outliers_answer": treat_with(
        'income > income.quantile(0.75) + 3 * (income.quantile(0.75) - income.quantile(0.25))',
        'income.quantile(0.75) + 3 * (income.quantile(0.75) - income.quantile(0.25))'),
    # gaps filled here already, though the statement keeps them for Task 7
    "unify_categories_answer": SOLUTION_UNIFY + dedent('''\
        for col in CODES:
            unified[col] = unified[col].fillna(unified[col].mode()[0])
        '''),
    # left-closed bins
    "risk_labels_answer": labels_with(OR_RULE, right=False),
}

WRONG_8 = {
    # 岁 is not stripped (read as missing)
    "coerce_types_answer": coerce_robust(sui=False),
    # forward fill: neighbours' values, not a statistic
    "fill_missing_answer": "filled = unified.ffill()\n",
    # the unfilled frame saved
    "save_clean_csv_answer": ('CLEAN_PATH = OUTPUT / "loan_applications_clean.csv"\n'
                              'unified.to_csv(CLEAN_PATH, index=False, encoding="utf-8")\n'),
    # divided by all applications, not the group's size
    "group_shares_answer": SOLUTION_SHARES.replace(".mean()", ".sum() / len(labelled)"),
    # identical rows only, not repeated applications
    "quality_summary_answer": summary_with(duplicate_rows_removed="int(typed.duplicated().sum())"),
}

CASES = [
    Case("pandas-defaults", "alternative", ALT_DEFAULTS),
    Case("functions", "alternative", ALT_FUNCTIONS),
    Case("tools-and-caps", "alternative", ALT_TOOLS),
    Case("default-read-identical-rows-seniority-tenth-and", "wrong", WRONG_1, loses={
        "load_raw": "pandas' default markers", "remove_duplicates": "identical rows only",
        "validity_rules": "seniority strict", "treat_outliers": "divided by 10",
        "risk_labels": "AND instead of OR"}),
    Case("no-sentinel-no-wan-age-only-counts", "wrong", WRONG_2, loses={
        "load_raw": "income sentinel kept", "coerce_types": "万 not converted",
        "validity_rules": "only the age rule", "group_shares": "counts"}),
    Case("blanks-iso-dates-keep-none-iqr-index", "wrong", WRONG_3, loses={
        "load_raw": "blanks kept", "coerce_types": "two date forms lost",
        "remove_duplicates": "keep=False", "treat_outliers": "1.5 IQR blanks normal incomes",
        "save_clean_csv": "index column"}),
    Case("fullwidth-dropna-strict-lower-ge", "wrong", WRONG_4, loses={
        "coerce_types": "full-width digits", "remove_duplicates": "rows with gaps dropped",
        "validity_rules": "amount == price dropped", "unify_categories": "Chinese spellings left",
        "risk_labels": ">= instead of >"}),
    Case("drop-outliers-other-zeros-columns-count", "wrong", WRONG_5, loses={
        "treat_outliers": "records dropped", "unify_categories": "job 其他 -> other",
        "fill_missing": "zeros", "group_shares": "column shares", "quality_summary": "outliers miscounted"}),
    Case("age18-p99-dropna-headerless-capitalised-invalid", "wrong", WRONG_6, loses={
        "validity_rules": "age 18 dropped", "treat_outliers": "99th percentile cap",
        "fill_missing": "rows dropped", "save_clean_csv": "no header row",
        "risk_labels": "capitalised labels", "quality_summary": "repeats counted as invalid"}),
    Case("age70-iqr-cap-early-fill-left-bins", "wrong", WRONG_7, loses={
        "validity_rules": "age 70 dropped", "treat_outliers": "cap at raw Q3 + 3 IQR",
        "unify_categories": "gaps filled early", "risk_labels": "left-closed bins"}),
    Case("sui-ffill-unfilled-file-total-identical", "wrong", WRONG_8, loses={
        "coerce_types": "岁 left", "fill_missing": "forward fill", "save_clean_csv": "unfilled frame saved",
        "group_shares": "divided by all", "quality_summary": "identical rows counted"}),
]
