"""The spreadsheet reader's own process: python-calamine reads the workbook here, not in the
importer's process.

calamine holds a whole sheet in memory, sized by the bounding box of its cells; on a crafted file
(a cell at XFD1048576 and none of the cheap checks fooled into refusing it) it aborts the process,
and a Rust allocation failure is not a Python exception. Here that ends only this child: the
importer sees the pipe close and reports the file as unreadable. As a bonus the two processes run
on two cores: this one parses XML while the importer validates and writes.

calamine does not say which rows are hidden, nor which formulas have no saved value (it returns an
empty cell, or the 0 a tool saved without calculating), so this process reads that itself before
calamine reads the sheet (``sheet_xml``): for .xlsx the ``<row ... hidden="1">`` tags and the
``<f>``/``<v>`` of the sheet's XML, one pass streamed a megabyte at a time (Excel marks every row
of a collapsed outline group hidden too); for .xls the ROW records (fDyZero) of the Workbook
stream of the OLE file (``biff``). Which sheets of an .xlsx hold a value is read from their XML
too, up to the first value, rather than by loading every sheet into calamine.

Protocol, on stdin/stdout: frames of an 8-byte length and a pickle. The child first sends
``("names", [sheet names], [names of hidden or very hidden sheets])``, ``("encrypted",)`` for a
password-protected file, or ``("error", message)``; then answers commands:
``("non_empty",)`` -> ``("non_empty", [names])``; ``("rows", name)`` -> ``("height", n, frozenset
of hidden Excel row numbers, {(Excel row number, 0-based column): "none" | "zero" | "error"} of
formula cells without a saved value and error cells (at most ``sheet_xml.MAX_UNSAVED`` of each
kind), {kind: count} of all of them, [(first row, last row, column)] of cells merged down rows)``, then ``("rows", [(excel row number, cells), ...])`` frames, then
``("end",)``. An ``("error", message)`` may come instead of any answer.
"""

from __future__ import annotations

import pickle
import struct
import sys
import zipfile
from collections.abc import Callable, Iterator
from typing import BinaryIO

from charitybook.importers import sheet_xml
from charitybook.importers.biff import is_encrypted, is_ole, legacy_bytes, xls_hidden_rows

_LENGTH = struct.Struct("<Q")
BATCH_ROWS = 2000
SCAN_CHUNK = 1 << 20


def send(stream: BinaryIO, message: tuple) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def receive(stream: BinaryIO) -> tuple | None:
    """The next frame, or None when the other side has gone (closed pipe, crashed process)."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    size = _LENGTH.unpack(head)[0]
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return pickle.loads(payload)


def sheet_rows(sheet) -> Iterator[tuple[int, list]]:
    """(Excel row number, cells) with merged ranges filled: a merged range's value applies to
    every cell it spans. Cells sit at their sheet column (index 0 is column A).

    calamine's ``iter_rows`` starts at row 1 but at the first used column; the blank columns
    before it are put back so that a marked-up copy lines up with the township's sheet."""
    first_col = sheet.start[1] if sheet.start else 0
    pad = [""] * first_col
    merged: dict[int, list[tuple[int, int, int]]] = {}
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or ():
        merged.setdefault(top, []).append((bottom, left, right))
    active: list[tuple[int, int, int, object]] = []  # (last row index, left, right, value)
    for index, cells in enumerate(sheet.iter_rows()):
        if pad:
            cells = pad + cells
        if merged or active:
            for bottom, left, right in merged.pop(index, ()):
                active.append((bottom, left, right, cells[left] if left < len(cells) else ""))
            for bottom, left, right, value in active:
                for col in range(left, min(right + 1, len(cells))):
                    cells[col] = value
            active = [span for span in active if span[0] > index]
        yield index + 1, cells


def merged_down(sheet) -> list[tuple[int, int, int]]:
    """(first Excel row, last Excel row, 0-based column) for each column of a merged range that
    spans several rows: its value is filled into every row (see ``sheet_rows``), which is right for
    a village's name and wrong for an amount."""
    found = []
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or ():
        if bottom > top:
            found += [(top + 1, bottom + 1, column) for column in range(left, right + 1)]
    return found


def has_data(sheet) -> bool:
    return bool(sheet.height) and any(cell != "" for row in sheet.iter_rows() for cell in row)


def xlsx_scan(handle: BinaryIO) -> sheet_xml.SheetScan:
    """One pass over a sheet's XML, SCAN_CHUNK bytes at a time: its hidden rows and its formula
    cells without a saved value."""
    return sheet_xml.scan(handle, SCAN_CHUNK)


def xlsx_hidden_rows(handle: BinaryIO) -> frozenset[int]:
    """Excel row numbers of the rows a sheet's XML marks hidden."""
    return xlsx_scan(handle).hidden_rows()


def sheet_parts_of(path: str) -> dict[str, zipfile.ZipInfo] | None:
    """An .xlsx's sheet names -> their XML parts; None for an .xls."""
    if is_ole(path):
        return None
    from charitybook.importers.guard import sheet_parts, workbook_part

    with zipfile.ZipFile(path) as archive:
        return sheet_parts(archive, workbook_part(archive) or "")


def flags_of(path: str, names: list[str], parts: dict | None) -> Callable[[str], tuple]:
    """A function from a sheet's name to (hidden Excel row numbers, formula cells without a saved
    value, their counts by kind), read the way the file's format needs: all sheets at once from
    an .xls's Workbook stream (whose formulas always have a result: see ``biff``), one sheet's XML
    at a time from an .xlsx."""
    if parts is None:
        flags = xls_hidden_rows(legacy_bytes(path))
        if len(flags) != len(names):
            raise ValueError(f"{len(flags)} sheet records for {len(names)} sheets")
        by_name = dict(zip(names, flags))
        return lambda name: (by_name[name], {}, {"none": 0, "zero": 0, "error": 0})

    def of(name: str) -> tuple:
        if name not in parts:
            raise LookupError(f"cannot find the XML of sheet {name!r}")
        with zipfile.ZipFile(path) as archive, archive.open(parts[name]) as handle:
            scan = xlsx_scan(handle)
        return scan.hidden_rows(), scan.unsaved, scan.counts
    return of


def non_empty(path: str, workbook, names: list[str], parts: dict | None) -> list[str]:
    """The sheets with at least one value. An .xlsx's sheets are read from their XML up to their
    first value, not loaded by calamine one after another (2,000 sheets: see tests); an .xls is in
    calamine's memory already, and a sheet whose XML was not found is asked of calamine too."""
    if parts is None:
        return [name for name in names if has_data(workbook.get_sheet_by_name(name))]
    from charitybook.importers.guard import shared_strings_part, workbook_part

    with zipfile.ZipFile(path) as archive:
        strings = shared_strings_part(archive, workbook_part(archive) or "")
        if strings is None:
            empty = frozenset()
        else:
            with archive.open(strings) as handle:
                empty = sheet_xml.empty_shared_strings(handle)
        found = []
        for name in names:
            if name in parts and empty is not None:
                with archive.open(parts[name]) as handle:
                    full = sheet_xml.xlsx_has_values(handle, empty)
            else:
                full = has_data(workbook.get_sheet_by_name(name))
            if full:
                found.append(name)
    return found


def _limit_memory() -> None:
    """Cap this process's address space (POSIX) so a crafted file fails fast instead of
    swapping the clerk's machine to a standstill first."""
    try:
        import os
        import resource

        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        cap = max(2 * 1024**3, physical * 3 // 4)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, ValueError, OSError, AttributeError):
        pass  # Windows, or a system that refuses: the pipe still contains a crash


def serve(path: str, commands: BinaryIO, out: BinaryIO) -> None:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    try:
        with open(path, "rb") as handle:
            workbook = CalamineWorkbook.from_filelike(handle)
    except Exception as error:  # calamine's own error types for damaged files
        send(out, ("encrypted",) if is_encrypted(path) else ("error", str(error)))
        return
    names = list(workbook.sheet_names)
    try:
        parts = sheet_parts_of(path)
        flags = flags_of(path, names, parts)
    except Exception as error:  # a file calamine reads but whose row flags we cannot: say so
        send(out, ("error", f"cannot tell which rows are hidden ({error})"))
        return
    send(out, ("names", names, [m.name for m in workbook.sheets_metadata if m.visible != SheetVisibleEnum.Visible]))
    while (command := receive(commands)) is not None:
        try:
            if command[0] == "non_empty":
                send(out, ("non_empty", non_empty(path, workbook, names, parts)))
            elif command[0] == "rows":
                _send_rows(workbook, command[1], flags(command[1]), out)
        except Exception as error:
            send(out, ("error", str(error)))


def _send_rows(workbook, name: str, flags: tuple, out: BinaryIO) -> None:
    sheet = workbook.get_sheet_by_name(name)
    send(out, ("height", sheet.height, *flags, merged_down(sheet)))
    batch = []
    for row in sheet_rows(sheet):
        batch.append(row)
        if len(batch) >= BATCH_ROWS:
            send(out, ("rows", batch))
            batch = []
    if batch:
        send(out, ("rows", batch))
    del sheet
    send(out, ("end",))


def main() -> None:
    _limit_memory()
    serve(sys.argv[1], sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    main()
