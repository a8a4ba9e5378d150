"""Answers of bank task b21b (museum labels): other routes to the majority vote, and real merging mistakes."""

from class_runs import Case

FINAL = "b21b_final_answer"

CASES = [
    Case("b21b-stack-groupby", "alternative", {FINAL: (
        'votes = labels.set_index("question_id")[ANNOTATORS].apply(lambda c: c.str.strip().str.lower())\n'
        'counts = votes.stack().groupby(level=0).value_counts()\n'
        'top = counts[counts >= 2].reset_index(level=1).iloc[:, 0]\n'
        'final = top.reindex(labels["question_id"]).fillna("review").rename("final_label").reset_index()\n'
        'final.to_csv("output/labels_final.csv", index=False)')}),
    Case("b21b-counter-loop-extra-columns", "alternative", {FINAL: (
        'from collections import Counter\n\n'
        'out = []\n'
        'for row in labels.itertuples(index=False):\n'
        '    votes = [str(v).strip().lower() for v in (row.ann_1, row.ann_2, row.ann_3) if isinstance(v, str) and v.strip()]\n'
        '    label, n = Counter(votes).most_common(1)[0] if votes else ("", 0)\n'
        '    out.append(label if n >= 2 else "Review")\n'
        'final = labels.assign(final_label=out).sample(frac=1, random_state=4)\n'
        'final.to_csv(Path("output") / "labels_final.csv", index=False, encoding="utf-8-sig")')}),
    Case("b21b-pairwise-where", "alternative", {FINAL: (
        'a, b, c = (labels[n].fillna("").str.strip().str.lower() for n in ANNOTATORS)\n'
        'label = a.where((a != "") & ((a == b) | (a == c)), b.where((b != "") & (b == c), "review"))\n'
        'final = pd.DataFrame({"question_id": labels["question_id"], "final_label": label})\n'
        'final.to_csv("output/labels_final.csv", index=False)')}),
    Case("b21b-spellings-kept", "wrong", {FINAL: (
        'def majority(row):\n'
        '    counts = row.dropna().value_counts()\n'
        '    return counts.index[0] if len(counts) and counts.iloc[0] >= 2 else "review"\n\n\n'
        'final = labels[["question_id"]].assign(final_label=labels[ANNOTATORS].apply(majority, axis=1))\n'
        'final.to_csv("output/labels_final.csv", index=False)')},
        loses={"b21b_final": "votes counted before unifying spellings"}),
    Case("b21b-unanimous-only", "wrong", {FINAL: (
        'votes = labels[ANNOTATORS].apply(lambda col: col.str.strip().str.lower())\n'
        'same = votes.nunique(axis=1, dropna=False) == 1\n'
        'final = pd.DataFrame({"question_id": labels["question_id"], "final_label": votes["ann_1"].where(same, "review")})\n'
        'final.to_csv("output/labels_final.csv", index=False)')},
        loses={"b21b_final": "all three must agree"}),
    Case("b21b-mode-no-review", "wrong", {FINAL: (
        'votes = labels[ANNOTATORS].apply(lambda col: col.str.strip().str.lower())\n'
        'final = pd.DataFrame({"question_id": labels["question_id"], "final_label": votes.mode(axis=1)[0]})\n'
        'final.to_csv("output/labels_final.csv", index=False)')},
        loses={"b21b_final": "ties settled by the first label, never sent to review"}),
]
