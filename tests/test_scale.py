"""A million donations: lists page, exports stream, a dry run never blocks another clerk."""

import json
import sqlite3

from hypothesis import given
from hypothesis import strategies as st
from sheets import csv_file


def _many(cb, tmp_path, n=120):
    rows = [["订单号", "捐赠人", "金额", "日期", "乡镇"]] + [
        [f"T{i:05d}", f"捐赠人{i % 37}", f"{i}.{i % 100:02d}", f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}",
         "城关街道" if i % 3 else "沙河子镇"] for i in range(1, n + 1)]
    cb("import", "donations", csv_file(tmp_path / "many.csv", rows))
    return n


def test_a_table_shows_the_latest_page_and_says_how_to_see_more(cb, tmp_path):
    _many(cb, tmp_path)
    result = cb("list", "donations")
    assert "showing 50 of 120 (the latest)" in result.stderr and "--limit" in result.stderr and "--all" in result.stderr
    ids = [int(line.split("│")[1]) for line in result.stdout.splitlines() if line.startswith("│")]
    dates = sorted(cb.json("list", "donations"), key=lambda d: (d["date"], d["id"]))
    assert ids == [d["id"] for d in dates[-50:]]   # the latest 50, shown in order
    older = cb("list", "donations", "--limit", "10", "--offset", "50")
    assert "showing 10 of 120 (the latest, after skipping 50)" in older.stderr
    everything = cb("list", "donations", "--all")
    assert "showing" not in everything.stderr
    assert sum(1 for line in everything.stdout.splitlines() if line.startswith("│")) == 120


def test_filters_run_in_sql_and_count_what_they_match(cb, tmp_path):
    _many(cb, tmp_path)
    result = cb("list", "donations", "--township", "沙河子镇", "--from", "2021-06-01")
    matching = [d for d in cb.json("list", "donations") if d["township"] == "沙河子镇" and d["date"] >= "2021-06-01"]
    assert f"of {len(matching)} " in result.stderr or "showing" not in result.stderr
    assert len(cb.json("list", "donations", "--township", "沙河子镇", "--from", "2021-06-01")) == len(matching)
    assert {d["donor"] for d in cb.json("list", "donations", "--donor", "捐赠人3")} == {"捐赠人3"}


def test_exports_stream_every_row_in_every_format(cb, tmp_path):
    n = _many(cb, tmp_path)
    rows = cb.json("list", "donations")
    assert len(rows) == n and rows == sorted(rows, key=lambda d: (d["date"], d["id"]))
    lines = cb("list", "donations", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == rows
    csv_text = cb("list", "donations", "--format", "csv").stdout
    assert len(csv_text.splitlines()) == n + 1
    assert len(cb.json("list", "donations", "--limit", "7")) == 7
    cb("station", "add", "北宽坪镇")                        # registered, with no gift: an empty list
    assert cb("list", "donations", "--format", "json", "--township", "北宽坪镇").stdout.strip() == "[]"
    assert "no station" in cb("list", "donations", "--format", "json", "--township", "无此乡镇", expect=1).stderr


def test_list_donors_reads_the_totals_the_ledger_keeps(cb, tmp_path):
    _many(cb, tmp_path)
    cb("void", "1", "--reason", "录入错误")
    donors = {d["name"]: d for d in cb.json("list", "donors")}
    gifts = [d for d in cb.json("list", "donations") if not d["voided_by"]]
    for name, donor in donors.items():
        mine = [g for g in gifts if g["donor"] == name]
        assert donor["donations"] == len(mine)
        assert donor["cash"] == f"{sum(int(g['amount'].replace('.', '')) for g in mine) / 100:.2f}"


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_money_text_is_exact(fen):
    from decimal import Decimal

    from charitybook.money import plain, yuan

    assert plain(fen) == f"{Decimal(fen) / 100:.2f}"
    assert yuan(fen) == f"{Decimal(fen) / 100:,.2f}"


def _can_write_now(db) -> bool:
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


def test_a_dry_run_never_takes_the_write_lock_and_an_import_only_while_it_writes(cb, tmp_path, monkeypatch):
    from charitybook.importers import rows
    from charitybook.ledger import donations

    seen = {"reading": [], "checking": []}
    real_call, real_refs = rows.DonationRows.__call__, donations.standing_refs

    def reading(self, cells, source):
        seen["reading"].append(_can_write_now(cb.db))
        return real_call(self, cells, source)

    def checking(ledger, refs):
        seen["checking"].append(_can_write_now(cb.db))
        return real_refs(ledger, refs)

    monkeypatch.setattr(rows.DonationRows, "__call__", reading)
    monkeypatch.setattr(donations, "standing_refs", checking)
    path = csv_file(tmp_path / "d.csv", [["订单号", "捐赠人", "金额", "日期"]] + [[f"T{i}", "甲", "1", "2021-09-07"] for i in range(5)])
    cb("import", "donations", path, "--dry-run")
    assert seen["reading"] and all(seen["reading"]) and seen["checking"] and all(seen["checking"])
    seen["reading"].clear(), seen["checking"].clear()
    cb("import", "donations", path)
    assert all(seen["reading"])              # read and checked without the lock
    assert not any(seen["checking"])         # then written under it
    assert len(cb.json("list", "donations")) == 5


def test_a_relief_dry_run_never_blocks_a_clerk_and_writes_nothing(cb, tmp_path, monkeypatch):
    import datetime as dt
    from decimal import Decimal

    from sheets import make_id

    from charitybook import ledger as ledger_module
    from charitybook.ledger import Actor, open_ledger
    from charitybook.models import NewDonation
    from charitybook.services import donations
    from charitybook.services.import_writers import ReliefWriter

    monkeypatch.setattr(ledger_module, "BUSY_TIMEOUT_MS", 300)   # a blocked clerk fails fast instead of waiting
    monkeypatch.setattr(ledger_module, "LONG_WRITE_WAIT_S", 0)
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    real_add, added = ReliefWriter.add, []

    def add(self, row, sheet, digest):
        if not added:   # while the dry run is checking its first row, another clerk adds one donation
            other = open_ledger(cb.db, Actor(user="李出纳"))
            try:
                added.append(donations.add_donation(other, NewDonation("王某", dt.date(2021, 3, 1), Decimal("10"))))
            finally:
                other.close()
        return real_add(self, row, sheet, digest)

    monkeypatch.setattr(ReliefWriter, "add", add)
    rows = [["姓名", "身份证号", "金额", "日期"]] + [
        [f"受助人{i}", make_id(f"6110021945031{i:03d}0"), "100", "2021-09-01"] for i in range(3)]
    result = cb("import", "relief", csv_file(tmp_path / "r.csv", rows), "--category", "助学", "--dry-run")
    assert added and "3 row(s) would be imported" in result.stdout and "cash 300.00" in result.stdout
    assert len(cb.json("list", "donations")) == 2                 # the clerk's donation is in
    assert cb.json("list", "disbursements") == []                 # the dry run wrote nothing
    assert cb.json("import", "batches") == []
    cb("check")


def test_a_clerk_behind_an_import_is_told_and_waits(cb, tmp_path):
    import threading
    import time

    from charitybook.ledger import Actor, open_ledger

    holder = open_ledger(cb.db, Actor(user="张会计"))
    ready = threading.Event()

    def import_for_a_while():
        with holder.busy("an import of 城关街道.xlsx"), holder.write():
            ready.set()
            time.sleep(1.5)

    thread = threading.Thread(target=import_for_a_while)
    thread.start()
    ready.wait()
    result = cb("add-donation", "--donor", "王某", "--amount", "10", "--date", "2021-03-01")
    thread.join()
    holder.close()
    assert "waiting for an import of 城关街道.xlsx (张会计" in result.stderr
    assert len(cb.json("list", "donations")) == 1


def test_an_upgrade_says_it_is_working_and_check_goes_step_by_step(tmp_path):
    from conftest import CB
    from charitybook.ledger import create_ledger, open_ledger, schema
    from charitybook.services.checks import check

    old = tmp_path / "old.db"
    create_ledger(old, "旧账本", "social", upto=5).close()
    steps = []
    open_ledger(old, upgrading=lambda done, total: steps.append((done, total))).close()
    assert steps == [(n, schema.LATEST - 5) for n in range(schema.LATEST - 5)]   # every step, before it runs
    again = tmp_path / "again.db"
    create_ledger(again, "旧账本", "social", upto=5).close()
    result = CB(again)("list", "donations")
    assert "upgrading it once" in result.stderr and f"({schema.LATEST - 5} step(s)" in result.stderr
    assert "upgrading" not in CB(again)("list", "donations").stderr          # once
    told = []
    ledger = open_ledger(again)
    assert check(ledger, progress=lambda done, total, label: told.append((done, total))) == []
    ledger.close()
    assert told == [(n, 5) for n in range(5)]


def _kept(db) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {table: sorted(conn.execute(f"SELECT * FROM {table}")) for table in
                ("fund_balances", "donation_totals", "donor_totals", "posting_totals")}
    finally:
        conn.close()


def test_an_import_keeps_the_totals_its_row_triggers_would_have(cb, tmp_path, monkeypatch):
    """An import adds its kept totals once (not a trigger per row): to an endowment (principal),
    goods, rows without a township, two years, donors new and known, over several chunks. They
    are what the same donations typed in one by one give, and `check` recounts them."""
    from conftest import CB

    from charitybook.services import spool

    monkeypatch.setattr(spool, "CHUNK", 3)
    typed = CB(tmp_path / "typed.db")
    header = ["捐赠人", "金额", "日期", "乡镇", "物品", "物品折价"]
    rows = [["甲", "10.50", "2020-12-31", "城关街道", "", ""], ["乙", "0", "2021-01-02", "", "大米", "80"],
            ["甲", "3", "2021-01-02", "", "", ""], ["丙公司", "1000", "2021-03-01", "沙河子镇", "面粉", "20.5"],
            ["乙", "7", "2021-03-01", "城关街道", "", ""], ["丁", "1", "2021-12-31", "", "", ""], ["甲", "2", "2020-06-01", "", "", ""]]
    typed("init", "--name", "商州区慈善协会")
    for station in ("城关街道", "沙河子镇"):   # the `cb` fixture's ledger has the sample stations already
        typed("station", "add", station)
    for runner in (cb, typed):
        runner("fund", "add", "留本基金", "--kind", "endowment")
        runner("add-donation", "--donor", "甲", "--amount", "5", "--date", "2020-01-01", "--fund", "留本基金")
    cb("import", "donations", csv_file(tmp_path / "d.csv", [header] + rows), "--fund", "留本基金")
    for donor, amount, day, township, item, value in rows:
        args = ["--donor", donor, "--date", day, "--fund", "留本基金"] + (["--township", township] if township else [])
        args += ["--amount", amount] if amount != "0" else []
        args += ["--goods", item, "--value", value] if item else []
        typed("add-donation", *args)
    assert _kept(cb.db) == _kept(typed.db)
    cb("check")
