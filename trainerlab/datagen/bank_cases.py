"""Seeded data of the exam-style task bank (``graders/bank/``): one small table per scenario.

Every builder takes the seed (``TRAINERLAB_SEED`` through :func:`trainerlab.variants.current_seed`)
and returns the table the candidate is handed; the checks derive what they expect from the same
table with the reference rules below, so every seed has its own answers. The faults each table
carries are realistic ones and documented in ``datasets/exam_bank/README.md`` (the default seed's
tables are bundled there; ``python -m trainerlab.datagen.bank_cases`` rewrites them):

* ``hotel_bot`` (b11a) — a hotel-booking chatbot's sessions; the channel is spelled several ways
  (``WeChat``, `` wechat``, ``APP``), as exports from three systems are.
* ``after_sales`` (b12a) — an appliance shop's after-sales bot; one module (drawn) resolves far fewer
  sessions than the others.
* ``bike_rides`` (b21a) — a bike-sharing ride export: rides uploaded twice (same ``ride_id``), durations
  of 0 or over 240 minutes, negative distances.
* ``review_features`` (b22a) — an e-commerce review classifier's table (is a review useful?) with an
  imbalanced label.
* ``bike_app_usage`` (b31a) — a bike-sharing app's feature-usage log with response times; one feature
  (drawn) is slow.
* ``front_desk_logits`` (b32a) — a hotel front-desk voice assistant's intent model outputs (raw logits
  of four intents) for a batch of utterances.
* ``safety_quiz`` (b41a) — a beginners' data-safety quiz (answers as letters, blanks unanswered).
* ``review_labels`` (b42a) — a junior's sentiment labels of product reviews against a star-rating rule.
* ``parcel_calls`` (b11b) — a parcel hotline's records from three collection sources; manual entry brings
  bad durations, blank intents (spaces only too) and records uploaded again.
* ``parking_gate_a`` / ``parking_gate_b`` (b11c) — a car park's entries from two gate systems of two
  vendors: other column names, plates in two spellings, local text times against UTC milliseconds,
  yuan against fen.
* ``gas_bot_ab`` (b12b) — an A/B test of a gas company's service bot: a new intent model in the billing
  module of the treatment group; rates over all modules dilute the uplift; hand-overs rise or fall (drawn).
* ``clinic_funnel`` (b12c) — a hospital booking mini-program's event log; a middle step (drawn) loses far
  more sessions; steps opened twice make rows differ from sessions.
* ``museum_labels`` (b21b) — a museum guide app's visitor questions with three annotators' intent labels,
  spelled several ways (``Exhibit``, ``ROUTE``, ``ticket ``), a few blank, some all different.
* ``kitchen_utterances`` (b21c) — utterances collected for a kitchen voice assistant: full-width digits
  and letters, stray and ideographic spaces, letter case, copies differing only in those, empty texts.
* ``water_demand`` (b22b) — a water utility's daily demand with weather and calendar, exported out of
  date order, with a growth trend (a random split tests on the past).
* ``kiln_batches`` (b22c) — a tile factory's kiln batches: two readings decide defects, four are noise,
  about one label in seven flipped, so an unconstrained tree overfits.
* ``canteen_checkout`` (b31b) — a canteen's AI checkout trays per day and camera; one camera clouds over.
* ``route_api_latency`` (b31c) — a delivery platform's route-API calls: a slow, a heavy-tailed and a spiky
  endpoint.
* ``voicebot_calls`` (b32b) — a power company's voicebot calls: confidence and whether the answer was right.
* ``permit_bot_sessions`` (b32c) — a permit chatbot's sessions: the last step reached; one step loses many.
* ``course_scores`` (b41b) — a labelling course's pre/post-test scores; the absent scored low before.
* ``practice_labels`` (b41c) — L5 trainees' practice labels beside the gold label, typed in mixed case.
* ``shelf_photos`` (b42b) — a junior's shelf photos against a collection spec (size, format, consent).
* ``churn_split`` (b42c) — a junior's train/test split of a churn table; some customers are in both.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from trainerlab.paths import dataset_file, datasets_root
from trainerlab.variants import DEFAULT_SEED, variant_csv

#: The bundled folder of the default seed's tables (``datasets/exam_bank/<name>/<name>.csv``).
DATASET = "exam_bank"

CHANNELS = ("app", "web", "wechat")
_CHANNEL_SPELLINGS = {"app": ["APP", "App "], "web": ["Web", " web"], "wechat": ["WeChat", " wechat", "微信"]}
#: The hotel bot's rules: a long stay is more than this many nights; the turn bands' edges and names.
LONG_STAY_NIGHTS = 5
TURN_BINS = (0, 3, 8, np.inf)
TURN_BANDS = ("short", "medium", "long")

MODULES = ("warranty", "repair_booking", "spare_parts", "invoice", "delivery")

#: The ride rules of the bike-sharing spec: duration in [1, 240] minutes, distance >= 0.
MIN_DURATION, MAX_DURATION = 1, 240

FEATURES = ("unlock", "pay", "find_bike", "report_fault", "coupons", "ride_history")

INTENTS = ("book_room", "check_out", "room_service", "ask_facility")
#: The front desk's routing thresholds on the top probability.
AUTO_AT, CONFIRM_AT = 0.85, 0.60
ROUTES = ("auto", "confirm", "human")

QUIZ_ITEMS = tuple(f"S{i:02d}" for i in range(1, 11))
SENTIMENTS = ("negative", "neutral", "positive")


def _rng(seed: int, salt: int) -> np.random.Generator:
    return np.random.default_rng([seed, salt])


# --- b11a: hotel-booking chatbot ---------------------------------------------------------------------

def hotel_bot(seed: int) -> pd.DataFrame:
    """Sessions of a hotel-booking chatbot: channel (messy spellings), nights asked for, turns, booked."""
    rng = _rng(seed, 11)
    n = 400
    channel = rng.choice(CHANNELS, size=n, p=[0.5, 0.2, 0.3])
    shown = [rng.choice(_CHANNEL_SPELLINGS[c]) if rng.random() < 0.25 else c for c in channel]
    nights = rng.integers(1, 15, size=n)
    turns = rng.integers(1, 21, size=n)
    turns[:6] = [3, 8, 4, 9, 1, 20]  # the band edges always occur
    nights[:4] = [5, 6, 1, 14]
    booked = (rng.random(n) < 0.7 - 0.02 * turns).astype(int)
    return pd.DataFrame({"session_id": [f"HB{seed % 1000:03d}{i:04d}" for i in range(n)], "channel": shown,
                         "nights": nights, "turns": turns, "booked": booked})


def normal_channel(values: pd.Series) -> pd.Series:
    """The channel as one spelling per channel (``app``, ``web``, ``wechat``)."""
    text = values.astype(str).str.strip().str.lower().replace({"微信": "wechat"})
    return text


def channel_shares(df: pd.DataFrame) -> pd.Series:
    """Percent of sessions per channel (the reference of b11a's shares)."""
    return normal_channel(df["channel"]).value_counts(normalize=True) * 100


# --- b12a: after-sales bot ---------------------------------------------------------------------------

def after_sales(seed: int) -> pd.DataFrame:
    """Sessions of an appliance shop's after-sales bot: module, resolved, handed to a person."""
    rng = _rng(seed, 12)
    n = 600
    worst = rng.choice(MODULES)
    module = rng.choice(MODULES, size=n)
    rate = np.where(module == worst, 0.45, rng.uniform(0.72, 0.9, size=n))
    resolved = (rng.random(n) < rate).astype(int)
    handed = ((resolved == 0) & (rng.random(n) < 0.8)).astype(int)
    return pd.DataFrame({"session_id": [f"AS{i:05d}" for i in range(n)], "module": module,
                         "resolved": resolved, "handed_to_agent": handed})


# --- b21a: bike rides --------------------------------------------------------------------------------

def bike_rides(seed: int) -> pd.DataFrame:
    """A ride export with rides uploaded twice, impossible durations and negative distances."""
    rng = _rng(seed, 21)
    n = 300
    rides = pd.DataFrame({
        "ride_id": [f"R{seed % 97:02d}{i:05d}" for i in range(n)],
        "station": rng.choice(["东门", "图书馆", "南区", "体育馆"], size=n),
        "duration_min": rng.integers(2, 90, size=n).astype(float),
        "distance_km": rng.uniform(0.2, 12, size=n).round(2),
    })
    bad = rng.choice(n, size=18, replace=False)
    rides.loc[bad[:6], "duration_min"] = 0
    rides.loc[bad[6:10], "duration_min"] = rng.integers(241, 900, size=4)
    rides.loc[bad[10:14], "distance_km"] = -rides.loc[bad[10:14], "distance_km"]
    rides.loc[bad[14], "duration_min"] = MIN_DURATION  # edges are valid
    rides.loc[bad[15], "duration_min"] = MAX_DURATION
    twice = rides.sample(12, random_state=int(rng.integers(1 << 31)))
    return pd.concat([rides, twice]).sample(frac=1, random_state=seed % (1 << 31)).reset_index(drop=True)


def valid_ride(df: pd.DataFrame) -> pd.Series:
    """Whether a ride meets the spec's rules (duration 1–240 minutes, distance not negative)."""
    return df["duration_min"].between(MIN_DURATION, MAX_DURATION) & (df["distance_km"] >= 0)


# --- b22a: review classifier -------------------------------------------------------------------------

def review_features(seed: int) -> pd.DataFrame:
    """Review features and whether readers marked the review useful (about 20 % are)."""
    rng = _rng(seed, 22)
    n = 2000
    stars = rng.integers(1, 6, size=n)
    length = rng.gamma(2.0, 60.0, size=n).round()
    photos = rng.poisson(0.6, size=n)
    verified = (rng.random(n) < 0.7).astype(int)
    score = -4.5 + 0.012 * length + 0.8 * photos + 0.9 * verified + 0.25 * np.abs(stars - 3)
    useful = (rng.random(n) < 1 / (1 + np.exp(-score))).astype(int)
    return pd.DataFrame({"stars": stars, "length": length, "photos": photos, "verified": verified,
                         "useful": useful})


# --- b31a: bike-sharing app usage --------------------------------------------------------------------

def bike_app_usage(seed: int) -> pd.DataFrame:
    """One row per feature use: feature, response time (ms), whether it failed."""
    rng = _rng(seed, 31)
    n = 1500
    weights = rng.dirichlet(np.full(len(FEATURES), 2.0))
    feature = rng.choice(FEATURES, size=n, p=weights)
    slow = rng.choice(FEATURES)
    base = np.where(feature == slow, 1400.0, 300.0)
    response = (base * rng.lognormal(0, 0.35, size=n)).round()
    return pd.DataFrame({"use_id": np.arange(1, n + 1), "feature": feature, "response_ms": response,
                         "failed": (rng.random(n) < 0.03).astype(int)})


# --- b32a: front-desk voice assistant ----------------------------------------------------------------

def front_desk_logits(seed: int) -> pd.DataFrame:
    """Raw logits of the four intents for 40 utterances (one utterance per row)."""
    rng = _rng(seed, 32)
    n = 40
    logits = rng.normal(0, 1, size=(n, len(INTENTS)))
    top = rng.integers(0, len(INTENTS), size=n)
    logits[np.arange(n), top] += rng.uniform(0, 4.5, size=n)
    frame = pd.DataFrame(logits.round(3), columns=list(INTENTS))
    frame.insert(0, "utterance_id", [f"FD{i:03d}" for i in range(n)])
    return frame


def softmax(logits: pd.DataFrame) -> pd.DataFrame:
    """Row-wise softmax of the intent logits (numerically stable)."""
    values = logits[list(INTENTS)].to_numpy(dtype=float)
    exp = np.exp(values - values.max(axis=1, keepdims=True))
    return pd.DataFrame(exp / exp.sum(axis=1, keepdims=True), columns=list(INTENTS), index=logits.index)


def route(top_probability: float) -> str:
    """The front desk's route for an utterance whose top intent has this probability."""
    if top_probability >= AUTO_AT:
        return "auto"
    return "confirm" if top_probability >= CONFIRM_AT else "human"


# --- b41a: beginners' safety quiz --------------------------------------------------------------------

def safety_quiz(seed: int) -> pd.DataFrame:
    """40 trainees' answers (A–D, blank when unanswered) to a 10-item quiz; the key is :func:`quiz_key`."""
    rng = _rng(seed, 41)
    key = quiz_key(seed)
    rows = []
    for t in range(40):
        ability = rng.normal()
        answers = {}
        for i, item in enumerate(QUIZ_ITEMS):
            p = 1 / (1 + np.exp(-(ability + 1.2 - 0.25 * i)))
            if rng.random() < 0.05:
                answers[item] = ""
            elif rng.random() < p:
                answers[item] = key[item]
            else:
                answers[item] = rng.choice([o for o in "ABCD" if o != key[item]])
        rows.append({"trainee": f"T{t + 1:02d}", **answers})
    return pd.DataFrame(rows)


def quiz_key(seed: int) -> dict[str, str]:
    """The quiz's answer key (item -> letter)."""
    rng = _rng(seed, 410)
    return {item: str(rng.choice(list("ABCD"))) for item in QUIZ_ITEMS}


# --- b42a: a junior's sentiment labels ---------------------------------------------------------------

def review_labels(seed: int) -> pd.DataFrame:
    """30 reviews with stars and a junior's sentiment label; some labels break the star rule."""
    rng = _rng(seed, 42)
    n = 30
    stars = rng.integers(1, 6, size=n)
    labels = [sentiment_of(s) for s in stars]
    wrong = rng.choice(n, size=5, replace=False)
    for i in wrong:
        labels[i] = str(rng.choice([s for s in SENTIMENTS if s != labels[i]]))
    return pd.DataFrame({"review_id": [f"RV{seed % 89:02d}{i:03d}" for i in range(n)], "stars": stars,
                         "label": labels})


def sentiment_of(stars: int) -> str:
    """The guideline's label for a star rating: 1–2 negative, 3 neutral, 4–5 positive."""
    return "negative" if stars <= 2 else ("neutral" if stars == 3 else "positive")


# --- b11b: a parcel company's hotline records, audited on arrival -------------------------------------

CALL_SOURCES = ("ivr", "app", "agent")
#: The audit rules of the hotline records: a call lasts 1–3600 seconds and has an intent; a call's
#: later records (the same ``call_id`` uploaded again) are repeats.
MIN_CALL_S, MAX_CALL_S = 1, 3600


def parcel_calls(seed: int) -> pd.DataFrame:
    """Hotline records from three collection sources; manual entry (``agent``) brings most faults."""
    rng = _rng(seed, 111)
    n = 480
    source = rng.choice(CALL_SOURCES, size=n, p=[0.45, 0.35, 0.2])
    duration = rng.integers(20, 900, size=n)
    intent = rng.choice(["查件", "催派", "投诉", "改地址", "理赔"], size=n).astype(object)
    fault = rng.random(n) < np.where(source == "agent", 0.3, 0.05)
    kind = rng.integers(0, 4, size=n)
    duration = np.where(fault & (kind == 0), rng.choice([0, -5, 3601, 7200], size=n), duration)
    intent[fault & (kind == 1)] = ""
    intent[fault & (kind == 2)] = "  "  # spaces only: blank too, though pandas reads it as text
    duration[:4] = [MIN_CALL_S, MAX_CALL_S, 0, MAX_CALL_S + 1]  # the edges always occur
    intent[:4] = "查件"
    call_id = np.array([f"C{seed % 991:03d}{i:05d}" for i in range(n)], dtype=object)
    again = rng.choice(np.arange(4, n - 40), size=16, replace=False)
    later = rng.choice(np.arange(n - 40, n), size=16, replace=False)
    call_id[later] = call_id[again]
    intent[later], duration[later] = intent[again], duration[again]
    return pd.DataFrame({"record_id": np.arange(1, n + 1), "call_id": call_id, "source": source,
                         "duration_s": duration, "intent": intent})


def call_checks(df: pd.DataFrame) -> pd.DataFrame:
    """The audit of each hotline record: ``bad_duration``, ``blank_intent``, ``repeat`` and ``passed``."""
    ordered = df.sort_values("record_id")
    checks = pd.DataFrame({
        "bad_duration": ~ordered["duration_s"].between(MIN_CALL_S, MAX_CALL_S),
        "blank_intent": ordered["intent"].fillna("").astype(str).str.strip().eq(""),
        "repeat": ordered["call_id"].duplicated(keep="first"),
    }, index=ordered.index).reindex(df.index)
    checks["passed"] = ~checks.any(axis=1)
    return checks


# --- b11c: a car park's two gate systems ----------------------------------------------------------------

#: The car park's local time zone; gate B's system stamps entries in Unix milliseconds (UTC).
PARK_TZ = "Asia/Shanghai"
_PLATE_LETTERS = list("ABCDEFGHJKLMN")


def _park_entries(seed: int, salt: int, n: int) -> pd.DataFrame:
    rng = _rng(seed, salt)
    day = rng.integers(0, 7, size=n)
    rush = rng.random(n)
    hour = np.where(rush < 0.35, rng.normal(8.5, 1.0, size=n),
                    np.where(rush < 0.65, rng.normal(18.0, 1.2, size=n), rng.uniform(6, 23, size=n)))
    minutes = (np.clip(hour, 0, 23.98) * 60).astype(int) + day * 24 * 60
    at = pd.Timestamp("2026-03-02") + pd.to_timedelta(minutes, unit="min") \
        + pd.to_timedelta(rng.integers(0, 60, size=n), unit="s")
    plate = [f"沪{rng.choice(_PLATE_LETTERS)}{rng.integers(10000, 99999)}" for _ in range(n)]
    fee = rng.choice([0.0, 5.0, 10.0, 15.0, 22.5, 40.0], size=n, p=[0.1, 0.3, 0.25, 0.15, 0.12, 0.08])
    return pd.DataFrame({"plate": plate, "entered_at": at, "fee_yuan": fee}).sort_values("entered_at")


def parking_gate_a(seed: int) -> pd.DataFrame:
    """Gate A's export: entry id, plate, local entry time as text, fee in yuan."""
    a = _park_entries(seed, 112, 320).reset_index(drop=True)
    return pd.DataFrame({"entry_id": [f"A{i:05d}" for i in range(len(a))], "plate": a["plate"],
                         "entered_at": a["entered_at"].dt.strftime("%Y-%m-%d %H:%M:%S"),
                         "fee_yuan": a["fee_yuan"]})


def parking_gate_b(seed: int) -> pd.DataFrame:
    """Gate B's export (another vendor): other column names, plates in lower case with a space,
    Unix-millisecond UTC stamps and fees in fen."""
    b = _park_entries(seed, 113, 260).reset_index(drop=True)
    rng = _rng(seed, 114)
    messy = rng.random(len(b)) < 0.5
    plate = [f"{p[:2].lower()} {p[2:]}" if m else p for p, m in zip(b["plate"], messy, strict=True)]
    utc = b["entered_at"].dt.tz_localize(PARK_TZ).dt.tz_convert("UTC")
    return pd.DataFrame({"id": [f"B{i:05d}" for i in range(len(b))], "plate_no": plate,
                         "ts_ms": (utc - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(milliseconds=1),
                         "fee_fen": (b["fee_yuan"] * 100).round().astype(int)})


def unified_entries(gate_a: pd.DataFrame, gate_b: pd.DataFrame) -> pd.DataFrame:
    """Both gates' entries in one schema: entry_id, plate (upper case, no spaces), local time, fee in yuan."""
    a = pd.DataFrame({"entry_id": gate_a["entry_id"], "plate": gate_a["plate"],
                      "entered_at": pd.to_datetime(gate_a["entered_at"]), "fee_yuan": gate_a["fee_yuan"]})
    b = pd.DataFrame({"entry_id": gate_b["id"], "plate": gate_b["plate_no"],
                      "entered_at": pd.to_datetime(gate_b["ts_ms"], unit="ms", utc=True)
                      .dt.tz_convert(PARK_TZ).dt.tz_localize(None),
                      "fee_yuan": gate_b["fee_fen"] / 100})
    both = pd.concat([a, b], ignore_index=True)
    both["plate"] = both["plate"].str.upper().str.replace(" ", "", regex=False)
    return both


# --- b12b: a gas company's service bot, an A/B test in one module ----------------------------------------

GAS_MODULES = ("billing", "repair", "meter_reading", "account")
#: The module the new intent model was rolled out in (to the treatment group only).
AB_MODULE = "billing"
#: The launch rule: at least this uplift of the resolution rate (percentage points) and no more hand-overs.
LAUNCH_UPLIFT_PP = 5.0


def gas_bot_ab(seed: int) -> pd.DataFrame:
    """Sessions of an A/B test: the treatment group's billing module has a new intent model.

    The other modules are the same in both groups but resolve far better than billing, and the groups
    are not the same size in every module, so rates over all modules dilute the uplift. Whether the
    new model hands more or fewer sessions to agents is drawn.
    """
    rng = _rng(seed, 121)
    n = 1600
    module = rng.choice(GAS_MODULES, size=n, p=[0.4, 0.2, 0.2, 0.2])
    treated = rng.random(n) < np.where(module == AB_MODULE, 0.5, 0.35)
    base = rng.uniform(0.48, 0.58)
    uplift = rng.uniform(0.07, 0.14)
    handover_shift = rng.choice([-0.05, 0.06])
    billing = module == AB_MODULE
    resolved = (rng.random(n) < np.where(billing, base + uplift * treated, 0.85)).astype(int)
    hand_rate = np.where(billing, 0.25 + handover_shift * treated, 0.1)
    handed = (rng.random(n) < hand_rate).astype(int)
    return pd.DataFrame({"session_id": [f"GS{seed % 977:03d}{i:05d}" for i in range(n)], "module": module,
                         "group": np.where(treated, "treatment", "control"), "resolved": resolved,
                         "handed_to_agent": handed})


def ab_rates(df: pd.DataFrame, column: str) -> pd.Series:
    """Percent of the A/B module's sessions per group with ``column`` = 1."""
    part = df[df["module"] == AB_MODULE]
    return part.groupby("group")[column].mean() * 100


# --- b12c: a hospital booking mini-program's funnel ------------------------------------------------------

#: The booking flow's steps, in order.
BOOKING_STEPS = ("choose_dept", "choose_doctor", "choose_time", "patient_info", "pay")


def clinic_funnel(seed: int) -> pd.DataFrame:
    """The event log of a booking mini-program: one row per step a session opened, some opened twice.

    One step in the middle of the flow (drawn) loses far more sessions than the others; users who go
    back and forth log the same step again, so rows are not sessions.
    """
    rng = _rng(seed, 122)
    n = 900
    weak = int(rng.integers(1, len(BOOKING_STEPS) - 1))
    keep = rng.uniform(0.84, 0.93, size=len(BOOKING_STEPS))
    keep[weak] = rng.uniform(0.5, 0.62)
    rows = []
    start = pd.Timestamp("2026-04-06 07:00")
    for i in range(n):
        at = start + pd.Timedelta(minutes=int(rng.integers(0, 7 * 24 * 60)))
        for k, step in enumerate(BOOKING_STEPS):
            if k and rng.random() > keep[k]:
                break
            for _ in range(1 + int(rng.random() < 0.12)):
                at += pd.Timedelta(seconds=int(rng.integers(5, 120)))
                rows.append((f"S{seed % 883:03d}{i:05d}", step, at.strftime("%Y-%m-%d %H:%M:%S")))
    return pd.DataFrame(rows, columns=["session_id", "step", "logged_at"])


def funnel_reached(events: pd.DataFrame) -> pd.Series:
    """Distinct sessions that reached each step, in the flow's order."""
    return events.groupby("step")["session_id"].nunique().reindex(list(BOOKING_STEPS), fill_value=0)


# --- b21b: a museum guide app's questions, labelled by three annotators ----------------------------------

MUSEUM_INTENTS = ("ticket", "route", "exhibit", "facility")
_MUSEUM_QUESTIONS = {
    "ticket": ["学生票多少钱", "周一开放吗", "可以网上预约吗", "老人免票吗"],
    "route": ["青铜馆怎么走", "最近的出口在哪", "从东门到二楼怎么走", "一小时能逛完哪些展厅"],
    "exhibit": ["这件瓷器是哪个朝代的", "镇馆之宝是什么", "书画展到什么时候", "这幅画的作者是谁"],
    "facility": ["哪里有洗手间", "可以寄存行李吗", "有轮椅借用吗", "餐厅在几楼"],
}
ANNOTATORS = ("ann_1", "ann_2", "ann_3")
#: The final label of a question two annotators cannot agree on.
REVIEW = "review"


def museum_labels(seed: int) -> pd.DataFrame:
    """Visitors' questions with three annotators' intent labels: spelled several ways, a few blank."""
    rng = _rng(seed, 211)
    n = 240
    truth = rng.choice(MUSEUM_INTENTS, size=n)
    frame = {"question_id": [f"Q{seed % 787:03d}{i:04d}" for i in range(n)],
             "question": [str(rng.choice(_MUSEUM_QUESTIONS[t])) for t in truth]}
    spellings = [str.capitalize, str.upper, lambda s: s + " ", lambda s: " " + s.capitalize()]
    blank_row = rng.random(n) < 0.06
    blank_col = rng.integers(0, len(ANNOTATORS), size=n)
    for j, name in enumerate(ANNOTATORS):
        wrong = rng.random(n) < 0.22
        labels = [str(rng.choice([x for x in MUSEUM_INTENTS if x != t])) if w else str(t)
                  for t, w in zip(truth, wrong, strict=True)]
        labels = [spellings[rng.integers(len(spellings))](x) if rng.random() < 0.2 else x for x in labels]
        blank = blank_row & (blank_col == j)
        frame[name] = ["" if b else x for x, b in zip(labels, blank, strict=True)]
    return pd.DataFrame(frame)


def normal_label(values: pd.Series) -> pd.Series:
    """Labels in one spelling (stripped, lower case); blank ones missing."""
    text = values.fillna("").astype(str).str.strip().str.lower()
    return text.where(text != "")


def final_labels(df: pd.DataFrame, *, normalise: bool = True) -> pd.Series:
    """Each question's final label, indexed by ``question_id``: the label at least two of the three
    annotators gave (after :func:`normal_label` unless ``normalise`` is false), else :data:`REVIEW`."""
    votes = df.set_index("question_id")[list(ANNOTATORS)]
    votes = votes.apply(normal_label) if normalise else votes.replace("", np.nan)
    a, b, c = (votes[name] for name in ANNOTATORS)
    first_agrees = a.notna() & ((a == b) | (a == c))
    return pd.Series(np.where(first_agrees, a, np.where(b.notna() & (b == c), b, REVIEW)), index=votes.index)


# --- b21c: a kitchen voice assistant's training utterances -----------------------------------------------

_KITCHEN_UTTERANCES = {
    "timer": ["定时3分钟", "定时10分钟提醒我", "OK小厨 倒计时5分钟", "关火", "暂停"],
    "oven": ["把烤箱调到200度", "烤箱预热180度", "烤箱温度调低20度", "打开烤箱灯"],
    "hood": ["打开抽油烟机", "油烟机调到3档", "关掉油烟机", "油烟机风力大一点"],
    "recipe": ["播放红烧肉菜谱", "下一步怎么做", "番茄炒蛋要放几个蛋", "重复上一步"],
}
#: The spec's shortest utterance worth keeping, in characters after normalising.
MIN_UTTERANCE_CHARS = 2
_FULL_WIDTH = str.maketrans("0123456789OKok", "０１２３４５６７８９ＯＫｏｋ")


def kitchen_utterances(seed: int) -> pd.DataFrame:
    """Utterances collected for a kitchen voice assistant: full-width characters, stray spaces, letter
    case, copies that differ only in those, and empty or one-character texts."""
    rng = _rng(seed, 212)
    n = 360
    intent = rng.choice(list(_KITCHEN_UTTERANCES), size=n)
    texts = []
    for it in intent:
        text = str(rng.choice(_KITCHEN_UTTERANCES[it]))
        if rng.random() < 0.5:
            text += str(rng.choice(["", "吧", "一下", "好吗", "呀"]))
        fault = rng.random()
        if fault < 0.15:
            text = text.translate(_FULL_WIDTH)
        elif fault < 0.27:
            text = f"  {text} "
        elif fault < 0.35:
            text = text.replace("分钟", " 　分钟").upper()
        texts.append(text)
    short = rng.choice(n, size=10, replace=False)
    for k, i in enumerate(short):
        texts[i] = ["", " ", "嗯", "　", "啊"][k % 5]
    return pd.DataFrame({"utt_id": np.arange(1, n + 1), "text": texts, "intent": intent})


def normal_text(values: pd.Series) -> pd.Series:
    """The spec's normal form: NFKC (full-width to half-width), one space for a run, stripped, lower case."""
    text = values.fillna("").astype(str).str.normalize("NFKC")
    return text.str.replace(r"\s+", " ", regex=True).str.strip().str.lower()


# --- b22b: a water utility's daily demand ---------------------------------------------------------------

#: The share of the latest days kept as the test set (a forecast is tested on the future).
TEST_SHARE = 0.2


def water_demand(seed: int) -> pd.DataFrame:
    """Daily water demand (thousand m³) with weather and calendar; the export is not in date order."""
    rng = _rng(seed, 221)
    n = 600
    dates = pd.date_range("2024-03-01", periods=n, freq="D")
    season = np.sin(2 * np.pi * (dates.day_of_year.to_numpy() - 105) / 365)
    temp = (17 + 11 * season + rng.normal(0, 3, size=n)).round(1)
    rain = np.where(rng.random(n) < 0.3, rng.gamma(1.5, 8, size=n), 0).round(1)
    weekend = (dates.day_of_week >= 5).astype(int)
    holiday = (rng.random(n) < 0.03).astype(int)
    growth = rng.uniform(0.02, 0.06)
    demand = 300 + 6.5 * temp - 0.9 * rain - 28 * weekend - 45 * holiday + growth * np.arange(n) \
        + rng.normal(0, 10, size=n)
    frame = pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "temp_c": temp, "rain_mm": rain,
                          "is_weekend": weekend, "is_holiday": holiday, "demand": demand.round(1)})
    return frame.sample(frac=1, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)


# --- b22c: a tile factory's kiln batches ----------------------------------------------------------------

KILN_FEATURES = ("peak_temp", "ramp_rate", "humidity", "clay_moisture", "fan_speed", "door_opens")


def kiln_batches(seed: int) -> pd.DataFrame:
    """Kiln batches with sensor readings and whether the batch had defects: two readings matter, the
    others are noise, and about one label in seven is flipped (inspectors disagree), so a tree grown
    to the end learns the noise."""
    rng = _rng(seed, 222)
    n = 700
    frame = pd.DataFrame({
        "batch_id": [f"K{seed % 593:03d}{i:04d}" for i in range(n)],
        "peak_temp": rng.normal(1180, 25, size=n).round(1),
        "ramp_rate": rng.normal(6, 1.2, size=n).round(2),
        "humidity": rng.uniform(30, 80, size=n).round(1),
        "clay_moisture": rng.normal(6.5, 1.0, size=n).round(2),
        "fan_speed": rng.normal(900, 60, size=n).round(),
        "door_opens": rng.poisson(2, size=n),
    })
    risk = (np.abs(frame["peak_temp"] - 1180) > 30) | (frame["clay_moisture"] > 7.4)
    flipped = rng.random(n) < 0.14
    frame["defect"] = (risk ^ flipped).astype(int)
    return frame


# --- b31b: smart-canteen checkout cameras -------------------------------------------------------------

#: The canteen's trays per day and camera, and the alert rule: a day's error rate above this share.
CANTEEN_TRAYS = {"A": 100, "B": 20}
CANTEEN_DAYS = 14
CANTEEN_ALERT = 0.075


def canteen_checkout(seed: int) -> pd.DataFrame:
    """One row per tray at a canteen's AI checkout: day, camera, whether the cashier corrected it.

    Camera A is busy and steadily a little wrong (6–8 corrections in 100 trays a day); camera B's lens
    clouds over from a drawn day (4–6 corrections in 20 trays instead of 0–1), so on alert days A has
    more corrections but B the far higher rate. One quiet day has exactly the alert rate (9 of 120).
    """
    rng = _rng(seed, 311)
    start = int(rng.integers(4, 8))
    quiet = int(rng.integers(0, start))
    rows = []
    for day in range(CANTEEN_DAYS):
        on_a = int(rng.integers(6, 9))
        on_b = int(rng.integers(4, 7) if day >= start else rng.integers(0, 2))
        wrong = {"A": on_a, "B": on_b}
        if day == quiet:
            wrong = {"A": 8, "B": 1}
        date = (pd.Timestamp("2026-03-02") + pd.Timedelta(days=day)).date().isoformat()
        for camera, trays in CANTEEN_TRAYS.items():
            flags = np.zeros(trays, dtype=int)
            flags[rng.choice(trays, size=wrong[camera], replace=False)] = 1
            rows += [(date, camera, int(f)) for f in flags]
    frame = pd.DataFrame(rows, columns=["date", "camera", "corrected"])
    frame = frame.sample(frac=1, random_state=int(rng.integers(1 << 31))).sort_values("date", kind="stable")
    frame.insert(0, "tray_id", [f"T{seed % 83:02d}{i:05d}" for i in range(len(frame))])
    return frame.reset_index(drop=True)


# --- b31c: a delivery platform's route API -----------------------------------------------------------

#: Each endpoint's latency objective: its p95 in milliseconds must not exceed this.
ROUTE_SLO_MS = {"plan_route": 800, "eta": 300, "geocode": 200, "track": 250, "dispatch": 500}


def route_api_latency(seed: int) -> pd.DataFrame:
    """One row per call of a delivery platform's route API: endpoint and latency (ms).

    Drawn per seed: one endpoint slow throughout (mean and p95 over its objective), one with a heavy
    tail (its mean well under the objective, its p95 over it), one with a few time-outs (its maximum far
    over the objective, its p95 well under); the others are fine.
    """
    rng = _rng(seed, 312)
    slow, tail, spikes = rng.choice(list(ROUTE_SLO_MS), size=3, replace=False)
    rows = []
    for endpoint, slo in ROUTE_SLO_MS.items():
        n = int(rng.integers(260, 340))
        centre = 1.3 if endpoint == slow else 0.4
        latency = slo * centre * rng.lognormal(0, 0.2, size=n)
        if endpoint == tail:
            heavy = rng.random(n) < 0.12
            latency[heavy] = slo * rng.uniform(1.6, 2.6, size=heavy.sum())
        if endpoint == spikes:
            latency[rng.choice(n, size=3, replace=False)] = slo * rng.uniform(6, 10, size=3)
        rows += [(endpoint, round(float(v))) for v in latency]
    frame = pd.DataFrame(rows, columns=["endpoint", "latency_ms"])
    frame = frame.sample(frac=1, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
    frame.insert(0, "call_id", [f"C{i:05d}" for i in range(len(frame))])
    return frame


# --- b32b: a power company's voicebot hand-off ------------------------------------------------------------

#: What a call costs (yuan): the bot answering wrongly (a complaint and a call-back), a person answering.
WRONG_ANSWER_COST, PERSON_COST = 40, 6
#: The thresholds the team considers: the bot answers when its confidence is at least the threshold.
HANDOFF_THRESHOLDS = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))


def voicebot_calls(seed: int) -> pd.DataFrame:
    """Calls to a power company's voicebot: its confidence (two decimals) and whether its answer was right.

    The chance of a right answer rises with the confidence; many confidences sit exactly on a threshold
    of :data:`HANDOFF_THRESHOLDS`, so ``>=`` and ``>`` give other costs.
    """
    rng = _rng(seed, 321)
    n = 800
    confidence = rng.beta(4, 1.6, size=n).clip(0.3, 0.99)
    on_edge = rng.random(n) < 0.15
    confidence[on_edge] = rng.choice(HANDOFF_THRESHOLDS, size=on_edge.sum())
    confidence = confidence.round(2)
    shift = rng.uniform(0.68, 0.8)
    right = rng.random(n) < 1 / (1 + np.exp(-(confidence - shift) * 14 - 1.2))
    return pd.DataFrame({"call_id": [f"V{seed % 71:02d}{i:04d}" for i in range(n)], "confidence": confidence,
                         "bot_correct": right.astype(int)})


def handoff_costs(calls: pd.DataFrame) -> pd.DataFrame:
    """Per threshold: the share the bot answers, its wrong answers and the total cost (the reference)."""
    rows = []
    for t in HANDOFF_THRESHOLDS:
        bot = calls["confidence"] >= t - 1e-9
        wrong = int((bot & (calls["bot_correct"] == 0)).sum())
        cost = wrong * WRONG_ANSWER_COST + int((~bot).sum()) * PERSON_COST
        rows.append((t, float(bot.mean()), wrong, cost))
    return pd.DataFrame(rows, columns=["threshold", "automation_rate", "wrong_answers", "total_cost"])


# --- b32c: a permit-application chatbot's funnel ---------------------------------------------------------

PERMIT_STEPS = ("greet", "identify", "fill_form", "upload", "confirm")


def permit_bot_sessions(seed: int) -> pd.DataFrame:
    """Sessions of a city's business-permit chatbot: the last step reached and whether it was completed.

    Most sessions that leave, leave at ``greet`` (browsers); one later step (drawn) loses far more of the
    sessions that reach it than any other step, though fewer sessions in number than ``greet``.
    """
    rng = _rng(seed, 322)
    n = int(rng.integers(900, 1100))
    bad = str(rng.choice(PERMIT_STEPS[1:4]))
    reached, rows = n, []
    for step in PERMIT_STEPS:
        rate = 0.33 if step == "greet" else 0.4 if step == bad else float(rng.uniform(0.06, 0.14))
        left = round(reached * rate)
        rows += [(step, 0)] * left
        reached -= left
    rows += [("confirm", 1)] * reached
    frame = pd.DataFrame(rows, columns=["last_step", "completed"])
    frame = frame.sample(frac=1, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
    frame.insert(0, "session_id", [f"P{seed % 61:02d}{i:05d}" for i in range(len(frame))])
    return frame


def step_dropoff(sessions: pd.DataFrame) -> pd.Series:
    """Per step, the share of the sessions reaching it that leave there (the reference of b32c)."""
    order = sessions["last_step"].map({s: i for i, s in enumerate(PERMIT_STEPS)})
    rates = {}
    for i, step in enumerate(PERMIT_STEPS):
        reach = order >= i
        rates[step] = float(((order == i) & reach & (sessions["completed"] == 0)).sum() / reach.sum())
    return pd.Series(rates)


# --- b41b: a labelling course's pre- and post-test ------------------------------------------------------

COURSE_MODULES = ("text_labels", "image_boxes", "audio_transcripts", "quality_checks")


def course_scores(seed: int) -> pd.DataFrame:
    """30 L4 trainees' pre- and post-test scores per module (0–100); the absent have no post score.

    The trainees absent from the post-test scored low before, so averaging the posts and the pres apart
    (instead of the gains of those who sat both) gives every module a larger gain.
    """
    rng = _rng(seed, 411)
    trainees = [f"L4-{i + 1:02d}" for i in range(30)]
    absent = set(rng.choice(trainees, size=4, replace=False))
    lift = dict(zip(COURSE_MODULES, rng.permutation([4.0, 9.0, 14.0, 19.0]), strict=True))
    rows = []
    for trainee in trainees:
        base = rng.normal(48 if trainee in absent else 63, 8)
        for module in COURSE_MODULES:
            pre = float(np.clip(round(base + rng.normal(0, 6)), 0, 100))
            after = pre + lift[module] + rng.normal(0, 5)
            post = np.nan if trainee in absent else float(np.clip(round(after), 0, 100))
            rows.append((trainee, module, pre, post))
    return pd.DataFrame(rows, columns=["trainee", "module", "pre", "post"])


# --- b41c: L5 trainees' labelling practice ---------------------------------------------------------------

PRACTICE_ITEMS = 25
#: A trainee whose accuracy is below this share retrains before labelling production data.
RETRAIN_BELOW = 0.8


def practice_labels(seed: int) -> pd.DataFrame:
    """12 L5 trainees' labels of 25 practice reviews beside the gold label; labels typed in mixed case.

    One trainee gets exactly the retraining line (20 of 25 right); spellings such as `` Positive`` or
    ``NEGATIVE`` are the right label typed carelessly.
    """
    rng = _rng(seed, 412)
    gold = rng.choice(SENTIMENTS, size=PRACTICE_ITEMS)
    rights = rng.integers(15, 26, size=12)
    rights[int(rng.integers(12))] = round(RETRAIN_BELOW * PRACTICE_ITEMS)
    rows = []
    for t, n_right in enumerate(rights):
        right = np.zeros(PRACTICE_ITEMS, dtype=bool)
        right[rng.choice(PRACTICE_ITEMS, size=n_right, replace=False)] = True
        for i in range(PRACTICE_ITEMS):
            label = gold[i] if right[i] else str(rng.choice([s for s in SENTIMENTS if s != gold[i]]))
            if rng.random() < 0.12:
                label = str(rng.choice([label.upper(), f" {label.capitalize()}", f"{label} "]))
            rows.append((f"L5-{t + 1:02d}", f"Q{i + 1:02d}", label, gold[i]))
    return pd.DataFrame(rows, columns=["trainee", "item", "label", "gold"])


# --- b42b: a junior's shelf-photo collection ---------------------------------------------------------------

#: The collection spec: at least this many pixels wide and high, these formats, the store's consent.
MIN_WIDTH, MIN_HEIGHT = 1280, 720
PHOTO_FORMATS = ("jpg", "png")


def shelf_photos(seed: int) -> pd.DataFrame:
    """A junior's 40 shelf photos for a product-recognition set; some break one rule of the spec each.

    Valid edge cases are kept in: exactly 1280 × 720, and the format written ``JPG`` or ``Png``.
    """
    rng = _rng(seed, 421)
    n = 40
    width = rng.choice([1280, 1600, 1920, 2560, 4032], size=n)
    height = (width * 9 // 16).astype(int)
    fmt = rng.choice(["jpg", "png", "JPG", "Png"], size=n, p=[0.5, 0.2, 0.2, 0.1]).astype(object)
    consent = np.ones(n, dtype=int)
    picks = rng.choice(n, size=9, replace=False)
    width[picks[:3]] = rng.choice([640, 960, 1024], size=3)
    height[picks[:3]] = rng.choice([480, 540, 576], size=3)
    fmt[picks[3:6]] = rng.choice(["heic", "webp", "bmp"], size=3)
    consent[picks[6:8]] = 0
    width[picks[8]], height[picks[8]] = MIN_WIDTH, MIN_HEIGHT
    return pd.DataFrame({"file_name": [f"shelf_{seed % 53:02d}_{i:03d}" for i in range(n)], "width": width,
                         "height": height, "format": fmt, "store_consent": consent})


def photo_fault(row: pd.Series) -> str | None:
    """The rule of the collection spec a photo breaks (``None`` when it keeps every rule)."""
    if row["width"] < MIN_WIDTH or row["height"] < MIN_HEIGHT:
        return "resolution"
    if str(row["format"]).strip().lower() not in PHOTO_FORMATS:
        return "format"
    return None if row["store_consent"] == 1 else "consent"


# --- b42c: a junior's train/test split -----------------------------------------------------------------

def churn_split(seed: int) -> pd.DataFrame:
    """A junior's split of a telecom churn table (several rows per customer); some customers leak.

    Customers with rows in both splits are planted, some with the id typed in another case or with a
    space (the same customer); decoys are customers with several rows all in one split.
    """
    rng = _rng(seed, 422)
    customers = [f"C{seed % 7:01d}{i:03d}" for i in rng.choice(1000, size=90, replace=False)]
    rows = []
    for i, customer in enumerate(customers):
        n_rows = int(rng.integers(1, 4))
        split = "test" if i % 5 == 0 else "train"
        splits = [split] * n_rows
        if i % 11 == 3:
            splits = ["train", "test"] + splits[2:] if n_rows > 1 else ["train", "test"]
        for s in splits:
            shown = customer
            if s == "test" and i % 11 == 3 and rng.random() < 0.5:
                shown = str(rng.choice([customer.lower(), f"{customer} "]))
            rows.append((shown, s, int(rng.integers(1, 72)), round(float(rng.uniform(20, 180)), 1)))
    frame = pd.DataFrame(rows, columns=["customer_id", "split", "tenure_months", "monthly_fee"])
    frame = frame.sample(frac=1, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
    frame.insert(0, "record_id", [f"R{i:04d}" for i in range(len(frame))])
    return frame


def leaked_customers(split: pd.DataFrame) -> set[str]:
    """The customers (id stripped, upper case) with rows in both the train and the test split."""
    ids = split["customer_id"].astype(str).str.strip().str.upper()
    return set(ids[split["split"] == "train"]) & set(ids[split["split"] == "test"])


# --- files --------------------------------------------------------------------------------------------

BUILDERS = {"hotel_bot": hotel_bot, "after_sales": after_sales, "bike_rides": bike_rides,
            "review_features": review_features, "bike_app_usage": bike_app_usage,
            "front_desk_logits": front_desk_logits, "safety_quiz": safety_quiz,
            "review_labels": review_labels, "parcel_calls": parcel_calls,
            "parking_gate_a": parking_gate_a, "parking_gate_b": parking_gate_b,
            "gas_bot_ab": gas_bot_ab, "clinic_funnel": clinic_funnel,
            "museum_labels": museum_labels, "kitchen_utterances": kitchen_utterances,
            "water_demand": water_demand, "kiln_batches": kiln_batches,
            "canteen_checkout": canteen_checkout,
            "route_api_latency": route_api_latency, "voicebot_calls": voicebot_calls,
            "permit_bot_sessions": permit_bot_sessions, "course_scores": course_scores,
            "practice_labels": practice_labels, "shelf_photos": shelf_photos, "churn_split": churn_split}


@lru_cache(maxsize=32)
def table(name: str, seed: int) -> pd.DataFrame:
    """The table ``name`` of ``seed`` as the candidate reads it back from its CSV file."""
    return pd.read_csv(data_file(name, seed), keep_default_na=False, na_values=[""])


def data_file(name: str, seed: int) -> Path:
    """The CSV file of table ``name`` for ``seed``: the bundled file, or a cached copy for other seeds."""
    if seed == DEFAULT_SEED:
        return dataset_file(DATASET, f"{name}/{name}.csv")
    return variant_csv(f"bank_{name}", seed, BUILDERS[name])


def write_defaults(folder: Path | None = None) -> list[Path]:
    """Write every table of the default seed as ``<folder>/<name>/<name>.csv`` (the bundled files)."""
    folder = folder or datasets_root() / DATASET
    written = []
    for name, build in BUILDERS.items():
        path = folder / name / f"{name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        build(DEFAULT_SEED).to_csv(path, index=False, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_defaults():
        print(written_path)
