"""Lists of a million rows: counted and filtered in SQL, read a page at a time or streamed.

A list is a SELECT of one row per donation (or disbursement, or donor), a chronological order,
and the filters it takes, each as SQL on the list's own table so that counting needs no join.
``page`` reads the latest rows first (what a terminal shows) and returns them in order; ``stream``
yields every row in order from one cursor, never holding them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from charitybook.ledger import Ledger

@dataclass(frozen=True)
class Listing:
    select: str                     # SELECT … FROM … joins, no WHERE
    base: str                       # the list's own table and alias, for counting: "donations d"
    order: tuple[str, ...]          # chronological order, e.g. ("d.date", "d.entry_id")
    filters: dict[str, str] = field(default_factory=dict)   # filter key -> SQL condition with :key
    count_join: str = ""            # a join counting needs (disbursements: their entries' dates)

    def where(self, given: dict) -> tuple[str, dict]:
        clauses = [sql for key, sql in self.filters.items() if given.get(key) not in (None, "")]
        params = {key: given[key] for key in self.filters if given.get(key) not in (None, "")}
        return (" AND ".join(clauses) or "1"), params


DONATIONS = Listing(
    select="""
SELECT d.entry_id AS id, printf('%04d-%06d', d.receipt_year, d.receipt_seq) AS receipt_no,
       d.date, dn.name AS donor, dn.type AS donor_type, d.cash_fen, d.goods_fen,
       g.item AS goods, g.quantity, g.unit, d.channel, d.platform, f.name AS fund, f.project,
       d.township, d.campaign, d.pledge_id, d.external_ref, e.note, v.id AS voided_by
  FROM donations d
  JOIN entries e ON e.id = d.entry_id
  JOIN donors dn ON dn.id = d.donor_id
  JOIN funds f ON f.id = d.fund_id
  LEFT JOIN goods_lines g ON g.entry_id = d.entry_id
  LEFT JOIN entries v ON v.void_of = d.entry_id""",
    base="donations d",
    order=("d.date", "d.entry_id"),
    filters={"start": "d.date >= :start", "end": "d.date <= :end",
             "donor": "d.donor_id IN (SELECT id FROM donors WHERE name = :donor)",
             "fund": "d.fund_id IN (SELECT id FROM funds WHERE name = :fund)",
             "project": "d.fund_id IN (SELECT id FROM funds WHERE project = :project)",
             "township": "d.township = :township", "id": "d.entry_id = :id"},
)

DISBURSEMENTS = Listing(
    select="""
SELECT x.entry_id AS id, e.date, x.payee, x.purpose, x.category, x.cash_fen, x.goods_fen,
       g.item AS goods, g.quantity, g.unit, f.name AS fund, f.project, x.township, e.note,
       x.beneficiary_id, x.case_id, x.campaign_id, v.id AS voided_by
  FROM disbursements x
  JOIN entries e ON e.id = x.entry_id
  JOIN funds f ON f.id = x.fund_id
  LEFT JOIN goods_lines g ON g.entry_id = x.entry_id
  LEFT JOIN entries v ON v.void_of = x.entry_id""",
    base="disbursements x",
    count_join="JOIN entries e ON e.id = x.entry_id",
    order=("e.date", "x.entry_id"),
    filters={"start": "e.date >= :start", "end": "e.date <= :end",
             "fund": "x.fund_id IN (SELECT id FROM funds WHERE name = :fund)",
             "project": "x.fund_id IN (SELECT id FROM funds WHERE project = :project)",
             "township": "x.township = :township", "purpose": "x.purpose = :purpose",
             "category": "x.category = :category", "payee": "x.payee = :payee", "id": "x.entry_id = :id"},
)

# money between tiers: grants from above and money passed on (schema.m012_tier_kinds)
TIERS = Listing(
    select="""
SELECT t.entry_id AS id, t.date, t.kind, t.body, t.cash_fen, f.name AS fund, f.project, t.reference, e.note,
       v.id AS voided_by
  FROM tier_flows t
  JOIN entries e ON e.id = t.entry_id
  JOIN funds f ON f.id = t.fund_id
  LEFT JOIN entries v ON v.void_of = t.entry_id""",
    base="tier_flows t",
    order=("t.date", "t.entry_id"),
    filters={"start": "t.date >= :start", "end": "t.date <= :end", "kind": "t.kind = :kind",
             "fund": "t.fund_id IN (SELECT id FROM funds WHERE name = :fund)",
             "project": "t.fund_id IN (SELECT id FROM funds WHERE project = :project)",
             "body": "t.body = :body", "id": "t.entry_id = :id"},
)

# a donor's gifts from the totals the ledger keeps per year (schema.m005_report_totals)
DONORS = Listing(
    select="""
SELECT dn.id, dn.name, dn.type, dn.contact, dn.id_code,
       coalesce((SELECT sum(t.count) FROM donor_totals t WHERE t.donor_id = dn.id), 0) AS donations,
       coalesce((SELECT sum(t.cash_fen) FROM donor_totals t WHERE t.donor_id = dn.id), 0) AS cash_fen,
       coalesce((SELECT sum(t.goods_fen) FROM donor_totals t WHERE t.donor_id = dn.id), 0) AS goods_fen
  FROM donors dn""",
    base="donors dn",
    order=("dn.id",),
    filters={"donor": "dn.name = :donor", "type": "dn.type = :type"},
)


def count(ledger: Ledger, listing: Listing, given: dict) -> int:
    where, params = listing.where(given)
    return ledger.conn.execute(f"SELECT count(*) FROM {listing.base} {listing.count_join} WHERE {where}", params).fetchone()[0]


def page(ledger: Ledger, listing: Listing, given: dict, limit: int, offset: int = 0) -> tuple[list[str], list[tuple]]:
    """The ``limit`` latest rows after skipping the ``offset`` latest, in chronological order.
    The page's rows are found on the list's own table first and only they are joined: the date
    index orders by date alone, so the latest rows are sorted by id within their dates, and
    joining before that sort joined a whole day's rows (thousands in a 99公益日 campaign)."""
    where, params = listing.where(given)
    latest = ", ".join(f"{column} DESC" for column in listing.order)
    key = f"{listing.base.split()[-1]}.rowid"
    cursor = ledger.conn.execute(
        f"{listing.select} WHERE {key} IN (SELECT {key} FROM {listing.base} {listing.count_join} WHERE {where} "
        f"ORDER BY {latest} LIMIT :limit OFFSET :offset) ORDER BY {', '.join(listing.order)}",
        {**params, "limit": limit, "offset": offset})
    names = [column[0] for column in cursor.description]
    return names, cursor.fetchall()


def stream(ledger: Ledger, listing: Listing, given: dict, limit: int | None = None,
           offset: int = 0) -> tuple[list[str], Iterator[tuple]]:
    """Every row in chronological order (or ``limit`` of them after ``offset``), one at a time."""
    where, params = listing.where(given)
    order = ", ".join(listing.order)
    cursor = ledger.conn.execute(
        f"{listing.select} WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset",
        {**params, "limit": -1 if limit is None else limit, "offset": offset})
    cursor.arraysize = 2000
    names = [column[0] for column in cursor.description]

    def rows() -> Iterator[tuple]:
        while batch := cursor.fetchmany():
            yield from batch
    return names, rows()


def one(ledger: Ledger, listing: Listing, entry_id: int) -> dict | None:
    names, rows = page(ledger, listing, {"id": entry_id}, 1)
    return dict(zip(names, rows[0])) if rows else None
