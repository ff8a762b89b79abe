"""Closed years (年度结账): close and reopen, nothing written into a closed year, the correction of a
closed year in an open one, the signed reports' fingerprints, and the auditor's bundle."""

import csv
import datetime as dt
import hashlib
import json
import sqlite3

import pytest
from sheets import csv_file, make_id, xlsx

ID_A = make_id("61100219800101001")
THIS_YEAR = dt.date.today().year


def _counts(cb) -> tuple:
    conn = sqlite3.connect(cb.db)
    tables = ("entries", "postings", "donations", "pledges", "case_decisions", "batches", "tier_flows", "receipt_stock", "receipts", "cases")
    counts = tuple(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables)
    conn.close()
    return counts


@pytest.fixture
def closed(cb, tmp_path):
    """2021 with an opening balance, a donation (#2), other income (#3), an approved case and an import batch; then closed."""
    cb("fund", "opening", "general", "--date", "2021-01-01", "--cash", "10000")
    cb("add-donation", "--donor", "张三", "--amount", "500", "--date", "2021-03-04")
    cb("fund", "add", "助学基金", "--kind", "restricted")
    cb("add-income", "--amount", "80", "--date", "2021-04-01", "--note", "利息")
    cb("case", "open", "--name", "王大山", "--id-number", ID_A, "--category", "助医", "--amount", "300",
       "--reason", "治疗", "--township", "城关街道", "--new-township", "--date", "2021-02-01")
    cb("case", "approve", "1", "--amount", "200", "--date", "2021-02-02")
    cb("import", "donations", csv_file(tmp_path / "b1.csv", [["订单号", "昵称", "金额", "日期"], ["T1", "甲", 10, "2021-09-07"]]))
    cb("period", "close", "2021", "--by", "张会计", "--note", "审计后结账")
    return cb


def test_close_and_reopen_are_events_listed_and_audited(closed):
    closed("period", "reopen", "2021", "--reason", "审计调整", "--by", "李会计")
    closed("period", "close", "2021", "--by", "张会计")
    events = closed.json("period", "list")
    assert [(e["year"], e["action"], e["by"], e["state"]) for e in events] == [
        (2021, "close", "张会计", "closed"), (2021, "reopen", "李会计", "closed"), (2021, "close", "张会计", "closed")]
    assert events[0]["note"] == "审计后结账" and events[1]["note"] == "审计调整"
    actions = [json.loads(r[1]) | {"action": r[0]} for r in sqlite3.connect(closed.db).execute(
        "SELECT action, detail FROM audit_log WHERE action LIKE 'period %' ORDER BY id")]
    assert [(a["action"], a["year"]) for a in actions] == [("period close", 2021), ("period reopen", 2021), ("period close", 2021)]
    assert actions[1]["reason"] == "审计调整" and len(actions[0]["fingerprints"]) == 4


def test_closing_twice_reopening_an_open_year_and_an_unfinished_year_are_refused(closed):
    assert "already closed" in closed("period", "close", "2021", "--by", "张会计", expect=1).stderr
    assert "is not closed" in closed("period", "reopen", "2020", "--reason", "x", "--by", "y", expect=1).stderr
    assert "has not ended" in closed("period", "close", str(THIS_YEAR), "--by", "张会计", expect=1).stderr
    assert "--reason" in closed("period", "reopen", "2021", "--reason", " ", "--by", "y", expect=1).stderr


def test_closing_a_year_whose_previous_year_is_open_warns(cb):
    cb("add-donation", "--donor", "张三", "--amount", "5", "--date", "2020-03-04")
    result = cb("period", "close", "2021", "--by", "张会计")
    assert "2020 is still open" in result.stderr
    assert [e["state"] for e in cb.json("period", "list")] == ["closed"]


WRITES = {
    "add-donation": ["add-donation", "--donor", "李四", "--amount", "10"],
    "add-pledge": ["add-pledge", "--donor", "李四", "--amount", "10"],
    "add-purchase": ["add-purchase", "--item", "大米", "--amount", "10"],
    "add-income": ["add-income", "--amount", "10"],
    "transfer": ["transfer", "--from", "general", "--to", "助学基金", "--amount", "10"],
    "add-disbursement": ["add-disbursement", "--payee", "李某", "--amount", "10", "--purpose", "charitable"],
    "fund opening": ["fund", "opening", "助学基金", "--cash", "10"],
    "void": ["void", "2", "--reason", "录错"],
    "case approve": ["case", "open", "--name", "王大山", "--id-number", ID_A, "--category", "助学", "--amount", "100",
                     "--reason", "上学", "--township", "城关街道", "--date", f"{THIS_YEAR}-01-01"],
    "case pay": ["case", "pay", "1", "--amount", "100"],
    "relief give": ["relief", "give", "--holiday", "春节", "--name", "王大山", "--id-number", ID_A, "--township", "城关街道",
                    "--cash", "100"],
    "case open": ["case", "open", "--name", "王大山", "--id-number", ID_A, "--category", "助学", "--amount", "100",
                  "--reason", "上学", "--township", "城关街道"],
    "add-grant": ["add-grant", "--from", "商洛市慈善协会", "--amount", "10"],
    "pass-on": ["pass-on", "--kind", "上交", "--to", "商洛市慈善协会", "--amount", "10"],
    "receipt stock add": ["receipt", "stock", "add", "--code", "41010121", "--from", "0000000001", "--to", "0000000010"],
    "receipt issue": ["receipt", "issue", "--donation", "2021-000001", "--by", "张会计"],
}


@pytest.mark.parametrize("command", list(WRITES))
def test_every_write_path_is_refused_in_a_closed_year(closed, command):
    args = WRITES[command]
    if command == "case approve":   # a case opened this year, approved with a date in 2021
        closed(*args)
        args = ["case", "approve", "2", "--amount", "100"]
    if command == "receipt issue":  # a stock received this year; the receipt dated in 2021
        closed("receipt", "stock", "add", "--code", "41010121", "--from", "0000000001", "--to", "0000000010",
               "--date", f"{THIS_YEAR}-01-01")
    before = _counts(closed)
    result = closed(*args, "--date", "2021-06-01", expect=1)
    assert "2021 is a closed year" in result.stderr and "open period" in result.stderr
    assert "Traceback" not in result.stderr
    assert _counts(closed) == before


def test_the_accountants_statement_entries_are_refused_in_a_closed_year(closed):
    result = closed("statement", "adjust", "--year", "2021", "--line", "管理费用", "--amount", "10", expect=1)
    assert "2021 is a closed year" in result.stderr
    assert closed.json("statement", "list") == []
    closed("statement", "adjust", "--year", str(THIS_YEAR), "--line", "管理费用", "--amount", "10")


def test_an_import_partly_in_a_closed_year_is_refused_whole_with_the_count(closed, tmp_path):
    head = ["订单号", "昵称", "金额", "日期"]
    path = csv_file(tmp_path / "d.csv", [head, ["N1", "甲", 10, f"{THIS_YEAR}-01-02"], ["N2", "乙", 20, "2021-12-30"],
                                         ["N3", "丙", 30, "2021-12-31"]])
    before = _counts(closed)
    for dry in ([], ["--dry-run"]):
        result = closed("import", "donations", path, *dry, expect=1)
        assert "2 row(s) are dated in 2021, a closed year" in result.stderr
    assert _counts(closed) == before


def test_replacing_a_batch_of_a_closed_year_is_refused(closed, tmp_path):
    head = ["订单号", "昵称", "金额", "日期"]
    path = csv_file(tmp_path / "b2.csv", [head, ["T1", "甲", 12, f"{THIS_YEAR}-01-02"]])
    before = _counts(closed)
    assert "2021 is a closed year" in closed("import", "donations", path, "--replace", "1", expect=1).stderr
    assert _counts(closed) == before


def test_a_relief_roster_in_a_closed_year_is_refused(closed, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", {"S": [["户主姓名", "身份证号码", "慰问金"], ["王大山", ID_A, 300]]})
    before = _counts(closed)
    result = closed("import", "relief", path, "--holiday", "春节", "--date", "2021-02-06", expect=1)
    assert "2021 is a closed year" in result.stderr
    assert _counts(closed) == before


def test_a_void_this_year_corrects_a_closed_entry_and_leaves_the_signed_year_unchanged(closed):
    signed = closed.json("report", "annual", "--year", "2021")
    closed("void", "2", "--reason", "录错")        # dated today, in an open year
    closed("void", "3", "--reason", "录错")
    after = closed("report", "annual", "--year", "2021", "--format", "json")
    assert json.loads(after.stdout) == signed
    assert "reproduces the one signed" in after.stderr
    for kind in ("holiday", "compliance", "funds"):
        assert "reproduces" in closed("report", kind, "--year", "2021", "--format", "json").stderr
    now = closed.json("report", "annual", "--year", str(THIS_YEAR))["receipts"]
    assert (now["total"], now["count"], now["other_income"]) == ("-500.00", -1, "-80.00")
    assert json.loads(after.stdout)["receipts"]["other_income"] == "80.00"
    closed("check")


def test_a_void_this_year_of_a_closed_years_money_between_tiers_counts_this_year(cb):
    cb("fund", "opening", "general", "--date", "2021-01-01", "--cash", "10000")
    cb("add-grant", "--from", "商洛市慈善协会", "--amount", "800", "--date", "2021-03-01")
    cb("pass-on", "--kind", "上交", "--to", "商洛市慈善协会", "--amount", "300", "--date", "2021-04-01")
    cb("period", "close", "2021", "--by", "张会计")
    signed = cb.json("report", "annual", "--year", "2021")
    cb("void", "3", "--reason", "上交录错")         # dated today, in an open year
    after = cb("report", "annual", "--year", "2021", "--format", "json")
    assert json.loads(after.stdout) == signed and "reproduces the one signed" in after.stderr
    tiers = cb.json("report", "annual", "--year", str(THIS_YEAR))["tiers"]
    assert tiers["to_above"] == "-300.00" and tiers["from_above"] == "0.00"


def test_a_change_after_reopening_is_reported_by_path_and_a_new_close_signs_again(closed):
    closed("period", "reopen", "2021", "--reason", "补记一笔", "--by", "张会计")
    closed("add-donation", "--donor", "李四", "--amount", "100", "--date", "2021-05-05")
    result = closed("report", "annual", "--year", "2021", "--format", "json")
    assert "differs from the one signed" in result.stderr
    assert 'receipts.total: "510.00" → "610.00"' in result.stderr
    closed("period", "close", "2021", "--by", "张会计")
    assert "reproduces" in closed("report", "annual", "--year", "2021").stderr


def test_the_schema_refuses_a_raw_insert_into_a_closed_year(closed):
    conn = sqlite3.connect(closed.db)
    with pytest.raises(sqlite3.IntegrityError, match="closed"):
        conn.execute("INSERT INTO entries (kind, date, note, created_at) VALUES ('income', '2021-07-01', 'x', 'now')")
    with pytest.raises(sqlite3.IntegrityError, match="closed"):
        conn.execute("INSERT INTO pledges (donor_id, fund_id, amount_fen, date, created_at) VALUES (1, 1, 100, '2021-07-01', 'x')")
    with pytest.raises(sqlite3.IntegrityError, match="correction"):   # a void of a closed entry must be marked
        conn.execute(f"INSERT INTO entries (kind, date, void_of, created_at) VALUES ('void', '{THIS_YEAR}-01-02', 2, 'x')")
    conn.execute(f"INSERT INTO entries (kind, date, note, created_at) VALUES ('income', '{THIS_YEAR}-01-02', 'x', 'now')")
    conn.rollback()


def _read_bundle(folder):
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {f["file"]: f for f in manifest["files"]}


def test_the_audit_bundle_has_a_manifest_that_matches_its_files(closed, tmp_path):
    closed("add-donation", "--donor", "=HYPERLINK(1)", "--amount", "7", "--date", "2022-01-05")
    conn = sqlite3.connect(closed.db)   # what a clerk's terminal logs: the command line as typed
    conn.execute("INSERT INTO audit_log (at, os_user, command, action, detail) VALUES ('2022-01-01', 'u', ?, 'case open', ?)",
                 (f"charitybook case open --id-number {ID_A}", '{"ref": "146518860220210907"}'))
    conn.commit()
    conn.close()
    folder = tmp_path / "bundle"
    closed("export", "audit", "--year", "2021", "--output", folder)
    files = _read_bundle(folder)
    assert {"entries.csv", "postings.csv", "donations.csv", "disbursements.csv", "funds.csv", "audit_log.csv",
            "beneficiaries.csv", "relief_cases.csv", "import_batches.csv", "period_events.csv", "README.txt"} <= set(files)
    for name, entry in files.items():
        raw = (folder / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        assert hashlib.sha256(raw).hexdigest() == entry["sha256"], name
        if name.endswith(".csv"):
            assert len(list(csv.reader(raw.decode("utf-8-sig").splitlines()))) - 1 == entry["rows"], name
    with open(folder / "manifest.csv", encoding="utf-8-sig") as handle:
        assert {row["file"]: int(row["rows"]) for row in csv.DictReader(handle)} == {n: f["rows"] for n, f in files.items()}
    assert (files["entries.csv"]["rows"], files["donations.csv"]["rows"]) == (4, 2)   # opening, 张三, income, the import
    donations = (folder / "donations.csv").read_text(encoding="utf-8-sig")
    assert "2021-000001,2021-03-04,张三" in donations and ",500.00," in donations
    people = (folder / "beneficiaries.csv").read_text(encoding="utf-8-sig")
    assert ID_A not in people and ID_A[:4] + "*" * 10 + ID_A[-4:] in people
    log = (folder / "audit_log.csv").read_text(encoding="utf-8-sig")
    assert f"case open --id-number {ID_A[:4]}" in log and ID_A not in log   # a logged command line, masked
    assert "146518860220210907" in log                                       # an order number is no ID
    assert "period_events" in (folder / "README.txt").read_text(encoding="utf-8-sig")


def test_the_bundle_escapes_formulas_refuses_a_full_folder_and_logs_revealed_ids(closed, tmp_path):
    closed("add-donation", "--donor", "=HYPERLINK(1)", "--amount", "7", "--date", "2022-01-05")
    folder = tmp_path / "b"
    closed("export", "audit", "--year", "2022", "--output", folder)
    assert "'=HYPERLINK(1)" in (folder / "donations.csv").read_text(encoding="utf-8-sig")
    assert "not empty" in closed("export", "audit", "--year", "2021", "--output", folder, expect=1).stderr
    closed("export", "audit", "--year", "2021", "--output", folder, "--force", "--reveal-ids")
    assert ID_A in (folder / "beneficiaries.csv").read_text(encoding="utf-8-sig")
    [detail] = [json.loads(row[0]) for row in sqlite3.connect(closed.db).execute(
        "SELECT detail FROM audit_log WHERE action = 'export audit' ORDER BY id DESC LIMIT 1")]
    assert detail["reveal_ids"] is True and detail["year"] == 2021
