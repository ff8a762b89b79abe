"""Donors, donations, receipt numbers and pledges."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple

from charitybook.ledger import Ledger, listing, now, periods


def find_donor(ledger: Ledger, name: str, id_code: str | None) -> dict | None:
    rows = list(ledger.query(
        "SELECT * FROM donors WHERE name = ? AND coalesce(id_code, '') = ?", [name, id_code or ""]
    ))
    return rows[0] if rows else None


def insert_donor(ledger: Ledger, name: str, donor_type: str, contact: str | None, id_code: str | None) -> int:
    return ledger.conn.execute(
        "INSERT INTO donors (name, type, contact, id_code, created_at) VALUES (?, ?, ?, ?, ?)",
        (name, donor_type, contact, id_code, now()),
    ).lastrowid


def next_donor_id(ledger: Ledger) -> int:
    return ledger.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM donors").fetchone()[0]


def insert_donors(ledger: Ledger, donors: list[tuple[int, str, str]]) -> None:
    """Donors with the ids they were given (``services.donations.Donors``): (id, name, type)."""
    created = now()
    ledger.conn.executemany("INSERT INTO donors (id, name, type, created_at) VALUES (?, ?, ?, ?)",
                            [(donor_id, name, donor_type, created) for donor_id, name, donor_type in donors])


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


# A chunk of donations crosses into SQLite as a few multi-row INSERT ... VALUES statements per
# table (``PART`` rows each, all values bound at once): one statement per table and part, not one
# per row, so the GIL stays released while SQLite works and an import can check its next chunk on
# the other core meanwhile. (On SQLite 3.40 this is about twice as fast as a JSON array spread by
# json_extract, which parses each row again for every column.)
PART = 500   # rows per statement: 14 columns x 500 stays far below SQLite's 32,766 variables
_COLUMNS = {
    "entries": ("(id, kind, date, note, created_at, batch_id, source)", "(?, 'donation', ?, ?, ?, ?, ?)"),
    "postings": ("(entry_id, fund_id, cash_fen, goods_fen, principal_fen, date, kind)", "(?, ?, ?, ?, ?, ?, 'donation')"),
    "goods_lines": ("(entry_id, fund_id, item, quantity, unit, unit_value_fen, value_fen)", "(?, ?, ?, ?, ?, ?, ?)"),
    "donations": ("(entry_id, receipt_year, receipt_seq, donor_id, fund_id, cash_fen, goods_fen, channel, platform, "
                  "township, campaign, pledge_id, external_ref, date)", "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
}


@functools.lru_cache(maxsize=32)
def _insert(table: str, rows: int) -> str:
    columns, marks = _COLUMNS[table]
    return f"INSERT INTO {table} {columns} VALUES " + ", ".join([marks] * rows)


@dataclass(frozen=True)
class Prepared:
    """Donations numbered and encoded, ready for ``write_prepared``: (SQL, values) in order."""

    ids: list[int]
    statements: list[tuple[str, list]]
    created_at: str


def prepare_donations(ledger: Ledger, rows: list[DonationRow]) -> Prepared:
    """Give each row the next entry id and encode the chunk. Inside ``ledger.write()``, with no
    other write in flight: the next id is read here. Nothing dated in a closed year is written
    (``periods.require_open_years``)."""
    years: dict[int, int] = {}
    for row in rows:
        years[int(row.date[:4])] = years.get(int(row.date[:4]), 0) + 1
    periods.require_open_years(ledger, years)
    first = ledger.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM entries").fetchone()[0]
    created = now()
    statements = []
    for start in range(0, len(rows), PART):
        part = list(zip(range(first + start, first + start + PART), rows[start:start + PART]))
        statements.append((_insert("entries", len(part)),
                           [v for i, r in part for v in (i, r.date, r.note, created, r.batch_id, r.source)]))
        statements.append((_insert("postings", len(part)),
                           [v for i, r in part for v in (i, r.fund_id, r.cash_fen, r.goods_fen, r.principal_fen, r.date)]))
        goods = [(i, r) for i, r in part if r.item is not None]
        if goods:
            statements.append((_insert("goods_lines", len(goods)), [
                v for i, r in goods for v in (i, r.fund_id, r.item, r.quantity, r.unit, r.unit_value_fen, r.goods_fen)]))
        statements.append((_insert("donations", len(part)), [
            v for i, r in part for v in (i, r.receipt_year, r.receipt_seq, r.donor_id, r.fund_id, r.cash_fen, r.goods_fen,
                                         r.channel, r.platform, r.township, r.campaign, r.pledge_id, r.external_ref, r.date)]))
    return Prepared(list(range(first, first + len(rows))), statements, created)


def write_prepared(ledger: Ledger, prepared: Prepared) -> None:
    """Write a prepared chunk: entries, postings (the balance trigger fires per posting), goods
    lines and donation rows. May run on a writer thread (``services.imports``) while its importer
    leaves the connection alone. Each statement first checks that the transaction is still open:
    a chunk is never written on its own."""
    conn = ledger.conn
    for sql, values in prepared.statements:
        if not conn.in_transaction:
            raise RuntimeError("donations are written only inside a transaction")
        conn.execute(sql, values)
    if not conn.in_transaction:
        raise RuntimeError("donations are written only inside a transaction")


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
    """Which of these order/serial numbers a standing (not voided) donation or pass-through gift already carries, and which."""
    found: dict[str, RefHolder] = {}
    refs_list = sorted(refs)
    for start in range(0, len(refs_list), 500):
        part = refs_list[start:start + 500]
        for row in ledger.conn.execute(
                f"""SELECT d.external_ref, d.entry_id, dn.name, d.date, d.cash_fen, d.goods_fen,
                           (SELECT e.batch_id FROM entries e WHERE e.id = d.entry_id)
                      FROM donations d JOIN donors dn ON dn.id = d.donor_id
                     WHERE d.external_ref IN ({", ".join("?" * len(part))})
                       AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = d.entry_id)
                    UNION ALL  -- a pass-through gift's number (schema.m018_pass_through) is an order number too
                    SELECT g.external_ref, g.entry_id, dn.name, e.date, g.cash_fen, g.goods_fen, e.batch_id
                      FROM pass_through_gifts g JOIN donors dn ON dn.id = g.donor_id JOIN entries e ON e.id = g.entry_id
                     WHERE g.external_ref IN ({", ".join("?" * len(part))})
                       AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = g.entry_id)""", part + part):
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
    adds them all at once (``KeptTotals``). Only inside a write transaction: a rollback
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


class KeptTotals:
    """What the row triggers would add for a bulk write of donations, summed as the rows are
    prepared and added once (``add``): the funds' running balances and the report totals. Each
    sum follows the view its trigger reads (schema.m005/m007: ``donation_moves`` and
    ``posting_moves``, for a donation entry: its year and month from its date, township '' when
    none, every posting of it 'in'); ``check`` recounts them all from the entries."""

    def __init__(self):
        self.donations: dict[tuple, list[int]] = {}   # (year, month, channel, township, fund) -> count, cash, goods
        self.donors: dict[tuple, list[int]] = {}      # (year, donor) -> count, cash, goods
        self.funds: dict[tuple, list[int]] = {}       # (year, fund) -> cash, goods, principal

    def count(self, rows: list[DonationRow]) -> None:
        donations, donors, funds = self.donations, self.donors, self.funds
        for r in rows:
            year, cash, goods = r.receipt_year, r.cash_fen, r.goods_fen
            key = (year, r.date[:7], r.channel, r.township or "", r.fund_id)
            sums = donations.get(key)
            if sums is None:
                donations[key] = [1, cash, goods]
            else:
                sums[0] += 1
                sums[1] += cash
                sums[2] += goods
            key = (year, r.donor_id)
            sums = donors.get(key)
            if sums is None:
                donors[key] = [1, cash, goods]
            else:
                sums[0] += 1
                sums[1] += cash
                sums[2] += goods
            key = (year, r.fund_id)
            sums = funds.get(key)
            if sums is None:
                funds[key] = [cash, goods, r.principal_fen]
            else:
                sums[0] += cash
                sums[1] += goods
                sums[2] += r.principal_fen

    def add(self, ledger: Ledger) -> None:
        """Add the sums to the ledger's totals. Only inside the write transaction of the rows."""
        conn = ledger.conn
        balances: dict[int, list[int]] = {}
        for (_year, fund), (cash, goods, principal) in self.funds.items():
            total = balances.setdefault(fund, [0, 0, 0])
            total[0], total[1], total[2] = total[0] + cash, total[1] + goods, total[2] + principal
        conn.executemany("""UPDATE fund_balances SET cash_fen = cash_fen + ?, goods_fen = goods_fen + ?,
                                   principal_fen = principal_fen + ? WHERE fund_id = ?""",
                         [(*sums, fund) for fund, sums in balances.items()])
        conn.executemany("""INSERT INTO donation_totals VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT DO UPDATE SET count = count + excluded.count, cash_fen = cash_fen + excluded.cash_fen,
                                                      goods_fen = goods_fen + excluded.goods_fen""",
                         [(*key, *sums) for key, sums in self.donations.items()])
        conn.executemany("""INSERT INTO donor_totals VALUES (?, ?, ?, ?, ?)
                            ON CONFLICT DO UPDATE SET count = count + excluded.count, cash_fen = cash_fen + excluded.cash_fen,
                                                      goods_fen = goods_fen + excluded.goods_fen""",
                         [(*key, *sums) for key, sums in self.donors.items()])
        conn.executemany("""INSERT INTO posting_totals VALUES (?, ?, ?, 0, ?, 0, ?, ?, ?)
                            ON CONFLICT DO UPDATE SET in_cash = in_cash + excluded.in_cash,
                               in_goods = in_goods + excluded.in_goods, cash_fen = cash_fen + excluded.cash_fen,
                               goods_fen = goods_fen + excluded.goods_fen, principal_fen = principal_fen + excluded.principal_fen""",
                         [(year, fund, cash, goods, cash, goods, principal) for (year, fund), (cash, goods, principal)
                          in self.funds.items()])
        self.donations, self.donors, self.funds = {}, {}, {}


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
    periods.require_open(ledger, row["date"])
    return ledger.insert("pledges", {**row, "created_at": now()})


def pledge(ledger: Ledger, pledge_id: int) -> dict | None:
    rows = list(ledger.query(_PLEDGE_SQL.format(where="p.id = :id"), {"id": pledge_id}))
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
    rows = list(ledger.query(_PLEDGE_SQL.format(where=" AND ".join(clauses) or "1"), params))
    for row in rows:
        row["outstanding_fen"] = max(0, row["amount_fen"] - row["fulfilled_fen"])
    if filters.get("outstanding"):
        rows = [row for row in rows if row["outstanding_fen"]]
    return rows
