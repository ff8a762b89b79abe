"""Build spreadsheets inside tests from lists of rows."""

from __future__ import annotations

import codecs
import sqlite3
from pathlib import Path

from charitybook.idnumbers import check_char


def make_id(body17: str) -> str:
    return body17 + check_char(body17)


def xlsx(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None,
         formulas: bool = False) -> Path:
    """An .xlsx written by openpyxl. Text starting with "=" is text, unless ``formulas``: then it is
    a formula, saved as openpyxl saves one, without a value (openpyxl does not calculate)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("=") and not formulas:
                    cell.data_type = "s"  # a township's text, not a formula
        for ref in (merges or {}).get(name, []):
            sheet.merge_cells(ref)
    workbook.save(path)
    return path


def csv_file(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    text = "\r\n".join(",".join("" if v is None else str(v) for v in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def excel_text(path: Path, rows: list[list], encoding: str = "utf-16", delimiter: str = "\t") -> Path:
    """A table as Excel saves it as text: "Unicode Text" is UTF-16 little-endian with a byte-order
    mark (``encoding="utf-16"``), "Text (Tab delimited)" the ANSI code page (``"gbk"``); cells
    separated by tabs, rows ended by CRLF, a line break inside a cell written as LF, and a cell
    holding a tab, a line break, a quote or the delimiter quoted, its quotes doubled."""
    def cell(value) -> str:
        text = "" if value is None else str(value)
        return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in f'\t\n"{delimiter}') else text

    text = "".join(delimiter.join(cell(value) for value in row) + "\r\n" for row in rows)
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le") if encoding == "utf-16" else text.encode(encoding)
    path.write_bytes(data)
    return path


def ole(path: Path, streams: dict[str, bytes]) -> Path:
    """A minimal OLE compound file (CFB v3) holding these streams. Each stream is padded to the
    4096-byte mini-stream cutoff, so no mini stream is needed; no DIFAT, so at most about 7 MB."""
    import struct

    free, end, fat_mark = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    datas = [streams[n].ljust(max(4096, -(-len(streams[n]) // 512) * 512), b"\0") for n in names]
    dir_sectors = -(-(len(names) + 1) // 4)
    data_sectors = sum(len(d) // 512 for d in datas)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + dir_sectors + data_sectors:
        fat_sectors += 1
    fat = [fat_mark] * fat_sectors

    def chain(count):
        start = len(fat)
        fat.extend(range(start + 1, start + count))
        fat.append(end)
        return start

    first_dir = chain(dir_sectors)
    starts = [chain(len(d) // 512) for d in datas]
    fat += [free] * (fat_sectors * 128 - len(fat))

    def entry(name, kind, child, right, start, size):
        encoded = (name + "\0").encode("utf-16-le")
        return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, free, right, child,
                           b"", 0, 0, 0, start, size)

    entries = [entry("Root Entry", 5, 1 if names else free, free, end, 0)]
    for i, (name, data, start) in enumerate(zip(names, datas, starts), 1):
        entries.append(entry(name, 2, free, i + 1 if i < len(names) else free, start, len(data)))
    directory = b"".join(entries).ljust(dir_sectors * 512, b"\0")
    difat = list(range(fat_sectors)) + [free] * (109 - fat_sectors)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII109I", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"", 0x3E, 3, 0xFFFE,
                         9, 6, b"", 0, fat_sectors, first_dir, 0, 4096, end, 0, end, 0, *difat)
    path.write_bytes(header + struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(datas))
    return path


def _record(kind: int, data: bytes = b"") -> bytes:
    import struct

    return struct.pack("<HH", kind, len(data)) + data


def xls(path: Path, sheets: dict[str, list[list]], hidden_rows: dict[str, set[int]] | None = None,
        hidden_sheets: set[str] = frozenset(), password: bool = False) -> Path:
    """A minimal BIFF8 .xls: text and number cells, ROW records (hidden rows: Excel row numbers),
    sheet visibility, and a FILEPASS record when ``password``."""
    import struct

    def bof(kind):
        return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))

    def sheet_stream(rows, hidden):
        out = [bof(0x0010), _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, max(map(len, rows), default=0), 0))]
        for r, cells in enumerate(rows):
            flags = 0x0100 | (0x20 if r + 1 in hidden else 0)
            out.append(_record(0x0208, struct.pack("<HHHHHHHH", r, 0, len(cells), 0xFF, 0, 0, flags, 0x0F)))
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                if isinstance(value, (int, float)):
                    out.append(_record(0x0203, struct.pack("<HHHd", r, c, 0, value)))
                elif value is not None:
                    text = str(value).encode("utf-16-le")
                    out.append(_record(0x0204, struct.pack("<HHHHB", r, c, 0, len(text) // 2, 1) + text))
        return b"".join(out) + _record(0x000A)

    bodies = [sheet_stream(rows, (hidden_rows or {}).get(name, set())) for name, rows in sheets.items()]
    head = [bof(0x0005)] + ([_record(0x002F, struct.pack("<H", 1) + bytes(52))] if password else [])
    bounds_size = sum(4 + 8 + len(name.encode("utf-16-le")) for name in sheets)
    offset = sum(map(len, head)) + bounds_size + 4
    bounds = []
    for (name, _), body in zip(sheets.items(), bodies):
        encoded = name.encode("utf-16-le")
        state = 1 if name in hidden_sheets else 0
        bounds.append(_record(0x0085, struct.pack("<IBBBB", offset, state, 0, len(encoded) // 2, 1) + encoded))
        offset += len(body)
    stream = b"".join(head + bounds) + _record(0x000A) + b"".join(bodies)
    return ole(path, {"Workbook": stream})


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def cells_xml(rows: list[list]) -> str:
    """``<row>`` elements for rows of numbers and inline strings, from row 1."""
    from openpyxl.utils import get_column_letter
    from xml.sax.saxutils import escape

    out = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row, 1):
            ref = f"{get_column_letter(c)}{r}"
            if isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif value is not None:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    return "".join(out)


def package(path: Path, sheet_data: str, strings: str | None = None, *, folder: str = "xl/", sep: str = "/",
            prolog: str = "", dimension: str = "", sheets: dict[str, str] | None = None, root: str = "") -> Path:
    """An .xlsx written part by part: one sheet "S" holding ``sheet_data`` (``<row>`` elements), or
    ``sheets`` (name -> ``<row>`` elements, in order), optionally a shared-strings part (its whole
    XML), the parts under ``folder`` ("" puts them at the zip's root), ``sep`` between the parts
    of every member name (``\\`` as some exporters write them), ``prolog`` before each sheet's root
    element (a DTD), ``root`` a namespace prefix for the sheets' elements ("x" writes
    ``<x:worksheet xmlns:x=...>``; ``sheet_data`` then spells its own tags with it)."""
    import zipfile
    from xml.sax.saxutils import quoteattr

    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    types = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    sheets = {"S": sheet_data} if sheets is None else sheets
    numbers = range(1, len(sheets) + 1)
    p, ns = (f"{root}:", f"xmlns:{root}") if root else ("", "xmlns")
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{folder}workbook.xml" ContentType="{types}.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/{folder}worksheets/sheet{n}.xml" ContentType="{types}.worksheet+xml"/>'
                      for n in numbers)
            + (f'<Override PartName="/{folder}sharedStrings.xml" ContentType="{types}.sharedStrings+xml"/>' if strings else "")
            + "</Types>"),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rels}/officeDocument" Target="{folder}workbook.xml"/></Relationships>'),
        f"{folder}workbook.xml": (
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{rels}"><sheets>'
            + "".join(f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>' for n, name in zip(numbers, sheets))
            + "</sheets></workbook>"),
        f"{folder}_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{n}" Type="{rels}/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in numbers)
            + (f'<Relationship Id="rIdS" Type="{rels}/sharedStrings" Target="sharedStrings.xml"/>' if strings else "")
            + "</Relationships>"),
    }
    for n, data in zip(numbers, sheets.values()):
        parts[f"{folder}worksheets/sheet{n}.xml"] = (
            f'{prolog}<{p}worksheet {ns}="{MAIN_NS}">{dimension}<{p}sheetData>{data}</{p}sheetData></{p}worksheet>')
    if strings:
        parts[f"{folder}sharedStrings.xml"] = strings
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in parts.items():
            archive.writestr(name.replace("/", sep), text.encode())
    return path


def count(cb, table: str) -> int:
    return sqlite3.connect(cb.db).execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def refused(cb, path: Path, *words: str):
    """The import of ``path`` is refused in one line (and a hint) naming the file and ``words``,
    and the ledger holds no donation and no batch."""
    result = cb("import", "donations", path, "--date", "2021-01-01", expect=1)
    assert "Traceback" not in result.stderr and path.name in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2, result.stderr  # one line, and a hint
    for word in words:
        assert word in result.stderr, result.stderr
    assert count(cb, "donations") == 0 and count(cb, "batches") == 0
    return result
