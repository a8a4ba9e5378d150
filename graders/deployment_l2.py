"""Checks for the L2 deployment lab: a claim-risk service a team can run (skill units 3.1 and 3.2).

Every expectation is derived from the variant's truth (:mod:`trainerlab.datagen.claims_service`,
drawn from ``TRAINERLAB_SEED``): the two model versions are trained again with the lab's one recipe
(``fit_version``), the PSI table is recomputed with the lab's one formula (``psi``). The learner's
service cannot cross to the grader: the checks call the learner's ``call_service(method, path,
payload)`` with their own probes (good claims, a missing field, a wrong type, out-of-range values,
an unknown route) and judge the HTTP status codes and JSON bodies it returns. Later tasks are judged
on the learner's own service (error carried forward).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graders.answers import as_number, call_learner, require_callable, require_frame, require_mapping, unpack
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from graders.trusted import foreign_types
from trainerlab.datagen import claims_service as cs
from trainerlab.variants import current_seed

LEVEL = "L2"
VERSIONS = ("v1", "v2")
PROB_KEY, VERSION_KEY = "prob_fraud", "model_version"
#: The load test: at least this many requests from this many concurrent clients.
MIN_REQUESTS, CLIENTS = 48, 8
SAMPLE_COLUMNS = ["client", "start_s", "end_s", "status"]
SUMMARY_KEYS = ["clients", "requests", "p50_ms", "p95_ms", "error_rate"]
#: The release gate: a new version may rank the golden holdout at most this much worse than v1 (AUC).
MAX_AUC_DROP = 0.02
GATE_KEYS = ["v1_auc", "v2_auc", "passed"]
FIRST_ALERT_KEYS = ["feature", "week"]
DECISIONS = ("auto_approve", "human_review", "investigate", "return_to_sender")
#: How close a reported PSI must be to the grader's (absolute, plus a share of the value): room for
#: another bin convention on the few tied values, far less than a wrong reference or wrong bins.
PSI_ABS, PSI_REL = 0.02, 0.10
PROB_TOLERANCE = 1e-6


def seed() -> int:
    """The seed of this notebook's data variant (``TRAINERLAB_SEED``, else the default)."""
    return current_seed()


#: The service's features, label, data contract, monitored features, drift alert and the flow's rules
#: (the set-up cell's constants)
FEATURES, TARGET, CONTRACT, MONITORED = cs.FEATURES, cs.TARGET, cs.CONTRACT, cs.MONITORED
PSI_ALERT = cs.PSI_ALERT
AUTO_APPROVE_BELOW, INVESTIGATE_FROM, HIGH_AMOUNT = cs.AUTO_APPROVE_BELOW, cs.INVESTIGATE_FROM, cs.HIGH_AMOUNT


def claims_path() -> Path:
    """The labelled claims CSV of this notebook's variant (column ``split``: train_v1, train_v2, holdout)."""
    return cs.claims_file(seed())


def traffic_path() -> Path:
    """The eight weeks of live traffic of this notebook's variant."""
    return cs.traffic_file(seed())


def _fitted_on(split: str) -> Any:
    claims = pd.read_csv(claims_path())
    return cs.fit_version(claims[claims["split"] == split])


def model_v1() -> Any:
    """The live version, trained with the lab's recipe on the claims file's ``train_v1`` rows."""
    return _fitted_on("train_v1")


def model_v2() -> Any:
    """The version waiting for release, trained on the ``train_v2`` rows."""
    return _fitted_on("train_v2")


def load_payloads() -> list[dict]:
    """The load test's request bodies of this variant."""
    return cs.load_payloads(seed())


def incoming_requests() -> list[dict]:
    """Today's requests to the end-to-end flow of this variant."""
    return cs.incoming_requests(seed())


def truth() -> cs.ClaimsData:
    """The claims, traffic and planted drift of this variant."""
    return cs.variant(seed())


@cache
def _versions(variant_seed: int) -> dict[str, Any]:
    data = cs.variant(variant_seed)
    return {"v1": cs.fit_version(data.split("train_v1")), "v2": cs.fit_version(data.split("train_v2"))}


def versions() -> dict[str, Any]:
    """Model versions v1 and v2 of this variant, trained with the lab's recipe."""
    return _versions(seed())


def version_prob(version: str, claims: pd.DataFrame) -> np.ndarray:
    """P(suspicious) of ``claims`` under model ``version``."""
    return versions()[version].predict_proba(claims[cs.FEATURES])[:, 1]


def _holdout_rows(n: int) -> pd.DataFrame:
    """``n`` golden-holdout claims spread over the range of v1's probabilities."""
    holdout = truth().split("holdout")
    order = np.argsort(version_prob("v1", holdout), kind="stable")
    return holdout.iloc[order[np.linspace(0, len(order) - 1, n).astype(int)]]


def _payloads(rows: pd.DataFrame) -> list[dict[str, Any]]:
    return [cs.payload(row) for _, row in rows.iterrows()]


# --- calling the learner's service -------------------------------------------------------------

def _reply(fn: Callable[..., Any], method: str, path: str, payload: Any = None) -> tuple[int, Any]:
    """The learner's ``call_service(method, path, payload)`` as (status code, JSON body)."""
    result = call_learner(fn, method, path, payload)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Problem("call_service 应返回 (状态码, JSON) 两项", "call_service should return (status code, JSON)")
    try:
        status = int(result[0])
    except (TypeError, ValueError):
        raise Problem(f"状态码应是整数，实际得到 {result[0]!r}"[:120],
                      f"the status code should be an integer, got {result[0]!r}"[:120]) from None
    return status, result[1]


def _probe(fn: Callable[..., Any], method: str, path: str, payload: Any = None) -> tuple[int, Any] | Problem:
    """:func:`_reply`, keeping a failure as the value so that each marking point judges its own probes."""
    try:
        return _reply(fn, method, path, payload)
    except Problem as problem:
        return problem


def _ok(reply: tuple[int, Any] | Problem) -> tuple[int, Any]:
    if isinstance(reply, Problem):
        raise reply
    return reply


def _prob_and_version(body: Any) -> tuple[float, str]:
    """The probability and model version of a prediction's JSON body."""
    if not isinstance(body, Mapping) or PROB_KEY not in body or VERSION_KEY not in body:
        raise Problem(f"预测的 JSON 应包含 {PROB_KEY} 和 {VERSION_KEY}",
                      f"a prediction's JSON should hold {PROB_KEY} and {VERSION_KEY}")
    return as_number(body[PROB_KEY]), str(body[VERSION_KEY]).strip()


def _names_field(body: Any, field: str) -> bool:
    """The error body names ``field`` (anywhere in its JSON: FastAPI puts it in ``detail[].loc``)."""
    return field in json.dumps(body, ensure_ascii=False, default=str)


# --- Task 1: the prediction service --------------------------------------------------------------

def _bad_requests() -> dict[str, tuple[str, dict[str, Any]]]:
    """The probes that break the contract, each with the field it breaks (fields drawn from the seed)."""
    base = _payloads(_holdout_rows(1))[0]
    rng = np.random.default_rng([seed(), 3])
    missing, wrong_type = (str(f) for f in rng.choice(cs.FEATURES, size=2, replace=False))
    high_field = str(rng.choice(["customer_age", "prior_claims", "report_delay_h"]))
    return {
        "missing": (missing, {k: v for k, v in base.items() if k != missing}),
        "wrong_type": (wrong_type, dict(base, **{wrong_type: "未知 / unknown"})),
        "too_high": (high_field, dict(base, **{high_field: cs.CONTRACT[high_field][1] * 2 + 1})),
        "too_low": ("claim_amount", dict(base, claim_amount=-abs(base["claim_amount"]))),
    }


def _prepare_service(fn: Any) -> dict[str, Any]:
    fn = require_callable(fn)
    rows = _holdout_rows(5)
    replies = {"health": _probe(fn, "GET", "/health"), "unknown": _probe(fn, "GET", "/no-such-route")}
    replies["good"] = [_probe(fn, "POST", "/predict", p) for p in _payloads(rows)]
    bad = _bad_requests()
    replies |= {name: _probe(fn, "POST", "/predict", body) for name, (_, body) in bad.items()}
    return {"replies": replies, "rows": rows, "fields": {name: field for name, (field, _) in bad.items()}}


def _health_ok(a: dict[str, Any]) -> bool:
    status, body = _ok(a["replies"]["health"])
    if status != 200:
        raise Problem(f"GET /health 返回 {status}，应为 200", f"GET /health answered {status}, not 200")
    return isinstance(body, Mapping) and str(body.get(VERSION_KEY, "")).strip() != ""


def _good_predictions(a: dict[str, Any]) -> bool:
    for i, reply in enumerate(a["replies"]["good"]):
        status, body = _ok(reply)
        if status != 200:
            raise Problem(f"合法的理赔请求得到 {status}，应为 200", f"a valid claim got {status}, not 200")
        prob, version = _prob_and_version(body)
        if version not in VERSIONS:
            raise Problem(f"{VERSION_KEY} 应是 v1 或 v2", f"{VERSION_KEY} should be v1 or v2")
        if abs(prob - version_prob(version, a["rows"].iloc[[i]])[0]) > PROB_TOLERANCE:
            raise Problem(f"{PROB_KEY} 与 {version} 模型的 predict_proba 不一致（列的顺序与 FEATURES 相同吗？）",
                          f"{PROB_KEY} differs from the {version} model's predict_proba (columns in the "
                          "order of FEATURES?)")
    return True


def _version_everywhere(a: dict[str, Any]) -> bool:
    _, health = _ok(a["replies"]["health"])
    named = {_prob_and_version(_ok(reply)[1])[1] for reply in a["replies"]["good"]}
    return len(named) == 1 and isinstance(health, Mapping) and str(health.get(VERSION_KEY)).strip() in named


def _rejected(a: dict[str, Any], name: str, statuses: tuple[int, ...], *, named: bool) -> bool:
    status, body = _ok(a["replies"][name])
    field = a["fields"][name]
    if status not in statuses:
        raise Problem(f"违反约定的请求（{field}）得到 {status}，应为 {' 或 '.join(map(str, statuses))}",
                      f"a request breaking the contract ({field}) got {status}, not {' or '.join(map(str, statuses))}")
    if named and not _names_field(body, field):
        raise Problem(f"错误信息没有指出是哪个字段（{field}）", f"the error does not name the field ({field})")
    return True


def _out_of_range(a: dict[str, Any]) -> bool:
    return _rejected(a, "too_high", (400, 422), named=False) and _rejected(a, "too_low", (400, 422), named=False)


def _unknown_route(a: dict[str, Any]) -> bool:
    return _ok(a["replies"]["unknown"])[0] == 404


service = Task(
    grade_id="service",
    unit="3.1",
    level=LEVEL,
    title=Msg("带输入校验的 HTTP 预测服务", "An HTTP prediction service with input validation"),
    prepare=_prepare_service,
    criteria=[
        criterion("GET /health 返回 200 和模型版本", "GET /health answers 200 with the model version", 1,
                  visible=True, fail=("健康检查的 JSON 里没有 model_version", "the health JSON has no model_version"))(
            _health_ok),
        criterion("合法请求返回 200，概率与所部署版本的模型一致", "valid claims get 200 and the deployed version's "
                  "probability", 2, fail=("预测不对", "wrong predictions"))(_good_predictions),
        criterion("每个响应都写明同一个模型版本", "every response names the same model version", 1,
                  fail=("健康检查与预测的 model_version 不一致", "health and predictions name different versions"))(
            _version_everywhere),
        criterion("缺少字段：422，并指出字段名", "a missing field: 422 naming the field", 1.5,
                  fail=("缺少字段的请求没有得到指出字段的 422", "a missing field does not get a 422 naming it"))(
            lambda a: _rejected(a, "missing", (422,), named=True)),
        criterion("类型错误：422，并指出字段名", "a wrong type: 422 naming the field", 1,
                  fail=("类型错误的请求没有得到指出字段的 422", "a wrong type does not get a 422 naming the field"))(
            lambda a: _rejected(a, "wrong_type", (422,), named=True)),
        criterion("超出约定范围的值：400 或 422", "values outside the contract's range: 400 or 422", 1,
                  fail=("超出范围的值被当作合法请求", "out-of-range values are accepted"))(_out_of_range),
        criterion("未知路径：404", "an unknown route: 404", 0.5,
                  fail=("未知路径没有返回 404", "an unknown route does not answer 404"))(_unknown_route),
    ],
    hints=[
        Msg("用 pydantic 的 BaseModel 声明请求体，Field(ge=..., le=...) 写出 CONTRACT 的范围；FastAPI 会自动返回 422。",
            "Declare the body as a pydantic BaseModel with Field(ge=..., le=...) from CONTRACT; FastAPI answers 422 itself."),
        Msg("call_service 里：r = client.request(method, path, json=payload)；return r.status_code, r.json()。",
            "In call_service: r = client.request(method, path, json=payload); return r.status_code, r.json()."),
    ],
)


# --- Task 2: latency under concurrent load --------------------------------------------------------

def _prepare_load(answer: Any) -> dict[str, Any]:
    samples, summary = unpack(answer, ["load_samples", "load_summary"])
    samples = require_frame(samples, columns=SAMPLE_COLUMNS)
    summary = require_mapping(summary, keys=SUMMARY_KEYS)
    start = pd.to_numeric(samples["start_s"], errors="coerce").to_numpy(dtype=float)
    end = pd.to_numeric(samples["end_s"], errors="coerce").to_numpy(dtype=float)
    status = pd.to_numeric(samples["status"], errors="coerce").to_numpy(dtype=float)
    if not (np.isfinite(start).all() and np.isfinite(end).all() and np.isfinite(status).all()):
        raise Problem("start_s、end_s、status 应全是数字", "start_s, end_s and status must all be numbers")
    return {"start": start, "end": end, "status": status, "clients": samples["client"], "summary": summary}


def _load_structure(a: dict[str, Any]) -> bool:
    n = len(a["start"])
    if n < MIN_REQUESTS or as_number(a["summary"]["requests"]) != n:
        raise Problem(f"应至少有 {MIN_REQUESTS} 个请求，且 requests 等于样本行数",
                      f"at least {MIN_REQUESTS} requests, and requests must equal the number of samples")
    valid_status = np.all((a["status"] >= 100) & (a["status"] <= 599) & (a["status"] == np.round(a["status"])))
    return bool(np.all(a["end"] >= a["start"]) and valid_status)


def _max_in_flight(start: np.ndarray, end: np.ndarray) -> int:
    """The largest number of requests in flight at once (intervals [start, end))."""
    events = sorted([(s, 1) for s in start] + [(e, -1) for e in end], key=lambda ev: (ev[0], ev[1]))
    in_flight = peak = 0
    for _, change in events:
        in_flight += change
        peak = max(peak, in_flight)
    return peak


def _concurrent(a: dict[str, Any]) -> bool:
    clients = a["clients"].astype(str).nunique()
    if clients < CLIENTS or as_number(a["summary"]["clients"]) != clients:
        raise Problem(f"应有至少 {CLIENTS} 个客户端，且 clients 等于样本中客户端的个数",
                      f"at least {CLIENTS} clients, and clients must equal the clients in the samples")
    if _max_in_flight(a["start"], a["end"]) < 2:
        raise Problem("请求是一个接一个发出的：没有任何两个请求同时在进行（用线程池并发）",
                      "the requests ran one after another: no two were ever in flight together (use a thread pool)")
    return True


def _between_methods(reported: float, latencies: np.ndarray, q: float) -> bool:
    """``reported`` lies between the lower and higher order statistic of percentile ``q`` (to 0.01 ms)."""
    low, high = (float(np.percentile(latencies, q, method=m)) for m in ("lower", "higher"))
    return low - 0.01 <= reported <= high + 0.01


def _percentiles(a: dict[str, Any]) -> bool:
    latencies = (a["end"] - a["start"]) * 1000
    p50, p95 = as_number(a["summary"]["p50_ms"]), as_number(a["summary"]["p95_ms"])
    return _between_methods(p50, latencies, 50) and _between_methods(p95, latencies, 95)


def _error_rate(a: dict[str, Any]) -> bool:
    share = float(np.mean(a["status"] >= 400))
    return math.isclose(as_number(a["summary"]["error_rate"]), share, abs_tol=5e-4)


load_test = Task(
    grade_id="load_test",
    unit="3.2",
    level=LEVEL,
    title=Msg("并发负载下的 p50/p95 延迟", "p50/p95 latency under concurrent load"),
    prepare=_prepare_load,
    criteria=[
        criterion("每个请求一行样本，请求数与汇总一致", "one sample per request, as many as the summary says", 1,
                  visible=True, fail=("样本不完整：end_s 不早于 start_s，status 是 HTTP 状态码",
                                      "incomplete samples: end_s not before start_s, status an HTTP code"))(
            _load_structure),
        criterion(f"{CLIENTS} 个客户端真正并发", f"{CLIENTS} clients really run concurrently", 1.5,
                  fail=("没有并发", "no concurrency"))(_concurrent),
        criterion("p50、p95（毫秒）与自己的样本一致", "p50 and p95 (ms) agree with the samples", 1.5,
                  fail=("p50/p95 不是样本延迟的中位数和第 95 百分位数（毫秒）",
                        "p50/p95 are not the median and 95th percentile of the samples' latencies (ms)"))(
            _percentiles),
        criterion("错误率与样本一致", "the error rate agrees with the samples", 1,
                  fail=("error_rate 应是状态码 ≥ 400 的请求所占比例",
                        "error_rate should be the share of requests with a status of 400 or more"))(_error_rate),
    ],
    hints=[
        Msg("ThreadPoolExecutor(max_workers=8)：每个任务记下 time.perf_counter() 的开始、结束和状态码。",
            "ThreadPoolExecutor(max_workers=8): each job records time.perf_counter() at start and end, and the status."),
        Msg("延迟 = (end_s - start_s) * 1000；np.percentile(延迟, [50, 95])。",
            "Latency = (end_s - start_s) * 1000; np.percentile(latency, [50, 95])."),
    ],
)


# --- Task 3: versions and rollback ----------------------------------------------------------------

def _load_version(folder: Path, version: str) -> Any:
    import skops.io as sio

    path = folder / f"{version}.skops"
    if not path.is_file():
        raise Problem(f"模型库中没有 {version}.skops", f"the registry holds no {version}.skops")
    types = sio.get_untrusted_types(file=path)
    strange = foreign_types(types)
    if strange:
        raise Problem(f"{version}.skops 含有不应信任的类型：{strange}", f"{version}.skops holds types not to trust: {strange}")
    return sio.load(path, trusted=types)


def _prepare_rollback(answer: Any) -> dict[str, Any]:
    folder, gate, log, fn = unpack(answer, ["REGISTRY", "gate_report", "release_log", "call_service"])
    if not isinstance(folder, (str, Path)) or not Path(folder).is_dir():
        raise Problem("REGISTRY 应是模型库文件夹的路径", "REGISTRY should be the path of the registry folder")
    gate = require_mapping(gate, keys=GATE_KEYS)
    if not isinstance(log, (list, tuple)):
        raise Problem("release_log 应是 (动作, 版本) 的列表", "release_log should be a list of (action, version)")
    return {"folder": Path(folder), "gate": gate, "log": log, "service": require_callable(fn)}


def _registry_holds_both(a: dict[str, Any]) -> bool:
    holdout = truth().split("holdout")
    for version in VERSIONS:
        model = _load_version(a["folder"], version)
        got = model.predict_proba(holdout[cs.FEATURES])[:, 1]
        if not np.allclose(got, version_prob(version, holdout), rtol=0, atol=1e-9):
            raise Problem(f"{version}.skops 不是模型 {version}", f"{version}.skops is not model {version}")
    return True


def _holdout_auc(version: str) -> float:
    from sklearn.metrics import roc_auc_score

    holdout = truth().split("holdout")
    return float(roc_auc_score(holdout[cs.TARGET], version_prob(version, holdout)))


def _gate_aucs(a: dict[str, Any]) -> bool:
    return all(abs(as_number(a["gate"][f"{v}_auc"]) - _holdout_auc(v)) <= 1e-3 for v in VERSIONS)


def _gate_verdict(a: dict[str, Any]) -> bool:
    passed = a["gate"]["passed"]
    if not isinstance(passed, (bool, np.bool_)):
        raise Problem("passed 应是 True 或 False", "passed should be True or False")
    return bool(passed) == (_holdout_auc("v2") >= _holdout_auc("v1") - MAX_AUC_DROP)


def _log_entries(log: Any) -> list[tuple[str, str]]:
    entries = []
    for entry in log:
        if not isinstance(entry, (tuple, list)) or len(entry) != 2:
            raise Problem("release_log 的每一项应是 (动作, 版本)", "each release_log entry should be (action, version)")
        entries.append((str(entry[0]).strip().lower(), str(entry[1]).strip().lower()))
    return entries


def _release_order(a: dict[str, Any]) -> bool:
    entries = _log_entries(a["log"])
    if not entries or entries[-1] != ("rollback", "v1"):
        raise Problem("release_log 的最后一步应是回滚到 v1", "the last step of release_log should roll back to v1")
    return ("deploy", "v2") in entries[:-1]


def _serves_v1(a: dict[str, Any]) -> bool:
    rows = _holdout_rows(5)
    try:
        status, health = _reply(a["service"], "GET", "/health")
        bodies = [_reply(a["service"], "POST", "/predict", p) for p in _payloads(rows)]
        got = [_prob_and_version(body) for code, body in bodies if code == 200]
    except Problem:
        raise fix_first("任务 1", "Task 1") from None
    if status != 200 or len(got) != len(rows):
        raise fix_first("任务 1", "Task 1")
    probs = [p for p, _ in got]
    if np.allclose(probs, version_prob("v2", rows), rtol=0, atol=PROB_TOLERANCE):
        raise Problem("服务仍在用 v2 模型作答：回滚要换回模型本身，不只是版本号",
                      "the service still answers with model v2: roll back the model itself, not just its label")
    if not np.allclose(probs, version_prob("v1", rows), rtol=0, atol=PROB_TOLERANCE):
        raise fix_first("任务 1", "Task 1")  # the service's answers are neither version's
    if not isinstance(health, Mapping) or str(health.get(VERSION_KEY)).strip() != "v1" or {v for _, v in got} != {"v1"}:
        raise Problem("回滚后服务报告的版本不是 v1", "after the rollback the service does not report v1")
    return True


rollback = Task(
    grade_id="rollback",
    unit="3.2",
    level=LEVEL,
    title=Msg("模型版本库、发布闸门与回滚", "Model registry, release gate and rollback"),
    prepare=_prepare_rollback,
    criteria=[
        criterion("模型库中有 v1、v2 两个 skops 文件，各是对应的模型", "the registry holds v1 and v2 as skops "
                  "files, each the right model", 1.5, visible=True,
                  fail=("模型库不对", "wrong registry"))(_registry_holds_both),
        criterion("闸门：两个版本在黄金留出集上的 AUC（精确到 0.001）", "the gate: both versions' AUC on the golden "
                  "holdout (to 0.001)", 1.5, fail=("AUC 不对：用 holdout 和 predict_proba 的正类概率",
                                                  "wrong AUC: use the holdout and predict_proba's positive class"))(
            _gate_aucs),
        criterion("闸门结论符合规则", "the gate's verdict follows the rule", 0.5,
                  fail=("passed 与规则不符", "passed does not follow the rule"))(_gate_verdict),
        criterion("发布记录：先部署 v2，最后回滚到 v1", "the release log: v2 deployed, then rolled back to v1", 1,
                  fail=("发布记录里没有部署过 v2", "the release log never deploys v2"))(_release_order),
        criterion("回滚后服务的答案与 v1 一致", "after the rollback the service answers as v1", 1.5,
                  fail=("回滚后服务的答案不对", "wrong answers after the rollback"))(_serves_v1),
    ],
    hints=[
        Msg("deploy(version) 从模型库的 skops 文件加载模型，再替换服务正在使用的模型和版本号。",
            "deploy(version) loads the model from the registry's skops file, then swaps the model and version the service uses."),
        Msg("roc_auc_score(holdout[TARGET], model.predict_proba(holdout[FEATURES])[:, 1])。",
            "roc_auc_score(holdout[TARGET], model.predict_proba(holdout[FEATURES])[:, 1])."),
    ],
)


# --- Task 4: drift monitoring -------------------------------------------------------------------

def _monday(label: Any) -> pd.Timestamp:
    """The Monday a learner's week label stands for (a date, a timestamp or a weekly period)."""
    if isinstance(label, pd.Period):
        label = label.start_time
    try:
        day = pd.Timestamp(str(label).split("/")[0]).normalize()
    except (TypeError, ValueError):
        raise Problem(f"无法把 {label!r} 读成一周的周一日期"[:120],
                      f"{label!r} does not read as a week's Monday"[:120]) from None
    if day not in cs.week_starts():
        raise Problem(f"{day.date()} 不是流量中某一周的周一", f"{day.date()} is not the Monday of a traffic week")
    return day


def _by_monday(frame: Any, name: str) -> pd.DataFrame:
    frame = require_frame(frame, columns=cs.MONITORED)
    mondays = [_monday(label) for label in frame.index]
    if sorted(mondays) != cs.week_starts():
        raise Problem(f"{name} 应每周一行（共 {cs.N_WEEKS} 周），行索引为每周的周一",
                      f"{name} should have one row per week ({cs.N_WEEKS}), indexed by each week's Monday")
    return frame[cs.MONITORED].set_axis(pd.DatetimeIndex(mondays)).sort_index()


@cache
def _truth_psi(variant_seed: int) -> pd.DataFrame:
    data = cs.variant(variant_seed)
    return cs.weekly_psi(data.traffic, data.split("train_v1"))


def _prepare_drift(answer: Any) -> dict[str, Any]:
    table, alerts, first = unpack(answer, ["psi_table", "alerts", "first_alert"])
    table = _by_monday(table, "psi_table").apply(pd.to_numeric, errors="coerce")
    return {"psi": table, "alerts": alerts, "first": require_mapping(first, keys=FIRST_ALERT_KEYS),
            "truth": _truth_psi(seed())}


def _psi_values(a: dict[str, Any]) -> bool:
    expected = a["truth"].to_numpy()
    got = a["psi"].to_numpy(dtype=float)
    return bool(np.all(np.abs(got - expected) <= PSI_ABS + PSI_REL * expected))


def _alerts_right(a: dict[str, Any]) -> bool:
    alerts = _by_monday(a["alerts"], "alerts")
    if not all(isinstance(v, (bool, np.bool_)) for v in alerts.to_numpy().ravel()):
        raise Problem("alerts 应是 True/False 的表", "alerts should be a table of True/False")
    return bool((alerts.to_numpy(dtype=bool) == (a["truth"] >= cs.PSI_ALERT).to_numpy()).all())


def _first_alert(a: dict[str, Any]) -> bool:
    data = truth()
    feature = str(a["first"]["feature"]).strip()
    return feature == data.drift_feature and _monday(a["first"]["week"]) == cs.week_starts()[data.drift_week - 1]


drift = Task(
    grade_id="drift",
    unit="3.1",
    level=LEVEL,
    title=Msg("按周监控数据漂移（PSI）", "Weekly drift monitoring (PSI)"),
    prepare=_prepare_drift,
    criteria=[
        criterion("PSI 表：每周一行、每个监控特征一列、非负", "the PSI table: a row per week, a column per "
                  "monitored feature, no negatives", 1, visible=True,
                  fail=("PSI 应是非负数", "PSI values must be non-negative numbers"))(
            lambda a: bool(np.all(np.isfinite(a["psi"].to_numpy(dtype=float)) & (a["psi"].to_numpy(dtype=float) >= 0)))),
        criterion("每周每个特征的 PSI 正确", "every week's PSI of every feature is right", 2,
                  fail=("PSI 不对：参照分布是 train_v1，分箱是参照的十分位数，每周和参照比（不是和上一周比）",
                        "wrong PSI: the reference is train_v1, bins are its deciles, each week against the reference "
                        "(not the week before)"))(_psi_values),
        criterion(f"告警表：PSI ≥ {cs.PSI_ALERT} 处告警", f"the alert table: an alert where PSI ≥ {cs.PSI_ALERT}", 2,
                  fail=("告警表不对", "wrong alert table"))(_alerts_right),
        criterion("第一次告警的特征和周", "the feature and week of the first alert", 2,
                  fail=("第一次告警不对：最早出现告警的那一周（不是 PSI 最大的那一周）",
                        "wrong first alert: the earliest week with an alert (not the week of the largest PSI)"))(
            _first_alert),
    ],
    hints=[
        Msg("每周：week = traffic['timestamp'].dt.to_period('W').dt.start_time；分箱边界：np.quantile(参照, [0.1, …, 0.9])。",
            "Weeks: traffic['timestamp'].dt.to_period('W').dt.start_time; bin edges: np.quantile(reference, [0.1, …, 0.9])."),
        Msg("各箱占比用 np.searchsorted(边界, 值, side='right') 计数，占比下限 0.0001，PSI = Σ (a − e)·ln(a / e)。",
            "Count bins with np.searchsorted(edges, values, side='right'), floor shares at 0.0001, PSI = Σ (a − e)·ln(a / e)."),
    ],
)


# --- Task 5: the end-to-end flow ----------------------------------------------------------------

def expected_decision(status: int, body: Any, claim: Mapping[str, Any]) -> str:
    """The hand-off rule applied to one answer of the risk service."""
    if status != 200:
        return "return_to_sender"
    prob, _ = _prob_and_version(body)
    if prob >= cs.INVESTIGATE_FROM:
        return "investigate"
    if prob < cs.AUTO_APPROVE_BELOW and as_number(claim["claim_amount"]) <= cs.HIGH_AMOUNT:
        return "auto_approve"
    return "human_review"


def _flow_probes() -> dict[str, list[dict[str, Any]]]:
    """The grader's requests: claims across the probability range, large low-risk claims, broken claims."""
    holdout = truth().split("holdout")
    prob = version_prob("v1", holdout)
    small = holdout["claim_amount"] <= cs.HIGH_AMOUNT
    bands = [prob < cs.AUTO_APPROVE_BELOW, (prob >= cs.AUTO_APPROVE_BELOW) & (prob < cs.INVESTIGATE_FROM),
             prob >= cs.INVESTIGATE_FROM]
    ordinary = pd.concat([holdout[band & small].head(2) for band in bands])
    # large claims of long-standing customers with no earlier claims: low risk under either version,
    # so the rule is tested whichever version the learner's service serves
    large = holdout.assign(claim_amount=cs.HIGH_AMOUNT * 1.05, prior_claims=0, policy_years=45, report_delay_h=1.0)
    riskiest = np.maximum(version_prob("v1", large), version_prob("v2", large))
    large = large.iloc[np.argsort(riskiest, kind="stable")[:2]]
    broken = [body for _, body in _bad_requests().values()][:3]
    return {"ordinary": _payloads(ordinary), "large": _payloads(large), "broken": broken}


def _learner_decision(handle: Callable[..., Any], claim: dict[str, Any]) -> str:
    result = call_learner(handle, dict(claim))
    if not isinstance(result, Mapping) or "decision" not in result:
        raise Problem("handle_claim 应返回含 decision 的 dict", "handle_claim should return a dict with a decision")
    return str(result["decision"]).strip().lower()


def _service_decision(service: Callable[..., Any], claim: dict[str, Any]) -> str:
    """What the rule decides from the learner's own service (Task 1) for ``claim``."""
    try:
        status, body = _reply(service, "POST", "/predict", dict(claim))
        return expected_decision(status, body, claim)
    except Problem:
        raise fix_first("任务 1", "Task 1") from None


def _prepare_flow(answer: Any) -> dict[str, Any]:
    handle, results, service_fn = unpack(answer, ["handle_claim", "flow_results", "call_service"])
    return {"handle": require_callable(handle), "service": require_callable(service_fn),
            "results": require_frame(results, columns=["request_id", "decision"]), "probes": _flow_probes()}


def _decides(a: dict[str, Any], group: str) -> bool:
    for claim in a["probes"][group]:
        if _learner_decision(a["handle"], claim) != _service_decision(a["service"], claim):
            return False
    return True


def _results_right(a: dict[str, Any]) -> bool:
    results = a["results"].assign(request_id=lambda f: f["request_id"].astype(str))
    incoming = cs.incoming_requests(seed())
    if sorted(results["request_id"]) != sorted(r["request_id"] for r in incoming):
        raise Problem("flow_results 应每个请求一行（按 request_id）", "flow_results should hold one row per request_id")
    got = results.set_index("request_id")["decision"].astype(str).str.strip().str.lower()
    return all(got[r["request_id"]] == _service_decision(a["service"], r["claim"]) for r in incoming)


flow = Task(
    grade_id="flow",
    unit="3.1",
    level=LEVEL,
    title=Msg("两个产品串成端到端流程：风险评分 → 人工分派", "Two products in one flow: risk scoring, then hand-off"),
    prepare=_prepare_flow,
    criteria=[
        criterion("不合格的请求退回补正", "broken requests go back to the sender", 1, visible=True,
                  fail=("服务拒绝的请求应得到 return_to_sender（经过服务，而不是直接调用模型）",
                        "a request the service refuses should get return_to_sender (go through the service, not "
                        "the model)"))(lambda a: _decides(a, "broken")),
        criterion("按阈值分派", "decisions by the thresholds", 2,
                  fail=("分派与规则不符：看 prob_fraud 与两个阈值", "decisions break the rule: compare prob_fraud "
                        "with the two thresholds"))(lambda a: _decides(a, "ordinary")),
        criterion("大额理赔不自动通过", "large claims are never approved automatically", 1,
                  fail=(f"金额超过 {cs.HIGH_AMOUNT} 的低风险理赔应转人工", f"a low-risk claim above {cs.HIGH_AMOUNT} "
                        "should go to a human"))(lambda a: _decides(a, "large")),
        criterion("今天的请求的流程结果", "the flow's results on today's requests", 1,
                  fail=("flow_results 与规则对服务答案的分派不一致", "flow_results differ from the rule applied to "
                        "the service's answers"))(_results_right),
    ],
    hints=[
        Msg("handle_claim 先 call_service('POST', '/predict', claim)；状态码不是 200 就退回。",
            "handle_claim first calls call_service('POST', '/predict', claim); anything but 200 goes back to the sender."),
        Msg("顺序：≥ INVESTIGATE_FROM 调查；< AUTO_APPROVE_BELOW 且金额 ≤ HIGH_AMOUNT 自动通过；其余转人工。",
            "Order: ≥ INVESTIGATE_FROM investigate; < AUTO_APPROVE_BELOW and amount ≤ HIGH_AMOUNT approve; else a human."),
    ],
)


# --- Task 6: written ---------------------------------------------------------------------------

product_plan = WrittenTask(
    grade_id="product_plan",
    unit="3.2",
    level=LEVEL,
    title=Msg("产品需求与实施方案", "Product requirements and implementation plan"),
    rubric=[
        RubricPoint(Msg("需求：用户与场景、接口约定（字段、范围、错误码）、非功能指标（p95、可用性）及其数值依据",
                        "requirements: users and scenario, the API contract (fields, ranges, error codes), "
                        "non-functional targets (p95, availability) with the figures behind them"), 1.5),
        RubricPoint(Msg("发布：模型库、闸门指标与阈值、灰度或回滚步骤及谁来决定",
                        "release: the registry, the gate's metric and threshold, canary or rollback steps and who "
                        "decides"), 1.5),
        RubricPoint(Msg("监控：PSI 告警规则、告警后的处理流程（排查、重训、通知）与负责人",
                        "monitoring: the PSI alert rule, what happens after an alert (diagnose, retrain, notify) "
                        "and who owns it"), 1),
        RubricPoint(Msg("人机协同：人工复核队列的容量、时限，人工结论如何回流为标签",
                        "human hand-off: the review queue's capacity and time limit, how human decisions feed back "
                        "as labels"), 1),
        RubricPoint(Msg("实施计划：里程碑、角色分工、风险与应对，可以被评审", "implementation plan: milestones, roles, "
                        "risks and mitigations, fit for a panel review"), 1),
    ],
)

LAB = Lab(
    assignment="deployment_l2",
    notebook="deployment_l2.ipynb",
    level=LEVEL,
    summary=Msg(
        "理赔风险评分服务：FastAPI 服务与输入校验（经 HTTP 测试）、并发负载下的 p50/p95、模型版本库、发布闸门与回滚、按周 PSI 漂移告警、评分与人工分派串成端到端流程、产品需求与实施方案",
        "a claim-risk service: FastAPI with input validation (tested through HTTP), p50/p95 under concurrent load, a model registry, release gate and rollback, weekly PSI drift alerts, scoring and human hand-off chained into one flow, product requirements and implementation plan"),
    tasks=[service, load_test, rollback, drift, flow, product_plan],
)
