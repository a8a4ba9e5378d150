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


# --- files --------------------------------------------------------------------------------------------

BUILDERS = {"hotel_bot": hotel_bot, "after_sales": after_sales, "bike_rides": bike_rides,
            "review_features": review_features, "bike_app_usage": bike_app_usage,
            "front_desk_logits": front_desk_logits, "safety_quiz": safety_quiz,
            "review_labels": review_labels}


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
