"""One entry point: build a report's context and render it as md, xlsx or json."""

from __future__ import annotations

import json
from pathlib import Path

from charitybook.errors import CharitybookError
from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.reports import context as contexts

FORMATS = ("md", "xlsx", "json")
KINDS = tuple(contexts.BUILDERS)


def build(ledger: Ledger, kind: str, year: int, holiday: str | None = None, donor: str | None = None) -> dict:
    if kind == "donor":
        if not donor:
            raise CharitybookError(_("report donor needs --donor NAME"))
        return contexts.donor(ledger, year, donor)
    if kind == "holiday":
        return contexts.holiday(ledger, year, holiday)
    return contexts.BUILDERS[kind](ledger, year)


def render(ledger: Ledger, kind: str, year: int, fmt: str, lang: str, output: Path | None,
           template_dir: Path | None = None, holiday: str | None = None, donor: str | None = None) -> str | None:
    """Returns the text for md/json without ``output``; writes the file otherwise."""
    context = build(ledger, kind, year, holiday, donor)
    if fmt == "json":
        text = json.dumps(context, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "md":
        from charitybook.reports.markdown import render as render_md

        dirs = [path for path in (template_dir, ledger.path.resolve().parent / "templates") if path]
        text = render_md(context, lang, dirs)
    else:
        if output is None:
            raise CharitybookError(_("--format xlsx needs --output PATH.xlsx"))
        from charitybook.reports.excel import write

        write(context, lang, output)
        return None
    if output is None:
        return text
    output.write_text(text, encoding="utf-8")
    return None
