"""Excel through openpyxl: one sheet per section, ¥ number formats, frozen headers, widths that
fit Chinese text, native charts. User text is always written as text (never a formula)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from charitybook.excel import clean, safe_text, sheet_title
from charitybook.reports.labels import LABELS

YUAN_FORMAT = '"¥"#,##0.00'
TEXT, MONEY, COUNT = "text", "money", "count"


@dataclass
class Section:
    title: str
    columns: list[tuple[str, str]]                 # (header, kind)
    rows: list[list]
    total: bool = True                             # a totals row for money and count columns
    chart: str | None = None                       # "bar" | "pie"
    notes: list[str] = field(default_factory=list)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def write(context: dict, lang: str, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    workbook.remove(workbook.active)
    head_font, head_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="305496")
    for section in SECTIONS[context["report"]](context, LABELS[lang]):
        sheet = workbook.create_sheet(sheet_title(section.title, workbook.sheetnames))
        for col, (header, _kind) in enumerate(section.columns, start=1):
            cell = sheet.cell(row=1, column=col)
            safe_text(cell, header)
            cell.font, cell.fill = head_font, head_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for r, values in enumerate(section.rows, start=2):
            for col, ((_header, kind), value) in enumerate(zip(section.columns, values), start=1):
                _put(sheet.cell(row=r, column=col), value, kind)
        last = len(section.rows) + 1
        if section.total and section.rows and any(kind != TEXT for _h, kind in section.columns[1:]):
            total_row = last + 1
            safe_text(sheet.cell(row=total_row, column=1), "合计" if lang == "zh" else "Total")
            for col, (_header, kind) in enumerate(section.columns, start=1):
                if col > 1 and kind in (MONEY, COUNT):
                    value = sum((Decimal(str(row[col - 1] or 0)) for row in section.rows), Decimal(0))
                    _put(sheet.cell(row=total_row, column=col), value if kind == MONEY else int(value), kind)
                sheet.cell(row=total_row, column=col).font = Font(bold=True)
        for offset, note in enumerate(section.notes, start=last + 3):
            safe_text(sheet.cell(row=offset, column=1), note)
        sheet.freeze_panes = "A2"
        for col, (header, kind) in enumerate(section.columns, start=1):
            widest = max([_width(header)] + [_width(_shown(row[col - 1], kind)) for row in section.rows])
            sheet.column_dimensions[_letter(col)].width = min(60, max(10, widest + 4))
        if section.chart and section.rows:
            _chart(sheet, section, last)
    workbook.save(path)


def _shown(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == MONEY:
        return f"¥{Decimal(str(value)):,.2f}"
    return str(value)


def _put(cell, value, kind: str) -> None:
    if value is None:
        return
    if kind == MONEY:
        cell.value = Decimal(str(value))
        cell.number_format = YUAN_FORMAT
    elif kind == COUNT:
        cell.value = int(value)
    else:
        safe_text(cell, str(value))


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _chart(sheet, section: Section, last_row: int) -> None:
    from openpyxl.chart import BarChart, PieChart, Reference

    money_col = max(i for i, (_h, kind) in enumerate(section.columns, start=1) if kind == MONEY)
    data = Reference(sheet, min_col=money_col, min_row=1, max_row=last_row)
    labels = Reference(sheet, min_col=1, min_row=2, max_row=last_row)
    chart = BarChart() if section.chart == "bar" else PieChart()
    chart.title = clean(section.title)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    chart.width, chart.height = 18, 9
    sheet.add_chart(chart, f"{_letter(len(section.columns) + 2)}2")


# --- sections per report ------------------------------------------------------------------

def _money_table(title, t, rows, key, label_header, label=lambda v: v, chart=None):
    return Section(title, [(label_header, TEXT), (t["count_h"], COUNT), (t["cash_h"], MONEY), (t["goods_h"], MONEY),
                           (t["amount_h"], MONEY)],
                   [[label(r[key]) or t["none"], r["count"], r["cash"], r["goods"], r["amount"]] for r in rows], chart=chart)


def _holiday_sections(holidays: list[dict], t: dict) -> list[Section]:
    sections = [Section(t["sheet"]["holiday"], [(t["holiday_h"], TEXT), (t["recipients_h"], COUNT), ("", TEXT),
                                                (t["cash_h"], MONEY), (t["goods_h"], MONEY), (t["total_h"], MONEY)],
                        [[f"{h['year']} {h['holiday']}", h["recipients"], t["unit"][h["unit"]], h["cash"], h["goods"], h["total"]]
                         for h in holidays])]
    for h in holidays:
        sections.append(Section(f"{h['holiday']} {t['sheet']['township']}",
                                [(t["township_h"], TEXT), (t["recipients_h"], COUNT), (t["cash_h"], MONEY),
                                 (t["goods_h"], MONEY), (t["total_h"], MONEY)],
                                [[r["township"] or t["none"], r["recipients"], r["cash"], r["goods"], r["total"]] for r in h["by_township"]]))
        sections.append(Section(f"{h['holiday']} {t['hardship_h']}",
                                [(t["hardship_h"], TEXT), (t["recipients_h"], COUNT), (t["cash_h"], MONEY),
                                 (t["goods_h"], MONEY), (t["total_h"], MONEY)],
                                [[r["hardship_type"] or t["none"], r["recipients"], r["cash"], r["goods"], r["total"]]
                                 for r in h["by_hardship_type"]]))
    return sections


def _fund_section(funds: list[dict], t: dict) -> Section:
    return Section(t["sheet"]["funds"], [(t["fund_h"], TEXT), (t["kind_h"], TEXT), (t["opening_h"], MONEY), (t["in_h"], MONEY),
                                         (t["out_h"], MONEY), (t["closing_h"], MONEY), (t["goods_h"], MONEY), (t["principal_h"], MONEY)],
                   [[f["fund"], t["kind"][f["kind"]], f["opening_cash"], f["in_cash"], f["out_cash"], f["cash"], f["goods"], f["principal"]]
                    for f in funds])


def _compliance_section(c: dict, t: dict) -> Section:
    rows = [[t["purpose"][k], None, None, c["spending"][k], None] for k in ("charitable", "management", "fundraising", "total")]
    rows += [[t["rule"][x["rule"]].format(threshold=x["threshold_percent"]), x["percent"], t["status"][x["status"]], x["actual"], x["base"]]
             for x in c["checks"]]
    return Section(t["sheet"]["compliance"], [(t["rule_h"], TEXT), (t["percent_h"], TEXT), (t["status_h"], TEXT),
                                              (t["actual_h"], MONEY), (t["base_h"], MONEY)], rows, total=False)


def _annual(context: dict, t: dict) -> list[Section]:
    r, relief = context["receipts"], context["relief"]
    summary = Section(t["sheet"]["summary"], [(t["line_h"], TEXT), (t["amount_h"], MONEY), (t["count_h"], COUNT)], [
        [t["sheet"]["summary"] + " " + str(context["year"]), r["total"], r["count"]],
        [t["cash_h"], r["cash"], None], [t["goods_h"], r["goods"], None], [t["channel"]["online"], r["online"], None],
        [t["sheet"]["relief"], relief["total"], None],
    ], total=False)
    return [
        summary,
        _money_table(t["sheet"]["channel"], t, r["by_channel"], "channel", t["channel_h"], lambda v: t["channel"].get(v, v)),
        _money_table(t["sheet"]["donor_type"], t, r["by_donor_type"], "donor_type", t["donor_type_h"]),
        _money_table(t["sheet"]["township"], t, r["by_township"], "township", t["township_h"]),
        _money_table(t["sheet"]["month"], t, r["by_month"], "month", t["month_h"], chart="bar"),
        _money_table(t["sheet"]["project"], t, r["by_project"], "project", t["project_h"]),
        _money_table(t["sheet"]["top"], t, r["top_donors"], "donor", t["donor_h"]),
        Section(t["sheet"]["relief"], [(t["category_h"], TEXT), (t["recipients_h"], COUNT), (t["cash_h"], MONEY),
                                       (t["goods_h"], MONEY), (t["amount_h"], MONEY)],
                [[x["category"], x["recipients"], x["cash"], x["goods"], x["amount"]] for x in relief["by_category"]], chart="bar"),
        *_holiday_sections(relief["holidays"], t),
        _fund_section(context["funds"], t),
        _compliance_section(context["compliance"], t),
    ]


def _donor(context: dict, t: dict) -> list[Section]:
    return [Section(t["sheet"]["gifts"], [(t["date_h"], TEXT), (t["receipt_h"], TEXT), (t["cash_h"], MONEY), (t["goods_h"], MONEY),
                                          (t["item_h"], TEXT), (t["fund_h"], TEXT), (t["channel_h"], TEXT)],
                    [[g["date"], g["receipt_no"], g["cash"], g["goods"], g["goods_item"], g["fund"], t["channel"].get(g["channel"], g["channel"])]
                     for g in context["gifts"]])]


def _funds(context: dict, t: dict) -> list[Section]:
    return [_fund_section(context["funds"], t),
            Section(t["sheet"]["stock"], [(t["fund_h"], TEXT), (t["item_h"], TEXT), (t["quantity_h"], TEXT), (t["value_h"], MONEY)],
                    [[s["fund"], s["item"], f"{s['quantity']} {s['unit']}".strip(), s["value"]] for s in context["stock"]])]


SECTIONS = {
    "annual": _annual,
    "holiday": lambda c, t: _holiday_sections(c["holidays"], t),
    "compliance": lambda c, t: [_compliance_section(c["compliance"], t)],
    "funds": _funds,
    "donor": _donor,
}
