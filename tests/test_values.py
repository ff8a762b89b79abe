"""Option values in Chinese or English through the one vocabulary; codes shown by their label in
the run's language (JSON and CSV keep the codes); a name the ledger has not seen creates nothing."""

import csv
import io

import pytest
from conftest import CB
from openpyxl import Workbook

from charitybook.i18n import set_language
from charitybook.idnumbers import check_char


def make_id(body17):
    return body17 + check_char(body17)


ID_M = make_id("61100219800101123")   # sequence digit 3: male
ID_F = make_id("61100219750505222")   # 2: female


@pytest.fixture
def chinese(monkeypatch):
    """A Chinese run, as a clerk has it by default."""
    monkeypatch.setenv("CHARITYBOOK_LANG", "zh")
    set_language("zh")
    yield
    set_language("en")


def xlsx(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _money(cb, amount="100000"):
    cb("add-donation", "--donor", "某公司", "--amount", amount, "--date", "2021-01-02")


# --- Chinese and English option values -------------------------------------------------------

@pytest.mark.parametrize("written, code", [("现金", "cash"), ("银行转账", "bank"), ("网络募捐", "online"),
                                           ("cash", "cash"), ("BANK", "bank"), ("bank transfer", "bank"), ("转账", "bank")])
def test_channel_in_chinese_or_english(cb, written, code):
    cb("add-donation", "--donor", "王某", "--amount", "10", "--date", "2021-03-01", "--channel", written)
    assert [d["channel"] for d in cb.json("list", "donations")] == [code]


@pytest.mark.parametrize("written, code", [("慈善活动支出", "charitable"), ("管理费用", "management"),
                                           ("筹资费用", "fundraising"), ("management", "management")])
def test_purpose_in_chinese_or_english(cb, written, code):
    _money(cb)
    cb("add-disbursement", "--payee", "某", "--amount", "10", "--purpose", written, "--date", "2021-03-01")
    assert [d["purpose"] for d in cb.json("list", "disbursements", "--purpose", written)] == [code]


def test_fund_kinds_in_chinese(cb):
    cb("fund", "add", "甲基金", "--kind", "限定性")
    cb("fund", "add", "乙基金", "--kind", "冠名", "--sponsor", "王某")
    cb("fund", "add", "丙基金", "--kind", "留本")
    kinds = {f["fund"]: f["kind"] for f in cb.json("fund", "list")}
    assert (kinds["甲基金"], kinds["乙基金"], kinds["丙基金"]) == ("restricted", "named", "endowment")
    result = cb("fund", "add", "丁基金", "--kind", "非限定性", expect=2)  # the general fund is never added
    assert "--kind" in result.stderr and "restricted" in result.stderr


def test_count_by_status_holiday_category_and_hardship_in_chinese(cb):
    _money(cb)
    cb("relief", "give", "--holiday", "中秋节", "--name", "张三", "--id-number", ID_M, "--no-id", "x", "--cash", "100",
       "--count-by", "人", "--hardship-type", "低保", "--date", "2021-09-20")
    [gift] = cb.json("relief", "list", "--holiday", "中秋慰问")
    assert gift["holiday"] == "中秋"
    assert "persons" in cb("relief", "give", "--holiday", "中秋", "--name", "李四", "--id-number", ID_F, "--cash", "100",
                           "--count-by", "household", "--date", "2021-09-20", expect=1).stderr
    assert cb.json("beneficiary", "list")[0]["hardship_type"] == "低保户"
    cb("case", "open", "--name", "张三", "--id-number", ID_M, "--category", "医疗救助", "--amount", "500", "--reason", "x",
       "--date", "2021-03-01")
    cb("case", "approve", "1", "--amount", "300", "--date", "2021-03-02")
    [case] = cb.json("case", "list", "--status", "已批准", "--category", "助医")
    assert case["status"] == "approved" and case["category"] == "助医"
    assert cb.json("case", "list", "--status", "待审核") == []


def test_own_holiday_and_category_are_kept_as_written(cb):
    _money(cb)
    cb("add-disbursement", "--payee", "办公室", "--amount", "10", "--purpose", "管理费用", "--category", "办公", "--date", "2021-03-01")
    assert cb.json("list", "disbursements")[0]["category"] == "办公"
    cb("relief", "give", "--holiday", "建党节慰问", "--name", "张三", "--id-number", ID_M, "--cash", "50", "--date", "2021-07-01")
    assert cb.json("relief", "list")[0]["holiday"] == "建党节慰问"


def test_donor_type_org_type_and_platform_in_chinese_or_english(cb, tmp_path):
    cb("add-donation", "--donor", "王某", "--amount", "10", "--date", "2021-03-01", "--donor-type", "enterprise")
    cb("add-donation", "--donor", "李某", "--amount", "10", "--date", "2021-03-01", "--platform", "支付宝")
    donations = cb.json("list", "donations")
    assert [d["platform"] for d in donations] == [None, "支付宝公益"]
    assert {d["name"]: d["type"] for d in cb.json("list", "donors")}["王某"] == "企业"
    cb("config", "--org-type", "基金会")
    assert "foundation" in cb("config").stdout
    other = CB(tmp_path / "other.db")
    other("init", "--name", "某基金会", "--org-type", "Foundation")
    assert "foundation" in other("config").stdout


def test_import_options_in_chinese(cb, tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["捐赠人", "金额", "日期"], ["王某", 10, "2021-09-07"]])
    cb("import", "donations", path, "--channel", "银行转账")
    assert cb.json("list", "donations")[0]["channel"] == "bank"
    cb("add-donation", "--donor", "某公司", "--amount", "1000", "--date", "2021-01-02")
    roster = xlsx(tmp_path / "r.xlsx", [["姓名", "身份证号", "慰问金"], ["张三", ID_M, 100]])
    cb("import", "relief", roster, "--holiday", "重阳节", "--count-by", "人", "--date", "2021-10-14")
    assert cb.json("relief", "list")[0]["holiday"] == "重阳"


# --- a value that is not a term --------------------------------------------------------------

BAD = [
    ("add-donation", "--donor", "王某", "--amount", "10", "--channel", "现钞"),
    ("add-donation", "--donor", "王某", "--amount", "10", "--donor-type", "外星人"),
    ("add-disbursement", "--payee", "某", "--amount", "10", "--purpose", "慈善"),
    ("fund", "add", "甲基金", "--kind", "普通"),
    ("relief", "give", "--holiday", "春节", "--name", "张三", "--cash", "1", "--count-by", "家"),
    ("case", "list", "--status", "已完成"),
    ("config", "--org-type", "公司"),
    ("list", "disbursements", "--purpose", "办公"),
    ("import", "donations", "missing.xlsx", "--channel", "支票"),
    ("import", "relief", "missing.xlsx", "--holiday", "春节", "--count-by", "村"),
]


@pytest.mark.parametrize("args", BAD, ids=[f"{a[0]} {a[1]} {a[-2]}" for a in BAD])
def test_a_value_that_is_not_a_term_exits_2_naming_option_value_and_choices(cb, args):
    result = cb(*args, expect=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    option, value = args[-2], args[-1]
    assert option in lines[0] and value in lines[0] and "give one of" in lines[0]
    assert cb.json("list", "donations") == []


def test_the_accepted_values_are_listed_in_the_run_s_language(cb, chinese):
    result = cb("add-donation", "--donor", "王某", "--amount", "10", "--channel", "现钞", expect=2)
    assert "现金 (cash), 银行转账 (bank), 网络募捐 (online), 其他 (other)" in result.stderr


def test_help_lists_the_values_in_chinese(cb, chinese):
    text = " ".join(cb("add-donation", "--help").stdout.split())
    assert "现金 (cash), 银行转账 (bank), 网络募捐 (online), 其他 (other)" in text
    assert "{values}" not in text
    text = " ".join(cb("fund", "add", "--help").stdout.split())
    assert "限定性 (restricted), 冠名基金 (named), 留本基金 (endowment)" in text and "非限定性" not in text
    assert "户 (household), 人 (person)" in " ".join(cb("relief", "give", "--help").stdout.split())


def test_help_lists_the_values_in_english(cb):
    text = " ".join(cb("add-donation", "--help").stdout.split())
    assert "cash, bank, online, other" in text and "现金" not in text.split("--platform")[0]
    assert "individual (个人), enterprise (企业)" in text
    text = " ".join(cb("case", "list", "--help").stdout.split())
    assert "open, approved, rejected, paying, closed" in text
    text = " ".join(cb("relief", "give", "--help").stdout.split())
    assert "Spring Festival (春节)" in text and "or your own" in text


# --- values shown in the run's language --------------------------------------------------------

def _a_little_of_everything(cb):
    cb("fund", "add", "助学基金", "--kind", "restricted")
    cb("add-donation", "--donor", "王某", "--amount", "1000", "--date", "2021-03-01", "--channel", "bank")
    cb("add-disbursement", "--payee", "李某", "--amount", "100", "--purpose", "charitable", "--category", "助学",
       "--date", "2021-03-02")
    cb("beneficiary", "add", "--name", "刘某", "--id-number", ID_F)
    cb("case", "open", "--name", "刘某", "--id-number", ID_F, "--category", "助困", "--amount", "100", "--reason", "x",
       "--date", "2021-03-03")
    cb("case", "approve", "1", "--amount", "100", "--date", "2021-03-04")
    cb("case", "pay", "1", "--amount", "50", "--date", "2021-03-05")


def test_tables_show_labels_in_chinese_and_json_and_csv_keep_codes(cb, chinese):
    _a_little_of_everything(cb)
    funds = cb("fund", "list").stdout
    assert "限定性" in funds and "restricted" not in funds and "非限定性" in funds
    assert "限定性" in cb("balance").stdout
    people = cb("beneficiary", "list").stdout
    assert "女" in people and "female" not in people
    cases = cb("case", "list").stdout
    assert "发放中" in cases and "paying" not in cases
    out = cb("list", "disbursements").stdout
    assert "慈善活动支出" in out and "charitable" not in out
    out = cb("list", "donations", "--all").stdout
    assert "个人" in cb("list", "donors").stdout
    assert cb.json("fund", "list")[1]["kind"] == "restricted"
    assert cb.json("beneficiary", "list")[0]["gender"] == "female"
    assert cb.json("case", "list")[0]["status"] == "paying"
    assert cb.json("list", "disbursements")[0]["purpose"] == "charitable"
    rows = list(csv.DictReader(io.StringIO(cb("list", "donations", "--format", "csv").stdout.lstrip("\ufeff"))))
    assert rows[0]["channel"] == "bank"
    rows = list(csv.DictReader(io.StringIO(cb("fund", "list", "--format", "csv").stdout.lstrip("\ufeff"))))
    assert rows[1]["kind"] == "restricted"


def test_show_gives_labels_in_chinese_and_json_codes(cb, chinese):
    _a_little_of_everything(cb)
    shown = cb("show", "1").stdout
    assert "银行转账" in shown and "捐赠收入" in shown and "bank" not in shown and "donation" not in shown
    assert cb.json("show", "1")["channel"] == "bank" and cb.json("show", "1")["kind"] == "donation"
    shown = cb("show", "2").stdout
    assert "慈善活动支出" in shown and "charitable" not in shown
    shown = cb("case", "show", "1").stdout
    assert "发放中" in shown and "已批准" in shown and "paying" not in shown
    assert cb.json("case", "show", "1")["status"] == "paying"
    assert "女" in cb("beneficiary", "show", "1").stdout


def test_written_lines_give_labels_in_chinese(cb, chinese):
    assert "限定性" in cb("fund", "add", "助学基金").stdout
    assert "个人" in cb("add-donation", "--donor", "王某", "--amount", "1000", "--date", "2021-03-01").stdout
    out = cb("add-disbursement", "--payee", "李某", "--amount", "10", "--purpose", "management", "--date", "2021-03-02").stdout
    assert "管理费用" in out and "management" not in out


def test_tables_show_english_labels_in_english(cb):
    _a_little_of_everything(cb)
    assert "restricted" in cb("fund", "list").stdout and "│ 限定性" not in cb("fund", "list").stdout
    assert "female" in cb("beneficiary", "list").stdout
    assert "paying" in cb("case", "list").stdout


# --- a name the ledger has not seen ------------------------------------------------------------

def _project(cb):
    cb("add-donation", "--donor", "王某", "--amount", "1000", "--date", "2021-03-01", "--project", "朝阳助学", "--new-project")


def test_a_typo_in_a_project_opens_no_fund(cb):
    _project(cb)
    result = cb("add-donation", "--donor", "李某", "--amount", "10", "--date", "2021-03-02", "--project", "朝阳朱学", expect=1)
    assert "朝阳朱学" in result.stderr and "did you mean 朝阳助学?" in result.stderr and "--new-project" in result.stderr
    assert [f["fund"] for f in cb.json("fund", "list")] == ["非限定性基金", "朝阳助学"]
    assert len(cb.json("list", "donations")) == 1
    cb("add-donation", "--donor", "李某", "--amount", "10", "--date", "2021-03-02", "--project", "朝阳助学")
    cb("add-pledge", "--donor", "赵某", "--amount", "10", "--date", "2021-03-02", "--project", "朝阳朱学", expect=1)
    cb("add-pledge", "--donor", "赵某", "--amount", "10", "--date", "2021-03-02", "--project", "春蕾计划", "--new-project")
    assert [f["fund"] for f in cb.json("fund", "list")] == ["非限定性基金", "朝阳助学", "春蕾计划"]


def test_a_first_project_needs_the_clerk_s_word(cb):
    result = cb("add-donation", "--donor", "李某", "--amount", "10", "--date", "2021-03-02", "--project", "朝阳助学", expect=1)
    assert "knows none yet" in result.stderr and "--new-project" in result.stderr
    assert len(cb.json("fund", "list")) == 1


def test_paying_from_a_mistyped_project_or_fund_names_the_closest(cb):
    _project(cb)
    cb("fund", "add", "张氏留本助学基金", "--kind", "endowment")
    result = cb("add-disbursement", "--payee", "某", "--amount", "10", "--purpose", "charitable", "--project", "朝阳主学",
                "--date", "2021-03-02", expect=1)
    assert "did you mean 朝阳助学?" in result.stderr
    result = cb("add-income", "--amount", "10", "--fund", "张氏留本助学基金会", "--date", "2021-03-02", expect=1)
    assert "did you mean 张氏留本助学基金?" in result.stderr and "fund add" in result.stderr
    result = cb("transfer", "--from", "朝阳助学", "--to", "全然不同", "--amount", "1", "--date", "2021-03-02", expect=1)
    assert "全然不同" in result.stderr and "张氏留本助学基金" in result.stderr  # nothing close: what it knows


def test_a_typo_in_a_township_starts_no_township(cb):
    cb("add-donation", "--donor", "王某", "--amount", "1000", "--date", "2021-03-01", "--township", "城关街道", "--new-township")
    result = cb("add-donation", "--donor", "李某", "--amount", "10", "--date", "2021-03-02", "--township", "城关街遒", expect=1)
    assert "did you mean 城关街道?" in result.stderr and "--new-township" in result.stderr
    for args in (("add-disbursement", "--payee", "某", "--amount", "1", "--purpose", "charitable"),
                 ("beneficiary", "add", "--name", "张三", "--id-number", ID_M),
                 ("case", "open", "--name", "张三", "--id-number", ID_M, "--category", "助医", "--amount", "1", "--reason", "x"),
                 ("relief", "give", "--holiday", "春节", "--name", "张三", "--id-number", ID_M, "--cash", "1")):
        result = cb(*args, "--township", "城关街遒", "--date", "2021-03-02", expect=1) if args[0] != "beneficiary" else \
            cb(*args, "--township", "城关街遒", expect=1)
        assert "did you mean 城关街道?" in result.stderr, args
    assert cb.json("beneficiary", "list") == [] and len(cb.json("list", "disbursements")) == 0
    cb("beneficiary", "add", "--name", "张三", "--id-number", ID_M, "--township", "城关街道")
    cb("beneficiary", "add", "--name", "李四", "--id-number", ID_F, "--township", "大赵峪街道", "--new-township")
    assert sorted(b["township"] for b in cb.json("beneficiary", "list")) == ["城关街道", "大赵峪街道"]


def test_import_defaults_are_checked_before_anything_is_read(cb, tmp_path):
    _project(cb)
    path = xlsx(tmp_path / "a.xlsx", [["捐赠人", "金额", "日期"], ["王某", 10, "2021-09-07"]])
    result = cb("import", "donations", path, "--project", "朝阳朱学", "--dry-run", expect=1)
    assert "did you mean 朝阳助学?" in result.stderr
    result = cb("import", "donations", path, "--township", "北宽坪", expect=1)
    assert "北宽坪" in result.stderr and "--new-township" in result.stderr
    assert len(cb.json("list", "donations")) == 1 and cb.json("import", "batches") == []
    cb("import", "donations", path, "--township", "北宽坪镇", "--new-township", "--project", "朝阳助学")
    assert cb.json("list", "donations")[-1]["township"] == "北宽坪镇"
    roster = xlsx(tmp_path / "r.xlsx", [["姓名", "身份证号", "慰问金"], ["张三", ID_M, 10]])
    result = cb("import", "relief", roster, "--holiday", "春节", "--date", "2021-03-05", "--township", "北宽平镇",
                "--project", "朝阳助学", expect=1)
    assert "did you mean 北宽坪镇?" in result.stderr
    cb("import", "relief", roster, "--holiday", "春节", "--date", "2021-03-05", "--township", "北宽坪镇", "--project", "朝阳助学")
    assert cb.json("relief", "list")[0]["township"] == "北宽坪镇"


def test_townships_inside_a_file_name_registered_stations(cb, tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["捐赠人", "金额", "日期", "乡镇"], ["王某", 10, "2021-09-07", "北宽坪镇"]])
    assert "station add 北宽坪镇" in cb("import", "donations", path, expect=1).stderr   # a file never starts a station
    cb("station", "add", "北宽坪镇")
    cb("import", "donations", path)
    assert cb.json("list", "donations")[0]["township"] == "北宽坪镇"
