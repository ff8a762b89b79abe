"""Shared options, defined once, and the way a command gets its ledger."""

from __future__ import annotations

import datetime as dt
import getpass
import shlex
import sys
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from charitybook.dates import EARLIEST, check_plausible, parse_date
from charitybook.cli import output
from charitybook.errors import CharitybookError, UsageError, shorten
from charitybook.i18n import _
from charitybook.ledger import Actor, Ledger, open_ledger
from charitybook.models import Goods
from charitybook.money import parse_money
from charitybook.quantities import make_goods, parse_count, parse_quantity
from charitybook.text import clean, from_system
from charitybook.vocabulary import Vocabulary


@dataclass
class State:
    db: Path
    debug: bool = False


def state(ctx: typer.Context) -> State:
    return ctx.find_root().obj


def actor() -> Actor:
    try:
        user = getpass.getuser()
    except (KeyError, OSError, ImportError):  # no user name in the environment, and no pwd module (Windows)
        user = "unknown"
    return Actor(user=user, command=shlex.join(["charitybook", *(from_system(arg) for arg in sys.argv[1:])]))


def ledger(ctx: typer.Context) -> Ledger:
    """Open the ledger named by --db / CHARITYBOOK_DB / ./charitybook.db, closed with the command."""
    with output.steps(_("Upgrading the ledger")) as tick:
        def upgrading(done: int, steps: int) -> None:
            if done == 0:
                output.note(_("this ledger is from an older charitybook: upgrading it once ({steps} step(s); "
                              "a large ledger takes a few minutes, do not close the window)").format(steps=steps))
            tick(done, steps)
        opened = open_ledger(state(ctx).db, actor(), upgrading=upgrading)
    opened.waiting = output.note
    ctx.find_root().call_on_close(opened.close)
    return opened


def _cleaner(kind: str):
    """A typer callback cleaning a free-text option where it enters (see ``charitybook.text``)."""
    def callback(param: typer.CallbackParam, value):
        if value is None:
            return None
        option = param.opts[0] if param.opts else param.name
        try:
            cleaned = clean(from_system(value), kind)
        except CharitybookError as error:
            raise UsageError(f"{option}: {error.message}") from None
        if not cleaned:
            raise UsageError(_("{option} is empty: give a value, or leave the option out").format(option=option))
        return cleaned
    return callback


clean_name, clean_note, clean_reference = _cleaner("name"), _cleaner("note"), _cleaner("reference")


def clean_names(param: typer.CallbackParam, values):
    """``clean_name`` for a repeatable option: each value cleaned."""
    return [clean_name(param, value) for value in values] if values else values


# --- options whose value is a vocabulary term ----------------------------------------------
# The value is read by the vocabulary the importer reads cells with (现金, cash, 银行转账, bank …)
# and handed on as its code. Its help names the accepted values in the run's language: the help
# text (an English msgid with ``{values}``) is filled in by ``help_text`` once the language is
# known, before any help is shown.

@dataclass(frozen=True)
class _TermHelp:
    vocabulary: Vocabulary
    codes: tuple[str, ...] | None
    open_ended: bool


_TERM_HELP: dict[str, _TermHelp] = {}


def term(vocabulary: Vocabulary, *names: str, help: str, codes: tuple[str, ...] | None = None,
         open_ended: bool = False):
    """A typer option taking a term of ``vocabulary`` (only ``codes`` of it, when given), in
    Chinese or English, passed on as its code. A word the vocabulary does not know is refused
    (exit 2) naming the accepted values, unless ``open_ended`` (a clerk's own holiday or relief
    category): then it is kept as written. ``help`` is an ``N_()`` msgid with ``{values}``."""
    known = _TERM_HELP.setdefault(help, _TermHelp(vocabulary, codes, open_ended))
    if known.vocabulary is not vocabulary:
        raise ValueError(f"help text {help!r} is used for two vocabularies")

    def callback(param: typer.CallbackParam, value):
        if value is None:
            return None
        option = param.opts[0] if param.opts else param.name
        text = from_system(value)
        code = vocabulary.parse(text)
        if code is not None and (codes is None or code in codes):
            return code
        if open_ended:
            return clean_name(param, text)
        raise UsageError(_("{option} {value!r} is not a value it takes: give one of {values}").format(
            option=option, value=shorten(text), values=vocabulary.choices(codes=codes)))
    return typer.Option(*names, callback=callback, help=help)


def help_text(msgid: str) -> str:
    """An option's help in the run's language; a vocabulary option's lists its accepted values."""
    found = _TERM_HELP.get(msgid)
    if found is None:
        return _(msgid)
    values = found.vocabulary.choices(codes=found.codes)
    if found.open_ended:
        values = _("{values}, or your own").format(values=values)
    return _(msgid).format(values=values)


def money(value: str | None, option: str, *, required: bool = False, negative: str | None = None) -> Decimal:
    """An amount option. ``negative`` is what to say of a signed amount where a void is not the
    remedy (the default message points to `void`)."""
    if value is None:
        if required:
            raise UsageError(_("{option} is required").format(option=option))
        return Decimal(0)
    if negative and value.strip().startswith(("-", "−", "－")):
        raise UsageError(f"{option}: {negative}")
    try:
        return parse_money(value)
    except CharitybookError as error:
        raise UsageError(f"{option}: {error.message}") from None


def date(value: str | None, option: str = "--date", default_today: bool = True, *, confirmed: bool = False,
         future_ok: bool = False, plausible: bool = True) -> dt.date | None:
    """A date option. An entry's date before 1990 or after today needs --confirm-date
    (``plausible=False`` for the bounds of a list filter)."""
    if value is None:
        return dt.date.today() if default_today else None
    try:
        day = parse_date(value, serials=False)
        return check_plausible(day, confirmed=confirmed, future_ok=future_ok) if plausible else day
    except CharitybookError as error:
        raise UsageError(f"{option}: {error.message}") from None


def quantity(value: str | None, option: str = "--quantity") -> Decimal | None:
    if value is None:
        return None
    try:
        return parse_quantity(value)
    except CharitybookError as error:
        raise UsageError(f"{option}: {error.message}") from None


def count(value: str | None, option: str) -> int | None:
    if value is None:
        return None
    try:
        return parse_count(value)
    except CharitybookError as error:
        raise UsageError(f"{option}: {error.message}") from None


def goods(item: str | None, quantity_text: str | None, unit: str | None, unit_value: str | None,
          value: str | None, value_option: str = "--value") -> Goods | None:
    """--goods ITEM --quantity Q --unit U with --unit-value or --value (the appraised total, 折价)."""
    if item is None:
        if any(v is not None for v in (quantity_text, unit, unit_value, value)):
            raise UsageError(_("--quantity, --unit, --unit-value and {value} describe --goods ITEM").format(value=value_option))
        return None
    each = money(unit_value, "--unit-value") if unit_value is not None else None
    total = money(value, value_option) if value is not None else None
    if each is None and total is None:
        raise UsageError(_("goods need --unit-value (with --quantity) or {value} (the appraised total)").format(value=value_option))
    try:
        return make_goods(item, quantity(quantity_text), unit, each, total)
    except CharitybookError as error:
        raise UsageError(error.message) from None


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ListFormat(str, Enum):
    """Lists also stream JSON Lines, one object per line, for scripts."""
    table = "table"
    json = "json"
    csv = "csv"
    jsonl = "jsonl"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, json or csv")]
ListFormatOpt = Annotated[ListFormat, typer.Option("--format", "-f", help="table (a page), or every row as csv, json or jsonl")]
LimitOpt = Annotated[int | None, typer.Option("--limit", "-n", min=0, help="Show this many rows (a table shows the latest 50)")]
OffsetOpt = Annotated[int, typer.Option("--offset", min=0, help="Skip this many of the latest rows first")]
AllOpt = Annotated[bool, typer.Option("--all", help="A table of every row, not a page")]
def check_year(param: typer.CallbackParam, value: int | None) -> int | None:
    """A calendar year the books can hold: from 1990 to next year (21 is not 2021)."""
    if value is not None and not EARLIEST.year <= value <= dt.date.today().year + 1:
        raise UsageError(_("{option} {value}: give the year in full, from {first} to {last}").format(
            option=param.opts[0] if param.opts else "--year", value=value, first=EARLIEST.year,
            last=dt.date.today().year + 1))
    return value


YearOpt = Annotated[int | None, typer.Option("--year", "-y", callback=check_year, help="Only this calendar year")]
FromOpt = Annotated[str | None, typer.Option("--from", help="From this date (inclusive)")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Up to this date (inclusive)")]
FundOpt = Annotated[str | None, typer.Option("--fund", callback=clean_name, help="Fund name (default: the general fund)")]
ProjectOpt = Annotated[str | None, typer.Option("--project", callback=clean_name, help="Charity project; its restricted fund")]
TownshipOpt = Annotated[str | None, typer.Option("--township", callback=clean_name, help="A registered station (township, subdistrict or village) or one of its aliases (see `station list`)")]
NewProjectOpt = Annotated[bool, typer.Option("--new-project", help="--project names a new project: open its restricted fund (a name the ledger does not know is otherwise refused as a likely typo)")]
NewTownshipOpt = Annotated[bool, typer.Option("--new-township", help="--township is a new township: register it as a station on the spot, as `station add` does (otherwise an unregistered name is refused as a likely typo)")]
DateOpt = Annotated[str | None, typer.Option("--date", "-d", help="Date, e.g. 2021-09-07 (default: today)")]
NoteOpt = Annotated[str | None, typer.Option("--note", callback=clean_note, help="Free-text note")]
ConfirmDateOpt = Annotated[bool, typer.Option("--confirm-date", help="The date is meant, although it is before 1990 or after today")]


def period(year: int | None, start: str | None, end: str | None) -> dict:
    """The --year / --from / --to filters as ISO bounds."""
    bounds: dict = {}
    if year:
        bounds = {"start": f"{year:04d}-01-01", "end": f"{year:04d}-12-31"}
    if start:
        bounds["start"] = date(start, "--from", plausible=False).isoformat()
    if end:
        bounds["end"] = date(end, "--to", plausible=False).isoformat()
    return bounds
