"""What `export audit` puts in the auditor's bundle: ONE declared list of files, each a query and its
columns. A table added to the ledger is one more line here (receipts and stations, when they come).

Each query takes ``:start`` and ``:end`` (the year's first and last day) and returns its columns in
order. A column's kind says how it is written: ``text``, ``int``, ``date``, ``money`` (integer fen
in the ledger, 元 with two decimals in the file) or ``id`` (a citizen ID or credit code: masked
unless the IDs are revealed) or ``text_ids`` (free text, e.g. a logged command line, whose citizen
IDs are masked likewise)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from charitybook.i18n import N_
from charitybook.ledger.receipts import DONATION_NO
from charitybook.ledger import Ledger

# the year's entries: dated in it, and the voids (of any year) dated in it
_YEAR_ENTRIES = "SELECT id FROM entries WHERE date BETWEEN :start AND :end"


@dataclass(frozen=True)
class AuditFile:
    name: str
    columns: tuple[tuple[str, str], ...]   # (column, kind)
    sql: str
    about: str                             # for README.txt (English; translated when written)


AUDIT_FILES: tuple[AuditFile, ...] = (
    AuditFile("entries.csv", (("id", "int"), ("kind", "text"), ("date", "date"), ("void_of", "int"), ("voided_by", "int"),
                              ("voided_on", "date"), ("batch", "int"), ("source", "text"), ("note", "text"), ("created_at", "text")),
              f"""SELECT e.id, e.kind, e.date, e.void_of, v.id, v.date, e.batch_id, e.source, e.note, e.created_at
                    FROM entries e LEFT JOIN entries v ON v.void_of = e.id WHERE e.id IN ({_YEAR_ENTRIES}) ORDER BY e.id""",
              N_("the journal: every entry dated in the year (donations, income, disbursements, purchases, transfers, "
              "opening balances, voids), with the void that reverses it, if any")),
    AuditFile("postings.csv", (("id", "int"), ("entry", "int"), ("date", "date"), ("kind", "text"), ("fund", "text"),
                               ("cash", "money"), ("goods", "money"), ("principal", "money")),
              f"""SELECT p.id, p.entry_id, p.date, p.kind, f.name, p.cash_fen, p.goods_fen, p.principal_fen
                    FROM postings p JOIN funds f ON f.id = p.fund_id WHERE p.entry_id IN ({_YEAR_ENTRIES}) ORDER BY p.id""",
              N_("what each entry moved in each fund: cash, goods (at value) and endowment principal, signed")),
    AuditFile("goods_lines.csv", (("id", "int"), ("entry", "int"), ("fund", "text"), ("item", "text"), ("quantity", "text"),
                                  ("unit", "text"), ("unit_value", "money"), ("value", "money")),
              f"""SELECT g.id, g.entry_id, f.name, g.item, g.quantity, g.unit, g.unit_value_fen, g.value_fen
                    FROM goods_lines g JOIN funds f ON f.id = g.fund_id WHERE g.entry_id IN ({_YEAR_ENTRIES}) ORDER BY g.id""",
              N_("goods received and handed out, by item, quantity and value")),
    AuditFile("donations.csv", (("entry", "int"), ("receipt_no", "text"), ("date", "date"), ("donor", "text"),
                                ("donor_type", "text"), ("donor_id_code", "id"), ("fund", "text"), ("cash", "money"),
                                ("goods", "money"), ("channel", "text"), ("platform", "text"), ("township", "text"),
                                ("campaign", "text"), ("pledge", "int"), ("external_ref", "text"), ("voided_by", "int")),
              f"""SELECT d.entry_id, {DONATION_NO}, d.date, dn.name, dn.type, dn.id_code,
                        f.name, d.cash_fen, d.goods_fen, d.channel, d.platform, d.township, d.campaign, d.pledge_id,
                        d.external_ref, (SELECT v.id FROM entries v WHERE v.void_of = d.entry_id)
                   FROM donations d JOIN donors dn ON dn.id = d.donor_id JOIN funds f ON f.id = d.fund_id
                  WHERE d.date BETWEEN :start AND :end ORDER BY d.entry_id""",
              N_("the donations dated in the year, with the donor and the void that reverses one, if any")),
    AuditFile("disbursements.csv", (("entry", "int"), ("date", "date"), ("fund", "text"), ("payee", "text"), ("purpose", "text"),
                                    ("category", "text"), ("cash", "money"), ("goods", "money"), ("township", "text"),
                                    ("beneficiary", "int"), ("case", "int"), ("campaign", "int"), ("household_size", "int"),
                                    ("hardship_type", "text"), ("voided_by", "int")),
              """SELECT x.entry_id, e.date, f.name, x.payee, x.purpose, x.category, x.cash_fen, x.goods_fen, x.township,
                        x.beneficiary_id, x.case_id, x.campaign_id, x.household_size, x.hardship_type,
                        (SELECT v.id FROM entries v WHERE v.void_of = x.entry_id)
                   FROM disbursements x JOIN entries e ON e.id = x.entry_id JOIN funds f ON f.id = x.fund_id
                  WHERE e.date BETWEEN :start AND :end ORDER BY x.entry_id""",
              N_("money and goods paid out in the year: relief (cases, holiday gifts, rosters), management and fundraising costs")),
    AuditFile("funds.csv", (("id", "int"), ("name", "text"), ("kind", "text"), ("project", "text"), ("sponsor", "text"),
                            ("in_cash", "money"), ("out_cash", "money"), ("in_goods", "money"), ("out_goods", "money"),
                            ("created_at", "text")),
              """SELECT f.id, f.name, f.kind, f.project, f.sponsor, coalesce(t.in_cash, 0), coalesce(t.out_cash, 0),
                        coalesce(t.in_goods, 0), coalesce(t.out_goods, 0), f.created_at
                   FROM funds f LEFT JOIN posting_totals t ON t.fund_id = f.id AND t.year = CAST(substr(:start, 1, 4) AS INTEGER)
                  ORDER BY f.id""",
              N_("every fund, with what came in and went out in the year")),
    AuditFile("beneficiaries.csv", (("id", "int"), ("name", "text"), ("id_number", "id"), ("no_id_reason", "text"),
                                    ("township", "text"), ("village", "text"), ("household_size", "int"),
                                    ("hardship_type", "text")),
              """SELECT b.id, b.name, b.id_number, b.no_id_reason, b.township, b.village, b.household_size, b.hardship_type
                   FROM beneficiaries b
                  WHERE b.id IN (SELECT x.beneficiary_id FROM disbursements x JOIN entries e ON e.id = x.entry_id
                                  WHERE e.date BETWEEN :start AND :end)
                     OR b.id IN (SELECT beneficiary_id FROM cases WHERE opened_on BETWEEN :start AND :end)
                  ORDER BY b.id""",
              N_("the people relief reached in the year, or who asked for it (ID numbers masked unless revealed)")),
    AuditFile("relief_cases.csv", (("id", "int"), ("beneficiary", "int"), ("category", "text"), ("asked", "money"),
                                   ("reason", "text"), ("opened_on", "date")),
              """SELECT c.id, c.beneficiary_id, c.category, c.asked_fen, c.reason, c.opened_on FROM cases c
                  WHERE c.opened_on BETWEEN :start AND :end
                     OR c.id IN (SELECT case_id FROM case_decisions WHERE decided_on BETWEEN :start AND :end) ORDER BY c.id""",
              N_("relief cases opened or decided in the year")),
    AuditFile("case_decisions.csv", (("id", "int"), ("case", "int"), ("decision", "text"), ("approved", "money"),
                                     ("reason", "text"), ("decided_on", "date")),
              """SELECT id, case_id, decision, approved_fen, reason, decided_on FROM case_decisions
                  WHERE decided_on BETWEEN :start AND :end ORDER BY id""",
              N_("the decisions on relief cases in the year (approved amount, or rejected)")),
    AuditFile("holiday_campaigns.csv", (("id", "int"), ("holiday", "text"), ("year", "int"), ("unit", "text")),
              "SELECT id, holiday, year, unit FROM campaigns WHERE year = CAST(substr(:start, 1, 4) AS INTEGER) ORDER BY id",
              N_("the year's holiday-relief campaigns; their gifts are the disbursements with a campaign")),
    AuditFile("import_batches.csv", (("id", "int"), ("kind", "text"), ("file_name", "text"), ("sha256", "text"),
                                     ("rows", "int"), ("replaces", "int"), ("imported_at", "text")),
              f"""SELECT b.id, b.kind, b.file_name, b.sha256, b.rows, b.replaces, b.imported_at FROM batches b
                   WHERE b.id IN (SELECT batch_id FROM entries WHERE id IN ({_YEAR_ENTRIES}) AND batch_id IS NOT NULL)
                   ORDER BY b.id""",
              N_("the imported files the year's entries came from (file name and SHA-256 of the file)")),
    AuditFile("stations.csv", (("id", "int"), ("station", "text"), ("level", "text"), ("township", "text"), ("aliases", "text"),
                               ("created_at", "text")),
              """SELECT s.id, s.name, s.level, p.name, (SELECT group_concat(a.alias, '、') FROM station_aliases a WHERE a.station_id = s.id),
                        s.created_at FROM stations s LEFT JOIN stations p ON p.id = s.parent_id ORDER BY s.id""",
              N_("the register of stations (townships and their villages) with the other names each goes by")),
    AuditFile("tier_flows.csv", (("entry", "int"), ("date", "date"), ("kind", "text"), ("body", "text"), ("fund", "text"),
                                 ("cash", "money"), ("reference", "text")),
              """SELECT t.entry_id, t.date, t.kind, t.body, f.name, t.cash_fen, t.reference FROM tier_flows t
                   JOIN funds f ON f.id = t.fund_id WHERE t.date BETWEEN :start AND :end ORDER BY t.entry_id""",
              N_("money between tiers in the year: grants from a higher body, money passed up or down")),
    AuditFile("receipt_stock.csv", (("id", "int"), ("code", "text"), ("first", "text"), ("last", "text"), ("station", "text"),
                                    ("received", "date")),
              "SELECT id, code, first, last, station, received FROM receipt_stock WHERE received <= :end ORDER BY id",
              N_("the ranges of official donation receipts received by the year's end, and who holds them")),
    AuditFile("receipts.csv", (("id", "int"), ("code", "text"), ("number", "text"), ("kind", "text"), ("date", "date"),
                               ("donor", "text"), ("amount", "money"), ("donations", "text"), ("issuer", "text"),
                               ("reviewer", "text"), ("state", "text"), ("void_reason", "text"), ("voided_on", "date")),
              f"""SELECT r.id, r.code, r.number, r.kind, r.date, dn.name, r.amount_fen,
                        (SELECT group_concat({DONATION_NO}, ' ') FROM receipt_donations x JOIN donations d ON d.entry_id = x.entry_id
                          WHERE x.receipt_id = r.id),
                        r.issuer, r.reviewer, CASE WHEN v.id IS NULL THEN 'issued' ELSE v.action END, v.reason, v.date
                   FROM receipts r JOIN donors dn ON dn.id = r.donor_id
                   LEFT JOIN receipt_events v ON v.receipt_id = r.id AND v.date <= :end
                  WHERE r.date BETWEEN :start AND :end OR v.date BETWEEN :start AND :end ORDER BY r.code, r.number""",
              N_("the official receipts issued in the year, or voided in it, with their state at the year's end (void: 作废, red: 冲红)")),
    AuditFile("spoiled_receipts.csv", (("code", "text"), ("number", "text"), ("action", "text"), ("reason", "text"),
                                       ("date", "date")),
              """SELECT code, number, action, reason, date FROM receipt_events
                  WHERE receipt_id IS NULL AND date BETWEEN :start AND :end ORDER BY code, number""",
              N_("receipt numbers voided in the year without being issued (spoiled blanks)")),
    AuditFile("statement_entries.csv", (("id", "int"), ("kind", "text"), ("year", "int"), ("role", "text"),
                                        ("restricted", "int"), ("amount", "money"), ("note", "text"), ("void_of", "int"),
                                        ("created_at", "text")),
              """SELECT id, kind, year, role, restricted, amount_fen, note, void_of, created_at FROM statement_entries
                  WHERE year <= CAST(substr(:start, 1, 4) AS INTEGER) ORDER BY id""",
              N_("the accountant's opening balances and adjustments of the statements, up to the year")),
    AuditFile("release_confirmations.csv", (("confirmation", "int"), ("year", "int"), ("confirmed_on", "text"), ("by", "text"),
                                            ("fund", "text"), ("released", "money"), ("note", "text"), ("at", "text")),
              """SELECT c.id, c.year, c.confirmed_on, c.by_name, f.name, l.amount_fen, c.note, c.at
                   FROM release_confirmations c LEFT JOIN release_lines l ON l.confirmation_id = c.id
                   LEFT JOIN funds f ON f.id = l.fund_id
                  WHERE c.year <= CAST(substr(:start, 1, 4) AS INTEGER) ORDER BY c.id, f.id""",
              N_("the accountant's confirmations of the release from restriction, one row per fund (the latest of a year counts)")),
    AuditFile("period_events.csv", (("id", "int"), ("year", "int"), ("action", "text"), ("by", "text"), ("note", "text"),
                                    ("at", "text")),
              "SELECT id, year, action, by_name, note, at FROM period_events ORDER BY id",
              N_("every close and reopen of a year (年度结账), with who did it and why")),
    AuditFile("report_fingerprints.csv", (("event", "int"), ("year", "int"), ("report", "text"), ("sha256", "text")),
              """SELECT event_id, year, report, sha256 FROM report_fingerprints
                  WHERE year = CAST(substr(:start, 1, 4) AS INTEGER) ORDER BY id""",
              N_("SHA-256 of the canonical JSON of each report signed when the year was closed")),
    AuditFile("audit_log.csv", (("id", "int"), ("at", "text"), ("os_user", "text"), ("command", "text_ids"), ("action", "text"),
                                ("detail", "text_ids")),
              "SELECT id, at, os_user, command, action, detail FROM audit_log ORDER BY id",
              N_("the whole audit log: who changed the ledger, when, with which command")),
)


def rows(ledger: Ledger, audit_file: AuditFile, start: str, end: str) -> Iterator[tuple]:
    """The file's rows, read as they are written (a cursor: memory stays flat)."""
    cursor = ledger.conn.execute(audit_file.sql, {"start": start, "end": end})
    while batch := cursor.fetchmany(2000):
        yield from batch
