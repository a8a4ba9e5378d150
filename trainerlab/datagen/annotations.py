"""Intent labels from three annotators for a telecom operator's service chat (the L2 data-cleaning lab).

``build(seed)`` writes the utterances a labelling vendor returned for the customer-service intent
classifier of 畅联通信 (ChangLian Telecom): each row an utterance with its customer, channel and
wait time, labelled independently by three annotators. The faults are the ones a team meets when it
turns such a batch into a training set and a golden test set (``datasets/intent_annotations/README.md``):

* one careless annotator (chosen by the seed) whose labels are often random;
* confusable intent pairs (bill/payment, outage/complaint) on which careful annotators slip;
* two-intent utterances on which the annotators split three ways, and skipped rows (a blank label)
  whose two labels disagree: ties that must be escalated, not guessed; other two-intent utterances
  with a 2–1 majority, whose probabilities a text model splits between two intents;
* planted label errors: rows where two annotators gave the same wrong (confusable) label, so the
  majority is wrong; the texts say their true intent plainly, so out-of-fold probabilities can find them;
* near-duplicates: a message sent again with another letter case, full-width characters, spaces or
  punctuation;
* repeat customers: several utterances of one customer, which must stay on one side of a split;
* missing wait times.

Everything is written by this project from templates: no exam bank, no real customers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from trainerlab.variants import DEFAULT_SEED, variant_csv

NAME = "intent_annotations"
FILE_NAME = "intent_annotations.csv"
ANNOTATORS = ("A01", "A02", "A03")
INTENTS: dict[str, tuple[str, str]] = {
    "bill": ("查询账单", "bill enquiry"),
    "payment": ("缴费充值", "payment and top-up"),
    "plan": ("套餐变更", "plan change"),
    "outage": ("故障报修", "fault report"),
    "complaint": ("投诉", "complaint"),
}
LABELS = tuple(INTENTS)
CHANNELS = ("app", "web", "phone", "wechat")
COLUMNS = ["utt_id", "customer_id", "channel", "text", "wait_seconds", *ANNOTATORS]
#: Pairs of intents careful annotators confuse (and the planted label errors come from).
CONFUSABLE = {"bill": "payment", "payment": "bill", "outage": "complaint", "complaint": "outage",
              "plan": "bill"}

N_UTTERANCES = 900
N_PLANTED = 24  # rows whose majority label is wrong
N_THREE_WAY = 30  # two-intent utterances the three annotators label three ways
N_TWO_INTENT_MAJORITY = 24  # two-intent utterances with a 2–1 majority for the guideline's intent
N_SKIPPED_TIES = 12  # one annotator skipped; the other two disagree
N_SKIPPED_AGREE = 10  # one annotator skipped; the other two agree
N_NEAR_DUPLICATES = 45  # messages sent again, written differently
CARELESS_ACCURACY = 0.6
CAREFUL_ACCURACY = 0.94
WAIT_MISSING_SHARE = 0.05

_FILL = {
    "m": ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "上个月", "这个月",
          "上上个月"],
    "y": ["30", "50", "58", "88", "100", "128", "199", "36.5", "72", "105", "20", "66"],
    "p": ["5G畅享套餐", "畅联99元套餐", "校园套餐", "流量王套餐", "亲情卡套餐", "宽带融合套餐"],
    "place": ["小区", "公司", "家里", "地铁站", "学校"],
    "dev": ["宽带", "手机信号", "光猫", "4G网络", "5G网络", "WiFi"],
}
TEMPLATES: dict[str, list[str]] = {
    "bill": ["帮我查一下{m}的账单明细", "{m}话费账单怎么这么多，能列一下明细吗", "我想看看{m}的消费清单",
             "{m}账单里的{y}元是什么费用", "怎么在APP里查历史账单", "请发一份{m}的电子账单给我",
             "{m}的通话详单在哪里查", "账单上的流量费是怎么算的"],
    "payment": ["我要交{y}元话费", "怎么用微信给手机充值", "帮我充{y}块钱话费",
                "交完费还显示欠费，钱到账了吗",
                "可以开通自动缴费吗", "充值卡怎么用", "给家人的号码充{y}元", "银行卡缴费失败怎么办"],
    "plan": ["我想把套餐换成{p}", "{p}每个月多少钱，怎么办理", "下个月起改成{p}", "取消{p}里的流量包",
             "我要降级套餐，现在的太贵了", "怎么从{p}换到更便宜的", "帮我加一个{y}元的流量包",
             "{p}可以改成按月的吗"],
    "outage": ["{place}的{dev}断了，麻烦派人来修", "{dev}从早上开始就连不上", "{place}{dev}特别慢，帮我报修",
               "光猫红灯一直闪，{dev}用不了", "{dev}时断时续，请安排维修", "报修{place}的{dev}故障",
               "{dev}完全没有信号了", "装维师傅什么时候上门修{dev}"],
    "complaint": ["你们乱扣费，我要投诉", "客服态度太差了，我要投诉", "说好的优惠没兑现，我要投诉到工信部",
                  "维修师傅迟到三个小时，投诉", "营业厅员工骗我办套餐，我要投诉",
                  "一直推销电话太烦了，我要投诉",
                  "上次投诉还没人处理，再投诉一次", "不经同意给我开通业务，投诉"],
}
#: Two-intent utterances (template, the guideline's intent, the other intent said): the annotators split
#: three ways on some; on others two give the guideline's intent and one the other (a hard majority).
TWO_INTENT: list[tuple[str, str, str]] = [
    ("{m}账单多扣了{y}元，马上给我退回来，不然投诉", "complaint", "bill"),
    ("{dev}坏了三天没人修，我要投诉", "complaint", "outage"),
    ("交了{y}元还是停机，{dev}也用不了", "outage", "payment"),
    ("换成{p}以后账单反而更贵了", "bill", "plan"),
    ("充了{y}元话费，想顺便改成{p}", "plan", "payment"),
    ("{dev}总断，我要换个便宜的套餐", "plan", "outage"),
]
_PHONE_FILLERS = ["嗯", "那个", "喂", "就是"]
#: How customers open and close a message (so most texts are not repeated word for word).
_OPENINGS = ["", "", "", "你好，", "您好，", "请问", "麻烦问下，", "客服，", "在吗？", "急！", "打扰一下，",
             "哈喽，"]
_CLOSINGS = ["", "", "", "，谢谢", "，急", "，在线等", "，麻烦尽快", "。", "，辛苦了", "，多谢", "，快点"]
_PUNCT_SWAPS = [("，", ","), ("。", "."), ("？", "?"), ("！", "!")]


@dataclass(frozen=True)
class AnnotationVariant:
    """The vendor's batch (:data:`COLUMNS`, a skipped label blank) and the truth the checks grade against."""

    table: pd.DataFrame
    true_label: dict[str, str]  # utt_id -> the guideline's intent
    careless: str  # the annotator to retrain
    planted: tuple[str, ...]  # rows whose majority label is a planted wrong label
    ties: tuple[str, ...]  # rows with no label given by two annotators
    near_duplicates: dict[str, str]  # utt_id of a copy -> utt_id of the message it repeats


def normalise(text: str) -> str:
    """The text as a duplicate detector compares it: NFKC, lower case, no spaces, punctuation or symbols."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] in "PS"))


def _fill(rng: np.random.Generator, template: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(rng.choice(_FILL[m.group(1)])), template)


def _dress(rng: np.random.Generator, templates: list[str]) -> str:
    """One message: a template with its slots filled, with the customer's own opening and closing."""
    body = _fill(rng, str(rng.choice(templates)))
    return f"{rng.choice(_OPENINGS)}{body}{rng.choice(_CLOSINGS)}"


def _in_channel(rng: np.random.Generator, text: str, channel: str) -> str:
    """How a channel writes a message: speech-to-text drops punctuation and adds fillers."""
    if channel == "phone":
        text = re.sub(r"[，。？！,.?!]", " ", text).strip()
        return f"{rng.choice(_PHONE_FILLERS)} {text}"
    if channel == "wechat" and rng.random() < 0.4:
        return text + "～"
    return text


def _rewrite(rng: np.random.Generator, text: str) -> str:
    """The same message written differently: case, full-width characters, spaces or punctuation."""
    out = text
    for ch in rng.permutation(4):
        if ch == 0:
            out = out.swapcase() if re.search(r"[A-Za-z]", out) else out + "！"
        elif ch == 1:
            out = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in out)
        elif ch == 2:
            out = f" {out[:len(out) // 2]} {out[len(out) // 2:]}  "
        else:
            for a, b in _PUNCT_SWAPS:
                out = out.replace(a, b) if rng.random() < 0.5 else out.replace(b, a)
            out = out + "?" if rng.random() < 0.3 else out
    if normalise(out) != normalise(text):  # never change the words themselves
        raise AssertionError((text, out))
    return out if out != text else out + " "


def _careful(rng: np.random.Generator, truth: str) -> str:
    if rng.random() < CAREFUL_ACCURACY:
        return truth
    return CONFUSABLE[truth] if rng.random() < 0.7 else str(rng.choice([x for x in LABELS if x != truth]))


def _careless(rng: np.random.Generator, truth: str) -> str:
    return truth if rng.random() < CARELESS_ACCURACY else str(rng.choice(LABELS))


def _three_way(rng: np.random.Generator, truth: str) -> list[str]:
    """Three different labels, the truth among them."""
    others = [x for x in LABELS if x != truth]
    picked = [truth, *rng.choice(others, size=2, replace=False)]
    return [str(x) for x in rng.permutation(picked)]


def build(seed: int = DEFAULT_SEED) -> AnnotationVariant:
    """Generate the annotated batch for ``seed`` (deterministic) with its truth."""
    rng = np.random.default_rng([seed, 2101])
    careless = str(rng.choice(ANNOTATORS))
    careful = [a for a in ANNOTATORS if a != careless]
    n_single = N_UTTERANCES - N_THREE_WAY - N_TWO_INTENT_MAJORITY - N_NEAR_DUPLICATES
    rows: list[dict[str, object]] = []
    for truth in rng.choice(LABELS, size=n_single, p=[0.24, 0.2, 0.2, 0.2, 0.16]):
        rows.append({"truth": str(truth), "kind": "single", "base": _dress(rng, TEMPLATES[str(truth)])})
    kinds = ["three_way"] * N_THREE_WAY + ["two_majority"] * N_TWO_INTENT_MAJORITY
    for kind, index in zip(kinds, rng.integers(0, len(TWO_INTENT), size=len(kinds)), strict=True):
        template, truth, other = TWO_INTENT[index]
        rows.append({"truth": truth, "other": other, "kind": kind, "base": _dress(rng, [template])})
    n_customers = int(len(rows) * 0.72)
    customer_numbers = rng.choice(np.arange(1000, 9999), size=n_customers, replace=False)
    for i, row in enumerate(rows):
        # every customer has one utterance at least; the rest go to repeat customers
        repeat = customer_numbers[int(rng.integers(0, n_customers // 5))] if i >= n_customers else None
        number = customer_numbers[i] if repeat is None else repeat
        row["customer_id"] = f"C{number:04d}"
        row["channel"] = str(rng.choice(CHANNELS, p=[0.35, 0.2, 0.25, 0.2]))
        row["text"] = _in_channel(rng, str(row["base"]), str(row["channel"]))
    # near-duplicates: the same customer sends a message again, written differently
    originals = rng.choice([i for i, r in enumerate(rows) if r["kind"] == "single"], size=N_NEAR_DUPLICATES,
                           replace=False)
    for i in originals:
        copy = dict(rows[i], kind="copy", text=_rewrite(rng, str(rows[i]["text"])), original=int(i))
        rows.append(copy)
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    position = {int(old): new for new, old in enumerate(order)}
    first_id = int(rng.integers(10000, 50000))
    ids = [f"U{first_id + 3 * i:05d}" for i in range(len(rows))]

    singles = [i for i, r in enumerate(rows) if r["kind"] == "single"]
    planted = set(rng.choice(singles, size=N_PLANTED, replace=False).tolist())
    rest = [i for i in singles if i not in planted]
    skipped = rng.choice(rest, size=N_SKIPPED_TIES + N_SKIPPED_AGREE, replace=False)
    skipped_ties = set(skipped[:N_SKIPPED_TIES].tolist())
    skipped_agree = set(skipped[N_SKIPPED_TIES:].tolist())
    labels = {a: [] for a in ANNOTATORS}
    ties = []
    for i, row in enumerate(rows):
        truth = str(row["truth"])
        if row["kind"] == "three_way":
            given = dict(zip(ANNOTATORS, _three_way(rng, truth), strict=True))
            ties.append(i)
        elif row["kind"] == "two_majority":
            given = {careful[0]: truth, careful[1]: truth, careless: str(row["other"])}
        elif i in planted:
            wrong = CONFUSABLE[truth]
            given = {careful[0]: wrong, careful[1]: wrong, careless: _careless(rng, truth)}
            if given[careless] == wrong:
                given[careless] = truth
        elif i in skipped_ties or i in skipped_agree:
            skip = str(rng.choice(ANNOTATORS))
            left = [a for a in ANNOTATORS if a != skip]
            pair = [truth, CONFUSABLE[truth]] if i in skipped_ties else [truth, truth]
            given = {skip: "", left[0]: pair[0], left[1]: pair[1]}
            if i in skipped_ties:
                ties.append(i)
        else:
            given = {a: _careful(rng, truth) for a in careful} | {careless: _careless(rng, truth)}
            if len({given[a] for a in ANNOTATORS}) == 3:  # a three-way split by chance: break it
                given[careful[1]] = given[careful[0]] = truth
        for a in ANNOTATORS:
            labels[a].append(given[a])
    wait = np.round(rng.lognormal(3.2, 0.9, size=len(rows)), 1)
    wait[rng.random(len(rows)) < WAIT_MISSING_SHARE] = np.nan
    table = pd.DataFrame({
        "utt_id": ids,
        "customer_id": [r["customer_id"] for r in rows],
        "channel": [r["channel"] for r in rows],
        "text": [r["text"] for r in rows],
        "wait_seconds": wait,
        **labels,
    })[COLUMNS]
    # a copy's own labels may differ; its majority is judged like any row's, its planted status follows it
    return AnnotationVariant(
        table=table,
        true_label={ids[i]: str(r["truth"]) for i, r in enumerate(rows)},
        careless=careless,
        planted=tuple(ids[i] for i in sorted(planted)),
        ties=tuple(ids[i] for i in sorted(ties)),
        near_duplicates={ids[i]: ids[position[int(r["original"])]] for i, r in enumerate(rows)
                         if r["kind"] == "copy"},
    )


@lru_cache(maxsize=4)
def variant(seed: int = DEFAULT_SEED) -> AnnotationVariant:
    """Cached :func:`build`, for checks that grade many answers against one variant."""
    return build(seed)


def data_file(seed: int = DEFAULT_SEED) -> Path:
    """The batch for ``seed``: the bundled file, or a cached copy written for another seed."""
    if seed == DEFAULT_SEED:
        from trainerlab.paths import dataset_file

        return dataset_file(NAME, FILE_NAME)
    return variant_csv(NAME, seed, lambda s: build(s).table)


def main() -> None:
    """Rewrite ``datasets/intent_annotations/intent_annotations.csv`` for the default seed."""
    from trainerlab.paths import datasets_root

    path = datasets_root() / NAME / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    build(DEFAULT_SEED).table.to_csv(path, index=False, encoding="utf-8")
    print(f"{path} (seed {DEFAULT_SEED})")


if __name__ == "__main__":
    main()
