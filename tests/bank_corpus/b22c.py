"""Answers of bank task b22c (kiln defects): other diagnoses and fixes, and real mistakes in testing a model."""

from class_runs import Case

DIAGNOSIS, FIXED = "b22c_diagnosis_answer", "b22c_fixed_answer"

CASES = [
    Case("b22c-score-leaf-size", "alternative", {
        DIAGNOSIS: 'tree = DecisionTreeClassifier(random_state=0)\ntree.fit(X_train, y_train)\n'
                   'train_acc, test_acc = round(tree.score(X_train, y_train), 3), round(tree.score(X_test, y_test), 3)\n'
                   'overfit = train_acc - test_acc > 0.1',
        FIXED: 'better = DecisionTreeClassifier(min_samples_leaf=20, random_state=0).fit(X_train, y_train)\n'
               'pd.Series(better.predict(X_test)).to_csv("output/predictions.txt", header=False, index=False)',
    }),
    Case("b22c-mean-pruned", "alternative", {
        DIAGNOSIS: 'tree = DecisionTreeClassifier(criterion="gini", random_state=0).fit(X_train, y_train)\n'
                   'train_acc = float((tree.predict(X_train) == y_train).mean())\n'
                   'test_acc = float(np.mean(tree.predict(X_test) == y_test.to_numpy()))\n'
                   'overfit = np.subtract(train_acc, test_acc) > 0.1',
        FIXED: 'better = DecisionTreeClassifier(ccp_alpha=0.01, random_state=0).fit(X_train, y_train)\n'
               'with open(Path("output") / "predictions.txt", "w", encoding="utf-8") as f:\n'
               '    f.write("\\n".join(str(v) for v in better.predict(X_test)))',
    }),
    Case("b22c-shallow-forest", "alternative", {
        DIAGNOSIS: 'tree = DecisionTreeClassifier(random_state=0).fit(X_train.to_numpy(), y_train.to_numpy())\n'
                   'train_acc = accuracy_score(y_train, tree.predict(X_train.to_numpy()))\n'
                   'test_acc = accuracy_score(y_test, tree.predict(X_test.to_numpy()))\n'
                   'overfit = True if train_acc - test_acc > 0.1 else False',
        FIXED: 'from sklearn.ensemble import RandomForestClassifier\n\n'
               'better = RandomForestClassifier(n_estimators=30, max_depth=4, random_state=0).fit(X_train, y_train)\n'
               'np.savetxt("output/predictions.txt", better.predict(X_test), fmt="%d")',
    }),
    Case("b22c-test-on-train-full-forest", "wrong", {
        DIAGNOSIS: 'tree = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)\n'
                   'train_acc = accuracy_score(y_train, tree.predict(X_train))\n'
                   'test_acc = accuracy_score(y_train, tree.predict(X_train))\n'
                   'overfit = bool(train_acc - test_acc > 0.1)',
        FIXED: 'from sklearn.ensemble import RandomForestClassifier\n\n'
               'better = RandomForestClassifier(n_estimators=30, random_state=0).fit(X_train, y_train)\n'
               'np.savetxt("output/predictions.txt", better.predict(X_test), fmt="%d")',
    }, loses={"b22c_diagnosis": "test accuracy measured on the training set",
              "b22c_fixed": "an unlimited forest still overfits"}),
    Case("b22c-percent-tree-file", "wrong", {
        DIAGNOSIS: 'tree = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)\n'
                   'train_acc = 100 * tree.score(X_train, y_train)\ntest_acc = 100 * tree.score(X_test, y_test)\n'
                   'overfit = bool(train_acc - test_acc > 0.1)',
        FIXED: 'better = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X_train, y_train)\n'
               'np.savetxt("output/predictions.txt", tree.predict(X_test), fmt="%d")',
    }, loses={"b22c_diagnosis": "percent, not fractions", "b22c_fixed": "the old tree's predictions saved"}),
    Case("b22c-limited-tree-deeper-fix", "wrong", {
        DIAGNOSIS: 'tree = DecisionTreeClassifier(max_depth=5, random_state=0).fit(X_train, y_train)\n'
                   'train_acc, test_acc = tree.score(X_train, y_train), tree.score(X_test, y_test)\n'
                   'overfit = bool(train_acc - test_acc > 0.1)',
        FIXED: 'better = DecisionTreeClassifier(max_depth=12, random_state=0).fit(X_train, y_train)\n'
               'np.savetxt("output/predictions.txt", better.predict(X_test), fmt="%d")',
    }, loses={"b22c_diagnosis": "not the default tree", "b22c_fixed": "a deeper tree fixes nothing"}),
    Case("b22c-verdict-reversed", "wrong", {
        DIAGNOSIS: 'tree = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)\n'
                   'train_acc, test_acc = tree.score(X_train, y_train), tree.score(X_test, y_test)\n'
                   'overfit = bool(train_acc - test_acc < 0.1)',
    }, loses={"b22c_diagnosis": "the verdict reversed"}),
]
