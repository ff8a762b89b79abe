"""`charitybook disclose annual|publish|list|correction`: the packages published on 慈善中国, and
their corrections (更正说明)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output
from charitybook.cli.output import Column
from charitybook.cli.reports import ReportFormat, _format
from charitybook.errors import UsageError
from charitybook.i18n import _, language
from charitybook.services import disclosure
from charitybook.vocabulary import PUBLICATION_STATES

app = typer.Typer(help="Disclosure on 慈善中国: the packages of a year, what was published, corrections (更正说明).",
                  no_args_is_help=True)

YearOpt = Annotated[int, typer.Option("--year", "-y", callback=opt.check_year, help="The year disclosed, e.g. 2021")]
PackageOpt = Annotated[list[str] | None, typer.Option("--package", "-p", callback=opt.clean_names,
                                                      help="annual, campaign:NAME, project:NAME or notice:N (repeat it; default: every package of the year; a notice only when named)")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write here: .md, .xlsx or .json (xlsx needs it)")]
FormatOpt = Annotated[ReportFormat | None, typer.Option("--format", "-f", help="md, xlsx or json (default: from the --output file's extension, else md)")]


def _emit(ctx: typer.Context, context: dict, fmt: ReportFormat, output_path: Path | None) -> None:
    from charitybook.reports.render import render_context

    if fmt == ReportFormat.xlsx:
        from charitybook.reports.excel import write

        write(context, language(), output_path)
    else:
        text = render_context(opt.ledger(ctx), context, fmt.value, language())
        if output_path is None:
            output.data(text)
            return
        output.write_file(output_path, text)
    output.success(_("Wrote {path} ({format})").format(path=output_path, format=fmt.value))


@app.command("annual")
def annual(ctx: typer.Context, year: YearOpt, package: PackageOpt = None, fmt: FormatOpt = None,
           output_path: OutputOpt = None) -> None:
    """The year's packages as 慈善中国 asks for them: the annual report (with the financial
    statements and the ratios), each fundraising campaign and each project active in the year."""
    fmt = _format(fmt, output_path)
    context, verdicts = disclosure.annual(opt.ledger(ctx), year, package or None)
    _emit(ctx, context, fmt, output_path)
    for found in verdicts:
        if found.same:
            output.note(_("{package}: reproduces what was published on {date}").format(package=found.package, date=found.published_on))
        else:
            output.warn(_("{package}: differs from what was published on {date} ({n} changes): publish a correction, see "
                          "`charitybook disclose correction --year {year} --package {package}`").format(
                package=found.package, date=found.published_on, n=found.changed, year=year))


@app.command("publish")
def publish(
    ctx: typer.Context,
    year: YearOpt,
    package: PackageOpt = None,
    on: Annotated[str | None, typer.Option("--on", help="The day it was published on 慈善中国 (default: today)")] = None,
) -> None:
    """Record that packages were published (their JSON and SHA-256 are kept); one that differs from
    its last publication is recorded as its correction (更正说明)."""
    done, unchanged = disclosure.publish(opt.ledger(ctx), year, package or None, opt.date(on, "--on"))
    for item in done:
        output.success((_("Recorded {package} of {year} as a correction of publication #{old} (#{id}, {n} changes)")
                        if item.supersedes else _("Recorded {package} of {year} as published (#{id})")).format(
            package=item.package, year=year, old=item.supersedes, id=item.publication, n=item.changes))
    for key in unchanged:
        output.note(_("{package}: already published and unchanged; nothing recorded").format(package=key))


@app.command("list")
def list_publications(ctx: typer.Context, year: opt.YearOpt = None, fmt: opt.FormatOpt = opt.Format.table) -> None:
    """What was published when, and which publications a correction superseded."""
    rows = disclosure.listing(opt.ledger(ctx), year)
    columns = [Column("id", _("#"), kind="int"), Column("year", _("Year"), kind="int"), Column("package", _("Package")),
               Column("published_on", _("Published")), Column("state", _("State"), terms=PUBLICATION_STATES),
               Column("supersedes", _("Corrects #"), kind="int"), Column("superseded_by", _("Corrected by #"), kind="int"),
               Column("changes", _("Changes"), kind="int"),
               Column("sha256", _("SHA-256"))]
    output.render(rows, columns, fmt.value, title=_("Published on 慈善中国"))


@app.command("correction")
def correction(
    ctx: typer.Context,
    year: YearOpt,
    package: Annotated[str, typer.Option("--package", "-p", callback=opt.clean_name, help="The package published: annual, campaign:NAME or project:NAME")],
    fmt: FormatOpt = None,
    output_path: OutputOpt = None,
    publish_it: Annotated[bool, typer.Option("--publish", help="Also record the corrected package as published (superseding the old one)")] = False,
    on: Annotated[str | None, typer.Option("--on", help="With --publish: the day it was published (default: today)")] = None,
) -> None:
    """The 更正说明 of a published package the ledger no longer reproduces: each changed line, the
    value published and the value now."""
    fmt = _format(fmt, output_path)
    if fmt == ReportFormat.xlsx:
        raise UsageError(_("a correction notice is md or json"))
    if on is not None and not publish_it:
        raise UsageError(_("--on is the day of publication: give it with --publish"))
    day = opt.date(on, "--on") if publish_it else dt.date.today()
    ledger = opt.ledger(ctx)
    _emit(ctx, disclosure.correction(ledger, year, package), fmt, output_path)
    if publish_it:
        done, _unchanged = disclosure.publish(ledger, year, [package], day)
        for item in done:   # on stderr: the notice itself may be on stdout
            output.note(_("Recorded {package} of {year} as a correction of publication #{old} (#{id}, {n} changes)").format(
                package=item.package, year=year, old=item.supersedes, id=item.publication, n=item.changes))


def register(app_: typer.Typer) -> None:
    app_.add_typer(app, name="disclose")
