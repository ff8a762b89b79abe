"""One exception family, translated into a red line and an exit code in ``cli/app.py``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from charitybook.i18n import _, language


def shorten(text: object, most: int = 40) -> str:
    """A value as a message quotes it: a 40,000-character cell is not repeated whole."""
    text = str(text)
    return text if len(text) <= most else f"{text[:most - 1]}…"


class CharitybookError(Exception):
    """A user or data error: one clear line, optionally a hint, exit code 1."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(CharitybookError):
    """The command line itself is wrong (exit code 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Source:
    """Where a record came from: a file, a sheet and a row number as Excel shows it."""

    file: str
    sheet: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        # An import keeps every row's source as text: the file and sheet part is worded once a sheet.
        head, row = _source_parts(self.file, self.sheet, language())
        return head if self.row is None else head + row.format(row=self.row)


@lru_cache(maxsize=256)
def _source_parts(file: str, sheet: str | None, lang: str) -> tuple[str, str]:
    """A source's file-and-sheet text and the pattern of its row part, in ``lang`` (the run's)."""
    parts = [file]
    if sheet:
        parts.append(_("sheet {name}").format(name=sheet))
    return _(", ").join(parts), _(", ") + _("row {row}")


@dataclass(frozen=True)
class Problem:
    """One finding about one cell or row; many are collected and reported together."""

    source: Source
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        parts = [str(self.source)]
        if self.column:
            parts.append(_("column {name}").format(name=self.column))
        if self.value is not None:
            parts.append(_("value {value!r}").format(value=shorten(self.value, 60)))
        return _("{where}: {message}").format(where=_(", ").join(parts), message=self.message)


class ProblemsFound(CharitybookError):
    """Many row-level problems at once (an import that will not be written)."""

    def __init__(self, message: str, problems: list[Problem], hint: str | None = None, count: int | None = None):
        super().__init__(message, hint)
        self.problems = problems
        self.count = len(problems) if count is None else count  # all there were; ``problems`` may keep fewer
