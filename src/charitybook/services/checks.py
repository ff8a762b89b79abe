"""`check`: recompute everything from the journal and say what does not hold."""

from __future__ import annotations

from charitybook.i18n import N_, _
from charitybook.ledger import Ledger
from charitybook.ledger import checks as queries
from charitybook.money import yuan


def check(ledger: Ledger, progress=None) -> list[str]:
    """Every finding is one line; an empty list means the ledger is sound. ``progress(done, steps,
    label)`` is told before each step (on five million entries the whole check takes minutes)."""
    steps = ((_storage, _("checking the file and its guards")), (_balances, _("recomputing fund balances")),
             (_journal, _("checking receipts, voids and entries")), (_stock, _("checking goods stock")),
             (_totals, _("recounting report totals")))
    findings: list[str] = []
    with ledger.read():
        for done, (step, label) in enumerate(steps):
            if progress:
                progress(done, len(steps), label)
            findings += step(ledger)
    return findings


def _storage(ledger: Ledger) -> list[str]:
    findings = [_("SQLite integrity: {row}").format(row=row) for row in queries.integrity(ledger) if row != "ok"]
    findings += [_("broken reference: {row}").format(row=row) for row in queries.foreign_key_violations(ledger)]
    return findings + [_("the ledger's trigger {name} is {how}: the schema's guards or kept totals no longer hold; "
                         "restore the ledger from a backup").format(name=name, how=_(_TRIGGER_STATES[how]))
                       for name, how in queries.trigger_differences(ledger)]


_TRIGGER_STATES = {"missing": N_("missing"), "changed": N_("changed"), "extra": N_("not the schema's")}


def _balances(ledger: Ledger) -> list[str]:
    findings = [_(
        "fund {fund!r}: running balance cash {kept_cash} / goods {kept_goods} / principal {kept_principal} "
        "but the entries add up to {cash} / {goods} / {principal}").format(
        fund=row["name"], kept_cash=yuan(row["kept_cash"]), kept_goods=yuan(row["kept_goods"]),
        kept_principal=yuan(row["kept_principal"]), cash=yuan(row["cash"]), goods=yuan(row["goods"]),
        principal=yuan(row["principal"])) for row in queries.balance_mismatches(ledger)]
    return findings + [_("fund {fund!r} is negative: cash {cash}, goods {goods}").format(
        fund=row["name"], cash=yuan(row["cash"]), goods=yuan(row["goods"])) for row in queries.negative_funds(ledger)]


# What `unexplained_entries` finds, as the clerk reads it.
_UNEXPLAINED = {
    "no postings": N_("entry #{id} ({kind}) has no postings: it moves no money, yet it is in the journal"),
    "no donation row": N_("entry #{id} (donation) has no donation row: its money has no donor, receipt or channel"),
    "no disbursement row": N_("entry #{id} (disbursement) has no disbursement row: its money has no payee or purpose"),
    "a donation row": N_("entry #{id} ({kind}) carries a donation row, which only a donation entry may"),
    "a disbursement row": N_("entry #{id} ({kind}) carries a disbursement row, which only a disbursement entry may"),
    "a tier row": N_("entry #{id} ({kind}) carries a row of money between tiers that does not fit it: a grant from above "
                     "is an income entry, money passed on a disbursement entry without a disbursement row, on the entry's date"),
    "postings of a pass-through gift or hand-over": N_(
        "entry #{id} ({kind}) is a pass-through gift or hand-over (受托代理) with postings: such money is in no fund"),
    "a pass-through row": N_("entry #{id} ({kind}) carries a pass-through gift row, which only a donation entry "
                             "without a donation row may"),
    "a hand-over row": N_("entry #{id} ({kind}) carries a hand-over row, which only a disbursement entry "
                          "without a disbursement row may"),
    "not net zero": N_("entry #{id} ({kind}): its postings do not net to zero, so money was made or lost in the move"),
}


def _journal(ledger: Ledger) -> list[str]:
    findings = [_("receipts {year}: numbers 1..{expected} expected, {found} found (a receipt is missing)").format(
        year=year, expected=expected, found=found) for year, expected, found in queries.receipt_gaps(ledger)]
    findings += [_("void #{id} points to #{target}, which {why}").format(**row) for row in queries.bad_voids(ledger)]
    findings += [_("void #{id} does not reverse #{target} exactly: its postings are not the original's, negated").format(
        id=void_id, target=target) for void_id, target in queries.void_mismatches(ledger)]
    findings += [_(_UNEXPLAINED[what]).format(id=entry_id, kind=kind)
                 for entry_id, kind, what in queries.unexplained_entries(ledger)]
    for row in queries.detail_mismatches(ledger):
        if row["elsewhere"]:
            findings.append(_("entry #{id} ({kind}) has postings in another fund than its {kind} row's fund {fund!r}").format(
                id=row["id"], kind=row["kind"], fund=row["fund"]))
        if (row["cash"], row["goods"]) != (row["posted_cash"], row["posted_goods"]):
            findings.append(_("entry #{id} ({kind}): its {kind} row says cash {cash}, goods {goods} in fund {fund!r} "
                              "but its postings there say cash {posted_cash}, goods {posted_goods}").format(
                id=row["id"], kind=row["kind"], fund=row["fund"], cash=yuan(row["cash"]), goods=yuan(row["goods"]),
                posted_cash=yuan(row["posted_cash"]), posted_goods=yuan(row["posted_goods"])))
    findings += [_("entry #{id}: its goods lines in fund {fund!r} add up to {lines} but its postings move {posted} of goods").format(
        id=row["id"], fund=row["fund"], lines=yuan(row["lines"]), posted=yuan(row["posted"]))
        for row in queries.goods_line_mismatches(ledger)]
    return findings + [_("entry #{id}: its {what} row disagrees with the entry's date or kind").format(**row)
                       for row in queries.copy_mismatches(ledger)]


def _stock(ledger: Ledger) -> list[str]:
    findings = []
    for row in queries.negative_stock(ledger):
        if "value_fen" in row:
            findings.append(_("fund {fund!r}: stock of {item!r} is {value} 元, below zero (more went out than came in)").format(
                fund=row["fund"], item=row["item"], value=yuan(row["value_fen"])))
        else:
            findings.append(_("fund {fund!r}: stock of {item!r} is {quantity}, below zero (more went out than came in)").format(
                fund=row["fund"], item=row["item"], quantity=f"{row['quantity']} {row['unit']}".strip()))
    return findings


def _totals(ledger: Ledger) -> list[str]:
    return [_("report totals {table} {key} disagree with the entries (reports would be wrong)").format(table=table, key=key)
            for table, key in queries.totals_mismatches(ledger)]
