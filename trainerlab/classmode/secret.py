"""The course secret and the seeds derived from it.

The instructor makes the secret once (``trainerlab course secret``); it stays in the instructor's
course folder (mode 0600, git-ignored) and is never released. A student's seed for a lab is a keyed
hash of (lab, student): without the secret nobody can compute it, and one student's seed says
nothing about another's.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

#: The secret's file in the instructor's course folder.
SECRET_FILE = ".course_secret"
#: Seeds are 62-bit integers: far too many to search, and every generator's RNG takes them.
SEED_BITS = 62


class NoSecret(FileNotFoundError):
    """The course has no secret yet (``trainerlab course secret`` makes it)."""


def secret_path(course: Path) -> Path:
    """Where the course secret of the course folder ``course`` lives."""
    return Path(course) / SECRET_FILE


def make_secret(course: Path) -> Path:
    """Write a new random secret for ``course`` (readable by its owner only); refuse to replace one."""
    path = secret_path(course)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # FileExistsError if there is one
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return path


def load_secret(path: Path) -> bytes:
    """The secret stored at ``path``; :class:`NoSecret` when there is none."""
    try:
        text = Path(path).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise NoSecret(f"no course secret at {path}: run `trainerlab course secret` first") from None
    if len(text) < 32:
        raise ValueError(f"the course secret at {path} is too short")
    return text.encode("ascii")


def student_seed(secret: bytes, assignment: str, student: str) -> int:
    """The seed of ``student``'s data variant of ``assignment``: HMAC-SHA256 of both, as a 62-bit int."""
    digest = hmac.new(secret, f"{assignment}\0{student}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - SEED_BITS)
