"""Bank task b21b (L3 · 2.1, 20 minutes, 15 points): merge three annotators' labels of a museum guide app.

Each question's final intent by the majority rule after unifying the labels' spellings, questions
without a majority sent to review, the result saved to ``output/labels_final.csv``, and a written
labelling specification.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from graders.answers import require_file, require_frame
from graders.bank import BankTask
from graders.bank.common import data
from graders.checking import Lab, Msg, Problem, RubricPoint, Task, WrittenTask, criterion
from trainerlab.datagen import bank_cases as bc

UNIT, LEVEL = "2.1", "L3"
FINAL_FILE = Path("output") / "labels_final.csv"


def _final(answer: Any) -> pd.Series:
    """The candidate's final label per question id (in one spelling), in the table's order."""
    df = require_frame(answer, columns=["question_id", "final_label"])
    want = data("museum_labels")["question_id"]
    ids = df["question_id"].astype(str)
    if ids.duplicated().any() or set(ids) != set(want):
        raise Problem("每个问题应有且只有一行", "one row per question, every question")
    return bc.normal_label(df["final_label"]).set_axis(ids).reindex(want).fillna("")


def _subset(kind: str) -> pd.Series:
    """The questions with a majority on the raw labels, only after unifying spellings, or with none."""
    labels = data("museum_labels")
    truth, raw = bc.final_labels(labels), bc.final_labels(labels, normalise=False)
    tie = truth == bc.REVIEW
    return {"raw": ~tie & (raw != bc.REVIEW), "spelling": ~tie & (raw == bc.REVIEW), "tie": tie}[kind]


def _right_on(kind: str) -> Any:
    def test(final: pd.Series) -> bool:
        rows = _subset(kind)
        truth = bc.final_labels(data("museum_labels"))
        wrong = int((final.to_numpy()[rows.to_numpy()] != truth[rows].to_numpy()).sum())
        if wrong:
            raise Problem(f"{wrong} 个问题的最终标签不对", f"{wrong} questions have the wrong final label")
        return True
    return test


def _file_matches(final: pd.Series) -> bool:
    saved = pd.read_csv(require_file(FINAL_FILE, suffix=".csv"), keep_default_na=False)
    if not {"question_id", "final_label"} <= set(saved.columns):
        raise Problem("文件应含 question_id 和 final_label 列", "the file needs question_id and final_label")
    got = bc.normal_label(saved["final_label"]).set_axis(saved["question_id"].astype(str)).fillna("")
    return sorted(got.index) == sorted(final.index) and bool((got.reindex(final.index) == final).all())


final = Task(
    grade_id="b21b_final",
    unit=UNIT,
    level=LEVEL,
    title=Msg("按多数规则合并三位标注员的标签并保存", "Merge the three annotators' labels by the majority rule and "
              "save them"),
    prepare=_final,
    criteria=[
        criterion("每个问题一行，含 final_label", "one row per question with final_label", 1, visible=True,
                  fail=("表的形状不对", "wrong table"))(lambda labels: True),
        criterion("至少两人一致的问题取该标签", "a question two annotators agree on gets their label", 3,
                  fail=("多数标签不对：两人一致即可，不必三人一致", "wrong majority labels: two agreeing annotators "
                        "are enough"))(_right_on("raw")),
        criterion("统一写法（去空格、小写）后才一致的也算一致", "labels that agree once spelled the same "
                  "(stripped, lower case) count as agreeing", 2,
                  fail=("先统一标签写法再投票：Exhibit、exhibit 是同一个标签", "unify the spellings before the vote: "
                        "Exhibit and exhibit are one label"))(_right_on("spelling")),
        criterion("没有两人一致的问题标为 review（空白不算一票）", "a question without two agreeing annotators is "
                  "review (a blank is no vote)", 2, fail=("没有多数的问题应送审 review，不能随便取一个", "questions "
                                                         "without a majority go to review, not to any one label"))(
            _right_on("tie")),
        criterion("结果保存为 output/labels_final.csv", "the result is saved as output/labels_final.csv", 1,
                  fail=("文件缺失或与结果不一致", "the file is missing or differs from the result"))(_file_matches),
    ],
    hints=[Msg("对 ann_1…ann_3 做 str.strip().str.lower()；每行 value_counts()，最多的次数 ≥ 2 取它，否则 'review'。",
               "str.strip().str.lower() on ann_1…ann_3; per row value_counts(): the top label if it has 2 or more "
               "votes, else 'review'.")],
)

spec = WrittenTask(
    grade_id="b21b_spec",
    unit=UNIT,
    level=LEVEL,
    title=Msg("意图标注规范与多人标注的合并流程", "The intent-labelling spec and how several annotators' labels "
              "are merged"),
    rubric=[
        RubricPoint(Msg("每个意图的定义、正例和易混淆的例子", "each intent's definition, examples and confusable "
                        "cases"), 2),
        RubricPoint(Msg("标签写法、空白和多数规则，review 的处理人和时限", "label spelling, blanks, the majority "
                        "rule, who settles review and by when"), 2),
        RubricPoint(Msg("质量检查：一致率、抽检、对标注员的反馈", "quality checks: agreement rate, spot checks, "
                        "feedback to annotators"), 2),
    ],
)

LAB = Lab(
    assignment="b21b",
    notebook="b21b_museum_labels.ipynb",
    level=LEVEL,
    tasks=[final, spec],
    summary=Msg("博物馆导览问答：统一标签写法、多数投票、送审、标注规范", "museum guide questions: one label "
                "spelling, a majority vote, review, a labelling spec"),
)
TASK = BankTask(LAB, UNIT, 20, Msg("博物馆导览 App 游客问题的多人意图标注", "three annotators' intent labels of a "
                                    "museum guide app's visitor questions"))
