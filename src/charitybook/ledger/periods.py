"""Closed years (年度结账): the period events, the closed years they make, and the fingerprints of
the reports signed when a year was closed (schema.m014_periods)."""

from __future__ import annotations

import sqlite3

from charitybook.i18n import _
from charitybook.ledger import Ledger, LedgerError, now


class YearClosed(LedgerError):
    """Something dated in a closed year would be written; nothing was."""


def _query(ledger: Ledger, sql: str, params: tuple = ()) -> list[tuple]:
    """A ledger file of an older schema (written by a test, or mid-migration) has no closed years."""
    try:
        return ledger.conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as error:
        if "no such table: closed_years" in str(error):
            return []
        raise


def closed_years(ledger: Ledger) -> set[int]:
    return {row[0] for row in _query(ledger, "SELECT year FROM closed_years")}


def is_closed(ledger: Ledger, year: int) -> bool:
    return bool(_query(ledger, "SELECT 1 FROM closed_years WHERE year = ?", (year,)))


def corrects_closed_year(ledger: Ledger, entry_id: int) -> bool:
    """Whether a void of ``entry_id`` is the correction of a closed year (the entry's year is closed)."""
    return bool(_query(ledger, """SELECT 1 FROM entries e JOIN closed_years c ON c.year = CAST(substr(e.date, 1, 4) AS INTEGER)
                                  WHERE e.id = ?""", (entry_id,)))


def closed_error(year: int, count: int | None = None) -> YearClosed:
    """The refusal: it names the closed year and says where a correction goes."""
    what = (_("{n} row(s) are dated in {year}, a closed year").format(n=count, year=year) if count
            else _("{year} is a closed year").format(year=year))
    return YearClosed(_("{what}: nothing dated in it can be added, imported, replaced or voided").format(what=what),
                      hint=_("record the correction in an open period (a void dated in an open year references "
                             "the closed entry), or reopen the year: period reopen {year} --reason … --by …").format(year=year))


def require_open(ledger: Ledger, date: str) -> None:
    """Refuse writing anything dated ``date`` (ISO text or a date) in a closed year. Every write of
    money or relief passes here (``entries.insert_entry``, pledges, case decisions, the import's
    staging); the schema's triggers refuse the same at the database."""
    year = int(str(date)[:4])
    if is_closed(ledger, year):
        raise closed_error(year)


def require_open_years(ledger: Ledger, years: dict[int, int]) -> None:
    """``years``: rows per year (an import's). Refuse once, with the count, if any year is closed."""
    closed = sorted(year for year in years if year in closed_years(ledger))
    if closed:
        count = sum(years[year] for year in closed)
        raise closed_error(closed[0], count if count > 1 else None)


def insert_event(ledger: Ledger, year: int, action: str, by: str, note: str | None) -> int:
    return ledger.conn.execute("INSERT INTO period_events (year, action, by_name, note, at) VALUES (?, ?, ?, ?, ?)",
                               (year, action, by, note, now())).lastrowid


def events(ledger: Ledger, year: int | None = None) -> list[dict]:
    where, params = ("WHERE year = ?", [year]) if year is not None else ("", [])
    return list(ledger.query(f"SELECT id, year, action, by_name, note, at FROM period_events {where} ORDER BY year, id",
                                params))


def insert_fingerprint(ledger: Ledger, event_id: int, year: int, report: str, sha256: str, body: str) -> None:
    ledger.conn.execute("INSERT INTO report_fingerprints (event_id, year, report, sha256, body) VALUES (?, ?, ?, ?, ?)",
                        (event_id, year, report, sha256, body))


def signed(ledger: Ledger, year: int, report: str) -> dict | None:
    """The fingerprint stored by the year's latest close (the year may have been reopened since)."""
    rows = list(ledger.query(
        """SELECT f.sha256, f.body, p.at, p.by_name FROM report_fingerprints f JOIN period_events p ON p.id = f.event_id
            WHERE f.year = :year AND f.report = :report ORDER BY f.id DESC LIMIT 1""",
        {"year": year, "report": report}))
    return rows[0] if rows else None


def dated_in(ledger: Ledger, batch_id: int) -> dict[int, int]:
    """Standing entries of an import batch per year of their date (a --replace voids them)."""
    return {year: n for year, n in ledger.conn.execute(
        """SELECT CAST(substr(e.date, 1, 4) AS INTEGER), count(*) FROM entries e
            WHERE e.batch_id = ? AND e.kind != 'void' AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = e.id)
            GROUP BY 1""", (batch_id,))}
