"""The checking engine: an honest self-check, silent under autograding, one clear line when not attempted."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from graders.answers import require_answer, unpack
from graders.checking import CheckFailed, Msg, Problem, Task, criterion, fix_first
from graders.frames import is_in


def _task() -> Task:
    return Task(
        grade_id="demo", unit="2.1", level="L3", title=Msg("示例", "Demo"), prepare=require_answer,
        criteria=[
            criterion("是正数", "is positive", 1, visible=True, fail=("不是正数", "not positive"))(
                lambda x: x > 0),
            criterion("是偶数", "is even", 2, fail=("不是偶数", "not even"))(lambda x: x % 2 == 0),
        ],
    )


@pytest.mark.parametrize("answer", [4, 3, -2, -3, None])
def test_practice_self_check_passes_exactly_when_grading_gives_full_points(
    answer: int | None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TRAINERLAB_MODE", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    task = _task()
    full = task.grade(answer) == task.points
    try:
        task.check(answer)
        passed = True
    except CheckFailed:
        passed = False
    assert passed == full
    shown = capsys.readouterr().out
    if answer is not None:  # every marking point is listed, met or missed
        assert "is positive" in shown and "is even" in shown


def test_class_mode_says_how_many_points_it_checked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRAINERLAB_MODE", "class")
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    _task().check(3)  # the hidden "even" point is kept back for grading
    out = capsys.readouterr().out
    assert "1 of 3 points" in out and "2 are checked when graded" in out
    assert "is even" not in out


def test_autograding_leaves_scoring_to_the_hidden_grade_call(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    task = _task()
    task.check(-3)  # no error: an error would zero the cell instead of the missed points
    assert capsys.readouterr().out == ""
    assert task.grade(3) == 1


def test_not_attempted_is_one_bilingual_line_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    with pytest.raises(CheckFailed) as failure:
        _task().check(None)
    rendered = failure.value._render_traceback_()
    assert len(rendered) == 1 and "尚未作答" in rendered[0] and "Not attempted" in rendered[0]
    assert "[L3 · 2.1]" in rendered[0]


def test_fix_first_names_the_earlier_task() -> None:
    problem = fix_first("任务 3", "Task 3")
    assert isinstance(problem, Problem) and "任务 3" in problem.msg.zh
    assert "fix Task 3 first" in problem.msg.en


def test_unpack_one_behaviour_for_every_odd_form() -> None:
    from graders.checking import NotAttempted

    assert unpack((1, 2), ["a", "b"]) == (1, 2)
    assert unpack([1, 2], ["a", "b"]) == (1, 2)
    for missing in (None, ..., (None, 2)):
        with pytest.raises(NotAttempted):
            unpack(missing, ["a", "b"])
    for odd in ((1, 2, 3), (1,), 5, "ab"):
        with pytest.raises(Problem, match="2 parts"):
            unpack(odd, ["a", "b"])
    with pytest.raises(Problem, match=r"\['b'\]"):
        unpack((1, None), ["a", "b"])


def test_library_warnings_never_reach_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    import warnings

    def noisy(answer: object) -> object:
        warnings.warn("a pandas-style warning", FutureWarning, stacklevel=1)
        return answer

    task = Task(grade_id="w", unit="2.1", level="L3", title=Msg("示例", "Demo"), prepare=noisy,
                criteria=[criterion("是正数", "is positive", 1, fail=("不是正数", "not positive"))(
                    lambda x: noisy(x) > 0)])
    with warnings.catch_warnings():
        warnings.simplefilter("always")  # as a fresh kernel shows every warning once
        assert task.grade(2) == 1
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("values, among", [
    (pd.Series(["A1", "A2", None, "A2"]), pd.Index(["A2", "A3", "A3"])),  # text, a gap, repeats
    (pd.Series(["A1", "A2", None], dtype=object), frozenset({"A1", None})),  # object dtype, a set
    (pd.Index([3, 1, 2]), pd.RangeIndex(2)),  # numbers
    (pd.Series([1.0, np.nan]), [np.nan]),  # a missing number among the members
    (pd.Series(["1", "2"]), pd.Index([1, 2])),  # text is not a number
    (pd.Series([], dtype=str), pd.Index(["A"])),
])
def test_is_in_answers_as_pandas_isin(values: Any, among: Any) -> None:
    expected = pd.Series(values).isin(list(among) if isinstance(among, frozenset) else among).to_numpy()
    assert is_in(values, among).tolist() == expected.tolist()
