"""What must be published on 慈善中国 and by when (慈善组织信息公开办法, 民政部令第81号, in
force 2026-01-01; see /work/shared/REFERENCE.md §2), computed from the ledger, and the end dates
of fundraising campaigns and projects that start the 3-month deadlines.

- The annual work report and financial report of each calendar year with entries: by May 31
  of the next year.
- A fundraising campaign (the ``--campaign`` donations name) and a project (a restricted fund's
  ``--project``): within 3 months of its end, once an end date is recorded (``campaign end``,
  ``project end``). Holiday relief campaigns (春节 2021) are spending, not fundraising: they are
  in the annual report and have no deadline of their own.
- Major asset changes, investments and transactions, and related-party transactions (within 30
  days) are not in the ledger: the notes say so.

The ledger does not record what has been published: an item stays on the list after it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from charitybook.dates import add_months
from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import disclosure as rows
from charitybook.ledger import funds as fund_rows
from charitybook.services import names

SOON = 30          # days: a deadline this close is "due", a further one "later"
AFTER_END = 3      # months after a campaign's or a project's end
ANNUAL_BY = (5, 31)  # month and day of the next year


@dataclass(frozen=True)
class Ended:
    event_id: int
    kind: str
    name: str
    ended: dt.date
    replaces: str | None   # the end date it supersedes, if one was recorded before


@dataclass(frozen=True)
class Due:
    items: list[dict]      # {"what", "kind", "name", "year", "deadline", "days", "state"}, by deadline
    notes: list[str]


def _known(ledger: Ledger, kind: str) -> list[str]:
    return rows.campaign_names(ledger) if kind == "campaign" else fund_rows.project_names(ledger)


def end(ledger: Ledger, kind: str, name: str, ended: dt.date, note: str | None = None) -> Ended:
    """``campaign end`` / ``project end``: record the day a campaign or project ended (an event;
    a later one supersedes an earlier one). Only a name the ledger knows, else the closest."""
    with ledger.write():
        if name not in _known(ledger, kind):
            what = _("campaign") if kind == "campaign" else _("project")
            hint = (_("a campaign is known once a donation names it (--campaign)") if kind == "campaign"
                    else _("a project is known once it has a fund (--new-project, or `charitybook fund add NAME --project P`)"))
            raise names.unknown(what, name, _known(ledger, kind), hint)
        previous = rows.ends(ledger).get((kind, name))
        event_id = rows.insert_end(ledger, kind, name, ended.isoformat(), note)
        ledger.audit(f"{kind} end", {"name": name, "ended": ended.isoformat(), "replaces": previous, "event": event_id})
    return Ended(event_id, kind, name, ended, previous)


def _item(what: str, kind: str, name: str | None, year: int, deadline: dt.date, today: dt.date) -> dict:
    days = (deadline - today).days
    state = "overdue" if days < 0 else "due" if days <= SOON else "later"
    return {"what": what, "kind": kind, "name": name, "year": year, "deadline": deadline.isoformat(),
            "days": days, "state": state}


def due(ledger: Ledger, today: dt.date) -> Due:
    """Every disclosure the ledger knows of, by deadline: the overdue first, then the next due."""
    with ledger.read():
        years = rows.activity_years(ledger)
        ended = rows.ends(ledger)
        unended = [(kind, name) for kind in ("campaign", "project") for name in _known(ledger, kind)
                   if (kind, name) not in ended]
    items = [_item(_("annual work report and financial report {year}").format(year=year), "annual", None, year,
                   dt.date(year + 1, *ANNUAL_BY), today) for year in years]
    for (kind, name), day in ended.items():
        day = dt.date.fromisoformat(day)
        what = (_("campaign {name} ended {date}: how the money raised was used, partners' evaluation") if kind == "campaign"
                else _("project {name} ended {date}: income, spending, and what is left and how it is handled"))
        items.append(_item(what.format(name=name, date=day.isoformat()), kind, name, day.year,
                           add_months(day, AFTER_END), today))
    items.sort(key=lambda item: (item["deadline"], item["kind"], item["name"] or ""))
    notes = [_("not in the ledger, so not listed: major asset changes, investments and transactions, and "
               "related-party transactions, each to be published within 30 days")]
    if unended:
        shown = "、".join(name for _kind, name in unended[:8]) + ("、…" if len(unended) > 8 else "")
        notes.append(_("{count} campaigns or projects have no end date ({names}): record it with "
                       "`charitybook campaign end` or `charitybook project end`").format(count=len(unended), names=shown))
    notes.append(_("the ledger does not record what was published: an item stays listed after it is"))
    return Due(items, notes)
