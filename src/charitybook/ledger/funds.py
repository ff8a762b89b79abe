"""Funds, their balances and stock."""

from __future__ import annotations

from decimal import Decimal

from charitybook.ledger import Ledger, now
from charitybook.models import Fund


def insert_fund(ledger: Ledger, name: str, kind: str, *, project: str | None = None,
                sponsor: str | None = None, note: str | None = None) -> Fund:
    fund_id = ledger.db["funds"].insert(
        {"name": name, "kind": kind, "project": project, "sponsor": sponsor, "note": note, "created_at": now()}
    ).last_pk
    ledger.conn.execute("INSERT INTO fund_balances (fund_id) VALUES (?)", (fund_id,))
    return Fund(fund_id, name, kind, project, sponsor, note)


def _fund(row) -> Fund:
    return Fund(row["id"], row["name"], row["kind"], row["project"], row["sponsor"], row["note"])


def fund_by_name(ledger: Ledger, name: str) -> Fund | None:
    rows = list(ledger.db.query("SELECT * FROM funds WHERE name = ?", [name]))
    return _fund(rows[0]) if rows else None


def fund_by_project(ledger: Ledger, project: str) -> Fund | None:
    rows = list(ledger.db.query("SELECT * FROM funds WHERE project = ?", [project]))
    return _fund(rows[0]) if rows else None


def fund_by_id(ledger: Ledger, fund_id: int) -> Fund:
    return _fund(next(ledger.db.query("SELECT * FROM funds WHERE id = ?", [fund_id])))


def general_fund(ledger: Ledger) -> Fund:
    return _fund(next(ledger.db.query("SELECT * FROM funds WHERE kind = 'general' ORDER BY id LIMIT 1")))


def all_funds(ledger: Ledger) -> list[Fund]:
    return [_fund(row) for row in ledger.db.query("SELECT * FROM funds ORDER BY id")]


def balance(ledger: Ledger, fund_id: int) -> tuple[int, int, int]:
    """(cash, goods, principal) in fen, as the running balance holds them."""
    row = ledger.conn.execute(
        "SELECT cash_fen, goods_fen, principal_fen FROM fund_balances WHERE fund_id = ?", (fund_id,)
    ).fetchone()
    return tuple(row)  # type: ignore[return-value]


def statement(ledger: Ledger, start: str | None, end: str | None) -> list[dict]:
    """Per fund: opening, in, out, closing for cash and goods over [start, end] (ISO dates).

    Without ``start`` the period is all time and 'opening' is the opening-balance entries.
    A void counts in the column of the entry it reverses, negatively.
    """
    start = start or "0000-00-00"
    end = end or "9999-99-99"
    sql = """
    WITH p AS (
        SELECT p.fund_id, e.kind, e.date, p.cash_fen, p.goods_fen, p.principal_fen,
               CASE WHEN e.kind = 'void' THEN -1 ELSE 1 END AS dir
          FROM postings p JOIN entries e ON e.id = p.entry_id
         WHERE e.date <= :end
    )
    SELECT f.id, f.name, f.kind, f.project, f.sponsor,
      coalesce(sum(CASE WHEN p.date < :start OR p.kind = 'opening' THEN p.cash_fen END), 0) AS opening_cash,
      coalesce(sum(CASE WHEN p.date >= :start AND p.kind != 'opening' AND p.cash_fen * p.dir > 0 THEN p.cash_fen END), 0) AS in_cash,
      coalesce(sum(CASE WHEN p.date >= :start AND p.kind != 'opening' AND p.cash_fen * p.dir < 0 THEN -p.cash_fen END), 0) AS out_cash,
      coalesce(sum(CASE WHEN p.date < :start OR p.kind = 'opening' THEN p.goods_fen END), 0) AS opening_goods,
      coalesce(sum(CASE WHEN p.date >= :start AND p.kind != 'opening' AND p.goods_fen * p.dir > 0 THEN p.goods_fen END), 0) AS in_goods,
      coalesce(sum(CASE WHEN p.date >= :start AND p.kind != 'opening' AND p.goods_fen * p.dir < 0 THEN -p.goods_fen END), 0) AS out_goods,
      coalesce(sum(p.cash_fen), 0) AS cash,
      coalesce(sum(p.goods_fen), 0) AS goods,
      coalesce(sum(p.principal_fen), 0) AS principal
    FROM funds f LEFT JOIN p ON p.fund_id = f.id
    GROUP BY f.id ORDER BY f.id
    """
    return list(ledger.db.query(sql, {"start": start, "end": end}))


def stock(ledger: Ledger, fund_id: int | None = None) -> list[dict]:
    """Goods on hand per fund and item: value in fen, quantity as exact Decimal (for the record;
    stock is checked by value because rosters often give only an appraised 折价)."""
    where = "WHERE g.fund_id = :fund" if fund_id else ""
    sql = f"""
    SELECT f.name AS fund, g.item, coalesce(g.unit, '') AS unit, g.quantity, g.value_fen
      FROM goods_lines g JOIN funds f ON f.id = g.fund_id {where} ORDER BY f.id, g.item, g.id
    """
    totals: dict[tuple[str, str, str], dict] = {}
    for row in ledger.db.query(sql, {"fund": fund_id}):
        key = (row["fund"], row["item"], row["unit"])
        line = totals.setdefault(key, {"fund": key[0], "item": key[1], "unit": key[2], "quantity": Decimal(0), "value_fen": 0})
        sign = 1 if row["value_fen"] >= 0 else -1
        line["quantity"] += Decimal(row["quantity"] or 0) * sign
        line["value_fen"] += row["value_fen"]
    return [line for line in totals.values() if line["value_fen"] or line["quantity"]]
