"""Answers of bank task b41a (safety quiz): other routes to the difficulties, and real mistakes."""

from class_runs import Case

DIFF = "b41a_difficulty_answer"

CASES = [
    Case("b41a-loop", "alternative", {DIFF: (
        'difficulty = {}\nfor item, letter in key.items():\n'
        '    difficulty[item] = sum(a == letter for a in answers[item]) / len(answers)')}),
    Case("b41a-numpy-series", "alternative", {DIFF: (
        'items = list(key)\ncorrect = answers[items].to_numpy() == np.array([key[i] for i in items])\n'
        'difficulty = pd.Series(correct.mean(axis=0), index=items)')}),
    Case("b41a-lower-ids-rounded", "alternative", {DIFF: (
        'difficulty = {i.lower(): round(float((answers[i].fillna("") == k).mean()), 2) for i, k in key.items()}')}),
    Case("b41a-blanks-skipped", "wrong", {DIFF: (
        'difficulty = {i: (answers[i].dropna() == k).mean() for i, k in key.items()}')},
        loses={"b41a_difficulty": "blanks left out of the denominator"}),
    Case("b41a-share-wrong", "wrong", {DIFF: (
        'difficulty = (1 - answers[list(key)].eq(pd.Series(key)).mean()).to_dict()')},
        loses={"b41a_difficulty": "the share wrong, not right"}),
    Case("b41a-per-trainee", "wrong", {DIFF: (
        'difficulty = answers[list(key)].eq(pd.Series(key)).mean(axis=1).to_dict()')},
        loses={"b41a_difficulty": "per trainee, not per item"}),
]
