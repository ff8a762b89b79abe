"""Beneficiaries, relief cases and holiday relief, from the command line."""

import sqlite3

from conftest import FULL_ID

from charitybook.idnumbers import check_char


def make_id(body17="61100219800101123"):
    return body17 + check_char(body17)


ID_A = make_id("61100219800101123")
ID_B = make_id("61100219750505222")
ID_CHILD = make_id("61100220150601004")


def test_beneficiary_from_id_masked_and_revealed_with_audit(cb):
    cb("beneficiary", "add", "--name", "张三", "--id-number", ID_A.lower(), "--township", "城关街道", "--new-township", "--household-size", "3")
    [row] = cb.json("beneficiary", "list")
    assert row["id_number"] == ID_A[:4] + "*" * 10 + ID_A[-4:] and row["gender"] == "male"
    assert cb.json("beneficiary", "show", "1")["id_number"] != ID_A
    assert cb.json("beneficiary", "show", "1", "--reveal")["id_number"] == ID_A
    actions = [r[0] for r in sqlite3.connect(cb.db).execute("SELECT action FROM audit_log")]
    assert "reveal id number" in actions


def test_same_person_is_one_row_and_bad_ids_refused(cb):
    cb("beneficiary", "add", "--name", "张三", "--id-number", ID_A)
    cb("beneficiary", "add", "--name", "张三", "--id-number", ID_A)
    assert len(cb.json("beneficiary", "list")) == 1
    bad = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")
    result = cb("beneficiary", "add", "--name", "李四", "--id-number", bad, expect=1)
    assert "check character" in result.stderr and bad not in result.stderr
    assert "no-id" in cb("beneficiary", "add", "--name", "婴儿", expect=1).stderr
    cb("beneficiary", "add", "--name", "婴儿", "--no-id", "未办理身份证的婴儿")
    cb("beneficiary", "add", "--name", "王五", "--id-number", "110105491231002")
    assert any(r["id_number"].endswith("002X") for r in cb.json("beneficiary", "list"))


def _fund(cb, amount="100000"):
    cb("add-donation", "--donor", "某公司", "--amount", amount, "--date", "2021-01-02")


def test_case_lifecycle_with_instalments(cb):
    _fund(cb)
    cb("case", "open", "--name", "张三", "--id-number", ID_A, "--category", "助医", "--amount", "20000",
       "--reason", "白血病治疗", "--health", "急性白血病", "--date", "2021-03-01")
    assert "not approved" in cb("case", "pay", "1", "--amount", "100", expect=1).stderr
    refused = cb("case", "approve", "1", "--amount", "0", expect=1).stderr
    assert "above zero" in refused and "IntegrityError" not in refused and "case reject" in refused
    cb("case", "approve", "1", "--amount", "15000")
    assert "above zero" in cb("case", "pay", "1", "--amount", "0", expect=1).stderr
    assert cb.json("list", "disbursements") == []
    cb("case", "pay", "1", "--amount", "10000")
    result = cb("case", "pay", "1", "--amount", "6000", expect=1)
    assert "5,000.00 元 left" in result.stderr
    assert cb("case", "pay", "1", "--amount", "5000").stdout.count("closed") == 1
    [case] = cb.json("case", "list", "--status", "closed")
    assert case["paid"] == "15000.00" and "health" not in case
    assert cb.json("case", "show", "1")["health"] == "急性白血病"
    payouts = cb.json("list", "disbursements", "--category", "助医")
    assert sum(float(p["amount"]) for p in payouts) == 15000 and all(p["purpose"] == "charitable" for p in payouts)


def test_case_reject_and_same_category_warning(cb):
    cb("case", "open", "--name", "张三", "--id-number", ID_A, "--category", "助困", "--amount", "500", "--reason", "x", "--date", "2021-03-01")
    cb("case", "reject", "1", "--reason", "不符合条件")
    assert "rejected" in cb("case", "pay", "1", "--amount", "1", expect=1).stderr
    result = cb("case", "open", "--name", "张三", "--id-number", ID_A, "--category", "助困", "--amount", "500", "--reason", "y", "--date", "2021-06-01")
    assert "already had case #1" in result.stderr
    assert [c["id"] for c in cb.json("case", "list", "--year", "2021", "--category", "助困")] == [1, 2]
    cb("case", "open", "--name", "李四", "--id-number", ID_B, "--category", "助困", "--amount", "300", "--reason", "z",
       "--township", "北宽坪镇", "--new-township", "--date", "2021-07-01")
    assert [c["id"] for c in cb.json("case", "list", "--township", "北宽坪镇")] == [3]
    assert [c["id"] for c in cb.json("case", "list", "--status", "rejected")] == [1]


def test_holiday_relief_cash_and_goods_from_stock(cb):
    _fund(cb, "1000")
    cb("add-purchase", "--item", "米面油", "--amount", "600", "--quantity", "3", "--date", "2021-01-05")
    cb("relief", "give", "--holiday", "春节", "--name", "张三", "--id-number", ID_A, "--township", "城关街道", "--new-township",
       "--cash", "300", "--goods", "米面油", "--quantity", "1", "--goods-value", "200", "--date", "2021-02-01")
    result = cb("relief", "give", "--holiday", "春节", "--name", "李四", "--id-number", ID_B, "--goods", "米面油",
                "--goods-value", "500", "--date", "2021-02-02", expect=1)
    assert "falls short by 100.00" in result.stderr
    dup = cb("relief", "give", "--holiday", "春节", "--name", "张三", "--id-number", ID_A, "--cash", "100",
             "--date", "2021-02-03", expect=1)
    assert "already received 2021 春节" in dup.stderr and "城关街道" in dup.stderr and "2021-02-01" in dup.stderr
    cb("relief", "give", "--holiday", "中秋", "--name", "张三", "--id-number", ID_A, "--cash", "100", "--date", "2021-09-20")
    [gift] = cb.json("relief", "list", "--holiday", "春节")
    assert gift["cash"] == "300.00" and gift["goods_value"] == "200.00"
    [row] = cb.json("list", "disbursements", "--category", "节日慰问", "--from", "2021-02-01", "--to", "2021-02-28")
    assert row["purpose"] == "charitable"


def test_void_lets_the_gift_be_given_again(cb):
    _fund(cb, "1000")
    cb("relief", "give", "--holiday", "春节", "--name", "张三", "--id-number", ID_A, "--cash", "100")
    cb("void", "2", "--reason", "发错了")
    cb("relief", "give", "--holiday", "春节", "--name", "张三", "--id-number", ID_A, "--cash", "100")


def test_no_full_id_number_in_any_list_output(cb):
    _fund(cb)
    cb("beneficiary", "add", "--name", "张三", "--id-number", ID_A)
    cb("case", "open", "--name", "李四", "--id-number", ID_B, "--category", "助学", "--amount", "100", "--reason", "x")
    cb("relief", "give", "--holiday", "六一", "--name", "小明", "--id-number", ID_CHILD, "--cash", "100")
    outputs = []
    for args in (["beneficiary", "list"], ["case", "list"], ["relief", "list"], ["list", "disbursements"],
                 ["list", "donations"], ["beneficiary", "show", "1"], ["case", "show", "1"]):
        for fmt in ("table", "json", "csv"):
            if args[-1] == "1" and fmt == "csv":
                continue
            outputs.append(cb(*args, "--format", fmt).output)
    text = "\n".join(outputs)
    assert not FULL_ID.search(text), FULL_ID.search(text)
    for id_number in (ID_A, ID_B, ID_CHILD):
        assert id_number not in text
