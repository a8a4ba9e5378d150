"""Answers of bank task b31a (bike app usage): other routes to the top features and means, and mistakes."""

from class_runs import Case

TOP, SLOW = "b31a_top_answer", "b31a_slow_answer"

CASES = [
    Case("b31a-counter-dict", "alternative", {
        TOP: 'from collections import Counter\n\ntop3 = [f for f, _ in Counter(usage["feature"]).most_common(3)]',
        SLOW: 'mean_ms = usage.groupby("feature")["response_ms"].mean().to_dict()\n'
              'slowest = max(mean_ms, key=mean_ms.get)',
    }),
    Case("b31a-size-frame", "alternative", {
        TOP: 'top3 = usage.groupby("feature").size().sort_values(ascending=False).index[:3].to_numpy()',
        SLOW: 'mean_ms = usage.groupby("feature", as_index=False)["response_ms"].mean()\n'
              'slowest = mean_ms.sort_values("response_ms").iloc[-1]["feature"]',
    }),
    Case("b31a-tuple-comprehension", "alternative", {
        TOP: 'counts = usage["feature"].value_counts()\ntop3 = tuple(counts.nlargest(3).index)',
        SLOW: 'mean_ms = {f: round(g["response_ms"].sum() / len(g), 1) for f, g in usage.groupby("feature")}\n'
              'slowest = pd.Series(mean_ms).idxmax()',
    }),
    Case("b31a-least-used-median", "wrong", {
        TOP: 'top3 = list(usage["feature"].value_counts(ascending=True).index[:3])',
        SLOW: 'mean_ms = usage.groupby("feature")["response_ms"].median()\nslowest = mean_ms.idxmax()',
    }, loses={"b31a_top": "the least used features", "b31a_slow": "medians, not means"}),
    Case("b31a-alphabetical-fastest", "wrong", {
        TOP: 'top3 = sorted(usage["feature"].value_counts().index[:3])',
        SLOW: 'mean_ms = usage.groupby("feature")["response_ms"].mean()\nslowest = mean_ms.idxmin()',
    }, loses={"b31a_top": "sorted by name", "b31a_slow": "the fastest feature"}),
    Case("b31a-four-seconds", "wrong", {
        TOP: 'top3 = list(usage["feature"].value_counts().index[:4])',
        SLOW: 'mean_ms = usage.groupby("feature")["response_ms"].mean() / 1000\nslowest = mean_ms.idxmax()',
    }, loses={"b31a_top": "four features", "b31a_slow": "seconds, not milliseconds"}),
]
