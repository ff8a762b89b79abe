"""Queries behind `charitybook check`."""

from __future__ import annotations

import sqlite3
from collections import Counter

from charitybook.ledger import Ledger, schema
from charitybook.ledger import funds


def integrity(ledger: Ledger) -> list[str]:
    return [row[0] for row in ledger.conn.execute("PRAGMA integrity_check")]


def foreign_key_violations(ledger: Ledger) -> list[str]:
    return [f"{row[0]} row {row[1]} -> {row[2]}" for row in ledger.conn.execute("PRAGMA foreign_key_check")]


def balance_mismatches(ledger: Ledger) -> list[dict]:
    return list(ledger.query("""
        SELECT f.name, b.cash_fen AS kept_cash, b.goods_fen AS kept_goods, b.principal_fen AS kept_principal,
               coalesce(s.cash, 0) AS cash, coalesce(s.goods, 0) AS goods, coalesce(s.principal, 0) AS principal
          FROM funds f LEFT JOIN fund_balances b ON b.fund_id = f.id
          LEFT JOIN (SELECT fund_id, sum(cash_fen) AS cash, sum(goods_fen) AS goods, sum(principal_fen) AS principal
                       FROM postings GROUP BY fund_id) s ON s.fund_id = f.id
         WHERE b.fund_id IS NULL OR b.cash_fen != coalesce(s.cash, 0) OR b.goods_fen != coalesce(s.goods, 0)
            OR b.principal_fen != coalesce(s.principal, 0)
    """))


def negative_funds(ledger: Ledger) -> list[dict]:
    return list(ledger.query("""
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
    return list(ledger.query("""
        SELECT v.id, v.void_of AS target,
               CASE WHEN e.id IS NULL THEN 'does not exist' ELSE 'is itself a void' END AS why
          FROM entries v LEFT JOIN entries e ON e.id = v.void_of
         WHERE v.kind = 'void' AND (v.void_of IS NULL OR e.id IS NULL OR e.kind = 'void')
        UNION ALL
        SELECT v.id, v.void_of, 'is voided but the void entry is not of kind void'
          FROM entries v WHERE v.void_of IS NOT NULL AND v.kind != 'void'
    """))


def detail_mismatches(ledger: Ledger) -> list[dict]:
    """Donation, disbursement and tier rows must agree with their own postings: the same cash and goods,
    all in the row's fund (``elsewhere`` counts postings to any other fund)."""
    return list(ledger.query("""
        WITH detail (id, kind, fund_id, sign, cash, goods) AS (
            SELECT entry_id, 'donation', fund_id, 1, cash_fen, goods_fen FROM donations
            UNION ALL
            SELECT entry_id, 'disbursement', fund_id, -1, cash_fen, goods_fen FROM disbursements
            UNION ALL
            SELECT entry_id, kind, fund_id, CASE WHEN kind = 'from_above' THEN 1 ELSE -1 END, cash_fen, 0 FROM tier_flows),
        posted AS (
            SELECT d.*, f.name AS fund,
                   (SELECT coalesce(sum(p.cash_fen), 0) * d.sign FROM postings p WHERE p.entry_id = d.id AND p.fund_id = d.fund_id) AS posted_cash,
                   (SELECT coalesce(sum(p.goods_fen), 0) * d.sign FROM postings p WHERE p.entry_id = d.id AND p.fund_id = d.fund_id) AS posted_goods,
                   (SELECT count(*) FROM postings p WHERE p.entry_id = d.id AND p.fund_id != d.fund_id) AS elsewhere
              FROM detail d JOIN funds f ON f.id = d.fund_id)
        SELECT id, kind, fund, cash, goods, posted_cash, posted_goods, elsewhere FROM posted
         WHERE cash != posted_cash OR goods != posted_goods OR elsewhere > 0
    """))


def unexplained_entries(ledger: Ledger) -> list[tuple[int, str, str]]:
    """(id, kind, what is wrong) for entries whose postings nothing explains: a donation without its
    donation row, a disbursement without its disbursement or tier row (or such a row under an entry of
    another kind, or both rows; a pass-through gift or hand-over, which has no postings, with postings), a transfer or purchase that does not net to zero, an entry without postings."""
    return [tuple(row) for row in ledger.conn.execute("""
        WITH pass_through (id) AS (SELECT entry_id FROM pass_through_gifts UNION ALL SELECT entry_id FROM pass_through_handovers)
        SELECT e.id, e.kind, 'no postings' FROM entries e
         WHERE NOT EXISTS (SELECT 1 FROM postings p WHERE p.entry_id = e.id) AND NOT EXISTS (SELECT 1 FROM pass_through
                           WHERE pass_through.id IN (e.id, e.void_of))
        UNION ALL
        SELECT e.id, e.kind, 'postings of a pass-through gift or hand-over' FROM entries e
         WHERE EXISTS (SELECT 1 FROM pass_through WHERE pass_through.id = e.id)
           AND EXISTS (SELECT 1 FROM postings p WHERE p.entry_id = e.id)
        UNION ALL
        SELECT e.id, e.kind, 'no donation row' FROM entries e
         WHERE e.kind = 'donation' AND NOT EXISTS (SELECT 1 FROM donations d WHERE d.entry_id = e.id)
           AND NOT EXISTS (SELECT 1 FROM pass_through_gifts g WHERE g.entry_id = e.id)
        UNION ALL
        SELECT e.id, e.kind, 'no disbursement row' FROM entries e
         WHERE e.kind = 'disbursement' AND NOT EXISTS (SELECT 1 FROM disbursements x WHERE x.entry_id = e.id)
           AND NOT EXISTS (SELECT 1 FROM tier_flows t WHERE t.entry_id = e.id)
           AND NOT EXISTS (SELECT 1 FROM pass_through_handovers h WHERE h.entry_id = e.id)
        UNION ALL
        SELECT g.entry_id, e.kind, 'a pass-through row' FROM pass_through_gifts g JOIN entries e ON e.id = g.entry_id
         WHERE e.kind != 'donation' OR EXISTS (SELECT 1 FROM donations d WHERE d.entry_id = g.entry_id)
        UNION ALL
        SELECT h.entry_id, e.kind, 'a hand-over row' FROM pass_through_handovers h JOIN entries e ON e.id = h.entry_id
         WHERE e.kind != 'disbursement' OR EXISTS (SELECT 1 FROM disbursements x WHERE x.entry_id = h.entry_id)
        UNION ALL
        SELECT e.id, e.kind, 'a donation row' FROM donations d JOIN entries e ON e.id = d.entry_id WHERE e.kind != 'donation'
        UNION ALL
        SELECT e.id, e.kind, 'a disbursement row' FROM disbursements x JOIN entries e ON e.id = x.entry_id
         WHERE e.kind != 'disbursement'
        UNION ALL
        SELECT e.id, e.kind, 'a tier row' FROM tier_flows t JOIN entries e ON e.id = t.entry_id
         WHERE e.kind != CASE WHEN t.kind = 'from_above' THEN 'income' ELSE 'disbursement' END
            OR EXISTS (SELECT 1 FROM disbursements x WHERE x.entry_id = t.entry_id) OR t.date IS NOT e.date
        UNION ALL
        SELECT e.id, e.kind, 'not net zero' FROM entries e JOIN postings p ON p.entry_id = e.id
         WHERE e.kind IN ('transfer', 'purchase') GROUP BY e.id
        HAVING sum(p.cash_fen + p.goods_fen) != 0 OR sum(p.principal_fen) != 0
        ORDER BY 1
    """)]


def void_mismatches(ledger: Ledger) -> list[tuple[int, int]]:
    """(void, original) where the void's postings are not exactly the original's, negated: fund by
    fund, the two entries together must move nothing."""
    return [tuple(row) for row in ledger.conn.execute("""
        SELECT v.id, v.void_of FROM entries v
         WHERE v.kind = 'void' AND v.void_of IS NOT NULL AND EXISTS (
               SELECT 1 FROM postings p WHERE p.entry_id IN (v.id, v.void_of)
                GROUP BY p.fund_id HAVING sum(p.cash_fen) != 0 OR sum(p.goods_fen) != 0 OR sum(p.principal_fen) != 0)
         ORDER BY v.id
    """)]


def goods_line_mismatches(ledger: Ledger) -> list[dict]:
    """Per entry and fund, the goods lines (the stock) must add up to the goods its postings move."""
    return list(ledger.query("""
        SELECT m.entry_id AS id, f.name AS fund, sum(m.lines) AS lines, sum(m.posted) AS posted
          FROM (SELECT entry_id, fund_id, value_fen AS lines, 0 AS posted FROM goods_lines
                UNION ALL
                SELECT entry_id, fund_id, 0, goods_fen FROM postings WHERE goods_fen != 0) m
          JOIN funds f ON f.id = m.fund_id
         GROUP BY m.entry_id, m.fund_id HAVING sum(m.lines) != sum(m.posted)
         ORDER BY m.entry_id
    """))


def negative_stock(ledger: Ledger) -> list[dict]:
    """Goods a fund has handed out beyond what it holds, from the stock `fund stock` shows: by value
    per fund and item (every goods line has a value), and by quantity per fund, item and unit where
    the goods came in with a quantity. ``value_fen`` or ``quantity`` says which."""
    counted = {tuple(row) for row in ledger.conn.execute("""
        SELECT DISTINCT f.name, g.item FROM goods_lines g JOIN funds f ON f.id = g.fund_id
         WHERE g.value_fen > 0 AND g.quantity IS NOT NULL""")}
    values: Counter = Counter()
    short = []
    for line in funds.stock(ledger):
        values[line["fund"], line["item"]] += line["value_fen"]
        if line["quantity"] < 0 and (line["fund"], line["item"]) in counted:
            short.append({"fund": line["fund"], "item": line["item"], "unit": line["unit"], "quantity": line["quantity"]})
    by_value = [{"fund": fund, "item": item, "value_fen": value} for (fund, item), value in values.items() if value < 0]
    return by_value + short


def trigger_differences(ledger: Ledger) -> list[tuple[str, str]]:
    """(name, 'missing' | 'changed' | 'extra') for every trigger that is not as the schema makes it:
    a dropped guard lets the ledger be edited in place; a changed totals trigger makes reports wrong."""
    fresh = sqlite3.connect(":memory:")
    try:
        schema.migrate(fresh)
        wanted = dict(fresh.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    finally:
        fresh.close()
    have = dict(ledger.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    found = [(name, "missing") for name in wanted if name not in have]
    found += [(name, "changed") for name in wanted if name in have and " ".join(have[name].split()) != " ".join(wanted[name].split())]
    return found + [(name, "extra") for name in have if name not in wanted]


def copy_mismatches(ledger: Ledger) -> list[dict]:
    """Postings and donations carry their entry's date (and kind) for fast reports; they must agree."""
    return list(ledger.query("""
        SELECT p.entry_id AS id, 'posting' AS what FROM postings p JOIN entries e ON e.id = p.entry_id
         WHERE p.date IS NOT e.date OR p.kind IS NOT e.kind
        UNION ALL
        SELECT d.entry_id, 'donation' FROM donations d JOIN entries e ON e.id = d.entry_id WHERE d.date IS NOT e.date
    """))




# The report totals recounted from their views (see schema.m005_report_totals), against what the
# triggers kept. A group that nets to zero (everything in it voided) may be kept or not.
# (schema.m014_periods: a void dated in a later year counts in its own year, negatively.)
_STANDING_MOVES = "donation_counts"
_TOTALS = (
    ("donation_totals", ("year", "month", "channel", "township", "fund_id"), _STANDING_MOVES,
     {"count": "sum(count)", "cash_fen": "sum(cash_fen)", "goods_fen": "sum(goods_fen)"}),
    ("donor_totals", ("year", "donor_id"), _STANDING_MOVES,
     {"count": "sum(count)", "cash_fen": "sum(cash_fen)", "goods_fen": "sum(goods_fen)"}),
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
