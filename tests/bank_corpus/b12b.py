"""Answers of bank task b12b (gas bot A/B test): other routes to the rates, guardrail and decision, and mistakes."""

from class_runs import Case

RATES, GUARDRAIL = "b12b_rates_answer", "b12b_guardrail_answer"

CASES = [
    Case("b12b-query-series", "alternative", {
        RATES: 'billing = ab.query("module == \'billing\'")\n'
               'billing_rates = billing.groupby("group")["resolved"].mean().mul(100)\n'
               'uplift_pp = billing_rates.loc["treatment"] - billing_rates.loc["control"]',
        GUARDRAIL: 'h = billing.groupby("group")["handed_to_agent"].mean() * 100\n'
                   'handover_change_pp = h.loc["treatment"] - h.loc["control"]\n'
                   'launch = (uplift_pp >= 5) & (handover_change_pp <= 0)',
    }),
    Case("b12b-crosstab-frame", "alternative", {
        RATES: 'billing = ab[ab.module.eq("billing")]\n'
               'table = pd.crosstab(billing["group"], billing["resolved"], normalize="index") * 100\n'
               'billing_rates = table[1].round(1).rename("rate").reset_index()\n'
               'uplift_pp = round(table.loc["treatment", 1] - table.loc["control", 1], 1)',
        GUARDRAIL: 'counts = billing.groupby("group")["handed_to_agent"].agg(["sum", "size"])\n'
                   'rate = counts["sum"] / counts["size"] * 100\n'
                   'handover_change_pp = round(rate["treatment"] - rate["control"], 1)\n'
                   'if uplift_pp >= 5 and handover_change_pp <= 0:\n    launch = True\nelse:\n    launch = False',
    }),
    Case("b12b-loop-dict", "alternative", {
        RATES: 'billing_rates = {}\n'
               'for name, g in ab[ab["module"] == "billing"].groupby("group"):\n'
               '    billing_rates[name] = 100 * g["resolved"].sum() / len(g)\n'
               'uplift_pp = billing_rates["treatment"] - billing_rates["control"]',
        GUARDRAIL: 'b = ab[ab["module"] == "billing"]\n'
                   'treat = b.loc[b["group"] == "treatment", "handed_to_agent"].mean()\n'
                   'ctrl = b.loc[b["group"] == "control", "handed_to_agent"].mean()\n'
                   'handover_change_pp = 100 * (treat - ctrl)\n'
                   'launch = all([uplift_pp >= 5, handover_change_pp <= 0])',
    }),
    Case("b12b-pooled-sign-reversed", "wrong", {
        RATES: 'billing_rates = (ab.groupby("group")["resolved"].mean() * 100).to_dict()\n'
               'uplift_pp = billing_rates["treatment"] - billing_rates["control"]',
        GUARDRAIL: 'billing = ab[ab["module"] == "billing"]\n'
                   'h = billing.groupby("group")["handed_to_agent"].mean() * 100\n'
                   'handover_change_pp = h["control"] - h["treatment"]\n'
                   'launch = bool(uplift_pp >= 5 and handover_change_pp <= 0)',
    }, loses={"b12b_rates": "every module pooled", "b12b_guardrail": "control minus treatment"}),
    Case("b12b-fractions-no-guardrail", "wrong", {
        RATES: 'billing = ab[ab["module"] == "billing"]\n'
               'billing_rates = billing.groupby("group")["resolved"].mean().to_dict()\n'
               'uplift_pp = billing_rates["treatment"] - billing_rates["control"]',
        GUARDRAIL: 'h = billing.groupby("group")["handed_to_agent"].mean() * 100\n'
                   'handover_change_pp = h["treatment"] - h["control"]\n'
                   'launch = bool(100 * uplift_pp >= 5)',
    }, loses={"b12b_rates": "fractions, not percent", "b12b_guardrail": "the guardrail ignored"}),
    Case("b12b-relative-uplift-pooled-handover", "wrong", {
        RATES: 'billing = ab[ab["module"] == "billing"]\n'
               'billing_rates = (billing.groupby("group")["resolved"].mean() * 100).to_dict()\n'
               'uplift_pp = (billing_rates["treatment"] / billing_rates["control"] - 1) * 100',
        GUARDRAIL: 'h = ab.groupby("group")["handed_to_agent"].mean() * 100\n'
                   'handover_change_pp = h["treatment"] - h["control"]\n'
                   'launch = bool(uplift_pp >= 5 and handover_change_pp <= 0)',
    }, loses={"b12b_rates": "a relative change, not points", "b12b_guardrail": "hand-overs of every module"}),
]
