"""Answers of bank task b32b (voicebot hand-off): other routes to the cost table and choice, and mistakes."""

from class_runs import Case

COSTS, CHOICE = "b32b_costs_answer", "b32b_choice_answer"
SAVE = '\ncosts.to_csv("output/threshold_costs.csv", index=False)'
RIGHT_CHOICE = ('best = costs.loc[costs["total_cost"].idxmin()]\nbest_threshold = best["threshold"]\n'
                'saving = len(calls) * PERSON_COST - best["total_cost"]')


def _loop(bot: str, cost: str) -> str:
    """A cost table built threshold by threshold with the given bot rule and cost formula."""
    return ('rows = []\nfor t in thresholds:\n'
            f'    bot = {bot}\n'
            '    wrong = int((bot & (calls["bot_correct"] == 0)).sum())\n'
            f'    rows.append((t, bot.mean(), wrong, {cost}))\n'
            'costs = pd.DataFrame(rows, columns=["threshold", "automation_rate", "wrong_answers", "total_cost"])'
            + SAVE)


RIGHT_COST = 'wrong * WRONG_COST + (~bot).sum() * PERSON_COST'

CASES = [
    Case("b32b-numpy-broadcast", "alternative", {
        COSTS: 'import numpy as np\n\nt = np.array(thresholds)[:, None]\nbot = calls["confidence"].to_numpy() >= t\n'
               'wrong = (bot & (calls["bot_correct"].to_numpy() == 0)).sum(axis=1)\n'
               'costs = pd.DataFrame({"threshold": thresholds, "automation_rate": bot.mean(axis=1),\n'
               '                      "wrong_answers": wrong, "total_cost": wrong * 40 + (~bot).sum(axis=1) * 6})'
               + SAVE,
        CHOICE: 'i = costs["total_cost"].to_numpy().argmin()\nbest_threshold = float(costs["threshold"][i])\n'
                'saving = float(6 * len(calls) - costs["total_cost"][i])',
    }),
    Case("b32b-descending-rounded-bom", "alternative", {
        COSTS: 'rows = []\nfor t in sorted(thresholds, reverse=True):\n'
               '    answered = calls[calls["confidence"] >= t]\n'
               '    wrong = (answered["bot_correct"] == 0).sum()\n'
               '    rows.append({"threshold": t, "automation_rate": round(len(answered) / len(calls), 3),\n'
               '                 "wrong_answers": wrong, "total_cost": 40 * wrong + 6 * (len(calls) - len(answered))})\n'
               'costs = pd.DataFrame(rows)\n'
               'costs.to_csv(Path("output") / "threshold_costs.csv", index=False, encoding="utf-8-sig")',
        CHOICE: 'best_threshold = min(thresholds, key=lambda t: costs.set_index("threshold").loc[t, "total_cost"])\n'
                'saving = len(calls) * 6 - costs["total_cost"].min()',
    }),
    Case("b32b-query-string-threshold", "alternative", {
        COSTS: 'rows = []\nfor t in thresholds:\n'
               '    bot = calls.query("confidence >= @t")\n'
               '    wrong = int(bot["bot_correct"].eq(0).sum())\n'
               '    rows.append([t, len(bot) / len(calls), wrong, wrong * WRONG_COST + (len(calls) - len(bot)) * PERSON_COST])\n'
               'costs = pd.DataFrame(rows, columns=["threshold", "automation_rate", "wrong_answers", "total_cost"])'
               + SAVE,
        CHOICE: 'ranked = costs.sort_values("total_cost")\nbest_threshold = str(ranked["threshold"].iloc[0])\n'
                'saving = int(len(calls) * PERSON_COST - ranked["total_cost"].iloc[0])',
    }),
    Case("b32b-strictly-above-most-automated", "wrong", {
        COSTS: _loop('calls["confidence"] > t', RIGHT_COST),
        CHOICE: 'best_threshold = costs.loc[costs["automation_rate"].idxmax(), "threshold"]\n'
                'saving = len(calls) * PERSON_COST - costs["total_cost"].min()',
    }, loses={"b32b_costs": "a confidence on the threshold sent to a person",
              "b32b_choice": "the most automated threshold, not the cheapest"}),
    Case("b32b-wrong-calls-all-carried", "wrong", {
        COSTS: 'rows = []\nfor t in thresholds:\n    bot = calls["confidence"] >= t\n'
               '    wrong = int((calls["bot_correct"] == 0).sum())\n'
               '    rows.append((t, bot.mean(), wrong, wrong * WRONG_COST + (~bot).sum() * PERSON_COST))\n'
               'costs = pd.DataFrame(rows, columns=["threshold", "automation_rate", "wrong_answers", "total_cost"])'
               + SAVE,
        CHOICE: RIGHT_CHOICE,
    }, loses={"b32b_costs": "every wrong call counted, answered by the bot or not"}),
    Case("b32b-fewest-wrong", "wrong", {
        COSTS: _loop('calls["confidence"] >= t', RIGHT_COST),
        CHOICE: 'best_threshold = costs.loc[costs["wrong_answers"].idxmin(), "threshold"]\n'
                'saving = len(calls) * PERSON_COST - costs["total_cost"].min()',
    }, loses={"b32b_choice": "the fewest wrong answers, not the cheapest"}),
    Case("b32b-person-cost-ignored-no-file", "wrong", {
        COSTS: _loop('calls["confidence"] >= t', 'wrong * WRONG_COST').replace(SAVE, ''),
        CHOICE: 'best = costs.loc[costs["total_cost"].idxmin()]\nbest_threshold = best["threshold"]\n'
                'saving = best["total_cost"]',
    }, loses={"b32b_costs": "calls to a person cost nothing; no file",
              "b32b_choice": "the cost itself, not the saving"}),
    Case("b32b-saving-against-all-bot", "wrong", {
        COSTS: _loop('calls["confidence"] >= t', RIGHT_COST),
        CHOICE: 'best = costs.loc[costs["total_cost"].idxmin()]\nbest_threshold = best["threshold"]\n'
                'saving = (calls["bot_correct"] == 0).sum() * WRONG_COST - best["total_cost"]',
    }, loses={"b32b_choice": "the saving against a bot answering every call"}),
]
