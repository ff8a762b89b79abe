"""Corrections: nothing is edited or deleted; a void writes the reversing entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import entries
from charitybook.ledger import funds as fund_rows
from charitybook.ledger import receipts as receipt_rows
from charitybook.ledger.entries import GoodsLine, Posting
from charitybook.money import yuan
from charitybook.services import Refused, pass_through


def void(ledger: Ledger, entry_id: int, reason: str, date: dt.date | None = None) -> int:
    if not reason.strip():
        raise Refused(_("a void needs --reason"))
    with ledger.write():
        void_id = void_entry(ledger, entry_id, reason, date or dt.date.today())
        ledger.audit("void", {"entry": entry_id, "void": void_id, "reason": reason})
    return void_id


def void_entry(ledger: Ledger, entry_id: int, reason: str, date: dt.date) -> int:
    """Write the reversing entry for ``entry_id``. Inside a transaction."""
    original = entries.entry(ledger, entry_id)
    if original is None:
        raise Refused(_("no entry #{id}").format(id=entry_id))
    if original["kind"] == "void":
        raise Refused(_("entry #{id} is itself a void; record the entry again instead").format(id=entry_id))
    if original["voided_by"]:
        raise Refused(_("entry #{id} was already voided by #{by} on {date}").format(
            id=entry_id, by=original["voided_by"], date=original["voided_on"]))
    if original["kind"] == "donation":
        pass_through.refuse_void(ledger, entry_id)
    receipt = receipt_rows.standing_receipt_of(ledger, entry_id) if original["kind"] == "donation" else None
    if receipt:
        raise Refused(_("entry #{id} has receipt {code} {number} (issued {date}), which the donor holds").format(
            id=entry_id, code=receipt["code"], number=receipt["number"], date=receipt["date"]),
            hint=_("void the receipt first: `charitybook receipt void {code} {number} --reason …`").format(
                code=receipt["code"], number=receipt["number"]))
    if date.isoformat() < original["date"]:
        raise Refused(
            _("a void of #{id} dated {date} would come before #{id} itself, dated {original}: "
              "a void is dated on or after the entry it reverses").format(
                id=entry_id, date=date.isoformat(), original=original["date"]),
            hint=_("give --date {original} or later").format(original=original["date"]))
    reversed_postings = [Posting(p.fund_id, -p.cash_fen, -p.goods_fen, -p.principal_fen)
                         for p in entries.postings(ledger, entry_id)]
    for posting in reversed_postings:
        _refuse_negative(ledger, posting, entry_id, date)
    reversed_goods = [GoodsLine(g.fund_id, g.item, -g.value_fen, g.quantity, g.unit, g.unit_value_fen)
                      for g in entries.goods_lines(ledger, entry_id)]
    for line in reversed_goods:
        _refuse_negative_item(ledger, line, entry_id, date)
    return entries.insert_entry(ledger, "void", date.isoformat(), reversed_postings,
                                note=reason, void_of=entry_id, goods=reversed_goods)


def _refuse_negative(ledger: Ledger, posting: Posting, entry_id: int, date: dt.date) -> None:
    """A void takes out what its entry brought in, from its own date on: the fund must hold it then
    and on every later day."""
    cash, goods, principal = fund_rows.balance(ledger, posting.fund_id)
    fund = fund_rows.fund_by_id(ledger, posting.fund_id)
    free, low_goods = fund_rows.lowest_from(ledger, posting.fund_id, date.isoformat())
    if (cash + posting.cash_fen < principal + posting.principal_fen or goods + posting.goods_fen < 0
            or free + posting.cash_fen - posting.principal_fen < 0 or low_goods + posting.goods_fen < 0):
        raise Refused(_(
            "voiding #{id} would leave fund {fund!r} below zero (it holds {cash} 元 cash, {goods} 元 goods): "
            "the money has been spent since; void the later spending first").format(
            id=entry_id, fund=fund.name, cash=yuan(cash), goods=yuan(goods)))


def _refuse_negative_item(ledger: Ledger, line: GoodsLine, entry_id: int, date: dt.date) -> None:
    if line.value_fen >= 0:
        return
    value, quantities = fund_rows.item_stock(ledger, line.fund_id, date.isoformat()).get(line.item, (0, {}))
    held = quantities.get(line.unit or "")
    short_quantity = line.quantity is not None and held is not None and held < Decimal(line.quantity)
    if value + line.value_fen < 0 or short_quantity:
        fund = fund_rows.fund_by_id(ledger, line.fund_id)
        raise Refused(_(
            "voiding #{id} would take {item} out of fund {fund!r}, which holds only {value} 元 of it "
            "(the goods have been handed out since); void the later hand-outs first").format(
            id=entry_id, item=line.item, fund=fund.name, value=yuan(max(value, 0))))
