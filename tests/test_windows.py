"""The office PC, stood in for on every machine: the installed program run with the POSIX-only
modules and calls taken away (as on Windows), a GBK locale, no user name in the environment, and
a ledger and township files under a folder with Chinese characters and spaces in its name."""

import ast
import json
import ntpath
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CB
from sheets import make_id, xlsx

from charitybook import ledger as ledger_module

SRC = Path(__file__).resolve().parents[1] / "src" / "charitybook"
BIN = shutil.which("charitybook", path=str(Path(sys.executable).parent))  # the installed program (charitybook.exe on Windows)
POSIX_ONLY_MODULES = {"pwd", "grp", "resource", "fcntl", "termios", "pty", "tty"}
POSIX_ONLY_CALLS = {("os", "fork"), ("os", "forkpty"), ("os", "getuid"), ("os", "geteuid"), ("os", "getgid"),
                    ("os", "setsid"), ("os", "killpg"), ("os", "getpgid"), ("os", "setpgrp"), ("os", "sysconf"),
                    ("signal", "SIGALRM"), ("signal", "alarm"), ("signal", "setitimer"), ("os", "chmod")}

# Loaded by every Python the test starts (the program and its reader child): what Windows lacks is
# not there. Blocking an import raises ImportError, as on Windows; a removed call is AttributeError.
STAND_IN = f"""
import importlib.abc, os, signal, sys
BLOCKED = {sorted(POSIX_ONLY_MODULES)!r}
class NotOnWindows(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name in BLOCKED:
            raise ImportError("No module named %r (not on Windows)" % name, name=name)
for name in BLOCKED:
    sys.modules.pop(name, None)
sys.meta_path.insert(0, NotOnWindows())
for module, name in {sorted(POSIX_ONLY_CALLS)!r}:
    if hasattr(sys.modules[module], name):
        delattr(sys.modules[module], name)
"""


@pytest.fixture
def office(tmp_path):
    """Runs the installed program as on the office PC; returns (run, folder)."""
    stand_in = tmp_path / "stand-in"
    stand_in.mkdir()
    (stand_in / "sitecustomize.py").write_text(STAND_IN, encoding="utf-8")
    folder = tmp_path / "慈善 协会" / "2026年"
    folder.mkdir(parents=True)
    env = {key: value for key, value in os.environ.items()
           if key not in ("USER", "LOGNAME", "LNAME", "USERNAME", "FORCE_COLOR", "PYTHONPATH")}
    env.update({"PYTHONPATH": str(stand_in), "PYTHONIOENCODING": "gbk", "CHARITYBOOK_DB": str(folder / "账本 2026.db"),
                "CHARITYBOOK_LANG": "zh"})

    def run(*args, expect=0, encoding="utf-8"):
        result = subprocess.run([BIN, *map(str, args)], env=env, cwd=folder, capture_output=True, timeout=180)
        out, err = result.stdout.decode(encoding), result.stderr.decode(encoding)  # a pipe gets UTF-8, whatever the locale
        assert result.returncode == expect, f"{args}: exit {result.returncode}\n{out}\n{err}"
        assert "Traceback" not in out + err
        return out, err
    return run, folder


def test_the_stand_in_takes_away_what_windows_lacks(office):
    run, folder = office
    probe = "import os, sys\ntry:\n    import resource\nexcept ImportError:\n    print('no resource', hasattr(os, 'fork'))\n"
    env = {**os.environ, "PYTHONPATH": str(folder.parents[1] / "stand-in")}
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60).stdout
    assert out.strip() == "no resource False"


def test_a_day_at_the_office_pc(office):
    run, folder = office
    run("init", "--name", "商州区慈善协会")
    run("add-donation", "--donor", "王某", "--amount", "1000", "--date", "2021-03-01", "--channel", "现金",
        "--township", "城关街道", "--new-township")
    book = xlsx(folder / "城关街道 9月 捐赠.xlsx", {"城关街道": [["捐赠人", "金额", "日期"], ["李某", 200, "2021-09-07"],
                                                             ["赵某", "abc", "2021-09-07"]]})
    out, err = run("import", "donations", book, "--errors-out", folder / "退回 城关街道.xlsx", expect=1)
    assert (folder / "退回 城关街道.xlsx").is_file()    # read by the reader child, marked up in the folder
    run("import", "donations", book, "--skip-invalid", "--township", "城关街道")
    (folder / "网络 捐赠.csv").write_bytes("捐赠人,金额,日期\n张某,30,2021-09-09\n".encode("gbk"))
    run("import", "donations", folder / "网络 捐赠.csv", "--channel", "网络募捐")
    out, _err = run("list", "donations")
    assert "李某" in out and "张某" in out
    gifts = json.loads(run("list", "donations", "--format", "json")[0])
    assert [(g["donor"], g["channel"]) for g in gifts] == [("王某", "cash"), ("李某", "cash"), ("张某", "online")]
    _out, err = run("add-donation", "--donor", "孙某", "--amount", "1", "--township", "城关街遒", expect=1)
    assert "城关街道" in err and len(err.strip().splitlines()) == 2   # the error and its hint
    _out, err = run("add-donation", "--donor", "孙某", "--amount", "1", "--channel", "支票", expect=2)
    assert "现金 (cash)" in err
    assert "现金 (cash)" in run("add-donation", "--help", encoding="gbk")[0]  # click writes help in the locale's encoding
    run("report", "annual", "--year", "2021", "--format", "xlsx", "--output", folder / "年报 2021.xlsx")
    run("backup", folder / "备份 1.db")
    run("check")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["账本 2026.db", "城关街道 9月 捐赠.xlsx", "退回 城关街道.xlsx", "网络 捐赠.csv", "年报 2021.xlsx", "备份 1.db"])
    count = sqlite3.connect(folder / "备份 1.db").execute("SELECT count(*) FROM donations").fetchone()[0]
    assert count == 3


def test_a_hash_or_percent_in_a_folder_name_keeps_the_ledger_where_it_was_named(tmp_path):
    folder = tmp_path / "慈善 协会#2" / "100% 2026年"
    folder.mkdir(parents=True)
    cb = CB(folder / "账本.db")
    cb("init", "--name", "某协会")
    cb("add-donation", "--donor", "王某", "--amount", "10", "--date", "2021-03-01")
    assert [d["donor"] for d in cb.json("list", "donations")] == ["王某"]
    assert (folder / "账本.db").stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["慈善 协会#2"]   # nothing written beside it (at '#')


def test_the_ledger_uri_names_a_windows_drive_or_share(monkeypatch):
    with monkeypatch.context() as windows:
        windows.setattr(os, "path", ntpath)
        windows.setattr(os, "sep", "\\")
        drive = ledger_module.sqlite_uri(r"C:\Users\会计\慈善 协会\账本#1.db", "rw")
        share = ledger_module.sqlite_uri(r"\\fileserver\财务\账本.db", "ro")
    assert drive == "file:///C:/Users/%E4%BC%9A%E8%AE%A1/%E6%85%88%E5%96%84%20%E5%8D%8F%E4%BC%9A/%E8%B4%A6%E6%9C%AC%231.db?mode=rw"
    assert share == "file:////fileserver/%E8%B4%A2%E5%8A%A1/%E8%B4%A6%E6%9C%AC.db?mode=ro"


def _guarded(tree: ast.AST) -> set[int]:
    """Line numbers inside a ``try`` that catches ImportError (or anything wider)."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
                handler.type is None or "ImportError" in ast.unparse(handler.type) or "Exception" in ast.unparse(handler.type)
                for handler in node.handlers):
            for statement in node.body:
                lines.update(range(statement.lineno, statement.end_lineno + 1))
    return lines


def test_posix_only_calls_sit_behind_a_guard():
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        guarded = _guarded(tree)
        where = path.relative_to(SRC)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [alias.name.split(".")[0] for alias in node.names] if isinstance(node, ast.Import) else \
                    [(node.module or "").split(".")[0]]
                assert not (set(names) & POSIX_ONLY_MODULES) or node.lineno in guarded, f"{where}:{node.lineno}"
                assert "multiprocessing" not in names, f"{where}:{node.lineno}: a fork start method on Linux"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if (node.value.id, node.attr) in POSIX_ONLY_CALLS:
                    assert node.lineno in guarded, f"{where}:{node.lineno}: {node.value.id}.{node.attr}"
            if isinstance(node, ast.keyword) and node.arg == "shell":
                raise AssertionError(f"{where}:{node.lineno}: a shell-out")
        assert "/proc/" not in text, where


def test_the_reader_child_is_a_fresh_interpreter_started_by_name():
    """Spawn-safe: the child is ``python -m charitybook.importers.reader_process FILE``, a new
    process that imports what it needs (no fork, nothing inherited but the file's name)."""
    source = (SRC / "importers" / "read.py").read_text(encoding="utf-8")
    assert '[sys.executable, "-P", "-m", "charitybook.importers.reader_process", str(self.path)]' in source
    child = (SRC / "importers" / "reader_process.py").read_text(encoding="utf-8")
    assert 'if __name__ == "__main__":' in child


def test_a_roster_read_under_the_stand_in_arrives_whole(office):
    """A roster read by the child in the folder, under the stand-in: people and gifts arrive whole."""
    run, folder = office
    run("init", "--name", "商州区慈善协会")
    run("add-donation", "--donor", "某公司", "--amount", "1000", "--date", "2021-01-02")
    person = make_id("61100219520304001")
    roster = xlsx(folder / "春节 花名册.xlsx", {"城关街道": [["姓名", "身份证号", "慰问金"], ["王大山", person, 300]]})
    run("import", "relief", roster, "--holiday", "春节", "--date", "2021-02-06", "--township", "城关街道", "--new-township")
    out, _err = run("relief", "list")
    assert "王大山" in out and person not in out
