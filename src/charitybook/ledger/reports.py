"""SQL aggregates behind the reports. Money stays integer fen here.

Reports count standing entries, as ``ledger.standing`` defines them.
"""

from __future__ import annotations

from charitybook.ledger import Ledger
from charitybook.ledger import tiers
from charitybook.ledger.standing import LATE_VOID, STANDING, STANDING_ON  # noqa: F401 (re-exported)

# Receipts come from the totals the triggers keep (schema.m005_report_totals): a year's donations
# grouped by month, channel, township and fund, and by donor -- a few hundred rows, however many
# donations. The year's disbursements are gathered once by ``gather`` into a temp table (outside
# the ledger file) that the spending and relief breakdowns group over.


def receipt_groups(ledger: Ledger, year: int) -> list[tuple]:
    """(month, channel, township, fund_id, count, cash_fen, goods_fen) of the year's standing donations."""
    return ledger.conn.execute(
        """SELECT month, channel, township, fund_id, count, cash_fen, goods_fen FROM donation_totals
            WHERE year = ? AND count != 0""", (year,)).fetchall()


def donor_groups(ledger: Ledger, year: int) -> list[tuple]:
    """(donor_id, name, type, count, cash_fen, goods_fen) per donor of the year."""
    return ledger.conn.execute(
        """SELECT t.donor_id, dn.name, dn.type, t.count, t.cash_fen, t.goods_fen
             FROM donor_totals t JOIN donors dn ON dn.id = t.donor_id WHERE t.year = ? AND t.count != 0""", (year,)).fetchall()


def fund_projects(ledger: Ledger) -> dict[int, str]:
    return {row[0]: row[1] for row in ledger.conn.execute("SELECT id, coalesce(project, name) FROM funds")}


def gather(ledger: Ledger, year: int) -> dict:
    """Copy the year's standing disbursements into a temp table; returns the period
    parameters. Call inside ``ledger.read()``."""
    params = {"start": f"{year:04d}-01-01", "end": f"{year:04d}-12-31"}
    conn = ledger.conn
    conn.execute("DROP TABLE IF EXISTS temp.r_disbursements")
    conn.execute(f"""CREATE TEMP TABLE r_disbursements AS SELECT x.*, e.date AS date, 1 AS sign
                      FROM entries e JOIN disbursements x ON x.entry_id = e.id
                     WHERE e.kind = 'disbursement' AND e.date BETWEEN :start AND :end AND {STANDING}
                     UNION ALL
                     SELECT x.*, v.date AS date, -1 AS sign
                       FROM entries v JOIN entries e ON e.id = v.void_of JOIN disbursements x ON x.entry_id = e.id
                      WHERE e.kind = 'disbursement' AND {LATE_VOID}""", params)
    return params


def year_totals(ledger: Ledger, year: int) -> dict:
    """Count, cash and goods of a year's standing donations, its other income and its money
    between tiers by kind (ledger.tiers.totals)."""
    count, cash, goods = ledger.conn.execute(
        "SELECT coalesce(sum(count), 0), coalesce(sum(cash_fen), 0), coalesce(sum(goods_fen), 0) FROM donation_totals WHERE year = ?",
        (year,)).fetchone()
    params = {"start": f"{year:04d}-01-01", "end": f"{year:04d}-12-31"}
    return {"count": count, "cash": cash, "goods": goods, "other_income": other_income(ledger, params),
            "tiers": tiers.totals(ledger, params)}


def _q(ledger: Ledger, sql: str, params: dict) -> list[dict]:
    return list(ledger.query(sql, params))


def other_income(ledger: Ledger, params: dict) -> int:
    """Income that is neither a donation nor a grant from a higher body (interest, say); a void in
    an open year of a closed year's income counts in its own year."""
    standing = _q(ledger, f"""SELECT coalesce(sum(p.cash_fen), 0) AS fen FROM entries e JOIN postings p ON p.entry_id = e.id
                              WHERE e.kind = 'income' AND e.date BETWEEN :start AND :end AND {STANDING}
                                AND NOT EXISTS (SELECT 1 FROM tier_flows t WHERE t.entry_id = e.id)""", params)[0]["fen"]
    late = _q(ledger, f"""SELECT coalesce(sum(p.cash_fen), 0) AS fen FROM entries v JOIN entries e ON e.id = v.void_of
                            JOIN postings p ON p.entry_id = v.id WHERE e.kind = 'income' AND {LATE_VOID}
                             AND NOT EXISTS (SELECT 1 FROM tier_flows t WHERE t.entry_id = e.id)""", params)[0]["fen"]
    return standing + late


def pledges_outstanding(ledger: Ledger, end: str) -> dict:
    rows = _q(ledger, f"""SELECT p.amount_fen - coalesce((SELECT sum(d.cash_fen + d.goods_fen) FROM donations d JOIN entries e ON e.id = d.entry_id
                                                          WHERE d.pledge_id = p.id AND e.date <= :end AND {STANDING_ON}), 0) AS left
                            FROM pledges p WHERE p.date <= :end""", {"end": end})
    open_rows = [row["left"] for row in rows if row["left"] > 0]
    return {"count": len(open_rows), "amount": sum(open_rows)}


def spending_by_purpose(ledger: Ledger, params: dict) -> dict[str, int]:
    rows = _q(ledger, "SELECT x.purpose, sum(x.sign * (x.cash_fen + x.goods_fen)) AS fen FROM r_disbursements x GROUP BY x.purpose", params)
    return {row["purpose"]: row["fen"] for row in rows}


def relief_by(ledger: Ledger, params: dict, key: str) -> list[dict]:
    """Charitable spending with a category, grouped by category or township. Recipients are
    distinct beneficiaries where known, else distinct payees."""
    expr = {"category": "x.category", "township": "coalesce(x.township, '')"}[key]
    return _q(ledger, f"""SELECT {expr} AS key,
                                 count(DISTINCT CASE WHEN x.sign > 0 THEN coalesce('b' || x.beneficiary_id, 'p' || x.payee) END) AS recipients,
                                 sum(x.sign) AS count, sum(x.sign * x.cash_fen) AS cash, sum(x.sign * x.goods_fen) AS goods
                            FROM r_disbursements x WHERE x.purpose = 'charitable' AND x.category IS NOT NULL
                           GROUP BY key ORDER BY sum(x.sign * (x.cash_fen + x.goods_fen)) DESC, key""", params)


def campaigns(ledger: Ledger, year: int, holiday: str | None) -> list[dict]:
    sql = "SELECT * FROM campaigns WHERE year = :year" + (" AND holiday = :holiday" if holiday else "") + " ORDER BY id"
    return _q(ledger, sql, {"year": year, "holiday": holiday})


def campaign_by(ledger: Ledger, campaign_id: int, key: str | None) -> list[dict]:
    """A holiday campaign's standing gifts: in total (key None), by township or by hardship type."""
    expr = {None: "''", "township": "coalesce(x.township, '')", "hardship_type": "coalesce(x.hardship_type, '')"}[key]
    return _q(ledger, f"""SELECT {expr} AS key, count(DISTINCT x.beneficiary_id) AS recipients,
                                 coalesce(sum(x.household_size), 0) AS persons,
                                 coalesce(sum(x.cash_fen), 0) AS cash, coalesce(sum(x.goods_fen), 0) AS goods
                            FROM disbursements x JOIN entries e ON e.id = x.entry_id
                           WHERE x.campaign_id = :campaign AND {STANDING}
                           GROUP BY key ORDER BY sum(x.cash_fen + x.goods_fen) DESC, key""", {"campaign": campaign_id})


def has_activity(ledger: Ledger, year: int) -> bool:
    row = ledger.conn.execute("SELECT 1 FROM entries WHERE date BETWEEN ? AND ? AND kind != 'opening' LIMIT 1",
                              (f"{year:04d}-01-01", f"{year:04d}-12-31")).fetchone()
    return row is not None


def donor_gifts(ledger: Ledger, donor: str, params: dict) -> list[dict]:
    return _q(ledger, f"""SELECT e.id, e.date, printf('%04d-%06d', d.receipt_year, d.receipt_seq) AS receipt_no,
                                 d.cash_fen AS cash, d.goods_fen AS goods, g.item AS goods_item, f.name AS fund, d.channel, d.campaign
                            FROM donations d JOIN entries e ON e.id = d.entry_id JOIN donors dn ON dn.id = d.donor_id
                            JOIN funds f ON f.id = d.fund_id LEFT JOIN goods_lines g ON g.entry_id = d.entry_id
                           WHERE dn.name = :donor AND e.date BETWEEN :start AND :end AND {STANDING}
                           ORDER BY e.date, e.id""", {**params, "donor": donor})


def donor_exists(ledger: Ledger, donor: str) -> dict | None:
    rows = _q(ledger, "SELECT name, type FROM donors WHERE name = :donor LIMIT 1", {"donor": donor})
    return rows[0] if rows else None


# --- stations (report station): what each township and village collected, gave and reached --------

# A gift to a person counts for the person's village when the person's village is in the township
# the gift names; otherwise for the township (or village) the entry names.
_STATION_OF_GIFT = """CASE WHEN b.village IS NOT NULL AND b.village != '' AND b.township IS x.township
                           THEN b.village ELSE coalesce(x.township, '') END"""


def donations_by_station(ledger: Ledger, year: int) -> list[tuple]:
    """(township column, count, cash_fen, goods_fen) of the year's standing donations."""
    return ledger.conn.execute(
        """SELECT township, sum(count), sum(cash_fen), sum(goods_fen) FROM donation_totals
            WHERE year = ? AND count != 0 AND township != '' GROUP BY township""", (year,)).fetchall()


def relief_by_station(ledger: Ledger) -> list[dict]:
    """Per station and category: the gathered year's charitable relief, with what of it paid relief
    cases and what holiday relief. Call after ``gather``."""
    return _q(ledger, f"""SELECT {_STATION_OF_GIFT} AS station, x.category, count(*) AS count,
                                 sum(x.cash_fen) AS cash, sum(x.goods_fen) AS goods,
                                 sum(CASE WHEN x.case_id IS NOT NULL THEN x.cash_fen + x.goods_fen ELSE 0 END) AS cases,
                                 sum(CASE WHEN x.campaign_id IS NOT NULL THEN x.cash_fen + x.goods_fen ELSE 0 END) AS holiday
                            FROM r_disbursements x LEFT JOIN beneficiaries b ON b.id = x.beneficiary_id
                           WHERE x.purpose = 'charitable' AND x.category IS NOT NULL
                           GROUP BY station, x.category""", {})


def reached_by_station(ledger: Ledger) -> list[tuple]:
    """(station, beneficiary id, 'household' | 'person') of every person the gathered year's relief
    reached: a holiday roster counts by its campaign's unit, everything else by household."""
    return ledger.conn.execute(
        f"""SELECT DISTINCT {_STATION_OF_GIFT} AS station, x.beneficiary_id, coalesce(c.unit, 'household')
              FROM r_disbursements x JOIN beneficiaries b ON b.id = x.beneficiary_id
              LEFT JOIN campaigns c ON c.id = x.campaign_id
             WHERE x.purpose = 'charitable'""").fetchall()


def station_funds(ledger: Ledger) -> dict[int, str]:
    """fund id -> the name of the station whose fund it is."""
    return dict(ledger.conn.execute("SELECT f.id, s.name FROM funds f JOIN stations s ON s.id = f.station_id"))
