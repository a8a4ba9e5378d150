"""Root pytest configuration, shared by tests/ and the nbval runs of labs/.

It orders the test files longest first for the workers, and prints each lab's test seconds at the
end of a run: the summed durations (set-up, call, tear-down, over every worker) of the tests whose
id names the lab — its nbval cells, its class run and its check tests.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from trainerlab.runtime import cap_threads

cap_threads()

#: Each lab's seconds, and the exam bank's (its tests are named ``test_exam_*``)
_LABS = sorted(p.name for p in (Path(__file__).parent / "labs").iterdir() if p.is_dir()) + ["exam"]
_SECONDS: defaultdict[str, float] = defaultdict(float)


def _lab_of(nodeid: str) -> str | None:
    named = [lab for lab in _LABS if lab in nodeid]
    return max(named, key=len) if named else None


#: Test files that take longest go first, so that no worker is left with a long one at the end: the
#: hub course and the browser test (minutes of waiting on servers), the class runs (a whole class per
#: lab, and the exam bank's), then the check tests and the class graders.
_LONGEST_FIRST = ("tests/test_hub_course", "tests/test_browser_learner", "tests/test_class_",
                  "tests/test_exam_bank_class", "tests/test_level_course", "tests/test_checks_",
                  "tests/test_grading_")


def _weight(item: pytest.Item) -> int:
    path = item.nodeid.split("::")[0]
    return next((i for i, prefix in enumerate(_LONGEST_FIRST) if path.startswith(prefix)),
                len(_LONGEST_FIRST))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order test files longest first; under nbval, no cell of a lab's source notebook may fail.

    The sort is stable: each file's tests keep their order. ``trainerlab lab sync`` tags answer and
    test cells ``raises-exception`` so that a learner's Run All goes past an unanswered task; nbval
    would read that tag as "an error is allowed here".
    """
    items.sort(key=_weight)
    for item in items:
        options = getattr(item, "options", None)
        if item.path.suffix == ".ipynb" and isinstance(options, dict):
            options["check_exception"] = False


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add each test phase's duration to the lab its test id names."""
    lab = _lab_of(report.nodeid)
    if lab is not None:
        _SECONDS[lab] += report.duration


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """One line per lab: the seconds its tests took (CI prints this in its log)."""
    if hasattr(config, "workerinput") or not _SECONDS:
        return
    terminalreporter.section("seconds per lab (and the exam bank)")
    for lab in _LABS:
        terminalreporter.write_line(f"{lab}: {_SECONDS.get(lab, 0.0):.1f} s")
