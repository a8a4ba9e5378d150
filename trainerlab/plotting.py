"""Matplotlib set-up for bilingual figures: a bundled CJK font so 中文 labels render."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager

_FONT_FILE = "NotoSansCJKsc-Regular.otf"


@cache
def use_cjk_font() -> str | None:
    """Register the Noto Sans CJK SC font shipped by ``mplfonts`` and make it the default.

    Returns the font's family name, or ``None`` (figures then fall back to DejaVu Sans) if the
    font is not installed. Without it every Chinese character renders as an empty box and
    matplotlib writes a "Glyph missing" warning to stderr, which nbgrader scores as a failure.
    """
    try:
        import mplfonts
    except ImportError:
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / _FONT_FILE
    if not path.is_file():
        return None
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.sans-serif"] = [family, *matplotlib.rcParams["font.sans-serif"]]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family
