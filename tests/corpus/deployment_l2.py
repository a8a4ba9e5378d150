"""Whole answers of the L2 deployment lab: other correct routes, and real mistakes the statements rule out.

Each case is the solution notebook with the named answer cells replaced (see ``class_runs``). The three
alternatives rewrite every answer cell by another route (pydantic's ``create_model`` and a 400 for
ranges, a custom 422 handler, ``conint``/``confloat``; threads by hand, chunks, one task per request;
``pd.cut``, ``np.digitize``, ``np.histogram``; weeks as timestamps, strings and dates). Each wrong notebook
makes one mistake per task, chosen so that a slip costs points where it is made: later tasks are judged
on the learner's own service.
"""
# ruff: noqa: E501 - the answers are notebook cells, written as a learner would

from __future__ import annotations

from class_runs import Case, edit_source, solution_sources

_SOLUTION = solution_sources("deployment_l2")


def _sub(cell: str, *pairs: str) -> str:
    """The solution of ``cell`` with each (old, new) pair replaced once; every old text must occur."""
    return edit_source(_SOLUTION[cell], zip(pairs[::2], pairs[1::2], strict=True), count=1, where=cell)


# --- alternative routes -----------------------------------------------------------------------------

ALT_CREATE_MODEL = {
    "service_answer": '''
from fastapi import HTTPException
from pydantic import create_model

INTEGERS = {"customer_age", "policy_years", "prior_claims"}
# types from pydantic, ranges checked by hand with a 400 that names the field
ClaimBody = create_model("ClaimBody", **{name: (int if name in INTEGERS else float, ...) for name in FEATURES})
current = {"name": "v1", "model": model_v1}
app = FastAPI()


@app.get("/health")
def health():
    return {"status": "ok", "model_version": current["name"], "features": FEATURES}


@app.post("/predict")
def predict(body: ClaimBody):
    values = body.model_dump()
    for name, (low, high) in CONTRACT.items():
        too_low = values[name] <= low if name == "claim_amount" else values[name] < low
        if too_low or values[name] > high:
            raise HTTPException(status_code=400, detail=f"{name} must lie in [{low}, {high}]")
    frame = pd.DataFrame([values], columns=FEATURES)
    probability = current["model"].predict_proba(frame)[:, 1][0]
    return {"prob_fraud": round(float(probability), 12), "model_version": current["name"], "label": int(probability >= 0.5)}


client = TestClient(app)


def call_service(method, path, payload=None):
    if method == "GET":
        reply = client.get(path)
    else:
        reply = client.post(path, json=payload)
    return reply.status_code, reply.json()
''',
    "load_test_answer": '''
import threading

records = []
lock = threading.Lock()


def worker(name, bodies):
    for body in bodies:
        t0 = time.perf_counter()
        code, _ = call_service("POST", "/predict", body)
        t1 = time.perf_counter()
        with lock:
            records.append((name, t0, t1, code))


threads = [threading.Thread(target=worker, args=(f"client-{k}", LOAD_PAYLOADS[k::8])) for k in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
load_samples = pd.DataFrame(records, columns=["client", "start_s", "end_s", "status"])
ms = (load_samples.end_s - load_samples.start_s) * 1000
load_summary = pd.Series({"clients": load_samples.client.nunique(), "requests": len(load_samples),
                          "p50_ms": ms.quantile(0.5), "p95_ms": ms.quantile(0.95),
                          "error_rate": (load_samples.status != 200).mean()})
load_summary
''',
    "rollback_answer": '''
import json
from pathlib import Path

REGISTRY = str(OUTPUT / "model_registry")
Path(REGISTRY).mkdir(exist_ok=True)
index = {}
for name, model in {"v1": model_v1, "v2": model_v2}.items():
    (Path(REGISTRY) / f"{name}.skops").write_bytes(sio.dumps(model))
    index[name] = {"file": f"{name}.skops", "trained_on": f"train_{name}"}
(Path(REGISTRY) / "index.json").write_text(json.dumps(index), encoding="utf-8")

release_log = [("deploy", "v1")]


def load_version(name):
    file = Path(REGISTRY) / index[name]["file"]
    unknown = sio.get_untrusted_types(file=file)
    for t in unknown:
        assert t.split(".")[0] in ("numpy", "sklearn"), t
    return sio.load(file, trusted=unknown)


def switch_to(name, action):
    current["model"] = load_version(name)
    current["name"] = name
    release_log.append([action.upper(), name.upper()])


switch_to("v2", "deploy")
scores = {name: round(roc_auc_score(holdout[TARGET], load_version(name).predict_proba(holdout[FEATURES])[:, 1]), 3)
          for name in ("v1", "v2")}
gate_report = {"v1_auc": scores["v1"], "v2_auc": scores["v2"], "passed": scores["v1"] - scores["v2"] <= 0.02}
if not gate_report["passed"]:
    switch_to("v1", "rollback")
gate_report
''',
    "drift_answer": '''
traffic["week"] = (traffic["timestamp"] - pd.to_timedelta(traffic["timestamp"].dt.weekday, unit="D")).dt.normalize()
rows = {}
for week, group in traffic.groupby("week"):
    row = {}
    for feature in MONITORED:
        inner = np.quantile(train_v1[feature], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
        bins = [-np.inf, *inner, np.inf]
        ref = pd.cut(train_v1[feature], bins, right=False).value_counts(normalize=True, sort=False).clip(lower=0.0001)
        now = pd.cut(group[feature], bins, right=False).value_counts(normalize=True, sort=False).clip(lower=0.0001)
        row[feature] = ((now - ref) * np.log(now / ref)).sum()
    rows[week.strftime("%Y-%m-%d")] = row
psi_table = pd.DataFrame.from_dict(rows, orient="index")
alerts = psi_table.ge(PSI_ALERT)
hits = alerts.stack()
hits = hits[hits]
first_alert = {"week": pd.Timestamp(hits.index[0][0]), "feature": hits.index[0][1]}
first_alert
''',
    "flow_answer": '''
def handle_claim(claim):
    code, reply = call_service("POST", "/predict", claim)
    if code >= 400:
        return {"decision": "return_to_sender"}
    p = reply["prob_fraud"]
    if p >= INVESTIGATE_FROM:
        return {"decision": "investigate", "p": p}
    if p < AUTO_APPROVE_BELOW and float(claim["claim_amount"]) <= HIGH_AMOUNT:
        return {"decision": "auto_approve", "p": p}
    return {"decision": "human_review", "p": p}


ids, decisions = [], []
for request in INCOMING:
    ids.append(request["request_id"])
    decisions.append(handle_claim(request["claim"])["decision"])
flow_results = pd.DataFrame({"request_id": ids, "decision": decisions})
''',
}

ALT_CUSTOM_ERRORS = {
    "service_answer": '''
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


class ClaimIn(BaseModel):
    vehicle_value: float = Field(..., ge=0.5, le=500)
    claim_amount: float = Field(..., gt=0, le=1_000_000)
    report_delay_h: float = Field(..., ge=0, le=720)
    prior_claims: int = Field(..., ge=0, le=20)
    policy_years: int = Field(..., ge=0, le=60)
    customer_age: int = Field(..., ge=18, le=100)


state = {"version": "v1", "model": model_v1}
app = FastAPI()


@app.exception_handler(RequestValidationError)
async def explain(request: Request, exc: RequestValidationError):
    problems = [{"field": str(err["loc"][-1]), "problem": err["msg"]} for err in exc.errors()]
    return JSONResponse(status_code=422, content={"errors": problems})


@app.get("/health")
async def health():
    return {"status": "ok", "model_version": state["version"]}


@app.post("/predict")
async def predict(claim: ClaimIn):
    frame = pd.DataFrame([claim.model_dump()]).reindex(columns=FEATURES)
    return {"model_version": state["version"], "prob_fraud": state["model"].predict_proba(frame)[0][1].item()}


client = TestClient(app)
client.__enter__()


def call_service(method, path, payload=None):
    kwargs = {} if payload is None else {"json": payload}
    r = client.request(method.upper(), path, **kwargs)
    return r.status_code, r.json()
''',
    "load_test_answer": '''
def one_client(bodies, name):
    out = []
    for body in bodies:
        began = time.perf_counter()
        status = call_service("POST", "/predict", body)[0]
        out.append({"client": name, "start_s": began, "end_s": time.perf_counter(), "status": status})
    return out


chunks = np.array_split(np.arange(len(LOAD_PAYLOADS)), 8)
with ThreadPoolExecutor(8) as pool:
    futures = [pool.submit(one_client, [LOAD_PAYLOADS[i] for i in chunk], f"c{n}") for n, chunk in enumerate(chunks)]
    load_samples = pd.DataFrame([row for f in futures for row in f.result()])
lat = 1000 * (load_samples["end_s"] - load_samples["start_s"]).to_numpy()
load_summary = dict(clients=8, requests=lat.size, p50_ms=float(np.median(lat)),
                    p95_ms=float(np.quantile(lat, 0.95, method="nearest")),
                    error_rate=float(np.mean(load_samples["status"].to_numpy() >= 400)))
print(load_summary)
''',
    "rollback_answer": '''
REGISTRY = OUTPUT / "registry"
REGISTRY.mkdir(parents=True, exist_ok=True)
sio.dump(model_v1, REGISTRY / "v1.skops")
sio.dump(model_v2, REGISTRY / "v2.skops")
CONFIRMED = {"numpy.dtype", "sklearn.preprocessing._data.StandardScaler", "sklearn.linear_model._logistic.LogisticRegression",
             "sklearn.pipeline.Pipeline"}
release_log = []


def go_live(version):
    file = REGISTRY / f"{version}.skops"
    asked = sio.get_untrusted_types(file=file)
    assert set(asked) <= CONFIRMED, asked
    previous = state["version"]
    state.update(version=version, model=sio.load(file, trusted=asked))
    return previous


previous = go_live("v2")
release_log.append(("deploy", "v2"))
y = holdout[TARGET].to_numpy()
auc_new = roc_auc_score(y, state["model"].predict_proba(holdout[FEATURES])[:, 1])
auc_old = roc_auc_score(y, sio.load(REGISTRY / "v1.skops", trusted=sio.get_untrusted_types(file=REGISTRY / "v1.skops")).predict_proba(holdout[FEATURES])[:, 1])
gate_report = {"v1_auc": auc_old, "v2_auc": auc_new, "passed": bool(auc_new - auc_old >= -0.02)}
if not gate_report["passed"]:
    go_live(previous)
    release_log.append(("rollback", previous))
''',
    "drift_answer": '''
traffic["week"] = traffic["timestamp"].dt.to_period("W-SUN")
cuts = {f: np.quantile(train_v1[f], np.arange(1, 10) / 10) for f in MONITORED}


def shares(values, edges):
    counts = np.bincount(np.digitize(values, edges), minlength=len(edges) + 1)
    return np.clip(counts / counts.sum(), 1e-4, None)


records = []
for period, chunk in traffic.groupby("week"):
    entry = {"week": period.start_time.date()}
    for f in MONITORED:
        e, a = shares(train_v1[f], cuts[f]), shares(chunk[f], cuts[f])
        entry[f] = float(((a - e) * np.log(a / e)).sum())
    records.append(entry)
psi_table = pd.DataFrame(records).set_index("week")
alerts = psi_table.apply(lambda column: column >= PSI_ALERT)
alerted = alerts[alerts.any(axis=1)]
first_alert = {"feature": alerted.columns[alerted.iloc[0].to_numpy()][0], "week": alerted.index[0]}
print(first_alert)
''',
    "flow_answer": '''
def decide(prob, amount):
    if prob >= INVESTIGATE_FROM:
        return "investigate"
    if prob < AUTO_APPROVE_BELOW:
        return "auto_approve" if amount <= HIGH_AMOUNT else "human_review"
    return "human_review"


def handle_claim(claim):
    status, body = call_service("POST", "/predict", claim)
    if status == 200:
        return {"decision": decide(body["prob_fraud"], claim["claim_amount"]), "version": body["model_version"]}
    return {"decision": "return_to_sender", "reason": body}


flow_results = pd.DataFrame.from_records(
    [{"request_id": item["request_id"], "decision": handle_claim(item["claim"])["decision"]} for item in INCOMING]
).sort_values("decision")
''',
}

ALT_CONSTRAINED_TYPES = {
    "service_answer": '''
from fastapi import APIRouter
from pydantic import confloat, conint


class Claim(BaseModel):
    customer_age: conint(ge=18, le=100)
    policy_years: conint(ge=0, le=60)
    prior_claims: conint(ge=0, le=20)
    claim_amount: confloat(gt=0, le=1_000_000)
    report_delay_h: confloat(ge=0, le=720)
    vehicle_value: confloat(ge=0.5, le=500)


SERVING = {"version": "v1", "model": model_v1}
router = APIRouter()


@router.get("/health")
def health():
    return {"status": "ok", "model_version": SERVING["version"]}


@router.post("/predict")
def predict(claim: Claim):
    X = pd.DataFrame({f: [getattr(claim, f)] for f in FEATURES})
    proba = SERVING["model"].predict_proba(X)
    positive = list(SERVING["model"].classes_).index(1)
    return {"prob_fraud": float(proba[0, positive]), "model_version": SERVING["version"]}


app = FastAPI()
app.include_router(router)
client = TestClient(app)
client.__enter__()


def call_service(method, path, payload=None):
    response = client.request(method, path, json=payload)
    return (int(response.status_code), response.json())
''',
    "load_test_answer": '''
import threading


def timed(body):
    start = time.perf_counter()
    status, _ = call_service("POST", "/predict", body)
    return {"client": threading.current_thread().name, "start_s": start, "end_s": time.perf_counter(), "status": status}


with ThreadPoolExecutor(max_workers=8, thread_name_prefix="client") as pool:
    load_samples = pd.DataFrame(list(pool.map(timed, LOAD_PAYLOADS)))
durations = np.sort((load_samples["end_s"] - load_samples["start_s"]).to_numpy() * 1e3)
load_summary = {"clients": load_samples["client"].nunique(), "requests": int(durations.size),
                "p50_ms": round(float(np.percentile(durations, 50)), 3), "p95_ms": round(float(np.percentile(durations, 95)), 3),
                "error_rate": round(float((load_samples["status"] >= 400).sum() / durations.size), 4)}
load_summary
''',
    "rollback_answer": '''
from sklearn.metrics import auc, roc_curve

REGISTRY = OUTPUT / "registry"
REGISTRY.mkdir(exist_ok=True)
versions = {"v1": model_v1, "v2": model_v2}
for tag in versions:
    sio.dump(versions[tag], REGISTRY / (tag + ".skops"))
release_log = []


def release(tag, action="deploy"):
    target = REGISTRY / (tag + ".skops")
    wanted = sio.get_untrusted_types(file=target)
    assert all(name.startswith("sklearn.") or name.startswith("numpy.") for name in wanted)
    SERVING["model"] = sio.load(target, trusted=wanted)
    SERVING["version"] = tag
    release_log.append([action, tag])


def gate_auc(model):
    fpr, tpr, _ = roc_curve(holdout[TARGET], model.predict_proba(holdout[FEATURES])[:, 1])
    return float(auc(fpr, tpr))


release("v2")
gate_report = {"v1_auc": gate_auc(versions["v1"]), "v2_auc": gate_auc(SERVING["model"])}
gate_report["passed"] = gate_report["v2_auc"] >= gate_report["v1_auc"] - 0.02
if gate_report["passed"] is False:
    release("v1", "rollback")
''',
    "drift_answer": '''
monday = traffic["timestamp"].dt.normalize() - pd.to_timedelta(traffic["timestamp"].dt.dayofweek, unit="D")
table = {}
for feature in MONITORED:
    edges = np.concatenate([[-np.inf], np.quantile(train_v1[feature], np.linspace(0.1, 0.9, 9)), [np.inf]])
    e = np.histogram(train_v1[feature], edges)[0] / len(train_v1)
    e = np.where(e < 0.0001, 0.0001, e)
    values = {}
    for day, part in traffic[feature].groupby(monday):
        a = np.histogram(part, edges)[0] / len(part)
        a = np.where(a < 0.0001, 0.0001, a)
        values[day] = np.sum((a - e) * np.log(a / e))
    table[feature] = pd.Series(values)
psi_table = pd.DataFrame(table)
alerts = psi_table >= 0.2
week_of_first = alerts.index[alerts.any(axis=1)].min()
first_alert = {"feature": str(alerts.columns[alerts.loc[week_of_first]][0]), "week": week_of_first.date()}
''',
    "flow_answer": '''
RULES = [
    (lambda p, amount: p >= INVESTIGATE_FROM, "investigate"),
    (lambda p, amount: p < AUTO_APPROVE_BELOW and amount <= HIGH_AMOUNT, "auto_approve"),
    (lambda p, amount: True, "human_review"),
]


def handle_claim(claim):
    status, body = call_service("POST", "/predict", claim)
    if status != 200:
        return {"decision": "return_to_sender"}
    for test, decision in RULES:
        if test(body["prob_fraud"], claim["claim_amount"]):
            return {"decision": decision, "prob_fraud": body["prob_fraud"]}


flow_results = pd.DataFrame([dict(request_id=r["request_id"], **handle_claim(r["claim"])) for r in INCOMING])
flow_results["decision"] = flow_results["decision"].str.upper()
''',
}


# --- wrong answers ----------------------------------------------------------------------------------

WRONG_A = {
    # no ranges in the body model: out-of-range values are scored
    "service_answer": _sub("service_answer",
                           "    customer_age: int = Field(ge=18, le=100)\n", "    customer_age: int\n",
                           "    claim_amount: float = Field(gt=0, le=1_000_000)\n", "    claim_amount: float\n",
                           "    prior_claims: int = Field(ge=0, le=20)\n", "    prior_claims: int\n",
                           "    report_delay_h: float = Field(ge=0, le=720)\n", "    report_delay_h: float\n"),
    # one request after another, labelled as if eight clients sent them
    "load_test_answer": '''
rows = []
for i, payload in enumerate(LOAD_PAYLOADS):
    start = time.perf_counter()
    status, _ = call_service("POST", "/predict", payload)
    rows.append({"client": i % 8, "start_s": start, "end_s": time.perf_counter(), "status": status})
load_samples = pd.DataFrame(rows)
latency_ms = (load_samples["end_s"] - load_samples["start_s"]) * 1000
load_summary = {"clients": 8, "requests": len(load_samples), "p50_ms": float(np.percentile(latency_ms, 50)),
                "p95_ms": float(np.percentile(latency_ms, 95)), "error_rate": float((load_samples["status"] >= 400).mean())}
''',
    # the rollback changes the version label only: the service keeps answering with v2
    "rollback_answer": _sub("rollback_answer", '''    deploy("v1", action="rollback")''', '''    live["version"] = "v1"
    release_log.append(("rollback", "v1"))'''),
    # each week compared with the week before instead of the training data
    "drift_answer": _sub("drift_answer", '''psi_table = pd.DataFrame({feature: weeks[feature].apply(lambda values, f=feature: psi(train_v1[f], values))
                          for feature in MONITORED})''', '''groups = [group for _, group in weeks]
psi_table = pd.DataFrame({feature: [psi(train_v1[feature], groups[0][feature])]
                          + [psi(before[feature], now[feature]) for before, now in zip(groups, groups[1:])]
                          for feature in MONITORED}, index=[week for week, _ in weeks])'''),
    # the large-claim rule forgotten
    "flow_answer": _sub("flow_answer", ''' and claim["claim_amount"] <= HIGH_AMOUNT''', ""),
}

WRONG_B = {
    # every validation error becomes a bare 400 that names nothing
    "service_answer": _sub("service_answer", '''live = {"version": "v1", "model": model_v1}''', '''from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

live = {"version": "v1", "model": model_v1}''', '''@app.get("/health")''', '''@app.exception_handler(RequestValidationError)
def bad_request(request, exc):
    return JSONResponse(status_code=400, content={"error": "bad request"})


@app.get("/health")'''),
    # the mean and mean + 2 sd quoted as p50 and p95
    "load_test_answer": _sub("load_test_answer",
                             '''    "p50_ms": float(np.percentile(latency_ms, 50)),
    "p95_ms": float(np.percentile(latency_ms, 95)),''',
                             '''    "p50_ms": float(latency_ms.mean()),
    "p95_ms": float(latency_ms.mean() + 2 * latency_ms.std()),'''),
    # the gate scores each version on its own training data, not on the golden holdout
    "rollback_answer": _sub("rollback_answer",
                            '''def holdout_auc(model):
    return roc_auc_score(holdout[TARGET], model.predict_proba(holdout[FEATURES])[:, 1])''',
                            '''def holdout_auc(model, data):
    return roc_auc_score(data[TARGET], model.predict_proba(data[FEATURES])[:, 1])''',
                            '''gate_report = {"v1_auc": holdout_auc(model_v1), "v2_auc": holdout_auc(live["model"])}''',
                            '''gate_report = {"v1_auc": holdout_auc(model_v1, train_v1), "v2_auc": holdout_auc(live["model"], train_v2)}'''),
    # the "first" alert is the week with the largest PSI
    "drift_answer": _sub("drift_answer", '''first_week = alerts.any(axis=1).idxmax()''',
                         '''first_week = psi_table.max(axis=1).idxmax()'''),
    # claims the service refuses go to a human instead of back to the sender
    "flow_answer": _sub("flow_answer", '''        return {"decision": "return_to_sender", "prob_fraud": None}''',
                        '''        return {"decision": "human_review", "prob_fraud": None}'''),
}

WRONG_C = {
    # a catch-all route answers 200, and missing fields are filled with 0 instead of refused
    "service_answer": _sub("service_answer",
                           "    policy_years: int = Field(ge=0, le=60)\n", "    policy_years: int = Field(0, ge=0, le=60)\n",
                           "    customer_age: int = Field(ge=18, le=100)\n", "    customer_age: int = Field(40, ge=18, le=100)\n",
                           "    prior_claims: int = Field(ge=0, le=20)\n", "    prior_claims: int = Field(0, ge=0, le=20)\n",
                           "    claim_amount: float = Field(gt=0, le=1_000_000)\n", "    claim_amount: float = Field(8000.0, gt=0, le=1_000_000)\n",
                           "    report_delay_h: float = Field(ge=0, le=720)\n", "    report_delay_h: float = Field(24.0, ge=0, le=720)\n",
                           "    vehicle_value: float = Field(ge=0.5, le=500)\n", "    vehicle_value: float = Field(14.0, ge=0.5, le=500)\n",
                           '''client = TestClient(app)''', '''@app.api_route("/{anything:path}", methods=["GET", "POST"])
def fallback(anything: str):
    return {"error": f"no route {anything}"}


client = TestClient(app)'''),
    # only server errors (5xx) counted as errors
    "load_test_answer": _sub("load_test_answer", '''    "error_rate": float((load_samples["status"] >= 400).mean()),''',
                             '''    "error_rate": float((load_samples["status"] >= 500).mean()),'''),
    # "better than chance" taken as the gate: v2 passes and stays live
    "rollback_answer": _sub("rollback_answer", '''gate_report["passed"] = bool(gate_report["v2_auc"] >= gate_report["v1_auc"] - 0.02)''',
                            '''gate_report["passed"] = bool(gate_report["v2_auc"] > 0.5)'''),
    # alerts from a KS test at 5 % instead of the PSI rule
    "drift_answer": _sub("drift_answer", '''alerts = psi_table >= PSI_ALERT''', '''from scipy.stats import ks_2samp

alerts = pd.DataFrame({feature: weeks[feature].apply(lambda values, f=feature: ks_2samp(train_v1[f], values).pvalue < 0.05)
                       for feature in MONITORED})'''),
    # the flow calls the model directly, around the service and its validation
    "flow_answer": _sub("flow_answer", '''    status, body = call_service("POST", "/predict", claim)
    if status != 200:
        return {"decision": "return_to_sender", "prob_fraud": None}
    prob = body["prob_fraud"]''', '''    try:
        prob = float(model_v1.predict_proba(pd.DataFrame([claim])[FEATURES].astype(float))[0, 1])
    except (KeyError, ValueError):
        return {"decision": "return_to_sender", "prob_fraud": None}
    body = {"model_version": "v1"}'''),
}

_ALL = {"service": "the service", "load_test": "the load test", "rollback": "the rollback",
        "drift": "the drift monitor", "flow": "the flow"}

CASES = [
    Case("create-model", "alternative", ALT_CREATE_MODEL),
    Case("custom-errors", "alternative", ALT_CUSTOM_ERRORS),
    Case("constrained-types", "alternative", ALT_CONSTRAINED_TYPES),
    Case("a", "wrong", WRONG_A, loses={
        "service": "no ranges: out-of-range values get 200",
        "load_test": "requests sent one after another, labelled as eight clients",
        "rollback": "the rollback changes the label only; the service keeps answering with v2",
        "drift": "each week compared with the week before",
        "flow": "the large-claim rule forgotten",
    }),
    Case("b", "wrong", WRONG_B, loses={
        "service": "validation errors become a bare 400 naming no field",
        "load_test": "the mean and mean + 2 sd quoted as p50 and p95",
        "rollback": "the gate's AUCs from the training data, not the holdout",
        "drift": "the first alert taken as the week of the largest PSI",
        "flow": "refused claims go to a human instead of back to the sender",
    }),
    Case("c", "wrong", WRONG_C, loses={
        "service": "missing fields filled with defaults; an unknown route answers 200",
        "load_test": "only 5xx counted as errors",
        "rollback": "'better than chance' taken as the gate: v2 stays live",
        "drift": "alerts from a KS test at 5 % (the decoy is flagged)",
        "flow": "the flow scores with the model directly, around the service's validation",
    }),
]
