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

What was published (``disclose publish``, schema.m017_disclosures) is done: the item says on which
day, and whether that was after its deadline. A package published is stored with its canonical JSON
and SHA-256, as the period fingerprints are (``services.periods`` owns both); when the ledger no
longer reproduces it (a late void), ``disclose correction`` names what changed, and publishing it
records a 更正说明 that supersedes the earlier publication.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from charitybook.dates import add_months
from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import disclosure as rows
from charitybook.ledger import funds as fund_rows
from charitybook.ledger import periods as period_rows
from charitybook.services import Refused, names
from charitybook.services.periods import canonical, changes

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


def package_key(kind: str, name: str | None) -> str:
    """The package a disclosure is: ``annual``, ``campaign:NAME``, ``project:NAME``."""
    return kind if name is None else f"{kind}:{name}"


def _item(what: str, kind: str, name: str | None, year: int, deadline: dt.date, today: dt.date,
          published: dict[tuple[int, str], str]) -> dict:
    days = (deadline - today).days
    state = "overdue" if days < 0 else "due" if days <= SOON else "later"
    on = published.get((year, package_key(kind, name)))
    if on is not None:
        state = "done late" if on > deadline.isoformat() else "done"
    return {"what": what, "kind": kind, "name": name, "year": year, "deadline": deadline.isoformat(),
            "days": days, "state": state, "published": on}


def due(ledger: Ledger, today: dt.date) -> Due:
    """Every disclosure the ledger knows of, by deadline: the overdue first, then the next due."""
    with ledger.read():
        years = rows.activity_years(ledger)
        ended = rows.ends(ledger)
        published = rows.first_published(ledger)
        unended = [(kind, name) for kind in ("campaign", "project") for name in _known(ledger, kind)
                   if (kind, name) not in ended]
    items = [_item(_("annual work report and financial report {year}").format(year=year), "annual", None, year,
                   dt.date(year + 1, *ANNUAL_BY), today, published) for year in years]
    for (kind, name), day in ended.items():
        day = dt.date.fromisoformat(day)
        what = (_("campaign {name} ended {date}: how the money raised was used, partners' evaluation") if kind == "campaign"
                else _("project {name} ended {date}: income, spending, and what is left and how it is handled"))
        items.append(_item(what.format(name=name, date=day.isoformat()), kind, name, day.year,
                           add_months(day, AFTER_END), today, published))
    items.sort(key=lambda item: (item["published"] is not None, item["deadline"], item["kind"], item["name"] or ""))
    notes = [_("not in the ledger, so not listed: major asset changes, investments and transactions, and "
               "related-party transactions, each to be published within 30 days")]
    if unended:
        shown = "、".join(name for _kind, name in unended[:8]) + ("、…" if len(unended) > 8 else "")
        notes.append(_("{count} campaigns or projects have no end date ({names}): record it with "
                       "`charitybook campaign end` or `charitybook project end`").format(count=len(unended), names=shown))
    if not any(item["published"] for item in items):
        notes.append(_("nothing is recorded as published: record a publication with `charitybook disclose publish`"))
    return Due(items, notes)


# --- disclose annual | publish | list | correction --------------------------------------------

@dataclass(frozen=True)
class Reproduced:
    """A package against its latest publication."""
    package: str
    published_on: str
    publication: int
    same: bool
    changed: int           # how many JSON paths differ


@dataclass(frozen=True)
class Published:
    package: str
    publication: int
    sha256: str
    supersedes: int | None
    changes: int


def _packages(ledger: Ledger, year: int, keys: list[str] | None):
    from charitybook.reports import disclosure as report

    found = report.packages(ledger, year)
    if keys:
        known = [p.package for p in found]
        for key in keys:
            if key not in known:
                raise names.unknown(_("package"), key, known,
                                    _("the packages of {year}: `charitybook disclose annual --year {year} --format json`").format(year=year))
        found = [p for p in found if p.package in keys]
    return found


def _fingerprint(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def annual(ledger: Ledger, year: int, keys: list[str] | None = None) -> tuple[dict, list[Reproduced]]:
    """``disclose annual``: the year's packages, and for each one published, whether it still
    reproduces what was published."""
    from charitybook.reports import disclosure as report

    with ledger.read():
        found = _packages(ledger, year, keys)
        context = report.context(ledger, year, found)
        verdicts = []
        for package in context["packages"]:
            last = rows.latest(ledger, year, package["package"])
            if last is not None:
                same = _fingerprint(canonical(package)) == last["sha256"]
                verdicts.append(Reproduced(package["package"], last["published_on"], last["id"], same,
                                           0 if same else len(changes(json.loads(last["body"]), package))))
        if not keys:   # a package published that the ledger no longer has (a campaign's gifts all voided)
            shown = {p["package"] for p in context["packages"]}
            for row in rows.publications(ledger, year):
                if row["package"] not in shown and row["superseded_by"] is None:
                    verdicts.append(Reproduced(row["package"], row["published_on"], row["id"], False, 1))
                    shown.add(row["package"])
    return context, verdicts


def publish(ledger: Ledger, year: int, keys: list[str] | None, on: dt.date) -> tuple[list[Published], list[str]]:
    """Record that the packages (all of the year's without ``keys``) were published on ``on``; a
    package whose latest publication it reproduces is left as it is (returned by key, second). A
    package that differs from its latest publication is a correction: the new row supersedes it and
    names what changed."""
    if on.year < year:
        raise Refused(_("--on {date} is before {year} began: a year's packages are published after it").format(
            date=on.isoformat(), year=year))
    done, unchanged = [], []
    with ledger.write():
        period_rows.require_open(ledger, on.isoformat())
        for package in _packages(ledger, year, keys):
            from charitybook.reports.disclosure import plain_package

            data = plain_package(package)
            body = canonical(data)
            sha = _fingerprint(body)
            last = rows.latest(ledger, year, package.package)
            if last is not None and last["sha256"] == sha:
                unchanged.append(package.package)
                continue
            changed = None if last is None else changes(json.loads(last["body"]), data)
            publication = rows.insert_publication(ledger, year, package.package, on.isoformat(), sha, body,
                                                  last and last["id"], None if changed is None else canonical(changed))
            done.append(Published(package.package, publication, sha, last and last["id"], len(changed or ())))
        for item in done:
            ledger.audit("disclose publish", {"year": year, "package": item.package, "on": on.isoformat(),
                                              "publication": item.publication, "sha256": item.sha256,
                                              "supersedes": item.supersedes})
    return done, unchanged


def correction(ledger: Ledger, year: int, key: str) -> dict:
    """The 更正说明 of a published package the ledger no longer reproduces: each changed line (its
    JSON path), the value published and the value now."""
    with ledger.read():
        last = rows.latest(ledger, year, key)
        if last is None:
            _packages(ledger, year, [key])     # an unknown package is refused with the closest names
            raise Refused(_("{package} of {year} has not been published: there is nothing to correct").format(
                package=key, year=year), _("publish it with `charitybook disclose publish --year {year} --package {package}`").format(
                year=year, package=key))
        from charitybook.reports.disclosure import header, packages, plain_package

        now = next((plain_package(p) for p in packages(ledger, year) if p.package == key), None)  # None: gone since
        found = changes(json.loads(last["body"]), now)
        if not found:
            raise Refused(_("{package} of {year} reproduces what was published on {date}: there is nothing to correct").format(
                package=key, year=year, date=last["published_on"]))
        return {"report": "correction", **header(ledger, year), "package": key, "publication": last["id"],
                "published_on": last["published_on"], "published_sha256": last["sha256"], "sha256": _fingerprint(canonical(now)),
                "changes": [{"path": path, "published": before, "now": after, "published_text": _shown(before), "now_text": _shown(after)}
                            for path, before, after in found]}


def _shown(value) -> str:
    """A value as the notice prints it: text as it is, anything else as compact JSON; — for none."""
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def listing(ledger: Ledger, year: int | None = None) -> list[dict]:
    """Every publication, oldest first per package, with what superseded it."""
    with ledger.read():
        found = rows.publications(ledger, year)
    return [{**row, "changes": len(json.loads(row["changes"])) if row["changes"] else 0,
             "state": "superseded" if row["superseded_by"] else "current"} for row in found]
