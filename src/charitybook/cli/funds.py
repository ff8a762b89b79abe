"""`charitybook fund …`: add, list, opening balances, goods stock."""

from __future__ import annotations

from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output
from charitybook.cli.lists import list_funds
from charitybook.cli.output import Column
from charitybook.i18n import N_, _
from charitybook.services import donations, funds
from charitybook.vocabulary import FUND_KINDS

app = typer.Typer(help="Funds: restricted, named (冠名) and endowment (留本) funds.", no_args_is_help=True)
app.command("list")(list_funds)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(callback=opt.clean_name, help="Fund name")],
    kind: Annotated[str, opt.term(FUND_KINDS, "--kind", codes=("restricted", "named", "endowment"), help=N_("Fund kind: {values}"))] = "restricted",
    sponsor: Annotated[str | None, typer.Option("--sponsor", callback=opt.clean_name, help="Named fund: the sponsor")] = None,
    project: opt.ProjectOpt = None,
    note: opt.NoteOpt = None,
    station: Annotated[str | None, typer.Option("--station", callback=opt.clean_name, help="The station (township or village) whose fund it is: still the county association's money")] = None,
) -> None:
    """Add a fund (with --station, a station's own fund, e.g. a village's 冠名基金)."""
    fund = funds.add_fund(opt.ledger(ctx), name, kind, sponsor, project, note, station)
    output.success(_("Added fund #{id} {name} ({kind})").format(id=fund.id, name=fund.name, kind=FUND_KINDS.label(fund.kind))
                   + (_(", held for {station}").format(station=fund.station) if fund.station else ""))


@app.command("opening")
def opening(
    ctx: typer.Context,
    fund: Annotated[str, typer.Argument(callback=opt.clean_name, help="Fund name (general for the general fund)")],
    date: Annotated[str, typer.Option("--date", "-d", help="Date of the opening balance")],
    confirm_date: opt.ConfirmDateOpt = False,
    cash: Annotated[str | None, typer.Option("--cash", help="Cash on hand, in 元")] = None,
    principal: Annotated[str | None, typer.Option("--principal", help="Endowment: how much of the cash is principal")] = None,
    goods: Annotated[str | None, typer.Option("--goods", callback=opt.clean_name, help="Goods on hand: the item")] = None,
    quantity: Annotated[str | None, typer.Option("--quantity", help="Goods: quantity")] = None,
    unit: Annotated[str | None, typer.Option("--unit", callback=opt.clean_name, help="Goods: unit")] = None,
    value: Annotated[str | None, typer.Option("--goods-value", help="Goods: appraised value")] = None,
) -> None:
    """Record an opening balance: money and goods on hand when the books start."""
    entry_id, fund = donations.add_opening(
        opt.ledger(ctx), fund, opt.date(date, confirmed=confirm_date), opt.money(cash, "--cash"),
        opt.goods(goods or (_("goods on hand") if value else None), quantity, unit, None, value, "--goods-value"),
        opt.money(principal, "--principal"))
    output.success(_("Recorded opening balance #{id} for {fund}").format(id=entry_id, fund=fund))


@app.command("stock")
def stock(ctx: typer.Context, fund: opt.FundOpt = None, fmt: opt.FormatOpt = opt.Format.table) -> None:
    """Goods on hand per fund and item."""
    rows = funds.stock(opt.ledger(ctx), fund)
    columns = [Column("fund", _("Fund")), Column("item", _("Item")), Column("quantity", _("Qty"), kind="decimal"),
               Column("unit", _("Unit")), Column("value", _("Value 元"), "value_fen", "money")]
    output.render(rows, columns, fmt.value, _("Goods in stock"))
