"""Whole answers of the deployment lab: other correct routes, and real mistakes the statements rule out.

Each case is the solution notebook with the named answer cells replaced (see ``class_runs``). The
alternatives rewrite every answer cell by another route; a wrong notebook packs mistakes on tasks
that do not build on each other, or on tasks graded on the learner's own upstream result (error
carried forward), so each mistake costs points once, where it is made.
"""
# ruff: noqa: E501 - the answers are notebook cells, written as a learner would

from __future__ import annotations

from class_runs import Case, edit_source, solution_sources

_SOLUTION = solution_sources("deployment")


def _sub(cell: str, *pairs: str) -> str:
    """The solution of ``cell`` with each (old, new) pair replaced once; every old text must occur."""
    return edit_source(_SOLUTION[cell], zip(pairs[::2], pairs[1::2], strict=True), count=1, where=cell)


# --- alternative routes -----------------------------------------------------------------------------

ALT_PANDAS = {
    "skops_export_answer": '''
import os
SKOPS_PATH = str(OUTPUT / "credit_model.skops")
blob = sio.dumps(credit_model)
with open(SKOPS_PATH, "wb") as handle:
    handle.write(blob)
untrusted_types = sio.get_untrusted_types(data=blob)
for name in untrusted_types:
    assert name.split(".")[0] in {"numpy", "sklearn"}, name
reloaded = sio.load(SKOPS_PATH, trusted=list(untrusted_types))
print((reloaded.predict(X_valid) == credit_model.predict(X_valid)).all())
''',
    "onnx_export_answer": '''
from skl2onnx import convert_sklearn
onnx_model = convert_sklearn(credit_model, initial_types=[("input", FloatTensorType([None, 9]))])
ONNX_PATH = OUTPUT / "credit_model.onnx"
with open(ONNX_PATH, "wb") as handle:
    handle.write(onnx_model.SerializeToString())
credit_session = ort.InferenceSession(str(ONNX_PATH), providers=["CPUExecutionProvider"])
labels, prob_dicts = credit_session.run(None, {"input": X_valid.astype("float32").to_numpy()})
onnx_bad = np.array([row["bad"] for row in prob_dicts])
sk_bad = pd.DataFrame(credit_model.predict_proba(X_valid), columns=credit_model.classes_)["bad"]
onnx_max_diff = (pd.Series(onnx_bad) - sk_bad).abs().max()
''',
    "size_latency_answer": '''
import os
import timeit
first = X_valid.iloc[[0]]
feed_one = {"input": first.to_numpy(dtype="float32")}
feed_all = {"input": X_valid.to_numpy(dtype="float32")}
rows = {
    "skops": {"file_kb": round(os.path.getsize(SKOPS_PATH) / 1024, 2),
              "single_row_ms": 1000 * np.median(timeit.repeat(lambda: reloaded.predict_proba(first), number=1, repeat=40)),
              "batch_ms": 1000 * np.median(timeit.repeat(lambda: reloaded.predict_proba(X_valid), number=1, repeat=8))},
    "onnx": {"file_kb": round(os.path.getsize(ONNX_PATH) / 1024, 2),
             "single_row_ms": 1000 * np.median(timeit.repeat(lambda: credit_session.run(None, feed_one), number=1, repeat=40)),
             "batch_ms": 1000 * np.median(timeit.repeat(lambda: credit_session.run(None, feed_all), number=1, repeat=8))},
}
benchmark = pd.DataFrame.from_dict(rows, orient="index")
benchmark
''',
    "digits_preprocess_answer": '''
digits_session = ort.InferenceSession(str(DIGITS_MODEL))
meta = digits_session.get_modelmeta().custom_metadata_map
print(digits_session.get_inputs()[0].name, digits_session.get_inputs()[0].shape, meta)


def preprocess(raw_images):
    pixels = np.expand_dims(np.asarray(raw_images), axis=1)
    return (pixels.astype("float64") / 16).astype("float32")
''',
    "digits_topk_answer": '''
from scipy.special import softmax
CLASS_NAMES = np.array(meta["classes"].split(","))  # digit strings "0" ... "9"


def top_k(raw_images, k=3):
    logits = digits_session.run(["logits"], {"image": preprocess(raw_images)})[0]
    probs = softmax(logits.astype("float64"), axis=1)
    order = np.argsort(probs, axis=1)[:, ::-1][:, :k]
    return CLASS_NAMES[order], np.take_along_axis(probs, order, axis=1)
''',
    "review_threshold_answer": '''
c1, p1 = top_k(valid_images, 1)
conf = p1[:, 0]
right = c1[:, 0].astype(int) == valid_labels
grid = np.quantile(conf, np.linspace(0, 0.99, 200))
tradeoff = pd.DataFrame({
    "threshold": grid,
    "automation_rate": [(conf >= t).mean() for t in grid],
    "error_rate": [1 - right[conf >= t].mean() for t in grid],
}).sort_values("threshold", ascending=False)
exact = pd.DataFrame({"t": np.sort(conf)})
exact["err"] = [1 - right[conf >= t].mean() for t in exact["t"]]
review_threshold = float(exact.loc[exact["err"] <= q.TARGET_ERROR, "t"].min())
ax = tradeoff.plot(x="automation_rate", y="error_rate", color="tab:green", figsize=(6, 4))
ax.axhline(q.TARGET_ERROR, color="tab:orange", ls=":")
ax.plot([(conf >= review_threshold).mean()], [1 - right[conf >= review_threshold].mean()], "ro")
TRADEOFF_PLOT = OUTPUT / "automation_vs_error.png"
ax.figure.savefig(TRADEOFF_PLOT)
plt.close(ax.figure)
''',
    "routing_file_answer": '''
c1, p1 = top_k(incoming_images, 1)
routing_table = pd.DataFrame({"predicted": c1[:, 0], "confidence": p1[:, 0].round(4)})
routing_table["route"] = ["auto" if p >= review_threshold else "human" for p in p1[:, 0]]
routing_table = routing_table.rename_axis("image_id").reset_index().sort_values("confidence")
ROUTING_PATH = OUTPUT / "incoming_routing.csv"
routing_table.to_csv(ROUTING_PATH, index=False)
''',
    "batch_scoring_answer": '''
def score_batch(path):
    raw = pd.read_csv(path)
    good_rows, bad_rows = [], []
    for _, row in raw.iterrows():
        problems, values = [], {}
        for col, field in SCHEMA.items():
            if col not in raw.columns:
                problems.append(f"{col} column is missing")
                continue
            value = row[col]
            if pd.isna(value) or str(value).strip() == "":
                if field.required:
                    problems.append(f"{col} is required")
                values[col] = np.nan
                continue
            try:
                number = float(value)
            except ValueError:
                problems.append(f"{col} is not numeric ({value})")
                continue
            if not field.low <= number <= field.high:
                problems.append(f"{col}={number:g} out of range")
            values[col] = number
        if not problems and values["amount"] > values["price"]:
            problems.append("amount is above price")
        if problems:
            bad_rows.append({"record_id": row["record_id"], "reason": ", ".join(problems)})
        else:
            good_rows.append({"record_id": row["record_id"], **values})
    good = pd.DataFrame(good_rows, columns=["record_id", *FEATURES])
    scored = pd.DataFrame({"record_id": good["record_id"], "prob_bad": np.nan})
    if len(good):
        bad = list(credit_model.classes_).index("bad")
        scored["prob_bad"] = credit_model.predict_proba(good[FEATURES].astype(float))[:, bad]
    return scored, pd.DataFrame(bad_rows, columns=["record_id", "reason"])
''',
    "batch_files_answer": '''
scored, rejected = score_batch(BATCH_PATH)
SCORED_PATH = OUTPUT / "batch_scored.csv"
REJECTED_PATH = OUTPUT / "batch_rejected.csv"
scored.sort_values("prob_bad").to_csv(SCORED_PATH, index=False, float_format="%.5f")
rejected.to_csv(REJECTED_PATH, index=False)
''',
    "usage_features_answer": '''
feature_sessions = log.groupby("feature").size().to_dict()
most_used_feature = max(feature_sessions, key=feature_sessions.get)
''',
    "latency_bottleneck_answer": '''
ok = log.query("status == '成功'").copy()
ok["hour"] = ok["start_time"].dt.hour
cells = ok.groupby(["feature", "hour"])["response_ms"].mean()
grid = cells.unstack()
row, col = np.unravel_index(np.nanargmax(grid.to_numpy()), grid.shape)
latency_findings = {
    "slowest_feature": ok.groupby("feature")["response_ms"].mean().sort_values().index[-1],
    "bottleneck_feature": grid.index[row],
    "bottleneck_hour": int(grid.columns[col]),
    "bottleneck_ms": round(float(grid.iloc[row, col]), 1),
}
''',
    "failure_hot_spot_answer": '''
table = pd.crosstab([log["feature"], log["device_model"]], log["status"])
table["n"] = table.sum(axis=1)
table["rate"] = table["失败"] / table["n"]
big = table[table["n"] >= q.MIN_SESSIONS].sort_values("rate", ascending=False)
feature, device = big.index[0]
errors = log.loc[(log["feature"] == feature) & (log["device_model"] == device), "error_type"]
hot_spot = {"feature": feature, "device_model": device, "failure_rate": round(big["rate"].iloc[0], 3),
            "main_error": errors.mode().iloc[0]}
''',
}

ALT_NUMPY = {
    "skops_export_answer": '''
SKOPS_PATH = OUTPUT / "credit_model.skops"
sio.dump(credit_model, SKOPS_PATH)
untrusted_types = set(sio.get_untrusted_types(file=str(SKOPS_PATH)))
assert {t.split(".")[0] for t in untrusted_types} <= {"numpy", "sklearn"}
reloaded = sio.load(str(SKOPS_PATH), trusted=sorted(untrusted_types))
''',
    "onnx_export_answer": '''
onnx_model = to_onnx(credit_model, X_valid.to_numpy(np.float32)[:1], options={"zipmap": False})
ONNX_PATH = OUTPUT / "credit_model.onnx"
ONNX_PATH.write_bytes(onnx_model.SerializeToString())
credit_session = ort.InferenceSession(ONNX_PATH.read_bytes(), providers=["CPUExecutionProvider"])
name = credit_session.get_inputs()[0].name
(onnx_probabilities,) = credit_session.run(["probabilities"], {name: X_valid.to_numpy(np.float32)})
col = int(np.flatnonzero(credit_model.classes_ == "bad")[0])
onnx_max_diff = np.max(np.abs(onnx_probabilities[:, col] - credit_model.predict_proba(X_valid)[:, col]))
''',
    "size_latency_answer": '''
def per_call_ms(fn, n):
    spans = []
    for _ in range(n):
        t0 = time.time_ns()
        fn()
        spans.append((time.time_ns() - t0) / 1e6)
    return np.median(spans)


name = credit_session.get_inputs()[0].name
x1 = X_valid.to_numpy(np.float32)[:1]
xa = X_valid.to_numpy(np.float32)
benchmark = pd.DataFrame(
    [[SKOPS_PATH.stat().st_size / 2**10, per_call_ms(lambda: reloaded.predict_proba(X_valid[:1]), 30),
      per_call_ms(lambda: reloaded.predict_proba(X_valid), 8)],
     [ONNX_PATH.stat().st_size / 2**10, per_call_ms(lambda: credit_session.run(None, {name: x1}), 30),
      per_call_ms(lambda: credit_session.run(None, {name: xa}), 8)]],
    index=["skops", "onnx"], columns=["file_kb", "single_row_ms", "batch_ms"]).round(3)
''',
    "digits_preprocess_answer": '''
digits_session = ort.InferenceSession(str(DIGITS_MODEL), providers=["CPUExecutionProvider"])
model_input = digits_session.get_inputs()[0]
print(model_input, digits_session.get_modelmeta().custom_metadata_map)


def preprocess(raw_images):
    raw = np.asarray(raw_images)
    return (raw / 16.0).astype(np.float32).reshape(len(raw), 1, 8, 8)
''',
    "digits_topk_answer": '''
def top_k(raw_images, k=3):
    logits = digits_session.run(None, {model_input.name: preprocess(raw_images)})[0].astype(np.float64)
    z = np.exp(logits - logits.max(axis=1)[:, None])
    probs = z / z.sum(axis=1)[:, None]
    part = np.argpartition(-probs, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(probs, part, axis=1), axis=1)
    classes = np.take_along_axis(part, order, axis=1).astype(np.int32)
    return classes, np.take_along_axis(probs, classes, axis=1)
''',
    "review_threshold_answer": '''
cls, pr = top_k(valid_images, 1)
conf, ok = pr[:, 0], cls[:, 0] == valid_labels
order = np.argsort(-conf)
conf_sorted, wrong_sorted = conf[order], ~ok[order]
n_auto = np.arange(1, len(conf) + 1)
errors = np.cumsum(wrong_sorted) / n_auto
last_of_tie = np.r_[conf_sorted[:-1] > conf_sorted[1:], True]
tradeoff = pd.DataFrame({"threshold": conf_sorted, "automation_rate": n_auto / len(conf),
                         "error_rate": errors})[last_of_tie]
feasible = tradeoff[tradeoff["error_rate"] <= q.TARGET_ERROR]
review_threshold = feasible.sort_values("automation_rate").iloc[-1]["threshold"]
plt.figure(figsize=(6, 4))
plt.plot(tradeoff["automation_rate"], tradeoff["error_rate"])
plt.axhline(q.TARGET_ERROR, color="k", ls="--")
plt.axvline(feasible["automation_rate"].max(), color="r")
TRADEOFF_PLOT = str(OUTPUT / "automation_vs_error.png")
plt.savefig(TRADEOFF_PLOT)
plt.show()
''',
    "routing_file_answer": '''
import csv
cls, pr = top_k(incoming_images, 1)
ROUTING_PATH = OUTPUT / "incoming_routing.csv"
with open(ROUTING_PATH, "w", newline="", encoding="utf-8") as handle:
    writer = csv.writer(handle)
    writer.writerow(["image_id", "predicted", "confidence", "route"])
    for i, (c, p) in enumerate(zip(cls[:, 0], pr[:, 0])):
        writer.writerow([i, int(c), f"{p:.6f}", "auto" if p >= review_threshold else "human"])
''',
    "batch_scoring_answer": '''
import re
NUMBER = re.compile(r"[-+]?\\d+(\\.\\d*)?([eE][-+]?\\d+)?")


def score_batch(path):
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    reasons = pd.Series("", index=raw.index)
    numbers = pd.DataFrame(index=raw.index)
    for col, field in SCHEMA.items():
        if col not in raw:
            reasons += f"{col} missing from file;"
            continue
        text = raw[col].str.strip()
        empty = text.eq("")
        numeric = text.str.fullmatch(NUMBER.pattern)
        numbers[col] = pd.to_numeric(text.where(numeric), errors="coerce")
        reasons[empty & field.required] += f"{col} empty;"
        reasons[~empty & ~numeric] += f"{col} not a number;"
        reasons[numbers[col].lt(field.low) | numbers[col].gt(field.high)] += f"{col} out of range;"
    if "amount" in numbers and "price" in numbers:
        reasons[numbers["amount"] > numbers["price"]] += "amount greater than price;"
    ok = reasons.eq("")
    scored = pd.DataFrame({"record_id": raw.loc[ok, "record_id"],
                           "prob_bad": credit_model.predict_proba(numbers.loc[ok, FEATURES])[:, 0]
                           if ok.any() else []})
    rejected = pd.DataFrame({"record_id": raw.loc[~ok, "record_id"], "reason": reasons[~ok]})
    return scored, rejected
''',
    "batch_files_answer": '''
scored, rejected = score_batch(BATCH_PATH)
SCORED_PATH, REJECTED_PATH = OUTPUT / "batch_scored.csv", OUTPUT / "batch_rejected.csv"
scored.to_csv(SCORED_PATH, index=False)
rejected.sort_values("reason").to_csv(REJECTED_PATH, index=False)
''',
    "usage_features_answer": '''
from collections import Counter
counter = Counter(log["feature"])
feature_sessions = dict(counter)
most_used_feature = counter.most_common(1)[0][0]
''',
    "latency_bottleneck_answer": '''
ok = log[log["status"].eq("成功")]
pivot = ok.pivot_table(index="feature", columns=ok["start_time"].dt.hour, values="response_ms")
means = ok.groupby("feature")["response_ms"].mean()
best = pivot.max(axis=1).idxmax()
hour = pivot.loc[best].idxmax()
latency_findings = dict(slowest_feature=means.idxmax(), bottleneck_feature=best,
                        bottleneck_hour=hour, bottleneck_ms=pivot.loc[best, hour])
''',
    "failure_hot_spot_answer": '''
groups = (log.assign(failed=log["status"].eq("失败"))
          .groupby(["feature", "device_model"])
          .agg(sessions=("session_id", "count"), rate=("failed", "mean")))
groups = groups[groups["sessions"] >= q.MIN_SESSIONS]
(feature, device), rate = groups["rate"].idxmax(), groups["rate"].max()
in_group = log[(log["feature"] == feature) & (log["device_model"] == device) & (log["status"] == "失败")]
hot_spot = {"feature": feature, "device_model": device, "failure_rate": rate,
            "main_error": in_group.groupby("error_type").size().idxmax()}
''',
}

ALT_PIVOT = {
    "skops_export_answer": '''
import zipfile
SKOPS_PATH = OUTPUT / "credit_model.skops"
sio.dump(credit_model, SKOPS_PATH, compression=zipfile.ZIP_DEFLATED)
untrusted_types = [t for t in sio.get_untrusted_types(file=SKOPS_PATH)]
print(untrusted_types)
reloaded = sio.load(SKOPS_PATH, trusted=untrusted_types)
''',
    "onnx_export_answer": '''
# the probabilities first, then the labels
onnx_model = to_onnx(credit_model, initial_types=[("features", FloatTensorType([None, 9]))],
                     options={"zipmap": False}, final_types=None, target_opset=15)
ONNX_PATH = OUTPUT / "credit_model.onnx"
ONNX_PATH.write_bytes(onnx_model.SerializeToString())
credit_session = ort.InferenceSession(str(ONNX_PATH), providers=["CPUExecutionProvider"])
probs, labels = credit_session.run(["probabilities", "label"], {"features": X_valid.values.astype(np.float32)})
sk = credit_model.predict_proba(X_valid)
onnx_max_diff = float(abs(probs[:, 0] - sk[:, 0]).max())
''',
    "size_latency_answer": '''
import statistics
import timeit
n1 = X_valid.to_numpy(np.float32)[:1]
na_ = X_valid.to_numpy(np.float32)
name = credit_session.get_inputs()[0].name


def ms(stmt, repeat):
    return statistics.median(timeit.repeat(stmt, number=5, repeat=repeat)) / 5 * 1e3


benchmark = pd.DataFrame({
    "skops": [SKOPS_PATH.stat().st_size / 1024, ms(lambda: reloaded.predict_proba(X_valid.head(1)), 15),
              ms(lambda: reloaded.predict_proba(X_valid), 5)],
    "onnx": [ONNX_PATH.stat().st_size / 1024, ms(lambda: credit_session.run(None, {name: n1}), 15),
             ms(lambda: credit_session.run(None, {name: na_}), 5)],
}, index=["file_kb", "single_row_ms", "batch_ms"]).T
''',
    "digits_preprocess_answer": '''
digits_session = ort.InferenceSession(str(DIGITS_MODEL), providers=["CPUExecutionProvider"])
model_input = digits_session.get_inputs()[0]
print(model_input.name, model_input.shape, model_input.type)
print(digits_session.get_modelmeta().custom_metadata_map["preprocessing"])


def preprocess(raw_images):
    return np.divide(np.asarray(raw_images, dtype=np.float32), np.float32(16.0))[:, np.newaxis, :, :]
''',
    "digits_topk_answer": '''
def top_k(raw_images, k=3):
    logits = digits_session.run(None, {model_input.name: preprocess(raw_images)})[0].astype(float)
    log_probs = logits - np.log(np.exp(logits - logits.max(1, keepdims=True)).sum(1, keepdims=True)) \\
        - logits.max(1, keepdims=True)
    probs = np.exp(log_probs)
    classes = np.stack([np.argsort(row)[::-1][:k] for row in probs])
    return classes, np.sort(probs, axis=1)[:, ::-1][:, :k]
''',
    "review_threshold_answer": '''
classes1, probs1 = top_k(valid_images, 1)
frame = pd.DataFrame({"confidence": probs1[:, 0], "wrong": classes1[:, 0] != valid_labels})
frame = frame.sort_values("confidence", ascending=False).reset_index(drop=True)
frame["automation_rate"] = (frame.index + 1) / len(frame)
frame["error_rate"] = frame["wrong"].cumsum() / (frame.index + 1)
frame = frame.groupby("confidence", as_index=False).last()  # ties share one threshold
tradeoff = frame.rename(columns={"confidence": "threshold"})[["threshold", "automation_rate", "error_rate"]]
ok = tradeoff[tradeoff["error_rate"] <= q.TARGET_ERROR]
review_threshold = float(ok.loc[ok["automation_rate"].idxmax(), "threshold"])
fig, ax = plt.subplots()
ax.step(tradeoff["automation_rate"], tradeoff["error_rate"], where="post", color="purple")
ax.axhline(q.TARGET_ERROR, color="grey")
ax.annotate(f"{review_threshold:.3f}", (ok["automation_rate"].max(), q.TARGET_ERROR))
TRADEOFF_PLOT = OUTPUT / "automation_vs_error.png"
fig.savefig(TRADEOFF_PLOT, dpi=80)
plt.close(fig)
''',
    "routing_file_answer": '''
classes1, probs1 = top_k(incoming_images, 1)
route = pd.Series(np.where(probs1[:, 0] < review_threshold, "human", "auto"))
routing_table = pd.DataFrame({"image_id": range(len(incoming_images)), "predicted": classes1[:, 0],
                              "confidence": probs1[:, 0], "route": route})
ROUTING_PATH = OUTPUT / "incoming_routing.csv"
routing_table.sort_values(["route", "image_id"]).to_csv(ROUTING_PATH, index=False)
''',
    "batch_scoring_answer": '''
def score_batch(path):
    raw = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("record_id")
    problems = {rid: [] for rid in raw.index}
    numeric = {}
    for col, field in SCHEMA.items():
        if col not in raw.columns:
            for rid in raw.index:
                problems[rid].append(f"missing column {col}")
            continue
        values = pd.to_numeric(raw[col], errors="coerce")
        numeric[col] = values
        for rid, text, value in zip(raw.index, raw[col], values):
            if text.strip() == "":
                if field.required:
                    problems[rid].append(f"{col} blank")
            elif np.isnan(value):
                problems[rid].append(f"{col} not numeric: {text}")
            elif value < field.low or value > field.high:
                problems[rid].append(f"{col} {value:g} not in [{field.low:g}, {field.high:g}]")
    numeric = pd.DataFrame(numeric, index=raw.index)
    if {"amount", "price"} <= set(numeric):
        for rid in numeric.index[numeric["amount"] > numeric["price"]]:
            problems[rid].append("amount exceeds price")
    good = [rid for rid, p in problems.items() if not p]
    scored = pd.DataFrame({"record_id": good, "prob_bad": []}) if not good else pd.DataFrame({
        "record_id": good,
        "prob_bad": credit_model.predict_proba(numeric.loc[good, FEATURES])[:, list(credit_model.classes_).index("bad")]})
    rejected = pd.DataFrame([(rid, " | ".join(p)) for rid, p in problems.items() if p],
                            columns=["record_id", "reason"])
    return scored, rejected
''',
    "batch_files_answer": '''
SCORED_PATH = OUTPUT / "batch_scored.csv"
REJECTED_PATH = OUTPUT / "batch_rejected.csv"
for frame, path in zip(score_batch(BATCH_PATH), (SCORED_PATH, REJECTED_PATH)):
    frame.to_csv(path, index=False)
''',
    "usage_features_answer": '''
feature_sessions = pd.crosstab(log["feature"], columns="sessions")
most_used_feature = feature_sessions["sessions"].idxmax()
''',
    "latency_bottleneck_answer": '''
ok = log[log.status == "成功"].assign(hour=log.start_time.dt.hour)
stats = ok.groupby(["feature", "hour"]).agg(mean_ms=("response_ms", "mean"))
top = stats["mean_ms"].idxmax()
latency_findings = {"slowest_feature": ok.pivot_table(index="feature", values="response_ms").squeeze().idxmax(),
                    "bottleneck_feature": top[0], "bottleneck_hour": int(top[1]),
                    "bottleneck_ms": int(round(stats.loc[top, "mean_ms"]))}
''',
    "failure_hot_spot_answer": '''
pivot = log.assign(failed=(log["status"] == "失败").astype(int)).pivot_table(
    index=["feature", "device_model"], values="failed", aggfunc=["mean", "count"])
pivot.columns = ["rate", "n"]
pivot = pivot[pivot["n"] >= q.MIN_SESSIONS].sort_values("rate")
feature, device = pivot.index[-1]
reasons = log[(log.feature == feature) & (log.device_model == device)].error_type.dropna()
hot_spot = {"feature": feature, "device_model": device, "failure_rate": float(pivot["rate"].iloc[-1]),
            "main_error": reasons.value_counts().index[0]}
''',
}

# --- wrong answers ----------------------------------------------------------------------------------

W = "wrong"
A = "alternative"

# -- skops (Task 1)
SKOPS_PARTIAL_LIST = _sub("skops_export_answer",
                          "untrusted_types = sio.get_untrusted_types(file=SKOPS_PATH)",
                          'untrusted_types = ["sklearn.pipeline.Pipeline"]  # only the outer type',
                          "reloaded = sio.load(SKOPS_PATH, trusted=untrusted_types)",
                          "reloaded = sio.load(SKOPS_PATH, trusted=sio.get_untrusted_types(file=SKOPS_PATH))")
SKOPS_REFIT_VALID = _sub("skops_export_answer",
                         "sio.dump(credit_model, SKOPS_PATH)",
                         "from sklearn.base import clone\n"
                         "deployed = clone(credit_model).fit(X_valid, credit_model.predict(X_valid))  # refit on validation rows\n"
                         "sio.dump(deployed, SKOPS_PATH)")
SKOPS_PICKLE = _sub("skops_export_answer",
                    "sio.dump(credit_model, SKOPS_PATH)",
                    "import joblib\njoblib.dump(credit_model, SKOPS_PATH)  # a pickle under a .skops name",
                    "untrusted_types = sio.get_untrusted_types(file=SKOPS_PATH)",
                    "untrusted_types = []",
                    "reloaded = sio.load(SKOPS_PATH, trusted=untrusted_types)",
                    "reloaded = joblib.load(SKOPS_PATH)")
# -- ONNX (Task 2)
ONNX_DIFF_ZERO = _sub("onnx_export_answer",
                      'onnx_max_diff = float(np.abs(onnx_probabilities[:, bad] - credit_model.predict_proba(X_valid)[:, bad]).max())',
                      'onnx_max_diff = float((onnx_labels != credit_model.predict(X_valid)).sum())  # compares the labels')
ONNX_DIFF_MEAN = _sub("onnx_export_answer", ".max())\nprint", ".mean())\nprint")
ONNX_NO_IMPUTER = _sub("onnx_export_answer",
                       "onnx_model = to_onnx(credit_model,",
                       "from sklearn.pipeline import Pipeline\n"
                       "exported = Pipeline(credit_model.steps[1:])  # the fitted steps after the imputer\n"
                       "onnx_model = to_onnx(exported,",
                       "credit_model.predict_proba(X_valid)[:, bad]).max())",
                       "exported.predict_proba(X_valid.fillna(0))[:, bad]).max())")
# -- latency (Task 3)
LATENCY_SECONDS = _sub("size_latency_answer", "(time.perf_counter() - start) * 1000", "time.perf_counter() - start")
LATENCY_PER_ROW = _sub("size_latency_answer", '''"batch_ms": [median_ms(lambda: reloaded.predict_proba(X_valid), 10),
                 median_ms(lambda: credit_session.run(None, {"X": batch32}), 10)],''',
                       '''"batch_ms": [median_ms(lambda: reloaded.predict_proba(X_valid), 10) / len(X_valid),
                 median_ms(lambda: credit_session.run(None, {"X": batch32}), 10) / len(X_valid)],''')
LATENCY_KILO_1000 = _sub("size_latency_answer",
                         '"file_kb": [SKOPS_PATH.stat().st_size / 1024, ONNX_PATH.stat().st_size / 1024]',
                         '"file_kb": [SKOPS_PATH.stat().st_size / 1000, ONNX_PATH.stat().st_size / 1000]')
# -- preprocessing (Task 4)
PRE_OWN_MAX = _sub("digits_preprocess_answer", "dtype=np.float32) / 16.0",
                   "dtype=np.float32)\n    pixels = pixels / pixels.max()  # the data's own maximum")
PRE_255 = _sub("digits_preprocess_answer", "/ 16.0", "/ 255.0")
PRE_SQUEEZE = _sub("digits_preprocess_answer",
                   "    return pixels.reshape(-1, 1, 8, 8)",
                   "    pixels = np.squeeze(pixels)\n    return pixels[:, None, :, :]")
# -- top-k (Task 5)
TOPK_LOGITS = _sub("digits_topk_answer", "probs = softmax(logits.astype(np.float64))",
                   "probs = logits.astype(np.float64)  # the logits as they come")
TOPK_AXIS0 = _sub("digits_topk_answer",
                  "shifted = logits - logits.max(axis=1, keepdims=True)\n    exp = np.exp(shifted)\n"
                  "    return exp / exp.sum(axis=1, keepdims=True)",
                  "exp = np.exp(logits - logits.max())\n    return exp / exp.sum(axis=0, keepdims=True)")
TOPK_ASCENDING = _sub("digits_topk_answer", "np.argsort(-probs,", "np.argsort(probs,")
# -- threshold (Task 6)
THR_ERROR_OF_ALL = _sub("review_threshold_answer", '"error_rate": (~correct[auto]).mean()',
                        '"error_rate": (~correct & auto).mean()')
THR_TOO_HIGH = _sub("review_threshold_answer", 'review_threshold = float(meets_target["threshold"].min())',
                    'review_threshold = float(meets_target["threshold"].quantile(0.5))')
THR_BLANK_PLOT = _sub("review_threshold_answer", "fig.savefig(TRADEOFF_PLOT, dpi=100)\nplt.show()",
                      "plt.show()\nplt.close(fig)  # what Jupyter's inline show() does\n"
                      "plt.savefig(TRADEOFF_PLOT, dpi=100)  # after show(): a new, empty figure")
# -- routing (Task 7)
ROUTE_ONE_BASED = _sub("routing_file_answer", '"image_id": np.arange(len(incoming_images))',
                       '"image_id": np.arange(1, len(incoming_images) + 1)')
ROUTE_FIXED = _sub("routing_file_answer", '>= review_threshold, "auto"', '>= 0.9, "auto"')
ROUTE_LABELS = _sub("routing_file_answer", '"auto", "human")', '"machine", "manual")')
# -- batch scoring (Task 9)
BATCH_BLANK_OPTIONAL = _sub("batch_scoring_answer", "(blank & field.required, ", "(blank, ")
BATCH_NO_CROSS = _sub("batch_scoring_answer", '''    if {"amount", "price"} <= set(values.columns):
        for i in raw.index[(values["amount"] > values["price"]).to_numpy()]:
            reasons[i].append("amount: above price")
''', "")
BATCH_MISSING_COLUMN = _sub("batch_scoring_answer", '''        if col not in raw.columns:
            for i in raw.index:
                reasons[i].append(f"{col}: column missing from the file")
            continue
''', "")
BATCH_PROB_GOOD = _sub("batch_scoring_answer", "[:, bad]", "[:, 1 - bad]")
# -- saved files (Task 10)
FILES_WITH_INDEX = _sub("batch_files_answer", "scored.to_csv(SCORED_PATH, index=False)", "scored.to_csv(SCORED_PATH)")
FILES_HEAD = _sub("batch_files_answer", "rejected.to_csv(REJECTED_PATH, index=False)",
                  "rejected.head(10).to_csv(REJECTED_PATH, index=False)")
FILES_SWAPPED = _sub("batch_files_answer",
                     'SCORED_PATH = OUTPUT / "batch_scored.csv"\nREJECTED_PATH = OUTPUT / "batch_rejected.csv"',
                     'SCORED_PATH = OUTPUT / "batch_rejected.csv"\nREJECTED_PATH = OUTPUT / "batch_scored.csv"')
# -- usage (Task 11)
USAGE_NONBLANK = _sub("usage_features_answer", 'values="session_id", aggfunc="count")["session_id"]',
                      'values="response_ms", aggfunc="count")["response_ms"]')
USAGE_USERS = _sub("usage_features_answer",
                   'feature_sessions = log.pivot_table(index="feature", values="session_id", aggfunc="count")["session_id"]',
                   'feature_sessions = log.groupby("feature")["user_id"].nunique()')
USAGE_LEAST = _sub("usage_features_answer", "most_used_feature = feature_sessions.idxmax()",
                   "most_used_feature = feature_sessions.index[-1]")
# -- latency bottleneck (Task 12)
LAT_ALL_SESSIONS = _sub("latency_bottleneck_answer", 'ok = log[log["status"] == "成功"]', "ok = log")
LAT_MAX = _sub("latency_bottleneck_answer", 'by_feature = ok.groupby("feature")["response_ms"].mean()',
               'by_feature = ok.groupby("feature")["response_ms"].max()')
LAT_SUM = _sub("latency_bottleneck_answer", 'values="response_ms", aggfunc="mean")',
               'values="response_ms", aggfunc="sum")')
# -- hot spot (Task 13)
HOT_COUNTS = _sub("failure_hot_spot_answer", "hot_feature, hot_device = rates.stack().idxmax()",
                  'counts = (failure["mean"] * failure["count"]).where(failure["count"] >= q.MIN_SESSIONS)\n'
                  'hot_feature, hot_device = counts.stack().idxmax()  # most failures, not the highest rate')
HOT_NO_MIN = _sub("failure_hot_spot_answer", 'rates = failure["mean"].where(failure["count"] >= q.MIN_SESSIONS)',
                  'rates = failure["mean"]')
HOT_PERCENT = _sub("failure_hot_spot_answer", '"failure_rate": float(rates.loc[hot_feature, hot_device]),',
                   '"failure_rate": round(100 * float(rates.loc[hot_feature, hot_device]), 1),')
HOT_OVERALL_ERROR = _sub("failure_hot_spot_answer", '"main_error": log.loc[in_hot_spot, "error_type"]',
                         '"main_error": log["error_type"]')

T1, T2, T3, T4, T5 = "skops_export", "onnx_export", "size_latency", "digits_preprocess", "digits_topk"
T6, T7, T9, T10 = "review_threshold", "routing_file", "batch_scoring", "batch_files"
T11, T12, T13 = "usage_features", "latency_bottleneck", "failure_hot_spot"
FIX_5 = "Task 5"

CASES = [
    Case("pandas-routes", A, ALT_PANDAS),
    Case("numpy-routes", A, ALT_NUMPY),
    Case("pivot-routes", A, ALT_PIVOT),
    Case("partial-types-kilo-1000-own-max-axis0-blank-optional-head-max-counts", W, {
        "skops_export_answer": SKOPS_PARTIAL_LIST, "size_latency_answer": LATENCY_KILO_1000,
        "digits_preprocess_answer": PRE_OWN_MAX, "digits_topk_answer": TOPK_AXIS0,
        "batch_scoring_answer": BATCH_BLANK_OPTIONAL, "batch_files_answer": FILES_HEAD,
        "latency_bottleneck_answer": LAT_MAX, "failure_hot_spot_answer": HOT_COUNTS},
        loses={T1: "only the outer type listed", T3: "KB of 1000 bytes", T4: "scaled by the data's own maximum",
               T5: "softmax over the batch", T9: "rows with a blank optional field rejected",
               T10: "only 10 rejections saved", T12: "slowest by maximum", T13: "failure counts compared, not rates"},
        carried={T6: FIX_5, T7: FIX_5}),
    Case("refit-valid-seconds-logits-nonblank", W, {
        "skops_export_answer": SKOPS_REFIT_VALID, "size_latency_answer": LATENCY_SECONDS,
        "digits_topk_answer": TOPK_LOGITS, "usage_features_answer": USAGE_NONBLANK},
        loses={T1: "model refitted on the validation rows", T3: "latency in seconds",
               T5: "no softmax", T11: "counted non-blank response times"},
        carried={T6: FIX_5, T7: FIX_5}),
    Case("diff-zero-error-of-all-fixed-route-index-all-sessions", W, {
        "onnx_export_answer": ONNX_DIFF_ZERO, "review_threshold_answer": THR_ERROR_OF_ALL,
        "batch_files_answer": FILES_WITH_INDEX, "latency_bottleneck_answer": LAT_ALL_SESSIONS,
        "routing_file_answer": ROUTE_FIXED},
        loses={T2: "reported a difference of labels (zero)", T6: "error rate over all cases",
               T10: "row index written", T12: "failed sessions included",
               T7: "fixed threshold 0.9 instead of review_threshold"}),
    Case("diff-mean-per-row-one-based-no-min", W, {
        "onnx_export_answer": ONNX_DIFF_MEAN, "size_latency_answer": LATENCY_PER_ROW,
        "routing_file_answer": ROUTE_ONE_BASED, "failure_hot_spot_answer": HOT_NO_MIN},
        loses={T2: "mean difference reported", T3: "batch latency per row", T7: "image_id from 1",
               T13: "groups below MIN_SESSIONS compared"}),
    Case("no-imputer-255-no-cross-users", W, {
        "onnx_export_answer": ONNX_NO_IMPUTER, "digits_preprocess_answer": PRE_255,
        "batch_scoring_answer": BATCH_NO_CROSS, "usage_features_answer": USAGE_USERS},
        loses={T2: "exported without the imputer", T4: "divided by 255",
               T9: "amount above price not checked", T11: "unique users counted"}),
    Case("squeeze-high-threshold-column-crash-percent", W, {
        "digits_preprocess_answer": PRE_SQUEEZE, "review_threshold_answer": THR_TOO_HIGH,
        "batch_scoring_answer": BATCH_MISSING_COLUMN, "failure_hot_spot_answer": HOT_PERCENT},
        loses={T4: "breaks for a single image", T6: "threshold far above the best",
               T9: "crashes on a missing column", T13: "rate in percent"}),
    Case("ascending-fixed-threshold-swapped-least", W, {
        "digits_topk_answer": TOPK_ASCENDING, "batch_files_answer": FILES_SWAPPED,
        "usage_features_answer": USAGE_LEAST, "skops_export_answer": SKOPS_PICKLE},
        loses={T5: "least probable classes first", T10: "files swapped", T11: "least used feature",
               T1: "a pickle saved under the .skops name"},
        carried={T6: FIX_5, T7: FIX_5, T3: "Task 1"}),
    Case("blank-plot-labels-prob-good-sum-overall-error", W, {
        "review_threshold_answer": THR_BLANK_PLOT, "routing_file_answer": ROUTE_LABELS,
        "batch_scoring_answer": BATCH_PROB_GOOD, "latency_bottleneck_answer": LAT_SUM,
        "failure_hot_spot_answer": HOT_OVERALL_ERROR},
        loses={T6: "blank figure saved", T7: "routes named machine/manual", T9: "P(good) scored",
               T12: "total time, not mean", T13: "main error of the whole log"}),
]
