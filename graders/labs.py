"""Every lab of the course, by nbgrader assignment name: the one place that maps grade ids to units.

Each module named in ``_LAB_MODULES`` is ``graders.<name>`` and defines ``LAB``
(a :class:`graders.checking.Lab` whose tasks carry each graded cell's skill unit and level).
"""

from __future__ import annotations

from importlib import import_module

from graders.checking import Lab

_LAB_MODULES = ("data_cleaning", "evaluation", "deployment", "model_tuning")

LABS: dict[str, Lab] = {}
for _name in _LAB_MODULES:
    _lab = import_module(f"graders.{_name}").LAB
    LABS[_lab.assignment] = _lab
