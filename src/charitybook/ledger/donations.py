"""Donors, donations, receipt numbers and pledges."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import NamedTuple

from charitybook.ledger import Ledger, listing, now


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


class DonationRow(NamedTuple):
    """A donation as the ledger stores it: fen amounts, fund and donor ids, receipt number, where
    it came from. ``prepare_donations`` puts the entry id in front."""

    date: str
    note: str | None
    batch_id: int | None
    source: str | None
    fund_id: int
    cash_fen: int
    goods_fen: int
    principal_fen: int
    item: str | None               # goods: the item, its quantity (exact text), unit and unit value
    quantity: str | None
    unit: str | None
    unit_value_fen: int | None
    receipt_year: int
    receipt_seq: int
    donor_id: int
    channel: str
    platform: str | None
    township: str | None
    campaign: str | None
    pledge_id: int | None
    external_ref: str | None


# A chunk of donations crosses into SQLite as one JSON array of rows (entry id, then a DonationRow)
# and is spread over entries, postings, goods lines and donations by INSERT ... SELECT: one
# statement per table and chunk, not one per row, so the GIL stays released while SQLite works
# and an import can check its next chunk on the other core meanwhile.
STAGE = ("entry_id", *DonationRow._fields)
_STAGE_TABLE = f"CREATE TEMP TABLE IF NOT EXISTS donation_stage ({', '.join(STAGE)})"
_STAGE_FILL = ("INSERT INTO temp.donation_stage SELECT "
               + ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(STAGE))) + " FROM json_each(?)")
_FROM_STAGE = (
    """INSERT INTO entries (id, kind, date, note, created_at, batch_id, source)
       SELECT entry_id, 'donation', date, note, :created_at, batch_id, source FROM temp.donation_stage ORDER BY entry_id""",
    """INSERT INTO postings (entry_id, fund_id, cash_fen, goods_fen, principal_fen, date, kind)
       SELECT entry_id, fund_id, cash_fen, goods_fen, principal_fen, date, 'donation' FROM temp.donation_stage ORDER BY entry_id""",
    """INSERT INTO goods_lines (entry_id, fund_id, item, quantity, unit, unit_value_fen, value_fen)
       SELECT entry_id, fund_id, item, quantity, unit, unit_value_fen, goods_fen FROM temp.donation_stage
        WHERE item IS NOT NULL ORDER BY entry_id""",
    """INSERT INTO donations (entry_id, receipt_year, receipt_seq, donor_id, fund_id, cash_fen, goods_fen,
                              channel, platform, township, campaign, pledge_id, external_ref, date)
       SELECT entry_id, receipt_year, receipt_seq, donor_id, fund_id, cash_fen, goods_fen,
              channel, platform, township, campaign, pledge_id, external_ref, date FROM temp.donation_stage ORDER BY entry_id""",
)


@dataclass(frozen=True)
class Prepared:
    """Donations numbered and encoded, ready for ``write_prepared``."""

    ids: list[int]
    rows_json: str
    created_at: str


def prepare_donations(ledger: Ledger, rows: list[DonationRow]) -> Prepared:
    """Give each row the next entry id and encode the chunk. Inside ``ledger.write()``, with no
    other write in flight: the next id is read here."""
    first = ledger.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM entries").fetchone()[0]
    ids = list(range(first, first + len(rows)))
    encoded = [(entry_id, *row) for entry_id, row in zip(ids, rows)]
    return Prepared(ids, json.dumps(encoded, ensure_ascii=False), now())


def write_prepared(ledger: Ledger, prepared: Prepared) -> None:
    """Write a prepared chunk: entries, postings (the balance trigger fires per posting), goods
    lines and donation rows. May run on a writer thread (``services.imports``) while its importer
    leaves the connection alone. Each statement first checks that the transaction is still open:
    a chunk is never written on its own."""
    conn = ledger.conn
    statements = ((_STAGE_TABLE, ()), (_STAGE_FILL, (prepared.rows_json,)),
                  *((sql, {"created_at": prepared.created_at}) for sql in _FROM_STAGE),
                  ("DELETE FROM temp.donation_stage", ()))
    for sql, params in statements:
        if not conn.in_transaction:
            raise RuntimeError("donations are written only inside a transaction")
        conn.execute(sql, params)


def insert_donations(ledger: Ledger, rows: list[DonationRow]) -> list[int]:
    """Write donations now. Only inside ``ledger.write()``."""
    prepared = prepare_donations(ledger, rows)
    write_prepared(ledger, prepared)
    return prepared.ids


def donation(ledger: Ledger, entry_id: int) -> dict | None:
    return listing.one(ledger, listing.DONATIONS, entry_id)


def external_ref_exists(ledger: Ledger, ref: str) -> bool:
    return bool(standing_refs(ledger, {ref}))


class RefHolder(NamedTuple):
    """The standing donation that carries an order/serial number, and what it was."""

    entry_id: int
    donor: str
    date: str
    cash_fen: int
    goods_fen: int
    batch_id: int | None = None


def standing_refs(ledger: Ledger, refs: set[str]) -> dict[str, RefHolder]:
    """Which of these order/serial numbers a standing (not voided) donation already carries, and which donation."""
    found: dict[str, RefHolder] = {}
    refs_list = sorted(refs)
    for start in range(0, len(refs_list), 500):
        part = refs_list[start:start + 500]
        for row in ledger.conn.execute(
                f"""SELECT d.external_ref, d.entry_id, dn.name, d.date, d.cash_fen, d.goods_fen,
                           (SELECT e.batch_id FROM entries e WHERE e.id = d.entry_id)
                      FROM donations d JOIN donors dn ON dn.id = d.donor_id
                     WHERE d.external_ref IN ({", ".join("?" * len(part))})
                       AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = d.entry_id)""", part):
            found[row[0]] = RefHolder(*row[1:])
    return found


def count(ledger: Ledger) -> int:
    return ledger.conn.execute("SELECT count(*) FROM donations").fetchone()[0]


# Indexes a bulk write of donations may defer: each takes a random insert per row (dates and
# donors come in no order), which at a million rows outgrows the page cache and costs more than
# building the index once, sorted, at the end. The indexes the write itself reads (receipt
# numbers, order numbers, batches) stay; with the rest appended in order, a small page cache
# does, and it also makes the sorted build faster (and an import stay under 100 MB).
BULK_INDEXES = ("donations_date", "donations_donor", "entries_date", "entries_kind_date", "postings_date",
                "postings_fund_date")
BULK_CACHE_KIB = 8000


ROW_TRIGGERS = ("donations_add_to_totals", "postings_add_to_totals", "postings_keep_balance")


@dataclass(frozen=True)
class SuspendedTriggers:
    sqls: list[str]      # CREATE TRIGGER statements, exactly as the schema had them


def suspend_row_triggers(ledger: Ledger) -> SuspendedTriggers:
    """Drop the triggers that add each donation and posting to the kept totals, for an import that
    adds them all at once (``add_batch_totals``). Only inside a write transaction: a rollback
    brings them back, and ``resume_row_triggers`` must run before commit."""
    marks = ", ".join("?" * len(ROW_TRIGGERS))
    sqls = [row[0] for row in ledger.conn.execute(
        f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks}) ORDER BY name", ROW_TRIGGERS)]
    for name in ROW_TRIGGERS:
        ledger.conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    return SuspendedTriggers(sqls)


def resume_row_triggers(ledger: Ledger, suspended: SuspendedTriggers) -> None:
    for sql in suspended.sqls:
        ledger.conn.execute(sql)


def add_batch_totals(ledger: Ledger, batch_id: int) -> None:
    """What the row triggers would have added for the batch's donations, added once: the funds'
    running balances and the report totals, each grouped from the view its trigger reads."""
    conn, batch = ledger.conn, {"batch": batch_id}
    entries = "SELECT id FROM entries WHERE batch_id = :batch"
    conn.execute(f"""UPDATE fund_balances SET cash_fen = cash_fen + t.cash, goods_fen = goods_fen + t.goods,
                            principal_fen = principal_fen + t.principal
                       FROM (SELECT fund_id, sum(cash_fen) AS cash, sum(goods_fen) AS goods, sum(principal_fen) AS principal
                               FROM postings WHERE entry_id IN ({entries}) GROUP BY fund_id) t
                      WHERE fund_balances.fund_id = t.fund_id""", batch)
    conn.execute(f"""INSERT INTO donation_totals
                     SELECT year, month, channel, township, fund_id, count(*), sum(cash_fen), sum(goods_fen)
                       FROM donation_moves WHERE entry_id IN ({entries}) GROUP BY year, month, channel, township, fund_id
                     ON CONFLICT DO UPDATE SET count = count + excluded.count, cash_fen = cash_fen + excluded.cash_fen,
                                               goods_fen = goods_fen + excluded.goods_fen""", batch)
    conn.execute(f"""INSERT INTO donor_totals
                     SELECT year, donor_id, count(*), sum(cash_fen), sum(goods_fen)
                       FROM donation_moves WHERE entry_id IN ({entries}) GROUP BY year, donor_id
                     ON CONFLICT DO UPDATE SET count = count + excluded.count, cash_fen = cash_fen + excluded.cash_fen,
                                               goods_fen = goods_fen + excluded.goods_fen""", batch)
    conn.execute(f"""INSERT INTO posting_totals
                     SELECT year, fund_id, sum(in_cash), sum(out_cash), sum(in_goods), sum(out_goods),
                            sum(cash_fen), sum(goods_fen), sum(principal_fen)
                       FROM posting_moves WHERE id IN (SELECT id FROM postings WHERE entry_id IN ({entries}))
                      GROUP BY year, fund_id
                     ON CONFLICT DO UPDATE SET in_cash = in_cash + excluded.in_cash, out_cash = out_cash + excluded.out_cash,
                        in_goods = in_goods + excluded.in_goods, out_goods = out_goods + excluded.out_goods,
                        cash_fen = cash_fen + excluded.cash_fen, goods_fen = goods_fen + excluded.goods_fen,
                        principal_fen = principal_fen + excluded.principal_fen""", batch)


@dataclass(frozen=True)
class DeferredIndexes:
    sqls: list[str]      # CREATE INDEX statements, exactly as the schema had them
    cache_size: int      # the page cache setting to restore


def defer_indexes(ledger: Ledger, names: tuple[str, ...]) -> DeferredIndexes:
    """Drop these indexes for a bulk write. Only inside a write transaction: a rollback brings them
    back, and ``restore_indexes`` must run before commit."""
    conn = ledger.conn
    marks = ", ".join("?" * len(names))
    sqls = [row[0] for row in conn.execute(
        f"SELECT sql FROM sqlite_master WHERE type = 'index' AND name IN ({marks}) ORDER BY name", names)]
    for name in names:
        conn.execute(f'DROP INDEX IF EXISTS "{name}"')
    deferred = DeferredIndexes(sqls, conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    return deferred


def restore_indexes(ledger: Ledger, deferred: DeferredIndexes) -> None:
    conn = ledger.conn
    try:
        for sql in deferred.sqls:
            conn.execute(sql)
    finally:
        conn.execute(f"PRAGMA cache_size = {deferred.cache_size}")


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
