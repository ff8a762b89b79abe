"""`charitybook report annual|holiday|compliance|funds|donor|statements`."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output
from charitybook.errors import UsageError
from charitybook.i18n import N_, _, language
from charitybook.vocabulary import HOLIDAYS


class Kind(str, Enum):
    annual = "annual"
    holiday = "holiday"
    compliance = "compliance"
    funds = "funds"
    donor = "donor"
    station = "station"
    statements = "statements"


class ChartKey(str, Enum):
    c2004 = "2004"
    c2026 = "2026"


class ReportFormat(str, Enum):
    md = "md"
    xlsx = "xlsx"
    json = "json"


SUFFIXES = {".md": ReportFormat.md, ".markdown": ReportFormat.md, ".xlsx": ReportFormat.xlsx, ".json": ReportFormat.json}


def report(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(help="annual, holiday, compliance, funds, donor, station or statements")],
    year: Annotated[int, typer.Option("--year", "-y", callback=opt.check_year, help="Report year")] = dt.date.today().year,
    fmt: Annotated[ReportFormat | None, typer.Option("--format", "-f", help="md, xlsx or json (default: from the --output file's extension, else md)")] = None,
    output_path: Annotated[Path | None, typer.Option("--output", "-o", help="Write here: .md, .xlsx or .json (xlsx needs it; md and json go to stdout without it)")] = None,
    template_dir: Annotated[Path | None, typer.Option("--template-dir", help="Folder whose templates override the shipped ones")] = None,
    holiday: Annotated[str | None, opt.term(HOLIDAYS, "--holiday", open_ended=True, help=N_("Holiday report: only this holiday: {values}"))] = None,
    donor: Annotated[str | None, typer.Option("--donor", callback=opt.clean_name, help="donor report: the donor's name")] = None,
    station: Annotated[str | None, typer.Option("--station", callback=opt.clean_name, help="station report: only this township (or village), by its name or an alias")] = None,
    chart: Annotated[ChartKey | None, typer.Option("--chart", help="statements: the chart of accounts, 2004 or 2026 (default: the one in force that year)")] = None,
) -> None:
    """Render a report: the year-end report, the holiday-relief summary, the statutory ratios,
    fund statements, one donor's gifts, what each station collected, gave out and holds, or the
    financial statements (会民非01/02/03表)."""
    from charitybook.cli.periods import verdict
    from charitybook.reports.render import render_text, write_workbook

    lang = language()   # the run's: --lang, CHARITYBOOK_LANG or the locale
    fmt = _format(fmt, output_path)
    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(_("--template-dir {path} is not a folder").format(path=template_dir))
    if fmt == ReportFormat.xlsx:
        write_workbook(opt.ledger(ctx), kind.value, year, lang, output_path, holiday, donor, station, chart and chart.value)
    else:
        text = render_text(opt.ledger(ctx), kind.value, year, fmt.value, lang, template_dir, holiday, donor, station, chart and chart.value)
        if output_path is None:
            output.data(text)
            verdict(opt.ledger(ctx), kind.value, year, holiday)
            return
        output.write_file(output_path, text)
    verdict(opt.ledger(ctx), kind.value, year, holiday)
    output.success(_("Wrote {path} ({format})").format(path=output_path, format=fmt.value))


def _format(fmt: ReportFormat | None, path: Path | None) -> ReportFormat:
    """--format, else the --output file's extension, else md. The two must agree."""
    if path is None:
        if fmt == ReportFormat.xlsx:
            raise UsageError(_("--format xlsx needs --output PATH.xlsx"))
        return fmt or ReportFormat.md
    implied = SUFFIXES.get(path.suffix.lower())
    if implied is None:
        raise UsageError(_("--output {path}: cannot tell the format from the file name").format(path=path),
                         _("name the file .md, .xlsx or .json"))
    if fmt is not None and fmt != implied:
        raise UsageError(_("--format {format} does not match --output {path}").format(format=fmt.value, path=path),
                         _("name the file .{format}, or leave out --format").format(format=fmt.value))
    return implied


def register(app: typer.Typer) -> None:
    app.command("report")(report)
