"""Reading it back: list, balance, check, backup."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output
from charitybook.cli.output import Column
from charitybook.i18n import N_, _
from charitybook.services import checks, funds, reading
from charitybook.services.backup import backup as backup_ledger
from charitybook.vocabulary import DONOR_TYPES, FUND_KINDS, PLATFORMS, PURPOSES, RECORDED_CHANNELS, RELIEF_CATEGORIES, TIER_KINDS

list_app = typer.Typer(help="List donations, disbursements, money between tiers, funds, donors or pledges.", no_args_is_help=True)

DONATION_COLUMNS = [
    Column("id", "#", kind="int"), Column("receipt_no", N_("Receipt")), Column("date", N_("Date"), kind="date"),
    Column("donor", N_("Donor")), Column("donor_type", N_("Type"), terms=DONOR_TYPES), Column("amount", N_("Cash 元"), "cash_fen", "money"),
    Column("goods", N_("Goods")), Column("quantity", N_("Qty"), kind="decimal"), Column("unit", N_("Unit")),
    Column("goods_value", N_("Goods 元"), "goods_fen", "money"), Column("channel", N_("Channel"), terms=RECORDED_CHANNELS),
    Column("platform", N_("Platform"), terms=PLATFORMS), Column("fund", N_("Fund")), Column("project", N_("Project")),
    Column("township", N_("Township")), Column("campaign", N_("Campaign")), Column("reference", N_("Ref"), "external_ref"),
    Column("note", N_("Note")), Column("voided_by", N_("Voided by"), kind="int"),
]
DISBURSEMENT_COLUMNS = [
    Column("id", "#", kind="int"), Column("date", N_("Date"), kind="date"), Column("payee", N_("Payee")),
    Column("purpose", N_("Purpose"), terms=PURPOSES), Column("category", N_("Category"), terms=RELIEF_CATEGORIES), Column("amount", N_("Cash 元"), "cash_fen", "money"),
    Column("goods", N_("Goods")), Column("quantity", N_("Qty"), kind="decimal"),
    Column("goods_value", N_("Goods 元"), "goods_fen", "money"), Column("fund", N_("Fund")),
    Column("township", N_("Township")), Column("note", N_("Note")), Column("voided_by", N_("Voided by"), kind="int"),
]
TIER_COLUMNS = [
    Column("id", "#", kind="int"), Column("date", N_("Date"), kind="date"), Column("kind", N_("Kind"), terms=TIER_KINDS),
    Column("body", N_("From / to")), Column("amount", N_("Cash 元"), "cash_fen", "money"), Column("fund", N_("Fund")),
    Column("project", N_("Project")), Column("reference", N_("Ref")), Column("note", N_("Note")),
    Column("voided_by", N_("Voided by"), kind="int"),
]
BALANCE_COLUMNS = [
    Column("fund", N_("Fund"), "name"), Column("kind", N_("Kind"), terms=FUND_KINDS),
    Column("opening_cash", N_("Opening cash"), kind="money"), Column("in_cash", N_("In cash"), kind="money"),
    Column("out_cash", N_("Out cash"), kind="money"), Column("cash", N_("Cash"), kind="money"),
    Column("opening_goods", N_("Opening goods"), kind="money"), Column("in_goods", N_("In goods"), kind="money"),
    Column("out_goods", N_("Out goods"), kind="money"), Column("goods", N_("Goods"), kind="money"),
    Column("principal", N_("Principal"), kind="money"),
]


PAGE = 50


def _list(ctx, what: str, filters: dict, columns: list[Column], brief: set[str], fmt, limit, offset, everything,
          title: str) -> None:
    """A table shows a page (the latest rows) and says how to see more; csv, json and jsonl
    stream every row (or --limit of them after --offset)."""
    ledger = opt.ledger(ctx)
    if fmt != opt.ListFormat.table or everything:
        with reading.streamed(ledger, what, filters, limit, offset) as (names, rows):
            if fmt == opt.ListFormat.table:
                output.table(names, rows, [c for c in columns if c.key in brief], title)
            else:
                output.stream(names, rows, columns, fmt.value)
        return
    page = reading.latest(ledger, what, filters, PAGE if limit is None else limit, offset)
    output.table(page.names, page.rows, [c for c in columns if c.key in brief], title)
    if page.total > len(page.rows):
        output.note(_("showing {shown} of {total} (the latest{skipped}); see more with --limit N, --offset N or --all, "
                      "or every row with --format csv").format(
            shown=f"{len(page.rows):,}", total=f"{page.total:,}",
            skipped=_(", after skipping {n}").format(n=f"{offset:,}") if offset else ""))


@list_app.command("donations")
def list_donations(
    ctx: typer.Context, fmt: opt.ListFormatOpt = opt.ListFormat.table, year: opt.YearOpt = None,
    start: opt.FromOpt = None, end: opt.ToOpt = None, fund: opt.FundOpt = None, project: opt.ProjectOpt = None,
    township: opt.TownshipOpt = None, donor: Annotated[str | None, typer.Option("--donor", callback=opt.clean_name, help="Donor name")] = None,
    limit: opt.LimitOpt = None, offset: opt.OffsetOpt = 0, everything: opt.AllOpt = False,
) -> None:
    """Donations, with filters: the latest page, or every row as csv, json or jsonl."""
    filters = {**opt.period(year, start, end), "fund": fund, "project": project, "township": township, "donor": donor}
    brief = {"id", "receipt_no", "date", "donor", "amount", "goods", "goods_value", "fund", "township", "voided_by"}
    _list(ctx, "donations", filters, DONATION_COLUMNS, brief, fmt, limit, offset, everything, _("Donations"))


@list_app.command("disbursements")
def list_disbursements(
    ctx: typer.Context, fmt: opt.ListFormatOpt = opt.ListFormat.table, year: opt.YearOpt = None,
    start: opt.FromOpt = None, end: opt.ToOpt = None, fund: opt.FundOpt = None, project: opt.ProjectOpt = None,
    township: opt.TownshipOpt = None,
    purpose: Annotated[str | None, opt.term(PURPOSES, "--purpose", help=N_("Only this purpose: {values}"))] = None,
    category: Annotated[str | None, opt.term(RELIEF_CATEGORIES, "--category", open_ended=True, help=N_("Category: {values}"))] = None,
    limit: opt.LimitOpt = None, offset: opt.OffsetOpt = 0, everything: opt.AllOpt = False,
) -> None:
    """Disbursements, with filters: the latest page, or every row as csv, json or jsonl."""
    filters = {**opt.period(year, start, end), "fund": fund, "project": project, "township": township,
               "purpose": purpose, "category": category}
    brief = {"id", "date", "payee", "purpose", "category", "amount", "goods_value", "fund", "voided_by"}
    _list(ctx, "disbursements", filters, DISBURSEMENT_COLUMNS, brief, fmt, limit, offset, everything, _("Disbursements"))


@list_app.command("tiers")
def list_tiers(
    ctx: typer.Context, fmt: opt.ListFormatOpt = opt.ListFormat.table, year: opt.YearOpt = None,
    start: opt.FromOpt = None, end: opt.ToOpt = None, fund: opt.FundOpt = None, project: opt.ProjectOpt = None,
    kind: Annotated[str | None, opt.term(TIER_KINDS, "--kind", help=N_("Only this kind: {values}"))] = None,
    body: Annotated[str | None, typer.Option("--body", callback=opt.clean_name, help="Only money from or to this body")] = None,
    limit: opt.LimitOpt = None, offset: opt.OffsetOpt = 0, everything: opt.AllOpt = False,
) -> None:
    """Money between tiers (grants from above, money passed up or down): the latest page, or every row as csv, json or jsonl."""
    filters = {**opt.period(year, start, end), "fund": fund, "project": project, "kind": kind, "body": body}
    brief = {"id", "date", "kind", "body", "amount", "fund", "voided_by"}
    _list(ctx, "tiers", filters, TIER_COLUMNS, brief, fmt, limit, offset, everything, _("Money between tiers"))


@list_app.command("funds")
def list_funds(ctx: typer.Context, fmt: opt.FormatOpt = opt.Format.table) -> None:
    """Funds with their kind, sponsor and closing balances."""
    rows = reading.funds_list(opt.ledger(ctx))
    columns = [Column("id", "#", kind="int"), Column("fund", _("Fund"), "name"), Column("kind", _("Kind"), terms=FUND_KINDS),
               Column("project", _("Project")), Column("sponsor", _("Sponsor")), Column("station", _("Station")),
               Column("cash", _("Cash"), kind="money"),
               Column("goods", _("Goods"), kind="money"), Column("principal", _("Principal"), kind="money")]
    output.render(rows, columns, fmt.value, _("Funds"))


DONOR_COLUMNS = [Column("id", "#", kind="int"), Column("name", N_("Donor")), Column("type", N_("Type"), terms=DONOR_TYPES),
                 Column("contact", N_("Contact")), Column("id_code", N_("Credit code / ID")),
                 Column("donations", N_("Gifts"), kind="int"), Column("cash", N_("Cash 元"), "cash_fen", "money"),
                 Column("goods", N_("Goods 元"), "goods_fen", "money")]


@list_app.command("donors")
def list_donors(
    ctx: typer.Context, fmt: opt.ListFormatOpt = opt.ListFormat.table,
    donor: Annotated[str | None, typer.Option("--donor", callback=opt.clean_name, help="Donor name")] = None,
    limit: opt.LimitOpt = None, offset: opt.OffsetOpt = 0, everything: opt.AllOpt = False,
) -> None:
    """Donors with how much each has given (voided gifts excluded): the latest page, or every row."""
    _list(ctx, "donors", {"donor": donor}, DONOR_COLUMNS, {c.key for c in DONOR_COLUMNS}, fmt, limit, offset, everything,
          _("Donors"))


@list_app.command("pledges")
def list_pledges(
    ctx: typer.Context, fmt: opt.FormatOpt = opt.Format.table,
    outstanding: Annotated[bool, typer.Option("--outstanding", help="Only pledges not yet fulfilled")] = False,
    donor: Annotated[str | None, typer.Option("--donor", callback=opt.clean_name, help="Donor name")] = None,
) -> None:
    """Pledges with what has been fulfilled and what is outstanding."""
    rows = reading.pledges_list(opt.ledger(ctx), {"outstanding": outstanding, "donor": donor})
    columns = [Column("id", "#", kind="int"), Column("date", _("Date"), kind="date"), Column("donor", _("Donor")),
               Column("fund", _("Fund")), Column("amount", _("Pledged"), "amount_fen", "money"),
               Column("fulfilled", _("Fulfilled"), "fulfilled_fen", "money"),
               Column("outstanding", _("Outstanding"), "outstanding_fen", "money"), Column("due_date", _("Due"))]
    output.render(rows, columns, fmt.value, _("Pledges"))


def balance(ctx: typer.Context, fmt: opt.FormatOpt = opt.Format.table, year: opt.YearOpt = None) -> None:
    """Per fund: opening, in, out and closing, cash and goods kept apart."""
    rows = funds.balances(opt.ledger(ctx), year)
    output.render(rows, BALANCE_COLUMNS, fmt.value, _("Balances {year}").format(year=year or _("(all time)")))


def check(ctx: typer.Context) -> None:
    """Recompute every balance from the entries and verify the ledger; exit 0 only if all holds."""
    ledger = opt.ledger(ctx)
    with output.steps(_("Checking the ledger")) as tick:
        findings = checks.check(ledger, progress=tick)
    if findings:
        for finding in findings:
            output.err().print(output.Text(finding, style="red"))
        output.error(_("{n} problem(s) found").format(n=len(findings)))
        raise typer.Exit(1)
    output.success(_("Ledger OK: balances, receipts, voids and integrity all check out"))


def backup(ctx: typer.Context, target: Annotated[Path, typer.Argument(help="Where to write the copy")]) -> None:
    """A consistent copy of the ledger, safe while others are writing."""
    backup_ledger(opt.ledger(ctx), target)
    output.success(_("Backed up to {path}").format(path=target))


def register(app: typer.Typer) -> None:
    app.add_typer(list_app, name="list")
    app.command("balance")(balance)
    app.command("check")(check)
    app.command("backup")(backup)
