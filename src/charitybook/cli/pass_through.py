"""Pass-through gifts (受托代理): hand-over, and the list of what is held for whom."""

from __future__ import annotations

from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output
from charitybook.cli.output import Column
from charitybook.i18n import N_, _
from charitybook.money import yuan
from charitybook.services import pass_through

COLUMNS = [
    Column("id", "#", kind="int"), Column("date", N_("Date"), kind="date"), Column("donor", N_("Donor")),
    Column("recipient", N_("For")), Column("amount", N_("Cash 元"), "cash_fen", "money"), Column("goods", N_("Goods"), "item"),
    Column("goods_value", N_("Goods 元"), "goods_fen", "money"),
    Column("handed_cash", N_("Handed over cash 元"), "handed_cash_fen", "money"),
    Column("handed_goods", N_("Handed over goods 元"), "handed_goods_fen", "money"),
    Column("held", N_("Held 元"), "held_fen", "money"),
]


def hand_over(
    ctx: typer.Context,
    gift: Annotated[int, typer.Argument(help="The pass-through gift's entry number")],
    date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False,
    amount: Annotated[str | None, typer.Option("--amount", help="Cash handed over, in 元 (default: all that is held)")] = None,
    value: Annotated[str | None, typer.Option("--value", help="Goods handed over, at their recorded value in 元")] = None,
    note: opt.NoteOpt = None,
) -> None:
    """Record money or goods of a pass-through gift handed to the person or unit the donor named."""
    done = pass_through.hand_over(
        opt.ledger(ctx), gift, opt.date(date, confirmed=confirm_date),
        opt.money(amount, "--amount") if amount is not None else None,
        opt.money(value, "--value") if value is not None else None, note)
    output.success(_("Recorded hand-over #{id} of pass-through gift #{gift} to {recipient}: {amount} 元; {held} 元 still held").format(
        id=done.id, gift=done.gift_id, recipient=done.recipient, amount=yuan(done.cash_fen + done.goods_fen),
        held=yuan(done.held_fen)))


def held(
    ctx: typer.Context,
    fmt: opt.FormatOpt = opt.Format.table,
    all_gifts: Annotated[bool, typer.Option("--all", help="Also the gifts handed over in full")] = False,
) -> None:
    """The pass-through gifts (受托代理) and what is still held for each recipient."""
    rows = pass_through.listing(opt.ledger(ctx), held_only=not all_gifts)
    output.render(rows, COLUMNS, fmt.value, _("Pass-through gifts (受托代理)"))


def register(app: typer.Typer) -> None:
    app.command("hand-over")(hand_over)
    app.command("pass-through")(held)
