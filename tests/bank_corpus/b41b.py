"""Answers of bank task b41b (course gains): other routes to the paired gains, and real mistakes."""

from class_runs import Case

GAIN = "b41b_gain_answer"
SAVE = '\npd.Series(gain, name="mean_gain").rename_axis("module").reset_index().to_csv("output/module_gain.csv", index=False)'

CASES = [
    Case("b41b-pivot-dict", "alternative", {GAIN: (
        'wide = scores.assign(g=scores["post"] - scores["pre"]).pivot(index="trainee", columns="module", values="g")\n'
        'gain = wide.mean().to_dict()' + SAVE)}),
    Case("b41b-loop-rounded", "alternative", {GAIN: (
        'gain = {}\nfor module, g in scores.groupby("module"):\n'
        '    sat = g[g["post"].notna()]\n'
        '    gain[module.upper()] = round(float((sat["post"] - sat["pre"]).sum() / len(sat)), 1)' + SAVE)}),
    Case("b41b-frame-bom", "alternative", {GAIN: (
        'both = scores[scores["post"].notna() & scores["pre"].notna()].copy()\n'
        'both["d"] = both["post"] - both["pre"]\n'
        'gain = both.groupby("module", as_index=False)["d"].mean().rename(columns={"d": "mean_gain"})\n'
        'gain.to_csv(Path("output") / "module_gain.csv", index=False, encoding="utf-8-sig")')}),
    Case("b41b-means-apart", "wrong", {GAIN: (
        'by = scores.groupby("module")\ngain = (by["post"].mean() - by["pre"].mean()).to_dict()' + SAVE)},
        loses={"b41b_gain": "posts and pres averaged apart, the absent trainees' pres kept"}),
    Case("b41b-absent-as-zero", "wrong", {GAIN: (
        'filled = scores.fillna({"post": 0})\n'
        'gain = (filled["post"] - filled["pre"]).groupby(filled["module"]).mean().to_dict()' + SAVE)},
        loses={"b41b_gain": "a missed post-test scored 0"}),
    Case("b41b-ratio-no-file", "wrong", {GAIN: (
        'both = scores.dropna()\ngain = (both["post"] / both["pre"]).groupby(both["module"]).mean().to_dict()')},
        loses={"b41b_gain": "the ratio post / pre and no file"}),
    Case("b41b-file-index-only", "wrong", {GAIN: (
        'both = scores.dropna()\ngain = (both["post"] - both["pre"]).groupby(both["module"]).mean()\n'
        'gain.to_csv("output/module_gain.csv", index=False)')},
        loses={"b41b_gain": "the file without the module column"}),
]
