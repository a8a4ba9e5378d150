"""README's two commands stay true: CI runs the test command exactly as README gives it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = _bash_blocks(readme)
    test_command = next(b for b in blocks if "pytest" in b)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_start_command_installs_and_opens_the_practice_notebooks() -> None:
    blocks = _bash_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    start = next(b for b in blocks if "trainerlab start" in b)
    assert "pip install -e ." in start and start.startswith("python3 -m venv")


def test_generated_course_folders_are_ignored_by_git() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    for folder in ("/release/", "/submitted/", "/autograded/", "/feedback/", "gradebook.db",
                   "/practice/"):
        assert folder in ignored, folder


def test_every_dataset_is_listed_with_its_card() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    data = readme.split("## 数据 / Data", 1)[1].split("\n## ", 1)[0]
    folders = sorted(p.name for p in (ROOT / "datasets").iterdir() if p.is_dir())
    assert folders and all((ROOT / "datasets" / name / "README.md").is_file() for name in folders)
    assert [name for name in folders if f"- `{name}`" not in data] == []
