"""The journal: entries, their postings per fund and their goods lines."""

from __future__ import annotations

from dataclasses import dataclass

from charitybook.ledger import Ledger, now, periods


@dataclass(frozen=True)
class Posting:
    fund_id: int
    cash_fen: int = 0
    goods_fen: int = 0
    principal_fen: int = 0


@dataclass(frozen=True)
class GoodsLine:
    fund_id: int
    item: str
    value_fen: int  # + into stock, - out of stock
    quantity: str | None = None
    unit: str | None = None
    unit_value_fen: int | None = None


def insert_entry(ledger: Ledger, kind: str, date: str, postings: list[Posting], *,
                 note: str | None = None, void_of: int | None = None,
                 goods: list[GoodsLine] = (), batch_id: int | None = None, source: str | None = None) -> int:
    """Write one entry with its postings; the trigger moves the running balances. Nothing is
    written dated in a closed year (``periods.require_open``); a void of a closed year's entry is
    that year's correction, marked so (it counts in its own year: schema.m014_periods)."""
    periods.require_open(ledger, date)
    conn = ledger.conn
    columns, values = "kind, date, void_of, note, created_at, batch_id, source", [kind, date, void_of, note, now(), batch_id, source]
    if void_of is not None and periods.corrects_closed_year(ledger, void_of):
        columns, values = columns + ", closed_correction", [*values, 1]
    entry_id = conn.execute(f"INSERT INTO entries ({columns}) VALUES ({', '.join('?' * len(values))})", values).lastrowid
    conn.executemany(
        "INSERT INTO postings (entry_id, fund_id, cash_fen, goods_fen, principal_fen, date, kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(entry_id, p.fund_id, p.cash_fen, p.goods_fen, p.principal_fen, date, kind) for p in postings],
    )
    conn.executemany(
        "INSERT INTO goods_lines (entry_id, fund_id, item, quantity, unit, unit_value_fen, value_fen) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(entry_id, g.fund_id, g.item, g.quantity, g.unit, g.unit_value_fen, g.value_fen) for g in goods],
    )
    return entry_id


def entry(ledger: Ledger, entry_id: int) -> dict | None:
    rows = list(ledger.query(
        """SELECT e.*, v.id AS voided_by, v.date AS voided_on, v.note AS void_reason
             FROM entries e LEFT JOIN entries v ON v.void_of = e.id WHERE e.id = ?""",
        [entry_id],
    ))
    return rows[0] if rows else None


def postings(ledger: Ledger, entry_id: int) -> list[Posting]:
    return [
        Posting(r["fund_id"], r["cash_fen"], r["goods_fen"], r["principal_fen"])
        for r in ledger.query("SELECT * FROM postings WHERE entry_id = ? ORDER BY id", [entry_id])
    ]


def goods_lines(ledger: Ledger, entry_id: int) -> list[GoodsLine]:
    return [
        GoodsLine(r["fund_id"], r["item"], r["value_fen"], r["quantity"], r["unit"], r["unit_value_fen"])
        for r in ledger.query("SELECT * FROM goods_lines WHERE entry_id = ? ORDER BY id", [entry_id])
    ]


def postings_with_funds(ledger: Ledger, entry_id: int) -> list[dict]:
    return list(ledger.query(
        """SELECT f.name AS fund, p.cash_fen, p.goods_fen, p.principal_fen
             FROM postings p JOIN funds f ON f.id = p.fund_id WHERE p.entry_id = ? ORDER BY p.id""",
        [entry_id],
    ))


def voided_ids(ledger: Ledger) -> set[int]:
    return {row[0] for row in ledger.conn.execute("SELECT void_of FROM entries WHERE void_of IS NOT NULL")}
