"""Rows -> records and problems: classify, normalise cells, validate, check 合计/小计 rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from decimal import Decimal

from charitybook import idnumbers
from charitybook.dates import DateError, parse_date
from charitybook.errors import CharitybookError, Problem, Source
from charitybook.i18n import _
from charitybook.importers.header import Column, Header, normalise
from charitybook.models import DONOR_TYPES, Goods, NewDonation, Person
from charitybook.money import MoneyError, parse_money, to_fen, yuan

ZERO = Decimal(0)

FOOTERS = ("制表人", "制表", "审核人", "审核", "填报人", "负责人", "单位负责人", "经办人", "填报日期", "分管领导")
TOTALS = {"合计": "total", "总计": "total", "小计": "subtotal"}
CHANNELS = {
    "现金": ("cash", None), "cash": ("cash", None),
    "银行转账": ("bank", None), "对公转账": ("bank", None), "转账": ("bank", None), "银行": ("bank", None), "bank": ("bank", None),
    "网络": ("online", None), "线上": ("online", None), "网络募捐": ("online", None), "online": ("online", None),
    "腾讯公益": ("online", "腾讯公益"), "支付宝公益": ("online", "支付宝公益"), "支付宝": ("online", "支付宝"),
    "微信": ("online", "微信"), "水滴筹": ("online", "水滴筹"), "水滴": ("online", "水滴"), "轻松筹": ("online", "轻松筹"),
    "其他": ("other", None), "other": ("other", None),
}
DONOR_TYPE_WORDS = {"个人": "个人", "企业": "企业", "公司": "企业", "机关事业单位": "机关事业单位", "机关": "机关事业单位",
                    "事业单位": "机关事业单位", "社会组织": "社会组织", "匿名": "匿名", "单位": None, "": None}


class CellError(CharitybookError):
    pass


@dataclass(frozen=True)
class RosterRow:
    """One recipient line of a relief roster."""

    source: Source
    person: Person
    date: dt.date | None
    cash: Decimal
    goods: Goods | None
    note: str | None


@dataclass
class Defaults:
    """What rows that carry no value of their own take (from the command line)."""

    date: dt.date | None = None
    township: str | None = None
    channel: str | None = None
    fund: str | None = None
    project: str | None = None


def classify(cells: list, header: Header) -> str:
    """blank | header | footer | total | subtotal | data. Called on every row: one pass picks out
    the text cells, and only the first three are looked at (normalised only when they might matter)."""
    texts = [value for value in cells if value.__class__ is str and value and not value.isspace()]
    if not texts:
        return "blank" if all(value is None or value.__class__ is str for value in cells) else "data"
    texts = [value.strip() for value in texts[:3]]
    for value in texts:
        if "计" in value:
            kind = _total_kind(normalise(value))
            if kind:
                return kind
    first = texts[0]
    if first[:2] in _FOOTER_STARTS:
        first_normal = normalise(first)
        if any(first_normal.startswith(word) and (len(first_normal) == len(word) or first_normal[len(word)] in ":：")
               for word in FOOTERS):
            return "footer"
    if first in header.raw_texts:  # a header repeated on a later page is a copy of the first
        if sum(text in header.raw_texts for text in texts) >= min(2, len(texts)):
            return "header"
    return "data"


def _total_kind(text: str) -> str | None:
    """合计 / 总计 / 小计, alone or with punctuation (合计：, 合计(元)) or after a place (东关社区小计);
    not a name that merely starts with the characters (小计算机店)."""
    for word, kind in TOTALS.items():
        if text.endswith(word):
            return kind
        if text.startswith(word):
            rest = text[len(word)]
            if not ("\u4e00" <= rest <= "\u9fff"):
                return kind
    return None


_FOOTER_STARTS = {word[:2] for word in FOOTERS}


# --- cells --------------------------------------------------------------------------------

def cell(cells: list, column: Column | None):
    if column is None or column.index >= len(cells):
        return None
    value = cells[column.index]
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip() or None


def money(value, column: Column) -> Decimal:
    if value is None:
        return Decimal(0)
    try:
        return parse_money(value, scale=column.scale)
    except MoneyError as error:
        raise CellError(error.message) from None


@lru_cache(maxsize=4096)
def _date_text(value: str) -> dt.date:
    return parse_date(value)


def date(value) -> dt.date:
    try:
        if value.__class__ is str:
            return _date_text(value)
        return parse_date(value)
    except DateError as error:
        raise CellError(error.message) from None


def id_number(value) -> str:
    """Judge by the cell: a number of 16+ digits has lost digits; exactly 15 digits is a legacy ID."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = int(value)
        if number != value or number >= 10**15:
            raise CellError(_("ID number {value}: {why}").format(value=idnumbers.mask(f"{number}"), why=idnumbers.DIGITS_LOST))
        return idnumbers.normalize_id(f"{number:015d}")
    return idnumbers.normalize_id(str(value))


def positive_int(value) -> int:
    try:
        number = Decimal(str(value).strip().rstrip("人口"))
    except Exception:
        raise CellError(_("not a whole number: {value!r}").format(value=value)) from None
    if number != number.to_integral_value() or number <= 0:
        raise CellError(_("not a whole number above zero: {value!r}").format(value=value))
    return int(number)


def goods(cols: dict[str, Column], cells: list, item_default: str | None = None) -> Goods | None:
    """折价, or 数量 × 单价; both given and disagreeing is an error."""
    item = text(cell(cells, cols.get("goods_item")))
    quantity_cell = cell(cells, cols.get("quantity"))
    quantity = None
    if quantity_cell is not None:
        try:
            quantity = Decimal(text(quantity_cell) or "0")
        except Exception:
            raise CellError(_("quantity {value!r} is not a number").format(value=quantity_cell)) from None
    each = _optional_money(cols.get("unit_value"), cells)
    total = _optional_money(cols.get("goods_value"), cells)
    if each is not None and quantity is not None:
        computed = (each * quantity).quantize(Decimal("0.01"))
        if total is not None and total != computed:
            raise CellError(_("折价 {total} disagrees with 数量 × 单价 = {computed}").format(total=total, computed=computed))
        total = computed
    if total is None or total == 0:
        if item and quantity:
            raise CellError(_("goods {item!r} have no value: give 折价 or 单价").format(item=item))
        return None
    return Goods(item=item or item_default or "物资", value=total, quantity=quantity,
                 unit=text(cell(cells, cols.get("unit"))), unit_value=each)


def checked_goods(cols: dict[str, Column], cells: list, source: Source, default_item: str | None,
                  problems: list[Problem]) -> Goods | None:
    """The row's goods, or None; what is wrong with them goes into ``problems``, quoting the
    value column (else the unit value, else the item)."""
    anchor = cols.get("goods_value") or cols.get("unit_value") or cols.get("goods_item")
    if anchor is None:
        return None
    try:
        return goods(cols, cells, default_item)
    except CharitybookError as error:
        problems.append(Problem(source, anchor.header, _shown(cell(cells, anchor), anchor), error.message))
        return None


def _optional_money(column: Column | None, cells: list) -> Decimal | None:
    raw = cell(cells, column)
    return None if raw is None else money(raw, column)


# --- records ------------------------------------------------------------------------------

@dataclass
class RowResult:
    record: object | None = None
    problems: list[Problem] = field(default_factory=list)


class _Collector:
    """Runs each field's conversion, turning a CellError into a Problem that names the cell."""

    def __init__(self, source: Source, cells: list):
        self.source, self.cells, self.problems = source, cells, []

    def get(self, column: Column | None, convert, default=None):
        raw = cell(self.cells, column)
        if raw is None:
            return default
        try:
            return convert(raw)
        except CharitybookError as error:
            self.problems.append(Problem(self.source, column.header, _shown(raw, column), error.message))
            return default

    def goods(self, cols: dict[str, Column], default_item: str | None) -> Goods | None:
        return checked_goods(cols, self.cells, self.source, default_item, self.problems)

    def complete(self, cols: dict[str, Column], cash: Decimal, gift: Goods | None, when, nothing: str) -> bool:
        check_complete(cols, self.cells, self.source, cash, gift, when, nothing, self.problems)
        return not self.problems

    def fail(self, column: Column | None, message: str) -> None:
        self.problems.append(cell_problem(self.source, self.cells, column, message))


def cell_problem(source: Source, cells: list, column: Column | None, message: str) -> Problem:
    """A Problem naming the cell: its column's header and its value (an ID number masked)."""
    raw = cell(cells, column) if column else None
    return Problem(source, column.header if column else None, _shown(raw, column), message)


def check_complete(cols: dict[str, Column], cells: list, source: Source, cash: Decimal, gift: Goods | None, when,
                   nothing: str, problems: list[Problem]) -> None:
    """The checks every record shares: something was given, and it has a date."""
    if not problems and cash == 0 and gift is None:
        problems.append(cell_problem(source, cells, cols.get("amount"), nothing))
    if when is None and not problems:
        problems.append(cell_problem(source, cells, cols.get("date"), _("no date: the row has none and no --date was given")))


def _shown(raw, column: Column | None) -> str | None:
    """The value as quoted in a problem: ID numbers masked, never in full."""
    if raw is None:
        return None
    value = text(raw) if isinstance(raw, float) else str(raw)
    if column is not None and column.field == "id_number":
        return idnumbers.mask(value)
    return value


class DonationRows:
    """One sheet's rows -> donations. The columns are looked up once; a row is read with one
    ``itemgetter`` and the cheapest exact conversion of each cell, and every wrong cell becomes a
    Problem that names it. Called once per data row, so it avoids per-cell helper calls."""

    FIELDS = ("donor", "amount", "date", "channel", "donor_type", "project", "township", "reference", "note")

    def __init__(self, cols: dict[str, Column], defaults: Defaults):
        self.cols, self.defaults = cols, defaults
        self.amount_scale = cols["amount"].scale if "amount" in cols else Decimal(1)
        self.has_goods = any(name in cols for name in ("goods_value", "unit_value", "goods_item"))
        indexes = [cols[name].index if name in cols else -1 for name in self.FIELDS]
        self.pick = itemgetter(*indexes)   # index -1 reads the None that pads every row
        self.pad = [None] * (max(indexes) + 2)

    def __call__(self, cells: list, source: Source) -> RowResult:
        row = cells + self.pad[len(cells):] if len(cells) < len(self.pad) else cells + [None]
        values = [value.strip() or None if value.__class__ is str else value for value in self.pick(row)]
        donor, amount_cell, date_cell, channel_cell, type_cell, project, township, reference, note = values
        defaults, problems = self.defaults, []
        amount = ZERO
        if amount_cell is not None:
            try:
                amount = parse_money(amount_cell, scale=self.amount_scale)
            except MoneyError as error:
                problems.append(cell_problem(source, cells, self.cols.get("amount"), error.message))
        gift = checked_goods(self.cols, cells, source, None, problems) if self.has_goods else None
        when = defaults.date
        if date_cell is not None:
            try:
                when = _date_text(date_cell) if date_cell.__class__ is str else parse_date(date_cell)
            except DateError as error:
                problems.append(cell_problem(source, cells, self.cols.get("date"), error.message))
        channel, platform = defaults.channel or "cash", None
        if channel_cell is not None:
            known = CHANNELS.get(channel_cell) or CHANNELS.get(normalise(channel_cell))
            if known:
                channel, platform = known
            else:
                problems.append(cell_problem(source, cells, self.cols.get("channel"),
                                             _("unknown channel; use 现金, 银行转账, 网络 or a platform name")))
        donor_type = None
        if type_cell is not None:
            donor_type = DONOR_TYPE_WORDS.get(normalise(type_cell), False)
            if donor_type is False:
                donor_type = None
                problems.append(cell_problem(source, cells, self.cols.get("donor_type"), _("unknown donor type; one of {types}").format(
                    types=", ".join(DONOR_TYPES))))
        if donor.__class__ is not str:
            donor = text(donor)
        if not donor:
            if channel == "online":
                donor, donor_type = "匿名", "匿名"
            else:
                problems.append(cell_problem(source, cells, self.cols.get("donor"), _("no donor (write 匿名 for an anonymous gift)")))
        check_complete(self.cols, cells, source, amount, gift, when, _("no amount and no goods"), problems)
        if problems:
            return RowResult(None, problems)
        project, township, reference, note = (value if value is None or value.__class__ is str else text(value)
                                              for value in (project, township, reference, note))
        return RowResult(NewDonation(
            donor=donor, date=when, amount=amount, goods=gift, donor_type=donor_type, channel=channel, platform=platform,
            fund=None if project else defaults.fund, project=project or defaults.project,
            township=township or defaults.township, external_ref=reference, note=note, source=source,
        ))


def roster(cols: dict[str, Column], cells: list, source: Source, defaults: Defaults) -> RowResult:
    c = _Collector(source, cells)
    name = c.get(cols.get("name"), text)
    if not name:
        c.fail(cols.get("name"), _("no name"))
    id_value = c.get(cols.get("id_number"), id_number)
    if cols.get("id_number") and cell(cells, cols["id_number"]) is None and not c.problems:
        c.fail(cols["id_number"], _("no ID number"))
    if not cols.get("id_number"):
        c.fail(None, _("the roster has no ID number column (身份证号)"))
    cash = c.get(cols.get("amount"), lambda v: money(v, cols["amount"]), Decimal(0))
    gift = c.goods(cols, "慰问品")
    when = c.get(cols.get("date"), date, defaults.date)
    size = c.get(cols.get("household_size"), positive_int)
    if not c.complete(cols, cash, gift, when, _("no cash and no goods")):
        return RowResult(None, c.problems)
    person = Person(name=name, id_number=id_value, township=c.get(cols.get("township"), text) or defaults.township,
                    village=c.get(cols.get("village"), text), household_size=size,
                    hardship_type=c.get(cols.get("hardship_type"), text), phone=c.get(cols.get("phone"), text))
    return RowResult(RosterRow(source, person, when, cash, gift, c.get(cols.get("note"), text)))


# --- totals -------------------------------------------------------------------------------

@dataclass
class Totals:
    """Running sums of the money columns, for 合计 (since the start) and 小计 (since the last 小计)."""

    fields: tuple[str, ...] = ("amount", "goods_value")
    grand: dict[str, int] = field(default_factory=dict)
    sub: dict[str, int] = field(default_factory=dict)
    clean: bool = True
    sub_clean: bool = True

    def add(self, amount_fen: int, goods_fen: int) -> None:
        """A valid row's cash and goods value, as its record has them (already scaled and checked)."""
        for name, fen in (("amount", amount_fen), ("goods_value", goods_fen)):
            self.grand[name] = self.grand.get(name, 0) + fen
            self.sub[name] = self.sub.get(name, 0) + fen

    def spoil(self) -> None:
        self.clean = self.sub_clean = False

    def check(self, kind: str, cols: dict[str, Column], cells: list, source: Source) -> list[Problem]:
        sums, clean = (self.grand, self.clean) if kind == "total" else (self.sub, self.sub_clean)
        problems = []
        for name in self.fields:
            column = cols.get(name)
            raw = cell(cells, column)
            if column is None or raw is None:
                continue
            try:
                stated = to_fen(money(raw, column))
            except CellError as error:
                problems.append(Problem(source, column.header, str(raw), error.message))
                continue
            if clean and stated != sums.get(name, 0):
                problems.append(Problem(source, column.header, str(raw), _(
                    "{label} says {stated} 元 but the rows above add up to {actual} 元 (a typing error somewhere?)").format(
                    label=_("合计") if kind == "total" else _("小计"), stated=yuan(stated), actual=yuan(sums.get(name, 0)))))
        if kind == "subtotal":
            self.sub, self.sub_clean = {}, True
        return problems
