"""The register of stations: townships and villages, aliases, refusals with the closest names
(typed and imported), names stored as registered, station funds, report station, and the
migration that registers an older ledger's places."""

import sqlite3

import pytest
from sheets import csv_file, xlsx

from charitybook.ledger import create_ledger, open_ledger, schema


@pytest.fixture
def net(fresh):
    """A ledger with 城关街道 (alias 城关镇) and its 东关社区, and 大赵峪街道 with 刘湾村."""
    fresh("init", "--name", "商州区慈善协会")
    fresh("station", "add", "城关街道", "--alias", "城关镇")
    fresh("station", "add", "东关社区", "--in", "城关镇")          # --in takes an alias too
    fresh("station", "add", "大赵峪街道")
    fresh("station", "add", "刘湾村", "--in", "大赵峪街道")
    return fresh


def test_the_register_is_a_tree_with_aliases(net):
    net("station", "alias", "城关街道办", "--to", "城关街道")
    assert net.json("station", "list") == [
        {"station": "城关街道", "aliases": ["城关镇", "城关街道办"], "villages": [{"station": "东关社区", "aliases": []}]},
        {"station": "大赵峪街道", "aliases": [], "villages": [{"station": "刘湾村", "aliases": []}]},
    ]
    table = net("station", "list").stdout
    assert "城关街道办" in table and "东关社区" in table


@pytest.mark.parametrize("args,says", [
    (["station", "add", "城关街道"], "already a station"),
    (["station", "add", "城关 街道"], "already a station"),                   # spaces aside
    (["station", "add", "城关镇"], "already another name of 城关街道"),
    (["station", "add", "甲镇", "--alias", "甲 镇"], "own name"),
    (["station", "add", "新村", "--in", "东关社区"], "东关社区 is a village"),
    (["station", "add", "新村", "--in", "城关街遒"], "did you mean 城关街道"),
    (["station", "alias", "刘湾村", "--to", "城关街道"], "already names 刘湾村"),
    (["station", "alias", "城关", "--to", "城关街遒"], "did you mean 城关街道"),
])
def test_the_register_refuses_duplicates_villages_of_villages_and_typos(net, args, says):
    before = net.json("station", "list")
    result = net(*args, expect=1)
    assert says in result.stderr
    assert net.json("station", "list") == before


def test_an_unknown_township_is_refused_with_the_closest_and_nothing_is_written(net):
    result = net("add-donation", "--donor", "王某", "--amount", "100", "--township", "城关街遒", "--date", "2021-03-01", expect=1)
    assert "did you mean 城关街道" in result.stderr
    assert "station add 城关街遒" in result.stderr
    assert net.json("list", "donations") == []
    result = net("relief", "give", "--holiday", "春节", "--name", "王大山", "--id-number", "611002195203040011",
                 "--township", "城关街道", "--village", "东关村", "--cash", "300", "--date", "2021-02-05", expect=1)
    assert "did you mean 东关社区" in result.stderr and "station add 东关村 --in 城关街道" in result.stderr
    result = net("case", "open", "--name", "张小红", "--id-number", "61100220100315002X", "--category", "助医", "--amount", "300",
                 "--reason", "治疗", "--township", "大赵峪街道", "--village", "东关社区", expect=1)
    assert "东关社区 is a village of 城关街道, not of 大赵峪街道" in result.stderr


def test_an_alias_or_a_full_width_spelling_is_stored_as_the_registered_name(net):
    net("add-income", "--amount", "1000", "--date", "2021-01-01")
    net("add-donation", "--donor", "王某", "--amount", "100", "--township", "城关镇", "--date", "2021-03-01")
    net("add-disbursement", "--payee", "李某", "--amount", "50", "--purpose", "charitable", "--category", "助困",
        "--township", "城关镇", "--date", "2021-03-02")
    net("relief", "give", "--holiday", "春节", "--name", "王大山", "--id-number", "611002195203040011",
        "--township", "城关镇", "--village", "东关社区", "--cash", "300", "--date", "2021-02-05")
    net("beneficiary", "add", "--name", "刘秀英", "--id-number", "611002194811200045", "--village", "刘湾村")
    assert [d["township"] for d in net.json("list", "donations")] == ["城关街道"]
    assert {d["township"] for d in net.json("list", "disbursements")} == {"城关街道"}
    people = {p["name"]: (p["township"], p["village"]) for p in net.json("beneficiary", "list")}
    assert people == {"王大山": ("城关街道", "东关社区"), "刘秀英": ("大赵峪街道", "刘湾村")}   # a village names its township


def test_new_township_registers_it_on_the_spot_audited(net):
    net("add-donation", "--donor", "王某", "--amount", "100", "--township", "北宽坪镇", "--new-township", "--date", "2021-03-01")
    assert "北宽坪镇" in [t["station"] for t in net.json("station", "list")]
    conn = sqlite3.connect(net.db)
    assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'station add' AND detail LIKE '%北宽坪镇%'").fetchone()[0] == 1
    net("add-donation", "--donor", "王某", "--amount", "100", "--township", "北宽坪镇", "--date", "2021-03-02")  # known now


def test_an_import_refuses_unknown_names_once_each_with_the_station_add_that_fixes_it(net, tmp_path):
    rows = [["捐赠人", "金额", "日期", "乡镇"]] + [[f"甲{i}", 10, "2021-09-07", "城关街遒"] for i in range(5)] + \
           [["乙", 20, "2021-09-07", "城关镇"], ["丙", 30, "2021-09-07", "沙河子镇"]]
    path = csv_file(tmp_path / "捐赠.csv", rows)
    result = net("import", "donations", path, "--dry-run", expect=1)
    lines = [line for line in result.stderr.splitlines() if "城关街遒" in line]
    assert len(lines) == 1 and "5 rows" in lines[0] and "did you mean 城关街道" in lines[0]
    assert "station add 城关街遒" in lines[0]
    assert "station add 沙河子镇" in result.stderr
    net("import", "donations", path, expect=1)
    assert net.json("list", "donations") == []
    net("import", "donations", path, "--skip-invalid", expect=0)
    assert [d["township"] for d in net.json("list", "donations")] == ["城关街道"]     # the alias, stored as registered
    assert [t["station"] for t in net.json("station", "list")] == ["城关街道", "大赵峪街道"]  # a file creates none


def test_an_import_checks_the_township_default_and_sheet_names(net, tmp_path):
    path = xlsx(tmp_path / "各乡镇.xlsx", {"城关镇": [["捐赠人", "金额"], ["甲", 10]], "沙河子镇": [["捐赠人", "金额"], ["乙", 20]]})
    result = net("import", "donations", path, "--all-sheets", "--sheet-is-township", "--date", "2021-09-09", expect=1)
    assert "no station '沙河子镇'" in result.stderr and "station add 沙河子镇" in result.stderr
    net("station", "add", "沙河子镇")
    net("import", "donations", path, "--all-sheets", "--sheet-is-township", "--date", "2021-09-09")
    assert sorted(d["township"] for d in net.json("list", "donations")) == ["城关街道", "沙河子镇"]
    other = csv_file(tmp_path / "d.csv", [["捐赠人", "金额", "日期"], ["丙", 5, "2021-09-07"]])
    result = net("import", "donations", other, "--township", "杨峪河", expect=1)
    assert "no station '杨峪河'" in result.stderr
    net("import", "donations", other, "--township", "杨峪河镇", "--new-township", "--dry-run")
    assert "杨峪河镇" not in [t["station"] for t in net.json("station", "list")]           # a dry run registers nothing
    net("import", "donations", other, "--township", "杨峪河镇", "--new-township")
    assert "杨峪河镇" in [t["station"] for t in net.json("station", "list")]


def test_a_roster_checks_its_villages_against_their_township(net, tmp_path):
    path = xlsx(tmp_path / "花名册.xlsx", {"城关街道": [
        ["村（社区）", "户主姓名", "身份证号码", "慰问金额"],
        ["东关社区", "王大山", "611002195203040011", 300],
        ["刘湾村", "刘秀英", "611002194811200045", 300],
        ["西关社区", "赵永明", "611002197011010351", 300]]})
    net("add-income", "--amount", "5000", "--date", "2021-01-01")
    result = net("import", "relief", path, "--holiday", "春节", "--date", "2021-02-06", "--dry-run", expect=1)
    assert "no village of 城关街道 '刘湾村'" in result.stderr or "刘湾村" in result.stderr
    assert "station add 西关社区 --in 城关街道" in result.stderr
    net("station", "add", "西关社区", "--in", "城关街道")
    net("import", "relief", path, "--holiday", "春节", "--date", "2021-02-06", "--skip-invalid")
    assert {(r["township"], r["name"]) for r in net.json("beneficiary", "list")} == {("城关街道", "王大山"), ("城关街道", "赵永明")}


def test_a_station_holds_its_own_funds_in_the_county_books(net, tmp_path):
    net("fund", "add", "东关社区冠名基金", "--kind", "named", "--sponsor", "东关社区居委会", "--station", "东关社区")
    result = net("fund", "add", "别的基金", "--station", "东关", expect=1)
    assert "did you mean 东关社区" in result.stderr
    funds = {f["fund"]: f for f in net.json("fund", "list")}
    assert funds["东关社区冠名基金"]["station"] == "东关社区" and funds["非限定性基金"]["station"] is None
    net("add-donation", "--donor", "王某", "--amount", "800", "--fund", "东关社区冠名基金", "--township", "东关社区",
        "--date", "2021-03-01")
    net("add-donation", "--donor", "李某", "--amount", "200", "--township", "城关街道", "--date", "2021-03-02")
    net("relief", "give", "--holiday", "春节", "--name", "王大山", "--id-number", "611002195203040011", "--township", "城关街道",
        "--village", "东关社区", "--cash", "300", "--fund", "东关社区冠名基金", "--date", "2021-04-05")
    report = net.json("report", "station", "--year", "2021")
    town = report["townships"][0]
    assert town["station"] == "城关街道"
    assert town["collected"] == {"count": 2, "cash": "1000.00", "goods": "0.00", "total": "1000.00"}   # its village's gift too
    assert town["held"]["cash"] == "500.00" and town["households"] == 1
    village = town["villages"][0]
    assert village["station"] == "东关社区" and village["collected"]["total"] == "800.00"
    assert village["relief"]["holiday"] == "300.00" and [f["fund"] for f in village["funds"]] == ["东关社区冠名基金"]
    # still the county association's money: in every county total as before
    annual = net.json("report", "annual", "--year", "2021")
    assert annual["receipts"]["total"] == "1000.00"
    assert annual["receipts"]["by_township"] == [{"township": "城关街道", "count": 2, "cash": "1000.00", "goods": "0.00",
                                                  "amount": "1000.00"}]                       # the village totalled in
    one = net.json("report", "station", "--year", "2021", "--station", "城关镇")
    assert [t["station"] for t in one["townships"]] == ["城关街道"] and one["station_filter"] == "城关街道"
    assert net("report", "station", "--year", "2021", "--station", "城关街遒", expect=1).stderr.count("城关街道")
    # a village chosen: its township's line stays whole, with only that village beneath it
    net("station", "add", "西关社区", "--in", "城关街道")
    net("add-donation", "--donor", "赵某", "--amount", "100", "--township", "西关社区", "--date", "2021-03-03")
    whole = net.json("report", "station", "--year", "2021")["townships"][0]
    chosen = net.json("report", "station", "--year", "2021", "--station", "东关社区")["townships"][0]
    assert whole["collected"]["total"] == chosen["collected"]["total"] == "1100.00"
    assert [v["station"] for v in chosen["villages"]] == ["东关社区"] and len(whole["villages"]) == 2
    net("report", "station", "--year", "2021", "--output", tmp_path / "站.xlsx")
    assert (tmp_path / "站.xlsx").stat().st_size > 0


def test_the_migration_registers_an_older_ledgers_places(tmp_path):
    path = tmp_path / "old.db"
    ledger = create_ledger(path, "x", "social", upto=schema.MIGRATIONS.index(schema.m011_stations))
    conn = ledger.conn
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO donors (name, type, created_at) VALUES ('王某', '个人', 'now')")
    for number, township in enumerate(["城关街道", "沙河子镇", ""], start=1):
        conn.execute("INSERT INTO entries (kind, date, created_at) VALUES ('donation', '2021-03-01', 'now')")
        conn.execute("""INSERT INTO donations (entry_id, receipt_year, receipt_seq, donor_id, fund_id, cash_fen, goods_fen, channel, township)
                        VALUES (?, 2021, ?, 1, 1, 100, 0, 'cash', ?)""", (number, number, township or None))
    for id_number, township, village in [("611002195203040011", "城关街道", "东关社区"), ("611002194811200045", "大赵峪街道", "刘湾村"),
                                         ("611002197011010351", "城关街道", None)]:
        conn.execute("INSERT INTO beneficiaries (name, id_number, township, village, created_at) VALUES ('某', ?, ?, ?, 'now')",
                     (id_number, township, village))
    conn.execute("COMMIT")
    ledger.close()
    open_ledger(path).close()
    from conftest import CB

    cb = CB(path)
    assert cb.json("station", "list") == [
        {"station": "城关街道", "aliases": [], "villages": [{"station": "东关社区", "aliases": []}]},
        {"station": "大赵峪街道", "aliases": [], "villages": [{"station": "刘湾村", "aliases": []}]},
        {"station": "沙河子镇", "aliases": [], "villages": []},
    ]
    cb("add-donation", "--donor", "王某", "--amount", "100", "--township", "沙河子镇", "--date", "2021-03-02")


def test_station_list_as_csv_names_the_township_on_every_row(net):
    lines = net("station", "list", "--format", "csv").stdout.lstrip("\ufeff").splitlines()
    assert lines[0] == "township,village,aliases" and "城关街道,,城关镇" in lines and "城关街道,东关社区," in lines


def test_a_village_gift_is_receipted_from_its_townships_stock(net):
    net("receipt", "stock", "add", "--code", "41010121", "--from", "0000000001", "--to", "0000000010",
        "--station", "城关街道", "--date", "2021-01-01")
    net("add-donation", "--donor", "王某", "--amount", "100", "--township", "东关社区", "--date", "2021-03-01")
    net("receipt", "issue", "--donation", "2021-000001", "--by", "张会计", "--date", "2021-03-02")
    [receipt] = net.json("receipt", "list")
    assert receipt["number"] == "0000000001" and receipt["holder"] == "城关街道", receipt


def test_list_filters_take_an_alias_and_refuse_a_name_the_ledger_does_not_know(net):
    net("add-donation", "--donor", "王某", "--amount", "100", "--township", "城关街道", "--date", "2021-03-01")
    net("add-donation", "--donor", "李某", "--amount", "100", "--township", "大赵峪街道", "--date", "2021-03-01")
    assert [d["donor"] for d in net.json("list", "donations", "--township", "城关镇")] == ["王某"]
    assert [d["donor"] for d in net.json("list", "donations", "--fund", "general")] == ["王某", "李某"]
    for args in (["donations", "--township", "城关街遒"], ["donations", "--fund", "不存在"], ["tiers", "--fund", "不存在"],
                 ["disbursements", "--project", "不存在"]):
        out = net("list", *args, expect=1)
        assert "no " in out.stderr and "Traceback" not in out.stderr, args
    assert "城关街道" in net("list", "donations", "--township", "城关街遒", expect=1).stderr


def test_relief_lists_take_an_alias_and_refuse_a_name_the_ledger_does_not_know(net):
    net("add-donation", "--donor", "某公司", "--amount", "1000", "--date", "2021-01-05")
    net("case", "open", "--name", "张小红", "--id-number", "61100220100315002X", "--category", "助医", "--amount", "300",
        "--reason", "治疗", "--township", "城关镇", "--date", "2021-02-01")
    net("relief", "give", "--holiday", "春节", "--name", "王大山", "--id-number", "611002195203040011",
        "--township", "城关镇", "--cash", "300", "--date", "2021-02-05")
    for what in (["case", "list"], ["relief", "list"], ["beneficiary", "list"]):
        assert len(net.json(*what, "--township", "城关镇")) >= 1, what         # the alias lists its station
        assert net.json(*what, "--township", "大赵峪街道") == [], what
        out = net(*what, "--township", "城关街遒", expect=1)
        assert "城关街道" in out.stderr and "Traceback" not in out.output, what
