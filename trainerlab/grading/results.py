"""What grading one submission produced: per-cell scores, problems found, where the files are."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

#: How a cell's final score was reached.
CheckOutcome = Literal["verified", "lowered", "withheld", "unchecked", "zero", "manual"]
VERIFIED: Final = "verified"    # re-derived outside the kernel: at least nbgrader's score
LOWERED: Final = "lowered"      # the re-check earned less than the cell reported: the lower one kept
WITHHELD: Final = "withheld"    # points reported but the answer could not be re-checked: kept none
UNCHECKED: Final = "unchecked"  # a cell without a grade() call, or re-checking switched off
ZERO: Final = "zero"            # the cell earned nothing (nothing to verify)
MANUAL: Final = "manual"        # a written answer waiting for a human

Severity = Literal["info", "warning", "error"]
#: ``graded`` (no problems), ``problems`` (graded; see ``issues``), ``error`` (the grader itself failed)
SubmissionStatus = Literal["graded", "problems", "error"]


@dataclass(frozen=True)
class Issue:
    """A problem found in a submission, in both languages."""

    code: str
    zh: str
    en: str
    severity: Severity = "warning"

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


@dataclass
class CellResult:
    """One graded cell of a submission as it goes into the gradebook."""

    notebook: str
    grade_id: str
    max_score: float
    auto_score: float | None
    needs_manual_grade: bool
    nbgrader_score: float | None = None
    verified_score: float | None = None
    check: CheckOutcome = UNCHECKED
    note: str | None = None

    @property
    def waits_for_teacher(self) -> bool:
        """A written answer a human still has to mark.

        nbgrader gives a written answer left as the stub 0 points at once (``auto_score`` 0, no manual
        grade needed); only an answered one waits (``auto_score`` ``None``).
        """
        return self.check == MANUAL and self.auto_score is None


@dataclass
class SubmissionResult:
    """Everything grading one student's submission of one assignment produced.

    ``status`` is ``"graded"`` (no problems), ``"problems"`` (graded; see ``issues``) or
    ``"error"`` (the grader itself failed: nothing is written to the gradebook, grade it again).
    """

    student: str
    assignment: str
    status: SubmissionStatus
    cells: list[CellResult] = field(default_factory=list)
    comments: list[tuple[str, str, str | None]] = field(default_factory=list)
    late_penalties: dict[str, float | None] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    files_hash: str = ""
    autograded_dir: str | None = None
    work_dir: str | None = None
    seconds: float = 0.0
    sandbox: str = ""
    error: str | None = None

    @property
    def auto_points(self) -> float:
        """Autograded points earned (written answers excluded)."""
        return float(sum(c.auto_score or 0.0 for c in self.cells if c.check != MANUAL))

    @property
    def auto_max(self) -> float:
        """Autograded points possible."""
        return float(sum(c.max_score for c in self.cells if c.check != MANUAL))

    @property
    def flagged(self) -> list[CellResult]:
        """Cells whose score was lowered or withheld by the re-check."""
        return [c for c in self.cells if c.check in (LOWERED, WITHHELD)]

    @property
    def cause(self) -> str:
        """Why grading failed, in one line: the exception that ended the last traceback of ``error``.

        nbgrader logs the traceback of a failed conversion and then ends with a generic "see the above
        traceback"; the line a teacher needs is the traceback's last, not that one.
        """
        lines = (self.error or "").strip().splitlines()
        for start in range(len(lines) - 1, -1, -1):
            if lines[start].startswith("Traceback (most recent call last)"):
                ends = [line for line in lines[start + 1:] if line.strip() and not line[0].isspace()]
                if ends:
                    return ends[0].strip()
        return lines[0].strip() if lines else "?"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (written beside the autograded notebook as ``trainerlab_grading.json``)."""
        data = asdict(self)
        data.pop("autograded_dir")
        data.pop("work_dir")
        data["auto_points"] = self.auto_points
        data["auto_max"] = self.auto_max
        return data

    def write(self, path: Path) -> None:
        """Write :meth:`to_json` to ``path``."""
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")


REPORT_FILE = "trainerlab_grading.json"
