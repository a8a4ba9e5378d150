"""Seeded material for the guidance lab (L3 · 4.1, 4.2): a junior's work to review and a quiz to analyse.

Three pieces, each drawn from the seed, with the truth the checks grade against:

* **A junior's (L4) intent-labelling batch** (:func:`labelling_batch`): customer-service utterances of
  the online shop 优选商城 (YouXuan Mall), each labelled with one intent by a junior. Planted faults, each
  of one error type of the guideline (:data:`LABEL_ERRORS`): a wrong intent on a one-intent utterance, a
  two-intent utterance labelled with the lower-priority intent, a label that is not in the guideline's
  list, a blank label. Decoy: two-intent utterances labelled *right* whose lower-priority intent is
  mentioned first, so labelling by "the first thing said" flags them wrongly.
* **A junior's cleaning script** (:func:`cleaning_steps`): eight numbered steps against a written
  cleaning spec (:data:`CLEANING_SPEC`); some steps are written wrongly, each fault of one type of
  :data:`STEP_ERRORS`. The other steps are right, some in an unusual but correct form (decoys: a
  ``>=``/``<=`` pair instead of ``between``, ``keep="last"`` after sorting).
* **A quiz's answer data** (:func:`quiz`): 80 trainees × 15 multiple-choice items from a beginners'
  course, answers as letters (blank: not answered, which counts as wrong) and the answer key. Items
  follow a two-parameter logistic model; planted: a too-easy item, a too-hard item, a weakly
  discriminating item and a miskeyed item (its key names a distractor, so its discrimination is
  negative). The total scores never tie across the upper and lower 27 % group boundaries, so the
  groups are unambiguous.

``python -m trainerlab.datagen.guidance_cases`` rewrites the bundled files for the default seed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from trainerlab.variants import DEFAULT_SEED, variant_csv

# --- the labelling batch ----------------------------------------------------------------------------

#: The guideline's intents, from the highest priority to the lowest: (label, English, definition zh, en).
INTENTS = (
    ("投诉", "complaint", "对服务、商品质量或人员不满，要求处理或升级",
     "unhappy with service, quality or staff; wants it handled"),
    ("退货退款", "return or refund", "要退货、换货或退款", "wants to return, exchange or be refunded"),
    ("修改地址", "change address", "要改收货地址、电话或收货人",
     "wants to change the delivery address, phone or recipient"),
    ("查询物流", "track order", "问包裹在哪、何时送达", "asks where the parcel is or when it arrives"),
    ("商品咨询", "product question", "问商品规格、库存、用法、尺码",
     "asks about a product's specs, stock, use or size"),
    ("其他", "other", "以上都不是（问候、闲聊、感谢）", "none of the above (greetings, chat, thanks)"),
)
LABELS = [label for label, *_ in INTENTS]
#: Error types of the labelling guideline (the learner names one per mislabelled record).
LABEL_ERRORS = {
    "wrong_intent": ("意图判断错误：单一意图的话语标成了另一个意图",
                     "wrong intent: a one-intent utterance got another intent"),
    "priority_ignored": ("未按优先级：含两个意图时没有标优先级高的那个",
                         "priority ignored: a two-intent utterance did not get the higher-priority intent"),
    "invalid_label": ("标签不规范：标签不在规范列表里（自创或简写）",
                      "invalid label: the label is not in the guideline's list"),
    "missing_label": ("漏标：标签为空", "missing label: the label is blank"),
}
#: Labels a junior writes that the guideline does not have, per intent.
INVALID_SPELLINGS = {"投诉": "差评", "退货退款": "退款", "修改地址": "改地址", "查询物流": "物流",
                     "商品咨询": "咨询", "其他": "闲聊"}

PRODUCTS = ["蓝牙耳机", "电饭煲", "运动鞋", "保温杯", "台灯", "羽绒服", "空气炸锅", "双肩包", "机械键盘",
            "加湿器"]
_SINGLE = {
    "投诉": ["你们的{p}用了两天就坏了，太差劲了，我要投诉！", "客服一直不回消息，态度太差，我要投诉",
            "快递员把{p}扔在门口，包装都破了，给我一个说法", "第三次找你们了，问题还没解决，我要找你们经理"],
    "退货退款": ["{p}尺码不合适，我想退货", "买的{p}不想要了，怎么申请退款？", "{p}买重了一件，帮我退掉一件",
             "七天无理由退货，{p}怎么寄回去？"],
    "修改地址": ["刚下的{p}订单地址写错了，能改成公司地址吗", "收货电话填错了，帮我改一下",
             "{p}先别发，我要换个收货地址", "收货人改成我妈妈的名字可以吗"],
    "查询物流": ["我的{p}到哪儿了？", "{p}下单{n}天了还没发货吗？", "快递显示已签收，可我没收到{p}",
             "{p}今天能送到吗"],
    "商品咨询": ["这款{p}有黑色的吗？", "{p}能用多长时间？", "{p}支持全国联保吗", "{p}有没有大一号的"],
    "其他": ["你好，在吗", "谢谢你，问题解决了", "好的，没事了", "今天天气不错啊"],
}
#: Two-intent utterances with the lower-priority intent said first: (text, first said, higher priority).
_DOUBLE = [
    ("{p}{n}天了还没到，你们客服也不理人，我要投诉", "查询物流", "投诉"),
    ("{p}怎么还没发货？不要了，直接给我退款", "查询物流", "退货退款"),
    ("这款{p}有大码吗？我买的小了，想退货", "商品咨询", "退货退款"),
    ("我的{p}到哪了？顺便帮我把地址改成新家", "查询物流", "修改地址"),
    ("请问{p}怎么用？说明书看不懂，买到这种东西太失望了，我要投诉", "商品咨询", "投诉"),
    ("{p}寄到哪了？收件电话我要换一个", "查询物流", "修改地址"),
    ("改一下{p}的收货地址吧，算了，还是直接退款", "修改地址", "退货退款"),
    ("{p}的说明书在哪下载？算了，这个型号我不要了，帮我退货", "商品咨询", "退货退款"),
]
N_SINGLE = 34
N_DOUBLE_RIGHT = 3  # decoys: labelled right, the first-said intent is not the label
PLANTED_LABEL_ERRORS = {"wrong_intent": 2, "priority_ignored": 2, "invalid_label": 1, "missing_label": 1}
BATCH_COLUMNS = ["record_id", "utterance", "label"]


@dataclass(frozen=True)
class LabellingBatch:
    """The junior's batch (``record_id``, ``utterance``, ``label``; blank label as ``""``) and its truth."""

    batch: pd.DataFrame
    errors: dict[str, str]  # record_id -> error type
    right_labels: dict[str, str]  # record_id -> the label the guideline gives
    decoys: tuple[str, ...]  # two-intent records labelled right, first-said intent not the label


def _fill(rng: np.random.Generator, template: str) -> str:
    return template.format(p=str(rng.choice(PRODUCTS)), n=int(rng.integers(3, 9)))


def build_batch(seed: int = DEFAULT_SEED) -> LabellingBatch:
    """Generate the junior's labelling batch for ``seed`` (deterministic)."""
    rng = np.random.default_rng([seed, 41])
    rows: list[dict[str, str]] = []  # utterance, right label, first-said intent
    for label in rng.choice(LABELS, size=N_SINGLE, p=[0.14, 0.2, 0.12, 0.24, 0.2, 0.1]):
        rows.append({"utterance": _fill(rng, str(rng.choice(_SINGLE[str(label)]))), "right": str(label),
                     "first": str(label)})
    n_double = N_DOUBLE_RIGHT + PLANTED_LABEL_ERRORS["priority_ignored"]
    for index in rng.choice(len(_DOUBLE), size=n_double, replace=False):
        text, first, right = _DOUBLE[index]
        rows.append({"utterance": _fill(rng, text), "right": right, "first": first})
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    first_id = int(rng.integers(2000, 8000))
    ids = [f"CS{first_id + 7 * i:05d}" for i in range(len(rows))]
    labels = [row["right"] for row in rows]
    errors: dict[str, str] = {}
    doubles = [i for i, row in enumerate(rows) if row["first"] != row["right"]]
    singles = [i for i, row in enumerate(rows) if row["first"] == row["right"]]
    for i in rng.choice(doubles, size=PLANTED_LABEL_ERRORS["priority_ignored"], replace=False):
        labels[i] = rows[i]["first"]
        errors[ids[i]] = "priority_ignored"
    planted = rng.choice(singles, size=sum(PLANTED_LABEL_ERRORS.values()) - len(errors), replace=False)
    kinds = [k for k, n in PLANTED_LABEL_ERRORS.items() if k != "priority_ignored" for _ in range(n)]
    for i, kind in zip(planted, kinds, strict=True):
        right = rows[i]["right"]
        if kind == "wrong_intent":
            labels[i] = str(rng.choice([label for label in LABELS if label != right]))
        elif kind == "invalid_label":
            labels[i] = INVALID_SPELLINGS[right]
        else:
            labels[i] = ""
        errors[ids[i]] = kind
    batch = pd.DataFrame({"record_id": ids, "utterance": [row["utterance"] for row in rows], "label": labels})
    decoys = tuple(ids[i] for i in doubles if ids[i] not in errors)
    return LabellingBatch(batch, errors, dict(zip(ids, (row["right"] for row in rows), strict=True)), decoys)


# --- the junior's cleaning script -------------------------------------------------------------------

#: The cleaning spec the junior was given (the learner checks each step against it).
CLEANING_SPEC = (
    ("缺失标记有三种：空白、“未知”、“-”", "missing markers are blank, 未知 and -"),
    ("金额 amount 可能写成“1,299”，转换成数值时不能丢失任何金额",
     "amount may be written 1,299; converting it to numbers must lose no amount"),
    ("同一订单号 order_id 可能录入多次，只保留 updated_at 最新的一条",
     "an order_id may be entered several times: keep only the latest by updated_at"),
    ("数量 quantity 的有效范围是 1 到 50（含 1 和 50），范围外的记录删除；其他列的缺失不是删除的理由",
     "quantity is valid from 1 to 50 inclusive, rows outside are dropped; gaps in other columns are no "
     "reason to drop a row"),
    ("金额缺失时用同一品类 category 的金额中位数填补",
     "a missing amount is filled with its category's median amount"),
    ("城市名去掉首尾空格，并把“上海市”“北京市”统一成“上海”“北京”",
     "city names are stripped of spaces, 上海市/北京市 unified to 上海/北京"),
    ("按 8:2 划分训练集和测试集，标准化只在训练集上拟合",
     "split 80/20; the scaler is fitted on the training set only"),
    ("结果保存为 UTF-8 编码的 CSV，不写行索引", "save the result as UTF-8 CSV without the row index"),
)
#: Error types of a cleaning step (the learner names one per faulty step).
STEP_ERRORS = {
    "missing_markers": ("缺失标记没有全部识别", "not every missing marker is recognised"),
    "values_lost": ("类型转换把有效值变成了缺失", "type conversion turns valid values into gaps"),
    "wrong_duplicate_key": ("去重依据错误（不是按订单号保留最新一条）",
                            "duplicates removed on the wrong basis (not the latest row per order_id)"),
    "records_lost": ("误删了有效记录", "valid records are dropped"),
    "rule_boundary": ("业务规则的边界写错", "a business rule's boundary is wrong"),
    "wrong_fill": ("填补方法不符合规范", "missing values filled against the spec"),
    "categories_not_unified": ("类别没有统一干净", "categories are not fully unified"),
    "leakage": ("数据泄漏：用到了测试集的信息", "leakage: the test set's information is used"),
    "output_format": ("输出文件不符合规范", "the output file breaks the spec"),
}
_STEP_TITLES = (
    ("读入数据", "read the export"), ("金额转成数值", "amount to numbers"),
    ("删除重复订单", "remove repeated orders"),
    ("数量规则", "quantity rule"), ("填补金额", "fill amounts"), ("统一城市名", "unify city names"),
    ("划分与标准化", "split and scale"), ("保存结果", "save the result"),
)
#: Per step: correct versions, then faulty versions with their error type.
_STEP_CODE: tuple[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    (('df = pd.read_csv("orders.csv", na_values=["未知", "-"])',
      'df = pd.read_csv("orders.csv", keep_default_na=True, na_values=["-", "未知"])'),
     (('df = pd.read_csv("orders.csv")', "missing_markers"),
      ('df = pd.read_csv("orders.csv", na_values=["未知"])', "missing_markers"))),
    (('df["amount"] = pd.to_numeric(df["amount"].str.replace(",", ""), errors="coerce")',
      'df["amount"] = df["amount"].str.replace(",", "").astype(float)'),
     (('df["amount"] = pd.to_numeric(df["amount"], errors="coerce")', "values_lost"),
      ('df["amount"] = pd.to_numeric(df["amount"].str.split(",").str[0], errors="coerce")', "values_lost"))),
    (('df = df.sort_values("updated_at").drop_duplicates("order_id", keep="last")',
      'df = df.sort_values("updated_at", ascending=False).drop_duplicates(subset=["order_id"])'),
     (('df = df.drop_duplicates()', "wrong_duplicate_key"),
      ('df = df.drop_duplicates("order_id", keep=False)', "records_lost"),
      ('df = df.sort_values("updated_at").drop_duplicates("order_id", keep="first")',
       "wrong_duplicate_key"))),
    (('df = df[df["quantity"].between(1, 50)]',
      'df = df[(df["quantity"] >= 1) & (df["quantity"] <= 50)]'),
     (('df = df[(df["quantity"] > 1) & (df["quantity"] < 50)]', "rule_boundary"),
      ('df = df.dropna()\ndf = df[df["quantity"].between(1, 50)]', "records_lost"))),
    (('df["amount"] = df["amount"].fillna(df.groupby("category")["amount"].transform("median"))',
      'medians = df.groupby("category")["amount"].median()\n'
      'df["amount"] = df["amount"].fillna(df["category"].map(medians))'),
     (('df["amount"] = df["amount"].fillna(df["amount"].mean())', "wrong_fill"),
      ('df["amount"] = df["amount"].fillna(0)', "wrong_fill"))),
    (('df["city"] = df["city"].str.strip().replace({"上海市": "上海", "北京市": "北京"})',
      'CITY = {"上海市": "上海", "北京市": "北京"}\n'
      'df["city"] = df["city"].str.strip().map(lambda c: CITY.get(c, c))'),
     (('df["city"] = df["city"].replace({"上海市": "上海", "北京市": "北京"})',
       "categories_not_unified"),
      ('df["city"] = df["city"].str.strip().replace({"上海市": "上海"})', "categories_not_unified"))),
    (('train, test = train_test_split(df, test_size=0.2, random_state=0)\n'
      'scaler = StandardScaler().fit(train[NUMERIC])\n'
      'train[NUMERIC] = scaler.transform(train[NUMERIC])\ntest[NUMERIC] = scaler.transform(test[NUMERIC])',),
     (('df[NUMERIC] = StandardScaler().fit_transform(df[NUMERIC])\n'
       'train, test = train_test_split(df, test_size=0.2, random_state=0)', "leakage"),
      ('train, test = train_test_split(df, test_size=0.2, random_state=0)\n'
       'scaler = StandardScaler().fit(df[NUMERIC])\n'
       'train[NUMERIC] = scaler.transform(train[NUMERIC])\ntest[NUMERIC] = scaler.transform(test[NUMERIC])',
       "leakage"))),
    (('train.to_csv("output/train_clean.csv", index=False, encoding="utf-8")\n'
      'test.to_csv("output/test_clean.csv", index=False, encoding="utf-8")',),
     (('train.to_csv("output/train_clean.csv")\ntest.to_csv("output/test_clean.csv")', "output_format"),
      ('train.to_csv("output/train_clean.csv", index=False, encoding="gbk")\n'
       'test.to_csv("output/test_clean.csv", index=False, encoding="gbk")', "output_format"))),
)
N_FAULTY_STEPS = 4


@dataclass(frozen=True)
class CleaningScript:
    """The junior's numbered steps as code text and the truth: faulty step number -> error type."""

    steps: tuple[str, ...]  # the code of step 1, 2, … (index 0 is step 1)
    faults: dict[int, str]

    def listing(self) -> str:
        """The whole script as the junior handed it in, each step under a numbered comment."""
        head = ("import pandas as pd\nfrom sklearn.model_selection import train_test_split\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                'NUMERIC = ["quantity", "amount"]\n')
        parts = [head]
        for number, ((zh, en), code) in enumerate(zip(_STEP_TITLES, self.steps, strict=True), start=1):
            parts.append(f"# 步骤 {number} / Step {number}: {zh} / {en}\n{code}\n")
        return "\n".join(parts)


def build_script(seed: int = DEFAULT_SEED) -> CleaningScript:
    """Generate the junior's cleaning script for ``seed`` (deterministic)."""
    rng = np.random.default_rng([seed, 42])
    faulty = {int(i) for i in rng.choice(len(_STEP_CODE), size=N_FAULTY_STEPS, replace=False)}
    steps, faults = [], {}
    for index, (right, wrong) in enumerate(_STEP_CODE):
        if index in faulty:
            code, kind = wrong[int(rng.integers(len(wrong)))]
            faults[index + 1] = kind
        else:
            code = right[int(rng.integers(len(right)))]
        steps.append(code)
    return CleaningScript(tuple(steps), faults)


# --- the quiz ---------------------------------------------------------------------------------------

N_TRAINEES = 80
N_ITEMS = 15
OPTIONS = "ABCD"
#: The statement's group share and the rule for revising an item.
GROUP_SHARE = 0.27
TOO_EASY, TOO_HARD, LOW_DISCRIMINATION = 0.90, 0.20, 0.20
#: Share of wrong answers left blank.
BLANK_SHARE_OF_WRONG = 0.15
PLANTED_ITEMS = ("too_easy", "too_hard", "at_threshold", "low_discrimination", "miskeyed")
TOO_EASY_MISSES = 7  # the least able seven miss the too-easy item (difficulty 0.9125)
TOO_HARD_RIGHT = 10  # the ten most able answer the too-hard item (difficulty 0.125)
QUIZ_NAME = "quiz_responses.csv"
KEY_NAME = "answer_key.json"
BATCH_NAME = "intent_batch.csv"


@dataclass(frozen=True)
class Quiz:
    """Answers (``trainee_id``, ``Q01`` … as letters, blank as missing), the key and the planted items."""

    responses: pd.DataFrame
    key: dict[str, str]
    planted: dict[str, str]  # item -> one of PLANTED_ITEMS

    @property
    def items(self) -> list[str]:
        """The item columns, in order."""
        return list(self.key)


def group_size(n: int = N_TRAINEES) -> int:
    """Learners in each of the upper and lower groups: 27 % of ``n``, rounded to the nearest whole number."""
    return int(np.floor(GROUP_SHARE * n + 0.5))


def _untie(correct: np.ndarray, k: int, free: np.ndarray, rng: np.random.Generator) -> None:
    """Flip answers on the ``free`` items so no total score ties across the top-``k`` and bottom-``k``
    group boundaries: the tied learners inside a group move one point away from its edge (or, where one
    of them cannot, the tied learners outside it do), so nobody changes group."""
    for top in (True, False):
        total = correct.sum(axis=1)
        order = np.argsort(-total if top else total, kind="stable")
        edge = total[order[k - 1]]
        if total[order[k]] != edge:
            continue
        inside = [i for i in order[:k] if total[i] == edge]
        outside = [i for i in order[k:] if total[i] == edge]
        into = 0 if top else 1  # the answer an inside learner turns round (an outside one: the other)
        if not all((correct[i, free] == into).any() for i in inside):
            inside, into = outside, 1 - into
        for i in inside:
            pool = free[correct[i, free] == into]
            correct[i, rng.choice(pool)] = 1 - into


def _by_ability(ability: np.ndarray, n_correct: int, best: bool) -> np.ndarray:
    """A 0/1 column: the ``n_correct`` most able trainees right (``best``), or all but the least able."""
    column = np.zeros(len(ability), dtype=int) if best else np.ones(len(ability), dtype=int)
    ranked = np.argsort(-ability if best else ability)
    column[ranked[:n_correct if best else len(ability) - n_correct]] = 1 if best else 0
    return column


def _draw_unrelated(correct: np.ndarray, item: int, rng: np.random.Generator) -> None:
    """Redraw ``item`` as a coin flip unrelated to ability until its discrimination is near zero."""
    k = group_size(len(correct))
    while True:
        correct[:, item] = rng.random(len(correct)) < 0.5
        total = correct.sum(axis=1)  # the groups as _untie will see them (it keeps who is in each)
        upper, lower = np.argsort(-total, kind="stable")[:k], np.argsort(total, kind="stable")[:k]
        if abs(correct[upper, item].mean() - correct[lower, item].mean()) <= LOW_DISCRIMINATION / 2:
            return


def build_quiz(seed: int = DEFAULT_SEED) -> Quiz:
    """Generate the quiz answers for ``seed`` (deterministic)."""
    rng = np.random.default_rng([seed, 43])
    ability = rng.normal(0, 1, N_TRAINEES)
    a = rng.uniform(1.2, 2.4, N_ITEMS)
    b = rng.uniform(-0.9, 0.9, N_ITEMS)
    special = rng.choice(N_ITEMS, size=len(PLANTED_ITEMS), replace=False)
    where = dict(zip(PLANTED_ITEMS, special, strict=True))
    # the miskeyed item: scored against its key (a distractor), which the weaker trainees choose most
    a[where["miskeyed"]], b[where["miskeyed"]] = -2.5, 0.3
    chance = 1 / (1 + np.exp(-a[None, :] * (ability[:, None] - b[None, :])))
    correct = (rng.random((N_TRAINEES, N_ITEMS)) < chance).astype(int)  # 1: the keyed option chosen
    # difficulty set by ability rank, so each is flagged by its difficulty alone, not its discrimination
    correct[:, where["too_easy"]] = _by_ability(ability, N_TRAINEES - TOO_EASY_MISSES, best=False)
    correct[:, where["too_hard"]] = _by_ability(ability, TOO_HARD_RIGHT, best=True)
    correct[:, where["at_threshold"]] = _by_ability(ability, round(TOO_HARD * N_TRAINEES), best=True)
    _draw_unrelated(correct, where["low_discrimination"], rng)
    free = np.setdiff1d(np.arange(N_ITEMS), list(where.values()))
    _untie(correct, group_size(), free, rng)
    items = [f"Q{i + 1:02d}" for i in range(N_ITEMS)]
    key = {item: OPTIONS[int(rng.integers(4))] for item in items}
    miskeyed = items[where["miskeyed"]]
    true_answer = str(rng.choice([o for o in OPTIONS if o != key[miskeyed]]))
    answers = np.empty((N_TRAINEES, N_ITEMS), dtype=object)
    for j, item in enumerate(items):
        others = [o for o in OPTIONS if o != key[item]]
        # a trainee who misses the miskeyed item's key mostly gives the truly right answer
        weights = np.array([0.8 if o == true_answer else 0.1 for o in others]) if item == miskeyed \
            else np.full(3, 1 / 3)
        for i in range(N_TRAINEES):
            answers[i, j] = key[item] if correct[i, j] else str(rng.choice(others, p=weights / weights.sum()))
    # blanks: some wrong answers are left unanswered (still wrong)
    blank = (rng.random((N_TRAINEES, N_ITEMS)) < BLANK_SHARE_OF_WRONG) & ~correct.astype(bool)
    answers[blank] = None
    first = int(rng.integers(100, 900))
    responses = pd.DataFrame(answers, columns=items)
    responses.insert(0, "trainee_id", [f"T{first + i:04d}" for i in range(N_TRAINEES)])
    return Quiz(responses, key, {items[where[kind]]: kind for kind in PLANTED_ITEMS})


def scored(quiz: Quiz) -> pd.DataFrame:
    """1 where the trainee's answer matches the key, else 0 (a blank is wrong), indexed by trainee."""
    answers = quiz.responses.set_index("trainee_id")[quiz.items]
    return answers.eq(pd.Series(quiz.key)).astype(int)


def item_statistics(correct: pd.DataFrame) -> pd.DataFrame:
    """Each item's difficulty (proportion correct) and upper-lower 27 % discrimination."""
    total = correct.sum(axis=1).to_numpy()
    k = group_size(len(correct))
    order = np.argsort(-total, kind="stable")
    upper, lower = correct.iloc[order[:k]], correct.iloc[order[-k:]]
    return pd.DataFrame({"difficulty": correct.mean(), "discrimination": upper.mean() - lower.mean()})


def items_to_revise(stats: pd.DataFrame) -> set[str]:
    """The items the rule flags: difficulty above 0.90 or below 0.20, or discrimination below 0.20."""
    flag = ((stats["difficulty"] > TOO_EASY) | (stats["difficulty"] < TOO_HARD)
            | (stats["discrimination"] < LOW_DISCRIMINATION))
    return {str(item) for item in stats.index[flag.to_numpy()]}


# --- cached variants and files ----------------------------------------------------------------------

@lru_cache(maxsize=4)
def batch(seed: int = DEFAULT_SEED) -> LabellingBatch:
    """Cached :func:`build_batch`."""
    return build_batch(seed)


@lru_cache(maxsize=4)
def script(seed: int = DEFAULT_SEED) -> CleaningScript:
    """Cached :func:`build_script`."""
    return build_script(seed)


@lru_cache(maxsize=4)
def quiz(seed: int = DEFAULT_SEED) -> Quiz:
    """Cached :func:`build_quiz`."""
    return build_quiz(seed)


def batch_file(seed: int = DEFAULT_SEED) -> Path:
    """The labelling batch CSV for ``seed``: the bundled file, or a cached copy for other seeds."""
    if seed == DEFAULT_SEED:
        from trainerlab.paths import dataset_file

        return dataset_file("intent_batch", BATCH_NAME)
    return variant_csv("intent_batch", seed, lambda s: batch(s).batch)


def quiz_file(seed: int = DEFAULT_SEED) -> Path:
    """The quiz answers CSV for ``seed``: the bundled file, or a cached copy for other seeds."""
    if seed == DEFAULT_SEED:
        from trainerlab.paths import dataset_file

        return dataset_file("quiz_responses", QUIZ_NAME)
    return variant_csv("quiz_responses", seed, lambda s: quiz(s).responses)


def main() -> None:
    """Rewrite ``datasets/intent_batch/`` and ``datasets/quiz_responses/`` for the default seed."""
    from trainerlab.paths import datasets_root

    root = datasets_root()
    batch(DEFAULT_SEED).batch.to_csv(root / "intent_batch" / BATCH_NAME, index=False, encoding="utf-8")
    q = quiz(DEFAULT_SEED)
    q.responses.to_csv(root / "quiz_responses" / QUIZ_NAME, index=False, encoding="utf-8")
    (root / "quiz_responses" / KEY_NAME).write_text(json.dumps(q.key, indent=1) + "\n", encoding="utf-8")
    print(f"{root}: {BATCH_NAME}, {QUIZ_NAME}, {KEY_NAME} (seed {DEFAULT_SEED})")


if __name__ == "__main__":
    main()
