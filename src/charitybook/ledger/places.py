"""Places the ledger knows: the townships its entries and people name."""

from __future__ import annotations

from charitybook.ledger import Ledger


def township_known(ledger: Ledger, name: str) -> bool:
    """Whether an entry or a person of the ledger names this township."""
    return ledger.conn.execute(
        """SELECT EXISTS (SELECT 1 FROM donation_totals WHERE township = :name)
               OR EXISTS (SELECT 1 FROM disbursements WHERE township = :name)
               OR EXISTS (SELECT 1 FROM beneficiaries WHERE township = :name)""", {"name": name}).fetchone()[0] == 1


def known_townships(ledger: Ledger) -> set[str]:
    return {row[0] for row in ledger.conn.execute(
        """SELECT township FROM donation_totals WHERE township != ''
           UNION SELECT township FROM disbursements WHERE township IS NOT NULL
           UNION SELECT township FROM beneficiaries WHERE township IS NOT NULL""")}
