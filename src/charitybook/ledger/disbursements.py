"""Disbursements: money and goods going out."""

from __future__ import annotations

from charitybook.ledger import Ledger, listing


def insert_disbursement(ledger: Ledger, row: dict) -> None:
    ledger.insert("disbursements", row)


def disbursement(ledger: Ledger, entry_id: int) -> dict | None:
    return listing.one(ledger, listing.DISBURSEMENTS, entry_id)
