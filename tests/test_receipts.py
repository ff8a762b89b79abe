"""Official donation receipts: stock, issue, void, gaps — at the command line, on a real ledger."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charitybook.errors import CharitybookError
from charitybook.receipt_numbers import number_at, parse_code, parse_number

CODE = "41010121"


@pytest.fixture
def book(cb):
    cb("add-donation", "--donor", "张三", "--amount", "12300", "--date", "2021-03-01", "--township", "城关街道", "--new-township")
    cb("add-donation", "--donor", "张三", "--goods", "大米", "--quantity", "10", "--unit", "袋", "--unit-value", "50",
       "--date", "2021-03-02")
    cb("add-donation", "--donor", "李四", "--amount", "100", "--date", "2021-03-02", "--township", "城关街道")
    cb("add-donation", "--donor", "张三", "--amount", "200", "--date", "2021-04-02")
    cb("receipt", "stock", "add", "--code", CODE, "--from", "0000001201", "--to", "0000001210", "--station", "城关街道",
       "--date", "2021-01-05")
    return cb


def issue(cb, *args, expect=0):
    return cb("receipt", "issue", *args, "--by", "张会计", "--date", "2021-04-05", expect=expect)


def test_stock_refuses_overlap_malformed_and_unknown_station(book):
    result = book("receipt", "stock", "add", "--code", CODE, "--from", "0000001209", "--to", "0000001220", expect=1)
    assert "0000001209–0000001210 are already in stock" in result.stderr
    assert "10 digits" in book("receipt", "stock", "add", "--code", CODE, "--from", "1209", "--to", "0000001220",
                               expect=1).stderr
    assert "8 digits" in book("receipt", "stock", "add", "--code", "4101012X", "--from", "0000002001",
                              "--to", "0000002010", expect=1).stderr
    assert "城关街道" in book("receipt", "stock", "add", "--code", CODE, "--from", "0000002001", "--to", "0000002010",
                             "--station", "城关街遒", expect=1).stderr
    book("receipt", "stock", "add", "--code", "41010122", "--from", "0000001209", "--to", "0000001220")   # other code
    [first, second] = book.json("receipt", "stock", "list")
    assert (first["holder"], first["on_hand"], second["holder"]) == ("城关街道", 10, "county office")


def test_range_issued_with_a_gap_and_a_void(book):
    assert "0000001201" in issue(book, "--donation", "2021-000001", "--reviewer", "李某").stdout  # the township's stock
    issue(book, "--donation", "2021-000003", "--code", CODE, "--number", "0000001204")          # 1202, 1203 left behind
    assert "already issued" in issue(book, "--donation", "2021-000004", "--code", CODE, "--number", "0000001204",
                                     expect=1).stderr
    assert "in no stock range" in issue(book, "--donation", "2021-000004", "--code", CODE, "--number", "0000009999",
                                        expect=1).stderr
    assert "0000001205" in issue(book, "--donation", "2021-000004", "--station", "城关街道").stdout  # after the highest
    book("receipt", "void", CODE, "0000001201", "--reason", "填写错误", "--date", "2021-04-06")
    assert "already voided" in book("receipt", "void", CODE, "0000001201", "--reason", "x", expect=1).stderr
    early = book("receipt", "void", CODE, "0000001203", "--reason", "空白票损毁", "--date", "2020-01-01", expect=1).stderr
    assert "would come before it" in early                                                       # not yet received
    book("receipt", "void", CODE, "0000001203", "--reason", "空白票损毁", "--date", "2021-04-06")    # a spoiled blank
    shown = book.json("receipt", "show", CODE, "0000001201")
    assert (shown["state"], shown["amount_in_words"], shown["reviewer"]) == ("voided", "壹万贰仟叁佰元整", "李某")
    # the voided gift can be receipted again, on a new number; the voided number is never reused
    assert "0000001206" in issue(book, "--donation", "2021-000001").stdout
    states = {(g["number"], g["state"]) for g in book.json("receipt", "gaps", "--year", "2021")}
    assert ("0000001201", "voided") in states and ("0000001203", "voided") in states
    assert ("0000001202", "skipped") in states and ("0000001207", "on_hand") in states
    assert not any(number in ("0000001204", "0000001205", "0000001206") for number, _ in states)
    assert [r["number"] for r in book.json("receipt", "list", "--state", "voided")] == ["0000001201"]


def test_aggregate_receipt_never_repeats_a_gift(book):
    issue(book, "--donation", "2021-000001")
    refused = issue(book, "--donation", "2021-000002", "--donation", "2021-000001", expect=1)
    assert "2021-000001 already has receipt 41010121 0000001201" in refused.stderr
    assert "one donor" in issue(book, "--donation", "2021-000002", "--donation", "2021-000003", expect=1).stderr
    result = book("receipt", "issue", "--donor", "张三", "--year", "2021", "--by", "张会计", "--station", "城关街道",
                  "--date", "2021-04-05")
    assert "2021-000002、2021-000004" in result.stdout and "left out: 2021-000001" in result.stderr
    shown = book.json("receipt", "show", CODE, "0000001202")
    assert shown["amount"] == "700.00" and [i["item"] for i in shown["items"]] == ["大米", "cash donation"]
    assert "no gift in 2021 without a receipt" in book("receipt", "issue", "--donor", "张三", "--year", "2021",
                                                       "--by", "张会计", expect=1).stderr


def test_donation_void_refused_while_its_receipt_stands(book):
    book("void", "3", "--reason", "录入错误", "--date", "2021-03-03")
    assert "was voided" in issue(book, "--donation", "2021-000003", expect=1).stderr
    issue(book, "--donation", "2021-000001")
    refused = book("void", "1", "--reason", "录入错误", expect=1)
    assert "receipt void 41010121 0000001201" in refused.stderr
    book("receipt", "void", CODE, "0000001201", "--reason", "捐赠撤回", "--date", "2021-04-06")
    book("void", "1", "--reason", "录入错误", "--date", "2021-04-06")


def test_receipt_not_dated_before_its_gift(book):
    assert "in advance" in book("receipt", "issue", "--donation", "2021-000004", "--by", "张会计", "--date", "2021-03-01",
                                expect=1).stderr


def test_gaps_json_shape(book):
    issue(book, "--donation", "2021-000001")
    gaps = book.json("receipt", "gaps", "--year", "2021")
    assert gaps[0] == {"code": CODE, "number": "0000001202", "state": "on_hand", "station": "城关街道", "donation": None}
    assert len(gaps) == 9
    assert book.json("receipt", "gaps", "--year", "2020") == []


# --- parsers and invariants ------------------------------------------------------------------

@given(st.text(max_size=14))
def test_code_parser_takes_exactly_eight_digits(text):
    try:
        parsed = parse_code(text)
    except CharitybookError:
        return
    assert len(parsed) == 8 and parsed.isascii() and parsed.isdigit()


@given(st.integers(0, 10**10 - 1))
def test_number_parser_keeps_leading_zeros(value):
    text = f"{value:010d}"
    assert parse_number(text) == text == number_at(text, 0)
    if value < 10**9:
        with pytest.raises(CharitybookError):
            parse_number(str(value))


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(["issue", "void", "skip"]), min_size=1, max_size=12))
def test_every_number_of_a_range_is_in_exactly_one_state(tmp_path_factory, actions):
    from tests.conftest import CB

    cb = CB(tmp_path_factory.mktemp("gaps") / "ledger.db")
    cb("init", "--name", "x")
    cb("receipt", "stock", "add", "--code", CODE, "--from", "0000000001", "--to", "0000000012", "--date", "2021-01-01")
    issued: set[str] = set()
    for n, action in enumerate(actions, start=1):
        number = f"{n:010d}"
        if action == "skip":
            continue
        cb("add-donation", "--donor", f"捐赠人{n}", "--amount", "10", "--date", "2021-02-01")
        cb("receipt", "issue", "--donation", _last(cb), "--code", CODE,
           "--number", number, "--by", "张", "--date", "2021-02-02")
        if action == "void":
            cb("receipt", "void", CODE, number, "--reason", "x", "--date", "2021-02-03")
        else:
            issued.add(number)
    listed = [g["number"] for g in cb.json("receipt", "gaps", "--year", "2021")]
    assert len(listed) == len(set(listed))
    assert sorted(set(listed) | issued) == [f"{n:010d}" for n in range(1, 13)]
    assert not set(listed) & issued


def _last(cb) -> str:
    return cb.json("list", "donations")[-1]["receipt_no"]


EXPORT = ("开具电子票据明细\n票据代码,票据号码,开票日期,交款人（捐赠人）,金额,状态,冲红原因\n"
          "32050124,0000817610,2021-03-02,张三,12300.00,正常,\n"
          "32050124,0000817611,2021-03-03,李四,100,冲红,金额有误\n"
          "32050124,0000817612,2021-03-03,王五,88,正常,\n")


def test_e_receipt_import_matches_and_lists_the_unmatched_on_both_sides(book, tmp_path):
    export = tmp_path / "电子票据.csv"
    export.write_text(EXPORT, encoding="utf-8")
    dry = book.json("receipt", "import", export, "--dry-run")
    assert [(m["number"], m["donation"], m["state"]) for m in dry["matched"]] == [
        ("0000817610", "2021-000001", "issued"), ("0000817611", "2021-000003", "voided")]
    assert [r["donor"] for r in dry["unmatched_receipts"]] == ["王五"]
    assert {d["donation"] for d in dry["unmatched_donations"]} == {"2021-000002"}
    assert book.json("receipt", "list") == []                                  # the dry run wrote nothing
    book("receipt", "import", export)
    again = book.json("receipt", "import", export)
    assert again["matched"] == [] and again["already_imported"] == 2 and not again["written"]
    listed = {r["number"]: r for r in book.json("receipt", "list")}
    assert listed["0000817611"]["state"] == "voided" and listed["0000817611"]["kind"] == "electronic"
    assert "already has receipt 32050124 0000817610" in issue(book, "--donation", "2021-000001", expect=1).stderr


def test_e_receipt_import_is_all_or_nothing(book, tmp_path):
    export = tmp_path / "电子票据.csv"
    export.write_text(EXPORT.replace("0000817612", "817612"), encoding="utf-8")
    refused = book("receipt", "import", export, expect=1)
    assert "row 5" in refused.stderr and "10 digits" in refused.stderr
    assert book.json("receipt", "list") == []


def test_draft_certificate_and_letter(book, tmp_path):
    issue(book, "--donation", "2021-000001", "--reviewer", "李某")
    draft = tmp_path / "草稿.xlsx"
    book("receipt", "draft", CODE, "0000001201", "--output", draft)
    from openpyxl import load_workbook

    sheet = load_workbook(draft).active
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("0000001201" in t for t in texts) and any("壹万贰仟叁佰元整" in t for t in texts)
    assert any("not an official receipt" in t for t in texts)
    assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4) and sheet.page_setup.fitToHeight == 1

    certificate = book.json("receipt", "certificate", "--donor", "张三", "--year", "2021")
    assert [(g["donation"], g["receipt"]) for g in certificate["gifts"]] == [
        ("2021-000001", "41010121 0000001201"), ("2021-000002", None), ("2021-000004", None)]
    assert certificate["total"] == "13000.00"
    text = book("receipt", "certificate", "--donor", "张三", "--year", "2021", "--lang", "zh").stdout
    assert "捐赠证明" in text and "41010121 0000001201" in text and "壹万叁仟元整" in text

    letters = book("receipt", "letter", "--above", "1000", "--year", "2021").stdout
    assert "Dear 张三" in letters and "李四" not in letters
    edited = tmp_path / "感谢信.md.j2"
    edited.write_text("致{{ donor }}：感谢您{{ year }}年捐赠 {{ total|yuan }} 元。\n", encoding="utf-8")
    assert book("receipt", "letter", "--donor", "李四", "--year", "2021", "--template", edited).stdout.strip() == \
        "致李四：感谢您2021年捐赠 100.00 元。"
    assert "did you mean 张三" in book("receipt", "letter", "--donor", "张山", expect=1).stderr
    # an edited (or a sent) template is sandboxed, and a broken one is one line, not a traceback
    for broken in ("{{ lipsum.__globals__ }}", "{{ donor | nosuchfilter }}", "{% for %}", "{{ ''.__class__.__mro__ }}"):
        edited.write_text(broken, encoding="utf-8")
        result = book("receipt", "letter", "--donor", "李四", "--year", "2021", "--template", edited, expect=None)
        assert result.exit_code == 1 and "Traceback" not in result.stderr and "__import__" not in result.stdout, broken
        assert "cannot be rendered" in result.stderr


def test_a_file_that_is_not_there_or_a_folder_is_one_line_in_the_runs_language(book, tmp_path):
    missing = book("receipt", "import", tmp_path / "没有.csv", expect=1).stderr
    assert "no such file or folder" in missing and "FileNotFoundError" not in missing
    folder = book("receipt", "draft", CODE, "0000001201", "--output", tmp_path, expect=1).stderr
    assert ("not a file" in folder or "no receipt" in folder) and "Error:" in folder and "IsADirectoryError" not in folder
    chinese = book("--lang", "zh", "receipt", "import", tmp_path / "没有.csv", expect=1).stderr
    assert "没有这个文件或文件夹" in chinese


def test_usage_mistakes_are_usage_errors_without_a_void_hint(book):
    assert "md or json" in book("receipt", "certificate", "--donor", "张三", "--year", "2021", "--format", "xlsx",
                                expect=2).stderr
    assert "--donation" in issue(book, "--donor", "张三", "--year", "2021", "--donation", "2021-000001", expect=2).stderr
    out = book("receipt", "letter", "--above", "-5", "--year", "2021", expect=2)
    assert "0 or more" in out.stderr and "void" not in out.stderr
    out = book("statement", "adjust", "--year", "2021", "--line", "存货", "--amount", "-5", expect=2)
    assert "--decrease" in out.stderr
