"""Whole answers to the model-tuning lab: other correct routes, and real mistakes the statements rule out.

Each case is the solution notebook with some answer cells replaced. Most wrong answers are the
solution's own cell with one line changed (``_edit``), so the mistake is exactly that line; the
alternatives rewrite every answer cell by another route. A wrong notebook packs mistakes on
tasks that do not build on each other, or whose later tasks are graded on the learner's own
upstream result (error carried forward).
"""

from __future__ import annotations

from class_runs import Case, edit_source, solution_sources, wrong_case

_SOLUTION = solution_sources("model_tuning")


def _edit(cell: str, *changes: tuple[str, str]) -> str:
    """The solution's ``cell`` with each ``(old, new)`` text replaced (each old text must be there)."""
    return edit_source(_SOLUTION[cell], changes, where=cell)


# --- Alternative routes -----------------------------------------------------------------------

_ALT1 = {
    # stratified on the label strings; another seed; y by map
    "split_answer": '''SEED = 7
X = credit.drop(columns=["status"])
y = credit["status"].map({"good": 0, "bad": 1})
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=SEED, stratify=credit["status"])
print(len(X_train), len(X_test), round(y_train.mean(), 3), round(y_test.mean(), 3))
''',
    # 'prior' predicts the same class; accuracy_score; two decimals
    "baseline_answer": '''from sklearn.metrics import accuracy_score

dummy = DummyClassifier(strategy="prior")
dummy.fit(X_train, y_train)
baseline_accuracy = round(accuracy_score(y_test, dummy.predict(X_test)), 2)
print("baseline", baseline_accuracy)
''',
    # make_column_transformer, ordinal codes for the trees, other hyperparameters
    "hand_models_answer": '''from sklearn.compose import make_column_transformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder


def prep(scale):
    numbers = make_pipeline(SimpleImputer(strategy="median"), *([StandardScaler()] if scale else []))
    if scale:
        cats = make_pipeline(SimpleImputer(strategy="most_frequent"),
                             OneHotEncoder(handle_unknown="ignore"))
    else:
        cats = make_pipeline(SimpleImputer(strategy="most_frequent"),
                             OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1))
    return make_column_transformer((numbers, NUMERIC), (cats, CATEGORICAL))


models = {
    "logistic": make_pipeline(prep(True), LogisticRegression(C=2.0, solver="liblinear")),
    "tree": make_pipeline(prep(False), DecisionTreeClassifier(max_leaf_nodes=20, random_state=SEED)),
    "forest": make_pipeline(prep(False), RandomForestClassifier(
        n_estimators=60, min_samples_leaf=3, max_features=0.5, random_state=SEED)),
}
for name in models:
    models[name].fit(X_train, y_train)
    print(name, models[name].score(X_train, y_train), models[name].score(X_test, y_test))
''',
    # a loop over depths with cross_validate on shuffled stratified folds
    "depth_curve_answer": '''from sklearn.model_selection import cross_validate

curve_folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=SEED)
curve_pipeline = make_pipeline(prep(False), DecisionTreeClassifier(random_state=SEED))
rows = []
for depth in range(1, 16):
    pipe = make_pipeline(prep(False), DecisionTreeClassifier(max_depth=depth, random_state=SEED))
    res = cross_validate(pipe, X_train, y_train, cv=curve_folds, return_train_score=True)
    rows.append({"max_depth": depth, "train_score": res["train_score"].mean(),
                 "valid_score": res["test_score"].mean()})
depth_curve = pd.DataFrame(rows)
fig, ax = plt.subplots()
ax.plot(depth_curve["max_depth"], depth_curve["train_score"], label="train")
ax.plot(depth_curve["max_depth"], depth_curve["valid_score"], label="valid")
ax.legend()
plt.show()
''',
    # an int cv, roc_auc, the sample std, rounded mean
    "cross_validation_answer": '''cv_pipeline = make_pipeline(prep(True),
                            LogisticRegression(C=2.0, solver="liblinear"))
scores = cross_val_score(cv_pipeline, X_train, y_train, cv=5, scoring="roc_auc")
cv_report = {"pipeline": cv_pipeline, "folds": 5, "scoring": "roc_auc",
             "scores": list(scores), "mean": round(float(np.mean(scores)), 3),
             "std": float(np.std(scores, ddof=1))}
print(f"{cv_report['mean']} ± {cv_report['std']:.3f}")
''',
    # a tree grid with an int cv; rounded report; accuracy_score on the test set
    "grid_search_answer": '''grid = GridSearchCV(
    make_pipeline(prep(False), DecisionTreeClassifier(random_state=SEED)),
    {"decisiontreeclassifier__max_depth": [3, 5, 8],
     "decisiontreeclassifier__min_samples_leaf": [5, 20]},
    cv=4)
grid.fit(X_train, y_train)
grid_report = {"best_params": dict(grid.best_params_), "cv_score": round(grid.best_score_, 3),
               "test_score": round(accuracy_score(y_test, grid.predict(X_test)), 3)}
print(grid_report)
''',
    # a depth-limited tree, random over-sampling, shares from the whole table, two decimals
    "imbalance_answer": '''from imblearn.pipeline import make_pipeline as make_imb_pipeline

minority_share = y.value_counts(normalize=True)[1]


def tree(**kw):
    return DecisionTreeClassifier(max_depth=5, min_samples_leaf=20, random_state=SEED, **kw)


plain = make_pipeline(prep(False), tree()).fit(X_train, y_train)
weighted = make_pipeline(prep(False), tree(class_weight="balanced")).fit(X_train, y_train)
resampled = make_imb_pipeline(prep(False), RandomOverSampler(random_state=SEED), tree())
resampled.fit(X_train, y_train)
recall = {name: round(recall_score(y_test, m.predict(X_test)), 2)
          for name, m in [("plain", plain), ("weighted", weighted), ("resampled", resampled)]}
imbalance = {"minority_share": minority_share, "plain": plain, "weighted": weighted,
             "resampled": resampled, "recall": recall}
print(recall)
''',
    # the tuned tree, a str path
    "saved_model_answer": '''import os

chosen_model = grid.best_estimator_
MODEL_PATH = os.path.join(str(OUTPUT), "credit_model.skops")
sio.dump(chosen_model, MODEL_PATH)
types = sio.get_untrusted_types(file=MODEL_PATH)
reloaded = sio.load(MODEL_PATH, trusted=[t for t in types if t.startswith(("sklearn.", "numpy."))])
print((reloaded.predict(X_test) == chosen_model.predict(X_test)).all())
''',
    # a forest on ten shuffled folds, cross_validate
    "regression_answer": '''from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import cross_validate

auto = pd.read_csv(MPG_PATH)
cars = auto[auto["mpg"].notna()]
X_reg = cars.drop(columns=["mpg", "name"])
y_reg = cars["mpg"]
pipe = make_pipeline(
    make_column_transformer((SimpleImputer(strategy="mean"),
                             ["cylinders", "displacement", "horsepower", "weight", "acceleration",
                              "model_year"]),
                            (OneHotEncoder(handle_unknown="ignore"), ["origin"])),
    RandomForestRegressor(n_estimators=60, random_state=SEED))
folds10 = KFold(n_splits=10, shuffle=True, random_state=SEED)
model_rmse = -cross_validate(pipe, X_reg, y_reg, cv=folds10,
                             scoring="neg_root_mean_squared_error")["test_score"]
base_rmse = -cross_validate(DummyRegressor(strategy="mean"), X_reg, y_reg, cv=folds10,
                            scoring="neg_root_mean_squared_error")["test_score"]
regression = {"X": X_reg, "y": y_reg, "pipeline": pipe, "folds": folds10,
              "rmse_mean": round(model_rmse.mean(), 2), "baseline_rmse": round(base_rmse.mean(), 2)}
print(regression["rmse_mean"], regression["baseline_rmse"])
''',
}

_ALT2 = {
    # StratifiedShuffleSplit by hand, an int8 target, reordered columns
    "split_answer": '''from sklearn.model_selection import StratifiedShuffleSplit

SEED = 2024
features = CATEGORICAL + NUMERIC
X = credit[features]
y = credit["status"].eq("bad").astype("int8")
splitter = StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=SEED)
train_rows, test_rows = next(splitter.split(X, y))
X_train, X_test = X.iloc[train_rows], X.iloc[test_rows]
y_train, y_test = y.iloc[train_rows], y.iloc[test_rows]
''',
    "baseline_answer": '''dummy = DummyClassifier(strategy="most_frequent").fit(X_train, y_train)
baseline_accuracy = float(np.mean(dummy.predict(X_test) == y_test.to_numpy()))
''',
    # make_pipeline, an L1 logistic, a leaf-limited tree, a deeper forest without a seed
    "hand_models_answer": '''from sklearn.compose import make_column_transformer
from sklearn.pipeline import make_pipeline


def make_preprocessor(scale=True):
    nums = [SimpleImputer(strategy="median")] + ([StandardScaler()] if scale else [])
    return make_column_transformer(
        (make_pipeline(*nums), NUMERIC),
        (make_pipeline(SimpleImputer(strategy="most_frequent"),
                       OneHotEncoder(handle_unknown="ignore")), CATEGORICAL))


models = {
    "logistic": make_pipeline(make_preprocessor(),
                              LogisticRegression(penalty="l1", C=0.3, solver="liblinear")),
    "tree": make_pipeline(make_preprocessor(False),
                          DecisionTreeClassifier(min_samples_leaf=40, random_state=SEED)),
    "forest": make_pipeline(make_preprocessor(False),
                            RandomForestClassifier(n_estimators=80, max_depth=10)),
}
models = {name: model.fit(X_train, y_train) for name, model in models.items()}
''',
    # validation_curve scored by AUC, a list of depths
    "depth_curve_answer": '''depths = [1, 2, 3, 4, 6, 8, 10, 12, 14]
curve_pipe = make_pipeline(make_preprocessor(False), DecisionTreeClassifier(random_state=SEED))
tr, va = validation_curve(curve_pipe, X_train, y_train,
                          param_name="decisiontreeclassifier__max_depth", param_range=depths,
                          cv=3, scoring="roc_auc")
curve_pipeline, curve_folds = curve_pipe, 3
depth_curve = pd.DataFrame({"valid_score": va.mean(axis=1), "train_score": tr.mean(axis=1),
                            "max_depth": depths})
plt.plot(depths, tr.mean(axis=1), "o-", depths, va.mean(axis=1), "s-")
plt.xlabel("max_depth")
plt.show()
''',
    # balanced accuracy on 4 shuffled folds via cross_validate
    "cross_validation_answer": '''from sklearn.model_selection import cross_validate

folds = StratifiedKFold(n_splits=4, shuffle=True, random_state=SEED)
pipe = make_pipeline(make_preprocessor(), LogisticRegression(C=0.3, penalty="l1",
                                                              solver="liblinear"))
result = cross_validate(pipe, X_train, y_train, cv=folds, scoring="balanced_accuracy")
cv_report = {"pipeline": pipe, "folds": folds, "scoring": "balanced_accuracy",
             "scores": result["test_score"], "mean": result["test_score"].mean(),
             "std": result["test_score"].std()}
''',
    # a logistic grid over C and class weights
    "grid_search_answer": '''grid = GridSearchCV(
    Pipeline([("prep", make_preprocessor()), ("clf", LogisticRegression(max_iter=1000))]),
    {"clf__C": [0.01, 0.1, 1.0], "clf__class_weight": [None, "balanced"]},
    cv=StratifiedKFold(n_splits=3, shuffle=True, random_state=SEED), scoring="accuracy")
grid.fit(X_train, y_train)
grid_report = {"best_params": grid.best_params_, "cv_score": grid.best_score_,
               "test_score": grid.score(X_test, y_test)}
''',
    # logistic fixes, a share from value_counts, recall from the confusion matrix
    "imbalance_answer": '''from sklearn.metrics import confusion_matrix

minority_share = float(y_train.value_counts(normalize=True).loc[1])


def fitted(model):
    return model.fit(X_train, y_train)


def bad_recall(model):
    tn, fp, fn, tp = confusion_matrix(y_test, model.predict(X_test)).ravel()
    return tp / (tp + fn)


plain = fitted(make_pipeline(make_preprocessor(), LogisticRegression(C=0.3, max_iter=500)))
weighted = fitted(make_pipeline(make_preprocessor(),
                                LogisticRegression(C=0.3, max_iter=500, class_weight="balanced")))
resampled = fitted(ImbPipeline([("prep", make_preprocessor()), ("smote", SMOTE(random_state=SEED)),
                                ("model", LogisticRegression(C=0.3, max_iter=500))]))
imbalance = {"minority_share": minority_share, "plain": plain, "weighted": weighted,
             "resampled": resampled,
             "recall": pd.Series({"plain": bad_recall(plain), "weighted": bad_recall(weighted),
                                  "resampled": bad_recall(resampled)})}
''',
    "saved_model_answer": '''chosen_model = models["logistic"]
MODEL_PATH = OUTPUT / "credit_model.skops"
with open(MODEL_PATH, "wb") as handle:
    handle.write(sio.dumps(chosen_model))
reloaded = sio.load(MODEL_PATH, trusted=sio.get_untrusted_types(file=MODEL_PATH))
assert (reloaded.predict_proba(X_test) == chosen_model.predict_proba(X_test)).all()
''',
    # repeated shuffled folds, a plain linear model
    "regression_answer": '''from sklearn.linear_model import LinearRegression
from sklearn.model_selection import RepeatedKFold

auto = pd.read_csv(MPG_PATH)
auto = auto.dropna(subset=["mpg"])
y_reg = auto.pop("mpg")
X_reg = auto.drop(columns="name")
pipe = Pipeline([
    ("prep", ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
         ["cylinders", "displacement", "horsepower", "weight", "acceleration", "model_year"]),
        ("origin", OneHotEncoder(), ["origin"])])),
    ("lm", LinearRegression())])
folds = RepeatedKFold(n_splits=5, n_repeats=2, random_state=SEED)
rmse = -cross_val_score(pipe, X_reg, y_reg, cv=folds, scoring="neg_root_mean_squared_error")
base = -cross_val_score(DummyRegressor(), X_reg, y_reg, cv=folds,
                        scoring="neg_root_mean_squared_error")
regression = dict(X=X_reg, y=y_reg, pipeline=pipe, folds=folds, rmse_mean=rmse.mean(),
                  baseline_rmse=base.mean())
''',
}

_ALT3 = {
    # train_size instead of test_size; the rows sorted back into file order
    "split_answer": '''SEED = 0
X = credit.drop(columns="status")
y = credit["status"].eq("bad").astype(int)
X_train, X_test, y_train, y_test = train_test_split(X, y, train_size=0.8, random_state=SEED,
                                                    stratify=y)
X_train, X_test = X_train.sort_index(), X_test.sort_index()
y_train, y_test = y_train.sort_index(), y_test.sort_index()
''',
    "baseline_answer": '''dummy = DummyClassifier()
dummy.fit(X_train, y_train)
baseline_accuracy = np.round(dummy.score(X_test, y_test), 3)
''',
    # the solution's preprocessor, other values, a forest with no seed
    "hand_models_answer": _edit(
        "hand_models_answer",
        ("LogisticRegression(C=0.5, max_iter=1000)", "LogisticRegression(C=0.1, max_iter=2000)"),
        ("DecisionTreeClassifier(max_depth=5, min_samples_leaf=20,\n"
         "                                                       random_state=SEED)",
         "DecisionTreeClassifier(max_depth=4, random_state=SEED)"),
        ("RandomForestClassifier(n_estimators=100, max_depth=8,\n"
         "                                                         min_samples_leaf=5, random_state=SEED,\n"
         "                                                         n_jobs=2)",
         "RandomForestClassifier(n_estimators=150, max_depth=6)"),
    ),
    # every depth from 1 to 15, an explicit 3-fold splitter, the depth as the index first
    "depth_curve_answer": '''depths = list(range(1, 16))
tree_pipeline = Pipeline([("prep", make_preprocessor(scale=False)),
                          ("model", DecisionTreeClassifier(random_state=SEED))])
curve_pipeline, curve_folds = tree_pipeline, StratifiedKFold(n_splits=3)
tr, va = validation_curve(curve_pipeline, X_train, y_train, param_name="model__max_depth",
                          param_range=depths, cv=curve_folds)
depth_curve = (pd.DataFrame({"train_score": tr.mean(axis=1), "valid_score": va.mean(axis=1)},
                            index=pd.Index(depths, name="max_depth"))
               .reset_index().sort_values("max_depth", ascending=False))
depth_curve.set_index("max_depth").plot(marker="o")
plt.show()
''',
    # ten folds, python floats, an explicit accuracy scorer name
    "cross_validation_answer": '''from sklearn.base import clone

folds = StratifiedKFold(n_splits=10, shuffle=True, random_state=SEED)
cv_pipeline = clone(models["logistic"])
scores = [float(s) for s in cross_val_score(cv_pipeline, X_train, y_train, cv=folds,
                                            scoring="accuracy")]
cv_report = {"pipeline": cv_pipeline, "folds": folds, "scoring": "accuracy", "scores": scores,
             "mean": np.mean(scores), "std": np.std(scores)}
''',
    # a forest grid over the number of trees and the depth
    "grid_search_answer": '''forest = Pipeline([("prep", make_preprocessor(scale=False)),
                   ("model", RandomForestClassifier(random_state=SEED))])
grid = GridSearchCV(forest, {"model__n_estimators": [20, 40], "model__max_depth": [5, 10, None]},
                    cv=StratifiedKFold(n_splits=3))
grid.fit(X_train, y_train)
grid_report = {"best_params": grid.best_params_, "cv_score": float(grid.best_score_),
               "test_score": float(grid.best_estimator_.score(X_test, y_test))}
''',
    # weights given by hand; the share of the test rows
    "imbalance_answer": _edit(
        "imbalance_answer",
        ("minority_share = y_train.mean()", "minority_share = y_test.value_counts(normalize=True).min()"),
        ('logistic(class_weight="balanced")', "logistic(class_weight={0: 1, 1: 2.5})"),
    ),
    # the SMOTE pipeline (imblearn types)
    "saved_model_answer": _edit("saved_model_answer",
                                ('chosen_model = imbalance["weighted"]',
                                 'chosen_model = imbalance["resampled"]')),
    # shuffled splits, a mean imputer, the mean baseline named
    "regression_answer": _edit(
        "regression_answer",
        ("KFold(n_splits=5, shuffle=True, random_state=SEED)",
         "ShuffleSplit(n_splits=5, test_size=0.2, random_state=SEED)"),
        ("cross_val_score(DummyRegressor(), ", "cross_val_score(DummyRegressor(strategy=\"mean\"), "),
        ('print("按年份排序', 'from sklearn.model_selection import ShuffleSplit\nprint("按年份排序'),
        ("cross_val_predict(reg_pipeline, X_reg, y_reg, cv=reg_folds)",
         "cross_val_predict(reg_pipeline, X_reg, y_reg, cv=KFold(5, shuffle=True, random_state=SEED))"),
    ),
}



# --- Real mistakes, one per entry: (answer cell, its source, the test cell that must lose, why) ---



_MISTAKES: dict[str, tuple[str, str, str, str]] = {
    "quarter-test-set": ("split_answer", _edit("split_answer", ("test_size=0.2", "test_size=0.25")),
                         "split", "a 25 % test set"),
    "unstratified": ("split_answer", _edit("split_answer",
                                           ("test_size=0.2, random_state=SEED, stratify=y)",
                                            "test_size=0.2)")),
                     "split", "neither stratified nor seeded"),
    "dropped-gaps": ("split_answer", _edit("split_answer",
                                           ('X = credit.drop(columns="status")',
                                            'credit = credit.dropna()\nX = credit.drop(columns="status")')),
                     "split", "rows with gaps dropped before splitting"),
    "seed-not-used": ("split_answer", _edit("split_answer",
                                            ("random_state=SEED, stratify=y)",
                                             "random_state=0, stratify=y)")),
                      "split", "SEED is not the seed the split used"),
    "baseline-on-train": ("baseline_answer", _edit("baseline_answer",
                                                   ("dummy.score(X_test, y_test)",
                                                    "dummy.score(X_train, y_train)")),
                          "baseline", "the baseline's accuracy on the training set, not the test set"),
    "random-dummy": ("baseline_answer", _edit("baseline_answer",
                                              ('strategy="most_frequent"',
                                               'strategy="stratified", random_state=SEED')),
                     "baseline", "a random ('stratified') dummy instead of the majority guess"),
    "percent": ("baseline_answer", _edit("baseline_answer",
                                         ("baseline_accuracy = dummy.score(X_test, y_test)",
                                          "baseline_accuracy = dummy.score(X_test, y_test) * 100")),
                "baseline", "the accuracy as a percentage"),
    "forest-on-all-rows": ("hand_models_answer", _edit("hand_models_answer", (
        "for name, model in models.items():\n    model.fit(X_train, y_train)",
        "for name, model in models.items():\n"
        "    model.fit(X, y) if name == 'forest' else model.fit(X_train, y_train)")),
        "hand_models", "the forest fitted on every row, test rows included"),
    "unlimited-tree": ("hand_models_answer", _edit("hand_models_answer", (
        "DecisionTreeClassifier(max_depth=5, min_samples_leaf=20,\n"
        "                                                       random_state=SEED)",
        "DecisionTreeClassifier(random_state=SEED)")),
        "hand_models", "the tree's growth is not limited"),
    "max-iter-only": ("hand_models_answer", _edit("hand_models_answer",
                                                  ("LogisticRegression(C=0.5, max_iter=1000)",
                                                   "LogisticRegression(max_iter=1000)")),
                      "hand_models",
                      "the logistic model keeps every default (max_iter only lets it converge)"),
    "curve-on-test-set": ("depth_curve_answer", _edit("depth_curve_answer", (
        "train_scores, valid_scores = validation_curve(\n"
        "    curve_pipeline, X_train, y_train, param_name=\"model__max_depth\", param_range=depths,\n"
        "    cv=curve_folds)",
        "train_scores, valid_scores = [], []\n"
        "for d in depths:\n"
        "    tree_pipeline.set_params(model__max_depth=d).fit(X_train, y_train)\n"
        "    train_scores.append([tree_pipeline.score(X_train, y_train)])\n"
        "    valid_scores.append([tree_pipeline.score(X_test, y_test)])\n"
        "train_scores, valid_scores = np.array(train_scores), np.array(valid_scores)")),
        "depth_curve", "validation scores taken from the test set instead of cross-validation folds"),
    "shallow-only": ("depth_curve_answer", _edit("depth_curve_answer",
                                                 ("depths = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15]",
                                                  "depths = [1, 2, 3, 4, 5]")),
                     "depth_curve", "depths stop at 5: no over-fitting to see"),
    "curve-swapped": ("depth_curve_answer", _edit("depth_curve_answer", (
        '"train_score": train_scores.mean(axis=1),\n'
        '                            "valid_score": valid_scores.mean(axis=1)',
        '"train_score": valid_scores.mean(axis=1),\n'
        '                            "valid_score": train_scores.mean(axis=1)')),
        "depth_curve", "training and validation scores swapped"),
    "cv-on-all-rows": ("cross_validation_answer", _edit("cross_validation_answer", (
        "cross_val_score(cv_pipeline, X_train, y_train,", "cross_val_score(cv_pipeline, X, y,")),
        "cross_validation", "cross-validated on all rows instead of the training set"),
    "cv-on-test-set": ("cross_validation_answer", _edit("cross_validation_answer", (
        "cross_val_score(cv_pipeline, X_train, y_train,",
        "cross_val_score(cv_pipeline, X_test, y_test,")),
        "cross_validation", "cross-validated on the test set instead of the training set"),
    "variance": ("cross_validation_answer", _edit("cross_validation_answer",
                                                  ('"std": scores.std()', '"std": scores.var()')),
                 "cross_validation", "the variance reported as the standard deviation"),
    "leaky-cv": ("cross_validation_answer", '''prep = make_preprocessor().fit(X)
X_ready = prep.transform(X_train)
cv_pipeline = LogisticRegression(C=0.5, max_iter=1000)
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
scores = cross_val_score(cv_pipeline, X_ready, y_train, cv=folds, scoring="accuracy")
cv_report = {"pipeline": cv_pipeline, "folds": folds, "scoring": "accuracy",
             "scores": scores, "mean": scores.mean(), "std": scores.std()}
''', "cross_validation", "preprocessing fitted on all rows outside the folds"),
    "grid-test-as-cv": ("grid_search_answer", _edit("grid_search_answer",
                                                    ('"cv_score": grid.best_score_',
                                                     '"cv_score": grid.score(X_test, y_test)')),
                        "grid_search", "the test score reported as the best cross-validation score"),
    "grid-train-as-test": ("grid_search_answer", _edit("grid_search_answer",
                                                       ('"test_score": grid.score(X_test, y_test)',
                                                        '"test_score": grid.score(X_train, y_train)')),
                           "grid_search", "the training score reported as the test score"),
    "grid-on-all-rows": ("grid_search_answer", _edit("grid_search_answer",
                                                     ("grid.fit(X_train, y_train)", "grid.fit(X, y)")),
                         "grid_search", "the grid searched on all rows, test rows included"),
    "grid-one-parameter": ("grid_search_answer", _edit("grid_search_answer", (
        'param_grid = {"model__max_depth": [4, 8], "model__min_samples_leaf": [1, 10]}',
        'param_grid = {"model__max_depth": [2, 4, 6, 8]}')),
        "grid_search", "a grid over one parameter"),
    "weighted-other-c": ("imbalance_answer", _edit("imbalance_answer", (
        '("model", logistic(class_weight="balanced"))',
        '("model", LogisticRegression(C=1.0, max_iter=1000, class_weight="balanced"))')),
        "imbalance", "the weighted model has another C than the plain one"),
    "no-sampler": ("imbalance_answer", _edit("imbalance_answer", (
        '"resampled": ImbPipeline([("prep", make_preprocessor()), ("smote", SMOTE(random_state=SEED)),\n'
        '                              ("model", logistic())]),',
        '"resampled": Pipeline([("prep", make_preprocessor()), ("model", logistic())]),')),
        "imbalance", "the resampled model has no sampler"),
    "minority-count": ("imbalance_answer", _edit("imbalance_answer",
                                                 ("minority_share = y_train.mean()",
                                                  "minority_share = y_train.sum()")),
                       "imbalance", "the minority count instead of its share"),
    "recall-on-train": ("imbalance_answer", _edit("imbalance_answer", (
        "comparison = pd.DataFrame(comparison).T",
        "comparison = pd.DataFrame(comparison).T\n"
        "comparison['recall'] = pd.Series({n: recall_score(y_train, m.predict(X_train))\n"
        "                                  for n, m in fixes.items()})")),
        "imbalance", "recalls measured on the training set"),
    "joblib": ("saved_model_answer", '''import joblib

chosen_model = imbalance["weighted"]
MODEL_PATH = OUTPUT / "credit_model.joblib"
joblib.dump(chosen_model, MODEL_PATH)
''', "saved_model", "saved with joblib (a pickle) instead of skops"),
    "saved-dummy": ("saved_model_answer", _edit("saved_model_answer",
                                                ('chosen_model = imbalance["weighted"]',
                                                 "chosen_model = dummy")),
                    "saved_model", "the saved model is the baseline"),
    "saved-other-model": ("saved_model_answer", _edit("saved_model_answer",
                                                      ("sio.dump(chosen_model, MODEL_PATH)",
                                                       'sio.dump(models["tree"], MODEL_PATH)')),
                          "saved_model", "the file holds another model than chosen_model"),
    "not-in-output": ("saved_model_answer", _edit("saved_model_answer",
                                                  ('MODEL_PATH = OUTPUT / "credit_model.skops"',
                                                   'MODEL_PATH = "credit_model.skops"')),
                      "saved_model", "the file saved beside the notebook, not in output/"),
    "median-baseline": ("regression_answer", _edit("regression_answer", (
        "cross_val_score(DummyRegressor(), ", "cross_val_score(DummyRegressor(strategy=\"median\"), ")),
        "regression", "a median baseline where the statement asks for the mean"),
    "unshuffled": ("regression_answer", _edit(
        "regression_answer",
        ("reg_folds = KFold(n_splits=5, shuffle=True, random_state=SEED)", "reg_folds = 5")),
                   "regression", "unshuffled folds on the year-sorted file"),
    "mse": ("regression_answer", _edit("regression_answer",
                                       ('scoring="neg_root_mean_squared_error")\nbaseline_rmse',
                                        'scoring="neg_mean_squared_error")\nbaseline_rmse')),
            "regression", "the model's MSE reported as its RMSE"),
    "filled-targets": ("regression_answer", _edit("regression_answer",
                                                  ('known = auto.dropna(subset=["mpg"])',
                                                   'known = auto.fillna({"mpg": auto["mpg"].mean()})')),
                       "regression", "missing targets filled with the mean instead of dropped"),
}


def _wrong(name: str, *mistakes: str) -> Case:
    """A wrong notebook with ``mistakes`` (one per answer cell; later tasks use the learner's results)."""
    return wrong_case(name, _MISTAKES, *mistakes)


CASES = [
    Case("labels-and-rounding", "alternative", _ALT1),
    Case("by-hand", "alternative", _ALT2),
    Case("sorted-rows", "alternative", _ALT3),
    # mostly slips whose numbers look right on the default data
    _wrong("wrong-rows", "quarter-test-set", "baseline-on-train", "forest-on-all-rows",
           "curve-on-test-set", "cv-on-all-rows", "grid-test-as-cv", "weighted-other-c", "joblib",
           "median-baseline"),
    _wrong("unstratified", "unstratified", "random-dummy", "unlimited-tree", "variance",
           "grid-train-as-test", "no-sampler", "saved-dummy", "unshuffled"),
    _wrong("dropped-gaps", "dropped-gaps", "percent", "max-iter-only", "shallow-only", "leaky-cv",
           "grid-on-all-rows", "minority-count", "saved-other-model", "filled-targets"),
    _wrong("test-set-folds", "seed-not-used", "curve-swapped", "cv-on-test-set", "grid-one-parameter",
           "recall-on-train", "not-in-output", "mse"),
]
