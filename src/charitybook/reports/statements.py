"""The financial statements of 《民间非营利组织会计制度》 as one context: 业务活动表 (activities),
资产负债表 (position) and 现金流量表 (cashflow), for a year with the year before beside it.

Each line's figure is what the ledger holds for the roles that feed it (``ledger.statements``)
plus the accountant's opening balances and adjustments on those roles. The chart profile
(``charitybook.charts``) decides the lines, their names and 行次; nothing here knows a code.

How the accountant's entries count: on a balance-sheet line, an opening balance stands from its
year on and an adjustment moves the line from its year on (the line at the end of year Y is the
sum of both up to Y); on a 业务活动表 or 现金流量表 line, an entry is that year's amount, and an
income or expense entry also moves net assets from its year on.
"""

from __future__ import annotations

from decimal import Decimal

from charitybook.charts import Chart, Line
from charitybook.charts import chart as find_chart
from charitybook.ledger import Ledger
from charitybook.ledger import statements as q
from charitybook.money import plain, to_fen
from charitybook.vocabulary import RELIEF_CATEGORIES

COLUMNS = ("unrestricted", "restricted", "total")


def statements(ledger: Ledger, year: int, chart_key: str | None = None) -> dict:
    chart = find_chart(chart_key, year)
    with ledger.read():
        entered = q.entry_sums(ledger, year)
        this, before = _Year(ledger, chart, year, entered), _Year(ledger, chart, year - 1, entered)
        release = _release_check(ledger, year)
        association, org_type = ledger.meta("name"), ledger.meta("org_type", "social")
    activities = _activities(chart, this, before)
    position = _position(chart, this)
    cashflow = _cashflow(chart, this, before)
    return {"report": "statements", "association": association, "org_type": org_type, "year": year,
            "chart": {"key": chart.key, "title": chart.title, "en": chart.en, "uncertain": chart.uncertain,
                      "uncertain_en": chart.uncertain_en},
            "activities": activities, "position": position, "cashflow": cashflow,
            "checks": {**_balance_check(chart, this, position), **_cash_check(position, cashflow), "release": release}}


class _Year:
    """One year's figures by role, from the ledger and from the accountant's entries."""

    def __init__(self, ledger: Ledger, chart: Chart, year: int, entered: list[tuple]):
        self.year, self.chart = year, chart
        self.activity = q.activity(ledger, year)                  # (role, restricted) -> fen
        self.programmes = q.programmes(ledger, year)
        self.flows = q.cash_flows(ledger, year)
        self.end, self.start = q.holdings(ledger, year, False), q.holdings(ledger, year, True)
        self._book_release(ledger)
        self.entered_roles: set[str] = set()
        self.end_entries: dict[str, int] = {}                      # position roles (and net-asset moves) at year end
        self.start_entries: dict[str, int] = {}
        self.effects: dict[str, int] = {}                          # role -> what it puts between the two totals
        kinds = {line_role: line for s in ("activities", "position", "cashflow") for line in chart.lines(s)
                 for line_role in line.roles}
        # an opening balance states the line at the start of its year: it replaces what earlier
        # entries on the line carried forward (entered again for the next year, it is not added twice)
        self.restated: dict[str, int] = {}
        for kind, when, role, _restricted, _fen in entered:
            if kind == "opening" and when <= year:
                self.restated[role] = max(when, self.restated.get(role, 0))
        for kind, when, role, restricted, fen in entered:
            line = kinds.get(role)
            if line is None or when > year:
                continue
            if line.statement == "position" and when < self._restated(role):
                continue
            if line.statement == "activities" and when < year and when < self._restated(
                    "net_assets_restricted" if restricted and line.flow != "release" else "net_assets_unrestricted"):
                continue                                         # its move of net assets was restated since
            self.effects[role] = self.effects.get(role, 0) + _effect(line, line.sign_of(role) * fen)
            if line.statement == "position":
                self._bump(role, fen, when == year and kind == "adjustment")
            elif line.statement == "activities":
                self._activity_entry(line, role, restricted, fen, when)
            elif when == year:
                self.flows[role] = self.flows.get(role, 0) + fen
                self.entered_roles.add(role)

    def _restated(self, role: str) -> int:
        """The year of the latest opening balance on ``role`` up to this year (0 when none)."""
        return self.restated.get(role, 0)

    def _book_release(self, ledger: Ledger) -> None:
        """Once the accountant confirmed a year's release, the 业务活动表 shows what was booked; where
        the ledger changed since, restricted net assets keep what was not released (the
        difference, from that year on), so the columns still add up to the balance sheet."""
        booked = q.confirmation(ledger, self.year)
        if booked is not None:
            self.activity.pop(("restricted_release", 0), None)
            if sum(booked[1].values()):
                self.activity[("restricted_release", 0)] = sum(booked[1].values())
        for held, until in ((self.end, self.year), (self.start, self.year - 1)):
            drift = sum(_proposed(ledger, year) - sum(q.confirmation(ledger, year)[1].values())
                        for year in q.confirmed_years(ledger, until))
            held["net_assets_restricted"] += drift
            held["net_assets_unrestricted"] -= drift

    def _bump(self, role: str, fen: int, this_year_only: bool) -> None:
        self.end_entries[role] = self.end_entries.get(role, 0) + fen
        if not this_year_only:
            self.start_entries[role] = self.start_entries.get(role, 0) + fen
        self.entered_roles.add(role)

    def _activity_entry(self, line: Line, role: str, restricted: int, fen: int, when: int) -> None:
        if when == self.year:
            key = (role, 0 if line.flow == "release" else restricted)
            self.activity[key] = self.activity.get(key, 0) + fen
            self.entered_roles.add(role)
        moves = {"income": fen, "expense": -fen}.get(line.flow, 0)
        for column, amount in (("net_assets_restricted" if restricted else "net_assets_unrestricted", moves),
                               *((("net_assets_unrestricted", fen), ("net_assets_restricted", -fen)) if line.flow == "release" else ())):
            if amount:
                self.end_entries[column] = self.end_entries.get(column, 0) + amount
                if when < self.year:
                    self.start_entries[column] = self.start_entries.get(column, 0) + amount

    def columns(self, line: Line) -> dict[str, int]:
        """A 业务活动表 line: its unrestricted and restricted figures."""
        if line.flow == "release":
            released = sum(fen for (role, _), fen in self.activity.items() if role in line.roles)
            return {"unrestricted": released, "restricted": -released}
        return {column: sum(self.activity.get((role, restricted), 0) for role in line.roles)
                for column, restricted in (("unrestricted", 0), ("restricted", 1))}

    def balance(self, line: Line, at_start: bool) -> int:
        held, entries = (self.start, self.start_entries) if at_start else (self.end, self.end_entries)
        return sum(line.sign_of(role) * (held.get(role, 0) + entries.get(role, 0)) for role in line.roles)


def _summed(lines: list[tuple[Line, dict]], line: Line, keys) -> dict:
    by_row = {l.row: figures for l, figures in lines if l.row and not l.heading}
    return {key: sum((1 if row > 0 else -1) * by_row.get(abs(row), {}).get(key, 0) for row in line.sums) for key in keys}


def _out(line: Line, figures: dict | None, entered: bool, **extra) -> dict:
    result = {"row": line.row or None, "line": line.line, "en": line.en, "heading": line.heading}
    if not line.heading:
        result.update({key: plain(fen) for key, fen in figures.items()})
    result.update(extra)
    result.update(entered=entered, uncertain=line.uncertain, uncertain_en=line.uncertain_en)
    return result


def _activities(chart: Chart, this: _Year, before: _Year) -> list[dict]:
    done: list[tuple[Line, dict]] = []
    result = []
    for line in chart.lines("activities"):
        if line.heading:
            result.append(_out(line, None, False))
            continue
        if line.sums:
            figures = _summed(done, line, [f"{p}{c}" for p in ("", "previous_") for c in COLUMNS])
        else:
            now, then = this.columns(line), before.columns(line)
            figures = {**{c: now[c] for c in COLUMNS[:2]}, "total": now["unrestricted"] + now["restricted"],
                       **{f"previous_{c}": then[c] for c in COLUMNS[:2]},
                       "previous_total": then["unrestricted"] + then["restricted"]}
        figures = {key: figures[key] for key in [f"{p}{c}" for p in ("", "previous_") for c in COLUMNS]}
        done.append((line, figures))
        entered = bool(set(line.roles) & (this.entered_roles | before.entered_roles))
        result.append(_out(line, figures, entered, flow=line.flow or "sum"))
        if line.programmes:
            result.extend(_programme_lines(line, this, before))
    return result


def _programme_lines(line: Line, this: _Year, before: _Year) -> list[dict]:
    """其中: the charitable spending by relief category, largest first, in at most ``programmes``
    lines (the last one sums the rest)."""
    categories = sorted(set(this.programmes) | set(before.programmes),
                        key=lambda c: (-this.programmes.get(c, 0), -before.programmes.get(c, 0), c))
    if len(categories) > line.programmes:
        shown, rest = categories[:line.programmes - 1], categories[line.programmes - 1:]
        groups = [([c], c) for c in shown] + [(rest, "")]
    else:
        groups = [([c], c) for c in categories]
    result = []
    for number, (members, category) in enumerate(groups):
        now, then = sum(this.programmes.get(c, 0) for c in members), sum(before.programmes.get(c, 0) for c in members)
        result.append({"row": line.row + 1 + number, "line": f"其中：{category or '其他'}",
                       "en": f"of which: {RELIEF_CATEGORIES.label(category, 'en') if category else 'other'}",
                       "programme": category or None,
                       "unrestricted": plain(now), "restricted": plain(0), "total": plain(now),
                       "previous_unrestricted": plain(then), "previous_restricted": plain(0), "previous_total": plain(then),
                       "heading": False, "flow": "programme", "entered": False, "uncertain": None,
                       "uncertain_en": None})
    return result


def _position(chart: Chart, this: _Year) -> list[dict]:
    done: list[tuple[Line, dict]] = []
    result = []
    for line in chart.lines("position"):
        if line.heading:
            result.append({**_out(line, None, False), "side": line.side})
            continue
        if line.sums:
            figures = _summed(done, line, ("total", "previous_total"))
        else:
            figures = {"total": this.balance(line, False), "previous_total": this.balance(line, True)}
        done.append((line, figures))
        result.append(_out(line, figures, bool(set(line.roles) & this.entered_roles), side=line.side))
    return result


def _cashflow(chart: Chart, this: _Year, before: _Year) -> list[dict]:
    done: list[tuple[Line, dict]] = []
    result = []
    for line in chart.lines("cashflow"):
        if line.heading:
            result.append(_out(line, None, False))
            continue
        if line.sums:
            figures = _summed(done, line, ("total", "previous_total"))
        else:
            figures = {"total": sum(this.flows.get(r, 0) for r in line.roles),
                       "previous_total": sum(before.flows.get(r, 0) for r in line.roles)}
        done.append((line, figures))
        result.append(_out(line, figures, bool(set(line.roles) & (this.entered_roles | before.entered_roles))))
    return result


def _proposed(ledger: Ledger, year: int) -> int:
    """The release the ledger proposes for ``year``: what restricted funds spent and moved."""
    return sum(row["spent"] + row["moved"] for row in q.releases(ledger, year))


def _release_check(ledger: Ledger, year: int) -> dict:
    """Whether the year's release from restriction was confirmed, and where what was booked differs
    from what the ledger proposes now (the ledger changed after the confirmation)."""
    proposed = {row["id"]: (row["fund"], row["spent"] + row["moved"]) for row in q.releases(ledger, year)}
    booked = q.confirmation(ledger, year)
    if booked is None:
        total = sum(fen for _, fen in proposed.values())
        return {"confirmed": False, "confirmation": None, "by": None, "on": None, "proposed": plain(total),
                "booked": None, "differs": []}
    head, lines = booked
    differs = [{"fund": proposed[fund][0], "booked": plain(lines.get(fund, 0)), "proposed": plain(proposed[fund][1])}
               for fund in sorted(set(proposed) | set(lines)) if fund in proposed and lines.get(fund, 0) != proposed[fund][1]]
    return {"confirmed": True, "confirmation": head["id"], "by": head["by_name"], "on": head["confirmed_on"],
            "proposed": plain(sum(fen for _, fen in proposed.values())), "booked": plain(sum(lines.values())),
            "differs": differs}


def _fen(text: str) -> int:
    return to_fen(Decimal(text))


def _effect(line: Line, fen: int) -> int:
    """How much an entry on ``line`` puts 资产总计 above 负债和净资产总计 when nothing answers it."""
    if line.statement == "position":
        return line.sign * fen if line.side == "asset" else -fen
    return {"income": -fen, "expense": fen}.get(line.flow, 0) if line.statement == "activities" else 0


def _balance_check(chart: Chart, this: _Year, position: list[dict]) -> dict:
    """资产总计 = 负债和净资产总计, or by how much not and which entered lines lack a counterpart."""
    rows = {line.row: line for line in chart.lines("position") if line.total}
    totals = {rows[line["row"]].side == "asset": _fen(line["total"]) for line in position if line.get("row") in rows}
    difference = totals[True] - totals[False]
    unmatched, _done_roles = [], set()
    if difference:
        for statement in ("position", "activities"):
            for line in chart.lines(statement):
                effect = sum(this.effects.get(role, 0) for role in line.roles if role not in _done_roles)
                _done_roles.update(line.roles)
                if effect:
                    unmatched.append({"statement": statement, "row": line.row or None, "line": line.line, "en": line.en,
                                      "effect": plain(effect)})
    return {"balanced": difference == 0, "assets": plain(totals[True]), "liabilities_and_net_assets": plain(totals[False]),
            "difference": plain(difference), "unmatched": unmatched}


def _cash_check(position: list[dict], cashflow: list[dict]) -> dict:
    """The 现金流量表's net increase against the change in 货币资金 on the balance sheet."""
    cash = next(line for line in position if line["line"] == "货币资金")
    change = _fen(cash["total"]) - _fen(cash["previous_total"])
    net = _fen(cashflow[-1]["total"])
    return {"cash_change": plain(change), "cash_flow_difference": plain(net - change)}
