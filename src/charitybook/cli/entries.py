"""Everyday writes: init, add-donation, add-disbursement, add-purchase, transfer, void, show."""

from __future__ import annotations

from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import details, output
from charitybook.dates import local_time
from charitybook.errors import UsageError
from charitybook.i18n import N_, _
from charitybook.ledger import create_ledger
from charitybook.models import NewDisbursement, NewDonation
from charitybook.money import to_fen, yuan
from charitybook.services import corrections, donations, settings, show, spending
from charitybook.services import pass_through as pass_through_gifts
from charitybook.vocabulary import (CHANNELS, DONOR_TYPES, ENTRY_KINDS, ORG_TYPES, PLATFORMS, PURPOSES, RECORDED_CHANNELS,
                                    RELIEF_CATEGORIES, TIER_KINDS)

OrgTypeOpt = opt.term(ORG_TYPES, "--org-type", help=N_("Organisation type: {values} (the ceiling on management costs: 13% or 10%)"))
DonorTypeOpt = opt.term(DONOR_TYPES, "--donor-type", help=N_("Donor type: {values} (default: from the name)"))
# what `show` prints as codes of a vocabulary
ENTRY_TERMS = {"kind": ENTRY_KINDS, "donor_type": DONOR_TYPES, "channel": RECORDED_CHANNELS, "platform": PLATFORMS,
               "purpose": PURPOSES, "category": RELIEF_CATEGORIES, "tier": TIER_KINDS}


def init(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", callback=opt.clean_name, help="The association's name, e.g. 商州区慈善协会")],
    org_type: Annotated[str, OrgTypeOpt] = "social",
) -> None:
    """Create a new ledger (never overwrites a file)."""
    path = opt.state(ctx).db
    ledger = create_ledger(path, name, org_type, opt.actor())
    ledger.close()
    output.success(_("Created ledger {path} for {name}").format(path=path, name=name))


def config(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option("--name", callback=opt.clean_name, help="The association's name")] = None,
    org_type: Annotated[str | None, OrgTypeOpt] = None,
) -> None:
    """Show the association's settings, or change its name or organisation type."""
    current = settings.configure(opt.ledger(ctx), name, org_type)
    output.record([(_("name"), current["name"]), (_("org type"), ORG_TYPES.label(current["org_type"])),
                   (_("created"), local_time(current["created_at"]))])


def add_donation(
    ctx: typer.Context,
    donor: Annotated[str, typer.Option("--donor", callback=opt.clean_name, help="Donor name (匿名 for anonymous)")],
    amount: Annotated[str | None, typer.Option("--amount", help="Cash amount in 元: 1000, 1,234.50, 1.2万")] = None,
    date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False,
    channel: Annotated[str | None, opt.term(CHANNELS, "--channel", help=N_("How the cash came: {values} (default: cash; online when --platform is given)"))] = None,
    platform: Annotated[str | None, opt.term(PLATFORMS, "--platform", open_ended=True, help=N_("Online platform: {values}"))] = None,
    fund: opt.FundOpt = None,
    project: opt.ProjectOpt = None, new_project: opt.NewProjectOpt = False,
    township: opt.TownshipOpt = None, new_township: opt.NewTownshipOpt = False,
    campaign: Annotated[str | None, typer.Option("--campaign", callback=opt.clean_name, help="Fundraising campaign, e.g. 2021年99公益日")] = None,
    pledge: Annotated[int | None, typer.Option("--pledge", help="Pledge id this donation fulfils")] = None,
    donor_type: Annotated[str | None, DonorTypeOpt] = None,
    contact: Annotated[str | None, typer.Option("--contact", callback=opt.clean_name, help="Donor contact")] = None,
    id_code: Annotated[str | None, typer.Option("--id-code", help="Donor's credit code or ID number")] = None,
    reference: Annotated[str | None, typer.Option("--ref", callback=opt.clean_reference, help="External reference (order or bank serial number)")] = None,
    goods: Annotated[str | None, typer.Option("--goods", callback=opt.clean_name, help="In-kind: the item donated")] = None,
    quantity: Annotated[str | None, typer.Option("--quantity", help="In-kind: quantity")] = None,
    unit: Annotated[str | None, typer.Option("--unit", callback=opt.clean_name, help="In-kind: unit, e.g. 袋")] = None,
    unit_value: Annotated[str | None, typer.Option("--unit-value", help="In-kind: appraised value of one unit")] = None,
    value: Annotated[str | None, typer.Option("--value", help="In-kind: appraised total value (折价)")] = None,
    note: opt.NoteOpt = None,
    pass_through: Annotated[bool, typer.Option("--pass-through", help="A pass-through gift (受托代理, 定向到人): the donor names who it is for; not income, in no fund")] = False,
    recipient: Annotated[str | None, typer.Option("--for", callback=opt.clean_name, help="With --pass-through: the person or unit the donor named")] = None,
) -> None:
    """Record a donation of cash and/or goods; prints its id and receipt number."""
    if pass_through != (recipient is not None):
        raise UsageError(_("--pass-through and --for go together: a pass-through gift names the person or unit it is for"))
    given = NewDonation(
        donor=donor, date=opt.date(date, confirmed=confirm_date), amount=opt.money(amount, "--amount"),
        goods=opt.goods(goods, quantity, unit, unit_value, value), donor_type=donor_type,
        donor_contact=contact, donor_id_code=id_code, channel=channel, platform=platform, fund=fund,
        project=project, township=township, campaign=campaign, pledge_id=pledge, external_ref=reference, note=note,
        recipient=recipient)
    if pass_through:
        gift = pass_through_gifts.add_gift(opt.ledger(ctx), given, new_township=new_township)
        output.success(_("Recorded pass-through gift #{id} (受托代理): {donor}, {amount} 元, held for {recipient}, {date}; "
                         "not income, in no fund").format(id=gift.id, donor=gift.donor, amount=yuan(gift.cash_fen + gift.goods_fen),
                                                          recipient=gift.recipient, date=gift.date))
        return
    recorded = donations.add_donation(opt.ledger(ctx), given, new_project=new_project, new_township=new_township)
    what = []
    if recorded.amount:
        what.append(_("{amount} 元 cash").format(amount=yuan(to_fen(recorded.amount))))
    if recorded.goods:
        what.append(_("goods {item} worth {value} 元").format(item=recorded.goods.item, value=yuan(to_fen(recorded.goods.value))))
    output.success(_("Recorded donation #{id}, receipt {receipt}: {donor} ({type}), {what}, to {fund}, {date}").format(
        id=recorded.id, receipt=recorded.receipt_no, donor=recorded.donor, type=DONOR_TYPES.label(recorded.donor_type),
        what=_(" and ").join(what), fund=recorded.fund, date=recorded.date))


def add_disbursement(
    ctx: typer.Context,
    payee: Annotated[str, typer.Option("--payee", callback=opt.clean_name, help="Who receives it")],
    purpose: Annotated[str, opt.term(PURPOSES, "--purpose", help=N_("What it is spent on: {values}"))],
    amount: Annotated[str | None, typer.Option("--amount", help="Cash amount in 元")] = None,
    category: Annotated[str | None, opt.term(RELIEF_CATEGORIES, "--category", open_ended=True, help=N_("Category: {values}"))] = None,
    date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False,
    fund: opt.FundOpt = None,
    project: opt.ProjectOpt = None,
    township: opt.TownshipOpt = None, new_township: opt.NewTownshipOpt = False,
    goods: Annotated[str | None, typer.Option("--goods", callback=opt.clean_name, help="Goods out of stock: the item")] = None,
    quantity: Annotated[str | None, typer.Option("--quantity", help="Goods: quantity")] = None,
    unit: Annotated[str | None, typer.Option("--unit", callback=opt.clean_name, help="Goods: unit")] = None,
    unit_value: Annotated[str | None, typer.Option("--unit-value", help="Goods: value of one unit")] = None,
    value: Annotated[str | None, typer.Option("--value", help="Goods: total value")] = None,
    note: opt.NoteOpt = None,
) -> None:
    """Record money or goods paid out of a fund."""
    recorded = spending.add_disbursement(opt.ledger(ctx), NewDisbursement(
        payee=payee, date=opt.date(date, confirmed=confirm_date), purpose=purpose, amount=opt.money(amount, "--amount"),
        goods=opt.goods(goods, quantity, unit, unit_value, value), category=category,
        fund=fund, project=project, township=township, note=note,
    ), new_township=new_township)
    s = recorded.summary
    output.success(_("Recorded disbursement #{id}: {payee}, {amount} 元{goods}, from {fund} ({purpose}{category}), {date}").format(
        id=recorded.id, payee=s["payee"], amount=yuan(to_fen(s["amount"])),
        goods=_(" + goods {item} worth {value} 元").format(item=s["goods"].item, value=yuan(to_fen(s["goods"].value))) if s["goods"] else "",
        fund=s["fund"], purpose=PURPOSES.label(s["purpose"]),
        category=f", {RELIEF_CATEGORIES.label(s['category'])}" if s["category"] else "", date=s["date"]))


def add_purchase(
    ctx: typer.Context,
    item: Annotated[str, typer.Option("--item", callback=opt.clean_name, help="What was bought, e.g. 米面油")],
    amount: Annotated[str, typer.Option("--amount", help="What it cost, in 元")],
    quantity: Annotated[str | None, typer.Option("--quantity", help="How many")] = None,
    unit: Annotated[str | None, typer.Option("--unit", callback=opt.clean_name, help="Unit, e.g. 桶")] = None,
    fund: opt.FundOpt = None,
    project: opt.ProjectOpt = None,
    date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False,
    note: opt.NoteOpt = None,
) -> None:
    """Buy goods with a fund's cash (cash becomes goods stock; not yet an expense)."""
    recorded = spending.add_purchase(opt.ledger(ctx), item, opt.money(amount, "--amount", required=True), opt.date(date, confirmed=confirm_date),
                                     opt.quantity(quantity), unit, fund, project, note)
    output.success(_("Recorded purchase #{id}: {item}, {amount} 元 from {fund}'s cash into its goods stock").format(
        id=recorded.id, item=item, amount=yuan(to_fen(recorded.summary["amount"])), fund=recorded.summary["fund"]))


def add_income(
    ctx: typer.Context,
    amount: Annotated[str, typer.Option("--amount", help="Amount in 元")],
    fund: opt.FundOpt = None,
    project: opt.ProjectOpt = None,
    date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False,
    note: opt.NoteOpt = None,
) -> None:
    """Record other income (interest, investment income): spendable, even in an endowment fund."""
    value = opt.money(amount, "--amount", required=True)
    entry_id = donations.add_income(opt.ledger(ctx), value, opt.date(date, confirmed=confirm_date), fund, project, note)
    output.success(_("Recorded income #{id}: {amount} 元").format(id=entry_id, amount=yuan(to_fen(value))))


def add_pledge(
    ctx: typer.Context,
    donor: Annotated[str, typer.Option("--donor", callback=opt.clean_name, help="Who pledged")],
    amount: Annotated[str, typer.Option("--amount", help="Amount pledged, in 元")],
    due: Annotated[str | None, typer.Option("--due", help="Due date")] = None,
    date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False,
    fund: opt.FundOpt = None,
    project: opt.ProjectOpt = None, new_project: opt.NewProjectOpt = False,
    donor_type: Annotated[str | None, DonorTypeOpt] = None,
    note: opt.NoteOpt = None,
) -> None:
    """Record a pledge (认捐): promised, not yet received."""
    value = opt.money(amount, "--amount", required=True)
    pledge_id = donations.add_pledge(opt.ledger(ctx), donor, value, opt.date(date, confirmed=confirm_date),
                                     opt.date(due, "--due", default_today=False, future_ok=True, confirmed=confirm_date), fund, project, donor_type, note,
                                     new_project=new_project)
    output.success(_("Recorded pledge #{id}: {donor}, {amount} 元").format(id=pledge_id, donor=donor, amount=yuan(to_fen(value))))


def transfer(
    ctx: typer.Context,
    source: Annotated[str, typer.Option("--from", help="Fund the cash leaves")],
    target: Annotated[str, typer.Option("--to", help="Fund the cash goes to")],
    amount: Annotated[str, typer.Option("--amount", help="Amount in 元")],
    date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False,
    note: opt.NoteOpt = None,
) -> None:
    """Move cash between funds (an endowment's income to a project, say)."""
    recorded = spending.add_transfer(opt.ledger(ctx), source, target, opt.money(amount, "--amount", required=True), opt.date(date, confirmed=confirm_date), note)
    output.success(_("Recorded transfer #{id}: {amount} 元 from {source} to {target}").format(
        id=recorded.id, amount=yuan(to_fen(recorded.summary["amount"])), source=recorded.summary["from"], target=recorded.summary["to"]))


def void(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(help="Entry id to reverse")],
    reason: Annotated[str, typer.Option("--reason", callback=opt.clean_note, help="Why, e.g. 录入错误")],
    date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False,
) -> None:
    """Reverse an entry with a void entry; its receipt number stays voided, never reissued."""
    void_id = corrections.void(opt.ledger(ctx), entry_id, reason, opt.date(date, confirmed=confirm_date))
    output.success(_("Voided #{id} with reversing entry #{void}").format(id=entry_id, void=void_id))


def show_entry(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(help="Entry id")],
    fmt: opt.FormatOpt = opt.Format.table,
) -> None:
    """Show one entry: what it is, its postings, and whether it was voided."""
    detail = show.entry(opt.ledger(ctx), entry_id)
    if fmt == opt.Format.json:
        output.emit_json(detail)
    else:
        output.record(details.pairs(detail, ENTRY_TERMS))
        for posting in detail.get("postings", []):
            output.line("  " + _("{fund}: cash {cash}, goods {goods}").format(
                fund=posting["fund"], cash=details.money_text(posting["cash"]), goods=details.money_text(posting["goods"])))


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("config")(config)
    app.command("add-donation")(add_donation)
    app.command("add-disbursement")(add_disbursement)
    app.command("add-purchase")(add_purchase)
    app.command("add-income")(add_income)
    app.command("add-pledge")(add_pledge)
    app.command("transfer")(transfer)
    app.command("void")(void)
    app.command("show")(show_entry)
