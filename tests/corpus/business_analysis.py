"""Whole answers of the business-analysis lab, graded end to end through nbgrader (see ``class_runs``).

Alternatives reach every answer by another correct route (row-wise rules, other containers and
dtypes, sorted rows, another grouping tool, rounded numbers, another Mermaid syntax). Wrong answers
make real mistakes the statements rule out; mistakes on tasks that do not build on each other share
a notebook, and a wrong metrics table (Task 6) makes Task 7 name Task 6 to fix (error carried forward).
"""

from __future__ import annotations

from textwrap import dedent

from class_runs import Case

BANDS = 'bins=[0, 3, 6, 10, 30], labels=["1-3", "4-6", "7-10", "11-30"]'


def risk_with(high: str, bands: str = BANDS) -> str:
    """Task 1 with the rule written as ``high`` (on ``l``, the copy) and ``pd.cut`` arguments ``bands``."""
    return dedent(f'''\
        labelled = log.copy()
        l = labelled
        labelled["risk"] = np.where({high}, "high", "low")
        labelled["turn_band"] = pd.cut(labelled["turns"], {bands})
        ''')


def validity_with(turns: str, csat: str, refund: str, channel: str,
                  reason: str = '";".join(row.index[row])') -> str:
    """Task 3 with each rule's *break* written as an expression on ``b`` (the batch)."""
    return dedent(f'''\
        b = batch
        breaks = pd.DataFrame({{"turns": {turns}, "csat": {csat}, "refund": {refund}, "channel": {channel}}})
        bad = breaks.any(axis=1)
        accepted = batch[~bad].copy()
        rejected = batch[bad].copy()
        rejected["reason"] = breaks[bad].apply(lambda row: {reason}, axis=1)
        ''')


SOLUTION_VALIDITY = validity_with('~(b["turns"].between(1, 30) & (b["turns"] % 1 == 0))',
                                  'b["csat"].notna() & ~b["csat"].isin([1, 2, 3, 4, 5])',
                                  'b["refund_amount"] > b["order_value"]',
                                  '~b["channel"].isin(["App", "小程序", "网页"])')


def flow(source: str) -> str:
    """Task 4's answer cell holding ``source`` as the Mermaid text."""
    return f'flow = """\n{dedent(source).strip()}\n"""\nq.show_flowchart(flow)\n'


SOLUTION_FLOW = flow('''\
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
    ''')

SOLUTION_METRICS = dedent('''\
    metrics = (log.assign(ok=log["resolved"] == "是")
               .groupby(["module", "channel"])["ok"]
               .agg(sessions="size", resolution_rate="mean")
               .reset_index())
    metrics.to_csv(METRICS_PATH, index=False)
    ''')


def metrics_as(rate: str, saved: str = "metrics") -> str:
    """Task 6 with ``resolution_rate`` computed by ``rate`` (on ``g``, the grouped ``ok`` column)."""
    return dedent(f'''\
        g = log.assign(ok=log["resolved"] == "是").groupby(["module", "channel"])["ok"]
        metrics = pd.DataFrame({{"sessions": g.size(), "resolution_rate": {rate}}}).reset_index()
        {saved}.to_csv(METRICS_PATH, index=False)
        ''')


PAIR_FAILED = ('log[(log["module"] == row["module"]) & (log["channel"] == row["channel"]) '
               '& (log["resolved"] == "否")]')


def worst_from(pick: str, reasons: str = PAIR_FAILED) -> str:
    """Task 7 with the chosen row of ``metrics`` given by ``pick`` and the failed sessions by ``reasons``."""
    return dedent(f'''\
        row = {pick}
        failed = {reasons}
        worst = {{"module": row["module"], "channel": row["channel"],
                 "resolution_rate": row["resolution_rate"], "sessions": row["sessions"],
                 "main_reason": failed["fail_reason"].value_counts().idxmax()}}
        ''')


BY_RATE = 'metrics[metrics["sessions"] >= 50].sort_values("resolution_rate").iloc[0]'
# the pair with the most unresolved sessions (counting instead of rates)
BY_COUNT = ('metrics.assign(unresolved=metrics["sessions"] * (1 - metrics["resolution_rate"]))'
            '.sort_values("unresolved").iloc[-1]')

CASES = [
    Case("row_wise_rules", "alternative", {
        "risk_labels_answer": dedent('''\
            def risk_of(row):
                low_rating = not pd.isna(row["csat"]) and row["csat"] <= 2
                stuck = row["resolved"] == "否" and row["turns"] > 8
                return "high" if low_rating or stuck else "low"

            labelled = log.assign(risk=log.apply(risk_of, axis=1))
            labelled["turn_band"] = np.select(
                [labelled["turns"] <= 3, labelled["turns"] <= 6, labelled["turns"] <= 10],
                ["1-3", "4-6", "7-10"], default="11-30")
            '''),
        "risk_shares_answer": ('high_risk_share = pd.crosstab(labelled["channel"], labelled["risk"], '
                               'normalize="index")["high"].to_dict()\n'),
        "validity_rules_answer": dedent('''\
            def broken_rules(r):
                codes = []
                if not (1 <= r["turns"] <= 30 and float(r["turns"]).is_integer()):
                    codes.append("turns")
                if not pd.isna(r["csat"]) and r["csat"] not in (1, 2, 3, 4, 5):
                    codes.append("csat")
                if r["refund_amount"] > r["order_value"]:
                    codes.append("refund")
                if r["channel"] not in {"App", "小程序", "网页"}:
                    codes.append("channel")
                return codes

            codes = batch.apply(broken_rules, axis=1)
            bad = codes.str.len() > 0
            accepted = batch[~bad]
            rejected = batch[bad].assign(reason=codes[bad].str[0])
            '''),
        "flow_structure_answer": flow('''\
            graph LR
              start((start)) --> collect[Collect records from the order system]
              collect --> clean[Clean and validate]
              clean --> ok{All rules pass?}
              ok -- yes --> review[Human review of a sample]
              ok -- no --> back[Return with reason codes] --> collect
              review --> good{Review OK?}
              good -- pass --> store[(Store in the warehouse)]
              good -- fail --> back
              store --> done([done])
            '''),
        "module_metrics_answer": dedent('''\
            grouped = log.groupby(["module", "channel"])
            metrics = pd.DataFrame({"sessions": grouped.size(),
                                    "resolution_rate": grouped["resolved"].apply(
                                        lambda s: (s == "是").mean())})
            metrics.to_csv(METRICS_PATH)
            '''),
        "worst_module_answer": dedent('''\
            ranked = metrics.query("sessions >= 50").sort_values("resolution_rate")
            (module, channel), top = ranked.index[0], ranked.iloc[0]
            pair = (log["module"] == module) & (log["channel"] == channel)
            reasons = log.loc[pair & (log["resolved"] != "是"), "fail_reason"]
            worst = {"module": module, "channel": channel,
                     "resolution_rate": round(top["resolution_rate"], 3),
                     "sessions": int(top["sessions"]), "main_reason": reasons.mode()[0]}
            '''),
    }),
    Case("sorted_rows_and_other_tools", "alternative", {
        "risk_labels_answer": dedent('''\
            labelled = log.sort_values("turns", ascending=False).reset_index(drop=True)
            rated_low = labelled["csat"].le(2)
            stuck = labelled["resolved"].eq("否") & labelled["turns"].gt(8)
            labelled["risk"] = (rated_low | stuck).map({True: "high", False: "low"}).astype("string")
            labelled["turn_band"] = pd.cut(labelled["turns"], [0, 3, 6, 10, 30],
                                           labels=["1-3", "4-6", "7-10", "11-30"]).astype("string")
            '''),
        "risk_shares_answer": ('high_risk_share = {ch: float((g["risk"] == "high").mean()) '
                               'for ch, g in labelled.groupby("channel")}\n'),
        "validity_rules_answer": dedent('''\
            turns = batch["turns"]
            turns_ok = turns.ge(1) & turns.le(30) & turns.eq(turns.round())
            csat_ok = batch["csat"].isna() | batch["csat"].isin(range(1, 6))
            refund_ok = batch["refund_amount"].le(batch["order_value"])
            channel_ok = batch["channel"].isin(["App", "小程序", "网页"])
            ok = turns_ok & csat_ok & refund_ok & channel_ok
            accepted = batch.loc[ok].reset_index(drop=True)
            rejected = batch.loc[~ok].copy()
            rejected["reason"] = np.select([~turns_ok[~ok], ~csat_ok[~ok], ~refund_ok[~ok]],
                                           ["turns", "csat", "refund"], default="channel")
            '''),
        "flow_structure_answer": flow('''\
            flowchart TB
                %% 新进会话数据 / incoming session data
                subgraph intake [采集层]
                    A1[系统推送] & A2[人工补录] --> C[数据采集与登记]
                end
                C --> Q[清洗处理]
                Q --> V{"规则校验"}
                V -->|不通过：附违反规则的原因| F[问题数据台账]
                F -.-> C
                V -->|通过| H{质检员审核}
                H ==>|退回| F
                H ==>|合格| W[[写入数据仓库]]
                W --> X((完成))
                classDef bad fill:#fdd
                class F bad
            '''),
        "module_metrics_answer": dedent('''\
            counts = pd.crosstab([log["module"], log["channel"]], log["resolved"])
            metrics = pd.DataFrame({"sessions": counts.sum(axis=1),
                                    "resolution_rate": counts["是"] / counts.sum(axis=1)}).reset_index()
            metrics = metrics.sample(frac=1, random_state=0)
            metrics.to_csv(METRICS_PATH, index=False, encoding="utf-8-sig")
            '''),
        "worst_module_answer": dedent('''\
            row = metrics[metrics["sessions"] >= 50].nsmallest(1, "resolution_rate").iloc[0]
            sub = log.query("module == @row.module and channel == @row.channel and resolved == '否'")
            worst = pd.Series({"module": row["module"], "channel": row["channel"],
                               "resolution_rate": row["resolution_rate"], "sessions": row["sessions"],
                               "main_reason": sub["fail_reason"].value_counts().index[0]})
            '''),
    }),
    Case("masks_and_rounding", "alternative", {
        "risk_labels_answer": dedent('''\
            labelled = log.copy()
            labelled["risk"] = "low"
            labelled.loc[labelled["csat"].notna() & (labelled["csat"] <= 2), "risk"] = "high"
            labelled.loc[(labelled["resolved"] == "否") & (labelled["turns"] >= 9), "risk"] = "high"
            labelled["turn_band"] = pd.cut(labelled["turns"], bins=[0, 3, 6, 10, 30],
                                           labels=["1-3", "4-6", "7-10", "11-30"], include_lowest=True)
            '''),
        "risk_shares_answer": ('high_risk_share = labelled.groupby("channel")["risk"]'
                               '.value_counts(normalize=True).xs("high", level="risk").round(4)\n'),
        "validity_rules_answer": dedent('''\
            kept, dropped = [], []
            for r in batch.itertuples(index=False):
                codes = []
                if r.turns < 1 or r.turns > 30 or r.turns != int(r.turns):
                    codes.append("turns")
                if r.csat == r.csat and r.csat not in {1.0, 2.0, 3.0, 4.0, 5.0}:
                    codes.append("csat")
                if r.refund_amount > r.order_value:
                    codes.append("refund")
                if r.channel not in ("App", "小程序", "网页"):
                    codes.append("channel")
                (dropped if codes else kept).append({**r._asdict(), "reason": ", ".join(codes)})
            accepted = pd.DataFrame(kept).drop(columns="reason")
            rejected = pd.DataFrame(dropped)
            '''),
        "flow_structure_answer": flow('''\
            flowchart LR; a[接收新数据 receive] --> b[数据处理与校验]; b --> c{通过?}
            c -->|不合格| d[生成退回单并说明原因]
            d --> a
            c -->|合格| e[审核员复核]
            e --> f{复核结论}
            f -->|驳回| d
            f -->|同意| g[(保存入库)]
            g --> h[流程结束]
            '''),
        "module_metrics_answer": dedent('''\
            flags = log.assign(resolved_flag=(log["resolved"] == "是").astype(int))
            totals = flags.groupby(["module", "channel"], as_index=False).agg(
                sessions=("session_id", "count"), resolved_n=("resolved_flag", "sum"))
            totals["resolution_rate"] = (totals["resolved_n"] / totals["sessions"]).round(4)
            metrics = totals[["module", "channel", "sessions", "resolution_rate"]]
            metrics.to_csv(METRICS_PATH, index=False)
            '''),
        "worst_module_answer": dedent('''\
            eligible = metrics[metrics["sessions"] >= 50]
            row = eligible.loc[eligible["resolution_rate"].idxmin()]
            merged = log.merge(pd.DataFrame([row[["module", "channel"]]]), on=["module", "channel"])
            main = merged.loc[merged["resolved"] == "否", "fail_reason"].value_counts().idxmax()
            worst = dict(module=str(row["module"]), channel=str(row["channel"]),
                         resolution_rate=float(round(row["resolution_rate"], 3)),
                         sessions=int(row["sessions"]), main_reason=main)
            '''),
    }),
    Case("unrated_as_zero_counts_blank_ratings_unlabelled_branch_inverted_rate", "wrong", {
        "risk_labels_answer": risk_with(
            '(l["csat"].fillna(0) <= 2) | ((l["resolved"] == "否") & (l["turns"] > 8))'),
        "risk_shares_answer": ('high_risk_share = (labelled["risk"] == "high")'
                               '.groupby(labelled["channel"]).sum()\n'),
        "validity_rules_answer": validity_with('~b["turns"].between(1, 30)', '~b["csat"].between(1, 5)',
                                               'b["refund_amount"] > b["order_value"]',
                                               '~b["channel"].isin(["App", "小程序", "网页"])'),
        "flow_structure_answer": SOLUTION_FLOW.replace("V -->|否| R", "V --> R"),
        "module_metrics_answer": metrics_as("1 - g.mean()"),
        "worst_module_answer": worst_from(BY_RATE),
    }, loses={
        "risk_labels": "unrated sessions treated as rated 0",
        "risk_shares": "counts instead of shares",
        "validity_rules": "blank ratings rejected",
        "flow_structure": "a decision branch without a label",
        "module_metrics": "the unresolved share reported as the resolution rate",
    }, carried={"worst_module": "Task 6"}),
    Case("and_not_or_share_of_all_strict_refund_rejects_dropped_resolved_count", "wrong", {
        "risk_labels_answer": risk_with('(l["csat"] <= 2) & ((l["resolved"] == "否") & (l["turns"] > 8))'),
        "risk_shares_answer": ('high_risk_share = ((labelled["risk"] == "high")'
                               '.groupby(labelled["channel"]).sum() / len(labelled))\n'),
        "validity_rules_answer": validity_with('~b["turns"].between(1, 30)',
                                               'b["csat"].notna() & ~b["csat"].isin([1, 2, 3, 4, 5])',
                                               'b["refund_amount"] >= b["order_value"]',
                                               '~b["channel"].isin(["App", "小程序", "网页"])'),
        "flow_structure_answer": SOLUTION_FLOW.replace("R --> B[退回来源系统修正]\n    B --> C\n",
                                                       "R --> B[丢弃]\n    B --> E\n"),
        "module_metrics_answer": metrics_as("g.sum()"),
        "worst_module_answer": worst_from(BY_RATE),
    }, loses={
        "risk_labels": "AND instead of OR",
        "risk_shares": "share of the whole log instead of within the channel",
        "validity_rules": "full refunds rejected (strict bound)",
        "flow_structure": "rejected records dropped instead of sent back",
        "module_metrics": "resolved counts instead of rates",
    }, carried={"worst_module": "Task 6"}),
    Case("loose_bounds_share_among_high_lenient_channel_no_audit_stale_file_by_count", "wrong", {
        "risk_labels_answer": risk_with('(l["csat"] < 2) | ((l["resolved"] == "否") & (l["turns"] >= 8))',
                                        BANDS + ", right=False"),
        "risk_shares_answer": ('high_risk_share = labelled.loc[labelled["risk"] == "high", "channel"]'
                               '.value_counts(normalize=True)\n'),
        "validity_rules_answer": validity_with(
            '~(b["turns"].between(1, 30) & (b["turns"] % 1 == 0))',
            'b["csat"].notna() & ~b["csat"].isin([1, 2, 3, 4, 5])', 'b["refund_amount"] > b["order_value"]',
            '~b["channel"].str.strip().str.lower().isin(["app", "小程序", "网页"])'),
        "flow_structure_answer": SOLUTION_FLOW.replace("A{人工抽样审核合格？}", "A{抽样核对合格？}"),
        "module_metrics_answer": metrics_as("g.mean()", saved="metrics.head(5)"),
        "worst_module_answer": worst_from(BY_COUNT),
    }, loses={
        "risk_labels": "strict rating bound, turns >= 8 and left-closed bands",
        "risk_shares": "the channel mix of high-risk sessions instead of each channel's share",
        "validity_rules": "misspelt channels accepted",
        "flow_structure": "no audit stage",
        "module_metrics": "only part of the table saved",
        "worst_module": "the pair with the most unresolved sessions (counts, not rates)",
    }),
    Case("reason_missing_broken_syntax_no_minimum", "wrong", {
        "validity_rules_answer": SOLUTION_VALIDITY.replace('lambda row: ";".join(row.index[row])',
                                                           'lambda row: "invalid"'),
        "flow_structure_answer": SOLUTION_FLOW.replace("V{校验规则全部通过？}", "V{校验规则全部通过？"),
        "worst_module_answer": worst_from('metrics.sort_values("resolution_rate").iloc[0]'),
    }, loses={
        "validity_rules": "rejected records without the broken rule's code",
        "flow_structure": "an unclosed decision node (the flowchart does not parse)",
        "worst_module": "no minimum volume: a tiny pair picked",
    }),
    Case("module_without_channel_reason_of_whole_module_endless_loop", "wrong", {
        "flow_structure_answer": SOLUTION_FLOW.replace("B --> C\n", "B --> B2[等待修正]\n    B2 --> B\n"),
        "worst_module_answer": dedent('''\
            by_module = log.assign(ok=log["resolved"] == "是").groupby("module")["ok"].mean()
            module = by_module.idxmin()
            row = metrics[metrics["module"] == module].sort_values("resolution_rate").iloc[0]
            failed = log[(log["module"] == module) & (log["resolved"] == "否")]
            worst = {"module": module, "channel": row["channel"],
                     "resolution_rate": row["resolution_rate"], "sessions": row["sessions"],
                     "main_reason": failed["fail_reason"].value_counts().idxmax()}
            '''),
    }, loses={
        "flow_structure": "returned records wait in a loop that never ends",
        "worst_module": "the module worst on average (no channel segment), with its module-wide reason",
    }),
]
