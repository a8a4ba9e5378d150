"""Answers of bank task b12c (hospital booking funnel): other routes to the funnel and the weakest step, and mistakes."""

from class_runs import Case

FUNNEL, WEAKEST = "b12c_funnel_answer", "b12c_weakest_answer"

CASES = [
    Case("b12c-dedup-first-step-100", "alternative", {
        FUNNEL: 'once = events.drop_duplicates(["session_id", "step"])\n'
                'reached = once["step"].value_counts().to_dict()\n'
                'conversion = {"choose_dept": 100.0}\n'
                'for before, step in zip(STEPS, STEPS[1:]):\n'
                '    conversion[step] = round(100 * reached[step] / reached[before], 1)',
        WEAKEST: 'later = {k: v for k, v in conversion.items() if k != "choose_dept"}\n'
                 'weakest_step = min(later, key=later.get)\n'
                 'lost_sessions = reached[STEPS[STEPS.index(weakest_step) - 1]] - reached[weakest_step]',
    }),
    Case("b12c-crosstab-pct-change", "alternative", {
        FUNNEL: 'opened = pd.crosstab(events["session_id"], events["step"]) > 0\n'
                'reached = opened.sum()[STEPS]\n'
                'conversion = ((reached.pct_change() + 1) * 100).iloc[1:]',
        WEAKEST: 'weakest_step = str(conversion.sort_values().index[0])\n'
                 'lost_sessions = -reached.diff()[weakest_step]',
    }),
    Case("b12c-sets-frames", "alternative", {
        FUNNEL: 'sessions = {s: set(events.loc[events["step"] == s, "session_id"]) for s in STEPS}\n'
                'reached = pd.DataFrame({"step": STEPS, "sessions": [len(sessions[s]) for s in STEPS]})\n'
                'conversion = pd.DataFrame({"step": STEPS[1:],\n'
                '                           "pct": [100 * len(sessions[b]) / len(sessions[a]) for a, b in zip(STEPS, STEPS[1:])]})',
        WEAKEST: 'row = conversion.loc[conversion["pct"].idxmin()]\n'
                 'weakest_step = row["step"]\n'
                 'counts = dict(zip(reached["step"], reached["sessions"]))\n'
                 'lost_sessions = counts[STEPS[STEPS.index(weakest_step) - 1]] - counts[weakest_step]',
    }),
    Case("b12c-rows-fewest", "wrong", {
        FUNNEL: 'reached = events["step"].value_counts().reindex(STEPS)\n'
                'conversion = (reached / reached.shift() * 100).dropna()',
        WEAKEST: 'weakest_step = reached.idxmin()\n'
                 'lost_sessions = int(reached.shift()[weakest_step] - reached[weakest_step])',
    }, loses={"b12c_funnel": "rows counted, not sessions", "b12c_weakest": "the step with the fewest sessions"}),
    Case("b12c-from-first-remaining", "wrong", {
        FUNNEL: 'reached = events.groupby("step")["session_id"].nunique().reindex(STEPS)\n'
                'conversion = (reached / reached.iloc[0] * 100).iloc[1:]',
        WEAKEST: 'weakest_step = conversion.idxmin()\nlost_sessions = int(reached[weakest_step])',
    }, loses={"b12c_funnel": "divided by the first step", "b12c_weakest": "sessions left, not lost"}),
    Case("b12c-fractions-percent-lost", "wrong", {
        FUNNEL: 'reached = events.groupby("step")["session_id"].nunique().reindex(STEPS)\n'
                'conversion = (reached / reached.shift()).dropna()',
        WEAKEST: 'weakest_step = conversion.idxmin()\nlost_sessions = round(100 * (1 - conversion[weakest_step]), 1)',
    }, loses={"b12c_funnel": "fractions, not percent", "b12c_weakest": "a percentage, not sessions"}),
]
