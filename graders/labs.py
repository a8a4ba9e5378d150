"""Every lab of the course, by nbgrader assignment name: the one place that maps grade ids to units."""

from __future__ import annotations

from graders import data_cleaning
from graders.checking import Lab

LABS: dict[str, Lab] = {lab.assignment: lab for lab in (data_cleaning.LAB,)}
