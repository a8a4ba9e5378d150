"""Answers of bank task b12a (after-sales bot): other routes to the rates and the worst module, and mistakes."""

from class_runs import Case

RATES, WORST = "b12a_rates_answer", "b12a_worst_answer"

CASES = [
    Case("b12a-pivot-idxmin", "alternative", {
        RATES: 'rates = bot.pivot_table(index="module", values="resolved", aggfunc="mean")["resolved"] * 100',
        WORST: "worst_module = rates.idxmin()",
    }),
    Case("b12a-loop-sorted", "alternative", {
        RATES: 'rates = {m: 100 * g["resolved"].sum() / len(g) for m, g in bot.groupby("module")}',
        WORST: "worst_module = sorted(rates, key=rates.get)[0]",
    }),
    Case("b12a-frame", "alternative", {
        RATES: 'rates = bot.groupby("module", as_index=False)["resolved"].mean()\n'
               'rates["resolved"] = (rates["resolved"] * 100).round(1)',
        WORST: 'worst_module = str(rates.sort_values("resolved").iloc[0]["module"])',
    }),
    Case("b12a-fractions-alphabetical", "wrong", {
        RATES: 'rates = bot.groupby("module")["resolved"].mean().to_dict()',
        WORST: "worst_module = sorted(rates)[0]",
    }, loses={"b12a_rates": "fractions, not percent", "b12a_worst": "sorted by name, not by rate"}),
    Case("b12a-handover-max", "wrong", {
        RATES: 'rates = (bot.groupby("module")["handed_to_agent"].mean() * 100).to_dict()',
        WORST: "worst_module = max(rates, key=rates.get)",
    }, loses={"b12a_rates": "hand-over rate instead of resolution rate", "b12a_worst": "highest, not lowest"}),
    Case("b12a-counts-value", "wrong", {
        RATES: 'rates = bot.groupby("module")["resolved"].sum().to_dict()',
        WORST: "worst_module = min(rates.values())",
    }, loses={"b12a_rates": "counts, not rates", "b12a_worst": "the rate, not the module's name"}),
]
