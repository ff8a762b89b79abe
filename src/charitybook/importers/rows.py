"""Rows -> records and problems: classify, normalise cells, validate, check 合计/小计 rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from charitybook import dates, quantities
from charitybook.errors import CharitybookError, Problem, Source, UsageError
from charitybook.i18n import N_, _
from charitybook.importers import cells as cells_
from charitybook.importers.header import Column, Header, normalise
from charitybook.models import Goods, NewDonation, Person
from charitybook.vocabulary import CHANNELS, DONOR_TYPES, HARDSHIP_TYPES, PAYMENT_STATES, PLATFORMS, Vocabulary, normal
from charitybook.money import to_fen, yuan

ZERO = Decimal(0)

FOOTERS = ("制表人", "制表", "审核人", "审核", "填报人", "负责人", "单位负责人", "经办人", "填报日期", "分管领导")
TOTALS = {"合计": "total", "总计": "total", "小计": "subtotal"}
_CHANNEL_WORDS = Vocabulary("channel", CHANNELS.terms + PLATFORMS.terms)  # a platform's name says 'online'
VALUE_FIELDS = {"donor_type": DONOR_TYPES, "channel": _CHANNEL_WORDS, "hardship_type": HARDSHIP_TYPES, "status": PAYMENT_STATES}
_UNSAID = re.compile(r"^(单位|其他|其它|/|-|—|无)$")  # a type column that says nothing: the name decides
GOODS_GIFT = "慰问品"  # what a roster's goods are called when it names no item


# Why a row was passed over without being a problem, as the summary counts them.
SKIPPED = {"blank": N_("blank"), "footer": N_("footer line"), "header": N_("repeated header"), "total": N_("total"),
           "subtotal": N_("subtotal"), "debit": N_("debit"), "not paid": N_("not paid"),
           "duplicate reference": N_("already in the ledger")}


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
    platform: str | None = None         # --platform: rows are online gifts through this platform
    campaign: str | None = None         # --campaign: the fundraising campaign the rows belong to
    only_paid: bool = False             # a profile's rule: an order whose state is not 'paid' is skipped, not refused
    values: dict = field(default_factory=dict)  # --map-value: field -> {value as written (normalised): value meant}
    match_donor: str | None = None      # --match-donor: who gave the 配捐 (matched funds) column
    goods_item: str | None = None       # the stock item a roster's 慰问品 come out of (--goods-item)
    confirm_dates: bool = False         # --confirm-date: dates before 1990 or after today are meant


def parse_value_maps(maps: list[str]) -> dict[str, dict[str, str]]:
    """``--map-value 'donor_type:机关单位=机关事业单位'``: a value a table does not know, and what it means."""
    result: dict[str, dict[str, str]] = {}
    for item in maps:
        field_name, sep, rest = item.partition(":")
        written, eq, meant = rest.partition("=")
        field_name, written, meant = field_name.strip(), written.strip(), meant.strip()
        if not sep or not eq or not written or not meant:
            raise UsageError(_("--map-value takes 'field:value=meaning', e.g. 'donor_type:机关单位=机关事业单位'; got {value!r}").format(
                value=item))
        vocabulary = VALUE_FIELDS.get(field_name)
        if vocabulary is None:
            raise UsageError(_("--map-value {value!r}: values can be mapped for {fields}").format(
                value=item, fields=", ".join(VALUE_FIELDS)))
        if vocabulary is not HARDSHIP_TYPES and vocabulary.parse(meant) is None:
            raise UsageError(_("--map-value {value!r}: {meant!r} is not a {field}; one of {choices}").format(
                value=item, meant=meant, field=field_name, choices=vocabulary.choices()))
        result.setdefault(field_name, {})[normal(written)] = meant
    return result


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


# --- records ------------------------------------------------------------------------------

@dataclass
class RowResult:
    record: object | None = None
    problems: list[Problem] = field(default_factory=list)
    extra: list = field(default_factory=list)   # more records from the same row (a 配捐 beside the gift)
    skip: str | None = None                      # not a gift at all: why (a debit, an unpaid order)


class _Row:
    """Runs each field's conversion on one row, turning a CellError into a Problem that names the cell."""

    __slots__ = ("source", "cells", "problems")

    def __init__(self, source: Source, cells: list):
        self.source, self.cells, self.problems = source, cells, []

    def get(self, column: Column | None, convert=cells_.text, default=None):
        raw = cells_.cell(self.cells, column)
        if raw is None:
            return default
        try:
            return convert(raw)
        except CharitybookError as error:
            self.problems.append(Problem(self.source, column.header, cells_.shown(raw, column), error.message))
            return default

    def goods(self, cols: dict[str, Column], default_item: str | None) -> Goods | None:
        """The row's goods, or None. A bad quantity or value names its own cell; a valuation that
        does not hold (折价 against 数量 × 单价) names the value column (else the unit value, else the item)."""
        anchor = cols.get("goods_value") or cols.get("unit_value") or cols.get("goods_item")
        if anchor is None:
            return None
        before = len(self.problems)
        quantity = self.get(cols.get("quantity"), cells_.quantity)
        each = self.get(cols.get("unit_value"), partial(cells_.money, column=cols.get("unit_value")))
        stated = self.get(cols.get("goods_value"), partial(cells_.money, column=cols.get("goods_value")))
        if len(self.problems) > before:
            return None
        try:
            item = " ".join(part for part in (self.get(cols.get("goods_item")), self.get(cols.get("spec"))) if part)
            return quantities.make_goods(item or None, quantity, self.get(cols.get("unit")), each, stated, default_item)
        except CharitybookError as error:
            self.fail(anchor, error.message)
            return None

    def when(self, cols: dict[str, Column], defaults: Defaults, today: dt.date | None = None):
        """The row's date: its 日期 column, else a 时间 column that holds dates, else 年/月/日 or 年月
        columns, else --date; refused when implausible unless --confirm-date. A time of day is not a date."""
        column = cols.get("date") or cols.get("time")
        raw = cells_.cell(self.cells, column)
        day = None
        if raw is not None and not (column is cols.get("time") and dates.is_time_of_day(raw)):
            day = self.get(column, cells_.date)
        elif "year" in cols and "month_of_year" in cols and "day" in cols:
            column = cols["year"]
            day = self.get(column, lambda year: cells_.date_from_parts(year, cells_.cell(self.cells, cols["month_of_year"]),
                                                                       cells_.cell(self.cells, cols["day"])))
        elif "month" in cols:
            column = cols["month"]
            day = self.get(column, cells_.month)
        if day is None and not self.failed(column):
            day = defaults.date
            if day is None and raw is not None and dates.is_time_of_day(raw):
                self.fail(column, _("a time of day, not a date: give the date with --date"))
        if day is not None:
            try:
                dates.check_plausible(day, confirmed=defaults.confirm_dates, today=today)
            except CharitybookError as error:
                self.fail(column, error.message)
        return day

    def complete(self, header: Header, cash: Decimal, gift: Goods | None, when, nothing: str) -> bool:
        """The checks every record shares: something was given, and it has a date."""
        cols = header.by_field()
        if not self.problems and cash == 0 and gift is None:
            self.fail(cols.get("amount"), nothing)
        if when is None and not self.problems:
            hint = None if "date" in cols else header.hint_for("date")
            self.fail(cols.get("date"), _("no date: the row has none and no --date was given") +
                      (_("; the header {hint} would give it one").format(hint=hint) if hint else ""))
        return not self.problems

    def fail(self, column: Column | None, message: str) -> None:
        self.problems.append(cells_.problem(self.source, self.cells, column, message))

    def failed(self, column: Column | None) -> bool:
        return column is not None and any(problem.column == column.header for problem in self.problems)


class _Rows:
    """What both row builders share: the sheet's columns, the defaults, the clerk's value mappings
    (--map-value) and a count of the values they mapped."""

    def __init__(self, header: Header, defaults: Defaults):
        self.header, self.cols, self.defaults = header, header.by_field(), defaults
        self.mapped: Counter = Counter()  # (field, as written, as mapped) -> rows
        self.today = dt.date.today()      # what a row's date may not be after, taken once a sheet

    def term(self, row: _Row, name: str, vocabulary) -> tuple[str | None, object]:
        """A vocabulary value of the row (None when the cell is blank), after --map-value; an
        unknown one is a problem that says how to map it."""
        column = self.cols.get(name)
        raw = cells_.cell(row.cells, column)
        if raw is None:
            return None, None
        written = str(raw)
        mapped = self.defaults.values.get(name, {}).get(normal(written))
        if mapped is not None:
            self.mapped[(name, written, mapped)] += 1
            written = mapped
        code = vocabulary.parse(written)
        if code is None and vocabulary is not HARDSHIP_TYPES:
            row.fail(column, _("unknown {field} {value!r}: use one of {choices}, or map it with "
                               "--map-value '{field}:{value}=…'").format(field=name, value=written, choices=vocabulary.choices()))
        return code, written

    def missing(self, row: _Row, name: str, message: str) -> None:
        """A field the sheet has no column for: say which unused header might be it."""
        hint = self.header.hint_for(name)
        row.fail(None, message + (_("; the header {hint} would give it one").format(hint=hint) if hint else ""))


class DonationRows(_Rows):
    """One sheet's rows -> donations. The columns are looked up once per sheet; every wrong cell
    becomes a Problem that names it."""

    def __init__(self, header: Header, defaults: Defaults):
        super().__init__(header, defaults)
        cols = self.cols
        self.amount = partial(cells_.money, column=cols["amount"]) if "amount" in cols else None
        self.match = partial(cells_.money, column=cols["match_amount"]) if "match_amount" in cols else None

    def __call__(self, cells: list, source: Source) -> RowResult:
        skip = self._not_a_gift(cells)
        if skip:
            return RowResult(skip=skip)
        cols, defaults, row = self.cols, self.defaults, _Row(source, cells)
        if not defaults.only_paid:
            self.term(row, "status", PAYMENT_STATES)  # a state it does not know is a problem, never a gift
        amount = row.get(cols.get("amount"), self.amount, ZERO)
        gift = row.goods(cols, None)
        when = row.when(cols, defaults, self.today)
        channel, platform = ("online", defaults.platform) if defaults.platform else (defaults.channel or "cash", None)
        code, written = self.term(row, "channel", _CHANNEL_WORDS)
        if code:
            channel, platform = ("online", PLATFORMS.parse(written)) if PLATFORMS.parse(written) else (code, platform)
        donor_type, written = (None, None) if _unsaid(cells_.cell(cells, cols.get("donor_type"))) else \
            self.term(row, "donor_type", DONOR_TYPES)
        donor = row.get(cols.get("donor"))
        if donor is None and not row.failed(cols.get("donor")):
            if channel == "online":
                donor, donor_type = "匿名", "匿名"
            elif "donor" not in cols:
                self.missing(row, "donor", _("the sheet has no donor column (捐赠人)"))
            else:
                row.fail(cols.get("donor"), _("no donor (write 匿名 for an anonymous gift)"))
        project, township = row.get(cols.get("project")), row.get(cols.get("township"))
        campaign = row.get(cols.get("campaign")) or defaults.campaign
        reference, note = row.get(cols.get("reference"), cells_.reference), row.get(cols.get("note"), _note)
        matched = row.get(cols.get("match_amount"), self.match, ZERO)
        if matched and not defaults.match_donor:
            row.fail(cols.get("match_amount"), _("matched funds (配捐) need the matching organisation as donor: "
                                                 "give --match-donor NAME (or use a platform --profile)"))
        recipient = row.get(cols.get("recipient"))
        if recipient is not None and (project or matched):
            row.fail(cols.get("recipient"), _("a pass-through gift (受托代理) is in no fund and has no matched funds: "
                                              "leave its project and 配捐 cells blank"))
        if not row.complete(self.header, amount + matched, gift, when, _("no amount and no goods")):
            return RowResult(None, row.problems)
        if recipient is not None:  # held for the named recipient: no fund, project or campaign of the association
            return RowResult(NewDonation(
                donor=donor, date=when, amount=amount, goods=gift, donor_type=donor_type, channel=channel, platform=platform,
                township=township or defaults.township, external_ref=reference, note=note, source=source,
                recipient=recipient))
        donation = NewDonation(
            donor=donor, date=when, amount=amount, goods=gift, donor_type=donor_type, channel=channel, platform=platform,
            fund=None if project else defaults.fund, project=project or defaults.project,
            township=township or defaults.township, campaign=campaign, external_ref=reference, note=note, source=source)
        records = [donation] if amount or gift else []
        if matched:  # the matching organisation's gift is a donation of its own
            records.append(dataclasses.replace(
                donation, donor=defaults.match_donor, donor_type=None, amount=matched, goods=None,
                external_ref=f"{reference}-配捐" if reference else None, note=_("配捐, matching {donor}").format(donor=donor)))
        return RowResult(records[0], extra=records[1:])

    def _not_a_gift(self, cells: list) -> str | None:
        """A bank statement's debit (money going out) and an order not paid are skipped and counted."""
        debit = cells_.cell(cells, self.cols.get("debit"))
        if debit is not None and cells_.cell(cells, self.cols.get("amount")) in (None, 0, "0", "0.00"):
            return "debit"
        status = cells_.cell(cells, self.cols.get("status"))
        if status is not None:
            status = self.defaults.values.get("status", {}).get(normal(str(status)), status)
            state = PAYMENT_STATES.parse(status)
            if state == "unpaid" or (state is None and self.defaults.only_paid):
                return "not paid"
        return None


class RosterRows(_Rows):
    """One sheet's rows -> roster lines (a recipient each)."""

    def __call__(self, cells: list, source: Source) -> RowResult:
        cols, defaults, row = self.cols, self.defaults, _Row(source, cells)
        name = row.get(cols.get("name"))
        if name is None and not row.failed(cols.get("name")):
            if "name" not in cols:
                self.missing(row, "name", _("the roster has no name column (姓名)"))
            else:
                row.fail(cols.get("name"), _("no name"))
        if not cols.get("id_number"):
            self.missing(row, "id_number", _("the roster has no ID number column (身份证号)"))
        id_value = row.get(cols.get("id_number"), cells_.id_number)
        if cols.get("id_number") and cells_.cell(cells, cols["id_number"]) is None and not row.problems:
            row.fail(cols["id_number"], _("no ID number"))
        cash = row.get(cols.get("amount"), partial(cells_.money, column=cols["amount"]) if "amount" in cols else None, ZERO)
        gift = row.goods(cols, defaults.goods_item or GOODS_GIFT)
        when = row.when(cols, defaults, self.today)
        size = row.get(cols.get("household_size"), cells_.count)
        person = Person(name=name, id_number=id_value, township=row.get(cols.get("township")) or defaults.township,
                        village=row.get(cols.get("village")), household_size=size,
                        hardship_type=self._hardship(row), phone=row.get(cols.get("phone"), _reference))
        note = row.get(cols.get("note"), _note)
        if not row.complete(self.header, cash, gift, when, _("no cash and no goods")):
            return RowResult(None, row.problems)
        return RowResult(RosterRow(source, person, when, cash, gift, note))


    def _hardship(self, row: _Row) -> str | None:
        """A hardship type as the table names it (低保 is 低保户); one the table does not know, as written."""
        code, written = self.term(row, "hardship_type", HARDSHIP_TYPES)
        return code or (cells_.text(written) if written else None)


def _unsaid(value) -> bool:
    """A donor-type cell that says nothing (单位, 其他, /): the donor's name decides."""
    return value is not None and bool(_UNSAID.match(str(value).strip()))


def _note(value) -> str | None:
    return cells_.text(value, "note")


def _reference(value) -> str | None:
    return cells_.text(value, "reference")


# --- totals -------------------------------------------------------------------------------

@dataclass
class Totals:
    """Running sums of the money columns, for 合计 (since the start) and 小计 (since the last 小计),
    and of the hidden rows left out, so that a 合计 that counts them can say so."""

    fields: tuple[str, ...] = ("amount", "goods_value")
    grand: Counter = field(default_factory=Counter)
    sub: Counter = field(default_factory=Counter)
    hidden: Counter = field(default_factory=Counter)
    sub_hidden: Counter = field(default_factory=Counter)
    clean: bool = True
    sub_clean: bool = True

    def add(self, amount_fen: int, goods_fen: int) -> None:
        """A valid row's cash and goods value, as its record has them (already scaled and checked)."""
        for sums in (self.grand, self.sub):
            sums["amount"] += amount_fen
            sums["goods_value"] += goods_fen

    def hide(self, record) -> None:
        """A hidden row, not imported: what it held, when it could be read."""
        if record is None:
            return
        cash = record.amount if isinstance(record, NewDonation) else record.cash
        for sums in (self.hidden, self.sub_hidden):
            sums["amount"] += to_fen(cash)
            sums["goods_value"] += to_fen(record.goods.value) if record.goods else 0

    def spoil(self) -> None:
        self.clean = self.sub_clean = False

    def check(self, kind: str, cols: dict[str, Column], cells: list, source: Source) -> list[Problem]:
        sums, hidden, clean = ((self.grand, self.hidden, self.clean) if kind == "total"
                               else (self.sub, self.sub_hidden, self.sub_clean))
        label = _("合计") if kind == "total" else _("小计")
        problems = []
        for name in self.fields:
            column = cols.get(name)
            raw = cells_.cell(cells, column)
            if column is None or raw is None:
                continue
            try:
                stated = to_fen(cells_.money(raw, column))
            except CharitybookError as error:
                problems.append(cells_.problem(source, cells, column, error.message))
                continue
            if not clean or stated == sums[name]:
                continue
            if hidden[name] and stated == sums[name] + hidden[name]:
                message = _("{label} says {stated} 元, which counts rows hidden in Excel: the rows imported add up to "
                            "{actual} 元; unhide the rows, or import them with --include-hidden").format(
                    label=label, stated=yuan(stated), actual=yuan(sums[name]))
            else:
                message = _("{label} says {stated} 元 but the rows above add up to {actual} 元 (a typing error somewhere?)").format(
                    label=label, stated=yuan(stated), actual=yuan(sums[name]))
            problems.append(cells_.problem(source, cells, column, message))
        if kind == "subtotal":
            self.sub, self.sub_hidden, self.sub_clean = Counter(), Counter(), True
        return problems
