"""Citizen ID numbers (GB 11643), unified social credit codes (GB 32100), masking."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from charitybook.errors import CharitybookError
from charitybook.i18n import N_, _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
DIGITS_LOST = N_("stored as a number, digits lost: format the column as text and re-enter")


class IdNumberError(CharitybookError):
    pass


def check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS))
    return _CHECK[total % 11]


def mask(id_number: str | None) -> str:
    """``611002199001011234`` -> ``6110**********1234``; anything short is masked whole."""
    if not id_number:
        return ""
    if len(id_number) < 10:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def normalize_id(value: str) -> str:
    """Validate a citizen ID number and return it as 18 characters with an upper-case X.

    Legacy 15-digit numbers are upgraded. Errors quote the value masked, never in full.
    """
    text = unicodedata.normalize("NFKC", str(value)).strip().upper().replace(" ", "")
    if re.fullmatch(r"\d(\.\d+)?E\+?\d+", text):
        raise IdNumberError(_("ID number {value}: {why}").format(value=text, why=_(DIGITS_LOST)))
    if re.fullmatch(r"\d{15}", text):
        text = text[:6] + "19" + text[6:] + "?"
        text = text[:17] + check_char(text[:17])
    shown = mask(text)
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise IdNumberError(
            _("ID number {value} is not 18 characters of digits (last may be X)").format(value=shown)
        )
    if birth_date(text) is None:
        raise IdNumberError(_("ID number {value} has an impossible birth date").format(value=shown))
    if check_char(text[:17]) != text[17]:
        raise IdNumberError(_("ID number {value}: check character is wrong (a typing error?)").format(value=shown))
    return text


def birth_date(id_number: str) -> dt.date | None:
    try:
        born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None
    if born.year < 1880 or born > dt.date.today():
        return None
    return born


def gender(id_number: str) -> str:
    """``male`` or ``female`` from the sequence digit (odd = male)."""
    return "male" if int(id_number[16]) % 2 else "female"


def credit_code_valid(code: str) -> bool:
    """GB 32100 unified social credit code check character."""
    code = code.strip().upper()
    if len(code) != 18 or any(char not in _CREDIT_CHARS for char in code):
        return False
    total = sum(_CREDIT_CHARS.index(char) * weight for char, weight in zip(code, _CREDIT_WEIGHTS))
    return _CREDIT_CHARS[(31 - total % 31) % 31] == code[17]
