"""`charitybook statement opening|adjust|void|list`: the accountant's entries on the statements."""

from __future__ import annotations

from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output
from charitybook.cli.output import Column
from charitybook.errors import UsageError
from charitybook.i18n import N_, _
from charitybook.money import yuan
from charitybook.services import statements
from charitybook.vocabulary import FUND_KINDS

app = typer.Typer(help="The accountant's opening balances and adjustments of the financial statements "
                       "(lines the ledger does not hold: fixed assets, payables, staff costs …).", no_args_is_help=True)

LineOpt = Annotated[str, typer.Option("--line", "-l", callback=opt.clean_name, help="The statement line, as printed (固定资产原价, 应付款项, 管理费用 …)")]
AmountOpt = Annotated[str, typer.Option("--amount", "-a", help="Amount in 元")]
EntryYearOpt = Annotated[int, typer.Option("--year", "-y", callback=opt.check_year, help="The fiscal year")]
DecreaseOpt = Annotated[bool, typer.Option("--decrease", help="The amount lowers the line")]
COLUMNS = [Column("id", "#", kind="int"), Column("kind", N_("Kind")), Column("year", N_("Year"), kind="int"),
           Column("row", N_("Row"), kind="int"), Column("line", N_("Line")), Column("role", N_("Role")),
           Column("restricted", N_("Restricted"), kind="bool"), Column("amount", N_("Amount 元"), "amount_fen", "money"),
           Column("note", N_("Note")), Column("voided_by", N_("Voided by"), kind="int"), Column("void_of", N_("Voids"), kind="int")]


def _amount(amount: str):
    return opt.money(amount, "--amount", required=True,
                     negative=_("give the amount without a sign; --decrease lowers the line (a wrong entry: `statement void`)"))


def _done(entered) -> None:
    output.success(_("Recorded statement entry #{id}: {line} {amount} 元 ({year})").format(
        id=entered.id, line=entered.line.line, amount=yuan(entered.amount_fen), year=entered.year))


@app.command("opening")
def opening(ctx: typer.Context, year: EntryYearOpt, line: LineOpt, amount: AmountOpt, decrease: DecreaseOpt = False,
            note: opt.NoteOpt = None) -> None:
    """Enter a balance-sheet line's balance at the start of a year (固定资产原价, 应付款项 …)."""
    _done(statements.enter(opt.ledger(ctx), "opening", year, line, _amount(amount),
                           decrease=decrease, note=note))


@app.command("adjust")
def adjust(ctx: typer.Context, year: EntryYearOpt, line: LineOpt, amount: AmountOpt, decrease: DecreaseOpt = False,
           restricted: Annotated[bool, typer.Option("--restricted", help="业务活动表 line: in the restricted column")] = False,
           note: opt.NoteOpt = None) -> None:
    """Enter what a line moves by in a year: a balance-sheet line's change, or a 业务活动表 or
    现金流量表 line's amount for the year."""
    _done(statements.enter(opt.ledger(ctx), "adjustment", year, line, _amount(amount),
                           restricted=restricted, decrease=decrease, note=note))


@app.command("void")
def void(ctx: typer.Context, entry: Annotated[int, typer.Argument(help="Statement entry number (see statement list)")],
         reason: Annotated[str, typer.Option("--reason", callback=opt.clean_note, help="Why it is voided")]) -> None:
    """Void a statement entry: a reversing row is added, nothing is deleted."""
    void_id = statements.void(opt.ledger(ctx), entry, reason)
    output.success(_("Voided statement entry #{id} (void #{void})").format(id=entry, void=void_id))


RELEASE_COLUMNS = [Column("fund", N_("Fund")), Column("kind", N_("Kind"), terms=FUND_KINDS),
                   Column("opening", N_("Start of year 元"), kind="money"), Column("spent", N_("Spent 元"), kind="money"),
                   Column("moved", N_("To the general fund 元"), kind="money"), Column("released", N_("Released 元"), kind="money"),
                   Column("booked", N_("Booked 元"), kind="money"),
                   Column("closing", N_("End of year 元"), kind="money"), Column("principal", N_("Principal 元"), kind="money")]


@app.command("release")
def release(ctx: typer.Context, year: EntryYearOpt,
            confirm: Annotated[bool, typer.Option("--confirm", help="Book the release as shown (the statements then show what was booked)")] = False,
            by: Annotated[str | None, typer.Option("--by", callback=opt.clean_name, help="Who confirms it (the accountant's name)")] = None,
            date: Annotated[str | None, typer.Option("--date", "-d", help="With --confirm: the day it is confirmed (default: today)")] = None,
            note: opt.NoteOpt = None, fmt: opt.FormatOpt = opt.Format.table) -> None:
    """The release from restriction in a year, one line per restricted fund: what it spent on its
    purpose and moved to the general fund (an endowment's principal is never spent, so never
    released), beside what was booked. With --confirm --by NAME, book it."""
    if (by or note or date) and not confirm:
        raise UsageError(_("--by, --date and --note go with --confirm"))
    if confirm:
        if not by:
            raise UsageError(_("--confirm needs --by (who confirms the release)"))
        done = statements.confirm_release(opt.ledger(ctx), year, opt.date(date), by, note)
        output.success(_("Confirmed the release of {year}: {amount} 元 from {funds} restricted fund(s), by {by} (#{id})").format(
            year=done.year, amount=yuan(done.released_fen), funds=done.funds, by=done.by, id=done.id))
        return
    output.render(statements.releases(opt.ledger(ctx), year), RELEASE_COLUMNS, fmt.value,
                  _("Restricted net assets released in {year}").format(year=year))


@app.command("list")
def list_entries(ctx: typer.Context, year: opt.YearOpt = None, fmt: opt.FormatOpt = opt.Format.table) -> None:
    """The accountant's statement entries, voids too."""
    output.render(statements.entries(opt.ledger(ctx), year), COLUMNS, fmt.value, _("Statement entries"))
