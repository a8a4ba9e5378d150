"""Whole answers of the evaluation lab, graded end to end through nbgrader (see ``class_runs``).

Alternatives reach every task's answer by another route and must score full on every cell. Each
wrong case makes real mistakes the statements rule out, on tasks that do not build on each other
(or where error carried forward keeps a later task judged on the learner's own upstream result).
"""

from __future__ import annotations

from class_runs import Case

# --- Alternative routes -----------------------------------------------------------------------

BY_HAND = {
    "test_predictions_answer": """\
proba = model.predict_proba(X_test)
y_pred = model.classes_[proba.argmax(axis=1)]
y_score = proba[:, list(model.classes_).index("bad")]
""",
    "confusion_matrix_answer": """\
truth, guess = np.asarray(y_test), np.asarray(y_pred)
tn = int(np.sum((truth == "good") & (guess == "good")))
fp = int(np.sum((truth == "good") & (guess == "bad")))
fn = int(np.sum((truth == "bad") & (guess == "good")))
tp = int(np.sum((truth == "bad") & (guess == "bad")))
cm = np.array([[tn, fp], [fn, tp]])
fig, ax = plt.subplots(figsize=(4, 3.5))
ax.imshow(cm, cmap="Blues")
for (i, j), n in np.ndenumerate(cm):
    ax.text(j, i, str(n), ha="center", va="center")
ax.set(xticks=[0, 1], yticks=[0, 1], xticklabels=["good", "bad"], yticklabels=["good", "bad"],
       xlabel="predicted", ylabel="true")
plt.show()
""",
    "classification_metrics_answer": """\
from sklearn.metrics import auc
(tn, fp), (fn, tp) = cm
precision_bad = tp / (tp + fp)
recall_bad = tp / (tp + fn)
fpr_all, tpr_all, _ = roc_curve(y_test, y_score, pos_label="bad")
metrics = {
    "accuracy": (tp + tn) / cm.sum(),
    "precision": precision_bad,
    "recall": recall_bad,
    "f1": 2 * precision_bad * recall_bad / (precision_bad + recall_bad),
    "roc_auc": auc(fpr_all, tpr_all),
}
metrics
""",
    "roc_pr_curves_answer": """\
is_bad = np.asarray(y_test) == "bad"
cuts = np.r_[np.inf, np.sort(np.unique(y_score))[::-1]]
tpr = np.array([np.sum(is_bad & (y_score >= c)) / is_bad.sum() for c in cuts])
fpr = np.array([np.sum(~is_bad & (y_score >= c)) / (~is_bad).sum() for c in cuts])
flagged = np.array([np.sum(y_score >= c) for c in cuts[1:]])
prec = np.array([np.sum(is_bad & (y_score >= c)) for c in cuts[1:]]) / flagged
plt.figure(figsize=(10, 4))
plt.subplot(1, 2, 1)
plt.plot(fpr, tpr, color="tab:orange")
plt.plot([0, 1], [0, 1], ":", color="black")
plt.xlabel("FPR")
plt.ylabel("TPR")
plt.title("ROC")
plt.subplot(1, 2, 2)
plt.plot(tpr[1:], prec, color="tab:green")
plt.axhline(is_bad.mean(), ls=":", color="black")
plt.xlabel("recall")
plt.ylabel("precision")
plt.title("PR")
CURVES_PATH = str(OUTPUT / "roc_pr_curves.png")
plt.savefig(CURVES_PATH)
plt.show()
""",
    "classification_report_file_answer": """\
REPORT_PATH = OUTPUT / "classification_report.txt"
REPORT_PATH.write_text(classification_report(y_test, y_pred), encoding="utf-8")
print(REPORT_PATH.read_text(encoding="utf-8"))
""",
    "regression_errors_answer": """\
results = pd.DataFrame({"actual": y_test_mpg, "predicted": reg_model.predict(X_test_mpg)},
                       index=y_test_mpg.index).sort_values("actual")
mpg_pred = results["predicted"]
residual = results["actual"] - results["predicted"]
reg_metrics = {
    "mae": residual.abs().mean(),
    "rmse": np.sqrt((residual ** 2).mean()),
    "r2": 1 - (residual ** 2).sum() / ((results["actual"] - results["actual"].mean()) ** 2).sum(),
}
results.plot.scatter(x="actual", y="predicted")
plt.axline((10, 10), slope=1, color="grey")
plt.show()
reg_metrics
""",
    "cost_metric_answer": 'metric_choice = "Recall"\n',
    "cost_threshold_answer": """\
val_score = model.predict_proba(X_val)[:, list(model.classes_).index("bad")]
val_bad = np.asarray(y_val) == "bad"


def cost_at(is_bad, score, t):
    flagged = score >= t
    return 5 * np.sum(is_bad & ~flagged) + np.sum(~is_bad & flagged)


# every distinct split of the validation scores, not just a grid
candidates = np.unique(val_score)
costs = np.array([cost_at(val_bad, val_score, t) for t in candidates])
chosen = float(candidates[costs.argmin()])
plt.plot(candidates, costs)
plt.xlabel("threshold")
plt.ylabel("cost")
plt.show()
test_bad = np.asarray(y_test) == "bad"
threshold_choice = {
    "threshold": chosen,
    "val_cost": int(costs.min()),
    "test_cost_default": int(cost_at(test_bad, y_score, 0.5)),
    "test_cost_chosen": int(cost_at(test_bad, y_score, chosen)),
}
threshold_choice
""",
    "error_analysis_answer": """\
data = X_test.copy()
data["income_missing"] = data["income"].isna()
data["age_group"] = pd.cut(data["age"], bins=[17, 25, 35, 45, 55, 70],
                           labels=["18-25", "26-35", "36-45", "46-55", "56-70"])
wrong = np.asarray(y_pred) != np.asarray(y_test)
defaulted = np.asarray(y_test) == "bad"
found = []
for column in ["home", "marital", "records", "job", "income_missing", "age_group"]:
    for value in data[column].dropna().unique():
        mask = np.asarray(data[column] == value)
        if mask.sum() >= 30:
            found.append((wrong[mask].mean(), column, value, int(mask.sum()), defaulted[mask].mean()))
found.sort(key=lambda row: row[0], reverse=True)
rate, column, value, size, bad_share = found[0]
plt.barh([f"{c}={v}" for _, c, v, _, _ in found], [r for r, *_ in found])
plt.show()
worst_slice = {"column": column, "value": str(value), "size": size, "error_rate": rate,
               "bad_rate": bad_share}
worst_slice
""",
}

PANDAS = {
    "test_predictions_answer": """\
y_score = pd.Series(model.predict_proba(X_test)[:, 0], index=X_test.index, name="p_bad")
assert model.classes_[0] == "bad"
y_pred = pd.Series(np.where(y_score >= 0.5, "bad", "good"), index=X_test.index)
y_pred.value_counts()
""",
    "confusion_matrix_answer": """\
cm = pd.crosstab(y_test, y_pred, rownames=["true"], colnames=["predicted"])
cm
""",
    "classification_metrics_answer": """\
report = classification_report(y_test, y_pred, output_dict=True)
metrics = {
    "accuracy": round(report["accuracy"], 2),
    "precision": round(report["bad"]["precision"], 2),
    "recall": round(report["bad"]["recall"], 2),
    "f1": round(report["bad"]["f1-score"], 2),
    "roc_auc": round(roc_auc_score(y_test.map({"good": 0, "bad": 1}), y_score), 2),
}
metrics
""",
    "roc_pr_curves_answer": """\
from sklearn.metrics import PrecisionRecallDisplay, RocCurveDisplay
fpr, tpr, _ = roc_curve(y_test == "bad", y_score, drop_intermediate=False)
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
RocCurveDisplay.from_predictions(y_test, y_score, pos_label="bad", ax=axes[0], plot_chance_level=True)
PrecisionRecallDisplay.from_predictions(y_test, y_score, pos_label="bad", ax=axes[1],
                                        plot_chance_level=True)
CURVES_PATH = OUTPUT / "roc_pr_curves.png"
fig.savefig(CURVES_PATH, dpi=80)
plt.close(fig)
""",
    "classification_report_file_answer": """\
table = pd.DataFrame(classification_report(y_test, y_pred, output_dict=True)).T
table = table.loc[["bad", "good"]]
REPORT_PATH = OUTPUT / "classification_report.txt"
with open(REPORT_PATH, "w", encoding="utf-8") as out:
    out.write(table.to_string())
table
""",
    "regression_errors_answer": """\
from sklearn.metrics import root_mean_squared_error
mpg_pred = pd.Series(reg_model.predict(X_test_mpg), index=X_test_mpg.index)
reg_metrics = {
    "mae": round(mean_absolute_error(y_test_mpg, mpg_pred), 2),
    "rmse": round(root_mean_squared_error(y_test_mpg, mpg_pred), 2),
    "r2": round(r2_score(y_test_mpg, mpg_pred), 2),
}
plt.scatter(y_test_mpg, mpg_pred)
plt.plot([10, 45], [10, 45], "k--")
plt.show()
reg_metrics
""",
    "cost_metric_answer": 'metric_choice = "召回率"\n',
    "cost_threshold_answer": """\
val_score = pd.Series(model.predict_proba(X_val)[:, 0], index=X_val.index)
grid = np.arange(0.01, 1.0, 0.01)
flag = val_score.to_numpy()[:, None] >= grid[None, :]
is_bad = (y_val == "bad").to_numpy()[:, None]
val_costs = 5 * (is_bad & ~flag).sum(axis=0) + (~is_bad & flag).sum(axis=0)
best = grid[val_costs.argmin()]
pd.Series(val_costs, index=grid).plot(xlabel="threshold", ylabel="cost")
plt.show()
test_flag_default = y_score >= 0.5
test_flag_best = y_score >= best
test_bad = y_test == "bad"
threshold_choice = {
    "threshold": best,
    "val_cost": val_costs.min(),
    "test_cost_default": 5 * (test_bad & ~test_flag_default).sum() + (~test_bad & test_flag_default).sum(),
    "test_cost_chosen": 5 * (test_bad & ~test_flag_best).sum() + (~test_bad & test_flag_best).sum(),
}
threshold_choice
""",
    "error_analysis_answer": """\
table = X_test.assign(
    income_missing=X_test["income"].isna(),
    age_group=pd.cut(X_test["age"], bins=[17, 25, 35, 45, 55, 70],
                     labels=["18-25", "26-35", "36-45", "46-55", "56-70"]),
    error=(y_pred != y_test),
    is_bad=(y_test == "bad"),
)
parts = []
for column in ["home", "marital", "records", "job", "income_missing", "age_group"]:
    part = table.groupby(column, observed=True).agg(size=("error", "count"), error_rate=("error", "mean"),
                                                    bad_rate=("is_bad", "mean"))
    parts.append(part.assign(column=column).rename_axis("value").reset_index())
slices = pd.concat(parts, ignore_index=True).query("size >= 30")
slices.plot.bar(x="value", y="error_rate")
plt.show()
top = slices.loc[slices["error_rate"].idxmax()]
worst_slice = top[["column", "value", "size", "error_rate", "bad_rate"]].to_dict()
worst_slice
""",
}

SKLEARN = {
    "test_predictions_answer": """\
y_pred = list(model.predict(X_test))
y_score = model.predict_proba(X_test)[:, np.flatnonzero(model.classes_ == "bad")[0]].tolist()
""",
    "confusion_matrix_answer": """\
cm = confusion_matrix(y_test == "bad", np.asarray(y_pred) == "bad").tolist()
ConfusionMatrixDisplay.from_predictions(y_test, y_pred, labels=["good", "bad"])
plt.show()
""",
    "classification_metrics_answer": """\
from sklearn.metrics import precision_recall_fscore_support
p, r, f, _ = precision_recall_fscore_support(y_test, y_pred, labels=["bad"])
metrics = {"accuracy": np.mean(np.asarray(y_test) == np.asarray(y_pred)), "precision": p[0],
           "recall": r[0], "f1": f[0], "roc_auc": roc_auc_score(y_test, 1 - np.asarray(y_score))}
metrics = {k: round(float(v), 3) for k, v in metrics.items()}
metrics
""",
    "roc_pr_curves_answer": """\
fpr, tpr, _ = roc_curve(y_test, y_score, pos_label="bad")
p_curve, r_curve, _ = precision_recall_curve(y_test, y_score, pos_label="bad")
fig = plt.figure(figsize=(8, 4))
ax1 = fig.add_subplot(121)
ax1.step(fpr, tpr)
ax1.plot([0, 1], [0, 1], "r--")
ax1.set_title("ROC")
ax2 = fig.add_subplot(122)
ax2.step(r_curve, p_curve)
ax2.axhline(np.mean(np.asarray(y_test) == "bad"), color="r", ls="--")
ax2.set_title("PR")
CURVES_PATH = OUTPUT / "roc_pr_curves.png"
fig.savefig(CURVES_PATH, dpi=150, bbox_inches="tight")
""",
    "classification_report_file_answer": """\
REPORT_PATH = OUTPUT / "classification_report.txt"
text = classification_report(y_test, y_pred, labels=["good", "bad"], digits=3)
with open(REPORT_PATH, "w", encoding="utf-8") as handle:
    print(text, file=handle)
""",
    "regression_errors_answer": """\
mpg_pred = reg_model.predict(X_test_mpg).tolist()
reg_metrics = {
    "mae": mean_absolute_error(y_test_mpg, mpg_pred),
    "rmse": mean_squared_error(y_test_mpg, mpg_pred) ** 0.5,
    "r2": reg_model.score(X_test_mpg, y_test_mpg),
}
reg_metrics
""",
    "cost_metric_answer": 'metric_choice = " recall "\n',
    "cost_threshold_answer": """\
val_score = model.predict_proba(X_val)[:, 0]


def cost(y_true, score, t):
    (tn, fp), (fn, tp) = confusion_matrix(y_true == "bad", score >= t, labels=[False, True])
    return 5 * fn + 1 * fp


ts = [round(0.01 * i, 2) for i in range(1, 100)]
costs = [cost(y_val, val_score, t) for t in ts]
pick = ts[int(np.argmin(costs))]
threshold_choice = {"threshold": pick, "val_cost": min(costs),
                    "test_cost_default": cost(y_test, np.asarray(y_score), 0.5),
                    "test_cost_chosen": cost(y_test, np.asarray(y_score), pick)}
threshold_choice
""",
    "error_analysis_answer": """\
err = pd.Series(np.asarray(y_pred) != np.asarray(y_test), index=X_test.index)
bad = y_test == "bad"
keys = {
    "home": X_test["home"], "marital": X_test["marital"], "records": X_test["records"],
    "job": X_test["job"], "income_missing": X_test["income"].isna(),
    "age_group": pd.cut(X_test["age"], bins=[17, 25, 35, 45, 55, 70]),
}
best = None
for column, key in keys.items():
    stats = pd.DataFrame({"size": err.groupby(key, observed=True).size(),
                          "error_rate": err.groupby(key, observed=True).mean(),
                          "bad_rate": bad.groupby(key, observed=True).mean()})
    stats = stats[stats["size"] >= 30]
    for value, row in stats.iterrows():
        if best is None or row["error_rate"] > best["error_rate"]:
            best = {"column": column, "value": str(value), **row.to_dict()}
worst_slice = best
worst_slice
""",
}

# --- Wrong answers: real mistakes the statements rule out ----------------------------------------

SOLUTION_PRED = """\
y_pred = model.predict(X_test)
"""

WRONG_A = {
    # Task 1: the score of 'good' (predict_proba's second column is 'good' here)
    "test_predictions_answer": SOLUTION_PRED + "y_score = model.predict_proba(X_test)[:, 1]\n",
    # Task 6: the MSE reported as the RMSE
    "regression_errors_answer": """\
mpg_pred = reg_model.predict(X_test_mpg)
reg_metrics = {"mae": mean_absolute_error(y_test_mpg, mpg_pred),
               "rmse": mean_squared_error(y_test_mpg, mpg_pred),
               "r2": r2_score(y_test_mpg, mpg_pred)}
""",
    # Task 7: precision does not count the missed defaulters
    "cost_metric_answer": 'metric_choice = "precision"\n',
    # Task 9: counts errors instead of comparing error rates
    "error_analysis_answer": """\
frame = X_test[["home", "marital", "records", "job"]].copy()
frame["income_missing"] = X_test["income"].isna()
frame["age_group"] = pd.cut(X_test["age"], bins=[17, 25, 35, 45, 55, 70],
                            labels=["18-25", "26-35", "36-45", "46-55", "56-70"])
frame["error"] = np.asarray(y_pred) != np.asarray(y_test)
frame["is_bad"] = np.asarray(y_test) == "bad"
rows = []
for column in ["home", "marital", "records", "job", "income_missing", "age_group"]:
    stats = frame.groupby(column, observed=True).agg(
        size=("error", "size"), errors=("error", "sum"), error_rate=("error", "mean"),
        bad_rate=("is_bad", "mean"))
    for value, row in stats.iterrows():
        rows.append({"column": column, "value": value, **row})
slices = pd.DataFrame(rows)
slices = slices[slices["size"] >= 30].sort_values("errors", ascending=False)
top = slices.iloc[0]
worst_slice = {"column": top["column"], "value": top["value"], "size": int(top["size"]),
               "error_rate": float(top["error_rate"]), "bad_rate": float(top["bad_rate"])}
""",
}

WRONG_B = {
    # Task 1: predictions of a model refitted on the test rows
    "test_predictions_answer": """\
from sklearn.base import clone
refit = clone(model).fit(X_test, y_test)
y_pred = refit.predict(X_test)
y_score = model.predict_proba(X_test)[:, list(model.classes_).index("bad")]
""",
    # Task 2: no labels= -> sklearn orders the classes bad, good
    "confusion_matrix_answer": "cm = confusion_matrix(y_test, y_pred)\n",
    # Task 5: truth and prediction swapped
    "classification_report_file_answer": """\
REPORT_PATH = OUTPUT / "classification_report.txt"
with open(REPORT_PATH, "w", encoding="utf-8") as handle:
    handle.write(classification_report(y_pred, y_test, digits=4))
""",
    # Task 8: the threshold is chosen on the test set
    "cost_threshold_answer": """\
def total_cost(y_true, score, threshold):
    flagged = score >= threshold
    is_bad = np.asarray(y_true) == "bad"
    return 5 * int(np.sum(is_bad & ~flagged)) + int(np.sum(~is_bad & flagged))


val_score = model.predict_proba(X_val)[:, list(model.classes_).index("bad")]
thresholds = np.round(np.arange(0.01, 1.0, 0.01), 2)
test_costs = [total_cost(y_test, y_score, t) for t in thresholds]
best = float(thresholds[int(np.argmin(test_costs))])
threshold_choice = {"threshold": best, "val_cost": total_cost(y_val, val_score, best),
                    "test_cost_default": total_cost(y_test, y_score, 0.5),
                    "test_cost_chosen": total_cost(y_test, y_score, best)}
""",
}

WRONG_C = {
    # Task 3: macro averages instead of the scores of the positive class 'bad'
    "classification_metrics_answer": """\
metrics = {
    "accuracy": accuracy_score(y_test, y_pred),
    "precision": precision_score(y_test, y_pred, average="macro"),
    "recall": recall_score(y_test, y_pred, average="macro"),
    "f1": f1_score(y_test, y_pred, average="macro"),
    "roc_auc": roc_auc_score(y_test == "bad", y_score),
}
""",
    # Task 4: the figure is saved before anything is drawn on it (two empty frames)
    "roc_pr_curves_answer": """\
fpr, tpr, _ = roc_curve(y_test, y_score, pos_label="bad")
precision, recall, _ = precision_recall_curve(y_test, y_score, pos_label="bad")
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4))
CURVES_PATH = OUTPUT / "roc_pr_curves.png"
fig.savefig(CURVES_PATH)
left.plot(fpr, tpr)
left.plot([0, 1], [0, 1], "--", color="grey")
right.plot(recall, precision)
right.axhline((y_test == "bad").mean(), ls="--", color="grey")
plt.show()
""",
    # Task 6: r2_score with its arguments swapped
    "regression_errors_answer": """\
mpg_pred = reg_model.predict(X_test_mpg)
reg_metrics = {"mae": mean_absolute_error(y_test_mpg, mpg_pred),
               "rmse": float(np.sqrt(mean_squared_error(y_test_mpg, mpg_pred))),
               "r2": r2_score(mpg_pred, y_test_mpg)}
""",
    # Task 7: accuracy hides the missed defaulters
    "cost_metric_answer": 'metric_choice = "accuracy"\n',
    # Task 9: no minimum slice size
    "error_analysis_answer": """\
frame = X_test[["home", "marital", "records", "job"]].copy()
frame["income_missing"] = X_test["income"].isna()
frame["age_group"] = pd.cut(X_test["age"], bins=[17, 25, 35, 45, 55, 70],
                            labels=["18-25", "26-35", "36-45", "46-55", "56-70"])
frame["error"] = np.asarray(y_pred) != np.asarray(y_test)
frame["is_bad"] = np.asarray(y_test) == "bad"
rows = []
for column in ["home", "marital", "records", "job", "income_missing", "age_group"]:
    stats = frame.groupby(column, observed=True).agg(
        size=("error", "size"), error_rate=("error", "mean"), bad_rate=("is_bad", "mean"))
    for value, row in stats.iterrows():
        rows.append({"column": column, "value": value, **row})
top = pd.DataFrame(rows).sort_values("error_rate", ascending=False).iloc[0]
worst_slice = {"column": top["column"], "value": top["value"], "size": int(top["size"]),
               "error_rate": float(top["error_rate"]), "bad_rate": float(top["bad_rate"])}
""",
}

WRONG_D = {
    # Task 1: labels from a threshold of its own instead of the model's predictions
    "test_predictions_answer": """\
y_score = model.predict_proba(X_test)[:, list(model.classes_).index("bad")]
y_pred = np.where(y_score >= 0.3, "bad", "good")
""",
    # Task 2: shares instead of counts
    "confusion_matrix_answer": """\
cm = confusion_matrix(y_test, y_pred, labels=["good", "bad"], normalize="true")
""",
    # Task 3: ROC-AUC from the labels, not the scores
    "classification_metrics_answer": """\
metrics = {
    "accuracy": accuracy_score(y_test, y_pred),
    "precision": precision_score(y_test, y_pred, pos_label="bad"),
    "recall": recall_score(y_test, y_pred, pos_label="bad"),
    "f1": f1_score(y_test, y_pred, pos_label="bad"),
    "roc_auc": roc_auc_score(y_test == "bad", np.asarray(y_pred) == "bad"),
}
""",
    # Task 5: the report of the validation set
    "classification_report_file_answer": """\
REPORT_PATH = OUTPUT / "classification_report.txt"
with open(REPORT_PATH, "w", encoding="utf-8") as handle:
    handle.write(classification_report(y_val, model.predict(X_val), digits=4))
""",
    # Task 6: predictions of a regressor refitted on the test cars
    "regression_errors_answer": """\
from sklearn.base import clone
mpg_pred = clone(reg_model).fit(X_test_mpg, y_test_mpg).predict(X_test_mpg)
reg_metrics = {"mae": mean_absolute_error(y_test_mpg, mpg_pred),
               "rmse": float(np.sqrt(mean_squared_error(y_test_mpg, mpg_pred))),
               "r2": r2_score(y_test_mpg, mpg_pred)}
""",
    # Task 8: the default threshold kept, no search at all
    "cost_threshold_answer": """\
def total_cost(y_true, score, threshold):
    flagged = score >= threshold
    is_bad = np.asarray(y_true) == "bad"
    return 5 * int(np.sum(is_bad & ~flagged)) + int(np.sum(~is_bad & flagged))


val_score = model.predict_proba(X_val)[:, list(model.classes_).index("bad")]
threshold_choice = {"threshold": 0.5, "val_cost": total_cost(y_val, val_score, 0.5),
                    "test_cost_default": total_cost(y_test, y_score, 0.5),
                    "test_cost_chosen": total_cost(y_test, y_score, 0.5)}
""",
}

WRONG_E = {
    # Task 2: truth and prediction swapped (the matrix is transposed)
    "confusion_matrix_answer": 'cm = confusion_matrix(y_pred, y_test, labels=["good", "bad"])\n',
    # Task 3: 'good' taken as the positive class
    "classification_metrics_answer": """\
metrics = {
    "accuracy": accuracy_score(y_test, y_pred),
    "precision": precision_score(y_test, y_pred, pos_label="good"),
    "recall": recall_score(y_test, y_pred, pos_label="good"),
    "f1": f1_score(y_test, y_pred, pos_label="good"),
    "roc_auc": roc_auc_score(y_test == "bad", y_score),
}
""",
    # Task 4: the ROC curve of 'good'
    "roc_pr_curves_answer": """\
fpr, tpr, _ = roc_curve(y_test, y_score, pos_label="good")
precision, recall, _ = precision_recall_curve(y_test, y_score, pos_label="bad")
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4))
left.plot(fpr, tpr)
left.plot([0, 1], [0, 1], "--", color="grey")
right.plot(recall, precision)
right.axhline((y_test == "bad").mean(), ls="--", color="grey")
CURVES_PATH = OUTPUT / "roc_pr_curves.png"
fig.savefig(CURVES_PATH, dpi=100)
""",
    # Task 5: the report of boolean labels has no 'bad' and 'good' rows
    "classification_report_file_answer": """\
REPORT_PATH = OUTPUT / "classification_report.txt"
with open(REPORT_PATH, "w", encoding="utf-8") as handle:
    handle.write(classification_report(y_test == "bad", np.asarray(y_pred) == "bad"))
""",
    # Task 8: the two costs swapped (5 x FP + 1 x FN)
    "cost_threshold_answer": """\
def total_cost(y_true, score, threshold):
    flagged = score >= threshold
    is_bad = np.asarray(y_true) == "bad"
    return int(np.sum(is_bad & ~flagged)) + 5 * int(np.sum(~is_bad & flagged))


val_score = model.predict_proba(X_val)[:, list(model.classes_).index("bad")]
thresholds = np.round(np.arange(0.01, 1.0, 0.01), 2)
val_costs = [total_cost(y_val, val_score, t) for t in thresholds]
best = float(thresholds[int(np.argmin(val_costs))])
threshold_choice = {"threshold": best, "val_cost": min(val_costs),
                    "test_cost_default": total_cost(y_test, y_score, 0.5),
                    "test_cost_chosen": total_cost(y_test, y_score, best)}
""",
    # Task 9: bad_rate as the share of predicted defaulters
    "error_analysis_answer": """\
frame = X_test[["home", "marital", "records", "job"]].copy()
frame["income_missing"] = X_test["income"].isna()
frame["age_group"] = pd.cut(X_test["age"], bins=[17, 25, 35, 45, 55, 70],
                            labels=["18-25", "26-35", "36-45", "46-55", "56-70"])
frame["error"] = np.asarray(y_pred) != np.asarray(y_test)
frame["flagged"] = np.asarray(y_pred) == "bad"
rows = []
for column in ["home", "marital", "records", "job", "income_missing", "age_group"]:
    stats = frame.groupby(column, observed=True).agg(
        size=("error", "size"), error_rate=("error", "mean"), bad_rate=("flagged", "mean"))
    for value, row in stats.iterrows():
        rows.append({"column": column, "value": value, **row})
slices = pd.DataFrame(rows)
top = slices[slices["size"] >= 30].sort_values("error_rate", ascending=False).iloc[0]
worst_slice = {"column": top["column"], "value": top["value"], "size": int(top["size"]),
               "error_rate": float(top["error_rate"]), "bad_rate": float(top["bad_rate"])}
""",
}

WRONG_F = {
    # Task 4: fpr and tpr swapped
    "roc_pr_curves_answer": """\
tpr, fpr, _ = roc_curve(y_test, y_score, pos_label="bad")
precision, recall, _ = precision_recall_curve(y_test, y_score, pos_label="bad")
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4))
left.plot(fpr, tpr)
left.plot([0, 1], [0, 1], "--", color="grey")
right.plot(recall, precision)
right.axhline((y_test == "bad").mean(), ls="--", color="grey")
CURVES_PATH = OUTPUT / "roc_pr_curves.png"
fig.savefig(CURVES_PATH, dpi=100)
""",
    # Task 6: the mean error (not absolute) reported as the MAE
    "regression_errors_answer": """\
mpg_pred = reg_model.predict(X_test_mpg)
reg_metrics = {"mae": float(np.mean(y_test_mpg - mpg_pred)),
               "rmse": float(np.sqrt(mean_squared_error(y_test_mpg, mpg_pred))),
               "r2": r2_score(y_test_mpg, mpg_pred)}
""",
    # Task 7: specificity is about the good customers
    "cost_metric_answer": 'metric_choice = "specificity"\n',
    # Task 9: rates reported as percentages
    "error_analysis_answer": """\
frame = X_test[["home", "marital", "records", "job"]].copy()
frame["income_missing"] = X_test["income"].isna()
frame["age_group"] = pd.cut(X_test["age"], bins=[17, 25, 35, 45, 55, 70],
                            labels=["18-25", "26-35", "36-45", "46-55", "56-70"])
frame["error"] = np.asarray(y_pred) != np.asarray(y_test)
frame["is_bad"] = np.asarray(y_test) == "bad"
rows = []
for column in ["home", "marital", "records", "job", "income_missing", "age_group"]:
    stats = frame.groupby(column, observed=True).agg(
        size=("error", "size"), error_rate=("error", "mean"), bad_rate=("is_bad", "mean"))
    for value, row in stats.iterrows():
        rows.append({"column": column, "value": value, **row})
slices = pd.DataFrame(rows)
top = slices[slices["size"] >= 30].sort_values("error_rate", ascending=False).iloc[0]
worst_slice = {"column": top["column"], "value": top["value"], "size": int(top["size"]),
               "error_rate": round(100 * top["error_rate"], 1), "bad_rate": round(100 * top["bad_rate"], 1)}
""",
}

CASES = [
    Case("by-hand", "alternative", BY_HAND),
    Case("pandas", "alternative", PANDAS),
    Case("sklearn-other", "alternative", SKLEARN),
    Case("score-of-good", "wrong", WRONG_A, loses={
        "test_predictions": "y_score is the probability of 'good'",
        "regression_errors": "the MSE reported as the RMSE",
        "cost_metric": "precision chosen",
        "error_analysis": "errors counted instead of error rates",
    }),
    Case("fitted-on-test", "wrong", WRONG_B, loses={
        "test_predictions": "y_pred of a model refitted on the test rows",
        "confusion_matrix": "classes in sklearn's order bad, good",
        "classification_report_file": "y_test and y_pred swapped",
        "cost_threshold": "threshold chosen on the test set",
    }),
    Case("blank-figure", "wrong", WRONG_C, loses={
        "classification_metrics": "macro averages",
        "roc_pr_curves": "a figure saved before its curves were drawn",
        "regression_errors": "r2_score arguments swapped",
        "cost_metric": "accuracy chosen",
        "error_analysis": "no minimum slice size",
    }),
    Case("own-threshold", "wrong", WRONG_D, loses={
        "test_predictions": "labels from a 0.3 threshold, not the model's predictions",
        "confusion_matrix": "shares instead of counts",
        "classification_metrics": "ROC-AUC from the labels",
        "classification_report_file": "the validation set's report",
        "regression_errors": "a regressor refitted on the test cars",
        "cost_threshold": "no threshold search (0.5 kept)",
    }),
    Case("wrong-class", "wrong", WRONG_E, loses={
        "confusion_matrix": "transposed",
        "classification_metrics": "'good' as the positive class",
        "roc_pr_curves": "the ROC curve of 'good'",
        "classification_report_file": "no bad and good rows",
        "cost_threshold": "the two costs swapped",
        "error_analysis": "bad_rate of the predictions",
    }),
    Case("swapped-axes", "wrong", WRONG_F, loses={
        "roc_pr_curves": "fpr and tpr swapped",
        "regression_errors": "mean error instead of the MAE",
        "cost_metric": "specificity chosen",
        "error_analysis": "rates as percentages",
    }),
]
