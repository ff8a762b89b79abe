"""Places the ledger knows: the townships its entries and people name."""

from __future__ import annotations

from charitybook.ledger import Ledger


def known_townships(ledger: Ledger) -> set[str]:
    return {row[0] for row in ledger.conn.execute(
        """SELECT township FROM donation_totals WHERE township != ''
           UNION SELECT township FROM disbursements WHERE township IS NOT NULL
           UNION SELECT township FROM beneficiaries WHERE township IS NOT NULL""")}
