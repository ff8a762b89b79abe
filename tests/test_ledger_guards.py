"""The ledger guards itself: nothing in the journal is edited or deleted in place, `check` finds
what the triggers cannot prevent, and voids count as what they reverse."""

import sqlite3

import pytest
from conftest import CB
from sheets import csv_file, make_id, xlsx

from charitybook.ledger import create_ledger, open_ledger

# Tables anyone may write, and why; every other table must carry both guards. A new table fails
# `test_every_table_is_guarded_or_writable_by_design` until it is one or the other.
WRITABLE = {
    "meta": "settings: `config` changes the name and organisation type",
    "fund_balances": "running balances, kept by the postings trigger; `check` recounts them",
    "donation_totals": "report totals, kept by triggers; `check` recounts them",
    "donor_totals": "report totals, kept by triggers; `check` recounts them",
    "posting_totals": "report totals, kept by triggers; `check` recounts them",
}


def _tables(conn) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def _triggers(conn) -> dict[str, tuple[str, str]]:
    """name -> (table, sql) for every trigger."""
    return {row[0]: (row[1], row[2]) for row in conn.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")}


def test_every_table_is_guarded_or_writable_by_design(tmp_path):
    create_ledger(tmp_path / "l.db", "x", "social").close()
    conn = sqlite3.connect(tmp_path / "l.db")
    triggers = _triggers(conn)
    for table in _tables(conn):
        guards = [f"{table}_never_change", f"{table}_never_vanish"]
        if table in WRITABLE:
            assert not [name for name in guards if name in triggers], f"{table} is meant to stay writable"
            continue
        for name, event in zip(guards, ("BEFORE UPDATE ON", "BEFORE DELETE ON")):
            assert name in triggers, f"{table} has no {name} trigger (or list it in WRITABLE, with the reason)"
            on, sql = triggers[name]
            assert on == table and event in sql and "RAISE(ABORT" in sql


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    """A ledger with at least one row in every guarded table, written through the CLI."""
    folder = tmp_path_factory.mktemp("full")
    cb = CB(folder / "ledger.db")
    cb("init", "--name", "商州区慈善协会")
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-05")
    cb("add-donation", "--donor", "秦岭粮油厂", "--goods", "大米", "--quantity", "10", "--unit", "袋", "--unit-value", "50",
       "--date", "2021-01-06")
    cb("add-pledge", "--donor", "某集团", "--amount", "1000", "--date", "2021-01-07")
    cb("add-grant", "--from", "商洛市慈善协会", "--amount", "800", "--date", "2021-01-07")
    cb("add-disbursement", "--payee", "李某", "--amount", "100", "--purpose", "charitable", "--date", "2021-01-08")
    cb("case", "open", "--name", "张小红", "--id-number", "61100220100315002X", "--category", "助医", "--amount", "300",
       "--reason", "治疗", "--township", "城关街道", "--new-township", "--date", "2021-02-01")
    cb("case", "approve", "1", "--amount", "200", "--date", "2021-02-02")
    cb("station", "alias", "城关镇", "--to", "城关街道")
    cb("relief", "give", "--holiday", "春节", "--name", "王大山", "--id-number", "611002195203040011",
       "--township", "城关街道", "--cash", "300", "--date", "2021-02-05")
    cb("import", "donations", csv_file(folder / "d.csv", [["订单号", "昵称", "金额", "日期"], ["T1", "甲", 10, "2021-09-07"]]),
       "--save-profile", "测试")
    cb("statement", "opening", "--year", "2021", "--line", "固定资产原价", "--amount", "1000")
    cb("receipt", "stock", "add", "--code", "41010121", "--from", "0000000001", "--to", "0000000010", "--station", "城关街道",
       "--date", "2021-01-01")
    cb("receipt", "issue", "--donation", "2021-000001", "--station", "城关街道", "--by", "张会计", "--date", "2021-01-06")
    cb("receipt", "void", "41010121", "0000000002", "--reason", "空白票损毁", "--date", "2021-01-07")
    cb("fund", "add", "朝阳助学基金", "--project", "朝阳助学")
    cb("project", "end", "朝阳助学", "--date", "2021-12-31")
    cb("notice", "add", "--kind", "asset", "--what", "出售旧车", "--amount", "30000", "--date", "2021-06-01")
    cb("add-donation", "--donor", "某公司", "--amount", "100", "--project", "朝阳助学", "--date", "2021-03-01")
    cb("add-disbursement", "--payee", "李某", "--amount", "50", "--purpose", "charitable", "--project", "朝阳助学",
       "--date", "2021-03-02")
    cb("statement", "release", "--year", "2021", "--confirm", "--by", "张会计", "--date", "2022-01-10")
    gift = cb("add-donation", "--donor", "某公司", "--amount", "600", "--date", "2021-03-01", "--pass-through", "--for", "李小华")
    cb("hand-over", gift.stdout.split("#")[1].split()[0], "--date", "2021-03-02", "--amount", "100")
    cb("period", "close", "2021", "--by", "张会计")
    cb("disclose", "publish", "--year", "2021", "--package", "annual", "--on", "2022-05-20")
    return cb


def _guarded(conn) -> list[str]:
    return [table for table in _tables(conn) if table not in WRITABLE]


def test_the_full_ledger_has_a_row_in_every_guarded_table(full):
    conn = sqlite3.connect(full.db)
    empty = [table for table in _guarded(conn) if not conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]]
    assert empty == []
    full("check")


@pytest.mark.parametrize("table", ["entries", "postings", "donations", "disbursements", "goods_lines", "audit_log",
                                   "pledges", "batches", "cases", "case_decisions", "campaigns", "beneficiaries",
                                   "donors", "funds", "tier_flows"])
def test_no_row_of_the_journal_or_its_registers_is_edited_or_deleted(full, table):
    conn = sqlite3.connect(full.db, isolation_level=None)
    before = conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    column = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")][0]
    conn.execute("BEGIN")
    try:
        with pytest.raises(sqlite3.IntegrityError, match="never edited"):
            conn.execute(f"UPDATE {table} SET {column} = {column}")
        with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
            conn.execute(f"DELETE FROM {table}")
    finally:
        conn.execute("ROLLBACK")
    assert conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() == before
    conn.close()


def test_the_edits_the_issue_names_are_refused_and_say_what_to_do(full):
    conn = sqlite3.connect(full.db, isolation_level=None)  # autocommit: a refused statement holds no lock
    with pytest.raises(sqlite3.IntegrityError, match="entries are never edited: void the entry"):
        conn.execute("UPDATE entries SET date = '2020-01-01' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="donations are never deleted: void the entry instead"):
        conn.execute("DELETE FROM donations WHERE entry_id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="the audit log is never edited"):
        conn.execute("UPDATE audit_log SET os_user = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="--replace BATCH"):
        conn.execute("UPDATE batches SET rows = rows + 1")
    conn.close()


def test_a_batch_is_finished_once_and_then_never_changes(full):
    """An import writes its batch first and sets its row count and fingerprint once, at the end."""
    conn = sqlite3.connect(full.db, isolation_level=None)
    conn.execute("BEGIN")
    try:
        batch = conn.execute("INSERT INTO batches (kind, file_name, sha256, rows, imported_at) "
                             "VALUES ('donations', 'x.csv', 'abc', 0, 'now')").lastrowid
        for sql in ("UPDATE batches SET rows = -1 WHERE id = ?", "UPDATE batches SET rows = 2, sha256 = 'def' WHERE id = ?",
                    "UPDATE batches SET replaces = 1 WHERE id = ?", "UPDATE batches SET file_name = 'y.csv' WHERE id = ?"):
            with pytest.raises(sqlite3.IntegrityError, match="never edited"):
                conn.execute(sql, (batch,))
        conn.execute("UPDATE batches SET rows = 3, fingerprint = '3:ab' WHERE id = ?", (batch,))  # what finish_batch does
        for sql in ("UPDATE batches SET rows = 4 WHERE id = ?", "UPDATE batches SET fingerprint = 'x' WHERE id = ?",
                    "UPDATE batches SET rows = 0, fingerprint = NULL WHERE id = ?"):
            with pytest.raises(sqlite3.IntegrityError, match="never edited"):
                conn.execute(sql, (batch,))
        assert conn.execute("SELECT rows, fingerprint FROM batches WHERE id = ?", (batch,)).fetchone() == (3, "3:ab")
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_a_migration_lifts_a_guard_for_its_own_statements_as_schema_py_says(full, tmp_path):
    """The pattern in schema.py's docstring: drop the guard, write, recreate it verbatim, in one transaction."""
    copy = tmp_path / "copy.db"
    full("backup", copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    before = sorted(conn.execute("SELECT type, name, sql FROM sqlite_master"))
    guard = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'donations_never_change'").fetchone()[0]
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("DROP TRIGGER donations_never_change")
    conn.execute("UPDATE donations SET platform = '腾讯公益' WHERE channel = 'online'")  # no report total is keyed by it
    conn.execute(guard)
    conn.execute("COMMIT")
    assert sorted(conn.execute("SELECT type, name, sql FROM sqlite_master")) == before
    with pytest.raises(sqlite3.IntegrityError, match="never edited"):
        conn.execute("UPDATE donations SET platform = NULL")
    conn.close()
    CB(copy)("check")


# --- check finds what the triggers cannot prevent -------------------------------------------

def _raw_entry(conn, kind, postings, *, goods=(), disbursement=None, void_of=None, date="2021-05-01") -> int:
    """Write an entry straight into the file, as a broken writer would: postings (fund, cash, goods),
    goods lines (fund, item, quantity, unit, value) and optionally its disbursement row."""
    entry = conn.execute("INSERT INTO entries (kind, date, void_of, created_at) VALUES (?, ?, ?, 'now')",
                         (kind, date, void_of)).lastrowid
    for fund, cash, goods_fen in postings:
        conn.execute("INSERT INTO postings (entry_id, fund_id, cash_fen, goods_fen, date, kind) VALUES (?, ?, ?, ?, ?, ?)",
                     (entry, fund, cash, goods_fen, date, kind))
    for fund, item, quantity, unit, value in goods:
        conn.execute("INSERT INTO goods_lines (entry_id, fund_id, item, quantity, unit, value_fen) VALUES (?, ?, ?, ?, ?, ?)",
                     (entry, fund, item, quantity, unit, value))
    if disbursement:
        fund, cash, goods_fen = disbursement
        conn.execute("INSERT INTO disbursements (entry_id, fund_id, payee, purpose, cash_fen, goods_fen) "
                     "VALUES (?, ?, '某人', 'charitable', ?, ?)", (entry, fund, cash, goods_fen))
    return entry


def _two_funds(cb):
    cb("fund", "add", "助学基金", "--kind", "restricted")
    cb("add-donation", "--donor", "某公司", "--amount", "1000", "--date", "2021-01-05")   # entry 1, general fund (1)
    cb("add-donation", "--donor", "某公司", "--amount", "500", "--fund", "助学基金", "--date", "2021-01-05")  # entry 2, fund 2
    cb("check")


TAMPERED = {
    "donation entry without its donation row": (
        lambda conn: _raw_entry(conn, "donation", [(1, 200, 0)]),
        "entry #3 (donation) has no donation row"),
    "donation row deleted": (
        lambda conn: (conn.execute("DROP TRIGGER donations_never_vanish"), conn.execute("DELETE FROM donations WHERE entry_id = 1")),
        "entry #1 (donation) has no donation row"),
    "disbursement entry without its disbursement row": (
        lambda conn: _raw_entry(conn, "disbursement", [(1, -200, 0)]),
        "entry #3 (disbursement) has no disbursement row"),
    "disbursement row under an income entry": (
        lambda conn: _raw_entry(conn, "income", [(1, -200, 0)], disbursement=(1, 200, 0)),
        "entry #3 (income) carries a disbursement row"),
    "transfer that does not net to zero": (
        lambda conn: _raw_entry(conn, "transfer", [(1, -300, 0), (2, 200, 0)]),
        "entry #3 (transfer): its postings do not net to zero"),
    "purchase that makes goods out of nothing": (
        lambda conn: _raw_entry(conn, "purchase", [(1, -100, 300)], goods=[(1, "米", None, None, 300)]),
        "entry #3 (purchase): its postings do not net to zero"),
    "entry without postings": (
        lambda conn: _raw_entry(conn, "income", []),
        "entry #3 (income) has no postings"),
    "void that reverses less than its original": (
        lambda conn: _raw_entry(conn, "void", [(1, -900, 0)], void_of=1),
        "void #3 does not reverse #1 exactly"),
    "donation posted to another fund than its row": (
        lambda conn: conn.execute("INSERT INTO postings (entry_id, fund_id, cash_fen, date, kind) "
                                  "VALUES (1, 2, 10, '2021-01-05', 'donation')"),
        "entry #1 (donation) has postings in another fund than its donation row's fund '非限定性基金'"),
    "goods line without goods postings": (
        lambda conn: conn.execute("INSERT INTO goods_lines (entry_id, fund_id, item, value_fen) VALUES (1, 1, '米', 5000)"),
        "entry #1: its goods lines in fund '非限定性基金' add up to 50.00 but its postings move 0.00 of goods"),
}


@pytest.mark.parametrize("case", TAMPERED)
def test_check_finds_entries_nothing_explains(cb, case):
    tamper, expected = TAMPERED[case]
    _two_funds(cb)
    conn = sqlite3.connect(cb.db)
    tamper(conn)
    conn.commit()
    conn.close()
    result = cb("check", expect=1)
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_check_finds_negative_stock_by_item_value_and_quantity(cb):
    cb("add-donation", "--donor", "秦岭粮油厂", "--goods", "大米", "--quantity", "10", "--unit", "袋", "--unit-value", "50",
       "--date", "2021-01-06")
    cb("check")
    conn = sqlite3.connect(cb.db)
    # 2 barrels of oil the fund never received, and 12 bags of its 10 bags of rice (within their value)
    _raw_entry(conn, "disbursement", [(1, 0, -10000)], goods=[(1, "食用油", "2", "桶", -10000)], disbursement=(1, 0, 10000))
    _raw_entry(conn, "disbursement", [(1, 0, -10000)], goods=[(1, "大米", "12", "袋", -10000)], disbursement=(1, 0, 10000))
    conn.commit()
    conn.close()
    lines = cb("check", expect=1).stderr.splitlines()
    assert "fund '非限定性基金': stock of '食用油' is -100.00 元, below zero (more went out than came in)" in lines
    assert "fund '非限定性基金': stock of '食用油' is -2 桶, below zero (more went out than came in)" not in lines  # no quantity came in
    assert "fund '非限定性基金': stock of '大米' is -2 袋, below zero (more went out than came in)" in lines
    assert not [line for line in lines if "大米" in line and "元" in line]    # 300.00 元 of rice is left


def test_goods_bought_by_value_only_have_no_quantity_to_go_below_zero(cb):
    cb("add-donation", "--donor", "某公司", "--amount", "1000", "--date", "2021-01-05")
    cb("add-purchase", "--item", "慰问品", "--amount", "500", "--date", "2021-01-06")
    cb("add-disbursement", "--payee", "王某", "--goods", "慰问品", "--quantity", "1", "--unit", "份", "--value", "100",
       "--purpose", "charitable", "--date", "2021-01-07")
    cb("check")


# --- a void counts as what it reverses ---------------------------------------------------------

def _general(cb, *args):
    return next(row for row in cb.json("balance", *args) if row["fund"] == "非限定性基金")


def test_a_voided_opening_balance_reduces_the_opening_never_the_income(cb):
    cb("fund", "opening", "general", "--date", "2021-01-01", "--cash", "1000", "--goods", "大米", "--goods-value", "300")
    cb("add-donation", "--donor", "王某", "--amount", "200", "--date", "2021-03-01")
    cb("void", "1", "--reason", "期初录错", "--date", "2021-06-01")
    row = _general(cb, "--year", "2021")
    assert (row["opening_cash"], row["in_cash"], row["out_cash"], row["cash"]) == ("0.00", "200.00", "0.00", "200.00")
    assert (row["opening_goods"], row["in_goods"], row["out_goods"], row["goods"]) == ("0.00", "0.00", "0.00", "0.00")
    [statement] = [f for f in cb.json("report", "funds", "--year", "2021")["funds"] if f["fund"] == "非限定性基金"]
    assert (statement["opening_cash"], statement["in_cash"]) == ("0.00", "200.00")
    cb("check")


def test_a_voided_opening_in_a_later_year_lowers_that_years_opening(cb):
    cb("fund", "opening", "general", "--date", "2021-01-01", "--cash", "1000")
    cb("add-donation", "--donor", "王某", "--amount", "200", "--date", "2021-03-01")
    cb("void", "1", "--reason", "期初录错", "--date", "2022-02-01")
    first, later = _general(cb, "--year", "2021"), _general(cb, "--year", "2022")
    assert (first["opening_cash"], first["in_cash"], first["cash"]) == ("1000.00", "200.00", "1200.00")
    assert (later["opening_cash"], later["in_cash"], later["out_cash"], later["cash"]) == ("200.00", "0.00", "0.00", "200.00")
    cb("check")


@pytest.mark.parametrize("version", [5, 6])
def test_migration_recounts_the_fund_statement_of_a_voided_opening(tmp_path, version):
    import datetime as dt
    from decimal import Decimal

    from charitybook.services import checks, corrections, donations, funds

    path = tmp_path / "old.db"
    ledger = create_ledger(path, "x", "social", upto=version)
    donations.add_opening(ledger, "general", dt.date(2021, 1, 1), Decimal(1000), None, Decimal(0))
    corrections.void(ledger, 1, "x", dt.date(2021, 6, 1))
    assert ledger.conn.execute("SELECT in_cash FROM posting_totals").fetchone()[0] == -100000  # the old rule
    ledger.close()
    ledger = open_ledger(path)
    [row] = funds.balances(ledger, 2021)
    assert (row["opening_cash"], row["in_cash"], row["out_cash"], row["cash"]) == (0, 0, 0, 0)
    assert checks.check(ledger) == []
    ledger.close()


# --- refusals that must be ours -------------------------------------------------------------

def _written(cb):
    conn = sqlite3.connect(cb.db)
    counts = tuple(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("entries", "postings", "audit_log"))
    conn.close()
    return counts


def test_a_void_dated_before_its_entry_is_refused_naming_both_dates(cb):
    cb("add-donation", "--donor", "王某", "--amount", "100", "--date", "2021-03-01")
    before = _written(cb)
    result = cb("void", "1", "--reason", "录入错误", "--date", "2021-02-28", expect=1)
    assert "2021-02-28" in result.stderr and "2021-03-01" in result.stderr and "#1" in result.stderr
    assert "Traceback" not in result.output
    assert _written(cb) == before and cb.json("list", "donations")[0]["voided_by"] is None
    cb("void", "1", "--reason", "录入错误", "--date", "2021-03-01")  # the same day is fine
    assert cb.json("show", "2")["date"] == "2021-03-01"


def test_endowment_principal_refusal_is_ours_and_writes_nothing(cb):
    cb("fund", "add", "张氏留本基金", "--kind", "endowment")
    cb("add-donation", "--donor", "张三", "--amount", "10000", "--fund", "张氏留本基金", "--date", "2021-01-05")
    cb("add-income", "--amount", "300", "--fund", "张氏留本基金", "--note", "利息", "--date", "2021-06-30")
    before = _written(cb)
    for command in (("add-disbursement", "--payee", "x", "--amount", "301", "--purpose", "charitable", "--fund", "张氏留本基金"),
                    ("transfer", "--from", "张氏留本基金", "--to", "general", "--amount", "301")):
        result = cb(*command, "--date", "2021-07-01", expect=1)
        assert ("fund '张氏留本基金': 10,000.00 元 of its 10,300.00 元 is endowment principal, which is never spent; "
                "at most 300.00 元 is available") in result.stderr
        assert "CHECK constraint" not in result.stderr and "IntegrityError" not in result.stderr
    assert _written(cb) == before


def test_endowment_principal_refusal_is_raised_before_anything_is_written(tmp_path):
    import datetime as dt
    from decimal import Decimal

    from charitybook.models import NewDisbursement, NewDonation
    from charitybook.services import Refused
    from charitybook.services import donations, funds, spending

    ledger = create_ledger(tmp_path / "l.db", "x", "social")
    funds.add_fund(ledger, "留本", "endowment", None, None, None)
    donations.add_donation(ledger, NewDonation("张三", dt.date(2021, 1, 5), Decimal(100), fund="留本"))
    with pytest.raises(Refused, match="endowment principal"):
        spending.add_disbursement(ledger, NewDisbursement("x", dt.date(2021, 1, 6), "charitable", Decimal(1), fund="留本"))
    ledger.close()


# --- a holiday roster counts by household only when it names households ---------------------

@pytest.mark.parametrize("name_header,unit", [("姓名", "person"), ("户主姓名", "household")])
def test_a_holiday_roster_counts_households_only_when_its_header_names_them(cb, tmp_path, name_header, unit):
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    rows = [[name_header, "身份证号码", "慰问金", "发放日期"],
            ["王某", make_id("61100219450312002"), 300, "2021-02-01"],
            ["李某", make_id("61100219580705001"), 300, "2021-02-01"]]
    cb("import", "relief", xlsx(tmp_path / "r.xlsx", {"城关街道": rows}), "--holiday", "春节")
    [campaign] = cb.json("report", "holiday", "--year", "2021")["holidays"]
    assert (campaign["holiday"], campaign["unit"], campaign["recipients"]) == ("春节", unit, 2)
