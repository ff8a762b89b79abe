"""`charitybook disclose annual|publish|list|correction`: the packages published on 慈善中国, what
`due` learns from a publication, and the 更正说明 of a package the ledger no longer reproduces."""

import json
import re
import sqlite3

import pytest
from conftest import FULL_ID
from test_reports import golden, sample  # noqa: F401  (the demo ledger, built once per module)

ID_CHILD = "61100220100315002X"
ID_OLD = "611002195203040011"


@pytest.fixture
def books(cb):
    """A demo-like 2021: organisations, a large and two small personal gifts, an anonymous one, a
    campaign, a project with a relief case, holiday relief, costs."""
    cb("fund", "opening", "general", "--date", "2020-12-31", "--cash", "50000")
    cb("add-donation", "--donor", "商州区教育局", "--donor-type", "机关事业单位", "--amount", "52000", "--date", "2021-01-08",
       "--channel", "bank", "--campaign", "慈心一日捐")
    cb("add-donation", "--donor", "刘大户", "--amount", "20000", "--date", "2021-01-09", "--campaign", "慈心一日捐")
    cb("add-donation", "--donor", "赵小额", "--amount", "200", "--date", "2021-01-10", "--campaign", "慈心一日捐")
    cb("add-donation", "--donor", "钱小额", "--amount", "300", "--date", "2021-02-01", "--project", "朝阳助学", "--new-project",
       "--channel", "online", "--platform", "腾讯公益")
    cb("add-donation", "--donor", "秦岭粮油公司", "--donor-type", "企业", "--amount", "15000", "--date", "2021-02-02",
       "--project", "朝阳助学", "--channel", "bank")
    cb("add-donation", "--donor", "匿名", "--donor-type", "匿名", "--amount", "50", "--date", "2021-02-03")
    cb("case", "open", "--name", "张小红", "--id-number", ID_CHILD, "--category", "助医", "--amount", "3000",
       "--reason", "治疗", "--township", "城关街道", "--date", "2021-04-01")
    cb("case", "approve", "1", "--amount", "2000", "--date", "2021-04-10")
    cb("case", "pay", "1", "--amount", "2000", "--project", "朝阳助学", "--date", "2021-04-12")
    cb("relief", "give", "--holiday", "春节", "--name", "王大山", "--id-number", ID_OLD, "--township", "城关街道",
       "--household-size", "2", "--cash", "300", "--date", "2021-02-05")
    cb("add-disbursement", "--payee", "办公室", "--amount", "800", "--purpose", "management", "--date", "2021-06-30")
    cb("add-disbursement", "--payee", "某网络平台", "--amount", "120", "--purpose", "fundraising", "--date", "2021-09-10")
    return cb


def _packages(cb, *args):
    return {p["package"]: p for p in cb.json("disclose", "annual", "--year", "2021", *args)["packages"]}


def test_one_package_per_annual_report_campaign_and_project(books):
    data = books.json("disclose", "annual", "--year", "2021")
    assert data["report"] == "disclosure" and data["year"] == 2021 and data["association"] == "商州区慈善协会"
    found = {p["package"]: p for p in data["packages"]}
    assert list(found) == ["annual", "campaign:慈心一日捐", "project:朝阳助学"]
    annual = found["annual"]
    assert set(annual) >= {"income", "donors", "spending", "recipients", "ratios", "statements", "work_report"}
    assert annual["income"]["total"] == "87550.00" and annual["income"]["count"] == 6
    assert {g["key"]: g["amount"] for g in annual["income"]["by_channel"]} == {
        "bank": "67000.00", "cash": "20250.00", "online": "300.00"}
    assert annual["spending"] == {"charitable": "2300.00", "management": "800.00", "fundraising": "120.00", "total": "3220.00",
                                  "by_project": [{"project": "朝阳助学", "charitable": "2000.00", "management": "0.00",
                                                  "fundraising": "0.00", "total": "2000.00"},
                                                 {"project": "非限定性基金", "charitable": "300.00", "management": "800.00",
                                                  "fundraising": "120.00", "total": "1220.00"}]}
    assert [c["rule"] for c in annual["ratios"]["checks"]][0] == "charitable_vs_previous_income"
    lines = " ".join(line["line"] for line in annual["statements"]["activities"])
    assert all(name in lines for name in ("捐赠收入", "管理费用", "筹资费用"))
    assert "top_donors" not in annual["work_report"]["receipts"]          # donors follow the package's rule
    campaign = found["campaign:慈心一日捐"]
    assert campaign["income"]["total"] == "72200.00" and campaign["kind"] == "campaign" and campaign["name"] == "慈心一日捐"
    assert campaign["notes"] == ["campaign_spending", "campaign_general_fund"]
    project = found["project:朝阳助学"]
    assert project["balance"] == {"opening": "0.00", "in": "15300.00", "out": "2000.00", "closing": "13300.00"}
    assert project["ratios"] == {"charitable_of_income_percent": "13.07", "costs_of_spending_percent": "0.00"}
    assert project["recipients"]["by_category"] == [{"key": "助医", "recipients": 1, "count": 1, "amount": "2000.00"}]


def test_donors_organisations_and_large_gifts_named_the_rest_aggregated(books):
    donors = _packages(books)["annual"]["donors"]
    assert donors["large_gift_from"] == "10000.00"
    assert [(d["donor"], d["amount"]) for d in donors["named"]] == [
        ("商州区教育局", "52000.00"), ("刘大户", "20000.00"), ("秦岭粮油公司", "15000.00")]
    assert donors["others"] == [{"donor_type": "个人", "donors": 2, "count": 2, "amount": "500.00"},
                                {"donor_type": "匿名", "donors": 1, "count": 1, "amount": "50.00"}]


def test_privacy_no_id_no_beneficiary_no_small_donor_in_any_format(books, tmp_path):
    texts = [books("disclose", "annual", "--year", "2021", "--format", fmt, "--lang", lang).stdout
             for fmt in ("md", "json") for lang in ("zh", "en")]
    out = tmp_path / "d.xlsx"
    books("disclose", "annual", "--year", "2021", "--output", out)
    import openpyxl

    workbook = openpyxl.load_workbook(out)
    assert [s.title for s in workbook.worksheets] == ["Annual work report and financia", "Fundraising campaign_ 慈心一日捐",
                                                       "Charity project_ 朝阳助学"]   # one sheet per package
    texts.append("\n".join(str(c.value) for s in workbook.worksheets for row in s.iter_rows() for c in row if c.value is not None))
    text = "\n".join(texts)
    assert not FULL_ID.search(text) and not re.search(r"\d{4}\*{6,}", text)
    for name in ("张小红", "王大山", "赵小额", "钱小额"):
        assert name not in text
    assert "刘大户" in text and "商州区教育局" in text


def test_publish_then_due_shows_it_done_with_the_date(books):
    assert books.json("due", "--today", "2022-06-01")[0]["state"] == "overdue"
    out = books("disclose", "publish", "--year", "2021", "--package", "annual", "--on", "2022-05-20").stdout
    assert "annual" in out and "#1" in out
    [item] = [i for i in books.json("due", "--today", "2022-06-01") if i["kind"] == "annual"]
    assert (item["state"], item["published"]) == ("done", "2022-05-20")
    table = books("due", "--today", "2022-06-01")
    assert "published" in table.stdout and "2022-05-20" in table.stdout and "overdue" not in table.stdout
    # a campaign published after its 3 months is done, but late
    books("campaign", "end", "慈心一日捐", "--date", "2021-06-30")
    books("disclose", "publish", "--year", "2021", "--package", "campaign:慈心一日捐", "--on", "2022-01-15")
    [item] = [i for i in books.json("due", "--today", "2022-06-01") if i["kind"] == "campaign"]
    assert (item["state"], item["published"]) == ("done late", "2022-01-15")
    # publishing again what is unchanged records nothing
    again = books("disclose", "publish", "--year", "2021", "--package", "annual", "--on", "2022-05-21")
    assert "unchanged" in again.stderr
    assert [r["package"] for r in books.json("disclose", "list")] == ["annual", "campaign:慈心一日捐"]


def test_a_publication_keeps_its_json_and_sha256_and_is_never_edited(books):
    books("disclose", "publish", "--year", "2021", "--on", "2022-05-20")
    rows = books.json("disclose", "list", "--year", "2021")
    assert [r["package"] for r in rows] == ["annual", "campaign:慈心一日捐", "project:朝阳助学"]
    conn = sqlite3.connect(books.db)
    body, sha = conn.execute("SELECT body, sha256 FROM disclosures WHERE package = 'annual'").fetchone()
    import hashlib

    assert hashlib.sha256(body.encode()).hexdigest() == sha == rows[0]["sha256"]
    assert json.loads(body) == _packages(books)["annual"]
    with pytest.raises(sqlite3.IntegrityError, match="never edited"):
        conn.execute("UPDATE disclosures SET published_on = '2022-01-01'")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        conn.execute("DELETE FROM disclosures")
    assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'disclose publish'").fetchone()[0] == 3


def test_a_change_after_publication_is_a_correction_naming_what_changed(books):
    books("disclose", "publish", "--year", "2021", "--on", "2022-05-20")
    same = books("disclose", "annual", "--year", "2021", "--package", "annual")
    assert "reproduces what was published on 2022-05-20" in same.stderr
    books("void", "3", "--reason", "退款", "--date", "2021-12-30")       # 刘大户's 20,000, a late void in an open year
    warned = books("disclose", "annual", "--year", "2021")
    assert "annual: differs from what was published on 2022-05-20" in warned.stderr
    assert "disclose correction --year 2021 --package annual" in warned.stderr
    assert "project:朝阳助学: reproduces" in warned.stderr
    notice = books.json("disclose", "correction", "--year", "2021", "--package", "annual")
    changes = {c["path"]: (c["published"], c["now"]) for c in notice["changes"]}
    assert changes["income.total"] == ("87550.00", "67550.00")
    assert changes["donors.named[donor=刘大户]"][1] is None and changes["donors.named[donor=刘大户]"][0]["amount"] == "20000.00"
    assert notice["publication"] == 1 and notice["published_on"] == "2022-05-20"
    md = books("disclose", "correction", "--year", "2021", "--package", "annual", "--lang", "zh").stdout
    assert "更正说明" in md and "income.total | 87550.00 | 67550.00" in md
    published = books("disclose", "correction", "--year", "2021", "--package", "annual", "--publish", "--on", "2022-06-10",
                      "--format", "json")
    assert json.loads(published.stdout)["report"] == "correction"
    assert "correction of publication #1" in published.stderr
    rows = {(r["package"], r["id"]): r for r in books.json("disclose", "list")}
    assert rows[("annual", 1)]["state"] == "superseded" and rows[("annual", 4)]["supersedes"] == 1
    assert rows[("annual", 4)]["changes"] == len(notice["changes"])
    assert "reproduces" in books("disclose", "annual", "--year", "2021", "--package", "annual").stderr
    assert [i for i in books.json("due", "--today", "2022-06-20") if i["kind"] == "annual"][0]["published"] == "2022-05-20"
    result = books("disclose", "correction", "--year", "2021", "--package", "annual", expect=1)
    assert "nothing to correct" in result.stderr


def test_closed_years_a_late_void_leaves_the_published_package_as_it_was(books):
    books("disclose", "publish", "--year", "2021", "--on", "2022-05-20")
    books("period", "close", "2021", "--by", "张会计")
    books("void", "3", "--reason", "退款", "--date", "2022-03-01")       # the correction counts in 2022
    assert "differs" not in books("disclose", "annual", "--year", "2021").stderr
    assert _packages(books)["annual"]["income"]["total"] == "87550.00"
    later = {p["package"]: p for p in books.json("disclose", "annual", "--year", "2022")["packages"]}
    assert later["annual"]["income"]["total"] == "-20000.00"                     # …counted in its own year
    assert later["campaign:慈心一日捐"]["income"]["by_channel"] == [
        {"key": "cash", "count": -1, "cash": "-20000.00", "goods": "0.00", "amount": "-20000.00"}]
    books("period", "close", "2022", "--by", "张会计")
    result = books("disclose", "publish", "--year", "2021", "--package", "annual", "--on", "2022-06-01", expect=1)
    assert "2022 is a closed year" in result.stderr and "Traceback" not in result.output
    assert len(books.json("disclose", "list")) == 3


@pytest.mark.parametrize("args,code,says", [
    (("disclose", "annual", "--year", "2021", "--package", "project:朝阳朱学"), 1, "project:朝阳助学"),
    (("disclose", "publish", "--year", "2021", "--package", "campaign:不存在"), 1, "package"),
    (("disclose", "annual", "--year", "2019"), 1, "nothing to disclose"),
    (("disclose", "publish", "--year", "2021", "--on", "2022-13-01"), 2, "--on"),
    (("disclose", "publish", "--year", "2021", "--on", "2020-12-31"), 1, "before 2021 began"),
    (("disclose", "correction", "--year", "2021", "--package", "annual"), 1, "has not been published"),
    (("disclose", "correction", "--year", "2021", "--package", "annual", "--format", "xlsx", "--output", "x.xlsx"), 2, "md or json"),
    (("disclose", "correction", "--year", "2021", "--package", "annual", "--on", "2022-05-01"), 2, "--publish"),
    (("disclose", "annual", "--year", "2021", "--format", "xlsx"), 2, "--output"),
])
def test_bad_input_is_one_line(books, args, code, says):
    result = books(*args, expect=code)
    assert says in result.stderr and "Traceback" not in result.output
    assert len([line for line in result.stderr.splitlines() if line.startswith("Error")]) == 1
    assert books.json("disclose", "list") == []


def test_a_published_package_the_ledger_no_longer_has_is_named(books):
    books("add-donation", "--donor", "孙某", "--amount", "100", "--date", "2021-05-01", "--campaign", "临时募捐")
    books("disclose", "publish", "--year", "2021", "--package", "campaign:临时募捐", "--on", "2022-05-20")
    [entry] = [r["id"] for r in books.json("list", "donations") if r.get("campaign") == "临时募捐"]
    books("void", entry, "--reason", "退款", "--date", "2021-12-30")
    assert "campaign:临时募捐: differs from what was published" in books("disclose", "annual", "--year", "2021").stderr
    notice = books.json("disclose", "correction", "--year", "2021", "--package", "campaign:临时募捐")
    assert [(c["path"], c["now"]) for c in notice["changes"]] == [(".", None)]


# --- the demo ledger: golden files ------------------------------------------------------------


def test_golden_disclose_annual(sample):
    """Every package of the demo's 2021, as Markdown in both languages and as JSON."""
    for lang in ("zh", "en"):
        golden(f"disclose-2021.{lang}.md", sample("disclose", "annual", "--year", "2021", "--lang", lang).stdout)
    golden("disclose-2021.json", sample("disclose", "annual", "--year", "2021", "--format", "json", "--lang", "zh").stdout)
