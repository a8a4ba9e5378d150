"""The practice folder learners open (locally and on Binder) holds clean student versions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from graders.labs import LABS
from trainerlab import practice
from trainerlab.cli import main
from trainerlab.course import lab_digest
from trainerlab.practice import (
    LEARNER_JUPYTER_CONFIG,
    copy_digest,
    is_outdated,
    learner_environment,
    outdated_labs,
)
from trainerlab.runtime import THREAD_LIMITS, first_on_path, with_scripts_on_path

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


def test_only_missing_labs_are_generated_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "practice"
    generated: list[list[str]] = []
    real = practice.generate_student_versions

    def recording(release: Path, **kwargs: object) -> list[Path]:
        generated.append(list(kwargs["assignments"]))
        return real(release, **kwargs)

    monkeypatch.setattr(practice, "generate_student_versions", recording)
    practice.prepare(folder)
    assert generated == [[lab] for lab in sorted(LABS)]
    practice.prepare(folder)  # every lab in place: nothing to generate
    assert len(generated) == len(LABS)
    shutil.rmtree(folder / "evaluation")
    practice.prepare(folder)
    assert generated[len(LABS):] == [["evaluation"]]
    assert (folder / "evaluation" / LABS["evaluation"].notebook).is_file()


def test_the_first_start_says_what_it_is_doing_before_each_lab(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    said_before: dict[str, str] = {}

    def generate(release: Path, **kwargs: list[str]) -> list[Path]:
        (lab,) = kwargs["assignments"]
        said_before[lab] = capsys.readouterr().out  # what the learner has read while this lab is made
        shutil.copytree(ROOT / "labs" / lab, release / lab)
        return []

    monkeypatch.setattr(practice, "generate_student_versions", generate)
    assert main(["start", "--prepare-only", "--folder", str(tmp_path / "practice")]) == 0
    first = said_before[sorted(LABS)[0]]
    assert "正在准备" in first and f"Preparing the student versions of {len(LABS)} labs" in first
    for n, lab in enumerate(sorted(LABS), 1):
        assert f"[{n}/{len(LABS)}] {lab}" in said_before[lab]
    assert "practice notebooks" in capsys.readouterr().out
    main(["start", "--prepare-only", "--folder", str(tmp_path / "practice")])
    assert "Preparing" not in capsys.readouterr().out  # nothing to prepare: nothing announced


def _installed_plugin_ids() -> str:
    """The text of every installed JupyterLab bundle (core and prebuilt extensions)."""
    from jupyter_core.paths import jupyter_path
    from jupyterlab.commands import get_app_dir

    folders = [Path(get_app_dir()) / "static", *(Path(p) for p in jupyter_path("labextensions"))]
    return "\n".join(f.read_text(encoding="utf-8", errors="ignore")
                     for folder in folders if folder.is_dir() for f in folder.rglob("*.js"))


def test_learner_jupyterlab_hides_instructor_panels_and_news(monkeypatch: pytest.MonkeyPatch) -> None:
    from jupyterlab_server.config import get_static_page_config

    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/somewhere/else")
    env = learner_environment(os.environ)
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str(LEARNER_JUPYTER_CONFIG), "/somewhere/else"]
    # the terminal finds `trainerlab grade` (as the labs tell learners) without an activated venv
    script = shutil.which("trainerlab", path=env["PATH"])
    assert script and Path(script).parent == Path(sys.executable).parent
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", env["JUPYTER_CONFIG_PATH"])
    disabled = {k for k, v in get_static_page_config(level="all").get("disabledExtensions", {}).items() if v}
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
            "@jupyterlab/apputils-extension:announcements"} <= disabled
    assert "@jupyter/nbgrader:validate-assignment" in disabled  # English only: Run All runs every check
    bundles = _installed_plugin_ids()
    assert [p for p in disabled if f'"{p}"' not in bundles] == [], "a disabled plugin id no longer exists"


@pytest.mark.parametrize("shell", ["bash", "sh"])
def test_the_learner_terminal_finds_trainerlab_after_the_login_profile(
        shell: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if shell == "sh":  # a system without bash: any POSIX sh reads the profile through ENV
        real = shutil.which
        monkeypatch.setattr(shutil, "which", lambda name: None if name == "bash" else real(name))
    command = practice.learner_terminal()
    assert command is not None and Path(command[-2 if shell == "sh" else -4]).name == shell
    reset = {"HOME": "/nonexistent", "PATH": "/usr/bin:/bin"}  # as /etc/profile leaves it
    said = subprocess.run(command, input="command -v trainerlab\nexit\n", capture_output=True, text=True,
                          env=reset, timeout=30).stdout
    assert Path(said.strip().splitlines()[-1]).parent == Path(sys.executable).parent, said


def test_the_chinese_half_names_the_menus_as_the_chinese_interface_does() -> None:
    import json
    import re

    import jupyterlab_language_pack_zh_CN as pack

    ui = json.loads((Path(pack.__file__).parent / "locale" / "zh_CN" / "LC_MESSAGES" / "jupyterlab.json")
                    .read_text(encoding="utf-8"))
    terminal = " → ".join(ui[k][0] for k in ("menu\x04File", "menu\x04New", "Terminal"))
    run_all = " → ".join(ui[k][0] for k in ("menu\x04Run", "Run All Cells"))
    for assignment, lab in LABS.items():
        text = "\n".join(c.source for c in nbformat.read(ROOT / "labs" / assignment / lab.notebook,
                                                         as_version=4).cells if c.cell_type == "markdown")
        chinese = [line for line in text.splitlines() if re.search(r"[\u4e00-\u9fff]{4}", line)]
        for menus in (terminal, run_all, f"“{ui['Copy Path'][0]}”"):
            assert any(menus in line for line in chinese), f"{assignment}: {menus} not in the Chinese half"
        english_menus = [line for line in chinese if re.search(r"File → New|Copy Path|Run All", line)
                         and not line.startswith(("Save", "Each", "(File"))]
        assert not english_menus, f"{assignment}: English menu names in the Chinese half: {english_menus}"


def test_start_opens_jupyterlab_with_the_learner_settings(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    launched = {}
    monkeypatch.setattr(practice, "prepare", lambda folder, **options: tmp_path)
    monkeypatch.setattr(os, "execve", lambda path, args, env: launched.update(args=args, env=env))
    monkeypatch.setattr(os, "chdir", lambda folder: launched.update(cwd=folder))
    main(["start", "--", "--port", "9123"])
    assert launched["cwd"] == tmp_path  # JupyterLab's terminal opens in the practice folder
    assert launched["args"][1:4] == ["-m", "jupyterlab", f"--ServerApp.root_dir={tmp_path}"]
    assert launched["args"][-2:] == ["--port", "9123"]
    assert launched["env"]["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(LEARNER_JUPYTER_CONFIG)


def test_binder_start_uses_the_same_learner_settings() -> None:
    # on Binder the environment's python (with the project installed) is first on PATH
    env = {"PATH": with_scripts_on_path(os.environ)["PATH"]}
    shown = subprocess.run(["bash", str(ROOT / "binder" / "start"), "env"], capture_output=True, text=True,
                           check=True, env=env).stdout
    variables = dict(line.split("=", 1) for line in shown.splitlines() if "=" in line)
    assert Path(variables["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0]).resolve() == LEARNER_JUPYTER_CONFIG
    assert {k: variables.get(k) for k in THREAD_LIMITS} == THREAD_LIMITS  # the one set of thread caps


def test_a_changed_lab_is_announced_to_learners_with_an_older_copy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    course = tmp_path / "course"
    shutil.copytree(ROOT / "labs" / "data_cleaning", course / "labs" / "data_cleaning")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    monkeypatch.chdir(course)  # the course of this test: one lab
    folder = tmp_path / "practice"
    assert main(["practice", "--folder", str(folder)]) == 0
    copy = folder / "data_cleaning" / LABS["data_cleaning"].notebook
    assert copy_digest(copy) == lab_digest("data_cleaning", course)
    assert nbformat.read(copy, as_version=4).cells, "the stamped copy is still a notebook"
    assert outdated_labs(folder) == [] and "--force" not in capsys.readouterr().out

    source = course / "labs" / "data_cleaning" / LABS["data_cleaning"].notebook
    nb = nbformat.read(source, as_version=4)
    nb.cells[0].source += "\n\n更正 / Erratum."
    nbformat.write(nb, source)
    assert outdated_labs(folder) == ["data_cleaning"]
    assert main(["practice", "--folder", str(folder)]) == 0
    printed = capsys.readouterr().out
    assert "data_cleaning" in printed and "trainerlab start --update" in printed
    assert "Erratum" not in copy.read_text(encoding="utf-8"), "the learner's copy is never replaced silently"

    assert main(["practice", "--folder", str(folder), "--update"]) == 0
    assert "Erratum" in copy.read_text(encoding="utf-8") and outdated_labs(folder) == []
    kept = folder / "data_cleaning.bak-1" / LABS["data_cleaning"].notebook
    assert "Erratum" not in kept.read_text(encoding="utf-8"), "the old copy is kept beside the new one"
    assert "--update" not in capsys.readouterr().out

    plain = tmp_path / "plain.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), plain)
    assert not is_outdated(plain, "data_cleaning", course)  # a copy without a stamp: unknown, not outdated


def test_run_all_on_a_fresh_notebook_runs_every_check(student_versions: Path, tmp_path: Path) -> None:
    """Run All (nbclient, as JupyterLab: stop at an error unless the cell is tagged) reaches every check.

    On the quickest lab; every lab's class run (``tests/lab_class_tests.py``) proves the same of its
    student version from the outputs autograding gives.
    """
    from nbclient import NotebookClient

    assignment = "guidance"
    lab = shutil.copytree(student_versions / assignment, tmp_path / assignment)
    nb = nbformat.read(lab / LABS[assignment].notebook, as_version=4)
    client = NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(lab)}})
    client.execute()  # raises at the first untagged cell that errors
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "Run All stopped before the end"
    tests = [c for c in code if c.metadata.get("nbgrader", {}).get("grade")]
    for cell in tests:
        gid = cell.metadata.nbgrader.grade_id
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert len(errors) == 1, f"{gid}: the check of an unanswered task must fail (Validate gives 0)"
        assert errors[0].traceback == [f"○ {errors[0].evalue}"], f"{gid}: {errors[0].traceback}"
        assert "Not attempted" in errors[0].evalue and "尚未作答" in errors[0].evalue
        assert not [o for o in cell.outputs if o.get("name") == "stderr"], gid


def test_an_entry_goes_first_on_a_search_path_once() -> None:
    sep = os.pathsep
    moved = first_on_path({"PATH": f"/a{sep}/venv/bin{sep}"}, "PATH", "/venv/bin")
    assert moved["PATH"] == f"/venv/bin{sep}/a"
    assert first_on_path({}, "JUPYTER_CONFIG_PATH", "/x") == {"JUPYTER_CONFIG_PATH": "/x"}
