"""Dates in every form townships write them, and year bounds."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from charitybook.errors import CharitybookError
from charitybook.i18n import _

_SEPARATED = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel serial numbers this tool accepts: 1990-01-01 .. 2099-12-31.
_SERIAL_MIN, _SERIAL_MAX = 32874, 73415


# The dates an entry may carry without --confirm-date: none before the association could have
# existed (the first county charity associations date from the 1990s; Excel serials below start
# there too) and none after today (a gift not yet made is a pledge). Pledge due dates may be later.
EARLIEST = dt.date(1990, 1, 1)


class DateError(CharitybookError):
    pass


def check_plausible(day: dt.date, *, confirmed: bool = False, future_ok: bool = False) -> dt.date:
    """Refuse a date after today or before 1990 unless the clerk confirmed it (``--confirm-date``)."""
    if confirmed:
        return day
    if day < EARLIEST:
        raise DateError(_("date {date} is before {earliest}: check the year, or confirm it with --confirm-date").format(
            date=day.isoformat(), earliest=EARLIEST.isoformat()))
    today = dt.date.today()
    if day > today and not future_ok:
        raise DateError(_("date {date} is after today ({today}): check it, or confirm it with --confirm-date").format(
            date=day.isoformat(), today=today.isoformat()))
    return day


def parse_date(value: object) -> dt.date:
    """A date cell, an Excel serial number, or text: 2021-09-07, 2021/9/7, 2021.9.7,
    2021年9月7日, 20210907. Impossible dates are refused with the value quoted."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _SEPARATED.match(text) or _COMPACT.match(text)
    if not match:
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            return _from_serial(Decimal(text))
        raise DateError(_("not a date: {value!r} (write it as 2021-09-07)").format(value=str(value)))
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError(_("impossible date: {value!r}").format(value=str(value))) from None


def _from_serial(serial: float | Decimal) -> dt.date:
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        raise DateError(_("not a date: {value!r}").format(value=serial))
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def year_bounds(year: int) -> tuple[str, str]:
    """ISO strings for the first and last day of a year, for ``BETWEEN`` queries."""
    return f"{year:04d}-01-01", f"{year:04d}-12-31"
