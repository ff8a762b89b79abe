"""Chinese first: the run's language, the catalogue, help and click's own messages in it."""

import ast
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charitybook.cli.app import app
from charitybook.cli.language import hoist_global_options

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))


def run(args, env=None, db=None):
    runner = CliRunner()
    base = {"CHARITYBOOK_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
    return runner.invoke(app, [*map(str, args)], env={**base, **(env or {})})


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "账本 2021.db"
    assert run(["--db", path, "init", "--name", "商州区慈善协会"]).exit_code == 0
    return path


def test_chinese_is_the_default_and_english_is_chosen_three_ways(ledger):
    chinese = run(["--db", ledger, "list", "donations"])
    assert "捐赠" in chinese.stdout and "Donations" not in chinese.stdout
    for way in (["--lang", "en"], ["--lang=en"]):
        assert "Donations" in run(["--db", ledger, *way, "list", "donations"]).stdout
    assert "Donations" in run(["--db", ledger, "list", "donations"], env={"CHARITYBOOK_LANG": "en"}).stdout
    assert "Donations" in run(["--db", ledger, "list", "donations"], env={"LANG": "en_US.UTF-8"}).stdout
    assert "Donations" in run(["--db", ledger, "list", "donations"], env={"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN"}).stdout
    # --lang beats the environment, the environment beats the locale
    assert "捐赠" in run(["--db", ledger, "--lang", "zh", "list", "donations"], env={"CHARITYBOOK_LANG": "en"}).stdout
    assert "捐赠" in run(["--db", ledger, "list", "donations"], env={"CHARITYBOOK_LANG": "zh", "LANG": "en_US.UTF-8"}).stdout


def test_an_unknown_language_is_a_usage_error(ledger):
    result = run(["--db", ledger, "--lang", "fr", "list", "donations"])
    assert result.exit_code == 2 and "zh" in result.stderr and "en" in result.stderr and "Traceback" not in result.output
    assert run(["--db", ledger, "list", "donations"], env={"CHARITYBOOK_LANG": "klingon"}).exit_code == 2


def test_global_options_work_after_the_command(ledger, tmp_path):
    result = run(["list", "donations", "--db", ledger, "--lang", "en"])
    assert result.exit_code == 0 and "Donations" in result.stdout
    assert run(["add-donation", "--donor", "王某", "--amount", "100", "--db", ledger, "--date", "2021-03-01"]).exit_code == 0
    assert "王某" in run(["list", "donations", f"--db={ledger}"]).stdout
    missing = run(["list", "donations", "--db", tmp_path / "nowhere.db", "--lang", "en"])
    assert missing.exit_code == 1 and "no ledger at" in missing.stderr


def test_hoisting_moves_only_the_global_options():
    assert hoist_global_options(["list", "donations", "--db", "x.db", "--limit", "5"]) == ["--db", "x.db", "list", "donations", "--limit", "5"]
    assert hoist_global_options(["import", "donations", "f.csv", "--debug", "--lang=en"]) == ["--debug", "--lang=en", "import", "donations", "f.csv"]
    assert hoist_global_options(["add-donation", "--", "--db", "x"]) == ["add-donation", "--", "--db", "x"]


def test_help_and_usage_errors_are_in_the_run_language(ledger):
    chinese = run(["add-donation", "--help"])
    assert chinese.exit_code == 0
    assert "用法" in chinese.stdout and "Usage:" not in chinese.stdout and "[required]" not in chinese.stdout
    assert "Record a donation" not in chinese.stdout
    english = run(["--lang", "en", "add-donation", "--help"])
    assert "Usage:" in english.stdout and "Record a donation" in english.stdout and "[required]" in english.stdout
    for args, english_words in ((["list", "donations", "--bogus"], "no such option: --bogus"),
                                (["add-donation", "--amount", "5"], "option '--donor' is required"),
                                (["list", "donations", "--limit", "abc"], "give a whole number"),
                                (["lis"], "no such command: lis")):
        wrong = run(["--db", ledger, *args])
        assert wrong.exit_code == 2, args
        assert "Traceback" not in wrong.output and "Error:" not in wrong.stderr and "错误" in wrong.stderr, args
        english = run(["--db", ledger, "--lang", "en", *args])
        assert english.exit_code == 2 and english_words in english.stderr, (args, english.stderr)


# --- the catalogue ---------------------------------------------------------------------------

def test_every_message_has_a_chinese_translation():
    import catalogue

    missing = catalogue.untranslated()
    assert not missing, f"{len(missing)} message(s) without a translation (run scripts/catalogue.py): {missing[:10]}"


def test_translations_keep_their_placeholders():
    from hatch_build import PO, read_po

    fields = re.compile(r"{[^{}]*}")
    wrong = [(msgid, msgstr) for msgid, msgstr in read_po(ROOT / PO).items()
             if msgid and msgstr and sorted(fields.findall(msgid)) != sorted(fields.findall(msgstr))]
    assert not wrong, wrong[:5]


def test_the_built_catalogue_is_the_one_installed():
    """The wheel carries the compiled catalogue: a translated message reads the same from it."""
    import gettext

    import charitybook
    from hatch_build import PO, read_po

    installed = Path(charitybook.__file__).parent / "locale"
    translation = gettext.translation("charitybook", localedir=installed, languages=["zh_CN"])
    entries = {k: v for k, v in read_po(ROOT / PO).items() if k and v}
    assert entries and all(translation.gettext(k) == v for k, v in entries.items())


def test_no_message_is_translated_at_import_time():
    """``_()`` at module level would freeze a message in the language of the first import."""
    found = []
    for path in (ROOT / "src" / "charitybook").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nested = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                  for n in ast.walk(f)}
        found += [f"{path.name}:{n.lineno}" for n in ast.walk(tree) if isinstance(n, ast.Call)
                  and isinstance(n.func, ast.Name) and n.func.id == "_" and id(n) not in nested]
    assert not found, found


def test_import_summary_names_fields_and_skips_in_the_run_language(ledger, tmp_path):
    from sheets import csv_file

    path = csv_file(tmp_path / "捐款.csv", [["捐款者名单", "善款数目", "日期"], ["王某", "100", "2021-03-01"],
                                          ["合计", "100", ""]])
    chinese = run(["--db", ledger, "import", "donations", path, "--map", "捐款者名单=捐赠人", "--map", "善款数目=金额",
                   "--dry-run"])
    assert chinese.exit_code == 0, chinese.output
    assert "捐款者名单→捐赠人" in chinese.stdout and "善款数目→金额" in chinese.stdout and "1 合计行" in chinese.stdout
    english = run(["--db", ledger, "--lang", "en", "import", "donations", path, "--map", "捐款者名单=donor",
                   "--map", "善款数目=amount", "--dry-run"])
    assert "捐款者名单→donor" in english.stdout and "1 total" in english.stdout
    wrong = run(["--db", ledger, "import", "donations", path, "--map", "捐款者名单=捐款人名"])
    assert wrong.exit_code == 2 and "捐赠人 (donor)" in wrong.stderr
