"""The practice folder learners open (locally and on Binder) holds clean student versions."""

from __future__ import annotations

from pathlib import Path

import nbformat

from graders.labs import LABS
from trainerlab.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_practice_folder_holds_every_lab_without_solutions(tmp_path: Path) -> None:
    folder = tmp_path / "practice"
    assert main(["start", "--prepare-only", "--folder", str(folder)]) == 0
    for assignment, lab in LABS.items():
        notebook = folder / assignment / lab.notebook
        text = notebook.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        nb = nbformat.read(notebook, as_version=4)
        assert all(c.get("outputs", []) == [] for c in nb.cells)
        # written answers: the model answer for graders is replaced by the bilingual stub
        source = nbformat.read(ROOT / "labs" / assignment / lab.notebook, as_version=4)
        written = {c.id: c.source for c in source.cells
                   if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution")}
        for cell in nb.cells:
            if cell.id in written:
                assert cell.source == "在此作答 / YOUR ANSWER HERE"
                assert written[cell.id] not in text
    assert not (tmp_path / "gradebook.db").exists() and not Path("gradebook.db").exists()


def test_learner_work_is_kept_unless_forced(tmp_path: Path) -> None:
    folder = tmp_path / "practice"
    main(["practice", "--folder", str(folder)])
    assignment, lab = next(iter(LABS.items()))
    notebook = folder / assignment / lab.notebook
    notebook.write_text(notebook.read_text(encoding="utf-8").replace("NotImplementedError", "MyWork"),
                        encoding="utf-8")
    main(["practice", "--folder", str(folder)])
    assert "MyWork" in notebook.read_text(encoding="utf-8")
    main(["practice", "--folder", str(folder), "--force"])
    assert "MyWork" not in notebook.read_text(encoding="utf-8")
    backup = folder / f"{assignment}.bak-1" / lab.notebook
    assert "MyWork" in backup.read_text(encoding="utf-8")
