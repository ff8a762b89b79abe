"""Keep each library in its room, start-up light, and every command documented."""

import re
import subprocess
import sys
from pathlib import Path

import typer

from charitybook.cli.app import app

SRC = Path(__file__).resolve().parents[1] / "src" / "charitybook"
README = Path(__file__).resolve().parents[1] / "README.md"


def _files(folder=""):
    return [p for p in (SRC / folder).rglob("*.py")]


def _top_level_imports(path):
    return [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^(from|import) ", line)]


def test_typer_and_rich_only_in_cli():
    for path in _files():
        if "cli" in path.relative_to(SRC).parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) (typer|rich|click)\b", text, re.M), path


def test_sqlite_utils_only_in_ledger():
    for path in _files():
        if path.relative_to(SRC).parts[0] == "ledger":
            continue
        assert "sqlite_utils" not in path.read_text(encoding="utf-8"), path


def test_nothing_below_cli_prints_or_reads_environment():
    for path in _files():
        if "cli" in path.relative_to(SRC).parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bprint\(|os\.environ|getenv\(", text), path


def test_heavy_libraries_are_not_imported_at_start_up():
    code = "import sys, charitybook.cli.app; print(sorted(m for m in ('openpyxl','jinja2','python_calamine') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _commands(group, prefix=""):
    click_group = typer.main.get_command(group)
    for name, command in click_group.commands.items():
        full = f"{prefix}{name}"
        if hasattr(command, "commands"):
            for sub_name, sub in command.commands.items():
                yield f"{full} {sub_name}", sub
        else:
            yield full, command


def test_every_command_has_help_and_is_in_the_readme():
    readme = README.read_text(encoding="utf-8")
    for name, command in _commands(app):
        assert (command.help or "").strip(), f"{name} has no help text"
        assert f"charitybook {name}" in readme or f"`{name}`" in readme, f"{name} is missing from the README"


def test_openpyxl_refuses_xml_entity_tricks():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML, "defusedxml must be installed so openpyxl parses XML safely"
