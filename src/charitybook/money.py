"""Money: the only place money text is understood. Integer fen in storage, Decimal in Python."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from charitybook.errors import CharitybookError
from charitybook.i18n import _

FEN = Decimal("0.01")
WAN = Decimal(10000)
_TOO_LARGE = Decimal(10) ** 14  # 一百万亿元: beyond any association
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_PLAIN = re.compile(r"\d{1,14}(\.\d{1,2})?\Z")  # below _TOO_LARGE, at most fen
_STRIP = str.maketrans("", "", ",， \u3000\u00a5￥$元圆")


class MoneyError(CharitybookError):
    pass


def parse_money(value: object, *, scale: Decimal = Decimal(1), allow_zero: bool = True) -> Decimal:
    """Parse an amount in 元 (or ``scale`` 元 per unit, e.g. 10000 for a 万元 column) exactly.

    Accepts ints, Decimals, floats from spreadsheet cells (through ``str``, never binary) and
    text such as ``1,234.50``, ``1234.5元``, ``￥1,234.50``, ``1.2万``, full-width digits.
    """
    kind = value.__class__
    if kind is float:
        if not math.isfinite(value):
            raise MoneyError(_("not an amount: {value!r}").format(value=value))
        value, kind = repr(value), str  # the shortest text that reads back as the same float: 16.62, not 16.6199…
    if kind is str and scale == 1 and allow_zero and _PLAIN.match(value):
        return Decimal(value).quantize(FEN)  # the common case: digits, at most two decimals, below _TOO_LARGE
    if isinstance(value, bool):
        raise MoneyError(_("not an amount: {value!r}").format(value=value))
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif kind is str and _PLAIN.match(value):
        amount = Decimal(value)
    else:
        amount = _parse_text(str(value))
    if not amount.is_finite():
        raise MoneyError(_("not an amount: {value!r}").format(value=str(value)))
    amount = amount * scale
    if amount < 0:
        raise MoneyError(_("negative amount {value!r}: record a correction with `void` instead").format(value=str(value)))
    if amount >= _TOO_LARGE:
        raise MoneyError(_("amount {value!r} is implausibly large").format(value=str(value)))
    if amount != amount.quantize(FEN):
        raise MoneyError(_("amount {value!r} has more than two decimals (fen)").format(value=str(value)))
    if amount == 0 and not allow_zero:
        raise MoneyError(_("amount must be more than zero, got {value!r}").format(value=str(value)))
    return amount.quantize(FEN)


def _parse_text(text: str) -> Decimal:
    raw = text
    text = unicodedata.normalize("NFKC", text).strip()
    if text.startswith(("-", "−")):
        raise MoneyError(_("negative amount {value!r}: record a correction with `void` instead").format(value=raw))
    text = text.translate(_STRIP)
    scale = Decimal(1)
    if text.endswith("万"):
        text, scale = text[:-1], WAN
    if not text:
        raise MoneyError(_("empty amount {value!r}").format(value=raw))
    if not _NUMBER.match(text):
        raise MoneyError(_("not an amount: {value!r}").format(value=raw))
    try:
        return Decimal(text) * scale
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        raise MoneyError(_("not an amount: {value!r}").format(value=raw)) from None


def to_fen(amount: Decimal) -> int:
    """Decimal 元 -> integer fen, refusing anything finer than a fen."""
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise MoneyError(_("amount {value} has more than two decimals (fen)").format(value=amount))
    return int(fen)


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def yuan(fen: int) -> str:
    """Display: ``1,234.50`` (元)."""
    return f"{from_fen(fen):,.2f}"


def plain(fen: int) -> str:
    """Machine form for JSON/CSV: ``1234.50``."""
    return f"{from_fen(fen):.2f}"


def wan(fen: int) -> str:
    """Summary display in 万元, rounded half-up: 826,450 元 -> ``82.65``."""
    value = (Decimal(fen) / 1000000).quantize(FEN, rounding=ROUND_HALF_UP)
    return f"{value:,.2f}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ["", "拾", "佰", "仟"]
_BIG_UNITS = ["", "万", "亿", "万亿"]


def daxie(fen: int) -> str:
    """Amount in Chinese capitals as on a donation receipt: 12300 元 -> 壹万贰仟叁佰元整."""
    if fen < 0:
        return "负" + daxie(-fen)
    yuan_part, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    words = _integer_daxie(yuan_part) + "元" if yuan_part else ""
    if not jiao and not fen_digit:
        return (words or "零元") + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif yuan_part:
        words += "零"
    if fen_digit:
        words += _DIGITS[fen_digit] + "分"
    return words


def _integer_daxie(number: int) -> str:
    groups = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    out = ""
    zero_pending = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = bool(out)
            continue
        if out and (zero_pending or group < 1000):
            out += "零"
        out += _group_daxie(group) + _BIG_UNITS[index]
        zero_pending = False
    return out


def _group_daxie(group: int) -> str:
    out = ""
    zero = False
    for position in range(3, -1, -1):
        digit = (group // 10**position) % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _SMALL_UNITS[position]
    return out
