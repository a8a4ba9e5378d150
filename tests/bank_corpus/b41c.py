"""Answers of bank task b41c (practice labels): other routes to the accuracies and the list, and mistakes."""

from class_runs import Case

ACC, RETRAIN = "b41c_accuracy_answer", "b41c_retrain_answer"
SAVE = ('\npd.Series(accuracy, name="accuracy").rename_axis("trainee").reset_index().to_csv(\n'
        '    "output/trainee_accuracy.csv", index=False)')
RIGHT_ACC = ('right = practice["label"].str.strip().str.lower() == practice["gold"]\n'
             'accuracy = right.groupby(practice["trainee"]).mean().to_dict()' + SAVE)

CASES = [
    Case("b41c-apply-dict", "alternative", {
        ACC: 'accuracy = practice.groupby("trainee").apply(\n'
             '    lambda g: (g["label"].str.strip().str.casefold() == g["gold"].str.casefold()).mean(),\n'
             '    include_groups=False).to_dict()' + SAVE,
        RETRAIN: 'retrain = sorted(t for t, a in accuracy.items() if a < 0.8)',
    }),
    Case("b41c-loop-rounded-bom", "alternative", {
        ACC: 'accuracy = {}\nfor t, g in practice.groupby("trainee"):\n'
             '    hits = sum(a.strip().lower() == b for a, b in zip(g["label"], g["gold"]))\n'
             '    accuracy[t] = round(hits / len(g), 2)\n'
             'pd.DataFrame(list(accuracy.items()), columns=["trainee", "accuracy"]).to_csv(\n'
             '    Path("output") / "trainee_accuracy.csv", index=False, encoding="utf-8-sig")',
        RETRAIN: 'retrain = {t.lower() for t, a in accuracy.items() if not a >= 0.8}',
    }),
    Case("b41c-frame-series", "alternative", {
        ACC: 'practice["ok"] = practice["label"].str.lower().str.strip().eq(practice["gold"])\n'
             'accuracy = practice.groupby("trainee", as_index=False)["ok"].mean().rename(columns={"ok": "accuracy"})\n'
             'accuracy.to_csv("output/trainee_accuracy.csv", index=False)',
        RETRAIN: 'retrain = accuracy.loc[accuracy["accuracy"] < 0.8, "trainee"]',
    }),
    Case("b41c-raw-labels-carried", "wrong", {
        ACC: 'accuracy = (practice["label"] == practice["gold"]).groupby(practice["trainee"]).mean().to_dict()' + SAVE,
        RETRAIN: 'retrain = [t for t, a in accuracy.items() if a < 0.8]',
    }, loses={"b41c_accuracy": "labels compared as typed (case and spaces counted as errors)"}),
    Case("b41c-no-file-at-or-below", "wrong", {
        ACC: 'right = practice["label"].str.strip().str.lower() == practice["gold"]\n'
             'accuracy = right.groupby(practice["trainee"]).mean().to_dict()',
        RETRAIN: 'retrain = [t for t, a in accuracy.items() if a <= 0.8]',
    }, loses={"b41c_accuracy": "no file saved", "b41c_retrain": "exactly 0.8 sent to retrain"}),
    Case("b41c-counts-raw-list", "wrong", {
        ACC: 'right = practice["label"].str.strip().str.lower() == practice["gold"]\n'
             'accuracy = right.groupby(practice["trainee"]).sum().to_dict()' + SAVE,
        RETRAIN: 'raw = (practice["label"] == practice["gold"]).groupby(practice["trainee"]).mean()\n'
                 'retrain = list(raw[raw < 0.8].index)',
    }, loses={"b41c_accuracy": "right labels counted, not a share", "b41c_retrain": "the list from raw labels"}),
    Case("b41c-percent-bar", "wrong", {
        ACC: RIGHT_ACC,
        RETRAIN: 'retrain = [t for t, a in accuracy.items() if a < 80]',
    }, loses={"b41c_retrain": "0.8 read as 80, everyone listed"}),
]
