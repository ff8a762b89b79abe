"""What townships, banks and platforms really send, read without knowing our field names."""

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from sheets import make_id, xlsx

PLATFORMS = Path(__file__).resolve().parents[1] / "sample_data" / "platforms"
ID1, ID2 = make_id("61100219450312002"), make_id("61100219580705001")


def csv_rows(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def donations(cb):
    return cb.json("list", "donations")


@pytest.mark.parametrize("header, field", [
    ("捐赠(单位/姓名）", "donor"), ("捐赠单位及个人", "donor"), ("捐款单位及个人", "donor"), ("姓名（姓氏隐去）", "donor"),
    ("捐赠单位（个人）隐去姓氏", "donor"), ("对方户名", "donor"), ("户名", "donor"), ("来源", "donor"), ("姓名", "donor"),
    ("捐赠额（单位：元）", "amount"), ("交易金额", "amount"), ("贷方发生额", "amount"), ("贷方金额", "amount"),
    ("匹配金额", "amount"), ("6、捐赠金额", "amount"), ("（三）金额", "amount"), ("交易日期", "date"), ("活动日期", "date"),
    ("统计日期", "date"), ("交易单号", "reference"), ("凭证号", "reference"), ("摘要", "note"), ("付款附言", "note"),
    ("附言", "note"), ("流向", "note"),
])
def test_donation_list_headers(cb, tmp_path, header, field):
    other = {"donor": ["金额", "日期"], "amount": ["捐赠人", "日期"], "date": ["捐赠人", "金额"]}.get(field, ["捐赠人", "金额", "日期"])
    values = {"捐赠人": "王某", "金额": "10", "日期": "2021-09-07", header: {"donor": "王某", "amount": "10",
                                                                       "date": "2021-09-07"}.get(field, "X1")}
    path = csv_rows(tmp_path / "h.csv", [[header, *other], [values[header], *(values[h] for h in other)]])
    from charitybook.importers.header import normalise

    result = cb("import", "donations", path, "--dry-run")
    assert f"{normalise(header)}→{field}" in result.stdout
    assert "Dry run: 1 row(s) would be imported" in result.stdout


@pytest.mark.parametrize("header, field", [
    ("品名", "goods_item"), ("物资", "goods_item"), ("入库物资", "goods_item"), ("捐赠物", "goods_item"), ("规格", "spec"),
    ("规格型号", "spec"), ("数量总计", "quantity"), ("折算金额（万元）", "goods_value"), ("年月", "month"), ("证件号", "id_number"),
    ("学号", "ignored"), ("地址", "ignored"),
])
def test_goods_date_and_roster_headers(header, field):
    from charitybook.importers.header import field_for, normalise

    kind = "relief" if field in ("id_number", "ignored") else "donations"
    assert field_for(normalise(header), {}, kind)[0] == field


@pytest.mark.parametrize("header, donations_field, roster_field", [
    ("姓名", "donor", "name"), ("户名", "donor", "name"), ("受益对象", None, "name"), ("接收单位", None, "name"),
    ("发放单位", None, "township"),
])
def test_a_header_is_read_by_the_file_it_is_in(header, donations_field, roster_field):
    from charitybook.importers.header import field_for, normalise

    assert field_for(normalise(header), {}, "donations")[0] == donations_field
    assert field_for(normalise(header), {}, "relief")[0] == roster_field


def test_units_inside_headers(cb, tmp_path):
    path = xlsx(tmp_path / "u.xlsx", {"S": [["捐赠人", "捐赠额（单位：元）", "折算金额(单位:万元)", "捐赠物", "日期"],
                                            ["王某", 100, None, None, "2021-09-07"], ["某厂", None, 0.25, "大米", "2021-09-07"]]})
    cb("import", "donations", path)
    rows = {d["donor"]: d for d in donations(cb)}
    assert rows["王某"]["amount"] == "100.00" and rows["某厂"]["goods_value"] == "2500.00"


def test_goods_spec_joins_the_item(cb, tmp_path):
    path = xlsx(tmp_path / "g.xlsx", {"S": [["捐赠单位", "品名", "规格", "数量总计", "单价", "日期"],
                                            ["某厂", "大米", "10kg/袋", 20, 50, "2021-09-07"]]})
    cb("import", "donations", path)
    [row] = donations(cb)
    assert (row["goods"], row["quantity"], row["goods_value"]) == ("大米 10kg/袋", "20", "1000.00")


def test_times_of_day_are_not_dates(cb, tmp_path):
    path = csv_rows(tmp_path / "t.csv", [["捐赠人", "金额", "时间"], ["王某", "10", "00:06:24"], ["李某", "20", "13:45:00"]])
    result = cb("import", "donations", path, expect=1)
    assert "a time of day, not a date" in result.stderr and "— 2 rows (2, 3)" in result.stderr
    cb("import", "donations", path, "--date", "2021-09-07")
    assert {d["date"] for d in donations(cb)} == {"2021-09-07"}


def test_a_time_column_with_dates_and_a_date_column_beside_a_time(cb, tmp_path):
    cb("import", "donations", csv_rows(tmp_path / "a.csv", [["捐赠人", "金额", "时间"], ["王某", "10", "2021-09-07 00:06:24"]]))
    cb("import", "donations", csv_rows(tmp_path / "b.csv", [["捐赠人", "金额", "日期", "时间"], ["李某", "20", "2021-09-08", "00:06:24"]]))
    assert [d["date"] for d in donations(cb)] == ["2021-09-07", "2021-09-08"]


def test_year_month_day_columns_and_a_month_column(cb, tmp_path):
    cb("import", "donations", xlsx(tmp_path / "a.xlsx", {"S": [["捐赠人", "金额", "年", "月", "日"], ["王某", 10, 2021, 9, 7]]}))
    cb("import", "donations", csv_rows(tmp_path / "b.csv", [["捐赠单位", "金额", "年月"], ["某局", "500", "2021年10月"]]))
    assert [d["date"] for d in donations(cb)] == ["2021-09-07", "2021-10-01"]


def test_a_three_row_header_never_sums_a_head_count_as_cash(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "50000", "--date", "2021-01-01")
    rows = [["慰问情况汇总", None, None, None, None],
            ["户主姓名", "身份证号码", "慰问情况", "慰问情况", "慰问情况"],
            [None, None, "慰问金额", "慰问金额", "人数"],
            [None, None, "现金", "物品折价", None],
            ["王某", ID1, 300, None, 3], ["李某", ID2, 300, None, 4]]
    path = xlsx(tmp_path / "r.xlsx", {"S": rows}, {"S": ["C2:E2", "C3:D3", "E3:E4", "A2:A4", "B2:B4"]})
    result = cb("import", "relief", path, "--holiday", "春节", "--date", "2021-02-06")
    assert "人数→persons" in result.stdout and "现金→amount" in result.stdout
    assert "cash 600.00 元" in result.stdout


def test_a_bank_statement_keeps_credits_and_counts_debits(cb, tmp_path):
    rows = [["账户明细"], ["户名：某工作站"], ["交易日期", "借方发生额", "贷方发生额", "对方户名", "摘要"],
            ["2021-10-08", None, 3000, "某百货店", "捐款"], ["2021-10-12", 12.5, None, "中国农业银行", "账户管理费"],
            ["2021-10-20", None, 800, "李秀兰", "个人捐款"]]
    result = cb("import", "donations", xlsx(tmp_path / "b.xlsx", {"S": rows}), "--channel", "bank")
    assert "1 debit" in result.stdout and "cash 3,800.00 元" in result.stdout
    assert [(d["donor"], d["note"]) for d in donations(cb)] == [("某百货店", "捐款"), ("李秀兰", "个人捐款")]


@pytest.mark.parametrize("sheet_name", ["Sheet1", "接收捐款总数", "20200211"])
def test_a_sheet_name_is_no_township_unless_the_ledger_knows_it(cb, tmp_path, sheet_name):
    path = xlsx(tmp_path / "s.xlsx", {sheet_name: [["捐赠人", "金额", "日期"], ["王某", 10, "2021-09-07"]]})
    cb("import", "donations", path)
    assert donations(cb)[0]["township"] is None
    assert cb.json("report", "annual", "--year", "2021")["receipts"]["by_township"][0]["township"] == ""


def test_a_known_township_or_the_clerk_s_word_makes_the_sheet_a_township(cb, tmp_path):
    cb("add-donation", "--donor", "甲", "--amount", "1", "--date", "2021-09-01", "--township", "沙河子镇", "--new-township")
    cb("import", "donations", xlsx(tmp_path / "a.xlsx", {"沙河子镇": [["捐赠人", "金额", "日期"], ["王某", 10, "2021-09-07"]]}))
    cb("station", "add", "新区")
    cb("import", "donations", xlsx(tmp_path / "b.xlsx", {"新区": [["捐赠人", "金额", "日期"], ["李某", 10, "2021-09-07"]]}),
       "--sheet-is-township")
    assert [d["township"] for d in donations(cb)] == ["沙河子镇", "沙河子镇", "新区"]


@pytest.mark.parametrize("written, meant", [("机关单位", "机关事业单位"), ("事业单位", "机关事业单位"), ("党政机关", "机关事业单位"),
                                            ("政府机关", "机关事业单位"), ("民办非企业单位", "社会组织"), ("社会服务机构", "社会组织"),
                                            ("基金会", "社会组织"), ("商会", "社会组织"), ("个体工商户", "企业"), ("律师事务所", "企业")])
def test_donor_types_as_people_write_them(cb, tmp_path, written, meant):
    cb("import", "donations", csv_rows(tmp_path / "t.csv", [["捐赠单位", "单位性质", "金额", "日期"], ["某某", written, "10", "2021-09-07"]]))
    assert donations(cb)[0]["donor_type"] == meant


@pytest.mark.parametrize("name, expected", [("陕西某某律师事务所", "企业"), ("商州区青少年服务中心", "社会组织"),
                                            ("商州区疾病预防控制中心", "机关事业单位"), ("某某会计师事务所", "企业"),
                                            ("城关街道志愿者协会", "社会组织"), ("杨峪河镇卫生院", "机关事业单位")])
def test_the_name_based_guess_is_tighter(cb, name, expected):
    cb("add-donation", "--donor", name, "--amount", "10", "--date", "2021-03-01")
    assert donations(cb)[0]["donor_type"] == expected


def test_a_clerk_maps_values_and_sees_which(cb, tmp_path):
    rows = [["捐赠单位", "单位性质", "捐赠方式", "金额", "日期"]] + [[f"单位{i}", "国家单位", "扫码", "10", "2021-09-07"] for i in range(3)]
    path = csv_rows(tmp_path / "v.csv", rows)
    result = cb("import", "donations", path, expect=1)
    assert "unknown donor_type '国家单位'" in result.stderr and "— 3 rows (2, 3, 4)" in result.stderr
    assert "--map-value 'donor_type:国家单位=…'" in result.stderr
    done = cb("import", "donations", path, "--map-value", "donor_type:国家单位=机关事业单位", "--map-value", "channel:扫码=微信")
    assert "value mapped: donor_type 国家单位 → 机关事业单位 (3 row(s))" in done.stdout
    assert {(d["donor_type"], d["platform"]) for d in donations(cb)} == {("机关事业单位", "微信")}
    assert cb("import", "donations", path, "--map-value", "donor_type:国家单位=政府", expect=2).exit_code == 2


def test_an_id_with_a_leading_apostrophe(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    path = csv_rows(tmp_path / "r.csv", [["户主姓名", "身份证号码", "慰问金"], ["王某", "'" + ID1, "300"]])
    cb("import", "relief", path, "--holiday", "春节", "--date", "2021-02-06")
    assert cb.json("relief", "list")[0]["id_number"].endswith(ID1[-4:])


def test_an_unused_header_is_named_with_the_map_that_would_use_it(cb, tmp_path):
    path = csv_rows(tmp_path / "n.csv", [["爱心捐赠者", "金额", "日期"], ["王某", "10", "2021-09-07"], ["李某", "20", "2021-09-07"]])
    result = cb("import", "donations", path, expect=1)
    assert "no donor column" in result.stderr and "--map '爱心捐赠者=donor'" in result.stderr
    assert "— 2 rows" in result.stderr


def test_a_header_below_row_20_is_found_or_named(cb, tmp_path):
    title = [[f"说明第{i}行"] for i in range(22)]
    cb("import", "donations", xlsx(tmp_path / "a.xlsx", {"S": title + [["捐赠人", "金额", "日期"], ["王某", 10, "2021-09-07"]]}))
    odd = [["说明"]] * 3 + [["热心者", "款数", "日期"], ["李某", 20, "2021-09-07"]]
    path = xlsx(tmp_path / "b.xlsx", {"S": odd})
    assert "--header-row" in cb("import", "donations", path, expect=1).stderr
    cb("import", "donations", path, "--header-row", "4", "--map", "热心者=donor", "--map", "款数=amount")
    assert [d["donor"] for d in donations(cb)] == ["王某", "李某"]


# --- profiles -----------------------------------------------------------------------------

@pytest.mark.parametrize("sample, profile, expected", [
    ("腾讯公益_订单.csv", "腾讯公益", {("晨曦", "50.00", "2021-09-07"), ("小鱼儿", "19.99", "2021-09-07"), ("匿名", "1.00", "2021-09-09")}),
    ("腾讯公益_配捐.xlsx", "腾讯公益配捐", {("晴天", "50.00", "2021-09-07"), ("腾讯公益慈善基金会", "25.00", "2021-09-07"),
                                         ("阿福", "100.00", "2021-09-07"), ("腾讯公益慈善基金会", "50.00", "2021-09-07"),
                                         ("匿名爱心人士", "20.00", "2021-09-09")}),
    ("支付宝公益_捐赠明细.csv", "支付宝公益", {("陈**", "30.00", "2021-09-07"), ("周**", "200.00", "2021-09-07")}),
    ("云闪付_捐赠名单.xlsx", "云闪付", {("赵**", "66.60", "2021-09-07"), ("孙**", "100.00", "2021-09-08")}),
    ("银行流水_城关街道.xlsx", "银行流水", {("商洛市东关百货店", "3000.00", "2021-10-08"), ("李秀兰", "800.00", "2021-10-20")}),
])
def test_built_in_profiles_read_their_samples(cb, sample, profile, expected):
    cb("import", "donations", PLATFORMS / sample, "--profile", profile)
    rows = donations(cb)
    assert {(d["donor"], d["amount"], d["date"]) for d in rows} == expected
    if profile != "银行流水":
        assert {d["channel"] for d in rows} == {"online"}
    batch = cb.json("import", "batches")[0]
    assert batch["rows"] == len(expected)


def test_the_tencent_profile_keeps_28_digit_orders_and_skips_unpaid_ones(cb):
    result = cb("import", "donations", PLATFORMS / "腾讯公益_订单.csv", "--profile", "腾讯公益")
    assert "1 not paid" in result.stdout and "money→amount (分)" in result.stdout
    assert "1465188602202109070000000125" in {d["reference"] for d in donations(cb)}


def test_a_saved_profile_imports_the_next_file_alone(cb, tmp_path):
    first = csv_rows(tmp_path / "10月.csv", [["爱心单位", "善款数", "到账"], ["某局", "500", "2021-10-08"]])
    result = cb("import", "donations", first, "--map", "爱心单位=donor", "--map", "善款数=amount", "--map", "到账=date",
                "--channel", "bank", "--save-profile", "城关街道月报")
    assert "Saved import profile 城关街道月报 (version 1)" in result.stdout
    second = csv_rows(tmp_path / "11月.csv", [["爱心单位", "善款数", "到账"], ["某校", "300", "2021-11-02"]])
    cb("import", "donations", second, "--profile", "城关街道月报")
    assert [(d["donor"], d["channel"]) for d in donations(cb)] == [("某局", "bank"), ("某校", "bank")]
    batches = sqlite3.connect(cb.db).execute("SELECT options FROM batches ORDER BY id").fetchall()
    assert json.loads(batches[1][0])["profile"] == "城关街道月报 v1"
    listed = {p["name"]: p for p in cb.json("import", "profiles")}
    assert listed["城关街道月报"]["version"] == 1 and listed["腾讯公益"]["built_in"] is True
    shown = cb("import", "profile", "城关街道月报").stdout
    assert "爱心单位=donor" in shown and "channel: bank" in shown


def test_the_command_line_wins_over_a_profile_and_a_built_in_cannot_be_overwritten(cb, tmp_path):
    path = csv_rows(tmp_path / "a.csv", [["捐赠人", "金额", "日期"], ["王某", "10", "2021-09-07"]])
    cb("import", "donations", path, "--channel", "bank", "--save-profile", "我的")
    other = csv_rows(tmp_path / "b.csv", [["捐赠人", "金额", "日期"], ["李某", "20", "2021-09-07"]])
    cb("import", "donations", other, "--profile", "我的", "--channel", "cash")
    assert [d["channel"] for d in donations(cb)] == ["bank", "cash"]
    third = csv_rows(tmp_path / "c.csv", [["捐赠人", "金额", "日期"], ["赵某", "30", "2021-09-07"]])
    assert "built-in profile" in cb("import", "donations", third, "--save-profile", "腾讯公益", expect=1).stderr
    assert "no import profile named" in cb("import", "donations", third, "--profile", "不存在", expect=1).stderr


def test_a_profile_saved_again_is_a_new_version_never_an_edit(cb, tmp_path):
    path = csv_rows(tmp_path / "a.csv", [["捐赠人", "金额", "日期"], ["王某", "10", "2021-09-07"]])
    cb("import", "donations", path, "--save-profile", "月报", "--dry-run")
    cb("import", "donations", path, "--channel", "bank", "--save-profile", "月报")
    assert {p["name"]: p for p in cb.json("import", "profiles")}["月报"]["version"] == 2
    with pytest.raises(sqlite3.IntegrityError, match="never edited"):
        sqlite3.connect(cb.db).execute("UPDATE import_profiles SET options = '{}'")
