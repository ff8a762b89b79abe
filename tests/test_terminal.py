"""A terminal that behaves: errors and warnings, a dry run's verdict, progress bars that leave
nothing behind, tables that fit 80 and 120 columns without breaking a number or a date, readable
batches, times and records, and option values refused as usage errors."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rich.cells import cell_len
from sheets import csv_file, make_id, xlsx

from charitybook.cli.app import app
from charitybook.money import to_fen, yuan

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data" / "township"
ID1 = make_id("61100219450312002")
WIDTHS = (80, 120)


def run(cb, *args, columns: int | None = None, expect: int | None = 0):
    env = {"COLUMNS": str(columns)} if columns else {}
    result = cb.runner.invoke(app, ["--db", str(cb.db), *map(str, args)], env=env)
    if expect is not None:
        assert result.exit_code == expect, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


def last_line(result) -> str:
    return result.output.strip().splitlines()[-1]


def bad_sheet(path: Path) -> Path:
    return xlsx(path, {"城关街道": [["捐赠人", "捐赠金额", "捐赠日期"], ["王某", "100", "2021-09-01"],
                                  ["李某", "abc", "2021-09-01"], ["赵某", "1,2000", "2021-09-01"],
                                  ["周某", "70", "2021-09-02"]]})


# --- errors, warnings and the dry run's verdict ---------------------------------------------

def test_a_dry_run_that_would_fail_says_so_last_in_red_words(cb, tmp_path):
    result = run(cb, "import", "donations", bad_sheet(tmp_path / "bad.xlsx"), "--township", "城关街道", "--new-township", "--dry-run",
                 expect=1)
    assert last_line(result) == ("Error: Dry run: the import would fail — 2 problem(s) must be fixed first; "
                                 "nothing was written")
    problems = [line for line in result.stderr.splitlines() if "not an amount" in line or "thousands" in line]
    assert len(problems) == 2 and all(line.startswith("Error: ") for line in problems)
    assert "would be imported" not in result.output


def test_a_dry_run_that_would_succeed_says_how_many_rows_last(cb):
    result = run(cb, "import", "donations", SAMPLES / "donations_城关街道.xlsx", "--dry-run")
    assert last_line(result) == ("Dry run: 6 row(s) would be imported: the import would succeed; "
                                 "nothing was written")
    assert "Error" not in result.output and "Warning" not in result.output


def test_with_skip_invalid_a_dry_run_warns_about_the_rows_left_out(cb, tmp_path):
    """--skip-invalid: a row with a problem does not block the import, so it is a warning, and the
    dry run says the import would work without those rows."""
    path = bad_sheet(tmp_path / "bad.xlsx")
    result = run(cb, "import", "donations", path, "--township", "城关街道", "--new-township", "--dry-run", "--skip-invalid")
    problems = [line for line in result.stderr.splitlines() if "not an amount" in line]
    assert problems and all(line.startswith("Warning: ") for line in problems)
    assert "Error" not in result.output
    assert last_line(result) == ("Dry run: 2 row(s) would be imported and 2 row(s) with problems left out; "
                                 "nothing was written")
    real = run(cb, "import", "donations", path, "--township", "城关街道", "--new-township", "--skip-invalid")
    assert "Imported 2 row(s)" in real.output and "Error" not in real.output


def test_an_import_that_fails_ends_with_the_error_and_its_hint(cb, tmp_path):
    result = run(cb, "import", "donations", bad_sheet(tmp_path / "bad.xlsx"), "--township", "城关街道", "--new-township", expect=1)
    lines = result.stderr.strip().splitlines()
    assert lines[-2] == "Error: bad.xlsx: 2 problem(s); nothing was imported"
    assert lines[-1].startswith("  hint: ")


def test_a_relief_dry_run_that_would_fail_says_so_last(cb):
    """The roster's gifts would overdraw the general fund (it holds nothing)."""
    result = run(cb, "import", "relief", SAMPLES / "春节花名册_城关街道.xlsx", "--holiday", "春节", "--date", "2021-02-06",
                 "--dry-run", expect=1)
    assert last_line(result).startswith("Error: Dry run: the import would fail — 5 problem(s) must be fixed first")
    run(cb, "fund", "opening", "general", "--date", "2020-12-31", "--cash", "200000")
    run(cb, "add-purchase", "--item", "米面油", "--amount", "1000", "--quantity", "10", "--unit", "份", "--date", "2021-01-20")
    result = run(cb, "import", "relief", SAMPLES / "春节花名册_城关街道.xlsx", "--holiday", "春节", "--date", "2021-02-06",
                 "--goods-item", "米面油", "--dry-run")
    assert last_line(result) == ("Dry run: 5 row(s) would be imported: the import would succeed; "
                                 "nothing was written")


# --- progress bars in a real terminal -----------------------------------------------------

class Screen:
    """Just enough of a terminal to replay what rich writes: text, line ends, cursor up, erase line."""

    def __init__(self, columns: int):
        self.columns, self.rows, self.row, self.col = columns, [[]], 0, 0

    def feed(self, text: str) -> None:
        index = 0
        while index < len(text):
            char = text[index]
            if char == "\x1b":
                match = re.match(r"\x1b\[([?0-9;]*)([A-Za-z])|\x1b\][^\x07]*\x07|\x1b.", text[index:])
                self._control(match.group(1) or "", match.group(2) or "")
                index += match.end()
                continue
            index += 1
            if char == "\r":
                self.col = 0
            elif char == "\n":
                self.row += 1
                self.col = 0
            elif char >= " ":
                width = cell_len(char)
                if self.col + width > self.columns:
                    self.row, self.col = self.row + 1, 0
                line = self._line()
                line.extend([" "] * (self.col + width - len(line)))
                line[self.col:self.col + width] = [char] + [""] * (width - 1)
                self.col += width

    def _line(self) -> list:
        while len(self.rows) <= self.row:
            self.rows.append([])
        return self.rows[self.row]

    def _control(self, params: str, command: str) -> None:
        count = int(params) if params.isdigit() else 1
        if command == "A":
            self.row = max(0, self.row - count)
        elif command == "B":
            self.row += count
        elif command == "K":
            line = self._line()
            if params in ("2",):
                line.clear()
            elif params in ("", "0"):
                del line[self.col:]
        elif command == "G":
            self.col = count - 1

    def text(self) -> list[str]:
        return ["".join(line).rstrip() for line in self.rows]


def in_terminal(args: list, cwd: Path, columns: int = 80) -> tuple[int, str, list[str]]:
    """Run charitybook in a pseudo-terminal of ``columns``; its exit code, what it wrote, and the
    screen it leaves."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, columns, 0, 0))
    env = {**os.environ, "CHARITYBOOK_LANG": "en", "TERM": "xterm-256color", "PYTHONIOENCODING": "utf-8"}
    for name in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM_PROGRAM"):
        env.pop(name, None)
    process = subprocess.Popen([sys.executable, "-c", "from charitybook.cli.app import main; main()", *map(str, args)],
                               stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child has gone: EIO
            break
        if not chunk:
            break
        chunks.append(chunk)
    code = process.wait(timeout=120)
    os.close(master)
    written = b"".join(chunks).decode("utf-8", "replace")
    screen = Screen(columns)
    screen.feed(written)
    return code, written, screen.text()


SPINNER = re.compile(r"[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏━]")

posix_only = pytest.mark.skipif(os.name != "posix", reason="a pseudo-terminal is POSIX")


@posix_only
@pytest.mark.parametrize("columns", WIDTHS)
def test_the_progress_bar_of_an_import_leaves_nothing_behind(cb, tmp_path, columns):
    rows = [["捐赠人", "捐赠金额", "捐赠日期"]] + [[f"捐赠人{n}", f"{n % 900 + 1}.50", "2021-09-01"] for n in range(3000)]
    path = csv_file(tmp_path / "一日捐_城关街道.csv", rows)
    code, written, screen = in_terminal(["--db", cb.db, "import", "donations", path, "--township", "城关街道", "--new-township"],
                                        tmp_path, columns)
    assert code == 0, "\n".join(screen)
    assert "Reading 一日捐_城关街道.csv" in written          # the bar was drawn ...
    assert not [line for line in screen if SPINNER.search(line) or "Reading" in line], "\n".join(screen)  # ... and is gone
    assert any(line.startswith("Imported 3,000 row(s) from 一日捐_城关街道.csv") for line in screen), "\n".join(screen)
    assert all(cell_len(line) <= columns for line in screen)


@posix_only
def test_a_failed_import_in_a_terminal_leaves_no_bar_and_ends_with_the_error(cb, tmp_path):
    rows = [["捐赠人", "捐赠金额", "捐赠日期"]] + [[f"捐赠人{n}", f"{n}.50", "2021-09-01"] for n in range(1, 2500)]
    rows.append(["李某", "abc", "2021-09-01"])
    path = csv_file(tmp_path / "bad.csv", rows)
    for dry in ([], ["--dry-run"]):
        code, written, screen = in_terminal(["--db", cb.db, "import", "donations", path, "--township", "城关街道", "--new-township", *dry],
                                            tmp_path)
        assert code == 1
        assert "Reading bad.csv" in written
        shown = [line for line in screen if line]
        assert not [line for line in shown if SPINNER.search(line) or "Reading" in line], "\n".join(screen)
        assert shown[0].startswith("bad.csv: header at row 1"), "\n".join(screen)   # nothing glued before it
        assert any(line.startswith("Error: bad.csv, row 2501") for line in shown)


@posix_only
def test_long_lines_wrap_between_words_in_a_terminal(cb, tmp_path):
    code, _written, screen = in_terminal(["--db", cb.db, "import", "donations", SAMPLES / "donations_各乡镇.xlsx",
                                          "--all-sheets", "--sheet-is-township", "--date", "2021-09-09", "--dry-run"],
                                         tmp_path, 60)
    assert code == 0
    words = ("unit_value", "goods_item", "quantity", "6,200.00", "176,200.00", "2,420.00", "footer", "amount")
    cut = [word for word in words if not any(word in line for line in screen)]
    assert not cut, "\n".join(screen)   # each word whole on one line, not cut where the terminal ends


# --- tables at 80 and 120 columns ---------------------------------------------------------

LONG_FUND = "商州区城关街道东关社区爱心助学冠名基金"


@pytest.fixture
def busy(cb):
    """A ledger with something in every list, names long enough to need wrapping."""
    run(cb, "fund", "opening", "general", "--date", "2020-12-31", "--cash", "2000000")
    run(cb, "fund", "add", LONG_FUND, "--kind", "named", "--sponsor", "陕西秦岭粮油有限公司商州分公司")
    run(cb, "add-donation", "--donor", "陕西秦岭粮油有限公司商州分公司", "--amount", "103500", "--date", "2021-02-05",
        "--fund", LONG_FUND, "--channel", "bank", "--campaign", "2021年99公益日", "--note", "一笔很长很长的备注" * 3)
    run(cb, "add-donation", "--donor", "商洛某超市", "--goods", "食用油", "--quantity", "40", "--unit", "桶",
        "--unit-value", "60.5", "--date", "2021-02-05")
    run(cb, "add-purchase", "--item", "米面油", "--amount", "12345.67", "--quantity", "60", "--unit", "份",
        "--date", "2021-01-20")
    run(cb, "add-disbursement", "--payee", "区慈善协会办公室", "--amount", "8000", "--purpose", "management",
        "--category", "办公", "--date", "2021-06-30")
    run(cb, "add-pledge", "--donor", "商洛某建设集团有限责任公司", "--amount", "1234567.89", "--due", "2021-12-31",
        "--date", "2021-03-01")
    run(cb, "beneficiary", "add", "--name", "王大山", "--id-number", ID1, "--township", "大赵峪街道", "--new-township",
        "--village", "刘湾村", "--household-size", "2", "--hardship-type", "低保户")
    run(cb, "case", "open", "--name", "张小红", "--id-number", "61100220100315002X", "--category", "助医",
        "--amount", "30000", "--reason", "白血病治疗", "--township", "城关街道", "--new-township", "--date", "2021-04-01")
    run(cb, "case", "approve", "1", "--amount", "20000", "--date", "2021-04-10")
    run(cb, "relief", "give", "--holiday", "春节", "--name", "刘秀英", "--id-number", "611002194811200045",
        "--township", "大赵峪街道", "--new-township", "--village", "刘湾村", "--cash", "300", "--goods", "米面油", "--quantity", "1",
        "--unit", "份", "--goods-value", "100", "--date", "2021-02-05")
    run(cb, "import", "donations", SAMPLES / "donations_各乡镇.xlsx", "--all-sheets", "--sheet-is-township",
        "--date", "2021-09-09")
    return cb


TABLES = [
    ["list", "donations"], ["list", "donors"], ["list", "disbursements"], ["list", "funds"], ["list", "pledges"],
    ["beneficiary", "list"], ["case", "list"], ["relief", "list"], ["balance", "--year", "2021"], ["balance"],
    ["import", "batches"], ["import", "profiles"], ["fund", "stock"],
]

MONEY = re.compile(r"^-?\d+\.\d\d$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


def _unbreakable(value) -> str | None:
    """A JSON value as the table shows it, when it must stay whole: money, a date, an ID."""
    if not isinstance(value, str):
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else None
    if MONEY.match(value):
        return yuan(to_fen(Decimal(value)))
    if DATE.match(value) or re.fullmatch(r"[0-9A-Z*\-]{6,}", value):
        return value
    return None


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("args", TABLES, ids=" ".join)
def test_tables_fit_the_width_and_keep_numbers_and_dates_whole(busy, args, columns):
    table = run(busy, *args, columns=columns).stdout
    assert table.strip()
    too_wide = [line for line in table.splitlines() if cell_len(line) > columns]
    assert not too_wide, "\n".join(too_wide)
    rows = json.loads(run(busy, *args, "--format", "json").stdout)
    assert rows
    cells = re.split(r"\s*[│┃]\s*", table)
    for row in rows:
        for key, value in row.items():
            shown = _unbreakable(value)
            if shown is None or key in ("id_code", "contact", "built_in"):
                continue
            assert shown in cells or key not in _shown_keys(table, args), (key, shown, table)


def _shown_keys(table: str, args) -> set:
    """The JSON keys whose column the (brief) table shows."""
    heads = {"amount": ("Cash 元", "Pledged", "Cash"), "goods_value": ("Goods 元",), "date": ("Date", "Opened"),
             "receipt_no": ("Receipt",), "cash": ("Cash", "Cash 元"), "goods": ("Goods", "Goods 元"),
             "principal": ("Principal",), "opening_cash": ("Opening",), "in_cash": ("In cash",),
             "out_cash": ("Out cash",), "opening_goods": ("Opening",), "in_goods": ("In goods",),
             "out_goods": ("Out goods",), "fulfilled": ("Fulfilled",), "outstanding": ("Outstanding",),
             "due_date": ("Due",), "asked": ("Asked 元",), "approved": ("Approved 元",), "paid": ("Paid 元",),
             "id_number": ("ID number",), "value": ("Value 元",), "rows": ("Rows",), "id": ("#",)}
    return {key for key, names in heads.items() if any(name in table for name in names)}


@pytest.mark.parametrize("columns", WIDTHS)
def test_a_wide_table_is_cut_into_parts_that_each_start_with_the_first_column(busy, columns):
    table = run(busy, "balance", "--year", "2021", columns=columns).stdout
    parts = table.count("Balances 2021")
    assert parts >= 2  # eleven columns: two tables or more, at 80 and at 120
    assert "Balances 2021 (continued)" in table
    assert table.count("┃ Fund") == parts
    for fund in json.loads(run(busy, "balance", "--year", "2021", "--format", "json").stdout):
        for key in ("opening_cash", "in_cash", "cash", "in_goods", "goods"):
            assert yuan(to_fen(Decimal(fund[key]))) in table
    wide = run(busy, "balance", "--year", "2021", columns=200).stdout
    assert "(continued)" not in wide


def test_text_wraps_and_only_text(busy):
    table = run(busy, "list", "donations", columns=80).stdout
    assert "2021-02-05" in table and "103,500.00" in table
    donor = "陕西秦岭粮油有限公司商州分公司"
    assert donor not in table              # wrapped ...
    assert donor[:4] in table              # ... between characters


def test_piped_output_is_laid_out_wide_unless_columns_says_otherwise(busy):
    piped = busy("balance", "--year", "2021").stdout
    assert "(continued)" not in piped and max(cell_len(line) for line in piped.splitlines()) > 120


# --- batches, times and records -----------------------------------------------------------

def test_import_batches_show_sheets_options_and_local_times_as_text(busy):
    table = run(busy, "import", "batches", columns=200).stdout
    assert "大赵峪街道, 沙河子镇" in table
    assert "--all-sheets --date 2021-09-09 --sheet-is-township" in table
    assert "[" not in table and "{" not in table and '"' not in table
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", table)          # no ISO stamps ...
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", table)             # ... but local minutes
    rows = json.loads(busy("import", "batches", "--format", "json").stdout)
    assert rows[0]["sheets"] == '["大赵峪街道", "沙河子镇"]'              # JSON: as stored, a contract
    assert "T" in rows[0]["imported_at"]


def test_a_profile_import_shows_the_profile_not_its_mappings(cb):
    platforms = SAMPLES.parent / "platforms"
    run(cb, "import", "donations", platforms / "腾讯公益_订单.csv", "--profile", "腾讯公益")
    table = run(cb, "import", "batches", columns=200).stdout
    assert "--profile 腾讯公益" in table and "--map" not in table


def test_local_time_is_the_computers_local_time_to_the_minute():
    from charitybook.dates import local_time

    moment = dt.datetime(2026, 12, 2, 1, 41, 9, tzinfo=dt.timezone.utc)
    assert local_time(moment.isoformat()) == moment.astimezone().strftime("%Y-%m-%d %H:%M")
    assert local_time("2026-12-02T09:41:00+08:00") == dt.datetime(2026, 12, 2, 1, 41, tzinfo=dt.timezone.utc) \
        .astimezone().strftime("%Y-%m-%d %H:%M")
    assert local_time("2026-12-02 09:41:30") == "2026-12-02 09:41"
    assert local_time(None) == "" and local_time("not a time") == "not a time"


def test_an_import_behind_another_names_that_one_and_its_local_time(cb):
    """The clerk whose import waits is told whose import it waits for (not its own), since when."""
    import threading
    import time

    from charitybook.dates import local_time
    from charitybook.ledger import Actor, open_ledger

    holder = open_ledger(cb.db, Actor(user="张会计"))
    ready, seen = threading.Event(), {}

    def import_for_a_while():
        with holder.busy("an import of 城关街道.xlsx"), holder.write():
            seen["note"] = json.loads(holder.busy_note_path.read_text(encoding="utf-8"))
            ready.set()
            time.sleep(1.5)

    thread = threading.Thread(target=import_for_a_while)
    thread.start()
    ready.wait()
    result = run(cb, "import", "donations", SAMPLES / "donations_城关街道.xlsx")
    thread.join()
    holder.close()
    assert f"waiting for an import of 城关街道.xlsx (张会计, since {local_time(seen['note']['since'])}) to finish…" \
        in result.stderr
    assert "Imported 6 row(s)" in result.stdout


SHOWS = [["show", "2"], ["show", "3"], ["case", "show", "1"], ["beneficiary", "show", "1"], ["config"]]


@pytest.mark.parametrize("args", SHOWS, ids=" ".join)
def test_show_commands_use_labels_and_yuan_not_internal_keys(busy, args):
    shown = run(busy, *args, columns=80).stdout
    assert not re.search(r"\b\w+_(fen|id|at|on|no)\b", shown), shown
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d", shown), shown
    assert all(cell_len(line) <= 80 for line in shown.splitlines())


def test_case_show_in_full(busy):
    shown = run(busy, "case", "show", "1").stdout
    for label, value in (("Asked", "30,000.00 元"), ("Approved", "20,000.00 元"), ("Paid", "0.00 元"),
                         ("Opened", "2021-04-01"), ("ID number", "6110**********002X")):
        assert re.search(rf"^{re.escape(label)}\s+{re.escape(value)}\s*$", shown, re.M), shown
    assert "beneficiary" not in shown.lower() and "3000000" not in shown
    data = busy.json("case", "show", "1")
    assert data["asked"] == "30000.00" and data["approved"] == "20000.00" and data["paid"] == "0.00"
    assert not [key for key in data if key.endswith("_fen")]


def test_show_entry_money_in_yuan_with_its_postings(busy):
    shown = run(busy, "show", "2").stdout
    assert re.search(r"^Cash amount\s+103,500\.00 元\s*$", shown, re.M), shown
    assert re.search(r"^Receipt\s+2021-000001\s*$", shown, re.M)
    assert f"  {LONG_FUND}: cash 103,500.00 元, goods 0.00 元" in shown
    assert busy.json("show", "2")["amount"] == "103500.00"


# --- option values --------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["list", "donations", "--year", "21"], ["balance", "--year", "21"], ["case", "list", "--year", "21"],
    ["relief", "list", "--year", "21"], ["report", "annual", "--year", "21"], ["list", "donations", "--year", "1989"],
    ["list", "donations", "--year", "abc"], ["list", "donations", "--from", "2021-13-01"],
    ["list", "donations", "--to", "21-1-1"], ["add-donation", "--donor", "王某", "--amount", "abc"],
    ["add-donation", "--donor", "王某", "--amount", "1,2000"], ["add-donation", "--donor", "王某", "--amount", "5", "--date", "2021-02-30"],
    ["add-pledge", "--donor", "王某", "--amount", "5", "--due", "2021-13-01"], ["case", "approve", "1", "--amount", "-5"],
    ["add-donation", "--donor", "王某", "--goods", "米", "--quantity", "abc", "--unit-value", "5"],
    ["import", "relief", "x.xlsx", "--holiday", "春节", "--year", "21"],
    ["import", "donations", "x.xlsx", "--date", "2021-13-01"], ["report", "holiday", "--year", "20211"],
], ids=" ".join)
def test_a_bad_option_value_is_a_usage_error(cb, args):
    result = run(cb, *args, expect=2)
    assert "(nothing to show)" not in result.output
    assert "Traceback" not in result.output
    assert any(line.startswith("Error: ") for line in result.stderr.splitlines())


def test_a_donor_report_without_a_donor_is_a_usage_error(cb):
    result = run(cb, "report", "donor", "--year", "2021", expect=2)
    assert "--donor NAME" in result.stderr and "Traceback" not in result.output


def test_chinese_punctuation_stays_with_its_words():
    """A line never starts with a closing mark or ends with an opening one: 现金（元 / ） was seen."""
    from charitybook.cli.output import _wrap

    assert _wrap("现金（元）", 6) == "现金\n（元）"
    assert _wrap("城关街道，东关社区", 10) == "城关街道，\n东关社区"
    assert _wrap("（三）金额", 6) == "（三）\n金额"
    for width in range(8, 16):   # a text column is never narrower than 8 cells
        for line in _wrap("捐赠金额（元）：城关街道、东关社区（村）", width).splitlines():
            assert not line.startswith(tuple("）」，。、：；")) and not line.endswith(tuple("（「")), (width, line)
