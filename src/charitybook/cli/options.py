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

from charitybook.dates import parse_date
from charitybook.errors import UsageError
from charitybook.i18n import _
from charitybook.ledger import Actor, Ledger, open_ledger
from charitybook.money import parse_money


@dataclass
class State:
    db: Path
    debug: bool = False


def state(ctx: typer.Context) -> State:
    return ctx.find_root().obj


def actor() -> Actor:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Actor(user=user, command=shlex.join(["charitybook", *sys.argv[1:]]))


def ledger(ctx: typer.Context) -> Ledger:
    """Open the ledger named by --db / CHARITYBOOK_DB / ./charitybook.db, closed with the command."""
    opened = open_ledger(state(ctx).db, actor())
    ctx.find_root().call_on_close(opened.close)
    return opened


def money(value: str | None, option: str, *, required: bool = False) -> Decimal:
    if value is None:
        if required:
            raise UsageError(_("{option} is required").format(option=option))
        return Decimal(0)
    try:
        return parse_money(value)
    except Exception as error:
        raise UsageError(f"{option}: {error}") from None


def date(value: str | None, option: str = "--date", default_today: bool = True) -> dt.date | None:
    if value is None:
        return dt.date.today() if default_today else None
    try:
        return parse_date(value)
    except Exception as error:
        raise UsageError(f"{option}: {error}") from None


def decimal(value: str | None, option: str) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value.replace(",", ""))
        if not number.is_finite() or number <= 0:
            raise ValueError
        return number
    except Exception:
        raise UsageError(_("{option}: not a positive number: {value!r}").format(option=option, value=value)) from None


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, json or csv")]
YearOpt = Annotated[int | None, typer.Option("--year", "-y", help="Only this calendar year")]
FromOpt = Annotated[str | None, typer.Option("--from", help="From this date (inclusive)")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Up to this date (inclusive)")]
FundOpt = Annotated[str | None, typer.Option("--fund", help="Fund name (default: the general fund)")]
ProjectOpt = Annotated[str | None, typer.Option("--project", help="Charity project; its restricted fund")]
TownshipOpt = Annotated[str | None, typer.Option("--township", help="Township or subdistrict station")]
DateOpt = Annotated[str | None, typer.Option("--date", "-d", help="Date, e.g. 2021-09-07 (default: today)")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Free-text note")]


def period(year: int | None, start: str | None, end: str | None) -> dict:
    """The --year / --from / --to filters as ISO bounds."""
    bounds: dict = {}
    if year:
        bounds = {"start": f"{year:04d}-01-01", "end": f"{year:04d}-12-31"}
    if start:
        bounds["start"] = date(start, "--from").isoformat()
    if end:
        bounds["end"] = date(end, "--to").isoformat()
    return bounds
