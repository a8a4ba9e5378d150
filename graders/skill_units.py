"""The skill units of the national AI-trainer standard (work functions from level 3 up).

This is the one place that names units; tasks refer to them by level and code (``"L3"``, ``"2.1"``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SkillUnit:
    """A work content of the standard at one level: its code and bilingual names.

    The same code names a different work content at each level (2.1 is the data-processing
    specification at L3, the training set and golden test set at L2), so a unit is always
    looked up by (level, code): :func:`skill_unit`.
    """

    level: str
    code: str
    function_zh: str
    function_en: str
    zh: str
    en: str


#: The four work functions, by the first digit of a unit's code (the same at every level).
FUNCTIONS: dict[str, tuple[str, str]] = {
    "1": ("业务分析", "Business analysis"),
    "2": ("智能训练", "Intelligent training"),
    "3": ("智能系统设计", "Intelligent system design"),
    "4": ("培训与指导", "Training and guidance"),
}

# (level, code, zh, en). L3: the official L3 assessment guide. L2/L1: the best public reading of the
# standard's skill requirements (../shared/CURRICULUM.md), not yet checked against its PDF; a
# corrected reading is a change of one line here.
_NAMES = (
    ("L3", "1.1", "业务流程设计", "Business process design"),
    ("L3", "1.2", "业务模块效果优化", "Business module effect optimisation"),
    ("L3", "2.1", "数据处理规范制定", "Data-processing specification"),
    ("L3", "2.2", "算法测试", "Algorithm testing"),
    ("L3", "3.1", "智能系统监控和优化", "System monitoring and optimisation"),
    ("L3", "3.2", "人机交互流程设计", "Human–AI interaction flow design"),
    ("L3", "4.1", "培训", "Training"),
    ("L3", "4.2", "指导", "Guidance"),
    ("L2", "1.1", "智能化业务框架与流程设计", "AI-enabled business framework and process"),
    ("L2", "1.2", "智能系统价值挖掘与新场景方案", "Hidden value of AI systems and solutions for new scenarios"),
    ("L2", "2.1", "高质量训练集与黄金测试集", "High-quality training set and golden test set"),
    ("L2", "2.2", "训练工具优化与训练调优", "Training-tool requirements and training tuning"),
    ("L2", "3.1", "单领域多产品智能解决方案", "Multi-product AI solution in one business domain"),
    ("L2", "3.2", "产品需求与实施方案", "Product requirements and implementation plan"),
    ("L2", "4.1", "培训方案与培训", "Training plans and training L3 and below"),
    ("L2", "4.2", "指导方案与培训效果评估", "Guidance plans and training-effect evaluation"),
    ("L1", "1.1", "跨业务分析框架与业务指标", "Cross-business analysis framework and KPIs"),
    ("L1", "1.2", "前瞻规划与智能化流程再造", "Forward-looking plans and AI process redesign"),
    ("L1", "2.1", "训练产品能力矩阵与数据集标准", "Capability matrix and training/test-set standards"),
    ("L1", "2.2", "复杂智能系统的测试与训练", "Testing and training a complex intelligent system"),
    ("L1", "3.1", "复杂与跨领域多产品解决方案", "Multi-product solutions for complex, cross-domain business"),
    ("L1", "3.2", "方法算法化与项目群运营", "Methods into algorithms and programme operations"),
    ("L1", "4.1", "培训体系规划", "Training-system planning"),
    ("L1", "4.2", "指导策略与辅导二级", "Guidance strategy and coaching L2"),
)

UNITS: dict[tuple[str, str], SkillUnit] = {
    (level, code): SkillUnit(level, code, *FUNCTIONS[code[0]], zh, en) for level, code, zh, en in _NAMES
}

#: The unit codes of every level, in order.
CODES: tuple[str, ...] = tuple(dict.fromkeys(code for _, code, _, _ in _NAMES))


def skill_unit(level: str, code: str) -> SkillUnit:
    """The work content ``code`` names at ``level``; ``KeyError`` for a pair the standard has not."""
    return UNITS[(level, code)]


LEVELS: dict[str, str] = {"L3": "三级 / Level 3", "L2": "二级 / Level 2", "L1": "一级 / Level 1"}


@dataclass(frozen=True)
class ExamTask:
    """One task of a level's practical exam: the units it is drawn from, its minutes and points."""

    units: tuple[str, ...]
    minutes: int
    points: int


# The L3 practical exam (official L3 assessment guide): six tasks, 120 minutes, 100 points; each task
# is drawn from the bank of the unit(s) named (one of 1.1/1.2, one of 4.1/4.2).
L3_EXAM: tuple[ExamTask, ...] = (
    ExamTask(("1.1", "1.2"), 30, 25),
    ExamTask(("2.1",), 20, 15),
    ExamTask(("2.2",), 20, 20),
    ExamTask(("3.1",), 20, 15),
    ExamTask(("3.2",), 20, 20),
    ExamTask(("4.1", "4.2"), 10, 5),
)
L3_PASS_MARK = 60
