"""Unit tests of the L2 release-gate lab's checks, in process: right answers of several forms earn
full points, each mistake loses the points of its criterion, odd input never crashes, and the
messages are bilingual and never give the expected value away."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import calibration_curve
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import brier_score_loss

from graders import evaluation_l2 as q
from graders.checking import CheckFailed
from trainerlab.datagen import claims_gate as cg
from trainerlab.paths import dataset_file

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def case() -> cg.GateCase:
    return q.gate_case()


@pytest.fixture(scope="module")
def score(case) -> np.ndarray:
    return case.new_model.predict_proba(case.X_golden)[:, 1]


@pytest.fixture(scope="module")
def y(case) -> np.ndarray:
    return case.y_golden.to_numpy()


def _lost(task, answer, capsys) -> tuple[float, str]:
    """Points lost by ``answer`` and the feedback printed."""
    earned = task.grade(answer)
    return task.points - earned, capsys.readouterr().out


def _feedback_is_bilingual(out: str) -> None:
    for line in (x for x in out.splitlines() if "✗" in x):
        assert CJK.search(line) and " / " in line, line


# --- Data -----------------------------------------------------------------------------------------


def test_committed_claims_are_the_generators_output(tmp_path: Path) -> None:
    written = cg.write_csv(tmp_path)
    assert written.read_bytes() == dataset_file(cg.DATASET, cg.CSV_NAME).read_bytes()


def test_other_seeds_give_another_table_of_the_same_design() -> None:
    table = cg.claims(7)
    assert table.groupby("split").size().to_dict() == cg.SPLITS
    assert not table.equals(cg.claims(cg.DEFAULT_SEED))
    assert set(table["region"]) == set(cg.REGIONS)


def test_the_default_data_tell_the_planted_effects_apart(case, score, y) -> None:
    metrics = q.gate_metrics(y, score)
    assert not all(q.passes(m, v) for m, v in metrics.items())  # the gate blocks before any fix
    slices = q.reference_slices(score)
    gaps = slices.groupby("column")["recall"].agg(lambda r: r.max() - r.min())
    fpr_gaps = slices.groupby("column")["fpr"].agg(lambda r: r.max() - r.min())
    assert gaps.idxmax() == "region" != fpr_gaps.idxmax()  # a gap over FPR names another column
    recall_only = slices[slices["recall"] < q.GATE["recall"][1]]
    either = slices[(slices["recall"] < q.GATE["recall"][1]) | (slices["fpr"] > q.GATE["fpr"][1])]
    assert len(either) > len(recall_only)
    assert not q.reference_invariance(case.new_model, case.X_golden)  # the leaked gender shows


@pytest.mark.parametrize("kind", list(q.BEHAVIOURS))
def test_every_behaviour_has_probes_that_pass_and_probes_that_fail(kind) -> None:
    reference = q.BEHAVIOURS[kind][1]
    verdicts = {reference(model, q._probe_rows(kind).copy()) for model in q.probes(kind)}
    assert verdicts == {True, False}


# --- Task 1 ---------------------------------------------------------------------------------------


def _gate_answer(score, y, *, brier_direction=None):
    values = q.gate_metrics(y, score)
    rows = {}
    for metric, (direction, limit) in q.GATE.items():
        direction = brier_direction if metric == "brier" and brier_direction else direction
        rows[metric] = {"value": values[metric], "limit": limit,
                        "passed": values[metric] >= limit if direction == ">=" else values[metric] <= limit}
    table = pd.DataFrame(rows).T.astype({"value": float, "limit": float, "passed": bool})
    return table, bool(table["passed"].all()), score


def test_gate_full_for_right_answers_in_any_row_order(case, score, y) -> None:
    table, ok, _ = _gate_answer(score, y)
    assert q.gate.grade((table, ok, score)) == q.gate.points
    shuffled = pd.Series(score, index=case.X_golden.index).sample(frac=1, random_state=0)
    assert q.gate.grade((table.iloc[::-1], ok, shuffled)) == q.gate.points
    q.gate.check((table, ok, list(score)))


def test_gate_mistakes_lose_their_points(score, y, capsys) -> None:
    table, ok, _ = _gate_answer(score, y, brier_direction=">=")
    lost, out = _lost(q.gate, (table, ok, score), capsys)
    assert lost == 1.5 and "<=" in out
    table, ok, _ = _gate_answer(score, y)
    assert _lost(q.gate, (table, not ok, score), capsys)[0] == 0.5
    lost, out = _lost(q.gate, (table, ok, 1 - score), capsys)
    assert lost >= 1 and "predict_proba" in out
    wrong_auc = table.copy()
    wrong_auc.loc["roc_auc", "value"] = 0.5
    lost, out = _lost(q.gate, (wrong_auc, ok, score), capsys)
    assert lost == 2 and "roc_auc" in out and f"{q.gate_metrics(y, score)['roc_auc']:.3f}" not in out
    _feedback_is_bilingual(out)


def test_gate_odd_answers_score_nothing_without_crashing(score, capsys) -> None:
    assert q.gate.grade((None, None, None)) == 0
    assert q.gate.grade(("table", True, score)) == 0
    with pytest.raises(CheckFailed):
        q.gate.check((pd.DataFrame({"value": [1]}), True, score))
    _feedback_is_bilingual(capsys.readouterr().out)


# --- Task 2 ---------------------------------------------------------------------------------------


def _slice_answer(score, *, gap_on="recall", fpr_too=True):
    table = q.reference_slices(score)
    gaps = table.groupby("column")[gap_on].agg(lambda r: r.max() - r.min())
    failing = table["recall"] < q.GATE["recall"][1]
    if fpr_too:
        failing |= table["fpr"] > q.GATE["fpr"][1]
    pairs = list(zip(table.loc[failing, "column"], table.loc[failing, "value"], strict=True))
    largest = {"column": gaps.idxmax(), "gap": float(table.groupby("column")["recall"].agg(
        lambda r: r.max() - r.min())[gaps.idxmax()])}
    return table, largest, pairs, score


def test_slices_full_and_each_mistake_loses(score, capsys) -> None:
    assert q.slices.grade(_slice_answer(score)) == q.slices.points
    assert _lost(q.slices, _slice_answer(score, gap_on="fpr"), capsys)[0] == 1.5
    assert _lost(q.slices, _slice_answer(score, fpr_too=False), capsys)[0] == 1.5
    table, largest, pairs, _ = _slice_answer(score)
    lost, out = _lost(q.slices, (table.drop(index=0), largest, pairs, score), capsys)
    assert lost >= 2
    _feedback_is_bilingual(out)


def test_slices_carry_a_wrong_task_1_score_forward(score, capsys) -> None:
    lost, out = _lost(q.slices, _slice_answer(score)[:3] + ("not scores",), capsys)
    assert lost == 2 and "任务 1" in out and "Task 1" in out


# --- Task 3 ---------------------------------------------------------------------------------------


def _platt(cal_scores, cal_labels, scores):
    from sklearn.linear_model import LogisticRegression

    def odds(s):
        s = np.clip(np.asarray(s, dtype=float), 1e-6, 1 - 1e-6)
        return np.log(s / (1 - s)).reshape(-1, 1)

    return LogisticRegression(C=1e6).fit(odds(cal_scores), cal_labels).predict_proba(odds(scores))[:, 1]


def _isotonic(cal_scores, cal_labels, scores):
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1)
    return iso.fit(cal_scores, cal_labels).predict(scores)


def _unchanged(cal_scores, cal_labels, scores):
    return np.asarray(scores)


def _calibration_answer(case, score, y, fn=_platt, *, fit_on_golden=False, strategy="uniform"):
    true, pred = calibration_curve(y, score, n_bins=10, strategy=strategy)
    reliability = pd.DataFrame({"mean_predicted": pred, "fraction_positive": true})
    if fit_on_golden:
        recal = fn(score, y, score)
    else:
        recal = fn(case.new_model.predict_proba(case.X_cal)[:, 1], case.y_cal, score)
    return brier_score_loss(y, score), reliability, fn, recal, brier_score_loss(y, recal), score


@pytest.mark.parametrize("fn", [_platt, _isotonic])
def test_calibration_full_for_platt_and_isotonic(case, score, y, fn) -> None:
    assert q.calibration.grade(_calibration_answer(case, score, y, fn)) == q.calibration.points


def test_calibration_mistakes_lose_their_points(case, score, y, capsys) -> None:
    assert _lost(q.calibration, _calibration_answer(case, score, y, fit_on_golden=True), capsys)[0] == 1
    assert _lost(q.calibration, _calibration_answer(case, score, y, _unchanged), capsys)[0] == 1.5
    assert _lost(q.calibration, _calibration_answer(case, score, y, strategy="quantile"), capsys)[0] == 1.5
    answer = list(_calibration_answer(case, score, y))
    answer[1] = answer[1].rename(columns={"mean_predicted": "fraction_positive",
                                          "fraction_positive": "mean_predicted"})
    lost, out = _lost(q.calibration, tuple(answer), capsys)
    assert lost == 1.5 and "swapped" in out
    answer[0] = brier_score_loss(y, score >= q.THRESHOLD)
    _feedback_is_bilingual(_lost(q.calibration, tuple(answer), capsys)[1])


def test_a_recalibration_that_raises_loses_points_without_crashing(case, score, y, capsys) -> None:
    def broken(cal_scores, cal_labels, scores):
        raise ValueError("boom")

    answer = list(_calibration_answer(case, score, y))
    answer[2] = broken
    lost, out = _lost(q.calibration, tuple(answer), capsys)
    assert lost == 2.5 and "ValueError" in out


# --- Task 4 ---------------------------------------------------------------------------------------


def _boot(score, y, *, replace=True, paired=True, rng_seed=2026, percents=(2.5, 97.5)):
    rng = np.random.default_rng(rng_seed)
    caught, fraud, n = score >= q.THRESHOLD, y == 1, len(y)
    out = np.empty(q.BOOT_RESAMPLES)
    for i in range(q.BOOT_RESAMPLES):
        idx = rng.integers(0, n, n) if replace else rng.permutation(n)
        other = idx if paired else rng.integers(0, n, n)
        out[i] = caught[other][fraud[idx]].mean()
    return out, tuple(np.percentile(out, percents)), score


@pytest.mark.parametrize("rng_seed", [2026, 1, 99])
def test_bootstrap_full_for_any_seeded_draw(score, y, rng_seed) -> None:
    assert q.bootstrap.grade(_boot(score, y, rng_seed=rng_seed)) == q.bootstrap.points


def test_bootstrap_mistakes_lose_their_points(score, y, capsys) -> None:
    assert _lost(q.bootstrap, _boot(score, y, replace=False), capsys)[0] == 4
    assert _lost(q.bootstrap, _boot(score, y, paired=False), capsys)[0] == 3
    lost, out = _lost(q.bootstrap, _boot(score, y, percents=(0.025, 0.975)), capsys)
    assert lost == 2.5 and "percent" in out
    assert _lost(q.bootstrap, _boot(score, y, percents=(5, 95)), capsys)[0] >= 1
    _feedback_is_bilingual(out)


# --- Task 5 ---------------------------------------------------------------------------------------


def _comparison(case, score, **changes):
    old = case.old_model.predict_proba(case.X_golden)[:, 1]
    b, c = q.discordant(old, score)
    p = q.exact_mcnemar(b, c)
    better = "none" if p >= q.ALPHA else ("new" if c > b else "old")
    return {"old_only": b, "new_only": c, "p_value": p, "better": better, **changes}, old, score


def test_comparison_full_and_each_mistake_loses(case, score, capsys) -> None:
    answer, old, _ = _comparison(case, score)
    assert q.comparison.grade((answer, old, score)) == q.comparison.points
    as_series = pd.Series(old, index=case.X_golden.index)
    assert q.comparison.grade((answer, as_series, score)) == q.comparison.points
    swapped = _comparison(case, score, old_only=answer["new_only"], new_only=answer["old_only"])
    lost, out = _lost(q.comparison, swapped, capsys)
    assert lost == 1.5 and "swapped" in out
    assert _lost(q.comparison, _comparison(case, score, p_value=answer["p_value"] * 1.1), capsys)[0] == 1.5
    other = next(v for v in q.VERDICTS if v != answer["better"])
    assert _lost(q.comparison, _comparison(case, score, better=other), capsys)[0] == 1
    lost, out = _lost(q.comparison, _comparison(case, score, better="maybe"), capsys)
    assert lost == q.comparison.points
    _feedback_is_bilingual(out)


# --- Task 6 ---------------------------------------------------------------------------------------


def _good_tests():
    def invariance(model, rows):
        swapped = rows.assign(gender=rows["gender"].map({"F": "M", "M": "F"}))
        gap = np.abs(model.predict_proba(swapped)[:, 1] - model.predict_proba(rows)[:, 1])
        return bool(gap.max() <= q.INVARIANCE_TOL)

    def directional(model, rows):
        more = rows.assign(prior_claims=rows["prior_claims"] + 1)
        return bool((model.predict_proba(more)[:, 1] >= model.predict_proba(rows)[:, 1]).all())

    def mft(model, cases):
        decided = model.predict_proba(cases.drop(columns="expected"))[:, 1] >= q.THRESHOLD
        return bool((decided == (cases["expected"] == 1)).all())

    return invariance, directional, mft


def _always_passes(model, rows):
    return True


def test_behaviour_full_for_right_tests_and_verdicts(case) -> None:
    tests = _good_tests()
    verdicts = {"invariance": tests[0](case.new_model, case.X_golden), "directional":
                tests[1](case.new_model, case.X_golden), "mft": tests[2](case.new_model, q.obvious_cases())}
    assert q.behaviour.grade((*tests, verdicts)) == q.behaviour.points


def test_behaviour_tests_that_cannot_fail_are_caught(capsys) -> None:
    verdicts = {"invariance": False, "directional": True, "mft": True}
    lost, out = _lost(q.behaviour, (_always_passes, _always_passes, _always_passes, verdicts), capsys)
    assert lost == 4.5 and "never fail" in out
    _feedback_is_bilingual(out)
    lost, _ = _lost(q.behaviour, (*_good_tests(), {**verdicts, "invariance": True}), capsys)
    assert lost == 1.5


def test_behaviour_test_returning_no_bool_or_editing_rows_loses(capsys) -> None:
    def returns_text(model, rows):
        return "ok"

    tests = list(_good_tests())
    tests[1] = returns_text
    lost, out = _lost(q.behaviour, (*tests, {"invariance": False, "directional": True, "mft": True}), capsys)
    assert lost == 1.5 and "True or False" in out


# --- Task 7 ---------------------------------------------------------------------------------------


def _measure(clock=time.perf_counter, *, per_request_throughput=False, scale=1000):
    def measure(predict, rows, n_requests):
        times = []
        for i in range(n_requests):
            start = clock()
            predict(rows.iloc[[i % len(rows)]])
            times.append(clock() - start)
        start = clock()
        predict(rows)
        batch = clock() - start
        rate = n_requests / sum(times) if per_request_throughput else len(rows) / max(batch, 1e-9)
        p50, p95 = np.percentile(times, [50, 95]) * scale
        return {"p50_ms": p50, "p95_ms": p95, "rows_per_s": rate}

    return measure


def test_latency_full_for_a_right_measurement(case) -> None:
    measure = _measure()
    report = measure(case.new_model.predict_proba, case.X_golden, 20)
    assert q.latency.grade((measure, report)) == q.latency.points


def test_latency_mistakes_lose_their_points(case, capsys) -> None:
    report = {"p50_ms": 1.0, "p95_ms": 2.0, "rows_per_s": 100_000.0}
    lost, out = _lost(q.latency, (_measure(scale=1), report), capsys)
    assert lost == 1.5 and "ms" in out
    assert _lost(q.latency, (_measure(time.process_time), report), capsys)[0] >= 1.5
    assert _lost(q.latency, (_measure(per_request_throughput=True), report), capsys)[0] == 1
    lost, out = _lost(q.latency, (_measure(), {**report, "rows_per_s": 10.0}), capsys)
    assert lost == 1.5
    _feedback_is_bilingual(out)
    assert q.latency.grade((_measure(), {"p50_ms": 1.0})) == 0


def test_the_self_check_passes_only_what_grading_gives_full_points(case, score, y, capsys) -> None:
    q.bootstrap.check(_boot(score, y))
    assert "★" in capsys.readouterr().out
    with pytest.raises(CheckFailed):
        q.bootstrap.check(_boot(score, y, paired=False))
    with pytest.raises(CheckFailed):
        q.behaviour.check((_always_passes, _always_passes, _always_passes,
                           {"invariance": False, "directional": True, "mft": True}))


@pytest.mark.parametrize("variant", [11, 12])
def test_right_answers_score_full_on_other_seeds(monkeypatch, variant) -> None:
    monkeypatch.setenv("TRAINERLAB_SEED", str(variant))
    other = q.gate_case()
    assert not other.X_golden.equals(cg.cached_case(cg.DEFAULT_SEED).X_golden)
    s, labels = other.new_model.predict_proba(other.X_golden)[:, 1], other.y_golden.to_numpy()
    assert q.gate.grade(_gate_answer(s, labels)) == q.gate.points
    assert q.slices.grade(_slice_answer(s)) == q.slices.points
    assert q.calibration.grade(_calibration_answer(other, s, labels)) == q.calibration.points
    assert q.bootstrap.grade(_boot(s, labels)) == q.bootstrap.points
    assert q.comparison.grade(_comparison(other, s)) == q.comparison.points
    for kind in q.BEHAVIOURS:
        reference = q.BEHAVIOURS[kind][1]
        assert {reference(m, q._probe_rows(kind).copy()) for m in q.probes(kind)} == {True, False}
