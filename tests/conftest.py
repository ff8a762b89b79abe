from __future__ import annotations

import json
import os
import re

import pytest
from typer.testing import CliRunner

from charitybook.cli.app import app
from charitybook.i18n import set_language

# The suite reads English: most tests assert English messages. Tests of the Chinese default say
# `--lang zh` (or unset this) themselves.
os.environ["CHARITYBOOK_LANG"] = "en"


class CB:
    """Runs charitybook against one temporary ledger, the way a clerk types it."""

    def __init__(self, db):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args, expect: int | None = 0, input: str | None = None):
        result = self.runner.invoke(app, ["--db", str(self.db), *map(str, args)], input=input)
        if expect is not None and result.exit_code != expect:
            raise AssertionError(
                f"exit {result.exit_code} != {expect} for {args}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
                + (f"\nexception: {result.exception!r}" if result.exception else "")
            )
        return result

    def json(self, *args):
        return json.loads(self(*args, "--format", "json").stdout)


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """The suite runs in English; a test of the Chinese run chooses zh itself."""
    monkeypatch.setenv("CHARITYBOOK_LANG", "en")
    set_language("en")


@pytest.fixture
def cb(tmp_path):
    runner = CB(tmp_path / "ledger.db")
    runner("init", "--name", "商州区慈善协会")
    return runner


@pytest.fixture
def fresh(tmp_path):
    return CB(tmp_path / "ledger.db")


FULL_ID = re.compile(r"(?<![\d*])\d{17}[\dXx](?![\d*])")
