"""Bytes -> sheets of rows. xlsx/xlsm/xls through python-calamine, CSV streamed."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charitybook.errors import CharitybookError
from charitybook.i18n import _
from charitybook.importers.guard import check_xlsx

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
MAX_LEGACY_BYTES = 200 * 1024**2


class ReadError(CharitybookError):
    pass


@dataclass
class Sheet:
    """One sheet: its name (None for CSV) and an iterator of (Excel row number, cells)."""

    name: str | None
    rows: Iterator[tuple[int, list]]


class Book:
    """One file, opened and guard-checked once: a workbook's sheets, or a CSV as one sheet."""

    def __init__(self, path: Path):
        self.path = path
        self.csv = path.suffix.lower() == ".csv"
        self._workbook = None if self.csv else _workbook(path)

    @property
    def names(self) -> list[str | None]:
        return [None] if self.csv else list(self._workbook.sheet_names)

    def non_empty(self) -> list[str | None]:
        """Sheets with at least one value. A workbook's only sheet is not parsed for this: it
        is parsed once, when it is read."""
        names = self.names
        if len(names) == 1:
            return names
        return [name for name in names if _has_data(self._workbook.get_sheet_by_name(name))]

    def sheet(self, name: str | None) -> Sheet:
        if self.csv:
            return Sheet(None, _csv_rows(self.path))
        if name not in self.names:
            raise ReadError(_("{file}: no sheet named {sheet!r}; sheets: {names}").format(
                file=self.path.name, sheet=name, names=", ".join(self.names)))
        return Sheet(name, _sheet_rows(self._workbook.get_sheet_by_name(name)))


def _has_data(sheet) -> bool:
    return bool(sheet.height) and any(cell != "" for row in sheet.iter_rows() for cell in row)


def _workbook(path: Path):
    from python_calamine import CalamineWorkbook

    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise ReadError(_("{file}: unsupported file type {suffix} (use .xlsx, .xls or .csv)").format(file=path.name, suffix=suffix))
    if suffix in (".xlsx", ".xlsm"):
        check_xlsx(path)
    elif path.stat().st_size > MAX_LEGACY_BYTES:
        raise ReadError(_("{file}: {size} MB is too large for a legacy workbook; save it as .xlsx or .csv").format(
            file=path.name, size=path.stat().st_size // 1024**2))
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own error types for damaged files
        raise ReadError(_("{file}: cannot be read as a spreadsheet ({error})").format(file=path.name, error=error)) from None


def _sheet_rows(sheet) -> Iterator[tuple[int, list]]:
    """Rows with merged ranges filled: a merged range's value applies to every cell it spans."""
    first_col = sheet.start[1] if sheet.start else 0
    merged: dict[int, list[tuple[int, int, int, int]]] = {}
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or ():
        merged.setdefault(top, []).append((top, bottom, left - first_col, right - first_col))
    active: list[tuple[int, int, int, object]] = []  # (bottom, left, right, value)
    for index, cells in enumerate(sheet.iter_rows()):
        if merged or active:
            cells = list(cells)
            for top, bottom, left, right in merged.pop(index, ()):
                value = cells[left] if 0 <= left < len(cells) else ""
                active.append((bottom, left, right, value))
            for bottom, left, right, value in active:
                for col in range(max(left, 0), min(right + 1, len(cells))):
                    cells[col] = value
            active = [span for span in active if span[0] > index]
        yield index + 1, cells


def detect_encoding(path: Path) -> str:
    """BOM -> strict UTF-8 -> strict GB18030 -> refuse, naming the line and byte."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf8_error = _first_error(path, "utf-8")
    if utf8_error is None:
        return "utf-8"
    if _first_error(path, "gb18030") is None:
        return "gb18030"
    line, column, byte = utf8_error
    raise ReadError(_("{file}: line {line}, byte {column}: 0x{byte:02X} is neither UTF-8 nor GB18030 text; "
                      "save the file again as UTF-8 CSV").format(file=path.name, line=line, column=column, byte=byte))


def _first_error(path: Path, encoding: str) -> tuple[int, int, int] | None:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset, line, line_start = 0, 1, 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                before = chunk[: error.start]
                line += before.count(b"\n")
                last_newline = before.rfind(b"\n")
                column = error.start - last_newline if last_newline >= 0 else offset + error.start - line_start + 1
                return line, column, chunk[error.start]
            line += chunk.count(b"\n")
            last_newline = chunk.rfind(b"\n")
            if last_newline >= 0:
                line_start = offset + last_newline + 1
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return line, offset - line_start + 1, 0
    return None


def _csv_rows(path: Path) -> Iterator[tuple[int, list]]:
    encoding = detect_encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle)
        for cells in reader:
            yield reader.line_num, cells
