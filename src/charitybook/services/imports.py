"""Importing township spreadsheets: one file, one batch, one transaction, all or nothing.

A file is imported once: the same bytes, or the same rows however the file was saved again
(``importers.identity``), are recognised as an earlier standing batch, also when ``--replace``
names another one. A corrected file replaces its batch with ``--replace BATCH``: the batch's
entries are voided and the file imported, in one transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from charitybook import dates
from charitybook.errors import CharitybookError, Problem, ProblemsFound
from charitybook.i18n import _
from charitybook.importers import read
from charitybook.importers import rows as rowsteps
from charitybook.importers.header import field_name, parse_maps  # noqa: F401 (field_name: for the summary)
from charitybook.errors import Source
from charitybook.importers.identity import Fingerprint, Sketch, share
from charitybook.ledger import Ledger
from charitybook.ledger import batches, periods
from charitybook.services import names, stations
from charitybook.services.bulk import tuned_for_bulk
from charitybook.services.corrections import void_entry
from charitybook.services.import_sheets import import_sheet
from charitybook.services.import_writers import DonationWriter, ReliefWriter, SheetReport, staged
from charitybook.services.spool import Spool

SKIPPED = rowsteps.SKIPPED   # why rows were passed over, for the summary

MAX_PROBLEMS_KEPT = 100_000   # listed in --errors-out; the screen shows fewer


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
    value_maps: list[str] = field(default_factory=list)
    dry_run: bool = False
    skip_invalid: bool = False
    replace: int | None = None
    include_hidden: bool = False                # import rows and sheets hidden in Excel
    new_rows: bool = False                      # --new-rows: rows like an earlier batch's are new gifts all the same
    header_row: int | None = None               # --header-row: where the header is, when it is not found
    sheet_is_township: bool = False             # --sheet-is-township: each sheet's name is its township
    new_project: bool = False                   # --new-project: the --project default is a new project
    new_township: bool = False                  # --new-township: the --township default is a new township
    new_station: str | None = None              # that township, registered as the batch starts
    values: dict = field(default_factory=dict)  # the options as given (and from a profile): what the batch records


def options_from(kind: str, values: dict, *, dry_run: bool = False, skip_invalid: bool = False, replace: int | None = None,
                 confirm_dates: bool = False, year: int | None = None, new_rows: bool = False,
                 new_project: bool = False, new_township: bool = False) -> ImportOptions:
    """The options of one import from what the clerk gave and the profile held (see
    ``import_profiles.KEPT``): the same keys a batch records and a profile saves."""
    day = values.get("date")
    if day:
        day = dates.check_plausible(dates.parse_date(day), confirmed=confirm_dates)
    defaults = rowsteps.Defaults(
        date=day, township=values.get("township"), channel=values.get("channel"), fund=values.get("fund"),
        project=values.get("project"), platform=values.get("platform"), campaign=values.get("campaign"),
        match_donor=values.get("match_donor"), values=rowsteps.parse_value_maps(values.get("value_maps") or []),
        goods_item=values.get("goods_item"), only_paid=bool(values.get("only_paid")), confirm_dates=confirm_dates)
    return ImportOptions(
        kind=kind, defaults=defaults, holiday=values.get("holiday"), category=values.get("category"), year=year,
        count_by=values.get("count_by"), sheet=values.get("sheet"), all_sheets=bool(values.get("all_sheets")),
        maps=list(values.get("maps") or []), value_maps=list(values.get("value_maps") or []), dry_run=dry_run,
        skip_invalid=skip_invalid, replace=replace, include_hidden=bool(values.get("include_hidden")),
        header_row=values.get("header_row"), sheet_is_township=bool(values.get("sheet_is_township")), values=values,
        new_rows=new_rows, new_project=new_project, new_township=new_township)


@dataclass
class ImportReport:
    file: str
    kind: str
    dry_run: bool
    sheets: list[SheetReport] = field(default_factory=list)
    hidden_sheets: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    batch_id: int | None = None
    already: dict | None = None                 # the standing batch this file is a copy of
    replaced: dict | None = None                # the batch replaced: its id, entries, cash and goods
    warnings: list[str] = field(default_factory=list)
    parties: set[str] = field(default_factory=set)  # the donors or recipients the file names
    nothing_new: bool = False                   # every row was already in the ledger

    @property
    def imported(self) -> int:
        return sum(sheet.imported for sheet in self.sheets)

    @property
    def duplicates(self) -> int:
        """Rows skipped because their order/serial number is already in the ledger, for the same gift."""
        return sum(sheet.skipped["duplicate reference"] for sheet in self.sheets)

    def add_problem(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(problem)

    def sort_problems(self) -> None:
        order = {sheet.name: index for index, sheet in enumerate(self.sheets)}
        self.problems.sort(key=lambda problem: (order.get(problem.source.sheet, 0), problem.source.row or 0))


class _RollBack(Exception):
    """Leave the write transaction without writing: a dry run, a copy of an earlier file, nothing new."""


class ImportFailed(ProblemsFound):
    """Rows are invalid and nothing was written; carries the report for the summary and --errors-out."""

    def __init__(self, message: str, report: ImportReport, hint: str | None = None):
        super().__init__(message, report.problems, hint, report.problem_count)
        self.report = report


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(ledger: Ledger, path: Path, options: ImportOptions, progress=None) -> ImportReport:
    """Import one file. Raises ImportFailed (nothing written) when rows are invalid and
    ``skip_invalid`` is off; returns the report otherwise (a dry run writes nothing).
    ``progress(rows, total, stage)`` is told every thousand rows read ("reading") and written
    ("writing"); ``total`` is the count when it is known before (a workbook's rows), else None."""
    path = Path(path)
    if not path.is_file():
        raise CharitybookError(_("no file {path}").format(path=read.display_name(path)))
    _check_kind(options)
    _check_names(ledger, options)
    maps = parse_maps(options.maps)
    sha = file_hash(path)
    with read.Book(path) as book, tuned_for_bulk():
        report = ImportReport(book.display_name, options.kind, options.dry_run)
        names = _sheets_to_read(book, options, report)
        job = _Job(ledger, book, names, sha, options, maps, report, progress)
        try:
            if options.kind == "donations":
                _import_donations(job)
            else:
                _import_roster(job)
        except _RollBack:
            report.batch_id = None
    return report


@dataclass
class _Job:
    """One import's inputs, and the identity of its rows as they are read."""

    ledger: Ledger
    book: read.Book
    names: list
    sha: str
    options: ImportOptions
    maps: dict
    report: ImportReport
    progress: object
    recorded: str = ""                       # the options, as the batch records them
    fingerprint: Fingerprint | None = None
    sketch: Sketch | None = None

    def __post_init__(self):
        options = self.options
        self.recorded = json.dumps({key: value for key, value in options.values.items() if value not in (None, False, [])},
                                   ensure_ascii=False, sort_keys=True)
        context = (options.kind, options.holiday, options.category, options.year)
        self.fingerprint, self.sketch = Fingerprint(context), Sketch(context)

    def read(self, sink) -> None:
        """Every sheet's rows into ``sink`` (a writer or a spool); problems into the report."""
        with self.ledger.read():
            register = stations.register(self.ledger)
        if self.options.new_station:
            register = register.with_township(self.options.new_station)
        for name in self.names:
            self.report.sheets.append(import_sheet(self.book, name, self.options, self.maps, sink, self.report,
                                                   self.fingerprint, register, self.progress))


class _Spooled:
    """Where a donation file's checked rows wait for the write lock (see ``spool``); the rows per
    year of their date are counted as they are staged (a closed year refuses the whole file)."""

    def __init__(self, spool: Spool, report: ImportReport):
        self.spool, self.report = spool, report
        self.years: Counter = Counter()

    def add(self, donation, sheet, digest: int) -> None:
        self.years[donation.date.year] += 1
        self.spool.add(staged(donation, len(self.report.sheets), digest))  # the sheet being read is appended after it


class _OpenYearsOnly:
    """In front of a roster's writer: a row dated in a closed year is counted, not written; the
    import is refused once, with the count, when every row is read (``refuse``)."""

    def __init__(self, ledger: Ledger, writer):
        self.writer, self.closed, self.years = writer, periods.closed_years(ledger), Counter()

    def add(self, row, sheet, digest: int):
        if row.date.year in self.closed:
            self.years[row.date.year] += 1
            return None
        return self.writer.add(row, sheet, digest)

    def refuse(self, ledger: Ledger) -> None:
        periods.require_open_years(ledger, self.years)


def _import_donations(job: _Job) -> None:
    """Read and check every row without the write lock (a dry run never takes it); then take it
    and write, from the spool, only what was checked -- checking again under the lock what another
    clerk may have changed meanwhile (the same file imported, the same order numbers)."""
    ledger, options, report = job.ledger, job.options, job.report
    with ledger.read():
        if options.replace is not None:
            _check_replacable(ledger, options.replace, options.kind)
            report.replaced = {"id": options.replace, **batches.summary(ledger, options.replace)}
        _refuse_copy(ledger, report, options, job.sha, job.recorded, None)
    with Spool() as spool:
        staging = _Spooled(spool, report)
        job.read(staging)
        with ledger.read():
            periods.require_open_years(ledger, staging.years)
        report.sort_problems()
        if report.problem_count and not options.skip_invalid and not options.dry_run:
            raise _failed(report)
        if options.dry_run:
            with ledger.read():
                _refuse_copy(ledger, report, options, job.sha, job.recorded, job.fingerprint.hexdigest())
                _write_donations(job, spool, None)
            raise _RollBack
        with ledger.write(), ledger.busy(_("an import of {file}").format(file=report.file)):
            periods.require_open_years(ledger, staging.years)   # again, under the lock: a year closed meanwhile
            _refuse_copy(ledger, report, options, job.sha, job.recorded, None)
            _start_batch(job)
            _write_donations(job, spool, report.batch_id)
            _finish(job)


def _write_donations(job: _Job, spool: Spool, batch_id: int | None) -> None:
    writer = DonationWriter(job.ledger, batch_id, job.sketch, job.options.replace, job.report.file)
    unwinding = True
    try:
        written = 0
        for chunk in spool.chunks():
            writer.write(chunk, job.report.sheets)
            written += len(chunk)
            if job.progress:
                job.progress(written, spool.count, "writing")
        for problem in writer.flush():
            job.report.add_problem(problem)
        unwinding = False
    finally:
        writer.close(unwinding)
    job.report.parties = writer.parties
    job.report.sort_problems()
    _check_identity(job)


def _import_roster(job: _Job) -> None:
    """A roster is checked as it is written; its dry run writes into a private copy of the ledger
    (``Ledger.scratch``) and throws it away, so that it never holds the ledger's write lock."""
    ledger = job.ledger
    if job.options.dry_run:
        with ledger.scratch() as copy, copy.write():
            _import_relief(dataclasses.replace(job, ledger=copy))
        return
    with ledger.write(), ledger.busy(_("an import of {file}").format(file=job.report.file)):
        _import_relief(job)


def _import_relief(job: _Job) -> None:
    """A roster's rules (one gift per person and campaign, stock and cash of the fund) are checked
    row by row as it is written, each row in its own savepoint, inside one write transaction."""
    ledger, options, report = job.ledger, job.options, job.report
    if options.replace is not None:
        _check_replacable(ledger, options.replace, options.kind)
    _refuse_copy(ledger, report, options, job.sha, job.recorded, None)
    _start_batch(job)
    writer = ReliefWriter(ledger, report.batch_id, options, job.sketch)
    open_years = _OpenYearsOnly(ledger, writer)
    job.read(open_years)
    open_years.refuse(ledger)
    report.warnings += writer.warnings()
    report.parties = writer.parties
    report.sort_problems()
    _check_identity(job)
    _finish(job)


def _start_batch(job: _Job) -> None:
    """Void the batch being replaced (its money and goods are free again), then open this one."""
    ledger, options, report = job.ledger, job.options, job.report
    if options.replace is not None:
        report.replaced = {"id": options.replace, **batches.summary(ledger, options.replace)}
        _void_batch(ledger, options.replace)
    if options.new_station:
        stations.named(ledger, options.new_station, new=True)
    report.batch_id = batches.insert_batch(ledger, options.kind, report.file, job.sha,
                                           json.dumps(job.names, ensure_ascii=False), job.recorded, options.replace)


def _check_identity(job: _Job) -> None:
    """Once every row is read and checked: the same rows as a standing batch, mostly the same
    rows, or replacing a batch that has nothing to do with this file."""
    ledger, options, report = job.ledger, job.options, job.report
    _refuse_copy(ledger, report, options, job.sha, job.recorded, job.fingerprint.hexdigest())
    if not options.new_rows:
        _refuse_mostly_earlier(ledger, report, options, job.sketch.text())
    if options.replace is not None:
        _refuse_unrelated(ledger, report, options.replace)


def _failed(report: ImportReport) -> ImportFailed:
    return ImportFailed(
        _("{file}: {n} problem(s); nothing was imported").format(file=report.file, n=report.problem_count), report,
        hint=_("fix the sheet and import it again, or use --skip-invalid to import the valid rows "
               "(--errors-out PATH.xlsx writes a marked-up copy to send back)"))


def _finish(job: _Job) -> None:
    """The end of the write transaction: fail, roll back, or record the batch."""
    ledger, options, report = job.ledger, job.options, job.report
    if report.problem_count and not options.skip_invalid and not options.dry_run:
        raise _failed(report)
    if options.dry_run:
        raise _RollBack
    if not report.imported:
        if report.problem_count:
            raise ImportFailed(_("{file}: every row has a problem; nothing was imported").format(file=report.file), report,
                               hint=_("fix the sheet and import it again (--errors-out PATH.xlsx writes a marked-up copy)"))
        report.nothing_new = True
        raise _RollBack
    batches.finish_batch(ledger, report.batch_id, report.imported, job.fingerprint.hexdigest(), job.sketch.text())
    ledger.audit(f"import {options.kind}", {"batch": report.batch_id, "file": report.file, "sha256": job.sha,
                                            "rows": report.imported, "replaced": options.replace,
                                            "skipped_invalid": report.problem_count})


def _refuse_copy(ledger: Ledger, report: ImportReport, options: ImportOptions, sha: str, recorded: str,
                 fingerprint: str | None) -> None:
    """A file already imported adds nothing; with --replace it is refused (it would import a second time)."""
    earlier = batches.standing_batch_like(ledger, options.kind, sha, recorded, fingerprint, excluding=report.batch_id)
    if earlier is None:
        return
    how = _("the same rows") if earlier["fingerprint"] == fingerprint and fingerprint else _("the same file")
    if options.replace is None:
        report.already = {**earlier, "how": how}
        raise _RollBack
    if earlier["id"] == options.replace:
        raise CharitybookError(_("{file} has {how} as batch #{id}, which it would replace: there is nothing to correct").format(
            file=report.file, how=how, id=earlier["id"]))
    raise CharitybookError(
        _("{file} was already imported as batch #{id} ({name}, {when}: {how}); replacing batch #{replace} with it "
          "would import it a second time").format(file=report.file, id=earlier["id"], name=earlier["file_name"],
                                                  when=earlier["imported_at"], how=how, replace=options.replace),
        hint=_("check the batch number with `charitybook import batches`"))


MOSTLY = 0.5   # a file at least half of whose rows an earlier batch holds is taken for a corrected copy of it


def _refuse_mostly_earlier(ledger: Ledger, report: ImportReport, options: ImportOptions, sketch: str | None) -> None:
    """A corrected file (a row added, one changed) is mostly its earlier batch: importing it as new
    would write those rows a second time. It needs --replace (or --new-rows, when they really are
    new). Rows skipped as already in the ledger (by order number) do not count: they are not written."""
    for earlier in batches.standing_sketches(ledger, options.kind, report.batch_id):
        if earlier["id"] == options.replace:
            continue
        shared = share(sketch, earlier["sketch"])
        if shared >= MOSTLY:
            report.add_problem(Problem(Source(report.file), None, None, _(
                "about {percent}% of this file's rows are already in the ledger as batch #{id} ({name}, {when}): "
                "if this file corrects that one, import it with --replace {id}; if these really are new gifts, "
                "with --new-rows").format(percent=int(shared * 100), id=earlier["id"], name=earlier["file_name"],
                                          when=earlier["imported_at"])))
            return


def _refuse_unrelated(ledger: Ledger, report: ImportReport, replaced: int) -> None:
    """--replace with the wrong batch number: the file has no donor or recipient in common with it."""
    theirs = batches.parties(ledger, replaced)
    if report.imported and theirs and not report.parties & theirs:
        report.add_problem(Problem(Source(report.file), None, None, _(
            "this file has no donor or recipient in common with batch #{id}, which it would replace: check the batch "
            "number with `charitybook import batches`").format(id=replaced)))


def _check_kind(options: ImportOptions) -> None:
    if options.kind == "relief" and bool(options.holiday) == bool(options.category):
        raise CharitybookError(_("a relief roster needs --holiday (e.g. 春节) or --category (e.g. 助学), one of them"))


def _check_names(ledger: Ledger, options: ImportOptions) -> None:
    """The project and township given on the command line (or kept in a profile) are ones the
    ledger knows, or said to be new: the township default becomes the station's registered name,
    and a new one (``--new-township``) is registered when the batch starts. The names inside the
    file are checked row by row against the register (``import_sheets``)."""
    with ledger.read():
        if options.kind == "donations":
            names.require_project(ledger, options.defaults.project, new=options.new_project)
        township = options.defaults.township
        if not township:
            return
        found = stations.register(ledger).find(township)
        if found:
            options.defaults = dataclasses.replace(options.defaults, township=found.name)
        elif options.new_township:
            options.new_station = township.strip()
        else:
            raise stations.register(ledger).refusal(township, flag=True)


def _sheets_to_read(book: read.Book, options: ImportOptions, report: ImportReport) -> list[str | None]:
    """--sheet, or every sheet with data (--all-sheets, or when only one has): hidden sheets only
    with --include-hidden (or when named with --sheet)."""
    file = book.display_name
    if options.sheet:
        if not book.csv and options.sheet not in book.names:
            raise CharitybookError(_("{file}: no sheet named {sheet!r}; sheets: {names}").format(
                file=file, sheet=options.sheet, names=read.sheet_list(book.names)))
        return [options.sheet]
    names = book.non_empty()
    if not options.include_hidden:
        hidden = set(book.hidden_sheets())
        report.hidden_sheets = [name for name in names if name in hidden]
        names = [name for name in names if name not in hidden]
    if options.all_sheets or len(names) == 1:
        return names
    if not names:
        if report.hidden_sheets:
            raise CharitybookError(_("{file}: every sheet with data is hidden in Excel ({names})").format(
                file=file, names=read.sheet_list(report.hidden_sheets)),
                hint=_("unhide the sheet, name it with --sheet, or use --include-hidden"))
        raise CharitybookError(_("{file}: every sheet is empty").format(file=file))
    raise CharitybookError(
        _("{file} has more than one sheet with data ({names})").format(file=file, names=read.sheet_list(names)),
        hint=_("choose one with --sheet NAME, or import them all with --all-sheets"))


def _check_replacable(ledger: Ledger, batch_id: int, kind: str) -> None:
    found = batches.batch(ledger, batch_id)
    if not found:
        raise CharitybookError(_("no import batch #{id}").format(id=batch_id), hint=_("see `charitybook import batches`"))
    if found["kind"] != kind:
        raise CharitybookError(_("batch #{id} is a {kind} import").format(id=batch_id, kind=found["kind"]))
    if found["replaced_by"]:
        raise CharitybookError(_("batch #{id} was already replaced by batch #{by}").format(id=batch_id, by=found["replaced_by"]))
    periods.require_open_years(ledger, periods.dated_in(ledger, batch_id))


def _void_batch(ledger: Ledger, batch_id: int) -> None:
    """Void the batch's standing entries, each today (or on its own date, if that is later)."""
    today = dt.date.today()
    for entry_id, day in batches.standing_entries(ledger, batch_id):
        void_entry(ledger, entry_id, _("replaced by a corrected file"), max(today, dt.date.fromisoformat(day)))


def write_errors_out(path: Path, report: ImportReport, target: Path) -> None:
    """The marked-up copy to send back: the file is read again for its title and header lines and
    the rows that have problems, so an import never holds a million rows for it."""
    from charitybook.importers.errors_out import write

    wanted: dict = {}
    for problem in report.problems:
        wanted.setdefault(problem.source.sheet, set()).add(problem.source.row)
    sheets = []
    with read.Book(Path(path)) as book:
        for sheet_report in report.sheets:
            header = sheet_report.header
            rows = wanted.get(sheet_report.name, set())
            last_header_row = header.row if header else 0
            kept = [(number, cells) for number, cells in book.sheet(sheet_report.name).rows
                    if number <= last_header_row or number in rows]
            sheets.append((sheet_report.name, header, kept))
    write(target, sheets, report.problems)


def list_batches(ledger: Ledger) -> list[dict]:
    with ledger.read():
        return batches.list_batches(ledger)
