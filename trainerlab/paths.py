"""Where the bundled data sets live, from any working directory (labs, nbgrader copies, Binder)."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def datasets_root() -> Path:
    """Folder holding the bundled data sets.

    ``TRAINERLAB_DATASETS`` overrides it; a wheel install carries them as ``trainerlab/datasets``;
    a source checkout or editable install reads ``datasets/`` beside the package.
    """
    override = os.environ.get("TRAINERLAB_DATASETS")
    candidates = [Path(override)] if override else []
    candidates += [_PACKAGE / "datasets", _PACKAGE.parent / "datasets"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "找不到数据目录 / bundled datasets not found; looked in: "
        + ", ".join(str(c) for c in candidates)
    )


def dataset_file(dataset: str, filename: str) -> Path:
    """Path of ``filename`` inside the bundled data set ``dataset``; fails clearly if absent."""
    path = datasets_root() / dataset / filename
    if not path.is_file():
        raise FileNotFoundError(f"找不到数据文件 / data file not found: {path}")
    return path


def output_dir(base: str | os.PathLike[str] = ".") -> Path:
    """The lab's output folder (``output/`` beside the notebook), created if needed."""
    path = Path(base) / "output"
    path.mkdir(parents=True, exist_ok=True)
    return path
