"""Official donation receipts (公益事业捐赠票据): stock received, receipts issued, numbers voided.

charitybook records the finance bureau's numbers; it never makes one up. Which number a receipt
takes, when none is given (``_next_number``): the holder is ``--station``, else the station the
donation names (its township) when that station holds stock with numbers left, else the county
office; of the holder's ranges (of ``--code`` when given) the one received first (then by code
and first number) that still has numbers after its highest used one; the number is the one after
that highest used number (issued or voided) — paper is issued in number order, so a number left
behind is a gap to account for (``receipt gaps``), never filled later by chance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from charitybook.dates import year_bounds
from charitybook.errors import CharitybookError
from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import periods
from charitybook.ledger import receipts as rows
from charitybook.idnumbers import mask
from charitybook.money import daxie
from charitybook.receipt_numbers import number_at, parse_code, parse_number, span
from charitybook.services import Refused, names, stations

MOST_IN_RANGE = 10_000   # a book of paper receipts holds 25-100; a typo in --to must not make a million


@dataclass(frozen=True)
class StockRange:
    id: int
    code: str
    first: str
    last: str
    station: str | None
    received: dt.date


@dataclass(frozen=True)
class IssuedReceipt:
    code: str
    number: str
    kind: str
    station: str | None
    date: dt.date
    donor: str
    amount_fen: int
    donations: tuple[str, ...]
    skipped: tuple[str, ...] = ()   # a donor's gifts of the period already receipted


def _holder(ledger: Ledger, name: str | None) -> str | None:
    """The station holding receipts, by its registered name (an alias names it too): None is the
    county association's own office. The one place a holder is checked."""
    if name is None:
        return None
    return stations.require(ledger, name)


def check_event_date(ledger: Ledger, day: dt.date) -> dt.date:
    """The one place a receipt event's date is checked (stock received, receipt issued, void):
    nothing is dated in a closed year."""
    periods.require_open(ledger, day.isoformat())
    return day


def code(text: str) -> str:
    try:
        return parse_code(text)
    except CharitybookError as error:
        raise Refused(error.message, error.hint) from None


def number(text: str) -> str:
    try:
        return parse_number(text)
    except CharitybookError as error:
        raise Refused(error.message, error.hint) from None


def add_stock(ledger: Ledger, code_text: str, first_text: str, last_text: str, station: str | None,
              received: dt.date) -> StockRange:
    """Paper receipts received from the finance bureau (or handed on to a station)."""
    receipt_code, first, last = code(code_text), number(first_text), number(last_text)
    if last < first:
        raise Refused(_("--to {last} comes before --from {first}").format(first=first, last=last))
    if span(first, last) > MOST_IN_RANGE:
        raise Refused(_("{first}–{last} holds {n} numbers; a range holds at most {most}").format(
            first=first, last=last, n=f"{span(first, last):,}", most=f"{MOST_IN_RANGE:,}"),
            hint=_("check --to, or add the books one range at a time"))
    with ledger.write():
        holder = _holder(ledger, station)
        day = check_event_date(ledger, received)
        clash = rows.overlapping_stock(ledger, receipt_code, first, last)
        if clash:
            raise Refused(_("{code} {first}–{last} overlaps the stock {code} {old_first}–{old_last} received {date} ({holder}): "
                            "numbers {from_}–{to} are already in stock").format(
                code=receipt_code, first=first, last=last, old_first=clash["first"], old_last=clash["last"],
                date=clash["received"], holder=holder_name(clash["station"]),
                from_=max(first, clash["first"]), to=min(last, clash["last"])),
                hint=_("see `charitybook receipt stock list`"))
        stock_id = rows.insert_stock(ledger, receipt_code, first, last, holder, day.isoformat())
        ledger.audit("receipt stock add", {"code": receipt_code, "first": first, "last": last, "station": holder})
    return StockRange(stock_id, receipt_code, first, last, holder, day)


def holder_name(station: str | None) -> str:
    return station or _("county office")


def stock_list(ledger: Ledger) -> list[dict]:
    with ledger.read():
        found = rows.stock(ledger)
    for row in found:
        row["holder"] = holder_name(row["station"])
        row["count"] = span(row["first"], row["last"])
        row["on_hand"] = row["count"] - row["issued"] - row["spoiled"]
    return found


def _next_number(ledger: Ledger, holders: list[str | None], wanted_code: str | None) -> tuple[dict, str]:
    for holder in holders:
        for stock in rows.stock(ledger, holder, any_station=False):
            if wanted_code and stock["code"] != wanted_code:
                continue
            following = number_at(stock["highest"], 1) if stock["highest"] else stock["first"]
            if following <= stock["last"]:
                return stock, following
    where = "、".join(holder_name(h) for h in holders)
    raise Refused(_("{holder} holds no unused paper receipts{code}").format(
        holder=where, code=f" ({wanted_code})" if wanted_code else ""),
        hint=_("record the receipts received with `charitybook receipt stock add`, or give --number"))


def _given_number(ledger: Ledger, receipt_code: str | None, wanted: str) -> tuple[dict, str]:
    if receipt_code is None:
        raise Refused(_("--number needs --code (the 票据代码 of the receipt)"))
    stock = rows.stock_holding(ledger, receipt_code, wanted)
    if stock is None:
        raise Refused(_("{code} {number} is in no stock range: charitybook records the numbers received, it never "
                        "makes one up").format(code=receipt_code, number=wanted),
                      hint=_("record the range first with `charitybook receipt stock add`"))
    used = rows.number_used(ledger, receipt_code, wanted)
    if used:
        raise Refused(_("{code} {number} was already {how} on {date}; a receipt number is never used twice").format(
            code=receipt_code, number=wanted, how=_("issued") if used["how"] == "issued" else _("voided"),
            date=used["date"]))
    return stock, wanted


def _donation(ledger: Ledger, text: str) -> dict:
    """A donation by its charitybook number, ``2021-000123``."""
    parts = text.strip().split("-")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        raise Refused(_("{value!r} is not a donation number such as 2021-000123").format(value=text),
                      hint=_("see the Receipt column of `charitybook list donations`"))
    found = rows.donation_by_number(ledger, int(parts[0]), int(parts[1]))
    if found is None:
        raise Refused(_("no donation {value} in the ledger").format(value=text),
                      hint=_("see the Receipt column of `charitybook list donations`"))
    if found["voided_by"]:
        raise Refused(_("donation {value} was voided (by #{by}): a voided gift is not receipted").format(
            value=found["donation"], by=found["voided_by"]))
    standing = rows.standing_receipt_of(ledger, found["entry_id"])
    if standing:
        raise Refused(_("donation {value} already has receipt {code} {number} (issued {date})").format(
            value=found["donation"], code=standing["code"], number=standing["number"], date=standing["date"]),
            hint=_("a gift is receipted once; void that receipt first (`charitybook receipt void {code} {number}`) to "
                   "issue another").format(code=standing["code"], number=standing["number"]))
    return found


def _donor_gifts(ledger: Ledger, donor: str, year: int) -> tuple[list[dict], list[str]]:
    """A donor's standing gifts of a year with no receipt yet, and those already receipted."""
    found = rows.donors_named(ledger, donor)
    if not found:
        raise names.unknown(_("donor"), donor, rows.donor_names(ledger))
    if len(found) > 1:
        raise Refused(_("{n} donors are named {name!r}: name their gifts with --donation instead").format(
            n=len(found), name=donor))
    gifts = rows.standing_donations(ledger, [found[0]["id"]], *year_bounds(year))
    done = [f"{gift['donation']} ({gift['receipt']})" for gift in gifts if gift["receipt"]]
    open_gifts = [gift for gift in gifts if not gift["receipt"]]
    if not open_gifts:
        raise Refused(_("{name} has no gift in {year} without a receipt").format(name=donor, year=year)
                      + (_(" (already receipted: {gifts})").format(gifts="、".join(done)) if done else ""))
    return open_gifts, done


@dataclass(frozen=True)
class IssueRequest:
    donations: tuple[str, ...] = ()
    donor: str | None = None
    year: int | None = None
    code: str | None = None
    number: str | None = None
    station: str | None = None
    issuer: str = ""
    reviewer: str | None = None
    date: dt.date | None = None


def issue(ledger: Ledger, request: IssueRequest) -> IssuedReceipt:
    """A paper receipt for one donation, or an aggregate one for several gifts of one donor."""
    if bool(request.donations) == bool(request.donor):
        raise Refused(_("name the gifts: --donation NUMBER (repeatable), or --donor NAME --year YEAR"))
    if request.donor and not request.year:
        raise Refused(_("--donor needs --year (the gifts of that year without a receipt)"))
    if not request.issuer.strip():
        raise Refused(_("a receipt needs --by (开票人)"))
    receipt_code = code(request.code) if request.code else None
    wanted = number(request.number) if request.number else None
    with ledger.write():
        if request.donations:
            gifts, skipped = [_donation(ledger, text) for text in dict.fromkeys(request.donations)], []
        else:
            gifts, skipped = _donor_gifts(ledger, request.donor, request.year)
        donors = {gift["donor_id"] for gift in gifts}
        if len(donors) > 1:
            raise Refused(_("one receipt is for one donor; these gifts are from {donors}").format(
                donors="、".join(sorted({gift["donor"] for gift in gifts}))))
        day = check_event_date(ledger, request.date or dt.date.today())
        latest = max(gift["date"] for gift in gifts)
        if day.isoformat() < latest:
            raise Refused(_("a receipt dated {date} would come before the gift it is for, dated {gift}: a receipt is "
                            "never issued in advance").format(date=day.isoformat(), gift=latest))
        if wanted:
            stock, chosen = _given_number(ledger, receipt_code, wanted)
        else:
            holders = [_holder(ledger, request.station)] if request.station else _default_holders(ledger, gifts)
            stock, chosen = _next_number(ledger, holders, receipt_code)
        if stock["received"] > day.isoformat():
            raise Refused(_("{code} {number} was received on {received}, after {date}").format(
                code=stock["code"], number=chosen, received=stock["received"], date=day.isoformat()))
        amount = sum(gift["cash_fen"] + gift["goods_fen"] for gift in gifts)
        rows.insert_receipt(ledger, code=stock["code"], number=chosen, kind="paper", stock_id=stock["id"],
                            station=stock["station"], date=day.isoformat(), donor_id=gifts[0]["donor_id"],
                            amount_fen=amount, issuer=request.issuer.strip(), reviewer=request.reviewer, source=None,
                            entry_ids=[gift["entry_id"] for gift in gifts])
        ledger.audit("receipt issue", {"code": stock["code"], "number": chosen,
                                       "donations": [gift["donation"] for gift in gifts], "amount_fen": amount})
    return IssuedReceipt(stock["code"], chosen, "paper", stock["station"], day, gifts[0]["donor"], amount,
                         tuple(gift["donation"] for gift in gifts), tuple(skipped))


def _default_holders(ledger: Ledger, gifts: list[dict]) -> list[str | None]:
    """Whose stock a receipt comes from when no --station is given: the station each gift names,
    if it holds stock; for a village liaison point without stock, its township's station; else
    the county office (None)."""
    register = stations.register(ledger)
    candidates = []
    for gift in gifts:
        station = register.find(gift["township"])
        if station is not None:
            candidates += [station.name] + ([station.township] if station.township else [])
    return list(dict.fromkeys([*(name for name in candidates if _holds(ledger, name)), None]))


def _holds(ledger: Ledger, station: str) -> bool:
    return bool(rows.stock(ledger, station, any_station=False))


def void(ledger: Ledger, code_text: str, number_text: str, reason: str, operator: str | None,
         date: dt.date | None = None) -> dict:
    """作废 a paper receipt (or a spoiled blank of the stock), 冲红 an electronic one: an event; the
    number is never used again."""
    receipt_code, wanted = code(code_text), number(number_text)
    if not reason.strip():
        raise Refused(_("a void needs --reason"))
    with ledger.write():
        day = check_event_date(ledger, date or dt.date.today())
        found = rows.receipt(ledger, receipt_code, wanted)
        if found is None:
            used = rows.number_used(ledger, receipt_code, wanted)
            if used:
                raise Refused(_("{code} {number} was already voided on {date}").format(
                    code=receipt_code, number=wanted, date=used["date"]))
            stock = rows.stock_holding(ledger, receipt_code, wanted)
            if stock is None:
                raise Refused(_("no receipt {code} {number}, and it is in no stock range").format(
                    code=receipt_code, number=wanted), hint=_("see `charitybook receipt list` and `receipt stock list`"))
            if day.isoformat() < stock["received"]:
                raise Refused(_("{code} {number} was received on {received}: a void dated {date} would come before it").format(
                    code=receipt_code, number=wanted, received=stock["received"], date=day.isoformat()))
            action, receipt_id = "void", None   # a blank spoiled before use
        else:
            if found["state"] == "voided":
                raise Refused(_("{code} {number} was already voided on {date} ({reason})").format(
                    code=receipt_code, number=wanted, date=found["void_date"], reason=found["void_reason"]))
            if day.isoformat() < found["date"]:
                raise Refused(_("a void dated {date} would come before the receipt, dated {issued}").format(
                    date=day.isoformat(), issued=found["date"]))
            action, receipt_id = ("red" if found["kind"] == "electronic" else "void"), found["id"]
        rows.insert_event(ledger, receipt_code, wanted, receipt_id, action, reason.strip(), operator, day.isoformat())
        ledger.audit("receipt void", {"code": receipt_code, "number": wanted, "action": action, "reason": reason})
    return {"code": receipt_code, "number": wanted, "action": action, "date": day.isoformat(),
            "donations": found["donations"] if found else None}



def receipt_list(ledger: Ledger, year: int | None = None, station: str | None = None,
                 state: str | None = None) -> list[dict]:
    """Receipts with their state; credit codes and IDs masked."""
    start, end = year_bounds(year) if year else (None, None)
    with ledger.read():
        station = _holder(ledger, station)
        found = rows.receipts(ledger, start=start, end=end, station=station, state=state)
    return [{**row, "id_code": mask(row["id_code"]), "holder": holder_name(row["station"])} for row in found]


def show(ledger: Ledger, code_text: str, number_text: str) -> dict:
    """One receipt as it reads: donor (credit code / ID masked), items, amount in figures and in
    capitals, date, 开票人/复核人, state."""
    receipt_code, wanted = code(code_text), number(number_text)
    with ledger.read():
        found = rows.receipt(ledger, receipt_code, wanted)
        if found is None:
            raise Refused(_("no receipt {code} {number} in the ledger").format(code=receipt_code, number=wanted),
                          hint=_("see `charitybook receipt list`"))
        lines = rows.items(ledger, rows.receipt_entries(ledger, found["id"]))
    return {**found, "id_code": mask(found["id_code"]), "holder": holder_name(found["station"]),
            "daxie": daxie(found["amount_fen"]), "items": receipt_items(lines)}


def receipt_items(lines: list[dict]) -> list[dict]:
    """The receipt's item lines: cash, and goods with name, quantity and unit value."""
    items = []
    for line in lines:
        if line["cash_fen"]:
            items.append({"donation": line["donation"], "item": _("cash donation"), "quantity": None, "unit": None,
                          "unit_value_fen": None, "amount_fen": line["cash_fen"], "project": line["project"]})
        if line["item"]:
            items.append({"donation": line["donation"], "item": line["item"], "quantity": line["quantity"],
                          "unit": line["unit"], "unit_value_fen": line["unit_value_fen"],
                          "amount_fen": line["goods_fen"], "project": line["project"]})
    return items
