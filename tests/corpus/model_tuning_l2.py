"""Whole answers to the L2 model-tuning lab: other correct routes, and real mistakes the statements rule out.

Each case is the solution notebook with answer cells replaced. An alternative rewrites every answer
cell by another route. A wrong notebook makes one mistake per task, each the solution's own cell with
one or two lines changed (``_edit``); later tasks are graded on the lab's split and the learner's own
objects, so a mistake costs points on its own task only.
"""

from __future__ import annotations

from class_runs import Case, edit_source, solution_sources, wrong_case

_SOLUTION = solution_sources("model_tuning_l2")


def _edit(cell: str, *changes: tuple[str, str]) -> str:
    """The solution's ``cell`` with each ``(old, new)`` text replaced (each old text must be there)."""
    return edit_source(_SOLUTION[cell], changes, where=cell)


# --- Alternative routes -----------------------------------------------------------------------

_ALT1 = {
    # make_pipeline names, cross_validate, the leaky table from a clone of the preprocessing
    "leakage_answer": '''from sklearn.compose import make_column_transformer
from sklearn.model_selection import cross_validate
from sklearn.pipeline import make_pipeline

pipeline = make_pipeline(
    make_column_transformer((TargetEncoder(cv=FOLDS), ["seller_id"]),
                            (OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
                            (StandardScaler(), NUMERIC)),
    LogisticRegression(solver="newton-cholesky"))
honest = cross_validate(pipeline, X_train, y_train, cv=FOLDS, scoring="roc_auc")["test_score"]
prep = clone(pipeline.named_steps["columntransformer"]).fit(X_train, y_train)
leaky = cross_validate(clone(pipeline[-1]), prep.transform(X_train), y_train, cv=FOLDS,
                       scoring="roc_auc")["test_score"]
leak_report = dict(pipeline=pipeline, folds=FOLDS, honest_scores=list(honest), leaky_scores=list(leaky))
''',
    # make_pipeline step names in the space, time.time, the fits counted from mean_fit_time
    "search_answer": '''from sklearn.compose import make_column_transformer
from sklearn.pipeline import make_pipeline

tree_pipe = make_pipeline(make_column_transformer((OrdinalEncoder(), CATEGORICAL),
                                                  ("passthrough", NUMERIC)),
                          DecisionTreeClassifier(random_state=SEED))
space = {name.replace("model__", "decisiontreeclassifier__"): values for name, values in SPACE.items()}
searches = {
    "random": RandomizedSearchCV(tree_pipe, space, n_iter=6, cv=FOLDS, scoring="roc_auc", random_state=1),
    "halving": HalvingRandomSearchCV(tree_pipe, space, n_candidates=4, min_resources="exhaust", cv=FOLDS,
                                     scoring="roc_auc", random_state=1),
}
search_report = {"baseline_score": round(float(np.mean(
    cross_val_score(tree_pipe, X_train, y_train, cv=FOLDS, scoring="roc_auc"))), 3)}
for name, found in searches.items():
    began = time.time()
    found.fit(X_train, y_train)
    search_report[name] = {"seconds": time.time() - began, "best_score": round(found.best_score_, 3),
                           "n_fits": int(found.cv_results_["mean_fit_time"].size * 3)}
random_search, halving_search = searches["random"], searches["halving"]
''',
    # absolute sizes, other leaf values, columns in another order
    "curves_answer": '''from sklearn.compose import make_column_transformer
from sklearn.pipeline import make_pipeline

logistic = make_pipeline(make_column_transformer((OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
                                                 (StandardScaler(), NUMERIC)),
                         LogisticRegression(solver="liblinear"))
sizes, tr, va = learning_curve(logistic, X_train, y_train, train_sizes=[60, 250, 500, 750], cv=FOLDS,
                               scoring="roc_auc")
learning = pd.DataFrame({"valid_score": va.mean(axis=1), "train_score": tr.mean(axis=1),
                         "train_size": sizes})
decision = "More capacity" if tr.mean(axis=1)[-1] - va.mean(axis=1)[-1] < q.GAP_RULE else "More data"
values = [2, 10, 30, 60, 120, 240]
tr, va = validation_curve(tree_pipe, X_train, y_train, param_name="decisiontreeclassifier__min_samples_leaf",
                          param_range=values, cv=FOLDS, scoring="roc_auc")
validation = pd.DataFrame({"value": values, "train_score": tr.mean(axis=1), "valid_score": va.mean(axis=1)})
curves = {"learning": learning, "learning_model": logistic, "folds": FOLDS, "decision": decision,
          "validation": validation.iloc[::-1], "validation_model": tree_pipe,
          "param": "decisiontreeclassifier__min_samples_leaf",
          "best_value": int(validation.loc[validation["valid_score"].idxmax(), "value"])}
''',
    # one-hot codes for the booster, python ints, a rounded score
    "early_stopping_answer": '''from sklearn.compose import make_column_transformer
from sklearn.pipeline import make_pipeline

es_model = make_pipeline(
    make_column_transformer((OneHotEncoder(sparse_output=False, handle_unknown="ignore"), CATEGORICAL),
                            ("passthrough", NUMERIC), sparse_threshold=0),
    HistGradientBoostingClassifier(max_iter=400, learning_rate=0.15, early_stopping=True,
                                   validation_fraction=0.25, n_iter_no_change=4, random_state=SEED))
es_model.fit(X_train, y_train)
es_report = {"n_iter": int(es_model[-1].n_iter_), "max_iter": 400,
             "test_auc": round(roc_auc_score(y_test, es_model.predict_proba(X_test)[:, 1]), 3)}
''',
    # costs from the confusion matrix, a sorted cumulative scan, a Series of probabilities
    "threshold_answer": '''from sklearn.metrics import confusion_matrix


def order_cost(y_true, proba, threshold):
    tn, fp, fn, tp = confusion_matrix(y_true, np.asarray(proba) >= threshold, labels=[0, 1]).ravel()
    return (5 * fn + fp) / (tn + fp + fn + tp)


def best_threshold(y_true, proba):
    y_true, proba = np.asarray(y_true), np.asarray(proba)
    order = np.argsort(-proba, kind="stable")
    p, t = proba[order], y_true[order]
    flagged_returns, flagged_keeps = np.cumsum(t), np.cumsum(1 - t)
    last = np.r_[p[1:] != p[:-1], True]  # a cut below each distinct probability
    costs = 5 * (t.sum() - flagged_returns[last]) + flagged_keeps[last]
    return float(p[last][int(np.argmin(costs))])


oof_proba = pd.Series(cross_val_predict(logistic, X_train, y_train, cv=FOLDS,
                                        method="predict_proba")[:, 1], index=X_train.index)
threshold = best_threshold(y_train, oof_proba)
model = clone(logistic).fit(X_train, y_train)
proba = model.predict_proba(X_test)[:, 1]
threshold_report = {"model": model, "folds": FOLDS, "oof_proba": oof_proba, "threshold": threshold,
                    "test_cost": round(order_cost(y_test, proba, threshold), 3),
                    "default_cost": round(order_cost(y_test, proba, 0.5), 3)}
''',
}

_ALT2 = {
    # unshuffled folds, the encoder's own seeded splitter, a loop over the folds by hand
    "leakage_answer": '''from sklearn.metrics import roc_auc_score

folds = StratifiedKFold(n_splits=3)
prep = ColumnTransformer([
    ("seller", TargetEncoder(cv=StratifiedKFold(4, shuffle=True, random_state=3)), ["seller_id"]),
    ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
    ("num", StandardScaler(), NUMERIC),
])
pipeline = Pipeline([("prep", prep), ("clf", LogisticRegression(solver="liblinear"))])
honest, leaky = [], []
encoded = clone(prep).fit(X_train, y_train).transform(X_train)
for fit_rows, check_rows in folds.split(X_train, y_train):
    fold_model = clone(pipeline).fit(X_train.iloc[fit_rows], y_train.iloc[fit_rows])
    honest.append(roc_auc_score(y_train.iloc[check_rows],
                                fold_model.predict_proba(X_train.iloc[check_rows])[:, 1]))
    leaky_model = LogisticRegression(solver="liblinear").fit(encoded[fit_rows], y_train.iloc[fit_rows])
    leaky.append(roc_auc_score(y_train.iloc[check_rows],
                               leaky_model.predict_proba(encoded[check_rows])[:, 1]))
leak_report = {"pipeline": pipeline, "folds": folds, "honest_scores": np.array(honest),
               "leaky_scores": np.array(leaky)}
''',
    # fewer candidates than the budget allows, numbers before categories, halving by a factor of 2
    "search_answer": '''tree_pipe = Pipeline([
    ("prep", ColumnTransformer([("num", "passthrough", NUMERIC), ("cat", OrdinalEncoder(), CATEGORICAL)])),
    ("model", DecisionTreeClassifier(random_state=SEED)),
])
random_search = RandomizedSearchCV(tree_pipe, SPACE, n_iter=5, cv=FOLDS, scoring="roc_auc", random_state=7)
halving_search = HalvingRandomSearchCV(tree_pipe, SPACE, n_candidates=3, factor=2, min_resources="exhaust",
                                       cv=FOLDS, scoring="roc_auc", random_state=7)
report = {}
for name, found in [("random", random_search), ("halving", halving_search)]:
    t0 = time.perf_counter()
    found.fit(X_train, y_train)
    report[name] = {"best_score": float(found.best_score_),
                    "n_fits": len(found.cv_results_["params"]) * FOLDS.get_n_splits(),
                    "seconds": round(time.perf_counter() - t0, 3) or 0.001}
baseline = cross_val_score(tree_pipe, X_train, y_train, cv=FOLDS, scoring="roc_auc")
search_report = {**report, "baseline_score": float(baseline.mean())}
''',
    # fractions as sizes, the tree's depth as the parameter
    "curves_answer": '''logistic = Pipeline([
    ("prep", ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
                                ("num", StandardScaler(), NUMERIC)])),
    ("model", LogisticRegression(solver="newton-cholesky", C=1.0)),
])
sizes, tr, va = learning_curve(logistic, X_train, y_train, train_sizes=[0.2, 0.4, 0.6, 0.8, 1.0], cv=FOLDS,
                               scoring="roc_auc")
learning = pd.DataFrame(np.column_stack([sizes, tr.mean(1), va.mean(1)]),
                        columns=["train_size", "train_score", "valid_score"])
high_bias = learning.eval("train_score - valid_score").iloc[-1] < q.GAP_RULE
depths = [1, 2, 3, 4, 6, 9, 14]
tr, va = validation_curve(tree_pipe, X_train, y_train, param_name="model__max_depth", param_range=depths,
                          cv=FOLDS, scoring="roc_auc")
validation = pd.DataFrame({"value": depths, "train_score": tr.mean(1), "valid_score": va.mean(1)})
curves = dict(learning=learning, learning_model=logistic, folds=FOLDS,
              decision="more_capacity" if high_bias else "more_data", validation=validation,
              validation_model=tree_pipe, param="model__max_depth",
              best_value=float(depths[int(np.argmax(va.mean(1)))]))
''',
    # the booster scored by ROC-AUC on its inner validation rows
    "early_stopping_answer": '''es_model = Pipeline([
    ("prep", ColumnTransformer([("num", "passthrough", NUMERIC), ("cat", OrdinalEncoder(), CATEGORICAL)])),
    ("boost", HistGradientBoostingClassifier(max_iter=250, early_stopping=True, scoring="roc_auc",
                                             validation_fraction=0.15, n_iter_no_change=6,
                                             random_state=SEED)),
]).fit(X_train, y_train)
es_report = {"n_iter": es_model.named_steps["boost"].n_iter_,
             "max_iter": es_model.named_steps["boost"].get_params()["max_iter"],
             "test_auc": float(roc_auc_score(y_test, es_model.predict_proba(X_test)[:, 1]))}
''',
    # sums in numpy, candidates scanned in a loop, the threshold as a numpy float
    "threshold_answer": '''def order_cost(y_true, proba, threshold):
    y_true = np.asarray(y_true, dtype=int)
    predicted = (np.asarray(proba) >= threshold).astype(int)
    cost = 5.0 * ((y_true == 1) & (predicted == 0)).sum() + 1.0 * ((y_true == 0) & (predicted == 1)).sum()
    return cost / y_true.size


def best_threshold(y_true, proba):
    best, best_cost = None, np.inf
    for t in sorted(set(np.asarray(proba).tolist())):
        c = order_cost(y_true, proba, t)
        if c < best_cost:
            best, best_cost = t, c
    return best


oof_proba = cross_val_predict(logistic, X_train, y_train, cv=FOLDS, method="predict_proba")[:, 1]
model = clone(logistic).fit(X_train, y_train)
test_proba = model.predict_proba(X_test)[:, 1]
chosen = best_threshold(y_train, oof_proba)
threshold_report = {"model": model, "folds": FOLDS, "oof_proba": oof_proba.tolist(),
                    "threshold": np.float64(chosen), "test_cost": order_cost(y_test, test_proba, chosen),
                    "default_cost": order_cost(y_test, test_proba, 0.5)}
''',
}

_ALT3 = {
    # the encoder nested in its own pipeline, fold scores rounded to three decimals
    "leakage_answer": '''seller = Pipeline([("encode", TargetEncoder(cv=FOLDS, smooth=5.0))])
pipeline = Pipeline([
    ("prep", ColumnTransformer([("num", StandardScaler(), NUMERIC),
                                ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
                                ("seller", seller, ["seller_id"])])),
    ("model", LogisticRegression(solver="newton-cholesky", C=0.5)),
])
honest_scores = [round(s, 3) for s in cross_val_score(pipeline, X_train, y_train, cv=FOLDS,
                                                      scoring="roc_auc")]
pipeline.named_steps["prep"].fit(X_train, y_train)
encoded = pipeline.named_steps["prep"].transform(X_train)
leaky_scores = [round(s, 3) for s in cross_val_score(LogisticRegression(solver="newton-cholesky", C=0.5),
                                                     encoded, y_train, cv=FOLDS, scoring="roc_auc")]
leak_report = {"pipeline": pipeline, "folds": FOLDS, "honest_scores": honest_scores,
               "leaky_scores": leaky_scores}
''',
    # the solution's route with another seed
    "search_answer": _edit("search_answer", ("random_state=SEED)\n# 4", "random_state=11)\n# 4"),
                           ('scoring="roc_auc", random_state=SEED)\nsearch_report',
                            'scoring="roc_auc", random_state=11)\nsearch_report')),
    # six sizes on a log scale, other leaf values, the best value read by sorting
    "curves_answer": _edit(
        "curves_answer",
        ("np.linspace(0.1, 1.0, 4)", "np.geomspace(0.1, 1.0, 6)"),
        ("leaf_values = [1, 5, 20, 40, 80, 160]", "leaf_values = [3, 12, 25, 50, 100, 200, 400]"),
        ("best_value = leaf_values[int(validation[\"valid_score\"].idxmax())]",
         "best_value = validation.sort_values(\"valid_score\").iloc[-1][\"value\"]"),
    ),
    "early_stopping_answer": _edit(
        "early_stopping_answer",
        ("max_iter=300, early_stopping=True, validation_fraction=0.2,\n"
         "                                             n_iter_no_change=5",
         "max_iter=500, learning_rate=0.1, early_stopping=True, validation_fraction=0.1,\n"
         "                                             n_iter_no_change=8"),
    ),
    "threshold_answer": _edit(
        "threshold_answer",
        ("return (5 * missed + 1 * calls) / len(y_true)",
         "return float(np.mean(5 * ((y_true == 1) & ~flagged)\n"
         "                         + 1 * ((y_true == 0) & flagged)))"),
    ),
}


# --- Real mistakes, one per entry: (answer cell, its source, the test cell that must lose, why) ---

_MISTAKES: dict[str, tuple[str, str, str, str]] = {
    "cross-fitted-leak": ("leakage_answer", _edit("leakage_answer", (
        "pipeline[:-1].fit(X_train, y_train).transform(X_train)",
        "pipeline[:-1].fit_transform(X_train, y_train)")),
        "leakage", "the 'leaky' table made with fit_transform, which cross-fits and does not leak"),
    "honest-on-all-rows": ("leakage_answer", _edit("leakage_answer", (
        'honest_scores = cross_val_score(pipeline, X_train, y_train,',
        'honest_scores = cross_val_score(pipeline, X, y,')),
        "leakage", "the honest cross-validation run on every row, test rows included"),
    "honest-accuracy": ("leakage_answer", _edit("leakage_answer", (
        'honest_scores = cross_val_score(pipeline, X_train, y_train, cv=FOLDS, scoring="roc_auc")',
        'honest_scores = cross_val_score(pipeline, X_train, y_train, cv=FOLDS)')),
        "leakage", "the honest scores are accuracies, not ROC-AUC"),
    "candidates-as-fits": ("search_answer", _edit("search_answer", (
        'fits = len(search.cv_results_["params"]) * search.n_splits_',
        'fits = len(search.cv_results_["params"])')),
        "search", "the number of candidates reported as the number of fits"),
    "halving-smallest": ("search_answer", _edit("search_answer", (
        'n_candidates=4, factor=3, min_resources="exhaust",', 'n_candidates=4, factor=3,')),
        "search", "halving left at min_resources='smallest': its last round sees 36 rows"),
    "test-as-best": ("search_answer", _edit("search_answer", (
        '"best_score": search.best_score_', '"best_score": search.score(X_test, y_test)')),
        "search", "the test score reported as the best CV score"),
    "misread-curve": ("curves_answer", _edit("curves_answer", (
        'decision = "more capacity" if gap < q.GAP_RULE else "more data"', 'decision = "more data"')),
        "curves", "more data asked for although the curves have met"),
    "learning-on-all-rows": ("curves_answer", _edit("curves_answer", (
        "logistic, X_train, y_train, train_sizes", "logistic, X, y, train_sizes")),
        "curves", "the learning curve drawn on every row, test rows included"),
    "best-by-train-score": ("curves_answer", _edit("curves_answer", (
        'best_value = leaf_values[int(validation["valid_score"].idxmax())]',
        'best_value = leaf_values[int(validation["train_score"].idxmax())]')),
        "curves", "best_value read from the training score"),
    "auto-early-stopping": ("early_stopping_answer", _edit("early_stopping_answer", (
        "max_iter=300, early_stopping=True,", "max_iter=300,")),
        "early_stopping", "early_stopping left at 'auto', which is off below 10 000 rows"),
    "train-auc": ("early_stopping_answer", _edit("early_stopping_answer", (
        "roc_auc_score(y_test, es_model.predict_proba(X_test)[:, 1])",
        "roc_auc_score(y_train, es_model.predict_proba(X_train)[:, 1])")),
        "early_stopping", "the training ROC-AUC reported as the test score"),
    "cap-as-rounds": ("early_stopping_answer", _edit("early_stopping_answer", (
        '"n_iter": booster.n_iter_', '"n_iter": booster.max_iter')),
        "early_stopping", "the cap reported as the rounds used"),
    "threshold-on-test": ("threshold_answer", _edit("threshold_answer", (
        "threshold = best_threshold(y_train, oof_proba)\nmodel = clone(logistic).fit(X_train, y_train)\n"
        "test_proba = model.predict_proba(X_test)[:, 1]",
        "model = clone(logistic).fit(X_train, y_train)\ntest_proba = model.predict_proba(X_test)[:, 1]\n"
        "threshold = best_threshold(y_test, test_proba)")),
        "threshold", "the threshold chosen on the test set"),
    "in-sample-proba": ("threshold_answer", _edit("threshold_answer", (
        'oof_proba = cross_val_predict(logistic, X_train, y_train, cv=FOLDS, method="predict_proba")[:, 1]',
        'oof_proba = clone(logistic).fit(X_train, y_train).predict_proba(X_train)[:, 1]')),
        "threshold", "in-sample probabilities instead of out-of-fold ones"),
    "costs-swapped": ("threshold_answer", _edit("threshold_answer", (
        "return (5 * missed + 1 * calls) / len(y_true)", "return (1 * missed + 5 * calls) / len(y_true)")),
        "threshold", "the two costs swapped"),
}


def _wrong(name: str, *mistakes: str) -> Case:
    """A wrong notebook with ``mistakes`` (one per answer cell; later tasks use the learner's results)."""
    return wrong_case(name, _MISTAKES, *mistakes)


CASES = [
    Case("make-pipeline", "alternative", _ALT1),
    Case("by-hand", "alternative", _ALT2),
    Case("other-settings", "alternative", _ALT3),
    _wrong("leaks-and-counts", "cross-fitted-leak", "candidates-as-fits", "misread-curve",
           "auto-early-stopping", "threshold-on-test"),
    _wrong("wrong-rows", "honest-on-all-rows", "halving-smallest", "learning-on-all-rows", "train-auc",
           "in-sample-proba"),
    _wrong("wrong-numbers", "honest-accuracy", "test-as-best", "best-by-train-score", "cap-as-rounds",
           "costs-swapped"),
]
