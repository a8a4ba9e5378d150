"""Answers of bank task b11b (parcel hotline audit): other routes to the flags and rates, and real audit mistakes."""

from class_runs import Case

AUDIT, RATES = "b11b_audit_answer", "b11b_source_rates_answer"

CASES = [
    Case("b11b-cumcount-ints-series", "alternative", {
        AUDIT: 'audited = calls.copy()\n'
               'nth = audited.sort_values("record_id").groupby("call_id").cumcount()\n'
               'blank = audited["intent"].isna() | (audited["intent"].astype(str).str.strip().str.len() == 0)\n'
               'audited["passed"] = ((audited["duration_s"] >= 1) & (audited["duration_s"] <= 3600) & ~blank\n'
               '                     & (nth.reindex(audited.index) == 0)).astype(int)\n'
               'audited.to_csv(Path("output") / "calls_audited.csv", index=False)',
        RATES: 'source_rates = audited.groupby("source")["passed"].mean().mul(100)',
    }),
    Case("b11b-first-ids-shuffled-frame", "alternative", {
        AUDIT: 'first_ids = set(calls.sort_values("record_id").drop_duplicates("call_id")["record_id"])\n'
               'audited = calls.sample(frac=1, random_state=3).reset_index(drop=True)\n'
               'audited["passed"] = (audited["record_id"].isin(first_ids)\n'
               '                     & audited["duration_s"].between(1, 3600)\n'
               '                     & audited["intent"].str.strip().fillna("").astype(bool))\n'
               'audited.to_csv("output/calls_audited.csv", index=False, encoding="utf-8-sig")',
        RATES: 'source_rates = audited.groupby("source", as_index=False)["passed"].mean()\n'
               'source_rates["passed"] = (source_rates["passed"] * 100).round(1)',
    }),
    Case("b11b-apply-counts", "alternative", {
        AUDIT: 'seen = set()\n\n\n'
               'def ok(row):\n'
               '    first = row["call_id"] not in seen\n'
               '    seen.add(row["call_id"])\n'
               '    text = "" if pd.isna(row["intent"]) else str(row["intent"]).strip()\n'
               '    return first and 1 <= row["duration_s"] <= 3600 and text != ""\n\n\n'
               'audited = calls.sort_values("record_id").copy()\n'
               'audited["passed"] = audited.apply(ok, axis=1)\n'
               'audited[["record_id", "call_id", "source", "passed"]].to_csv("output/calls_audited.csv", index=False)',
        RATES: 'counts = audited.groupby("source")["passed"].agg(["sum", "count"])\n'
               'source_rates = {s: round(100 * r["sum"] / r["count"], 1) for s, r in counts.iterrows()}',
    }),
    Case("b11b-both-copies-fractions", "wrong", {
        AUDIT: 'audited = calls.copy()\n'
               'audited["passed"] = (audited["duration_s"].between(1, 3600) & (audited["intent"].fillna("").str.strip() != "")\n'
               '                     & ~audited["call_id"].duplicated(keep=False))\n'
               'audited.to_csv("output/calls_audited.csv", index=False)',
        RATES: 'source_rates = audited.groupby("source")["passed"].mean().to_dict()',
    }, loses={"b11b_audit": "both copies of a repeated call failed", "b11b_source_rates": "fractions, not percent"}),
    Case("b11b-spaces-pass-failure-rate", "wrong", {
        AUDIT: 'audited = calls.copy()\n'
               'audited["passed"] = (audited["duration_s"].between(1, 3600) & audited["intent"].notna()\n'
               '                     & ~audited["call_id"].duplicated())\n'
               'audited.to_csv("output/calls_audited.csv", index=False)',
        RATES: 'source_rates = ((1 - audited.groupby("source")["passed"].mean()) * 100).to_dict()',
    }, loses={"b11b_audit": "intents of spaces only passed", "b11b_source_rates": "failure rate, not pass rate"}),
    Case("b11b-open-upper-edge-share-of-all", "wrong", {
        AUDIT: 'audited = calls.copy()\n'
               'audited["passed"] = ((audited["duration_s"] >= 1) & (audited["duration_s"] < 3600)\n'
               '                     & (audited["intent"].fillna("").str.strip() != "") & ~audited["call_id"].duplicated())\n'
               'audited.to_csv("output/calls_audited.csv", index=False)',
        RATES: 'source_rates = (audited[audited["passed"]]["source"].value_counts() / len(audited) * 100).to_dict()',
    }, loses={"b11b_audit": "3600 seconds failed", "b11b_source_rates": "share of all records, not of the source's"}),
    Case("b11b-no-dedup-raw-file", "wrong", {
        AUDIT: 'calls.to_csv("output/calls_audited.csv", index=False)\n'
               'audited = calls.copy()\n'
               'audited["passed"] = audited["duration_s"].between(1, 3600) & (audited["intent"].fillna("").str.strip() != "")',
        RATES: 'source_rates = (audited.groupby("source")["passed"].mean() * 100).round(1).to_dict()',
    }, loses={"b11b_audit": "repeats kept and the raw table saved"}),
]
