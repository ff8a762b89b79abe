"""`charitybook report annual|holiday|compliance|funds|donor`."""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output
from charitybook.errors import UsageError
from charitybook.i18n import _


class Kind(str, Enum):
    annual = "annual"
    holiday = "holiday"
    compliance = "compliance"
    funds = "funds"
    donor = "donor"


class ReportFormat(str, Enum):
    md = "md"
    xlsx = "xlsx"
    json = "json"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


def report(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(help="annual, holiday, compliance, funds or donor")],
    year: Annotated[int, typer.Option("--year", "-y", help="Report year")] = dt.date.today().year,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="md, xlsx or json")] = ReportFormat.md,
    output_path: Annotated[Path | None, typer.Option("--output", "-o", help="Write here (xlsx needs it; md and json go to stdout without it)")] = None,
    template_dir: Annotated[Path | None, typer.Option("--template-dir", help="Folder whose templates override the shipped ones")] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="zh (default) or en")] = Lang.zh,
    holiday: Annotated[str | None, typer.Option("--holiday", callback=opt.clean_name, help="holiday report: only this holiday, e.g. 春节")] = None,
    donor: Annotated[str | None, typer.Option("--donor", callback=opt.clean_name, help="donor report: the donor's name")] = None,
) -> None:
    """Render a report: the year-end report, the holiday-relief summary, the statutory ratios,
    fund statements, or one donor's gifts."""
    from charitybook.reports.render import render

    if fmt == ReportFormat.xlsx and output_path is None:
        raise UsageError(_("--format xlsx needs --output PATH.xlsx"))
    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(_("--template-dir {path} is not a folder").format(path=template_dir))
    text = render(opt.ledger(ctx), kind.value, year, fmt.value, lang.value, output_path, template_dir, holiday, donor)
    if text is not None:
        sys.stdout.write(text)
    else:
        output.success(_("Wrote {path}").format(path=output_path))


def register(app: typer.Typer) -> None:
    app.command("report")(report)
