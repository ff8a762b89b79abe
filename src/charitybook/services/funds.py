"""Funds: adding them and reading their balances and stock."""

from __future__ import annotations

import dataclasses

from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import funds as rows
from charitybook.models import Fund
from charitybook.vocabulary import FUND_KINDS
from charitybook.services import Refused, names, stations


def add_fund(ledger: Ledger, name: str, kind: str, sponsor: str | None, project: str | None, note: str | None,
             station: str | None = None) -> Fund:
    """``fund add``; with ``station`` the fund is that station's (a village's 冠名基金, what a
    township collected for its own relief), still the county association's money."""
    if kind not in FUND_KINDS.codes or kind == "general":
        raise Refused(_("fund kind must be restricted, named or endowment, not {kind!r}").format(kind=kind))
    if kind == "named" and not sponsor:
        raise Refused(_("a named fund (冠名基金) needs --sponsor"))
    if not name.strip():
        raise Refused(_("a fund needs a name"))
    with ledger.write():
        if rows.fund_by_name(ledger, name):
            raise Refused(_("a fund named {name!r} already exists").format(name=name))
        if project and rows.fund_by_project(ledger, project):
            raise Refused(_("project {project!r} already has a fund").format(project=project))
        station_id = stations.fund_station(ledger, station)
        fund = rows.insert_fund(ledger, name.strip(), kind, project=project, sponsor=sponsor, note=note,
                                station_id=station_id)
        fund = dataclasses.replace(fund, station=station and stations.require(ledger, station))
        ledger.audit("fund add", {"fund": fund.name, "kind": kind, "sponsor": sponsor, "station": fund.station})
    return fund


def balances(ledger: Ledger, year: int | None = None) -> list[dict]:
    """Per fund: opening, in, out and closing cash and goods, for a year or for all time."""
    with ledger.read():
        return rows.statement(ledger, year or None)


def stock(ledger: Ledger, fund: str | None = None) -> list[dict]:
    with ledger.read():
        fund_id = None
        if fund:
            found = rows.fund_by_name(ledger, fund)
            if not found:
                raise names.unknown_fund(ledger, fund)
            fund_id = found.id
        return rows.stock(ledger, fund_id)
