"""The association's rules. Each public function is one user action and one transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from charitybook.errors import CharitybookError
from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import funds as fund_rows
from charitybook.models import Fund, Goods
from charitybook.money import to_fen, yuan


class Refused(CharitybookError):
    """A rule says no; nothing was written."""


def resolve_fund(ledger: Ledger, fund: str | None, project: str | None, *, create_project: bool = False) -> Fund:
    """``--fund`` names a fund; ``--project`` means that project's restricted fund (created on
    first use when money is coming in); neither means the general fund."""
    if fund and project:
        raise Refused(_("give --fund or --project, not both"))
    if project:
        found = fund_rows.fund_by_project(ledger, project)
        if found:
            return found
        if not create_project:
            from charitybook.services.names import unknown_project_fund

            raise unknown_project_fund(ledger, project)
        if fund_rows.fund_by_name(ledger, project):
            raise Refused(_("a fund named {name!r} exists but is not the project's fund").format(name=project))
        return fund_rows.insert_fund(ledger, project, "restricted", project=project)
    if fund:
        found = fund_rows.fund_by_name(ledger, fund) or (fund_rows.general_fund(ledger) if fund == "general" else None)
        if not found:
            from charitybook.services.names import unknown_fund

            raise unknown_fund(ledger, fund)
        return found
    return fund_rows.general_fund(ledger)


def require_cash(ledger: Ledger, fund: Fund, cash_fen: int, on: dt.date | None = None) -> None:
    """Refuse taking more cash than the fund holds, or touching an endowment's principal — on
    ``on`` and on every later day, so that a backdated payment cannot overdraw the past."""
    cash, _goods, principal = fund_rows.balance(ledger, fund.id)
    if on is not None:
        free, _low_goods = fund_rows.lowest_from(ledger, fund.id, on.isoformat())
        if cash_fen > free and cash_fen <= cash - principal:
            raise Refused(
                _("fund {fund!r} held only {free} 元 of spendable cash on {date} or a day after it; {amount} 元 "
                  "dated {date} would overdraw it then").format(fund=fund.name, free=yuan(max(free, 0)), date=on.isoformat(),
                                                               amount=yuan(cash_fen)),
                hint=_("date the payment after the money came in, or record the income first"))
    if cash_fen > cash:
        raise Refused(
            _("fund {fund!r} holds {cash} 元 in cash; {amount} 元 would overdraw it by {short} 元").format(
                fund=fund.name, cash=yuan(cash), amount=yuan(cash_fen), short=yuan(cash_fen - cash)
            )
        )
    if cash_fen > cash - principal:
        raise Refused(
            _("fund {fund!r}: {principal} 元 of its {cash} 元 is endowment principal, which is never spent; "
              "at most {free} 元 is available").format(
                fund=fund.name, principal=yuan(principal), cash=yuan(cash), free=yuan(cash - principal)
            )
        )


def take_goods(ledger: Ledger, fund: Fund, goods: Goods, on: dt.date | None = None) -> Goods:
    """Refuse handing out goods the fund does not hold — by item, by value and by quantity in the
    stock's unit, on ``on`` and every later day. Goods given by value only (a roster's 慰问品折价)
    take the stock's unit, and a quantity where the value is a whole number of the stock's unit
    value; a unit the stock is not counted in is refused."""
    stock = fund_rows.item_stock(ledger, fund.id, on.isoformat() if on else None)
    value_fen, quantities = stock.get(goods.item, (0, {}))
    wanted = to_fen(goods.value)
    if value_fen <= 0:
        on_hand = "、".join(f"{item} {yuan(value)} 元" for item, (value, _q) in stock.items() if value > 0) or _("nothing")
        raise Refused(_("fund {fund!r} holds no goods named {item!r} (it holds: {stock})").format(
            fund=fund.name, item=goods.item, stock=on_hand),
            hint=_("record the goods received (add-donation --goods) or bought (add-purchase) first, "
                   "or name an item the fund holds"))
    if wanted > value_fen:
        raise Refused(
            _("fund {fund!r} holds {item} worth {goods} 元; handing out {value} 元 falls short by {short} 元").format(
                fund=fund.name, item=goods.item, goods=yuan(value_fen), value=yuan(wanted), short=yuan(wanted - value_fen)),
            hint=_("record the goods received (add-donation --goods) or bought (add-purchase) first"))
    units = [unit for unit, held in quantities.items() if unit and held > 0]
    if goods.unit and units and goods.unit not in units:
        raise Refused(_("fund {fund!r} counts its {item} in {units}, not in {unit}: give the quantity in {units}").format(
            fund=fund.name, item=goods.item, units="、".join(units), unit=goods.unit))
    unit = goods.unit or (units[0] if len(units) == 1 else None)
    held = quantities.get(unit or "")
    quantity = goods.quantity
    if quantity is None and held:
        each = Decimal(value_fen) / held  # the stock's value of one unit, in fen
        if (wanted / each) == (wanted / each).to_integral_value():
            quantity = (wanted / each).quantize(Decimal(1))
    if quantity is not None and held is not None and quantity > held:
        raise Refused(_("fund {fund!r} holds {held} {unit} of {item}; handing out {quantity} falls short").format(
            fund=fund.name, held=format(held.normalize(), "f"), unit=unit or "", item=goods.item,
            quantity=format(quantity.normalize(), "f")))
    return dataclasses.replace(goods, unit=unit, quantity=quantity)
