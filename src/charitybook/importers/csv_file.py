"""A CSV or tab-separated text file -> rows, streamed; ``read.Book`` reads one as a single sheet.

The encoding comes from the byte-order mark, else strict UTF-8, else strict GB18030; UTF-16 (what
Excel's "Unicode text" writes) from its byte-order mark, or from the zero byte beside each ASCII
character when it has none. The whole file is checked before a row is read, so that a file cut
short in the middle of a character is refused at the line where it breaks rather than imported
without its end. The delimiter (comma, tab or semicolon) is sniffed from the first lines; a quote
that is never closed is reported at the line where it opens (``csv`` itself would put the rest of
the file into that one cell).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charitybook.errors import CharitybookError
from charitybook.i18n import N_, _

CHUNK = 1 << 20
SNIFF_CHARS = 64 * 1024
SNIFF_ROWS = 50
DELIMITERS = (",", "\t", ";")
_INCOMPLETE = ("unexpected end of data", "incomplete multibyte sequence", "truncated data")  # utf-8, gb18030, utf-16
_END = "\x00charitybook: end of file\x00"  # a last line no file has: a quote left open swallows it
_ENDS = (_END, _END + "\n")
_SAVE_AS_UTF8 = N_("save the file again as UTF-8 CSV")
_CLOSE_QUOTE = N_("close the quote (\") in that cell, or save the file again from Excel or WPS")


class CsvError(CharitybookError):
    pass


@dataclass(frozen=True)
class _Break:
    """Where a file stops being text in an encoding: byte offset, line, byte in the line (from 1),
    the byte, and whether it is the file's end, in the middle of a character."""

    offset: int
    line: int
    column: int
    byte: int
    cut_short: bool


def detect_encoding(path: Path, file: str) -> str:
    """The codec to read the file with (``file`` is its name as shown); refuses, naming the line,
    a file that is not text in it or that ends in the middle of a character."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(codecs.BOM_UTF8):
        _check_marked(path, file, "utf-8", len(codecs.BOM_UTF8), "UTF-8")
        return "utf-8-sig"
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            _check_marked(path, file, codec, len(bom), "UTF-16")
            return "utf-16"
    if codec := _utf16_without_bom(head):
        _check_marked(path, file, codec, 0, "UTF-16")
        return codec
    utf8 = _first_break(path, "utf-8")
    if utf8 is None:
        return "utf-8"
    if utf8.cut_short:  # UTF-8 to its last character, which is cut: not a GB18030 file
        raise _cut_short(file, utf8)
    gb = _first_break(path, "gb18030")
    if gb is None:
        return "gb18030"
    if gb.cut_short:
        raise _cut_short(file, gb)
    far = max(utf8, gb, key=lambda found: found.offset)  # the encoding that read further is the file's
    raise CsvError(_("{file}: line {line}, byte {column}: 0x{byte:02X} is neither UTF-8 nor GB18030 text").format(
        file=file, line=far.line, column=far.column, byte=far.byte), hint=_(_SAVE_AS_UTF8))


def _check_marked(path: Path, file: str, codec: str, skip: int, name: str) -> None:
    found = _first_break(path, codec, skip)
    if found is None:
        return
    if found.cut_short:
        raise _cut_short(file, found)
    raise CsvError(_("{file}: line {line}, byte {column}: 0x{byte:02X} is not {encoding} text, though the file "
                     "says it is").format(file=file, line=found.line, column=found.column, byte=found.byte,
                                          encoding=name), hint=_(_SAVE_AS_UTF8))


def _cut_short(file: str, found: _Break) -> CsvError:
    return CsvError(_("{file}: line {line}: the file ends in the middle of a character: it was cut short").format(
        file=file, line=found.line), hint=_("ask for the file again"))


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 without a byte-order mark, told by the zero byte beside every ASCII character
    (digits, tabs, line ends): on odd bytes little-endian, on even bytes big-endian. A CJK
    character has a zero byte only now and then (一 is U+4E00)."""
    if len(head) < 16 or b"\0" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= len(head) // 8 and odd > 4 * even:
        return "utf-16-le"
    if even >= len(head) // 8 and even > 4 * odd:
        return "utf-16-be"
    return None


def _first_break(path: Path, codec: str, skip: int = 0) -> _Break | None:
    """The first byte from ``skip`` on that is not text in ``codec``, or None. Read a megabyte at a
    time: a character that a chunk's end cuts is put before the next chunk, so every offset,
    line and column is the file's own. Lines are counted in bytes (no byte of a multi-byte
    UTF-8 or GB18030 character is a line feed), in decoded text for UTF-16."""
    wide = codec.startswith("utf-16")
    offset, line, line_start, carry = skip, 1, skip, b""
    with open(path, "rb") as handle:
        handle.seek(skip)
        while True:
            chunk = handle.read(CHUNK)
            data, carry, error = carry + chunk, b"", None
            try:
                data.decode(codec)
                good = len(data)
            except UnicodeDecodeError as failure:
                good = failure.start
                if chunk and failure.reason in _INCOMPLETE and failure.end == len(data):
                    carry = data[good:]  # cut by the chunk, not by the file: decoded with the next one
                else:
                    error = failure
            part = data[:good]
            if wide:
                text = part.decode(codec)
                last = text.rfind("\n")
                line += text.count("\n")
                after = len(text[:last + 1].encode(codec)) if last >= 0 else -1
            else:
                last = part.rfind(b"\n")
                line += part.count(b"\n")
                after = last + 1 if last >= 0 else -1
            if after >= 0:
                line_start = offset + after
            if error is not None:
                at = offset + good
                return _Break(at, line, at - line_start + 1, data[good], error.reason in _INCOMPLETE and not chunk)
            offset += good
            if not chunk:
                return None


def sniff_delimiter(sample: str, prefer: str = ",") -> str:
    """Comma, tab or semicolon: the one that splits the most of the first rows into the same number
    of cells, two or more (a tie goes to ``prefer``, then to more cells), when those rows are at
    least half of them: a file of one column stays one column, whatever a few of its cells hold.
    A sample cut at SNIFF_CHARS loses its last, perhaps partial, line."""
    if len(sample) >= SNIFF_CHARS and "\n" in sample:
        sample = sample[:sample.rindex("\n") + 1]
    best, best_score = prefer, (0, 0)
    for delimiter in sorted(DELIMITERS, key=lambda d: d != prefer):
        rows = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            widths = Counter(len(cells) for cells in itertools.islice(rows, SNIFF_ROWS) if any(c.strip() for c in cells))
        except csv.Error:
            continue
        score = max(((count, width) for width, count in widths.items() if width > 1), default=(0, 0))
        total = sum(widths.values())
        if score[0] * 2 >= total and score[0] >= min(2, total) and score > best_score:
            best, best_score = delimiter, score
    return best


def csv_rows(path: Path, file: str) -> Iterator[tuple[int, list]]:
    """(row number as Excel shows the file, cells) of a CSV or tab-separated text file: a row whose
    quoted cell holds a line break is one row, as in Excel."""
    encoding = detect_encoding(path, file)
    with open(path, encoding=encoding, newline="") as handle:
        delimiter = sniff_delimiter(handle.read(SNIFF_CHARS), "\t" if encoding.startswith("utf-16") else ",")
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(itertools.chain(handle, (_END + "\n",)), delimiter=delimiter)
        number, row = 0, 0  # the line the last row ended on; the rows so far
        try:
            for cells in reader:
                if cells and cells[-1].endswith(_ENDS):  # one test a row: the end, or a cell that swallowed it
                    if cells == [_END]:
                        return
                    raise CsvError(_("{file}: a quote opened on line {line} is never closed").format(
                        file=file, line=_quote_line(cells[-1], reader.line_num)), hint=_(_CLOSE_QUOTE))
                number, row = reader.line_num, row + 1
                yield row, cells
        except csv.Error as error:
            if "field larger than field limit" not in str(error):
                raise CsvError(_("{file}: line {line}: cannot be read as CSV ({error})").format(
                    file=file, line=reader.line_num, error=error), hint=_(_SAVE_AS_UTF8)) from None
            raise CsvError(_("{file}: a quoted cell in the row that begins on line {line} runs on past {n:,} "
                             "characters: its quote is never closed").format(file=file, line=number + 1, n=csv.field_size_limit()),
                           hint=_(_CLOSE_QUOTE)) from None


def _quote_line(cell: str, lines: int) -> int:
    """The line where the quote of a cell that ran on to the end of the file opened: ``lines``
    read (``_END``'s among them) less the line breaks the cell swallowed, the last line's own
    break counted only when the file ends with one."""
    ended = cell[:-len(_END) - 1].endswith(("\n", "\r"))
    return lines - _line_breaks(cell) + (1 if ended else 0)


def _line_breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")
