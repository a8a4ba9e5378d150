"""A pure-Python wheel (PEP 427) written from a mapping of file names to contents.

The student environment's package is generated, not a source tree of the repository; writing its
wheel directly keeps ``trainerlab course student-env`` offline (building one with setuptools here
would need the ``wheel`` package, which a fresh environment fetches from the network).
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"sha256={digest}"


def write_wheel(dist: Path, name: str, version: str, files: Mapping[str, bytes], *, summary: str,
                requires: Sequence[str] = (), python: str = ">=3.10") -> Path:
    """Write ``<name>-<version>-py3-none-any.whl`` into ``dist`` holding ``files``; return its path."""
    stem = f"{name.replace('-', '_')}-{version}"
    info = f"{stem}.dist-info"
    metadata = "\n".join(["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}",
                          f"Summary: {summary}", f"Requires-Python: {python}",
                          *(f"Requires-Dist: {r}" for r in requires)]) + "\n"
    wheel = "Wheel-Version: 1.0\nGenerator: trainerlab\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    members = {**files, f"{info}/METADATA": metadata.encode(), f"{info}/WHEEL": wheel.encode()}
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in members.items())
    record += f"{info}/RECORD,,\n"
    dist.mkdir(parents=True, exist_ok=True)
    path = dist / f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, data in {**members, f"{info}/RECORD": record.encode()}.items():
            archive.writestr(member, data)
    return path
