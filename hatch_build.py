"""Build hook: compile the Chinese catalogue (``.po``) into the ``.mo`` gettext reads, so a plain
``pip install`` has it. Also the one reader and writer of catalogues: ``scripts/catalogue.py``
and the tests use ``read_po`` / ``write_po`` from here.

No dependency beyond the standard library (no Babel, no GNU gettext): a catalogue here is plain
``msgid`` / ``msgstr`` pairs, without plurals or contexts.
"""

from __future__ import annotations

import ast
import struct
import tempfile
from pathlib import Path

PO = Path("src/charitybook/locale/zh_CN/LC_MESSAGES/charitybook.po")
MO_IN_PACKAGE = "charitybook/locale/zh_CN/LC_MESSAGES/charitybook.mo"


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr, in file order; the header entry (empty msgid) included; fuzzy entries are
    read with an empty translation (as msgfmt does)."""
    entries: dict[str, str] = {}
    msgid = msgstr = None
    field = None
    fuzzy = False

    def flush():
        nonlocal msgid, msgstr, fuzzy
        if msgid is not None:
            entries[msgid] = "" if fuzzy and msgid else (msgstr or "")
        msgid = msgstr = None
        fuzzy = False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            fuzzy = True
            continue
        if not line or line.startswith("#"):
            if msgstr is not None:
                keep = fuzzy
                flush()
                fuzzy = keep and not line
            continue
        if line.startswith("msgid "):
            if msgstr is not None:
                keep = fuzzy
                flush()
                fuzzy = keep
            msgid, field = _unquote(line[6:]), "id"
        elif line.startswith("msgstr "):
            msgstr, field = _unquote(line[7:]), "str"
        elif line.startswith('"'):
            if field == "id":
                msgid += _unquote(line)
            else:
                msgstr += _unquote(line)
    flush()
    return entries


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def write_po(path: Path, entries: dict[str, str], header: str, comments: dict[str, str] | None = None) -> None:
    """Write a catalogue: the header, then each msgid with its translation (and a ``#:`` comment
    saying where it comes from)."""
    comments = comments or {}
    lines = ['msgid ""', f"msgstr {_quote(header)}", ""]
    for msgid, msgstr in entries.items():
        if not msgid:
            continue
        if msgid in comments:
            lines.append(f"#: {comments[msgid]}")
        lines += [f"msgid {_quote(msgid)}", f"msgstr {_quote(msgstr)}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_mo(entries: dict[str, str], path: Path) -> None:
    """GNU ``.mo``: magic, counts, the two tables of (length, offset), then the strings."""
    pairs = sorted((msgid.encode(), msgstr.encode()) for msgid, msgstr in entries.items() if msgstr)
    count = len(pairs)
    ids_start = 7 * 4
    strs_start = ids_start + count * 8
    data_start = strs_start + count * 8
    ids_table, strs_table, data = [], [], b""
    for msgid, _msgstr in pairs:
        ids_table.append((len(msgid), data_start + len(data)))
        data += msgid + b"\0"
    for _msgid, msgstr in pairs:
        strs_table.append((len(msgstr), data_start + len(data)))
        data += msgstr + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, count, ids_start, strs_start, 0, data_start)
    out += b"".join(struct.pack("<2I", *item) for item in ids_table)
    out += b"".join(struct.pack("<2I", *item) for item in strs_table)
    path.write_bytes(out + data)


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:         # imported by the tests and scripts/, not by a build
    BuildHookInterface = object


class CatalogueHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        po = Path(self.root) / PO
        folder = Path(tempfile.mkdtemp(prefix="charitybook-mo-"))
        mo = folder / "charitybook.mo"
        write_mo(read_po(po), mo)
        build_data["force_include"][str(mo)] = MO_IN_PACKAGE
