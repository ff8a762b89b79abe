"""Every example in the README runs as written.

The rule: each ``charitybook …`` line in a README code block (fenced with ``` and no language, or
``sh``/``shell``/``bash``/``console``; a ``$ `` prompt is allowed; ``\\`` continues a line; ``#``
starts a comment) is run, in the order the README gives them, in one temporary folder that holds
``sample_data/`` and no ledger (so ``./charitybook.db`` is the ledger, made by the first ``init``).
Each must exit 0 without a traceback. A block that cannot run as written (a synopsis with
``[options]`` and ``a|b`` alternatives, a Windows install) is marked by an HTML comment on the line
just before its fence that starts with ``<!-- not run``, e.g. ``<!-- not run: synopsis -->``.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from typer.testing import CliRunner

from charitybook.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
RUN_FENCES = {"", "sh", "shell", "bash", "console"}


def examples(text: str) -> list[tuple[int, list[str]]]:
    """(line number, argv after ``charitybook``) of every example that is run, in order."""
    found, lines = [], text.splitlines()
    in_block, runs, previous, pending, start = False, False, "", "", 0
    for number, line in enumerate(lines, 1):
        fence = re.match(r"^\s*```(\S*)", line)
        if fence and not in_block:
            in_block, runs = True, fence.group(1) in RUN_FENCES and not previous.startswith("<!-- not run")
            continue
        if fence and in_block:
            in_block = False
            continue
        if line.strip():
            previous = line.strip() if not in_block else previous
        if not (in_block and runs):
            continue
        if pending:
            pending += " " + line.strip()
        else:
            command = re.sub(r"^\s*\$\s+", "", line)
            if not command.startswith("charitybook "):
                continue
            pending, start = command, number
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
            continue
        argv = shlex.split(pending, comments=True)
        found.append((start, argv[1:]))
        pending = ""
    return found


def test_the_readme_has_examples_and_marks_what_it_does_not_run():
    found = examples(README.read_text(encoding="utf-8"))
    assert len(found) >= 30
    assert found[0][1][0] == "init"
    assert not [argv for _line, argv in found if any(re.search(r"\[|\]|\w\|\w|^[A-Z]+$", arg) for arg in argv)], \
        "a synopsis ([options], a|b, FILE) is run as an example: mark its block <!-- not run: synopsis -->"


def test_every_readme_example_runs(tmp_path, monkeypatch):
    (tmp_path / "sample_data").symlink_to(ROOT / "sample_data", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHARITYBOOK_DB", raising=False)
    runner = CliRunner()
    for line, argv in examples(README.read_text(encoding="utf-8")):
        result = runner.invoke(app, argv)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            f"README.md line {line}: charitybook {shlex.join(argv)} raised {result.exception!r}\n{result.output}"
        assert result.exit_code == 0 and "Traceback" not in result.output, \
            f"README.md line {line}: charitybook {shlex.join(argv)} exited {result.exit_code}\n{result.output}"
