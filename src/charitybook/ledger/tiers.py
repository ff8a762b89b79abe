"""Money between tiers: grants received from a higher body and money passed on to another legal
entity (schema.m012_tier_kinds). Money stays integer fen here."""

from __future__ import annotations

from charitybook.ledger import Ledger, listing

STANDING = "NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = t.entry_id)"


def insert_tier_flow(ledger: Ledger, row: dict) -> None:
    ledger.conn.execute(
        "INSERT INTO tier_flows (entry_id, kind, body, fund_id, cash_fen, date, reference) "
        "VALUES (:entry_id, :kind, :body, :fund_id, :cash_fen, :date, :reference)", row)


def tier_flow(ledger: Ledger, entry_id: int) -> dict | None:
    return listing.one(ledger, listing.TIERS, entry_id)


def totals(ledger: Ledger, params: dict) -> dict[str, int]:
    """Standing tier money of a period by kind (every kind present, 0 when none)."""
    found = dict(ledger.conn.execute(
        f"""SELECT t.kind, sum(t.cash_fen) FROM tier_flows t
             WHERE t.date BETWEEN :start AND :end AND {STANDING} GROUP BY t.kind""", params).fetchall())
    return {kind: found.get(kind, 0) for kind in ("from_above", "to_above", "to_below")}


def by_body(ledger: Ledger, params: dict) -> list[dict]:
    """Standing tier money of a period per kind and body, largest first."""
    return list(ledger.db.query(
        f"""SELECT t.kind, t.body, count(*) AS count, sum(t.cash_fen) AS cash FROM tier_flows t
             WHERE t.date BETWEEN :start AND :end AND {STANDING}
             GROUP BY t.kind, t.body ORDER BY t.kind, sum(t.cash_fen) DESC, t.body""", params))
