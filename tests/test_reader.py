"""The reader: what a file is, what is refused before calamine reads it, and what it says about
hidden rows and sheets."""

import io
import os
import time
import zipfile

import pytest
from sheets import MAIN_NS, cells_xml, count, ole, package, refused, xls, xlsx

from charitybook.importers import guard, reader_process
from charitybook.importers.read import Book, display_name

ROWS = [["捐赠人", "金额", "日期"], ["王某", 100, "2021-09-07"], ["李某", 50, "2021-09-08"]]
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY a "ha">'
          + "".join(f'<!ENTITY {b} "{("&" + a + ";") * 10}">' for a, b in zip("abcdefgh", "bcdefghi")) + "]>")






# -- shared strings: uniqueCount, not count ---------------------------------------------------

def _donation_list(rows: int) -> tuple[str, str]:
    """A real-shaped donation list: township and project names repeated in every row."""
    strings = ["捐赠人", "金额", "乡镇", "项目", "城关街道", "沙河子镇", "朝阳助学", "幸福家园", "王某", "李某"]
    sst = (f'<sst xmlns="{MAIN_NS}" count="{rows * 3 + 4}" uniqueCount="{len(strings)}">'
           + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
    body = ['<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
            '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>']
    body += [f'<row r="{r}"><c r="A{r}" t="s"><v>{8 + r % 2}</v></c><c r="B{r}"><v>{r % 500 + 1}</v></c>'
             f'<c r="C{r}" t="s"><v>{4 + r % 2}</v></c><c r="D{r}" t="s"><v>{6 + r % 2}</v></c></row>'
             for r in range(2, rows + 2)]
    return "".join(body), sst


def test_a_200000_row_list_of_repeated_names_is_not_refused(tmp_path):
    body, sst = _donation_list(200_000)
    path = package(tmp_path / "big.xlsx", body, sst)
    with Book(path) as book:
        sheet = book.sheet("S")
        assert sheet.height == 200_001
        assert next(sheet.rows) == (1, ["捐赠人", "金额", "乡镇", "项目"])


def test_a_shared_string_count_the_part_cannot_hold_is_refused(cb, tmp_path):
    """calamine reserves memory for uniqueCount strings before reading one: 2147483647 of them
    is 48 GiB, and aborts the reader."""
    sst = f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="2147483647"><si><t>王某</t></si></sst>'
    path = package(tmp_path / "lie.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', sst)
    refused(cb, path, "2147483647 shared strings", "unsafe")


def test_shared_strings_that_would_fill_the_memory_are_refused():
    info = zipfile.ZipInfo("xl/sharedStrings.xml")
    info.file_size = 900 * 1024**2
    with pytest.raises(guard.UnsafeFile, match="too large"):
        guard._check_strings(b'<sst count="1" uniqueCount="20000000">', info, "big.xlsx")
    guard._check_strings(b'<sst count="90000000" uniqueCount="2000000">', info, "big.xlsx")


# -- dimension: calamine sizes a sheet by its cells -------------------------------------------

def test_a_false_dimension_on_a_small_sheet_is_read(cb, tmp_path):
    path = package(tmp_path / "dim.xlsx", cells_xml(ROWS), dimension='<dimension ref="A1:XFD1048576"/>')
    cb("import", "donations", path)
    assert count(cb, "donations") == 2


# -- what a workbook is ------------------------------------------------------------------------

@pytest.mark.parametrize("folder, sep", [("xl/", "\\"), ("", "/"), ("", "\\")])
def test_backslash_names_and_a_workbook_at_the_zip_root_are_workbooks(cb, tmp_path, folder, sep):
    path = package(tmp_path / "wps.xlsx", cells_xml(ROWS), folder=folder, sep=sep)
    cb("import", "donations", path)
    assert count(cb, "donations") == 2


def test_the_guard_checks_parts_under_backslash_names(cb, tmp_path):
    sst = f'<sst xmlns="{MAIN_NS}" uniqueCount="2147483647"><si><t>x</t></si></sst>'
    path = package(tmp_path / "lie.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', sst, sep="\\")
    refused(cb, path, "2147483647 shared strings", "unsafe")


# -- entities ----------------------------------------------------------------------------------

def test_billion_laughs_in_the_shared_strings_is_refused(cb, tmp_path):
    sst = LAUGHS.format(root="sst") + f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>&i;</t></si></sst>'
    path = package(tmp_path / "laughs.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', sst)
    start = time.monotonic()
    refused(cb, path, "DTD", "unsafe", "sharedStrings.xml")
    assert time.monotonic() - start < 10


def test_billion_laughs_in_a_sheet_is_refused(cb, tmp_path):
    rows = [["捐赠人", "金额", "日期"], ["&i;", 100, "2021-09-07"]]
    path = package(tmp_path / "laughs.xlsx", cells_xml(rows).replace("&amp;i;", "&i;"), prolog=LAUGHS.format(root="worksheet"))
    start = time.monotonic()
    refused(cb, path, "DTD", "unsafe", "sheet1.xml")
    assert time.monotonic() - start < 10


# -- passwords -----------------------------------------------------------------------------------

def test_an_encrypted_xlsx_says_so_and_how_to_save_it_without_a_password(cb, tmp_path):
    """What Excel writes for a password-protected .xlsx: an OLE file, not a zip."""
    path = ole(tmp_path / "加密.xlsx", {"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00<encryption/>",
                                       "EncryptedPackage": b"\x10" + bytes(200)})
    result = refused(cb, path, "password", "encrypted", "WPS", "Excel")
    assert "Cannot detect" not in result.stderr


def test_an_encrypted_xls_says_so(cb, tmp_path):
    path = xls(tmp_path / "加密.xls", {"S": ROWS}, password=True)
    refused(cb, path, "password", "encrypted", "WPS")


# -- file names that are not UTF-8 -------------------------------------------------------------

GBK_NAME = os.fsdecode(b"\xb3\xc7\xb9\xd8.xlsx")  # 城关.xlsx in GBK, as a Windows zip gives it


def test_display_name_never_raises_and_reads_gbk():
    assert display_name(GBK_NAME) == "城关.xlsx"
    assert display_name("a\udcffb.xlsx") == "a\ufffdb.xlsx"
    assert display_name("\ud800.csv") == "?.csv"
    assert display_name("城\x1b[31m关\u202e.xlsx") == "城\ufffd[31m关\ufffd.xlsx"
    assert display_name("城关　街道.xlsx") == "城关　街道.xlsx"


def test_messages_of_the_reader_name_a_gbk_file_in_text(tmp_path):
    path = tmp_path / os.fsdecode(b"\xb3\xc7\xb9\xd8.xls")
    path.write_bytes(b"<html></html>")
    with pytest.raises(Exception, match="城关.xls has a spreadsheet's name") as caught:
        Book(path)
    caught.value.message.encode("utf-8")


def test_a_file_name_that_is_not_utf8_imports(cb, tmp_path):
    """Before display_name: a 64-line UnicodeEncodeError from sqlite, storing the batch's file name."""
    path = xlsx(tmp_path / GBK_NAME, {"S": ROWS})
    result = cb("import", "donations", path)
    assert "城关.xlsx" in result.stdout and "Traceback" not in result.stderr
    assert count(cb, "donations") == 2
    assert cb.json("import", "batches")[0]["file"] == "城关.xlsx"


# -- hidden rows and sheets --------------------------------------------------------------------

def _hidden_workbook(path):
    import openpyxl

    workbook = openpyxl.Workbook()
    shown = workbook.active
    shown.title = "城关街道"
    for row in ROWS + [[f"捐赠人{i}", i, "2021-09-09"] for i in range(4, 12)]:
        shown.append(row)
    shown.row_dimensions[5].hidden = True
    shown.row_dimensions.group(8, 10, hidden=True)  # a collapsed outline group
    for name, state in (("旧表", "hidden"), ("模板", "veryHidden")):
        sheet = workbook.create_sheet(name)
        sheet.append(["x"])
        sheet.sheet_state = state
    workbook.save(path)
    return path


def test_the_reader_names_hidden_rows_and_sheets_of_an_xlsx(tmp_path):
    with Book(_hidden_workbook(tmp_path / "h.xlsx")) as book:
        assert book.hidden_sheets() == ["旧表", "模板"]
        sheet = book.sheet("城关街道")
        assert not sheet.hidden and sheet.hidden_rows == {5, 8, 9, 10}
        assert [number for number, _ in sheet.rows] == list(range(1, 12))  # still read: the importer decides
        assert book.sheet("旧表").hidden and book.sheet("模板").hidden


def test_the_reader_names_hidden_rows_and_sheets_of_an_xls(tmp_path):
    path = xls(tmp_path / "h.xls", {"S": ROWS + [["赵某", 5, "2021-09-09"]], "旧表": [["x"]]},
               hidden_rows={"S": {3}}, hidden_sheets={"旧表"})
    with Book(path) as book:
        assert book.hidden_sheets() == ["旧表"]
        sheet = book.sheet("S")
        assert sheet.hidden_rows == {3} and not sheet.hidden
        assert list(sheet.rows)[2] == (3, ["李某", 50.0, "2021-09-08"])


def test_a_csv_has_no_hidden_rows(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("捐赠人,金额\n王某,1\n", encoding="utf-8")
    with Book(path) as book:
        assert book.hidden_sheets() == [] and book.sheet(None).hidden_rows == frozenset()


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_the_hidden_row_scan_follows_calamine_across_chunks(monkeypatch, chunk):
    """Rows without r follow the row before; a self-closing row holds nothing; a namespace prefix,
    single quotes and hidden="true" are XML too; a row tag may straddle two chunks."""
    monkeypatch.setattr(reader_process, "SCAN_CHUNK", chunk)
    xml = (b'<?xml version="1.0"?><x:worksheet xmlns:x="m"><x:sheetData>'
           b'<x:row r="2" spans="1:3"><x:c r="A2"/></x:row><x:row hidden="1"><x:c/></x:row>'
           b"<x:row r='7' hidden='true' customHeight='1'></x:row><x:row r=\"9\" hidden=\"1\"/>"
           b'<x:row r="12" hidden="0"></x:row><x:row outlineLevel="1" hidden="1"></x:row>'
           b'</x:sheetData><x:rowBreaks count="1"/></x:worksheet>')
    assert reader_process.xlsx_hidden_rows(io.BytesIO(xml)) == {3, 7, 13}
    plain = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 60))
    xml = f'<worksheet xmlns="{MAIN_NS}"><sheetData>{plain}<row hidden="1"></row></sheetData></worksheet>'
    assert reader_process.xlsx_hidden_rows(io.BytesIO(xml.encode())) == {60}  # after chunks passed over


def test_the_dry_run_names_hidden_rows_and_sheets_and_skips_them(cb, tmp_path):
    result = cb("import", "donations", _hidden_workbook(tmp_path / "h.xlsx"), "--dry-run")
    assert "5, 8, 9, 10" in result.stdout and "旧表" in result.stdout and "模板" in result.stdout
    assert "6 row(s) would be imported" in result.stdout
