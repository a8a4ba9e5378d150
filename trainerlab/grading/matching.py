"""Which lab a notebook is, or which submitted notebook a lab's is: matched by their graded cells.

A learner may rename a notebook, and a class may submit it under another name; the graded cells'
nbgrader ids stay. The match is the candidate that holds most of the wanted ids, and at least half.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

K = TypeVar("K")

#: Largest part of a notebook file read to find its graded cells (a submission may be huge).
_READ_LIMIT = 200 * 1024 * 1024


def grade_ids(path: Path) -> set[str]:
    """The nbgrader grade ids in a notebook file; empty for a file that is not a readable notebook."""
    try:
        data = json.loads(path.read_bytes()[:_READ_LIMIT].decode("utf-8-sig", errors="replace"))
    except (ValueError, OSError):
        return set()
    cells = data.get("cells", []) if isinstance(data, dict) else []
    ids = set()
    for cell in cells if isinstance(cells, list) else []:
        meta = cell.get("metadata") if isinstance(cell, dict) else None
        nbgrader = meta.get("nbgrader") if isinstance(meta, dict) else None
        grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
        if isinstance(grade_id, str):
            ids.add(grade_id)
    return ids


def best_match(found: Mapping[K, set[str]], wanted: Mapping[K, set[str]]) -> K | None:
    """The key whose ``found`` ids hold the largest share of its ``wanted`` ids, if at least half."""
    best, best_share = None, 0.0
    for key, want in wanted.items():
        share = len(found.get(key, set()) & want) / max(len(want), 1)
        if share > best_share:
            best, best_share = key, share
    return best if best_share >= 0.5 else None
