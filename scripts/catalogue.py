"""Keep the Chinese catalogue in step with the code.

    .venv/bin/python scripts/catalogue.py          # add new messages (untranslated), drop gone ones
    .venv/bin/python scripts/catalogue.py --check  # exit 1 and list what has no translation

Messages are every string literal passed to ``_()`` or ``N_()`` in src/charitybook, every
``_("…")`` in templates/, and every help text of the command tree (docstrings and ``help=``), read
from the installed package (`make .venv/.installed` first). The catalogue is
src/charitybook/locale/zh_CN/LC_MESSAGES/charitybook.po; the build compiles it (hatch_build.py).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hatch_build import PO, read_po, write_po  # noqa: E402

HEADER = ("Project-Id-Version: charitybook\nLanguage: zh_CN\nMIME-Version: 1.0\n"
          "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n")
_TEMPLATE_CALL = re.compile(r"""\b_\(\s*(?P<q>["'])(?P<text>(?:\\.|(?!(?P=q)).)*)(?P=q)\s*\)""", re.S)


def code_messages() -> dict[str, str]:
    """msgid -> where it is first used (file:line)."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "src" / "charitybook").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    for path in sorted((ROOT / "templates").rglob("*.j2")):
        for match in _TEMPLATE_CALL.finditer(path.read_text(encoding="utf-8")):
            text = ast.literal_eval(match["q"] + match["text"] + match["q"])
            found.setdefault(text, str(path.relative_to(ROOT)))
    return found


def help_messages() -> dict[str, str]:
    import typer.main

    from charitybook.cli import language
    from charitybook.cli.app import app

    return {text: "help" for text in language.help_texts(typer.main.get_command(app))}


def messages() -> dict[str, str]:
    found = code_messages()
    for text, where in help_messages().items():
        found.setdefault(text, where)
    return found


def untranslated() -> list[str]:
    have = read_po(ROOT / PO) if (ROOT / PO).exists() else {}
    return [text for text in messages() if not have.get(text)]


def update() -> tuple[int, int]:
    path = ROOT / PO
    have = read_po(path) if path.exists() else {}
    wanted = messages()
    entries = {text: have.get(text, "") for text in wanted}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_po(path, entries, HEADER, wanted)
    return len(entries), sum(1 for value in entries.values() if not value)


if __name__ == "__main__":
    if "--check" in sys.argv:
        missing = untranslated()
        for text in missing:
            print(text)
        print(f"{len(missing)} message(s) without a translation", file=sys.stderr)
        sys.exit(1 if missing else 0)
    total, empty = update()
    print(f"{PO}: {total} messages, {empty} without a translation")
