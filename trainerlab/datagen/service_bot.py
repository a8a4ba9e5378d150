"""A seeded session log of an online shop's customer-service robot, and a batch of new records.

``build(seed)`` simulates one month of chat sessions with the robot of 鲜果优选 (FreshPick, an online
fruit shop): which module handled the customer's question (order lookup, shipping, refunds, product
questions, invoices) on which channel (App, mini-program, web), how many turns it took, whether the
robot resolved it and, if not, why, and the rating the customer gave (when they gave one).

The month's log (``log``) is clean; the effects planted in it give the 1.2 analysis a real finding
and tell the right method from each wrong one, all drawn from the seed:

* the **hot spot**: one module on one channel (App or mini-program, a mid-sized group) resolves
  only ``HOT_SPOT_RATE`` of its sessions, most failures for one reason that is rare elsewhere;
* the **counting decoy**: the busiest module-and-channel group has *more* unresolved sessions than
  the hot spot at a far better rate (counting failures instead of rates picks it);
* the **small-group decoy**: the smallest group is cut to ``TINY_SESSIONS`` sessions that resolve
  even less often than the hot spot (skipping the minimum-volume filter picks it);
* the **module decoy**: another module resolves worst on average over all channels (looking at
  modules without the channel segment picks it).

The new batch (``batch``) is what the shop's systems send next: the same columns with realistic
entry faults, each breaking one validity rule of :data:`RULES` (turns out of range, a rating outside
1–5, a refund above the order value, an unknown channel), beside boundary values that are valid
(30 turns, a full refund, a blank rating).

``python -m trainerlab.datagen.service_bot`` rewrites ``datasets/service_bot/`` for the default seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from trainerlab.variants import DEFAULT_SEED, variant_csv

N_SESSIONS = 4000
N_BATCH = 300
FIRST_DAY = pd.Timestamp("2026-10-01")
N_DAYS = 31
LOG_NAME = "service_log.csv"
BATCH_NAME = "incoming_batch.csv"
DATASET = "service_bot"

MODULES = ["订单查询", "物流跟踪", "退款售后", "商品咨询", "发票开具"]
MODULES_EN = {"订单查询": "order lookup", "物流跟踪": "shipping", "退款售后": "refunds",
              "商品咨询": "product questions", "发票开具": "invoices"}
MODULE_SHARES = [0.30, 0.25, 0.20, 0.15, 0.10]
CHANNELS = {"App": 0.50, "小程序": 0.35, "网页": 0.15}
#: Typical resolution rates, shuffled over the modules per seed (the lowest one is the module decoy).
BASE_RATES = [0.91, 0.89, 0.87, 0.84, 0.70]
CHANNEL_SHIFT = {"App": 0.0, "小程序": -0.02, "网页": 0.01}
HOT_SPOT_RATE = 0.50
#: The hot spot's sessions are cut to a size drawn from this range.
HOT_SESSIONS = (120, 181)
#: Groups with fewer sessions than this are too small to judge (the lab's minimum volume).
MIN_SESSIONS = 50
TINY_SESSIONS = 24
TINY_UNRESOLVED = 13
BUSY_EXTRA_UNRESOLVED = 8
REASONS = ["意图识别错误", "答非所问", "系统超时", "客户要求人工"]
REASONS_EN = {"意图识别错误": "intent misrecognised", "答非所问": "off-topic answer",
              "系统超时": "system timeout", "客户要求人工": "customer asked for a human"}
REASON_MIX = [0.35, 0.30, 0.15, 0.20]
#: The hot spot's own reason per module (rare elsewhere).
HOT_REASONS = {"订单查询": "订单号格式不支持", "物流跟踪": "物流接口无数据", "退款售后": "退款规则未覆盖",
               "商品咨询": "商品知识库缺失", "发票开具": "发票抬头解析失败"}
HOT_REASON_SHARE = 0.70
RESOLVED, UNRESOLVED = "是", "否"
COLUMNS = ["session_id", "start_time", "channel", "module", "turns", "resolved", "fail_reason",
           "csat", "order_value", "refund_amount"]

#: Validity rules for incoming records: code -> (zh, en) statement.
RULES = {
    "turns": ("对话轮数是 1–30 的整数", "turns is a whole number from 1 to 30"),
    "csat": ("满意度为空或是 1–5 的整数", "csat is blank or a whole number from 1 to 5"),
    "refund": ("退款金额不超过订单金额", "refund_amount is at most order_value"),
    "channel": ("渠道是 App、小程序 或 网页", "channel is App, 小程序 or 网页"),
}
MAX_TURNS = 30
FAULTS_PER_RULE = 7

#: The 1.1 rule label: high complaint risk.
RISK_CSAT = 2
RISK_TURNS = 8
TURN_BINS = [0, 3, 6, 10, MAX_TURNS]
TURN_LABELS = ["1-3", "4-6", "7-10", "11-30"]


@dataclass(frozen=True)
class ServiceData:
    """A generated log, the new batch and the planted effects (tests only; checks recompute them)."""

    seed: int
    log: pd.DataFrame
    batch: pd.DataFrame
    #: batch session id -> the rule codes it breaks
    broken: dict[str, frozenset[str]]
    hot_spot: tuple[str, str]
    hot_reason: str
    busiest: tuple[str, str]
    tiny: tuple[str, str]
    worst_module_overall: str


def _sessions(rng: np.random.Generator, n: int) -> pd.DataFrame:
    day = rng.integers(0, N_DAYS, n)
    second = rng.integers(7 * 3600, 23 * 3600, n)
    start = FIRST_DAY + pd.to_timedelta(day, unit="D") + pd.to_timedelta(second, unit="s")
    return pd.DataFrame({
        "start_time": start,
        "channel": rng.choice(list(CHANNELS), size=n, p=list(CHANNELS.values())),
        "module": rng.choice(MODULES, size=n, p=MODULE_SHARES),
    })


def _amounts(rng: np.random.Generator, module: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order_value = np.round(rng.lognormal(np.log(120), 0.6, len(module)), 2)
    refund = np.zeros(len(module))
    refunds = module == "退款售后"
    refund[refunds] = np.round(order_value[refunds] * rng.choice([0.2, 0.5, 1.0], size=int(refunds.sum())), 2)
    return order_value, refund


def _outcomes(rng: np.random.Generator, df: pd.DataFrame, unresolved: np.ndarray,
              hot: np.ndarray, hot_reason: str) -> pd.DataFrame:
    n = len(df)
    reason = rng.choice(REASONS, size=n, p=REASON_MIX).astype(object)
    own = hot & (rng.random(n) < HOT_REASON_SHARE)
    reason[own] = hot_reason
    reason = np.where(unresolved, reason, None)
    turns = np.clip(rng.poisson(np.where(unresolved, 7.5, 3.5)) + 1, 1, MAX_TURNS)
    rated = rng.random(n) < 0.55
    score = np.where(unresolved, 2.0, 4.3) - 0.08 * np.maximum(turns - 5, 0) + rng.normal(0, 0.8, n)
    csat = np.where(rated, np.clip(np.round(score), 1, 5), np.nan)
    order_value, refund = _amounts(rng, df["module"].to_numpy())
    return df.assign(turns=turns, resolved=np.where(unresolved, UNRESOLVED, RESOLVED),
                     fail_reason=reason, csat=csat, order_value=order_value, refund_amount=refund)


def _log(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    df = _sessions(rng, N_SESSIONS)
    sizes = df.groupby(["module", "channel"]).size()
    tiny = sizes.idxmin()
    members = np.flatnonzero(((df["module"] == tiny[0]) & (df["channel"] == tiny[1])).to_numpy())
    moved = rng.permutation(members)[TINY_SESSIONS:]
    df.loc[moved, "channel"] = rng.choice([c for c in CHANNELS if c != tiny[1]], size=len(moved))
    sizes = df.groupby(["module", "channel"]).size()
    busiest = sizes.idxmax()

    rates = dict(zip(MODULES, rng.permutation(BASE_RATES), strict=True))
    worst_module = min(rates, key=rates.get)
    # the hot spot: a well-resolving module on the App or the mini-program, cut to a mid size so
    # that its module still looks fine on average over the channels
    good = sorted(BASE_RATES)[2]
    candidates = [(m, c) for m in MODULES for c in ("App", "小程序")
                  if rates[m] >= good and m not in (busiest[0], tiny[0])]
    hot = candidates[int(rng.integers(len(candidates)))]
    members = np.flatnonzero(((df["module"] == hot[0]) & (df["channel"] == hot[1])).to_numpy())
    moved = rng.permutation(members)[int(rng.integers(*HOT_SESSIONS)):]
    df.loc[moved, "channel"] = "App" if hot[1] != "App" else "网页"

    module, channel = df["module"].to_numpy(), df["channel"].to_numpy()
    p = np.array([rates[m] + CHANNEL_SHIFT[c] for m, c in zip(module, channel, strict=True)])
    unresolved = rng.random(len(df)) > p
    in_hot = (module == hot[0]) & (channel == hot[1])
    in_busy = (module == busiest[0]) & (channel == busiest[1])
    in_tiny = (module == tiny[0]) & (channel == tiny[1])
    n_hot = int(round((1 - HOT_SPOT_RATE) * in_hot.sum()))
    n_busy = max(int(unresolved[in_busy].sum()), n_hot + BUSY_EXTRA_UNRESOLVED)
    for group, count in ((in_hot, n_hot), (in_busy, n_busy), (in_tiny, TINY_UNRESOLVED)):
        rows = np.flatnonzero(group)
        unresolved[rows] = False
        unresolved[rng.choice(rows, size=count, replace=False)] = True
    df = _outcomes(rng, df, unresolved, in_hot, HOT_REASONS[hot[0]])
    df = df.sort_values("start_time", kind="stable").reset_index(drop=True)
    first = int(rng.integers(100_000, 400_000))
    df.insert(0, "session_id", [f"C{first + i:07d}" for i in range(len(df))])
    planted = {"hot_spot": (str(hot[0]), str(hot[1])), "hot_reason": HOT_REASONS[hot[0]],
               "busiest": (str(busiest[0]), str(busiest[1])), "tiny": (str(tiny[0]), str(tiny[1])),
               "worst_module_overall": worst_module}
    return df[COLUMNS], planted


def _batch(rng: np.random.Generator, first_id: int) -> tuple[pd.DataFrame, dict[str, frozenset[str]]]:
    df = _sessions(rng, N_BATCH)
    df["start_time"] = df["start_time"] + pd.Timedelta(days=N_DAYS)
    unresolved = rng.random(N_BATCH) > 0.85
    df = _outcomes(rng, df, unresolved, np.zeros(N_BATCH, dtype=bool), "")
    df = df.sort_values("start_time", kind="stable").reset_index(drop=True)
    df.insert(0, "session_id", [f"C{first_id + i:07d}" for i in range(N_BATCH)])
    df["channel"] = df["channel"].astype(object)
    df["turns"] = df["turns"].astype(float)
    rows = rng.permutation(N_BATCH)
    faulty, boundary = rows[:4 * FAULTS_PER_RULE + 3], rows[4 * FAULTS_PER_RULE + 3:4 * FAULTS_PER_RULE + 15]
    broken: dict[int, set[str]] = {}
    for k, row in enumerate(faulty):
        rules = [list(RULES)[k % 4]] + ([list(RULES)[(k + 1) % 4]] if k >= 4 * FAULTS_PER_RULE else [])
        for rule in rules:
            _break(rng, df, row, rule)
            broken.setdefault(int(row), set()).add(rule)
    for k, row in enumerate(boundary):  # valid values on the bounds
        if k % 3 == 0:
            df.loc[row, "turns"] = float(MAX_TURNS if k % 2 else 1)
        elif k % 3 == 1:
            df.loc[row, ["module", "refund_amount"]] = ["退款售后", df.loc[row, "order_value"]]
        else:
            df.loc[row, "csat"] = 5.0 if k % 2 else 1.0
    truth = {str(df.loc[row, "session_id"]): frozenset(rules) for row, rules in broken.items()}
    return df[COLUMNS], truth


def _break(rng: np.random.Generator, df: pd.DataFrame, row: int, rule: str) -> None:
    if rule == "turns":
        df.loc[row, "turns"] = float(rng.choice([0, 0, -1, 31, 45, 120]))
    elif rule == "csat":
        df.loc[row, "csat"] = float(rng.choice([0, 6, 9, 10]))
    elif rule == "refund":
        df.loc[row, "module"] = "退款售后"
        factor = float(rng.choice([1.5, 2, 10]))
        df.loc[row, "refund_amount"] = round(float(df.loc[row, "order_value"]) * factor, 2)
    else:
        df.loc[row, "channel"] = str(rng.choice(["APP", "微信", "app ", "电话"]))


def build(seed: int = DEFAULT_SEED) -> ServiceData:
    """Generate the log and the batch for ``seed`` (deterministic; well under a second)."""
    rng = np.random.default_rng(seed)
    log, planted = _log(rng)
    last = int(log["session_id"].str[1:].astype(int).max())
    batch, broken = _batch(rng, last + 1)
    return ServiceData(seed, log, batch, broken, **planted)


@lru_cache(maxsize=4)
def variant(seed: int = DEFAULT_SEED) -> ServiceData:
    """Cached :func:`build` for checks that grade many answers against one variant."""
    return build(seed)


def high_risk(csat: pd.Series, resolved: pd.Series, turns: pd.Series) -> pd.Series:
    """The 1.1 rule: high complaint risk when rated ≤ 2, or unresolved after more than 8 turns."""
    csat, turns = pd.to_numeric(csat), pd.to_numeric(turns)
    return (csat <= RISK_CSAT).fillna(False).astype(bool) | ((resolved == UNRESOLVED) & (turns > RISK_TURNS))


def rule_breaks(batch: pd.DataFrame) -> pd.DataFrame:
    """Per record of ``batch``, whether it breaks each rule of :data:`RULES` (columns = rule codes)."""
    turns = pd.to_numeric(batch["turns"], errors="coerce")
    csat = pd.to_numeric(batch["csat"], errors="coerce")
    refund = pd.to_numeric(batch["refund_amount"], errors="coerce")
    order = pd.to_numeric(batch["order_value"], errors="coerce")
    return pd.DataFrame({
        "turns": ~(turns.between(1, MAX_TURNS) & (turns % 1 == 0)),
        "csat": ~(csat.isna() | (csat.between(1, 5) & (csat % 1 == 0))),
        "refund": ~(refund <= order),
        "channel": ~batch["channel"].isin(list(CHANNELS)),
    }, index=batch.index)


def log_file(seed: int = DEFAULT_SEED) -> Path:
    """The month's log for ``seed``: the bundled file, or a cached copy for other seeds."""
    if seed == DEFAULT_SEED:
        from trainerlab.paths import dataset_file

        return dataset_file(DATASET, LOG_NAME)
    return variant_csv("service_log", seed, lambda s: variant(s).log)


def batch_file(seed: int = DEFAULT_SEED) -> Path:
    """The new batch for ``seed``: the bundled file, or a cached copy for other seeds."""
    if seed == DEFAULT_SEED:
        from trainerlab.paths import dataset_file

        return dataset_file(DATASET, f"incoming/{BATCH_NAME}")
    return variant_csv("service_batch", seed, lambda s: variant(s).batch)


def main() -> None:
    """Rewrite ``datasets/service_bot/`` (the log and the incoming batch) for the default seed."""
    from trainerlab.paths import datasets_root

    folder = datasets_root() / DATASET
    (folder / "incoming").mkdir(parents=True, exist_ok=True)
    data = variant()
    data.log.to_csv(folder / LOG_NAME, index=False, encoding="utf-8")
    data.batch.to_csv(folder / "incoming" / BATCH_NAME, index=False, encoding="utf-8")
    print(f"{folder}: {LOG_NAME} ({len(data.log)} sessions), incoming/{BATCH_NAME} ({len(data.batch)}), "
          f"seed {DEFAULT_SEED}")


if __name__ == "__main__":
    main()
