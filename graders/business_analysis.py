"""Checks for the L3 business-analysis lab (skill units 1.1 and 1.2).

The data are the customer-service robot's month of sessions and a new batch of records
(:mod:`trainerlab.datagen.service_bot`, drawn from ``TRAINERLAB_SEED``). Every expected value is
recomputed from the learner's variant; later steps are judged on the learner's own earlier result
(error carried forward), and row order, index and container never matter.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graders import mermaid
from graders.answers import as_number, require_answer, require_file, require_frame, require_mapping, unpack
from graders.checking import (
    Lab,
    Msg,
    Problem,
    RubricPoint,
    Task,
    WrittenTask,
    criterion,
    fix_first,
)
from graders.frames import is_in
from trainerlab.datagen import service_bot as sb
from trainerlab.variants import current_seed

LEVEL = "L3"
ID = "session_id"
GROUP = ["module", "channel"]
#: The statement asks for shares and rates to at least three decimals.
RATE_TOLERANCE = 5e-4 + 1e-9


def truth() -> sb.ServiceData:
    """The variant this notebook works on (``TRAINERLAB_SEED``, else the bundled data)."""
    return sb.variant(current_seed())


def log_path() -> Path:
    """The month's session log of this notebook's variant."""
    return sb.log_file(current_seed())


def batch_path() -> Path:
    """The batch of new records of this notebook's variant."""
    return sb.batch_file(current_seed())


class Flowchart:
    """A Mermaid flowchart shown as a diagram: JupyterLab (≥ 4.1) draws ``text/vnd.mermaid`` and
    ```mermaid blocks in Markdown; other front ends show the Markdown or the source."""

    def __init__(self, source: str) -> None:
        self.source = source.strip()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/vnd.mermaid": self.source, "text/markdown": f"```mermaid\n{self.source}\n```",
                "text/plain": self.source}


def show_flowchart(flow: str | None) -> Flowchart | None:
    """Show ``flow`` (Mermaid source) as a diagram; say so when there is no flowchart yet."""
    if not isinstance(flow, str) or not flow.strip():
        print("（还没有流程图 / no flowchart yet）")
        return None
    return Flowchart(flow)


def _ids_known(frame: pd.DataFrame, table: pd.DataFrame, name: str) -> pd.DataFrame:
    """The rows of ``table`` (indexed by session id) for each row of ``frame``."""
    ids = frame[ID].astype(str)
    unknown = ~is_in(ids, table.index)
    if unknown.any():
        raise Problem(f"{name} 中有 {int(unknown.sum())} 行的 session_id 不在数据里",
                      f"{int(unknown.sum())} rows of {name} have a session_id the data does not have")
    return table.loc[ids.to_numpy()]


# --- Task 1: rule labels and bins (1.1) ------------------------------------------------------------

def _log_by_id() -> pd.DataFrame:
    return truth().log.set_index(ID)


def _label_answer(answer: Any) -> pd.DataFrame:
    return require_frame(answer, columns=[ID, "risk", "turn_band"])


def _all_sessions(df: pd.DataFrame) -> bool:
    return len(df) == len(truth().log) and set(df[ID].astype(str)) == set(truth().log[ID])


def _risk_right(df: pd.DataFrame) -> bool:
    source = _ids_known(df, _log_by_id(), "labelled")
    expected = sb.high_risk(source["csat"], source["resolved"], source["turns"]).to_numpy()
    got = df["risk"].astype(str).to_numpy()
    if not set(got) <= {"high", "low"}:
        raise Problem("risk 只能是 'high' 或 'low'", "risk must be 'high' or 'low'")
    wrong = int(((got == "high") != expected).sum())
    if wrong:
        raise Problem(f"有 {wrong} 个会话的 risk 与规则不符（两个条件是“或”；未评分的会话只看第二个条件）",
                      f"{wrong} sessions have a risk that breaks the rule (the conditions are joined by OR; an "
                      f"unrated session is judged by the second condition only)")
    return True


def _bands_right(df: pd.DataFrame) -> bool:
    source = _ids_known(df, _log_by_id(), "labelled")
    expected = pd.cut(source["turns"], bins=sb.TURN_BINS, labels=sb.TURN_LABELS).astype(str).to_numpy()
    return bool((df["turn_band"].astype(str).to_numpy() == expected).all())


risk_labels = Task(
    grade_id="risk_labels",
    unit="1.1",
    level=LEVEL,
    title=Msg("按规则标注投诉风险并分段", "Label complaint risk by rule and band the turns"),
    prepare=_label_answer,
    criteria=[
        criterion("保留了日志中的每个会话", "every session of the log is kept", 0.5, visible=True,
                  fail=("labelled 应正好包含 log 的每个会话", "labelled should hold exactly the sessions of log"))(
            _all_sessions),
        criterion("风险标签符合规则", "risk labels follow the rule", 1.5,
                  fail=("有风险标签与规则不符", "some risk labels break the rule"))(_risk_right),
        criterion("对话轮数分段正确（右闭区间）", "turn bands are right (right-closed)", 1,
                  fail=("分段不对：检查区间边界和段名", "wrong bands: check the edges and labels"))(_bands_right),
    ],
    hints=[
        Msg("np.where(条件, 'high', 'low') 可以直接得到标签；pd.cut 默认就是右闭区间。",
            "np.where(condition, 'high', 'low') gives the labels; pd.cut bins are right-closed by default."),
        Msg("未评分的 csat 是缺失值：不要先把它填成 0，否则会被当成低分；分段边界是 [0, 3, 6, 10, 30]。",
            "An unrated csat is missing: do not fill it with 0 first, or it counts as a low rating; the band "
            "edges are [0, 3, 6, 10, 30]."),
    ],
)


# --- Task 2: shares per channel (1.1, judged on the learner's labelled) ----------------------------

def _share_answer(answer: Any) -> tuple[dict[str, float], pd.DataFrame]:
    share, labelled = unpack(answer, ["high_risk_share", "labelled"])
    if isinstance(share, pd.DataFrame) and share.shape[1] == 1:
        share = share.iloc[:, 0]
    share = require_mapping(share, keys=list(sb.CHANNELS))
    require_frame(labelled, columns=["channel", "risk"])
    return {str(k): as_number(v) for k, v in share.items()}, labelled


def _shares_right(answer: tuple[dict[str, float], pd.DataFrame]) -> bool:
    share, df = answer
    expected = (df["risk"].astype(str) == "high").groupby(df["channel"].astype(str)).mean()
    return all(abs(share[c] - expected.get(c, np.nan)) <= RATE_TOLERANCE for c in sb.CHANNELS)


risk_shares = Task(
    grade_id="risk_shares",
    unit="1.1",
    level=LEVEL,
    title=Msg("统计各渠道的高风险占比", "High-risk share per channel"),
    prepare=_share_answer,
    criteria=[
        criterion("每个渠道都有一个 0 到 1 之间的占比", "every channel has a share between 0 and 1", 0.5, visible=True,
                  fail=("占比应是 0–1 的小数，每个渠道一个", "shares must be fractions in 0–1, one per channel"))(
            lambda a: all(0 <= v <= 1 for v in a[0].values())),
        criterion("占比计算正确", "the shares are right", 1.5,
                  fail=("占比不对：分子是该渠道的高风险会话数，分母是该渠道的会话数",
                         "wrong shares: the channel's high-risk sessions divided by the channel's sessions"))(
            _shares_right),
    ],
    hints=[
        Msg("groupby('channel') 后对 (risk == 'high') 求 mean()。",
            "groupby('channel') and take the mean of (risk == 'high')."),
    ],
)


# --- Task 3: validity rules for incoming records (1.1) -------------------------------------------

def _validity_answer(answer: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    accepted, rejected, batch = unpack(answer, ["accepted", "rejected", "batch"])
    return (require_frame(accepted, columns=[ID]), require_frame(rejected, columns=[ID, "reason"], min_rows=0),
            require_frame(batch, columns=[ID]))


def _breaks() -> pd.DataFrame:
    batch = truth().batch
    return sb.rule_breaks(batch).set_axis(batch[ID].to_numpy())


def _rule_removed(answer: tuple[pd.DataFrame, ...], rule: str) -> bool:
    accepted = answer[0]
    left = _ids_known(accepted, _breaks(), "accepted")[rule]
    if left.any():
        raise Problem(f"accepted 中还有 {int(left.sum())} 条记录违反“{sb.RULES[rule][0]}”",
                      f"{int(left.sum())} records in accepted still break «{sb.RULES[rule][1]}»")
    return True


def _partition(answer: tuple[pd.DataFrame, ...]) -> bool:
    accepted, rejected, _ = answer
    breaks = _breaks()
    acc, rej = accepted[ID].astype(str), rejected[ID].astype(str)
    _ids_known(accepted, breaks, "accepted")
    _ids_known(rejected, breaks, "rejected")
    if acc.duplicated().any() or rej.duplicated().any() or set(acc) & set(rej):
        raise Problem("每条记录只能出现一次：要么在 accepted，要么在 rejected",
                      "each record appears once: in accepted or in rejected")
    lost = set(breaks.index[~breaks.any(axis=1)]) - set(acc)
    if lost:
        raise Problem(f"有 {len(lost)} 条符合所有规则的记录没有放进 accepted（注意边界值和空白的满意度）",
                      f"{len(lost)} records that meet every rule are not in accepted (mind the bounds and blank ratings)")
    if set(acc) | set(rej) != set(breaks.index):
        raise Problem("accepted 和 rejected 合起来应正好是 batch 的全部记录",
                      "accepted and rejected together should be exactly the records of batch")
    return True


def _reasons_right(answer: tuple[pd.DataFrame, ...]) -> bool:
    rejected = answer[1]
    breaks = _ids_known(rejected, _breaks(), "rejected")
    wrong = 0
    for reason, (_, broken) in zip(rejected["reason"], breaks.iterrows(), strict=True):
        named = {code for code in sb.RULES if code in str(reason)} if not pd.isna(reason) else set()
        wrong += not named or not named <= set(broken.index[broken.to_numpy()])
    if wrong:
        raise Problem(f"rejected 中有 {wrong} 条记录的 reason 没有写出它违反的规则代码",
                      f"{wrong} records of rejected have a reason that does not name a rule they break")
    return True


validity = Task(
    grade_id="validity_rules",
    unit="1.1",
    level=LEVEL,
    title=Msg("用校验规则审核新进记录", "Audit incoming records with validity rules"),
    prepare=_validity_answer,
    criteria=[
        *[criterion(f"已拦下违反“{zh}”的记录", f"records breaking «{en}» are rejected", 0.5,
                     fail=("有一条规则没有执行", "a rule is not applied"))(partial(_rule_removed, rule=code))
          for code, (zh, en) in sb.RULES.items()],
        criterion("合格记录全部接收，其余都在 rejected 中", "every valid record is accepted, the others rejected", 1,
                  fail=("接收与拒收的划分不对", "accepted and rejected do not split the batch right"))(_partition),
        criterion("每条拒收记录都写明了它违反的规则", "every rejected record names a rule it breaks", 1,
                  fail=("拒收原因不对", "wrong rejection reasons"))(_reasons_right),
    ],
    hints=[
        Msg("为每条规则建一个布尔列（True 表示违反），任一为 True 即拒收。",
            "Build one boolean column per rule (True = broken); reject a record when any is True."),
        Msg("30 轮、退款等于订单金额、满意度为空都是合格的；reason 可以用 ';'.join 拼出所有违反的规则代码。",
            "30 turns, a refund equal to the order value and a blank rating are all valid; ';'.join the codes "
            "of the broken rules for reason."),
    ],
)


# --- Task 4: the collection -> processing -> audit flow as a Mermaid flowchart (1.1) ---------------

#: Stage -> (zh name, en name, words that name it in a node's text).
STAGES = {
    "collect": ("采集", "collection", ("采集", "收集", "接收", "接入", "collect", "intake", "receive", "ingest")),
    "process": ("处理/校验", "processing or validation",
                ("处理", "清洗", "校验", "检查", "process", "clean", "validat", "check")),
    "audit": ("审核", "audit", ("审核", "复核", "审查", "audit", "review")),
    "store": ("入库", "storage", ("入库", "落库", "存储", "保存", "归档", "仓库", "store", "save", "load", "warehouse", "publish")),
}
NEGATIVE = ("否", "不", "失败", "拒", "异常", "退回", "no", "fail", "reject", "invalid")
REASON = ("原因", "理由", "说明", "反馈", "问题清单", "reason", "why", "feedback", "explain")


def _has(text: str, words: tuple[str, ...]) -> bool:
    text = text.lower()
    return any(w in text for w in words)


def _flow_answer(answer: Any) -> mermaid.Flowchart:
    text = require_answer(answer)
    if not isinstance(text, str):
        raise Problem(f"flow 应是一个字符串（Mermaid 源码），实际得到 {type(text).__name__}",
                      f"flow should be a string (Mermaid source), got {type(text).__name__}")
    try:
        return mermaid.parse(text)
    except mermaid.MermaidError as error:
        where = f"第 {error.line} 行：" if error.line else ""
        raise Problem(f"流程图无法解析（{where}{error.message}）",
                      f"the flowchart does not parse ({error})") from None


def _stages_present(chart: mermaid.Flowchart) -> bool:
    texts = [n.text for n in chart.nodes.values()]
    missing = [s for s, (_, _, words) in STAGES.items() if not any(_has(t, words) for t in texts)]
    if missing:
        raise Problem("缺少这些环节：" + "、".join(STAGES[s][0] for s in missing),
                      "these stages are missing: " + ", ".join(STAGES[s][1] for s in missing))
    return True


def _decisions_branch(chart: mermaid.Flowchart) -> bool:
    decisions = chart.decisions()
    if not decisions:
        raise Problem("没有判断节点：用 {…} 画出“是否通过校验/审核”",
                      "no decision node: draw «passes the checks / the audit?» as {…}")
    for node in decisions:
        labels = [e.label for e in chart.outgoing(node.id)]
        if len(labels) < 2 or not all(labels) or len(set(labels)) < len(labels):
            raise Problem(f"判断节点“{node.text}”应有至少两个分支，每个分支都标注不同的条件（如 |是| 和 |否|）",
                          f"the decision «{node.text}» needs at least two branches, each labelled differently "
                          f"(e.g. |yes| and |no|)")
    return True


def _paths_end(chart: mermaid.Flowchart) -> bool:
    ends = chart.ends()
    if not ends:
        raise Problem("流程没有终点：至少要有一个节点不再连出", "the flow has no end: some node must have no link out")
    stuck = [n.text for n in chart.nodes.values() if not chart.reachable(n.id) & ends]
    if stuck:
        raise Problem(f"从这些节点出发走不到终点（死循环）：{stuck}",
                      f"no path from these nodes reaches an end (an endless loop): {stuck}")
    orphans = set(chart.nodes) - set().union(*(chart.reachable(s) for s in chart.starts()))
    if orphans:
        raise Problem(f"这些节点从起点走不到：{sorted(chart.nodes[o].text for o in orphans)}",
                      f"no path from the start reaches these nodes: {sorted(chart.nodes[o].text for o in orphans)}")
    return True


def _routed_back(chart: mermaid.Flowchart) -> bool:
    collect = {n.id for n in chart.nodes.values() if _has(n.text, STAGES["collect"][2])}
    for node in chart.decisions():
        for edge in chart.outgoing(node.id):
            if not _has(edge.label, NEGATIVE):
                continue
            # walk on from the rejected branch, remembering whether a reason has been given
            start = (edge.target, _has(edge.label, REASON) or _has(chart.nodes[edge.target].text, REASON))
            seen, todo = {start}, [start]
            while todo:
                here, reason = todo.pop()
                if here in collect and reason:
                    return True
                for step in chart.outgoing(here):
                    state = (step.target, reason or _has(step.label, REASON)
                             or _has(chart.nodes[step.target].text, REASON))
                    if state not in seen:
                        seen.add(state)
                        todo.append(state)
    raise Problem("没有看到“不通过”的记录带着原因退回采集环节（不通过的分支应经过写明原因的步骤回到采集）",
                  "rejected records are not routed back to collection with a reason (the «no» branch should "
                  "lead back to collection through a step or label that gives the reason)")


flow_structure = Task(
    grade_id="flow_structure",
    unit="1.1",
    level=LEVEL,
    title=Msg("用 Mermaid 画出新数据的采集、处理与审核流程", "Draw the collection, processing and audit flow in Mermaid"),
    prepare=_flow_answer,
    criteria=[
        criterion("采集、处理/校验、审核、入库四个环节齐全", "collection, processing/validation, audit and storage are all there",
                  1.5, visible=True, fail=("环节不全", "stages are missing"))(_stages_present),
        criterion("每个判断节点都有两个以上标注了条件的分支", "every decision has two or more labelled branches", 1.5,
                  fail=("判断分支不完整", "a decision's branches are incomplete"))(_decisions_branch),
        criterion("每条路径都能走到终点", "every path reaches an end", 1,
                  fail=("有路径走不到终点", "some path never ends"))(_paths_end),
        criterion("不合格记录带着原因退回采集环节", "rejected records go back to collection with a reason", 1,
                  fail=("不合格记录没有带原因退回", "rejected records are not sent back with a reason"))(_routed_back),
    ],
    hints=[
        Msg("先写 flowchart TD，再一行一条连线：A[采集] --> B{校验通过?}；判断节点用 {…}，分支写成 -->|是| 和 -->|否|。",
            "Start with flowchart TD, then one link per line: A[collect] --> B{checks pass?}; decisions use {…}, "
            "branches -->|yes| and -->|no|."),
        Msg("“否”分支先到一个写明原因的节点（如 R[退回并注明原因]），再连回采集节点；最后要有一个不再连出的终点节点。",
            "Lead the «no» branch to a node that gives the reason (R[send back with the reason]) and from there "
            "back to collection; end with a node that has no link out."),
    ],
)


# --- Task 5: the metric per module and channel (1.2, timed section) --------------------------------

def _metrics_frame(metrics: Any) -> pd.DataFrame:
    metrics = require_frame(metrics, min_rows=1)
    if not set(GROUP) <= set(metrics.columns):
        metrics = metrics.reset_index()
    return require_frame(metrics, columns=[*GROUP, "sessions", "resolution_rate"])


def _metrics_answer(answer: Any) -> tuple[pd.DataFrame, Path]:
    metrics, path = unpack(answer, ["metrics", "METRICS_PATH"])
    return _metrics_frame(metrics), require_file(path, suffix=".csv")


def _true_metrics() -> pd.DataFrame:
    log = truth().log
    return (log.assign(ok=log["resolved"] == sb.RESOLVED).groupby(GROUP)["ok"]
            .agg(sessions="size", resolution_rate="mean"))


def _keyed(metrics: pd.DataFrame) -> pd.DataFrame:
    keyed = metrics.assign(**{c: metrics[c].astype(str) for c in GROUP}).set_index(GROUP)
    if keyed.index.duplicated().any():
        raise Problem("每个（模块，渠道）组合只能有一行", "each (module, channel) pair must have one row")
    return keyed


def _groups_right(answer: tuple[pd.DataFrame, Path]) -> bool:
    return set(_keyed(answer[0]).index) == set(_true_metrics().index)


def _column_right(metrics: pd.DataFrame, column: str, tolerance: float) -> bool:
    keyed, expected = _keyed(metrics), _true_metrics()
    common = keyed.index.intersection(expected.index)
    if len(common) < len(expected):
        raise Problem("先让每个（模块，渠道）组合各占一行", "first give every (module, channel) pair its row")
    got = pd.to_numeric(keyed.loc[common, column], errors="coerce").to_numpy(dtype="float64")
    return bool((np.abs(got - expected.loc[common, column].to_numpy(dtype="float64")) <= tolerance).all())


def _file_right(answer: tuple[pd.DataFrame, Path]) -> bool:
    metrics, path = answer
    saved = _metrics_frame(pd.read_csv(path, encoding="utf-8-sig"))
    mine, theirs = _keyed(metrics), _keyed(saved)
    if set(mine.index) != set(theirs.index):
        raise Problem("文件中的组合与 metrics 不一致", "the file's pairs differ from metrics")
    for column in ("sessions", "resolution_rate"):
        a = pd.to_numeric(mine[column], errors="coerce").to_numpy(dtype="float64")
        b = pd.to_numeric(theirs.loc[mine.index, column], errors="coerce").to_numpy(dtype="float64")
        if not np.allclose(a, b, atol=RATE_TOLERANCE, equal_nan=True):
            raise Problem(f"文件中的 {column} 与 metrics 不一致", f"the file's {column} differs from metrics")
    return True


module_metrics = Task(
    grade_id="module_metrics",
    unit="1.2",
    level=LEVEL,
    title=Msg("按模块和渠道计算解决率", "Resolution rate per module and channel"),
    prepare=_metrics_answer,
    criteria=[
        criterion("每个（模块，渠道）组合各一行", "one row per (module, channel) pair", 1, visible=True,
                  fail=("组合不对：按模块和渠道两列分组", "wrong pairs: group by both module and channel"))(
            _groups_right),
        criterion("每组的会话数正确", "each pair's number of sessions is right", 1,
                  fail=("会话数不对", "wrong numbers of sessions"))(lambda a: _column_right(a[0], "sessions", 0)),
        criterion("每组的解决率正确（0–1 的小数，至少三位）", "each pair's resolution rate is right (a fraction, three decimals)",
                  3, fail=("解决率不对：已解决会话数 ÷ 该组会话数", "wrong rates: resolved sessions ÷ the pair's sessions"))(
            lambda a: _column_right(a[0], "resolution_rate", RATE_TOLERANCE)),
        criterion("表已保存到 output/module_metrics.csv", "the table is saved to output/module_metrics.csv", 1,
                  fail=("文件与 metrics 不一致：用 to_csv(METRICS_PATH, index=False)",
                         "the file differs from metrics: use to_csv(METRICS_PATH, index=False)"))(_file_right),
    ],
    hints=[
        Msg("先建一列 ok = (resolved == '是')，再 groupby(['module', 'channel'])['ok'].agg(...)。",
            "Make a column ok = (resolved == '是'), then groupby(['module', 'channel'])['ok'].agg(...)."),
        Msg("agg(sessions='size', resolution_rate='mean') 一步得到两列；reset_index() 后保存。",
            "agg(sessions='size', resolution_rate='mean') gives both columns; reset_index() before saving."),
    ],
)


# --- Task 6: the worst module found with evidence (1.2, judged on the learner's metrics) ----------

WORST_KEYS = ["module", "channel", "resolution_rate", "sessions", "main_reason"]


def _worst_answer(answer: Any) -> tuple[dict[str, Any], pd.DataFrame]:
    worst, metrics = unpack(answer, ["worst", "metrics"])
    return dict(require_mapping(worst, keys=WORST_KEYS)), _metrics_frame(metrics)


def _true_worst() -> tuple[str, str]:
    expected = _true_metrics()
    return expected[expected["sessions"] >= sb.MIN_SESSIONS]["resolution_rate"].idxmin()


def _metrics_match_truth(metrics: pd.DataFrame) -> bool:
    try:
        return (_column_right(metrics, "sessions", 0) and _column_right(metrics, "resolution_rate", RATE_TOLERANCE)
                and len(_keyed(metrics)) == len(_true_metrics()))
    except Problem:
        return False


def _chosen(worst: dict[str, Any]) -> tuple[str, str]:
    return str(worst["module"]), str(worst["channel"])


def _worst_found(answer: tuple[dict[str, Any], pd.DataFrame]) -> bool:
    worst, metrics = answer
    if _chosen(worst) == _true_worst():
        return True
    if not _metrics_match_truth(metrics):
        raise fix_first("任务 6", "Task 6")
    raise Problem(f"这不是解决率最低的组合：只比较会话数不少于 {sb.MIN_SESSIONS} 的组，比较的是比率而不是未解决的个数",
                  f"this is not the pair with the lowest resolution rate: compare only pairs with at least "
                  f"{sb.MIN_SESSIONS} sessions, and compare rates, not counts of unresolved sessions")


def _evidence_right(answer: tuple[dict[str, Any], pd.DataFrame]) -> bool:
    worst = answer[0]
    expected = _true_metrics()
    if _chosen(worst) not in expected.index:
        raise Problem("worst 中的模块和渠道不在数据里", "worst names a module and channel the data does not have")
    row = expected.loc[_chosen(worst)]
    return (abs(as_number(worst["resolution_rate"]) - row["resolution_rate"]) <= RATE_TOLERANCE
            and as_number(worst["sessions"]) == row["sessions"])


def _reason_right(answer: tuple[dict[str, Any], pd.DataFrame]) -> bool:
    worst = answer[0]
    log = truth().log
    module, channel = _chosen(worst)
    failed = log[(log["module"] == module) & (log["channel"] == channel) & (log["resolved"] == sb.UNRESOLVED)]
    counts = failed["fail_reason"].value_counts()
    if counts.empty:
        raise Problem("所选组合没有未解决的会话", "the chosen pair has no unresolved sessions")
    return str(worst["main_reason"]) in set(counts.index[counts == counts.max()])


worst_module = Task(
    grade_id="worst_module",
    unit="1.2",
    level=LEVEL,
    title=Msg("找出表现最差的模块及原因", "Find the worst-performing module and why"),
    prepare=_worst_answer,
    criteria=[
        criterion("找到了解决率最低的（模块，渠道）", "the (module, channel) with the lowest resolution rate is found", 3,
                  fail=("最差的组合找错了", "the wrong pair"))(_worst_found),
        criterion("证据：该组的解决率和会话数正确", "evidence: that pair's resolution rate and sessions are right", 2,
                  fail=("该组的解决率或会话数不对", "that pair's rate or number of sessions is wrong"))(_evidence_right),
        criterion("原因：该组未解决会话中最常见的失败原因", "why: the most common fail reason among that pair's unresolved sessions",
                  2, fail=("主要原因不对：只看所选组合中未解决的会话", "wrong main reason: look only at the chosen pair's "
                            "unresolved sessions"))(_reason_right),
    ],
    hints=[
        Msg(f"先筛出 sessions ≥ {sb.MIN_SESSIONS} 的组合，再按 resolution_rate 排序；未解决的个数多不代表比率低。",
            f"Keep pairs with sessions ≥ {sb.MIN_SESSIONS}, then sort by resolution_rate; many unresolved sessions "
            f"do not mean a low rate."),
        Msg("原因：在 log 中筛出该模块、该渠道且 resolved == '否' 的会话，对 fail_reason 做 value_counts()。",
            "Why: take that module and channel's sessions with resolved == '否' and value_counts() their fail_reason."),
    ],
)


# --- Written answers, graded by hand ----------------------------------------------------------------

flow_wording = WrittenTask(
    grade_id="flow_wording",
    unit="1.1",
    level=LEVEL,
    title=Msg("流程说明", "The flow in words"),
    rubric=[
        RubricPoint(Msg("每个环节写明做什么、由谁（系统或岗位）完成", "says what each stage does and who does it (system or role)"), 1),
        RubricPoint(Msg("判断条件引用了任务 3 的校验规则和人工审核的触发条件", "decisions cite Task 3's rules and when a human audits"), 1),
        RubricPoint(Msg("退回记录带原因代码，说明由谁修正、修正后如何重新进入流程", "rejected records carry reason codes, with who fixes them and how they re-enter"), 1),
    ],
)

optimisation_plan = WrittenTask(
    grade_id="optimisation_plan",
    unit="1.2",
    level=LEVEL,
    title=Msg("AI 优化方案与测试计划", "AI optimisation and test plan"),
    rubric=[
        RubricPoint(Msg("用数据说明问题：模块、渠道、解决率与其他组对比、主要失败原因",
                        "states the problem with evidence: module, channel, rate against the others, main reason"), 2),
        RubricPoint(Msg("优化针对原因（如识别该渠道的订单号格式、补充训练样本或知识、调整转人工规则），可落地",
                        "the optimisation targets the cause (e.g. parse the channel's order-number format, add training "
                        "samples or knowledge, change the handoff rule) and is feasible"), 3),
        RubricPoint(Msg("评估指标与基线：解决率及当前值，辅以满意度、转人工率等护栏指标",
                        "metric and baseline: the resolution rate and its current value, with guardrails such as csat "
                        "and handoff rate"), 2),
        RubricPoint(Msg("测试设计：留出的标注测试集或 A/B 分流（按用户随机、比例、时长/样本量）",
                        "test design: a held-out labelled test set or an A/B split (random by user, ratio, duration or "
                        "sample size)"), 3),
        RubricPoint(Msg("成功阈值与上线/回滚条件（如解决率 ≥ 0.75 且其他组不下降）",
                        "success threshold and go-live or roll-back rule (e.g. rate ≥ 0.75 with no other pair worse)"), 2),
    ],
)

LAB = Lab(
    assignment="business_analysis",
    notebook="business_analysis_l3.ipynb",
    level=LEVEL,
    summary=Msg(
        "智能客服日志：规则标注与分段、各渠道占比、新进记录校验规则、用 Mermaid 画采集—处理—审核流程（结构自动评分）、"
        "按模块和渠道计算解决率、找出最差模块及原因、AI 优化与测试计划（30 分钟限时练习）",
        "a customer-service robot's log: rule labels and bands, shares per channel, validity rules for incoming "
        "records, the collection-processing-audit flow drawn in Mermaid (structure autograded), resolution rate per "
        "module and channel, the worst module and why, an AI optimisation and test plan (30-minute timed practice)"),
    tasks=[risk_labels, risk_shares, validity, flow_structure, flow_wording, module_metrics, worst_module,
           optimisation_plan],
)
