"""Bytes -> sheets of rows. Workbooks (.xlsx, .xlsm, .xls) are read by python-calamine in a child
process (``reader_process``), CSV and tab-separated text are streamed here (``csv_file``). What a
file is, is decided by its first bytes, not its name: townships send .xls files that are really
.xlsx, and web pages saved as .xls."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from charitybook.errors import CharitybookError
from charitybook.i18n import N_, _
from charitybook.importers import csv_file, guard
from charitybook.importers.reader_process import receive, send

MAX_LEGACY_BYTES = 200 * 1024**2
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = N_("open it in Excel or WPS and save it as .xlsx (or as CSV)")
_SAVE_WITHOUT_PASSWORD = N_(
    "open it with its password and save it without one: in Excel, File → Info → Protect Workbook → Encrypt with "
    "Password, delete the password, OK, then save; in WPS, 文件 → 文档加密 → 密码加密, clear the password to open, "
    "then save")
_UNPRINTABLE = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # controls, bidi and zero-width marks, lone surrogates, line breaks
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError)


class ReadError(CharitybookError):
    pass


@dataclass
class Sheet:
    """One sheet: its name (None for CSV), an iterator of (Excel row number, cells), how many rows
    it has when that is known before reading, whether the sheet is hidden (or very hidden), and
    the Excel row numbers of its hidden rows (a collapsed outline group's rows among them).
    Hidden rows are still in ``rows``: what to do with them is the importer's decision.

    ``unsaved_formulas`` maps (Excel row number, 0-based column) of an .xlsx's formula cells to
    "none" when the file holds no saved value for them (calamine gives an empty cell) or "zero"
    when the saved value is 0 (which some tools save for every formula without calculating, and
    which is also a real 0: the cell's row decides whether it matters). At most
    ``sheet_xml.MAX_UNSAVED`` of each kind are kept, the first in the sheet;
    ``unsaved_formula_counts`` has all of them: ``{"none": n, "zero": m}``."""

    name: str | None
    rows: Iterator[tuple[int, list]]
    height: int | None = None
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()
    unsaved_formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    unsaved_formula_counts: dict[str, int] = field(default_factory=lambda: {"none": 0, "zero": 0, "error": 0})
    merged_down: list[tuple[int, int, int]] = field(default_factory=list)  # (first row, last row, column)

    def merged_over(self, row: int, column: int) -> tuple[int, int] | None:
        """The rows a merged cell at (Excel row, 0-based column) spans, when it spans several."""
        for first, last, merged_column in self.merged_down:
            if merged_column == column and first <= row <= last:
                return first, last
        return None

    def unsaved_formula(self, row: int, column: int) -> str | None:
        """A problem's words for the cell at (Excel row, 0-based column) when it is a formula without
        a saved value (or saved as 0), else None; see ``unsaved_formula_hint`` for what to do."""
        kind = self.unsaved_formulas.get((row, column))
        return None if kind is None else unsaved_formula_words(kind, cell_name(row, column))

    def unsaved_formula_note(self) -> str | None:
        """One line for the sheet when formulas have no saved value (not for those saved as 0:
        a column of 0s is often real), e.g. "1,204 formula cells have no saved value (D2, D3,
        … and 1,194 more)"; None when there are none."""
        count = self.unsaved_formula_counts.get("none", 0)
        if not count:
            return None
        cells = sorted(at for at, kind in self.unsaved_formulas.items() if kind == "none")
        return _("{n} formula cell(s) have no saved value ({cells})").format(
            n=f"{count:,}", cells=listed([cell_name(*at) for at in cells], count))


def unsaved_formula_words(kind: str, cell: str) -> str:
    """What to say of a formula cell: "none" (no saved value), "zero" (saved as 0) or "error" (#DIV/0! …)."""
    if kind == "error":
        return _("{cell} holds an Excel error (such as #DIV/0! or #REF!), not a value").format(cell=cell)
    if kind == "zero":
        return _("{cell} is a formula whose saved value is 0, perhaps never calculated").format(cell=cell)
    return _("{cell} is a formula without a saved value").format(cell=cell)


def unsaved_formula_hint() -> str:
    return _("open the file in Excel or WPS and save it (with calculation set to automatic), then import it again")


def cell_name(row: int, column: int) -> str:
    """An Excel cell's name from its row number and 0-based column: (5, 2) -> C5."""
    letters, column = "", column + 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def listed(items: list[str], total: int | None = None, most: int = 10) -> str:
    """At most ``most`` items, then how many more: "a, b, … and 1,990 more". ``total`` is how many
    there are when ``items`` holds only the first of them."""
    total = len(items) if total is None else total
    shown = ", ".join(items[:most])
    if total <= min(most, len(items)):
        return shown
    return _("{items}, … and {more} more").format(items=shown, more=f"{total - min(most, len(items)):,}")


def sheet_list(names: Iterable[str | None], most: int = 10) -> str:
    """Sheet names for a message, at most ``most`` of them and a count: "2,000 sheets: 城关街道,
    沙河子镇, … and 1,990 more" (a workbook may have thousands). Each name is shown printable and
    at most 31 characters long, Excel's limit (a crafted file's may be longer)."""
    names = list(names)
    shown = [_printable(str(name))[:31] + ("…" if len(str(name)) > 31 else "") for name in names[:most]]
    text = listed(shown, len(names), most)
    if len(names) == 1:
        return _("1 sheet: {names}").format(names=text)
    return _("{n} sheets: {names}").format(n=f"{len(names):,}", names=text)


def _printable(text: str) -> str:
    return "".join("\ufffd" if unicodedata.category(char) in _UNPRINTABLE else char for char in text)


def display_name(path: Path | str) -> str:
    """A file's name as printable text, for every message and record that names the file; never
    raises. A name that is not UTF-8 (a Windows zip's GBK names reach Linux as surrogate escapes,
    ``'\\udcb3'``) is read as GB18030 when it is that, as a CSV's text is; anything else, and any
    control, bidi or zero-width character, becomes U+FFFD."""
    name = Path(path).name
    try:
        raw = os.fsencode(name)
    except UnicodeError:
        raw = name.encode("utf-8", "replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("utf-8", "replace")
    return _printable(text)


def file_kind(path: Path, file: str) -> str:
    """xlsx | xls | csv, from the file's first bytes; anything else is refused with what to do
    (``file`` is the name to show). An xlsx is guard-checked here, on the zip already open."""
    with open(path, "rb") as handle:
        head = handle.read(512)
    if head.startswith(_ZIP):
        return _zip_kind(path, file)
    if head.startswith(_OLE):
        if path.stat().st_size > MAX_LEGACY_BYTES:
            raise ReadError(_("{file}: {size} MB is too large for a legacy workbook").format(
                file=file, size=path.stat().st_size // 1024**2), hint=_(_SAVE_AS))
        return "xls"
    if path.suffix.lower() in (".csv", ".txt"):
        return "csv"
    if path.suffix.lower() in (".xls", ".xlsx", ".xlsm", ".et"):
        looks_like = _("a web page or XML file") if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else _("not a workbook")
        raise ReadError(_("{file} has a spreadsheet's name but is {what}").format(file=file, what=looks_like), hint=_(_SAVE_AS))
    raise ReadError(_("{file}: unsupported file type {suffix} (use .xlsx, .xls or .csv)").format(
        file=file, suffix=path.suffix or "''"))


def _zip_kind(path: Path, file: str) -> str:
    """A zip is an xlsx when it holds a workbook part wherever calamine finds one (see ``guard``)."""
    try:
        with zipfile.ZipFile(path) as archive:
            if guard.workbook_part(archive):
                guard.check_xlsx(archive, file)  # sizes and counts, before any reader expands them
                return "xlsx"
            parts = guard.members(archive)
    except _ZIP_ERRORS as error:
        raise ReadError(_("{file}: a damaged zip file, not a workbook ({error})").format(file=file, error=error)) from None
    what = _("a binary .xlsb workbook") if any(part.endswith("workbook.bin") for part in parts) else (
        _("an OpenDocument (.ods) spreadsheet") if "content.xml" in parts else _("a zip file, not a workbook"))
    raise ReadError(_("{file} is {what}").format(file=file, what=what), hint=_(_SAVE_AS))


class Book:
    """One file, checked once: a workbook's sheets, or a CSV as one sheet. Close it (or use it
    as a context manager) to stop the reader process."""

    def __init__(self, path: Path):
        self.path = path
        self.display_name = display_name(path)
        self.kind = file_kind(path, self.display_name)
        self.csv = self.kind == "csv"
        self._reader = None if self.csv else _ChildReader(path, self.display_name)

    @property
    def names(self) -> list[str | None]:
        return [None] if self._reader is None else list(self._reader.names)

    def hidden_sheets(self) -> list[str]:
        """Names of the sheets that are hidden or very hidden, in the workbook's order."""
        return [] if self._reader is None else [name for name in self._reader.names if name in self._reader.hidden]

    def non_empty(self) -> list[str | None]:
        """Sheets with at least one value. A workbook's only sheet is not read for this: it
        is read once, when it is imported."""
        names = self.names
        if self._reader is None or len(names) == 1:
            return names
        return self._reader.non_empty()

    def sheet(self, name: str | None) -> Sheet:
        if self._reader is None:
            return Sheet(None, csv_file.csv_rows(self.path, self.display_name))
        if name not in self.names:
            raise ReadError(_("{file}: no sheet named {sheet!r}; {sheets}").format(
                file=self.display_name, sheet=name, sheets=sheet_list(self.names)))
        return self._reader.sheet(name)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _ChildReader:
    """Talks to one ``reader_process`` child; starts another if a sheet was left half-read."""

    def __init__(self, path: Path, file: str):
        self.path, self.file = path, file
        self._proc: subprocess.Popen | None = None
        self._stderr = None
        self.names: list[str] = []
        self.hidden: set[str] = set()
        self._streaming = False
        self._start()

    def _start(self) -> None:
        self._stderr = tempfile.TemporaryFile()
        # -P: not the current folder first on the path, where a file named python_calamine.py
        # among the township's files would be run instead of the real one
        self._proc = subprocess.Popen(
            [sys.executable, "-P", "-m", "charitybook.importers.reader_process", str(self.path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr)
        _, self.names, hidden = self._expect(None, "names")
        self.hidden = set(hidden)

    def _expect(self, sheet: str | None, tag: str) -> tuple:
        message = receive(self._proc.stdout)
        if message is None:
            raise self._crashed(sheet)
        if message[0] == "error":
            raise self._unreadable(message[1])
        if message[0] == "encrypted":
            self.close()
            raise ReadError(_("{file} is protected with a password (encrypted) and cannot be read").format(file=self.file),
                            hint=_(_SAVE_WITHOUT_PASSWORD))
        if message[0] != tag:  # pragma: no cover - a protocol error is a bug, not a user error
            raise RuntimeError(f"reader sent {message[0]!r}, expected {tag!r}")
        return message

    def _ask(self, command: tuple, sheet: str | None, tag: str) -> tuple:
        if self._proc is None:
            self._start()
        try:
            send(self._proc.stdin, command)
        except (BrokenPipeError, OSError):
            raise self._crashed(sheet) from None
        return self._expect(sheet, tag)

    def non_empty(self) -> list[str]:
        return self._ask(("non_empty",), None, "non_empty")[1]

    def sheet(self, name: str) -> Sheet:
        """The sheet's rows are read from the child until the next call: a sheet left unread
        (only its flags looked at) stops this child and the next sheet starts another."""
        if self._streaming:
            self.close()
        _, height, hidden_rows, unsaved, counts, merged = self._ask(("rows", name), name, "height")
        self._streaming = True
        return Sheet(name, self._stream(name), height, name in self.hidden, hidden_rows, unsaved, counts, merged)

    def _stream(self, name: str) -> Iterator[tuple[int, list]]:
        finished = False
        try:
            while True:
                message = receive(self._proc.stdout)
                if message is None:
                    raise self._crashed(name)
                if message[0] == "end":
                    finished, self._streaming = True, False
                    return
                if message[0] == "error":
                    raise self._unreadable(message[1])
                yield from message[1]
        finally:
            if not finished:
                self.close()  # left half-read: stop this child; the next sheet starts a new one

    def _unreadable(self, error: str) -> ReadError:
        self.close()
        return ReadError(_("{file}: cannot be read as a spreadsheet ({error})").format(file=self.file, error=error),
                         hint=_(_SAVE_AS))

    def _crashed(self, sheet: str | None) -> ReadError:
        try:
            code = self._proc.wait(timeout=5) if self._proc else None
        except subprocess.TimeoutExpired:
            code = None
        detail = self._last_words() or _("exit code {code}").format(code=code)
        self.close()
        where = _(" on sheet {sheet}").format(sheet=sheet) if sheet else ""
        return ReadError(
            _("{file}: the spreadsheet reader crashed{where} ({detail}); the file is damaged or made to crash "
              "readers, and nothing was imported").format(file=self.file, where=where, detail=detail),
            hint=_("open it in Excel or WPS, check it, and save it again as .xlsx"))

    def _last_words(self) -> str:
        """The line of the child's stderr that says why it stopped (a Rust panic or allocation failure)."""
        self._stderr.seek(0)
        lines = [line.strip() for line in self._stderr.read(64 * 1024).decode(errors="replace").splitlines() if line.strip()]
        for line in lines:
            if "memory allocation" in line or "panicked" in line or "Error" in line:
                return line[:200]
        return lines[-1][:200] if lines else ""

    def close(self) -> None:
        proc, self._proc, self._streaming = self._proc, None, False
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if self._stderr is not None:
            self._stderr.close()


def detect_encoding(path: Path) -> str:
    """The codec a CSV or text file is read with; see ``csv_file.detect_encoding``."""
    return csv_file.detect_encoding(path, display_name(path))
