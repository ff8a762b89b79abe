"""The reader on the shapes files really come in: formulas nobody calculated, Excel's "Unicode
text", delimiters other than commas, files cut short, workbooks of thousands of sheets."""

import codecs
import io
import time

import pytest
from sheets import MAIN_NS, excel_text, package, refused, xls, xlsx

from charitybook.importers import csv_file, reader_process, sheet_xml
from charitybook.importers.read import Book, cell_name, sheet_list

HEAD = ["捐赠人", "数量", "单价", "金额"]


def rows_of(path, sheet=None):
    with Book(path) as book:
        return list(book.sheet(sheet).rows)




# -- formulas without a saved value --------------------------------------------------------------

def test_formulas_written_by_openpyxl_have_no_saved_value(tmp_path):
    """openpyxl writes <c r="D2"><f>B2*C2</f><v /></c>: calamine reads an empty cell, and the
    import would say "no cash and no goods" without this."""
    rows = [HEAD] + [[f"王某{r}", r, 50, f"=B{r}*C{r}"] for r in range(2, 6)] + [["合计", None, None, "=SUM(D2:D5)"]]
    path = xlsx(tmp_path / "f.xlsx", {"城关街道": rows}, formulas=True)
    with Book(path) as book:
        sheet = book.sheet("城关街道")
        assert [cells[3] for _, cells in sheet.rows][1:] == ["", "", "", "", ""]  # what calamine gives
        assert sheet.unsaved_formulas == {(r, 3): "none" for r in range(2, 7)}
        assert sheet.unsaved_formula_counts == {"none": 5, "zero": 0, "error": 0}
        assert sheet.unsaved_formula(2, 3) == "D2 is a formula without a saved value"
        assert sheet.unsaved_formula(2, 2) is None
        assert sheet.unsaved_formula_note() == "5 formula cell(s) have no saved value (D2, D3, D4, D5, D6)"


def _cell(ref, inner, typ=""):
    return f'<c r="{ref}"{f" t={chr(34)}{typ}{chr(34)}" if typ else ""}>{inner}</c>'


def test_a_formula_saved_as_0_is_told_from_one_without_a_value_and_from_real_values(tmp_path):
    """Written the way a tool that saves every formula as 0 writes it, beside what Excel saves."""
    body = "".join([
        '<row r="1">' + _cell("A1", "<is><t>捐赠人</t></is>", "inlineStr") + _cell("B1", "<v>1</v>") + "</row>",
        '<row r="2">' + _cell("A2", "<f>B2*2</f><v>0</v>")             # cached as 0: "zero"
        + _cell("B2", "<f>1+1</f><v>2</v>")                            # saved: nothing
        + _cell("C2", '<f t="shared" ref="C2:C4" si="0">B2</f><v/>')  # shared, no value: "none"
        + _cell("D2", '<f>""</f><v></v>', "str")                       # saved empty text: nothing
        + _cell("E2", "<f>B2&gt;5</f><v>0</v>", "b")                   # FALSE: nothing
        + _cell("F2", "<f>A1</f><v>0</v>", "str")                      # the text "0": nothing
        + _cell("G2", "<f>A1</f><is><t>x</t></is>", "inlineStr")       # text in <is>: nothing
        + "</row>",
        '<row r="3">' + _cell("C3", '<f t="shared" si="0"/>') + _cell("D3", "<f>1</f><v>0.00</v>") + "</row>",
        '<row r="4">' + _cell("C4", '<f t="shared" si="0"/><v>3</v>') + "</row>",
    ])
    with Book(package(tmp_path / "z.xlsx", body)) as book:
        sheet = book.sheet("S")
        rows = dict(sheet.rows)
        assert sheet.unsaved_formulas == {(2, 0): "zero", (2, 2): "none", (3, 2): "none", (3, 3): "zero"}
        assert sheet.unsaved_formula_counts == {"none": 2, "zero": 2, "error": 0}
        assert rows[2][0] == 0 and rows[3][3] == 0  # calamine reads the 0 that was saved
    assert "A2 is a formula whose saved value is 0" in sheet.unsaved_formula(2, 0)
    assert sheet.unsaved_formula_note() == "2 formula cell(s) have no saved value (C2, C3)"


def test_cells_without_r_are_placed_where_calamine_puts_them(tmp_path):
    """Zero-cached formulas come back from calamine as 0: their places must be the scan's. Cells
    and rows without r, self-closing cells and rows, and a namespace prefix on every tag."""
    body = ('<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>h</x:t></x:is></x:c></x:row>'
            '<x:row/><x:row><x:c s="1"/><x:c><x:v>1</x:v></x:c><x:c><x:f>A1</x:f><x:v>0</x:v></x:c></x:row>'
            '<x:row r="6"><x:c r="C6"/><x:c><x:f>A1</x:f><x:v>0</x:v></x:c><x:c r="AB6"><x:f>A1</x:f><x:v>0</x:v></x:c>'
            '<x:c><x:f>A1</x:f><x:v>0</x:v></x:c></x:row>'
            '<x:row><x:c><x:v>7</x:v></x:c><x:c><x:f>A1</x:f><x:v>0</x:v></x:c></x:row>')
    with Book(package(tmp_path / "p.xlsx", body, root="x")) as book:
        sheet = book.sheet("S")
        zeros = {(number, column) for number, cells in sheet.rows for column, value in enumerate(cells) if value == 0}
    assert zeros == {(3, 2), (6, 3), (6, 27), (6, 28), (7, 1)}
    assert set(sheet.unsaved_formulas) == zeros and set(sheet.unsaved_formulas.values()) == {"zero"}


@pytest.mark.parametrize("chunk", [1, 5, 13, 64, 1 << 20])
def test_the_formula_scan_is_the_same_whatever_the_chunks(monkeypatch, chunk):
    """Tags split across chunk boundaries: a formula's end in one chunk and its <v> in the next,
    a row's first cells in one chunk and the cell without r that follows them in the next."""
    monkeypatch.setattr(reader_process, "SCAN_CHUNK", chunk)
    xml = (f'<?xml version="1.0"?><worksheet xmlns="{MAIN_NS}"><sheetData>'
           + "".join(f'<row r="{r}"{" hidden=" + chr(34) + "1" + chr(34) if r % 4 == 0 else ""}>'
                     f'<c t="inlineStr"><is><t>王某</t></is></c><c s="2"/><c><f>A{r}</f>'  # no r: counted
                     + ("<v/>" if r % 3 == 0 else "<v>0</v>" if r % 3 == 1 else "<v>5</v>") + "</c></row>"
                     for r in range(1, 30))
           + '</sheetData><extLst><xm:f>S!A1</xm:f></extLst></worksheet>').encode()
    scan = reader_process.xlsx_scan(io.BytesIO(xml))
    assert scan.unsaved == {**{(r, 2): "none" for r in range(3, 30, 3)}, **{(r, 2): "zero" for r in range(1, 30, 3)}}
    assert scan.hidden == set(range(4, 30, 4))


def test_at_most_so_many_formula_cells_are_kept_and_all_are_counted(monkeypatch):
    monkeypatch.setattr(sheet_xml, "MAX_UNSAVED", 5)
    xml = (f'<worksheet xmlns="{MAIN_NS}"><sheetData>'
           + "".join(f'<row r="{r}"><c r="A{r}"><f>1</f></c><c r="B{r}"><f>1</f><v>0</v></c></row>' for r in range(1, 1001))
           + "</sheetData></worksheet>").encode()
    scan = reader_process.xlsx_scan(io.BytesIO(xml))
    assert scan.counts == {"none": 1000, "zero": 1000, "error": 0}
    assert scan.unsaved == {**{(r, 0): "none" for r in range(1, 6)}, **{(r, 1): "zero" for r in range(1, 6)}}


def test_the_note_on_many_formulas_is_one_short_line(tmp_path):
    body = "".join(f'<row r="{r}"><c r="D{r}"><f>B{r}*C{r}</f></c></row>' for r in range(1, 20_001))
    with Book(package(tmp_path / "many.xlsx", body)) as book:
        sheet = book.sheet("S")
        assert sheet.unsaved_formula_counts["none"] == 20_000 and len(sheet.unsaved_formulas) == 10_000
        assert sheet.unsaved_formula_note() == (
            "20,000 formula cell(s) have no saved value (D1, D2, D3, D4, D5, D6, D7, D8, D9, D10, … and 19,990 more)")


def test_an_xls_reports_no_formulas_and_a_csv_none_either(tmp_path):
    """BIFF FORMULA records always carry a result: nothing to find there (see ``biff``)."""
    with Book(xls(tmp_path / "a.xls", {"S": [HEAD, ["王某", 1, 2, 2]]})) as book:
        sheet = book.sheet("S")
        assert sheet.unsaved_formulas == {} and sheet.unsaved_formula_counts == {"none": 0, "zero": 0, "error": 0}
    path = tmp_path / "a.csv"
    path.write_text("捐赠人,金额\n王某,=SUM(1)\n", encoding="utf-8")
    with Book(path) as book:
        assert book.sheet(None).unsaved_formula_note() is None


def test_cell_names():
    assert [cell_name(5, 2), cell_name(1, 0), cell_name(9, 25), cell_name(9, 26), cell_name(2, 16383)] == [
        "C5", "A1", "Z9", "AA9", "XFD2"]
    assert [sheet_xml.column_index(name) for name in (b"A", b"Z", b"AA", b"XFD")] == [0, 25, 26, 16383]


# -- UTF-16 text and delimiters ---------------------------------------------------------------

TABLE = [["捐赠人", "金额", "日期", "备注"],
         ["王某", "1,000.00", "2021-09-07", "城关街道\t东关社区"],
         ["李某", "50", "2021-09-08", "第一行\n第二行"],
         ['秦岭"粮油"厂', "20", "2021-09-09", ""]]


@pytest.mark.parametrize("name", ["u.txt", "u.csv"])
def test_excel_unicode_text_is_read_as_a_table(tmp_path, name):
    """What Excel's "Save as Unicode Text" writes: UTF-16 LE with a BOM, tabs, CRLF, quoted cells
    holding a tab, a line break or a quote."""
    path = excel_text(tmp_path / name, TABLE)
    assert path.read_bytes()[:2] == codecs.BOM_UTF16_LE
    assert rows_of(path) == [(1, TABLE[0]), (2, TABLE[1]), (3, TABLE[2]), (4, TABLE[3])]  # rows as Excel numbers them


def test_excel_unicode_text_imports(cb, tmp_path):
    cb("import", "donations", excel_text(tmp_path / "u.txt", TABLE[:3]))
    assert [(d["donor"], d["amount"]) for d in cb.json("list", "donations")] == [("王某", "1000.00"), ("李某", "50.00")]


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_the_delimiter_is_sniffed(tmp_path, delimiter, encoding):
    """A title line of one cell, then the table; Excel's "Text (Tab delimited)" is GBK/GB18030."""
    rows = [["2021年捐款名单"]] + TABLE
    assert [cells for _, cells in rows_of(excel_text(tmp_path / "t.csv", rows, encoding, delimiter))] == rows


def test_one_column_stays_one_column_and_commas_win_ties(tmp_path):
    path = excel_text(tmp_path / "one.csv", [["捐赠人"], ["王某"], ["李某; 赵某"]], "utf-8", ",")
    assert [cells for _, cells in rows_of(path)] == [["捐赠人"], ["王某"], ["李某; 赵某"]]
    mixed = tmp_path / "m.csv"
    mixed.write_text("捐赠人,金额\n王某,5\n", encoding="utf-8")
    assert rows_of(mixed)[1] == (2, ["王某", "5"])
    assert csv_file.sniff_delimiter("a\tb\nc\td\n") == "\t" and csv_file.sniff_delimiter("a,b\tc\n") == ","


def test_utf16_without_a_byte_order_mark_is_read(tmp_path):
    for codec in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{codec}.txt"
        path.write_bytes("捐赠人\t金额\r\n王某\t100\r\n一丁\t5\r\n".encode(codec))
        assert rows_of(path) == [(1, ["捐赠人", "金额"]), (2, ["王某", "100"]), (3, ["一丁", "5"])]


# -- files cut short, quotes never closed -------------------------------------------------------

# 59 lines; 上 is U+4E0A, whose UTF-16 holds the byte of a line feed
LINES = "捐赠人,金额,日期\r\n" + "".join(f"王某{i},{i},2021-09-07 上午\r\n" for i in range(2, 60))


@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("gb18030", b""), ("utf-8", codecs.BOM_UTF8),
                                           ("utf-16-le", codecs.BOM_UTF16_LE)])
def test_a_file_cut_in_the_middle_of_a_character_says_so_at_its_line(cb, tmp_path, encoding, bom):
    data = bom + (LINES + "赵某,5,2021-09-07\r\n李").encode(encoding)
    path = tmp_path / "cut.csv"
    path.write_bytes(data[:-1])  # 李 cut in half
    result = refused(cb, path, "line 61", "ends in the middle of a character", "cut short", "ask for the file again")
    assert "line 1," not in result.stderr


def test_a_quote_never_closed_is_reported_where_it_opens(cb, tmp_path):
    path = tmp_path / "q.csv"
    text = LINES[:LINES.index("王某56")] + '王某56,5,"2021-09-07\r\n' + LINES[LINES.index("王某57"):]
    path.write_text(text, encoding="utf-8")
    refused(cb, path, "a quote opened on line 56 is never closed")
    for end in ("\r\n", "\n甲\n乙\r\n", ""):  # on the last line, with and without a line break after it
        path.write_text(LINES + '王某,5,"2021-09-07' + end, encoding="utf-8")
        refused(cb, path, "a quote opened on line 60 is never closed")


def test_a_quote_never_closed_in_a_large_file_is_reported_too(cb, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(LINES + '王某,5,"2021\r\n' + "王某,1,2021-09-07\r\n" * 20_000, encoding="utf-8")
    refused(cb, path, "begins on line 60", "quote is never closed")


def test_a_bad_byte_is_named_at_its_line_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("捐赠人,金额\r\n王某,5\r\n".encode("gb18030") + b"abcd\xff,1\r\n")
    with pytest.raises(csv_file.CsvError, match=r"bad.csv: line 3, byte 5: 0xFF is neither UTF-8 nor GB18030"):
        rows_of(path)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1 << 20])
def test_line_and_column_do_not_depend_on_where_chunks_end(monkeypatch, tmp_path, chunk):
    """A character cut by a chunk's end is no error; an error's place is the file's own."""
    monkeypatch.setattr(csv_file, "CHUNK", chunk)
    path = tmp_path / "c.csv"
    path.write_bytes("捐赠人,金额\n王某,5\n".encode() + "李某".encode() + b",\xc0\n")
    assert csv_file._first_break(path, "utf-8") == csv_file._Break(33, 3, 8, 0xC0, False)
    path.write_bytes("捐赠人,金额\n王某,5\n李".encode("gb18030"))
    assert csv_file._first_break(path, "gb18030") is None
    path.write_bytes("捐赠人\n王某\n".encode("gb18030") + "李".encode("gb18030")[:1])
    assert csv_file._first_break(path, "gb18030") == csv_file._Break(12, 3, 1, "李".encode("gb18030")[0], True)


def test_a_gb18030_file_broken_late_is_reported_where_it_breaks(tmp_path):
    """UTF-8 fails on the first Chinese character; the line to name is where GB18030 fails."""
    path = tmp_path / "late.csv"
    path.write_bytes(LINES.encode("gb18030") + b"\x81\x20,1\r\n")
    with pytest.raises(csv_file.CsvError, match="line 60, byte 1: 0x81"):
        rows_of(path)


# -- thousands of sheets ------------------------------------------------------------------------

TOWNS = ["城关街道", "沙河子镇", "大赵峪街道", "夜村镇", "刘湾街道", "杨峪河镇", "金陵寺镇", "黑山镇", "杨斜镇", "麻街镇"]


def test_sheet_list_shows_ten_names_and_a_count():
    names = TOWNS + [f"村{i}" for i in range(1990)]
    text = sheet_list(names)
    assert text == "2,000 sheets: " + ", ".join(TOWNS) + ", … and 1,990 more"
    assert sheet_list(["城关街道"]) == "1 sheet: 城关街道"
    assert sheet_list(TOWNS[:3]) == "3 sheets: 城关街道, 沙河子镇, 大赵峪街道"
    assert sheet_list(["长" * 50, "a\x1b[31m"]) == "2 sheets: " + "长" * 31 + "…, a\ufffd[31m"


def _many(tmp_path, count=2000, rows=1500):
    data = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>1</v></c><c r="B{r}"><v>{r}</v></c></row>' for r in range(1, rows + 1))
    empties = {"空白": "", "样式": '<row r="1"><c r="A1" s="3"/><c r="B1" s="3"/></row>',
               "空串": '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v/></c><c r="C1" t="inlineStr"><is><t/></is></c>'
                       '<c r="D1"><f>A1</f></c></row>'}
    sheets = {**{name: empties[name] for name in empties}, **{f"村{i}": data for i in range(count - 3)}}
    sst = f'<sst xmlns="{MAIN_NS}" count="2" uniqueCount="2"><si><t/></si><si><t>王某</t></si></sst>'
    return package(tmp_path / "many.xlsx", "", sst, sheets=sheets)


def test_a_workbook_of_2000_sheets_finds_its_non_empty_ones_quickly(tmp_path):
    """calamine loaded every sheet to find the non-empty ones (5.5 s for 2,000 sheets of 2,000
    rows); the sheets' XML read up to the first value takes a tenth of a second."""
    with Book(_many(tmp_path)) as book:
        start = time.monotonic()
        found = book.non_empty()
        took = time.monotonic() - start
        assert found == [f"村{i}" for i in range(1997)] and took < 1.5, took
        assert all(cell == "" for _, cells in book.sheet("空串").rows for cell in cells)  # calamine agrees
        message = None
        try:
            book.sheet("城关街道")
        except Exception as error:
            message = error.message
    assert message.startswith("many.xlsx: no sheet named '城关街道'; 2,000 sheets: 空白, 样式, 空串, 村0,")
    assert message.endswith("… and 1,990 more") and len(message) < 200


def test_which_sheets_have_values_agrees_with_calamine(tmp_path):
    sheets = {"数字": '<row r="3"><c r="B3"><v>0</v></c></row>', "真假": '<row r="1"><c r="A1" t="b"><v>0</v></c></row>',
              "空格": '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row>',
              "文字": '<row r="1"><c r="A1" t="s"><v>1</v></c></row>', "空文字": '<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
              "公式空": '<row r="1"><c r="A1" t="str"><f>""</f><v></v></c></row>', "空行": '<row r="1"/><row/>',
              "富文本": '<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/></rPr><t>王</t></r></is></c></row>'}
    sst = f'<sst xmlns="{MAIN_NS}" count="2" uniqueCount="2"><si/><si><r><t>王某</t></r></si></sst>'
    with Book(package(tmp_path / "v.xlsx", "", sst, sheets=sheets)) as book:
        found = book.non_empty()
        by_calamine = [name for name in sheets if any(cell != "" for _, cells in book.sheet(name).rows for cell in cells)]
    assert found == by_calamine == ["数字", "真假", "空格", "文字", "富文本"]


@pytest.mark.parametrize("chunk", [1, 7, 1 << 20])
def test_empty_shared_strings_are_found_wherever_they_are(monkeypatch, chunk):
    monkeypatch.setattr(sheet_xml, "CHUNK", chunk)
    strings = ["<si><t/></si>", "<si><t>王某</t></si>", "<si/>", "<si>\n<t xml:space=\"preserve\"></t></si>",
               "<si><t> </t></si>", "<si><r><t>x</t></r></si>", "<si><t></t></si>"]
    sst = f'<?xml version="1.0"?><x:sst xmlns:x="{MAIN_NS}" uniqueCount="7">' + "".join(strings).replace("<", "<x:").replace("<x:/", "</x:") + "</x:sst>"
    assert sheet_xml.empty_shared_strings(io.BytesIO(sst.encode())) == {0, 2, 3, 6}


@pytest.mark.parametrize("chunk", [1, 7, 1 << 16])
def test_a_sheet_value_is_found_whatever_the_chunks(monkeypatch, chunk):
    monkeypatch.setattr(sheet_xml, "VALUE_CHUNK", chunk)
    empty = '<row r="1"><c r="A1" s="1"/><c r="B1" t="s"><v>0</v></c><c r="C1"><f>A1</f></c><c r="D1"><v/></c></row>'
    xml = f'<?xml version="1.0"?><worksheet xmlns="{MAIN_NS}"><sheetData>{empty * 3}'
    assert not sheet_xml.xlsx_has_values(io.BytesIO((xml + "</sheetData></worksheet>").encode()), frozenset({0}))
    for last in ('<c r="E1"><v>5</v></c>', '<c r="E1" t="s"><v>1</v></c>', '<c r="E1" t="inlineStr"><is><t>王</t></is></c>'):
        sheet = xml + f'<row r="9">{last}</row></sheetData></worksheet>'
        assert sheet_xml.xlsx_has_values(io.BytesIO(sheet.encode()), frozenset({0}))


def test_a_sheet_far_too_large_for_calamine_does_not_stop_the_others_being_listed(tmp_path):
    """Its value in A1 decides it: the reader does not load it (which would abort the child) to
    find that out; importing it would still be refused as a crash of the reader, as before."""
    far = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    path = package(tmp_path / "far.xlsx", "", sheets={"城关街道": '<row r="1"><c r="A1"><v>1</v></c></row>', "大": far})
    with Book(path) as book:
        assert book.non_empty() == ["城关街道", "大"]
