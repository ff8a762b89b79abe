"""SQL behind the financial statements, in integer fen, by role and by restriction.

Money is "restricted" when it sits in a fund whose kind is not ``general`` (限定性: restricted,
named and endowment funds); the general fund is 非限定性. Like the other reports, the statements
count standing entries: a voided entry and its void are both left out, and an entry counts in the
year of its own date. Opening-balance entries are neither income nor expense: they are there at
the start of the year they are dated in.
"""

from __future__ import annotations

from charitybook.ledger import Ledger, now, pass_through
from charitybook.ledger.standing import AT_START, UP_TO_END, counted

RESTRICTED = "(CASE WHEN f.kind = 'general' THEN 0 ELSE 1 END)"
_NOT_TIER = "NOT EXISTS (SELECT 1 FROM tier_flows t WHERE t.entry_id = e.id)"
# the entries that count in the year, each with its sign (``ledger.standing.counted``)
_COUNTED = f"{counted()} c JOIN entries e ON e.id = c.id"


def _bounds(year: int) -> dict:
    return {"start": f"{year:04d}-01-01", "end": f"{year:04d}-12-31"}


def activity(ledger: Ledger, year: int) -> dict[tuple[str, int], int]:
    """The year's income and expenses from the journal: (role, restricted) -> fen."""
    params = _bounds(year)
    sums: dict[tuple[str, int], int] = {}

    def add(role: str, restricted: int, fen: int) -> None:
        if fen:
            sums[(role, restricted)] = sums.get((role, restricted), 0) + fen

    # donations: the same totals the annual report's receipts read (cash and goods at valuation)
    for restricted, fen in ledger.conn.execute(
            f"""SELECT {RESTRICTED}, sum(t.cash_fen + t.goods_fen) FROM donation_totals t JOIN funds f ON f.id = t.fund_id
                 WHERE t.year = :year GROUP BY 1""", {"year": year}):
        add("donation_income", restricted, fen)
    for restricted, fen in ledger.conn.execute(
            f"""SELECT {RESTRICTED}, sum(c.sign * p.cash_fen) FROM {_COUNTED} JOIN postings p ON p.entry_id = e.id
                  JOIN funds f ON f.id = p.fund_id
                 WHERE e.kind = 'income' AND {_NOT_TIER} GROUP BY 1""", params):
        add("investment_income", restricted, fen)
    # money between tiers (ledger/tiers.py): a grant from a higher body is 其他收入; money passed
    # on to another legal entity is spent on the programme it was passed on for (业务活动成本)
    for kind, restricted, fen in tier_sums(ledger, year):
        if kind == "from_above":
            add("grant_from_higher_body", restricted, fen)
        else:
            add("passed_on", 0, fen)
            if restricted:
                add("restricted_release", 0, fen)
    role = {"charitable": "programme_cost", "management": "management_cost", "fundraising": "fundraising_cost"}
    for purpose, restricted, fen in spending(ledger, year):
        add(role[purpose], 0, fen)                      # expenses sit in the unrestricted column
        if restricted:
            add("restricted_release", 0, fen)           # released by the amount used (财会〔2020〕9号)
    # a transfer between a restricted fund and the general fund moves net assets across
    [moved] = ledger.conn.execute(
        f"""SELECT coalesce(sum(c.sign * (p.cash_fen + p.goods_fen)), 0) FROM {_COUNTED} JOIN postings p ON p.entry_id = e.id
              JOIN funds f ON f.id = p.fund_id
             WHERE e.kind = 'transfer' AND f.kind = 'general'""", params).fetchone()
    add("restricted_release", 0, moved)
    return sums


def tier_sums(ledger: Ledger, year: int) -> list[tuple[str, int, int]]:
    """(tier kind, restricted, fen) of the year's money between tiers, each kind positive (a
    correction of a closed year's flow takes from it)."""
    return ledger.conn.execute(
        f"""SELECT t.kind, {RESTRICTED}, sum(c.sign * abs(p.cash_fen)) FROM {_COUNTED} JOIN tier_flows t ON t.entry_id = e.id
              JOIN postings p ON p.entry_id = e.id JOIN funds f ON f.id = p.fund_id GROUP BY 1, 2""", _bounds(year)).fetchall()


def spending(ledger: Ledger, year: int) -> list[tuple[str, int, int]]:
    """(purpose, restricted, fen) of the year's disbursements, cash and goods."""
    return ledger.conn.execute(
        f"""SELECT x.purpose, {RESTRICTED}, sum(c.sign * (x.cash_fen + x.goods_fen)) FROM {_COUNTED}
              JOIN disbursements x ON x.entry_id = e.id JOIN funds f ON f.id = x.fund_id
             WHERE e.kind = 'disbursement' GROUP BY 1, 2""",
        _bounds(year)).fetchall()


def programmes(ledger: Ledger, year: int) -> dict[str, int]:
    """Charitable spending of the year by relief category ('' for none): the programme lines."""
    rows = ledger.conn.execute(
        f"""SELECT coalesce(x.category, ''), sum(c.sign * (x.cash_fen + x.goods_fen)) FROM {_COUNTED}
              JOIN disbursements x ON x.entry_id = e.id
             WHERE e.kind = 'disbursement' AND x.purpose = 'charitable' GROUP BY 1""", _bounds(year))
    return {category: fen for category, fen in rows if fen}


def holdings(ledger: Ledger, year: int, at_start: bool) -> dict[str, int]:
    """Cash and goods the funds hold at the end of ``year`` (or at its start: what was there
    before it, with the opening balances dated in it), and net assets by restriction."""
    rows = ledger.conn.execute(
        f"""SELECT {RESTRICTED}, coalesce(sum(c.sign * p.cash_fen), 0), coalesce(sum(c.sign * p.goods_fen), 0)
              FROM {counted(AT_START if at_start else UP_TO_END)} c JOIN postings p ON p.entry_id = c.id
              JOIN funds f ON f.id = p.fund_id GROUP BY 1""", _bounds(year)).fetchall()
    result = {"cash": 0, "inventory": 0, "net_assets_unrestricted": 0, "net_assets_restricted": 0}
    for restricted, cash, goods in rows:
        result["cash"] += cash
        result["inventory"] += goods
        result["net_assets_restricted" if restricted else "net_assets_unrestricted"] += cash + goods
    # pass-through gifts held (受托代理, schema.m018_pass_through): in no fund, as much asset as liability
    held = pass_through.held_at(ledger, f"{year - 1:04d}-12-31" if at_start else _bounds(year)["end"])
    result["trust_assets"] = result["trust_liabilities"] = held
    return result


def cash_flows(ledger: Ledger, year: int) -> dict[str, int]:
    """The year's cash movements by cash-flow role. Goods move no cash; transfers between funds
    and opening balances are not flows."""
    params = _bounds(year)
    flows: dict[str, int] = {}
    [donated] = ledger.conn.execute("SELECT coalesce(sum(cash_fen), 0) FROM donation_totals WHERE year = ?", (year,)).fetchone()
    flows["cf_donations"] = donated
    rows = ledger.conn.execute(
        f"""SELECT e.kind, coalesce(x.purpose, ''), sum(c.sign * p.cash_fen) FROM {_COUNTED} JOIN postings p ON p.entry_id = e.id
              LEFT JOIN disbursements x ON x.entry_id = e.id
             WHERE e.kind IN ('income', 'disbursement', 'purchase') AND {_NOT_TIER} GROUP BY 1, 2""", params)
    role = {("income", ""): "cf_investment_income", ("disbursement", "charitable"): "cf_grants_paid",
            ("disbursement", "management"): "cf_other_operating_out", ("disbursement", "fundraising"): "cf_other_operating_out",
            ("purchase", ""): "cf_purchases_paid"}
    for kind, purpose, fen in rows:
        key = role[(kind, purpose)]
        flows[key] = flows.get(key, 0) + (fen if kind == "income" else -fen)
    for kind, _restricted, fen in tier_sums(ledger, year):
        key = "cf_other_operating_in" if kind == "from_above" else "cf_grants_paid"
        flows[key] = flows.get(key, 0) + fen           # outflow lines hold what was paid, as the rows above
    return {key: fen for key, fen in flows.items() if fen}


# --- the accountant's entries ---------------------------------------------------------------

def insert_entry(ledger: Ledger, kind: str, year: int, role: str, restricted: bool, amount_fen: int,
                 note: str | None, void_of: int | None = None) -> int:
    return ledger.insert("statement_entries",
        {"kind": kind, "year": year, "role": role, "restricted": int(restricted), "amount_fen": amount_fen, "note": note,
         "void_of": void_of, "created_at": now(), "created_by": ledger.actor.user})


def entry(ledger: Ledger, entry_id: int) -> dict | None:
    rows = list(ledger.query(
        """SELECT s.*, (SELECT v.id FROM statement_entries v WHERE v.void_of = s.id) AS voided_by
             FROM statement_entries s WHERE s.id = ?""", [entry_id]))
    return rows[0] if rows else None


def entries(ledger: Ledger, until_year: int | None = None) -> list[dict]:
    """Every entry up to ``until_year`` (all without it), voids too, in the order entered."""
    return list(ledger.query(
        """SELECT s.*, (SELECT v.id FROM statement_entries v WHERE v.void_of = s.id) AS voided_by
             FROM statement_entries s WHERE :year IS NULL OR s.year <= :year ORDER BY s.id""", {"year": until_year}))


def entry_sums(ledger: Ledger, until_year: int) -> list[tuple]:
    """(kind of the entry reversed or itself, year, role, restricted, fen) of standing entries up
    to ``until_year``: a void and what it reverses both drop out."""
    return ledger.conn.execute(
        """SELECT s.kind, s.year, s.role, s.restricted, sum(s.amount_fen) FROM statement_entries s
            WHERE s.year <= ? AND s.kind != 'void' AND NOT EXISTS (SELECT 1 FROM statement_entries v WHERE v.void_of = s.id)
            GROUP BY 1, 2, 3, 4""", (until_year,)).fetchall()


def releases(ledger: Ledger, year: int) -> list[dict]:
    """Per restricted fund: what it spent in ``year`` (cash and goods, and money passed on to
    another body), the cash it moved to the general fund (less what came back), and what it held
    at the start and end of the year. The ledger never lets a fund spend more than it holds, nor
    an endowment its principal."""
    params = _bounds(year)
    return list(ledger.query(
        f"""SELECT f.id, f.name AS fund, f.kind,
                   coalesce((SELECT sum(c.sign * (x.cash_fen + x.goods_fen)) FROM {_COUNTED} JOIN disbursements x ON x.entry_id = e.id
                              WHERE x.fund_id = f.id), 0)
                   + coalesce((SELECT sum(c.sign * t.cash_fen) FROM {_COUNTED} JOIN tier_flows t ON t.entry_id = e.id
                                WHERE t.fund_id = f.id AND t.kind != 'from_above'), 0) AS spent,
                   coalesce((SELECT -sum(c.sign * p.cash_fen) FROM {_COUNTED} JOIN postings p ON p.entry_id = e.id
                              WHERE p.fund_id = f.id AND e.kind = 'transfer'
                                AND EXISTS (SELECT 1 FROM postings g JOIN funds gf ON gf.id = g.fund_id
                                             WHERE g.entry_id = e.id AND gf.kind = 'general')), 0) AS moved,
                   coalesce((SELECT sum(c.sign * (p.cash_fen + p.goods_fen)) FROM {counted(AT_START)} c
                              JOIN postings p ON p.entry_id = c.id WHERE p.fund_id = f.id), 0) AS opening,
                   coalesce((SELECT sum(c.sign * (p.cash_fen + p.goods_fen)) FROM {counted(UP_TO_END)} c
                              JOIN postings p ON p.entry_id = c.id WHERE p.fund_id = f.id), 0) AS closing,
                   coalesce((SELECT sum(c.sign * p.principal_fen) FROM {counted(UP_TO_END)} c
                              JOIN postings p ON p.entry_id = c.id WHERE p.fund_id = f.id), 0) AS principal
              FROM funds f WHERE f.kind != 'general' ORDER BY f.id""", params))


# --- the confirmed release from restriction --------------------------------------------------

def insert_confirmation(ledger: Ledger, year: int, on: str, by: str, note: str | None, lines: dict[int, int]) -> int:
    confirmation = ledger.conn.execute(
        "INSERT INTO release_confirmations (year, confirmed_on, by_name, note, at) VALUES (?, ?, ?, ?, ?)",
        (year, on, by, note, now())).lastrowid
    ledger.conn.executemany("INSERT INTO release_lines (confirmation_id, fund_id, amount_fen) VALUES (?, ?, ?)",
                            [(confirmation, fund, fen) for fund, fen in lines.items()])
    return confirmation


def confirmation(ledger: Ledger, year: int) -> tuple[dict, dict[int, int]] | None:
    """The year's latest confirmation and what it booked per fund id, or None."""
    rows = list(ledger.query("SELECT * FROM release_confirmations WHERE year = ? ORDER BY id DESC LIMIT 1", [year]))
    if not rows:
        return None
    lines = dict(ledger.conn.execute("SELECT fund_id, amount_fen FROM release_lines WHERE confirmation_id = ?", (rows[0]["id"],)))
    return rows[0], lines


def confirmed_years(ledger: Ledger, until_year: int) -> list[int]:
    return [year for (year,) in ledger.conn.execute(
        "SELECT DISTINCT year FROM release_confirmations WHERE year <= ? ORDER BY year", (until_year,))]
