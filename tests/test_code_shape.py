"""Keep each library in its room, start-up light, and every command documented."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
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
    code = ("import sys; from charitybook.cli.app import app; import typer.main; typer.main.get_command(app); "
            "print(sorted(m for m in ('openpyxl','jinja2','python_calamine','sqlite_utils') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_top_level_command_is_in_the_map_a_run_builds_from():
    from charitybook.cli import app as module

    names = set(typer.main.get_command(app).commands)
    assert set(module.COMMANDS) == names
    for name, owner in module.COMMANDS.items():   # each is built by its own module alone
        assert name in typer.main.get_command(module.build((owner,))).commands, name


@pytest.mark.parametrize("argv,built", [
    (["--db", "nowhere.db", "balance"], True), (["balance", "--db", "nowhere.db"], True),
    (["--lang", "en", "--debug", "--db=nowhere.db", "balance"], True), (["--help"], False), (["balanse"], False)])
def test_a_run_builds_only_the_module_of_its_command(tmp_path, argv, built):
    code = ("import sys\nfrom charitybook.cli.app import main\nsys.argv = ['charitybook', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept BaseException:\n    pass\n"
            "print('ONLY', 'charitybook.cli.lists' in sys.modules, 'charitybook.cli.receipts' in sys.modules, file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=tmp_path)
    assert f"ONLY True {not built}" in result.stderr, result.stderr


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
