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

from rich.console import Console
from rich.table import Table
from rich.text import Text

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
    console = Console(file=_Sink(sys.stdout), highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console.width = 200  # piped to a file or a test: don't fold tables at 80 columns
    return console


def err() -> Console:
    return Console(file=_Sink(sys.stderr), stderr=True, highlight=False, soft_wrap=True)


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
    if value and unicodedata.normalize("NFKC", value[0])[:1] in CSV_FORMULA_START:
        return "'" + value
    return value


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
        console = out()
        fit = console.file.fit
        table = Table(title=Text(fit(title)) if title else None, show_lines=False, header_style="bold")
        for c in columns:
            table.add_column(Text(fit(c.header)), justify="right" if c.kind in ("money", "int", "decimal") else "left",
                             overflow="fold")
        for row in rows:
            table.add_row(*[Text(fit(_human(row.get(c.field), c.kind, c.terms))) for c in columns])
        console.print(table)
        if not rows:
            err().print(Text(_("(nothing to show)"), style="dim"))


def _converters(names: list[str], columns: list[Column], human: bool):
    """For rows as tuples in ``names`` order: each column's index and how its value is written."""
    if not human:
        return [(names.index(c.field), c.kind, _machine) for c in columns]
    return [(names.index(c.field), c.kind, partial(_human, terms=c.terms) if c.terms else _human) for c in columns]


def table(names: list[str], rows, columns: list[Column], title: str | None = None) -> None:
    """Rows (tuples in ``names`` order) as a table for the terminal; only text wraps."""
    console = out()
    fit = console.file.fit
    grid = Table(title=Text(fit(title)) if title else None, show_lines=False, header_style="bold")
    for c in columns:
        numeric = c.kind in ("money", "int", "decimal")
        grid.add_column(Text(fit(c.header)), justify="right" if numeric else "left",
                        overflow="fold", no_wrap=numeric or c.kind == "date")
    picks = _converters(names, columns, human=True)
    shown = 0
    for row in rows:
        grid.add_row(*[Text(fit(convert(row[index], kind))) for index, kind, convert in picks])
        shown += 1
    console.print(grid)
    if not shown:
        err().print(Text(_("(nothing to show)"), style="dim"))


def stream(names: list[str], rows, columns: list[Column], fmt: str) -> int:
    """Every row (tuples in ``names`` order) as CSV, a JSON array or JSON Lines, written as it is
    read, a few thousand rows at a time: memory stays flat however many rows there are."""
    picks = _converters(names, columns, human=False)
    keys = [c.key for c in columns]
    sink = _Sink(sys.stdout, exact=True)
    buffer = io.StringIO()
    count = 0
    if fmt == "csv":
        writer = csv.writer(buffer, lineterminator="\r\n")
        if not sink.terminal and sink.encoding == "utf-8":
            buffer.write(BOM)
        writer.writerow(keys)
        text_columns = [i for i, (_index, kind, _c) in enumerate(picks) if kind == "text"]
    elif fmt == "json":
        buffer.write("[")
    for row in rows:
        values = [None if row[index] is None else convert(row[index], kind) for index, kind, convert in picks]
        if fmt == "csv":
            for i in text_columns:
                if values[i] is not None:
                    values[i] = csv_text(values[i])
            writer.writerow(values)
        else:
            line = json.dumps(dict(zip(keys, values)), ensure_ascii=False)
            buffer.write(line + "\n" if fmt == "jsonl" else ("\n  " if not count else ",\n  ") + line)
        count += 1
        if count % 2000 == 0:
            sink.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    if fmt == "json":
        buffer.write("\n]\n" if count else "]\n")
    sink.write(buffer.getvalue())
    sink.flush()
    return count


def _csv_cell(value, kind: str):
    if value is None:
        return ""
    return csv_text(value) if kind == "text" else value


def emit_json(value) -> None:
    data(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def record(pairs: list[tuple[str, object]], terms: dict[str, Vocabulary] | None = None) -> None:
    """A two-column key/value block for `show` and for what a write recorded; a value under a
    key of ``terms`` is a code of that vocabulary, shown by its label in the run's language."""
    console = out()
    fit = console.file.fit
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in pairs:
        if value is None or value == "":
            continue
        shown = terms[key].label(str(value)) if terms and key in terms else str(value)
        table.add_row(Text(fit(key)), Text(fit(shown)))
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
                                      console=console, transient=True)
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
    behind. Yields a callback taking the rows done so far, the total when known (a bar), else None
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
                                  TextColumn("{task.completed:,} rows"), console=console, transient=True)
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
