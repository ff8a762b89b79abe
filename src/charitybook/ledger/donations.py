"""Donors, donations, receipt numbers and pledges."""

from __future__ import annotations

from charitybook.ledger import Ledger, now


def find_donor(ledger: Ledger, name: str, id_code: str | None) -> dict | None:
    rows = list(ledger.db.query(
        "SELECT * FROM donors WHERE name = ? AND coalesce(id_code, '') = ?", [name, id_code or ""]
    ))
    return rows[0] if rows else None


def insert_donor(ledger: Ledger, name: str, donor_type: str, contact: str | None, id_code: str | None) -> int:
    return ledger.conn.execute(
        "INSERT INTO donors (name, type, contact, id_code, created_at) VALUES (?, ?, ?, ?, ?)",
        (name, donor_type, contact, id_code, now()),
    ).lastrowid


def donor_keys(ledger: Ledger) -> dict[tuple[str, str], tuple[int, str]]:
    """Every donor as {(name, id_code or ''): (id, type)}, to resolve a whole file without a query per row."""
    return {(row[1], row[2]): (row[0], row[3])
            for row in ledger.conn.execute("SELECT id, name, coalesce(id_code, ''), type FROM donors")}


def next_receipt_seq(ledger: Ledger, year: int) -> int:
    """Next number in the year's sequence. Only call inside ``ledger.write()``: the
    BEGIN IMMEDIATE lock is what keeps two clerks from taking the same number."""
    row = ledger.conn.execute(
        "SELECT coalesce(max(receipt_seq), 0) + 1 FROM donations WHERE receipt_year = ?", (year,)
    ).fetchone()
    return row[0]


def receipt_no(year: int, seq: int) -> str:
    return f"{year:04d}-{seq:06d}"


def insert_donations(ledger: Ledger, rows: list[dict]) -> list[int]:
    """Write donations in bulk: entries, postings, goods lines and detail rows, one
    ``executemany`` per table. Each row carries its own fields (fen amounts, fund_id, donor_id,
    receipt numbers, optional ``goods`` dict). Only call inside ``ledger.write()``."""
    conn = ledger.conn
    first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM entries").fetchone()[0]
    stamp = now()
    ids = list(range(first, first + len(rows)))
    conn.executemany(
        "INSERT INTO entries (id, kind, date, note, created_at, batch_id, source) VALUES (?, 'donation', ?, ?, ?, ?, ?)",
        [(i, r["date"], r["note"], stamp, r["batch_id"], r["source"]) for i, r in zip(ids, rows)],
    )
    conn.executemany(
        "INSERT INTO postings (entry_id, fund_id, cash_fen, goods_fen, principal_fen, date, kind) "
        "VALUES (?, ?, ?, ?, ?, ?, 'donation')",
        [(i, r["fund_id"], r["cash_fen"], r["goods_fen"], r["principal_fen"], r["date"]) for i, r in zip(ids, rows)],
    )
    conn.executemany(
        "INSERT INTO goods_lines (entry_id, fund_id, item, quantity, unit, unit_value_fen, value_fen) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(i, r["fund_id"], g["item"], g["quantity"], g["unit"], g["unit_value_fen"], r["goods_fen"])
         for i, r in zip(ids, rows) if (g := r["goods"])],
    )
    for i, r in zip(ids, rows):
        r["entry_id"] = i
    conn.executemany(INSERT_DONATION, rows)
    return ids


INSERT_DONATION = """
INSERT INTO donations (entry_id, receipt_year, receipt_seq, donor_id, fund_id, cash_fen, goods_fen,
                       channel, platform, township, campaign, pledge_id, external_ref, date)
VALUES (:entry_id, :receipt_year, :receipt_seq, :donor_id, :fund_id, :cash_fen, :goods_fen,
        :channel, :platform, :township, :campaign, :pledge_id, :external_ref, :date)
"""


def donation(ledger: Ledger, entry_id: int) -> dict | None:
    rows = list(ledger.db.query(_LIST_SQL.format(where="d.entry_id = :id"), {"id": entry_id}))
    return rows[0] if rows else None


def external_ref_exists(ledger: Ledger, ref: str) -> bool:
    return ledger.conn.execute(
        """SELECT 1 FROM donations d WHERE d.external_ref = ?
             AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = d.entry_id)""",
        (ref,),
    ).fetchone() is not None


_LIST_SQL = """
SELECT d.entry_id AS id, printf('%04d-%06d', d.receipt_year, d.receipt_seq) AS receipt_no,
       e.date, dn.name AS donor, dn.type AS donor_type, d.cash_fen, d.goods_fen,
       g.item AS goods, g.quantity, g.unit, d.channel, d.platform, f.name AS fund, f.project,
       d.township, d.campaign, d.pledge_id, d.external_ref, e.note,
       v.id AS voided_by
  FROM donations d
  JOIN entries e ON e.id = d.entry_id
  JOIN donors dn ON dn.id = d.donor_id
  JOIN funds f ON f.id = d.fund_id
  LEFT JOIN goods_lines g ON g.entry_id = d.entry_id
  LEFT JOIN entries v ON v.void_of = d.entry_id
 WHERE {where}
 ORDER BY e.date, d.entry_id
"""


def list_donations(ledger: Ledger, filters: dict) -> list[dict]:
    clauses, params = _filters(filters, donor="dn.name", fund="f.name", project="f.project", township="d.township")
    return list(ledger.db.query(_LIST_SQL.format(where=" AND ".join(clauses) or "1"), params))


def _filters(filters: dict, **columns: str) -> tuple[list[str], dict]:
    """Turn the common list filters into SQL clauses. Dates are ISO strings."""
    clauses, params = [], {}
    if filters.get("start"):
        clauses.append("e.date >= :start")
        params["start"] = filters["start"]
    if filters.get("end"):
        clauses.append("e.date <= :end")
        params["end"] = filters["end"]
    for key, column in columns.items():
        if filters.get(key):
            clauses.append(f"{column} = :{key}")
            params[key] = filters[key]
    return clauses, params


def insert_pledge(ledger: Ledger, row: dict) -> int:
    return ledger.db["pledges"].insert({**row, "created_at": now()}).last_pk


def pledge(ledger: Ledger, pledge_id: int) -> dict | None:
    rows = list(ledger.db.query(_PLEDGE_SQL.format(where="p.id = :id"), {"id": pledge_id}))
    return rows[0] if rows else None


_PLEDGE_SQL = """
SELECT p.id, p.date, p.due_date, dn.name AS donor, p.donor_id, f.name AS fund, p.amount_fen, p.note,
       coalesce((SELECT sum(d.cash_fen + d.goods_fen) FROM donations d
                  WHERE d.pledge_id = p.id
                    AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = d.entry_id)), 0) AS fulfilled_fen
  FROM pledges p JOIN donors dn ON dn.id = p.donor_id JOIN funds f ON f.id = p.fund_id
 WHERE {where} ORDER BY p.date, p.id
"""


def list_pledges(ledger: Ledger, filters: dict) -> list[dict]:
    clauses, params = [], {}
    if filters.get("donor"):
        clauses.append("dn.name = :donor")
        params["donor"] = filters["donor"]
    rows = list(ledger.db.query(_PLEDGE_SQL.format(where=" AND ".join(clauses) or "1"), params))
    for row in rows:
        row["outstanding_fen"] = max(0, row["amount_fen"] - row["fulfilled_fen"])
    if filters.get("outstanding"):
        rows = [row for row in rows if row["outstanding_fen"]]
    return rows


def list_donors(ledger: Ledger, filters: dict) -> list[dict]:
    return list(ledger.db.query(
        """SELECT dn.id, dn.name, dn.type, dn.contact, dn.id_code,
                  count(d.entry_id) - count(v.id) AS donations,
                  coalesce(sum(CASE WHEN v.id IS NULL THEN d.cash_fen END), 0) AS cash_fen,
                  coalesce(sum(CASE WHEN v.id IS NULL THEN d.goods_fen END), 0) AS goods_fen
             FROM donors dn LEFT JOIN donations d ON d.donor_id = dn.id
             LEFT JOIN entries v ON v.void_of = d.entry_id
            GROUP BY dn.id ORDER BY dn.id"""
    ))
