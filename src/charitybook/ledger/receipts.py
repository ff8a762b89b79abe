"""Official donation receipts: stock ranges, receipts issued, and what happened to each number.

A number's state is derived, never stored: ``voided`` if an event names it, else ``issued`` if a
receipt carries it, else ``on hand`` when it lies in a stock range.
"""

from __future__ import annotations

from charitybook.ledger import Ledger, now

# a donation's own number as charitybook shows it (``donations.receipt_no``), in SQL
DONATION_NO = "printf('%04d-%06d', d.receipt_year, d.receipt_seq)"


def _rows(ledger: Ledger, sql: str, params=()) -> list[dict]:
    cursor = ledger.conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


# --- stock -----------------------------------------------------------------------------------

def insert_stock(ledger: Ledger, code: str, first: str, last: str, station: str | None, received: str) -> int:
    return ledger.conn.execute(
        "INSERT INTO receipt_stock (code, first, last, station, received, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (code, first, last, station, received, now())).lastrowid


def overlapping_stock(ledger: Ledger, code: str, first: str, last: str) -> dict | None:
    """A range of the same code sharing a number with first..last (numbers are 10 digits: text
    order is number order)."""
    rows = _rows(ledger, "SELECT * FROM receipt_stock WHERE code = ? AND first <= ? AND last >= ? ORDER BY first LIMIT 1",
                 (code, last, first))
    return rows[0] if rows else None


def stock(ledger: Ledger, station: str | None = None, *, any_station: bool = True, upto: str | None = None) -> list[dict]:
    """Stock ranges with how many numbers are used (issued or voided), in the order they were
    received. ``any_station=False`` with ``station=None`` means the county office's own."""
    where, params = ["1"], {}
    if not any_station:
        where.append("coalesce(s.station, '') = coalesce(:station, '')")
        params["station"] = station
    if upto:
        where.append("s.received <= :upto")
        params["upto"] = upto
    return _rows(ledger, f"""
        SELECT s.*, (SELECT count(*) FROM receipts r WHERE r.stock_id = s.id) AS issued,
               (SELECT count(*) FROM receipt_events v WHERE v.code = s.code AND v.number BETWEEN s.first AND s.last
                   AND v.receipt_id IS NULL) AS spoiled,
               (SELECT max(number) FROM (SELECT r.number FROM receipts r WHERE r.stock_id = s.id
                                          UNION ALL SELECT v.number FROM receipt_events v
                                           WHERE v.code = s.code AND v.number BETWEEN s.first AND s.last)) AS highest
          FROM receipt_stock s WHERE {" AND ".join(where)}
         ORDER BY s.received, s.code, s.first""", params)


def stock_holding(ledger: Ledger, code: str, number: str) -> dict | None:
    rows = _rows(ledger, "SELECT * FROM receipt_stock WHERE code = ? AND first <= ? AND last >= ?", (code, number, number))
    return rows[0] if rows else None


# --- receipts --------------------------------------------------------------------------------

def number_used(ledger: Ledger, code: str, number: str) -> dict | None:
    """The receipt or the spoiled-blank event that has already used this number."""
    rows = _rows(ledger, """
        SELECT 'issued' AS how, r.id, r.date, r.station FROM receipts r WHERE r.code = :code AND r.number = :number
        UNION ALL
        SELECT 'voided', v.receipt_id, v.date, NULL FROM receipt_events v
         WHERE v.code = :code AND v.number = :number AND v.receipt_id IS NULL""", {"code": code, "number": number})
    return rows[0] if rows else None


def insert_receipt(ledger: Ledger, *, code: str, number: str, kind: str, stock_id: int | None, station: str | None,
                   date: str, donor_id: int, amount_fen: int, issuer: str, reviewer: str | None,
                   source: str | None, entry_ids: list[int]) -> int:
    receipt_id = ledger.conn.execute(
        """INSERT INTO receipts (code, number, kind, stock_id, station, date, donor_id, amount_fen, issuer, reviewer,
                                 source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (code, number, kind, stock_id, station, date, donor_id, amount_fen, issuer, reviewer, source, now())).lastrowid
    ledger.conn.executemany("INSERT INTO receipt_donations (receipt_id, entry_id) VALUES (?, ?)",
                            [(receipt_id, entry_id) for entry_id in entry_ids])
    return receipt_id


def insert_event(ledger: Ledger, code: str, number: str, receipt_id: int | None, action: str, reason: str,
                 operator: str | None, date: str) -> int:
    return ledger.conn.execute(
        """INSERT INTO receipt_events (code, number, receipt_id, action, reason, operator, date, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", (code, number, receipt_id, action, reason, operator, date, now())).lastrowid


_RECEIPTS = f"""
SELECT r.id, r.code, r.number, r.kind, r.station, r.date, r.amount_fen, r.issuer, r.reviewer, r.source,
       dn.name AS donor, dn.type AS donor_type, dn.id_code, r.donor_id,
       CASE WHEN v.id IS NULL THEN 'issued' ELSE 'voided' END AS state,
       v.action AS void_action, v.reason AS void_reason, v.date AS void_date,
       (SELECT group_concat({DONATION_NO}, ' ')
          FROM receipt_donations rd JOIN donations d ON d.entry_id = rd.entry_id
         WHERE rd.receipt_id = r.id) AS donations
  FROM receipts r
  JOIN donors dn ON dn.id = r.donor_id
  LEFT JOIN receipt_events v ON v.receipt_id = r.id"""


def receipts(ledger: Ledger, *, start: str | None = None, end: str | None = None, station: str | None = None,
             state: str | None = None, donor_id: int | None = None) -> list[dict]:
    where, params = ["1"], {}
    for key, sql, value in (("start", "r.date >= :start", start), ("end", "r.date <= :end", end),
                            ("station", "r.station = :station", station), ("donor", "r.donor_id = :donor", donor_id)):
        if value is not None:
            where.append(sql)
            params[key] = value
    if state == "issued":
        where.append("v.id IS NULL")
    elif state == "voided":
        where.append("v.id IS NOT NULL")
    return _rows(ledger, f"{_RECEIPTS} WHERE {' AND '.join(where)} ORDER BY r.date, r.code, r.number", params)


def receipt(ledger: Ledger, code: str, number: str) -> dict | None:
    rows = _rows(ledger, f"{_RECEIPTS} WHERE r.code = ? AND r.number = ?", (code, number))
    return rows[0] if rows else None


def receipt_entries(ledger: Ledger, receipt_id: int) -> list[int]:
    return [row[0] for row in ledger.conn.execute(
        "SELECT entry_id FROM receipt_donations WHERE receipt_id = ? ORDER BY entry_id", (receipt_id,))]


def standing_receipt_of(ledger: Ledger, entry_id: int) -> dict | None:
    """The receipt (not voided) that covers this donation, if any."""
    rows = _rows(ledger, """
        SELECT r.id, r.code, r.number, r.date FROM receipt_donations rd JOIN receipts r ON r.id = rd.receipt_id
         WHERE rd.entry_id = ? AND NOT EXISTS (SELECT 1 FROM receipt_events v WHERE v.receipt_id = r.id)""", (entry_id,))
    return rows[0] if rows else None


def items(ledger: Ledger, entry_ids: list[int]) -> list[dict]:
    """What the donations brought: one cash line and one line per goods item, per donation."""
    marks = ", ".join("?" * len(entry_ids))
    return _rows(ledger, f"""
        SELECT d.entry_id, {DONATION_NO} AS donation, d.date,
               d.cash_fen, g.item, g.quantity, g.unit, g.unit_value_fen, g.value_fen AS goods_fen,
               f.project, f.name AS fund
          FROM donations d JOIN funds f ON f.id = d.fund_id
          LEFT JOIN goods_lines g ON g.entry_id = d.entry_id
         WHERE d.entry_id IN ({marks}) ORDER BY d.date, d.entry_id""", entry_ids)


def donation_by_number(ledger: Ledger, year: int, seq: int) -> dict | None:
    rows = _rows(ledger, f"""
        SELECT d.entry_id, d.date, d.donor_id, d.cash_fen, d.goods_fen, d.township, dn.name AS donor,
               {DONATION_NO} AS donation,
               (SELECT v.id FROM entries v WHERE v.void_of = d.entry_id) AS voided_by
          FROM donations d JOIN donors dn ON dn.id = d.donor_id
         WHERE d.receipt_year = ? AND d.receipt_seq = ?""", (year, seq))
    return rows[0] if rows else None


def standing_donations(ledger: Ledger, donor_ids: list[int], start: str, end: str) -> list[dict]:
    """A donor's standing (not voided) donations in a period, each with its standing receipt."""
    marks = ", ".join("?" * len(donor_ids))
    return _rows(ledger, f"""
        SELECT d.entry_id, d.date, d.donor_id, d.cash_fen, d.goods_fen, d.township, dn.name AS donor,
               {DONATION_NO} AS donation,
               (SELECT r.code || ' ' || r.number FROM receipt_donations rd JOIN receipts r ON r.id = rd.receipt_id
                 WHERE rd.entry_id = d.entry_id
                   AND NOT EXISTS (SELECT 1 FROM receipt_events v WHERE v.receipt_id = r.id)) AS receipt
          FROM donations d JOIN donors dn ON dn.id = d.donor_id
         WHERE d.donor_id IN ({marks}) AND d.date BETWEEN ? AND ?
           AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = d.entry_id)
         ORDER BY d.date, d.entry_id""", [*donor_ids, start, end])


def donors_named(ledger: Ledger, name: str) -> list[dict]:
    return _rows(ledger, "SELECT id, name, type, id_code FROM donors WHERE name = ? ORDER BY id", (name,))


def donor_names(ledger: Ledger) -> list[str]:
    return [row[0] for row in ledger.conn.execute("SELECT DISTINCT name FROM donors")]


def used_numbers(ledger: Ledger, upto: str) -> list[dict]:
    """Every number used up to a day: receipts issued and numbers voided, with their state then."""
    return _rows(ledger, f"""
        SELECT r.code, r.number, r.kind, r.station, r.date,
               CASE WHEN v.id IS NOT NULL AND v.date <= :upto THEN 'voided' ELSE 'issued' END AS state,
               v.date AS void_date,
               (SELECT group_concat({DONATION_NO}, ' ')
                  FROM receipt_donations rd JOIN donations d ON d.entry_id = rd.entry_id
                 WHERE rd.receipt_id = r.id) AS donations
          FROM receipts r LEFT JOIN receipt_events v ON v.receipt_id = r.id
         WHERE r.date <= :upto
        UNION ALL
        SELECT v.code, v.number, 'paper', NULL, v.date, 'voided', v.date, NULL
          FROM receipt_events v WHERE v.receipt_id IS NULL AND v.date <= :upto""", {"upto": upto})


def unreceipted_donations(ledger: Ledger, start: str, end: str) -> list[dict]:
    """Standing donations of a period that have no standing receipt."""
    return _rows(ledger, f"""
        SELECT d.entry_id, d.date, d.donor_id, d.cash_fen, d.goods_fen, dn.name AS donor,
               {DONATION_NO} AS donation
          FROM donations d JOIN donors dn ON dn.id = d.donor_id
         WHERE d.date BETWEEN ? AND ?
           AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = d.entry_id)
           AND NOT EXISTS (SELECT 1 FROM receipt_donations rd WHERE rd.entry_id = d.entry_id
                             AND NOT EXISTS (SELECT 1 FROM receipt_events e WHERE e.receipt_id = rd.receipt_id))
         ORDER BY d.date, d.entry_id""", (start, end))


def donor_totals(ledger: Ledger, start: str, end: str, above_fen: int) -> list[dict]:
    """Donors whose standing gifts of a period add up to more than ``above_fen``."""
    return _rows(ledger, """
        SELECT dn.id, dn.name, dn.type, sum(d.cash_fen + d.goods_fen) AS total_fen, count(*) AS gifts
          FROM donations d JOIN donors dn ON dn.id = d.donor_id
         WHERE d.date BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = d.entry_id)
         GROUP BY dn.id HAVING sum(d.cash_fen + d.goods_fen) > ? ORDER BY total_fen DESC, dn.id""", (start, end, above_fen))
