"""Checks of the business-analysis lab: the Mermaid parser, the flowchart's structure, the subtle
criteria of the 1.1 and 1.2 tasks, and the generator's planted effects over many seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graders import business_analysis as q
from graders import mermaid
from trainerlab.datagen import service_bot as sb
from trainerlab.paths import dataset_file

FLOW = """
flowchart TD
    S([新记录到达]) --> C[采集：接口接收]
    C --> P[处理：统一格式、去重]
    P --> V{校验规则全部通过？}
    V -->|否| R[写明违反规则的原因]
    R --> B[退回来源系统修正]
    B --> C
    V -->|是| A{人工抽样审核合格？}
    A -->|否| R
    A -->|是| D[(入库)]
    D --> E([结束])
"""


def _points(task, answer) -> dict[str, bool]:
    """Which criteria of ``task`` an answer meets, by their English name."""
    prepared = task.prepare(answer)
    return {c.name.en: c.run(prepared)[0] for c in task.criteria}


# --- the Mermaid parser ----------------------------------------------------------------------------

def test_parser_reads_shapes_labels_chains_and_groups() -> None:
    chart = mermaid.parse("""```mermaid
    graph LR; a((start)) --> b[collect] & c[(db)]
    b -- yes --> d{ok?} -.->|no| e[[sub]]
    d ==>|"yes"| f>flag] --- g
    %% a comment
    subgraph s [group]
    end
    classDef x fill:#fff
    class a x
    ```""")
    assert [n.id for n in chart.nodes.values()] == list("abcdefg")
    assert chart.nodes["d"].decision and not chart.nodes["c"].decision
    assert chart.nodes["c"].text == "db" and chart.nodes["g"].text == "g"
    edges = {(e.source, e.target): e.label for e in chart.edges}
    assert edges == {("a", "b"): "", ("a", "c"): "", ("b", "d"): "yes", ("d", "e"): "no",
                     ("d", "f"): "yes", ("f", "g"): ""}
    assert chart.starts() == {"a"} and chart.ends() == {"c", "e", "g"}


def test_a_node_keeps_its_shape_when_named_again() -> None:
    chart = mermaid.parse("flowchart TD\n  v{check?} -->|a| x\n  v -->|b| y")
    assert chart.nodes["v"].decision and chart.nodes["v"].text == "check?"


@pytest.mark.parametrize("text, where", [
    ("hello\nA --> B", "flowchart TD"),
    ("flowchart TD\n  A[open --> B", "never closed"),
    ("flowchart TD\n  A ->> B", "expected a link"),
    ("flowchart TD\n  A -->", "expected a node"),
    ("", "flowchart TD"),
])
def test_parser_names_what_is_wrong(text: str, where: str) -> None:
    with pytest.raises(mermaid.MermaidError, match=where):
        mermaid.parse(text)


def test_reachability_follows_loops() -> None:
    chart = mermaid.parse("flowchart TD\n a --> b --> c --> b\n c --> d")
    assert chart.reachable("b") == {"b", "c", "d"} and chart.ends() == {"d"}


# --- Task 4: the flowchart's structure -------------------------------------------------------------

def test_model_flow_meets_every_point() -> None:
    assert all(_points(q.flow_structure, FLOW).values())


@pytest.mark.parametrize("change, lost", [
    (("V -->|否| R", "V --> R"), "every decision has two or more labelled branches"),
    (("A -->|否| R", "A -->|是| R"), "every decision has two or more labelled branches"),
    (("D --> E([结束])", "D --> E([结束])\n    E --> D"), "every path reaches an end"),
    (("B --> C", "B --> B"), "rejected records go back to collection with a reason"),
    (("R[写明违反规则的原因]", "R[退回]"), "rejected records go back to collection with a reason"),
    (("人工抽样审核", "人工抽样核对"), "collection, processing/validation, audit and storage are all there"),
])
def test_each_structural_fault_costs_its_point(change: tuple[str, str], lost: str) -> None:
    met = _points(q.flow_structure, FLOW.replace(*change))
    assert not met[lost]
    assert sum(not ok for ok in met.values()) <= 2  # a fault costs its own point (at most one more)


def test_a_node_no_path_reaches_is_caught() -> None:
    met = _points(q.flow_structure, FLOW + "    X[孤立的采集点] --> C\n")
    assert met["every path reaches an end"]  # X has no link in, so it is a second start: fine
    met = _points(q.flow_structure, FLOW + "    Y[孤立] --> Y2[孤立] --> Y\n")
    assert not met["every path reaches an end"]


def test_reason_on_the_branch_label_counts() -> None:
    text = FLOW.replace("V -->|否| R[写明违反规则的原因]", "V -->|否，附原因| R[退回]")
    text = text.replace("A -->|否| R", "A -->|驳回| R")
    assert _points(q.flow_structure, text)["rejected records go back to collection with a reason"]


def test_flow_that_is_not_a_string_or_does_not_parse_is_a_clear_problem() -> None:
    assert q.flow_structure.evaluate(None).status == "not_attempted"
    for bad in (42, "flowchart TD\n  A{open --> B"):
        result = q.flow_structure.evaluate(bad)
        assert result.status == "malformed" and result.earned == 0


# --- Tasks 1-3 (1.1) -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def labelled() -> pd.DataFrame:
    log = q.truth().log.copy()
    high = (log["csat"] <= 2) | ((log["resolved"] == "否") & (log["turns"] > 8))
    log["risk"] = np.where(high, "high", "low")
    log["turn_band"] = pd.cut(log["turns"], [0, 3, 6, 10, 30], labels=sb.TURN_LABELS)
    return log


def test_unrated_sessions_tell_the_fillna_mistake(labelled: pd.DataFrame) -> None:
    stuck = (labelled["resolved"] == "否") & (labelled["turns"] > 8)
    wrong = labelled.assign(risk=np.where((labelled["csat"].fillna(0) <= 2) | stuck, "high", "low"))
    assert all(_points(q.risk_labels, labelled).values())
    assert not _points(q.risk_labels, wrong)["risk labels follow the rule"]


def test_data_hold_sessions_on_every_rule_boundary() -> None:
    log = q.truth().log
    assert (log["turns"] == 8).any() and (log["turns"] == 9).any() and (log["csat"] == 2).any()
    assert ((log["resolved"] == "否") & (log["turns"] == 8)).any()
    assert all((log["turns"] == edge).any() and (log["turns"] == edge + 1).any() for edge in (3, 6, 10))


def test_shares_are_judged_on_the_learners_own_labels(labelled: pd.DataFrame) -> None:
    other = labelled.assign(risk="low")  # a wrong Task 1 ...
    share = (other["risk"] == "high").groupby(other["channel"]).mean()
    assert all(_points(q.risk_shares, (share, other)).values())  # ... costs nothing here


def _split(batch: pd.DataFrame, breaks: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    bad = breaks.any(axis=1)
    rejected = batch[bad].assign(reason=breaks[bad].apply(lambda r: ";".join(r.index[r]), axis=1))
    return batch[~bad], rejected


def test_validity_boundaries_are_valid_and_each_rule_is_needed() -> None:
    batch = q.truth().batch
    breaks = sb.rule_breaks(batch)
    accepted, rejected = _split(batch, breaks)
    assert all(_points(q.validity, (accepted, rejected, batch)).values())
    kept = batch[~breaks.any(axis=1)]
    assert (kept["turns"] == 30).any() and (kept["refund_amount"] == kept["order_value"]).any()
    assert kept["csat"].isna().any() and kept["csat"].isin([1, 5]).any()
    for rule in sb.RULES:  # skipping one rule costs exactly that rule's point
        accepted, rejected = _split(batch, breaks.drop(columns=rule))
        met = _points(q.validity, (accepted, rejected, batch))
        lost = [name for name, ok in met.items() if not ok]
        assert lost == [f"records breaking «{sb.RULES[rule][1]}» are rejected"]


def test_a_reason_naming_a_rule_the_record_keeps_is_wrong() -> None:
    batch = q.truth().batch
    accepted, rejected = _split(batch, sb.rule_breaks(batch))
    swapped = rejected.assign(reason=rejected["reason"].map(lambda r: "csat" if "csat" not in r else "turns"))
    assert not _points(q.validity, (accepted, swapped, batch))["every rejected record names a rule it breaks"]


# --- Tasks 6-7 (1.2) -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def metrics() -> pd.DataFrame:
    log = q.truth().log
    return (log.assign(ok=log["resolved"] == "是").groupby(["module", "channel"])["ok"]
            .agg(sessions="size", resolution_rate="mean").reset_index())


def _worst(metrics: pd.DataFrame, row: pd.Series) -> dict:
    log = q.truth().log
    pair = (log["module"] == row["module"]) & (log["channel"] == row["channel"])
    failed = log[pair & (log["resolved"] == "否")]
    return {"module": row["module"], "channel": row["channel"], "resolution_rate": row["resolution_rate"],
            "sessions": row["sessions"], "main_reason": failed["fail_reason"].value_counts().idxmax()}


def test_metrics_accept_a_grouped_index_and_a_saved_file(metrics: pd.DataFrame, tmp_path) -> None:
    path = tmp_path / "m.csv"
    indexed = metrics.set_index(["module", "channel"])
    indexed.to_csv(path)
    assert all(_points(q.module_metrics, (indexed, path)).values())
    metrics.head(3).to_csv(path, index=False)
    met = _points(q.module_metrics, (metrics, path))
    assert not met["the table is saved to output/module_metrics.csv"] and sum(met.values()) == 3


def test_percentages_are_not_fractions(metrics: pd.DataFrame, tmp_path) -> None:
    percent = metrics.assign(resolution_rate=metrics["resolution_rate"] * 100)
    percent.to_csv(tmp_path / "m.csv", index=False)
    assert not _points(q.module_metrics, (percent, tmp_path / "m.csv"))[
        "each pair's resolution rate is right (a fraction, three decimals)"]


def test_each_decoy_picks_another_pair(metrics: pd.DataFrame) -> None:
    data = q.truth()
    big = metrics[metrics["sessions"] >= sb.MIN_SESSIONS]
    right = big.loc[big["resolution_rate"].idxmin()]
    assert (right["module"], right["channel"]) == data.hot_spot
    assert all(_points(q.worst_module, (_worst(metrics, right), metrics)).values())
    unresolved = metrics["sessions"] * (1 - metrics["resolution_rate"])
    decoys = [metrics.loc[unresolved.idxmax()], metrics.loc[metrics["resolution_rate"].idxmin()]]
    for row in decoys:
        met = _points(q.worst_module, (_worst(metrics, row), metrics))
        assert not met["the (module, channel) with the lowest resolution rate is found"]
        assert met["evidence: that pair's resolution rate and sessions are right"]


def test_a_wrong_metrics_table_names_task_6(metrics: pd.DataFrame) -> None:
    inverted = metrics.assign(resolution_rate=1 - metrics["resolution_rate"])
    row = inverted.loc[inverted["resolution_rate"].idxmin()]
    result = q.worst_module.evaluate((_worst(inverted, row), inverted))
    assert any("fix Task 6 first" in line for line in result.lines)


def test_the_main_reason_is_the_pairs_own(metrics: pd.DataFrame) -> None:
    data = q.truth()
    row = metrics.set_index(["module", "channel"]).loc[data.hot_spot]
    answer = _worst(metrics, pd.Series({"module": data.hot_spot[0], "channel": data.hot_spot[1], **row}))
    assert answer["main_reason"] == data.hot_reason
    wrong = {**answer, "main_reason": "意图识别错误"}
    assert not _points(q.worst_module, (wrong, metrics))[
        "why: the most common fail reason among that pair's unresolved sessions"]


# --- the generator ---------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [sb.DEFAULT_SEED, *range(1, 16)])
def test_planted_effects_hold_with_a_margin(seed: int) -> None:
    data = sb.build(seed)
    log = data.log.assign(bad=data.log["resolved"] == "否")
    groups = log.groupby(["module", "channel"])["bad"].agg(["size", "sum", "mean"])
    big = groups[groups["size"] >= sb.MIN_SESSIONS]
    assert big["mean"].idxmax() == data.hot_spot
    assert big["mean"].drop(index=[data.hot_spot]).max() < big.loc[data.hot_spot, "mean"] - 0.05
    assert groups["mean"].idxmax() == data.tiny and groups.loc[data.tiny, "size"] < sb.MIN_SESSIONS
    assert groups["sum"].idxmax() != data.hot_spot
    assert groups.loc[data.busiest, "sum"] > groups.loc[data.hot_spot, "sum"]
    by_module = log.groupby("module")["bad"].mean()
    assert by_module.idxmax() == data.worst_module_overall != data.hot_spot[0]
    failed = log[log["bad"] & (log["module"] == data.hot_spot[0]) & (log["channel"] == data.hot_spot[1])]
    counts = failed["fail_reason"].value_counts()
    assert counts.index[0] == data.hot_reason and counts.iloc[0] > 2 * counts.iloc[1]
    flagged = sb.rule_breaks(data.batch).any(axis=1)
    assert set(data.batch.loc[flagged, "session_id"]) == set(data.broken)
    assert set(data.log["session_id"]).isdisjoint(data.batch["session_id"])


def test_variants_are_reproducible_and_differ_by_seed() -> None:
    a, b, c = sb.build(7), sb.build(7), sb.build(8)
    pd.testing.assert_frame_equal(a.log, b.log)
    pd.testing.assert_frame_equal(a.batch, b.batch)
    assert not a.log.equals(c.log) and a.broken.keys() != c.broken.keys()


def test_committed_files_are_the_generators_output() -> None:
    data = sb.variant()
    log = pd.read_csv(dataset_file("service_bot", sb.LOG_NAME), parse_dates=["start_time"])
    batch = pd.read_csv(dataset_file("service_bot", f"incoming/{sb.BATCH_NAME}"), parse_dates=["start_time"])
    pd.testing.assert_frame_equal(log, data.log, check_dtype=False)
    pd.testing.assert_frame_equal(batch, data.batch, check_dtype=False)
    assert sb.log_file() == dataset_file("service_bot", sb.LOG_NAME)
    assert sb.log_file(5).name.startswith("service_log_5_")


def test_the_flowchart_is_shown_as_a_diagram() -> None:
    bundle = q.show_flowchart(FLOW)._repr_mimebundle_()
    assert bundle["text/vnd.mermaid"] == FLOW.strip()
    assert bundle["text/markdown"].startswith("```mermaid\nflowchart TD")
    assert q.show_flowchart(None) is None and q.show_flowchart("  ") is None
