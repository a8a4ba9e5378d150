"""Helpers for the lab tests: run a notebook like nbgrader would and read its graded cells."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from graders.labs import LABS

ROOT = Path(__file__).resolve().parents[1]


def lab_source(assignment: str) -> Path:
    """The source notebook of a lab (solutions and hidden tests in place)."""
    return ROOT / "labs" / assignment / LABS[assignment].notebook


@dataclass(frozen=True)
class GradeCell:
    """What one autograded test cell produced when its notebook ran."""

    grade_id: str
    points: float
    error: str | None
    stderr: str
    score_output: float | None

    @property
    def passed(self) -> bool:
        """Full points as nbgrader would give them: no error, no stderr, no partial score."""
        full = self.score_output is None or abs(self.score_output - self.points) < 1e-9
        return self.error is None and not self.stderr and full


def run_notebook(source: Path, workdir: Path, *, timeout: int = 120) -> nbformat.NotebookNode:
    """Copy ``source`` into ``workdir`` and execute it there, continuing past errors."""
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / source.name
    shutil.copy(source, target)
    nb = nbformat.read(target, as_version=4)
    client = NotebookClient(nb, timeout=timeout, allow_errors=True, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}},
                            extra_arguments=["--InteractiveShell.xmode=Minimal"])
    client.execute()
    return nb


def grade_cells(nb: nbformat.NotebookNode) -> list[GradeCell]:
    """The autograded test cells of an executed notebook with their outcome."""
    cells = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        error, stderr, score = None, "", None
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                error = f"{out.ename}: {out.evalue}"
            elif out.output_type == "stream" and out.name == "stderr":
                stderr += out.text
            elif out.output_type == "execute_result" and score is None:
                try:
                    score = float(out.data.get("text/plain", ""))
                except ValueError:
                    score = None
        cells.append(GradeCell(meta["grade_id"], float(meta["points"]), error, stderr, score))
    return cells
