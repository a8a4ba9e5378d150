"""A seeded usage log of a smart speaker, written as the spreadsheet the 3.1 exam task hands out.

``build(seed)`` simulates two weeks of voice sessions of the 小智音箱 (XiaoZhi speaker): who used
which feature on which device model and when, how long the reply took, whether it failed and why,
and the satisfaction score the user gave (when they gave one). Three effects are planted so the
analysis has real findings, each drawn from the seed:

* one feature is clearly the most used (feature shares are shuffled per seed);
* one feature is slow at one busy hour (a back-end bottleneck), far above every other
  feature-and-hour cell of successful sessions;
* one feature on one device model fails far more often than anything else, mostly with one
  error type (a failure hot spot) — a less common type than the log's usual failures;
* two decoys that tell the right method from a wrong one: the busiest feature-and-device group
  has *more* failures than the hot spot at a much lower rate (counting instead of rates picks
  it), and one small group (fewer than ``MIN_SESSIONS`` sessions) fails at an even higher rate
  than the hot spot (skipping the minimum-size filter picks it).

The grader never hard-codes these: it recomputes every answer from the generated table.
``python -m trainerlab.datagen.usage_log`` rewrites ``datasets/usage_log/`` for the default seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from trainerlab.variants import DEFAULT_SEED

N_SESSIONS = 3000
N_USERS = 500
FIRST_DAY = pd.Timestamp("2026-10-12")
N_DAYS = 14
SHEET = "sessions"
DICTIONARY_SHEET = "字段说明"
XLSX_NAME = "usage_log.xlsx"
CSV_NAME = "usage_log.csv"

FEATURES = ["音乐播放", "天气查询", "闹钟提醒", "智能家居控制", "百科问答", "新闻播报", "儿童故事",
            "购物下单"]
FEATURES_EN = {"音乐播放": "music", "天气查询": "weather", "闹钟提醒": "alarms and reminders",
               "智能家居控制": "smart-home control", "百科问答": "encyclopedia Q&A",
               "新闻播报": "news briefing", "儿童故事": "children's stories",
               "购物下单": "shopping orders"}
USAGE_SHARES = [0.24, 0.16, 0.14, 0.12, 0.10, 0.09, 0.08, 0.07]  # shuffled over features per seed
BASE_MS = [1700, 1350, 1100, 950, 850, 750, 600, 450]  # typical reply time, shuffled per seed
BASE_FAILURE = [0.06, 0.05, 0.04, 0.04, 0.03, 0.03, 0.02, 0.02]  # shuffled per seed
DEVICES = {"Mini": 0.50, "Pro": 0.35, "Max": 0.15}
DEVICE_SPEED = {"Mini": 1.15, "Pro": 1.0, "Max": 0.9}
DEVICE_EXTRA_FAILURE = {"Mini": 0.015, "Pro": 0.0, "Max": 0.0}
#: Relative traffic per hour of the day (morning, lunch and evening peaks).
HOUR_WEIGHTS = np.array([2, 1, 1, 1, 1, 2, 6, 12, 10, 6, 5, 5, 7, 6, 5, 5, 6, 8, 11, 14, 15, 13,
                         9, 4], dtype=float)
EVENING_LOAD = {19: 1.2, 20: 1.25, 21: 1.2, 22: 1.1}  # the whole service is a little slower
BOTTLENECK_HOURS = [8, 12, 19, 20, 21]
BOTTLENECK_FACTOR = 2.5  # the slow cell's typical time over the slowest other cell's
HOT_SPOT_FAILURE = 0.30
#: The hot spot is drawn from groups of at most this share of the busiest group's sessions, so the
#: busiest group can out-number its failures at a far lower rate (the counting decoy).
HOT_SPOT_MAX_SHARE = 0.45
BUSY_EXTRA_FAILURES = 6  # the busiest group fails this many times more than the hot spot
#: Groups smaller than this are too small to call a hot spot (the lab's ``MIN_SESSIONS``).
MIN_SESSIONS = 30
TINY_SESSIONS = 18  # the small decoy group: this many sessions ...
TINY_FAILURES = 8  # ... of which this many fail (a rate above the hot spot's)
ERROR_TYPES = ["语音识别失败", "意图理解错误", "服务超时", "设备离线"]
ERROR_TYPES_EN = {"语音识别失败": "speech not recognised", "意图理解错误": "intent misunderstood",
                  "服务超时": "service timeout", "设备离线": "device offline"}
ERROR_MIX = [0.35, 0.35, 0.15, 0.15]
HOT_SPOT_ERRORS = ["服务超时", "设备离线"]  # the hot spot's main error is not the log's usual one
HOT_SPOT_ERROR_SHARE = 0.75
TIMEOUT_MS = 8000
SUCCESS, FAILURE = "成功", "失败"
COLUMNS = ["session_id", "user_id", "device_model", "start_time", "feature", "status",
           "error_type", "response_ms", "satisfaction"]
DICTIONARY = [
    ("session_id", "会话编号", "session id"),
    ("user_id", "用户编号", "user id"),
    ("device_model", "音箱型号：Mini / Pro / Max", "speaker model: Mini / Pro / Max"),
    ("start_time", "会话开始时间", "session start time"),
    ("feature", "使用的功能", "feature used"),
    ("status", "结果：成功 / 失败", "outcome: 成功 success / 失败 failure"),
    ("error_type", "失败原因（成功时为空）", "failure reason (blank on success)"),
    ("response_ms", "响应时间（毫秒）；设备离线时为空，服务超时记为 8000",
     "response time in ms; blank when the device was offline, 8000 on a timeout"),
    ("satisfaction", "用户评分 1–5（未评分为空）", "user rating 1-5 (blank if not rated)"),
]


@dataclass(frozen=True)
class UsageLog:
    """A generated log and the effects planted in it (for tests; graders recompute from ``log``)."""

    seed: int
    log: pd.DataFrame
    bottleneck: tuple[str, int]
    hot_spot: tuple[str, str]
    hot_spot_error: str
    busiest: tuple[str, str]
    tiny: tuple[str, str]


def _sessions(rng: np.random.Generator) -> pd.DataFrame:
    activity = rng.lognormal(0.0, 0.8, N_USERS)
    user_device = rng.choice(list(DEVICES), size=N_USERS, p=list(DEVICES.values()))
    users = rng.choice(N_USERS, size=N_SESSIONS, p=activity / activity.sum())
    day = rng.integers(0, N_DAYS, N_SESSIONS)
    hour = rng.choice(24, size=N_SESSIONS, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    second = rng.integers(0, 3600, N_SESSIONS)
    start = (FIRST_DAY + pd.to_timedelta(day, unit="D") + pd.to_timedelta(hour, unit="h")
             + pd.to_timedelta(second, unit="s"))
    shares = rng.permutation(USAGE_SHARES)
    feature = rng.choice(FEATURES, size=N_SESSIONS, p=shares / shares.sum())
    first_user = int(rng.integers(1000, 5000))
    return pd.DataFrame({
        "user_id": [f"U{first_user + u:05d}" for u in users],
        "device_model": user_device[users],
        "start_time": start,
        "feature": feature,
        "hour": hour,
    })


def build(seed: int = DEFAULT_SEED) -> UsageLog:
    """Generate the log for ``seed`` (deterministic; about 0.1 s)."""
    rng = np.random.default_rng(seed)
    df = _sessions(rng)
    # the small decoy: the smallest feature-and-device group, cut down to TINY_SESSIONS sessions
    sizes = df.groupby(["feature", "device_model"]).size()
    tiny = sizes.idxmin()
    members = np.flatnonzero(((df["feature"] == tiny[0]) & (df["device_model"] == tiny[1])).to_numpy())
    others = [f for f in FEATURES if f != tiny[0]]
    moved = rng.permutation(members)[TINY_SESSIONS:]
    df.loc[moved, "feature"] = rng.choice(others, size=len(moved))
    n = len(df)
    base_ms = dict(zip(FEATURES, rng.permutation(BASE_MS), strict=True))
    base_fail = dict(zip(FEATURES, rng.permutation(BASE_FAILURE), strict=True))

    # the planted bottleneck: a feature with a short typical time, slow at one busy hour
    quick = [f for f in FEATURES if base_ms[f] <= np.median(BASE_MS)]
    slow_feature, slow_hour = str(rng.choice(quick)), int(rng.choice(BOTTLENECK_HOURS))
    load = np.array([EVENING_LOAD.get(h, 1.0) for h in range(24)])
    typical = pd.Series(base_ms).to_numpy()[:, None] * load[None, :]  # feature x hour
    factor = BOTTLENECK_FACTOR * typical.max() / (base_ms[slow_feature] * load[slow_hour])

    # the planted failure hot spot: a feature on the Mini or Pro with enough sessions
    sizes = df.groupby(["feature", "device_model"]).size()
    busiest = sizes.idxmax()
    device = str(rng.choice(["Mini", "Pro"]))
    counts = sizes.xs(device, level="device_model")
    fits = (counts >= 60) & (counts <= HOT_SPOT_MAX_SHARE * sizes.max()) & (counts.index != busiest[0])
    hot_feature = str(rng.choice(sorted(counts[fits].index)))
    hot_error = str(rng.choice(HOT_SPOT_ERRORS))

    feature, dev, hour = df["feature"].to_numpy(), df["device_model"].to_numpy(), df["hour"].to_numpy()
    speed = np.array([base_ms[f] for f in feature]) * load[hour]
    speed *= np.array([DEVICE_SPEED[d] for d in dev])
    speed[(feature == slow_feature) & (hour == slow_hour)] *= factor
    response = speed * rng.lognormal(0.0, 0.25, n)

    p_fail = np.array([base_fail[f] for f in feature]) + np.array([DEVICE_EXTRA_FAILURE[d] for d in dev])
    in_hot = (feature == hot_feature) & (dev == device)
    p_fail[in_hot] = HOT_SPOT_FAILURE
    failed = rng.random(n) < p_fail
    # exact failure counts in the three planted groups (so the decoys hold on every seed)
    in_busy = (feature == busiest[0]) & (dev == busiest[1])
    in_tiny = (feature == tiny[0]) & (dev == tiny[1])
    n_hot_failed = int(round(HOT_SPOT_FAILURE * in_hot.sum()))
    for group, n_failed in ((in_hot, n_hot_failed), (in_busy, n_hot_failed + BUSY_EXTRA_FAILURES),
                            (in_tiny, TINY_FAILURES)):
        rows = np.flatnonzero(group)
        failed[rows] = False
        failed[rng.choice(rows, size=n_failed, replace=False)] = True
    error = np.where(failed, rng.choice(ERROR_TYPES, size=n, p=ERROR_MIX), "")
    hot_share = [HOT_SPOT_ERROR_SHARE if e == hot_error else (1 - HOT_SPOT_ERROR_SHARE) / 3
                 for e in ERROR_TYPES]
    hot_failed = failed & in_hot
    error[hot_failed] = rng.choice(ERROR_TYPES, size=int(hot_failed.sum()), p=hot_share)

    response = np.where(error == "服务超时", TIMEOUT_MS, response)
    response = np.where(error == "语音识别失败", rng.lognormal(np.log(600), 0.3, n), response)
    response = np.where(error == "设备离线", np.nan, np.round(response))

    rated = rng.random(n) < 0.45
    happy = 4.4 - 0.7 * (response > 3000) - 0.5 * (response > 5000) + rng.normal(0, 0.7, n)
    unhappy = 1.8 + rng.normal(0, 0.8, n)
    score = np.clip(np.round(np.where(failed, unhappy, happy)), 1, 5)

    log = df.drop(columns="hour").assign(
        status=np.where(failed, FAILURE, SUCCESS),
        error_type=pd.Series(error).replace("", np.nan).astype("str"),
        response_ms=response,
        satisfaction=np.where(rated, score, np.nan),
    )
    log = log.sort_values("start_time", kind="stable").reset_index(drop=True)
    first_session = int(rng.integers(100_000, 500_000))
    log.insert(0, "session_id", [f"S{first_session + i:07d}" for i in range(n)])
    return UsageLog(seed, log[COLUMNS], (slow_feature, slow_hour), (hot_feature, device), hot_error,
                    (str(busiest[0]), str(busiest[1])), (str(tiny[0]), str(tiny[1])))


@lru_cache(maxsize=4)
def variant(seed: int = DEFAULT_SEED) -> UsageLog:
    """Cached :func:`build` for checks that grade many answers against one log."""
    return build(seed)


def dictionary_frame() -> pd.DataFrame:
    """The data dictionary written as the spreadsheet's second sheet."""
    return pd.DataFrame(DICTIONARY, columns=["字段 / field", "含义", "meaning"])


def write_xlsx(path: str | Path, seed: int = DEFAULT_SEED) -> Path:
    """Write the log (sheet ``sessions``) and its dictionary (sheet ``字段说明``) to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        variant(seed).log.to_excel(writer, sheet_name=SHEET, index=False)
        dictionary_frame().to_excel(writer, sheet_name=DICTIONARY_SHEET, index=False)
        sheet = writer.book[SHEET]
        for letter, width in zip("ABCDEFGHI", [11, 9, 8, 20, 13, 7, 13, 12, 12], strict=True):
            sheet.column_dimensions[letter].width = width
        for cell in sheet["D"][1:]:
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
        sheet.freeze_panes = "A2"
    return path


def write_csv(path: str | Path, seed: int = DEFAULT_SEED) -> Path:
    """Write the log as UTF-8 CSV (the same table, for ``datasets`` and for diffs)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    variant(seed).log.to_csv(path, index=False, encoding="utf-8")
    return path


def log_file(seed: int = DEFAULT_SEED, folder: str | Path = ".") -> Path:
    """The spreadsheet for ``seed``: the bundled file for the default seed, else written to ``folder``."""
    if seed == DEFAULT_SEED:
        from trainerlab.paths import dataset_file

        return dataset_file("usage_log", XLSX_NAME)
    return write_xlsx(Path(folder) / f"usage_log_{seed}.xlsx", seed)


def main() -> None:
    """Rewrite ``datasets/usage_log/`` (spreadsheet and CSV) for the default seed."""
    from trainerlab.paths import datasets_root

    folder = datasets_root() / "usage_log"
    write_xlsx(folder / XLSX_NAME)
    write_csv(folder / CSV_NAME)
    print(f"{folder}: {XLSX_NAME}, {CSV_NAME} ({N_SESSIONS} sessions, seed {DEFAULT_SEED})")


if __name__ == "__main__":
    main()
