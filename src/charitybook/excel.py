"""Writing user text into Excel safely: always as text, never as a formula."""

from __future__ import annotations

import datetime as dt
import re

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(text: str) -> str:
    """Remove control characters Excel cannot store (NUL, BEL, ESC…)."""
    return _ILLEGAL.sub("", text)


def safe_text(cell, value) -> None:
    """Numbers and dates stay what they are; any string is stored as a string, so a donor
    named ``=HYPERLINK(...)`` or ``+1`` never becomes a formula."""
    if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
        cell.value = value
        return
    cell.value = clean(str(value))
    cell.data_type = "s"
