"""`charitybook receipt …`: official donation receipts (公益事业捐赠票据) — stock, issue, void, gaps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output
from charitybook.cli.output import Column
from charitybook.i18n import N_, _
from charitybook.money import plain, yuan
from charitybook.services import receipt_gaps, receipt_import, receipts
from charitybook.vocabulary import RECEIPT_KINDS, RECEIPT_STATES

app = typer.Typer(help="Official donation receipts (公益事业捐赠票据): stock, issue, void, gaps.", no_args_is_help=True)
stock_app = typer.Typer(help="Paper receipts received and which station holds them.", no_args_is_help=True)
app.add_typer(stock_app, name="stock")

CodeOpt = Annotated[str | None, typer.Option("--code", help="票据代码 (8 digits)")]
StationOpt = Annotated[str | None, typer.Option("--station", callback=opt.clean_name, help="Station holding the receipts (default: the county office)")]
ByOpt = Annotated[str, typer.Option("--by", callback=opt.clean_name, help="开票人: who issues it")]


STOCK_COLUMNS = [
    Column("code", N_("Code")), Column("first", N_("From")), Column("last", N_("To")), Column("holder", N_("Holder")),
    Column("received", N_("Received"), kind="date"), Column("count", N_("Numbers"), kind="int"),
    Column("issued", N_("Issued"), kind="int"), Column("spoiled", N_("Spoiled"), kind="int"),
    Column("on_hand", N_("On hand"), kind="int"),
]
RECEIPT_COLUMNS = [
    Column("code", N_("Code")), Column("number", N_("Number")), Column("kind", N_("Kind"), terms=RECEIPT_KINDS), Column("date", N_("Date"), kind="date"),
    Column("donor", N_("Donor")), Column("id_code", N_("Credit code / ID")), Column("amount", N_("Amount 元"), "amount_fen", "money"),
    Column("donations", N_("Donations")), Column("holder", N_("Holder")), Column("issuer", N_("Issued by")),
    Column("reviewer", N_("Reviewed by")), Column("state", N_("State"), terms=RECEIPT_STATES), Column("void_reason", N_("Why voided")),
]
GAP_COLUMNS = [Column("code", N_("Code")), Column("number", N_("Number")), Column("state", N_("State"), terms=RECEIPT_STATES),
               Column("station", N_("Holder")), Column("donation", N_("Donations"))]
GAP_RUN_COLUMNS = [Column("code", N_("Code")), Column("first", N_("From")), Column("last", N_("To")),
                   Column("count", N_("Numbers"), kind="int"), Column("state", N_("State"), terms=RECEIPT_STATES),
                   Column("holder", N_("Holder")), Column("donation", N_("Donations"))]


@stock_app.command("add")
def stock_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Option("--code", help="票据代码 (8 digits)")],
    first: Annotated[str, typer.Option("--from", help="First 票据号码 of the range (10 digits)")],
    last: Annotated[str, typer.Option("--to", help="Last 票据号码 of the range (10 digits)")],
    station: StationOpt = None, date: opt.DateOpt = None,
) -> None:
    """Record a range of paper receipts received, and who holds them."""
    added = receipts.add_stock(opt.ledger(ctx), code, first, last, station, opt.date(date))
    output.success(_("Added receipt stock {code} {first}–{last} held by {holder}").format(
        code=added.code, first=added.first, last=added.last, holder=receipts.holder_name(added.station)))


@stock_app.command("list")
def stock_list(ctx: typer.Context, fmt: opt.FormatOpt = opt.Format.table) -> None:
    """Receipt stock ranges: numbers issued, spoiled and on hand."""
    output.render(receipts.stock_list(opt.ledger(ctx)), STOCK_COLUMNS, fmt.value, _("Receipt stock"))


@app.command("issue")
def issue(
    ctx: typer.Context, by: ByOpt,
    donation: Annotated[list[str] | None, typer.Option("--donation", help="Donation number, e.g. 2021-000123 (repeat for an aggregate receipt)")] = None,
    donor: Annotated[str | None, typer.Option("--donor", callback=opt.clean_name, help="Aggregate receipt: this donor's gifts of --year without one")] = None,
    year: opt.YearOpt = None, code: CodeOpt = None,
    number: Annotated[str | None, typer.Option("--number", help="票据号码 to use (default: the next of the holder's stock)")] = None,
    station: Annotated[str | None, typer.Option("--station", callback=opt.clean_name, help="Station whose stock to use (default: the donation's township, else the county office)")] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", callback=opt.clean_name, help="复核人: who reviews it")] = None,
    date: opt.DateOpt = None,
) -> None:
    """Issue a paper receipt for a donation (or several gifts of one donor)."""
    from charitybook.errors import UsageError

    if bool(donation) == bool(donor):
        raise UsageError(_("name the gifts: --donation NUMBER (repeatable), or --donor NAME --year YEAR"))
    request = receipts.IssueRequest(tuple(donation or ()), donor, year, code, number, station, by, reviewer, opt.date(date))
    issued = receipts.issue(opt.ledger(ctx), request)
    output.success(_("Issued receipt {code} {number} to {donor}: {amount} 元 for {donations}").format(
        code=issued.code, number=issued.number, donor=issued.donor, amount=yuan(issued.amount_fen),
        donations="、".join(issued.donations)))
    if issued.skipped:
        output.note(_("already receipted, left out: {gifts}").format(gifts="、".join(issued.skipped)))


@app.command("void")
def void(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="票据代码")], number: Annotated[str, typer.Argument(help="票据号码")],
    reason: Annotated[str, typer.Option("--reason", callback=opt.clean_note, help="Why it is voided")],
    by: Annotated[str | None, typer.Option("--by", callback=opt.clean_name, help="Who voids it")] = None,
    date: opt.DateOpt = None,
) -> None:
    """Void a receipt (作废 for paper, 冲红 for electronic) or a spoiled blank; the number is never reused."""
    done = receipts.void(opt.ledger(ctx), code, number, reason, by, opt.date(date))
    what = _("red-letter reversal (冲红)") if done["action"] == "red" else _("voided (作废)")
    output.success(_("{code} {number}: {what} on {date}").format(code=done["code"], number=done["number"], what=what,
                                                               date=done["date"]))


@app.command("list")
def list_receipts(
    ctx: typer.Context, year: opt.YearOpt = None,
    station: Annotated[str | None, typer.Option("--station", callback=opt.clean_name, help="Only this holder station")] = None,
    state: Annotated[str | None, opt.term(RECEIPT_STATES, "--state", codes=("issued", "voided"), help=N_("Only this state: {values}"))] = None,
    fmt: opt.FormatOpt = opt.Format.table,
) -> None:
    """Receipts issued, with their state (credit codes and IDs masked)."""
    rows = receipts.receipt_list(opt.ledger(ctx), year, station, state)
    output.render(rows, RECEIPT_COLUMNS, fmt.value, _("Receipts"))


@app.command("show")
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="票据代码")], number: Annotated[str, typer.Argument(help="票据号码")],
    fmt: opt.FormatOpt = opt.Format.table,
) -> None:
    """One receipt: donor, items, amount in figures and capitals, 开票人/复核人, state."""
    found = receipts.show(opt.ledger(ctx), code, number)
    if fmt == opt.Format.json:
        items = [{**{k: v for k, v in item.items() if not k.endswith("_fen")},
                  "unit_value": plain(item["unit_value_fen"]) if item["unit_value_fen"] is not None else None,
                  "amount": plain(item["amount_fen"])} for item in found["items"]]
        output.emit_json({"code": found["code"], "number": found["number"], "kind": found["kind"], "date": found["date"],
                          "donor": found["donor"], "id_code": found["id_code"], "amount": plain(found["amount_fen"]),
                          "amount_in_words": found["daxie"], "items": items, "issuer": found["issuer"],
                          "reviewer": found["reviewer"], "holder": found["holder"], "state": found["state"],
                          "void_reason": found["void_reason"], "donations": (found["donations"] or "").split()})
        return
    lines = [f"{item['item']} {item['quantity'] or ''}{item['unit'] or ''} {yuan(item['amount_fen'])} 元" for item in found["items"]]
    output.record([(_("Receipt"), f"{found['code']} {found['number']}"), (_("Donor"), found["donor"]),
                   (_("Credit code / ID"), found["id_code"]), (_("Items"), "；".join(lines)),
                   (_("Amount"), f"{yuan(found['amount_fen'])} 元"), (_("In capitals"), found["daxie"]),
                   (_("Date"), found["date"]), (_("Issued by"), found["issuer"]), (_("Reviewed by"), found["reviewer"]),
                   (_("Holder"), found["holder"]), (_("Donations"), found["donations"]),
                   (_("Kind"), RECEIPT_KINDS.label(found["kind"])), (_("State"), RECEIPT_STATES.label(found["state"])),
                   (_("Why voided"), found["void_reason"])])


@app.command("gaps")
def gaps(ctx: typer.Context, year: Annotated[int, typer.Option("--year", "-y", callback=opt.check_year, help="Calendar year")],
         fmt: opt.FormatOpt = opt.Format.table) -> None:
    """Every number of every range that is not simply issued: voided, skipped, on hand, or outside any range."""
    found = receipt_gaps.gaps(opt.ledger(ctx), year)
    if fmt == opt.Format.table:
        found = [{**run, "holder": receipts.holder_name(run["station"])} for run in receipt_gaps.runs(found)]
    output.render(found, GAP_RUN_COLUMNS if fmt == opt.Format.table else GAP_COLUMNS, fmt.value,
                  _("Receipt numbers not simply issued, {year}").format(year=year))


IMPORT_COLUMNS = [Column("code", N_("Code")), Column("number", N_("Number")), Column("date", N_("Date"), kind="date"),
                  Column("donor", N_("Donor")), Column("amount", N_("Amount 元"), "amount_fen", "money"),
                  Column("state", N_("State"), terms=RECEIPT_STATES), Column("donation", N_("Donations")),
                  Column("row", N_("Row"))]
WAITING_COLUMNS = [Column("donation", N_("Donations")), Column("date", N_("Date"), kind="date"), Column("donor", N_("Donor")),
                   Column("amount", N_("Amount 元"), "amount_fen", "money")]


@app.command("import")
def import_receipts(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(help="The platform's export of issued e-receipts (xlsx, xls, csv)")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the matches and what is unmatched; write nothing")] = False,
    fmt: opt.FormatOpt = opt.Format.table,
) -> None:
    """Import electronic receipts from the provincial platform's export, matched to donations."""
    result = receipt_import.import_receipts(opt.ledger(ctx), file, dry_run=dry_run)
    waiting = [{**d, "amount_fen": d["cash_fen"] + d["goods_fen"]} for d in result.unmatched_donations]
    if fmt != opt.Format.table:
        output.emit_json({"matched": output.as_objects(result.matched, IMPORT_COLUMNS),
                          "unmatched_receipts": output.as_objects(result.unmatched_receipts, IMPORT_COLUMNS),
                          "unmatched_donations": output.as_objects(waiting, WAITING_COLUMNS),
                          "already_imported": result.already, "written": result.written})
        return
    output.render(result.matched, IMPORT_COLUMNS, "table", _("Receipts matched to donations"))
    if result.unmatched_receipts:
        output.render(result.unmatched_receipts, IMPORT_COLUMNS, "table", _("Receipts with no single matching donation (not imported)"))
    if waiting:
        output.render(waiting, WAITING_COLUMNS, "table", _("Donations of the period still without a receipt"))
    if result.already:
        output.note(_("{n} receipt(s) of the file were imported before; not added again").format(n=result.already))
    if dry_run:
        output.note(_("dry run: nothing was written"))
    elif result.written:
        output.success(_("Imported {n} electronic receipt(s)").format(n=len(result.matched)))
    else:
        output.note(_("nothing to import"))


TemplateOpt = Annotated[Path | None, typer.Option("--template", help="An edited copy of the template to use")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (default: the screen)")]


def _document(text: str, path: Path | None) -> None:
    if path is None:
        output.data(text)
    else:
        output.write_file(path, text)
        output.success(_("Written to {path}").format(path=path))


@app.command("draft")
def draft(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="票据代码")], number: Annotated[str, typer.Argument(help="票据号码")],
    path: Annotated[Path, typer.Option("--output", "-o", help="The .xlsx file to write")],
) -> None:
    """A printable draft of a receipt (xlsx, one A4 page), to check before filling in the paper form."""
    from charitybook.reports import receipt_draft

    ledger = opt.ledger(ctx)
    found = receipts.show(ledger, code, number)
    receipt_draft.write(found, ledger.meta("name") or "", path)
    output.success(_("Written to {path}").format(path=path))


@app.command("certificate")
def certificate(
    ctx: typer.Context,
    donor: Annotated[str, typer.Option("--donor", callback=opt.clean_name, help="Donor name")],
    year: Annotated[int, typer.Option("--year", "-y", callback=opt.check_year, help="Calendar year")],
    template: TemplateOpt = None, path: OutputOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md or json")] = "md",
) -> None:
    """A year-end 捐赠证明 for a donor: their settled gifts with receipt numbers."""
    from charitybook.errors import UsageError
    from charitybook.reports import receipts as documents

    if fmt not in ("md", "json"):
        raise UsageError(_("--format {value!r}: a certificate is md or json").format(value=fmt))
    context = documents.certificate(opt.ledger(ctx), donor, year)
    if fmt == "json":
        output.emit_json(context)
        return
    _document(documents.render([context], documents.CERTIFICATE, template, None), path)


@app.command("letter")
def letter(
    ctx: typer.Context,
    donor: Annotated[str | None, typer.Option("--donor", callback=opt.clean_name, help="One donor")] = None,
    above: Annotated[str | None, typer.Option("--above", help="Every donor whose gifts of --year are above this amount, in 元")] = None,
    year: opt.YearOpt = None, template: TemplateOpt = None, path: OutputOpt = None,
) -> None:
    """A thank-you letter (感谢信) from an editable template, for one donor or every donor above an amount."""
    from charitybook.errors import UsageError
    from charitybook.money import to_fen
    from charitybook.reports import receipts as documents

    if bool(donor) == bool(above):
        raise UsageError(_("give --donor NAME, or --above AMOUNT --year YEAR"))
    if above and not year:
        raise UsageError(_("--above needs --year"))
    contexts = documents.letters(opt.ledger(ctx), donor, year, to_fen(opt.money(
        above, "--above", negative=_("give the amount the gifts must be above, 0 or more"))) if above else None)
    if not contexts:
        output.note(_("no donor gave more than {amount} 元 in {year}").format(amount=above, year=year))
        return
    _document(documents.render(contexts, documents.LETTER, template, None), path)
