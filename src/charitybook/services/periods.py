"""Closing and reopening a year (年度结账), and whether a closed year's reports are the ones signed.

A year's state is derived from its events (``ledger.periods``): closed while its latest event is a
close. Closing stores the fingerprint -- SHA-256 of the canonical JSON -- of every report that takes
``--year`` and is one per year (``SIGNED``); the donor report is one per donor and is not signed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import periods as rows
from charitybook.services import Refused

SIGNED = ("annual", "holiday", "compliance", "funds")
MOST_DIFFERENCES = 20


@dataclass(frozen=True)
class Closed:
    year: int
    event_id: int
    fingerprints: dict
    warnings: tuple = ()


@dataclass(frozen=True)
class Verdict:
    """A closed year's report against the one signed when it was closed."""

    year: int
    report: str
    signed_at: str
    signed_by: str
    same: bool
    closed: bool           # False: reopened since it was signed
    changed: tuple = ()    # JSON paths that differ, e.g. receipts.total.cash: '100.00' -> '90.00'


def canonical(context: dict) -> str:
    return json.dumps(context, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _contexts(ledger: Ledger, year: int):
    from charitybook.reports.render import build

    for kind in SIGNED:
        yield kind, build(ledger, kind, year)


def close(ledger: Ledger, year: int, by: str, note: str | None = None) -> Closed:
    by = (by or "").strip()
    if not by:
        raise Refused(_("closing a year needs --by: who closes it (the accountant)"))
    if year >= dt.date.today().year:
        raise Refused(_("{year} has not ended: a year is closed after it ends and is audited").format(year=year))
    warnings = []
    with ledger.write():
        if rows.is_closed(ledger, year):
            raise Refused(_("{year} is already closed").format(year=year), hint=_("see `charitybook period list`"))
        earlier = year - 1
        if not rows.is_closed(ledger, earlier) and _has_entries(ledger, earlier):
            warnings.append(_("{earlier} is still open: its figures can still change, and {year}'s opening "
                              "balances with them").format(earlier=earlier, year=year))
        signed = {kind: canonical(context) for kind, context in _contexts(ledger, year)}
        event_id = rows.insert_event(ledger, year, "close", by, note)
        prints = {}
        for kind, body in signed.items():
            prints[kind] = hashlib.sha256(body.encode("utf-8")).hexdigest()
            rows.insert_fingerprint(ledger, event_id, year, kind, prints[kind], body)
        ledger.audit("period close", {"year": year, "by": by, "note": note, "event": event_id, "fingerprints": prints})
    return Closed(year, event_id, prints, tuple(warnings))


def reopen(ledger: Ledger, year: int, reason: str, by: str) -> int:
    if not (reason or "").strip():
        raise Refused(_("reopening a year needs --reason: why the signed year is opened again"))
    if not (by or "").strip():
        raise Refused(_("reopening a year needs --by: who reopens it"))
    with ledger.write():
        if not rows.is_closed(ledger, year):
            raise Refused(_("{year} is not closed").format(year=year), hint=_("see `charitybook period list`"))
        event_id = rows.insert_event(ledger, year, "reopen", by.strip(), reason.strip())
        ledger.audit("period reopen", {"year": year, "by": by.strip(), "reason": reason.strip(), "event": event_id})
    return event_id


def listing(ledger: Ledger) -> list[dict]:
    """Every period event, oldest first per year, with the year's state now."""
    with ledger.read():
        closed = rows.closed_years(ledger)
        return [{**event, "state": "closed" if event["year"] in closed else "open"} for event in rows.events(ledger)]


def verify(ledger: Ledger, kind: str, year: int, holiday: str | None = None) -> Verdict | None:
    """None unless ``year`` was closed (it may be reopened since) and ``kind`` (unfiltered) is one of
    the signed reports; else the report now against the one signed at the latest close."""
    if kind not in SIGNED or holiday:
        return None
    from charitybook.reports.render import build

    with ledger.read():
        found = rows.signed(ledger, year, kind)
        if found is None:
            return None
        closed = rows.is_closed(ledger, year)
        body = canonical(build(ledger, kind, year))
    if hashlib.sha256(body.encode("utf-8")).hexdigest() == found["sha256"]:
        return Verdict(year, kind, found["at"], found["by_name"], True, closed)
    changed = tuple(differences(json.loads(found["body"]), json.loads(body)))
    return Verdict(year, kind, found["at"], found["by_name"], False, closed, changed)


def differences(signed, now, path: str = "") -> list[str]:
    """The JSON paths where ``now`` differs from ``signed``, with both values (at most a screen)."""
    found = [f"{where}: {_short(before)} → {_short(after)}" for where, before, after in changes(signed, now, path)]
    if len(found) > MOST_DIFFERENCES:
        found = [*found[:MOST_DIFFERENCES], _("… and {n} more").format(n=len(found) - MOST_DIFFERENCES)]
    return found


def changes(signed, now, path: str = "") -> list[tuple[str, object, object]]:
    """Every (JSON path, value signed, value now) where ``now`` differs from ``signed``: a list of
    another length, or a key only one side has, is one change at its path."""
    found: list[tuple[str, object, object]] = []
    _walk(signed, now, path, found)
    return found


def _walk(signed, now, path: str, found: list) -> None:
    if isinstance(signed, dict) and isinstance(now, dict):
        for key in sorted(set(signed) | set(now), key=str):
            _walk(signed.get(key), now.get(key), f"{path}.{key}" if path else str(key), found)
    elif isinstance(signed, list) and isinstance(now, list) and len(signed) == len(now):
        for index, (a, b) in enumerate(zip(signed, now)):
            _walk(a, b, f"{path}[{index}]", found)
    elif isinstance(signed, list) and isinstance(now, list) and (key := _identity(signed, now)):
        # rows added or gone (a fund, a donor): matched by what names them, each row its own change
        before, after = ({row[key]: row for row in rows} for rows in (signed, now))
        for name in [*before, *(name for name in after if name not in before)]:
            _walk(before.get(name), after.get(name), f"{path}[{key}={name}]", found)
    elif signed != now:
        found.append((path or ".", signed, now))


IDENTITIES = ("key", "package", "fund", "donor", "project", "line", "channel", "donor_type", "township", "category")


def _identity(signed: list, now: list) -> str | None:
    """The field that names each row of two lists of rows (``key``, ``fund``, ``donor`` …), if one
    does, uniquely on each side."""
    rows = signed + now
    if not rows or not all(isinstance(row, dict) for row in rows):
        return None
    for key in IDENTITIES:
        if all(isinstance(row.get(key), str) for row in rows) and all(
                len({row[key] for row in side}) == len(side) for side in (signed, now)):
            return key
    return None


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


def _has_entries(ledger: Ledger, year: int) -> bool:
    from charitybook.ledger.reports import has_activity

    return has_activity(ledger, year)
