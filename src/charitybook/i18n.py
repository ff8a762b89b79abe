"""The one translation function every user-facing string goes through.

A Chinese catalogue can be dropped into ``charitybook/locale/zh_CN/LC_MESSAGES/charitybook.mo``;
until then ``gettext`` falls back to the English source strings.
"""

import gettext
from pathlib import Path

_translation = gettext.translation(
    "charitybook", localedir=Path(__file__).parent / "locale", fallback=True
)


def _(message: str) -> str:
    return _translation.gettext(message)
