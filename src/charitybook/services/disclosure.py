"""What must be published on 慈善中国 and by when (慈善组织信息公开办法, 民政部令第81号, in
force 2026-01-01; see /work/shared/REFERENCE.md §2), computed from the ledger, and the end dates
of fundraising campaigns and projects that start the 3-month deadlines.

- The annual work report and financial report of each calendar year with entries: by May 31
  of the next year.
- A fundraising campaign (the ``--campaign`` donations name) and a project (a restricted fund's
  ``--project``): within 3 months of its end, once an end date is recorded (``campaign end``,
  ``project end``). Holiday relief campaigns (春节 2021) are spending, not fundraising: they are
  in the annual report and have no deadline of their own.
- A major asset change, investment or transaction, a related-party transaction, a charity trust
  set up: within 30 days of the day it happened, once recorded with ``notice add`` (the ledger
  cannot tell which of its entries is "major" -- the association's own rules set the thresholds).
  A notice is published as the package ``notice:N`` of the year it happened.

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
from decimal import Decimal

from charitybook.dates import add_months
from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import disclosure as rows
from charitybook.ledger import funds as fund_rows
from charitybook.ledger import periods as period_rows
from charitybook.money import from_fen, plain, to_fen
from charitybook.services import Refused, names
from charitybook.services.periods import canonical, changes
from charitybook.vocabulary import NOTICE_KINDS

SOON = 30          # days: a deadline this close is "due", a further one "later"
AFTER_END = 3      # months after a campaign's or a project's end
NOTICE_DAYS = 30   # days after a notice's event (Arts. 12-14)
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


@dataclass(frozen=True)
class Notice:
    id: int
    kind: str                  # vocabulary.NOTICE_KINDS
    happened: dt.date
    what: str
    party: str | None
    amount: Decimal | None
    replaces: int | None       # the notice this one corrects or withdraws
    withdrawn: str | None      # why, when this row takes ``replaces`` back

    @property
    def deadline(self) -> dt.date:
        return notice_deadline(self.happened.isoformat())


def notice_deadline(happened: str) -> dt.date:
    """The day a notice must be published by: 30 days after its event."""
    return dt.date.fromisoformat(happened) + dt.timedelta(days=NOTICE_DAYS)


def _notice(row: dict) -> Notice:
    return Notice(row["id"], row["kind"], dt.date.fromisoformat(row["happened"]), row["what"], row["party"],
                  None if row["amount_fen"] is None else from_fen(row["amount_fen"]), row["replaces"], row["withdrawn"])


def _standing_notice(ledger: Ledger, notice_id: int) -> dict:
    found = rows.notice(ledger, notice_id)
    if found is None or found["withdrawn"] is not None:
        raise Refused(_("no notice #{id} in the ledger").format(id=notice_id), _("see `charitybook notice list`"))
    if found["withdrawn_because"] is not None:
        raise Refused(_("notice #{id} was withdrawn (#{by}): record it again with `charitybook notice add`").format(
            id=notice_id, by=found["replaced_by"]))
    if found["replaced_by"] is not None:
        raise Refused(_("notice #{id} was already replaced by #{by}: correct that one").format(
            id=notice_id, by=found["replaced_by"]), _("see `charitybook notice list`"))
    return found


def add_notice(ledger: Ledger, kind: str, happened: dt.date, what: str, *, party: str | None = None,
               amount: Decimal | None = None, note: str | None = None, replaces: int | None = None) -> Notice:
    """``notice add``: an event to be published within 30 days; with ``replaces``, the correction of
    an earlier notice (which then no longer counts)."""
    with ledger.write():
        if replaces is not None:
            _standing_notice(ledger, replaces)
        row = {"kind": kind, "happened": happened.isoformat(), "what": what, "party": party,
               "amount_fen": None if amount is None else to_fen(amount), "note": note, "replaces": replaces}
        notice_id = rows.insert_notice(ledger, row)
        ledger.audit("notice add", {**row, "notice": notice_id})
    return _notice({**row, "id": notice_id, "withdrawn": None})


def withdraw_notice(ledger: Ledger, notice_id: int, reason: str) -> Notice:
    """``notice withdraw``: take back a notice recorded by mistake (a row that replaces it, with the reason)."""
    with ledger.write():
        old = _standing_notice(ledger, notice_id)
        row = {key: old[key] for key in ("kind", "happened", "what", "party", "amount_fen", "note")}
        row.update(replaces=notice_id, withdrawn=reason)
        new_id = rows.insert_notice(ledger, row)
        ledger.audit("notice withdraw", {"notice": notice_id, "reason": reason, "row": new_id})
    return _notice({**row, "id": new_id})


def notice_list(ledger: Ledger) -> list[dict]:
    """Every notice row: ``current``, ``replaced`` (by a later row) or ``withdrawal`` (the row that took one back)."""
    with ledger.read():
        found = rows.notices(ledger)
    return [{"id": row["id"], "kind": row["kind"], "happened": row["happened"], "what": row["what"], "party": row["party"],
             "amount_fen": row["amount_fen"], "note": row["note"], "replaces": row["replaces"], "withdrawn": row["withdrawn"],
             "state": ("withdrawal" if row["withdrawn"] is not None else "withdrawn" if row["withdrawn_because"] is not None
                       else "replaced" if row["replaced_by"] else "current"),
             "deadline": notice_deadline(row["happened"]).isoformat()}
            for row in found]


def _notice_package(row: dict) -> dict:
    """A notice as it is published (the package ``notice:N``)."""
    return {"package": f"notice:{row['id']}", "kind": "notice", "notice_kind": row["kind"], "year": int(row["happened"][:4]),
            "happened": row["happened"], "what": row["what"], "party": row["party"],
            "amount": None if row["amount_fen"] is None else plain(row["amount_fen"]), "replaces": row["replaces"]}


def _notice_packages(ledger: Ledger, year: int, keys: list[str]) -> list[tuple[str, dict]]:
    """(key, data) of the year's standing notices named in ``keys``."""
    found = {f"notice:{row['id']}": _notice_package(row) for row in rows.notices(ledger, standing_only=True)
             if row["happened"].startswith(f"{year}-")}
    for key in keys:
        if key not in found:
            raise names.unknown(_("package"), key, found,
                                _("a notice is the package of the year it happened: see `charitybook notice list`"))
    return [(key, data) for key, data in found.items() if key in keys]


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
          published: dict[tuple[int, str], str], key: str | None = None) -> dict:
    days = (deadline - today).days
    state = "overdue" if days < 0 else "due" if days <= SOON else "later"
    on = published.get((year, key or package_key(kind, name)))
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
        notices = rows.notices(ledger, standing_only=True)
    items = [_item(_("annual work report and financial report {year}").format(year=year), "annual", None, year,
                   dt.date(year + 1, *ANNUAL_BY), today, published) for year in years]
    for (kind, name), day in ended.items():
        day = dt.date.fromisoformat(day)
        what = (_("campaign {name} ended {date}: how the money raised was used, partners' evaluation") if kind == "campaign"
                else _("project {name} ended {date}: income, spending, and what is left and how it is handled"))
        items.append(_item(what.format(name=name, date=day.isoformat()), kind, name, day.year,
                           add_months(day, AFTER_END), today, published))
    for notice in notices:
        what = _("{kind} on {date}: {what}").format(kind=NOTICE_KINDS.label(notice["kind"]), date=notice["happened"],
                                                   what=notice["what"])
        items.append(_item(what, "notice", notice["what"], int(notice["happened"][:4]), notice_deadline(notice["happened"]),
                           today, published, key=f"notice:{notice['id']}"))
    items.sort(key=lambda item: (item["published"] is not None, item["deadline"], item["kind"], item["name"] or ""))
    notes = [] if notices else [
        _("major asset changes, investments and transactions, related-party transactions and charity trusts set up, "
          "each to be published within 30 days, are listed once recorded with `charitybook notice add`")]
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
                if row["package"] not in shown and row["superseded_by"] is None and not row["package"].startswith("notice:"):
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
        for key, data in _publishable(ledger, year, keys):
            body = canonical(data)
            sha = _fingerprint(body)
            last = rows.latest(ledger, year, key)
            if last is not None and last["sha256"] == sha:
                unchanged.append(key)
                continue
            changed = None if last is None else changes(json.loads(last["body"]), data)
            publication = rows.insert_publication(ledger, year, key, on.isoformat(), sha, body,
                                                  last and last["id"], None if changed is None else canonical(changed))
            done.append(Published(key, publication, sha, last and last["id"], len(changed or ())))
        for item in done:
            ledger.audit("disclose publish", {"year": year, "package": item.package, "on": on.isoformat(),
                                              "publication": item.publication, "sha256": item.sha256,
                                              "supersedes": item.supersedes})
    return done, unchanged


def _publishable(ledger: Ledger, year: int, keys: list[str] | None) -> list[tuple[str, dict]]:
    """(key, data) of what ``publish`` records: the year's packages (those named), and the notices
    named. A notice is published only when named: it is due within 30 days, on its own, and
    publishing the year's packages in May must not record a notice as published that day."""
    from charitybook.reports.disclosure import plain_package

    reports = None if keys is None else [key for key in keys if not key.startswith("notice:")]
    notices = [key for key in keys or () if key.startswith("notice:")]
    found = [(p.package, plain_package(p)) for p in _packages(ledger, year, reports)] if reports != [] else []
    return found + (_notice_packages(ledger, year, notices) if notices else [])


def correction(ledger: Ledger, year: int, key: str) -> dict:
    """The 更正说明 of a published package the ledger no longer reproduces: each changed line (its
    JSON path), the value published and the value now."""
    if key.startswith("notice:"):
        raise Refused(_("a notice is corrected by recording it again: `charitybook notice add … --replaces N`, "
                        "then publish the new one"))
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
