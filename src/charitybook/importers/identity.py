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
import heapq

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


SKETCH = 256  # rows sampled to recognise a file that is mostly an earlier one


def _digest(context: str, key: tuple) -> int:
    return int.from_bytes(hashlib.sha256((context + repr(key)).encode("utf-8", "surrogatepass")).digest(), "big")


class Fingerprint:
    """An order-independent hash of a multiset of rows: the sum of the rows' SHA-256 values.
    ``context`` is what gives every row its meaning beyond its cells (a roster's holiday or
    category and year)."""

    def __init__(self, context: tuple = ()):
        self.total, self.rows, self.context = 0, 0, repr(context)

    def add(self, key: tuple) -> int:
        """Count a row in; its digest, for the batch's ``Sketch`` (computed once, used by both)."""
        digest = _digest(self.context, key)
        self.total = (self.total + digest) % _MODULUS
        self.rows += 1
        return digest

    def hexdigest(self) -> str | None:
        """None for a file with no data rows: nothing to recognise it by."""
        if not self.rows:
            return None
        return f"{self.rows}:{self.total:064x}"


class Sketch:
    """The smallest hashes of the rows a batch wrote (a bottom-k sample): enough to estimate how
    many of a new file's rows an earlier batch already wrote, however large both are."""

    def __init__(self, context: tuple = ()):
        self.context = repr(context)
        self._smallest: list[int] = []   # negated, as a max-heap of at most SKETCH values

    def add(self, key: tuple) -> None:
        self.add_digest(_digest(self.context, key))

    def add_digest(self, digest: int) -> None:
        """A row by its digest (``Fingerprint.add``'s, of the same context)."""
        sample = digest >> 192   # 64 bits are plenty to sample by
        if len(self._smallest) < SKETCH:
            heapq.heappush(self._smallest, -sample)
        elif sample < -self._smallest[0]:
            heapq.heapreplace(self._smallest, -sample)

    def text(self) -> str | None:
        return " ".join(f"{value:x}" for value in sorted({-v for v in self._smallest})) or None


def share(sketch: str | None, earlier: str | None) -> float:
    """About which share of a file's rows an earlier file also has, from their sketches (exact
    for files of up to SKETCH rows)."""
    if not sketch or not earlier:
        return 0.0
    mine, theirs = [int(v, 16) for v in sketch.split()], {int(v, 16) for v in earlier.split()}
    reach = max(theirs) if len(theirs) >= SKETCH else None   # beyond it, the earlier sketch knows nothing
    sampled = [v for v in mine if reach is None or v <= reach]
    return sum(v in theirs for v in sampled) / len(sampled) if sampled else 0.0


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
