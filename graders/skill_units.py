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
