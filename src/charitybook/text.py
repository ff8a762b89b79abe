"""Text from outside, cleaned once where it enters (a command-line option, a spreadsheet cell).

Removed: control characters (NUL, BEL, ESC …), Unicode non-characters (U+FFFE, U+FFFF …) and
lone surrogates, which Excel cannot store; bidi overrides and zero-width characters, which make
two names that look the same differ (or one name look like another). Line breaks, tabs and runs
of spaces become one space, so a newline inside a quoted CSV name does not stay in the name.
Text longer than its kind allows is refused, never cut.
"""

from __future__ import annotations

import os
import re
import unicodedata

from charitybook.errors import CharitybookError
from charitybook.i18n import _

# the longest text of each kind: an organisation's full name is rarely 40 characters
LIMITS = {"name": 100, "reference": 64, "note": 500}
_UNSEEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"   # control characters (tab, newline, return become spaces)
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"  # invisible, bidi
    "\u034f\u115f\u1160\u17b4\u17b5\u3164\ufe00-\ufe0f\uffa0"  # fillers and selectors that show nothing
    "\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff"  # non-characters, lone surrogates
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef]"  # tag characters, more selectors
)
_SPACE = re.compile(r"\s+")
_ODD = re.compile(_UNSEEN.pattern + r"|[^\S ]| {2}")  # anything clean() would change but the ends


class TextError(CharitybookError):
    pass


def from_system(value: str) -> str:
    """Text the system handed over as undecodable bytes (a GBK argument or file name on a UTF-8
    system arrives as surrogate escapes): read as GB18030 when it is, else with replacements."""
    if not any("\udc80" <= char <= "\udcff" for char in value):
        return value
    raw = os.fsencode(value)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def clean(value: object, kind: str = "name") -> str | None:
    """The text as it is kept: NFC, without unseen characters, single-spaced, trimmed; None when
    nothing is left. Raises TextError when longer than ``LIMITS[kind]`` characters."""
    if value is None:
        return None
    text = str(value)
    if not unicodedata.is_normalized("NFC", text) or _ODD.search(text):  # most text needs neither
        text = _SPACE.sub(" ", _UNSEEN.sub("", unicodedata.normalize("NFC", text)))
    text = text.strip()
    limit = LIMITS[kind]
    if len(text) > limit:
        raise TextError(_("{start}… is {length} characters long; at most {limit} are kept for a {kind}").format(
            start=text[:20], length=f"{len(text):,}", limit=limit, kind=_kind_label(kind)))
    return text or None


def _kind_label(kind: str) -> str:
    return {"name": _("name"), "reference": _("reference"), "note": _("note")}[kind]
