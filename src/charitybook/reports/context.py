"""Each report is one context of plain data, built inside one read transaction.

Money is a string in 元 with two decimals ("826400.00"), counts are integers, ratios are strings
with two decimals in percent ("72.35"). ``json.dumps(context)`` is the JSON format.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from charitybook.errors import CharitybookError
from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import funds as fund_rows
from charitybook.ledger import pass_through as pass_through_rows
from charitybook.ledger import reports as q
from charitybook.ledger import tiers as tier_rows
from charitybook.money import plain
from charitybook.reports import station

CHARITABLE_MIN = Decimal(70)
MANAGEMENT_MAX = {"social": Decimal(13), "foundation": Decimal(10)}
MANAGEMENT_FLOOR_FEN = 200_000 * 100


def _period(year: int) -> dict:
    return {"start": f"{year:04d}-01-01", "end": f"{year:04d}-12-31"}


def _percent(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _money_rows(rows: list[dict], key_name: str) -> list[dict]:
    return [{key_name: row["key"], "count": row["count"], "cash": plain(row["cash"]), "goods": plain(row["goods"]),
             "amount": plain(row["cash"] + row["goods"])} for row in rows]


def _header(ledger: Ledger, kind: str, year: int) -> dict:
    return {"report": kind, "association": ledger.meta("name"), "org_type": ledger.meta("org_type", "social"), "year": year}


def receipts(ledger: Ledger, year: int, years: Years) -> dict:
    params = _period(year)
    totals = _year_receipts(ledger, year)
    total = totals["cash"] + totals["goods"]
    previous = years.totals(year - 1)
    previous_total = previous["cash"] + previous["goods"]
    has_previous = q.has_activity(ledger, year - 1)
    growth = None
    if has_previous and previous_total:
        growth = str(((Decimal(total) - previous_total) * 100 / previous_total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    pledges = q.pledges_outstanding(ledger, params["end"])
    return {
        "total": plain(total), "cash": plain(totals["cash"]), "goods": plain(totals["goods"]),
        "online": plain(totals["online"]), "count": totals["count"],
        "other_income": plain(q.other_income(ledger, params)),
        **{f"by_{key}": _money_rows(_ordered(totals["by"][key], key == "month"), key)
           for key in ("channel", "donor_type", "township", "month", "project")},
        "top_donors": [{"donor": r["key"][0], "donor_type": r["key"][1], "count": r["count"], "cash": plain(r["cash"]),
                        "goods": plain(r["goods"]), "amount": plain(r["cash"] + r["goods"])}
                       for r in _ordered(totals["donors"], False)[:10]],
        "pledges_outstanding": {"count": pledges["count"], "amount": plain(pledges["amount"])},
        "previous_total": plain(previous_total) if has_previous else None,
        "growth_percent": growth,
    }


def _year_receipts(ledger: Ledger, year: int) -> dict:
    """The year's standing donations: totals, every breakdown and each donor's sum, rolled up
    from the totals the ledger keeps (a few hundred groups, however many donations)."""
    projects = q.fund_projects(ledger)
    by: dict[str, dict] = {key: {} for key in ("channel", "donor_type", "township", "month", "project")}
    count = cash = goods = online = 0
    for month, channel, township, fund_id, n, cash_fen, goods_fen in q.receipt_groups(ledger, year):
        count += n
        cash += cash_fen
        goods += goods_fen
        if channel == "online":
            online += cash_fen
        for key, value in (("channel", channel), ("township", township), ("month", month), ("project", projects[fund_id])):
            _bump(by[key], value, n, cash_fen, goods_fen)
    per_donor: dict = {}
    for donor_id, name, donor_type, n, cash_fen, goods_fen in q.donor_groups(ledger, year):
        _bump(by["donor_type"], donor_type, n, cash_fen, goods_fen)
        if donor_type != "匿名":
            _bump(per_donor, (name, donor_type, donor_id), n, cash_fen, goods_fen)
    return {"count": count, "cash": cash, "goods": goods, "online": online, "by": by, "donors": per_donor}


def _bump(sums: dict, key, count: int, cash_fen: int, goods_fen: int) -> None:
    line = sums.get(key)
    if line is None:
        line = sums[key] = {"key": key, "count": 0, "cash": 0, "goods": 0}
    line["count"] += count
    line["cash"] += cash_fen
    line["goods"] += goods_fen


def _ordered(sums: dict, by_key: bool) -> list[dict]:
    """Months in order; everything else largest first, ties by name."""
    if by_key:
        return sorted(sums.values(), key=lambda r: r["key"])
    return sorted(sums.values(), key=lambda r: (-(r["cash"] + r["goods"]), r["key"]))


def holidays(ledger: Ledger, year: int, holiday: str | None = None) -> list[dict]:
    result = []
    for campaign in q.campaigns(ledger, year, holiday):
        [total] = q.campaign_by(ledger, campaign["id"], None) or [{"recipients": 0, "persons": 0, "cash": 0, "goods": 0}]
        result.append({
            "holiday": campaign["holiday"], "year": campaign["year"], "unit": campaign["unit"],
            "recipients": total["recipients"], "persons": total["persons"],
            "cash": plain(total["cash"]), "goods": plain(total["goods"]), "total": plain(total["cash"] + total["goods"]),
            "by_township": _campaign_rows(ledger, campaign["id"], "township"),
            "by_hardship_type": _campaign_rows(ledger, campaign["id"], "hardship_type"),
        })
    return result


def _campaign_rows(ledger: Ledger, campaign_id: int, key: str) -> list[dict]:
    return [{key: r["key"], "recipients": r["recipients"], "cash": plain(r["cash"]), "goods": plain(r["goods"]),
             "total": plain(r["cash"] + r["goods"])} for r in q.campaign_by(ledger, campaign_id, key)]


def relief(ledger: Ledger, year: int) -> dict:
    params = _period(year)
    by_category = q.relief_by(ledger, params, "category")
    total = sum(r["cash"] + r["goods"] for r in by_category)
    return {
        "total": plain(total), "cash": plain(sum(r["cash"] for r in by_category)),
        "goods": plain(sum(r["goods"] for r in by_category)),
        "by_category": [{"category": r["key"], "recipients": r["recipients"], "count": r["count"], "cash": plain(r["cash"]),
                         "goods": plain(r["goods"]), "amount": plain(r["cash"] + r["goods"])} for r in by_category],
        "by_township": [{"township": r["key"], "recipients": r["recipients"], "amount": plain(r["cash"] + r["goods"])}
                        for r in q.relief_by(ledger, params, "township")],
        "holidays": holidays(ledger, year),
    }


def fund_statements(ledger: Ledger, year: int) -> list[dict]:
    rows = fund_rows.statement(ledger, year)
    keys = ("opening_cash", "in_cash", "out_cash", "cash", "opening_goods", "in_goods", "out_goods", "goods", "principal")
    return [{"fund": r["name"], "kind": r["kind"], "project": r["project"], "sponsor": r["sponsor"],
             **{key: plain(r[key]) for key in keys}} for r in rows]


class Years:
    """Each year's totals, read once per report: growth and the ratios both need earlier years."""

    def __init__(self, ledger: Ledger):
        self.ledger, self.cache = ledger, {}

    def totals(self, year: int) -> dict:
        if year not in self.cache:
            self.cache[year] = q.year_totals(self.ledger, year)
        return self.cache[year]

    def income(self, year: int) -> int:
        """All income: donations, other income and grants from a higher body."""
        totals = self.totals(year)
        return totals["cash"] + totals["goods"] + totals["other_income"] + totals["tiers"]["from_above"]

    def passed_on(self, year: int) -> int:
        tiers = self.totals(year)["tiers"]
        return tiers["to_above"] + tiers["to_below"]

    def base(self, year: int) -> int:
        """The income the 70% rule is measured against: all income less what was passed on to
        another legal entity that year, which that entity counts and spends (README, "Money
        between tiers")."""
        return max(self.income(year) - self.passed_on(year), 0)


def tiers(ledger: Ledger, year: int, years: Years) -> dict:
    """Money between tiers, on its own lines: received from above, passed up, passed down."""
    totals = years.totals(year)["tiers"]
    return {**{kind: plain(fen) for kind, fen in totals.items()},
            "passed_on": plain(totals["to_above"] + totals["to_below"]),
            "by_body": [{"kind": r["kind"], "body": r["body"], "count": r["count"], "amount": plain(r["cash"])}
                        for r in tier_rows.by_body(ledger, _period(year))]}


def compliance(ledger: Ledger, year: int, years: Years) -> dict:
    """The statutory ratios, each pass / breach / not enough history / not applicable — never a guess."""
    org_type = ledger.meta("org_type", "social")
    spending = q.spending_by_purpose(ledger, _period(year))
    charitable, management = spending.get("charitable", 0), spending.get("management", 0)
    total_spending = charitable + management + spending.get("fundraising", 0)
    checks = []
    if q.has_activity(ledger, year - 1):
        base = years.base(year - 1)
        checks.append(_min_check("charitable_vs_previous_income", charitable, base, CHARITABLE_MIN))
    else:
        checks.append(_no_history("charitable_vs_previous_income", CHARITABLE_MIN, "min"))
    if all(q.has_activity(ledger, year - k) for k in (1, 2, 3)):
        base = sum(years.base(year - k) for k in (1, 2, 3))
        check = _min_check("charitable_vs_three_year_income", charitable * 3, base, CHARITABLE_MIN)
        check["base"] = plain(int((Decimal(base) / 3).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
        check["actual"] = plain(charitable)
        checks.append(check)
    else:
        checks.append(_no_history("charitable_vs_three_year_income", CHARITABLE_MIN, "min"))
    limit = MANAGEMENT_MAX.get(org_type, MANAGEMENT_MAX["social"])
    management_check = {"rule": "management_vs_total_spending", "limit": "max", "threshold_percent": str(limit),
                         "actual": plain(management), "base": plain(total_spending),
                         "percent": _percent(management, total_spending)}
    if management < MANAGEMENT_FLOOR_FEN:
        management_check["status"] = "not applicable"
    else:
        management_check["status"] = "pass" if Decimal(management) * 100 <= limit * total_spending else "breach"
    checks.append(management_check)
    tier_totals = years.totals(year)["tiers"]
    return {
        "org_type": org_type, "income": plain(years.income(year)),
        "tiers": {"from_above": plain(tier_totals["from_above"]), "passed_on": plain(years.passed_on(year)),
                  "base_passed_on": plain(years.passed_on(year - 1))},
        "spending": {"charitable": plain(charitable), "management": plain(management),
                     "fundraising": plain(spending.get("fundraising", 0)), "total": plain(total_spending)},
        "checks": checks,
    }


def _min_check(rule: str, actual: int, base: int, threshold: Decimal) -> dict:
    status = "pass" if Decimal(actual) * 100 >= threshold * base else "breach"
    return {"rule": rule, "limit": "min", "threshold_percent": str(threshold), "actual": plain(actual),
            "base": plain(base), "percent": _percent(actual, base), "status": status}


def _no_history(rule: str, threshold: Decimal, limit: str) -> dict:
    return {"rule": rule, "limit": limit, "threshold_percent": str(threshold), "actual": None, "base": None,
            "percent": None, "status": "not enough history"}


# --- the reports --------------------------------------------------------------------------

def annual(ledger: Ledger, year: int) -> dict:
    with ledger.read():
        q.gather(ledger, year)
        years = Years(ledger)
        found = {**_header(ledger, "annual", year), "receipts": receipts(ledger, year, years),
                 "tiers": tiers(ledger, year, years), "relief": relief(ledger, year),
                 "funds": fund_statements(ledger, year), "compliance": compliance(ledger, year, years)}
        townships = station.townships_of(ledger)  # a village's figures count in its township's line
        found["receipts"]["by_township"] = station.fold(found["receipts"]["by_township"], "township", townships)
        found["relief"]["by_township"] = station.fold(found["relief"]["by_township"], "township", townships)
        moved = pass_through(ledger, year)
        if moved:
            found["pass_through"] = moved
        return found


def pass_through(ledger: Ledger, year: int) -> dict | None:
    """Pass-through gifts (受托代理) of the year, apart from the receipts: neither raised nor spent.
    None when the year has none received, handed over or held."""
    sums = pass_through_rows.year_sums(ledger, year)
    held = pass_through_rows.held_at(ledger, f"{year:04d}-12-31")
    if not held and not any(sums.values()):
        return None
    return {"received": plain(sums["received_cash"] + sums["received_goods"]), "received_cash": plain(sums["received_cash"]),
            "received_goods": plain(sums["received_goods"]),
            "handed_over": plain(sums["handed_cash"] + sums["handed_goods"]), "handed_over_cash": plain(sums["handed_cash"]),
            "handed_over_goods": plain(sums["handed_goods"]), "held_at_end": plain(held)}


def holiday(ledger: Ledger, year: int, name: str | None = None) -> dict:
    with ledger.read():
        return {**_header(ledger, "holiday", year), "holiday_filter": name, "holidays": holidays(ledger, year, name)}


def compliance_report(ledger: Ledger, year: int) -> dict:
    with ledger.read():
        q.gather(ledger, year)
        return {**_header(ledger, "compliance", year), "compliance": compliance(ledger, year, Years(ledger))}


def funds(ledger: Ledger, year: int) -> dict:
    with ledger.read():
        stock = [{"fund": s["fund"], "item": s["item"], "unit": s["unit"], "quantity": format(s["quantity"].normalize(), "f"),
                  "value": plain(s["value_fen"])} for s in fund_rows.stock(ledger, until=_period(year)["end"])]
        return {**_header(ledger, "funds", year), "funds": fund_statements(ledger, year), "stock": stock}


def donor(ledger: Ledger, year: int, name: str) -> dict:
    with ledger.read():
        found = q.donor_exists(ledger, name)
        if not found:
            raise CharitybookError(_("no donor named {name!r}").format(name=name))
        gifts = q.donor_gifts(ledger, name, _period(year))
        return {**_header(ledger, "donor", year), "donor": found["name"], "donor_type": found["type"],
                "count": len(gifts), "cash": plain(sum(g["cash"] for g in gifts)), "goods": plain(sum(g["goods"] for g in gifts)),
                "total": plain(sum(g["cash"] + g["goods"] for g in gifts)),
                "gifts": [{"date": g["date"], "receipt_no": g["receipt_no"], "cash": plain(g["cash"]), "goods": plain(g["goods"]),
                           "goods_item": g["goods_item"], "fund": g["fund"], "channel": g["channel"], "campaign": g["campaign"]}
                          for g in gifts]}


BUILDERS = {"annual": annual, "holiday": holiday, "compliance": compliance_report, "funds": funds, "donor": donor,
            "station": station.station}
