"""The chart-of-accounts profiles of 《民间非营利组织会计制度》: the one owner of account codes and
statement lines (行次). The data lives in ``data/charts.toml`` (with its sources), where an
accountant can correct it; this module loads it and answers two questions: which profile is in
force for a year, and which code and which statement line a role has in a profile.

Statements and ratios bind to a role (``management_cost``), never to a code: the 2026 revision
renumbers the expense accounts (管理费用 5201 → 5301), so a code means different things in
different years.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from charitybook.errors import CharitybookError
from charitybook.i18n import _

STATEMENTS = ("activities", "position", "cashflow")
# a line name as typed: without its numbering (一、 （一） 其中：) and its trailing note
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([0-9ivx]+\)\s*|[IVX]+\.\s*|其中：|减：|Less:\s*)+")


@dataclass(frozen=True)
class Line:
    statement: str
    row: int                       # 行次; 0 for a heading without one
    line: str                      # as printed (Chinese)
    en: str
    roles: tuple[str, ...] = ()    # what feeds it
    negated: frozenset = frozenset()  # the roles it subtracts ("-accumulated_amortisation" in the file)
    sums: tuple[int, ...] = ()     # the rows it adds up (negative: subtracted)
    heading: bool = False
    side: str | None = None        # position: asset, liability, net_assets
    sign: int = 1                  # -1: a contra line (累计折旧), entered positive, subtracted
    flow: str | None = None        # activities: income, expense, release; cashflow: in, out
    programmes: int = 0            # free programme lines under it (业务活动成本)
    total: bool = False            # 资产总计 / 负债和净资产总计
    uncertain: str | None = None
    uncertain_en: str | None = None

    @property
    def takes_entries(self) -> bool:
        """An accountant's opening balance or adjustment may be entered on it."""
        return bool(self.roles)

    def sign_of(self, role: str) -> int:
        return -1 if role in self.negated else 1

    def name(self, lang: str) -> str:
        return self.en if lang == "en" else self.line


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    en: str
    from_year: int
    uncertain: str | None
    uncertain_en: str | None
    accounts: dict
    statements: dict                # statement -> tuple[Line, ...]

    def lines(self, statement: str) -> tuple[Line, ...]:
        return self.statements[statement]

    def line_of(self, statement: str, role: str) -> Line:
        """The line a role feeds in one statement."""
        for line in self.statements[statement]:
            if role in line.roles:
                return line
        raise CharitybookError(_("the {chart} chart has no {statement} line for {role}").format(
            chart=self.key, statement=statement, role=role), _("correct data/charts.toml"))

    def code(self, role: str) -> str | None:
        """The account (code and name) a role is booked to, e.g. ``5301 管理费用``."""
        return self.accounts.get(role)

    def find(self, name: str) -> Line | None:
        """A line that takes entries, by its name (with or without 一、 其中： …), its English name or
        its role."""
        wanted = _plain(name)
        for statement in STATEMENTS:
            for line in self.statements[statement]:
                if line.takes_entries and wanted in (_plain(line.line), _plain(line.en), *line.roles):
                    return line
        return None

    def entry_names(self) -> list[str]:
        return [_plain(line.line) for statement in STATEMENTS for line in self.statements[statement] if line.takes_entries]


def _plain(name: str) -> str:
    text = re.sub(r"\s+", " ", str(name)).strip()
    text = re.sub(r"（若为.*）$", "", text)
    return _NUMBERING.sub("", text).strip().lower()


def _line(statement: str, raw: dict) -> Line:
    return Line(statement=statement, row=int(raw.get("row", 0)), line=raw["line"], en=raw.get("en", raw["line"]),
                roles=tuple(role.lstrip("-") for role in raw.get("roles", ())),
                negated=frozenset(role[1:] for role in raw.get("roles", ()) if role.startswith("-")), sums=tuple(raw.get("sum", ())), heading=bool(raw.get("heading")),
                side=raw.get("side"), sign=int(raw.get("sign", 1)), flow=raw.get("flow"),
                programmes=int(raw.get("programmes", 0)), total=bool(raw.get("total")), uncertain=raw.get("uncertain"),
                uncertain_en=raw.get("uncertain_en", raw.get("uncertain")))


@cache
def charts() -> dict[str, Chart]:
    """Every profile in the data file, by key ("2004", "2026")."""
    data = tomllib.loads((resources.files("charitybook") / "data" / "charts.toml").read_text(encoding="utf-8"))
    return {key: Chart(key=key, title=raw["title"], en=raw.get("en", raw["title"]), from_year=int(raw["from_year"]),
                       uncertain=raw.get("uncertain"), uncertain_en=raw.get("uncertain_en", raw.get("uncertain")), accounts=dict(raw.get("accounts", {})),
                       statements={s: tuple(_line(s, line) for line in raw.get(s, ())) for s in STATEMENTS})
            for key, raw in data["chart"].items()}


def sources() -> dict[str, str]:
    data = tomllib.loads((resources.files("charitybook") / "data" / "charts.toml").read_text(encoding="utf-8"))
    return dict(data.get("sources", {}))


def keys() -> tuple[str, ...]:
    return tuple(sorted(charts(), key=lambda key: charts()[key].from_year))


def in_force(year: int) -> Chart:
    """The profile in force for a fiscal year: the latest whose first year is not after it (the
    earliest for a year before them all)."""
    ordered = [charts()[key] for key in keys()]
    found = ordered[0]
    for chart in ordered:
        if chart.from_year <= year:
            found = chart
    return found


def chart(key: str | None, year: int) -> Chart:
    """``--chart KEY``, or the profile in force for ``year``."""
    if key is None:
        return in_force(year)
    if key not in charts():
        raise CharitybookError(_("no chart of accounts {key!r}").format(key=key),
                               _("use one of: {keys}").format(keys=", ".join(keys())))
    return charts()[key]
