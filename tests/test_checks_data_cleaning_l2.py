"""The L2 data-cleaning checks accept every correct approach and reject wrong ones, without crashing.

In process and fast: the lab's own route is run once per module (:func:`reference`); each test then
changes one step and grades it with the task's check, as a learner's notebook would.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd
import pytest

from graders import data_cleaning_l2 as q
from graders.checking import CheckFailed, Task
from trainerlab.datagen import annotations as an
from trainerlab.paths import dataset_file
from trainerlab.variants import DEFAULT_SEED

FEATURES = ["text", "channel", "wait_seconds"]


# --- the lab's route, step by step ------------------------------------------------------------------


def kappas(batch: pd.DataFrame) -> dict[tuple[str, str], float]:
    from statsmodels.stats.inter_rater import cohens_kappa

    out = {}
    for a, b in itertools.combinations(q.ANNOTATORS, 2):
        both = batch[[a, b]].dropna()
        table = pd.crosstab(both[a], both[b]).reindex(index=q.INTENTS, columns=q.INTENTS, fill_value=0)
        out[(a, b)] = cohens_kappa(table.to_numpy()).kappa
    return out


def fleiss(batch: pd.DataFrame) -> float:
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    return fleiss_kappa(aggregate_raters(batch[q.ANNOTATORS].dropna().to_numpy())[0])


def adjudicate(batch: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    long = batch.melt(id_vars="utt_id", value_vars=q.ANNOTATORS, value_name="intent").dropna()
    votes = pd.crosstab(long["utt_id"], long["intent"])
    table = batch.drop(columns=q.ANNOTATORS)
    table["label"] = table["utt_id"].map(votes.idxmax(axis=1).where(votes.max(axis=1) >= 2))
    table["hard"] = table["utt_id"].map((votes > 0).sum(axis=1) > 1).astype(bool)
    return table[table["label"].notna()].copy(), table[table["label"].isna()]


def oof(gold: pd.DataFrame) -> pd.DataFrame:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 2)), MultinomialNB(alpha=0.1))
    proba = cross_val_predict(
        model,
        gold["text"],
        gold["label"],
        cv=StratifiedKFold(5, shuffle=True, random_state=0),
        method="predict_proba",
    )
    return pd.DataFrame(proba, index=gold.index, columns=sorted(gold["label"].unique()))


def screen(gold: pd.DataFrame, proba: pd.DataFrame, *, argmax: bool = True) -> set[str]:
    given = proba.to_numpy()[np.arange(len(gold)), proba.columns.get_indexer(gold["label"])]
    t = {c: proba.loc[gold["label"] == c, c].mean() for c in proba.columns}
    flag = given < gold["label"].map(t).to_numpy()
    if argmax:
        flag &= (proba.idxmax(axis=1) != gold["label"]).to_numpy()
    return set(gold.loc[flag, "utt_id"])


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] in "PS"))


def dedupe(gold: pd.DataFrame, suspects: set[str], key=normalise) -> pd.DataFrame:
    pool = gold[~gold["utt_id"].isin(suspects)]
    return pool[~pool["text"].map(key).duplicated()]


def split(deduped: pd.DataFrame, share: float = 0.2) -> tuple[pd.DataFrame, pd.DataFrame]:
    solo = deduped[deduped.groupby("customer_id")["utt_id"].transform("size") == 1].sample(
        frac=1, random_state=0
    )
    key = solo["channel"] + " × " + solo["label"]
    n = round(share * len(deduped))
    covered = solo[key.groupby(key).cumcount() < 4]
    n_hard = int(np.ceil((deduped["hard"].mean() + 0.12) * n)) - int(covered["hard"].sum())
    chosen = pd.concat([covered, solo[solo["hard"] & ~solo.index.isin(covered.index)].head(max(n_hard, 0))])
    fill = solo[~solo["hard"] & ~solo.index.isin(chosen.index)].head(n - len(chosen))
    golden = deduped.loc[pd.concat([chosen, fill]).index]
    return golden, deduped.drop(golden.index)


def schema_validator(
    *, unique: bool = True, nullable: bool = True, strip: bool = True, sets: bool = True, ge: bool = True
):
    import pandera.pandas as pa

    text_check = (
        pa.Check(lambda s: s.str.strip().str.len() > 0) if strip else pa.Check.str_length(min_value=1)
    )
    schema = pa.DataFrameSchema(
        {
            "utt_id": pa.Column(str, pa.Check.str_matches(r"^U\d{5}$"), unique=unique),
            "customer_id": pa.Column(str, pa.Check.str_matches(r"^C\d{4}$")),
            "channel": pa.Column(str, pa.Check.isin(q.CHANNELS) if sets else None),
            "label": pa.Column(str, pa.Check.isin(q.INTENTS) if sets else None),
            "text": pa.Column(str, text_check),
            "wait_seconds": pa.Column(float, pa.Check.ge(0) if ge else None, nullable=nullable),
        }
    )

    def validate(batch: pd.DataFrame) -> set[str]:
        try:
            schema.validate(batch, lazy=True)
        except pa.errors.SchemaErrors as err:
            return set(err.failure_cases["column"].dropna())
        return set()

    return validate


def pipeline(train: pd.DataFrame, *, unknown: str = "ignore", impute: bool = True, dummy: bool = False):
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    wait = make_pipeline(SimpleImputer(strategy="median"), StandardScaler()) if impute else StandardScaler()
    prep = ColumnTransformer(
        [
            ("text", TfidfVectorizer(analyzer="char", ngram_range=(1, 2)), "text"),
            ("channel", OneHotEncoder(handle_unknown=unknown), ["channel"]),
            ("wait", wait, ["wait_seconds"]),
        ]
    )
    from sklearn.dummy import DummyClassifier

    clf = DummyClassifier() if dummy else LogisticRegression(max_iter=1000)
    model = Pipeline([("prep", prep), ("clf", clf)])
    return model.fit(train[FEATURES], train["label"])


@pytest.fixture(scope="module")
def ref() -> dict[str, Any]:
    batch = pd.read_csv(q.data_path())
    gold, review = adjudicate(batch)
    proba = oof(gold)
    suspects = screen(gold, proba)
    deduped = dedupe(gold, suspects)
    golden, train = split(deduped)
    return dict(
        batch=batch,
        gold=gold,
        review=review,
        proba=proba,
        suspects=suspects,
        deduped=deduped,
        golden=golden,
        train=train,
        model=pipeline(train),
    )


def lost(task: Task, answer: Any) -> list[str]:
    """The names (English) of the criteria the answer misses."""
    prepared = task.prepare(answer)
    return [c.name.en for c in task.criteria if not c.run(prepared)[0]]


def full(task: Task, answer: Any) -> bool:
    return task.evaluate(answer).earned == task.points


# --- data -------------------------------------------------------------------------------------------


def test_committed_file_is_the_generators_output_byte_for_byte() -> None:
    committed = dataset_file(an.NAME, an.FILE_NAME).read_bytes()
    assert committed == an.build(DEFAULT_SEED).table.to_csv(index=False).encode("utf-8")


@pytest.mark.parametrize("seed", [DEFAULT_SEED, 5])
def test_the_variant_tells_the_faults_apart(seed: int) -> None:
    v = an.build(seed)
    table = v.table.replace("", np.nan)
    pair = kappas(table)
    worst = {a: np.mean([k for p, k in pair.items() if a in p]) for a in q.ANNOTATORS}
    others = [k for a, k in worst.items() if a != v.careless]
    assert min(worst, key=worst.get) == v.careless and min(others) - worst[v.careless] > 0.1
    gold, review = adjudicate(table)
    assert set(review["utt_id"]) == set(v.ties)
    labels = gold.set_index("utt_id")["label"]
    assert all(labels[i] != v.true_label[i] for i in v.planted)
    assert all(
        normalise(t) == normalise(table.set_index("utt_id").at[o, "text"])
        for c, o in v.near_duplicates.items()
        for t in [table.set_index("utt_id").at[c, "text"]]
    )


def test_variants_are_reproducible_and_differ_by_seed() -> None:
    a, b, c = an.build(3), an.build(3), an.build(4)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.planted == b.planted and not a.table.equals(c.table)


# --- the lab's route and other routes score full -------------------------------------------------


def test_the_lab_route_earns_every_point(ref: dict[str, Any]) -> None:
    r = ref
    pair = kappas(r["batch"])
    retrain = min(q.ANNOTATORS, key=lambda a: np.mean([k for p, k in pair.items() if a in p]))
    answers = [
        (q.agreement, (pair, fleiss(r["batch"]), retrain)),
        (q.adjudication, (r["gold"], r["review"])),
        (q.screen, (r["suspects"], r["proba"], r["gold"])),
        (q.dedup, (r["deduped"], r["gold"], r["suspects"])),
        (q.golden_split, (r["golden"], r["train"], r["deduped"])),
        (q.schema, (schema_validator(), r["train"])),
        (q.pipeline, (r["model"], r["train"], r["golden"])),
    ]
    for task, answer in answers:
        assert lost(task, answer) == [], task.grade_id


@pytest.mark.parametrize("keys", ["tuple", "reversed", "string", "frozenset", "frame"])
def test_agreement_accepts_any_key_form(ref: dict[str, Any], keys: str) -> None:
    pair = kappas(ref["batch"])
    forms = {
        "tuple": pair,
        "reversed": {(b, a): k for (a, b), k in pair.items()},
        "string": {f"{a} vs {b}": k for (a, b), k in pair.items()},
        "frozenset": {frozenset(p): k for p, k in pair.items()},
    }
    if keys == "frame":
        frame = pd.DataFrame(1.0, index=q.ANNOTATORS, columns=q.ANNOTATORS)
        for (a, b), k in pair.items():
            frame.loc[a, b] = frame.loc[b, a] = k
        answer = frame
    else:
        answer = forms[keys]
    worst = min(q.ANNOTATORS, key=lambda a: np.mean([k for p, k in pair.items() if a in p]))
    assert full(q.agreement, (answer, round(fleiss(ref["batch"]), 4), worst))


def test_other_orders_and_indexes_score_full(ref: dict[str, Any]) -> None:
    gold = ref["gold"].sample(frac=1, random_state=1).reset_index(drop=True)
    assert full(q.adjudication, (gold, ref["review"][["utt_id"]]))
    proba = oof(gold)
    suspects = sorted(screen(gold, proba))
    assert full(q.screen, (suspects, proba[q.INTENTS[::-1]], gold))
    deduped = dedupe(gold, set(suspects))
    golden, train = split(deduped, share=0.19)
    assert full(q.dedup, (deduped, gold, pd.Series(suspects)))
    assert full(q.golden_split, (golden.reset_index(drop=True), train, deduped.reset_index(drop=True)))


# --- each mistake loses its own point -------------------------------------------------------------


def test_agreement_mistakes(ref: dict[str, Any]) -> None:
    batch = ref["batch"]
    pair, kappa3 = kappas(batch), fleiss(batch)
    raw = {(a, b): float((batch[[a, b]].dropna()[a] == batch[[a, b]].dropna()[b]).mean()) for a, b in pair}
    worst = min(q.ANNOTATORS, key=lambda a: np.mean([k for p, k in pair.items() if a in p]))
    best = max(q.ANNOTATORS, key=lambda a: np.mean([k for p, k in pair.items() if a in p]))
    assert lost(q.agreement, (raw, kappa3, worst)) == ["Cohen's kappa of every annotator pair is right"]
    assert lost(q.agreement, (pair, kappa3 + 0.01, worst)) == [
        "Fleiss' kappa of the three annotators is right"
    ]
    assert lost(q.agreement, (pair, kappa3, best)) == ["the annotator to retrain follows from your kappas"]
    # the choice is judged on the learner's own kappas (error carried forward)
    assert "the annotator to retrain follows from your kappas" not in lost(q.agreement, (raw, kappa3, worst))


def test_agreement_malformed_answers_are_explained_not_crashed() -> None:
    for answer in [({"A01-A02": 0.5}, 0.5, "A01"), ("kappa", 0.5, "A01"), ({}, "x", "A01")]:
        result = q.agreement.evaluate(answer)
        assert result.status == "malformed" and " / " in result.lines[0]
    assert q.agreement.evaluate((None, None, None)).status == "not_attempted"


def test_adjudication_mistakes(ref: dict[str, Any]) -> None:
    batch, gold, review = ref["batch"], ref["gold"], ref["review"]
    guessed = batch.drop(columns=q.ANNOTATORS).assign(
        label=batch[q.ANNOTATORS].mode(axis=1)[0], hard=batch[q.ANNOTATORS].nunique(axis=1) > 1
    )
    assert lost(q.adjudication, (guessed, guessed.iloc[:0])) == [
        "ties are escalated to review, never guessed"
    ]
    unanimous = gold[~gold["hard"]]
    both = pd.concat([review, gold[gold["hard"]]])
    assert lost(q.adjudication, (unanimous, both)) == [
        "every utterance with a majority is in gold with that label"
    ]
    skip_hard = gold.assign(
        hard=gold["hard"] | gold["utt_id"].isin(batch.loc[batch[q.ANNOTATORS].isna().any(axis=1), "utt_id"])
    )
    assert lost(q.adjudication, (skip_hard, review)) == [
        "hard marks the utterances the annotators disagreed on"
    ]
    assert lost(q.adjudication, (gold, pd.concat([review, gold.head(3)]))) == [
        "every utterance is in exactly one of gold and review"
    ]


def test_screen_mistakes(ref: dict[str, Any]) -> None:
    gold, proba = ref["gold"], ref["proba"]
    below_only = screen(gold, proba, argmax=False)
    assert set(lost(q.screen, (below_only, proba, gold))) == {
        "suspects are exactly the rows the rule (per-class thresholds) picks on your probabilities",
        "clean rows are kept (few false alarms)",
    }
    renamed = pd.DataFrame(proba.to_numpy(), index=proba.index, columns=q.INTENTS)  # not the model's order
    wrong = screen(gold, renamed)
    assert lost(q.screen, (wrong, renamed, gold))
    assert "the planted label errors are found" in lost(q.screen, (set(), proba, gold))
    half = q.screen.evaluate((ref["suspects"], proba.iloc[: len(proba) // 2], gold))
    assert half.status == "malformed" and "oof_proba" in half.lines[0] and " / " in half.lines[0]


def test_dedup_mistakes(ref: dict[str, Any]) -> None:
    gold, suspects = ref["gold"], ref["suspects"]
    exact = dedupe(gold, suspects, key=str)
    assert lost(q.dedup, (exact, gold, suspects)) == ["no two rows are the same message once normalised"]
    chinese = dedupe(gold, suspects, key=lambda t: re.sub(r"[^\u4e00-\u9fff]", "", t))
    assert lost(q.dedup, (chinese, gold, suspects)) == ["every distinct message is kept once"]
    kept = dedupe(gold, set(), key=normalise)
    assert "rows come from gold, the suspects moved out" in lost(q.dedup, (kept, gold, suspects))


def test_golden_set_mistakes(ref: dict[str, Any]) -> None:
    from sklearn.model_selection import train_test_split

    deduped = ref["deduped"]
    train, golden = train_test_split(deduped, test_size=0.2, random_state=0)
    missed = lost(q.golden_split, (golden, train, deduped))
    assert "no customer has utterances on both sides" in missed
    assert any("hard cases" in m for m in missed)
    big, rest = split(deduped, share=0.3)
    assert lost(q.golden_split, (big, rest, deduped)) == ["golden has the stated size"]
    golden, train = ref["golden"], ref["train"]
    assert lost(q.golden_split, (golden, train.iloc[5:], deduped)) == [
        "golden and train do not overlap and make up deduped"
    ]
    no_hard = deduped.assign(hard=False)
    result = q.golden_split.evaluate((no_hard.loc[golden.index], no_hard.loc[train.index], no_hard))
    assert any("Task 2" in line for line in result.lines)


def test_schema_probes(ref: dict[str, Any]) -> None:
    train = ref["train"]
    assert lost(q.schema, (schema_validator(unique=False), train)) == [
        "a repeated or malformed utt_id and a malformed customer_id are reported"
    ]
    assert lost(q.schema, (schema_validator(nullable=False), train)) == [
        "a valid batch passes (a wait time may be missing)"
    ]
    assert lost(q.schema, (schema_validator(strip=False), train)) == ["a blank text is reported"]


def test_schema_function_faults_are_explained(ref: dict[str, Any]) -> None:
    def crashes(batch: pd.DataFrame) -> set[str]:
        raise KeyError("label")

    def prints_and_returns_none(batch: pd.DataFrame) -> None:
        print("checked")

    for fn, expected in [(crashes, "KeyError"), (prints_and_returns_none, "set of column names")]:
        result = q.schema.evaluate((fn, ref["train"]))
        assert result.earned == 0 and any(expected in line for line in result.lines)
    assert q.schema.evaluate(("validate", ref["train"])).status == "malformed"


def test_pipeline_mistakes(ref: dict[str, Any]) -> None:
    train, golden, deduped = ref["train"], ref["golden"], ref["deduped"]
    assert lost(q.pipeline, (pipeline(deduped), train, golden)) == [
        "every preprocessing step is fitted on train alone"
    ]
    assert lost(q.pipeline, (pipeline(train, unknown="error"), train, golden)) == [
        "an unseen channel and a missing wait time are handled"
    ]
    filled = train.fillna({"wait_seconds": train["wait_seconds"].median()})
    assert "an unseen channel and a missing wait time are handled" in lost(
        q.pipeline, (pipeline(filled, impute=False), train, golden)
    )
    from sklearn.pipeline import Pipeline

    unfitted = Pipeline(pipeline(train).steps)
    unfitted = Pipeline([(n, s.__class__(**s.get_params(deep=False))) for n, s in unfitted.steps])
    assert q.pipeline.evaluate((unfitted, train, golden)).status == "malformed"


# --- feedback ----------------------------------------------------------------------------------------


def test_check_says_passed_only_for_full_points_and_never_leaks(
    ref: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    q.dedup.check((ref["deduped"], ref["gold"], ref["suspects"]))
    assert "Self-check passed" in capsys.readouterr().out
    pair = kappas(ref["batch"])
    raw = {p: k + 0.05 for p, k in pair.items()}
    with pytest.raises(CheckFailed):
        q.agreement.check((raw, fleiss(ref["batch"]), "A01"))
    out = capsys.readouterr()
    assert out.err == "" and "/" in out.out
    for k in [*pair.values(), fleiss(ref["batch"])]:
        assert f"{k:.3f}" not in out.out  # the expected values never show


def test_every_task_says_not_attempted_for_none() -> None:
    for task in q.LAB.tasks:
        if isinstance(task, Task):
            assert task.evaluate(None).status == "not_attempted", task.grade_id


def test_another_seed_is_graded_on_its_own_truth(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINERLAB_SEED", "5")
    batch = pd.read_csv(q.data_path())
    assert batch["utt_id"].tolist() == an.build(5).table["utt_id"].tolist()
    gold, review = adjudicate(batch)
    assert full(q.adjudication, (gold, review))
    pair = kappas(batch)
    worst = min(q.ANNOTATORS, key=lambda a: np.mean([k for p, k in pair.items() if a in p]))
    assert full(q.agreement, (pair, fleiss(batch), worst)) and worst == an.build(5).careless


def test_the_points_no_other_test_misses(ref: dict[str, Any]) -> None:
    gold, proba, deduped, golden, train = (ref[k] for k in ("gold", "proba", "deduped", "golden", "train"))
    assert "the suspects are utterances of gold" in lost(
        q.screen, (ref["suspects"] | {"U99999"}, proba, gold)
    )
    thin = (golden["channel"] == golden["channel"].iloc[0]) & (golden["label"] == golden["label"].iloc[0])
    moved = lost(q.golden_split, (golden[~thin], pd.concat([train, golden[thin]]), deduped))
    assert "every channel × intent slice has at least 4 rows in golden" in moved
    assert lost(q.schema, (schema_validator(sets=False), train)) == [
        "an unknown intent and an unknown channel are reported"
    ]
    assert lost(q.schema, (schema_validator(ge=False), train)) == ["a negative wait time is reported"]
    assert lost(q.pipeline, (pipeline(train, dummy=True), train, golden)) == [
        "beats the majority-class baseline on the golden set"
    ]
