"""`beneficiary`, `case` and `relief` commands. ID numbers are masked unless --reveal."""

from __future__ import annotations

from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import details, output
from charitybook.cli.output import Column
from charitybook.i18n import N_, _
from charitybook.models import Gift, Person
from charitybook.money import to_fen, yuan
from charitybook.services import relief
from charitybook.vocabulary import CASE_STATUSES, COUNT_BY, HARDSHIP_TYPES, HOLIDAYS, RELIEF_CATEGORIES, SEXES

beneficiary_app = typer.Typer(help="The register of people helped (受助对象).", no_args_is_help=True)
case_app = typer.Typer(help="Relief cases: open → approve/reject → pay → closed.", no_args_is_help=True)
relief_app = typer.Typer(help="Holiday relief (节日慰问): one gift per person per campaign.", no_args_is_help=True)

NameOpt = Annotated[str, typer.Option("--name", callback=opt.clean_name, help="Person's name")]
IdOpt = Annotated[str | None, typer.Option("--id-number", callback=opt.clean_reference, help="Citizen ID number (18 digits; 15-digit upgraded)")]
NoIdOpt = Annotated[str | None, typer.Option("--no-id", callback=opt.clean_note, help="No ID number: say why (infant, foreigner…)")]
VillageOpt = Annotated[str | None, typer.Option("--village", callback=opt.clean_name, help="Village or community")]
SizeOpt = Annotated[str | None, typer.Option("--household-size", help="Household size (persons)")]
HardshipOpt = Annotated[str | None, opt.term(HARDSHIP_TYPES, "--hardship-type", open_ended=True, help=N_("Hardship type: {values}"))]
CategoryOpt = opt.term(RELIEF_CATEGORIES, "--category", open_ended=True, help=N_("Category: {values}"))
HolidayOpt = opt.term(HOLIDAYS, "--holiday", open_ended=True, help=N_("Holiday: {values}"))
CountByOpt = opt.term(COUNT_BY, "--count-by", help=N_("Count recipients by {values} (set by the campaign's first gift)"))
PhoneOpt = Annotated[str | None, typer.Option("--phone", callback=opt.clean_reference, help="Phone number")]


def _person(name, id_number, no_id, township, village, size, hardship, phone) -> Person:
    return Person(name=name.strip(), id_number=id_number, no_id_reason=no_id, township=township, village=village,
                  household_size=opt.count(size, "--household-size"), hardship_type=hardship, phone=phone)


BENEFICIARY_COLUMNS = [
    Column("id", "#", kind="int"), Column("name", N_("Name")), Column("id_number", N_("ID number")),
    Column("gender", N_("Gender"), terms=SEXES), Column("township", N_("Township")), Column("village", N_("Village")),
    Column("household_size", N_("Household"), kind="int"), Column("hardship_type", N_("Hardship"), terms=HARDSHIP_TYPES),
]
# what `show` prints as codes of a vocabulary
PERSON_TERMS = {"gender": SEXES, "hardship_type": HARDSHIP_TYPES}
CASE_TERMS = {**PERSON_TERMS, "category": RELIEF_CATEGORIES, "status": CASE_STATUSES, "decision": CASE_STATUSES}


@beneficiary_app.command("add")
def beneficiary_add(ctx: typer.Context, name: NameOpt, id_number: IdOpt = None, no_id: NoIdOpt = None,
                    township: opt.TownshipOpt = None, new_township: opt.NewTownshipOpt = False, village: VillageOpt = None,
                    household_size: SizeOpt = None, hardship_type: HardshipOpt = None, phone: PhoneOpt = None) -> None:
    """Register a person (one row however many times they are helped)."""
    beneficiary_id = relief.add_beneficiary(opt.ledger(ctx), _person(name, id_number, no_id, township, village,
                                                                      household_size, hardship_type, phone),
                                            new_township=new_township)
    output.success(_("Beneficiary #{id}: {name}").format(id=beneficiary_id, name=name))


@beneficiary_app.command("list")
def beneficiary_list(ctx: typer.Context, township: opt.TownshipOpt = None, fmt: opt.FormatOpt = opt.Format.table) -> None:
    """Beneficiaries, ID numbers masked."""
    output.render(relief.list_beneficiaries(opt.ledger(ctx), township), BENEFICIARY_COLUMNS, fmt.value, _("Beneficiaries"))


@beneficiary_app.command("show")
def beneficiary_show(
    ctx: typer.Context, beneficiary_id: Annotated[int, typer.Argument(help="Beneficiary id")],
    reveal: Annotated[bool, typer.Option("--reveal", help="Show the full ID number (written to the audit log)")] = False,
    fmt: opt.FormatOpt = opt.Format.table,
) -> None:
    """One beneficiary; --reveal shows the full ID number and logs that it did."""
    row = relief.show_beneficiary(opt.ledger(ctx), beneficiary_id, reveal)
    if fmt == opt.Format.json:
        output.emit_json(row)
    else:
        output.record(details.pairs(row, PERSON_TERMS))


CASE_COLUMNS = [
    Column("id", "#", kind="int"), Column("opened_on", N_("Opened")), Column("name", N_("Applicant")),
    Column("id_number", N_("ID number")), Column("township", N_("Township")), Column("category", N_("Category"), terms=RELIEF_CATEGORIES),
    Column("asked", N_("Asked 元"), "asked_fen", "money"), Column("approved", N_("Approved 元"), "approved_fen", "money"),
    Column("paid", N_("Paid 元"), "paid_fen", "money"), Column("status", N_("Status"), terms=CASE_STATUSES),
]


@case_app.command("open")
def case_open(
    ctx: typer.Context, name: NameOpt,
    category: Annotated[str, CategoryOpt],
    amount: Annotated[str, typer.Option("--amount", help="Amount asked, in 元")],
    reason: Annotated[str, typer.Option("--reason", callback=opt.clean_note, help="Why the family applies")],
    health: Annotated[str | None, typer.Option("--health", callback=opt.clean_note, help="Health details (sensitive: shown only by case show)")] = None,
    id_number: IdOpt = None, no_id: NoIdOpt = None, township: opt.TownshipOpt = None, new_township: opt.NewTownshipOpt = False,
    village: VillageOpt = None, household_size: SizeOpt = None, hardship_type: HardshipOpt = None, phone: PhoneOpt = None,
    date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False,
) -> None:
    """Open a relief case (申请)."""
    asked = opt.money(amount, "--amount", required=True)
    case_id, warnings = relief.open_case(
        opt.ledger(ctx), _person(name, id_number, no_id, township, village, household_size, hardship_type, phone),
        category, asked, reason, health, opt.date(date, confirmed=confirm_date), new_township=new_township)
    for warning in warnings:
        output.warn(warning)
    output.success(_("Opened case #{id}: {name}, {category}, asking {amount} 元").format(
        id=case_id, name=name, category=RELIEF_CATEGORIES.label(category), amount=yuan(to_fen(asked))))


@case_app.command("approve")
def case_approve(ctx: typer.Context, case_id: Annotated[int, typer.Argument(help="Case id")],
                 amount: Annotated[str, typer.Option("--amount", help="Approved amount, in 元")],
                 note: opt.NoteOpt = None, date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False) -> None:
    """Approve a case for an amount (批准)."""
    row = relief.decide_case(opt.ledger(ctx), case_id, opt.money(amount, "--amount", required=True), note, opt.date(date, confirmed=confirm_date))
    output.success(_("Case #{id} approved: {amount} 元").format(id=case_id, amount=yuan(row["approved_fen"])))


@case_app.command("reject")
def case_reject(ctx: typer.Context, case_id: Annotated[int, typer.Argument(help="Case id")],
                reason: Annotated[str, typer.Option("--reason", callback=opt.clean_note, help="Why not")], date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False) -> None:
    """Reject a case with a reason (不予批准)."""
    relief.decide_case(opt.ledger(ctx), case_id, None, reason, opt.date(date, confirmed=confirm_date))
    output.success(_("Case #{id} rejected").format(id=case_id))


@case_app.command("pay")
def case_pay(ctx: typer.Context, case_id: Annotated[int, typer.Argument(help="Case id")],
             amount: Annotated[str, typer.Option("--amount", help="This instalment, in 元")],
             fund: opt.FundOpt = None, project: opt.ProjectOpt = None, date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False, note: opt.NoteOpt = None) -> None:
    """Pay an approved case, in instalments up to the approved amount (发放)."""
    entry_id, row = relief.pay_case(opt.ledger(ctx), case_id, opt.money(amount, "--amount", required=True), opt.date(date, confirmed=confirm_date),
                                    fund, project, note)
    output.success(_("Paid case #{id} with disbursement #{entry}: {paid} of {approved} 元 paid, case {status}").format(
        id=case_id, entry=entry_id, paid=yuan(row["paid_fen"]), approved=yuan(row["approved_fen"]), status=CASE_STATUSES.label(row["status"])))


@case_app.command("list")
def case_list(
    ctx: typer.Context, status: Annotated[str | None, opt.term(CASE_STATUSES, "--status", help=N_("Only cases in this state: {values}"))] = None,
    category: Annotated[str | None, CategoryOpt] = None,
    township: opt.TownshipOpt = None, year: opt.YearOpt = None, fmt: opt.FormatOpt = opt.Format.table,
) -> None:
    """Relief cases (no health details; ID numbers masked)."""
    output.render(relief.list_cases(opt.ledger(ctx), status, category, township, year), CASE_COLUMNS, fmt.value, _("Relief cases"))


@case_app.command("show")
def case_show(ctx: typer.Context, case_id: Annotated[int, typer.Argument(help="Case id")], fmt: opt.FormatOpt = opt.Format.table) -> None:
    """One case in full, health details included (ID number masked)."""
    row = details.case_amounts(relief.show_case(opt.ledger(ctx), case_id))
    if fmt == opt.Format.json:
        output.emit_json(row)
    else:
        output.record(details.pairs(row, CASE_TERMS))


@relief_app.command("give")
def relief_give(
    ctx: typer.Context, name: NameOpt,
    holiday: Annotated[str, HolidayOpt],
    year: Annotated[int | None, typer.Option("--year", callback=opt.check_year, help="Campaign year (default: the date's year)")] = None,
    cash: Annotated[str | None, typer.Option("--cash", help="Cash gift (慰问金), in 元")] = None,
    goods: Annotated[str | None, typer.Option("--goods", callback=opt.clean_name, help="Goods gift (慰问品): the item")] = None,
    quantity: Annotated[str | None, typer.Option("--quantity", help="Goods: quantity")] = None,
    unit: Annotated[str | None, typer.Option("--unit", callback=opt.clean_name, help="Goods: unit")] = None,
    goods_value: Annotated[str | None, typer.Option("--goods-value", help="Goods: appraised value (折价)")] = None,
    count_by: Annotated[str | None, CountByOpt] = None,
    id_number: IdOpt = None, no_id: NoIdOpt = None, township: opt.TownshipOpt = None, new_township: opt.NewTownshipOpt = False,
    village: VillageOpt = None, household_size: SizeOpt = None, hardship_type: HardshipOpt = None, phone: PhoneOpt = None,
    fund: opt.FundOpt = None, project: opt.ProjectOpt = None, date: opt.DateOpt = None, confirm_date: opt.ConfirmDateOpt = False, note: opt.NoteOpt = None,
) -> None:
    """Record one holiday distribution (cash and/or goods to one recipient)."""
    when = opt.date(date, confirmed=confirm_date)
    gift = Gift(holiday=holiday, year=year or when.year, date=when, cash=opt.money(cash, "--cash"),
                goods=opt.goods(goods, quantity, unit, None, goods_value, "--goods-value"), fund=fund, project=project,
                unit=count_by, note=note,
                person=_person(name, id_number, no_id, township, village, household_size, hardship_type, phone))
    entry_id = relief.give(opt.ledger(ctx), gift, new_township=new_township)
    output.success(_("Recorded {year} {holiday} relief #{id} to {name}").format(
        year=gift.year, holiday=HOLIDAYS.label(holiday), id=entry_id, name=name))


@relief_app.command("list")
def relief_list(
    ctx: typer.Context, holiday: Annotated[str | None, HolidayOpt] = None,
    year: opt.YearOpt = None, township: opt.TownshipOpt = None, fmt: opt.FormatOpt = opt.Format.table,
) -> None:
    """Holiday distributions (an internal list: ID numbers masked)."""
    columns = [Column("id", "#", kind="int"), Column("date", _("Date")), Column("holiday", _("Holiday"), terms=HOLIDAYS),
               Column("year", _("Year"), kind="int"), Column("name", _("Name")), Column("id_number", _("ID number")),
               Column("township", _("Township")), Column("village", _("Village")),
               Column("cash", _("Cash 元"), "cash_fen", "money"), Column("goods", _("Goods")),
               Column("goods_value", _("Goods 元"), "goods_fen", "money"), Column("voided_by", _("Voided by"), kind="int")]
    output.render(relief.list_distributions(opt.ledger(ctx), holiday, year, township), columns, fmt.value, _("Holiday relief"))


def register(app: typer.Typer) -> None:
    app.add_typer(beneficiary_app, name="beneficiary")
    app.add_typer(case_app, name="case")
    app.add_typer(relief_app, name="relief")
