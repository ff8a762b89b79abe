"""Importing township spreadsheets: every shape, every refusal, all-or-nothing, idempotence."""

import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from conftest import FULL_ID
from hypothesis import given, settings
from hypothesis import strategies as st
from sheets import csv_file, make_id, xlsx

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data" / "township"
ID1, ID2, ID3 = make_id("61100219450312002"), make_id("61100219580705001"), make_id("61100219620918002")


def count(cb, table):
    return sqlite3.connect(cb.db).execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def donation_sheet(path, rows, title=True):
    head = [["城关街道捐款登记表"], ["填报单位：城关街道", None, "填报日期：2021年9月10日"]] if title else []
    return xlsx(path, {"城关街道": head + [["序号", "捐赠人", "捐赠金额（元）", "捐赠日期"]] + rows},
                {"城关街道": ["A1:D1"]} if title else None)


def sample_stations(cb):
    """The stations the sample files name, registered as `make demo` registers them."""
    for args in (["城关街道"], ["东关社区", "--in", "城关街道"], ["西关社区", "--in", "城关街道"], ["大赵峪街道"],
                 ["沙河子镇"], ["杨峪河镇"]):
        cb("station", "add", *args, expect=None)   # the `cb` fixture has them already


def test_sample_files_import(cb):
    sample_stations(cb)
    cb("import", "donations", SAMPLES / "donations_城关街道.xlsx")
    cb("import", "donations", SAMPLES / "donations_各乡镇.xlsx", "--all-sheets", "--sheet-is-township", "--date", "2021-09-09")
    cb("import", "donations", SAMPLES / "donations_99公益日_网络.csv")
    cb("import", "donations", SAMPLES / "donations_杨峪河镇_一日捐.xls")
    rows = cb.json("list", "donations")
    assert len(rows) == 6 + 6 + 4 + 3
    by_donor = {r["donor"]: r for r in rows}
    assert by_donor["刘某"]["amount"] == "166200.00"                      # 16.62 万元, exactly
    assert by_donor["商洛某超市"]["goods_value"] == "2420.00"             # 40 × 60.5
    assert by_donor["刘某"]["township"] == "沙河子镇"                      # township from the sheet name
    assert by_donor["䶮"]["channel"] == "online" and by_donor["䶮"]["platform"] == "腾讯公益"
    assert by_donor["䶮"]["fund"] == "朝阳助学"
    assert by_donor["赵小明"]["date"] == "2021-09-08" and by_donor["赵小明"]["amount"] == "300.50"
    assert by_donor["匿名"]["amount"] == "12000.00"
    assert by_donor["杨峪河镇中心小学"]["channel"] == "bank"
    assert by_donor["商州区大赵峪中学"]["donor_type"] == "机关事业单位"
    assert [r["donor"] for r in rows if r["reference"] is None and r["channel"] == "online"] == ["赵小明"]
    cb("check")


def test_roster_two_row_header_merged_villages_and_subtotals(cb):
    sample_stations(cb)
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    cb("add-purchase", "--item", "米面油", "--amount", "1000", "--date", "2021-01-02")
    result = cb("import", "relief", SAMPLES / "春节花名册_城关街道.xlsx", "--holiday", "春节", "--date", "2021-02-06",
               "--goods-item", "米面油")
    assert "慰问金额 现金→amount" in result.stdout and "慰问金额 物品折价→goods_value" in result.stdout
    gifts = cb.json("relief", "list")
    assert len(gifts) == 5 and {g["village"] for g in gifts} == {"东关社区", "西关社区"}
    assert all(g["cash"] == "300.00" and g["goods_value"] == "100.00" for g in gifts)
    assert cb.json("balance")[0]["goods"] == "500.00"


def test_same_file_twice_adds_nothing(cb):
    path = SAMPLES / "donations_城关街道.xlsx"
    cb("import", "donations", path)
    again = cb("import", "donations", path)
    assert "already imported" in again.stdout and "batch #1" in again.stdout
    assert count(cb, "donations") == 6


def test_error_on_last_row_leaves_ledger_unchanged_and_lists_every_problem(cb, tmp_path):
    rows = [[1, "王某", 100, "2021-09-07"], [2, "", 50, "2021-09-07"], [3, "李某", "12.345", "2021-09-07"],
            [4, "赵某", 80, "2021-02-30"]]
    before = cb.db.read_bytes() if False else count(cb, "entries")
    result = cb("import", "donations", donation_sheet(tmp_path / "bad.xlsx", rows), expect=1)
    err = result.stderr
    assert "nothing was imported" in err
    assert "row 5" in err and "no donor" in err
    assert "row 6" in err and "捐赠金额(元)" in err and "'12.345'" in err
    assert "row 7" in err and "'2021-02-30'" in err
    assert count(cb, "entries") == before and count(cb, "batches") == 0


def test_skip_invalid_imports_the_rest(cb, tmp_path):
    rows = [[1, "王某", 100, "2021-09-07"], [2, "李某", "abc", "2021-09-07"]]
    result = cb("import", "donations", donation_sheet(tmp_path / "s.xlsx", rows), "--skip-invalid")
    assert "1 invalid row(s) skipped" in result.stdout and "'abc'" in result.stderr
    assert [d["donor"] for d in cb.json("list", "donations")] == ["王某"]


def test_total_row_mismatch_quotes_both_figures(cb, tmp_path):
    rows = [[1, "王某", 100, "2021-09-07"], [2, "李某", 200, "2021-09-07"], ["合计", None, 310]]
    result = cb("import", "donations", donation_sheet(tmp_path / "t.xlsx", rows), expect=1)
    assert "310.00" in result.stderr and "300.00" in result.stderr


def test_dry_run_writes_nothing_and_describes_the_file(cb):
    result = cb("import", "donations", SAMPLES / "donations_城关街道.xlsx", "--dry-run")
    assert "header at row 3" in result.stdout and "捐赠人→donor" in result.stdout and "1 total" in result.stdout
    assert "nothing was written" in result.stdout
    assert count(cb, "donations") == 0 and count(cb, "batches") == 0


def test_several_sheets_need_a_choice(cb):
    sample_stations(cb)
    result = cb("import", "donations", SAMPLES / "donations_各乡镇.xlsx", "--date", "2021-09-09", expect=1)
    assert "大赵峪街道" in result.stderr and "沙河子镇" in result.stderr and "--all-sheets" in result.stderr
    cb("import", "donations", SAMPLES / "donations_各乡镇.xlsx", "--date", "2021-09-09", "--sheet", "沙河子镇", "--sheet-is-township")
    assert {d["township"] for d in cb.json("list", "donations")} == {"沙河子镇"}


def test_rows_without_date_need_date_option(cb, tmp_path):
    path = xlsx(tmp_path / "n.xlsx", {"S": [["捐赠人", "金额"], ["王某", 10]]})
    assert "no date" in cb("import", "donations", path, expect=1).stderr
    cb("import", "donations", path, "--date", "2021-05-05", "--township", "北宽坪镇", "--new-township", "--channel", "bank")
    [row] = cb.json("list", "donations")
    assert (row["date"], row["township"], row["channel"]) == ("2021-05-05", "北宽坪镇", "bank")


def test_map_option_for_unknown_headers(cb, tmp_path):
    path = xlsx(tmp_path / "m.xlsx", {"S": [["热心者", "款数"], ["王某", 10]]})
    cb("import", "donations", path, "--date", "2021-05-05", expect=1)
    cb("import", "donations", path, "--date", "2021-05-05", "--map", "热心者=donor", "--map", "款数=amount")
    assert cb.json("list", "donations")[0]["amount"] == "10.00"
    cb("import", "donations", path, "--map", "款数=nonsense", expect=2)


def test_repeated_order_numbers_are_skipped_and_counted(cb, tmp_path):
    one = csv_file(tmp_path / "a.csv", [["订单号", "昵称", "金额", "日期"], ["T1", "甲", 10, "2021-09-07"], ["T2", "乙", 20, "2021-09-07"]])
    two = csv_file(tmp_path / "b.csv", [["订单号", "昵称", "金额", "日期"], ["T2", "乙", 20, "2021-09-07"], ["T3", "丙", 30, "2021-09-07"]])
    cb("import", "donations", one)
    result = cb("import", "donations", two)
    assert "already in the ledger: 1 row(s) with the same order/serial number and the same gift (cash 20.00 元" in result.stdout
    assert [d["reference"] for d in cb.json("list", "donations")] == ["T1", "T2", "T3"]


def test_replace_voids_the_earlier_batch_in_one_go(cb, tmp_path):
    first = donation_sheet(tmp_path / "v1.xlsx", [[1, "王某", 100, "2021-09-07"], [2, "李某", 200, "2021-09-07"]])
    cb("import", "donations", first)
    second = donation_sheet(tmp_path / "v2.xlsx", [[1, "王某", 100, "2021-09-07"], [2, "李某", 250, "2021-09-07"]])
    result = cb("import", "donations", second, "--replace", "1")
    assert "replacing batch #1" in result.stdout
    standing = [d for d in cb.json("list", "donations") if d["voided_by"] is None]
    assert sorted(d["amount"] for d in standing) == ["100.00", "250.00"]
    assert cb.json("balance")[0]["cash"] == "350.00"
    assert "already replaced" in cb("import", "donations", first, "--replace", "1", expect=1).stderr
    cb("check")


def test_holiday_duplicate_across_files_names_the_batch(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    head = [["户主姓名", "身份证号码", "慰问金", "发放日期"]]
    a = xlsx(tmp_path / "a.xlsx", {"东关": head + [["王某", ID1, 300, "2021-02-01"]]})
    b = xlsx(tmp_path / "b.xlsx", {"西关": head + [["李某", ID2, 300, "2021-02-01"], ["王某", ID1, 300, "2021-02-02"]]})
    cb("import", "relief", a, "--holiday", "春节")
    result = cb("import", "relief", b, "--holiday", "春节", expect=1)
    assert "already received 2021 春节" in result.stderr and "--replace 1" in result.stderr and "东关" in result.stderr
    assert len(cb.json("relief", "list")) == 1


def test_ids_damaged_by_excel_are_refused_and_legacy_upgraded(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    rows = [["姓名", "身份证号", "慰问金", "日期"],
            ["甲", float(ID1[:17] + "0") if ID1[-1] != "X" else 6.11002194503e17, 100, "2021-02-01"],
            ["乙", "6.11002E+17", 100, "2021-02-01"],
            ["丙", 110105491231002, 100, "2021-02-01"],
            ["丁", ID3[:-1] + ("1" if ID3[-1] != "1" else "2"), 100, "2021-02-01"]]
    result = cb("import", "relief", xlsx(tmp_path / "ids.xlsx", {"S": rows}), "--holiday", "春节", expect=1)
    err = result.stderr
    assert err.count("digits lost") == 2 and "row 2" in err and "row 3" in err
    assert "row 5" in err and "check character" in err
    assert "row 4" not in err  # the 15-digit legacy number is upgraded
    assert not FULL_ID.search(err) and ID3 not in err


def test_gb18030_and_utf8_bom_csv_and_undecodable_refused(cb, tmp_path):
    rows = [["捐赠人", "金额", "日期"], ["䶮", 10, "2021-09-07"]]
    cb("import", "donations", csv_file(tmp_path / "g.csv", rows, "gb18030"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + "捐赠人,金额,日期\r\n王某,5,2021-09-07\r\n".encode())
    cb("import", "donations", bom)
    assert [d["donor"] for d in cb.json("list", "donations")] == ["䶮", "王某"]
    broken = tmp_path / "broken.csv"
    broken.write_bytes("捐赠人,金额\r\n王某,5\r\n".encode() + b"\xff\xfe\xff,1\r\n")
    result = cb("import", "donations", broken, expect=1)
    assert "line 3" in result.stderr and "0xFF" in result.stderr


def _rewrite_sheet(path, crafted, change):
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, change(data) if item.filename.startswith("xl/worksheets/") else data)
    return crafted


@pytest.mark.parametrize("dimension", [b"", b'<dimension ref="A1:B2"/>'])
def test_a_far_cell_without_a_true_dimension_cannot_crash_the_import(cb, tmp_path, dimension):
    """calamine sizes a sheet by where its cells are, whatever <dimension> says: with the cell at
    XFD1048576 it aborts its process. That process is the reader's child, never the import."""
    path = xlsx(tmp_path / "ok.xlsx", {"S": [["捐赠人", "金额", "日期"], ["王某", 1, "2021-01-01"]]})

    def far_cell(data):
        data = re.sub(rb"<dimension[^>]*/>", dimension, data)
        return data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')

    crafted = _rewrite_sheet(path, tmp_path / "far.xlsx", far_cell)
    result = cb("import", "donations", crafted, expect=1)
    assert "crashed" in result.stderr and "far.xlsx" in result.stderr and "Traceback" not in result.stderr
    assert count(cb, "donations") == 0 and count(cb, "batches") == 0
    cb("import", "donations", path)  # and the next file imports as usual
    assert count(cb, "donations") == 1


def test_what_a_file_is_comes_from_its_bytes_not_its_name(cb, tmp_path):
    real = donation_sheet(tmp_path / "real.xlsx", [[1, "王某", 100, "2021-09-07"]])
    renamed = tmp_path / "wps.xls"
    renamed.write_bytes(real.read_bytes())
    cb("import", "donations", renamed)
    assert count(cb, "donations") == 1
    page = tmp_path / "bank.xls"
    page.write_text("<html><table><tr><td>捐赠人</td></tr></table></html>", encoding="utf-8")
    result = cb("import", "donations", page, expect=1)
    assert "web page" in result.stderr and "save it as .xlsx" in result.stderr
    ods = tmp_path / "calc.ods"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert "OpenDocument" in cb("import", "donations", ods, expect=1).stderr


def test_a_python_file_among_the_townships_files_is_never_run(cb, tmp_path, monkeypatch):
    """The reader runs in a child process; the folder the clerk works in is not on its path."""
    path = donation_sheet(tmp_path / "d.xlsx", [[1, "王某", 100, "2021-09-07"]])
    (tmp_path / "python_calamine.py").write_text("open('ran', 'w').write('yes')\nraise SystemExit(3)\n")
    monkeypatch.chdir(tmp_path)
    cb("import", "donations", path)
    assert not (tmp_path / "ran").exists() and count(cb, "donations") == 1


def test_row_numbers_are_excel_s_when_the_table_starts_further_in(cb, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "S"
    for row, values in ((3, ["捐赠人", "金额", "日期"]), (4, ["王某", 10, "2021-09-07"]), (5, ["李某", "abc", "2021-09-07"])):
        for col, value in enumerate(values, start=3):
            sheet.cell(row=row, column=col, value=value)
    sheet.merge_cells("C4:C4")
    workbook.save(tmp_path / "in.xlsx")
    out = tmp_path / "marked.xlsx"
    result = cb("import", "donations", tmp_path / "in.xlsx", "--errors-out", out, expect=1)
    assert "row 5, column 金额, value 'abc'" in result.stderr
    marked = openpyxl.load_workbook(out).active  # header, then the one bad row, under its original number
    assert [marked.cell(2, c).value for c in (1, 3)] == [5, "abc"] and marked.cell(2, 3).fill.fgColor.rgb.endswith("FFC7CE")


def test_errors_out_marks_the_bad_cells(cb, tmp_path):
    import openpyxl

    rows = [[1, "王某", 100, "2021-09-07"], [2, "=HYPERLINK(\"x\")", "abc", "2021-09-07"]]
    out = tmp_path / "问题.xlsx"
    cb("import", "donations", donation_sheet(tmp_path / "e.xlsx", rows), "--errors-out", out, expect=1)
    sheet = openpyxl.load_workbook(out).active  # two title lines, the header, the bad row only (序号 left out)
    assert [sheet.cell(3, c).value for c in (1, 5)] == ["原行号", "问题说明"] and sheet.max_row == 4
    assert sheet.cell(4, 1).value == 5 and "not an amount" in sheet.cell(4, 5).value
    assert sheet.cell(4, 3).fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(4, 2).data_type == "s" and sheet.cell(4, 2).value.startswith("=HYPERLINK")


def test_holiday_roster_unit_follows_the_header(cb, tmp_path):
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    path = xlsx(tmp_path / "p.xlsx", {"S": [["学生姓名", "身份证号", "资助金额"], ["小明", make_id("61100220100601004"), 500]]})
    cb("import", "relief", path, "--category", "助学", "--date", "2021-09-01")
    [row] = cb.json("list", "disbursements", "--category", "助学")
    assert row["payee"] == "小明" and row["amount"] == "500.00"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["序号", "捐赠人", "金额（元）", "捐赠日期", "备注", "领取人签字", "单位名称", "捐款金额(万元)",
                                 "随便", ""]), min_size=1, max_size=8),
       st.lists(st.text(max_size=6), max_size=6))
def test_header_finder_never_crashes(headers, title):
    from charitybook.importers.header import find_header

    top = [(1, list(title)), (2, list(headers)), (3, ["x"] * len(headers))]
    found = find_header(top, {}, ("amount",))
    if found:
        header, consumed = found
        assert 1 <= consumed <= 3 and any(c.field == "amount" for c in header.columns)


def test_subtotal_checks_only_the_rows_since_the_previous_subtotal(cb, tmp_path):
    rows = [[1, "王某", 100, "2021-09-07"], [None, "东关社区小计", 100], [2, "李某", 200, "2021-09-07"],
            [3, "赵某", 50, "2021-09-07"], [None, "西关社区小计", 260], ["合计", None, 350]]
    result = cb("import", "donations", donation_sheet(tmp_path / "sub.xlsx", rows), expect=1)
    assert "260.00" in result.stderr and "250.00" in result.stderr and "row 8" in result.stderr
    assert "row 9" not in result.stderr  # the 合计 of all rows is right


def _import_racing(db: str, path: str, barrier) -> int:
    """Import, pausing right after the duplicate check until the other clerk has checked too."""
    import threading

    from typer.testing import CliRunner

    from charitybook.cli.app import app
    from charitybook.ledger import batches

    original = batches.standing_batch_like

    def check_then_wait(*args, **kwargs):
        found = original(*args, **kwargs)
        try:
            barrier.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass  # the other clerk is held at the write lock: exactly what should happen
        return found

    batches.standing_batch_like = check_then_wait
    return CliRunner().invoke(app, ["--db", db, "import", "donations", path]).exit_code


def test_two_clerks_importing_the_same_file_at_once_add_it_once(cb):
    import multiprocessing

    path = str(SAMPLES / "donations_城关街道.xlsx")
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(2) as pool:
        barrier = manager.Barrier(2)
        codes = pool.starmap(_import_racing, [(str(cb.db), path, barrier)] * 2)
    assert codes == [0, 0]
    assert count(cb, "donations") == 6 and count(cb, "batches") == 1


def test_repeated_header_rows_and_blank_rows_are_skipped(cb, tmp_path):
    header = ["序号", "捐赠人", "捐赠金额（元）", "捐赠日期"]
    rows = [[1, "王某", 100, "2021-09-07"], [None, None, None, None], header, [2, "李某", 200, "2021-09-07"]]
    result = cb("import", "donations", donation_sheet(tmp_path / "r.xlsx", rows))
    assert "1 repeated header" in result.stdout and "1 blank" in result.stdout
    assert [d["donor"] for d in cb.json("list", "donations")] == ["王某", "李某"]


def _schema(db):
    return sorted(sqlite3.connect(db).execute("SELECT type, name, sql FROM sqlite_master").fetchall(), key=str)


@settings(max_examples=20, deadline=None)
@given(refs=st.lists(st.integers(0, 12), min_size=1, max_size=30), chunk=st.integers(1, 7), bulk_after=st.integers(0, 12))
def test_chunked_writes_keep_the_first_of_each_order_number_and_number_receipts_without_gaps(refs, chunk, bulk_after):
    """However the rows fall into chunks (each written by the writer thread while the next is
    read), and whether or not the import defers its indexes, the ledger ends the same."""
    import tempfile
    from unittest import mock

    from conftest import CB
    from charitybook.services import import_writers, spool

    with tempfile.TemporaryDirectory() as tmp, mock.patch.object(spool, "CHUNK", chunk), \
            mock.patch.object(import_writers, "BULK_AFTER", bulk_after):
        cb = CB(Path(tmp) / "ledger.db")
        cb("init", "--name", "测试")
        before = _schema(cb.db)
        rows = [["订单号", "捐赠人", "金额", "日期"]] + [[f"T{ref}", f"捐赠人{ref}", ref + 1, "2021-09-07"] for ref in refs]
        result = cb("import", "donations", csv_file(Path(tmp) / "d.csv", rows))
        firsts = {}
        for i, ref in enumerate(refs):
            firsts.setdefault(ref, i)
        kept = sorted(firsts.values())
        donations = cb.json("list", "donations")
        assert [d["donor"] for d in donations] == [f"捐赠人{refs[i]}" for i in kept]
        assert [d["receipt_no"] for d in donations] == [f"2021-{n:06d}" for n in range(1, len(kept) + 1)]
        skipped = len(refs) - len(kept)
        message = f"already in the ledger: {skipped} row(s) with the same order/serial number and the same gift"
        assert (message in result.stdout) if skipped else ("order/serial" not in result.stdout)
        assert _schema(cb.db) == before
        cb("check")


def test_a_large_import_that_fails_leaves_the_ledger_and_its_indexes_as_they_were(cb, tmp_path, monkeypatch):
    from charitybook.services import import_writers, spool

    monkeypatch.setattr(spool, "CHUNK", 3)
    monkeypatch.setattr(import_writers, "BULK_AFTER", 2)
    cb("add-donation", "--donor", "某公司", "--amount", "5000", "--date", "2021-01-01")
    before, entries = _schema(cb.db), count(cb, "entries")
    rows = [["捐赠人", "金额", "日期"]] + [[f"捐赠人{i}", 10, "2021-09-07"] for i in range(20)] + [["最后一位", "abc", "2021-09-07"]]
    result = cb("import", "donations", csv_file(tmp_path / "d.csv", rows), expect=1)
    assert "row 22" in result.stderr and "nothing was imported" in result.stderr
    assert _schema(cb.db) == before and count(cb, "entries") == entries
    assert sqlite3.connect(cb.db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    cb("check")


def test_the_progress_callback_gets_rows_and_the_sheet_height_when_known(cb, tmp_path):
    from charitybook.ledger import open_ledger
    from charitybook.services.imports import ImportOptions, import_file

    rows = [["捐赠人", "金额", "日期"]] + [[f"捐赠人{i}", 1, "2021-09-07"] for i in range(2500)]
    calls = {}
    for path in (xlsx(tmp_path / "p.xlsx", {"S": rows}), csv_file(tmp_path / "p.csv", rows)):
        ledger = open_ledger(cb.db)
        ticks = calls[path.suffix] = []
        import_file(ledger, path, ImportOptions("donations", dry_run=True),
                    lambda done, total, stage: ticks.append((stage, done, total)))
        ledger.close()
    reading = {suffix: [tick for tick in ticks if tick[0] == "reading"] for suffix, ticks in calls.items()}
    assert reading == {".xlsx": [("reading", 1000, 2501), ("reading", 2000, 2501)],
                       ".csv": [("reading", 1000, None), ("reading", 2000, None)]}
    assert calls[".csv"][-1] == ("writing", 2500, 2500)  # a dry run checks every row against the ledger too


def test_a_huge_shared_string_count_is_refused_before_reading(cb, tmp_path):
    path = xlsx(tmp_path / "s.xlsx", {"S": [["捐赠人", "金额"], ["王某", 1]]})
    crafted = tmp_path / "strings.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(crafted, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/sharedStrings.xml", '<sst count="2147483648" uniqueCount="2147483648"><si><t>x</t></si></sst>')
    result = cb("import", "donations", crafted, "--date", "2021-01-01", expect=1)
    assert "2147483648 shared strings" in result.stderr and "unsafe" in result.stderr


def test_a_damaged_zip_is_one_line_not_a_traceback(cb, tmp_path):
    path = donation_sheet(tmp_path / "d.xlsx", [[1, "王某", 100, "2021-09-07"]])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 5, start + 40):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    result = cb("import", "donations", path, expect=1)
    assert "damaged zip file" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_channel_names_the_cell(cb, tmp_path):
    rows = [["捐赠人", "金额", "日期", "捐赠方式"], ["王某", 10, "2021-09-07", "信鸽"]]
    result = cb("import", "donations", csv_file(tmp_path / "c.csv", rows), expect=1)
    assert "row 2, column 捐赠方式, value '信鸽': unknown channel" in result.stderr


def test_a_chunk_is_never_written_outside_a_transaction(cb):
    from charitybook.ledger import open_ledger
    from charitybook.ledger.donations import Prepared, write_prepared

    ledger = open_ledger(cb.db)
    with pytest.raises(RuntimeError, match="only inside a transaction"):
        write_prepared(ledger, Prepared([1], [], "now"))
    ledger.close()


def test_a_refused_import_says_how_many_rows_it_read_not_that_none_were_valid(cb, tmp_path):
    path = tmp_path / "half.csv"
    path.write_text("日期,捐赠人,金额\n2021-03-01,甲,12\n2021-03-02,乙,x\n", encoding="utf-8")
    result = cb("import", "donations", path, expect=1)
    assert "rows read: 2; nothing was imported" in result.stdout and "valid: 0" not in result.stdout
    assert "row 3" in result.stderr and cb.json("list", "donations") == []
