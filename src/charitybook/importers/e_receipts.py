"""Electronic receipts issued on the provincial 财政电子票据 platform, read from its export.

The export (xlsx, xls or CSV) is read by the importers' reader and its header found the way a
donation list's is, with the receipt's own header words (``RECEIPT_HEADERS``): 票据代码,
票据号码, 开票日期, 交款人 (or 捐赠人), 金额 and 状态 (正常 / 冲红 / 作废). Never writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from charitybook.dates import parse_date
from charitybook.errors import CharitybookError, Problem, Source
from charitybook.i18n import _
from charitybook.importers import read
from charitybook.importers.header import find_header, normalise
from charitybook.money import parse_money, to_fen
from charitybook.receipt_numbers import NUMBER_DIGITS, parse_code, parse_number

# header words (normalised) -> field; given to the header finder as its mappings
RECEIPT_HEADERS: dict[str, str] = {
    **{normalise(h): "receipt_code" for h in ("票据代码", "电子票据代码", "票据批次代码", "代码")},
    **{normalise(h): "receipt_number" for h in ("票据号码", "电子票据号码", "票号", "号码")},
    **{normalise(h): "date" for h in ("开票日期", "开具日期", "开票时间", "开具时间")},
    **{normalise(h): "donor" for h in ("交款人", "捐赠人", "交款人(捐赠人)", "交款人名称", "捐赠单位(个人)", "付款人")},
    **{normalise(h): "amount" for h in ("金额", "金额合计", "合计金额", "金额(元)", "票据金额", "开票金额")},
    **{normalise(h): "status" for h in ("状态", "票据状态", "开票状态")},
    **{normalise(h): "note" for h in ("冲红原因", "备注")},
}
NEEDED = ("receipt_code", "receipt_number", "date", "donor", "amount")
VOIDED_WORDS = ("冲红", "已冲红", "作废", "已作废", "红冲")
ISSUED_WORDS = ("", "正常", "已开具", "开具", "有效")


@dataclass(frozen=True)
class EReceipt:
    code: str
    number: str
    date: dt.date
    donor: str
    amount_fen: int
    voided: bool
    reason: str | None
    source: Source


def _number_cell(value: object) -> str:
    """A 票据号码 as the export gives it: text, or a number cell Excel stripped of its leading
    zeros (the number is always 10 digits wide, so the zeros are restored, not guessed)."""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    if isinstance(value, int) and 0 <= value < 10 ** NUMBER_DIGITS:
        value = f"{value:0{NUMBER_DIGITS}d}"
    return parse_number(value)


def _code_cell(value: object) -> str:
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return parse_code(value)


def read_export(path: Path) -> tuple[list[EReceipt], list[Problem]]:
    found: list[EReceipt] = []
    problems: list[Problem] = []
    with read.Book(path) as book:
        names = book.non_empty()
        sheet = book.sheet(names[0] if names else None)
        rows = list(sheet.rows)
    top = rows[:60]
    located = find_header(top, RECEIPT_HEADERS, NEEDED)
    file = read.display_name(path)
    if located is None or any(name not in located[0].by_field() for name in NEEDED):
        raise CharitybookError(_("{file}: no header row with 票据代码, 票据号码, 开票日期, 交款人 and 金额").format(file=file),
                               hint=_("the platform's export of issued receipts has these columns; see README (Donation receipts)"))
    header, used = located
    columns = {name: column.index for name, column in header.by_field().items()}
    for row_number, cells in rows[used:]:
        if not any(cell not in (None, "") for cell in cells):
            continue
        source = Source(file, sheet.name, row_number)
        get = lambda name: cells[columns[name]] if name in columns and columns[name] < len(cells) else None  # noqa: E731
        try:
            status = str(get("status") or "").strip()
            if status not in ISSUED_WORDS + VOIDED_WORDS:
                raise CharitybookError(_("status {value!r} is neither 正常 nor 冲红/作废").format(value=status))
            found.append(EReceipt(_code_cell(get("receipt_code")), _number_cell(get("receipt_number")),
                                  parse_date(get("date")), str(get("donor") or "").strip(),
                                  to_fen(parse_money(get("amount"))), status in VOIDED_WORDS,
                                  str(get("note") or "").strip() or None, source))
        except CharitybookError as error:
            problems.append(Problem(source, None, None, error.message))
    return found, problems
