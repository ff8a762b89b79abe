"""Money and goods going out or moving: disbursements, purchases, transfers."""

from __future__ import annotations

import dataclasses

from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import disbursements as rows
from charitybook.ledger.entries import GoodsLine, Posting, insert_entry
from charitybook.models import Fund, NewDisbursement, Recorded
from charitybook.vocabulary import PURPOSES
from charitybook.money import to_fen
from charitybook.quantities import unit_value_of
from charitybook.services import Refused, require_cash, resolve_fund, stations, take_goods


def validate_disbursement(item: NewDisbursement) -> None:
    if item.purpose not in PURPOSES.codes:
        raise Refused(_("unknown purpose {value!r}; one of: {choices}").format(value=item.purpose, choices=PURPOSES.choices()))
    if item.amount <= 0 and item.goods is None:
        raise Refused(_("a disbursement needs --amount (cash) or --goods with a value"))
    if not item.payee.strip():
        raise Refused(_("a disbursement needs a payee"))


def write_disbursement(ledger: Ledger, item: NewDisbursement, fund: Fund) -> int:
    """Check the fund can pay, then write entry, posting, goods line and detail row."""
    cash_fen = to_fen(item.amount)
    goods_fen = to_fen(item.goods.value) if item.goods else 0
    if cash_fen:
        require_cash(ledger, fund, cash_fen, item.date)
    lines = []
    if item.goods:
        g = take_goods(ledger, fund, item.goods, item.date)
        lines.append(GoodsLine(fund.id, g.item, -goods_fen, str(g.quantity) if g.quantity is not None else None,
                               g.unit, to_fen(g.unit_value) if g.unit_value is not None else None))
    entry_id = insert_entry(ledger, "disbursement", item.date.isoformat(),
                            [Posting(fund.id, -cash_fen, -goods_fen)], note=item.note, goods=lines,
                            batch_id=item.batch_id, source=str(item.source) if item.source else None)
    rows.insert_disbursement(ledger, {
        "entry_id": entry_id, "fund_id": fund.id, "payee": item.payee.strip(), "purpose": item.purpose,
        "category": item.category, "cash_fen": cash_fen, "goods_fen": goods_fen, "township": item.township,
        "beneficiary_id": item.beneficiary_id, "case_id": item.case_id, "campaign_id": item.campaign_id,
        "household_size": item.household_size, "hardship_type": item.hardship_type,
    })
    return entry_id


def add_disbursement(ledger: Ledger, item: NewDisbursement, *, new_township: bool = False) -> Recorded:
    validate_disbursement(item)
    with ledger.write():
        item = dataclasses.replace(item, township=stations.named(ledger, item.township, new=new_township))
        fund = resolve_fund(ledger, item.fund, item.project)
        entry_id = write_disbursement(ledger, item, fund)
        summary = {"payee": item.payee, "amount": item.amount, "goods": item.goods, "fund": fund.name,
                   "purpose": item.purpose, "category": item.category, "date": item.date}
        ledger.audit("add-disbursement", {**summary, "entry": entry_id})
    return Recorded(entry_id, "disbursement", summary)


def add_purchase(ledger: Ledger, item: str, amount, date, quantity, unit: str | None,
                 fund: str | None, project: str | None, note: str | None) -> Recorded:
    """Goods bought with a fund's cash: cash becomes goods stock of the same value. Not an
    expense; the expense is recorded when the goods are handed out."""
    fen = to_fen(amount)
    if fen <= 0:
        raise Refused(_("a purchase needs an amount above zero"))
    with ledger.write():
        target = resolve_fund(ledger, fund, project)
        require_cash(ledger, target, fen, date)
        each = unit_value_of(amount, quantity)
        unit_value = to_fen(each) if each is not None else None
        entry_id = insert_entry(
            ledger, "purchase", date.isoformat(), [Posting(target.id, -fen, fen)], note=note,
            goods=[GoodsLine(target.id, item, fen, str(quantity) if quantity is not None else None, unit, unit_value)],
        )
        summary = {"item": item, "amount": amount, "quantity": quantity, "fund": target.name, "date": date}
        ledger.audit("add-purchase", {**summary, "entry": entry_id})
    return Recorded(entry_id, "purchase", summary)


def add_transfer(ledger: Ledger, source: str, target: str, amount, date, note: str | None) -> Recorded:
    fen = to_fen(amount)
    if fen <= 0:
        raise Refused(_("a transfer needs an amount above zero"))
    with ledger.write():
        from_fund, to_fund = resolve_fund(ledger, source, None), resolve_fund(ledger, target, None)
        if from_fund.id == to_fund.id:
            raise Refused(_("a transfer needs two different funds"))
        require_cash(ledger, from_fund, fen, date)
        entry_id = insert_entry(ledger, "transfer", date.isoformat(),
                                [Posting(from_fund.id, -fen), Posting(to_fund.id, fen)], note=note)
        summary = {"from": from_fund.name, "to": to_fund.name, "amount": amount, "date": date}
        ledger.audit("transfer", {**summary, "entry": entry_id})
    return Recorded(entry_id, "transfer", summary)


