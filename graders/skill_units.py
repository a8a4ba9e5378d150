"""The skill units of the national AI-trainer standard (work functions from level 3 up).

This is the one place that names units; tasks refer to them by code (``"2.1"``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SkillUnit:
    """A work content of the standard: its code and bilingual names."""

    code: str
    function_zh: str
    function_en: str
    zh: str
    en: str


UNITS: dict[str, SkillUnit] = {
    u.code: u
    for u in (
        SkillUnit("1.1", "业务分析", "Business analysis", "业务流程设计", "Business process design"),
        SkillUnit("1.2", "业务分析", "Business analysis", "业务模块效果优化",
                  "Business module effect optimisation"),
        SkillUnit("2.1", "智能训练", "Intelligent training", "数据处理规范制定",
                  "Data-processing specification"),
        SkillUnit("2.2", "智能训练", "Intelligent training", "算法测试", "Algorithm testing"),
        SkillUnit("3.1", "智能系统设计", "Intelligent system design", "智能系统监控和优化",
                  "System monitoring and optimisation"),
        SkillUnit("3.2", "智能系统设计", "Intelligent system design", "人机交互流程设计",
                  "Human–AI interaction flow design"),
        SkillUnit("4.1", "培训与指导", "Training and guidance", "培训", "Training"),
        SkillUnit("4.2", "培训与指导", "Training and guidance", "指导", "Guidance"),
    )
}

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
