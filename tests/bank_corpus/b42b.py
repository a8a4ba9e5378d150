"""Answers of bank task b42b (shelf photos): other routes to the faulty photos, and real review mistakes."""

from class_runs import Case

ISSUES = "b42b_issues_answer"
SAVE = ('\npd.DataFrame({"file_name": list(issues), "rule": list(issues.values())}).to_csv(\n'
        '    "output/photo_issues.csv", index=False)')

CASES = [
    Case("b42b-select-series", "alternative", {ISSUES: (
        'import numpy as np\n\n'
        'rule = np.select([(photos.width < 1280) | (photos.height < 720),\n'
        '                  ~photos.format.str.strip().str.lower().isin(["jpg", "png"]), photos.store_consent == 0],\n'
        '                 ["resolution", "format", "consent"], "")\n'
        'issues = pd.Series(rule, index=photos.file_name)[rule != ""]\n'
        'issues.rename("rule").reset_index().to_csv("output/photo_issues.csv", index=False)')}),
    Case("b42b-two-column-frame", "alternative", {ISSUES: (
        'def broken(row):\n'
        '    if min(row.width - 1280, row.height - 720) < 0:\n        return "Resolution"\n'
        '    if row.format.lower() not in ("jpg", "png"):\n        return "FORMAT"\n'
        '    return None if row.store_consent else "consent"\n\n'
        'found = photos.assign(rule=photos.apply(broken, axis=1)).dropna(subset=["rule"])\n'
        'issues = found[["file_name", "rule"]]\n'
        'issues.to_csv(Path("output") / "photo_issues.csv", index=False, encoding="utf-8-sig")')}),
    Case("b42b-loop-dict", "alternative", {ISSUES: (
        'issues = {}\nfor r in photos.itertuples():\n'
        '    if r.store_consent != 1:\n        issues[r.file_name] = "consent"\n'
        '    elif str(r.format).upper() not in {"JPG", "PNG"}:\n        issues[r.file_name] = "format"\n'
        '    elif not (r.width >= 1280 and r.height >= 720):\n        issues[r.file_name] = "resolution"' + SAVE)}),
    Case("b42b-edge-flagged", "wrong", {ISSUES: (
        'issues = {}\nfor r in photos.itertuples():\n'
        '    if r.width <= 1280 or r.height <= 720:\n        issues[r.file_name] = "resolution"\n'
        '    elif r.format.lower() not in ("jpg", "png"):\n        issues[r.file_name] = "format"\n'
        '    elif r.store_consent != 1:\n        issues[r.file_name] = "consent"' + SAVE)},
        loses={"b42b_issues": "exactly 1280 × 720 flagged"}),
    Case("b42b-case-sensitive-format", "wrong", {ISSUES: (
        'issues = {}\nfor r in photos.itertuples():\n'
        '    if r.width < 1280 or r.height < 720:\n        issues[r.file_name] = "resolution"\n'
        '    elif r.format not in ("jpg", "png"):\n        issues[r.file_name] = "format"\n'
        '    elif r.store_consent != 1:\n        issues[r.file_name] = "consent"' + SAVE)},
        loses={"b42b_issues": "JPG and Png flagged"}),
    Case("b42b-consent-forgotten-size-named", "wrong", {ISSUES: (
        'issues = {}\nfor r in photos.itertuples():\n'
        '    if r.width < 1280 or r.height < 720:\n        issues[r.file_name] = "size"\n'
        '    elif r.format.lower() not in ("jpg", "png"):\n        issues[r.file_name] = "format"' + SAVE)},
        loses={"b42b_issues": "consent not checked; the rule named size"}),
]
