"""`make demo` in Chinese leaves no English for a clerk to read; with --lang en it is English."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# What may stay Latin in a Chinese run: names of formats, programs and options, and the echoed commands.
ALLOWED = {"charitybook", "xlsx", "xls", "csv", "json", "jsonl", "md", "utf", "bom", "excel", "wps", "sqlite", "id",
           "mermaid", "pie", "title", "showdata", "xychart", "beta", "bar", "line", "axis", "wal", "gbk", "db", "ok",
           "x", "y", "zh", "en", "tencent", "alipay"}
WORD = re.compile(r"[A-Za-z][A-Za-z']{2,}")


def _english_words(text: str) -> list[str]:
    words = []
    for line in text.splitlines():
        if line.startswith("$ charitybook"):       # the demo echoing what it runs
            continue
        line = re.sub(r"--[a-z][a-z-]*", "", line)                 # option names
        line = re.sub(r"`[^`]*`", "", line)                        # commands quoted in a message
        line = re.sub(r"\S*[/\\]\S*|\S+\.(?:xlsx|xls|csv|md|db|json)\b", "", line)   # paths and files
        line = re.sub(r"[^\s,，]+→", "", line)            # a file's own headers, as the import read them
        line = re.sub(r"\S*_\S*", "", line)              # identifiers and sample file names (donations_各乡镇)
        words += [word for word in WORD.findall(line) if word.lower() not in ALLOWED]
    return words


def _demo(tmp_path: Path, lang: str) -> str:
    env = {**os.environ, "CHARITYBOOK_LANG": lang, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "COLUMNS": "120"}
    out = tmp_path / f"demo-{lang}"
    done = subprocess.run(["sh", str(ROOT / "sample_data" / "demo.sh"), str(out)], capture_output=True, text=True,
                          env=env, encoding="utf-8")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    reports = "".join(path.read_text(encoding="utf-8") for path in sorted(out.glob("*.md")))
    return done.stdout + done.stderr + reports


@pytest.mark.skipif(not (ROOT / "sample_data" / "demo.sh").exists(), reason="needs the source tree")
def test_the_demo_in_chinese_has_no_english_and_in_english_is_english(tmp_path):
    chinese = _demo(tmp_path, "zh")
    left = _english_words(chinese)
    assert not left, f"{len(left)} English word(s) in a Chinese run of the demo, e.g. {sorted(set(left))[:40]}"
    english = _demo(tmp_path, "en")
    assert "Donations" in english and "Ledger OK" in english
