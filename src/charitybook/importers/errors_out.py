"""`--errors-out`: the rows a township must fix, with the bad cells highlighted and a 问题说明
column, to send back to it.

The file leaves the office, so it carries only what is needed to find and fix each row: the
title lines and the header, then for each row with a problem its Excel row number (原行号) and
the columns the import reads (phone numbers excepted) plus any column a problem points at.
Columns the import does not read (a guardian, a diagnosis, anything unmapped) are left out, and
ID numbers are masked as everywhere else: the whole ID column, and anything in another kept cell
(or a problem's text) that looks like an 18- or 15-digit ID.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from charitybook.errors import Problem
from charitybook.excel import clean, safe_text, sheet_title
from charitybook.idnumbers import mask

ROW_HEADER = "原行号"
PROBLEM_HEADER = "问题说明"
DROPPED_FIELDS = (None, "ignored", "phone")   # fields whose columns stay in the office
_ID_LIKE = re.compile(r"(?<!\d)\d{14,17}[\dXx](?!\d)")  # 15 to 18 characters: an ID, whole or mistyped


def write(path: Path, sheets: list, problems: list[Problem]) -> None:
    """``sheets``: (name, header, raw_rows) as read, ``raw_rows`` being (Excel row number, cells).

    ``raw_rows`` may hold every row of the sheet or only the title and header rows and the rows
    that have problems: a row is written only when it is a title or header row (at or above
    ``header.row``) or a problem points at it. A sheet with no problem is left out. ``problems``
    are matched by sheet name and row number; one without a row (``no header row found``) is
    written above the header."""
    from openpyxl import Workbook

    by_sheet: dict[object, list[Problem]] = defaultdict(list)
    for problem in problems:
        by_sheet[problem.source.sheet].append(problem)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, header, raw_rows in sheets:
        if by_sheet.get(name) or (not by_sheet and not workbook.sheetnames):
            sheet = workbook.create_sheet(sheet_title(name or "Sheet1", workbook.sheetnames))
            _write_sheet(sheet, header, raw_rows, by_sheet.get(name, []))
    if not workbook.sheetnames:
        _write_sheet(workbook.create_sheet("Sheet1"), None, [], problems)
    workbook.save(path)


def _write_sheet(sheet, header, raw_rows, problems: list[Problem]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bad, bold = PatternFill("solid", fgColor="FFC7CE"), Font(bold=True)
    last_header = header.row if header else 0
    by_row: dict[int, list[Problem]] = defaultdict(list)
    notes = []
    for problem in problems:
        if problem.source.row is None or problem.source.row <= last_header:
            notes.append(problem)
        else:
            by_row[problem.source.row].append(problem)
    pointed = {problem.column for problem in problems if problem.column}
    kept = [c for c in (header.columns if header else [])
            if c.header and (c.field not in DROPPED_FIELDS or c.header in pointed)]
    place = {c.index: position for position, c in enumerate(kept, start=2)}  # original column -> output column
    problem_col = len(kept) + 2
    titles = {number for number, _line in header.rows_above} if header else set()

    header_rows, title_rows, cells_of = [], [], {}
    for number, cells in raw_rows:
        if number in titles:
            title_rows.append(cells)
        elif number <= last_header:
            if any(cell not in (None, "") for cell in cells):
                header_rows.append((number, cells))
        elif number in by_row:
            cells_of[number] = cells
    if header and not any(number == last_header for number, _cells in header_rows):
        header_rows.append((last_header, [c.header for c in header.columns]))  # header rows not passed: rebuild

    out = 0
    for cells in title_rows:
        text = " ".join(dict.fromkeys(str(cell) for cell in cells if cell not in (None, "")))  # a merged title once
        out += 1
        safe_text(sheet.cell(row=out, column=1), _masked_text(text))
    for problem in notes:
        out += 1
        safe_text(sheet.cell(row=out, column=1), f"{PROBLEM_HEADER}：{_masked_text(_note(problem))}")
        sheet.cell(row=out, column=1).font = Font(bold=True, color="C00000")
    for number, cells in header_rows:
        out += 1
        for c in kept:
            cell = sheet.cell(row=out, column=place[c.index])
            value = cells[c.index] if c.index < len(cells) else None
            if value not in (None, ""):
                safe_text(cell, _masked_text(str(value)))
            cell.font = bold
            if any(problem.column == c.header for problem in notes):
                cell.fill = bad
        if number == last_header:
            for column, label in ((1, ROW_HEADER), (problem_col, PROBLEM_HEADER)):
                safe_text(sheet.cell(row=out, column=column), label)
                sheet.cell(row=out, column=column).font = bold
    first_data = out + 1
    for number in sorted(by_row):
        out += 1
        found = by_row[number]
        cells = cells_of.get(number, [])
        sheet.cell(row=out, column=1, value=number)
        for c in kept:
            value = cells[c.index] if c.index < len(cells) else None
            target = sheet.cell(row=out, column=place[c.index])
            if value not in (None, ""):
                safe_text(target, _masked(value, c.field == "id_number"))
            if any(problem.column == c.header for problem in found):
                target.fill = bad
        note = sheet.cell(row=out, column=problem_col)
        safe_text(note, "；".join(_masked_text(_note(problem)) for problem in found))
        note.alignment = Alignment(wrap_text=True, vertical="top")
    _widths(sheet, kept, header_rows, problem_col)
    if header:
        sheet.freeze_panes = sheet.cell(row=first_data, column=2)


def _note(problem: Problem) -> str:
    return f"{problem.column}：{problem.message}" if problem.column else problem.message


def _masked(value, is_id: bool):
    """A cell as the township may see it again: an ID column masked whole, and anything else
    that looks like an ID number masked where it stands."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        digits = _digits(value)
        if is_id or (digits and 15 <= len(digits) <= 18):
            return mask(digits or str(value))
        return value
    if not isinstance(value, str) and not is_id:
        return value  # a date, a time, a yes/no
    if is_id:
        return mask(unicodedata.normalize("NFKC", str(value)).strip())
    return _masked_text(value)


def _digits(number) -> str | None:
    """An integral number's digits (an ID typed into a numeric cell), else None."""
    try:
        if number == int(number):
            return str(abs(int(number)))
    except (OverflowError, ValueError):  # inf, NaN
        pass
    return None


def _masked_text(text: str) -> str:
    return _ID_LIKE.sub(lambda match: mask(match.group(0)), clean(text))


def _widths(sheet, kept, header_rows, problem_col: int) -> None:
    from openpyxl.utils import get_column_letter

    sheet.column_dimensions["A"].width = 8
    for position, c in enumerate(kept, start=2):
        texts = [str(cells[c.index]) for _n, cells in header_rows if c.index < len(cells) and cells[c.index]]
        widest = max([_width(text) for text in texts] or [8])
        sheet.column_dimensions[get_column_letter(position)].width = min(40, max(10, widest + 4))
    sheet.column_dimensions[get_column_letter(problem_col)].width = 60


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
