"""`charitybook due`: what must be published on 慈善中国 and by when; `campaign end` and
`project end` record the end dates its 3-month deadlines count from."""

import sqlite3

import pytest


@pytest.fixture
def books(cb):
    cb("add-donation", "--donor", "甲", "--amount", "100", "--date", "2021-03-01", "--campaign", "慈心一日捐")
    cb("add-donation", "--donor", "乙", "--amount", "200", "--date", "2021-03-02", "--project", "朝阳助学", "--new-project")
    return cb


def _due(cb, today):
    return cb.json("due", "--today", today)


def test_the_annual_report_is_due_by_may_31_of_the_next_year(books):
    books("fund", "opening", "general", "--date", "2020-12-31", "--cash", "50")   # where the books start: no 2020 report
    assert _due(books, "2022-04-15") == [{"what": "annual work report and financial report 2021", "kind": "annual",
                                          "name": None, "year": 2021, "deadline": "2022-05-31", "days": 46,
                                          "state": "later", "published": None}]
    assert _due(books, "2022-05-31")[0]["state"] == "due"
    assert _due(books, "2022-06-01")[0] | {"what": None} == {
        "what": None, "kind": "annual", "name": None, "year": 2021, "deadline": "2022-05-31", "days": -1, "state": "overdue",
        "published": None}


def test_a_campaign_ended_is_due_within_3_months(books):
    out = books("campaign", "end", "慈心一日捐", "--date", "2021-11-30").stdout
    assert "2021-11-30" in out
    item = [item for item in _due(books, "2022-02-01") if item["kind"] == "campaign"][0]
    assert item | {"what": None} == {"what": None, "kind": "campaign", "name": "慈心一日捐", "year": 2021,
                                     "deadline": "2022-02-28", "days": 27, "state": "due", "published": None}
    assert "慈心一日捐" in item["what"]


def test_a_project_ended_and_a_later_end_supersedes_the_earlier(books):
    books("project", "end", "朝阳助学", "--date", "2021-12-31")
    assert "replaces 2021-12-31" in books("project", "end", "朝阳助学", "--date", "2022-06-30", "--note", "延期").stdout
    items = [item for item in _due(books, "2022-01-01") if item["kind"] == "project"]
    assert [(item["name"], item["year"], item["deadline"], item["state"]) for item in items] == [
        ("朝阳助学", 2022, "2022-09-30", "later")]


def test_overdue_first_then_the_next_due(books):
    books("campaign", "end", "慈心一日捐", "--date", "2021-06-30")
    books("project", "end", "朝阳助学", "--date", "2022-01-31")
    items = _due(books, "2022-04-15")
    assert [(item["kind"], item["state"], item["days"]) for item in items] == [
        ("campaign", "overdue", -197), ("project", "due", 15), ("annual", "later", 46)]
    table = books("due", "--today", "2022-04-15")
    assert "197 days overdue" in table.stdout and "15 days left" in table.stdout
    assert "related-party" in table.stderr and "30 days" in table.stderr


def test_today_is_the_default_and_notes_name_what_has_no_end_date(books):
    result = books("due")
    assert "慈心一日捐" in result.stderr and "朝阳助学" in result.stderr and "no end date" in result.stderr
    assert all(item["state"] == "overdue" for item in books.json("due"))   # 2021's report was due in 2022


@pytest.mark.parametrize("args", [("due", "--today", "2022-13-01"), ("due", "--today", "明天"),
                                  ("project", "end", "朝阳助学", "--date", "2021-02-30"),
                                  ("campaign", "end", "慈心一日捐", "--date", "1989-12-31"),
                                  ("campaign", "end", "慈心一日捐")])
def test_bad_dates_are_refused(books, args):
    result = books(*args, expect=2)
    assert "Traceback" not in result.output
    assert not books.json("due", "--today", "2022-01-01")[1:]


def test_unknown_campaign_or_project_is_refused_with_the_closest_names(books):
    result = books("project", "end", "朝阳朱学", "--date", "2021-12-31", expect=1)
    assert "朝阳助学" in result.stderr and "Traceback" not in result.output
    result = books("campaign", "end", "慈心一日", "--date", "2021-12-31", expect=1)
    assert "慈心一日捐" in result.stderr
    assert [item["kind"] for item in _due(books, "2022-01-01")] == ["annual"]


def test_end_dates_are_events_never_edited_and_audited(books):
    books("project", "end", "朝阳助学", "--date", "2021-12-31")
    conn = sqlite3.connect(books.db)
    with pytest.raises(sqlite3.IntegrityError, match="never edited"):
        conn.execute("UPDATE end_dates SET ended = '2022-01-01'")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        conn.execute("DELETE FROM end_dates")
    assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'project end'").fetchone()[0] == 1


# --- notices: what is published within 30 days (notice add | withdraw | list) ---------------------

def test_a_notice_is_due_within_30_days_and_done_once_published(books):
    out = books("notice", "add", "--kind", "关联交易", "--what", "向理事所在企业采购物资", "--party", "某公司",
                "--amount", "12000", "--date", "2021-03-10").stdout
    assert "#1" in out and "2021-04-09" in out
    item = [item for item in _due(books, "2021-04-01") if item["kind"] == "notice"][0]
    assert item | {"what": None} == {"what": None, "kind": "notice", "name": "向理事所在企业采购物资", "year": 2021,
                                     "deadline": "2021-04-09", "days": 8, "state": "due", "published": None}
    assert "related-party transaction" in item["what"]
    assert "notice add" not in books("due", "--today", "2021-04-01").stderr   # the 30-day note goes once one is recorded
    books("disclose", "publish", "--year", "2021", "--on", "2021-04-12")   # the year's packages: not the notice
    assert [item["published"] for item in _due(books, "2021-04-13") if item["kind"] == "notice"] == [None]
    books("disclose", "publish", "--year", "2021", "--package", "notice:1", "--on", "2021-04-12")
    item = [item for item in _due(books, "2021-05-01") if item["kind"] == "notice"][0]
    assert (item["state"], item["published"]) == ("done late", "2021-04-12")
    published = books.json("disclose", "list")
    assert [(row["package"], row["year"]) for row in published if row["package"].startswith("notice")] == [("notice:1", 2021)]
    body = sqlite3.connect(books.db).execute("SELECT body FROM disclosures WHERE package = 'notice:1'").fetchone()[0]
    assert '"amount":"12000.00"' in body and "某公司" in body


def test_a_corrected_notice_replaces_the_earlier_and_a_withdrawn_one_is_no_longer_due(books):
    books("notice", "add", "--kind", "asset", "--what", "出售旧办公楼", "--date", "2021-04-01")
    out = books("notice", "add", "--kind", "asset", "--what", "出售旧办公楼", "--amount", "300000", "--date", "2021-04-02",
                "--replaces", "1").stdout
    assert "replaces #1" in out
    books("notice", "add", "--kind", "trust", "--what", "设立助学慈善信托", "--date", "2021-05-01")
    books("notice", "withdraw", "3", "--reason", "录入错误")
    assert [(item["deadline"], item["name"]) for item in _due(books, "2021-04-05") if item["kind"] == "notice"] == [
        ("2021-05-02", "出售旧办公楼")]
    rows = books.json("notice", "list")
    assert [(row["id"], row["state"], row["replaces"]) for row in rows] == [
        (1, "replaced", None), (2, "current", 1), (3, "withdrawn", None), (4, "withdrawal", 3)]
    assert rows[1]["amount"] == "300000.00" and rows[3]["withdrawn"] == "录入错误"
    result = books("notice", "add", "--kind", "asset", "--what", "x", "--date", "2021-04-02", "--replaces", "1", expect=1)
    assert "already replaced by #2" in result.stderr
    assert "withdrawn" in books("notice", "withdraw", "3", "--reason", "x", expect=1).stderr
    assert "no notice #99" in books("notice", "withdraw", "99", "--reason", "x", expect=1).stderr
    assert "已撤回" in books("notice", "list", "--lang", "zh").stdout


@pytest.mark.parametrize("args,code,says", [
    (("--kind", "捐款", "--what", "x", "--date", "2021-04-01"), 2, "--kind"),
    (("--kind", "asset", "--what", "x", "--date", "2021-04-01", "--amount", "-5"), 2, "never negative"),
    (("--kind", "asset", "--what", "x", "--date", "2021-04-31"), 2, "--date"),
    (("--kind", "asset", "--what", "  ", "--date", "2021-04-01"), 2, "--what is empty"),
    (("--kind", "asset", "--what", "x"), 2, "--date"),
    (("--kind", "asset", "--what", "x", "--date", "2021-04-01", "--replaces", "7"), 1, "no notice #7"),
])
def test_bad_notices_are_one_line_and_record_nothing(books, args, code, says):
    result = books("notice", "add", *args, expect=code)
    assert says in result.stderr and "Traceback" not in result.output
    assert books.json("notice", "list") == []


def test_notices_are_never_edited_and_audited_and_a_notice_is_not_corrected_like_a_package(books):
    books("notice", "add", "--kind", "investment", "--what", "购买国债", "--amount", "500000", "--date", "2021-06-01")
    conn = sqlite3.connect(books.db, isolation_level=None)  # autocommit: a refused statement holds no lock
    with pytest.raises(sqlite3.IntegrityError, match="never edited"):
        conn.execute("UPDATE notices SET amount_fen = 1")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        conn.execute("DELETE FROM notices")
    assert conn.execute("SELECT amount_fen FROM notices").fetchone()[0] == 50_000_000
    assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'notice add'").fetchone()[0] == 1
    conn.close()
    books("disclose", "publish", "--year", "2021", "--package", "notice:1", "--on", "2021-06-10")
    assert "--replaces" in books("disclose", "correction", "--year", "2021", "--package", "notice:1", expect=1).stderr
    assert "notice:1" in books("disclose", "publish", "--year", "2021", "--package", "notice:2", expect=1).stderr
    books("disclose", "annual", "--year", "2021")   # a notice published is not a package the ledger lost
    assert "differs" not in books("disclose", "annual", "--year", "2021").stderr
