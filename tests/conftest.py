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


# The stations the sample files and most tests name, registered in every `cb` ledger as `make demo`
# registers them (tests of the register itself start from `fresh`).
SAMPLE_STATIONS = [("城关街道", None), ("东关社区", "城关街道"), ("西关社区", "城关街道"), ("大赵峪街道", None),
                   ("刘湾村", "大赵峪街道"), ("沙河子镇", None), ("杨峪河镇", None)]


@pytest.fixture
def cb(tmp_path):
    from charitybook.ledger import open_ledger
    from charitybook.services import stations

    runner = CB(tmp_path / "ledger.db")
    runner("init", "--name", "商州区慈善协会")
    ledger = open_ledger(runner.db)
    for name, within in SAMPLE_STATIONS:
        stations.add_station(ledger, name, within, [])
    ledger.close()
    return runner


@pytest.fixture
def fresh(tmp_path):
    return CB(tmp_path / "ledger.db")


FULL_ID = re.compile(r"(?<![\d*])\d{17}[\dXx](?![\d*])")
