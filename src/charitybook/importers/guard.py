"""Refuse spreadsheets that would blow up the reader before the reader sees them.

calamine holds a whole sheet in memory and, on a crafted file, aborts the process (a Rust
allocation failure is not a Python exception). An xlsx is a zip: its size table, each sheet's
declared ``<dimension>`` and the shared-strings count are read here in well under a millisecond.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from charitybook.errors import CharitybookError
from charitybook.i18n import _

MAX_UNCOMPRESSED = 2 * 1024**3      # 2 GiB of XML in all
MAX_RATIO = 200                     # a zip bomb expands by far more than real sheets do
MAX_CELLS = 60_000_000              # rows × columns a sheet may declare
MAX_STRINGS = 20_000_000
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_SST_COUNT = re.compile(rb'\b(?:uniqueCount|count)="(\d+)"')


class UnsafeFile(CharitybookError):
    pass


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.decode():
        number = number * 26 + ord(char) - 64
    return number


def check_xlsx(archive: zipfile.ZipFile, path: Path) -> None:
    """Refuse the workbook in this open zip if it would expand beyond a sane bound."""
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    packed = max(1, sum(info.compress_size for info in infos))
    if total > MAX_UNCOMPRESSED or (total > 50 * 1024**2 and total / packed > MAX_RATIO):
        raise UnsafeFile(_("{file}: expands to {size} MB of XML ({ratio}× its size); refusing it as unsafe").format(
            file=path.name, size=total // 1024**2, ratio=total // packed))
    for info in infos:
        name = info.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            _check_dimension(archive, info, path)
        elif name == "xl/sharedStrings.xml":
            _check_strings(archive, info, path)


def _head(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int = 4096) -> bytes:
    with archive.open(info) as handle:
        return handle.read(size)


def _check_dimension(archive, info, path: Path) -> None:
    match = _DIMENSION.search(_head(archive, info))
    if not match:
        return
    first_col, first_row, last_col, last_row = match.groups()
    if last_col is None:
        return
    rows = int(last_row) - int(first_row) + 1
    cols = _column_number(last_col) - _column_number(first_col) + 1
    if rows * cols > MAX_CELLS:
        raise UnsafeFile(_("{file}: sheet {sheet} declares {rows} rows × {cols} columns ({ref}); refusing it as unsafe").format(
            file=path.name, sheet=info.filename.rsplit("/", 1)[-1], rows=rows, cols=cols,
            ref=match.group(0).decode(errors="replace")))


def _check_strings(archive, info, path: Path) -> None:
    counts = [int(value) for value in _SST_COUNT.findall(_head(archive, info))]
    # a real shared string takes at least ``<si><t/></si>`` (12 bytes) of XML
    if counts and (max(counts) > MAX_STRINGS or max(counts) > info.file_size // 12 + 1_000):
        raise UnsafeFile(_("{file}: declares {count} shared strings in {size} bytes; refusing it as unsafe").format(
            file=path.name, count=max(counts), size=info.file_size))
