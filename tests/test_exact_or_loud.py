"""Each yuan in a file is imported exactly or refused out loud, with the ledger unchanged."""

import json
import sqlite3
import threading

import pytest
from sheets import csv_file, make_id, xlsx

ID1, ID2, ID3 = make_id("61100219450312002"), make_id("61100219580705001"), make_id("61100219620918002")
HEAD = ["序号", "捐赠人", "捐赠金额（元）", "捐赠日期"]


def quoted_csv(path, rows):
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def count(cb, table):
    return sqlite3.connect(cb.db).execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def rows_of(cb, sql):
    return sqlite3.connect(cb.db).execute(sql).fetchall()


# --- money read exactly ------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [("1,234.50", "1234.50"), ("12,000", "12000.00"), ("1,234,567", "1234567.00"),
                                            ("１，２３４．５", "1234.50"), ("￥1,234.50元", "1234.50")])
def test_grouped_thousands_are_accepted(cb, text, expected):
    cb("add-donation", "--donor", "王某", "--amount", text, "--date", "2021-03-01")
    assert cb.json("list", "donations")[0]["amount"] == expected


@pytest.mark.parametrize("text", ["1,2000", "12,5", "1,50", "100，50", "1,23,456"])
def test_misplaced_separators_are_refused_on_the_command_line(cb, text):
    result = cb("add-donation", "--donor", "王某", "--amount", text, "--date", "2021-03-01", expect=2)
    assert repr(text) in result.stderr and "thousands separators" in result.stderr
    assert count(cb, "donations") == 0


def test_misplaced_separators_are_refused_in_an_import(cb, tmp_path):
    path = quoted_csv(tmp_path / "d.csv", [["捐赠人", "金额", "日期"], ["甲", "1,2000", "2021-09-07"], ["乙", "12,5", "2021-09-07"],
                                           ["丙", "1,234.50", "2021-09-07"]])
    result = cb("import", "donations", path, expect=1)
    assert "'1,2000'" in result.stderr and "'12,5'" in result.stderr and "row 3" in result.stderr
    assert count(cb, "donations") == 0


def test_numeric_cells_are_read_as_excel_shows_them(cb, tmp_path):
    """A SUM stores 3482232.1100000003, which Excel shows as 3,482,232.11; a real third decimal is refused."""
    rows = [HEAD, [1, "王某", 1000000.11, "2021-09-07"], [2, "李某", 2482232.0, "2021-09-07"],
            ["合计", None, 1000000.11 + 2482232.0 + 0.0000000003, None]]
    assert rows[-1][2] == 3482232.1100000003
    cb("import", "donations", xlsx(tmp_path / "s.xlsx", {"S": rows}))
    assert sum(float(d["amount"]) for d in cb.json("list", "donations")) == pytest.approx(3482232.11)
    bad = xlsx(tmp_path / "b.xlsx", {"S": [HEAD, [1, "赵某", 2.525, "2021-09-07"]]})
    assert "more than two decimals" in cb("import", "donations", bad, expect=1).stderr


def test_one_fen_in_a_wan_column(cb, tmp_path):
    path = xlsx(tmp_path / "w.xlsx", {"S": [["捐赠人", "捐赠金额(万元)", "日期"], ["王某", 0.000001, "2021-09-07"]]})
    cb("import", "donations", path)
    assert cb.json("list", "donations")[0]["amount"] == "0.01"


# --- goods valued by one owner -----------------------------------------------------------

def test_goods_product_beyond_the_fen_is_refused_alike_on_both_paths(cb, tmp_path):
    message = "not a whole number of fen"
    result = cb("add-donation", "--donor", "某厂", "--goods", "苹果", "--quantity", "2.5", "--unit-value", "0.33",
                "--date", "2021-03-01", expect=2)
    assert message in result.stderr
    path = xlsx(tmp_path / "g.xlsx", {"S": [["捐赠人", "捐赠物资", "数量", "单价", "日期"], ["某厂", "苹果", 2.5, 0.33, "2021-09-07"]]})
    assert message in cb("import", "donations", path, expect=1).stderr
    cb("add-donation", "--donor", "某厂", "--goods", "苹果", "--quantity", "2.5", "--unit-value", "0.33", "--value", "0.83",
       "--date", "2021-03-01")
    assert cb.json("list", "donations")[0]["goods_value"] == "0.83"


def test_goods_value_that_disagrees_with_quantity_times_unit_value_is_an_error(cb, tmp_path):
    path = xlsx(tmp_path / "g.xlsx", {"S": [["捐赠人", "捐赠物资", "数量", "单价", "折价", "日期"],
                                            ["某超市", "食用油", 40, 60.5, 2400, "2021-09-07"]]})
    result = cb("import", "donations", path, expect=1)
    assert "折价 2400.00 disagrees with 数量 × 单价 = 40 × 60.50 = 2420" in result.stderr
    assert count(cb, "donations") == 0


@pytest.mark.parametrize("quantity", ["-2", "inf", "NaN", "0", "1e400"])
def test_a_bad_quantity_is_a_row_problem_never_a_crash(cb, tmp_path, quantity):
    path = csv_file(tmp_path / "q.csv", [["捐赠人", "捐赠物资", "数量", "单价", "日期"], ["某厂", "大米", quantity, 50, "2021-09-07"],
                                         ["某店", "大米", "x", 50, "2021-09-07"]])
    result = cb("import", "donations", path, "--dry-run", expect=1)
    assert "Traceback" not in result.stderr and result.exception is None or isinstance(result.exception, SystemExit)
    assert "row 2, column 数量" in result.stderr and "row 3, column 数量" in result.stderr


def test_a_bad_household_size_is_a_row_problem(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    path = xlsx(tmp_path / "r.xlsx", {"S": [["户主姓名", "身份证号码", "家庭人口", "慰问金"], ["王某", ID1, "inf", 300],
                                            ["李某", ID2, "-1", 300], ["赵某", ID3, 3, 300]]})
    result = cb("import", "relief", path, "--holiday", "春节", "--date", "2021-02-06", "--dry-run", expect=1)
    assert "row 2, column 家庭人口, value 'inf'" in result.stderr and "row 3, column 家庭人口" in result.stderr
    assert "rows read: 3; valid: 1;" in result.stdout


# --- nothing silently dropped -------------------------------------------------------------

def test_order_numbers_that_lost_digits_are_refused(cb, tmp_path):
    path = xlsx(tmp_path / "o.xlsx", {"S": [["订单号", "昵称", "金额", "日期"], [123456789012345678, "甲", 10, "2021-09-07"],
                                            [123456789012345679, "乙", 20, "2021-09-07"], ["1.23457E+17", "丙", 30, "2021-09-07"]]})
    result = cb("import", "donations", path, expect=1)
    assert "value '1.23456789012346e+17'" in result.stderr and "digits lost" in result.stderr
    assert "— 2 rows (2, 3)" in result.stderr          # they have collapsed into one number
    assert "'1.23457E+17'" in result.stderr and "3 problem(s)" in result.stderr
    assert count(cb, "donations") == 0


def test_total_row_agrees_with_imported_plus_duplicates(cb, tmp_path):
    head = ["订单号", "昵称", "金额", "日期"]
    cb("import", "donations", csv_file(tmp_path / "a.csv", [head, ["T1", "甲", 10, "2021-09-07"], ["T2", "乙", 20, "2021-09-07"]]))
    result = cb("import", "donations", csv_file(tmp_path / "b.csv", [head, ["T2", "乙", 20, "2021-09-07"],
                                                                    ["T3", "丙", 30, "2021-09-07"], ["合计", None, 50, None]]))
    assert "cash 30.00 元" in result.stdout and "(cash 20.00 元, goods 0.00 元), skipped" in result.stdout


def test_an_order_number_used_for_another_gift_is_refused(cb, tmp_path):
    head = ["订单号", "昵称", "金额", "日期"]
    cb("import", "donations", csv_file(tmp_path / "a.csv", [head, ["T1", "甲", 10, "2021-09-07"]]))
    result = cb("import", "donations", csv_file(tmp_path / "b.csv", [head, ["T1", "乙", 99, "2021-09-07"]]), expect=1)
    assert "already used by donation #1 (甲, 10.00 元, 2021-09-07)" in result.stderr
    inside = cb("import", "donations", csv_file(tmp_path / "c.csv", [head, ["T5", "甲", 10, "2021-09-07"], ["T5", "丙", 11, "2021-09-07"]]),
                expect=1)
    assert "an earlier row of this file" in inside.stderr
    assert count(cb, "donations") == 1


def test_two_columns_for_one_field_are_refused_unless_mapped(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    path = xlsx(tmp_path / "r.xlsx", {"S": [["户主姓名", "身份证号码", "慰问金", "发放金额"], ["王某", ID1, 300, 200]]})
    result = cb("import", "relief", path, "--holiday", "春节", "--date", "2021-02-06", expect=1)
    assert "two columns mean amount: 慰问金 (column C) and 发放金额 (column D)" in result.stderr
    cb("import", "relief", path, "--holiday", "春节", "--date", "2021-02-06", "--map", "发放金额=ignored")
    assert cb.json("relief", "list")[0]["cash"] == "300.00"


def test_map_by_column_letter_settles_two_identical_headers(cb, tmp_path):
    path = xlsx(tmp_path / "d.xlsx", {"S": [["捐赠人", "金额", "金额", "日期"], ["王某", 100, 5, "2021-09-07"]]})
    assert "two columns mean amount" in cb("import", "donations", path, expect=1).stderr
    cb("import", "donations", path, "--map", "C列=ignored")
    assert cb.json("list", "donations")[0]["amount"] == "100.00"


def test_skip_invalid_on_a_wholly_invalid_file_records_nothing(cb, tmp_path):
    bad = csv_file(tmp_path / "v1.csv", [["捐赠人", "金额", "日期"], ["甲", "abc", "2021-09-07"], ["乙", "x", "2021-09-07"]])
    result = cb("import", "donations", bad, "--skip-invalid", expect=1)
    assert "every row has a problem" in result.stderr
    assert count(cb, "batches") == 0
    fixed = csv_file(tmp_path / "v2.csv", [["捐赠人", "金额", "日期"], ["甲", "10", "2021-09-07"], ["乙", "20", "2021-09-07"]])
    cb("import", "donations", fixed)
    assert count(cb, "donations") == 2


def test_skip_invalid_says_how_to_import_the_corrected_file(cb, tmp_path):
    path = csv_file(tmp_path / "v1.csv", [["捐赠人", "金额", "日期"], ["甲", "abc", "2021-09-07"], ["乙", "20", "2021-09-07"]])
    result = cb("import", "donations", path, "--skip-invalid")
    assert "--replace 1" in result.stderr


# --- nothing doubled ---------------------------------------------------------------------

def test_a_resaved_copy_is_the_same_file(cb, tmp_path):
    rows = [["捐赠人", "金额", "日期", "乡镇"], ["甲", "10", "2021-09-07", "城关街道"], ["乙", "20.50", "2021-09-08", "城关街道"]]
    cb("import", "donations", csv_file(tmp_path / "crlf.csv", rows))
    lf = tmp_path / "lf.csv"
    lf.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    assert "the same rows" in cb("import", "donations", lf).stdout
    as_xlsx = xlsx(tmp_path / "resaved.xlsx", {"Sheet1": [["捐赠人", "金额", "日期", "乡镇"], ["乙", 20.5, "2021-09-08", "城关街道"],
                                                           ["甲", 10, "2021-09-07", "城关街道"]]})
    assert "the same rows" in cb("import", "donations", as_xlsx).stdout
    assert count(cb, "donations") == 2 and count(cb, "batches") == 1


def _category_roster(path, amount=500):
    return xlsx(path, {"S": [["学生姓名", "身份证号", "资助金额"], ["小明", make_id("61100220100601004"), amount],
                             ["小红", make_id("61100220110302002"), 500]]})


def test_a_category_roster_is_a_batch_like_any_other(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "50000", "--date", "2021-01-01")
    args = ("--category", "助学", "--date", "2021-09-01")
    cb("import", "relief", _category_roster(tmp_path / "r.xlsx"), *args)
    assert "already imported" in cb("import", "relief", _category_roster(tmp_path / "copy.xlsx"), *args).stdout
    corrected = cb("import", "relief", _category_roster(tmp_path / "v2.xlsx", 600), *args, expect=1)
    assert "already paid 助学 on 2021-09-01" in corrected.stderr and "--replace 1" in corrected.stderr
    cb("import", "relief", _category_roster(tmp_path / "v2.xlsx", 600), *args, "--replace", "1")
    standing = [d for d in cb.json("list", "disbursements", "--category", "助学") if not d["voided_by"]]
    assert sorted(d["amount"] for d in standing) == ["500.00", "600.00"]


def test_one_person_twice_in_a_category_roster_is_an_error(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "50000", "--date", "2021-01-01")
    kid = make_id("61100220100601004")
    path = xlsx(tmp_path / "r.xlsx", {"S": [["学生姓名", "身份证号", "资助金额"], ["小明", kid, 500], ["小明", kid, 500]]})
    result = cb("import", "relief", path, "--category", "助学", "--date", "2021-09-01", expect=1)
    assert "appears twice in this roster for 助学 on 2021-09-01" in result.stderr


def test_replace_never_imports_an_already_imported_file_again(cb, tmp_path):
    head = ["捐赠人", "金额", "日期"]
    cb("import", "donations", csv_file(tmp_path / "a.csv", [head, ["甲", "10", "2021-09-07"]]))
    cb("import", "donations", csv_file(tmp_path / "b.csv", [head, ["乙", "20", "2021-09-07"]]))
    result = cb("import", "donations", csv_file(tmp_path / "a2.csv", [head, ["甲", "10", "2021-09-07"]]), "--replace", "2", expect=1)
    assert "already imported as batch #1" in result.stderr and "a second time" in result.stderr
    same = cb("import", "donations", csv_file(tmp_path / "b2.csv", [head, ["乙", "20", "2021-09-07"]]), "--replace", "2", expect=1)
    assert "nothing to correct" in same.stderr
    assert count(cb, "donations") == 2 and count(cb, "batches") == 2


# --- nothing misattributed ---------------------------------------------------------------

def test_a_refused_first_row_leaves_no_stale_campaign(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "1000", "--date", "2021-01-01")
    path = xlsx(tmp_path / "r.xlsx", {"S": [["户主姓名", "身份证号码", "慰问金"], ["王某", ID1, 5000], ["李某", ID2, 300]]})
    result = cb("import", "relief", path, "--holiday", "春节", "--date", "2021-02-06", "--dry-run", expect=1)
    assert "row 2" in result.stderr and "overdraw" in result.stderr and "FOREIGN KEY" not in result.stderr
    assert "rows read: 2; valid: 1;" in result.stdout
    cb("import", "relief", path, "--holiday", "春节", "--date", "2021-02-06", "--skip-invalid")
    [holiday] = cb.json("report", "holiday", "--year", "2021")["holidays"]
    assert holiday["recipients"] == 1 and holiday["cash"] == "300.00"
    cb("check")


def test_a_refused_row_leaves_no_stale_person(cb, tmp_path):
    """Row 2 (王某) is refused after its person row was written; row 3 (李某) reuses the rowid; row 4
    is 王某 again: his grant must be his, not 李某's."""
    cb("add-donation", "--donor", "某公司", "--amount", "1000", "--date", "2021-01-01")
    path = xlsx(tmp_path / "r.xlsx", {"S": [["姓名", "身份证号", "资助金额", "日期"], ["王某", ID1, 5000, "2021-09-01"],
                                            ["李某", ID2, 300, "2021-09-01"], ["王某", ID1, 200, "2021-09-02"]]})
    cb("import", "relief", path, "--category", "助困", "--skip-invalid")
    paid = rows_of(cb, "SELECT x.payee, b.name FROM disbursements x JOIN beneficiaries b ON b.id = x.beneficiary_id ORDER BY x.entry_id")
    assert paid == [("李某", "李某"), ("王某", "王某")]
    assert cb.json("report", "annual", "--year", "2021")["relief"]["by_category"][0]["recipients"] == 2


def test_each_campaign_is_reported_from_its_own_roster(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    head = ["户主姓名", "身份证号码", "家庭人口", "困难类型", "慰问金"]
    cb("import", "relief", xlsx(tmp_path / "a.xlsx", {"S": [head, ["王某", ID1, 3, "低保户", 300]]}), "--holiday", "春节",
       "--date", "2021-02-06")
    cb("import", "relief", xlsx(tmp_path / "b.xlsx", {"S": [head, ["王某", ID1, 4, "特困供养", 300]]}), "--holiday", "中秋",
       "--date", "2021-09-20")
    holidays = {h["holiday"]: h for h in cb.json("report", "holiday", "--year", "2021")["holidays"]}
    assert holidays["春节"]["persons"] == 3 and holidays["春节"]["by_hardship_type"][0]["hardship_type"] == "低保户"
    assert holidays["中秋"]["persons"] == 4 and holidays["中秋"]["by_hardship_type"][0]["hardship_type"] == "特困供养"


def test_goods_a_fund_does_not_hold_are_refused_by_item(cb):
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    cb("add-purchase", "--item", "米面油", "--amount", "1000", "--quantity", "10", "--unit", "份", "--date", "2021-01-02")
    result = cb("relief", "give", "--holiday", "春节", "--name", "王某", "--id-number", ID1, "--goods", "食用油",
                "--goods-value", "100", "--date", "2021-02-05", expect=1)
    assert "holds no goods named '食用油'" in result.stderr and "米面油 1,000.00 元" in result.stderr
    too_many = cb("relief", "give", "--holiday", "春节", "--name", "王某", "--id-number", ID1, "--goods", "米面油",
                  "--quantity", "11", "--goods-value", "100", "--date", "2021-02-05", expect=1)
    assert "holds 10 份 of 米面油" in too_many.stderr
    cb("relief", "give", "--holiday", "春节", "--name", "王某", "--id-number", ID1, "--goods", "米面油", "--goods-value", "200",
       "--date", "2021-02-05")
    [line] = cb.json("fund", "stock")
    assert (line["item"], line["quantity"], line["value"]) == ("米面油", "8", "800.00")  # 200 元 at 100 元 a 份 is 2 份


def test_a_roster_s_goods_name_the_stock_item(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    cb("add-purchase", "--item", "米面油", "--amount", "1000", "--quantity", "10", "--unit", "份", "--date", "2021-01-02")
    path = xlsx(tmp_path / "r.xlsx", {"S": [["户主姓名", "身份证号码", "慰问品折价"], ["王某", ID1, 100]]})
    result = cb("import", "relief", path, "--holiday", "春节", "--date", "2021-02-06", expect=1)
    assert "holds no goods named '慰问品'" in result.stderr and "--goods-item" in result.stderr
    cb("import", "relief", path, "--holiday", "春节", "--date", "2021-02-06", "--goods-item", "米面油")
    assert cb.json("fund", "stock")[0]["value"] == "900.00"


# --- dates and text at the boundary ------------------------------------------------------

@pytest.mark.parametrize("day", ["2099-01-01", "2201-03-01", "1989-12-31"])
def test_implausible_dates_need_confirming(cb, day):
    result = cb("add-donation", "--donor", "王某", "--amount", "10", "--date", day, expect=2)
    assert day in result.stderr and "--confirm-date" in result.stderr
    assert count(cb, "donations") == 0
    cb("add-donation", "--donor", "王某", "--amount", "10", "--date", day, "--confirm-date")


def test_a_pledge_may_fall_due_later(cb):
    cb("add-pledge", "--donor", "某集团", "--amount", "50000", "--date", "2021-03-01", "--due", "2099-12-31")


def test_implausible_dates_in_an_import_are_row_problems(cb, tmp_path):
    path = csv_file(tmp_path / "d.csv", [["捐赠人", "金额", "日期"], ["甲", "10", "2201-03-01"], ["乙", "10", "2021-09-07"]])
    result = cb("import", "donations", path, expect=1)
    assert "row 2, column 日期" in result.stderr and "after today" in result.stderr
    cb("import", "donations", path, "--confirm-date")
    assert count(cb, "donations") == 2


def test_text_is_cleaned_where_it_enters(cb, tmp_path):
    cb("add-donation", "--donor", "王\u200b某\u202e\x00\x07", "--amount", "10", "--date", "2021-03-01", "--note", "第一行\n第二行")
    cb("add-donation", "--donor", "王某", "--amount", "20", "--date", "2021-03-02")
    donors = cb.json("list", "donors")
    assert [d["name"] for d in donors] == ["王某"] and donors[0]["donations"] == 2
    assert cb.json("list", "donations")[0]["note"] == "第一行 第二行"
    path = tmp_path / "n.csv"
    path.write_text('捐赠人,金额,日期\n"李\n某",10,2021-09-07\n"x\ufffey",5,2021-09-07\n', encoding="utf-8")
    cb("import", "donations", path)
    assert {d["donor"] for d in cb.json("list", "donations")} == {"王某", "李 某", "xy"}


def test_overlong_text_is_refused_never_cut(cb, tmp_path):
    result = cb("add-donation", "--donor", "王" * 40000, "--amount", "10", "--date", "2021-03-01", expect=2)
    assert "40,000 characters long" in result.stderr and count(cb, "donations") == 0
    path = csv_file(tmp_path / "d.csv", [["捐赠人", "金额", "日期"], ["李" * 300, "10", "2021-09-07"]])
    assert "300 characters long" in cb("import", "donations", path, expect=1).stderr


# --- the writer thread -------------------------------------------------------------------

def test_an_error_in_the_writer_thread_fails_the_import(cb, tmp_path, monkeypatch):
    from charitybook.ledger import donations
    from charitybook.services import import_writers

    real = donations.write_prepared

    def half_then_fail(ledger, prepared):
        ledger.conn.execute("SELECT 1")
        raise sqlite3.OperationalError("disk I/O error (simulated)")

    monkeypatch.setattr(import_writers.donation_rows, "write_prepared", half_then_fail)
    path = csv_file(tmp_path / "d.csv", [["捐赠人", "金额", "日期"], ["甲", "10", "2021-09-07"], ["乙", "20", "2021-09-07"]])
    result = cb("import", "donations", path, expect=1)
    assert "Imported" not in result.stdout and "disk I/O error" in result.stderr
    assert count(cb, "entries") == 0 and count(cb, "batches") == 0
    monkeypatch.setattr(import_writers.donation_rows, "write_prepared", real)
    cb("check")


def test_the_import_ends_only_after_its_writer_has(cb, tmp_path, monkeypatch):
    """A failure while a chunk is being written rolls back only once the chunk is done: no
    statement of it may run after the rollback, on its own."""
    from charitybook.ledger import donations
    from charitybook.services import import_writers, spool

    real, finished = donations.write_prepared, threading.Event()

    def slow(ledger, prepared):
        threading.Event().wait(0.3)
        real(ledger, prepared)
        finished.set()

    calls = {"n": 0}
    real_row = import_writers.donation_row

    def fail_on_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_row(*args, **kwargs)

    monkeypatch.setattr(spool, "CHUNK", 2)
    monkeypatch.setattr(import_writers.donation_rows, "write_prepared", slow)
    monkeypatch.setattr(import_writers, "donation_row", fail_on_third)
    path = csv_file(tmp_path / "d.csv", [["捐赠人", "金额", "日期"]] + [[f"甲{i}", "10", "2021-09-07"] for i in range(4)])
    result = cb("import", "donations", path, expect=130)
    assert "interrupted" in result.stderr
    assert finished.is_set()  # the command returned only after the chunk in flight was written
    assert not [t for t in threading.enumerate() if t.name.startswith("charitybook-writer")]
    assert count(cb, "entries") == 0


@pytest.mark.parametrize("size", ["-1", "0", "inf", "1000", "2.5"])
def test_a_bad_household_size_on_the_command_line_is_a_usage_error(cb, size):
    result = cb("beneficiary", "add", "--name", "王某", "--id-number", ID1, "--household-size", size, expect=2)
    assert "--household-size" in result.stderr and count(cb, "beneficiaries") == 0


def _with_hidden(path, total=None):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "城关街道"
    for row in [HEAD, [1, "王某", 100, "2021-09-07"], [2, "李某(已退)", 50, "2021-09-07"], [3, "赵某", 200, "2021-09-07"]]:
        sheet.append(row)
    if total is not None:
        sheet.append(["合计", None, total, None])
    sheet.row_dimensions[3].hidden = True
    secret = workbook.create_sheet("旧表")
    secret.append(HEAD)
    secret.append([1, "钱某", 999, "2021-09-07"])
    secret.sheet_state = "hidden"
    workbook.save(path)
    return path


def test_hidden_rows_and_sheets_are_named_and_not_imported(cb, tmp_path):
    path = _with_hidden(tmp_path / "h.xlsx")
    dry = cb("import", "donations", path, "--dry-run")
    assert "hidden in Excel, not imported: 1 row(s) (3)" in dry.stdout and "sheet 旧表: hidden in Excel" in dry.stdout
    cb("import", "donations", path)
    assert [d["donor"] for d in cb.json("list", "donations")] == ["王某", "赵某"]


def test_include_hidden_imports_them(cb, tmp_path):
    cb("import", "donations", _with_hidden(tmp_path / "h.xlsx"), "--include-hidden", "--all-sheets")
    assert sorted(d["donor"] for d in cb.json("list", "donations")) == ["李某(已退)", "王某", "赵某", "钱某"]


def test_a_total_that_counts_hidden_rows_says_so(cb, tmp_path):
    result = cb("import", "donations", _with_hidden(tmp_path / "h.xlsx", total=350), expect=1)
    assert "counts rows hidden in Excel" in result.stderr and "--include-hidden" in result.stderr
    cb("import", "donations", _with_hidden(tmp_path / "h2.xlsx", total=350), "--include-hidden", "--sheet", "城关街道")


# --- found by review: siblings -------------------------------------------------------------

def test_goods_in_a_unit_the_stock_is_not_counted_in_are_refused(cb):
    cb("add-donation", "--donor", "粮油厂", "--goods", "大米", "--quantity", "10", "--unit", "袋", "--unit-value", "50",
       "--date", "2021-01-02")
    result = cb("relief", "give", "--holiday", "春节", "--name", "王某", "--id-number", ID1, "--goods", "大米",
                "--quantity", "11", "--unit", "包", "--goods-value", "100", "--date", "2021-02-01", expect=1)
    assert "counts its 大米 in 袋, not in 包" in result.stderr and count(cb, "disbursements") == 0


def test_a_void_may_not_take_back_goods_already_handed_out(cb):
    cb("add-donation", "--donor", "甲", "--goods", "大米", "--quantity", "10", "--unit", "袋", "--unit-value", "50", "--date", "2021-01-02")
    cb("add-donation", "--donor", "乙", "--goods", "面粉", "--quantity", "10", "--unit", "袋", "--unit-value", "50", "--date", "2021-01-02")
    cb("relief", "give", "--holiday", "春节", "--name", "王某", "--id-number", ID1, "--goods", "大米", "--quantity", "8",
       "--unit", "袋", "--goods-value", "400", "--date", "2021-02-01")
    result = cb("void", "1", "--reason", "录入错误", expect=1)
    assert "would take 大米 out of fund" in result.stderr
    cb("check")


def test_backdated_spending_may_not_overdraw_the_past(cb):
    cb("add-donation", "--donor", "甲", "--amount", "1000", "--date", "2022-03-01")
    cb("add-donation", "--donor", "乙", "--goods", "大米", "--quantity", "10", "--unit", "袋", "--unit-value", "10", "--date", "2022-03-01")
    result = cb("add-disbursement", "--payee", "丙", "--purpose", "charitable", "--amount", "800", "--date", "2021-12-20", expect=1)
    assert "held only 0.00 元 of spendable cash on 2021-12-20" in result.stderr
    goods = cb("relief", "give", "--holiday", "元旦", "--name", "王某", "--id-number", ID1, "--goods", "大米", "--quantity", "5",
               "--unit", "袋", "--goods-value", "50", "--date", "2021-12-30", expect=1)
    assert "holds no goods named '大米'" in goods.stderr
    cb("add-disbursement", "--payee", "丙", "--purpose", "charitable", "--amount", "800", "--date", "2022-03-02")
    cb("add-donation", "--donor", "戊", "--amount", "500", "--date", "2022-03-03")
    later = cb("add-disbursement", "--payee", "丁", "--purpose", "charitable", "--amount", "300", "--date", "2022-03-01", expect=1)
    assert "held only 200.00 元" in later.stderr   # it holds 700 now, but on 3-2 only 200 were left


def test_the_same_bytes_read_another_way_are_another_import(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "50000", "--date", "2021-01-01")
    path = xlsx(tmp_path / "r.xlsx", {"S": [["姓名", "身份证号码", "慰问金"], ["王某", ID1, 300], ["李某", ID2, 300]]})
    cb("import", "relief", path, "--holiday", "春节", "--date", "2021-02-01")
    cb("import", "relief", path, "--holiday", "中秋", "--date", "2021-09-20")
    assert {h["holiday"] for h in cb.json("report", "holiday", "--year", "2021")["holidays"]} == {"春节", "中秋"}
    assert "already imported" in cb("import", "relief", path, "--holiday", "中秋", "--date", "2021-09-20").stdout


def test_a_corrected_file_with_a_row_added_needs_replace(cb, tmp_path):
    head = ["日期", "捐赠人", "金额"]
    cb("import", "donations", csv_file(tmp_path / "v1.csv", [head, ["2021-03-01", "甲", "100.5"], ["2021-03-02", "乙", "200"]]))
    plus = csv_file(tmp_path / "v2.csv", [head, ["2021-03-01", "甲", "100.5"], ["2021-03-02", "乙", "200"], ["2021-03-03", "新", "5"]])
    result = cb("import", "donations", plus, expect=1)
    assert "about 66% of this file's rows are already in the ledger as batch #1" in result.stderr
    assert "--replace 1" in result.stderr and "--new-rows" in result.stderr
    cb("import", "donations", plus, "--replace", "1")
    assert sorted(d["donor"] for d in cb.json("list", "donations") if not d["voided_by"]) == ["乙", "新", "甲"]


def test_new_rows_that_look_like_old_ones_may_be_imported_on_purpose(cb, tmp_path):
    head = ["日期", "捐赠人", "金额", "乡镇"]
    cb("import", "donations", csv_file(tmp_path / "a.csv", [head, ["2021-03-01", "匿名", "100", "城关街道"]]))
    other = csv_file(tmp_path / "b.csv", [head, ["2021-03-01", "匿名", "100", "城关街道"], ["2021-03-01", "甲", "5", "城关街道"]])
    assert "already in the ledger as batch #1" in cb("import", "donations", other, expect=1).stderr
    cb("import", "donations", other, "--new-rows")
    assert len(cb.json("list", "donations")) == 3


def test_replace_naming_an_unrelated_batch_is_refused(cb, tmp_path):
    head = ["日期", "捐赠人", "金额"]
    cb("import", "donations", csv_file(tmp_path / "A.csv", [head, ["2021-03-01", "甲", "100"]]))
    cb("import", "donations", csv_file(tmp_path / "B.csv", [head, ["2021-03-01", "乙", "200"]]))
    fixed = csv_file(tmp_path / "B2.csv", [head, ["2021-03-01", "乙", "250"]])
    dry = cb("import", "donations", fixed, "--replace", "1", "--dry-run", expect=1)
    assert "replaces batch #1: its 1 standing entries (cash 100.00 元" in dry.stdout
    assert "no donor or recipient in common with batch #1" in dry.stderr
    cb("import", "donations", fixed, "--replace", "2")
    assert sorted(d["amount"] for d in cb.json("list", "donations") if not d["voided_by"]) == ["100.00", "250.00"]


def test_a_category_roster_re_dated_is_said_to_look_like_its_earlier_batch(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "50000", "--date", "2021-01-01")
    rows = [["姓名", "身份证号码", "救助金额", "日期"], ["王某", ID1, 300, "2021-05-01"], ["李某", ID2, 300, "2021-05-01"]]
    cb("import", "relief", xlsx(tmp_path / "a.xlsx", {"S": rows}), "--category", "助困")
    moved = [rows[0]] + [[*r[:3], "2021-05-02"] for r in rows[1:]]
    result = cb("import", "relief", xlsx(tmp_path / "b.xlsx", {"S": moved}), "--category", "助困")
    assert "2 of the 2 people of this roster were already paid 助困 in import batch #1" in result.stderr


def test_order_numbers_are_read_as_written_however_excel_forced_them_to_text(cb, tmp_path):
    head = ["日期", "捐赠人", "金额", "订单号"]
    cb("import", "donations", quoted_csv(tmp_path / "a.csv", [head, ["2021-03-01", "甲", "100", '="2021090722001"'],
                                                             ["2021-03-01", "乙", "100", "'2021090722002"],
                                                             ["2021-03-01", "丙", "100", "Ｒ１"]]))
    result = cb("import", "donations", quoted_csv(tmp_path / "b.csv", [head, ["2021-03-01", "甲", "100", "2021090722001"],
                                                                      ["2021-03-01", "乙", "100", "2021090722002"],
                                                                      ["2021-03-01", "丙", "100", "R1"]]))
    assert "already imported" in result.stdout or "3 row(s) with the same order/serial number" in result.stdout
    assert sorted(d["reference"] for d in cb.json("list", "donations")) == ["2021090722001", "2021090722002", "R1"]
    odd = xlsx(tmp_path / "c.xlsx", {"S": [head, ["2021-03-01", "丁", 5, 12345.5]]})
    assert "a number with decimals" in cb("import", "donations", odd, expect=1).stderr


@pytest.mark.parametrize("year", ["21", "2201", "-5", "0"])
def test_a_year_must_be_written_in_full(cb, year):
    result = cb("relief", "give", "--holiday", "春节", "--name", "王大山", "--id-number", ID1, "--cash", "300",
                "--date", "2021-02-07", "--year", year, expect=2)
    assert "give the year in full" in result.stderr
    assert "give the year in full" in cb("report", "annual", "--year", year, expect=2).stderr
    assert "give the year in full" in cb("balance", "--year", year, expect=2).stderr


def test_a_holiday_is_one_campaign_however_it_is_written(cb):
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    cb("relief", "give", "--holiday", "春节", "--name", "王大山", "--id-number", ID1, "--cash", "300", "--date", "2021-02-07")
    for written in ("春 节", "春节慰问"):
        result = cb("relief", "give", "--holiday", written, "--name", "王大山", "--id-number", ID1, "--cash", "300",
                    "--date", "2021-02-07", expect=1)
        assert "already received 2021 春节 relief" in result.stderr


def test_numbers_in_date_cells(cb, tmp_path):
    path = xlsx(tmp_path / "m.xlsx", {"S": [["年月", "捐赠人", "金额"], [2021.1, "甲", 100], [2021.12, "乙", 100], [202109, "丙", 5]]})
    result = cb("import", "donations", path, expect=1)
    assert "may be January or October" in result.stderr and "row 2" in result.stderr
    cb("import", "donations", xlsx(tmp_path / "d.xlsx", {"S": [["日期", "捐赠人", "金额"], [20210907, "丁", 5]]}))
    assert cb.json("list", "donations")[0]["date"] == "2021-09-07"
    bad_day = xlsx(tmp_path / "e.xlsx", {"S": [["年", "月", "日", "捐赠人", "金额"], [2021, 9, 7.9, "戊", 5]]})
    assert "impossible date" in cb("import", "donations", bad_day, expect=1).stderr


def test_a_platform_gift_is_online(cb):
    cb("add-donation", "--donor", "甲", "--amount", "10", "--platform", "腾讯公益", "--date", "2021-09-07")
    assert cb.json("list", "donations")[0]["channel"] == "online"
    result = cb("add-donation", "--donor", "乙", "--amount", "10", "--platform", "腾讯公益", "--channel", "bank",
                "--date", "2021-09-07", expect=1)
    assert "is an online gift" in result.stderr


def test_a_donor_keeps_one_type(cb):
    cb("add-donation", "--donor", "王某", "--amount", "10", "--date", "2021-03-01")
    result = cb("add-donation", "--donor", "王某", "--donor-type", "企业", "--amount", "10", "--date", "2021-03-01", expect=1)
    assert "recorded as individual, not enterprise" in result.stderr and count(cb, "donations") == 1


@pytest.mark.parametrize("args", [["--fund", ""], ["--project", " "], ["--donor", ""]])
def test_an_empty_option_is_refused_not_taken_as_none(cb, args):
    base = {"--donor": "王某", "--amount": "10", "--date": "2021-03-01"}
    base.update(dict([args]))
    flat = [item for pair in base.items() for item in pair]
    assert "is empty" in cb("add-donation", *flat, expect=2).stderr


def test_dollars_are_not_yuan_and_zero_income_is_refused(cb):
    assert "not an amount" in cb("add-donation", "--donor", "王某", "--amount", "$100", "--date", "2021-03-01", expect=2).stderr
    assert "above zero" in cb("add-income", "--amount", "0", "--date", "2021-03-01", expect=1).stderr
    assert "is empty" in cb("config", "--name", "", expect=2).stderr


def test_errors_out_never_overwrites_the_file_being_imported(cb, tmp_path):
    path = csv_file(tmp_path / "x.csv", [["捐赠人", "金额", "日期"], ["甲", "abc", "2021-09-07"]])
    before = path.read_bytes()
    copy = tmp_path / "x.xlsx"
    xlsx(copy, {"S": [["捐赠人", "金额", "日期"], ["甲", "abc", "2021-09-07"]]})
    snapshot = copy.read_bytes()
    result = cb("import", "donations", copy, "--errors-out", copy, expect=2)
    assert "is the file being imported" in result.stderr and copy.read_bytes() == snapshot and path.read_bytes() == before


def test_header_row_beyond_the_search(cb, tmp_path):
    rows = [[f"说明{i}"] for i in range(59)] + [["捐赠人", "金额", "日期"], ["王某", 10, "2021-09-07"]]
    cb("import", "donations", xlsx(tmp_path / "h.xlsx", {"S": rows}), "--header-row", "60")
    assert cb.json("list", "donations")[0]["donor"] == "王某"


def test_check_finds_a_dropped_guard(cb):
    cb("add-donation", "--donor", "王某", "--amount", "10", "--date", "2021-03-01")
    conn = sqlite3.connect(cb.db)
    conn.execute("DROP TRIGGER audit_log_never_vanish")
    conn.commit()
    conn.close()
    result = cb("check", expect=1)
    assert "trigger audit_log_never_vanish is missing" in result.stderr


def test_a_long_value_is_quoted_short(cb, tmp_path):
    path = csv_file(tmp_path / "d.csv", [["捐赠人", "金额", "日期"], ["甲", "钱" * 5000, "2021-09-07"]])
    result = cb("import", "donations", path, expect=1)
    assert len(max(result.stderr.splitlines(), key=len)) < 400


def test_a_year_s_fund_report_shows_that_year_s_stock(cb):
    cb("add-donation", "--donor", "乙", "--goods", "大米", "--quantity", "10", "--unit", "袋", "--unit-value", "10", "--date", "2021-03-01")
    cb("relief", "give", "--holiday", "春节", "--name", "王某", "--id-number", ID1, "--goods", "大米", "--quantity", "8",
       "--unit", "袋", "--goods-value", "80", "--date", "2022-01-30")
    [line] = cb.json("report", "funds", "--year", "2021")["stock"]
    assert (line["quantity"], line["value"]) == ("10", "100.00")


def test_a_csv_row_with_more_values_than_the_header_is_refused(cb, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("日期,捐赠人,金额,备注\r\n2021-03-01,乙,1,200.00,\r\n2021-03-01,丙,12,500,年终\r\n2021-03-01,丁,5,\r\n",
                    encoding="utf-8")
    result = cb("import", "donations", path, expect=1)
    assert "more values than the header has columns (4)" in result.stderr and "— 2 rows (2, 3)" in result.stderr
    assert count(cb, "donations") == 0


def test_goods_named_or_counted_but_not_valued_are_a_problem(cb, tmp_path):
    path = csv_file(tmp_path / "g.csv", [["日期", "捐赠人", "金额", "物资名称", "数量", "折价"], ["2021-03-01", "甲", "100", "大米", "", ""],
                                         ["2021-03-01", "乙", "100", "", "3", ""]])
    result = cb("import", "donations", path, expect=1)
    assert "row 2" in result.stderr and "row 3" in result.stderr and "have no value" in result.stderr


def test_a_merged_amount_is_never_counted_once_per_row(cb, tmp_path):
    rows = [["日期", "捐赠人", "金额", "经办人"], ["2021-03-01", "某建设集团", 10000, "张"], ["2021-03-01", "某建设集团", None, "李"],
            ["2021-03-01", "某建设集团", None, "王"], ["2021-03-02", "乙", 50, "赵"]]
    result = cb("import", "donations", xlsx(tmp_path / "m.xlsx", {"S": rows}, {"S": ["C2:C4"]}), expect=1)
    assert "merged over rows 2–4" in result.stderr and "— 3 rows (2, 3, 4)" in result.stderr
    assert count(cb, "donations") == 0
    village = [["村", "捐赠人", "金额", "日期"], ["东关社区", "甲", 10, "2021-03-01"], [None, "乙", 20, "2021-03-01"]]
    cb("import", "donations", xlsx(tmp_path / "v.xlsx", {"S": village}, {"S": ["A2:A3"]}))  # a merged village is fine
    assert count(cb, "donations") == 2


def test_formulas_without_saved_values_and_error_cells_are_named(cb, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [["日期", "捐赠人", "现金", "物资名称", "物资折价"], ["2021-03-01", "甲", 100, "大米", "=10*50"],
                ["2021-03-01", "乙", "=150+50", "面粉", 300], ["2021-03-01", "丙", 30, None, None]]:
        sheet.append(row)
    sheet["C4"].value, sheet["C4"].data_type = "#DIV/0!", "e"
    workbook.save(tmp_path / "f.xlsx")
    result = cb("import", "donations", tmp_path / "f.xlsx", expect=1)
    assert "E2 is a formula without a saved value" in result.stderr and "C3 is a formula without a saved value" in result.stderr
    assert "C4 holds an Excel error" in result.stderr and "save it" in result.stderr
    assert count(cb, "donations") == 0
