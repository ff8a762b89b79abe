"""One section of a report on one worksheet, laid out to be printed and handed out.

Every sheet starts with two title lines (the association and the report; the section and when the
workbook was made), then the table with a bold total row, then notes and a chart below the table.
Print set-up: A4, fit to the page's width (as many pages down as it takes), the title lines and
the header row repeated on every page, landscape when the table is too wide for portrait, a page
break before a chart that would otherwise be cut, the page number in the footer. One font family,
CJK-capable, on every cell. Amounts are numbers in ¥ format, ratios numbers in % format.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from charitybook.excel import clean, safe_text

FONT = "宋体"  # on every Chinese Windows, in Excel and WPS alike; LibreOffice substitutes a CJK font
YUAN_FORMAT = '"¥"#,##0.00'
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.00%"
TEXT, MONEY, COUNT, PERCENT = "text", "money", "count", "percent"
TITLE_ROWS = 2
HEADER_ROW = TITLE_ROWS + 1
# A4 with 1.8 cm side margins: about this many column-width units across (a unit is 0.2 cm in
# Excel with 宋体, 0.25 cm in LibreOffice's substitute)
PORTRAIT_UNITS, LANDSCAPE_UNITS = 85, 125
CM_PER_UNIT, CM_PER_ROW = 0.21, 0.53
PORTRAIT_ROWS, LANDSCAPE_ROWS = 46, 30      # rows of default height a page holds at 100%
CHART_CM = 7.5
PAGE_CM = {False: 17.0, True: 25.5}            # printable width, portrait and landscape
MAX_WIDTH = 50                              # a wider text wraps


@dataclass(frozen=True)
class Figure:
    """A cell whose kind is its own, not its column's (the headline sheet mixes 元, counts and %):
    ``unit`` follows a count (笔, 户); ``alert`` shows it red and bold (a breached ratio)."""
    value: object
    kind: str = TEXT
    unit: str | tuple[str, str] = ""
    alert: bool = False


@dataclass
class Section:
    title: str
    columns: list[tuple[str, str]]                 # (header, kind)
    rows: list[list]
    total: bool = True                             # a totals row for money and count columns
    chart: str | None = None                       # "bar" | "pie"
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Heading:
    """What every sheet of one workbook says above its table."""
    association: str
    report: str
    made: str          # "制表时间：2025-01-06 09:30"
    total: str         # the total row's label
    footer: str        # "第 &P 页，共 &N 页"


def width(text) -> int:
    """Column-width units a text needs: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def write_section(workbook, section: Section, heading: Heading, name: str) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    sheet = workbook.create_sheet(name)
    edge = Side(style="thin", color="A6A6A6")
    box = Border(left=edge, right=edge, top=edge, bottom=edge)
    font, bold = Font(name=FONT, size=11), Font(name=FONT, size=11, bold=True)
    last_col = len(section.columns)

    _text(sheet.cell(row=1, column=1), f"{heading.association}　{heading.report}", Font(name=FONT, size=14, bold=True))
    _text(sheet.cell(row=2, column=1), section.title, bold)
    _text(sheet.cell(row=2, column=last_col), heading.made, Font(name=FONT, size=10, color="595959"))
    if last_col > 1:
        sheet.cell(row=2, column=last_col).alignment = Alignment(horizontal="right")
    for col, (header, _kind) in enumerate(section.columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col)
        _text(cell, header, Font(name=FONT, size=11, bold=True, color="FFFFFF"))
        cell.fill = PatternFill("solid", fgColor="305496")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box
    row = HEADER_ROW
    for values in section.rows:
        row += 1
        for col, ((_header, kind), value) in enumerate(zip(section.columns, values), start=1):
            cell = sheet.cell(row=row, column=col)
            _put(cell, value, kind, font, bold)
            cell.border = box
    last = data_last = row
    if section.total and section.rows and any(kind in (MONEY, COUNT) for _h, kind in section.columns[1:]):
        last = row = row + 1
        for col, (_header, kind) in enumerate(section.columns, start=1):
            cell = sheet.cell(row=row, column=col)
            if col == 1:
                _text(cell, heading.total, bold)
            elif kind in (MONEY, COUNT):
                value = sum((Decimal(str(_value(line[col - 1]) or 0)) for line in section.rows), Decimal(0))
                _put(cell, value if kind == MONEY else int(value), kind, bold, bold)
            cell.border = box
    widths = _column_widths(sheet, section, heading)
    total_units = sum(widths)
    _fit_rows(sheet, section, widths)
    landscape = total_units > PORTRAIT_UNITS
    end = last
    for offset, note in enumerate(section.notes, start=2):  # a blank row, then the notes
        end = last + offset
        _note(sheet, end, note, last_col, total_units, font)
    if section.chart and section.rows:
        _chart(sheet, section, data_last, end + 2, total_units, landscape)
    _print_setup(sheet, landscape, heading.footer)


def _text(cell, value, font) -> None:
    safe_text(cell, value)
    cell.font = font


def _value(value):
    return value.value if isinstance(value, Figure) else value


def _put(cell, value, kind: str, font, bold) -> None:
    from openpyxl.styles import Alignment, Font

    unit, alert = "", False
    if isinstance(value, Figure):
        value, kind, unit, alert = value.value, value.kind, value.unit, value.alert
    cell.font = Font(name=FONT, size=11, bold=True, color="C00000") if alert else font
    if value is None:
        return
    if kind == MONEY:
        cell.value = Decimal(str(value))
        cell.number_format = YUAN_FORMAT
    elif kind == COUNT:
        cell.value = int(value)
        cell.number_format = _count_format(unit)
    elif kind == PERCENT:  # the context's "36.36" (percent) is the number 0.3636
        cell.value = Decimal(str(value)) / 100
        cell.number_format = PERCENT_FORMAT
    else:
        safe_text(cell, str(value))


def _count_format(unit) -> str:
    """``#,##0 "户"``; a unit given as (one, many) says ``1 gift`` but ``2 gifts``."""
    if not unit:
        return COUNT_FORMAT
    if isinstance(unit, tuple):
        return f'[=1]0 "{unit[0]}";{COUNT_FORMAT} "{unit[1]}"'
    return f'{COUNT_FORMAT} "{unit}"'


def _shown(value, kind: str) -> str:
    """The text a cell shows, for its column's width."""
    unit = ""
    if isinstance(value, Figure):
        value, kind, unit = value.value, value.kind, value.unit
    if value is None:
        return ""
    if kind == MONEY:
        return f"¥{Decimal(str(value)):,.2f}"
    if kind == PERCENT:
        return f"{Decimal(str(value)):.2f}%"
    return f"{value} {unit[-1] if isinstance(unit, tuple) else unit}".strip()


def _column_widths(sheet, section: Section, heading: Heading) -> list[int]:
    from openpyxl.utils import get_column_letter

    widths = []
    for col, (header, kind) in enumerate(section.columns, start=1):
        widest = max([width(header)] + [width(_shown(row[col - 1], kind)) for row in section.rows])
        widths.append(min(MAX_WIDTH, max(9, widest + 3)))
    # the title lines fit over the table: the last column takes up what is missing
    title = max(math.ceil(width(f"{heading.association}　{heading.report}") * 1.35),
                width(section.title) + width(heading.made) + 4)
    widths[-1] += max(0, title - sum(widths))
    for col, units in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = units
    return widths


def _fit_rows(sheet, section: Section, widths: list[int]) -> None:
    """Text wider than its column wraps, and its row is as tall as its lines: neither Excel nor
    LibreOffice grows a row on opening. (Latin letters are narrower than a digit: 0.9.)"""
    from openpyxl.styles import Alignment

    for r, values in enumerate(section.rows, start=HEADER_ROW + 1):
        lines = [math.ceil(width(_shown(value, kind)) * 0.9 / units) for value, (_h, kind), units in zip(values, section.columns, widths)]
        if max(lines, default=1) > 1:
            sheet.row_dimensions[r].height = 15 * max(lines)
            for col, n in enumerate(lines, start=1):
                sheet.cell(row=r, column=col).alignment = Alignment(wrap_text=n > 1, vertical="center")


def _note(sheet, row: int, note: str, last_col: int, total_units: int, font) -> None:
    """A note across the table's width, wrapped: it prints inside the page."""
    from openpyxl.styles import Alignment

    cell = sheet.cell(row=row, column=1)
    _text(cell, note, font)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if last_col > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    lines = math.ceil(width(note) / max(1, total_units - 2))
    sheet.row_dimensions[row].height = 15 * max(1, lines)


def _chart(sheet, section: Section, data_last: int, at_row: int, total_units: int, landscape: bool) -> None:
    """The chart under the table, as wide as the table, on one page: when it would cross a page's
    end, a page break goes before it."""
    from openpyxl.chart import BarChart, PieChart, Reference
    from openpyxl.worksheet.pagebreak import Break

    money_col = max(i for i, (_h, kind) in enumerate(section.columns, start=1) if kind == MONEY)
    chart = BarChart() if section.chart == "bar" else PieChart()
    chart.title = clean(f"{section.title}　{section.columns[money_col - 1][0]}")
    chart.add_data(Reference(sheet, min_col=money_col, min_row=HEADER_ROW, max_row=data_last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=HEADER_ROW + 1, max_row=data_last))
    if section.chart == "bar":
        chart.legend = None
    page_units = LANDSCAPE_UNITS if landscape else PORTRAIT_UNITS
    chart.width = round(min(PAGE_CM[landscape], max(15, total_units * CM_PER_UNIT)), 1)  # never wider than the page
    chart.height = CHART_CM
    chart_rows = math.ceil(CHART_CM / CM_PER_ROW) + 1
    scale = min(1.0, page_units / total_units)
    per_page = int((LANDSCAPE_ROWS if landscape else PORTRAIT_ROWS) / scale)
    if _page_position(at_row, per_page) + chart_rows > per_page:
        sheet.row_breaks.append(Break(id=at_row - 1))
    sheet.add_chart(chart, f"A{at_row}")


def _page_position(row: int, per_page: int) -> int:
    """Where ``row`` falls on its printed page, counting the repeated title rows."""
    if row <= per_page:
        return row
    body = per_page - HEADER_ROW
    return HEADER_ROW + (row - per_page - 1) % body + 1


def _print_setup(sheet, landscape: bool, footer: str) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"1:{HEADER_ROW}"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.7
    margins.top = margins.bottom = 0.75
    sheet.oddFooter.center.text = footer
    sheet.oddFooter.center.font = f"{FONT},Regular"
