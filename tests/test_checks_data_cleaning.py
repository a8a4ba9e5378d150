"""The data-cleaning checks accept every correct approach and reject wrong ones, without crashing."""

from __future__ import annotations

import re
import tempfile
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
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=MARKERS)
    typed = raw.copy()
    for col in la.NUMERIC:
        typed[col] = typed[col].map(_number).astype("float64").round(2)
    dates = typed["apply_date"].str.replace(r"[年月/]", "-", regex=True).str.replace("日", "")
    typed["apply_date"] = pd.to_datetime(dates, format="%Y-%m-%d")
    deduped = typed.drop_duplicates(subset="application_id")
    out: dict[str, object] = dict(raw=raw, typed=typed, **_downstream(deduped))
    out["summary"] = {"rows_raw": len(raw), "duplicate_rows_removed": len(typed) - len(deduped),
                      "invalid_rows_removed": len(deduped) - len(out["valid"]),
                      "outliers_treated": int((out["valid"]["income"] > 1000).sum()),
                      "rows_clean": len(out["filled"])}
    return out


def alternative_pipeline() -> dict[str, object]:
    """Another valid approach: replace markers after reading, regex parsing, log-IQR blanking,
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
    valid, violations = deduped[rules.all(axis=1)], deduped[~rules.all(axis=1)]
    q1, q3 = np.log10(valid["income"]).quantile([0.25, 0.75])
    treated = valid.copy()
    outlier = np.log10(treated["income"]) > q3 + 3 * (q3 - q1)
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
    return dict(raw=raw, typed=typed, deduped=deduped, valid=valid, violations=violations, treated=treated,
                unified=unified, filled=filled, labelled=labelled, share=share, summary=summary)


@pytest.fixture(scope="module", params=["reference", "alternative"])
def solved(request: pytest.FixtureRequest) -> dict[str, object]:
    return reference_pipeline() if request.param == "reference" else alternative_pipeline()


@pytest.fixture(scope="module")
def ref() -> dict[str, object]:
    return reference_pipeline()


def _full(task: q.Task, answer: object) -> bool:
    return task.grade(answer) == pytest.approx(task.points)


def _answers(s: dict, path: Path) -> list[tuple[q.Task, object]]:
    """Each task's answer as the notebook's test cells pass it (with the learner's upstream results)."""
    return [(q.load, s["raw"]), (q.coerce, (s["typed"], s["raw"])), (q.dedupe, (s["deduped"], s["typed"])),
            (q.rules, (s["valid"], s["violations"], s["deduped"])), (q.outliers, (s["treated"], s["valid"])),
            (q.categories, (s["unified"], s["treated"])), (q.missing, (s["filled"], s["unified"])),
            (q.saved, (path, s["filled"])), (q.labels, s["labelled"]),
            (q.shares, (s["share"], s["labelled"])),
            (q.summary, (s["summary"], s["raw"], s["typed"], s["deduped"], s["valid"], s["treated"],
                         s["filled"]))]


def _grade_all(s: dict, tmp_path: Path) -> None:
    path = tmp_path / "clean.csv"
    s["filled"].to_csv(path, index=False)
    for task, answer in _answers(s, path):
        assert _full(task, answer), task.grade_id
        task.check(answer)  # the self-check passes too


def test_correct_approaches_score_full(solved: dict, tmp_path: Path) -> None:
    _grade_all(solved, tmp_path)


def test_a_per_student_variant_is_graded_against_its_own_truth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAINERLAB_SEED", "5")
    # the variant cache is shared by every checkout on this machine and not keyed by the generator's
    # version: write this checkout's variant into a folder of its own
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    path = q.raw_path()
    assert path != RAW and not pd.read_csv(path).equals(pd.read_csv(RAW))
    variant = reference_pipeline(path)
    _grade_all(variant, tmp_path)
    # the default variant's answers do not fit this student's data
    assert q.load.grade(reference_pipeline()["raw"]) < q.load.points


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


def test_load_without_custom_markers_is_partial_and_the_self_check_says_so(ref: dict) -> None:
    plain = pd.read_csv(RAW)  # pandas' defaults miss ?, -, 未知 and the sentinel
    assert q.load.grade(plain) == pytest.approx(1)
    with pytest.raises(CheckFailed):
        q.load.check(plain)
    assert q.load.grade(plain.iloc[:-5]) == 0


def test_coerce_wrong_units_and_dates(ref: dict) -> None:
    typed = ref["typed"].copy()
    typed.loc[typed.index[:50], "amount"] = typed["amount"].iloc[:50] / 10000  # forgot 万
    assert 0 < q.coerce.grade((typed, ref["raw"])) < q.coerce.points
    assert q.coerce.grade((ref["raw"], ref["raw"])) == pytest.approx(0.5)  # still text: only the rows hold


def test_coerce_accepts_any_row_order_and_index(ref: dict) -> None:
    # old check: compared by position, so sorted rows lost every number and date
    shuffled = ref["typed"].sample(frac=1, random_state=1).reset_index(drop=True)
    assert _full(q.coerce, (shuffled, ref["raw"]))


def test_coerce_is_judged_on_the_learners_raw(ref: dict) -> None:
    # Task 1 kept the income sentinel: Task 1 loses for it, Task 2 does not (old check: both lost)
    markers = ["", "NA", "null", "?", "-", "未知"]
    raw = pd.read_csv(RAW, dtype=str, keep_default_na=False, na_values=markers)
    typed = raw.copy()
    for col in la.NUMERIC:
        typed[col] = typed[col].map(_number).astype("float64").round(2)
    typed["apply_date"] = ref["typed"]["apply_date"]
    assert q.load.grade(raw) < q.load.points
    assert _full(q.coerce, (typed, raw))


def test_dedupe_partial_and_wrong(ref: dict) -> None:
    typed = ref["typed"]
    only_identical = typed.drop_duplicates()  # misses re-entries formatted differently
    assert q.dedupe.grade((only_identical, typed)) == pytest.approx(1)
    assert q.dedupe.grade((ref["deduped"].iloc[10:], typed)) == pytest.approx(1)
    assert q.dedupe.grade((typed.drop_duplicates("application_id", keep=False), typed)) == pytest.approx(1)
    assert q.dedupe.evaluate((typed, typed)).status != "correct"


def test_a_dedupe_slip_costs_points_once(ref: dict, tmp_path: Path) -> None:
    # old checks: identical-rows-only de-duplication cost 11 points across 6 later cells
    s = dict(ref)
    typed = ref["typed"]
    deduped = typed.drop_duplicates()
    s.update(_downstream(deduped))
    s["summary"] = dict(s["summary"], duplicate_rows_removed=len(typed) - len(deduped),
                        invalid_rows_removed=len(deduped) - len(s["valid"]), rows_clean=len(s["filled"]),
                        outliers_treated=int((s["valid"]["income"] > 1000).sum()))
    path = tmp_path / "clean.csv"
    s["filled"].to_csv(path, index=False)
    lost = {t.grade_id for t, a in _answers(s, path) if not _full(t, a)}
    assert lost == {"remove_duplicates"}


def _downstream(deduped: pd.DataFrame) -> dict[str, object]:
    """The reference steps after de-duplication, run on ``deduped``."""
    broken = (~deduped["age"].between(18, 70) | (deduped["amount"] > deduped["price"])
              | (deduped["seniority"] > deduped["age"] - 14))
    valid, violations = deduped[~broken], deduped[broken]
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
    return dict(deduped=deduped, valid=valid, violations=violations, treated=treated, unified=unified,
                filled=filled, labelled=labelled, share=share)


def test_a_coercion_slip_does_not_cost_the_rules(ref: dict) -> None:
    # ages written "30岁" read as missing: undecidable for the age rule, either way is accepted
    deduped = ref["deduped"].copy()
    deduped.loc[deduped.index[:40], "age"] = np.nan
    s = _downstream(deduped)
    assert _full(q.rules, (s["valid"], s["violations"], deduped))
    kept = deduped[deduped["age"].isna() | ~deduped.index.isin(s["violations"].index)]
    assert _full(q.rules, (kept, deduped.drop(index=kept.index), deduped))


def _split(d: pd.DataFrame, keep: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return d[keep], d[~keep], d


def test_rules_partial_and_overzealous(ref: dict) -> None:
    d = ref["deduped"]
    assert q.rules.grade(_split(d, d["age"].between(18, 70))) == pytest.approx(2)  # age rule + none lost
    with pytest.raises(CheckFailed):  # old self-check: "passed" for one rule of three
        q.rules.check(_split(d, d["age"].between(18, 70)))
    strict = d["age"].between(18, 70) & (d["amount"] < d["price"]) & (d["seniority"] <= d["age"] - 14)
    assert q.rules.grade(_split(d, strict)) == pytest.approx(3)  # valid records with amount == price lost


def test_the_data_tells_inclusive_age_bounds_from_exclusive_ones(ref: dict) -> None:
    # old data: no valid applicant was 70, so `age < 70` scored full
    d = ref["deduped"]
    assert (ref["valid"]["age"] == 70).sum() >= 1 and (ref["valid"]["age"] == 18).sum() >= 1
    for wrong in (d["age"].between(18, 70, inclusive="left"), d["age"].between(18, 70, inclusive="right")):
        keep = wrong & (d["amount"] <= d["price"]) & (d["seniority"] <= d["age"] - 14)
        assert q.rules.grade(_split(d, keep)) == pytest.approx(3)


def test_violations_must_hold_the_other_records(ref: dict) -> None:
    v, d = ref["valid"], ref["deduped"]
    assert q.rules.grade((v, d.iloc[:0], d)) == pytest.approx(3)
    assert q.rules.grade((v, d, d)) == pytest.approx(3)


def _outlier_grade(ref: dict, treated: pd.DataFrame) -> float:
    return q.outliers.grade((treated, ref["valid"]))


def test_outlier_treatments(ref: dict) -> None:
    valid = ref["valid"]
    assert _outlier_grade(ref, valid) == pytest.approx(1.5)  # untreated
    for cap in (1000, 2000):  # capped at a detection threshold in the gap: full (old check: 1.5 of 3)
        assert _outlier_grade(ref, valid.assign(income=valid["income"].clip(upper=cap))) == pytest.approx(3)
    divided = valid.assign(income=np.where(valid["income"] > 1000, valid["income"] / 100, valid["income"]))
    shuffled = divided.sample(frac=1, random_state=2).reset_index(drop=True)
    assert _outlier_grade(ref, shuffled) == pytest.approx(3)
    # a 99th-percentile cap leaves some mistyped incomes abnormal
    p99 = valid.assign(income=valid["income"].clip(upper=valid["income"].quantile(0.99)))
    assert _outlier_grade(ref, p99) == pytest.approx(1.5)
    tenth = valid.assign(income=np.where(valid["income"] > 1000, valid["income"] / 10, valid["income"]))
    assert _outlier_grade(ref, tenth) == pytest.approx(1.5)
    dropped = valid[valid["income"].isna() | (valid["income"] <= 1000)]
    assert _outlier_grade(ref, dropped) == pytest.approx(2.5)


def test_an_iqr_rule_on_raw_incomes_changes_normal_ones(ref: dict) -> None:
    # old check: up to 10 % of normal incomes could change, so these scored full
    valid = ref["valid"]
    q1, q3 = valid["income"].quantile([0.25, 0.75])
    for k in (1.5, 3):
        limit = q3 + k * (q3 - q1)
        blanked = valid.assign(income=valid["income"].where(valid["income"] <= limit))
        assert _outlier_grade(ref, blanked) == pytest.approx(2)
    capped = valid.assign(income=valid["income"].clip(upper=q3 + 3 * (q3 - q1)))
    assert _outlier_grade(ref, capped) == pytest.approx(0.5)


def test_categories_partial(ref: dict) -> None:
    treated = ref["treated"]
    lower_only = treated.copy()
    for col in la.CATEGORICAL:
        lower_only[col] = lower_only[col].str.strip().str.lower()
    assert 0 <= q.categories.grade((lower_only, treated)) < q.categories.points
    wrong = ref["unified"].copy()
    wrong["records"] = wrong["records"].replace({"yes": "no"})
    assert q.categories.grade((wrong, treated)) == pytest.approx(2.25)


def test_categories_filled_early_lose(ref: dict) -> None:
    # old check: gaps filled in Task 6 passed though the statement keeps them for Task 7
    early = ref["unified"].copy()
    early[la.CATEGORICAL] = early[la.CATEGORICAL].fillna("unknown")
    assert q.categories.grade((early, ref["treated"])) < q.categories.points


def test_categories_are_judged_on_the_learners_treated(ref: dict) -> None:
    # Task 1 kept "未知" as a value: leaving it or blanking it here is no Task 6 mistake
    treated = ref["treated"].copy()
    gaps = treated["job"].isna()
    treated.loc[gaps, "job"] = "未知"
    unified = ref["unified"].copy()
    assert _full(q.categories, (unified, treated))
    unified.loc[gaps, "job"] = "未知"
    assert _full(q.categories, (unified.sample(frac=1, random_state=3), treated))


def test_outliers_name_the_task_to_fix_when_nothing_can_be_judged(ref: dict,
                                                                  capsys: pytest.CaptureFixture) -> None:
    valid = ref["valid"][~ref["valid"]["application_id"].isin(q.truth().unit_errors)]
    assert q.outliers.grade((valid, valid)) == pytest.approx(0.5)
    assert "Task 4" in capsys.readouterr().out


def test_missing_fills(ref: dict) -> None:
    unified = ref["unified"]
    assert q.missing.grade((unified, unified)) == 0  # gaps left: nothing filled, nothing earned
    zeros = unified.copy()
    zeros[la.NUMERIC] = zeros[la.NUMERIC].fillna(-1)
    zeros[la.CATEGORICAL] = zeros[la.CATEGORICAL].fillna("other")
    assert q.missing.grade((zeros, unified)) == pytest.approx(1)  # no gaps, but bad fills
    with pytest.raises(CheckFailed):
        q.missing.check((unified, unified))
    rounded = unified.copy()
    rounded[la.NUMERIC] = rounded[la.NUMERIC].fillna(unified[la.NUMERIC].mean().round())
    rounded[la.CATEGORICAL] = rounded[la.CATEGORICAL].fillna("unknown")
    assert _full(q.missing, (rounded.sort_values("application_id").reset_index(drop=True), unified))


def test_a_column_lost_upstream_names_task_2_and_prints_nothing_to_stderr(
        ref: dict, capfd: pytest.CaptureFixture) -> None:
    unified = ref["unified"].assign(income=np.nan)  # every income misparsed in Task 2
    filled = ref["filled"].assign(income=0.0)
    assert q.missing.grade((filled, unified)) == pytest.approx(2)
    out, err = capfd.readouterr()
    assert "Task 2" in out and err == ""  # nbgrader zeroes a test cell that writes to stderr


def test_forward_fill_and_dropped_rows_lose(ref: dict) -> None:
    # old check: any fill within the column's range passed, and dropping rows passed
    unified = ref["unified"]
    assert q.missing.grade((unified.ffill(), unified)) == pytest.approx(1)
    assert q.missing.grade((unified.dropna(), unified)) == pytest.approx(2)


def test_saved_file_faults(ref: dict, tmp_path: Path) -> None:
    filled = ref["filled"]
    with_index = tmp_path / "with_index.csv"
    filled.to_csv(with_index)
    assert q.saved.grade((with_index, filled)) == pytest.approx(1.5)
    gbk = tmp_path / "gbk.csv"
    ref["raw"].to_csv(gbk, index=False, encoding="gbk")
    assert q.saved.grade((gbk, filled)) == 0
    assert q.saved.grade((tmp_path / "missing.csv", filled)) == 0
    assert q.saved.grade((tmp_path / "clean.txt", filled)) == 0
    with_bom = tmp_path / "with_bom.csv"  # UTF-8 with a byte-order mark, as Excel likes it
    filled.to_csv(with_bom, index=False, encoding="utf-8-sig")
    assert _full(q.saved, (with_bom, filled))
    shuffled = tmp_path / "shuffled.csv"
    filled.sample(frac=1, random_state=4).to_csv(shuffled, index=False)
    assert _full(q.saved, (shuffled, filled))
    unfilled = tmp_path / "unfilled.csv"
    ref["unified"].to_csv(unfilled, index=False)
    assert q.saved.grade((unfilled, filled)) == pytest.approx(1.5)


def test_labels_and_shares_wrong(ref: dict) -> None:
    lab = ref["labelled"].copy()
    lab["risk_label"] = np.where(lab["records"] == "yes", "high", "low")  # AND/OR rule half done
    assert q.labels.grade(lab) == pytest.approx(1)
    shifted = ref["labelled"].copy()
    shifted["age_group"] = pd.cut(shifted["age"], bins=la.AGE_BINS, labels=la.AGE_LABELS, right=False)
    assert q.labels.grade(shifted) == pytest.approx(1.5)
    labelled = ref["labelled"]
    high = labelled["risk_label"] == "high"
    counts = high.groupby(labelled["age_group"], observed=False).sum()
    assert q.shares.grade((counts, labelled)) == 0  # counts, not shares
    assert q.shares.grade((counts / high.sum(), labelled)) == pytest.approx(0.5)  # where high risk falls
    assert q.shares.grade((ref["share"] / 2, labelled)) == pytest.approx(0.5)
    assert _full(q.shares, (ref["share"].round(3), labelled))


def _summary_answer(s: dict, **changes: object) -> tuple:
    return (dict(s["summary"], **changes), s["raw"], s["typed"], s["deduped"], s["valid"], s["treated"],
            s["filled"])


def test_summary_wrong_figures(ref: dict) -> None:
    assert q.summary.grade(_summary_answer(ref, duplicate_rows_removed=0)) == pytest.approx(0.5)
    assert q.summary.grade(({"rows_raw": 1}, *_summary_answer(ref)[1:])) == 0
    # old check: any count from the true number up to 10 % of the rows passed
    assert q.summary.grade(_summary_answer(ref, outliers_treated=ref["summary"]["outliers_treated"] + 14)) \
        == pytest.approx(0.5)


def test_feedback_never_reveals_expected_values(ref: dict, capsys: pytest.CaptureFixture) -> None:
    t = q.truth()
    wrong = dict(ref["summary"], rows_clean=1)
    q.summary.grade((wrong, *_summary_answer(ref)[1:]))
    q.rules.grade((ref["deduped"], ref["deduped"].iloc[:0], ref["deduped"]))
    out = capsys.readouterr().out
    assert str(len(t.valid_ids)) not in out and str(t.duplicate_rows) not in out


def test_hints_are_progressive(capsys: pytest.CaptureFixture) -> None:
    task = q.Task("x", "2.1", "L3", q.Msg("题", "task"), [],
                  hints=[q.Msg("一", "one"), q.Msg("二", "two")])
    task.hint()
    task.hint()
    task.hint()
    out = capsys.readouterr().out.splitlines()
    hints = [line for line in out if "Hint" in line]
    assert "one" in hints[0] and "two" in hints[1] and "two" in hints[2]
    assert "solution()" in out[-1]  # after the last hint: the model answer, once tried
