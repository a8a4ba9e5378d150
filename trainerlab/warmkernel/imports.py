"""What a notebook imports: the modules a warm server preloads for it."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from pathlib import Path

#: The project's own packages are never preloaded: they are imported fresh in each kernel.
FIRST_PARTY = ("graders", "trainerlab")
#: What every kernel imports as it starts, always preloaded by a server: ipykernel's app, its kernel
#: and the debugger that kernel sets up (debugpy: about half of a warm kernel's start when left to
#: each kernel).
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger")


def notebook_imports(notebooks: Iterable[Path]) -> list[str]:
    """The third-party modules the notebooks' code cells import, in order, then the kernel's own.

    Cells that do not parse (IPython magics, learners' half-written code) are skipped; relative
    imports and the project's own packages are left out.
    """
    found: list[str] = []
    for path in notebooks:
        try:
            cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue
        for cell in cells:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse("".join(source) if isinstance(source, list) else str(source))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found += [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.append(node.module)
    modules = [m for m in found if m.split(".")[0] not in FIRST_PARTY]
    return list(dict.fromkeys([*modules, *KERNEL_MODULES]))
