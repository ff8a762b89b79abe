"""`charitybook export audit`: the auditor's bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output
from charitybook.i18n import _
from charitybook.services import audit_export

app = typer.Typer(help="Exports: the bundle an auditor opens in Excel.", no_args_is_help=True)


@app.command("audit")
def audit(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", "-y", callback=opt.check_year, help="The year audited")],
    directory: Annotated[Path, typer.Option("--output", "-o", help="A new or empty folder for the bundle")],
    reveal_ids: Annotated[bool, typer.Option("--reveal-ids", help="Write citizen IDs and credit codes in full (logged)")] = False,
    force: Annotated[bool, typer.Option("--force", help="Write into a folder that is not empty (the bundle's files are overwritten)")] = False,
) -> None:
    """Write the year's audit bundle: entries, postings, donations, disbursements, funds, relief,
    import batches, period events and the audit log as CSV, with a manifest and a README.txt."""
    bundle = audit_export.export_audit(opt.ledger(ctx), year, directory, reveal_ids=reveal_ids, force=force,
                                       text_cell=output.csv_text)
    rows = sum(f.rows for f in bundle.files)
    output.success(_("Wrote the {year} audit bundle to {path}: {files} files, {rows} rows (see manifest.csv)").format(
        year=year, path=directory, files=len(bundle.files), rows=rows))
    if reveal_ids:
        output.warn(_("the bundle holds citizen IDs in full; the export is recorded in the audit log"))


def register(app_: typer.Typer) -> None:
    app_.add_typer(app, name="export")
