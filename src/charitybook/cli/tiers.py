"""Money between tiers: add-grant (上级拨入) and pass-on (上交, 拨付下级)."""

from __future__ import annotations

from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output
from charitybook.i18n import N_, _
from charitybook.models import NewTierFlow
from charitybook.money import to_fen, yuan
from charitybook.services import tiers
from charitybook.vocabulary import TIER_KINDS, TIER_OUT

ReferenceOpt = Annotated[str | None, typer.Option("--ref", callback=opt.clean_reference, help="The other body's document or bank serial number")]


def add_grant(
    ctx: typer.Context,
    body: Annotated[str, typer.Option("--from", callback=opt.clean_name, help="The higher body it came from, e.g. 商洛市慈善协会")],
    amount: Annotated[str, typer.Option("--amount", help="Amount in 元")],
    fund: opt.FundOpt = None,
    project: opt.ProjectOpt = None, new_project: opt.NewProjectOpt = False,
    date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False,
    reference: ReferenceOpt = None,
    note: opt.NoteOpt = None,
) -> None:
    """Record a grant received from a higher body (上级拨入): income, but not a donation or money raised."""
    recorded = tiers.add_grant(opt.ledger(ctx), NewTierFlow(
        kind="from_above", body=body, date=opt.date(date, confirmed=confirm_date),
        amount=opt.money(amount, "--amount", required=True), fund=fund, project=project, reference=reference, note=note),
        new_project=new_project)
    s = recorded.summary
    output.success(_("Recorded grant #{id} from {body}: {amount} 元 to {fund}, {date} ({kind}, not money raised)").format(
        id=recorded.id, body=s["body"], amount=yuan(to_fen(s["amount"])), fund=s["fund"], date=s["date"],
        kind=TIER_KINDS.label("from_above")))


def pass_on(
    ctx: typer.Context,
    kind: Annotated[str, opt.term(TIER_KINDS, "--kind", codes=TIER_OUT, help=N_("Where it goes: {values}"))],
    body: Annotated[str, typer.Option("--to", callback=opt.clean_name, help="The body that receives it (its own legal entity)")],
    amount: Annotated[str, typer.Option("--amount", help="Amount in 元")],
    fund: opt.FundOpt = None,
    project: opt.ProjectOpt = None,
    date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False,
    reference: ReferenceOpt = None,
    note: opt.NoteOpt = None,
) -> None:
    """Record money passed on to another legal entity: up (上交) or down (拨付下级); not the association's own spending."""
    recorded = tiers.pass_on(opt.ledger(ctx), NewTierFlow(
        kind=kind, body=body, date=opt.date(date, confirmed=confirm_date),
        amount=opt.money(amount, "--amount", required=True), fund=fund, project=project, reference=reference, note=note))
    s = recorded.summary
    output.success(_("Recorded #{id}, {kind}: {amount} 元 from {fund} to {body}, {date}").format(
        id=recorded.id, kind=TIER_KINDS.label(s["kind"]), amount=yuan(to_fen(s["amount"])), fund=s["fund"],
        body=s["body"], date=s["date"]))


def register(app: typer.Typer) -> None:
    app.command("add-grant")(add_grant)
    app.command("pass-on")(pass_on)
