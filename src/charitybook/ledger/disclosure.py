"""What ``charitybook due`` reads: the years with entries, the fundraising campaigns donations
name, the projects, and their end dates (schema.m016_end_dates)."""

from __future__ import annotations

from charitybook.ledger import Ledger, now


def insert_end(ledger: Ledger, kind: str, name: str, ended: str, note: str | None) -> int:
    return ledger.db["end_dates"].insert(
        {"kind": kind, "name": name, "ended": ended, "note": note, "created_at": now()}).last_pk


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
