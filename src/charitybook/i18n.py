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


def N_(message: str) -> str:
    """Mark a string for translation without translating it: for module-level constants, which are
    made before the run's language is known. Translate them with ``_()`` where they are used."""
    return message
