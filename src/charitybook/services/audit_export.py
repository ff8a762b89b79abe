"""`export audit`: the bundle an auditor opens in Excel -- one CSV per file of
``ledger.exports.AUDIT_FILES``, a manifest (rows and SHA-256 of each file) and a README.txt.

CSV: UTF-8 with a BOM (Excel then reads Chinese), CRLF rows, a header row of column names; money
as 元 with two decimals, dates ISO, cells that would run as formulas written as text (the caller
passes the CLI's ``csv_text``), citizen IDs and credit codes masked unless ``reveal_ids``. Rows are
written as they are read: memory stays flat however large the ledger."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from charitybook.dates import year_bounds
from charitybook.i18n import _
from charitybook.idnumbers import check_char, mask
from charitybook.ledger import Ledger
from charitybook.ledger import exports
from charitybook.money import plain
from charitybook.services import Refused

BOM = "\ufeff"
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
MANIFEST = ("manifest.csv", "manifest.json")


@dataclass(frozen=True)
class BundleFile:
    name: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class Bundle:
    directory: Path
    year: int
    files: tuple[BundleFile, ...]
    revealed: bool


def export_audit(ledger: Ledger, year: int, directory: Path, *, reveal_ids: bool = False, force: bool = False,
                 text_cell: Callable[[str], str] = str) -> Bundle:
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise Refused(_("{path} is a file, not a folder").format(path=directory))
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise Refused(_("{path} is not empty: an audit bundle goes into a new or empty folder").format(path=directory),
                      hint=_("name a new folder, or give --force to write the bundle's files over the ones there"))
    directory.mkdir(parents=True, exist_ok=True)
    with ledger.write():
        ledger.audit("export audit", {"year": year, "output": str(directory), "reveal_ids": reveal_ids})
    start, end = year_bounds(year)
    written = []
    with ledger.read():
        for audit_file in exports.AUDIT_FILES:
            count = _write_csv(directory / audit_file.name, [name for name, _kind in audit_file.columns],
                               _cells(exports.rows(ledger, audit_file, start, end), audit_file, reveal_ids, text_cell))
            written.append(BundleFile(audit_file.name, count, _sha256(directory / audit_file.name)))
    (directory / "README.txt").write_text(BOM + _readme(year, reveal_ids), encoding="utf-8", newline="\r\n")
    written.append(BundleFile("README.txt", 0, _sha256(directory / "README.txt")))
    _manifest(directory, year, written, reveal_ids)
    return Bundle(directory, year, tuple(written), reveal_ids)


def _cells(rows, audit_file: exports.AuditFile, reveal_ids: bool, text_cell):
    kinds = [kind for _name, kind in audit_file.columns]
    for row in rows:
        yield [_cell(value, kind, reveal_ids, text_cell) for value, kind in zip(row, kinds)]


def _cell(value, kind: str, reveal_ids: bool, text_cell) -> object:
    if value is None:
        return ""
    if kind == "money":
        return plain(value)
    if kind == "int":
        return value
    if kind == "id":
        return text_cell(value if reveal_ids else mask(value))
    if kind == "text_ids" and not reveal_ids:
        return text_cell(_ID_IN_TEXT.sub(_mask_found, str(value)))
    return text_cell(str(value))


def _mask_found(match: re.Match) -> str:
    """A citizen ID inside free text (its check character is right) is masked; other long numbers stay."""
    found = match.group(0)
    return mask(found) if check_char(found[:17]) == found[17].upper() else found


def _write_csv(path: Path, header: list[str], rows) -> int:
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest(directory: Path, year: int, files: list[BundleFile], reveal_ids: bool) -> None:
    _write_csv(directory / "manifest.csv", ["file", "rows", "sha256"], ([f.name, f.rows, f.sha256] for f in files))
    body = {"year": year, "ids_revealed": reveal_ids,
            "files": [{"file": f.name, "rows": f.rows, "sha256": f.sha256} for f in files]}
    (directory / "manifest.json").write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _readme(year: int, reveal_ids: bool) -> str:
    lines = [_("Audit bundle of the year {year}, written by charitybook (`charitybook export audit`).").format(year=year), "",
             _("Each .csv file is UTF-8 with a BOM (Excel opens it with Chinese intact); the first row names the columns. "
               "Money is in 元 with two decimals; dates are YYYY-MM-DD; a cell that starts like a formula is written "
               "with a leading ' so that it stays text."),
             _("Citizen ID numbers and credit codes are revealed in full.") if reveal_ids else
             _("Citizen ID numbers and credit codes are masked (e.g. 6110**********1234)."),
             _("manifest.csv and manifest.json give each file's row count and SHA-256: a changed file no longer matches."),
             _("A void reverses the entry in its void_of column; an entry's voided_by column names the void, if any."), ""]
    for audit_file in exports.AUDIT_FILES:
        lines.append(f"{audit_file.name}: {_(audit_file.about)}")
    lines += ["README.txt: " + _("this file"), "manifest.csv, manifest.json: " + _("the list of files, their rows and SHA-256"), ""]
    return "\n".join(lines)
