"""Find the header row, map headers to fields, note units (分 / 元 / 万元).

Headers are read the way real files write them: full- or half-width, with a unit inside
(``金额（元）``, ``捐赠额（单位：元）``, ``折算金额（万元）``), numbered by hand (``6、户名``, ``（三）金额``),
with a remark in brackets (``姓名（姓氏隐去）``), over one, two or three rows (``慰问金额`` over
``现金`` | ``物品折价`` | ``人数``: the lowest row that says something decides, and a head count is
never money). Some words mean one field in a donation list and another in a roster (``姓名`` is the
donor in one, the recipient in the other). ``--map`` covers the rest.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from charitybook.errors import Problem, Source, UsageError
from charitybook.i18n import _, language
from charitybook.vocabulary import Term, Vocabulary

HEADER_SEARCH_ROWS = 50
MAX_HEADER_ROWS = 3
SCALES = {"万元": Decimal(10000), "万": Decimal(10000), "元": Decimal(1), "人民币元": Decimal(1), "分": Decimal("0.01")}

# field -> headers that mean it in any file (after normalising). Extend with what real sheets use.
COMMON: dict[str, tuple[str, ...]] = {
    "date": ("日期", "捐赠日期", "捐赠时间", "到账日期", "到账时间", "发放日期", "发放时间", "捐款日期", "捐款时间", "领取日期",
             "交易日期", "活动日期", "统计日期", "入账日期", "记账日期", "支付日期", "支付时间", "付款日期", "下单时间",
             "收款日期", "汇款日期", "日期时间", "发生日期", "trans_time"),
    "time": ("时间", "交易时间", "时刻", "到账时刻"),
    "year": ("年", "年份", "年度"),
    "month": ("年月", "月份", "所属月份", "统计月份"),
    "month_of_year": ("月",),
    "day": ("日",),
    "amount": ("金额", "捐赠金额", "捐款金额", "慰问金", "慰问金额", "发放金额", "资助金额", "救助金额", "现金", "捐款数额",
               "实发金额", "补助金额", "捐赠额", "捐款额", "交易金额", "贷方发生额", "贷方金额", "收入金额", "入账金额",
               "匹配金额", "捐赠款", "善款", "善款金额", "金额合计", "支付金额", "实付金额", "到账金额", "money"),
    "debit": ("借方发生额", "借方金额", "支出金额", "付款金额"),
    "match_amount": ("配捐金额", "配捐", "匹配捐赠金额", "配捐额"),
    "goods_item": ("物资名称", "捐赠物资", "慰问品", "物品", "物品名称", "慰问品名称", "品名", "物资", "入库物资", "捐赠物",
                   "捐赠物品", "物资品名", "货物名称"),
    "spec": ("规格", "规格型号", "型号"),
    "quantity": ("数量", "数量总计", "件数", "捐赠数量"),
    "unit": ("单位", "计量单位"),
    "unit_value": ("单价",),
    "goods_value": ("折价", "折价金额", "物资折价", "物品折价", "慰问品折价", "价值", "物资价值", "折合金额", "折算金额",
                    "估值", "折合人民币"),
    "channel": ("方式", "捐赠方式", "渠道", "支付方式", "捐款方式", "捐赠渠道", "来源渠道", "支付渠道"),
    "project": ("项目", "项目名称", "捐赠项目", "定向项目", "受赠项目", "用途", "捐赠用途"),
    "campaign": ("募捐活动", "活动名称", "筹款活动", "募捐活动名称"),
    "reference": ("订单号", "流水号", "交易号", "票据号", "交易流水号", "商户订单号", "交易单号", "凭证号", "订单编号",
                  "交易流水", "支付单号", "业务订单号", "transcode"),
    "status": ("交易状态", "订单状态", "支付状态", "状态", "trans_state"),
    "township": ("乡镇", "乡镇(街道)", "街道", "所属乡镇", "镇办", "乡镇街道", "镇(街道)"),
    "village": ("村", "社区", "村(社区)", "村组", "学校或村(社区)", "所在村", "村名", "学校", "村(居)"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证", "户主身份证号", "身份证件号码", "证件号", "证件号码"),
    "household_size": ("家庭人口", "家庭人数", "人口", "户人口", "家庭人口数", "家庭成员数"),
    "persons": ("人数", "户数", "人次", "受益人数", "受助人数", "受益户数", "慰问人数"),
    "hardship_type": ("困难类型", "类别", "人员类别", "救助类别", "困难类别", "困难群众类别", "对象类别"),
    "phone": ("联系电话", "电话", "手机号", "联系方式", "手机号码"),
    "note": ("备注", "摘要", "付款附言", "附言", "流向", "说明", "留言", "捐赠留言"),
    "ignored": ("序号", "领取人签字", "签字", "年龄", "性别", "签名", "领款人签字", "编号", "地址", "家庭住址", "学号",
                "开户行", "对方账号", "账号", "余额", "对方开户行", "本方账号", "领取人签名"),
}
DONATION: dict[str, tuple[str, ...]] = {
    "donor": ("捐赠人", "捐赠单位", "捐赠单位(个人)", "捐赠单位或个人", "捐款人", "捐款单位", "单位名称", "昵称", "用户昵称",
              "捐赠者", "捐赠方", "捐赠(单位/姓名)", "捐赠单位及个人", "捐款单位及个人", "捐赠单位/个人", "捐款单位/个人",
              "捐赠单位(个人)隐去姓氏", "捐赠人姓名", "对方户名", "户名", "来源", "姓名", "捐赠人名称", "付款人", "付款方",
              "交款人", "捐款者", "爱心人士", "捐赠企业", "捐赠单位名称", "对方名称", "对方单位"),
    "donor_type": ("类型", "捐赠人类型", "单位性质", "捐赠人性质", "捐赠类型", "捐赠人类别"),
    # a pass-through gift (受托代理): the person or unit the donor named; a blank cell is an ordinary gift
    "recipient": ("受托代理", "受托代理受赠人", "受托代理对象", "定向受赠人", "指定受赠人", "定向到人", "定向受益人",
                  "指定受益人", "定向捐赠对象"),
}
ROSTER: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "户主", "户主姓名", "学生姓名", "受助人", "受助人姓名", "救助对象", "受益对象", "受益人", "受益人姓名",
             "接收单位", "受助对象", "慰问对象", "困难群众姓名", "户名", "领取人", "领款人", "患者姓名"),
    "township": ("发放单位",),
}
KINDS = ("donations", "relief")
_KNOWN = {kind: {header: name for table in (COMMON, DONATION if kind == "donations" else ROSTER)
                 for name, headers in table.items() for header in headers}
          for kind in KINDS}
FIELDS = sorted({name for table in (COMMON, DONATION, ROSTER) for name in table})
# What each field is called, for the clerk: shown in Chinese, or as its code in English; `--map` takes
# the code, the Chinese name or the English words.
FIELD_NAMES = Vocabulary("field", [Term(code, zh, code, (en,)) for code, zh, en in (
    ("amount", "金额", "amount"), ("campaign", "募捐活动", "campaign"), ("channel", "捐赠方式", "channel"),
    ("date", "日期", "date"), ("day", "日", "day"), ("debit", "借方金额", "debit"), ("donor", "捐赠人", "donor"),
    ("donor_type", "捐赠人类型", "donor type"), ("goods_item", "物资名称", "goods item"),
    ("goods_value", "物资折价", "goods value"), ("hardship_type", "困难类型", "hardship type"),
    ("household_size", "家庭人口", "household size"), ("id_number", "身份证号", "ID number"),
    ("ignored", "不导入", "ignored"), ("match_amount", "配捐金额", "matched amount"), ("month", "年月", "month"),
    ("month_of_year", "月", "month of year"), ("name", "姓名", "name"), ("note", "备注", "note"),
    ("persons", "人数", "persons"), ("phone", "联系电话", "phone"), ("project", "项目", "project"),
    ("quantity", "数量", "quantity"), ("recipient", "受托代理受赠人", "pass-through recipient"), ("reference", "订单号", "reference"), ("spec", "规格", "specification"),
    ("status", "交易状态", "payment status"), ("time", "时间", "time of day"), ("township", "乡镇", "township"),
    ("unit", "单位", "unit"), ("unit_value", "单价", "unit value"), ("village", "村(社区)", "village"),
    ("year", "年", "year"))])
assert sorted(FIELD_NAMES.by_code) == FIELDS, "every field has its names"


def field_name(code: str) -> str:
    """A field as the clerk reads it in the run's language: 捐赠人 / donor."""
    return FIELD_NAMES.label(code, language())
_UNIT = re.compile(r"\((?:单位)?[:：]?\s*(万元|元|万|分|人民币元|户|人|个|件|袋|斤|公斤|kg)\)$")
_UNIT_LINE = re.compile(r"(?:金额)?单位[:：]\s*(万元|元|分)")
_NUMBERED = re.compile(r"^(?:\(?[一二三四五六七八九十]{1,3}\)|\(?\d{1,2}\)|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[、.．])\s*(?=\D)")
_REMARK = re.compile(r"\([^()]*\)$")
MONEY_FIELDS = ("amount", "goods_value", "unit_value", "debit", "match_amount")
COUNT_FIELDS = ("persons", "household_size", "quantity")


def normalise(text: object) -> str:
    """Trim, full-width to half-width, brackets unified, inner spaces removed, hand numbering dropped."""
    value = unicodedata.normalize("NFKC", str(text)).strip()
    value = value.replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")
    value = re.sub(r"\s+", "", value)
    return _NUMBERED.sub("", value) or value


def split_unit(header: str) -> tuple[str, str | None]:
    """``金额(元)`` -> (``金额``, ``元``); ``捐赠额(单位:万元)`` -> (``捐赠额``, ``万元``)."""
    match = _UNIT.search(header)
    if match:
        return header[: match.start()], match.group(1)
    return header, None


@dataclass(frozen=True)
class Column:
    index: int
    header: str          # as the sheet shows it (the rows of a several-row header joined)
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


# words in a header that did not map, and the field they hint at (for the --map a message suggests)
_HINTS = {"donor": ("捐", "户名", "姓名", "单位", "人"), "amount": ("金额", "额", "款", "元"), "date": ("日期", "时间", "日"),
          "name": ("姓名", "名", "对象"), "id_number": ("身份", "证件", "证号")}


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
        return dict(self._fields)

    @cached_property
    def _fields(self) -> dict[str, Column]:
        mapped: dict[str, Column] = {}
        for column in sorted(self.columns, key=lambda c: not c.mapped):
            if column.field and column.field != "ignored" and column.field not in mapped:
                mapped[column.field] = column
        return mapped

    def unused(self) -> list[Column]:
        return [column for column in self.columns if column.header and not column.field]

    def hint_for(self, field_name: str) -> str | None:
        """The --map that would give a missing field its column: an unused header that looks like it."""
        for column in self.unused():
            if any(word in column.header for word in _HINTS.get(field_name, ())):
                return f"--map '{column.header}={field_name}'"
        return None

    def problems(self, source: Source) -> list[Problem]:
        """Two columns that mean one field, neither settled by --map: which one holds the money?"""
        found = []
        for name, column in self.by_field().items():
            rivals = [c for c in self.columns if c.field == name and c is not column and c.mapped == column.mapped]
            for rival in rivals:
                same = rival.header == column.header
                first, second = (f"{column.letter}列", f"{rival.letter}列") if same else (column.header, rival.header)
                found.append(Problem(source, None, None, _(
                    "two columns mean {field}: {first} (column {first_letter}) and {second} (column {second_letter}); "
                    "say which with --map '{second_key}=ignored' or --map '{first_key}=ignored'").format(
                    field=name, first=column.header, first_letter=column.letter, second=rival.header,
                    second_letter=rival.letter, first_key=first, second_key=second)))
        return found


_COLUMN_KEY = re.compile(r"(?:列([A-Z]{1,3})|([A-Z]{1,3})列)")


def parse_maps(maps: list[str]) -> dict[str, str]:
    """``--map '表头=field'`` options; ``--map 'E列=ignored'`` names a column by its letter (for two
    columns with the same header); ``--map 'money=amount:分'`` gives the column's unit too."""
    result = {}
    for item in maps:
        if "=" not in item:
            raise UsageError(_("--map takes '表头=field', got {value!r}").format(value=item))
        header, name = (part.strip() for part in item.split("=", 1))
        name, _sep, unit = name.partition(":")
        if unit and unit not in SCALES:
            raise UsageError(_("--map {value!r}: unknown unit {unit!r}; units: {units}").format(
                value=item, unit=unit, units=", ".join(SCALES)))
        name = FIELD_NAMES.parse(name) or name
        if name not in FIELDS:
            raise UsageError(_("--map {value!r}: unknown field {name!r}; fields: {fields}").format(
                value=item, name=name, fields=FIELD_NAMES.choices()))
        key = normalise(header)
        letter = _COLUMN_KEY.fullmatch(key.upper())
        if letter:
            key = f"#{_column_index(letter.group(1) or letter.group(2))}"
        result[key] = f"{name}:{unit}" if unit else name
    return result


def _lookup(text: str, table: dict[str, str]) -> tuple[str | None, str | None]:
    """One header part: as written, without its unit, or without a remark in brackets."""
    base, unit = split_unit(text)
    for candidate in (text, base, _REMARK.sub("", base)):
        if candidate and candidate in table:
            return table[candidate], unit
    return None, unit


def field_for(header: str, maps: dict[str, str], kind: str = "donations") -> tuple[str | None, str | None, bool]:
    """The field a (possibly several-part) header means, its unit, and whether --map named it.
    The lowest header row that says something decides; a unit may sit on any row."""
    parts = header.split(" ")
    candidates = [header, header.replace(" ", "")] + parts[::-1] if len(parts) > 1 else [header]
    unit = next((split_unit(part)[1] for part in parts[::-1] if split_unit(part)[1]), None)
    for candidate in candidates:
        name, _unit = _lookup(candidate, maps)
        if name:
            name, _sep, map_unit = name.partition(":")  # --map 'money=amount:分'
            return name, map_unit or unit, True
    for candidate in candidates:
        name, _unit = _lookup(candidate, _KNOWN[kind])
        if name:
            return name, unit, False
    return None, unit, False


def _score(cells: list, maps: dict[str, str], kind: str) -> int:
    names = {field_for(normalise(cell), maps, kind)[0] for cell in cells if isinstance(cell, str) and cell.strip()}
    names.discard(None)
    names.discard("ignored")
    return len(names)


def find_header(top: list[tuple[int, list]], maps: dict[str, str], needed: tuple[str, ...], kind: str = "donations",
                header_row: int | None = None) -> tuple[Header, int] | None:
    """The first row in the top rows where enough cells are known field names (or the row
    ``--header-row`` names). Returns the header and how many of ``top`` it consumed (its rows plus
    the title lines above), or None when no row looks like a header."""
    for position, (row_number, cells) in enumerate(top if header_row is not None else top[:HEADER_SEARCH_ROWS]):
        if header_row is not None:
            if row_number != header_row:
                continue
        elif _score(cells, maps, kind) < 2:
            continue
        found = _header_at(top, position, maps, kind)
        if header_row is not None or any(name in found[0].by_field() for name in needed):
            return found
    return None


def _header_at(top: list[tuple[int, list]], position: int, maps: dict[str, str], kind: str) -> tuple[Header, int]:
    row_number, cells = top[position]
    texts = [normalise(cell) if cell not in (None, "") else "" for cell in cells]
    unit = "元"
    above = []
    for number, above_cells in top[:position]:
        line = " ".join(str(c) for c in above_cells if c not in (None, ""))
        if line:
            above.append((number, line))
        match = _UNIT_LINE.search(normalise(line))
        if match:
            unit = match.group(1)
    consumed = position + 1
    while consumed < len(top) and consumed - position < MAX_HEADER_ROWS and _is_child_row(texts, top[consumed][1]):
        child = [normalise(cell) if cell not in (None, "") else "" for cell in top[consumed][1]]
        texts = [_join(parent, child[i] if i < len(child) else "") for i, parent in enumerate(texts)]
        row_number = top[consumed][0]
        consumed += 1
    columns = []
    for index, text in enumerate(texts):
        name, column_unit, mapped = field_for(text, maps, kind) if text else (None, None, False)
        if f"#{index}" in maps:
            name, _sep, map_unit = maps[f"#{index}"].partition(":")
            mapped, column_unit = True, map_unit or column_unit
        scale = SCALES.get(column_unit or unit, Decimal(1)) if name in MONEY_FIELDS else Decimal(1)
        columns.append(Column(index, text, name, scale, mapped))
    raw = frozenset(str(c).strip() for _n, row in top[position:consumed] for c in row if isinstance(c, str) and c.strip())
    return Header(row_number, columns, unit, above, tuple(texts), raw), consumed


def _is_child_row(parent: list[str], cells: list) -> bool:
    """A lower header row: text only (no numbers, no dates), and its cells sit under a parent
    that spans several columns (a merged parent repeats across them once merged cells are filled)."""
    if any(not isinstance(cell, str) for cell in cells if cell not in (None, "")):
        return False
    texts = [normalise(cell) for cell in cells]
    spanning = {text for i, text in enumerate(parent) if text and (parent[i - 1 : i] == [text] or parent[i + 1 : i + 2] == [text])}
    return any(texts[i] and i < len(parent) and parent[i] in spanning and not parent[i].endswith(" " + texts[i])
               and texts[i] != parent[i] for i in range(len(texts)))


def _join(parent: str, child: str) -> str:
    if not child or child == parent or parent.endswith(" " + child):
        return parent
    if not parent:
        return child
    return f"{parent} {child}"
