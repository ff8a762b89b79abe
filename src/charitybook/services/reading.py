"""Lists: what `charitybook list …` shows, as rows of plain data."""

from __future__ import annotations

from charitybook.idnumbers import mask
from charitybook.ledger import Ledger
from charitybook.ledger import disbursements, donations
from charitybook.ledger import funds as fund_rows


def donations_list(ledger: Ledger, filters: dict) -> list[dict]:
    with ledger.read():
        return donations.list_donations(ledger, filters)


def disbursements_list(ledger: Ledger, filters: dict) -> list[dict]:
    with ledger.read():
        return disbursements.list_disbursements(ledger, filters)


def donors_list(ledger: Ledger, filters: dict) -> list[dict]:
    """Donors with their gifts; a credit code or ID number is masked."""
    with ledger.read():
        return [{**row, "id_code": mask(row["id_code"])} for row in donations.list_donors(ledger, filters)]


def pledges_list(ledger: Ledger, filters: dict) -> list[dict]:
    with ledger.read():
        return donations.list_pledges(ledger, filters)


def funds_list(ledger: Ledger) -> list[dict]:
    with ledger.read():
        return fund_rows.statement(ledger, None)
