"""Pass-through gifts (受托代理, 定向到人): marked at entry and at import, handed over, never income."""

from __future__ import annotations

import sqlite3

import pytest

from charitybook.ledger import schema
from sheets import csv_file


def _gift(cb, amount="500", recipient="王小明", date="2026-03-02"):
    out = cb("add-donation", "--donor", "李四", "--amount", amount, "--date", date,
             "--pass-through", "--for", recipient).stdout
    return int(out.split("#")[1].split()[0])


def _held(cb) -> dict:
    return {row["id"]: row["held"] for row in cb.json("pass-through", "--all")}


def _position(cb, chart: str) -> dict:
    found = cb.json("report", "statements", "--year", "2026", "--chart", chart)
    return {line["line"]: line.get("total") for line in found["position"]}, found["checks"]


def test_a_pass_through_gift_is_in_no_fund_and_not_a_donation(cb):
    gift = _gift(cb)
    assert "pass-through gift" in cb("show", gift).stdout
    shown = cb.json("show", gift)
    assert (shown["kind"], shown["pass_through_for"], shown["amount"], shown["held"]) == ("pass_through", "王小明", "500.00", "500.00")
    assert cb.json("list", "donations") == []
    assert all(row["cash"] == "0.00" for row in cb.json("balance"))
    assert _held(cb) == {gift: "500.00"}
    cb("check")


def test_pass_through_and_for_go_together_and_take_no_fund(cb):
    assert "--for" in cb("add-donation", "--donor", "李四", "--amount", "5", "--pass-through", expect=2).stderr
    cb("add-donation", "--donor", "李四", "--amount", "5", "--for", "王小明", expect=2)
    refused = cb("add-donation", "--donor", "李四", "--amount", "5", "--pass-through", "--for", "王小明",
                 "--project", "助学", expect=1)
    assert "--project" in refused.stderr and "Traceback" not in refused.stderr
    cb("add-donation", "--donor", "李四", "--pass-through", "--for", " ", expect=2)
    assert cb.json("pass-through", "--all") == []


def test_hand_over_partial_then_full_and_never_more_than_held(cb):
    gift = _gift(cb)
    cb("hand-over", gift, "--date", "2026-03-05", "--amount", "200")
    assert _held(cb) == {gift: "300.00"}
    over = cb("hand-over", gift, "--date", "2026-03-06", "--amount", "300.01", expect=1)
    assert "300.00" in over.stderr and len(over.stderr.strip().splitlines()) <= 2
    assert "still held" in cb("hand-over", gift, "--date", "2026-03-06").stdout    # the rest
    assert _held(cb) == {gift: "0.00"}
    assert cb.json("pass-through") == []                                            # nothing held
    cb("hand-over", gift, "--date", "2026-03-07", "--amount", "1", expect=1)
    cb("hand-over", gift, "--date", "2026-03-01", expect=1)                         # before the gift
    cb("hand-over", 999, "--date", "2026-03-07", expect=1)
    donation = cb("add-donation", "--donor", "张三", "--amount", "10", "--date", "2026-03-02").stdout
    cb("hand-over", int(donation.split("#")[1].split(",")[0]), "--date", "2026-03-07", expect=1)   # no pass-through gift
    cb("check")


def test_a_closed_year_refuses_a_gift_and_a_hand_over(cb):
    gift = _gift(cb, date="2025-03-02")
    cb("period", "close", "2025", "--by", "张会计")
    refused = cb("hand-over", gift, "--date", "2025-06-01", expect=1)
    assert "2025" in refused.stderr and "Traceback" not in refused.stderr
    cb("add-donation", "--donor", "李四", "--amount", "5", "--date", "2025-06-01", "--pass-through", "--for", "王小明", expect=1)
    assert _held(cb) == {gift: "500.00"}
    cb("hand-over", gift, "--date", "2026-01-05", "--amount", "100")     # handed over in the open year
    assert _held(cb) == {gift: "400.00"}


def test_void_of_a_hand_over_and_of_the_gift(cb):
    gift = _gift(cb)
    handed = int(cb("hand-over", gift, "--date", "2026-03-05", "--amount", "200").stdout.split("#")[1].split()[0])
    assert cb.json("show", handed)["kind"] == "hand_over"
    refused = cb("void", gift, "--reason", "录错", "--date", "2026-03-06", expect=1)
    assert f"#{handed}" in refused.stderr
    cb("void", handed, "--reason", "未交付", "--date", "2026-03-06")
    assert _held(cb) == {gift: "500.00"}
    cb("void", gift, "--reason", "录错", "--date", "2026-03-06")
    assert _held(cb) == {}
    cb("hand-over", gift, "--date", "2026-03-07", expect=1)
    cb("check")


def test_the_ratios_and_the_receipts_leave_a_pass_through_gift_out(cb):
    cb("add-donation", "--donor", "张三", "--amount", "1000", "--date", "2026-03-01")
    cb("add-disbursement", "--payee", "某村", "--purpose", "charitable", "--amount", "800", "--date", "2026-03-03")
    before = cb.json("report", "annual", "--year", "2026")
    compliance = cb.json("report", "compliance", "--year", "2026")
    gift = _gift(cb, "5000")
    cb("hand-over", gift, "--date", "2026-03-05", "--amount", "3000")
    after = cb.json("report", "annual", "--year", "2026")
    assert after.pop("pass_through") == {
        "received": "5000.00", "received_cash": "5000.00", "received_goods": "0.00", "handed_over": "3000.00",
        "handed_over_cash": "3000.00", "handed_over_goods": "0.00", "held_at_end": "2000.00"}
    assert after == before
    assert "pass_through" not in before
    assert cb.json("report", "compliance", "--year", "2026") == compliance
    assert "受托代理" in cb("report", "annual", "--year", "2026").stdout


@pytest.mark.parametrize("chart", ["2004", "2026"])
def test_the_balance_sheet_shows_what_is_held_and_balances(cb, chart):
    cb("add-donation", "--donor", "张三", "--amount", "1000", "--date", "2026-03-01")
    gift = _gift(cb, "500")
    cb("hand-over", gift, "--date", "2026-03-05", "--amount", "120")
    lines, checks = _position(cb, chart)
    assert lines["受托代理资产"] == lines["受托代理负债"] == "380.00"
    assert lines["货币资金"] == "1000.00"                                  # held money is in no fund's cash
    assert checks["balanced"] and checks["difference"] == "0.00" and checks["cash_flow_difference"] == "0.00"
    activities = {line["line"]: line.get("total") for line in cb.json("report", "statements", "--year", "2026",
                                                                   "--chart", chart)["activities"]}
    assert activities["其中：捐赠收入"] == "1000.00"


def test_import_with_the_column_and_again(cb, tmp_path):
    rows = [["日期", "捐赠人", "金额", "订单号", "指定受赠人"],
            ["2026-03-01", "张三", "100", "A1", ""],
            ["2026-03-02", "李四", "250", "A2", "王小明"],
            ["2026-03-03", "赵六", "50", "A3", ""]]
    path = csv_file(tmp_path / "gifts.csv", rows)
    out = cb("import", "donations", path).stdout
    assert "cash 150.00" in out and "250.00" in out
    assert [row["amount"] for row in cb.json("list", "donations")] == ["100.00", "50.00"]
    [held] = cb.json("pass-through")
    assert (held["donor"], held["recipient"], held["held"]) == ("李四", "王小明", "250.00")
    cb("import", "donations", path)                                        # the same file: nothing added
    more = csv_file(tmp_path / "gifts2.csv", rows + [["2026-03-04", "钱七", "70", "A4", "刘某"]])
    cb("import", "donations", more)                                        # the known order numbers are skipped
    assert sorted(row["held"] for row in cb.json("pass-through")) == ["250.00", "70.00"]
    assert len(cb.json("list", "donations")) == 2
    assert cb.json("report", "annual", "--year", "2026")["receipts"]["total"] == "150.00"
    cb("check")


def test_a_pass_through_row_with_a_project_is_a_row_problem(cb, tmp_path):
    path = csv_file(tmp_path / "bad.csv", [["日期", "捐赠人", "金额", "项目", "定向受赠人"],
                                          ["2026-03-02", "李四", "250", "助学", "王小明"]])
    result = cb("import", "donations", path, expect=1)
    assert "pass-through" in result.stdout + result.stderr
    assert cb.json("pass-through", "--all") == []


def test_an_order_number_is_one_gift_whether_pass_through_or_not(cb):
    cb("add-donation", "--donor", "张三", "--amount", "5", "--date", "2026-03-01", "--ref", "X1")
    cb("add-donation", "--donor", "李四", "--amount", "5", "--date", "2026-03-01", "--ref", "X1",
       "--pass-through", "--for", "王小明", expect=1)


def test_the_gifts_are_never_edited(cb):
    gift = _gift(cb)
    conn = sqlite3.connect(cb.db)
    for sql in ("UPDATE pass_through_gifts SET cash_fen = 1", "DELETE FROM pass_through_gifts"):
        with pytest.raises(sqlite3.DatabaseError, match="never"):
            conn.execute(sql)
    conn.close()
    assert _held(cb) == {gift: "500.00"}


def test_the_migration_upgrades_a_ledger_of_the_version_before(tmp_path):
    from charitybook.ledger import create_ledger, open_ledger

    before = schema.MIGRATIONS.index(schema.m018_pass_through)
    ledger = create_ledger(tmp_path / "old.db", "测试", "social", upto=before)
    ledger.close()
    ledger = open_ledger(tmp_path / "old.db")
    tables = {row[0] for row in ledger.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"pass_through_gifts", "pass_through_handovers"} <= tables
    ledger.close()


def test_goods_are_held_and_handed_over_by_value(cb):
    out = cb("add-donation", "--donor", "秦岭粮油厂", "--goods", "大米", "--quantity", "10", "--unit", "袋", "--unit-value", "50",
             "--date", "2026-04-02", "--pass-through", "--for", "刘湾村").stdout
    gift = int(out.split("#")[1].split()[0])
    cb("hand-over", gift, "--date", "2026-04-03", "--amount", "1", expect=1)          # it holds no cash
    cb("hand-over", gift, "--date", "2026-04-03", "--value", "200")
    [row] = cb.json("pass-through")
    assert (row["goods"], row["goods_value"], row["handed_goods"], row["held"]) == ("大米", "500.00", "200.00", "300.00")
    lines, _checks = _position(cb, "2026")
    assert lines["存货"] == "0.00" and lines["受托代理资产"] == "300.00"


def test_a_dry_run_writes_no_pass_through_gift(cb, tmp_path):
    path = csv_file(tmp_path / "m.csv", [["日期", "捐赠人", "金额", "受赠对象"], ["2026-03-02", "李四", "250", "王五"]])
    out = cb("import", "donations", path, "--map", "受赠对象=recipient", "--dry-run").stdout
    assert "250.00" in out
    assert cb.json("pass-through", "--all") == []
    cb("import", "donations", path, "--map", "受赠对象=recipient")
    assert [row["recipient"] for row in cb.json("pass-through")] == ["王五"]


def test_the_annual_report_line_in_chinese(cb):
    _gift(cb, "500")
    report = cb("--lang", "zh", "report", "annual", "--year", "2026").stdout
    assert "另受托代理" in report and "年末尚代管" in report


def test_a_corrected_file_replaces_its_pass_through_gifts_once_none_is_handed_over(cb, tmp_path):
    first = csv_file(tmp_path / "m.csv", [["日期", "捐赠人", "金额", "定向受赠人"], ["2026-03-02", "李四", "250", "王五"],
                                          ["2026-03-02", "新人", "30", "王六"]])
    cb("import", "donations", first)
    [gift, _other] = [row["id"] for row in cb.json("pass-through")]
    handed = cb("hand-over", gift, "--date", "2026-03-05", "--amount", "10").stdout.split("#")[1].split()[0]
    corrected = csv_file(tmp_path / "m2.csv", [["日期", "捐赠人", "金额", "定向受赠人"], ["2026-03-02", "李四", "250", "王五"],
                                               ["2026-03-02", "新人", "35", "王六"]])
    assert f"#{handed}" in cb("import", "donations", corrected, "--replace", "1", expect=1).stderr
    cb("void", handed, "--reason", "未交付")
    out = cb("import", "donations", corrected, "--replace", "1").stdout
    assert "2 standing entries" in out and "280.00" in out
    assert sorted(row["held"] for row in cb.json("pass-through")) == ["250.00", "35.00"]
    cb("check")
