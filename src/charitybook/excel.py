"""Writing user text into Excel safely: always as text, never as a formula, and only characters
an xlsx file can hold, so the workbook always opens again.

The ledger's own entry points clean text where it comes in; this is the defence at the exit, for
whatever still arrives (a township's raw cells in ``--errors-out``, older ledgers, report labels).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

# What XML 1.0 (and so an xlsx part) cannot carry: C0 controls other than tab, line feed and
# carriage return; U+FFFE and U+FFFF; lone surrogates. openpyxl refuses the first and writes the
# others, leaving a workbook that neither Excel, openpyxl nor calamine can open.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_CELL = 32767  # Excel's limit on the characters in one cell
FORMULA_START = frozenset("=+-@\t\r")  # what a spreadsheet reads as the start of a formula (OWASP)


def clean(text: str) -> str:
    """Remove the characters an xlsx file cannot store (NUL, BEL, ESC…, U+FFFE, U+FFFF, lone
    surrogates)."""
    return _ILLEGAL.sub("", text)


def safe_text(cell, value) -> None:
    """Numbers and dates stay what they are; any string is stored as a string, so a donor
    named ``=HYPERLINK(...)``, ``+1`` or ``#N/A`` never becomes a formula or an error value.
    A string that starts like a formula is also marked quote-prefixed, so it stays text when
    someone edits the cell in Excel. Text longer than a cell can hold is cut, with an ellipsis."""
    if isinstance(value, (int, float, Decimal, dt.date, dt.time)) and not isinstance(value, bool) and _finite(value):
        cell.value = value
        return
    text = clean(str(value))
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    cell.value = text
    cell.data_type = "s"
    if text[:1] in FORMULA_START:
        cell.quotePrefix = True


def _finite(value) -> bool:
    """inf and NaN have no place in a cell: they are written as the text they came as."""
    if isinstance(value, Decimal):
        return value.is_finite()
    return not isinstance(value, float) or math.isfinite(value)


def sheet_title(title: str | None, taken: list[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\ nor what xlsx cannot
    store, not starting or ending with an apostrophe, unique ignoring case."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in clean(title or "")).strip("'")[:31].strip("'") or "Sheet"
    name, n = base, 2
    while name.lower() in {t.lower() for t in taken}:
        name = f"{base[:28]}~{n}"
        n += 1
    return name
