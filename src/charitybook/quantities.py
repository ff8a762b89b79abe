"""Quantities, head counts and goods valuation: the only place they are read and computed.

A quantity (数量) is a positive exact Decimal with at most four decimals (2.5 公斤); a count (家庭人口)
a whole number above zero. Goods are valued at their appraised total (折价) or at 数量 × 单价;
given both, they must agree to the fen, and a product that is not a whole number of fen is never
rounded without a word.
"""

from __future__ import annotations

import math
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from charitybook.errors import CharitybookError, shorten
from charitybook.i18n import _
from charitybook.models import Goods
from charitybook.money import FEN, MoneyError, number_text, shown

MAX_QUANTITY = Decimal(10) ** 9
QUANTITY_PLACES = 4
MAX_HOUSEHOLD = 99
_COUNT_WORDS = ("人", "口", "户")


class QuantityError(CharitybookError):
    pass


def _decimal(value: object, what: str) -> Decimal:
    """A cell or option as an exact Decimal: a binary double as Excel shows it, text as written."""
    if isinstance(value, bool):
        raise QuantityError(_("not a number: {value!r}").format(value=value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QuantityError(_("not a number: {value!r}").format(value=value))
        return shown(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise QuantityError(_("not a number: {value!r}").format(value=shorten(value)))
        return value
    try:
        return number_text(str(value), what)
    except MoneyError as error:
        raise QuantityError(error.message) from None


def parse_quantity(value: object) -> Decimal:
    """数量: above zero, at most four decimals, below a billion."""
    number = _decimal(value, "quantity")
    if number <= 0:
        raise QuantityError(_("quantity {value!r} must be above zero").format(value=shorten(value)))
    if number >= MAX_QUANTITY:
        raise QuantityError(_("quantity {value!r} is implausibly large").format(value=shorten(value)))
    if number != number.quantize(Decimal(1).scaleb(-QUANTITY_PLACES)):
        raise QuantityError(_("quantity {value!r} has more than {places} decimals").format(
            value=str(value), places=QUANTITY_PLACES))
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


def parse_count(value: object, limit: int = MAX_HOUSEHOLD) -> int:
    """A head count such as 家庭人口: a whole number from 1 to ``limit``; ``3人`` is 3."""
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        for word in _COUNT_WORDS:
            text = text.removesuffix(word).strip()
        value = text
    number = _decimal(value, "count")
    if number != number.to_integral_value() or number <= 0:
        raise QuantityError(_("not a whole number above zero: {value!r}").format(value=shorten(value)))
    if number > limit:
        raise QuantityError(_("{value!r} is implausibly large (at most {limit})").format(value=str(value), limit=limit))
    return int(number)


def value_goods(quantity: Decimal | None, unit_value: Decimal | None, stated: Decimal | None) -> Decimal | None:
    """The value of goods: the appraised total (折价) as stated, or 数量 × 单价.

    Given both, they must agree to the fen (a stated total is accepted when it is the product
    rounded to the nearest fen). A product that is not a whole number of fen, with no stated
    total, is refused: say what the goods are worth with 折价 instead."""
    if unit_value is not None and quantity is None:
        raise QuantityError(_("a unit value (单价) needs a quantity (数量)"))
    if unit_value is None or quantity is None:
        return stated
    product = unit_value * quantity
    if stated is not None:
        if abs(stated - product) * 2 > FEN:
            raise QuantityError(_("折价 {total} disagrees with 数量 × 单价 = {quantity} × {each} = {computed}").format(
                total=stated, quantity=quantity, each=unit_value, computed=_plain(product)))
        return stated
    if product != product.quantize(FEN):
        raise QuantityError(_("数量 × 单价 = {quantity} × {each} = {computed} 元 is not a whole number of fen: "
                              "give the appraised total (折价) instead").format(
            quantity=quantity, each=unit_value, computed=_plain(product)))
    return product.quantize(FEN)


def make_goods(item: str | None, quantity: Decimal | None, unit: str | None, unit_value: Decimal | None,
               stated: Decimal | None, default_item: str | None = None) -> Goods | None:
    """Goods from what was given, or None when nothing was; a quantity without any value is refused."""
    value = value_goods(quantity, unit_value, stated)
    if not value:
        if item or quantity is not None:  # goods were named or counted, but not valued
            raise QuantityError(_("goods {item!r} have no value: give 折价 or 单价").format(item=item or default_item or _("goods")))
        return None
    return Goods(item=item or default_item or _("goods"), value=value, quantity=quantity, unit=unit, unit_value=unit_value)


def unit_value_of(total: Decimal, quantity: Decimal | None) -> Decimal | None:
    """The value of one unit of goods bought for ``total``, to the fen, for the record."""
    if not quantity:
        return None
    return (total / quantity).quantize(FEN, rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
