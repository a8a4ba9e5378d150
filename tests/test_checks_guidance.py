"""The guidance checks accept every correct answer and reject the mistakes the statements rule out.

Reference answers are computed from a variant's truth (:mod:`trainerlab.datagen.guidance_cases`), so
the same tests hold for any seed; the generator's planted cases are checked over many seeds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from notebook_runs import ROOT, lab_source

from graders import guidance as q
from graders.checking import CheckFailed, Task
from trainerlab.datagen import guidance_cases as gc
from trainerlab.grading.progress import practice_progress, render_progress
from trainerlab.paths import dataset_file

SEEDS = range(40)


def stats_of(seed: int = gc.DEFAULT_SEED) -> pd.DataFrame:
    return gc.item_statistics(gc.scored(gc.quiz(seed)))


def point_biserial(seed: int = gc.DEFAULT_SEED) -> pd.DataFrame:
    correct = gc.scored(gc.quiz(seed))
    return pd.DataFrame({"difficulty": correct.mean(),
                         "discrimination": correct.corrwith(correct.sum(axis=1))})


# --- the generator ---------------------------------------------------------------------------------

def test_committed_files_are_the_generators_output() -> None:
    batch = pd.read_csv(dataset_file("intent_batch", gc.BATCH_NAME), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(batch, gc.build_batch().batch)
    quiz = gc.build_quiz()
    responses = pd.read_csv(dataset_file("quiz_responses", gc.QUIZ_NAME))
    pd.testing.assert_frame_equal(responses.fillna(np.nan), quiz.responses.fillna(np.nan), check_dtype=False)
    assert json.loads(dataset_file("quiz_responses", gc.KEY_NAME).read_text(encoding="utf-8")) == quiz.key


@pytest.mark.parametrize("seed", SEEDS)
def test_planted_items_behave_as_the_card_says(seed: int) -> None:
    quiz = gc.build_quiz(seed)
    stats = stats_of(seed)
    revise = gc.items_to_revise(stats)
    kind = {v: k for k, v in quiz.planted.items()}
    assert stats.loc[kind["too_easy"], "difficulty"] > gc.TOO_EASY
    assert stats.loc[kind["too_easy"], "discrimination"] >= gc.LOW_DISCRIMINATION  # by difficulty only
    assert stats.loc[kind["too_hard"], "difficulty"] < gc.TOO_HARD
    assert stats.loc[kind["too_hard"], "discrimination"] >= gc.LOW_DISCRIMINATION
    assert stats.loc[kind["at_threshold"], "difficulty"] == gc.TOO_HARD and kind["at_threshold"] not in revise
    assert abs(stats.loc[kind["low_discrimination"], "discrimination"]) <= gc.LOW_DISCRIMINATION / 2
    assert stats.loc[kind["miskeyed"], "discrimination"] <= -gc.LOW_DISCRIMINATION  # abs() would miss it
    assert {kind[k] for k in ("too_easy", "too_hard", "low_discrimination", "miskeyed")} <= revise
    # the groups are unambiguous: no total score ties across either 27 % boundary
    total = np.sort(gc.scored(quiz).sum(axis=1).to_numpy())[::-1]
    k = gc.group_size()
    assert total[k - 1] > total[k] and total[-k - 1] > total[-k]


@pytest.mark.parametrize("seed", SEEDS)
def test_batch_and_script_plant_their_faults(seed: int) -> None:
    batch = gc.build_batch(seed)
    labels = batch.batch.set_index("record_id")["label"]
    planted = sorted(k for k, n in gc.PLANTED_LABEL_ERRORS.items() for _ in range(n))
    assert sorted(batch.errors.values()) == planted
    for rid, kind in batch.errors.items():
        assert (labels[rid] == "") == (kind == "missing_label")
        assert (labels[rid] not in gc.LABELS) == (kind in {"missing_label", "invalid_label"})
        assert labels[rid] != batch.right_labels[rid]
    assert len(batch.decoys) == gc.N_DOUBLE_RIGHT
    assert all(labels[rid] == batch.right_labels[rid] for rid in batch.decoys)
    script = gc.build_script(seed)
    assert len(script.faults) == gc.N_FAULTY_STEPS and set(script.faults.values()) <= set(gc.STEP_ERRORS)
    for number, code in enumerate(script.steps, start=1):
        right = gc._STEP_CODE[number - 1][0]
        assert (code not in right) == (number in script.faults)
        assert f"# 步骤 {number} / Step {number}" in script.listing()


def test_variants_differ_by_seed() -> None:
    assert not gc.build_quiz(1).responses.equals(gc.build_quiz(2).responses)
    assert gc.build_batch(1).errors != gc.build_batch(2).errors
    assert gc.build_batch(3).batch.equals(gc.build_batch(3).batch)


# --- the checks --------------------------------------------------------------------------------------

def test_reference_answers_score_full_on_another_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    seed = 7
    monkeypatch.setenv("TRAINERLAB_SEED", str(seed))
    stats = stats_of(seed)
    assert q.junior_steps.grade(gc.script(seed).faults) == q.junior_steps.points
    assert q.item_stats.grade(stats) == q.item_stats.points
    assert q.items_to_revise.grade((sorted(gc.items_to_revise(stats)), stats)) == q.items_to_revise.points
    assert q.label_errors.grade(gc.batch(seed).errors) == q.label_errors.points
    # the default seed's answers are not this seed's
    assert q.label_errors.grade(gc.batch(gc.DEFAULT_SEED).errors) < q.label_errors.points
    assert q.item_stats.grade(stats_of(gc.DEFAULT_SEED)) < q.item_stats.points


def test_discrimination_must_be_upper_lower_not_point_biserial() -> None:
    assert q.item_stats.grade(point_biserial()) == q.item_stats.points - 1.5


def test_statistics_to_two_decimals_are_enough_one_more_off_is_not() -> None:
    stats = stats_of()
    assert q.item_stats.grade(stats.round(2)) == q.item_stats.points
    off = stats.copy()
    off.iloc[0, 1] += 0.011
    assert q.item_stats.grade(off) == q.item_stats.points - 1.5


def test_items_to_revise_is_judged_on_the_learners_own_statistics() -> None:
    wrong = point_biserial()
    chosen = sorted(gc.items_to_revise(wrong))
    assert q.items_to_revise.grade((chosen, wrong)) == q.items_to_revise.points
    at_threshold = next(i for i, k in gc.quiz(gc.DEFAULT_SEED).planted.items() if k == "at_threshold")
    assert q.items_to_revise.grade(([*chosen, at_threshold], wrong)) == q.items_to_revise.points - 0.5


def test_a_broken_upstream_table_names_task_3(capsys: pytest.CaptureFixture[str]) -> None:
    assert q.items_to_revise.grade((["Q01"], stats_of().iloc[:5])) == 0
    assert "任务 3" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [{" step 3 ": "WRONG_DUPLICATE_KEY"},
                                    pd.Series({3.0: "wrong_duplicate_key"}), [("3", "wrong_duplicate_key")],
                                    pd.DataFrame({"s": [3], "t": ["wrong_duplicate_key"]})])
def test_steps_accept_any_container_and_spelling(answer: object) -> None:
    named = q.junior_steps.prepare(answer)
    assert named == {3: "wrong_duplicate_key"}


def test_a_typo_in_one_type_costs_the_form_and_type_points_only() -> None:
    faults = dict(gc.script(gc.DEFAULT_SEED).faults)
    first = next(iter(faults))
    faults[first] = faults[first] + "s"
    assert q.junior_steps.grade(faults) == q.junior_steps.points - 1.5


@pytest.mark.parametrize("task", [q.junior_steps, q.item_stats, q.items_to_revise, q.label_errors],
                         ids=lambda t: t.grade_id)
@pytest.mark.parametrize("bad", [None, "text", 3, {}, pd.DataFrame({"a": [1]}), [1, 2, 3]], ids=repr)
def test_missing_or_malformed_answers_fail_clearly(task: Task, bad: object,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    answer = (bad, stats_of()) if task is q.items_to_revise else bad
    assert task.grade(answer) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and ("✗" in captured.out or "Not attempted" in captured.out)


def test_self_check_never_says_passed_when_points_are_lost(capsys: pytest.CaptureFixture[str]) -> None:
    errors = dict(gc.batch(gc.DEFAULT_SEED).errors)
    errors.popitem()
    with pytest.raises(CheckFailed):
        q.label_errors.check(errors)
    assert "Self-check passed" not in capsys.readouterr().out
    q.label_errors.check(gc.batch(gc.DEFAULT_SEED).errors)
    assert "Self-check passed" in capsys.readouterr().out


def test_first_said_labelling_loses_the_priority_and_precision_points() -> None:
    batch = gc.batch(gc.DEFAULT_SEED)
    named = {rid: k for rid, k in batch.errors.items() if k != "priority_ignored"}
    named |= {rid: "wrong_intent" for rid in batch.decoys}
    assert q.label_errors.grade(named) == q.label_errors.points - 1.5


def test_the_notebook_shows_the_guideline_and_the_script(capsys: pytest.CaptureFixture[str]) -> None:
    q.show_guideline()
    q.show_cleaning_spec()
    out = capsys.readouterr().out
    assert all(kind in out for kind in gc.LABEL_ERRORS) and all(kind in out for kind in gc.STEP_ERRORS)
    assert q.junior_script().count("# 步骤") == len(gc.CLEANING_SPEC)
    assert set(q.answer_key()) == set(pd.read_csv(q.quiz_path()).columns[1:])
    assert len(pd.read_csv(q.batch_path())) == len(gc.batch(gc.DEFAULT_SEED).batch)


def test_progress_shows_units_4_1_and_4_2_once_the_lab_is_practised(tmp_path: Path) -> None:
    solved = tmp_path / "guidance" / q.LAB.notebook
    solved.parent.mkdir()
    shutil.copy(lab_source("guidance"), solved)
    progress = practice_progress(tmp_path, course_root=ROOT)
    auto = {u: sum(t.points for t in q.LAB.tasks if isinstance(t, Task) and t.unit == u)
            for u in ("4.1", "4.2")}
    for unit, points in auto.items():
        assert progress.units[("L3", unit)].earned == pytest.approx(points)
        assert progress.units[("L3", unit)].pending > 0  # the written answers wait for a human
    assert "4.1" in render_progress(progress) and "4.2" in render_progress(progress)
