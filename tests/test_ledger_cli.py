"""The everyday commands, as a clerk types them, and every refusal."""

import sqlite3
import stat

import pytest


def donations(cb):
    return cb.json("list", "donations")


def test_missing_ledger_says_run_init_and_creates_nothing(fresh):
    result = fresh("list", "funds", expect=1)
    assert "init" in result.stderr
    assert not fresh.db.exists()


def test_init_refuses_existing_file_and_leaves_it_untouched(cb):
    before = cb.db.read_bytes()
    result = cb("init", "--name", "别的协会", expect=1)
    assert "already exists" in result.stderr
    assert cb.db.read_bytes() == before


def test_ledger_is_private_to_its_owner(cb):
    assert stat.S_IMODE(cb.db.stat().st_mode) == 0o600


@pytest.mark.parametrize("content", [b"", b"hello, not a database", b"SQLite format 3\x00" + b"\x00" * 200])
def test_non_ledgers_are_refused_never_initialised(fresh, content):
    fresh.db.write_bytes(content)
    result = fresh("list", "funds", expect=1)
    assert "Traceback" not in result.output
    assert fresh.db.read_bytes() == content
    fresh("init", "--name", "x", expect=1)
    assert fresh.db.read_bytes() == content


def test_other_sqlite_database_is_refused(fresh):
    conn = sqlite3.connect(fresh.db)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    result = fresh("list", "funds", expect=1)
    assert "not a charitybook ledger" in result.stderr


def test_db_from_environment(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from charitybook.cli.app import app

    monkeypatch.setenv("CHARITYBOOK_DB", str(tmp_path / "env.db"))
    assert CliRunner().invoke(app, ["init", "--name", "x"]).exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_add_donation_prints_id_and_receipt_and_lists(cb):
    result = cb("add-donation", "--donor", "王某", "--amount", "1,000", "--date", "2021-03-01", "--channel", "bank",
                "--project", "朝阳助学", "--new-project")
    assert "#1" in result.stdout and "2021-000001" in result.stdout
    [row] = donations(cb)
    assert row["receipt_no"] == "2021-000001" and row["amount"] == "1000.00" and row["goods"] is None
    assert row["fund"] == "朝阳助学" and row["donor_type"] == "个人" and row["date"] == "2021-03-01"
    funds = {f["fund"]: f for f in cb.json("balance")}
    assert funds["朝阳助学"]["kind"] == "restricted" and funds["朝阳助学"]["cash"] == "1000.00"


def test_receipts_are_sequential_per_year_and_never_reused(cb):
    for date in ("2021-01-05", "2021-02-05", "2022-01-01"):
        cb("add-donation", "--donor", "王某", "--amount", "10", "--date", date)
    cb("void", "2", "--reason", "录入错误")
    cb("add-donation", "--donor", "王某", "--amount", "10", "--date", "2021-03-01")
    numbers = [d["receipt_no"] for d in donations(cb)]
    assert numbers == ["2021-000001", "2021-000002", "2021-000003", "2022-000001"]
    assert [d["voided_by"] is not None for d in donations(cb)] == [False, True, False, False]


@pytest.mark.parametrize("name,expected", [
    ("秦岭粮油厂", "企业"), ("陕西某某有限公司", "企业"), ("商州区教育局", "机关事业单位"), ("城关街道办事处", "机关事业单位"),
    ("商洛市企业家协会", "社会组织"), ("李明", "个人"), ("匿名", "匿名"),
])
def test_donor_type_inferred_from_name(cb, name, expected):
    cb("add-donation", "--donor", name, "--amount", "1")
    assert donations(cb)[0]["donor_type"] == expected


def test_donor_type_override_and_same_donor_is_one_donor(cb):
    cb("add-donation", "--donor", "爱心超市", "--amount", "1", "--donor-type", "个人")
    cb("add-donation", "--donor", "爱心超市", "--amount", "2")
    [donor] = cb.json("list", "donors")
    assert donor["type"] == "个人" and donor["donations"] == 2 and donor["cash"] == "3.00"


def test_in_kind_donation_kept_apart_from_cash(cb):
    cb("add-donation", "--donor", "秦岭粮油厂", "--goods", "大米", "--quantity", "100", "--unit", "袋", "--unit-value", "50")
    [row] = donations(cb)
    assert row["goods"] == "大米" and row["goods_value"] == "5000.00" and row["amount"] == "0.00" and row["quantity"] == "100"
    general = cb.json("balance")[0]
    assert general["cash"] == "0.00" and general["goods"] == "5000.00"
    cb("add-donation", "--donor", "x", "--goods", "油", "--quantity", "2", "--unit-value", "5", "--value", "11", expect=2)


def test_bad_amount_is_a_usage_error_quoting_the_value(cb):
    result = cb("add-donation", "--donor", "王某", "--amount", "12.345", expect=2)
    assert "'12.345'" in result.stderr and "Traceback" not in result.output
    cb("add-donation", "--donor", "王某", "--amount", "10", "--date", "2021-02-30", expect=2)
    assert donations(cb) == []


def test_disbursement_and_overdraw_refused_with_nothing_written(cb):
    cb("add-donation", "--donor", "王某", "--amount", "1000")
    cb("add-disbursement", "--payee", "李某", "--amount", "500", "--purpose", "charitable", "--category", "助困")
    result = cb("add-disbursement", "--payee", "李某", "--amount", "600", "--purpose", "charitable", expect=1)
    assert "overdraw it by 100.00" in result.stderr
    assert len(cb.json("list", "disbursements")) == 1
    assert cb.json("balance")[0]["cash"] == "500.00"


def test_purchase_moves_cash_to_goods_then_goods_go_out(cb):
    cb("add-donation", "--donor", "王某", "--amount", "1000")
    cb("add-purchase", "--item", "米面油", "--amount", "1000", "--quantity", "20")
    general = cb.json("balance")[0]
    assert (general["cash"], general["goods"]) == ("0.00", "1000.00")
    result = cb("add-disbursement", "--payee", "张某", "--goods", "米面油", "--value", "1200", "--purpose", "charitable", expect=1)
    assert "falls short by 200.00" in result.stderr
    cb("add-disbursement", "--payee", "张某", "--goods", "米面油", "--quantity", "5", "--value", "250", "--purpose", "charitable")
    assert cb.json("balance")[0]["goods"] == "750.00"
    [stock] = cb.json("fund", "stock")
    assert stock["quantity"] == "15" and stock["value"] == "750.00"


def test_endowment_principal_is_never_spent_but_income_is(cb):
    cb("fund", "add", "张氏留本基金", "--kind", "endowment")
    cb("add-donation", "--donor", "张三", "--amount", "10000", "--fund", "张氏留本基金")
    result = cb("add-disbursement", "--payee", "x", "--amount", "1", "--purpose", "charitable", "--fund", "张氏留本基金", expect=1)
    assert "principal" in result.stderr
    cb("transfer", "--from", "张氏留本基金", "--to", "general", "--amount", "1", expect=1)
    cb("add-income", "--amount", "300", "--fund", "张氏留本基金", "--note", "利息")
    cb("transfer", "--from", "张氏留本基金", "--to", "general", "--amount", "300")
    funds = {f["fund"]: f for f in cb.json("balance")}
    assert funds["张氏留本基金"]["cash"] == "10000.00" and funds["张氏留本基金"]["principal"] == "10000.00"
    assert funds["非限定性基金"]["cash"] == "300.00"


def test_named_fund_needs_sponsor(cb):
    cb("fund", "add", "王氏助学基金", "--kind", "named", expect=1)
    cb("fund", "add", "王氏助学基金", "--kind", "named", "--sponsor", "王某")
    assert any(f["sponsor"] == "王某" for f in cb.json("list", "funds"))


def test_opening_balances(cb):
    cb("fund", "opening", "general", "--date", "2020-12-31", "--cash", "5000", "--goods", "棉被", "--quantity", "10", "--goods-value", "800")
    general = cb.json("balance", "--year", "2021")[0]
    assert general["opening_cash"] == "5000.00" and general["opening_goods"] == "800.00" and general["in_cash"] == "0.00"


def test_void_reverses_and_cannot_repeat(cb):
    cb("add-donation", "--donor", "王某", "--amount", "1000")
    cb("void", "1", "--reason", "录入错误")
    assert cb.json("balance")[0]["cash"] == "0.00"
    assert "already voided" in cb("void", "1", "--reason", "again", expect=1).stderr
    assert "itself a void" in cb("void", "2", "--reason", "x", expect=1).stderr
    assert "no entry" in cb("void", "99", "--reason", "x", expect=1).stderr
    shown = cb.json("show", "1")
    assert shown["voided_by"] == 2 and shown["receipt_no"] == cb.json("list", "donations")[0]["receipt_no"]


def test_void_that_would_go_negative_is_refused(cb):
    cb("add-donation", "--donor", "王某", "--amount", "1000")
    cb("add-disbursement", "--payee", "李某", "--amount", "800", "--purpose", "charitable")
    assert "below zero" in cb("void", "1", "--reason", "x", expect=1).stderr


def test_pledges_outstanding(cb):
    cb("add-pledge", "--donor", "某公司", "--amount", "10000", "--due", "2021-12-31")
    cb("add-donation", "--donor", "某公司", "--amount", "4000", "--pledge", "1")
    [pledge] = cb.json("list", "pledges", "--outstanding")
    assert pledge["fulfilled"] == "4000.00" and pledge["outstanding"] == "6000.00"
    assert "not this donor" in cb("add-donation", "--donor", "别人", "--amount", "1", "--pledge", "1", expect=1).stderr


def test_audit_log_records_every_write(cb):
    cb("add-donation", "--donor", "王某", "--amount", "1")
    conn = sqlite3.connect(cb.db)
    actions = [row[0] for row in conn.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["init", *["station add"] * 7, "add-donation"]   # the `cb` fixture registers the sample stations
    assert conn.execute("SELECT os_user, command FROM audit_log").fetchone()[0]


def test_check_is_clean_then_detects_tampering(cb):
    cb("add-donation", "--donor", "王某", "--amount", "1000")
    cb("check")
    conn = sqlite3.connect(cb.db)
    conn.execute("UPDATE fund_balances SET cash_fen = 1")
    conn.commit()
    conn.close()
    result = cb("check", expect=1)
    assert "running balance" in result.stderr


def test_backup_is_a_consistent_copy(cb, tmp_path):
    cb("add-donation", "--donor", "王某", "--amount", "1000")
    cb("backup", tmp_path / "copy.db")
    copy = type(cb)(tmp_path / "copy.db")
    assert copy.json("list", "donations")[0]["amount"] == "1000.00"
    copy("check")
    cb("backup", tmp_path / "copy.db", expect=1)


def test_markup_in_names_is_printed_literally(cb):
    result = cb("add-donation", "--donor", "[b]ank[/]", "--amount", "1")
    assert "[b]ank[/]" in result.stdout
    assert "[b]ank[/]" in cb("list", "donations").stdout


def test_errors_have_no_traceback_unless_debug(cb):
    result = cb("void", "99", "--reason", "x", expect=1)
    assert "Traceback" not in result.output and result.stderr.count("\n") <= 2
    debug = cb.runner.invoke(__import__("charitybook.cli.app", fromlist=["app"]).app,
                             ["--db", str(cb.db), "--debug", "void", "99", "--reason", "x"])
    assert debug.exception is not None


def test_usage_errors_exit_2(cb):
    cb("add-donation", expect=2)
    cb("add-disbursement", "--payee", "x", "--amount", "1", "--purpose", "charitable", "--fund", "a", "--project", "b", expect=1)


def test_donor_credit_code_or_id_is_validated_and_masked(cb):
    cb("add-donation", "--donor", "某公司", "--amount", "1", "--id-code", "91110000100000000x", expect=1)
    code = "91350100M000100Y43"  # a well-formed GB 32100 code
    cb("add-donation", "--donor", "某公司", "--amount", "1", "--id-code", code)
    [donor] = cb.json("list", "donors")
    assert donor["id_code"] == code[:4] + "*" * 10 + code[-4:]
