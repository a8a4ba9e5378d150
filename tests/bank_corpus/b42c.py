"""Answers of bank task b42c (churn split): other routes to the leaked customers, and real review mistakes."""

from class_runs import Case

LEAK = "b42c_leak_answer"
SAVE = '\npd.Series(sorted(leaked), name="customer_id").to_csv("output/leaked_customers.csv", index=False)'

CASES = [
    Case("b42c-nunique", "alternative", {LEAK: (
        'norm = split.assign(cid=split["customer_id"].str.strip().str.upper())\n'
        'per = norm.groupby("cid")["split"].nunique()\nleaked = list(per[per == 2].index)' + SAVE + '\n'
        'test = norm[norm["split"] == "test"]\ntest_share = test["cid"].isin(leaked).sum() / len(test)')}),
    Case("b42c-crosstab-lower", "alternative", {LEAK: (
        'cid = split["customer_id"].str.lower().str.strip()\n'
        'table = pd.crosstab(cid, split["split"])\n'
        'leaked = table[(table["train"] > 0) & (table["test"] > 0)].index.to_numpy()\n'
        'pd.DataFrame({"customer_id": leaked}).to_csv(Path("output") / "leaked_customers.csv", index=False,\n'
        '                                            encoding="utf-8-sig")\n'
        'test_share = round(float(table.loc[leaked, "test"].sum() / table["test"].sum()), 3)')}),
    Case("b42c-loop-sets", "alternative", {LEAK: (
        'train, test = set(), []\nfor c, s in zip(split["customer_id"], split["split"]):\n'
        '    c = c.strip().upper()\n'
        '    if s == "train":\n        train.add(c)\n    else:\n        test.append(c)\n'
        'leaked = tuple(sorted(train & set(test)))' + SAVE + '\n'
        'test_share = sum(c in leaked for c in test) / len(test)')}),
    Case("b42c-ids-as-typed", "wrong", {LEAK: (
        'ids = split["customer_id"]\n'
        'leaked = set(ids[split["split"] == "train"]) & set(ids[split["split"] == "test"])' + SAVE + '\n'
        'test_share = ids[split["split"] == "test"].isin(leaked).mean()')},
        loses={"b42c_leak": "ids compared as typed: leaked customers missed"}),
    Case("b42c-several-rows", "wrong", {LEAK: (
        'ids = split["customer_id"].str.strip().str.upper()\n'
        'counts = ids.value_counts()\nleaked = set(counts[counts > 1].index)' + SAVE + '\n'
        'test_share = ids[split["split"] == "test"].isin(leaked).mean()')},
        loses={"b42c_leak": "every customer with several rows named"}),
    Case("b42c-share-of-all-rows-no-file", "wrong", {LEAK: (
        'ids = split["customer_id"].str.strip().str.upper()\n'
        'leaked = set(ids[split["split"] == "train"]) & set(ids[split["split"] == "test"])\n'
        'test_share = ids.isin(leaked).mean()')},
        loses={"b42c_leak": "the share of all rows, not of the test rows; no file"}),
]
