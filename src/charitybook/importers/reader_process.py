"""The spreadsheet reader's own process: python-calamine reads the workbook here, not in the
importer's process.

calamine holds a whole sheet in memory, sized by the bounding box of its cells; on a crafted file
(a cell at XFD1048576 and none of the cheap checks fooled into refusing it) it aborts the process,
and a Rust allocation failure is not a Python exception. Here that ends only this child: the
importer sees the pipe close and reports the file as unreadable. As a bonus the two processes run
on two cores: this one parses XML while the importer validates and writes.

calamine does not say which rows are hidden, so this process reads that itself before calamine
reads the sheet: for .xlsx the ``<row ... hidden="1">`` tags of the sheet's XML, streamed a
megabyte at a time (Excel marks every row of a collapsed outline group hidden too); for .xls the
ROW records (fDyZero) of the Workbook stream of the OLE file.

Protocol, on stdin/stdout: frames of an 8-byte length and a pickle. The child first sends
``("names", [sheet names], [names of hidden or very hidden sheets])``, ``("encrypted",)`` for a
password-protected file, or ``("error", message)``; then answers commands:
``("non_empty",)`` -> ``("non_empty", [names])``; ``("rows", name)`` -> ``("height", n, frozenset
of hidden Excel row numbers)``, then ``("rows", [(excel row number, cells), ...])`` frames, then
``("end",)``. An ``("error", message)`` may come instead of any answer.
"""

from __future__ import annotations

import pickle
import re
import struct
import sys
import zipfile
from collections.abc import Callable, Iterator
from typing import BinaryIO

_LENGTH = struct.Struct("<Q")
BATCH_ROWS = 2000
SCAN_CHUNK = 1 << 20
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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


def has_data(sheet) -> bool:
    return bool(sheet.height) and any(cell != "" for row in sheet.iter_rows() for cell in row)


# -- hidden rows of an .xlsx sheet ------------------------------------------------------------

_ROOT = re.compile(rb"<(\w+:)?worksheet\b")
_ROW_R = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_ROW_HIDDEN = re.compile(rb"""\bhidden\s*=\s*["'](?:1|true)["']""")
MAX_TAG = 64 * 1024


def xlsx_hidden_rows(handle: BinaryIO) -> frozenset[int]:
    """Excel row numbers of the rows a sheet's XML marks hidden, streamed a chunk at a time."""
    scan, tail = _RowScan(), b""
    while chunk := handle.read(SCAN_CHUNK):
        tail = scan.feed(tail + chunk)
    return frozenset(scan.hidden)


class _RowScan:
    """Reads ``<row>`` tags as calamine counts them: a row without ``r`` follows the one before it;
    a self-closing ``<row/>`` holds no cells and is skipped. A chunk without the word "hidden" is
    passed over at memory speed: only its last row's number is needed."""

    def __init__(self):
        self.hidden: set[int] = set()
        self.next_row = 1
        self.row_tag: re.Pattern | None = None
        self.row_start = b"<row"

    def feed(self, data: bytes) -> bytes:
        """Scan what can be scanned; return the tail to put before the next chunk."""
        if self.row_tag is None:
            root = _ROOT.search(data)
            if root is None:
                return data[-MAX_TAG:]  # no row comes before the root element
            self.row_start = b"<" + (root.group(1) or b"") + b"row"
            self.row_tag = re.compile(re.escape(self.row_start) + rb"\b([^>]*)>")  # a literal start: fast
        cut = data.rfind(b"<")
        if cut < 0 or len(data) - cut > MAX_TAG:
            cut = len(data)  # no tag left open at the end, or one too long to be a row's
        data, tail = data[:cut], data[cut:]
        if b"hidden" in data or not self._skip(data):
            self._scan(data)
        return tail

    def _skip(self, data: bytes) -> bool:
        """Take the last row's number, if it has one: True when nothing else needs reading."""
        at = data.rfind(self.row_start)
        if at < 0:
            return True
        match = self.row_tag.match(data, at)
        number = _ROW_R.search(match.group(1)) if match and not match.group(1).endswith(b"/") else None
        if number is None:
            return False
        self.next_row = int(number.group(1)) + 1
        return True

    def _scan(self, data: bytes) -> None:
        for match in self.row_tag.finditer(data):
            attributes = match.group(1)
            if attributes.endswith(b"/"):
                continue
            number = _ROW_R.search(attributes)
            row = int(number.group(1)) if number else self.next_row
            self.next_row = row + 1
            if b"hidden" in attributes and _ROW_HIDDEN.search(attributes):
                self.hidden.add(row)


# -- .xls: just enough of an OLE compound file (MS-CFB) and of BIFF8 --------------------------

_MAX_SECTOR = 0xFFFFFFFA  # sector numbers above this end a chain (or mark a free sector)
_ENCRYPTED_STREAMS = ("EncryptionInfo", "EncryptedPackage")


class Ole:
    """The streams of an OLE compound file held in memory (a legacy .xls, at most 200 MB)."""

    def __init__(self, data: bytes):
        self.data = data
        major, _, shift, mini_shift = struct.unpack_from("<HHHH", data, 26)
        self.sector, self.mini_sector = 1 << shift, 1 << mini_shift
        fat_count, first_dir, _, self.cutoff, first_mini_fat, _, first_difat, difat_count = struct.unpack_from("<8I", data, 44)
        difat = list(struct.unpack_from("<109I", data, 76))
        for sector in self._chain_of_difat(first_difat, difat_count):
            difat.extend(struct.unpack_from(f"<{self.sector // 4 - 1}I", data, self._offset(sector)))
        self.fat = b"".join(self._read(sector) for sector in difat[:fat_count])
        self.streams: dict[str, tuple[int, int]] = {}
        directory = self._chain(first_dir)
        for at in range(0, len(directory) - 127, 128):
            size_of_name, kind = struct.unpack_from("<HB", directory, at + 64)
            start, size = struct.unpack_from("<IQ", directory, at + 116)
            name = directory[at:at + min(size_of_name, 64)].decode("utf-16-le", "replace").rstrip("\0")
            self.streams.setdefault(name if kind != 5 else "", (start, size & 0xFFFFFFFF if major == 3 else size))
        self.mini_fat = self._chain(first_mini_fat)
        self.mini_stream = self._chain(self.streams.get("", (_MAX_SECTOR + 1, 0))[0])

    def _offset(self, sector: int) -> int:
        return (sector + 1) * self.sector

    def _read(self, sector: int) -> bytes:
        return self.data[self._offset(sector):self._offset(sector) + self.sector]

    def _chain_of_difat(self, sector: int, count: int) -> Iterator[int]:
        for _ in range(min(count, len(self.data) // self.sector)):
            if sector > _MAX_SECTOR:
                return
            yield sector
            sector = struct.unpack_from("<I", self.data, self._offset(sector) + self.sector - 4)[0]

    def _sectors(self, sector: int, table: bytes) -> Iterator[int]:
        for _ in range(len(table) // 4):  # a chain longer than the table loops
            if sector > _MAX_SECTOR or sector * 4 >= len(table):
                return
            yield sector
            sector = struct.unpack_from("<I", table, sector * 4)[0]

    def _chain(self, sector: int) -> bytes:
        return b"".join(self._read(s) for s in self._sectors(sector, self.fat))

    def stream(self, name: str) -> bytes | None:
        if name not in self.streams:
            return None
        start, size = self.streams[name]
        if size >= self.cutoff:
            return self._chain(start)[:size]
        step = self.mini_sector
        return b"".join(self.mini_stream[s * step:(s + 1) * step] for s in self._sectors(start, self.mini_fat))[:size]


def _records(stream: bytes, at: int) -> Iterator[tuple[int, int, int]]:
    """(type, data offset, data length) of BIFF records from ``at`` to the substream's EOF."""
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        if kind == 0x000A:  # EOF
            return
        yield kind, at + 4, length
        at += 4 + length


def _workbook_stream(ole: Ole) -> bytes:
    return ole.stream("Workbook") or ole.stream("Book") or b""


def is_encrypted(path: str) -> bool:
    """An encrypted .xlsx is an OLE file holding EncryptionInfo/EncryptedPackage; an encrypted
    .xls has a FILEPASS record in its workbook globals."""
    data = _legacy_bytes(path)
    if data is None:
        return False
    try:
        ole = Ole(data)
        if any(name in ole.streams for name in _ENCRYPTED_STREAMS):
            return True
        stream = _workbook_stream(ole)
        return any(kind == 0x002F and stream[at:at + 2] != b"\0\0" for kind, at, _ in _records(stream, 0))
    except (struct.error, ValueError):
        return False


def xls_hidden_rows(data: bytes) -> list[frozenset[int]]:
    """Per sheet, in the workbook's order: the Excel row numbers whose ROW record has fDyZero."""
    stream = _workbook_stream(Ole(data))
    sheets = [struct.unpack_from("<I", stream, at)[0] for kind, at, _ in _records(stream, 0) if kind == 0x0085]
    hidden = []
    for start in sheets:
        rows = (struct.unpack_from("<HHHHHHH", stream, at) for kind, at, length in _records(stream, start)
                if kind == 0x0208 and length >= 16)
        hidden.append(frozenset(row[0] + 1 for row in rows if row[6] & 0x20))
    return hidden


def hidden_rows_of(path: str, names: list[str]) -> Callable[[str], frozenset[int]]:
    """A function from a sheet's name to its hidden rows, read the way the file's format needs:
    all sheets at once from an .xls's Workbook stream, one sheet's XML at a time from an .xlsx."""
    data = _legacy_bytes(path)
    if data is not None:
        flags = xls_hidden_rows(data)
        if len(flags) != len(names):
            raise ValueError(f"{len(flags)} sheet records for {len(names)} sheets")
        by_name = dict(zip(names, flags))
        return by_name.__getitem__
    from charitybook.importers.guard import sheet_parts, workbook_part

    with zipfile.ZipFile(path) as archive:
        parts = sheet_parts(archive, workbook_part(archive) or "")

    def of(name: str) -> frozenset[int]:
        if name not in parts:
            raise LookupError(f"cannot find the XML of sheet {name!r}")
        with zipfile.ZipFile(path) as archive, archive.open(parts[name]) as handle:
            return xlsx_hidden_rows(handle)
    return of


def _legacy_bytes(path: str) -> bytes | None:
    """The whole file if it is an OLE compound file (a legacy .xls, at most 200 MB), else None."""
    with open(path, "rb") as handle:
        if handle.read(len(_OLE)) != _OLE:
            return None
        return _OLE + handle.read()


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
        hidden_rows = hidden_rows_of(path, names)
    except Exception as error:  # a file calamine reads but whose row flags we cannot: say so
        send(out, ("error", f"cannot tell which rows are hidden ({error})"))
        return
    send(out, ("names", names, [m.name for m in workbook.sheets_metadata if m.visible != SheetVisibleEnum.Visible]))
    while (command := receive(commands)) is not None:
        try:
            if command[0] == "non_empty":
                send(out, ("non_empty", [name for name in names if has_data(workbook.get_sheet_by_name(name))]))
            elif command[0] == "rows":
                _send_rows(workbook, command[1], hidden_rows(command[1]), out)
        except Exception as error:
            send(out, ("error", str(error)))


def _send_rows(workbook, name: str, hidden: frozenset[int], out: BinaryIO) -> None:
    sheet = workbook.get_sheet_by_name(name)
    send(out, ("height", sheet.height, hidden))
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
