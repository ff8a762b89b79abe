"""What ``charitybook due`` reads: the years with entries, the fundraising campaigns donations
name, the projects, and their end dates (schema.m016_end_dates)."""

from __future__ import annotations

import json

from charitybook.ledger import Ledger, now


def insert_end(ledger: Ledger, kind: str, name: str, ended: str, note: str | None) -> int:
    return ledger.insert("end_dates",
        {"kind": kind, "name": name, "ended": ended, "note": note, "created_at": now()})


def insert_notice(ledger: Ledger, row: dict) -> int:
    return ledger.insert("notices", {**row, "created_at": now(), "created_by": ledger.actor.user})


# The row that replaced a notice (a correction, or its withdrawal: then the reason too).
_REPLACED = """(SELECT r.id FROM notices r WHERE r.replaces = n.id) AS replaced_by,
               (SELECT r.withdrawn FROM notices r WHERE r.replaces = n.id) AS withdrawn_because"""


def notice(ledger: Ledger, notice_id: int) -> dict | None:
    """One notice, with the id of the row that replaced it (None while it stands)."""
    rows = list(ledger.query(f"SELECT n.*, {_REPLACED} FROM notices n WHERE n.id = ?", [notice_id]))
    return rows[0] if rows else None


def notices(ledger: Ledger, standing_only: bool = False) -> list[dict]:
    """Every notice (or only the standing ones: not replaced, not a withdrawal), by the day it happened."""
    rows = ledger.query(f"SELECT n.*, {_REPLACED} FROM notices n ORDER BY n.happened, n.id")
    return [row for row in rows if not standing_only or (row["replaced_by"] is None and row["withdrawn"] is None)]


def campaign_names(ledger: Ledger) -> list[str]:
    """The fundraising campaigns donations name (``--campaign``)."""
    return [row[0] for row in ledger.conn.execute(
        "SELECT DISTINCT campaign FROM donations WHERE campaign IS NOT NULL AND campaign != '' ORDER BY campaign")]


def ends(ledger: Ledger) -> dict[tuple[str, str], str]:
    """(kind, name) -> the end date of its latest end event (a later event supersedes an earlier one)."""
    return {(kind, name): ended for kind, name, ended in ledger.conn.execute(
        """SELECT kind, name, ended FROM end_dates e
            WHERE id = (SELECT max(id) FROM end_dates l WHERE l.kind = e.kind AND l.name = e.name)""")}


def activity_years(ledger: Ledger) -> list[int]:
    """The calendar years with an entry in the journal (an opening balance is where the books start, not activity)."""
    return [row[0] for row in ledger.conn.execute(
        "SELECT DISTINCT CAST(substr(date, 1, 4) AS INTEGER) AS year FROM entries WHERE kind != 'opening' ORDER BY year")]


# --- the packages of `disclose annual` (reports/disclosure.py) ----------------------------------

# A year's standing donations, one row per counted move (schema.m014's ``donation_counts``: a
# closed year's correction counts in its own year, negatively), with the donation it moves.
_COUNTED = """FROM donation_counts c JOIN entries e ON e.id = c.entry_id
                JOIN donations d ON d.entry_id = coalesce(e.void_of, c.entry_id)
                JOIN donors dn ON dn.id = c.donor_id JOIN funds f ON f.id = c.fund_id
               WHERE c.year = :year"""


def donation_groups(ledger: Ledger, year: int, campaign: str | None = None, fund_id: int | None = None) -> list[dict]:
    """The year's standing donations (of one campaign, or to one fund, or all) grouped by channel,
    platform, donor and fund: a donor's name and type, never an ID number."""
    return list(ledger.query(
        f"""SELECT c.channel, coalesce(d.platform, '') AS platform, c.donor_id, dn.name AS donor, dn.type AS donor_type,
                   coalesce(f.project, f.name) AS project, f.kind AS fund_kind,
                   sum(c.count) AS count, sum(c.cash_fen) AS cash, sum(c.goods_fen) AS goods
              {_COUNTED} AND (:campaign IS NULL OR d.campaign = :campaign) AND (:fund IS NULL OR c.fund_id = :fund)
             GROUP BY 1, 2, 3, 6 HAVING sum(c.count) != 0 OR sum(c.cash_fen) != 0 OR sum(c.goods_fen) != 0""",
        {"year": year, "campaign": campaign, "fund": fund_id}))


def campaigns_in(ledger: Ledger, year: int) -> list[str]:
    """The fundraising campaigns with standing donations counted in ``year``."""
    return [row[0] for row in ledger.conn.execute(
        f"""SELECT d.campaign {_COUNTED} AND d.campaign IS NOT NULL AND d.campaign != ''
             GROUP BY d.campaign HAVING sum(c.count) != 0 OR sum(c.cash_fen + c.goods_fen) != 0 ORDER BY d.campaign""",
        {"year": year})]


def campaign_funds(ledger: Ledger, year: int, campaign: str) -> list[int]:
    """The funds a campaign's donations counted in ``year`` went to."""
    return [row[0] for row in ledger.conn.execute(
        f"SELECT DISTINCT c.fund_id {_COUNTED} AND d.campaign = :campaign ORDER BY 1", {"year": year, "campaign": campaign})]


def spending_groups(ledger: Ledger, fund_ids: list[int] | None) -> list[dict]:
    """The gathered year's standing disbursements (``ledger.reports.gather``) from these funds (all:
    None) by fund, purpose and relief category, with the distinct recipients of each group."""
    return list(ledger.query(
        """SELECT coalesce(f.project, f.name) AS project, x.purpose, coalesce(x.category, '') AS category,
                  count(DISTINCT CASE WHEN x.sign > 0 THEN coalesce('b' || x.beneficiary_id, 'p' || x.payee) END) AS recipients,
                  sum(x.sign) AS count, sum(x.sign * x.cash_fen) AS cash, sum(x.sign * x.goods_fen) AS goods
             FROM r_disbursements x JOIN funds f ON f.id = x.fund_id
            WHERE :funds IS NULL OR x.fund_id IN (SELECT value FROM json_each(:funds))
            GROUP BY 1, 2, 3""", {"funds": None if fund_ids is None else json.dumps(fund_ids)}))


def recipients_by(ledger: Ledger, fund_ids: list[int] | None, key: str) -> list[dict]:
    """Charitable spending from these funds (all: None) by relief category or township, with its
    distinct recipients: aggregates, never a person."""
    expr = {"category": "coalesce(x.category, '')", "township": "coalesce(x.township, '')"}[key]
    return list(ledger.query(
        f"""SELECT {expr} AS key,
                   count(DISTINCT CASE WHEN x.sign > 0 THEN coalesce('b' || x.beneficiary_id, 'p' || x.payee) END) AS recipients,
                   sum(x.sign) AS count, sum(x.sign * (x.cash_fen + x.goods_fen)) AS amount
              FROM r_disbursements x
             WHERE x.purpose = 'charitable' AND (:funds IS NULL OR x.fund_id IN (SELECT value FROM json_each(:funds)))
             GROUP BY 1 ORDER BY sum(x.sign * (x.cash_fen + x.goods_fen)) DESC, 1""",
        {"funds": None if fund_ids is None else json.dumps(fund_ids)}))


def project_funds(ledger: Ledger) -> dict[str, int]:
    """project -> its fund's id."""
    return {name: fund_id for fund_id, name in ledger.conn.execute("SELECT id, project FROM funds WHERE project IS NOT NULL")}


# --- publications (schema.m017_disclosures) -------------------------------------------------------

def insert_publication(ledger: Ledger, year: int, package: str, published_on: str, sha256: str, body: str,
                       supersedes: int | None, changes: str | None) -> int:
    return ledger.conn.execute(
        """INSERT INTO disclosures (year, package, published_on, sha256, body, supersedes, changes, created_at, created_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (year, package, published_on, sha256, body, supersedes, changes, now(), ledger.actor.user)).lastrowid


def latest(ledger: Ledger, year: int, package: str) -> dict | None:
    """The package's latest publication (a correction supersedes what it corrects)."""
    rows = list(ledger.query(
        "SELECT * FROM disclosures WHERE year = ? AND package = ? ORDER BY id DESC LIMIT 1", [year, package]))
    return rows[0] if rows else None


def publications(ledger: Ledger, year: int | None = None) -> list[dict]:
    """Every publication (without its body), oldest first."""
    return list(ledger.query(
        """SELECT id, year, package, published_on, sha256, supersedes, changes, created_at, created_by,
                  (SELECT n.id FROM disclosures n WHERE n.supersedes = p.id) AS superseded_by
             FROM disclosures p WHERE :year IS NULL OR year = :year ORDER BY year, package, id""", {"year": year}))


def first_published(ledger: Ledger) -> dict[tuple[int, str], str]:
    """(year, package) -> the day it was first published (``due``: a correction later does not
    make the first publication late)."""
    return {(year, package): day for year, package, day in ledger.conn.execute(
        "SELECT year, package, min(published_on) FROM disclosures GROUP BY year, package")}
