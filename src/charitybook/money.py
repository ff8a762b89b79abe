"""Money: the only place money text is understood. Integer fen in storage, Decimal in Python."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from charitybook.errors import CharitybookError, shorten
from charitybook.i18n import _

FEN = Decimal("0.01")
WAN = Decimal(10000)
_TOO_LARGE = Decimal(10) ** 14  # 一百万亿元: beyond any association
_PLAIN = re.compile(r"[0-9]{1,14}(\.[0-9]{1,2})?\Z")  # below _TOO_LARGE, at most fen: the common case
_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?\Z")  # 1,234.50  12,000  1,234,567
_UNGROUPED = re.compile(r"[0-9]+(\.[0-9]+)?\Z|\.[0-9]+\Z")
_SCIENTIFIC = re.compile(r"[0-9.]+E[+-]?[0-9]+\Z", re.I)
_CURRENCY = ("人民币", "RMB", "CNY", "¥", "￥")
_YUAN = ("元整", "元", "圆")
EXCEL_DIGITS = 15  # what Excel shows of a binary double


class MoneyError(CharitybookError):
    pass


def shown(value: float) -> Decimal:
    """A numeric cell as Excel shows it: a binary double read to 15 significant digits, so that a
    SUM stored as 3482232.1100000003 is 3482232.11 and 1e-06 is 0.000001 exactly."""
    return Decimal(format(value, f".{EXCEL_DIGITS}g"))


def number_text(text: str, what: str = "amount", quoted: str | None = None) -> Decimal:
    """A number as people write it: digits with an optional decimal part, thousands separators
    only where they group by three (``1,234.50``, ``12,000``; not ``1,2000``, ``12,5`` or
    ``100，50``), full-width digits and separators. Refuses anything else, quoting ``quoted``
    (default: the text itself)."""
    raw = text if quoted is None else quoted
    text = unicodedata.normalize("NFKC", text).strip()
    if text.startswith(("-", "−")) and what != "amount":
        raise MoneyError(_("{what} {value!r} must be above zero").format(what=_label(what), value=shorten(raw)))
    if "," in text:
        if not _GROUPED.match(text) and _UNGROUPED.match(text.replace(",", "")):
            raise MoneyError(_("{what} {value!r}: the thousands separators are misplaced (write 1,234.50 or 1234.50)").format(
                what=_label(what), value=shorten(raw)))
        text = text.replace(",", "")
    if _SCIENTIFIC.match(text):
        raise MoneyError(_("{what} {value!r} is written in scientific notation and may have lost digits: "
                           "format the column as a number and re-enter it").format(what=_label(what), value=shorten(raw)))
    if not _UNGROUPED.match(text):
        raise MoneyError(_("not a number: {value!r}").format(value=shorten(raw)) if what != "amount"
                         else _("not an amount: {value!r}").format(value=shorten(raw)))
    return Decimal(text)


def _label(what: str) -> str:
    return {"amount": _("amount"), "quantity": _("quantity"), "count": _("number")}.get(what, what)


def parse_money(value: object, *, scale: Decimal = Decimal(1), allow_zero: bool = True) -> Decimal:
    """Parse an amount in 元 (or ``scale`` 元 per unit, e.g. 10000 for a 万元 column) exactly.

    Accepts ints, Decimals, binary doubles from spreadsheet cells (read as Excel shows them, never
    as binary), and text such as ``1,234.50``, ``1234.5元``, ``￥1,234.50``, ``1.2万``, full-width
    digits. More than two decimals (after scaling), negatives and non-numbers are refused.
    """
    kind = value.__class__
    if kind is str and scale == 1 and allow_zero and _PLAIN.match(value):
        return Decimal(value).quantize(FEN)
    if isinstance(value, bool):
        raise MoneyError(_("not an amount: {value!r}").format(value=value))
    quoted = str(value)
    if kind is float:
        if not math.isfinite(value):
            raise MoneyError(_("not an amount: {value!r}").format(value=value))
        amount = shown(value)
        quoted = format(amount, "f")
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    else:
        amount = _parse_text(str(value))
    if not amount.is_finite():
        raise MoneyError(_("not an amount: {value!r}").format(value=shorten(quoted)))
    if amount < 0:
        raise MoneyError(_("negative amount {value!r}: record a correction with `void` instead").format(value=shorten(quoted)))
    amount = amount * scale
    if amount >= _TOO_LARGE:
        raise MoneyError(_("amount {value!r} is implausibly large").format(value=shorten(quoted)))
    if amount != amount.quantize(FEN):
        raise MoneyError(_("amount {value!r} has more than two decimals (fen)").format(value=shorten(quoted)))
    if amount == 0 and not allow_zero:
        raise MoneyError(_("amount must be more than zero, got {value!r}").format(value=shorten(quoted)))
    return amount.quantize(FEN)


def _parse_text(text: str) -> Decimal:
    raw = text
    text = unicodedata.normalize("NFKC", text).strip()
    if text.startswith(("-", "−")):
        raise MoneyError(_("negative amount {value!r}: record a correction with `void` instead").format(value=shorten(raw)))
    for mark in _CURRENCY:
        if text.startswith(mark):
            text = text[len(mark):].strip()
    for mark in _YUAN:
        if text.endswith(mark):
            text = text[: -len(mark)].strip()
            break
    scale = Decimal(1)
    if text.endswith("万"):
        text, scale = text[:-1].strip(), WAN
    if not text:
        raise MoneyError(_("empty amount {value!r}").format(value=shorten(raw)))
    return number_text(text, quoted=raw) * scale


def to_fen(amount: Decimal) -> int:
    """Decimal 元 -> integer fen, refusing anything finer than a fen."""
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise MoneyError(_("amount {value} has more than two decimals (fen)").format(value=amount))
    return int(fen)


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def yuan(fen: int) -> str:
    """Display: ``1,234.50`` (元). Integer arithmetic: exact, and fast enough for a million rows."""
    whole, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole:,}.{cents:02d}"


def plain(fen: int) -> str:
    """Machine form for JSON/CSV: ``1234.50``. Fen are whole: a fraction of a fen is a bug upstream."""
    if fen.__class__ is not int:
        if fen != int(fen):
            raise ValueError(f"not a whole number of fen: {fen!r}")
        fen = int(fen)
    whole, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole}.{cents:02d}"


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
