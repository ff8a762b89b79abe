"""Reports fit to hand out: the Excel workbook's print set-up, titles, number formats and fonts
(through openpyxl), its page count (through LibreOffice, when installed), and Markdown charts that
Mermaid 9.4 can draw."""

import datetime as dt
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from test_reports import sample  # noqa: F401  (the demo ledger, built once per module)

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def annual_xlsx(sample, tmp_path_factory):  # noqa: F811
    out = tmp_path_factory.mktemp("xlsx") / "annual-2021.xlsx"
    sample("report", "annual", "--year", "2021", "--format", "xlsx", "--output", out, "--lang", "zh")
    return out


def _load(path):
    import openpyxl

    return openpyxl.load_workbook(path)


def test_every_sheet_is_set_up_for_a4_fit_to_width_with_repeated_headers(annual_xlsx):
    workbook = _load(annual_xlsx)
    assert len(workbook.worksheets) >= 10
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert setup.paperSize == 9, sheet.title  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.print_title_rows.replace("$", "") == "1:3", sheet.title  # title lines and header
        assert "&P" in sheet.oddFooter.center.text
    # landscape where the table is wide (eight columns of amounts), portrait where it is not
    assert workbook["基金"].page_setup.orientation == "landscape"
    assert workbook["按渠道"].page_setup.orientation == "portrait"
    assert workbook["概况"].page_setup.orientation == "portrait"


def test_every_sheet_names_the_association_report_year_and_when_made(annual_xlsx):
    before = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    for sheet in _load(annual_xlsx).worksheets:
        assert sheet["A1"].value == "商州区慈善协会　2021年度工作报告", sheet.title
        assert sheet["A2"].value == sheet.title or sheet.title.startswith(sheet["A2"].value[:28])
        made = [c.value for c in sheet[2] if isinstance(c.value, str) and c.value.startswith("制表时间：")]
        assert len(made) == 1, sheet.title
        stamp = dt.datetime.strptime(made[0].removeprefix("制表时间："), "%Y-%m-%d %H:%M")
        assert before <= stamp <= dt.datetime.now(), made


def test_one_cjk_font_on_every_cell(annual_xlsx):
    workbook = _load(annual_xlsx)
    fonts = {c.font.name for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row
             if c.value is not None or c.has_style}
    assert fonts == {"宋体"}
    assert workbook._fonts[0].name == "宋体"  # the Normal style too: what a clerk types in matches


def test_ratios_are_percent_numbers_in_reading_order(annual_xlsx):
    sheet = _load(annual_xlsx)["支出比例"]
    assert [c.value for c in sheet[3]] == ["指标", "实际（元）", "基数（元）", "比例", "结论"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=4) if row[0].value}
    management = rows["管理费用 ≤ 当年总支出的 13%"]
    assert management[1].value == 8000 and management[2].value == 22000
    assert Decimal(str(management[3].value)) == Decimal("0.3636") and management[3].number_format == "0.00%"
    assert management[4].value == "不适用"
    assert rows["慈善活动支出"][1].value == 12800 and rows["慈善活动支出"][1].number_format == '"¥"#,##0.00'
    assert any(str(v.value).startswith("注：") for v in sheet["A"] if v.value)


def test_a_breach_is_red_in_the_workbook(cb, tmp_path):
    for year in (2020, 2021):
        cb("add-donation", "--donor", "某公司", "--amount", "1000000", "--date", f"{year}-01-05")
    cb("add-disbursement", "--payee", "李某", "--amount", "100000", "--purpose", "charitable", "--category", "助困", "--date", "2021-03-01")
    out = tmp_path / "c.xlsx"
    cb("report", "compliance", "--year", "2021", "--format", "xlsx", "--output", out, "--lang", "zh")
    sheet = _load(out).worksheets[0]
    [breach] = [row for row in sheet.iter_rows(min_row=4) if row[0].value == "慈善活动支出 ≥ 上年总收入的 70%"]
    assert breach[3].value == pytest.approx(0.1) and breach[3].number_format == "0.00%"
    assert breach[4].value == "未达标" and breach[4].font.b and breach[4].font.color.rgb.endswith("C00000")


def test_the_first_sheet_holds_the_headline_figures(annual_xlsx):
    workbook = _load(annual_xlsx)
    sheet = workbook.worksheets[0]
    assert sheet.title == "概况"
    lines = {row[0].value: row for row in sheet.iter_rows(min_row=4)}
    received = lines["募集款物合计"]
    assert received[1].value == Decimal("423602.09") or received[1].value == pytest.approx(423602.09)
    assert received[1].number_format == '"¥"#,##0.00'
    assert received[2].value == 38 and received[2].number_format == '#,##0 "笔"'
    assert lines["2021 春节慰问"][2].value == 7 and lines["2021 春节慰问"][2].number_format == '#,##0 "户"'
    assert lines["管理费用 ≤ 当年总支出的 13%"][1].number_format == "0.00%"
    assert lines["各基金期末现金合计"][1].value == pytest.approx(574882.09)


def test_charts_sit_under_their_tables(annual_xlsx):
    for name in ("按月", "救助"):
        sheet = _load(annual_xlsx)[name]
        [chart] = sheet._charts
        anchor = chart.anchor._from  # zero-based
        assert anchor.col == 0 and anchor.row + 1 > _table_end(sheet) + 1


def _table_end(sheet) -> int:
    return max(c.row for row in sheet.iter_rows() for c in row if c.value is not None)


def test_english_workbook(sample, tmp_path):  # noqa: F811
    out = tmp_path / "en.xlsx"
    sample("report", "annual", "--year", "2021", "--format", "xlsx", "--output", out, "--lang", "en")
    workbook = _load(out)
    assert workbook.sheetnames[0] == "Summary" and "Ratios" in workbook.sheetnames
    sheet = workbook["Ratios"]
    assert sheet["A1"].value == "商州区慈善协会　Annual report 2021"
    assert any(isinstance(c.value, str) and c.value.startswith("Made ") for c in sheet[2])
    assert [c.value for c in sheet[3]] == ["Rule", "Actual (yuan)", "Base (yuan)", "Ratio", "Result"]
    assert workbook["Relief"]["A4"].value == "medical"
    lines = {row[0].value: row for row in workbook["Summary"].iter_rows(min_row=4)}
    assert lines["Pledges outstanding"][2].value == 1
    assert lines["Pledges outstanding"][2].number_format == '[=1]0 "gift";#,##0 "gifts"'  # "1 gift", "38 gifts"


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("kind", ["annual", "holiday"])
def test_workbook_prints_about_a_page_per_sheet(sample, tmp_path, kind):  # noqa: F811
    out = tmp_path / f"{kind}.xlsx"
    sample("report", kind, "--year", "2021", "--format", "xlsx", "--output", out, "--lang", "zh")
    profile = tmp_path / "lo-profile"  # its own profile: another soffice running does not get in the way
    result = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(tmp_path), str(out)], capture_output=True, text=True, timeout=180)
    pdf = tmp_path / f"{kind}.pdf"
    assert pdf.exists(), result.stdout + result.stderr
    sheets = len(_load(out).worksheets)
    assert _pages(pdf) <= sheets + 2, (_pages(pdf), sheets)


# --- Markdown: charts Mermaid 9.4 draws -------------------------------------------------------

MERMAID_9_TYPES = ("pie", "graph", "flowchart", "sequenceDiagram", "classDiagram", "stateDiagram", "erDiagram", "gantt",
                   "journey", "gitGraph", "mindmap", "timeline", "quadrantChart")


def _mermaid_blocks(md: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", md, flags=re.S)


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.glob("*.md")))
def test_markdown_charts_are_mermaid_9(name):
    """Only chart types Mermaid 9.4 has; a pie's slices are positive with two decimals at most."""
    for block in _mermaid_blocks((GOLDEN / name).read_text(encoding="utf-8")):
        kind = block.split()[0]
        assert kind in MERMAID_9_TYPES and not kind.endswith("-beta"), block
        if kind == "pie":
            for value in re.findall(r'^\s*"[^"]*"\s*:\s*(\S+)\s*$', block, flags=re.M):
                assert re.fullmatch(r"\d+(\.\d{1,2})?", value) and Decimal(value) > 0, block


def test_the_month_section_reads_without_mermaid():
    md = (GOLDEN / "annual-2021.zh.md").read_text(encoding="utf-8")
    assert "xychart" not in md
    assert "| 2021-09 | 28 | 204,782.09 | 4,920.00 | 209,702.09 | ██████████ 49.50% |" in md


def test_a_pie_leaves_out_empty_slices():
    from charitybook.reports.markdown import render

    context = json.loads((GOLDEN / "annual-2021.json").read_text(encoding="utf-8"))
    context["receipts"]["by_donor_type"].append({"donor_type": "匿名X", "count": 0, "cash": "0.00", "goods": "0.00", "amount": "0.00"})
    context["relief"]["by_category"] = [dict(row, amount="0.00") for row in context["relief"]["by_category"]]
    md = render(context, "zh", [])
    blocks = _mermaid_blocks(md)
    assert len(blocks) == 1 and "匿名X" not in blocks[0]  # the relief pie had nothing to draw
    assert "| 匿名X | 0 |" in md                           # the table still lists it


def test_report_words_follow_the_language():
    from charitybook.i18n import language, set_language
    from charitybook.reports.markdown import render

    context = json.loads((GOLDEN / "annual-2021.json").read_text(encoding="utf-8"))
    before = language()
    try:
        set_language("zh")
        zh = render(context, None, [])   # no language given: the run's
        set_language("en")
        en = render(context, None, [])
    finally:
        set_language(before)
    assert "| 渠道 | 笔数 | 金额（元） |" in zh and "## 一、善款募集" in zh and "| 个人 |" in zh
    assert "| Channel | Count | Amount (yuan) |" in en and "## 1. Receipts" in en and "| individual |" in en


def _long_sheet(tmp_path, rows: int) -> tuple[Path, object]:
    from openpyxl import Workbook

    from charitybook.reports.sheets import COUNT, MONEY, TEXT, Heading, Section, write_section

    workbook = Workbook()
    workbook.remove(workbook.active)
    section = Section("按乡镇", [("乡镇（街道）", TEXT), ("笔数", COUNT), ("金额（元）", MONEY)],
                      [[f"第{i}乡镇", i, f"{i * 100}.00"] for i in range(1, rows + 1)], chart="bar")
    write_section(workbook, section, Heading("某慈善协会", "2021年度工作报告", "制表时间：2021-12-31 09:00", "合计", "&P / &N"), "按乡镇")
    path = tmp_path / f"long{rows}.xlsx"
    workbook.save(path)
    return path, workbook["按乡镇"]


def test_a_chart_that_would_cross_a_page_end_starts_a_new_page(tmp_path):
    _path, short = _long_sheet(tmp_path, 5)
    assert not short.row_breaks.brk                        # a short table keeps its chart on its page
    path, long = _long_sheet(tmp_path, 40)
    [brk] = long.row_breaks.brk
    [chart] = long._charts
    assert chart.anchor == f"A{brk.id + 1}"                # the page breaks after the row above the chart
    assert brk.id > 3 + 40 + 1                            # and below the table and its total
    if shutil.which("soffice"):
        profile = tmp_path / "lo-profile"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), str(path)], capture_output=True, timeout=180)
        assert _pages(tmp_path / "long40.pdf") == 2       # the table on one page, the whole chart on the next
