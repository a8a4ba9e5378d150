"""The data-cleaning checks accept every correct approach and reject wrong ones, without crashing."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from graders import data_cleaning as q
from graders.checking import CheckFailed
from trainerlab.datagen import loan_applications as la
from trainerlab.paths import dataset_file

RAW = dataset_file("loan_applications", "loan_applications_raw.csv")
MARKERS = ["", "NA", "null", "?", "-", "未知", "99999999"]
CODES = {
    "home": {"自有住房": "owner", "租房": "rent", "与父母同住": "parents", "其他": "other"},
    "marital": {"m": "married", "已婚": "married", "s": "single", "未婚": "single",
                "分居": "separated", "丧偶": "widow", "离异": "divorced"},
    "records": {"y": "yes", "是": "yes", "n": "no", "否": "no"},
    "job": {"固定": "fixed", "自由职业": "freelance", "part-time": "partime", "兼职": "partime",
            "其他": "others"},
}


def _number(text: object) -> float:
    if pd.isna(text):
        return np.nan
    text = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "").replace("岁", "")
    return float(text[:-1]) * 10000 if text.endswith("万") else float(text)


def reference_pipeline(path: Path = RAW) -> dict[str, object]:
    """The lab's own approach, step by step."""
    out: dict[str, object] = {}
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=MARKERS)
    typed = raw.copy()
    for col in la.NUMERIC:
        typed[col] = typed[col].map(_number).astype("float64").round(2)
    dates = typed["apply_date"].str.replace(r"[年月/]", "-", regex=True).str.replace("日", "")
    typed["apply_date"] = pd.to_datetime(dates, format="%Y-%m-%d")
    deduped = typed.drop_duplicates(subset="application_id")
    broken = (~deduped["age"].between(18, 70) | (deduped["amount"] > deduped["price"])
              | (deduped["seniority"] > deduped["age"] - 14))
    valid = deduped[~broken]
    treated = valid.copy()
    wrong = treated["income"] > 1000
    treated.loc[wrong, "income"] /= 100
    unified = treated.copy()
    for col, mapping in CODES.items():
        unified[col] = unified[col].str.strip().str.lower().replace(mapping)
    filled = unified.copy()
    for col in la.NUMERIC:
        filled[col] = filled[col].fillna(filled[col].median())
    for col in la.CATEGORICAL:
        filled[col] = filled[col].fillna(filled[col].mode()[0])
    labelled = filled.copy()
    high = (labelled["records"] == "yes") | (labelled["amount"] > 0.9 * labelled["price"])
    labelled["risk_label"] = np.where(high, "high", "low")
    labelled["age_group"] = pd.cut(labelled["age"], bins=la.AGE_BINS, labels=la.AGE_LABELS)
    share = (labelled["risk_label"] == "high").groupby(labelled["age_group"], observed=False).mean()
    out.update(raw=raw, typed=typed, deduped=deduped, valid=valid, treated=treated, unified=unified,
               filled=filled, labelled=labelled, share=share)
    out["summary"] = {"rows_raw": len(raw), "duplicate_rows_removed": len(typed) - len(deduped),
                      "invalid_rows_removed": len(deduped) - len(valid),
                      "outliers_treated": int(wrong.sum()), "rows_clean": len(filled)}
    return out


def alternative_pipeline() -> dict[str, object]:
    """Another valid approach: replace markers after reading, regex parsing, IQR blanking,
    'unknown' for categories, mean fills, labels via apply, shares via crosstab."""
    raw = pd.read_csv(RAW, dtype=str, keep_default_na=False)
    raw = raw.replace({m: np.nan for m in MARKERS})
    typed = raw.copy()
    for col in la.NUMERIC:
        text = typed[col].map(lambda v: unicodedata.normalize("NFKC", v) if isinstance(v, str) else v)
        wan = text.str.contains("万", na=False)
        number = pd.to_numeric(text.str.replace(r"[^0-9.]", "", regex=True), errors="coerce")
        typed[col] = (number.where(~wan, number * 10000)).round(2)
    typed["apply_date"] = typed["apply_date"].map(
        lambda s: pd.Timestamp(*map(int, re.findall(r"\d+", s))))
    deduped = typed.groupby("application_id", sort=False).head(1)
    rules = pd.DataFrame({"age": deduped["age"].between(18, 70),
                          "loan": deduped["amount"] <= deduped["price"],
                          "job": deduped["seniority"] <= deduped["age"] - 14})
    valid = deduped[rules.all(axis=1)]
    q1, q3 = valid["income"].quantile([0.25, 0.75])
    treated = valid.copy()
    outlier = treated["income"] > q3 + 3 * (q3 - q1)
    treated.loc[outlier, "income"] = np.nan
    unified = treated.copy()
    for col, mapping in CODES.items():
        unified[col] = unified[col].map(lambda v, m=mapping: m.get(v.strip().lower(), v.strip().lower())
                                        if isinstance(v, str) else v)
    filled = unified.copy()
    filled[la.NUMERIC] = filled[la.NUMERIC].fillna(filled[la.NUMERIC].mean())
    filled[la.CATEGORICAL] = filled[la.CATEGORICAL].fillna("unknown")
    labelled = filled.copy()
    labelled["risk_label"] = labelled.apply(
        lambda r: "high" if r["records"] == "yes" or r["amount"] > 0.9 * r["price"] else "low", axis=1)
    labelled["age_group"] = pd.cut(labelled["age"], [17, 25, 35, 45, 55, 70],
                                   labels=la.AGE_LABELS).astype(str)
    share = pd.crosstab(labelled["age_group"], labelled["risk_label"], normalize="index")["high"].to_dict()
    summary = {"rows_raw": len(raw), "duplicate_rows_removed": len(typed) - len(deduped),
               "invalid_rows_removed": len(deduped) - len(valid),
               "outliers_treated": int(outlier.sum()), "rows_clean": len(filled)}
    return dict(raw=raw, typed=typed, deduped=deduped, valid=valid, treated=treated,
                unified=unified, filled=filled, labelled=labelled, share=share, summary=summary)


@pytest.fixture(scope="module", params=["reference", "alternative"])
def solved(request: pytest.FixtureRequest) -> dict[str, object]:
    return reference_pipeline() if request.param == "reference" else alternative_pipeline()


@pytest.fixture(scope="module")
def ref() -> dict[str, object]:
    return reference_pipeline()


def _full(task: q.Task, answer: object) -> bool:
    return task.grade(answer) == pytest.approx(task.points)


def _grade_all(s: dict, tmp_path: Path) -> None:
    path = tmp_path / "clean.csv"
    s["filled"].to_csv(path, index=False)
    pairs = [(q.load, s["raw"]), (q.coerce, s["typed"]), (q.dedupe, s["deduped"]),
             (q.rules, s["valid"]), (q.outliers, s["treated"]), (q.categories, s["unified"]),
             (q.missing, s["filled"]), (q.saved, path), (q.labels, s["labelled"]),
             (q.shares, (s["share"], s["labelled"])), (q.summary, s["summary"])]
    for task, answer in pairs:
        assert _full(task, answer), task.grade_id
        task.check(answer)  # the visible check passes too


def test_correct_approaches_score_full(solved: dict, tmp_path: Path) -> None:
    _grade_all(solved, tmp_path)


def test_a_per_student_variant_is_graded_against_its_own_truth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAINERLAB_SEED", "5")
    path = q.raw_path()
    assert path != RAW and not pd.read_csv(path).equals(pd.read_csv(RAW))
    variant = reference_pipeline(path)
    _grade_all(variant, tmp_path)
    # the default variant's answers do not fit this student's data
    assert q.rules.grade(reference_pipeline()["valid"]) < q.rules.points


def test_lab_registry_points() -> None:
    assert q.LAB.points >= 25 and len(q.LAB.tasks) >= 6
    assert all(t.points > 0 for t in q.LAB.tasks)


@pytest.mark.parametrize("task", [t for t in q.LAB.tasks if isinstance(t, q.Task)],
                         ids=lambda t: t.grade_id)
@pytest.mark.parametrize("bad", [None, [1, 2, 3], "text", pd.DataFrame({"x": [1]}), 42])
def test_missing_or_malformed_answers_fail_clearly(task: q.Task, bad: object,
                                                   capsys: pytest.CaptureFixture) -> None:
    assert task.grade(bad) == 0
    with pytest.raises(CheckFailed):
        task.check(bad)
    out = capsys.readouterr().out
    assert "/" in out and re.search(r"[\u4e00-\u9fff]", out), "feedback must be bilingual"
    if bad is None:
        assert "尚未作答" in out and "Not attempted" in out


def test_load_without_custom_markers_is_partial(ref: dict) -> None:
    plain = pd.read_csv(RAW)  # pandas' defaults miss ?, -, 未知 and the sentinel
    assert q.load.grade(plain) == pytest.approx(1)
    assert q.load.grade(plain.iloc[:-5]) == 0


def test_coerce_wrong_units_and_dates(ref: dict) -> None:
    typed = ref["typed"].copy()
    typed.loc[typed.index[:50], "amount"] = typed["amount"].iloc[:50] / 10000  # forgot 万
    assert 0 < q.coerce.grade(typed) < q.coerce.points
    assert q.coerce.grade(ref["raw"]) == pytest.approx(0.5)  # still text: only the row count holds


def test_dedupe_partial_and_wrong(ref: dict) -> None:
    only_identical = ref["typed"].drop_duplicates()  # misses re-entries formatted differently
    assert q.dedupe.grade(only_identical) == pytest.approx(1)
    assert q.dedupe.grade(ref["deduped"].iloc[10:]) == pytest.approx(1)
    assert q.dedupe.evaluate(ref["typed"]).status != "correct"


def test_rules_partial_and_overzealous(ref: dict) -> None:
    d = ref["deduped"]
    age_only = d[d["age"].between(18, 70)]
    assert q.rules.grade(age_only) == pytest.approx(2)  # age rule + nothing valid lost
    strict = d[d["age"].between(18, 70) & (d["amount"] < d["price"])
               & (d["seniority"] <= d["age"] - 14)]
    assert q.rules.grade(strict) == pytest.approx(3)  # valid records with amount == price lost


def test_outlier_treatments(ref: dict) -> None:
    assert q.outliers.grade(ref["valid"]) == pytest.approx(1.5)  # untreated
    capped = ref["valid"].copy()
    capped["income"] = capped["income"].clip(upper=capped["income"].quantile(0.95))
    assert q.outliers.grade(capped) == pytest.approx(q.outliers.points)
    # more than 1 % are mistyped, so a 99th-percentile cap leaves some of them abnormal
    capped_too_high = ref["valid"].copy()
    capped_too_high["income"] = capped_too_high["income"].clip(
        upper=capped_too_high["income"].quantile(0.99))
    assert q.outliers.grade(capped_too_high) == pytest.approx(1.5)
    too_broad = ref["valid"].copy()
    too_broad["income"] = too_broad["income"].clip(upper=too_broad["income"].median())
    assert q.outliers.grade(too_broad) == pytest.approx(2)
    dropped = ref["valid"][ref["valid"]["income"] <= 1000]
    assert q.outliers.grade(dropped) < q.outliers.points


def test_categories_partial(ref: dict) -> None:
    lower_only = ref["treated"].copy()
    for col in la.CATEGORICAL:
        lower_only[col] = lower_only[col].str.strip().str.lower()
    assert 0 <= q.categories.grade(lower_only) < q.categories.points
    wrong = ref["unified"].copy()
    wrong["records"] = wrong["records"].replace({"yes": "no"})
    assert q.categories.grade(wrong) == pytest.approx(2.25)


def test_missing_fills(ref: dict) -> None:
    assert q.missing.grade(ref["unified"]) == 0  # gaps left: nothing filled, nothing earned
    zeros = ref["unified"].copy()
    zeros[la.NUMERIC] = zeros[la.NUMERIC].fillna(-1)
    zeros[la.CATEGORICAL] = zeros[la.CATEGORICAL].fillna("other")
    assert q.missing.grade(zeros) == pytest.approx(1)  # no gaps, but bad fills
    with pytest.raises(CheckFailed):
        q.missing.check(ref["unified"])


def test_saved_file_faults(ref: dict, tmp_path: Path) -> None:
    with_index = tmp_path / "with_index.csv"
    ref["filled"].to_csv(with_index)
    assert q.saved.grade(with_index) == pytest.approx(1.5)
    gbk = tmp_path / "gbk.csv"
    ref["raw"].to_csv(gbk, index=False, encoding="gbk")
    assert q.saved.grade(gbk) == 0
    assert q.saved.grade(tmp_path / "missing.csv") == 0
    assert q.saved.grade(tmp_path / "clean.txt") == 0


def test_labels_and_shares_wrong(ref: dict) -> None:
    lab = ref["labelled"].copy()
    lab["risk_label"] = np.where(lab["records"] == "yes", "high", "low")  # AND/OR rule half done
    assert q.labels.grade(lab) == pytest.approx(1)
    shifted = ref["labelled"].copy()
    shifted["age_group"] = pd.cut(shifted["age"], bins=la.AGE_BINS, labels=la.AGE_LABELS, right=False)
    assert q.labels.grade(shifted) == pytest.approx(1.5)
    counts = (ref["labelled"]["risk_label"] == "high").groupby(ref["labelled"]["age_group"],
                                                               observed=False).sum()
    assert q.shares.grade((counts, ref["labelled"])) == 0  # counts, not shares
    half = ref["share"] / 2
    assert q.shares.grade((half, ref["labelled"])) == pytest.approx(0.5)


def test_summary_wrong_figures(ref: dict) -> None:
    wrong = dict(ref["summary"], duplicate_rows_removed=0)
    assert q.summary.grade(wrong) == pytest.approx(0.5)
    assert q.summary.grade({"rows_raw": 1}) == 0


def test_feedback_never_reveals_expected_values(ref: dict, capsys: pytest.CaptureFixture) -> None:
    t = q.truth()
    wrong = dict(ref["summary"], rows_clean=1)
    q.summary.grade(wrong)
    q.rules.grade(ref["deduped"])
    out = capsys.readouterr().out
    assert str(len(t.valid_ids)) not in out and str(t.duplicate_rows) not in out


def test_hints_are_progressive(capsys: pytest.CaptureFixture) -> None:
    task = q.Task("x", "2.1", "L3", q.Msg("题", "task"), [],
                  hints=[q.Msg("一", "one"), q.Msg("二", "two")])
    task.hint()
    task.hint()
    task.hint()
    out = capsys.readouterr().out.splitlines()
    assert "one" in out[0] and "two" in out[1] and "two" in out[2]
