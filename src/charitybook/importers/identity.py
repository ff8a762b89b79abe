"""What makes two files the same import: their bytes, or their rows.

A copy re-saved by Excel or WPS, a CSV with other line endings, or the same sheet exported to CSV
has other bytes but the same rows. Each data row is reduced to what it means — a valid row to its
record (date, donor, amounts in fen, goods, fund or project, township, reference, note …, after
--date/--township/--project defaults), a row with problems to its cleaned cells — and the file's
fingerprint is a hash of that multiset of rows: the same rows in another order, in another
format or with other formatting are the same file. Blank, title, total and footer rows do not count.
"""

from __future__ import annotations

import hashlib

from charitybook.importers.rows import RosterRow

_MODULUS = 1 << 256


def record_key(record) -> tuple:
    """The meaning of a valid row: every field of the record but where it came from."""
    if isinstance(record, RosterRow):
        p = record.person
        return ("roster", _iso(record.date), p.name, p.id_number, p.township, p.village, p.household_size,
                p.hardship_type, p.phone, str(record.cash), _goods(record.goods), record.note)
    return ("donation", _iso(record.date), record.donor, record.donor_type, str(record.amount), _goods(record.goods),
            record.channel, record.platform, record.fund, record.project, record.township, record.campaign,
            record.external_ref, record.note)


def raw_key(cells: list, indexes: list[int]) -> tuple:
    """The meaning of a row that could not be read: its mapped cells, as text."""
    return ("invalid", *(_cell_text(cells[i]) if i < len(cells) else "" for i in indexes))


class Fingerprint:
    """An order-independent hash of a multiset of rows: the sum of the rows' SHA-256 values."""

    def __init__(self):
        self.total, self.rows = 0, 0

    def add(self, key: tuple) -> None:
        digest = hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).digest()
        self.total = (self.total + int.from_bytes(digest, "big")) % _MODULUS
        self.rows += 1

    def hexdigest(self) -> str | None:
        """None for a file with no data rows: nothing to recognise it by."""
        if not self.rows:
            return None
        return f"{self.rows}:{self.total:064x}"


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _goods(goods) -> tuple | None:
    if goods is None:
        return None
    return (goods.item, str(goods.value), str(goods.quantity) if goods.quantity is not None else None,
            goods.unit, str(goods.unit_value) if goods.unit_value is not None else None)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, ".15g")
    return " ".join(str(value).split())
