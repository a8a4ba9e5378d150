"""Answers of bank task b42a (sentiment labels): other routes to the mislabelled ids, and real mistakes."""

from class_runs import Case

ERRORS = "b42a_errors_answer"

CASES = [
    Case("b42a-loop", "alternative", {ERRORS: (
        'mislabelled = []\nfor rid, s, label in reviews[["review_id", "stars", "label"]].itertuples(index=False):\n'
        '    want = "negative" if s < 3 else "neutral" if s == 3 else "positive"\n'
        '    if label != want:\n        mislabelled.append(rid)')}),
    Case("b42a-array", "alternative", {ERRORS: (
        'want = np.select([reviews["stars"] <= 2, reviews["stars"] == 3], ["negative", "neutral"], "positive")\n'
        'mislabelled = reviews["review_id"].to_numpy()[reviews["label"].to_numpy() != want]')}),
    Case("b42a-lower-series", "alternative", {ERRORS: (
        'rule = pd.cut(reviews["stars"], [0, 2, 3, 5], labels=["negative", "neutral", "positive"]).astype(str)\n'
        'mislabelled = reviews.loc[reviews["label"] != rule, "review_id"].str.lower()')}),
    Case("b42a-three-positive", "wrong", {ERRORS: (
        'rule = reviews["stars"].map(lambda s: "negative" if s <= 2 else "positive")\n'
        'mislabelled = set(reviews.loc[reviews["label"] != rule, "review_id"])')},
        loses={"b42a_errors": "3 stars read as positive"}),
    Case("b42a-negatives-only", "wrong", {ERRORS: (
        'mislabelled = set(reviews.loc[(reviews["stars"] <= 2) & (reviews["label"] != "negative"), "review_id"])')},
        loses={"b42a_errors": "only the negative reviews checked"}),
    Case("b42a-everything", "wrong", {ERRORS: 'mislabelled = list(reviews["review_id"])'},
         loses={"b42a_errors": "every record named"}),
]
