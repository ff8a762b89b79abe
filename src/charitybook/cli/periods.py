"""`charitybook period close|reopen|list`: closed years (年度结账)."""

from __future__ import annotations

from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output
from charitybook.cli.output import Column
from charitybook.i18n import _
from charitybook.services import periods
from charitybook.vocabulary import PERIOD_ACTIONS, PERIOD_STATES, REPORTS

app = typer.Typer(help="Closed years (年度结账): close a year after the audit, reopen it, list the events.",
                  no_args_is_help=True)

YearArg = Annotated[int, typer.Argument(callback=opt.check_year, help="The calendar year, e.g. 2021")]
ByOpt = Annotated[str, typer.Option("--by", callback=opt.clean_name, help="Who does it (the accountant's name)")]


@app.command("close")
def close(ctx: typer.Context, year: YearArg, by: ByOpt, note: opt.NoteOpt = None) -> None:
    """Close a year after the audit: nothing dated in it can be added, imported, replaced or voided
    any more, and the fingerprints of its reports are stored."""
    closed = periods.close(opt.ledger(ctx), year, by, note)
    for warning in closed.warnings:
        output.warn(warning)
    output.success(_("Closed {year} (event #{id}); fingerprints of its reports stored: {reports}").format(
        year=closed.year, id=closed.event_id, reports=_(", ").join(REPORTS.label(kind) for kind in closed.fingerprints)))


@app.command("reopen")
def reopen(
    ctx: typer.Context,
    year: YearArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the signed year is opened again")],
    by: ByOpt,
) -> None:
    """Reopen a closed year (audited); close it again to store new fingerprints."""
    event_id = periods.reopen(opt.ledger(ctx), year, reason, by)
    output.success(_("Reopened {year} (event #{id})").format(year=year, id=event_id))


@app.command("list")
def list_periods(ctx: typer.Context, fmt: opt.FormatOpt = opt.Format.table) -> None:
    """Every close and reopen, per year, with the year's state now."""
    rows = periods.listing(opt.ledger(ctx))
    columns = [Column("year", _("Year"), kind="int"), Column("state", _("State"), terms=PERIOD_STATES), Column("event", _("#"), source="id", kind="int"),
               Column("action", _("Event"), terms=PERIOD_ACTIONS), Column("by", _("By"), source="by_name"), Column("note", _("Note / reason"), source="note"),
               Column("at", _("At"), kind="time")]
    output.render(rows, columns, fmt.value, title=_("Closed years"))


def verdict(ledger, kind: str, year: int, holiday: str | None) -> None:
    """After `report … --year Y` of a year once closed: the signed report reproduced, or what changed."""
    found = periods.verify(ledger, kind, year, holiday)
    if found is None:
        return
    state = (_("{year} is closed").format(year=year) if found.closed
             else _("{year} was reopened after it was signed").format(year=year))
    signed = dict(state=state, report=REPORTS.label(kind), at=found.signed_at[:10], by=found.signed_by)
    if found.same:
        output.note(_("{state}: this {report} report reproduces the one signed on {at} by {by} exactly").format(**signed))
        return
    output.warn(_("{state}: this {report} report differs from the one signed on {at} by {by}:").format(**signed))
    for change in found.changed:
        output.note("  " + change)


def register(app_: typer.Typer) -> None:
    app_.add_typer(app, name="period")
