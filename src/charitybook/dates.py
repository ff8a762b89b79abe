"""Dates in every form townships write them, and year bounds."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from charitybook.errors import CharitybookError, shorten
from charitybook.i18n import _

_SEPARATED = re.compile(r"^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?"
                        r"(?:[ T]\s*([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?\s*(Z|[+-][0-9]{2}:?[0-9]{2})?)?$", re.I)
_MONTH = re.compile(r"^([0-9]{4})\s*(?:[-/.年]\s*([0-9]{1,2})\s*月?|([0-9]{2}))$")
_TIME_OF_DAY = re.compile(r"^[0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$")
CHINA = dt.timezone(dt.timedelta(hours=8))  # a time with an offset (+08:00, Z) is a date in China
_COMPACT = re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel serial numbers this tool accepts: 1990-01-01 .. 2099-12-31.
_SERIAL_MIN, _SERIAL_MAX = 32874, 73415


# The dates an entry may carry without --confirm-date: none before the association could have
# existed (the first county charity associations date from the 1990s; Excel serials below start
# there too) and none after today (a gift not yet made is a pledge). Pledge due dates may be later.
EARLIEST = dt.date(1990, 1, 1)


class DateError(CharitybookError):
    pass


def check_plausible(day: dt.date, *, confirmed: bool = False, future_ok: bool = False,
                    today: dt.date | None = None) -> dt.date:
    """Refuse a date after today or before 1990 unless the clerk confirmed it (``--confirm-date``).
    ``today``: the day as a caller checking many dates took it once (an import, per sheet)."""
    if confirmed:
        return day
    if day < EARLIEST:
        raise DateError(_("date {date} is before {earliest}: check the year, or confirm it with --confirm-date").format(
            date=day.isoformat(), earliest=EARLIEST.isoformat()))
    today = today or dt.date.today()
    if day > today and not future_ok:
        raise DateError(_("date {date} is after today ({today}): check it, or confirm it with --confirm-date").format(
            date=day.isoformat(), today=today.isoformat()))
    return day


def parse_date(value: object, *, serials: bool = True) -> dt.date:
    """A date cell, an Excel serial number (a number cell, or five digits from a cell), a number
    cell such as 20210907, or text: 2021-09-07, 2021/9/7, 2021.9.7, 2021年9月7日, 20210907, with or
    without a time (``2021-09-07T00:06:24+08:00``: a time with an offset is the date in China).
    Impossible dates and times are refused with the value quoted. ``serials=False`` (typed on the
    command line) takes no serial numbers: 44444 there is a typing error, not 2021-09-05."""
    if isinstance(value, dt.datetime):
        return value.astimezone(CHINA).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value == int(value) and 19000101 <= value <= 29991231:
            value = str(int(value))  # 20210907 typed into a number cell
        else:
            return _from_serial(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _SEPARATED.match(text) or _COMPACT.match(text)
    if not match:
        if serials and re.fullmatch(r"[0-9]{5}(\.[0-9]+)?", text):
            return _from_serial(Decimal(text))
        raise DateError(_("not a date: {value!r} (write it as 2021-09-07)").format(value=shorten(value)))
    parts = match.groups()
    try:
        day = dt.date(*(int(part) for part in parts[:3]))
        if len(parts) > 3 and parts[3] is not None:
            moment = dt.datetime(day.year, day.month, day.day, *(int(part or 0) for part in parts[3:6]))
            offset = parts[6]
            if offset:
                zone = dt.timezone.utc if offset.upper() == "Z" else dt.timezone(
                    (-1 if offset[0] == "-" else 1) * dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[-2:])))
                day = moment.replace(tzinfo=zone).astimezone(CHINA).date()
        return day
    except ValueError:
        raise DateError(_("impossible date: {value!r}").format(value=shorten(value))) from None


def is_time_of_day(value: object) -> bool:
    """A time cell or text such as 00:06:24: a time, not a date."""
    return isinstance(value, dt.time) or bool(_TIME_OF_DAY.match(unicodedata.normalize("NFKC", str(value)).strip()))


def parse_month(value: object) -> dt.date:
    """年月 (2021年9月, 2021-09, 202109, or a date in the month) as the month's first day. A number
    cell 2021.1 may be January or October (Excel drops the 0 of 2021.10): refused."""
    if isinstance(value, (dt.date, dt.datetime)):
        return parse_date(value).replace(day=1)
    if isinstance(value, float) and not value.is_integer():
        text = format(value, ".15g")
        if len(text.split(".")[1]) == 1:
            raise DateError(_("month {value} may be January or October: the number lost its last 0; format the "
                              "column as text and write 2021-10").format(value=text))
        value = text
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _MONTH.match(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2) or match.group(3))
        if 1 <= month <= 12:
            return dt.date(year, month, 1)
        raise DateError(_("impossible month: {value!r}").format(value=shorten(value)))
    return parse_date(value).replace(day=1)


def from_parts(year: object, month: object, day: object) -> dt.date:
    """A date written in three columns (年 / 月 / 日)."""
    try:
        parts = []
        for part in (year, month, day):
            if isinstance(part, float) and not part.is_integer():
                raise ValueError
            parts.append(int(unicodedata.normalize("NFKC", str(part)).strip().rstrip("年月日").removesuffix(".0")))
        return dt.date(*parts)
    except ValueError:
        raise DateError(_("impossible date: {value!r}").format(value=f"{year}-{month}-{day}")) from None


def _from_serial(serial: float | Decimal) -> dt.date:
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        raise DateError(_("not a date: {value!r}").format(value=serial))
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def year_bounds(year: int) -> tuple[str, str]:
    """ISO strings for the first and last day of a year, for ``BETWEEN`` queries."""
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later; a day the month lacks is its last day
    (2021-11-30 + 3 months is 2022-02-28): "within 3 months of the end"."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    following = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return dt.date(year, month + 1, min(day.day, (following - dt.timedelta(days=1)).day))


def local_time(stamp: object) -> str:
    """A stored moment (ISO 8601 with its offset, as the ledger writes it) as people read it: the
    computer's local time to the minute, ``2026-12-02 09:41``. A moment without an offset is taken
    as local already; text that is no moment is returned as it is."""
    if stamp is None or stamp == "":
        return ""
    try:
        moment = stamp if isinstance(stamp, dt.datetime) else dt.datetime.fromisoformat(str(stamp).strip())
    except ValueError:
        return str(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")
