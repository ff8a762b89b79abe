"""The one output module: tables, records, JSON/CSV, success/warning/error lines.

Data goes to stdout, diagnostics to stderr. Consoles are created per call (a console bound at
import time escapes the test runner's capture). User text is always passed as ``Text`` so rich
never reads a donor named ``[b]ank`` as markup.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from decimal import Decimal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from charitybook.i18n import _
from charitybook.money import plain, yuan


def out() -> Console:
    console = Console(highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console.width = 200  # piped to a file or a test: don't fold tables at 80 columns
    return console


def err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def error(message: str, hint: str | None = None) -> None:
    err().print(Text(_("Error: ") + message, style="bold red"))
    if hint:
        err().print(Text("  " + _("hint: ") + hint, style="yellow"))


def warn(message: str) -> None:
    err().print(Text(_("Warning: ") + message, style="yellow"))


def success(message: str) -> None:
    out().print(Text(message, style="green"))


def line(message: str, style: str | None = None) -> None:
    out().print(Text(message, style=style or ""))


@dataclass(frozen=True)
class Column:
    key: str            # name in JSON and CSV
    header: str         # header in a table
    source: str = ""    # key in the row dict, default ``key``
    kind: str = "text"  # text | money (fen) | int | bool | decimal

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


def _human(value, kind: str) -> str:
    if value is None:
        return ""
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
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([c.key for c in columns])
        for obj in as_objects(rows, columns):
            writer.writerow(["" if v is None else v for v in obj.values()])
        sys.stdout.write(buffer.getvalue())
    else:
        table = Table(title=Text(title) if title else None, show_lines=False, header_style="bold")
        for c in columns:
            table.add_column(Text(c.header), justify="right" if c.kind in ("money", "int", "decimal") else "left",
                             overflow="fold")
        for row in rows:
            table.add_row(*[Text(_human(row.get(c.field), c.kind)) for c in columns])
        out().print(table)
        if not rows:
            err().print(Text(_("(nothing to show)"), style="dim"))


def emit_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def record(pairs: list[tuple[str, object]]) -> None:
    """A two-column key/value block for `show` and for what a write recorded."""
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in pairs:
        if value is None or value == "":
            continue
        table.add_row(Text(key), Text(str(value)))
    out().print(table)


class progress:
    """A progress bar on stderr for large files, only when stderr is a terminal. Yields a callback
    taking the rows read so far and the total when known (a bar), else None (a count)."""

    def __init__(self, label: str):
        self.label = label
        self._progress = None

    def __enter__(self):
        console = err()
        if not console.is_terminal:
            return lambda _rows, _total=None: None
        from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn

        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                                  TextColumn("{task.completed:,} rows"), console=console, transient=True)
        self._progress.__enter__()
        task = self._progress.add_task(self.label, total=None)
        return lambda rows, total=None: self._progress.update(task, completed=rows, total=total)

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.__exit__(*exc)
        return False
