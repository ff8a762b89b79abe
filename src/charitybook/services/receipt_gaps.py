"""``receipt gaps``: every number of every range is issued, voided or on hand — and what is not.

For a year: the ranges received by its end, with each number's state at its end. Listed are the
numbers that are not simply issued: ``voided`` (voided in the year), ``skipped`` (on hand while a
later number of its range is used: a paper number left behind, to be found or voided),
``on_hand`` (unused, after the range's highest used number) and ``outside`` (a paper number
issued in the year that lies in no range received by then).
"""

from __future__ import annotations

from charitybook.dates import year_bounds
from charitybook.ledger import Ledger
from charitybook.ledger import receipts as rows
from charitybook.receipt_numbers import number_at, span

STATES = ("voided", "skipped", "on_hand", "outside")


def gaps(ledger: Ledger, year: int) -> list[dict]:
    start, end = year_bounds(year)
    with ledger.read():
        ranges = rows.stock(ledger, upto=end)
        used = {(row["code"], row["number"]): row for row in rows.used_numbers(ledger, end)}
    found: list[dict] = []
    covered: set[tuple[str, str]] = set()
    for stock in ranges:
        numbers = [number_at(stock["first"], i) for i in range(span(stock["first"], stock["last"]))]
        highest = max((n for n in numbers if (stock["code"], n) in used), default=None)
        for n in numbers:
            key = (stock["code"], n)
            covered.add(key)
            row = used.get(key)
            if row is None:
                state = "skipped" if highest and n < highest else "on_hand"
            elif row["state"] == "voided":
                if row["void_date"] < start:
                    continue
                state = "voided"
            else:
                continue
            found.append(_finding(stock["code"], n, state, stock["station"], row))
    for key, row in used.items():
        if key not in covered and row["kind"] == "paper" and row["date"] >= start:
            found.append(_finding(key[0], key[1], "outside", row["station"], row))
    return sorted(found, key=lambda f: (f["code"], f["number"]))


def _finding(code: str, number: str, state: str, station: str | None, row: dict | None) -> dict:
    return {"code": code, "number": number, "state": state, "station": station,
            "donation": (row or {}).get("donations")}


def runs(found: list[dict]) -> list[dict]:
    """Consecutive numbers of one code, state and holder as one row (``first``–``last``,
    ``count``), for a table a person reads; the JSON keeps one object per number."""
    merged: list[dict] = []
    for finding in found:
        last = merged[-1] if merged else None
        if (last and (last["code"], last["state"], last["station"]) == (finding["code"], finding["state"], finding["station"])
                and int(finding["number"]) == int(last["last"]) + 1 and not finding["donation"] and not last["donation"]):
            last["last"], last["count"] = finding["number"], last["count"] + 1
        else:
            merged.append({**finding, "first": finding["number"], "last": finding["number"], "count": 1})
    return merged
