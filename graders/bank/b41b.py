"""Bank task b41b (L3 · 4.1, 10 minutes, 5 points): did a labelling course work?

Each module's mean gain over the trainees who sat both tests, saved to ``output/module_gain.csv``, and a
written adjustment of the course.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graders.bank import BankTask
from graders.bank.common import close, data, numbers_by_key, numbers_in_file, same_keys
from graders.checking import Lab, Msg, RubricPoint, Task, WrittenTask, criterion

UNIT, LEVEL = "4.1", "L3"
GAIN_TOLERANCE = 0.05 + 1e-9
GAIN_FILE = Path("output") / "module_gain.csv"
GAIN_WHAT = ("平均提高分", "mean gain")


def _truth() -> dict[str, float]:
    scores = data("course_scores").dropna(subset=["pre", "post"])
    return (scores["post"] - scores["pre"]).groupby(scores["module"]).mean().to_dict()


def _gain(answer: Any) -> dict[str, float]:
    return numbers_by_key(answer, GAIN_WHAT)


def _file_matches(got: dict[str, float]) -> bool:
    saved = numbers_in_file(GAIN_FILE, ("module", "mean_gain"), GAIN_WHAT)
    return same_keys(saved, got) and close(saved, got, GAIN_TOLERANCE)


gain = Task(
    grade_id="b41b_gain",
    unit=UNIT,
    level=LEVEL,
    title=Msg("每个模块的平均提高分并保存", "Each module's mean gain, saved"),
    prepare=_gain,
    criteria=[
        criterion("每个模块一项", "one entry per module", 0.5, visible=True,
                  fail=("模块不对", "wrong modules"))(lambda got: same_keys(got, _truth())),
        criterion("平均提高分正确（只算前后测都参加的学员，一位小数）", "each mean gain is right (trainees who sat "
                  "both tests only, to one decimal)", 1.5,
                  fail=("提高分不对：先对每名学员算 post − pre，去掉缺考后测的学员，再按模块求平均", "wrong gains: "
                        "post − pre per trainee, without those who missed the post-test, then the mean per "
                        "module"))(lambda got: close(got, _truth(), GAIN_TOLERANCE)),
        criterion("保存为 output/module_gain.csv（module、mean_gain 两列）", "saved as output/module_gain.csv "
                  "(columns module, mean_gain)", 1,
                  fail=("文件缺失或与 gain 不一致", "the file is missing or differs from gain"))(_file_matches),
    ],
    hints=[Msg("both = scores.dropna(subset=['post'])；(both['post'] - both['pre']).groupby(both['module']).mean()",
               "both = scores.dropna(subset=['post']); (both['post'] - both['pre']).groupby(both['module']).mean()")],
)

adjust = WrittenTask(
    grade_id="b41b_adjust",
    unit=UNIT,
    level=LEVEL,
    title=Msg("根据提高分调整课程", "Adjust the course from the gains"),
    rubric=[
        RubricPoint(Msg("指出提高最少的模块并给出改进教学的办法", "names the module of the smallest gain and how to "
                        "teach it better"), 1),
        RubricPoint(Msg("说明缺考学员如何补测、如何检验调整效果", "how the absent trainees are tested and the change "
                        "checked"), 1),
    ],
)

LAB = Lab(
    assignment="b41b",
    notebook="b41b_course_gains.ipynb",
    level=LEVEL,
    tasks=[gain, adjust],
    summary=Msg("标注培训的前后测：各模块提高分、调整课程", "a labelling course's pre/post-test: the gain per "
                "module, adjusting the course"),
)
TASK = BankTask(LAB, UNIT, 10, Msg("四级标注员培训的前测与后测", "the pre- and post-test of an L4 labelling course"))
