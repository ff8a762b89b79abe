"""Lists and exports on a ledger of a million donations, against a bare query.

    .venv/bin/python bench/list_bench.py --rows 1000000

Builds the ledger once (bench/out/ledger_<rows>.db, by importing import_bench's CSV) and times,
each in its own process with its peak memory: (d) a bare `sqlite3` run of the same query
`list donations` runs, written with `csv.writer` to /dev/null; then the commands as a clerk or a
script types them, stdout to /dev/null. The first screen of a table is the whole command.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from import_bench import init_ledger, make_files, measure  # noqa: E402

BARE_EXPORT = """
import csv, sqlite3, sys
from charitybook.ledger.listing import DONATIONS
conn = sqlite3.connect(sys.argv[1])
cursor = conn.execute(DONATIONS.select + " ORDER BY d.date, d.entry_id")
writer = csv.writer(open("/dev/null", "w", newline="", encoding="utf-8"))
writer.writerow([c[0] for c in cursor.description])
while rows := cursor.fetchmany(2000):
    writer.writerows(rows)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    args.keep.mkdir(exist_ok=True)
    _xlsx, csv_path = make_files(args.rows, args.keep)
    py = sys.executable
    db = args.keep / f"ledger_{args.rows}.db"
    if not db.exists():
        init_ledger(py, db)
        subprocess.run([py, "-m", "charitybook", "--db", str(db), "import", "donations", str(csv_path)], check=True,
                       capture_output=True)
    cb = [py, "-m", "charitybook", "--db", str(db), "--lang", "zh"]
    runs = [("(d) bare sqlite3 query → csv.writer", [py, "-c", BARE_EXPORT, str(db)]),
            ("`list donations` (a table: the latest 50)", cb + ["list", "donations"]),
            ("`list donations --township 沙河子镇 --from 2021-12-01`", cb + ["list", "donations", "--township", "沙河子镇", "--from", "2021-12-01"]),
            ("`list donors` (a table: the latest 50)", cb + ["list", "donors"]),
            ("`list donations --format csv`", cb + ["list", "donations", "--format", "csv"]),
            ("`list donations --format json`", cb + ["list", "donations", "--format", "json"]),
            ("`list donations --format jsonl`", cb + ["list", "donations", "--format", "jsonl"]),
            ("`list donors --format csv`", cb + ["list", "donors", "--format", "csv"]),
            ("`check`", cb + ["check"])]
    results = [(label, *measure(command)) for label, command in runs]
    print(f"ledger: {args.rows:,} donations")
    print("| what | seconds | peak MB | × (d) |")
    print("| --- | ---: | ---: | ---: |")
    bare = results[0][1]
    for label, seconds, mb in results:
        print(f"| {label} | {seconds:.2f} | {mb:.0f} | {seconds / bare:.2f}× |")


if __name__ == "__main__":
    main()
