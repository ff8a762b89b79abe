"""Import speed and memory against the floors, on the same generated files.

    .venv/bin/python bench/import_bench.py --rows 1000000

Each measurement runs in its own process; peak memory is that process tree's resident memory
(the importer reads workbooks in a child process), sampled every 20 ms.
(a) python-calamine only reading the xlsx; (b) a bare csv.reader -> Decimal -> fen ->
sqlite3.executemany of the CSV; (c) `sqlite-utils insert --csv`; then `charitybook import
donations` on the xlsx and on the CSV. Prints a table; copy it into bench/README.md.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
ORGS = ["商洛某某有限公司", "商州区教育局", "陕西秦岭粮油厂", "城关街道办事处", "商洛市企业家协会", "东关百货店"]
TOWNS = ["城关街道", "大赵峪街道", "沙河子镇", "杨峪河镇", "北宽坪镇", "夜村镇"]
CHANNELS = ["现金", "银行转账", "腾讯公益", "微信"]
HEADER = ["序号", "订单号", "捐赠人", "捐赠金额（元）", "捐赠日期", "捐赠方式", "乡镇", "备注"]


def rows(n: int):
    rnd = random.Random(42)
    for i in range(1, n + 1):
        donor = rnd.choice(ORGS) if rnd.random() < 0.1 else rnd.choice(SURNAMES) + "".join(rnd.choices(GIVEN, k=rnd.randint(1, 2)))
        fen = rnd.randint(100, 5_000_000)
        day = f"2021-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        yield [i, f"T{i:010d}", donor, f"{fen // 100}.{fen % 100:02d}", day, rnd.choice(CHANNELS), rnd.choice(TOWNS), ""]


def make_files(n: int, folder: Path) -> tuple[Path, Path]:
    import csv

    from openpyxl import Workbook

    csv_path, xlsx_path = folder / f"donations_{n}.csv", folder / f"donations_{n}.xlsx"
    if not csv_path.exists():
        with open(csv_path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(rows(n))
    if not xlsx_path.exists():
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("城关街道")
        sheet.append(HEADER)
        for row in rows(n):
            row[3] = float(row[3])
            sheet.append(row)
        workbook.save(xlsx_path)
    return xlsx_path, csv_path


CALAMINE_ONLY = """
import sys
from python_calamine import CalamineWorkbook
sheet = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0)
n = sum(1 for _ in sheet.iter_rows())
print(n)
"""

BARE_CSV = """
import csv, sqlite3, sys
from decimal import Decimal
conn = sqlite3.connect(sys.argv[2])
conn.execute("CREATE TABLE d (ref TEXT, donor TEXT, fen INTEGER, date TEXT, channel TEXT, township TEXT)")
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    next(reader)
    conn.executemany("INSERT INTO d VALUES (?, ?, ?, ?, ?, ?)",
                     ((r[1], r[2], int(Decimal(r[3]) * 100), r[4], r[5], r[6]) for r in reader))
conn.commit()
"""


def init_ledger(py: str, db: Path) -> None:
    """A new ledger with the bench's townships registered as stations (an import never registers one)."""
    subprocess.run([py, "-m", "charitybook", "--db", str(db), "init", "--name", "bench"], check=True, capture_output=True)
    for town in TOWNS:
        subprocess.run([py, "-m", "charitybook", "--db", str(db), "station", "add", town], check=True, capture_output=True)


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, now (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def measure(cmd: list[str]) -> tuple[float, float]:
    """Wall time, and peak memory of the whole process tree: the importer reads workbooks in a
    child process, and what counts is what both hold at once. Sampled every 20 ms."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_kb = 0
    while proc.poll() is None:
        peak_kb = max(peak_kb, _tree_rss_kb(proc.pid))
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    return elapsed, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    args.keep.mkdir(exist_ok=True)
    xlsx_path, csv_path = make_files(args.rows, args.keep)
    py = sys.executable
    bindir = Path(py).parent
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        results.append(("(a) calamine bare read, xlsx", *measure([py, "-c", CALAMINE_ONLY, str(xlsx_path)])))
        results.append(("(b) csv.reader→Decimal→executemany", *measure([py, "-c", BARE_CSV, str(csv_path), str(tmp / "bare.db")])))
        results.append(("(c) sqlite-utils insert --csv", *measure([str(bindir / "sqlite-utils"), "insert", str(tmp / "su.db"), "d", str(csv_path), "--csv"])))
        for label, path in (("charitybook import, xlsx", xlsx_path), ("charitybook import, csv", csv_path)):
            db = tmp / f"{path.suffix[1:]}.db"
            init_ledger(py, db)
            results.append((label, *measure([py, "-m", "charitybook", "--db", str(db), "import", "donations", str(path)])))
    base = {label[:3]: (t, m) for label, t, m in results}
    print(f"rows: {args.rows:,}")
    print("| what | seconds | peak MB |")
    print("| --- | ---: | ---: |")
    for label, seconds, mb in results:
        print(f"| {label} | {seconds:.1f} | {mb:.0f} |")
    xt, xm = results[3][1], results[3][2]
    ct, cm = results[4][1], results[4][2]
    print(f"\nxlsx import / calamine read: time {xt / base['(a)'][0]:.2f}×, peak memory {xm / base['(a)'][1]:.2f}×")
    print(f"csv import / bare floor (b): time {ct / base['(b)'][0]:.2f}×; csv import peak {cm:.0f} MB")
    print(f"csv import / sqlite-utils (c): time {ct / base['(c)'][0]:.2f}×")


if __name__ == "__main__":
    main()
