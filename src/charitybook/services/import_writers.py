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
from charitybook.ledger import relief as relief_rows
from charitybook.models import Gift, NewDisbursement, NewDonation
from charitybook.money import to_fen, yuan
from charitybook.services import Refused, resolve_fund
from charitybook.services.bulk import BackgroundWriter
from charitybook.services.donations import Donors, donation_row
from charitybook.services.relief import beneficiary_for, campaign_for, write_gift
from charitybook.services.spending import write_disbursement

CHUNK = 5000          # rows written at a time (the CSV path holds two chunks: one checked, one writing)
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
    """Writes donations a chunk at a time. For each chunk, on the importing thread: order numbers
    already in the ledger (or earlier in the file) are skipped when the row is the same gift and
    refused when it is not; funds and donors are resolved and receipts numbered -- so a skipped row
    uses up no receipt number and creates no donor. The chunk is then written by a background
    writer while the importer reads and checks the next chunk.

    A large import also defers the indexes that would otherwise take millions of random inserts
    (``ledger.donations.BULK_INDEXES``) and rebuilds them once, in the same transaction."""

    def __init__(self, ledger: Ledger, batch_id: int, sketch: Sketch):
        self.ledger, self.batch_id, self.sketch = ledger, batch_id, sketch
        self.funds: dict = {}
        self.donors = Donors(ledger)
        self.seqs: dict[int, int] = {}
        self.pending: list[tuple[NewDonation, SheetReport]] = []
        self.problems: list[Problem] = []
        self.existing = donation_rows.count(ledger)
        self.written = 0
        self.deferred: donation_rows.DeferredIndexes | None = None
        self.background = BackgroundWriter("charitybook-writer")

    def add(self, donation: NewDonation, sheet: SheetReport) -> None:
        """Problems with a donation are found when its chunk is written: ``flush`` returns them."""
        self.pending.append((donation, sheet))
        if len(self.pending) >= CHUNK:
            self._write()

    def _write(self) -> None:
        self.background.wait()  # the last chunk is in the ledger: its order numbers count below
        ledger = self.ledger
        if self.deferred is None and self.written >= BULK_AFTER and self.written * 2 >= self.existing:
            self.deferred = donation_rows.defer_indexes(ledger, donation_rows.BULK_INDEXES)
        known = donation_rows.standing_refs(ledger, {d.external_ref for d, _s in self.pending if d.external_ref})
        rows = []
        for donation, sheet in self.pending:
            cash_fen, goods_fen = to_fen(donation.amount), to_fen(donation.goods.value) if donation.goods else 0
            ref = donation.external_ref
            if ref:
                holder = known.get(ref)
                if holder is not None:
                    self._duplicate(donation, sheet, holder, cash_fen, goods_fen)
                    continue
                known[ref] = donation_rows.RefHolder(0, donation.donor, donation.date.isoformat(), cash_fen, goods_fen)
            try:
                fund = self.funds.get((donation.fund, donation.project))
                if fund is None:
                    fund = self.funds[(donation.fund, donation.project)] = resolve_fund(
                        ledger, donation.fund, donation.project, create_project=True)
                donor = self.donors.resolve(donation.donor, donation.donor_type)
            except Refused as refused:
                self.problems.append(Problem(donation.source, None, None, refused.message))
                continue
            year = donation.date.year
            seq = self.seqs.get(year) or donation_rows.next_receipt_seq(ledger, year)
            self.seqs[year] = seq + 1
            rows.append(donation_row(donation, fund, donor, seq, self.batch_id))
            self.sketch.add(record_key(donation))
            sheet.imported += 1
            sheet.totals["cash"] += cash_fen
            sheet.totals["goods"] += goods_fen
        self.pending = []
        if rows:
            self.background.submit(donation_rows.write_prepared, ledger, donation_rows.prepare_donations(ledger, rows))
            self.written += len(rows)

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
        """Write what is pending and restore deferred indexes; return the problems found on the way."""
        if self.pending:
            self._write()
        self.background.wait()
        if self.deferred is not None:
            donation_rows.restore_indexes(self.ledger, self.deferred)
            self.deferred = None
        return self.problems

    def warnings(self) -> list[str]:
        return []

    def close(self, unwinding: bool = False) -> None:
        """Before the transaction ends, whichever way: no chunk may still be writing."""
        self.background.close(unwinding)
        if self.deferred is not None:  # an import that failed: the rollback restores the indexes, not this
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
