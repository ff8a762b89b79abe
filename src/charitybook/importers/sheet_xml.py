"""What a sheet's XML says and calamine does not, read by streaming the XML a chunk at a time in
the reader's child process (``reader_process``) with byte patterns, never a parser that builds a
tree: which rows are hidden, which formula cells have no saved value, and whether a sheet holds a
value at all (read up to its first one).

Tags are read as calamine (python-calamine 0.9.1) reads them: by their local name under the root
element's namespace prefix (``<x:row>``), a row or cell without ``r`` following the one before it,
a self-closing ``<row/>`` or ``<c/>`` counted as an empty row or cell (the tests compare the two).
A chunk is cut before its last row (or before a cell left open at its end) and the rest put
before the next chunk, so no tag or cell is split.
"""

from __future__ import annotations

import itertools
import re
from typing import BinaryIO

_ROOT = re.compile(rb"<(\w+:)?worksheet\b")
_ROW_R = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_ROW_HIDDEN = re.compile(rb"""\bhidden\s*=\s*["'](?:1|true)["']""")
_CELL_REF = re.compile(rb"""\br\s*=\s*["']\$?([A-Za-z]{1,3})\$?(\d+)["']""")
_CELL_TYPE = re.compile(rb"""\bt\s*=\s*["'](\w+)["']""")
_AFTER_NAME = (b" ", b">", b"/", b"\t", b"\r", b"\n")  # what may follow an element's name in a tag
MAX_TAG = 64 * 1024
MAX_ROW = 256 * 1024    # a chunk is cut before its last row when that row's XML is shorter than this
MAX_CELL = 256 * 1024   # the most XML one cell takes: 32,767 characters of text and an 8,192-character formula
MAX_UNSAVED = 10_000    # formula cells kept per kind ("none", "zero"); all of them are counted
CHUNK = 1 << 20


def scan(handle: BinaryIO, chunk_size: int = CHUNK) -> SheetScan:
    """One pass over a sheet's XML for its hidden rows and its formula cells without a saved value."""
    found, tail = SheetScan(), b""
    while chunk := handle.read(chunk_size):
        tail = found.feed(tail + chunk)
    found.feed(tail, final=True)
    return found


class SheetScan:
    """Hidden rows and formulas without a saved value, a chunk at a time. A chunk without the word
    "hidden" and without a formula is passed over at memory speed: only its last row's number is
    needed.

    A formula cell (``<c><f>SUM(C2:C4)</f></c>``, or a shared formula's ``<f t="shared" si="0"/>``)
    has a saved value in the ``<v>`` after its formula. Found here: no ``<v>``, or an empty one
    (what openpyxl and other writers that do not calculate leave), both "none"; and ``<v>0</v>``
    on a number cell, "zero" (what some tools save for every formula, and also a real 0: the
    importer decides). An empty ``<v>`` on a ``t="str"`` cell is a saved empty text, not missing.
    At most MAX_UNSAVED cells of each kind are kept, in sheet order; ``counts`` has them all."""

    def __init__(self):
        self.hidden: set[int] = set()
        self.unsaved: dict[tuple[int, int], str] = {}
        self.counts = {"none": 0, "zero": 0, "error": 0}
        self.next_row = 1
        self.row_tag: re.Pattern | None = None
        self.row_start = b"<row"

    def hidden_rows(self) -> frozenset[int]:
        return frozenset(self.hidden)

    def _learn(self, prefix: bytes) -> None:
        """Tags spelled with the root element's namespace prefix (``<x:row>``), as calamine reads them."""
        p = re.escape(prefix)
        self.row_start, self.cell_start, self.cell_close = b"<" + prefix + b"row", b"<" + prefix + b"c", b"</" + prefix + b"c>"
        self.row_tag = re.compile(re.escape(self.row_start) + rb"\b([^>]*)>")  # a literal start: fast
        self.formula_start = b"<" + prefix + b"f"  # in every formula cell; nowhere else in sheet data
        f, v = p + rb"f", p + rb"v"
        saved = (rb"\s*+(?:(?P<empty><" + v + rb"\b[^>]*/>|<" + v + rb"\b[^>]*>\s*</" + v + rb">)"
                 rb"|<" + v + rb"\b[^>]*>\s*(?P<zero>-?(?:0+(?:\.0*)?|\.0+)(?:[eE][-+]?\d+)?)\s*</" + v + rb">"
                 rb"|(?P<absent>(?!<" + v + rb"\b)))")
        # a formula's end, then what is saved after it: two patterns, each found by its literal start
        self.unsaved_tags = (re.compile(rb"</" + f + rb">" + saved), re.compile(rb"<" + f + rb"\b[^>]*/>" + saved))
        self.position_tag = re.compile(rb"<(/?)" + p + rb"(row|c)\b([^>]*)>")
        self.error_cell = re.compile(re.escape(self.cell_start) + rb"\b([^>]*\bt\s*=\s*[\"']e[\"'][^>]*)>")

    def feed(self, data: bytes, final: bool = False) -> bytes:
        """Scan what can be scanned; return the tail to put before the next chunk."""
        if self.row_tag is None:
            root = _ROOT.search(data)
            if root is None:
                return data[-MAX_TAG:]  # no row comes before the root element
            self._learn(root.group(1) or b"")
        cut = len(data) if final else self._cut(data)
        data, tail = data[:cut], data[cut:]
        first_row = self.next_row
        if b"hidden" in data or not self._skip(data):
            self._scan(data)
        if self.formula_start in data:
            self._formulas(data, first_row)
        if b'"e"' in data or b"'e'" in data:
            self._errors(data, first_row)
        return tail

    def _errors(self, data: bytes, first_row: int) -> None:
        """Error cells (``t="e"``: #DIV/0!, #REF!, #N/A …): calamine reads them as blank."""
        positions = None
        for match in self.error_cell.finditer(data):
            self.counts["error"] += 1
            if self.counts["error"] > MAX_UNSAVED:
                continue
            ref = _CELL_REF.search(match.group(1))
            if ref:
                where = int(ref.group(2)), column_index(ref.group(1))
            else:
                positions = positions if positions is not None else self._positions(data, first_row)
                where = positions.get(match.start())
            if where:
                self.unsaved[where] = "error"

    def _cut(self, data: bytes) -> int:
        """Before the last row, so that every chunk begins with a row; a row begun at 0 waits for
        the next chunk, up to MAX_ROW. A longer row is cut before a cell left open at the end,
        else before the last tag."""
        row = _last_tag(data, self.row_start, len(data) - MAX_ROW)
        if row > 0 or (row == 0 and len(data) < MAX_ROW):
            return row
        cell = _last_tag(data, self.cell_start, len(data) - MAX_CELL)
        if cell >= 0 and data.find(self.cell_close, cell) < 0:
            return cell
        cut = data.rfind(b"<")
        return len(data) if cut < 0 or len(data) - cut > MAX_TAG else cut  # one too long to be a row's

    def _skip(self, data: bytes) -> bool:
        """Take the last row's number, if it has one: True when nothing else needs reading."""
        at = data.rfind(self.row_start)
        if at < 0:
            return True
        match = self.row_tag.match(data, at)
        number = _ROW_R.search(match.group(1)) if match else None
        if number is None:
            return False
        self.next_row = int(number.group(1)) + 1
        return True

    def _scan(self, data: bytes) -> None:
        for match in self.row_tag.finditer(data):
            attributes = match.group(1)
            number = _ROW_R.search(attributes)
            row = int(number.group(1)) if number else self.next_row
            self.next_row = row + 1
            if b"hidden" in attributes and not attributes.endswith(b"/") and _ROW_HIDDEN.search(attributes):
                self.hidden.add(row)  # a self-closing row holds no cells: nothing of it is hidden

    def _formulas(self, data: bytes, first_row: int) -> None:
        positions = None
        ends, shared = self.unsaved_tags
        matches = ends.finditer(data)
        if self.formula_start + b" " in data or self.formula_start + b"/" in data:  # <f t="shared" si="0"/>
            matches = sorted(itertools.chain(matches, shared.finditer(data)), key=lambda found: found.start())
        for match in matches:
            kind = "zero" if match["zero"] is not None else "none"
            start = _last_tag(data, self.cell_start, match.start() - MAX_CELL, match.start())
            if start < 0:
                continue  # a formula outside any cell, or in one too long to be a cell
            attributes = data[start + len(self.cell_start):data.find(b">", start)]
            typ = _CELL_TYPE.search(attributes)
            typ = typ.group(1) if typ else b"n"
            if typ == b"inlineStr" or (kind == "zero" and typ != b"n") or (match["empty"] is not None and typ == b"str"):
                continue  # text saved in <is>; a text or FALSE that reads 0; a formula's empty text
            self.counts[kind] += 1
            if self.counts[kind] > MAX_UNSAVED:
                continue
            ref = _CELL_REF.search(attributes)
            if ref:
                where = int(ref.group(2)), column_index(ref.group(1))
            else:
                positions = positions if positions is not None else self._positions(data, first_row)
                where = positions.get(start)
            if where:
                self.unsaved[where] = kind

    def _positions(self, data: bytes, row: int) -> dict[int, tuple[int, int]]:
        """Where calamine puts each cell of this chunk: at its ``r``, else in the column after the
        cell before it (self-closing cells count). A chunk starts with a row (see ``_cut``); in
        a row longer than MAX_ROW the cells before the chunk's first row tag are counted from A."""
        row, column, found = row - 1, 0, {}
        for match in self.position_tag.finditer(data):
            closing, name, attributes = match.groups()
            if closing:
                continue
            if name == b"row":
                number = _ROW_R.search(attributes)
                row, column = (int(number.group(1)) if number else row + 1), 0
                continue
            ref = _CELL_REF.search(attributes)
            if ref:
                row, column = int(ref.group(2)), column_index(ref.group(1))
            found[match.start()] = (row, column)
            column += 1
        return found


def _last_tag(data: bytes, start: bytes, low: int, high: int | None = None) -> int:
    """Where the last tag ``start`` opens (``<c``, not ``<col``) in data[low:high], else -1."""
    low, at = max(0, low), data.rfind(start, max(0, low), high)
    while at >= 0 and data[at + len(start):at + len(start) + 1] not in _AFTER_NAME:
        at = data.rfind(start, low, at)
    return at


def _begun_tag(data: bytes) -> int:
    """Where a tag begun at the end of data starts (to be read with the next chunk), else len(data)."""
    at = data.rfind(b"<")
    return at if at >= 0 and len(data) - at <= MAX_TAG and data.find(b">", at) < 0 else len(data)


def column_index(letters: bytes | str) -> int:
    """0-based index of an Excel column: A -> 0, Z -> 25, AA -> 26."""
    index = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


# -- whether a sheet holds a value ------------------------------------------------------------

VALUE_CHUNK = 64 * 1024
MAX_EMPTY_STRINGS = 100_000  # more empty shared strings than this: ask calamine instead
_ANY = rb"(?:\w+:)?"
_SST = re.compile(rb"<(\w+:)?sst\b")
_VALUE_CELL = re.compile(rb"<" + _ANY + rb"c(\s[^>]*)?(?<!/)>(.*?)</" + _ANY + rb"c>", re.S)
_INLINE = re.compile(rb"<" + _ANY + rb"is\b[^>]*(?<!/)>(.*?)</" + _ANY + rb"is>", re.S)
_TEXT = re.compile(rb"<" + _ANY + rb"t\b[^>]*(?<!/)>[^<]")
_PHONETIC = re.compile(rb"<" + _ANY + rb"rPh\b.*?</" + _ANY + rb"rPh>", re.S)
_VALUE = re.compile(rb"<" + _ANY + rb"v\b[^>]*(?<!/)>([^<]+)</" + _ANY + rb"v>")


def xlsx_has_values(handle: BinaryIO, empty_strings: frozenset[int]) -> bool:
    """Whether calamine would find a value in this sheet (``has_data``), from its XML read only up
    to the first value: a number, a date, a text, TRUE or FALSE, an error, or a shared string
    that is not one of ``empty_strings``. Empty inline strings, an empty ``<v/>`` and a formula
    without a saved value are no values, as in calamine."""
    scan, tail = None, b""
    while True:
        chunk = handle.read(VALUE_CHUNK)
        data = tail + chunk
        if scan is None:
            root = _ROOT.search(data)
            if root is None:
                if not chunk:
                    return False
                tail = data[-MAX_TAG:]
                continue
            scan = SheetScan()
            scan._learn(root.group(1) or b"")
        cut = len(data)
        if chunk:
            cell = _last_tag(data, scan.cell_start, len(data) - MAX_CELL)
            cut = cell if cell >= 0 and data.find(scan.cell_close, cell) < 0 else _begun_tag(data)
        data, tail = data[:cut], data[cut:]
        if b"v>" in data or b"is>" in data:  # a chunk of empty, styled cells is passed over
            for match in _VALUE_CELL.finditer(data):
                if _cell_has_value(match.group(1) or b"", match.group(2), empty_strings):
                    return True
        if not chunk:
            return False


def _cell_has_value(attributes: bytes, content: bytes, empty_strings: frozenset[int]) -> bool:
    typ = _CELL_TYPE.search(attributes)
    typ = typ.group(1) if typ else b"n"
    inline = _INLINE.search(content)
    if inline and _TEXT.search(_PHONETIC.sub(b"", inline.group(1))):
        return True
    if typ in (b"inlineStr", b"is"):
        return False  # calamine reads such a cell's <is> only
    value = _VALUE.search(content)
    if value is None:
        return False
    if typ != b"s":
        return True
    try:
        return int(value.group(1)) not in empty_strings
    except ValueError:
        return True  # calamine's to say what is wrong with it


def empty_shared_strings(handle: BinaryIO) -> frozenset[int] | None:
    """Indexes of the shared strings without text (``<si><t/></si>``, ``<si/>``), or None when
    there are more than MAX_EMPTY_STRINGS of them. Found with a search for the empty ones only,
    counting the ``<si>`` tags between them: a pass at memory speed over the whole part."""
    empty: set[int] = set()
    index, tail, pattern, start, starts = 0, b"", None, b"<si", ()
    while True:
        chunk = handle.read(CHUNK)
        data = tail + chunk
        if pattern is None:
            root = _SST.search(data)
            if root is None:
                if not chunk:
                    return frozenset()
                tail = data[-MAX_TAG:]
                continue
            p = root.group(1) or b""
            start = b"<" + p + b"si"
            starts = tuple(start + end for end in (b">", b" ", b"/"))
            q = re.escape(p)
            pattern = re.compile(rb"<" + q + rb"si\b[^>]*(?:/>|(?<!/)>\s*(?:<" + q + rb"t\b[^>]*/>|<" + q + rb"t\b[^>]*(?<!/)></"
                                 + q + rb"t>)?\s*</" + q + rb"si>)")
        cut = len(data)
        if chunk:
            cut = _last_tag(data, start, len(data) - MAX_CELL)  # before the last string, whole or not
            cut = _begun_tag(data) if cut < 0 else cut
            if cut == 0 and len(data) < MAX_CELL:
                tail = data  # one string begun: wait for its end
                continue
        data, tail = data[:cut], data[cut:]
        at = 0
        for match in pattern.finditer(data):
            index += sum(data.count(s, at, match.start()) for s in starts)
            empty.add(index)
            if len(empty) > MAX_EMPTY_STRINGS:
                return None
            index, at = index + 1, match.end()
        index += sum(data.count(s, at) for s in starts)
        if not chunk:
            return frozenset(empty)
