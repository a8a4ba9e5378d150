"""Answers of bank task b32c (permit chatbot): other funnel routes, and real funnel mistakes."""

from class_runs import Case

DROPOFF, WORST = "b32c_dropoff_answer", "b32c_worst_answer"
SAVE = ('\npd.Series(dropoff, name="dropoff_rate").rename_axis("step").reset_index().to_csv(\n'
        '    "output/step_dropoff.csv", index=False)')
RIGHT_WORST = 'worst_step = max(dropoff, key=dropoff.get)\ncompletion_rate = sessions["completed"].mean()'

CASES = [
    Case("b32c-value-counts-cumsum", "alternative", {
        DROPOFF: 'stopped = sessions[sessions["completed"] == 0]["last_step"].value_counts().reindex(steps, fill_value=0)\n'
                 'last = sessions["last_step"].value_counts().reindex(steps, fill_value=0)\n'
                 'reached = last[::-1].cumsum()[::-1]\n'
                 'dropoff = (stopped / reached).rename("dropoff_rate")\n'
                 'dropoff.rename_axis("step").reset_index().to_csv(Path("output") / "step_dropoff.csv", index=False)',
        WORST: 'worst_step = dropoff.idxmax()\ncompletion_rate = (sessions["completed"] == 1).sum() / len(sessions)',
    }),
    Case("b32c-frame-rounded-upper", "alternative", {
        DROPOFF: 'rows = []\nfor i, step in enumerate(steps):\n'
                 '    here = sessions[sessions["last_step"].isin(steps[i:])]\n'
                 '    gone = ((here["last_step"] == step) & (here["completed"] == 0)).sum()\n'
                 '    rows.append({"step": step.upper(), "dropoff_rate": round(gone / len(here), 4)})\n'
                 'dropoff = pd.DataFrame(rows)\n'
                 'dropoff.to_csv("output/step_dropoff.csv", index=False, encoding="utf-8-sig")',
        WORST: 'worst_step = dropoff.sort_values("dropoff_rate").iloc[-1]["step"]\n'
                'completion_rate = round(float(sessions["completed"].mean()), 3)',
    }),
    Case("b32c-categorical", "alternative", {
        DROPOFF: 'last = pd.Categorical(sessions["last_step"], categories=steps, ordered=True)\n'
                 'dropoff = {}\nfor step in steps:\n'
                 '    reach = last >= step\n'
                 '    dropoff[step] = float(((last == step) & reach & (sessions["completed"] == 0)).sum() / reach.sum())'
                 + SAVE,
        WORST: 'worst_step = pd.Series(dropoff).sort_values(ascending=False).index[0]\n'
                'completion_rate = sessions["completed"].sum() / sessions["session_id"].nunique()',
    }),
    Case("b32c-all-sessions-denominator", "wrong", {
        DROPOFF: 'dropoff = (sessions[sessions["completed"] == 0]["last_step"].value_counts()\n'
                 '           .reindex(steps, fill_value=0) / len(sessions)).to_dict()' + SAVE,
        WORST: RIGHT_WORST,
    }, loses={"b32c_dropoff": "divided by all sessions, not those reaching the step"}),
    Case("b32c-completed-counted-most-sessions", "wrong", {
        DROPOFF: 'order = sessions["last_step"].map({s: i for i, s in enumerate(steps)})\n'
                 'dropoff = {s: ((order == i).sum() / (order >= i).sum()) for i, s in enumerate(steps)}' + SAVE,
        WORST: 'worst_step = sessions.loc[sessions["completed"] == 0, "last_step"].value_counts().idxmax()\n'
                'completion_rate = sessions["completed"].mean()',
    }, loses={"b32c_dropoff": "completed sessions counted as leaving at confirm",
              "b32c_worst": "the step where most sessions stop, not the highest rate"}),
    Case("b32c-no-file-lowest-reached-only", "wrong", {
        DROPOFF: 'order = sessions["last_step"].map({s: i for i, s in enumerate(steps)})\n'
                 'dropoff = {s: float(((order == i) & (sessions["completed"] == 0)).sum() / (order >= i).sum())\n'
                 '           for i, s in enumerate(steps)}',
        WORST: 'worst_step = min(dropoff, key=dropoff.get)\n'
                'completion_rate = sessions["completed"].sum() / (sessions["last_step"] == "confirm").sum()',
    }, loses={"b32c_dropoff": "no file saved",
              "b32c_worst": "the lowest rate; completion among those reaching confirm"}),
    Case("b32c-completion-as-count", "wrong", {
        DROPOFF: 'order = sessions["last_step"].map({s: i for i, s in enumerate(steps)})\n'
                 'dropoff = {s: float(((order == i) & (sessions["completed"] == 0)).sum() / (order >= i).sum())\n'
                 '           for i, s in enumerate(steps)}' + SAVE,
        WORST: 'worst_step = max(dropoff, key=dropoff.get)\ncompletion_rate = sessions["completed"].sum()',
    }, loses={"b32c_worst": "the number of completed sessions, not the rate"}),
]
