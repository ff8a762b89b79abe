"""The one translation function every user-facing string goes through.

Messages are written in English in the code and translated through the catalogue compiled from
``charitybook/locale/zh_CN/LC_MESSAGES/charitybook.po`` at build time. Chinese is the default;
``set_language("en")`` (from ``--lang``, ``CHARITYBOOK_LANG`` or an English locale, decided in
``cli/``) selects English. ``_()`` translates when it is called, so a module-level constant must be
marked with ``N_()`` and translated where it is used.
"""

from __future__ import annotations

import gettext
from pathlib import Path

LANGUAGES = ("zh", "en")
_LOCALE_DIR = Path(__file__).parent / "locale"
_state = {"lang": "zh", "translation": None}


def set_language(lang: str) -> None:
    """Choose the run's language: ``zh`` (the default) or ``en``."""
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _state["lang"] = lang
    _state["translation"] = (gettext.translation("charitybook", localedir=_LOCALE_DIR, languages=["zh_CN"], fallback=True)
                             if lang == "zh" else gettext.NullTranslations())


def language() -> str:
    """The run's language, ``zh`` or ``en``: for what is chosen by language rather than translated
    (a vocabulary's Chinese or English label)."""
    return _state["lang"]


def _(message: str) -> str:
    if _state["translation"] is None:
        set_language(_state["lang"])
    return _state["translation"].gettext(message)


def N_(message: str) -> str:
    """Mark a string for translation without translating it: for module-level constants, which are
    made before the run's language is known. Translate them with ``_()`` where they are used."""
    return message
