"""票据代码 and 票据号码 of official donation receipts: the only place their text is understood.

A 票据代码 is 8 digits, a 票据号码 10 digits; both are TEXT (the leading zeros of ``0000001205``
are part of the number). charitybook records these numbers, it never makes them up.
"""

from __future__ import annotations

import unicodedata

from charitybook.errors import CharitybookError, shorten
from charitybook.i18n import _

CODE_DIGITS = 8
NUMBER_DIGITS = 10


def _digits(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip().replace(" ", "")
    return text


def parse_code(value: object) -> str:
    """``41010121`` -> ``41010121``; anything but 8 digits is refused with the expected shape."""
    text = _digits(value)
    if len(text) != CODE_DIGITS or not text.isascii() or not text.isdigit():
        raise CharitybookError(_("receipt code {value!r} is not 8 digits (e.g. 41010121)").format(value=shorten(value)),
                               hint=_("the 票据代码 is printed top right of the receipt: 8 digits"))
    return text


def parse_number(value: object) -> str:
    """``0000001205`` -> ``0000001205``; anything but 10 digits (leading zeros kept) is refused."""
    text = _digits(value)
    if len(text) != NUMBER_DIGITS or not text.isascii() or not text.isdigit():
        raise CharitybookError(
            _("receipt number {value!r} is not 10 digits (e.g. 0000001205)").format(value=shorten(value)),
            hint=_("give the 票据号码 as printed, with its leading zeros"))
    return text


def number_at(first: str, offset: int) -> str:
    """The number ``offset`` places after ``first``, in the same 10 digits."""
    return f"{int(first) + offset:0{NUMBER_DIGITS}d}"


def span(first: str, last: str) -> int:
    """How many numbers a range holds, ``first`` and ``last`` included."""
    return int(last) - int(first) + 1
