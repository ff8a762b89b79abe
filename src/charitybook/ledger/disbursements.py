"""Disbursements: money and goods going out."""

from __future__ import annotations

from charitybook.ledger import Ledger
from charitybook.ledger.donations import _filters


def insert_disbursement(ledger: Ledger, row: dict) -> None:
    ledger.db["disbursements"].insert(row)


_LIST_SQL = """
SELECT x.entry_id AS id, e.date, x.payee, x.purpose, x.category, x.cash_fen, x.goods_fen,
       g.item AS goods, g.quantity, g.unit, f.name AS fund, f.project, x.township, e.note,
       x.beneficiary_id, x.case_id, x.campaign_id, v.id AS voided_by
  FROM disbursements x
  JOIN entries e ON e.id = x.entry_id
  JOIN funds f ON f.id = x.fund_id
  LEFT JOIN goods_lines g ON g.entry_id = x.entry_id
  LEFT JOIN entries v ON v.void_of = x.entry_id
 WHERE {where}
 ORDER BY e.date, x.entry_id
"""


def disbursement(ledger: Ledger, entry_id: int) -> dict | None:
    rows = list(ledger.db.query(_LIST_SQL.format(where="x.entry_id = :id"), {"id": entry_id}))
    return rows[0] if rows else None


def list_disbursements(ledger: Ledger, filters: dict) -> list[dict]:
    clauses, params = _filters(
        filters, fund="f.name", project="f.project", township="x.township",
        purpose="x.purpose", category="x.category", payee="x.payee",
    )
    return list(ledger.db.query(_LIST_SQL.format(where=" AND ".join(clauses) or "1"), params))
