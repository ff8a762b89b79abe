"""A clerk's one-row `add-donation` while another clerk dry-runs a large file, and while a real
import of it runs.

    .venv/bin/python bench/dry_run_bench.py --rows 200000

The file is import_bench's CSV, into a new ledger with its townships. While the import runs in
its own process, `add-donation` runs once a second, each in its own process, and is timed; the
table gives how many ran and the slowest, and (for the real import) how many said they were
waiting for the import. The issue's target: under a second during a dry run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from import_bench import init_ledger, make_files  # noqa: E402


def clerks_beside(py: str, db: Path, import_args: list[str]) -> tuple[float, list[tuple[float, str]]]:
    """Run the import; meanwhile one add-donation a second. (import seconds, [(seconds, stderr)])."""
    cb = [py, "-m", "charitybook", "--db", str(db), "--lang", "en"]
    start = time.perf_counter()
    importing = subprocess.Popen(cb + ["import", "donations", *import_args], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
    clerks = []
    n = 0
    while importing.poll() is None:
        time.sleep(1)
        if importing.poll() is not None:
            break
        n += 1
        began = time.perf_counter()
        done = subprocess.run(cb + ["add-donation", "--donor", f"窗口捐赠人{n}", "--amount", "10", "--date", "2021-09-07"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"add-donation failed: {done.stderr}")
        clerks.append((time.perf_counter() - began, done.stderr))
    elapsed = time.perf_counter() - start
    if importing.returncode != 0:
        raise SystemExit(f"import failed: {importing.stderr.read().decode()}")
    return elapsed, clerks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    args.keep.mkdir(exist_ok=True)
    _xlsx, csv_path = make_files(args.rows, args.keep)
    py = sys.executable
    print(f"file: {args.rows:,} rows")
    print("| beside | import seconds | add-donations | slowest add-donation (s) | said it waited |")
    print("| --- | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "ledger.db"
        init_ledger(py, db)
        cb = [py, "-m", "charitybook", "--db", str(db), "--lang", "en"]
        alone = []
        for n in range(3):
            began = time.perf_counter()
            subprocess.run(cb + ["add-donation", "--donor", f"独自捐赠人{n}", "--amount", "10", "--date", "2021-09-07"],
                           check=True, capture_output=True)
            alone.append(time.perf_counter() - began)
        print(f"| nothing (the command alone) | — | 3 | {max(alone):.2f} | — |")
        for label, extra in (("a dry run", ["--dry-run"]), ("a real import", [])):
            seconds, clerks = clerks_beside(py, db, [str(csv_path), *extra])
            slowest = max((t for t, _err in clerks), default=0.0)
            waited = sum("import" in err.lower() and "wait" in err.lower() for _t, err in clerks)
            print(f"| {label} | {seconds:.1f} | {len(clerks)} | {slowest:.2f} | {waited} |")


if __name__ == "__main__":
    main()
