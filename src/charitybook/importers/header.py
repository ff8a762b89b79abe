"""Find the header row, map headers to fields, note units (元 / 万元)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from charitybook.errors import Problem, Source, UsageError
from charitybook.i18n import _

HEADER_SEARCH_ROWS = 20
WAN = Decimal(10000)

# field -> headers that mean it (after normalising). Extend with what real sheets use; --map covers the rest.
FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "捐赠日期", "捐赠时间", "到账日期", "发放日期", "发放时间", "捐款日期", "时间", "领取日期"),
    "donor": ("捐赠人", "捐赠单位", "捐赠单位(个人)", "捐赠单位或个人", "捐款人", "捐款单位", "单位名称", "昵称", "用户昵称",
              "捐赠者", "捐赠方"),
    "donor_type": ("类型", "捐赠人类型", "单位性质", "捐赠人性质"),
    "amount": ("金额", "捐赠金额", "捐款金额", "慰问金", "慰问金额", "发放金额", "资助金额", "救助金额", "现金", "捐款数额",
               "实发金额", "补助金额"),
    "goods_item": ("物资名称", "捐赠物资", "慰问品", "物品", "物品名称", "慰问品名称"),
    "quantity": ("数量",),
    "unit": ("单位", "计量单位"),
    "unit_value": ("单价",),
    "goods_value": ("折价", "折价金额", "物资折价", "物品折价", "慰问品折价", "价值", "物资价值", "折合金额"),
    "channel": ("方式", "捐赠方式", "渠道", "支付方式", "捐款方式", "捐赠渠道"),
    "project": ("项目", "项目名称", "捐赠项目", "定向项目", "受赠项目", "用途", "捐赠用途"),
    "reference": ("订单号", "流水号", "交易号", "票据号", "交易流水号", "商户订单号"),
    "township": ("乡镇", "乡镇(街道)", "街道", "所属乡镇", "镇办", "乡镇街道"),
    "village": ("村", "社区", "村(社区)", "村组", "学校或村(社区)", "所在村", "村名", "学校"),
    "name": ("姓名", "户主", "户主姓名", "学生姓名", "受助人", "受助人姓名", "救助对象"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证", "户主身份证号", "身份证件号码"),
    "household_size": ("家庭人口", "家庭人数", "人口", "户人口", "家庭人口数"),
    "hardship_type": ("困难类型", "类别", "人员类别", "救助类别", "困难类别"),
    "phone": ("联系电话", "电话", "手机号", "联系方式"),
    "note": ("备注",),
    "ignored": ("序号", "领取人签字", "签字", "年龄", "性别", "签名", "领款人签字", "编号"),
}
KNOWN = {header: name for name, headers in FIELDS.items() for header in headers}
_UNIT = re.compile(r"\((万元|元|万|人民币元|户|人|个|件|袋|斤|公斤|kg)\)$")
_UNIT_LINE = re.compile(r"单位[:：]\s*(万元|元)")
MONEY_FIELDS = ("amount", "goods_value", "unit_value")
HOUSEHOLD_FIELDS = ("household_size",)


def normalise(text: object) -> str:
    """Trim, full-width to half-width, brackets unified, inner spaces removed."""
    value = unicodedata.normalize("NFKC", str(text)).strip()
    value = value.replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")
    return re.sub(r"\s+", "", value)


def split_unit(header: str) -> tuple[str, str | None]:
    """``金额(元)`` -> (``金额``, ``元``); ``捐赠金额(万元)`` -> (``捐赠金额``, ``万元``)."""
    match = _UNIT.search(header)
    if match:
        return header[: match.start()], match.group(1)
    return header, None


@dataclass(frozen=True)
class Column:
    index: int
    header: str          # as the sheet shows it (both rows of a two-row header joined)
    field: str | None    # None: not understood (reported by the dry run, otherwise ignored)
    scale: Decimal = Decimal(1)
    mapped: bool = False  # named by --map, not recognised from the header's words

    @property
    def letter(self) -> str:
        return column_letter(self.index)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number - 1


@dataclass
class Header:
    row: int                        # Excel row number of the (last) header row
    columns: list[Column]
    unit: str = "元"
    rows_above: list[tuple[int, str]] = field(default_factory=list)  # skipped title lines
    texts: tuple[str, ...] = ()     # normalised header cells, to spot repeated headers
    raw_texts: frozenset = frozenset()  # the same as the sheet wrote them

    def by_field(self) -> dict[str, Column]:
        """Each field's column: one named by --map before one recognised by its words."""
        mapped: dict[str, Column] = {}
        for column in sorted(self.columns, key=lambda c: not c.mapped):
            if column.field and column.field != "ignored" and column.field not in mapped:
                mapped[column.field] = column
        return mapped

    def problems(self, source: Source) -> list[Problem]:
        """Two columns that mean one field, neither settled by --map: which one holds the money?"""
        found = []
        chosen = self.by_field()
        for name, column in chosen.items():
            rivals = [c for c in self.columns if c.field == name and c is not column and c.mapped == column.mapped]
            for rival in rivals:
                found.append(Problem(source, None, None, _(
                    "two columns mean {field}: {first} (column {first_letter}) and {second} (column {second_letter}); "
                    "say which with --map '{second}=ignored' or --map '{first}=ignored'").format(
                    field=name, first=column.header, first_letter=column.letter, second=rival.header,
                    second_letter=rival.letter)))
        return found


_COLUMN_KEY = re.compile(r"(?:列([A-Z]{1,3})|([A-Z]{1,3})列)")


def parse_maps(maps: list[str], valid_fields: set[str]) -> dict[str, str]:
    """``--map '表头=field'`` options; ``--map 'E列=ignored'`` names a column by its letter (for two
    columns with the same header)."""
    result = {}
    for item in maps:
        if "=" not in item:
            raise UsageError(_("--map takes '表头=field', got {value!r}").format(value=item))
        header, name = (part.strip() for part in item.split("=", 1))
        if name not in valid_fields:
            raise UsageError(_("--map {value!r}: unknown field {name!r}; fields: {fields}").format(
                value=item, name=name, fields=", ".join(sorted(valid_fields))))
        key = normalise(header)
        letter = _COLUMN_KEY.fullmatch(key.upper())
        if letter:
            key = f"#{_column_index(letter.group(1) or letter.group(2))}"
        result[key] = name
    return result


def field_for(header: str, maps: dict[str, str]) -> tuple[str | None, str | None]:
    """The field a (possibly two-part) header means, and its unit."""
    if header in maps:
        return maps[header], split_unit(header)[1]
    parts = header.split(" ") if " " in header else [header]
    candidates = [header.replace(" ", "")] + parts[::-1]
    for candidate in candidates:
        if candidate in maps:
            return maps[candidate], split_unit(candidate)[1]
        base, unit = split_unit(candidate)
        if candidate in KNOWN:
            return KNOWN[candidate], unit
        if base in KNOWN:
            return KNOWN[base], unit
        if base in maps:
            return maps[base], unit
    return None, None


def _is_mapped(header: str, maps: dict[str, str]) -> bool:
    parts = header.split(" ")
    return any(candidate in maps or split_unit(candidate)[0] in maps
               for candidate in [header, header.replace(" ", ""), *parts])


def _score(cells: list, maps: dict[str, str]) -> int:
    names = {field_for(normalise(cell), maps)[0] for cell in cells if isinstance(cell, str) and cell.strip()}
    names.discard(None)
    return len(names)


def find_header(top: list[tuple[int, list]], maps: dict[str, str], needed: tuple[str, ...]) -> tuple[Header, int] | None:
    """The first row in the top rows where enough cells are known field names.

    Returns the header and how many of ``top`` it consumed (one or two header rows plus the
    title lines above), or None when no row looks like a header.
    """
    for position, (row_number, cells) in enumerate(top[:HEADER_SEARCH_ROWS]):
        if _score(cells, maps) < 2:
            continue
        texts = [normalise(cell) if cell not in (None, "") else "" for cell in cells]
        unit = "元"
        above = []
        for _number, above_cells in top[:position]:
            line = " ".join(str(c) for c in above_cells if c not in (None, ""))
            if line:
                above.append((_number, line))
            match = _UNIT_LINE.search(normalise(line))
            if match:
                unit = match.group(1)
        consumed = position + 1
        if position + 1 < len(top) and _is_child_row(texts, top[position + 1][1]):
            child = [normalise(cell) if cell not in (None, "") else "" for cell in top[position + 1][1]]
            texts = [_join(parent, child[i] if i < len(child) else "") for i, parent in enumerate(texts)]
            row_number = top[position + 1][0]
            consumed += 1
        columns = []
        for index, text in enumerate(texts):
            by_letter = maps.get(f"#{index}")
            name, column_unit = field_for(text, maps) if text else (None, None)
            mapped = by_letter is not None or (bool(text) and _is_mapped(text, maps))
            if by_letter is not None:
                name = by_letter
            scale = WAN if (column_unit or (unit if name in MONEY_FIELDS else None)) in ("万元", "万") else Decimal(1)
            columns.append(Column(index, text, name, scale if name in MONEY_FIELDS else Decimal(1), mapped))
        raw = frozenset(str(c).strip() for _n, row in top[position:consumed] for c in row if isinstance(c, str) and c.strip())
        header = Header(row_number, columns, unit, above, tuple(texts), raw)
        if not any(name in header.by_field() for name in needed):
            continue
        return header, consumed
    return None


def _is_child_row(parent: list[str], cells: list) -> bool:
    """A second header row: text only (no numbers, no dates), and its cells sit under a parent
    that spans several columns (a merged parent repeats across them once merged cells are filled)."""
    if any(not isinstance(cell, str) for cell in cells if cell not in (None, "")):
        return False
    texts = [normalise(cell) for cell in cells]
    spanning = {text for i, text in enumerate(parent) if text and (parent[i - 1 : i] == [text] or parent[i + 1 : i + 2] == [text])}
    return any(texts[i] and i < len(parent) and parent[i] in spanning and texts[i] != parent[i] for i in range(len(texts)))


def _join(parent: str, child: str) -> str:
    if not child or child == parent:
        return parent
    if not parent:
        return child
    return f"{parent} {child}"
