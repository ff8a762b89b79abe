"""Excel through openpyxl: which sections each report has, one sheet per section (laid out and
set up for printing by ``reports.sheets``). The annual workbook opens on its headline figures.
User text is always written as text (never a formula)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from charitybook import money
from charitybook.excel import sheet_title
from charitybook.i18n import language
from charitybook.reports.labels import labels, term
from charitybook.reports.sheets import COUNT, FONT, MONEY, PERCENT, TEXT, Figure, Heading, Section, write_section


def write(context: dict, lang: str | None, path: Path, made: dt.datetime | None = None) -> None:
    """The report as a workbook at ``path``, in ``lang`` (default: the run's language); ``made``
    (default: now, local time) is printed on every sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    lang = lang or language()
    t = labels(lang)
    made = made or dt.datetime.now().astimezone()
    workbook = Workbook()
    workbook.remove(workbook.active)
    _default_font(workbook, Font(name=FONT, size=11))
    heading = Heading(association=context.get("association") or "",
                      report=t["title"][context["report"]].format(year=context.get("year", ""), donor=context.get("donor", "")),
                      made=t["made"].format(time=f"{made:%Y-%m-%d %H:%M}"), total=t["total"], footer="&P / &N")
    for section in SECTIONS[context["report"]](context, t, lang):
        write_section(workbook, section, heading, sheet_title(section.title, workbook.sheetnames))
    workbook.save(path)


def _default_font(workbook, font) -> None:
    """The workbook's Normal style in the same family, so an empty cell typed into matches."""
    workbook._fonts[0] = font  # openpyxl keeps the Normal style's font first; no public setter


# --- sections per report ------------------------------------------------------------------

def _money_table(title, t, rows, key, label_header, label=lambda v: v, chart=None):
    return Section(title, [(label_header, TEXT), (t["count_h"], COUNT), (t["cash_h"], MONEY), (t["goods_h"], MONEY),
                           (t["amount_h"], MONEY)],
                   [[label(r[key]) or t["none"], r["count"], r["cash"], r["goods"], r["amount"]] for r in rows], chart=chart)


def _holiday_sections(holidays: list[dict], t: dict, lang: str) -> list[Section]:
    sections = [Section(t["sheet"]["holiday"], [(t["holiday_h"], TEXT), (t["recipients_h"], COUNT), (t["unit_h"], TEXT),
                                                (t["cash_h"], MONEY), (t["goods_h"], MONEY), (t["total_h"], MONEY)],
                        [[f"{h['year']} {term(h['holiday'], 'holiday', lang)}", h["recipients"], t["unit"][h["unit"]], h["cash"],
                          h["goods"], h["total"]] for h in holidays])]
    for h in holidays:
        name = term(h["holiday"], "holiday", lang)
        sections.append(Section(f"{name} {t['sheet']['township']}",
                                [(t["township_h"], TEXT), (t["recipients_h"], COUNT), (t["cash_h"], MONEY),
                                 (t["goods_h"], MONEY), (t["total_h"], MONEY)],
                                [[r["township"] or t["none"], r["recipients"], r["cash"], r["goods"], r["total"]] for r in h["by_township"]]))
        sections.append(Section(f"{name} {t['hardship_h']}",
                                [(t["hardship_h"], TEXT), (t["recipients_h"], COUNT), (t["cash_h"], MONEY),
                                 (t["goods_h"], MONEY), (t["total_h"], MONEY)],
                                [[term(r["hardship_type"], "hardship_type", lang) or t["none"], r["recipients"], r["cash"],
                                  r["goods"], r["total"]] for r in h["by_hardship_type"]]))
    return sections


def _fund_section(funds: list[dict], t: dict) -> Section:
    return Section(t["sheet"]["funds"], [(t["fund_h"], TEXT), (t["kind_h"], TEXT), (t["opening_h"], MONEY), (t["in_h"], MONEY),
                                         (t["out_h"], MONEY), (t["closing_h"], MONEY), (t["goods_h"], MONEY), (t["principal_h"], MONEY)],
                   [[f["fund"], t["kind"][f["kind"]], f["opening_cash"], f["in_cash"], f["out_cash"], f["cash"], f["goods"], f["principal"]]
                    for f in funds])


def _compliance_section(c: dict, t: dict) -> Section:
    """In the order the sentence reads: the rule, what was spent, against what, the ratio, the result."""
    rows = [[t["purpose"][k], c["spending"][k], None, None, None] for k in ("charitable", "management", "fundraising", "total")]
    rows += [[t["rule"][x["rule"]].format(threshold=x["threshold_percent"]), x["actual"], x["base"],
              Figure(x["percent"], PERCENT), Figure(t["status"][x["status"]], alert=x["status"] == "breach")] for x in c["checks"]]
    return Section(t["sheet"]["compliance"], [(t["rule_h"], TEXT), (t["actual_yuan_h"], MONEY), (t["base_yuan_h"], MONEY),
                                              (t["ratio_h"], PERCENT), (t["status_h"], TEXT)], rows, total=False,
                   notes=[t["note"]["income"].format(org_type=t["org_type"][c["org_type"]], income=money.yuan(_fen(c["income"]))),
                          *_tier_note(c["tiers"], t), t["note"]["ratios"]])


def _tier_note(tiers: dict, t: dict) -> list[str]:
    if all(value == "0.00" for value in tiers.values()):
        return []
    return [t["note"]["tiers"].format(from_above=money.yuan(_fen(tiers["from_above"])), passed_on=money.yuan(_fen(tiers["passed_on"])),
                                      base=money.yuan(_fen(tiers["base_passed_on"])))]


def _headline(context: dict, t: dict, lang: str) -> Section:
    """The first sheet: the figures a board asks for. The figure column mixes 元 and %, so each
    cell carries its own kind; counts (笔, 户, 人) and results stand beside it."""
    r, relief, c, words, unit = context["receipts"], context["relief"], context["compliance"], t["headline"], t["count_unit"]
    online = sum(row["count"] for row in r["by_channel"] if row["channel"] == "online")
    rows = [[words["received"], Figure(r["total"], MONEY), Figure(r["count"], COUNT, unit["gifts"])],
            [words["cash"], Figure(r["cash"], MONEY)],
            [words["goods"], Figure(r["goods"], MONEY)],
            [words["online"], Figure(r["online"], MONEY), Figure(online, COUNT, unit["gifts"])]]
    if r["growth_percent"] is not None:
        rows.append([words["growth"], Figure(r["growth_percent"], PERCENT)])
    rows.append([words["other_income"], Figure(r["other_income"], MONEY)])
    if context["tiers"]["from_above"] != "0.00" or context["tiers"]["passed_on"] != "0.00":
        rows += [[words[kind], Figure(context["tiers"][kind], MONEY)] for kind in ("from_above", "to_above", "to_below")]
    if r["pledges_outstanding"]["count"]:
        rows.append([words["pledges"], Figure(r["pledges_outstanding"]["amount"], MONEY),
                     Figure(r["pledges_outstanding"]["count"], COUNT, unit["gifts"])])
    rows.append([words["relief"], Figure(relief["total"], MONEY)])
    for h in relief["holidays"]:
        rows.append([f"{h['year']} " + words["holiday"].format(holiday=term(h["holiday"], "holiday", lang)), Figure(h["total"], MONEY),
                     Figure(h["recipients"], COUNT, unit[h["unit"]])])
    for key in ("charitable", "management", "fundraising"):
        rows.append([t["purpose"][key], Figure(c["spending"][key], MONEY)])
    rows.append([words["spending"], Figure(c["spending"]["total"], MONEY)])
    for x in c["checks"]:
        rows.append([t["rule"][x["rule"]].format(threshold=x["threshold_percent"]), Figure(x["percent"], PERCENT), None,
                     Figure(t["status"][x["status"]], alert=x["status"] == "breach")])
    rows.append([words["funds_cash"], Figure(money.plain(sum(_fen(f["cash"]) for f in context["funds"])), MONEY)])
    principal = sum(_fen(f["principal"]) for f in context["funds"])
    if principal:
        rows.append([words["principal"], Figure(money.plain(principal), MONEY)])
    columns = [(t["line_h"], TEXT), (t["figure_h"], TEXT), (t["quantity_h"], TEXT), (t["status_h"], TEXT)]
    return Section(t["sheet"]["summary"], columns, [row + [None] * (len(columns) - len(row)) for row in rows], total=False)


def _fen(value: str) -> int:
    return money.to_fen(Decimal(value))


def _annual(context: dict, t: dict, lang: str) -> list[Section]:
    r, relief = context["receipts"], context["relief"]
    return [
        _headline(context, t, lang),
        _money_table(t["sheet"]["channel"], t, r["by_channel"], "channel", t["channel_h"], lambda v: t["channel"].get(v, v)),
        _money_table(t["sheet"]["donor_type"], t, r["by_donor_type"], "donor_type", t["donor_type_h"],
                     lambda v: term(v, "donor_type", lang)),
        _money_table(t["sheet"]["township"], t, r["by_township"], "township", t["township_h"]),
        _money_table(t["sheet"]["month"], t, r["by_month"], "month", t["month_h"], chart="bar"),
        _money_table(t["sheet"]["project"], t, r["by_project"], "project", t["project_h"]),
        _money_table(t["sheet"]["top"], t, r["top_donors"], "donor", t["donor_h"]),
        Section(t["sheet"]["relief"], [(t["category_h"], TEXT), (t["recipients_h"], COUNT), (t["cash_h"], MONEY),
                                       (t["goods_h"], MONEY), (t["amount_h"], MONEY)],
                [[term(x["category"], "category", lang), x["recipients"], x["cash"], x["goods"], x["amount"]]
                 for x in relief["by_category"]], chart="bar"),
        *_holiday_sections(relief["holidays"], t, lang),
        *([Section(t["sheet"]["tiers"], [(t["tier_h"], TEXT), (t["body_h"], TEXT), (t["count_h"], COUNT), (t["amount_h"], MONEY)],
                   [[term(x["kind"], "tier", lang), x["body"], x["count"], x["amount"]] for x in context["tiers"]["by_body"]],
                   total=False)] if context["tiers"]["by_body"] else []),
        _fund_section(context["funds"], t),
        _compliance_section(context["compliance"], t),
    ]


def _donor(context: dict, t: dict, lang: str) -> list[Section]:
    return [Section(t["sheet"]["gifts"], [(t["date_h"], TEXT), (t["receipt_h"], TEXT), (t["cash_h"], MONEY), (t["goods_h"], MONEY),
                                          (t["item_h"], TEXT), (t["fund_h"], TEXT), (t["channel_h"], TEXT)],
                    [[g["date"], g["receipt_no"], g["cash"], g["goods"], g["goods_item"], g["fund"], t["channel"].get(g["channel"], g["channel"])]
                     for g in context["gifts"]])]


def _funds(context: dict, t: dict, lang: str) -> list[Section]:
    return [_fund_section(context["funds"], t),
            Section(t["sheet"]["stock"], [(t["fund_h"], TEXT), (t["item_h"], TEXT), (t["quantity_h"], TEXT), (t["value_h"], MONEY)],
                    [[s["fund"], s["item"], f"{s['quantity']} {s['unit']}".strip(), s["value"]] for s in context["stock"]])]


def _station(context: dict, t: dict, lang: str) -> list[Section]:
    """A township's line, then its villages' (indented): a township's figures include its villages'."""
    lines, relief, funds = [], [], []
    for town in context["townships"]:
        for station, indent in ((town, ""), *((village, "　") for village in town["villages"])):
            lines.append([indent + station["station"], station["collected"]["total"], station["relief"]["total"],
                          station["relief"]["cases"], station["relief"]["holiday"], station["held"]["total"],
                          station["households"], station["persons"]])
        relief += [[town["station"], term(c["category"], "category", lang), c["count"], c["cash"], c["goods"], c["amount"]]
                   for c in town["relief"]["by_category"]]
        funds += [[town["station"], f["fund"], t["kind"][f["kind"]], f["cash"], f["goods"]] for f in town["funds"]]
    return [
        Section(t["sheet"]["stations"], [(t["station_h"], TEXT), (t["collected_h"], MONEY), (t["given_h"], MONEY),
                                         (t["cases_h"], MONEY), (t["holiday_given_h"], MONEY), (t["held_h"], MONEY),
                                         (t["households_h"], COUNT), (t["persons_h"], COUNT)], lines, total=False),
        Section(t["sheet"]["station_relief"], [(t["station_h"], TEXT), (t["category_h"], TEXT), (t["count_h"], COUNT),
                                               (t["cash_h"], MONEY), (t["goods_h"], MONEY), (t["amount_h"], MONEY)], relief),
        Section(t["sheet"]["station_funds"], [(t["station_h"], TEXT), (t["fund_h"], TEXT), (t["kind_h"], TEXT),
                                              (t["cash_h"], MONEY), (t["goods_h"], MONEY)], funds),
    ]


def _statements(context: dict, t: dict, lang: str) -> list[Section]:
    """The three statements in their printed layout: 项目, 行次, the columns; a heading line has no
    figures; ※ marks a line with the accountant's entries, ？ a line not checked against the text."""
    fs, chart = t["fs"], context["chart"]

    def name(line):
        return line["en"] if lang == "en" else line["line"]

    def mark(line):
        return ("※" if line["entered"] else "") + ("？" if line["uncertain"] else "")

    def rows(lines, keys):
        return [[name(x), None if x["heading"] else x["row"], *(None if x["heading"] else x[k] for k in keys),
                 None if x["heading"] else mark(x)] for x in lines]

    notes = [fs["chart"].format(title=chart["en"] if lang == "en" else chart["title"]) + "　" + fs["unit"], fs["entered"]]
    checks = context["checks"]
    balance = [fs["balanced"].format(amount=money.yuan(_fen(checks["assets"])))] if checks["balanced"] else [
        fs["unbalanced"].format(assets=money.yuan(_fen(checks["assets"])), other=money.yuan(_fen(checks["liabilities_and_net_assets"])),
                                difference=money.yuan(_fen(checks["difference"])))] + [
        fs["unmatched"].format(line=u["en"] if lang == "en" else u["line"], effect=money.yuan(_fen(u["effect"]))) for u in checks["unmatched"]]
    release = checks["release"]
    if release["confirmed"]:
        released = [fs["release_confirmed"].format(amount=money.yuan(_fen(release["booked"])), by=release["by"], on=release["on"],
                                                   id=release["confirmation"])] + [
            fs["release_differs"].format(fund=d["fund"], booked=money.yuan(_fen(d["booked"])), proposed=money.yuan(_fen(d["proposed"])))
            for d in release["differs"]]
    else:
        released = [fs["release_unconfirmed"].format(amount=money.yuan(_fen(release["proposed"])), year=context["year"])] if (
            release["proposed"] != "0.00") else []
    head = [(fs["item_h"], TEXT), (fs["row_h"], COUNT)]
    this, before = fs["this_h"], fs["previous_h"]
    keys = ("unrestricted", "restricted", "total", "previous_unrestricted", "previous_restricted", "previous_total")
    return [
        Section(fs["activities"], head + [(f"{p} {fs[c]}", MONEY) for p in (this, before)
                                          for c in ("unrestricted_h", "restricted_h", "total_h")] + [(fs["mark_h"], TEXT)],
                rows(context["activities"], keys), total=False, notes=released + notes),
        Section(fs["position"], head + [(fs["opening_h"], MONEY), (fs["closing_h"], MONEY), (fs["mark_h"], TEXT)],
                rows(context["position"], ("previous_total", "total")), total=False, notes=balance + notes),
        Section(fs["cashflow"], head + [(fs["amount_h"], MONEY), (fs["previous_amount_h"], MONEY), (fs["mark_h"], TEXT)],
                rows(context["cashflow"], ("total", "previous_total")), total=False, notes=notes),
    ]


def _disclosure(context: dict, t: dict, lang: str) -> list[Section]:
    """One sheet per package (慈善中国's one entry per annual report, campaign and project): its
    income by source, donors, spending, recipients (aggregates) and ratios, line by line."""
    dc, sections = t["dc"], []
    for p in context["packages"]:
        title = dc["annual"] if p["kind"] == "annual" else dc[p["kind"]].format(name=p["name"])
        rows = [[dc["income"], Figure(p["income"]["total"], MONEY), Figure(p["income"]["count"], COUNT)]]
        rows += [[f"　{t['channel'].get(g['key'], g['key'])}", Figure(g["amount"], MONEY), Figure(g["count"], COUNT)]
                 for g in p["income"]["by_channel"]]
        rows += [[f"　{g['key'] or dc['offline']}", Figure(g["amount"], MONEY), Figure(g["count"], COUNT)] for g in p["income"]["by_platform"]]
        rows += [[f"　{term(g['key'], 'donor_type', lang)}", Figure(g["amount"], MONEY), Figure(g["count"], COUNT)]
                 for g in p["income"]["by_donor_type"]]
        rows += [[f"　{g['key']}", Figure(g["amount"], MONEY), Figure(g["count"], COUNT)] for g in p["income"]["by_project"]]
        rows.append([dc["donors"], None, None])
        rows += [[f"　{d['donor']}（{term(d['donor_type'], 'donor_type', lang)}）", Figure(d["amount"], MONEY), Figure(d["count"], COUNT)]
                 for d in p["donors"]["named"]]
        rows += [["　" + dc["others"].format(type=term(d["donor_type"], "donor_type", lang), donors=d["donors"]),
                  Figure(d["amount"], MONEY), Figure(d["count"], COUNT)] for d in p["donors"]["others"]]
        rows.append([dc["spending"], Figure(p["spending"]["total"], MONEY), None])
        rows += [[f"　{t['purpose'][k]}", Figure(p["spending"][k], MONEY), None] for k in ("charitable", "management", "fundraising")]
        rows += [[f"　{s['project']}", Figure(s["total"], MONEY), None] for s in p["spending"]["by_project"]]
        rows.append([dc["recipients"], None, None])
        rows += [[f"　{term(r['key'], 'category', lang) or t['none']}", Figure(r["amount"], MONEY), Figure(r["recipients"], COUNT)]
                 for r in p["recipients"]["by_category"]]
        if p["kind"] == "annual":
            rows += [[t["rule"][x["rule"]].format(threshold=x["threshold_percent"]), Figure(x["percent"], PERCENT),
                      Figure(t["status"][x["status"]], alert=x["status"] == "breach")] for x in p["ratios"]["checks"]]
        else:
            rows += [[dc["charitable_of_income"], Figure(p["ratios"]["charitable_of_income_percent"], PERCENT), None],
                     [dc["costs_of_spending"], Figure(p["ratios"]["costs_of_spending_percent"], PERCENT), None]]
        notes = [dc["donors_rule"].format(amount=money.yuan(_fen(p["donors"]["large_gift_from"]))),
                 *(dc["note"][code] for code in p["notes"])]
        sections.append(Section(title, [(t["line_h"], TEXT), (t["figure_h"], TEXT), (t["quantity_h"], TEXT)], rows,
                                total=False, notes=notes))
    return sections


SECTIONS = {
    "disclosure": _disclosure,
    "annual": _annual,
    "holiday": lambda c, t, lang: _holiday_sections(c["holidays"], t, lang),
    "compliance": lambda c, t, lang: [_compliance_section(c["compliance"], t)],
    "funds": _funds,
    "donor": _donor,
    "station": _station,
    "statements": _statements,
}
