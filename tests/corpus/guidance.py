"""Whole answers of the guidance lab, graded end to end through nbgrader (see ``class_runs``).

Alternatives reach every answer by another correct route (containers, key spellings, numpy instead of
pandas, rank or nlargest instead of sorting, rounded statistics). Wrong answers make real mistakes the
statements rule out, one per task in each notebook; the items to revise are judged on the learner's own
statistics, so a slip in the statistics never costs points there.
"""

from __future__ import annotations

from textwrap import dedent

from class_runs import Case

#: The content errors of the default batch, found by reading (the labelling review of a careful reviewer).
READ = dedent('''\
    read = {"CS02083": "wrong_intent", "CS02293": "wrong_intent",
            "CS02153": "priority_ignored", "CS02244": "priority_ignored"}
    ''')
BLANK_AND_INVALID = dedent('''\
    text = batch["label"].fillna("").str.strip()
    mechanical = {rid: ("missing_label" if t == "" else "invalid_label")
                  for rid, t in zip(batch["record_id"], text) if t not in q.INTENT_LABELS}
    ''')
RIGHT_STEPS = {3: "wrong_duplicate_key", 4: "records_lost", 5: "wrong_fill", 6: "categories_not_unified"}


def steps(mapping: dict[object, str]) -> str:
    """The answer cell of Task 1 as a dict literal."""
    return f"faulty_steps = {mapping!r}\n"


ALT_STRINGS = {
    "junior_steps_answer": steps({"步骤 3": "Wrong_Duplicate_Key ", "Step 4": "records_lost",
                                  "5": "wrong_fill", 6.0: "categories_not_unified"}),
    "item_stats_answer": dedent('''\
        import numpy as np

        items = sorted(key)
        answers = responses[items].to_numpy()
        correct = (answers == np.array([key[i] for i in items])).astype(int)
        order = np.argsort(-correct.sum(axis=1), kind="stable")
        k = int(0.27 * len(correct) + 0.5)
        item_stats = pd.DataFrame({
            "item": items,
            "difficulty": correct.mean(axis=0).round(2),
            "discrimination": (correct[order[:k]].mean(axis=0) - correct[order[-k:]].mean(axis=0)).round(2),
        })
        '''),
    "items_to_revise_answer": dedent('''\
        to_revise = set(item_stats.query(
            "difficulty > 0.9 or difficulty < 0.2 or discrimination < 0.2")["item"])
        '''),
    "label_errors_answer": BLANK_AND_INVALID + READ + dedent('''\
        found = mechanical | read
        label_errors = pd.DataFrame({"record_id": [r.lower() for r in found],
                                     "error_type": list(found.values())})
        '''),
}

ALT_RANKS = {
    "junior_steps_answer": f"faulty_steps = pd.Series({RIGHT_STEPS!r})\n",
    "item_stats_answer": dedent('''\
        correct = pd.DataFrame({item: (responses[item] == answer).astype(float)
                                for item, answer in key.items()})
        total = correct.sum(axis=1)
        k = round(len(correct) * 27 / 100)
        upper = correct[total.rank(method="first", ascending=False) <= k]
        lower = correct[total.rank(method="first") <= k]
        item_stats = pd.concat({"difficulty": correct.mean(), "discrimination": upper.mean() - lower.mean()},
                               axis=1)
        item_stats.index = item_stats.index.str.lower()
        '''),
    "items_to_revise_answer": dedent('''\
        to_revise = []
        for item, row in item_stats.iterrows():
            if not 0.2 <= row["difficulty"] <= 0.9 or row["discrimination"] < 0.2:
                to_revise.append(item)
        '''),
    "label_errors_answer": BLANK_AND_INVALID + READ + "label_errors = sorted((mechanical | read).items())\n",
}

ALT_NLARGEST = {
    "junior_steps_answer": dedent(f'''\
        faulty_steps = pd.DataFrame({{"step": {list(RIGHT_STEPS)!r},
                                     "error_type": {list(RIGHT_STEPS.values())!r}}})
        '''),
    "item_stats_answer": dedent('''\
        scored = responses.set_index("trainee_id").fillna("-")
        correct = scored.apply(lambda column: column == key[column.name])
        total = correct.sum(axis="columns")
        k = round(0.27 * len(total))
        item_stats = pd.DataFrame({
            "difficulty": correct.mean(),
            "discrimination": correct.loc[total.nlargest(k).index].mean()
            - correct.loc[total.nsmallest(k).index].mean(),
        })
        '''),
    "items_to_revise_answer": dedent('''\
        import numpy as np

        d, r = item_stats["difficulty"], item_stats["discrimination"]
        to_revise = np.array(item_stats.index[(d > 0.9) | (d < 0.2) | (r < 0.2)])
        '''),
    "label_errors_answer": BLANK_AND_INVALID + READ
    + "label_errors = pd.Series(mechanical).combine_first(pd.Series(read))\n",
}

SOLUTION_CORRECT = dedent('''\
    items = list(key)
    correct = responses[items].eq(pd.Series(key)).astype(int)
    total = correct.sum(axis=1)
    ''')

WRONG_FIRST_SAID = {
    "junior_steps_answer": steps({3: "wrong_duplicate_key", 4: "records_lost", 5: "wrong_fill"}),
    "item_stats_answer": SOLUTION_CORRECT + dedent('''\
        answered = correct.where(responses[items].notna())  # blanks left out of the denominator
        k = round(0.27 * len(correct))
        ranked = answered.loc[total.sort_values(ascending=False).index]
        item_stats = pd.DataFrame({"difficulty": answered.mean(),
                                   "discrimination": ranked.head(k).mean() - ranked.tail(k).mean()})
        '''),
    "items_to_revise_answer": "to_revise = list(item_stats.index[item_stats['discrimination'] < 0.2])\n",
    "label_errors_answer": BLANK_AND_INVALID + dedent('''\
        # labelled by the intent said first: the right two-intent labels look wrong, the wrong ones right
        read = {"CS02083": "wrong_intent", "CS02293": "wrong_intent", "CS02160": "wrong_intent",
                "CS02223": "wrong_intent", "CS02314": "wrong_intent"}
        label_errors = mechanical | read
        '''),
}

WRONG_POINT_BISERIAL = {
    "junior_steps_answer": steps({1: "missing_markers", **RIGHT_STEPS}),
    "item_stats_answer": SOLUTION_CORRECT + dedent('''\
        item_stats = pd.DataFrame({"difficulty": correct.mean(),
                                   "discrimination": correct.corrwith(total)})
        '''),
    "items_to_revise_answer": dedent('''\
        flag = ((item_stats["difficulty"] > 0.90) | (item_stats["difficulty"] <= 0.20)
                | (item_stats["discrimination"] < 0.20))
        to_revise = list(item_stats.index[flag])
        '''),
    "label_errors_answer": BLANK_AND_INVALID + "label_errors = mechanical\n",
}

WRONG_TRUNCATED = {
    "junior_steps_answer": steps({**RIGHT_STEPS, 4: "rule_boundary"}),
    "item_stats_answer": SOLUTION_CORRECT + dedent('''\
        k = int(0.27 * len(correct))
        ranked = correct.loc[total.sort_values(ascending=False).index]
        item_stats = pd.DataFrame({"difficulty": correct.mean(),
                                   "discrimination": ranked.head(k).mean() - ranked.tail(k).mean()})
        '''),
    "items_to_revise_answer": dedent('''\
        flag = ((item_stats["difficulty"] > 0.90) | (item_stats["difficulty"] < 0.20)
                | (item_stats["discrimination"].abs() < 0.20))
        to_revise = list(item_stats.index[flag])
        '''),
    "label_errors_answer": dedent('''\
        label_errors = {rid: "missing_label" for rid in batch.loc[batch["label"] == "", "record_id"]}
        label_errors |= {rid: "invalid_label" for rid, t in zip(batch["record_id"], batch["label"])
                         if isinstance(t, str) and t not in q.INTENT_LABELS}
        label_errors |= {"CS02083": "wrong_intent", "CS02293": "wrong_intent",
                         "CS02153": "wrong_intent", "CS02244": "wrong_intent"}
        '''),
}

CASES = [
    Case("strings-numpy-rounded-query-frame", "alternative", ALT_STRINGS),
    Case("series-rank-loop-pairs", "alternative", ALT_RANKS),
    Case("frame-nlargest-array-series", "alternative", ALT_NLARGEST),
    Case("step-missed-blanks-skipped-only-discrimination-first-said", "wrong", WRONG_FIRST_SAID, loses={
        "junior_steps": "a faulty step missed", "item_stats": "blanks left out of the denominator",
        "items_to_revise": "only the discrimination rule", "label_errors": "labelled by what is said first"}),
    Case("decoy-step-point-biserial-boundary-mechanical-only", "wrong", WRONG_POINT_BISERIAL, loses={
        "junior_steps": "a correct step named", "item_stats": "point-biserial instead of upper-lower",
        "items_to_revise": "<= 0.20 flags the item at the threshold",
        "label_errors": "only blank and invalid labels found"}),
    Case("wrong-type-truncated-groups-abs-blank-missed", "wrong", WRONG_TRUNCATED, loses={
        "junior_steps": "wrong error type", "item_stats": "27 % truncated, not rounded",
        "items_to_revise": "abs() misses the miskeyed item",
        "label_errors": "NaN blank missed, priority errors typed as wrong intents"}),
]
