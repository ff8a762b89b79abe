"""Queries behind `charitybook check`."""

from __future__ import annotations

from charitybook.ledger import Ledger


def integrity(ledger: Ledger) -> list[str]:
    return [row[0] for row in ledger.conn.execute("PRAGMA integrity_check")]


def foreign_key_violations(ledger: Ledger) -> list[str]:
    return [f"{row[0]} row {row[1]} -> {row[2]}" for row in ledger.conn.execute("PRAGMA foreign_key_check")]


def balance_mismatches(ledger: Ledger) -> list[dict]:
    return list(ledger.db.query("""
        SELECT f.name, b.cash_fen AS kept_cash, b.goods_fen AS kept_goods, b.principal_fen AS kept_principal,
               coalesce(s.cash, 0) AS cash, coalesce(s.goods, 0) AS goods, coalesce(s.principal, 0) AS principal
          FROM funds f LEFT JOIN fund_balances b ON b.fund_id = f.id
          LEFT JOIN (SELECT fund_id, sum(cash_fen) AS cash, sum(goods_fen) AS goods, sum(principal_fen) AS principal
                       FROM postings GROUP BY fund_id) s ON s.fund_id = f.id
         WHERE b.fund_id IS NULL OR b.cash_fen != coalesce(s.cash, 0) OR b.goods_fen != coalesce(s.goods, 0)
            OR b.principal_fen != coalesce(s.principal, 0)
    """))


def negative_funds(ledger: Ledger) -> list[dict]:
    return list(ledger.db.query("""
        SELECT f.name, sum(p.cash_fen) AS cash, sum(p.goods_fen) AS goods
          FROM postings p JOIN funds f ON f.id = p.fund_id GROUP BY f.id
        HAVING sum(p.cash_fen) < 0 OR sum(p.goods_fen) < 0 OR sum(p.cash_fen) < sum(p.principal_fen)
    """))


def receipt_gaps(ledger: Ledger) -> list[tuple[int, int, int]]:
    return [tuple(row) for row in ledger.conn.execute("""
        SELECT receipt_year, max(receipt_seq), count(*) FROM donations GROUP BY receipt_year
        HAVING max(receipt_seq) != count(*) OR min(receipt_seq) != 1
    """)]


def bad_voids(ledger: Ledger) -> list[dict]:
    return list(ledger.db.query("""
        SELECT v.id, v.void_of AS target,
               CASE WHEN e.id IS NULL THEN 'does not exist' ELSE 'is itself a void' END AS why
          FROM entries v LEFT JOIN entries e ON e.id = v.void_of
         WHERE v.kind = 'void' AND (v.void_of IS NULL OR e.id IS NULL OR e.kind = 'void')
        UNION ALL
        SELECT v.id, v.void_of, 'is voided but the void entry is not of kind void'
          FROM entries v WHERE v.void_of IS NOT NULL AND v.kind != 'void'
    """))


def detail_mismatches(ledger: Ledger) -> list[dict]:
    """Donation and disbursement rows must agree with their own postings."""
    return list(ledger.db.query("""
        SELECT d.entry_id AS id, 'donation' AS kind, d.cash_fen + d.goods_fen AS detail,
               (SELECT sum(cash_fen + goods_fen) FROM postings p WHERE p.entry_id = d.entry_id) AS posted
          FROM donations d
         WHERE d.cash_fen + d.goods_fen != (SELECT sum(cash_fen + goods_fen) FROM postings p WHERE p.entry_id = d.entry_id)
        UNION ALL
        SELECT x.entry_id, 'disbursement', x.cash_fen + x.goods_fen,
               -(SELECT sum(cash_fen + goods_fen) FROM postings p WHERE p.entry_id = x.entry_id)
          FROM disbursements x
         WHERE x.cash_fen + x.goods_fen != -(SELECT sum(cash_fen + goods_fen) FROM postings p WHERE p.entry_id = x.entry_id)
    """))


def copy_mismatches(ledger: Ledger) -> list[dict]:
    """Postings and donations carry their entry's date (and kind) for fast reports; they must agree."""
    return list(ledger.db.query("""
        SELECT p.entry_id AS id, 'posting' AS what FROM postings p JOIN entries e ON e.id = p.entry_id
         WHERE p.date IS NOT e.date OR p.kind IS NOT e.kind
        UNION ALL
        SELECT d.entry_id, 'donation' FROM donations d JOIN entries e ON e.id = d.entry_id WHERE d.date IS NOT e.date
    """))




# The report totals recounted from their views (see schema.m005_report_totals), against what the
# triggers kept. A group that nets to zero (everything in it voided) may be kept or not.
_STANDING_MOVES = "donation_moves WHERE entry_id NOT IN (SELECT void_of FROM entries WHERE void_of IS NOT NULL)"
_TOTALS = (
    ("donation_totals", ("year", "month", "channel", "township", "fund_id"), _STANDING_MOVES,
     {"count": "count(*)", "cash_fen": "sum(cash_fen)", "goods_fen": "sum(goods_fen)"}),
    ("donor_totals", ("year", "donor_id"), _STANDING_MOVES,
     {"count": "count(*)", "cash_fen": "sum(cash_fen)", "goods_fen": "sum(goods_fen)"}),
    ("posting_totals", ("year", "fund_id"), "posting_moves",
     {name: f"sum({name})" for name in ("in_cash", "out_cash", "in_goods", "out_goods", "cash_fen", "goods_fen",
                                        "principal_fen")}),
)


def totals_mismatches(ledger: Ledger) -> list[tuple[str, tuple]]:
    """(table, key) for every group whose kept totals differ from a recount."""
    found = []
    for table, keys, source, sums in _TOTALS:
        key_list = ", ".join(keys)
        nonzero = " OR ".join(f"{name} != 0" for name in sums)
        recount = (f"SELECT * FROM (SELECT {key_list}, {', '.join(f'{sql} AS {name}' for name, sql in sums.items())} "
                   f"FROM {source} GROUP BY {key_list}) WHERE {nonzero}")
        kept = f"SELECT {key_list}, {', '.join(sums)} FROM {table} WHERE {nonzero}"
        differ = f"SELECT * FROM ({recount} EXCEPT {kept}) UNION SELECT * FROM ({kept} EXCEPT {recount})"
        found += [(table, tuple(row[:len(keys)])) for row in ledger.conn.execute(differ)]
    return found
