"""Answers of bank task b32a (front-desk assistant): other softmax and routing routes, and mistakes.

A route is judged on the candidate's own probabilities, so a case whose probabilities are no
distribution has its routes carried (the feedback names M1 to fix), not lost.
"""

from class_runs import Case

PROBS, ROUTE = "b32a_probs_answer", "b32a_route_answer"
RIGHT_PROBS = ('z = logits[intents].to_numpy()\ne = np.exp(z - z.max(axis=1, keepdims=True))\n'
               'probs = pd.DataFrame(e / e.sum(axis=1, keepdims=True), columns=intents)')
CARRIED = "M1 (the probabilities)"

CASES = [
    Case("b32a-scipy-comprehension", "alternative", {
        PROBS: 'from scipy.special import softmax\n\n'
               'probs = pd.DataFrame(softmax(logits[intents].to_numpy(), axis=1), columns=intents)',
        ROUTE: 'routes = []\nfor p in probs.max(axis=1):\n'
               '    routes.append("auto" if p >= 0.85 else "confirm" if p >= 0.6 else "human")',
    }),
    Case("b32a-plain-exp-cut", "alternative", {
        PROBS: 'e = np.exp(logits[intents])\nprobs = e.div(e.sum(axis=1), axis=0)\n'
               'probs.insert(0, "utterance_id", logits["utterance_id"])',
        ROUTE: 'routes = pd.cut(probs[intents].max(axis=1), [0, 0.6, 0.85, 1.01], right=False,\n'
               '                labels=["human", "confirm", "auto"]).astype(str).tolist()',
    }),
    Case("b32a-apply-where", "alternative", {
        PROBS: 'def soft(row):\n    e = np.exp(row - row.max())\n    return e / e.sum()\n\n'
               'probs = logits[intents].apply(soft, axis=1)',
        ROUTE: 'top = probs.to_numpy().max(axis=1)\n'
               'routes = np.where(top >= 0.85, "AUTO", np.where(top >= 0.6, "Confirm", "human"))',
    }),
    Case("b32a-normalised-first-column", "wrong", {
        PROBS: 'z = logits[intents] - logits[intents].min(axis=1).to_numpy()[:, None]\n'
               'probs = z.div(z.sum(axis=1), axis=0)',
        ROUTE: 'first = probs["book_room"]\n'
               'routes = list(np.select([first >= 0.85, first >= 0.60], ["auto", "confirm"], "human"))',
    }, loses={"b32a_probs": "scores normalised, not softmaxed", "b32a_route": "the first intent, not the top"}),
    Case("b32a-thresholds-swapped", "wrong", {
        PROBS: RIGHT_PROBS,
        ROUTE: 'top = probs.max(axis=1)\nroutes = list(np.select([top >= 0.60, top >= 0.85], ["auto", "confirm"], '
               '"human"))',
    }, loses={"b32a_route": "the thresholds swapped"}),
    Case("b32a-columns-softmax", "wrong", {
        PROBS: 'e = np.exp(logits[intents])\nprobs = e / e.sum(axis=0)',
        ROUTE: 'top = probs.max(axis=1)\nroutes = list(np.select([top >= 0.85, top >= 0.60], ["auto", "confirm"], '
               '"human"))',
    }, loses={"b32a_probs": "softmax down the columns"}, carried={"b32a_route": CARRIED}),
    Case("b32a-temperature-logits", "wrong", {
        PROBS: 'z = logits[intents].to_numpy() / 2\ne = np.exp(z - z.max(axis=1, keepdims=True))\n'
               'probs = pd.DataFrame(e / e.sum(axis=1, keepdims=True), columns=intents)',
        ROUTE: 'top = logits[intents].max(axis=1)\nroutes = list(np.select([top >= 0.85, top >= 0.60], '
               '["auto", "confirm"], "human"))',
    }, loses={"b32a_probs": "logits halved", "b32a_route": "thresholds on the logits"}),
]
