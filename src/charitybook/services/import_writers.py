"""The two writers an import hands its valid records to, inside the import's write transaction.

Each keeps caches (funds, donors, people, campaigns) beside the transaction; a cache entry is
kept only once what it points to is written for good (a row refused inside its savepoint leaves
no trace in the caches either)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from charitybook.errors import CharitybookError, Problem, Source
from charitybook.i18n import _
from charitybook.importers import rows as rowsteps
from charitybook.importers.header import Header
from charitybook.importers.identity import Sketch
from charitybook.ledger import Ledger
from charitybook.ledger import donations as donation_rows
from charitybook.ledger import funds as fund_rows
from charitybook.ledger import relief as relief_rows
from charitybook.models import Gift, NewDisbursement, NewDonation
from charitybook.money import to_fen, yuan
from charitybook.services import Refused, resolve_fund
from charitybook.services.bulk import BackgroundWriter
from charitybook.services.donations import Donors
from charitybook.services.pass_through import write_staged_gift
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


# A checked donation as it waits for the write lock (``services.spool``): plain values, no objects,
# everything that does not need the ledger already worked out (fen, dates as text, the channel as
# stored, the row's digest for the batch's sketch). The writer adds fund, donor and receipt number.
STAGED = ("sheet", "row", "ref", "donor", "donor_type", "date", "cash", "goods", "fund", "project", "source", "note",
          "item", "quantity", "unit", "unit_value", "channel", "platform", "township", "campaign", "digest", "recipient")
S_ROW, S_REF, S_DONOR, S_DATE, S_CASH, S_GOODS, S_DIGEST, S_RECIPIENT = (
    STAGED.index(name) for name in ("row", "ref", "donor", "date", "cash", "goods", "digest", "recipient"))
_UNKNOWN = object()


def staged(donation: NewDonation, sheet: int, digest: int) -> tuple:
    """A checked donation of sheet number ``sheet`` (its index in the report), as the spool keeps it."""
    cash_fen, g = to_fen(donation.amount), donation.goods
    goods_fen = to_fen(g.value) if g else 0
    channel = donation.channel if cash_fen else ("goods" if donation.channel == "cash" else donation.channel)
    source = donation.source
    return (sheet, source.row, donation.external_ref, donation.donor, donation.donor_type, donation.date.isoformat(),
            cash_fen, goods_fen, donation.fund, donation.project, str(source), donation.note,
            g.item if g else None, str(g.quantity) if g and g.quantity is not None else None, g.unit if g else None,
            to_fen(g.unit_value) if g and g.unit_value is not None else None,
            channel, donation.platform, donation.township, donation.campaign, digest, donation.recipient)


def donation_row(row: tuple, fund, donor_id: int, seq: int, batch_id: int | None) -> donation_rows.DonationRow:
    """The ledger row of a staged donation (``services.donations.donation_row`` for one typed in)."""
    cash_fen = row[6]
    return donation_rows.DonationRow(
        row[5], row[11], batch_id, row[10], fund.id, cash_fen, row[7], cash_fen if fund.kind == "endowment" else 0,
        row[12], row[13], row[14], row[15], int(row[5][:4]), seq, donor_id, row[16], row[17], row[18], row[19], None, row[2])


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

    def __init__(self, ledger: Ledger, batch_id: int | None, sketch: Sketch, replacing: int | None = None, file: str = ""):
        self.ledger, self.batch_id, self.sketch, self.file = ledger, batch_id, sketch, file
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
        self.totals = donation_rows.KeptTotals()
        self.background = None if self.dry else BackgroundWriter("charitybook-writer")
        self.pass_through: list[tuple[tuple, int]] = []   # (staged row, donor id): pass-through gifts, written at the end

    def write(self, chunk: list[tuple], sheets: list[SheetReport]) -> None:
        """One chunk of ``staged`` donations."""
        ledger = self.ledger
        if not self.dry:
            self.background.wait()  # the last chunk is in the ledger: its order numbers count below
            if self.suspended is None:
                self.suspended = donation_rows.suspend_row_triggers(ledger)
            if self.deferred is None and self.written >= BULK_AFTER and self.written * 2 >= self.existing:
                self.deferred = donation_rows.defer_indexes(ledger, donation_rows.BULK_INDEXES)
        known = donation_rows.standing_refs(ledger, {row[S_REF] for row in chunk if row[S_REF]})
        if self.replacing is not None:
            known = {ref: holder for ref, holder in known.items() if holder.batch_id != self.replacing}
        rows, kept, funds, donors, seqs = [], [], self.funds, self.donors, self.seqs
        batch, dry, make = self.batch_id, self.dry, donation_row
        for staged_row in chunk:
            (index, row_number, ref, donor, donor_type, day, cash_fen, goods_fen, fund_name, project, source, note,
             item, quantity, unit, unit_value_fen, channel, platform, township, campaign, digest, recipient) = staged_row
            if ref:
                holder = known.get(ref)
                if holder is not None:
                    self._duplicate(staged_row, sheets[index], holder)
                    continue
                known[ref] = donation_rows.RefHolder(0, donor, day, cash_fen, goods_fen)
            if recipient is not None:   # a pass-through gift (受托代理): in no fund, no receipt number
                try:
                    found = donors.known.get((donor, "")) or donors.resolve(donor, donor_type)
                except Refused as refused:
                    self.problems.append(Problem(Source(self.file, sheets[index].name, row_number), None, None,
                                                 refused.message))
                    continue
                kept.append(staged_row)
                if not dry:
                    self.pass_through.append((staged_row, found[0]))
                continue
            fund = funds.get((fund_name, project), _UNKNOWN)
            found = donors.known.get((donor, ""))
            if fund is _UNKNOWN or found is None:
                try:
                    fund = self._fund(fund_name, project)
                    found = donors.resolve(donor, donor_type)
                except Refused as refused:
                    self.problems.append(Problem(Source(self.file, sheets[index].name, row_number), None, None,
                                                 refused.message))
                    continue
            kept.append(staged_row)
            if dry:
                continue
            year = int(day[:4])
            seq = seqs.get(year) or donation_rows.next_receipt_seq(ledger, year)
            seqs[year] = seq + 1
            rows.append(make(staged_row, fund, found[0], seq, batch))
        if rows:
            donors.write_new()
            self.background.submit(donation_rows.write_prepared, ledger, donation_rows.prepare_donations(ledger, rows))
            self.written += len(rows)
            self.totals.count(rows)
        self._count(kept, sheets)  # while the chunk is written

    def _count(self, kept: list[tuple], sheets: list[SheetReport]) -> None:
        """The rows a chunk writes: into the batch's sketch and parties, and their sheets' counts."""
        counts = [[0, 0, 0, 0] for _sheet in sheets]  # per sheet: rows, cash, goods, pass-through
        add, parties = self.sketch.add_digest, self.parties
        for row in kept:
            add(row[S_DIGEST])
            parties.add(row[S_DONOR])
            sums = counts[row[0]]
            sums[0] += 1
            if row[S_RECIPIENT] is None:
                sums[1] += row[S_CASH]
                sums[2] += row[S_GOODS]
            else:   # held for its recipient, not money raised
                sums[3] += row[S_CASH] + row[S_GOODS]
        for sheet, (imported, cash, goods, passing) in zip(sheets, counts):
            sheet.imported += imported
            sheet.totals["cash"] += cash
            sheet.totals["goods"] += goods
            if passing:
                sheet.totals["pass_through"] += passing

    def _fund(self, name: str | None, project: str | None):
        """The donation's fund; a project's fund is opened on first use (in a dry run, only said to be)."""
        key = (name, project)
        if key not in self.funds:
            if self.dry and project and not fund_rows.fund_by_project(self.ledger, project):
                if fund_rows.fund_by_name(self.ledger, project):
                    raise Refused(_("a fund named {name!r} exists but is not the project's fund").format(name=project))
                self.funds[key] = None  # would be opened
            else:
                self.funds[key] = resolve_fund(self.ledger, name, project, create_project=not self.dry)
        return self.funds[key]

    def _duplicate(self, staged_row: tuple, sheet: SheetReport, holder: donation_rows.RefHolder) -> None:
        """The same order number again: the same gift is skipped and counted; another gift is refused."""
        donor, day, cash_fen, goods_fen = staged_row[S_DONOR], staged_row[S_DATE], staged_row[S_CASH], staged_row[S_GOODS]
        if (holder.donor, holder.date, holder.cash_fen, holder.goods_fen) == (donor, day, cash_fen, goods_fen):
            sheet.skipped["duplicate reference"] += 1
            sheet.duplicates["cash"] += cash_fen
            sheet.duplicates["goods"] += goods_fen
            return
        where = _("donation #{id}").format(id=holder.entry_id) if holder.entry_id else _("an earlier row of this file")
        self.problems.append(Problem(Source(self.file, sheet.name, staged_row[S_ROW]), None, staged_row[S_REF], _(
            "order/serial number already used by {where} ({donor}, {amount} 元, {date}) for another gift "
            "({given_donor}, {given_amount} 元, {given_date}): an order number belongs to one gift").format(
            where=where, donor=holder.donor, amount=yuan(holder.cash_fen + holder.goods_fen), date=holder.date,
            given_donor=donor, given_amount=yuan(cash_fen + goods_fen), given_date=day)))

    def flush(self) -> list[Problem]:
        """The last chunk written, the kept totals added, deferred indexes rebuilt; the problems found."""
        if not self.dry:
            self.background.wait()
            if self.suspended is not None:
                self.totals.add(self.ledger)
                donation_rows.resume_row_triggers(self.ledger, self.suspended)
                self.suspended = None
            if self.deferred is not None:
                donation_rows.restore_indexes(self.ledger, self.deferred)
                self.deferred = None
            if self.pass_through:   # after the donations: their entry numbers were given out ahead of writing
                self.donors.write_new()
                for staged_row, donor in self.pass_through:
                    write_staged_gift(self.ledger, staged_row, donor, self.batch_id)
                self.pass_through = []
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

    def add(self, row: rowsteps.RosterRow, sheet: SheetReport, digest: int) -> Problem | None:
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
        self.sketch.add_digest(digest)
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
