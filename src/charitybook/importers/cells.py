"""One cell at a time: what a spreadsheet cell holds, read exactly, or a CellError saying why not.

A numeric cell is a binary double: money and quantities are read as Excel shows them (15
significant digits); a number of 16 or more digits has already lost its last digits, so an ID or
order number stored that way is refused, never guessed. Text is cleaned here, once, as it enters.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from charitybook import dates, idnumbers, quantities
from charitybook import text as texts
from charitybook.errors import CharitybookError, Problem, Source
from charitybook.i18n import _
from charitybook.importers.header import Column
from charitybook.money import parse_money

_SCIENTIFIC = re.compile(r"\d(\.\d+)?E\+?\d+", re.I)
EXCEL_INTEGER_DIGITS = 15


class CellError(CharitybookError):
    pass


def cell(cells: list, column: Column | None):
    """The raw value under ``column``: text stripped (None when blank), numbers and dates as read."""
    if column is None or column.index >= len(cells):
        return None
    value = cells[column.index]
    if value.__class__ is str:
        return value.strip() or None
    return value


def digits_lost(value) -> bool:
    """A number Excel stored with 16+ digits (it keeps 15), or wrote in scientific notation."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return abs(value) >= 10**EXCEL_INTEGER_DIGITS or value != int(value)
    return bool(_SCIENTIFIC.fullmatch(str(value).strip()))


def text(value, kind: str = "name") -> str | None:
    """Text as it is kept (see ``charitybook.text``); a whole-number cell is its digits."""
    if value is None:
        return None
    if value.__class__ is float:
        value = str(int(value)) if value.is_integer() and abs(value) < 10**EXCEL_INTEGER_DIGITS else format(value, ".15g")
    elif value.__class__ is not str:
        value = str(value)
    try:
        return _clean(value, kind)
    except CharitybookError as error:
        raise CellError(error.message) from None


@lru_cache(maxsize=8192)
def _clean(value: str, kind: str) -> str | None:
    return texts.clean(value, kind)


_EXCEL_TEXT = re.compile(r'^="(.*)"$')


def reference(value) -> str | None:
    """An order or serial number (订单号, 流水号, 交易号): exact text, never a number that lost digits.
    The ways Excel users force text (``'2021…``, ``="2021…"``) and full-width characters are not part of it."""
    if value is None:
        return None
    if isinstance(value, float) and not value.is_integer():
        raise CellError(_("order/serial number {value} is a number with decimals: format the column as text and "
                          "re-enter it").format(value=shown_number(value)))
    if value.__class__ is str and value.isascii() and value.isalnum() and len(value) <= 64:
        return value  # the common case: letters and digits, nothing to clean
    if digits_lost(value):
        raise CellError(_("order/serial number {value}: {why}").format(value=shown_number(value), why=_(idnumbers.DIGITS_LOST)))
    written = unicodedata.normalize("NFKC", str(value)).strip() if isinstance(value, str) else value
    if isinstance(written, str):
        written = _EXCEL_TEXT.sub(r"\1", written).lstrip("'‘’").strip()
    return text(written, "reference")


def shown_number(value) -> str:
    return format(value, ".15g") if isinstance(value, float) else str(value)


def money(value, column: Column) -> Decimal:
    try:
        return parse_money(value, scale=column.scale)
    except CharitybookError as error:
        raise CellError(error.message) from None


@lru_cache(maxsize=4096)
def _date_text(value: str) -> dt.date:
    return dates.parse_date(value)


def date(value) -> dt.date:
    try:
        return _date_text(value) if value.__class__ is str else dates.parse_date(value)
    except CharitybookError as error:
        raise CellError(error.message) from None


def month(value) -> dt.date:
    try:
        return dates.parse_month(value)
    except CharitybookError as error:
        raise CellError(error.message) from None


def date_from_parts(year, month_of_year, day) -> dt.date:
    try:
        return dates.from_parts(year, month_of_year, day)
    except CharitybookError as error:
        raise CellError(error.message) from None


def id_number(value) -> str:
    """A citizen ID: a number of 16+ digits has lost digits; exactly 15 digits is a legacy ID;
    a leading apostrophe (how Excel users force text) is not part of it."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if digits_lost(value):
            raise CellError(_("ID number {value}: {why}").format(value=idnumbers.mask(f"{int(value)}"), why=_(idnumbers.DIGITS_LOST)))
        return idnumbers.normalize_id(f"{int(value):015d}")
    return idnumbers.normalize_id(str(value).lstrip("'‘’"))


def count(value) -> int:
    try:
        return quantities.parse_count(value)
    except CharitybookError as error:
        raise CellError(error.message) from None


def quantity(value) -> Decimal:
    try:
        return quantities.parse_quantity(value)
    except CharitybookError as error:
        raise CellError(error.message) from None


def shown(raw, column: Column | None) -> str | None:
    """The value as quoted in a problem: ID numbers masked, never in full."""
    if raw is None:
        return None
    value = shown_number(raw) if isinstance(raw, float) else str(raw)
    if column is not None and column.field == "id_number":
        return idnumbers.mask(str(int(raw)) if isinstance(raw, float) and raw.is_integer() else value)
    return value


def problem(source: Source, cells: list, column: Column | None, message: str) -> Problem:
    """A Problem naming the cell: its column's header and its value (an ID number masked)."""
    raw = cell(cells, column) if column else None
    return Problem(source, column.header if column else None, shown(raw, column), message)
