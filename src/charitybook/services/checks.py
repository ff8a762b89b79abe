"""`check`: recompute everything from the journal and say what does not hold."""

from __future__ import annotations

from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import checks as queries
from charitybook.money import yuan


def check(ledger: Ledger) -> list[str]:
    """Every finding is one line; an empty list means the ledger is sound."""
    findings: list[str] = []
    with ledger.read():
        for row in queries.integrity(ledger):
            if row != "ok":
                findings.append(_("SQLite integrity: {row}").format(row=row))
        for row in queries.foreign_key_violations(ledger):
            findings.append(_("broken reference: {row}").format(row=row))
        for row in queries.balance_mismatches(ledger):
            findings.append(_(
                "fund {fund!r}: running balance cash {kept_cash} / goods {kept_goods} / principal {kept_principal} "
                "but the entries add up to {cash} / {goods} / {principal}").format(
                fund=row["name"], kept_cash=yuan(row["kept_cash"]), kept_goods=yuan(row["kept_goods"]),
                kept_principal=yuan(row["kept_principal"]), cash=yuan(row["cash"]), goods=yuan(row["goods"]),
                principal=yuan(row["principal"])))
        for row in queries.negative_funds(ledger):
            findings.append(_("fund {fund!r} is negative: cash {cash}, goods {goods}").format(
                fund=row["name"], cash=yuan(row["cash"]), goods=yuan(row["goods"])))
        for year, expected, found in queries.receipt_gaps(ledger):
            findings.append(_("receipts {year}: numbers 1..{expected} expected, {found} found (a receipt is missing)").format(
                year=year, expected=expected, found=found))
        for row in queries.bad_voids(ledger):
            findings.append(_("void #{id} points to #{target}, which {why}").format(**row))
        for row in queries.detail_mismatches(ledger):
            findings.append(_("entry #{id} ({kind}): detail says {detail} but its postings say {posted}").format(
                id=row["id"], kind=row["kind"], detail=yuan(row["detail"]), posted=yuan(row["posted"])))
        for row in queries.copy_mismatches(ledger):
            findings.append(_("entry #{id}: its {what} row disagrees with the entry's date or kind").format(**row))
        for table, key in queries.totals_mismatches(ledger):
            findings.append(_("report totals {table} {key} disagree with the entries (reports would be wrong)").format(
                table=table, key=key))
    return findings
