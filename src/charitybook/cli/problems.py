"""Row problems on the screen: the same problem on many rows is one line with a count and the
first rows (every row is still listed in --errors-out)."""

from __future__ import annotations

from collections import OrderedDict

from charitybook.cli import output
from charitybook.errors import Problem
from charitybook.i18n import _

MOST_LINES = 40   # distinct problems shown; the rest are counted
FIRST_ROWS = 5


def grouped(problems: list[Problem]) -> list[tuple[str, int]]:
    """One line per distinct problem (file, sheet, column, message), with how many rows have it and
    their values (the first few, when they differ)."""
    groups: OrderedDict[tuple, list[Problem]] = OrderedDict()
    for problem in problems:
        key = (problem.source.file, problem.source.sheet, problem.column, problem.message)
        groups.setdefault(key, []).append(problem)
    lines = []
    for items in groups.values():
        first = items[0]
        if len(items) == 1:
            lines.append((str(first), 1))
            continue
        rows = ", ".join(str(p.source.row) for p in items[:FIRST_ROWS] if p.source.row is not None)
        values = list(dict.fromkeys(p.value for p in items if p.value is not None))
        shown = (_("value {value!r}").format(value=values[0]) if len(values) == 1 else
                 _("values {values}").format(values=", ".join(repr(v) for v in values[:3]) + (", …" if len(values) > 3 else ""))
                 if values else None)
        where = ", ".join(part for part in (
            first.source.file, first.source.sheet and _("sheet {name}").format(name=first.source.sheet),
            first.column and _("column {name}").format(name=first.column), shown) if part)
        more = ", …" if len(items) > FIRST_ROWS else ""
        lines.append((_("{where}: {message} — {n} rows ({rows}{more})").format(
            where=where, message=first.message, n=f"{len(items):,}", rows=rows, more=more), len(items)))
    return lines


def show(problems: list[Problem], total: int, blocking: bool) -> None:
    """Print an import's problems: errors when they block it, warnings when the rows are skipped."""
    say = output.error if blocking else output.warn
    lines = grouped(problems)
    for line, _count in lines[:MOST_LINES]:
        say(line)
    hidden = total - sum(count for _line, count in lines[:MOST_LINES])
    if hidden > 0:
        say(_("… and {n} more row problem(s): --errors-out PATH.xlsx lists every row").format(n=f"{hidden:,}"))
