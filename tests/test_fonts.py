"""Every character our notebooks, checks and reports print has a glyph in the fonts the project installs.

The project installs two font families (``binder/apt.txt``, ``.ci/run``, README): DejaVu Sans, the usual
default of Linux desktops and of matplotlib, and Noto Sans CJK for the Chinese text. Status marks are
chosen from the symbols these fonts cover (✓ ✗ ○ ◐ ★ ☞ ⚠), never colour emoji, which show as empty
boxes where no emoji font is installed. The pip-installed copies of both fonts (matplotlib's DejaVu Sans,
mplfonts' Noto Sans CJK) stand in for the system ones, so the test reads the same glyph tables everywhere.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import matplotlib
import mplfonts
import pytest
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("graders", "trainerlab", "labs")
SUFFIXES = {".py", ".ipynb", ".html", ".j2", ".tpl", ".css", ".md", ".sh", ".json"}
FONT_PACKAGES = ("fonts-dejavu-core", "fonts-noto-cjk")


def _fonts() -> dict[str, Path]:
    return {"DejaVu Sans": Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf",
            "Noto Sans CJK SC": Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"}


def _covered() -> set[int]:
    return {code for path in _fonts().values() for code in TTFont(path, fontNumber=0).getBestCmap()}


def _printed_characters() -> dict[str, str]:
    """Each non-ASCII character in the scanned sources, with one file that holds it."""
    found: dict[str, str] = {}
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and ".bak-" not in str(path):
                for char in set(path.read_text(encoding="utf-8", errors="ignore")):
                    if ord(char) > 0x7F and unicodedata.category(char) not in {"Cc", "Zs", "Zl", "Zp"}:
                        found.setdefault(char, str(path.relative_to(ROOT)))
    return found


def test_every_printed_character_has_a_glyph_in_the_installed_fonts() -> None:
    covered = _covered()
    missing = {f"{char} U+{ord(char):04X} {unicodedata.name(char, '?')}": where
               for char, where in _printed_characters().items() if ord(char) not in covered}
    assert not missing, f"no glyph in {sorted(_fonts())}: {missing}"


def test_the_scan_sees_the_status_marks_and_the_check_would_catch_an_emoji() -> None:
    printed = _printed_characters()
    assert {"✓", "✗", "○", "★", "☞"} <= set(printed), "the status marks were not found in the sources"
    assert ord("✅") not in _covered() and ord("💡") not in _covered()


@pytest.mark.parametrize("installer", ["binder/apt.txt", "README.md"])
def test_the_fonts_are_installed_by_every_route(installer: str) -> None:
    text = (ROOT / installer).read_text(encoding="utf-8")
    assert all(package in text for package in FONT_PACKAGES), installer
    assert "binder/apt.txt" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")  # CI installs that list
