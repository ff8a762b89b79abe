"""`charitybook due`, `campaign end`, `project end`: what must be published on 慈善中国 and by when."""

from __future__ import annotations

from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output
from charitybook.cli.output import Column
from charitybook.i18n import _
from charitybook.services import disclosure
from charitybook.vocabulary import DUE_KINDS, DUE_STATES

campaign_app = typer.Typer(help="Fundraising campaigns (the --campaign donations name): their end dates.",
                           no_args_is_help=True)
project_app = typer.Typer(help="Charity projects (a restricted fund's --project): their end dates.",
                          no_args_is_help=True)

EndDateOpt = Annotated[str, typer.Option("--date", "-d", help="The day it ended (or is planned to end), e.g. 2021-12-31")]


def _end(ctx: typer.Context, kind: str, name: str, date: str, note: str | None) -> None:
    ended = disclosure.end(opt.ledger(ctx), kind, name, opt.date(date, "--date", future_ok=True), note)
    output.success(_("Recorded the end of {kind} {name}: {date} (event #{id})").format(
        kind=DUE_KINDS.label(kind), name=ended.name, date=ended.ended.isoformat(), id=ended.event_id)
        + (_("; it replaces {date}").format(date=ended.replaces) if ended.replaces else ""))


@campaign_app.command("end")
def campaign_end(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(callback=opt.clean_name, help="The campaign, as donations name it")],
    date: EndDateOpt,
    note: opt.NoteOpt = None,
) -> None:
    """Record the day a fundraising campaign ended: its disclosure is due within 3 months (a later
    end replaces an earlier one)."""
    _end(ctx, "campaign", name, date, note)


@project_app.command("end")
def project_end(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(callback=opt.clean_name, help="The project")],
    date: EndDateOpt,
    note: opt.NoteOpt = None,
) -> None:
    """Record the day a project ended: its disclosure is due within 3 months (a later end replaces
    an earlier one)."""
    _end(ctx, "project", name, date, note)


def due(
    ctx: typer.Context,
    today: Annotated[str | None, typer.Option("--today", help="Count the days from this date (default: today)")] = None,
    fmt: opt.FormatOpt = opt.Format.table,
) -> None:
    """What must be published on 慈善中国 and by when: the annual report by May 31, a campaign's and a
    project's within 3 months of its end; the overdue first."""
    found = disclosure.due(opt.ledger(ctx), opt.date(today, "--today", plausible=False))
    if fmt.value == "table":
        for item in found.items:
            item["when"] = ("" if item["published"] else _("{days} days overdue").format(days=-item["days"]) if item["days"] < 0
                            else _("{days} days left").format(days=item["days"]))
        columns = [Column("what", _("What")), Column("kind", _("Kind"), terms=DUE_KINDS),
                   Column("deadline", _("Deadline")), Column("when", _("Days")),
                   Column("state", _("State"), terms=DUE_STATES), Column("published", _("Published"))]
    else:
        columns = [Column("what", "what"), Column("kind", "kind"), Column("name", "name"), Column("year", "year", kind="int"),
                   Column("deadline", "deadline"), Column("days", "days", kind="int"), Column("state", "state"),
                   Column("published", "published")]
    output.render(found.items, columns, fmt.value, _("What is due on 慈善中国"))
    for line in found.notes:
        output.note(line)


def register(app_: typer.Typer) -> None:
    app_.command("due")(due)
    app_.add_typer(campaign_app, name="campaign")
    app_.add_typer(project_app, name="project")
