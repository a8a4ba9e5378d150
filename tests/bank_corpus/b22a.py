"""Answers of bank task b22a (review classifier): other splits, models and files, and real testing mistakes."""

from class_runs import Case

SPLIT, MODEL = "b22a_split_answer", "b22a_model_answer"
RIGHT_SPLIT = ('X = reviews.drop(columns="useful")\ny = reviews["useful"]\n'
               'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)')

CASES = [
    Case("b22a-int-size-forest", "alternative", {
        SPLIT: 'X, y = reviews.drop(columns=["useful"]), reviews["useful"]\n'
               'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=400, stratify=y, random_state=7)',
        MODEL: 'from sklearn.ensemble import RandomForestClassifier\n\n'
               'model = RandomForestClassifier(n_estimators=60, max_depth=4, class_weight="balanced", random_state=0)\n'
               'model.fit(X_train, y_train)\npred = model.predict(X_test)\n'
               'with open("output/predictions.txt", "w", encoding="utf-8") as f:\n'
               '    f.write("\\n".join(str(p) for p in pred))\n'
               'with open("output/report.txt", "w", encoding="utf-8") as f:\n'
               '    print(classification_report(y_test, pred), file=f)',
    }),
    Case("b22a-shuffle-split-pipeline", "alternative", {
        SPLIT: 'from sklearn.model_selection import StratifiedShuffleSplit\n\n'
               'X, y = reviews.drop(columns="useful"), reviews["useful"]\n'
               'train_idx, test_idx = next(StratifiedShuffleSplit(1, test_size=0.2, random_state=3).split(X, y))\n'
               'X_train, X_test = X.iloc[train_idx], X.iloc[test_idx]\n'
               'y_train, y_test = y.iloc[train_idx], y.iloc[test_idx]',
        MODEL: 'from sklearn.pipeline import make_pipeline\nfrom sklearn.preprocessing import StandardScaler\n\n'
               'model = make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced"))\n'
               'model.fit(X_train, y_train)\n'
               'pd.Series(model.predict(X_test)).to_csv("output/predictions.txt", header=False, index=False)\n'
               'Path("output/report.txt").write_text(classification_report(y_test, model.predict(X_test)))',
    }),
    Case("b22a-groupwise-oversampled", "alternative", {
        SPLIT: 'test = reviews.groupby("useful", group_keys=False).sample(frac=0.2, random_state=5)\n'
               'train = reviews.drop(index=test.index)\n'
               'X_train, y_train = train.drop(columns="useful"), train["useful"]\n'
               'X_test, y_test = test.drop(columns="useful"), test["useful"]',
        MODEL: 'from imblearn.over_sampling import RandomOverSampler\n\n'
               'X_bal, y_bal = RandomOverSampler(random_state=0).fit_resample(X_train, y_train)\n'
               'model = LogisticRegression(max_iter=2000).fit(X_bal, y_bal)\n'
               'np.savetxt("output/predictions.txt", model.predict(X_test), fmt="%d")\n'
               'Path("output/report.txt").write_text(classification_report(y_test, model.predict(X_test), digits=3))',
    }),
    Case("b22a-random-split-unweighted", "wrong", {
        SPLIT: 'X, y = reviews.drop(columns="useful"), reviews["useful"]\n'
               'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)',
        MODEL: 'model = LogisticRegression(max_iter=1000).fit(X_train, y_train)\npred = model.predict(X_test)\n'
               'np.savetxt("output/predictions.txt", pred, fmt="%d")\n'
               'Path("output/report.txt").write_text(classification_report(y_test, pred))',
    }, loses={"b22a_split": "not stratified", "b22a_model": "imbalance not handled"}),
    Case("b22a-thirty-percent-probabilities", "wrong", {
        SPLIT: 'X, y = reviews.drop(columns="useful"), reviews["useful"]\n'
               'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)',
        MODEL: 'model = LogisticRegression(class_weight="balanced", max_iter=1000).fit(X_train, y_train)\n'
               'np.savetxt("output/predictions.txt", model.predict_proba(X_test)[:, 1])\n'
               'Path("output/report.txt").write_text(classification_report(y_test, model.predict(X_test)))',
    }, loses={"b22a_split": "a 70/30 split", "b22a_model": "probabilities saved as predictions"}),
    Case("b22a-target-leak-accuracy-only", "wrong", {
        SPLIT: 'X, y = reviews, reviews["useful"]\n'
               'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)',
        MODEL: 'from sklearn.metrics import accuracy_score\n\n'
               'model = LogisticRegression(class_weight="balanced", max_iter=1000).fit(X_train, y_train)\n'
               'pred = model.predict(X_test)\nnp.savetxt("output/predictions.txt", pred, fmt="%d")\n'
               'Path("output/report.txt").write_text(f"accuracy {accuracy_score(y_test, pred):.3f}")',
    }, loses={"b22a_split": "the target among the features", "b22a_model": "no classification report"}),
]
