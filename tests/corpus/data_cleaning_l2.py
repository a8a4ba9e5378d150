"""Whole answers of the L2 data-cleaning lab, graded end to end through nbgrader (see ``class_runs``).

Each alternative reaches every task by another correct route (other libraries, containers, key forms,
models, orders and selection strategies the statements leave open). Each wrong case makes one real
mistake per task that the statement rules out; error carried forward lets one notebook hold them all:
each mistake must cost points on its own task only.
"""

from __future__ import annotations

from textwrap import dedent

from class_runs import Case

# --- the solution's steps, reused where a case changes one of them ---------------------------------

SOLUTION_GOLDEN = dedent('''\
    per_customer = deduped.groupby("customer_id")["utt_id"].transform("size")
    solo = deduped[per_customer == 1].sample(frac=1, random_state=0)
    solo_slice = solo["channel"] + " × " + solo["label"]
    n_golden = round(SHARE * len(deduped))
    covered = solo[solo_slice.groupby(solo_slice).cumcount() < 4]
    n_hard = int(np.ceil((deduped["hard"].mean() + 0.12) * n_golden)) - int(covered["hard"].sum())
    extra_hard = solo[solo["hard"] & ~solo.index.isin(covered.index)].head(max(n_hard, 0))
    chosen = pd.concat([covered, extra_hard])
    fill = solo[~solo["hard"] & ~solo.index.isin(chosen.index)].head(n_golden - len(chosen))
    golden = deduped.loc[pd.concat([chosen, fill]).index]
    train = deduped.drop(golden.index)
    ''')


def schema_with(utt_id: str = 'pa.Column(str, pa.Check.str_matches(r"^U\\d{5}$"), unique=True)',
                text: str = "pa.Column(str, pa.Check(lambda s: s.str.strip().str.len() > 0))",
                wait: str = "pa.Column(float, pa.Check.ge(0), nullable=True)") -> str:
    """The solution's schema and validate(), with one column's rule replaced."""
    return dedent(f'''\
        train_schema = pa.DataFrameSchema({{
            "utt_id": {utt_id},
            "customer_id": pa.Column(str, pa.Check.str_matches(r"^C\\d{{4}}$")),
            "channel": pa.Column(str, pa.Check.isin(CHANNELS)),
            "label": pa.Column(str, pa.Check.isin(INTENTS)),
            "text": {text},
            "wait_seconds": {wait},
        }})


        def validate(batch):
            try:
                train_schema.validate(batch, lazy=True)
            except pa.errors.SchemaErrors as err:
                return set(err.failure_cases["column"].dropna())
            return set()
        ''')


def pipeline_with(channel: str = 'OneHotEncoder(handle_unknown="ignore")',
                  wait: str = 'make_pipeline(SimpleImputer(strategy="median"), StandardScaler())',
                  fit_on: str = "train") -> str:
    """The solution's pipeline with one step, or the rows it is fitted on, replaced."""
    return dedent(f'''\
        FEATURES = ["text", "channel", "wait_seconds"]
        preprocess = ColumnTransformer([
            ("text", TfidfVectorizer(analyzer="char", ngram_range=(1, 2)), "text"),
            ("channel", {channel}, ["channel"]),
            ("wait", {wait}, ["wait_seconds"]),
        ])
        model = Pipeline([("prep", preprocess), ("clf", LogisticRegression(max_iter=1000))])
        model.fit({fit_on}[FEATURES], {fit_on}["label"])
        ''')


def screen_with(proba: str, thresholds: str, flag: str, model: str = "MultinomialNB(alpha=0.1)") -> str:
    """Out-of-fold probabilities (the solution's text model, or ``model``) and a screening rule on them."""
    return dedent(f'''\
        text_model = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 2)), {model})
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
        proba = cross_val_predict(text_model, gold["text"], gold["label"], cv=folds, method="predict_proba")
        {proba}
        given = oof_proba.to_numpy()[np.arange(len(gold)), oof_proba.columns.get_indexer(gold["label"])]
        {thresholds}
        is_suspect = {flag}
        suspects = set(gold.loc[is_suspect, "utt_id"])
        ''')


SORTED_PROBA = 'oof_proba = pd.DataFrame(proba, index=gold.index, columns=sorted(gold["label"].unique()))'
CLASS_THRESHOLDS = 'thresholds = {c: oof_proba.loc[gold["label"] == c, c].mean() for c in oof_proba.columns}'
RULE = ('(given < gold["label"].map(thresholds).to_numpy()) & '
        '(oof_proba.idxmax(axis=1) != gold["label"])')


def normalised_dedup(body: str) -> str:
    """De-duplication after a normalise(text) with the given body."""
    return ("def normalise(text):\n" + "".join(f"    {line}\n" for line in body.splitlines()) + dedent('''\


        pool = gold[~gold["utt_id"].isin(suspects)]
        deduped = pool[~pool["text"].map(normalise).duplicated()]
        '''))


# --- alternative answers ---------------------------------------------------------------------------

ALT_SKLEARN = {
    # sklearn's kappa, string keys; Fleiss from a crosstab of the long table
    "agreement_answer": dedent('''\
        from sklearn.metrics import cohen_kappa_score

        pair_kappa = {}
        for a, b in itertools.combinations(ANNOTATORS, 2):
            both = batch.dropna(subset=[a, b])
            pair_kappa[f"{a}-{b}"] = cohen_kappa_score(both[a], both[b])
        full = batch.dropna(subset=ANNOTATORS)
        long = full.melt(id_vars="utt_id", value_vars=ANNOTATORS)
        fleiss = fleiss_kappa(pd.crosstab(long["utt_id"], long["value"]).to_numpy())
        mean = pd.Series({a: np.mean([v for k, v in pair_kappa.items() if a in k]) for a in ANNOTATORS})
        retrain = mean.idxmin()
        '''),
    # counts in a long table, ties by a groupby
    "adjudication_answer": dedent('''\
        long = batch.melt(id_vars="utt_id", value_vars=ANNOTATORS, value_name="intent").dropna()
        counts = long.groupby(["utt_id", "intent"]).size().rename("n").reset_index()
        top = counts.sort_values("n", ascending=False).drop_duplicates("utt_id")
        winners = top[top["n"] >= 2].set_index("utt_id")["intent"]
        distinct = counts.groupby("utt_id")["intent"].nunique()
        base = batch.drop(columns=ANNOTATORS)
        gold = base[base["utt_id"].isin(winners.index)].copy()
        gold["label"] = gold["utt_id"].map(winners)
        gold["hard"] = gold["utt_id"].map(distinct) > 1
        review = base[~base["utt_id"].isin(winners.index)].reset_index(drop=True)
        '''),
    # complement naive Bayes in a hand-written fold loop; numpy thresholds; a list
    "label_screen_answer": dedent('''\
        from sklearn.naive_bayes import ComplementNB

        texts, labels = gold["text"].to_numpy(), gold["label"].to_numpy()
        proba = np.zeros((len(gold), len(INTENTS)))
        for fit_rows, held_out in StratifiedKFold(5, shuffle=True, random_state=1).split(texts, labels):
            nb = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 2)), ComplementNB())
            nb.fit(texts[fit_rows], labels[fit_rows])
            columns = [INTENTS.index(c) for c in nb.classes_]
            proba[np.ix_(held_out, columns)] = nb.predict_proba(texts[held_out])
        oof_proba = pd.DataFrame(proba, index=gold.index, columns=INTENTS)
        col = np.array([INTENTS.index(c) for c in labels])
        own = proba[np.arange(len(gold)), col]
        t = np.array([own[col == k].mean() for k in range(len(INTENTS))])
        suspects = list(gold["utt_id"][(own < t[col]) & (proba.argmax(axis=1) != col)])
        '''),
    # a regular expression for the normal form; keep the last of each group
    "near_duplicates_answer": dedent('''\
        import re

        pool = gold[~gold["utt_id"].isin(suspects)].copy()
        nfkc = pool["text"].map(lambda t: unicodedata.normalize("NFKC", t).lower())
        pool["norm"] = [re.sub(r"[\\W_]+", "", t) for t in nfkc]
        deduped = pool.drop_duplicates("norm", keep="last").drop(columns="norm")
        '''),
    # customers of any size, in a random order: first those who fill a thin slice, then hard ones
    "golden_set_answer": dedent('''\
        rng = np.random.default_rng(7)
        target = round(0.2 * len(deduped))
        slice_of = deduped["channel"] + "/" + deduped["label"]
        need = {s: 4 for s in slice_of.unique()}
        groups = dict(list(deduped.groupby("customer_id")))
        order = rng.permutation(sorted(groups))
        picked = []
        for customer in order:
            rows = groups[customer]
            if len(rows) == 1 and need[slice_of[rows.index[0]]] > 0:
                picked.extend(rows.index)
                need[slice_of[rows.index[0]]] -= 1
        for customer in order:
            rows = groups[customer]
            if rows["hard"].all() and rows.index[0] not in picked and len(picked) + len(rows) <= target:
                picked.extend(rows.index)
        golden = deduped.loc[picked]
        train = deduped[~deduped.index.isin(picked)]
        '''),
    # a class-based pandera model; the failing columns as a sorted list
    "schema_answer": dedent('''\
        class TrainRow(pa.DataFrameModel):
            utt_id: str = pa.Field(str_matches=r"^U\\d{5}$", unique=True)
            customer_id: str = pa.Field(str_matches=r"^C\\d{4}$")
            channel: str = pa.Field(isin=CHANNELS)
            label: str = pa.Field(isin=INTENTS)
            text: str = pa.Field()
            wait_seconds: float = pa.Field(ge=0, nullable=True)

            @pa.check("text")
            def not_blank(cls, text):
                return text.str.strip() != ""


        def validate(batch):
            try:
                TrainRow.validate(batch, lazy=True)
            except pa.errors.SchemaErrors as err:
                return sorted(set(err.failure_cases["column"].dropna()))
            return []
        '''),
    # make_column_transformer, a mean imputer and a min-max scaler, a linear SVM
    "pipeline_answer": dedent('''\
        from sklearn.compose import make_column_transformer
        from sklearn.preprocessing import MinMaxScaler
        from sklearn.svm import LinearSVC

        prep = make_column_transformer(
            (TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3)), "text"),
            (OneHotEncoder(handle_unknown="infrequent_if_exist"), ["channel"]),
            (make_pipeline(SimpleImputer(), MinMaxScaler()), ["wait_seconds"]),
        )
        model = make_pipeline(prep, LinearSVC())
        model.fit(train, train["label"])
        '''),
}

ALT_PANDAS = {
    # statsmodels on crosstabs, reversed tuple keys; Fleiss on integer codes
    "agreement_answer": dedent('''\
        pair_kappa = {}
        for a, b in [("A02", "A01"), ("A03", "A01"), ("A03", "A02")]:
            both = batch[[a, b]].dropna()
            pair_kappa[(a, b)] = float(cohens_kappa(pd.crosstab(both[a], both[b]).to_numpy()).kappa)
        codes = batch[ANNOTATORS].dropna().apply(lambda col: col.map({c: i for i, c in enumerate(INTENTS)}))
        fleiss = round(fleiss_kappa(aggregate_raters(codes.to_numpy())[0]), 4)
        worst = {a: sum(k for p, k in pair_kappa.items() if a in p) / 2 for a in ANNOTATORS}
        retrain = sorted(worst, key=worst.get)[0]
        '''),
    # collections.Counter row by row
    "adjudication_answer": dedent('''\
        from collections import Counter

        rows = []
        for _, row in batch.iterrows():
            votes = Counter(v for v in row[ANNOTATORS] if isinstance(v, str))
            (top, n), = votes.most_common(1)
            rows.append({"utt_id": row["utt_id"], "label": top if n >= 2 else None, "hard": len(votes) > 1})
        result = batch.drop(columns=ANNOTATORS).merge(pd.DataFrame(rows), on="utt_id")
        gold = result.dropna(subset=["label"]).set_index("utt_id", drop=False)
        review = result[result["label"].isna()][["utt_id", "text"]]
        '''),
    # a stronger logistic regression, unshuffled folds, thresholds by groupby, a Series of ids
    "label_screen_answer": dedent('''\
        model3 = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 2)),
                               LogisticRegression(C=3, max_iter=2000))
        proba = cross_val_predict(model3, gold["text"], gold["label"], cv=StratifiedKFold(5),
                                  method="predict_proba")
        oof_proba = pd.DataFrame(proba, index=gold.index, columns=np.unique(gold["label"]))
        long = oof_proba.stack().rename("p").reset_index()
        long.columns = ["row", "intent", "p"]
        long["given"] = gold.loc[long["row"], "label"].to_numpy()
        t = long[long["intent"] == long["given"]].groupby("intent")["p"].mean()
        own = long[long["intent"] == long["given"]].set_index("row")["p"].loc[gold.index]
        top = oof_proba.idxmax(axis=1)
        flag = (own.to_numpy() < gold["label"].map(t).to_numpy()) & (top != gold["label"]).to_numpy()
        suspects = gold["utt_id"][flag]
        '''),
    # isalnum keeps letters, digits and Chinese characters, drops the rest
    "near_duplicates_answer": normalised_dedup(
        'return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())'),
    # the solution's strategy with another seed and shares
    "golden_set_answer": "SHARE = 0.21\n" + SOLUTION_GOLDEN.replace("random_state=0", "random_state=3"),
    # checks on single values; the columns as a list
    "schema_answer": schema_with(
        utt_id='pa.Column(str, [pa.Check(lambda v: bool(re.fullmatch(r"U\\d{5}", v)), element_wise=True)], '
               'unique=True)',
        text='pa.Column(str, pa.Check(lambda v: v.strip() != "", element_wise=True))',
        wait='pa.Column("float64", pa.Check.in_range(0, float("inf")), nullable=True)',
    ).replace("def validate(batch):", "import re\n\n\ndef validate(batch):"),
    # a constant fill, the raw columns straight from train, char_wb features
    "pipeline_answer": dedent('''\
        prep = ColumnTransformer([
            ("words", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 2), sublinear_tf=True), "text"),
            ("where", OneHotEncoder(handle_unknown="ignore", sparse_output=False), ["channel"]),
            ("wait", Pipeline([("fill", SimpleImputer(strategy="constant", fill_value=0.0)),
                               ("scale", StandardScaler())]), ["wait_seconds"]),
        ], remainder="drop")
        model = Pipeline([("prep", prep), ("clf", LogisticRegression(C=10, max_iter=2000))])
        model.fit(train.drop(columns=["label"]), train["label"])
        '''),
}

ALT_NUMPY = {
    # kappa by hand from observed and chance agreement; Fleiss by hand; a square DataFrame
    "agreement_answer": dedent('''\
        def kappa(x, y):
            observed = np.mean(x == y)
            chance = sum(np.mean(x == c) * np.mean(y == c) for c in INTENTS)
            return (observed - chance) / (1 - chance)


        matrix = pd.DataFrame(1.0, index=ANNOTATORS, columns=ANNOTATORS)
        for a, b in itertools.combinations(ANNOTATORS, 2):
            both = batch[[a, b]].dropna()
            matrix.loc[a, b] = matrix.loc[b, a] = kappa(both[a].to_numpy(), both[b].to_numpy())
        pair_kappa = matrix
        n = np.stack([(batch[ANNOTATORS].dropna().to_numpy() == c).sum(axis=1) for c in INTENTS], axis=1)
        p_item = ((n * (n - 1)).sum(axis=1) / (3 * 2)).mean()
        p_class = (n.sum(axis=0) / n.sum()) ** 2
        fleiss = (p_item - p_class.sum()) / (1 - p_class.sum())
        retrain = (matrix.sum(axis=1) - 1).idxmin()
        '''),
    # numpy counts per intent
    "adjudication_answer": dedent('''\
        labels = batch[ANNOTATORS].to_numpy(dtype=object)
        counts = np.stack([(labels == c).sum(axis=1) for c in INTENTS], axis=1)
        has_majority = counts.max(axis=1) >= 2
        table = batch.drop(columns=ANNOTATORS).assign(
            label=np.array(INTENTS, dtype=object)[counts.argmax(axis=1)],
            hard=(counts > 0).sum(axis=1) > 1)
        gold = table[has_majority].reset_index(drop=True)
        review = table.loc[~has_majority, ["utt_id"]]
        '''),
    # an SGD logistic model, probabilities as a frame with columns in another order
    "label_screen_answer": dedent('''\
        from sklearn.linear_model import SGDClassifier

        sgd = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 2)),
                            SGDClassifier(loss="log_loss", alpha=1e-4, random_state=0))
        raw = cross_val_predict(sgd, gold["text"], gold["label"],
                                cv=StratifiedKFold(5, shuffle=True, random_state=2), method="predict_proba")
        oof_proba = pd.DataFrame(raw, index=gold.index, columns=sorted(INTENTS))[INTENTS[::-1]]
        given = np.array([oof_proba.at[i, c] for i, c in zip(gold.index, gold["label"])])
        t = {c: given[(gold["label"] == c).to_numpy()].mean() for c in INTENTS}
        low = given < gold["label"].map(t).to_numpy()
        other = oof_proba.idxmax(axis=1).to_numpy() != gold["label"].to_numpy()
        suspects = frozenset(gold["utt_id"].to_numpy()[low & other])
        '''),
    # str.translate over the punctuation and symbols found in the data, then groupby first
    "near_duplicates_answer": dedent('''\
        pool = gold[~gold["utt_id"].isin(suspects)]
        text = pool["text"].str.normalize("NFKC").str.lower()
        odd = {ch for t in text for ch in t if unicodedata.category(ch)[0] in "PSZ" or ch.isspace()}
        key = text.str.translate({ord(ch): None for ch in odd})
        deduped = pool.loc[pool.groupby(key, sort=False).head(1).index]
        '''),
    # hard one-utterance customers first, each slice filled from them, the rest at random
    "golden_set_answer": dedent('''\
        solo = deduped[~deduped["customer_id"].duplicated(keep=False)]
        solo = solo.assign(r=np.random.default_rng(11).random(len(solo))).sort_values(["hard", "r"],
                                                                                      ascending=[False, True])
        key = solo["channel"].str.cat(solo["label"], sep="|")
        first = solo[key.groupby(key).cumcount() < 5]
        target = int(0.19 * len(deduped)) + 1
        more = solo.drop(first.index).head(max(target - len(first), 0))
        golden = pd.concat([first, more])
        train = deduped.drop(index=golden.index)
        '''),
    # the schema built from a dict of rules in a loop
    "schema_answer": dedent('''\
        rules = {
            "utt_id": ([pa.Check.str_matches(r"U[0-9]{5}$")], False, True),
            "customer_id": ([pa.Check.str_matches(r"C[0-9]{4}$")], False, False),
            "channel": ([pa.Check.isin(CHANNELS)], False, False),
            "label": ([pa.Check.isin(INTENTS)], False, False),
            "text": ([pa.Check(lambda s: s.str.strip().ne(""))], False, False),
            "wait_seconds": ([pa.Check.greater_than_or_equal_to(0)], True, False),
        }
        columns = {c: pa.Column(checks=ch, nullable=nul, unique=uni) for c, (ch, nul, uni) in rules.items()}
        checker = pa.DataFrameSchema(columns, strict=False)


        def validate(batch):
            try:
                checker.validate(batch, lazy=True)
                return set()
            except pa.errors.SchemaErrors as errors:
                return {c for c in errors.failure_cases["column"] if isinstance(c, str)}
        '''),
    # a most-frequent imputer, the text under another name, a random forest
    "pipeline_answer": dedent('''\
        from sklearn.ensemble import RandomForestClassifier

        prep = ColumnTransformer([
            ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(2, 2)), "text"),
            ("onehot", OneHotEncoder(handle_unknown="ignore"), ["channel"]),
            ("num", SimpleImputer(strategy="most_frequent"), ["wait_seconds"]),
        ])
        model = Pipeline([("prep", prep),
                          ("forest", RandomForestClassifier(n_estimators=40, random_state=0, n_jobs=1))])
        model.fit(train[["text", "channel", "wait_seconds"]], train["label"])
        '''),
}

# --- wrong answers: one real mistake per task ------------------------------------------------------

WRONG_1 = {
    # raw agreement, not kappa
    "agreement_answer": dedent('''\
        pair_kappa = {}
        for a, b in itertools.combinations(ANNOTATORS, 2):
            both = batch[[a, b]].dropna()
            pair_kappa[(a, b)] = float((both[a] == both[b]).mean())
        counts, _ = aggregate_raters(batch[ANNOTATORS].dropna().to_numpy())
        fleiss = fleiss_kappa(counts)
        mean_kappa = {a: np.mean([k for pair, k in pair_kappa.items() if a in pair]) for a in ANNOTATORS}
        retrain = min(mean_kappa, key=mean_kappa.get)
        '''),
    # mode(axis=1) guesses a label on ties
    "adjudication_answer": dedent('''\
        gold = batch.drop(columns=ANNOTATORS).copy()
        gold["label"] = batch[ANNOTATORS].mode(axis=1)[0]
        gold["hard"] = batch[ANNOTATORS].nunique(axis=1) > 1
        review = gold.iloc[:0]
        '''),
    # one global cut at 0.5 instead of per-class thresholds (logistic regression's softer probabilities)
    "label_screen_answer": screen_with(SORTED_PROBA, "", "given < 0.5",
                                       model="LogisticRegression(max_iter=1000)"),
    # exact repeats only
    "near_duplicates_answer": dedent('''\
        pool = gold[~gold["utt_id"].isin(suspects)]
        deduped = pool.drop_duplicates(subset="text")
        '''),
    # a stratified random split: customers straddle, hard cases not over-sampled
    "golden_set_answer": dedent('''\
        from sklearn.model_selection import train_test_split

        train, golden = train_test_split(deduped, test_size=0.2, random_state=0,
                                         stratify=deduped["channel"] + deduped["label"])
        '''),
    # no rule on the key: repeated or malformed ids pass
    "schema_answer": schema_with(utt_id="pa.Column(str)"),
    # fitted on every row, the golden set included
    "pipeline_answer": pipeline_with(fit_on="deduped"),
}

WRONG_2 = {
    # Fleiss' kappa over every row, a skip counted as a category of its own
    "agreement_answer": dedent('''\
        pair_kappa = {}
        for a, b in itertools.combinations(ANNOTATORS, 2):
            both = batch[[a, b]].dropna()
            table = pd.crosstab(both[a], both[b]).reindex(index=INTENTS, columns=INTENTS, fill_value=0)
            pair_kappa[(a, b)] = cohens_kappa(table.to_numpy()).kappa
        counts, _ = aggregate_raters(batch[ANNOTATORS].fillna("skipped").to_numpy())
        fleiss = fleiss_kappa(counts)
        mean_kappa = {a: np.mean([k for pair, k in pair_kappa.items() if a in pair]) for a in ANNOTATORS}
        retrain = min(mean_kappa, key=mean_kappa.get)
        '''),
    # a skip counted as disagreement: two alike out of two are marked hard
    "adjudication_answer": dedent('''\
        def majority(labels):
            counts = labels.dropna().value_counts()
            return pd.Series({"label": counts.index[0] if counts.iloc[0] >= 2 else None,
                              "hard": counts.iloc[0] < 3})


        votes = batch[ANNOTATORS].apply(majority, axis=1)
        adjudicated = batch.drop(columns=ANNOTATORS).join(votes)
        gold = adjudicated[adjudicated["label"].notna()].copy()
        gold["hard"] = gold["hard"].astype(bool)
        review = adjudicated[adjudicated["label"].isna()]
        '''),
    # probability columns named in the dictionary's order, not the model's (sorted) order
    "label_screen_answer": screen_with(
        'oof_proba = pd.DataFrame(proba, index=gold.index, columns=INTENTS)', CLASS_THRESHOLDS, RULE),
    # only Chinese characters kept: amounts and months merge different messages
    "near_duplicates_answer": normalised_dedup(
        'return "".join(ch for ch in unicodedata.normalize("NFKC", text) if "\\u4e00" <= ch <= "\\u9fff")'),
    # grouped by customer but otherwise random: slices thin, hard cases not over-sampled
    "golden_set_answer": dedent('''\
        from sklearn.model_selection import GroupShuffleSplit

        fit_rows, test_rows = next(GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
                                   .split(deduped, groups=deduped["customer_id"]))
        golden, train = deduped.iloc[test_rows], deduped.iloc[fit_rows]
        '''),
    # wait_seconds may not be missing: valid batches fail
    "schema_answer": schema_with(wait="pa.Column(float, pa.Check.ge(0))"),
    # the encoder raises on a channel it has not seen
    "pipeline_answer": pipeline_with(channel="OneHotEncoder()"),
}

WRONG_3 = {
    # the annotator to retrain read the wrong way round: the best one
    "agreement_answer": dedent('''\
        pair_kappa = {}
        for a, b in itertools.combinations(ANNOTATORS, 2):
            both = batch[[a, b]].dropna()
            table = pd.crosstab(both[a], both[b]).reindex(index=INTENTS, columns=INTENTS, fill_value=0)
            pair_kappa[(a, b)] = cohens_kappa(table.to_numpy()).kappa
        counts, _ = aggregate_raters(batch[ANNOTATORS].dropna().to_numpy())
        fleiss = fleiss_kappa(counts)
        mean_kappa = {a: np.mean([k for pair, k in pair_kappa.items() if a in pair]) for a in ANNOTATORS}
        retrain = max(mean_kappa, key=mean_kappa.get)
        '''),
    # rows with a skipped label dropped before voting: their majorities are lost
    "adjudication_answer": dedent('''\
        full = batch.dropna(subset=ANNOTATORS)
        counts = full[ANNOTATORS].apply(lambda row: row.value_counts(), axis=1).fillna(0)
        winner = counts.idxmax(axis=1).where(counts.max(axis=1) >= 2)
        table = full.drop(columns=ANNOTATORS).assign(label=winner, hard=(counts > 0).sum(axis=1) > 1)
        gold = table[table["label"].notna()].copy()
        review = table[table["label"].isna()]
        '''),
    # below the threshold is not enough: the most probable intent is not asked to be another one
    "label_screen_answer": screen_with(
        SORTED_PROBA, CLASS_THRESHOLDS, 'given < gold["label"].map(thresholds).to_numpy()'),
    # no NFKC: full-width copies stay
    "near_duplicates_answer": normalised_dedup(
        'text = text.lower()\n'
        'return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] in "PS"))'),
    # 30 % of the rows, not 18–22 %
    "golden_set_answer": "SHARE = 0.3\n" + SOLUTION_GOLDEN,
    # a text of spaces passes: its length is checked before stripping
    "schema_answer": schema_with(text="pa.Column(str, pa.Check.str_length(min_value=1))"),
    # gaps filled before the pipeline, with no imputer in it: missing wait times break it
    "pipeline_answer": dedent('''\
        FEATURES = ["text", "channel", "wait_seconds"]
        filled = train.fillna({"wait_seconds": train["wait_seconds"].median()})
        preprocess = ColumnTransformer([
            ("text", TfidfVectorizer(analyzer="char", ngram_range=(1, 2)), "text"),
            ("channel", OneHotEncoder(handle_unknown="ignore"), ["channel"]),
            ("wait", StandardScaler(), ["wait_seconds"]),
        ])
        model = Pipeline([("prep", preprocess), ("clf", LogisticRegression(max_iter=1000))])
        model.fit(filled[FEATURES], filled["label"])
        '''),
}

CASES = [
    Case("sklearn-long-tables-cnb-regex-greedy-model-class-svm", "alternative", ALT_SKLEARN),
    Case("statsmodels-counter-lr3-isalnum-seed3-elementwise-constant", "alternative", ALT_PANDAS),
    Case("by-hand-numpy-sgd-translate-hard-first-loop-forest", "alternative", ALT_NUMPY),
    Case("agreement-mode-global-exact-random-nokey-all-rows", "wrong", WRONG_1, loses={
        "agreement": "raw agreement, not kappa", "adjudication": "ties guessed by mode(axis=1)",
        "label_screen": "one global 0.5 cut", "near_duplicates": "exact repeats only",
        "golden_set": "stratified random split", "schema": "no rule on the key",
        "pipeline": "fitted on every row"}),
    Case("skip-category-skip-hard-dict-order-chinese-only-groups-notnull-unknown", "wrong", WRONG_2, loses={
        "agreement": "skips as a category in Fleiss", "adjudication": "a skip counted as disagreement",
        "label_screen": "columns in the dictionary's order", "near_duplicates": "digits and letters dropped",
        "golden_set": "grouped random split", "schema": "missing wait times refused",
        "pipeline": "unseen channel raises"}),
    Case("best-retrained-skips-dropped-below-only-no-nfkc-30pc-unstripped-filled", "wrong", WRONG_3, loses={
        "agreement": "the best annotator retrained", "adjudication": "rows with a skip dropped",
        "label_screen": "no argmax condition", "near_duplicates": "no NFKC",
        "golden_set": "30 % of the rows", "schema": "blank text passes",
        "pipeline": "no imputer in the pipeline"}),
]
