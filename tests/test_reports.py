"""Reports on the sample ledger (golden files), hostile names and ID leaks in every format.

Regenerate the golden files after an intended change with CHARITYBOOK_UPDATE_GOLDEN=1.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CB, FULL_ID

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CHARITYBOOK_UPDATE_GOLDEN") == "1"


@pytest.fixture(autouse=True)
def reports_in_chinese(monkeypatch):
    """Reports are read in Chinese: these tests check the Chinese report unless they say --lang en."""
    monkeypatch.setenv("CHARITYBOOK_LANG", "zh")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The demo ledger, built by the same script `make demo` runs."""
    folder = tmp_path_factory.mktemp("demo")
    bindir = folder / "bin"
    bindir.mkdir()
    launcher = bindir / "charitybook"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m charitybook "$@"\n')
    launcher.chmod(0o755)
    env = {**os.environ, "PATH": f"{bindir}:{os.environ['PATH']}"}
    result = subprocess.run(["sh", str(ROOT / "sample_data" / "demo.sh"), str(folder / "out")], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return CB(folder / "out" / "charitybook.db")


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {name}: run with CHARITYBOOK_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


@pytest.mark.parametrize("kind,extra", [("annual", []), ("holiday", []), ("compliance", []), ("funds", []),
                                        ("donor", ["--donor", "商州区教育局"]), ("station", [])])
def test_golden_markdown_and_json(sample, kind, extra):
    for lang in ("zh", "en"):
        golden(f"{kind}-2021.{lang}.md", sample("report", kind, "--year", "2021", "--lang", lang, *extra).stdout)
    golden(f"{kind}-2021.json", sample("report", kind, "--year", "2021", "--format", "json", *extra).stdout)


def test_annual_json_contract(sample):
    data = json.loads(sample("report", "annual", "--year", "2021", "--format", "json").stdout)
    assert {"association", "year", "receipts", "relief", "funds", "compliance"} <= set(data)
    receipts = data["receipts"]
    assert {"total", "cash", "goods", "online", "count", "by_channel"} <= set(receipts)
    assert re.fullmatch(r"\d+\.\d\d", receipts["total"]) and isinstance(receipts["count"], int)
    assert {"category", "recipients", "amount"} <= set(data["relief"]["by_category"][0])
    assert "节日慰问" in [row["category"] for row in data["relief"]["by_category"]]
    spring = data["relief"]["holidays"][0]
    assert spring["holiday"] == "春节" and spring["unit"] == "household" and spring["recipients"] == 7
    assert spring["cash"] == "2100.00" and spring["by_township"]
    holiday = json.loads(sample("report", "holiday", "--year", "2021", "--format", "json", "--holiday", "春节").stdout)
    assert holiday["holidays"][0] == spring


def test_golden_xlsx(sample, tmp_path):
    import openpyxl

    out = tmp_path / "annual.xlsx"
    sample("report", "annual", "--year", "2021", "--format", "xlsx", "--output", out)
    workbook = openpyxl.load_workbook(out)
    dump = {}
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A4"  # below the two title lines and the header row
        dump[sheet.title] = [[MADE.sub("制表时间：…", str(c.value)) if c.value is not None else None for c in row]
                             for row in sheet.iter_rows()]
        for row in sheet.iter_rows(min_row=4):
            for c in row:
                if isinstance(c.value, (int, float)):
                    assert c.number_format in ('"¥"#,##0.00', "0.00%") or c.number_format.startswith("#,##0"), c.number_format
    assert len(workbook["按月"]._charts) == 1 and len(workbook["救助"]._charts) == 1
    golden("annual-2021.xlsx.json", json.dumps(dump, ensure_ascii=False, indent=1) + "\n")


MADE = re.compile(r"制表时间：\d{4}-\d\d-\d\d \d\d:\d\d")


def test_xlsx_needs_output_and_template_override(sample, tmp_path):
    sample("report", "annual", "--format", "xlsx", expect=2)
    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "holiday.md.j2").write_text("自定义：{{ association }} {{ holidays|length }}\n", encoding="utf-8")
    assert sample("report", "holiday", "--year", "2021", "--template-dir", custom).stdout == "自定义：商州区慈善协会 1\n"


def test_templates_folder_beside_the_ledger_overrides(cb):
    beside = cb.db.parent / "templates"
    beside.mkdir()
    (beside / "compliance.md.j2").write_text("本会自己的措辞：{{ year }}\n", encoding="utf-8")
    assert cb("report", "compliance", "--year", "2021").stdout == "本会自己的措辞：2021\n"
    assert cb("report", "holiday", "--year", "2021").stdout.startswith("# 商州区慈善协会")  # others still shipped


def test_compliance_flags_a_breach_and_missing_history(cb):
    for year in (2020, 2021):
        cb("add-donation", "--donor", "某公司", "--amount", "1000000", "--date", f"{year}-01-05")
    cb("add-disbursement", "--payee", "李某", "--amount", "100000", "--purpose", "charitable", "--category", "助困", "--date", "2021-03-01")
    cb("add-disbursement", "--payee", "办公室", "--amount", "250000", "--purpose", "management", "--date", "2021-03-02")
    checks = {c["rule"]: c for c in json.loads(cb("report", "compliance", "--year", "2021", "--format", "json").stdout)["compliance"]["checks"]}
    assert checks["charitable_vs_previous_income"]["status"] == "breach"
    assert checks["charitable_vs_previous_income"]["percent"] == "10.00"
    assert checks["charitable_vs_three_year_income"]["status"] == "not enough history"
    assert checks["management_vs_total_spending"]["status"] == "breach"
    assert "⚠ 未达标" in cb("report", "compliance", "--year", "2021").stdout
    cb("config", "--org-type", "foundation")
    data = json.loads(cb("report", "compliance", "--year", "2021", "--format", "json").stdout)["compliance"]
    assert data["org_type"] == "foundation" and data["checks"][2]["threshold_percent"] == "10"


def test_compliance_with_three_years_of_history_averages_them(cb):
    """The three-year base is an average of fen that need not divide by three: it is rounded to
    the fen and the report is made in every format (a crash here once stopped every annual report
    of a ledger with history)."""
    for year, amount in ((2018, "100000.01"), (2019, "200000"), (2020, "300000"), (2021, "50000")):
        cb("add-donation", "--donor", "某公司", "--amount", amount, "--date", f"{year}-01-05")
    cb("add-disbursement", "--payee", "李某", "--amount", "30000", "--purpose", "charitable", "--category", "助困", "--date", "2021-03-01")
    checks = {c["rule"]: c for c in json.loads(cb("report", "compliance", "--year", "2021", "--format", "json").stdout)["compliance"]["checks"]}
    three = checks["charitable_vs_three_year_income"]
    assert three["status"] != "not enough history" and three["base"] == "200000.00"   # 600,000.01 / 3, to the fen
    for fmt in ("md", "json"):
        cb("report", "annual", "--year", "2021", "--format", fmt)


HOSTILE = ['=HYPERLINK("http://evil.example","点我")', "+1", "-2+3", "@SUM(A1)", "a|b|c", "第一行\n第二行",
           "<script>alert(1)</script>", "铃\x07声", "[b]粗[/]", "`code` *x* _y_"]


def test_hostile_names_in_every_format(cb, tmp_path):
    import openpyxl

    for i, name in enumerate(HOSTILE):
        cb("add-donation", "--donor", name, "--amount", str(100 + i), "--date", "2021-05-01", "--township", name, "--new-township")
    md = cb("report", "annual", "--year", "2021").stdout
    assert_tables_intact(md)
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "第一行 第二行" in md
    data = json.loads(cb("report", "annual", "--year", "2021", "--format", "json").stdout)
    # cleaned where they entered: a line break is a space, a BEL is gone
    assert {d["donor"] for d in data["receipts"]["top_donors"]} == {" ".join(n.replace("\x07", "").split()) for n in HOSTILE}
    out = tmp_path / "h.xlsx"
    cb("report", "annual", "--year", "2021", "--format", "xlsx", "--output", out)
    workbook = openpyxl.load_workbook(out)
    found = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    assert "\x07" not in c.value
                    found.add(c.value)
    assert '=HYPERLINK("http://evil.example","点我")' in found and "+1" in found and "铃声" in found


def test_no_id_number_in_any_report(sample, tmp_path):
    texts = []
    for kind, extra in (("annual", []), ("holiday", []), ("compliance", []), ("funds", []), ("donor", ["--donor", "刘某"])):
        for fmt in ("md", "json"):
            texts.append(sample("report", kind, "--year", "2021", "--format", fmt, *extra).stdout)
        out = tmp_path / f"{kind}.xlsx"
        sample("report", kind, "--year", "2021", "--format", "xlsx", "--output", out, *extra)
        texts.append(_xlsx_text(out))
    text = "\n".join(texts)
    assert not FULL_ID.search(text)
    assert not re.search(r"\d{4}\*{6,}", text)  # published reports carry no masked IDs either
    for name in ("王秀珍", "张小红", "王大山"):  # nor the names of individual recipients
        assert name not in text


def _pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def assert_tables_intact(md: str) -> None:
    """Every row of every Markdown table has exactly as many cell borders as its header."""
    header = None
    rows = 0
    for line in md.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        if header is None:
            header = _pipes(line)
            continue
        assert _pipes(line) == header, f"table row broken: {line!r}"
        rows += 1
    assert rows, "no table rows were checked"


def test_table_check_catches_an_unescaped_pipe():
    with pytest.raises(AssertionError):
        assert_tables_intact("| a | b |\n| --- | --- |\n| x|y | 1 |\n")


def _xlsx_text(path: Path) -> str:
    import openpyxl

    return "\n".join(str(c.value) for sheet in openpyxl.load_workbook(path).worksheets
                     for row in sheet.iter_rows() for c in row if c.value is not None)
