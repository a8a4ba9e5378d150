"""Whole answers of the L2 release-gate lab, graded end to end through nbgrader (see ``class_runs``).

Three alternatives reach every task by another route (scikit-learn helpers, NumPy and pandas by
hand, SciPy) and must score full on every cell. Three wrong notebooks each make one real mistake
per task, on tasks that do not build on each other: Task 1's ``score_new``, which later tasks
read, stays right in every wrong notebook, so each mistake costs points on its own cell only. A
wrong notebook is the lab's solution with a line or two changed (:func:`_solution`).
"""

from __future__ import annotations

from functools import cache

import nbformat
from class_runs import Case
from notebook_runs import ROOT

NOTEBOOK = ROOT / "labs" / "evaluation_l2" / "evaluation_l2.ipynb"


@cache
def _solutions() -> dict[str, str]:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}


def _solution(cell: str, *edits: tuple[str, str]) -> str:
    """The solution of ``cell`` with each ``(old, new)`` edit made (each ``old`` must occur)."""
    source = _solutions()[cell]
    for old, new in edits:
        assert old in source, f"{cell}: {old!r} is not in the solution"
        source = source.replace(old, new)
    return source


# --- Alternative routes -----------------------------------------------------------------------

SKLEARN = {
    "gate_table_answer": """\
import operator
from sklearn.metrics import confusion_matrix, precision_score, recall_score

score_new = pd.Series(new_model.predict_proba(X_golden)[:, 1], index=X_golden.index).sort_values()
truth = y_golden.loc[score_new.index]
decided = (score_new >= THRESHOLD).astype(int)
tn, fp, fn, tp = confusion_matrix(truth, decided).ravel()
compare = {">=": operator.ge, "<=": operator.le}
rows = []
for metric, value in [("Recall", recall_score(truth, decided)),
                      ("Precision", precision_score(truth, decided)),
                      ("FPR", fp / (fp + tn)), ("ROC_AUC", roc_auc_score(truth, score_new)),
                      ("Brier", brier_score_loss(truth, score_new))]:
    direction, limit = GATE[metric.lower()]
    rows.append({"metric": metric, "value": value, "limit": limit,
                 "passed": compare[direction](value, limit)})
gate_table = pd.DataFrame(rows).set_index("metric")
release_ok = gate_table["passed"].all()
gate_table
""",
    "slice_gaps_answer": """\
frame = X_golden[["region", "channel", "age_band"]].assign(
    fraud=y_golden, flagged=score_new.reindex(X_golden.index) >= THRESHOLD)
parts = []
for column in ["age_band", "channel", "region"]:
    stats = frame.groupby(column).apply(
        lambda g: pd.Series({"n": len(g), "recall": g.loc[g.fraud == 1, "flagged"].mean(),
                             "fpr": g.loc[g.fraud == 0, "flagged"].mean()}), include_groups=False)
    parts.append(stats.reset_index(names="value").assign(column=column))
slice_table = pd.concat(parts, ignore_index=True)
spread = {c: g["recall"].max() - g["recall"].min() for c, g in slice_table.groupby("column")}
worst = max(spread, key=spread.get)
largest_gap = {"column": worst, "gap": spread[worst]}
bad = slice_table[(slice_table.recall < GATE["recall"][1]) | (slice_table.fpr > GATE["fpr"][1])]
failing_slices = [[c, v] for c, v in zip(bad.column, bad.value)]
slice_table
""",
    "calibration_answer": """\
from sklearn.isotonic import IsotonicRegression

golden_scores = score_new.reindex(X_golden.index).to_numpy()
brier_before = brier_score_loss(y_golden, golden_scores)
frac, mean = calibration_curve(y_golden, golden_scores, n_bins=10, strategy="uniform")
reliability = pd.DataFrame({"fraction_positive": frac, "mean_predicted": mean})[::-1]


def recalibrate(cal_scores, cal_labels, scores):
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1)
    iso.fit(np.asarray(cal_scores), np.asarray(cal_labels))
    return iso.predict(np.asarray(scores))


score_recal = pd.Series(recalibrate(new_model.predict_proba(X_cal)[:, 1], y_cal, golden_scores),
                        index=X_golden.index)
brier_after = brier_score_loss(y_golden, score_recal)
brier_before, brier_after
""",
    "bootstrap_ci_answer": """\
rng = np.random.default_rng(2026)
fraud = (y_golden == 1).to_numpy()
caught = (score_new.reindex(X_golden.index) >= THRESHOLD).to_numpy()
idx = rng.integers(0, len(fraud), size=(1000, len(fraud)))
boot_recalls = (caught[idx] & fraud[idx]).sum(axis=1) / fraud[idx].sum(axis=1)
recall_ci = np.quantile(boot_recalls, [0.025, 0.975])
recall_ci
""",
    "paired_comparison_answer": """\
score_old = pd.Series(old_model.predict_proba(X_golden)[:, 1], index=X_golden.index)
truth = y_golden == 1
old_right = (score_old >= THRESHOLD) == truth
new_right = (score_new.reindex(X_golden.index) >= THRESHOLD) == truth
crossed = pd.crosstab(old_right, new_right)
test_result = mcnemar(crossed.to_numpy(), exact=True)
comparison = {"old_only": int(crossed.loc[True, False]), "new_only": int(crossed.loc[False, True]),
              "p_value": float(test_result.pvalue)}
comparison["better"] = ("none" if test_result.pvalue >= 0.05
                        else "new" if comparison["new_only"] > comparison["old_only"] else "old")
comparison
""",
    "behaviour_tests_answer": """\
def invariance_test(model, rows):
    flipped = rows.assign(gender=rows["gender"].replace({"F": "M", "M": "F"}))
    before, after = model.predict_proba(rows)[:, 1], model.predict_proba(flipped)[:, 1]
    return bool(np.isclose(before, after, rtol=0, atol=INVARIANCE_TOL).all())


def directional_test(model, rows):
    before = model.predict_proba(rows)[:, 1]
    after = model.predict_proba(rows.assign(prior_claims=rows.prior_claims + 1))[:, 1]
    return not bool((after < before).any())


def mft_test(model, cases):
    features = cases.drop(columns=["expected"])
    flagged = (model.predict_proba(features)[:, 1] >= THRESHOLD).astype(int)
    return bool(np.array_equal(flagged, cases["expected"].to_numpy()))


behaviour = {name: test(new_model, data) for name, test, data in [
    ("invariance", invariance_test, X_golden), ("directional", directional_test, X_golden),
    ("mft", mft_test, OBVIOUS)]}
behaviour
""",
    "latency_answer": """\
import statistics


def measure_latency(predict, rows, n_requests):
    times_ms = []
    for i in range(n_requests):
        request = rows.iloc[i % len(rows):i % len(rows) + 1]
        t0 = time.perf_counter_ns()
        predict(request)
        times_ms.append((time.perf_counter_ns() - t0) / 1e6)
    cuts = statistics.quantiles(times_ms, n=20, method="inclusive")
    t0 = time.perf_counter_ns()
    predict(rows)
    batch_s = (time.perf_counter_ns() - t0) / 1e9
    return {"p50_ms": statistics.median(times_ms), "p95_ms": cuts[18], "rows_per_s": len(rows) / batch_s}


latency = measure_latency(new_model.predict_proba, X_golden, 20)
latency
""",
}

BY_HAND = {
    "gate_table_answer": """\
from scipy.stats import rankdata

score_new = new_model.predict_proba(X_golden)[:, 1].tolist()
s, y = np.array(score_new), y_golden.to_numpy()
tp = int(np.sum((s >= THRESHOLD) & (y == 1)))
fp = int(np.sum((s >= THRESHOLD) & (y == 0)))
fn = int(np.sum((s < THRESHOLD) & (y == 1)))
tn = int(np.sum((s < THRESHOLD) & (y == 0)))
ranks = rankdata(s)
n_pos, n_neg = int((y == 1).sum()), int((y == 0).sum())
auc = (ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
value = {"recall": tp / (tp + fn), "precision": tp / (tp + fp), "fpr": fp / (fp + tn),
         "roc_auc": auc, "brier": float(np.mean((s - y) ** 2))}
gate_table = pd.DataFrame(
    [[value[m], lim, bool(value[m] >= lim if op == ">=" else value[m] <= lim)]
     for m, (op, lim) in GATE.items()],
    index=list(GATE), columns=["value", "limit", "passed"])
release_ok = all(gate_table["passed"])
gate_table
""",
    "slice_gaps_answer": """\
s, y = np.array(score_new), y_golden.to_numpy()
records = []
for column in ["region", "channel", "age_band"]:
    for value in X_golden[column].unique():
        inside = (X_golden[column] == value).to_numpy()
        fraud, honest = inside & (y == 1), inside & (y == 0)
        records.append((column, str(value), int(inside.sum()),
                        float(np.sum((s >= THRESHOLD) & fraud) / fraud.sum()),
                        float(np.sum((s >= THRESHOLD) & honest) / honest.sum())))
slice_table = pd.DataFrame(records, columns=["column", "value", "n", "recall", "fpr"])
best = None
for column, part in slice_table.groupby("column"):
    gap = part["recall"].max() - part["recall"].min()
    if best is None or gap > best["gap"]:
        best = {"column": column, "gap": gap}
largest_gap = best
failing_slices = {(r.column, r.value) for r in slice_table.itertuples()
                  if r.recall < GATE["recall"][1] or r.fpr > GATE["fpr"][1]}
slice_table
""",
    "calibration_answer": """\
s, y = np.array(score_new), y_golden.to_numpy()
brier_before = float(np.mean((s - y) ** 2))
bins = pd.cut(s, bins=np.linspace(0, 1, 11), include_lowest=True)
reliability = (pd.DataFrame({"mean_predicted": s, "fraction_positive": y, "bin": bins})
               .groupby("bin", observed=True).mean().reset_index(drop=True))


def recalibrate(cal_scores, cal_labels, scores):
    platt = LogisticRegression().fit(np.reshape(cal_scores, (-1, 1)), cal_labels)
    return platt.predict_proba(np.reshape(scores, (-1, 1)))[:, 1]


score_recal = recalibrate(new_model.predict_proba(X_cal)[:, 1], y_cal.to_numpy(), s)
brier_after = float(np.mean((score_recal - y) ** 2))
brier_before, brier_after
""",
    "bootstrap_ci_answer": """\
frame = pd.DataFrame({"fraud": y_golden.to_numpy() == 1, "caught": np.array(score_new) >= THRESHOLD})
rng = np.random.default_rng(2026)
boot_recalls = []
for _ in range(1000):
    sample = frame.sample(n=len(frame), replace=True, random_state=rng)
    boot_recalls.append(sample.loc[sample.fraud, "caught"].mean())
recall_ci = [float(np.percentile(boot_recalls, 2.5)), float(np.percentile(boot_recalls, 97.5))]
recall_ci
""",
    "paired_comparison_answer": """\
from scipy.stats import binomtest

score_old = old_model.predict_proba(X_golden)[:, 1]
y = y_golden.to_numpy()
old_ok = (score_old >= THRESHOLD).astype(int) == y
new_ok = (np.array(score_new) >= THRESHOLD).astype(int) == y
b, c = int((old_ok & ~new_ok).sum()), int((~old_ok & new_ok).sum())
p = binomtest(b, b + c, 0.5).pvalue  # the exact McNemar test is a binomial test of the discordant pairs
comparison = {"old_only": b, "new_only": c, "p_value": p,
              "better": "none" if p >= 0.05 else ("new" if c > b else "old")}
comparison
""",
    "behaviour_tests_answer": """\
def invariance_test(model, rows):
    other = {"F": "M", "M": "F"}
    changed = rows.copy()
    changed["gender"] = [other[g] for g in rows["gender"]]
    gaps = np.abs(model.predict_proba(changed)[:, 1] - model.predict_proba(rows)[:, 1])
    return bool(gaps.max() <= INVARIANCE_TOL)


def directional_test(model, rows):
    bumped = rows.copy()
    bumped.loc[:, "prior_claims"] = bumped["prior_claims"] + 1
    return bool(np.all(model.predict_proba(bumped)[:, 1] - model.predict_proba(rows)[:, 1] >= 0))


def mft_test(model, cases):
    decided = model.predict(cases.drop(columns="expected"))
    return bool(all(int(d) == int(e) for d, e in zip(decided, cases["expected"])))


behaviour = {"invariance": invariance_test(new_model, X_golden),
             "directional": directional_test(new_model, X_golden), "mft": mft_test(new_model, OBVIOUS)}
behaviour
""",
    "latency_answer": """\
def measure_latency(predict, rows, n_requests):
    single = np.empty(n_requests)
    for i in range(n_requests):
        request = rows.iloc[[i % len(rows)]]
        begin = time.perf_counter()
        predict(request)
        single[i] = time.perf_counter() - begin
    begin = time.perf_counter()
    predict(rows)
    elapsed = time.perf_counter() - begin
    return {"p50_ms": 1000 * np.median(single), "p95_ms": 1000 * np.quantile(single, 0.95),
            "rows_per_s": rows.shape[0] / elapsed}


latency = measure_latency(new_model.predict_proba, X_golden, 20)
latency
""",
}

SCIPY = {
    "gate_table_answer": """\
from sklearn.metrics import confusion_matrix

score_new = new_model.predict_proba(X_golden)[:, 1]
(tn, fp), (fn, tp) = confusion_matrix(y_golden, (score_new >= THRESHOLD).astype(int), labels=[0, 1])
measured = pd.Series({"recall": tp / (tp + fn), "precision": tp / (tp + fp), "fpr": fp / (fp + tn),
                      "roc_auc": roc_auc_score(y_golden, score_new),
                      "brier": brier_score_loss(y_golden, score_new)})
limits = pd.Series({m: lim for m, (_, lim) in GATE.items()})
lower_is_better = pd.Series({m: op == "<=" for m, (op, _) in GATE.items()})
gate_table = pd.DataFrame({"value": measured, "limit": limits})
gate_table["passed"] = np.where(lower_is_better, measured <= limits, measured >= limits)
release_ok = bool(np.all(gate_table["passed"]))
gate_table
""",
    "slice_gaps_answer": """\
flag = pd.Series((score_new >= THRESHOLD).astype(float), index=X_golden.index)
long = X_golden[["region", "channel", "age_band"]].melt(ignore_index=False, var_name="column")
long["flag"] = flag.loc[long.index].to_numpy()
long["fraud"] = y_golden.loc[long.index].to_numpy()
n = long.groupby(["column", "value"]).size().rename("n")
rates = long.pivot_table(index=["column", "value"], columns="fraud", values="flag", aggfunc="mean")
slice_table = pd.concat([n, rates[1].rename("recall"), rates[0].rename("fpr")], axis=1).reset_index()
gaps = slice_table.pivot(index="value", columns="column", values="recall").agg(lambda c: c.max() - c.min())
largest_gap = {"column": gaps.idxmax(), "gap": gaps.max()}
recall_limit, fpr_limit = GATE["recall"][1], GATE["fpr"][1]
failing_slices = list(slice_table.query("recall < @recall_limit or fpr > @fpr_limit")[
    ["column", "value"]].itertuples(index=False, name=None))
slice_table
""",
    "calibration_answer": """\
from scipy.optimize import minimize
from scipy.special import expit, logit

brier_before = brier_score_loss(y_golden, score_new)
observed, predicted = calibration_curve(y_golden, score_new, n_bins=10)
reliability = pd.DataFrame({"mean_predicted": predicted, "fraction_positive": observed,
                            "bin": range(len(observed))})


def recalibrate(cal_scores, cal_labels, scores):
    z, t = logit(np.clip(cal_scores, 1e-6, 1 - 1e-6)), np.asarray(cal_labels, dtype=float)

    def loss(ab):
        p = np.clip(expit(ab[0] * z + ab[1]), 1e-12, 1 - 1e-12)
        return -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))

    a, b = minimize(loss, [1.0, 0.0], method="Nelder-Mead").x
    return expit(a * logit(np.clip(scores, 1e-6, 1 - 1e-6)) + b)


score_recal = recalibrate(new_model.predict_proba(X_cal)[:, 1], y_cal, score_new)
brier_after = brier_score_loss(y_golden, score_recal)
brier_before, brier_after
""",
    "bootstrap_ci_answer": """\
from scipy import stats


def recall(caught, fraud, axis=-1):
    return (caught * fraud).sum(axis=axis) / fraud.sum(axis=axis)


result = stats.bootstrap(((score_new >= THRESHOLD).astype(float), (y_golden.to_numpy() == 1).astype(float)),
                         recall, paired=True, vectorized=True, n_resamples=1000, method="percentile",
                         confidence_level=0.95, rng=np.random.default_rng(2026))
boot_recalls = result.bootstrap_distribution
recall_ci = (result.confidence_interval.low, result.confidence_interval.high)
recall_ci
""",
    "paired_comparison_answer": """\
score_old = old_model.predict_proba(X_golden)[:, 1]
right = pd.DataFrame({"old": (score_old >= THRESHOLD) == (y_golden == 1),
                      "new": (score_new >= THRESHOLD) == (y_golden == 1)})
counts = right.value_counts()
table = np.array([[counts.get((True, True), 0), counts.get((True, False), 0)],
                  [counts.get((False, True), 0), counts.get((False, False), 0)]])
p_value = mcnemar(table, exact=True).pvalue
comparison = dict(old_only=table[0, 1], new_only=table[1, 0], p_value=p_value)
comparison["better"] = "none" if p_value >= 0.05 else ["old", "new"][int(table[1, 0] > table[0, 1])]
comparison
""",
    "behaviour_tests_answer": """\
def invariance_test(model, rows):
    worst = 0.0
    for old, new in [("F", "M"), ("M", "F")]:
        part = rows[rows["gender"] == old]
        if len(part):
            moved = model.predict_proba(part.assign(gender=new))[:, 1] - model.predict_proba(part)[:, 1]
            worst = max(worst, float(np.max(np.abs(moved))))
    return worst <= INVARIANCE_TOL


def directional_test(model, rows):
    base = model.predict_proba(rows)[:, 1]
    more = model.predict_proba(rows.assign(prior_claims=rows["prior_claims"].add(1)))[:, 1]
    return bool(np.min(more - base) >= 0)


def mft_test(model, cases):
    probability = pd.Series(model.predict_proba(cases.drop(columns="expected"))[:, 1], index=cases.index)
    return bool(((probability >= THRESHOLD).astype(int) == cases["expected"]).all())


behaviour = dict(invariance=invariance_test(new_model, X_golden),
                 directional=directional_test(new_model, X_golden),
                 mft=mft_test(new_model, OBVIOUS))
behaviour
""",
    "latency_answer": """\
def measure_latency(predict, rows, n_requests):
    elapsed = []
    for i in range(n_requests):
        row = rows.iloc[[i % len(rows)]]
        started = time.monotonic()
        predict(row)
        elapsed.append(time.monotonic() - started)
    started = time.perf_counter()
    predict(rows)
    batch = time.perf_counter() - started
    ms = pd.Series(elapsed) * 1000
    return {"p50_ms": ms.quantile(0.5), "p95_ms": ms.quantile(0.95), "rows_per_s": len(rows) / batch,
            "n_requests": n_requests}


latency = measure_latency(new_model.predict_proba, X_golden, 20)
latency
""",
}

# --- Wrong answers: one real mistake per task in each notebook -----------------------------------

WRONG_A = {
    "gate_table_answer": _solution("gate_table_answer", (
        'return value >= limit if direction == ">=" else value <= limit', "return value >= limit")),
    "slice_gaps_answer": _solution("slice_gaps_answer", (
        '"recall": flag[truth == 1].mean()', '"recall": flag[truth == 1].sum() / (y_golden == 1).sum()')),
    "calibration_answer": _solution("calibration_answer", (
        "recalibrate(new_model.predict_proba(X_cal)[:, 1], y_cal, score_new)",
        "recalibrate(score_new, y_golden, score_new)")),
    "bootstrap_ci_answer": _solution("bootstrap_ci_answer", (
        "idx = rng.integers(0, n, n)", "idx = rng.choice(n, n, replace=False)")),
    "paired_comparison_answer": _solution("paired_comparison_answer", (
        "result = mcnemar(table, exact=True)",
        "from statsmodels.stats.proportion import proportions_ztest\n"
        "result = mcnemar(table, exact=True)\n"
        "result.pvalue = proportions_ztest([old_right.sum(), new_right.sum()], [len(truth)] * 2)[1]")),
    "behaviour_tests_answer": _solution("behaviour_tests_answer", (
        "    swapped = rows.copy()\n", "    swapped = rows\n")),
    "latency_answer": _solution("latency_answer", ("time.perf_counter()", "time.process_time()")),
}

WRONG_B = {
    "gate_table_answer": _solution("gate_table_answer", (
        '"roc_auc": roc_auc_score(y, score_new)', '"roc_auc": roc_auc_score(y, flagged)')),
    "slice_gaps_answer": _solution("slice_gaps_answer", (
        'gaps = slice_table.groupby("column")["recall"]', 'gaps = slice_table.groupby("column")["fpr"]')),
    "calibration_answer": _solution("calibration_answer", (
        "calibration_curve(y_golden, score_new, n_bins=10)",
        'calibration_curve(y_golden, score_new, n_bins=10, strategy="quantile")')),
    "bootstrap_ci_answer": _solution("bootstrap_ci_answer", (
        "boot_recalls[i] = caught[idx][fraud[idx]].mean()",
        "boot_recalls[i] = caught[rng.integers(0, n, n)][fraud[idx]].mean()")),
    "paired_comparison_answer": _solution(
        "paired_comparison_answer",
        ("old_right = (score_old >= THRESHOLD) == truth", "old_right = score_old >= THRESHOLD"),
        ("new_right = (score_new >= THRESHOLD) == truth", "new_right = score_new >= THRESHOLD")),
    "behaviour_tests_answer": _solution("behaviour_tests_answer", (
        "return bool((fraud_probability(model, more) >= fraud_probability(model, rows)).all())",
        "return bool(fraud_probability(model, more).mean() >= fraud_probability(model, rows).mean())")),
    "latency_answer": _solution("latency_answer", (
        "p50, p95 = np.percentile(seconds, [50, 95]) * 1000",
        "p50 = np.median(seconds) * 1000\n"
        "    p95 = (np.mean(seconds) + 1.645 * np.std(seconds)) * 1000")),
}

WRONG_C = {
    "gate_table_answer": _solution("gate_table_answer", (
        'release_ok = bool(gate_table["passed"].all())', 'release_ok = bool(gate_table["passed"].any())')),
    "slice_gaps_answer": _solution("slice_gaps_answer", (
        '(slice_table["recall"] < GATE["recall"][1]) | (slice_table["fpr"] > GATE["fpr"][1])',
        'slice_table["recall"] < GATE["recall"][1]')),
    "calibration_answer": _solution("calibration_answer", (
        "brier_before = brier_score_loss(y_golden, score_new)",
        "brier_before = brier_score_loss(y_golden, score_new >= THRESHOLD)")),
    "bootstrap_ci_answer": _solution("bootstrap_ci_answer", (
        "np.percentile(boot_recalls, [2.5, 97.5])", "np.percentile(boot_recalls, [0.025, 0.975])")),
    "paired_comparison_answer": _solution("paired_comparison_answer", (
        '"none" if result.pvalue >= 0.05 else ', "")),
    "behaviour_tests_answer": _solution("behaviour_tests_answer", (
        'return bool((decided == (cases["expected"] == 1)).all())',
        'return bool((decided == (cases["expected"] == 1)).any())')),
    "latency_answer": _solution("latency_answer", (
        '"rows_per_s": len(rows) / batch_seconds', '"rows_per_s": n_requests / sum(seconds)')),
}

CASES = [
    Case("sklearn-helpers", "alternative", SKLEARN),
    Case("numpy-pandas-by-hand", "alternative", BY_HAND),
    Case("scipy", "alternative", SCIPY),
    Case("gate-slices-calibration-a", "wrong", WRONG_A, loses={
        "gate_table": "Brier judged as higher-is-better (>=)",
        "slice_gaps": "slice recall divided by the fraud of the whole golden set",
        "calibration": "the recalibration fitted on the golden set",
        "bootstrap_ci": "resampled without replacement (every resample is the golden set itself)",
        "paired_comparison": "an unpaired two-proportion z-test instead of McNemar",
        "behaviour_tests": "invariance test changes an alias of rows (a test that cannot fail)",
        "latency": "timed with process_time (a sleep or I/O wait costs no CPU)",
    }),
    Case("gate-slices-calibration-b", "wrong", WRONG_B, loses={
        "gate_table": "ROC-AUC from the decisions instead of the probabilities",
        "slice_gaps": "the largest gap taken over FPR instead of recall",
        "calibration": "reliability bins by quantile instead of equal width",
        "bootstrap_ci": "labels and decisions resampled with different row numbers (pairing broken)",
        "paired_comparison": "discordant counts paired by predicted labels, not by right/wrong",
        "behaviour_tests": "directional test compares the means, not every row",
        "latency": "p95 as mean + 1.645 standard deviations",
    }),
    Case("gate-slices-calibration-c", "wrong", WRONG_C, loses={
        "gate_table": "release_ok when any metric passes",
        "slice_gaps": "failing slices judged on recall only",
        "calibration": "Brier score of the decisions instead of the probabilities",
        "bootstrap_ci": "np.percentile given fractions (0.025) instead of percents",
        "paired_comparison": "decision taken from the counts without the significance test",
        "behaviour_tests": "minimum-functionality test passes when any case is right",
        "latency": "throughput from the single requests instead of a batch call",
    }),
]
