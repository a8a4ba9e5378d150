"""Answers of bank task b11a (hotel-booking bot): other routes to the labels and shares, and real mistakes."""

from class_runs import Case

LABELS, SHARES = "b11a_labels_answer", "b11a_shares_answer"

CASES = [
    Case("b11a-select-and-counts", "alternative", {
        LABELS: 'labelled = sessions.assign(long_stay=sessions["nights"].gt(5), turn_band=np.select(\n'
                '    [sessions["turns"] <= 3, sessions["turns"] <= 8], ["short", "medium"], "long"))',
        SHARES: 'channel = sessions["channel"].str.strip().str.lower().replace("微信", "wechat")\n'
                'shares = channel.value_counts() / len(channel) * 100',
    }),
    Case("b11a-ints-and-frame", "alternative", {
        LABELS: 'labelled = sessions[["session_id"]].copy()\n'
                'labelled["long_stay"] = (sessions["nights"] > 5).astype(int)\n'
                'labelled["turn_band"] = pd.cut(sessions["turns"], [0, 3, 8, 100], labels=["short", "medium", "long"])',
        SHARES: 'c = sessions["channel"].str.strip().str.casefold().map(lambda x: "wechat" if x == "微信" else x)\n'
                'shares = c.value_counts(normalize=True).mul(100).round(1).reset_index()',
    }),
    Case("b11a-apply-shuffled-counter", "alternative", {
        LABELS: 'def band(t):\n    return "short" if t <= 3 else ("medium" if t <= 8 else "long")\n\n'
                'labelled = sessions.assign(long_stay=sessions["nights"].apply(lambda n: n > 5),\n'
                '                           turn_band=sessions["turns"].apply(band)).sample(frac=1, random_state=1)',
        SHARES: 'from collections import Counter\n\n'
                'names = {"微信": "wechat"}\n'
                'counts = Counter(names.get(c.strip().lower(), c.strip().lower()) for c in sessions["channel"])\n'
                'shares = {k: round(100 * v / sum(counts.values()), 1) for k, v in counts.items()}',
    }),
    Case("b11a-five-nights-raw-channels", "wrong", {
        LABELS: 'labelled = sessions.copy()\nlabelled["long_stay"] = labelled["nights"] >= 5\n'
                'labelled["turn_band"] = pd.cut(labelled["turns"], bins=[0, 3, 8, np.inf], labels=["short", "medium", "long"])',
        SHARES: 'shares = (sessions["channel"].value_counts(normalize=True) * 100).to_dict()',
    }, loses={"b11a_labels": "5 nights counted as a long stay", "b11a_shares": "channel spellings not unified"}),
    Case("b11a-left-closed-fractions", "wrong", {
        LABELS: 'labelled = sessions.copy()\nlabelled["long_stay"] = labelled["nights"] > 5\n'
                'labelled["turn_band"] = pd.cut(labelled["turns"], bins=[0, 3, 8, np.inf], right=False,\n'
                '                               labels=["short", "medium", "long"])',
        SHARES: 'channel = sessions["channel"].str.strip().str.lower().replace({"微信": "wechat"})\n'
                'shares = channel.value_counts(normalize=True).to_dict()',
    }, loses={"b11a_labels": "left-closed bins", "b11a_shares": "fractions, not percent"}),
    Case("b11a-booked-only", "wrong", {
        LABELS: 'labelled = sessions[sessions["booked"] == 1].copy()\nlabelled["long_stay"] = labelled["nights"] > 5\n'
                'labelled["turn_band"] = pd.cut(labelled["turns"], bins=[0, 3, 8, np.inf], labels=["short", "medium", "long"])',
        SHARES: 'booked = sessions[sessions["booked"] == 1]\n'
                'channel = booked["channel"].str.strip().str.lower().replace({"微信": "wechat"})\n'
                'shares = (channel.value_counts(normalize=True) * 100).to_dict()',
    }, loses={"b11a_labels": "rows dropped", "b11a_shares": "shares of booked sessions only"}),
]
