"""Checks for the L2 data-cleaning lab: a training set and a golden test set a team can rely on (2.1, 1.1).

Task 1 and Task 2 are judged against the learner's data variant
(:func:`trainerlab.datagen.annotations.variant`); every later task on the learner's own result of
the step before it (error carried forward): the label screen on their own gold table and
probabilities, the de-duplication on their own pool, the split on their own de-duplicated table,
the schema and the pipeline on their own training set. Rows may come in any order with any index.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from graders.answers import as_number, call_learner, require_answer, require_frame, require_mapping, unpack
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion, fix_first
from trainerlab.datagen import annotations as an
from trainerlab.variants import current_seed

LEVEL = "L2"
ID = "utt_id"
ANNOTATORS = list(an.ANNOTATORS)
INTENTS = list(an.LABELS)
CHANNELS = list(an.CHANNELS)
#: The statement asks for kappas to three decimals.
KAPPA_TOLERANCE = 5e-4 + 1e-9
#: Task 3: a good screen finds this share of the planted errors and flags fewer clean rows than half of them.
FOUND_SHARE = 0.9
#: Task 5: the golden set's size as a share of the de-duplicated rows, its smallest slice, its hard-case margin.
GOLDEN_SHARE = (0.18, 0.22)
MIN_PER_SLICE = 4
HARD_MARGIN = 0.10
GOLD_COLUMNS = [ID, "customer_id", "channel", "text", "wait_seconds", "label", "hard"]


def data_path() -> Any:
    """The annotated batch of this notebook's variant (the bundled file, or one written for the seed)."""
    return an.data_file(current_seed())


def truth() -> an.AnnotationVariant:
    """The variant this notebook works on."""
    return an.variant(current_seed())


def normalise(text: str) -> str:
    """The statement's normal form of a text (NFKC, lower case, no spaces, punctuation or symbols)."""
    return an.normalise(text)


# --- shared helpers ------------------------------------------------------------------------------

def _ids(df: pd.DataFrame) -> pd.Series:
    return df[ID].astype(str)


def _id_set(values: Any, name: str) -> set[str]:
    """A collection of utterance ids (list, set, Series, Index or array) as a set of strings."""
    require_answer(values)
    if isinstance(values, (str, bytes, dict)) or not isinstance(values, (Iterable, pd.Series, pd.Index, np.ndarray)):
        raise Problem(f"{name} 应是 utt_id 的列表或集合", f"{name} should be a list or set of utt_id values")
    return {str(v) for v in values}


def _one_row_per_id(df: pd.DataFrame, name: str) -> None:
    if _ids(df).duplicated().any():
        raise Problem(f"{name} 中有重复的 utt_id", f"{name} has repeated utt_id values")


def _frames(names: list[str], columns: dict[str, list[str]], may_be_empty: tuple[str, ...] = ()
            ) -> Callable[[Any], tuple[Any, ...]]:
    """A prepare function: unpack a tuple answer; the parts named in ``columns`` must be DataFrames."""

    def prepare(answer: Any) -> tuple[Any, ...]:
        parts = unpack(answer, names)
        return tuple(require_frame(part, columns=columns[name], min_rows=0 if name in may_be_empty else 1)
                     if name in columns else part for name, part in zip(names, parts, strict=True))

    return prepare


def _labels(table: pd.DataFrame) -> pd.DataFrame:
    """The annotators' labels, a skipped one as missing (blank, NaN or None alike)."""
    labels = table[ANNOTATORS].astype(object)
    blank = labels.isna() | labels.apply(lambda column: column.astype(str).str.strip() == "")
    return labels.mask(blank, None)


@lru_cache(maxsize=4)
def _majorities_of(seed: int) -> pd.DataFrame:
    labels = _labels(an.variant(seed).table)
    counts = pd.DataFrame({c: (labels == c).sum(axis=1) for c in INTENTS})
    label = counts.idxmax(axis=1).where(counts.max(axis=1) >= 2, None)
    return pd.DataFrame({"label": label.to_numpy(dtype=object), "hard": ((counts > 0).sum(axis=1) > 1).to_numpy()},
                        index=_ids(an.variant(seed).table))


def _majorities() -> pd.DataFrame:
    """Per utterance of the batch: the majority label (None for a tie) and whether anyone who labelled disagreed."""
    return _majorities_of(current_seed())


# --- Task 1: agreement ---------------------------------------------------------------------------

def _pair_of(key: Any) -> frozenset[str]:
    names = re.findall(r"A\d\d", " ".join(map(str, key)) if isinstance(key, (tuple, list, frozenset, set)) else str(key))
    return frozenset(names)


def _agreement_answer(answer: Any) -> tuple[dict[frozenset[str], float], float, str]:
    pair_kappa, fleiss, retrain = unpack(answer, ["pair_kappa", "fleiss", "retrain"])
    if isinstance(pair_kappa, pd.DataFrame) and set(ANNOTATORS) <= set(map(str, pair_kappa.index)):
        pair_kappa = {(a, b): pair_kappa.loc[a, b] for a in ANNOTATORS for b in ANNOTATORS if a < b}
    pairs = require_mapping(pair_kappa, keys=())
    kappas = {}
    for key, value in pairs.items():
        pair = _pair_of(key)
        if len(pair) == 2:
            kappas[pair] = as_number(value)
    wanted = {frozenset(p) for p in _pairs()}
    if set(kappas) != wanted:
        raise Problem("pair_kappa 应对三对标注员各给一个值，键如 ('A01', 'A02')",
                      "pair_kappa should hold one value for each of the three annotator pairs, keyed like ('A01', 'A02')")
    return kappas, as_number(fleiss), str(retrain).strip()


def _pairs() -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(ANNOTATORS) for b in ANNOTATORS[i + 1:]]


def expected_kappas() -> dict[frozenset[str], float]:
    """Cohen's kappa of each pair on the rows both labelled."""
    return _kappas_of(current_seed())


@lru_cache(maxsize=4)
def _kappas_of(seed: int) -> dict[frozenset[str], float]:
    from sklearn.metrics import cohen_kappa_score

    labels = _labels(an.variant(seed).table)
    out = {}
    for a, b in _pairs():
        both = labels[[a, b]].dropna()
        out[frozenset((a, b))] = float(cohen_kappa_score(both[a], both[b]))
    return out


def expected_fleiss() -> float:
    """Fleiss' kappa on the rows all three annotators labelled."""
    return _fleiss_of(current_seed())


@lru_cache(maxsize=4)
def _fleiss_of(seed: int) -> float:
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    full = _labels(an.variant(seed).table).dropna()
    counts, _ = aggregate_raters(full.to_numpy(dtype=str))
    return float(fleiss_kappa(counts))


def _kappas_right(answer: tuple[dict[frozenset[str], float], float, str]) -> bool:
    kappas, expected = answer[0], expected_kappas()
    wrong = sorted("-".join(sorted(p)) for p in expected if abs(kappas[p] - expected[p]) > KAPPA_TOLERANCE)
    if wrong:
        raise Problem(f"这些标注员对的 kappa 不对（是否算成了一致率？只用两人都标了的行）：{wrong}",
                      f"the kappa of these pairs is off (raw agreement is not kappa; use the rows both labelled): {wrong}")
    return True


def _retrain_right(answer: tuple[dict[frozenset[str], float], float, str]) -> bool:
    kappas, _, retrain = answer
    if retrain not in ANNOTATORS:
        raise Problem(f"retrain 应是 {ANNOTATORS} 中的一个", f"retrain should be one of {ANNOTATORS}")
    mean = {a: np.mean([k for p, k in kappas.items() if a in p]) for a in ANNOTATORS}
    return retrain == min(mean, key=mean.get)


agreement = Task(
    grade_id="agreement",
    unit="2.1",
    level=LEVEL,
    title=Msg("标注一致性：Cohen's 与 Fleiss' kappa", "Annotator agreement: Cohen's and Fleiss' kappa"),
    prepare=_agreement_answer,
    criteria=[
        criterion("每对标注员的 Cohen's kappa 正确", "Cohen's kappa of every annotator pair is right", 2,
                  fail=("kappa 不对", "a kappa is off"))(_kappas_right),
        criterion("三人的 Fleiss' kappa 正确", "Fleiss' kappa of the three annotators is right", 2,
                  fail=("Fleiss' kappa 不对：fleiss_kappa 需要“话语 × 类别”的计数表（aggregate_raters），只用三人都标了的行",
                        "Fleiss' kappa is off: fleiss_kappa takes a subjects × categories count table "
                        "(aggregate_raters), on the rows all three labelled"))(
            lambda a: abs(a[1] - expected_fleiss()) <= KAPPA_TOLERANCE),
        criterion("按你的 kappa 选出了要重新培训的标注员", "the annotator to retrain follows from your kappas", 1,
                  visible=True, fail=("应选与另两人平均 kappa 最低的标注员",
                                      "choose the annotator whose mean kappa with the other two is lowest"))(
            _retrain_right),
    ],
    hints=[
        Msg("statsmodels 的 cohens_kappa 需要两人的列联表（pd.crosstab，行列都用全部意图）；先去掉有人没标的行。",
            "statsmodels' cohens_kappa takes the pair's contingency table (pd.crosstab over every intent); "
            "drop the rows one of them skipped first."),
        Msg("fleiss_kappa(aggregate_raters(三列标签)[0])；retrain 是平均 kappa 最低的人。",
            "fleiss_kappa(aggregate_raters(the three label columns)[0]); retrain is the one with the lowest mean kappa."),
    ],
)


# --- Task 2: adjudication --------------------------------------------------------------------------

def _adjudication_answer(answer: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    gold, review = _frames(["gold", "review"], {"gold": GOLD_COLUMNS, "review": [ID]}, may_be_empty=("review",))(answer)
    _one_row_per_id(gold, "gold")
    return gold, review


def _partition(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    gold, review = answer
    every = set(_ids(truth().table))
    in_gold, in_review = set(_ids(gold)), set(_ids(review))
    if in_gold & in_review:
        raise Problem(f"有 {len(in_gold & in_review)} 条话语同时在 gold 和 review 中",
                      f"{len(in_gold & in_review)} utterances are in both gold and review")
    if (in_gold | in_review) != every or len(review) != len(in_review):
        raise Problem("每条话语应恰好出现一次：在 gold 或 review 中", "every utterance should appear once, in gold or in review")
    return True


def _majority_kept(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    gold = answer[0].set_index(_ids(answer[0]))
    expected = _majorities()["label"].dropna()
    missing = ~expected.index.isin(gold.index)
    if missing.any():
        raise Problem(f"有 {int(missing.sum())} 条有多数标签的话语不在 gold 中（两人一致即为多数）",
                      f"{int(missing.sum())} utterances with a majority label are not in gold (two alike make a majority)")
    wrong = gold.loc[expected.index, "label"].astype(str) != expected
    if wrong.any():
        raise Problem(f"gold 中有 {int(wrong.sum())} 条的 label 不是多数标签",
                      f"{int(wrong.sum())} rows of gold do not carry the majority label")
    return True


def _ties_escalated(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    ties = _majorities()["label"].isna()
    guessed = set(ties[ties].index) & set(_ids(answer[0]))
    if guessed:
        raise Problem(f"有 {len(guessed)} 条没有多数的话语被猜了一个标签放进 gold：平票要送人工复核",
                      f"{len(guessed)} utterances without a majority got a guessed label in gold: ties go to review")
    return True


def _hard_right(answer: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    gold = answer[0]
    expected = _majorities()["hard"].reindex(_ids(gold)).to_numpy()
    got = gold["hard"].to_numpy()
    if not all(isinstance(v, (bool, np.bool_, int, np.integer)) and v in (0, 1) for v in got):
        raise Problem("hard 应是布尔值（True/False）", "hard should be booleans (True/False)")
    return bool((got.astype(bool) == expected.astype(bool)).all())


adjudication = Task(
    grade_id="adjudication",
    unit="1.1",
    level=LEVEL,
    title=Msg("裁决：多数标签，平票送人工复核", "Adjudication: the majority label, ties escalated to review"),
    prepare=_adjudication_answer,
    criteria=[
        criterion("每条话语恰好在 gold 或 review 之一", "every utterance is in exactly one of gold and review", 1,
                  visible=True, fail=("gold 与 review 没有恰好分开全部话语", "gold and review do not split the utterances"))(
            _partition),
        criterion("有多数的话语都在 gold 中，标签为多数标签", "every utterance with a majority is in gold with that label",
                  1.5, fail=("多数标签不对", "majority labels are wrong"))(_majority_kept),
        criterion("平票没有被猜测，都送人工复核", "ties are escalated to review, never guessed", 1.5,
                  fail=("平票被猜测了", "ties were guessed"))(_ties_escalated),
        criterion("hard 标出了标注员有分歧的话语", "hard marks the utterances the annotators disagreed on", 1,
                  fail=("hard 不对：标了的人中只要有人给了别的标签就是 True，没标的人不算",
                        "hard is off: True when any annotator who labelled gave another label; a skip is no label"))(
            _hard_right),
    ],
    hints=[
        Msg("对每行数一数非空标签各出现几次（value_counts）：最多的出现 ≥ 2 次才是多数，否则送复核。",
            "Count each row's non-blank labels (value_counts): the top one is a majority only if given twice or more."),
        Msg("DataFrame.mode(axis=1) 在平票时也会给出一个值——那是猜测，不是裁决。",
            "DataFrame.mode(axis=1) returns a value on ties too: that is a guess, not an adjudication."),
    ],
)


# --- Task 3: suspected label errors from out-of-fold probabilities ---------------------------------

def _screen_answer(answer: Any) -> tuple[set[str], pd.DataFrame, pd.DataFrame]:
    suspects, proba, gold = unpack(answer, ["suspects", "oof_proba", "gold"])
    gold = require_frame(gold, columns=[ID, "label"])
    proba = require_frame(proba, columns=())
    suspects = _id_set(suspects, "suspects")
    return suspects, _aligned_proba(proba, gold), gold


def _aligned_proba(proba: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """The probabilities row by row with gold (by gold's index), the intents as columns."""
    columns = {str(c) for c in proba.columns}
    if not set(INTENTS) <= columns:
        raise Problem(f"oof_proba 的列应是全部意图：{INTENTS}", f"oof_proba's columns should be the intents: {INTENTS}")
    if len(proba) != len(gold) or not proba.index.sort_values().equals(gold.index.sort_values()):
        raise Problem("oof_proba 应与 gold 一行对一行（同样的索引）", "oof_proba should have one row per row of gold (the same index)")
    out = proba.rename(columns=str).loc[gold.index, INTENTS].astype("float64")
    if not np.allclose(out.sum(axis=1), 1, atol=1e-6) or (out.to_numpy() < -1e-9).any():
        raise Problem("每行概率应非负且和为 1", "each row of probabilities should be non-negative and sum to 1")
    return out


def _rule_flags(proba: pd.DataFrame, gold: pd.DataFrame) -> pd.Series:
    """The statement's rule on the learner's own probabilities: below the given label's threshold, and another top."""
    given = gold["label"].astype(str).to_numpy()
    p = proba.to_numpy()
    col = np.array([INTENTS.index(g) if g in INTENTS else -1 for g in given])
    if (col < 0).any():
        raise fix_first("任务 2", "Task 2")
    own = p[np.arange(len(p)), col]
    thresholds = np.array([own[col == k].mean() if (col == k).any() else np.inf for k in range(len(INTENTS))])
    flagged = (own < thresholds[col]) & (p.argmax(axis=1) != col)
    return pd.Series(flagged, index=_ids(gold).to_numpy())


def _follows_rule(answer: tuple[set[str], pd.DataFrame, pd.DataFrame]) -> bool:
    suspects, proba, gold = answer
    flags = _rule_flags(proba, gold)
    return set(flags[flags].index) == suspects


def _planted_in_gold(gold: pd.DataFrame) -> set[str]:
    """Planted errors the learner's gold carries with their wrong majority label."""
    v = truth()
    labels = gold.set_index(_ids(gold))["label"].astype(str)
    planted = {i for i in v.planted if i in labels.index and labels[i] != v.true_label[i]}
    if not planted:
        raise fix_first("任务 2", "Task 2")
    return planted


def _clean_flagged(suspects: set[str], gold: pd.DataFrame) -> int:
    v = truth()
    labels = gold.set_index(_ids(gold))["label"].astype(str)
    return sum(1 for i in suspects if i in labels.index and labels[i] == v.true_label[i])


def _planted_found(answer: tuple[set[str], pd.DataFrame, pd.DataFrame]) -> bool:
    suspects, _, gold = answer
    planted = _planted_in_gold(gold)
    return len(planted & suspects) >= math.ceil(FOUND_SHARE * len(planted))


def _clean_kept(answer: tuple[set[str], pd.DataFrame, pd.DataFrame]) -> bool:
    suspects, _, gold = answer
    return _clean_flagged(suspects, gold) <= len(_planted_in_gold(gold)) / 2


screen = Task(
    grade_id="label_screen",
    unit="2.1",
    level=LEVEL,
    title=Msg("用折外概率找出疑似标注错误", "Suspected label errors from out-of-fold probabilities"),
    prepare=_screen_answer,
    criteria=[
        criterion("suspects 都是 gold 中的话语", "the suspects are utterances of gold", 1, visible=True,
                  fail=("suspects 中有不在 gold 里的 utt_id", "suspects holds utt_id values that are not in gold"))(
            lambda a: a[0] <= set(_ids(a[2]))),
        criterion("suspects 恰好是按规则（每类阈值）在你的概率上选出的行",
                  "suspects are exactly the rows the rule (per-class thresholds) picks on your probabilities", 2,
                  fail=("suspects 与规则不符：阈值是“给定标签为该类的行”上该类概率的均值；还要求最可能的意图不是给定标签",
                        "suspects do not follow the rule: a class's threshold is the mean probability of that class over "
                        "the rows given that label, and the most probable intent must be another one"))(_follows_rule),
        criterion("找出了植入的标注错误", "the planted label errors are found", 2,
                  fail=("大部分植入的错误没有被找出：概率要来自折外预测，且列名要与 model.classes_ 对应",
                        "most planted errors are missed: the probabilities must be out-of-fold, their columns named "
                        "after model.classes_"))(_planted_found),
        criterion("干净的行大都保留（误报少）", "clean rows are kept (few false alarms)", 1,
                  fail=("误把太多标对的行当成了疑似错误", "too many correctly labelled rows are flagged"))(_clean_kept),
    ],
    hints=[
        Msg("cross_val_predict(模型, gold['text'], gold['label'], cv=StratifiedKFold(5, shuffle=True, random_state=0), "
            "method='predict_proba')；列的顺序是 sorted(标签)，与 model.classes_ 相同。",
            "cross_val_predict(model, gold['text'], gold['label'], cv=StratifiedKFold(5, shuffle=True, random_state=0), "
            "method='predict_proba'); its columns follow sorted(labels), as model.classes_ does."),
        Msg("每类阈值 t[c] = oof_proba.loc[gold.label == c, c].mean()；疑似 = 给定标签的概率 < t[给定标签] 且 argmax ≠ 给定标签。",
            "t[c] = oof_proba.loc[gold.label == c, c].mean(); suspected = the given label's probability "
            "< t[given label] and argmax ≠ the given label."),
    ],
)


# --- Task 4: near-duplicates -------------------------------------------------------------------------

def _dedup_answer(answer: Any) -> tuple[pd.DataFrame, pd.DataFrame, set[str]]:
    deduped, gold, suspects = unpack(answer, ["deduped", "gold", "suspects"])
    deduped = require_frame(deduped, columns=GOLD_COLUMNS)
    gold = require_frame(gold, columns=[ID, "text"])
    _one_row_per_id(deduped, "deduped")
    return deduped, gold, _id_set(suspects, "suspects")


def _pool(gold: pd.DataFrame, suspects: set[str]) -> pd.DataFrame:
    return gold[~_ids(gold).isin(suspects)]


def _from_pool(answer: tuple[pd.DataFrame, pd.DataFrame, set[str]]) -> bool:
    deduped, gold, suspects = answer
    extra = set(_ids(deduped)) - set(_ids(_pool(gold, suspects)))
    if extra:
        raise Problem(f"deduped 中有 {len(extra)} 行不在 gold 去掉 suspects 之后的池子里（疑似错误要先移出）",
                      f"{len(extra)} rows of deduped are not in gold without the suspects (move the suspects out first)")
    return True


def _no_near_duplicates(answer: tuple[pd.DataFrame, pd.DataFrame, set[str]]) -> bool:
    repeats = answer[0]["text"].map(normalise).duplicated()
    if repeats.any():
        raise Problem(f"还有 {int(repeats.sum())} 行在规范化（全角半角、大小写、空格、标点）后与别的行相同",
                      f"{int(repeats.sum())} rows still equal another once normalised (width, case, spaces, punctuation)")
    return True


def _every_text_kept(answer: tuple[pd.DataFrame, pd.DataFrame, set[str]]) -> bool:
    deduped, gold, suspects = answer
    lost = set(_pool(gold, suspects)["text"].map(normalise)) - set(deduped["text"].map(normalise))
    if lost:
        raise Problem(f"有 {len(lost)} 条不同的话语被整条删掉了（规范化时不要删掉数字或字母）",
                      f"{len(lost)} distinct messages are gone entirely (do not strip digits or letters when normalising)")
    return True


dedup = Task(
    grade_id="near_duplicates",
    unit="2.1",
    level=LEVEL,
    title=Msg("去除疑似错误和近似重复", "Remove the suspects and the near-duplicates"),
    prepare=_dedup_answer,
    criteria=[
        criterion("行来自 gold，疑似错误已移出", "rows come from gold, the suspects moved out", 0.5, visible=True,
                  fail=("deduped 的行不对", "deduped holds the wrong rows"))(_from_pool),
        criterion("规范化后没有重复的话语", "no two rows are the same message once normalised", 2,
                  fail=("还有近似重复", "near-duplicates remain"))(_no_near_duplicates),
        criterion("每条不同的话语都保留了一条", "every distinct message is kept once", 1.5,
                  fail=("删掉了不重复的话语", "distinct messages were removed"))(_every_text_kept),
    ],
    hints=[
        Msg("先写一个 normalise(text)：unicodedata.normalize('NFKC', …)、lower()，再去掉空白和标点。",
            "Write normalise(text) first: unicodedata.normalize('NFKC', …), lower(), then drop whitespace and punctuation."),
        Msg("unicodedata.category(ch) 以 P 开头是标点、以 S 开头是符号；然后 drop_duplicates(subset='norm')。",
            "unicodedata.category(ch) starts with P for punctuation and S for symbols; then drop_duplicates(subset='norm')."),
    ],
)


# --- Task 5: the golden test set -----------------------------------------------------------------------

def _split_answer(answer: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    golden, train, deduped = _frames(["golden", "train", "deduped"], {
        "golden": [ID, "customer_id", "channel", "label", "hard"], "train": [ID, "customer_id"],
        "deduped": [ID, "customer_id", "channel", "label", "hard"]})(answer)
    for df, name in ((golden, "golden"), (train, "train"), (deduped, "deduped")):
        _one_row_per_id(df, name)
    return golden, train, deduped


def _split_partition(answer: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> bool:
    golden, train, deduped = answer
    g, t, d = set(_ids(golden)), set(_ids(train)), set(_ids(deduped))
    if g & t:
        raise Problem(f"有 {len(g & t)} 行同时在 golden 和 train 中", f"{len(g & t)} rows are in both golden and train")
    if g | t != d:
        raise Problem("golden 和 train 合起来应恰好是 deduped 的全部行", "golden and train together should be exactly the rows of deduped")
    return True


def _size_right(answer: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> bool:
    share = len(answer[0]) / len(answer[2])
    return GOLDEN_SHARE[0] <= share <= GOLDEN_SHARE[1]


def _slices(df: pd.DataFrame) -> pd.Series:
    return df["channel"].astype(str) + " × " + df["label"].astype(str)


def _slices_covered(answer: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> bool:
    golden, _, deduped = answer
    counts = _slices(golden).value_counts()
    thin = sorted(s for s in set(_slices(deduped)) if counts.get(s, 0) < MIN_PER_SLICE)
    if thin:
        raise Problem(f"这些切片（渠道 × 意图）在 golden 中少于 {MIN_PER_SLICE} 行：{thin[:5]}",
                      f"these slices (channel × intent) have fewer than {MIN_PER_SLICE} rows in golden: {thin[:5]}")
    return True


def _hard_share(df: pd.DataFrame) -> float:
    return float(df["hard"].astype(bool).mean())


def _hard_enough(answer: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> bool:
    golden, _, deduped = answer
    if not deduped["hard"].astype(bool).any():  # Task 2 marked no hard case: nothing to over-sample
        raise fix_first("任务 2", "Task 2")
    return _hard_share(golden) >= _hard_share(deduped) + HARD_MARGIN - 1e-9


def _customers_apart(answer: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> bool:
    golden, train, _ = answer
    both = set(golden["customer_id"].astype(str)) & set(train["customer_id"].astype(str))
    if both:
        raise Problem(f"有 {len(both)} 位客户的话语同时出现在 golden 和 train 中（会泄漏）",
                      f"{len(both)} customers have utterances in both golden and train (a leak)")
    return True


golden_split = Task(
    grade_id="golden_set",
    unit="2.1",
    level=LEVEL,
    title=Msg("分层的黄金测试集与训练集", "A stratified golden test set and the training set"),
    prepare=_split_answer,
    criteria=[
        criterion("golden 与 train 不重叠，合起来是 deduped", "golden and train do not overlap and make up deduped", 1,
                  visible=True, fail=("划分不完整或有重叠", "the split loses or repeats rows"))(_split_partition),
        criterion("golden 的规模符合要求", "golden has the stated size", 1,
                  fail=("golden 的行数应是 deduped 的 18%–22%", "golden should hold 18–22 % of the rows of deduped"))(
            _size_right),
        criterion(f"每个渠道 × 意图切片在 golden 中至少 {MIN_PER_SLICE} 行",
                  f"every channel × intent slice has at least {MIN_PER_SLICE} rows in golden", 1.5,
                  fail=("有切片覆盖不足", "a slice is not covered"))(_slices_covered),
        criterion("难例在 golden 中的占比比 deduped 高出至少 10 个百分点",
                  "hard cases make up a share of golden at least 10 points above their share of deduped", 1.5,
                  fail=("难例不够：随机划分不会多选难例", "too few hard cases: a random split does not over-sample them"))(
            _hard_enough),
        criterion("同一客户的话语不跨两边", "no customer has utterances on both sides", 1.5,
                  fail=("有客户跨了两边", "a customer straddles the split"))(_customers_apart),
    ],
    hints=[
        Msg("按客户分组来选：只有一条话语的客户可以随意放；先为每个切片选够几行，再补难例，最后补到目标行数。",
            "Choose by customer: one-utterance customers are free to place; fill each slice first, then hard cases, "
            "then up to the target size."),
        Msg("golden = 选中的行；train = deduped.drop(golden.index)。检查 golden 的 hard 占比与各切片计数。",
            "golden = the chosen rows; train = deduped.drop(golden.index). Check golden's hard share and slice counts."),
    ],
)


# --- Task 6: validation rules as a schema in code -----------------------------------------------------

def _probe_base(train: pd.DataFrame) -> pd.DataFrame:
    """A valid batch from the learner's own training set, with a missing wait time among its rows."""
    rows = train.reset_index(drop=True).sort_values(ID)
    waits = pd.to_numeric(rows["wait_seconds"], errors="coerce")
    base = pd.concat([rows[waits.isna()].head(2), rows[waits.notna()].head(28)])[GOLD_COLUMNS[:-1]]
    base = base.reset_index(drop=True)
    base.loc[0, "wait_seconds"] = np.nan  # a missing wait time is valid: every probe holds one
    return base


def _faulty(base: pd.DataFrame, fault: str) -> pd.DataFrame:
    """``base`` with one planted fault."""
    bad = base.copy()
    if fault == "label":
        bad.loc[1, "label"] = "billing"
    elif fault == "channel":
        bad.loc[2, "channel"] = "email"
    elif fault == "duplicate":
        bad.loc[3, ID] = bad.loc[4, ID]
    elif fault == "pattern":
        bad.loc[5, ID] = "u-" + bad.loc[5, ID][1:]
    elif fault == "customer":
        bad.loc[8, "customer_id"] = bad.loc[8, "customer_id"] + "X"
    elif fault == "text":
        bad.loc[6, "text"] = "   "
    elif fault == "wait":
        bad.loc[7, "wait_seconds"] = -5.0
    return bad


FAULT_COLUMNS = {"label": "label", "channel": "channel", "duplicate": ID, "pattern": ID,
                 "customer": "customer_id", "text": "text", "wait": "wait_seconds"}


def _reported(validate: Any, batch: pd.DataFrame) -> set[str]:
    result = call_learner(validate, batch.copy())  # a copy: a function that edits its batch spoils no probe
    if result is None or isinstance(result, (str, bytes, dict)) or not isinstance(result, Iterable):
        raise Problem("validate 应返回有问题的列名集合（没有问题时返回空集合）",
                      "validate should return the set of column names with failures (an empty set when none)")
    return {str(c) for c in result}


def _schema_answer(answer: Any) -> tuple[Any, pd.DataFrame]:
    validate, train = unpack(answer, ["validate", "train"])
    train = require_frame(train, columns=GOLD_COLUMNS[:-1], min_rows=40)
    if not callable(validate):
        raise Problem("validate 应是在笔记本中定义的函数", "validate should be a function defined in the notebook")
    return validate, _probe_base(train)


def _good_passes(answer: tuple[Any, pd.DataFrame]) -> bool:
    validate, base = answer
    reported = _reported(validate, base)
    if reported:
        raise Problem(f"一批合格的数据（含缺失的等待时间）被报告有问题：{sorted(reported)}",
                      f"a valid batch (with a missing wait time) is reported as failing: {sorted(reported)}")
    return True


def _faults_reported(*faults: str) -> Callable[[tuple[Any, pd.DataFrame]], bool]:
    def test(answer: tuple[Any, pd.DataFrame]) -> bool:
        validate, base = answer
        return all(FAULT_COLUMNS[f] in _reported(validate, _faulty(base, f)) for f in faults)

    return test


schema = Task(
    grade_id="schema",
    unit="2.1",
    level=LEVEL,
    title=Msg("把校验规则写成 pandera 模式", "Validation rules as a pandera schema"),
    prepare=_schema_answer,
    criteria=[
        criterion("合格的一批数据通过（等待时间可以缺失）", "a valid batch passes (a wait time may be missing)", 1,
                  visible=True, fail=("合格数据没有通过", "a valid batch fails"))(_good_passes),
        criterion("报告未知的意图和渠道", "an unknown intent and an unknown channel are reported", 1,
                  fail=("未知的 label 或 channel 没有被报告", "an unknown label or channel is not reported"))(
            _faults_reported("label", "channel")),
        criterion("报告重复或格式不对的编号", "a repeated or malformed utt_id and a malformed customer_id are reported",
                  1, fail=("重复或格式不对的 utt_id，或格式不对的 customer_id 没有被报告",
                           "a repeated or malformed utt_id, or a malformed customer_id, is not reported"))(
            _faults_reported("duplicate", "pattern", "customer")),
        criterion("报告空白的话语", "a blank text is reported", 1,
                  fail=("只有空格的 text 没有被报告", "a text of spaces only is not reported"))(_faults_reported("text")),
        criterion("报告负的等待时间", "a negative wait time is reported", 1,
                  fail=("负的 wait_seconds 没有被报告", "a negative wait_seconds is not reported"))(
            _faults_reported("wait")),
    ],
    hints=[
        Msg("pa.DataFrameSchema({列: pa.Column(类型, 检查, nullable=…, unique=…)})；validate 里用 "
            "schema.validate(batch, lazy=True)，捕获 pa.errors.SchemaErrors。",
            "pa.DataFrameSchema({column: pa.Column(type, checks, nullable=…, unique=…)}); in validate call "
            "schema.validate(batch, lazy=True) and catch pa.errors.SchemaErrors."),
        Msg("出错的列名在 err.failure_cases['column'] 中；空白话语用 pa.Check(lambda s: s.str.strip() != '')。",
            "The failing columns are in err.failure_cases['column']; for blank texts use "
            "pa.Check(lambda s: s.str.strip() != '')."),
    ],
)


# --- Task 7: a reusable, leakage-free preprocessing pipeline ---------------------------------------

FEATURES = ["text", "channel", "wait_seconds"]


def _pipeline_answer(answer: Any) -> tuple[Any, pd.DataFrame, pd.DataFrame]:
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.utils.validation import check_is_fitted

    model, train, golden = _frames(["model", "train", "golden"], {
        "train": [*FEATURES, "label"], "golden": [*FEATURES, "label"]})(answer)
    if not isinstance(model, Pipeline) or not isinstance(model.steps[0][1], ColumnTransformer):
        raise Problem("model 应是一个 Pipeline，第一步是 ColumnTransformer", "model should be a Pipeline whose first step is a ColumnTransformer")
    try:
        check_is_fitted(model)
    except Exception:
        raise Problem("model 还没有训练（先 fit）", "model is not fitted yet (fit it first)") from None
    return model, train, golden


def _predict(model: Any, rows: pd.DataFrame) -> np.ndarray:
    try:
        return np.asarray(model.predict(rows[FEATURES]))
    except Exception as exc:
        raise Problem(f"model.predict 出错：{type(exc).__name__}", f"model.predict raised {type(exc).__name__}") from None


def _predicts_intents(answer: tuple[Any, pd.DataFrame, pd.DataFrame]) -> bool:
    model, _, golden = answer
    return set(map(str, _predict(model, golden))) <= set(INTENTS)


def _dense(matrix: Any) -> np.ndarray:
    return np.asarray(matrix.toarray() if hasattr(matrix, "toarray") else matrix, dtype="float64")


def _fitted_on_train(answer: tuple[Any, pd.DataFrame, pd.DataFrame]) -> bool:
    from sklearn.base import clone

    model, train, golden = answer
    for name, fitted, columns in model.steps[0][1].transformers_:
        if fitted in ("drop", "passthrough") or name == "remainder":
            continue
        again = clone(fitted).fit(train[columns])
        got, expected = _dense(fitted.transform(golden[columns])), _dense(again.transform(golden[columns]))
        if got.shape != expected.shape or not np.allclose(got, expected, equal_nan=True):
            raise Problem(f"预处理步骤 {name!r} 不是只在 train 上训练的（黄金测试集的信息漏进了预处理）",
                          f"the preprocessing step {name!r} was not fitted on train alone (the golden set leaked into it)")
    return True


def _handles_odd_rows(answer: tuple[Any, pd.DataFrame, pd.DataFrame]) -> bool:
    model, _, golden = answer
    odd = golden.head(3).copy()
    odd["channel"] = ["email", "kiosk", "email"]
    odd["wait_seconds"] = np.nan
    return len(_predict(model, odd)) == len(odd)


def _beats_baseline(answer: tuple[Any, pd.DataFrame, pd.DataFrame]) -> bool:
    model, _, golden = answer
    truth_labels = golden["label"].astype(str).to_numpy()
    accuracy = float((np.asarray(_predict(model, golden)).astype(str) == truth_labels).mean())
    return accuracy > float(pd.Series(truth_labels).value_counts(normalize=True).iloc[0])


pipeline = Task(
    grade_id="pipeline",
    unit="2.1",
    level=LEVEL,
    title=Msg("可复用、无泄漏的预处理流水线", "A reusable, leakage-free preprocessing pipeline"),
    prepare=_pipeline_answer,
    criteria=[
        criterion("训练好的 Pipeline 直接读原始列、预测意图", "a fitted Pipeline reads the raw columns and predicts intents",
                  1, visible=True, fail=("model.predict 应对 golden 的原始列给出意图", "model.predict should give intents for golden's raw columns"))(
            _predicts_intents),
        criterion("每个预处理步骤都只在 train 上训练", "every preprocessing step is fitted on train alone", 2,
                  fail=("预处理有泄漏", "the preprocessing leaks"))(_fitted_on_train),
        criterion("没见过的渠道和缺失的等待时间也能预测", "an unseen channel and a missing wait time are handled", 1,
                  fail=("遇到新渠道或缺失的 wait_seconds 时出错：handle_unknown='ignore'，并在流水线里填补",
                        "a new channel or a missing wait_seconds breaks it: handle_unknown='ignore', and impute "
                        "inside the pipeline"))(_handles_odd_rows),
        criterion("在黄金测试集上好于多数类基线", "beats the majority-class baseline on the golden set", 1.5,
                  fail=("准确率没有超过总是预测最多类的基线", "accuracy does not beat always predicting the largest class"))(
            _beats_baseline),
    ],
    hints=[
        Msg("ColumnTransformer([('text', TfidfVectorizer(analyzer='char', ngram_range=(1, 2)), 'text'), "
            "('channel', OneHotEncoder(handle_unknown='ignore'), ['channel']), ('wait', 填补+标准化, ['wait_seconds'])])。",
            "ColumnTransformer([('text', TfidfVectorizer(analyzer='char', ngram_range=(1, 2)), 'text'), "
            "('channel', OneHotEncoder(handle_unknown='ignore'), ['channel']), ('wait', impute + scale, ['wait_seconds'])])."),
        Msg("整个 Pipeline 只在 train 上 fit；golden 只用来评估。", "Fit the whole Pipeline on train only; golden is for evaluation."),
    ],
)


# --- Written answers ---------------------------------------------------------------------------------

standard = WrittenTask(
    grade_id="quality_standard",
    unit="2.1",
    level=LEVEL,
    title=Msg("训练集质量标准", "A training-set quality standard"),
    rubric=[
        RubricPoint(Msg("标注一致性的验收线（如 Fleiss' kappa、每人 kappa）及不达标时的处理（重新培训、返工）",
                        "agreement acceptance lines (Fleiss' kappa, per-annotator kappa) and what happens below them"), 1),
        RubricPoint(Msg("裁决规则：多数、平票送审、复核人和时限", "adjudication rules: majority, ties to review, the reviewer and deadline"), 1),
        RubricPoint(Msg("标签噪声筛查（折外概率）、疑似错误的复核和可接受的残余错误率",
                        "label-noise screening (out-of-fold), review of suspects, the residual error rate accepted"), 1),
        RubricPoint(Msg("去重与防泄漏（规范化规则、按客户分组）", "de-duplication and leakage rules (normal form, grouping by customer)"), 1),
        RubricPoint(Msg("黄金测试集的构成（规模、切片覆盖、难例）、冻结与版本管理", "golden set composition (size, slices, hard cases), freezing and versioning"), 1),
        RubricPoint(Msg("数据入库前的模式校验和质量报告（留痕）", "schema validation before a batch is accepted, and a quality report on record"), 1),
    ],
)

data_flow = WrittenTask(
    grade_id="data_flow",
    unit="1.1",
    level=LEVEL,
    title=Msg("意图数据的生产与发布流程", "The production and release flow of the intent data"),
    rubric=[
        RubricPoint(Msg("从采集到发布的关键环节及顺序（标注、一致性、裁决、筛查、去重、划分、校验、发布）",
                        "the key steps from collection to release, in order"), 1),
        RubricPoint(Msg("每个环节的负责人、自动与人工的分工、质量门的通过条件",
                        "an owner per step, the split between automatic and human work, the pass condition of each gate"), 1),
        RubricPoint(Msg("难点与对策（如易混意图、粗心标注员、客户重复来访）以及反馈闭环",
                        "the hard points and their remedies (confusable intents, a careless annotator, repeat customers) "
                        "and the feedback loop"), 1),
    ],
)

LAB = Lab(
    assignment="data_cleaning_l2",
    notebook="data_cleaning_l2.ipynb",
    level=LEVEL,
    summary=Msg(
        "三名标注员的客服意图标注：Cohen's/Fleiss' kappa 与要重新培训的人、多数裁决与平票送审、折外概率找疑似标注错误、"
        "规范化去重、按客户分组的分层黄金测试集（切片与难例）、pandera 校验模式、无泄漏的预处理流水线、训练集质量标准与数据生产流程",
        "a service chat's intents from three annotators: Cohen's/Fleiss' kappa and whom to retrain, majority "
        "adjudication with ties escalated, suspected label errors from out-of-fold probabilities, de-duplication "
        "after normalising, a stratified golden test set grouped by customer (slices and hard cases), a pandera "
        "schema, a leakage-free preprocessing pipeline, a training-set quality standard and the data flow"),
    tasks=[agreement, adjudication, screen, dedup, golden_split, schema, pipeline, standard, data_flow],
)
