"""The accountant's opening balances and adjustments of the financial statements: the lines the
ledger does not hold (fixed assets, payables, staff costs …). Each is one row, never edited; a
wrong one is voided by a reversing row. Entries are stored by role, so they mean the same line
whichever chart profile renders the statements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from charitybook import charts
from charitybook.charts import Line
from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import periods
from charitybook.ledger import statements as rows
from charitybook.money import plain, to_fen
from charitybook.services import Refused, names


@dataclass(frozen=True)
class Entered:
    id: int
    kind: str
    year: int
    line: Line
    amount_fen: int


def check_year(ledger: Ledger, year: int) -> None:
    """The one place an entry's year is checked: in full, and not a closed year."""
    if not 1990 <= year <= 2200:
        raise Refused(_("year {year}: give the year in full").format(year=year))
    periods.require_open(ledger, f"{year:04d}-01-01")


def find_line(year: int, name: str) -> Line:
    """A statement line by name in the chart in force for ``year`` (or, failing that, in another)."""
    in_force = charts.in_force(year)
    for chart in (in_force, *(charts.charts()[key] for key in charts.keys() if key != in_force.key)):
        line = chart.find(name)
        if line is not None:
            return line
    raise names.unknown(_("statement line"), name, in_force.entry_names(),
                        _("see the lines in `charitybook report statements --year {year}`; totals cannot be entered").format(year=year))


def enter(ledger: Ledger, kind: str, year: int, line_name: str, amount: Decimal, *, restricted: bool = False,
          decrease: bool = False, note: str | None = None) -> Entered:
    """An opening balance (a balance-sheet line at the start of ``year``) or an adjustment (what a
    line moves by in ``year``)."""
    line = find_line(year, line_name)
    fen = to_fen(amount)
    if not fen:
        raise Refused(_("an entry of 0.00 元 changes nothing"), _("give the amount with --amount"))
    if kind == "opening" and line.statement != "position":
        raise Refused(_("{line} is not a balance-sheet line: an opening balance is for 资产负债表 lines").format(line=line.line),
                      _("enter this year's amount with `charitybook statement adjust`"))
    if restricted and line.statement != "activities":
        raise Refused(_("{line} has no restricted column").format(line=line.line),
                      _("--restricted is for 业务活动表 lines; restricted net assets are the line 限定性净资产"))
    fen = -fen if decrease else fen
    with ledger.write():
        check_year(ledger, year)
        entry_id = rows.insert_entry(ledger, kind, year, line.roles[0], restricted, fen, note)
        ledger.audit(f"statement {kind}", {"entry": entry_id, "year": year, "line": line.line, "role": line.roles[0],
                                           "restricted": restricted, "amount": plain(fen), "note": note})
    return Entered(entry_id, kind, year, line, fen)


def void(ledger: Ledger, entry_id: int, reason: str) -> int:
    if not reason.strip():
        raise Refused(_("a void needs --reason"))
    with ledger.write():
        original = rows.entry(ledger, entry_id)
        if original is None:
            raise Refused(_("no statement entry #{id}").format(id=entry_id), _("see `charitybook statement list`"))
        if original["kind"] == "void":
            raise Refused(_("statement entry #{id} is itself a void; enter the line again instead").format(id=entry_id))
        if original["voided_by"]:
            raise Refused(_("statement entry #{id} was already voided by #{by}").format(id=entry_id, by=original["voided_by"]))
        check_year(ledger, original["year"])
        void_id = rows.insert_entry(ledger, "void", original["year"], original["role"], bool(original["restricted"]),
                                    -original["amount_fen"], reason, void_of=entry_id)
        ledger.audit("statement void", {"entry": entry_id, "void": void_id, "reason": reason})
    return void_id


def entries(ledger: Ledger, year: int | None = None) -> list[dict]:
    """The entries (voids too) with the line each is on in the chart in force for its year."""
    with ledger.read():
        found = rows.entries(ledger, year)
    result = []
    for row in found:
        if year is not None and row["year"] != year:
            continue
        chart = charts.in_force(row["year"])
        line = next((line for s in charts.STATEMENTS for line in chart.lines(s) if row["role"] in line.roles), None)
        result.append({**row, "line": line.line if line else row["role"], "row": line.row if line else None,
                       "statement": line.statement if line else None})
    return result


def releases(ledger: Ledger, year: int) -> list[dict]:
    """The release from restriction of ``year``, one line per restricted fund: what it spent on
    its purpose plus what it moved to the general fund (财会〔2020〕9号: released when used, by the
    amount used), beside what the accountant booked when confirming (``booked``, None while the
    year's release is unconfirmed). Spending can never exceed what a fund holds, nor touch an
    endowment's principal, so the release never exceeds the restricted balance and never releases
    principal. Funds with nothing proposed or booked are left out."""
    with ledger.read():
        found = rows.releases(ledger, year)
        booked = rows.confirmation(ledger, year)
    lines = booked[1] if booked else {}
    result = []
    for row in found:
        proposed = row["spent"] + row["moved"]
        if proposed or row["id"] in lines:
            result.append({**row, "released": proposed, "booked": lines.get(row["id"], 0) if booked else None})
    return result


@dataclass(frozen=True)
class Confirmed:
    id: int
    year: int
    by: str
    released_fen: int
    funds: int


def confirm_release(ledger: Ledger, year: int, on: dt.date, by: str, note: str | None = None) -> Confirmed:
    """Book the release as proposed now, confirmed on ``on`` (in or after the year). Refused in a
    closed year, and when it would book exactly what the latest confirmation already booked."""
    if not by.strip():
        raise Refused(_("a confirmation needs --by (who confirms the release)"))
    if on.year < year:
        raise Refused(_("the release of {year} cannot be confirmed on {date}, before the year began").format(
            year=year, date=on.isoformat()), _("give --date {year}-12-31 or later").format(year=year))
    with ledger.write():
        check_year(ledger, year)
        proposed = {row["id"]: row["spent"] + row["moved"] for row in rows.releases(ledger, year) if row["spent"] or row["moved"]}
        latest = rows.confirmation(ledger, year)
        if latest is not None and latest[1] == proposed:
            raise Refused(_("the release of {year} was already confirmed as it stands (#{id} by {by}, {at})").format(
                year=year, id=latest[0]["id"], by=latest[0]["by_name"], at=latest[0]["confirmed_on"]))
        if latest is None and not proposed:
            raise Refused(_("no restricted fund spent anything in {year}: there is no release to confirm").format(year=year))
        confirmation = rows.insert_confirmation(ledger, year, on.isoformat(), by.strip(), note, proposed)
        ledger.audit("statement release confirm", {"confirmation": confirmation, "year": year, "by": by.strip(),
                                                   "lines": {str(k): plain(v) for k, v in proposed.items()}})
    return Confirmed(confirmation, year, by.strip(), sum(proposed.values()), len(proposed))
