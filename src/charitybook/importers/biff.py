"""Just enough of an OLE compound file (MS-CFB) and of BIFF8 to read what calamine does not say
about a legacy .xls: whether it is encrypted, and which rows are hidden. Runs in the reader's child
process (``reader_process``); a damaged file raises ``struct.error`` or ``ValueError`` here.

Formulas need nothing here: a BIFF FORMULA record (0x0006) always carries a result field, which
calamine returns. A program that writes .xls without calculating puts something in that field too
(xlwt, for one, a result that reads as empty text); the record does not say it was never
calculated, so an .xls is never reported as having formulas without a saved value.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

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
    data = legacy_bytes(path)
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


def legacy_bytes(path: str) -> bytes | None:
    """The whole file if it is an OLE compound file (a legacy .xls, at most 200 MB), else None."""
    with open(path, "rb") as handle:
        if handle.read(len(_OLE)) != _OLE:
            return None
        return _OLE + handle.read()


def is_ole(path: str) -> bool:
    """Whether the file is an OLE compound file: a legacy .xls, or an encrypted .xlsx."""
    with open(path, "rb") as handle:
        return handle.read(len(_OLE)) == _OLE
