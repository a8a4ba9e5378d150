"""Answers of bank task b31c (route API): other percentile routes and breach lists, and real mistakes.

The breach list is judged on the candidate's own p95, so a wrong statistic with its breaches drawn from
it keeps the breach item (error carried forward).
"""

from class_runs import Case

P95, BREACH = "b31c_p95_answer", "b31c_breach_answer"
RIGHT_P95 = ('p95 = calls.groupby("endpoint")["latency_ms"].quantile(0.95)\n'
             'p95.rename("p95_ms").reset_index().to_csv("output/p95_latency.csv", index=False)')
RIGHT_BREACH = 'breaching = [e for e, limit in slo.items() if p95[e] > limit]'

CASES = [
    Case("b31c-numpy-dict", "alternative", {
        P95: 'import numpy as np\n\n'
             'p95 = {e: float(np.percentile(g["latency_ms"], 95)) for e, g in calls.groupby("endpoint")}\n'
             'pd.DataFrame(list(p95.items()), columns=["endpoint", "p95_ms"]).to_csv(\n'
             '    Path("output") / "p95_latency.csv", index=False)',
        BREACH: 'breaching = tuple(sorted(e for e in p95 if p95[e] > slo[e]))',
    }),
    Case("b31c-nearest-rank-frame", "alternative", {
        P95: 'import math\n\nrows = []\nfor e, g in calls.groupby("endpoint"):\n'
             '    v = sorted(g["latency_ms"])\n    rows.append((e, v[math.ceil(0.95 * len(v)) - 1]))\n'
             'p95 = pd.DataFrame(rows, columns=["endpoint", "p95_ms"])\n'
             'p95.to_csv("output/p95_latency.csv", index=False, encoding="utf-8-sig")',
        BREACH: 'merged = p95.assign(limit=p95["endpoint"].map(slo))\n'
                'breaching = merged.loc[merged["p95_ms"] > merged["limit"], "endpoint"]',
    }),
    Case("b31c-agg-rounded-series", "alternative", {
        P95: 'p95 = calls.groupby("endpoint").agg(p95_ms=("latency_ms", lambda s: s.quantile(0.95)))["p95_ms"].round()\n'
             'p95.reset_index().to_csv("output/p95_latency.csv", index=False)',
        BREACH: 'over = p95 - pd.Series(slo)\nbreaching = set(over[over > 0].index.str.upper())',
    }),
    Case("b31c-mean-carried", "wrong", {
        P95: 'p95 = calls.groupby("endpoint")["latency_ms"].mean()\n'
             'p95.rename("p95_ms").reset_index().to_csv("output/p95_latency.csv", index=False)',
        BREACH: RIGHT_BREACH,
    }, loses={"b31c_p95": "the mean, not the 95th percentile"}),
    Case("b31c-p90-maximum", "wrong", {
        P95: 'p95 = calls.groupby("endpoint")["latency_ms"].quantile(0.90)\n'
             'p95.rename("p95_ms").reset_index().to_csv("output/p95_latency.csv", index=False)',
        BREACH: 'top = calls.groupby("endpoint")["latency_ms"].max()\n'
                'breaching = [e for e, limit in slo.items() if top[e] > limit]',
    }, loses={"b31c_p95": "the 90th percentile", "b31c_breach": "the maximum, not the p95"}),
    Case("b31c-index-file-mean-breach", "wrong", {
        P95: 'p95 = calls.groupby("endpoint")["latency_ms"].quantile(0.95)\n'
             'p95.to_frame("p95_ms").to_csv("output/p95_latency.csv", index=False)',
        BREACH: 'mean = calls.groupby("endpoint")["latency_ms"].mean()\n'
                'breaching = [e for e, limit in slo.items() if mean[e] > limit]',
    }, loses={"b31c_p95": "the file without its endpoint column", "b31c_breach": "the mean, not the p95"}),
    Case("b31c-seconds-all-listed", "wrong", {
        P95: 'p95 = calls.groupby("endpoint")["latency_ms"].quantile(0.95) / 1000\n'
             'p95.rename("p95_ms").reset_index().to_csv("output/p95_latency.csv", index=False)',
        BREACH: 'breaching = list(slo)',
    }, loses={"b31c_p95": "seconds, not milliseconds", "b31c_breach": "every endpoint named"}),
]
