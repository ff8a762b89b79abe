"""``report station``: per township station (its villages beneath it and totalled into it) what it
collected, gave out, holds in its own funds at year end, and how many households (persons, where
the roster counts persons) it reached. One context, rendered as Markdown, Excel and JSON.

A station's money is the county association's: these are the same entries every county total
counts, seen by the station that collected or handed them out."""

from __future__ import annotations

from decimal import Decimal

from charitybook.errors import CharitybookError
from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import funds as fund_rows
from charitybook.ledger import reports as q
from charitybook.money import plain, to_fen
from charitybook.services import stations as register_of


def townships_of(ledger: Ledger) -> dict[str, str]:
    """Every registered station's name -> its township's (a township's is its own). Inside the
    caller's read transaction."""
    return {s.name: s.township or s.name for s in register_of.register(ledger).stations}


def fold(rows: list[dict], key: str, townships: dict[str, str]) -> list[dict]:
    """Rows of a report grouped by township or village (``key``), totalled by township: counts and
    money (strings in 元) added, the largest ``amount`` first, ties by name. A name the register
    does not know stays as it is."""
    merged: dict[str, dict] = {}
    for row in rows:
        name = townships.get(row[key], row[key])
        line = merged.get(name)
        if line is None:
            merged[name] = {**row, key: name}
            continue
        for field, value in row.items():
            if field != key:
                line[field] = line[field] + value if isinstance(value, int) else plain(_fen(line[field]) + _fen(value))
    return sorted(merged.values(), key=lambda r: (-_fen(r["amount"]), r[key]))


def _fen(value: str) -> int:
    return to_fen(Decimal(value))


def _figures() -> dict:
    return {"count": 0, "cash": 0, "goods": 0, "relief": {}, "cases": 0, "holiday": 0, "funds": [],
            "fund_cash": 0, "fund_goods": 0, "households": set(), "persons": set()}


def _add(into: dict, part: dict) -> None:
    for key in ("count", "cash", "goods", "cases", "holiday", "fund_cash", "fund_goods"):
        into[key] += part[key]
    for category, line in part["relief"].items():
        mine = into["relief"].setdefault(category, {"count": 0, "cash": 0, "goods": 0})
        for key in mine:
            mine[key] += line[key]
    into["funds"] += part["funds"]
    into["households"] |= part["households"]
    into["persons"] |= part["persons"]


def _gather(ledger: Ledger, year: int, names: set[str]) -> dict[str, dict]:
    """Each station's own figures (fen, sets of people) for the year."""
    own = {name: _figures() for name in names}
    for township, count, cash, goods in q.donations_by_station(ledger, year):
        if township in own:
            own[township].update(count=count, cash=cash, goods=goods)
    for row in q.relief_by_station(ledger):
        if row["station"] in own:
            line = own[row["station"]]
            line["relief"][row["category"]] = {"count": row["count"], "cash": row["cash"], "goods": row["goods"]}
            line["cases"] += row["cases"]
            line["holiday"] += row["holiday"]
    for station, person, unit in q.reached_by_station(ledger):
        if station in own:
            own[station]["persons" if unit == "person" else "households"].add(person)
    owners = q.station_funds(ledger)
    for fund in fund_rows.statement(ledger, year):
        station = owners.get(fund["id"])
        if station in own:
            own[station]["funds"].append({"fund": fund["name"], "kind": fund["kind"], "cash": plain(fund["cash"]),
                                          "goods": plain(fund["goods"])})
            own[station]["fund_cash"] += fund["cash"]
            own[station]["fund_goods"] += fund["goods"]
    return own


def _shown(name: str, line: dict) -> dict:
    relief = sorted(line["relief"].items(), key=lambda item: (-(item[1]["cash"] + item[1]["goods"]), item[0]))
    given_cash = sum(r["cash"] for r in line["relief"].values())
    given_goods = sum(r["goods"] for r in line["relief"].values())
    return {
        "station": name,
        "collected": {"count": line["count"], "cash": plain(line["cash"]), "goods": plain(line["goods"]),
                      "total": plain(line["cash"] + line["goods"])},
        "relief": {"cash": plain(given_cash), "goods": plain(given_goods), "total": plain(given_cash + given_goods),
                   "cases": plain(line["cases"]), "holiday": plain(line["holiday"]),
                   "by_category": [{"category": category, "count": r["count"], "cash": plain(r["cash"]), "goods": plain(r["goods"]),
                                    "amount": plain(r["cash"] + r["goods"])} for category, r in relief]},
        "funds": line["funds"],
        "held": {"cash": plain(line["fund_cash"]), "goods": plain(line["fund_goods"]),
                 "total": plain(line["fund_cash"] + line["fund_goods"])},
        "households": len(line["households"]), "persons": len(line["persons"]),
    }


def station(ledger: Ledger, year: int, name: str | None = None) -> dict:
    """The context of ``report station --year Y [--station S]`` (S: a township or a village, by
    its name or an alias; a village's report is its township's line, whole, with that village only beneath it)."""
    with ledger.read():
        register = register_of.register(ledger)
        chosen = None
        if name:
            chosen = register.find(name)
            if chosen is None:
                raise register.refusal(name)
        q.gather(ledger, year)
        own = _gather(ledger, year, {s.name for s in register.stations})
        townships = []
        for town in (s for s in register.stations if s.level == "township"):
            if chosen and town.name not in (chosen.name, chosen.township):
                continue
            villages = [s for s in register.stations if s.township == town.name]
            total = _figures()   # a township's line is the same whichever of its villages is chosen
            _add(total, own[town.name])
            for village in villages:
                _add(total, own[village.name])
            shown = [v for v in villages if not chosen or chosen.level == "township" or v.name == chosen.name]
            townships.append({**_shown(town.name, total), "villages": [_shown(v.name, own[v.name]) for v in shown]})
        if not register.stations:
            raise CharitybookError(_("no stations registered yet: there is nothing to report by station"),
                                   hint=_("register them with `charitybook station add NAME`"))
        return {"report": "station", "association": ledger.meta("name"), "org_type": ledger.meta("org_type", "social"),
                "year": year, "station_filter": chosen.name if chosen else None, "townships": townships}
