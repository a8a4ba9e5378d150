"""Practice folder for learners: nbgrader's student versions of every lab, ready to open."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from trainerlab import home
from trainerlab.course import course_root, generate_student_versions, lab_digest, source_assignments
from trainerlab.runtime import first_on_path, with_scripts_on_path

# Jupyter config for the learner's JupyterLab (``labconfig/page_config.json``): hides nbgrader's
# instructor and exchange panels, which mean nothing in a practice folder, and the news feed, which
# asks to fetch from the web. binder/start points Binder's JupyterLab at the same folder.
LEARNER_JUPYTER_CONFIG = Path(__file__).resolve().parent / "learner_jupyter"
#: Rough seconds nbgrader takes to write one lab's student version (told to the learner while waiting).
SECONDS_PER_LAB = 10


def learner_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` for the learner's JupyterLab.

    :data:`LEARNER_JUPYTER_CONFIG` comes first on ``JUPYTER_CONFIG_PATH``, and the folder of this
    Python's scripts first on ``PATH``, so that ``trainerlab grade`` works in JupyterLab's terminal
    even when the virtual environment was never activated.
    """
    return first_on_path(with_scripts_on_path(environ), "JUPYTER_CONFIG_PATH", LEARNER_JUPYTER_CONFIG)


def learner_terminal() -> list[str] | None:
    """The shell command of JupyterLab's terminal for learners, or ``None`` to keep Jupyter's default.

    Jupyter starts a login shell, whose ``/etc/profile`` resets PATH, so ``trainerlab`` (in a virtual
    environment that may never have been activated) would not be found. On Linux and macOS the
    terminal is an interactive shell that reads ``terminal_profile.sh``: the usual login start-up
    files, then this Python's scripts folder first on PATH (bash, or any POSIX ``sh`` through ``ENV``).
    On Windows Jupyter's PowerShell inherits the server's PATH, which already starts with it.
    """
    if os.name == "nt":
        return None
    profile = LEARNER_JUPYTER_CONFIG / "terminal_profile.sh"
    scripts = f"TRAINERLAB_SCRIPTS={Path(sys.executable).parent}"
    bash = shutil.which("bash")
    if bash:
        return ["env", scripts, bash, "--rcfile", str(profile), "-i"]
    return ["env", scripts, f"ENV={profile}", shutil.which("sh") or "/bin/sh", "-i"]


def prepare(folder: str | Path = "practice", *, force: bool = False, update: bool = False,
            progress: Callable[[str], object] = lambda line: None) -> Path:
    """Fill ``folder`` with the student version of each lab; keep a learner's existing work.

    A lab already in ``folder`` is left as it is (it may hold the learner's answers), except with
    ``update`` when its source changed since the copy was made (:func:`outdated_labs`), or with
    ``force``; a replaced copy is kept beside the new one as ``<lab>.bak-N``. Only the labs to be
    (re)written are generated, so starting again with every lab in place is quick. ``progress``
    receives a bilingual line before the work starts and before each lab is generated.
    """
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    outdated = set(outdated_labs(folder)) if update else set()
    wanted = [a for a in source_assignments() if force or a in outdated or not (folder / a).exists()]
    home.write_home(folder)  # the learner's start page, rewritten only when the labs changed
    if not wanted:
        return folder
    progress(f"正在准备 {len(wanted)} 个实训的学生版（每个约 {SECONDS_PER_LAB} 秒，仅在首次或更新时）/ "
             f"Preparing the student versions of {len(wanted)} labs (about {SECONDS_PER_LAB} s each, "
             f"only the first time or after an update) in {folder}")
    with tempfile.TemporaryDirectory() as tmp:
        release = Path(tmp) / "release"
        for n, assignment in enumerate(wanted, 1):
            progress(f"  [{n}/{len(wanted)}] {assignment} …")
            generate_student_versions(release, assignments=[assignment])
        for lab in sorted(p for p in release.iterdir() if p.is_dir()):
            target = folder / lab.name
            if target.exists():
                n = 1
                while target.with_name(f"{lab.name}.bak-{n}").exists():
                    n += 1
                target.rename(target.with_name(f"{lab.name}.bak-{n}"))
            shutil.copytree(lab, target)
            digest = lab_digest(lab.name)
            for notebook in target.glob("*.ipynb"):
                _stamp(notebook, digest)
    return folder


def _stamp(notebook: Path, digest: str) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb.setdefault("metadata", {})["trainerlab"] = {"lab_digest": digest}
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def copy_digest(notebook: Path) -> str | None:
    """The :func:`~trainerlab.course.lab_digest` of the lab a practice copy was made from, if known."""
    try:
        nb = json.loads(Path(notebook).read_text(encoding="utf-8-sig"))
        return str(nb["metadata"]["trainerlab"]["lab_digest"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_outdated(notebook: Path, assignment: str, root: Path | None = None) -> bool:
    """Whether a practice copy was made from an older version of its lab (``False`` if unknown)."""
    made_from = copy_digest(notebook)
    return made_from is not None and made_from != lab_digest(assignment, root)


def outdated_labs(folder: str | Path = "practice") -> list[str]:
    """The labs in a practice folder whose source has changed since the copy was made."""
    folder = Path(folder)
    root = course_root()
    return [a for a in source_assignments(root)
            if any(is_outdated(nb, a, root) for nb in (folder / a).glob("*.ipynb"))]


def outdated_notice(labs: list[str]) -> str:
    """The bilingual message telling a learner how to get the new versions of ``labs``."""
    names = ", ".join(labs)
    return (f"这些实训在你的副本生成后已更新：{names}。运行 `trainerlab start --update` 获取新版"
            f"（原副本会保存为 <实训>.bak-N）。\n"
            f"These labs were updated after your copies were made: {names}. Run `trainerlab start --update` "
            f"to get the new versions (your copies are kept as <lab>.bak-N).")
