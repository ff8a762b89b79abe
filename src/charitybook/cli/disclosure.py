"""`charitybook due`, `campaign end`, `project end`, `notice add|withdraw|list`: what must be
published on 慈善中国 and by when."""

from __future__ import annotations

from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output
from charitybook.cli.output import Column
from charitybook.i18n import N_, _
from charitybook.services import disclosure
from charitybook.vocabulary import DUE_KINDS, DUE_STATES, NOTICE_KINDS, NOTICE_STATES

campaign_app = typer.Typer(help="Fundraising campaigns (the --campaign donations name): their end dates.",
                           no_args_is_help=True)
project_app = typer.Typer(help="Charity projects (a restricted fund's --project): their end dates.",
                          no_args_is_help=True)

notice_app = typer.Typer(help="Events to publish within 30 days: major asset changes, investments and transactions, "
                              "related-party transactions, charity trusts set up.", no_args_is_help=True)

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


@notice_app.command("add")
def notice_add(
    ctx: typer.Context,
    kind: Annotated[str, opt.term(NOTICE_KINDS, "--kind", "-k", help=N_("What happened: {values}"))],
    what: Annotated[str, typer.Option("--what", "-w", callback=opt.clean_note, help="What it was, as it will be published, e.g. 出售旧办公楼")],
    date: Annotated[str, typer.Option("--date", "-d", help="The day it happened, e.g. 2026-03-10")],
    amount: Annotated[str | None, typer.Option("--amount", "-a", help="Its amount in 元, if it has one")] = None,
    party: Annotated[str | None, typer.Option("--party", callback=opt.clean_name, help="The other party (a related party, the buyer, the trustee)")] = None,
    note: opt.NoteOpt = None,
    replaces: Annotated[int | None, typer.Option("--replaces", min=1, help="Correct notice #N: this one replaces it")] = None,
    confirm_date: opt.ConfirmDateOpt = False,
) -> None:
    """Record an event to be published on 慈善中国 within 30 days (a major asset change, investment
    or transaction, a related-party transaction, a charity trust set up); `due` lists it."""
    found = disclosure.add_notice(
        opt.ledger(ctx), kind, opt.date(date, "--date", confirmed=confirm_date), what, party=party, note=note,
        amount=None if amount is None else opt.money(amount, "--amount", negative=_("an amount published is never negative")),
        replaces=replaces)
    output.success(_("Recorded notice #{id}: {kind}, {date}, {what}; to be published by {deadline}").format(
        id=found.id, kind=NOTICE_KINDS.label(found.kind), date=found.happened.isoformat(), what=found.what,
        deadline=found.deadline.isoformat())
        + (_("; it replaces #{old}").format(old=found.replaces) if found.replaces else ""))


@notice_app.command("withdraw")
def notice_withdraw(
    ctx: typer.Context,
    notice_id: Annotated[int, typer.Argument(metavar="N", min=1, help="The notice's number (see `notice list`)")],
    reason: Annotated[str, typer.Option("--reason", callback=opt.clean_note, help="Why, e.g. 录入错误")],
) -> None:
    """Take back a notice recorded by mistake (it is kept, marked withdrawn, and no longer due)."""
    found = disclosure.withdraw_notice(opt.ledger(ctx), notice_id, reason)
    output.success(_("Withdrew notice #{old} (#{id})").format(old=notice_id, id=found.id))


@notice_app.command("list")
def notice_list(ctx: typer.Context, fmt: opt.FormatOpt = opt.Format.table) -> None:
    """Every notice recorded, with its deadline; a corrected or withdrawn one says so."""
    rows = disclosure.notice_list(opt.ledger(ctx))
    if fmt.value == "table":
        columns = [Column("id", _("#"), kind="int"), Column("kind", _("Kind"), terms=NOTICE_KINDS),
                   Column("happened", _("Date")), Column("what", _("What")), Column("party", _("Party")),
                   Column("amount", _("Amount"), "amount_fen", kind="money"), Column("deadline", _("Deadline")),
                   Column("state", _("State"), terms=NOTICE_STATES), Column("replaces", _("Replaces #"), kind="int")]
    else:
        columns = [Column("id", "id", kind="int"), Column("kind", "kind"), Column("happened", "happened"),
                   Column("what", "what"), Column("party", "party"), Column("amount", "amount", "amount_fen", kind="money"),
                   Column("note", "note"), Column("deadline", "deadline"), Column("state", "state"),
                   Column("replaces", "replaces", kind="int"), Column("withdrawn", "withdrawn")]
    output.render(rows, columns, fmt.value, _("Notices to publish within 30 days"))


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
    app_.add_typer(notice_app, name="notice")
