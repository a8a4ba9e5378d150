"""Notice changes a submission makes to the files grading depends on (fallback without Landlock).

With Landlock the sandbox stops a kernel from writing outside its folder, so nothing needs
watching. Without it (another OS, an old Linux kernel) :class:`FileGuard` remembers the checks'
source files, the lab's source folder, the bundled data and the course config; a submission graded
while one of them changed has its points held for review. Files are not restored: the change may
be a teacher's own edit, and the re-check (:mod:`trainerlab.grading.integrity`) runs the checks
this process imported before any submission ran, so a changed file on disk cannot raise a score.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def _state(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


class FileGuard:
    """A snapshot of the size and modification time of every file under some folders."""

    def __init__(self, roots: Iterable[Path], *, extra: Iterable[Path] = ()) -> None:
        self.roots = [Path(r) for r in roots]
        self.extra = [Path(p) for p in extra]
        self.files = self._scan()

    def _scan(self) -> dict[Path, tuple[int, int] | None]:
        files = {}
        for root in self.roots:
            for path in root.rglob("*") if root.is_dir() else []:
                if "__pycache__" not in path.parts and path.is_file() and not path.is_symlink():
                    files[path] = _state(path)
        for path in self.extra:
            files[path] = _state(path)
        return files

    def changed(self) -> list[Path]:
        """Files changed, deleted or added since the snapshot; the snapshot then moves on."""
        now = self._scan()
        changed = sorted(p for p in set(now) | set(self.files) if now.get(p) != self.files.get(p))
        self.files = now
        return changed
