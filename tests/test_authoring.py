"""One source for every lab's facts: a task's points, unit or rubric change with one edit and the sync.

And the scaffold makes a new lab that already keeps the lab format.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import nbformat
import pytest
from notebook_runs import ROOT

from graders.checking import Msg, RubricPoint
from graders.labs import LABS
from trainerlab import labformat
from trainerlab.authoring import GRADE_PARAGRAPH, INTRO_ID, SYNC_COMMAND, sync, sync_notebook
from trainerlab.cli import main
from trainerlab.scaffold import load_lab, new_lab


def _edited_lab():
    """data_cleaning with one edit each to a task's points, a task's unit and a written task's rubric."""
    lab = LABS["data_cleaning"]
    dedupe, spec = lab.task("remove_duplicates"), lab.task("cleaning_spec")
    first, *rest = dedupe.criteria
    new_dedupe = dataclasses.replace(dedupe, unit="1.1",
                                     criteria=[dataclasses.replace(first, points=2), *rest])
    version = RubricPoint(Msg("写明版本号", "states a version"), 1)
    new_spec = dataclasses.replace(spec, rubric=[*spec.rubric, version])
    swap = {dedupe.grade_id: new_dedupe, spec.grade_id: new_spec}
    return dataclasses.replace(lab, tasks=[swap.get(t.grade_id, t) for t in lab.tasks])


def test_one_edit_then_sync_updates_every_derived_place(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "labs" / "data_cleaning", tmp_path / "labs" / "data_cleaning",
                    ignore=shutil.ignore_patterns("output"))
    shutil.copy(ROOT / "README.md", tmp_path)
    lab = _edited_lab()
    path = tmp_path / "labs" / "data_cleaning" / lab.notebook

    found = labformat.problems(lab, nbformat.read(path, as_version=4))
    assert found and all(SYNC_COMMAND in p for p in found), found
    assert any("header of remove_duplicates" in p for p in found)
    assert any("header of cleaning_spec" in p for p in found)
    assert any("overview" in p for p in found)
    assert any("cell remove_duplicates" in p for p in found)

    sync(tmp_path, {"data_cleaning": lab}, write=True)
    nb = nbformat.read(path, as_version=4)
    assert labformat.problems(lab, nb) == []
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    assert cells["remove_duplicates"].metadata["nbgrader"]["points"] == 3
    assert cells["remove_duplicates"].metadata["trainerlab"] == {"level": "L3", "unit": "1.1"}
    assert "`L3 · 1.1` · 3 分 / points" in cells["task-dedupe"].source
    assert "- M6 (1): 写明版本号 / states a version" in cells["task-spec"].source
    assert "| 3 | 删除重复记录 / Remove duplicate records | L3 · 1.1 | 3 |" in cells["overview"].source
    assert "**40** | 自动 31 + 人工 9" in cells["overview"].source
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "| `data_cleaning` | L3 | 1.1, 2.1 | 31 + 9 |" in readme
    # the statement written by the author is kept word for word
    original = {c.metadata.get("nbgrader", {}).get("grade_id"): c
                for c in nbformat.read(ROOT / "labs" / "data_cleaning" / lab.notebook, as_version=4).cells}
    assert original["task-dedupe"].source.split("\n\n")[1] == cells["task-dedupe"].source.split("\n\n")[1]


def test_every_lab_tells_how_to_grade_it_in_the_same_words() -> None:
    lab = LABS["data_cleaning"]
    nb = nbformat.read(ROOT / "labs" / "data_cleaning" / lab.notebook, as_version=4)
    intro = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == INTRO_ID)
    scenario = intro.source.split(GRADE_PARAGRAPH)[0]
    intro.source = intro.source.replace("并在笔记本旁生成 HTML 反馈", "")  # a hand edit in one lab
    assert [d.what for d in sync_notebook(nb, lab)] == ["the paragraph on grading the whole notebook"]
    assert intro.source.startswith(scenario) and GRADE_PARAGRAPH in intro.source
    intro.source = scenario  # an introduction without it (a new lab) gets it at its end
    sync_notebook(nb, lab)
    assert intro.source == f"{scenario.rstrip()}\n\n{GRADE_PARAGRAPH}"


def test_the_repository_is_in_sync(monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["lab", "sync", "--check"]) == 0, capsys.readouterr().out


def test_a_scaffolded_lab_keeps_the_format(tmp_path: Path) -> None:
    shutil.copy(ROOT / "README.md", tmp_path)
    written = new_lab(tmp_path, "demo_lab", level="L2", unit="2.1")
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "graders/demo_lab_l2.py", "labs/demo_lab_l2/demo_lab_l2.ipynb", "tests/test_class_demo_lab_l2.py",
        "README.md"]
    assert "| `demo_lab_l2` | L2 | 2.1 | 3 + 1 |" in (tmp_path / "README.md").read_text(encoding="utf-8")
    lab = load_lab(written[0])
    assert lab.assignment == "demo_lab_l2" and lab.level == "L2"
    assert labformat.problems(lab, nbformat.read(written[1], as_version=4)) == []
    with pytest.raises(FileExistsError):
        new_lab(tmp_path, "demo_lab", level="L2", unit="2.1")
    assert [p.relative_to(tmp_path).as_posix() for p in new_lab(tmp_path, "demo_lab")][:2] == [
        "graders/demo_lab.py", "labs/demo_lab/demo_lab_l3.ipynb"]
    with pytest.raises(ValueError, match="skill unit"):
        new_lab(tmp_path, "other", level="L2", unit="9.9")
