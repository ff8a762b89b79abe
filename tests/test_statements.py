"""The financial statements (会民非01/02/03表): chart profiles, the accountant's entries, golden
files for the demo ledger in both charts, and the 业务活动表 held against the annual report."""

import json
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CB
from test_reports import golden, sample  # noqa: F401  (the demo ledger, built once per module)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charitybook import charts



def line(statement: list[dict], name: str) -> dict:
    return next(x for x in statement if x["line"] == name or x["en"] == name)


def report(cb, year=2021, *extra) -> dict:
    return json.loads(cb("report", "statements", "--year", year, "--format", "json", *extra).stdout)


# --- the chart profiles -----------------------------------------------------------------------

def test_the_profile_in_force_follows_the_fiscal_year():
    assert charts.in_force(2021).key == "2004" and charts.in_force(2025).key == "2004"
    assert charts.in_force(2026).key == "2026" and charts.in_force(2031).key == "2026"
    assert charts.in_force(1999).key == "2004"


def test_the_revision_renumbers_expenses_by_role():
    old, new = charts.charts()["2004"], charts.charts()["2026"]
    assert old.code("management_cost").startswith("5201") and new.code("management_cost").startswith("5301")
    assert old.code("fundraising_cost").startswith("5301") and new.code("fundraising_cost").startswith("5401")
    assert new.code("tax_surcharges").startswith("5201")
    assert old.code("trust_assets").startswith("1701") and new.code("trust_assets").startswith("1801")
    assert old.line_of("activities", "management_cost").row == 21 == new.line_of("activities", "management_cost").row


@pytest.mark.parametrize("key", ["2004", "2026"])
def test_every_role_feeds_one_line_of_its_statement_in_every_chart(key):
    chart = charts.charts()[key]
    everywhere = {s: {r for c in charts.charts().values() for x in c.lines(s) for r in x.roles} for s in charts.STATEMENTS}
    for statement in charts.STATEMENTS:
        lines = chart.lines(statement)
        rows = [x.row for x in lines if not x.heading]
        assert len(rows) == len(set(rows)), f"{key} {statement}: a 行次 twice"
        for x in lines:
            assert x.heading or x.roles or x.sums, f"{key} {statement} {x.line}: fed by nothing"
            assert all(abs(r) in rows for r in x.sums), f"{key} {statement} {x.line}: sums a missing row"
        fed = [r for x in lines for r in x.roles]
        assert len(fed) == len(set(fed)), f"{key} {statement}: a role on two lines"
        assert set(fed) == everywhere[statement], f"{key} {statement}: roles missing {everywhere[statement] - set(fed)}"
    for role in everywhere["activities"] | everywhere["position"]:
        assert chart.code(role), f"{key}: no account for {role}"


# --- the demo ledger: golden files, both charts -------------------------------------------------


@pytest.mark.parametrize("chart", ["2004", "2026"])
def test_golden_statements(sample, chart):
    for lang in ("zh", "en"):
        golden(f"statements-2021-{chart}.{lang}.md",
               sample("report", "statements", "--year", "2021", "--chart", chart, "--lang", lang).stdout)
    golden(f"statements-2021-{chart}.json",
           sample("report", "statements", "--year", "2021", "--chart", chart, "--format", "json").stdout)


def test_the_demo_balance_sheet_balances_and_reconciles(sample):
    data = report(sample)
    assert data["chart"]["key"] == "2004"
    assert data["checks"]["balanced"] and data["checks"]["difference"] == "0.00"
    assert data["checks"]["cash_flow_difference"] == "0.00"
    release = line(data["activities"], "三、限定性净资产转为非限定性净资产")
    assert release["unrestricted"] == "10000.00" and release["restricted"] == "-10000.00" and release["total"] == "0.00"
    annual = json.loads(sample("report", "annual", "--year", "2021", "--format", "json").stdout)
    income = Decimal(annual["receipts"]["total"]) + Decimal(annual["receipts"]["other_income"])
    assert Decimal(line(data["activities"], "收入合计")["total"]) == income
    assert line(data["activities"], "（一）业务活动成本")["total"] == annual["compliance"]["spending"]["charitable"]


def test_the_release_is_shown_per_restricted_fund_and_adds_up_to_the_line(sample):
    released = sample.json("statement", "release", "--year", "2021")
    assert [(r["fund"], r["spent"], r["moved"], r["released"]) for r in released] == [("朝阳助学", "10000.00", "0.00", "10000.00")]
    line40 = line(report(sample)["activities"], "三、限定性净资产转为非限定性净资产")
    assert sum(Decimal(r["released"]) for r in released) == Decimal(line40["unrestricted"])


def test_the_xlsx_has_the_three_statements_with_their_rows(sample, tmp_path):
    import openpyxl

    out = tmp_path / "st.xlsx"
    sample("report", "statements", "--year", "2021", "--output", out)
    book = openpyxl.load_workbook(out)
    assert len(book.sheetnames) == 3
    cells = [[c for c in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert any(row[0] == "Donations" and row[1] == 1 for row in cells)
    assert book.worksheets[1].page_setup.paperSize in (9, "9")


# --- the accountant's entries -----------------------------------------------------------------

def test_an_entry_without_its_counterpart_says_by_how_much_and_where(cb):
    cb("fund", "opening", "general", "--date", "2020-12-31", "--cash", "1000")
    out = cb("statement", "opening", "--year", "2021", "--line", "固定资产原价", "--amount", "120000", "--note", "办公楼")
    assert "#1" in out.output
    data = report(cb)
    assert not data["checks"]["balanced"] and data["checks"]["difference"] == "120000.00"
    assert [u["line"] for u in data["checks"]["unmatched"]] == ["固定资产原价"]
    assert line(data["position"], "固定资产原价")["entered"]
    assert line(data["position"], "固定资产原价")["previous_total"] == "120000.00"
    md = cb("report", "statements", "--year", "2021").stdout
    assert "120,000.00" in md and "differ by 120,000.00" in md
    cb("statement", "opening", "--year", "2021", "--line", "非限定性净资产", "--amount", "120000")
    assert report(cb)["checks"]["balanced"]
    # a staff cost the ledger does not hold, and what is still owed for it
    cb("statement", "adjust", "--year", "2021", "--line", "管理费用", "--amount", "5000")
    assert report(cb)["checks"]["difference"] == "5000.00"
    cb("statement", "adjust", "--year", "2021", "--line", "应付工资", "--amount", "5000")
    data = report(cb)
    assert data["checks"]["balanced"] and line(data["activities"], "（二）管理费用")["total"] == "5000.00"
    assert line(data["position"], "非限定性净资产")["total"] == "116000.00"
    # the same entries under the 2026 chart: 管理费用 is still 管理费用, 应付工资 is 应付职工薪酬
    new = report(cb, 2021, "--chart", "2026")
    assert new["checks"]["balanced"] and line(new["activities"], "（三）管理费用")["total"] == "5000.00"
    assert line(new["position"], "应付职工薪酬")["total"] == "5000.00"
    # the next year carries the balance-sheet lines forward; the expense stays in its year
    later = report(cb, 2022)
    assert line(later["position"], "固定资产原价")["previous_total"] == "120000.00"
    assert line(later["activities"], "（二）管理费用")["total"] == "0.00" and later["checks"]["balanced"]


def test_a_void_reverses_an_entry_and_is_listed(cb):
    cb("statement", "adjust", "--year", "2021", "--line", "会费收入", "--amount", "300", "--restricted")
    assert line(report(cb)["activities"], "会费收入")["restricted"] == "300.00"
    cb("statement", "void", "1", "--reason", "重复")
    assert line(report(cb)["activities"], "会费收入")["total"] == "0.00"
    listed = cb.json("statement", "list", "--year", "2021")
    assert [(x["kind"], x["amount"], x["voided_by"], x["void_of"]) for x in listed] == [
        ("adjustment", "300.00", 2, None), ("void", "-300.00", None, 1)]
    assert "already voided" in cb("statement", "void", "1", "--reason", "again", expect=1).stderr
    assert "itself a void" in cb("statement", "void", "2", "--reason", "again", expect=1).stderr
    assert "no statement entry #9" in cb("statement", "void", "9", "--reason", "x", expect=1).stderr


def test_bad_entries_are_refused_with_what_to_do(cb):
    out = cb("statement", "adjust", "--year", "2021", "--line", "固定资", "--amount", "1", expect=1)
    assert "固定资产" in out.stderr and "Traceback" not in out.stderr
    out = cb("statement", "opening", "--year", "2021", "--line", "管理费用", "--amount", "1", expect=1)
    assert "statement adjust" in out.stderr
    assert "no restricted column" in cb("statement", "adjust", "--year", "2021", "--line", "存货", "--amount", "1",
                                        "--restricted", expect=1).stderr
    assert "0.00" in cb("statement", "adjust", "--year", "2021", "--line", "存货", "--amount", "0", expect=1).stderr
    assert cb("statement", "adjust", "--year", "2021", "--line", "存货", "--amount", "-5", expect=None).exit_code != 0
    cb("statement", "adjust", "--year", "2021", "--line", "Inventory", "--amount", "5", "--decrease")
    assert line(report(cb)["position"], "存货")["total"] == "-5.00"
    assert cb("report", "statements", "--year", "2021", "--chart", "1999", expect=2)


# --- the 业务活动表 against the annual report and the ratios -------------------------------------

ENTRY = st.one_of(
    st.tuples(st.just("donation"), st.sampled_from(["general", "朝阳助学"]), st.integers(1, 50_000), st.booleans()),
    st.tuples(st.just("income"), st.sampled_from(["general", "朝阳助学"]), st.integers(1, 5_000), st.just(False)),
    st.tuples(st.just("spend"), st.sampled_from(["general", "朝阳助学"]), st.integers(1, 2_000),
              st.sampled_from(["charitable", "management", "fundraising"])),
    st.tuples(st.just("transfer"), st.sampled_from(["非限定性基金", "朝阳助学"]), st.integers(1, 2_000), st.just(False)),
    st.tuples(st.just("void"), st.integers(1, 12), st.just(0), st.just(False)),
    st.tuples(st.just("close"), st.just(""), st.just(0), st.just(False)),   # later voids of 2021 correct a closed year
)


def _record(cb, entry, day: str) -> None:
    kind, fund, amount, flag = entry
    where = ["--project", "朝阳助学"] if fund != "general" else []
    if kind == "donation":
        goods = ["--goods", "大米", "--quantity", "1", "--unit", "袋", "--value", amount] if flag else ["--amount", amount]
        cb("add-donation", "--donor", "张三", *goods, *where, "--date", day, expect=None)
    elif kind == "income":
        cb("add-income", "--amount", amount, *where, "--date", day, expect=None)
    elif kind == "spend":
        cb("add-disbursement", "--payee", "某户", "--purpose", flag, "--amount", amount, "--category", "助学", *where,
           "--date", day, expect=None)
        cb("add-disbursement", "--payee", "某户", "--purpose", "charitable", "--goods", "大米", "--quantity", "1", *where,
           "--date", day, expect=None)
    elif kind == "transfer":
        other = "朝阳助学" if fund == "非限定性基金" else "非限定性基金"
        cb("transfer", "--from", fund, "--to", other, "--amount", amount, "--date", day, expect=None)
    elif kind == "close":
        cb("period", "close", "2021", "--by", "张会计", expect=None)
    else:
        cb("void", fund, "--reason", "录错", "--date", "2022-12-31", expect=None)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ENTRY, min_size=1, max_size=10), st.lists(st.sampled_from(["2021-03-01", "2022-05-01"]), min_size=10, max_size=10))
def test_activities_reconcile_with_the_annual_report_and_the_ratios(entries, days):
    with tempfile.TemporaryDirectory() as folder:
        cb = CB(Path(folder) / "ledger.db")
        cb("init", "--name", "测试慈善协会")
        cb("add-donation", "--donor", "李四", "--amount", "50000", "--project", "朝阳助学", "--new-project", "--date", "2021-01-02")
        for entry, day in zip(entries, days):
            _record(cb, entry, day)
        for year in (2021, 2022):
            data = report(cb, year)
            annual = json.loads(cb("report", "annual", "--year", year, "--format", "json").stdout)
            spending = annual["compliance"]["spending"]
            income = Decimal(annual["receipts"]["total"]) + Decimal(annual["receipts"]["other_income"])
            assert Decimal(line(data["activities"], "收入合计")["total"]) == income
            assert Decimal(line(data["activities"], "其中：捐赠收入")["total"]) == Decimal(annual["receipts"]["total"])
            assert line(data["activities"], "（一）业务活动成本")["total"] == spending["charitable"]
            assert line(data["activities"], "（二）管理费用")["total"] == spending["management"]
            assert line(data["activities"], "（三）筹资费用")["total"] == spending["fundraising"]
            assert line(data["activities"], "三、限定性净资产转为非限定性净资产")["total"] == "0.00"
            assert data["checks"]["balanced"] and data["checks"]["cash_flow_difference"] == "0.00"
            released = cb.json("statement", "release", "--year", year)
            assert sum(Decimal(r["released"]) for r in released) == Decimal(
                line(data["activities"], "三、限定性净资产转为非限定性净资产")["unrestricted"])
            change = line(data["activities"], "四、净资产变动额（若为净资产减少额，以“-”号填列）")
            for column, row in (("unrestricted", "非限定性净资产"), ("restricted", "限定性净资产")):
                held = line(data["position"], row)
                assert Decimal(change[column]) == Decimal(held["total"]) - Decimal(held["previous_total"])


def test_money_between_tiers_is_other_income_and_programme_cost_and_balances(cb):
    """A grant from a higher body is 其他收入 (not 投资收益), money passed on to another legal entity
    is 业务活动成本 paid out in cash; the statements still balance and the cash flow agrees."""
    cb("fund", "opening", "general", "--date", "2020-12-31", "--cash", "1000")
    cb("add-grant", "--from", "商洛市慈善协会", "--amount", "800", "--project", "助学", "--new-project", "--date", "2021-03-01")
    cb("add-income", "--amount", "50", "--note", "利息", "--date", "2021-03-02")
    cb("pass-on", "--kind", "上交", "--to", "商洛市慈善协会", "--amount", "300", "--date", "2021-04-01")
    data = report(cb)
    assert data["checks"]["balanced"] and data["checks"]["cash_flow_difference"] == "0.00"
    other = line(data["activities"], "其他收入")
    assert other["restricted"] == "800.00" and other["unrestricted"] == "0.00"
    assert line(data["activities"], "投资收益")["total"] == "50.00"
    assert line(data["activities"], "（一）业务活动成本")["total"] == "300.00"
    # money passed on from a restricted fund is released from restriction like any spending of it
    cb("pass-on", "--kind", "拨付下级", "--to", "商州区某镇慈善分会", "--amount", "200", "--project", "助学",
       "--date", "2021-05-01")
    data = report(cb)
    [fund] = cb.json("statement", "release", "--year", "2021")
    assert fund["fund"] == "助学" and fund["released"] == "200.00"
    assert line(data["activities"], "三、限定性净资产转为非限定性净资产")["unrestricted"] == "200.00"
    assert data["checks"]["balanced"] and data["checks"]["cash_flow_difference"] == "0.00"


def test_the_correction_of_a_closed_year_counts_in_its_own_year_on_every_statement(cb):
    """A void dated 2022 of a closed 2021 entry leaves 2021 as signed and reverses the entry in
    2022: the 业务活动表, the cash flow and the balance sheet of 2022 all see it, and still agree."""
    cb("fund", "opening", "general", "--date", "2020-12-31", "--cash", "1000")
    cb("add-donation", "--donor", "李四", "--amount", "500", "--project", "助学", "--new-project", "--date", "2021-02-01")
    cb("add-disbursement", "--payee", "某户", "--purpose", "charitable", "--amount", "200", "--category", "助学",
       "--project", "助学", "--date", "2021-03-01")                                                   # #3
    cb("add-income", "--amount", "50", "--note", "利息", "--date", "2021-03-02")                       # #4
    cb("pass-on", "--kind", "拨付下级", "--to", "商州区某镇慈善分会", "--amount", "100", "--project", "助学",
       "--date", "2021-04-01")                                                                        # #5
    signed = report(cb, 2021)
    cb("period", "close", "2021", "--by", "张会计")
    for entry in ("3", "4", "5"):
        cb("void", entry, "--reason", "录错", "--date", "2022-02-01")
    assert report(cb, 2021) == signed
    data = report(cb, 2022)
    assert data["checks"]["balanced"] and data["checks"]["cash_flow_difference"] == "0.00"
    assert line(data["activities"], "（一）业务活动成本")["total"] == "-300.00"
    assert line(data["activities"], "投资收益")["total"] == "-50.00"
    release = line(data["activities"], "三、限定性净资产转为非限定性净资产")
    assert release["unrestricted"] == "-300.00" and release["restricted"] == "300.00"
    cash = line(data["position"], "货币资金")
    assert cash["previous_total"] == "1250.00" and cash["total"] == "1500.00"
    annual = json.loads(cb("report", "annual", "--year", "2022", "--format", "json").stdout)
    assert annual["compliance"]["spending"]["charitable"] == "-200.00"
    [fund] = cb.json("statement", "release", "--year", "2022")
    assert fund["fund"] == "助学" and fund["released"] == "-300.00"
    change = line(data["activities"], "四、净资产变动额（若为净资产减少额，以“-”号填列）")
    for column, row in (("unrestricted", "非限定性净资产"), ("restricted", "限定性净资产")):
        held = line(data["position"], row)
        assert Decimal(change[column]) == Decimal(held["total"]) - Decimal(held["previous_total"])


# --- the release from restriction, confirmed and booked ---------------------------------------

def test_the_release_is_proposed_then_confirmed_and_booked_and_a_later_change_is_flagged(cb):
    cb("fund", "opening", "general", "--date", "2020-12-31", "--cash", "1000")
    cb("add-donation", "--donor", "李四", "--amount", "500", "--project", "助学", "--new-project", "--date", "2021-02-01")
    cb("add-disbursement", "--payee", "某户", "--purpose", "charitable", "--amount", "200", "--category", "助学",
       "--project", "助学", "--date", "2021-03-01")
    data = report(cb)
    assert data["checks"]["release"] == {"confirmed": False, "confirmation": None, "by": None, "on": None,
                                         "proposed": "200.00", "booked": None, "differs": []}
    assert "not confirmed yet" in cb("report", "statements", "--year", "2021").stdout
    [fund] = cb.json("statement", "release", "--year", "2021")
    assert fund["released"] == "200.00" and fund["booked"] is None
    out = cb("statement", "release", "--year", "2021", "--confirm", "--by", "张会计", "--date", "2022-01-15")
    assert "200.00" in out.stdout and "#1" in out.stdout
    [fund] = cb.json("statement", "release", "--year", "2021")
    assert fund["booked"] == "200.00"
    data = report(cb)
    assert data["checks"]["release"]["confirmed"] and data["checks"]["release"]["on"] == "2022-01-15"
    assert "confirmed by 张会计 on 2022-01-15" in cb("report", "statements", "--year", "2021").stdout
    # the same release again is refused; so is a confirmation without who, or dated before the year
    assert "already confirmed" in cb("statement", "release", "--year", "2021", "--confirm", "--by", "张会计", expect=1).stderr
    assert "--by" in cb("statement", "release", "--year", "2021", "--confirm", expect=2).stderr
    assert "--confirm" in cb("statement", "release", "--year", "2021", "--by", "张会计", expect=2).stderr
    assert "before the year" in cb("statement", "release", "--year", "2021", "--confirm", "--by", "张会计",
                                   "--date", "2020-06-30", expect=1).stderr
    # the ledger changes after the confirmation: the statement shows what was booked and says so;
    # restricted net assets keep what was not released, so the columns still tie to the balance sheet
    cb("add-disbursement", "--payee", "某户", "--purpose", "charitable", "--amount", "50", "--category", "助学",
       "--project", "助学", "--date", "2021-06-01")
    data = report(cb)
    release = line(data["activities"], "三、限定性净资产转为非限定性净资产")
    assert release["unrestricted"] == "200.00" and release["restricted"] == "-200.00"
    assert data["checks"]["release"]["differs"] == [{"fund": "助学", "booked": "200.00", "proposed": "250.00"}]
    assert "confirm the release again" in cb("report", "statements", "--year", "2021").stdout
    assert data["checks"]["balanced"]
    for year in (2021, 2022):
        data = report(cb, year)
        change = line(data["activities"], "四、净资产变动额（若为净资产减少额，以“-”号填列）")
        for column, row in (("unrestricted", "非限定性净资产"), ("restricted", "限定性净资产")):
            held = line(data["position"], row)
            assert Decimal(change[column]) == Decimal(held["total"]) - Decimal(held["previous_total"]), (year, column)
    assert line(report(cb, 2022)["position"], "限定性净资产")["previous_total"] == "300.00"
    # confirmed again, the booked release is the ledger's; a closed year cannot be confirmed again
    cb("statement", "release", "--year", "2021", "--confirm", "--by", "张会计", "--note", "补记")
    assert line(report(cb)["activities"], "三、限定性净资产转为非限定性净资产")["unrestricted"] == "250.00"
    assert line(report(cb)["position"], "限定性净资产")["total"] == "250.00"
    cb("period", "close", "2021", "--by", "张会计")
    assert "closed" in cb("statement", "release", "--year", "2021", "--confirm", "--by", "张会计", expect=1).stderr


def test_nothing_to_release_is_said_not_booked(cb):
    cb("fund", "opening", "general", "--date", "2020-12-31", "--cash", "1000")
    out = cb("statement", "release", "--year", "2021", "--confirm", "--by", "张会计", expect=1)
    assert "no release to confirm" in out.stderr
    assert report(cb)["checks"]["release"]["proposed"] == "0.00"
    assert "not confirmed" not in cb("report", "statements", "--year", "2021").stdout


def test_an_opening_balance_for_a_later_year_restates_the_line_instead_of_adding_to_it(cb):
    """The accountant enters each year's 年初数 as the audited balance sheet gives it: entered again
    for 2022 after 2021 was closed, it replaces what 2021's entries carried forward."""
    cb("fund", "opening", "general", "--date", "2020-12-31", "--cash", "1000")
    cb("statement", "opening", "--year", "2021", "--line", "固定资产原价", "--amount", "120000")
    cb("statement", "opening", "--year", "2021", "--line", "非限定性净资产", "--amount", "120000")
    cb("statement", "adjust", "--year", "2021", "--line", "固定资产原价", "--amount", "20000")
    cb("statement", "adjust", "--year", "2021", "--line", "非限定性净资产", "--amount", "20000")
    assert line(report(cb, 2021)["position"], "固定资产原价")["total"] == "140000.00"
    cb("period", "close", "2021", "--by", "张会计")
    cb("statement", "opening", "--year", "2022", "--line", "固定资产原价", "--amount", "140000")
    cb("statement", "opening", "--year", "2022", "--line", "非限定性净资产", "--amount", "140000")
    data = report(cb, 2022)
    fixed = line(data["position"], "固定资产原价")
    assert fixed["previous_total"] == "140000.00" and fixed["total"] == "140000.00"
    assert line(data["position"], "非限定性净资产")["previous_total"] == "141000.00"
    assert data["checks"]["balanced"], data["checks"]
    assert line(report(cb, 2021)["position"], "固定资产原价")["total"] == "140000.00"   # 2021 as it was
    # a different 年初数 restates the line; the 2021 column keeps what 2021 ended with
    cb("statement", "opening", "--year", "2023", "--line", "固定资产原价", "--amount", "100000")
    cb("statement", "opening", "--year", "2023", "--line", "非限定性净资产", "--amount", "100000")
    data = report(cb, 2023)
    assert line(data["position"], "固定资产原价")["previous_total"] == "100000.00"
    assert line(report(cb, 2022)["position"], "固定资产原价")["total"] == "140000.00"
    assert data["checks"]["balanced"]
