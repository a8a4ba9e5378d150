"""Drawing papers: always the blueprint (units, minutes, points), seeded per candidate and attempt."""

from __future__ import annotations

from collections import Counter

import pytest

from graders.bank import BankTask
from graders.bank.registry import BANK, paper_lab, paper_name
from graders.checking import Lab, Msg
from graders.skill_units import L3_EXAM
from trainerlab.exam.draw import attempt_seed, draw

SEEDS = range(400)


def test_every_draw_matches_the_blueprint() -> None:
    for seed in SEEDS:
        paper = [BANK[t] for t in draw(seed, BANK)]
        assert len(paper) == len(L3_EXAM)
        for task, exam in zip(paper, L3_EXAM, strict=True):
            assert task.unit in exam.units and task.minutes == exam.minutes and task.points == exam.points
        assert sum(t.minutes for t in paper) == 120
        lab = paper_lab(paper_name([t.task_id for t in paper]))
        assert lab.points == 100 and {t.unit for t in lab.tasks} == {t.unit for t in paper}


def test_draws_use_both_units_of_a_choice() -> None:
    first = Counter(BANK[draw(seed, BANK)[0]].unit for seed in SEEDS)
    last = Counter(BANK[draw(seed, BANK)[-1]].unit for seed in SEEDS)
    assert set(first) == {"1.1", "1.2"} and min(first.values()) > 100
    assert set(last) == {"4.1", "4.2"} and min(last.values()) > 100


def test_the_same_candidate_and_attempt_give_the_same_paper() -> None:
    assert attempt_seed("alice", 1) == attempt_seed(" alice ", 1)
    assert draw(attempt_seed("alice", 1), BANK) == draw(attempt_seed("alice", 1), BANK)
    seeds = {attempt_seed(c, a) for c in ("alice", "bob", "chen") for a in range(1, 20)}
    assert len(seeds) == 57, "every candidate and attempt has its own seed (and data variant)"


def test_a_unit_the_bank_lacks_is_named() -> None:
    only = {"b11a": BANK["b11a"]}
    with pytest.raises(LookupError, match="2.1"):
        draw(1, only)


def test_draw_picks_among_a_units_tasks() -> None:
    twin = BankTask(Lab("b21z", "b21z.ipynb", "L3", BANK["b21a"].lab.tasks, Msg("孪生", "twin")), "2.1", 20,
                    Msg("孪生", "twin"))
    bank = {**BANK, "b21z": twin}
    picked = Counter(draw(seed, bank)[1] for seed in SEEDS)
    assert set(picked) == {t for t, task in bank.items() if task.unit == "2.1"} >= {"b21a", "b21z"}
