"""Seeded, realistic data-entry faults used by the data generators.

Every function takes a :class:`numpy.random.Generator` so a variant is reproducible from its seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Markers that data-entry systems and people write for "unknown".
MISSING_MARKERS: tuple[str, ...] = ("", "NA", "null", "?", "-", "未知")

_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def fullwidth(text: str) -> str:
    """Write ASCII digits and the decimal point as full-width characters (１２３．５)."""
    return text.translate(_FULLWIDTH)


def chinese_date(day: pd.Timestamp) -> str:
    """A date written the Chinese way: 2023年5月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def slash_date(day: pd.Timestamp) -> str:
    """A date written without zero padding: 2023/5/1."""
    return f"{day.year}/{day.month}/{day.day}"


def thousands(value: float) -> str:
    """An integer written with thousands separators: 1,658."""
    return f"{int(round(value)):,}"


def wan(value: float) -> str:
    """An amount written in 万 (ten thousands): 1200 -> 0.12万."""
    return f"{value / 10000:g}万"


def pick(rng: np.random.Generator, n: int, share: float, *, among: np.ndarray | None = None) -> np.ndarray:
    """Choose ``round(share * n)`` distinct positions (from ``among`` if given), sorted."""
    pool = np.arange(n) if among is None else np.asarray(among)
    k = min(len(pool), int(round(share * n)))
    return np.sort(rng.choice(pool, size=k, replace=False))


def spell(rng: np.random.Generator, value: str, spellings: dict[str, list[str]], share: float) -> str:
    """Return ``value`` or, with probability ``share``, one of its other spellings."""
    variants = spellings.get(value, [])
    if variants and rng.random() < share:
        return str(rng.choice(variants))
    return value
