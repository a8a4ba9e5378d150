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
            "review_labels": review_labels, "canteen_checkout": canteen_checkout,
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
