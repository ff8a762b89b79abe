"""Lists: what `charitybook list …` shows, a page at a time or streamed, as rows of plain data."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from charitybook.i18n import _
from charitybook.idnumbers import mask
from charitybook.ledger import Ledger, listing
from charitybook.ledger import donations
from charitybook.ledger import funds as fund_rows
from charitybook.ledger import reports as report_rows
from charitybook.services import names, stations

LISTS = {"donations": listing.DONATIONS, "disbursements": listing.DISBURSEMENTS, "donors": listing.DONORS,
         "tiers": listing.TIERS}
MASKED = {"donors": ("id_code",)}   # shown masked in every list and export


@dataclass(frozen=True)
class Page:
    names: list[str]
    rows: list[tuple]
    total: int            # rows matching the filters, in all
    offset: int           # latest rows skipped


def _known(ledger: Ledger, filters: dict) -> dict:
    """A list's filters as the ledger stores them: a fund, project or station it does not know is
    refused with the closest names it does (an empty list would look like "nothing there"), and a
    station's other name (alias) or full-width spelling filters as its registered name."""
    filters = dict(filters)
    if filters.get("fund"):
        if filters["fund"] == "general":
            filters["fund"] = fund_rows.general_fund(ledger).name
        elif not fund_rows.fund_by_name(ledger, filters["fund"]):
            raise names.unknown_fund(ledger, filters["fund"])
    if filters.get("project") and not fund_rows.fund_by_project(ledger, filters["project"]):
        raise names.unknown(_("project"), filters["project"], fund_rows.project_names(ledger),
                            _("see `charitybook fund list`"))
    if filters.get("township"):
        filters["township"] = stations.require(ledger, filters["township"])
    return filters


def latest(ledger: Ledger, what: str, filters: dict, limit: int, offset: int = 0) -> Page:
    """The latest ``limit`` rows (after the ``offset`` latest), in order, and how many there are."""
    with ledger.read():
        filters = _known(ledger, filters)
        names, rows = listing.page(ledger, LISTS[what], filters, limit, offset)
        return Page(names, _masked(what, names, rows), listing.count(ledger, LISTS[what], filters), offset)


@contextlib.contextmanager
def streamed(ledger: Ledger, what: str, filters: dict, limit: int | None = None,
             offset: int = 0) -> Iterator[tuple[list[str], Iterator[tuple]]]:
    """Every row, in order, from one read transaction held while the caller writes them out."""
    with ledger.read():
        filters = _known(ledger, filters)
        names, rows = listing.stream(ledger, LISTS[what], filters, limit, offset)
        yield names, _masked(what, names, rows)


def _masked(what: str, names: list[str], rows):
    columns = [names.index(name) for name in MASKED.get(what, ())]
    if not columns:
        return rows

    def hide(row: tuple) -> tuple:
        row = list(row)
        for index in columns:
            row[index] = mask(row[index])
        return tuple(row)
    return [hide(row) for row in rows] if isinstance(rows, list) else (hide(row) for row in rows)


def pledges_list(ledger: Ledger, filters: dict) -> list[dict]:
    with ledger.read():
        return donations.list_pledges(ledger, filters)


def funds_list(ledger: Ledger) -> list[dict]:
    """Every fund with its closing balances and the station it belongs to, if any."""
    with ledger.read():
        owners = report_rows.station_funds(ledger)
        return [{**row, "station": owners.get(row["id"])} for row in fund_rows.statement(ledger, None)]
