"""Importing township spreadsheets: one file, one batch, one transaction, all or nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from charitybook.errors import CharitybookError, Problem, ProblemsFound, Source
from charitybook.i18n import _
from charitybook.importers import read
from charitybook.importers import rows as rowsteps
from charitybook.importers.header import FIELDS, Header, find_header, parse_maps
from charitybook.ledger import Ledger
from charitybook.ledger import batches
from charitybook.ledger import donations as donation_rows
from charitybook.models import Gift, NewDisbursement
from charitybook.money import to_fen
from charitybook.services import Refused, resolve_fund
from charitybook.services.corrections import void_entry
from charitybook.services.donations import Donors, donation_row
from charitybook.services.relief import beneficiary_for, campaign_for, write_gift
from charitybook.services.spending import write_disbursement

CHUNK = 5000          # rows written at a time (the CSV path holds two chunks: one checked, one writing)
BULK_AFTER = 20_000   # rows written before a large import defers its indexes (when it doubles the ledger)
MAX_PROBLEMS_KEPT = 2000
NEEDED = {"donations": ("amount", "goods_value", "unit_value"), "relief": ("name", "id_number")}


@dataclass
class ImportOptions:
    kind: str                                   # donations | relief
    defaults: rowsteps.Defaults = field(default_factory=rowsteps.Defaults)
    holiday: str | None = None
    category: str | None = None
    year: int | None = None
    count_by: str | None = None
    sheet: str | None = None
    all_sheets: bool = False
    maps: list[str] = field(default_factory=list)
    dry_run: bool = False
    skip_invalid: bool = False
    replace: int | None = None
    keep_rows: bool = False                     # for --errors-out


@dataclass
class SheetReport:
    name: str | None
    header: Header | None = None
    rows_read: int = 0
    imported: int = 0
    skipped: Counter = field(default_factory=Counter)
    totals: Counter = field(default_factory=Counter)       # fen per money field, over rows written
    raw_rows: list[tuple[int, list]] = field(default_factory=list)


@dataclass
class ImportReport:
    file: str
    kind: str
    dry_run: bool
    sheets: list[SheetReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    batch_id: int | None = None
    already: dict | None = None
    replaced: int | None = None

    @property
    def imported(self) -> int:
        return sum(sheet.imported for sheet in self.sheets)

    @property
    def duplicates(self) -> int:
        """Rows skipped because their order/serial number is already in the ledger."""
        return sum(sheet.skipped["duplicate reference"] for sheet in self.sheets)

    def add_problem(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(problem)


class _RollBack(Exception):
    """Leave the write transaction without writing: a dry run, or a file already imported."""


class ImportFailed(ProblemsFound):
    """Rows are invalid and nothing was written; carries the report for the summary and --errors-out."""

    def __init__(self, message: str, report: ImportReport, hint: str | None = None):
        super().__init__(message, report.problems, hint)
        self.report = report


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(ledger: Ledger, path: Path, options: ImportOptions,
                progress: Callable[[int, int | None], None] | None = None) -> ImportReport:
    """Import one file. Raises ProblemsFound (nothing written) when rows are invalid and
    ``skip_invalid`` is off; returns the report otherwise (a dry run writes nothing).
    ``progress(rows, total)`` is told every thousand rows; ``total`` is the sheet's row count when
    the reader knows it before reading (workbooks), else None."""
    path = Path(path)
    if not path.is_file():
        raise CharitybookError(_("no file {path}").format(path=path))
    _check_kind(options)
    maps = parse_maps(options.maps, set(FIELDS))
    report = ImportReport(path.name, options.kind, options.dry_run)
    sha = file_hash(path)
    with read.Book(path) as book, _tuned_for_bulk():
        _import_book(ledger, book, sha, options, maps, report, progress)
    return report


@contextlib.contextmanager
def _tuned_for_bulk():
    """An import makes millions of short-lived objects and no reference cycles: Python's cycle
    collector would walk the live ones over and over, for about a tenth of the import's time. And
    the writer thread gets the GIL back sooner after each SQLite statement (the default switch
    interval, 5 ms, is most of a chunk's statement time)."""
    enabled, interval = gc.isenabled(), sys.getswitchinterval()
    gc.disable()
    sys.setswitchinterval(0.001)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)
        if enabled:
            gc.enable()


def _import_book(ledger: Ledger, book: read.Book, sha: str, options: ImportOptions, maps: dict,
                 report: ImportReport, progress) -> None:
    path = book.path
    names = _sheets_to_read(book, options)
    try:
        with ledger.write():
            # checked under the write lock: two clerks importing the same file at once must not both pass
            earlier = batches.standing_batch_for_hash(ledger, sha, options.kind) if options.replace is None else None
            if earlier:
                report.already = earlier
                raise _RollBack
            if options.replace is not None:
                report.replaced = _void_batch(ledger, options.replace, options.kind)
            report.batch_id = batches.insert_batch(
                ledger, options.kind, path.name, sha, json.dumps(names, ensure_ascii=False),
                json.dumps(_options_record(options), ensure_ascii=False), options.replace)
            writer = _DonationWriter(ledger, report.batch_id) if options.kind == "donations" else _ReliefWriter(ledger, report.batch_id, options)
            try:
                for name in names:
                    report.sheets.append(_import_sheet(book, name, options, maps, writer, report, progress))
                writer.flush(report)
            finally:
                writer.close()
            if report.problem_count and not options.skip_invalid and not options.dry_run:
                raise ImportFailed(
                    _("{file}: {n} problem(s); nothing was imported").format(file=path.name, n=report.problem_count),
                    report,
                    hint=_("fix the sheet and import it again, or use --skip-invalid to import the valid rows "
                           "(--errors-out PATH.xlsx writes a marked-up copy to send back)"))
            if options.dry_run:
                raise _RollBack
            batches.set_batch_rows(ledger, report.batch_id, report.imported)
            ledger.audit(f"import {options.kind}", {"batch": report.batch_id, "file": path.name, "sha256": sha,
                                                     "rows": report.imported, "replaced": report.replaced,
                                                     "skipped_invalid": report.problem_count})
    except _RollBack:
        report.batch_id = None


def _check_kind(options: ImportOptions) -> None:
    if options.kind == "relief" and bool(options.holiday) == bool(options.category):
        raise CharitybookError(_("a relief roster needs --holiday (e.g. 春节) or --category (e.g. 助学), one of them"))


def _options_record(options: ImportOptions) -> dict:
    d = options.defaults
    return {"holiday": options.holiday, "category": options.category, "date": d.date and d.date.isoformat(),
            "township": d.township, "fund": d.fund, "project": d.project, "channel": d.channel, "maps": options.maps}


def _sheets_to_read(book: read.Book, options: ImportOptions) -> list[str | None]:
    path = book.path
    if options.sheet:
        if not book.csv and options.sheet not in book.names:
            raise CharitybookError(_("{file}: no sheet named {sheet!r}; sheets: {names}").format(
                file=path.name, sheet=options.sheet, names=", ".join(book.names)))
        return [options.sheet]
    names = book.non_empty()
    if options.all_sheets or len(names) <= 1:
        if not names:
            raise CharitybookError(_("{file}: every sheet is empty").format(file=path.name))
        return names
    raise CharitybookError(
        _("{file} has {n} sheets with data: {names}").format(file=path.name, n=len(names), names=", ".join(names)),
        hint=_("choose one with --sheet NAME, or import them all with --all-sheets"))


def _void_batch(ledger: Ledger, batch_id: int, kind: str) -> int:
    found = batches.batch(ledger, batch_id)
    if not found:
        raise CharitybookError(_("no import batch #{id}").format(id=batch_id))
    if found["kind"] != kind:
        raise CharitybookError(_("batch #{id} is a {kind} import").format(id=batch_id, kind=found["kind"]))
    if found["replaced_by"]:
        raise CharitybookError(_("batch #{id} was already replaced by batch #{by}").format(id=batch_id, by=found["replaced_by"]))
    today = dt.date.today()
    for entry_id in batches.standing_entries(ledger, batch_id):
        void_entry(ledger, entry_id, _("replaced by a corrected file"), today)
    return batch_id


def _import_sheet(book: read.Book, name, options, maps, writer, report, progress) -> SheetReport:
    path = book.path
    sheet = book.sheet(name)
    result = SheetReport(name)
    top = []
    for item in sheet.rows:
        top.append(item)
        if len(top) >= 22:
            break
    found = find_header(top, maps, NEEDED[options.kind])
    if found is None:
        report.add_problem(Problem(Source(path.name, name, None), None, None, _(
            "no header row found in the first 20 rows (expected columns such as 姓名, 身份证号, 金额, 捐赠人); "
            "map yours with --map '表头=field'")))
        return result
    header, consumed = found
    result.header = header
    cols = header.by_field()
    defaults = options.defaults
    if name and "township" not in cols and not defaults.township:
        defaults = rowsteps.Defaults(defaults.date, name, defaults.channel, defaults.fund, defaults.project)
    if options.kind == "donations":
        build = rowsteps.DonationRows(cols, defaults)
    else:
        def build(cells, source):
            return rowsteps.roster(cols, cells, source, defaults)
    totals = rowsteps.Totals()
    rows = _chain(top[consumed:], sheet.rows)
    file = path.name
    for row_number, cells in rows:
        if options.keep_rows:
            result.raw_rows.append((row_number, cells))
        kind = rowsteps.classify(cells, header)
        source = Source(file, name, row_number)
        if kind != "data":
            result.skipped[kind] += 1
            if kind in ("total", "subtotal"):
                for problem in totals.check(kind, cols, cells, source):
                    report.add_problem(problem)
            continue
        result.rows_read += 1
        built = build(cells, source)
        if built.problems:
            totals.spoil()  # a 合计 row cannot be checked against rows we could not read
            for problem in built.problems:
                report.add_problem(problem)
            continue
        record = built.record
        cash = record.amount if options.kind == "donations" else record.cash
        totals.add(to_fen(cash), to_fen(record.goods.value) if record.goods else 0)
        problem = writer.add(built.record, result)
        if problem:
            report.add_problem(problem)
        if progress and row_number % 1000 == 0:
            progress(row_number, sheet.height)
    if options.keep_rows:
        result.raw_rows = top[:consumed] + result.raw_rows
    return result


def _chain(first, rest):
    yield from first
    yield from rest


class _DonationWriter:
    """Writes donations a chunk at a time. For each chunk, on the importing thread: order numbers
    already in the ledger are skipped, funds and donors are resolved (with caches) and receipts
    numbered -- so a skipped row uses up no receipt number and creates no donor. The chunk is then
    written by one writer thread while the importer reads and checks the next chunk: SQLite works
    on one core, Python on the other. Only one thread uses the connection at a time: the next chunk
    waits for the last write, and ``close`` waits for it before the transaction ends.

    A large import also defers the indexes that would otherwise take millions of random inserts
    (``ledger.donations.BULK_INDEXES``) and rebuilds them once, in the same transaction."""

    def __init__(self, ledger: Ledger, batch_id: int):
        self.ledger, self.batch_id = ledger, batch_id
        self.funds: dict = {}
        self.donors = Donors(ledger)
        self.seqs: dict[int, int] = {}
        self.pending: list[tuple] = []
        self.problems: list[Problem] = []
        self.existing = donation_rows.count(ledger)
        self.written = 0
        self.deferred: donation_rows.DeferredIndexes | None = None
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="charitybook-writer")
        self.in_flight: Future | None = None

    def add(self, donation, sheet: SheetReport) -> Problem | None:
        self.pending.append((donation, sheet))
        if len(self.pending) >= CHUNK:
            self._write()
        return None

    def _write(self) -> None:
        self._wait()
        ledger = self.ledger
        if self.deferred is None and self.written >= BULK_AFTER and self.written * 2 >= self.existing:
            self.deferred = donation_rows.defer_indexes(ledger, donation_rows.BULK_INDEXES)
        known = donation_rows.standing_refs(ledger, {d.external_ref for d, _s in self.pending if d.external_ref})
        rows = []
        for donation, sheet in self.pending:
            ref = donation.external_ref
            if ref:
                if ref in known:
                    sheet.skipped["duplicate reference"] += 1
                    continue
                known.add(ref)  # a second row with the same number further down the file
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
            row = donation_row(donation, fund, donor, seq, self.batch_id)
            rows.append(row)
            sheet.imported += 1
            sheet.totals["cash"] += row.cash_fen
            sheet.totals["goods"] += row.goods_fen
        self.pending = []
        if rows:
            self.in_flight = self.thread.submit(donation_rows.write_prepared, ledger,
                                                donation_rows.prepare_donations(ledger, rows))
            self.written += len(rows)

    def _wait(self) -> None:
        """The last chunk is written (its error, if any, is raised here, on the importing thread)."""
        if self.in_flight is not None:
            done, self.in_flight = self.in_flight, None
            done.result()

    def flush(self, report: ImportReport) -> None:
        if self.pending:
            self._write()
        self._wait()
        if self.deferred is not None:
            donation_rows.restore_indexes(self.ledger, self.deferred)
            self.deferred = None
        for problem in self.problems:
            report.add_problem(problem)
        sheet_order = {sheet.name: index for index, sheet in enumerate(report.sheets)}
        report.problems.sort(key=lambda problem: (sheet_order.get(problem.source.sheet, 0), problem.source.row or 0))

    def close(self) -> None:
        """No chunk may still be writing when the transaction commits or rolls back: a rollback in
        the middle of a chunk would leave its remaining statements to run on their own. So this
        waits for the writer even through Ctrl-C (and raises the Ctrl-C afterwards)."""
        interrupted = None
        while self.in_flight is not None:
            try:
                wait([self.in_flight])
                self.in_flight = None
            except KeyboardInterrupt as error:
                interrupted = error
        self.thread.shutdown(wait=True)
        if self.deferred is not None:  # an import that failed: the rollback restores the indexes, not this
            self.ledger.conn.execute(f"PRAGMA cache_size = {self.deferred.cache_size}")
        if interrupted is not None:
            raise interrupted


class _ReliefWriter:
    """Each roster row is a holiday gift or a relief payment; rules checked row by row."""

    def __init__(self, ledger: Ledger, batch_id: int, options: ImportOptions):
        self.ledger, self.batch_id, self.options = ledger, batch_id, options
        self.people: dict = {}
        self.campaigns: dict = {}
        self.fund = None
        self.unit = options.count_by

    def add(self, row: rowsteps.RosterRow, sheet: SheetReport) -> Problem | None:
        options = self.options
        try:
            with self.ledger.savepoint():
                if self.fund is None:
                    self.fund = resolve_fund(self.ledger, options.defaults.fund, options.defaults.project)
                person_id = beneficiary_for(self.ledger, row.person, self.people)
                if options.holiday:
                    year = options.year or row.date.year
                    if year not in self.campaigns:
                        unit = self.unit or ("household" if sheet.header and _has_household_columns(sheet.header) else "person")
                        self.campaigns[year] = campaign_for(self.ledger, options.holiday, year, unit)
                        self.unit = self.campaigns[year]["unit"]
                    write_gift(self.ledger, Gift(options.holiday, year, row.person, row.date, row.cash, row.goods,
                                                 note=row.note), self.campaigns[year], person_id, self.fund,
                               self.batch_id, row.source)
                else:
                    write_disbursement(self.ledger, NewDisbursement(
                        payee=row.person.name, date=row.date, purpose="charitable", amount=row.cash, goods=row.goods,
                        category=options.category, township=row.person.township, note=row.note,
                        beneficiary_id=person_id, batch_id=self.batch_id, source=row.source), self.fund)
        except CharitybookError as refused:
            return Problem(row.source, None, None, refused.message)
        sheet.imported += 1
        sheet.totals["cash"] += to_fen(row.cash)
        sheet.totals["goods"] += to_fen(row.goods.value) if row.goods else 0
        return None

    def flush(self, report: ImportReport) -> None:
        return None

    def close(self) -> None:
        return None


def _has_household_columns(header: Header) -> bool:
    texts = " ".join(column.header for column in header.columns)
    return "户主" in texts or "household_size" in header.by_field()


def list_batches(ledger: Ledger) -> list[dict]:
    with ledger.read():
        return batches.list_batches(ledger)


