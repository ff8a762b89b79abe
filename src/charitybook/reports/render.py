"""One entry point: build a report's context and render it as md, xlsx or json."""

from __future__ import annotations

import json
from pathlib import Path

from charitybook.errors import CharitybookError, UsageError
from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.reports import context as contexts

FORMATS = ("md", "xlsx", "json")
KINDS = (*contexts.BUILDERS, "statements")
TEXT_FORMATS = ("md", "json")


def build(ledger: Ledger, kind: str, year: int, holiday: str | None = None, donor: str | None = None,
          station: str | None = None, chart: str | None = None) -> dict:
    if kind == "statements":
        from charitybook.reports.statements import statements

        return statements(ledger, year, chart)
    if kind == "donor":
        if not donor:
            raise UsageError(_("report donor needs --donor NAME"))
        return contexts.donor(ledger, year, donor)
    if kind == "holiday":
        return contexts.holiday(ledger, year, holiday)
    if kind == "station":
        return contexts.station.station(ledger, year, station)
    return contexts.BUILDERS[kind](ledger, year)


def render_text(ledger: Ledger, kind: str, year: int, fmt: str, lang: str | None, template_dir: Path | None = None,
                holiday: str | None = None, donor: str | None = None, station: str | None = None,
                chart: str | None = None) -> str:
    """The report as Markdown or JSON text. Where it goes (stdout or a file, in which encoding)
    is the caller's business: the CLI sends it through ``cli/output``."""
    if fmt not in TEXT_FORMATS:
        raise CharitybookError(_("{format} is not a text format").format(format=fmt))
    return render_context(ledger, build(ledger, kind, year, holiday, donor, station, chart), fmt, lang, template_dir)


def render_context(ledger: Ledger, context: dict, fmt: str, lang: str | None, template_dir: Path | None = None) -> str:
    """A context already built (``disclose``'s packages, a 更正说明) as Markdown or JSON text."""
    if fmt == "json":
        return json.dumps(context, ensure_ascii=False, indent=2) + "\n"
    from charitybook.reports.markdown import render as render_md

    dirs = [path for path in (template_dir, ledger.path.resolve().parent / "templates") if path]
    return render_md(context, lang, dirs)


def write_workbook(ledger: Ledger, kind: str, year: int, lang: str | None, output: Path,
                   holiday: str | None = None, donor: str | None = None, station: str | None = None,
                   chart: str | None = None) -> None:
    """The report as an Excel workbook at ``output``."""
    from charitybook.reports.excel import write

    write(build(ledger, kind, year, holiday, donor, station, chart), lang, output)
