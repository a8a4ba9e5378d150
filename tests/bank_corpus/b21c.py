"""Answers of bank task b21c (kitchen utterances): other cleaning routes and files, and real cleaning mistakes."""

from class_runs import Case

CLEAN = "b21c_clean_answer"

CASES = [
    Case("b21c-unicodedata-keep-last", "alternative", {CLEAN: (
        'import re\nimport unicodedata\n\n\n'
        'def norm(text):\n'
        '    text = unicodedata.normalize("NFKC", "" if pd.isna(text) else str(text))\n'
        '    return re.sub(r"\\s+", " ", text).strip().lower()\n\n\n'
        'cleaned = utterances.assign(text=utterances["text"].map(norm))\n'
        'cleaned = cleaned.drop_duplicates(subset="text", keep="last").query("text.str.len() > 1", engine="python")\n'
        'cleaned.to_csv(Path("output") / "utterances_clean.csv", index=False)')}),
    Case("b21c-split-join-groupby-bom", "alternative", {CLEAN: (
        'text = utterances["text"].fillna("").str.normalize("NFKC").str.split().str.join(" ").str.lower()\n'
        'cleaned = utterances.assign(text=text).loc[lambda d: d["text"].str.len() >= 2]\n'
        'cleaned = cleaned.groupby("text", as_index=False).first()[["utt_id", "text", "intent"]]\n'
        'cleaned.to_csv("output/utterances_clean.csv", index=False, encoding="utf-8-sig")')}),
    Case("b21c-loop-seen", "alternative", {CLEAN: (
        'import unicodedata\n\n'
        'rows, seen = [], set()\n'
        'for utt_id, text, intent in utterances[["utt_id", "text", "intent"]].itertuples(index=False):\n'
        '    t = " ".join(unicodedata.normalize("NFKC", str(text) if isinstance(text, str) else "").split()).lower()\n'
        '    if len(t) >= 2 and t not in seen:\n'
        '        seen.add(t)\n'
        '        rows.append({"utt_id": utt_id, "intent": intent, "text": t})\n'
        'cleaned = pd.DataFrame(rows)\n'
        'cleaned.to_csv("output/utterances_clean.csv", index=False)')}),
    Case("b21c-no-nfkc", "wrong", {CLEAN: (
        'cleaned = utterances.copy()\n'
        'cleaned["text"] = cleaned["text"].fillna("").str.replace(r"\\s+", " ", regex=True).str.strip().str.lower()\n'
        'cleaned = cleaned[cleaned["text"].str.len() >= 2].drop_duplicates("text")\n'
        'cleaned.to_csv("output/utterances_clean.csv", index=False)')},
        loses={"b21c_clean": "full-width characters kept, so their copies too"}),
    Case("b21c-dedup-before-normalising", "wrong", {CLEAN: (
        'cleaned = utterances.drop_duplicates("text").copy()\n'
        'cleaned["text"] = (cleaned["text"].fillna("").str.normalize("NFKC")\n'
        '                   .str.replace(r"\\s+", " ", regex=True).str.strip().str.lower())\n'
        'cleaned = cleaned[cleaned["text"].str.len() >= 2]\n'
        'cleaned.to_csv("output/utterances_clean.csv", index=False)')},
        loses={"b21c_clean": "duplicates dropped before normalising"}),
    Case("b21c-inner-spaces-two-dropped", "wrong", {CLEAN: (
        'cleaned = utterances.dropna(subset=["text"]).copy()\n'
        'cleaned["text"] = cleaned["text"].str.normalize("NFKC").str.strip().str.lower()\n'
        'cleaned = cleaned[cleaned["text"].str.len() > 2].drop_duplicates("text")\n'
        'cleaned.to_csv("output/utterances_clean.csv", index=False)')},
        loses={"b21c_clean": "inner runs of spaces kept and two-character texts dropped"}),
]
