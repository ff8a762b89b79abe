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
