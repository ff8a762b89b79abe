"""``disclose annual``: the packages 慈善中国 asks for (慈善组织信息公开办法 Art. 16: one entry per
annual report, per fundraising campaign and per charity project), as one context.

Each package is a frozen dataclass (``Package``); ``context`` turns them into the plain data the
template renders and JSON dumps. What a package holds: income by source (channel, platform, donor
type, the project it went to), the largest donors, spending by project and purpose, the
recipients as aggregates, management and fundraising costs, and the ratios. The annual package
also carries the annual report's data (``report annual``) and the financial statements
(``report statements``), reused as they are.

Privacy (README, "Disclosure"): no ID number is ever read. A donor is named when it is an
organisation, or a person whose gifts in the package reach ``LARGE_GIFT_FEN`` (大额捐赠); every other
person, and every anonymous gift, is counted in one line per donor type. Recipients are never named:
charitable spending is shown by relief category and township, with the number of recipients.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from charitybook.errors import CharitybookError
from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import disclosure as q
from charitybook.ledger import funds as fund_rows
from charitybook.ledger import reports as report_rows
from charitybook.money import plain, to_fen
from charitybook.reports import context as contexts

LARGE_GIFT_FEN = 10_000 * 100      # a person's gifts of at least this in a package are named (大额捐赠)
MOST_NAMED = 20                    # at most this many donors named per package; the rest in one line per type
PERSON, ANONYMOUS = "个人", "匿名"


@dataclass(frozen=True)
class Group:
    key: str
    count: int
    cash: str
    goods: str
    amount: str


@dataclass(frozen=True)
class Donor:
    donor: str
    donor_type: str
    count: int
    amount: str


@dataclass(frozen=True)
class Others:
    """Donors not named, one line per donor type: how many donors, gifts and how much."""
    donor_type: str
    donors: int
    count: int
    amount: str


@dataclass(frozen=True)
class Recipients:
    key: str           # a relief category or a township ('' when none was given)
    recipients: int
    count: int
    amount: str


@dataclass(frozen=True)
class Spent:
    project: str
    charitable: str
    management: str
    fundraising: str
    total: str


@dataclass(frozen=True)
class Package:
    package: str               # "annual", "campaign:NAME", "project:NAME": the key `disclose publish --package` takes
    kind: str                  # annual | campaign | project
    name: str | None
    year: int
    income: dict               # total, cash, goods, count, by_channel, by_platform, by_donor_type, by_project
    donors: dict               # large_gift_from, named, others
    spending: dict             # charitable, management, fundraising, total, by_project
    recipients: dict           # by_category, by_township (aggregates)
    ratios: dict
    balance: dict | None = None        # a project's fund: opening, in, out, closing (what is left)
    work_report: dict | None = None    # the annual package: `report annual`'s data
    statements: dict | None = None     # the annual package: `report statements`
    notes: tuple[str, ...] = ()        # codes, worded by the template (the JSON is the same in either language)


def _groups(rows: list[dict], field: str) -> list[Group]:
    sums: dict[str, list[int]] = {}
    for row in rows:
        line = sums.setdefault(row[field] or "", [0, 0, 0])
        line[0] += row["count"]
        line[1] += row["cash"]
        line[2] += row["goods"]
    ordered = sorted(sums.items(), key=lambda kv: (-(kv[1][1] + kv[1][2]), kv[0]))
    return [Group(key, n, plain(cash), plain(goods), plain(cash + goods)) for key, (n, cash, goods) in ordered]


def _income(rows: list[dict]) -> dict:
    count, cash, goods = (sum(r[k] for r in rows) for k in ("count", "cash", "goods"))
    return {"total": plain(cash + goods), "cash": plain(cash), "goods": plain(goods), "count": count,
            **{f"by_{key}": _groups(rows, key) for key in ("channel", "platform", "donor_type", "project")}}


def _donors(rows: list[dict]) -> dict:
    """Organisations and large personal gifts named, largest first; the rest counted per type."""
    per: dict[int, dict] = {}
    for row in rows:
        line = per.setdefault(row["donor_id"], {"donor": row["donor"], "donor_type": row["donor_type"], "count": 0, "fen": 0})
        line["count"] += row["count"]
        line["fen"] += row["cash"] + row["goods"]
    ordered = sorted(per.values(), key=lambda d: (-d["fen"], d["donor"]))
    nameable = [d for d in ordered if d["fen"] > 0 and d["donor_type"] != ANONYMOUS
                and (d["donor_type"] != PERSON or d["fen"] >= LARGE_GIFT_FEN)]
    named = nameable[:MOST_NAMED]
    shown = {id(d) for d in named}
    others: dict[str, list[int]] = {}
    for d in ordered:
        if id(d) not in shown:
            line = others.setdefault(d["donor_type"], [0, 0, 0])
            line[0] += 1
            line[1] += d["count"]
            line[2] += d["fen"]
    return {"large_gift_from": plain(LARGE_GIFT_FEN),
            "named": [Donor(d["donor"], d["donor_type"], d["count"], plain(d["fen"])) for d in named],
            "others": [Others(kind, n, count, plain(fen)) for kind, (n, count, fen)
                       in sorted(others.items(), key=lambda kv: (-kv[1][2], kv[0]))]}


def _spending(rows: list[dict]) -> dict:
    by: dict[str, dict[str, int]] = {}
    for row in rows:
        line = by.setdefault(row["project"], {"charitable": 0, "management": 0, "fundraising": 0})
        line[row["purpose"]] += row["cash"] + row["goods"]
    totals = {purpose: sum(line[purpose] for line in by.values()) for purpose in ("charitable", "management", "fundraising")}
    ordered = sorted(by.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    return {**{k: plain(v) for k, v in totals.items()}, "total": plain(sum(totals.values())),
            "by_project": [Spent(project, plain(l["charitable"]), plain(l["management"]), plain(l["fundraising"]),
                                 plain(sum(l.values()))) for project, l in ordered if any(l.values())]}


def _recipients(ledger: Ledger, fund_ids: list[int] | None) -> dict:
    return {f"by_{key}": [Recipients(r["key"], r["recipients"], r["count"], plain(r["amount"]))
                          for r in q.recipients_by(ledger, fund_ids, key) if r["count"] or r["amount"]]
            for key in ("category", "township")}


def _percent(part: str, whole: str) -> str | None:
    part, whole = Decimal(part), Decimal(whole)
    return str((part * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) if whole else None


def _package_ratios(income: dict, spending: dict) -> dict:
    """A campaign's or project's own ratios: what of its income was spent on charity, and what share
    of its spending were costs. (The statutory ratios are the association's: the annual package.)"""
    costs = Decimal(spending["management"]) + Decimal(spending["fundraising"])
    return {"charitable_of_income_percent": _percent(spending["charitable"], income["total"]),
            "costs_of_spending_percent": _percent(str(costs), spending["total"])}


def _annual(ledger: Ledger, year: int, annual: dict) -> Package:
    from charitybook.reports.statements import statements

    rows = q.donation_groups(ledger, year)
    income, spending = _income(rows), _spending(q.spending_groups(ledger, None))
    work = {key: value for key, value in annual.items() if key not in ("report", "association", "org_type", "year")}
    work["receipts"] = {key: value for key, value in work["receipts"].items() if key != "top_donors"}  # donors: below
    found = statements(ledger, year)
    return Package("annual", "annual", None, year, income, _donors(rows), spending,
                   _recipients(ledger, None), annual["compliance"], work_report=work,
                   statements={key: found[key] for key in ("chart", "activities", "position", "cashflow", "checks")})


def _campaign(ledger: Ledger, year: int, name: str) -> Package:
    rows = q.donation_groups(ledger, year, campaign=name)
    funds = q.campaign_funds(ledger, year, name)
    general = {f.id for f in _general(ledger)}
    projects = [fund_id for fund_id in funds if fund_id not in general]
    income, spending = _income(rows), _spending(q.spending_groups(ledger, projects))
    notes = ["campaign_spending"] + (["campaign_general_fund"] if set(funds) & general else [])
    return Package(f"campaign:{name}", "campaign", name, year, income, _donors(rows), spending,
                   _recipients(ledger, projects), _package_ratios(income, spending), notes=tuple(notes))


def _general(ledger: Ledger):
    return [f for f in fund_rows.all_funds(ledger) if f.kind == "general"]


def _project(ledger: Ledger, year: int, name: str, fund_id: int, statement: dict | None) -> Package:
    rows = q.donation_groups(ledger, year, fund_id=fund_id)
    income, spending = _income(rows), _spending(q.spending_groups(ledger, [fund_id]))
    balance = None
    if statement is not None:
        balance = {"opening": plain(_fen(statement["opening_cash"]) + _fen(statement["opening_goods"])),
                   "in": plain(_fen(statement["in_cash"]) + _fen(statement["in_goods"])),
                   "out": plain(_fen(statement["out_cash"]) + _fen(statement["out_goods"])),
                   "closing": plain(_fen(statement["cash"]) + _fen(statement["goods"]))}
    return Package(f"project:{name}", "project", name, year, income, _donors(rows), spending,
                   _recipients(ledger, [fund_id]), _package_ratios(income, spending), balance=balance)


def _fen(text: str) -> int:
    return to_fen(Decimal(text))


def _active(statement: dict) -> bool:
    return any(statement[key] != "0.00" for key in ("in_cash", "out_cash", "in_goods", "out_goods"))


def packages(ledger: Ledger, year: int) -> list[Package]:
    """Every package of ``year``: the annual report, each campaign with donations counted in the
    year, each project whose fund moved in the year. Refused when the year has nothing."""
    with ledger.read():
        if not report_rows.has_activity(ledger, year):
            raise CharitybookError(_("{year} has no entries: there is nothing to disclose").format(year=year),
                                   hint=_("give the year whose books are kept, e.g. --year {year}").format(year=year - 1))
        annual = contexts.annual(ledger, year)
        report_rows.gather(ledger, year)
        statements = {row["project"]: row for row in annual["funds"] if row["project"]}
        found = [_annual(ledger, year, annual)]
        found += [_campaign(ledger, year, name) for name in q.campaigns_in(ledger, year)]
        found += [_project(ledger, year, name, fund_id, statements.get(name))
                  for name, fund_id in sorted(q.project_funds(ledger).items())
                  if name in statements and _active(statements[name])]
    return found


def header(ledger: Ledger, year: int) -> dict:
    return {"association": ledger.meta("name"), "org_type": ledger.meta("org_type", "social"), "year": year}


def plain_package(package: Package) -> dict:
    """The package as the plain data JSON dumps (and a publication stores): lists, never tuples."""
    return json.loads(json.dumps(asdict(package), ensure_ascii=False))


def context(ledger: Ledger, year: int, found: list[Package]) -> dict:
    """``disclose annual``'s context: the packages given, as plain data."""
    return {"report": "disclosure", **header(ledger, year), "packages": [plain_package(p) for p in found]}
