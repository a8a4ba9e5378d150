"""Every lab of the course, by nbgrader assignment name: the one place that maps grade ids to units.

A lab is a module ``graders.<name>`` that defines ``LAB`` (a :class:`graders.checking.Lab` whose
tasks carry each graded cell's skill unit and level); every such module is found here, so a new
lab (``trainerlab lab new``) needs no registration.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module

import graders
from graders.checking import Lab

LABS: dict[str, Lab] = {}
for _module in sorted(m.name for m in pkgutil.iter_modules(graders.__path__)):
    if _module != "labs":  # every other module is imported; those without a LAB are the engine's
        _lab = getattr(import_module(f"graders.{_module}"), "LAB", None)
        if isinstance(_lab, Lab):
            LABS[_lab.assignment] = _lab
