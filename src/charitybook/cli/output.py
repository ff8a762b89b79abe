"""The one output module: tables, records, JSON/CSV, success/warning/error lines.

Data goes to stdout, diagnostics to stderr. Consoles are created per call (a console bound at
import time escapes the test runner's capture). User text is always passed as ``Text`` so rich
never reads a donor named ``[b]ank`` as markup.

Every character that leaves the program leaves through here: through a ``_Sink`` over stdout or
stderr, or through ``write_file``. A terminal gets its own encoding, and a character it cannot
show becomes ``?``; a file or a pipe gets UTF-8, whatever the locale (CSV with a byte-order mark
so that Excel reads it as UTF-8, not GBK). Nothing here raises UnicodeEncodeError. CSV text cells
that a spreadsheet would run as a formula are defused with a leading ``'``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import sys
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

from rich.cells import cell_len, chop_cells
from rich.console import Console
from rich.table import Table
from rich.text import Text

from charitybook.dates import local_time
from charitybook.i18n import _
from charitybook.money import plain, yuan
from charitybook.vocabulary import Vocabulary

BOM = "\ufeff"


class _Sink:
    """stdout or stderr as a text stream that cannot fail to encode.

    A terminal keeps its own encoding; what it cannot show (䶮 on a GBK console) is replaced by
    ``?``. A file or pipe gets UTF-8: the stream's bytes are written directly when its encoding
    is another one (PYTHONIOENCODING=gbk, a Chinese Windows code page). Lone surrogates become
    ``?`` everywhere. ``exact``: line ends as given (CSV's ``\\r\\n``), not translated for the
    platform. A reader that goes away (``| head``) ends the program quietly."""

    def __init__(self, stream, exact: bool = False):
        self.stream = stream
        self.terminal = _isatty(stream)
        own = _codec(getattr(stream, "encoding", None))
        wanted = (own or "utf-8") if self.terminal else "utf-8"
        buffer = getattr(stream, "buffer", None)
        bytes_needed = own is not None and (wanted != own or exact)
        self._buffer = buffer if bytes_needed and buffer is not None else None
        self._newline = "\n" if exact else os.linesep
        self.encoding = wanted if self._buffer is not None else (own or "utf-8")

    def write(self, text: str) -> int:
        if self.stream is None:  # pythonw: no console at all
            return len(text)
        try:
            if self._buffer is not None:
                self.stream.flush()
                self._buffer.write(text.replace("\n", self._newline).encode(self.encoding, "replace"))
            else:
                self.stream.write(self.fit(text))
        except BrokenPipeError:
            self._gone()
        return len(text)

    def flush(self) -> None:
        if self.stream is None:
            return
        try:
            self.stream.flush()
            if self._buffer is not None:
                self._buffer.flush()
        except BrokenPipeError:
            self._gone()

    def isatty(self) -> bool:
        return self.terminal

    def fileno(self) -> int:
        return self.stream.fileno()

    def fit(self, text: str) -> str:
        """``text`` as this stream will show it (so a table is laid out for the ``?``)."""
        return text.encode(self.encoding, "replace").decode(self.encoding)

    def _gone(self):
        try:  # point the descriptor at devnull so the interpreter's last flush cannot fail again
            os.dup2(os.open(os.devnull, os.O_WRONLY), self.stream.fileno())
        except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
            pass
        raise SystemExit(1)


def _isatty(stream) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


def _codec(name: str | None) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def out() -> Console:
    """stdout. On a terminal, long lines wrap between words at its width (not wherever the terminal
    cuts them); piped to a file or a test, lines stay whole and tables are laid out for 200 columns
    (or for ``COLUMNS`` when it is set)."""
    sink = _Sink(sys.stdout)
    console = Console(file=sink, highlight=False, soft_wrap=not sink.terminal)
    if not console.is_terminal and not os.environ.get("COLUMNS", "").strip().isdigit():
        console.width = 200
    return console


def err() -> Console:
    sink = _Sink(sys.stderr)
    return Console(file=sink, stderr=True, highlight=False, soft_wrap=not sink.terminal)


def data(text: str, bom: bool = False, exact: bool = False) -> None:
    """Machine-readable text (CSV, JSON, a Markdown report) to stdout. Redirected, it is UTF-8,
    and CSV starts with a byte-order mark so Excel does not take it for GBK. ``exact`` keeps the
    line ends as they are (CSV's own ``\\r\\n``)."""
    sink = _Sink(sys.stdout, exact)
    if bom and not sink.terminal and sink.encoding == "utf-8":
        text = BOM + text
    sink.write(text)
    sink.flush()


def write_file(path: Path, text: str, bom: bool = False) -> None:
    """A text file we write: always UTF-8 (with a BOM when ``bom``), whatever the locale."""
    Path(path).write_text((BOM if bom else "") + text, encoding="utf-8", errors="replace")


def error(message: str, hint: str | None = None) -> None:
    err().print(Text(_("Error: ") + message, style="bold red"))
    if hint:
        err().print(Text("  " + _("hint: ") + hint, style="yellow"))


def warn(message: str) -> None:
    err().print(Text(_("Warning: ") + message, style="yellow"))


def note(message: str) -> None:
    """A line about the data shown (how much more there is), on stderr so that data stays clean."""
    err().print(Text(message, style="dim"))


def success(message: str) -> None:
    out().print(Text(message, style="green"))


def line(message: str, style: str | None = None) -> None:
    out().print(Text(message, style=style or ""))


CSV_FORMULA_START = frozenset("=+-@\t\r\0")


def csv_text(value: str) -> str:
    """A CSV text cell that Excel, WPS or LibreOffice would read as a formula (it starts with
    ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or NUL, half- or full-width) gets a
    leading ``'``, as OWASP advises. Amounts and counts are never passed here."""
    if not value:
        return value
    first = value[0]
    starts = _FORMULA_FIRST.get(first)
    if starts is None:
        starts = _FORMULA_FIRST[first] = unicodedata.normalize("NFKC", first)[:1] in CSV_FORMULA_START
    return "'" + value if starts else value


_FORMULA_FIRST: dict[str, bool] = {}   # a first character, and whether it starts a formula (NFKC once per character)


@dataclass(frozen=True)
class Column:
    key: str            # name in JSON and CSV
    header: str         # header in a table
    source: str = ""    # key in the row dict, default ``key``
    kind: str = "text"  # text | money (fen) | int | bool | decimal
    terms: Vocabulary | None = None  # a code: JSON and CSV keep it, a table shows its label in the run's language

    @property
    def field(self) -> str:
        return self.source or self.key


def _machine(value, kind: str):
    if value is None:
        return None
    if kind == "money":
        return plain(value)
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "decimal":
        return format(Decimal(value).normalize(), "f")
    return str(value)


def _human(value, kind: str, terms: Vocabulary | None = None) -> str:
    if value is None:
        return ""
    if terms is not None:
        return terms.label(str(value))
    if kind == "money":
        return yuan(value)
    if kind == "bool":
        return _("yes") if value else ""
    if kind == "decimal":
        return format(Decimal(value).normalize(), "f")
    if kind == "time":
        return local_time(value)
    return str(value)


def as_objects(rows: list[dict], columns: list[Column]) -> list[dict]:
    return [{c.key: _machine(row.get(c.field), c.kind) for c in columns} for row in rows]


def render(rows: list[dict], columns: list[Column], fmt: str, title: str | None = None) -> None:
    """Print rows as a rich table, a JSON array of objects, or CSV."""
    if fmt == "json":
        emit_json(as_objects(rows, columns))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; a CR inside a cell is then quoted
        writer.writerow([c.key for c in columns])
        for obj in as_objects(rows, columns):
            writer.writerow([_csv_cell(obj[c.key], c.kind) for c in columns])
        data(buffer.getvalue(), bom=True, exact=True)
    else:
        _print_table(columns, [[_human(row.get(c.field), c.kind, c.terms) for c in columns] for row in rows], title)


def _converters(names: list[str], columns: list[Column]):
    """For rows as tuples in ``names`` order: each column's index and how a person reads its value."""
    return [(names.index(c.field), c.kind, partial(_human, terms=c.terms) if c.terms else _human) for c in columns]


def table(names: list[str], rows, columns: list[Column], title: str | None = None) -> None:
    """Rows (tuples in ``names`` order) as a table for the terminal; only text wraps."""
    picks = _converters(names, columns)
    _print_table(columns, [[convert(row[index], kind) for index, kind, convert in picks] for row in rows], title)


NUMERIC = ("money", "int", "decimal")
UNBROKEN = ("date", "time")  # never wrapped, like numbers
LONGEST_WORD = 30            # a word (a number, a date, an English word) is never broken unless longer than this
NARROWEST_TEXT = 8           # cells a text column keeps however narrow the terminal (4 Chinese characters)


def _pieces(text: str) -> list[str]:
    """Text cut where a line may break: at a space and beside a wide (Chinese) character. A run of
    narrow characters — a number, a date, an ID, an English word — stays whole, and so does a
    closing mark with what it closes (``元）``, ``城关街道，``) and an opening one with what follows."""
    pieces: list[str] = []
    run = ""
    for char in text:
        if char.isspace():
            if run:
                pieces.append(run)
                run = ""
            pieces.append(char)
        elif char in _CLOSING:
            if run:
                run += char
            elif pieces and not pieces[-1].isspace():
                pieces[-1] += char
            else:
                pieces.append(char)
        elif cell_len(char) > 1:
            if run and not run.endswith(_OPENING):
                pieces.append(run)
                run = ""
            if run:
                run += char
                pieces.append(run)
                run = ""
            elif char in _OPENING:
                run = char
            else:
                pieces.append(char)
        else:
            if run and cell_len(run[-1]) > 1 and not run.endswith(_OPENING):
                pieces.append(run)
                run = ""
            run += char
    if run:
        pieces.append(run)
    return pieces


_CLOSING = frozenset("）」』】》〉，。、：；！？")   # never at the start of a line
_OPENING = tuple("（「『【《〈")                   # never at the end of one


def _longest_piece(text: str) -> int:
    return max((cell_len(piece) for piece in _pieces(text) if not piece.isspace()), default=0)


def _wrap(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` cells, broken only where ``_pieces`` allows; a piece
    longer than the whole width (only text this long) is folded."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in _pieces(paragraph):
            if piece.isspace():
                line += " " if line and not line.endswith(" ") else ""
                continue
            if line.strip() and cell_len(line) + cell_len(piece) > width:
                lines.append(line.rstrip())
                line = ""
            while cell_len(piece) > width:
                head = chop_cells(piece, width)[0]
                lines.append(head)
                piece = piece[len(head):]
            line += piece
        lines.append(line.rstrip())
    return "\n".join(lines)


def _layout(columns: list[Column], cells: list[list[str]], width: int) -> list[list[tuple[int, int]]]:
    """Which columns go in which table, and how wide each is, so that every table fits ``width``
    with no number or date broken: numbers, dates and words keep their width and only text wraps
    (Chinese text between characters, down to ``NARROWEST_TEXT`` cells). When the columns cannot all
    fit side by side, the table is cut into several, each beginning with the first column (the
    fund, the entry number) so that a row can be followed across."""
    least, most = [], []
    for index, column in enumerate(columns):
        values = [row[index] for row in cells]
        widest = max([cell_len(column.header), *(cell_len(value) for value in values)])
        if column.kind in NUMERIC or column.kind in UNBROKEN:
            needed = max((cell_len(value) for value in values), default=0)
        else:
            needed = max(min(LONGEST_WORD, max((_longest_piece(value) for value in values), default=0)),
                         min(NARROWEST_TEXT, widest))
        least.append(max(1, needed, _longest_piece(column.header)))
        most.append(max(least[-1], widest))

    def fits(part: list[int]) -> bool:  # a column takes its width, a space either side and a rule
        return sum(least[i] for i in part) + 3 * len(part) + 1 <= width

    parts: list[list[int]] = []
    part: list[int] = []
    for index in range(len(columns)):
        if part and not fits([*part, index]):
            parts.append(part)
            part = [0]
        part.append(index)
    parts.append(part)
    return [_share(part, least, most, width - 3 * len(part) - 1) for part in parts]


def _share(part: list[int], least: list[int], most: list[int], room: int) -> list[tuple[int, int]]:
    """Each column's width: its least, then the room left given a cell at a time to the narrowest
    columns that would use it."""
    widths = {i: least[i] for i in part}
    spare = room - sum(widths.values())
    while spare > 0:
        growing = [i for i in part if widths[i] < most[i]]
        if not growing:
            break
        narrowest = min(widths[i] for i in growing)
        for i in growing:
            if widths[i] == narrowest and spare > 0:
                widths[i] += 1
                spare -= 1
    return [(i, widths[i]) for i in part]


def _print_table(columns: list[Column], cells: list[list[str]], title: str | None) -> None:
    """The one way a table reaches the terminal (see ``_layout``)."""
    console = out()
    fit = console.file.fit
    cells = [[fit(value) for value in row] for row in cells]
    columns = [Column(c.key, fit(_(c.header)), c.source, c.kind) for c in columns]
    for number, part in enumerate(_layout(columns, cells, console.width)):
        heading = title if not number else _("{title} (continued)").format(title=title) if title else None
        grid = Table(title=Text(fit(heading)) if heading else None, show_lines=False, header_style="bold")
        for index, width in part:
            column = columns[index]
            grid.add_column(Text(_wrap(column.header, width)), width=width, overflow="fold",
                            justify="right" if column.kind in NUMERIC else "left")
        for row in cells:
            grid.add_row(*[Text(_wrap(row[index], width)) for index, width in part])
        console.print(grid)
    if not cells:
        err().print(Text(_("(nothing to show)"), style="dim"))


def stream(names: list[str], rows, columns: list[Column], fmt: str) -> int:
    """Every row (tuples in ``names`` order) as CSV, a JSON array or JSON Lines, written as it is
    read, a few thousand rows at a time: memory stays flat however many rows there are."""
    picks = [(names.index(c.field), _STREAM_CONVERT.get(c.kind) or (lambda value, kind=c.kind: _machine(value, kind)))
             for c in columns]
    keys = [c.key for c in columns]
    sink = _Sink(sys.stdout, exact=True)
    buffer = io.StringIO()
    count = 0
    if fmt == "csv":
        writer = csv.writer(buffer, lineterminator="\r\n")
        if not sink.terminal and sink.encoding == "utf-8":
            buffer.write(BOM)
        writer.writerow(keys)
        picks = [(index, _csv_str if c.kind == "text" else convert) for (index, convert), c in zip(picks, columns)]
    encode = _JSON_ENCODER.encode
    for row in rows:
        values = [None if row[index] is None else convert(row[index]) for index, convert in picks]
        if fmt == "csv":
            writer.writerow(values)
        elif fmt == "jsonl":
            buffer.write(encode(dict(zip(keys, values))))
            buffer.write("\n")
        else:
            buffer.write(("[\n  " if not count else ",\n  ") + encode(dict(zip(keys, values))))
        count += 1
        if count % 2000 == 0:
            sink.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    if fmt == "json":
        buffer.write("\n]\n" if count else "[]\n")
    sink.write(buffer.getvalue())
    sink.flush()
    return count


def _csv_str(value) -> str:
    """``csv_text`` of any value, inlined: it runs for every text cell of a million-row export."""
    if value.__class__ is not str:
        value = str(value)
    if not value:
        return value
    starts = _FORMULA_FIRST.get(value[0])
    if starts is None:
        return csv_text(value)
    return "'" + value if starts else value


def _text(value) -> str:
    return value if value.__class__ is str else str(value)


# what `stream` writes for a value of each kind (the values come from SQLite: text is already str)
_STREAM_CONVERT = {"money": plain, "int": int, "bool": bool, "text": _text, "date": _text}
_JSON_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _csv_cell(value, kind: str):
    if value is None:
        return ""
    return csv_text(value) if kind == "text" else value


def emit_json(value) -> None:
    data(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def record(pairs: list[tuple[str, object]]) -> None:
    """A two-column key/value block for `show` and for what a write recorded (labels and values as
    people read them: see ``cli/details.py``)."""
    console = out()
    fit = console.file.fit
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in pairs:
        if value is None or value == "":
            continue
        table.add_row(Text(fit(key)), Text(fit(str(value))))
    console.print(table)


class steps:
    """A spinner on stderr for work done in a few long steps (an upgrade, a check): ``tick(done,
    steps, label)``; it shows the step and the time taken so far, and leaves nothing behind. Started
    only when first told, and only on a terminal."""

    def __init__(self, label: str):
        self.label, self._progress, self._task = label, None, None

    def __enter__(self):
        return self.tick

    def tick(self, done: int, total: int, label: str | None = None) -> None:
        if self._progress is None:
            console = err()
            if not console.is_terminal:
                return
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                      console=console, transient=True, redirect_stdout=_isatty(sys.stdout))
            self._progress.__enter__()
            self._task = self._progress.add_task(self.label)
        description = _("{label}: step {step} of {steps}").format(label=label or self.label, step=done + 1, steps=total)
        self._progress.update(self._task, description=description)

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.__exit__(*exc)
        return False


class progress:
    """A progress bar on stderr for long work, only when stderr is a terminal; it leaves nothing
    behind: say nothing inside it (what is said while it runs goes above it, through rich, but only
    a finished bar is sure to be gone), and stdout redirected to a file is never drawn into it. Yields a callback taking the rows done so far, the total when known (a bar), else None
    (a count), and the stage when it changes (its label: ``stages``)."""

    def __init__(self, label: str, stages: dict[str, str] | None = None):
        self.label, self.stages = label, stages or {}
        self._progress = None

    def __enter__(self):
        console = err()
        if not console.is_terminal:
            return lambda _rows, _total=None, _stage=None: None
        from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn

        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                                  TextColumn(_("{n} rows").replace("{n}", "{task.completed:,}")), console=console,
                                  transient=True, redirect_stdout=_isatty(sys.stdout))
        self._progress.__enter__()
        task = self._progress.add_task(self.label, total=None)

        def tick(rows: int, total: int | None = None, stage: str | None = None) -> None:
            label = self.stages.get(stage, self.label)
            self._progress.update(task, completed=rows, total=total, description=label)
        return tick

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.__exit__(*exc)
        return False
