"""``receipt import FILE``: electronic receipts from the provincial platform's export, matched to
donations. All or nothing; a receipt already in the ledger (its code and number) is not added
again. A receipt matches a standing donation without a receipt of the same donor name and amount
(cash and goods) dated on the receipt's day or up to ``WITHIN_DAYS`` before it; only a single
candidate is a match. Unmatched receipts are listed and not written (record the donation, then
import the file again); donations of the file's period still without a receipt are listed too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from charitybook.errors import ProblemsFound
from charitybook.i18n import _
from charitybook.importers.e_receipts import EReceipt, read_export
from charitybook.ledger import Ledger
from charitybook.ledger import receipts as rows
from charitybook.services.receipts import check_event_date

WITHIN_DAYS = 7   # a receipt is issued within a week of the gift (Hebei rule, REFERENCE.md §3.1)


@dataclass(frozen=True)
class ImportResult:
    matched: list[dict]
    unmatched_receipts: list[dict]
    unmatched_donations: list[dict]
    already: int
    written: bool


def import_receipts(ledger: Ledger, path: Path, *, dry_run: bool = False) -> ImportResult:
    found, problems = read_export(Path(path))
    if problems:
        raise ProblemsFound(_("{n} row(s) of the export cannot be read; nothing was imported").format(n=len(problems)),
                            problems, hint=_("correct the rows named and import the file again"))
    with ledger.write():
        fresh = [r for r in found if rows.receipt(ledger, r.code, r.number) is None]
        if not found:
            return ImportResult([], [], [], 0, False)
        start = (min(r.date for r in found) - dt.timedelta(days=WITHIN_DAYS)).isoformat()
        waiting = rows.unreceipted_donations(ledger, start, max(r.date for r in found).isoformat())
        matched, unmatched, taken = [], [], set()
        for receipt in sorted(fresh, key=lambda r: (r.date, r.code, r.number)):
            candidates = [d for d in waiting if d["entry_id"] not in taken and _fits(receipt, d)]
            if len(candidates) == 1:
                taken.add(candidates[0]["entry_id"])
                matched.append(_row(receipt, candidates[0]))
                if not dry_run:
                    _write(ledger, receipt, candidates[0])
            else:
                unmatched.append({**_row(receipt, None), "candidates": len(candidates)})
        left = [d for d in waiting if d["entry_id"] not in taken]
        if not dry_run and matched:
            ledger.audit("receipt import", {"file": str(path), "matched": len(matched), "unmatched": len(unmatched)})
    return ImportResult(matched, unmatched, left, len(found) - len(fresh), not dry_run and bool(matched))


def _fits(receipt: EReceipt, donation: dict) -> bool:
    gap = (receipt.date - dt.date.fromisoformat(donation["date"])).days
    return (donation["donor"] == receipt.donor and donation["cash_fen"] + donation["goods_fen"] == receipt.amount_fen
            and 0 <= gap <= WITHIN_DAYS)


def _row(receipt: EReceipt, donation: dict | None) -> dict:
    return {"code": receipt.code, "number": receipt.number, "date": receipt.date.isoformat(), "donor": receipt.donor,
            "amount_fen": receipt.amount_fen, "state": "voided" if receipt.voided else "issued",
            "donation": donation["donation"] if donation else None, "row": str(receipt.source)}


def _write(ledger: Ledger, receipt: EReceipt, donation: dict) -> None:
    day = check_event_date(ledger, receipt.date)
    receipt_id = rows.insert_receipt(
        ledger, code=receipt.code, number=receipt.number, kind="electronic", stock_id=None, station=None,
        date=day.isoformat(), donor_id=donation["donor_id"], amount_fen=receipt.amount_fen,
        issuer=_("provincial platform"), reviewer=None, source=str(receipt.source), entry_ids=[donation["entry_id"]])
    if receipt.voided:
        rows.insert_event(ledger, receipt.code, receipt.number, receipt_id, "red",
                          receipt.reason or _("冲红 on the platform"), None, day.isoformat())
