"""The row loop of an import: one sheet's rows -> header, records and problems, handed to a writer.

Every data row also goes into the file's fingerprint (``importers.identity``), valid or not, so a
re-saved copy of the file is recognised however it was saved."""

from __future__ import annotations

import dataclasses
import re

from charitybook.errors import Problem, Source
from charitybook.i18n import _
from charitybook.importers import read
from charitybook.importers import rows as rowsteps
from charitybook.importers.header import HEADER_SEARCH_ROWS, MAX_HEADER_ROWS, find_header
from charitybook.importers.identity import Fingerprint, raw_key, record_key
from charitybook.models import NewDonation
from charitybook.money import to_fen
from charitybook.services import Refused, stations
from charitybook.services.import_writers import SheetReport

PLACE = re.compile(r"(镇|乡|街道|街道办|办事处|社区|村)$")
NEEDED = {"donations": ("amount", "goods_value", "unit_value"), "relief": ("name", "id_number")}
PROGRESS_EVERY = 1000


def import_sheet(book: read.Book, name: str | None, options, maps: dict, writer, report, fingerprint: Fingerprint,
                 register: stations.Register, progress) -> SheetReport:
    """Read one sheet into ``writer``; problems go to ``report.add_problem``. Every township and
    village a row names is one of the ``register``'s stations, stored under its registered name."""
    file = book.display_name
    sheet = book.sheet(name)
    result = SheetReport(name)
    top = []
    search = max(HEADER_SEARCH_ROWS, options.header_row or 0) + MAX_HEADER_ROWS
    for item in sheet.rows:
        top.append(item)
        if len(top) >= search:
            break
    found = find_header(top, maps, NEEDED[options.kind], options.kind, options.header_row)
    if found is None:
        report.add_problem(Problem(Source(file, name, options.header_row), None, None, _(
            "no header row found in the first {n} rows (expected columns such as 姓名, 身份证号, 金额, 捐赠人); "
            "say where it is with --header-row N, and map unknown headers with --map '表头=field'").format(n=HEADER_SEARCH_ROWS)
            if options.header_row is None else _("row {row} is not a header the import can use: map its columns with "
                                                 "--map '表头=field'").format(row=options.header_row)))
        return result
    header, consumed = found
    result.header = header
    for problem in header.problems(Source(file, name, header.row)):
        report.add_problem(problem)
    cols = header.by_field()
    defaults = options.defaults
    if name and "township" not in cols and not defaults.township:
        station = register.find(name.strip())
        if station:
            defaults = dataclasses.replace(defaults, township=station.name)
        elif options.sheet_is_township:  # a name inside a file never registers a station
            refusal = register.refusal(name.strip())
            report.add_problem(Problem(Source(file, name), None, name, f"{refusal.message}: {refusal.hint}"))
            return result
        elif PLACE.search(name.strip()):  # it looks like a place: say why it is not taken as one
            result.sheet_not_township = True
    build = (rowsteps.DonationRows if options.kind == "donations" else rowsteps.RosterRows)(header, defaults)
    mapped = sorted(column.index for column in cols.values())
    totals = rowsteps.Totals()
    hidden = sheet.hidden_rows if not options.include_hidden else frozenset()
    width = len(header.columns)
    unsaved = _unsaved_cells(sheet, cols, report, Source(file, name, None))
    values = {cols[field].index: cols[field].header for field in VALUE_FIELDS if field in cols}
    for row_number, cells in _chain(top[consumed:], sheet.rows):
        kind = rowsteps.classify(cells, header)
        source = Source(file, name, row_number)
        if row_number in hidden and kind != "blank":
            result.hidden_rows.append(row_number)
            totals.hide(build(cells, source).record)
            continue
        if kind != "data":
            result.skipped[kind] += 1
            if kind in ("total", "subtotal"):
                for problem in totals.check(kind, cols, cells, source):
                    report.add_problem(problem)
            continue
        if book.csv and _beyond(cells, width):
            report.add_problem(Problem(source, None, None, _(
                "this row has more values than the header has columns ({n}): a comma inside an unquoted value? write "
                "1,200.00 in quotes (\"1,200.00\") or as 1200.00").format(n=width)))
            totals.spoil()
            continue
        merged = _merged_value(sheet, values, row_number) if sheet.merged_down else None
        if merged:
            report.add_problem(Problem(source, merged[0], None, _(
                "this cell is merged over rows {first}–{last}: a merged amount or count would be counted once for "
                "every row; unmerge it and write the value on one row (leave the others blank or 0)").format(
                first=merged[1], last=merged[2])))
            totals.spoil()
            continue
        if unsaved:
            found = _unsaved(sheet, unsaved, row_number, cells)
            if found:
                report.add_problem(Problem(source, found[0], None, f"{found[1]}: {read.unsaved_formula_hint()}"))
                totals.spoil()
                continue
        built = build(cells, source)
        if built.skip:
            result.skipped[built.skip] += 1
            continue
        result.rows_read += 1
        if built.problems:
            fingerprint.add(raw_key(cells, mapped))
            totals.spoil()  # a 合计 row cannot be checked against rows we could not read
            for problem in built.problems:
                report.add_problem(problem)
            continue
        for record in (built.record, *built.extra):
            record, unknown = _registered(record, register, cols, source)
            digest = fingerprint.add(record_key(record))
            cash = record.amount if options.kind == "donations" else record.cash
            totals.add(to_fen(cash), to_fen(record.goods.value) if record.goods else 0)
            problem = unknown or writer.add(record, result, digest)
            if problem:
                report.add_problem(problem)
        if progress and row_number % PROGRESS_EVERY == 0:
            progress(row_number, sheet.height, "reading")
    result.mapped_values = build.mapped
    return result


def _registered(record, register: stations.Register, cols: dict, source: Source):
    """(the record with its township and village as registered, None), or (the record, the problem
    of a name the register does not know: the closest names and the `station add` that fixes it)."""
    def header(field_):
        return cols[field_].header if field_ in cols else None
    if isinstance(record, NewDonation):
        if not record.township:
            return record, None
        found = register.find(record.township)
        if found is None:
            refusal = register.refusal(record.township)
            return record, Problem(source, header("township"), record.township, f"{refusal.message}: {refusal.hint}")
        return (record if found.name == record.township else dataclasses.replace(record, township=found.name)), None
    person = record.person
    if not person.township and not person.village:
        return record, None
    try:
        township, village = stations.placed(register, person.township, person.village)
    except Refused as refusal:
        wrong = "village" if person.village and (not person.township or register.find(person.township)) else "township"
        return record, Problem(source, header(wrong), getattr(person, wrong),
                               f"{refusal.message}: {refusal.hint}" if refusal.hint else refusal.message)
    if (township, village) == (person.township, person.village):
        return record, None
    return dataclasses.replace(record, person=dataclasses.replace(person, township=township, village=village)), None


VALUE_FIELDS = ("amount", "goods_value", "unit_value", "quantity", "match_amount", "debit", "household_size")


def _unsaved_cells(sheet, cols: dict, report, source: Source) -> dict[int, str]:
    """The value columns (index -> header) whose formula cells may have no saved value; a sheet with
    more such cells than the reader keeps is refused as a whole."""
    if not sheet.unsaved_formulas:
        return {}
    counts, kept = sheet.unsaved_formula_counts, len(sheet.unsaved_formulas)
    if sum(counts.values()) > kept:
        report.add_problem(Problem(source, None, None, (sheet.unsaved_formula_note() or "") + ": " + read.unsaved_formula_hint()))
    return {cols[name].index: cols[name].header for name in VALUE_FIELDS if name in cols}


def _unsaved(sheet, columns: dict[int, str], row: int, cells: list) -> tuple[str, str] | None:
    """A value cell of this row that is a formula without a saved value (or saved as 0 where the
    row has nothing else), or an Excel error: (header, what to say)."""
    for index, header in columns.items():
        kind = sheet.unsaved_formulas.get((row, index))
        if kind is None or (kind == "zero" and any(
                sheet.unsaved_formulas.get((row, other)) is None and cells[other] not in (None, "", 0)
                for other in columns if other != index and other < len(cells))):
            continue
        return header, sheet.unsaved_formula(row, index)
    return None


def _merged_value(sheet, columns: dict[int, str], row: int) -> tuple[str, int, int] | None:
    for index, header in columns.items():
        span = sheet.merged_over(row, index)
        if span:
            return header, *span
    return None


def _beyond(cells: list, width: int) -> bool:
    """A CSV row with more fields than its header (its cells shifted by a stray comma: 1,200.00)."""
    return len(cells) > width


def _chain(first, rest):
    yield from first
    yield from rest
