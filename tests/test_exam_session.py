"""``trainerlab exam`` end to end with a clock the test controls: prepare, time, grade, record, late work.

Two real gradings of a paper (a solved one handed in by the supervisor at the deadline, a blank one
handed in late); everything else reads their records or uses fakes for JupyterLab and the clock.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import nbformat
import pytest
from notebook_runs import ROOT

from graders.bank.registry import paper_lab
from graders.checking import Task
from trainerlab.cli import main
from trainerlab.exam import session
from trainerlab.exam.paper import LATE_POLICY, compose
from trainerlab.exam.timer import countdown, countdown_html, left_text
from trainerlab.grading.progress import practice_progress, render_progress

START = 1_800_000_000.0


class FakeClock:
    """A clock that moves only when the code under test sleeps (or the test says so)."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@dataclass
class FakeServer:
    """JupyterLab as the supervisor sees it: running until terminated (or ``exit_at`` polls)."""

    exit_at: int | None = None
    polls: int = 0
    terminated: bool = False

    def poll(self) -> int | None:
        self.polls += 1
        return 0 if self.exit_at is not None and self.polls >= self.exit_at else None

    def terminate(self) -> None:
        self.terminated = True


@dataclass
class Sat:
    practice: Path
    solved: session.Attempt
    late: session.Attempt
    clock: FakeClock
    server: FakeServer


@pytest.fixture(scope="module")
def sat(tmp_path_factory: pytest.TempPathFactory) -> Sat:
    practice = tmp_path_factory.mktemp("practice")
    clock = FakeClock(START)
    folder, attempt = session.start(practice, "alice", root=ROOT, clock=clock)
    # attempt 2: the same paper, left blank (a copy of the prepared folder: one nbgrader run, not two)
    late_folder = session.attempt_folder(practice, 2)
    shutil.copytree(folder, late_folder)
    session.write_attempt(late_folder, replace(attempt, number=2, started_at=clock() + 60,
                                               deadline=attempt.deadline + 60))
    nbformat.write(compose(attempt.tasks, ROOT), folder / f"{attempt.paper}.ipynb")  # every answer right
    server = FakeServer()
    solved = session.supervise(folder, server, root=ROOT, clock=clock, sleep=clock.sleep, poll=600)
    late = session.submit(late_folder, root=ROOT, clock=lambda: attempt.deadline + 60 + 90)
    return Sat(practice, solved, late, clock, server)


def test_the_paper_is_prepared_in_its_own_folder(sat: Sat) -> None:
    folder = session.attempt_folder(sat.practice, 1)
    text = (folder / f"{sat.solved.paper}.ipynb").read_text(encoding="utf-8")
    record = json.loads((folder / "exam.json").read_text(encoding="utf-8"))
    assert record["seed"] == session.attempt_seed("alice", 1) and record["paper"] == sat.solved.paper
    assert record["deadline"] - record["started_at"] == 120 * 60
    assert (folder / "output").is_dir()
    late_notebook = session.attempt_folder(sat.practice, 2) / f"{sat.late.paper}.ipynb"
    late_text = late_notebook.read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", ".grade("):
        assert marker not in late_text, "the candidate gets nbgrader's student version"
    assert "countdown()" in text and "Late work" in late_text


def test_a_solved_paper_handed_in_at_the_deadline_earns_the_whole_auto_part(sat: Sat) -> None:
    attempt = sat.solved
    assert sat.server.terminated and sum(sat.clock.slept) == pytest.approx(120 * 60)
    assert attempt.submitted_at == attempt.deadline and not attempt.late
    auto = [i for i in attempt.items if i.earned is not None]
    assert auto and all(i.earned == i.points for i in auto)
    lab = paper_lab(attempt.paper)
    assert attempt.auto_points == sum(t.points for t in lab.tasks if isinstance(t, Task))
    assert attempt.auto_points + attempt.written_points == 100
    assert attempt.verdict == session.PASS
    assert Path(attempt.feedback).is_file()


def test_the_result_shows_units_items_and_the_written_rubric(sat: Sat) -> None:
    text = session.render(sat.solved)
    assert "PASS" in text and "Per skill unit" in text and "Per item" in text
    for unit in {i.unit for i in sat.solved.items}:
        assert f"L3 · {unit} " in text
    written = [i for i in sat.solved.items if i.earned is None]
    assert written and all(i.grade_id in text for i in written) and "- M1 (" in text


def test_a_blank_paper_handed_in_late_is_graded_zero_and_recorded_late(sat: Sat) -> None:
    attempt = sat.late
    assert attempt.late and attempt.submitted_at == attempt.deadline + 90
    assert attempt.auto_points == 0 and attempt.verdict == session.FAIL
    assert "late by 90 s" in session.render(attempt)
    # written items left blank earn 0 (as nbgrader gives them): nothing is left to self-assess
    assert attempt.written_points == 0 and all(i.earned == 0 for i in attempt.items)


def test_a_late_paper_never_passes_and_the_written_items_can_decide() -> None:
    items = [session.ItemResult("x_a", "2.1", "a", 62, 62), session.ItemResult("x_b", "2.1", "b", 38, None)]
    on_time = session.Attempt("c", 1, 1, ["b21a"], 0, 100, 50, False, None, items)
    assert session.verdict(on_time) == session.PASS
    late = session.Attempt("c", 1, 1, ["b21a"], 0, 100, 150, True, None, items)
    assert session.verdict(late) == session.FAIL
    items[0] = session.ItemResult("x_a", "2.1", "a", 62, 30)
    assert session.verdict(on_time) == session.OPEN  # 30 + 38 written could still reach 60
    items[0] = session.ItemResult("x_a", "2.1", "a", 62, 20)
    assert session.verdict(on_time) == session.FAIL
    assert "cannot pass" in LATE_POLICY


def test_a_submit_from_the_terminal_ends_the_supervision_at_once(sat: Sat) -> None:
    server, clock = FakeServer(), FakeClock(sat.solved.deadline + 3600)
    again = session.supervise(session.attempt_folder(sat.practice, 1), server, root=ROOT, clock=clock,
                              sleep=clock.sleep)
    assert server.terminated and clock.slept == [] and again.submitted_at == sat.solved.submitted_at


def test_closing_jupyterlab_early_hands_the_paper_in(sat: Sat, monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    folder = tmp_path / "exam" / "1"
    folder.mkdir(parents=True)
    session.write_attempt(folder, session.Attempt("bob", 1, 5, sat.solved.tasks, START, START + 7200))
    handed: list[float | None] = []
    monkeypatch.setattr(session, "submit", lambda f, *, root, clock, at=None: handed.append(at) or "graded")
    clock = FakeClock(START)
    assert session.supervise(folder, FakeServer(exit_at=3), root=ROOT, clock=clock, sleep=clock.sleep,
                             poll=5) == "graded"
    assert handed == [None] and clock.now == START + 10  # handed in now, not at the deadline


def test_time_left_and_the_countdown_follow_the_clock(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert left_text(1000, lambda: 1000 - 125) == "剩余 / left 02:05"
    assert left_text(10_000, lambda: 10_000 - 3600) == "剩余 / left 1:00:00"
    assert left_text(1000, lambda: 1001) == "时间到 / time is up"
    html = countdown_html(1000, lambda: 1000 - 125)
    assert 'data-deadline="1000000"' in html and "02:05" in html and "position:fixed" in html
    countdown(tmp_path)
    assert "not in a timed attempt" in capsys.readouterr().out
    (tmp_path / "exam.json").write_text(json.dumps({"deadline": 1000}), encoding="utf-8")
    shown: list = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    countdown(tmp_path, clock=lambda: 1000 - 60)
    assert len(shown) == 1 and "01:00" in shown[0].data and 'data-deadline="1000000"' in shown[0].data


def test_progress_and_the_history_command_read_the_attempts(sat: Sat, capsys: pytest.CaptureFixture) -> None:
    progress = practice_progress(sat.practice, regrade="none")
    assert [(a.number, a.verdict, a.late) for a in progress.exams] == [(1, "pass", False), (2, "fail", True)]
    text = render_progress(progress)
    assert "Mock exams" in text and "迟交 / late" in text
    assert main(["exam", "history", "--folder", str(sat.practice)]) == 0
    out = capsys.readouterr().out
    assert "#1 alice" in out and "#2 alice" in out and "late" in out
    assert main(["exam", "status", "--folder", str(sat.practice)]) == 0
    assert "handed in" in capsys.readouterr().out


def test_status_in_jupyterlabs_terminal_finds_the_attempt(sat: Sat, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(session.attempt_folder(sat.practice, 2))  # the terminal opens in the attempt's folder
    assert main(["exam", "status"]) == 0
    assert "#2 " in capsys.readouterr().out
