"""The student side of a class course in tests: a Python with the student wheel and nothing of the project.

:func:`student_python` makes a virtual environment without pip, installs the student wheel into it
with pip (``--no-deps --no-index``: offline) and lends it this environment's third-party packages
(pandas, ipykernel …) through a folder of links — without the editable install of the project, so
``trainerlab`` and ``graders`` there are the student wheel's and nothing else.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

_PROJECT_ENTRIES = ("__editable__", "ai_trainer_lab")


def student_python(base: Path, wheel: Path) -> Path:
    """The Python of a fresh student environment under ``base`` with ``wheel`` installed."""
    venv.create(base / "venv", with_pip=False, symlinks=True)
    python = base / "venv" / "bin" / "python"
    site = site_packages(python)
    libs = base / "libraries"
    libs.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(_PROJECT_ENTRIES) and entry.suffix != ".pth":
            (libs / entry.name).symlink_to(entry)
    (site / "libraries.pth").write_text(f"{libs}\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    "--no-index", "--disable-pip-version-check", str(wheel)], check=True)
    return python


def site_packages(python: Path) -> Path:
    """Where the student environment of ``python`` installs packages."""
    return Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())


def kernel_spec(folder: Path, python: Path) -> str:
    """Write a Jupyter kernel spec running ``python`` under ``folder/kernels``; return its name."""
    spec = folder / "kernels" / "student"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "student", "language": "python", "env": {"PYTHONPATH": ""}}), encoding="utf-8")
    return "student"
