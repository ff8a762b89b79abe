"""Beneficiaries, relief cases and holiday campaigns."""

from __future__ import annotations

from charitybook.ledger import Ledger, now, periods


def beneficiary_by_id_number(ledger: Ledger, id_number: str) -> dict | None:
    rows = list(ledger.query("SELECT * FROM beneficiaries WHERE id_number = ?", [id_number]))
    return rows[0] if rows else None


def beneficiary(ledger: Ledger, beneficiary_id: int) -> dict | None:
    rows = list(ledger.query("SELECT * FROM beneficiaries WHERE id = ?", [beneficiary_id]))
    return rows[0] if rows else None


def insert_beneficiary(ledger: Ledger, row: dict) -> int:
    return ledger.insert("beneficiaries", {**row, "created_at": now()})


def list_beneficiaries(ledger: Ledger, township: str | None) -> list[dict]:
    where, params = ("WHERE township = ?", [township]) if township else ("", [])
    return list(ledger.query(f"SELECT * FROM beneficiaries {where} ORDER BY id", params))


def insert_case(ledger: Ledger, row: dict) -> int:
    return ledger.insert("cases", {**row, "created_at": now()})


def insert_decision(ledger: Ledger, row: dict) -> int:
    periods.require_open(ledger, row["decided_on"])
    return ledger.insert("case_decisions", {**row, "created_at": now()})


_CASE_SQL = """
SELECT c.id, c.beneficiary_id, b.name, b.id_number, b.township, b.village, c.category, c.asked_fen,
       c.reason, c.health, c.opened_on,
       d.decision, d.approved_fen, d.reason AS decision_reason, d.decided_on,
       coalesce((SELECT sum(x.cash_fen + x.goods_fen) FROM disbursements x
                  WHERE x.case_id = c.id
                    AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = x.entry_id)), 0) AS paid_fen
  FROM cases c JOIN beneficiaries b ON b.id = c.beneficiary_id
  LEFT JOIN case_decisions d ON d.id = (SELECT max(id) FROM case_decisions WHERE case_id = c.id)
 WHERE {where} ORDER BY c.id
"""


def case(ledger: Ledger, case_id: int) -> dict | None:
    rows = list(ledger.query(_CASE_SQL.format(where="c.id = :id"), {"id": case_id}))
    return rows[0] if rows else None


def list_cases(ledger: Ledger, category: str | None, township: str | None, year: int | None) -> list[dict]:
    clauses, params = [], {}
    if category:
        clauses.append("c.category = :category")
        params["category"] = category
    if township:
        clauses.append("b.township = :township")
        params["township"] = township
    if year:
        clauses.append("substr(c.opened_on, 1, 4) = :year")
        params["year"] = f"{year:04d}"
    return list(ledger.query(_CASE_SQL.format(where=" AND ".join(clauses) or "1"), params))


def earlier_cases(ledger: Ledger, beneficiary_id: int, category: str, year: int) -> list[dict]:
    return list(ledger.query(
        "SELECT id, opened_on FROM cases WHERE beneficiary_id = ? AND category = ? AND substr(opened_on, 1, 4) = ?",
        [beneficiary_id, category, f"{year:04d}"],
    ))


def campaign(ledger: Ledger, holiday: str, year: int) -> dict | None:
    rows = list(ledger.query("SELECT * FROM campaigns WHERE holiday = ? AND year = ?", [holiday, year]))
    return rows[0] if rows else None


def insert_campaign(ledger: Ledger, holiday: str, year: int, unit: str) -> int:
    return ledger.insert("campaigns", {"holiday": holiday, "year": year, "unit": unit, "created_at": now()})


def earlier_distribution(ledger: Ledger, campaign_id: int, beneficiary_id: int) -> dict | None:
    """The person's standing (not voided) distribution in this campaign, if any."""
    rows = list(ledger.query(
        """SELECT x.entry_id AS id, x.township, e.date, e.batch_id, e.source, b.file_name
             FROM disbursements x JOIN entries e ON e.id = x.entry_id LEFT JOIN batches b ON b.id = e.batch_id
            WHERE x.campaign_id = ? AND x.beneficiary_id = ?
              AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = x.entry_id)""",
        [campaign_id, beneficiary_id],
    ))
    return rows[0] if rows else None


def earlier_category_payment(ledger: Ledger, beneficiary_id: int, category: str, date: str) -> dict | None:
    """A standing payment from an import batch to this person, of this category, on this date."""
    rows = list(ledger.query(
        """SELECT x.entry_id AS id, e.batch_id, e.source FROM disbursements x JOIN entries e ON e.id = x.entry_id
            WHERE x.beneficiary_id = ? AND x.category = ? AND e.date = ? AND e.batch_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = x.entry_id) LIMIT 1""",
        [beneficiary_id, category, date]))
    return rows[0] if rows else None


def category_batches(ledger: Ledger, beneficiary_id: int, category: str, other_than: int) -> list[int]:
    """The standing import batches (but ``other_than``) that paid this person this category."""
    return [row[0] for row in ledger.conn.execute(
        """SELECT DISTINCT e.batch_id FROM disbursements x JOIN entries e ON e.id = x.entry_id
            WHERE x.beneficiary_id = ? AND x.category = ? AND e.batch_id IS NOT NULL AND e.batch_id != ?
              AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = x.entry_id)""",
        (beneficiary_id, category, other_than))]


def list_distributions(ledger: Ledger, holiday: str | None, year: int | None, township: str | None) -> list[dict]:
    clauses, params = ["x.campaign_id IS NOT NULL"], {}
    for key, column, value in (("holiday", "c.holiday", holiday), ("year", "c.year", year), ("township", "x.township", township)):
        if value:
            clauses.append(f"{column} = :{key}")
            params[key] = value
    return list(ledger.query(
        f"""SELECT x.entry_id AS id, e.date, c.holiday, c.year, b.name, b.id_number, x.township, b.village,
                   x.household_size, x.hardship_type, x.cash_fen, x.goods_fen, g.item AS goods, v.id AS voided_by
              FROM disbursements x JOIN entries e ON e.id = x.entry_id
              JOIN campaigns c ON c.id = x.campaign_id JOIN beneficiaries b ON b.id = x.beneficiary_id
              LEFT JOIN goods_lines g ON g.entry_id = x.entry_id
              LEFT JOIN entries v ON v.void_of = x.entry_id
             WHERE {' AND '.join(clauses)} ORDER BY e.date, x.entry_id""",
        params,
    ))
