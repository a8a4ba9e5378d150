"""The L2 deployment checks: every marking point passes a right answer and fails the mistake it names,
on the learner's own service and data; messages are bilingual and never give the answer away."""

# no `from __future__ import annotations`: FastAPI reads the body model from predict's annotation
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from graders import deployment_l2 as q
from graders.checking import CheckFailed, Task
from trainerlab.datagen import claims_service as cs
from trainerlab.paths import dataset_file

AUTO_TASKS = [t for t in q.LAB.tasks if isinstance(t, Task)]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _missed(task: Task, answer: Any) -> tuple[set[str], list[str]]:
    """English names of the marking points a well-formed answer misses, and the lines saying why."""
    result = task.evaluate(answer)
    assert result.status in {"correct", "incorrect"}, result.lines
    lines = [line for line in result.lines if line.startswith("✗")]
    return {c.name.en for c in task.criteria if any(f"{c.name} (0/" in line for line in lines)}, lines


def _failed(task: Task, answer: Any) -> set[str]:
    """English names of the marking points a well-formed answer misses."""
    return _missed(task, answer)[0]


def _criterion(task: Task, word: str) -> str:
    (name,) = [c.name.en for c in task.criteria if word in c.name.en]
    return name


# --- a service like the learner's, with switchable faults --------------------------------------------

class Claim(BaseModel):
    customer_age: int = Field(ge=18, le=100)
    policy_years: int = Field(ge=0, le=60)
    prior_claims: int = Field(ge=0, le=20)
    claim_amount: float = Field(gt=0, le=1_000_000)
    report_delay_h: float = Field(ge=0, le=720)
    vehicle_value: float = Field(ge=0.5, le=500)


class LooseClaim(BaseModel):  # types only: no ranges
    customer_age: int
    policy_years: int
    prior_claims: int
    claim_amount: float
    report_delay_h: float
    vehicle_value: float


def make_service(*, body: type[BaseModel] = Claim, version_key: bool = True, bare_400: bool = False,
                 catch_all: bool = False, shuffled: bool = False, health: bool = True,
                 ) -> tuple[Callable[..., Any], dict]:
    """A TestClient-backed ``call_service`` and the ``live`` dict it serves from."""
    live = {"version": "v1", "model": q.versions()["v1"]}
    app = FastAPI()
    if bare_400:
        app.add_exception_handler(RequestValidationError,
                                  lambda request, exc: JSONResponse({"error": "bad"}, status_code=400))

    @app.get("/health" if health else "/status")
    def status() -> dict:
        return {"status": "ok", "model_version": live["version"]}

    @app.post("/predict")
    def predict(claim: body) -> dict:  # type: ignore[valid-type]
        row = pd.DataFrame([claim.model_dump()])[cs.FEATURES]
        if shuffled:
            row = row.set_axis(cs.FEATURES[::-1], axis=1)[cs.FEATURES]
        reply = {"prob_fraud": float(live["model"].predict_proba(row)[0, 1])}
        return reply | ({"model_version": live["version"]} if version_key else {})

    if catch_all:
        @app.api_route("/{rest:path}", methods=["GET", "POST"])
        def fallback(rest: str) -> dict:
            return {"error": rest}

    client = TestClient(app)
    client.__enter__()  # one event loop for all calls (four times cheaper than one per request)

    def call_service(method: str, path: str, payload: Any = None) -> tuple[int, Any]:
        reply = client.request(method, path, json=payload)
        return reply.status_code, reply.json()

    return call_service, live


@pytest.fixture(scope="module")
def service() -> tuple[Callable[..., Any], dict]:
    return make_service()


# --- the lab and unattempted or odd answers ------------------------------------------------------------

def test_lab_registry() -> None:
    assert q.LAB.assignment == "deployment_l2" and q.LAB.level == "L2"
    assert sum(t.points for t in AUTO_TASKS) >= 30 and len(AUTO_TASKS) == 5
    assert {t.unit for t in q.LAB.tasks} == {"3.1", "3.2"} and {t.level for t in q.LAB.tasks} == {"L2"}


STUDENT_ANSWERS = {"service": None, "load_test": (None, None), "rollback": (None, None, None, None),
                   "drift": (None, None, None), "flow": (None, None, None)}


@pytest.mark.parametrize("task", AUTO_TASKS, ids=lambda t: t.grade_id)
def test_unattempted_answer_is_reported_not_attempted(task: Task) -> None:
    assert task.evaluate(STUDENT_ANSWERS[task.grade_id]).status == "not_attempted"
    with pytest.raises(CheckFailed):
        task.check(STUDENT_ANSWERS[task.grade_id])
    assert task.grade(STUDENT_ANSWERS[task.grade_id]) == 0


ODD_ANSWERS = [42, "text", [1, 2], {"a": 1}, pd.DataFrame({"x": [1]}), (1, 2, 3), np.zeros(3),
               lambda *args: None, (print, print, print, print)]


@pytest.mark.parametrize("task", AUTO_TASKS, ids=lambda t: t.grade_id)
def test_odd_answers_never_crash(task: Task, capsys: pytest.CaptureFixture[str]) -> None:
    for odd in ODD_ANSWERS:
        result = task.evaluate(odd)
        assert result.status in {"malformed", "incorrect"} and result.earned < task.points
        for line in result.lines:
            assert " / " in line and CJK.search(line), line
    assert capsys.readouterr().err == ""


# --- Task 1: the service ---------------------------------------------------------------------------

def test_service_full_marks(service) -> None:
    assert q.service.evaluate(service[0]).earned == q.service.points


@pytest.mark.parametrize(("fault", "missed"), [
    ({"body": LooseClaim}, {"range"}),
    ({"version_key": False}, {"valid claims", "same model version"}),
    ({"bare_400": True}, {"missing field", "wrong type"}),
    ({"catch_all": True}, {"unknown route"}),
    ({"shuffled": True}, {"valid claims"}),
    ({"health": False}, {"GET /health", "same model version"}),
])
def test_service_mistakes_lose_their_points(fault: dict, missed: set[str]) -> None:
    call_service, _ = make_service(**fault)
    failed, lines = _missed(q.service, call_service)
    assert failed == {_criterion(q.service, word) for word in missed}
    for line in lines:
        assert CJK.search(line) and " / " in line
        assert not re.search(r"0\.\d{4,}", line), f"a message shows a probability: {line}"


def test_service_that_crashes_or_answers_oddly_is_told_why() -> None:
    def crashing(method, path, payload=None):
        raise RuntimeError("server down")

    assert any("RuntimeError" in line for line in q.service.evaluate(crashing).lines)
    odd = q.service.evaluate(lambda method, path, payload=None: "200")
    assert odd.earned == 0 and any("(status code, JSON)" in line for line in odd.lines)


def test_service_serving_v2_is_judged_on_the_version_it_names() -> None:
    call_service, live = make_service()
    live.update(version="v2", model=q.versions()["v2"])
    assert q.service.evaluate(call_service).earned == q.service.points
    live["version"] = "v1"  # v2's answers under v1's name
    assert _failed(q.service, call_service) == {_criterion(q.service, "valid claims")}


# --- Task 2: the load test ---------------------------------------------------------------------------

def _samples(*, clients: int = 8, per_client: int = 10, overlap: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for c in range(clients):
        t = c * 0.001 if overlap else c * per_client * 0.05
        for i in range(per_client):
            duration = rng.uniform(0.002, 0.02)
            status = 422 if (c * per_client + i) % 10 == 0 else 200
            rows.append({"client": f"c{c}", "start_s": t, "end_s": t + duration, "status": status})
            t += duration + (0.0001 if overlap else 0.03)
    return pd.DataFrame(rows)


def _summary(samples: pd.DataFrame, **changes: Any) -> dict:
    ms = (samples["end_s"] - samples["start_s"]) * 1000
    summary = {"clients": samples["client"].nunique(), "requests": len(samples),
               "p50_ms": float(np.percentile(ms, 50)), "p95_ms": float(np.percentile(ms, 95)),
               "error_rate": float((samples["status"] >= 400).mean())}
    return summary | changes


def test_load_test_full_marks_for_any_percentile_convention() -> None:
    samples = _samples()
    ms = (samples["end_s"] - samples["start_s"]) * 1000
    for method in ("linear", "lower", "higher", "nearest", "midpoint"):
        summary = _summary(samples, p50_ms=float(np.percentile(ms, 50, method=method)),
                           p95_ms=round(float(np.percentile(ms, 95, method=method)), 2))
        assert q.load_test.evaluate((samples, summary)).earned == q.load_test.points, method


def test_load_test_mistakes_lose_their_points() -> None:
    samples = _samples()
    ms = (samples["end_s"] - samples["start_s"]) * 1000
    sequential = _samples(overlap=False)
    cases = [
        ((sequential, _summary(sequential)), {"concurrently"}),
        ((samples, _summary(samples, p95_ms=float(ms.mean() + 2 * ms.std()))), {"p50 and p95"}),
        ((samples, _summary(samples, p50_ms=float(ms.median() / 1000),
                            p95_ms=float(ms.quantile(0.95) / 1000))), {"p50 and p95"}),
        ((samples, _summary(samples, error_rate=0.0)), {"error rate"}),
        ((samples, _summary(samples, requests=100)), {"one sample per request"}),
        ((four := _samples(clients=4, per_client=20), _summary(four)), {"concurrently"}),
    ]
    for answer, missed in cases:
        assert _failed(q.load_test, answer) == {_criterion(q.load_test, w) for w in missed}, missed


# --- Task 3: registry, gate, rollback ---------------------------------------------------------------

@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("registry")
    for version, model in q.versions().items():
        sio.dump(model, folder / f"{version}.skops")
    return folder


def _gate() -> dict:
    return {"v1_auc": q._holdout_auc("v1"), "v2_auc": q._holdout_auc("v2"), "passed": False}


LOG = [("deploy", "v2"), ("rollback", "v1")]


def test_rollback_full_marks(registry: Path, service) -> None:
    gate = _gate() | {"v1_auc": round(q._holdout_auc("v1"), 3), "v2_auc": round(q._holdout_auc("v2"), 3)}
    for log in (LOG, [["DEPLOY", "V2"], ["Rollback", "v1"]], [("deploy", "v1"), *LOG]):
        assert q.rollback.evaluate((registry, gate, log, service[0])).earned == q.rollback.points


def test_v2_fails_the_gate_on_every_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    for seed in (cs.DEFAULT_SEED, 1, 2, 3):
        monkeypatch.setenv("TRAINERLAB_SEED", str(seed))
        assert q._holdout_auc("v2") < q._holdout_auc("v1") - q.MAX_AUC_DROP - 0.03, seed


def test_rollback_mistakes_lose_their_points(registry: Path, service, tmp_path: Path) -> None:
    call_service, live = make_service()
    live.update(version="v1", model=q.versions()["v2"])  # the label rolled back, not the model
    failed, lines = _missed(q.rollback, (registry, _gate(), LOG, call_service))
    assert failed == {_criterion(q.rollback, "answers as v1")}
    assert any("model v2" in line for line in lines)
    on_training = {"v1_auc": 0.8, "v2_auc": 0.7, "passed": False}
    assert _failed(q.rollback, (registry, on_training, LOG, service[0])) == {_criterion(q.rollback, "AUC")}
    assert _failed(q.rollback, (registry, _gate() | {"passed": True}, LOG, service[0])) == {
        _criterion(q.rollback, "verdict")}
    assert _failed(q.rollback, (registry, _gate(), [("rollback", "v1")], service[0])) == {
        _criterion(q.rollback, "release log")}
    sio.dump(q.versions()["v1"], tmp_path / "v1.skops")  # v2 never saved
    assert _failed(q.rollback, (tmp_path, _gate(), LOG, service[0])) == {_criterion(q.rollback, "registry")}


def test_rollback_is_judged_on_the_learners_own_service(registry: Path) -> None:
    shuffled, _ = make_service(shuffled=True)  # Task 1's mistake: neither version's answers
    failed, lines = _missed(q.rollback, (registry, _gate(), LOG, shuffled))
    assert failed == {_criterion(q.rollback, "answers as v1")}
    assert any("Task 1" in line for line in lines)


# --- Task 4: drift ---------------------------------------------------------------------------------

def _truth_table() -> pd.DataFrame:
    return q._truth_psi(q.seed())


def _first() -> dict:
    data = q.truth()
    return {"feature": data.drift_feature, "week": cs.week_starts()[data.drift_week - 1]}


def test_drift_full_marks_in_any_week_label() -> None:
    table = _truth_table()
    for index in (table.index, table.index.strftime("%Y-%m-%d"), table.index.to_period("W")):
        psi_table = table.set_axis(index)
        week = index[table.index == _first()["week"]][0]
        answer = (psi_table.round(3), psi_table >= cs.PSI_ALERT, _first() | {"week": week})
        assert q.drift.evaluate(answer).earned == q.drift.points, type(index)


def test_drift_mistakes_lose_their_points() -> None:
    data, table = q.truth(), _truth_table()
    weeks = cs.week_number(data.traffic["timestamp"])
    rolling = table.copy()
    for w in range(1, cs.N_WEEKS):
        for f in cs.MONITORED:
            rolling.iloc[w, rolling.columns.get_loc(f)] = cs.psi(data.traffic.loc[weeks == w - 1, f],
                                                                 data.traffic.loc[weeks == w, f])
    biggest = {"feature": data.drift_feature, "week": table[data.drift_feature].idxmax()}
    decoy_flagged = (table >= cs.PSI_ALERT) | (table.columns == data.decoy_feature)
    cases = [
        ((table - 0.1, table >= cs.PSI_ALERT, _first()), {"no negatives", "PSI of every"}),
        ((rolling, rolling >= cs.PSI_ALERT, _first()), {"PSI of every", "alert table"}),
        ((table, table >= cs.PSI_ALERT, biggest), {"first alert"}),
        ((table, decoy_flagged, _first()), {"alert table"}),
        ((table, table >= 0.5, _first()), {"alert table"}),
    ]
    for answer, missed in cases:
        assert _failed(q.drift, answer) == {_criterion(q.drift, w) for w in missed}, missed
    assert "week before" in " ".join(_missed(q.drift, cases[0][0])[1])


def test_drift_rejects_unknown_weeks_clearly() -> None:
    table = _truth_table().set_axis(range(cs.N_WEEKS))
    result = q.drift.evaluate((table, table >= cs.PSI_ALERT, _first()))
    assert result.status == "malformed" and "Monday" in result.lines[0]


def test_planted_drift_has_a_margin_on_every_seed() -> None:
    for seed in (cs.DEFAULT_SEED, 1, 2, 3, 4, 5):
        data = cs.build(seed)
        table = cs.weekly_psi(data.traffic, data.split("train_v1"))
        alerts = table >= cs.PSI_ALERT
        assert alerts.any(axis=1).idxmax() == cs.week_starts()[data.drift_week - 1]
        assert set(alerts.columns[alerts.any()]) == {data.drift_feature}
        # the largest PSI is not the first alert, the week-before monitor misses the later weeks
        assert table[data.drift_feature].idxmax() != cs.week_starts()[data.drift_week - 1]
        assert (table[data.decoy_feature] < cs.QUIET_PSI).all()


# --- Task 5: the flow ---------------------------------------------------------------------------------

def _handler(call_service: Callable[..., Any], *, large_rule: bool = True, refused: str = "return_to_sender",
             investigate_from: float = cs.INVESTIGATE_FROM):
    def handle_claim(claim: dict) -> dict:
        status, body = call_service("POST", "/predict", claim)
        if status != 200:
            return {"decision": refused}
        prob = body["prob_fraud"]
        if prob >= investigate_from:
            return {"decision": "investigate"}
        if prob < cs.AUTO_APPROVE_BELOW and (not large_rule or claim["claim_amount"] <= cs.HIGH_AMOUNT):
            return {"decision": "auto_approve"}
        return {"decision": "human_review"}
    return handle_claim


def _results(handle: Callable[..., Any]) -> pd.DataFrame:
    incoming = cs.incoming_requests(q.seed())
    return pd.DataFrame([{"request_id": r["request_id"], **handle(r["claim"])} for r in incoming])


def test_flow_full_marks_and_ecf(service) -> None:
    handle = _handler(service[0])
    assert q.flow.evaluate((handle, _results(handle), service[0])).earned == q.flow.points
    loose, _ = make_service(body=LooseClaim)  # Task 1's mistake: the flow is judged on that service
    handle = _handler(loose)
    assert q.flow.evaluate((handle, _results(handle), loose)).earned == q.flow.points


def test_flow_mistakes_lose_their_points(service) -> None:
    no_large = _handler(service[0], large_rule=False)
    to_human = _handler(service[0], refused="human_review")
    assert _failed(q.flow, (no_large, _results(no_large), service[0])) == {
        _criterion(q.flow, "large claims"), _criterion(q.flow, "today")}
    assert _failed(q.flow, (to_human, _results(to_human), service[0])) == {
        _criterion(q.flow, "broken"), _criterion(q.flow, "today")}
    by_label = _handler(service[0], investigate_from=0.5)  # the label's 0.5 instead of the rule's threshold
    assert _failed(q.flow, (by_label, _results(by_label), service[0])) == {
        _criterion(q.flow, "thresholds"), _criterion(q.flow, "today")}
    right = _handler(service[0])
    partial = _results(right).iloc[1:]
    assert _failed(q.flow, (right, partial, service[0])) == {_criterion(q.flow, "today")}


def test_flow_probes_test_every_rule_on_every_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    for seed in (cs.DEFAULT_SEED, 1, 2, 3):
        monkeypatch.setenv("TRAINERLAB_SEED", str(seed))
        probes = q._flow_probes()
        large = pd.DataFrame(probes["large"])
        for version in q.VERSIONS:
            assert len(large) == 2 and (q.version_prob(version, large) < cs.AUTO_APPROVE_BELOW).all()
        ordinary = q.version_prob("v1", pd.DataFrame(probes["ordinary"]))
        assert len(ordinary) == 6
        assert ordinary.min() < cs.AUTO_APPROVE_BELOW <= cs.INVESTIGATE_FROM <= ordinary.max()
        incoming = [r["claim"] for r in cs.incoming_requests(seed)]
        big = [c for c in incoming
               if isinstance(c.get("claim_amount"), float) and c["claim_amount"] > cs.HIGH_AMOUNT]
        assert (q.version_prob("v1", pd.DataFrame(big)) < cs.AUTO_APPROVE_BELOW).any()


# --- the data -------------------------------------------------------------------------------------------

def test_committed_files_are_the_generators_output(tmp_path: Path) -> None:
    for path in cs.write_files(tmp_path, cs.DEFAULT_SEED):
        committed = dataset_file(cs.DATASET, str(path.relative_to(tmp_path)))
        assert committed.read_bytes() == path.read_bytes(), path.name


def test_variants_differ_by_seed_and_repeat() -> None:
    a, b, c = cs.build(5), cs.build(5), cs.build(6)
    pd.testing.assert_frame_equal(a.claims, b.claims)
    pd.testing.assert_frame_equal(a.traffic, b.traffic)
    assert not a.claims.equals(c.claims)
    assert a.split("train_v2")["prior_claims"].eq(0).all() and a.split("train_v1")["prior_claims"].gt(0).any()


def test_another_seed_is_graded_against_its_own_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINERLAB_SEED", "3")
    table = _truth_table()
    assert q.drift.evaluate((table, table >= cs.PSI_ALERT, _first())).earned == q.drift.points
    monkeypatch.setenv("TRAINERLAB_SEED", "4")
    assert q.drift.evaluate((table, table >= cs.PSI_ALERT, _first())).earned < q.drift.points
