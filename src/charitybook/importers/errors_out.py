"""`--errors-out`: a copy of the sheet with the bad cells highlighted and a 问题说明 column,
to send back to the township."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from charitybook.errors import Problem
from charitybook.excel import safe_text

PROBLEM_HEADER = "问题说明"


def write(path: Path, sheets: list, problems: list[Problem]) -> None:
    """``sheets``: (name, header, raw rows) as read; problems are matched by sheet and row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    bad = PatternFill("solid", fgColor="FFC7CE")
    by_row: dict[tuple, list[Problem]] = defaultdict(list)
    for problem in problems:
        by_row[(problem.source.sheet, problem.source.row)].append(problem)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, header, raw_rows in sheets:
        sheet = workbook.create_sheet(title=(name or "Sheet1")[:31])
        width = max((len(cells) for _number, cells in raw_rows), default=0)
        header_row = header.row if header else None
        for out_row, (row_number, cells) in enumerate(raw_rows, start=1):
            for col, value in enumerate(cells, start=1):
                if value not in ("", None):
                    safe_text(sheet.cell(row=out_row, column=col), value)
            found = by_row.get((name, row_number), [])
            if row_number == header_row:
                sheet.cell(row=out_row, column=width + 1, value=PROBLEM_HEADER).font = Font(bold=True)
            if not found:
                continue
            safe_text(sheet.cell(row=out_row, column=width + 1), "；".join(p.message for p in found))
            for problem in found:
                for column in (header.columns if header else []):
                    if problem.column and column.header == problem.column:
                        sheet.cell(row=out_row, column=column.index + 1).fill = bad
        sheet.column_dimensions[_letter(width + 1)].width = 60
    workbook.save(path)


def _letter(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(number)
