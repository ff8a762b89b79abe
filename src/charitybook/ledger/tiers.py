"""Money between tiers: grants received from a higher body and money passed on to another legal
entity (schema.m012_tier_kinds). Money stays integer fen here."""

from __future__ import annotations

from charitybook.ledger import Ledger, listing
from charitybook.ledger.standing import LATE_VOID, STANDING


def _in_period() -> str:
    """A period's tier money: the flows dated in it that stand, less those of a closed year
    corrected by a void dated in it (the correction counts in its own year; the closed year stays
    as signed: ``ledger.standing``)."""
    return f"""
    SELECT t.kind, t.body, 1 AS count, t.cash_fen FROM tier_flows t JOIN entries e ON e.id = t.entry_id
     WHERE t.date BETWEEN :start AND :end AND {STANDING}
    UNION ALL
    SELECT t.kind, t.body, -1, -t.cash_fen FROM tier_flows t JOIN entries e ON e.id = t.entry_id
      JOIN entries v ON {LATE_VOID}"""


def insert_tier_flow(ledger: Ledger, row: dict) -> None:
    ledger.conn.execute(
        "INSERT INTO tier_flows (entry_id, kind, body, fund_id, cash_fen, date, reference) "
        "VALUES (:entry_id, :kind, :body, :fund_id, :cash_fen, :date, :reference)", row)


def tier_flow(ledger: Ledger, entry_id: int) -> dict | None:
    return listing.one(ledger, listing.TIERS, entry_id)


def totals(ledger: Ledger, params: dict) -> dict[str, int]:
    """Standing tier money of a period by kind (every kind present, 0 when none)."""
    found = dict(ledger.conn.execute(
        f"SELECT kind, sum(cash_fen) FROM ({_in_period()}) GROUP BY kind", params).fetchall())
    return {kind: found.get(kind, 0) for kind in ("from_above", "to_above", "to_below")}


def by_body(ledger: Ledger, params: dict) -> list[dict]:
    """Standing tier money of a period per kind and body, largest first."""
    return list(ledger.query(
        f"""SELECT kind, body, sum(count) AS count, sum(cash_fen) AS cash FROM ({_in_period()})
             GROUP BY kind, body ORDER BY kind, sum(cash_fen) DESC, body""", params))
