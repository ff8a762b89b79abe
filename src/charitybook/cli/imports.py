"""`charitybook import donations|relief FILE`."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output, problems
from charitybook.cli.output import Column
from charitybook.dates import local_time
from charitybook.errors import CharitybookError, UsageError
from charitybook.i18n import N_, _
from charitybook.money import yuan
from charitybook.vocabulary import CHANNELS, COUNT_BY, HOLIDAYS, IMPORT_KINDS, PLATFORMS, RELIEF_CATEGORIES

import_app = typer.Typer(help="Import the spreadsheets townships send (xlsx, xls, csv).", no_args_is_help=True)

FileArg = Annotated[Path, typer.Argument(help="The township's file: .xlsx, .xlsm, .xls or .csv (UTF-8 or GB18030)")]
SheetOpt = Annotated[str | None, typer.Option("--sheet", callback=opt.clean_name, help="Import this sheet only")]
AllSheetsOpt = Annotated[bool, typer.Option("--all-sheets", help="Import every sheet (a sheet's name is its township when it has no township column)")]
MapOpt = Annotated[list[str] | None, typer.Option("--map", help="Map a header to a field: '表头=field' (repeatable)")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show what would happen; write nothing")]
SkipOpt = Annotated[bool, typer.Option("--skip-invalid", help="Import the valid rows and list the rest")]
ErrorsOutOpt = Annotated[Path | None, typer.Option("--errors-out", help="Write a copy with bad cells marked and a 问题说明 column (.xlsx)")]
ReplaceOpt = Annotated[int | None, typer.Option("--replace", help="This file corrects batch N: void N's entries and import this, in one go")]
ImportDateOpt = Annotated[str | None, typer.Option("--date", "-d", help="Date for rows that carry none")]
HiddenOpt = Annotated[bool, typer.Option("--include-hidden", help="Also import rows and sheets hidden in Excel (skipped and listed otherwise)")]
MapValueOpt = Annotated[list[str] | None, typer.Option("--map-value", help="Map a value the tables do not know: 'field:value=meaning', e.g. 'donor_type:机关单位=机关事业单位' (repeatable)")]
HeaderRowOpt = Annotated[int | None, typer.Option("--header-row", min=1, help="The header is on this row (when it is not found)")]
SheetTownshipOpt = Annotated[bool, typer.Option("--sheet-is-township", help="Each sheet's name is its township (else only a township the ledger knows)")]


NewRowsOpt = Annotated[bool, typer.Option("--new-rows", help="Rows like those of an earlier batch are new gifts all the same (not a corrected copy)")]
ProfileOpt = Annotated[str | None, typer.Option("--profile", callback=opt.clean_name, help="Import with a saved or built-in profile (see `import profiles`)")]
SaveProfileOpt = Annotated[str | None, typer.Option("--save-profile", callback=opt.clean_name, help="If the import works, save its options as this profile")]


def _given(*, date, confirm_date, maps, map_values, **values) -> dict:
    """What the clerk typed, as the keys a profile keeps (``services.import_profiles.KEPT``)."""
    return {"date": opt.date(date, default_today=False, confirmed=confirm_date).isoformat() if date else None,
            "maps": maps or [], "value_maps": map_values or [], **values}


def _run(ctx, path: Path, kind: str, given: dict, *, profile: str | None, save_profile: str | None,
         errors_out: Path | None, dry_run: bool, skip_invalid: bool, replace: int | None, confirm_date: bool,
         new_rows: bool, year: int | None = None, new_project: bool = False, new_township: bool = False) -> None:
    from charitybook.importers.read import display_name
    from charitybook.services import import_profiles
    from charitybook.services.imports import ImportFailed, import_file, options_from

    if errors_out is not None and errors_out.suffix.lower() != ".xlsx":
        raise UsageError(_("--errors-out needs a .xlsx path"))
    if errors_out is not None and errors_out.exists() and path.exists() and errors_out.resolve() == path.resolve():
        raise UsageError(_("--errors-out {path} is the file being imported: write the marked-up copy elsewhere").format(
            path=display_name(errors_out)))
    if not path.is_file():
        raise CharitybookError(_("no file {path}").format(path=display_name(path)))
    if given.get("sheet") and given.get("all_sheets"):
        raise UsageError(_("give --sheet or --all-sheets, not both"))
    ledger = opt.ledger(ctx)
    values = import_profiles.merged(import_profiles.load(ledger, profile, kind) if profile else {}, given)
    options = options_from(kind, values, dry_run=dry_run, skip_invalid=skip_invalid, replace=replace,
                           confirm_dates=confirm_date, year=year, new_rows=new_rows, new_project=new_project,
                           new_township=new_township)
    shown = display_name(path)
    stages = {"reading": _("Reading {file}").format(file=shown), "writing": _("Writing {file}").format(file=shown)}
    try:
        with output.progress(stages["reading"], stages) as tick:  # gone from the screen before anything is said
            report = import_file(ledger, path, options, tick)
    except ImportFailed as failure:
        _summary(failure.report, failed=True)
        if errors_out:
            _write_errors(path, errors_out, failure.report)
        if save_profile:
            output.warn(_("profile {name} not saved: the file did not import").format(name=save_profile))
        raise
    _report(report, path, errors_out, skip_invalid)
    if save_profile and not report.problem_count and not report.already:
        version = import_profiles.save(ledger, save_profile, kind, values)
        output.success(_("Saved import profile {name} (version {version}): import such files with --profile {name}").format(
            name=save_profile, version=version))


def _report(report, path: Path, errors_out: Path | None, skip_invalid: bool) -> None:
    if report.already:
        b = report.already
        output.success(_("{file} was already imported on {when} as batch #{id} ({how}, {rows} rows); nothing added").format(
            file=report.file, when=local_time(b["imported_at"]), id=b["id"], how=b["how"], rows=b["rows"]))
        return
    _summary(report)
    blocking = report.dry_run and not skip_invalid  # with --skip-invalid, a row with a problem is left out, not fatal
    if report.problems:
        problems.show(report.problems, report.problem_count, blocking=blocking)
        if errors_out:
            _write_errors(path, errors_out, report)
    for warning in report.warnings:
        output.warn(warning)
    if report.dry_run:
        _dry_run_verdict(report, blocking)
        return
    if report.nothing_new:
        output.success(_("{file}: nothing new to import; nothing was written").format(file=report.file))
        return
    note = _(", {n} invalid row(s) skipped").format(n=f"{report.problem_count:,}") if report.problem_count else ""
    replaced = _(", replacing batch #{id}").format(id=report.replaced["id"]) if report.replaced else ""
    output.success(_("Imported {n} row(s) from {file} as batch #{batch}{replaced}{note}").format(
        n=f"{report.imported:,}", file=report.file, batch=report.batch_id, replaced=replaced, note=note))
    if report.problem_count:
        output.warn(_("when the corrected file comes back, import it with --replace {batch} "
                      "(importing it without would add these rows a second time)").format(batch=report.batch_id))


def _dry_run_verdict(report, blocking: bool) -> None:
    """A dry run's last line: would the import succeed, and what would it do."""
    if blocking and report.problem_count:
        output.error(_("Dry run: the import would fail — {n} problem(s) must be fixed first; nothing was written").format(
            n=f"{report.problem_count:,}"))
        raise typer.Exit(1)
    if report.problem_count and not report.imported:
        output.error(_("Dry run: the import would fail — every row has a problem; nothing was written"))
        raise typer.Exit(1)
    if report.problem_count:
        output.line(_("Dry run: {n} row(s) would be imported and {skipped} row(s) with problems left out; "
                      "nothing was written").format(n=f"{report.imported:,}", skipped=f"{report.problem_count:,}"), "bold yellow")
    elif report.nothing_new or not report.imported:
        output.line(_("Dry run: nothing new would be imported; nothing was written"), "bold")
    else:
        output.line(_("Dry run: {n} row(s) would be imported: the import would succeed; nothing was written").format(
            n=f"{report.imported:,}"), "bold green")


def _summary(report, failed: bool = False) -> None:
    """What was read, sheet by sheet; ``failed``: the import was refused (nothing was written, so
    there is no count of rows imported, only of rows read)."""
    from charitybook.services.imports import SKIPPED, field_name

    if report.replaced:
        r = report.replaced
        output.line(_("replaces batch #{id}: its {n} standing entries (cash {cash} 元, goods {goods} 元) are voided").format(
            id=r["id"], n=r["entries"], cash=yuan(r["cash_fen"]), goods=yuan(r["goods_fen"])), "yellow")
    for name in report.hidden_sheets:
        output.line(_("sheet {name}: hidden in Excel, not imported (unhide it, or use --include-hidden)").format(name=name), "yellow")
    for sheet in report.sheets:
        where = _("sheet {name}").format(name=sheet.name) if sheet.name else report.file
        if sheet.header is None:
            output.line(_("{where}: no header row found").format(where=where), "yellow")
            continue
        header = sheet.header
        output.line(_("{where}: header at row {row}, amounts in {unit}").format(where=where, row=header.row, unit=header.unit), "bold")
        mapped = [f"{c.header}→{field_name(c.field)}" + (f" ({_unit_of(c.scale)})" if c.scale != 1 else "") for c in header.columns
                  if c.field and c.field != "ignored"]
        unmapped = [c.header for c in header.columns if c.header and not c.field]
        output.line("  " + _("columns: ") + ", ".join(mapped))
        if unmapped:
            output.line("  " + _("not used: ") + ", ".join(unmapped), "dim")
        skipped = ", ".join(f"{count} {_(SKIPPED.get(kind, kind))}" for kind, count in sorted(sheet.skipped.items()))
        skipped = _("; skipped: ") + skipped if skipped else ""
        if failed:
            output.line("  " + _("rows read: {read}{skipped}; nothing was imported").format(
                read=f"{sheet.rows_read:,}", skipped=skipped))
        else:
            output.line("  " + _("rows read: {read}; valid: {imported}; cash {cash} 元; goods {goods} 元{skipped}").format(
                read=f"{sheet.rows_read:,}", imported=f"{sheet.imported:,}", cash=yuan(sheet.totals["cash"]),
                goods=yuan(sheet.totals["goods"]), skipped=skipped))
        if sheet.totals["pass_through"] and not failed:
            output.line("  " + _("of them pass-through gifts (受托代理), held for the recipients they name and not "
                                 "counted above: {amount} 元").format(amount=yuan(sheet.totals["pass_through"])))
        if sheet.duplicates:
            output.line("  " + _("already in the ledger: {n} row(s) with the same order/serial number and the same gift "
                                 "(cash {cash} 元, goods {goods} 元), skipped").format(
                n=sheet.skipped["duplicate reference"], cash=yuan(sheet.duplicates["cash"]), goods=yuan(sheet.duplicates["goods"])), "yellow")
        for (name, written, meant), rows in sorted(sheet.mapped_values.items()):
            output.line("  " + _("value mapped: {field} {written} → {meant} ({n} row(s))").format(
                field=name, written=written, meant=meant, n=f"{rows:,}"), "dim")
        if sheet.sheet_not_township:
            output.line("  " + _("the sheet's name {name} is no registered station: its rows get no township (give "
                                 "--township, or register it with `charitybook station add {name}`)").format(name=sheet.name), "yellow")
        if sheet.hidden_rows:
            output.line("  " + _("hidden in Excel, not imported: {n} row(s) ({rows}); unhide them or use --include-hidden").format(
                n=len(sheet.hidden_rows), rows=_row_list(sheet.hidden_rows)), "yellow")


def _unit_of(scale) -> str:
    return {"10000": "万元", "0.01": "分"}.get(str(scale.normalize()), f"×{scale}")


def _row_list(numbers: list[int], most: int = 10) -> str:
    shown = ", ".join(str(n) for n in numbers[:most])
    return shown + (", …" if len(numbers) > most else "")


def _write_errors(path: Path, target: Path, report) -> None:
    from charitybook.services.imports import write_errors_out

    write_errors_out(path, report, target)
    output.warn(_("marked-up copy written to {path}").format(path=target))


@import_app.command("donations")
def import_donations(
    ctx: typer.Context, path: FileArg, date: ImportDateOpt = None, township: opt.TownshipOpt = None,
    new_township: opt.NewTownshipOpt = False, fund: opt.FundOpt = None, project: opt.ProjectOpt = None,
    new_project: opt.NewProjectOpt = False,
    channel: Annotated[str | None, opt.term(CHANNELS, "--channel", help=N_("The channel of rows without a channel column: {values}"))] = None,
    platform: Annotated[str | None, opt.term(PLATFORMS, "--platform", open_ended=True, help=N_("The rows are online gifts through this platform: {values}"))] = None,
    campaign: Annotated[str | None, typer.Option("--campaign", callback=opt.clean_name, help="The fundraising campaign, e.g. 2021年99公益日")] = None,
    match_donor: Annotated[str | None, typer.Option("--match-donor", callback=opt.clean_name, help="Who gave the matched funds (配捐) column, e.g. 腾讯公益慈善基金会")] = None,
    sheet: SheetOpt = None, all_sheets: AllSheetsOpt = False, maps: MapOpt = None, map_values: MapValueOpt = None,
    header_row: HeaderRowOpt = None, sheet_is_township: SheetTownshipOpt = False, profile: ProfileOpt = None,
    save_profile: SaveProfileOpt = None, dry_run: DryRunOpt = False, skip_invalid: SkipOpt = False,
    errors_out: ErrorsOutOpt = None, replace: ReplaceOpt = None, include_hidden: HiddenOpt = False,
    confirm_date: opt.ConfirmDateOpt = False, new_rows: NewRowsOpt = False,
) -> None:
    """Import a file of cash and in-kind donations."""
    given = _given(date=date, confirm_date=confirm_date, maps=maps, map_values=map_values, township=township, fund=fund,
                   project=project, channel=channel, platform=platform, campaign=campaign, match_donor=match_donor,
                   sheet=sheet, all_sheets=all_sheets, header_row=header_row, sheet_is_township=sheet_is_township,
                   include_hidden=include_hidden)
    _run(ctx, path, "donations", given, profile=profile, save_profile=save_profile, errors_out=errors_out,
         dry_run=dry_run, skip_invalid=skip_invalid, replace=replace, confirm_date=confirm_date, new_rows=new_rows,
         new_project=new_project, new_township=new_township)


@import_app.command("relief")
def import_relief(
    ctx: typer.Context, path: FileArg,
    holiday: Annotated[str | None, opt.term(HOLIDAYS, "--holiday", open_ended=True, help=N_("Holiday roster: {values}"))] = None,
    category: Annotated[str | None, opt.term(RELIEF_CATEGORIES, "--category", open_ended=True, help=N_("Relief roster of this category: {values}"))] = None,
    year: Annotated[int | None, typer.Option("--year", callback=opt.check_year, help="Holiday campaign year (default: each row's date)")] = None,
    count_by: Annotated[str | None, opt.term(COUNT_BY, "--count-by", help=N_("Count recipients by {values} (default: household when the roster has 户主/家庭人口)"))] = None,
    goods_item: Annotated[str | None, typer.Option("--goods-item", callback=opt.clean_name, help="The goods in stock a roster's 慰问品 come out of, when it names no item (e.g. 米面油)")] = None,
    date: ImportDateOpt = None, township: opt.TownshipOpt = None, new_township: opt.NewTownshipOpt = False,
    fund: opt.FundOpt = None, project: opt.ProjectOpt = None,
    sheet: SheetOpt = None, all_sheets: AllSheetsOpt = False, maps: MapOpt = None, map_values: MapValueOpt = None,
    header_row: HeaderRowOpt = None, sheet_is_township: SheetTownshipOpt = False, profile: ProfileOpt = None,
    save_profile: SaveProfileOpt = None, dry_run: DryRunOpt = False, skip_invalid: SkipOpt = False,
    errors_out: ErrorsOutOpt = None, replace: ReplaceOpt = None, include_hidden: HiddenOpt = False,
    confirm_date: opt.ConfirmDateOpt = False, new_rows: NewRowsOpt = False,
) -> None:
    """Import a roster (花名册): each row a holiday gift (--holiday) or a relief payment (--category)."""
    if holiday and category:
        raise UsageError(_("give --holiday (e.g. 春节) or --category (e.g. 助学), not both"))
    if not (holiday or category or profile):
        raise UsageError(_("give --holiday (e.g. 春节) or --category (e.g. 助学)"))
    given = _given(date=date, confirm_date=confirm_date, maps=maps, map_values=map_values, township=township, fund=fund,
                   project=project, goods_item=goods_item, holiday=holiday, category=category, count_by=count_by,
                   sheet=sheet, all_sheets=all_sheets, header_row=header_row, sheet_is_township=sheet_is_township,
                   include_hidden=include_hidden)
    _run(ctx, path, "relief", given, profile=profile, save_profile=save_profile, errors_out=errors_out,
         dry_run=dry_run, skip_invalid=skip_invalid, replace=replace, confirm_date=confirm_date, new_rows=new_rows,
         year=year, new_township=new_township)


@import_app.command("profiles")
def import_profiles_list(ctx: typer.Context, fmt: opt.FormatOpt = opt.Format.table) -> None:
    """Import profiles: the built-in ones (online platforms, bank statements) and those saved in the ledger."""
    from charitybook.services import import_profiles

    columns = [Column("name", _("Profile")), Column("kind", _("Kind"), terms=IMPORT_KINDS), Column("version", _("Version"), kind="int"),
               Column("built_in", _("Built in"), kind="bool"), Column("about", _("What it reads")),
               Column("saved_at", _("Saved"), kind="time")]
    output.render(import_profiles.list_profiles(opt.ledger(ctx)), columns, fmt.value, _("Import profiles"))


@import_app.command("profile")
def import_profile_show(ctx: typer.Context, name: Annotated[str, typer.Argument(callback=opt.clean_name, help="Profile name")],
                        fmt: opt.FormatOpt = opt.Format.table) -> None:
    """One import profile: its mappings and defaults."""
    from charitybook.services import import_profiles

    profile = import_profiles.show(opt.ledger(ctx), name)
    if fmt == opt.Format.json:
        output.emit_json(profile)
        return
    output.record([(_("profile"), profile["name"]), (_("kind"), IMPORT_KINDS.label(profile["kind"])), (_("version"), profile["version"]),
                   (_("what it reads"), profile["about"]), (_("source"), profile["source"]),
                   (_("saved"), local_time(profile["saved_at"]))])
    for key, value in profile["options"].items():
        for item in (value if isinstance(value, list) else [value]):
            output.line(f"  {key}: {item}")


@import_app.command("batches")
def import_batches(ctx: typer.Context, fmt: opt.FormatOpt = opt.Format.table) -> None:
    """Import batches: file, sheets, options, rows, and which batch replaced which."""
    from charitybook.services.imports import list_batches

    rows = list_batches(opt.ledger(ctx))
    if fmt != opt.Format.table:
        columns = [Column("id", "#", kind="int"), Column("kind", _("Kind"), terms=IMPORT_KINDS), Column("file", _("File"), "file_name"),
                   Column("sheets", _("Sheets")), Column("rows", _("Rows"), kind="int"), Column("imported_at", _("Imported")),
                   Column("replaces", _("Replaces"), kind="int"), Column("replaced_by", _("Replaced by"), kind="int")]
        output.render(rows, columns, fmt.value)
        return
    shown = [{**row, "sheets": _sheets_text(row["sheets"]), "options": _options_text(row["options"])} for row in rows]
    columns = [Column("id", "#", kind="int"), Column("kind", _("Kind"), terms=IMPORT_KINDS), Column("file", _("File"), "file_name"),
               Column("sheets", _("Sheets")), Column("options", _("Options")), Column("rows", _("Rows"), kind="int"),
               Column("imported_at", _("Imported"), kind="time"), Column("replaces", _("Replaces"), kind="int"),
               Column("replaced_by", _("Replaced by"), kind="int")]
    output.render(shown, columns, fmt.value, _("Import batches"))


def _sheets_text(stored: str | None) -> str:
    """The sheets a batch read, as a list of names (a CSV file has none)."""
    try:
        names = json.loads(stored) if stored else []
    except ValueError:
        return stored or ""
    return ", ".join(str(name) for name in (names if isinstance(names, list) else [names]) if name)


def _options_text(stored: str | None) -> str:
    """The options a batch was imported with, written as they are typed (``--date 2021-09-09
    --all-sheets``); an import with a profile names it, and its mappings are the profile's."""
    try:
        values = json.loads(stored) if stored else {}
    except ValueError:
        return stored or ""
    if not isinstance(values, dict):
        return str(values)
    words = []
    profile = values.get("profile")
    if profile:
        words.append(f"--profile {profile}")
    for key, value in values.items():
        if key == "profile" or (profile and key in _PROFILE_KEYS):
            continue
        option = {"maps": "--map", "value_maps": "--map-value"}.get(key, "--" + key.replace("_", "-"))
        if key in _OPTION_TERMS and isinstance(value, str):
            value = _OPTION_TERMS[key].label(value)   # typed back in the run's language: the option takes both
        if value is True:
            words.append(option)
        elif isinstance(value, list):
            words.extend(f"{option} {_typed(item)}" for item in value)
        elif value not in (None, False, ""):
            words.append(f"{option} {_typed(value)}")
    return " ".join(words)


_OPTION_TERMS = {"channel": CHANNELS, "count_by": COUNT_BY}


def _typed(value) -> str:
    """A value as it would be typed in a shell: quoted only when it must be."""
    text = str(value)
    return shlex.quote(text) if not text or re.search(r"[\s'\"\\$`|&;<>()*?#!~]", text) else text


_PROFILE_KEYS = {"maps", "value_maps", "only_paid"}   # what a profile holds that no option sets on its own


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")


