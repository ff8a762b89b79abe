"""Funds, their balances and stock."""

from __future__ import annotations

from decimal import Decimal

from charitybook.ledger import Ledger, now
from charitybook.models import Fund


def insert_fund(ledger: Ledger, name: str, kind: str, *, project: str | None = None,
                sponsor: str | None = None, note: str | None = None, station_id: int | None = None) -> Fund:
    row = {"name": name, "kind": kind, "project": project, "sponsor": sponsor, "note": note, "created_at": now()}
    if station_id is not None:  # a ledger made at an older schema (the migration tests) has no such column
        row["station_id"] = station_id
    fund_id = ledger.insert("funds", row)
    ledger.conn.execute("INSERT INTO fund_balances (fund_id) VALUES (?)", (fund_id,))
    return Fund(fund_id, name, kind, project, sponsor, note)


def _fund(row) -> Fund:
    return Fund(row["id"], row["name"], row["kind"], row["project"], row["sponsor"], row["note"])


def fund_by_name(ledger: Ledger, name: str) -> Fund | None:
    rows = list(ledger.query("SELECT * FROM funds WHERE name = ?", [name]))
    return _fund(rows[0]) if rows else None


def fund_by_project(ledger: Ledger, project: str) -> Fund | None:
    rows = list(ledger.query("SELECT * FROM funds WHERE project = ?", [project]))
    return _fund(rows[0]) if rows else None


def project_names(ledger: Ledger) -> list[str]:
    """The projects that have a fund."""
    return [row[0] for row in ledger.conn.execute("SELECT project FROM funds WHERE project IS NOT NULL ORDER BY id")]


def fund_by_id(ledger: Ledger, fund_id: int) -> Fund:
    return _fund(next(ledger.query("SELECT * FROM funds WHERE id = ?", [fund_id])))


def general_fund(ledger: Ledger) -> Fund:
    return _fund(next(ledger.query("SELECT * FROM funds WHERE kind = 'general' ORDER BY id LIMIT 1")))


def all_funds(ledger: Ledger) -> list[Fund]:
    return [_fund(row) for row in ledger.query("SELECT * FROM funds ORDER BY id")]


def balance(ledger: Ledger, fund_id: int) -> tuple[int, int, int]:
    """(cash, goods, principal) in fen, as the running balance holds them."""
    row = ledger.conn.execute(
        "SELECT cash_fen, goods_fen, principal_fen FROM fund_balances WHERE fund_id = ?", (fund_id,)
    ).fetchone()
    return tuple(row)  # type: ignore[return-value]


def lowest_from(ledger: Ledger, fund_id: int, date: str) -> tuple[int, int]:
    """The fund's lowest spendable cash (cash less endowment principal) and goods value on any day
    from ``date`` on, counting every entry up to that day: what may still be taken out on ``date``
    without the fund going below zero on that day or any later one."""
    later = ledger.conn.execute("SELECT 1 FROM postings WHERE fund_id = ? AND date > ? LIMIT 1", (fund_id, date)).fetchone()
    if later is None:  # nothing dated after it: today's balance is the one that counts
        cash, goods, principal = balance(ledger, fund_id)
        return cash - principal, goods
    row = ledger.conn.execute(
        """WITH daily AS (SELECT date, sum(cash_fen - principal_fen) AS free, sum(goods_fen) AS goods
                            FROM postings WHERE fund_id = :fund GROUP BY date),
                running AS (SELECT date, sum(free) OVER (ORDER BY date) AS free, sum(goods) OVER (ORDER BY date) AS goods
                              FROM daily)
           SELECT min(free), min(goods) FROM (
               SELECT free, goods FROM running WHERE date >= :date
               UNION ALL  -- the day itself, when nothing is dated on it: what the days before left
               SELECT coalesce((SELECT free FROM running WHERE date < :date ORDER BY date DESC LIMIT 1), 0),
                      coalesce((SELECT goods FROM running WHERE date < :date ORDER BY date DESC LIMIT 1), 0)
                WHERE NOT EXISTS (SELECT 1 FROM daily WHERE date = :date))""",
        {"fund": fund_id, "date": date}).fetchone()
    return row[0], row[1]


def item_stock(ledger: Ledger, fund_id: int, date: str | None = None) -> dict[str, tuple[int, dict[str, Decimal]]]:
    """A fund's goods by item: value in fen, and quantity per unit where recorded. With ``date``,
    the lowest each item holds on ``date`` or any later day (see ``lowest_from``)."""
    held: dict[str, list] = {}   # item -> [value, {unit: quantity}, lowest value, {unit: lowest quantity}]
    for item, day, value_fen, quantity, unit in ledger.conn.execute(
            """SELECT g.item, e.date, g.value_fen, g.quantity, coalesce(g.unit, '') FROM goods_lines g
                 JOIN entries e ON e.id = g.entry_id WHERE g.fund_id = ? ORDER BY e.date, g.id""", (fund_id,)):
        line = held.setdefault(item, [0, {}, None, {}])
        if date is not None and day > date and line[2] is None:
            line[2], line[3] = line[0], dict(line[1])   # nothing on ``date`` itself: what the days before left
        line[0] += value_fen
        if quantity is not None:
            line[1][unit] = line[1].get(unit, Decimal(0)) + Decimal(quantity) * (1 if value_fen >= 0 else -1)
        if date is not None and day >= date:
            line[2] = line[0] if line[2] is None else min(line[2], line[0])
            line[3] = {u: min(line[3].get(u, q), q) for u, q in line[1].items()}
    result = {}
    for item, (value, quantities, low, low_quantities) in held.items():
        if low is not None:
            value, quantities = low, low_quantities
        if value or any(quantities.values()):
            result[item] = (value, quantities)
    return result


def statement(ledger: Ledger, year: int | None) -> list[dict]:
    """Per fund: opening, in, out, closing for cash and goods, over a calendar year or (``year``
    None) all time, when 'opening' is the opening-balance entries. A void counts in the column of
    the entry it reverses, negatively, on its own date.

    Read from the totals kept per year and fund (schema.m005_report_totals): closing is the
    running balance less what came after the year, and opening = closing - in + out."""
    sql = """
    SELECT f.id, f.name, f.kind, f.project, f.sponsor,
           coalesce(m.in_cash, 0) AS in_cash, coalesce(m.out_cash, 0) AS out_cash,
           coalesce(m.in_goods, 0) AS in_goods, coalesce(m.out_goods, 0) AS out_goods,
           b.cash_fen - coalesce(m.later_cash, 0) AS cash,
           b.goods_fen - coalesce(m.later_goods, 0) AS goods,
           b.principal_fen - coalesce(m.later_principal, 0) AS principal
      FROM funds f JOIN fund_balances b ON b.fund_id = f.id
      LEFT JOIN (SELECT fund_id,
                        sum(in_cash) FILTER (WHERE :year IS NULL OR year = :year) AS in_cash,
                        sum(out_cash) FILTER (WHERE :year IS NULL OR year = :year) AS out_cash,
                        sum(in_goods) FILTER (WHERE :year IS NULL OR year = :year) AS in_goods,
                        sum(out_goods) FILTER (WHERE :year IS NULL OR year = :year) AS out_goods,
                        sum(cash_fen) FILTER (WHERE year > :year) AS later_cash,
                        sum(goods_fen) FILTER (WHERE year > :year) AS later_goods,
                        sum(principal_fen) FILTER (WHERE year > :year) AS later_principal
                   FROM posting_totals GROUP BY fund_id) m ON m.fund_id = f.id
     ORDER BY f.id
    """
    rows = list(ledger.query(sql, {"year": year}))
    for row in rows:
        row["opening_cash"] = row["cash"] - row["in_cash"] + row["out_cash"]
        row["opening_goods"] = row["goods"] - row["in_goods"] + row["out_goods"]
    return rows


def stock(ledger: Ledger, fund_id: int | None = None, until: str | None = None) -> list[dict]:
    """Goods on hand per fund and item (at the end of ``until``, or now): value in fen, quantity as
    exact Decimal per unit."""
    sql = """
    SELECT f.name AS fund, g.item, coalesce(g.unit, '') AS unit, g.quantity, g.value_fen
      FROM goods_lines g JOIN funds f ON f.id = g.fund_id JOIN entries e ON e.id = g.entry_id
     WHERE (:fund IS NULL OR g.fund_id = :fund) AND (:until IS NULL OR e.date <= :until)
     ORDER BY f.id, g.item, g.id
    """
    totals: dict[tuple[str, str, str], dict] = {}
    for row in ledger.query(sql, {"fund": fund_id, "until": until}):
        key = (row["fund"], row["item"], row["unit"])
        line = totals.setdefault(key, {"fund": key[0], "item": key[1], "unit": key[2], "quantity": Decimal(0), "value_fen": 0})
        sign = 1 if row["value_fen"] >= 0 else -1
        line["quantity"] += Decimal(row["quantity"] or 0) * sign
        line["value_fen"] += row["value_fen"]
    return [line for line in totals.values() if line["value_fen"] or line["quantity"]]
