"""A printable draft of a receipt (xlsx, one A4 page, portrait): the fields of a
公益事业捐赠票据 laid out as on the paper form, marked as a draft — never an official receipt."""

from __future__ import annotations

from pathlib import Path

from charitybook.excel import safe_text
from charitybook.i18n import language
from charitybook.money import yuan
from charitybook.reports.sheets import FONT

WORDS = {
    "zh": {"title": "公益事业捐赠票据", "draft": "草稿 · 仅供核对，非正式票据", "code": "票据代码", "number": "票据号码",
           "payer": "交款人", "id": "统一社会信用代码/身份证号", "date": "开票日期", "item": "项目名称", "unit": "单位",
           "qty": "数量", "price": "标准（元）", "amount": "金额（元）", "capital": "金额合计（大写）", "figures": "（小写）",
           "note": "备注", "payee": "收款单位（章）", "issuer": "开票人", "reviewer": "复核人", "gifts": "捐赠编号",
           "voided": "已作废"},
    "en": {"title": "Donation receipt (公益事业捐赠票据)", "draft": "DRAFT for checking only: not an official receipt",
           "code": "Code", "number": "Number", "payer": "Donor", "id": "Credit code / ID", "date": "Date",
           "item": "Item", "unit": "Unit", "qty": "Qty", "price": "Unit value", "amount": "Amount",
           "capital": "Total in capitals", "figures": "in figures", "note": "Note", "payee": "Received by (seal)",
           "issuer": "Issued by", "reviewer": "Reviewed by", "gifts": "Donations", "voided": "VOIDED"},
}
WIDTHS = (24, 10, 10, 14, 16)
ITEM_ROWS = 6


def write(receipt: dict, association: str, path: Path, lang: str | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.worksheet.properties import PageSetupProperties

    w = WORDS["zh" if (lang or language()) == "zh" else "en"]
    book = Workbook()
    sheet = book.active
    sheet.title = f"{receipt['code']}-{receipt['number']}"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    normal, bold = Font(name=FONT, size=11), Font(name=FONT, size=11, bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)

    def put(row, column, value, font=normal, align=left, border=None, merge_to=None):
        cell = sheet.cell(row=row, column=column)
        safe_text(cell, "" if value is None else value)
        cell.font, cell.alignment = font, align
        if merge_to:
            sheet.merge_cells(start_row=row, start_column=column, end_row=row, end_column=merge_to)
        if border:
            for col in range(column, (merge_to or column) + 1):
                sheet.cell(row=row, column=col).border = border

    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    put(1, 1, w["title"], Font(name=FONT, size=18, bold=True), centre, merge_to=5)
    put(2, 1, w["draft"] + ("　" + w["voided"] if receipt["state"] == "voided" else ""),
        Font(name=FONT, size=11, bold=True, color="C00000"), centre, merge_to=5)
    put(3, 1, f"{w['code']}：{receipt['code']}", merge_to=2)
    put(3, 3, f"{w['number']}：{receipt['number']}", merge_to=5)
    put(4, 1, f"{w['payer']}：{receipt['donor']}", merge_to=2)
    put(4, 3, f"{w['date']}：{receipt['date']}", merge_to=5)
    put(5, 1, f"{w['id']}：{receipt['id_code'] or ''}", merge_to=5)
    for column, key in enumerate(("item", "unit", "qty", "price", "amount"), start=1):
        put(6, column, w[key], bold, centre, box)
    items = receipt["items"][:ITEM_ROWS]
    for offset in range(ITEM_ROWS):
        row = 7 + offset
        item = items[offset] if offset < len(items) else None
        values = ((item["item"], item["unit"], item["quantity"],
                   yuan(item["unit_value_fen"]) if item["unit_value_fen"] is not None else "", yuan(item["amount_fen"]))
                  if item else ("",) * 5)
        for column, value in enumerate(values, start=1):
            put(row, column, value, align=centre if column > 1 else left, border=box)
    total_row = 7 + ITEM_ROWS
    put(total_row, 1, f"{w['capital']}：{receipt['daxie']}", bold, border=box, merge_to=3)
    put(total_row, 4, f"{w['figures']}：¥{yuan(receipt['amount_fen'])}", bold, border=box, merge_to=5)
    put(total_row + 1, 1, f"{w['note']}：{w['gifts']} {receipt['donations'] or ''}", border=box, merge_to=5)
    put(total_row + 3, 1, f"{w['payee']}：{association}", merge_to=2)
    put(total_row + 3, 3, f"{w['issuer']}：{receipt['issuer']}", merge_to=4)
    put(total_row + 3, 5, f"{w['reviewer']}：{receipt['reviewer'] or ''}")
    for row in range(1, total_row + 4):
        sheet.row_dimensions[row].height = 36 if row == 1 else 24
    setup = sheet.page_setup
    setup.paperSize, setup.orientation = sheet.PAPERSIZE_A4, "portrait"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    setup.fitToWidth, setup.fitToHeight = 1, 1
    sheet.print_options.horizontalCentered = True
    sheet.print_area = f"A1:E{total_row + 3}"
    book.save(path)
