"""The two writers an import hands its valid records to, inside the import's write transaction.

Each keeps caches (funds, donors, people, campaigns) beside the transaction; a cache entry is
kept only once what it points to is written for good (a row refused inside its savepoint leaves
no trace in the caches either)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from charitybook.errors import CharitybookError, Problem
from charitybook.i18n import _
from charitybook.importers import rows as rowsteps
from charitybook.importers.header import Header
from charitybook.importers.identity import Sketch, record_key
from charitybook.ledger import Ledger
from charitybook.ledger import donations as donation_rows
from charitybook.ledger import funds as fund_rows
from charitybook.ledger import relief as relief_rows
from charitybook.models import Gift, NewDisbursement, NewDonation
from charitybook.money import to_fen, yuan
from charitybook.services import Refused, resolve_fund
from charitybook.services.bulk import BackgroundWriter
from charitybook.services.donations import Donors, donation_row
from charitybook.services.relief import beneficiary_for, campaign_for, write_gift
from charitybook.services.spending import write_disbursement

BULK_AFTER = 20_000   # rows written before a large import defers its indexes (when it doubles the ledger)


@dataclass
class SheetReport:
    name: str | None
    header: Header | None = None
    rows_read: int = 0
    imported: int = 0
    skipped: Counter = field(default_factory=Counter)
    totals: Counter = field(default_factory=Counter)       # fen of the rows written: cash, goods
    duplicates: Counter = field(default_factory=Counter)   # fen of the rows already in the ledger: cash, goods
    hidden_rows: list[int] = field(default_factory=list)   # hidden in Excel, not imported
    mapped_values: Counter = field(default_factory=Counter)  # (field, as written, as meant) -> rows, by --map-value
    sheet_not_township: bool = False                       # the sheet's name is no township the ledger knows


class DonationWriter:
    """Writes a file's checked donations a chunk at a time, in the import's write transaction; or,
    in a dry run (``batch_id`` None), checks them against the ledger and writes nothing.

    For each chunk: order numbers already in the ledger (or earlier in the file) are skipped when the
    row is the same gift and refused when it is not; funds and donors are resolved and receipts
    numbered -- so a skipped row uses up no receipt number and creates no donor. The chunk is then
    written by a background writer while the next one is checked.

    The totals the ledger keeps (fund balances, report totals: schema.m005_report_totals) are
    added once for the whole import, from the same views their per-row triggers read, instead of
    a trigger per row; a large import also defers the indexes that would otherwise take millions
    of random inserts (``ledger.donations.BULK_INDEXES``) and rebuilds them once."""

    def __init__(self, ledger: Ledger, batch_id: int | None, sketch: Sketch, replacing: int | None = None):
        self.ledger, self.batch_id, self.sketch = ledger, batch_id, sketch
        self.dry = batch_id is None
        self.replacing = replacing if self.dry else None  # a dry run does not void it: its numbers are free all the same
        self.funds: dict = {}
        self.donors = Donors(ledger, write=not self.dry)
        self.seqs: dict[int, int] = {}
        self.problems: list[Problem] = []
        self.parties: set[str] = set()   # the donors written, to compare with a batch being replaced
        self.existing = donation_rows.count(ledger)
        self.written = 0
        self.deferred: donation_rows.DeferredIndexes | None = None
        self.suspended: donation_rows.SuspendedTriggers | None = None
        self.background = None if self.dry else BackgroundWriter("charitybook-writer")

    def write(self, chunk: list[tuple[NewDonation, int]], sheets: list[SheetReport]) -> None:
        """One chunk of (donation, index of its sheet in ``sheets``)."""
        ledger = self.ledger
        if not self.dry:
            self.background.wait()  # the last chunk is in the ledger: its order numbers count below
            if self.suspended is None:
                self.suspended = donation_rows.suspend_row_triggers(ledger)
            if self.deferred is None and self.written >= BULK_AFTER and self.written * 2 >= self.existing:
                self.deferred = donation_rows.defer_indexes(ledger, donation_rows.BULK_INDEXES)
        known = donation_rows.standing_refs(ledger, {d.external_ref for d, _s in chunk if d.external_ref})
        if self.replacing is not None:
            known = {ref: holder for ref, holder in known.items() if holder.batch_id != self.replacing}
        rows = []
        for donation, index in chunk:
            sheet = sheets[index]
            cash_fen, goods_fen = to_fen(donation.amount), to_fen(donation.goods.value) if donation.goods else 0
            ref = donation.external_ref
            if ref:
                holder = known.get(ref)
                if holder is not None:
                    self._duplicate(donation, sheet, holder, cash_fen, goods_fen)
                    continue
                known[ref] = donation_rows.RefHolder(0, donation.donor, donation.date.isoformat(), cash_fen, goods_fen)
            try:
                fund = self._fund(donation)
                donor = self.donors.resolve(donation.donor, donation.donor_type)
            except Refused as refused:
                self.problems.append(Problem(donation.source, None, None, refused.message))
                continue
            self.sketch.add(record_key(donation))
            self.parties.add(donation.donor)
            sheet.imported += 1
            sheet.totals["cash"] += cash_fen
            sheet.totals["goods"] += goods_fen
            if self.dry:
                continue
            year = donation.date.year
            seq = self.seqs.get(year) or donation_rows.next_receipt_seq(ledger, year)
            self.seqs[year] = seq + 1
            rows.append(donation_row(donation, fund, donor, seq, self.batch_id))
        if rows:
            self.background.submit(donation_rows.write_prepared, ledger, donation_rows.prepare_donations(ledger, rows))
            self.written += len(rows)

    def _fund(self, donation: NewDonation):
        """The donation's fund; a project's fund is opened on first use (in a dry run, only said to be)."""
        key = (donation.fund, donation.project)
        if key not in self.funds:
            if self.dry and donation.project and not fund_rows.fund_by_project(self.ledger, donation.project):
                if fund_rows.fund_by_name(self.ledger, donation.project):
                    raise Refused(_("a fund named {name!r} exists but is not the project's fund").format(name=donation.project))
                self.funds[key] = None  # would be opened
            else:
                self.funds[key] = resolve_fund(self.ledger, donation.fund, donation.project, create_project=not self.dry)
        return self.funds[key]

    def _duplicate(self, donation: NewDonation, sheet: SheetReport, holder: donation_rows.RefHolder,
                   cash_fen: int, goods_fen: int) -> None:
        """The same order number again: the same gift is skipped and counted; another gift is refused."""
        same = (holder.donor, holder.date, holder.cash_fen, holder.goods_fen) == (
            donation.donor, donation.date.isoformat(), cash_fen, goods_fen)
        if same:
            sheet.skipped["duplicate reference"] += 1
            sheet.duplicates["cash"] += cash_fen
            sheet.duplicates["goods"] += goods_fen
            return
        where = _("donation #{id}").format(id=holder.entry_id) if holder.entry_id else _("an earlier row of this file")
        self.problems.append(Problem(donation.source, None, donation.external_ref, _(
            "order/serial number already used by {where} ({donor}, {amount} 元, {date}) for another gift "
            "({given_donor}, {given_amount} 元, {given_date}): an order number belongs to one gift").format(
            where=where, donor=holder.donor, amount=yuan(holder.cash_fen + holder.goods_fen), date=holder.date,
            given_donor=donation.donor, given_amount=yuan(cash_fen + goods_fen), given_date=donation.date.isoformat())))

    def flush(self) -> list[Problem]:
        """The last chunk written, the kept totals added, deferred indexes rebuilt; the problems found."""
        if not self.dry:
            self.background.wait()
            if self.suspended is not None:
                donation_rows.add_batch_totals(self.ledger, self.batch_id)
                donation_rows.resume_row_triggers(self.ledger, self.suspended)
                self.suspended = None
            if self.deferred is not None:
                donation_rows.restore_indexes(self.ledger, self.deferred)
                self.deferred = None
        return self.problems

    def warnings(self) -> list[str]:
        return []

    def close(self, unwinding: bool = False) -> None:
        """Before the transaction ends, whichever way: no chunk may still be writing. (An import
        that failed: its rollback brings back triggers and indexes.)"""
        if self.background is not None:
            self.background.close(unwinding)
        if self.deferred is not None:
            self.ledger.conn.execute(f"PRAGMA cache_size = {self.deferred.cache_size}")


class ReliefWriter:
    """Each roster row is a holiday gift (--holiday) or a relief payment (--category); the rules
    are checked row by row, each row in its own savepoint."""

    def __init__(self, ledger: Ledger, batch_id: int, options, sketch: Sketch):
        self.ledger, self.batch_id, self.options, self.sketch = ledger, batch_id, options, sketch
        self.people: dict[tuple[str, str], int] = {}   # (ID number, name) -> beneficiary
        self.campaigns: dict[int, dict] = {}
        self.paid: dict[tuple[int, str], str] = {}   # (person, date) -> source, for a category roster
        self.paid_before: Counter = Counter()         # earlier batch -> people of this roster it paid this category
        self.parties: set[str] = set()                # the people paid, to compare with a batch being replaced
        self.fund = None
        self.unit = options.count_by

    def add(self, row: rowsteps.RosterRow, sheet: SheetReport) -> Problem | None:
        options, ledger = self.options, self.ledger
        try:
            with ledger.savepoint():
                if self.fund is None:
                    self.fund = resolve_fund(ledger, options.defaults.fund, options.defaults.project)
                person_id = self.people.get((row.person.id_number, row.person.name)) or beneficiary_for(ledger, row.person)
                if options.holiday:
                    campaign = self._campaign(row, sheet)
                    write_gift(ledger, Gift(options.holiday, campaign["year"], row.person, row.date, row.cash, row.goods,
                                            note=row.note), campaign, person_id, self.fund, self.batch_id, row.source)
                else:
                    self._refuse_paid_twice(row, person_id)
                    write_disbursement(ledger, NewDisbursement(
                        payee=row.person.name, date=row.date, purpose="charitable", amount=row.cash, goods=row.goods,
                        category=options.category, township=row.person.township, note=row.note,
                        beneficiary_id=person_id, household_size=row.person.household_size,
                        hardship_type=row.person.hardship_type, batch_id=self.batch_id, source=row.source), self.fund)
        except CharitybookError as refused:
            message = refused.message
            if row.goods and row.goods.item == rowsteps.GOODS_GIFT and not options.defaults.goods_item:
                message += _("; the roster names no goods item: say which goods in stock its 慰问品 are with --goods-item")
            return Problem(row.source, None, None, message)
        # written for good: now the caches may point at it
        self.people[(row.person.id_number, row.person.name)] = person_id
        if options.holiday:
            self.campaigns.setdefault(campaign["year"], campaign)
            self.unit = campaign["unit"]
        else:
            self.paid[(person_id, row.date.isoformat())] = str(row.source)
        self.sketch.add(record_key(row))
        self.parties.add(row.person.name)
        sheet.imported += 1
        sheet.totals["cash"] += to_fen(row.cash)
        sheet.totals["goods"] += to_fen(row.goods.value) if row.goods else 0
        return None

    def _campaign(self, row: rowsteps.RosterRow, sheet: SheetReport) -> dict:
        year = self.options.year or row.date.year
        if year in self.campaigns:
            return self.campaigns[year]
        unit = self.unit or ("household" if sheet.header and _has_household_columns(sheet.header) else "person")
        return campaign_for(self.ledger, self.options.holiday, year, unit)

    def _refuse_paid_twice(self, row: rowsteps.RosterRow, person_id: int) -> None:
        """A category roster pays a person once per category and date: not twice in one roster,
        and not again in a later file while the first one stands."""
        day = row.date.isoformat()
        earlier = self.paid.get((person_id, day))
        if earlier:
            raise Refused(_("{name} appears twice in this roster for {category} on {date} (also {earlier})").format(
                name=row.person.name, category=self.options.category, date=day, earlier=earlier))
        for batch in relief_rows.category_batches(self.ledger, person_id, self.options.category, self.batch_id):
            self.paid_before[batch] += 1
        paid = relief_rows.earlier_category_payment(self.ledger, person_id, self.options.category, day)
        if paid:
            raise Refused(_("{name} was already paid {category} on {date}: #{id}, import batch #{batch} ({source}); "
                            "if this file corrects that one, use --replace {batch}").format(
                name=row.person.name, category=self.options.category, date=day, id=paid["id"],
                batch=paid["batch_id"], source=paid["source"]))

    def flush(self) -> list[Problem]:
        return []

    def warnings(self) -> list[str]:
        """A category roster most of whose people an earlier batch already paid, on other dates: a
        corrected copy (its date changed), or the next month's payments? Said, not refused."""
        people = len({person for person, _day in self.paid})
        return [_("{n} of the {people} people of this roster were already paid {category} in import batch #{batch}, on "
                  "another date: if this file corrects that one, void it with --replace {batch}").format(
                    n=count, people=people, category=self.options.category, batch=batch)
                for batch, count in self.paid_before.most_common(1) if people and count * 2 >= people]

    def close(self, unwinding: bool = False) -> None:
        return None


def _has_household_columns(header: Header) -> bool:
    texts = " ".join(column.header for column in header.columns)
    return "户主" in texts or "household_size" in header.by_field()
