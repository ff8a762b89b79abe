"""Report speed on a large ledger: `report annual` (md, json, xlsx) against one bare
`SELECT SUM(...) GROUP BY` scan of the same table.

    .venv/bin/python bench/report_bench.py --entries 5000000

Builds (once, kept in bench/out/) a ledger of N entries over 10 years (2016-2025): 90% donations,
10% disbursements, written through the ledger's own bulk writer. Prints a table for bench/README.md.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

YEARS = range(2016, 2026)
TOWNS = ["城关街道", "大赵峪街道", "沙河子镇", "杨峪河镇", "北宽坪镇", "夜村镇"]
CHANNELS = ["cash", "bank", "online", "other"]
CATEGORIES = ["助医", "助学", "助困", "助残", "安老", "节日慰问"]


def build(path: Path, entries: int) -> None:
    from charitybook.ledger import create_ledger
    from charitybook.ledger.donations import DonationRow, insert_donations
    from charitybook.services.funds import add_fund

    ledger = create_ledger(path, "基准测试慈善协会", "social")
    for name in ("朝阳助学", "幸福家园"):
        add_fund(ledger, name, "restricted", None, name, None)
    rnd = random.Random(7)
    donors = 5000
    with ledger.write():
        ledger.conn.executemany("INSERT INTO donors (name, type, created_at) VALUES (?, ?, 'bench')",
                                [(f"捐赠人{i:05d}", "个人" if i % 10 else "企业") for i in range(donors)])
    n_donations = entries * 9 // 10
    per_year = n_donations // len(YEARS)
    for year in YEARS:
        with ledger.write():
            for start in range(0, per_year, 50_000):
                rows = []
                for seq in range(start + 1, min(per_year, start + 50_000) + 1):
                    cash = rnd.randint(1000, 500_000)
                    rows.append(DonationRow(
                        date=f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}", note=None, batch_id=None,
                        source=None, fund_id=rnd.randint(1, 3), cash_fen=cash, goods_fen=0, principal_fen=0,
                        item=None, quantity=None, unit=None, unit_value_fen=None, receipt_year=year, receipt_seq=seq,
                        donor_id=rnd.randint(1, donors), channel=rnd.choice(CHANNELS), platform=None,
                        township=rnd.choice(TOWNS), campaign=None, pledge_id=None, external_ref=None))
                insert_donations(ledger, rows)
        print(f"built {year}", file=sys.stderr)
    n_out = (entries - n_donations) // len(YEARS)
    for year in YEARS:
        with ledger.write():
            first = ledger.conn.execute("SELECT max(id) + 1 FROM entries").fetchone()[0]
            ids = range(first, first + n_out)
            ledger.conn.executemany("INSERT INTO entries (id, kind, date, created_at) VALUES (?, 'disbursement', ?, 'bench')",
                                    [(i, f"{year}-12-{rnd.randint(1, 28):02d}") for i in ids])
            spend = [(i, rnd.randint(1, 3), rnd.randint(100, 20_000), rnd.choice(["charitable"] * 8 + ["management", "fundraising"]),
                      rnd.choice(CATEGORIES), rnd.choice(TOWNS)) for i in ids]
            dates = dict(ledger.conn.execute("SELECT id, date FROM entries WHERE id >= ?", (first,)).fetchall())
            ledger.conn.executemany("INSERT INTO postings (entry_id, fund_id, cash_fen, date, kind) VALUES (?, ?, ?, ?, 'disbursement')",
                                    [(i, f, -fen, dates[i]) for i, f, fen, *_ in spend])
            ledger.conn.executemany("INSERT INTO disbursements (entry_id, fund_id, payee, purpose, category, cash_fen, goods_fen, township) "
                                    "VALUES (?, ?, 'bench', ?, ?, ?, 0, ?)", [(i, f, p, c, fen, t) for i, f, fen, p, c, t in spend])
    ledger.conn.execute("ANALYZE")
    ledger.close()


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=5_000_000)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    path = out / f"ledger_{args.entries}.db"
    if not path.exists():
        start = time.perf_counter()
        build(path, args.entries)
        print(f"built {args.entries:,} entries in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    conn = sqlite3.connect(path)
    start = time.perf_counter()
    conn.execute("SELECT channel, sum(cash_fen), sum(goods_fen) FROM donations GROUP BY channel").fetchall()
    scan = time.perf_counter() - start
    conn.close()
    py = sys.executable
    base = [py, "-m", "charitybook", "--db", str(path), "report", "annual", "--year", str(args.year)]
    startup = timed([py, "-m", "charitybook", "--help"])
    results = [("bare SELECT SUM … GROUP BY over donations (in-process)", scan), ("charitybook --help (start-up)", startup)]
    for fmt in ("md", "json", "xlsx"):
        extra = ["--format", fmt] + (["--output", str(out / "annual.xlsx")] if fmt == "xlsx" else [])
        results.append((f"report annual --format {fmt} (whole command)", timed(base + extra)))
    results.append(("charitybook check (whole command)", timed([py, "-m", "charitybook", "--db", str(path), "check"])))
    print(f"entries: {args.entries:,} over {len(YEARS)} years; report year {args.year}")
    print("| what | seconds | × bare scan |")
    print("| --- | ---: | ---: |")
    for label, seconds in results:
        print(f"| {label} | {seconds:.2f} | {seconds / scan:.1f} |")


if __name__ == "__main__":
    main()
